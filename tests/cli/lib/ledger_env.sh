# ledger_env.sh - sourced by the ledger CLI tests: a temporary directory
# with a fresh database, and (ledger_fixture_data) a data directory using
# the synthetic rules of tests/data/ledger-rules.  Expects TG and SRC.
SRC=$(cd "$SRC" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TOLLGATE_DB="$T/ledger.db" TOLLGATE_USER=tester
unset TOLLGATE_DATA
# TG_TEST_BACKEND=postgresql (ctest cli.pg.NAME, inside tests/pg_cluster.sh
# run): a fresh database on the throwaway cluster instead, dropped at exit.
LEDGER_BACKEND=${TG_TEST_BACKEND:-sqlite}
if [ "$LEDGER_BACKEND" = postgresql ]; then
  LEDGER_PGDB=tg_cli_$$_$RANDOM
  createdb "$LEDGER_PGDB"
  export TOLLGATE_DB="postgresql:///$LEDGER_PGDB"
  trap 'dropdb --if-exists "$LEDGER_PGDB" >/dev/null 2>&1; rm -rf "$T"' EXIT
fi

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
