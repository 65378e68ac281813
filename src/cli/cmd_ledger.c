/* cmd_ledger.c - the ledger's write commands: license add|list|show|revoke,
 * ship (one shipment or a batch of JSON lines), and correct (reversal). */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const char *cli_actor(void) {
  const char *u = getenv("TOLLGATE_USER");
  if (u && *u) return u;
  struct passwd *pw = getpwuid(geteuid());
  if (pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
  u = getenv("USER");
  return u && *u ? u : "unknown";
}

/* Prints library JSON, or a human view of it through fn. */
static int emit(const cli_args *a, char *js, void (*fn)(json_t *)) {
  if (cli_flag(a, "json") || !fn) {
    printf("%s\n", js);
  } else {
    json_t *j = json_loads(js, 0, NULL);
    if (j) fn(j);
    json_decref(j);
  }
  tg_free(js);
  return CLI_OK;
}

static const char *str(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "-";
}

static void join(json_t *arr, char *out, size_t n) {
  size_t i, len = 0;
  json_t *x;
  out[0] = '\0';
  json_array_foreach(arr, i, x) len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s",
                                                        i ? ", " : "", json_string_value(x));
  if (!json_array_size(arr)) snprintf(out, n, "any");
}

static void print_license(json_t *l) {
  char b[1024];
  printf("License %s (%s), holder %s\n", str(l, "number"), str(l, "status"), str(l, "holder"));
  join(json_object_get(l, "chips"), b, sizeof b);
  printf("  chips         %s\n", b);
  join(json_object_get(l, "destinations"), b, sizeof b);
  printf("  destinations  %s\n", b);
  join(json_object_get(l, "end_users"), b, sizeof b);
  printf("  end users     %s\n", b);
  printf("  valid         %s to %s\n", str(l, "valid_from"), str(l, "valid_until"));
  json_t *used = json_object_get(l, "used"), *rem = json_object_get(l, "remaining");
  json_t *ql = json_object_get(l, "qty_limit");
  char qu[32], qlim[32], qrem[32];
  cli_thousands((long long)json_integer_value(json_object_get(used, "qty")), qu, sizeof qu);
  cli_thousands((long long)json_integer_value(ql), qlim, sizeof qlim);
  cli_thousands((long long)json_integer_value(json_object_get(rem, "qty")), qrem, sizeof qrem);
  if (json_is_integer(ql)) printf("  quantity      %s used of %s, %s left\n", qu, qlim, qrem);
  else printf("  quantity      %s used, no limit\n", qu);
  char vu[40], vl[40], vr[40];
  cli_thousands_str(str(used, "value_usd"), vu, sizeof vu);
  cli_thousands_str(str(l, "value_limit_usd"), vl, sizeof vl);
  cli_thousands_str(str(rem, "value_usd"), vr, sizeof vr);
  if (json_is_string(json_object_get(l, "value_limit_usd")))
    printf("  value (USD)   %s used of %s, %s left\n", vu, vl, vr);
  else
    printf("  value (USD)   %s used, no limit\n", vu);
  if (json_is_string(json_object_get(l, "payment_rate")))
    printf("  payment       %s of value\n", str(l, "payment_rate"));
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(l, "tpp_caps"), i, c) {
    if (!json_is_integer(json_object_get(c, "cap_pct"))) {
      printf("  TPP cap       %s: %s\n", str(c, "chip"), str(c, "note"));
      continue;
    }
    char room[32], allowed[32], shipped[32];
    cli_thousands((long long)json_integer_value(json_object_get(c, "headroom_units")), room, sizeof room);
    cli_thousands((long long)json_integer_value(json_object_get(c, "allowed_units")), allowed, sizeof allowed);
    cli_thousands((long long)json_integer_value(json_object_get(c, "units_shipped")), shipped, sizeof shipped);
    printf("  TPP cap       %s: %lld%% (from the %s) of US shipments' TPP: %s units to CN/MO of %s allowed, "
           "headroom %s units\n", str(c, "chip"), (long long)json_integer_value(json_object_get(c, "cap_pct")),
           str(c, "cap_source"), shipped, allowed, json_is_integer(json_object_get(c, "headroom_units")) ? room : "unknown");
  }
  json_array_foreach(json_object_get(l, "conditions"), i, c) printf("  condition     %s\n", json_string_value(c));
  if (json_is_string(json_object_get(l, "notes"))) printf("  notes         %s\n", str(l, "notes"));
  json_t *rv = json_object_get(l, "revoked");
  if (json_is_object(rv))
    printf("  revoked       %s by %s: %s\n", str(rv, "at"), str(rv, "by"), str(rv, "reason"));
  printf("  added         %s by %s\n", str(l, "created_at"), str(l, "created_by"));
}

