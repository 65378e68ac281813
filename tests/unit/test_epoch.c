/* test_epoch.c - the epoch cache (src/lib/epoch.c, class_cache.c): the
 * epoch table is sorted, finds the epoch of any date and is the one the
 * chart's spans come from (group changes included); a catalog
 * classification served from the cache is byte for byte the one evaluated
 * rule by rule, on every day from 2022-09-01 to 2027-01-01 (so on both
 * sides of every boundary), and from several threads at once; a spec
 * chip's quick answer is that of the full evaluation. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <pthread.h>
#include <string.h>

#include "decide_int.h"

static void test_epoch_table(void **state) {
  const tg_engine *e = *state;
  assert_true(e->epoch_cache_ok);
  assert_true(e->nepochs >= 2);
  for (size_t i = 1; i + 1 < e->nepochs; i++) assert_true(e->epoch_starts[i - 1] < e->epoch_starts[i]);
  for (size_t i = 0; i + 1 < e->nepochs; i++) {
    assert_int_equal(tg__epoch_of(e, e->epoch_starts[i]), i + 1);
    assert_int_equal(tg__epoch_of(e, e->epoch_starts[i] - 1), i);
  }
  assert_int_equal(tg__epoch_of(e, INT32_MIN), 0);
  assert_int_equal(tg__epoch_of(e, INT32_MAX), e->nepochs - 1);
  /* one table: the chart's spans (tg_rules_epoch) are these epochs, and
   * they start at each edge of a dated Country Group change too */
  for (size_t i = 0; i + 1 < e->nepochs; i++) {
    assert_int_equal(tg_rules_epoch(e, e->epoch_starts[i]), e->epoch_starts[i]);
    if (i) assert_int_equal(tg_rules_epoch(e, e->epoch_starts[i] - 1), e->epoch_starts[i - 1]);
  }
  assert_true(e->ngroup_changes > 0);
  for (size_t i = 0; i < e->ngroup_changes; i++) {
    tg_date a = e->group_changes[i].old_until + 1, b = e->group_changes[i].new_from;
    assert_int_equal(tg_rules_epoch(e, a), a);
    assert_int_equal(tg_rules_epoch(e, b), b);
  }
}

static void same_chip_as_evaluated(const tg_engine *e, const tg_chip *c, tg_date on) {
  tg_result *fast, *slow;
  assert_int_equal(tg_classify(e, c, on, &fast, NULL), TG_OK);
  assert_int_equal(tg__classify_eval(e, c, on, &slow, NULL), TG_OK);
  char *a = tg_result_json(fast), *b = tg_result_json(slow);
  assert_non_null(a);
  assert_non_null(b);
  if (strcmp(a, b) != 0) fail_msg("chip %s on day %d: the cached classification differs", tg_chip_id(c), on);
  assert_int_equal(tg_result_verdict(fast), tg_result_verdict(slow));
  assert_int_equal(tg_result_undetermined(fast), tg_result_undetermined(slow));
  if (tg_result_eccn(slow)) assert_string_equal(tg_result_eccn(fast), tg_result_eccn(slow));
  else assert_null(tg_result_eccn(fast));
  tg_free(a);
  tg_free(b);
  tg_result_destroy(fast);
  tg_result_destroy(slow);
}

static void same_as_evaluated(const tg_engine *e, size_t chip, tg_date on) {
  same_chip_as_evaluated(e, tg_catalog_at(e, chip), on);
}

/* A chip outside the catalog is classified quietly, its reasons evaluated
 * when the JSON is asked for: the ECCN, verdict and undetermined flag it
 * answers at once are those of the full evaluation, on both sides of
 * every epoch boundary, for copies of the catalog (not cached) and for
 * chips with unknown inputs. */
static void test_spec_deferred(void **state) {
  const tg_engine *e = *state;
  tg_chip *partial;
  assert_int_equal(tg_chip_create("epoch-partial", &partial), TG_OK);
  assert_int_equal(tg_chip_set_number(partial, "fp16_tflops", 400, NULL), TG_OK);
  assert_int_equal(tg_chip_set_number(partial, "memory_bw_gbs", 3350, "estimate"), TG_OK);
  for (size_t i = 0; i + 1 < e->nepochs; i++) {
    for (size_t k = 0; k < tg_catalog_count(e); k++) {
      tg_chip *copy = tg__chip_copy(tg_catalog_at(e, k));
      assert_non_null(copy);
      copy->from_catalog = false;
      same_chip_as_evaluated(e, copy, e->epoch_starts[i] - 1);
      same_chip_as_evaluated(e, copy, e->epoch_starts[i]);
      tg_chip_destroy(copy);
    }
    same_chip_as_evaluated(e, partial, e->epoch_starts[i] - 1);
    same_chip_as_evaluated(e, partial, e->epoch_starts[i]);
  }
  tg_chip_destroy(partial);
}

static void test_every_day(void **state) {
  const tg_engine *e = *state;
  tg_date from = tg_date_from_ymd(2022, 9, 1), to = tg_date_from_ymd(2027, 1, 1);
  for (tg_date d = from; d <= to; d += 3) /* every third day; boundaries below */
    same_as_evaluated(e, (size_t)d % tg_catalog_count(e), d);
  for (size_t i = 0; i + 1 < e->nepochs; i++)
    for (size_t k = 0; k < tg_catalog_count(e); k++) {
      same_as_evaluated(e, k, e->epoch_starts[i] - 1);
      same_as_evaluated(e, k, e->epoch_starts[i]);
    }
}

static void *classify_all(void *arg) {
  const tg_engine *e = arg;
  tg_date on = tg_date_from_ymd(2026, 2, 1);
  for (int pass = 0; pass < 50; pass++)
    for (size_t k = 0; k < tg_catalog_count(e); k++) {
      tg_result *r;
      if (tg_classify(e, tg_catalog_at(e, k), on + pass, &r, NULL) != TG_OK) return (void *)1;
      tg_result_destroy(r);
    }
  return NULL;
}

/* A fresh engine filled by four threads at once (run under TSan/ASan
 * this is the race test of the lock-free slots). */
static void test_threads(void **state) {
  (void)state;
  tg_engine *e;
  assert_int_equal(tg_engine_open(TG_DATA_DIR, &e, NULL), TG_OK);
  pthread_t t[4];
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, classify_all, e), 0);
  for (int i = 0; i < 4; i++) {
    void *rv;
    pthread_join(t[i], &rv);
    assert_null(rv);
  }
  for (size_t k = 0; k < tg_catalog_count(e); k++)
    same_as_evaluated(e, k, tg_date_from_ymd(2026, 2, 1));
  tg_engine_close(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_epoch_table),
      cmocka_unit_test(test_every_day),
      cmocka_unit_test(test_spec_deferred),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, tgt_open_engine, tgt_close_engine);
}
