/* envelope.c - builds the design envelope (envelope_int.h): collects the
 * thresholds of every comparison of a metric against a number in the US
 * rules applied on the date, cuts each axis at them, and evaluates one
 * point per cell with the outcome core. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope_int.h"

static const struct { const char *fact; int axis; double scale; } axis_facts[] = {
    {"tpp", TG__AX_TPP, 1}, {"peak_tops", TG__AX_TPP, 8}, /* TPP of an INT8 design */
    {"pd", TG__AX_PD, 1},   {"memory_bw", TG__AX_MEM, 1}, {"io_bw", TG__AX_IO, 1}};

static bool ident_axis(const tg__expr *x, int *axis, double *scale) {
  if (!x || x->kind != TG__EX_IDENT) return false;
  for (size_t i = 0; i < sizeof axis_facts / sizeof *axis_facts; i++)
    if (!strcmp(x->str, axis_facts[i].fact)) {
      *axis = axis_facts[i].axis;
      *scale = axis_facts[i].scale;
      return true;
    }
  return false;
}

/* memory_bw + io_bw (either order) */
static bool sum_axis(const tg__expr *x) {
  int a1, a2;
  double s1, s2;
  return x && x->kind == TG__EX_ARITH && x->op == TG__OP_ADD && ident_axis(x->a, &a1, &s1) &&
         ident_axis(x->b, &a2, &s2) && s1 == 1 && s2 == 1 &&
         ((a1 == TG__AX_MEM && a2 == TG__AX_IO) || (a1 == TG__AX_IO && a2 == TG__AX_MEM));
}

static bool metric_ident(const tg__expr *x) {
  static const char *const m[] = {"hbm_density", "die_area", NULL};
  if (!x || x->kind != TG__EX_IDENT) return false;
  for (int i = 0; m[i]; i++)
    if (!strcmp(x->str, m[i])) return true;
  return false;
}

typedef struct walk {
  tg__envelope *env;
  const tg__rule *rule;
  tg_status st;
  tg_error *err;
} walk;

static void add_thr(walk *w, int axis, double v, tg__op op) {
  tg__axis *a = &w->env->ax[axis];
  size_t i = 0;
  while (i < a->nthr && a->thr[i].v != v) i++;
  if (i == a->nthr) {
    if (a->nthr == TG__ENV_MAX_T) {
      w->st = tg__set_error(w->err, TG_EINVAL, "envelope: more than %d thresholds on one axis",
                            TG__ENV_MAX_T);
      return;
    }
    memset(&a->thr[i], 0, sizeof a->thr[i]);
    a->thr[i].v = v;
    a->nthr++;
  }
  tg__thr *t = &a->thr[i];
  if (op == TG__OP_GE || op == TG__OP_LT) t->up = true;
  else if (op == TG__OP_GT || op == TG__OP_LE) t->down = true;
  else t->point = true;
  for (size_t k = 0; k < t->nrules; k++)
    if (t->rules[k] == w->rule) return;
  if (t->nrules < TG__ENV_MAX_RULES) t->rules[t->nrules++] = w->rule;
}

static tg__op flip(tg__op op) {
  switch (op) {
  case TG__OP_LT: return TG__OP_GT;
  case TG__OP_LE: return TG__OP_GE;
  case TG__OP_GT: return TG__OP_LT;
  case TG__OP_GE: return TG__OP_LE;
  default: return op;
  }
}

static void note_other(walk *w, const tg__expr *x) {
  char *o = w->env->other;
  size_t l = strlen(o);
  if (strstr(o, w->rule->id) || l + strlen(w->rule->id) + 16 >= sizeof w->env->other) return;
  snprintf(o + l, sizeof w->env->other - l, "%s%s (%s)", l ? "; " : "", w->rule->id, x->str);
}

static void walk_expr(walk *w, const tg__expr *x) {
  if (!x || w->st != TG_OK) return;
  if (x->kind == TG__EX_CMP) {
    const tg__expr *side = x->a, *num = x->b;
    tg__op op = x->op;
    if (side && side->kind == TG__EX_NUM) {
      side = x->b;
      num = x->a;
      op = flip(op);
    }
    if (num && num->kind == TG__EX_NUM) {
      int axis;
      double scale;
      if (ident_axis(side, &axis, &scale)) add_thr(w, axis, num->num * scale, op);
      else if (sum_axis(side)) {
        add_thr(w, TG__AX_SUM, num->num, op);
        w->env->has_sum = true;
      } else if (metric_ident(side)) note_other(w, side);
    }
  }
  walk_expr(w, x->a);
  walk_expr(w, x->b);
  for (size_t i = 0; i < x->nitems; i++) walk_expr(w, x->items[i]);
}

static int cmp_thr(const void *a, const void *b) {
  double x = ((const tg__thr *)a)->v, y = ((const tg__thr *)b)->v;
  return (x > y) - (x < y);
}

/* Cuts an axis into cells: [0, t1), [t1, t2), ... with each threshold's
 * point placed as its comparisons require. */
