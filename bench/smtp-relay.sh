#!/usr/bin/env bash
# SMTP relay benchmark of issue 4 (numbers go to BENCHMARKS.md; not a timed test).
#
#   direct     smtp-source -> smtp-sink
#   mynaguard  smtp-source -> Mynaguard (full inspection, examples/policy.yaml) -> smtp-sink
#   postfix    smtp-source -> Postfix as a plain relay -> smtp-sink   (only with POSTFIX=HOST:PORT:
#              a Postfix you configured with relayhost = [127.0.0.1]:$SINK_PORT)
#
# Throughput: smtp-source, $SESSIONS sessions, $MESSAGES messages of $SIZE bytes.
# Latency: bench/smtp/SmtpLatency.java, one session, MAIL FROM to the reply after the dot.
# Memory: 2 000 idle sessions (after EHLO) against Mynaguard running with -Xmx256m.
#
# Needs: smtp-source and smtp-sink (Debian package postfix), java 17, a built proxy/target/mynaguard.jar
# that includes the upstream client. Run from the repository root: bench/smtp-relay.sh
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-proxy/target/mynaguard.jar}
SINK_PORT=${SINK_PORT:-2600}
MG_PORT=${MG_PORT:-2601}
MESSAGES=${MESSAGES:-10000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-10240}
LATENCY_N=${LATENCY_N:-3000}
# Messages sent through each path before the timed run (all three paths get the same). The
# gateway is a long-running server, and its JVM needs far more than a few thousand messages to
# reach steady state: on a 2-CPU machine the JIT compiler is still busy after 10 000 (see
# bench/smtp-cpu.sh), and it competes with smtp-source and smtp-sink for the CPUs. WARMUP=2000
# measures a gateway started a few seconds earlier (BENCHMARKS.md records both).
WARMUP=${WARMUP:-30000}
IDLE=${IDLE:-2000}
[ -f "$JAR" ] || { echo "$JAR missing: mvn -B -ntp -DskipTests package"; exit 1; }
. bench/smtp/common.sh
bench_setup mynaguard-bench
ulimit -n 65536 2>/dev/null || true
gateway_yaml "$WORK/data" "$MG_PORT" > "$WORK/gateway.yaml"
java -Xmx256m -jar "$JAR" serve --config "$WORK/gateway.yaml" >"$WORK/serve.out" 2>"$WORK/serve.log" & MG=$!; PIDS+=($MG)
for _ in $(seq 1 60); do grep -q "Mynaguard is running" "$WORK/serve.out" && break; sleep 1; done

# Postfix accepts into its queue and delivers afterwards: until the queue is empty it is still
# relaying in the background, and whatever is measured meanwhile shares the CPU with it (an
# earlier run measured Mynaguard's latency while Postfix drained 10 000 messages: p99 19.5 ms).
drain_postfix() {
  [ -n "${POSTFIX:-}" ] && command -v postqueue >/dev/null || return 0
  for _ in $(seq 1 600); do postqueue -p 2>/dev/null | grep -q "Mail queue is empty" && return 0; sleep 1; done
  echo "warning: the Postfix queue did not drain in 600 s"
}
source_run() { # label host:port
  local t0 t1
  smtp-source -s "$SESSIONS" -m "$WARMUP" -l "$SIZE" -f bench@example.co.jp -t rcpt@partner.example "$2" # warm-up
  drain_postfix
  t0=$(date +%s.%N)
  smtp-source -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f bench@example.co.jp -t rcpt@partner.example "$2"
  t1=$(date +%s.%N)
  drain_postfix
  printf "%-10s throughput %8.0f msg/s  (%d x %d B, %d sessions, %.2f s)\n" "$1" \
    "$(echo "$MESSAGES / ($t1 - $t0)" | bc -l)" "$MESSAGES" "$SIZE" "$SESSIONS" "$(echo "$t1 - $t0" | bc -l)"
}
latency_run() { # label port
  printf "%-10s latency    %s\n" "$1" "$(java bench/smtp/SmtpLatency.java 127.0.0.1 "$2" "$LATENCY_N" "$SIZE" 1000)"
}

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
source_run direct "127.0.0.1:$SINK_PORT"
source_run mynaguard "127.0.0.1:$MG_PORT"
if [ -n "${POSTFIX:-}" ]; then source_run postfix "$POSTFIX"; fi
latency_run direct "$SINK_PORT"
latency_run mynaguard "$MG_PORT"
if [ -n "${POSTFIX:-}" ]; then latency_run postfix "${POSTFIX##*:}"; fi

java bench/smtp/IdleSessions.java 127.0.0.1 "$MG_PORT" "$IDLE" 20 > "$WORK/idle.out" &
IDLER=$!; PIDS+=($IDLER)
for _ in $(seq 1 60); do grep -q "sessions=" "$WORK/idle.out" && break; sleep 1; done
jcmd "$MG" GC.run >/dev/null
used=$(jcmd "$MG" GC.heap_info | grep -oE "used [0-9]+K" | head -1 | grep -oE "[0-9]+")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$MG/status")
printf "%-10s idle       %s, heap used %d MB of 256 MB, RSS %d MB\n" mynaguard "$(cat "$WORK/idle.out")" \
  $((used / 1024)) $((rss / 1024))
kill "$IDLER" 2>/dev/null || true
