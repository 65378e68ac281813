/* cmd_timeline.c - what changed, and when: `tollgate timeline CHIP`,
 * `tollgate diff --from D1 --until D2` and `tollgate rules --changes`. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define START_DATE "2022-10-01" /* the first advanced-computing rule: 2022-10-07 */

static const char *s_of(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : "-";
}

static void print_state(json_t *s) {
  printf("%-20s ECCN %-8s", s_of(s, "class"), s_of(s, "eccn"));
  if (json_is_string(json_object_get(s, "exception"))) printf(" exception %s", s_of(s, "exception"));
  json_t *rate = json_object_get(s, "payment_rate");
  if (json_is_number(rate)) printf(" payment %g%%", json_number_value(rate) * 100);
  if (json_is_true(json_object_get(s, "undetermined"))) printf(" (undetermined: give --hq)");
}

static void print_causes(json_t *step) {
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(step, "caused_by"), i, c)
    printf("%s%s %s", i ? "; " : "\n                by ", s_of(c, "rule_set"), s_of(c, "event"));
}

/* The period: --NAME1 (default 2022-10-01) and --NAME2 (default today). */
static int period(const cli_args *a, const char *o1, const char *o2, tg_date *d1, tg_date *d2) {
  tg_date_parse(START_DATE, d1);
  if (cli_get(a, o1)) {
    int rc = cli_date(a, o1, d1);
    if (rc) return rc;
  }
  return cli_date(a, o2, d2);
}

static void print_timeline(json_t *t) {
  printf("%s (%s) to %s, %s .. %s\n", s_of(t, "chip_name"), s_of(t, "chip"), s_of(t, "to"),
         s_of(t, "from"), s_of(t, "until"));
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(t, "timeline"), i, s) {
    printf("  %s  ", s_of(s, "on"));
    print_state(s);
    print_causes(s);
    printf("\n");
  }
  const char *code;
  json_t *steps;
  json_object_foreach(json_object_get(t, "other_jurisdictions"), code, steps) {
    printf("%s side (not part of the US answer):\n", code);
    json_array_foreach(steps, i, s) {
      printf("  %s  ", s_of(s, "on"));
      size_t k;
      json_t *m;
      if (!json_array_size(json_object_get(s, "measures"))) printf("no measure");
      json_array_foreach(json_object_get(s, "measures"), k, m)
        printf("%s%s (%s)", k ? "; " : "", s_of(m, "effect"), s_of(m, "rule"));
      print_causes(s);
      printf("\n");
    }
  }
  cli_print_assumptions(t);
}

