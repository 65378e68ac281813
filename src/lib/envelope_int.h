/* envelope_int.h - the design envelope: the parameter space (TPP,
 * performance density, memory and interconnect bandwidth) cut into cells
 * at every threshold the rules in force compare, each cell with the
 * outcome the rules give it.  Within a cell every comparison keeps its
 * truth value, so one evaluation per cell is exact. */
#ifndef TG_ENVELOPE_INT_H
#define TG_ENVELOPE_INT_H

#include "outcome_int.h"

enum { TG__AX_TPP, TG__AX_PD, TG__AX_MEM, TG__AX_IO, TG__AX_SUM, TG__NAX };
#define TG__ENV_MAX_T 32     /* thresholds per axis */
#define TG__ENV_MAX_RULES 8  /* rules named per threshold */
#define TG__ENV_MAX_OUT 24   /* distinct outcomes */

/* A threshold on an axis and how comparisons treat the point itself. */
typedef struct tg__thr {
  double v;
  bool up, down, point; /* >=,< put v with the cell above; >,<= below;
                           ==,!= make it a cell of its own */
  const tg__rule *rules[TG__ENV_MAX_RULES];
  size_t nrules;
} tg__thr;

typedef struct tg__cell {
  double lo, hi; /* hi may be INFINITY */
  bool lo_closed, hi_closed;
  double rep;    /* a value inside */
  int lo_thr, hi_thr; /* index of the threshold at each end, -1 none */
} tg__cell;

typedef struct tg__axis {
  tg__thr thr[TG__ENV_MAX_T];
  size_t nthr;
  tg__cell *cells;
  size_t ncells;
} tg__axis;

/* A rule whose truth depends only on some axes (the metrics it reads):
 * its truth per combination of those axes' cells, filled as the grid is
 * evaluated and handed to the outcome core through the cache. */
typedef struct tg__memo {
  size_t slot;    /* its place in tg__ocache.truth */
  const tg__rule *rule;
  unsigned axes;  /* bit per axis it depends on */
  signed char *v; /* per key: TG__OC_UNSET or -1/0/1 */
} tg__memo;

typedef struct tg__envelope {
  const tg_engine *e;
  tg_date on;
  char dest[3], hq[3], origin[3];
  bool datacenter;
  char vendor[64];
  tg__axis ax[TG__NAX];
  bool has_sum;
  tg__answer outs[TG__ENV_MAX_OUT];
  size_t nouts;
  int16_t *grid; /* outcome index per cell; -1: empty (no point of the
                    sum cell lies in the memory x interconnect cell) */
  size_t ncells;
  char other[512]; /* comparisons of metrics that are not axes */
  tg_chip *chip;   /* the synthetic design (item type, vendor, datacenter) */
  tg__facts base;  /* its order facts; metrics set per point */
  tg__ocache cache; /* truths of the rules no point changes */
  double cap;       /* stands for infinity on the bandwidth axes */
  tg__memo *memo;   /* rules reading only metrics (envelope_grid.c) */
  size_t nmemo;
} tg__envelope;

typedef struct tg__env_opts {
  tg_date on;
  const char *dest, *hq, *origin, *vendor;
  bool datacenter;
  const char *item_type; /* NULL = "ic" */
  const char *end_use;   /* NULL = "none" (no restricted end use) */
  const char *attestations; /* as tg_order.attestations; NULL = none stated */
  const char *made_in, *direct_product; /* NULL = not stated */
  double us_content_pct;                /* -1 = not stated */
} tg__env_opts;

tg_status tg__envelope_build(const tg_engine *e, const tg__env_opts *o, tg__envelope **out,
                             tg_error *err);
void tg__envelope_free(tg__envelope *env);
/* Answers every cell of an envelope whose axes are cut (envelope_grid.c). */
tg_status tg__envelope_fill_grid(tg__envelope *env, tg_error *err);
/* The outcome of a point (tpp, pd, memory_bw, io_bw): index into outs. */
int tg__envelope_lookup(const tg__envelope *env, const double p[4]);
/* The grid index of cell coordinates, and back. */
size_t tg__envelope_index(const tg__envelope *env, const size_t c[TG__NAX]);
void tg__envelope_coords(const tg__envelope *env, size_t idx, size_t c[TG__NAX]);
/* A point (tpp, pd, memory_bw, io_bw) inside grid cell idx; false when
 * the cell is empty (its sum cell meets no memory x interconnect point). */
bool tg__envelope_cell_point(const tg__envelope *env, size_t idx, double p[4]);
/* The edges: every threshold crossing that changes the outcome, merged
 * into boxes over the other axes (envelope_edges.c). */
json_t *tg__envelope_edges_json(const tg__envelope *env);
/* JSON of the rules behind threshold t and of an axis's name. */
json_t *tg__thr_rules_json(const tg__thr *t);
extern const char *const tg__axis_names[TG__NAX];
/* The order facts of a point: the design's with its metrics set. */
void tg__envelope_facts(const tg__envelope *env, const double p[4], tg__facts *f);
/* Evaluates a point directly (used for cells and by derate). */
void tg__envelope_eval(const tg__envelope *env, const double p[4], tg__answer *out);

/* ---- scenario.c: the order facts capability answers assume ---------- */
/* TG_EINVAL when end_use (NULL = none) is not a word tg_check takes. */
tg_status tg__end_use_check(const char *end_use, tg_error *err);
/* TG_EINVAL for a NULL or malformed scenario. */
tg_status tg__scenario_check(const tg_scenario *s, tg_error *err);
/* c, or `copy` (a shallow copy of c, never destroyed) with the scenario's
 * datacenter override applied. */
const tg_chip *tg__scenario_chip(const tg_chip *c, const tg_scenario *s, struct tg_chip *copy);
/* Fills f's order facts (tg__outcome_order_facts) from the scenario. */
tg_status tg__scenario_facts(const tg_engine *e, tg__facts *f, const tg_scenario *s,
                             tg_error *err);
/* Sets made_in, us_content_pct and direct_product (NULL / -1 = not
 * stated); TG_EINVAL naming a bad one. */
tg_status tg__origin_facts(const tg_engine *e, tg__facts *f, const char *made_in,
                           double us_content_pct, const char *direct_product, tg_error *err);
/* The assumption an answer makes about those three facts. */
json_t *tg__origin_assumption(const char *made_in, double us_content_pct,
                              const char *direct_product);
/* {"to", "hq", "origin", "end_use", "attestations", "datacenter",
 *  "made_in", "us_content_pct", "direct_product"}. */
json_t *tg__scenario_json(const tg_scenario *s);
/* The assumptions an answer in this scenario makes, as sentences. */
json_t *tg__scenario_assumptions(const tg_scenario *s);

#endif
