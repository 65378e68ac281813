/* test_server_bounds.c - what may be stored, over loopback (issue 10):
 * money and counts past the ledger's bounds are refused at input with the
 * field named and nothing committed; a license's drawn totals stop at their
 * bound (409 license_total), never a 500; rows stored past the bounds
 * (an old database) still list, show, sum exactly and are reported by the
 * audit check; identifiers keep to their alphabet while odd stored ones stay
 * readable and revocable; text is limited in characters and refuses
 * control characters; rates are decimals only; every listing paged by
 * ?limit=&cursor= gives exactly the whole listing, in order; the chart
 * cached by rules epoch answers exactly what drawing the date itself
 * answers. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include <pthread.h>

#include "loopback.h"
#include "srv_int.h"
#include "store_int.h"

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

/* Asserts the status and that the body mentions needle; frees. */
static void expect(lb_resp r, int status, const char *needle) {
  if (r.status != status || (needle && !strstr(r.body, needle)))
    fprintf(stderr, "want %d '%s', got %d %s\n", status, needle ? needle : "", r.status,
            r.body ? r.body : "");
  assert_int_equal(r.status, status);
  if (needle) assert_non_null(strstr(r.body, needle));
  lb_free(&r);
}

static json_t *get_json(const char *path) {
  lb_resp r = lb_req(L.port, "GET", path, L.viewer, NULL);
  if (r.status != 200) fprintf(stderr, "%s: %d %s\n", path, r.status, r.body ? r.body : "");
  assert_int_equal(r.status, 200);
  json_t *j = json_loads(r.body, 0, NULL);
  assert_non_null(j);
  lb_free(&r);
  return j;
}

static json_int_t audit_records(void) {
  json_t *j = get_json("/v1/audit/verify");
  json_int_t n = json_integer_value(json_object_get(j, "records"));
  json_decref(j);
  return n;
}

#define SHIP(qty, price, lic)                                                                 \
  "{\"chip\": \"nv-h100-sxm\", \"to\": \"CN\", \"hq\": \"CN\", \"qty\": " qty                  \
  ", \"unit_price\": " price ", \"on\": \"2025-08-15\", \"end_user\": \"Acme Compute\", \"license\": \"" lic "\"}"

static void test_money_bounds(void **state) {
  (void)state;
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer,
                "{\"number\": \"OVF-1\", \"holder\": \"Acme\", \"chip\": \"nv-h100-sxm\", \"to\": "
                "\"CN\", \"from\": \"2025-01-01\", \"until\": \"2026-12-31\", \"payment_rate\": "
                "\"100%\"}"),
         200, NULL);
  json_int_t records = audit_records();
  /* The attack of the report: 10,000,000 units at USD 1,000,000,000. */
  expect(lb_req(L.port, "POST", "/v1/shipments", L.officer, SHIP("10000000", "1000000000", "OVF-1")),
         400, "qty x unit_price");
  expect(lb_req(L.port, "POST", "/v1/shipments", L.officer, SHIP("1", "1000000001", "OVF-1")), 400,
         "unit_price");
  /* License limits past their bounds, each field named. */
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer,
                "{\"number\": \"OVF-2\", \"holder\": \"Acme\", \"chip\": \"nv-h100-sxm\", \"to\": "
                "\"CN\", \"from\": \"2025-01-01\", \"until\": \"2026-12-31\", \"qty\": 1e13}"),
         400, "qty");
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer,
                "{\"number\": \"OVF-2\", \"holder\": \"Acme\", \"chip\": \"nv-h100-sxm\", \"to\": "
                "\"CN\", \"from\": \"2025-01-01\", \"until\": \"2026-12-31\", \"value_usd\": 1e14}"),
         400, "value_usd");
  assert_int_equal(audit_records(), records); /* nothing committed */
  /* Ten shipments of USD 1e12 reach the license's bound of USD 1e13; the
   * eleventh is refused (409), and every sum stays exact. */
  for (int i = 0; i < 10; i++)
    expect(lb_req(L.port, "POST", "/v1/shipments", L.officer, SHIP("1000", "1000000000", "OVF-1")),
           200, "\"fee\"");
  expect(lb_req(L.port, "POST", "/v1/shipments", L.officer, SHIP("1", "1", "OVF-1")), 409,
         "license_total");
  json_t *ships = get_json("/v1/shipments?license=OVF-1");
  assert_int_equal(json_array_size(json_object_get(ships, "shipments")), 10);
  json_decref(ships);
  json_t *l = get_json("/v1/licenses/OVF-1");
  assert_string_equal(json_string_value(json_object_get(json_object_get(l, "used"), "value_usd")),
                      "10000000000000.00");
  json_decref(l);
  json_t *f = get_json("/v1/fees?year=2025");
  assert_string_equal(json_string_value(json_object_get(f, "value_usd")), "10000000000000.00");
  /* the rules' 15% arrangement applies before the license's own rate */
  json_t *arr = json_array_get(json_object_get(f, "arrangements"), 0);
  assert_string_equal(json_string_value(json_object_get(arr, "arrangement")), "t-fee"); /* the fixture rule (no terms) */
  assert_string_equal(json_string_value(json_object_get(arr, "fee_usd")), "1500000000000.00");
  json_decref(f);
  json_decref(get_json("/v1/licenses"));
}

