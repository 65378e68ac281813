/* test_plot.c - the chart's regions come from the rules: every region
 * rectangle, mapped back to (TPP, PD), classifies to the ECCN it is drawn
 * with; the regions follow the date; each plotted chip sits where its
 * metrics put it. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tollgate.h"

static tg_engine *engine;

static int setup(void **state) {
  (void)state;
  return tg_engine_open(TG_SOURCE_DIR "/tests/fixtures/data", &engine, NULL) == TG_OK ? 0 : -1;
}
static int teardown(void **state) {
  (void)state;
  tg_engine_close(engine);
  return 0;
}

static double attr(const char *el, const char *name) {
  char key[40];
  snprintf(key, sizeof key, " %s=\"", name);
  const char *p = strstr(el, key);
  assert_non_null(p);
  return atof(p + strlen(key));
}

typedef struct axes {
  double tx0, tx1, py0, py1, ax, ay, aw, ah;
} axes;

static axes read_axes(const char *svg) {
  axes a;
  assert_int_equal(sscanf(strstr(svg, "data-tpp-range=\""), "data-tpp-range=\"%lf %lf", &a.tx0, &a.tx1), 2);
  assert_int_equal(sscanf(strstr(svg, "data-pd-range=\""), "data-pd-range=\"%lf %lf", &a.py0, &a.py1), 2);
  assert_int_equal(sscanf(strstr(svg, "data-plot-area=\""), "data-plot-area=\"%lf %lf %lf %lf", &a.ax,
                          &a.ay, &a.aw, &a.ah), 4);
  return a;
}

static const char *classify_at(double tpp, double pd, tg_date on, char out[32]) {
  tg_chip *c;
  assert_int_equal(tg_chip_create("probe", &c), TG_OK);
  tg_chip_set_number(c, "int8_tops", tpp / 8, "user");
  tg_chip_set_number(c, "die_area_mm2", tpp / pd, "user");
  tg_chip_set_number(c, "datacenter", 1, "user");
  tg_result *r;
  assert_int_equal(tg_classify(engine, c, on, &r, NULL), TG_OK);
  snprintf(out, 32, "%s", tg_result_eccn(r) ? tg_result_eccn(r) : "none");
  tg_result_destroy(r);
  tg_chip_destroy(c);
  return out;
}

static void test_regions_follow_rules(void **state) {
  (void)state;
  tg_date on;
  tg_date_parse("2025-01-01", &on);
  char *svg = tg_plot_svg(engine, on);
  assert_non_null(svg);
  assert_non_null(strstr(svg, "data-eccn=\"3A090.a\""));
  assert_non_null(strstr(svg, "data-eccn=\"3A090.b\""));
  axes a = read_axes(svg);
  int checked = 0;
  for (const char *p = strstr(svg, "<rect class=\"region\""); p; p = strstr(p + 1, "<rect class=\"region\"")) {
    char eccn[32], want[32];
    assert_int_equal(sscanf(p, "<rect class=\"region\" data-eccn=\"%31[^\"]", eccn), 1);
    double cx = attr(p, "x") + attr(p, "width") / 2, cy = attr(p, "y") + attr(p, "height") / 2;
    double tpp = a.tx0 * pow(a.tx1 / a.tx0, (cx - a.ax) / a.aw);
    double pd = a.py0 * pow(a.py1 / a.py0, (a.ay + a.ah - cy) / a.ah);
    assert_string_equal(eccn, classify_at(tpp, pd, on, want));
    checked++;
  }
  assert_true(checked > 10);
  tg_free(svg);
}

static void test_regions_follow_date(void **state) {
  (void)state;
  tg_date before;
  tg_date_parse("2023-01-01", &before); /* before the fixture rule set is effective */
  char *svg = tg_plot_svg(engine, before);
  assert_non_null(svg);
  assert_null(strstr(svg, "data-eccn=\"3A090"));
  assert_non_null(strstr(svg, "data-on=\"2023-01-01\""));
  tg_free(svg);
}

static void test_chips_are_points(void **state) {
  (void)state;
  tg_date on;
  tg_date_parse("2025-01-01", &on);
  char *svg = tg_plot_svg(engine, on);
  axes a = read_axes(svg);
  const tg_chip *h100 = tg_catalog_find(engine, "nv-h100-sxm");
  double tpp, pd;
  assert_int_equal(tg_chip_metric(h100, "tpp", &tpp), 1);
  assert_int_equal(tg_chip_metric(h100, "pd", &pd), 1);
  const char *p = strstr(svg, "data-chip=\"nv-h100-sxm\"");
  assert_non_null(p);
  double x = a.ax + log10(tpp / a.tx0) / log10(a.tx1 / a.tx0) * a.aw;
  double y = a.ay + a.ah - log10(pd / a.py0) / log10(a.py1 / a.py0) * a.ah;
  assert_true(fabs(attr(p, "cx") - x) < 0.01);
  assert_true(fabs(attr(p, "cy") - y) < 0.01);
  int n = 0, known = 0;
  for (const char *q = strstr(svg, "data-chip="); q; q = strstr(q + 1, "data-chip=")) n++;
  for (size_t i = 0; i < tg_catalog_count(engine); i++) {
    const tg_chip *c = tg_catalog_at(engine, i);
    known += tg_chip_metric(c, "tpp", &tpp) == 1 && tg_chip_metric(c, "pd", &pd) == 1 && tpp > 0 && pd > 0;
  }
  assert_int_equal(n, known);
  assert_null(tg_plot_svg(NULL, on));
  tg_free(svg);
}

int main(void) {
  const struct CMUnitTest t[] = {
      cmocka_unit_test(test_regions_follow_rules),
      cmocka_unit_test(test_regions_follow_date),
      cmocka_unit_test(test_chips_are_points),
  };
  return cmocka_run_group_tests(t, setup, teardown);
}
