#!/usr/bin/env bash
# workflow.sh - ctest cli.workflow: the officer's day in the CLI (issue 12).
# The screening threshold as one setting (--threshold, $TG_SCREEN_THRESHOLD,
# the request's "threshold", serve --threshold) stated in every answer;
# screening evidence (lists, publication dates, entry counts, stale-list
# warnings) in screen and check answers; batch screening by named columns,
# every hit kept and a summary always; hit lists that say how many more;
# shipments that name and screen their end user and are never future-dated.
# Usage: workflow.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
tg=$1 src=$2 d=$src/tests/screen/data
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export TOLLGATE_DB=$tmp/t.db TOLLGATE_USER=officer-ann
unset TG_SCREEN_THRESHOLD TG_LIST_MAX_AGE
fail() { echo "FAIL: $*"; exit 1; }
run() { # STATUS CMD...: output in $tmp/out, $tmp/err
  local want=$1; shift
  set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?; set -e
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want: $(head -c 600 "$tmp/out" "$tmp/err")"
}
j() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/out" "$1"; }

"$tg" lists import "$d/csl-subset.compact.json" "$d/un-sample.xml" >/dev/null

# -- 1. the threshold: default, flag, environment; shown in every answer --
run 0 "$tg" screen "Huawei Technologies" --json
[ "$(j 'j["threshold"]')" = 0.88 ] || fail "default threshold"
[ "$(j 'j["screening"]["threshold"]')" = 0.88 ] || fail "evidence threshold"
TG_SCREEN_THRESHOLD=0.95 run 0 "$tg" screen "Huawei Technologies" --json
[ "$(j 'j["threshold"]')" = 0.95 ] || fail "\$TG_SCREEN_THRESHOLD has no effect"
TG_SCREEN_THRESHOLD=0.95 run 0 "$tg" screen "Huawei Technologies" --threshold 0.7 --json
[ "$(j 'j["threshold"]')" = 0.7 ] || fail "--threshold does not win over the environment"
[ "$(j 'all(h["score"] >= 0.7 for h in j["hits"])')" = True ] || fail "a hit under the threshold"
run 0 "$tg" screen "Huawei Technologies" --min-score 0.9 --json
[ "$(j 'j["threshold"]')" = 0.9 ] || fail "--min-score (older name)"
run 2 "$tg" screen x --threshold 1.5
grep -q -- "--threshold: expected a number in (0, 1]" "$tmp/err" || fail "bad threshold message"
TG_SCREEN_THRESHOLD=abc run 2 "$tg" screen x
grep -q "TG_SCREEN_THRESHOLD" "$tmp/err" || fail "bad environment threshold not named"
run 0 "$tg" check --chip nv-h20 --to DE --hq DE --end-user "Siemens AG" --threshold 0.93 --json
[ "$(j 'j["screening"]["threshold"]')" = 0.93 ] || fail "check answer lacks its threshold"
run 0 "$tg" check --chip nv-h20 --to DE --hq DE --end-user "Siemens AG" --threshold 0.93
grep -q "screened at threshold 0.93" "$tmp/out" || fail "check text lacks the threshold"

# -- screening evidence: lists, versions, dates, counts; stale warning --
run 0 "$tg" screen "Huawei Technologies" --json
[ "$(j '[l["kind"] for l in j["screening"]["lists"]]')" = "['csl', 'un']" ] || fail "lists searched"
[ "$(j 'j["screening"]["lists"][0]["published"]')" = 2026-07-31 ] || fail "publication date"
[ "$(j 'j["screening"]["lists"][0]["entries"]')" = 15 ] || fail "entry count"
[ "$(j 'j["screening"]["max_age_days"]')" = 30 ] || fail "default max age"
# the CSL subset of 2026-07-31 is stale after 30 days, not after 100000
today=$(date -u +%F)
if [[ $today > 2026-08-30 ]]; then
  [ "$(j 'j["screening"]["lists"][0]["stale"]')" = True ] || fail "stale list not flagged"
  grep -q "published [0-9]* days ago" <<<"$(j 'j["warnings"]')" || fail "no stale warning"
fi
TG_LIST_MAX_AGE=99999 run 0 "$tg" screen "Huawei Technologies" --json
[ "$(j 'j["screening"]["lists"][0]["stale"]')" = False ] || fail "TG_LIST_MAX_AGE ignored"
run 0 "$tg" screen "Huawei Technologies"
grep -q "searched: US Consolidated Screening List (csl), published 2026-07-31, 15 entries" "$tmp/out" ||
  fail "screen text lacks the lists: $(cat "$tmp/out")"