/* Rows past the bounds, as an older Tollgate (or a hand edit) left them:
 * 4e18 units and cents on each of OVF-1's ten shipments, 4e19 in all. */
static void test_rows_past_bounds(void **state) {
  (void)state;
  assert_int_equal(tg__store_exec(L.s,
                                  "UPDATE shipments SET qty = 4000000000000000000, value_cents = "
                                  "4000000000000000000 WHERE license_number = 'OVF-1'",
                                  NULL),
                   TG_OK);
  json_t *a = get_json("/v1/licenses");
  assert_true(json_array_size(a) >= 1);
  json_decref(a);
  json_t *l = get_json("/v1/licenses/OVF-1");
  assert_non_null(strstr(json_string_value(json_object_get(l, "problem")), "audit verify"));
  json_decref(l);
  json_t *f = get_json("/v1/fees?year=2025");
  assert_string_equal(json_string_value(json_object_get(f, "value_usd")), "400000000000000000.00");
  assert_true(json_is_null(json_object_get(f, "value_cents")));
  json_decref(f);
  /* A new shipment on it is refused, not failed. */
  expect(lb_req(L.port, "POST", "/v1/shipments", L.officer, SHIP("1", "1", "OVF-1")), 409,
         "license_total");
  json_t *v = get_json("/v1/audit/verify");
  json_t *oob = json_object_get(v, "out_of_bounds");
  assert_true(json_array_size(oob) >= 10);
  char *text = json_dumps(oob, 0);
  assert_non_null(strstr(text, "shipment:"));
  assert_non_null(strstr(text, "past the bound"));
  free(text);
  json_decref(v);
  /* Issue 10 #3: a revoke of such a license answered 500 but was
   * committed.  Now it answers 200, and what it answered is what is stored. */
  json_int_t before = json_integer_value(json_object_get(v = get_json("/v1/audit/verify"), "records"));
  json_decref(v);
  expect(lb_req(L.port, "POST", "/v1/licenses/OVF-1/revoke", L.admin, "{\"reason\": \"bounds\"}"), 200,
         "\"status\": \"revoked\"");
  l = get_json("/v1/licenses/OVF-1");
  assert_string_equal(json_string_value(json_object_get(l, "status")), "revoked");
  json_decref(l);
  assert_int_equal(audit_records(), before + 1);
}

/* ---- identifiers and text ------------------------------------------- */

#define LICENSE(number) \
  "{\"number\": " number ", \"holder\": \"Acme\", \"chip\": \"nv-h100-sxm\", \"to\": \"CN\", " \
  "\"from\": \"2025-01-01\", \"until\": \"2026-12-31\"}"

