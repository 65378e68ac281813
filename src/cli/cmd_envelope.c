/* cmd_envelope.c - `tollgate envelope` and `tollgate derate`: the design
 * envelope of a destination and date, and the cuts that bring a chip into
 * a goal region. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* --opt as a non-negative number into *v (unchanged when absent). */
static int opt_number(const cli_args *a, const char *opt, double *v) {
  const char *s = cli_get(a, opt);
  if (!s) return CLI_OK;
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (errno || end == s || *end || !(x >= 0) || x > 1e12)
    return cli_error(a, CLI_BADINPUT, "--%s: '%s' is not a non-negative number", opt, s);
  *v = x;
  return CLI_OK;
}

static int opt_yes_no(const cli_args *a, const char *opt, int *v) {
  const char *s = cli_get(a, opt);
  if (!s) return CLI_OK;
  if (!strcmp(s, "yes")) *v = 1;
  else if (!strcmp(s, "no")) *v = 0;
  else return cli_error(a, CLI_BADINPUT, "--%s: expected yes or no, got '%s'", opt, s);
  return CLI_OK;
}

static void print_bound(const char *name, json_t *b) {
  json_t *to = json_object_get(b, "to");
  printf(" %s %s%g, ", name, json_is_true(json_object_get(b, "from_closed")) ? "[" : "(",
         json_number_value(json_object_get(b, "from")));
  if (json_is_null(to)) printf("inf)");
  else printf("%g%s", json_number_value(to), json_is_true(json_object_get(b, "to_closed")) ? "]" : ")");
  const char *sides[] = {"from_rules", "to_rules"};
  for (int s = 0; s < 2; s++) {
    json_t *rs = json_object_get(b, sides[s]);
    if (!json_array_size(rs)) continue;
    printf(" %s", s ? "<" : ">");
    size_t i;
    json_t *r;
    json_array_foreach(rs, i, r) printf("%s%s", i ? "," : "", json_string_value(json_object_get(r, "rule")));
  }
}

static void print_envelope(json_t *env) {
  printf("Design envelope: to %s from %s on %s (datacenter %s, vendor %s)\n",
         json_string_value(json_object_get(env, "to")),
         json_string_value(json_object_get(env, "origin")),
         json_string_value(json_object_get(env, "on")),
         json_is_true(json_object_get(env, "datacenter")) ? "yes" : "no",
         json_is_string(json_object_get(env, "vendor"))
             ? json_string_value(json_object_get(env, "vendor"))
             : "not named by any rule");
  json_t *at = json_object_get(env, "attestations");
  printf("Attestations: %s\n", json_is_string(at) ? json_string_value(at)
                                                  : "none stated (--attest to give them)");
  json_t *h = json_object_get(env, "headline"), *d = json_object_get(h, "design");
  printf("\nLargest TPP for a die of %g mm2, memory %g GB/s, interconnect %g GB/s:\n",
         json_number_value(json_object_get(d, "die_area_mm2")),
         json_number_value(json_object_get(d, "memory_bw_gbs")),
         json_number_value(json_object_get(d, "io_bw_gbs")));
  const char *k;
  json_t *v;
  json_object_foreach(json_object_get(h, "largest_tpp"), k, v) {
    if (json_is_number(json_object_get(v, "tpp")))
      printf("  %-22s TPP %s %g\n", k, json_is_true(json_object_get(v, "attained")) ? "<=" : "<",
             json_number_value(json_object_get(v, "tpp")));
    else
      printf("  %-22s %s\n", k, json_string_value(json_object_get(v, "text")));
  }
  printf("\nAlong that line:\n");
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(h, "segments"), i, s) {
    json_t *to = json_object_get(s, "tpp_to");
    printf("  TPP %s%g, ", json_is_true(json_object_get(s, "from_closed")) ? "[" : "(",
           json_number_value(json_object_get(s, "tpp_from")));
    if (json_is_null(to)) printf("inf)");
    else printf("%g%s", json_number_value(to), json_is_true(json_object_get(s, "to_closed")) ? "]" : ")");
    printf("  %s\n", json_string_value(json_object_get(s, "outcome")));
  }
  printf("\nRegions (bounds: [closed, (open; >rule draws the lower edge, <rule the upper):\n");
  json_array_foreach(json_object_get(env, "regions"), i, s) {
    printf("  %-22s", json_string_value(json_object_get(s, "outcome")));
    const char *name;
    json_t *b;
    json_t *bounds = json_object_get(s, "bounds");
    if (!json_object_size(bounds)) printf(" everywhere");
    json_object_foreach(bounds, name, b) print_bound(name, b);
    printf("\n");
  }
  json_array_foreach(json_object_get(env, "assumptions"), i, s)
    printf("%s%s\n", i ? "  " : "\nAssumptions:\n  ", json_string_value(s));
}

