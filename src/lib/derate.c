/* derate.c - the smallest cuts to a chip's figures (TPP at the same die
 * area, memory bandwidth, interconnect bandwidth) that bring an order into
 * a goal outcome: candidate values at the top of every envelope cell below
 * the chip's own, combined, looked up in the envelope, the non-dominated
 * ones kept, and each confirmed by a direct check of the derated chip. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "envelope_int.h"

enum { D_TPP, D_MEM, D_IO, ND };
#define MAX_CAND 48
#define MAX_ALT 8

static const char *const dim_names[ND] = {"tpp", "memory_bw_gbs", "io_bw_gbs"};

static int goal_rank(const char *c) {
  static const char *const order[] = {"no_license_required", "license_exception",
                                      "presumption_of_approval", "case_by_case",
                                      "presumption_of_denial", NULL};
  for (int i = 0; order[i]; i++)
    if (!strcmp(order[i], c)) return i;
  return 9;
}

/* The highest value of a cell not above cur; false when the cell lies
 * wholly above cur.  *below: the value is just under the cell's open top. */
static bool cell_top(const tg__cell *c, double scale, double cur, double *v, bool *below) {
  double lo = c->lo * scale, hi = c->hi * scale;
  if (lo > cur || (lo == cur && !c->lo_closed)) return false;
  if (hi > cur || (hi == cur && c->hi_closed)) {
    *v = cur;
    *below = false;
    return true;
  }
  *v = c->hi_closed ? hi : hi * (1 - 1e-9);
  *below = !c->hi_closed;
  return true;
}

typedef struct cands {
  double v[MAX_CAND];
  bool below[MAX_CAND];
  size_t n;
} cands;

static void add(cands *c, double v, bool below) {
  if (!(v >= 0)) return;
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i] == v) return;
  if (c->n < MAX_CAND) {
    c->v[c->n] = v;
    c->below[c->n++] = below;
  }
}

static void from_axis(cands *c, const tg__axis *ax, double scale, double offset, double cur) {
  for (size_t i = 0; i < ax->ncells; i++) {
    double v;
    bool below;
    tg__cell cell = ax->cells[i];
    cell.lo -= offset / scale;
    cell.hi -= offset / scale;
    if (cell_top(&cell, scale, cur, &v, &below)) add(c, v, below);
  }
}

typedef struct alt {
  double to[ND];
  bool below[ND];
  int k; /* outcome index */
  double cost;
} alt;

static bool dominates(const alt *a, const alt *b, const double cur[ND]) {
  bool strict = false;
  for (int d = 0; d < ND; d++) {
    if (a->to[d] < b->to[d]) return false; /* a cuts more on d */
    if (a->to[d] > b->to[d]) strict = true;
  }
  (void)cur;
  return strict;
}

static json_t *check_json(const tg_engine *e, const tg_chip *c, const tg__env_opts *o,
                          const double cur[ND], const alt *a, bool *agrees, const char *want) {
  /* c already carries the scenario's datacenter override */
  struct tg_chip copy = *c; /* shallow: only numbers change; never destroyed */
  double f = cur[D_TPP] > 0 ? a->to[D_TPP] / cur[D_TPP] : 1;
  for (int i = 0; i < TG__NPRECISIONS; i++)
    if (copy.f[i].state == TG__F_KNOWN) copy.f[i].value *= f;
  copy.f[TG__MEMORY_BW].value = a->to[D_MEM];
  copy.f[TG__INTERCONNECT].value = a->to[D_IO];
  tg__chip_derive(&copy); /* the metrics are derived from the fields once, not on reading */
  tg_order ord;
  tg_order_init(&ord);
  ord.chip = &copy;
  ord.on = o->on;
  ord.dest = o->dest;
  ord.hq = o->hq;
  ord.origin = o->origin;
  ord.end_use = o->end_use;
  ord.attestations = o->attestations;
  ord.made_in = o->made_in;
  ord.us_content_pct = o->us_content_pct;
  ord.direct_product = o->direct_product;
  tg_result *r;
  if (tg_check(e, &ord, &r, NULL) != TG_OK) return json_null();
  const char *cls = tg_result_verdict(r) == TG_LICENSE_REQUIRED ? tg_result_review_policy(r)
                                                                 : tg_verdict_name(tg_result_verdict(r));
  *agrees = !strcmp(cls, want);
  json_t *j = json_pack("{s:s,s:s,s:s?,s:s?,s:b}", "outcome", cls, "verdict",
                        tg_verdict_name(tg_result_verdict(r)), "review_policy",
                        tg_result_review_policy(r), "exception", tg_result_exception(r),
                        "agrees", *agrees);
  tg_result_destroy(r);
  return j;
}

