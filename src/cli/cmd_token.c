/* cmd_token.c - `tollgate token add|list|revoke`: API access tokens for
 * `tollgate serve`.  A new token is printed once; only its hash is kept. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static int token_add(const cli_args *a, tg_store *s) {
  const char *name = cli_get(a, "name"), *role_s = cli_get(a, "role");
  if (!name || !role_s)
    return cli_error(a, CLI_BADINPUT, "usage: tollgate token add --name NAME --role viewer|officer|admin");
  tg_role role;
  tg_error err = {0};
  tg_status st = tg_role_parse(role_s, &role, &err);
  char *token = NULL;
  if (st == TG_OK) st = tg_token_add(s, name, role, (int64_t)time(NULL), &token, &err);
  if (st != TG_OK) return cli_fail(a, st, &err);
  if (cli_flag(a, "json")) {
    json_t *o = json_pack("{s:s,s:s,s:s}", "name", name, "role", role_s, "token", token);
    char *js = json_dumps(o, JSON_PRESERVE_ORDER);
    printf("%s\n", js ? js : "null");
    free(js);
    json_decref(o);
  } else {
    printf("%s\n", token);
    fprintf(stderr, "token '%s' (%s) made; it is shown only this once: keep it safe\n", name, role_s);
  }
  tg_free(token);
  return CLI_OK;
}

static int token_list(const cli_args *a, tg_store *s) {
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_token_list_json(s, &js, &err);
  if (st != TG_OK) return cli_fail(a, st, &err);
  if (cli_flag(a, "json")) {
    printf("%s\n", js);
  } else {
    json_t *arr = json_loads(js, 0, NULL);
    size_t i;
    json_t *t;
    printf("%-24s %-8s %-13s %-21s %s\n", "name", "role", "token", "created", "revoked");
    json_array_foreach(arr, i, t) {
      json_t *rev = json_object_get(t, "revoked_at");
      printf("%-24s %-8s %-13s %-21s %s\n", json_string_value(json_object_get(t, "name")),
             json_string_value(json_object_get(t, "role")),
             json_string_value(json_object_get(t, "hint")),
             json_string_value(json_object_get(t, "created_at")),
             json_is_string(rev) ? json_string_value(rev) : "-");
    }
    json_decref(arr);
  }
  tg_free(js);
  return CLI_OK;
}

static int token_revoke(const cli_args *a, tg_store *s) {
  if (a->npos != 2) return cli_error(a, CLI_BADINPUT, "usage: tollgate token revoke NAME");
  tg_error err = {0};
  tg_status st = tg_token_revoke(s, a->pos[1], (int64_t)time(NULL), &err);
  if (st != TG_OK) return cli_fail(a, st, &err);
  printf(cli_flag(a, "json") ? "{\"revoked\": \"%s\"}\n" : "token '%s' revoked\n", a->pos[1]);
  return CLI_OK;
}

int cmd_token(int argc, char **argv) {
  static const cli_optdef defs[] = {{"name", true}, {"role", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "token", argc, argv, defs)) return CLI_BADINPUT;
  const char *sub = a.npos ? a.pos[0] : "";
  bool add = !strcmp(sub, "add"), list = !strcmp(sub, "list"), revoke = !strcmp(sub, "revoke");
  if (!add && !list && !revoke)
    return cli_error(&a, CLI_BADINPUT, "usage: tollgate token add|list|revoke (see 'tollgate help')");
  if (!revoke && a.npos != 1) return cli_error(&a, CLI_BADINPUT, "unexpected argument '%s'", a.pos[1]);
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  rc = add ? token_add(&a, s) : list ? token_list(&a, s) : token_revoke(&a, s);
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}
