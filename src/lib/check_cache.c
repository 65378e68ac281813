/* check_cache.c - answers of tg_check kept by their whole input: an order
 * for a catalog chip that is not screened (no screener, no ownership) is
 * answered by the engine's immutable rules alone, so the same order on the
 * same date gets the same answer, byte for byte.  The second time such
 * an answer is rendered (tg_result_json) its text and outcome are kept (a
 * first rendering only notes the input's hash, so a stream of orders that
 * never repeat costs no copies); a later tg_check of the same input is
 * served from them without evaluating anything.  Bounded by TG__CHECK_CACHE_BYTES; thread-safe (striped locks,
 * entries counted by reference, so a result outlives an eviction). */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "decide_int.h"

#define NBUCKETS 4096
#define NSTRIPES 64
#define NSEEN 65536 /* hashes of inputs rendered once */

struct tg__check_entry {
  atomic_size_t refs;
  struct tg__check_entry *next; /* in its bucket */
  uint64_t hash;
  tg_result base;               /* the outcome (no JSON, no key, no entry) */
  size_t keylen, len;
  char *text;                   /* in data, after the key */
  char data[];
};

struct tg__check_cache {
  pthread_mutex_t lock[NSTRIPES];
  struct tg__check_entry *bucket[NBUCKETS];
  atomic_size_t bytes;
  _Atomic uint64_t seen[NSEEN];
};

/* Every field of tg_order is part of the key or makes the order
 * uncacheable: a new field must be added to tg__check_key, then to this
 * copy of the struct's fields (the sizes differ until then; a 32-bit
 * field put right after `on`, in its padding, would escape this check). */
struct order_fields {
  const tg_chip *chip;
  tg_date on;
  const char *dest, *hq, *origin;
  int64_t qty, unit_price_cents;
  const char *end_user, *purchaser, *consignee;
  const struct tg_screener *screener;
  double screen_threshold;
  tg_date lists_as_of;
  int list_max_age_days;
  const char *attestations, *end_use, *made_in;
  double us_content_pct;
  const char *direct_product;
  const tg_ownership *ownership;
  const struct tg_cleared *cleared;
};
_Static_assert(sizeof(tg_order) == sizeof(struct order_fields),
               "tg_order changed: update tg__check_key in check_cache.c");

tg__check_cache *tg__check_cache_new(void) {
  tg__check_cache *c = tg__calloc(1, sizeof *c);
  if (!c) return NULL;
  for (int i = 0; i < NSTRIPES; i++) pthread_mutex_init(&c->lock[i], NULL);
  return c;
}

void tg__check_entry_release(tg__check_entry *x) {
  if (x && atomic_fetch_sub_explicit(&x->refs, 1, memory_order_acq_rel) == 1) tg__free(x);
}

void tg__check_cache_free(tg__check_cache *c) {
  if (!c) return;
  for (size_t b = 0; b < NBUCKETS; b++)
    for (tg__check_entry *x = c->bucket[b], *next; x; x = next) {
      next = x->next;
      tg__check_entry_release(x);
    }
  for (int i = 0; i < NSTRIPES; i++) pthread_mutex_destroy(&c->lock[i]);
  tg__free(c);
}

static void put_str(tg__buf *b, const char *s) {
  if (!s) {
    tg__buf_append(b, "\x01", 1); /* absent: distinct from any text */
    return;
  }
  tg__buf_append(b, s, strlen(s) + 1);
}

bool tg__check_key(const tg_engine *e, const tg_order *o, tg__buf *key) {
  const tg_chip *c = o->chip;
  if (!e->check_cache || o->screener || o->ownership || o->cleared || !c->from_catalog ||
      c->catalog_ix >= e->nchips || e->chips[c->catalog_ix] != c)
    return false;
  /* the numbers, then each text */
  struct {
    size_t chip;
    tg_date on;
    int64_t qty, price;
    double us_content_pct;
  } head;
  memset(&head, 0, sizeof head); /* padding too: the key is compared as bytes */
  head.chip = c->catalog_ix;
  head.on = o->on;
  head.qty = o->qty;
  head.price = o->unit_price_cents;
  head.us_content_pct = o->us_content_pct;
  tg__buf_append(key, (const char *)&head, sizeof head);
  put_str(key, o->dest);
  put_str(key, o->hq);
  put_str(key, o->origin);
  put_str(key, o->end_user);
  put_str(key, o->purchaser);
  put_str(key, o->consignee);
  put_str(key, o->attestations);
  put_str(key, o->end_use);
  put_str(key, o->made_in);
  put_str(key, o->direct_product);
  /* screen_threshold, lists_as_of and list_max_age_days matter only to a
   * screener, and a screened order is not kept */
  return !key->oom;
}

