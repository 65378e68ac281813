/* srv_work.c - the worker threads: the I/O threads (libmicrohttpd's epoll
 * pool, one per core) hand them every request whose work may take long or
 * wait (a database call, a batch, a drawing), suspending its connection
 * meanwhile, so an I/O thread never stalls the other connections it
 * serves.  A job never waits for a worker: when none is idle, one more is
 * started (up to one per connection, as many as a thread per connection
 * would have had), so a request waiting on a database lock delays no
 * other.  A job runs once, then resumes its connection.  At stop, jobs
 * already queued still run (their connections must be resumed before
 * libmicrohttpd stops) and new ones are refused. */
#include <stdlib.h>

#include "srv_int.h"

typedef struct srv_job {
  srv_job_fn fn;
  void *arg;
  struct srv_job *next;
} srv_job;

static void *work_main(void *arg) {
  tg_server *s = arg;
  pthread_mutex_lock(&s->work_mu);
  for (;;) {
    s->work_idle++;
    while (!s->work_head && !s->work_stop) pthread_cond_wait(&s->work_cv, &s->work_mu);
    s->work_idle--;
    srv_job *j = s->work_head;
    if (!j) break; /* stopping, and nothing left */
    s->work_head = j->next;
    if (!s->work_head) s->work_tail = NULL;
    s->work_queued--;
    pthread_mutex_unlock(&s->work_mu);
    j->fn(j->arg);
    free(j);
    pthread_mutex_lock(&s->work_mu);
  }
  pthread_mutex_unlock(&s->work_mu);
  return NULL;
}

bool srv_work_start(tg_server *s, unsigned n, unsigned max) {
  pthread_mutex_init(&s->work_mu, NULL);
  pthread_cond_init(&s->work_cv, NULL);
  s->work_max = max > n ? max : n;
  s->work_threads = calloc(s->work_max, sizeof *s->work_threads);
  if (!s->work_threads) return false;
  for (unsigned i = 0; i < n; i++) {
    if (pthread_create(&s->work_threads[i], NULL, work_main, s) != 0) return false;
    s->work_n++;
  }
  return true;
}

bool srv_work_submit(tg_server *s, srv_job_fn fn, void *arg, void (*before)(void *), void *ctx) {
  srv_job *j = malloc(sizeof *j);
  if (!j) return false;
  *j = (srv_job){.fn = fn, .arg = arg};
  pthread_mutex_lock(&s->work_mu);
  if (s->work_stop || !s->work_n) {
    pthread_mutex_unlock(&s->work_mu);
    free(j);
    return false;
  }
  /* before (the suspension) happens before any worker can take the job */
  if (before) before(ctx);
  if (s->work_tail) s->work_tail->next = j;
  else s->work_head = j;
  s->work_tail = j;
  /* every idle worker is spoken for: one more (its failure leaves the
   * job queued for the next free one) */
  if (++s->work_queued > s->work_idle && s->work_n < s->work_max &&
      pthread_create(&s->work_threads[s->work_n], NULL, work_main, s) == 0)
    s->work_n++;
  pthread_cond_signal(&s->work_cv);
  pthread_mutex_unlock(&s->work_mu);
  return true;
}

void srv_work_stop(tg_server *s) {
  if (!s->work_threads) return;
  pthread_mutex_lock(&s->work_mu);
  s->work_stop = true;
  pthread_cond_broadcast(&s->work_cv);
  pthread_mutex_unlock(&s->work_mu);
  for (unsigned i = 0; i < s->work_n; i++) pthread_join(s->work_threads[i], NULL);
  free(s->work_threads);
  s->work_threads = NULL;
  pthread_cond_destroy(&s->work_cv);
  pthread_mutex_destroy(&s->work_mu);
}
