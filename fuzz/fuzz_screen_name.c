/* fuzz_screen_name.c - libFuzzer target for name handling: a.k.a.
 * splitting, normalisation (utf8proc folding, Han to Latin with ICU) and
 * scoring two names with tg_match, and the Arabic-script word matcher
 * (tg__abjad_sim) on the two lines as a code and a Latin word.  The input
 * is two names separated by a newline.  Seeds in fuzz/corpus/screen_name/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static tg_engine *engine;
static tg_screener *sc;

static void part(void *ctx, const char *s, size_t n) {
  (void)ctx;
  (void)s;
  (void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  if (!sc && (tg_engine_open(tg_default_data_dir(), &engine, NULL) != TG_OK ||
              tg_screener_create(engine, &sc, NULL) != TG_OK))
    abort();
  char *s = malloc(n + 1);
  if (!s) return 0;
  memcpy(s, d, n);
  s[n] = '\0';
  char *b = strchr(s, '\n');
  if (b) *b++ = '\0';
  tg__split_akas(s, part, NULL);
  char *js = NULL;
  if (tg_match(sc, s, b ? b : s, &js, NULL) == TG_OK) tg_free(js);
  const char *l = b ? b : s;
  (void)tg__abjad_sim(s, strlen(s), l, strlen(l));
  free(s);
  return 0;
}
