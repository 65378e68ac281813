/* ledger_payments.c - payments as records: what each shipment owes under
 * each payment arrangement (derived from its fee and the rules that
 * imposed it, never stored), when it falls due (the arrangement's terms,
 * table payment_terms, 009), the payments recorded against a shipment or a
 * license, and each obligation's status (due, paid, overdue).  Arrangements
 * are never summed into one figure.  An arrangement's terms are its row in
 * payment_terms (set with tg_payment_terms_set), else its default in the
 * view payment_terms_default (009). */
#include "ledger_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tg_payment_spec_init(tg_payment_spec *p) {
  if (!p) return;
  memset(p, 0, sizeof *p);
  p->paid_on = TG_DATE_NONE;
}

/* ---- terms ---- */

tg_status tg__pay_terms_load(tg_store *s, json_t **out, tg_error *err) {
  *out = NULL;
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s,
      "SELECT arrangement, rules, payee, due_kind, due_n, due_from, due_source, updated_at, "
      "updated_by FROM payment_terms UNION ALL SELECT arrangement, rules, payee, due_kind, due_n, "
      "due_from, due_source, updated_at, updated_by FROM payment_terms_default d WHERE NOT EXISTS "
      "(SELECT 1 FROM payment_terms t WHERE t.arrangement = d.arrangement) ORDER BY 1",
      &q, err);
  if (st != TG_OK) return st;
  json_t *a = json_array();
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) json_array_append_new(a, tg__row_json(q));
  tg__finalize(q);
  if (rc != TG__DONE) {
    json_decref(a);
    return tg__store_error(s, err, "cannot read the payment terms");
  }
  *out = a;
  return TG_OK;
}