/* The shipments drawn on a license, and the payments they incurred. */
static tg_status print_license_shipments(tg_store *s, const char *number, tg_error *err) {
  tg_shipment_filter f;
  tg_shipment_filter_init(&f);
  f.license = number;
  char *js = NULL;
  tg_status st = tg_shipments_json(s, &f, &js, err);
  if (st != TG_OK) return st;
  json_t *o = json_loads(js, 0, NULL);
  tg_free(js);
  printf("Shipments under %s:\n", number);
  cli_print_shipments(o);
  json_decref(o);
  /* the payments they incur, each arrangement on its own */
  tg_dues_filter df;
  tg_dues_filter_init(&df);
  df.license = number;
  if ((st = tg_payment_dues_json(s, &df, &js, err)) != TG_OK) return st;
  o = json_loads(js, 0, NULL);
  tg_free(js);
  size_t i;
  json_t *a;
  int n = 0;
  json_array_foreach(json_object_get(o, "arrangements"), i, a) {
    if (!json_integer_value(json_object_get(a, "obligations"))) continue;
    char owed[48], open[48];
    cli_thousands_str(str(a, "owed_usd"), owed, sizeof owed);
    cli_thousands_str(str(a, "outstanding_usd"), open, sizeof open);
    printf("%s under %s: USD %s owed, USD %s outstanding (%s)\n", n++ ? "      " : "Payments", str(a, "arrangement"),
           owed, open, str(a, "payee"));
  }
  if (!n) printf("Payments: none owed under %s\n", number);
  json_decref(o);
  return TG_OK;
}

static void print_licenses(json_t *arr) {
  size_t i;
  json_t *l;
  printf("%-14s %-8s %-20s %-24s %10s %18s %s\n", "number", "status", "holder", "chips", "qty left",
         "value left USD", "valid");
  json_array_foreach(arr, i, l) {
    char chips[256];
    join(json_object_get(l, "chips"), chips, sizeof chips);
    json_t *rem = json_object_get(l, "remaining");
    char q[32] = "-", v[40];
    if (json_is_integer(json_object_get(rem, "qty")))
      cli_thousands((long long)json_integer_value(json_object_get(rem, "qty")), q, sizeof q);
    cli_thousands_str(str(rem, "value_usd"), v, sizeof v);
    printf("%-14s %-8s %-20.20s %-24.24s %10s %18s %s..%s\n", str(l, "number"), str(l, "status"),
           str(l, "holder"), chips, q, v, str(l, "valid_from"), str(l, "valid_until"));
  }
  if (!json_array_size(arr)) printf("(no licenses)\n");
}

/* "15%", "15", "12.5%" -> ppm. */
static int parse_rate(const cli_args *a, const char *opt, long long *ppm) {
  const char *s = cli_get(a, opt);
  if (!s) return CLI_OK;
  long long whole = 0, frac = 0;
  int fd = 0;
  const char *p = s;
  if (!isdigit((unsigned char)*p)) goto bad;
  while (isdigit((unsigned char)*p) && whole <= 100) whole = whole * 10 + (*p++ - '0');
  if (*p == '.')
    for (p++; isdigit((unsigned char)*p) && fd < 4; fd++) frac = frac * 10 + (*p++ - '0');
  if (*p == '%') p++;
  if (*p) goto bad;
  while (fd++ < 4) frac *= 10;
  *ppm = whole * 10000 + frac;
  if (*ppm <= 1000000) return CLI_OK;
bad:
  return cli_error(a, CLI_BADINPUT, "--%s: '%s' is not a percentage (e.g. 15%% or 12.5%%)", opt, s);
}

/* Splits repeated options that may also hold comma-separated values. */
static int gather(const cli_args *a, const char *opt, char *buf, size_t n, const char **out, int cap) {
  const char *vals[CLI_MAX_OPTS];
  int nv = cli_get_all(a, opt, vals, CLI_MAX_OPTS), k = 0;
  size_t used = 0;
  for (int i = 0; i < nv; i++) {
    size_t l = strlen(vals[i]);
    if (used + l + 1 > n) break;
    char *d = buf + used;
    memcpy(d, vals[i], l + 1);
    used += l + 1;
    for (char *tok = strtok(d, ","); tok && k < cap; tok = strtok(NULL, ",")) {
      while (*tok == ' ') tok++;
      if (*tok) out[k++] = tok;
    }
  }
  return k;
}

/* Storage for the lists a spec points into. */
typedef struct spec_bufs {
  char cbuf[2048], dbuf[512];
  const char *chips[32], *dests[64], *users[CLI_MAX_OPTS], *conds[CLI_MAX_OPTS];
} spec_bufs;

/* The license flags into sp (unset ones stay as tg_license_spec_init
 * leaves them); dates only when given.  Returns an exit status. */
