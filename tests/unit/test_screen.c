/* test_screen.c - name normalisation, Han transliteration, Jaro-Winkler,
 * token scoring (tg_match), a.k.a. splitting, the policy mapping, and the
 * check integration: an Entity List end user turns a license-free order
 * into license_required with the entry's policy.
 * Fixtures: tests/screen/data/ (cut from the official list files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screen_int.h"

static tg_engine *engine;
static tg_screener *sc;      /* tables only */
static tg_screener *listed;  /* with the CSL subset */

static int setup(void **state) {
  (void)state;
  tg_error err = {0};
  if (tg_engine_open(TG_DATA_DIR, &engine, &err) != TG_OK) return -1;
  if (tg_screener_create(engine, &sc, &err) != TG_OK) return -1;
  if (tg_screener_create(engine, &listed, &err) != TG_OK) return -1;
  const char *files[] = {TG_SOURCE_DIR "/tests/screen/data/csl-subset.compact.json"};
  return tg_screener_load_files(listed, files, 1, &err) == TG_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  tg_screener_destroy(sc);
  tg_screener_destroy(listed);
  tg_engine_close(engine);
  return 0;
}

/* The tokens of `in` (as tg__normalize_name gives them when `as_name`)
 * must be `want`, space-separated. */
static void norm_as(const char *in, const char *want, bool as_name) {
  tg__tokens t;
  if (as_name) tg__normalize_name(sc->tables, in, &t);
  else tg__normalize(sc->tables, in, &t);
  char got[512] = "";
  for (int i = 0; i < t.n; i++) {
    if (i) strcat(got, " ");
    strcat(got, t.tok[i]);
  }
  if (strcmp(got, want) != 0) fail_msg("normalize(%s) = '%s', want '%s'", in, got, want);
}

static void norm(const char *in, const char *want) { norm_as(in, want, false); }
static void norm_name(const char *in, const char *want) { norm_as(in, want, true); }

static void test_normalize_latin(void **state) {
  (void)state;
  norm("Huawei Technologies Co., Ltd.", "huawei technology");           /* suffix, plural */
  norm("HUAWEI TECHNOLOGIES CO LTD", "huawei technology");
  norm("Société Générale S.A.", "societe generale");                    /* accents, S.A. */
  norm("ＳＭＩＣ　Ｉｎｔｌ", "smic international");                       /* NFKC fullwidth */
  norm("Straße GmbH", "strasse");                                        /* case folding */
  norm("Xi'an Longde Tech. Dev. Co.", "xian longde technology development");
  norm("Aero Engine Corporation of China", "aeronautical engine china"); /* stopword */
  norm("Semiconductor Mfg Intl Corp", "semiconductor manufacturing international");
  norm("A.B.C. ARGUMENT", "abc argument");                               /* initials join */
  norm("Co., Ltd.", "co ltd");                                           /* only suffixes: kept */
  norm("Huawei Huawei", "huawei");                                       /* repeats drop */
  norm("LIMITD LIABILTY COMPANY ALFA", "alfa");                          /* misspelt legal forms */
  norm("TECHNOLOGISE", "technology");                                    /* misspelt abbreviation */
}

static void test_normalize_han(void **state) {
  (void)state;
  norm("华为技术有限公司", "hua wei technology");        /* pinyin + company word + legal form */
  norm("華為技術有限公司", "hua wei technology");        /* traditional folds to simplified */
  norm("中国電子科技集団公司", "china electronic technology group"); /* shinjitai 電 団 */
  norm("摩尔线程智能科技（北京）", "moore threads intelligent technology beijing");
  norm("浙江大华", "zhejiang da hua");                   /* syllables are never stopwords */
  tg__tokens t;
  tg__normalize(sc->tables, "华为", &t);
  assert_true(t.had_han);
  tg__normalize(sc->tables, "Huawei", &t);
  assert_false(t.had_han);
  tg__normalize(sc->tables, "浙江", &t);
  assert_int_equal(t.place[0], 1);
}

/* "FAMILY, Given Middle" is compared given names first */
static void test_normalize_name_order(void **state) {
  (void)state;
  norm_name("HAMDAN, Salim Ahmad Salim", "salim ahmad hamdan");
  norm_name("PEREZ OCAMPO, Santiago", "santiago perez ocampo");
  norm_name("Salim Ahmad HAMDAN", "salim ahmad hamdan");           /* no comma: as written */
  norm_name("Huawei Technologies, Co., Ltd.", "huawei technology"); /* two commas: as written */
  norm_name("Acme Holdings, Inc.", "acme holding");                 /* nothing after it */
  /* two family names before the comma: the last token is the second */
  tg__tokens t;
  tg__normalize_name(sc->tables, "MADURO MOROS, Nicolas", &t);
  assert_true(t.family2);
  tg__normalize_name(sc->tables, "AL ZAWAHIRI, Ayman", &t); /* a particle: one name */
  assert_false(t.family2);
  tg__normalize_name(sc->tables, "PUTIN, Vladimir Vladimirovich", &t);
  assert_false(t.family2);
  tg__normalize_name(sc->tables, "Nicolas Maduro Moros", &t); /* no comma: unknown */
  assert_false(t.family2);
}