/* The terms whose rules name `rule` (a word of its space-separated list). */
static json_t *terms_for(json_t *terms, const char *rule) {
  size_t i, n = strlen(rule);
  json_t *t;
  json_array_foreach(terms, i, t) {
    const char *r = json_string_value(json_object_get(t, "rules"));
    for (const char *p = r ? strstr(r, rule) : NULL; p; p = strstr(p + 1, rule))
      if ((p == r || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return t;
  }
  return NULL;
}

static json_t *terms_named(json_t *terms, const char *arrangement) {
  size_t i;
  json_t *t;
  json_array_foreach(terms, i, t) if (!strcmp(json_string_value(json_object_get(t, "arrangement")), arrangement)) return t;
  return NULL;
}

/* The day a payment falls due: `on` plus the term (working days skip
 * Saturdays and Sundays; day 0 = 1970-01-01, a Thursday). */
static tg_date due_date(json_t *t, tg_date on) {
  int64_t n = t ? json_integer_value(json_object_get(t, "due_n")) : 30;
  const char *kind = t ? json_string_value(json_object_get(t, "due_kind")) : "days";
  if (!kind || strcmp(kind, "working_days")) return on + (tg_date)n;
  tg_date d = on;
  while (n > 0) {
    d++;
    int wd = (int)(((int64_t)d % 7 + 7 + 4) % 7); /* 0 = Sunday */
    if (wd != 0 && wd != 6) n--;
  }
  return d;
}

int tg__fee_split(tg_store *s, json_t *terms, int64_t id, const char *source, int64_t value,
                  int64_t fee, tg__fee_part out[TG__FEE_PARTS], tg_error *err) {
  if (source && !strcmp(source, "license")) {
    json_t *t = terms_for(terms, "license");
    snprintf(out[0].arrangement, sizeof out[0].arrangement, "%.63s",
             t ? json_string_value(json_object_get(t, "arrangement")) : "license-condition");
    out[0].cents = fee;
    out[0].terms = t;
    return 1;
  }
  json_t *h = NULL;
  if (tg__shipment_view(s, id, true, &h, err) != TG_OK) return -1;
  json_t *arr = json_object_get(json_object_get(json_object_get(h, "determination"), "fee"), "arrangements");
  int n = 0;
  __int128 left = fee;
  size_t i;
  json_t *x;
  json_array_foreach(arr, i, x) {
    if (n == TG__FEE_PARTS) break;
    const char *rule = json_string_value(json_object_get(x, "rule"));
    json_t *t = rule ? terms_for(terms, rule) : NULL;
    const char *name = t ? json_string_value(json_object_get(t, "arrangement")) : rule ? rule : "(unnamed rule)";
    int k = 0;
    while (k < n && strcmp(out[k].arrangement, name)) k++;
    if (k == n) {
      snprintf(out[n].arrangement, sizeof out[n].arrangement, "%.63s", name);
      out[n].cents = 0;
      out[n].terms = t;
      n++;
    }
    int64_t ppm = llround(json_number_value(json_object_get(x, "rate")) * 1e6);
    __int128 part = ((__int128)value * ppm + (value < 0 ? -500000 : 500000)) / 1000000;
    out[k].cents += (int64_t)part;
    left -= part;
  }
  json_decref(h);
  if (!n) { /* no arrangement recorded with the determination: the fee as one */
    snprintf(out[0].arrangement, sizeof out[0].arrangement, "%.63s", "(unnamed rule)");
    out[0].cents = fee;
    out[0].terms = NULL;
    return 1;
  }
  out[n - 1].cents += (int64_t)left; /* the parts add up to the stored fee, to the cent */
  return n;
}

/* ---- obligations ---- */

typedef struct oblig {
  int64_t ship;
  char on[11], license[128], chip[64], dest[8], arrangement[64];
  int64_t owed;      /* 0 when the shipment was reversed */
  __int128 paid;
  tg_date due;
  bool reversed;
  json_t *terms;     /* borrowed from the loaded terms */
} oblig;

typedef struct obligs {
  oblig *v;
  size_t n, cap;
  json_t *terms;
  tg_date today;
} obligs;

static void obligs_free(obligs *o) {
  free(o->v);
  json_decref(o->terms);
  memset(o, 0, sizeof *o);
}

static tg_status push(obligs *o, const oblig *x, tg_error *err) {
  if (!tg__grow(&o->v, &o->cap, o->n + 1, sizeof *o->v))
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  o->v[o->n++] = *x;
  return TG_OK;
}

static void copy_col(tg_stmt *q, int i, char *out, size_t n) {
  const char *t = (const char *)tg__col_text(q, i);
  snprintf(out, n, "%s", t ? t : "");
}

/* Every obligation, oldest shipment first, with the payments applied. */
static tg_status obligs_load(tg_store *s, obligs *o, tg_error *err) {
  memset(o, 0, sizeof *o);
  char now[21];
  tg__ledger_now(s, now);
  now[10] = 0;
  if (tg_date_parse(now, &o->today) != TG_OK) o->today = 0;
  tg_status st = tg__pay_terms_load(s, &o->terms, err);
  if (st != TG_OK) return st;
  tg_stmt *q;
  if ((st = tg__store_prepare(s,
                              "SELECT h.id, h.on_date, h.license_number, h.chip, h.dest, h.value_cents, "
                              "h.fee_cents, h.fee_source, (SELECT COUNT(*) FROM shipments r WHERE "
                              "r.corrects = h.id) FROM shipments h WHERE h.kind = 'shipment' AND "
                              "h.fee_cents <> 0 ORDER BY h.on_date, h.id",
                              &q, err)) != TG_OK)
    return st;
  int rc;
  while (st == TG_OK && (rc = tg__step(q)) == TG__ROW) {
    oblig x = {.ship = tg__col_int64(q, 0), .reversed = tg__col_int64(q, 8) > 0};
    copy_col(q, 1, x.on, sizeof x.on);
    copy_col(q, 2, x.license, sizeof x.license);
    copy_col(q, 3, x.chip, sizeof x.chip);
    copy_col(q, 4, x.dest, sizeof x.dest);
    char source[16];
    copy_col(q, 7, source, sizeof source);
    tg__fee_part parts[TG__FEE_PARTS];
    int n = tg__fee_split(s, o->terms, x.ship, source, tg__col_int64(q, 5), tg__col_int64(q, 6), parts, err);
    if (n < 0) st = err ? err->status : TG_ESTORE;
    tg_date on = TG_DATE_NONE;
    tg_date_parse(x.on, &on);
    for (int k = 0; k < n && st == TG_OK; k++) {
      snprintf(x.arrangement, sizeof x.arrangement, "%.63s", parts[k].arrangement);
      x.owed = x.reversed ? 0 : parts[k].cents;
      x.terms = parts[k].terms;
      x.due = on == TG_DATE_NONE ? TG_DATE_NONE : due_date(x.terms, on);
      st = push(o, &x, err);
    }
  }
  tg__finalize(q);
  if (st == TG_OK && rc != TG__DONE) st = tg__store_error(s, err, "cannot read the shipments' payments");
  if (st != TG_OK) return st;
  /* the payments: on a shipment to its obligation; on a license to its
   * oldest open dues under the arrangement, the rest to the newest */
  if ((st = tg__store_prepare(s,
                              "SELECT arrangement, shipment_id, license_number, amount_cents FROM "
                              "payments ORDER BY paid_on, id",
                              &q, err)) != TG_OK)
    return st;
  while ((rc = tg__step(q)) == TG__ROW) {
    const char *arr = (const char *)tg__col_text(q, 0);
    bool by_ship = tg__col_type(q, 1) != TG__NULL;
    int64_t ship = by_ship ? tg__col_int64(q, 1) : 0;
    const char *lic = (const char *)tg__col_text(q, 2);
    __int128 amount = tg__col_int64(q, 3);
    oblig *last = NULL;
    for (size_t i = 0; i < o->n && amount > 0; i++) {
      oblig *x = &o->v[i];
      if (strcmp(x->arrangement, arr ? arr : "")) continue;
      if (by_ship ? x->ship != ship : (!lic || strcmp(x->license, lic))) continue;
      last = x;
      __int128 open = x->owed - x->paid;
      if (by_ship || open <= 0) continue;
      __int128 take = amount < open ? amount : open;
      x->paid += take;
      amount -= take;
    }
    if (last && amount > 0) last->paid += amount;
  }
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot read the payments");
  return TG_OK;
}

static const char *status_of(const obligs *o, const oblig *x) {
  if (x->reversed) return x->paid > 0 ? "reversed_refund_due" : "reversed";
  if (x->paid >= x->owed) return "paid";
  return x->due != TG_DATE_NONE && o->today > x->due ? "overdue" : "due";
}

static void set_wide(json_t *o, const char *key, __int128 v) { tg__set_money_wide(o, key, v); }

static json_t *oblig_json(const obligs *o, const oblig *x) {
  char due[11] = "";
  if (x->due != TG_DATE_NONE) tg_date_format(x->due, due);
  json_t *j = json_pack("{s:I,s:s,s:o,s:s,s:s,s:s}", "shipment", (json_int_t)x->ship, "on", x->on,
                        "license", x->license[0] ? json_string(x->license) : json_null(), "chip",
                        x->chip, "dest", x->dest, "arrangement", x->arrangement);
  tg__set_money(j, "owed", x->owed);
  set_wide(j, "paid", x->paid);
  set_wide(j, "outstanding", x->paid >= x->owed ? 0 : (__int128)x->owed - x->paid);
  json_object_set_new(j, "due_on", due[0] ? json_string(due) : json_null());
  json_object_set_new(j, "status", json_string(status_of(o, x)));
  return j;
}

/* One arrangement's summary: its terms and its sums (never added to
 * another arrangement's). */
typedef struct arr_sum {
  const char *name;
  json_t *terms;
  int64_t n, counts[4]; /* due, paid, overdue, reversed */
  __int128 owed, paid, outstanding, overdue;
} arr_sum;

static json_t *arr_json(const arr_sum *a) {
  json_t *j = json_pack("{s:s}", "arrangement", a->name);
  json_t *t = a->terms;
  json_object_set_new(j, "payee", t ? json_incref(json_object_get(t, "payee")) : json_string("(no terms recorded: the rule's own name)"));
  json_object_set_new(j, "due_rule",
                      t ? json_pack("{s:O,s:O,s:O,s:O}", "kind", json_object_get(t, "due_kind"), "n",
                                    json_object_get(t, "due_n"), "from", json_object_get(t, "due_from"),
                                    "source", json_object_get(t, "due_source"))
                        : json_pack("{s:s,s:i,s:s,s:s}", "kind", "days", "n", 30, "from", "the date of export",
                                    "source", "no terms recorded for this arrangement: Tollgate's default"));
  json_object_set_new(j, "obligations", json_integer(a->n));
  json_object_set_new(j, "counts", json_pack("{s:I,s:I,s:I,s:I}", "due", (json_int_t)a->counts[0], "paid",
                                             (json_int_t)a->counts[1], "overdue", (json_int_t)a->counts[2],
                                             "reversed", (json_int_t)a->counts[3]));
  set_wide(j, "owed", a->owed);
  set_wide(j, "paid", a->paid);
  set_wide(j, "outstanding", a->outstanding);
  set_wide(j, "overdue", a->overdue);
  return j;
}

static bool wanted(const oblig *x, const char *st, const tg_dues_filter *f) {
  if (!f) return true;
  if (f->license && *f->license && strcmp(f->license, x->license)) return false;
  if (f->arrangement && *f->arrangement && strcmp(f->arrangement, x->arrangement)) return false;
  if (f->shipment > 0 && f->shipment != x->ship) return false;
  if (f->status && *f->status && strcmp(f->status, st)) return false;
  return true;
}

/* The answer of tg_payment_dues_json from loaded obligations. */
static json_t *dues_json(const obligs *o, const tg_dues_filter *f) {
  arr_sum sums[32];
  size_t ns = 0;
  json_t *rows = json_array();
  for (size_t i = 0; i < o->n; i++) {
    const oblig *x = &o->v[i];
    const char *st = status_of(o, x);
    if (!wanted(x, st, f)) continue;
    json_array_append_new(rows, oblig_json(o, x));
    size_t k = 0;
    while (k < ns && strcmp(sums[k].name, x->arrangement)) k++;
    if (k == ns) {
      if (ns == sizeof sums / sizeof *sums) continue; /* more arrangements than any rule set has */
      sums[ns++] = (arr_sum){.name = x->arrangement, .terms = x->terms};
    }
    arr_sum *a = &sums[k];
    a->n++;
    a->counts[!strcmp(st, "due") ? 0 : !strcmp(st, "paid") ? 1 : !strcmp(st, "overdue") ? 2 : 3]++;
    a->owed += x->owed;
    a->paid += x->paid;
    __int128 open = x->paid >= x->owed ? 0 : (__int128)x->owed - x->paid;
    a->outstanding += open;
    if (!strcmp(st, "overdue")) a->overdue += open;
  }
  /* arrangements with terms but nothing owed are listed too */
  size_t i;
  json_t *t;
  json_array_foreach(o->terms, i, t) {
    const char *name = json_string_value(json_object_get(t, "arrangement"));
    size_t k = 0;
    while (k < ns && strcmp(sums[k].name, name)) k++;
    if (k == ns && ns < sizeof sums / sizeof *sums && (!f || !f->arrangement || !strcmp(f->arrangement, name)))
      sums[ns++] = (arr_sum){.name = name, .terms = t};
  }
  json_t *arrs = json_array();
  for (size_t k = 0; k < ns; k++) json_array_append_new(arrs, arr_json(&sums[k]));
  char today[11];
  tg_date_format(o->today, today);
  return json_pack("{s:s,s:o,s:o}", "as_of", today, "arrangements", arrs, "obligations", rows);
}

void tg_dues_filter_init(tg_dues_filter *f) {
  if (f) memset(f, 0, sizeof *f);
}

tg_status tg_payment_dues_json(tg_store *s, const tg_dues_filter *f, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_payment_dues_json: no store");
  static const char *const statuses[] = {"due", "paid", "overdue", "reversed", "reversed_refund_due"};
  if (f && f->status && *f->status) {
    size_t k = 0;
    while (k < sizeof statuses / sizeof *statuses && strcmp(statuses[k], f->status)) k++;
    if (k == sizeof statuses / sizeof *statuses)
      return tg__set_error(err, TG_EINVAL, "status: '%.40s' is not due, paid, overdue or reversed", f->status);
  }
  tg_status st = tg__store_begin_read(s, err);
  if (st != TG_OK) return st;
  obligs o;
  st = obligs_load(s, &o, err);
  json_t *j = st == TG_OK ? dues_json(&o, f) : NULL;
  obligs_free(&o);
  tg__store_rollback(s);
  if (st != TG_OK) return st;
  return tg__json_out(j, TG__LEDGER_JSON, json_out, err);
}

/* ---- recording a payment ---- */

static tg_status check_payment(const tg_payment_spec *p, tg_error *err) {
  tg_status st;
  if (!p->arrangement || !*p->arrangement)
    return tg__set_error(err, TG_EINVAL, "arrangement: required (e.g. revenue-share-15, section-232-duty)");
  if ((st = tg_text_check("arrangement", p->arrangement, 63, err)) != TG_OK) return st;
  if (p->shipment <= 0 && (!p->license || !*p->license))
    return tg__set_error(err, TG_EINVAL, "a payment is for a shipment (its id) or a license (its number)");
  if (p->shipment > 0 && p->license && *p->license)
    return tg__set_error(err, TG_EINVAL, "a payment is for a shipment or a license, not both");
  if (p->amount_cents <= 0 || p->amount_cents > TG_MAX_LICENSE_VALUE_CENTS)
    return tg__set_error(err, TG_EINVAL, "amount: must be more than 0 and at most USD %lld",
                         TG_MAX_LICENSE_VALUE_CENTS / 100);
  if (p->paid_on == TG_DATE_NONE) return tg__set_error(err, TG_EINVAL, "date: the day it was paid is required");
  if (!p->reference || !*p->reference)
    return tg__set_error(err, TG_EINVAL, "reference: required (the wire, cheque or CBP entry number)");
  if ((st = tg_text_check("reference", p->reference, 200, err)) != TG_OK) return st;
  if (p->notes && *p->notes && (st = tg_text_check("notes", p->notes, 2000, err)) != TG_OK) return st;
  return TG_OK;
}

/* What the payment's target still owes under its arrangement. */
static tg_status outstanding(tg_store *s, const tg_payment_spec *p, __int128 *open, tg_error *err) {
  obligs o;
  tg_status st = obligs_load(s, &o, err);
  if (st != TG_OK) {
    obligs_free(&o);
    return st;
  }
  *open = 0;
  size_t found = 0, any = 0;
  for (size_t i = 0; i < o.n; i++) {
    const oblig *x = &o.v[i];
    bool mine = p->shipment > 0 ? x->ship == p->shipment : !strcmp(x->license, p->license);
    if (!mine) continue;
    any++;
    if (strcmp(x->arrangement, p->arrangement)) continue;
    found++;
    if (x->owed > x->paid) *open += (__int128)x->owed - x->paid;
  }
  if (!found) {
    char what[160];
    if (p->shipment > 0) snprintf(what, sizeof what, "shipment %lld", (long long)p->shipment);
    else snprintf(what, sizeof what, "license '%.100s'", p->license);
    st = tg__set_error(err, TG_ENOTFOUND, "%s owes nothing under arrangement '%.63s'%s", what,
                       p->arrangement, any ? " (it owes under another arrangement: see payment dues)" : "");
  }
  obligs_free(&o);
  return st;
}

static tg_status insert_payment(tg_store *s, const tg_payment_spec *p, const char *actor, int64_t *id,
                                tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(s,
                                   "INSERT INTO payments (arrangement, shipment_id, license_number, "
                                   "amount_cents, paid_on, reference, notes, recorded_at, recorded_by) "
                                   "VALUES (?,?,?,?,?,?,?,?,?)",
                                   &q, err);
  if (st != TG_OK) return st;
  char on[11], at[21];
  tg_date_format(p->paid_on, on);
  tg__ledger_now(s, at);
  tg__bind_text(q, 1, p->arrangement);
  if (p->shipment > 0) tg__bind_int64(q, 2, p->shipment);
  else tg__bind_null(q, 2);
  tg__bind_text(q, 3, p->shipment > 0 ? NULL : p->license);
  tg__bind_int64(q, 4, p->amount_cents);
  tg__bind_text(q, 5, on);
  tg__bind_text(q, 6, p->reference);
  tg__bind_text(q, 7, p->notes && *p->notes ? p->notes : NULL);
  tg__bind_text(q, 8, at);
  tg__bind_text(q, 9, actor);
  int rc = tg__step(q);
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot record the payment");
  *id = tg__last_id(s);
  return TG_OK;
}

static json_t *payment_view(tg_stmt *q) {
  json_t *o = tg__row_json(q);
  int64_t c = json_integer_value(json_object_get(o, "amount_cents"));
  json_object_del(o, "amount_cents");
  tg__set_money(o, "amount", c);
  return o;
}

tg_status tg_payment_add(tg_store *s, const tg_payment_spec *p, const char *actor, char **json_out,
                         tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !p) return tg__set_error(err, TG_EINVAL, "tg_payment_add: missing argument");
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK || (st = check_payment(p, err)) != TG_OK) return st;
  if ((st = tg__store_begin(s, err)) != TG_OK) return st;
  __int128 open = 0;
  int64_t id = 0;
  json_t *ans = NULL;
  tg_stmt *q = NULL;
  if ((st = outstanding(s, p, &open, err)) != TG_OK) goto fail;
  if ((__int128)p->amount_cents > open) {
    char o[48], a[32];
    tg__usd_text(open > INT64_MAX ? INT64_MAX : (int64_t)open, o);
    tg__usd_text(p->amount_cents, a);
    st = tg__set_error(err, TG_ECONFLICT, "amount: USD %s is more than the USD %s outstanding under '%.63s' "
                       "(nothing recorded)", a, o, p->arrangement);
    goto fail;
  }
  if ((st = insert_payment(s, p, actor, &id, err)) != TG_OK ||
      (st = tg__audit_table_row(s, "payments", "payment", id, "payment.add", actor, err)) != TG_OK ||
      (st = tg__select_one(s, "SELECT * FROM payments WHERE id = ?", id, NULL, "payment", &q, err)) != TG_OK)
    goto fail;
  ans = payment_view(q);
  tg__finalize(q);
  /* the obligations it paid, as they stand now (made before the commit) */
  obligs o;
  if ((st = obligs_load(s, &o, err)) != TG_OK) {
    obligs_free(&o);
    goto fail;
  }
  tg_dues_filter f;
  tg_dues_filter_init(&f);
  f.arrangement = p->arrangement;
  f.shipment = p->shipment;
  f.license = p->shipment > 0 ? NULL : p->license;
  json_t *d = dues_json(&o, &f);
  obligs_free(&o);
  json_object_set(ans, "obligations", json_object_get(d, "obligations"));
  json_decref(d);
  char *js = NULL;
  if ((st = tg__json_out(ans, TG__LEDGER_JSON, &js, err)) != TG_OK) {
    ans = NULL;
    goto fail;
  }
  ans = NULL;
  if ((st = tg__store_commit(s, err)) != TG_OK) {
    tg_free(js);
    goto fail;
  }
  if (json_out) *json_out = js;
  else tg_free(js);
  return TG_OK;
fail:
  json_decref(ans);
  tg__store_rollback(s);
  return st;
}

