/* screen_api.c - the public screening calls: screeners (create, load lists
 * from the store or from files, destroy), tg_screen, tg_screen_best and
 * tg_match.  A screener points to its current index; loading builds a new
 * index beside it and swaps the pointer, so a query in flight keeps the
 * index it started with (a reference) and is never blocked by a build.
 * Answers are rendered by screen_json.c. */
#include <stdio.h>
#include <string.h>

#include "engine_int.h"
#include "screen_int.h"

void tg_screen_options_init(tg_screen_options *o) {
  memset(o, 0, sizeof *o);
  o->min_score = TG_SCREEN_THRESHOLD;
  o->limit = 10;
}

tg__index *tg__screener_acquire(const tg_screener *csc) {
  if (!csc) return NULL;
  tg_screener *sc = (tg_screener *)csc; /* the mutex only */
  pthread_mutex_lock(&sc->mu);
  tg__index *ix = tg__index_ref(sc->ix);
  pthread_mutex_unlock(&sc->mu);
  return ix;
}

/* Makes ix the current index; the old one lives on while referenced. */
static void swap_in(tg_screener *sc, tg__index *ix) {
  pthread_mutex_lock(&sc->mu);
  tg__index *old = sc->ix;
  sc->ix = ix;
  pthread_mutex_unlock(&sc->mu);
  tg__index_release(old);
}

tg_status tg_screener_create(const tg_engine *e, tg_screener **out, tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_screener_create: no output");
  *out = NULL;
  if (!e) return tg__set_error(err, TG_EINVAL, "tg_screener_create: no engine");
  tg_screener *sc = tg__calloc(1, sizeof *sc);
  if (!sc) return tg__set_error(err, TG_ENOMEM, "out of memory");
  sc->engine = e;
  pthread_mutex_init(&sc->mu, NULL);
  pthread_mutex_init(&sc->load_mu, NULL);
  tg_status st = tg__tables_load(tg_engine_data_dir(e), &sc->tables, err);
  if (st == TG_OK) st = tg__index_build(sc->tables, NULL, 0, &sc->ix, err);
  if (st != TG_OK) {
    tg_screener_destroy(sc);
    return st;
  }
  *out = sc;
  return TG_OK;
}

void tg_screener_destroy(tg_screener *sc) {
  if (!sc) return;
  tg__index_release(sc->ix);
  tg__free(sc->cache_dir);
  tg__tables_free(sc->tables);
  pthread_mutex_destroy(&sc->mu);
  pthread_mutex_destroy(&sc->load_mu);
  tg__free(sc);
}

/* Takes the lists (and the array): a new index of these (and, unless
 * `replace`, the current lists), swapped in. */
static tg_status adopt(tg_screener *sc, tg__list **lists, size_t n, bool replace, tg_error *err) {
  pthread_mutex_lock(&sc->load_mu);
  tg__index *cur = tg__screener_acquire(sc);
  size_t keep = replace ? 0 : cur->nlists;
  tg__list **all = tg__calloc(keep + n + 1, sizeof *all);
  tg_status st = TG_OK;
  if (!all) {
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
  } else {
    if (keep) memcpy(all, cur->lists, keep * sizeof *all);
    if (n) memcpy(all + keep, lists, n * sizeof *all); /* lists is NULL when none are stored */
    tg__index *ix;
    st = tg__index_build(sc->tables, all, keep + n, &ix, err);
    if (st == TG_OK) swap_in(sc, ix);
  }
  tg__free(all);
  tg__index_release(cur);
  pthread_mutex_unlock(&sc->load_mu);
  tg__lists_free(lists, n); /* the index holds its own references */
  return st;
}

/* ---- the index cache ------------------------------------------------------ */

tg_status tg_screener_set_cache(tg_screener *sc, const char *dir, tg_error *err) {
  if (!sc) return tg__set_error(err, TG_EINVAL, "tg_screener_set_cache: no screener");
  tg__free(sc->cache_dir);
  sc->cache_dir = NULL;
  if (dir && !(sc->cache_dir = tg__strdup(dir))) return tg__set_error(err, TG_ENOMEM, "out of memory");
  return TG_OK;
}