static tg_status make_cells(tg__axis *a) {
  qsort(a->thr, a->nthr, sizeof *a->thr, cmp_thr);
  a->cells = tg__calloc(2 * a->nthr + 2, sizeof *a->cells);
  if (!a->cells) return TG_ENOMEM;
  double lo = 0;
  bool lo_closed = true;
  int lo_thr = -1;
  size_t n = 0;
  for (size_t i = 0; i <= a->nthr; i++) {
    if (i < a->nthr && a->thr[i].v <= 0) { /* metrics are never negative */
      if (a->thr[i].v == 0 && (a->thr[i].down || a->thr[i].point) && n == 0) {
        a->cells[n++] = (tg__cell){0, 0, true, true, 0, (int)i, (int)i};
        lo_closed = false;
        lo_thr = (int)i;
      }
      continue;
    }
    double hi = i < a->nthr ? a->thr[i].v : INFINITY;
    bool split = i < a->nthr && (a->thr[i].point || (a->thr[i].up && a->thr[i].down));
    bool hi_closed = i < a->nthr && !split && a->thr[i].down;
    double rep = isinf(hi) ? (lo > 0 ? lo * 1.5 : 1) : (lo + hi) / 2;
    a->cells[n++] = (tg__cell){lo, hi, lo_closed, hi_closed, rep, lo_thr, i < a->nthr ? (int)i : -1};
    if (split) a->cells[n++] = (tg__cell){hi, hi, true, true, hi, (int)i, (int)i};
    lo = hi;
    lo_closed = !hi_closed && !split;
    lo_thr = (int)i;
  }
  a->ncells = n;
  return TG_OK;
}

static bool in_cell(const tg__cell *c, double v) {
  if (v < c->lo || (v == c->lo && !c->lo_closed)) return false;
  if (v > c->hi || (v == c->hi && !c->hi_closed)) return false;
  return true;
}

static size_t find_cell(const tg__axis *a, double v) {
  size_t lo = 0, hi = a->ncells;
  while (lo + 1 < hi) {
    size_t mid = (lo + hi) / 2;
    const tg__cell *c = &a->cells[mid];
    if (v > c->lo || (v == c->lo && c->lo_closed)) lo = mid;
    else hi = mid;
  }
  return lo;
}

static void set_metric(tg__metric *m, double v) {
  m->defined = true;
  m->lo = m->hi = v;
  snprintf(m->confidence, sizeof m->confidence, "user");
}

void tg__envelope_facts(const tg__envelope *env, const double p[4], tg__facts *f) {
  *f = env->base;
  set_metric(&f->tpp, p[0]);
  set_metric(&f->pd, p[1]);
  set_metric(&f->mem, p[2]);
  set_metric(&f->io, p[3]);
  set_metric(&f->peak, p[0] / 8);
  if (p[1] > 0) set_metric(&f->area, p[0] / p[1]);
}

void tg__envelope_eval(const tg__envelope *env, const double p[4], tg__answer *out) {
  tg__facts f;
  tg__envelope_facts(env, p, &f);
  tg__outcome_eval(env->e, env->on, &f, (tg__ocache *)&env->cache, out);
}

int tg__envelope_lookup(const tg__envelope *env, const double p[4]) {
  double v[TG__NAX] = {p[0], p[1], p[2], p[3], p[2] + p[3]};
  size_t c[TG__NAX];
  for (int a = 0; a < TG__NAX; a++) c[a] = find_cell(&env->ax[a], v[a]);
  return env->grid[tg__envelope_index(env, c)];
}

/* A point of the memory x interconnect cells whose sum lies in the sum
 * cell; false when there is none. */
static bool sum_point(const tg__cell *m, const tg__cell *i, const tg__cell *s, double cap,
                      double *pm, double *pi) {
  double mh = isinf(m->hi) ? cap : m->hi, ih = isinf(i->hi) ? cap : i->hi;
  double sh = isinf(s->hi) ? 4 * cap : s->hi;
  double lo = fmax(m->lo + i->lo, s->lo), hi = fmin(mh + ih, sh);
  if (s->lo == s->hi) { /* a point cell */
    if (s->lo < m->lo + i->lo || s->lo > mh + ih) return false;
    lo = hi = s->lo;
  } else if (hi <= lo) {
    return false;
  }
  double t = (lo + hi) / 2, wm = mh - m->lo, wi = ih - i->lo;
  double x = wm + wi > 0 ? m->lo + (t - m->lo - i->lo) * wm / (wm + wi) : m->lo;
  *pm = x;
  *pi = t - x;
  return in_cell(m, *pm) && in_cell(i, *pi) && in_cell(s, *pm + *pi);
}

size_t tg__envelope_index(const tg__envelope *env, const size_t c[TG__NAX]) {
  size_t idx = 0;
  for (int a = TG__NAX - 1; a >= 0; a--) idx = idx * env->ax[a].ncells + c[a];
  return idx;
}

void tg__envelope_coords(const tg__envelope *env, size_t idx, size_t c[TG__NAX]) {
  for (int a = 0; a < TG__NAX; a++) {
    c[a] = idx % env->ax[a].ncells;
    idx /= env->ax[a].ncells;
  }
}