tg_status tg_payments_page_json(tg_store *s, tg_page *page, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_payments_page_json: no store");
  int64_t after = 0;
  tg_status st = page && page->after ? tg__page_after_int(page, &after, err) : TG_OK;
  if (st != TG_OK) return st;
  tg__buf sql;
  tg__buf_init(&sql);
  tg__buf_puts(&sql, "SELECT * FROM payments WHERE id > ? ORDER BY id");
  tg__page_sql(page, &sql);
  tg_stmt *q = NULL;
  st = sql.oom ? tg__set_error(err, TG_ENOMEM, "out of memory") : tg__store_prepare(s, sql.data, &q, err);
  tg__buf_free(&sql);
  if (st != TG_OK) return st;
  tg__bind_int64(q, 1, after);
  json_t *a = json_array();
  int rc;
  size_t kept = 0;
  while ((rc = tg__step(q)) == TG__ROW && !tg__page_full(page, kept)) {
    json_t *o = payment_view(q);
    tg__page_keep_int(page, json_integer_value(json_object_get(o, "id")));
    json_array_append_new(a, o);
    kept++;
  }
  tg__finalize(q);
  if (rc != TG__DONE && rc != TG__ROW) {
    json_decref(a);
    return tg__store_error(s, err, "cannot list payments");
  }
  if (rc == TG__DONE) tg__page_last(page);
  json_t *o = json_pack("{s:I,s:o}", "count", (json_int_t)json_array_size(a), "payments", a);
  return tg__json_out(o, TG__LEDGER_JSON, json_out, err);
}

