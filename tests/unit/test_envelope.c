/* test_envelope.c - property test of the design envelope (src/lib/
 * envelope*.c): random designs, each checked directly with tg_check, must
 * fall in exactly one region of tg_envelope_json and that region's outcome
 * must be tg_check's.  100,000 samples over several dates, destinations,
 * vendors, the datacenter flag and the origin facts (made in, US content,
 * direct product) (TG_PROPERTY_SAMPLES overrides; builds
 * with AddressSanitizer default to 4,000 since each check is ~10x slower).
 * A third of the samples sit exactly on a threshold. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "tollgate.h"

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_SAMPLES 4000
#else
#define DEFAULT_SAMPLES 100000
#endif

typedef struct config {
  const char *on, *dest, *vendor;
  int datacenter;
  /* the subject-to-the-EAR facts (NULL / 0: not stated, exported from the US) */
  const char *origin, *made_in, *direct_product;
  double us_content_pct; /* used when made_in is set */
} config;

static const config configs[] = {
#define US_MADE NULL, NULL, NULL, 0
    {"2022-11-01", "CN", NULL, 1, US_MADE},     {"2023-12-01", "CN", NULL, 1, US_MADE},
    {"2023-12-01", "SA", NULL, 1, US_MADE},     {"2024-06-01", "MO", "NVIDIA", 0, US_MADE},
    {"2025-01-01", "CN", NULL, 0, US_MADE},     {"2025-06-01", "CN", "NVIDIA", 1, US_MADE},
    {"2026-02-01", "CN", NULL, 1, US_MADE},     {"2026-02-01", "CN", "NVIDIA", 1, US_MADE},
    {"2026-02-01", "AE", "NVIDIA", 1, US_MADE}, {"2026-02-01", "FR", NULL, 1, US_MADE},
    /* exported from Malaysia: made in Taiwan as a direct product of US
     * technology, or with 5% US content and no direct product; and with
     * none of the three stated (answers resting on them undetermined) */
    {"2026-02-01", "CN", NULL, 1, "MY", "TW", "technology", -1},
    {"2025-06-01", "CN", "NVIDIA", 1, "MY", "TW", "none", 5},
    {"2024-06-01", "CN", NULL, 1, "MY", NULL, NULL, 0},
};
/* An order of configuration ci (the facts tg_envelope_opts states too). */
static void order_of(size_t ci, tg_order *o) {
  o->dest = configs[ci].dest;
  o->hq = configs[ci].dest;
  o->end_use = "none";
  o->origin = configs[ci].origin;
  o->made_in = configs[ci].made_in;
  o->direct_product = configs[ci].direct_product;
  o->us_content_pct = configs[ci].made_in ? configs[ci].us_content_pct : -1;
}
#define NCONFIG (sizeof configs / sizeof *configs)

static const char *const axes[5] = {"tpp", "pd", "memory_bw_gbs", "io_bw_gbs",
                                    "memory_plus_io_bw_gbs"};

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static double uniform(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}

/* A threshold of the axis, or a random value up to `max`. */
static double pick(json_t *env, const char *axis, double max) {
  json_t *t = json_object_get(json_object_get(json_object_get(env, "axes"), axis), "thresholds");
  if (json_array_size(t) && uniform() < 0.33)
    return json_number_value(
        json_object_get(json_array_get(t, (size_t)(uniform() * json_array_size(t))), "value"));
  return uniform() < 0.5 ? uniform() * max : exp(uniform() * log(max + 1)) - 1;
}

static bool inside(json_t *b, double v) {
  if (!b) return true;
  double from = json_number_value(json_object_get(b, "from"));
  json_t *to = json_object_get(b, "to");
  if (v < from || (v == from && !json_is_true(json_object_get(b, "from_closed")))) return false;
  if (json_is_null(to)) return true;
  double t = json_number_value(to);
  return v < t || (v == t && json_is_true(json_object_get(b, "to_closed")));
}

static const char *check_class(const tg_result *r) {
  if (tg_result_verdict(r) == TG_LICENSE_REQUIRED) return tg_result_review_policy(r);
  return tg_verdict_name(tg_result_verdict(r));
}

