/* test_lists.c - reading every list format (CSL CSV and compact JSON, OFAC
 * sdn/alt/add, UN XML) from the fixtures in tests/screen/data/, malformed
 * files reported with file:line, and importing into the store: a failed
 * import leaves the lists stored before it untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_db.h"

#include "lists_int.h"

#define D TG_SOURCE_DIR "/tests/screen/data/"

static tg_engine *engine;

static int setup(void **state) {
  (void)state;
  return tg_engine_open(TG_DATA_DIR, &engine, NULL) == TG_OK ? 0 : -1;
}
static int teardown(void **state) {
  (void)state;
  tg_engine_close(engine);
  return 0;
}

static tg__list *read1(const char *path) {
  tg__list **v;
  size_t n;
  tg_error err = {0};
  const char *p[] = {path};
  if (tg__lists_read(p, 1, engine, &v, &n, &err) != TG_OK) fail_msg("%s", err.message);
  assert_int_equal(n, 1);
  tg__list *l = v[0];
  tg__free(v);
  return l;
}

static const tg__entry *find(const tg__list *l, const char *name) {
  for (size_t i = 0; i < l->n; i++)
    if (!strcmp(l->entries[i].name, name)) return &l->entries[i];
  fail_msg("no entry '%s'", name);
  return NULL;
}

static void test_csl_csv(void **state) {
  (void)state;
  tg__list *l = read1(D "csl-sample.csv");
  assert_string_equal(l->kind, "csl");
  assert_string_equal(l->format, "csl-csv");
  assert_int_equal(l->n, 11);
  const tg__entry *e = find(l, "Atlas Sanatgaran");
  assert_string_equal(e->source, "Unverified List (UVL) - Bureau of Industry and Security");
  assert_string_equal(e->countries, "AM"); /* "Komitas 26/114, Yerevan, Armenia, AM" */
  tg__list_free(l);
}

static void test_csl_json(void **state) {
  (void)state;
  tg__list *l = read1(D "csl-subset.compact.json");
  assert_string_equal(l->format, "csl-json");
  assert_string_equal(l->published, "2026-07-31");
  const tg__entry *e = find(l, "Moore Thread Intelligent Technology (Beijing) Co., Ltd.");
  assert_string_equal(e->source, "Entity List (EL) - Bureau of Industry and Security");
  assert_string_equal(e->license_policy, "Presumption of denial");
  assert_string_equal(e->fr_notice, "88 FR 71992");
  assert_string_equal(e->countries, "CN");
  e = find(l, "Semiconductor Manufacturing International Corporation");
  bool smic = false;
  for (size_t i = 0; i < e->nakas; i++) smic |= !strcmp(e->akas[i], "SMIC");
  assert_true(smic);
  tg__list_free(l);
}

static void test_ofac(void **state) {
  (void)state;
  tg__list **v;
  size_t n;
  tg_error err = {0};
  const char *p[] = {D "ofac-add.csv", D "ofac-sdn.csv", D "ofac-alt.csv"}; /* any order */
  assert_int_equal(tg__lists_read(p, 3, engine, &v, &n, &err), TG_OK);
  assert_int_equal(n, 1);
  tg__list *l = v[0];
  assert_int_equal(l->n, 30);
  const tg__entry *e = find(l, "AEROCARIBBEAN AIRLINES");
  assert_string_equal(e->ref, "36");
  assert_string_equal(e->akas[0], "AERO-CARIBBEAN"); /* from alt.csv */
  assert_string_equal(e->countries, "CU");             /* "Cuba" in add.csv */
  assert_string_equal(e->source, "Specially Designated Nationals (SDN) - Treasury Department");
  assert_string_equal(l->files, "ofac-sdn.csv,ofac-add.csv,ofac-alt.csv");
  /* the weak AKA of the remarks (a.k.a. 'BNC'.) after the strong one of
   * alt.csv, whatever order the files come in */
  e = find(l, "BANCO NACIONAL DE CUBA");
  assert_int_equal(e->nakas, 2);
  assert_int_equal(e->nweak, 1);
  assert_string_equal(e->akas[0], "NATIONAL BANK OF CUBA");
  assert_string_equal(e->akas[1], "BNC");
  assert_int_equal(find(l, "AEROCARIBBEAN AIRLINES")->nweak, 0);
  tg__list_free(l);
  tg__free(v);
}

