/* envelope_json.c - the design envelope as data: its axes with the rules
 * behind each threshold, the regions of each outcome as boxes (cells of
 * one outcome merged), and the headline numbers along the TPP line of a
 * given die area and bandwidth. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "envelope_int.h"

const char *const tg__axis_names[TG__NAX] = {"tpp", "pd", "memory_bw_gbs", "io_bw_gbs",
                                                 "memory_plus_io_bw_gbs"};

static int class_rank(const char *c) {
  static const char *const order[] = {"no_license_required", "license_exception",
                                      "presumption_of_approval", "case_by_case",
                                      "presumption_of_denial", NULL};
  for (int i = 0; order[i]; i++)
    if (!strcmp(order[i], c)) return i;
  return 5;
}

static json_t *num_or_null(double v) { return isinf(v) ? json_null() : json_real(v); }

json_t *tg__thr_rules_json(const tg__thr *t) {
  json_t *a = json_array();
  for (size_t i = 0; i < t->nrules; i++)
    json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "rule", t->rules[i]->id, "rule_set",
                                       t->rules[i]->set->id, "citation", t->rules[i]->cite));
  return a;
}

static json_t *outcome_json(const tg__answer *o, size_t id) {
  const tg__rule *why = o->exception_rule ? o->exception_rule : o->policy_rule;
  return json_pack("{s:I,s:s,s:s,s:o,s:o,s:b,s:o}", "id", (json_int_t)id, "class",
                   tg__outcome_class(o), "verdict", tg_verdict_name(o->verdict), "exception",
                   o->exception_rule ? json_string(o->exception_rule->effect) : json_null(),
                   "review_policy", o->policy ? json_string(o->policy) : json_null(),
                   "undetermined", o->undetermined, "rule",
                   why ? json_string(why->id) : json_null());
}

/* ---- regions: greedy merge of cells into boxes ---------------------- */

typedef struct box { size_t lo[TG__NAX], hi[TG__NAX]; } box;


/* Calls fn on every cell of b; stops when fn returns false. */
static bool each_cell(const tg__envelope *env, const box *b,
                      bool (*fn)(const tg__envelope *, size_t, void *), void *ud) {
  size_t c[TG__NAX];
  memcpy(c, b->lo, sizeof c);
  for (;;) {
    if (!fn(env, tg__envelope_index(env, c), ud)) return false;
    int a = 0;
    while (a < TG__NAX && c[a] == b->hi[a]) c[a] = b->lo[a], a++;
    if (a == TG__NAX) return true;
    c[a]++;
  }
}

typedef struct merge { int k; unsigned char *seen; } merge;

static bool fits(const tg__envelope *env, size_t idx, void *ud) {
  merge *m = ud;
  return env->grid[idx] == -1 || (env->grid[idx] == m->k && !m->seen[idx]);
}

static bool mark(const tg__envelope *env, size_t idx, void *ud) {
  merge *m = ud;
  if (env->grid[idx] != -1) m->seen[idx] = 1;
  return true;
}

/* Whether the face of box b on axis a (its upper side when hi) is an edge
 * all along: every cell of the box there has a neighbour across with
 * another outcome. */
typedef struct face { int a, step; bool any, all; } face;

static bool face_cell(const tg__envelope *env, size_t idx, void *ud) {
  face *f = ud;
  if (env->grid[idx] < 0) return true;
  size_t c[TG__NAX];
  tg__envelope_coords(env, idx, c);
  c[f->a] = f->step > 0 ? c[f->a] + 1 : c[f->a] - 1;
  int other = env->grid[tg__envelope_index(env, c)];
  if (other < 0 || other == env->grid[idx]) f->all = false;
  else f->any = true;
  return f->all;
}

static bool face_is_edge(const tg__envelope *env, const box *b, int a, bool hi) {
  if (hi ? b->hi[a] + 1 >= env->ax[a].ncells : b->lo[a] == 0) return false;
  box slab = *b;
  slab.lo[a] = slab.hi[a] = hi ? b->hi[a] : b->lo[a];
  face f = {a, hi ? 1 : -1, false, true};
  each_cell(env, &slab, face_cell, &f);
  return f.all && f.any;
}