static void test_identifiers(void **state) {
  (void)state;
  const char *bad[] = {LICENSE("\"..\""), LICENSE("\".\""), LICENSE("\"XSS-<b>1</b>\""),
                       LICENSE("\" \""), LICENSE("\"RACE-1 \""), LICENSE("\"a/b\""),
                       LICENSE("\"caf\\u00e9\"")};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    expect(lb_req(L.port, "POST", "/v1/licenses", L.officer, bad[i]), 400, "number");
  /* Odd numbers stored before the rule stay readable and revocable. */
  const char *odd[] = {"XSS-<b>1</b>", "RACE-1 ", "..", " "};
  const char *url[] = {"XSS-%3Cb%3E1%3C%2Fb%3E", "RACE-1%20", "%2E%2E", "%20"};
  for (size_t i = 0; i < 4; i++) {
    char body[512], sql[256], path[128];
    snprintf(body, sizeof body, LICENSE("\"ODD-%zu\""), i);
    expect(lb_req(L.port, "POST", "/v1/licenses", L.officer, body), 200, NULL);
    snprintf(sql, sizeof sql, "UPDATE licenses SET number = '%s' WHERE number = 'ODD-%zu'", odd[i], i);
    assert_int_equal(tg__store_exec(L.s, sql, NULL), TG_OK);
    snprintf(path, sizeof path, "/v1/licenses/%s", url[i]);
    lb_resp r = lb_req(L.port, "GET", path, L.viewer, NULL);
    if (r.status != 200) fprintf(stderr, "GET %s: %d %s\n", path, r.status, r.body);
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "number")), odd[i]);
    json_decref(j);
    lb_free(&r);
    snprintf(path, sizeof path, "/v1/licenses/%s/revoke", url[i]);
    expect(lb_req(L.port, "POST", path, L.admin, "{\"reason\": \"odd number\"}"), 200,
           "\"status\": \"revoked\"");
  }
}

static void test_text(void **state) {
  (void)state;
  /* 200 characters of CJK (600 bytes) are within the limit; 201 are not. */
  char holder[1024] = "", body[1400];
  for (int i = 0; i < 200; i++) strcat(holder, "\xe4\xb8\xad");
  snprintf(body, sizeof body,
           "{\"number\": \"CJK-1\", \"holder\": \"%s\", \"chip\": \"nv-h100-sxm\", \"to\": \"CN\", "
           "\"from\": \"2025-01-01\", \"until\": \"2026-12-31\"}", holder);
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer, body), 200, NULL);
  strcat(holder, "\xe4\xb8\xad");
  snprintf(body, sizeof body,
           "{\"number\": \"CJK-2\", \"holder\": \"%s\", \"chip\": \"nv-h100-sxm\", \"to\": \"CN\", "
           "\"from\": \"2025-01-01\", \"until\": \"2026-12-31\"}", holder);
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer, body), 400, "201 characters");
  /* Control characters, in a condition and in a name. */
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer,
                "{\"number\": \"CTL-1\", \"holder\": \"Acme\", \"chip\": \"nv-h100-sxm\", \"to\": "
                "\"CN\", \"from\": \"2025-01-01\", \"until\": \"2026-12-31\", \"condition\": "
                "\"no \\u0007bell\"}"),
         400, "control character");
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer,
                "{\"number\": \"CTL-2\", \"holder\": \"Ac\\u009bme\", \"chip\": \"nv-h100-sxm\", "
                "\"to\": \"CN\", \"from\": \"2025-01-01\", \"until\": \"2026-12-31\"}"),
         400, "control character");
  /* Rates: decimal only. */
  const char *rates[] = {"\"0x10\"", "\"1e1\"", "\"-5\"", "\" 5\"", "\"5%%\"", "\"12.34567\""};
  for (size_t i = 0; i < sizeof rates / sizeof *rates; i++) {
    snprintf(body, sizeof body,
             "{\"number\": \"RATE-%zu\", \"holder\": \"Acme\", \"chip\": \"nv-h100-sxm\", \"to\": "
             "\"CN\", \"from\": \"2025-01-01\", \"until\": \"2026-12-31\", \"payment_rate\": %s}",
             i, rates[i]);
    expect(lb_req(L.port, "POST", "/v1/licenses", L.officer, body), 400, "payment_rate");
  }
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer,
                "{\"number\": \"RATE-OK\", \"holder\": \"Acme\", \"chip\": \"nv-h100-sxm\", \"to\": "
                "\"CN\", \"from\": \"2025-01-01\", \"until\": \"2026-12-31\", \"payment_rate\": "
                "\"12.5%\"}"),
         200, "\"payment_rate\": \"12.5%\"");
}

/* A license number of 64 characters keeps one fee group (keys were cut at
 * 63 bytes, splitting a license in two). */
