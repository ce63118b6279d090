#!/usr/bin/env bash
# HTTP proxy benchmark of issue 6 (numbers go to BENCHMARKS.md; not a timed test).
#
#   direct     curl -> origin
#   mynaguard  curl -> Mynaguard HTTP proxy (body spooled, scanned, decided, re-framed) -> origin
#   squid      curl -> Squid as a plain forward proxy -> origin  (only with SQUID=HOST:PORT)
#
# Then, with the gateway in a 256 MB heap: one 1 GB upload through it, and 1 000 client
# connections held open at once (each with one request answered), with the heap and RSS.
#
#   bench/http-upload.sh            # build the jar first: mvn -B -ntp -DskipTests package -pl proxy -am
#   SQUID=127.0.0.1:3129 bench/http-upload.sh
#   TLS=1 SQUID=127.0.0.1:3129 bench/http-upload.sh   # over HTTPS (root: the origin listens on 443)
#
# With TLS=1 the same three paths carry HTTPS: curl -> origin; curl -> CONNECT -> Mynaguard, which
# intercepts (its CA on curl's side, the origin's self-signed certificate as --upstream-trust),
# inspects and re-encrypts; curl -> CONNECT -> Squid, a blind tunnel. Only throughput is measured.
#
# The origin is a small Python sink (reads the body, answers 200), the same for every path.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=proxy/target/mynaguard.jar
[ -f "$JAR" ] || { echo "build the jar first: mvn -B -ntp -DskipTests package -pl proxy -am"; exit 1; }
PARALLEL=${PARALLEL:-8}
ROUNDS=${ROUNDS:-5}
# Warm-up before anything is timed, since the gateway is a long-running server, in three steps:
#  WARMUP_REQUESTS small uploads (10 KB, 8 keep-alive clients): code that runs once per request
#    (decision, audit, log lines and their date formatting) reaches the JIT's optimising tier
#    only after some 5 000-10 000 calls; with 5 000 it was still being compiled while timed;
#  WARMUP_SPOOLED uploads of 1.5 MB, past the 1 MB spool threshold, for the per-request code of
#    a body in a spool file (file, sendfile, deletion), which the small ones do not run;
#  WARMUP_ROUNDS rounds of the timed kind: the JIT's share of the gateway's CPU fell from about a
#    third to a few per cent over the first 100-150 of them (C2 ticks per 15 rounds: 136, 111,
#    88, 13, 62, 51, 35, 11, out of 434, 371, 309, 253, 358, 307, 273, 231 for the gateway).
#  then batches of 10 such rounds until the JIT took under JIT_SETTLED per cent of the gateway's
#    CPU in one (below).
# Each path's line shows what the JIT still took while timed.
# WARMUP_REQUESTS=0 WARMUP_SPOOLED=0 WARMUP_ROUNDS=0 WARMUP_BATCHES=0 measures a cold gateway.
WARMUP_REQUESTS=${WARMUP_REQUESTS:-20000}
WARMUP_SPOOLED=${WARMUP_SPOOLED:-3000}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-120}
SIZE_MB=${SIZE_MB:-10}
ORIGIN_PORT=${ORIGIN_PORT:-18080}
PROXY_PORT=${PROXY_PORT:-13128}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/sink.py" <<'PY'
import http.server, socketserver, sys
class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The head and the body go out in two writes: with Nagle on, the second waited for the
    # delayed ACK of the first (40 ms on Linux), on every path alike, in every request.
    disable_nagle_algorithm = True
    def handle_one(self):
        pass
    def do_any(self):
        n = int(self.headers.get("Content-Length", "0"))
        while n > 0:
            chunk = self.rfile.read(min(n, 1 << 20))
            if not chunk:
                break
            n -= len(chunk)
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = do_PUT = do_any
    def log_message(self, *a):
        pass
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 2048
    if len(sys.argv) > 3:  # HTTPS: certificate and key; the handshake runs in the request's thread
        import ssl
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(sys.argv[2], sys.argv[3])
        def finish_request(self, request, client_address):
            request = self.tls.wrap_socket(request, server_side=True)
            super().finish_request(request, client_address)
