/* test_check_reuse.c - a decision kept for orders that differ only in
 * quantity and price (check_cache.c) gives what evaluation gives: for
 * every catalog chip on every date where a loaded rule set starts, stops
 * being enforced or ends (and the day before), with destinations, end
 * uses, headquarters, origins, attestations and foreign-made facts
 * cycled, and quantities and prices from 0 to the largest that fit (and
 * some that do not), an engine with its answer caches and one without
 * them (tg__check_cache_off) return the same status, the same outcome
 * fields and the same JSON, byte for byte; most of the cached engine's
 * answers are served from kept decisions.  Also: data directories whose
 * rules read the quantity (kept in the key, answers still the same) and
 * whose fees add up past the largest amount (an error on both paths). */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decide_int.h"

static const char *const DESTS[] = {"CN", "US", "MO", "AE", "de", "RU", "MY", "SA", "VN", "NI"};
static const char *const END_USES[] = {NULL, "none", "supercomputer", "advanced_ic", "military",
                                       "military_end_user"};
static const char *const ATTESTS[] = {NULL, "none", "us-available,us-supply",
                                      "us-available,us-supply,foundry,security,testing",
                                      "foundry,testing"};
static const char *const ORIGINS[] = {NULL, "US", "TW", "MY", "CN"};
static const char *const DPS[] = {NULL, "none", "technology", "plant"};

/* (quantity, unit price in cents): given prices, then none given; the
 * two first of each run are evaluated (and the decision kept), the others
 * served from it.  Some overflow the value (refused before any rule). */
static const int64_t PRICED[][2] = {
    {100, 1200000},       {1, 1},           {0, 1200000},          {7, 0},
    {999999999, 99},      {1, 100000000000}, {3, INT64_MAX / 3},    {INT64_MAX, 1},
    {2, INT64_MAX / 2 + 1}, {1000000, 1234567}, {INT64_MAX / 1000, 999}, {42, 12345}};
static const int64_t UNPRICED[] = {1, 0, 100, INT64_MAX, 31337};

static int cmp_date(const void *a, const void *b) {
  tg_date x = *(const tg_date *)a, y = *(const tg_date *)b;
  return (x > y) - (x < y);
}

/* Every date at which a rule set starts, stops being enforced, becomes
 * binding or ends, and the day before each: the rule epochs.  n <= cap. */
static size_t epoch_dates(const tg_engine *e, tg_date *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    tg_date d[4] = {rs->effective, rs->has_ends ? rs->ends : 0,
                    rs->has_not_enforced ? rs->not_enforced_from : 0,
                    rs->has_compliance ? rs->compliance_from : 0};
    for (int k = 0; k < 4; k++)
      for (int before = 0; before < 2 && d[k] && n < cap; before++) out[n++] = d[k] - before;
  }
  qsort(out, n, sizeof *out, cmp_date);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!m || out[m - 1] != out[i]) out[m++] = out[i];
  return m;
}

static void same_outcome(const tg_result *a, const tg_result *b) {
  assert_int_equal(tg_result_verdict(a), tg_result_verdict(b));
  assert_int_equal(tg_result_undetermined(a), tg_result_undetermined(b));
  const char *const pa[] = {tg_result_eccn(a), tg_result_review_policy(a), tg_result_exception(a)};
  const char *const pb[] = {tg_result_eccn(b), tg_result_review_policy(b), tg_result_exception(b)};
  for (int i = 0; i < 3; i++) {
    if (pb[i]) assert_string_equal(pa[i], pb[i]);
    else assert_null(pa[i]);
  }
  int64_t ra = 0, aa = 0, rb = 0, ab = 0;
  assert_int_equal(tg_result_fee(a, &ra, &aa), tg_result_fee(b, &rb, &ab));
  assert_int_equal(ra, rb);
  assert_int_equal(aa, ab);
  assert_int_equal(tg__result_notice_days(a), tg__result_notice_days(b));
  assert_int_equal(tg__result_cap_percent(a), tg__result_cap_percent(b));
  const char *ha = tg__result_hq(a), *hb = tg__result_hq(b);
  if (hb) assert_string_equal(ha, hb);
  else assert_null(ha);
  char fa[256], fb[256];
  tg__result_unknown_facts(a, fa, sizeof fa);
  tg__result_unknown_facts(b, fb, sizeof fb);
  assert_string_equal(fa, fb);
}

typedef struct tally {
  size_t checks, reused, errors, fees;
} tally;

/* Checks o on both engines: the same status, and for an answer the same
 * outcome and text (the cached engine's text asked for twice: a served
 * answer renders the same each time). */
