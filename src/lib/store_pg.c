/* store_pg.c - the PostgreSQL backend of the store interface, over libpq:
 * `?`/`?N` placeholders become $N, values travel as text, a write
 * transaction takes the ledger's transaction-scoped advisory lock (so
 * writers from every server serialize) and, to append to the audit chain,
 * the chain's (so the single chain's appends serialize, while a
 * transaction of audit records only takes the chain's alone; see
 * docs/DEPLOYMENT.md), a group commit releases both before its WAL
 * flush and then waits for it, and waits for each lock at most busy_ms (then
 * TG_EBUSY), the schema version lives in tollgate_schema, and a
 * lost connection is re-established at the next transaction.  The only
 * file that calls PQ functions. */
#include "store_int.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <time.h>

/* pg_advisory_xact_lock keys of the ledger's write lock ("TOLL") and of
 * the audit chain's ("CHAI"). */
#define WRITE_LOCK "1414483020"
#define CHAIN_LOCK "1128808777"
/* A reader's session (tg_store_open_reader): every transaction read-only. */
#define READ_ONLY "SET default_transaction_read_only = on"

typedef struct pg_stmt {
  tg_stmt base;
  char *sql;        /* with $N placeholders */
  int nparams;
  char **vals;      /* nparams text values (NULL = SQL NULL) */
  Oid *types;       /* 0 = inferred; text for a number the SQL skips */
  PGresult *res;
  int row, nrows;
  bool done;
  bool prepared; /* on the server, as "tg<address>" (cached statements) */
} pg_stmt;

#define CONN(s) ((PGconn *)(s)->conn)
#define PQS(q) ((pg_stmt *)(q))

static void quiet(void *ud, const char *msg) {
  (void)ud;
  (void)msg; /* the library never prints; notices are not errors */
}

static void keep_error(tg_store *s, const PGresult *r) {
  const char *m = r ? PQresultErrorMessage(r) : NULL;
  if (!m || !*m) m = PQerrorMessage(CONN(s));
  snprintf(s->errmsg, sizeof s->errmsg, "%s", m && *m ? m : "PostgreSQL: unknown error");
  size_t n = strlen(s->errmsg);
  while (n && isspace((unsigned char)s->errmsg[n - 1])) s->errmsg[--n] = '\0';
  /* lock_not_available: a write's lock_timeout ran out (another writer) */
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  s->busy = state && !strcmp(state, "55P03");
}

/* Outside a transaction, a broken connection is re-established (the
 * server restarted, or a failover moved the primary). */
static void revive(tg_store *s) {
  if (s->depth == 0 && PQstatus(CONN(s)) != CONNECTION_OK) {
    PQreset(CONN(s));
    s->conn_gen++; /* the statements prepared on it are gone */
    if (PQstatus(CONN(s)) == CONNECTION_OK) {
      PQsetNoticeProcessor(CONN(s), quiet, NULL);
      if (s->readonly) PQclear(PQexec(CONN(s), READ_ONLY));
    }
  }
}

static tg_status pg_open(tg_store *s, const char *where, tg_error *err) {
  PGconn *c = PQconnectdb(where);
  s->conn = c;
  if (!c) return tg__set_error(err, TG_ENOMEM, "out of memory");
  if (PQstatus(c) != CONNECTION_OK) {
    keep_error(s, NULL);
    return tg__set_error(err, TG_ESTORE, "cannot connect to PostgreSQL: %s", s->errmsg);
  }
  PQsetNoticeProcessor(c, quiet, NULL);
  if (s->readonly) {
    PGresult *r = PQexec(c, READ_ONLY);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) keep_error(s, r);
    PQclear(r);
    if (!ok) return tg__set_error(err, TG_ESTORE, "PostgreSQL: %s", s->errmsg);
  }
  return TG_OK;
}

static void pg_close(tg_store *s) {
  PQfinish(CONN(s));
  s->conn = NULL;
}

/* A statement that failed because the connection broke (the server
 * restarted) is sent once more on a fresh connection when that is safe:
 * outside a transaction, and only BEGIN or a read. */
static bool retry(tg_store *s, const char *sql) {
  if (s->depth != 0 || PQstatus(CONN(s)) == CONNECTION_OK) return false;
  while (isspace((unsigned char)*sql)) sql++;
  if (strncasecmp(sql, "BEGIN", 5) && strncasecmp(sql, "SELECT", 6)) return false;
  revive(s);
  return PQstatus(CONN(s)) == CONNECTION_OK;
}

