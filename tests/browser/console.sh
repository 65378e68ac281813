#!/usr/bin/env bash
# console.sh - ctest browser.console: starts `tollgate serve` on 127.0.0.1
# and a free port over a fresh database and the fixture data, makes an admin
# token, records a license (D100) and two shipments under it (2025Q3 and
# 2025Q4, 15% payments), and runs console.test.mjs in headless Chromium.  Installs the
# locked npm packages first when node_modules is missing.
# Usage: console.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
bin=$1 src=$2
here=$src/tests/browser
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export TOLLGATE_DATA=$src/tests/fixtures/data TOLLGATE_DB=$tmp/t.db
token=$("$bin" token add --name browser-admin --role admin 2>/dev/null)
"$bin" license add --number D100 --holder "Acme Cloud" --chip nv-h100-sxm --to CN --qty 100 \
  --value-usd 5000000 --from 2025-01-01 --until 2027-06-30 --payment-rate 15% \
  --condition "no re-export" >/dev/null
for s in 10:2025-08-15 5:2025-11-15; do
  "$bin" ship --chip nv-h100-sxm --to CN --hq CN --end-user "Acme Cloud" --qty "${s%%:*}" --unit-price 20000 \
    --on "${s#*:}" --license D100 >/dev/null
done
. "$src/tests/serve_start.sh"
serve_start "$bin" "$tmp" --threads 2
pid=$serve_pid url=$serve_url
cd "$here"
BASE_URL=$url TOKEN=$token node console.test.mjs
