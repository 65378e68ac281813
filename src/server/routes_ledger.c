/* routes_ledger.c - the ledger over HTTP: licenses (list, add, show,
 * revoke), shipments (list, record), payments owed (fees) and the audit
 * check, each a thin wrapper of one library call.  Request fields mirror
 * the flags of `tollgate license add`, `ship`, `shipments` and `fees`;
 * every write passes the token's name as the audit actor, and a failed
 * request writes nothing (each library write is one transaction). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

#define MAX_LIST 64 /* chips, destinations, end users, conditions */

/* Answers a field error from the shared readers (checks.c). */
static void reply_error(srv_resp *r, const tg_check_reply *rep) {
  srv_error(r, rep->status ? rep->status : 500, rep->code ? rep->code : "internal", "%s",
            rep->message);
}

static void bad(tg_check_reply *rep, const char *field, const char *what) {
  rep->status = 400;
  rep->code = "bad_field";
  snprintf(rep->message, sizeof rep->message, "%s: %s", field, what);
}

/* A text or an array of texts (like a repeatable CLI flag) into out. */
static bool texts(json_t *obj, const char *name, const char **out, size_t *n, tg_check_reply *rep) {
  json_t *v = json_object_get(obj, name);
  *n = 0;
  if (!v || json_is_null(v)) return true;
  if (json_is_string(v)) return srv_text_field(obj, name, "", &out[(*n)++], rep);
  if (!json_is_array(v) || json_array_size(v) > MAX_LIST) {
    bad(rep, name, "expected a text or an array of at most 64 texts");
    return false;
  }
  size_t i;
  json_t *x;
  json_array_foreach(v, i, x) {
    json_t *one = json_pack("{sO}", name, x);
    bool ok = one && srv_text_field(one, name, "", &out[i], rep);
    json_decref(one); /* out[i] stays valid: x is still held by obj */
    if (!ok) return false;
  }
  *n = json_array_size(v);
  return true;
}

/* "15%", "12.5" or 15 (percent of value) into parts per million. */
static bool rate_field(json_t *obj, const char *name, int64_t *ppm, tg_check_reply *rep) {
  json_t *v = json_object_get(obj, name);
  if (!v || json_is_null(v)) return true;
  int64_t v_ppm = -1;
  if (json_is_number(v)) {
    double pct = json_number_value(v);
    if (pct >= 0 && pct <= 100) v_ppm = llround(pct * 10000.0);
  } else if (json_is_string(v)) {
    /* decimal digits only ("15", "12.5", "15%"): no hex, exponent or sign */
    char text[40];
    snprintf(text, sizeof text, "%s", json_string_value(v));
    size_t n = strlen(text);
    if (n && text[n - 1] == '%') text[n - 1] = '\0';
    if (tg_decimal_parse(name, text, 4, &v_ppm, NULL) != TG_OK || strlen(json_string_value(v)) >= sizeof text)
      v_ppm = -1;
  }
  if (v_ppm < 0 || v_ppm > 1000000) {
    bad(rep, name, "expected a decimal percentage from 0 to 100 (e.g. \"15%\" or 12.5)");
    return false;
  }
  *ppm = v_ppm;
  return true;
}

static bool date_field(json_t *obj, const char *name, bool required, tg_date *out,
                       tg_check_reply *rep) {
  const char *s;
  if (!srv_text_field(obj, name, "", &s, rep)) return false;
  if (!s && !required) return true;
  if (!s || tg_date_parse(s, out) != TG_OK) {
    bad(rep, name, s ? "expected a date YYYY-MM-DD (a real day)" : "required: a date YYYY-MM-DD");
    return false;
  }
  return true;
}

static const char *const license_fields[] = {
    "number", "holder", "chip", "to", "end_user", "qty", "value_usd", "from", "until",
    "payment_rate", "tpp_cap", "condition", "notes", NULL};

/* The lists a license body's spec points into. */
typedef struct license_in {
  const char *chips[MAX_LIST], *dests[MAX_LIST], *users[MAX_LIST], *conds[MAX_LIST];
} license_in;

/* A license body (the fields of `tollgate license add`) into sp; absent
 * fields stay as tg_license_spec_init leaves them; from and until are
 * required when `dates`. */