static void test_un_xml(void **state) {
  (void)state;
  tg__list *l = read1(D "un-sample.xml");
  assert_string_equal(l->published, "2026-02-27");
  assert_int_equal(l->n, 4);
  const tg__entry *e = find(l, "CHANG AN SHIPPING & TECHNOLOGY"); /* &amp; decoded */
  bool han = false;
  for (size_t i = 0; i < e->nakas; i++) han |= !strcmp(e->akas[i], "長安海連技術有限公司");
  assert_true(han);
  assert_string_equal(e->countries, "CN");
  assert_string_equal(find(l, "ERIC BADEGE")->type, "Individual");
  tg__list_free(l);
}

/* OFAC remarks: weak AKAs among other remarks, with apostrophes in them */
static void test_ofac_weak(void **state) {
  (void)state;
  tg__list *l = tg__list_new("ofac", "t", "ofac-csv");
  tg_error err = {0};
  const char sdn[] =
      "1,\"A\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1966; a.k.a. 'SAID'; a.k.a. "
      "'Abu Sa'id'; a.k.a. ''FOOPIE''; nationality Yemen; a.k.a. 'ABU-'UMAR'. Linked To: B.\"\n"
      "2,\"B\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Formerly a.k.a. 'NOT A WEAK AKA'.\"\n";
  assert_int_equal(tg__ofac_csv_parse(l, TG__OFAC_SDN, sdn, sizeof sdn - 1, "t", &err), TG_OK);
  const tg__entry *e = find(l, "A");
  assert_int_equal(e->nakas, 4);
  assert_int_equal(e->nweak, 4);
  assert_string_equal(e->akas[0], "SAID");
  assert_string_equal(e->akas[1], "Abu Sa'id");
  assert_string_equal(e->akas[2], "FOOPIE");
  assert_string_equal(e->akas[3], "ABU-'UMAR");
  assert_int_equal(find(l, "B")->nakas, 0);
  tg__list_free(l);
}

/* the UN list's alias QUALITY "Low": weak, after the others */
static void test_un_weak(void **state) {
  (void)state;
  tg__list *l = read1(D "un-weak.xml");
  assert_int_equal(l->n, 3);
  const tg__entry *e = find(l, "GASTON IYAMUREMYE");
  assert_int_equal(e->nweak, 1);
  assert_string_equal(e->akas[e->nakas - 1], "Rumuli"); /* first in the file */
  assert_string_equal(e->akas[0], "Byiringiro Victor Rumuli");
  e = find(l, "HAMID ABDALLAH AHMAD AL-ALI");
  assert_int_equal(e->nweak, 1);
  assert_string_equal(e->akas[e->nakas - 1], "Abu Salim");
  tg__list_free(l);
}

static void expect_error(const char *const *paths, size_t n, tg_status want, const char *msg) {
  tg__list **v;
  size_t nv;
  tg_error err = {0};
  assert_int_equal(tg__lists_read(paths, n, engine, &v, &nv, &err), want);
  if (!strstr(err.message, msg)) fail_msg("error '%s' does not say '%s'", err.message, msg);
}

static void test_malformed(void **state) {
  (void)state;
  const char *a[] = {D "bad-unterminated.csv"};
  expect_error(a, 1, TG_EPARSE, "bad-unterminated.csv:3: unterminated quoted field");
  const char *b[] = {D "bad-fields-sdn.csv"};
  expect_error(b, 1, TG_EPARSE, "bad-fields-sdn.csv:2: expected 12 fields, found 5");
  const char *c[] = {D "ofac-sdn.csv", D "bad-orphan-alt.csv"};
  expect_error(c, 2, TG_EPARSE, "bad-orphan-alt.csv:1: entry 999999 is not in the SDN file");
  const char *c2[] = {D "ofac-alt.csv"};
  expect_error(c2, 1, TG_EINVAL, "must be imported with their sdn.csv");
  const char *d[] = {D "bad-nesting.xml"};
  expect_error(d, 1, TG_EPARSE, "bad-nesting.xml:5: closing tag </ENTITIES> does not match <ENTITY>");
  const char *e[] = {D "bad-syntax.json"};
  expect_error(e, 1, TG_EPARSE, "bad-syntax.json:3:");
  const char *f[] = {D "bad-index.json"};
  expect_error(f, 1, TG_EPARSE, "entries[0]: the entry names no source list");
  const char *g[] = {D "README"};
  expect_error(g, 1, TG_EPARSE, "README:1: not a list format");
  const char *h[] = {D "no-such-file.csv"};
  expect_error(h, 1, TG_EIO, "cannot open");
  const char *i[] = {D "csl-sample.csv", D "csl-subset.compact.json"};
  expect_error(i, 2, TG_EINVAL, "a second csl list in one import");
}

