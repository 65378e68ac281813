/* srv_work.c - the worker threads: the I/O threads (libmicrohttpd's epoll
 * pool, one per core) hand them every request whose work may take long or
 * wait (a database call, a batch, a drawing), suspending its connection
 * meanwhile, so an I/O thread never stalls the other connections it
 * serves.  A job never waits for a worker: when none is idle, one more is
 * started (up to one per connection, as many as a thread per connection
 * would have had), so a request waiting on a database lock delays no
 * other.  A job runs once, then resumes its connection.  At stop, jobs
 * already queued still run (their connections must be resumed before
 * libmicrohttpd stops) and new ones are refused.
 * Two lanes, each with its own threads: shipments (SRV_LANE_LEDGER) run
 * at a lower CPU priority (Linux: the threads' nice value raised by
 * SRV_LEDGER_NICE, as setpriority(2) allows per thread), so that when
 * the CPUs are short, checks, screening and reads go first and the
 * ledger's work takes what they leave (docs/DEPLOYMENT.md, "Reads before
 * the ledger's work"); every other request runs in SRV_LANE_READ. */
#define _GNU_SOURCE /* syscall(SYS_gettid) */
#include <errno.h>
#include <stdlib.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "srv_int.h"

#define SRV_LEDGER_NICE 10

static __thread bool low; /* this thread runs at the ledger's lower priority */

bool srv_work_low(void) { return low; }

typedef struct srv_job {
  srv_job_fn fn;
  void *arg;
  struct srv_job *next;
} srv_job;

static void *work_main(void *arg) {
  struct srv_work_lane *w = arg;
#ifdef __linux__
  /* a thread's own priority; failure (a sandbox) leaves it as it was */
  if (w->nice) {
    errno = 0;
    int now = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
    if (errno == 0) low = !setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), now + w->nice);
  }
#endif
  pthread_mutex_lock(&w->mu);
  for (;;) {
    w->idle++;
    while (!w->head && !w->stop) pthread_cond_wait(&w->cv, &w->mu);
    w->idle--;
    srv_job *j = w->head;
    if (!j) break; /* stopping, and nothing left */
    w->head = j->next;
    if (!w->head) w->tail = NULL;
    w->queued--;
    pthread_mutex_unlock(&w->mu);
    j->fn(j->arg);
    free(j);
    pthread_mutex_lock(&w->mu);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

bool srv_work_start(tg_server *s, unsigned n, unsigned max) {
  for (int l = 0; l < 2; l++) {
    struct srv_work_lane *w = &s->work[l];
    w->nice = l == SRV_LANE_LEDGER ? SRV_LEDGER_NICE : 0;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->max = max > n ? max : n;
    w->threads = calloc(w->max, sizeof *w->threads);
    if (!w->threads) return false;
    for (unsigned i = 0; i < n; i++) {
      if (pthread_create(&w->threads[i], NULL, work_main, w) != 0) return false;
      w->n++;
    }
  }
  return true;
}

bool srv_work_submit(tg_server *s, int lane, srv_job_fn fn, void *arg, void (*before)(void *),
                     void *ctx) {
  struct srv_work_lane *w = &s->work[lane == SRV_LANE_LEDGER];
  srv_job *j = malloc(sizeof *j);
  if (!j) return false;
  *j = (srv_job){.fn = fn, .arg = arg};
  pthread_mutex_lock(&w->mu);
  if (w->stop || !w->n) {
    pthread_mutex_unlock(&w->mu);
    free(j);
    return false;
  }
  /* before (the suspension) happens before any worker can take the job */
  if (before) before(ctx);
  if (w->tail) w->tail->next = j;
  else w->head = j;
  w->tail = j;
  /* every idle worker is spoken for: one more (its failure leaves the
   * job queued for the next free one) */
  if (++w->queued > w->idle && w->n < w->max &&
      pthread_create(&w->threads[w->n], NULL, work_main, w) == 0)
    w->n++;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  return true;
}

void srv_work_stop(tg_server *s) {
  for (int l = 0; l < 2; l++) {
    struct srv_work_lane *w = &s->work[l];
    if (!w->threads) continue;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    for (unsigned i = 0; i < w->n; i++) pthread_join(w->threads[i], NULL);
    free(w->threads);
    w->threads = NULL;
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
  }
}
