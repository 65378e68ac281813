/* cmd_token.c - `tollgate token add|list|rotate|revoke`: API access tokens
 * for `tollgate serve`.  A new token (or a rotated one's new secret) is
 * printed once; only its hash is kept; listings show a fingerprint. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* --expires YYYY-MM-DD (the start of that day, UTC) or Nd (N days from
 * now) into seconds since the epoch; 0 when absent.  -1 after an error. */
static int64_t expiry(const cli_args *a, int64_t now) {
  const char *v = cli_get(a, "expires");
  if (!v) return 0;
  tg_date d;
  size_t n = strlen(v);
  if (n >= 2 && v[n - 1] == 'd' && strspn(v, "0123456789") == n - 1 && n <= 6)
    return now + (int64_t)atoi(v) * 86400;
  if (tg_date_parse(v, &d) == TG_OK) return (int64_t)d * 86400;
  cli_error(a, CLI_BADINPUT, "--expires: '%s' is neither a date YYYY-MM-DD nor a number of days (90d)", v);
  return -1;
}

/* Prints a token made or rotated, once. */
static void show_token(const cli_args *a, const char *name, const char *token, const char *what) {
  char fp[17] = "";
  tg_token_fingerprint(token, fp);
  if (cli_flag(a, "json")) {
    json_t *o = json_pack("{s:s,s:s,s:s}", "name", name, "token", token, "fingerprint", fp);
    char *js = json_dumps(o, JSON_PRESERVE_ORDER);
    printf("%s\n", js ? js : "null");
    free(js);
    json_decref(o);
  } else {
    printf("%s\n", token);
    fprintf(stderr, "token '%s' %s (fingerprint %s); it is shown only this once: keep it safe\n",
            name, what, fp);
  }
}

static int token_rotate(const cli_args *a, tg_store *s) {
  if (a->npos != 2) return cli_error(a, CLI_BADINPUT, "usage: tollgate token rotate NAME");
  tg_error err = {0};
  char *token = NULL;
  tg_status st = tg_token_rotate(s, a->pos[1], &token, &err);
  if (st != TG_OK) return cli_fail(a, st, &err);
  show_token(a, a->pos[1], token, "rotated: the old secret no longer works");
  tg_free(token);
  return CLI_OK;
}

static int token_add(const cli_args *a, tg_store *s) {
  const char *name = cli_get(a, "name"), *role_s = cli_get(a, "role");
  if (!name || !role_s)
    return cli_error(a, CLI_BADINPUT,
                     "usage: tollgate token add --name NAME --role viewer|officer|admin "
                     "[--expires YYYY-MM-DD|Nd]");
  tg_role role;
  tg_error err = {0};
  int64_t now = (int64_t)time(NULL), until = expiry(a, now);
  if (until < 0) return CLI_BADINPUT;
  tg_status st = tg_role_parse(role_s, &role, &err);
  char *token = NULL;
  if (st == TG_OK) st = tg_token_add_expiring(s, name, role, now, until, &token, &err);
  if (st != TG_OK) return cli_fail(a, st, &err);
  if (cli_flag(a, "json")) {
    char fp[17] = "";
    tg_token_fingerprint(token, fp);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "name", name, "role", role_s, "token", token,
                          "fingerprint", fp);
    char *js = json_dumps(o, JSON_PRESERVE_ORDER);
    printf("%s\n", js ? js : "null");
    free(js);
    json_decref(o);
  } else {
    char what[64];
    snprintf(what, sizeof what, "(%s) made", role_s);
    show_token(a, name, token, what);
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
    printf("%-24s %-8s %-16s %-21s %-21s %s\n", "name", "role", "fingerprint", "created",
           "expires", "revoked");
    json_array_foreach(arr, i, t) {
      json_t *rev = json_object_get(t, "revoked_at"), *exp = json_object_get(t, "expires_at");
      printf("%-24s %-8s %-16s %-21s %-21s %s\n", json_string_value(json_object_get(t, "name")),
             json_string_value(json_object_get(t, "role")),
             json_string_value(json_object_get(t, "fingerprint")),
             json_string_value(json_object_get(t, "created_at")),
             json_is_string(exp) ? json_string_value(exp) : "never",
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
  static const cli_optdef defs[] = {{"name", true}, {"role", true}, {"expires", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "token", argc, argv, defs)) return CLI_BADINPUT;
  const char *sub = a.npos ? a.pos[0] : "";
  bool add = !strcmp(sub, "add"), list = !strcmp(sub, "list"), revoke = !strcmp(sub, "revoke"),
       rotate = !strcmp(sub, "rotate");
  if (!add && !list && !revoke && !rotate)
    return cli_error(&a, CLI_BADINPUT, "usage: tollgate token add|list|rotate|revoke (see 'tollgate help')");
  if (!revoke && !rotate && a.npos != 1) return cli_error(&a, CLI_BADINPUT, "unexpected argument '%s'", a.pos[1]);
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  rc = add ? token_add(&a, s) : list ? token_list(&a, s) : rotate ? token_rotate(&a, s)
                                                           : token_revoke(&a, s);
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}