static tg_status pg_exec(tg_store *s, const char *sql, tg_error *err) {
  revive(s);
  PGresult *r = PQexec(CONN(s), sql);
  ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && retry(s, sql)) {
    PQclear(r);
    r = PQexec(CONN(s), sql);
    t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  }
  if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
    keep_error(s, r);
    PQclear(r);
    if (s->busy)
      return tg__set_error(err, TG_EBUSY, "the database is locked by another writer; retry later");
    return tg__set_error(err, TG_ESTORE, "database: %s", s->errmsg);
  }
  s->changes = atoll(PQcmdTuples(r));
  PQclear(r);
  return TG_OK;
}

static tg_status pg_begin_write(tg_store *s, tg_error *err) {
  s->depth = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  /* the locks this transaction waits for (the write lock, then a row
   * another session locked) share one budget of busy_ms, then TG_EBUSY:
   * lock_timeout bounds each wait, so the second gets what is left.
   * BEGIN goes with the lock: one round trip (a lost connection is
   * retried whole, the transaction not having begun) */
  char sql[160];
  snprintf(sql, sizeof sql,
           "BEGIN; SET LOCAL lock_timeout = %d; SELECT pg_advisory_xact_lock(" WRITE_LOCK ")",
           s->busy_ms > 0 ? s->busy_ms : 0);
  tg_status st = pg_exec(s, sql, err);
  s->depth = 1; /* in the transaction now (or its failure): nothing is retried */
  if (st == TG_OK && s->busy_ms > 0) {
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long left = s->busy_ms - ((long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
    /* (the lock came within the millisecond: what is left is what is set) */
    if (left < s->busy_ms) {
      snprintf(sql, sizeof sql, "SET LOCAL lock_timeout = %ld", left < 1 ? 1 : left);
      st = pg_exec(s, sql, err);
    }
  }
  if (st != TG_OK) {
    pg_exec(s, "ROLLBACK", NULL);
    s->depth = 0;
  }
  return st;
}

/* Audit records only: no lock yet (lock_chain takes the chain's). */
static tg_status pg_begin_records(tg_store *s, tg_error *err) {
  s->depth = 0;
  char sql[80];
  snprintf(sql, sizeof sql, "BEGIN; SET LOCAL lock_timeout = %d", s->busy_ms > 0 ? s->busy_ms : 0);
  tg_status st = pg_exec(s, sql, err);
  s->depth = 1;
  if (st != TG_OK) {
    pg_exec(s, "ROLLBACK", NULL);
    s->depth = 0;
  }
  return st;
}

/* (each wait bounded by the transaction's lock_timeout) */
static tg_status pg_lock_ledger(tg_store *s, tg_error *err) {
  return pg_exec(s, "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")", err);
}
static tg_status pg_lock_chain(tg_store *s, tg_error *err) {
  return pg_exec(s, "SELECT pg_advisory_xact_lock(" CHAIN_LOCK ")", err);
}

/* The commit record goes into the WAL without waiting for its flush
 * (synchronous_commit off for this transaction alone), so the advisory
 * locks are released at once; then a transaction that writes one WAL
 * record (a logical-decoding message: one that only takes an id writes
 * none, and PostgreSQL does not flush its commit) commits with the
 * session's synchronous_commit (on): its flush (and a synchronous
 * standby's, if any) covers every WAL record before it, this commit's
 * included.  One round trip.  Should the second part fail, the
 * first may have committed: the same doubt as a COMMIT whose answer was
 * lost, and the caller treats it alike (nothing acknowledged). */
static tg_status pg_commit_early(tg_store *s, tg_error *err) {
  if (!s->early_commit) return pg_exec(s, "COMMIT", err);
  return pg_exec(s,
                 "SET LOCAL synchronous_commit = off; COMMIT; "
                 "BEGIN; SELECT pg_logical_emit_message(true, 'tollgate', 'flush'); COMMIT",
                 err);
}

static tg_status pg_begin_read(tg_store *s, tg_error *err) {
  s->depth = 0;
  return pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ", err);
}

/* `?` and `?N` outside quotes and comments become $N; *max gets the
 * highest number used (PostgreSQL wants exactly that many values). */
static char *placeholders(const char *sql, int *max, unsigned char used[100]) {
  tg__buf b;
  tg__buf_init(&b);
  int next = 1;
  *max = 0;
  for (const char *p = sql; *p;) {
    if (*p == '\'' || *p == '"') {
      char qch = *p;
      const char *e = p + 1;
      while (*e && *e != qch) e++;
      if (*e) e++;
      tg__buf_append(&b, p, (size_t)(e - p));
      p = e;
    } else if (p[0] == '-' && p[1] == '-') {
      const char *e = strchr(p, '\n');
      if (!e) e = p + strlen(p);
      tg__buf_append(&b, p, (size_t)(e - p));
      p = e;
    } else if (*p == '?') {
      p++;
      int n;
      if (isdigit((unsigned char)*p)) {
        n = (int)strtol(p, (char **)&p, 10);
      } else {
        n = next;
      }
      next = n + 1;
      if (n > *max) *max = n;
      if (n >= 0 && n < 100) used[n] = 1;
      tg__buf_printf(&b, "$%d", n);
    } else {
      tg__buf_append(&b, p, 1);
      p++;
    }
  }
  return tg__buf_detach(&b);
}

static tg_status pg_prepare(tg_store *s, const char *sql, tg_stmt **out, tg_error *err) {
  pg_stmt *q = tg__calloc(1, sizeof *q);
  unsigned char used[100] = {0};
  if (!q || !(q->sql = placeholders(sql, &q->nparams, used)) ||
      (q->nparams && (!(q->vals = tg__calloc((size_t)q->nparams, sizeof *q->vals)) ||
                      !(q->types = tg__calloc((size_t)q->nparams, sizeof *q->types))))) {
    if (q) {
      tg__free(q->sql);
      tg__free(q->vals);
    }
    tg__free(q);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  for (int i = 1; i <= q->nparams; i++)
    if (i >= 100 || !used[i]) q->types[i - 1] = 25; /* text */
  q->base.s = s;
  q->row = -1;
  *out = &q->base;
  return TG_OK;
}

/* Runs q once: a statement the store keeps is prepared on the server
 * the first time (per connection) and then only executed, saving the
 * parse and plan; any other goes with its text. */
static PGresult *run(tg_store *s, pg_stmt *q) {
  const char *const *vals = (const char *const *)q->vals;
  if (!q->base.cached)
    return PQexecParams(CONN(s), q->sql, q->nparams, q->types, vals, NULL, NULL, 0);
  char name[32];
  snprintf(name, sizeof name, "tg%lx", (unsigned long)(uintptr_t)q);
  if (!q->prepared || q->base.gen != s->conn_gen) {
    PGresult *r = PQprepare(CONN(s), name, q->sql, q->nparams, q->types);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) return r;
    PQclear(r);
    q->prepared = true;
    q->base.gen = s->conn_gen;
  }
  return PQexecPrepared(CONN(s), name, q->nparams, vals, NULL, NULL, 0);
}

static int pg_step(tg_stmt *base) {
  pg_stmt *q = PQS(base);
  tg_store *s = base->s;
  if (q->done) return TG__DONE;
  if (!q->res) {
    revive(s);
    q->res = run(s, q);
    ExecStatusType t = q->res ? PQresultStatus(q->res) : PGRES_FATAL_ERROR;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && retry(s, q->sql)) {
      PQclear(q->res);
      q->res = run(s, q);
      t = q->res ? PQresultStatus(q->res) : PGRES_FATAL_ERROR;
    }
    if (t == PGRES_COMMAND_OK) {
      s->changes = atoll(PQcmdTuples(q->res));
      q->done = true;
      return TG__DONE;
    }
    if (t != PGRES_TUPLES_OK) {
      keep_error(s, q->res);
      const char *state = q->res ? PQresultErrorField(q->res, PG_DIAG_SQLSTATE) : NULL;
      bool constraint = state && !strncmp(state, "23", 2); /* state lives in res */
      PQclear(q->res);
      q->res = NULL;
      return constraint ? TG__STEP_CONSTRAINT : TG__STEP_ERROR;
    }
    q->nrows = PQntuples(q->res);
    q->row = -1;
  }
  if (++q->row < q->nrows) return TG__ROW;
  s->changes = 0;
  q->done = true;
  return TG__DONE;
}

static void pg_reset(tg_stmt *base) {
  pg_stmt *q = PQS(base);
  PQclear(q->res);
  q->res = NULL;
  q->row = -1;
  q->nrows = 0;
  q->done = false;
}

static void pg_clear(tg_stmt *base) {
  pg_stmt *q = PQS(base);
  for (int i = 0; i < q->nparams; i++) {
    tg__free(q->vals[i]);
    q->vals[i] = NULL;
  }
}

static void pg_finalize(tg_stmt *base) {
  pg_stmt *q = PQS(base);
  PQclear(q->res);
  for (int i = 0; i < q->nparams; i++) tg__free(q->vals[i]);
  tg__free(q->vals);
  tg__free(q->types);
  tg__free(q->sql);
  tg__free(q);
}

static void pg_bind_text(tg_stmt *base, int i, const char *v) {
  pg_stmt *q = PQS(base);
  if (i < 1 || i > q->nparams) return;
  tg__free(q->vals[i - 1]);
  q->vals[i - 1] = v ? tg__strdup(v) : NULL;
}

static void pg_bind_int64(tg_stmt *base, int i, int64_t v) {
  char b[24];
  snprintf(b, sizeof b, "%lld", (long long)v);
  pg_bind_text(base, i, b);
}

static bool has_cell(pg_stmt *q, int i) {
  return q->res && q->row >= 0 && q->row < q->nrows && i >= 0 && i < PQnfields(q->res);
}

static int pg_col_count(tg_stmt *q) { return PQS(q)->res ? PQnfields(PQS(q)->res) : 0; }
static const char *pg_col_name(tg_stmt *q, int i) {
  return PQS(q)->res ? PQfname(PQS(q)->res, i) : NULL;
}

enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

static int pg_col_type(tg_stmt *base, int i) {
  pg_stmt *q = PQS(base);
  if (!has_cell(q, i) || PQgetisnull(q->res, q->row, i)) return TG__NULL;
  switch (PQftype(q->res, i)) {
  case OID_BOOL: case OID_INT8: case OID_INT2: case OID_INT4: return TG__INTEGER;
  case OID_FLOAT4: case OID_FLOAT8: return TG__FLOAT;
  case OID_NUMERIC: return strchr(PQgetvalue(q->res, q->row, i), '.') ? TG__FLOAT : TG__INTEGER;
  case OID_BYTEA: return TG__BLOB;
  default: return TG__TEXT;
  }
}

static const char *pg_col_text(tg_stmt *base, int i) {
  pg_stmt *q = PQS(base);
  if (!has_cell(q, i) || PQgetisnull(q->res, q->row, i)) return NULL;
  return PQgetvalue(q->res, q->row, i);
}

static int64_t pg_col_int64(tg_stmt *base, int i) {
  const char *t = pg_col_text(base, i);
  if (!t) return 0;
  if (PQftype(PQS(base)->res, i) == OID_BOOL) return *t == 't';
  return strtoll(t, NULL, 10);
}

static double pg_col_double(tg_stmt *base, int i) {
  const char *t = pg_col_text(base, i);
  return t ? strtod(t, NULL) : 0;
}

static int pg_col_bytes(tg_stmt *base, int i) {
  pg_stmt *q = PQS(base);
  return has_cell(q, i) ? PQgetlength(q->res, q->row, i) : 0;
}

static int64_t pg_last_id(tg_store *s) {
  PGresult *r = PQexec(CONN(s), "SELECT lastval()");
  int64_t v = 0;
  if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
    v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return v;
}

static tg_status pg_get_version(tg_store *s, int *v, tg_error *err) {
  *v = 0;
  revive(s);
  PGresult *r = PQexec(CONN(s), "SELECT to_regclass('tollgate_schema') IS NOT NULL");
  bool exists = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                PQgetvalue(r, 0, 0)[0] == 't';
  if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
    keep_error(s, r);
    PQclear(r);
    return tg__store_error(s, err, "cannot read schema version");
  }
  PQclear(r);
  if (!exists) return TG_OK;
  r = PQexec(CONN(s), "SELECT COALESCE(MAX(version), 0) FROM tollgate_schema");
  if (!r || PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
    keep_error(s, r);
    PQclear(r);
    return tg__store_error(s, err, "cannot read schema version");
  }
  *v = atoi(PQgetvalue(r, 0, 0));
  PQclear(r);
  return TG_OK;
}

