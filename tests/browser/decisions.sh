#!/usr/bin/env bash
# decisions.sh - ctest browser.decisions: screening decisions in the console
# (issue 12), in headless Chromium (decisions.test.mjs) over a fresh database
# that starts with the UN sample list only: an officer adds a license whose
# end user is on the CSL, an admin imports the CSL from the Lists page and
# (a file over 1 MiB, streamed to POST /v1/lists/upload) and
# sees the re-screen's alert, the officer clears the hit as a false positive
# from the Alerts page and sees it cleared in a later screening; a viewer is
# offered no clearing form.  Afterwards the trail holds each decision with
# its actor; the cleared party's shipment is recorded, and a batch POST
# /v1/shipments refusal is on the trail.  Screenshots (1366x900) go to BUILD/browser-artifacts/decisions/.
# Usage: decisions.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
bin=$1 src=$2
here=$src/tests/browser
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
shots=$(cd "$(dirname "$bin")" && pwd)/browser-artifacts/decisions
rm -rf "$shots"; mkdir -p "$shots"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
export TOLLGATE_DB=$tmp/t.db
unset TOLLGATE_DATA TG_SCREEN_THRESHOLD
"$bin" lists import "$src/tests/screen/data/un-sample.xml" >/dev/null
officer=$("$bin" token add --name officer-olga --role officer 2>/dev/null)
admin=$("$bin" token add --name admin-ada --role admin 2>/dev/null)
viewer=$("$bin" token add --name viewer-vic --role viewer 2>/dev/null)
. "$src/tests/serve_start.sh"
serve_start "$bin" "$tmp" --threads 2
pid=$serve_pid url=$serve_url
# the CSL sample padded past the 1 MiB request bound with JSON white space
mkdir "$tmp/big"
{ cat "$src/tests/screen/data/csl-subset.compact.json"; head -c 1300000 /dev/zero | tr '\0' ' '; } \
  >"$tmp/big/csl-subset.compact.json"
(cd "$here" && BASE_URL=$url TOKEN=$officer ADMIN=$admin VIEWER=$viewer SHOTS=$shots \
  LIST_FILE="$tmp/big/csl-subset.compact.json" WEAK_FILE="$src/tests/screen/data/un-weak.xml" node decisions.test.mjs)
# the party cleared in the console no longer blocks its shipment; a batch
# refusal through the API is on the trail too
[ "$(curl -s -o "$tmp/ship.json" -w '%{http_code}' -H "Authorization: Bearer $officer" \
  -d '{"chip": "nv-h20", "to": "DE", "hq": "DE", "end_user": "Dahua Technology", "qty": 1, "unit_price": 100, "on": "2025-09-02"}' \
  "$url/v1/shipments")" = 200 ] || fail "the cleared party's shipment: $(head -c 300 "$tmp/ship.json")"
curl -s -o /dev/null -H "Authorization: Bearer $officer" \
  -d '[{"chip": "nv-h20", "to": "DE", "hq": "DE", "end_user": "Sugon", "qty": 1, "unit_price": 100, "on": "2025-09-02"}]' "$url/v1/shipments"
"$bin" audit export --out "$tmp/trail.jsonl"
python3 - "$tmp/trail.jsonl" <<'PY' || fail "decisions not audited with their actors"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
have = {(r["action"], r["actor"]) for r in recs}
for want in [("license.add", "officer-olga"), ("lists.import", "admin-ada"),
             ("screening.alert", "admin-ada"), ("screening.rescreen", "admin-ada"),
             ("screening.clear", "officer-olga"), ("screening.alert_clear", "officer-olga"),
             ("screening.run", "officer-olga"), ("shipment.refuse", "officer-olga")]:
    assert want in have, (want, sorted(have))
refused = sorted(r["subject"] for r in recs if r["action"] == "shipment.refuse")
assert refused == ["party:Sugon"], refused
PY
"$bin" audit verify >/dev/null || fail "audit verify"
[ "$("$bin" alerts --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["open"])')" = 0 ] || fail "an alert is still open"
[ -s "$shots/alert-raised.png" ] && [ -s "$shots/hit-cleared.png" ] || fail "artifacts missing"
echo ok
