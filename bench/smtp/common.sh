# Shared by bench/smtp-relay.sh and bench/smtp-cpu.sh (sourced, not run): the work directory and
# its cleanup, the tools check, smtp-sink as the upstream, and a benchmark gateway's config.
# Expects SINK_PORT; sets WORK and PIDS.

bench_setup() {  # $1 = prefix of the temporary work directory
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  PIDS=()
  trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
  command -v smtp-source >/dev/null || { echo "smtp-source missing (apt-get install postfix)"; exit 1; }
  local sink_user=(); [ "$(id -u)" -eq 0 ] && sink_user=(-u postfix)
  smtp-sink "${sink_user[@]}" "127.0.0.1:$SINK_PORT" 2000 >/dev/null 2>&1 & PIDS+=($!)
}

# A gateway relaying to the sink with full inspection (examples/policy.yaml), SMTP without TLS and
# without connection caps that a load generator would hit; HTTP, console and ops on ephemeral ports
# so that several gateways can run side by side.
gateway_yaml() {  # $1 = data directory, $2 = SMTP port
  cat <<YAML
data: $1
policy: $PWD/examples/policy.yaml
upstream: {host: 127.0.0.1, port: $SINK_PORT, tls: none}
smtp:
  listen: 127.0.0.1:$2
  tls: false
  max_connections: 10000
  max_connections_per_address: 10000
http: {listen: 127.0.0.1:0}
console: {listen: 127.0.0.1:0}
ops: {listen: 127.0.0.1:0}
YAML
}