/* The cache file of a source (`where`: the store's path or the list
 * files') and the key its contents must carry; false when the screener
 * keeps no cache or already holds lists (an index of those and more is
 * not cached). */
static bool cache_slot(tg_screener *sc, const tg__buf *where, const tg__buf *what, char *path,
                       size_t cap, uint64_t *key) {
  tg__index *cur = tg__screener_acquire(sc);
  bool empty = cur->nlists == 0;
  tg__index_release(cur);
  if (!sc->cache_dir || !empty || where->oom || what->oom) return false;
  if (!sc->base_key) sc->base_key = tg__cache_base_key(tg_engine_data_dir(sc->engine)) | 1;
  *key = tg__cache_hash(sc->base_key, what->data ? what->data : "", what->len);
  uint64_t name = tg__cache_hash(0, where->data ? where->data : "", where->len);
  snprintf(path, cap, "%s/index-%016llx.bin", sc->cache_dir, (unsigned long long)name);
  return true;
}

/* The cached index swapped in, when there is a good one. */
static bool cache_take(tg_screener *sc, const char *path, uint64_t key) {
  tg__index *ix;
  if (tg__index_load_file(sc->tables, path, key, &ix, NULL) != TG_OK) return false;
  swap_in(sc, ix);
  return true;
}

/* The current index kept in the cache (a failure only costs the next
 * call a build). */
static void cache_keep(tg_screener *sc, const char *path, uint64_t key) {
  tg__index *ix = tg__screener_acquire(sc);
  if (ix->nlists && tg__index_save(ix, key, path, NULL) == TG_OK) tg__cache_prune(sc->cache_dir, 8);
  tg__index_release(ix);
}

tg_status tg_screener_load_store(tg_screener *sc, tg_store *s, tg_error *err) {
  if (!sc || !s) return tg__set_error(err, TG_EINVAL, "tg_screener_load_store: no screener or store");
  char path[4096];
  uint64_t key = 0;
  bool cached = false;
  if (sc->cache_dir) {
    tg__buf where, what;
    tg__buf_init(&where);
    tg__buf_init(&what);
    cached = tg__lists_fingerprint(s, &where, &what, NULL) == TG_OK &&
             cache_slot(sc, &where, &what, path, sizeof path, &key);
    tg__buf_free(&where);
    tg__buf_free(&what);
    if (cached && cache_take(sc, path, key)) return TG_OK;
  }
  tg__list **lists;
  size_t n;
  tg_status st = tg__lists_load(s, &lists, &n, err);
  if (st == TG_OK) st = adopt(sc, lists, n, false, err);
  if (st == TG_OK && cached) cache_keep(sc, path, key);
  return st;
}

tg_status tg_screener_reload_store(tg_screener *sc, tg_store *s, tg_error *err) {
  if (!sc || !s) return tg__set_error(err, TG_EINVAL, "tg_screener_reload_store: no screener or store");
  tg__list **lists;
  size_t n;
  tg_status st = tg__lists_load(s, &lists, &n, err);
  return st != TG_OK ? st : adopt(sc, lists, n, true, err);
}

tg_status tg_screener_load_files(tg_screener *sc, const char *const *paths, size_t npaths,
                                 tg_error *err) {
  if (!sc || (!paths && npaths)) return tg__set_error(err, TG_EINVAL, "tg_screener_load_files: no screener");
  char path[4096];
  uint64_t key = 0;
  bool cached = false;
  if (sc->cache_dir) { /* the files by their paths and bytes */
    tg__buf where, what;
    tg__buf_init(&where);
    tg__buf_init(&what);
    cached = true;
    for (size_t i = 0; i < npaths && cached; i++) {
      tg__buf_puts(&where, paths[i]);
      tg__buf_append(&where, "\n", 1);
      char *text = NULL;
      size_t len = 0;
      cached = tg__read_file(paths[i], &text, &len, NULL) == TG_OK;
      uint64_t h = cached ? tg__cache_hash(len, text, len) : 0;
      tg__buf_append(&what, (const char *)&h, sizeof h);
      tg__free(text);
    }
    cached = cached && cache_slot(sc, &where, &what, path, sizeof path, &key);
    tg__buf_free(&where);
    tg__buf_free(&what);
    if (cached && cache_take(sc, path, key)) return TG_OK;
  }
  tg__list **lists;
  size_t n;
  tg_status st = tg__lists_read(paths, npaths, sc->engine, &lists, &n, err);
  if (st == TG_OK) st = adopt(sc, lists, n, false, err);
  if (st == TG_OK && cached) cache_keep(sc, path, key);
  return st;
}

