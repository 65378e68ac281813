#!/usr/bin/env bash
# payments.sh - payments as records through the CLI with the shipped rule
# sets: an H20 shipment owes the 15% remittance (revenue-share-15) and an
# H200 shipment the 25% Section 232 duty (section-232-duty); each has its
# own owed figure, due date and status, never one sum; payments are
# recorded (overpayment and unknown targets refused with nothing written,
# amounts past the bounds refused), paid by shipment and by license
# (oldest dues first), listed page by page, audited with their actor; the
# due rule is a setting with its source; the fees CSV carries no total row.
# Due dates: 15%: no source fixes one (30 days, a setting); 232 duty: 10
# working days after entry, 19 CFR 142.12(b) (data/migrations/009).
# runs on: sqlite postgresql
set -euo pipefail
TG=$1 SRC=$2
. "$SRC/tests/cli/lib/ledger_env.sh"
ledger_lists
expect_exit() { # STATUS CMD...: run, require exit STATUS
  local want=$1; shift
  set +e; "$@" >"$T/last" 2>"$T/last.err"; local got=$?; set -e
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want: $(cat "$T/last" "$T/last.err")"
}
has() { grep -q -- "$1" "$T/last" || fail "expected '$1' in: $(cat "$T/last")"; }
hasnt() { ! grep -q -- "$1" "$T/last" || fail "did not expect '$1' in: $(cat "$T/last")"; }
err_has() { grep -q -- "$1" "$T/last.err" || fail "expected '$1' on stderr: $(cat "$T/last.err")"; }
ATTEST=us-available,us-supply,foundry,security,testing

expect_exit 0 "$TG" license add --number D1 --holder "Acme AI Systems" --chip nv-h20 --to CN \
  --end-user "Example Cloud Co" --qty 1000 --from 2025-08-15 --until 2029-08-14
expect_exit 0 "$TG" ship --chip nv-h20 --to CN --hq CN --end-use none --end-user "Example Cloud Co" \
  --qty 400 --unit-price 12000 --on 2025-09-10 --license D1
has 'payment owed: USD 720,000.00'
expect_exit 0 "$TG" license add --number H1 --holder "Acme AI Systems" --chip nv-h200-sxm --to CN \
  --qty 1000 --from 2026-01-15 --until 2027-01-14
expect_exit 0 "$TG" ship --chip nv-h200-sxm --to US --hq US --end-user "Example Cloud Co" --qty 20 \
  --unit-price 30000 --on 2026-01-20
expect_exit 0 "$TG" ship --chip nv-h200-sxm --to CN --hq CN --end-use none --end-user "Example Cloud Co" \
  --qty 10 --unit-price 30000 --on 2026-02-02 --license H1 --attest $ATTEST
has 'payment owed: USD 75,000.00'

# -- two arrangements, each its own owed figure and due date --
expect_exit 0 "$TG" payment dues --json
cp "$T/last" "$T/dues.json"
[ "$(json "$T/dues.json" '[a["owed_usd"] for a in j["arrangements"] if a["obligations"]]')" = "['720000.00', '75000.00']" ] ||
  fail "owed by arrangement: $(cat "$T/dues.json")"
[ "$(json "$T/dues.json" '[(o["shipment"], o["arrangement"], o["due_on"], o["status"]) for o in j["obligations"]]')" = \
  "[(1, 'revenue-share-15', '2025-10-10', 'overdue'), (3, 'section-232-duty', '2026-02-16', 'overdue')]" ] ||
  fail "obligations: $(cat "$T/dues.json")"   # 2026-02-02 (Mon) + 10 working days = 2026-02-16
hasnt '"total'
expect_exit 0 "$TG" payment dues
has 'revenue-share-15'; has 'owed USD 720,000.00, paid USD 0.00, outstanding USD 720,000.00'
has '19 CFR 142.12(b)'; has 'no source fixes it'
has 'arrangements are never added together'

