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
# The January 2026 case-by-case policy (91 FR 1684) requires the exporter's
# attestations: without --attest the answer says none was stated and, above
# the license exception's line, the policy stays a presumption of denial
# that turns on them (undetermined); with all five, case-by-case ends at
# TPP 21000.
[ "$(field "$tmp/env.json" "d['attestations']")" = None ] || fail "envelope states no attestations"
[ "$(field "$tmp/env.json" "any('--attest' in a for a in d['assumptions'])")" = True ] || fail "envelope names its attestation assumption"
grep -q "Attestations: none stated" "$tmp/env.txt" || fail "envelope text names the attestations"
[ "$(field "$tmp/env.json" "d['headline']['largest_tpp']['case_by_case']['tpp']")" = 4736.0 ] || fail "without attestations case-by-case ends with the exception (TPP 4736)"
[ "$(field "$tmp/env.json" "any(o['class'] == 'presumption_of_denial' and o['undetermined'] for o in d['outcomes'])")" = True ] || fail "without attestations the 2026 policy is open"
"$bin" envelope --to CN --on 2026-02-01 --attest us-available,us-supply,foundry,security,testing --json >"$tmp/env-att.json"
[ "$(field "$tmp/env-att.json" "d['headline']['largest_tpp']['case_by_case']['tpp']")" = 21000.0 ] || fail "case-by-case ends at TPP 21000 (91 FR 1684)"
"$bin" envelope --to CN --on 2026-02-01 --attest bogus 2>"$tmp/err" && fail "bad attestation accepted"
grep -q "bogus" "$tmp/err" || fail "bad attestation message"
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

# Timeline and diff: the A800 from free to controlled on 2023-10-23, when the
# USG made the 88 FR 73458 requirements effective immediately for it (NVIDIA
# Form 8-K filed 2023-10-24), then classified 3A090.a by the rule on 2023-11-17.
"$bin" timeline nv-a800-sxm --to CN --hq CN --until 2026-06-30 >"$tmp/tl.txt"
grep -q "2023-10-23  presumption_of_denial" "$tmp/tl.txt" || fail "A800 timeline (acceleration)"
grep -q "2023-11-17  presumption_of_denial ECCN 3A090.a" "$tmp/tl.txt" || fail "A800 timeline (88 FR 73458)"
"$bin" diff --from 2023-01-01 --until 2024-01-01 --to CN --hq CN --chip nv-a800-sxm --json >"$tmp/diff.json"
[ "$(field "$tmp/diff.json" "d['changed'][0]['steps'][0]['caused_by'][0]['rule_set']")" = us-2023-10-23-nvidia-acceleration ] || fail "diff cause (acceleration)"
[ "$(field "$tmp/diff.json" "[c['rule_set'] for c in d['changed'][0]['steps'][1]['caused_by']]" | grep -c us-bis-2023-11-17-advanced-computing)" = 1 ] || fail "diff cause (88 FR 73458)"
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
grep -q "bad.jsonl:1: chip" "$tmp/err" || fail "bad book message: $(cat "$tmp/err")"
printf '%s\n' '{"chip": "nv-a100-sxm", "to": "CN", "on": "2027-01-01", "qty": "ten"}' >"$tmp/bad.jsonl"
"$bin" recheck "$tmp/bad.jsonl" --against "$tmp/new" 2>"$tmp/err" && fail "bad qty accepted"
grep -q "bad.jsonl:1: qty" "$tmp/err" || fail "bad qty message: $(cat "$tmp/err")"

