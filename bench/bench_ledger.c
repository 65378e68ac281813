/* bench_ledger.c - shipments recorded per second with durable commits
 * (WAL, synchronous=FULL: one fsync'd transaction per shipment), half of
 * them drawn on a license (the full check: coverage, limits, the TPP cap,
 * the payment) and half license-free to the US; then the time to verify
 * the whole audit trail.  Not a test.  Uses the shipped rule sets.
 * Usage: build/bench_ledger [shipments] [database]   (default 2000, a
 * temporary file in /tmp) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tollgate.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, const tg_error *err) {
  fprintf(stderr, "bench_ledger: %s: %s\n", what, err->message);
  return 1;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2000;
  char path[256];
  snprintf(path, sizeof path, "%s", argc > 2 ? argv[2] : "/tmp/tg-bench-ledger.db");
  char wal[300], shm[300];
  snprintf(wal, sizeof wal, "%s-wal", path);
  snprintf(shm, sizeof shm, "%s-shm", path);
  unlink(path);
  unlink(wal);
  unlink(shm);
  tg_engine *e;
  tg_store *s;
  tg_error err = {0};
  if (tg_engine_open(TG_DATA_DIR, &e, &err) != TG_OK) return die("engine", &err);
  if (tg_store_open(e, path, &s, &err) != TG_OK) return die("store", &err);
  const char *chips[] = {"nv-h20"}, *dests[] = {"CN"};
  tg_license_spec sp;
  tg_license_spec_init(&sp);
  sp.number = "BENCH-1";
  sp.holder = "Bench";
  sp.chips = chips;
  sp.nchips = 1;
  sp.destinations = dests;
  sp.ndestinations = 1;
  sp.valid_from = tg_date_from_ymd(2025, 8, 15);
  sp.valid_until = tg_date_from_ymd(2029, 8, 14);
  if (tg_license_add(s, &sp, "bench", NULL, &err) != TG_OK) return die("license", &err);
  const tg_chip *h20 = tg_catalog_find(e, "nv-h20");
  double t0 = now();
  for (int i = 0; i < n; i++) {
    tg_order o;
    tg_order_init(&o);
    o.chip = h20;
    o.on = tg_date_from_ymd(2025, 9, 1 + i % 28);
    o.dest = o.hq = i % 2 ? "US" : "CN";
    o.end_user = "Bench Customer Ltd"; /* a shipment names its end user */
    o.qty = 1 + i % 10;
    o.unit_price_cents = 1200000 + i;
    tg_ship_opts opts;
    tg_ship_opts_init(&opts);
    opts.license = i % 2 ? NULL : "BENCH-1";
    char *js = NULL;
    if (tg_ship(s, e, &o, &opts, "bench", &js, &err) != TG_OK) return die("ship", &err);
    tg_free(js);
  }
  double t_ship = now() - t0;
  t0 = now();
  char *js = NULL;
  if (tg_audit_verify(s, &js, &err) != TG_OK) return die("verify", &err);
  double t_verify = now() - t0;
  tg_free(js);
  printf("ledger: %d shipments recorded in %.2f s = %.0f per second (%.2f ms each; durable "
         "commits, WAL, synchronous=FULL; database %s)\n",
         n, t_ship, n / t_ship, t_ship / n * 1e3, path);
  printf("audit verify: %d records and rows in %.3f s\n", n + 2, t_verify);
  tg_store_close(s);
  tg_engine_close(e);
  return 0;
}
