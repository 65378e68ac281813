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
 * Strongest: Denied Persons List, then Entity List, then SDN, MEU, UVL,
 * other lists; within a list the stricter policy, then the higher score.
 * What a listing requires is decided by the rule files
 * (data/rules/us-bis-entity-list.yaml), not here. */
#include <string.h>

#include "decide_int.h"
#include "jurisdictions_int.h"
#include "screen_int.h"

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
  memset(out, 0, sizeof *out);
  out->ix = ix;
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
  for (int i = 0; i < 3; i++) {
    if (!who[i] || !*who[i]) continue;
    tg__party_hits *p = &out->party[out->nparties++];
    p->role = role[i];
    p->who = who[i];
    int n = tg__screen_query(ix, q, who[i], NULL, out->threshold, p->hits, TG__HITS_PER_PARTY);
    if (n < 0) {
      tg__free(q);
      return tg__set_error(err, TG_ENOMEM, "out of memory");
    }
    p->t = q->t;
    p->n = drop_repeats(ix, p->hits, n);
    for (int k = 0; k < p->n; k++) {
      const tg__sentry *se = &ix->entries[p->hits[k].entry];
      if (tg__list_jurisdiction(se->list->kind)) continue; /* another jurisdiction's list: no US fact */
      f->party_listed = 1;
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
  return TG_OK;
}
