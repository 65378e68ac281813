/* fuzz_spec.c - libFuzzer target for chip spec files: tg_chip_from_spec on
 * the input and, when it loads, the chip's JSON and every metric.  Errors
 * must carry a NUL-terminated message.  Findings are crashes, leaks and
 * undefined behaviour. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chip_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  tg_chip *c = NULL;
  tg_error err;
  memset(&err, 0x55, sizeof err); /* a message must always be written */
  tg_status st = tg_chip_from_spec((const char *)data, size, "fuzz.yaml", &c, &err);
  if (st != TG_OK) {
    if (c || memchr(err.message, '\0', sizeof err.message) == NULL || err.status != st) abort();
    return 0;
  }
  if (!c) abort();
  char *js = tg_chip_json(c);
  tg_free(js);
  for (int i = 0; tg__metric_names[i]; i++) {
    double v;
    if (tg_chip_metric(c, tg__metric_names[i], &v) < 0) abort();
    tg__metric m;
    tg__chip_metric(c, tg__metric_names[i], &m);
    if (!(m.lo <= m.hi)) abort(); /* an interval, never inverted or NaN */
  }
  (void)tg_chip_name(c);
  tg_chip_destroy(c);
  return 0;
}
