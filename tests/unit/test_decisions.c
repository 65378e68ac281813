/* test_decisions.c - screening decisions (issue 12) through the public API,
 * on SQLite and (unit.pg.decisions) PostgreSQL: a re-screen after a list
 * import raises one alert per new hit on a recorded party (a shipment's
 * end user, a license's end user) and none twice; clearing the hit closes
 * its alert, is refused twice or for a hit the screening does not show,
 * and marks the hit in later screenings; a cleared hit raises no alert; an
 * alert closes with a note once; every decision has its audit record and
 * the chain verifies.  Lists: the fixtures in tests/screen/data/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ledger_test_util.h"

#define L TG_SOURCE_DIR "/tests/screen/data/"

static tg_screener *screener_of(fixture *f) {
  tg_screener *sc;
  tg_error err = {0};
  if (tg_screener_create(f->e, &sc, &err) != TG_OK || tg_screener_load_store(sc, f->s, &err) != TG_OK)
    fail_msg("screener: %s", err.message);
  return sc;
}

static void import(fixture *f, const char *path) {
  const char *p[] = {path};
  tg_error err = {0};
  if (tg_lists_import(f->s, p, 1, "2026-08-01T00:00:00Z", "admin-ada", NULL, &err) != TG_OK)
    fail_msg("import: %s", err.message);
}

/* Re-screens; returns the answer (caller decrefs). */
static json_t *rescreen(fixture *f) {
  tg_screener *sc = screener_of(f);
  char *js = NULL;
  tg_error err = {0};
  if (tg_rescreen(f->s, sc, NULL, "admin-ada", &js, &err) != TG_OK) fail_msg("rescreen: %s", err.message);
  tg_screener_destroy(sc);
  json_t *r = json_loads(js, 0, NULL);
  tg_free(js);
  assert_non_null(r);
  return r;
}

static int with_lists(void **state) {
  if (fixture_setup(state)) return -1;
  fixture *f = *state;
  char t[700];
  snprintf(t, sizeof t, "%s/data/screening", f->dir);
  return symlink(TG_DATA_DIR "/screening", t);
}

static json_int_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* Pages of `limit` (keyset, ?cursor= from the page before) give exactly
 * the whole listing, in order, for the alerts and the clearances. */
static char *ids_of(const char *js, const char *member) {
  json_t *r = json_loads(js, 0, NULL), *a = member ? json_object_get(r, member) : r, *x;
  assert_true(json_is_array(a));
  char *out = calloc(1, 4096);
  size_t i;
  json_array_foreach(a, i, x)
    snprintf(out + strlen(out), 4096 - strlen(out), "%lld,", (long long)num(x, "id"));
  json_decref(r);
  return out;
}

static void assert_pages_whole(fixture *f, bool alerts, int limit) {
  char *js = NULL, got[4096] = "";
  tg_error err = {0};
  assert_int_equal(alerts ? tg_alerts_json(f->s, NULL, &js, &err) : tg_clearances_json(f->s, NULL, &js, &err), TG_OK);
  char *want = ids_of(js, alerts ? "alerts" : NULL);
  tg_free(js);
  char cursor[160] = "";
  int pages = 0;
  do {
    tg_page pg;
    tg_page_init(&pg);
    pg.limit = limit;
    pg.after = cursor[0] ? cursor : NULL;
    tg_status st = alerts ? tg_alerts_page_json(f->s, NULL, &pg, &js, &err)
                          : tg_clearances_page_json(f->s, NULL, &pg, &js, &err);
    if (st != TG_OK) fail_msg("page: %s", err.message);
    char *ids = ids_of(js, alerts ? "alerts" : NULL);
    tg_free(js);
    strcat(got, ids);
    free(ids);
    snprintf(cursor, sizeof cursor, "%s", pg.next);
    assert_true(++pages < 50);
  } while (cursor[0]);
  assert_string_equal(got, want);
  assert_true(strlen(want) > 0);
  free(want);
  tg_page bad;
  tg_page_init(&bad);
  bad.limit = 1;
  bad.after = "x1";
  assert_int_equal(alerts ? tg_alerts_page_json(f->s, NULL, &bad, &js, &err)
                          : tg_clearances_page_json(f->s, NULL, &bad, &js, &err),
                   TG_EINVAL);
}

