/* server.h - the public face of the Tollgate HTTP server (`tollgate serve`):
 * start it on an engine and a store, learn its port, stop it.  The server is
 * a client of <tollgate.h>; this header is not installed.  The request
 * parsing that POST /v1/checks uses is here too, so the fuzz target and the
 * tests can drive it without a socket.
 *
 * Ownership: the engine and store are borrowed and must outlive the server.
 * Threads: libmicrohttpd's epoll loops (one per core) serve every
 * connection and run the fast routes (a classification, a small check);
 * other requests run on worker threads, their connections suspended
 * meanwhile.  The engine is shared (immutable); writes go through the
 * store (one serialized SQLite connection), reads through read-only ones. */
#ifndef TG_SERVER_H
#define TG_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "tollgate.h"

typedef struct tg_server tg_server;

typedef struct tg_server_options {
  const char *listen;  /* "HOST:PORT" (IPv4); port 0 = any free port */
  unsigned threads;    /* worker threads at start (default: the number of
                          CPUs); more start when all are busy, up to one
                          per connection (max_conns) */
  size_t max_body;     /* bytes; a larger request body gets 413 */
  size_t max_orders;   /* orders in one POST /v1/checks; more gets 413 */
  const char *web_dir; /* the console's files; NULL = built-in TG_WEB_DIR */
  double screen_threshold; /* screening threshold when a request gives no
                              "threshold"; 0 = TG_SCREEN_THRESHOLD */
  /* Limits against hostile clients (docs/SECURITY.md); 0 = the default. */
  unsigned max_conns;   /* open connections in all (default 256) */
  unsigned per_ip;      /* open connections from one address (default 64) */
  unsigned header_ms;   /* from the first byte to the end of the headers (10000) */
  unsigned body_ms;     /* from the end of the headers to the end of the body (30000) */
  unsigned idle_s;      /* a connection that sends or reads nothing (15) */
  unsigned heavy;       /* heavy requests at once (batch checks, chart, audit,
                           whole listings); more get 503 (default 4) */
  size_t max_answer;    /* bytes; a larger answer gets 413 (default 64 MiB) */
  unsigned busy_ms;     /* a write waits this long for another process's
                           database lock, then 503 (default 500) */
  size_t max_list_upload; /* bytes of one list file streamed to POST
                           /v1/lists/upload (to a temporary file, not
                           memory); larger gets 413 (default 256 MiB) */
} tg_server_options;

/* Defaults: 127.0.0.1:8080, CPUs threads, 1 MiB bodies, 1000 orders, and
 * the limits above. */
void tg_server_options_default(tg_server_options *o);

/* Starts listening.  TG_EINVAL for a bad listen address, TG_EIO when the
 * socket cannot be bound.  CONSTRUCTOR: tg_server. */
tg_status tg_server_start(const tg_engine *e, tg_store *s, const tg_server_options *o,
                          tg_server **out, tg_error *err);
/* The port it listens on (useful after asking for port 0). */
unsigned tg_server_port(const tg_server *srv);
/* Stops accepting, finishes requests in flight, frees.  DESTRUCTOR. */
void tg_server_stop(tg_server *srv);

/* ---- POST /v1/checks request parsing --------------------------------- */

/* The answer to one POST /v1/checks body: on success `json` is the response
 * (one tg_result_json object, or an array of them, in order); on failure
 * `status` is the HTTP status (400 or 413), `code` the error code and
 * `message` names the field ("orders[2].unit_price: ...").  `today` is the
 * date used when an order gives no "on"; `sc` screens the parties (end_user,
 * purchaser, consignee) as `tollgate check` does; NULL = not screened;
 * `threshold` is the screening threshold of orders that give no
 * "threshold" (0 = TG_SCREEN_THRESHOLD). */
typedef struct tg_check_reply {
  int status;
  const char *code;
  char message[512];
  char *json; /* caller frees with tg_free */
} tg_check_reply;

void tg_server_checks(const tg_engine *e, const tg_screener *sc, double threshold, const char *body,
                      size_t len, size_t max_orders, tg_date today, tg_check_reply *out);
/* The same, with the parties' owners (the Affiliates Rule); own may be NULL. */
void tg_server_checks_owned(const tg_engine *e, const tg_screener *sc, const tg_ownership *own,
                            double threshold, const char *body, size_t len, size_t max_orders,
                            tg_date today, tg_check_reply *out);

#endif
