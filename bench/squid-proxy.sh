#!/usr/bin/env bash
# Starts Debian's Squid as a plain forward proxy (no cache, no interception) on 127.0.0.1:3129
# for the issue-6 comparison:
#
#   bench/squid-proxy.sh && SQUID=127.0.0.1:3129 bench/http-upload.sh
#
# Its own configuration file in /tmp (the system squid.conf is not touched); destinations on
# loopback are allowed because the benchmark's origin is there. `squid -f FILE -k shutdown` ends it.
set -euo pipefail
command -v squid >/dev/null || { echo "squid missing (apt-get install -y squid)"; exit 1; }
conf=/tmp/mynaguard-bench-squid.conf
cat > "$conf" <<'CONF'
# Benchmark-only configuration (issue 6): plain forward proxy, nothing cached or logged.
http_port 127.0.0.1:3129
acl localnet src 127.0.0.0/8
http_access allow localnet
http_access deny all
cache deny all
cache_mem 8 MB
access_log none
cache_log /tmp/mynaguard-bench-squid-cache.log
pid_filename /tmp/mynaguard-bench-squid.pid
coredump_dir /tmp
request_body_max_size 0
workers 1
CONF
squid -f "$conf" -k parse
squid -f "$conf"
for _ in $(seq 1 50); do
  (echo > /dev/tcp/127.0.0.1/3129) 2>/dev/null && { echo "Squid forwards on 127.0.0.1:3129"; exit 0; }
  sleep 0.2
done
echo "Squid did not start; see /tmp/mynaguard-bench-squid-cache.log"; exit 1
