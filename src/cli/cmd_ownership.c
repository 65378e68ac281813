/* cmd_ownership.c - `tollgate ownership import FILE`: stores the parties'
 * owners for the Affiliates Rule (replacing what was stored), and
 * `tollgate ownership` shows how many records are stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

int cmd_ownership(int argc, char **argv) {
  static const cli_optdef defs[] = {{NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "ownership", argc, argv, defs)) return CLI_BADINPUT;
  bool import = a.npos == 2 && !strcmp(a.pos[0], "import");
  if (a.npos && !import)
    return cli_error(&a, CLI_BADINPUT, "usage: ownership [import FILE] (CSV: party,owner,percent,source,date)");
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  tg_ownership *o = NULL;
  tg_error err = {0};
  tg_status st;
  if (import) {
    size_t len;
    char *text = cli_read_file(a.pos[1], &len);
    if (!text) {
      rc = cli_error(&a, CLI_BADINPUT, "cannot read '%s'", a.pos[1]);
      goto out;
    }
    st = tg_ownership_parse(text, len, a.pos[1], &o, &err);
    free(text);
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (st == TG_OK) st = tg_ownership_import(s, o, a.pos[1], now, cli_actor(), &err);
  } else {
    st = tg_ownership_load(s, &o, &err);
  }
  if (st != TG_OK) {
    rc = cli_fail(&a, st, &err);
  } else if (cli_flag(&a, "json")) {
    printf("{\"records\": %zu%s}\n", tg_ownership_count(o), import ? ", \"imported\": true" : "");
  } else {
    printf(import ? "imported %zu ownership records from %s (replacing those stored)\n"
                  : "%zu ownership records stored%s\n",
           tg_ownership_count(o), import ? a.pos[1] : "");
  }
out:
  tg_ownership_destroy(o);
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}
