/* fuzz_screen_refweights.c - libFuzzer target for the reference token
 * weights parser (token-df.tsv: "@names<TAB>N", then "token<TAB>df"
 * lines in byte order; tg__refweights_parse in
 * src/lib/screen_norm_refweights.c), then a lookup of every token it kept
 * and of one it has not.  Seeds in fuzz/corpus/screen_refweights/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *text = tg__malloc(n + 1); /* the parser owns it: freed by tg__free */
  if (!text) return 0;
  text[n] = '\0';
  memcpy(text, d, n);
  tg__refweights r;
  tg_error err;
  if (tg__refweights_parse(text, n, "fuzz", &r, &err) != TG_OK) return 0; /* text freed */
  float sum = tg__refweights_get(&r, "@not-a-token");
  for (size_t i = 0; i < r.n; i++) sum += tg__refweights_get(&r, r.v[i].tok);
  if (!(sum >= 0)) abort(); /* weights are ln(1 + names/df) >= 0 */
  tg__refweights_free(&r);
  return 0;
}