static bool license_body(json_t *b, const char *const *fields, bool dates, tg_license_spec *sp,
                         license_in *in, tg_check_reply *rep) {
  tg_license_spec_init(sp);
  double qty = -1, value = -1, cap = 0;
  bool ok = srv_known_fields(b, fields, "", rep) && srv_text_field(b, "number", "", &sp->number, rep) &&
            srv_text_field(b, "holder", "", &sp->holder, rep) && srv_text_field(b, "notes", "", &sp->notes, rep) &&
            texts(b, "chip", in->chips, &sp->nchips, rep) && texts(b, "to", in->dests, &sp->ndestinations, rep) &&
            texts(b, "end_user", in->users, &sp->nend_users, rep) &&
            texts(b, "condition", in->conds, &sp->nconditions, rep) &&
            srv_number_field(b, "qty", "", 1e12, true, &qty, rep) &&
            srv_number_field(b, "value_usd", "", 1e12, false, &value, rep) &&
            srv_number_field(b, "tpp_cap", "", 1000, true, &cap, rep) &&
            rate_field(b, "payment_rate", &sp->payment_rate_ppm, rep) &&
            date_field(b, "from", dates, &sp->valid_from, rep) && date_field(b, "until", dates, &sp->valid_until, rep);
  sp->chips = in->chips, sp->destinations = in->dests, sp->end_users = in->users, sp->conditions = in->conds;
  sp->qty_limit = (int64_t)qty;
  sp->value_limit_cents = value < 0 ? -1 : llround(value * 100.0);
  sp->tpp_cap_pct = (int)cap;
  return ok;
}

static void license_add(srv_req *q, srv_resp *r) {
  json_t *b = srv_body_object(q, r);
  if (!b) return;
  tg_license_spec sp;
  license_in in;
  tg_check_reply rep = {0};
  if (!license_body(b, license_fields, true, &sp, &in, &rep)) {
    reply_error(r, &rep);
  } else {
    char *js = NULL;
    tg_error err = {0};
    tg_status st = tg_license_add(q->store, &sp, q->who.name, &js, &err);
    if (st == TG_OK) srv_json(r, js);
    else srv_fail(r, st, &err);
  }
  json_decref(b);
}

static void licenses(srv_req *q, srv_resp *r) { srv_listing(q, r, tg_licenses_page_json); }

static void license_show(srv_req *q, srv_resp *r) {
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_license_json(q->store, q->param, &js, &err);
  if (st == TG_OK) srv_json(r, js);
  else srv_fail(r, st, &err);
}

/* Amends (the fields of an add, each optional) or extends ({"until"}) a
 * license, with a reason (required); 409 when the recorded shipments would
 * exceed the changed license or it is revoked (nothing written). */
static void license_change(srv_req *q, srv_resp *r, bool extend) {
  static const char *const amend_fields[] = {
      "holder", "chip", "to", "end_user", "qty", "value_usd", "from", "until",
      "payment_rate", "tpp_cap", "condition", "notes", "reason", NULL};
  static const char *const extend_fields[] = {"until", "reason", NULL};
  json_t *b = srv_body_object(q, r);
  if (!b) return;
  tg_license_spec sp;
  license_in in;
  const char *reason = NULL;
  tg_check_reply rep = {0};
  bool ok = license_body(b, extend ? extend_fields : amend_fields, false, &sp, &in, &rep) &&
            srv_text_field(b, "reason", "", &reason, &rep);
  if (ok && extend && sp.valid_until == TG_DATE_NONE) {
    bad(&rep, "until", "required: the new end date YYYY-MM-DD");
    ok = false;
  }
  if (ok && (!reason || !*reason)) {
    bad(&rep, "reason", "required (it goes into the audit trail)");
    ok = false;
  }
  if (!ok) {
    reply_error(r, &rep);
  } else {
    sp.number = q->param;
    char *js = NULL;
    tg_error err = {0};
    tg_status st = extend ? tg_license_extend(q->store, q->param, sp.valid_until, reason, q->who.name, &js, &err)
                          : tg_license_amend(q->store, &sp, reason, q->who.name, &js, &err);
    if (st == TG_OK) srv_json(r, js);
    else if (st == TG_EREFUSED) srv_error(r, 409, "exceeds_license", "%s", err.message);
    else srv_fail(r, st, &err);
  }
  json_decref(b);
}

