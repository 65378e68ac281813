/* srv_batch.c - group commit of shipments.  A request queues its
 * shipments (or an audit record, such as a screening run's); if no flush
 * is running it becomes the leader, takes every queued job and records
 * them with tg_ship_batch_late (one transaction, one fsync, each shipment
 * checked against its license inside it).  Jobs queued while the flush
 * waits for the write lock or checks its shipments join it (the late
 * items), so a job waits at most for the flush running when it came, not
 * also for the next; jobs queued after that go in the next flush, led by
 * the first of them.  On SQLite, audit records (a screening's) queue
 * ahead of the shipments, so they are not held up by the shipments
 * queued before them.  On PostgreSQL they have a lane of their own: their
 * flush runs beside the shipments' (on another connection) and takes
 * only the audit chain's lock, which a shipment flush holds only from
 * its audit records' INSERT to its commit, not during its checks (see
 * docs/DEPLOYMENT.md).  Each waiting request sleeps on its own job and is
 * woken once (done, or the lead), not with every flush.  A request is
 * answered only after the commit that holds its items: acknowledged
 * means durable.  Shipments' requests run at a lower CPU priority
 * (srv_work.c); a flush one of them would lead runs on an ordinary
 * worker instead, since its locks hold up screenings and the other
 * servers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

#define MAX_FLUSH 1024 /* shipments in one transaction */

typedef struct srv_ship_job {
  tg_ship_item *items;
  size_t n;
  bool done;
  bool lead;          /* this job's thread flushes next (it is first in line) */
  bool records;       /* audit records only (a screening run's): queued first */
  pthread_cond_t cv;  /* its thread waits on it */
  tg_status st;
  tg_error err;
  struct srv_ship_job *next;
} srv_ship_job;

void srv_batch_init(tg_server *s) {
  pthread_mutex_init(&s->gc_mu, NULL);
}

/* The jobs a flush took late, to answer with it. */
typedef struct late_jobs {
  tg_server *s;
  struct srv_gc_lane *lane;
  srv_ship_job *head, **tail;
  bool closing; /* audit records joined: no more rounds, commit */
} late_jobs;

/* tg_ship_late_fn: whole jobs from the queue, in order, while they fit.
 * Audit records (at the head of the queue) are taken alone, and then
 * nothing more: the flush commits after their round rather than check
 * the shipments queued meanwhile, which the next flush takes. */
static size_t take_late(void *ctx, tg_ship_item **out, size_t max) {
  late_jobs *l = ctx;
  size_t got = 0;
  if (l->closing) return 0;
  pthread_mutex_lock(&l->s->gc_mu);
  srv_ship_job **q = &l->lane->pending;
  bool records = *q && (*q)->records;
  l->closing = records;
  while (*q && (*q)->n <= max - got && (!records || (*q)->records)) {
    srv_ship_job *j = *q;
    *q = j->next;
    j->next = NULL;
    *l->tail = j;
    l->tail = &j->next;
    for (size_t i = 0; i < j->n; i++) out[got++] = &j->items[i];
  }
  pthread_mutex_unlock(&l->s->gc_mu);
  return got;
}

/* Records the jobs (a list), outside gc_mu, with those queued meanwhile
 * (appended to the list). */
static void flush(tg_server *s, struct srv_gc_lane *lane, srv_ship_job *jobs) {
  size_t total = 0;
  for (srv_ship_job *j = jobs; j; j = j->next) total += j->n;
  tg_ship_item *all = malloc((total ? total : 1) * sizeof *all);
  tg_error err = {0};
  tg_status st;
  late_jobs late = {.s = s, .lane = lane, .tail = &late.head};
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
      st = tg_ship_batch_late(db, s->engine, all, total, take_late, &late,
                              total < MAX_FLUSH ? MAX_FLUSH - total : 0, &err);
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
  srv_ship_job **end = &jobs;
  while (*end) end = &(*end)->next;
  *end = late.head;
  for (srv_ship_job *j = jobs; j; j = j->next) {
    j->st = st;
    j->err = err;
  }
}