bool tg__envelope_cell_point(const tg__envelope *env, size_t idx, double p[4]) {
  size_t c[TG__NAX];
  tg__envelope_coords(env, idx, c);
  const tg__cell *cm = &env->ax[TG__AX_MEM].cells[c[TG__AX_MEM]];
  const tg__cell *ci = &env->ax[TG__AX_IO].cells[c[TG__AX_IO]];
  p[0] = env->ax[TG__AX_TPP].cells[c[TG__AX_TPP]].rep;
  p[1] = env->ax[TG__AX_PD].cells[c[TG__AX_PD]].rep;
  return sum_point(cm, ci, &env->ax[TG__AX_SUM].cells[c[TG__AX_SUM]], env->cap, &p[2], &p[3]);
}

/* A rule whose condition is false for this order whatever the design's
 * figures (evaluated with every metric and derived fact unknown: in
 * three-valued logic a false answer holds for all their values), e.g. a
 * rule for other destinations or one naming products. */
static bool never_holds(const tg__envelope *env, const tg__rule *r) {
  if (!r->when) return false;
  tg__facts f = env->base;
  tg__metric *m[] = {&f.tpp, &f.pd, &f.mem, &f.io, &f.peak, &f.area};
  for (size_t i = 0; i < sizeof m / sizeof *m; i++) m[i]->defined = false; /* unknown */
  f.eccn = NULL; /* and what the decision derives */
  f.license_required = -1;
  f.subject = -1;
  tg__eval ev;
  tg__eval_init(&ev, &f, r->when_src);
  ev.quiet = true;
  return tg__expr_truth(r->when, &ev) == 0;
}

void tg__envelope_free(tg__envelope *env) {
  if (!env) return;
  for (int a = 0; a < TG__NAX; a++) tg__free(env->ax[a].cells);
  tg__free(env->grid);
  tg__ocache_free(&env->cache);
  tg_chip_destroy(env->chip);
  tg__free(env);
}

tg_status tg__envelope_build(const tg_engine *e, const tg__env_opts *o, tg__envelope **out,
                             tg_error *err) {
  *out = NULL;
  tg__envelope *env = tg__calloc(1, sizeof *env);
  if (!env) return tg__set_error(err, TG_ENOMEM, "out of memory");
  env->e = e;
  env->on = o->on;
  env->datacenter = o->datacenter;
  snprintf(env->vendor, sizeof env->vendor, "%s", o->vendor ? o->vendor : "");
  tg_status st = tg_chip_create("design", &env->chip);
  if (st == TG_OK) st = tg_chip_set_text(env->chip, "item_type", o->item_type ? o->item_type : "ic");
  /* a vendor no rule names, unless one is given */
  if (st == TG_OK)
    st = tg_chip_set_text(env->chip, "vendor", o->vendor ? o->vendor : "(another vendor)");
  if (st == TG_OK) st = tg_chip_set_number(env->chip, "datacenter", o->datacenter, NULL);
  if (st != TG_OK) {
    tg__envelope_free(env);
    return tg__set_error(err, st, "envelope: cannot make the design (vendor '%s')",
                         o->vendor ? o->vendor : "");
  }
  tg__facts_init(&env->base, e, env->chip, o->on);
  if ((st = tg__outcome_order_facts(e, &env->base, o->dest, o->hq, o->origin,
                                    o->end_use ? o->end_use : "none", o->attestations,
                                    err)) != TG_OK ||
      (st = tg__origin_facts(e, &env->base, o->made_in, o->us_content_pct, o->direct_product,
                             err)) != TG_OK) {
    tg__envelope_free(env);
    return st;
  }
  if (tg__ocache_init(&env->cache, e) != TG_OK) {
    tg__envelope_free(env);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  memcpy(env->dest, env->base.dest, 3);
  memcpy(env->hq, env->base.hq, 3);
  memcpy(env->origin, env->base.origin, 3);
  walk w = {.env = env, .st = TG_OK, .err = err};
  for (size_t si = 0; si < e->nrulesets && w.st == TG_OK; si++) {
    const tg__ruleset *rs = e->rulesets[si];
    if (tg__ruleset_foreign(rs) || !tg__ruleset_applied(rs, o->on)) continue;
    for (size_t ri = 0; ri < rs->nrules; ri++) {
      w.rule = &rs->rules[ri];
      if (never_holds(env, w.rule)) continue; /* its thresholds cut nothing that matters */
      walk_expr(&w, w.rule->when);
      walk_expr(&w, w.rule->unless);
      for (size_t k = 0; k < w.rule->ncases; k++) walk_expr(&w, w.rule->cases[k].when);
    }
  }
  st = w.st;
  for (int a = 0; a < TG__NAX && st == TG_OK; a++)
    if ((st = make_cells(&env->ax[a])) != TG_OK) tg__set_error(err, st, "out of memory");
  if (st == TG_OK) st = tg__envelope_fill_grid(env, err);
  if (st != TG_OK) {
    tg__envelope_free(env);
    return st;
  }
  *out = env;
  return TG_OK;
}
