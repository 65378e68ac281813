#!/usr/bin/env bash
# workflow.sh - ctest browser.workflow: the console's writing pages driven
# end to end in headless Chromium (workflow.test.mjs) over a fresh database
# with a real list subset imported: screen a name and a CSV file (columns
# chosen, report downloaded), the lists page, add a license, record a
# shipment from a check, reverse it with a reason, verify the audit trail,
# and a viewer who sees no writing forms.  Afterwards every write is in the
# audit trail with the officer's name.  Screenshots (1366x900) are kept in
# BUILD/browser-artifacts/workflow/.
# Usage: workflow.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
bin=$1 src=$2
here=$src/tests/browser
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
shots=$(cd "$(dirname "$bin")" && pwd)/browser-artifacts/workflow
rm -rf "$shots"; mkdir -p "$shots"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
export TOLLGATE_DB=$tmp/t.db
unset TOLLGATE_DATA TG_SCREEN_THRESHOLD
"$bin" lists import "$src/tests/screen/data/csl-subset.compact.json" >/dev/null
officer=$("$bin" token add --name officer-olga --role officer 2>/dev/null)
viewer=$("$bin" token add --name viewer-vic --role viewer 2>/dev/null)
. "$src/tests/serve_start.sh"
serve_start "$bin" "$tmp" --threads 2
pid=$serve_pid url=$serve_url
(cd "$here" && BASE_URL=$url TOKEN=$officer VIEWER=$viewer SHOTS=$shots node workflow.test.mjs)
# every write the console made is on the trail with the officer as actor
"$bin" audit export --out "$tmp/trail.jsonl"
for action in license.add shipment.record shipment.reverse; do
  python3 - "$tmp/trail.jsonl" "$action" <<'PY' || fail "$action not audited with its actor"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert any(r["action"] == sys.argv[2] and r["actor"] == "officer-olga" for r in recs), [(r["action"], r["actor"]) for r in recs]
PY
done
"$bin" audit verify >/dev/null || fail "audit verify"
[ -s "$shots/screen-batch.png" ] && [ -s "$shots/screening-report.csv" ] || fail "artifacts missing"
echo ok
