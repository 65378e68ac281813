/* router.c - matching a request to a route in the route tables, then the
 * checks every route shares: 404 for no such path, 405 for a path without
 * that method, 401 without a valid bearer token, 403 for a role below the
 * route's; then the handler: reads on the read-only connection, writes
 * under the store's write lock.
 * To add a module's endpoints, list its table below. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

const srv_route *const srv_route_tables[] = {
    srv_core_routes,
    srv_access_routes,
    srv_ledger_routes,
    srv_screen_routes,
    srv_capability_routes,
    srv_decision_routes,
    NULL,
};

void srv_resp_free(srv_resp *r) {
  for (size_t i = 0; i < r->npieces; i++)
    if (r->pieces[i].owned) free((char *)r->pieces[i].text);
    else tg_result_destroy(r->pieces[i].result);
  free(r->pieces);
  r->pieces = NULL;
  r->npieces = 0;
  free(r->body);
  r->body = NULL;
  r->len = 0;
}

void srv_error(srv_resp *r, int status, const char *code, const char *fmt, ...) {
  char msg[600], esc[1300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t k = 0;
  for (const char *p = msg; *p && k + 7 < sizeof esc; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '"' || c == '\\') esc[k++] = '\\', esc[k++] = (char)c;
    else if (c < 0x20) k += (size_t)snprintf(esc + k, sizeof esc - k, "\\u%04x", c);
    else esc[k++] = (char)c;
  }
  esc[k] = '\0';
  srv_resp_free(r);
  size_t cap = strlen(esc) + strlen(code) + 64;
  r->body = malloc(cap);
  r->len = r->body ? (size_t)snprintf(r->body, cap, "{\"error\": {\"code\": \"%s\", \"message\": \"%s\"}}",
                                      code, esc)
                   : 0;
  r->status = status;
  r->ctype = "application/json";
}

void srv_fail(srv_resp *r, tg_status st, const tg_error *err) {
  const char *msg = err && err->message[0] ? err->message : tg_strerror(st);
  switch (st) {
  case TG_EINVAL: srv_error(r, 400, "bad_field", "%s", msg); break;
  case TG_ENOTFOUND: srv_error(r, 404, "not_found", "%s", msg); break;
  case TG_ECONFLICT: srv_error(r, 409, "conflict", "%s", msg); break;
  case TG_EREFUSED: srv_error(r, 409, "refused", "%s", msg); break;
  case TG_EBUSY:
    srv_error(r, 503, "busy", "%s", msg);
    r->retry_after = 1;
    break;
  /* the database is unreachable or failing: nothing was recorded; retry */
  case TG_ESTORE: srv_error(r, 503, "unavailable", "%s", msg); break;
  default: srv_error(r, 500, "internal", "%s", msg); break;
  }
}

json_t *srv_body_object(const srv_req *q, srv_resp *r) {
  if (strspn(q->body, " \t\r\n") == q->body_len) return json_object();
  json_error_t jerr;
  json_t *o = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
  if (!o) {
    srv_error(r, 400, "bad_json", "malformed JSON at line %d column %d: %s", jerr.line,
              jerr.column, jerr.text);
  } else if (!json_is_object(o)) {
    json_decref(o);
    o = NULL;
    srv_error(r, 400, "bad_request", "body: expected a JSON object");
  }
  return o;
}

void srv_json(srv_resp *r, char *json) {
  if (!json) {
    srv_error(r, 500, "internal", "out of memory");
    return;
  }
  srv_resp_free(r);
  r->status = 200;
  r->ctype = "application/json";
  r->body = json;
  r->len = strlen(json);
}

/* Matches path against pattern; a "{x}" segment takes one non-empty path
 * segment into param (with `slashes`, everything up to the pattern's rest,
 * '/' included). */
static bool match(const char *pattern, const char *path, char *param, size_t cap, bool slashes) {
  const char *p = pattern, *s = path;
  while (*p && *s) {
    if (*p == '{') {
      const char *pe = strchr(p, '}'), *se = strchr(s, '/');
      size_t n = se ? (size_t)(se - s) : strlen(s);
      if (slashes && pe) {
        size_t rest = strlen(pe + 1), left = strlen(s);
        if (left <= rest || strcmp(s + left - rest, pe + 1) != 0) return false;
        n = left - rest;
      }
      if (!pe || n == 0 || n >= cap) return false;
      memcpy(param, s, n);
      param[n] = '\0';
      p = pe + 1;
      s += n;
    } else if (*p++ != *s++) {
      return false;
    }
  }
  return !*p && !*s;
}