static void test_jaro_winkler(void **state) {
  (void)state;
  /* reference values: Winkler (1990) examples as commonly tabulated */
  assert_true(fabs(tg__jaro_winkler("martha", 6, "marhta", 6) - 0.9611) < 0.001);
  assert_true(fabs(tg__jaro_winkler("dwayne", 6, "duane", 5) - 0.84) < 0.001);
  assert_true(fabs(tg__jaro_winkler("dixon", 5, "dicksonx", 8) - 0.8133) < 0.001);
  assert_true(tg__jaro_winkler("abc", 3, "abc", 3) == 1.0);
  assert_true(tg__jaro_winkler("abc", 3, "xyz", 3) == 0.0);
  assert_int_equal(tg__osa_distance("huawei", 6, "huawie", 6, 9), 1);
  assert_int_equal(tg__osa_distance("kitten", 6, "sitting", 7, 9), 3);
  /* short words match only exactly */
  assert_true(tg__token_sim("ace", 3, "acer", 4, false) == 0);
  assert_true(tg__token_sim("huawei", 6, "huawie", 6, false) > 0.9);
}

/* The optimal-string-alignment distance by its table (Damerau's
 * transposition of adjacent letters, no letter edited twice), to check
 * the bit-parallel tg__osa_distance against. */
static int osa_table(const char *a, size_t la, const char *b, size_t lb) {
  static int d[65][65];
  for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  return d[la][lb];
}

static void test_osa_random(void **state) {
  (void)state;
  uint64_t x = 88172645463325252ULL; /* xorshift64, a fixed sequence */
#define NEXT() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
  char a[64], b[64];
  for (int it = 0; it < 200000; it++) {
    size_t la = NEXT() % (it % 50 ? 14 : 65), lb;
    int alpha = 2 + (int)(NEXT() % 4);
    for (size_t i = 0; i < la; i++) a[i] = (char)(NEXT() % 3 ? 'a' + NEXT() % alpha : 0xC3);
    memcpy(b, a, la), lb = la;
    for (int e = (int)(NEXT() % 5); e > 0; e--) { /* edits: change, insert, delete, swap */
      size_t p = lb ? NEXT() % lb : 0;
      switch (NEXT() % 4) {
      case 0: if (lb) b[p] = (char)('a' + NEXT() % alpha); break;
      case 1: if (lb < 64) memmove(b + p + 1, b + p, lb - p), b[p] = (char)('a' + NEXT() % alpha), lb++; break;
      case 2: if (lb) memmove(b + p, b + p + 1, lb - p - 1), lb--; break;
      default: if (p + 1 < lb) { char t = b[p]; b[p] = b[p + 1], b[p + 1] = t; }
      }
    }
    if (!lb && la) continue; /* an empty second word gives cap, as it always did */
    int cap = 1 + (int)(NEXT() % 5), want = osa_table(a, la, b, lb);
    assert_int_equal(tg__osa_distance(a, la, b, lb, cap), want < cap ? want : cap);
  }
#undef NEXT
}

static double match_score(const tg_screener *s, const char *a, const char *b) {
  char *js = NULL;
  tg_error err = {0};
  assert_int_equal(tg_match(s, a, b, &js, &err), TG_OK);
  json_t *r = json_loads(js, 0, NULL);
  double v = json_real_value(json_object_get(r, "score"));
  json_decref(r);
  tg_free(js);
  return v;
}

static void test_scoring(void **state) {
  (void)state;
  double t = TG_SCREEN_THRESHOLD;
  assert_true(match_score(sc, "Huawei Technologies Co Ltd", "HUAWEI TECHNOLOGIES CO., LTD.") == 1.0);
  assert_true(match_score(sc, "Technologies Huawei", "Huawei Technologies") == 1.0); /* reorder */
  assert_true(match_score(sc, "Huawei Technologies Inc", "Huawei Technologies GmbH") == 1.0);
  assert_true(match_score(sc, "Huawie Technologies", "Huawei Technologies") >= t);   /* typo */
  assert_true(match_score(sc, "Hong Kong Trading", "Hongkong Trading") >= t);       /* joined */
  assert_true(match_score(sc, "华为技术有限公司", "Huawei Technologies Co., Ltd.") >= t);
  assert_true(match_score(sc, "Acer Incorporated", "ACE") < t);                    /* short */
  assert_true(match_score(sc, "Emma Daniels", "EMMA LLC") < t);  /* watchman#338 */
  assert_true(match_score(sc, "George Bush", "George Habbash") < t); /* watchman#115 */
  /* weights from the lists: a distinctive word counts more than a common one */
  assert_true(match_score(listed, "Huawei", "Huawei Technologies") >
              match_score(listed, "Technologies", "Huawei Technologies"));
}

static void collect(void *ctx, const char *s, size_t n) {
  char *out = ctx;
  strncat(out, s, n);
  strcat(out, "|");
}

