/* ledger_query.c - reading shipments: filters (shared with the payments
 * report), one shipment's JSON view, and listings (paged by keyset). */
#include "ledger_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tg_shipment_filter_init(tg_shipment_filter *f) {
  if (!f) return;
  memset(f, 0, sizeof *f);
  f->from = TG_DATE_NONE;
  f->to = TG_DATE_NONE;
}

tg_status tg__filter_build(tg_store *s, const tg_shipment_filter *f, tg__filter *out,
                           tg_error *err) {
  memset(out, 0, sizeof *out);
  tg__buf_init(&out->where);
  tg__buf_puts(&out->where, " WHERE 1 = 1");
  if (!f) return TG_OK;
  if (f->from != TG_DATE_NONE) {
    tg_date_format(f->from, out->from);
    tg__buf_puts(&out->where, " AND on_date >= ?");
    out->vals[out->n++] = out->from;
  }
  if (f->to != TG_DATE_NONE) {
    tg_date_format(f->to, out->to);
    tg__buf_puts(&out->where, " AND on_date <= ?");
    out->vals[out->n++] = out->to;
  }
  if (f->license && !strcmp(f->license, "-")) {
    tg__buf_puts(&out->where, " AND license_number IS NULL");
  } else if (f->license) {
    tg__buf_puts(&out->where, " AND license_number = ?");
    out->vals[out->n++] = f->license;
  }
  if (f->chip) {
    tg__buf_puts(&out->where, " AND chip = ?");
    out->vals[out->n++] = f->chip;
  }
  if (f->dest) {
    if (tg_country_canonical(s->engine, f->dest, out->dest) != TG_OK) {
      tg__buf_free(&out->where);
      return tg__set_error(err, TG_EINVAL, "'%s' is not an ISO 3166-1 alpha-2 country code", f->dest);
    }
    tg__buf_puts(&out->where, " AND dest = ?");
    out->vals[out->n++] = out->dest;
  }
  if (f->end_user) {
    tg__buf_puts(&out->where, " AND lower(end_user) = lower(?)");
    out->vals[out->n++] = f->end_user;
  }
  if (f->verdict) {
    tg__buf_puts(&out->where, " AND verdict = ?");
    out->vals[out->n++] = f->verdict;
  }
  if (out->where.oom) return tg__set_error(err, TG_ENOMEM, "out of memory");
  return TG_OK;
}

void tg__filter_bind(const tg__filter *f, tg_stmt *q) {
  for (int i = 0; i < f->n; i++) tg__bind_text(q, i + 1, f->vals[i]);
}

void tg__filter_free(tg__filter *f) { tg__buf_free(&f->where); }

static const char *const view_cols =
    "SELECT " TG__SHIPMENT_VIEW_COLS ", (SELECT body FROM determinations d WHERE d.sha256 = "
    "shipments.determination_sha256) FROM shipments";

/* The row at q's position as its public JSON. */
static json_t *view(tg_stmt *q, bool with_determination) {
  static const struct { int col; const char *key; } plain[] = {
      {0, "id"},          {1, "kind"},         {2, "corrects"},   {3, "chip"},
      {4, "eccn"},        {5, "dest"},         {6, "dest_input"}, {7, "hq"},
      {8, "end_user"},    {9, "on"},           {10, "qty"},       {14, "verdict"},
      {15, "exception"},  {16, "review_policy"}, {17, "notified_on"}, {18, "license"},
      {22, "reference"},  {23, "reason"}};
  json_t *o = json_object();
  for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
    json_object_set_new(o, plain[i].key, tg__column_json(q, plain[i].col));
  tg__set_money(o, "unit_price", tg__col_int64(q, 11));
  tg__set_money(o, "value", tg__col_int64(q, 12));
  json_object_set_new(o, "tpp_per_unit", tg__col_type(q, 13) == TG__NULL
                                             ? json_null()
                                             : json_real((double)tg__col_int64(q, 13) / 1000));
  int64_t ppm = tg__col_int64(q, 19);
  json_t *fee = json_null();
  if (ppm > 0) {
    char rate[24];
    tg__rate_text(ppm, rate);
    fee = json_pack("{s:I,s:s,s:o}", "rate_ppm", (json_int_t)ppm, "rate", rate, "source",
                    tg__column_json(q, 21));
    tg__set_money(fee, "amount", tg__col_int64(q, 20));
  }
  json_object_set_new(o, "fee", fee);
  json_object_set_new(o, "rules_sha256", tg__column_json(q, 24));
  json_object_set_new(o, "recorded_at", tg__column_json(q, 25));
  json_object_set_new(o, "recorded_by", tg__column_json(q, 26));
  if (with_determination) {
    const char *d = (const char *)tg__col_text(q, 27);
    json_t *dj = d ? json_loads(d, 0, NULL) : NULL;
    json_object_set_new(o, "determination", dj ? dj : json_null());
  }
  return o;
}

