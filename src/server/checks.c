/* checks.c - POST /v1/checks: one order object, or an array of them, read
 * from JSON with the fields of `tollgate check` (chip, to, hq, from, qty,
 * unit_price, on, end_user, purchaser, consignee, and a spec object for a
 * chip not in the catalog, read by the library's own spec reader), checked
 * with tg_check (parties screened with the server's screener) and answered
 * with tg_result_json.  Any bad field fails the whole request with 400
 * naming it; nothing is partly answered.  POST /v1/shipments reads its
 * order with the same parser (srv_parse_order). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

/* Caps that keep qty * unit price (in cents) well inside int64. */
#define MAX_QTY 10000000LL
#define MAX_UNIT_PRICE_USD 1e9

static const char *const order_fields[] = {"chip", "spec", "to", "hq", "from", "qty", "unit_price",
                                           "on", "end_user", "purchaser", "consignee", "end_use",
                                           "made_in", "us_content_pct", "direct_product", "attest",
                                           "threshold", NULL};

static void fail(tg_check_reply *r, int status, const char *code, const char *where,
                 const char *msg) {
  r->status = status;
  r->code = code;
  size_t n = (size_t)snprintf(r->message, sizeof r->message, "%.150s%s", where, *where ? ": " : "");
  if (n < sizeof r->message) snprintf(r->message + n, sizeof r->message - n, "%.350s", msg);
}

/* A string field, or NULL when absent; false (with r filled) when not text. */
bool srv_text_field(json_t *obj, const char *name, const char *where, const char **out,
                       tg_check_reply *r) {
  json_t *v = json_object_get(obj, name);
  *out = NULL;
  if (!v || json_is_null(v)) return true;
  bool text = json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v);
  if (text && tg_text_check(name, json_string_value(v), 200, NULL) == TG_OK) {
    *out = json_string_value(v);
    return true;
  }
  /* refused: the message names the field where it is ("orders[3].to") */
  char w[160];
  snprintf(w, sizeof w, "%s%s", where, name);
  tg_error err = {0};
  if (!text) {
    fail(r, 400, "bad_field", w, "expected non-empty text (at most 200 characters)");
    return false;
  }
  if (tg_text_check(w, json_string_value(v), 200, &err) != TG_OK) {
    /* err names the field already */
    r->status = 400;
    r->code = "bad_field";
    snprintf(r->message, sizeof r->message, "%s", err.message);
    return false;
  }
  *out = json_string_value(v);
  return true;
}

static bool chip_field(const tg_engine *e, json_t *obj, const char *where, srv_order *p,
                       tg_check_reply *r) {
  char w[160];
  const char *id;
  if (!srv_text_field(obj, "chip", where, &id, r)) return false;
  json_t *spec = json_object_get(obj, "spec");
  if (spec && !json_is_null(spec)) {
    snprintf(w, sizeof w, "%sspec", where);
    if (!json_is_object(spec)) {
      fail(r, 400, "bad_field", w, "expected an object of chip fields (as in a spec file)");
      return false;
    }
    json_t *copy = json_deep_copy(spec);
    if (!json_object_get(copy, "id")) json_object_set_new(copy, "id", json_string(id ? id : "user-spec"));
    char *text = json_dumps(copy, JSON_COMPACT); /* JSON is YAML: the spec reader takes it */
    json_decref(copy);
    tg_error err = {0};
    tg_status st = text ? tg_chip_from_spec(text, strlen(text), "spec", &p->owned, &err) : TG_ENOMEM;
    free(text);
    if (st != TG_OK) {
      fail(r, st == TG_ENOMEM ? 500 : 400, st == TG_ENOMEM ? "internal" : "bad_field", w,
           err.message[0] ? err.message : tg_strerror(st));
      return false;
    }
    p->o.chip = p->owned;
    return true;
  }
  snprintf(w, sizeof w, "%schip", where);
  if (!id) {
    fail(r, 400, "bad_field", w, "required: a catalog chip id (see GET /v1/chips) or a spec object");
    return false;
  }
  p->o.chip = tg_catalog_find(e, id);
  if (!p->o.chip) {
    char *s = tg_catalog_suggest(e, id), msg[400];
    snprintf(msg, sizeof msg, "unknown chip '%.100s'%s%.200s%s", id, s && *s ? " (did you mean: " : "",
             s && *s ? s : "", s && *s ? "?)" : "");
    tg_free(s);
    fail(r, 400, "bad_field", w, msg);
    return false;
  }
  return true;
}