static int fill_spec(const cli_args *a, tg_license_spec *sp, spec_bufs *b) {
  tg_license_spec_init(sp);
  sp->number = cli_get(a, "number");
  sp->holder = cli_get(a, "holder");
  sp->chips = b->chips;
  sp->nchips = (size_t)gather(a, "chip", b->cbuf, sizeof b->cbuf, b->chips, 32);
  sp->destinations = b->dests;
  sp->ndestinations = (size_t)gather(a, "to", b->dbuf, sizeof b->dbuf, b->dests, 64);
  sp->end_users = b->users;
  sp->nend_users = (size_t)cli_get_all(a, "end-user", b->users, CLI_MAX_OPTS);
  sp->conditions = b->conds;
  sp->nconditions = (size_t)cli_get_all(a, "condition", b->conds, CLI_MAX_OPTS);
  sp->notes = cli_get(a, "notes");
  long long qty = -1, value = -1, rate = -1, cap = 0;
  int rc;
  if ((rc = cli_parse_int64(a, "qty", &qty)) || (rc = cli_parse_usd(a, "value-usd", &value)) ||
      (rc = parse_rate(a, "payment-rate", &rate)) || (rc = cli_parse_int64(a, "tpp-cap", &cap)))
    return rc;
  if (cli_get(a, "from") && (rc = cli_date(a, "from", &sp->valid_from))) return rc;
  if (cli_get(a, "until") && (rc = cli_date(a, "until", &sp->valid_until))) return rc;
  sp->qty_limit = qty;
  sp->value_limit_cents = value;
  sp->payment_rate_ppm = rate;
  sp->tpp_cap_pct = (int)(cap > 1000 ? 1001 : cap);
  return CLI_OK;
}

static int license_add(const cli_args *a, tg_store *s) {
  tg_license_spec sp;
  spec_bufs b;
  if (!cli_get(a, "from") || !cli_get(a, "until"))
    return cli_error(a, CLI_BADINPUT, "give the validity window: --from DATE --until DATE");
  int rc = fill_spec(a, &sp, &b);
  if (rc) return rc;
  char *js;
  tg_error err = {0};
  tg_status st = tg_license_add(s, &sp, cli_actor(), &js, &err);
  if (st != TG_OK) return cli_fail(a, st, &err);
  if (!cli_flag(a, "json")) printf("Added ");
  return emit(a, js, print_license);
}

/* license amend NUMBER [flags of add] --reason TEXT; license extend NUMBER
 * --until DATE --reason TEXT. */
static int license_change(const cli_args *a, tg_store *s, bool extend) {
  if (!cli_get(a, "reason")) return cli_error(a, CLI_BADINPUT, "--reason TEXT is required (it goes into the audit trail)");
  if (extend && !cli_get(a, "until")) return cli_error(a, CLI_BADINPUT, "--until DATE is required");
  if (cli_get(a, "number")) return cli_error(a, CLI_BADINPUT, "the license is named by its argument, not --number");
  tg_license_spec sp;
  spec_bufs b;
  int rc = fill_spec(a, &sp, &b);
  if (rc) return rc;
  sp.number = a->pos[1];
  char *js = NULL;
  tg_error err = {0};
  tg_status st = extend ? tg_license_extend(s, sp.number, sp.valid_until, cli_get(a, "reason"), cli_actor(), &js, &err)
                        : tg_license_amend(s, &sp, cli_get(a, "reason"), cli_actor(), &js, &err);
  if (st != TG_OK) return cli_fail(a, st, &err);
  if (!cli_flag(a, "json")) printf("%s ", extend ? "Extended" : "Amended");
  return emit(a, js, print_license);
}

int cmd_license(int argc, char **argv) {
  static const cli_optdef defs[] = {
      {"number", true},     {"holder", true},    {"chip", true},   {"to", true},
      {"end-user", true},   {"qty", true},       {"value-usd", true}, {"from", true},
      {"until", true},      {"payment-rate", true}, {"tpp-cap", true}, {"condition", true},
      {"notes", true},      {"reason", true},    {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "license", argc, argv, defs)) return CLI_BADINPUT;
  const char *sub = a.npos ? a.pos[0] : NULL;
  if (!sub) return cli_error(&a, CLI_BADINPUT, "usage: license add|list|show NUMBER|revoke NUMBER|amend NUMBER|extend NUMBER");
  bool needs_num = !strcmp(sub, "show") || !strcmp(sub, "revoke") || !strcmp(sub, "amend") || !strcmp(sub, "extend");
  if (needs_num && a.npos != 2) return cli_error(&a, CLI_BADINPUT, "usage: license %s NUMBER", sub);
  if (!needs_num && strcmp(sub, "add") && strcmp(sub, "list"))
    return cli_error(&a, CLI_BADINPUT, "unknown subcommand 'license %s' (add, list, show, revoke, amend, extend)", sub);
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = TG_OK;
  if (!strcmp(sub, "add")) {
    rc = license_add(&a, s);
  } else if (!strcmp(sub, "amend") || !strcmp(sub, "extend")) {
    rc = license_change(&a, s, !strcmp(sub, "extend"));
  } else if (!strcmp(sub, "list")) {
    if ((st = tg_licenses_json(s, &js, &err)) == TG_OK) rc = emit(&a, js, print_licenses);
  } else if (!strcmp(sub, "show")) {
    if ((st = tg_license_json(s, a.pos[1], &js, &err)) == TG_OK) {
      rc = emit(&a, js, print_license);
      if (!cli_flag(&a, "json")) st = print_license_shipments(s, a.pos[1], &err);
    }
  } else {
    st = tg_license_revoke(s, a.pos[1], cli_get(&a, "reason"), cli_actor(), &js, &err);
    if (st == TG_OK) {
      if (!cli_flag(&a, "json")) printf("Revoked ");
      rc = emit(&a, js, print_license);
    }
  }
  if (st != TG_OK) rc = cli_fail(&a, st, &err);
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}

