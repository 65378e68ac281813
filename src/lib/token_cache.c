/* token_cache.c - verified tokens remembered per store, so that a server
 * checking the same bearer token on every request does not open a database
 * read transaction each time (file locks, a statement; the largest part of
 * a classification GET's cost), and the signal that keeps the remembered
 * answers honest: the "token epoch", a 64-bit counter in a small file
 * beside a SQLite database ("DB-tokens", mapped shared by every process
 * using the database).  tg_token_revoke and tg_token_rotate add one to it
 * after their commit, before they return; a remembered answer holds the
 * epoch read before its database lookup and is used only while the
 * counter still has that value, so once a revocation has returned, no
 * process answers from an older lookup (a lookup that began before the
 * revocation committed read the epoch before the increment).  Expiry is
 * compared on every use with the store's clock, as the lookup does (the
 * clock is read only for a token that expires).
 * PostgreSQL has no such shared file between machines: there a store has
 * no cache, and a server shares a lease (tg_token_lease, below) among its
 * connections instead.  Deleting the -tokens file of a database in use is,
 * like deleting its -shm file, not supported.
 *
 * The lease (PostgreSQL; docs/DEPLOYMENT.md "Tokens verified from
 * memory"): its epoch is SUM(tokens.changes), which a revocation or
 * rotation moves in the statement that makes it (migration 012).  A
 * renewal notes the monotonic time t, then reads the sum: when it moved,
 * every remembered token is forgotten; the lease is current until t +
 * TG_TOKEN_LEASE_MS.  A revocation returns TG_TOKEN_LEASE_MS and a margin
 * after its commit.  A renewal that read the old sum sent its query
 * before the commit, so its lease ends before the revocation returns; one
 * that read the new sum forgot the token.  A lookup is remembered under
 * the epoch held before it began (as above), so a lookup that raced the
 * revocation is never used after a renewal saw it.  Clocks of different
 * machines need only run at about the same rate (the margin), not agree. */
#define _GNU_SOURCE /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ledger_int.h" /* tg__clock_now */
#include "store_int.h"
#include "token_cache.h"

#define SLOTS 16 /* distinct tokens remembered per store (a direct-mapped table) */

typedef struct slot {
  bool used;
  unsigned char hash[TG__TOKEN_HASH];
  uint64_t epoch;
  char expires[TG__TOKEN_EXPIRES]; /* "" = never */
  tg_token_info who;
} slot;

struct tg__token_cache {
  pthread_mutex_t mu;
  uint64_t *epoch; /* the mapped counter; NULL: no cache */
  slot slots[SLOTS];
};

/* The -tokens file of a SQLite store (false for PostgreSQL, :memory:, a
 * URI or a database file that does not exist). */
static bool epoch_path(const tg_store *s, char out[PATH_MAX + 16]) {
  if (strcmp(s->be->name, "sqlite") != 0 || !s->path) return false;
  const char *p = !strncmp(s->path, "sqlite:", 7) ? s->path + 7 : s->path;
  if (!*p || !strcmp(p, ":memory:") || !strncmp(p, "file:", 5)) return false;
  char real[PATH_MAX];
  if (!realpath(p, real)) return false; /* SQLite too names its -wal by the resolved path */
  snprintf(out, PATH_MAX + 16, "%s-tokens", real);
  return true;
}

/* Maps the counter (creating the file when writable); NULL when it cannot.
 * *exists tells whether the file is there (even if it could not be mapped). */
static uint64_t *epoch_map(const tg_store *s, bool *exists) {
  char path[PATH_MAX + 16];
  *exists = false;
  if (!epoch_path(s, path)) return NULL;
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    int e = errno;
    struct stat st;
    *exists = stat(path, &st) == 0;
    errno = e;
    return NULL;
  }
  *exists = true;
  struct stat st;
  void *m = MAP_FAILED;
  if (fstat(fd, &st) == 0 && (st.st_size >= (off_t)sizeof(uint64_t) ||
                              ftruncate(fd, sizeof(uint64_t)) == 0))
    m = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  return m == MAP_FAILED ? NULL : m;
}

