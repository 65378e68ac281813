/* cmd_capability.c - `tollgate capability CHIP` (compute, memory and
 * roofline estimates with their formulas) and `tollgate compare` (the best
 * chips shippable to a destination for a task). */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int capability_opts(const cli_args *a, tg_capability_opts *o) {
  tg_capability_opts_init(o);
  const char *opts[] = {"model-params", "utilization"};
  double *dst[] = {&o->model_params, &o->utilization};
  for (int i = 0; i < 2; i++) {
    const char *s = cli_get(a, opts[i]);
    if (!s) continue;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
      return cli_error(a, CLI_BADINPUT, "--%s: '%s' is not a number", opts[i], s);
    *dst[i] = v;
  }
  if (cli_get(a, "precision")) o->precision = cli_get(a, "precision");
  return CLI_OK;
}

static const char *s_of(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : "-";
}

static void print_fig(const char *label, json_t *f) {
  json_t *v = json_object_get(f, "value");
  if (json_is_number(v)) printf("  %-22s %g %s [%s]\n", label, json_number_value(v), s_of(f, "unit"), s_of(f, "confidence"));
  else printf("  %-22s %s\n", label, s_of(f, "confidence"));
}

static void print_capability(json_t *c) {
  printf("%s (%s)\n", s_of(c, "chip_name"), s_of(c, "chip"));
  size_t i;
  json_t *f;
  json_array_foreach(json_object_get(c, "compute"), i, f) print_fig(s_of(f, "precision"), f);
  print_fig("memory", json_object_get(c, "memory_gb"));
  print_fig("memory bandwidth", json_object_get(c, "memory_bw_gbs"));
  print_fig("interconnect", json_object_get(c, "interconnect_gbs"));
  json_t *m = json_object_get(c, "model");
  printf("\nEstimates for a %g-parameter model at %s:\n", json_number_value(json_object_get(m, "parameters")),
         s_of(m, "precision"));
  const char *k;
  json_t *e;
  json_object_foreach(json_object_get(c, "estimates"), k, e) {
    json_t *v = json_object_get(e, "value");
    if (json_is_number(v)) printf("  %-24s %.4g %s [%s]\n", k, json_number_value(v), s_of(e, "unit"), s_of(e, "confidence"));
    else printf("  %-24s unknown (an input is missing)\n", k);
    printf("      = %s\n      source: %s\n", s_of(e, "formula"), s_of(e, "source"));
  }
  printf("\nAssumptions:\n");
  json_array_foreach(json_object_get(c, "assumptions"), i, f) printf("  - %s\n", json_string_value(f));
}

#define CAP_OPTS {"model-params", true}, {"precision", true}, {"utilization", true}

int cmd_capability(int argc, char **argv) {
  static const cli_optdef defs[] = {CAP_OPTS, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "capability", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos != 1)
    return cli_error(&a, CLI_BADINPUT, "usage: tollgate capability CHIP [--model-params 70e9] [--precision fp8] [--utilization 0.4]");
  tg_capability_opts o;
  int rc = capability_opts(&a, &o);
  if (rc) return rc;
  tg_engine *e;
  if ((rc = cli_engine(&a, &e))) return rc;
  const tg_chip *c;
  tg_chip *owned = NULL;
  if ((rc = cli_chip(&a, e, a.pos[0], &c, &owned)) == CLI_OK) {
    tg_error err = {0};
    char *js = NULL;
    tg_status st = tg_capability_json(c, &o, &js, &err);
    rc = cli_emit(&a, st, &err, js, print_capability);
  }
  tg_chip_destroy(owned);
  tg_engine_close(e);
  return rc;
}

static void print_rows(const char *title, json_t *rows, json_t *ref) {
  printf("\n%s:\n", title);
  size_t i;
  json_t *r;
  json_array_foreach(rows, i, r) {
    json_t *v = json_object_get(r, "tokens_per_s"), *m = json_object_get(r, "to_match_reference");
    printf("  %-16s %-28s ", s_of(r, "chip"), json_is_string(json_object_get(r, "review_policy"))
                                                  ? s_of(r, "review_policy") : s_of(r, "verdict"));
    if (json_is_number(v)) printf("%10.4g tokens/s  x%-5g to match %lld %s\n", json_number_value(v),
                                  json_is_number(m) ? json_number_value(m) : NAN,
                                  (long long)json_integer_value(json_object_get(ref, "count")), s_of(ref, "chip"));
    else printf("%10s\n", "unknown");
  }
}

static void print_compare(json_t *c) {
  json_t *m = json_object_get(c, "model"), *ref = json_object_get(c, "reference");
  printf("Best chips for %s to %s on %s (%g-parameter model at %s, utilization %g):\n", s_of(c, "task"),
         s_of(c, "to"), s_of(c, "on"), json_number_value(json_object_get(m, "parameters")), s_of(m, "precision"),
         json_number_value(json_object_get(m, "utilization")));
  print_rows("Shippable (no license, or a license exception)", json_object_get(c, "shippable"), ref);
  print_rows("License required", json_object_get(c, "license_required"), ref);
  printf("\n%s\n", s_of(c, "note"));
}

int cmd_compare(int argc, char **argv) {
  static const cli_optdef defs[] = {CAP_OPTS,        {"to", true},    {"on", true},
                                    {"hq", true},    {"task", true},  {"reference", true},
                                    {"count", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "compare", argc, argv, defs)) return CLI_BADINPUT;
  tg_compare_opts o = {0};
  int rc = capability_opts(&a, &o.capability);
  if (rc || (rc = cli_date(&a, "on", &o.on))) return rc;
  long long count = 1;
  if ((rc = cli_parse_int64(&a, "count", &count))) return rc;
  o.dest = cli_get(&a, "to") ? cli_get(&a, "to") : "CN";
  o.hq = cli_get(&a, "hq");
  o.task = cli_get(&a, "task") ? cli_get(&a, "task") : "inference";
  o.reference = cli_get(&a, "reference");
  o.reference_count = count;
  tg_engine *e;
  if ((rc = cli_engine(&a, &e))) return rc;
  tg_error err = {0};
  char *js = NULL;
  tg_status st = tg_compare_json(e, &o, &js, &err);
  rc = cli_emit(&a, st, &err, js, print_compare);
  tg_engine_close(e);
  return rc;
}
