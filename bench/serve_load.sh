#!/usr/bin/env bash
# serve_load.sh - load benchmark of `tollgate serve` with wrk on loopback:
# classification GETs and check POSTs (one order, and 100 orders a request).
# Every answer is compared with the expected body (a wrong or failed answer
# fails the run); the server's RSS is read before, between runs and after
# a long soak, to show memory stays flat, and the server's CPU time per
# request (what the server costs, whatever else the machine runs).  Not a test: figures go in the
# README.  Usage: bench/serve_load.sh [SECONDS per run, default 20]
# [SOAK seconds, default 120].  Env: THREADS (server), CONNS (wrk; the
# 100-order run uses 4), WRK_THREADS (default 2), TOLLGATE_BIN (default
# build/tollgate: another build's binary, to compare two builds on the
# same machine state).  The 100-order run is made twice: every answer
# compared in wrk's Lua (which costs wrk a third of its CPU for 2.2 MB
# answers, taken from the server on the same two CPUs), and "sampled":
# three wrk connections that only count non-2xx answers, and a fourth
# (curl) that sends the same request back to back and compares each of
# its answers byte for byte (the figure adds its requests to wrk's).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${TOLLGATE_BIN:-build/tollgate}
secs=${1:-20} soak=${2:-120}
conns=${CONNS:-32} threads=${THREADS:-$(nproc)} wthreads=${WRK_THREADS:-2}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export TOLLGATE_DB=$tmp/bench.db
token=$("$bin" token add --name bench --role viewer 2>/dev/null)
. tests/serve_start.sh
serve_start "$bin" "$tmp" --threads "$threads"
pid=$serve_pid url=$serve_url
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
# the server's CPU time (user + system, clock ticks): a figure that does
# not depend on what else the machine runs, unlike requests/s
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
curl_() { curl -s --noproxy '*' -H "Authorization: Bearer $token" "$@"; }

# Expected answers, from the server itself and checked against the CLI.
on=2025-09-01
curl_ -o "$tmp/class.json" "$url/v1/chips/nv-h20/classification?on=$on"
diff <(cat "$tmp/class.json"; echo) <("$bin" classify nv-h20 --on $on --json) >/dev/null ||
  { echo "server and CLI classifications differ"; exit 1; }
echo '{"chip": "nv-h20", "to": "CN", "hq": "CN", "qty": 100, "unit_price": 12000, "on": "'$on'"}' >"$tmp/one.json"
curl_ -o "$tmp/one.out" --data-binary @"$tmp/one.json" "$url/v1/checks"
diff <(cat "$tmp/one.out"; echo) <("$bin" check --chip nv-h20 --to CN --hq CN --qty 100 --unit-price 12000 --on $on --json) >/dev/null ||
  { echo "server and CLI checks differ"; exit 1; }
"$bin" chips --json | python3 -c 'import json,sys
ids=[c["id"] for c in json.load(sys.stdin)]
print(json.dumps([{"chip": ids[i % len(ids)], "to": "CN", "hq": "CN", "qty": 1 + i, "on": sys.argv[1]} for i in range(100)]))' $on >"$tmp/batch.json"
curl_ -o "$tmp/batch.out" --data-binary @"$tmp/batch.json" "$url/v1/checks"

# The sampled batch run's fourth connection: while $3 runs, POSTs $1 ten
# times a curl (one kept-alive connection) and compares every answer with
# $2; counts in $tmp/sampled and $tmp/sampled.wrong.
sampler() {
  local i outs
  : >"$tmp/sampled"; : >"$tmp/sampled.wrong"
  while kill -0 "$3" 2>/dev/null; do
    outs=()
    for i in $(seq 10); do rm -f "$tmp/s.$i"; outs+=(-o "$tmp/s.$i" "$url/v1/checks"); done
    curl_ --data-binary @"$1" "${outs[@]}" || true
    for i in $(seq 10); do
      if cmp -s "$tmp/s.$i" "$2"; then echo >>"$tmp/sampled"; else echo >>"$tmp/sampled.wrong"; fi
    done
  done
}

