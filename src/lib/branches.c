/* branches.c - conditional answers: when unknown facts decide a verdict,
 * the order is decided again for each value of what is unknown and the
 * answer lists the verdict each gives ("if hq in D5 or hq == MO:
 * license_required; otherwise: no_license_required").  Facts with a few
 * values (end use, direct product, made in the US or not) are branched on
 * by value; other open conditions (a headquarters group, a chip figure
 * against a threshold) by the truth of the rule that turns on them. */
#include <stdio.h>
#include <string.h>

#include "jval_int.h"
#include "jw_int.h"
#include "outcome_int.h"

#define MAX_VARS 6
#define MAX_VALUES 5
#define MAX_VARIANTS 96

typedef struct var {
  const char *fact;        /* a fact branched on by value, or NULL */
  const char *values[MAX_VALUES];
  size_t nvalues;
  const tg__rule *rule;    /* a rule branched on by truth */
  char cond[400];          /* its open condition, in the rule file's words */
} var;

#define TG__WORD(v, meaning) v,
static const char *const end_uses[] = {TG__END_USES(TG__WORD) NULL};
static const char *const direct_products[] = {TG__DIRECT_PRODUCTS(TG__WORD) NULL};
#undef TG__WORD
/* "ZZ" stands for any country other than the US (rules test == "US"). */
static const char *const made_in_values[] = {"US", "ZZ", NULL};

static const char *const *domain_of(const char *fact) {
  if (!strcmp(fact, "end_use")) return end_uses;
  if (!strcmp(fact, "direct_product")) return direct_products;
  if (!strcmp(fact, "made_in")) return made_in_values;
  return NULL;
}

static const tg__rule *find_rule(const tg_engine *e, tg_date on, const char *id) {
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    if (tg__ruleset_foreign(rs) || !tg__ruleset_applied(rs, on)) continue;
    for (size_t j = 0; j < rs->nrules; j++)
      if (!strcmp(rs->rules[j].id, id)) return &rs->rules[j];
  }
  return NULL;
}

/* The condition on which a rule turns, given the facts known. */
static void open_condition(tg__facts *f, const tg__rule *r, char *out, size_t n) {
  tg__eval ev;
  tg__eval_init(&ev, f, r->when_src);
  tg__expr_residual(r->when, &ev, out, n);
  if (!r->unless) return;
  tg__eval evu;
  tg__eval_init(&evu, f, r->unless_src);
  if (tg__expr_truth(r->unless, &evu) >= 0) return;
  char u[300];
  tg__expr_residual(r->unless, &evu, u, sizeof u);
  size_t l = strlen(out);
  snprintf(out + l, n - l, " and not (%s)", u);
}

typedef struct variant {
  unsigned mask[MAX_VARS]; /* the values of each var this branch covers */
  char cond[MAX_VARS][300]; /* each rule var's open condition given this
                               branch's fact values */
  tg__outcome oc;
  bool dead;
} variant;

static bool same_outcome(const tg__outcome *a, const tg__outcome *b) {
  return a->verdict == b->verdict && a->determined == b->determined && a->subject == b->subject &&
         !strcmp(a->policy ? a->policy : "", b->policy ? b->policy : "") &&
         !strcmp(a->exception ? a->exception : "", b->exception ? b->exception : "") &&
         !strcmp(a->eccn ? a->eccn : "", b->eccn ? b->eccn : "");
}

/* Merges branches with the same outcome that differ in one variable. */
static void merge(variant *v, size_t nv, size_t nvars) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t i = 0; i < nv; i++)
      for (size_t j = 0; j < nv && !v[i].dead; j++) {
        if (i == j || v[j].dead || !same_outcome(&v[i].oc, &v[j].oc)) continue;
        int diff = -1, ndiff = 0;
        for (size_t k = 0; k < nvars; k++)
          if (v[i].mask[k] != v[j].mask[k]) {
            diff = (int)k;
            ndiff++;
          }
        if (ndiff != 1) continue;
        v[i].mask[diff] |= v[j].mask[diff];
        v[j].dead = true;
        changed = true;
      }
  }
}

