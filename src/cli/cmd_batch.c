/* cmd_batch.c - `check --batch FILE`: many orders from a CSV file with a
 * header naming the fields, or JSON lines with the same keys (chip, to,
 * hq, from, qty, unit_price, on, end_user, purchaser, consignee, end_use,
 * attest; the parties' owners as for check: --ownership or the stored ones); one
 * result per order (CSV, or JSON lines with --json), a progress bar when
 * stderr is a terminal, and a summary line on stderr at the end. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

enum { F_CHIP, F_TO, F_HQ, F_FROM, F_QTY, F_PRICE, F_ON, F_END_USER, F_PURCHASER, F_CONSIGNEE, F_END_USE,
       F_ATTEST, NFIELDS };
static const char *const field_names[NFIELDS] = {"chip", "to", "hq", "from", "qty", "unit_price",
                                                 "on", "end_user", "purchaser", "consignee", "end_use",
                                                 "attest"};

typedef struct batch_sum {
  long orders, errors, undetermined, verdicts[3];
} batch_sum;

/* Checks one order given as field texts (NULL = absent); prints its line. */
static void check_one(const cli_args *a, const tg_engine *e, const tg_screener *sc,
                      const tg_ownership *own, double threshold, long row, const char *v[NFIELDS], batch_sum *sum) {
  char msg[600] = "";
  tg_order o;
  tg_order_init(&o);
  o.screener = sc;
  o.screen_threshold = threshold;
  o.lists_as_of = cli_today();
  o.list_max_age_days = cli_list_max_age();
  o.dest = v[F_TO];
  o.hq = v[F_HQ];
  o.origin = v[F_FROM];
  o.end_user = v[F_END_USER];
  o.purchaser = v[F_PURCHASER];
  o.consignee = v[F_CONSIGNEE];
  o.end_use = v[F_END_USE];
  o.attestations = v[F_ATTEST];
  o.ownership = own;
  o.on = cli_today();
  char *end;
  if (!v[F_CHIP] || !(o.chip = tg_catalog_find(e, v[F_CHIP])))
    snprintf(msg, sizeof msg, "unknown chip '%s'", v[F_CHIP] ? v[F_CHIP] : "");
  else if (!v[F_TO])
    snprintf(msg, sizeof msg, "no destination ('to')");
  else if (v[F_ON] && tg_date_parse(v[F_ON], &o.on) != TG_OK)
    snprintf(msg, sizeof msg, "'%s' is not a date (YYYY-MM-DD)", v[F_ON]);
  else if (v[F_QTY] && ((o.qty = strtoll(v[F_QTY], &end, 10)) < 0 || *end || !*v[F_QTY]))
    snprintf(msg, sizeof msg, "quantity '%s' is not a whole number", v[F_QTY]);
  else if (v[F_PRICE] && (o.unit_price_cents = cli_usd_cents(v[F_PRICE])) < 0)
    snprintf(msg, sizeof msg, "unit price '%s' is not an amount in USD", v[F_PRICE]);
  tg_result *res = NULL;
  tg_error err = {0};
  if (!msg[0] && tg_check(e, &o, &res, &err) != TG_OK) snprintf(msg, sizeof msg, "%s", err.message);
  sum->orders++;
  bool json = cli_flag(a, "json");
  if (msg[0]) {
    sum->errors++;
    fprintf(stderr, "tollgate check: --batch row %ld: %s\n", row, msg);
    if (json) {
      json_t *j = json_pack("{s:I,s:{s:s,s:s}}", "row", (json_int_t)row, "error", "code", "bad_input", "message", msg);
      char *s = json_dumps(j, JSON_COMPACT);
      printf("%s\n", s ? s : "{}");
      free(s);
      json_decref(j);
    } else {
      printf("%ld,", row);
      cli_csv_out(v[F_CHIP] ? v[F_CHIP] : "");
      printf(",%s,error,,,,,,", v[F_TO] ? v[F_TO] : "");
      cli_csv_out(msg);
      putchar('\n');
    }
    return;
  }
  tg_verdict vd = tg_result_verdict(res);
  if (vd >= 0 && vd < 3) sum->verdicts[vd]++;
  bool undet = tg_result_undetermined(res);
  sum->undetermined += undet;
  char *js = tg_result_json(res);
  json_t *j = js ? json_loads(js, 0, NULL) : NULL;
  tg_free(js);
  if (json) {
    json_object_set_new(j, "row", json_integer(row));
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    printf("%s\n", s ? s : "{}");
    free(s);
  } else {
    int64_t ppm = 0, cents = 0;
    int has_fee = tg_result_fee(res, &ppm, &cents);
    printf("%ld,", row);
    cli_csv_out(v[F_CHIP]);
    printf(",%s,%s,%s,%s,%s,", v[F_TO], tg_verdict_name(vd), undet ? "no" : "yes",
           tg_result_eccn(res) ? tg_result_eccn(res) : "",
           tg_result_review_policy(res) ? tg_result_review_policy(res) : "");
    if (has_fee && cents >= 0) printf("%lld.%02lld", (long long)cents / 100, (long long)cents % 100);
    long hits = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(j, "reasons"), i, x)
      hits += !strcmp(json_string_value(json_object_get(x, "kind")) ? json_string_value(json_object_get(x, "kind")) : "", "screening");
    printf(",%ld,\n", hits);
  }
  json_decref(j);
  tg_result_destroy(res);
}

