#!/usr/bin/env bash
# Runs every benchmark that has a runner script or binary (make bench).
set -euo pipefail
cd "$(dirname "$0")/.."
for b in build/bench_*; do
  [ -x "$b" ] || continue
  echo "== $b"
  "$b"
done
for s in bench/*.sh; do
  [ "$(basename "$s")" = run-all.sh ] && continue
  echo "== $s"
  bash "$s"
done
