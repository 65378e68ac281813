/* bench_ship.c - HTTP load generator for ledger writes (driven by
 * bench/ship_load.sh and tests/pg/multi_server.sh): W writer threads, each
 * with a keep-alive connection to one of the servers (round robin), POST
 * the same shipment body to /v1/shipments for S seconds or until N
 * requests in total.  Counts recorded (200), refused (409) and failed
 * answers (a 503 `busy` is retried, and counted apart), and writes the id
 * of every acknowledged shipment to a file so a caller can check each one
 * is in the ledger.  With BENCH_PATH set (e.g. /v1/checks) it posts there
 * instead (a latency probe: ship_load.sh measures checks and screening
 * while shipments are written).  Prints the answers' latency, median and
 * 99th percentile.  With BENCH_RATE=R the threads together offer R requests
 * a second at fixed times (each thread every WRITERS/R s) rather than one
 * after the other as fast as answered; a request sent late because the
 * previous answer came late counts its latency from the time it was due,
 * so a slow server cannot hide its queue by slowing the client down.
 *   bench_ship URL[,URL...] TOKEN BODYFILE WRITERS SECONDS MAXREQ ACKFILE
 * Run without arguments it prints this usage (make bench runs it so). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <strings.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef struct job {
  struct sockaddr_in addr;
  const char *token, *body, *path;
  double *lat; /* seconds per answered request */
  size_t nlat, latcap;
  double until;
  double every; /* BENCH_RATE: seconds between this thread's requests (0: back to back) */
  double phase; /* and its first one's delay, so the threads do not send together */
  long *ids;
  size_t nids, cap;
  long ok, refused, failed, busy;
} job;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long remaining;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static bool take(void) {
  pthread_mutex_lock(&mu);
  bool ok = remaining != 0;
  if (remaining > 0) remaining--;
  pthread_mutex_unlock(&mu);
  return ok;
}

static int dial(const job *j) {
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct timeval tv = {30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, (const struct sockaddr *)&j->addr, sizeof j->addr)) {
    close(fd);
    return -1;
  }
  return fd;
}

