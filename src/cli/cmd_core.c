/* cmd_core.c - the core commands: chips, classify, check, rules. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_num(const char *label, json_t *v, const char *unit) {
  if (json_is_number(v)) printf("  %-22s %g%s\n", label, json_number_value(v), unit);
  else printf("  %-22s unknown\n", label);
}

/* Human view of a classification or check result. */
static void print_result(json_t *r, bool check) {
  printf("%s (%s) on %s\n", json_string_value(json_object_get(r, "chip_name")),
         json_string_value(json_object_get(r, "chip")), json_string_value(json_object_get(r, "on")));
  json_t *m = json_object_get(r, "metrics");
  print_num("TPP", json_object_get(m, "tpp"), "");
  print_num("performance density", json_object_get(m, "pd"), "");
  print_num("memory bandwidth", json_object_get(m, "memory_bw_gbs"), " GB/s");
  print_num("chip-to-chip bandwidth", json_object_get(m, "io_bw_gbs"), " GB/s");
  json_t *dc = json_object_get(m, "datacenter");
  printf("  %-22s %s\n", "datacenter", json_is_null(dc) ? "unknown" : json_is_true(dc) ? "yes" : "no");
  json_t *eccn = json_object_get(r, "eccn");
  bool unverified = json_is_true(json_object_get(r, "eccn_unverified"));
  printf("ECCN: %s%s\n", json_is_string(eccn) ? json_string_value(eccn) : "(none)",
         unverified ? "? (rests on an unverified or estimated figure)" : "");
  if (check) {
    json_t *o = json_object_get(r, "order");
    printf("Order: %s x%lld to %s", json_string_value(json_object_get(r, "chip")),
           (long long)json_integer_value(json_object_get(o, "qty")),
           json_string_value(json_object_get(o, "dest_input")));
    json_t *hq = json_object_get(o, "hq");
    if (json_is_string(hq)) printf(" (headquarters %s)", json_string_value(hq));
    json_t *eu = json_object_get(o, "end_use");
    if (json_is_string(eu)) printf(" (end use %s)", json_string_value(eu));
    json_t *subj = json_object_get(r, "subject_to_ear");
    if (json_is_object(subj)) {
      json_t *sv = json_object_get(subj, "subject");
      printf("\nSubject to the EAR: %s: %s", json_is_true(sv) ? "yes" : json_is_false(sv) ? "no" : "unknown",
             json_string_value(json_object_get(subj, "text")));
      size_t k;
      json_t *b;
      json_array_foreach(json_object_get(subj, "basis"), k, b)
        printf("\n  + %s: %s [%s]", json_string_value(json_object_get(b, "rule")),
               json_string_value(json_object_get(b, "text")),
               json_string_value(json_object_get(b, "citation")));
      json_array_foreach(json_object_get(subj, "open"), k, b)
        printf("\n  ? %s: %s [%s]", json_string_value(json_object_get(b, "rule")),
               json_string_value(json_object_get(b, "text")),
               json_string_value(json_object_get(b, "citation")));
      if (json_is_false(sv))
        json_array_foreach(json_object_get(subj, "not_met"), k, b)
          printf("\n  - %s: %s [%s]", json_string_value(json_object_get(b, "rule")),
                 json_string_value(json_object_get(b, "text")),
                 json_string_value(json_object_get(b, "citation")));
    }
    if (json_is_true(json_object_get(r, "determined")))
      printf("\nVerdict: %s", json_string_value(json_object_get(r, "verdict")));
    else
      printf("\nVerdict: UNDETERMINED (may be %s)", json_string_value(json_object_get(r, "verdict")));
    json_t *ex = json_object_get(r, "exception");
    if (json_is_string(ex)) printf(" (%s)", json_string_value(ex));
    json_t *pol = json_object_get(r, "review_policy");
    if (json_is_string(pol)) printf(", review policy: %s", json_string_value(pol));
    printf("\n");
    json_t *n = json_object_get(r, "notification");
    if (json_is_object(n))
      printf("Notification to BIS required (review period %lld days): %s\n  wait for %s\n",
             (long long)json_integer_value(json_object_get(n, "days")),
             json_string_value(json_object_get(n, "text")),
             json_string_value(json_object_get(n, "wait_for")));
    json_t *fee = json_object_get(r, "fee");
    if (json_is_object(fee)) {
      json_t *amt = json_object_get(fee, "amount_usd");
      printf("Payment: %g%% of value", json_number_value(json_object_get(fee, "rate")) * 100);
      if (json_is_number(amt)) printf(" = USD %.2f", json_number_value(amt));
      if (json_is_true(json_object_get(fee, "conditional")))
        printf(" (conditional: the ECCN rests on an unverified figure)");
      printf("\n");
    }
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "license_conditions"), i, c)
      printf("Condition: %s\n", json_string_value(json_object_get(c, "text")));
  }
  json_t *scr = json_object_get(r, "screening");
  if (json_is_object(scr)) {
    printf("Screening: parties screened at threshold %.2f against %zu list%s\n",
           json_real_value(json_object_get(scr, "threshold")), json_array_size(json_object_get(scr, "lists")),
           json_array_size(json_object_get(scr, "lists")) == 1 ? "" : "s");
    cli_print_screening(scr);
  }
  if (!json_is_true(json_object_get(r, "determined"))) {
    printf("UNDETERMINED: not final; it depends on:");
    size_t k, fi;
    json_t *u, *fct;
    char seen[512] = " ";
    json_array_foreach(json_object_get(r, "undetermined"), k, u) json_array_foreach(json_object_get(u, "facts"), fi, fct) {
      char key[72];
      snprintf(key, sizeof key, " %s ", json_string_value(fct));
      if (strstr(seen, key) || strlen(seen) + strlen(key) >= sizeof seen) continue;
      strcat(seen, key + 1);
      printf(" %s", json_string_value(fct));
    }
    printf(" (give them to settle it)\n");
  }
  size_t bi;
  json_t *br;
  json_array_foreach(json_object_get(r, "branches"), bi, br) {
    if (!bi) printf("Branches (the verdict for each value of what is unknown):\n");
    json_t *bp = json_object_get(br, "review_policy"), *bx = json_object_get(br, "exception");
    const char *cond = json_string_value(json_object_get(br, "if"));
    printf("  %s%s: %s%s%s%s%s%s\n", strcmp(cond, "otherwise") ? "if " : "", cond,
           json_string_value(json_object_get(br, "verdict")), json_is_string(bx) ? " (" : "",
           json_is_string(bx) ? json_string_value(bx) : "", json_is_string(bx) ? ")" : "",
           json_is_string(bp) ? ", " : "", json_is_string(bp) ? json_string_value(bp) : "");
  }
  /* applied and unknown reasons first, then the rules that did not apply */
  size_t i;
  json_t *x;
  for (int pass = 0; pass < 2; pass++) {
    printf(pass ? "Checked, did not apply:\n" : "Reasons:\n");
    json_array_foreach(json_object_get(r, "reasons"), i, x) {
      json_t *res = json_object_get(x, "result");
      if (json_is_false(res) != (pass == 1)) continue;
      const char *mark = json_is_true(res) ? "\u2713" : json_is_false(res) ? "\u2717" : "?";
      printf("  %s %s: %s\n      [%s; rule set %s]\n", mark, json_string_value(json_object_get(x, "rule")),
             json_string_value(json_object_get(x, "text")), json_string_value(json_object_get(x, "citation")),
             json_string_value(json_object_get(x, "rule_set")));
    }
  }
  json_array_foreach(json_object_get(r, "undetermined"), i, x) {
    printf("Undetermined: %s would %s; unknown:", json_string_value(json_object_get(x, "rule")),
           json_string_value(json_object_get(x, "would")));
    size_t k;
    json_t *fct;
    json_array_foreach(json_object_get(x, "facts"), k, fct) printf(" %s", json_string_value(fct));
    json_t *in = json_object_get(x, "unknown_inputs");
    if (json_array_size(in)) {
      printf(" (unverified inputs:");
      json_array_foreach(in, k, fct) printf(" %s", json_string_value(fct));
      printf(")");
    }
    printf("\n");
  }
  json_array_foreach(json_object_get(r, "warnings"), i, x)
    printf("Warning: %s\n", json_string_value(json_object_get(x, "text")));
  json_array_foreach(json_object_get(r, "not_applied"), i, x)
    printf("Note: %s\n", json_string_value(json_object_get(x, "text")));
  json_array_foreach(json_object_get(r, "flags"), i, x)
    printf("Flag: %s\n", json_string_value(json_object_get(x, "text")));
  cli_print_foreign_measures(json_object_get(r, "jurisdictions"));
  printf("%s\n", json_string_value(json_object_get(r, "disclaimer")));
}

