/* fuzz_http_request.c - libFuzzer target for the request line and headers
 * as the server sees them: each input is sent as raw bytes to a running
 * server on 127.0.0.1 (fixture data, a fresh database), with "@TOKEN@"
 * replaced by a viewer token so the authenticated routes are reached, and
 * the write side then closed.  The server must answer with a well-formed
 * status line that is not 500, or close the connection, within the
 * deadline: never hang, crash, leak or hit UB (ASan/UBSan cover the server
 * threads too). */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned port;
static char *token;

static void start(void) {
  static char dir[64] = "/tmp/tg-fuzz-http-XXXXXX";
  char data_dir[4096], db[128];
  snprintf(data_dir, sizeof data_dir, "%s/../tests/fixtures/data", tg_default_data_dir());
  tg_engine *e;
  tg_store *s;
  tg_server *srv;
  tg_error err = {0};
  if (!mkdtemp(dir)) abort();
  snprintf(db, sizeof db, "%s/t.db", dir);
  if (tg_engine_open(data_dir, &e, &err) != TG_OK || tg_store_open(e, db, &s, &err) != TG_OK ||
      tg_token_add(s, "fuzz-viewer", TG_ROLE_VIEWER, 0, &token, &err) != TG_OK) {
    fprintf(stderr, "fuzz_http_request: %s\n", err.message);
    abort();
  }
  tg_server_options o;
  tg_server_options_default(&o);
  o.listen = "127.0.0.1:0";
  o.header_ms = 2000;
  o.body_ms = 2000;
  o.max_body = 4096;
  if (tg_server_start(e, s, &o, &srv, &err) != TG_OK) {
    fprintf(stderr, "fuzz_http_request: %s\n", err.message);
    abort();
  }
  port = tg_server_port(srv); /* runs for the whole process */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!port) start();
  if (size > 8192) return 0;
  /* the input with @TOKEN@ replaced */
  char *req = malloc(size * 8 + 64);
  size_t n = 0;
  for (size_t i = 0; i < size;) {
    if (i + 7 <= size && !memcmp(data + i, "@TOKEN@", 7)) {
      n += (size_t)sprintf(req + n, "%s", token);
      i += 7;
    } else {
      req[n++] = (char)data[i++];
    }
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct timeval tv = {.tv_sec = 10};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) abort();
  for (size_t off = 0; off < n;) {
    ssize_t k = send(fd, req + off, n - off, MSG_NOSIGNAL);
    if (k <= 0) break;
    off += (size_t)k;
  }
  shutdown(fd, SHUT_WR);
  char head[64];
  ssize_t got = 0, k;
  while (got < (ssize_t)sizeof head - 1 && (k = recv(fd, head + got, sizeof head - 1 - (size_t)got, 0)) > 0)
    got += k;
  if (got < 0 && k < 0) abort(); /* the receive timed out: the server hung */
  head[got > 0 ? got : 0] = '\0';
  char rest[4096];
  while (recv(fd, rest, sizeof rest, 0) > 0) {
  }
  close(fd);
  free(req);
  if (got == 0) return 0; /* closed without an answer: allowed for garbage */
  int status = 0;
  if (sscanf(head, "HTTP/1.%*d %d", &status) != 1 || status < 100 || status > 599) abort();
  if (status == 500) abort();
  return 0;
}
