#!/bin/sh
# gen_man.sh - writes man pages tollgate-CMD.1 for every command into DIR,
# from the tool's own help table (`tollgate help --man CMD`).
# Usage: gen_man.sh PATH-TO-TOLLGATE DIR
set -eu
bin=$1 dir=$2
mkdir -p "$dir"
for c in $("$bin" help --commands); do
  "$bin" help --man "$c" >"$dir/tollgate-$c.1.tmp"
  mv "$dir/tollgate-$c.1.tmp" "$dir/tollgate-$c.1"
done