static void append(char *text, size_t n, size_t *o, const char *s) {
  int w = snprintf(text + *o, n - *o, "%s%s", *o ? " and " : "", s);
  if (w > 0 && (size_t)w < n - *o) *o += (size_t)w;
}

static bool text_ok(const char *s) { return !s || tg__jtext_ok(s); }

/* Writes one branch (an object) with w; writes nothing when a text of it
 * is not UTF-8 (the branch is left out of the list, as jansson, which
 * built it before, left it out).  The same members in the same order. */
static bool branch_write(tg__jw *w, const variant *v, const var *vars, size_t nvars,
                         bool otherwise) {
  char text[1400] = "", part[520];
  size_t o = 0;
  struct cond { const var *x; const char *values[MAX_VALUES]; size_t n; const char *cond; bool holds; } cs[MAX_VARS];
  size_t ncs = 0;
  for (size_t k = 0; k < nvars; k++) {
    const var *x = &vars[k];
    unsigned full = (1u << x->nvalues) - 1;
    if (v->mask[k] == full) continue;
    struct cond *c = &cs[ncs];
    *c = (struct cond){.x = x};
    if (x->fact) {
      size_t p = 0;
      for (size_t i = 0; i < x->nvalues; i++)
        if (v->mask[k] & (1u << i))
          c->values[c->n++] = !strcmp(x->values[i], "ZZ") ? "not US" : x->values[i];
      if (!strcmp(x->fact, "made_in")) {
        snprintf(part, sizeof part, "made_in %s \"US\"", v->mask[k] & 1u ? "==" : "!=");
      } else {
        p = (size_t)snprintf(part, sizeof part, "%s %s ", x->fact, c->n == 1 ? "==" : "in");
        if (c->n > 1) p += (size_t)snprintf(part + p, sizeof part - p, "[");
        for (size_t i = 0; i < c->n; i++)
          if (p < sizeof part)
            p += (size_t)snprintf(part + p, sizeof part - p, "%s\"%s\"", i ? ", " : "",
                                  c->values[i]);
        if (c->n > 1 && p < sizeof part) snprintf(part + p, sizeof part - p, "]");
      }
      ncs++;
    } else {
      c->holds = v->mask[k] == 2u;
      c->cond = v->cond[k][0] ? v->cond[k] : x->cond;
      snprintf(part, sizeof part, c->holds ? "%s" : "not (%s)", c->cond);
      if (tg__jtext_ok(c->cond)) ncs++; /* jansson left such an item out */
    }
    append(text, sizeof text, &o, part);
  }
  const char *if_text = !o ? "always" : otherwise ? "otherwise" : text;
  if (!tg__jtext_ok(if_text) || !text_ok(v->oc.policy) || !text_ok(v->oc.exception) ||
      !text_ok(v->oc.eccn))
    return false;
  tg__jw_object(w);
  TG__JW_KEY(w, "if");
  tg__jw_string(w, if_text);
  TG__JW_KEY(w, "conditions");
  tg__jw_array(w);
  for (size_t i = 0; i < ncs; i++) {
    tg__jw_object(w);
    if (cs[i].x->fact) {
      TG__JW_KEY(w, "fact");
      tg__jw_string(w, cs[i].x->fact);
      TG__JW_KEY(w, "values");
      tg__jw_array(w);
      for (size_t k = 0; k < cs[i].n; k++) tg__jw_string(w, cs[i].values[k]);
      tg__jw_end_array(w);
    } else {
      TG__JW_KEY(w, "rule");
      tg__jw_string(w, cs[i].x->rule->id);
      TG__JW_KEY(w, "condition");
      tg__jw_string(w, cs[i].cond);
      TG__JW_KEY(w, "holds");
      tg__jw_bool(w, cs[i].holds);
    }
    tg__jw_end_object(w);
  }
  tg__jw_end_array(w);
  TG__JW_KEY(w, "verdict");
  tg__jw_string(w, tg_verdict_name(v->oc.verdict));
  TG__JW_KEY(w, "review_policy");
  tg__jw_string(w, v->oc.policy); /* NULL: null */
  TG__JW_KEY(w, "exception");
  tg__jw_string(w, v->oc.exception);
  TG__JW_KEY(w, "eccn");
  tg__jw_string(w, v->oc.eccn);
  TG__JW_KEY(w, "determined");
  tg__jw_bool(w, v->oc.determined);
  TG__JW_KEY(w, "subject_to_ear");
  if (v->oc.subject < 0) tg__jw_string(w, "unknown");
  else tg__jw_bool(w, v->oc.subject);
  tg__jw_end_object(w);
  return true;
}