static void compare(tg_engine *on, tg_engine *off, const tg_order *o, tally *t) {
  tg_result *a = NULL, *b = NULL;
  tg_error ea = {0}, eb = {0};
  tg_status sa = tg_check(on, o, &a, &ea), sb = tg_check(off, o, &b, &eb);
  t->checks++;
  if (sa != sb || strcmp(ea.message, eb.message) != 0)
    fail_msg("%s on %d to %s, qty %lld price %lld: status %d '%s' (cached) vs %d '%s'",
             tg_chip_id(o->chip), (int)o->on, o->dest, (long long)o->qty,
             (long long)o->unit_price_cents, sa, ea.message, sb, eb.message);
  if (sa != TG_OK) {
    assert_null(a);
    t->errors++;
    return;
  }
  assert_null(b->memo);
  t->reused += a->memo && !tg_result_json_kept(a, NULL);
  t->fees += tg_result_fee(b, NULL, NULL);
  same_outcome(a, b);
  char *want = tg_result_json(b), *got = tg_result_json(a), *again = tg_result_json(a);
  assert_non_null(want);
  if (!got || strcmp(got, want) != 0 || !again || strcmp(again, want) != 0) {
    size_t i = 0;
    while (got && got[i] && got[i] == want[i]) i++;
    fail_msg("%s on %d to %s, qty %lld price %lld: the JSON differs at byte %zu: '%.60s' vs "
             "'%.60s'", tg_chip_id(o->chip), (int)o->on, o->dest, (long long)o->qty,
             (long long)o->unit_price_cents, i, got ? got + i : "(null)", want + i);
  }
  tg_free(want);
  tg_free(got);
  tg_free(again);
  tg_result_destroy(a);
  tg_result_destroy(b);
}

/* The k-th combination of the decision inputs (numbers left to the
 * caller). */
static void inputs_at(const tg_engine *e, size_t k, const tg_date *dates, size_t ndates,
                      tg_order *o) {
  size_t nc = tg_catalog_count(e);
  tg_order_init(o);
  o->chip = tg_catalog_at(e, k % nc);
  o->on = dates[(k / nc) % ndates];
  size_t r = k / nc / ndates; /* the round over chips x dates */
  size_t v = k * 7 + r;       /* cycles the other inputs across chips and dates */
  o->dest = DESTS[(k + r) % (sizeof DESTS / sizeof *DESTS)];
  o->hq = v % 3 == 0 ? NULL : (v % 3 == 1 ? o->dest : "US");
  o->end_use = END_USES[v % (sizeof END_USES / sizeof *END_USES)];
  o->attestations = ATTESTS[(v / 2) % (sizeof ATTESTS / sizeof *ATTESTS)];
  o->origin = ORIGINS[(v / 3) % (sizeof ORIGINS / sizeof *ORIGINS)];
  if (v % 4 == 1) { /* foreign-made: the de minimis and direct product facts */
    o->made_in = "TW";
    o->us_content_pct = (double)(v % 5) * 10;
    o->direct_product = DPS[(v / 5) % (sizeof DPS / sizeof *DPS)];
  }
}

/* Runs every combination k < n with its runs of numbers; the tally. */
static tally run_grid(tg_engine *on, tg_engine *off, size_t rounds) {
  tg_date dates[256];
  size_t ndates = epoch_dates(on, dates, sizeof dates / sizeof *dates);
  size_t n = tg_catalog_count(on) * ndates * rounds;
  size_t np = sizeof PRICED / sizeof *PRICED, nu = sizeof UNPRICED / sizeof *UNPRICED;
  tally t = {0};
  for (size_t k = 0; k < n; k++) {
    tg_order o;
    inputs_at(on, k, dates, ndates, &o);
    for (size_t i = 0; i < 5; i++) { /* five priced orders, from k on */
      o.qty = PRICED[(k + i) % np][0];
      o.unit_price_cents = PRICED[(k + i) % np][1];
      compare(on, off, &o, &t);
    }
    o.unit_price_cents = -1;
    for (size_t i = 0; i < 3; i++) {
      o.qty = UNPRICED[(k + i) % nu];
      compare(on, off, &o, &t);
    }
  }
  return t;
}

static void test_reuse_is_evaluation(void **state) {
  (void)state;
  tg_engine *on, *off;
  assert_int_equal(tg_engine_open(TG_DATA_DIR, &on, NULL), TG_OK);
  assert_int_equal(tg_engine_open(TG_DATA_DIR, &off, NULL), TG_OK);
  tg__check_cache_off(off);
  tally t = run_grid(on, off, 1);
  printf("# %zu orders: %zu answered from a kept decision, %zu refused, %zu with a fee\n",
         t.checks, t.reused, t.errors, t.fees);
  /* the grid reaches reuse, refusals and fees */
  assert_true(t.reused * 3 > t.checks); /* all but the first of each run may be served */
  assert_true(t.errors > 0);
  assert_true(t.fees > 0);
  tg_engine_close(on);
  tg_engine_close(off);
}

/* A data directory: the shipped one's files (linked) and its rules plus
 * one more rule file with `extra` as its text; the path in dir. */