static void test_split_akas(void **state) {
  (void)state;
  char out[512] = "";
  tg__split_akas("Sinobright Import and Export Company; and any successor, sub-unit, or "
                 "subsidiary thereof", collect, out);
  assert_string_equal(out, "Sinobright Import and Export Company|");
  out[0] = '\0';
  tg__split_akas("Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Beijing Huawei "
                 "Longshine Information Technology Co., Ltd.", collect, out);
  assert_string_equal(out, "Huawei Technologies Co., Ltd. (Huawei)|Beijing Huawei Longshine "
                           "Information Technology Co., Ltd|");
  out[0] = '\0';
  tg__split_akas("National University of Defense Technology (NUDT)", collect, out);
  assert_string_equal(out, "National University of Defense Technology (NUDT)|NUDT|"
                           "National University of Defense Technology|");
  out[0] = '\0';
  tg__split_akas("BANCO X, a.k.a. BANK X", collect, out);
  assert_string_equal(out, "BANCO X|BANK X|");
}

static void test_policy(void **state) {
  (void)state;
  const char *el = "Entity List (EL) - Bureau of Industry and Security";
  assert_string_equal(tg__screen_policy(el, "Presumption of denial."), "presumption_of_denial");
  assert_string_equal(tg__screen_policy(el, "Case-by-case review for items necessary to detect, "
                                            "identify and treat infectious disease; Presumption of "
                                            "denial for all other items subject to the EAR."),
                      "presumption_of_denial");
  assert_string_equal(tg__screen_policy(el, "Case-by-case basis."), "case_by_case");
  assert_string_equal(tg__screen_policy(el, "Presumption of approval for EAR99 items"),
                      "presumption_of_approval");
  assert_string_equal(tg__screen_policy(el, "See §744.2(d) of the EAR"), "presumption_of_denial");
  assert_null(tg__screen_policy("Unverified List (UVL) - Bureau of Industry and Security", NULL));
}

static void test_screen_hits(void **state) {
  (void)state;
  char *js = NULL;
  tg_error err = {0};
  assert_int_equal(tg_screen(listed, "Moore Threads Intelligent Tech (Beijing)", NULL, &js, &err), TG_OK);
  json_t *r = json_loads(js, 0, NULL);
  json_t *h = json_array_get(json_object_get(r, "hits"), 0);
  assert_non_null(h);
  assert_string_equal(json_string_value(json_object_get(h, "name")),
                      "Moore Thread Intelligent Technology (Beijing) Co., Ltd.");
  assert_string_equal(json_string_value(json_object_get(h, "policy")), "presumption_of_denial");
  assert_string_equal(json_string_value(json_object_get(h, "federal_register_notice")), "88 FR 71992");
  assert_true(json_array_size(json_object_get(h, "tokens")) >= 4);
  json_decref(r);
  tg_free(js);
  /* the address country narrows: Moore Thread is listed in CN */
  tg_screen_options o;
  tg_screen_options_init(&o);
  o.country = "DE";
  assert_int_equal(tg_screen(listed, "Moore Threads Intelligent Technology", &o, &js, &err), TG_OK);
  r = json_loads(js, 0, NULL);
  assert_int_equal(json_array_size(json_object_get(r, "hits")), 0);
  json_decref(r);
  tg_free(js);
  o.country = "XX";
  assert_int_equal(tg_screen(listed, "x", &o, &js, &err), TG_EINVAL);
  assert_true(tg_screen_best(listed, "Huawei Technologies", NULL) == 1.0);
  assert_true(tg_screen_best(listed, "Nordvale Precision Instruments", NULL) == 0.0);
}

static tg_result *check(const char *end_user, const tg_screener *s) {
  tg_chip *chip;
  assert_int_equal(tg_chip_create("test-low", &chip), TG_OK);
  tg_chip_set_number(chip, "fp16_tflops", 10, "user");
  tg_chip_set_number(chip, "die_area_mm2", 100, "user");
  tg_chip_set_number(chip, "datacenter", 0, "user");
  tg_order o;
  tg_order_init(&o);
  o.chip = chip;
  o.dest = "DE";
  o.hq = "DE";
  assert_int_equal(tg_date_parse("2026-08-01", &o.on), TG_OK);
  o.end_user = end_user;
  o.screener = s;
  tg_result *res = NULL;
  tg_error err = {0};
  assert_int_equal(tg_check(engine, &o, &res, &err), TG_OK);
  tg_chip_destroy(chip);
  return res;
}

static void test_check_integration(void **state) {
  (void)state;
  tg_result *res = check(NULL, listed);
  assert_int_equal(tg_result_verdict(res), TG_NO_LICENSE_REQUIRED);
  tg_result_destroy(res);
  res = check("Acme Widgets GmbH", listed);
  assert_int_equal(tg_result_verdict(res), TG_NO_LICENSE_REQUIRED);
  tg_result_destroy(res);
  res = check("Huawei Technologies Co Ltd", listed);
  assert_int_equal(tg_result_verdict(res), TG_LICENSE_REQUIRED);
  assert_string_equal(tg_result_review_policy(res), "presumption_of_denial");
  char *js = tg_result_json(res);
  json_t *r = json_loads(js, 0, NULL);
  size_t i;
  json_t *reason;
  bool screening = false, rule = false;
  json_array_foreach(json_object_get(r, "reasons"), i, reason) {
    const char *kind = json_string_value(json_object_get(reason, "kind"));
    const char *id = json_string_value(json_object_get(reason, "rule"));
    screening |= kind && !strcmp(kind, "screening") &&
                 strstr(json_string_value(json_object_get(reason, "text")), "Entity List") != NULL;
    rule |= id && !strcmp(id, "el-party-license") && json_is_true(json_object_get(reason, "result"));
  }
  assert_true(screening);
  assert_true(rule);
  json_decref(r);
  tg_free(js);
  tg_result_destroy(res);
  /* named parties with no lists loaded: a warning, and the answer is not settled */
  res = check("Huawei Technologies Co Ltd", NULL);
  js = tg_result_json(res);
  assert_non_null(strstr(js, "not screened"));
  tg_free(js);
  tg_result_destroy(res);
}

