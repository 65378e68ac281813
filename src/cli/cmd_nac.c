/* cmd_nac.c - `tollgate nac`: License Exception NAC notifications in the
 * ledger - submitted, then authorized (with BIS's number), objected to or
 * expired; a NAC shipment names an authorized one (ship --nac). */
#include <jansson.h>
#include <string.h>

#include "cli.h"

static const char *field(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "-";
}

static void print_one(json_t *n) {
  printf("NAC %s: %s", field(n, "reference"), field(n, "status"));
  if (json_is_string(json_object_get(n, "nac_number")))
    printf(" (authorization %s)", field(n, "nac_number"));
  printf("\n  items: ");
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(n, "items"), i, x) printf("%s%s", i ? ", " : "", json_string_value(x));
  printf("\n  to %s, consignee %s, end user %s\n  submitted %s, decided %s, valid until %s\n",
         field(n, "destination"), field(n, "consignee"), field(n, "end_user"),
         field(n, "submitted_on"), field(n, "decided_on"), field(n, "valid_until"));
}

static void print_nacs(json_t *j) {
  if (json_is_array(j)) {
    size_t i;
    json_t *n;
    if (!json_array_size(j)) printf("No NAC notifications.\n");
    json_array_foreach(j, i, n) print_one(n);
  } else if (j) {
    print_one(j);
  }
}

static tg_status add(const cli_args *a, tg_store *s, char **js, tg_error *err, int *rc) {
  tg_nac_spec sp = {0};
  const char *items[8];
  int n = cli_get_all(a, "chip", items, 8);
  sp.reference = cli_get(a, "reference");
  sp.items = items;
  sp.nitems = (size_t)n;
  sp.destination = cli_get(a, "to");
  sp.consignee = cli_get(a, "consignee");
  sp.end_user = cli_get(a, "end-user");
  sp.notes = cli_get(a, "notes");
  if (!cli_get(a, "submitted")) {
    *rc = cli_error(a, CLI_BADINPUT, "give the date the notification was submitted: --submitted DATE");
    return TG_OK;
  }
  if ((*rc = cli_date(a, "submitted", &sp.submitted))) return TG_OK;
  return tg_nac_add(s, &sp, cli_actor(), js, err);
}

static tg_status decide(const cli_args *a, tg_store *s, const char *status, char **js,
                        tg_error *err, int *rc) {
  tg_date on, until = TG_DATE_NONE;
  if (!cli_get(a, "on")) {
    *rc = cli_error(a, CLI_BADINPUT, "give the date of BIS's answer or of the expiry: --on DATE");
    return TG_OK;
  }
  if ((*rc = cli_date(a, "on", &on))) return TG_OK;
  if (cli_get(a, "until") && (*rc = cli_date(a, "until", &until))) return TG_OK;
  return tg_nac_decide(s, a->pos[1], status, cli_get(a, "number"), on, until, cli_actor(), js, err);
}

static const struct {
  const char *sub, *status;
} decisions[] = {{"authorize", "authorized"}, {"object", "objected"}, {"expire", "expired"}};

/* The decision a subcommand records ("authorized", ...), or NULL. */
static const char *decision(const char *sub) {
  for (size_t i = 0; i < sizeof decisions / sizeof *decisions; i++)
    if (!strcmp(sub, decisions[i].sub)) return decisions[i].status;
  return NULL;
}

static tg_status nac(const cli_args *a, const tg_engine *e, tg_store *s, char **js, tg_error *err, int *rc) {
  (void)e;
  const char *sub = a->pos[0], *status = decision(sub);
  if (!strcmp(sub, "add")) return add(a, s, js, err, rc);
  if (status) return decide(a, s, status, js, err, rc);
  return tg_nac_json(s, !strcmp(sub, "show") ? a->pos[1] : NULL, js, err);
}

int cmd_nac(int argc, char **argv) {
  static const cli_optdef defs[] = {
      {"reference", true}, {"chip", true},   {"to", true},     {"consignee", true},
      {"end-user", true},  {"submitted", true}, {"notes", true}, {"number", true},
      {"on", true},        {"until", true},  {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "nac", argc, argv, defs)) return CLI_BADINPUT;
  const char *sub = a.npos ? a.pos[0] : "";
  bool one = decision(sub) || !strcmp(sub, "show");
  if (!one && strcmp(sub, "add") && strcmp(sub, "list"))
    return cli_error(&a, CLI_BADINPUT,
                     "usage: nac add|list|show REF|authorize REF --number N --on DATE [--until DATE]"
                     "|object REF --on DATE|expire REF --on DATE");
  if (one && a.npos != 2) return cli_error(&a, CLI_BADINPUT, "usage: nac %s REFERENCE", sub);
  return cli_with_store(&a, nac, print_nacs);
}