/* A box's bound on axis a; the rules of a threshold are named only where
 * the face is an edge (the outcome changes across it all along). */
static json_t *bound_json(const tg__envelope *env, int a, const box *b) {
  const tg__axis *ax = &env->ax[a];
  const tg__cell *lo = &ax->cells[b->lo[a]], *hi = &ax->cells[b->hi[a]];
  bool from_edge = face_is_edge(env, b, a, false), to_edge = face_is_edge(env, b, a, true);
  json_t *j = json_pack("{s:f,s:o,s:b,s:b,s:b,s:b}", "from", lo->lo, "to", num_or_null(hi->hi),
                        "from_closed", lo->lo_closed, "to_closed", hi->hi_closed, "from_edge",
                        from_edge, "to_edge", to_edge);
  if (from_edge && lo->lo_thr >= 0)
    json_object_set_new(j, "from_rules", tg__thr_rules_json(&ax->thr[lo->lo_thr]));
  if (to_edge && hi->hi_thr >= 0)
    json_object_set_new(j, "to_rules", tg__thr_rules_json(&ax->thr[hi->hi_thr]));
  return j;
}

static json_t *regions_json(const tg__envelope *env) {
  json_t *out = json_array();
  unsigned char *seen = tg__calloc(env->ncells, 1);
  if (!seen) return out;
  for (size_t idx = 0; idx < env->ncells; idx++) {
    if (env->grid[idx] < 0 || seen[idx]) continue;
    merge m = {env->grid[idx], seen};
    box b;
    size_t r = idx;
    for (int a = 0; a < TG__NAX; a++) {
      b.lo[a] = b.hi[a] = r % env->ax[a].ncells;
      r /= env->ax[a].ncells;
    }
    for (int a = 0; a < TG__NAX; a++)
      for (;;) {
        if (b.hi[a] + 1 >= env->ax[a].ncells) break;
        box slab = b;
        slab.lo[a] = slab.hi[a] = b.hi[a] + 1;
        if (!each_cell(env, &slab, fits, &m)) break;
        b.hi[a]++;
      }
    each_cell(env, &b, mark, &m);
    json_t *bounds = json_object();
    for (int a = 0; a < TG__NAX; a++) {
      if (b.lo[a] == 0 && b.hi[a] + 1 == env->ax[a].ncells) continue; /* any value */
      json_object_set_new(bounds, tg__axis_names[a], bound_json(env, a, &b));
    }
    json_array_append_new(out, json_pack("{s:s,s:i,s:o}", "outcome",
                                         tg__outcome_class(&env->outs[m.k]), "outcome_id", m.k,
                                         "bounds", bounds));
  }
  tg__free(seen);
  return out;
}

