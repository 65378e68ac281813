/* store_sqlite.c - the SQLite backend of the store interface: one
 * connection in WAL mode with synchronous=FULL (a commit is durable when
 * it returns), BEGIN IMMEDIATE for writes (waiting busy_ms for another
 * process's lock), readers opened read-only, PRAGMA user_version as the
 * schema version, and the online backup API.  The only file that calls
 * sqlite3_. */
#include "store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

typedef struct lite_stmt {
  tg_stmt base;
  sqlite3_stmt *st;
} lite_stmt;

#define DB(s) ((sqlite3 *)(s)->conn)
#define ST(q) (((lite_stmt *)(q))->st)

static void keep_error(tg_store *s) {
  snprintf(s->errmsg, sizeof s->errmsg, "%s", sqlite3_errmsg(DB(s)));
  int rc = sqlite3_errcode(DB(s)) & 0xff;
  s->busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED; /* another process holds the lock */
}

/* tg_sha256(text): the hex SHA-256 of the text's bytes (NULL for NULL),
 * for migrations that key rows by content (008_determinations.sql). */
static void sql_sha256(sqlite3_context *c, int n, sqlite3_value **v) {
  (void)n;
  if (sqlite3_value_type(v[0]) == SQLITE_NULL) {
    sqlite3_result_null(c);
    return;
  }
  const unsigned char *t = sqlite3_value_text(v[0]);
  char h[65];
  tg__sha256_hex(t ? (const void *)t : "", t ? (size_t)sqlite3_value_bytes(v[0]) : 0, h);
  sqlite3_result_text(c, h, 64, SQLITE_TRANSIENT);
}

static tg_status lite_open(tg_store *s, const char *where, tg_error *err) {
  sqlite3 *db = NULL;
  int mode = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(where, &db, mode | SQLITE_OPEN_FULLMUTEX, NULL);
  s->conn = db;
  if (rc != SQLITE_OK)
    return tg__set_error(err, TG_ESTORE, "cannot open database '%s': %s", where,
                         db ? sqlite3_errmsg(db) : "out of memory");
  sqlite3_busy_timeout(db, s->busy_ms);
  if (sqlite3_create_function(db, "tg_sha256", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                              sql_sha256, NULL, NULL) != SQLITE_OK)
    return tg__set_error(err, TG_ESTORE, "cannot open database '%s': %s", where, sqlite3_errmsg(db));
  return TG_OK;
}

void tg_store_set_busy_timeout(tg_store *s, int ms) {
  if (!s) return;
  s->busy_ms = ms; /* PostgreSQL: each write transaction's lock_timeout */
  if (s->be == &tg__sqlite_backend && s->conn) sqlite3_busy_timeout(DB(s), ms);
}

static void lite_close(tg_store *s) {
  sqlite3_close(DB(s));
  s->conn = NULL;
}

static tg_status lite_exec(tg_store *s, const char *sql, tg_error *err) {
  char *msg = NULL;
  int rc = sqlite3_exec(DB(s), sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    snprintf(s->errmsg, sizeof s->errmsg, "%s", msg ? msg : sqlite3_errmsg(DB(s)));
    sqlite3_free(msg);
    s->busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
    if (s->busy) /* another process holds the lock */
      return tg__set_error(err, TG_EBUSY, "the database is locked by another writer; retry later");
    return tg__set_error(err, TG_ESTORE, "database: %s", s->errmsg);
  }
  s->changes = sqlite3_changes(DB(s));
  return TG_OK;
}

static tg_status lite_begin_write(tg_store *s, tg_error *err) {
  return lite_exec(s, "BEGIN IMMEDIATE", err);
}
static tg_status lite_begin_read(tg_store *s, tg_error *err) { return lite_exec(s, "BEGIN", err); }

static tg_status lite_prepare(tg_store *s, const char *sql, tg_stmt **out, tg_error *err) {
  lite_stmt *q = tg__calloc(1, sizeof *q);
  if (!q) return tg__set_error(err, TG_ENOMEM, "out of memory");
  q->base.s = s;
  if (sqlite3_prepare_v2(DB(s), sql, -1, &q->st, NULL) != SQLITE_OK) {
    keep_error(s);
    tg__free(q);
    return tg__store_error(s, err, "cannot prepare statement");
  }
  *out = &q->base;
  return TG_OK;
}

static int lite_step(tg_stmt *q) {
  int rc = sqlite3_step(ST(q));
  if (rc == SQLITE_ROW) return TG__ROW;
  if (rc == SQLITE_DONE) {
    q->s->changes = sqlite3_changes(DB(q->s));
    return TG__DONE;
  }
  keep_error(q->s);
  return (rc & 0xff) == SQLITE_CONSTRAINT ? TG__STEP_CONSTRAINT : TG__STEP_ERROR;
}