#define D TG_SOURCE_DIR "/tests/screen/data/"

/* Issue 9 §5: an SDN entry in the CSL and in OFAC's files is one entry,
 * with both sources (entity 306 is in both fixtures). */
static void test_sdn_merged(void **state) {
  (void)state;
  tg_screener *both;
  tg_error err = {0};
  assert_int_equal(tg_screener_create(engine, &both, &err), TG_OK);
  const char *f[] = {D "csl-subset.compact.json", D "ofac-sdn.csv", D "ofac-alt.csv", D "ofac-add.csv"};
  assert_int_equal(tg_screener_load_files(both, f, 4, &err), TG_OK);
  tg__index *ix = tg__screener_acquire(both);
  size_t sum = 0;
  for (size_t i = 0; i < ix->nlists; i++) sum += ix->lists[i]->n;
  assert_int_equal(ix->nentries, sum - 3); /* 36, 173 and 306 are on both */
  tg__index_release(ix);
  char *js = NULL;
  assert_int_equal(tg_screen(both, "Banco Nacional de Cuba", NULL, &js, &err), TG_OK);
  json_t *r = json_loads(js, 0, NULL);
  json_t *hits = json_object_get(r, "hits");
  int n306 = 0;
  size_t i;
  json_t *h;
  json_array_foreach(hits, i, h) n306 += !strcmp(json_string_value(json_object_get(h, "id")), "306");
  assert_int_equal(n306, 1);
  h = json_array_get(hits, 0);
  assert_string_equal(json_string_value(json_object_get(h, "id")), "306");
  json_t *also = json_object_get(h, "also_on");
  assert_non_null(also);
  assert_string_equal(json_string_value(json_object_get(also, "id")), "306");
  assert_string_equal(json_string_value(json_object_get(also, "title")), "OFAC Specially Designated Nationals");
  assert_string_not_equal(json_string_value(json_object_get(also, "title")),
                          json_string_value(json_object_get(json_object_get(h, "dataset"), "title")));
  json_decref(r);
  tg_free(js);
  tg_screener_destroy(both);
}

/* A reload swaps the index; a reader holding the old one keeps it whole. */
static void test_reload_swap(void **state) {
  (void)state;
  tg_screener *s;
  tg_error err = {0};
  assert_int_equal(tg_screener_create(engine, &s, &err), TG_OK);
  const char *f[] = {D "csl-subset.compact.json"};
  assert_int_equal(tg_screener_load_files(s, f, 1, &err), TG_OK);
  tg__index *old = tg__screener_acquire(s);
  size_t before = old->nentries;
  const char *g[] = {D "un-sample.xml"};
  assert_int_equal(tg_screener_load_files(s, g, 1, &err), TG_OK);
  assert_true(tg_screener_entries(s) > before);
  assert_int_equal(old->nentries, before); /* the held index is unchanged */
  tg__query q;
  tg__hit hits[2];
  assert_true(tg__screen_query(old, &q, "Huawei Technologies", NULL, 0.88, hits, 2) >= 1);
  tg__index_release(old); /* freed here, after the swap */
  tg_screener_destroy(s);
}

/* ---- a rebuild beside the queries ---------------------------------------- */

typedef struct rebuild {
  tg_screener *s;
  const char *path;
  int done; /* atomic */
} rebuild;

static void *rebuild_main(void *arg) {
  rebuild *r = arg;
  const char *f[] = {r->path};
  tg_status st = tg_screener_load_files(r->s, f, 1, NULL);
  __atomic_store_n(&r->done, st == TG_OK ? 1 : 2, __ATOMIC_RELEASE);
  return NULL;
}

/* Queries made while another thread builds the next index are answered
 * from the old one, whole, until the swap, then from the new one, never
 * back.  The new list is 20,000 invented entries (a build that takes a
 * while) and one that only it holds. */
