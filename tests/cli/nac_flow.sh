#!/usr/bin/env bash
# License Exception NAC in the ledger (15 CFR 740.8(a); BIS's NAC
# procedure on bis.gov): a NAC shipment waits for BIS's authorization
# number, not for a delay; the notification names one consignee, one end
# user and at most six items; submitted, authorized, objected and expired
# notifications are recorded and audited.  The RTX 4090 (3A090.a, not for
# datacenters, TPP >= 4800) to China goes under NAC (89 FR 23876).
# Usage: nac_flow.sh TOLLGATE SOURCE_DIR
set -euo pipefail
TG=$1 SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TOLLGATE_DB=$tmp/t.db TOLLGATE_USER=officer
fail() { echo "FAIL: $*"; exit 1; }
run() { # EXPECTED_EXIT CMD...
  local want=$1; shift
  set +e; out=$("$@" 2>&1); got=$?; set -e
  [ "$got" = "$want" ] || fail "'$*' exited $got, expected $want: $out"
}
has() { case "$out" in *"$1"*) ;; *) fail "expected '$1' in: $out" ;; esac; }
# the parties are screened (a UVL party may not use NAC, 744.15(b)): load a list
run 0 "$TG" lists import "$SRC/tests/cli/data/csl-meu-uvl.compact.json"
SHIP=(ship --chip nv-rtx4090 --to CN --hq CN --end-use none --qty 2 --unit-price 1600 --end-user "Lotus Render Co")
# the check says to wait for BIS's answer
run 0 "$TG" check --chip nv-rtx4090 --to CN --hq CN --end-use none --on 2025-06-01 --json
has '"wait_for"'; has 'NAC authorization number'
# no notification: refused; a bare --notified date is not enough
run 1 "$TG" "${SHIP[@]}" --on 2025-06-30 --notified 2025-06-01
has "requires a notification to BIS and its authorization"
run 2 "$TG" nac add --reference SNAP-1 --chip nv-rtx4090 --chip nv-rtx4090 --chip nv-rtx4090 \
  --chip nv-rtx4090 --chip nv-rtx4090 --chip nv-rtx4090 --chip nv-rtx4090 --to CN \
  --consignee "Lotus Render Co" --end-user "Lotus Render Co" --submitted 2025-06-01
has "limited to 6 items"
run 0 "$TG" nac add --reference SNAP-1 --chip nv-rtx4090 --to CN --consignee "Lotus Render Co" \
  --end-user "Lotus Render Co" --submitted 2025-06-01
has "submitted"
# 29 days later, BIS has not answered: still refused
run 1 "$TG" "${SHIP[@]}" --on 2025-06-30 --nac SNAP-1
has "not yet authorized"
run 0 "$TG" nac authorize SNAP-1 --number A123456 --on 2025-06-20 --until 2026-06-19
has "authorized (authorization A123456)"
run 0 "$TG" "${SHIP[@]}" --on 2025-06-30 --nac SNAP-1 --json
has '"exception": "NAC"'; has '"notified_on": "2025-06-01"'
# another end user: refused
run 1 "$TG" ship --chip nv-rtx4090 --to CN --hq CN --end-use none --qty 1 --unit-price 1600 --end-user "Other" --on 2025-07-01 --nac SNAP-1
has "names the end user 'Lotus Render Co'"
# expiry, then refused; an objection
run 0 "$TG" nac expire SNAP-1 --on 2025-08-01
run 1 "$TG" "${SHIP[@]}" --on 2025-08-02 --nac SNAP-1
has "is expired"
run 0 "$TG" nac add --reference SNAP-2 --chip nv-rtx4090 --to CN --consignee "Lotus Render Co" \
  --end-user "Lotus Render Co" --submitted 2025-08-01
run 0 "$TG" nac object SNAP-2 --on 2025-08-15
run 1 "$TG" "${SHIP[@]}" --on 2025-08-20 --nac SNAP-2
has "is objected"
run 1 "$TG" nac authorize SNAP-2 --number A9 --on 2025-08-16
has "cannot become authorized"
run 0 "$TG" nac list --json
has '"status": "expired"'; has '"status": "objected"'
# every change is in the audit trail, and the chain verifies
run 0 "$TG" audit export --out "$tmp/audit.jsonl"
[ "$(grep -c '"nac:SNAP-' "$tmp/audit.jsonl")" = 5 ] || fail "expected 5 NAC audit records"
run 0 "$TG" audit verify
# audit verify replays NAC rows like licenses and shipments: a notification
# changed or added behind Tollgate's back is found
cp "$tmp/t.db" "$tmp/tamper.db"
sqlite3 "$tmp/tamper.db" "UPDATE nac_notifications SET status = 'authorized', nac_number = 'A999' WHERE reference = 'SNAP-2'"
TOLLGATE_DB=$tmp/tamper.db run 1 "$TG" audit verify --json
has '"ok": false'; has '"subject": "nac:SNAP-2"'; has 'changed outside Tollgate'
cp "$tmp/t.db" "$tmp/tamper.db"
sqlite3 "$tmp/tamper.db" "INSERT INTO nac_notifications (reference, items, destination, consignee, end_user, submitted_on, status, created_at, created_by) VALUES ('SNAP-X', '[\"nv-rtx4090\"]', 'CN', 'A', 'B', '2025-06-01', 'authorized', '2025-06-01T00:00:00Z', 'x')"
TOLLGATE_DB=$tmp/tamper.db run 1 "$TG" audit verify --json
has '"subject": "nac:SNAP-X"'; has 'added outside Tollgate'
echo ok
