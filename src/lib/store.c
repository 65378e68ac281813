/* store.c - the backend-neutral half of the store: choosing a backend from
 * the location (a file path or sqlite:FILE, or postgresql://...), the
 * versioned migrations embedded in the library (applied in order, each in
 * its own write transaction; a database newer than this build is refused
 * untouched), and the statement calls, which dispatch to the backend. */
#include "store_int.h"
#include "token_cache.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tg__sha256_hex(const void *data, size_t len, char out[65]) {
  static const char hex[] = "0123456789abcdef";
  unsigned char h[crypto_hash_sha256_BYTES];
  if (sodium_init() < 0) { /* idempotent and thread-safe; SHA-256 works regardless */
  }
  crypto_hash_sha256(h, data, len);
  for (size_t i = 0; i < sizeof h; i++) {
    out[2 * i] = hex[h[i] >> 4];
    out[2 * i + 1] = hex[h[i] & 15];
  }
  out[64] = '\0';
}

const char *tg__store_errmsg(tg_store *s) {
  return s && s->errmsg[0] ? s->errmsg : "no database";
}

tg_status tg__store_error(tg_store *s, tg_error *err, const char *what) {
  if (s && s->busy) /* a lock wait ran out: nothing was written; retry later */
    return tg__set_error(err, TG_EBUSY, "%s: the database is locked by another writer; retry later",
                         what);
  return tg__set_error(err, TG_ESTORE, "%s: %s", what, tg__store_errmsg(s));
}

const char *tg__store_backend(const tg_store *s) { return s ? s->be->name : ""; }

tg_status tg__store_exec(tg_store *s, const char *sql, tg_error *err) {
  return s->be->exec(s, sql, err);
}
static uint64_t sql_hash(const char *sql) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)sql; *p; p++) h = (h ^ *p) * 1099511628211ull;
  return h;
}

tg_status tg__store_prepare(tg_store *s, const char *sql, tg_stmt **st, tg_error *err) {
  *st = NULL;
  uint64_t h = sql_hash(sql);
  size_t at = h % TG__STMT_CACHE;
  tg__stmt_slot *free_slot = NULL;
  pthread_mutex_lock(&s->cache_mu);
  for (size_t k = 0; k < TG__STMT_CACHE; k++) {
    tg__stmt_slot *sl = &s->stmts[(at + k) % TG__STMT_CACHE];
    if (!sl->q) {
      free_slot = sl;
      break;
    }
    if (sl->hash == h && !strcmp(sl->sql, sql)) {
      if (sl->q->busy) break; /* in use (a nested query): a fresh one */
      sl->q->busy = true;
      *st = sl->q;
      pthread_mutex_unlock(&s->cache_mu);
      return TG_OK;
    }
  }
  char *copy = free_slot ? tg__strdup(sql) : NULL;
  if (copy) free_slot->q = (tg_stmt *)1; /* reserved while preparing */
  pthread_mutex_unlock(&s->cache_mu);
  tg_status rc = s->be->prepare(s, sql, st, err);
  pthread_mutex_lock(&s->cache_mu);
  if (copy && rc == TG_OK) {
    *free_slot = (tg__stmt_slot){.hash = h, .sql = copy, .q = *st};
    (*st)->cached = (*st)->busy = true;
  } else if (copy) {
    free_slot->q = NULL;
    tg__free(copy);
  }
  pthread_mutex_unlock(&s->cache_mu);
  return rc;
}

void tg__store_forget(tg_store *s, bool usage) {
  s->rules_checked = false;
  s->audit_head_known = false;
  s->chain_locked = false; /* (a savepoint rolled back may have held it) */
  s->usage_current = false;
  if (usage) s->nusage = 0, s->usage_upto = 0, s->ndet = 0;
  if (usage) tg__store_drop_audit(s);
}

size_t tg__rows_chunk(size_t left) { return left < 64 ? left : 64; }

char *tg__values_sql(const char *head, const char *lead, const char *cols, size_t nrows,
                     const char *tail) {
  tg__buf b;
  tg__buf_init(&b);
  tg__buf_puts(&b, head);
  for (size_t r = 0; r < nrows; r++) {
    tg__buf_puts(&b, r ? ", (" : " VALUES (");
    tg__buf_puts(&b, lead);
    for (const char *c = cols; *c; c++) {
      if (c != cols) tg__buf_puts(&b, ",");
      tg__buf_puts(&b, *c == 'i' ? "CAST(? AS BIGINT)" : "?");
    }
    tg__buf_puts(&b, ")");
  }
  tg__buf_puts(&b, tail);
  if (b.oom) {
    tg__buf_free(&b);
    return NULL;
  }
  return tg__buf_detach(&b);
}

