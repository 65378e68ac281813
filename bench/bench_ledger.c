/* bench_ledger.c - shipments recorded per second with durable commits
 * (WAL, synchronous=FULL: one fsync'd transaction per shipment), each
 * drawn on a license (the full check: coverage, limits, the TPP cap, the
 * payment), half to China and half to the US (no screening lists are
 * loaded, so a license-free shipment would be refused as undetermined:
 * party_listed unknown); then the time to verify
 * the whole audit trail.  Not a test.  Uses the shipped rule sets.
 * With a batch size B > 1 the shipments go B at a time through
 * tg_ship_batch (the server's group commit: one transaction, one fsync per
 * batch), and the time of the determinations (tg_ship_prepare, done in
 * parallel by the server's request threads) is reported apart from the
 * time of the transactions (serial: the bound of the group commit).
 * Usage: build/bench_ledger [shipments] [database] [batch]   (default 2000,
 * a temporary file in /tmp, 1) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tollgate.h"

static double clock_s(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static double now(void) { return clock_s(CLOCK_MONOTONIC); }
/* CPU time of this thread: on a busy machine wall time also counts the
 * time other processes held the CPU */
static double cpu(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }

static int die(const char *what, const tg_error *err) {
  fprintf(stderr, "bench_ledger: %s: %s\n", what, err->message);
  return 1;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2000;
  int batch = argc > 3 ? atoi(argv[3]) : 1;
  if (n < 1 || batch < 1 || batch > 4096) {
    fprintf(stderr, "bench_ledger: shipments >= 1 and batch 1..4096\n");
    return 2;
  }
  char path[256];
  snprintf(path, sizeof path, "%s", argc > 2 && *argv[2] ? argv[2] : "/tmp/tg-bench-ledger.db");
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
  const char *us[] = {"US"};
  sp.number = "BENCH-US";
  sp.destinations = us;
  if (tg_license_add(s, &sp, "bench", NULL, &err) != TG_OK) return die("license", &err);
  const tg_chip *h20 = tg_catalog_find(e, "nv-h20");
  tg_order *orders = calloc((size_t)batch, sizeof *orders);
  tg_ship_opts *opts = calloc((size_t)batch, sizeof *opts);
  tg_ship_item *items = calloc((size_t)batch, sizeof *items);
  if (!orders || !opts || !items) return 1;
  double t_prep = 0, c_prep = 0, t0 = now(), c0 = cpu();
  for (int i = 0; i < n; i += batch) {
    int m = n - i < batch ? n - i : batch;
    for (int k = 0; k < m; k++) {
      int x = i + k;
      tg_order *o = &orders[k];
      tg_order_init(o);
      o->chip = h20;
      o->on = tg_date_from_ymd(2025, 9, 1 + x % 28);
      o->dest = o->hq = x % 2 ? "US" : "CN";
      o->end_user = "Bench Customer Ltd"; /* a shipment names its end user */
      o->qty = 1 + x % 10;
      o->unit_price_cents = 1200000 + x;
      tg_ship_opts_init(&opts[k]);
      opts[k].license = x % 2 ? "BENCH-US" : "BENCH-1";
      items[k] = (tg_ship_item){.order = o, .opts = &opts[k], .actor = "bench"};
    }
    double tp = now(), cp = cpu();
    for (int k = 0; k < m; k++) tg_ship_prepare(e, &items[k]);
    t_prep += now() - tp;
    c_prep += cpu() - cp;
    if (tg_ship_batch(s, e, items, (size_t)m, &err) != TG_OK) return die("ship", &err);
    for (int k = 0; k < m; k++) {
      if (items[k].status != TG_OK) return die("ship item", &items[k].err);
      tg_free(items[k].json);
    }
  }
  double t_ship = now() - t0, c_ship = cpu() - c0;
  t0 = now();
  char *js = NULL;
  if (tg_audit_verify(s, &js, &err) != TG_OK) return die("verify", &err);
  double t_verify = now() - t0;
  tg_free(js);
  printf("ledger: %d shipments recorded in %.2f s = %.0f per second (%.2f ms each; batches of "
         "%d, one durable commit each, WAL, synchronous=FULL; database %s)\n",
         n, t_ship, n / t_ship, t_ship / n * 1e3, batch, path);
  printf("  of which determinations (tg_ship_prepare) %.3f ms each, transactions %.3f ms each\n",
         t_prep / n * 1e3, (t_ship - t_prep) / n * 1e3);
  printf("  CPU time: determinations %.3f ms each, transactions %.3f ms each (the serial part "
         "of a group commit: %.0f shipments/s on one core)\n",
         c_prep / n * 1e3, (c_ship - c_prep) / n * 1e3, n / (c_ship - c_prep));
  free(orders);
  free(opts);
  free(items);
  printf("audit verify: %d records and rows in %.3f s\n", n + 2, t_verify);
  tg_store_close(s);
  tg_engine_close(e);
  return 0;
}
