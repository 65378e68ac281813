/* srv_batch.c - group commit of shipments.  A request queues its
 * shipments; if no flush is running it becomes the leader, takes every
 * queued shipment and records them with tg_ship_batch (one transaction,
 * one fsync, each checked against its license inside it); shipments that
 * arrive meanwhile wait and go together in the next flush.  A request is
 * answered only after the commit that holds its shipments: acknowledged
 * means durable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

#define MAX_FLUSH 1024 /* shipments in one transaction */

typedef struct srv_ship_job {
  tg_ship_item *items;
  size_t n;
  bool done;
  tg_status st;
  tg_error err;
  struct srv_ship_job *next;
} srv_ship_job;

void srv_batch_init(tg_server *s) {
  pthread_mutex_init(&s->gc_mu, NULL);
  pthread_cond_init(&s->gc_cv, NULL);
}

/* Records the jobs (a list), outside gc_mu. */
static void flush(tg_server *s, srv_ship_job *jobs) {
  size_t total = 0;
  for (srv_ship_job *j = jobs; j; j = j->next) total += j->n;
  tg_ship_item *all = malloc((total ? total : 1) * sizeof *all);
  tg_error err = {0};
  tg_status st;
  if (!all) {
    st = TG_ENOMEM;
    snprintf(err.message, sizeof err.message, "out of memory");
  } else {
    size_t k = 0;
    for (srv_ship_job *j = jobs; j; j = j->next) {
      memcpy(all + k, j->items, j->n * sizeof *all);
      k += j->n;
    }
    tg_store *db = srv_writer_acquire(s);
    if (db) {
      st = tg_ship_batch(db, s->engine, all, total, &err);
    } else {
      st = TG_EBUSY;
      snprintf(err.message, sizeof err.message,
               "every writer is waiting for the database; retry later");
    }
    srv_writer_release(s, db);
    k = 0;
    for (srv_ship_job *j = jobs; j; j = j->next) {
      memcpy(j->items, all + k, j->n * sizeof *all);
      k += j->n;
    }
    free(all);
  }
  for (srv_ship_job *j = jobs; j; j = j->next) {
    j->st = st;
    j->err = err;
  }
}

tg_status srv_ship_submit(tg_server *s, tg_ship_item *items, size_t n, tg_error *err) {
  /* the determinations here, in this request's thread, in parallel */
  for (size_t i = 0; i < n; i++) tg_ship_prepare(s->engine, &items[i]);
  srv_ship_job job = {.items = items, .n = n};
  pthread_mutex_lock(&s->gc_mu);
  srv_ship_job **tail = &s->gc_pending;
  while (*tail) tail = &(*tail)->next;
  *tail = &job;
  while (!job.done) {
    if (s->gc_flushing) {
      pthread_cond_wait(&s->gc_cv, &s->gc_mu);
      continue;
    }
    /* lead: take what is queued (up to MAX_FLUSH shipments, own job first
     * in line since it is queued) and flush it */
    s->gc_flushing = true;
    srv_ship_job *take = s->gc_pending, **cut = &take;
    size_t count = 0;
    while (*cut && (count == 0 || count + (*cut)->n <= MAX_FLUSH)) {
      count += (*cut)->n;
      cut = &(*cut)->next;
    }
    s->gc_pending = *cut;
    *cut = NULL;
    pthread_mutex_unlock(&s->gc_mu);
    flush(s, take);
    pthread_mutex_lock(&s->gc_mu);
    for (srv_ship_job *j = take, *nx; j; j = nx) {
      nx = j->next;
      j->done = true;
    }
    s->gc_flushing = false;
    pthread_cond_broadcast(&s->gc_cv);
  }
  pthread_mutex_unlock(&s->gc_mu);
  if (err) *err = job.err;
  return job.st;
}
