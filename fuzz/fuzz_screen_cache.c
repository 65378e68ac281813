/* fuzz_screen_cache.c - libFuzzer target for the screening index cache
 * reader tg__index_from_blob (screen_cache.c).  The input is a cache file;
 * the target takes its key from the input and sets its length and
 * checksum fields to match, so that the parser behind them (counts, lists,
 * offsets, ids) is what gets fuzzed.  A parsed index is queried once.
 * Findings are crashes, leaks and undefined behaviour; seeds in
 * fuzz/corpus/screen_cache/ (caches of tests/screen/data/un-sample.xml and
 * un-weak.xml, written by `tollgate screen --list` with TOLLGATE_CACHE_DIR). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static tg_engine *engine;
static tg_screener *sc;

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  if (!sc && (tg_engine_open(tg_default_data_dir(), &engine, NULL) != TG_OK ||
              tg_screener_create(engine, &sc, NULL) != TG_OK))
    abort();
  if (n < 32) return 0;
  char *blob = malloc(n);
  if (!blob) return 0;
  memcpy(blob, d, n);
  uint64_t key, len = n - 32;
  memcpy(&key, blob + 8, 8);
  uint64_t sum = tg__cache_hash(key, blob + 32, len);
  memcpy(blob + 16, &len, 8);
  memcpy(blob + 24, &sum, 8);
  tg__index *ix;
  if (tg__index_from_blob(sc->tables, blob, n, key, &ix, NULL) == TG_OK) {
    tg__query q;
    tg__hit hits[4];
    tg__screen_query(ix, &q, "Kim Jong Un", NULL, 0.5, hits, 4);
    tg__index_release(ix);
  }
  return 0;
}
