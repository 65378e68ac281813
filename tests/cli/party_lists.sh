#!/usr/bin/env bash
# Each party-list rule of data/rules/us-bis-entity-list.yaml, driven through
# `check --end-user` on an order that is otherwise license-free (an RTX 4090 D
# to Germany: 3A991.p, no license).  Entries come from the CSL subset in
# tests/screen/data (copied from the CSL of 2026-07-31): Huawei (Entity List,
# 84 FR 22963), KAL TEK LABS (Denied Persons List, 65 FR 42664), AEROCARIBBEAN
# AIRLINES (SDN, CUBA program), Atlas Sanatgaran (Unverified List).
# Usage: party_lists.sh TOLLGATE SOURCE_DIR
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/t.db
fail() { echo "FAIL: $*"; exit 1; }
TOLLGATE_USER=test "$bin" lists import --db "$db" "$src/tests/screen/data/csl-subset.compact.json" >/dev/null
answer() {
  "$bin" check --db "$db" --chip nv-rtx4090d --to DE --hq DE --on 2025-06-01 --end-user "$1" --json |
    python3 -c 'import json,sys
r = json.load(sys.stdin)
rules = [x["rule"] for x in r["reasons"]] + [w.get("rule", "") for w in r["warnings"]]
print(r["verdict"], r["review_policy"], " ".join(rules))'
}
expect() { # NAME VERDICT POLICY RULE
  out=$(answer "$1")
  case "$out" in "$2 $3 "*"$4"*) ;; *) fail "$1: expected $2 $3 with $4, got: $out" ;; esac
}
expect "Acme Widgets GmbH" no_license_required None ""
expect "Huawei Technologies Co Ltd" license_required presumption_of_denial el-party-license
expect "Kal Tek Labs" license_required presumption_of_denial dpl-party-denied
expect "Aerocaribbean Airlines" license_required presumption_of_denial sdn-party-license
expect "Atlas Sanatgaran" no_license_required None uvl-party
echo "5 passed, 0 failed"
