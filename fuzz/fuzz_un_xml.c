/* fuzz_un_xml.c - libFuzzer target for the screening list parser tg__un_xml_parse
 * (lists_*.c).  Findings are crashes, leaks and undefined behaviour;
 * seeds in fuzz/corpus/un_xml/. */
#include <stdint.h>

#include "screen_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  tg__list *l = NULL;
  tg_error err;
  if (tg__un_xml_parse((const char *)d, n, "fuzz", &l, &err) == TG_OK) tg__list_free(l);
  return 0;
}
