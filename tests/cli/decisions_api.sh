#!/usr/bin/env bash
# decisions_api.sh - ctest cli.decisions_api: screening decisions over HTTP
# (issue 12).  A list file larger than the 1 MiB request bound is imported
# through POST /v1/lists/upload (streamed to a temporary file under its own
# bound, serve --max-list-upload) while POST /v1/lists refuses it with a 413
# naming the way; past the upload bound the 413 names that bound.  A party
# cleared as a false positive (POST /v1/clearances) no longer blocks its
# shipment (POST /v1/shipments); a new version of the list re-opens the
# clearance: the re-screen alerts the hit again and the shipment is refused.
# Usage: decisions_api.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
tg=$1 src=$2 d=$src/tests/screen/data
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export TOLLGATE_DB=$tmp/t.db
unset TG_SCREEN_THRESHOLD TG_LIST_MAX_AGE
fail() { echo "FAIL: $*"; exit 1; }
j() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/out" "$1"; }

admin=$("$tg" token add --name list-admin --role admin 2>/dev/null)
officer=$("$tg" token add --name officer-ann --role officer 2>/dev/null)
# The list padded past 1 MiB with JSON white space (the same 15 entries).
big=$tmp/csl-subset.compact.json
{ cat "$d/csl-subset.compact.json"; head -c 1300000 /dev/zero | tr '\0' ' '; } >"$big"
[ "$(stat -c %s "$big")" -gt 1048576 ] || fail "the test list is not over 1 MiB"

. "$src/tests/serve_start.sh"
serve_start "$tg" "$tmp" --threads 2 || fail "server did not start"
pid=$serve_pid url=$serve_url
call() { # TOKEN PATH CURL-ARGS...: the status; the body in $tmp/out
  local t=$1 p=$2; shift 2
  curl -s --noproxy '*' -o "$tmp/out" -w '%{http_code}' -H "Authorization: Bearer $t" "$@" "$url$p"
}
# The server's screener follows the stored lists in the background (a
# rebuild on its own thread, swapped in when built): poll a screening
# answer until it names the list published on DATE (at most 60 s).
wait_published() { # DATE
  local i
  for i in $(seq 120); do
    if [ "$(call "$officer" /v1/screen -d '{"name": "Kal Tek Labs"}')" = 200 ] &&
      grep -q "\"published\": *\"$1\"" "$tmp/out"; then return 0; fi
    sleep 0.5
  done
  fail "the server did not take up the list published $1: $(head -c 400 "$tmp/out")"
}

# -- a > 1 MiB list: refused in a JSON body, imported streamed --
python3 -c 'import json,sys; print(json.dumps({"files": [{"name": "csl.json", "content": open(sys.argv[1]).read()}]}))' "$big" >"$tmp/body.json"
[ "$(call "$admin" /v1/lists --data-binary @"$tmp/body.json")" = 413 ] || fail "a 1.3 MB JSON body was not refused"
grep -q "exceeds 1048576 bytes; upload a large list file alone to POST /v1/lists/upload" "$tmp/out" || fail "413 text: $(cat "$tmp/out")"
[ "$(call "$officer" "/v1/lists/upload?name=csl-subset.compact.json" --data-binary @"$d/csl-subset.compact.json")" = 403 ] ||
  fail "an officer imported lists"
[ "$(call "$admin" "/v1/lists/upload?name=../x.json" --data-binary @"$big")" = 400 ] || fail "a path as the name"
[ "$(call "$admin" "/v1/lists/upload?name=csl-subset.compact.json" --data-binary @"$big")" = 200 ] ||
  fail "streamed upload: $(head -c 400 "$tmp/out")"
[ "$(j 'j["imported"][0]["entries"]')" = 15 ] || fail "entries imported"
[ "$(j 'j["imported"][0]["published"]')" = 2026-07-31 ] || fail "published"
wait_published 2026-07-31

# -- a listed party is refused; cleared, its shipment is recorded --
ship='{"chip": "nv-h20", "to": "US", "hq": "US", "qty": 1, "unit_price": 1000, "on": "2025-09-03", "end_user": "Kal Tek Labs"}'
[ "$(call "$officer" /v1/shipments -d "$ship")" = 409 ] || fail "a listed end user's shipment was recorded"
[ "$(call "$officer" /v1/clearances -d '{"party": "Kal Tek Labs", "entry": "KAL TEK LABS", "reason": "Austin TX firm, not the listed one"}')" = 200 ] ||
  fail "clearance: $(cat "$tmp/out")"
[ "$(j 'j["list_version"]')" = "US Consolidated Screening List, published 2026-07-31" ] || fail "clearance version"
[ "$(call "$officer" /v1/shipments -d "$ship")" = 200 ] || fail "cleared party refused: $(head -c 600 "$tmp/out")"
python3 - "$tmp/out" <<'PY' || fail "the shipment's determination does not show the clearance"
import json, sys
j = json.load(open(sys.argv[1]))
rs = [r for r in j["determination"]["reasons"] if r.get("kind") == "screening"]
assert rs and all(r["cleared"] == 1 and r["result"] is False for r in rs), rs
PY

# -- a new list version re-opens it --
sed 's/"sourceGeneratedAt": "2026-07-31T/"sourceGeneratedAt": "2026-08-14T/' "$d/csl-subset.compact.json" >"$tmp/next.json"
[ "$(call "$admin" "/v1/lists/upload?name=csl-next.compact.json" --data-binary @"$tmp/next.json")" = 200 ] || fail "second upload"
[ "$(j '[a["party"] for a in j["rescreen"]["alerts"]]')" = "['Kal Tek Labs']" ] || fail "re-screen alerts: $(j 'j["rescreen"]')"
wait_published 2026-08-14
[ "$(call "$officer" /v1/shipments -d "$ship")" = 409 ] || fail "a clearance of the old list version still counts: $(python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(j.get(\"code\"), j.get(\"reason\"), [r[\"text\"] for r in j.get(\"determination\", {}).get(\"reasons\", []) if r.get(\"kind\") == \"screening\"])" "$tmp/out")"

# -- the upload bound is its own, settable, and named in the 413 --
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
serve_start "$tg" "$tmp" --threads 2 --max-list-upload 1200000 || fail "server did not restart"
pid=$serve_pid url=$serve_url
[ "$(call "$admin" "/v1/lists/upload?name=csl-subset.compact.json" --data-binary @"$big")" = 413 ] || fail "past the upload bound"
grep -q "exceeds the list upload bound of 1200000 bytes (serve --max-list-upload BYTES)" "$tmp/out" || fail "413 text: $(cat "$tmp/out")"
# chunked (no Content-Length): the bound holds while streaming
[ "$(call "$admin" "/v1/lists/upload?name=csl-subset.compact.json" -H 'Transfer-Encoding: chunked' --data-binary @"$big")" = 413 ] ||
  fail "chunked upload past the bound"
"$tg" serve --max-list-upload x 2>"$tmp/err" && fail "a bad --max-list-upload was accepted"
grep -q -- "--max-list-upload: expected a number of bytes" "$tmp/err" || fail "bad option text"
echo ok