# Order facts: timeline, diff and derate take those of check and state
# them.  A restricted end use (supercomputer, 15 CFR 744.23) licenses the
# A100 to China from the 2022 rule on, which the default (no restricted end
# use) does not; every answer lists its assumptions.
"$bin" timeline nv-a100-sxm --to CN --hq CN --until 2022-12-31 --end-use supercomputer --json >"$tmp/tl-eu.json"
[ "$(field "$tmp/tl-eu.json" "d['scenario']['end_use']")" = supercomputer ] || fail "timeline scenario end use"
[ "$(field "$tmp/tl-eu.json" "d['timeline'][-1]['verdict']")" = license_required ] || fail "end use licenses the A100: $(cat "$tmp/tl-eu.json")"
"$bin" timeline nv-a100-sxm --to CN --hq CN --until 2022-12-31 >"$tmp/tl-none.txt"
grep -q "no restricted end use is known" "$tmp/tl-none.txt" || fail "timeline text states its end-use assumption"
"$bin" timeline nv-a100-sxm --to CN --end-use bogus 2>"$tmp/err" && fail "bad end use accepted"
grep -q "bogus" "$tmp/err" || fail "bad end use message"
"$bin" timeline nv-a100-sxm --to CN --attest nonsense 2>"$tmp/err" && fail "bad attestation accepted (timeline)"
# Whether a foreign-made item is subject to the EAR (--made-in, --us-content,
# --direct-product, as check takes them): stated when given, said to be
# unstated otherwise; from Malaysia without them answers are undetermined.
"$bin" envelope --to CN --on 2026-02-01 --from MY --json >"$tmp/env-my.json"
[ "$(field "$tmp/env-my.json" "d['made_in'] is None and any(o['undetermined'] for o in d['outcomes'])")" = True ] || fail "envelope from MY without origin facts"
[ "$(field "$tmp/env-my.json" "any('--made-in' in a for a in d['assumptions'])")" = True ] || fail "envelope states the origin-facts assumption"
"$bin" envelope --to CN --on 2026-02-01 --from MY --made-in TW --direct-product technology --json >"$tmp/env-tw.json"
[ "$(field "$tmp/env-tw.json" "(d['made_in'], d['direct_product'], any(o['undetermined'] for o in d['outcomes']))")" = "('TW', 'technology', False)" ] || fail "envelope with origin facts: $(field "$tmp/env-tw.json" "d['outcomes']")"
"$bin" timeline nv-h100-sxm --to CN --origin MY --made-in TW --us-content 5 --direct-product none --json >"$tmp/tl-tw.json"
[ "$(field "$tmp/tl-tw.json" "(d['scenario']['made_in'], d['scenario']['us_content_pct'], d['scenario']['direct_product'])")" = "('TW', 5.0, 'none')" ] || fail "timeline scenario origin facts"
"$bin" derate nv-h100-sxm --to CN --made-in XX 2>"$tmp/err" && fail "bad --made-in accepted"
grep -q "made in: 'XX'" "$tmp/err" || fail "bad --made-in message: $(cat "$tmp/err")"
"$bin" diff --from 2023-01-01 --until 2024-01-01 --direct-product bogus 2>"$tmp/err" && fail "bad --direct-product accepted"
grep -q "direct product: 'bogus'" "$tmp/err" || fail "bad --direct-product message: $(cat "$tmp/err")"
# China's measures on the H20 are a timeline of their own, never a US step.
"$bin" timeline nv-h20 --to CN --json >"$tmp/tl-h20.json"
[ "$(field "$tmp/tl-h20.json" "[s['on'] for s in d['other_jurisdictions']['CN']]")" = "['2025-07-31', '2025-08-12', '2025-11-05']" ] || fail "H20 CN-side timeline: $(field "$tmp/tl-h20.json" "d['other_jurisdictions']")"
[ "$(field "$tmp/tl-h20.json" "[c['rule_set'] for s in d['timeline'] for c in s.get('caused_by', []) if c['rule_set'].startswith('cn-')]")" = "[]" ] || fail "a CN rule set caused a US step"
"$bin" timeline nv-a100-sxm --to CN --datacenter maybe 2>"$tmp/err" && fail "bad datacenter accepted"
grep -q "datacenter" "$tmp/err" || fail "bad datacenter message"
"$bin" timeline nv-l40s --to CN --hq CN --datacenter no --until 2026-06-30 --json >"$tmp/tl-dc.json"
[ "$(field "$tmp/tl-dc.json" "d['scenario']['datacenter']")" = False ] || fail "datacenter override stated"
"$bin" derate nv-h100-sxm --to CN --hq CN --on 2024-06-01 --end-use supercomputer --json >"$tmp/der-eu.json"
# the end-use control (744.23) catches every item but EAR99: only cuts to
# EAR99 levels (TPP < 64 with the interconnect < 150) escape it, not the
# TPP < 2400 cut that suffices without it
[ "$(field "$tmp/der-eu.json" "len(d['alternatives']) > 0 and all(c['to'] <= 64 for a in d['alternatives'] for c in a['cuts'] if c['metric'] == 'tpp')")" = True ] || fail "end-use derate: $(head -c 600 "$tmp/der-eu.json")"
field "$tmp/der-eu.json" "d['assumptions'][0]" | grep -q "end use is the one given" || fail "derate states the end use"
"$bin" derate nv-h100-sxm --to CN --hq CN --on 2024-06-01 | grep -q "Assumptions:" || fail "derate text assumptions"
"$bin" diff --from 2022-01-01 --until 2023-01-01 --to CN --hq CN --end-use supercomputer --chip nv-a100-sxm --json >"$tmp/diff-eu.json"
[ "$(field "$tmp/diff-eu.json" "d['changed'][0]['after']['verdict']")" = license_required ] || fail "diff with end use"