tg_status tg_derate_json(const tg_engine *e, const tg_chip *chip, tg_date on,
                         const tg_scenario *sc, const char *goal, char **json_out,
                         tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_derate_json: no output");
  *json_out = NULL;
  if (!e || !chip) return tg__set_error(err, TG_EINVAL, "tg_derate_json: no engine or chip");
  tg_status st = tg__scenario_check(sc, err);
  if (st != TG_OK) return st;
  struct tg_chip copy;
  const tg_chip *c = tg__scenario_chip(chip, sc, &copy);
  if (!goal) goal = "no_license_required";
  int grank = goal_rank(goal);
  if (grank > 4)
    return tg__set_error(err, TG_EINVAL, "goal '%s': expected no_license_required, "
                         "license_exception, presumption_of_approval or case_by_case", goal);
  double cur[ND], pd, area, dc;
  const char *need[] = {"tpp", "memory_bw_gbs", "io_bw_gbs"};
  for (int d = 0; d < ND; d++)
    if (tg_chip_metric(c, need[d], &cur[d]) != 1)
      return tg__set_error(err, TG_EINVAL, "%s: its %s is not known exactly, so no cut can be computed",
                           c->id, need[d]);
  if (tg_chip_metric(c, "pd", &pd) != 1 || tg_chip_metric(c, "die_area_mm2", &area) != 1 || !(area > 0))
    return tg__set_error(err, TG_EINVAL, "%s: its die area is not known", c->id);
  if (tg_chip_metric(c, "datacenter", &dc) != 1) dc = 1;
  tg__env_opts o = {on,          sc->dest,
                    sc->hq,      sc->origin,
                    c->vendor ? c->vendor : "(another vendor)",
                    dc != 0,     c->item_type,
                    sc->end_use ? sc->end_use : "none",
                    sc->attestations, sc->made_in,
                    sc->direct_product, sc->us_content_pct};
  tg__envelope *env;
  st = tg__envelope_build(e, &o, &env, err);
  if (st != TG_OK) return st;
  cands cs[ND] = {0};
  add(&cs[D_TPP], cur[D_TPP], false);
  from_axis(&cs[D_TPP], &env->ax[TG__AX_TPP], 1, 0, cur[D_TPP]);
  from_axis(&cs[D_TPP], &env->ax[TG__AX_PD], area, 0, cur[D_TPP]);
  add(&cs[D_MEM], cur[D_MEM], false);
  from_axis(&cs[D_MEM], &env->ax[TG__AX_MEM], 1, 0, cur[D_MEM]);
  from_axis(&cs[D_MEM], &env->ax[TG__AX_SUM], 1, cur[D_IO], cur[D_MEM]);
  add(&cs[D_IO], cur[D_IO], false);
  from_axis(&cs[D_IO], &env->ax[TG__AX_IO], 1, 0, cur[D_IO]);
  from_axis(&cs[D_IO], &env->ax[TG__AX_SUM], 1, cur[D_MEM], cur[D_IO]);
  double p0[4] = {cur[D_TPP], pd, cur[D_MEM], cur[D_IO]};
  int k0 = tg__envelope_lookup(env, p0);
  alt alts[MAX_ALT];
  size_t nalt = 0;
  size_t tried = 0;
  for (size_t a = 0; a < cs[D_TPP].n; a++)
    for (size_t b = 0; b < cs[D_MEM].n; b++)
      for (size_t g = 0; g < cs[D_IO].n; g++) {
        alt x = {{cs[D_TPP].v[a], cs[D_MEM].v[b], cs[D_IO].v[g]},
                 {cs[D_TPP].below[a], cs[D_MEM].below[b], cs[D_IO].below[g]}, 0, 0};
        double p[4] = {x.to[D_TPP], x.to[D_TPP] / area, x.to[D_MEM], x.to[D_IO]};
        tried++;
        x.k = tg__envelope_lookup(env, p);
        if (x.k < 0 || goal_rank(tg__outcome_class(&env->outs[x.k])) > grank ||
            env->outs[x.k].undetermined)
          continue;
        for (int d = 0; d < ND; d++) x.cost += cur[d] > 0 ? (cur[d] - x.to[d]) / cur[d] : 0;
        bool dominated = false;
        for (size_t i = 0; i < nalt && !dominated; i++) dominated = dominates(&alts[i], &x, cur) ||
            !memcmp(alts[i].to, x.to, sizeof x.to);
        if (dominated) continue;
        size_t w = 0;
        for (size_t i = 0; i < nalt; i++)
          if (!dominates(&x, &alts[i], cur)) alts[w++] = alts[i];
        nalt = w;
        if (nalt < MAX_ALT) alts[nalt++] = x;
        else {
          size_t worst = 0;
          for (size_t i = 1; i < nalt; i++)
            if (alts[i].cost > alts[worst].cost) worst = i;
          if (x.cost < alts[worst].cost) alts[worst] = x;
        }
      }
  for (size_t i = 1; i < nalt; i++) /* cheapest first */
    for (size_t j = i; j > 0 && alts[j].cost < alts[j - 1].cost; j--) {
      alt t = alts[j];
      alts[j] = alts[j - 1];
      alts[j - 1] = t;
    }
  json_t *list = json_array(), *rejected = json_array();
  for (size_t i = 0; i < nalt; i++) {
    json_t *cuts = json_array();
    for (int d = 0; d < ND; d++) {
      if (alts[i].to[d] == cur[d]) continue;
      json_array_append_new(cuts, json_pack("{s:s,s:f,s:f,s:b,s:f}", "metric", dim_names[d],
                                            "from", cur[d], "to", alts[i].below[d] ? alts[i].to[d] / (1 - 1e-9) : alts[i].to[d],
                                            "strictly_below", alts[i].below[d], "percent",
                                            100 * (cur[d] - alts[i].to[d]) / cur[d]));
    }
    bool agrees = false;
    const char *cls = tg__outcome_class(&env->outs[alts[i].k]);
    json_t *chk = check_json(e, c, &o, cur, &alts[i], &agrees, cls);
    /* the direct check differs when a rule names the product itself */
    json_array_append_new(agrees ? list : rejected,
                          json_pack("{s:o,s:s,s:o}", "cuts", cuts, "outcome", cls,
                                    "direct_check", chk));
  }
  alt now = {{cur[D_TPP], cur[D_MEM], cur[D_IO]}, {false, false, false}, k0, 0};
  bool same = false;
  json_t *now_chk = check_json(e, c, &o, cur, &now, &same,
                               k0 >= 0 ? tg__outcome_class(&env->outs[k0]) : "unknown");
  char d[11];
  tg_date_format(on, d);
  json_t *root = json_pack(
      "{s:s,s:s,s:s,s:s,s:s,s:{s:s,s:f,s:f,s:f,s:f,s:f},s:o,s:o,s:I,s:s}", "chip", c->id, "chip_name",
      tg_chip_name(c), "on", d, "to", env->dest, "goal", goal, "current", "outcome",
      json_is_object(now_chk) ? json_string_value(json_object_get(now_chk, "outcome")) : "unknown", "tpp", cur[D_TPP], "pd", pd,
      "memory_bw_gbs", cur[D_MEM], "io_bw_gbs", cur[D_IO], "die_area_mm2", area, "alternatives",
      list, "rejected_by_direct_check", rejected, "combinations_tried", (json_int_t)tried, "note",
      "TPP is cut at the same die area (so performance density falls with it), every "
      "precision by the same factor; 'strictly_below' means the figure must stay under 'to'. "
      "Rules that name products (by chip id) stay as they are: a derated part sold under the "
      "same name may still be caught by them.");
  json_decref(now_chk);
  json_object_set_new(root, "scenario", tg__scenario_json(sc));
  json_object_set_new(root, "assumptions", tg__scenario_assumptions(sc));
  tg__envelope_free(env);
  *json_out = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
  json_decref(root);
  return *json_out ? TG_OK : tg__set_error(err, TG_ENOMEM, "out of memory");
}
