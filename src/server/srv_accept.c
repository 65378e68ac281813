/* srv_accept.c - the listening socket and the one thread that accepts on
 * it, handing each connection to libmicrohttpd (MHD_add_connection) in
 * the order they arrived.  libmicrohttpd's own pool would accept on every
 * I/O thread at once, and two threads racing for neighbouring
 * connections would count them against the per-address limit out of
 * order (an early connection refused, a later one served). */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "srv_int.h"

static void *accept_main(void *arg) {
  tg_server *s = arg;
  for (;;) {
    struct sockaddr_storage a;
    socklen_t len = sizeof a;
    int fd = accept4(s->listen_fd, (struct sockaddr *)&a, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (__atomic_load_n(&s->accept_stop, __ATOMIC_ACQUIRE)) {
      if (fd >= 0) close(fd);
      break;
    }
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
        nanosleep(&(struct timespec){.tv_nsec = 10000000L}, NULL); /* out of descriptors: let some close */
      continue;
    }
    /* closes the socket itself when refused (a limit, or no memory) */
    MHD_add_connection(s->daemon, fd, (struct sockaddr *)&a, len);
  }
  return NULL;
}

bool srv_listen(tg_server *s, const struct sockaddr_in *addr) {
  s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->listen_fd < 0) return false;
  int on = 1;
  setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  struct sockaddr_in bound;
  socklen_t blen = sizeof bound;
  if (bind(s->listen_fd, (const struct sockaddr *)addr, sizeof *addr) != 0 ||
      listen(s->listen_fd, 511) != 0 ||
      getsockname(s->listen_fd, (struct sockaddr *)&bound, &blen) != 0) {
    close(s->listen_fd);
    s->listen_fd = -1;
    return false;
  }
  s->port = ntohs(bound.sin_port);
  return true;
}

bool srv_accept_start(tg_server *s) {
  s->accept_on = pthread_create(&s->accept_thread, NULL, accept_main, s) == 0;
  return s->accept_on;
}

void srv_accept_stop(tg_server *s) {
  if (s->accept_on) {
    __atomic_store_n(&s->accept_stop, true, __ATOMIC_RELEASE);
    /* wakes the blocked accept (EINVAL on Linux) */
    shutdown(s->listen_fd, SHUT_RDWR);
    pthread_join(s->accept_thread, NULL);
    s->accept_on = false;
  }
  if (s->listen_fd >= 0) close(s->listen_fd);
  s->listen_fd = -1;
}
