/* outcome.c - a decision's outcome without its explanation (see
 * outcome_int.h): the phases of decide.c (classify, subject, require,
 * review policy, exception, fee) resolved the same way, with no reasons
 * kept; also the resolution of each variant of an undetermined order
 * (branches.c), so one function decides both. */
#include <stdio.h>
#include <string.h>

#include "outcome_int.h"

/* One evaluation context per outcome, reset per expression (initialising
 * one costs a few kilobytes of memset, more than most expressions). */
static tg__eval *ready(tg__eval *ev, const char *src) {
  ev->quiet = true; /* no explanation is kept: record no comparisons */
  ev->src = src;
  ev->ncompares = 0;
  ev->nunknowns = 0;
  return ev;
}

int tg__rule_truth(const tg__rule *r, tg__eval *ev) {
  int t = tg__expr_truth(r->when, ready(ev, r->when_src));
  if (r->unless && t != 0) {
    int u = tg__expr_truth(r->unless, ready(ev, r->unless_src));
    if (u == 1) t = 0;
    else if (u < 0) t = -1;
  }
  return t;
}

static int truth(const tg__rule *r, tg__eval *ev, bool *undet) {
  int t = tg__rule_truth(r, ev);
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

#define EACH_US_RULE TG__EACH_US_RULE

enum { MAX_REQ = TG__MAX_LICENSE_RULES }; /* checked at open */

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

/* Country-group membership is dated (data/country-groups-history.yaml): a
 * rule naming a group has one truth per date, not per timeline. */
static void note_group(void *arg, const tg__expr *x) {
  if (x->slot == TG__SLOT_GROUP) *(bool *)arg = true;
}

static bool rule_dated(const tg__rule *r) {
  bool v = false;
  if (r->when) tg__expr_idents(r->when, note_group, &v);
  if (r->unless) tg__expr_idents(r->unless, note_group, &v);
  for (size_t i = 0; i < r->ncases; i++)
    if (r->cases[i].when) tg__expr_idents(r->cases[i].when, note_group, &v);
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
  c->dated = tg__calloc(n + 1, sizeof *c->dated);
  c->n = n;
  if (!c->base || !c->truth || !c->dated) {
    tg__ocache_free(c);
    return TG_ENOMEM;
  }
  for (size_t i = 0; i < e->nrulesets; i++)
    for (size_t k = 0; k < e->rulesets[i]->nrules; k++) {
      const tg__rule *r = &e->rulesets[i]->rules[k];
      c->truth[c->base[i] + k] = rule_varies(r) ? TG__OC_VARIES : TG__OC_UNSET;
      c->dated[c->base[i] + k] = rule_dated(r);
    }
  return TG_OK;
}

void tg__ocache_free(tg__ocache *c) {
  tg__free(c->base);
  tg__free(c->truth);
  tg__free(c->dated);
  memset(c, 0, sizeof *c);
}

/* One evaluation: the cache, the rules forced to a truth (a branch) and
 * the open rules the answer rests on (as decide.c's "undetermined"). */
/* MAX_OPEN: every rule that can be open at once (their numbers are
 * checked at open), so note_open never drops one */
enum { MAX_OPEN = TG__MAX_OPEN_RULES, MAX_BRANCH_RULES = 6 }; /* as branches.c's MAX_VARS */
typedef struct run {
  tg__ocache *cache;
  signed char *memo; /* the variants' shared truths (tg__outcome_variant) */
  const tg__rule *const *forced;
  const signed char *forced_truth;
  size_t nforced;
  const tg__rule *open[MAX_OPEN];
  size_t nopen;
} run;

static void note_open(run *x, const tg__rule *r) {
  for (size_t i = 0; i < x->nopen; i++)
    if (x->open[i] == r) return;
  x->open[x->nopen++] = r; /* room for every rule (MAX_OPEN) */
}

/* truth() through the cache (rules that read no varying fact are
 * evaluated once) and the branch's forced truths; an unknown truth that
 * counts (undet given) makes the rule open. */
static int truth_of(run *x, const tg__rule *r, tg__eval *ev, bool *undet) {
  for (size_t i = 0; i < x->nforced; i++)
    if (x->forced[i] == r) return x->forced_truth[i];
  tg__ocache *c = x->cache;
  signed char *slot = c && c->truth ? &c->truth[r->seq] : NULL; /* seq: base + index */
  if (x->memo && !(r->reads & TG__VARIANT_READS)) slot = &x->memo[r->seq];
  int t;
  if (!slot || *slot == TG__OC_VARIES) {
    t = truth(r, ev, NULL);
  } else {
    if (*slot == TG__OC_UNSET) *slot = (signed char)truth(r, ev, NULL);
    t = *slot;
  }
  if (t < 0 && undet) {
    *undet = true;
    note_open(x, r);
  }
  return t;
}

/* A new date forgets the truths of the rules naming dated groups. */
static void cache_at(tg__ocache *c, tg_date on) {
  if (!c || !c->truth || (c->have_on && c->on == on)) return;
  for (size_t i = 0; i < c->n; i++)
    if (c->dated[i] && c->truth[i] != TG__OC_VARIES) c->truth[i] = TG__OC_UNSET;
  c->on = on;
  c->have_on = true;
}

static void eval_once(const tg_engine *e, tg_date on, tg__facts *f, run *x, tg__answer *o) {
  memset(o, 0, sizeof *o);
  x->nopen = 0;
  f->eccn = NULL;
  f->license_required = -1;
  f->subject = -1;
  tg__eval ev;
  tg__eval_init(&ev, f, "");
  ev.quiet = true; /* only truths are needed: no comparisons recorded */
  const tg__rule *r, *best = NULL;
  bool best_unknown = false;
  EACH_US_RULE(e, on, TG__R_CLASSIFY, r) {
    int t = truth_of(x, r, &ev, NULL);
    if (t != 0 && (!best || r->precedence > best->precedence)) {
      best = r;
      best_unknown = t < 0;
    }
  }
  if (best_unknown) note_open(x, best);
  o->undetermined = best_unknown;
  o->eccn_rule = best;
  f->eccn = best ? best->effect : NULL;
  /* subject to the EAR: any rule that holds; none in force = subject */
  bool any = false;
  int subject = 0;
  const tg__rule *subject_open[TG__MAX_SUBJECT_RULES]; /* checked at open */
  size_t nsubject_open = 0;
  EACH_US_RULE(e, on, TG__R_SUBJECT, r) {
    any = true;
    int t = truth_of(x, r, &ev, NULL);
    if (t == 1) subject = 1;
    else if (t < 0 && subject == 0) subject = -1;
    if (t < 0) subject_open[nsubject_open++] = r;
  }
  f->subject = any ? subject : 1;
  if (f->subject < 0) {
    o->undetermined = true;
    for (size_t i = 0; i < nsubject_open; i++) note_open(x, subject_open[i]);
  }
  oreq reqs[MAX_REQ];
  size_t n = 0;
  bool req_unknown = false;
  size_t open_before_reqs = x->nopen;
  if (f->subject != 0) {
    EACH_US_RULE(e, on, TG__R_LICENSE, r) {
      int t = truth_of(x, r, &ev, NULL);
      if (t == 0 || n == MAX_REQ) continue;
      reqs[n++] = (oreq){.rule = r, .policy_rule = r, .policy = case_policy(r, &ev), .t = t};
      req_unknown |= t < 0;
      if (t < 0) note_open(x, r);
    }
  }
  EACH_US_RULE(e, on, TG__R_POLICY, r) {
    bool relevant = false;
    for (size_t k = 0; k < n; k++) relevant |= aims_at(r, reqs[k].rule);
    if (!relevant) continue;
    int t = truth_of(x, r, &ev, &o->undetermined);
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
    if (truth_of(x, r, &ev, &o->undetermined) != 1) continue;
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
  if (o->policy && definite && !strcmp(o->policy, definite) && f->subject == 1) {
    req_unknown = false;
    size_t w = open_before_reqs;
    for (size_t i = open_before_reqs; i < x->nopen; i++)
      if (x->open[i]->kind != TG__R_LICENSE) x->open[w++] = x->open[i];
    x->nopen = w;
  }
  o->undetermined |= req_unknown;
  o->verdict = o->policy ? TG_LICENSE_REQUIRED
                         : (o->exception_rule ? TG_LICENSE_EXCEPTION : TG_NO_LICENSE_REQUIRED);
  if (o->verdict != TG_LICENSE_EXCEPTION) o->exception_rule = NULL;
  f->license_required = o->verdict == TG_LICENSE_REQUIRED;
  EACH_US_RULE(e, on, TG__R_FEE, r) {
    if (truth_of(x, r, &ev, &o->undetermined) == 1) o->rate_ppm += r->rate_ppm;
  }
}

void tg__outcome_variant(const tg_engine *e, tg_date on, tg__facts *f,
                         const tg__rule *const *forced, const signed char *truth, size_t n,
                         signed char *memo, tg__answer *o) {
  run x = {.memo = memo, .forced = forced, .forced_truth = truth, .nforced = n};
  eval_once(e, on, f, &x, o);
}

static bool same_answer(const tg__answer *a, const tg__answer *b) {
  const char *ea = a->exception_rule ? a->exception_rule->effect : NULL;
  const char *eb = b->exception_rule ? b->exception_rule->effect : NULL;
  return a->verdict == b->verdict && (a->policy == b->policy || (a->policy && b->policy && !strcmp(a->policy, b->policy))) &&
         (ea == eb || (ea && eb && !strcmp(ea, eb)));
}

/* As tg_check (decide.c with branches.c): an undetermined answer is
 * decided again for each truth of the open rules it rests on (up to six);
 * when every branch is determined and gives the same verdict, review
 * policy and exception, the unknowns change nothing and the answer is
 * determined. */
void tg__outcome_eval(const tg_engine *e, tg_date on, tg__facts *f, tg__ocache *cache,
                      tg__answer *o) {
  cache_at(cache, on);
  run x = {.cache = cache};
  eval_once(e, on, f, &x, o);
  if (!o->undetermined || !x.nopen) return;
  size_t nv = x.nopen < MAX_BRANCH_RULES ? x.nopen : MAX_BRANCH_RULES;
  const tg__rule *forced[MAX_BRANCH_RULES];
  signed char tv[MAX_BRANCH_RULES];
  memcpy(forced, x.open, nv * sizeof *forced);
  tg__facts base = *f;
  bool agree = true;
  tg__answer first;
  for (size_t m = 0; agree && m < ((size_t)1 << nv); m++) {
    for (size_t k = 0; k < nv; k++) tv[k] = (signed char)((m >> k & 1u) == 0);
    run y = {.cache = cache, .forced = forced, .forced_truth = tv, .nforced = nv};
    tg__facts g = base;
    tg__answer b;
    eval_once(e, on, &g, &y, &b);
    if (m == 0) first = b;
    agree = !b.undetermined && same_answer(&b, &first);
  }
  if (agree) o->undetermined = false;
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
                                  const char *attestations, tg_error *err) {
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
  tg__facts_set_event(f);
  tg_status st = tg__facts_set_attestations(f, attestations, err);
  if (st != TG_OK) return st;
  f->order = true;
  f->qty = 1;
  f->unit_price = -1;
  f->party_listed = 0;
  f->party_affiliate = 0; /* no party named: none is a listed party's affiliate */
  if (end_use) snprintf(f->end_use, sizeof f->end_use, "%s", end_use);
  return TG_OK;
}