void tg__store_drop_audit(tg_store *s) {
  for (size_t i = 0; i < s->naq; i++) {
    tg__audit_rec *r = &s->aq[i];
    tg__free(r->actor);
    tg__free(r->action);
    tg__free(r->subject);
    tg__free(r->content);
  }
  tg__free(s->aq);
  s->aq = NULL;
  s->naq = s->caq = 0;
  s->audit_defer = false;
}

/* A write transaction, with the ledger's lock or (records) without. */
static tg_status begin(tg_store *s, bool records, tg_error *err) {
  records = records && s->be->begin_records;
  tg__store_forget(s, false);
  tg__store_drop_audit(s);
  tg_status st = records ? s->be->begin_records(s, err) : s->be->begin_write(s, err);
  if (st == TG_OK) s->depth = 1, s->writing = true, s->ledger_locked = !records;
  return st;
}
tg_status tg__store_begin(tg_store *s, tg_error *err) { return begin(s, false, err); }
tg_status tg__store_begin_records(tg_store *s, tg_error *err) { return begin(s, true, err); }
tg_status tg__store_lock_ledger(tg_store *s, tg_error *err) {
  if (s->ledger_locked || !s->be->lock_ledger) return TG_OK;
  if (s->chain_locked) /* the other order could deadlock with a writer */
    return tg__set_error(err, TG_ESTORE, "the ledger's lock is taken before the chain's");
  tg_status st = s->be->lock_ledger(s, err);
  if (st == TG_OK) s->ledger_locked = true;
  return st;
}
tg_status tg__store_lock_chain(tg_store *s, tg_error *err) {
  if (s->chain_locked || !s->be->lock_chain) return TG_OK;
  tg_status st = s->be->lock_chain(s, err);
  if (st == TG_OK) s->chain_locked = true;
  return st;
}
tg_status tg__store_begin_read(tg_store *s, tg_error *err) {
  tg_status st = s->be->begin_read(s, err);
  if (st == TG_OK) s->depth = 1, s->writing = false;
  return st;
}
static tg_status commit(tg_store *s, bool early, tg_error *err) {
  if (s->naq) { /* chained records not written: committing would lose them */
    tg__store_rollback(s);
    return tg__set_error(err, TG_ESTORE, "audit records were not written before the commit");
  }
  tg__store_forget(s, false);
  tg_status st = early && s->be->commit_early ? s->be->commit_early(s, err)
                                              : s->be->exec(s, "COMMIT", err);
  if (st == TG_OK) s->depth = 0, s->writing = false, s->ledger_locked = false;
  else tg__store_forget(s, true); /* the commit may not have happened */
  return st;
}
tg_status tg__store_commit(tg_store *s, tg_error *err) { return commit(s, false, err); }
tg_status tg__store_commit_early(tg_store *s, tg_error *err) { return commit(s, true, err); }
void tg__store_rollback(tg_store *s) {
  tg__store_forget(s, true);
  if (s->depth) s->be->exec(s, "ROLLBACK", NULL);
  s->depth = 0;
  s->writing = false;
  s->ledger_locked = false;
}
tg_status tg__store_savepoint(tg_store *s, tg_error *err) {
  tg_status st = s->be->exec(s, "SAVEPOINT tg_item", err);
  if (st == TG_OK) s->depth++;
  return st;
}
tg_status tg__store_release(tg_store *s, tg_error *err) {
  (void)err;
  /* Not sent: the item's savepoint stays open until the COMMIT ends them
   * all (a later ROLLBACK TO names the newest one, so each item's undo is
   * still its own), which saves a round trip per item of a batch. */
  s->depth--;
  return TG_OK;
}
void tg__store_rollback_to(tg_store *s) {
  tg__store_forget(s, true);
  s->be->exec(s, "ROLLBACK TO SAVEPOINT tg_item", NULL);
  if (s->be->exec(s, "RELEASE SAVEPOINT tg_item", NULL) == TG_OK) s->depth--;
}

