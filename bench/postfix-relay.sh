#!/usr/bin/env bash
# Starts the machine's Postfix as a plain relay on 127.0.0.1:2602 that forwards everything to
# smtp-sink on 127.0.0.1:2600, for the issue-4 comparison:
#
#   bench/postfix-relay.sh && POSTFIX=127.0.0.1:2602 bench/smtp-relay.sh
#
# It writes /etc/postfix/main.cf and changes the smtpd listener in master.cf, so it refuses to
# touch a Postfix that is already configured (a main.cf exists) unless FORCE=1. Root only.
# `postfix stop` ends it. (Postfix refuses a private -c configuration directory that the system
# main.cf does not list, which is why the system one is used.)
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "run as root"; exit 1; }
command -v postfix >/dev/null || { echo "postfix missing (apt-get install postfix)"; exit 1; }
if [ -f /etc/postfix/main.cf ] && [ "${FORCE:-0}" != 1 ] && ! grep -q "Benchmark-only configuration" /etc/postfix/main.cf; then
  echo "/etc/postfix/main.cf exists: this Postfix is configured; set FORCE=1 to overwrite it"; exit 1
fi
cat > /etc/postfix/main.cf <<'CF'
# Benchmark-only configuration (issue 4): Postfix as a plain relay on 127.0.0.1:2602 to smtp-sink.
compatibility_level = 3.6
myhostname = bench.localdomain
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:2600
smtpd_relay_restrictions = permit_mynetworks, reject
maillog_file = /var/log/postfix.log
default_process_limit = 100
CF
sed -i 's/^smtp      inet  n       -       y       -       -       smtpd/127.0.0.1:2602 inet  n       -       y       -       -       smtpd/' /etc/postfix/master.cf
postfix check
postfix status >/dev/null 2>&1 && postfix reload || postfix start
echo "Postfix relays 127.0.0.1:2602 -> 127.0.0.1:2600"
