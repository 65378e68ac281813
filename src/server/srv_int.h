/* srv_int.h - inside the server: a request as handlers see it, the response
 * they fill, and the route tables.  A module adds endpoints by defining a
 * table of srv_route (see routes_core.c) and listing it in router.c; the
 * router then does matching, 404/405, authentication (401), roles (403),
 * the write lock, and the OpenAPI document, so handlers do only their work. */
#ifndef TG_SRV_INT_H
#define TG_SRV_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "server.h"

struct tg_server {
  const tg_engine *engine;
  tg_store *store;
  tg_screener *screener;       /* the store's lists, shared by every request;
                                  its index is swapped on reload (srv_lists.c) */
  tg_ownership *ownership;     /* the store's ownership records (NULL: none),
                                  loaded once at start like the lists */
  tg_server_options opt;
  char web_dir[1024];
  char *openapi;               /* the document, made once at start */
  pthread_rwlock_t store_lock; /* SQLite: writes exclusive (reads use `reader`) */
  /* Connections (srv_pool.c): SQLite shares its one serialized connection
   * (under store_lock); PostgreSQL lends each request its own. */
  bool pg;
  pthread_mutex_t pool_mu;
  pthread_cond_t pool_cv;
  tg_store **pool;             /* idle connections (PostgreSQL) */
  size_t pool_idle, pool_n;
  tg_store **pool_all;         /* every connection but `store`, to close */
  /* Group commit (srv_batch.c): jobs waiting for the next flush, in two
   * lanes: shipments (and, on SQLite, audit records), and on PostgreSQL
   * audit records alone (flushed beside the shipments' flush). */
  pthread_mutex_t gc_mu;
  struct srv_gc_lane {
    struct srv_ship_job *pending;
    bool flushing;             /* a flush runs, or its lead is being passed on */
  } gc[2];
  /* PostgreSQL: the lease on verified tokens and the thread renewing it
   * on a connection of its own (srv_tokens.c). */
  tg_token_lease *lease;
  tg_store *lease_conn;
  pthread_t lease_thread;
  pthread_mutex_t lease_mu;
  pthread_cond_t lease_cv;
  bool lease_init, lease_on, lease_stop;
  /* Screening lists (srv_lists.c): the screener follows imports made by
   * any server sharing the database (a version check, once a second). */
  pthread_mutex_t lists_mu;
  pthread_mutex_t reload_mu; /* one reload at a time: the later one reads the later lists */
  pthread_cond_t lists_cv;     /* wakes the lists thread, and its waiters */
  pthread_t lists_thread;      /* builds the new index off the request threads */
  bool lists_thread_on, lists_wake, lists_stop;
  int64_t lists_version;
  long lists_checked;          /* CLOCK_MONOTONIC second of the last check */
  bool lists_loading;
  tg_store *reader;            /* SQLite: a second connection for token checks
                                  and reads, which never wait behind a writer */
  pthread_mutex_t heavy_lock;  /* counts heavy requests in flight */
  unsigned heavy_busy;
  struct srv_conns *conns;     /* open connections and their deadlines (conns.c) */
  /* Charts by rules epoch (tg_rules_epoch: every date of a span draws
   * alike, so a span is drawn once whatever dates are asked), a ring; and
   * one drawing at a time (draw_lock), so new spans cannot eat every CPU. */
  pthread_mutex_t chart_lock, draw_lock;
  struct {
    tg_date epoch;
    char *svg;
  } charts[32];
  unsigned chart_next;
  unsigned long charts_drawn;  /* drawings made (under draw_lock), for tests */
  /* Worker threads (srv_work.c): the requests that may take long or
   * wait, off the I/O threads, in two lanes: SRV_LANE_READ (everything
   * else) and SRV_LANE_LEDGER (shipments, at a lower CPU priority). */
  struct srv_work_lane {
    int nice;                  /* added to the threads' nice value (Linux) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct srv_job *head, *tail;
    pthread_t *threads;
    unsigned n, max, idle, queued;
    bool stop;
  } work[2];
  /* SQLite: each I/O thread's own read-only connection for token checks
   * and the fast routes (srv_thread_reader), closed at stop. */
  unsigned long id;             /* unique in the process */
  pthread_mutex_t readers_mu;
  tg_store *readers[64];
  unsigned readers_n;
  /* The listening socket and its accepting thread (srv_accept.c). */
  int listen_fd;
  pthread_t accept_thread;
  bool accept_on, accept_stop;
  struct MHD_Daemon *daemon;
  unsigned port;
};

typedef struct srv_req {
  struct tg_server *srv;
  const char *method, *path;
  void *conn;                  /* the MHD connection (for srv_query) */
  tg_store *store;             /* the connection this request uses */
  const char *body;            /* NUL-terminated; body_len bytes */
  size_t body_len;
  char param[128];             /* the {...} path segment of the route, if any */
  tg_token_info who;           /* the caller; name "" on public routes */
  tg_date today;               /* UTC, for a missing ?on= */
  const char *upload_path;     /* a streamed route's body, in a temporary file
                                  (srv_lists.c); NULL otherwise */
} srv_req;

/* A piece of an answer sent as it is, without joining (a batch's orders). */
typedef struct srv_piece {
  const char *text;
  size_t len;
  bool owned;                  /* malloc'd: freed once sent */
  tg_result *result;           /* when text is the engine's kept answer
                                  (tg_result_json_kept): destroyed once sent */
} srv_piece;

typedef struct srv_resp {
  int status;
  const char *ctype;
  char *body;                  /* malloc'd (freed by the adapter), or NULL */
  size_t len;                  /* of body, or of every piece */
  srv_piece *pieces;           /* instead of body: the answer in pieces
                                  (malloc'd array; body is NULL) */
  size_t npieces;
  char allow[64];              /* an Allow header (405), or "" */
  unsigned retry_after;        /* seconds, for a Retry-After header (503); 0 = none */
  char next_cursor[400];       /* an X-Next-Cursor header (a paginated listing), or "" */
} srv_resp;

typedef void (*srv_handler)(srv_req *q, srv_resp *r);

typedef struct srv_route {
  const char *method;          /* "GET", "POST"; NULL ends a table */
  const char *pattern;         /* "/v1/chips/{id}/classification" */
  int role;                    /* 0 = public, else the least tg_role */
  bool write;                  /* changes the store: runs under the write lock,
                                  and q->who.name is the actor to record */
  srv_handler fn;
  const char *summary;
  const char *params;          /* OpenAPI query parameters (JSON array) or NULL */
  const char *request;         /* OpenAPI schema of the JSON body, or NULL */
  const char *response;        /* OpenAPI schema of the 200 JSON body, or NULL */
  const char *response_type;   /* NULL = application/json */
} srv_route;

/* Route tables, each ended by an entry with method NULL. */
extern const srv_route srv_core_routes[];
extern const srv_route srv_access_routes[];
extern const srv_route srv_ledger_routes[];
extern const srv_route srv_screen_routes[];
extern const srv_route srv_capability_routes[];
extern const srv_route srv_decision_routes[];
/* Every table, NULL-terminated (router.c). */
extern const srv_route *const srv_route_tables[];

/* Routes one request: API paths under /v1/, console files elsewhere. */
void srv_dispatch(srv_req *q, srv_resp *r);
/* The same in two steps, so the adapter can answer before reading a body:
 * srv_admit finds the route and checks the token and role (NULL with r
 * filled on failure; NULL with r->status 0 for a console file), and
 * srv_run runs it (or serves the file when rt is NULL). */
const srv_route *srv_admit(srv_req *q, srv_resp *r);
/* srv_admit without waiting: *later true (and NULL) when the token must
 * be looked up in the database (PostgreSQL, not known under the lease);
 * then srv_admit on a worker. */
const srv_route *srv_admit_quick(srv_req *q, srv_resp *r, bool *later);
void srv_run(const srv_route *rt, srv_req *q, srv_resp *r);
/* Is the route one whose work or answer is large (batch checks, the chart,
 * the audit check, a listing without ?limit=)?  Those are bounded in
 * number at once (tg_server_options.heavy). */
bool srv_heavy(const srv_route *rt, const srv_req *q);

/* Listings are paged by ?limit=N (1 to SRV_PAGE_MAX; absent: every item,
 * a heavy request) and ?cursor=KEY (the X-Next-Cursor of the previous
 * page).  srv_page_params reads them into p (false after a 400);
 * srv_paged answers a listing made with p: 200 with the next page's
 * cursor, or the failure (a bad cursor is a 400).  Takes json. */
#define SRV_PAGE_MAX 10000
bool srv_page_params(const srv_req *q, srv_resp *r, tg_page *p);
/* Their OpenAPI query parameters (inside a JSON array). */
#define PAGE_PARAMS                                                                              \
  "{\"name\": \"limit\", \"in\": \"query\", \"required\": false, \"description\": \"at most N "  \
  "items (1-10000); without it, every item (a heavy request)\", \"schema\": {\"type\": "          \
  "\"integer\", \"minimum\": 1, \"maximum\": 10000}}, {\"name\": \"cursor\", \"in\": \"query\", "   \
  "\"required\": false, \"description\": \"the X-Next-Cursor header of the previous page\", "     \
  "\"schema\": {\"type\": \"string\"}}"
void srv_paged(srv_resp *r, const tg_page *p, tg_status st, const tg_error *err, char *json);
/* Replaces an answer of len bytes, over the bound max, with a 413 naming
 * the bound and how to ask for less (a listing: by pages). */
void srv_too_large(const srv_req *q, srv_resp *r, size_t len, size_t max);
/* A listing with nothing but paging: answers fn's page. */
typedef tg_status (*srv_lister)(tg_store *s, tg_page *page, char **json, tg_error *err);
void srv_listing(srv_req *q, srv_resp *r, srv_lister fn);
/* Sets r's X-Next-Cursor to key, percent-encoded ("" = the last page). */
void srv_next_cursor(srv_resp *r, const char *key);

/* A query parameter or request header, or NULL. */
const char *srv_query(const srv_req *q, const char *name);
const char *srv_header(const srv_req *q, const char *name);
/* ?name=DATE into *out (q->today when absent); false after a 400. */
bool srv_query_date(const srv_req *q, srv_resp *r, const char *name, tg_date *out);

/* Frees r's body or pieces. */
void srv_resp_free(srv_resp *r);
/* POST /v1/checks into r: tg_server_checks_owned's answer, a batch's
 * orders as pieces (never joined into one copy). */
void srv_checks(const tg_engine *e, const tg_screener *sc, const tg_ownership *own,
                double threshold, const char *body, size_t len, size_t max_orders, tg_date today,
                srv_resp *r);

/* Fills r with {"error": {"code", "message"}}. */
void srv_error(srv_resp *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Answers a failed library call: TG_EINVAL 400, TG_ENOTFOUND 404,
 * TG_ECONFLICT and TG_EREFUSED 409, anything else 500; err's message. */
void srv_fail(srv_resp *r, tg_status st, const tg_error *err);
/* Takes a malloc'd JSON text as a 200 answer (500 when NULL). */
void srv_json(srv_resp *r, char *json);

/* The JSON object of a request body ("" counts as {}); NULL after a 400. */
json_t *srv_body_object(const srv_req *q, srv_resp *r);

/* One order read from JSON (checks.c): the fields of `tollgate check`
 * that `fields` allows (NULL = all of them; any other key is a 400).
 * owned is a chip read from a "spec" object, freed by the caller. */
typedef struct srv_order {
  tg_order o;
  tg_chip *owned;
} srv_order;
bool srv_parse_order(const tg_engine *e, json_t *obj, const char *const *fields, tg_date today,
                     srv_order *p, tg_check_reply *r);
/* The field readers it uses, for other bodies; `where` prefixes the field
 * name in messages ("" or "orders[2].").  Each returns false with r filled
 * (400 naming the field).  A text is non-empty, at most 200 bytes, no NUL;
 * absent or null leaves *out NULL (text) or untouched (number). */
bool srv_known_fields(json_t *obj, const char *const *fields, const char *where,
                      tg_check_reply *r);
bool srv_text_field(json_t *obj, const char *name, const char *where, const char **out,
                    tg_check_reply *r);
bool srv_number_field(json_t *obj, const char *name, const char *where, double max,
                      bool integer, double *out, tg_check_reply *r);

/* Connections: open the pool (PostgreSQL: one per worker and one more),
 * borrow one for a request and give it back, close them. */
tg_status srv_pool_open(tg_server *s, tg_error *err);
/* PostgreSQL: the token lease and its renewing thread (srv_tokens.c). */
tg_status srv_tokens_start(tg_server *s, tg_error *err);
void srv_tokens_stop(tg_server *s);
/* Records a refused shipment in the audit trail (routes_decisions.c). */
void srv_refusal_audit(tg_server *s, const char *end_user, const char *refusal_json, const char *actor);
tg_store *srv_store_get(tg_server *s);
/* A write's connection: SQLite's under the write lock; PostgreSQL a
 * pooled one, leaving one idle for reads; waited for at most busy_ms
 * (NULL then: answer 503 busy).  Given back with srv_writer_release. */
tg_store *srv_writer_acquire(tg_server *s);
void srv_writer_release(tg_server *s, tg_store *st);
void srv_store_put(tg_server *s, tg_store *st);
/* SQLite: the calling thread's own read-only connection (opened on its
 * first call; the shared reader past 64 threads); PostgreSQL: NULL. */
tg_store *srv_thread_reader(tg_server *s);
void srv_readers_init(tg_server *s);
void srv_pool_close(tg_server *s);

/* Group commit: records the items with every other shipment waiting, in
 * one transaction and one durable commit; returns when that commit is
 * done (tg_ship_batch's status, items filled). */
tg_status srv_ship_submit(tg_server *s, tg_ship_item *items, size_t n, tg_error *err);
void srv_batch_init(tg_server *s);
/* POST /v1/shipments (routes_ledger.c): the route that writes through the
 * group commit, so the router neither locks nor lends it a connection. */
void srv_ledger_ship(srv_req *q, srv_resp *r);
/* POST /v1/screen (routes_screen.c): reads, then writes its audit record
 * through the group commit; the router lends it a reading connection. */
void srv_screen_post(srv_req *q, srv_resp *r);

/* The current screener, reloaded when another server imported lists
 * (checked at most once a second, with the connection st; st NULL: the
 * lists thread checks, on a connection of its own). */
tg_screener *srv_screener(tg_server *s);
void srv_lists_refresh(tg_server *s, tg_store *st);
/* Reloads the server's screener from st now (after an import through
 * this server) and records the lists' version it holds. */
tg_status srv_lists_reload(tg_server *s, tg_store *st, tg_error *err);
void srv_lists_init(tg_server *s);
void srv_lists_close(tg_server *s);
/* A list upload (POST /v1/lists/upload) is the one route whose body is
 * streamed to a temporary file, up to opt.max_list_upload bytes; every
 * other body is kept in memory up to opt.max_body (srv_lists.c). */
typedef struct srv_upload {
  FILE *f;
  char path[64];
  bool failed; /* a write failed: the request gets 500 */
} srv_upload;
bool srv_streamed(const char *method, const char *path);
/* The body bound of a request to `path`. */
size_t srv_body_bound(const tg_server *s, const char *method, const char *path);
/* Appends a chunk to the upload's file (made on the first chunk). */
void srv_upload_chunk(srv_upload *u, const char *data, size_t n);
/* Closes the file for reading; false when a write failed. */
bool srv_upload_finish(srv_upload *u);
/* Closes and removes the file (if the route did not take it). */
void srv_upload_drop(srv_upload *u);
/* The 413 of a body past srv_body_bound, naming the bound. */
void srv_body_too_large(const tg_server *s, const char *method, const char *path, srv_resp *r);

/* Worker threads: start n per lane, each lane growing up to max when
 * every one of its threads is busy (false when they could not start);
 * submit runs before(ctx) under the lane's lock, then queues fn(arg)
 * (false after stop, nothing run); stop runs what is queued and joins
 * them. */
typedef void (*srv_job_fn)(void *arg);
enum { SRV_LANE_READ, SRV_LANE_LEDGER };
bool srv_work_start(tg_server *s, unsigned n, unsigned max);
bool srv_work_submit(tg_server *s, int lane, srv_job_fn fn, void *arg, void (*before)(void *),
                     void *ctx);
void srv_work_stop(tg_server *s);
/* Does the calling thread run at the ledger's lower priority? */
bool srv_work_low(void);

/* Listens on addr (false when it cannot: in use, not an address here),
 * setting s->port; then accepts on a thread of its own into s->daemon in
 * arrival order, until stopped (which closes the socket). */
struct sockaddr_in;
bool srv_listen(tg_server *s, const struct sockaddr_in *addr);
bool srv_accept_start(tg_server *s);
void srv_accept_stop(tg_server *s);

/* GET of a console file under web_dir; 404 when there is none. */
void srv_static(srv_req *q, srv_resp *r);

/* The OpenAPI 3 document of every route (caller frees). */
char *srv_openapi(void);

/* The per-request screening threshold field of the OpenAPI schemas. */
#define THRESHOLD_SCHEMA                                                                     \
  "\"threshold\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"maximum\": 1, "          \
  "\"description\": \"screening threshold (default: the server's, 0.88 unless set); every " \
  "answer states the one used\"}"

#endif
