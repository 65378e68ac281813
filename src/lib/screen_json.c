/* screen_json.c - screening results rendered as JSON, at the edge: hits
 * (the entry, the tokens paired, the features that explain the score),
 * what a screening rests on (the threshold, each list searched with its
 * publication date and age, whether any is stale) and an order's parties
 * screened, as the reasons of a check.  Reads the structs of the query
 * and hook layers; computes nothing. */
#include <stdio.h>
#include <string.h>

#include "jurisdictions_int.h"
#include "screen_int.h"

#define NUM_STR_(x) #x
#define NUM_STR(x) NUM_STR_(x) /* a numeric macro as a string literal */

#define DEFAULT_MAX_AGE 30

json_t *tg__screen_evidence(const tg__index *ix, double threshold, tg_date as_of, int max_age_days) {
  if (max_age_days <= 0) max_age_days = DEFAULT_MAX_AGE;
  json_t *lists = json_array();
  bool stale = false;
  for (size_t i = 0; ix && i < ix->nlists; i++) {
    const tg__list *l = ix->lists[i];
    tg_date pub;
    bool dated = l->published && tg_date_parse(l->published, &pub) == TG_OK;
    json_t *age = dated && as_of ? json_integer(as_of - pub) : json_null();
    bool old = dated && as_of && as_of - pub > max_age_days;
    stale |= old || !dated;
    json_array_append_new(lists, json_pack("{s:s,s:s,s:o,s:s,s:I,s:o,s:b}", "kind", l->kind, "title",
                                           l->title, "published",
                                           l->published ? json_string(l->published) : json_null(),
                                           "files", l->files ? l->files : "", "entries",
                                           (json_int_t)l->n, "age_days", age, "stale", old || !dated));
  }
  return json_pack("{s:f,s:o,s:I,s:i,s:b}", "threshold", threshold, "lists", lists, "entries",
                   (json_int_t)(ix ? ix->nentries : 0), "max_age_days", max_age_days, "stale", stale);
}

void tg__screen_stale_warnings(const json_t *ev, json_t *warnings) {
  size_t i;
  json_t *l;
  json_array_foreach(json_object_get(ev, "lists"), i, l) {
    if (!json_is_true(json_object_get(l, "stale"))) continue;
    char t[512];
    json_t *age = json_object_get(l, "age_days");
    if (json_is_integer(age))
      snprintf(t, sizeof t, "screening list '%s' was published %lld days ago (more than %lld): import a current copy",
               json_string_value(json_object_get(l, "title")), (long long)json_integer_value(age),
               (long long)json_integer_value(json_object_get(ev, "max_age_days")));
    else
      snprintf(t, sizeof t, "screening list '%s' states no publication date: its age is unknown",
               json_string_value(json_object_get(l, "title")));
    json_array_append_new(warnings, json_pack("{s:s,s:s}", "rule", "", "text", t));
  }
}

static double round3(double x) { return (double)(long)(x * 1000 + 0.5) / 1000; }

