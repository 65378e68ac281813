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
 * PostgreSQL has no such shared file between machines: there every
 * verification asks the database (no cache).  Deleting the -tokens file of
 * a database in use is, like deleting its -shm file, not supported. */
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
#include <unistd.h>

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
