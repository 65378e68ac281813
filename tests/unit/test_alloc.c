/* test_alloc.c - allocation-failure torture (curl's torture mode, Lua's
 * ltests): for n = 0, 1, 2, ... the n-th allocation through tg__malloc
 * fails (and every one after it, tg__alloc_fail_after), and each call must
 * return an error status or succeed - never crash, never leak (the asan
 * suite runs LeakSanitizer at exit).  The loop stops once a run makes
 * fewer than n allocations, i.e. completes with no failure injected.
 *
 * jansson and libfyaml allocate on their own, outside the hook.
 *
 * Opening the engine makes ~6000 allocations at ~50 ms each under ASan,
 * so it is tortured at every n up to 300 and then at a stride; set
 * TG_TORTURE_FULL=1 to try every n.  Specs, rule files and decisions on a
 * preloaded engine are tortured at every n. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_int.h"

/* After a run under tg__alloc_fail_after(n): true when the run made at
 * least n allocations (so the countdown is spent and the n-th failed or is
 * next).  Probes with one allocation and resets the hook. */
static bool countdown_spent(void) {
  void *p = tg__malloc(1);
  tg__alloc_fail_after(-1);
  tg__free(p);
  return p == NULL;
}

typedef struct tally {
  long runs, by_status[TG_STATUS_MAX];
} tally;

static void report(const char *what, const tally *t) {
  fprintf(stderr, "# %s: %ld runs;", what, t->runs);
  for (int s = 0; s < TG_STATUS_MAX; s++)
    if (t->by_status[s]) fprintf(stderr, " %s %ld", tg_status_name((tg_status)s), t->by_status[s]);
  fprintf(stderr, "\n");
}

/* Checks one run's outcome: a status in range with a message, or success
 * with its output. */
static void check_outcome(tally *t, tg_status st, const tg_error *err, const void *out,
                          long n) {
  if ((unsigned)st < TG_STATUS_MAX) t->by_status[st]++;
  else fail_msg("n=%ld: status %d out of range", n, st);
  if (st == TG_OK) {
    if (!out) fail_msg("n=%ld: TG_OK without output", n);
  } else {
    if (out) fail_msg("n=%ld: status %d with output", n, st);
    if (err && err->status != st) fail_msg("n=%ld: err->status %d != %d", n, err->status, st);
    if (err && !err->message[0]) fail_msg("n=%ld: status %d with no message", n, st);
  }
}

/* ---- specs ------------------------------------------------------------- */

static const char SPEC[] =
    "id: torture-chip\n"
    "name: Torture Chip\n"
    "vendor: ACME\n"
    "item_type: ic\n"
    "datacenter: {value: true, confidence: vendor}\n"
    "int8_tops: {value: 600, confidence: vendor, source: datasheet}\n"
    "fp16_tflops: 300\n"
    "fp8_tflops: {value: null, confidence: unverified}\n"
    "fp4_tflops: {value: null, confidence: not_supported}\n"
    "die_area_mm2: {value: 600, confidence: estimate}\n"
    "memory_bw_gbs: 1400\n"
    "package_area_mm2: 2500\n"
    "process_node: N4\n"
    "notes: a chip for tests\n"
    "sources: [\"https://example.com/a\", \"https://example.com/b\"]\n";