# diff --catalog: a user's catalog file in the catalog's own format.
python3 - "$src/data/catalog/chips.yaml" "$tmp/mine.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read()
start = text.index("  - id: nv-a800-sxm")
end = text.index("\n  - id:", start + 5)
open(sys.argv[2], "w").write("chips:\n" + text[start:end].replace("id: nv-a800-sxm", "id: my-a800-copy") + "\n")
PY
"$bin" diff --from 2023-01-01 --until 2024-01-01 --to CN --hq CN --catalog "$tmp/mine.yaml" --json >"$tmp/diff-mine.json"
[ "$(field "$tmp/diff-mine.json" "[c['chip'] for c in d['changed']]")" = "['my-a800-copy']" ] || fail "diff --catalog: $(head -c 400 "$tmp/diff-mine.json")"
printf 'chips:\n  - id: x\n    tpp: [\n' >"$tmp/bad.yaml"
"$bin" diff --from 2023-01-01 --until 2024-01-01 --catalog "$tmp/bad.yaml" 2>"$tmp/err" && fail "bad catalog accepted"
grep -q "bad.yaml:" "$tmp/err" || fail "bad catalog message: $(cat "$tmp/err")"

# China's lists: imported like the others, screened like the others, and a
# listed party answers under jurisdictions.CN, never in the US verdict.
"$bin" lists import "$src/data/lists/cn-mofcom.csv" >"$tmp/mofcom.txt"
grep -q "mofcom" "$tmp/mofcom.txt" || fail "mofcom import"
"$bin" screen "Lockheed Martin Corporation" >"$tmp/screen-uel.txt"
grep -q "Unreliable Entity List (UEL)" "$tmp/screen-uel.txt" || fail "screen shows the UEL"
# verified announcement numbers are kept with the entry (data/lists/cn-mofcom.csv)
"$bin" screen "Novotech, Inc." --json >"$tmp/screen-ecl.json"
grep -q "No. 22 of 2025" "$tmp/screen-ecl.json" || fail "ECL entry names its announcement: $(head -c 600 "$tmp/screen-ecl.json")"
"$bin" check --chip nv-h20 --to DE --hq DE --on 2026-03-01 --end-user "Lockheed Martin Corporation" --json >"$tmp/cn.json"
"$bin" check --chip nv-h20 --to DE --hq DE --on 2026-03-01 --end-user "Unlisted Buyer GmbH" --json >"$tmp/cn0.json"
[ "$(field "$tmp/cn.json" "d['verdict']")" = "$(field "$tmp/cn0.json" "d['verdict']")" ] || fail "a CN listing changed the US verdict"
[ "$(field "$tmp/cn.json" "[r for r in d['reasons'] if r.get('kind') == 'screening']")" = "[]" ] || fail "a CN listing is a US reason"
[ "$(field "$tmp/cn.json" "sorted(l['list'].split(' (')[0] for l in d['jurisdictions']['CN']['listed_parties'])")" = "['Export Control Control List', 'Unreliable Entity List']" ] || fail "CN listed parties: $(field "$tmp/cn.json" "d['jurisdictions']['CN']")"
field "$tmp/cn.json" "d['jurisdictions']['CN']['listed_parties'][0]['effect']" | grep -q "cannot deal with it" || fail "CN listing effect"
"$bin" check --chip nv-h20 --to DE --hq DE --on 2026-03-01 --end-user "Lockheed Martin Corporation" >"$tmp/cn.txt"
grep -q "CN side (not part of the US verdict)" "$tmp/cn.txt" || fail "CN side in text: $(tail -5 "$tmp/cn.txt")"
printf 'mofcom_list,name,aliases,country,announcement,date,status,source_url,verification,note\nuel,X Corp,,US,,2025-01-01,in_force,https://example.org,secondary,\n' >"$tmp/bad-mofcom.csv"
"$bin" lists import "$tmp/bad-mofcom.csv" 2>"$tmp/err" && fail "entry without announcement accepted"
grep -q "bad-mofcom.csv:2: announcement" "$tmp/err" || fail "bad mofcom message: $(cat "$tmp/err")"
n_mofcom=$(grep -c '^[ue][ec]l,' "$src/data/lists/cn-mofcom.csv")
"$bin" lists >"$tmp/lists.txt"
grep -q "$n_mofcom entries" "$tmp/lists.txt" || fail "a failed import changed the stored list ($n_mofcom entries expected): $(cat "$tmp/lists.txt")"

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
same "/v1/envelope?to=CN&on=2026-02-01&attest=us-available,us-supply,foundry,security,testing" envelope --to CN --on 2026-02-01 --attest us-available,us-supply,foundry,security,testing
same "/v1/chips/nv-h100-sxm/derate?to=CN&hq=CN&on=2024-06-01" derate nv-h100-sxm --to CN --hq CN --on 2024-06-01
same "/v1/chips/nv-h20/timeline?to=CN&hq=CN&until=2026-06-30" timeline nv-h20 --to CN --hq CN --until 2026-06-30
same "/v1/chips/nv-h20/capability?precision=fp16" capability nv-h20 --precision fp16
same "/v1/compare?to=CN&on=2026-02-01&task=inference&count=10" compare --to CN --on 2026-02-01 --task inference --count 10
same "/v1/diff?from=2023-01-01&until=2025-09-01&to=CN&hq=CN" diff --from 2023-01-01 --until 2025-09-01 --to CN --hq CN
same "/v1/rules/changes?since=2025-01-01" rules --changes --since 2025-01-01
same "/v1/chips/nv-a100-sxm/timeline?to=CN&hq=CN&until=2026-06-30&end_use=supercomputer&attest=us-available" timeline nv-a100-sxm --to CN --hq CN --until 2026-06-30 --end-use supercomputer --attest us-available
same "/v1/diff?from=2023-01-01&until=2025-09-01&to=CN&hq=CN&datacenter=0" diff --from 2023-01-01 --until 2025-09-01 --to CN --hq CN --datacenter no
same "/v1/chips/nv-h100-sxm/derate?to=CN&hq=CN&on=2024-06-01&end_use=military" derate nv-h100-sxm --to CN --hq CN --on 2024-06-01 --end-use military
[ "$(get -H "Authorization: Bearer $viewer" "$url/v1/chips/nope/timeline")" = 404 ] || fail "unknown chip"
[ "$(get -H "Authorization: Bearer $viewer" "$url/v1/envelope?die_area=abc")" = 400 ] || fail "bad number"
grep -q "die_area" "$tmp/body" || fail "bad number message"
[ "$(get "$url/v1/envelope")" = 401 ] || fail "envelope without a token"
echo ok