static tg_chip *design(size_t ci, const double p[4], double area) {
  tg_chip *c;
  assert_int_equal(tg_chip_create("edge-sample", &c), TG_OK);
  assert_int_equal(tg_chip_set_text(c, "item_type", "ic"), TG_OK);
  assert_int_equal(tg_chip_set_text(c, "vendor", configs[ci].vendor ? configs[ci].vendor : "(another vendor)"), TG_OK);
  assert_int_equal(tg_chip_set_number(c, "int8_tops", p[0] / 8, NULL), TG_OK);
  assert_int_equal(tg_chip_set_number(c, "die_area_mm2", area, NULL), TG_OK);
  assert_int_equal(tg_chip_set_number(c, "memory_bw_gbs", p[2], NULL), TG_OK);
  assert_int_equal(tg_chip_set_number(c, "interconnect_gbs", p[3], NULL), TG_OK);
  assert_int_equal(tg_chip_set_number(c, "datacenter", configs[ci].datacenter, NULL), TG_OK);
  return c;
}

/* tg_check of the design at point (tpp, pd, memory, interconnect) in
 * configuration ci; the caller destroys *r.  The density is TPP / die
 * area, so the area is nudged (by the last bit) until the chip's own
 * density is on side `side` of `at` (-1 below: < or <= as `closed`; +1
 * above; 0 any); p[1] becomes the chip's density. */
static void check_point(const tg_engine *e, size_t ci, tg_date on, double p[4], int side, double at,
                        bool closed, tg_result **r) {
  double area = p[0] / p[1], pd;
  tg_chip *c = design(ci, p, area);
  for (int tries = 0; tries < 64; tries++) {
    assert_int_equal(tg_chip_metric(c, "pd", &pd), 1);
    bool ok = side == 0 || (side < 0 ? (closed ? pd <= at : pd < at) : (closed ? pd >= at : pd > at));
    if (ok) break;
    tg_chip_destroy(c);
    area = nextafter(area, side < 0 ? INFINITY : 0);
    c = design(ci, p, area);
  }
  p[1] = pd;
  tg_order o;
  tg_order_init(&o);
  o.chip = c;
  o.on = on;
  order_of(ci, &o);
  assert_int_equal(tg_check(e, &o, r, NULL), TG_OK);
  tg_chip_destroy(c);
}

/* Whether the envelope outcome object `out` is the check's answer. */
static bool same_outcome(json_t *out, const tg_result *r) {
  json_t *exc = json_object_get(out, "exception");
  const char *rexc = tg_result_exception(r);
  return !strcmp(check_class(r), json_string_value(json_object_get(out, "class"))) &&
         (rexc ? json_is_string(exc) && !strcmp(rexc, json_string_value(exc)) : !json_is_string(exc)) &&
         json_is_true(json_object_get(out, "undetermined")) == (tg_result_undetermined(r) != 0);
}

static json_t *open_envelope(const tg_engine *e, size_t i, tg_date *on) {
  tg_envelope_opts o;
  tg_envelope_opts_init(&o);
  assert_int_equal(tg_date_parse(configs[i].on, &o.on), TG_OK);
  *on = o.on;
  o.dest = configs[i].dest;
  o.hq = configs[i].dest;
  o.end_use = "none";
  o.origin = configs[i].origin;
  o.made_in = configs[i].made_in;
  o.direct_product = configs[i].direct_product;
  o.us_content_pct = configs[i].made_in ? configs[i].us_content_pct : -1;
  o.vendor = configs[i].vendor;
  o.datacenter = configs[i].datacenter;
  char *js = NULL;
  tg_error err = {0};
  assert_int_equal(tg_envelope_json(e, &o, &js, &err), TG_OK);
  json_t *env = json_loads(js, 0, NULL);
  assert_non_null(env);
  tg_free(js);
  return env;
}

static int axis_of(const char *name) {
  for (int a = 0; a < 5; a++)
    if (!strcmp(axes[a], name)) return a;
  fail_msg("unknown axis %s", name);
  return -1;
}

static void point_of(json_t *j, double p[5]) {
  for (int a = 0; a < 4; a++) p[a] = json_number_value(json_object_get(j, axes[a]));
  p[4] = p[2] + p[3];
}

/* Every edge of every envelope is a real change of outcome: a point on
 * each side (the edge's own witnesses, and the same points moved to the
 * threshold itself and just across it), each inside the edge's extent,
 * checked directly with tg_check, gives the outcome the edge names on that
 * side, and the two sides differ. */
