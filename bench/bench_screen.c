/* bench_screen.c - screening speed on the full Consolidated Screening List
 * (not a test): list parse + index build, index build alone, single-query
 * latency (p50/p99) and single-thread throughput of tg_screen_best and of
 * tg_screen (with JSON), and, in the same run, two brute-force baselines
 * over the same names: whole-string Jaro-Winkler in C, and Debian's
 * python3-jellyfish (bench/screen_baseline.py).
 * Usage: bench_screen [QUERIES] [LIST...] (a number is the query count;
 * the lists default to the CSL of 2026-07-31 and the UN list of 2026-02). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "screen_int.h"
#include "screen_queries.h"

/* Thread CPU time: the machine is shared, and the goals are per core
 * (TG_BENCH_WALL=1 for wall-clock time). */
static double now_ms(void) {
  struct timespec t;
  clock_gettime(getenv("TG_BENCH_WALL") ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double jw_brute(const tg__index *sc, const char *q) {
  double best = 0;
  size_t lq = strlen(q);
  for (size_t i = 0; i < sc->nentries; i++) {
    const tg__entry *e = sc->entries[i].e;
    for (size_t a = 0; a <= e->nakas; a++) {
      const char *s = a ? e->akas[a - 1] : e->name;
      double v = tg__jaro_winkler(q, lq, s, strlen(s));
      if (v > best) best = v;
    }
  }
  return best;
}

int main(int argc, char **argv) {
  const char *lists[8] = {TG_SOURCE_DIR "/../shared/data/lists/csl-2026-07-31.compact.json",
                          TG_SOURCE_DIR "/../shared/data/lists/un-consolidated-2026-02.xml"};
  size_t nl = 0;
  int nq = 20000;
  for (int i = 1; i < argc; i++) {
    if (isdigit((unsigned char)argv[i][0])) nq = atoi(argv[i]);
    else if (nl < 8) lists[nl++] = argv[i];
  }
  if (!nl) nl = 2;
  const char *list = lists[0];
  tg_engine *e;
  tg_screener *sc;
  tg_error err = {0};
  if (tg_engine_open(TG_DATA_DIR, &e, &err) || tg_screener_create(e, &sc, &err)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  double t0 = now_ms();
  if (tg_screener_load_files(sc, lists, nl, &err)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  double load = now_ms() - t0;
  tg__index *ix = tg__screener_acquire(sc);
  double builds[5];
  for (int i = 0; i < 5; i++) {
    tg__index *b;
    t0 = now_ms();
    tg__index_build(sc->tables, ix->lists, ix->nlists, &b, &err);
    builds[i] = now_ms() - t0;
    tg__index_release(b);
  }
  qsort(builds, 5, sizeof *builds, cmp_d);
  for (size_t i = 0; i < nl; i++) printf("list: %s\n", lists[i]);
  printf("entries %zu, names %zu, vocabulary %zu tokens\n", ix->nentries, ix->nnames, ix->nvocab);
  printf("deletion keys: %zu in %zu buckets (%.0f MB)\n", ix->ndel, (size_t)1 << ix->dbits,
         (double)(ix->ndel * 12 + ((size_t)4 << ix->dbits)) / 1048576);
  printf("parse + index build: %.1f ms; index build alone: %.1f ms (median of 5)\n", load,
         builds[2]);
  char **q = make_queries(ix, nq);
  double *lat = malloc((size_t)nq * sizeof *lat);
  int matched = 0;
  for (int i = 0; i < 200; i++) tg_screen_best(sc, q[i], NULL); /* warm up */
  double tq = now_ms();
  for (int i = 0; i < nq; i++) {
    double s = now_ms();
    matched += tg_screen_best(sc, q[i], NULL) >= TG_SCREEN_THRESHOLD;
    lat[i] = now_ms() - s;
  }
  double total = now_ms() - tq;
  qsort(lat, (size_t)nq, sizeof *lat, cmp_d);
  double qps = nq / (total / 1e3);
  printf("tg_screen_best, 1 thread: %d queries in %.0f ms = %.0f queries/s; latency p50 %.1f us, "
         "p99 %.1f us, max %.1f us; %d matched at %.2f\n", nq, total, qps, lat[nq / 2] * 1e3,
         lat[nq * 99 / 100] * 1e3, lat[nq - 1] * 1e3, matched, TG_SCREEN_THRESHOLD);
  int nj = nq < 5000 ? nq : 5000;
  tq = now_ms();
  for (int i = 0; i < nj; i++) {
    char *js = NULL;
    tg_screen(sc, q[i], NULL, &js, NULL);
    tg_free(js);
  }
  printf("tg_screen with JSON, 1 thread: %.0f queries/s\n", nj / ((now_ms() - tq) / 1e3));
  int nb = getenv("TG_BENCH_QUICK") ? 0 : 50; /* TG_BENCH_QUICK=1: no baselines */
  tq = now_ms();
  double sink = 0;
  for (int i = 0; i < nb; i++) sink += jw_brute(ix, q[i]);
  double cqps = nb / ((now_ms() - tq) / 1e3);
  if (nb)
    printf("baseline, brute-force Jaro-Winkler in C over every name: %.1f queries/s (x%.0f slower)\n",
           cqps, qps / cqps);
  char qf[] = "/tmp/tg-bench-queries-XXXXXX";
  int fd = mkstemp(qf);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  for (int i = 0; f && i < 100; i++) fprintf(f, "%s\n", q[i]);
  if (f) fclose(f);
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/bench/screen_baseline.py '%s' %s 100", TG_SOURCE_DIR,
           list, qf);
  FILE *p = nb ? popen(cmd, "r") : NULL;
  char line[256];
  double pyqps = 0;
  while (p && fgets(line, sizeof line, p)) sscanf(line, "baseline_qps %lf", &pyqps);
  if (p) pclose(p);
  unlink(qf);
  if (pyqps > 0)
    printf("baseline, brute-force Jaro-Winkler with python3-jellyfish: %.2f queries/s (x%.0f slower)\n",
           pyqps, qps / pyqps);
  else if (nb)
    printf("baseline, python3-jellyfish: not run (is python3-jellyfish installed?)\n");
  (void)sink;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("peak RSS (whole run): %.0f MB\n", (double)ru.ru_maxrss / 1024);
  for (int i = 0; i < nq; i++) free(q[i]);
  free(q);
  free(lat);
  tg__index_release(ix);
  tg_screener_destroy(sc);
  tg_engine_close(e);
  return 0;
}
