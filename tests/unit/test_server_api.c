/* test_server_api.c - every core endpoint over loopback answers what the
 * library answers for the same question: health, whoami, chips with their
 * ECCN, classifications, checks (one and many, the same JSON as `tollgate
 * check --json`), rule sets, the chart, the token list, console files. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "loopback.h"

static lb_server L;

static int setup(void **state) {
  (void)state;
  return lb_start(&L, 0);
}
static int teardown(void **state) {
  (void)state;
  lb_stop(&L);
  return 0;
}

static tg_date day(const char *s) {
  tg_date d;
  assert_int_equal(tg_date_parse(s, &d), TG_OK);
  return d;
}

static json_t *body_json(const lb_resp *r) {
  json_t *j = json_loads(r->body, 0, NULL);
  assert_non_null(j);
  return j;
}

static void test_health(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/health", NULL, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.head, "Content-Type: application/json"));
  json_t *j = body_json(&r);
  assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
  assert_string_equal(json_string_value(json_object_get(j, "version")), TG_VERSION);
  assert_int_equal(json_integer_value(json_object_get(j, "chips")), tg_catalog_count(L.e));
  assert_int_equal(json_integer_value(json_object_get(j, "schema_version")), tg_store_schema_version(L.s));
  json_decref(j);
  lb_free(&r);
}

static void test_whoami(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/whoami", L.officer, NULL);
  assert_int_equal(r.status, 200);
  assert_string_equal(r.body, "{\"name\": \"olga-officer\", \"role\": \"officer\"}");
  lb_free(&r);
}

static void test_chips(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/chips?on=2025-01-01", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  json_t *a = body_json(&r);
  assert_int_equal(json_array_size(a), tg_catalog_count(L.e));
  for (size_t i = 0; i < json_array_size(a); i++) {
    json_t *c = json_array_get(a, i);
    const tg_chip *chip = tg_catalog_at(L.e, i);
    assert_string_equal(json_string_value(json_object_get(c, "id")), tg_chip_id(chip));
    tg_result *res;
    assert_int_equal(tg_classify(L.e, chip, day("2025-01-01"), &res, NULL), TG_OK);
    json_t *eccn = json_object_get(c, "eccn");
    if (tg_result_eccn(res)) assert_string_equal(json_string_value(eccn), tg_result_eccn(res));
    else assert_true(json_is_null(eccn));
    tg_result_destroy(res);
  }
  json_decref(a);
  lb_free(&r);
}

static void test_classification(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/chips/nv-h100-sxm/classification?on=2025-01-01", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  tg_result *res;
  assert_int_equal(tg_classify(L.e, tg_catalog_find(L.e, "nv-h100-sxm"), day("2025-01-01"), &res, NULL), TG_OK);
  char *want = tg_result_json(res);
  assert_string_equal(r.body, want);
  assert_non_null(strstr(r.body, "\"eccn\": \"3A090.a\""));
  tg_free(want);
  tg_result_destroy(res);
  lb_free(&r);
}

/* The same answer as the library (and so as `tollgate check --json`). */
static char *library_check(const char *chip, const char *to, const char *hq, int64_t qty,
                           int64_t cents, const char *on) {
  tg_order o;
  tg_order_init(&o);
  o.chip = tg_catalog_find(L.e, chip);
  o.dest = to;
  o.hq = hq;
  o.qty = qty;
  o.unit_price_cents = cents;
  o.on = day(on);
  tg_result *res;
  assert_int_equal(tg_check(L.e, &o, &res, NULL), TG_OK);
  char *js = tg_result_json(res);
  tg_result_destroy(res);
  return js;
}

static void test_check_one(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "POST", "/v1/checks", L.viewer,
                     "{\"chip\": \"nv-h20\", \"to\": \"CN\", \"qty\": 100, \"unit_price\": 12000.5, "
                     "\"on\": \"2025-01-01\"}");
  assert_int_equal(r.status, 200);
  char *want = library_check("nv-h20", "CN", NULL, 100, 1200050, "2025-01-01");
  assert_string_equal(r.body, want);
  tg_free(want);
  lb_free(&r);
}

