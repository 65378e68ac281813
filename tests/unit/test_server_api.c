/* test_server_api.c - every endpoint over loopback answers what the
 * library answers for the same question: health, whoami, chips with their
 * ECCN, classifications, checks (one and many, the same JSON as `tollgate
 * check --json`, parties screened), rule sets, the chart, the token list,
 * console files; the ledger (licenses added, shown, listed and revoked,
 * shipments recorded and refused, fees by quarter, the audit check, each
 * write recorded under the token's name); screening (lists, screen,
 * match). */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <time.h>

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

/* The countries for the console's pickers: every one, named, with the
 * code the EAR applies. */
static void test_countries(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/countries", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  json_t *a = body_json(&r);
  assert_true(json_array_size(a) > 200);
  int seen = 0;
  for (size_t i = 0; i < json_array_size(a); i++) {
    json_t *c = json_array_get(a, i);
    const char *code = json_string_value(json_object_get(c, "code"));
    assert_string_equal(json_string_value(json_object_get(c, "name")), tg_country_name(L.e, code));
    if (!strcmp(code, "HK")) assert_string_equal(json_string_value(json_object_get(c, "ear")), "CN"), seen++;
    if (!strcmp(code, "CN")) assert_non_null(strstr(json_string_value(json_object_get(c, "name")), "China")), seen++;
  }
  assert_int_equal(seen, 2);
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

/* ---- ledger ---------------------------------------------------------- */

static const char *LICENSE_BODY =
    "{\"number\": \"D100\", \"holder\": \"Acme\", \"chip\": [\"nv-h100-sxm\"], \"to\": \"CN\", "
    "\"qty\": 100, \"value_usd\": 5000000, \"from\": \"2025-01-01\", \"until\": \"2026-12-31\", "
    "\"payment_rate\": \"15%\", \"condition\": [\"no re-export\"], \"notes\": \"test\"}";

static char *library_json(tg_status (*fn)(tg_store *, const char *, char **, tg_error *),
                          const char *arg) {
  char *js = NULL;
  assert_int_equal(fn(L.s, arg, &js, NULL), TG_OK);
  return js;
}
static tg_status licenses_json(tg_store *s, const char *unused, char **js, tg_error *err) {
  (void)unused;
  return tg_licenses_json(s, js, err);
}

/* The audit trail names `actor` for the record of `subject`. */
static int wrote(void *ud, const char *data, size_t len) {
  json_t *a = ud;
  json_t *rec = json_loadb(data, len, JSON_DISABLE_EOF_CHECK, NULL);
  if (rec) json_array_append_new(a, rec);
  return 0;
}
static void assert_actor(const char *action_prefix, const char *actor) {
  json_t *a = json_array();
  assert_int_equal(tg_audit_export(L.s, wrote, a, NULL), TG_OK);
  size_t i, found = 0;
  json_t *rec;
  json_array_foreach(a, i, rec) {
    const char *act = json_string_value(json_object_get(rec, "action"));
    if (act && !strncmp(act, action_prefix, strlen(action_prefix))) {
      assert_string_equal(json_string_value(json_object_get(rec, "actor")), actor);
      found++;
    }
  }
  assert_true(found > 0);
  json_decref(a);
}

static void test_licenses(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "POST", "/v1/licenses", L.officer, LICENSE_BODY);
  assert_int_equal(r.status, 200);
  json_t *j = body_json(&r);
  assert_string_equal(json_string_value(json_object_get(j, "created_by")), "olga-officer");
  assert_string_equal(json_string_value(json_object_get(j, "payment_rate")), "15%");
  assert_int_equal(json_integer_value(json_object_get(j, "qty_limit")), 100);
  assert_string_equal(json_string_value(json_array_get(json_object_get(j, "conditions"), 0)), "no re-export");
  json_decref(j);
  lb_free(&r);
  assert_actor("license.", "olga-officer");
  r = lb_req(L.port, "GET", "/v1/licenses/D100", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  char *want = library_json(tg_license_json, "D100");
  assert_string_equal(r.body, want);
  tg_free(want);
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/licenses", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  want = library_json(licenses_json, NULL);
  assert_string_equal(r.body, want);
  tg_free(want);
  lb_free(&r);
}

#define SHIP_CN(license)                                                                     \
  "{\"chip\": \"nv-h100-sxm\", \"to\": \"CN\", \"hq\": \"CN\", \"qty\": 10, \"unit_price\": " \
  "20000, \"on\": \"2025-08-15\", \"end_user\": \"Acme Cloud\"" license "}"

static void test_shipments_and_fees(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "POST", "/v1/shipments", L.officer,
                     SHIP_CN(", \"license\": \"D100\", \"reference\": \"PO-1\""));
  assert_int_equal(r.status, 200);
  json_t *j = body_json(&r);
  assert_string_equal(json_string_value(json_object_get(j, "license")), "D100");
  assert_string_equal(json_string_value(json_object_get(json_object_get(j, "fee"), "amount_usd")), "30000.00");
  json_decref(j);
  lb_free(&r);
  assert_actor("shipment.", "olga-officer");
  /* Refused: the library's own refusal, word for word, and nothing written. */
  tg_order o;
  tg_order_init(&o);
  o.chip = tg_catalog_find(L.e, "nv-h100-sxm");
  o.dest = o.hq = "CN";
  o.qty = 10;
  o.unit_price_cents = 2000000;
  o.on = day("2025-08-15");
  o.end_user = "Acme Cloud";
  tg_screener *sc; /* screened as the server screens: the store's lists, judged today */
  assert_int_equal(tg_screener_create(L.e, &sc, NULL), TG_OK);
  assert_int_equal(tg_screener_load_store(sc, L.s, NULL), TG_OK);
  o.screener = sc;
  o.lists_as_of = (tg_date)(time(NULL) / 86400);
  tg_ship_opts opts;
  tg_ship_opts_init(&opts);
  char *want = NULL;
  assert_int_equal(tg_ship(L.s, L.e, &o, &opts, "test", &want, NULL), TG_EREFUSED);
  tg_screener_destroy(sc);
  r = lb_req(L.port, "POST", "/v1/shipments", L.officer, SHIP_CN(""));
  assert_int_equal(r.status, 409);
  assert_string_equal(r.body, want);
  assert_non_null(strstr(r.body, "\"refused\": true"));
  tg_free(want);
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/shipments?license=D100&quarter=2025Q3", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  j = body_json(&r);
  assert_int_equal(json_integer_value(json_object_get(j, "count")), 1);
  json_decref(j);
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/fees?quarter=2025Q3&by=license", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  tg_shipment_filter f;
  tg_shipment_filter_init(&f);
  f.from = day("2025-07-01");
  f.to = day("2025-09-30");
  assert_int_equal(tg_fees_json(L.s, &f, "license", &want, NULL), TG_OK);
  assert_string_equal(r.body, want);
  assert_non_null(strstr(r.body, "\"arrangement\": \"t-fee\"")); /* the fixture rules' 15% */
  assert_non_null(strstr(r.body, "\"fee_usd\": \"30000.00\""));
  tg_free(want);
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/fees?month=2025-08", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "\"arrangement\": \"t-fee\"")); /* the fixture rules' 15% */
  assert_non_null(strstr(r.body, "\"fee_usd\": \"30000.00\""));
  lb_free(&r);
}