/* ---- ship ---- */

static void print_shipment(json_t *h) {
  char to[32], qty[32], value[40];
  cli_dest_label(h, to, sizeof to);
  cli_thousands((long long)json_integer_value(json_object_get(h, "qty")), qty, sizeof qty);
  cli_thousands_str(str(h, "value_usd"), value, sizeof value);
  printf("Recorded shipment #%lld: %s x%s to %s on %s, USD %s (%s%s%s)\n",
         (long long)json_integer_value(json_object_get(h, "id")), str(h, "chip"), qty, to, str(h, "on"), value,
         str(h, "verdict"), json_is_string(json_object_get(h, "exception")) ? " " : "",
         json_is_string(json_object_get(h, "exception")) ? str(h, "exception") : "");
  if (json_is_string(json_object_get(h, "license"))) printf("  under license %s", str(h, "license"));
  json_t *rem = json_object_get(h, "license_remaining");
  if (json_is_object(rem)) {
    json_t *q = json_object_get(rem, "qty");
    printf("; left: ");
    if (json_is_integer(q)) printf("%lld units", (long long)json_integer_value(q));
    else printf("no unit limit");
    char left[40];
    cli_thousands_str(str(rem, "value_usd"), left, sizeof left);
    if (json_is_string(json_object_get(rem, "value_usd"))) printf(", USD %s", left);
    printf("\n");
  } else if (json_is_string(json_object_get(h, "license"))) {
    printf("\n");
  }
  if (json_is_string(json_object_get(h, "notified_on"))) printf("  BIS notified on %s\n", str(h, "notified_on"));
  json_t *fee = json_object_get(h, "fee");
  char amount[40];
  cli_thousands_str(str(fee, "amount_usd"), amount, sizeof amount);
  if (json_is_object(fee))
    printf("  payment owed: USD %s (%s of value, from the %s)\n", amount, str(fee, "rate"),
           !strcmp(str(fee, "source"), "rules") ? "payment arrangement" : "license's condition");
}

/* Fills an order from flags; returns an exit status. */
typedef struct ship_in {
  const char *chip, *to, *hq, *end_user, *license, *reference, *on, *notified, *qty, *price;
  const char *end_use;
  const char *attest, *nac;
  const tg_ownership *own;     /* the stored ownership records, or NULL */
} ship_in;

static int parse_count(const char *s, long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (!*s || *end || errno || v < 1) return -1;
  *out = v;
  return 0;
}

/* What every shipment of one run shares: the lists' screener and the
 * threshold. */
typedef struct ship_ctx {
  tg_screener *sc;
  double threshold;
} ship_ctx;

/* Fills an order and its options from `in` (strings stay in's); an exit
 * status, CLI_OK when filled. */
static int ship_order(const cli_args *a, tg_engine *e, const ship_ctx *cx, const ship_in *in,
                      tg_order *o, tg_ship_opts *opts) {
  tg_order_init(o);
  o->screener = cx->sc;
  o->screen_threshold = cx->threshold;
  o->lists_as_of = cli_today();
  o->list_max_age_days = cli_list_max_age();
  tg_ship_opts_init(opts);
  opts->today = cli_today();
  long long qty, cents;
  if (!in->chip || !in->to || !in->qty || !in->price || !in->on)
    return cli_error(a, CLI_BADINPUT, "a shipment needs chip, destination, quantity, unit price and date");
  if (!(o->chip = tg_catalog_find(e, in->chip)))
    return cli_error(a, CLI_BADINPUT, "unknown chip '%s' (see 'tollgate chips')", in->chip);
  if (parse_count(in->qty, &qty)) return cli_error(a, CLI_BADINPUT, "quantity '%s' is not a whole number >= 1", in->qty);
  if ((cents = cli_usd_cents(in->price)) < 0)
    return cli_error(a, CLI_BADINPUT, "unit price '%s' is not an amount in USD (e.g. 12000.50)", in->price);
  if (tg_date_parse(in->on, &o->on) != TG_OK)
    return cli_error(a, CLI_BADINPUT, "date '%s' is not a date (YYYY-MM-DD)", in->on);
  if (in->notified && tg_date_parse(in->notified, &opts->notified) != TG_OK)
    return cli_error(a, CLI_BADINPUT, "notification date '%s' is not a date (YYYY-MM-DD)", in->notified);
  o->dest = in->to;
  o->hq = in->hq;
  o->end_use = in->end_use;
  o->ownership = in->own;
  o->end_user = in->end_user;
  o->attestations = in->attest;
  o->qty = qty;
  o->unit_price_cents = cents;
  opts->license = in->license;
  opts->reference = in->reference;
  opts->nac = in->nac;
  return CLI_OK;
}

/* Prints one shipment's result (one line of JSON when compact) and
 * records a refusal in the audit trail; takes js.  An exit status. */
