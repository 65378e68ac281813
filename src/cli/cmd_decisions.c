/* cmd_decisions.c - screening decisions in the CLI: `clear` (a hit cleared
 * as a false positive, with its reason), `clearances` (those recorded),
 * `alerts` (hits a re-screen found after a list changed; `alerts close ID
 * --note TEXT`), and the re-screen `lists import` runs after an import. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *jstr(const json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

/* The screening options every decision uses: threshold and list age. */
static int decision_opts(const cli_args *a, tg_screen_options *o) {
  tg_screen_options_init(o);
  o->as_of = cli_today();
  o->list_max_age_days = cli_list_max_age();
  return cli_threshold(a, &o->min_score);
}

void cli_print_clearance(const json_t *c, const char *indent) {
  printf("%sCLEARED as a false positive (clearance %lld) by %s at %s\n%s  list version: %s\n%s  reason: %s\n",
         indent, (long long)json_integer_value(json_object_get(c, "id")), jstr(c, "cleared_by"),
         jstr(c, "cleared_at"), indent, jstr(c, "list_version"), indent, jstr(c, "reason"));
}

static void print_clearances(json_t *arr) {
  size_t i;
  json_t *c;
  if (!json_array_size(arr)) printf("No clearances recorded.\n");
  json_array_foreach(arr, i, c) {
    printf("%s — %s (%s), score %s\n", jstr(c, "party"), jstr(c, "entry"), jstr(c, "list"), jstr(c, "score"));
    cli_print_clearance(c, "  ");
  }
}

static void print_one_clearance(json_t *c) {
  json_t *arr = json_pack("[O]", c);
  print_clearances(arr);
  json_decref(arr);
}

static tg_status clear(const cli_args *a, const tg_engine *e, tg_store *s, char **js, tg_error *err, int *rc) {
  tg_screen_options o;
  if ((*rc = decision_opts(a, &o))) return TG_OK;
  tg_screener *sc = NULL;
  tg_status st = tg_screener_create(e, &sc, err);
  if (st == TG_OK) st = tg_screener_load_store(sc, s, err);
  if (st == TG_OK && !tg_screener_entries(sc))
    *rc = cli_error(a, CLI_BADINPUT, "no screening lists are loaded; run 'tollgate lists import FILE...'");
  else if (st == TG_OK)
    st = tg_clearance_add(s, sc, &o, a->pos[0], cli_get(a, "entry"), cli_get(a, "list"), cli_get(a, "reason"),
                          cli_actor(), js, err);
  tg_screener_destroy(sc);
  return st;
}