static void license_amend(srv_req *q, srv_resp *r) { license_change(q, r, false); }
static void license_extend(srv_req *q, srv_resp *r) { license_change(q, r, true); }


static void license_revoke(srv_req *q, srv_resp *r) {
  static const char *const fields[] = {"reason", NULL};
  json_t *b = srv_body_object(q, r);
  if (!b) return;
  const char *reason = NULL;
  tg_check_reply rep = {0};
  if (!srv_known_fields(b, fields, "", &rep) || !srv_text_field(b, "reason", "", &reason, &rep)) {
    reply_error(r, &rep);
  } else {
    char *js = NULL;
    tg_error err = {0};
    tg_status st = tg_license_revoke(q->store, q->param, reason, q->who.name, &js, &err);
    if (st == TG_OK) srv_json(r, js);
    else srv_fail(r, st, &err);
  }
  json_decref(b);
}

static const char *const ship_fields[] = {"chip", "to", "hq", "qty", "unit_price", "on",
                                          "end_user", "purchaser", "consignee", "license",
                                          "notified", "reference", "end_use", "attest", "nac",
                                          "threshold", NULL};

/* One shipment of a body (`where` prefixes field names in messages). */
static bool parse_ship(srv_req *q, json_t *b, const char *where, srv_order *p, tg_ship_opts *opts,
                       tg_check_reply *rep) {
  tg_ship_opts_init(opts);
  if (!json_is_object(b)) {
    bad(rep, where, "a shipment is a JSON object");
    return false;
  }
  bool ok = srv_parse_order(q->srv->engine, b, ship_fields, q->today, p, rep);
  static const char *const required[] = {"qty", "unit_price", "on"};
  for (size_t i = 0; ok && i < sizeof required / sizeof *required; i++)
    if (!json_is_number(json_object_get(b, required[i])) && !json_is_string(json_object_get(b, required[i]))) {
      char f[64];
      snprintf(f, sizeof f, "%s%s", where, required[i]);
      bad(rep, f, "required for a shipment (chip, to, qty, unit_price, on)");
      ok = false;
    }
  ok = ok && srv_text_field(b, "license", where, &opts->license, rep) &&
       srv_text_field(b, "reference", where, &opts->reference, rep) &&
       srv_text_field(b, "nac", where, &opts->nac, rep) &&
       date_field(b, "notified", false, &opts->notified, rep);
  p->o.screener = srv_screener(q->srv);
  if (!p->o.screen_threshold) p->o.screen_threshold = q->srv->opt.screen_threshold;
  opts->today = q->today;
  p->o.ownership = q->srv->ownership;
  return ok;
}

/* A batch: {"shipments": [...]} or a bare array, every item valid or 400
 * naming the first bad one; then all go through the group commit, and the
 * answer lists each one's outcome in order (recorded / refused / error). */
static void ship_batch(srv_req *q, srv_resp *r, json_t *arr) {
  size_t n = json_array_size(arr);
  if (!n || n > q->srv->opt.max_orders) {
    srv_error(r, n ? 413 : 400, n ? "too_many" : "bad_field",
              "a batch holds 1 to %zu shipments (got %zu)", q->srv->opt.max_orders, n);
    return;
  }
  srv_order *p = calloc(n, sizeof *p);
  tg_ship_opts *opts = calloc(n, sizeof *opts);
  tg_ship_item *items = calloc(n, sizeof *items);
  tg_check_reply rep = {0};
  bool ok = p && opts && items;
  for (size_t i = 0; ok && i < n; i++) {
    char where[48]; /* "shipments[" + any size_t index + "]." */
    snprintf(where, sizeof where, "shipments[%zu].", i);
    ok = parse_ship(q, json_array_get(arr, i), where, &p[i], &opts[i], &rep);
    items[i] = (tg_ship_item){.order = &p[i].o, .opts = &opts[i], .actor = q->who.name};
  }
  if (!p || !opts || !items) {
    srv_error(r, 500, "internal", "out of memory");
  } else if (!ok) {
    reply_error(r, &rep);
  } else {
    tg_error err = {0};
    tg_status st = srv_ship_submit(q->srv, items, n, &err);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
      tg_ship_item *it = &items[i];
      json_t *body = it->json ? json_loads(it->json, 0, NULL) : NULL;
      if (st == TG_OK && it->status == TG_EREFUSED && it->json)
        srv_refusal_audit(q->srv, p[i].o.end_user, it->json, q->who.name);
      const char *outcome = it->status == TG_OK ? "recorded"
                            : it->status == TG_EREFUSED ? "refused" : "error";
      json_t *o = json_pack("{s:s}", "outcome", outcome);
      if (it->status == TG_OK) json_object_set_new(o, "shipment", body ? body : json_null());
      else if (it->status == TG_EREFUSED && body) json_object_update(o, body), json_decref(body);
      else {
        json_decref(body);
        json_object_set_new(o, "message", json_string(it->err.message));
      }
      json_array_append_new(out, o);
      tg_free(it->json);
    }
    if (st != TG_OK) {
      json_decref(out);
      srv_fail(r, st, &err);
    } else {
      json_t *doc = json_pack("{s:o}", "results", out);
      srv_json(r, doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL);
      json_decref(doc);
    }
  }
  for (size_t i = 0; p && i < n; i++) tg_chip_destroy(p[i].owned);
  free(p);
  free(opts);
  free(items);
}

