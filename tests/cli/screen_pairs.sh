#!/usr/bin/env bash
# screen_pairs.sh - the name-pair files in tests/screen/*.pairs (names that
# must and must not match, each citing where it comes from), screened
# against the full lists in ../shared/data/lists beside the source tree
# ($TOLLGATE_LISTS to choose another folder; skipped when absent).
set -euo pipefail
tg=$1; src=$2; L=${TOLLGATE_LISTS:-$src/../shared/data/lists}
if [ ! -f "$L/csl-2026-07-31.compact.json" ]; then echo "skipped: $L not present"; exit 0; fi
# 25,921 entries take minutes under ASan; the plain build runs this test
if [ -n "${ASAN_OPTIONS:-}" ]; then echo "skipped under sanitizers"; exit 0; fi
for p in "$src"/tests/screen/*.pairs; do
  python3 "$src/tests/screen/check_pairs.py" "$tg" "$p" "$L/csl-2026-07-31.compact.json" "$L/un-consolidated-2026-02.xml"
done