/* The store's cache, made on first use (NULL: none, e.g. PostgreSQL). */
static tg__token_cache *cache_of(tg_store *s) {
  tg__token_cache *c = __atomic_load_n(&s->token_cache, __ATOMIC_ACQUIRE);
  if (c) return c->epoch ? c : NULL;
  c = tg__calloc(1, sizeof *c);
  if (!c) return NULL;
  bool exists;
  c->epoch = epoch_map(s, &exists);
  pthread_mutex_init(&c->mu, NULL);
  tg__token_cache *none = NULL;
  if (!__atomic_compare_exchange_n(&s->token_cache, &none, c, false, __ATOMIC_ACQ_REL,
                                   __ATOMIC_ACQUIRE)) {
    tg__token_cache_free(c); /* another thread made it first */
    c = none;
  }
  return c->epoch ? c : NULL;
}

void tg__token_cache_free(tg__token_cache *c) {
  if (!c) return;
  if (c->epoch) munmap(c->epoch, sizeof(uint64_t));
  pthread_mutex_destroy(&c->mu);
  tg__free(c);
}

static slot *slot_of(tg__token_cache *c, const unsigned char *hash) { return &c->slots[hash[0] % SLOTS]; }

bool tg__token_cache_get(tg_store *s, const unsigned char hash[TG__TOKEN_HASH], uint64_t *epoch,
                         tg_token_info *out, char expires[TG__TOKEN_EXPIRES]) {
  *epoch = 0;
  tg__token_cache *c = cache_of(s);
  if (!c) return false;
  *epoch = __atomic_load_n(c->epoch, __ATOMIC_ACQUIRE);
  pthread_mutex_lock(&c->mu);
  slot *e = slot_of(c, hash);
  bool hit = e->used && e->epoch == *epoch && !memcmp(e->hash, hash, TG__TOKEN_HASH);
  if (hit) *out = e->who, memcpy(expires, e->expires, TG__TOKEN_EXPIRES);
  pthread_mutex_unlock(&c->mu);
  return hit;
}

void tg__token_cache_put(tg_store *s, const unsigned char hash[TG__TOKEN_HASH], uint64_t epoch,
                         const char *expires, const tg_token_info *who) {
  tg__token_cache *c = cache_of(s);
  if (!c || (expires && strlen(expires) >= sizeof c->slots[0].expires)) return;
  pthread_mutex_lock(&c->mu);
  slot *e = slot_of(c, hash);
  e->used = true;
  memcpy(e->hash, hash, TG__TOKEN_HASH);
  e->epoch = epoch;
  snprintf(e->expires, sizeof e->expires, "%s", expires ? expires : "");
  e->who = *who;
  pthread_mutex_unlock(&c->mu);
}

tg_status tg__token_epoch_ready(tg_store *s, uint64_t **counter, tg_error *err) {
  bool exists;
  errno = 0;
  *counter = epoch_map(s, &exists);
  if (!*counter && exists)
    return tg__set_error(err, TG_ESTORE,
                         "cannot write the token epoch file beside the database (%s), which "
                         "tells running servers that a token changed; nothing was changed",
                         strerror(errno ? errno : EACCES));
  return TG_OK;
}

void tg__token_epoch_bump(uint64_t *counter) {
  if (!counter) return;
  __atomic_fetch_add(counter, 1, __ATOMIC_ACQ_REL);
  munmap(counter, sizeof(uint64_t));
}

/* ---- the lease (PostgreSQL) ------------------------------------------ */

#define LEASE_SLOTS 64 /* distinct tokens remembered per lease (direct-mapped) */

struct tg_token_lease {
  pthread_mutex_t mu;
  bool known;           /* the epoch was read at least once */
  int64_t epoch;        /* SUM(tokens.changes) as last read */
  int64_t until_ns;     /* CLOCK_MONOTONIC: remembered answers are used before this */
  tg_clock_fn clock;    /* the renewing store's clock, for expiry */
  void *clock_ud;
  slot slots[LEASE_SLOTS];
};

