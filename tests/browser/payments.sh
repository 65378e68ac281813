#!/usr/bin/env bash
# payments.sh - ctest browser.payments: issue 12 items 8 and 9 in headless
# Chromium (payments.test.mjs): add a license in the console, amend it
# (and see an amendment below the units shipped refused), record a
# shipment from a check, record a payment and see it paid; the license
# page's aggregate-TPP cap meter with its headroom in units and the 25%
# Section 232 duty it incurs (an H200 license set up here through the
# CLI); the payments chart's rounded ticks and unclipped labels.
# Screenshots (1366x900) are kept in BUILD/browser-artifacts/payments/.
# Usage: payments.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
bin=$1 src=$2
here=$src/tests/browser
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
shots=$(cd "$(dirname "$bin")" && pwd)/browser-artifacts/payments
rm -rf "$shots"; mkdir -p "$shots"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export TOLLGATE_DB=$tmp/t.db TOLLGATE_DATA=$src/data TOLLGATE_USER=setup
unset TG_SCREEN_THRESHOLD
admin=$("$bin" token add --name officer-olga --role admin 2>/dev/null)
"$bin" lists import "$src/tests/screen/data/csl-subset.compact.json" >/dev/null
# an H200 license with the January 2026 rule's 50% cap: 20 units to US
# customers allow 10 to China; 4 shipped leave 6; the 4 owe the 25% duty
"$bin" license add --number H200-7 --holder "Acme AI Systems" --chip nv-h200-sxm --to CN --qty 100 \
  --from 2026-01-15 --until 2027-01-14 >/dev/null
"$bin" ship --chip nv-h200-sxm --to US --hq US --end-user "Example Cloud Co" --qty 20 --unit-price 30000 \
  --on 2026-01-20 >/dev/null
"$bin" ship --chip nv-h200-sxm --to CN --hq CN --end-use none --end-user "Example Cloud Co" --qty 4 \
  --unit-price 30000 --on 2026-02-02 --license H200-7 --attest us-available,us-supply,foundry,security,testing >/dev/null
. "$src/tests/serve_start.sh"
serve_start "$bin" "$tmp" --threads 2
pid=$serve_pid url=$serve_url
cd "$here"
BASE_URL=$url TOKEN=$admin SHOTS=$shots node payments.test.mjs
