/* test_order.c - tg_check's handling of the order itself (src/lib/
 * decide.c): bad orders are TG_EINVAL with a message, extreme but
 * representable values never overflow, and the payment amount is exact.
 * The decisions themselves are tested by tests/cases/\*.case. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <string.h>

#include "tollgate.h"

static void order_for(const tg_engine *e, tg_order *o, const char *chip, const char *dest,
                      const char *on) {
  tg_order_init(o);
  o->chip = tg_catalog_find(e, chip);
  assert_non_null(o->chip);
  o->dest = dest;
  o->hq = dest;
  assert_int_equal(tg_date_parse(on, &o->on), TG_OK);
}

static void assert_bad_order(const tg_engine *e, const tg_order *o, const char *want) {
  tg_result *r = (tg_result *)1;
  tg_error err = {0};
  assert_int_equal(tg_check(e, o, &r, &err), TG_EINVAL);
  assert_null(r);
  assert_int_equal(err.status, TG_EINVAL);
  if (!strstr(err.message, want)) fail_msg("message '%s' lacks '%s'", err.message, want);
}

static void test_bad_orders(void **state) {
  const tg_engine *e = *state;
  tg_order o;
  order_for(e, &o, "nv-h20", "CN", "2025-09-01");
  tg_order b = o;
  b.qty = -1;
  assert_bad_order(e, &b, "quantity must not be negative (got -1)");
  b = o;
  b.unit_price_cents = -2;
  assert_bad_order(e, &b, "unit price must not be negative");
  b = o;
  b.chip = NULL;
  assert_bad_order(e, &b, "the order names no chip");
  b = o;
  b.dest = NULL;
  assert_bad_order(e, &b, "the order names no destination");
  b = o;
  b.dest = "XX";
  assert_bad_order(e, &b, "destination: 'XX' is not an ISO 3166-1 alpha-2 country code");
  b = o;
  b.hq = "C";
  assert_bad_order(e, &b, "headquarters: 'C' is not an ISO 3166-1 alpha-2 country code");
  b = o;
  b.origin = "ZZ";
  assert_bad_order(e, &b, "origin: 'ZZ'");
  /* a value that does not fit in 64 bits of cents is refused, not
   * overflowed (UBSan: signed overflow in the fee amount) */
  b = o;
  b.qty = INT64_MAX;
  b.unit_price_cents = 100;
  assert_bad_order(e, &b, "order value too large");
  b.qty = INT64_MAX / 100 + 1;
  assert_bad_order(e, &b, "order value too large");
  /* the largest order that fits is fine */
  b.qty = INT64_MAX / 100;
  tg_result *r;
  assert_int_equal(tg_check(e, &b, &r, NULL), TG_OK);
  tg_result_destroy(r);
  /* a huge quantity with an unknown price is fine too */
  b.qty = INT64_MAX;
  b.unit_price_cents = -1;
  assert_int_equal(tg_check(e, &b, &r, NULL), TG_OK);
  tg_result_destroy(r);
  /* missing arguments */
  assert_int_equal(tg_check(e, &o, NULL, NULL), TG_EINVAL);
  assert_int_equal(tg_check(NULL, &o, &r, NULL), TG_EINVAL);
  assert_int_equal(tg_check(e, NULL, &r, NULL), TG_EINVAL);
  assert_int_equal(tg_classify(e, NULL, o.on, &r, NULL), TG_EINVAL);
  tg_result_destroy(NULL);
}

/* Aug 2025: 15% of revenue on licensed H20 sales to China (rules.md,
 * chips.md 2025-07/08 row).  100 units at $12,345.67: 15% of
 * $1,234,567.00 = $185,185.05, exactly, in cents. */
static void test_fee_amount(void **state) {
  const tg_engine *e = *state;
  tg_order o;
  order_for(e, &o, "nv-h20", "CN", "2025-09-01");
  o.qty = 100;
  o.unit_price_cents = 1234567;
  tg_result *r;
  assert_int_equal(tg_check(e, &o, &r, NULL), TG_OK);
  assert_int_equal(tg_result_verdict(r), TG_LICENSE_REQUIRED);
  int64_t rate = 0, amount = 0;
  assert_int_equal(tg_result_fee(r, &rate, &amount), 1);
  assert_int_equal(rate, 150000);
  assert_int_equal(amount, 18518505);
  tg_result_destroy(r);
  /* price unknown: the rate applies, the amount is unknown */
  o.unit_price_cents = -1;
  assert_int_equal(tg_check(e, &o, &r, NULL), TG_OK);
  assert_int_equal(tg_result_fee(r, &rate, &amount), 1);
  assert_int_equal(amount, -1);
  tg_result_destroy(r);
  /* the day before the arrangement (2025-08-11): no payment */
  assert_int_equal(tg_date_parse("2025-08-10", &o.on), TG_OK);
  assert_int_equal(tg_check(e, &o, &r, NULL), TG_OK);
  assert_int_equal(tg_result_fee(r, &rate, &amount), 0);
  tg_result_destroy(r);
}

/* tg_order.on is any tg_date.  At the extremes every rule set with no end
 * applies (or none does); nothing may overflow - e.g. the NAC notification
 * for a non-datacenter 3A090.a chip such as the RTX 4090 (TPP 5284.8) to
 * China, per 89 FR 23876, which names no date to ship after. */
static void test_extreme_dates(void **state) {
  const tg_engine *e = *state;
  tg_order o;
  order_for(e, &o, "nv-rtx4090", "CN", "2025-01-01");
  o.end_use = "none"; /* a supercomputer end use would need a license (744.23) */
  tg_result *r;
  assert_int_equal(tg_check(e, &o, &r, NULL), TG_OK);
  assert_int_equal(tg_result_verdict(r), TG_LICENSE_EXCEPTION);
  assert_string_equal(tg_result_exception(r), "NAC");
  char *js = tg_result_json(r);
  /* no date to ship after: BIS's authorization is awaited (740.8(a)) */
  assert_null(strstr(js, "earliest_ship"));
  assert_non_null(strstr(js, "\"wait_for\""));
  tg_free(js);
  tg_result_destroy(r);
  const tg_date days[] = {INT32_MAX, INT32_MAX - 10, INT32_MIN, 0};
  for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
    o.on = days[i];
    assert_int_equal(tg_check(e, &o, &r, NULL), TG_OK);
    js = tg_result_json(r);
    assert_non_null(js);
    tg_free(js);
    tg_result_destroy(r);
    assert_int_equal(tg_classify(e, o.chip, days[i], &r, NULL), TG_OK);
    tg_result_destroy(r);
    char *rules = tg_rules_json(e, days[i]);
    assert_non_null(rules);
    tg_free(rules);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_orders),
      cmocka_unit_test(test_fee_amount),
      cmocka_unit_test(test_extreme_dates),
  };
  return cmocka_run_group_tests(tests, tgt_open_engine, tgt_close_engine);
}