Server(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
URL="http://127.0.0.1:$ORIGIN_PORT/upload"
DIRECT_OPTS=""
GATEWAY_OPTS="-x http://127.0.0.1:$PROXY_PORT"
GATEWAY_TRUST=()
if [ "${TLS:-0}" = 1 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "TLS=1 needs root: CONNECT goes to port 443 only"; exit 1; }
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/origin-key.pem" \
    -out "$work/origin.pem" -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
  python3 "$work/sink.py" 443 "$work/origin.pem" "$work/origin-key.pem" & pids+=($!)
  URL="https://127.0.0.1/upload"
  DIRECT_OPTS="--cacert $work/origin.pem"
  GATEWAY_OPTS="$GATEWAY_OPTS --cacert $work/data/ca/ca.pem"
  GATEWAY_TRUST=(--upstream-trust "$work/origin.pem")
else
  python3 "$work/sink.py" "$ORIGIN_PORT" & pids+=($!)
fi

# Text without numbers, the kind of file an office uploads (scanned as text, not skipped as binary).
head -c $((SIZE_MB * 1024 * 1024 * 3 / 4)) /dev/urandom | base64 -w 100 | tr -d '0-9' | head -c $((SIZE_MB * 1024 * 1024)) > "$work/upload.txt"

cat > "$work/policy.yaml" <<'YAML'
version: 1
name: HTTP benchmark policy
organization:
  internal_domains: [example.co.jp]
detector:
  min_level: LOW
rules:
  - name: my-number-block
    when:
      findings: {min_level: LOW, type: [my_number]}
    action: block
default:
  action: allow
YAML

start_gateway() {  # $1 = extra JVM options
  java $1 -jar "$JAR" serve --policy "$work/policy.yaml" --data "$work/data" --smtp-listen 127.0.0.1:0 \
    --http-listen "127.0.0.1:$PROXY_PORT" --allow-private-destinations "${GATEWAY_TRUST[@]}" > "$work/gateway.log" 2>&1 &
  GATEWAY=$!; pids+=("$GATEWAY")
  for _ in $(seq 1 100); do grep -q "Mynaguard is running" "$work/gateway.log" && return; sleep 0.2; done
  cat "$work/gateway.log"; exit 1
}

cpu_ticks() {  # whole machine (from /proc/stat), the gateway process and its JIT threads, in clock ticks
  local jit=0 t
  for t in /proc/"$GATEWAY"/task/*; do
    grep -q Compiler "$t/comm" 2>/dev/null && jit=$((jit + $(awk '{print $14+$15}' "$t/stat")))
  done
  echo "$(head -1 /proc/stat | awk '{print $2+$3+$4+$7+$8}') $(awk '{print $14+$15}' "/proc/$GATEWAY/stat") $jit"
}

run() {  # $1 = label, $2 = curl proxy option (empty for direct)
  local t0 t1 c0 c1 total=$((PARALLEL * ROUNDS * SIZE_MB)) hz; hz=$(getconf CLK_TCK)
  c0=$(cpu_ticks)
  t0=$(date +%s.%N)
  for _ in $(seq 1 "$ROUNDS"); do
    local curls=()
    for _ in $(seq 1 "$PARALLEL"); do
      curl -sS -o /dev/null -w '%{http_code}\n' $2 -H 'Content-Type: text/plain' \
        --data-binary "@$work/upload.txt" "$URL" >> "$work/codes.$1" &
      curls+=($!)
    done
    wait "${curls[@]}" || true  # a failed upload is counted below, not fatal
  done
  t1=$(date +%s.%N)
  c1=$(cpu_ticks)
  local bad; bad=$(grep -vc '^200$' "$work/codes.$1" || true)
  # Only uploads answered 200 count: a failed one (Squid now and then cuts an upload off with a
  # broken pipe) ended early and would flatter its path.
  total=$(( (PARALLEL * ROUNDS - bad) * SIZE_MB ))
  # CPU per uploaded MB: of the whole machine (clients, origin, proxy) and of the gateway alone
  # (on the direct and Squid paths it only shows the idle gateway's background work).
  local m0 g0 j0 m1 g1 j1; read -r m0 g0 j0 <<< "$c0"; read -r m1 g1 j1 <<< "$c1"
  printf '%-10s %3d x %d MB in %6.2f s = %7.1f MB/s  (non-200, not counted: %s)  CPU ms/MB: machine %.2f, gateway %.2f (JIT %.2f)\n' \
    "$1" "$((PARALLEL * ROUNDS))" "$SIZE_MB" "$(echo "$t1 - $t0" | bc)" "$(echo "$total / ($t1 - $t0)" | bc -l)" "$bad" \
    "$(echo "($m1 - $m0) * 1000 / $hz / $total" | bc -l)" "$(echo "($g1 - $g0) * 1000 / $hz / $total" | bc -l)" \
    "$(echo "($j1 - $j0) * 1000 / $hz / $total" | bc -l)"
}

echo "== ${PARALLEL} parallel uploads over $([ "${TLS:-0}" = 1 ] && echo HTTPS || echo HTTP) of ${SIZE_MB} MB, ${ROUNDS} rounds after ${WARMUP_REQUESTS} small, ${WARMUP_SPOOLED} spooled and ${WARMUP_ROUNDS} rounds of warm-up ($(nproc) cores, load $(cut -d" " -f1-3 /proc/loadavg))"
start_gateway "-Xmx1g"
warm_up() {  # $1 = requests, $2 = body bytes
python3 - "$PROXY_PORT" "$URL" "$1" "${TLS:-0}" "$work" "$2" <<'PY'
import http.client, ssl, sys, threading, urllib.parse
proxy, url, n, tls, work = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5]
size = int(sys.argv[6])
body = (b"meeting notes, agenda, follow-up items\n" * (size // 38 + 1))[:size]
u = urllib.parse.urlsplit(url)
def client(count):
    if tls:  # through a CONNECT tunnel, trusting the gateway's CA
        ctx = ssl.create_default_context(cafile=work + "/data/ca/ca.pem")
        c = http.client.HTTPSConnection("127.0.0.1", proxy, context=ctx, timeout=60)
        c.set_tunnel(u.hostname, u.port or 443)
        path = u.path
    else:
        c = http.client.HTTPConnection("127.0.0.1", proxy, timeout=60)
        path = url
    for _ in range(count):
        c.request("POST", path, body, {"Content-Type": "text/plain"})
        r = c.getresponse(); r.read()
        if r.status != 200:
            raise SystemExit("warm-up request answered %d" % r.status)
threads = [threading.Thread(target=client, args=(n // 8,)) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
PY
}
warm_up "$WARMUP_REQUESTS" 10240
warm_up "$WARMUP_SPOOLED" $((3 * 512 * 1024))
warm_rounds() {  # $1 = rounds of the timed kind, not timed
  for _ in $(seq 1 "$1"); do
    warm=()
    for _ in $(seq 1 "$PARALLEL"); do
      curl -sS -o /dev/null $GATEWAY_OPTS -H 'Content-Type: text/plain' \
        --data-binary "@$work/upload.txt" "$URL" & warm+=($!)
    done
    wait "${warm[@]}"
  done
}
warm_rounds "$WARMUP_ROUNDS"
# Then until the JIT has settled: batches of 10 rounds until its threads took under JIT_SETTLED
# per cent of the gateway's CPU in a batch (at most WARMUP_BATCHES batches). A fixed count was
# not enough on some runs: C2 was still compiling a tenth to a third of the time while timed.
JIT_SETTLED=${JIT_SETTLED:-3}
WARMUP_BATCHES=${WARMUP_BATCHES:-30}
for batch in $(seq 1 "$WARMUP_BATCHES"); do
  read -r _ g0 j0 <<< "$(cpu_ticks)"
  warm_rounds 10
  read -r _ g1 j1 <<< "$(cpu_ticks)"
  if [ $(( (j1 - j0) * 100 )) -lt $(( (g1 - g0) * JIT_SETTLED )) ]; then
    echo "JIT settled after $batch batch(es) of 10 more rounds: $((j1 - j0)) of $((g1 - g0)) gateway ticks in the last"
    break
  fi
  [ "$batch" = "$WARMUP_BATCHES" ] && echo "JIT not settled after $WARMUP_BATCHES batches: $((j1 - j0)) of $((g1 - g0)) gateway ticks in the last"
done
run direct "$DIRECT_OPTS"
run mynaguard "$GATEWAY_OPTS"
[ -n "${SQUID:-}" ] && run squid "-x http://$SQUID $DIRECT_OPTS"
kill "$GATEWAY"; wait "$GATEWAY" 2>/dev/null || true
[ "${TLS:-0}" = 1 ] && exit 0

echo "== 1 GB upload, gateway in -Xmx256m"
head -c $((768 * 1024 * 1024)) /dev/urandom | base64 -w 100 | tr -d '0-9' | head -c $((1024 * 1024 * 1024)) > "$work/big.txt"
rm -f "$work/upload.txt"
start_gateway "-Xmx256m"
t0=$(date +%s.%N)
code=$(curl -sS -o /dev/null -w '%{http_code}' -x "http://127.0.0.1:$PROXY_PORT" -H 'Content-Type: text/plain' \
  --data-binary "@$work/big.txt" "http://127.0.0.1:$ORIGIN_PORT/big")
t1=$(date +%s.%N)
printf '1 GB: HTTP %s in %.1f s; gateway RSS %s kB; alive: %s\n' "$code" "$(echo "$t1 - $t0" | bc)" \
  "$(ps -o rss= -p "$GATEWAY" | tr -d ' ')" "$(kill -0 "$GATEWAY" 2>/dev/null && echo yes || echo no)"
rm -f "$work/big.txt"

echo "== 1 000 concurrent client connections, same gateway (-Xmx256m)"
python3 - "$PROXY_PORT" "$ORIGIN_PORT" <<'PY'
import socket, sys, time
proxy, origin = int(sys.argv[1]), int(sys.argv[2])
req = ("GET http://127.0.0.1:%d/keep HTTP/1.1\r\nHost: x\r\n\r\n" % origin).encode()
socks, ok = [], 0
t0 = time.time()
for i in range(1000):
    s = socket.create_connection(("127.0.0.1", proxy)); s.sendall(req); socks.append(s)
for s in socks:
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    ok += data.startswith(b"HTTP/1.1 200")
print("1000 connections open, %d answered 200, in %.1f s" % (ok, time.time() - t0))
time.sleep(2)
s = socket.create_connection(("127.0.0.1", proxy)); s.sendall(req)
print("one more request while they stay open:", s.recv(64).split(b"\r\n")[0].decode())
PY
printf 'gateway RSS with 1 000 open connections: %s kB; alive: %s\n' "$(ps -o rss= -p "$GATEWAY" | tr -d ' ')" \
  "$(kill -0 "$GATEWAY" 2>/dev/null && echo yes || echo no)"