/* Payments: what D100's shipment owes (the fixture rules' t-fee, 15%, due 30 days
 * after), recorded over the API (refusals write nothing), listed by page,
 * audited under the token's name; the license amended and extended with a
 * reason, refused below what is shipped. */
static void test_payments_and_license_changes(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/payments/dues?license=D100", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  tg_dues_filter f;
  tg_dues_filter_init(&f);
  f.license = "D100";
  char *want = NULL;
  assert_int_equal(tg_payment_dues_json(L.s, &f, &want, NULL), TG_OK);
  assert_string_equal(r.body, want);
  tg_free(want);
  json_t *j = body_json(&r);
  json_t *o = json_array_get(json_object_get(j, "obligations"), 0);
  assert_string_equal(json_string_value(json_object_get(o, "arrangement")), "t-fee");
  assert_string_equal(json_string_value(json_object_get(o, "owed_usd")), "30000.00");
  assert_string_equal(json_string_value(json_object_get(o, "due_on")), "2025-09-14");
  assert_string_equal(json_string_value(json_object_get(o, "status")), "overdue");
  json_decref(j);
  lb_free(&r);
  static const char *const refused[][3] = {
      {"{\"arrangement\": \"t-fee\", \"license\": \"D100\", \"amount_usd\": \"30000.01\", "
       "\"date\": \"2025-09-01\", \"reference\": \"W-1\"}", "409", "outstanding"},
      {"{\"arrangement\": \"revenue-share-15\", \"license\": \"D100\", \"amount_usd\": \"1\", "
       "\"date\": \"2025-09-01\", \"reference\": \"W-1\"}", "404", "owes nothing"},
      {"{\"arrangement\": \"t-fee\", \"license\": \"D100\", \"amount_usd\": 12.5, "
       "\"date\": \"2025-09-01\", \"reference\": \"W-1\"}", "400", "amount_usd"},
      {"{\"arrangement\": \"t-fee\", \"license\": \"D100\", \"amount_usd\": \"99999999999999999999\", "
       "\"date\": \"2025-09-01\", \"reference\": \"W-1\"}", "400", "amount_usd"},
      {"{\"arrangement\": \"t-fee\", \"shipment\": 1, \"colour\": 1}", "400", "colour"}};
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
    r = lb_req(L.port, "POST", "/v1/payments", L.officer, refused[i][0]);
    assert_int_equal(r.status, atoi(refused[i][1]));
    assert_non_null(strstr(r.body, refused[i][2]));
    lb_free(&r);
  }
  r = lb_req(L.port, "POST", "/v1/payments", L.viewer, "{}");
  assert_int_equal(r.status, 403);
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/payments", L.viewer, NULL);
  assert_non_null(strstr(r.body, "\"count\": 0"));
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/payments", L.officer,
             "{\"arrangement\": \"t-fee\", \"license\": \"D100\", \"amount_usd\": \"10000\", "
             "\"date\": \"2025-09-01\", \"reference\": \"W-1\"}");
  assert_int_equal(r.status, 200);
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/payments", L.officer,
             "{\"arrangement\": \"t-fee\", \"shipment\": 1, \"amount_usd\": \"20000.00\", "
             "\"date\": \"2025-09-02\", \"reference\": \"W-2\"}");
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "\"status\": \"paid\""));
  lb_free(&r);
  assert_actor("payment.", "olga-officer");
  r = lb_req(L.port, "GET", "/v1/payments?limit=1", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "\"reference\": \"W-1\""));
  assert_non_null(strstr(r.head, "X-Next-Cursor: 1"));
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/payments?limit=1&cursor=1", L.viewer, NULL);
  assert_non_null(strstr(r.body, "\"reference\": \"W-2\""));
  assert_null(strstr(r.body, "W-1"));
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/payments/dues?status=bogus", L.viewer, NULL);
  assert_int_equal(r.status, 400);
  lb_free(&r);
  /* license changes */
  r = lb_req(L.port, "POST", "/v1/licenses/D100/amend", L.officer, "{\"qty\": 5, \"reason\": \"cut\"}");
  assert_int_equal(r.status, 409);
  assert_non_null(strstr(r.body, "10 units are already shipped"));
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/licenses/D100/amend", L.officer, "{\"qty\": 200}");
  assert_int_equal(r.status, 400);
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/licenses/D100/amend", L.viewer, "{\"qty\": 200, \"reason\": \"r\"}");
  assert_int_equal(r.status, 403);
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/licenses/D100/amend", L.officer, "{\"qty\": 200, \"reason\": \"BIS A-1\"}");
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "\"qty_limit\": 200"));
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/licenses/D100/extend", L.officer,
             "{\"until\": \"2031-01-01\", \"reason\": \"BIS extension\"}");
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "\"valid_until\": \"2031-01-01\""));
  lb_free(&r);
  assert_actor("license.amend", "olga-officer");
  assert_actor("license.extend", "olga-officer");
  char *v = NULL;
  assert_int_equal(tg_audit_verify(L.s, &v, NULL), TG_OK);
  tg_free(v);
}