/* ---- terms ---- */

tg_status tg_payment_terms_json(tg_store *s, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_payment_terms_json: no store");
  json_t *t;
  tg_status st = tg__pay_terms_load(s, &t, err);
  return st == TG_OK ? tg__json_out(t, TG__LEDGER_JSON, json_out, err) : st;
}

tg_status tg_payment_terms_set(tg_store *s, const char *arrangement, const char *due_kind, int due_n,
                               const char *source, const char *actor, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !arrangement) return tg__set_error(err, TG_EINVAL, "tg_payment_terms_set: missing argument");
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK) return st;
  if (!due_kind || (strcmp(due_kind, "days") && strcmp(due_kind, "working_days")))
    return tg__set_error(err, TG_EINVAL, "due kind: 'days' or 'working_days' (got '%.40s')", due_kind ? due_kind : "");
  if (due_n < 0 || due_n > 3660) return tg__set_error(err, TG_EINVAL, "due: from 0 to 3660 days");
  if (!source || !*source)
    return tg__set_error(err, TG_EINVAL, "source: say where the term comes from (or that none fixes it)");
  if ((st = tg_text_check("source", source, 1000, err)) != TG_OK) return st;
  if ((st = tg__store_begin(s, err)) != TG_OK) return st;
  /* the arrangement's terms as they stand (set, or the default), changed */
  json_t *cur = NULL;
  if ((st = tg__pay_terms_load(s, &cur, err)) != TG_OK) goto fail;
  json_t *old = terms_named(cur, arrangement);
  if (!old) {
    json_decref(cur);
    st = tg__set_error(err, TG_ENOTFOUND, "no payment arrangement '%.63s' (see payment terms)", arrangement);
    goto fail;
  }
  tg_stmt *q;
  char at[21];
  tg__ledger_now(s, at);
  if ((st = tg__store_prepare(s, "DELETE FROM payment_terms WHERE arrangement = ?", &q, err)) == TG_OK) {
    tg__bind_text(q, 1, arrangement);
    if (tg__step(q) != TG__DONE) st = tg__store_error(s, err, "cannot change the payment terms");
    tg__finalize(q);
  }
  if (st == TG_OK &&
      (st = tg__store_prepare(s,
                              "INSERT INTO payment_terms (arrangement, rules, payee, due_kind, due_n, "
                              "due_from, due_source, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?)",
                              &q, err)) == TG_OK) {
    tg__bind_text(q, 1, arrangement);
    tg__bind_text(q, 2, json_string_value(json_object_get(old, "rules")));
    tg__bind_text(q, 3, json_string_value(json_object_get(old, "payee")));
    tg__bind_text(q, 4, due_kind);
    tg__bind_int64(q, 5, due_n);
    tg__bind_text(q, 6, json_string_value(json_object_get(old, "due_from")));
    tg__bind_text(q, 7, source);
    tg__bind_text(q, 8, at);
    tg__bind_text(q, 9, actor);
    if (tg__step(q) != TG__DONE) st = tg__store_error(s, err, "cannot change the payment terms");
    tg__finalize(q);
  }
  json_decref(cur);
  if (st != TG_OK) goto fail;
  json_t *terms = NULL;
  if ((st = tg__pay_terms_load(s, &terms, err)) != TG_OK) goto fail;
  json_t *t = json_incref(terms_named(terms, arrangement));
  json_decref(terms);
  char *state = json_dumps(t, TG__CANON_JSON), subject[80];
  snprintf(subject, sizeof subject, "payment_terms:%.63s", arrangement);
  st = state ? tg__audit_append(s, actor, "payment.terms", subject, state, NULL, err)
             : tg__set_error(err, TG_ENOMEM, "out of memory");
  free(state);
  char *js = NULL;
  if (st == TG_OK) st = tg__json_out(t, TG__LEDGER_JSON, &js, err);
  else json_decref(t);
  if (st == TG_OK) st = tg__store_commit(s, err);
  if (st != TG_OK) {
    tg_free(js);
    goto fail;
  }
  if (json_out) *json_out = js;
  else tg_free(js);
  return TG_OK;
fail:
  tg__store_rollback(s);
  return st;
}
