/* srv_lists.c - the server's screener follows the stored lists: at most
 * once a second a request compares the lists' version in the database
 * with the loaded one; when another process imported lists, that request
 * reloads the screener (tg_screener_reload_store: a new index is built
 * beside the current one and swapped in atomically).  Every other request
 * goes on with the index it holds (reference counted, freed after its
 * last reader) and is never blocked by the build.  List files uploaded
 * to POST /v1/lists/upload are streamed to a temporary file under their
 * own bound (serve --max-list-upload), not held in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srv_int.h"

void srv_lists_init(tg_server *s) { pthread_mutex_init(&s->lists_mu, NULL); }

tg_screener *srv_screener(tg_server *s) { return s->screener; }

void srv_lists_refresh(tg_server *s, tg_store *st) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  pthread_mutex_lock(&s->lists_mu);
  bool due = !s->lists_loading && now.tv_sec != s->lists_checked;
  if (due) {
    s->lists_checked = now.tv_sec;
    s->lists_loading = true;
  }
  pthread_mutex_unlock(&s->lists_mu);
  if (!due) return;
  int64_t v = 0;
  /* a failed reload keeps the lists we have: the database is unwell, and
   * the next check retries */
  if (tg_lists_version(st, &v, NULL) == TG_OK && v != s->lists_version &&
      tg_screener_reload_store(s->screener, st, NULL) == TG_OK)
    s->lists_version = v;
  pthread_mutex_lock(&s->lists_mu);
  s->lists_loading = false;
  pthread_mutex_unlock(&s->lists_mu);
}

void srv_lists_close(tg_server *s) { pthread_mutex_destroy(&s->lists_mu); }

bool srv_streamed(const char *method, const char *path) {
  return method && path && !strcmp(method, "POST") && !strcmp(path, "/v1/lists/upload");
}

size_t srv_body_bound(const tg_server *s, const char *method, const char *path) {
  return srv_streamed(method, path) ? s->opt.max_list_upload : s->opt.max_body;
}

void srv_upload_chunk(srv_upload *u, const char *data, size_t n) {
  if (u->failed) return;
  if (!u->f) {
    snprintf(u->path, sizeof u->path, "/tmp/tollgate-upload-XXXXXX");
    int fd = mkstemp(u->path);
    if (fd < 0 || !(u->f = fdopen(fd, "w"))) {
      if (fd >= 0) close(fd), unlink(u->path);
      u->path[0] = '\0';
      u->failed = true;
      return;
    }
  }
  if (fwrite(data, 1, n, u->f) != n) u->failed = true;
}

bool srv_upload_finish(srv_upload *u) {
  if (u->f && fclose(u->f) != 0) u->failed = true;
  u->f = NULL;
  return !u->failed;
}

void srv_upload_drop(srv_upload *u) {
  if (u->f) fclose(u->f);
  u->f = NULL;
  if (u->path[0]) unlink(u->path);
  u->path[0] = '\0';
}

void srv_body_too_large(const tg_server *s, const char *method, const char *path, srv_resp *r) {
  if (srv_streamed(method, path))
    srv_error(r, 413, "too_large",
              "the list file exceeds the list upload bound of %zu bytes (serve --max-list-upload BYTES)",
              s->opt.max_list_upload);
  else
    srv_error(r, 413, "too_large", "the request body exceeds %zu bytes%s", s->opt.max_body,
              path && !strcmp(path, "/v1/lists")
                  ? "; upload a large list file alone to POST /v1/lists/upload?name=FILE (its own bound)"
                  : "");
}