/* A batch body: each item's outcome in order, one group commit; a bad item
 * is a 400 naming it and nothing is written. */
static void test_ship_batch(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "POST", "/v1/shipments", L.officer,
                     "{\"shipments\": [" SHIP_CN(", \"license\": \"D100\"") ", "
                     SHIP_CN(", \"license\": \"NOPE\"") ", " SHIP_CN(", \"license\": \"D100\"") "]}");
  assert_int_equal(r.status, 200);
  json_t *j = body_json(&r);
  json_t *res = json_object_get(j, "results");
  assert_int_equal(json_array_size(res), 3);
  assert_string_equal(json_string_value(json_object_get(json_array_get(res, 0), "outcome")), "recorded");
  assert_string_equal(json_string_value(json_object_get(json_array_get(res, 1), "outcome")), "refused");
  assert_string_equal(json_string_value(json_object_get(json_array_get(res, 1), "code")), "license_unknown");
  assert_string_equal(json_string_value(json_object_get(json_array_get(res, 2), "outcome")), "recorded");
  int64_t a = json_integer_value(json_object_get(json_object_get(json_array_get(res, 0), "shipment"), "id"));
  int64_t b = json_integer_value(json_object_get(json_object_get(json_array_get(res, 2), "shipment"), "id"));
  assert_true(a > 0 && b == a + 1);
  json_decref(j);
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/shipments?license=D100", L.viewer, NULL);
  j = body_json(&r);
  int64_t before = json_integer_value(json_object_get(j, "count"));
  json_decref(j);
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/shipments", L.officer,
             "[" SHIP_CN(", \"license\": \"D100\"") ", {\"chip\": \"nv-h100-sxm\", \"to\": \"CN\"}]");
  assert_int_equal(r.status, 400);
  assert_non_null(strstr(r.body, "shipments[1].qty"));
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/shipments?license=D100", L.viewer, NULL);
  j = body_json(&r);
  assert_int_equal(json_integer_value(json_object_get(j, "count")), before);
  json_decref(j);
  lb_free(&r);
}

