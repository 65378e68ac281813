/* screen_api.c - the public screening calls: screeners (create, load lists
 * from the store or from files, destroy), tg_screen, tg_screen_best,
 * tg_match, and hits as JSON. */
#include <string.h>

#include "engine_int.h"
#include "lists_int.h"
#include "screen_query.h"

void tg_screen_options_init(tg_screen_options *o) {
  memset(o, 0, sizeof *o);
  o->min_score = TG_SCREEN_THRESHOLD;
  o->limit = 10;
}

tg_status tg_screener_create(const tg_engine *e, tg_screener **out, tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_screener_create: no output");
  *out = NULL;
  if (!e) return tg__set_error(err, TG_EINVAL, "tg_screener_create: no engine");
  tg_screener *sc = tg__calloc(1, sizeof *sc);
  if (!sc) return tg__set_error(err, TG_ENOMEM, "out of memory");
  sc->engine = e;
  pthread_mutex_init(&sc->mu, NULL);
  tg_status st = tg__tables_load(tg_engine_data_dir(e), &sc->tables, err);
  if (st == TG_OK) st = tg__screener_rebuild(sc, err);
  if (st != TG_OK) {
    tg_screener_destroy(sc);
    return st;
  }
  *out = sc;
  return TG_OK;
}

void tg_screener_destroy(tg_screener *sc) {
  if (!sc) return;
  tg__screener_clear_index(sc);
  for (size_t i = 0; i < sc->nlists; i++) tg__list_free(sc->lists[i]);
  tg__free(sc->lists);
  for (size_t i = 0; i < sc->npool; i++) tg__scratch_free(sc->pool[i]);
  tg__free(sc->pool);
  tg__tables_free(sc->tables);
  pthread_mutex_destroy(&sc->mu);
  tg__free(sc);
}

