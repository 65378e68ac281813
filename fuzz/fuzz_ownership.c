/* fuzz_ownership.c - libFuzzer target for the ownership-file parser
 * tg_ownership_parse (ownership.c).  Findings are crashes, leaks and
 * undefined behaviour; seeds in fuzz/corpus/ownership/. */
#include <stdint.h>

#include "tollgate.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  tg_ownership *o = NULL;
  tg_error err;
  if (tg_ownership_parse((const char *)d, n, "fuzz", &o, &err) == TG_OK) tg_ownership_destroy(o);
  return 0;
}