static void test_revoke_and_audit(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "POST", "/v1/licenses/D100/revoke", L.admin, "{\"reason\": \"ended\"}");
  assert_int_equal(r.status, 200);
  json_t *j = body_json(&r);
  assert_string_equal(json_string_value(json_object_get(j, "status")), "revoked");
  assert_string_equal(json_string_value(json_object_get(json_object_get(j, "revoked"), "by")), "ada-admin");
  json_decref(j);
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/shipments", L.officer, SHIP_CN(", \"license\": \"D100\""));
  assert_int_equal(r.status, 409);
  lb_free(&r);
  r = lb_req(L.port, "GET", "/v1/audit/verify", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  char *want = NULL;
  assert_int_equal(tg_audit_verify(L.s, &want, NULL), TG_OK);
  assert_string_equal(r.body, want);
  assert_non_null(strstr(r.body, "\"ok\": true"));
  tg_free(want);
  lb_free(&r);
}

/* ---- screening ---------------------------------------------------------- */

static void test_screening(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/lists", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  char *want = tg_lists_json(L.s);
  assert_string_equal(r.body, want);
  tg_free(want);
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/screen", L.viewer, "{\"name\": \"Huawei Technologies Co Ltd\"}");
  assert_int_equal(r.status, 200);
  json_t *j = body_json(&r);
  assert_true(json_is_true(json_object_get(j, "match")));
  assert_true(json_array_size(json_object_get(j, "hits")) >= 1);
  json_decref(j);
  lb_free(&r);
  r = lb_req(L.port, "POST", "/v1/match", L.viewer,
             "{\"a\": \"Huawei Technologies Co., Ltd.\", \"b\": \"HUAWEI TECHNOLOGIES INC\"}");
  assert_int_equal(r.status, 200);
  j = body_json(&r);
  assert_true(json_number_value(json_object_get(j, "score")) == 1.0);
  json_decref(j);
  lb_free(&r);
}

