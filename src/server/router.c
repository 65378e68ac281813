/* router.c - matching a request to a route in the route tables, then the
 * checks every route shares: 404 for no such path, 405 for a path without
 * that method, 401 without a valid bearer token, 403 for a role below the
 * route's; then the handler, under the store lock (exclusive for writes).
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
    NULL,
};

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
  free(r->body);
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
  free(r->body);
  r->status = 200;
  r->ctype = "application/json";
  r->body = json;
  r->len = strlen(json);
}

/* Matches path against pattern; a "{x}" segment takes one non-empty path
 * segment into param. */
static bool match(const char *pattern, const char *path, char *param, size_t cap) {
  const char *p = pattern, *s = path;
  while (*p && *s) {
    if (*p == '{') {
      const char *pe = strchr(p, '}'), *se = strchr(s, '/');
      size_t n = se ? (size_t)(se - s) : strlen(s);
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

static void run_route(const srv_route *rt, srv_req *q, srv_resp *r) {
  tg_server *s = q->srv;
  /* SQLite: the shared connection under store_lock; PostgreSQL: a pooled
   * connection of this request's own, the database doing the locking */
  q->store = srv_store_get(s);
  srv_lists_refresh(s, q->store);
  if (rt->role > 0) {
    const char *tok = bearer(srv_header(q, "Authorization"));
    if (!tok || !*tok) {
      srv_error(r, 401, "unauthorized", "sign in: send 'Authorization: Bearer TOKEN'");
      goto out;
    }
    tg_error err = {0};
    if (!s->pg) pthread_rwlock_rdlock(&s->store_lock);
    tg_status st = tg_token_verify(q->store, tok, &q->who, &err);
    if (!s->pg) pthread_rwlock_unlock(&s->store_lock);
    if (st == TG_EDENIED) {
      srv_error(r, 401, "unauthorized", "the token is unknown or revoked");
      goto out;
    }
    if (st != TG_OK) {
      srv_error(r, st == TG_ESTORE ? 503 : 500, st == TG_ESTORE ? "unavailable" : "internal",
                "%s", err.message);
      goto out;
    }
    if ((int)q->who.role < rt->role) {
      srv_error(r, 403, "forbidden", "%s %s needs the %s role; token '%s' is %s", rt->method,
                rt->pattern, tg_role_name((tg_role)rt->role), q->who.name,
                tg_role_name(q->who.role));
      goto out;
    }
  }
  if (rt->fn == srv_ledger_ship) {
    /* the group commit borrows its own connection and takes the lock */
    srv_store_put(s, q->store);
    q->store = NULL;
    rt->fn(q, r);
    return;
  }
  if (!s->pg) {
    if (rt->write) pthread_rwlock_wrlock(&s->store_lock);
    else pthread_rwlock_rdlock(&s->store_lock);
  }
  rt->fn(q, r);
  if (!s->pg) pthread_rwlock_unlock(&s->store_lock);
out:
  srv_store_put(s, q->store);
  q->store = NULL;
}

void srv_dispatch(srv_req *q, srv_resp *r) {
  if (strncmp(q->path, "/v1/", 4) != 0 && strcmp(q->path, "/v1") != 0) {
    if (!strcmp(q->method, "GET") || !strcmp(q->method, "HEAD")) srv_static(q, r);
    else srv_error(r, 404, "not_found", "no route %s %s", q->method, q->path);
    return;
  }
  char *allow = r->allow;
  allow[0] = '\0';
  for (int t = 0; srv_route_tables[t]; t++)
    for (const srv_route *rt = srv_route_tables[t]; rt->method; rt++) {
      if (!match(rt->pattern, q->path, q->param, sizeof q->param)) continue;
      if (!strcmp(rt->method, q->method)) {
        run_route(rt, q, r);
        return;
      }
      size_t n = strlen(allow);
      snprintf(allow + n, sizeof r->allow - n, "%s%s", n ? ", " : "", rt->method);
    }
  if (allow[0]) {
    srv_error(r, 405, "method_not_allowed", "%s %s: use %s", q->method, q->path, allow);
    return;
  }
  srv_error(r, 404, "not_found", "no route %s %s (see GET /v1/openapi.json)", q->method, q->path);
}
