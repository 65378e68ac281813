/* bench_capabilities.c - wall time of the envelope (one destination and
 * date, JSON included) and of the timeline and diff of the whole catalog
 * from 2022-10-01 to today (not a test; goals: < 10 ms and < 100 ms).
 * Times are CPU time of the thread (see now()).
 * Usage: build/bench_capabilities [runs]   (default 50; prints min/median/max) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tollgate.h"

/* CPU time of this thread: on a shared machine the wall clock also
 * counts the time other processes hold the cores. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void report(const char *what, double *ms, int runs) {
  qsort(ms, (size_t)runs, sizeof *ms, cmp);
  printf("%-52s min %7.2f ms  median %7.2f ms  max %7.2f ms  (%d runs)\n", what, ms[0],
         ms[runs / 2], ms[runs - 1], runs);
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 50;
  if (runs < 1) runs = 1;
  tg_engine *e;
  tg_error err = {0};
  if (tg_engine_open(TG_DATA_DIR, &e, &err) != TG_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  tg_date today = tg_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  tg_date start = tg_date_from_ymd(2022, 10, 1);
  double *ms = calloc((size_t)runs, sizeof *ms);
  if (!ms) return 1;
  tg_scenario sc;
  tg_scenario_init(&sc);
  sc.dest = sc.hq = "CN";
  static const struct { const char *dest, *vendor; int y, m, d; } envs[] = {
      {"CN", NULL, 2026, 2, 1}, {"CN", "NVIDIA", 2026, 2, 1}, {"CN", NULL, 2024, 6, 1},
      {"AE", NULL, 2025, 3, 1}};
  for (size_t k = 0; k < sizeof envs / sizeof *envs; k++) {
    for (int r = 0; r < runs; r++) {
      tg_envelope_opts o;
      tg_envelope_opts_init(&o);
      o.dest = envs[k].dest;
      o.vendor = envs[k].vendor;
      o.on = tg_date_from_ymd(envs[k].y, envs[k].m, envs[k].d);
      char *js;
      double t0 = now();
      if (tg_envelope_json(e, &o, &js, &err) != TG_OK) return fprintf(stderr, "%s\n", err.message), 1;
      ms[r] = (now() - t0) * 1e3;
      tg_free(js);
    }
    char what[96];
    snprintf(what, sizeof what, "envelope to %s on %04d-%02d-%02d (vendor %s)", envs[k].dest,
             envs[k].y, envs[k].m, envs[k].d, envs[k].vendor ? envs[k].vendor : "other");
    report(what, ms, runs);
  }
  for (int r = 0; r < runs; r++) {
    double t0 = now();
    for (size_t i = 0; i < tg_catalog_count(e); i++) {
      char *js;
      if (tg_timeline_json(e, tg_catalog_at(e, i), &sc, start, today, &js, &err) != TG_OK)
        return fprintf(stderr, "%s\n", err.message), 1;
      tg_free(js);
    }
    ms[r] = (now() - t0) * 1e3;
  }
  char what[96];
  snprintf(what, sizeof what, "timeline of all %zu chips to CN, 2022-10-01..today", tg_catalog_count(e));
  report(what, ms, runs);
  for (int r = 0; r < runs; r++) {
    char *js;
    double t0 = now();
    if (tg_diff_json(e, NULL, 0, &sc, start, today, &js, &err) != TG_OK)
      return fprintf(stderr, "%s\n", err.message), 1;
    ms[r] = (now() - t0) * 1e3;
    tg_free(js);
  }
  snprintf(what, sizeof what, "diff of all %zu chips to CN, 2022-10-01..today", tg_catalog_count(e));
  report(what, ms, runs);
  free(ms);
  tg_engine_close(e);
  return 0;
}