int tg__step(tg_stmt *q) { return q->s->be->step(q); }
void tg__reset(tg_stmt *q) { q->s->be->reset(q); }
void tg__finalize(tg_stmt *q) {
  if (!q) return;
  if (!q->cached) {
    q->s->be->finalize(q);
    return;
  }
  q->s->be->reset(q);
  q->s->be->clear(q);
  pthread_mutex_lock(&q->s->cache_mu);
  q->busy = false;
  pthread_mutex_unlock(&q->s->cache_mu);
}
void tg__bind_int64(tg_stmt *q, int i, int64_t v) { q->s->be->bind_int64(q, i, v); }
void tg__bind_text(tg_stmt *q, int i, const char *v) { q->s->be->bind_text(q, i, v); }
void tg__bind_null(tg_stmt *q, int i) { q->s->be->bind_text(q, i, NULL); }
int tg__col_count(tg_stmt *q) { return q->s->be->col_count(q); }
const char *tg__col_name(tg_stmt *q, int i) { return q->s->be->col_name(q, i); }
int tg__col_type(tg_stmt *q, int i) { return q->s->be->col_type(q, i); }
int64_t tg__col_int64(tg_stmt *q, int i) { return q->s->be->col_int64(q, i); }
int tg__col_int(tg_stmt *q, int i) { return (int)q->s->be->col_int64(q, i); }
double tg__col_double(tg_stmt *q, int i) { return q->s->be->col_double(q, i); }
const char *tg__col_text(tg_stmt *q, int i) { return q->s->be->col_text(q, i); }
int tg__col_bytes(tg_stmt *q, int i) { return q->s->be->col_bytes(q, i); }
int64_t tg__last_id(tg_store *s) { return s->be->last_id(s); }
int64_t tg__changes(tg_store *s) { return s->changes; }

/* The migration numbered n for this backend: its own file if it has one,
 * else the shared one translated.  Caller frees. */
static char *migration_sql(const tg_store *s, int n, const char **name) {
  const tg__migration *shared = NULL;
  for (int i = 0; i < tg__migration_count; i++) {
    const tg__migration *m = &tg__migrations[i];
    if (m->number != n) continue;
    if (!strcmp(m->backend, s->be->name)) {
      *name = m->name;
      return tg__strdup(m->sql);
    }
    if (!m->backend[0]) shared = m;
  }
  if (!shared) return NULL;
  *name = shared->name;
  return s->be->translate ? s->be->translate(shared->sql) : tg__strdup(shared->sql);
}

static int migration_count(void) {
  int n = 0;
  for (int i = 0; i < tg__migration_count; i++)
    if (!tg__migrations[i].backend[0] && tg__migrations[i].number > n) n = tg__migrations[i].number;
  return n;
}

static tg_status refuse_newer(tg_store *s, int version, int count, tg_error *err) {
  return tg__set_error(err, TG_EVERSION,
                       "database '%s' has schema version %d but this Tollgate knows only %d; "
                       "use a newer Tollgate (the database was not changed)",
                       s->path, version, count);
}

static tg_status migrate(tg_store *s, tg_error *err) {
  int count = migration_count(), version = 0;
  tg_status st = s->be->get_version(s, &version, err);
  if (st != TG_OK) return st;
  if (version > count) return refuse_newer(s, version, count, err);
  if (s->readonly) { /* a reader changes nothing: its writer migrated */
    if (version < count)
      return tg__set_error(err, TG_EVERSION, "database '%s' has schema version %d, not %d: open it "
                           "for writing first (it is migrated then)", s->path, version, count);
    s->schema_version = version;
    return TG_OK;
  }
  /* Only now, with the version known to be ours, change anything. */
  if ((st = s->be->setup(s, err)) != TG_OK) return st;
  while (version < count) {
    /* under the write lock: another server may be migrating too */
    if ((st = tg__store_begin(s, err)) != TG_OK) return st;
    if ((st = s->be->get_version(s, &version, err)) != TG_OK || version >= count) {
      tg__store_rollback(s);
      if (st == TG_OK && version > count) return refuse_newer(s, version, count, err);
      return st;
    }
    const char *name = "";
    char *sql = migration_sql(s, version + 1, &name);
    if (!sql) {
      tg__store_rollback(s);
      return tg__set_error(err, TG_EPARSE, "migration %03d is missing from this build",
                           version + 1);
    }
    st = tg__store_exec(s, sql, err);
    tg__free(sql);
    if (st == TG_OK) st = s->be->set_version(s, version + 1, err);
    if (st == TG_OK) st = tg__store_commit(s, err);
    if (st != TG_OK) {
      tg__store_rollback(s);
      char inner[sizeof err->message];
      if (err) {
        memcpy(inner, err->message, sizeof inner);
        tg__set_error(err, st, "migration %s failed: %.400s", name, inner);
      }
      return st;
    }
    version++;
  }
  s->schema_version = version;
  return TG_OK;
}