static uint64_t hash_of(const char *k, size_t n) {
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)k[i]) * 1099511628211u;
  return h;
}

tg_result *tg__check_cached(const tg_engine *e, const char *key, size_t n) {
  tg__check_cache *c = e->check_cache;
  uint64_t h = hash_of(key, n);
  size_t b = h % NBUCKETS;
  pthread_mutex_t *m = &c->lock[b % NSTRIPES];
  pthread_mutex_lock(m);
  tg__check_entry *x = c->bucket[b];
  while (x && !(x->hash == h && x->keylen == n && !memcmp(x->data, key, n))) x = x->next;
  if (x) atomic_fetch_add_explicit(&x->refs, 1, memory_order_relaxed);
  pthread_mutex_unlock(m);
  if (!x) return NULL;
  tg_result *r = tg__malloc(sizeof *r);
  if (!r) {
    tg__check_entry_release(x);
    return NULL;
  }
  *r = x->base;
  r->memo = x;
  return r;
}

void tg__check_remember(const tg_result *r, const char *text, size_t len) {
  if (!r->memo_key || !r->engine || !r->engine->check_cache) return;
  tg__check_cache *c = r->engine->check_cache;
  size_t n = r->memo_keylen, size = sizeof(tg__check_entry) + n + len + 1;
  uint64_t h = hash_of(r->memo_key, n);
  /* two places per hash, so that two inputs seldom keep erasing each
   * other's first sighting */
  _Atomic uint64_t *s1 = &c->seen[(h >> 32) % NSEEN], *s2 = &c->seen[(h >> 16) % NSEEN];
  if (atomic_load_explicit(s1, memory_order_relaxed) != h &&
      atomic_load_explicit(s2, memory_order_relaxed) != h) {
    atomic_store_explicit(atomic_load_explicit(s1, memory_order_relaxed) ? s2 : s1, h,
                          memory_order_relaxed);
    return; /* first time */
  }
  size_t b = h % NBUCKETS;
  pthread_mutex_t *m = &c->lock[b % NSTRIPES];
  tg__check_entry *evicted = NULL;
  pthread_mutex_lock(m);
  tg__check_entry *x = c->bucket[b];
  while (x && !(x->hash == h && x->keylen == n && !memcmp(x->data, r->memo_key, n))) x = x->next;
  if (!x && atomic_load(&c->bytes) + size > TG__CHECK_CACHE_BYTES) {
    /* full: this bucket's answers make room (a pseudo-random choice) */
    evicted = c->bucket[b];
    c->bucket[b] = NULL;
    for (tg__check_entry *y = evicted; y; y = y->next)
      atomic_fetch_sub(&c->bytes, sizeof(tg__check_entry) + y->keylen + y->len + 1);
  }
  if (!x && atomic_load(&c->bytes) + size <= TG__CHECK_CACHE_BYTES &&
      (x = tg__malloc(size)) != NULL) {
    atomic_init(&x->refs, 1);
    x->hash = h;
    x->base = *r;
    x->base.answer = NULL;
    x->base.memo = NULL;
    x->base.memo_key = NULL;
    x->base.memo_keylen = 0;
    x->keylen = n;
    x->len = len;
    memcpy(x->data, r->memo_key, n);
    x->text = x->data + n;
    memcpy(x->text, text, len);
    x->text[len] = '\0';
    x->next = c->bucket[b];
    c->bucket[b] = x;
    atomic_fetch_add(&c->bytes, size);
  }
  pthread_mutex_unlock(m);
  for (tg__check_entry *y = evicted, *next; y; y = next) {
    next = y->next;
    tg__check_entry_release(y);
  }
}

const char *tg__check_entry_view(const tg__check_entry *x, size_t *len) {
  *len = x->len;
  return x->text;
}

char *tg__check_entry_text(const tg__check_entry *x) {
  char *s = tg__malloc(x->len + 1);
  if (s) memcpy(s, x->text, x->len + 1);
  return s;
}
