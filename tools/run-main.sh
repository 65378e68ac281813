#!/usr/bin/env bash
# The main job of `make run`: a table of every catalog chip's
# classification today, then the China determination for one unit of each.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/tollgate
today=$(date -u +%F)
echo "== Tollgate: catalog classification on $today =="
"$bin" chips --on "$today"
echo
echo "== Determination for one unit of each chip to China (CN) on $today =="
printf '%-16s %-20s %-10s %-8s %-24s %s\n' chip verdict eccn exception review_policy fee
"$bin" chips --json | python3 -c 'import json,sys; [print(c["id"]) for c in json.load(sys.stdin)]' |
while read -r id; do
  "$bin" check --chip "$id" --to CN --hq CN --on "$today" --json |
    python3 -c 'import json,sys
r=json.load(sys.stdin)
fee=r["fee"]
mark = "" if r["determined"] else " (undetermined)"
print("%-16s %-20s %-10s %-8s %-24s %-5s%s" % (r["chip"], r["verdict"], r["eccn"] or "-", r["exception"] or "-", r["review_policy"] or "-", ("%g%%" % (fee["rate"]*100)) if fee else "-", mark))'
done
echo
echo "(undetermined: the answer rests on an unknown chip figure and is the conservative one)"
echo "Tollgate is not legal advice. 'tollgate check --chip ID --to CC' explains any row."