/* Records one shipment; a refusal is 409 with the library's JSON
 * ({"refused": true, "reason", "code", "determination"}), as `tollgate
 * ship --json` prints it.  A batch body goes to ship_batch.  Either way
 * the write is a group commit (srv_batch.c): answered once durable. */
void srv_ledger_ship(srv_req *q, srv_resp *r) {
  json_t *b = json_loadb(q->body ? q->body : "", q->body_len, 0, NULL);
  json_t *arr = json_is_array(b) ? b : json_is_array(json_object_get(b, "shipments")) ?
                json_object_get(b, "shipments") : NULL;
  if (arr) {
    ship_batch(q, r, arr);
    json_decref(b);
    return;
  }
  json_decref(b);
  if (!(b = srv_body_object(q, r))) return;
  srv_order p = {0};
  tg_ship_opts opts;
  tg_check_reply rep = {0};
  if (!parse_ship(q, b, "", &p, &opts, &rep)) {
    reply_error(r, &rep);
  } else {
    tg_error err = {0};
    tg_ship_item it = {.order = &p.o, .opts = &opts, .actor = q->who.name};
    tg_status st = srv_ship_submit(q->srv, &it, 1, &err);
    if (st == TG_OK) st = it.status, err = it.err;
    if (st == TG_EREFUSED && it.json) srv_refusal_audit(q->srv, p.o.end_user, it.json, q->who.name);
    if (st == TG_OK || (st == TG_EREFUSED && it.json)) {
      srv_json(r, it.json);
      if (st == TG_EREFUSED && r->status == 200) r->status = 409;
    } else {
      tg_free(it.json);
      srv_fail(r, st, &err);
    }
  }
  tg_chip_destroy(p.owned);
  json_decref(b);
}

/* A correction: reverses shipment {id} with a reason (required); the
 * original stays.  The reversal as `tollgate correct --json` prints it. */
static void shipment_reverse(srv_req *q, srv_resp *r) {
  json_t *b = srv_body_object(q, r);
  if (!b) return;
  static const char *const fields[] = {"reason", NULL};
  const char *reason = NULL;
  tg_check_reply rep = {0};
  char *end = NULL;
  long long id = strtoll(q->param, &end, 10);
  if (!srv_known_fields(b, fields, "", &rep) || !srv_text_field(b, "reason", "", &reason, &rep)) {
    reply_error(r, &rep);
  } else if (!reason || !*reason) {
    srv_error(r, 400, "bad_field", "reason: required (it goes into the audit trail)");
  } else if (id <= 0 || !q->param[0] || *end) {
    srv_error(r, 404, "not_found", "no shipment '%.40s'", q->param);
  } else {
    char *js = NULL;
    tg_error err = {0};
    tg_status st = tg_shipment_reverse(q->srv->store, id, reason, q->who.name, &js, &err);
    if (st == TG_OK) srv_json(r, js);
    else srv_fail(r, st, &err);
  }
  json_decref(b);
}

/* The period of ?quarter=2025Q3, ?month=2025-09, ?year=2025 or
 * ?from=DATE&until=DATE (one of them), as `tollgate fees` reads it. */
