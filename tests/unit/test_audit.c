/* test_audit.c - the audit trail: a sound ledger verifies; each kind of
 * stored row (license, shipment, audit record) altered, deleted or
 * inserted directly in the database, behind Tollgate's back, is caught
 * and the first record that does not match is named; an export verifies
 * on its own and an altered export does not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ledger_test_util.h"

/* The ledger every case starts from; the audit records it writes:
 *  1 license.add L-1        2 rules.load             3 shipment:1 (US)
 *  4 shipment:2 (CN, L-1)   5 license.add L-2        6 license.revoke L-2
 *  7 shipment:3 (reverses 2) 8 shipment:4 (CN, L-1) */
static void scenario(fixture *f) {
  const char *chips[] = {"nv-h20"}, *dests[] = {"CN"};
  tg_license_spec sp;
  license_spec(&sp, "L-1", chips, 1, dests, 1, "2025-08-15", "2025-12-31");
  sp.qty_limit = 100;
  assert_int_equal(tg_license_add(f->s, &sp, "alice", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "US", 20, 1000, "2025-09-01", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 10, 1000, "2025-09-01", "L-1", NULL), TG_OK);
  sp.number = "L-2";
  assert_int_equal(tg_license_add(f->s, &sp, "alice", NULL, NULL), TG_OK);
  assert_int_equal(tg_license_revoke(f->s, "L-2", "superseded", "bob", NULL, NULL), TG_OK);
  assert_int_equal(tg_shipment_reverse(f->s, 2, "entered twice", "bob", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 5, 1000, "2025-09-02", "L-1", NULL), TG_OK);
  assert_int_equal(count_rows(f, "audit"), 8);
}

static void test_sound_ledger_verifies(void **state) {
  fixture *f = *state;
  scenario(f);
  char *js;
  assert_int_equal(tg_audit_verify(f->s, &js, NULL), TG_OK);
  json_t *o = json_loads(js, 0, NULL);
  assert_true(json_is_true(json_object_get(o, "ok")));
  assert_int_equal(json_integer_value(json_object_get(o, "records")), 8);
  assert_int_equal(strlen(json_string_value(json_object_get(o, "head"))), 64);
  json_decref(o);
  tg_free(js);
  /* an update that changes nothing is not a change */
  assert_int_equal(tg__store_exec(f->s, "UPDATE shipments SET qty = qty", NULL), TG_OK);
  assert_verify_ok(f);
}

/* One tampering: SQL run behind Tollgate's back, the record verify must
 * name (0: none, the row has no record) and the subject. */
typedef struct tamper {
  const char *what, *sql;
  int64_t first_bad;
  const char *subject;
} tamper;

static const tamper cases[] = {
    {"license limit raised", "UPDATE licenses SET qty_limit = 1000000 WHERE number = 'L-1'", 1, "license:L-1"},
    {"license window widened", "UPDATE licenses SET valid_until = '2030-01-01' WHERE number = 'L-1'", 1,
     "license:L-1"},
    {"revocation undone",
     "UPDATE licenses SET revoked_at = NULL, revoked_by = NULL, revoke_reason = NULL WHERE number = 'L-2'", 6,
     "license:L-2"},
    {"license deleted", "DELETE FROM licenses WHERE number = 'L-2'", 6, "license:L-2"},
    {"license inserted",
     "INSERT INTO licenses (number, holder, chips, destinations, end_users, valid_from, valid_until, "
     "conditions, created_at, created_by) VALUES ('L-X', 'X', '[\"nv-h20\"]', '[\"CN\"]', '[]', "
     "'2025-01-01', '2030-01-01', '[]', '2026-01-01T00:00:00Z', 'alice')",
     0, "license:L-X"},
    {"shipment quantity", "UPDATE shipments SET qty = 1 WHERE id = 2", 4, "shipment:2"},
    {"shipment payment", "UPDATE shipments SET fee_cents = 0 WHERE id = 4", 8, "shipment:4"},
    /* the text is stored once by its hash (008_determinations.sql): a
     * changed text, or a shipment pointed at another, is caught */
    {"shipment determination",
     "UPDATE determinations SET body = replace(body, 'license_required', 'no_license_required') "
     "WHERE sha256 = (SELECT determination_sha256 FROM shipments WHERE id = 2)",
     4, "shipment:2"},
    {"shipment pointed at another determination",
     "UPDATE shipments SET determination_sha256 = (SELECT determination_sha256 FROM shipments "
     "WHERE id = 1) WHERE id = 2",
     4, "shipment:2"},

    {"shipment moved to another license", "UPDATE shipments SET license_number = 'L-2' WHERE id = 4", 8,
     "shipment:4"},
    {"shipment deleted", "DELETE FROM shipments WHERE id = 4", 8, "shipment:4"},
    {"shipment inserted",
     "INSERT INTO shipments (kind, chip, dest, dest_input, on_date, qty, unit_price_cents, value_cents, "
     "verdict, determination_sha256, recorded_at, recorded_by) VALUES ('shipment', 'nv-h20', 'US', "
     "'US', '2025-09-01', 1000, 1, 1000, 'no_license_required', (SELECT determination_sha256 "
     "FROM shipments WHERE id = 1), '2026-01-01T00:00:00Z', 'alice')",
     0, "shipment:5"},
    {"audit content", "UPDATE audit SET content = replace(content, '\"qty\":20', '\"qty\":21') WHERE seq = 3",
     3, "shipment:1"},
    {"audit actor", "UPDATE audit SET actor = 'mallory' WHERE seq = 3", 3, "shipment:1"},
    {"audit time", "UPDATE audit SET at = '2020-01-01T00:00:00Z' WHERE seq = 7", 7, "shipment:3"},
    {"audit hash", "UPDATE audit SET hash = prev WHERE seq = 2", 2, "rules"},
    {"audit record deleted", "DELETE FROM audit WHERE seq = 5", 5, "license:L-2"},
    {"last audit record deleted", "DELETE FROM audit WHERE seq = 8", 0, "shipment:4"},
    {"row and its record changed together",
     "UPDATE shipments SET qty = 21 WHERE id = 1; "
     "UPDATE audit SET content = replace(content, '\"qty\":20', '\"qty\":21') WHERE seq = 3",
     3, "shipment:1"},
};

