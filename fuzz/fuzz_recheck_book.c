/* fuzz_recheck_book.c - libFuzzer target for the order-book reader of
 * `tollgate recheck` (tg_book_order_parse, book.c): every line of the
 * input either gives an order that tg_check accepts or refuses with a
 * message, or fails with a NUL-terminated message naming the line.  Uses
 * the test fixture data so answers do not drift with data/rules.  Seeds
 * in fuzz/corpus/recheck_book/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate.h"
#include "fixture_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tg_engine *engine(void) { return fixture_engine("fuzz_recheck_book"); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  const char *p = (const char *)data, *end = p + size;
  int line = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    line++;
    tg_book_order *b = NULL;
    tg_error err;
    memset(&err, 0x55, sizeof err);
    tg_status st = tg_book_order_parse(engine(), p, len, "book", line, &b, &err);
    if (st != TG_OK) {
      if (b || memchr(err.message, '\0', sizeof err.message) == NULL || !strstr(err.message, "book:"))
        abort();
    } else {
      const tg_order *o = tg_book_order_get(b);
      if (!o || !o->chip || !o->dest) abort();
      char *js = tg_book_order_json(b);
      if (!js || js[0] != '{') abort();
      tg_free(js);
      tg_result *r = NULL;
      if (tg_check(engine(), o, &r, NULL) == TG_OK) tg_result_destroy(r);
      tg_book_order_destroy(b);
    }
    p += len + (nl != NULL);
  }
  return 0;
}