/* ---- headline: the TPP line of one design ------------------------- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static json_t *headline_json(const tg__envelope *env, double area, double mem, double io) {
  double br[2 * TG__ENV_MAX_T + 1];
  size_t n = 0;
  br[n++] = 0;
  for (size_t i = 0; i < env->ax[TG__AX_TPP].nthr; i++) br[n++] = env->ax[TG__AX_TPP].thr[i].v;
  for (size_t i = 0; i < env->ax[TG__AX_PD].nthr; i++) br[n++] = env->ax[TG__AX_PD].thr[i].v * area;
  qsort(br, n, sizeof *br, cmp_double);
  json_t *segs = json_array();
  int prev = -3;
  json_t *cur = NULL;
  double best[3] = {-1, -1, -1}; /* largest TPP at most NLR, exception, case-by-case */
  bool unbounded[3] = {false, false, false}, closed[3] = {false, false, false};
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && br[i] == br[i - 1]) continue;
    if (br[i] < 0) continue;
    double next = INFINITY;
    for (size_t k = i + 1; k < n; k++)
      if (br[k] > br[i]) { next = br[k]; break; }
    double pts[2] = {br[i], isinf(next) ? br[i] * 2 + 1 : (br[i] + next) / 2};
    for (int s = 0; s < 2; s++) {
      double p[4] = {pts[s], pts[s] / area, mem, io};
      int k = tg__envelope_lookup(env, p);
      if (k < 0) continue;
      const char *cls = tg__outcome_class(&env->outs[k]);
      double to = s == 0 ? br[i] : next;
      int rk = class_rank(cls);
      for (int g = 0; g < 3; g++) {
        if (rk > (g == 2 ? 3 : g)) continue;
        if (isinf(to)) unbounded[g] = true;
        else if (to >= best[g]) {
          best[g] = to;
          closed[g] = s == 0;
        }
      }
      if (k != prev) {
        cur = json_pack("{s:f,s:o,s:b,s:s,s:b}", "tpp_from", br[i],
                        "tpp_to", num_or_null(to), "from_closed", s == 0, "outcome", cls,
                        "undetermined", env->outs[k].undetermined);
        json_array_append_new(segs, cur);
        prev = k;
      } else {
        json_object_set_new(cur, "tpp_to", num_or_null(to));
      }
      json_object_set_new(cur, "to_closed", json_boolean(s == 0));
    }
  }
  static const char *const goals[3] = {"no_license_required", "license_exception",
                                       "case_by_case"};
  json_t *mx = json_object();
  for (int g = 0; g < 3; g++) {
    json_t *v = unbounded[g] ? json_pack("{s:n,s:s}", "tpp", "text", "no upper limit")
                : best[g] < 0 ? json_pack("{s:n,s:s}", "tpp", "text", "no TPP qualifies")
                              : json_pack("{s:f,s:b}", "tpp", best[g], "attained", closed[g]);
    json_object_set_new(mx, goals[g], v);
  }
  return json_pack("{s:{s:f,s:f,s:f},s:o,s:o,s:s}", "design", "die_area_mm2", area,
                   "memory_bw_gbs", mem, "io_bw_gbs", io, "largest_tpp", mx, "segments", segs,
                   "note",
                   "largest_tpp.license_exception: at worst a license exception; "
                   "case_by_case: at worst case-by-case review (presumption of approval "
                   "counts as no worse)");
}

void tg_envelope_opts_init(tg_envelope_opts *o) {
  memset(o, 0, sizeof *o);
  o->dest = "CN";
  o->datacenter = 1;
  o->die_area_mm2 = 800;
  o->memory_bw_gbs = 4000;
  o->io_bw_gbs = 900;
  o->us_content_pct = -1;
}

static json_t *axes_json(const tg__envelope *env) {
  json_t *axes = json_object();
  for (int a = 0; a < TG__NAX; a++) {
    if (a == TG__AX_SUM && !env->has_sum) continue;
    json_t *t = json_array();
    for (size_t i = 0; i < env->ax[a].nthr; i++) {
      const tg__thr *th = &env->ax[a].thr[i];
      json_array_append_new(t, json_pack("{s:f,s:s,s:o}", "value", th->v, "point_goes",
                                         th->point || (th->up && th->down) ? "own cell"
                                         : th->down                        ? "below"
                                                                           : "above",
                                         "rules", tg__thr_rules_json(th)));
    }
    json_object_set_new(axes, tg__axis_names[a], json_pack("{s:o,s:I}", "thresholds", t, "cells",
                                                       (json_int_t)env->ax[a].ncells));
  }
  return axes;
}

static json_t *named_rules_json(const tg__envelope *env) {
  json_t *a = json_array();
  const tg_engine *e = env->e;
  for (size_t si = 0; si < e->nrulesets; si++) {
    const tg__ruleset *rs = e->rulesets[si];
    if (tg__ruleset_foreign(rs) || !tg__ruleset_applied(rs, env->on)) continue;
    for (size_t ri = 0; ri < rs->nrules; ri++)
      if (rs->rules[ri].when_src && strstr(rs->rules[ri].when_src, "chip in") )
        json_array_append_new(a, json_pack("{s:s,s:s}", "rule", rs->rules[ri].id, "when",
                                           rs->rules[ri].when_src));
  }
  return a;
}