static bool period(const srv_req *q, srv_resp *r, tg_shipment_filter *f) {
  tg_error err = {0};
  if (tg_period_parse(srv_query(q, "quarter"), srv_query(q, "month"), srv_query(q, "year"),
                      srv_query(q, "from"), srv_query(q, "until"), &f->from, &f->to,
                      &err) != TG_OK) {
    srv_error(r, 400, "bad_field", "%s", err.message);
    return false;
  }
  return true;
}

/* The filters of `tollgate shipments` and `fees`. */
static bool filter(const srv_req *q, srv_resp *r, tg_shipment_filter *f) {
  tg_shipment_filter_init(f);
  f->license = srv_query(q, "license");
  f->chip = srv_query(q, "chip");
  f->dest = srv_query(q, "to");
  f->end_user = srv_query(q, "end_user");
  f->verdict = srv_query(q, "verdict");
  return period(q, r, f);
}

static void shipments(srv_req *q, srv_resp *r) {
  tg_shipment_filter f;
  tg_page pg;
  if (!filter(q, r, &f) || !srv_page_params(q, r, &pg)) return;
  f.page = &pg;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_shipments_json(q->store, &f, &js, &err);
  srv_paged(r, &pg, st, &err, js);
}

static void fees(srv_req *q, srv_resp *r) {
  tg_shipment_filter f;
  if (!filter(q, r, &f)) return;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_fees_json(q->store, &f, srv_query(q, "by"), &js, &err);
  if (st == TG_OK) srv_json(r, js);
  else srv_fail(r, st, &err);
}

/* Both outcomes of the check are answers (200): {"ok": true, ...} or
 * {"ok": false, "first_bad", "subject", "problem"}. */
static void audit_verify(srv_req *q, srv_resp *r) {
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_audit_verify(q->store, &js, &err);
  if (st == TG_OK || (st == TG_ETAMPER && js)) srv_json(r, js);
  else {
    tg_free(js);
    srv_fail(r, st, &err);
  }
}

/* The audit records, oldest first, filtered by ?actor= (exact), ?action=
 * (prefix: "shipment." for every shipment write) and ?subject= (part,
 * ignoring case), paged by seq. */
static void audit_records(srv_req *q, srv_resp *r) {
  tg_page pg;
  if (!srv_page_params(q, r, &pg)) return;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_audit_records_json(q->store, srv_query(q, "actor"), srv_query(q, "action"),
                                       srv_query(q, "subject"), &pg, &js, &err);
  srv_paged(r, &pg, st, &err, js);
}

/* ---- payments ---- */

/* An amount in USD: a decimal text ("1234.56", exact) or a whole number. */
static bool usd_field(json_t *obj, const char *name, int64_t *cents, tg_check_reply *rep) {
  json_t *v = json_object_get(obj, name);
  if (json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= TG_MAX_LICENSE_VALUE_CENTS / 100) {
    *cents = json_integer_value(v) * 100;
    return true;
  }
  if (json_is_string(v) && tg_decimal_parse(name, json_string_value(v), 2, cents, NULL) == TG_OK)
    return true;
  bad(rep, name, "required: an amount in USD, a decimal text (\"1234.56\") or a whole number");
  return false;
}

static void payment_add(srv_req *q, srv_resp *r) {
  static const char *const fields[] = {"arrangement", "shipment", "license", "amount_usd", "date",
                                       "reference", "notes", NULL};
  json_t *b = srv_body_object(q, r);
  if (!b) return;
  tg_payment_spec p;
  tg_payment_spec_init(&p);
  double ship = 0;
  tg_check_reply rep = {0};
  bool ok = srv_known_fields(b, fields, "", &rep) && srv_text_field(b, "arrangement", "", &p.arrangement, &rep) &&
            srv_text_field(b, "license", "", &p.license, &rep) &&
            srv_text_field(b, "reference", "", &p.reference, &rep) &&
            srv_text_field(b, "notes", "", &p.notes, &rep) &&
            srv_number_field(b, "shipment", "", 9e15, true, &ship, &rep) &&
            usd_field(b, "amount_usd", &p.amount_cents, &rep) && date_field(b, "date", true, &p.paid_on, &rep);
  if (!ok) {
    reply_error(r, &rep);
  } else {
    p.shipment = (int64_t)ship;
    char *js = NULL;
    tg_error err = {0};
    tg_status st = tg_payment_add(q->store, &p, q->who.name, &js, &err);
    if (st == TG_OK) srv_json(r, js);
    else srv_fail(r, st, &err);
  }
  json_decref(b);
}