static int emit_result(const cli_args *a, tg_result *res, bool check) {
  char *js = tg_result_json(res);
  if (!js) return cli_error(a, CLI_FAILED, "out of memory");
  if (cli_flag(a, "json")) {
    printf("%s\n", js);
  } else {
    json_t *r = json_loads(js, 0, NULL);
    if (r) print_result(r, check);
    json_decref(r);
  }
  tg_free(js);
  return CLI_OK;
}

/* "4992", ">=4750" when only a lower bound is known, "?" when unknown. */
static void fmt_metric(const tg_chip *c, const char *metric, int decimals, char *out,
                       size_t n) {
  double lo, hi;
  int k = tg_chip_metric_range(c, metric, &lo, &hi);
  if (k == 1) snprintf(out, n, "%.*f", decimals, lo);
  else if (k == 0 && lo > 0) snprintf(out, n, ">=%.*f", decimals, lo);
  else snprintf(out, n, "?");
}

int cmd_chips(int argc, char **argv) {
  static const cli_optdef defs[] = {{"on", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "chips", argc, argv, defs)) return CLI_BADINPUT;
  tg_engine *e;
  int rc = cli_engine(&a, &e);
  if (rc) return rc;
  tg_date on;
  if ((rc = cli_date(&a, "on", &on))) goto out;
  size_t n = tg_catalog_count(e);
  if (cli_flag(&a, "json")) {
    printf("[");
    for (size_t i = 0; i < n; i++) {
      char *s = tg_chip_json(tg_catalog_at(e, i));
      printf("%s%s", i ? ",\n" : "\n", s ? s : "null");
      tg_free(s);
    }
    printf("\n]\n");
  } else {
    printf("%-16s %-30s %3s %9s %7s %8s %7s %-10s\n", "id", "name", "DC", "TPP", "PD",
           "mem GB/s", "io GB/s", "ECCN");
    for (size_t i = 0; i < n; i++) {
      const tg_chip *c = tg_catalog_at(e, i);
      double dc;
      char stpp[32], spd[32], smem[32], sio[32];
      fmt_metric(c, "tpp", 0, stpp, sizeof stpp);
      fmt_metric(c, "pd", 2, spd, sizeof spd);
      fmt_metric(c, "memory_bw_gbs", 0, smem, sizeof smem);
      fmt_metric(c, "io_bw_gbs", 0, sio, sizeof sio);
      int dck = tg_chip_metric(c, "datacenter", &dc);
      tg_result *r = NULL;
      tg_classify(e, c, on, &r, NULL);
      const char *eccn = r ? tg_result_eccn(r) : NULL;
      printf("%-16s %-30.30s %3s %9s %7s %8s %7s %s%s\n", tg_chip_id(c), tg_chip_name(c),
             dck == 1 ? (dc != 0 ? "Y" : "N") : "?", stpp, spd, smem, sio, eccn ? eccn : "-",
             r && tg_result_undetermined(r) ? "?" : "");
      tg_result_destroy(r);
    }
    printf("(? = unknown; >= a lower bound, an input is unverified; an ECCN followed by ?\n"
           " depends on an unknown value and is the conservative one)\n");
  }
out:
  tg_engine_close(e);
  return rc;
}

