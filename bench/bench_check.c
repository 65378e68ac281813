/* bench_check.c - in-process throughput of the core on one thread (not a
 * test): engine open, catalog classifications (results with their reasons
 * available, and with the JSON rendered), spec (non-catalog) chip
 * classifications, order checks with the JSON rendered, and the chart at
 * full resolution; beside them a bare threshold baseline (the 2022 and
 * 2023 3A090 tests and the 2026 review policy written directly in C,
 * without reasons, dates or unknowns), with the ratio, so the price of the
 * full engine stays visible from run to run.  Times are the thread's CPU
 * time (the machine is shared), wall time beside.
 * Checks: "check" cycles over catalog chips x 6 dates x 5 destinations
 * (1,110 distinct orders with 37 chips); after two passes (timed apart)
 * every answer comes from tg_check's answer cache (check_cache.c);
 * "checknew" gives each order a new quantity: after two passes (timed
 * apart) each order's decision is kept (check_cache.c: no rule reads the
 * quantity), so an answer is a lookup and the JSON rendered with the new
 * numbers; "checkcold" makes every order a new combination of the inputs
 * the decision rests on (chip, date, destination, end use, headquarters,
 * attestations: 99,900 combinations, none repeated within a run of a few
 * seconds), so every answer is evaluated and rendered.
 * Usage: build/bench_check [seconds per figure, default 1] [only: bare,
 * class, json, spec, specjson, check, checknew, checkcold, check1
 * or chart - for profiling one figure].  A negative first argument -N
 * runs exactly N operations per figure instead (the same orders every
 * time: for instruction counts under callgrind, e.g. -1110 checknew). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tollgate.h"

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct timing {
  double t0, w0, budget;
  long n;
} timing;

static void start(timing *t, double budget) {
  t->n = 0;
  t->budget = budget;
  t->t0 = cpu_now();
  t->w0 = wall_now();
}
static int more(timing *t) {
  if (t->budget < 0) return t->n < (long)-t->budget; /* a fixed count */
  return (t->n & 63) || cpu_now() - t->t0 < t->budget;
}

static double report(timing *t, const char *what) {
  double cpu = cpu_now() - t->t0, wall = wall_now() - t->w0;
  printf("%-74s %10.0f /s  %8.3f us each  (%ld in %.2f s CPU, %.2f s wall)\n", what, t->n / cpu,
         cpu / t->n * 1e6, t->n, cpu, wall);
  return t->n / cpu;
}

/* ---- the bare baseline ------------------------------------------------ */

typedef struct bare_chip {
  double tpp, pd, io, mem;
  int is_ic;
} bare_chip;

/* 87 FR 62186 (2022-10-07): 3A090.a = TPP >= 4800 and I/O >= 600 GB/s.
 * 88 FR 73458 (2023-11-17): 3A090.a = TPP >= 4800, or TPP >= 1600 and
 * PD >= 5.92; 3A090.b = TPP >= 2400 and < 4800 and PD >= 1.6 and < 5.92,
 * or TPP >= 1600 and PD >= 3.2 and < 5.92.  91 FR 1684 (2026-01-15):
 * case-by-case review to CN/MO for TPP < 21000 and DRAM bandwidth < 6500.
 * Returns 0 none, 1 3A090.a, 2 3A090.b; *cbc the 2026 policy. */
static int bare_classify(const bare_chip *c, int after_2023, int *cbc) {
  int cls = 0;
  *cbc = 0;
  if (!c->is_ic) return 0;
  if (!after_2023) {
    cls = c->tpp >= 4800 && c->io >= 600 ? 1 : 0;
  } else if (c->tpp >= 4800 || (c->tpp >= 1600 && c->pd >= 5.92)) {
    cls = 1;
  } else if ((c->tpp >= 2400 && c->tpp < 4800 && c->pd >= 1.6 && c->pd < 5.92) ||
             (c->tpp >= 1600 && c->pd >= 3.2 && c->pd < 5.92)) {
    cls = 2;
  }
  *cbc = cls && c->tpp < 21000 && c->mem < 6500;
  return cls;
}

/* Checks o and renders its JSON. */
static tg_status check_order(const tg_engine *e, const tg_order *o, volatile int *sink) {
  tg_result *r;
  tg_status st = tg_check(e, o, &r, NULL);
  if (st != TG_OK) return st;
  char *js = tg_result_json(r); /* the server always serializes */
  *sink += js[0];
  tg_free(js);
  tg_result_destroy(r);
  return TG_OK;
}

static const char *const DESTS[] = {"CN", "US", "AE", "MO", "DE"};

/* The i-th order of the check cycle (catalog chip, date, destination,
 * with headquarters there), checked and its JSON rendered. */