/* ---- hits -------------------------------------------------------------- */

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
json_t *tg__features_json(const tg__tables *t, const tg__alignment *al) {
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

json_t *tg__unmatched_json(const tg__tokens *t, uint32_t used) {
  json_t *a = json_array();
  for (int i = 0; i < t->n; i++)
    if (!(used >> i & 1)) json_array_append_new(a, json_string(t->tok[i]));
  return a;
}

/* Text as a JSON string; invalid UTF-8 bytes become U+FFFD. */
json_t *tg__jstr(const char *s) {
  json_t *j = json_string(s);
  if (j) return j;
  tg__buf b;
  tg__buf_init(&b);
  tg__utf8_repair(s, strlen(s), &b, false);
  j = json_string(b.data ? b.data : "");
  tg__buf_free(&b);
  return j;
}

static json_t *str_or_null(const char *s) { return s ? tg__jstr(s) : json_null(); }

json_t *tg__hit_json(const tg__index *ix, const tg__tokens *q, const tg__hit *h) {
  const tg__sentry *se = &ix->entries[h->entry];
  const tg__entry *e = se->e;
  const tg__sname *nm = &ix->names[h->name];
  tg__tokens ct;
  ct.n = nm->ntok;
  for (int i = 0; i < ct.n; i++)
    snprintf(ct.tok[i], TG__MAX_TOKEN, "%s", ix->vpool + ix->voff[ix->units[nm->off + i]]);
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
                        ix->text + nm->text, "tokens", tg__pairs_json(q, &ct, &h->al),
                        "unmatched_query", tg__unmatched_json(q, h->al.qused), "unmatched_entry",
                        tg__unmatched_json(&ct, h->al.cused), "countries", countries, "aka", akas,
                        "programs", str_or_null(e->programs));
  json_object_set_new(j, "features", tg__features_json(ix->tables, &h->al));
  if (h->al.common_name) json_object_set_new(j, "common_name", tg__common_name_json(ix->tables));
  if (h->al.common_alias) { /* screen_query.c common_alias */
    char why[400];
    snprintf(why, sizeof why,
             "the query matched only an alias of this person, or a part of the person's name, made "
             "of very common names (each word in one listed name in %d or more: token-df.tsv), "
             "not the person's own name in full: a namesake of the short form proves little, so "
             "the score is at most %.2f; confirm the party by other identifiers",
             TG__COMMON_NAMES, ix->tables->common_cap);
    json_object_set_new(j, "common_alias", json_pack("{s:f,s:s}", "cap", ix->tables->common_cap, "why", why));
  }
  if (h->al.kin) /* screen_query.c relative */
    json_object_set_new(
        j, "relative",
        json_pack("{s:f,s:s}", "cap", ix->tables->common_cap, "why",
                  "the query's first name is a later given name of this person (a father's or "
                  "grandfather's name), or the name after 'father of' or 'son of', with the "
                  "person's own first given name left out: the query names a relative, so the "
                  "score is at most the cap; confirm the party by other identifiers"));
  if (h->al.generic_place) /* screen_query.c generic_place */
    json_object_set_new(
        j, "generic_place",
        json_pack("{s:f,s:s}", "cap", ix->tables->common_cap, "why",
                  "every word of the query is among the lists' most common (each in one listed "
                  "name in " NUM_STR(TG__COMMON_NAMES) " or more: token-df.tsv) and the listed "
                  "name adds a place the query does not give: the query holds no distinctive "
                  "word, so the score is at most the cap; confirm the party by other identifiers"));
  if (nm->weak) /* the hit rests on a weak alias, matched exactly (screen_query.c) */
    json_object_set_new(j, "weak_alias",
                        json_pack("{s:b,s:s}", "matched", 1, "why",
                                  "the matched name is an alias its list marks as weak (broad or "
                                  "generic: OFAC's weak AKA, the UN's low-quality alias); it is "
                                  "reported only because it matched exactly - confirm the party by "
                                  "other identifiers"));
  json_object_set_new(j, "license_requirement", str_or_null(e->license_requirement));
  json_object_set_new(j, "license_policy", str_or_null(e->license_policy));
  json_object_set_new(j, "policy", str_or_null(se->policy));
  json_object_set_new(j, "federal_register_notice", str_or_null(e->fr_notice));
  json_object_set_new(j, "start_date", str_or_null(e->start_date));
  json_object_set_new(j, "source_url", str_or_null(e->url));
  json_object_set_new(j, "dataset", json_pack("{s:s,s:o}", "title", se->list->title, "published",
                                              str_or_null(se->list->published)));
  if (se->also) /* the same SDN entry on another list: one hit, both sources */
    json_object_set_new(j, "also_on", json_pack("{s:s,s:o,s:s,s:o}", "list", se->also->source, "id",
                                                str_or_null(se->also->ref), "title", se->also_list->title,
                                                "published", str_or_null(se->also_list->published)));
  return j;
}

static json_t *tokens_json(const tg__tokens *t) {
  json_t *a = json_array();
  for (int i = 0; i < t->n; i++) json_array_append_new(a, json_string(t->tok[i]));
  return a;
}

/* ---- answers of the public calls ---------------------------------------------- */

json_t *tg__screen_answer_json(const tg__index *ix, const char *name, const tg_screen_options *opt,
                               const tg__tokens *q, const tg__hit *hits, int n, int limit,
                               bool lower_bound) {
  json_t *arr = json_array();
  for (int i = 0; i < n && i < limit; i++) json_array_append_new(arr, tg__hit_json(ix, q, &hits[i]));
  json_t *ev = tg__screen_evidence(ix, opt->min_score, opt->as_of, opt->list_max_age_days);
  json_t *warn = json_array();
  tg__screen_stale_warnings(ev, warn);
  json_t *root = json_pack("{s:o,s:o,s:o,s:f,s:I,s:o,s:b,s:i,s:o,s:o}", "query", tg__jstr(name), "country",
                           str_or_null(opt->country), "tokens", tokens_json(q), "threshold", opt->min_score,
                           "entries_screened", (json_int_t)ix->nentries, "hits", arr, "match",
                           n > 0 && hits[0].score >= opt->min_score, "hits_total", n, "screening", ev,
                           "warnings", warn);
  /* the query keeps the best hits it can: a full set may have more behind it */
  json_object_set_new(root, "hits_total_is_lower_bound", json_boolean(lower_bound));
  return root;
}