static int64_t mono_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

tg_status tg_token_lease_new(tg_token_lease **out, tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_token_lease_new: missing argument");
  *out = tg__calloc(1, sizeof **out);
  if (!*out) return tg__set_error(err, TG_ENOMEM, "out of memory");
  pthread_mutex_init(&(*out)->mu, NULL);
  return TG_OK;
}

void tg_token_lease_free(tg_token_lease *l) {
  if (!l) return;
  pthread_mutex_destroy(&l->mu);
  tg__free(l);
}

tg_status tg_token_lease_renew(tg_token_lease *l, tg_store *s, tg_error *err) {
  if (!l || !s) return tg__set_error(err, TG_EINVAL, "tg_token_lease_renew: missing argument");
  int64_t t = mono_ns(); /* before the query is sent */
  tg_stmt *q = NULL;
  tg_status st = tg__store_prepare(s, "SELECT COALESCE(SUM(changes), 0) FROM tokens", &q, err);
  if (st != TG_OK) return st;
  int rc = tg__step(q);
  int64_t v = rc == TG__ROW ? tg__col_int64(q, 0) : 0;
  if (rc != TG__ROW) st = tg__store_error(s, err, "cannot read the token epoch");
  tg__finalize(q);
  if (st != TG_OK) return st; /* the lease runs out */
  pthread_mutex_lock(&l->mu);
  if (!l->known || v != l->epoch) {
    memset(l->slots, 0, sizeof l->slots);
    l->epoch = v;
    l->known = true;
  }
  if (t + (int64_t)TG_TOKEN_LEASE_MS * 1000000 > l->until_ns)
    l->until_ns = t + (int64_t)TG_TOKEN_LEASE_MS * 1000000;
  l->clock = s->clock;
  l->clock_ud = s->clock_ud;
  pthread_mutex_unlock(&l->mu);
  return TG_OK;
}

bool tg__lease_get(tg_token_lease *l, const unsigned char hash[TG__TOKEN_HASH], int64_t *epoch,
                   tg_token_info *out, char expires[TG__TOKEN_EXPIRES], char now[21]) {
  int64_t t = mono_ns();
  pthread_mutex_lock(&l->mu);
  *epoch = l->known ? l->epoch : -1;
  slot *e = &l->slots[hash[0] % LEASE_SLOTS];
  bool hit = l->known && t < l->until_ns && e->used && e->epoch == (uint64_t)l->epoch &&
             !memcmp(e->hash, hash, TG__TOKEN_HASH);
  if (hit) *out = e->who, memcpy(expires, e->expires, TG__TOKEN_EXPIRES);
  tg_clock_fn clock = l->clock;
  void *ud = l->clock_ud;
  pthread_mutex_unlock(&l->mu);
  if (hit && expires[0]) tg__clock_now(clock, ud, now);
  return hit;
}

void tg__lease_put(tg_token_lease *l, const unsigned char hash[TG__TOKEN_HASH], int64_t epoch,
                   const char *expires, const tg_token_info *who) {
  if (epoch < 0 || (expires && strlen(expires) >= sizeof l->slots[0].expires)) return;
  pthread_mutex_lock(&l->mu);
  if (l->known && l->epoch == epoch) { /* else a renewal saw a change since the lookup began */
    slot *e = &l->slots[hash[0] % LEASE_SLOTS];
    e->used = true;
    memcpy(e->hash, hash, TG__TOKEN_HASH);
    e->epoch = (uint64_t)epoch;
    snprintf(e->expires, sizeof e->expires, "%s", expires ? expires : "");
    e->who = *who;
  }
  pthread_mutex_unlock(&l->mu);
}

void tg__lease_outlast(const tg_store *s) {
  if (strcmp(s->be->name, "postgresql") != 0) return;
  /* a tenth more than a lease: the servers' clocks may run a little fast */
  long ms = TG_TOKEN_LEASE_MS + TG_TOKEN_LEASE_MS / 10;
  struct timespec left = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}