static tg_status check_one(const tg_engine *e, long i, const tg_date *on, int ndates, long qty,
                           volatile int *sink) {
  long n = (long)tg_catalog_count(e);
  tg_order o;
  tg_order_init(&o);
  o.chip = tg_catalog_at(e, (size_t)(i % n));
  o.on = on[(i / n) % ndates];
  o.dest = DESTS[(i / (n * ndates)) % 5];
  o.hq = o.dest;
  o.qty = qty;
  o.unit_price_cents = 1200000;
  return check_order(e, &o, sink);
}

/* The i-th of the cold orders: i in mixed radix over chip, date,
 * destination, end use, headquarters and attestations (every digit
 * changes some input the decision rests on). */
static tg_status check_cold(const tg_engine *e, long i, const tg_date *on, int ndates,
                            volatile int *sink) {
  static const char *const uses[] = {NULL, "none", "supercomputer", "advanced_ic", "military",
                                     "military_end_user"};
  static const char *const attests[] = {NULL, "none", "us-available,us-supply", "foundry",
                                        "us-available,us-supply,foundry,security,testing"};
  long n = (long)tg_catalog_count(e);
  tg_order o;
  tg_order_init(&o);
  o.chip = tg_catalog_at(e, (size_t)(i % n));
  i /= n;
  o.on = on[i % ndates];
  i /= ndates;
  o.dest = DESTS[i % 5];
  i /= 5;
  o.end_use = uses[i % 6];
  i /= 6;
  o.hq = i % 3 == 0 ? NULL : (i % 3 == 1 ? o.dest : "US");
  i /= 3;
  o.attestations = attests[i % 5];
  o.qty = 100;
  o.unit_price_cents = 1200000;
  return check_order(e, &o, sink);
}

static const char *only; /* NULL: every figure */
static int want(const char *fig) { return !only || !strcmp(only, fig); }