static void test_rescreen_clear_close(void **state) {
  fixture *f = *state;
  /* parties recorded while only the UN sample was loaded */
  import(f, L "un-sample.xml");
  const char *chips[] = {"nv-h20"}, *dests[] = {"CN"}, *users[] = {"Dahua Technology", "Example Cloud Co"};
  tg_license_spec sp;
  license_spec(&sp, "L-1", chips, 1, dests, 1, "2025-01-01", "2027-01-01");
  sp.end_users = users;
  sp.nend_users = 2;
  assert_int_equal(tg_license_add(f->s, &sp, "alice", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "DE", 2, 100, "2025-09-01", NULL, "Kal Tek  Labs"), TG_OK);
  json_t *r = rescreen(f);
  assert_int_equal(num(r, "parties"), 3);
  assert_int_equal(json_array_size(json_object_get(r, "alerts")), 0);
  json_decref(r);

  /* the CSL arrives: two recorded parties are on it */
  import(f, L "csl-subset.compact.json");
  r = rescreen(f);
  json_t *alerts = json_object_get(r, "alerts");
  assert_int_equal(json_array_size(alerts), 2);
  assert_int_equal(num(r, "hits"), 2);
  json_t *a0 = json_array_get(alerts, 0), *a1 = json_array_get(alerts, 1);
  bool dahua_first = !strcmp(json_string_value(json_object_get(a0, "party")), "Dahua Technology");
  json_t *dahua = dahua_first ? a0 : a1, *kal = dahua_first ? a1 : a0;
  assert_string_equal(json_string_value(json_object_get(dahua, "recorded_in")), "license:L-1");
  assert_string_equal(json_string_value(json_object_get(kal, "recorded_in")), "shipment:1");
  assert_string_equal(json_string_value(json_object_get(kal, "entry")), "KAL TEK LABS");
  assert_string_equal(json_string_value(json_object_get(kal, "list_version")),
                      "US Consolidated Screening List, published 2026-07-31");
  assert_string_equal(json_string_value(json_object_get(kal, "status")), "open");
  int64_t kal_id = json_integer_value(json_object_get(kal, "id"));
  int64_t dahua_id = json_integer_value(json_object_get(dahua, "id"));
  json_decref(r);

  /* the same lists again: nothing new */
  r = rescreen(f);
  assert_int_equal(json_array_size(json_object_get(r, "alerts")), 0);
  assert_int_equal(num(r, "known"), 2);
  json_decref(r);

  /* clear the shipment's hit: its alert closes */
  tg_screener *sc = screener_of(f);
  char *js = NULL;
  tg_error err = {0};
  assert_int_equal(tg_clearance_add(f->s, sc, NULL, "kal tek labs", "KAL TEK LABS", NULL,
                                    "Kal Tek Labs of Austin, not the listed one", "officer-olga", &js, &err),
                   TG_OK);
  json_t *c = json_loads(js, 0, NULL);
  tg_free(js);
  assert_string_equal(json_string_value(json_object_get(c, "cleared_by")), "officer-olga");
  assert_string_equal(json_string_value(json_object_get(c, "list")),
                      "Denied Persons List (DPL) - Bureau of Industry and Security");
  json_decref(c);
  assert_int_equal(count_where(f, "screening_alert", "status = 'cleared'"), 1);
  char where[64];
  snprintf(where, sizeof where, "id = %lld AND status = 'cleared'", (long long)kal_id);
  assert_int_equal(count_where(f, "screening_alert", where), 1);
  /* twice, or a hit the screening does not show: refused, nothing written */
  assert_int_equal(tg_clearance_add(f->s, sc, NULL, "Kal Tek Labs", "KAL TEK LABS", NULL, "again", "bob", NULL,
                                    &err),
                   TG_ECONFLICT);
  assert_int_equal(tg_clearance_add(f->s, sc, NULL, "Kal Tek Labs", "Dahua Technology", NULL, "x", "bob", NULL,
                                    &err),
                   TG_ENOTFOUND);
  assert_int_equal(tg_clearance_add(f->s, sc, NULL, "Kal Tek Labs", "KAL TEK LABS", NULL, "", "bob", NULL, &err),
                   TG_EINVAL);
  assert_int_equal(count_rows(f, "screening_clearance"), 1);

  /* a later screening of the party shows the hit as cleared */
  assert_int_equal(tg_screen(sc, "KAL TEK LABS", NULL, &js, &err), TG_OK);
  char *marked = NULL;
  assert_int_equal(tg_screen_decided(f->s, js, "viewer-vic", &marked, &err), TG_OK);
  tg_free(js);
  r = json_loads(marked, 0, NULL);
  tg_free(marked);
  assert_int_equal(num(r, "hits_cleared"), 1);
  assert_int_equal(num(r, "hits_open"), 0);
  json_t *cl = json_object_get(json_array_get(json_object_get(r, "hits"), 0), "cleared");
  assert_true(json_is_object(cl));
  assert_string_equal(json_string_value(json_object_get(cl, "reason")), "Kal Tek Labs of Austin, not the listed one");
  json_decref(r);
  /* another party's screening is not affected */
  assert_int_equal(tg_screen(sc, "Dahua Technology", NULL, &js, &err), TG_OK);
  assert_int_equal(tg_screen_decided(f->s, js, NULL, &marked, &err), TG_OK);
  tg_free(js);
  r = json_loads(marked, 0, NULL);
  tg_free(marked);
  assert_int_equal(num(r, "hits_cleared"), 0);
  assert_true(json_is_null(json_object_get(json_array_get(json_object_get(r, "hits"), 0), "cleared")));
  json_decref(r);
  tg_screener_destroy(sc);

  /* close the other alert with a note, once */
  assert_int_equal(tg_alert_close(f->s, dahua_id, "true match: license L-1 suspended", "admin-ada", &js, &err), TG_OK);
  assert_non_null(strstr(js, "\"status\": \"closed\""));
  tg_free(js);
  assert_int_equal(tg_alert_close(f->s, dahua_id, "again", "admin-ada", NULL, &err), TG_ECONFLICT);
  assert_int_equal(tg_alert_close(f->s, 999, "x", "admin-ada", NULL, &err), TG_ENOTFOUND);
  assert_int_equal(tg_alerts_json(f->s, "open", &js, &err), TG_OK);
  r = json_loads(js, 0, NULL);
  tg_free(js);
  assert_int_equal(num(r, "open"), 0);
  json_decref(r);
  assert_int_equal(tg_alerts_json(f->s, "bogus", &js, &err), TG_EINVAL);
  for (int limit = 1; limit <= 3; limit++) {
    assert_pages_whole(f, true, limit);
    assert_pages_whole(f, false, limit);
  }

  /* every decision is on the trail with its actor; the chain verifies */
  assert_int_equal(count_where(f, "audit", "action = 'screening.alert' AND actor = 'admin-ada'"), 2);
  assert_int_equal(count_where(f, "audit", "action = 'screening.rescreen'"), 3);
  assert_int_equal(count_where(f, "audit", "action = 'screening.clear' AND actor = 'officer-olga'"), 1);
  assert_int_equal(count_where(f, "audit", "action = 'screening.alert_clear' AND actor = 'officer-olga'"), 1);
  assert_int_equal(count_where(f, "audit", "action = 'screening.alert_close' AND actor = 'admin-ada'"), 1);
  assert_int_equal(count_where(f, "audit", "action = 'screening.run' AND actor = 'viewer-vic'"), 1);
  assert_verify_ok(f);
}

