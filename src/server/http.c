/* http.c - the libmicrohttpd adapter: starts a daemon with an epoll pool
 * of I/O threads (one per core) on the listen address and its connection
 * limits; on a request's headers checks their framing (400), finds the
 * route and checks the token before any body is read (401/403), takes a
 * heavy-request slot (503 past the bound); gathers the body up to the cap
 * (413 past it, without reading more than the cap), runs the route and
 * sends its answer with the headers every answer carries.  Only the fast
 * routes (a classification, a small check: the engine alone) run on the
 * I/O thread; any other request is suspended and run by a worker thread
 * (srv_work.c), as is a PostgreSQL token check, so that no I/O thread
 * waits on a database or computes a batch while its other connections
 * wait. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "conns.h"
#include "srv_int.h"

void tg_server_options_default(tg_server_options *o) {
  memset(o, 0, sizeof *o);
  o->listen = "127.0.0.1:8080";
  o->max_body = 1 << 20;
  o->max_orders = 1000;
  o->max_conns = 256;
  o->per_ip = 64;
  o->header_ms = 10000;
  o->body_ms = 30000;
  o->idle_s = 15;
  o->heavy = 4;
  o->max_answer = (size_t)64 << 20;
  o->busy_ms = 500;
  o->max_list_upload = (size_t)256 << 20;
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

/* One request across the adapter's calls: its route and caller (known
 * from the headers), the heavy slot it holds, and the body gathered. */
typedef struct conn_ctx {
  srv_req q;
  const srv_route *rt;
  bool heavy;
  char *body;
  size_t len, cap;
  bool too_big;
  srv_upload up; /* a streamed route's body (srv_lists.c) */
  bool answered; /* answered from the headers: nothing more to do */
  bool pending;  /* an answer decided on the headers, sent once the body
                    has been read and dropped (not kept) */
  srv_resp early;
  int stage;     /* STAGE_*: where a suspended request is */
  struct MHD_Connection *c;
  srv_resp out;  /* a worker's answer (or its admission failure) */
} conn_ctx;

/* A request handed to a worker is suspended at ADMITTING (the token check)
 * or RUNNING (the route); the worker sets ADMITTED or RAN and resumes it,
 * and libmicrohttpd calls on_request again at the same point. */
enum { STAGE_HEADERS, STAGE_ADMITTING, STAGE_ADMITTED, STAGE_BODY, STAGE_RUNNING, STAGE_RAN };

/* Frees an answer's pieces once sent (cls: a srv_resp holding them). */
static void free_pieces(void *cls) {
  srv_resp_free(cls);
  free(cls);
}

/* An answer in pieces, sent from them as they are (no joined copy). */
static struct MHD_Response *pieces_response(srv_resp *r) {
  struct MHD_IoVec *iov = malloc((r->npieces ? r->npieces : 1) * sizeof *iov);
  srv_resp *keep = malloc(sizeof *keep);
  struct MHD_Response *m = NULL;
  if (iov && keep && r->npieces <= 0xFFFFFFFFu) {
    for (size_t i = 0; i < r->npieces; i++) iov[i] = (struct MHD_IoVec){r->pieces[i].text, r->pieces[i].len};
    *keep = (srv_resp){.pieces = r->pieces, .npieces = r->npieces};
    /* libmicrohttpd copies the vector, not the pieces */
    m = MHD_create_response_from_iovec(iov, (unsigned)r->npieces, free_pieces, keep);
  }
  free(iov);
  if (m) {
    r->pieces = NULL;
    r->npieces = 0;
  } else {
    free(keep);
  }
  return m;
}

static enum MHD_Result send_resp(struct MHD_Connection *c, srv_resp *r) {
  struct MHD_Response *m;
  if (r->pieces) m = pieces_response(r);
  else if (r->body) m = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
  else m = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  if (!m) {
    srv_resp_free(r);
    return MHD_NO;
  }
  r->body = NULL;
  MHD_add_response_header(m, "Content-Type", r->ctype ? r->ctype : "application/json");
  MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(m, "Cache-Control", "no-store");
  MHD_add_response_header(m, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
  if (r->allow[0]) MHD_add_response_header(m, "Allow", r->allow);
  if (r->next_cursor[0]) MHD_add_response_header(m, "X-Next-Cursor", r->next_cursor);
  if (r->retry_after) {
    char ra[16];
    snprintf(ra, sizeof ra, "%u", r->retry_after);
    MHD_add_response_header(m, "Retry-After", ra);
  }
  if (r->status == 401) MHD_add_response_header(m, "WWW-Authenticate", "Bearer realm=\"tollgate\"");
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, m);
  MHD_destroy_response(m);
  return ret;
}