static int ship_report(const cli_args *a, tg_store *s, const tg_order *o, tg_status st, char *js,
                       const tg_error *err, bool compact) {
  tg_error aerr = {0}; /* a refusal goes into the audit trail too */
  if (st == TG_EREFUSED && js && tg_refusal_record(s, o->end_user, js, cli_actor(), &aerr) != TG_OK)
    fprintf(stderr, "tollgate ship: the refusal was not recorded in the audit trail: %s\n", aerr.message);
  if (compact && js) {
    json_t *j = json_loads(js, 0, NULL);
    if (st == TG_EREFUSED) json_object_del(j, "determination");
    char *line = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    printf("%s\n", line ? line : "{}");
    fflush(stdout);
    free(line);
    json_decref(j);
    tg_free(js);
    return st == TG_OK ? CLI_OK : CLI_REFUSED;
  }
  if (st == TG_EREFUSED) {
    if (cli_flag(a, "json")) printf("%s\n", js);
    else fprintf(stderr, "tollgate ship: %s\n", err->message);
    tg_free(js);
    return CLI_REFUSED;
  }
  if (st != TG_OK) return cli_fail(a, st, err);
  return emit(a, js, print_shipment);
}

/* Records one shipment; prints its result (one line of JSON when compact). */
static int ship_one(const cli_args *a, tg_engine *e, tg_store *s, const ship_ctx *cx, const ship_in *in,
                    bool compact) {
  tg_order o;
  tg_ship_opts opts;
  int rc = ship_order(a, e, cx, in, &o, &opts);
  if (rc) return rc;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_ship(s, e, &o, &opts, cli_actor(), &js, &err);
  return ship_report(a, s, &o, st, js, &err, compact);
}

/* The shipments of --batch read but not yet committed: a group commit. */
#define SHIP_GROUP 64
typedef struct ship_group {
  json_t *line[SHIP_GROUP]; /* the parsed lines: the orders' strings */
  tg_order o[SHIP_GROUP];
  tg_ship_opts opts[SHIP_GROUP];
  tg_ship_item it[SHIP_GROUP];
  size_t n;
} ship_group;

/* Commits the group in one transaction and one durable commit
 * (tg_ship_batch), then prints each result in order: a line is printed
 * only once its shipment is durable.  An exit status: the first failure,
 * else CLI_REFUSED when any was refused. */
static int group_flush(const cli_args *a, tg_engine *e, tg_store *s, ship_group *g) {
  tg_error err = {0};
  tg_status st = g->n ? tg_ship_batch(s, e, g->it, g->n, &err) : TG_OK;
  int rc = st == TG_OK ? CLI_OK : cli_fail(a, st, &err);
  for (size_t i = 0; i < g->n; i++) {
    if (st == TG_OK) {
      int r = ship_report(a, s, &g->o[i], g->it[i].status, g->it[i].json, &g->it[i].err, true);
      if (r && (rc == CLI_OK || (rc == CLI_REFUSED && r != CLI_REFUSED))) rc = r;
    } else {
      tg_free(g->it[i].json);
    }
    json_decref(g->line[i]);
  }
  g->n = 0;
  return rc;
}

/* More input is ready now (else the group is committed rather than wait). */
static bool input_ready(FILE *f) {
  struct pollfd p = {.fd = fileno(f), .events = POLLIN};
  return poll(&p, 1, 0) > 0;
}

/* --batch FILE|-: one JSON object per line ({"chip", "to", "qty",
 * "unit_price", "on", "license", "end_user", "hq", "notified",
 * "reference", "attest", "nac"}); prints one compact JSON line per
 * shipment once it is committed.  Lines are committed together: all that
 * are ready to read (up to SHIP_GROUP) in one transaction.  Exit 0 when
 * all were recorded, 1 when any was refused. */
