#!/usr/bin/env bash
# The main job of `make run`: a table of every catalog chip's
# classification today, the China determination for one unit of each, then
# `tollgate serve` on the embedded database (./tollgate.db, or $TOLLGATE_DB)
# at $TOLLGATE_LISTEN (default 127.0.0.1:8080), printing a first admin token
# when the database has none, and the console's URL.  Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/tollgate
today=$(date -u +%F)
listen=${TOLLGATE_LISTEN:-127.0.0.1:8080}
echo "== Tollgate: catalog classification on $today =="
"$bin" chips --on "$today"
echo
echo "== Determination for one unit of each chip to China (CN) on $today =="
printf '%-16s %-20s %-10s %-8s %-24s %s\n' chip verdict eccn exception review_policy fee
# One python for the whole table (each python3 start is slow under pyenv).
"$bin" chips --json | python3 -c 'import json,sys; [print(c["id"]) for c in json.load(sys.stdin)]' |
while read -r id; do
  "$bin" check --chip "$id" --to CN --hq CN --on "$today" --json
done | python3 -c 'import json,sys
text, dec, i = sys.stdin.read(), json.JSONDecoder(), 0
while True:
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    r, i = dec.raw_decode(text, i)
    fee = r["fee"]
    mark = "" if r["determined"] else " (undetermined)"
    print("%-16s %-20s %-10s %-8s %-24s %-5s%s" % (r["chip"], r["verdict"], r["eccn"] or "-", r["exception"] or "-", r["review_policy"] or "-", ("%g%%" % (fee["rate"]*100)) if fee else "-", mark))'
echo
echo "(undetermined: the answer rests on an unknown chip figure and is the conservative one)"
echo "Tollgate is not legal advice. 'tollgate check --chip ID --to CC' explains any row."
echo
admins=$("$bin" token list --json | python3 -c 'import json,sys
print(sum(1 for t in json.load(sys.stdin) if t["role"] == "admin" and not t["revoked_at"]))')
if [ "$admins" = 0 ]; then
  name=admin-$(date -u +%Y%m%d%H%M%S)
  token=$("$bin" token add --name "$name" --role admin 2>/dev/null)
  echo "== First admin token ($name), shown only this once: =="
  echo "$token"
  echo "(more tokens: build/tollgate token add --name NAME --role viewer|officer|admin)"
  echo
fi
echo "== Console: http://$listen/  (sign in with a token; API: http://$listen/v1/openapi.json; Ctrl-C stops) =="
exec "$bin" serve --listen "$listen"
