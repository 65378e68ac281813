#!/usr/bin/env bash
# install.sh - ctest cli.install (tests/install/): `cmake --install` (what `make install`
# runs) into a DESTDIR, then the installation moved to another prefix runs
# without the source tree: it finds its own data next to the binary (proved
# by breaking the installed copy), `--data DIR` still overrides, the
# console is served from the installed files, `serve --config FILE` works,
# the shared library has its soname, and a program builds and runs against
# tollgate.h + tollgate.pc, shared and static.
# Usage: install.sh PATH-TO-TOLLGATE SOURCE-DIR
set -eu # (no pipefail: `cmd | grep -q` may end cmd early; grep decides)
bin=$1 src=$2
build=$(dirname "$bin")
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
unset TOLLGATE_DATA TOLLGATE_DB

DESTDIR=$tmp/stage cmake --install "$build" --prefix /opt/tollgate >/dev/null
mv "$tmp/stage/opt/tollgate" "$tmp/moved" # relocated: a prefix it was not installed for
p=$tmp/moved tg=$tmp/moved/bin/tollgate
for f in bin/tollgate include/tollgate.h lib/libtollgate.a lib/pkgconfig/tollgate.pc \
         share/man/man1/tollgate.1 share/man/man3/libtollgate.3 share/tollgate/web/index.html \
         share/tollgate/catalog share/doc/tollgate/examples/tollgate.service; do
  [ -e "$p/$f" ] || fail "not installed: $f"
done
readelf -d "$p/lib/libtollgate.so" | grep -q 'SONAME.*libtollgate\.so\.0' || fail "soname"
man -l "$p/share/man/man3/libtollgate.3" 2>/dev/null | grep -q tg_ship_batch || fail "libtollgate(3) renders"

cd "$tmp"
# CLI smoke tests on the installed data
"$tg" classify nv-h20 --on 2025-09-01 --json | grep -q '"eccn"' || fail "classify"
"$tg" check --chip nv-h20 --to CN --hq CN --qty 10 --unit-price 12000 --on 2025-09-01 --json |
  grep -q '"verdict"' || fail "check"
export TOLLGATE_DB=$tmp/t.db
"$tg" license add --number L-1 --holder Acme --chip nv-h20 --to US --qty 10 \
  --from 2025-01-01 --until 2026-12-31 >/dev/null || fail "license add"
"$tg" ship --chip nv-h20 --to US --hq US --qty 4 --unit-price 100 --on 2025-09-01 --license L-1 \
  >/dev/null || fail "ship"
"$tg" audit verify >/dev/null || fail "audit verify"
# it reads the installed copy: break it and the same command fails
mv "$p/share/tollgate/catalog" "$p/share/tollgate/catalog.away"
"$tg" classify nv-h20 --on 2025-09-01 >/dev/null 2>&1 && fail "used data other than the installed copy"
# --data still overrides
"$tg" classify nv-h20 --on 2025-09-01 --data "$src/data" >/dev/null || fail "--data override"
mv "$p/share/tollgate/catalog.away" "$p/share/tollgate/catalog"

# serve --config FILE, console from the installed files
token=$("$tg" token add --name ops --role viewer 2>/dev/null)
printf 'listen = 127.0.0.1:0   # any port\nthreads = 2\ndb = %s\n' "$tmp/t.db" >"$tmp/tollgate.conf"
unset TOLLGATE_DB
. "$src/tests/serve_start.sh"
serve_start "$tg" "$tmp" --config "$tmp/tollgate.conf" || fail "serve --config"
pid=$serve_pid
curl -s --noproxy '*' "$serve_url/" | grep -qi '<html' || fail "console from the installed web files"
curl -s --noproxy '*' -H "Authorization: Bearer $token" "$serve_url/v1/licenses" | grep -q 'L-1' ||
  fail "the config's database"
printf 'listen = 127.0.0.1:0\nbogus = 1\n' >"$tmp/bad.conf"
"$tg" serve --config "$tmp/bad.conf" 2>"$tmp/err" && fail "bad config accepted"
grep -q 'bad.conf:2: unknown setting' "$tmp/err" || fail "bad config message: $(cat "$tmp/err")"

# a program against the installed header and pkg-config file
cat >"$tmp/use.c" <<'C'
#include <stdio.h>
#include <tollgate.h>
int main(int argc, char **argv) {
  tg_engine *e;
  tg_error err = {0};
  if (tg_engine_open(argc > 1 ? argv[1] : tg_default_data_dir(), &e, &err) != TG_OK) {
    printf("%s\n", err.message);
    return 1;
  }
  printf("ok %s\n", TG_VERSION);
  tg_engine_close(e);
  return 0;
}
C
export PKG_CONFIG_PATH=$p/lib/pkgconfig
pc="pkg-config --define-variable=prefix=$p tollgate"
cc -o "$tmp/use" "$tmp/use.c" $($pc --cflags --libs) || fail "build against libtollgate.so"
# (the library's built-in data directory is the prefix it was configured
# for; moved, a program names the data, as tollgate finds it next to itself)
LD_LIBRARY_PATH=$p/lib "$tmp/use" "$p/share/tollgate" | grep -q '^ok' || fail "shared program"
LD_LIBRARY_PATH=$p/lib ldd "$tmp/use" | grep -q "$p/lib/libtollgate.so.0" || fail "not linked to the shared library"
cc -o "$tmp/use-static" "$tmp/use.c" $($pc --cflags) "$p/lib/libtollgate.a" \
  $(pkg-config --libs $($pc --print-requires-private)) -lpthread -lm ||
  fail "build against libtollgate.a"
"$tmp/use-static" "$p/share/tollgate" | grep -q '^ok' || fail "static program"
echo "install: ok"