static void test_tampering_is_caught(void **state) {
  fixture *f = *state;
  (void)f;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const tamper *t = &cases[i];
    void *st2 = NULL;
    assert_int_equal(fixture_setup(&st2), 0);
    fixture *g = st2;
    scenario(g);
    tg_error xe = {0};
    if (tg__store_exec(g->s, t->sql, &xe) != TG_OK) fail_msg("%s: %s", t->what, xe.message);
    char *js = NULL;
    tg_error e = {0};
    tg_status st = tg_audit_verify(g->s, &js, &e);
    if (st != TG_ETAMPER) fail_msg("%s: not caught (%s)", t->what, js ? js : e.message);
    json_t *o = json_loads(js, 0, NULL);
    assert_true(json_is_false(json_object_get(o, "ok")));
    json_t *fb = json_object_get(o, "first_bad");
    int64_t got = json_is_integer(fb) ? json_integer_value(fb) : 0;
    const char *subj = json_string_value(json_object_get(o, "subject"));
    if (got != t->first_bad || !subj || strcmp(subj, t->subject))
      fail_msg("%s: expected record %lld (%s), got %s", t->what, (long long)t->first_bad, t->subject, js);
    json_decref(o);
    tg_free(js);
    fixture_teardown(&st2);
  }
}

static int collect(void *ud, const char *data, size_t len) {
  tg__buf *b = ud;
  tg__buf_append(b, data, len);
  return b->oom;
}

static void test_export_verifies_on_its_own(void **state) {
  fixture *f = *state;
  scenario(f);
  tg__buf b;
  tg__buf_init(&b);
  assert_int_equal(tg_audit_export(f->s, collect, &b, NULL), TG_OK);
  char *js;
  assert_int_equal(tg_audit_verify_export(b.data, b.len, &js, NULL), TG_OK);
  json_t *o = json_loads(js, 0, NULL);
  assert_int_equal(json_integer_value(json_object_get(o, "records")), 8);
  json_decref(o);
  tg_free(js);
  /* one byte changed in a record's content */
  char *p = strstr(b.data, "\\\"qty\\\":10");
  assert_non_null(p);
  p[9] = '1';
  assert_int_equal(tg_audit_verify_export(b.data, b.len, &js, NULL), TG_ETAMPER);
  o = json_loads(js, 0, NULL);
  assert_int_equal(json_integer_value(json_object_get(o, "first_bad")), 4);
  json_decref(o);
  tg_free(js);
  assert_int_equal(tg_audit_verify_export("{\"seq\": 1}\n", 11, &js, NULL), TG_EPARSE);
  tg__buf_free(&b);
}

/* A database written by a newer Tollgate is refused and left unchanged. */
static void test_newer_database_refused(void **state) {
  fixture *f = *state;
  const char *bump = tdb_is_pg() ? "UPDATE tollgate_schema SET version = 99"
                                 : "PRAGMA user_version = 99";
  assert_int_equal(tg__store_exec(f->s, bump, NULL), TG_OK);
  tg_store *s2 = NULL;
  tg_error err = {0};
  assert_int_equal(tg_store_open(f->e, f->db, &s2, &err), TG_EVERSION);
  assert_non_null(strstr(err.message, "newer"));
  assert_null(s2);
}

