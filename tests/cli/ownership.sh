#!/usr/bin/env bash
# ownership.sh - the Affiliates Rule's ownership file imported like a list:
# `tollgate ownership import` stores it (one audit record), a check then
# uses the stored records without --ownership, a malformed file is refused
# with file:line and leaves the stored records as they were, and the audit
# chain still verifies.
set -euo pipefail
TG=$1 SRC=$2
. "$SRC/tests/cli/lib/ledger_env.sh"
cd "$SRC"
own=tests/data/ownership/affiliates.csv
order=(check --chip nv-h20 --to DE --hq DE --end-use none --end-user "Example Cloud Subsidiary Co" --on 2026-11-10 --json)

"$TG" lists import tests/screen/data/csl-subset.compact.json >/dev/null
# without ownership records the answer turns on ownership (undetermined)
"$TG" "${order[@]}" >"$T/before.json"
[ "$(json "$T/before.json" 'j["determined"]')" = False ] || fail "ownership unknown must leave the check undetermined"

"$TG" ownership import "$own" --json >"$T/imp.json"
[ "$(json "$T/imp.json" 'j["records"]')" = 7 ] || fail "7 records imported"
"$TG" "${order[@]}" >"$T/after.json"
[ "$(json "$T/after.json" 'j["verdict"]')" = license_required ] || fail "stored ownership not used"
json "$T/after.json" '[r["rule"] for r in j["reasons"]]' | grep -q affiliates-el-2026 || fail "affiliates rule not named"

# a bad file: refused with file:line, nothing replaced
if "$TG" ownership import fuzz/corpus/ownership/bad-percent.csv 2>"$T/err"; then fail "bad file accepted"; fi
grep -q "bad-percent.csv:2: 'percent'" "$T/err" || fail "error does not name file:line: $(cat "$T/err")"
[ "$("$TG" ownership --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])')" = 7 ] ||
  fail "a failed import changed the stored records"

"$TG" audit verify --json >"$T/audit.json"
[ "$(json "$T/audit.json" 'j["ok"]')" = True ] || fail "audit chain does not verify"
echo "ownership: ok"