static void data_with_rule(char *dir, size_t n, const char *extra) {
  snprintf(dir, n, "/tmp/tg-reuse-XXXXXX");
  assert_non_null(mkdtemp(dir));
  static const char *const entries[] = {"catalog", "countries.yaml", "country-groups-history.yaml",
                                        "lists", "screening"};
  char from[8300], to[4200];
  for (size_t i = 0; i < sizeof entries / sizeof *entries; i++) {
    snprintf(from, sizeof from, "%s/%s", TG_DATA_DIR, entries[i]);
    snprintf(to, sizeof to, "%s/%s", dir, entries[i]);
    if (access(from, F_OK) == 0) assert_int_equal(symlink(from, to), 0);
  }
  snprintf(to, sizeof to, "%s/rules", dir);
  assert_int_equal(mkdir(to, 0700), 0);
  snprintf(from, sizeof from, "cp %s/rules/*.yaml %s/", TG_DATA_DIR, to);
  assert_int_equal(system(from), 0);
  snprintf(to, sizeof to, "%s/rules/2026-02-02-test-extra.yaml", dir);
  FILE *f = fopen(to, "w");
  assert_non_null(f);
  fputs(extra, f);
  fclose(f);
}

static void remove_data(const char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* Engines with and without caches over the shipped data and one more
 * rule file (data_with_rule), and an order of `chip` to CN on 2026-03-01. */
static void open_pair(char *dir, size_t n, const char *extra, tg_engine **on, tg_engine **off,
                      const char *chip, tg_order *o) {
  data_with_rule(dir, n, extra);
  tg_error err = {0};
  if (tg_engine_open(dir, on, &err) != TG_OK) fail_msg("%s", err.message);
  assert_int_equal(tg_engine_open(dir, off, NULL), TG_OK);
  tg__check_cache_off(*off);
  tg_order_init(o);
  o->chip = tg_catalog_find(*on, chip);
  assert_non_null(o->chip);
  tg_date_parse("2026-03-01", &o->on);
  o->dest = o->hq = "CN";
}

static const char HEAD[] =
    "rule_set: test-extra\n"
    "title: \"test rule set\"\n"
    "jurisdiction: US\n"
    "citation: \"none (a test)\"\n"
    "source: \"tests/unit/test_check_reuse.c\"\n"
    "effective: 2026-02-02\n"
    "verification: unverified\n"
    "rules:\n";

/* A rule that reads the quantity: the quantity stays in the decision
 * key, and answers are still those of evaluation. */
static void test_rules_read_qty(void **state) {
  (void)state;
  char dir[64], text[2048];
  snprintf(text, sizeof text, "%s%s", HEAD,
           "  - id: test-big-order\n"
           "    warning: \"large order\"\n"
           "    when: qty > 500 and dest == \"CN\"\n"
           "    cite: \"none\"\n"
           "    text: \"an order of {qty} units\"\n");
  tg_engine *on, *off;
  tg_order o;
  open_pair(dir, sizeof dir, text, &on, &off, "nv-h20", &o);
  o.unit_price_cents = 1200000;
  tally t = {0};
  for (int round = 0; round < 3; round++)
    for (int64_t q = 498; q < 503; q++) {
      o.qty = q;
      compare(on, off, &o, &t);
    }
  /* with the quantity in the key no other quantity's decision serves */
  assert_int_equal(t.reused, 0);
  tg__buf key, dkey;
  tg__buf_init(&key);
  tg__buf_init(&dkey);
  assert_true(tg__check_key(on, &o, &key));
  assert_true(tg__check_decision_key(on, &key, &dkey)); /* the price is left out */
  tg__buf_free(&key);
  tg__buf_free(&dkey);
  tg_engine_close(on);
  tg_engine_close(off);
  remove_data(dir);
}

/* Fees that add up to 300%: the largest orders' fees do not fit, and
 * both paths refuse them the same way. */
static void test_fee_overflow(void **state) {
  (void)state;
  char dir[64], text[4096];
  size_t at = (size_t)snprintf(text, sizeof text, "%s", HEAD);
  for (int i = 0; i < 3; i++)
    at += (size_t)snprintf(text + at, sizeof text - at,
                           "  - id: test-fee-%d\n"
                           "    fee: 100%%\n"
                           "    basis: \"the order's value\"\n"
                           "    collected_as: \"a test\"\n"
                           "    when: dest == \"CN\"\n"
                           "    cite: \"none\"\n"
                           "    text: \"a test fee\"\n", i);
  tg_engine *on, *off;
  tg_order o;
  open_pair(dir, sizeof dir, text, &on, &off, "nv-h100-sxm", &o);
  o.end_use = "none";
  tally t = {0};
  static const int64_t q[] = {1, 2, INT64_MAX / 3, INT64_MAX / 3 + 1, INT64_MAX, 5};
  for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
    o.qty = q[i];
    o.unit_price_cents = 1;
    compare(on, off, &o, &t);
  }
  /* the first answer is rendered twice (compare), so its decision is
   * kept: 2, INT64_MAX / 3 and 5 are served, and the two between are
   * refused on that same path */
  assert_int_equal(t.reused, 3);
  assert_int_equal(t.errors, 2); /* INT64_MAX / 3 + 1 and INT64_MAX */
  tg_engine_close(on);
  tg_engine_close(off);
  remove_data(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reuse_is_evaluation),
      cmocka_unit_test(test_rules_read_qty),
      cmocka_unit_test(test_fee_overflow),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