bool srv_number_field(json_t *obj, const char *name, const char *where, double max, bool integer,
                         double *out, tg_check_reply *r) {
  json_t *v = json_object_get(obj, name);
  if (!v || json_is_null(v)) return true;
  double d = json_is_number(v) ? json_number_value(v) : -1;
  if (d < 0 || d > max || (integer && !json_is_integer(v))) {
    char w[160], msg[160];
    snprintf(w, sizeof w, "%s%s", where, name);
    snprintf(msg, sizeof msg, "expected %s from 0 to %.0f", integer ? "a whole number" : "a number",
             max);
    fail(r, 400, "bad_field", w, msg);
    return false;
  }
  *out = d;
  return true;
}

/* Names the first key of obj that is not in fields; false (r filled). */
bool srv_known_fields(json_t *obj, const char *const *fields, const char *where,
                         tg_check_reply *r) {
  const char *key;
  json_t *val;
  json_object_foreach(obj, key, val) {
    bool known = false;
    for (int i = 0; fields[i] && !known; i++) known = !strcmp(key, fields[i]);
    if (known) continue;
    char w[160], msg[400] = "unknown field (expected ";
    snprintf(w, sizeof w, "%s%.60s", where, key);
    for (int i = 0; fields[i]; i++) {
      size_t n = strlen(msg);
      snprintf(msg + n, sizeof msg - n, "%s%s", fields[i], fields[i + 1] ? ", " : ")");
    }
    fail(r, 400, "bad_field", w, msg);
    return false;
  }
  return true;
}

/* Reads one order object; `where` is "" or "orders[i]." for messages. */
static bool parse_order(const tg_engine *e, json_t *obj, const char *const *fields,
                        const char *where, tg_date today, srv_order *p, tg_check_reply *r) {
  tg_order_init(&p->o);
  p->owned = NULL;
  p->o.on = today;
  char w[160];
  if (!json_is_object(obj)) {
    snprintf(w, sizeof w, "%.*s", where[0] ? (int)strlen(where) - 1 : 0, where);
    fail(r, 400, "bad_request", w[0] ? w : "body", "expected an order object");
    return false;
  }
  if (!srv_known_fields(obj, fields ? fields : order_fields, where, r)) return false;
  const char *on;
  double qty = 1, price = -1, threshold = 0;
  if (!srv_text_field(obj, "to", where, &p->o.dest, r) || !srv_text_field(obj, "hq", where, &p->o.hq, r) ||
      !srv_text_field(obj, "from", where, &p->o.origin, r) || !srv_text_field(obj, "on", where, &on, r) ||
      !srv_text_field(obj, "end_user", where, &p->o.end_user, r) ||
      !srv_text_field(obj, "purchaser", where, &p->o.purchaser, r) ||
      !srv_text_field(obj, "consignee", where, &p->o.consignee, r) ||
      !srv_text_field(obj, "attest", where, &p->o.attestations, r) ||
      !srv_number_field(obj, "qty", where, (double)MAX_QTY, true, &qty, r) ||
      !srv_number_field(obj, "unit_price", where, MAX_UNIT_PRICE_USD, false, &price, r) ||
      !srv_text_field(obj, "end_use", where, &p->o.end_use, r) ||
      !srv_text_field(obj, "made_in", where, &p->o.made_in, r) ||
      !srv_text_field(obj, "direct_product", where, &p->o.direct_product, r) ||
      !srv_number_field(obj, "us_content_pct", where, 100, false, &p->o.us_content_pct, r) ||
      !srv_number_field(obj, "threshold", where, 1, false, &threshold, r))
    return false;
  if (json_object_get(obj, "threshold") && threshold <= 0) {
    snprintf(w, sizeof w, "%sthreshold", where);
    fail(r, 400, "bad_field", w, "expected a screening threshold in (0, 1]");
    return false;
  }
  p->o.screen_threshold = threshold;
  p->o.lists_as_of = today;
  if (!p->o.dest) {
    snprintf(w, sizeof w, "%sto", where);
    fail(r, 400, "bad_field", w, "required: the destination country (ISO 3166-1 alpha-2)");
    return false;
  }
  if (on && tg_date_parse(on, &p->o.on) != TG_OK) {
    snprintf(w, sizeof w, "%son", where);
    fail(r, 400, "bad_field", w, "expected a date YYYY-MM-DD (a real day)");
    return false;
  }
  p->o.qty = (int64_t)qty;
  p->o.unit_price_cents = price < 0 ? -1 : (int64_t)llround(price * 100.0);
  return chip_field(e, obj, where, p, r);
}