/* A hit cleared before the list that carries it is re-screened raises no
 * alert: the clearance is the decision. */
static void test_cleared_hit_not_alerted(void **state) {
  fixture *f = *state;
  import(f, L "csl-subset.compact.json");
  assert_int_equal(ship(f, "nv-h20", "DE", 1, 100, "2025-09-01", NULL, "Semiconductor Systems Intl Inc"), TG_OK);
  tg_screener *sc = screener_of(f);
  tg_error err = {0};
  tg_status st = tg_clearance_add(f->s, sc, NULL, "Semiconductor Systems Intl Inc", "SEMICONDUCTOR SYSTEMS INTL., INC. (SSI)",
                                  NULL, "US firm, different address", "officer-olga", NULL, &err);
  tg_screener_destroy(sc);
  if (st != TG_OK) fail_msg("clear: %s", err.message);
  json_t *r = rescreen(f);
  assert_int_equal(json_array_size(json_object_get(r, "alerts")), 0);
  assert_true(num(r, "cleared") >= 1);
  json_decref(r);
  assert_int_equal(count_rows(f, "screening_alert"), 0);
  assert_verify_ok(f);
}

/* The screening reasons of a result that apply (result true) or, when
 * not `applied`, those marked cleared by clearance 1 (result false). */
static int screening_reasons(const tg_result *res, bool applied) {
  char *js = tg_result_json(res);
  json_t *r = json_loads(js, 0, NULL), *x;
  tg_free(js);
  size_t i;
  int n = 0;
  json_array_foreach(json_object_get(r, "reasons"), i, x) {
    const char *kind = json_string_value(json_object_get(x, "kind"));
    if (!kind || strcmp(kind, "screening")) continue;
    if (applied) n += json_is_true(json_object_get(x, "result"));
    else n += json_is_false(json_object_get(x, "result")) && num(x, "cleared") == 1;
  }
  json_decref(r);
  return n;
}

