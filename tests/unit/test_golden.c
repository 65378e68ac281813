/* test_golden.c - the golden corpus: the JSON of a grid of decisions
 * (every catalog chip classified and checked on every rule date and the day
 * before it, to ten destinations with and without headquarters, plus user
 * chips with unknown and unverified figures; every chip's JSON and the rule
 * sets' JSON on every date) is hashed entry by entry and
 * compared with tests/golden/grid.txt, so a change made for speed cannot
 * change an answer.  When answers change on purpose, regenerate with
 *   TG_GOLDEN_WRITE=tests/golden/grid.txt build/test_golden
 * (and say why in the commit).  TG_GOLDEN_DUMP=FILE writes every JSON. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "tollgate.h"

static const char *const DATES[] = {
    "2022-10-01", "2022-10-06", "2022-10-07", "2022-10-12", "2022-10-13", "2023-01-17",
    "2023-01-18", "2023-10-24", "2023-10-25", "2023-11-16", "2023-11-17", "2024-04-03",
    "2024-04-04", "2024-12-01", "2024-12-02", "2024-12-04", "2024-12-05", "2024-12-30",
    "2024-12-31", "2025-01-12", "2025-01-13", "2025-01-14", "2025-01-15", "2025-04-08",
    "2025-04-09", "2025-05-12", "2025-05-13", "2025-05-14", "2025-05-15", "2025-08-10",
    "2025-08-11", "2026-01-13", "2026-01-14", "2026-01-15", "2026-06-01", "2027-06-01"};
static const char *const DESTS[] = {"CN", "HK", "MO", "US", "DE", "AE", "SA", "IN", "VN", "RU"};

typedef struct corpus {
  FILE *write, *dump;
  FILE *expected; /* the committed file, read in step */
  size_t entries, mismatches;
  char first_bad[160];
} corpus;

static uint64_t fnv1a(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static void record(corpus *c, const char *key, char *json) {
  assert_non_null(json);
  uint64_t h = fnv1a(json);
  char line[200];
  snprintf(line, sizeof line, "%s %016" PRIx64 "\n", key, h);
  c->entries++;
  if (c->write) fputs(line, c->write);
  if (c->dump) fprintf(c->dump, "### %s\n%s\n", key, json);
  char want[200];
  if (c->expected && (!fgets(want, sizeof want, c->expected) || strcmp(want, line) != 0)) {
    if (!c->mismatches++) snprintf(c->first_bad, sizeof c->first_bad, "%s", key);
  }
  tg_free(json);
}

static void one_check(corpus *c, const tg_engine *e, const tg_chip *chip, const char *on,
                      const char *dest, const char *hq, int64_t price) {
  tg_order o;
  tg_order_init(&o);
  o.chip = chip;
  assert_int_equal(tg_date_parse(on, &o.on), TG_OK);
  o.dest = dest;
  o.hq = hq;
  o.qty = 100;
  o.unit_price_cents = price;
  tg_result *r;
  assert_int_equal(tg_check(e, &o, &r, NULL), TG_OK);
  char key[160];
  snprintf(key, sizeof key, "check/%s/%s/%s/%s/%lld", tg_chip_id(chip), on, dest,
           hq ? hq : "-", (long long)price);
  record(c, key, tg_result_json(r));
  tg_result_destroy(r);
}

static void chip_grid(corpus *c, const tg_engine *e, const tg_chip *chip, bool all) {
  for (size_t d = 0; d < sizeof DATES / sizeof *DATES; d++) {
    tg_date on;
    assert_int_equal(tg_date_parse(DATES[d], &on), TG_OK);
    tg_result *r;
    assert_int_equal(tg_classify(e, chip, on, &r, NULL), TG_OK);
    char key[160];
    snprintf(key, sizeof key, "classify/%s/%s", tg_chip_id(chip), DATES[d]);
    record(c, key, tg_result_json(r));
    tg_result_destroy(r);
    for (size_t k = 0; k < sizeof DESTS / sizeof *DESTS; k++) {
      if (!all && k > 2) break;
      one_check(c, e, chip, DATES[d], DESTS[k], DESTS[k], 1200000);
      one_check(c, e, chip, DATES[d], DESTS[k], NULL, -1);
      if (all && k > 2 && k < 6) one_check(c, e, chip, DATES[d], DESTS[k], "CN", 2500000);
    }
  }
}

/* User chips: exact, partial (unknown area), unverified precision. */
static tg_chip *user_chip(int which) {
  tg_chip *c;
  char id[32];
  snprintf(id, sizeof id, "golden-user-%d", which);
  assert_int_equal(tg_chip_create(id, &c), TG_OK);
  assert_int_equal(tg_chip_set_number(c, "fp16_tflops", 150.0 + 90.0 * which, NULL), TG_OK);
  if (which != 1) assert_int_equal(tg_chip_set_number(c, "die_area_mm2", 600, NULL), TG_OK);
  if (which == 2) assert_int_equal(tg_chip_set_number(c, "fp8_tflops", 900, "unverified"), TG_OK);
  assert_int_equal(tg_chip_set_number(c, "memory_bw_gbs", 4000, "estimate"), TG_OK);
  if (which != 3) assert_int_equal(tg_chip_set_number(c, "datacenter", 1, NULL), TG_OK);
  return c;
}

static void test_golden(void **state) {
  const tg_engine *e = *state;
  corpus c = {0};
  const char *w = getenv("TG_GOLDEN_WRITE"), *dump = getenv("TG_GOLDEN_DUMP");
  if (w) assert_non_null(c.write = fopen(w, "w"));
  if (dump) assert_non_null(c.dump = fopen(dump, "w"));
  if (!w) assert_non_null(c.expected = fopen(TG_SOURCE_DIR "/tests/golden/grid.txt", "r"));
  for (size_t i = 0; i < tg_catalog_count(e); i++) chip_grid(&c, e, tg_catalog_at(e, i), true);
  for (size_t i = 0; i < tg_catalog_count(e); i++) {
    char key[160];
    snprintf(key, sizeof key, "chip/%s", tg_chip_id(tg_catalog_at(e, i)));
    record(&c, key, tg_chip_json(tg_catalog_at(e, i)));
  }
  for (size_t d = 0; d < sizeof DATES / sizeof *DATES; d++) {
    tg_date on;
    assert_int_equal(tg_date_parse(DATES[d], &on), TG_OK);
    char key[160];
    snprintf(key, sizeof key, "rules/%s", DATES[d]);
    record(&c, key, tg_rules_json(e, on));
  }
  for (int k = 0; k < 4; k++) {
    tg_chip *u = user_chip(k);
    char key[160];
    snprintf(key, sizeof key, "chip/%s", tg_chip_id(u));
    record(&c, key, tg_chip_json(u));
    chip_grid(&c, e, u, false);
    tg_chip_destroy(u);
  }
  if (c.write) fclose(c.write);
  if (c.dump) fclose(c.dump);
  if (c.expected) fclose(c.expected);
  if (c.mismatches)
    fail_msg("%zu of %zu golden entries differ (first: %s); if answers changed on purpose, "
             "regenerate tests/golden/grid.txt (see the top of this file)",
             c.mismatches, c.entries, c.first_bad);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_golden)};
  return cmocka_run_group_tests(tests, tgt_open_engine, tgt_close_engine);
}
