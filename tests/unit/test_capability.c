/* test_capability.c - capability estimates (src/lib/capability.c) from
 * the catalog's figures: the H100 SXM's figures as data/catalog/chips.yaml
 * states them (sourced there) give the formulas' values; a missing precision
 * falls back and says so; bad options are refused; compare ranks by the
 * estimate and its verdicts are tg_check's. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "tollgate.h"

static json_t *cap(const tg_chip *c, const char *prec, double params) {
  tg_capability_opts o;
  tg_capability_opts_init(&o);
  o.precision = prec;
  o.model_params = params;
  char *js = NULL;
  assert_int_equal(tg_capability_json(c, &o, &js, NULL), TG_OK);
  json_t *j = json_loads(js, 0, NULL);
  tg_free(js);
  return j;
}

static double est(json_t *c, const char *k) {
  json_t *v = json_object_get(json_object_get(json_object_get(c, "estimates"), k), "value");
  return json_is_number(v) ? json_number_value(v) : NAN;
}

static void formulas_on_catalog_figures(void **state) {
  const tg_engine *e = *state;
  const tg_chip *h100 = tg_catalog_find(e, "nv-h100-sxm");
  assert_non_null(h100);
  double bw, fp8 = 0;
  json_t *c = cap(h100, "fp8", 70e9);
  size_t i;
  json_t *f;
  json_array_foreach(json_object_get(c, "compute"), i, f)
    if (!strcmp(json_string_value(json_object_get(f, "precision")), "FP8")) fp8 = json_number_value(json_object_get(f, "value"));
  bw = json_number_value(json_object_get(json_object_get(c, "memory_bw_gbs"), "value"));
  assert_true(fp8 > 0 && bw > 0);
  assert_float_equal(est(c, "decode_tokens_per_s"), bw * 1e9 / 70e9, 1e-9);
  assert_float_equal(est(c, "training_tokens_per_s"), fp8 * 1e12 * 0.4 / (6 * 70e9), 1e-6);
  assert_float_equal(est(c, "prefill_tokens_per_s"), fp8 * 1e12 * 0.4 / (2 * 70e9), 1e-6);
  double mem = json_number_value(json_object_get(json_object_get(c, "memory_gb"), "value"));
  assert_float_equal(est(c, "chips_to_hold_weights"), ceil(70.0 / mem), 0);
  assert_non_null(strstr(json_string_value(json_object_get(json_object_get(json_object_get(c, "estimates"),
                                                                           "decode_tokens_per_s"), "formula")), "bandwidth"));
  json_decref(c);
  /* fp16 weights: twice the bytes, half the decode rate */
  c = cap(h100, "fp16", 70e9);
  assert_float_equal(est(c, "decode_tokens_per_s"), bw * 1e9 / 140e9, 1e-9);
  json_decref(c);
  /* the A100 has no FP8: computed at FP16 and said so */
  c = cap(tg_catalog_find(e, "nv-a100-sxm"), "fp8", 70e9);
  assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(
                          json_object_get(c, "estimates"), "training_tokens_per_s"), "inputs"), "at_precision")),
                      "fp16");
  json_decref(c);
  tg_capability_opts o;
  tg_capability_opts_init(&o);
  o.precision = "fp3";
  char *js = NULL;
  tg_error err = {0};
  assert_int_equal(tg_capability_json(h100, &o, &js, &err), TG_EINVAL);
  assert_non_null(strstr(err.message, "fp3"));
  tg_capability_opts_init(&o);
  o.utilization = 1.5;
  assert_int_equal(tg_capability_json(h100, &o, &js, &err), TG_EINVAL);
}

static void compare_ranks_and_checks(void **state) {
  const tg_engine *e = *state;
  tg_compare_opts o = {0};
  tg_capability_opts_init(&o.capability);
  assert_int_equal(tg_date_parse("2026-02-01", &o.on), TG_OK);
  o.dest = "CN";
  o.hq = "CN";
  o.task = "inference";
  o.reference_count = 1000;
  char *js = NULL;
  assert_int_equal(tg_compare_json(e, &o, &js, NULL), TG_OK);
  json_t *c = json_loads(js, 0, NULL);
  tg_free(js);
  const char *lists[] = {"shippable", "license_required"};
  size_t total = 0;
  for (int l = 0; l < 2; l++) {
    double prev = INFINITY;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(c, lists[l]), i, r) {
      total++;
      json_t *v = json_object_get(r, "tokens_per_s");
      if (json_is_number(v)) {
        assert_true(json_number_value(v) <= prev);
        prev = json_number_value(v);
      }
      tg_order ord;
      tg_order_init(&ord);
      ord.chip = tg_catalog_find(e, json_string_value(json_object_get(r, "chip")));
      ord.on = o.on;
      ord.dest = "CN";
      ord.hq = "CN";
      ord.end_use = "none";
      tg_result *res;
      assert_int_equal(tg_check(e, &ord, &res, NULL), TG_OK);
      assert_string_equal(tg_verdict_name(tg_result_verdict(res)), json_string_value(json_object_get(r, "verdict")));
      assert_int_equal(l == 0, tg_result_verdict(res) != TG_LICENSE_REQUIRED);
      tg_result_destroy(res);
      if (!strcmp(json_string_value(json_object_get(r, "chip")), "nv-h100-sxm"))
        assert_float_equal(json_number_value(json_object_get(r, "to_match_reference")), 1000, 0);
    }
  }
  assert_int_equal(total, tg_catalog_count(e));
  json_decref(c);
  o.task = "mining";
  tg_error err = {0};
  assert_int_equal(tg_compare_json(e, &o, &js, &err), TG_EINVAL);
  assert_non_null(strstr(err.message, "mining"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(formulas_on_catalog_figures),
      cmocka_unit_test(compare_ranks_and_checks),
  };
  return cmocka_run_group_tests(tests, tgt_open_engine, tgt_close_engine);
}