static const char *bearer(const char *auth) {
  if (!auth || strncmp(auth, "Bearer ", 7) != 0) return NULL;
  auth += 7;
  while (*auth == ' ') auth++;
  return auth;
}

/* The token and role checks of a route: false with r filled (401/403).
 * quick: answer only from memory (the PostgreSQL lease); false with
 * *later set when the database must be asked. */
static bool authorize(const srv_route *rt, srv_req *q, srv_resp *r, bool quick, bool *later) {
  if (rt->role <= 0) return true;
  const char *tok = bearer(srv_header(q, "Authorization"));
  if (!tok || !*tok) {
    srv_error(r, 401, "unauthorized", "sign in: send 'Authorization: Bearer TOKEN'");
    return false;
  }
  tg_error err = {0};
  tg_server *s = q->srv;
  tg_status st;
  if (s->pg) {
    /* a token verified under the current lease: no database call (srv_tokens.c) */
    st = tg_token_verify_leased(s->lease, NULL, tok, &q->who, &err);
    if (st == TG_ENOTFOUND && quick) {
      *later = true;
      return false;
    }
    if (st == TG_ENOTFOUND) {
      tg_store *ts = srv_store_get(s);
      st = tg_token_verify_leased(s->lease, ts, tok, &q->who, &err);
      srv_store_put(s, ts);
    }
  } else {
    /* through the thread's read-only connection, without the write lock:
     * a writer waiting on a busy database never delays a token check */
    st = tg_token_verify(srv_thread_reader(s), tok, &q->who, &err);
  }
  if (st == TG_EDENIED) {
    srv_error(r, 401, "unauthorized", "the token is unknown, expired or revoked");
    return false;
  }
  if (st != TG_OK) {
    srv_fail(r, st, &err);
    return false;
  }
  if ((int)q->who.role < rt->role) {
    srv_error(r, 403, "forbidden", "%s %s needs the %s role; token '%s' is %s", rt->method,
              rt->pattern, tg_role_name((tg_role)rt->role), q->who.name,
              tg_role_name(q->who.role));
    return false;
  }
  return true;
}

/* Finds the route of q; NULL with r filled (404/405). Paths whose
 * parameter holds a '/' (an old license number) match only when no route
 * matches segment by segment. */
static const srv_route *find(srv_req *q, srv_resp *r) {
  char *allow = r->allow;
  for (int pass = 0; pass < 2; pass++) {
    allow[0] = '\0';
    for (int t = 0; srv_route_tables[t]; t++)
      for (const srv_route *rt = srv_route_tables[t]; rt->method; rt++) {
        if (!match(rt->pattern, q->path, q->param, sizeof q->param, pass == 1)) continue;
        if (!strcmp(rt->method, q->method)) return rt;
        size_t n = strlen(allow);
        snprintf(allow + n, sizeof r->allow - n, "%s%s", n ? ", " : "", rt->method);
      }
    if (allow[0]) {
      srv_error(r, 405, "method_not_allowed", "%s %s: use %s", q->method, q->path, allow);
      return NULL;
    }
  }
  srv_error(r, 404, "not_found", "no route %s %s (see GET /v1/openapi.json)", q->method, q->path);
  return NULL;
}

static bool is_api(const char *path) {
  return strncmp(path, "/v1/", 4) == 0 || strcmp(path, "/v1") == 0;
}

static const srv_route *admit(srv_req *q, srv_resp *r, bool quick, bool *later) {
  r->status = 0;
  if (!is_api(q->path)) {
    if (strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0)
      srv_error(r, 404, "not_found", "no route %s %s", q->method, q->path);
    return NULL;
  }
  const srv_route *rt = find(q, r);
  return rt && authorize(rt, q, r, quick, later) ? rt : NULL;
}

const srv_route *srv_admit(srv_req *q, srv_resp *r) {
  bool later = false;
  return admit(q, r, false, &later);
}

const srv_route *srv_admit_quick(srv_req *q, srv_resp *r, bool *later) {
  *later = false;
  return admit(q, r, true, later);
}

