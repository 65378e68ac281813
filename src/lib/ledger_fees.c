/* ledger_fees.c - the payments report: what the shipments a filter
 * selects owe under each payment arrangement, in integer cents, grouped by
 * license, chip, month or quarter within each arrangement.  Arrangements
 * are never summed into one figure: each has its own total.  Rows, groups
 * and totals are summed from the same rows, so they reconcile to the cent. */
#include "ledger_int.h"

#include <string.h>

/* The SQL expression of a grouping, or NULL for an unknown one. */
static const char *group_expr(const char *group_by) {
  if (!group_by) return "CAST('all' AS TEXT)";
  if (!strcmp(group_by, "license")) return "COALESCE(license_number, '(none)')";
  if (!strcmp(group_by, "chip")) return "chip";
  if (!strcmp(group_by, "month")) return "substr(on_date, 1, 7)";
  if (!strcmp(group_by, "quarter"))
    return "substr(on_date, 1, 4) || 'Q' || ((CAST(substr(on_date, 6, 2) AS INTEGER) + 2) / 3)";
  return NULL;
}

/* Sums in 128 bits: no count of rows can overflow them. */
typedef struct acc {
  int64_t n;
  __int128 qty, value, fee;
} acc;

static json_t *acc_json(const char *key, const char *arrangement, const acc *a) {
  json_t *g = json_pack("{s:s,s:s,s:I}", "key", key, "arrangement", arrangement, "shipments",
                        (json_int_t)a->n);
  json_object_set_new(g, "qty", a->qty > INT64_MAX ? json_null() : json_integer((json_int_t)a->qty));
  tg__set_money_wide(g, "value", a->value);
  tg__set_money_wide(g, "fee", a->fee);
  return g;
}

tg_status tg_fees_json(tg_store *s, const tg_shipment_filter *f, const char *group_by,
                       char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_fees_json: no store");
  const char *gx = group_expr(group_by);
  if (!gx)
    return tg__set_error(err, TG_EINVAL, "cannot group payments by '%s' (license, chip, month or quarter)",
                         group_by);
  tg__filter flt;
  tg_status st = tg__filter_build(s, f, &flt, err);
  if (st != TG_OK) return st;
  tg__buf sql;
  tg__buf_init(&sql);
  tg__buf_printf(&sql,
                 "SELECT %s AS g, id, kind, on_date, chip, dest, license_number, qty, value_cents, "
                 "fee_rate_ppm, fee_cents, fee_source FROM shipments%s AND fee_rate_ppm > 0 "
                 "ORDER BY g, on_date, id",
                 gx, flt.where.data);
  tg_stmt *q = NULL;
  st = sql.oom ? tg__set_error(err, TG_ENOMEM, "out of memory") : tg__store_prepare(s, sql.data, &q, err);
  tg__buf_free(&sql);
  if (st != TG_OK) {
    tg__filter_free(&flt);
    return st;
  }
  tg__filter_bind(&flt, q);
  json_t *rows = json_array(), *groups = json_array(), *terms = NULL;
  acc total = {0};
  /* per arrangement: its total, and its sum in the current group */
  struct { char name[64]; acc all, g; } arr[16];
  int narr = 0;
  char *key = NULL; /* the whole key: a group is never split by a long one */
  int rc = TG__STEP_ERROR;
  if (tg__pay_terms_load(s, &terms, err) != TG_OK) goto done;
  while ((rc = tg__step(q)) == TG__ROW) {
    const char *k = (const char *)tg__col_text(q, 0);
    if (!k) k = "";
    if (key && strcmp(k, key) != 0)
      for (int a = 0; a < narr; a++)
        if (arr[a].g.n) {
          json_array_append_new(groups, acc_json(key, arr[a].name, &arr[a].g));
          memset(&arr[a].g, 0, sizeof arr[a].g);
        }
    if (!key || strcmp(k, key) != 0) {
      tg__free(key);
      if (!(key = tg__strdup(k))) {
        rc = TG__STEP_ERROR;
        break;
      }
    }
    int64_t id = tg__col_int64(q, 1), qty = tg__col_int64(q, 7), value = tg__col_int64(q, 8),
            fee = tg__col_int64(q, 10);
    const char *source = (const char *)tg__col_text(q, 11);
    tg__fee_part parts[TG__FEE_PARTS];
    int np = tg__fee_split(s, terms, id, source, value, fee, parts, err);
    if (np < 0) {
      rc = TG__STEP_ERROR;
      break;
    }
    total.n++;
    total.qty += qty;
    total.value += value;
    for (int p = 0; p < np; p++) {
      int a = 0;
      while (a < narr && strcmp(arr[a].name, parts[p].arrangement)) a++;
      if (a == narr) {
        if (narr == (int)(sizeof arr / sizeof *arr)) {
          rc = TG__STEP_ERROR;
          tg__set_error(err, TG_EINVAL, "more than 16 payment arrangements in one report");
          break;
        }
        memset(&arr[narr], 0, sizeof arr[narr]);
        snprintf(arr[narr].name, sizeof arr[narr].name, "%.63s", parts[p].arrangement);
        narr++;
      }
      json_t *r = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:s,s:I}", "id", (json_int_t)id, "kind",
                            tg__column_json(q, 2), "on", tg__column_json(q, 3), "chip",
                            tg__column_json(q, 4), "dest", tg__column_json(q, 5), "license",
                            tg__column_json(q, 6), "arrangement", parts[p].arrangement, "qty",
                            (json_int_t)qty);
      tg__set_money(r, "value", value);
      /* the arrangement's own rate: its part of the value */
      int64_t ppm = value ? (int64_t)(((__int128)parts[p].cents * 1000000 + value / 2) / value) : 0;
      char rate[24];
      tg__rate_text(ppm, rate);
      json_object_set_new(r, "rate_ppm", json_integer(ppm));
      json_object_set_new(r, "rate", json_string(rate));
      tg__set_money(r, "fee", parts[p].cents);
      json_object_set_new(r, "source", tg__column_json(q, 11));
      json_array_append_new(rows, r);
      acc *as[2] = {&arr[a].g, &arr[a].all};
      for (int i = 0; i < 2; i++) {
        as[i]->n++;
        as[i]->qty += qty;
        as[i]->value += value;
        as[i]->fee += parts[p].cents;
      }
    }
    if (rc == TG__STEP_ERROR) break;
  }
