#!/usr/bin/env bash
# console.sh - ctest browser.console: starts `tollgate serve` on 127.0.0.1
# and a free port over a fresh database and the fixture data, makes an admin
# token, and runs console.test.mjs in headless Chromium.  Installs the
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
. "$src/tests/serve_start.sh"
serve_start "$bin" "$tmp" --threads 2
pid=$serve_pid url=$serve_url
cd "$here"
BASE_URL=$url TOKEN=$token node console.test.mjs
