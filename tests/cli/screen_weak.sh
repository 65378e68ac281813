#!/usr/bin/env bash
# screen_weak.sh - weak aliases (tests/screen/weak.screen): the lists of
# each "lists:" line imported from tests/screen/data/, then each name
# screened; a hit on a weak alias must say so (weak_alias), and a near
# spelling or a longer name must not hit through one.
# runs on: sqlite postgresql
set -euo pipefail
tg=$1; src=$2; d=$src/tests/screen/data
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export TOLLGATE_DB=$tmp/t.db
# TG_TEST_BACKEND=postgresql (ctest cli.pg.screen_weak, inside
# tests/pg_cluster.sh run): a fresh database on the throwaway cluster,
# where migration 011 adds the weak_akas column
if [ "${TG_TEST_BACKEND:-sqlite}" = postgresql ]; then
  pgdb=tg_weak_$$_$RANDOM
  createdb "$pgdb"
  export TOLLGATE_DB="postgresql:///$pgdb"
  trap 'dropdb --if-exists "$pgdb" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
fi
bad=0; n=0
while IFS= read -r line; do
  case "$line" in
    lists:*)
      files=()
      for f in ${line#lists: }; do files+=("$d/$f"); done
      "$tg" lists import "${files[@]}" >/dev/null
      continue ;;
    hit:*|nohit:*|capped:*|relative:*) ;;
    *) continue ;;
  esac
  kind=${line%%:*}; rest=${line#*: }
  IFS='|' read -r q want weak <<<"$rest"
  q=$(echo "$q" | sed 's/ *$//'); want=$(echo "${want:-}" | sed 's/^ *//; s/ *$//')
  weak=$(echo "${weak:-}" | tr -d ' ')
  n=$((n + 1))
  # capped: the hit is there below the threshold, at the common-alias cap
  # (relative: the same, at the cap of a relative's name, saying so)
  if [ "$kind" = capped ] || [ "$kind" = relative ]; then "$tg" screen --json --threshold 0.5 "$q" >"$tmp/out.json" || true
  else "$tg" screen --json "$q" >"$tmp/out.json" || true; fi
  if ! python3 - "$tmp/out.json" "$kind" "$want" "$weak" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); kind, want, weak = sys.argv[2:5]
hits = [h for h in d["hits"] if h["score"] >= d["threshold"]]
if kind == "nohit":
    sys.exit(1 if hits else 0)
if kind == "capped":  # below the default threshold, and saying why
    hits = [h for h in hits if h["score"] < 0.88 and "common_alias" in h
            and h["score"] == h["common_alias"]["cap"]]
if kind == "relative":
    hits = [h for h in hits if h["score"] < 0.88 and "relative" in h
            and h["score"] == h["relative"]["cap"]]
h = next((h for h in hits if h["name"] == want), None)
if h is None:
    sys.exit(1)
sys.exit(0 if ("weak_alias" in h) == (weak == "weak") else 1)
PY
  then
    echo "FAIL: $line: got $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([(h["name"], h["matched_name"], h["score"], "weak_alias" in h) for h in d["hits"]])' "$tmp/out.json")"
    bad=$((bad + 1))
  fi
done <"$src/tests/screen/weak.screen"
[ "$bad" = 0 ] || { echo "$bad of $n weak-alias screens wrong"; exit 1; }
echo "weak aliases: $n screens as expected"
