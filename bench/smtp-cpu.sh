#!/usr/bin/env bash
# CPU time of the gateway per relayed message (issue 4 throughput work; figures go to BENCHMARKS.md).
#
#   smtp-source -> Mynaguard (full inspection, examples/policy.yaml) -> smtp-sink
#
# Wall-clock throughput is meaningless on a machine that other jobs share; the CPU the gateway
# process spends per message (utime + stime from /proc/PID/stat, all its threads: event loops,
# workers, GC and JIT) is not, and throughput on a CPU-bound machine follows from it. The gateway
# is warmed up with $WARMUP rounds of $MESSAGES messages first, then $ROUNDS rounds are measured
# and each is printed, so the spread shows.
#
#   bench/smtp-cpu.sh                       # needs proxy/target/mynaguard.jar (mvn -B -ntp -DskipTests package)
#   JFR=/tmp/relay.jfr bench/smtp-cpu.sh    # also records a JFR profile of the measured rounds
#
# Needs smtp-source and smtp-sink (Debian package postfix) and java 17. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-proxy/target/mynaguard.jar}
SINK_PORT=${SINK_PORT:-2610}
MG_PORT=${MG_PORT:-2611}
MESSAGES=${MESSAGES:-10000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-10240}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d /tmp/mynaguard-cpu.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

command -v smtp-source >/dev/null || { echo "smtp-source missing (apt-get install postfix)"; exit 1; }
[ -f "$JAR" ] || { echo "$JAR missing: mvn -B -ntp -DskipTests package"; exit 1; }

sink_user=(); [ "$(id -u)" -eq 0 ] && sink_user=(-u postfix)
smtp-sink "${sink_user[@]}" "127.0.0.1:$SINK_PORT" 2000 >/dev/null 2>&1 & PIDS+=($!)

cat > "$WORK/gateway.yaml" <<YAML
data: $WORK/data
policy: $PWD/examples/policy.yaml
upstream: {host: 127.0.0.1, port: $SINK_PORT, tls: none}
smtp:
  listen: 127.0.0.1:$MG_PORT
  tls: false
  max_connections: 10000
  max_connections_per_address: 10000
YAML
java -Xmx256m ${JAVA_OPTS:-} -jar "$JAR" serve --config "$WORK/gateway.yaml" >"$WORK/serve.out" 2>"$WORK/serve.log" & MG=$!; PIDS+=($MG)
for _ in $(seq 1 60); do grep -q "Mynaguard is running" "$WORK/serve.out" && break; sleep 1; done
grep -q "Mynaguard is running" "$WORK/serve.out" || { cat "$WORK/serve.log"; exit 1; }

ticks() { awk '{print $14 + $15}' "/proc/$MG/stat"; }   # utime + stime of the whole process
sys_ticks() { awk '{print $15}' "/proc/$MG/stat"; }
hz=$(getconf CLK_TCK)
send() { smtp-source -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f bench@example.co.jp -t rcpt@partner.example "127.0.0.1:$MG_PORT"; }

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
for _ in $(seq 1 "$WARMUP"); do send; done
if [ -n "${JFR:-}" ]; then jcmd "$MG" JFR.start name=cpu settings=profile filename="$JFR" >/dev/null; fi
total=0
for r in $(seq 1 "$ROUNDS"); do
  [ -n "${BEFORE_ROUND:-}" ] && $BEFORE_ROUND "$MG"
  t0=$(ticks); s0=$(sys_ticks); send; t1=$(ticks); s1=$(sys_ticks)
  [ -n "${AFTER_ROUND:-}" ] && $AFTER_ROUND "$MG"
  total=$((total + t1 - t0))
  printf "round %d: %.3f CPU-ms/message, of it %.3f in the kernel (%d x %d B, %d sessions)\n" "$r" \
    "$(echo "($t1 - $t0) * 1000 / $hz / $MESSAGES" | bc -l)" "$(echo "($s1 - $s0) * 1000 / $hz / $MESSAGES" | bc -l)" \
    "$MESSAGES" "$SIZE" "$SESSIONS"
done
printf "mean:    %.3f CPU-ms/message over %d rounds\n" "$(echo "$total * 1000 / $hz / ($MESSAGES * $ROUNDS)" | bc -l)" "$ROUNDS"
if [ -n "${JFR:-}" ]; then jcmd "$MG" JFR.stop name=cpu >/dev/null; echo "profile: $JFR"; fi
grep -c " -> 250" "$WORK/serve.log" >/dev/null || { echo "no relayed message in the log"; tail "$WORK/serve.log"; exit 1; }