bool srv_parse_order(const tg_engine *e, json_t *obj, const char *const *fields, tg_date today,
                     srv_order *p, tg_check_reply *r) {
  memset(r, 0, sizeof *r);
  return parse_order(e, obj, fields, "", today, p, r);
}

/* The answer in pieces: each order's JSON (owned) and the separators
 * between them (static). */
typedef struct pieces {
  srv_piece *p;
  size_t n, cap, len;
} pieces;

/* Adds a piece: text owned (tg_free'd once sent), or held by `result`
 * (destroyed once sent), or static. */
static bool piece_add_held(pieces *b, const char *text, size_t len, bool owned, tg_result *result) {
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 16;
    srv_piece *p = realloc(b->p, cap * sizeof *p);
    if (!p) return false;
    b->p = p;
    b->cap = cap;
  }
  b->p[b->n++] = (srv_piece){.text = text, .len = len, .owned = owned, .result = result};
  b->len += len;
  return true;
}

static bool piece_add(pieces *b, const char *text, size_t len, bool owned) {
  return piece_add_held(b, text, len, owned, NULL);
}

static void pieces_free(pieces *b) {
  for (size_t i = 0; i < b->n; i++)
    if (b->p[i].owned) tg_free((char *)b->p[i].text);
    else tg_result_destroy(b->p[i].result);
  free(b->p);
  *b = (pieces){0};
}

/* Checks one parsed order and appends its JSON to out. */
static bool check_one(const tg_engine *e, const srv_order *p, const char *where, pieces *out,
                      tg_check_reply *r) {
  tg_result *res = NULL;
  tg_error err = {0};
  tg_status st = tg_check(e, &p->o, &res, &err);
  if (st != TG_OK) {
    char w[160];
    snprintf(w, sizeof w, "%.*s", where[0] ? (int)strlen(where) - 1 : 0, where);
    fail(r, st == TG_ENOMEM ? 500 : 400, st == TG_ENOMEM ? "internal" : "bad_order", w,
         err.message[0] ? err.message : tg_strerror(st));
    return false;
  }
  size_t len;
  const char *kept = tg_result_json_kept(res, &len);
  if (kept) { /* a repeated order: its kept answer, sent without a copy */
    bool ok = piece_add_held(out, kept, len, false, res);
    if (!ok) tg_result_destroy(res);
    if (!ok) fail(r, 500, "internal", "", "out of memory");
    return ok;
  }
  char *js = tg_result_json(res);
  tg_result_destroy(res);
  bool ok = js && piece_add(out, js, strlen(js), true);
  if (!ok) tg_free(js);
  if (!ok) fail(r, 500, "internal", "", "out of memory");
  return ok;
}

/* Does the order name a party?  Only then do the screener and the
 * ownership records bear on its answer (tg_check screens the named parties
 * and looks up their owners, and does nothing with either otherwise);
 * an order naming none is checked without them, which lets the engine
 * answer a repeated one from its cache of answers. */
static bool named(const tg_order *o) {
  return (o->end_user && *o->end_user) || (o->purchaser && *o->purchaser) ||
         (o->consignee && *o->consignee);
}

void tg_server_checks(const tg_engine *e, const tg_screener *sc, double threshold, const char *body,
                      size_t len, size_t max_orders, tg_date today, tg_check_reply *out) {
  tg_server_checks_owned(e, sc, NULL, threshold, body, len, max_orders, today, out);
}