static bool have_fact(const var *vars, size_t n, const char *fact) {
  for (size_t k = 0; k < n; k++)
    if (vars[k].fact && !strcmp(vars[k].fact, fact)) return true;
  return false;
}

/* The variables: enumerable facts first, then rules whose open condition
 * involves some other unknown fact. */
static size_t collect(tg__facts *f, tg_date on, const tg__undet_in *undetermined, size_t nu,
                      var *vars) {
  size_t n = 0, k;
  for (size_t i = 0; i < nu; i++)
    for (k = 0; k < undetermined[i].nfacts; k++) {
      const char *fact = undetermined[i].facts[k];
      const char *const *dom = fact ? domain_of(fact) : NULL;
      if (!dom || have_fact(vars, n, fact) || n == MAX_VARS) continue;
      var *v = &vars[n++];
      memset(v, 0, sizeof *v);
      v->fact = fact;
      while (dom[v->nvalues] && v->nvalues < MAX_VALUES) {
        v->values[v->nvalues] = dom[v->nvalues];
        v->nvalues++;
      }
    }
  for (size_t i = 0; i < nu; i++) {
    const tg__rule *r = find_rule(f->e, on, undetermined[i].rule);
    bool other = false, dup = false;
    for (k = 0; k < undetermined[i].nfacts; k++) other |= !domain_of(undetermined[i].facts[k]);
    if (!r || !other || n == MAX_VARS) continue;
    for (k = 0; k < n; k++) dup |= vars[k].rule == r;
    if (dup) continue;
    var *v = &vars[n];
    memset(v, 0, sizeof *v);
    v->rule = r;
    v->nvalues = 2;
    open_condition(f, r, v->cond, sizeof v->cond);
    for (k = 0; k < n; k++) dup |= vars[k].rule && !strcmp(vars[k].cond, v->cond);
    if (!dup) n++;
  }
  return n;
}

static void branch_list(const tg__facts *f, tg_date on, const tg__undet_in *undetermined,
                              size_t nu, tg__jw *out, bool *agree);

static bool same_text(const char *a, const char *b) {
  return a == b || (a && b && !strcmp(a, b));
}

void tg__branches(const tg__facts *f, tg_date on, const tg__undet_in *undetermined, size_t nu,
                  tg__jw *out, bool *agree) {
  *agree = false;
  tg__jw_array(out);
  branch_list(f, on, undetermined, nu, out, agree);
  tg__jw_end_array(out);
}

