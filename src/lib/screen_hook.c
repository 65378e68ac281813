/* screen_hook.c - where an order's parties meet the screening module.
 *
 * The end user, purchaser and consignee are screened with the order's
 * screener's index; every hit at or above the order's threshold (default
 * TG_SCREEN_THRESHOLD) is kept, as a struct, for the check's answer
 * (screen_json.c renders each as a reason naming the party, the entry,
 * the list, its license requirement and policy, and the tokens that
 * matched).  The facts the rule files read are set from the strongest hit:
 *   party_listed  1 when any party has a hit, 0 when none (or no party
 *                 was named); unknown when parties were named but no
 *                 lists are loaded (a warning says so)
 *   party_list    the hit's list, in the CSL's words ("Entity List (EL) -
 *                 Bureau of Industry and Security")
 *   party_policy  tg__screen_policy() of the entry's license policy
 * A hit the order's clearances (o->cleared) clear for the list version it
 * is on is kept, marked, and sets no fact.
 * Strongest: Denied Persons List, then Entity List, then SDN, MEU, UVL,
 * other lists; within a list the stricter policy, then the higher score.
 * What a listing requires is decided by the rule files
 * (data/rules/us-bis-entity-list.yaml), not here. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "decide_int.h"
#include "jurisdictions_int.h"
#include "screen_int.h"

void tg__party_key(const char *party, char *out, size_t n) {
  size_t k = 0;
  bool space = false;
  for (const unsigned char *p = (const unsigned char *)(party ? party : ""); *p && k + 2 < n; p++) {
    if (isspace(*p)) {
      space = k > 0;
      continue;
    }
    if (space) out[k++] = ' ';
    space = false;
    out[k++] = (char)tolower(*p);
  }
  out[k] = 0;
}

void tg__list_version(const char *title, const char *published, char *out, size_t n) {
  snprintf(out, n, "%s, %s%s", title, published ? "published " : "date not stated", published ? published : "");
}

/* The clearance of a hit of party `who` (folded as `key`), for the list
 * version it is on; 0 when none. */
static int64_t cleared_id(const tg_cleared *c, const char *key, const tg__sentry *se) {
  if (!c) return 0;
  char version[400];
  tg__list_version(se->list->title, se->list->published, version, sizeof version);
  for (size_t i = 0; i < c->n; i++) {
    const tg__cleared_hit *h = &c->v[i];
    if (!strcmp(h->key, key) && !strcmp(h->list, se->e->source) && !strcmp(h->entry, se->e->name) &&
        !strcmp(h->version, version))
      return h->id;
  }
  return 0;
}

/* Footnote 4 of an Entity List entry, from its license requirement text:
 * 1 when it carries it ("734.9(e)(2)", or the mark 4 after the closing
 * parenthesis or "EAR"), 0 when the text names no foreign direct product
 * rule and no mark, -1 when there is no text or it carries another
 * footnote (1, 3, 5: FDP rules Tollgate does not model, so unknown). */
static int footnote4(const char *lr) {
  if (!lr || !*lr) return -1;
  if (strstr(lr, "734.9(e)(2)")) return 1;
  size_t n = strlen(lr);
  while (n && (lr[n - 1] == ' ' || lr[n - 1] == '.')) n--;
  if (n >= 2 && lr[n - 1] >= '0' && lr[n - 1] <= '9') {
    size_t k = n - 1;
    while (k && lr[k - 1] == ' ') k--;
    if (k && (lr[k - 1] == ')' || lr[k - 1] == 'R')) return lr[n - 1] == '4' ? 1 : -1;
  }
  return strstr(lr, "734.9(") ? -1 : 0;
}

static int policy_rank(const char *p) {
  if (!p) return 0;
  if (!strcmp(p, "presumption_of_denial")) return 3;
  if (!strcmp(p, "case_by_case")) return 2;
  return 1;
}