/* A check of an order naming its parties' clearances (tg_cleared_load):
 * the cleared hit is shown, marked, and no longer applies; a party
 * without clearances loads none. */
static void test_cleared_order(void **state) {
  fixture *f = *state;
  import(f, L "csl-subset.compact.json");
  tg_screener *sc = screener_of(f);
  tg_order o;
  tg_order_init(&o);
  o.chip = tg_catalog_find(f->e, "nv-h20");
  o.dest = "DE";
  o.hq = "DE";
  o.end_user = "Kal Tek Labs";
  o.screener = sc;
  assert_int_equal(tg_date_parse("2025-09-01", &o.on), TG_OK);
  tg_result *res = NULL;
  tg_error err = {0};
  assert_int_equal(tg_check(f->e, &o, &res, &err), TG_OK);
  assert_int_equal(screening_reasons(res, true), 1); /* the Denied Persons List */
  tg_result_destroy(res);
  tg_cleared *c = (tg_cleared *)1;
  assert_int_equal(tg_cleared_load(f->s, &o, &c, &err), TG_OK);
  assert_null(c);
  if (tg_clearance_add(f->s, sc, NULL, "kal tek  labs", "KAL TEK LABS", NULL, "Austin firm", "officer-olga", NULL,
                       &err) != TG_OK)
    fail_msg("clear: %s", err.message);
  assert_int_equal(tg_cleared_load(f->s, &o, &c, &err), TG_OK);
  assert_non_null(c);
  o.cleared = c;
  assert_int_equal(tg_check(f->e, &o, &res, &err), TG_OK);
  assert_int_equal(screening_reasons(res, true), 0);
  assert_int_equal(screening_reasons(res, false), 1); /* shown, marked cleared */
  tg_result_destroy(res);
  tg_cleared_destroy(c);
  o.end_user = "Dahua Technology";
  o.cleared = NULL;
  assert_int_equal(tg_cleared_load(f->s, &o, &c, &err), TG_OK);
  assert_null(c);
  tg_screener_destroy(sc);
}

int main(void) {
  const struct CMUnitTest t[] = {
      cmocka_unit_test_setup_teardown(test_rescreen_clear_close, with_lists, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_cleared_hit_not_alerted, with_lists, fixture_teardown),
      cmocka_unit_test_setup_teardown(test_cleared_order, with_lists, fixture_teardown),
  };
  return cmocka_run_group_tests(t, NULL, NULL);
}
