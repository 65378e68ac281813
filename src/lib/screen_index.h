/* screen_index.h - the screener's in-memory index (screen_build.c builds
 * it, screen_query.c reads it).  Immutable once built, except the scratch
 * pool, which has its own mutex.
 *
 *  entries  every entry of every list, with its list and country codes
 *  names    every name of an entry (the name and its a.k.a. parts), as
 *           vocabulary ids: its tokens, then for each adjacent pair the id
 *           of the joined pair ("hong kong" -> "hongkong") or NONE
 *  vocab    distinct tokens and joined pairs, each with an IDF weight and
 *           a postings list of the names that hold it
 *  dels     symmetric-deletion variants of every vocabulary token (k = 0
 *           for <= 3 bytes, 1 up to 9, 2 beyond), hashed: a query token
 *           finds the tokens within its edit distance by hashing its own
 *           variants */
#ifndef TG_SCREEN_INDEX_H
#define TG_SCREEN_INDEX_H

#include <pthread.h>

#include "screen_int.h"

#define TG__NONE UINT32_MAX

typedef struct tg__sentry {
  const tg__entry *e;
  const tg__list *list;
  uint16_t cc[8]; /* country codes as two letters, 0 = none */
  const char *policy; /* tg__screen_policy of the entry */
  int rank;           /* tg__list_rank of its list: ties go to the stronger */
} tg__sentry;

typedef struct tg__sname {
  uint32_t entry;
  uint32_t off;   /* into units: ntok singles then ntok-1 pairs */
  uint32_t text;  /* offset into the text pool */
  uint8_t ntok;
} tg__sname;

typedef struct tg__scratch tg__scratch;

struct tg_screener {
  const tg_engine *engine;
  tg__tables *tables;
  tg__list **lists;
  size_t nlists;

  tg__sentry *entries;
  size_t nentries;
  tg__sname *names;
  size_t nnames;
  uint32_t *units;
  size_t nunits;
  char *text; /* name texts, NUL-separated */
  size_t ntext;

  char *vpool; /* vocabulary strings, NUL-separated */
  size_t nvpool;
  uint32_t *voff; /* string offset of each token */
  uint8_t *vlen;  /* its length */
  float *weight;
  uint8_t *vplace; /* 1 for a place name */
  uint32_t *post_off, *post; /* CSR postings */
  size_t nvocab;
  float unknown_weight;

  uint64_t *vkey; /* token -> id (exact), open addressing */
  uint32_t *vval;
  size_t vmask;
  uint64_t *dkey; /* deletion variant -> token id (many per key) */
  uint32_t *dval;
  size_t dmask;

  double build_ms_hint; /* unused by the library; benches time it */
  pthread_mutex_t mu;
  tg__scratch **pool;
  size_t npool, cpool;
};

uint64_t tg__hash(const char *s, size_t n);
/* Vocabulary id of a token, or TG__NONE. */
uint32_t tg__vocab_find(const tg_screener *sc, const char *tok, size_t n);
/* Deletion variants of s (up to k deletions), as hashes; returns count. */
size_t tg__deletions(const char *s, size_t n, int k, uint64_t *out, size_t cap);
int tg__del_k(size_t len);
/* Spelling-fold keys of s, hashed apart from the deletion variants: its
 * fold (tg__fold_spelling) and skeleton (tg__skeleton; when `index`, only
 * for a vowelless token such as "mhmd").  Returns the count. */
size_t tg__fold_keys(const char *s, size_t n, bool index, uint64_t *out, size_t cap);
/* Whether a joined pair of parts of these lengths is found fuzzily. */
bool tg__joinable_fuzzy(size_t la, size_t lb);

tg_status tg__screener_rebuild(tg_screener *sc, tg_error *err);
void tg__screener_clear_index(tg_screener *sc);

#endif
