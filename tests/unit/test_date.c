/* test_date.c - ISO date parsing and formatting (src/lib/date.c).
 * Dates are inputs everywhere (effective dates of rule sets, the date of
 * export), so a date the calendar does not have must be refused. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tollgate.h"

static void test_epoch_and_known_days(void **state) {
  (void)state;
  tg_date d = -1;
  assert_int_equal(tg_date_parse("1970-01-01", &d), TG_OK);
  assert_int_equal(d, 0);
  assert_int_equal(tg_date_parse("1970-01-02", &d), TG_OK);
  assert_int_equal(d, 1);
  assert_int_equal(tg_date_parse("1969-12-31", &d), TG_OK);
  assert_int_equal(d, -1);
  /* 88 FR 73458 took effect on 2023-11-17: day 19678 since the epoch */
  assert_int_equal(tg_date_parse("2023-11-17", &d), TG_OK);
  assert_int_equal(d, 19678);
  assert_int_equal(tg_date_from_ymd(2023, 11, 17), 19678);
  assert_int_equal(tg_date_parse("2000-03-01", &d), TG_OK);
  assert_int_equal(d, 11017);
}

static void test_leap_years(void **state) {
  (void)state;
  tg_date d, e;
  assert_int_equal(tg_date_parse("2024-02-29", &d), TG_OK);
  assert_int_equal(tg_date_parse("2024-03-01", &e), TG_OK);
  assert_int_equal(e - d, 1);
  assert_int_equal(tg_date_parse("2023-02-29", &d), TG_EINVAL);
  assert_int_equal(tg_date_parse("2000-02-29", &d), TG_OK);  /* divisible by 400 */
  assert_int_equal(tg_date_parse("1900-02-29", &d), TG_EINVAL); /* by 100, not 400 */
  assert_int_equal(tg_date_parse("2100-02-29", &d), TG_EINVAL);
  assert_int_equal(tg_date_parse("2023-02-28", &d), TG_OK);
}

static void test_rejects(void **state) {
  (void)state;
  static const char *const bad[] = {
      "2025-13-01", "2025-00-10", "2025-01-00", "2025-01-32", "2025-04-31",
      "2025-06-31", "2025-09-31", "2025-11-31", "2025-1-01",  "2025-01-1",
      "25-01-01",   "2025/01/01", "2025-01-01x", "2025-01-01 ", " 2025-01-01",
      "2025-01-0a", "20a5-01-01", "",           "2025-01",    "1899-12-31",
      "3000-01-01", "2025-01-01T00:00", "+025-01-01", "2025--1-01", "-2025-01-0"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    tg_date d = 12345;
    if (tg_date_parse(bad[i], &d) != TG_EINVAL) fail_msg("accepted '%s'", bad[i]);
    assert_int_equal(d, 12345); /* output untouched on failure */
  }
}

static void test_null_arguments(void **state) {
  (void)state;
  tg_date d;
  assert_int_equal(tg_date_parse(NULL, &d), TG_EINVAL);
  assert_int_equal(tg_date_parse("2025-01-01", NULL), TG_EINVAL);
}

static void test_range_limits(void **state) {
  (void)state;
  tg_date d;
  char buf[11];
  assert_int_equal(tg_date_parse("1900-01-01", &d), TG_OK);
  tg_date_format(d, buf);
  assert_string_equal(buf, "1900-01-01");
  assert_int_equal(tg_date_parse("2999-12-31", &d), TG_OK);
  tg_date_format(d, buf);
  assert_string_equal(buf, "2999-12-31");
}

/* Every day from 1900-01-01 to 2999-12-31 formats to text that parses back
 * to the same day, and consecutive days format in strictly increasing
 * order (the ISO text sorts like the day number). */
static void test_round_trip(void **state) {
  (void)state;
  tg_date first = tg_date_from_ymd(1900, 1, 1), last = tg_date_from_ymd(2999, 12, 31);
  char prev[11] = "";
  long n = 0;
  for (tg_date d = first; d <= last; d++, n++) {
    char buf[11];
    tg_date_format(d, buf);
    assert_int_equal(strlen(buf), 10);
    tg_date back = 0;
    if (tg_date_parse(buf, &back) != TG_OK) fail_msg("cannot parse back '%s'", buf);
    assert_int_equal(back, d);
    if (prev[0] && strcmp(prev, buf) >= 0) fail_msg("'%s' after '%s'", buf, prev);
    memcpy(prev, buf, sizeof buf);
  }
  /* 1100 years, 267 of them leap years: 1100 * 365 + 267 days */
  assert_int_equal(n, 1100L * 365 + 267);
}

/* tg_date_format takes any tg_date: days far outside 1900-2999 (an order
 * dated INT32_MAX through the public struct) must not overflow (UBSan
 * aborts the asan suite on signed overflow) and still give 10 characters.
 * Years outside 0-9999 print as year 0000. */