size_t tg_screener_entries(const tg_screener *sc) {
  tg__index *ix = tg__screener_acquire(sc);
  size_t n = ix ? ix->nentries : 0;
  tg__index_release(ix);
  return n;
}

/* ---- queries ------------------------------------------------------------ */

#define MAX_HITS 64

tg_status tg__screen_tree(const tg_screener *sc, const char *name, const tg_screen_options *opt,
                          json_t **out, tg_error *err) {
  *out = NULL;
  if (!sc || !name) return tg__set_error(err, TG_EINVAL, "tg_screen: no screener or name");
  tg_screen_options def;
  if (!opt) tg_screen_options_init(&def), opt = &def;
  if (opt->country && (strlen(opt->country) != 2 || tg_country_name(sc->engine, opt->country) == NULL))
    return tg__set_error(err, TG_EINVAL, "country '%s' is not an ISO 3166-1 alpha-2 code",
                         opt->country);
  tg__query q;
  tg__hit hits[MAX_HITS];
  int limit = opt->limit > 0 && opt->limit < MAX_HITS ? opt->limit : MAX_HITS;
  tg__index *ix = tg__screener_acquire(sc);
  int n = tg__screen_query(ix, &q, name, opt->country, opt->min_score, hits, MAX_HITS);
  *out = n < 0 ? NULL : tg__screen_answer_json(ix, name, opt, &q.t, hits, n, limit, n == MAX_HITS);
  tg__index_release(ix);
  return *out ? TG_OK : tg__set_error(err, TG_ENOMEM, "out of memory");
}

tg_status tg_screen(const tg_screener *sc, const char *name, const tg_screen_options *opt,
                    char **json_out, tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_screen: no output");
  *json_out = NULL;
  json_t *root;
  tg_status st = tg__screen_tree(sc, name, opt, &root, err);
  if (st != TG_OK) return st;
  char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
  json_decref(root);
  if (!s) return tg__set_error(err, TG_ENOMEM, "out of memory");
  *json_out = s;
  return TG_OK;
}

double tg_screen_best(const tg_screener *sc, const char *name, const char *country) {
  if (!sc || !name) return 0;
  tg__query q;
  tg__hit hits[4];
  tg__index *ix = tg__screener_acquire(sc);
  int n = tg__screen_query(ix, &q, name, country, TG_SCREEN_THRESHOLD * 0.8, hits, 4);
  tg__index_release(ix);
  return n > 0 ? hits[0].score : 0;
}

tg_status tg_match(const tg_screener *sc, const char *a, const char *b, char **json_out,
                   tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_match: no output");
  *json_out = NULL;
  if (!sc || !a || !b) return tg__set_error(err, TG_EINVAL, "tg_match: no screener or names");
  tg__tokens ta, tb;
  tg__normalize_name(sc->tables, a, &ta);
  tg__normalize_name(sc->tables, b, &tb);
  float wa[TG__MAX_TOKENS], wb[TG__MAX_TOKENS];
  tg__unitset *ua = tg__malloc(sizeof *ua), *ub = tg__malloc(sizeof *ub);
  if (!ua || !ub) {
    tg__free(ua);
    tg__free(ub);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  tg__index *ix = tg__screener_acquire(sc);
  tg__weigh(ix, &ta, wa);
  tg__weigh(ix, &tb, wb);
  tg__units(&ta, ua);
  tg__units(&tb, ub);
  tg__alignment al;
  tg__score_names(sc->tables, &ta, ua, wa, &tb, ub, wb, tg__unknown_weight(ix), &al);
  bool weighted = ix->nvocab > 0;
  tg__index_release(ix);
  tg__free(ua);
  tg__free(ub);
  json_t *root = tg__match_json(sc->tables, a, b, &ta, &tb, &al, weighted);
  char *js = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
  json_decref(root);
  if (!js) return tg__set_error(err, TG_ENOMEM, "out of memory");
  *json_out = js;
  return TG_OK;
}
