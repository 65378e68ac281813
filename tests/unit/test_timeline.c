/* test_timeline.c - timelines and diffs (src/lib/timeline.c) against
 * direct checks: for every catalog chip and several destinations, the
 * answer tg_check gives on each change date and on random dates between
 * changes is the one the timeline states for that period; a diff's before
 * and after are the checks on its two dates; the rule-change feed is in
 * date order and names every rule set. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "tollgate.h"

/* The scenarios checked: each destination with the end user there, and
 * orders to China with a restricted end use and with every attestation
 * made (the order facts tg_check takes). */
static const struct { const char *dest, *end_use, *attest; } scen[] = {
    {"CN", NULL, NULL}, {"MO", NULL, NULL}, {"AE", NULL, NULL}, {"US", NULL, NULL},
    {"FR", NULL, NULL}, {"CN", "supercomputer", NULL},
    {"CN", NULL, "us-available,us-supply,foundry,security,testing"}};
static size_t cur; /* the scenario agrees() checks against */

static tg_scenario scenario(size_t i) {
  tg_scenario s;
  tg_scenario_init(&s);
  s.dest = s.hq = scen[i].dest;
  s.end_use = scen[i].end_use;
  s.attestations = scen[i].attest;
  return s;
}

static const char *opt_str(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static void same_text(const char *what, const char *a, const char *b, const char *ctx) {
  if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
    fail_msg("%s: %s is %s by check, %s by timeline", ctx, what, a ? a : "none", b ? b : "none");
}

/* tg_check on `on` must give the state `s`. */
static void agrees(const tg_engine *e, const tg_chip *c, const char *dest, tg_date on, json_t *s) {
  tg_order o;
  tg_order_init(&o);
  o.chip = c;
  o.dest = dest;
  o.hq = dest;
  o.end_use = scen[cur].end_use ? scen[cur].end_use : "none";
  o.attestations = scen[cur].attest;
  o.on = on;
  tg_result *r = NULL;
  tg_error err = {0};
  tg_status st = tg_check(e, &o, &r, &err);
  if (st == TG_EINVAL && strstr(err.message, "is not modelled")) {
    /* before the first rule set that classifies chips a check is refused;
     * the timeline's state there has no rule to cite */
    assert_null(opt_str(s, "eccn"));
    return;
  }
  assert_int_equal(st, TG_OK);
  char ctx[96], d[11];
  tg_date_format(on, d);
  snprintf(ctx, sizeof ctx, "%s to %s on %s", tg_chip_id(c), dest, d);
  same_text("verdict", tg_verdict_name(tg_result_verdict(r)), opt_str(s, "verdict"), ctx);
  const char *eccn = tg_result_eccn(r);
  same_text("eccn", eccn && *eccn ? eccn : NULL, opt_str(s, "eccn"), ctx);
  same_text("exception", tg_result_exception(r), opt_str(s, "exception"), ctx);
  same_text("review policy", tg_result_review_policy(r), opt_str(s, "review_policy"), ctx);
  int64_t ppm = 0, cents;
  tg_result_fee(r, &ppm, &cents);
  json_t *rate = json_object_get(s, "payment_rate");
  if (llround((json_is_number(rate) ? json_number_value(rate) : 0) * 1e6) != ppm)
    fail_msg("%s: payment rate %lld ppm by check", ctx, (long long)ppm);
  tg_result_destroy(r);
}

static void timelines_agree_with_checks(void **state) {
  const tg_engine *e = *state;
  tg_date from, until;
  assert_int_equal(tg_date_parse("2022-10-01", &from), TG_OK);
  assert_int_equal(tg_date_parse("2026-12-31", &until), TG_OK);
  uint64_t rng = 12345;
  size_t checks = 0, changes = 0;
  for (size_t ci = 0; ci < tg_catalog_count(e); ci++) {
    const tg_chip *c = tg_catalog_at(e, ci);
    for (size_t di = 0; di < sizeof scen / sizeof *scen; di++) {
      char *js = NULL;
      tg_scenario sc = scenario(di);
      cur = di;
      assert_int_equal(tg_timeline_json(e, c, &sc, from, until, &js, NULL), TG_OK);
      json_t *t = json_loads(js, 0, NULL);
      tg_free(js);
      json_t *steps = json_object_get(t, "timeline");
      assert_true(json_array_size(steps) >= 1);
      /* the answer states the order facts it assumed */
      assert_string_equal(opt_str(json_object_get(t, "scenario"), "end_use"),
                          scen[di].end_use ? scen[di].end_use : "none");
      assert_true(json_array_size(json_object_get(t, "assumptions")) >= 4);
      for (size_t k = 0; k < json_array_size(steps); k++) {
        json_t *s = json_array_get(steps, k);
        tg_date d, next = until + 1;
        assert_int_equal(tg_date_parse(opt_str(s, "on"), &d), TG_OK);
        if (k + 1 < json_array_size(steps))
          assert_int_equal(tg_date_parse(opt_str(json_array_get(steps, k + 1), "on"), &next), TG_OK);
        assert_true(next > d);
        agrees(e, c, scen[di].dest, d, s);
        agrees(e, c, scen[di].dest, next - 1, s); /* the day before the next change */
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        agrees(e, c, scen[di].dest, d + (tg_date)((rng >> 33) % (uint64_t)(next - d)), s);
        checks += 3;
        if (k > 0) {
          changes++;
          assert_true(json_array_size(json_object_get(s, "changed")) > 0);
          assert_true(json_array_size(json_object_get(s, "caused_by")) > 0);
        }
      }
      json_decref(t);
    }
  }
  print_message("%zu checks agree with %zu timeline changes\n", checks, changes);
  assert_true(changes > 50);
}

static void h20_and_a800_stories(void **state) {
  const tg_engine *e = *state;
  tg_date from, until;
  assert_int_equal(tg_date_parse("2022-10-01", &from), TG_OK);
  assert_int_equal(tg_date_parse("2026-06-30", &until), TG_OK);
  /* A800: free under the 2022 interconnect line; controlled from
   * 2023-10-23, when the USG made the 88 FR 73458 licensing requirements
   * effective immediately for the A100, A800, H100, H800 and L40S (NVIDIA
   * Form 8-K filed 2023-10-24; data/rules/2023-10-23-us-nvidia-
   * acceleration.yaml), and from 2023-11-17 by the rule itself (88 FR
   * 73458, TPP >= 4800) when the acceleration ends. */
  char *js = NULL;
  cur = 0;
  tg_scenario sc = scenario(0);
  assert_int_equal(tg_timeline_json(e, tg_catalog_find(e, "nv-a800-sxm"), &sc, from, until, &js, NULL), TG_OK);
  json_t *t = json_loads(js, 0, NULL);
  tg_free(js);
  bool seen = false, seen_rule = false;
  size_t i, k;
  json_t *s, *cause;
  json_array_foreach(json_object_get(t, "timeline"), i, s) {
    const char *on = opt_str(s, "on");
    if (strcmp(on, "2023-10-23") < 0)
      assert_string_equal(opt_str(s, "verdict"), "no_license_required");
    if (!strcmp(on, "2023-10-23")) {
      seen = true;
      assert_string_equal(opt_str(s, "verdict"), "license_required");
      assert_string_equal(opt_str(json_array_get(json_object_get(s, "caused_by"), 0), "rule_set"),
                          "us-2023-10-23-nvidia-acceleration");
    }
    if (!strcmp(on, "2023-11-17")) {
      assert_string_equal(opt_str(s, "verdict"), "license_required");
      json_array_foreach(json_object_get(s, "caused_by"), k, cause)
        seen_rule |= !strcmp(opt_str(cause, "rule_set"), "us-bis-2023-11-17-advanced-computing");
    }
  }
  assert_true(seen_rule);
  assert_true(seen);
  json_decref(t);
  /* H20: licensed from 2025-04-09 (NVIDIA 8-K), 15% from 2025-08-11. */
  assert_int_equal(tg_timeline_json(e, tg_catalog_find(e, "nv-h20"), &sc, from, until, &js, NULL), TG_OK);
  t = json_loads(js, 0, NULL);
  tg_free(js);
  int found = 0;
  json_array_foreach(json_object_get(t, "timeline"), i, s) {
    if (!strcmp(opt_str(s, "on"), "2025-04-09") && !strcmp(opt_str(s, "verdict"), "license_required")) found |= 1;
    if (!strcmp(opt_str(s, "on"), "2025-08-11") && json_is_number(json_object_get(s, "payment_rate"))) found |= 2;
  }
  assert_int_equal(found, 3);
  json_decref(t);
}

static void diff_and_feed(void **state) {
  const tg_engine *e = *state;
  tg_date d1, d2;
  assert_int_equal(tg_date_parse("2023-01-01", &d1), TG_OK);
  assert_int_equal(tg_date_parse("2025-09-01", &d2), TG_OK);
  char *js = NULL;
  cur = 0;
  tg_scenario sc = scenario(0);
  assert_int_equal(tg_diff_json(e, NULL, 0, &sc, d1, d2, &js, NULL), TG_OK);
  json_t *d = json_loads(js, 0, NULL);
  tg_free(js);
  size_t n = json_array_size(json_object_get(d, "changed")) + json_array_size(json_object_get(d, "unchanged"));
  assert_int_equal(n, tg_catalog_count(e));
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(d, "changed"), i, c) {
    const tg_chip *chip = tg_catalog_find(e, opt_str(c, "chip"));
    agrees(e, chip, "CN", d1, json_object_get(c, "before"));
    agrees(e, chip, "CN", d2, json_object_get(c, "after"));
  }
  json_decref(d);
  tg_error err = {0};
  /* a restricted end use changes answers the diff gives: the end-use
   * rules catch every chip on both dates */
  cur = 5;
  sc = scenario(5);
  assert_int_equal(tg_diff_json(e, NULL, 0, &sc, d1, d2, &js, NULL), TG_OK);
  d = json_loads(js, 0, NULL);
  tg_free(js);
  json_array_foreach(json_object_get(d, "changed"), i, c) {
    const tg_chip *chip = tg_catalog_find(e, opt_str(c, "chip"));
    agrees(e, chip, "CN", d1, json_object_get(c, "before"));
    agrees(e, chip, "CN", d2, json_object_get(c, "after"));
  }
  json_decref(d);
  sc = scenario(0);
  sc.hq = NULL;
  assert_int_equal(tg_diff_json(e, NULL, 0, &sc, d2, d1, &js, &err), TG_EINVAL);
  sc.dest = "XX";
  assert_int_equal(tg_diff_json(e, NULL, 0, &sc, d1, d2, &js, &err), TG_EINVAL);
  assert_non_null(strstr(err.message, "XX"));
  assert_int_equal(tg_rule_changes_json(e, d1, &js, NULL), TG_OK);
  json_t *f = json_loads(js, 0, NULL);
  tg_free(js);
  const char *prev = "0000";
  json_array_foreach(json_object_get(f, "changes"), i, c) {
    assert_true(strcmp(prev, opt_str(c, "on")) <= 0);
    assert_true(strcmp(opt_str(c, "on"), "2023-01-01") >= 0);
    prev = opt_str(c, "on");
  }
  assert_true(json_array_size(json_object_get(f, "changes")) > 5);
  json_decref(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(timelines_agree_with_checks),
      cmocka_unit_test(h20_and_a800_stories),
      cmocka_unit_test(diff_and_feed),
  };
  return cmocka_run_group_tests(tests, tgt_open_engine, tgt_close_engine);
}