# -- 4. a cut hit list says how many more --
run 0 "$tg" screen "Technologies" --threshold 0.3 --limit 1 --json
total=$(j 'j["hits_total"]')
[ "$total" -gt 1 ] || fail "expected several hits for a low threshold, got $total"
[ "$(j 'len(j["hits"])')" = 1 ] || fail "--limit 1"
run 0 "$tg" screen "Technologies" --threshold 0.3 --limit 1
grep -q "and $((total - 1)) more hits at or above 0.30 not shown" "$tmp/out" || fail "no 'more' line: $(tail -3 "$tmp/out")"

# -- 3. batch: columns by name, refusal naming the header, all hits, summary --
printf 'customer_id,company,country,address\n7,Huawei Technologies Co Ltd,,Shenzhen\n8,Nordvale Precision GmbH,DE,Berlin\n9,Technologies,,\n' >"$tmp/b.csv"
run 2 "$tg" screen --batch "$tmp/b.csv"
grep -q "no column 'name' in the header 'customer_id,company,country,address'" "$tmp/err" || fail "header refusal: $(cat "$tmp/err")"
run 2 "$tg" screen --batch "$tmp/b.csv" --name-column company --id-column nope
grep -q "no column 'nope'" "$tmp/err" || fail "missing named id column"
run 0 "$tg" screen --batch "$tmp/b.csv" --name-column company --id-column customer_id --threshold 0.4
grep -q '^1,"7","Huawei Technologies Co Ltd",,yes' "$tmp/out" || fail "batch by named columns: $(cat "$tmp/out")"
grep -q '^2,"8","Nordvale Precision GmbH",DE,' "$tmp/out" || fail "second row"
# "Technologies" matches several entries (the fitted scorer keeps one for Huawei)
many=$(grep -c '^3,' "$tmp/out")
[ "$many" -gt 1 ] || fail "only the best hit kept at threshold 0.4 ($many rows)"
hits=$(grep -c '^[13],' "$tmp/out")
grep -q "^screened 3 names: 2 with hits ($hits hits at or above 0.40; 0 already cleared, $hits open)" "$tmp/err" || fail "summary: $(cat "$tmp/err")"
# a header-less file is refused, not screened from its second line
printf 'Huawei Technologies\nSiemens AG\n' >"$tmp/nohead.csv"
run 2 "$tg" screen --batch "$tmp/nohead.csv"
grep -q "header 'Huawei Technologies'" "$tmp/err" || fail "header-less file"

# -- 2 and 12. shipments: end user required, screened, never future-dated --
run 0 "$tg" license add --number L-7 --holder "Acme" --chip nv-h20 --to CN --to HK --end-user "Example Cloud Co" \
  --qty 10000 --from 2025-01-01 --until 2027-12-31
run 2 "$tg" ship --chip nv-h20 --to DE --hq DE --qty 1 --unit-price 100 --on 2025-09-01
grep -q -- "--end-user is required" "$tmp/err" || fail "ship without end user"
run 0 "$tg" ship --chip nv-h20 --to DE --hq DE --end-user "Siemens AG" --qty 1 --unit-price 100 --on 2025-09-01 --json
[ "$(j 'j["end_user"]')" = "Siemens AG" ] || fail "end user not recorded"
run 1 "$tg" ship --chip nv-h20 --to DE --hq DE --end-user "Huawei Technologies Co Ltd" --qty 1 --unit-price 100 \
  --on 2025-09-01 --json
[ "$(j 'j["code"]')" = license_required ] || fail "a listed end user was not refused: $(j 'j["code"]')"
[ "$(j 'any(r.get("kind") == "screening" for r in j["determination"]["reasons"])')" = True ] || fail "no screening reason"
# 10 and 12: HK kept as entered beside the EAR's country; text views;
# license show lists its shipments and the payments they incurred
run 0 "$tg" ship --chip nv-h20 --to HK --hq CN --end-user "Example Cloud Co" --qty 1200 --unit-price 12000 \
  --on 2025-09-03 --license L-7
