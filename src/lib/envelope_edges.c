/* envelope_edges.c - the edges of the design envelope: each place where
 * crossing one threshold of one axis changes the outcome.  For every pair
 * of neighbouring cells along an axis whose outcomes differ, the pieces
 * with the same threshold and the same pair of outcomes are merged into
 * boxes over the other axes; each edge names its threshold, the rules
 * behind it, the outcome on each side and a point of each side (a cell's
 * inside point) for checking.  Nothing is drawn where the outcome does
 * not change, so every edge is a real change of outcome. */
#include <math.h>
#include <string.h>

#include "envelope_int.h"

#define MAX_EDGES 4000

typedef struct ebox { size_t lo[TG__NAX], hi[TG__NAX]; } ebox;

/* The outcomes on both sides of the crossing from cell idx along axis a
 * (-1 when either side is empty or they agree). */
static int pair_at(const tg__envelope *env, size_t idx, int a, int *below, int *above) {
  size_t c[TG__NAX];
  tg__envelope_coords(env, idx, c);
  if (c[a] + 1 >= env->ax[a].ncells) return -1;
  *below = env->grid[idx];
  c[a]++;
  *above = env->grid[tg__envelope_index(env, c)];
  return *below >= 0 && *above >= 0 && *below != *above ? 1 : -1;
}

/* Whether every cell of slab (fixed on axis a) crosses with the same pair
 * and none is taken yet. */
static bool slab_fits(const tg__envelope *env, const ebox *b, int a, int lo, int hi,
                      const unsigned char *taken) {
  size_t c[TG__NAX];
  memcpy(c, b->lo, sizeof c);
  for (;;) {
    size_t idx = tg__envelope_index(env, c);
    int x, y;
    if (taken[idx] || pair_at(env, idx, a, &x, &y) < 0 || x != lo || y != hi) return false;
    int k = 0;
    while (k < TG__NAX && c[k] == b->hi[k]) c[k] = b->lo[k], k++;
    if (k == TG__NAX) return true;
    c[k]++;
  }
}

static void take(const tg__envelope *env, const ebox *b, unsigned char *taken) {
  size_t c[TG__NAX];
  memcpy(c, b->lo, sizeof c);
  for (;;) {
    taken[tg__envelope_index(env, c)] = 1;
    int k = 0;
    while (k < TG__NAX && c[k] == b->hi[k]) c[k] = b->lo[k], k++;
    if (k == TG__NAX) return;
    c[k]++;
  }
}

static json_t *range_json(const tg__axis *ax, size_t lo, size_t hi) {
  const tg__cell *l = &ax->cells[lo], *h = &ax->cells[hi];
  return json_pack("{s:f,s:o,s:b,s:b}", "from", l->lo, "to", isinf(h->hi) ? json_null() : json_real(h->hi),
                   "from_closed", l->lo_closed, "to_closed", h->hi_closed);
}

static json_t *point_json(const double p[4]) {
  return json_pack("{s:f,s:f,s:f,s:f}", "tpp", p[0], "pd", p[1], "memory_bw_gbs", p[2],
                   "io_bw_gbs", p[3]);
}

static json_t *edge_json(const tg__envelope *env, int a, const ebox *b, int lo, int hi) {
  const tg__axis *ax = &env->ax[a];
  const tg__cell *below = &ax->cells[b->lo[a]];
  json_t *where = json_object();
  for (int k = 0; k < TG__NAX; k++) {
    if (k == a || (b->lo[k] == 0 && b->hi[k] + 1 == env->ax[k].ncells)) continue;
    json_object_set_new(where, tg__axis_names[k], range_json(&env->ax[k], b->lo[k], b->hi[k]));
  }
  size_t c[TG__NAX];
  memcpy(c, b->lo, sizeof c);
  double pb[4], pa[4];
  size_t idx = tg__envelope_index(env, c);
  bool okb = tg__envelope_cell_point(env, idx, pb);
  c[a]++;
  bool oka = tg__envelope_cell_point(env, tg__envelope_index(env, c), pa);
  json_t *j = json_pack("{s:s,s:f,s:s,s:o,s:s,s:s,s:i,s:i,s:o}", "axis", tg__axis_names[a], "at",
                        below->hi, "point_goes", below->hi_closed ? "below" : "above", "rules",
                        below->hi_thr >= 0 ? tg__thr_rules_json(&ax->thr[below->hi_thr]) : json_array(),
                        "below", tg__outcome_class(&env->outs[lo]), "above",
                        tg__outcome_class(&env->outs[hi]), "below_id", lo, "above_id", hi, "where",
                        where);
  if (okb && oka) {
    json_object_set_new(j, "below_point", point_json(pb));
    json_object_set_new(j, "above_point", point_json(pa));
  }
  return j;
}

json_t *tg__envelope_edges_json(const tg__envelope *env) {
  json_t *out = json_array();
  unsigned char *taken = tg__calloc(env->ncells, 1);
  if (!taken) return out;
  size_t n = 0;
  for (int a = 0; a < TG__NAX && n < MAX_EDGES; a++) {
    memset(taken, 0, env->ncells);
    for (size_t idx = 0; idx < env->ncells && n < MAX_EDGES; idx++) {
      int lo, hi;
      if (taken[idx] || pair_at(env, idx, a, &lo, &hi) < 0) continue;
      ebox b;
      tg__envelope_coords(env, idx, b.lo);
      memcpy(b.hi, b.lo, sizeof b.hi);
      for (int k = 0; k < TG__NAX; k++) {
        if (k == a) continue;
        while (b.hi[k] + 1 < env->ax[k].ncells) {
          ebox slab = b;
          slab.lo[k] = slab.hi[k] = b.hi[k] + 1;
          if (!slab_fits(env, &slab, a, lo, hi, taken)) break;
          b.hi[k]++;
        }
      }
      take(env, &b, taken);
      json_array_append_new(out, edge_json(env, a, &b, lo, hi));
      n++;
    }
  }
  tg__free(taken);
  return out;
}