static void test_spec_torture(void **state) {
  (void)state;
  tally t = {0};
  for (long n = 0;; n++) {
    tg_chip *c = (tg_chip *)1;
    tg_error err = {0};
    tg__alloc_fail_after(n);
    tg_status st = tg_chip_from_spec(SPEC, strlen(SPEC), "spec.yaml", &c, &err);
    char *js = st == TG_OK ? tg_chip_json(c) : NULL;
    bool spent = countdown_spent();
    t.runs++;
    check_outcome(&t, st, &err, st == TG_OK ? (void *)c : NULL, n);
    if (st != TG_OK) assert_null(c);
    tg_free(js);
    if (st == TG_OK) tg_chip_destroy(c);
    if (!spent) {
      assert_int_equal(st, TG_OK); /* no failure injected: must succeed */
      break;
    }
  }
  assert_true(t.runs > 10);
  report("tg_chip_from_spec", &t);
  /* the API-built chip too */
  for (long n = 0;; n++) {
    tg_chip *c = NULL;
    tg__alloc_fail_after(n);
    tg_status st = tg_chip_create("api-chip", &c);
    if (st == TG_OK) st = tg_chip_set_text(c, "name", "API chip");
    if (st == TG_OK) st = tg_chip_set_number(c, "int8_tops", 600, NULL);
    bool spent = countdown_spent();
    assert_true(st == TG_OK || st == TG_ENOMEM);
    tg_chip_destroy(c);
    if (!spent) {
      assert_int_equal(st, TG_OK);
      break;
    }
  }
}

/* ---- rule files ---------------------------------------------------------- */

static void test_rules_torture(void **state) {
  (void)state;
  /* the largest shipped files, which use every kind of rule between them */
  static const char *const files[] = {
      "2023-11-17-us-bis-advanced-computing.yaml", "2024-04-04-us-bis-nac-aca.yaml",
      "2026-01-15-us-bis-license-review-policy.yaml", "2025-08-11-us-h20-mi308-revenue-share.yaml",
      "2022-10-07-us-ear-base.yaml"};
  tally t = {0};
  for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
    char path[512];
    snprintf(path, sizeof path, "%s/rules/%s", TG_DATA_DIR, files[f]);
    size_t len;
    char *text = tgt_read_all(path, &len);
    for (long n = 0;; n++) {
      tg_error err = {0};
      tg__alloc_fail_after(n);
      tg_status st = tg_rules_validate(text, len, path, &err);
      bool spent = countdown_spent();
      t.runs++;
      check_outcome(&t, st, &err, st == TG_OK ? text : NULL, n);
        if (!spent) {
        if (st != TG_OK) fail_msg("%s: %s", files[f], err.message);
        break;
      }
    }
    free(text);
  }
  report("tg_rules_validate", &t);
}

/* ---- decisions on a preloaded engine ------------------------------------- */

typedef struct order_case {
  const char *chip, *dest, *hq, *on;
  int64_t qty, cents;
} order_case;

/* Orders that reach every phase: classification, requirements, review
 * policy with conditions (H200 after 2026-01-15), exceptions (NAC), fees
 * (H20 15% after 2025-08), warnings (Ascend), Macau and Hong Kong. */
static const order_case orders[] = {
    {"nv-h20", "CN", "CN", "2025-09-01", 100, 1200000},
    {"nv-h200-sxm", "CN", NULL, "2026-02-01", 10, 3000000},
    {"nv-a800-sxm", "HK", "HK", "2023-12-01", 1, -1},
    {"nv-h100-sxm", "AE", "CN", "2024-06-01", 8, 2500000},
    {"nv-rtx4090d", "MO", NULL, "2025-06-01", 2, 160000},
};

static void test_check_torture(void **state) {
  const tg_engine *e = *state;
  tally t = {0};
  for (size_t k = 0; k < sizeof orders / sizeof *orders; k++) {
    tg_order o;
    tg_order_init(&o);
    o.chip = tg_catalog_find(e, orders[k].chip);
    assert_non_null(o.chip);
    o.dest = orders[k].dest;
    o.hq = orders[k].hq;
    o.qty = orders[k].qty;
    o.unit_price_cents = orders[k].cents;
    assert_int_equal(tg_date_parse(orders[k].on, &o.on), TG_OK);
    for (long n = 0;; n++) {
      tg_result *r = (tg_result *)1, *rc = (tg_result *)1;
      tg_error err = {0}, errc = {0};
      tg__alloc_fail_after(n);
      tg_status st = tg_check(e, &o, &r, &err);
      tg_status stc = tg_classify(e, o.chip, o.on, &rc, &errc);
      char *js = st == TG_OK ? tg_result_json(r) : NULL;
      char *rj = tg_rules_json(e, o.on);
      char *sug = tg_catalog_suggest(e, "nv-h2");
      bool spent = countdown_spent();
      t.runs++;
      check_outcome(&t, st, &err, st == TG_OK ? (void *)r : NULL, n);
      check_outcome(&t, stc, &errc, stc == TG_OK ? (void *)rc : NULL, n);
      if (st != TG_OK) assert_null(r);
      if (stc != TG_OK) assert_null(rc);
        tg_free(js);
      tg_free(rj);
      tg_free(sug);
      tg_result_destroy(st == TG_OK ? r : NULL);
      tg_result_destroy(stc == TG_OK ? rc : NULL);
      if (!spent) {
        assert_int_equal(st, TG_OK);
        assert_int_equal(stc, TG_OK);
        break;
      }
    }
  }
  report("tg_check + tg_classify", &t);
}