static void test_rebuild_old_then_new(void **state) {
  (void)state;
  char path[] = "/tmp/tg-test-rebuild-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fprintf(f, "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
             "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
             "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
             "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
             "source_information_url,ids\n");
  static const char *const syl[] = {"ka", "lo", "mi", "ren", "tor", "vex", "dal", "qui"};
  for (int i = 0; i < 20000; i++)
    fprintf(f, "x%d,Entity List (EL) - Bureau of Industry and Security,,,,%s%s%s %s%s Trading %d,,,,,,,,,,,,,,,,,,,,,,,\n",
            i, syl[i % 8], syl[i / 8 % 8], syl[i / 64 % 8], syl[i / 512 % 8], syl[i / 4096 % 8], i);
  fprintf(f, "y,Entity List (EL) - Bureau of Industry and Security,,,,Zorbulon Quantum Gadgets,,,,,,,,,,,,,,,,,,,,,,,\n");
  fclose(f);
  tg_screener *s;
  assert_int_equal(tg_screener_create(engine, &s, NULL), TG_OK);
  const char *g[] = {D "csl-subset.compact.json"};
  assert_int_equal(tg_screener_load_files(s, g, 1, NULL), TG_OK);
  size_t before = tg_screener_entries(s);
  rebuild r = {s, path, 0};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, rebuild_main, &r), 0);
  int old_during = 0, new_seen = 0;
  for (;;) {
    int done = __atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
    tg__index *ix = tg__screener_acquire(s);
    tg__query q;
    tg__hit hits[2];
    int n = tg__screen_query(ix, &q, "Zorbulon Quantum Gadgets", NULL, 0.88, hits, 2);
    if (ix->nentries == before) { /* the old index: whole, without the new entry */
      assert_int_equal(n, 0);
      assert_int_equal(new_seen, 0);
      old_during += !done && !__atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
    } else { /* the new one: every entry, the new one found */
      assert_int_equal(ix->nentries, before + 20001);
      assert_int_equal(n, 1);
      new_seen++;
    }
    tg__index_release(ix);
    if (done) break;
  }
  pthread_join(th, NULL);
  assert_int_equal(r.done, 1);
  assert_true(old_during >= 1); /* answered while the build ran */
  assert_true(new_seen >= 1);
  tg_screener_destroy(s);
  unlink(path);
}

/* ---- the index cache ---------------------------------------------------- */

/* A screener over the CSL subset and the UN sample with a cache in dir;
 * whether its index came from the cache; its answer for a name. */
static tg_screener *cached_screener(const char *dir, bool *from_cache) {
  tg_screener *s;
  tg_error err = {0};
  assert_int_equal(tg_screener_create(engine, &s, &err), TG_OK);
  assert_int_equal(tg_screener_set_cache(s, dir, &err), TG_OK);
  const char *f[] = {D "csl-subset.compact.json", D "un-sample.xml"};
  assert_int_equal(tg_screener_load_files(s, f, 2, &err), TG_OK);
  tg__index *ix = tg__screener_acquire(s);
  *from_cache = ix->blob != NULL;
  tg__index_release(ix);
  return s;
}

static char *answer(tg_screener *s, const char *name) {
  char *js = NULL;
  tg_screen_options o;
  tg_screen_options_init(&o);
  o.min_score = 0.5;
  assert_int_equal(tg_screen(s, name, &o, &js, NULL), TG_OK);
  return js;
}

/* The one cache file of dir (path into out). */
static void cache_file(const char *dir, char *out, size_t cap) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "ls %s/index-*.bin", dir);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  assert_non_null(fgets(out, (int)cap, p));
  out[strcspn(out, "\n")] = '\0';
  assert_null(fgets(cmd, sizeof cmd, p)); /* only one */
  pclose(p);
}

static void same_answers(tg_screener *a, tg_screener *b) {
  const char *names[] = {"Huawei Technologies", "Kim Jong Un", "Rosoboronexport", "Acme Widgets"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char *x = answer(a, names[i]), *y = answer(b, names[i]);
    assert_string_equal(x, y);
    tg_free(x);
    tg_free(y);
  }
}

/* The reference token weights (token-df.tsv): ln(1 + names/df), a token
 * not in the table ln(1 + names); a bad line is refused naming file:line. */