/* One request on fd; the status (0 = connection failed) and the body. */
static int request(int fd, const job *j, char *buf, size_t cap) {
  /* head and body in one write: two small writes meet Nagle's algorithm
   * and the server's delayed ACK, adding ~40 ms to every request */
  static __thread char head[70000];
  int hn = snprintf(head, sizeof head,
                    "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                    j->path, j->token, strlen(j->body));
  size_t bn = strlen(j->body);
  if (hn < 0 || (size_t)hn + bn > sizeof head) return 0;
  memcpy(head + hn, j->body, bn);
  if (write(fd, head, (size_t)hn + bn) != (ssize_t)((size_t)hn + bn)) return 0;
  size_t n = 0;
  char *end = NULL;
  while (!(end = n ? strstr(buf, "\r\n\r\n") : NULL)) {
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r <= 0) return 0;
    n += (size_t)r;
    buf[n] = '\0';
  }
  int status = atoi(buf + 9);
  const char *cl = strstr(buf, "Content-Length:");
  size_t len = cl ? strtoul(cl + 15, NULL, 10) : 0, have = n - (size_t)(end + 4 - buf);
  while (have < len && n < cap - 1) {
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r <= 0) return 0;
    n += (size_t)r;
    have += (size_t)r;
  }
  buf[n] = '\0';
  memmove(buf, end + 4, have + 1);
  return status;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void *writer(void *ud) {
  job *j = ud;
  static __thread char buf[1 << 20];
  int fd = -1;
  double due = now() + j->phase;
  while (now() < j->until && take()) {
    if (fd < 0 && (fd = dial(j)) < 0) {
      j->failed++;
      nanosleep(&(struct timespec){0, 100000000}, NULL);
      continue;
    }
    double t0 = now();
    if (j->every > 0) { /* the fixed rate: wait for the due time, count from it */
      if (due > t0) {
        double d = due - t0;
        nanosleep(&(struct timespec){(time_t)d, (long)((d - (double)(time_t)d) * 1e9)}, NULL);
      }
      t0 = due;
      due += j->every;
    }
    int st = request(fd, j, buf, sizeof buf);
    if (st == 200 || st == 409) {
      if (j->nlat == j->latcap) {
        j->latcap = j->latcap ? 2 * j->latcap : 1024;
        j->lat = realloc(j->lat, j->latcap * sizeof *j->lat);
      }
      j->lat[j->nlat++] = now() - t0;
    }
    if (st == 200) {
      const char *id = strstr(buf, "\"id\": ");
      if (j->nids == j->cap) {
        j->cap = j->cap ? 2 * j->cap : 1024;
        j->ids = realloc(j->ids, j->cap * sizeof *j->ids);
      }
      j->ids[j->nids++] = id ? atol(id + 6) : -1;
      j->ok++;
    } else if (st == 409) {
      j->refused++;
    } else if (st == 503 && strstr(buf, "\"busy\"")) {
      /* the database was locked past the server's bound: nothing was
       * written; retry the same request as Retry-After asks */
      j->busy++;
      pthread_mutex_lock(&mu);
      if (remaining >= 0) remaining++;
      pthread_mutex_unlock(&mu);
      nanosleep(&(struct timespec){0, 100000000}, NULL);
    } else {
      j->failed++;
      close(fd);
      fd = -1;
      if (!st) nanosleep(&(struct timespec){0, 100000000}, NULL); /* server gone: retry */
    }
  }
  if (fd >= 0) close(fd);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 8) {
    puts("usage: bench_ship URL[,URL...] TOKEN BODYFILE WRITERS SECONDS MAXREQ ACKFILE "
         "(see bench/ship_load.sh)");
    return 0;
  }
  FILE *f = fopen(argv[3], "r");
  static char body[65536];
  size_t bn = f ? fread(body, 1, sizeof body - 1, f) : 0;
  if (f) fclose(f);
  body[bn] = '\0';
  int w = atoi(argv[4]);
  double secs = atof(argv[5]);
  remaining = atol(argv[6]) > 0 ? atol(argv[6]) : -1;
  struct sockaddr_in addrs[8];
  int na = 0;
  for (char *u = strtok(argv[1], ","); u && na < 8; u = strtok(NULL, ",")) {
    unsigned port = 0;
    if (sscanf(u, "http://127.0.0.1:%u", &port) != 1) {
      fprintf(stderr, "bench_ship: %s is not http://127.0.0.1:PORT\n", u);
      return 2;
    }
    memset(&addrs[na], 0, sizeof addrs[na]);
    addrs[na].sin_family = AF_INET;
    addrs[na].sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, "127.0.0.1", &addrs[na].sin_addr);
    na++;
  }
  if (w < 1 || w > 1024 || !na) return 2;
  job *jobs = calloc((size_t)w, sizeof *jobs);
  pthread_t *t = calloc((size_t)w, sizeof *t);
  double t0 = now(), rate = getenv("BENCH_RATE") ? atof(getenv("BENCH_RATE")) : 0;
  for (int i = 0; i < w; i++) {
    jobs[i] = (job){.addr = addrs[i % na], .token = argv[2], .body = body, .until = t0 + secs,
                    .every = rate > 0 ? (double)w / rate : 0,
                    .phase = rate > 0 ? (double)i / rate : 0,
                    .path = getenv("BENCH_PATH") ? getenv("BENCH_PATH") : "/v1/shipments"};
    pthread_create(&t[i], NULL, writer, &jobs[i]);
  }
  long ok = 0, refused = 0, failed = 0, busy = 0;
  FILE *acks = fopen(argv[7], "w");
  double *lat = NULL;
  size_t nlat = 0;
  for (int i = 0; i < w; i++) {
    pthread_join(t[i], NULL);
    ok += jobs[i].ok, refused += jobs[i].refused, failed += jobs[i].failed, busy += jobs[i].busy;
    for (size_t k = 0; acks && k < jobs[i].nids; k++) fprintf(acks, "%ld\n", jobs[i].ids[k]);
    free(jobs[i].ids);
    lat = realloc(lat, (nlat + jobs[i].nlat + 1) * sizeof *lat);
    if (jobs[i].nlat) memcpy(lat + nlat, jobs[i].lat, jobs[i].nlat * sizeof *lat);
    nlat += jobs[i].nlat;
    free(jobs[i].lat);
  }
  double el = now() - t0;
  if (acks) fclose(acks);
  if (getenv("BENCH_PATH"))
    printf("%s: %ld answered, %ld failed in %.2f s: %.0f/s", getenv("BENCH_PATH"), ok + refused,
           failed, el, (double)(ok + refused) / el);
  else
    printf("recorded %ld refused %ld failed %ld in %.2f s: %.0f durable shipments/s (%ld busy, "
           "retried)", ok, refused, failed, el, (double)ok / el, busy);
  if (nlat) {
    qsort(lat, nlat, sizeof *lat, cmp_double);
    printf(", latency median %.1f ms, p99 %.1f ms", lat[nlat / 2] * 1e3,
           lat[(size_t)((double)(nlat - 1) * 0.99)] * 1e3);
  }
  printf("\n");
  free(lat);
  free(jobs);
  free(t);
  return 0;
}
