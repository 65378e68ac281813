/* fuzz_chip_list.c - libFuzzer target for a user's catalog file
 * (tg_chips_parse, chip_list.c: a catalog, a list of specs or one spec):
 * either chips with ids and metrics that are intervals, or a failure with
 * a NUL-terminated message and nothing returned.  Findings are crashes,
 * leaks and undefined behaviour; seeds in fuzz/corpus/chip_list/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chip_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  tg_chip **v = NULL;
  size_t n = 7;
  tg_error err;
  memset(&err, 0x55, sizeof err); /* a message must always be written */
  tg_status st = tg_chips_parse((const char *)data, size, "fuzz.yaml", &v, &n, &err);
  if (st != TG_OK) {
    if (v || n || memchr(err.message, '\0', sizeof err.message) == NULL) abort();
    return 0;
  }
  if (!v || !n) abort();
  for (size_t i = 0; i < n; i++) {
    if (!tg_chip_id(v[i])) abort();
    tg__metric m;
    if (tg__chip_metric(v[i], "tpp", &m) && !(m.lo <= m.hi)) abort();
  }
  tg_chips_destroy(v, n);
  return 0;
}
