/* cmd_migrate.c - `tollgate migrate --from sqlite:FILE --to postgresql://...`:
 * copies a whole ledger (licenses, shipments, audit trail, lists, tokens)
 * into a new, empty database of any backend and verifies its audit chain
 * on arrival (tg_store_copy). */
#include <stdio.h>

#include "cli.h"

int cmd_migrate(int argc, char **argv) {
  static const cli_optdef defs[] = {{"from", true}, {"to", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "migrate", argc, argv, defs)) return CLI_BADINPUT;
  const char *from = cli_get(&a, "from"), *to = cli_get(&a, "to");
  if (a.npos || !from || !to)
    return cli_error(&a, CLI_BADINPUT, "usage: migrate --from sqlite:FILE --to postgresql://...");
  tg_engine *e;
  int rc = cli_engine(&a, &e);
  if (rc) return rc;
  tg_store *src = NULL, *dst = NULL;
  tg_error err = {0};
  char *js = NULL;
  tg_status st = tg_store_open(e, from, &src, &err);
  if (st == TG_OK) st = tg_store_open(e, to, &dst, &err);
  if (st == TG_OK) st = tg_store_copy(src, dst, &js, &err);
  if (st != TG_OK) {
    rc = cli_fail(&a, st, &err);
  } else if (cli_flag(&a, "json")) {
    printf("%s\n", js);
  } else {
    printf("Copied into %s and verified the audit chain there:\n%s\n", to, js);
  }
  tg_free(js);
  tg_store_close(dst);
  tg_store_close(src);
  tg_engine_close(e);
  return rc;
}
