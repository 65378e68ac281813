/* test_server_errors.c - every error path over loopback, each answered as
 * {"error": {"code", "message"}}: 401 (no, malformed, unknown, revoked
 * token), 403 (role too low), 400 (malformed JSON, bad fields named, bad
 * dates), 404 (route, chip), 405, 413 (declared, chunked, too many orders);
 * the ledger's and screening's errors (400 fields, 404 license, 409
 * conflict and refusal), none of which writes anything; and the OpenAPI
 * document lists exactly the routes the router serves. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "loopback.h"
#include "srv_int.h"
#include "tg_int.h"

#define MAX_BODY 65536
static lb_server L;

static int setup(void **state) {
  (void)state;
  return lb_start(&L, MAX_BODY);
}
static int teardown(void **state) {
  (void)state;
  lb_stop(&L);
  return 0;
}

/* Asserts status and error code, and that the message mentions `needle`. */
static void expect(lb_resp r, int status, const char *code, const char *needle) {
  char c[64];
  if (r.status != status || strcmp(lb_code(&r, c), code) != 0)
    fprintf(stderr, "got %d %s\n", r.status, r.body ? r.body : "");
  assert_int_equal(r.status, status);
  assert_string_equal(lb_code(&r, c), code);
  assert_non_null(strstr(r.head, "Content-Type: application/json"));
  json_t *j = json_loads(r.body, 0, NULL);
  assert_non_null(j);
  assert_true(json_is_string(json_object_get(json_object_get(j, "error"), "message")));
  json_decref(j);
  if (needle && !strstr(r.body, needle)) fprintf(stderr, "want '%s' in %s\n", needle, r.body);
  if (needle) assert_non_null(strstr(r.body, needle));
  lb_free(&r);
}

static void test_401(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/chips", NULL, NULL);
  assert_non_null(strstr(r.head, "WWW-Authenticate: Bearer"));
  expect(r, 401, "unauthorized", NULL);
  expect(lb_req(L.port, "GET", "/v1/chips", "tg_not-a-real-token", NULL), 401, "unauthorized", NULL);
  const char *raw = "GET /v1/chips HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Basic YTpi\r\n\r\n";
  expect(lb_raw(L.port, raw, strlen(raw)), 401, "unauthorized", NULL);
  expect(lb_req(L.port, "POST", "/v1/checks", NULL, "{\"chip\": \"nv-h20\", \"to\": \"CN\"}"), 401,
         "unauthorized", NULL);
  /* A revoked token stops working at once. */
  char *tok;
  assert_int_equal(tg_token_add(L.s, "short-lived", TG_ROLE_ADMIN, 0, &tok, NULL), TG_OK);
  lb_resp ok = lb_req(L.port, "GET", "/v1/whoami", tok, NULL);
  assert_int_equal(ok.status, 200);
  lb_free(&ok);
  assert_int_equal(tg_token_revoke(L.s, "short-lived", 1, NULL), TG_OK);
  expect(lb_req(L.port, "GET", "/v1/whoami", tok, NULL), 401, "unauthorized", "revoked");
  tg_free(tok);
}

static void test_403(void **state) {
  (void)state;
  expect(lb_req(L.port, "GET", "/v1/tokens", L.viewer, NULL), 403, "forbidden", "admin");
  expect(lb_req(L.port, "GET", "/v1/tokens", L.officer, NULL), 403, "forbidden", "olga-officer");
}