/* "postgresql://..." or "postgres://..." is PostgreSQL; "sqlite:FILE" or
 * any other text is a SQLite file. */
static const tg__backend *choose(const char *where, const char **rest) {
  if (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11)) {
    *rest = where;
    return &tg__pg_backend;
  }
  *rest = !strncmp(where, "sqlite:", 7) ? where + 7 : where;
  return &tg__sqlite_backend;
}

static tg_status store_open(const tg_engine *e, const char *path, bool readonly, tg_store **out,
                            tg_error *err) {
  if (!e || !path || !out) return tg__set_error(err, TG_EINVAL, "tg_store_open: missing argument");
  *out = NULL;
  tg_store *s = tg__calloc(1, sizeof *s);
  if (!s || !(s->path = tg__strdup(path))) {
    tg__free(s);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  s->engine = e;
  pthread_mutex_init(&s->cache_mu, NULL);
  s->readonly = readonly;
  s->busy_ms = 10000;
  const char *rest;
  s->be = choose(path, &rest);
  tg_status st = s->be->open(s, rest, err);
  if (st == TG_OK) st = migrate(s, err);
  if (st != TG_OK) {
    tg_store_close(s);
    return st;
  }
  *out = s;
  return TG_OK;
}

tg_status tg_store_open(const tg_engine *e, const char *path, tg_store **out, tg_error *err) {
  return store_open(e, path, false, out, err);
}

void tg_store_close(tg_store *s) {
  if (!s) return;
  tg__store_drop_audit(s);
  for (size_t k = 0; k < TG__STMT_CACHE; k++)
    if (s->stmts[k].q) {
      s->be->finalize(s->stmts[k].q);
      tg__free(s->stmts[k].sql);
    }
  if (s->conn) s->be->close(s);
  pthread_mutex_destroy(&s->cache_mu);
  tg__token_cache_free(s->token_cache);
  json_decref(s->rule_ids);
  tg__free(s->path);
  tg__free(s);
}

int tg_store_schema_version(const tg_store *s) { return s ? s->schema_version : 0; }

const char *tg_store_location(const tg_store *s) { return s ? s->path : NULL; }

tg_status tg_store_open_reader(const tg_store *s, tg_store **out, tg_error *err) {
  if (!s || !out) return tg__set_error(err, TG_EINVAL, "tg_store_open_reader: missing argument");
  tg_status st = store_open(s->engine, s->path, true, out, err);
  if (st == TG_OK) tg_store_set_busy_timeout(*out, s->busy_ms);
  return st;
}

tg_status tg_store_backup(tg_store *s, const char *path, tg_error *err) {
  if (!s || !path) return tg__set_error(err, TG_EINVAL, "tg_store_backup: missing argument");
  if (!s->be->backup)
    return tg__set_error(err, TG_EINVAL,
                         "backup of a %s ledger is the database's own job (pg_dump or "
                         "pg_basebackup; see docs/DEPLOYMENT.md)", s->be->name);
  return s->be->backup(s, path, err);
}

/* ---- keyset paging (tg_page) ------------------------------------------ */

void tg_page_init(tg_page *p) {
  if (p) memset(p, 0, sizeof *p);
}

void tg__page_sql(const tg_page *p, tg__buf *sql) {
  if (p && p->limit > 0) tg__buf_printf(sql, " LIMIT %lld", (long long)p->limit + 1);
}

bool tg__page_full(const tg_page *p, size_t kept) {
  return p && p->limit > 0 && (int64_t)kept >= p->limit;
}

void tg__page_keep(tg_page *p, const char *key) {
  if (p) snprintf(p->next, sizeof p->next, "%s", key ? key : "");
}

void tg__page_keep_int(tg_page *p, int64_t key) {
  if (p) snprintf(p->next, sizeof p->next, "%lld", (long long)key);
}

void tg__page_last(tg_page *p) {
  if (p) p->next[0] = '\0';
}

tg_status tg__page_after_int(const tg_page *p, int64_t *out, tg_error *err) {
  char *end = NULL;
  long long v = p->after ? strtoll(p->after, &end, 10) : 0;
  if (!p->after || !*p->after || *end || v < 0)
    return tg__set_error(err, TG_EINVAL, "cursor: '%.60s' is not a whole number (a key from "
                         "the previous page)", p->after ? p->after : "");
  *out = v;
  return TG_OK;
}