static enum MHD_Result too_large(struct MHD_Connection *c, const tg_server *s, const srv_req *q) {
  srv_resp r = {0};
  srv_body_too_large(s, q->method, q->path, &r);
  return send_resp(c, &r);
}

static tg_date today_utc(void) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  return tg_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Counts the Content-Length and Transfer-Encoding headers. */
typedef struct framing {
  unsigned n_length, n_encoding;
  const char *length, *encoding;
  bool lengths_differ;
} framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value) {
  (void)kind;
  framing *f = cls;
  if (!strcasecmp(key, "Content-Length")) {
    if (f->n_length++ && strcmp(f->length, value ? value : "")) f->lengths_differ = true;
    if (f->n_length == 1) f->length = value ? value : "";
  } else if (!strcasecmp(key, "Transfer-Encoding")) {
    f->n_encoding++;
    f->encoding = value ? value : "";
  }
  return MHD_YES;
}

/* The body's framing is unambiguous: one Content-Length (digits only), or
 * "Transfer-Encoding: chunked" alone.  False with r filled (400, 413). */
static bool framing_ok(struct MHD_Connection *c, const tg_server *s, const srv_req *q, srv_resp *r) {
  framing f = {0};
  MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
  if (f.n_length > 1) {
    srv_error(r, 400, "bad_request", "Content-Length: sent %u times%s; send it once", f.n_length,
              f.lengths_differ ? " with different values" : "");
    return false;
  }
  if (f.n_encoding > 1 || (f.n_encoding && strcasecmp(f.encoding, "chunked"))) {
    srv_error(r, 400, "bad_request",
              "Transfer-Encoding: only a single 'chunked' is supported (got '%.60s')", f.encoding);
    return false;
  }
  if (f.n_encoding && f.n_length) {
    srv_error(r, 400, "bad_request", "send either Content-Length or Transfer-Encoding, not both");
    return false;
  }
  if (f.n_length) {
    const char *v = f.length;
    if (!*v || strspn(v, "0123456789") != strlen(v)) {
      srv_error(r, 400, "bad_request", "Content-Length: '%.40s' is not a number of bytes", v);
      return false;
    }
    if (strlen(v) > 15 || strtoull(v, NULL, 10) > srv_body_bound(s, q->method, q->path)) {
      srv_body_too_large(s, q->method, q->path, r);
      return false;
    }
  }
  return true;
}

/* The largest body read (and dropped) before an answer decided on the
 * headers (401, 403, 404, 503); larger ones get the answer at once. */
#define DROP_MAX ((size_t)64 << 10)

/* Takes a heavy-request slot; false (503) when all are taken. */
static bool heavy_take(tg_server *s, srv_resp *r) {
  pthread_mutex_lock(&s->heavy_lock);
  bool ok = s->heavy_busy < s->opt.heavy;
  if (ok) s->heavy_busy++;
  pthread_mutex_unlock(&s->heavy_lock);
  if (!ok) {
    srv_error(r, 503, "busy",
              "%u large requests (batches, chart, audit, envelope, comparisons, whole "
              "listings) are in progress; "
              "retry shortly, or ask for a page (?limit=)", s->opt.heavy);
    r->retry_after = 2;
  }
  return ok;
}

static void heavy_give(tg_server *s) {
  pthread_mutex_lock(&s->heavy_lock);
  s->heavy_busy--;
  pthread_mutex_unlock(&s->heavy_lock);
}

static void suspend(void *c) { MHD_suspend_connection(c); }

/* A worker's admission: the route and the token (PostgreSQL). */
static void admit_job(void *arg) {
  conn_ctx *x = arg;
  x->rt = srv_admit(&x->q, &x->out);
  x->stage = STAGE_ADMITTED;
  MHD_resume_connection(x->c);
}