static void branch_list(const tg__facts *f, tg_date on, const tg__undet_in *undetermined,
                              size_t nu, tg__jw *out, bool *agree) {
  var vars[MAX_VARS];
  tg__facts base = *f;
  size_t nvars = collect(&base, on, undetermined, nu, vars);
  size_t total = 1;
  for (size_t k = 0; k < nvars; k++) {
    if (total * vars[k].nvalues > MAX_VARIANTS) {
      nvars = k; /* branch on what fits; the rest stays conservative */
      break;
    }
    total *= vars[k].nvalues;
  }
  if (!nvars) return;
  /* not cleared (some 2 KB a variant): each variant's masks, conditions
   * and outcome are written below before anything reads them */
  variant *vs = tg__malloc(total * sizeof *vs);
  /* the truths of the rules that read no fact a variant changes */
  signed char *memo = vs ? tg__malloc(f->e->nrules + 1) : NULL;
  if (!memo) {
    tg__free(vs);
    out->failed = true;
    return;
  }
  memset(memo, TG__OC_UNSET, f->e->nrules + 1);
  const tg__rule *forced[MAX_VARS];
  signed char truth[MAX_VARS];
  for (size_t n = 0; n < total; n++) {
    tg__facts g = *f;
    size_t rest = n, nf = 0;
    vs[n].dead = false;
    for (size_t k = nvars; k-- > 0;) {
      size_t val = rest % vars[k].nvalues;
      rest /= vars[k].nvalues;
      vs[n].mask[k] = 1u << val;
      if (vars[k].fact) {
        char *dst = !strcmp(vars[k].fact, "end_use")          ? g.end_use
                    : !strcmp(vars[k].fact, "direct_product") ? g.direct_product
                                                              : g.made_in;
        size_t cap = !strcmp(vars[k].fact, "end_use")          ? sizeof g.end_use
                     : !strcmp(vars[k].fact, "direct_product") ? sizeof g.direct_product
                                                               : sizeof g.made_in;
        snprintf(dst, cap, "%s", vars[k].values[val]);
      }
    }
    /* rule vars, given this variant's fact values: a rule those values
     * settle is not forced (its other value would be impossible) */
    rest = n;
    for (size_t k = nvars; k-- > 0;) {
      size_t val = rest % vars[k].nvalues;
      rest /= vars[k].nvalues;
      if (vars[k].fact) continue;
      open_condition(&g, vars[k].rule, vs[n].cond[k], sizeof vs[n].cond[k]);
      bool settled = !strcmp(vs[n].cond[k], "true") || !strcmp(vs[n].cond[k], "false");
      if (settled) {
        vs[n].mask[k] = 3u;
        if (val != 0) vs[n].dead = true; /* the same as the variant with value 0 */
        continue;
      }
      /* value 0 is "holds" so the binding condition comes first */
      vs[n].mask[k] = val == 0 ? 2u : 1u;
      forced[nf] = vars[k].rule;
      truth[nf++] = val == 0;
    }
    if (!vs[n].dead) {
      tg__answer a;
      tg__outcome_variant(g.e, on, &g, forced, truth, nf, memo, &a);
      vs[n].oc = (tg__outcome){.verdict = a.verdict,
                               .policy = a.policy,
                               .exception = a.exception_rule ? a.exception_rule->effect : NULL,
                               .eccn = a.eccn_rule ? a.eccn_rule->effect : NULL,
                               .subject = g.subject,
                               .determined = !a.undetermined};
    }
  }
  merge(vs, total, nvars);
  size_t live = 0, seen = 0;
  for (size_t n = 0; n < total; n++) live += !vs[n].dead;
  bool single_rule = nvars == 1 && !vars[0].fact;
  /* unknown facts that change nothing decide nothing: every branch gives
   * the same verdict, policy and exception, each of them determined */
  const variant *first = NULL;
  bool same = true;
  for (size_t n = 0; n < total; n++) {
    if (vs[n].dead) continue;
    seen++;
    if (!branch_write(out, &vs[n], vars, nvars, single_rule && seen == live && live > 1)) continue;
    if (!first) first = &vs[n];
    same &= vs[n].oc.verdict == first->oc.verdict && same_text(vs[n].oc.policy, first->oc.policy) &&
            same_text(vs[n].oc.exception, first->oc.exception) && vs[n].oc.determined;
  }
  *agree = first && same;
  tg__free(vs);
  tg__free(memo);
}
