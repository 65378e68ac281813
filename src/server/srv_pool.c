/* srv_pool.c - the server's database connections.  SQLite: the one
 * serialized connection the server was given, shared by every request
 * (writes exclusive under store_lock).  PostgreSQL: a pool with one
 * connection per worker thread and one more, so requests run in parallel
 * and the database does the locking across servers; writers never take
 * the last idle connection, which stays for reads.  SQLite token checks
 * use a read-only connection of the calling thread's own (no thread waits
 * for another's use of a shared one). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
  tg_store_set_busy_timeout(s->store, (int)s->opt.busy_ms);
  for (size_t i = 1; i < n; i++) {
    tg_store *c;
    tg_status st = tg_store_open(s->engine, loc, &c, err);
    if (st != TG_OK) return st;
    /* a write waits busy_ms for another writer's lock, then 503 */
    tg_store_set_busy_timeout(c, (int)s->opt.busy_ms);
    s->pool_all[s->pool_n++] = c;
    s->pool[s->pool_idle++] = c;
  }
  return TG_OK;
}

/* A pooled connection once more than `keep` are idle; NULL when `until`
 * (if given) passes first. */
static tg_store *get(tg_server *s, size_t keep, const struct timespec *until) {
  if (!s->pg) return s->store;
  pthread_mutex_lock(&s->pool_mu);
  while (s->pool_idle <= keep)
    if (!until) pthread_cond_wait(&s->pool_cv, &s->pool_mu);
    else if (pthread_cond_timedwait(&s->pool_cv, &s->pool_mu, until) == ETIMEDOUT &&
             s->pool_idle <= keep) {
      pthread_mutex_unlock(&s->pool_mu);
      return NULL;
    }
  tg_store *st = s->pool[--s->pool_idle];
  pthread_mutex_unlock(&s->pool_mu);
  return st;
}

tg_store *srv_store_get(tg_server *s) { return get(s, 0, NULL); }

static struct timespec deadline(unsigned ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_sec += ms / 1000;
  t.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (t.tv_nsec >= 1000000000L) t.tv_sec++, t.tv_nsec -= 1000000000L;
  return t;
}

/* Writers leave the last idle connection to readers (a write may wait up
 * to busy_ms for a lock: token checks and reads must not queue behind
 * writers doing that), and wait for a connection or SQLite's write lock
 * at most busy_ms, so writers queued behind a stuck one get 503 too. */
tg_store *srv_writer_acquire(tg_server *s) {
  struct timespec until = deadline(s->opt.busy_ms), now;
  tg_store *st = s->pg ? get(s, s->pool_n ? 1 : 0, &until)
                       : pthread_rwlock_timedwrlock(&s->store_lock, &until) ? NULL : s->store;
  if (!st) return NULL;
  /* the database's own lock wait gets what is left of busy_ms */
  clock_gettime(CLOCK_REALTIME, &now);
  long left = (long)(until.tv_sec - now.tv_sec) * 1000 + (until.tv_nsec - now.tv_nsec) / 1000000;
  tg_store_set_busy_timeout(st, left < 1 ? 1 : (int)left);
  return st;
}

void srv_writer_release(tg_server *s, tg_store *st) {
  if (!st) return;
  if (s->pg) srv_store_put(s, st);
  else pthread_rwlock_unlock(&s->store_lock);
}

void srv_store_put(tg_server *s, tg_store *st) {
  if (!s->pg || !st) return;
  pthread_mutex_lock(&s->pool_mu);
  s->pool[s->pool_idle++] = st;
  pthread_cond_broadcast(&s->pool_cv); /* a writer may not take the last one */
  pthread_mutex_unlock(&s->pool_mu);
}

void srv_pool_close(tg_server *s) {
  for (size_t i = 0; i < s->pool_n; i++) tg_store_close(s->pool_all[i]);
  free(s->pool_all);
  free(s->pool);
  pthread_cond_destroy(&s->pool_cv);
  pthread_mutex_destroy(&s->pool_mu);
}

/* The calling thread's reader: the server's id (not its address, which a
 * later server may reuse) and the connection. */
static _Atomic unsigned long next_id = 1;
static __thread struct {
  unsigned long id;
  tg_store *st;
} mine;

tg_store *srv_thread_reader(tg_server *s) {
  if (s->pg) return NULL;
  if (!s->id) return s->reader ? s->reader : s->store;
  if (mine.id == s->id) return mine.st;
  tg_store *st = NULL;
  pthread_mutex_lock(&s->readers_mu);
  if (s->readers_n < sizeof s->readers / sizeof *s->readers &&
      tg_store_open_reader(s->store, &st, NULL) == TG_OK) {
    tg_store_set_busy_timeout(st, 1000);
    s->readers[s->readers_n++] = st;
  }
  pthread_mutex_unlock(&s->readers_mu);
  mine.id = s->id;
  mine.st = st ? st : s->reader ? s->reader : s->store;
  return mine.st;
}

void srv_readers_init(tg_server *s) {
  pthread_mutex_init(&s->readers_mu, NULL);
  s->id = next_id++;
}
