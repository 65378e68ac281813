/* check_cache.c - answers of tg_check kept by their whole input: an order
 * for a catalog chip that is not screened (no screener, no ownership) is
 * answered by the engine's immutable rules alone, so the same order on the
 * same date gets the same answer, byte for byte.  The second time such
 * an answer is rendered (tg_result_json) its text and outcome are kept (a
 * first rendering only notes the input's hash, so a stream of orders that
 * never repeat costs no copies); a later tg_check of the same input is
 * served from them without evaluating anything.
 * Decisions too: at open the loaded rules' conditions and texts are
 * searched for the facts qty, unit_price and value.  Those no rule reads
 * reach an answer only as the order's numbers (tg__order_numbers: the
 * restated quantity and price, the fee's amount), so an answer is kept a
 * second time under its decision key (the input without them) with the
 * places of those numbers; an order that differs only in them is served
 * from it, its numbers written into those places by the writer evaluation
 * uses.  Bounded by TG__CHECK_CACHE_BYTES; thread-safe (striped locks,
 * entries counted by reference, so a result outlives an eviction). */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "decide_int.h"
#include "jw_int.h"

#define NBUCKETS 4096
#define NSTRIPES 64
#define NSEEN 65536 /* hashes of inputs rendered once */

struct tg__check_entry {
  atomic_size_t refs;
  struct tg__check_entry *next; /* in its bucket */
  uint64_t hash;
  tg_result base;               /* the outcome (no JSON, no key, no entry) */
  size_t nholes;                /* a decision: the order's numbers in text */
  tg__hole holes[TG__DOC_HOLES];
  size_t keylen, len;
  char *text;                   /* in data, after the key */
  char data[];
};

struct tg__check_cache {
  pthread_mutex_t lock[NSTRIPES];
  struct tg__check_entry *bucket[NBUCKETS];
  atomic_size_t bytes;
  bool reads_qty, reads_price; /* a rule reads qty / unit_price (or value) */
  _Atomic uint64_t seen[NSEEN];
};