tg_status tg__shipment_view(tg_store *s, int64_t id, bool with_determination, json_t **out,
                            tg_error *err) {
  *out = NULL;
  char sql[700];
  snprintf(sql, sizeof sql, "%s WHERE id = ?", view_cols);
  tg_stmt *q;
  tg_status st = tg__select_one(s, sql, id, NULL, "shipment", &q, err);
  if (st != TG_OK) return st;
  *out = view(q, with_determination);
  tg__finalize(q);
  if (st == TG_OK && !*out) st = tg__set_error(err, TG_ENOMEM, "out of memory");
  return st;
}

json_t *tg__shipment_view_at(tg_stmt *q) { return view(q, false); }

tg_status tg_shipment_json(tg_store *s, int64_t id, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_shipment_json: no store");
  json_t *o;
  tg_status st = tg__shipment_view(s, id, true, &o, err);
  if (st != TG_OK) return st;
  return tg__json_out(o, TG__LEDGER_JSON, json_out, err);
}

/* The cursor of a page of shipments: its id, and that shipment's date
 * (the listing's order is date, then id); TG_EINVAL when there is none. */
static tg_status page_anchor(tg_store *s, const tg_page *page, int64_t *id, char date[16],
                             tg_error *err) {
  tg_status st = tg__page_after_int(page, id, err);
  tg_stmt *q = NULL;
  if (st == TG_OK) st = tg__store_prepare(s, "SELECT on_date FROM shipments WHERE id = ?", &q, err);
  if (st != TG_OK) return st;
  tg__bind_int64(q, 1, *id);
  int rc = tg__step(q);
  const char *d = rc == TG__ROW ? tg__col_text(q, 0) : NULL;
  snprintf(date, 16, "%s", d ? d : "");
  tg__finalize(q);
  if (rc != TG__ROW && rc != TG__DONE) return tg__store_error(s, err, "cannot list shipments");
  if (!date[0])
    return tg__set_error(err, TG_EINVAL, "cursor: no shipment %lld (a key from the previous page)",
                         (long long)*id);
  return TG_OK;
}

tg_status tg_shipments_json(tg_store *s, const tg_shipment_filter *f, char **json_out,
                            tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_shipments_json: no store");
  tg__filter flt;
  tg_status st = tg__filter_build(s, f, &flt, err);
  if (st != TG_OK) return st;
  tg_page *page = f ? f->page : NULL;
  int64_t after = 0;
  char anchor[16] = "";
  if (page && page->after && (st = page_anchor(s, page, &after, anchor, err)) != TG_OK) {
    tg__filter_free(&flt);
    return st;
  }
  tg__buf sql;
  tg__buf_init(&sql);
  bool limited = f && f->limit > 0 && !page;
  if (limited) tg__buf_puts(&sql, "SELECT * FROM (");
  tg__buf_puts(&sql, view_cols);
  tg__buf_puts(&sql, flt.where.data);
  /* keyset: the rows after the cursor's in (date, id) order */
  if (anchor[0]) tg__buf_puts(&sql, " AND (on_date > ? OR (on_date = ? AND id > ?))");
  if (limited)
    tg__buf_printf(&sql, " ORDER BY on_date DESC, id DESC LIMIT %lld) AS recent ORDER BY on_date, id",
                   (long long)f->limit);
  else
    tg__buf_puts(&sql, " ORDER BY on_date, id");
  tg__page_sql(page, &sql);
  tg_stmt *q = NULL;
  if (sql.oom) st = tg__set_error(err, TG_ENOMEM, "out of memory");
  else st = tg__store_prepare(s, sql.data, &q, err);
  tg__buf_free(&sql);
  if (st != TG_OK) {
    tg__filter_free(&flt);
    return st;
  }
  tg__filter_bind(&flt, q);
  if (anchor[0]) {
    tg__bind_text(q, flt.n + 1, anchor);
    tg__bind_text(q, flt.n + 2, anchor);
    tg__bind_int64(q, flt.n + 3, after);
  }
  json_t *a = json_array();
  int rc;
  size_t kept = 0;
  while ((rc = tg__step(q)) == TG__ROW && !tg__page_full(page, kept)) {
    tg__page_keep_int(page, tg__col_int64(q, 0));
    json_array_append_new(a, view(q, false));
    kept++;
  }
  tg__finalize(q);
  tg__filter_free(&flt);
  if (rc != TG__DONE && rc != TG__ROW) {
    json_decref(a);
    return tg__store_error(s, err, "cannot list shipments");
  }
  if (rc == TG__DONE) tg__page_last(page);
  json_t *o = json_pack("{s:o,s:I}", "shipments", a, "count", (json_int_t)json_array_size(a));
  return tg__json_out(o, TG__LEDGER_JSON, json_out, err);
}