static void edges_are_real_changes(void **state) {
  const tg_engine *e = *state;
  size_t edges = 0, checks = 0, near = 0;
  for (size_t ci = 0; ci < NCONFIG; ci++) {
    tg_date on;
    json_t *env = open_envelope(e, ci, &on);
    json_t *outs = json_object_get(env, "outcomes");
    size_t i;
    json_t *ed;
    json_array_foreach(json_object_get(env, "edges"), i, ed) {
      int a = axis_of(json_string_value(json_object_get(ed, "axis")));
      double at = json_number_value(json_object_get(ed, "at"));
      bool goes_below = !strcmp(json_string_value(json_object_get(ed, "point_goes")), "below");
      json_t *ob = json_array_get(outs, (size_t)json_integer_value(json_object_get(ed, "below_id")));
      json_t *oa = json_array_get(outs, (size_t)json_integer_value(json_object_get(ed, "above_id")));
      assert_true(ob && oa && ob != oa);
      assert_non_null(json_object_get(ed, "below_point"));
      double pts[4][5];
      point_of(json_object_get(ed, "below_point"), pts[0]);
      point_of(json_object_get(ed, "above_point"), pts[1]);
      /* the same points moved onto the threshold and just across it */
      memcpy(pts[2], pts[0], sizeof pts[0]);
      memcpy(pts[3], pts[1], sizeof pts[1]);
      int npts = 2;
      if (a < 4) {
        pts[2][a] = goes_below ? at : nextafter(at, 0);
        pts[3][a] = goes_below ? nextafter(at, INFINITY) : at;
        pts[2][4] = pts[2][2] + pts[2][3];
        pts[3][4] = pts[3][2] + pts[3][3];
        npts = 4;
      }
      for (int k = 0; k < npts; k++) {
        bool above = k % 2;
        tg_result *r;
        /* a density point near the threshold keeps its side (see check_point) */
        int side = a == 1 && k >= 2 ? (above ? 1 : -1) : 0;
        check_point(e, ci, on, pts[k], side, at, above ? !goes_below : goes_below, &r);
        double v = pts[k][a];
        if (above ? (goes_below ? !(v > at) : !(v >= at)) : (goes_below ? !(v <= at) : !(v < at)))
          fail_msg("%s: edge %s = %g: point %d (%.17g) is on the wrong side", configs[ci].on,
                   axes[a], at, k, v);
        bool in = pts[k][0] > 0 && pts[k][1] > 0;
        const char *name;
        json_t *b;
        json_object_foreach(json_object_get(ed, "where"), name, b) in = in && inside(b, pts[k][axis_of(name)]);
        if (k < 2 && !in) fail_msg("%s: edge %s = %g: its witness %d is outside its extent", configs[ci].on, axes[a], at, k);
        if (!in) { /* moving onto the threshold left the sum's cell */
          tg_result_destroy(r);
          continue;
        }
        if (!same_outcome(above ? oa : ob, r))
          fail_msg("%s to %s: edge %s = %g: tpp %g pd %.17g mem %g io %g: check says %s, the edge %s says %s",
                   configs[ci].on, configs[ci].dest, axes[a], at, pts[k][0], pts[k][1], pts[k][2],
                   pts[k][3], check_class(r), above ? "above" : "below",
                   json_string_value(json_object_get(above ? oa : ob, "class")));
        if (k == 0 && same_outcome(oa, r))
          fail_msg("%s: edge %s = %g: both sides give the same answer", configs[ci].on, axes[a], at);
        tg_result_destroy(r);
        checks++;
        near += k >= 2;
      }
      edges++;
    }
    json_decref(env);
  }
  print_message("%zu edges, %zu direct checks (%zu at the threshold itself) agree\n", edges, checks, near);
  assert_true(edges > 50);
}