grep -q "x1,200 to HK (EAR: CN) on 2025-09-03, USD 14,400,000.00" "$tmp/out" || fail "ship text: $(cat "$tmp/out")"
grep -q "payment owed: USD 2,160,000.00" "$tmp/out" || fail "payment with separators"
id=$(grep -o "shipment #[0-9]*" "$tmp/out" | tr -dc 0-9)
run 0 "$tg" shipments show "$id"
grep -q "to HK (EAR: CN)" "$tmp/out" || fail "shipments show is not text: $(head -3 "$tmp/out")"
grep -q "payment       USD 2,160,000.00 (15% of value" "$tmp/out" || fail "shipments show payment"
run 0 "$tg" license show L-7
grep -q "Shipments under L-7:" "$tmp/out" || fail "license show lists no shipments"
grep -q "HK (EAR: CN) *1,200 *14,400,000.00" "$tmp/out" || fail "license shipments row: $(cat "$tmp/out")"
grep -q "Payments under revenue-share-15: USD 2,160,000.00 owed" "$tmp/out" || fail "license payments: $(cat "$tmp/out")"
run 0 "$tg" shipments
grep -q "HK (EAR: CN)" "$tmp/out" || fail "shipments list folds HK into CN"
run 0 "$tg" fees --year 2025
grep -q "Owed under revenue-share-15: USD 2,160,000.00" "$tmp/out" || fail "fees text lacks thousands separators: $(tail -1 "$tmp/out")"
tomorrow=$(date -u -d tomorrow +%F)
run 1 "$tg" ship --chip nv-h20 --to DE --hq DE --end-user "Siemens AG" --qty 1 --unit-price 100 --on "$tomorrow" --json
[ "$(j 'j["code"]')" = future_date ] || fail "a future-dated shipment was accepted"
run 1 "$tg" ship --batch - --json <<<'{"chip": "nv-h20", "to": "DE", "hq": "DE", "qty": 1, "unit_price": 1, "on": "2025-09-01"}'
[ "$(j 'j["code"]')" = end_user ] || fail "batch shipment without an end user"

# -- 5. a date before the first rule set is not modelled: refused --
run 2 "$tg" check --chip nv-h20 --to CN --hq CN --on 2021-01-01
grep -q "2021-01-01 is not modelled: the first rule set that classifies chips takes effect on 2022-10-07" "$tmp/err" ||
  fail "early date: $(cat "$tmp/err")"

# an undetermined answer says so in its verdict and names the deciding facts;
# reasons that applied come before the rules that did not
run 0 "$tg" check --chip nv-h200-sxm --to DE --on 2026-03-01
grep -q "^Verdict: UNDETERMINED (may be license_required)" "$tmp/out" || fail "undetermined verdict: $(grep Verdict "$tmp/out")"
grep -q "^UNDETERMINED: not final; it depends on: hq" "$tmp/out" || fail "deciding facts not named"
run 0 "$tg" check --chip nv-h20 --to CN --hq CN --on 2025-09-01
awk '/^Reasons:/{r=NR} /^Checked, did not apply:/{c=NR} /✗/{x=NR; if(!fx)fx=NR} /✓/{lv=NR} END{exit !(r && c && r<c && lv<c && fx>c)}' "$tmp/out" ||
  fail "reasons not ordered applied-first: $(sed -n '/Reasons/,/Warning/p' "$tmp/out")"

# -- check --batch: CSV by header names, or JSON lines; a summary always --
printf 'id,chip,to,hq,qty,unit_price,on,end_user,end_use\n1,nv-h20,CN,CN,10,12000,2025-09-01,Example Cloud Co,none\n2,nv-h200-sxm,DE,,1,30000,2026-03-01,,none\n3,nope,DE,DE,1,1,2025-01-01,,\n4,nv-h20,DE,DE,5,100,2025-09-01,Huawei Technologies Co Ltd,none\n' >"$tmp/orders.csv"
run 2 "$tg" check --batch "$tmp/orders.csv"
[ "$(wc -l <"$tmp/out")" = 5 ] || fail "check --batch rows: $(cat "$tmp/out")"
grep -q '^1,"nv-h20",CN,license_required,yes,3A991.p,case_by_case,18000.00,0,$' "$tmp/out" || fail "batch row 1: $(cat "$tmp/out")"
grep -q '^2,"nv-h200-sxm",DE,license_required,no,' "$tmp/out" || fail "batch undetermined row"
grep -q "^3,\"nope\",DE,error,,,,,,\"unknown chip 'nope'\"" "$tmp/out" || fail "batch error row"
grep -q '^4,"nv-h20",DE,license_required,yes,.*,1,$' "$tmp/out" || fail "batch screening hit"
grep -q "^checked 4 orders: 3 license_required, 0 license_exception, 0 no_license_required; 1 undetermined; 1 not checked" "$tmp/err" ||
  fail "batch summary: $(cat "$tmp/err")"
