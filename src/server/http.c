/* http.c - the libmicrohttpd adapter: starts a daemon with a thread pool on
 * the listen address, gathers each request body up to the cap (413 past
 * it, without reading more than the cap), hands the request to the router
 * and sends its response with the headers every answer carries. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srv_int.h"

void tg_server_options_default(tg_server_options *o) {
  memset(o, 0, sizeof *o);
  o->listen = "127.0.0.1:8080";
  o->max_body = 1 << 20;
  o->max_orders = 1000;
}

const char *srv_query(const srv_req *q, const char *name) {
  return q->conn ? MHD_lookup_connection_value(q->conn, MHD_GET_ARGUMENT_KIND, name) : NULL;
}

const char *srv_header(const srv_req *q, const char *name) {
  return q->conn ? MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, name) : NULL;
}

bool srv_query_date(const srv_req *q, srv_resp *r, const char *name, tg_date *out) {
  const char *s = srv_query(q, name);
  *out = q->today;
  if (s && tg_date_parse(s, out) != TG_OK) {
    srv_error(r, 400, "bad_field", "%s: '%.40s' is not a date (expected YYYY-MM-DD, a real day)",
              name, s);
    return false;
  }
  return true;
}

/* The body gathered for one request. */
typedef struct conn_ctx {
  char *body;
  size_t len, cap;
  bool too_big;
} conn_ctx;

static enum MHD_Result send_resp(struct MHD_Connection *c, srv_resp *r) {
  struct MHD_Response *m;
  if (r->body) m = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
  else m = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  if (!m) {
    free(r->body);
    return MHD_NO;
  }
  r->body = NULL;
  MHD_add_response_header(m, "Content-Type", r->ctype ? r->ctype : "application/json");
  MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(m, "Cache-Control", "no-store");
  MHD_add_response_header(m, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
  if (r->allow[0]) MHD_add_response_header(m, "Allow", r->allow);
  if (r->status == 401) MHD_add_response_header(m, "WWW-Authenticate", "Bearer realm=\"tollgate\"");
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, m);
  MHD_destroy_response(m);
  return ret;
}

static enum MHD_Result too_large(struct MHD_Connection *c, const tg_server *s) {
  srv_resp r = {0};
  srv_error(&r, 413, "too_large", "the request body exceeds %zu bytes", s->opt.max_body);
  return send_resp(c, &r);
}

