# ledger_env.sh - sourced by the ledger CLI tests: a temporary directory
# with a fresh database, and (ledger_fixture_data) a data directory using
# the synthetic rules of tests/data/ledger-rules.  Expects TG and SRC.
SRC=$(cd "$SRC" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TOLLGATE_DB="$T/ledger.db" TOLLGATE_USER=tester
unset TOLLGATE_DATA

ledger_fixture_data() {
  mkdir -p "$T/data"
  ln -s "$SRC/data/catalog" "$T/data/catalog"
  ln -s "$SRC/data/countries.yaml" "$T/data/countries.yaml"
  ln -s "$SRC/data/migrations" "$T/data/migrations"
  ln -s "$SRC/tests/data/ledger-rules" "$T/data/rules"
  ln -s "$SRC/data/screening" "$T/data/screening"
  export TOLLGATE_DATA="$T/data"
}

# Shipments are screened: import a small real list subset first.
ledger_lists() {
  "$TG" lists import "$SRC/tests/screen/data/csl-subset.compact.json" >/dev/null
}

fail() { echo "FAIL: $*" >&2; exit 1; }
# json FILE EXPR: a value from a JSON file (Python expression over j)
json() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