printf '{"chip": "nv-h20", "to": "CN", "hq": "CN", "qty": 2, "unit_price": 100, "on": "2025-09-01", "end_use": "none"}\n\n{"chip": "nv-h20", "to": "US", "hq": "US", "on": "2025-09-01"}\n' >"$tmp/orders.jsonl"
run 0 "$tg" check --batch "$tmp/orders.jsonl" --json
[ "$(python3 -c 'import json,sys; print([(j["row"], j["verdict"], j["fee"]["amount_cents"] if j.get("fee") else None) for j in map(json.loads, open(sys.argv[1]))])' "$tmp/out")" = \
  "[(1, 'license_required', 3000), (2, 'no_license_required', None)]" ] || fail "batch JSON lines: $(cat "$tmp/out")"
grep -q "^checked 2 orders" "$tmp/err" || fail "JSON lines summary"
# a line longer than 8,191 bytes is read whole, not split into two orders
python3 -c 'print("note,chip,to,hq"); print("x" * 10000 + ",nv-h20,DE,DE")' >"$tmp/long.csv"
run 0 "$tg" check --batch "$tmp/long.csv"
[ "$(wc -l <"$tmp/out")" = 2 ] || fail "a long line split: $(head -c 300 "$tmp/out")"
grep -q '^1,"nv-h20",DE,' "$tmp/out" || fail "the long line's order"
grep -q "^checked 1 order" "$tmp/err" || fail "long line summary: $(cat "$tmp/err")"
printf 'name,country\nx,DE\n' >"$tmp/bad.csv"
run 2 "$tg" check --batch "$tmp/bad.csv"
grep -q "the header needs the columns chip and to (has: name,country)" "$tmp/err" || fail "bad header: $(cat "$tmp/err")"

# -- the same over HTTP: per-request threshold, server default, shipments --
. "$src/tests/serve_start.sh"
tok=$("$tg" token add --name api-officer --role officer 2>/dev/null)
serve_start "$tg" "$tmp" --threads 2 --threshold 0.91 || fail "server did not start"
pid=$serve_pid url=$serve_url
post() { curl -s --noproxy '*' -o "$tmp/out" -w '%{http_code}' -H "Authorization: Bearer $tok" -d "$2" "$url$1"; }
[ "$(post /v1/screen '{"name": "Huawei Technologies"}')" = 200 ] || fail "screen over HTTP"
[ "$(j 'j["threshold"]')" = 0.91 ] || fail "serve --threshold is not the default"
[ "$(post /v1/screen '{"name": "Huawei Technologies", "threshold": 0.6}')" = 200 ] || fail "screen threshold"
[ "$(j 'j["threshold"]')" = 0.6 ] || fail "the request's threshold"
[ "$(post /v1/screen '{"name": "x", "threshold": 0}')" = 400 ] || fail "threshold 0 accepted"
[ "$(post /v1/checks '{"chip": "nv-h20", "to": "DE", "hq": "DE", "end_user": "Siemens AG"}')" = 200 ] || fail "check"
[ "$(j 'j["screening"]["threshold"]')" = 0.91 ] || fail "check over HTTP lacks the server threshold"
[ "$(post /v1/checks '{"chip": "nv-h20", "to": "DE", "hq": "DE", "end_user": "Siemens AG", "threshold": 0.99}')" = 200 ] || fail "check threshold"
[ "$(j 'j["screening"]["threshold"]')" = 0.99 ] || fail "check's own threshold"
[ "$(post /v1/shipments '{"chip": "nv-h20", "to": "DE", "hq": "DE", "qty": 1, "unit_price": 5, "on": "2025-09-02"}')" = 409 ] ||
  fail "a shipment without end user over HTTP"
[ "$(j 'j["code"]')" = end_user ] || fail "HTTP refusal code"
[ "$(post /v1/shipments "{\"chip\": \"nv-h20\", \"to\": \"DE\", \"hq\": \"DE\", \"qty\": 1, \"unit_price\": 5, \"on\": \"$tomorrow\", \"end_user\": \"Siemens AG\"}")" = 409 ] ||
  fail "a future shipment over HTTP"
[ "$(j 'j["code"]')" = future_date ] || fail "HTTP future refusal code"
echo ok