int cmd_envelope(int argc, char **argv) {
  static const cli_optdef defs[] = {{"on", true},        {"to", true},        {"hq", true},
                                    {"from", true},      {"vendor", true},    {"datacenter", true},
                                    {"die-area", true},  {"memory-bw", true}, {"io-bw", true},
                                    {"attest", true},    {"end-use", true},   CLI_ORIGIN_OPTS,
                                    {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "envelope", argc, argv, defs)) return CLI_BADINPUT;
  tg_envelope_opts o;
  tg_envelope_opts_init(&o);
  int rc;
  if ((rc = cli_date(&a, "on", &o.on)) || (rc = opt_yes_no(&a, "datacenter", &o.datacenter)) ||
      (rc = opt_number(&a, "die-area", &o.die_area_mm2)) ||
      (rc = opt_number(&a, "memory-bw", &o.memory_bw_gbs)) ||
      (rc = opt_number(&a, "io-bw", &o.io_bw_gbs)))
    return rc;
  if (cli_get(&a, "to")) o.dest = cli_get(&a, "to");
  o.hq = cli_get(&a, "hq");
  o.origin = cli_get(&a, "from");
  o.vendor = cli_get(&a, "vendor");
  o.attestations = cli_get(&a, "attest");
  o.end_use = cli_get(&a, "end-use");
  tg_scenario facts; /* --made-in, --us-content, --direct-product */
  if ((rc = cli_scenario(&a, &facts))) return rc;
  o.made_in = facts.made_in;
  o.us_content_pct = facts.us_content_pct;
  o.direct_product = facts.direct_product;
  tg_engine *e;
  if ((rc = cli_engine(&a, &e))) return rc;
  tg_error err = {0};
  char *js = NULL;
  tg_status st = tg_envelope_json(e, &o, &js, &err);
  rc = cli_emit(&a, st, &err, js, print_envelope);
  tg_engine_close(e);
  return rc;
}

static void print_derate(json_t *d) {
  json_t *cur = json_object_get(d, "current");
  printf("%s (%s) to %s on %s: now %s (TPP %g, memory %g GB/s, interconnect %g GB/s)\n",
         json_string_value(json_object_get(d, "chip_name")),
         json_string_value(json_object_get(d, "chip")), json_string_value(json_object_get(d, "to")),
         json_string_value(json_object_get(d, "on")),
         json_string_value(json_object_get(cur, "outcome")),
         json_number_value(json_object_get(cur, "tpp")),
         json_number_value(json_object_get(cur, "memory_bw_gbs")),
         json_number_value(json_object_get(cur, "io_bw_gbs")));
  json_t *alts = json_object_get(d, "alternatives");
  printf("goal %s: %zu alternative%s\n", json_string_value(json_object_get(d, "goal")),
         json_array_size(alts), json_array_size(alts) == 1 ? "" : "s");
  size_t i, k;
  json_t *a, *c;
  json_array_foreach(alts, i, a) {
    printf("  %zu. ", i + 1);
    json_t *cuts = json_object_get(a, "cuts");
    if (!json_array_size(cuts)) printf("no cut needed");
    json_array_foreach(cuts, k, c)
      printf("%s%s %g -> %s%g (-%.1f%%)", k ? ", " : "", json_string_value(json_object_get(c, "metric")),
             json_number_value(json_object_get(c, "from")),
             json_is_true(json_object_get(c, "strictly_below")) ? "< " : "",
             json_number_value(json_object_get(c, "to")), json_number_value(json_object_get(c, "percent")));
    json_t *chk = json_object_get(a, "direct_check");
    printf("  => %s (direct check: %s)\n", json_string_value(json_object_get(a, "outcome")),
           json_is_true(json_object_get(chk, "agrees")) ? "agrees" : "DISAGREES");
  }
  json_array_foreach(json_object_get(d, "rejected_by_direct_check"), i, a)
    printf("  rejected: the envelope says %s, but the direct check says %s (a rule names this product)\n",
           json_string_value(json_object_get(a, "outcome")),
           json_string_value(json_object_get(json_object_get(a, "direct_check"), "outcome")));
  printf("%s\n", json_string_value(json_object_get(d, "note")));
  cli_print_assumptions(d);
}

int cmd_derate(int argc, char **argv) {
  static const cli_optdef defs[] = {{"on", true},   {"to", true},   CLI_SCENARIO_OPTS,
                                    {"from", true}, {"goal", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "derate", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos != 1)
    return cli_error(&a, CLI_BADINPUT, "usage: tollgate derate CHIP --to CC [--on DATE] [--goal no_license_required|case_by_case] [--end-use U] [--attest LIST]");
  tg_date on;
  tg_scenario sc;
  int rc = cli_date(&a, "on", &on);
  if (rc || (rc = cli_scenario(&a, &sc))) return rc;
  if (cli_get(&a, "from")) sc.origin = cli_get(&a, "from"); /* the older name of --origin */
  tg_engine *e;
  if ((rc = cli_engine(&a, &e))) return rc;
  const tg_chip *c;
  tg_chip *owned = NULL;
  if ((rc = cli_scenario_chip(&a, e, a.pos[0], &c, &owned)) == CLI_OK) {
    tg_error err = {0};
    char *js = NULL;
    tg_status st = tg_derate_json(e, c, on, &sc, cli_get(&a, "goal"), &js, &err);
    rc = cli_emit(&a, st, &err, js, print_derate);
  }
  tg_chip_destroy(owned);
  tg_engine_close(e);
  return rc;
}