static long stored_entries(tg_store *s) {
  char *js = tg_lists_json(s);
  json_t *a = json_loads(js, 0, NULL);
  long n = 0;
  size_t i;
  json_t *l;
  json_array_foreach(a, i, l) n += (long)json_integer_value(json_object_get(l, "entries"));
  json_decref(a);
  tg_free(js);
  return n;
}

/* Records in a sound audit chain (verify must say ok). */
static long audit_records(tg_store *s) {
  char *js = NULL;
  assert_int_equal(tg_audit_verify(s, &js, NULL), TG_OK);
  assert_non_null(strstr(js, "\"ok\": true"));
  const char *r = strstr(js, "\"records\": ");
  assert_non_null(r);
  long n = strtol(r + 11, NULL, 10);
  tg_free(js);
  return n;
}

static void test_store_import(void **state) {
  (void)state;
  char dir[] = "/tmp/tg-lists-XXXXXX", db[160];
  assert_non_null(mkdtemp(dir));
  assert_int_equal(tdb_create(dir, db, sizeof db), 0);
  tg_store *s;
  tg_error err = {0};
  assert_int_equal(tg_store_open(engine, db, &s, &err), TG_OK);
  const char *p[] = {D "csl-subset.compact.json", D "un-sample.xml"};
  char *sum = NULL;
  assert_int_equal(tg_lists_import(s, p, 2, "2026-08-01T00:00:00Z", "test", &sum, &err), TG_OK);
  assert_non_null(strstr(sum, "\"kind\": \"un\""));
  tg_free(sum);
  long before = stored_entries(s);
  assert_true(before > 4);
  /* each imported list is an audit record (issue 3: list updates) */
  assert_int_equal(audit_records(s), 2);
  /* a failing import (second file malformed) changes nothing */
  const char *bad[] = {D "csl-sample.csv", D "bad-nesting.xml"};
  assert_int_equal(tg_lists_import(s, bad, 2, "2026-08-02T00:00:00Z", "test", NULL, &err), TG_EPARSE);
  assert_int_equal(stored_entries(s), before);
  assert_int_equal(audit_records(s), 2);
  char *js = tg_lists_json(s);
  assert_non_null(strstr(js, "csl-subset.compact.json"));
  tg_free(js);
  /* a new CSL replaces the stored one */
  const char *csv[] = {D "csl-sample.csv"};
  assert_int_equal(tg_lists_import(s, csv, 1, "2026-08-03T00:00:00Z", "test", NULL, &err), TG_OK);
  assert_int_equal(stored_entries(s), 11 + 4);
  assert_int_equal(audit_records(s), 3);
  /* the screener loads what is stored */
  tg_screener *sc;
  assert_int_equal(tg_screener_create(engine, &sc, &err), TG_OK);
  assert_int_equal(tg_screener_load_store(sc, s, &err), TG_OK);
  assert_int_equal(tg_screener_entries(sc), 15);
  assert_true(tg_screen_best(sc, "Atlas Sanatgaran", NULL) == 1.0);
  tg_screener_destroy(sc);
  /* weak aliases are stored as weak (011_weak_akas.sql) */
  const char *weak[] = {D "un-weak.xml"};
  assert_int_equal(tg_lists_import(s, weak, 1, "2026-08-04T00:00:00Z", "test", NULL, &err), TG_OK);
  tg__list **lv;
  size_t nl;
  assert_int_equal(tg__lists_load(s, &lv, &nl, &err), TG_OK);
  size_t nweak = 0;
  for (size_t i = 0; i < nl; i++)
    for (size_t k = 0; k < lv[i]->n; k++) {
      const tg__entry *e = &lv[i]->entries[k];
      nweak += e->nweak;
      const char *last = !strcmp(e->name, "INNOCENT KAINA")      ? "India Queen"
                         : !strcmp(e->name, "GASTON IYAMUREMYE") ? "Rumuli"
                                                                 : "Abu Salim";
      if (e->nweak) assert_string_equal(e->akas[e->nakas - 1], last);
    }
  assert_int_equal(nweak, 3);
  tg__lists_free(lv, nl);
  tg_store_close(s);
  tdb_drop(db);
  char side[200];
  const char *sfx[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(side, sizeof side, "%s%s", db, sfx[i]);
    unlink(side);
  }
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest t[] = {cmocka_unit_test(test_csl_csv), cmocka_unit_test(test_csl_json),
                                 cmocka_unit_test(test_ofac),    cmocka_unit_test(test_un_xml),
                                 cmocka_unit_test(test_malformed), cmocka_unit_test(test_ofac_weak),
                                 cmocka_unit_test(test_un_weak),
                                 cmocka_unit_test(test_store_import)};
  return cmocka_run_group_tests(t, setup, teardown);
}