/* Drops repeats: the same name on the same list (affiliates). */
static int drop_repeats(const tg__index *ix, tg__hit *hits, int n) {
  int m = 0;
  for (int k = 0; k < n; k++) {
    bool repeat = false;
    for (int j = 0; j < m && !repeat; j++) /* the kept hits before it */
      repeat = !strcmp(ix->entries[hits[j].entry].e->source, ix->entries[hits[k].entry].e->source) &&
               !strcmp(ix->text + ix->names[hits[j].name].text, ix->text + ix->names[hits[k].name].text);
    if (!repeat) hits[m++] = hits[k];
  }
  return m;
}

tg_status tg__screen_order(const tg_order *o, const tg__index *ix, tg__facts *f,
                           tg__screen_check *out, tg_error *err) {
  static const char *const role[3] = {"end user", "purchaser", "consignee"};
  const char *who[3] = {o->end_user, o->purchaser, o->consignee};
  /* the header only: a party's hits are written as it is screened, and
   * nothing reads past its n (the struct is some tens of kilobytes) */
  out->ix = ix;
  out->named = false;
  out->as_of = 0;
  out->nparties = 0;
  out->threshold = o->screen_threshold > 0 ? o->screen_threshold : TG_SCREEN_THRESHOLD;
  out->max_age_days = o->list_max_age_days;
  for (int i = 0; i < 3; i++) out->named |= who[i] && *who[i];
  if (!out->named) {
    f->party_listed = 0;
    return TG_OK;
  }
  if (!ix || !ix->nentries) return TG_OK; /* party_listed stays unknown */
  out->as_of = o->lists_as_of ? o->lists_as_of : o->on;
  tg__query *q = tg__malloc(sizeof *q);
  if (!q) return tg__set_error(err, TG_ENOMEM, "out of memory");
  const tg__sentry *best = NULL;
  double best_score = 0;
  f->party_listed = 0;
  int fn4 = 0; /* over the Entity List hits: 1 any carries it, -1 unknown */
  for (int i = 0; i < 3; i++) {
    if (!who[i] || !*who[i]) continue;
    tg__party_hits *p = &out->party[out->nparties++];
    p->role = role[i];
    p->who = who[i];
    p->n = 0;
    memset(p->cleared, 0, sizeof p->cleared);
    int n = tg__screen_query(ix, q, who[i], NULL, out->threshold, p->hits, TG__HITS_PER_PARTY);
    if (n < 0) {
      tg__free(q);
      return tg__set_error(err, TG_ENOMEM, "out of memory");
    }
    p->t = q->t;
    p->n = drop_repeats(ix, p->hits, n);
    char key[512];
    tg__party_key(who[i], key, sizeof key);
    for (int k = 0; k < p->n; k++) {
      const tg__sentry *se = &ix->entries[p->hits[k].entry];
      if (tg__list_jurisdiction(se->list->kind)) continue; /* another jurisdiction's list: no US fact */
      if ((p->cleared[k] = cleared_id(o->cleared, key, se))) continue; /* a false positive: no fact */
      f->party_listed = 1;
      if (strstr(se->e->source, "(EL)")) {
        int k4 = footnote4(se->e->license_requirement);
        if (k4 == 1 || (k4 < 0 && fn4 == 0)) fn4 = k4;
      }
      bool stronger = !best || se->rank > best->rank ||
                      (se->rank == best->rank &&
                       (policy_rank(se->policy) > policy_rank(best->policy) ||
                        (policy_rank(se->policy) == policy_rank(best->policy) &&
                         p->hits[k].score > best_score)));
      if (stronger) best = se, best_score = p->hits[k].score;
    }
  }
  tg__free(q);
  if (best) {
    f->party_list = best->e->source;
    f->party_policy = best->policy;
  }
  f->party_footnote = fn4 > 0 ? "4" : fn4 == 0 ? "none" : NULL;
  return TG_OK;
}