static void test_fee_group_keys(void **state) {
  (void)state;
  char num[65], body[600];
  memset(num, 'K', 64);
  num[64] = '\0';
  snprintf(body, sizeof body, LICENSE("\"%s\""), num);
  expect(lb_req(L.port, "POST", "/v1/licenses", L.officer, body), 200, NULL);
  for (int i = 0; i < 2; i++) {
    snprintf(body, sizeof body,
             "{\"chip\": \"nv-h100-sxm\", \"to\": \"CN\", \"hq\": \"CN\", \"qty\": 1, "
             "\"unit_price\": 100, \"on\": \"2025-08-15\", \"end_user\": \"Acme Compute\", \"license\": \"%s\"}", num);
    expect(lb_req(L.port, "POST", "/v1/shipments", L.officer, body), 200, NULL);
  }
  json_t *f = get_json("/v1/fees?year=2025&by=license&license=" "KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK"
                       "KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK");
  json_t *g = json_object_get(f, "groups");
  assert_int_equal(json_array_size(g), 1);
  assert_string_equal(json_string_value(json_object_get(json_array_get(g, 0), "key")), num);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(g, 0), "shipments")), 2);
  json_decref(f);
}

/* ---- the chart by epoch ----------------------------------------------- */

/* One client of four asking for the chart on the dates from+k, from+k+4,
 * ... that fall in `epoch` (of twenty days). */
typedef struct chart_job {
  unsigned port;
  const char *token;
  tg_date from, epoch;
  int k, asked, ok;
} chart_job;

static void *ask_charts(void *ud) {
  chart_job *j = ud;
  for (int d = j->k; d < 20; d += 4) {
    if (tg_rules_epoch(L.e, j->from + d) != j->epoch) continue;
    char day[11], path[64];
    tg_date_format(j->from + d, day);
    snprintf(path, sizeof path, "/v1/chart.svg?on=%s", day);
    lb_resp r = lb_req(j->port, "GET", path, j->token, NULL);
    j->asked++;
    j->ok += r.status == 200 && strstr(r.body, day) != NULL;
    lb_free(&r);
  }
  return NULL;
}

static void test_chart_epochs(void **state) {
  (void)state;
  const char *days[] = {"2023-11-20", "1900-01-01", "2999-12-31"};
  for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
    tg_date d;
    assert_int_equal(tg_date_parse(days[i], &d), TG_OK);
    tg_date e = tg_rules_epoch(L.e, d);
    assert_true(e <= d);
    assert_int_equal(tg_rules_epoch(L.e, e), e);
    if (i == 0) assert_true(tg_rules_epoch(L.e, e - 1) < e); /* a boundary */
    char path[64];
    snprintf(path, sizeof path, "/v1/chart.svg?on=%s", days[i]);
    lb_resp r = lb_req(L.port, "GET", path, L.viewer, NULL);
    assert_int_equal(r.status, 200);
    char *want = tg_plot_svg(L.e, d); /* what drawing the day itself gives */
    assert_non_null(want);
    assert_string_equal(r.body, want);
    tg_free(want);
    lb_free(&r);
  }
  /* Issue 10 #4: every new date cost a drawing.  Now twenty dates of one
   * epoch, asked by four clients at once of a fresh server, cost one. */
  lb_server S;
  tg_server_options o;
  tg_server_options_default(&o);
  assert_int_equal(lb_start_opts(&S, &o), 0);
  tg_date first;
  assert_int_equal(tg_date_parse("2024-06-01", &first), TG_OK);
  tg_date epoch = tg_rules_epoch(S.e, first);
  pthread_t t[4];
  static chart_job jobs[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (chart_job){.port = S.port, .token = S.viewer, .from = first, .epoch = epoch, .k = i};
    pthread_create(&t[i], NULL, ask_charts, &jobs[i]);
  }
  int asked = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(jobs[i].ok, jobs[i].asked);
    asked += jobs[i].asked;
  }
  fprintf(stderr, "chart: %d dates of one epoch asked at once, %lu drawing(s)\n", asked,
          S.srv->charts_drawn);
  assert_true(asked >= 10);
  assert_int_equal(S.srv->charts_drawn, 1);
  lb_stop(&S);
}

/* ---- paging ----------------------------------------------------------- */