static void test_400(void **state) {
  (void)state;
  struct {
    const char *body, *code, *needle;
  } cases[] = {
      {"{\"chip\": ", "bad_json", "malformed JSON"},
      {"", "bad_json", "malformed JSON"},
      {"{\"chip\": \"a\", \"chip\": \"b\", \"to\": \"CN\"}", "bad_json", "duplicate"},
      {"42", "bad_request", "expected an order object"},
      {"{\"chip\": \"nv-h20\"}", "bad_field", "to: required"},
      {"{\"chip\": \"nv-h20\", \"to\": \"CN\", \"dest\": \"CN\"}", "bad_field", "dest: unknown field"},
      {"{\"chip\": \"nv-h2\", \"to\": \"CN\"}", "bad_field", "did you mean: nv-h20"},
      {"{\"to\": \"CN\"}", "bad_field", "chip: required"},
      {"{\"chip\": \"nv-h20\", \"to\": 7}", "bad_field", "to: expected non-empty text"},
      {"{\"chip\": \"nv-h20\", \"to\": \"CN\", \"qty\": 1.5}", "bad_field", "qty: expected a whole number"},
      {"{\"chip\": \"nv-h20\", \"to\": \"CN\", \"qty\": -1}", "bad_field", "qty:"},
      {"{\"chip\": \"nv-h20\", \"to\": \"CN\", \"unit_price\": \"12\"}", "bad_field", "unit_price:"},
      {"{\"chip\": \"nv-h20\", \"to\": \"CN\", \"on\": \"2025-02-30\"}", "bad_field", "on: expected a date"},
      {"{\"chip\": \"nv-h20\", \"to\": \"XX\"}", "bad_order", "'XX'"},
      {"{\"spec\": {\"fp16_tflops\": \"fast\"}, \"to\": \"CN\"}", "bad_field", "spec:"},
      {"{\"spec\": [], \"to\": \"CN\"}", "bad_field", "spec: expected an object"},
      {"[{\"chip\": \"nv-h20\", \"to\": \"CN\"}, {\"chip\": \"nv-h20\", \"to\": \"CN\", \"qty\": true}]",
       "bad_field", "orders[1].qty"},
      {"[{\"chip\": \"nv-h20\", \"to\": \"CN\"}, 3]", "bad_request", "orders[1]"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    expect(lb_req(L.port, "POST", "/v1/checks", L.viewer, cases[i].body), 400, cases[i].code, cases[i].needle);
  expect(lb_req(L.port, "GET", "/v1/rules?on=yesterday", L.viewer, NULL), 400, "bad_field", "on:");
  expect(lb_req(L.port, "GET", "/v1/chips?on=2025-13-01", L.viewer, NULL), 400, "bad_field", "on:");
  expect(lb_req(L.port, "GET", "/v1/chart.svg?on=x", L.viewer, NULL), 400, "bad_field", "on:");
  expect(lb_req(L.port, "GET", "/v1/chips/nv-h20/classification?on=1", L.viewer, NULL), 400, "bad_field", NULL);
}

static void test_404_405(void **state) {
  (void)state;
  expect(lb_req(L.port, "GET", "/v1/nothing", L.admin, NULL), 404, "not_found", "openapi");
  expect(lb_req(L.port, "GET", "/v1/chips/nv-h20/classification/extra", L.admin, NULL), 404, "not_found", NULL);
  expect(lb_req(L.port, "GET", "/v1/chips/nv-h2/classification", L.viewer, NULL), 404, "not_found",
         "did you mean");
  expect(lb_req(L.port, "POST", "/index.html", NULL, "{}"), 404, "not_found", NULL);
  lb_resp r = lb_req(L.port, "DELETE", "/v1/checks", L.admin, NULL);
  assert_non_null(strstr(r.head, "Allow: POST"));
  expect(r, 405, "method_not_allowed", NULL);
}

static void test_413(void **state) {
  (void)state;
  /* Declared too large: refused before the body is read. */
  char *big = malloc(MAX_BODY + 2);
  memset(big, ' ', MAX_BODY + 1);
  big[MAX_BODY + 1] = '\0';
  expect(lb_req(L.port, "POST", "/v1/checks", L.viewer, big), 413, "too_large", NULL);
  free(big);
  /* Chunked, with no length given: cut off at the cap. */
  size_t cap = 4 * MAX_BODY, n = 0;
  char *req = malloc(cap);
  n += (size_t)snprintf(req, cap, "POST /v1/checks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                  "Authorization: Bearer %s\r\nTransfer-Encoding: chunked\r\n\r\n", L.viewer);
  for (int i = 0; i < 20; i++) {
    n += (size_t)snprintf(req + n, cap - n, "1000\r\n");
    memset(req + n, ' ', 0x1000);
    n += 0x1000;
    n += (size_t)snprintf(req + n, cap - n, "\r\n");
  }
  n += (size_t)snprintf(req + n, cap - n, "0\r\n\r\n");
  expect(lb_raw(L.port, req, n), 413, "too_large", NULL);
  free(req);
  /* More orders than one request may carry. */
  size_t bcap = 1001 * 4 + 8;
  char *body = malloc(bcap);
  n = 0;
  body[n++] = '[';
  for (int i = 0; i < 1001; i++) n += (size_t)snprintf(body + n, bcap - n, "%s{}", i ? "," : "");
  body[n++] = ']';
  body[n] = '\0';
  expect(lb_req(L.port, "POST", "/v1/checks", L.viewer, body), 413, "too_large", "1001 orders");
  free(body);
}

/* ---- ledger and screening ---------------------------------------------- */

static const char *LICENSE =
    "{\"number\": \"E1\", \"holder\": \"Acme\", \"chip\": \"nv-h100-sxm\", \"to\": [\"CN\"], "
    "\"from\": \"2025-01-01\", \"until\": \"2026-12-31\"}";

/* How many audit records there are: a failed request adds none. */
static int count_rec(void *ud, const char *data, size_t len) {
  (void)data, (void)len;
  ++*(int *)ud;
  return 0;
}
static int audit_records(void) {
  int n = 0;
  assert_int_equal(tg_audit_export(L.s, count_rec, &n, NULL), TG_OK);
  return n;
}

static void test_ledger_errors(void **state) {
  (void)state;
  lb_resp ok = lb_req(L.port, "POST", "/v1/licenses", L.officer, LICENSE);
  assert_int_equal(ok.status, 200);
  lb_free(&ok);
  int before = audit_records();
  expect(lb_req(L.port, "POST", "/v1/licenses", L.viewer, LICENSE), 403, "forbidden", "officer");
  expect(lb_req(L.port, "POST", "/v1/shipments", L.viewer, "{}"), 403, "forbidden", "officer");
  expect(lb_req(L.port, "POST", "/v1/licenses/E1/revoke", L.officer, "{}"), 403, "forbidden", "admin");
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer, LICENSE), 409, "conflict", "E1");
  struct {
    const char *path, *body, *code, *needle;
  } cases[] = {
      {"/v1/licenses", "{\"number\": ", "bad_json", "malformed JSON"},
      {"/v1/licenses", "[]", "bad_request", "expected a JSON object"},
      {"/v1/licenses", "{\"number\": \"E2\", \"chips\": [\"x\"]}", "bad_field", "chips: unknown field"},
      {"/v1/licenses", "{\"number\": \"E2\", \"holder\": \"A\", \"chip\": [1], \"to\": \"CN\"}", "bad_field", "chip:"},
      {"/v1/licenses", "{\"number\": \"E2\", \"holder\": \"A\", \"chip\": \"nv-h20\", \"to\": \"CN\", "
                       "\"from\": \"2025-01-01\"}", "bad_field", "until: required"},
      {"/v1/licenses", "{\"number\": \"E2\", \"holder\": \"A\", \"chip\": \"nv-h20\", \"to\": \"CN\", "
                       "\"from\": \"2025-01-01\", \"until\": \"2025-02-01\", \"payment_rate\": \"lots\"}",
       "bad_field", "payment_rate:"},
      {"/v1/licenses", "{\"number\": \"E2\", \"holder\": \"A\", \"chip\": \"nv-h20\", \"to\": \"CN\", "
                       "\"from\": \"2025-03-01\", \"until\": \"2025-02-01\"}", "bad_field", "ends before"},
      {"/v1/licenses", "{\"number\": \"E2\", \"holder\": \"A\", \"chip\": \"no-such\", \"to\": \"CN\", "
                       "\"from\": \"2025-01-01\", \"until\": \"2025-02-01\"}", "bad_field", "no-such"},
      {"/v1/shipments", "{\"chip\": \"nv-h20\", \"to\": \"CN\", \"qty\": 1, \"on\": \"2025-01-01\"}",
       "bad_field", "unit_price: required"},
      {"/v1/shipments", "{\"spec\": {}, \"to\": \"CN\"}", "bad_field", "spec: unknown field"},
      {"/v1/shipments", "{\"chip\": \"nv-h20\", \"to\": \"CN\", \"qty\": 0, \"unit_price\": 1, "
                        "\"on\": \"2025-01-01\"}", "bad_field", "qty: must be between 1"},
      {"/v1/shipments", "{\"chip\": \"nv-h20\", \"to\": \"CN\", \"qty\": 1, \"unit_price\": 1, "
                        "\"on\": \"2025-01-01\", \"notified\": \"soon\"}", "bad_field", "notified:"},
      {"/v1/licenses/E1/revoke", "{\"why\": \"x\"}", "bad_field", "why: unknown field"},
      {"/v1/screen", "{}", "bad_field", "name: required"},
      {"/v1/screen", "{\"name\": \"x\", \"country\": \"ZZ\"}", "bad_field", "ZZ"},
      {"/v1/screen", "{\"name\": \"x\", \"limit\": 1000}", "bad_field", "limit:"},
      {"/v1/match", "{\"a\": \"x\"}", "bad_field", "b: required"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    expect(lb_req(L.port, "POST", cases[i].path, L.admin, cases[i].body), 400, cases[i].code, cases[i].needle);
  const char *gets[][2] = {{"/v1/fees?quarter=2025Q5", "quarter:"},
                           {"/v1/fees?quarter=2025Q3&year=2025", "one period"},
                           {"/v1/fees?month=2025-13", "month:"},
                           {"/v1/fees?by=colour", "colour"},
                           {"/v1/shipments?from=yesterday", "from:"},
                           {"/v1/shipments?limit=x", "limit:"}};
  for (size_t i = 0; i < sizeof gets / sizeof *gets; i++)
    expect(lb_req(L.port, "GET", gets[i][0], L.viewer, NULL), 400, "bad_field", gets[i][1]);
  expect(lb_req(L.port, "GET", "/v1/licenses/NOPE", L.viewer, NULL), 404, "not_found", "NOPE");
  expect(lb_req(L.port, "POST", "/v1/licenses/NOPE/revoke", L.admin, "{}"), 404, "not_found", "NOPE");
  /* Refused: 409 with the library's refusal (not an error object). */
  lb_resp r = lb_req(L.port, "POST", "/v1/shipments", L.officer,
                     "{\"chip\": \"nv-h100-sxm\", \"to\": \"CN\", \"qty\": 1, \"unit_price\": 1, "
                     "\"on\": \"2025-01-01\"}");
  assert_int_equal(r.status, 409);
  json_t *j = json_loads(r.body, 0, NULL);
  assert_true(json_is_true(json_object_get(j, "refused")));
  assert_true(json_is_string(json_object_get(j, "reason")));
  json_decref(j);
  lb_free(&r);
  assert_int_equal(audit_records(), before + 1); /* the refusal's shipment.refuse record only */
  r = lb_req(L.port, "POST", "/v1/licenses/E1/revoke", L.admin, "");
  assert_int_equal(r.status, 200);
  lb_free(&r);
  expect(lb_req(L.port, "POST", "/v1/licenses/E1/revoke", L.admin, "{}"), 409, "conflict", "revoked");
  assert_int_equal(audit_records(), before + 2);
}

/* A request each route accepts (200) from an admin, for the OpenAPI test:
 * the licenses it names are added first. */
static const struct {
  const char *method, *pattern, *url, *body;
} samples[] = {
    {"POST", "/v1/licenses", "/v1/licenses",
     "{\"number\": \"S-NEW\", \"holder\": \"Acme\", \"chip\": \"nv-h20\", \"to\": \"CN\", "
     "\"from\": \"2025-01-01\", \"until\": \"2025-12-31\"}"},
    {"GET", "/v1/licenses/{number}", "/v1/licenses/S-1", NULL},
    {"POST", "/v1/licenses/{number}/revoke", "/v1/licenses/S-2/revoke", "{\"reason\": \"test\"}"},
    {"POST", "/v1/licenses/{number}/amend", "/v1/licenses/S-1/amend", "{\"qty\": 50, \"reason\": \"test\"}"},
    {"POST", "/v1/licenses/{number}/extend", "/v1/licenses/S-1/extend",
     "{\"until\": \"2026-06-30\", \"reason\": \"test\"}"},
    {"POST", "/v1/payments", "/v1/payments",
     "{\"arrangement\": \"t-fee\", \"license\": \"S-1\", \"amount_usd\": \"0.01\", "
     "\"date\": \"2025-09-02\", \"reference\": \"T-1\"}"},
    {"POST", "/v1/shipments", "/v1/shipments",
     "{\"chip\": \"nv-h100-sxm\", \"to\": \"DE\", \"hq\": \"DE\", \"qty\": 1, \"unit_price\": 100, "
     "\"on\": \"2025-01-01\", \"end_user\": \"Beispiel Rechenzentrum GmbH\"}"},
    {"POST", "/v1/shipments/{id}/reverse", "/v1/shipments/2/reverse", "{\"reason\": \"entered twice\"}"},
    {"GET", "/v1/fees", "/v1/fees?quarter=2025Q1", NULL},
    {"POST", "/v1/screen", "/v1/screen", "{\"name\": \"Huawei\"}"},
    {"POST", "/v1/match", "/v1/match", "{\"a\": \"Acme Ltd\", \"b\": \"ACME LIMITED\"}"},
    {"GET", "/v1/diff", "/v1/diff?from=2025-01-01&until=2025-09-01", NULL},
    {"POST", "/v1/clearances", "/v1/clearances",
     "{\"party\": \"Dahua Technology\", \"entry\": \"Dahua Technology\", \"reason\": \"test\"}"},
    {"POST", "/v1/alerts/{id}/close", "/v1/alerts/1/close", "{\"note\": \"checked\"}"},
    {"POST", "/v1/lists", "/v1/lists", NULL}, /* body: lists_body */
    {"POST", "/v1/lists/upload", "/v1/lists/upload?name=un-sample.xml", NULL}, /* body: lists_raw */
};

/* POST /v1/lists: the UN sample as an upload (the CSL stays); the same
 * file as the raw body of POST /v1/lists/upload. */
static char *lists_body, *lists_raw;

/* An open alert (id 1): a license for a listed end user, re-screened. */
static void add_sample_alert(void) {
  const char *chips[] = {"nv-h20"}, *dests[] = {"CN"}, *users[] = {"Sugon"};
  tg_license_spec sp;
  tg_license_spec_init(&sp);
  sp.number = "S-3";
  sp.holder = "Acme";
  sp.chips = chips;
  sp.nchips = 1;
  sp.destinations = dests;
  sp.ndestinations = 1;
  sp.end_users = users;
  sp.nend_users = 1;
  tg_date_parse("2025-01-01", &sp.valid_from);
  tg_date_parse("2025-12-31", &sp.valid_until);
  assert_int_equal(tg_license_add(L.s, &sp, "test", NULL, NULL), TG_OK);
  tg_screener *sc;
  assert_int_equal(tg_screener_create(L.e, &sc, NULL), TG_OK);
  assert_int_equal(tg_screener_load_store(sc, L.s, NULL), TG_OK);
  char *js = NULL;
  assert_int_equal(tg_rescreen(L.s, sc, NULL, "test", &js, NULL), TG_OK);
  assert_non_null(strstr(js, "\"id\": 1,"));
  tg_free(js);
  tg_screener_destroy(sc);
  FILE *f = fopen(TG_SOURCE_DIR "/tests/screen/data/un-sample.xml", "rb");
  assert_non_null(f);
  char buf[65536];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  json_t *b = json_pack("{s:[{s:s,s:s#}]}", "files", "name", "un-sample.xml", "content", buf, n);
  lists_body = json_dumps(b, 0);
  json_decref(b);
  lists_raw = strndup(buf, n);
}

static void add_sample_licenses(void) {
  const char *numbers[] = {"S-1", "S-2"}, *chips[] = {"nv-h20", "nv-h100-sxm"}, *dests[] = {"CN"};
  for (int i = 0; i < 2; i++) {
    tg_license_spec sp;
    tg_license_spec_init(&sp);
    sp.number = numbers[i];
    sp.holder = "Acme";
    sp.chips = chips;
    sp.nchips = 2;
    sp.destinations = dests;
    sp.ndestinations = 1;
    tg_date_parse("2025-01-01", &sp.valid_from);
    tg_date_parse("2025-12-31", &sp.valid_until);
    char *js = NULL;
    assert_int_equal(tg_license_add(L.s, &sp, "test", &js, NULL), TG_OK);
    tg_free(js);
  }
  /* a shipment under S-1 that owes the fixture rules' 15% (t-fee; for POST /v1/payments) */
  tg_order o;
  tg_order_init(&o);
  o.chip = tg_catalog_find(L.e, "nv-h100-sxm"); /* 3A090.a: t-fee applies */
  o.dest = o.hq = "CN";
  o.end_use = "none";
  o.end_user = "Acme Cloud";
  o.qty = 1;
  o.unit_price_cents = 100000;
  tg_date_parse("2025-09-01", &o.on);
  tg_ship_opts opts;
  tg_ship_opts_init(&opts);
  opts.license = "S-1";
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_ship(L.s, L.e, &o, &opts, "test", &js, &err);
  if (st != TG_OK) fprintf(stderr, "sample shipment: %s %s\n", err.message, js ? js : "");
  assert_int_equal(st, TG_OK);
  tg_free(js);
  /* shipment 2, the one the reverse sample reverses (not 1: it owes) */
  o.dest = o.hq = "DE";
  o.end_user = "Beispiel Rechenzentrum GmbH";
  opts.license = NULL;
  assert_int_equal(tg_ship(L.s, L.e, &o, &opts, "test", NULL, NULL), TG_OK);
}

/* The document is made from the route tables; check it the other way
 * round too: each operation it lists is served (not 404/405), marks the
 * role the router enforces, and one marked x-tollgate-write false adds no
 * audit record (POST /v1/screen, which records each run, was once marked
 * so). */
static void test_openapi_in_step(void **state) {
  (void)state;
  lb_resp r = lb_req(L.port, "GET", "/v1/openapi.json", NULL, NULL);
  assert_int_equal(r.status, 200);
  json_t *doc = json_loads(r.body, 0, NULL);
  assert_non_null(doc);
  assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
  size_t nroutes = 0, nops = 0;
  add_sample_licenses();
  add_sample_alert();
  for (int t = 0; srv_route_tables[t]; t++)
    for (const srv_route *rt = srv_route_tables[t]; rt->method; rt++) nroutes++;
  const char *path;
  json_t *item;
  json_object_foreach(json_object_get(doc, "paths"), path, item) {
    const char *method;
    json_t *op;
    json_object_foreach(item, method, op) {
      nops++;
      char url[256], upper[8];
      size_t k = 0;
      for (; method[k] && k < 7; k++) upper[k] = (char)(method[k] & ~0x20);
      upper[k] = '\0';
      const char *brace = strchr(path, '{'), *body = "{\"chip\": \"nv-h20\", \"to\": \"CN\"}";
      if (brace) snprintf(url, sizeof url, "%.*snv-h20%s", (int)(brace - path), path, strchr(brace, '}') + 1);
      else snprintf(url, sizeof url, "%s", path);
      for (size_t i = 0; i < sizeof samples / sizeof *samples; i++)
        if (!strcmp(samples[i].method, upper) && !strcmp(samples[i].pattern, path)) {
          snprintf(url, sizeof url, "%s", samples[i].url);
          body = !strcmp(path, "/v1/lists") && !strcmp(upper, "POST")          ? lists_body
                 : !strcmp(path, "/v1/lists/upload") && !strcmp(upper, "POST") ? lists_raw
                                                                               : samples[i].body;
        }
      const char *role = json_string_value(json_object_get(op, "x-tollgate-role"));
      assert_non_null(role);
      int records = audit_records();
      lb_resp a = lb_req(L.port, upper, url, L.admin, body);
      if (a.status != 200) fprintf(stderr, "%s %s: %d %s\n", upper, url, a.status, a.body);
      assert_int_equal(a.status, 200);
      if (!json_is_true(json_object_get(op, "x-tollgate-write"))) {
        if (audit_records() != records) fprintf(stderr, "%s %s: audited, not a write\n", upper, url);
        assert_int_equal(audit_records(), records);
      }
      lb_free(&a);
      a = lb_req(L.port, upper, url, NULL, body);
      assert_int_equal(a.status, strcmp(role, "public") ? 401 : 200);
      lb_free(&a);
      if (!strcmp(role, "admin")) {
        a = lb_req(L.port, upper, url, L.officer, NULL);
        assert_int_equal(a.status, 403);
        lb_free(&a);
      }
    }
  }
  assert_int_equal(nops, nroutes);
  json_decref(doc);
  free(lists_body);
  free(lists_raw);
  lists_raw = NULL;
  lists_body = NULL;
  lb_free(&r);
}

/* An import answers 200 once it has committed, and never an error for a
 * committed import (the brief: an answer never claims a failure for what
 * was committed).  The n-th allocation of the request fails, for n = 0, 1,
 * 2, ... (every allocation after it too, as in test_alloc.c), until a
 * request makes fewer: each answer is either an error with the stored
 * lists unchanged, or 200 with the lists imported - and when the failure
 * struck after the commit (the screener's reload or the re-screen),
 * "rescreen" is null and "rescreen_error" says the lists are imported. */
static void test_import_answer_after_commit(void **state) {
  (void)state;
  FILE *f = fopen(TG_SOURCE_DIR "/tests/screen/data/un-sample.xml", "rb");
  assert_non_null(f);
  static char buf[65536];
  size_t len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  json_t *b = json_pack("{s:[{s:s,s:s#}]}", "files", "name", "un-sample.xml", "content", buf, len);
  char *body = json_dumps(b, 0);
  json_decref(b);
  int refused = 0, after_commit = 0, whole = 0;
  for (long n = 0;; n += n < 400 ? 1 : 97) {
    int64_t v0 = 0, v1 = 0;
    assert_int_equal(tg_lists_version(L.s, &v0, NULL), TG_OK);
    tg__alloc_fail_after(n);
    lb_resp r = lb_req(L.port, "POST", "/v1/lists", L.admin, body);
    void *probe = tg__malloc(1); /* NULL: the countdown was spent */
    tg__alloc_fail_after(-1);
    tg__free(probe);
    assert_int_equal(tg_lists_version(L.s, &v1, NULL), TG_OK);
    json_t *j = json_loads(r.body ? r.body : "", 0, NULL);
    if (getenv("TG_TEST_VERBOSE")) fprintf(stderr, "n=%ld probe=%d %d %.200s\n", n, probe != NULL, r.status, r.body);
    if (r.status != 200) { /* refused: nothing stored */
      if (v1 != v0) fprintf(stderr, "n=%ld: %d after a commit: %s\n", n, r.status, r.body);
      assert_int_equal(v1, v0);
      assert_non_null(json_object_get(j, "error"));
      refused++;
    } else {
      assert_true(v1 != v0);
      assert_non_null(json_object_get(j, "imported"));
      json_t *rs = json_object_get(j, "rescreen");
      assert_non_null(rs);
      if (json_is_null(rs)) {
        json_t *e = json_object_get(j, "rescreen_error");
        assert_non_null(e);
        assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "the lists are imported"));
        after_commit++;
      } else {
        assert_null(json_object_get(j, "rescreen_error"));
        whole++;
      }
    }
    json_decref(j);
    lb_free(&r);
    if (probe) break; /* the request made fewer than n allocations */
  }
  free(body);
  fprintf(stderr, "import under failing allocations: %d refused, %d committed with rescreen_error, %d whole\n",
          refused, after_commit, whole);
  assert_true(refused > 0);
  assert_true(after_commit > 0);
  assert_int_equal(whole, 1);
}

int main(void) {
  const struct CMUnitTest t[] = {
      cmocka_unit_test(test_401),     cmocka_unit_test(test_403),
      cmocka_unit_test(test_400),     cmocka_unit_test(test_404_405),
      cmocka_unit_test(test_413),     cmocka_unit_test(test_ledger_errors),
      cmocka_unit_test(test_openapi_in_step),
      cmocka_unit_test(test_import_answer_after_commit),
  };
  return cmocka_run_group_tests(t, setup, teardown);
}
