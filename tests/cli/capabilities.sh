#!/usr/bin/env bash
# capabilities.sh - ctest cli.capabilities: envelope, derate, capability,
# compare, timeline, diff and rules --changes from the CLI (text and
# --json, bad input refused with exit 2 naming the field), and each API
# route answering byte for byte what the CLI prints with --json.
# Usage: capabilities.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export TOLLGATE_DATA=$src/data TOLLGATE_DB=$tmp/t.db
fail() { echo "FAIL: $*"; exit 1; }
get() { curl -s --noproxy '*' -o "$tmp/body" -w '%{http_code}' "$@"; }
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

# Text output names the headline and the rules drawing edges.
"$bin" envelope --to CN --on 2026-02-01 >"$tmp/env.txt"
grep -q "Largest TPP" "$tmp/env.txt" || fail "envelope text"
grep -q "case-by-case-2026" "$tmp/env.txt" || fail "envelope names the 2026 rule"
"$bin" envelope --to CN --on 2026-02-01 --json >"$tmp/env.json"
[ "$(field "$tmp/env.json" "d['headline']['largest_tpp']['case_by_case']['tpp']")" = 21000.0 ] || fail "case-by-case ends at TPP 21000 (91 FR 1684)"
[ "$(field "$tmp/env.json" "d['headline']['largest_tpp']['no_license_required']['tpp']")" = 2400.0 ] || fail "no license below TPP 2400 at 800 mm2 (3A090.b)"
"$bin" envelope --to CN --on 2023-01-01 --json >"$tmp/env22.json"
[ "$(field "$tmp/env22.json" "sorted(d['axes'].keys())")" = "['io_bw_gbs', 'memory_bw_gbs', 'pd', 'tpp']" ] || fail "2022 axes"
field "$tmp/env22.json" "[t['value'] for t in d['axes']['io_bw_gbs']['thresholds']]" | grep -q 600 || fail "2022 interconnect line 600 GB/s (87 FR 62186)"

# Derate: the H100 to an H20-like part (TPP < 2400) in 2024; every alternative confirmed.
"$bin" derate nv-h100-sxm --to CN --hq CN --on 2024-06-01 --json >"$tmp/der.json"
[ "$(field "$tmp/der.json" "d['alternatives'][0]['cuts'][0]['to']")" = 2400.0 ] || fail "H100 derate to TPP < 2400"
[ "$(field "$tmp/der.json" "all(a['direct_check']['agrees'] for a in d['alternatives'])")" = True ] || fail "derate not confirmed"
"$bin" derate nv-h100-sxm --to CN --goal nothing 2>"$tmp/err" && fail "bad goal accepted"
grep -q "goal 'nothing'" "$tmp/err" || fail "bad goal message"

# Capability and compare.
"$bin" capability nv-h20 --model-params 70e9 --precision fp8 | grep -q "memory bandwidth / (parameters x bytes per parameter)" || fail "capability formula"
"$bin" capability nv-h20 --precision fp3 2>"$tmp/err" && fail "bad precision accepted"
grep -q "fp3" "$tmp/err" || fail "bad precision message"
"$bin" compare --to CN --on 2026-02-01 --task training --count 100 | grep -q "Shippable" || fail "compare text"

# Timeline and diff: the A800 from free to controlled on 2023-11-17.
"$bin" timeline nv-a800-sxm --to CN --hq CN --until 2026-06-30 | grep -q "2023-11-17  presumption_of_denial" || fail "A800 timeline"
"$bin" diff --from 2023-01-01 --until 2024-01-01 --to CN --hq CN --chip nv-a800-sxm --json >"$tmp/diff.json"
[ "$(field "$tmp/diff.json" "d['changed'][0]['steps'][0]['caused_by'][0]['rule_set']")" = us-bis-2023-11-17-advanced-computing ] || fail "diff cause"
"$bin" diff --from 2024-01-01 --until 2023-01-01 2>/dev/null && fail "reversed dates accepted"
"$bin" rules --changes --since 2026-01-01 | grep -q "us-bis-2026-01-15-review-policy" || fail "rule changes"
"$bin" timeline nv-a800-sxm --to XX 2>"$tmp/err" && fail "bad country accepted"
grep -q "XX" "$tmp/err" || fail "bad country message"