/* An end user on a list: the check screens it exactly as the CLI does
 * (a screener over the store's lists). */
static void test_check_screens_parties(void **state) {
  (void)state;
  tg_screener *sc;
  assert_int_equal(tg_screener_create(L.e, &sc, NULL), TG_OK);
  assert_int_equal(tg_screener_load_store(sc, L.s, NULL), TG_OK);
  tg_order o;
  tg_order_init(&o);
  o.chip = tg_catalog_find(L.e, "nv-h20");
  o.dest = "CN";
  o.on = day("2025-01-01");
  o.end_user = "Huawei Technologies Co Ltd";
  o.screener = sc;
  o.lists_as_of = (tg_date)(time(NULL) / 86400); /* the server judges list age on its today */
  tg_result *res;
  assert_int_equal(tg_check(L.e, &o, &res, NULL), TG_OK);
  char *want = tg_result_json(res);
  tg_result_destroy(res);
  tg_screener_destroy(sc);
  lb_resp r = lb_req(L.port, "POST", "/v1/checks", L.viewer,
                     "{\"chip\": \"nv-h20\", \"to\": \"CN\", \"on\": \"2025-01-01\", "
                     "\"end_user\": \"Huawei Technologies Co Ltd\"}");
  assert_int_equal(r.status, 200);
  assert_string_equal(r.body, want);
  assert_non_null(strstr(r.body, "\"screening\""));
  tg_free(want);
  lb_free(&r);
}

/* A list imported while the server runs is used without a restart: the
 * index is rebuilt on the server's lists thread and swapped in.  Until
 * then every answer is the old index's (one list, no hit), after it the
 * new one's (both lists, the hit), never back; every answer names each
 * list searched with its publication date.  (Runs last: it changes the
 * store's lists.) */
static void test_lists_reload(void **state) {
  (void)state;
  const char *body = "{\"name\": \"Frank Kakolele Bwambale\"}";
  const char *f[] = {TG_SOURCE_DIR "/tests/screen/data/un-sample.xml"};
  assert_int_equal(tg_lists_import(L.s, f, 1, "2026-08-02T00:00:00Z", "test", NULL, NULL), TG_OK);
  int old = 0, new = 0;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) {
    lb_resp r = lb_req(L.port, "POST", "/v1/screen", L.viewer, body);
    assert_int_equal(r.status, 200);
    json_t *j = body_json(&r);
    json_t *lists = json_object_get(json_object_get(j, "screening"), "lists");
    size_t i;
    json_t *l;
    json_array_foreach(lists, i, l) assert_true(json_is_string(json_object_get(l, "published")));
    bool hit = json_is_true(json_object_get(j, "match"));
    if (json_array_size(lists) == 1) {
      assert_false(hit);
      assert_int_equal(new, 0); /* never the old index after the new one */
      old++;
    } else {
      assert_int_equal(json_array_size(lists), 2);
      assert_true(hit);
      new++;
    }
    json_decref(j);
    lb_free(&r);
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (new >= 3 || t.tv_sec - t0.tv_sec > 60) break;
    struct timespec nap = {0, 20 * 1000000L};
    nanosleep(&nap, NULL);
  }
  assert_int_equal(new, 3);
}

/* Shipments and screenings at once, through the one group commit (the
 * screening runs' audit records queue ahead of the shipments and close
 * the flush they join, srv_batch.c): every request is answered 200, every
 * shipment is on the license and every screening run in the audit trail
 * (none lost, none twice), and the chain verifies. */