# -- refusals write nothing --
expect_exit 1 "$TG" payment add --arrangement section-232-duty --shipment 3 --amount 75000.01 \
  --date 2026-02-10 --reference CBP-ENTRY-1
err_has 'more than the USD 75000.00 outstanding'
expect_exit 2 "$TG" payment add --arrangement revenue-share-15 --shipment 3 --amount 10 \
  --date 2026-02-10 --reference X
err_has "owes nothing under arrangement 'revenue-share-15'"
expect_exit 2 "$TG" payment add --arrangement section-232-duty --shipment 3 --amount 99999999999999999999 \
  --date 2026-02-10 --reference X
expect_exit 2 "$TG" payment add --arrangement section-232-duty --shipment 3 --license H1 --amount 1 \
  --date 2026-02-10 --reference X
expect_exit 2 "$TG" payment add --arrangement section-232-duty --shipment 3 --amount 1 --date 2026-02-10
err_has 'reference'
expect_exit 0 "$TG" payment list --json
has '"count": 0'

# -- the duty paid in full by shipment; the remittance in two parts by license --
expect_exit 0 "$TG" payment add --arrangement section-232-duty --shipment 3 --amount 75000 \
  --date 2026-02-10 --reference CBP-ENTRY-1
has 'Recorded payment #1: USD 75,000.00 under section-232-duty'; has 'paid'
expect_exit 0 "$TG" payment add --arrangement revenue-share-15 --license D1 --amount 700000 \
  --date 2025-10-01 --reference WIRE-1 --json
has '"status": "overdue"'; has '"outstanding_usd": "20000.00"'
expect_exit 0 "$TG" payment add --arrangement revenue-share-15 --license D1 --amount 20000.00 \
  --date 2025-10-05 --reference WIRE-2 --json
has '"status": "paid"'
expect_exit 0 "$TG" payment dues --status overdue --json
has '"obligations": \[\]'
expect_exit 0 "$TG" payment dues --arrangement revenue-share-15 --json
has '"paid_usd": "720000.00"'; has '"outstanding_usd": "0.00"'

# -- listing page by page; the audit trail names the actor --
expect_exit 0 "$TG" payment list --limit 2
has 'WIRE-1'; has 'more follow: --cursor 2'
expect_exit 0 "$TG" payment list --limit 2 --cursor 2 --json
has '"reference": "WIRE-2"'; hasnt 'WIRE-1'
expect_exit 0 "$TG" audit export --out "$T/trail.jsonl"
[ "$(grep -c '"action":"payment.add"' "$T/trail.jsonl")" = 3 ] || fail "payment.add records: $(cat "$T/trail.jsonl")"
grep '"action":"payment.add"' "$T/trail.jsonl" >"$T/pay.jsonl"
grep -q '"actor":"tester"' "$T/pay.jsonl" || fail "actor missing"
expect_exit 0 "$TG" audit verify --json
has '"ok": true'

# -- the due rule is a setting, with its source, audited --
expect_exit 2 "$TG" payment terms revenue-share-15 --due-days 45
expect_exit 2 "$TG" payment terms nothing --due-days 45 --source "test"
expect_exit 0 "$TG" payment terms revenue-share-15 --due-days 45 --source "agreed with the payee (test)"
has 'due 45 days after'
expect_exit 0 "$TG" payment dues --arrangement revenue-share-15 --json
has '"due_on": "2025-10-25"'
expect_exit 0 "$TG" audit export --out "$T/trail.jsonl"
grep -q '"action":"payment.terms"' "$T/trail.jsonl" || fail "terms change not audited"

# -- a reversed shipment owes nothing; its payment is a refund due --
expect_exit 0 "$TG" correct 3 --reason "entered twice"
expect_exit 0 "$TG" payment dues --shipment 3 --json
has '"status": "reversed_refund_due"'; has '"owed_usd": "0.00"'

