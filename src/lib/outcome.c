/* outcome.c - a decision's outcome without its explanation (see
 * outcome_int.h): the phases of decide.c (classify, require, review
 * policy, exception, fee) resolved the same way, with no reasons kept. */
#include <stdio.h>
#include <string.h>

#include "outcome_int.h"

/* One evaluation context per outcome, reset per expression (initialising
 * one costs a few kilobytes of memset, more than most expressions). */
static tg__eval *ready(tg__eval *ev, const char *src) {
  ev->src = src;
  ev->ncompares = 0;
  ev->nunknowns = 0;
  return ev;
}

static int truth(const tg__rule *r, tg__eval *ev, bool *undet) {
  int t = tg__expr_truth(r->when, ready(ev, r->when_src));
  if (r->unless && t != 0) {
    int u = tg__expr_truth(r->unless, ready(ev, r->unless_src));
    if (u == 1) t = 0;
    else if (u < 0) t = -1;
  }
  if (t < 0 && undet) *undet = true;
  return t;
}

static int rank(const char *p) {
  if (!p) return 0;
  if (!strcmp(p, "presumption_of_denial")) return 3;
  if (!strcmp(p, "case_by_case")) return 2;
  return 1;
}

static const char *case_policy(const tg__rule *r, tg__eval *ev) {
  const char *strictest = NULL;
  for (size_t i = 0; i < r->ncases; i++) {
    int t = 1;
    if (r->cases[i].when) t = tg__expr_truth(r->cases[i].when, ready(ev, r->cases[i].when_src));
    if (t == 0) continue;
    if (rank(r->cases[i].policy) > rank(strictest)) strictest = r->cases[i].policy;
    if (t == 1) return strictest;
  }
  return strictest ? strictest : "presumption_of_denial";
}

static bool aims_at(const tg__rule *r, const tg__rule *req) {
  for (size_t i = 0; i < r->ntargets; i++)
    if (!strcmp(r->targets[i], req->id)) return true;
  return false;
}

#define EACH_US_RULE(e, on, kindv, r)                                          \
  for (size_t si_ = 0; si_ < (e)->nrulesets; si_++)                            \
    if (!tg__ruleset_foreign((e)->rulesets[si_]) &&                            \
        tg__ruleset_applied((e)->rulesets[si_], (on)))                         \
      for (size_t ri_ = 0; ri_ < (e)->rulesets[si_]->nrules; ri_++)            \
        if (((r) = &(e)->rulesets[si_]->rules[ri_])->kind == (kindv))

enum { MAX_REQ = 32 };

typedef struct oreq {
  const tg__rule *rule, *policy_rule, *overcome;
  const char *policy;
  int t;
} oreq;

/* Facts that vary between the points of an envelope or the dates of a
 * timeline, or that the decision derives: a rule reading none of them has
 * one truth for every point of one envelope or timeline. */
static const char *const varying[] = {"tpp", "pd", "memory_bw", "io_bw", "peak_tops", "die_area",
                                      "hbm_density", "eccn", "license_required", "subject",
                                      "date", NULL};

static void note_varying(void *arg, const tg__expr *x) {
  for (int i = 0; varying[i]; i++)
    if (!strcmp(x->str, varying[i])) *(bool *)arg = true;
}

static bool rule_varies(const tg__rule *r) {
  bool v = false;
  if (r->when) tg__expr_idents(r->when, note_varying, &v);
  if (r->unless) tg__expr_idents(r->unless, note_varying, &v);
  return v;
}

tg_status tg__ocache_init(tg__ocache *c, const tg_engine *e) {
  memset(c, 0, sizeof *c);
  size_t n = 0;
  c->base = tg__calloc(e->nrulesets + 1, sizeof *c->base);
  for (size_t i = 0; c->base && i < e->nrulesets; i++) {
    c->base[i] = n;
    n += e->rulesets[i]->nrules;
  }
  c->truth = tg__calloc(n + 1, sizeof *c->truth);
  if (!c->base || !c->truth) {
    tg__ocache_free(c);
    return TG_ENOMEM;
  }
  for (size_t i = 0; i < e->nrulesets; i++)
    for (size_t k = 0; k < e->rulesets[i]->nrules; k++)
      c->truth[c->base[i] + k] = rule_varies(&e->rulesets[i]->rules[k]) ? TG__OC_VARIES : TG__OC_UNSET;
  return TG_OK;
}

void tg__ocache_free(tg__ocache *c) {
  tg__free(c->base);
  tg__free(c->truth);
  memset(c, 0, sizeof *c);
}

/* truth() through the cache: rules that read no varying fact are
 * evaluated once. */
static int truth_of(tg__ocache *c, size_t si, size_t ri, const tg__rule *r, tg__eval *ev,
                    bool *undet) {
  signed char *slot = c && c->truth ? &c->truth[c->base[si] + ri] : NULL;
  if (!slot || *slot == TG__OC_VARIES) return truth(r, ev, undet);
  if (*slot == TG__OC_UNSET) *slot = (signed char)truth(r, ev, NULL);
  if (*slot < 0 && undet) *undet = true;
  return *slot;
}