static void envelope_agrees_with_checks(void **state) {
  const tg_engine *e = *state;
  json_t *envs[NCONFIG];
  tg_date dates[NCONFIG];
  for (size_t i = 0; i < NCONFIG; i++) envs[i] = open_envelope(e, i, &dates[i]);
  const char *s = getenv("TG_PROPERTY_SAMPLES");
  long n = s ? atol(s) : DEFAULT_SAMPLES;
  long on_threshold = 0;
  for (long k = 0; k < n; k++) {
    size_t ci = (size_t)k % NCONFIG;
    json_t *env = envs[ci];
    double tpp = pick(env, "tpp", 40000), mem = pick(env, "memory_bw_gbs", 12000),
           io = pick(env, "io_bw_gbs", 2500);
    double area = 20 + uniform() * 1500;
    if (uniform() < 0.33) { /* a density threshold, through the die area */
      double pd = pick(env, "pd", 40);
      if (pd > 0 && tpp > 0) area = tpp / pd;
    }
    tg_chip *c;
    assert_int_equal(tg_chip_create("sample", &c), TG_OK);
    assert_int_equal(tg_chip_set_text(c, "item_type", "ic"), TG_OK);
    assert_int_equal(tg_chip_set_text(c, "vendor", configs[ci].vendor ? configs[ci].vendor
                                                                      : "(another vendor)"),
                     TG_OK);
    assert_int_equal(tg_chip_set_number(c, "int8_tops", tpp / 8, NULL), TG_OK);
    assert_int_equal(tg_chip_set_number(c, "die_area_mm2", area, NULL), TG_OK);
    assert_int_equal(tg_chip_set_number(c, "memory_bw_gbs", mem, NULL), TG_OK);
    assert_int_equal(tg_chip_set_number(c, "interconnect_gbs", io, NULL), TG_OK);
    assert_int_equal(tg_chip_set_number(c, "datacenter", configs[ci].datacenter, NULL), TG_OK);
    double p[5];
    assert_int_equal(tg_chip_metric(c, "tpp", &p[0]), 1);
    assert_int_equal(tg_chip_metric(c, "pd", &p[1]), 1);
    p[2] = mem;
    p[3] = io;
    p[4] = mem + io;
    tg_order o;
    tg_order_init(&o);
    o.chip = c;
    o.on = dates[ci];
    order_of(ci, &o);
    tg_result *r;
    assert_int_equal(tg_check(e, &o, &r, NULL), TG_OK);
    json_t *hit = NULL;
    int hits = 0;
    size_t i;
    json_t *reg;
    json_array_foreach(json_object_get(env, "regions"), i, reg) {
      json_t *b = json_object_get(reg, "bounds");
      bool in = true;
      for (int a = 0; a < 5 && in; a++) in = inside(json_object_get(b, axes[a]), p[a]);
      if (in) hit = reg, hits++;
    }
    if (hits != 1)
      fail_msg("%s to %s: tpp %g pd %g mem %g io %g lies in %d regions", configs[ci].on,
               configs[ci].dest, p[0], p[1], mem, io, hits);
    json_t *out = json_array_get(json_object_get(env, "outcomes"),
                                 (size_t)json_integer_value(json_object_get(hit, "outcome_id")));
    const char *want = check_class(r), *got = json_string_value(json_object_get(out, "class"));
    json_t *exc = json_object_get(out, "exception");
    const char *rexc = tg_result_exception(r);
    if (strcmp(want, got) != 0 || (rexc && (!json_is_string(exc) || strcmp(rexc, json_string_value(exc)))) ||
        json_is_true(json_object_get(out, "undetermined")) != (tg_result_undetermined(r) != 0)) {
      char *rj = tg_result_json(r);
      json_t *rd = rj ? json_loads(rj, 0, NULL) : NULL;
      char *why = rd ? json_dumps(json_object_get(rd, "undetermined"), JSON_COMPACT) : NULL;
      print_message("check undetermined %d, envelope undetermined %d; check's open points: %s\n",
                    tg_result_undetermined(r) != 0,
                    json_is_true(json_object_get(out, "undetermined")), why ? why : "-");
      free(why);
      json_decref(rd);
      tg_free(rj);
      fail_msg("%s to %s (vendor %s, datacenter %d): tpp %g pd %g mem %g io %g: check says %s "
               "(%s), envelope %s (%s)",
               configs[ci].on, configs[ci].dest, configs[ci].vendor ? configs[ci].vendor : "-",
               configs[ci].datacenter, p[0], p[1], mem, io, want, rexc ? rexc : "-", got,
               json_is_string(exc) ? json_string_value(exc) : "-");
    }
    for (int a = 0; a < 4; a++) {
      json_t *t = json_object_get(json_object_get(json_object_get(env, "axes"), axes[a]), "thresholds");
      json_t *th;
      size_t j;
      json_array_foreach(t, j, th) on_threshold += p[a] == json_number_value(json_object_get(th, "value"));
    }
    tg_result_destroy(r);
    tg_chip_destroy(c);
  }
  print_message("%ld designs checked, %ld coordinates exactly on a threshold\n", n, on_threshold);
  assert_true(n < 100 || on_threshold > n / 10);
  for (size_t i = 0; i < NCONFIG; i++) json_decref(envs[i]);
}