tg_status tg_envelope_json(const tg_engine *e, const tg_envelope_opts *o, char **json_out,
                           tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_envelope_json: no output");
  *json_out = NULL;
  if (!e || !o) return tg__set_error(err, TG_EINVAL, "tg_envelope_json: no engine or options");
  if (!(o->die_area_mm2 > 0) || !(o->memory_bw_gbs >= 0) || !(o->io_bw_gbs >= 0))
    return tg__set_error(err, TG_EINVAL,
                         "die area must be positive and bandwidths non-negative");
  if (tg__end_use_check(o->end_use, err) != TG_OK) return TG_EINVAL;
  tg__env_opts eo = {o->on,          o->dest,         o->hq,
                     o->origin,      o->vendor,       o->datacenter != 0,
                     NULL,           o->end_use,      o->attestations,
                     o->made_in,     o->direct_product, o->us_content_pct};
  tg__envelope *env;
  tg_status st = tg__envelope_build(e, &eo, &env, err);
  if (st != TG_OK) return st;
  char on[11];
  tg_date_format(o->on, on);
  json_t *outs = json_array();
  for (size_t i = 0; i < env->nouts; i++) json_array_append_new(outs, outcome_json(&env->outs[i], i));
  json_t *root = json_pack(
      "{s:s,s:s,s:o,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:I}", "on", on, "to", env->dest, "hq",
      env->hq[0] ? json_string(env->hq) : json_null(), "origin", env->origin, "datacenter",
      env->datacenter, "vendor", env->vendor[0] ? json_string(env->vendor) : json_null(),
      "axes", axes_json(env), "outcomes", outs, "regions", regions_json(env), "headline",
      headline_json(env, o->die_area_mm2, o->memory_bw_gbs, o->io_bw_gbs), "cells_evaluated",
      (json_int_t)env->ncells);
  json_object_set_new(root, "edges", tg__envelope_edges_json(env));
  json_t *assume = json_pack(
      "[s,s,s,s]",
      "a new integrated circuit (item_type ic) not named by any rule; rules naming products "
      "are listed under named_product_rules and do not shape the envelope",
      "peak_tops is taken as TPP / 8 (a design whose densest format is INT8); it only "
      "decides 3A991.p against EAR99",
      "performance density is an axis of its own; a chip's point is (TPP, TPP / die area)",
      "no party to the order is on a screening list and no restricted end use (end_use none, "
      "unless given); exported from the origin given (US unless --from); quantity 1; price "
      "unknown");
  json_array_append_new(
      assume, json_string(o->attestations
                              ? "the exporter's attestations are those given (attestations); "
                                "the others are taken as not made"
                              : "no attestation of the exporter is stated (--attest): review "
                                "policies that require attestations (91 FR 1684, January 2026) "
                                "stay undetermined and their presumption of denial is kept"));
  json_array_append_new(assume,
                        tg__origin_assumption(o->made_in, o->us_content_pct, o->direct_product));
  json_object_set_new(root, "made_in", o->made_in ? json_string(env->base.made_in) : json_null());
  json_object_set_new(root, "us_content_pct",
                      o->us_content_pct < 0 ? json_null() : json_real(o->us_content_pct));
  json_object_set_new(root, "direct_product",
                      o->direct_product ? json_string(o->direct_product) : json_null());
  json_object_set_new(root, "attestations",
                      o->attestations ? json_string(o->attestations) : json_null());
  json_object_set_new(root, "assumptions", assume);
  json_object_set_new(root, "named_product_rules", named_rules_json(env));
  json_object_set_new(root, "not_on_axes", env->other[0] ? json_string(env->other) : json_null());
  tg__envelope_free(env);
  *json_out = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
  json_decref(root);
  return *json_out ? TG_OK : tg__set_error(err, TG_ENOMEM, "out of memory");
}