static void payments(srv_req *q, srv_resp *r) { srv_listing(q, r, tg_payments_page_json); }

static void payment_dues(srv_req *q, srv_resp *r) {
  tg_dues_filter f;
  tg_dues_filter_init(&f);
  f.license = srv_query(q, "license");
  f.arrangement = srv_query(q, "arrangement");
  f.status = srv_query(q, "status");
  const char *ship = srv_query(q, "shipment");
  char *end = NULL;
  if (ship) {
    long long v = strtoll(ship, &end, 10);
    if (!*ship || *end || v <= 0) {
      srv_error(r, 400, "bad_field", "shipment: '%.40s' is not a shipment id", ship);
      return;
    }
    f.shipment = v;
  }
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_payment_dues_json(q->store, &f, &js, &err);
  if (st == TG_OK) srv_json(r, js);
  else srv_fail(r, st, &err);
}

static void payment_terms(srv_req *q, srv_resp *r) {
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_payment_terms_json(q->store, &js, &err);
  if (st == TG_OK) srv_json(r, js);
  else srv_fail(r, st, &err);
}

#include "routes_ledger_doc.h"

const srv_route srv_ledger_routes[] = {
    {"GET", "/v1/licenses", TG_ROLE_VIEWER, false, licenses,
     "Every license with its use so far (as `tollgate license list --json`), by number; "
     "paginated by ?limit= and ?cursor= (a number)", "[" PAGE_PARAMS "]", NULL,
     "{\"type\": \"array\", \"items\": " LICENSE_SCHEMA "}", NULL},
    {"POST", "/v1/licenses", TG_ROLE_OFFICER, true, license_add,
     "Adds a license (the fields of `tollgate license add`); 409 when the number exists", NULL,
     LICENSE_REQUEST, LICENSE_SCHEMA, NULL},
    {"GET", "/v1/licenses/{number}", TG_ROLE_VIEWER, false, license_show,
     "One license with its use and its shipments' ids; 404 when there is none", NULL, NULL,
     LICENSE_SCHEMA, NULL},
    {"POST", "/v1/licenses/{number}/revoke", TG_ROLE_ADMIN, true, license_revoke,
     "Revokes a license (no later shipment may draw on it); 409 when already revoked", NULL,
     "{\"type\": \"object\", \"additionalProperties\": false, \"properties\": {\"reason\": "
     "{\"type\": \"string\"}}}",
     LICENSE_SCHEMA, NULL},
    {"POST", "/v1/licenses/{number}/amend", TG_ROLE_OFFICER, true, license_amend,
     "Amends a license (any field of an add) with a reason (as `tollgate license amend`); 409 when "
     "the shipments recorded under it would exceed the amended license, or it is revoked", NULL,
     "{\"type\": \"object\", \"required\": [\"reason\"], \"description\": \"the fields of "
     "POST /v1/licenses (except number), each optional, and reason\"}", LICENSE_SCHEMA, NULL},
    {"POST", "/v1/licenses/{number}/extend", TG_ROLE_OFFICER, true, license_extend,
     "Extends a license to a later end date with a reason (as `tollgate license extend`)", NULL,
     "{\"type\": \"object\", \"required\": [\"until\", \"reason\"], \"additionalProperties\": false, "
     "\"properties\": {\"until\": {\"type\": \"string\", \"format\": \"date\"}, \"reason\": "
     "{\"type\": \"string\"}}}", LICENSE_SCHEMA, NULL},
    {"GET", "/v1/shipments", TG_ROLE_VIEWER, false, shipments,
     "Recorded shipments, oldest first (the filters of `tollgate shipments`); paginated by "
     "?limit= and ?cursor= (an id)", SHIPMENT_PARAMS,
     NULL, "{\"type\": \"object\", \"properties\": {\"shipments\": {\"type\": \"array\"}, "
     "\"count\": {\"type\": \"integer\"}}}", NULL},
    {"POST", "/v1/shipments", TG_ROLE_OFFICER, true, srv_ledger_ship, SHIP_SUMMARY, NULL, SHIP_REQUEST,
     "{\"type\": \"object\", \"description\": \"the shipment as `tollgate ship --json` prints "
     "it; for a batch body, {results: [{outcome: recorded|refused|error, ...}]} in order\"}",
     NULL},
    {"POST", "/v1/shipments/{id}/reverse", TG_ROLE_OFFICER, true, shipment_reverse,
     "Reverses a recorded shipment with a reason (as `tollgate correct`): a reversal row with "
     "the negative quantity, value and payment; the original stays; 409 when already reversed",
     NULL,
     "{\"type\": \"object\", \"required\": [\"reason\"], \"additionalProperties\": false, "
     "\"properties\": {\"reason\": {\"type\": \"string\"}}}",
     "{\"type\": \"object\", \"description\": \"the reversal row\"}", NULL},
    {"GET", "/v1/fees", TG_ROLE_VIEWER, false, fees,
     "Payments owed by the shipments of a period, grouped (as `tollgate fees --json`)",
     FEES_PARAMS, NULL, FEES_SCHEMA, NULL},
    {"POST", "/v1/payments", TG_ROLE_OFFICER, true, payment_add,
     "Records a payment under one arrangement for a shipment or a license (as `tollgate payment "
     "add`); 404 when it owes nothing under that arrangement, 409 when the amount is more than "
     "is outstanding (nothing recorded)", NULL, PAYMENT_REQUEST,
     "{\"type\": \"object\", \"description\": \"the payment with the obligations it paid\"}", NULL},
    {"GET", "/v1/payments", TG_ROLE_VIEWER, false, payments,
     "Recorded payments, by id (as `tollgate payment list --json`); paginated by ?limit= and "
     "?cursor= (an id)", "[" PAGE_PARAMS "]", NULL,
     "{\"type\": \"object\", \"properties\": {\"count\": {\"type\": \"integer\"}, "
     "\"payments\": {\"type\": \"array\"}}}", NULL},
    {"GET", "/v1/payments/dues", TG_ROLE_VIEWER, false, payment_dues,
     "What each shipment owes under each arrangement, with its due date and status (due, paid, "
     "overdue, reversed), and each arrangement's sums, never added together (as `tollgate "
     "payment dues --json`)",
     "[" QPARAM("license", "of a license") ", " QPARAM("arrangement", "one arrangement") ", "
     QPARAM("status", "due, paid, overdue or reversed") ", " QPARAM("shipment", "one shipment (id)") "]",
     NULL, "{\"type\": \"object\", \"required\": [\"arrangements\", \"obligations\"]}", NULL},
    {"GET", "/v1/payments/terms", TG_ROLE_VIEWER, false, payment_terms,
     "Each arrangement's payee, due rule and the rule's source (as `tollgate payment terms --json`)",
     NULL, NULL, "{\"type\": \"array\"}", NULL},
    {"GET", "/v1/audit/records", TG_ROLE_VIEWER, false, audit_records,
     "The audit records (seq, at, actor, action, subject, content, prev, hash), oldest first, "
     "as `tollgate audit export` writes them; filters ?actor= (exact), ?action= (prefix) and "
     "?subject= (part); paginated by ?limit= and ?cursor= (a seq)",
     "[" QPARAM("actor", "who wrote it (exact)") ", " QPARAM("action", "e.g. shipment. (prefix)") ", "
     QPARAM("subject", "part of the subject") ", " PAGE_PARAMS "]",
     NULL, "{\"type\": \"object\", \"properties\": {\"count\": {\"type\": \"integer\"}, "
     "\"records\": {\"type\": \"array\"}}}", NULL},
    {"GET", "/v1/audit/verify", TG_ROLE_VIEWER, false, audit_verify,
     "Replays the audit chain against the licenses and shipments: {\"ok\": true, \"records\", "
     "\"head\"} or {\"ok\": false, \"records\", \"first_bad\", \"subject\", \"problem\"}",
     NULL, NULL, "{\"type\": \"object\", \"required\": [\"ok\"]}", NULL},
    {NULL, NULL, 0, false, NULL, NULL, NULL, NULL, NULL, NULL},
};