json_t *tg__common_name_json(const tg__tables *t) {
  char why[300];
  snprintf(why, sizeof why,
           "both names are one of the most common full names in China (common-han-names.tsv: the "
           "national name report of 2019), which hundreds of thousands of people bear: the name alone "
           "identifies no one, so the score is at most %.2f; confirm the party by other identifiers",
           t->common_cap);
  return json_pack("{s:f,s:s}", "cap", t->common_cap, "why", why);
}

json_t *tg__match_json(const tg__tables *t, const char *a, const char *b, const tg__tokens *ta,
                       const tg__tokens *tb, const tg__alignment *al, bool weighted) {
  double s = al->score;
  json_t *root = json_pack("{s:f,s:b,s:f,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "score", round3(s),
                           "match", s >= TG_SCREEN_THRESHOLD, "threshold", TG_SCREEN_THRESHOLD,
                           "name1", tg__jstr(a), "name2", tg__jstr(b), "tokens1", tokens_json(ta),
                           "tokens2", tokens_json(tb), "pairs", tg__pairs_json(ta, tb, al),
                           "unmatched1", tg__unmatched_json(ta, al->qused), "unmatched2",
                           tg__unmatched_json(tb, al->cused), "weighted_by_lists", weighted);
  /* the words' weights: the loaded lists' IDF, or with none loaded the
   * reference table's (data/screening/token-df.tsv: the CSL and UN lists) */
  json_object_set_new(root, "weights", json_string(weighted ? "lists" : "reference"));
  json_object_set_new(root, "features", tg__features_json(t, al));
  if (al->common_name) json_object_set_new(root, "common_name", tg__common_name_json(t));
  return root;
}

/* ---- an order's parties, as a check's reasons ----------------------------------- */

void tg__screen_check_json(const tg__screen_check *c, json_t *reasons, json_t *warnings,
                           json_t **evidence) {
  *evidence = NULL;
  if (!c->named) return;
  const tg__index *ix = c->ix;
  *evidence = tg__screen_evidence(ix, c->threshold, c->as_of, c->max_age_days);
  if (!ix || !ix->nentries) {
    json_array_append_new(warnings,
                          json_pack("{s:s,s:s}", "rule", "", "text",
                                    "parties were named but not screened: no screening lists "
                                    "are loaded ('tollgate lists import FILE')"));
    return;
  }
  tg__screen_stale_warnings(*evidence, warnings);
  for (int i = 0; i < c->nparties; i++) {
    const tg__party_hits *p = &c->party[i];
    for (int k = 0; k < p->n; k++) {
      const tg__hit *h = &p->hits[k];
      const tg__sentry *se = &ix->entries[h->entry];
      const tg__entry *e = se->e;
      const char *matched = ix->text + ix->names[h->name].text;
      if (tg__list_jurisdiction(se->list->kind)) { /* another jurisdiction's list: not a US reason */
        json_t *hit = tg__hit_json(ix, &p->t, h);
        tg__foreign_list_hit(*evidence, se->list->kind, e, p->role, p->who, matched, h->score, hit);
        json_decref(hit);
        continue;
      }
      char text[1400];
      snprintf(text, sizeof text,
               "%s '%s' matches '%s' on the %s (score %.2f)%s%s%s%s%s%s", p->role, p->who, matched,
               e->source, h->score, e->license_requirement ? "; license requirement: " : "",
               e->license_requirement ? e->license_requirement : "",
               e->license_policy ? "; license policy: " : "", e->license_policy ? e->license_policy : "",
               e->fr_notice ? "; Federal Register: " : "", e->fr_notice ? e->fr_notice : "");
      char src[300];
      snprintf(src, sizeof src, "%s%s%s", se->list->title, se->list->published ? " of " : "",
               se->list->published ? se->list->published : "");
      if (p->cleared[k]) { /* a false positive: shown, sets no fact */
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "; cleared as a false positive (clearance %lld) for this list version",
                 (long long)p->cleared[k]);
      }
      json_t *r = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:o}", "rule", "screening",
                            "rule_set", "screening", "kind", "screening", "citation",
                            e->fr_notice ? e->fr_notice : e->source, "source", src, "text", text,
                            "result", !p->cleared[k], "party", p->role, "list", e->source, "hit",
                            tg__hit_json(ix, &p->t, h));
      if (r && p->cleared[k]) json_object_set_new(r, "cleared", json_integer(p->cleared[k]));
      if (r) json_array_append_new(reasons, r);
    }
  }
}