# Re-checking an order book against a new rule set (the README's example
# file, 2027-01-01) reports exactly the order it changes.
mkdir "$tmp/new" && cp -r "$src/data/." "$tmp/new/"
cp "$src/docs/examples/2027-01-01-example-rule-set.yaml" "$tmp/new/rules/"
printf '%s\n' '{"chip": "nv-rtx4090d", "to": "CN", "hq": "CN", "qty": 10, "unit_price": 1600, "on": "2027-02-01", "end_use": "none"}' \
  '{"chip": "nv-rtx4090d", "to": "CN", "hq": "CN", "on": "2026-12-31", "end_use": "none"}' \
  '{"chip": "nv-a100-sxm", "to": "DE", "hq": "DE", "on": "2027-02-01", "end_use": "none"}' >"$tmp/book.jsonl"
"$bin" recheck "$tmp/book.jsonl" --against "$tmp/new" --json >"$tmp/re.json"
[ "$(field "$tmp/re.json" "[c['line'] for c in d['changed']]")" = "[1]" ] || fail "recheck: $(cat "$tmp/re.json")"
[ "$(field "$tmp/re.json" "d['changed'][0]['after']['review_policy']")" = case_by_case ] || fail "recheck policy"
echo '{"chip": "nope", "to": "CN", "on": "2027-01-01"}' >"$tmp/bad.jsonl"
"$bin" recheck "$tmp/bad.jsonl" --against "$tmp/new" 2>"$tmp/err" && fail "bad book accepted"
grep -q "line 1: chip" "$tmp/err" || fail "bad book message"

# The API answers exactly what the CLI prints.
viewer=$("$bin" token add --name cap-viewer --role viewer 2>/dev/null)
. "$src/tests/serve_start.sh"
serve_start "$bin" "$tmp" --threads 2 || fail "server did not start"
pid=$serve_pid url=$serve_url
same() { # PATH CLI-ARGS...
  local path=$1; shift
  [ "$(get -H "Authorization: Bearer $viewer" "$url$path")" = 200 ] || fail "GET $path: $(cat "$tmp/body")"
  "$bin" "$@" --json >"$tmp/cli.json"
  diff <(cat "$tmp/body"; echo) "$tmp/cli.json" >/dev/null || fail "GET $path differs from the CLI"
}
same "/v1/envelope?to=CN&on=2026-02-01" envelope --to CN --on 2026-02-01
same "/v1/chips/nv-h100-sxm/derate?to=CN&hq=CN&on=2024-06-01" derate nv-h100-sxm --to CN --hq CN --on 2024-06-01
same "/v1/chips/nv-h20/timeline?to=CN&hq=CN&until=2026-06-30" timeline nv-h20 --to CN --hq CN --until 2026-06-30
same "/v1/chips/nv-h20/capability?precision=fp16" capability nv-h20 --precision fp16
same "/v1/compare?to=CN&on=2026-02-01&task=inference&count=10" compare --to CN --on 2026-02-01 --task inference --count 10
same "/v1/diff?from=2023-01-01&until=2025-09-01&to=CN&hq=CN" diff --from 2023-01-01 --until 2025-09-01 --to CN --hq CN
same "/v1/rules/changes?since=2025-01-01" rules --changes --since 2025-01-01
[ "$(get -H "Authorization: Bearer $viewer" "$url/v1/chips/nope/timeline")" = 404 ] || fail "unknown chip"
[ "$(get -H "Authorization: Bearer $viewer" "$url/v1/envelope?die_area=abc")" = 400 ] || fail "bad number"
grep -q "die_area" "$tmp/body" || fail "bad number message"
[ "$(get "$url/v1/envelope")" = 401 ] || fail "envelope without a token"
echo ok
