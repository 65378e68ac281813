/* loopback.h - for the server tests: a running server on 127.0.0.1 and an
 * ephemeral port over a fresh database and the fixture data (with the
 * screening lists of tests/screen/data imported), tokens of each role, and a minimal HTTP/1.1 client (one request per connection, reads
 * to EOF; a receive timeout bounds a hung server, it measures nothing). */
#ifndef TG_TEST_LOOPBACK_H
#define TG_TEST_LOOPBACK_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "server.h"
#include "test_db.h"

typedef struct lb_server {
  char dir[64], db[160];
  tg_engine *e;
  tg_store *s;
  tg_server *srv;
  unsigned port;
  char *viewer, *officer, *admin; /* tokens */
} lb_server;

typedef struct lb_resp {
  int status;
  char *head; /* status line and headers */
  char *body; /* NUL-terminated */
  size_t len;
} lb_resp;

/* A fresh directory with a database path in it, and its removal. */
static inline int lb_tmpdb(char dir[64], char db[160]) {
  strcpy(dir, "/tmp/tg-test-XXXXXX");
  if (!mkdtemp(dir)) return -1;
  return tdb_create(dir, db, 160);
}
static inline void lb_rmdb(const char *dir, const char *db) {
  char p[200];
  tdb_drop(db);
  const char *sfx[] = {"", "-wal", "-shm", "-tokens"};
  for (int i = 0; i < 4; i++) {
    snprintf(p, sizeof p, "%s%s", db, sfx[i]);
    unlink(p);
  }
  rmdir(dir);
}

/* Starts with options (listen, threads and web_dir are set here). */
static inline int lb_start_opts(lb_server *L, const tg_server_options *opt) {
  memset(L, 0, sizeof *L);
  if (lb_tmpdb(L->dir, L->db)) return -1;
  if (tg_engine_open(TG_SOURCE_DIR "/tests/fixtures/data", &L->e, NULL) != TG_OK) return -1;
  if (tg_store_open(L->e, L->db, &L->s, NULL) != TG_OK) return -1;
  if (tg_token_add(L->s, "val-viewer", TG_ROLE_VIEWER, 0, &L->viewer, NULL) != TG_OK ||
      tg_token_add(L->s, "olga-officer", TG_ROLE_OFFICER, 0, &L->officer, NULL) != TG_OK ||
      tg_token_add(L->s, "ada-admin", TG_ROLE_ADMIN, 0, &L->admin, NULL) != TG_OK)
    return -1;
  const char *lists[] = {TG_SOURCE_DIR "/tests/screen/data/csl-subset.compact.json"};
  if (tg_lists_import(L->s, lists, 1, "2026-08-01T00:00:00Z", "test", NULL, NULL) != TG_OK) return -1;
  tg_server_options o = *opt;
  o.listen = "127.0.0.1:0";
  if (!o.threads) o.threads = 2;
  o.web_dir = TG_SOURCE_DIR "/web";
  tg_error err = {0};
  if (tg_server_start(L->e, L->s, &o, &L->srv, &err) != TG_OK) {
    fprintf(stderr, "server: %s\n", err.message);
    return -1;
  }
  L->port = tg_server_port(L->srv);
  return L->port ? 0 : -1;
}

static inline int lb_start(lb_server *L, size_t max_body) {
  tg_server_options o;
  tg_server_options_default(&o);
  if (max_body) o.max_body = max_body;
  return lb_start_opts(L, &o);
}

static inline void lb_stop(lb_server *L) {
  tg_server_stop(L->srv);
  tg_store_close(L->s);
  tg_engine_close(L->e);
  tg_free(L->viewer);
  tg_free(L->officer);
  tg_free(L->admin);
  lb_rmdb(L->dir, L->db);
}

static inline void lb_free(lb_resp *r) {
  free(r->head);
  free(r->body);
  memset(r, 0, sizeof *r);
}

/* Sends raw bytes and reads the whole answer.  status -1 on failure. */
static inline lb_resp lb_raw(unsigned port, const char *req, size_t len) {
  lb_resp r = {.status = -1};
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct timeval tv = {.tv_sec = 120}; /* a bound on a hung server, not a timing */
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return r;
  }
  for (size_t off = 0; off < len;) {
    ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
    if (n <= 0) break; /* the server may answer (413) and close before all is sent */
    off += (size_t)n;
  }
  size_t cap = 65536, got = 0;
  char *buf = malloc(cap);
  ssize_t n;
  while ((n = recv(fd, buf + got, cap - got - 1, 0)) > 0) {
    got += (size_t)n;
    if (cap - got < 2) buf = realloc(buf, cap *= 2);
  }
  close(fd);
  buf[got] = '\0';
  char *sep = strstr(buf, "\r\n\r\n");
  if (!sep || sscanf(buf, "HTTP/1.%*d %d", &r.status) != 1) {
    free(buf);
    return r;
  }
  r.head = strndup(buf, (size_t)(sep - buf));
  r.len = got - (size_t)(sep + 4 - buf);
  r.body = malloc(r.len + 1);
  memcpy(r.body, sep + 4, r.len + 1);
  free(buf);
  return r;
}

/* One request; token NULL for none, body NULL for none. */
static inline lb_resp lb_req(unsigned port, const char *method, const char *path, const char *token,
                             const char *body) {
  size_t blen = body ? strlen(body) : 0;
  size_t cap = blen + 512;
  char *req = malloc(cap);
  int n = snprintf(req, cap,
                   "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s%s"
                   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                   method, path, token ? "Authorization: Bearer " : "", token ? token : "",
                   token ? "\r\n" : "", blen);
  memcpy(req + n, body ? body : "", blen);
  lb_resp r = lb_raw(port, req, (size_t)n + blen);
  free(req);
  return r;
}

/* The error code in a {"error": {"code": ...}} body, or "". */
static inline const char *lb_code(const lb_resp *r, char out[64]) {
  out[0] = '\0';
  const char *p = r->body ? strstr(r->body, "{\"error\": {\"code\": \"") : NULL;
  if (p) sscanf(p + 20, "%63[^\"]", out);
  return out;
}

#endif
