/* screen_hook.c - where an order's parties meet the screening module.
 *
 * The end user, purchaser and consignee are screened with the order's
 * screener; every hit at or above the order's threshold (default
 * TG_SCREEN_THRESHOLD) becomes a reason
 * (kind "screening") naming the party, the entry, the list, its license
 * requirement and policy, and the tokens that matched.  The facts the
 * rule files read are set from the strongest hit:
 *   party_listed  1 when any party has a hit, 0 when none (or no party
 *                 was named); unknown when parties were named but no
 *                 lists are loaded (a warning says so)
 *   party_list    the hit's list, in the CSL's words ("Entity List (EL) -
 *                 Bureau of Industry and Security")
 *   party_policy  tg__screen_policy() of the entry's license policy
 *   party_footnote "4" when an Entity List hit carries footnote 4 (the
 *                 foreign direct product rule of 734.9(e)(2)), read from
 *                 the entry's license requirement in the CSL ("See §§
 *                 734.9(e)(2) and 744.11 of the EAR)4": the section, or
 *                 the footnote mark 4 after the closing parenthesis);
 *                 "none" when no Entity List hit carries any footnote;
 *                 unknown when a hit has no license requirement text or
 *                 carries another footnote (1, 3, 5), whose FDP rules
 *                 are not modelled
 * Strongest: Denied Persons List, then Entity List, then SDN, MEU, UVL,
 * other lists; within a list the stricter policy, then the higher score.
 * What a listing requires is decided by the rule files
 * (data/rules/us-bis-entity-list.yaml), not here. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "decide_int.h"
#include "screen_query.h"

/* The policy a list's license_policy text states, for the review-policy
 * facts.  Mapping (case-insensitive, first that applies):
 *   mentions "denial" (presumption of denial, policy of denial,
 *     "...; presumption of denial for all other items")  presumption_of_denial
 *   mentions "case-by-case" / "case by case"             case_by_case
 *   mentions "approval"                                  presumption_of_approval
 *   anything else ("See §744.2(d)", or no text) on the Entity List, the
 *     Denied Persons List or the SDN list               presumption_of_denial
 *     (the strictest, so an unclear entry is never understated; the
 *     reason quotes the list's own words)
 *   anything else on other lists                         NULL */