static void test_format_extremes(void **state) {
  (void)state;
  const tg_date days[] = {INT32_MAX, INT32_MIN, INT32_MAX - 30, INT32_MIN + 30,
                          tg_date_from_ymd(9999, 12, 31) + 1};
  for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
    char buf[11];
    memset(buf, 'x', sizeof buf);
    tg_date_format(days[i], buf);
    assert_int_equal(buf[10], '\0');
    assert_int_equal(strlen(buf), 10);
    assert_int_equal(buf[4], '-');
    assert_int_equal(buf[7], '-');
    assert_memory_equal(buf, "0000", 4);
  }
  char buf[11];
  tg_date_format(tg_date_from_ymd(9999, 12, 31), buf);
  assert_string_equal(buf, "9999-12-31");
  /* and the other direction with absurd years: defined, no overflow */
  (void)tg_date_from_ymd(2147483647, 12, 31);
  (void)tg_date_from_ymd(-2147483647 - 1, 1, 1);
}

static void test_from_ymd_matches_parse(void **state) {
  (void)state;
  for (int y = 1996; y <= 2030; y++)
    for (int m = 1; m <= 12; m++) {
      char s[11];
      snprintf(s, sizeof s, "%04d-%02d-15", y, m);
      tg_date d;
      assert_int_equal(tg_date_parse(s, &d), TG_OK);
      assert_int_equal(d, tg_date_from_ymd(y, m, 15));
    }
}

/* Reporting periods for fee reports: quarters end on the last day of their
 * third month (2025Q3 = 2025-07-01..2025-09-30); February 2024 has 29 days. */
static void expect_period(const char *q, const char *m, const char *y, const char *f,
                          const char *u, const char *want_from, const char *want_until) {
  tg_date from = 0, until = 0;
  tg_error err = {0};
  assert_int_equal(tg_period_parse(q, m, y, f, u, &from, &until, &err), TG_OK);
  char a[11], b[11];
  tg_date_format(from, a);
  tg_date_format(until, b);
  assert_string_equal(a, want_from);
  assert_string_equal(b, want_until);
}

static void expect_period_error(const char *q, const char *m, const char *y, const char *f,
                                const char *u, const char *want) {
  tg_date from = 7, until = 9;
  tg_error err = {0};
  assert_int_equal(tg_period_parse(q, m, y, f, u, &from, &until, &err), TG_EINVAL);
  if (!strstr(err.message, want)) fail_msg("message '%s' lacks '%s'", err.message, want);
}

static void test_periods(void **state) {
  (void)state;
  expect_period("2025Q3", NULL, NULL, NULL, NULL, "2025-07-01", "2025-09-30");
  expect_period("2025Q4", NULL, NULL, NULL, NULL, "2025-10-01", "2025-12-31");
  expect_period("2026Q1", NULL, NULL, NULL, NULL, "2026-01-01", "2026-03-31");
  expect_period(NULL, "2024-02", NULL, NULL, NULL, "2024-02-01", "2024-02-29");
  expect_period(NULL, "2025-12", NULL, NULL, NULL, "2025-12-01", "2025-12-31");
  expect_period(NULL, NULL, "2025", NULL, NULL, "2025-01-01", "2025-12-31");
  expect_period(NULL, NULL, NULL, "2025-08-11", "2025-09-01", "2025-08-11", "2025-09-01");
  expect_period_error("2025Q5", NULL, NULL, NULL, NULL, "quarter: '2025Q5' is not a quarter");
  expect_period_error("2025Q3x", NULL, NULL, NULL, NULL, "is not a quarter");
  expect_period_error(NULL, "2025-13", NULL, NULL, NULL, "month: '2025-13' is not a month");
  expect_period_error(NULL, NULL, "25", NULL, NULL, "year: '25' is not a year");
  expect_period_error(NULL, NULL, NULL, "2025-02-30", NULL, "from: '2025-02-30' is not a date");
  expect_period_error("2025Q3", "2025-09", NULL, NULL, NULL, "give one period");
  /* nothing given: the window is left as it was */
  tg_date from = 5, until = 6;
  assert_int_equal(tg_period_parse(NULL, NULL, NULL, NULL, NULL, &from, &until, NULL), TG_OK);
  assert_int_equal(from, 5);
  assert_int_equal(until, 6);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_epoch_and_known_days),
      cmocka_unit_test(test_leap_years),
      cmocka_unit_test(test_rejects),
      cmocka_unit_test(test_null_arguments),
      cmocka_unit_test(test_range_limits),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_format_extremes),
      cmocka_unit_test(test_from_ymd_matches_parse),
      cmocka_unit_test(test_periods),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