/* The keys of a listing (`member` of the answer, or the answer itself when
 * NULL), page by page of `limit`, following X-Next-Cursor as it is; the
 * number of pages in *pages. */
static json_t *page_keys(const char *path, const char *member, const char *key, int limit,
                         int *pages) {
  json_t *keys = json_array();
  char cursor[512] = "", url[1024];
  *pages = 0;
  for (;;) {
    snprintf(url, sizeof url, "%s%slimit=%d%s%s", path, strchr(path, '?') ? "&" : "?", limit,
             cursor[0] ? "&cursor=" : "", cursor);
    lb_resp r = lb_req(L.port, "GET", url, L.admin, NULL);
    if (r.status != 200) fprintf(stderr, "%s: %d %s\n", url, r.status, r.body);
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL), *a = member ? json_object_get(j, member) : j;
    assert_true(json_is_array(a));
    assert_true(json_array_size(a) <= (size_t)limit);
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) json_array_append(keys, json_object_get(x, key));
    (*pages)++;
    const char *h = strstr(r.head, "X-Next-Cursor: ");
    cursor[0] = '\0';
    if (h) sscanf(h + 15, "%511[^\r\n]", cursor);
    /* a page says "more" exactly when it is full and more follow */
    if (h) assert_int_equal(json_array_size(a), limit);
    json_decref(j);
    lb_free(&r);
    if (!h) break;
    assert_true(*pages < 1000);
  }
  return keys;
}

/* Paging a listing gives exactly the whole listing, in its order. */
static void same_when_paged(const char *path, const char *member, const char *key, int limit) {
  lb_resp r = lb_req(L.port, "GET", path, L.admin, NULL);
  assert_int_equal(r.status, 200);
  json_t *all = json_loads(r.body, 0, NULL), *a = member ? json_object_get(all, member) : all;
  lb_free(&r);
  json_t *want = json_array();
  size_t i;
  json_t *x;
  json_array_foreach(a, i, x) json_array_append(want, json_object_get(x, key));
  int pages;
  json_t *got = page_keys(path, member, key, limit, &pages);
  char *w = json_dumps(want, JSON_COMPACT), *g = json_dumps(got, JSON_COMPACT);
  fprintf(stderr, "%s: %zu items in %d pages of %d\n", path, json_array_size(want), pages, limit);
  if (strcmp(w, g)) fprintf(stderr, "whole: %s\npaged: %s\n", w, g);
  assert_string_equal(w, g);
  assert_int_equal(pages, (int)(json_array_size(want) / (size_t)limit) + 1 -
                              (json_array_size(want) % (size_t)limit == 0 && json_array_size(want)));
  free(w), free(g);
  json_decref(want), json_decref(got), json_decref(all);
}