done:
  tg__finalize(q);
  tg__filter_free(&flt);
  if (key)
    for (int a = 0; a < narr; a++)
      if (arr[a].g.n) json_array_append_new(groups, acc_json(key, arr[a].name, &arr[a].g));
  tg__free(key);
  json_t *totals = json_array();
  for (int a = 0; a < narr; a++) {
    json_t *t = acc_json(arr[a].name, arr[a].name, &arr[a].all);
    json_object_del(t, "key");
    size_t i;
    json_t *x;
    json_array_foreach(terms, i, x)
      if (!strcmp(json_string_value(json_object_get(x, "arrangement")), arr[a].name))
        json_object_set(t, "payee", json_object_get(x, "payee"));
    json_array_append_new(totals, t);
  }
  json_decref(terms);
  if (rc != TG__DONE) {
    json_decref(rows);
    json_decref(groups);
    json_decref(totals);
    return err && err->status != TG_OK ? err->status : tg__store_error(s, err, "cannot read payments");
  }
  char from[11] = "", to[11] = "";
  if (f && f->from != TG_DATE_NONE) tg_date_format(f->from, from);
  if (f && f->to != TG_DATE_NONE) tg_date_format(f->to, to);
  json_t *o = json_pack("{s:o,s:o,s:o,s:I}", "from", from[0] ? json_string(from) : json_null(),
                        "to", to[0] ? json_string(to) : json_null(), "group_by",
                        group_by ? json_string(group_by) : json_null(), "shipments",
                        (json_int_t)total.n);
  json_object_set_new(o, "qty", total.qty > INT64_MAX ? json_null() : json_integer((json_int_t)total.qty));
  tg__set_money_wide(o, "value", total.value);
  json_object_set_new(o, "arrangements", totals);
  json_object_set_new(o, "groups", groups);
  json_object_set_new(o, "rows", rows);
  return tg__json_out(o, TG__LEDGER_JSON, json_out, err);
}