/* The head of a key: its numbers (then its texts).  Compared as bytes. */
struct key_head {
  size_t chip;
  tg_date on;
  bool decision; /* a decision key: qty / price left out (tg__check_decision_key) */
  int64_t qty, price;
  double us_content_pct;
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

/* Whether an identifier of a rule's expressions or a {fact} of its text
 * names one of the facts in `slots` (a bit per slot). */
struct reads { uint64_t slots; bool hit; };
static bool slot_wanted(uint64_t slots, int slot) {
  return slot >= 0 && slot < 64 && (slots >> slot & 1u);
}
static void ident_read(void *arg, const tg__expr *x) {
  struct reads *r = arg;
  r->hit |= slot_wanted(r->slots, x->slot) || (x->str && slot_wanted(r->slots, tg__fact_slot(x->str)));
}
static bool text_reads(const char *t, uint64_t slots) {
  /* as tg__render reads it: {name} of fewer than 40 bytes */
  for (const char *p = t ? strchr(t, '{') : NULL; p; p = strchr(p + 1, '{')) {
    const char *close = strchr(p, '}');
    char name[40];
    if (!close || close - p >= 40) continue;
    memcpy(name, p + 1, (size_t)(close - p - 1));
    name[close - p - 1] = '\0';
    if (slot_wanted(slots, tg__fact_slot(name))) return true;
  }
  return false;
}
static bool rules_read(const tg_engine *e, uint64_t slots) {
  struct reads rd = {slots, false};
  for (size_t i = 0; i < e->nrulesets; i++)
    for (size_t k = 0; k < e->rulesets[i]->nrules; k++) {
      const tg__rule *r = &e->rulesets[i]->rules[k];
      tg__expr_idents(r->when, ident_read, &rd);
      tg__expr_idents(r->unless, ident_read, &rd);
      tg__expr_idents(r->relevant, ident_read, &rd);
      for (size_t j = 0; j < r->ncases; j++) tg__expr_idents(r->cases[j].when, ident_read, &rd);
      rd.hit |= text_reads(r->text, slots);
    }
  return rd.hit;
}

tg__check_cache *tg__check_cache_new(const tg_engine *e) {
  tg__check_cache *c = tg__calloc(1, sizeof *c);
  if (!c) return NULL;
  uint64_t value = 1ull << TG__FACT_VALUE;
  c->reads_qty = rules_read(e, 1ull << TG__FACT_QTY | value);
  c->reads_price = rules_read(e, 1ull << TG__FACT_UNIT_PRICE | value);
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
  struct key_head head;
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

bool tg__check_decision_key(const tg_engine *e, const tg__buf *key, tg__buf *dkey) {
  const tg__check_cache *c = e->check_cache;
  if (!c || (c->reads_qty && c->reads_price) || key->oom || key->len < sizeof(struct key_head))
    return false;
  struct key_head head;
  memcpy(&head, key->data, sizeof head);
  head.decision = true;
  if (!c->reads_qty) head.qty = 0;
  if (!c->reads_price) head.price = head.price < 0 ? -1 : 0; /* priced or not */
  tg__buf_append(dkey, (const char *)&head, sizeof head);
  tg__buf_append(dkey, key->data + sizeof head, key->len - sizeof head);
  if (dkey->oom) dkey->len = 0;
  return !dkey->oom;
}

static uint64_t hash_of(const char *k, size_t n) {
  /* FNV-1a over eight bytes at a time, then MurmurHash3's 64-bit
   * finalizer so that every bit of h depends on every byte (the seen
   * slots take its high bits, the buckets its low ones) */
  uint64_t h = 1469598103934665603u ^ n, w;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    memcpy(&w, k + i, 8);
    h = (h ^ w) * 1099511628211u;
  }
  for (; i < n; i++) h = (h ^ (unsigned char)k[i]) * 1099511628211u;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53u;
  return h ^ (h >> 33);
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

tg_status tg__check_reuse(tg_result *r, const tg_order *o, tg_error *err) {
  int64_t amount = -1;
  if (r->has_fee && o->unit_price_cents >= 0 &&
      !tg__fee_amount(o->qty, o->unit_price_cents, r->rate_ppm, &amount))
    return tg__fee_too_large(err);
  r->numbers = (tg__order_numbers){o->qty, o->unit_price_cents, amount};
  r->amount_cents = amount;
  return TG_OK;
}

/* Keeps text (with its holes) as the answer of key. */
static void keep(const tg_result *r, const char *key, size_t n, const char *text, size_t len,
                 const tg__hole *holes, size_t nholes) {
  if (!key || !r->engine || !r->engine->check_cache) return;
  tg__check_cache *c = r->engine->check_cache;
  size_t size = sizeof(tg__check_entry) + n + len + 1;
  uint64_t h = hash_of(key, n);
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
  while (x && !(x->hash == h && x->keylen == n && !memcmp(x->data, key, n))) x = x->next;
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
    x->base.decision_key = NULL;
    x->base.decision_keylen = 0;
    x->nholes = nholes;
    if (nholes) memcpy(x->holes, holes, nholes * sizeof *holes);
    x->keylen = n;
    x->len = len;
    memcpy(x->data, key, n);
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

void tg__check_remember(const tg_result *r, const char *text, size_t len) {
  keep(r, r->memo_key, r->memo_keylen, text, len, NULL, 0);
}

void tg__check_remember_decision(const tg_result *r, const char *text, size_t len,
                                 const tg__hole *holes, size_t nholes) {
  /* every number in its place, written as the writer writes it: else
   * the answer is not kept as a decision */
  if (nholes != (r->has_fee ? 5u : 3u)) return;
  tg__buf b;
  tg__buf_init(&b);
  bool same = true;
  for (size_t i = 0; i < nholes && same; i++) {
    tg__jw w;
    b.len = 0;
    tg__jw_init(&w, &b, TG__DOC_PRECISION);
    tg__hole_write(&w, holes[i].kind, &r->numbers);
    same = !b.oom && !w.failed && holes[i].at + holes[i].len <= len && b.len == holes[i].len &&
           !memcmp(b.data, text + holes[i].at, b.len);
  }
  tg__buf_free(&b);
  if (same) keep(r, r->decision_key, r->decision_keylen, text, len, holes, nholes);
}

const char *tg__check_entry_view(const tg__check_entry *x, size_t *len) {
  *len = x->nholes ? 0 : x->len;
  return x->nholes ? NULL : x->text;
}

char *tg__check_entry_text(const tg__check_entry *x, const tg__order_numbers *v, size_t *len) {
  if (!x->nholes) {
    char *s = tg__malloc(x->len + 1);
    if (s) memcpy(s, x->text, x->len + 1);
    *len = x->len;
    return s;
  }
  /* the kept decision's text, each hole filled with v's number */
  tg__buf b;
  tg__buf_init(&b);
  tg__buf_reserve(&b, x->len + 64);
  size_t from = 0;
  for (size_t i = 0; i < x->nholes; i++) {
    tg__buf_append(&b, x->text + from, x->holes[i].at - from);
    tg__jw w;
    tg__jw_init(&w, &b, TG__DOC_PRECISION);
    tg__hole_write(&w, x->holes[i].kind, v);
    if (w.failed) b.oom = true;
    from = x->holes[i].at + x->holes[i].len;
  }
  tg__buf_append(&b, x->text + from, x->len - from);
  if (b.oom) {
    tg__buf_free(&b);
    return NULL;
  }
  *len = b.len;
  return tg__buf_detach(&b);
}

void tg__check_cache_off(tg_engine *e) {
  tg__check_cache_free(e->check_cache);
  e->check_cache = NULL;
}
