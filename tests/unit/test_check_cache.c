/* test_check_cache.c - tg_check's answer cache (src/lib/check_cache.c) and
 * the outcome a result keeps as data (result.c): over a grid of orders
 * (every catalog chip, dates on both sides of the rule changes, several
 * destinations, headquarters, end uses, attestations and prices) an answer
 * served from the cache is byte for byte the one evaluated on an engine
 * that never saw the order, with the same verdict, ECCN, policy, fee and
 * ledger facts; those facts (notice days, aggregate-TPP cap, headquarters,
 * unknown facts) are what the JSON says; screened orders are never kept;
 * and threads checking the same orders at once all get the same text. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <pthread.h>
#include <string.h>

#include "decide_int.h"

static const char *const DATES[] = {"2022-12-01", "2023-11-16", "2023-11-17", "2024-04-05",
                                    "2025-04-10", "2025-09-01", "2026-01-15", "2026-11-10"};
static const char *const DESTS[] = {"CN", "US", "MO", "AE", "de", "RU"};


/* The k-th order of the grid (k < grid_size). */
static size_t grid_size(const tg_engine *e) {
  return tg_catalog_count(e) * (sizeof DATES / sizeof *DATES) * (sizeof DESTS / sizeof *DESTS);
}

static void grid_at(const tg_engine *e, size_t k, tg_order *o) {
  size_t nd = sizeof DATES / sizeof *DATES, nx = sizeof DESTS / sizeof *DESTS;
  size_t chip = k % tg_catalog_count(e), rest = k / tg_catalog_count(e);
  tg_order_init(o);
  o->chip = tg_catalog_at(e, chip);
  tg_date_parse(DATES[rest % nd], &o->on);
  o->dest = DESTS[(rest / nd) % nx];
  /* the other inputs vary with k so that each appears with many chips */
  o->hq = k % 3 == 0 ? NULL : (k % 3 == 1 ? o->dest : "US");
  o->end_use = k % 4 == 0 ? NULL : "none";
  o->attestations = k % 5 == 0 ? "us-available,us-supply,foundry,security,testing" : NULL;
  o->qty = 1 + (int64_t)(k % 7) * 50;
  o->unit_price_cents = k % 6 == 0 ? -1 : 1200000;
}

/* The smallest tpp_cap_percent of the answer's license conditions. */
static int json_cap(const json_t *root) {
  int cap = 0;
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(root, "license_conditions"), i, c) {
    int pct = (int)json_integer_value(json_object_get(c, "tpp_cap_percent"));
    if (pct > 0 && (!cap || pct < cap)) cap = pct;
  }
  return cap;
}

/* The facts the result keeps are the ones its JSON states. */
static void facts_match_json(const tg_result *r, const char *text) {
  json_t *root = json_loads(text, 0, NULL);
  assert_non_null(root);
  json_t *n = json_object_get(root, "notification");
  assert_int_equal(tg__result_notice_days(r), (int)json_integer_value(json_object_get(n, "days")));
  assert_int_equal(tg__result_cap_percent(r), json_cap(root));
  const char *hq = json_string_value(json_object_get(json_object_get(root, "order"), "hq"));
  if (hq) assert_string_equal(tg__result_hq(r), hq);
  else assert_null(tg__result_hq(r));
  char facts[256];
  tg__result_unknown_facts(r, facts, sizeof facts);
  size_t i, k;
  json_t *u, *f;
  json_array_foreach(json_object_get(root, "undetermined"), i, u)
    json_array_foreach(json_object_get(u, "facts"), k, f)
      if (!strstr(facts, json_string_value(f)))
        fail_msg("unknown fact %s is missing from '%s'", json_string_value(f), facts);
  if (!json_array_size(json_object_get(root, "undetermined"))) assert_string_equal(facts, "");
  json_decref(root);
}

static void same_outcome(const tg_result *a, const tg_result *b) {
  assert_int_equal(tg_result_verdict(a), tg_result_verdict(b));
  assert_int_equal(tg_result_undetermined(a), tg_result_undetermined(b));
  const char *x, *y;
  x = tg_result_eccn(a), y = tg_result_eccn(b);
  if (y) assert_string_equal(x, y);
  else assert_null(x);
  x = tg_result_review_policy(a), y = tg_result_review_policy(b);
  if (y) assert_string_equal(x, y);
  else assert_null(x);
  x = tg_result_exception(a), y = tg_result_exception(b);
  if (y) assert_string_equal(x, y);
  else assert_null(x);
  int64_t ra = 0, aa = 0, rb = 0, ab = 0;
  assert_int_equal(tg_result_fee(a, &ra, &aa), tg_result_fee(b, &rb, &ab));
  assert_int_equal(ra, rb);
  assert_int_equal(aa, ab);
  assert_int_equal(tg__result_notice_days(a), tg__result_notice_days(b));
  assert_int_equal(tg__result_cap_percent(a), tg__result_cap_percent(b));
  char fa[256], fb[256];
  tg__result_unknown_facts(a, fa, sizeof fa);
  tg__result_unknown_facts(b, fb, sizeof fb);
  assert_string_equal(fa, fb);
}

