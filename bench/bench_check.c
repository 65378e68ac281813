/* bench_check.c - in-process throughput of the core: classifications and
 * order determinations per second over the whole catalog (not a test).
 * Usage: build/bench_check [iterations]   (default 200 passes) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tollgate.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 200;
  tg_engine *e;
  tg_error err = {0};
  double t0 = now();
  if (tg_engine_open(TG_DATA_DIR, &e, &err) != TG_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  double t_open = now() - t0;
  size_t n = tg_catalog_count(e);
  tg_date on = tg_date_from_ymd(2026, 2, 1);
  long classified = 0, checked = 0;
  t0 = now();
  for (int p = 0; p < passes; p++)
    for (size_t i = 0; i < n; i++) {
      tg_result *r;
      if (tg_classify(e, tg_catalog_at(e, i), on, &r, NULL) == TG_OK) classified++;
      tg_result_destroy(r);
    }
  double t_class = now() - t0;
  t0 = now();
  for (int p = 0; p < passes; p++)
    for (size_t i = 0; i < n; i++) {
      tg_order o;
      tg_order_init(&o);
      o.chip = tg_catalog_at(e, i);
      o.on = on;
      o.dest = "CN";
      o.hq = "CN";
      o.qty = 100;
      o.unit_price_cents = 1200000;
      tg_result *r;
      if (tg_check(e, &o, &r, NULL) == TG_OK) {
        char *js = tg_result_json(r); /* the server always serializes */
        tg_free(js);
        checked++;
      }
      tg_result_destroy(r);
    }
  double t_check = now() - t0;
  printf("engine open: %.1f ms (%zu chips, data %s)\n", t_open * 1e3, n, TG_DATA_DIR);
  printf("classify: %ld in %.3f s = %.0f per second (%.1f us each)\n", classified, t_class,
         classified / t_class, t_class / classified * 1e6);
  printf("check + JSON: %ld in %.3f s = %.0f per second (%.1f us each)\n", checked, t_check,
         checked / t_check, t_check / checked * 1e6);
  tg_engine_close(e);
  return 0;
}