static tg_status pg_set_version(tg_store *s, int v, tg_error *err) {
  char sql[160];
  snprintf(sql, sizeof sql,
           "CREATE TABLE IF NOT EXISTS tollgate_schema (version BIGINT NOT NULL); "
           "DELETE FROM tollgate_schema; INSERT INTO tollgate_schema VALUES (%d)", v);
  return pg_exec(s, sql, err);
}

static tg_status pg_setup(tg_store *s, tg_error *err) {
  /* every commit waits for its WAL flush (the server's default, made
   * sure; a group commit's through its second transaction) */
  tg_status st = pg_exec(s, "SET synchronous_commit = on", err);
  if (st != TG_OK) return st;
  /* a group commit's early commit writes a logical-decoding message: where
   * the role may not (EXECUTE revoked), a plain COMMIT, asked once here
   * rather than failing after the first part has committed */
  PGresult *r = PQexec(CONN(s), "SELECT has_function_privilege("
                                "'pg_logical_emit_message(boolean, text, text)', 'EXECUTE')");
  s->early_commit = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                    !strcmp(PQgetvalue(r, 0, 0), "t");
  PQclear(r);
  return TG_OK;
}

/* SQLite's column types in PostgreSQL's words: INTEGER is 64-bit
 * (BIGINT), an INTEGER PRIMARY KEY assigns ids itself, REAL is DOUBLE
 * PRECISION, BLOB is BYTEA.  Comments and quoted text are kept. */
