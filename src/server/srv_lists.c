/* srv_lists.c - the server's screener follows the stored lists: at most
 * once a second a request compares the lists' version in the database
 * with the loaded one; when another process imported lists, that request
 * reloads the screener (tg_screener_reload_store: a new index is built
 * beside the current one and swapped in atomically).  Every other request
 * goes on with the index it holds (reference counted, freed after its
 * last reader) and is never blocked by the build. */
#include <time.h>

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