/* Every catalog chip with exact figures, derated towards each goal on
 * several dates: each alternative, applied to the chip, is confirmed by
 * tg_check (direct_check.agrees), its cuts are real cuts, and the chip's
 * current outcome is tg_check's. */
static void derate_agrees_with_checks(void **state) {
  const tg_engine *e = *state;
  static const char *const dates[] = {"2023-12-01", "2025-06-01", "2026-02-01"};
  static const char *const goals[] = {"no_license_required", "license_exception", "case_by_case"};
  size_t alts = 0, chips = 0;
  for (size_t ci = 0; ci < tg_catalog_count(e); ci++) {
    const tg_chip *c = tg_catalog_at(e, ci);
    for (size_t di = 0; di < 3; di++)
      for (size_t gi = 0; gi < 3; gi++) {
        tg_date on;
        assert_int_equal(tg_date_parse(dates[di], &on), TG_OK);
        char *js = NULL;
        tg_error err = {0};
        tg_scenario sc;
        tg_scenario_init(&sc);
        sc.dest = sc.hq = "CN";
        tg_status st = tg_derate_json(e, c, on, &sc, goals[gi], &js, &err);
        if (st == TG_EINVAL) {
          assert_non_null(strstr(err.message, tg_chip_id(c)));
          continue;
        }
        assert_int_equal(st, TG_OK);
        chips++;
        json_t *d = json_loads(js, 0, NULL);
        tg_free(js);
        tg_order o;
        tg_order_init(&o);
        o.chip = c;
        o.on = on;
        o.dest = "CN";
        o.hq = "CN";
        o.end_use = "none";
        tg_result *r;
        assert_int_equal(tg_check(e, &o, &r, NULL), TG_OK);
        const char *now = json_string_value(json_object_get(json_object_get(d, "current"), "outcome"));
        assert_string_equal(now, check_class(r));
        tg_result_destroy(r);
        size_t i, k;
        json_t *a, *cut;
        json_array_foreach(json_object_get(d, "alternatives"), i, a) {
          alts++;
          if (!json_is_true(json_object_get(json_object_get(a, "direct_check"), "agrees")))
            fail_msg("%s on %s, goal %s: alternative %zu not confirmed by tg_check", tg_chip_id(c),
                     dates[di], goals[gi], i + 1);
          json_array_foreach(json_object_get(a, "cuts"), k, cut) {
            /* a real cut: below the current figure, or to just below a
             * threshold the chip sits on (the H20 trigger's 900 GB/s is the
             * H100's own interconnect figure) */
            double to = json_number_value(json_object_get(cut, "to")),
                   from = json_number_value(json_object_get(cut, "from"));
            if (!(to < from || (to == from && json_is_true(json_object_get(cut, "strictly_below")))))
              fail_msg("%s on %s, goal %s: alternative %zu cuts %s from %g to %g", tg_chip_id(c),
                       dates[di], goals[gi], i + 1,
                       json_string_value(json_object_get(cut, "metric")),
                       json_number_value(json_object_get(cut, "from")),
                       json_number_value(json_object_get(cut, "to")));
            assert_true(json_number_value(json_object_get(cut, "percent")) > 0);
          }
        }
        bool named = strstr(tg_chip_id(c), "h20") || strstr(tg_chip_id(c), "mi308") ||
                     strstr(tg_chip_id(c), "h200");
        if (json_array_size(json_object_get(d, "rejected_by_direct_check")) && !named)
          fail_msg("%s on %s: an alternative was rejected by the direct check but no rule names it",
                   tg_chip_id(c), dates[di]);
        json_decref(d);
      }
  }
  print_message("%zu derate answers, %zu alternatives confirmed by direct checks\n", chips, alts);
  assert_true(alts > 100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(edges_are_real_changes),
      cmocka_unit_test(envelope_agrees_with_checks),
      cmocka_unit_test(derate_agrees_with_checks),
  };
  return cmocka_run_group_tests(tests, tgt_open_engine, tgt_close_engine);
}
