/* srv_pool.c - the server's database connections.  SQLite: the one
 * serialized connection the server was given, shared by every request
 * (writes exclusive under store_lock).  PostgreSQL: a pool with one
 * connection per worker thread and one more, so requests run in parallel
 * and the database does the locking across servers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

tg_status srv_pool_open(tg_server *s, tg_error *err) {
  pthread_mutex_init(&s->pool_mu, NULL);
  pthread_cond_init(&s->pool_cv, NULL);
  const char *loc = tg_store_location(s->store);
  s->pg = loc && (!strncmp(loc, "postgresql://", 13) || !strncmp(loc, "postgres://", 11));
  if (!s->pg) return TG_OK;
  size_t n = s->opt.threads + 1;
  s->pool = calloc(n, sizeof *s->pool);
  s->pool_all = calloc(n, sizeof *s->pool_all);
  if (!s->pool || !s->pool_all) {
    if (err) snprintf(err->message, sizeof err->message, "out of memory");
    return TG_ENOMEM;
  }
  s->pool[s->pool_idle++] = s->store;
  for (size_t i = 1; i < n; i++) {
    tg_store *c;
    tg_status st = tg_store_open(s->engine, loc, &c, err);
    if (st != TG_OK) return st;
    s->pool_all[s->pool_n++] = c;
    s->pool[s->pool_idle++] = c;
  }
  return TG_OK;
}

tg_store *srv_store_get(tg_server *s) {
  if (!s->pg) return s->store;
  pthread_mutex_lock(&s->pool_mu);
  while (!s->pool_idle) pthread_cond_wait(&s->pool_cv, &s->pool_mu);
  tg_store *st = s->pool[--s->pool_idle];
  pthread_mutex_unlock(&s->pool_mu);
  return st;
}

void srv_store_put(tg_server *s, tg_store *st) {
  if (!s->pg || !st) return;
  pthread_mutex_lock(&s->pool_mu);
  s->pool[s->pool_idle++] = st;
  pthread_cond_signal(&s->pool_cv);
  pthread_mutex_unlock(&s->pool_mu);
}

void srv_pool_close(tg_server *s) {
  for (size_t i = 0; i < s->pool_n; i++) tg_store_close(s->pool_all[i]);
  free(s->pool_all);
  free(s->pool);
  pthread_cond_destroy(&s->pool_cv);
  pthread_mutex_destroy(&s->pool_mu);
}