/* Takes the lists (and the array) and rebuilds the index. */
static tg_status adopt(tg_screener *sc, tg__list **lists, size_t n, tg_error *err) {
  tg__list **v = tg__realloc(sc->lists, (sc->nlists + n + 1) * sizeof *v);
  if (!v) {
    for (size_t i = 0; i < n; i++) tg__list_free(lists[i]);
    tg__free(lists);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  sc->lists = v;
  for (size_t i = 0; i < n; i++) sc->lists[sc->nlists++] = lists[i];
  tg__free(lists);
  return tg__screener_rebuild(sc, err);
}

tg_status tg_screener_load_store(tg_screener *sc, tg_store *s, tg_error *err) {
  if (!sc || !s) return tg__set_error(err, TG_EINVAL, "tg_screener_load_store: no screener or store");
  tg__list **lists;
  size_t n;
  tg_status st = tg__lists_load(s, &lists, &n, err);
  return st != TG_OK ? st : adopt(sc, lists, n, err);
}

tg_status tg_screener_load_files(tg_screener *sc, const char *const *paths, size_t npaths,
                                 tg_error *err) {
  if (!sc || (!paths && npaths)) return tg__set_error(err, TG_EINVAL, "tg_screener_load_files: no screener");
  tg__list **lists;
  size_t n;
  tg_status st = tg__lists_read(paths, npaths, sc->engine, &lists, &n, err);
  return st != TG_OK ? st : adopt(sc, lists, n, err);
}

size_t tg_screener_entries(const tg_screener *sc) { return sc ? sc->nentries : 0; }

/* ---- JSON -------------------------------------------------------------- */

static void mask_text(const tg__tokens *t, uint32_t mask, char *out, size_t n) {
  size_t o = 0;
  out[0] = '\0';
  for (int i = 0; i < t->n && o + 1 < n; i++)
    if (mask >> i & 1) o += (size_t)snprintf(out + o, n - o, "%s%s", o ? " " : "", t->tok[i]);
}

json_t *tg__pairs_json(const tg__tokens *a, const tg__tokens *b, const tg__alignment *al) {
  json_t *arr = json_array();
  for (int i = 0; i < al->npairs; i++) {
    char x[TG__MAX_TOKEN * 2 + 2], y[TG__MAX_TOKEN * 2 + 2];
    mask_text(a, al->pairs[i].qmask, x, sizeof x);
    mask_text(b, al->pairs[i].cmask, y, sizeof y);
    static const char *const kinds[] = {"spelling", "romanization", "initial"};
    json_array_append_new(arr, json_pack("{s:s,s:s,s:f,s:s}", "query", x, "entry", y, "score",
                                         (double)(int)(al->pairs[i].sim * 1000 + 0.5) / 1000,
                                         "by", kinds[al->pairs[i].kind % 3]));
  }
  return arr;
}

/* The score explained: each feature's value, weight and contribution
 * (value * weight) to the logit whose logistic is the score. */
static json_t *features_json(const tg__tables *t, const tg__alignment *al) {
  const double *w = tg__tables_weights(t);
  json_t *arr = json_array();
  for (int i = 0; i < TG__NFEAT; i++) {
    double v = al->f[i];
    json_array_append_new(arr, json_pack("{s:s,s:f,s:f,s:f,s:s}", "feature", tg__feature_names[i],
                                         "value", (double)(long)(v * 1000) / 1000, "weight", w[i],
                                         "contribution", (double)(long)(v * w[i] * 1000) / 1000,
                                         "means", tg__feature_docs[i]));
  }
  return arr;
}

static json_t *unmatched(const tg__tokens *t, uint32_t used) {
  json_t *a = json_array();
  for (int i = 0; i < t->n; i++)
    if (!(used >> i & 1)) json_array_append_new(a, json_string(t->tok[i]));
  return a;
}

static double round3(double x) { return (double)(long)(x * 1000 + 0.5) / 1000; }

/* Text as a JSON string; invalid UTF-8 bytes become U+FFFD. */
static json_t *jstr(const char *s) {
  json_t *j = json_string(s);
  if (j) return j;
  tg__buf b;
  tg__buf_init(&b);
  tg__utf8_repair(s, strlen(s), &b, false);
  j = json_string(b.data ? b.data : "");
  tg__buf_free(&b);
  return j;
}

static json_t *str_or_null(const char *s) { return s ? jstr(s) : json_null(); }

json_t *tg__hit_json(const tg_screener *sc, const tg__query *q, const tg__hit *h) {
  const tg__sentry *se = &sc->entries[h->entry];
  const tg__entry *e = se->e;
  const tg__sname *nm = &sc->names[h->name];
  tg__tokens ct;
  ct.n = nm->ntok;
  for (int i = 0; i < ct.n; i++)
    snprintf(ct.tok[i], TG__MAX_TOKEN, "%s", sc->vpool + sc->voff[sc->units[nm->off + i]]);
  json_t *countries = json_array();
  for (int i = 0; i < 8 && se->cc[i]; i++) {
    char c[3] = {(char)(se->cc[i] >> 8), (char)(se->cc[i] & 0xFF), 0};
    json_array_append_new(countries, json_string(c));
  }
  json_t *akas = json_array();
  for (size_t i = 0; i < e->nakas; i++) json_array_append_new(akas, json_string(e->akas[i]));
  json_t *j = json_pack("{s:f,s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "score",
                        round3(h->score), "list", e->source, "name", e->name, "id",
                        str_or_null(e->ref), "type", str_or_null(e->type), "matched_name",
                        sc->text + nm->text, "tokens", tg__pairs_json(&q->t, &ct, &h->al),
                        "unmatched_query", unmatched(&q->t, h->al.qused), "unmatched_entry",
                        unmatched(&ct, h->al.cused), "countries", countries, "aka", akas,
                        "programs", str_or_null(e->programs));
  json_object_set_new(j, "features", features_json(sc->tables, &h->al));
  json_object_set_new(j, "license_requirement", str_or_null(e->license_requirement));
  json_object_set_new(j, "license_policy", str_or_null(e->license_policy));
  json_object_set_new(j, "policy", str_or_null(se->policy));
  json_object_set_new(j, "federal_register_notice", str_or_null(e->fr_notice));
  json_object_set_new(j, "start_date", str_or_null(e->start_date));
  json_object_set_new(j, "source_url", str_or_null(e->url));
  json_object_set_new(j, "dataset", json_pack("{s:s,s:o}", "title", se->list->title, "published",
                                              str_or_null(se->list->published)));
  return j;
}

/* ---- queries ------------------------------------------------------------ */

#define MAX_HITS 64

tg_status tg_screen(const tg_screener *sc, const char *name, const tg_screen_options *opt,
                    char **json_out, tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_screen: no output");
  *json_out = NULL;
  if (!sc || !name) return tg__set_error(err, TG_EINVAL, "tg_screen: no screener or name");
  tg_screen_options def;
  if (!opt) tg_screen_options_init(&def), opt = &def;
  if (opt->country && (strlen(opt->country) != 2 || tg_country_name(sc->engine, opt->country) == NULL))
    return tg__set_error(err, TG_EINVAL, "country '%s' is not an ISO 3166-1 alpha-2 code",
                         opt->country);
  tg__query q;
  tg__hit hits[MAX_HITS];
  int limit = opt->limit > 0 && opt->limit < MAX_HITS ? opt->limit : MAX_HITS;
  int n = tg__screen_query(sc, &q, name, opt->country, opt->min_score, hits, MAX_HITS);
  if (n < 0) return tg__set_error(err, TG_ENOMEM, "out of memory");
  json_t *arr = json_array();
  for (int i = 0; i < n && i < limit; i++) json_array_append_new(arr, tg__hit_json(sc, &q, &hits[i]));
  json_t *toks = json_array();
  for (int i = 0; i < q.t.n; i++) json_array_append_new(toks, json_string(q.t.tok[i]));
  json_t *root = json_pack("{s:o,s:o,s:o,s:f,s:I,s:o,s:b}", "query", jstr(name), "country",
                           str_or_null(opt->country), "tokens", toks, "threshold", opt->min_score,
                           "entries_screened", (json_int_t)sc->nentries, "hits", arr, "match",
                           n > 0 && hits[0].score >= TG_SCREEN_THRESHOLD);
  char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (!s) return tg__set_error(err, TG_ENOMEM, "out of memory");
  *json_out = s;
  return TG_OK;
}

double tg_screen_best(const tg_screener *sc, const char *name, const char *country) {
  if (!sc || !name) return 0;
  tg__query q;
  tg__hit hits[4];
  int n = tg__screen_query(sc, &q, name, country, TG_SCREEN_THRESHOLD * 0.8, hits, 4);
  return n > 0 ? hits[0].score : 0;
}

tg_status tg_match(const tg_screener *sc, const char *a, const char *b, char **json_out,
                   tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_match: no output");
  *json_out = NULL;
  if (!sc || !a || !b) return tg__set_error(err, TG_EINVAL, "tg_match: no screener or names");
  tg__tokens ta, tb;
  tg__normalize(sc->tables, a, &ta);
  tg__normalize(sc->tables, b, &tb);
  float wa[TG__MAX_TOKENS], wb[TG__MAX_TOKENS];
  tg__weigh(sc, &ta, wa);
  tg__weigh(sc, &tb, wb);
  tg__unitset *ua = tg__malloc(sizeof *ua), *ub = tg__malloc(sizeof *ub);
  if (!ua || !ub) {
    tg__free(ua);
    tg__free(ub);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  tg__units(&ta, ua);
  tg__units(&tb, ub);
  tg__alignment al;
  double s = tg__score_names(sc->tables, &ta, ua, wa, &tb, ub, wb,
                             sc->nvocab ? sc->unknown_weight : 1, &al);
  tg__free(ua);
  tg__free(ub);
  json_t *tka = json_array(), *tkb = json_array();
  for (int i = 0; i < ta.n; i++) json_array_append_new(tka, json_string(ta.tok[i]));
  for (int i = 0; i < tb.n; i++) json_array_append_new(tkb, json_string(tb.tok[i]));
  json_t *root = json_pack("{s:f,s:b,s:f,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "score", round3(s),
                           "match", s >= TG_SCREEN_THRESHOLD, "threshold", TG_SCREEN_THRESHOLD,
                           "name1", jstr(a), "name2", jstr(b), "tokens1", tka, "tokens2", tkb, "pairs",
                           tg__pairs_json(&ta, &tb, &al), "unmatched1", unmatched(&ta, al.qused),
                           "unmatched2", unmatched(&tb, al.cused), "weighted_by_lists",
                           sc->nvocab > 0);
  json_object_set_new(root, "features", features_json(sc->tables, &al));
  char *js = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (!js) return tg__set_error(err, TG_ENOMEM, "out of memory");
  *json_out = js;
  return TG_OK;
}