/* A worker's run of the route. */
static void run_job(void *arg) {
  conn_ctx *x = arg;
  tg_server *s = x->q.srv;
  srv_run(x->rt, &x->q, &x->out);
  if (x->out.len > s->opt.max_answer) srv_too_large(&x->q, &x->out, x->out.len, s->opt.max_answer);
  x->stage = STAGE_RAN;
  MHD_resume_connection(x->c);
}

/* Hands the request to a worker, suspended until it is done; false (r
 * filled with a 503) when the server is stopping. */
static bool to_worker(tg_server *s, conn_ctx *x, srv_job_fn fn, int stage, srv_resp *r) {
  x->stage = stage;
  /* shipments at the ledger's lower priority (srv_work.c) */
  int lane = stage == STAGE_RUNNING && x->rt && x->rt->fn == srv_ledger_ship ? SRV_LANE_LEDGER
                                                                             : SRV_LANE_READ;
  if (srv_work_submit(s, lane, fn, x, suspend, x->c)) return true;
  x->stage = STAGE_BODY;
  srv_error(r, 503, "busy", "the server is stopping");
  return false;
}

/* After the route and token are known (r holds their failure, if any):
 * the heavy slot, then an answer at once or the body. */
static enum MHD_Result admitted(tg_server *s, conn_ctx *x, struct MHD_Connection *c, srv_resp *r) {
  bool busy = x->rt && srv_heavy(x->rt, &x->q) && !(x->heavy = heavy_take(s, r));
  if ((!x->rt && r->status) || busy) {
    /* A small body is read and dropped, never kept, before the answer (a
     * client that already sent it then reads the answer rather than a
     * connection reset); past DROP_MAX the answer goes at once and
     * nothing more is read. */
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    size_t announced = cl ? (size_t)strtoull(cl, NULL, 10) : 0;
    bool chunked = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding") != NULL;
    if (!chunked && announced <= DROP_MAX) {
      x->pending = true;
      x->early = *r;
      *r = (srv_resp){0};
      srv_conn_phase(s->conns, c, SRV_PHASE_BODY);
      return MHD_YES;
    }
    x->answered = true; /* nothing more is read or run */
    srv_conn_phase(s->conns, c, SRV_PHASE_ANSWER);
    return send_resp(c, r);
  }
  srv_conn_phase(s->conns, c, SRV_PHASE_BODY);
  return MHD_YES;
}

/* The first call, on the headers: framing, route, token, heavy slot.
 * Answers at once (never reading the body) when one of them fails.  A
 * PostgreSQL token not known under the server's lease is looked up on a
 * pooled connection: on a worker. */
static enum MHD_Result on_headers(tg_server *s, conn_ctx *x, struct MHD_Connection *c) {
  srv_resp r = {0};
  if (!framing_ok(c, s, &x->q, &r)) {
    x->answered = true;
    srv_conn_phase(s->conns, c, SRV_PHASE_ANSWER);
    return send_resp(c, &r);
  }
  bool later = false;
  x->rt = srv_admit_quick(&x->q, &r, &later);
  if (later) {
    r = (srv_resp){0};
    if (to_worker(s, x, admit_job, STAGE_ADMITTING, &r)) return MHD_YES;
    x->answered = true;
    srv_conn_phase(s->conns, c, SRV_PHASE_ANSWER);
    return send_resp(c, &r);
  }
  x->stage = STAGE_BODY;
  return admitted(s, x, c, &r);
}

/* Routes that only ask the engine (no database, bounded work: a single
 * classification, a check body under the batch size) run on the I/O
 * thread; every other one on a worker. */