static void test_paging(void **state) {
  (void)state;
  /* licenses, including the odd numbers stored by test_identifiers (a
   * space, '<', '/'), whose cursors travel percent-encoded */
  for (int i = 0; i < 12; i++) {
    char body[512];
    snprintf(body, sizeof body, LICENSE("\"PG-%02d\""), 11 - i);
    expect(lb_req(L.port, "POST", "/v1/licenses", L.officer, body), 200, NULL);
  }
  /* two more lists (OFAC SDN, UN), so the lists listing has pages */
  const char *more[] = {TG_SOURCE_DIR "/tests/screen/data/ofac-sdn.csv",
                        TG_SOURCE_DIR "/tests/screen/data/un-sample.xml"};
  assert_int_equal(tg_lists_import(L.s, more, 2, "2026-08-02T00:00:00Z", "test", NULL, NULL), TG_OK);
  /* shipments on dates out of id order: the listing is by date, then id */
  const char *days[] = {"2025-09-03", "2025-08-01", "2025-09-03", "2025-07-15", "2025-08-01",
                        "2025-09-03", "2025-07-01"};
  for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
    char body[512];
    snprintf(body, sizeof body,
             "{\"chip\": \"nv-h100-sxm\", \"to\": \"CN\", \"hq\": \"CN\", \"qty\": 1, "
             "\"unit_price\": 100, \"on\": \"%s\", \"end_user\": \"Acme Compute\", "
             "\"license\": \"PG-01\"}", days[i]);
    expect(lb_req(L.port, "POST", "/v1/shipments", L.officer, body), 200, NULL);
  }
  for (int limit = 1; limit <= 7; limit += 3) {
    same_when_paged("/v1/licenses", NULL, "number", limit);
    same_when_paged("/v1/shipments", "shipments", "id", limit);
    same_when_paged("/v1/shipments?license=PG-01", "shipments", "id", limit);
    same_when_paged("/v1/tokens", NULL, "name", limit);
    same_when_paged("/v1/lists", NULL, "kind", limit);
    same_when_paged("/v1/audit/records", "records", "seq", limit);
    same_when_paged("/v1/audit/records?action=shipment.&subject=SHIPMENT", "records", "seq", limit);
    same_when_paged("/v1/chips", NULL, "id", limit);
  }
  /* A keyset, not a slice: a cursor need not be a stored key for the
   * ordered listings (the licenses after "PG-05a" start at PG-06). */
  lb_resp r = lb_req(L.port, "GET", "/v1/licenses?limit=2&cursor=PG-05a", L.viewer, NULL);
  assert_int_equal(r.status, 200);
  json_t *j = json_loads(r.body, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "number")), "PG-06");
  assert_non_null(strstr(r.head, "X-Next-Cursor: PG-07"));
  json_decref(j);
  lb_free(&r);
  /* bad limits and cursors: 400 naming the parameter */
  const char *bad[] = {"/v1/licenses?limit=0", "/v1/licenses?limit=10001", "/v1/tokens?limit=x",
                       "/v1/shipments?limit=2&cursor=abc", "/v1/shipments?limit=2&cursor=999999",
                       "/v1/audit/records?limit=2&cursor=-1", "/v1/tokens?limit=2&cursor=nobody",
                       "/v1/chips?limit=2&cursor=no-such-chip", "/v1/lists?limit=-3"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    r = lb_req(L.port, "GET", bad[i], L.admin, NULL);
    if (r.status != 400) fprintf(stderr, "%s: %d %s\n", bad[i], r.status, r.body);
    assert_int_equal(r.status, 400);
    assert_true(strstr(r.body, "limit:") || strstr(r.body, "cursor:"));
    lb_free(&r);
  }
}

/* An answer over the size bound: 413 naming the bound and how to page;
 * the pages themselves fit. */
static void test_answer_bound(void **state) {
  (void)state;
  lb_server S;
  tg_server_options o;
  tg_server_options_default(&o);
  o.max_answer = 4096;
  assert_int_equal(lb_start_opts(&S, &o), 0);
  lb_resp r = lb_req(S.port, "GET", "/v1/chips", S.viewer, NULL);
  fprintf(stderr, "%d %s\n", r.status, r.body);
  assert_int_equal(r.status, 413);
  assert_non_null(strstr(r.body, "answer_too_large"));
  assert_non_null(strstr(r.body, "bound of 4096 bytes"));
  assert_non_null(strstr(r.body, "?limit=N"));
  assert_non_null(strstr(r.body, "X-Next-Cursor"));
  lb_free(&r);
  r = lb_req(S.port, "GET", "/v1/chips?limit=1", S.viewer, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.head, "X-Next-Cursor: "));
  lb_free(&r);
  char orders[8192] = "[";
  for (int i = 0; i < 20; i++)
    snprintf(orders + strlen(orders), sizeof orders - strlen(orders),
             "%s{\"chip\": \"nv-h100-sxm\", \"to\": \"CN\"}", i ? ", " : "");
  strcat(orders, "]");
  r = lb_req(S.port, "POST", "/v1/checks", S.viewer, orders);
  assert_int_equal(r.status, 413);
  assert_non_null(strstr(r.body, "fewer orders"));
  lb_free(&r);
  lb_stop(&S);
}

int main(void) {
  const struct CMUnitTest t[] = {
      cmocka_unit_test(test_money_bounds),
      cmocka_unit_test(test_rows_past_bounds),
      cmocka_unit_test(test_identifiers),
      cmocka_unit_test(test_paging),
      cmocka_unit_test(test_answer_bound),
      cmocka_unit_test(test_text),
      cmocka_unit_test(test_fee_group_keys),
      cmocka_unit_test(test_chart_epochs),
  };
  return cmocka_run_group_tests(t, setup, teardown);
}
