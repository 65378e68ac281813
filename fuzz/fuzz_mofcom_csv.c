/* fuzz_mofcom_csv.c - libFuzzer target for China's screening lists in
 * Tollgate's MOFCOM CSV format (tg__mofcom_csv_parse, lists_mofcom.c): a
 * parse either gives a list whose every entry has a name, a list, an
 * announcement, a date and a source, or fails with a NUL-terminated
 * message.  Findings are crashes, leaks and undefined behaviour; seeds in
 * fuzz/corpus/mofcom_csv/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  if (n > 65536) return 0;
  tg__list *l = NULL;
  tg_error err;
  memset(&err, 0x55, sizeof err); /* a message must always be written */
  tg_status st = tg__mofcom_csv_parse((const char *)d, n, "fuzz.csv", &l, &err);
  if (st != TG_OK) {
    if (l || memchr(err.message, '\0', sizeof err.message) == NULL) abort();
    return 0;
  }
  for (size_t i = 0; i < l->n; i++) {
    const tg__entry *e = &l->entries[i];
    if (!e->name || !e->source || !e->ref || !e->start_date || !e->url) abort();
  }
  tg__list_free(l);
  return 0;
}