/* The checks of a body: out->status 200 with the answer in ob, or the
 * failure in out. */
static void run_checks(const tg_engine *e, const tg_screener *sc, const tg_ownership *own,
                       double threshold, const char *body, size_t len, size_t max_orders,
                       tg_date today, tg_check_reply *out, pieces *ob) {
  memset(out, 0, sizeof *out);
  json_error_t jerr;
  json_t *root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
  if (!root) {
    char msg[300];
    snprintf(msg, sizeof msg, "malformed JSON at line %d column %d: %s", jerr.line, jerr.column,
             jerr.text);
    fail(out, 400, "bad_json", "", msg);
    return;
  }
  bool many = json_is_array(root);
  size_t n = many ? json_array_size(root) : 1;
  if (many && n > max_orders) {
    char msg[120];
    snprintf(msg, sizeof msg, "%zu orders in one request; at most %zu", n, max_orders);
    fail(out, 413, "too_large", "", msg);
    json_decref(root);
    return;
  }
  srv_order *ps = calloc(n ? n : 1, sizeof *ps);
  size_t done = 0;
  bool ok = ps != NULL;
  if (!ok) fail(out, 500, "internal", "", "out of memory");
  /* Read every order first, so a bad one fails the request before any runs. */
  while (ok && done < n) {
    char where[48] = "";
    if (many) snprintf(where, sizeof where, "orders[%zu].", done);
    ok = parse_order(e, many ? json_array_get(root, done) : root, NULL, where, today, &ps[done], out);
    if (ok && !ps[done].o.screen_threshold) ps[done].o.screen_threshold = threshold;
    if (ok && named(&ps[done].o)) { /* parties to screen */
      ps[done].o.ownership = own;
      ps[done].o.screener = sc;
    }
    if (ok) done++; /* a failed order owns nothing */
  }
  if (ok && many) ok = piece_add(ob, "[", 1, false);
  for (size_t i = 0; ok && i < n; i++) {
    char where[48] = "";
    if (many) snprintf(where, sizeof where, "orders[%zu].", i);
    ok = (!i || piece_add(ob, ",\n", 2, false)) && check_one(e, &ps[i], where, ob, out);
  }
  if (ok && many) ok = piece_add(ob, "]", 1, false);
  for (size_t i = 0; i < done; i++) tg_chip_destroy(ps[i].owned);
  free(ps);
  json_decref(root);
  if (ok) {
    out->status = 200;
  } else {
    if (!out->status) fail(out, 500, "internal", "", "out of memory");
    pieces_free(ob);
  }
}

void tg_server_checks_owned(const tg_engine *e, const tg_screener *sc, const tg_ownership *own,
                            double threshold, const char *body, size_t len, size_t max_orders,
                            tg_date today, tg_check_reply *out) {
  pieces ob = {0};
  run_checks(e, sc, own, threshold, body, len, max_orders, today, out, &ob);
  if (out->status != 200) return;
  char *text = malloc(ob.len + 1);
  if (!text) {
    fail(out, 500, "internal", "", "out of memory");
  } else {
    size_t k = 0;
    for (size_t i = 0; i < ob.n; i++) memcpy(text + k, ob.p[i].text, ob.p[i].len), k += ob.p[i].len;
    text[k] = '\0';
    out->json = text;
  }
  pieces_free(&ob);
}

void srv_checks(const tg_engine *e, const tg_screener *sc, const tg_ownership *own,
                double threshold, const char *body, size_t len, size_t max_orders, tg_date today,
                srv_resp *r) {
  pieces ob = {0};
  tg_check_reply rep;
  run_checks(e, sc, own, threshold, body, len, max_orders, today, &rep, &ob);
  if (rep.status != 200) {
    srv_error(r, rep.status, rep.code, "%s", rep.message);
    return;
  }
  srv_resp_free(r);
  r->status = 200;
  r->ctype = "application/json";
  r->pieces = ob.p;
  r->npieces = ob.n;
  r->len = ob.len;
}
