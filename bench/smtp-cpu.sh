#!/usr/bin/env bash
# CPU time of the gateway per relayed message (issue 4 throughput work; figures go to BENCHMARKS.md).
#
#   smtp-source -> Mynaguard (full inspection, examples/policy.yaml) -> smtp-sink
#
# Wall-clock throughput is meaningless on a machine that other jobs share; the CPU the gateway
# process spends per message (utime + stime from /proc/PID/stat, all its threads: event loops,
# workers, GC and JIT) much less so, and throughput on a CPU-bound machine follows from it. Each
# gateway is warmed up with $WARMUP rounds of $MESSAGES messages, then $ROUNDS rounds are
# measured and the mean, minimum and median are printed.
#
# Give several jars to compare builds: they run side by side (one port each) and take turns
# round by round, so a change in the machine's load hits all of them alike.
#
#   bench/smtp-cpu.sh                                   # proxy/target/mynaguard.jar
#   JARS="/tmp/before.jar /tmp/after.jar" bench/smtp-cpu.sh
#   JFR=/tmp/relay.jfr bench/smtp-cpu.sh                # also records a JFR profile of the measured rounds
#   JARS="a.jar a.jar" OPTS_1=-Dsome.property=x bench/smtp-cpu.sh   # the same build with a JVM option
#   BEFORE_ROUND=cmd AFTER_ROUND=cmd bench/smtp-cpu.sh  # cmd PID around each measured round (perf record, strace -c …)
#
# Needs smtp-source and smtp-sink (Debian package postfix) and java 17. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a JARS <<< "${JARS:-${JAR:-proxy/target/mynaguard.jar}}"
SINK_PORT=${SINK_PORT:-2610}
MG_PORT=${MG_PORT:-2611}
MESSAGES=${MESSAGES:-10000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-10240}
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-5}
for j in "${JARS[@]}"; do [ -f "$j" ] || { echo "$j missing: mvn -B -ntp -DskipTests package"; exit 1; }; done
. bench/smtp/common.sh
bench_setup mynaguard-cpu

MG=()
for g in "${!JARS[@]}"; do
  mkdir -p "$WORK/$g"
  gateway_yaml "$WORK/$g/data" "$((MG_PORT + g))" > "$WORK/$g/gateway.yaml"
  opts="OPTS_$g"   # extra JVM options for one of them, e.g. OPTS_1=-Dio.netty.allocator.type=pooled
  java -Xmx256m ${JAVA_OPTS:-} ${!opts:-} -jar "${JARS[$g]}" serve --config "$WORK/$g/gateway.yaml" \
    >"$WORK/$g/serve.out" 2>"$WORK/$g/serve.log" & MG+=($!); PIDS+=($!)
done
for g in "${!JARS[@]}"; do
  for _ in $(seq 1 60); do grep -q "Mynaguard is running" "$WORK/$g/serve.out" && break; sleep 1; done
  grep -q "Mynaguard is running" "$WORK/$g/serve.out" || { cat "$WORK/$g/serve.log"; exit 1; }
done

hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of the whole process
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }
# The JIT compiler threads: still busy long after warm-up on a loaded machine, and not part of the
# steady-state cost, so they are also shown apart.
jit_ticks() {
  for t in /proc/"$1"/task/*/stat; do cat "$t" 2>/dev/null; done |
    awk '/\((C1|C2) CompilerThre/ { s = $0; sub(/^.*\) /, "", s); split(s, f, " "); n += f[12] + f[13] } END { print n + 0 }'
}
ms() { echo "$1 * 1000 / $hz / $MESSAGES" | bc -l; }
send() { smtp-source -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f bench@example.co.jp -t rcpt@partner.example "127.0.0.1:$((MG_PORT + $1))"; }

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "$MESSAGES messages of $SIZE bytes over $SESSIONS sessions per round; $WARMUP warm-up rounds, $ROUNDS measured"
for _ in $(seq 1 "$WARMUP"); do for g in "${!JARS[@]}"; do send "$g"; done; done
if [ -n "${JFR:-}" ]; then jcmd "${MG[0]}" JFR.start name=cpu settings=profile filename="$JFR" >/dev/null; fi
declare -A used kernel steady
for r in $(seq 1 "$ROUNDS"); do
  # Alternate the order, so no build always runs right after the same one.
  order=("${!JARS[@]}"); [ $((r % 2)) -eq 0 ] && order=($(printf "%s\n" "${order[@]}" | sort -rn))
  for g in "${order[@]}"; do
    [ -n "${BEFORE_ROUND:-}" ] && $BEFORE_ROUND "${MG[$g]}"
    t0=$(ticks "${MG[$g]}"); s0=$(sys_ticks "${MG[$g]}"); j0=$(jit_ticks "${MG[$g]}")
    send "$g"
    t1=$(ticks "${MG[$g]}"); s1=$(sys_ticks "${MG[$g]}"); j1=$(jit_ticks "${MG[$g]}")
    [ -n "${AFTER_ROUND:-}" ] && $AFTER_ROUND "${MG[$g]}"
    used[$g]="${used[$g]:-} $((t1 - t0))"; steady[$g]="${steady[$g]:-} $((t1 - t0 - (j1 - j0)))"
    printf "round %d %-24s %.3f CPU-ms/message, of it %.3f in the kernel and %.3f JIT (load %s)\n" "$r" \
      "$(basename "${JARS[$g]}")" "$(ms $((t1 - t0)))" "$(ms $((s1 - s0)))" "$(ms $((j1 - j0)))" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
summary() { # label ticks...
  local label=$1; shift
  read -r -a v <<< "$(printf "%s\n" "$@" | sort -n | tr '\n' ' ')"
  local total=0; for x in "${v[@]}"; do total=$((total + x)); done
  printf "%-32s mean %.3f  min %.3f  median %.3f CPU-ms/message over %d rounds\n" "$label" \
    "$(echo "$total * 1000 / $hz / $MESSAGES / ${#v[@]}" | bc -l)" "$(ms "${v[0]}")" "$(ms "${v[$((${#v[@]} / 2))]}")" "${#v[@]}"
}
for g in "${!JARS[@]}"; do
  summary "$(basename "${JARS[$g]}")" ${used[$g]}
  grep -q " -> 250" "$WORK/$g/serve.log" || { echo "no relayed message in the log of ${JARS[$g]}"; tail "$WORK/$g/serve.log"; exit 1; }
done
for g in "${!JARS[@]}"; do summary "$(basename "${JARS[$g]}") w/o JIT" ${steady[$g]}; done
if [ -n "${JFR:-}" ]; then jcmd "${MG[0]}" JFR.stop name=cpu >/dev/null; echo "profile: $JFR"; fi