static bool fast(const conn_ctx *x) {
  const srv_route *rt = x->rt;
  if (!rt || x->heavy) return false;
  return (!strcmp(rt->method, "GET") && !strcmp(rt->pattern, "/v1/chips/{id}/classification")) ||
         (!strcmp(rt->method, "POST") && !strcmp(rt->pattern, "/v1/checks"));
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
    x->c = c;
    x->q = (srv_req){.srv = s, .method = method, .path = url, .conn = c, .today = today_utc()};
    return on_headers(s, x, c);
  }
  if (x->stage == STAGE_ADMITTED) { /* the first call again, resumed */
    x->stage = STAGE_BODY;
    return admitted(s, x, c, &x->out);
  }
  if (x->stage == STAGE_RAN) { /* the last call again, resumed */
    x->stage = STAGE_BODY;
    x->answered = true;
    return send_resp(c, &x->out);
  }
  if (x->stage == STAGE_ADMITTING || x->stage == STAGE_RUNNING) return MHD_YES;
  if (x->answered) {
    *upload_size = 0;
    return MHD_YES;
  }
  if (x->pending) {
    if (*upload_size) {
      *upload_size = 0; /* dropped */
      return MHD_YES;
    }
    x->pending = false;
    x->answered = true;
    srv_conn_phase(s->conns, c, SRV_PHASE_ANSWER);
    return send_resp(c, &x->early);
  }
  if (*upload_size) {
    bool streamed = srv_streamed(x->q.method, x->q.path);
    if (!x->too_big && x->len + *upload_size > srv_body_bound(s, x->q.method, x->q.path)) x->too_big = true;
    if (!x->too_big && streamed) {
      srv_upload_chunk(&x->up, upload, *upload_size);
      x->len += *upload_size;
    } else if (!x->too_big) {
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
  if (x->too_big) return too_large(c, s, &x->q);
  srv_conn_phase(s->conns, c, SRV_PHASE_ANSWER);
  srv_resp r = {0};
  bool streamed = srv_streamed(x->q.method, x->q.path);
  if (streamed) {
    if (!srv_upload_finish(&x->up)) {
      srv_error(&r, 500, "internal", "cannot keep the uploaded list file");
      return send_resp(c, &r);
    }
    x->q.upload_path = x->up.path[0] ? x->up.path : NULL;
  }
  x->q.body = x->body ? x->body : "";
  x->q.body_len = streamed ? 0 : x->len;
  if (fast(x)) {
    srv_lists_refresh(s, NULL); /* the screener follows imports */
    x->rt->fn(&x->q, &r);
    if (r.len > s->opt.max_answer) srv_too_large(&x->q, &r, r.len, s->opt.max_answer);
    return send_resp(c, &r);
  }
  if (to_worker(s, x, run_job, STAGE_RUNNING, &r)) return MHD_YES;
  return send_resp(c, &r);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode code) {
  (void)code;
  conn_ctx *x = *con_cls;
  tg_server *s = cls;
  /* a kept-alive connection's next request has its own header deadline */
  srv_conn_phase(s->conns, c, SRV_PHASE_HEADERS);
  if (x && x->heavy) heavy_give(s);
  if (x) srv_upload_drop(&x->up), free(x->body), srv_resp_free(&x->early), srv_resp_free(&x->out);
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
  s->listen_fd = -1;
  s->opt = *o;
  tg_server_options_default(&def);
#define DEFAULT(f) if (!s->opt.f) s->opt.f = def.f
  DEFAULT(max_body);
  DEFAULT(max_orders);
  DEFAULT(max_conns);
  DEFAULT(per_ip);
  DEFAULT(header_ms);
  DEFAULT(body_ms);
  DEFAULT(idle_s);
  DEFAULT(heavy);
  DEFAULT(max_answer);
  DEFAULT(busy_ms);
  DEFAULT(max_list_upload);
#undef DEFAULT
  if (!s->opt.threads) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    s->opt.threads = n > 0 ? (unsigned)n : 2;
  }
  snprintf(s->web_dir, sizeof s->web_dir, "%s", o->web_dir ? o->web_dir : TG_WEB_DIR);
  s->opt.web_dir = s->web_dir;
  s->opt.listen = NULL;
  pthread_rwlock_init(&s->store_lock, NULL);
  pthread_mutex_init(&s->chart_lock, NULL);
  pthread_mutex_init(&s->heavy_lock, NULL);
  pthread_mutex_init(&s->draw_lock, NULL);
  srv_readers_init(s);
  /* One screener for every request: the store's lists as they are now;
   * an import by any process is picked up within a second (srv_lists.c). */
  srv_batch_init(s);
  srv_lists_init(s);
  tg_status sst = srv_pool_open(s, err);
  if (sst == TG_OK) sst = srv_tokens_start(s, err);
  if (sst == TG_OK && !s->pg) {
    /* SQLite: writes wait briefly for another process's lock (then 503),
     * and reads get a connection of their own */
    tg_store_set_busy_timeout(st, (int)s->opt.busy_ms);
    sst = tg_store_open_reader(st, &s->reader, err);
    if (sst == TG_OK) tg_store_set_busy_timeout(s->reader, 1000);
  }
  if (sst == TG_OK && !(s->conns = srv_conns_start(s->opt.header_ms, s->opt.body_ms))) {
    tg_server_stop(s);
    return start_error(err, TG_ENOMEM, "cannot start the connection watcher", "", "");
  }
  if (sst == TG_OK) sst = tg_lists_version(st, &s->lists_version, err);
  if (sst == TG_OK) sst = tg_screener_create(e, &s->screener, err);
  if (sst == TG_OK) sst = tg_screener_load_store(s->screener, st, err);
  if (sst == TG_OK) sst = tg_ownership_load(st, &s->ownership, err);
  if (sst != TG_OK) {
    tg_server_stop(s);
    return sst;
  }
  /* the workers: `threads` at start, more when every one is busy (up to
   * one per connection: a request waiting on a lock delays no other) */
  if (!srv_work_start(s, s->opt.threads, s->opt.max_conns + s->opt.threads)) {
    tg_server_stop(s);
    return start_error(err, TG_ENOMEM, "cannot start the worker threads", "", "");
  }
  if (!(s->openapi = srv_openapi())) {
    tg_server_stop(s);
    return start_error(err, TG_ENOMEM, "out of memory", "", "");
  }
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  if (!srv_listen(s, &addr)) {
    tg_server_stop(s);
    return start_error(err, TG_EIO, "cannot listen on ", o->listen,
                       " (in use, or not an address here?)");
  }
  s->daemon = MHD_start_daemon(
      /* an epoll loop per core, fed by the accepting thread; the
       * connections are bounded by max_conns and per_ip, long work goes
       * to the workers (suspended meanwhile), and the heavy requests are
       * bounded by the heavy slots */
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_NO_LISTEN_SOCKET |
          MHD_USE_ITC,
      0, NULL, NULL, on_request, s, MHD_OPTION_THREAD_POOL_SIZE,
      (unsigned)(ncpu > 1 ? (ncpu < 16 ? ncpu : 16) : 1), MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
      MHD_OPTION_NOTIFY_CONNECTION, srv_conn_notify, s->conns, MHD_OPTION_CONNECTION_TIMEOUT,
      s->opt.idle_s, MHD_OPTION_CONNECTION_LIMIT, s->opt.max_conns,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->opt.per_ip, MHD_OPTION_END);
  if (!s->daemon || !srv_accept_start(s)) {
    tg_server_stop(s);
    return start_error(err, TG_EIO, "cannot start the HTTP daemon on ", o->listen, "");
  }
  *out = s;
  return TG_OK;
}

