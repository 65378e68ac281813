/* pieces.c - texts of an answer that depend on one thing that does not
 * change while the engine is open (a catalog chip's metrics, the rule sets
 * applied in a rule epoch): rendered once, by whichever thread asks first,
 * published in a slot the engine owns, and copied into each answer after
 * that (as class_cache.c keeps whole classifications). */
#include <stdatomic.h>
#include <string.h>

#include "pieces_int.h"

const tg__piece *tg__piece_get(tg__piece *_Atomic *slot,
                               void (*render)(tg__buf *b, const void *arg), const void *arg) {
  tg__piece *p = atomic_load_explicit(slot, memory_order_acquire);
  if (p) return p;
  tg__buf b;
  tg__buf_init(&b);
  render(&b, arg);
  if (!b.oom && (p = tg__malloc(sizeof *p + b.len + 1))) {
    p->len = b.len;
    memcpy(p->text, b.data ? b.data : "", b.len);
    p->text[b.len] = '\0';
  }
  tg__buf_free(&b);
  if (!p) return NULL;
  tg__piece *none = NULL;
  if (!atomic_compare_exchange_strong_explicit(slot, &none, p, memory_order_acq_rel,
                                               memory_order_acquire)) {
    tg__free(p); /* another thread published the same text first */
    p = none;
  }
  return p;
}

tg__piece *_Atomic *tg__pieces_new(size_t n) {
  return tg__calloc(n + 1, sizeof(tg__piece *_Atomic));
}

void tg__pieces_free(tg__piece *_Atomic *slots, size_t n) {
  if (!slots) return;
  for (size_t i = 0; i < n; i++) tg__free(atomic_load_explicit(&slots[i], memory_order_relaxed));
  tg__free(slots);
}