const char *tg__screen_policy(const char *source, const char *text) {
  if (text) {
    char low[1024];
    size_t n = strlen(text) < sizeof low - 1 ? strlen(text) : sizeof low - 1;
    for (size_t i = 0; i < n; i++) low[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
    low[n] = '\0';
    if (strstr(low, "denial")) return "presumption_of_denial";
    if (strstr(low, "case-by-case") || strstr(low, "case by case") || strstr(low, "case-by case") ||
        strstr(low, "casa-by-case"))
      return "case_by_case";
    if (strstr(low, "approval")) return "presumption_of_approval";
  }
  if (source && (strstr(source, "(EL)") || strstr(source, "(DPL)") || strstr(source, "(SDN)")))
    return "presumption_of_denial";
  return NULL;
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

int tg__list_rank(const char *source) {
  static const char *const order[] = {"(DPL)", "(EL)", "(SDN)", "(MEU)", "(UVL)"};
  for (int i = 0; i < 5; i++)
    if (strstr(source, order[i])) return 10 - i;
  return 0;
}

static int policy_rank(const char *p) {
  if (!p) return 0;
  if (!strcmp(p, "presumption_of_denial")) return 3;
  if (!strcmp(p, "case_by_case")) return 2;
  return 1;
}

#define HITS_PER_PARTY 5

tg_status tg__screen_order(const tg_order *o, tg__facts *f, json_t *reasons, json_t *warnings,
                           json_t **evidence, tg_error *err) {
  *evidence = NULL;
  const char *role[3] = {"end user", "purchaser", "consignee"};
  const char *who[3] = {o->end_user, o->purchaser, o->consignee};
  bool named = false;
  for (int i = 0; i < 3; i++) named |= who[i] && *who[i];
  if (!named) {
    f->party_listed = 0;
    return TG_OK;
  }
  const tg_screener *sc = o->screener;
  if (!sc || !sc->nentries) {
    *evidence = tg__screen_evidence(sc, o->screen_threshold > 0 ? o->screen_threshold : TG_SCREEN_THRESHOLD,
                                    0, o->list_max_age_days);
    json_array_append_new(warnings,
                          json_pack("{s:s,s:s}", "rule", "", "text",
                                    "parties were named but not screened: no screening lists "
                                    "are loaded ('tollgate lists import FILE')"));
    return TG_OK;
  }
  tg__query *q = tg__malloc(sizeof *q);
  if (!q) return tg__set_error(err, TG_ENOMEM, "out of memory");
  const tg__sentry *best = NULL;
  double best_score = 0;
  double threshold = o->screen_threshold > 0 ? o->screen_threshold : TG_SCREEN_THRESHOLD;
  *evidence = tg__screen_evidence(sc, threshold, o->lists_as_of ? o->lists_as_of : o->on, o->list_max_age_days);
  tg__screen_stale_warnings(*evidence, warnings);
  f->party_listed = 0;
  int fn4 = 0; /* over the Entity List hits: 1 any carries it, -1 unknown */
  for (int i = 0; i < 3; i++) {
    if (!who[i] || !*who[i]) continue;
    tg__hit hits[HITS_PER_PARTY];
    int n = tg__screen_query(sc, q, who[i], NULL, threshold, hits, HITS_PER_PARTY);
    if (n < 0) {
      tg__free(q);
      return tg__set_error(err, TG_ENOMEM, "out of memory");
    }
    for (int k = 0; k < n; k++) {
      const tg__sentry *se = &sc->entries[hits[k].entry];
      bool repeat = false; /* the same name on the same list (affiliates) */
      for (int j = 0; j < k && !repeat; j++)
        repeat = !strcmp(sc->entries[hits[j].entry].e->source, se->e->source) &&
                 !strcmp(sc->text + sc->names[hits[j].name].text, sc->text + sc->names[hits[k].name].text);
      if (repeat) continue;
      const tg__entry *e = se->e;
      json_t *hit = tg__hit_json(sc, q, &hits[k]);
      char text[1400];
      snprintf(text, sizeof text,
               "%s '%s' matches '%s' on the %s (score %.2f)%s%s%s%s%s%s", role[i], who[i],
               sc->text + sc->names[hits[k].name].text, e->source, hits[k].score,
               e->license_requirement ? "; license requirement: " : "",
               e->license_requirement ? e->license_requirement : "",
               e->license_policy ? "; license policy: " : "", e->license_policy ? e->license_policy : "",
               e->fr_notice ? "; Federal Register: " : "", e->fr_notice ? e->fr_notice : "");
      char src[300];
      snprintf(src, sizeof src, "%s%s%s", se->list->title, se->list->published ? " of " : "",
               se->list->published ? se->list->published : "");
      json_t *r = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:o}", "rule", "screening",
                            "rule_set", "screening", "kind", "screening", "citation",
                            e->fr_notice ? e->fr_notice : e->source, "source", src, "text", text,
                            "result", 1, "party", role[i], "list", e->source, "hit", hit);
      if (r) json_array_append_new(reasons, r);
      f->party_listed = 1;
      if (strstr(e->source, "(EL)")) {
        int k4 = footnote4(e->license_requirement);
        if (k4 == 1 || (k4 < 0 && fn4 == 0)) fn4 = k4;
      }
      bool stronger = !best || tg__list_rank(e->source) > tg__list_rank(best->e->source) ||
                      (tg__list_rank(e->source) == tg__list_rank(best->e->source) &&
                       (policy_rank(se->policy) > policy_rank(best->policy) ||
                        (policy_rank(se->policy) == policy_rank(best->policy) &&
                         hits[k].score > best_score)));
      if (stronger) best = se, best_score = hits[k].score;
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
