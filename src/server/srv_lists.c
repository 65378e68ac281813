/* srv_lists.c - the server's screener follows the stored lists: at most
 * once a second a request compares the lists' version in the database
 * with the loaded one; when another process imported lists, one request
 * builds a new screener and swaps it in (the old one is kept until the
 * server stops or 16 reloads later, since requests in flight may still
 * use it). */
#include <string.h>
#include <time.h>

#include "srv_int.h"

void srv_lists_init(tg_server *s) { pthread_mutex_init(&s->lists_mu, NULL); }

tg_screener *srv_screener(tg_server *s) {
  pthread_mutex_lock(&s->lists_mu);
  tg_screener *sc = s->screener;
  pthread_mutex_unlock(&s->lists_mu);
  return sc;
}

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
  tg_screener *fresh = NULL;
  if (tg_lists_version(st, &v, NULL) == TG_OK && v != s->lists_version) {
    if (tg_screener_create(s->engine, &fresh, NULL) != TG_OK ||
        tg_screener_load_store(fresh, st, NULL) != TG_OK) {
      tg_screener_destroy(fresh);
      fresh = NULL; /* the database is unwell: keep the lists we have, retry later */
    }
  }
  pthread_mutex_lock(&s->lists_mu);
  if (fresh) {
    /* a ring: the oldest retired screener was replaced at least 16
     * reloads (so 16 seconds) ago, long after its last request ended */
    size_t cap = sizeof s->retired / sizeof *s->retired;
    if (s->nretired == cap) {
      tg_screener_destroy(s->retired[0]);
      memmove(s->retired, s->retired + 1, (cap - 1) * sizeof *s->retired);
      s->nretired--;
    }
    s->retired[s->nretired++] = s->screener;
    s->screener = fresh;
    s->lists_version = v;
  }
  s->lists_loading = false;
  pthread_mutex_unlock(&s->lists_mu);
}

void srv_lists_close(tg_server *s) {
  for (size_t i = 0; i < s->nretired; i++) tg_screener_destroy(s->retired[i]);
  s->nretired = 0;
  pthread_mutex_destroy(&s->lists_mu);
}
