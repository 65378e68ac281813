/* cmd_reports.c - the ledger's reading commands: shipments (listing and
 * show), fees (payments by period as a table, CSV or JSON), audit
 * verify|export, and backup. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *str(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "-";
}

static long long num(json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }

/* Fills the date window of a filter from --from/--until (shipments) or
 * --quarter/--month/--year (fees). */
static int period(const cli_args *a, tg_shipment_filter *f) {
  tg_error err = {0};
  tg_status st = tg_period_parse(cli_get(a, "quarter"), cli_get(a, "month"), cli_get(a, "year"),
                                 cli_get(a, "from"), cli_get(a, "until"), &f->from, &f->to, &err);
  return st == TG_OK ? CLI_OK : cli_fail(a, st, &err);
}

static void common_filter(const cli_args *a, tg_shipment_filter *f) {
  f->license = cli_get(a, "license");
  f->chip = cli_get(a, "chip");
  f->dest = cli_get(a, "to");
  f->end_user = cli_get(a, "end-user");
  f->verdict = cli_get(a, "verdict");
}

void cli_dest_label(json_t *h, char *out, size_t n) {
  const char *in = json_string_value(json_object_get(h, "dest_input"));
  const char *ear = str(h, "dest");
  if (in && strcmp(in, ear)) snprintf(out, n, "%s (EAR: %s)", in, ear);
  else snprintf(out, n, "%s", ear);
}

void cli_print_shipments(json_t *o) {
  printf("%5s %-8s %-10s %-14s %-12s %8s %16s %-20s %-10s %12s %s\n", "id", "kind", "on", "chip", "to",
         "qty", "value USD", "verdict", "license", "payment USD", "end user");
  size_t i;
  json_t *h;
  json_array_foreach(json_object_get(o, "shipments"), i, h) {
    json_t *fee = json_object_get(h, "fee");
    char to[32], qty[32], value[40], pay[40];
    cli_dest_label(h, to, sizeof to);
    cli_thousands(num(h, "qty"), qty, sizeof qty);
    cli_thousands_str(str(h, "value_usd"), value, sizeof value);
    cli_thousands_str(json_is_object(fee) ? str(fee, "amount_usd") : "-", pay, sizeof pay);
    printf("%5lld %-8s %-10s %-14s %-12s %8s %16s %-20s %-10s %12s %s\n", num(h, "id"), str(h, "kind"),
           str(h, "on"), str(h, "chip"), to, qty, value, str(h, "verdict"), str(h, "license"), pay,
           str(h, "end_user"));
  }
  printf("(%lld shipments)\n", num(o, "count"));
}

/* `shipments show ID` as text: the row, its payment and its determination. */
static void print_shipment_detail(json_t *h) {
  char to[32], qty[32], price[40], value[40];
  cli_dest_label(h, to, sizeof to);
  cli_thousands(num(h, "qty"), qty, sizeof qty);
  cli_thousands_str(str(h, "unit_price_usd"), price, sizeof price);
  cli_thousands_str(str(h, "value_usd"), value, sizeof value);
  printf("Shipment #%lld (%s) on %s: %s x%s to %s\n", num(h, "id"), str(h, "kind"), str(h, "on"), str(h, "chip"),
         qty, to);
  printf("  end user      %s (headquarters %s)\n", str(h, "end_user"), str(h, "hq"));
  printf("  value         USD %s (%s units at USD %s)\n", value, qty, price);
  printf("  determination %s, ECCN %s", str(h, "verdict"), str(h, "eccn"));
  if (json_is_string(json_object_get(h, "exception"))) printf(", exception %s", str(h, "exception"));
  if (json_is_string(json_object_get(h, "review_policy"))) printf(", review policy %s", str(h, "review_policy"));
  printf("\n  license       %s\n", str(h, "license"));
  json_t *fee = json_object_get(h, "fee");
  if (json_is_object(fee)) {
    char amt[40];
    cli_thousands_str(str(fee, "amount_usd"), amt, sizeof amt);
    printf("  payment       USD %s (%s of value, %s)\n", amt, str(fee, "rate"),
           !strcmp(str(fee, "source"), "rules") ? "the payment arrangement in the rules" : "the license's condition");
  } else {
    printf("  payment       none\n");
  }
  if (json_is_string(json_object_get(h, "notified_on"))) printf("  BIS notified  %s\n", str(h, "notified_on"));
  if (json_is_string(json_object_get(h, "reference"))) printf("  reference     %s\n", str(h, "reference"));
  if (json_is_integer(json_object_get(h, "corrects")))
    printf("  reverses      #%lld: %s\n", num(h, "corrects"), str(h, "reason"));
  printf("  recorded      %s by %s\n", str(h, "recorded_at"), str(h, "recorded_by"));
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(json_object_get(h, "determination"), "reasons"), i, x)
    if (json_is_true(json_object_get(x, "result")))
      printf("  reason        %s: %s\n", str(x, "rule"), str(x, "text"));
}

