/* srv_tokens.c - on PostgreSQL, the server's lease on verified tokens
 * (tg_token_lease): a thread renews it every TG_TOKEN_LEASE_RENEW_MS on a
 * connection of its own (never a pooled one, which the ledger's work may
 * hold), so that a request whose token was verified under the current
 * lease is admitted on its I/O thread with no database call, no worker
 * and no pooled connection; other requests look their token up on a
 * worker as before.  A revocation anywhere returns only once every older
 * lease has run out (docs/DEPLOYMENT.md, "Tokens verified from memory"),
 * so revoked tokens are refused by every server once it has returned.
 * When the renewals fail (the database is away) the lease runs out and
 * every token is looked up again. */
#include <errno.h>
#include <time.h>

#include "srv_int.h"

static void *lease_main(void *arg) {
  tg_server *s = arg;
  pthread_mutex_lock(&s->lease_mu);
  while (!s->lease_stop) {
    pthread_mutex_unlock(&s->lease_mu);
    tg_token_lease_renew(s->lease, s->lease_conn, NULL); /* a failure: the lease runs out */
    pthread_mutex_lock(&s->lease_mu);
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_nsec += TG_TOKEN_LEASE_RENEW_MS * 1000000L;
    if (t.tv_nsec >= 1000000000L) t.tv_sec++, t.tv_nsec -= 1000000000L;
    while (!s->lease_stop &&
           pthread_cond_timedwait(&s->lease_cv, &s->lease_mu, &t) != ETIMEDOUT) {
    }
  }
  pthread_mutex_unlock(&s->lease_mu);
  return NULL;
}

tg_status srv_tokens_start(tg_server *s, tg_error *err) {
  pthread_mutex_init(&s->lease_mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&s->lease_cv, &ca);
  pthread_condattr_destroy(&ca);
  s->lease_init = true;
  if (!s->pg) return TG_OK;
  tg_status st = tg_token_lease_new(&s->lease, err);
  if (st == TG_OK) st = tg_store_open(s->engine, tg_store_location(s->store), &s->lease_conn, err);
  if (st == TG_OK) {
    tg_token_lease_renew(s->lease, s->lease_conn, NULL); /* current from the first request */
    s->lease_on = pthread_create(&s->lease_thread, NULL, lease_main, s) == 0;
  }
  return st;
}

void srv_tokens_stop(tg_server *s) {
  if (!s->lease_init) return;
  if (s->lease_on) {
    pthread_mutex_lock(&s->lease_mu);
    s->lease_stop = true;
    pthread_cond_broadcast(&s->lease_cv);
    pthread_mutex_unlock(&s->lease_mu);
    pthread_join(s->lease_thread, NULL);
    s->lease_on = false;
  }
  tg_store_close(s->lease_conn);
  tg_token_lease_free(s->lease);
  s->lease_conn = NULL;
  s->lease = NULL;
  pthread_cond_destroy(&s->lease_cv);
  pthread_mutex_destroy(&s->lease_mu);
  s->lease_init = false;
}