static char *pg_translate(const char *sql) {
  tg__buf b;
  tg__buf_init(&b);
  for (const char *p = sql; *p;) {
    if (*p == '\'' || (p[0] == '-' && p[1] == '-')) {
      const char *e = *p == '\'' ? strchr(p + 1, '\'') : strchr(p, '\n');
      e = e ? e + 1 : p + strlen(p);
      tg__buf_append(&b, p, (size_t)(e - p));
      p = e;
    } else if (isalpha((unsigned char)*p) || *p == '_') {
      const char *e = p;
      while (isalnum((unsigned char)*e) || *e == '_') e++;
      size_t n = (size_t)(e - p);
      if (n == 7 && !strncasecmp(p, "INTEGER", 7)) {
        const char *k = e;
        while (isspace((unsigned char)*k)) k++;
        tg__buf_puts(&b, !strncasecmp(k, "PRIMARY KEY", 11)
                             ? "BIGINT GENERATED BY DEFAULT AS IDENTITY"
                             : "BIGINT");
      } else if (n == 4 && !strncasecmp(p, "REAL", 4)) {
        tg__buf_puts(&b, "DOUBLE PRECISION");
      } else if (n == 4 && !strncasecmp(p, "BLOB", 4)) {
        tg__buf_puts(&b, "BYTEA");
      } else {
        tg__buf_append(&b, p, n);
      }
      p = e;
    } else {
      tg__buf_append(&b, p, 1);
      p++;
    }
  }
  return tg__buf_detach(&b);
}