int cmd_shipments(int argc, char **argv) {
  static const cli_optdef defs[] = {{"license", true}, {"chip", true},  {"to", true},
                                    {"end-user", true}, {"verdict", true}, {"from", true},
                                    {"until", true},   {"limit", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "shipments", argc, argv, defs)) return CLI_BADINPUT;
  bool show = a.npos == 2 && !strcmp(a.pos[0], "show");
  if (a.npos && !show) return cli_error(&a, CLI_BADINPUT, "usage: shipments [FILTERS] | shipments show ID");
  tg_shipment_filter f;
  tg_shipment_filter_init(&f);
  common_filter(&a, &f);
  long long limit = 0, id = 0;
  int rc;
  if ((rc = period(&a, &f)) || (rc = cli_parse_int64(&a, "limit", &limit))) return rc;
  f.limit = limit;
  if (show && ((id = strtoll(a.pos[1], NULL, 10)) <= 0))
    return cli_error(&a, CLI_BADINPUT, "'%s' is not a shipment id", a.pos[1]);
  tg_engine *e;
  tg_store *s;
  if ((rc = cli_store(&a, &e, &s))) return rc;
  char *js;
  tg_error err = {0};
  tg_status st = show ? tg_shipment_json(s, id, &js, &err) : tg_shipments_json(s, &f, &js, &err);
  if (st != TG_OK) {
    rc = cli_fail(&a, st, &err);
  } else {
    if (cli_flag(&a, "json")) {
      printf("%s\n", js);
    } else {
      json_t *o = json_loads(js, 0, NULL);
      if (show) print_shipment_detail(o);
      else cli_print_shipments(o);
      json_decref(o);
    }
    tg_free(js);
  }
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}

/* ---- fees ---- */

static void csv_field(const char *s) {
  if (!strpbrk(s, ",\"\n")) {
    fputs(s, stdout);
    return;
  }
  putchar('"');
  for (; *s; s++) {
    if (*s == '"') putchar('"');
    putchar(*s);
  }
  putchar('"');
}

/* Data rows only, one per shipment and arrangement: no total row. */
static void print_fees_csv(json_t *o) {
  printf("id,kind,on,chip,dest,license,arrangement,qty,value_usd,rate,fee_usd\n");
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(o, "rows"), i, r) {
    printf("%lld,%s,%s,", num(r, "id"), str(r, "kind"), str(r, "on"));
    csv_field(str(r, "chip"));
    printf(",%s,", str(r, "dest"));
    csv_field(json_is_string(json_object_get(r, "license")) ? str(r, "license") : "");
    putchar(',');
    csv_field(str(r, "arrangement"));
    printf(",%lld,%s,%s,%s\n", num(r, "qty"), str(r, "value_usd"), str(r, "rate"), str(r, "fee_usd"));
  }
}

/* --csv --totals: each arrangement's totals, one row each (never summed
 * across arrangements). */