static tg_date today_utc(void) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  return tg_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls) {
  (void)version;
  tg_server *s = cls;
  conn_ctx *x = *con_cls;
  if (!x) {
    if (!(x = calloc(1, sizeof *x))) return MHD_NO;
    *con_cls = x;
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > s->opt.max_body) {
      x->too_big = true;
      return too_large(c, s); /* the body is never read */
    }
    return MHD_YES;
  }
  if (*upload_size) {
    if (!x->too_big && x->len + *upload_size > s->opt.max_body) x->too_big = true;
    if (!x->too_big) {
      if (x->len + *upload_size + 1 > x->cap) {
        size_t cap = x->cap ? x->cap : 4096;
        while (cap < x->len + *upload_size + 1) cap *= 2;
        char *b = realloc(x->body, cap);
        if (!b) return MHD_NO;
        x->body = b;
        x->cap = cap;
      }
      memcpy(x->body + x->len, upload, *upload_size);
      x->len += *upload_size;
      x->body[x->len] = '\0';
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (x->too_big) return too_large(c, s);
  srv_req q = {.srv = s, .method = method, .path = url, .conn = c,
               .body = x->body ? x->body : "", .body_len = x->len, .today = today_utc()};
  srv_resp r = {0};
  srv_dispatch(&q, &r);
  return send_resp(c, &r);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode code) {
  (void)cls, (void)c, (void)code;
  conn_ctx *x = *con_cls;
  if (x) free(x->body);
  free(x);
  *con_cls = NULL;
}

/* Fills err with what + arg + tail (arg and tail may be ""). */
static tg_status start_error(tg_error *err, tg_status st, const char *what, const char *arg,
                             const char *tail) {
  if (err) {
    err->status = st;
    snprintf(err->message, sizeof err->message, "%s%.200s%s", what, arg, tail);
  }
  return st;
}

static bool parse_listen(const char *listen, struct sockaddr_in *a) {
  char host[64];
  const char *colon = listen ? strrchr(listen, ':') : NULL;
  if (!colon || (size_t)(colon - listen) >= sizeof host) return false;
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = '\0';
  char *end;
  unsigned long port = strtoul(colon + 1, &end, 10);
  if (!colon[1] || *end || port > 65535) return false;
  memset(a, 0, sizeof *a);
  a->sin_family = AF_INET;
  a->sin_port = htons((uint16_t)port);
  if (!strcmp(host, "localhost")) strcpy(host, "127.0.0.1");
  return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

tg_status tg_server_start(const tg_engine *e, tg_store *st, const tg_server_options *o,
                          tg_server **out, tg_error *err) {
  *out = NULL;
  tg_server_options def;
  if (!o) tg_server_options_default(&def), o = &def;
  struct sockaddr_in addr;
  if (!e || !st) return start_error(err, TG_EINVAL, "the server needs an engine and a store", "", "");
  if (!parse_listen(o->listen, &addr))
    return start_error(err, TG_EINVAL, "--listen: '", o->listen ? o->listen : "",
                       "' is not IPv4-ADDRESS:PORT");
  tg_server *s = calloc(1, sizeof *s);
  if (!s) return start_error(err, TG_ENOMEM, "out of memory", "", "");
  s->engine = e;
  s->store = st;
  s->opt = *o;
  if (!s->opt.max_body) s->opt.max_body = 1 << 20;
  if (!s->opt.max_orders) s->opt.max_orders = 1000;
  if (!s->opt.threads) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    s->opt.threads = n > 0 ? (unsigned)n : 2;
  }
  snprintf(s->web_dir, sizeof s->web_dir, "%s", o->web_dir ? o->web_dir : TG_WEB_DIR);
  s->opt.web_dir = s->web_dir;
  s->opt.listen = NULL;
  pthread_rwlock_init(&s->store_lock, NULL);
  pthread_mutex_init(&s->chart_lock, NULL);
  /* One screener for every request: the store's lists as they are now;
   * an import by any process is picked up within a second (srv_lists.c). */
  srv_batch_init(s);
  srv_lists_init(s);
  tg_status sst = srv_pool_open(s, err);
  if (sst == TG_OK) sst = tg_lists_version(st, &s->lists_version, err);
  if (sst == TG_OK) sst = tg_screener_create(e, &s->screener, err);
  if (sst == TG_OK) sst = tg_screener_load_store(s->screener, st, err);
  if (sst == TG_OK) sst = tg_ownership_load(st, &s->ownership, err);
  if (sst != TG_OK) {
    tg_server_stop(s);
    return sst;
  }
  if (!(s->openapi = srv_openapi())) {
    tg_server_stop(s);
    return start_error(err, TG_ENOMEM, "out of memory", "", "");
  }
  s->daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, on_request, s,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
      s->opt.threads, MHD_OPTION_NOTIFY_COMPLETED, on_done, s, MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_END);
  if (!s->daemon) {
    tg_server_stop(s);
    return start_error(err, TG_EIO, "cannot listen on ", o->listen,
                       " (in use, or not an address here?)");
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : ntohs(addr.sin_port);
  *out = s;
  return TG_OK;
}

unsigned tg_server_port(const tg_server *s) { return s ? s->port : 0; }

void tg_server_stop(tg_server *s) {
  if (!s) return;
  if (s->daemon) MHD_stop_daemon(s->daemon);
  pthread_rwlock_destroy(&s->store_lock);
  pthread_mutex_destroy(&s->chart_lock);
  for (size_t i = 0; i < sizeof s->charts / sizeof *s->charts; i++) tg_free(s->charts[i].svg);
  tg_screener_destroy(s->screener);
  tg_ownership_destroy(s->ownership);
  srv_lists_close(s);
  srv_pool_close(s);
  pthread_cond_destroy(&s->gc_cv);
  pthread_mutex_destroy(&s->gc_mu);
  free(s->openapi);
  free(s);
}