static void test_check_many(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "POST", "/v1/checks", L.viewer,
                     "[{\"chip\": \"nv-h100-sxm\", \"to\": \"CN\", \"hq\": \"CN\", \"on\": \"2025-01-01\"},"
                     " {\"chip\": \"nv-h100-sxm\", \"to\": \"DE\", \"hq\": \"DE\", \"on\": \"2025-01-01\"}]");
  assert_int_equal(r.status, 200);
  json_t *a = body_json(&r);
  assert_int_equal(json_array_size(a), 2);
  const char *dests[] = {"CN", "DE"}, *verdicts[] = {"license_required", "no_license_required"};
  for (int i = 0; i < 2; i++) {
    char *want = library_check("nv-h100-sxm", dests[i], dests[i], 1, -1, "2025-01-01");
    json_t *w = json_loads(want, 0, NULL);
    assert_true(json_equal(w, json_array_get(a, (size_t)i)));
    assert_string_equal(json_string_value(json_object_get(w, "verdict")), verdicts[i]);
    json_decref(w);
    tg_free(want);
  }
  json_decref(a);
  lb_free(&r);
}

static void test_check_spec(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "POST", "/v1/checks", L.viewer,
                     "{\"spec\": {\"id\": \"my-chip\", \"fp16_tflops\": 400, \"die_area_mm2\": 600, "
                     "\"datacenter\": true}, \"to\": \"CN\", \"on\": \"2025-01-01\"}");
  assert_int_equal(r.status, 200);
  json_t *j = body_json(&r);
  assert_string_equal(json_string_value(json_object_get(j, "chip")), "my-chip");
  assert_string_equal(json_string_value(json_object_get(j, "eccn")), "3A090.a"); /* TPP 6400 */
  assert_string_equal(json_string_value(json_object_get(j, "verdict")), "license_required");
  json_decref(j);
  lb_free(&r);
}

static void test_rules_and_chart(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/rules?on=2025-01-01", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  char *want = tg_rules_json(L.e, day("2025-01-01"));
  assert_string_equal(r.body, want);
  tg_free(want);
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/chart.svg?on=2025-01-01", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.head, "Content-Type: image/svg+xml"));
  want = tg_plot_svg(L.e, day("2025-01-01"));
  assert_string_equal(r.body, want);
  lb_free(&r);
  /* The second time it comes from the server's cache: the same document. */
  r = lb_req(L.port, "GET", "/v1/chart.svg?on=2025-01-01", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  assert_string_equal(r.body, want);
  tg_free(want);
  lb_free(&r);
}

static void test_tokens_for_admin(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/tokens", L.admin, NULL);
  assert_int_equal(r.status, 200);
  json_t *a = body_json(&r);
  assert_int_equal(json_array_size(a), 3);
  assert_null(strstr(r.body, L.admin + 10)); /* never a secret */
  json_decref(a);
  lb_free(&r);
}

static void test_console_files(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/", NULL, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.head, "Content-Type: text/html"));
  assert_non_null(strstr(r.body, "<script type=\"module\""));
  lb_free(&r);
  r = lb_req(L.port, "GET", "/app.js", NULL, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.head, "Content-Type: text/javascript"));
  lb_free(&r);
  const char *bad[] = {"/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt", "/.hidden.js", "/nope.html",
                       "/index.exe"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    r = lb_req(L.port, "GET", bad[i], NULL, NULL);
    assert_int_equal(r.status, 404);
    lb_free(&r);
  }
}

int main(void) {
  const struct CMUnitTest t[] = {
      cmocka_unit_test(test_health),       cmocka_unit_test(test_whoami),
      cmocka_unit_test(test_chips),        cmocka_unit_test(test_classification),
      cmocka_unit_test(test_check_one),    cmocka_unit_test(test_check_many),
      cmocka_unit_test(test_check_spec),   cmocka_unit_test(test_rules_and_chart),
      cmocka_unit_test(test_tokens_for_admin), cmocka_unit_test(test_console_files),
  };
  return cmocka_run_group_tests(t, setup, teardown);
}