static void test_cached_is_evaluated(void **state) {
  (void)state;
  tg_engine *fresh, *warm; /* fresh never sees an order twice */
  tg_error err = {0};
  assert_int_equal(tg_engine_open(TG_DATA_DIR, &fresh, &err), TG_OK);
  assert_int_equal(tg_engine_open(TG_DATA_DIR, &warm, &err), TG_OK);
  size_t n = grid_size(warm), served = 0, notices = 0, caps = 0;
  for (size_t k = 0; k < n; k++) {
    tg_order o;
    grid_at(warm, k, &o);
    tg_order of = o;
    of.chip = tg_catalog_at(fresh, k % tg_catalog_count(fresh));
    tg_result *ev;
    assert_int_equal(tg_check(fresh, &of, &ev, NULL), TG_OK);
    assert_null(ev->memo);
    assert_null(tg_result_json_kept(ev, NULL));
    char *want = tg_result_json(ev);
    assert_non_null(want);
    facts_match_json(ev, want);
    notices += tg__result_notice_days(ev) > 0;
    caps += tg__result_cap_percent(ev) > 0;
    /* the third check of an order on the warm engine is served */
    for (int round = 0; round < 3; round++) {
      tg_result *r;
      assert_int_equal(tg_check(warm, &o, &r, NULL), TG_OK);
      char *got = tg_result_json(r);
      assert_non_null(got);
      if (strcmp(got, want) != 0)
        fail_msg("order %zu (%s to %s), round %d: the answer differs from the evaluated one", k,
                 tg_chip_id(o.chip), o.dest, round);
      same_outcome(r, ev);
      /* the kept text, lent without a copy, is the same answer; an
       * evaluated one has none to lend */
      size_t klen = 7;
      const char *kept = tg_result_json_kept(r, &klen);
      if (round == 2) {
        assert_non_null(r->memo);
        assert_non_null(kept);
        assert_int_equal(klen, strlen(want));
        assert_memory_equal(kept, want, klen);
        served++;
      } else if (!r->memo) {
        assert_null(kept);
        assert_int_equal(klen, 0);
      }
      tg_free(got);
      tg_result_destroy(r);
    }
    tg_free(want);
    tg_result_destroy(ev);
  }
  assert_int_equal(served, n);
  /* the grid reaches the answers the ledger reads */
  assert_true(notices > 0);
  assert_true(caps > 0);
  tg_engine_close(fresh);
  tg_engine_close(warm);
}

static void test_screened_not_kept(void **state) {
  const tg_engine *e = *state;
  tg_order o;
  grid_at(e, 0, &o);
  tg__buf key;
  tg__buf_init(&key);
  assert_true(tg__check_key(e, &o, &key));
  tg__buf_free(&key);
  o.ownership = (const tg_ownership *)&o; /* any: only its presence is read */
  assert_false(tg__check_key(e, &o, &key));
  tg__buf_free(&key);
  /* a chip outside the catalog */
  tg_chip *spec;
  assert_int_equal(tg_chip_create("spec-x", &spec), TG_OK);
  grid_at(e, 0, &o);
  o.chip = spec;
  assert_false(tg__check_key(e, &o, &key));
  tg__buf_free(&key);
  tg_chip_destroy(spec);
}

typedef struct worker {
  const tg_engine *e;
  char **want;
  size_t n;
  int bad;
} worker;

static void *run(void *arg) {
  worker *w = arg;
  for (int round = 0; round < 3; round++)
    for (size_t k = 0; k < w->n; k++) {
      tg_order o;
      grid_at(w->e, k, &o);
      tg_result *r;
      if (tg_check(w->e, &o, &r, NULL) != TG_OK) {
        w->bad++;
        continue;
      }
      char *got = tg_result_json(r);
      if (!got || strcmp(got, w->want[k]) != 0) w->bad++;
      tg_free(got);
      tg_result_destroy(r);
    }
  return NULL;
}

static void test_threads(void **state) {
  const tg_engine *e = *state;
  size_t n = grid_size(e) / 4; /* enough to meet on the same entries */
  char **want = calloc(n, sizeof *want);
  assert_non_null(want);
  tg_engine *fresh;
  assert_int_equal(tg_engine_open(TG_DATA_DIR, &fresh, NULL), TG_OK);
  for (size_t k = 0; k < n; k++) {
    tg_order o;
    grid_at(fresh, k, &o);
    tg_result *r;
    assert_int_equal(tg_check(fresh, &o, &r, NULL), TG_OK);
    want[k] = tg_result_json(r);
    tg_result_destroy(r);
  }
  tg_engine_close(fresh);
  enum { NT = 4 };
  pthread_t t[NT];
  worker w[NT];
  for (int i = 0; i < NT; i++) {
    w[i] = (worker){.e = e, .want = want, .n = n};
    assert_int_equal(pthread_create(&t[i], NULL, run, &w[i]), 0);
  }
  for (int i = 0; i < NT; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(w[i].bad, 0);
  }
  for (size_t k = 0; k < n; k++) tg_free(want[k]);
  free(want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cached_is_evaluated),
      cmocka_unit_test(test_screened_not_kept),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, tgt_open_engine, tgt_close_engine);
}