int cmd_clear(int argc, char **argv) {
  static const cli_optdef defs[] = {{"entry", true}, {"list", true}, {"reason", true}, CLI_THRESHOLD_OPTS,
                                    {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "clear", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos != 1) return cli_error(&a, CLI_BADINPUT, "clear takes one PARTY (quote it), --entry NAME and --reason TEXT");
  if (!cli_get(&a, "entry")) return cli_error(&a, CLI_BADINPUT, "--entry NAME is required (the hit's entry, as 'screen' shows it)");
  if (!cli_get(&a, "reason")) return cli_error(&a, CLI_BADINPUT, "--reason TEXT is required (why the hit is not this party)");
  return cli_with_store(&a, clear, print_one_clearance);
}

static tg_status clearances(const cli_args *a, const tg_engine *e, tg_store *s, char **js, tg_error *err,
                            int *rc) {
  (void)e, (void)rc;
  return tg_clearances_json(s, a->npos ? a->pos[0] : NULL, js, err);
}

int cmd_clearances(int argc, char **argv) {
  static const cli_optdef defs[] = {{NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "clearances", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos > 1) return cli_error(&a, CLI_BADINPUT, "clearances takes at most one PARTY (quote it)");
  return cli_with_store(&a, clearances, print_clearances);
}

static void print_alert(const json_t *al) {
  printf("alert %lld [%s] %s — hit %s on %s (score %s)\n  recorded in: %s\n  list version: %s\n  raised %s by %s\n",
         (long long)json_integer_value(json_object_get(al, "id")), jstr(al, "status"), jstr(al, "party"),
         jstr(al, "entry"), jstr(al, "list"), jstr(al, "score"), jstr(al, "recorded_in"), jstr(al, "list_version"),
         jstr(al, "raised_at"), jstr(al, "raised_by"));
  if (strcmp(jstr(al, "status"), "open") != 0)
    printf("  %s %s by %s: %s\n", jstr(al, "status"), jstr(al, "closed_at"), jstr(al, "closed_by"),
           jstr(al, "close_note"));
}

static void print_alerts(json_t *r) {
  json_t *arr = json_object_get(r, "alerts"), *al;
  size_t i;
  printf("%lld open alert%s\n", (long long)json_integer_value(json_object_get(r, "open")),
         json_integer_value(json_object_get(r, "open")) == 1 ? "" : "s");
  json_array_foreach(arr, i, al) print_alert(al);
}

static void print_closed(json_t *al) { print_alert(al); }

/* alerts [--all|--status S], or alerts close ID --note TEXT (checked). */
static tg_status alerts(const cli_args *a, const tg_engine *e, tg_store *s, char **js, tg_error *err, int *rc) {
  (void)e, (void)rc;
  if (a->npos) return tg_alert_close(s, strtoll(a->pos[1], NULL, 10), cli_get(a, "note"), cli_actor(), js, err);
  return tg_alerts_json(s, cli_flag(a, "all") ? NULL : cli_get(a, "status") ? cli_get(a, "status") : "open", js, err);
}

int cmd_alerts(int argc, char **argv) {
  static const cli_optdef defs[] = {{"all", false}, {"status", true}, {"note", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "alerts", argc, argv, defs)) return CLI_BADINPUT;
  bool close = a.npos && !strcmp(a.pos[0], "close");
  if (a.npos && !close) return cli_error(&a, CLI_BADINPUT, "unknown subcommand '%s' (alerts, alerts close ID --note TEXT)", a.pos[0]);
  if (close) {
    char *end;
    if (a.npos != 2 || strtoll(a.pos[1], &end, 10) <= 0 || *end)
      return cli_error(&a, CLI_BADINPUT, "alerts close takes one alert ID (a positive whole number)");
    if (!cli_get(&a, "note")) return cli_error(&a, CLI_BADINPUT, "alerts close needs --note TEXT (what was decided)");
  }
  return cli_with_store(&a, alerts, close ? print_closed : print_alerts);
}

int cli_rescreen(const cli_args *a, const tg_engine *e, tg_store *s) {
  tg_screen_options o;
  int rc = decision_opts(a, &o);
  if (rc) return rc;
  tg_screener *sc = NULL;
  tg_error err = {0};
  char *js = NULL;
  tg_status st = tg_screener_create(e, &sc, &err);
  if (st == TG_OK) st = tg_screener_load_store(sc, s, &err);
  if (st == TG_OK) st = tg_rescreen(s, sc, &o, cli_actor(), &js, &err);
  tg_screener_destroy(sc);
  if (st != TG_OK) return cli_fail(a, st, &err);
  json_t *r = json_loads(js, 0, NULL);
  tg_free(js);
  json_t *arr = json_object_get(r, "alerts"), *al;
  size_t i;
  FILE *f = cli_flag(a, "json") ? stderr : stdout; /* --json: stdout stays the import's JSON */
  fprintf(f, "re-screened %lld recorded part%s: %lld hit%s, %lld cleared, %lld alerted before, %zu new alert%s\n",
          (long long)json_integer_value(json_object_get(r, "parties")),
          json_integer_value(json_object_get(r, "parties")) == 1 ? "y" : "ies",
          (long long)json_integer_value(json_object_get(r, "hits")),
          json_integer_value(json_object_get(r, "hits")) == 1 ? "" : "s",
          (long long)json_integer_value(json_object_get(r, "cleared")),
          (long long)json_integer_value(json_object_get(r, "known")), json_array_size(arr),
          json_array_size(arr) == 1 ? "" : "s");
  json_array_foreach(arr, i, al)
    fprintf(f, "ALERT %lld: %s (recorded in %s) now hits %s on %s (score %s)\n",
            (long long)json_integer_value(json_object_get(al, "id")), jstr(al, "party"), jstr(al, "recorded_in"),
            jstr(al, "entry"), jstr(al, "list"), jstr(al, "score"));
  json_decref(r);
  return CLI_OK;
}
