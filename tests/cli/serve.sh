#!/usr/bin/env bash
# serve.sh - ctest cli.serve: `tollgate token add|list|revoke`, `tollgate
# serve` over loopback (the same answers as `tollgate check --json`, tokens
# refused once revoked, a clean stop on SIGTERM), and `tollgate plot`.
# Usage: serve.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export TOLLGATE_DATA=$src/tests/fixtures/data TOLLGATE_DB=$tmp/t.db
fail() { echo "FAIL: $*"; exit 1; }
get() { curl -s --noproxy '*' -o "$tmp/body" -w '%{http_code}' "$@"; }

# Tokens: printed once, listed without the secret, names never reused.
admin=$("$bin" token add --name ops-admin --role admin 2>/dev/null)
[[ $admin =~ ^tg_[A-Za-z0-9_-]{43}$ ]] || fail "token format: $admin"
viewer=$("$bin" token add --name ops-viewer --role viewer --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
"$bin" token add --name ops-admin --role viewer 2>/dev/null && fail "a name was reused"
"$bin" token add --name x --role root 2>/dev/null && fail "a bad role was accepted"
"$bin" token list | grep -q "ops-viewer *viewer" || fail "token list"
"$bin" token list --json | grep -q "${admin:3:20}" && fail "token list shows a secret"

. "$src/tests/serve_start.sh"
serve_start "$bin" "$tmp" --threads 2 || fail "server did not start"
pid=$serve_pid url=$serve_url
"$bin" serve --listen "${url#http://}" 2>/dev/null && fail "a second server took the same port"

[ "$(get "$url/v1/health")" = 200 ] || fail "health"
[ "$(get "$url/v1/chips")" = 401 ] || fail "chips without a token"
[ "$(get -H "Authorization: Bearer $viewer" "$url/v1/chips")" = 200 ] || fail "chips as viewer"

# POST /v1/checks answers exactly what `tollgate check --json` prints.
order='{"chip": "nv-h800-sxm", "to": "CN", "hq": "CN", "qty": 3, "unit_price": 25000, "on": "2025-03-01"}'
[ "$(get -H "Authorization: Bearer $viewer" -d "$order" "$url/v1/checks")" = 200 ] || fail "check"
"$bin" check --chip nv-h800-sxm --to CN --hq CN --qty 3 --unit-price 25000 --on 2025-03-01 --json >"$tmp/cli.json"
diff <(cat "$tmp/body"; echo) "$tmp/cli.json" || fail "server and CLI answers differ"

# Revocation from the CLI takes effect on the running server.
"$bin" token revoke ops-viewer >/dev/null
[ "$(get -H "Authorization: Bearer $viewer" "$url/v1/chips")" = 401 ] || fail "revoked token accepted"
"$bin" token revoke ops-viewer 2>/dev/null && fail "revoked twice"
"$bin" token list | grep -q "ops-viewer .*Z *never *[0-9]" || fail "revocation not listed"

# The chart the server draws is the one the CLI writes.
[ "$(get -H "Authorization: Bearer $admin" "$url/v1/chart.svg?on=2025-03-01")" = 200 ] || fail "chart"
"$bin" plot --on 2025-03-01 >"$tmp/cli.svg"
cmp -s "$tmp/body" "$tmp/cli.svg" || fail "server and CLI charts differ"
grep -q 'data-eccn="3A090.a"' "$tmp/cli.svg" || fail "no 3A090.a region"
"$bin" plot --on 2025-13-01 2>/dev/null && fail "bad date accepted"

kill -TERM "$pid"
wait "$pid" || fail "server did not stop cleanly ($?)"
pid=
echo "serve: all checks passed"