static void print_fees_totals_csv(json_t *o) {
  printf("arrangement,shipments,qty,value_usd,fee_usd\n");
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(o, "arrangements"), i, r) {
    csv_field(str(r, "arrangement"));
    printf(",%lld,%lld,%s,%s\n", num(r, "shipments"), num(r, "qty"), str(r, "value_usd"), str(r, "fee_usd"));
  }
}

static void print_fees(json_t *o) {
  json_t *from = json_object_get(o, "from"), *to = json_object_get(o, "to");
  printf("Payments owed, %s to %s, by arrangement (never added together)\n",
         json_is_string(from) ? json_string_value(from) : "the beginning",
         json_is_string(to) ? json_string_value(to) : "now");
  size_t i;
  json_t *r;
  if (json_is_string(json_object_get(o, "group_by"))) {
    printf("%-18s %-16s %9s %10s %18s %16s\n", "arrangement", str(o, "group_by"), "shipments", "qty",
           "value USD", "payment USD");
    json_array_foreach(json_object_get(o, "groups"), i, r) {
      char q[32], v[40], fee[40];
      cli_thousands(num(r, "qty"), q, sizeof q);
      cli_thousands_str(str(r, "value_usd"), v, sizeof v);
      cli_thousands_str(str(r, "fee_usd"), fee, sizeof fee);
      printf("%-18.18s %-16s %9lld %10s %18s %16s\n", str(r, "arrangement"), str(r, "key"), num(r, "shipments"),
             q, v, fee);
    }
  } else {
    printf("%5s %-10s %-14s %-4s %-10s %-18s %8s %16s %7s %14s\n", "id", "on", "chip", "to", "license",
           "arrangement", "qty", "value USD", "rate", "payment USD");
    json_array_foreach(json_object_get(o, "rows"), i, r) {
      char q[32], v[40], fee[40];
      cli_thousands(num(r, "qty"), q, sizeof q);
      cli_thousands_str(str(r, "value_usd"), v, sizeof v);
      cli_thousands_str(str(r, "fee_usd"), fee, sizeof fee);
      printf("%5lld %-10s %-14s %-4s %-10s %-18.18s %8s %16s %7s %14s\n", num(r, "id"), str(r, "on"), str(r, "chip"),
             str(r, "dest"), str(r, "license"), str(r, "arrangement"), q, v, str(r, "rate"), fee);
    }
  }
  char q[32], v[40];
  cli_thousands(num(o, "qty"), q, sizeof q);
  cli_thousands_str(str(o, "value_usd"), v, sizeof v);
  printf("%lld shipments, %s units, value USD %s\n", num(o, "shipments"), q, v);
  json_array_foreach(json_object_get(o, "arrangements"), i, r) {
    char fee[40];
    cli_thousands_str(str(r, "fee_usd"), fee, sizeof fee);
    printf("Owed under %s: USD %s (%lld shipments) - %s\n", str(r, "arrangement"), fee, num(r, "shipments"),
           str(r, "payee"));
  }
  if (!json_array_size(json_object_get(o, "arrangements"))) printf("No payments owed.\n");
}

int cmd_fees(int argc, char **argv) {
  static const cli_optdef defs[] = {{"quarter", true}, {"month", true}, {"year", true},
                                    {"from", true},    {"until", true}, {"license", true},
                                    {"chip", true},    {"to", true},    {"by", true},
                                    {"csv", false},    {"totals", false}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "fees", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos) return cli_error(&a, CLI_BADINPUT, "unexpected argument '%s'", a.pos[0]);
  tg_shipment_filter f;
  tg_shipment_filter_init(&f);
  common_filter(&a, &f);
  int rc = period(&a, &f);
  if (rc) return rc;
  tg_engine *e;
  tg_store *s;
  if ((rc = cli_store(&a, &e, &s))) return rc;
  char *js;
  tg_error err = {0};
  tg_status st = tg_fees_json(s, &f, cli_get(&a, "by"), &js, &err);
  if (st != TG_OK) {
    rc = cli_fail(&a, st, &err);
  } else {
    if (cli_flag(&a, "json")) {
      printf("%s\n", js);
    } else {
      json_t *o = json_loads(js, 0, NULL);
      if (cli_flag(&a, "csv") && cli_flag(&a, "totals")) print_fees_totals_csv(o);
      else if (cli_flag(&a, "csv")) print_fees_csv(o);
      else print_fees(o);
      json_decref(o);
    }
    tg_free(js);
  }
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}