void srv_run(const srv_route *rt, srv_req *q, srv_resp *r) {
  tg_server *s = q->srv;
  if (!rt) {
    srv_static(q, r);
    return;
  }
  /* the routes that write only through the group commit (srv_batch.c),
   * which takes its own connection and lock: they read like reads */
  bool gc = rt->fn == srv_ledger_ship || rt->fn == srv_screen_post;
  if (!s->pg && (!rt->write || gc) && s->reader) {
    /* SQLite reads: the second connection, no lock, never behind a writer */
    q->store = s->reader;
    srv_lists_refresh(s, q->store);
    rt->fn(q, r);
    q->store = NULL;
    return;
  }
  if (!rt->write || gc) {
    /* PostgreSQL reads: a pooled connection of their own (MVCC); the
     * shipments route reads nothing, so its connection goes back at once
     * (the group commit takes one of the pool's) */
    q->store = srv_store_get(s);
    srv_lists_refresh(s, q->store);
    if (rt->fn == srv_ledger_ship) srv_store_put(s, q->store), q->store = NULL;
    rt->fn(q, r);
    srv_store_put(s, q->store);
    q->store = NULL;
    return;
  }
  /* writes: SQLite's shared connection under store_lock, PostgreSQL a
   * pooled connection (the database locking), waited for at most busy_ms */
  if (!(q->store = srv_writer_acquire(s))) {
    srv_error(r, 503, "busy", "every writer is waiting for the database; retry later");
    r->retry_after = 1;
    return;
  }
  srv_lists_refresh(s, q->store);
  rt->fn(q, r);
  srv_writer_release(s, q->store);
  q->store = NULL;
}

void srv_dispatch(srv_req *q, srv_resp *r) {
  const srv_route *rt = srv_admit(q, r);
  if (rt || r->status == 0) srv_run(rt, q, r);
}

/* The routes whose answer or work grows with the data or the request:
 * always heavy; listings unless paged (?limit=); a request whose body may
 * be a batch (of orders or shipments) when its body is announced over
 * BATCH_MIN bytes or not at all (a batch is known only from the body, and
 * a single order or shipment is far smaller). */
enum { HEAVY_ALWAYS, HEAVY_UNPAGED, HEAVY_BATCH };
#define BATCH_MIN 4096
static const struct {
  const char *route;
  int kind;
} heavy_routes[] = {
    {"POST /v1/checks", HEAVY_BATCH},
    {"GET /v1/chart.svg", HEAVY_ALWAYS},
    {"GET /v1/audit/verify", HEAVY_ALWAYS},
    {"GET /v1/envelope", HEAVY_ALWAYS},
    {"GET /v1/chips/{id}/derate", HEAVY_ALWAYS},
    {"GET /v1/chips/{id}/timeline", HEAVY_ALWAYS},
    {"GET /v1/compare", HEAVY_ALWAYS},
    {"GET /v1/diff", HEAVY_ALWAYS},
    {"GET /v1/licenses", HEAVY_UNPAGED},
    {"GET /v1/shipments", HEAVY_UNPAGED},
    {"GET /v1/fees", HEAVY_UNPAGED},
    {"GET /v1/tokens", HEAVY_UNPAGED},
    {"GET /v1/chips", HEAVY_UNPAGED},
    {"GET /v1/lists", HEAVY_UNPAGED},
    {"GET /v1/audit/records", HEAVY_UNPAGED},
    {"GET /v1/clearances", HEAVY_UNPAGED},
    {"GET /v1/alerts", HEAVY_UNPAGED},
    {"GET /v1/payments", HEAVY_UNPAGED},
    {"GET /v1/payments/dues", HEAVY_ALWAYS},
    {"POST /v1/shipments", HEAVY_BATCH},
    {NULL, 0}};

bool srv_heavy(const srv_route *rt, const srv_req *q) {
  if (!rt) return false;
  for (int i = 0; heavy_routes[i].route; i++) {
    const char *h = heavy_routes[i].route;
    size_t m = strlen(rt->method);
    if (strncmp(h, rt->method, m) || h[m] != ' ' || strcmp(h + m + 1, rt->pattern)) continue;
    switch (heavy_routes[i].kind) {
    case HEAVY_UNPAGED: return !srv_query(q, "limit"); /* a page is bounded */
    case HEAVY_BATCH: {
      const char *cl = srv_header(q, "Content-Length");
      return !cl || strtoull(cl, NULL, 10) > BATCH_MIN;
    }
    default: return true;
    }
  }
  return false;
}