int cli_check_batch(const cli_args *a, const tg_engine *e, const char *path) {
  double threshold;
  int rc = cli_threshold(a, &threshold);
  if (rc) return rc;
  FILE *f = fopen(path, "r");
  if (!f) return cli_error(a, CLI_BADINPUT, "--batch: cannot read '%s': %s", path, strerror(errno));
  long total = 0;
  int c, first = 0;
  while ((c = fgetc(f)) != EOF) {
    total += c == '\n';
    if (!first && c != ' ' && c != '\t' && c != '\n' && c != '\r') first = c;
  }
  rewind(f);
  bool jsonl = first == '{';
  tg_screener *sc = NULL;
  tg_ownership *own = NULL;
  if ((rc = cli_ownership(a, e, &own))) {
    fclose(f);
    return rc;
  }
  if ((rc = cli_screener(a, e, &sc))) {
    tg_ownership_destroy(own);
    fclose(f);
    return rc;
  }
  char *line = NULL; /* whole lines, of any length */
  size_t cap = 0;
  char *fld[64];
  int col[NFIELDS];
  for (int k = 0; k < NFIELDS; k++) col[k] = -1;
  if (!jsonl && getline(&line, &cap, f) > 0) {
    char header[512];
    snprintf(header, sizeof header, "%.*s%s", (int)(strcspn(line, "\r\n") < 400 ? strcspn(line, "\r\n") : 400),
             line, strcspn(line, "\r\n") > 400 ? "..." : "");
    int n = cli_csv_fields(line, fld, 64);
    for (int i = 0; i < n; i++)
      for (int k = 0; k < NFIELDS; k++)
        if (!strcasecmp(fld[i], field_names[k])) col[k] = i;
    if (col[F_CHIP] < 0 || col[F_TO] < 0) {
      free(line);
      fclose(f);
      tg_screener_destroy(sc);
      tg_ownership_destroy(own);
      return cli_error(a, CLI_BADINPUT, "--batch: the header needs the columns chip and to (has: %s)", header);
    }
    total--;
  }
  if (!cli_flag(a, "json")) printf("row,chip,to,verdict,determined,eccn,review_policy,payment_usd,screening_hits,error\n");
  batch_sum sum = {0};
  bool tty = isatty(STDERR_FILENO);
  long row = 0;
  while (getline(&line, &cap, f) > 0) {
    if (strspn(line, " \t\r\n") == strlen(line)) continue;
    row++;
    const char *v[NFIELDS] = {0};
    char nums[2][32];
    json_t *j = NULL;
    if (jsonl) {
      json_error_t je;
      j = json_loads(line, 0, &je);
      for (int k = 0; j && k < NFIELDS; k++) {
        json_t *x = json_object_get(j, field_names[k]);
        if (json_is_string(x)) v[k] = json_string_value(x);
        else if (json_is_number(x) && (k == F_QTY || k == F_PRICE)) {
          snprintf(nums[k == F_PRICE], sizeof nums[0], k == F_QTY ? "%.0f" : "%.2f", json_number_value(x));
          v[k] = nums[k == F_PRICE];
        }
      }
      if (!j) {
        sum.orders++;
        sum.errors++;
        fprintf(stderr, "tollgate check: --batch line %ld: %s\n", row, je.text);
        continue;
      }
    } else {
      int n = cli_csv_fields(line, fld, 64);
      for (int k = 0; k < NFIELDS; k++)
        if (col[k] >= 0 && col[k] < n && *fld[col[k]]) v[k] = fld[col[k]];
    }
    check_one(a, e, sc, own, threshold, row, v, &sum);
    json_decref(j);
    if (tty && (row % 20 == 0 || row == total)) {
      int w = total > 0 ? (int)(40 * row / total) : 40;
      fprintf(stderr, "\r[%-40.*s] %ld/%ld orders", w > 40 ? 40 : w, "########################################", row,
              total);
    }
  }
  if (tty) fprintf(stderr, "\n");
  free(line);
  fclose(f);
  tg_screener_destroy(sc);
  tg_ownership_destroy(own);
  char n[32];
  cli_thousands(sum.orders, n, sizeof n);
  fprintf(stderr,
          "checked %s order%s: %ld license_required, %ld license_exception, %ld no_license_required; "
          "%ld undetermined; %ld not checked (errors)\n",
          n, sum.orders == 1 ? "" : "s", sum.verdicts[TG_LICENSE_REQUIRED], sum.verdicts[TG_LICENSE_EXCEPTION],
          sum.verdicts[TG_NO_LICENSE_REQUIRED], sum.undetermined, sum.errors);
  return sum.errors ? CLI_BADINPUT : CLI_OK;
}
