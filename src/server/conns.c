/* conns.c - the deadlines libmicrohttpd does not keep: every connection is
 * listed from accept to close with the phase it is in, and a watcher
 * thread shuts down the socket of one still sending its headers past the
 * header deadline, or its body past the body deadline, however slowly it
 * trickles bytes (libmicrohttpd's own timeout restarts on every byte).
 * Also the count of heavy requests in flight. */
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conns.h"

struct srv_conn {
  int fd;
  int64_t deadline;  /* ms (monotonic) when the phase must end; 0 = none;
                        set by its I/O thread, read and cleared by the
                        watcher (atomically, without the list's lock) */
  struct srv_conn *prev, *next;
};

struct srv_conns {
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_t watcher;
  bool stop, started;
  unsigned header_ms, body_ms;
  struct srv_conn *head;
};

int64_t srv_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *watch(void *arg) {
  struct srv_conns *cs = arg;
  pthread_mutex_lock(&cs->lock);
  while (!cs->stop) {
    int64_t now = srv_now_ms();
    for (struct srv_conn *c = cs->head; c; c = c->next) {
      int64_t d = __atomic_load_n(&c->deadline, __ATOMIC_RELAXED);
      if (d && now > d && c->fd >= 0 &&
          __atomic_compare_exchange_n(&c->deadline, &d, 0, false, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
        /* the fd stays open (and ours) until the close notice, which
         * takes this lock: no other socket can have its number yet */
        shutdown(c->fd, SHUT_RDWR);
      }
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 100 * 1000000L;
    if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    pthread_cond_timedwait(&cs->wake, &cs->lock, &ts);
  }
  pthread_mutex_unlock(&cs->lock);
  return NULL;
}

struct srv_conns *srv_conns_start(unsigned header_ms, unsigned body_ms) {
  struct srv_conns *cs = calloc(1, sizeof *cs);
  if (!cs) return NULL;
  pthread_mutex_init(&cs->lock, NULL);
  pthread_cond_init(&cs->wake, NULL);
  cs->header_ms = header_ms;
  cs->body_ms = body_ms;
  if (pthread_create(&cs->watcher, NULL, watch, cs) != 0) {
    srv_conns_stop(cs);
    return NULL;
  }
  cs->started = true;
  return cs;
}

void srv_conns_stop(struct srv_conns *cs) {
  if (!cs) return;
  pthread_mutex_lock(&cs->lock);
  cs->stop = true;
  pthread_cond_signal(&cs->wake);
  pthread_mutex_unlock(&cs->lock);
  if (cs->started) pthread_join(cs->watcher, NULL);
  for (struct srv_conn *c = cs->head, *n; c; c = n) n = c->next, free(c);
  pthread_mutex_destroy(&cs->lock);
  pthread_cond_destroy(&cs->wake);
  free(cs);
}

void srv_conn_notify(void *cls, struct MHD_Connection *connection, void **socket_context,
                     enum MHD_ConnectionNotificationCode toe) {
  struct srv_conns *cs = cls;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
    struct srv_conn *c = calloc(1, sizeof *c);
    *socket_context = c;
    if (!c) return;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    c->fd = ci ? ci->connect_fd : -1;
    c->deadline = srv_now_ms() + cs->header_ms;
    pthread_mutex_lock(&cs->lock);
    c->next = cs->head;
    if (cs->head) cs->head->prev = c;
    cs->head = c;
    pthread_mutex_unlock(&cs->lock);
    return;
  }
  struct srv_conn *c = *socket_context;
  if (!c) return;
  pthread_mutex_lock(&cs->lock);
  if (c->prev) c->prev->next = c->next;
  else cs->head = c->next;
  if (c->next) c->next->prev = c->prev;
  pthread_mutex_unlock(&cs->lock);
  free(c);
  *socket_context = NULL;
}

void srv_conn_phase(struct srv_conns *cs, struct MHD_Connection *connection, int phase) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  struct srv_conn *c = ci ? ci->socket_context : NULL;
  if (!c || !cs) return;
  /* the list's lock is not needed: the entry lives until the close
   * notice, on this connection's own thread */
  int64_t now = phase == SRV_PHASE_ANSWER ? 0 : srv_now_ms();
  __atomic_store_n(&c->deadline,
                   phase == SRV_PHASE_HEADERS ? now + cs->header_ms
                   : phase == SRV_PHASE_BODY  ? now + cs->body_ms
                                              : 0,
                   __ATOMIC_RELAXED);
}