static void lite_reset(tg_stmt *q) { sqlite3_reset(ST(q)); }
static void lite_clear(tg_stmt *q) { sqlite3_clear_bindings(ST(q)); }
static void lite_finalize(tg_stmt *q) {
  sqlite3_finalize(ST(q));
  tg__free(q);
}
static void lite_bind_int64(tg_stmt *q, int i, int64_t v) { sqlite3_bind_int64(ST(q), i, v); }
static void lite_bind_text(tg_stmt *q, int i, const char *v) {
  if (v) sqlite3_bind_text(ST(q), i, v, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(ST(q), i);
}
static int lite_col_count(tg_stmt *q) { return sqlite3_column_count(ST(q)); }
static const char *lite_col_name(tg_stmt *q, int i) { return sqlite3_column_name(ST(q), i); }
static int lite_col_type(tg_stmt *q, int i) {
  switch (sqlite3_column_type(ST(q), i)) {
  case SQLITE_INTEGER: return TG__INTEGER;
  case SQLITE_FLOAT: return TG__FLOAT;
  case SQLITE_BLOB: return TG__BLOB;
  case SQLITE_NULL: return TG__NULL;
  default: return TG__TEXT;
  }
}
static int64_t lite_col_int64(tg_stmt *q, int i) { return sqlite3_column_int64(ST(q), i); }
static double lite_col_double(tg_stmt *q, int i) { return sqlite3_column_double(ST(q), i); }
static const char *lite_col_text(tg_stmt *q, int i) {
  return (const char *)sqlite3_column_text(ST(q), i);
}
static int lite_col_bytes(tg_stmt *q, int i) { return sqlite3_column_bytes(ST(q), i); }
static int64_t lite_last_id(tg_store *s) { return sqlite3_last_insert_rowid(DB(s)); }

static tg_status lite_get_version(tg_store *s, int *v, tg_error *err) {
  sqlite3_stmt *q;
  *v = 0;
  if (sqlite3_prepare_v2(DB(s), "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK) {
    keep_error(s);
    return tg__store_error(s, err, "cannot read schema version");
  }
  if (sqlite3_step(q) == SQLITE_ROW) *v = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  return TG_OK;
}

static tg_status lite_set_version(tg_store *s, int v, tg_error *err) {
  char pragma[64];
  snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
  return lite_exec(s, pragma, err);
}

static tg_status lite_setup(tg_store *s, tg_error *err) {
  return lite_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                   err);
}

/* A consistent snapshot, copied in steps so writers are not held off. */
static tg_status lite_backup(tg_store *s, const char *path, tg_error *err) {
  sqlite3 *dst = NULL;
  if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    tg_status st = tg__set_error(err, TG_EIO, "cannot open backup '%s': %s", path,
                                 dst ? sqlite3_errmsg(dst) : "out of memory");
    sqlite3_close(dst);
    return st;
  }
  sqlite3_busy_timeout(dst, 10000);
  sqlite3_backup *b = sqlite3_backup_init(dst, "main", DB(s), "main");
  if (!b) {
    tg_status st = tg__set_error(err, TG_EIO, "cannot back up to '%s': %s", path, sqlite3_errmsg(dst));
    sqlite3_close(dst);
    return st;
  }
  int rc;
  while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    sqlite3_sleep(rc == SQLITE_OK ? 0 : 10);
  sqlite3_backup_finish(b);
  tg_status st = TG_OK;
  if (rc != SQLITE_DONE)
    st = tg__set_error(err, TG_EIO, "backup to '%s' failed: %s", path, sqlite3_errstr(rc));
  else if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
    st = tg__set_error(err, TG_EIO, "backup '%s': %s", path, sqlite3_errmsg(dst));
  if (sqlite3_close(dst) != SQLITE_OK && st == TG_OK)
    st = tg__set_error(err, TG_EIO, "cannot close backup '%s'", path);
  return st;
}

const tg__backend tg__sqlite_backend = {
    .name = "sqlite",
    .open = lite_open,
    .close = lite_close,
    .exec = lite_exec,
    .begin_write = lite_begin_write,
    .begin_read = lite_begin_read,
    .prepare = lite_prepare,
    .step = lite_step,
    .reset = lite_reset,
    .clear = lite_clear,
    .finalize = lite_finalize,
    .bind_int64 = lite_bind_int64,
    .bind_text = lite_bind_text,
    .col_count = lite_col_count,
    .col_name = lite_col_name,
    .col_type = lite_col_type,
    .col_int64 = lite_col_int64,
    .col_double = lite_col_double,
    .col_text = lite_col_text,
    .col_bytes = lite_col_bytes,
    .last_id = lite_last_id,
    .get_version = lite_get_version,
    .set_version = lite_set_version,
    .setup = lite_setup,
    .translate = NULL,
    .tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                  "'sqlite_%' ORDER BY rowid",
    .ids_follow = NULL,
    .backup = lite_backup,
};