static void test_refweights(void **state) {
  (void)state;
  static const char good[] = "# comment\r\n\n@names\t100\nbank\t40\nrostec\t2\n";
  tg__refweights r;
  tg_error err = {0};
  char *text = tg__strdup(good);
  assert_int_equal(tg__refweights_parse(text, strlen(good), "t.tsv", &r, &err), TG_OK);
  assert_int_equal(r.n, 2);
  assert_true(fabsf(tg__refweights_get(&r, "bank") - (float)log(1 + 100.0 / 40)) < 1e-6f);
  assert_true(fabsf(tg__refweights_get(&r, "rostec") - (float)log(1 + 100.0 / 2)) < 1e-6f);
  assert_true(fabsf(tg__refweights_get(&r, "aeroflot") - (float)log(101.0)) < 1e-6f);
  tg__refweights_free(&r);
  static const struct { const char *text, *error; } bad[] = {
      {"@names\t10\nb\t2\na\t3\n", "t.tsv:3: token repeated or out of order"},
      {"@names\t10\na\t2\na\t3\n", "t.tsv:3: token repeated or out of order"},
      {"# x\n\na\t2\n@names\t10\n", "t.tsv:3: a token before the @names line"},
      {"@names\t10\na\t11\n", "t.tsv:2: the count is not a number of 1 to @names"},
      {"@names\t10\na\t0\n", "t.tsv:2: the count is not a number of 1 to @names"},
      {"@names\t10\na 2\n", "t.tsv:2: expected TOKEN<TAB>COUNT"},
      {"@names\tx\n", "t.tsv:1: @names is not a count of 1 to 100000000"},
      {"@names\t1\n@names\t1\n", "t.tsv:2: a second @names line"},
      {"# nothing\n", "t.tsv: no @names line"},
      {"", "t.tsv: no @names line"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    text = tg__strdup(bad[i].text);
    assert_int_equal(tg__refweights_parse(text, strlen(bad[i].text), "t.tsv", &r, &err), TG_EPARSE);
    assert_string_equal(err.message, bad[i].error);
  }
  /* a NUL inside a line */
  text = tg__malloc(16);
  memcpy(text, "@names\t1\na\0b\t1\n", 16);
  assert_int_equal(tg__refweights_parse(text, 15, "t.tsv", &r, &err), TG_EPARSE);
  assert_string_equal(err.message, "t.tsv:2: NUL byte in the line");
}

/* The screening tables with `line` appended to `file` are refused at load. */
static void refused_with(const char *file, const char *line) {
  char dir[] = "/tmp/tg-test-tables-XXXXXX", cmd[512], path[512];
  assert_non_null(mkdtemp(dir));
  snprintf(cmd, sizeof cmd, "cp -r '%s/screening' '%s/'", TG_DATA_DIR, dir);
  assert_int_equal(system(cmd), 0);
  snprintf(path, sizeof path, "%s/screening/%s", dir, file);
  FILE *f = fopen(path, "a");
  assert_non_null(f);
  fputs(line, f);
  fclose(f);
  tg__tables *t = NULL;
  assert_int_equal(tg__tables_load(dir, &t, NULL), TG_EPARSE);
  assert_null(t);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* common-han-names.tsv: the ten most common Chinese names as syllable
 * pairs (either order) with their cap; a bad line is refused at load; and
 * two such names score the cap, not 1 (issue 9). */
static void test_common_names(void **state) {
  (void)state;
  tg__tables *t = NULL;
  assert_int_equal(tg__tables_load(TG_DATA_DIR, &t, NULL), TG_OK);
  double cap = 0;
  assert_true(tg__tables_common_name(t, "zhang", "wei", &cap));
  assert_true(cap > 0.5 && cap < TG_SCREEN_THRESHOLD);
  assert_true(tg__tables_common_name(t, "wei", "zhang", &cap));
  assert_true(tg__tables_common_name(t, "li", "na", &cap));
  assert_false(tg__tables_common_name(t, "li", "ming", &cap));
  assert_false(tg__tables_common_name(t, "zhang", "weiming", &cap));
  tg__tables_free(t);
  const char *bad[] = {"zhang wei\n", "zhangwei\t\xe5\xbc\xa0\xe4\xbc\x9f\n", "Zhang wei\tx\n",
                       "zhang wei ming\tx\n", "@cap\t1.5\n", "@cap\tx\n"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) refused_with("common-han-names.tsv", bad[i]);
  tg_screener *pair;
  assert_int_equal(tg_screener_create(engine, &pair, NULL), TG_OK);
  char *js = NULL;
  assert_int_equal(tg_match(pair, "\xe5\xbc\xa0\xe4\xbc\x9f", "ZHANG, Wei", &js, NULL), TG_OK);
  json_t *j = json_loads(js, 0, NULL);
  assert_true(json_real_value(json_object_get(j, "score")) < TG_SCREEN_THRESHOLD);
  assert_non_null(json_object_get(j, "common_name"));
  json_decref(j);
  tg_free(js);
  assert_int_equal(tg_match(pair, "Zhang Weiming", "ZHANG, Weiming", &js, NULL), TG_OK);
  j = json_loads(js, 0, NULL);
  assert_true(json_real_value(json_object_get(j, "score")) >= TG_SCREEN_THRESHOLD);
  assert_null(json_object_get(j, "common_name"));
  json_decref(j);
  tg_free(js);
  tg_screener_destroy(pair);
}

/* titles.tsv, urdu-article.txt and the other word lists: the words load (an Arabic-script
 * title as its letter code, as the normaliser writes the word), and a
 * line that is not a normalised token, or an Arabic word without a letter
 * code, is refused at load, not ignored. */
static void test_title_tables(void **state) {
  (void)state;
  tg__tables *t = NULL;
  assert_int_equal(tg__tables_load(TG_DATA_DIR, &t, NULL), TG_OK);
  assert_true(tg__tables_title(t, "haji") && tg__tables_title(t, "mullah"));
  assert_true(tg__tables_title(t, "H'jy")); /* حاجي */
  assert_false(tg__tables_title(t, "hassan"));
  assert_true(tg__tables_honorific(t, "dr") && tg__tables_title(t, "dr")); /* honorifics.txt */
  assert_false(tg__tables_honorific(t, "haji")); /* a title that may be a name */
  assert_true(tg__tables_urdu_article(t, "haq"));
  assert_false(tg__tables_urdu_article(t, "hassan"));
  assert_true(tg__tables_kin(t, "abu") && tg__tables_kin(t, "bint")); /* kin-particles.txt */
  assert_false(tg__tables_kin(t, "al"));
  assert_true(tg__tables_not_called(t, "sayyed") && tg__tables_not_called(t, "abd"));
  assert_false(tg__tables_not_called(t, "ali"));
  tg__tables_free(t);
  const char *bad[] = {"Haji\n", "haji 2\n", "\xd8\xad\xd8\xa7\xd8\xac\tHaji\n", "abc\thaji\n"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    refused_with("titles.tsv", bad[i]);
    if (i < 2) refused_with("urdu-article.txt", bad[i]); /* it has no second column */
    if (i < 2) refused_with("honorifics.txt", bad[i]);
    if (i < 2) refused_with("kin-particles.txt", bad[i]);
    if (i < 2) refused_with("first-names-not-called.txt", bad[i]);
  }
}

/* korean-surname-latin.tsv: a spelling reads as its surname's others, a
 * spelling of two surnames as both's (song: 송 and 성), one letter is no
 * spelling (an initial); a line with capitals or no spellings is refused. */
static void test_korean_latin(void **state) {
  (void)state;
  tg__tables *t = NULL;
  assert_int_equal(tg__tables_load(TG_DATA_DIR, &t, NULL), TG_OK);
  const char *pak = tg__tables_korean_latin(t, "pak");
  assert_non_null(pak);
  assert_non_null(strstr(pak, "park"));
  const char *song = tg__tables_korean_latin(t, "song");
  assert_non_null(song);
  assert_non_null(strstr(song, "seong"));
  assert_null(tg__tables_korean_latin(t, "smith"));
  tg__tables_free(t);
  /* ... and one that would read as more spellings than a word's readings
   * hold: 8 on one line, or pak with 6 more than its own line's */
  const char *bad[] = {"\xeb\xb0\x95\tPark\n", "\xeb\xb0\x95\n", "\xeb\xb0\x95\tpa-rk\n",
                       "\xeb\xb0\x95\taa bb cc dd ee ff gg hh\n",
                       "\xeb\xb0\x95\tpak qa qb qc qd qe\n"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) refused_with("korean-surname-latin.tsv", bad[i]);
}

/* tg__russian_latin_alt: a word in Duden's German spelling of Russian (or
 * the French one) gets its BGN/PCGN spelling (-i, as German writes -ий,
 * also as -iy and -y); words that show neither spelling, or hold a letter
 * the system never writes, or read as Korean, get none. */
static void test_german_latin(void **state) {
  (void)state;
  char alt[TG__ALT_LEN];
  assert_true(tg__russian_latin_alt("chodorkowski", alt, sizeof alt));
  assert_string_equal(alt, "~khodorkovski khodorkovskiy khodorkovsky\t\t\t\t\t");
  assert_true(tg__russian_latin_alt("janukowitsch", alt, sizeof alt));
  assert_string_equal(alt, "~yanukovich\t\t\t\t\t");
  assert_true(tg__russian_latin_alt("chruschtschow", alt, sizeof alt));
  assert_string_equal(alt, "~khrushchov\t\t\t\t\t");
  assert_true(tg__russian_latin_alt("wassiljew", alt, sizeof alt)); /* ss is s, not z */
  assert_string_equal(alt, "~vasilyev\t\t\t\t\t");
  /* French: gu before e, j, -ine also as -in; ch, ou */
  assert_true(tg__russian_latin_alt("prigojine", alt, sizeof alt));
  assert_string_equal(alt, "~prigozhine prigozhin\t\t\t\t\t");
  assert_true(tg__russian_latin_alt("choigou", alt, sizeof alt));
  assert_string_equal(alt, "~shoigu\t\t\t\t\t");
  assert_false(tg__russian_latin_alt("chou", alt, sizeof alt)); /* Wade-Giles: too short */
  assert_false(tg__russian_latin_alt("charles", alt, sizeof alt)); /* ch alone is no mark */
  /* a German word that looks so reads too: only one more spelling */
  assert_true(tg__russian_latin_alt("schwarz", alt, sizeof alt));
  assert_string_equal(alt, "~shvarts\t\t\t\t\t");
  const char *none[] = {"wang",    /* w first only: pinyin */
                        "putin",   /* the same in both */
                        "jeong",   /* Korean: -ng */
                        "jaewon",  /* Korean: ae */
                        "whitney", /* h not after c: not Duden's */
                        "jong",    /* too short */
                        "xawier"}; /* x: not Duden's */
  for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
    assert_false(tg__russian_latin_alt(none[i], alt, sizeof alt));
    assert_string_equal(alt, "");
  }
  /* a word as long as a token may be gets no spelling past the buffer */
  char tiny[8];
  assert_false(tg__russian_latin_alt("chodorkowski", tiny, sizeof tiny));
}

/* tg__korean_same_syllable: spellings of one Hangul syllable meet (RR,
 * MR, the common ones), of two syllables do not, and a word that spells
 * no syllable is said so. */
static void test_korean_syllables(void **state) {
  (void)state;
  assert_int_equal(tg__korean_same_syllable("jong", "jeong"), 1); /* 정 */
  assert_int_equal(tg__korean_same_syllable("jong", "chong"), 1);
  assert_int_equal(tg__korean_same_syllable("jung", "jeong"), 1);
  assert_int_equal(tg__korean_same_syllable("woo", "u"), 1);       /* 우 */
  assert_int_equal(tg__korean_same_syllable("shin", "sin"), 1);    /* 신 */
  assert_int_equal(tg__korean_same_syllable("jong", "yong"), 0);   /* 정, 영 */
  assert_int_equal(tg__korean_same_syllable("yong", "yang"), 0);
  assert_int_equal(tg__korean_same_syllable("min", "ming"), 0);
  assert_int_equal(tg__korean_same_syllable("john", "jon"), -1);   /* -h: no syllable */
  assert_int_equal(tg__korean_same_syllable("park", "pak"), -1);
}

/* Built, kept, then loaded with the same answers; a corrupt, truncated or
 * stale file is never used (rebuilt, same answers) and is replaced. */
static void test_index_cache(void **state) {
  (void)state;
  char dir[] = "/tmp/tg-test-cache-XXXXXX", path[1024];
  assert_non_null(mkdtemp(dir));
  bool hit;
  tg_screener *built = cached_screener(dir, &hit);
  assert_false(hit);
  cache_file(dir, path, sizeof path);
  tg_screener *loaded = cached_screener(dir, &hit);
  assert_true(hit);
  same_answers(built, loaded);
  { /* each name's marks kept: a weak alias, an alias only (common_alias) */
    tg__index *a = tg__screener_acquire(built), *b = tg__screener_acquire(loaded);
    assert_int_equal(a->nnames, b->nnames);
    size_t aliases = 0;
    for (size_t i = 0; i < a->nnames; i++) {
      assert_int_equal(a->names[i].weak, b->names[i].weak);
      assert_int_equal(a->names[i].alias, b->names[i].alias);
      assert_int_equal(a->names[i].family2, b->names[i].family2);
      aliases += a->names[i].alias;
    }
    assert_true(aliases > 0 && aliases < a->nnames);
    tg__index_release(a);
    tg__index_release(b);
  }
  tg_screener_destroy(loaded);
  /* read whole, then damaged three ways */
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char good[1 << 22];
  size_t n = fread(good, 1, sizeof good, f);
  fclose(f);
  assert_true(n > 1000 && n < sizeof good);
  for (int how = 0; how < 4; how++) {
    f = fopen(path, "wb");
    assert_non_null(f);
    if (how == 0) { /* one flipped bit in the payload */
      good[n / 2] ^= 4;
      fwrite(good, 1, n, f);
      good[n / 2] ^= 4;
    } else if (how == 1) { /* truncated */
      fwrite(good, 1, n / 3, f);
    } else if (how == 2) { /* another key: other lists, code or tables */
      good[8] ^= 1;
      fwrite(good, 1, n, f);
      good[8] ^= 1;
    } else { /* empty */
    }
    fclose(f);
    tg_screener *s = cached_screener(dir, &hit);
    assert_false(hit); /* rebuilt */
    same_answers(built, s);
    tg_screener_destroy(s);
    s = cached_screener(dir, &hit); /* and the file replaced by a good one */
    assert_true(hit);
    tg_screener_destroy(s);
  }
  /* the parser on every prefix of the file, and with the wrong key */
  tg__index *ix;
  uint64_t key;
  memcpy(&key, good + 8, 8);
  for (size_t k = 0; k < n; k += k < 64 ? 1 : 997) {
    char *b = tg__malloc(k + 1);
    memcpy(b, good, k);
    assert_int_equal(tg__index_from_blob(built->tables, b, k, key, &ix, NULL), TG_EPARSE);
  }
  char *b = tg__malloc(n);
  memcpy(b, good, n);
  assert_int_equal(tg__index_from_blob(built->tables, b, n, key + 1, &ix, NULL), TG_EPARSE);
  b = tg__malloc(n);
  memcpy(b, good, n);
  assert_int_equal(tg__index_from_blob(built->tables, b, n, key, &ix, NULL), TG_OK);
  tg__index_release(ix);
  tg_screener_destroy(built);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void) {
  const struct CMUnitTest t[] = {
      cmocka_unit_test(test_sdn_merged),      cmocka_unit_test(test_reload_swap),
      cmocka_unit_test(test_normalize_latin), cmocka_unit_test(test_normalize_han),
      cmocka_unit_test(test_normalize_name_order),
      cmocka_unit_test(test_jaro_winkler),    cmocka_unit_test(test_osa_random),
      cmocka_unit_test(test_scoring),
      cmocka_unit_test(test_split_akas),      cmocka_unit_test(test_policy),
      cmocka_unit_test(test_screen_hits),     cmocka_unit_test(test_check_integration),
      cmocka_unit_test(test_index_cache),     cmocka_unit_test(test_rebuild_old_then_new),
      cmocka_unit_test(test_refweights),
      cmocka_unit_test(test_title_tables),      cmocka_unit_test(test_korean_latin), cmocka_unit_test(test_german_latin), cmocka_unit_test(test_korean_syllables),
      cmocka_unit_test(test_common_names)};
  return cmocka_run_group_tests(t, setup, teardown);
}