int main(int argc, char **argv) {
  double secs = argc > 1 ? atof(argv[1]) : 1.0;
  only = argc > 2 ? argv[2] : NULL;
  tg_engine *e;
  tg_error err = {0};
  double best_open = INFINITY, best_open_wall = INFINITY;
  enum { OPENS = 40 };
  for (int k = 0; k < OPENS; k++) {
    double t0 = cpu_now(), w0 = wall_now();
    if (tg_engine_open(TG_DATA_DIR, &e, &err) != TG_OK) {
      fprintf(stderr, "%s\n", err.message);
      return 1;
    }
    double t = cpu_now() - t0, w = wall_now() - w0;
    if (t < best_open) best_open = t;
    if (w < best_open_wall) best_open_wall = w;
    if (k < OPENS - 1) tg_engine_close(e);
  }
  size_t n = tg_catalog_count(e);
  static const char *const dates[] = {"2022-12-01", "2023-06-01", "2024-01-10",
                                      "2025-03-01", "2025-09-01", "2026-02-01"};
  enum { NDATES = sizeof dates / sizeof *dates };
  tg_date on[NDATES];
  for (int d = 0; d < NDATES; d++) tg_date_parse(dates[d], &on[d]);
  printf("engine open: %.2f ms CPU, %.2f ms wall (best of %d; %zu chips, data %s)\n",
         best_open * 1e3, best_open_wall * 1e3, (int)OPENS, n, TG_DATA_DIR);
  if (secs < 0)
    printf("one thread, %.0f operations per figure, dates cycled over %d rule epochs\n", -secs,
           NDATES);
  else
    printf("one thread, %.1f s of CPU per figure, dates cycled over %d rule epochs\n", secs,
           NDATES);

  /* the bare baseline over the same chips and dates */
  bare_chip *bare = calloc(n, sizeof *bare);
  for (size_t i = 0; i < n; i++) {
    const tg_chip *c = tg_catalog_at(e, i);
    tg_chip_metric(c, "tpp", &bare[i].tpp);
    tg_chip_metric(c, "pd", &bare[i].pd);
    tg_chip_metric(c, "io_bw_gbs", &bare[i].io);
    tg_chip_metric(c, "memory_bw_gbs", &bare[i].mem);
    bare[i].is_ic = 1;
  }
  timing t;
  volatile int sink = 0;
  double r_bare = 0, r_class = 0;
  if (want("bare")) {
  start(&t, secs);
  for (; more(&t); t.n++) {
    int cbc;
    sink += bare_classify(&bare[t.n % n], (t.n / n) % NDATES >= 2, &cbc) + cbc;
  }
  r_bare = report(&t, "bare threshold baseline (no reasons)");
  }

  if (want("class")) {
  start(&t, secs);
  for (; more(&t); t.n++) {
    tg_result *r;
    if (tg_classify(e, tg_catalog_at(e, t.n % n), on[(t.n / n) % NDATES], &r, NULL) != TG_OK) return 1;
    sink += tg_result_verdict(r);
    tg_result_destroy(r);
  }
  r_class = report(&t, "catalog classification (reasons available)");
  }

  if (want("json")) {
  start(&t, secs);
  for (; more(&t); t.n++) {
    tg_result *r;
    if (tg_classify(e, tg_catalog_at(e, t.n % n), on[(t.n / n) % NDATES], &r, NULL) != TG_OK) return 1;
    char *js = tg_result_json(r);
    sink += js[0];
    tg_free(js);
    tg_result_destroy(r);
  }
  report(&t, "catalog classification + JSON");
  }

  tg_chip *spec;
  tg_chip_create("bench-spec", &spec);
  tg_chip_set_number(spec, "fp16_tflops", 400, NULL);
  tg_chip_set_number(spec, "die_area_mm2", 600, NULL);
  tg_chip_set_number(spec, "memory_bw_gbs", 3350, NULL);
  tg_chip_set_number(spec, "datacenter", 1, NULL);
  if (want("spec")) {
  start(&t, secs);
  for (; more(&t); t.n++) {
    tg_result *r;
    if (tg_classify(e, spec, on[t.n % NDATES], &r, NULL) != TG_OK) return 1;
    sink += tg_result_verdict(r);
    tg_result_destroy(r);
  }
  report(&t, "spec (non-catalog) classification");
  }
  if (want("specjson")) {
    start(&t, secs);
    for (; more(&t); t.n++) {
      tg_result *r;
      if (tg_classify(e, spec, on[t.n % NDATES], &r, NULL) != TG_OK) return 1;
      char *js = tg_result_json(r); /* the reasons are evaluated here */
      sink += js[0];
      tg_free(js);
      tg_result_destroy(r);
    }
    report(&t, "spec classification + JSON");
  }
  tg_chip_destroy(spec);

  if (want("check")) {
  /* two passes over the distinct orders first: the first evaluates each,
   * the second evaluates it again and keeps its answer */
  long distinct = (long)n * NDATES * 5;
  start(&t, 0);
  for (; t.n < 2 * distinct; t.n++)
    if (check_one(e, t.n, on, NDATES, 100, &sink) != TG_OK) return 1;
  report(&t, "check + JSON, first two passes (evaluated)");
  start(&t, secs);
  for (; more(&t); t.n++)
    if (check_one(e, t.n, on, NDATES, 100, &sink) != TG_OK) return 1;
  report(&t, "check + JSON (orders repeat: answer cache)");
  }
  /* the same orders, each with a quantity never asked before: after two
   * passes (the first evaluates each, the second evaluates it again and
   * keeps its decision) every answer is a kept decision with the JSON
   * rendered for its quantity */
  if (want("checknew")) {
  static long fresh = 1000;
  long distinct = (long)n * NDATES * 5;
  start(&t, 0);
  for (; t.n < 2 * distinct; t.n++)
    if (check_one(e, t.n, on, NDATES, ++fresh, &sink) != TG_OK) return 1;
  report(&t, "check + JSON, new quantities, first two passes");
  start(&t, secs);
  for (; more(&t); t.n++)
    if (check_one(e, t.n, on, NDATES, ++fresh, &sink) != TG_OK) return 1;
  report(&t, "check + JSON (every order a new quantity: decision reused, JSON rendered)");
  }
  /* every order a new combination of the decision's inputs: evaluated */
  if (want("checkcold")) {
  static long next = 0; /* (a run of -N orders starts at the same one) */
  start(&t, secs);
  for (; more(&t); t.n++)
    if (check_cold(e, next++, on, NDATES, &sink) != TG_OK) return 1;
  report(&t, "check + JSON (every order a new decision: evaluated)");
  }

  /* the order bench/serve_load.sh posts: undetermined (no end use given),
   * so its answer carries branches */
  const tg_chip *h20 = tg_catalog_find(e, "nv-h20");
  if (h20 && want("check1")) {
    tg_date d;
    tg_date_parse("2025-09-01", &d);
    start(&t, secs);
    for (; more(&t); t.n++) {
      tg_order o;
      tg_order_init(&o);
      o.chip = h20;
      o.on = d;
      o.dest = o.hq = "CN";
      o.qty = 100;
      o.unit_price_cents = 1200000;
      tg_result *r;
      if (tg_check(e, &o, &r, NULL) != TG_OK) return 1;
      char *js = tg_result_json(r);
      sink += js[0];
      tg_free(js);
      tg_result_destroy(r);
    }
    report(&t, "check + JSON, nv-h20 to CN (with branches)");
  }

  if (want("chart")) {
  start(&t, secs);
  for (; more(&t) || t.n < 3; t.n++) {
    char *svg = tg_plot_svg(e, on[5]);
    sink += svg[0];
    tg_free(svg);
  }
  double r_chart = t.n / (cpu_now() - t.t0);
  report(&t, "chart, 600x400 cells (charts)");
  printf("chart: %.1f ms each\n", 1e3 / r_chart);
  }
  if (r_class > 0 && r_bare > 0)
  printf("baseline / engine classification ratio: %.1fx (the price of reasons, dates, "
         "unknowns and rule data)\n", r_bare / r_class);
  free(bare);
  tg_engine_close(e);
  return sink == 42 ? 2 : 0;
}