# -- the fees report: split by arrangement, no total row in the CSV --
expect_exit 0 "$TG" fees --from 2025-01-01 --until 2026-12-31 --csv
has '^id,kind,on,chip,dest,license,arrangement,qty,value_usd,rate,fee_usd$'
has '^1,shipment,2025-09-10,nv-h20,CN,D1,revenue-share-15,400,4800000.00,15%,720000.00$'
has ',section-232-duty,'
hasnt '^total'
expect_exit 0 "$TG" fees --from 2025-01-01 --until 2026-12-31 --csv --totals
has '^arrangement,shipments,qty,value_usd,fee_usd$'
has '^revenue-share-15,1,400,4800000.00,720000.00$'
has '^section-232-duty,2,0,0.00,0.00$'
# -- license amend / extend: each with a reason, audited, refused when the
#    recorded shipments would exceed the changed license --
expect_exit 2 "$TG" license amend D1 --qty 300
err_has 'reason'
expect_exit 1 "$TG" license amend D1 --qty 300 --reason "cut"
err_has '400 units are already shipped under license D1'
expect_exit 1 "$TG" license amend D1 --to US --reason "moved"
err_has 'shipment #1 to CN would no longer be covered'
expect_exit 1 "$TG" license amend D1 --from 2025-10-01 --reason "late start"
err_has 'shipment #1 of 2025-09-10 would fall outside'
expect_exit 1 "$TG" license amend D1 --end-user "Other Co" --reason "new end user"
err_has "would no longer be covered"
expect_exit 0 "$TG" license show D1 --json
has '"qty_limit": 1000'
expect_exit 0 "$TG" license amend D1 --qty 500 --condition "report quarterly" --reason "BIS amendment 1"
has 'Amended License D1'; has 'quantity      400 used of 500, 100 left'; has 'report quarterly'
expect_exit 2 "$TG" license extend D1 --until 2029-01-01 --reason "shorter"
err_has 'ends after'
expect_exit 0 "$TG" license list
has 'D1 .* 100 .*-'   # the quantity left
expect_exit 0 "$TG" license amend D1 --qty 5000 --reason "BIS amendment 2"
has 'quantity      400 used of 5,000, 4,600 left'
expect_exit 0 "$TG" license extend D1 --until 2030-08-14 --reason "BIS extension"
has '2025-08-15 to 2030-08-14'
expect_exit 0 "$TG" audit export --out "$T/trail.jsonl"
grep '"action":"license.amend"' "$T/trail.jsonl" >"$T/amend.jsonl"
[ "$(wc -l <"$T/amend.jsonl")" = 4 ] || fail "license.amend: the license and the change: $(cat "$T/amend.jsonl")"
grep -q 'BIS amendment 1' "$T/amend.jsonl" || fail "the reason is not on the trail"
grep -q '"action":"license.extend"' "$T/trail.jsonl" || fail "license.extend not audited"
expect_exit 0 "$TG" audit verify --json
has '"ok": true'

# -- the cap's headroom in units: 20 H200 to US customers allow 10 to China
#    (the 50% the rules imposed on shipment #3); #3 was reversed, so 10 left --
expect_exit 0 "$TG" license show H1
has 'TPP cap       nv-h200-sxm: 50% (from the rules, as imposed on shipment #3)'
has 'headroom 10 units'
has 'Payments under section-232-duty'
# -- a copy (tollgate migrate) carries the payments, the terms set and the
#    license changes; a new database has no terms rows to clash with --
if [ "$LEDGER_BACKEND" = sqlite ]; then
  expect_exit 0 "$TG" migrate --from "sqlite:$T/ledger.db" --to "sqlite:$T/copy.db"
  has '"payments": 3'; has '"payment_terms": 1'; has '"license_changes": 3'
  TOLLGATE_DB="$T/copy.db" expect_exit 0 "$TG" payment dues --arrangement revenue-share-15 --json
  has '"due_on": "2025-10-25"'
fi
echo "payments: ok"
