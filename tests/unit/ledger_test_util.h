/* ledger_test_util.h - the fixture of the ledger unit tests: a data
 * directory in a temporary dir with the real catalog, countries and
 * migrations and the synthetic rules of tests/data/ledger-rules, a fresh
 * database, a fixed clock, and helpers to ship and to count rows.
 * Include after cmocka.h. */
#ifndef LEDGER_TEST_UTIL_H
#define LEDGER_TEST_UTIL_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"
#include "test_db.h"

typedef struct fixture {
  char dir[512];
  char db[600];
  tg_engine *e;
  tg_store *s;
  char *out;        /* JSON of the last ship */
  int64_t clock;
} fixture;

static inline int64_t fixed_clock(void *ud) { return ((fixture *)ud)->clock++; }

static inline tg_date D(const char *s) {
  tg_date d = 0;
  if (tg_date_parse(s, &d) != TG_OK) fail_msg("bad date %s", s);
  return d;
}

static inline int fixture_setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/tg-ledger-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  char p[700], t[700];
  snprintf(p, sizeof p, "%s/data", f->dir);
  if (mkdir(p, 0700)) return -1;
  static const char *const links[][2] = {{"catalog", TG_DATA_DIR "/catalog"},
                                         {"countries.yaml", TG_DATA_DIR "/countries.yaml"},
                                         {"migrations", TG_DATA_DIR "/migrations"},
                                         {"rules", TG_SOURCE_DIR "/tests/data/ledger-rules"}};
  for (size_t i = 0; i < 4; i++) {
    snprintf(t, sizeof t, "%s/data/%s", f->dir, links[i][0]);
    if (symlink(links[i][1], t)) return -1;
  }
  tg_error err = {0};
  if (tg_engine_open(p, &f->e, &err) != TG_OK) fail_msg("engine: %s", err.message);
  if (tdb_create(f->dir, f->db, sizeof f->db)) fail_msg("cannot create the test database");
  if (tg_store_open(f->e, f->db, &f->s, &err) != TG_OK) fail_msg("store: %s", err.message);
  f->clock = 1767225600; /* 2026-01-01T00:00:00Z, one second per stamp */
  tg_store_set_clock(f->s, fixed_clock, f);
  *state = f;
  return 0;
}

static inline int fixture_teardown(void **state) {
  fixture *f = *state;
  tg_store_close(f->s);
  tdb_drop(f->db);
  tg_engine_close(f->e);
  tg_free(f->out);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  if (system(cmd) != 0) return -1;
  free(f);
  return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)

/* A license spec of holder "Acme" (the arrays stay the caller's). */
static inline void license_spec(tg_license_spec *sp, const char *number, const char *const *chips,
                                size_t nchips, const char *const *dests, size_t ndests,
                                const char *from, const char *until) {
  tg_license_spec_init(sp);
  sp->number = number;
  sp->holder = "Acme";
  sp->chips = chips;
  sp->nchips = nchips;
  sp->destinations = dests;
  sp->ndestinations = ndests;
  sp->valid_from = D(from);
  sp->valid_until = D(until);
}

/* Ships qty units at price (cents) on date; hq is the destination. */
static inline tg_status ship_full(fixture *f, const char *chip, const char *dest, int64_t qty,
                                  int64_t price, const char *date, const char *license,
                                  const char *end_user, tg_date notified, const char *nac) {
  tg_order o;
  tg_order_init(&o);
  o.chip = tg_catalog_find(f->e, chip);
  assert_non_null(o.chip);
  o.dest = dest;
  o.hq = dest;
  o.qty = qty;
  o.unit_price_cents = price;
  o.on = D(date);
  o.end_user = end_user;
  tg_ship_opts opts;
  tg_ship_opts_init(&opts);
  opts.license = license;
  opts.notified = notified;
  opts.nac = nac;
  tg_free(f->out);
  f->out = NULL;
  tg_error err = {0};
  tg_status st = tg_ship(f->s, f->e, &o, &opts, "alice", &f->out, &err);
  if (st != TG_OK && st != TG_EREFUSED) fprintf(stderr, "ship: %s\n", err.message);
  return st;
}

static inline tg_status ship(fixture *f, const char *chip, const char *dest, int64_t qty,
                             int64_t price, const char *date, const char *license,
                             const char *end_user) {
  return ship_full(f, chip, dest, qty, price, date, license, end_user, TG_DATE_NONE, NULL);
}

/* A shipment under License Exception NAC naming notification `nac`. */
static inline tg_status ship_nac(fixture *f, const char *chip, const char *dest, int64_t qty,
                                 int64_t price, const char *date, const char *end_user,
                                 const char *nac) {
  return ship_full(f, chip, dest, qty, price, date, NULL, end_user, TG_DATE_NONE, nac);
}

/* The refusal code of the last ship (static storage). */
static inline const char *last_code(fixture *f) {
  static char code[64];
  json_t *j = f->out ? json_loads(f->out, 0, NULL) : NULL;
  snprintf(code, sizeof code, "%s",
           json_string_value(json_object_get(j, "code")) ? json_string_value(json_object_get(j, "code"))
                                                         : "(none)");
  json_decref(j);
  return code;
}

/* The payment of the last recorded shipment in cents (0 when none). */
static inline int64_t fee_of_last(fixture *f) {
  json_t *j = json_loads(f->out, 0, NULL);
  int64_t c = json_integer_value(json_object_get(json_object_get(j, "fee"), "amount_cents"));
  json_decref(j);
  return c;
}

static inline int64_t count_where(fixture *f, const char *table, const char *where) {
  char sql[300];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s", table, where);
  tg_stmt *q;
  assert_int_equal(tg__store_prepare(f->s, sql, &q, NULL), TG_OK);
  assert_int_equal(tg__step(q), TG__ROW);
  int64_t n = tg__col_int64(q, 0);
  tg__finalize(q);
  return n;
}

static inline int64_t count_rows(fixture *f, const char *table) { return count_where(f, table, "1 = 1"); }

static inline void assert_verify_ok(fixture *f) {
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_audit_verify(f->s, &js, &err);
  if (st != TG_OK) fail_msg("verify: %s %s", err.message, js ? js : "");
  tg_free(js);
}

#endif