static int ship_batch(const cli_args *a, tg_engine *e, tg_store *s, const ship_ctx *cx, const char *path,
                      const tg_ownership *own) {
  FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
  if (!f) return cli_error(a, CLI_BADINPUT, "--batch: cannot read '%s': %s", path, strerror(errno));
  ship_group *g = calloc(1, sizeof *g);
  if (!g) {
    if (f != stdin) fclose(f);
    return cli_error(a, CLI_FAILED, "out of memory");
  }
  char *line = NULL; /* whole lines, of any length */
  size_t cap = 0;
  int rc = CLI_OK, n = 0;
  while (getline(&line, &cap, f) > 0) {
    n++;
    json_error_t je;
    json_t *j = json_loads(line, 0, &je);
    if (!j && strspn(line, " \t\r\n") == strlen(line)) continue;
    int r = j ? CLI_OK : CLI_BADINPUT;
    char qty[32] = "", price[32] = "";
    json_t *q = json_object_get(j, "qty"), *p = json_object_get(j, "unit_price");
    if (json_is_integer(q)) snprintf(qty, sizeof qty, "%lld", (long long)json_integer_value(q));
    if (json_is_string(p)) snprintf(price, sizeof price, "%s", json_string_value(p));
    else if (json_is_integer(p)) snprintf(price, sizeof price, "%lld", (long long)json_integer_value(p));
    ship_in in = {json_string_value(json_object_get(j, "chip")), json_string_value(json_object_get(j, "to")),
                  json_string_value(json_object_get(j, "hq")), json_string_value(json_object_get(j, "end_user")),
                  json_string_value(json_object_get(j, "license")),
                  json_string_value(json_object_get(j, "reference")), json_string_value(json_object_get(j, "on")),
                  json_string_value(json_object_get(j, "notified")), qty[0] ? qty : NULL,
                  price[0] ? price : NULL, json_string_value(json_object_get(j, "end_use")),
                  json_string_value(json_object_get(j, "attest")),
                  json_string_value(json_object_get(j, "nac")), own};
    if (j && (r = ship_order(a, e, cx, &in, &g->o[g->n], &g->opts[g->n])) == CLI_OK) {
      g->line[g->n] = j;
      g->it[g->n] = (tg_ship_item){.order = &g->o[g->n], .opts = &g->opts[g->n], .actor = cli_actor()};
      g->n++;
    } else {
      json_decref(j);
    }
    /* the lines before a bad one are committed, as they would be alone */
    if (r != CLI_OK || g->n == SHIP_GROUP || !input_ready(f)) {
      int fr = group_flush(a, e, s, g);
      if (fr == CLI_REFUSED) rc = CLI_REFUSED;
      else if (fr) r = fr;
    }
    if (r != CLI_OK) {
      rc = !j ? cli_error(a, CLI_BADINPUT, "--batch line %d: %s", n, je.text) : r;
      break;
    }
  }
  int fr = group_flush(a, e, s, g);
  if (fr && rc == CLI_OK) rc = fr;
  else if (fr && fr != CLI_REFUSED && rc == CLI_REFUSED) rc = fr;
  free(line);
  free(g);
  if (f != stdin) fclose(f);
  return rc;
}

int cmd_ship(int argc, char **argv) {
  static const cli_optdef defs[] = {
      {"chip", true}, {"to", true},       {"qty", true},       {"unit-price", true},
      {"on", true},   {"license", true},  {"end-user", true},  {"hq", true},
      {"notified", true}, {"reference", true}, {"batch", true}, {"end-use", true},
      {"attest", true}, {"nac", true}, CLI_THRESHOLD_OPTS, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "ship", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos) return cli_error(&a, CLI_BADINPUT, "unexpected argument '%s'", a.pos[0]);
  const char *batch = cli_get(&a, "batch");
  if (!batch) {
    static const char *const req[] = {"chip", "to", "qty", "unit-price", "on", "end-user"};
    for (size_t i = 0; i < sizeof req / sizeof *req; i++)
      if (!cli_get(&a, req[i])) return cli_error(&a, CLI_BADINPUT, "--%s is required", req[i]);
  }
  ship_ctx cx = {NULL, 0};
  int rc = cli_threshold(&a, &cx.threshold);
  if (rc) return rc;
  tg_engine *e;
  tg_store *s;
  if ((rc = cli_store(&a, &e, &s))) return rc;
  /* every recorded shipment is screened: the stored lists, loaded once;
   * the stored ownership records feed the Affiliates Rule */
  tg_error err = {0};
  tg_ownership *own = NULL;
  tg_status st = tg_ownership_load(s, &own, &err);
  if (st == TG_OK) st = tg_screener_create(e, &cx.sc, &err);
  if (st == TG_OK) st = tg_screener_load_store(cx.sc, s, &err);
  if (st != TG_OK) {
    rc = cli_fail(&a, st, &err);
  } else if (batch) {
    rc = ship_batch(&a, e, s, &cx, batch, own);
  } else {
    ship_in in = {cli_get(&a, "chip"),     cli_get(&a, "to"),        cli_get(&a, "hq"),
                  cli_get(&a, "end-user"), cli_get(&a, "license"),   cli_get(&a, "reference"),
                  cli_get(&a, "on"),       cli_get(&a, "notified"),  cli_get(&a, "qty"),
                  cli_get(&a, "unit-price"), cli_get(&a, "end-use"), cli_get(&a, "attest"),
                  cli_get(&a, "nac"), own};
    rc = ship_one(&a, e, s, &cx, &in, false);
  }
  tg_screener_destroy(cx.sc);
  tg_ownership_destroy(own);
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}

int cmd_correct(int argc, char **argv) {
  static const cli_optdef defs[] = {{"reason", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "correct", argc, argv, defs)) return CLI_BADINPUT;
  long long id;
  if (a.npos != 1 || parse_count(a.pos[0], &id))
    return cli_error(&a, CLI_BADINPUT, "usage: correct SHIPMENT-ID --reason TEXT");
  if (!cli_get(&a, "reason")) return cli_error(&a, CLI_BADINPUT, "--reason TEXT is required");
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  char *js;
  tg_error err = {0};
  tg_status st = tg_shipment_reverse(s, id, cli_get(&a, "reason"), cli_actor(), &js, &err);
  if (st != TG_OK) {
    rc = cli_fail(&a, st, &err);
  } else if (cli_flag(&a, "json")) {
    rc = emit(&a, js, NULL);
  } else {
    json_t *j = json_loads(js, 0, NULL);
    printf("Recorded correction #%lld reversing shipment #%lld (%lld units, USD %s)\n",
           (long long)json_integer_value(json_object_get(j, "id")), id,
           (long long)json_integer_value(json_object_get(j, "qty")), str(j, "value_usd"));
    json_decref(j);
    tg_free(js);
  }
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}

