#!/usr/bin/env bash
# Every case file's exact output equals the golden corpus (tests/golden/).
# Usage: golden_cases.sh TOLLGATE SOURCE_DIR
set -euo pipefail
exec python3 "$2/tests/golden/cases.py" "$1" "$2"
