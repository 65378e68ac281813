#!/usr/bin/env bash
# help.sh - ctest cli.help: every command answers --help (and -h) with its
# own usage, exit 0, and no side effects: no database created, no server
# started, nothing run; `help CMD` prints the same text and the man pages
# generated from it render.
# Usage: help.sh PATH-TO-TOLLGATE SOURCE-DIR
set -euo pipefail
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"
export TOLLGATE_DB=$tmp/t.db
cmds=$("$bin" help --commands)
[ "$(echo "$cmds" | wc -l)" -ge 17 ] || fail "help --commands lists too few: $cmds"
for c in $cmds; do
  # options that would act (or, for serve, listen) must not
  out=$(timeout 5 "$bin" $c --to CN --listen 127.0.0.1:0 --help 2>&1) || fail "$c --help: exit $? ($out)"
  [[ $out == "usage: tollgate $c"* ]] || fail "$c --help does not start with its usage: ${out:0:80}"
  grep -qi "exit status" <<<"$out" || fail "$c --help lacks the exit statuses"
  [ "$(timeout 5 "$bin" $c -h)" = "$out" ] || fail "$c -h differs from --help"
  [ "$("$bin" help $c)" = "$out" ] || fail "help $c differs from $c --help"
  [ -e "$tmp/t.db" ] || [ -e "$tmp/tollgate.db" ] && fail "$c --help created a database"
  "$bin" help --man $c >"$tmp/$c.1"
  grep -q "^\.SH SYNOPSIS" "$tmp/$c.1" || fail "man page of $c has no synopsis"
  if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$tmp/$c.1" 2>/dev/null | grep -q "tollgate $c" || fail "man page of $c does not render"
  fi
done
# the options each command documents are the ones it accepts
"$bin" help screen | grep -q -- "--name-column" || fail "screen help lacks --name-column"
"$bin" help check | grep -q -- "--threshold" || fail "check help lacks --threshold"
"$bin" license --help | grep -q "(see README)" && fail "license help points to the README"
# the top-level help names every command
top=$("$bin" --help)
for c in $cmds; do grep -q "^  $c " <<<"$top" || fail "top-level help omits $c"; done
"$bin" help nosuch 2>/dev/null && fail "help of an unknown command succeeded"
"$bin" nosuch --help 2>/dev/null && fail "an unknown command with --help succeeded"
# the generated pages exist in the build tree
bdir=$(dirname "$bin")
for c in $cmds; do [ -s "$bdir/man/tollgate-$c.1" ] || fail "build did not generate tollgate-$c.1"; done
echo ok