/* ---- payment add|list|dues|terms ---- */

static void money_str(json_t *o, const char *key, char *out, size_t n) {
  char k[64];
  snprintf(k, sizeof k, "%s_usd", key);
  cli_thousands_str(str(o, k), out, n);
}

static void print_dues_rows(json_t *rows) {
  size_t i;
  json_t *r;
  printf("%6s %-10s %-12s %-18s %-18s %16s %16s %-10s %s\n", "ship", "on", "license", "chip",
         "arrangement", "owed USD", "outstanding USD", "due on", "status");
  json_array_foreach(rows, i, r) {
    char owed[48], open[48];
    money_str(r, "owed", owed, sizeof owed);
    money_str(r, "outstanding", open, sizeof open);
    printf("%6lld %-10s %-12.12s %-18.18s %-18.18s %16s %16s %-10s %s\n",
           (long long)json_integer_value(json_object_get(r, "shipment")), str(r, "on"), str(r, "license"),
           str(r, "chip"), str(r, "arrangement"), owed, open, str(r, "due_on"), str(r, "status"));
  }
  if (!json_array_size(rows)) printf("(no obligations)\n");
}

/* Each arrangement on its own: never one total across them. */
static void print_dues(json_t *o) {
  printf("Payments by arrangement, as of %s (arrangements are never added together)\n", str(o, "as_of"));
  size_t i;
  json_t *a;
  json_array_foreach(json_object_get(o, "arrangements"), i, a) {
    char owed[48], paid[48], open[48], late[48];
    money_str(a, "owed", owed, sizeof owed);
    money_str(a, "paid", paid, sizeof paid);
    money_str(a, "outstanding", open, sizeof open);
    money_str(a, "overdue", late, sizeof late);
    json_t *d = json_object_get(a, "due_rule"), *c = json_object_get(a, "counts");
    printf("\n%s\n  payee        %s\n", str(a, "arrangement"), str(a, "payee"));
    printf("  due          %lld %s after %s\n  due source   %s\n",
           (long long)json_integer_value(json_object_get(d, "n")),
           !strcmp(str(d, "kind"), "working_days") ? "working days" : "days", str(d, "from"), str(d, "source"));
    printf("  owed USD %s, paid USD %s, outstanding USD %s (overdue USD %s)\n", owed, paid, open, late);
    printf("  %lld obligations: %lld due, %lld paid, %lld overdue, %lld reversed\n",
           (long long)json_integer_value(json_object_get(a, "obligations")),
           (long long)json_integer_value(json_object_get(c, "due")),
           (long long)json_integer_value(json_object_get(c, "paid")),
           (long long)json_integer_value(json_object_get(c, "overdue")),
           (long long)json_integer_value(json_object_get(c, "reversed")));
  }
  printf("\n");
  print_dues_rows(json_object_get(o, "obligations"));
}

static void print_payment(json_t *p) {
  char amount[48];
  money_str(p, "amount", amount, sizeof amount);
  printf("Recorded payment #%lld: USD %s under %s on %s, reference %s, for ",
         (long long)json_integer_value(json_object_get(p, "id")), amount, str(p, "arrangement"),
         str(p, "paid_on"), str(p, "reference"));
  if (json_is_integer(json_object_get(p, "shipment_id")))
    printf("shipment #%lld\n", (long long)json_integer_value(json_object_get(p, "shipment_id")));
  else
    printf("license %s\n", str(p, "license_number"));
  print_dues_rows(json_object_get(p, "obligations"));
}

static void print_payments(json_t *o) {
  size_t i;
  json_t *p;
  printf("%5s %-10s %-18s %-14s %18s %-20s %s\n", "id", "paid on", "arrangement", "for", "amount USD",
         "reference", "recorded by");
  json_array_foreach(json_object_get(o, "payments"), i, p) {
    char amount[48], target[64];
    money_str(p, "amount", amount, sizeof amount);
    if (json_is_integer(json_object_get(p, "shipment_id")))
      snprintf(target, sizeof target, "shipment #%lld", (long long)json_integer_value(json_object_get(p, "shipment_id")));
    else
      snprintf(target, sizeof target, "license %s", str(p, "license_number"));
    printf("%5lld %-10s %-18.18s %-14.14s %18s %-20.20s %s\n", (long long)json_integer_value(json_object_get(p, "id")),
           str(p, "paid_on"), str(p, "arrangement"), target, amount, str(p, "reference"), str(p, "recorded_by"));
  }
  if (!json_array_size(json_object_get(o, "payments"))) printf("(no payments recorded)\n");
}

