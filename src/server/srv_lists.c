/* srv_lists.c - the server's screener follows the stored lists: at most
 * once a second a request compares the lists' version in the database
 * with the loaded one (one small query; a request on an I/O thread, which
 * has no connection, leaves the query to the lists thread); when another process imported
 * lists, it wakes the lists thread and goes on.  That thread, on a
 * connection of its own, reloads the screener (tg_screener_reload_store:
 * the new index is built beside the current one and swapped in
 * atomically).  Requests are never held up by the build: each goes on
 * with the index it took (reference counted, freed after its last
 * reader), the old one until the swap and the new one after.  List files
 * uploaded to POST /v1/lists/upload are streamed to a temporary file under
 * their own bound (serve --max-list-upload), not held in memory.  An
 * import through this server reloads its screener before it answers
 * (srv_lists_reload), so a screening after the answer searches the new
 * lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srv_int.h"

/* Reloads the screener from st's lists when their version differs from
 * the loaded one (or always, when forced), and records the version read.
 * Reloads run one at a time and each reads the lists when it runs, so the
 * index swapped in last is built from the latest lists any of them read:
 * a reload the lists thread began before an import committed can no
 * longer swap its older index in after the import's own reload. */
static tg_status reload_from(tg_server *s, tg_store *st, bool force, tg_error *err) {
  pthread_mutex_lock(&s->reload_mu);
  int64_t v = 0;
  tg_status rc = tg_lists_version(st, &v, err);
  pthread_mutex_lock(&s->lists_mu);
  bool same = v == s->lists_version;
  pthread_mutex_unlock(&s->lists_mu);
  if (rc == TG_OK && (force || !same)) rc = tg_screener_reload_store(s->screener, st, err);
  if (rc == TG_OK) {
    pthread_mutex_lock(&s->lists_mu);
    s->lists_version = v;
    pthread_mutex_unlock(&s->lists_mu);
  }
  pthread_mutex_unlock(&s->reload_mu);
  return rc;
}

/* The lists thread: one reload per wake, until stopped. */
static void *lists_main(void *arg) {
  tg_server *s = arg;
  pthread_mutex_lock(&s->lists_mu);
  for (;;) {
    while (!s->lists_wake && !s->lists_stop) pthread_cond_wait(&s->lists_cv, &s->lists_mu);
    if (s->lists_stop) break;
    s->lists_wake = false;
    pthread_mutex_unlock(&s->lists_mu);
    /* a failed reload keeps the lists we have: the database is unwell,
     * and the next check retries; the versions are compared here, on
     * this thread's connection (a request without one only wakes it) */
    tg_store *st = NULL;
    if (tg_store_open_reader(s->store, &st, NULL) == TG_OK) reload_from(s, st, false, NULL);
    tg_store_close(st);
    pthread_mutex_lock(&s->lists_mu);
    s->lists_loading = false;
    pthread_cond_broadcast(&s->lists_cv);
  }
  pthread_mutex_unlock(&s->lists_mu);
  return NULL;
}

void srv_lists_init(tg_server *s) {
  pthread_mutex_init(&s->lists_mu, NULL);
  pthread_mutex_init(&s->reload_mu, NULL);
  pthread_cond_init(&s->lists_cv, NULL);
  s->lists_thread_on = pthread_create(&s->lists_thread, NULL, lists_main, s) == 0;
}

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
  if (!st && s->lists_thread_on) { /* the lists thread compares too */
    pthread_mutex_lock(&s->lists_mu);
    s->lists_wake = true;
    pthread_cond_broadcast(&s->lists_cv);
    pthread_mutex_unlock(&s->lists_mu);
    return;
  }
  if (!st) {
    pthread_mutex_lock(&s->lists_mu);
    s->lists_loading = false;
    pthread_mutex_unlock(&s->lists_mu);
    return;
  }
  int64_t v = 0;
  bool changed = tg_lists_version(st, &v, NULL) == TG_OK && v != s->lists_version;
  pthread_mutex_lock(&s->lists_mu);
  if (changed && s->lists_thread_on) { /* the lists thread builds; this request goes on */
    s->lists_wake = true;
    pthread_cond_broadcast(&s->lists_cv);
  } else {
    s->lists_loading = false;
  }
  pthread_mutex_unlock(&s->lists_mu);
  if (changed && !s->lists_thread_on) reload_from(s, st, false, NULL); /* no thread: here */
}

tg_status srv_lists_reload(tg_server *s, tg_store *st, tg_error *err) {
  return reload_from(s, st, true, err);
}

void srv_lists_close(tg_server *s) {
  if (s->lists_thread_on) {
    pthread_mutex_lock(&s->lists_mu);
    s->lists_stop = true;
    pthread_cond_broadcast(&s->lists_cv);
    pthread_mutex_unlock(&s->lists_mu);
    pthread_join(s->lists_thread, NULL);
    s->lists_thread_on = false;
  }
  pthread_cond_destroy(&s->lists_cv);
  pthread_mutex_destroy(&s->lists_mu);
  pthread_mutex_destroy(&s->reload_mu);
}

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
