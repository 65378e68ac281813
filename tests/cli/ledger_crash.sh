#!/usr/bin/env bash
# ledger_crash.sh - durability: a writer recording a stream of shipments
# (ship --batch, one line of output per committed shipment) is killed with
# SIGKILL at three different moments; afterwards every shipment it
# reported as recorded is in the database, the license's use equals its
# shipments, and the audit chain verifies.
# runs on: sqlite postgresql
set -euo pipefail
TG=$1 SRC=$2
. "$SRC/tests/cli/lib/ledger_env.sh"
ledger_fixture_data
ledger_lists

"$TG" license add --number L-1 --holder Acme --chip nv-h20 --to CN --qty 1000000 \
  --from 2025-08-15 --until 2026-01-14 --json >/dev/null
python3 - "$T/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        cn = i % 3 == 0
        f.write(json.dumps({"chip": "nv-h20", "to": "CN" if cn else "US", "hq": "CN" if cn else "US",
                            "qty": 1 + i % 7, "unit_price": "%d.%02d" % (10000 + i, i % 100),
                            "on": "2025-09-%02d" % (1 + i % 28), "license": "L-1" if cn else None,
                            "reference": "PO-%d" % i, "end_user": "Example Cloud Co"}) + "\n")
PY

for round in 1 2 3; do
  want=$((15 * round))
  "$TG" ship --batch "$T/in.jsonl" >"$T/out.$round" 2>"$T/err.$round" &
  pid=$!
  for _ in $(seq 1 2000); do   # until it has reported enough (or 20 s)
    [ "$(wc -l <"$T/out.$round")" -ge "$want" ] && break
    sleep 0.01
  done
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  # complete lines only: a line is printed after its commit
  python3 - "$T/out.$round" >"$T/ids.$round" <<'PY'
import json, sys
data = open(sys.argv[1]).read()
for line in data.split("\n")[:-1]:
    j = json.loads(line)
    assert "id" in j, line
    print(j["id"])
PY
  n=$(wc -l <"$T/ids.$round")
  [ "$n" -ge "$want" ] || fail "round $round: only $n shipments reported"
  "$TG" shipments --json >"$T/all.json"
  python3 - "$T/all.json" "$T/ids.$round" <<'PY' || fail "round $round: reported shipments missing"
import json, sys
have = {s["id"] for s in json.load(open(sys.argv[1]))["shipments"]}
missing = [int(x) for x in open(sys.argv[2]) if int(x) not in have]
sys.exit(1 if missing else 0)
PY
  "$TG" audit verify --json >"$T/v.json" || fail "round $round: audit does not verify: $(cat "$T/v.json")"
done

# the license's use equals the sum of its recorded shipments
"$TG" license show L-1 --json >"$T/l.json"
"$TG" shipments --license L-1 --json >"$T/s.json"
python3 - "$T/l.json" "$T/s.json" <<'PY' || fail "license use does not match its shipments"
import json, sys
l, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sys.exit(0 if l["used"]["qty"] == sum(x["qty"] for x in s["shipments"]) else 1)
PY
echo "ledger_crash: ok"
