#!/usr/bin/env bash
# The Military End-User List and the Unverified List as license effects,
# through `check --end-user` against two entries of the CSL of 2026-07-31
# (tests/cli/data/csl-meu-uvl.compact.json):
#  - 15 CFR 744.21 and Supp. No. 2 to Part 744 (which names 3A991): an RTX
#    4090 D (3A991.p) to China needs no license, but to an MEU-List party
#    it needs one (presumption of denial);
#  - 15 CFR 744.15(b): no license exception for a UVL party: an RTX 4090
#    (3A090.a, not for datacenters) to Vietnam goes under ACA, but not to a
#    UVL party.
# Usage: meu_uvl.sh TOLLGATE SOURCE_DIR
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/t.db
fail() { echo "FAIL: $*"; exit 1; }
TOLLGATE_USER=test "$bin" lists import --db "$db" "$src/tests/cli/data/csl-meu-uvl.compact.json" >/dev/null
answer() { # CHIP TO END_USER
  local eu=()
  [ -n "$3" ] && eu=(--end-user "$3")
  "$bin" check --db "$db" --chip "$1" --to "$2" --hq "$2" --on 2025-06-01 --end-use none "${eu[@]}" --json |
    python3 -c 'import json,sys
r = json.load(sys.stdin)
rules = [x["rule"] for x in r["reasons"] if x.get("result") is True] + [w.get("rule", "") for w in r["warnings"]]
print(r["verdict"], r["exception"], r["review_policy"], " ".join(rules))'
}
expect() { # CHIP TO END_USER PREFIX RULE
  out=$(answer "$1" "$2" "$3")
  case "$out" in "$4 "*"$5"*) ;; *) fail "$1 to $2 for '$3': expected '$4' with $5, got: $out" ;; esac
}
MEU="Academy of Aerospace Solid Propulsion Technology (AASPT)"
expect nv-rtx4090d CN "" "no_license_required None None" ""
expect nv-rtx4090d CN "$MEU" "license_required None presumption_of_denial" meu-party-license
expect nv-rtx4090 VN "" "license_exception ACA None" aca
expect nv-rtx4090 VN "Atlas Sanatgaran" "license_required None presumption_of_approval" uvl-party
echo ok
