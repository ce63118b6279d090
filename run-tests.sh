#!/usr/bin/env bash
# Runs Mynaguard's tests from a fresh checkout: installs the Debian packages the tests use
# (swaks and postfix's smtp-sink as real SMTP peers, chromium for the console, strace for the
# hold store's durability test), then Maven.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v swaks >/dev/null 2>&1 || need+=(swaks)
[ -x /usr/sbin/smtp-sink ] || need+=(postfix)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v strace >/dev/null 2>&1 || need+=(strace)   # the hold store's fsync-order test
command -v curl >/dev/null 2>&1 || need+=(curl)       # the HTTP proxy's end-to-end script
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
