#!/usr/bin/env bash
# The README's "Adding a rule set" walk-through: a new file dropped into
# data/rules/ changes decisions without a rebuild, from its effective date.
# Usage: add_rule_set.sh TOLLGATE SOURCE_DIR
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$src/data" "$tmp/data"
verdict() { "$bin" check --data "$tmp/data" --chip nv-rtx4090d --to CN --hq CN --end-use none --on "$1" --json |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], r["review_policy"])'; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(verdict 2027-02-01)" = "no_license_required None" ] || fail "before adding: $(verdict 2027-02-01)"
"$bin" rules --validate "$src/docs/examples/2027-01-01-example-rule-set.yaml" >/dev/null
cp "$src/docs/examples/2027-01-01-example-rule-set.yaml" "$tmp/data/rules/"
[ "$(verdict 2027-02-01)" = "license_required case_by_case" ] || fail "after adding: $(verdict 2027-02-01)"
[ "$(verdict 2026-12-31)" = "no_license_required None" ] || fail "before its effective date: $(verdict 2026-12-31)"
listing=$("$bin" rules --data "$tmp/data" --on 2027-02-01 --json)
case "$listing" in *'"example-2027-01-01-named-product"'*) ;; *) fail "rules does not list it" ;; esac

# A malformed rule file stops the engine with file:line:column.
printf 'rule_set: broken\ntitle: x\njurisdiction: x\ncitation: x\nsource: x\neffective: 2027-01-01\nverification: unverified\nrules:\n  - id: r1\n    warning: w\n    when: tpp >= \n    cite: c\n    text: t\n' > "$tmp/data/rules/zz-broken.yaml"
set +e
out=$("$bin" check --data "$tmp/data" --chip nv-h20 --to CN --on 2027-02-01 2>&1)
rc=$?
set -e
[ $rc -eq 2 ] || fail "broken rule file: exit $rc"
echo "$out" | grep -q 'zz-broken.yaml:11:' || fail "no file:line in: $out"
echo "1 passed, 0 failed"