/* A ledger from before migration 008 (each shipment carrying its
 * determination's text) is migrated on open: each text stored once under
 * its hash, the shipments naming it, the chain verifying as before and
 * every shipment showing the same determination. */
static void test_ledger_before_008_migrates(void **state) {
  fixture *f = *state;
  scenario(f);
  char *before[5] = {0};
  for (int id = 1; id <= 4; id++)
    assert_int_equal(tg_shipment_json(f->s, id, &before[id], NULL), TG_OK);
  /* back to schema 7: the text in the row, no determinations table (nor
   * what 009 to 012 add) */
  static const char *const lite[] = {
      "PRAGMA foreign_keys = OFF",
      "CREATE TABLE s7 AS SELECT h.*, d.body AS determination FROM shipments h "
      "JOIN determinations d ON d.sha256 = h.determination_sha256",
      "DROP TABLE shipments", "ALTER TABLE s7 DROP COLUMN determination_sha256",
      "ALTER TABLE s7 RENAME TO shipments", "DROP TABLE determinations", "DROP TABLE tpp_totals",
      "DROP TABLE tpp_totals_upto", "DROP VIEW payment_terms_default", "DROP TABLE payments",
      "DROP TABLE payment_terms", "DROP TABLE license_changes",
      "ALTER TABLE screening_list DROP COLUMN generation",
      "ALTER TABLE screening_entry DROP COLUMN weak_akas", "ALTER TABLE tokens DROP COLUMN changes",
      "PRAGMA user_version = 7", NULL};
  static const char *const pg[] = {
      "ALTER TABLE shipments ADD COLUMN determination TEXT",
      "UPDATE shipments h SET determination = d.body FROM determinations d "
      "WHERE d.sha256 = h.determination_sha256",
      "ALTER TABLE shipments DROP COLUMN determination_sha256", "DROP TABLE determinations",
      "DROP TABLE tpp_totals", "DROP TABLE tpp_totals_upto", "DROP VIEW payment_terms_default",
      "DROP TABLE payments", "DROP TABLE payment_terms", "DROP TABLE license_changes",
      "ALTER TABLE screening_list DROP COLUMN generation",
      "ALTER TABLE screening_entry DROP COLUMN weak_akas", "DROP TRIGGER tokens_changed ON tokens",
      "DROP FUNCTION tollgate_token_changed()", "DROP TRIGGER tokens_kept ON tokens",
      "DROP TRIGGER tokens_kept_whole ON tokens", "DROP FUNCTION tollgate_token_kept()", "ALTER TABLE tokens DROP COLUMN changes",
      "UPDATE tollgate_schema SET version = 7", NULL};
  tg_error err = {0};
  for (const char *const *sql = tdb_is_pg() ? pg : lite; *sql; sql++)
    if (tg__store_exec(f->s, *sql, &err) != TG_OK) fail_msg("%s: %s", *sql, err.message);
  tg_store_close(f->s);
  if (tg_store_open(f->e, f->db, &f->s, &err) != TG_OK) fail_msg("reopen: %s", err.message);
  assert_int_equal(tg_store_schema_version(f->s), 12); /* 008 to 012 applied */
  char *js = NULL;
  assert_int_equal(tg_audit_verify(f->s, &js, NULL), TG_OK);
  tg_free(js);
  /* one row per distinct text (shipment 3, reversing 2, shares its text) */
  int distinct = 0;
  for (int i = 1; i <= 4; i++) {
    json_t *a = json_loads(before[i], 0, NULL);
    bool seen = false;
    for (int k = 1; k < i && !seen; k++) {
      json_t *b = json_loads(before[k], 0, NULL);
      seen = json_equal(json_object_get(a, "determination"), json_object_get(b, "determination"));
      json_decref(b);
    }
    distinct += !seen;
    json_decref(a);
  }
  assert_true(distinct < 4);
  assert_int_equal(count_rows(f, "determinations"), distinct);
  for (int id = 1; id <= 4; id++) {
    assert_int_equal(tg_shipment_json(f->s, id, &js, NULL), TG_OK);
    json_t *a = json_loads(before[id], 0, NULL), *b = json_loads(js, 0, NULL);
    assert_non_null(json_object_get(json_object_get(b, "determination"), "verdict"));
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    tg_free(js);
    tg_free(before[id]);
  }
}

int main(void) {
  const struct CMUnitTest t[] = {T(test_sound_ledger_verifies), T(test_tampering_is_caught),
                                 T(test_export_verifies_on_its_own), T(test_newer_database_refused),
                                 T(test_ledger_before_008_migrates)};
  return cmocka_run_group_tests(t, NULL, NULL);
}