static void print_terms(json_t *arr) {
  size_t i;
  json_t *t;
  json_array_foreach(arr, i, t) {
    printf("%s: %s\n  due %lld %s after %s\n  source: %s\n  rules: %s; set %s by %s\n", str(t, "arrangement"),
           str(t, "payee"), (long long)json_integer_value(json_object_get(t, "due_n")),
           !strcmp(str(t, "due_kind"), "working_days") ? "working days" : "days", str(t, "due_from"),
           str(t, "due_source"), str(t, "rules"), str(t, "updated_at"), str(t, "updated_by"));
  }
}

static int payment_add(const cli_args *a, tg_store *s) {
  tg_payment_spec p;
  tg_payment_spec_init(&p);
  p.arrangement = cli_get(a, "arrangement");
  p.license = cli_get(a, "license");
  p.reference = cli_get(a, "reference");
  p.notes = cli_get(a, "notes");
  long long cents = -1, ship = 0;
  int rc;
  if (!cli_get(a, "amount")) return cli_error(a, CLI_BADINPUT, "--amount USD is required");
  if (!cli_get(a, "date")) return cli_error(a, CLI_BADINPUT, "--date DATE (the day it was paid) is required");
  if ((rc = cli_parse_usd(a, "amount", &cents)) || (rc = cli_parse_int64(a, "shipment", &ship)) ||
      (rc = cli_date(a, "date", &p.paid_on)))
    return rc;
  if (cli_get(a, "shipment") && ship <= 0)
    return cli_error(a, CLI_BADINPUT, "--shipment: '%s' is not a shipment id", cli_get(a, "shipment"));
  p.amount_cents = cents;
  p.shipment = ship;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_payment_add(s, &p, cli_actor(), &js, &err);
  return cli_emit(a, st, &err, js, print_payment);
}

/* payment terms A (--due-days N | --due-working-days N) --source TEXT */
static int payment_terms_set(const cli_args *a, tg_store *s) {
  const char *d = cli_get(a, "due-days"), *w = cli_get(a, "due-working-days");
  const char *opt = d ? "due-days" : "due-working-days";
  long long n = -1;
  int rc;
  if ((!d) == (!w)) return cli_error(a, CLI_BADINPUT, "give one of --due-days N or --due-working-days N, and --source TEXT");
  if ((rc = cli_parse_int64(a, opt, &n))) return rc;
  if (n > 3660) return cli_error(a, CLI_BADINPUT, "--%s: from 0 to 3660", opt);
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_payment_terms_set(s, a->pos[1], d ? "days" : "working_days", (int)n, cli_get(a, "source"),
                                      cli_actor(), &js, &err);
  if (st != TG_OK || cli_flag(a, "json")) return cli_emit(a, st, &err, js, NULL);
  json_t *arr = json_array();
  json_array_append_new(arr, json_loads(js, 0, NULL));
  tg_free(js);
  printf("Changed ");
  print_terms(arr);
  json_decref(arr);
  return CLI_OK;
}

int cmd_payment(int argc, char **argv) {
  static const cli_optdef defs[] = {
      {"arrangement", true}, {"shipment", true}, {"license", true}, {"amount", true},
      {"date", true},        {"reference", true}, {"notes", true},  {"status", true},
      {"limit", true},       {"cursor", true},   {"due-days", true}, {"due-working-days", true},
      {"source", true},      {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "payment", argc, argv, defs)) return CLI_BADINPUT;
  const char *sub = a.npos ? a.pos[0] : NULL;
  static const char usage[] = "usage: payment add|list|dues|terms [ARRANGEMENT]";
  if (!sub) return cli_error(&a, CLI_BADINPUT, "%s", usage);
  bool terms = !strcmp(sub, "terms");
  if ((!terms && a.npos != 1) || (terms && a.npos > 2) ||
      (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "dues") && !terms))
    return cli_error(&a, CLI_BADINPUT, "%s", usage);
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = TG_OK;
  if (!strcmp(sub, "add")) {
    rc = payment_add(&a, s);
  } else if (!strcmp(sub, "list")) {
    tg_page pg;
    tg_page_init(&pg);
    long long lim = 0;
    if (!(rc = cli_parse_int64(&a, "limit", &lim))) {
      pg.limit = lim;
      pg.after = cli_get(&a, "cursor");
      st = tg_payments_page_json(s, &pg, &js, &err);
      rc = cli_emit(&a, st, &err, js, print_payments);
      if (st == TG_OK && pg.next[0] && !cli_flag(&a, "json")) printf("more follow: --cursor %s\n", pg.next);
    }
  } else if (!strcmp(sub, "dues")) {
    tg_dues_filter f;
    tg_dues_filter_init(&f);
    f.license = cli_get(&a, "license");
    f.arrangement = cli_get(&a, "arrangement");
    f.status = cli_get(&a, "status");
    long long ship = 0;
    if (!(rc = cli_parse_int64(&a, "shipment", &ship))) {
      f.shipment = ship;
      st = tg_payment_dues_json(s, &f, &js, &err);
      rc = cli_emit(&a, st, &err, js, print_dues);
    }
  } else if (a.npos == 1) {
    st = tg_payment_terms_json(s, &js, &err);
    rc = cli_emit(&a, st, &err, js, print_terms);
  } else {
    rc = payment_terms_set(&a, s);
  }
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}
