#!/usr/bin/env bash
# End-to-end check of the HTTP proxy with curl: an ordinary upload goes through, a My Number
# roster is stopped with the block page (Japanese and English, no digits of a number), JSON for
# clients that ask, 407 without credentials when the proxy requires them.
#
# usage: http-proxy-e2e.sh PROXY_HOST:PORT ORIGIN_URL CORPUS_DIR
#   ORIGIN_URL  e.g. http://127.0.0.1:8080 (an origin that answers 200 to any request)
# Exit status 0 when every check passed; the first failing check is printed.
set -euo pipefail
proxy="$1"; origin="$2"; corpus="$3"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass=0

# 1. A page is fetched through the proxy.
code=$(curl -sS -o "$work/get" -w '%{http_code}' -x "http://$proxy" "$origin/page?q=1")
[ "$code" = 200 ] || fail "GET through the proxy: HTTP $code"
pass=$((pass+1))

# 2. An ordinary file upload (multipart, as a browser form sends it) goes through.
code=$(curl -sS -o "$work/clean" -w '%{http_code}' -x "http://$proxy" \
  -F "file=@$corpus/cases/negative_07_jan13_barcodes.csv;type=text/csv" "$origin/upload")
[ "$code" = 200 ] || fail "clean upload: HTTP $code"
pass=$((pass+1))

# 3. A My Number roster is stopped with the block page.
code=$(curl -sS -o "$work/block.html" -w '%{http_code}' -x "http://$proxy" \
  -F "file=@$corpus/cases/bulk_03_roster_60_mixed_valid_invalid.csv;type=text/csv" "$origin/upload")
[ "$code" = 403 ] || fail "roster upload: HTTP $code, expected 403"
grep -q 'マイナンバー' "$work/block.html" || fail "block page without the Japanese explanation"
grep -q 'My Numbers' "$work/block.html" || fail "block page without the English explanation"
grep -q '\*\*\*\*-\*\*\*\*-\*\*\*\*' "$work/block.html" || fail "block page without the masked finding"
grep -q '参照番号 / Reference' "$work/block.html" || fail "block page without a reference"
if grep -Eq '[0-9]{12}' "$work/block.html"; then fail "block page holds a 12-digit run"; fi
pass=$((pass+1))

# 4. The same as JSON for an API client.
code=$(curl -sS -o "$work/block.json" -w '%{http_code}' -x "http://$proxy" -H 'Accept: application/json' \
  --data-binary "@$corpus/cases/bulk_03_roster_60_mixed_valid_invalid.csv" -H 'Content-Type: text/csv' "$origin/api/import")
[ "$code" = 403 ] || fail "JSON client: HTTP $code"
grep -q '"action":"block"' "$work/block.json" || fail "JSON answer without the action"
pass=$((pass+1))

# 5. A chunked upload (curl sends Transfer-Encoding: chunked) is inspected like any other.
code=$(curl -sS -o /dev/null -w '%{http_code}' -x "http://$proxy" -H 'Transfer-Encoding: chunked' \
  --data-binary "@$corpus/cases/bulk_03_roster_60_mixed_valid_invalid.csv" "$origin/api/chunked")
[ "$code" = 403 ] || fail "chunked roster upload: HTTP $code"
pass=$((pass+1))

echo "$pass passed, 0 failed"
