/* cmd_recheck.c - `tollgate recheck BOOK --against DATA_DIR [--on DATE]`:
 * re-checks an order book (JSON lines, the order fields of POST
 * /v1/checks) against a new rule set (another data directory) or another
 * date, and reports the orders whose answer changed. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const fields[] = {"verdict", "eccn", "exception", "review_policy", NULL};

/* The answer's comparable part: its fields, payment rate and the other
 * jurisdictions' measures (by rule). */
static json_t *summary(const tg_result *r) {
  char *js = tg_result_json(r);
  json_t *full = js ? json_loads(js, 0, NULL) : NULL;
  tg_free(js);
  json_t *s = json_object();
  for (int i = 0; fields[i]; i++) json_object_set(s, fields[i], json_object_get(full, fields[i]));
  int64_t ppm = 0, cents;
  tg_result_fee(r, &ppm, &cents);
  json_object_set_new(s, "payment_rate", ppm ? json_real((double)ppm / 1e6) : json_null());
  json_t *measures = json_array();
  const char *code;
  json_t *side;
  json_object_foreach(json_object_get(full, "jurisdictions"), code, side) {
    size_t i;
    json_t *m;
    if (strcmp(code, "US"))
      json_array_foreach(json_object_get(side, "measures"), i, m)
        json_array_append_new(measures, json_sprintf("%s:%s", code, json_string_value(json_object_get(m, "rule"))));
  }
  json_object_set_new(s, "other_jurisdictions", measures);
  json_decref(full);
  return s;
}

static int check_one(const cli_args *a, const tg_engine *e, const tg_order *o, int line, json_t **out) {
  tg_result *r;
  tg_error err = {0};
  tg_status st = tg_check(e, o, &r, &err);
  if (st != TG_OK) return cli_error(a, CLI_BADINPUT, "line %d: %s", line, err.message);
  *out = summary(r);
  tg_result_destroy(r);
  return CLI_OK;
}

static void print_recheck(json_t *d) {
  json_t *ch = json_object_get(d, "changed");
  printf("%lld orders re-checked against %s: %zu changed\n",
         (long long)json_integer_value(json_object_get(d, "orders")),
         json_string_value(json_object_get(d, "against")), json_array_size(ch));
  size_t i, k;
  json_t *c, *f;
  json_array_foreach(ch, i, c) {
    json_t *o = json_object_get(c, "order");
    printf("  line %lld: %s to %s on %s:", (long long)json_integer_value(json_object_get(c, "line")),
           json_string_value(json_object_get(o, "chip")), json_string_value(json_object_get(o, "to")),
           json_string_value(json_object_get(o, "on")));
    json_array_foreach(json_object_get(c, "changed"), k, f) {
      char *b = json_dumps(json_object_get(f, "before"), JSON_ENCODE_ANY), *x = json_dumps(json_object_get(f, "after"), JSON_ENCODE_ANY);
      printf(" %s %s -> %s;", json_string_value(json_object_get(f, "field")), b ? b : "?", x ? x : "?");
      free(b);
      free(x);
    }
    printf("\n");
  }
}

int cmd_recheck(int argc, char **argv) {
  static const cli_optdef defs[] = {{"against", true}, {"on", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "recheck", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos != 1 || (!cli_get(&a, "against") && !cli_get(&a, "on")))
    return cli_error(&a, CLI_BADINPUT, "usage: tollgate recheck BOOK.jsonl --against DATA_DIR [--on DATE]");
  tg_date on = 0;
  int rc;
  if (cli_get(&a, "on") && (rc = cli_date(&a, "on", &on))) return rc;
  FILE *f = strcmp(a.pos[0], "-") ? fopen(a.pos[0], "r") : stdin;
  if (!f) return cli_error(&a, CLI_BADINPUT, "cannot read '%s': %s", a.pos[0], strerror(errno));
  tg_engine *now = NULL, *next = NULL;
  if ((rc = cli_engine(&a, &now))) goto out;
  if (cli_get(&a, "against")) {
    tg_error err = {0};
    tg_status st = tg_engine_open(cli_get(&a, "against"), &next, &err);
    if (st != TG_OK) {
      rc = cli_fail(&a, st, &err);
      goto out;
    }
  }
  json_t *changed = json_array();
  char *buf = NULL; /* whole lines, of any length */
  size_t cap = 0;
  int line = 0, n = 0;
  while (rc == CLI_OK && getline(&buf, &cap, f) > 0) {
    line++;
    if (strspn(buf, " \t\r\n") == strlen(buf)) continue;
    tg_book_order *bo = NULL;
    tg_error perr = {0};
    tg_status pst = tg_book_order_parse(now, buf, strlen(buf), a.pos[0], line, &bo, &perr);
    if (pst != TG_OK) {
      rc = cli_fail(&a, pst, &perr);
      break;
    }
    char *line_js = tg_book_order_json(bo);
    json_t *j = line_js ? json_loads(line_js, 0, NULL) : NULL;
    tg_free(line_js);
    tg_order o = *tg_book_order_get(bo);
    json_t *before = NULL, *after = NULL;
    if (!j) rc = cli_error(&a, CLI_FAILED, "out of memory");
    if (!rc && !(rc = check_one(&a, now, &o, line, &before))) {
      if (next) o.chip = tg_catalog_find(next, tg_chip_id(o.chip));
      if (next && !o.chip) rc = cli_error(&a, CLI_BADINPUT, "line %d: the chip is not in the new catalog", line);
      if (cli_get(&a, "on")) o.on = on;
      if (!rc && !(rc = check_one(&a, next ? next : now, &o, line, &after))) {
        n++;
        json_t *diff = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(before, k, v)
          if (!json_equal(v, json_object_get(after, k)))
            json_array_append_new(diff, json_pack("{s:s,s:O,s:O}", "field", k, "before", v, "after", json_object_get(after, k)));
        if (json_array_size(diff))
          json_array_append_new(changed, json_pack("{s:i,s:O,s:O,s:O,s:o}", "line", line, "order", j,
                                                   "before", before, "after", after, "changed", diff));
        else json_decref(diff);
      }
    }
    json_decref(before);
    json_decref(after);
    json_decref(j);
    tg_book_order_destroy(bo);
  }
  free(buf);
  if (rc == CLI_OK) {
    char against[600];
    snprintf(against, sizeof against, "%s%s%s", cli_get(&a, "against") ? cli_get(&a, "against") : "the same rules",
             cli_get(&a, "on") ? " on " : "", cli_get(&a, "on") ? cli_get(&a, "on") : "");
    json_t *d = json_pack("{s:i,s:s,s:o}", "orders", n, "against", against, "changed", changed);
    changed = NULL;
    if (cli_flag(&a, "json")) {
      char *s = json_dumps(d, JSON_INDENT(2));
      printf("%s\n", s ? s : "{}");
      free(s);
    } else {
      print_recheck(d);
    }
    json_decref(d);
  }
  json_decref(changed);
out:
  if (f != stdin) fclose(f);
  tg_engine_close(now);
  tg_engine_close(next);
  return rc;
}