int cmd_classify(int argc, char **argv) {
  static const cli_optdef defs[] = {{"on", true}, CLI_SPEC_OPTS, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "classify", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos > 1) return cli_error(&a, CLI_BADINPUT, "classify takes one chip id");
  tg_engine *e;
  int rc = cli_engine(&a, &e);
  if (rc) return rc;
  tg_date on;
  const tg_chip *chip;
  tg_chip *owned = NULL;
  if ((rc = cli_date(&a, "on", &on)) || (rc = cli_chip(&a, e, a.npos ? a.pos[0] : NULL, &chip, &owned)))
    goto out;
  tg_result *res;
  tg_error err = {0};
  tg_status st = tg_classify(e, chip, on, &res, &err);
  if (st != TG_OK) rc = cli_fail(&a, st, &err);
  else rc = emit_result(&a, res, false);
  tg_result_destroy(res);
out:
  tg_chip_destroy(owned);
  tg_engine_close(e);
  return rc;
}

int cmd_check(int argc, char **argv) {
  static const cli_optdef defs[] = {{"chip", true},      {"to", true},        {"hq", true},
                                    {"qty", true},       {"unit-price", true}, {"on", true},
                                    {"from", true},      {"end-user", true},   {"purchaser", true},
                                    {"consignee", true}, {"list", true},        {"end-use", true},
                                    {"made-in", true},   {"us-content", true}, {"direct-product", true},
                                    {"ownership", true}, {"attest", true},
                                    CLI_SPEC_OPTS,       CLI_THRESHOLD_OPTS,   {"batch", true},
                                    {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "check", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos) return cli_error(&a, CLI_BADINPUT, "unexpected argument '%s'", a.pos[0]);
  const char *batch = cli_get(&a, "batch");
  if (!batch && !cli_get(&a, "to")) return cli_error(&a, CLI_BADINPUT, "--to CC (the destination country) is required");
  tg_engine *e;
  int rc = cli_engine(&a, &e);
  if (rc) return rc;
  if (batch) {
    rc = cli_check_batch(&a, e, batch);
    tg_engine_close(e);
    return rc;
  }
  tg_order o;
  tg_order_init(&o);
  long long qty = 1, cents = -1;
  const tg_chip *chip;
  tg_chip *owned = NULL;
  if ((rc = cli_date(&a, "on", &o.on)) || (rc = cli_parse_int64(&a, "qty", &qty)) ||
      (rc = cli_threshold(&a, &o.screen_threshold)) ||
      (rc = cli_parse_usd(&a, "unit-price", &cents)) ||
      (rc = cli_chip(&a, e, cli_get(&a, "chip"), &chip, &owned)))
    goto out;
  o.chip = chip;
  o.dest = cli_get(&a, "to");
  o.hq = cli_get(&a, "hq");
  o.origin = cli_get(&a, "from");
  o.qty = qty;
  o.unit_price_cents = cents;
  o.end_user = cli_get(&a, "end-user");
  o.purchaser = cli_get(&a, "purchaser");
  o.consignee = cli_get(&a, "consignee");
  o.lists_as_of = cli_today();
  o.list_max_age_days = cli_list_max_age();
  o.attestations = cli_get(&a, "attest");
  if ((rc = cli_order_facts(&a, &o))) goto out;
  tg_ownership *own = NULL;
  if ((rc = cli_ownership(&a, e, &own))) goto out;
  o.ownership = own;
  tg_screener *scr = NULL;
  if ((o.end_user || o.purchaser || o.consignee) && (rc = cli_screener(&a, e, &scr))) {
    tg_ownership_destroy(own);
    goto out;
  }
  o.screener = scr;
  tg_result *res;
  tg_error err = {0};
  tg_status st = tg_check(e, &o, &res, &err);
  if (st != TG_OK) rc = cli_fail(&a, st, &err);
  else rc = emit_result(&a, res, true);
  tg_result_destroy(res);
  tg_screener_destroy(scr);
  tg_ownership_destroy(own);
out:
  tg_chip_destroy(owned);
  tg_engine_close(e);
  return rc;
}

static const char *jstr(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

static void print_ids(json_t *a) {
  size_t i;
  json_t *v;
  json_array_foreach(a, i, v) printf("%s%s", i ? ", " : "", json_string_value(v));
  if (!json_array_size(a)) printf("(no rule)");
}

/* `rules --audit`: every fact that decides something and is not verified. */
static int rules_audit(cli_args *a) {
  tg_engine *e;
  int rc = cli_engine(a, &e);
  if (rc) return rc;
  char *js = tg_rules_audit_json(e);
  tg_engine_close(e);
  if (!js) return cli_error(a, CLI_FAILED, "out of memory");
  if (cli_flag(a, "json")) {
    printf("%s\n", js);
    tg_free(js);
    return CLI_OK;
  }
  json_t *o = json_loads(js, 0, NULL);
  tg_free(js);
  size_t i;
  json_t *x;
  json_t *rules = json_object_get(o, "rules"), *groups = json_object_get(o, "country_groups"),
         *chips = json_object_get(o, "chip_figures");
  printf("Rules that are not verified (%zu):\n", json_array_size(rules));
  json_array_foreach(rules, i, x) {
    printf("  %-11s %s (%s, %s) -> %s\n      %s\n", jstr(x, "level"), jstr(x, "rule"),
           jstr(x, "file"), jstr(x, "citation"), jstr(x, "effect"), jstr(x, "note"));
  }
  printf("Country Group changes that are not verified (%zu):\n", json_array_size(groups));
  json_array_foreach(groups, i, x) {
    printf("  %-11s %s %s %s: %s%s..%s, used by ", jstr(x, "level"), jstr(x, "country"),
           jstr(x, "change"), jstr(x, "group"),
           json_is_true(json_object_get(x, "unknown_between")) ? "unknown between " : "on ",
           jstr(x, "old_until"), jstr(x, "new_from"));
    print_ids(json_object_get(x, "used_by"));
    printf("\n      %s\n", jstr(x, "citation"));
    if (json_is_string(json_object_get(x, "note"))) printf("      %s\n", jstr(x, "note"));
  }
  printf("Catalog figures that are not vendor-published and decide something (%zu):\n",
         json_array_size(chips));
  json_array_foreach(chips, i, x) {
    printf("  %-11s %s %s (%s), used by ", jstr(x, "level"), jstr(x, "chip"), jstr(x, "fact"),
           jstr(x, "basis"));
    print_ids(json_object_get(x, "used_by"));
    printf("\n");
  }
  json_decref(o);
  return CLI_OK;
}

int cmd_rules(int argc, char **argv) {
  static const cli_optdef defs[] = {{"on", true},      {"validate", true}, {"audit", false},
                                    {"changes", false}, {"since", true},    {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "rules", argc, argv, defs)) return CLI_BADINPUT;
  if (cli_flag(&a, "audit")) return rules_audit(&a);
  const char *validate = cli_get(&a, "validate");
  if (validate) {
    size_t len;
    char *text = cli_read_file(validate, &len);
    if (!text) return cli_error(&a, CLI_BADINPUT, "cannot read '%s': %s", validate, strerror(errno));
    tg_error err = {0};
    tg_status st = tg_rules_validate(text, len, validate, &err);
    free(text);
    if (st != TG_OK) return cli_fail(&a, st, &err);
    printf(cli_flag(&a, "json") ? "{\"ok\": true}\n" : "%s: valid\n", validate);
    return CLI_OK;
  }
  tg_engine *e;
  int rc = cli_engine(&a, &e);
  if (rc) return rc;
  if (cli_flag(&a, "changes")) {
    rc = cli_rule_changes(&a, e);
    goto out;
  }
  tg_date on;
  if ((rc = cli_date(&a, "on", &on))) goto out;
  char *js = tg_rules_json(e, on);
  if (!js) {
    rc = cli_error(&a, CLI_FAILED, "out of memory");
    goto out;
  }
  if (cli_flag(&a, "json")) {
    printf("%s\n", js);
  } else {
    json_t *arr = json_loads(js, 0, NULL);
    size_t i;
    json_t *rs;
    char d[11];
    tg_date_format(on, d);
    printf("Rule sets on %s:\n", d);
    json_array_foreach(arr, i, rs) {
      json_t *ends = json_object_get(rs, "ends");
      printf("  %-18s %-48s %s..%s  %s\n      %s [%s]\n",
             json_string_value(json_object_get(rs, "status")),
             json_string_value(json_object_get(rs, "id")),
             json_string_value(json_object_get(rs, "effective")),
             json_is_string(ends) ? json_string_value(ends) : "",
             json_string_value(json_object_get(rs, "verification")),
             json_string_value(json_object_get(rs, "title")),
             json_string_value(json_object_get(rs, "citation")));
    }
    json_decref(arr);
  }
  tg_free(js);
out:
  tg_engine_close(e);
  return rc;
}