unsigned tg_server_port(const tg_server *s) { return s ? s->port : 0; }

void tg_server_stop(tg_server *s) {
  if (!s) return;
  /* no connection may stay suspended when the daemon stops: the workers
   * finish what is queued (resuming those) and refuse more first */
  srv_accept_stop(s);
  srv_work_stop(s);
  if (s->daemon) MHD_stop_daemon(s->daemon);
  srv_conns_stop(s->conns);
  tg_store_close(s->reader);
  for (unsigned i = 0; i < s->readers_n; i++) tg_store_close(s->readers[i]);
  pthread_mutex_destroy(&s->readers_mu);
  pthread_rwlock_destroy(&s->store_lock);
  pthread_mutex_destroy(&s->chart_lock);
  pthread_mutex_destroy(&s->heavy_lock);
  pthread_mutex_destroy(&s->draw_lock);
  for (size_t i = 0; i < sizeof s->charts / sizeof *s->charts; i++) tg_free(s->charts[i].svg);
  srv_lists_close(s); /* its thread joined before the screener goes */
  tg_screener_destroy(s->screener);
  tg_ownership_destroy(s->ownership);
  srv_tokens_stop(s);
  srv_pool_close(s);
  pthread_mutex_destroy(&s->gc_mu);
  free(s->openapi);
  free(s);
}
