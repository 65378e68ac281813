#!/usr/bin/env bash
# console_items.sh - ctest browser.console_items: the console's legibility
# items of issue 12 (7 and 13) in headless Chromium (console_items.test.mjs),
# served over the shipped rule data (the party-lists rule set starts in
# 1997) and a fresh database with one license: the rules timeline (2022 to
# today by default, zoom, every name whole, a legend), ISO dates on every
# page, country pickers with names and the exporting country, lower bounds
# (">= 6,016") where the CLI prints them, chart points labelled and the
# chips left off named, one page after sign-in, and a "no such license"
# card.  Screenshots (1366x900) are kept in BUILD/browser-artifacts/console_items/.
# Usage: console_items.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
bin=$1 src=$2
here=$src/tests/browser
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
shots=$(cd "$(dirname "$bin")" && pwd)/browser-artifacts/console_items
rm -rf "$shots"; mkdir -p "$shots"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export TOLLGATE_DB=$tmp/t.db TOLLGATE_DATA=$src/data
unset TG_SCREEN_THRESHOLD
admin=$("$bin" token add --name admin-ada --role admin 2>/dev/null)
"$bin" license add --number CI-1 --holder "Acme Cloud" --chip nv-h20 --to CN --qty 100 \
  --from 2025-01-01 --until 2027-06-30 >/dev/null
. "$src/tests/serve_start.sh"
serve_start "$bin" "$tmp" --threads 2
pid=$serve_pid url=$serve_url
cd "$here"
BASE_URL=$url TOKEN=$admin SHOTS=$shots node console_items.test.mjs