/* Takes the queue (up to MAX_FLUSH items, whole jobs, at least the
 * first) and flushes it, then wakes each job done and hands the lead to
 * the first job still queued.  Called with gc_mu held, which it drops
 * during the flush. */
static void lead(tg_server *s, struct srv_gc_lane *lane) {
  srv_ship_job *take = lane->pending, **cut = &take;
  size_t count = 0;
  /* audit records (at the head) alone when there are any: a short
   * flush, so a screening is not held up by the shipments' checks (on
   * PostgreSQL the records' lane has records only) */
  bool records = take && take->records;
  while (*cut && (count == 0 || count + (*cut)->n <= MAX_FLUSH) &&
         (!records || (*cut)->records)) {
    count += (*cut)->n;
    cut = &(*cut)->next;
  }
  lane->pending = *cut;
  *cut = NULL;
  pthread_mutex_unlock(&s->gc_mu);
  flush(s, lane, take);
  pthread_mutex_lock(&s->gc_mu);
  for (srv_ship_job *j = take, *nx; j; j = nx) {
    nx = j->next; /* (j may be gone once done and its waiter runs) */
    j->done = true;
    pthread_cond_signal(&j->cv);
  }
  if (lane->pending) {
    lane->pending->lead = true; /* flushing stays: the lead passes on */
    pthread_cond_signal(&lane->pending->cv);
  } else {
    lane->flushing = false;
  }
}

/* A flush led for a thread of the ledger's lower priority, on a worker
 * of the ordinary one (srv_work.c): its transaction holds the ledger's
 * and the chain's locks, which a screening's record and the other
 * server's flush wait for, and must not wait for a CPU behind the reads
 * meanwhile. */
typedef struct lead_job {
  tg_server *s;
  struct srv_gc_lane *lane;
} lead_job;

static void lead_elsewhere(void *arg) {
  lead_job *l = arg;
  pthread_mutex_lock(&l->s->gc_mu);
  lead(l->s, l->lane);
  pthread_mutex_unlock(&l->s->gc_mu);
  free(l);
}

tg_status srv_ship_submit(tg_server *s, tg_ship_item *items, size_t n, tg_error *err) {
  /* the determinations here, in this request's thread, in parallel */
  for (size_t i = 0; i < n; i++) tg_ship_prepare(s->engine, &items[i]);
  srv_ship_job job = {.items = items, .n = n, .records = true};
  for (size_t i = 0; i < n; i++)
    if (items[i].order) job.records = false;
  pthread_cond_init(&job.cv, NULL);
  /* PostgreSQL: audit records in their own lane */
  struct srv_gc_lane *lane = &s->gc[job.records && s->pg];
  pthread_mutex_lock(&s->gc_mu);
  /* shipments at the end of the queue; audit records (a screening run,
   * which checks nothing) ahead of every queued shipment, behind the
   * records already there: the running flush's next round takes them
   * first, so a screening waits for at most the flush running when it
   * came, not also for the shipments queued before it */
  srv_ship_job **tail = &lane->pending;
  while (*tail && (!job.records || (*tail)->records)) tail = &(*tail)->next;
  job.next = *tail;
  *tail = &job;
  if (!lane->flushing) {
    lane->flushing = true;
    job.lead = true;
  }
  /* each waiter sleeps on its own job: woken once, when its items are
   * committed or when the lead passes to it (it is first in the queue) */
  while (!job.done) {
    if (job.lead) {
      job.lead = false;
      lead_job *l = srv_work_low() ? malloc(sizeof *l) : NULL;
      if (l) *l = (lead_job){.s = s, .lane = lane};
      if (!l || !srv_work_submit(s, SRV_LANE_READ, lead_elsewhere, l, NULL, NULL)) {
        free(l);
        lead(s, lane);
      }
    } else {
      pthread_cond_wait(&job.cv, &s->gc_mu);
    }
  }
  pthread_mutex_unlock(&s->gc_mu);
  pthread_cond_destroy(&job.cv);
  if (err) *err = job.err;
  return job.st;
}