run() { # name seconds method path body expect [connections] [sampled]
  local rps p99 wrong errs c0 c1 n us lua=bench/check_answers.lua wpid spid
  local wc=${7:-$conns}
  [ -n "${8:-}" ] && lua=bench/check_status.lua wc=$((wc - 1)) # the sampler is the last
  c0=$(cpu)
  METHOD=$3 REQ_PATH=$4 BODY_FILE=$5 EXPECT_FILE=$6 TOKEN=$token \
    wrk -t"$wthreads" -c"$wc" -d"$2"s --timeout 10s --latency -s $lua "$url" >"$tmp/wrk.out" &
  wpid=$!
  if [ -n "${8:-}" ]; then sampler "$5" "$6" "$wpid" & spid=$!; fi
  wait "$wpid"
  [ -n "${8:-}" ] && wait "$spid"
  c1=$(cpu)
  rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out")
  n=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
  if [ -n "${8:-}" ]; then # wrk's and the sampler's requests
    n=$(( n + $(cat "$tmp/sampled" "$tmp/sampled.wrong" | wc -l) ))
    rps=$(awk -v n="$n" -v s="$2" 'BEGIN {printf "%.2f", n / s}')
  fi
  p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")
  wrong=$(awk '/^WRONG/ {print $2}' "$tmp/wrk.out")
  if [ -n "${8:-}" ]; then # the sampled answers (at least one compared)
    wrong=$(wc -l <"$tmp/sampled.wrong")
    [ -s "$tmp/sampled" ] || wrong="none compared"
    wrong="$wrong of $(( $(wc -l <"$tmp/sampled") + $(wc -l <"$tmp/sampled.wrong") )) sampled"
  fi
  errs=$(grep -E 'Socket errors|Non-2xx' "$tmp/wrk.out" || true)
  us=$(awk -v c=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", n ? c / hz * 1e6 / n : 0}')
  printf '%-36s %3s conns %9s req/s   p99 %-9s wrong %s   server CPU %6s us/req   RSS %s KiB\n' "$1" "${7:-$conns}" "$rps" "$p99" "$wrong" "$us" "$(rss)"
  case $wrong in 0 | "0 of "*) ;; *) errs="wrong: $wrong" ;; esac
  [ -z "$errs" ] || { cat "$tmp/wrk.out"; exit 1; }
}
echo "tollgate serve: $threads threads; wrk: $wthreads threads, $conns connections, ${secs}s a run; $(nproc) CPUs"
echo "RSS at start: $(rss) KiB"
run "warm-up (classification GET)" 5 GET "/v1/chips/nv-h20/classification?on=$on" "" "$tmp/class.json"
r0=$(rss)
run "GET /v1/chips/{id}/classification" "$secs" GET "/v1/chips/nv-h20/classification?on=$on" "" "$tmp/class.json"
run "POST /v1/checks (1 order)" "$secs" POST /v1/checks "$tmp/one.json" "$tmp/one.out"
run "POST /v1/checks (100 orders)" "$secs" POST /v1/checks "$tmp/batch.json" "$tmp/batch.out" 4
run "the same, answers sampled" "$secs" POST /v1/checks "$tmp/batch.json" "$tmp/batch.out" 4 sampled
r1=$(rss)
run "soak: POST /v1/checks (1 order)" "$soak" POST /v1/checks "$tmp/one.json" "$tmp/one.out"
r2=$(rss)
echo "RSS after warm-up $r0 KiB, after the runs $r1 KiB, after the ${soak}s soak $r2 KiB"
growth=$(( r2 - r1 ))
if [ "$growth" -gt 8192 ]; then echo "memory grew by $growth KiB during the soak"; exit 1; fi
echo "memory flat: the soak changed RSS by $growth KiB"