int cmd_timeline(int argc, char **argv) {
  static const cli_optdef defs[] = {{"to", true},    CLI_SCENARIO_OPTS, {"since", true},
                                    {"until", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "timeline", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos != 1 || !cli_get(&a, "to"))
    return cli_error(&a, CLI_BADINPUT, "usage: tollgate timeline CHIP --to CC [--hq CC] [--end-use U] [--attest LIST] [--since DATE] [--until DATE]");
  tg_date d1, d2;
  tg_scenario sc;
  int rc = period(&a, "since", "until", &d1, &d2);
  if (rc || (rc = cli_scenario(&a, &sc))) return rc;
  tg_engine *e;
  if ((rc = cli_engine(&a, &e))) return rc;
  const tg_chip *c;
  tg_chip *owned = NULL;
  if ((rc = cli_scenario_chip(&a, e, a.pos[0], &c, &owned)) == CLI_OK) {
    tg_error err = {0};
    char *js = NULL;
    tg_status st = tg_timeline_json(e, c, &sc, d1, d2, &js, &err);
    rc = cli_emit(&a, st, &err, js, print_timeline);
  }
  tg_chip_destroy(owned);
  tg_engine_close(e);
  return rc;
}

static void print_diff(json_t *d) {
  json_t *ch = json_object_get(d, "changed");
  printf("What changed to %s between %s and %s: %zu chips changed, %zu unchanged\n",
         s_of(d, "to"), s_of(d, "from"), s_of(d, "until"), json_array_size(ch),
         json_array_size(json_object_get(d, "unchanged")));
  size_t i, k;
  json_t *c, *f, *s;
  json_array_foreach(ch, i, c) {
    printf("\n%s (%s)\n  before  ", s_of(c, "chip_name"), s_of(c, "chip"));
    print_state(json_object_get(c, "before"));
    printf("\n  after   ");
    print_state(json_object_get(c, "after"));
    printf("\n  changed:");
    json_array_foreach(json_object_get(c, "changed"), k, f) printf(" %s", s_of(f, "field"));
    printf("\n");
    json_array_foreach(json_object_get(c, "steps"), k, s) {
      printf("    %s  ", s_of(s, "on"));
      print_state(s);
      print_causes(s);
      printf("\n");
    }
  }
  json_array_foreach(json_object_get(d, "other_jurisdictions_changed"), i, c) {
    printf("%s side of %s (not part of the US answer):", s_of(c, "jurisdiction"), s_of(c, "chip"));
    for (int w = 0; w < 2; w++) {
      json_t *ids = json_object_get(c, w ? "after" : "before");
      printf(" %s", w ? "->" : "");
      if (!json_array_size(ids)) printf(" none");
      for (size_t n = 0; n < json_array_size(ids); n++)
        printf("%s%s", n ? ", " : " ", json_string_value(json_array_get(ids, n)));
    }
    printf("\n");
  }
  cli_print_assumptions(d);
}

/* --catalog FILE: the user's chips (owned; *v NULL without the option). */
static int user_catalog(const cli_args *a, tg_chip ***v, size_t *n) {
  *v = NULL;
  *n = 0;
  const char *path = cli_get(a, "catalog");
  if (!path) return CLI_OK;
  size_t len;
  char *text = cli_read_file(path, &len);
  if (!text) return cli_error(a, CLI_BADINPUT, "--catalog: cannot read '%s': %s", path, strerror(errno));
  tg_error err = {0};
  tg_status st = tg_chips_parse(text, len, path, v, n, &err);
  free(text);
  return st == TG_OK ? CLI_OK : cli_fail(a, st, &err);
}

int cmd_diff(int argc, char **argv) {
  static const cli_optdef defs[] = {{"from", true}, {"until", true},   {"to", true},
                                    CLI_SCENARIO_OPTS, {"chip", true}, {"catalog", true},
                                    {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "diff", argc, argv, defs)) return CLI_BADINPUT;
  if (!cli_get(&a, "from") || !cli_get(&a, "until"))
    return cli_error(&a, CLI_BADINPUT, "usage: tollgate diff --from DATE --until DATE [--to CC] [--chip ID ...] [--catalog FILE]");
  tg_date d1, d2;
  tg_scenario sc;
  int rc = period(&a, "from", "until", &d1, &d2);
  if (rc || (rc = cli_scenario(&a, &sc))) return rc;
  tg_chip **mine;
  size_t nmine;
  if ((rc = user_catalog(&a, &mine, &nmine))) return rc;
  tg_engine *e;
  if ((rc = cli_engine(&a, &e))) {
    tg_chips_destroy(mine, nmine);
    return rc;
  }
  const char *ids[CLI_MAX_OPTS];
  int nids = cli_get_all(&a, "chip", ids, CLI_MAX_OPTS);
  size_t n = 0;
  const tg_chip **chips = calloc(nmine + (size_t)nids + 1, sizeof *chips);
  if (!chips) rc = cli_error(&a, CLI_FAILED, "out of memory");
  for (size_t i = 0; i < nmine && !rc; i++) chips[n++] = mine[i];
  for (int i = 0; i < nids && !rc; i++)
    if (!(chips[n++] = tg_catalog_find(e, ids[i])))
      rc = cli_error(&a, CLI_BADINPUT, "unknown chip '%s' (see 'tollgate chips')", ids[i]);
  if (!rc) {
    tg_error err = {0};
    char *js = NULL;
    tg_status st = tg_diff_json(e, n ? chips : NULL, n, &sc, d1, d2, &js, &err);
    rc = cli_emit(&a, st, &err, js, print_diff);
  }
  free(chips);
  tg_chips_destroy(mine, nmine);
  tg_engine_close(e);
  return rc;
}

static void print_changes(json_t *d) {
  printf("Rule-set events since %s:\n", s_of(d, "since"));
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(d, "changes"), i, c)
    printf("  %s  %-12s %-48s %s [%s]\n", s_of(c, "on"), s_of(c, "event"), s_of(c, "rule_set"),
           s_of(c, "citation"), s_of(c, "verification"));
}

int cli_rule_changes(const cli_args *a, tg_engine *e) {
  tg_date since;
  tg_date_parse(START_DATE, &since);
  if (cli_get(a, "since")) {
    int rc = cli_date(a, "since", &since);
    if (rc) return rc;
  }
  tg_error err = {0};
  char *js = NULL;
  tg_status st = tg_rule_changes_json(e, since, &js, &err);
  return cli_emit(a, st, &err, js, print_changes);
}

void cli_print_foreign_measures(json_t *jur) {
  const char *code;
  json_t *side;
  json_object_foreach(jur, code, side) {
    json_t *listed = json_object_get(side, "listed_parties");
    if (!strcmp(code, "US") ||
        (!json_array_size(json_object_get(side, "measures")) && !json_array_size(listed)))
      continue;
    printf("%s side (not part of the US verdict):\n", code);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(side, "measures"), i, m)
      printf("  %s: %s [%s; %s]\n", s_of(m, "effect"), s_of(m, "text"), s_of(m, "citation"),
             s_of(m, "verification"));
    json_array_foreach(listed, i, m)
      printf("  listed party: %s '%s' matches '%s' on the %s (score %.2f): %s [%s]\n",
             s_of(m, "party"), s_of(m, "name"), s_of(m, "matches"), s_of(m, "list"),
             json_number_value(json_object_get(m, "score")), s_of(m, "effect"), s_of(m, "status"));
  }
}
