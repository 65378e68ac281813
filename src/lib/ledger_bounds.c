/* ledger_bounds.c - rows stored before the ledger's bounds (tollgate.h,
 * TG_MAX_*) or past them by a hand edit: each shipment and license whose
 * figures, or whose license's drawn totals, exceed a bound, as findings
 * `tollgate audit verify` reports (read only; nothing is changed), with
 * those of the aggregate-TPP running totals (ledger_tpp.c). */
#include "ledger_int.h"

#include <stdio.h>

static void finding(json_t *a, const char *subject, const char *problem) {
  json_array_append_new(a, json_pack("{s:s,s:s}", "subject", subject, "problem", problem));
}

static bool past(int64_t v, int64_t max) { return v > max || v < -max; }

static tg_status scan_shipments(tg_store *s, json_t *a, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s, "SELECT id, qty, unit_price_cents, value_cents, license_id FROM shipments ORDER BY license_id, id",
      &q, err);
  if (st != TG_OK) return st;
  int rc;
  int64_t lic = 0;
  __int128 qty = 0, value = 0;
  char subj[64], msg[200];
  while ((rc = tg__step(q)) == TG__ROW) {
    int64_t id = tg__col_int64(q, 0), n = tg__col_int64(q, 1),
            unit = tg__col_int64(q, 2), v = tg__col_int64(q, 3);
    snprintf(subj, sizeof subj, "shipment:%lld", (long long)id);
    if (past(n, TG_MAX_SHIP_QTY)) {
      snprintf(msg, sizeof msg, "qty %lld is past the bound of %lld units", (long long)n, TG_MAX_SHIP_QTY);
      finding(a, subj, msg);
    }
    if (past(unit, TG_MAX_UNIT_PRICE_CENTS) || past(v, TG_MAX_SHIP_VALUE_CENTS)) {
      char usd[32];
      tg__usd_text(v, usd);
      snprintf(msg, sizeof msg, "value USD %s (or its unit price) is past the bound of USD %lld", usd,
               TG_MAX_SHIP_VALUE_CENTS / 100);
      finding(a, subj, msg);
    }
    int64_t l = tg__col_type(q, 4) == TG__NULL ? 0 : tg__col_int64(q, 4);
    if (l != lic) qty = value = 0, lic = l;
    if (!l) continue;
    bool was = qty > TG_MAX_LICENSE_QTY || value > TG_MAX_LICENSE_VALUE_CENTS;
    qty += n;
    value += v;
    if (!was && (qty > TG_MAX_LICENSE_QTY || value > TG_MAX_LICENSE_VALUE_CENTS)) {
      snprintf(subj, sizeof subj, "license-id:%lld", (long long)l);
      snprintf(msg, sizeof msg,
               "the shipments drawn on it pass the bounds of %lld units or USD %lld at shipment %lld",
               TG_MAX_LICENSE_QTY, TG_MAX_LICENSE_VALUE_CENTS / 100, (long long)id);
      finding(a, subj, msg);
    }
  }
  if (rc != TG__DONE) st = tg__store_error(s, err, "cannot read shipments");
  tg__finalize(q);
  return st;
}

static tg_status scan_licenses(tg_store *s, json_t *a, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s, "SELECT id, number, qty_limit, value_limit_cents FROM licenses ORDER BY id", &q, err);
  if (st != TG_OK) return st;
  int rc;
  char subj[200], msg[200];
  while ((rc = tg__step(q)) == TG__ROW) {
    const char *num = (const char *)tg__col_text(q, 1);
    snprintf(subj, sizeof subj, "license:%.150s", num ? num : "");
    if (tg__col_type(q, 2) != TG__NULL && past(tg__col_int64(q, 2), TG_MAX_LICENSE_QTY)) {
      snprintf(msg, sizeof msg, "quantity limit past the bound of %lld units", TG_MAX_LICENSE_QTY);
      finding(a, subj, msg);
    }
    if (tg__col_type(q, 3) != TG__NULL &&
        past(tg__col_int64(q, 3), TG_MAX_LICENSE_VALUE_CENTS)) {
      snprintf(msg, sizeof msg, "value limit past the bound of USD %lld", TG_MAX_LICENSE_VALUE_CENTS / 100);
      finding(a, subj, msg);
    }
    if (num && !tg_id_valid(num))
      finding(a, subj, "number outside the identifier alphabet (A-Z a-z 0-9 . _ -); still readable "
                       "and revocable");
  }
  if (rc != TG__DONE) st = tg__store_error(s, err, "cannot read licenses");
  tg__finalize(q);
  return st;
}

tg_status tg__ledger_bounds(tg_store *s, json_t **out, tg_error *err) {
  json_t *a = json_array();
  if (!a) return tg__set_error(err, TG_ENOMEM, "out of memory");
  tg_status st = scan_licenses(s, a, err);
  if (st == TG_OK) st = scan_shipments(s, a, err);
  if (st == TG_OK) st = tg__tpp_verify(s, a, err);
  if (st != TG_OK) {
    json_decref(a);
    return st;
  }
  *out = a;
  return TG_OK;
}
