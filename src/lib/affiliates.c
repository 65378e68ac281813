/* affiliates.c - the Affiliates Rule's facts of an order (90 FR 47201):
 * whether a party (end user, purchaser, consignee) is 50% or more owned,
 * directly or indirectly, individually or in aggregate, by parties on the
 * Entity List, the MEU List or the SDN list.  Ownership comes from the
 * order's ownership records; owners are screened with the order's
 * screener.  An owner counts as listed when it is on one of those lists
 * or is itself 50% or more owned by listed owners (so ownership through
 * an affiliate counts in full).  Sets the facts
 *   party_affiliate   1, 0, or unknown (no ownership given, a party
 *                     without records, owners not screened)
 *   affiliate_list    the strongest list among the listed owners
 *   affiliate_policy  that owner's license policy
 *   affiliate_share   the aggregate listed share, percent
 * What the rule requires, and when, is in data/rules (the Affiliates Rule,
 * its suspension and its reimposition). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "decide_int.h"
#include "ownership_int.h"
#include "screen_int.h"

#define MAX_DEPTH 8

typedef struct aff {
  const tg_ownership *own;
  const tg__index *ix;
  double threshold;       /* the order's screening threshold */
  tg__query *q;
  const tg__sentry *best; /* the strongest listed owner's entry */
  json_t *trail;          /* the records that made a share */
} aff;

/* Names are the same party when equal ignoring case, spaces and
 * punctuation ("Acme Co., Ltd." = "ACME CO LTD"). */
static bool same_name(const char *a, const char *b) {
  for (;;) {
    while (*a && !isalnum((unsigned char)*a)) a++;
    while (*b && !isalnum((unsigned char)*b)) b++;
    if (!*a || !*b) return !*a && !*b;
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
    a++, b++;
  }
}

static bool affiliate_list(const char *source) {
  return source && (strstr(source, "(EL)") || strstr(source, "(MEU)") || strstr(source, "(SDN)"));
}

static int listed(aff *A, const char *name, int depth, double *share);

/* Screens an owner: 1 on one of the three lists, 0 not, -1 unscreened. */
static int screened(aff *A, const char *name) {
  if (!A->ix || !A->ix->nentries) return -1;
  tg__hit hits[5];
  int n = tg__screen_query(A->ix, A->q, name, NULL, A->threshold, hits, 5);
  int found = 0;
  for (int k = 0; k < n; k++) {
    const tg__sentry *se = &A->ix->entries[hits[k].entry];
    if (!affiliate_list(se->e->source)) continue;
    found = 1;
    if (!A->best || tg__list_rank(se->e->source) > tg__list_rank(A->best->e->source)) A->best = se;
  }
  return n < 0 ? -1 : found;
}

/* The share of `name` held by listed owners; 1 when >= 50, 0 when even the
 * unknown owners cannot bring it to 50, else -1. */
static int owned_by_listed(aff *A, const char *name, int depth, double *share) {
  double yes = 0, maybe = 0;
  bool any = false;
  for (size_t i = 0; i < A->own->n; i++) {
    const tg__owner_rec *r = &A->own->recs[i];
    if (!same_name(r->party, name)) continue;
    any = true;
    double sub;
    int t = depth < MAX_DEPTH ? listed(A, r->owner, depth + 1, &sub) : -1;
    if (t == 1) {
      yes += r->percent;
      char d[11];
      tg_date_format(r->date, d);
      json_array_append_new(A->trail, json_pack("{s:s,s:s,s:f,s:s,s:s,s:i}", "party", r->party,
                                                "owner", r->owner, "percent", r->percent,
                                                "source", r->source, "date", d, "line", r->line));
    } else if (t < 0) {
      maybe += r->percent;
    }
  }
  *share = yes;
  if (!any) return -1;
  if (yes >= 50) return 1;
  return yes + maybe >= 50 ? -1 : 0;
}

static int listed(aff *A, const char *name, int depth, double *share) {
  *share = 0;
  int s = screened(A, name);
  if (s == 1) return 1;
  bool owned_known = false;
  for (size_t i = 0; i < A->own->n && !owned_known; i++) owned_known = same_name(A->own->recs[i].party, name);
  if (!owned_known) return s < 0 ? -1 : 0; /* no owners on record: as screened */
  int o = owned_by_listed(A, name, depth, share);
  if (o == 1) return 1;
  return s < 0 || o < 0 ? -1 : 0;
}

tg_status tg__affiliates_order(const tg_order *o, const tg__index *ix, tg__facts *f, json_t *reasons,
                               json_t *warnings, tg_error *err) {
  const char *role[3] = {"end user", "purchaser", "consignee"};
  const char *who[3] = {o->end_user, o->purchaser, o->consignee};
  bool named = false;
  for (int i = 0; i < 3; i++) named |= who[i] && *who[i];
  f->party_affiliate = named ? -1 : 0;
  if (!named) return TG_OK;
  if (!o->ownership) {
    json_array_append_new(warnings,
                          json_pack("{s:s,s:s}", "rule", "", "text",
                                    "the parties' owners were not given (--ownership FILE): "
                                    "whether a party is 50% or more owned by listed parties "
                                    "(the Affiliates Rule, 90 FR 47201) is unknown"));
    return TG_OK;
  }
  aff A = {.own = o->ownership,
           .ix = ix,
           .threshold = o->screen_threshold > 0 ? o->screen_threshold : TG_SCREEN_THRESHOLD,
           .trail = json_array()};
  A.q = tg__malloc(sizeof *A.q);
  if (!A.q) {
    json_decref(A.trail);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  int truth = 0;
  double best_share = 0;
  for (int i = 0; i < 3; i++) {
    if (!who[i] || !*who[i]) continue;
    double share;
    json_array_clear(A.trail);
    int t = owned_by_listed(&A, who[i], 0, &share);
    if (t < 0 && share == 0) {
      bool on_file = false;
      for (size_t k = 0; k < A.own->n && !on_file; k++) on_file = same_name(A.own->recs[k].party, who[i]);
      char w[400];
      snprintf(w, sizeof w, on_file ? "the listed share of %s '%s' cannot be settled: some owners "
                                      "were not screened (no lists loaded)"
                                    : "the ownership file has no record of who owns %s '%s'",
               role[i], who[i]);
      json_array_append_new(warnings, json_pack("{s:s,s:s}", "rule", "", "text", w));
    }
    if (t == 1 || (t < 0 && truth == 0)) truth = t;
    if (share > best_share) best_share = share;
    if (t == 1) {
      char text[600];
      snprintf(text, sizeof text,
               "%s '%s' is %.4g%% owned, directly or indirectly, by parties on the Entity List, "
               "MEU List or SDN list (aggregate; 50%% or more makes it an affiliate)",
               role[i], who[i], share);
      json_array_append_new(reasons, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:O}", "rule",
                                               "ownership", "rule_set", "ownership", "kind",
                                               "ownership", "citation", "90 FR 47201", "source",
                                               "ownership records given with the order", "text",
                                               text, "result", 1, "party", role[i], "records",
                                               A.trail));
    }
  }
  f->party_affiliate = truth;
  f->affiliate_share = best_share;
  if (A.best) {
    f->affiliate_list = A.best->e->source;
    f->affiliate_policy = A.best->policy;
  }
  json_decref(A.trail);
  tg__free(A.q);
  return TG_OK;
}