enum { RACE_SHIPPERS = 6, RACE_SCREENERS = 3, RACE_EACH = 15 };
static void *race_ship(void *arg) {
  intptr_t bad = 0;
  for (int i = 0; i < RACE_EACH; i++) {
    lb_resp r = lb_req(L.port, "POST", "/v1/shipments", L.officer, arg);
    bad += r.status != 200;
    lb_free(&r);
  }
  return (void *)bad;
}
static void *race_screen(void *arg) {
  (void)arg;
  intptr_t bad = 0;
  for (int i = 0; i < RACE_EACH; i++) {
    lb_resp r = lb_req(L.port, "POST", "/v1/screen", L.viewer, "{\"name\": \"Race Party GmbH\"}");
    bad += r.status != 200;
    lb_free(&r);
  }
  return (void *)bad;
}
static int64_t api_count(const char *path) {
  lb_resp r = lb_req(L.port, "GET", path, L.viewer, NULL);
  assert_int_equal(r.status, 200);
  json_t *j = body_json(&r);
  int64_t n = json_integer_value(json_object_get(j, "count"));
  json_decref(j);
  lb_free(&r);
  return n;
}
static void test_ship_screen_race(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "POST", "/v1/licenses", L.officer,
                     "{\"number\": \"RACE1\", \"holder\": \"Acme\", \"chip\": [\"nv-h100-sxm\"], "
                     "\"to\": \"CN\", \"qty\": 100000, \"value_usd\": 1000000000000, "
                     "\"from\": \"2025-01-01\", \"until\": \"2026-12-31\"}");
  assert_int_equal(r.status, 200);
  lb_free(&r);
  const char *path = "/v1/audit/records?action=screening.run";
  int64_t runs = api_count(path);
  pthread_t t[RACE_SHIPPERS + RACE_SCREENERS];
  for (int i = 0; i < RACE_SHIPPERS; i++)
    assert_int_equal(pthread_create(&t[i], NULL, race_ship, (void *)SHIP_CN(", \"license\": \"RACE1\"")), 0);
  for (int i = RACE_SHIPPERS; i < RACE_SHIPPERS + RACE_SCREENERS; i++)
    assert_int_equal(pthread_create(&t[i], NULL, race_screen, NULL), 0);
  intptr_t bad = 0;
  for (int i = 0; i < RACE_SHIPPERS + RACE_SCREENERS; i++) {
    void *b;
    pthread_join(t[i], &b);
    bad += (intptr_t)b;
  }
  assert_int_equal(bad, 0);
  assert_int_equal(api_count("/v1/shipments?license=RACE1"), RACE_SHIPPERS * RACE_EACH);
  assert_int_equal(api_count(path), runs + RACE_SCREENERS * RACE_EACH);
  r = lb_req(L.port, "GET", "/v1/audit/verify", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "\"ok\": true"));
  lb_free(&r);
}

int main(void) {
  const struct CMUnitTest t[] = {
      cmocka_unit_test(test_health),       cmocka_unit_test(test_whoami),
      cmocka_unit_test(test_chips),        cmocka_unit_test(test_classification),
      cmocka_unit_test(test_countries),
      cmocka_unit_test(test_check_one),    cmocka_unit_test(test_check_many),
      cmocka_unit_test(test_check_spec),   cmocka_unit_test(test_rules_and_chart),
      cmocka_unit_test(test_tokens_for_admin), cmocka_unit_test(test_console_files),
      cmocka_unit_test(test_licenses),     cmocka_unit_test(test_shipments_and_fees),
      cmocka_unit_test(test_payments_and_license_changes),
      cmocka_unit_test(test_ship_batch),
      cmocka_unit_test(test_revoke_and_audit), cmocka_unit_test(test_screening),
      cmocka_unit_test(test_check_screens_parties),
      cmocka_unit_test(test_lists_reload),
      cmocka_unit_test(test_ship_screen_race),
  };
  return cmocka_run_group_tests(t, setup, teardown);
}