/* ---- audit, backup ---- */

static int write_file(void *ud, const char *data, size_t len) {
  return fwrite(data, 1, len, (FILE *)ud) != len;
}

static int audit_verify(const cli_args *a, tg_store *s) {
  const char *file = cli_get(a, "file");
  char *js = NULL;
  tg_error err = {0};
  tg_status st;
  if (file) {
    size_t len;
    char *text = cli_read_file(file, &len);
    if (!text) return cli_error(a, CLI_BADINPUT, "cannot read '%s': %s", file, strerror(errno));
    st = tg_audit_verify_export(text, len, &js, &err);
    free(text);
  } else {
    st = tg_audit_verify(s, &js, &err);
  }
  if (st != TG_OK && st != TG_ETAMPER) return cli_fail(a, st, &err);
  json_t *o = json_loads(js, 0, NULL);
  if (cli_flag(a, "json")) printf("%s\n", js);
  else if (st == TG_OK)
    printf("ok: %lld audit records verified%s; head %s\n", num(o, "records"),
           file ? "" : " against the current licenses and shipments", str(o, "head"));
  else if (json_is_integer(json_object_get(o, "first_bad")))
    printf("FAILED at record %lld (%s): %s\n", num(o, "first_bad"), str(o, "subject"), str(o, "problem"));
  else
    printf("FAILED: %s\n", str(o, "problem"));
  size_t i;
  json_t *b;
  if (!cli_flag(a, "json"))
    json_array_foreach(json_object_get(o, "out_of_bounds"), i, b)
      printf("out of bounds: %s: %s\n", str(b, "subject"), str(b, "problem"));
  json_decref(o);
  tg_free(js);
  return st == TG_OK ? CLI_OK : CLI_REFUSED;
}

int cmd_audit(int argc, char **argv) {
  static const cli_optdef defs[] = {{"file", true}, {"out", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "audit", argc, argv, defs)) return CLI_BADINPUT;
  const char *sub = a.npos == 1 ? a.pos[0] : "";
  if (strcmp(sub, "verify") && strcmp(sub, "export"))
    return cli_error(&a, CLI_BADINPUT, "usage: audit verify [--file EXPORT] | audit export [--out FILE]");
  if (!strcmp(sub, "verify") && cli_get(&a, "file")) return audit_verify(&a, NULL);
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  if (!strcmp(sub, "verify")) {
    rc = audit_verify(&a, s);
  } else {
    const char *out = cli_get(&a, "out");
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) {
      rc = cli_error(&a, CLI_BADINPUT, "cannot write '%s': %s", out, strerror(errno));
    } else {
      tg_error err = {0};
      tg_status st = tg_audit_export(s, write_file, f, &err);
      bool closed = out ? fclose(f) == 0 : fflush(f) == 0;
      if (st != TG_OK) rc = cli_fail(&a, st, &err);
      else if (!closed) rc = cli_error(&a, CLI_FAILED, "cannot write '%s': %s", out ? out : "stdout", strerror(errno));
    }
  }
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}

int cmd_backup(int argc, char **argv) {
  cli_args a;
  if (!cli_parse(&a, "backup", argc, argv, NULL)) return CLI_BADINPUT;
  if (a.npos != 1) return cli_error(&a, CLI_BADINPUT, "usage: backup FILE");
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  tg_error err = {0};
  tg_status st = tg_store_backup(s, a.pos[0], &err);
  if (st != TG_OK) rc = cli_fail(&a, st, &err);
  else if (cli_flag(&a, "json")) printf("{\"ok\": true}\n");
  else printf("backed up %s to %s\n", cli_db_path(&a), a.pos[0]);
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}