/* ---- opening the engine ------------------------------------------------------ */

static void test_engine_open_torture(void **state) {
  (void)state;
  const char *full = getenv("TG_TORTURE_FULL");
  bool every = full && *full && strcmp(full, "0") != 0;
  tally t = {0};
  long n = 0;
  for (;;) {
    tg_engine *e = (tg_engine *)1;
    tg_error err = {0};
    tg__alloc_fail_after(n);
    tg_status st = tg_engine_open(TG_DATA_DIR, &e, &err);
    bool spent = countdown_spent();
    t.runs++;
    check_outcome(&t, st, &err, st == TG_OK ? (void *)e : NULL, n);
    if (st != TG_OK) {
      assert_null(e);
    } else {
      /* what opened is whole: a decision on it works */
      tg_order o;
      tg_order_init(&o);
      o.chip = tg_catalog_find(e, "nv-h20");
      assert_non_null(o.chip);
      o.dest = "CN";
      o.on = tg_date_from_ymd(2025, 9, 1);
      tg_result *r;
      assert_int_equal(tg_check(e, &o, &r, NULL), TG_OK);
      assert_int_equal(tg_result_verdict(r), TG_LICENSE_REQUIRED);
      tg_result_destroy(r);
      tg_engine_close(e);
    }
    if (!spent) {
      if (st != TG_OK) fail_msg("no failure injected, yet: %s", err.message);
      break;
    }
    n += (every || n < 300) ? 1 : 37;
  }
  assert_true(t.runs > 300);
  report("tg_engine_open", &t);
}

/* tg__grow, the one growable-array step: it doubles to cover what is
 * asked, keeps the array and its capacity when the allocation fails, and
 * refuses a size that would overflow. */
static void test_grow(void **state) {
  (void)state;
  int *v = NULL;
  size_t cap = 0;
  assert_true(tg__grow(&v, &cap, 1, sizeof *v));
  assert_int_equal(cap, 16);
  for (int i = 0; i < 16; i++) v[i] = i;
  assert_true(tg__grow(&v, &cap, 16, sizeof *v)); /* room already */
  assert_int_equal(cap, 16);
  assert_true(tg__grow(&v, &cap, 100, sizeof *v));
  assert_int_equal(cap, 128);
  for (int i = 0; i < 16; i++) assert_int_equal(v[i], i);
  int *before = v;
  tg__alloc_fail_after(0);
  assert_false(tg__grow(&v, &cap, 129, sizeof *v));
  tg__alloc_fail_after(-1);
  assert_ptr_equal(v, before);
  assert_int_equal(cap, 128);
  assert_false(tg__grow(&v, &cap, SIZE_MAX / 2 + 2, sizeof *v)); /* doubling overflows */
  assert_false(tg__grow(&v, &cap, SIZE_MAX / 4, 8));               /* bytes overflow */
  assert_int_equal(cap, 128);
  assert_int_equal(v[15], 15);
  tg__free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_grow),
      cmocka_unit_test(test_spec_torture),
      cmocka_unit_test(test_rules_torture),
      cmocka_unit_test_setup_teardown(test_check_torture, tgt_open_engine, tgt_close_engine),
      cmocka_unit_test(test_engine_open_torture),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