void tg__outcome_eval(const tg_engine *e, tg_date on, tg__facts *f, tg__ocache *cache,
                      tg__answer *o) {
  memset(o, 0, sizeof *o);
  f->eccn = NULL;
  f->license_required = -1;
  f->subject = -1;
  tg__eval ev;
  tg__eval_init(&ev, f, "");
  const tg__rule *r, *best = NULL;
  bool best_unknown = false;
  EACH_US_RULE(e, on, TG__R_CLASSIFY, r) {
    int t = truth_of(cache, si_, ri_, r, &ev, NULL);
    if (t != 0 && (!best || r->precedence > best->precedence)) {
      best = r;
      best_unknown = t < 0;
    }
  }
  o->undetermined = best_unknown;
  o->eccn_rule = best;
  f->eccn = best ? best->effect : NULL;
  /* subject to the EAR: any rule that holds; none in force = subject */
  bool any = false;
  int subject = 0;
  EACH_US_RULE(e, on, TG__R_SUBJECT, r) {
    any = true;
    int t = truth_of(cache, si_, ri_, r, &ev, NULL);
    if (t == 1) subject = 1;
    else if (t < 0 && subject == 0) subject = -1;
  }
  f->subject = any ? subject : 1;
  o->undetermined |= f->subject < 0;
  oreq reqs[MAX_REQ];
  size_t n = 0;
  bool req_unknown = false;
  if (f->subject != 0) {
    EACH_US_RULE(e, on, TG__R_LICENSE, r) {
      int t = truth_of(cache, si_, ri_, r, &ev, NULL);
      if (t == 0 || n == MAX_REQ) continue;
      reqs[n++] = (oreq){.rule = r, .policy_rule = r, .policy = case_policy(r, &ev), .t = t};
      req_unknown |= t < 0;
    }
  }
  EACH_US_RULE(e, on, TG__R_POLICY, r) {
    bool relevant = false;
    for (size_t k = 0; k < n; k++) relevant |= aims_at(r, reqs[k].rule);
    if (!relevant) continue;
    int t = truth_of(cache, si_, ri_, r, &ev, &o->undetermined);
    if (t != 1) continue;
    for (size_t k = 0; k < n; k++)
      if (aims_at(r, reqs[k].rule)) {
        reqs[k].policy = r->effect;
        reqs[k].policy_rule = r;
      }
  }
  EACH_US_RULE(e, on, TG__R_EXCEPTION, r) {
    bool relevant = false;
    for (size_t k = 0; k < n; k++) relevant |= aims_at(r, reqs[k].rule) && !reqs[k].overcome;
    if (!relevant) continue;
    if (truth_of(cache, si_, ri_, r, &ev, &o->undetermined) != 1) continue;
    for (size_t k = 0; k < n; k++)
      if (aims_at(r, reqs[k].rule) && !reqs[k].overcome) reqs[k].overcome = r;
  }
  const char *definite = NULL;
  for (size_t k = 0; k < n; k++) {
    if (reqs[k].overcome) {
      if (!o->exception_rule) o->exception_rule = reqs[k].overcome;
      continue;
    }
    if (rank(reqs[k].policy) > rank(o->policy)) {
      o->policy = reqs[k].policy;
      o->policy_rule = reqs[k].policy_rule;
    }
    if (reqs[k].t == 1 && rank(reqs[k].policy) > rank(definite)) definite = reqs[k].policy;
  }
  /* an unknown requirement decides nothing when the definite ones give
   * the same policy (as decide.c's resolve phase) */
  if (o->policy && definite && !strcmp(o->policy, definite) && f->subject == 1) req_unknown = false;
  o->undetermined |= req_unknown;
  o->verdict = o->policy ? TG_LICENSE_REQUIRED
                         : (o->exception_rule ? TG_LICENSE_EXCEPTION : TG_NO_LICENSE_REQUIRED);
  if (o->verdict != TG_LICENSE_EXCEPTION) o->exception_rule = NULL;
  f->license_required = o->verdict == TG_LICENSE_REQUIRED;
  EACH_US_RULE(e, on, TG__R_FEE, r) {
    if (truth_of(cache, si_, ri_, r, &ev, &o->undetermined) == 1) o->rate_ppm += r->rate_ppm;
  }
}

static bool same_str(const char *a, const char *b) {
  return a == b || (a && b && !strcmp(a, b));
}

bool tg__outcome_same(const tg__answer *a, const tg__answer *b) {
  return a->verdict == b->verdict &&
         same_str(a->eccn_rule ? a->eccn_rule->effect : NULL,
                  b->eccn_rule ? b->eccn_rule->effect : NULL) &&
         same_str(a->exception_rule ? a->exception_rule->effect : NULL,
                  b->exception_rule ? b->exception_rule->effect : NULL) &&
         same_str(a->policy, b->policy) && a->rate_ppm == b->rate_ppm;
}

const char *tg__outcome_class(const tg__answer *o) {
  if (o->verdict == TG_LICENSE_REQUIRED) return o->policy;
  return tg_verdict_name(o->verdict);
}

tg_status tg__outcome_order_facts(const tg_engine *e, tg__facts *f, const char *dest,
                                  const char *hq, const char *origin, const char *end_use,
                                  tg_error *err) {
  struct { const char *code, *what; char *out; } c[] = {
      {dest, "destination", f->dest}, {hq, "headquarters", f->hq},
      {origin ? origin : "US", "origin", f->origin}};
  for (size_t i = 0; i < 3; i++) {
    if (!c[i].code) continue;
    if (tg_country_canonical(e, c[i].code, c[i].out) != TG_OK)
      return tg__set_error(err, TG_EINVAL, "%s: '%s' is not an ISO 3166-1 alpha-2 country code",
                           c[i].what, c[i].code);
  }
  if (!dest) return tg__set_error(err, TG_EINVAL, "no destination given");
  snprintf(f->dest_input, sizeof f->dest_input, "%c%c", dest[0] & ~0x20, dest[1] & ~0x20);
  f->order = true;
  f->qty = 1;
  f->unit_price = -1;
  f->party_listed = 0;
  if (end_use) snprintf(f->end_use, sizeof f->end_use, "%s", end_use);
  return TG_OK;
}