/* Identity columns continue after the largest id copied in. */
static tg_status pg_ids_follow(tg_store *s, const char *table, tg_error *err) {
  const char *vals[1] = {table};
  PGresult *r = PQexecParams(CONN(s),
                             "SELECT column_name FROM information_schema.columns WHERE "
                             "table_schema = current_schema() AND table_name = $1 AND "
                             "is_identity = 'YES'",
                             1, NULL, vals, NULL, NULL, 0);
  if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
    keep_error(s, r);
    PQclear(r);
    return tg__store_error(s, err, "cannot read the identity columns");
  }
  tg_status st = TG_OK;
  for (int i = 0; st == TG_OK && i < PQntuples(r); i++) {
    char *t = PQescapeIdentifier(CONN(s), table, strlen(table));
    char *c = PQescapeIdentifier(CONN(s), PQgetvalue(r, i, 0), strlen(PQgetvalue(r, i, 0)));
    tg__buf sql;
    tg__buf_init(&sql);
    tg__buf_printf(&sql, "SELECT setval(pg_get_serial_sequence('%s', '%s'), "
                   "COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)",
                   table, PQgetvalue(r, i, 0), c ? c : "id", t ? t : table);
    PQfreemem(t);
    PQfreemem(c);
    st = sql.oom ? tg__set_error(err, TG_ENOMEM, "out of memory") : pg_exec(s, sql.data, err);
    tg__buf_free(&sql);
  }
  PQclear(r);
  return st;
}

const tg__backend tg__pg_backend = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .begin_write = pg_begin_write,
    .begin_records = pg_begin_records,
    .lock_ledger = pg_lock_ledger,
    .lock_chain = pg_lock_chain,
    .commit_early = pg_commit_early,
    .begin_read = pg_begin_read,
    .prepare = pg_prepare,
    .step = pg_step,
    .reset = pg_reset,
    .clear = pg_clear,
    .finalize = pg_finalize,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .col_type = pg_col_type,
    .col_int64 = pg_col_int64,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_bytes = pg_col_bytes,
    .last_id = pg_last_id,
    .get_version = pg_get_version,
    .set_version = pg_set_version,
    .setup = pg_setup,
    .translate = pg_translate,
    .tables_sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                  "current_schema() AND table_type = 'BASE TABLE' AND table_name <> "
                  "'tollgate_schema' ORDER BY table_name",
    .ids_follow = pg_ids_follow,
    .backup = NULL,
};
