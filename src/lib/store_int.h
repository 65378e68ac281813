/* store_int.h - the one storage interface every module uses (ledger,
 * audit, lists, tokens): open a backend, transactions, and prepared
 * statements with `?` / `?N` placeholders (bind, step, column).  Two
 * backends implement it (store_sqlite.c, store_pg.c); no other file calls
 * a database library. */
#ifndef TG_STORE_INT_H
#define TG_STORE_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "tg_int.h"

/* tg__step results (numerically SQLite's, which keeps them familiar). */
enum { TG__STEP_ERROR = 1, TG__STEP_CONSTRAINT = 19, TG__ROW = 100, TG__DONE = 101 };
/* tg__col_type results. */
enum { TG__INTEGER = 1, TG__FLOAT = 2, TG__TEXT = 3, TG__BLOB = 4, TG__NULL = 5 };

typedef struct tg_stmt tg_stmt;
typedef struct tg__backend tg__backend;

/* Prepared statements kept per connection, by their SQL text (store.c):
 * tg__store_prepare hands out a kept one (reset, bindings cleared) and
 * tg__finalize gives it back instead of finalizing it. */
#define TG__STMT_CACHE 64
typedef struct tg__stmt_slot {
  uint64_t hash;
  char *sql;
  tg_stmt *q;
} tg__stmt_slot;

/* What a license has drawn, as the ledger last summed it (ledger_license.c):
 * valid for the shipments with id <= usage_upto; rows after it are added
 * when next needed.  Ids grow in commit order because writers serialize. */
#define TG__USAGE_CACHE 16
typedef struct tg__usage {
  int64_t license_id;
  __int128 qty, value;
  int64_t count;
} tg__usage;

/* An audit record appended while appends are deferred (audit.c): its
 * place in the chain (seq, prev, hash) is fixed and the row written by
 * tg__audit_flush, under the chain's lock. */
typedef struct tg__audit_rec {
  int64_t seq;
  char at[21], prev[65], hash[65];
  char *actor, *action, *subject, *content;
} tg__audit_rec;

/* Determination hashes a store remembers as already stored. */
#define TG__DET_CACHE 32

struct tg_store {
  const tg__backend *be;
  void *conn;                /* the backend's connection */
  const tg_engine *engine;
  int schema_version;
  char *path;                /* as given to tg_store_open */
  char errmsg[512];          /* the backend's last error */
  int64_t changes;           /* rows changed by the last statement */
  int depth;                 /* open transaction (1) and savepoints */
  int busy_ms;               /* a write's wait for another writer's lock */
  bool readonly;             /* opened for reads only (tg_store_open_reader) */
  bool busy;                 /* the last error was that wait running out */
  unsigned long batches_redone; /* group commits whose fast way met an error
                                  and were written again the careful way */
  tg_clock_fn clock;         /* ledger: audit timestamps (NULL = system clock) */
  /* ledger: the digest of the rule sets of `digest_engine` (an engine
   * never changes, so it is computed once per store and engine) */
  const tg_engine *digest_engine;
  char rules_sha[65];
  struct json_t *rule_ids;
  void *clock_ud;
  unsigned conn_gen;         /* bumped when the backend reconnects */
  pthread_mutex_t cache_mu;  /* the statement cache (readers share a store) */
  struct tg__token_cache *token_cache; /* verified tokens (token_cache.c), made on first use */
  tg__stmt_slot stmts[TG__STMT_CACHE];
  /* Ledger caches, valid only inside the current write transaction and
   * until a rollback (tg__store_forget clears them):  */
  bool writing;              /* inside a write transaction (tg__store_begin) */
  bool rules_checked;        /* rules.load already matches (ledger_ship.c) */
  bool ledger_locked;        /* this transaction holds the ledger's lock */
  bool chain_locked;         /* ... and the audit chain's (taken late) */
  bool early_commit;         /* PostgreSQL: the role may write the flush's
                                WAL message (commit_early; else COMMIT) */
  bool audit_head_known;     /* the chain's last record (audit.c) */
  int64_t audit_seq;
  char audit_hash[65];
  bool usage_current;        /* usage below counts every row of shipments */
  /* audit records chained but not yet written (a group commit writes them
   * in one multi-row INSERT before its COMMIT; a rollback drops them) */
  bool audit_defer;
  tg__audit_rec *aq;
  size_t naq, caq;
  /* ... and kept across transactions, dropped on any rollback: */
  int64_t usage_upto;
  int nusage;
  tg__usage usage[TG__USAGE_CACHE];
  /* determinations (by hash) known to be stored: committed, or written
   * by this transaction (a ring; ledger_ship.c) */
  int ndet, det_next;
  char det[TG__DET_CACHE][65];
};

/* Every backend's statement starts with this. */
struct tg_stmt {
  tg_store *s;
  bool cached; /* kept in s->stmts: tg__finalize gives it back */
  bool busy;   /* handed out and not yet given back */
  unsigned gen; /* backend: s->conn_gen it was prepared on */
};

/* One embedded migration (generated from data/migrations at build time). */
typedef struct tg__migration {
  int number;
  const char *backend; /* "" = every backend (translated), or a backend's name */
  const char *name;
  const char *sql;
} tg__migration;
extern const tg__migration tg__migrations[];
extern const int tg__migration_count;

/* A backend: the operations store.c dispatches to. */
struct tg__backend {
  const char *name; /* "sqlite", "postgresql" */
  tg_status (*open)(tg_store *s, const char *where, tg_error *err);
  void (*close)(tg_store *s);
  tg_status (*exec)(tg_store *s, const char *sql, tg_error *err);
  /* A write transaction: all writers serialize (SQLite BEGIN IMMEDIATE,
   * PostgreSQL a transaction-scoped advisory lock). */
  tg_status (*begin_write)(tg_store *s, tg_error *err);
  /* A write transaction that takes neither lock yet (audit records
   * only; NULL: begin_write), and the two locks taken inside one: the
   * ledger's, then the audit chain's (PostgreSQL advisory locks; NULL:
   * begin_write's lock covers both, as SQLite's does). */
  tg_status (*begin_records)(tg_store *s, tg_error *err);
  tg_status (*lock_ledger)(tg_store *s, tg_error *err);
  tg_status (*lock_chain)(tg_store *s, tg_error *err);
  /* Commits a group commit's transaction so that its locks go before
   * its WAL flush, then waits for that flush (NULL: plain COMMIT).  See
   * tg__store_commit_early. */
  tg_status (*commit_early)(tg_store *s, tg_error *err);
  /* A read transaction: one consistent snapshot. */
  tg_status (*begin_read)(tg_store *s, tg_error *err);
  tg_status (*prepare)(tg_store *s, const char *sql, tg_stmt **out, tg_error *err);
  int (*step)(tg_stmt *q);
  void (*reset)(tg_stmt *q);
  void (*clear)(tg_stmt *q); /* unbinds every parameter (null) */
  void (*finalize)(tg_stmt *q);
  void (*bind_int64)(tg_stmt *q, int i, int64_t v);
  void (*bind_text)(tg_stmt *q, int i, const char *v); /* copied; NULL binds null */
  int (*col_count)(tg_stmt *q);
  const char *(*col_name)(tg_stmt *q, int i);
  int (*col_type)(tg_stmt *q, int i);
  int64_t (*col_int64)(tg_stmt *q, int i);
  double (*col_double)(tg_stmt *q, int i);
  const char *(*col_text)(tg_stmt *q, int i);
  int (*col_bytes)(tg_stmt *q, int i);
  int64_t (*last_id)(tg_store *s);
  /* Schema version (0 = empty database) and setting it inside a migration. */
  tg_status (*get_version)(tg_store *s, int *v, tg_error *err);
  tg_status (*set_version)(tg_store *s, int v, tg_error *err);
  /* Settings applied once the version is known to be ours. */
  tg_status (*setup)(tg_store *s, tg_error *err);
  /* A shared migration's text for this backend (caller frees). */
  char *(*translate)(const char *sql);
  /* SQL listing the ledger's tables, parents before children. */
  const char *tables_sql;
  /* After rows with explicit ids were copied into `table`: make the ids it
   * assigns itself continue after them (NULL: nothing to do). */
  tg_status (*ids_follow)(tg_store *s, const char *table, tg_error *err);
  /* A consistent copy to a new SQLite file (NULL: not offered). */
  tg_status (*backup)(tg_store *s, const char *path, tg_error *err);
};

extern const tg__backend tg__sqlite_backend;
extern const tg__backend tg__pg_backend;

/* Transactions.  begin takes the write lock at once, so check-then-write
 * is one transaction; begin_read gives a snapshot; savepoints nest inside
 * a transaction (a batch's items): rollback_to undoes the newest one, and
 * release keeps its changes (the savepoint itself ends with the COMMIT). */
tg_status tg__store_begin(tg_store *s, tg_error *err);
/* Two locks order the writers (docs/DEPLOYMENT.md): the ledger's, which
 * tg__store_begin takes, and the audit chain's, taken only to read the
 * chain's head and held to the commit, so appends are serialized while a
 * shipment batch's checks do not hold up a record that only appends.
 * begin_records begins with neither (a transaction of audit records
 * only); lock_ledger takes the ledger's (before the chain's: always in
 * that order) and lock_chain the chain's, each once per transaction. */
tg_status tg__store_begin_records(tg_store *s, tg_error *err);
tg_status tg__store_lock_ledger(tg_store *s, tg_error *err);
tg_status tg__store_lock_chain(tg_store *s, tg_error *err);
tg_status tg__store_begin_read(tg_store *s, tg_error *err);
tg_status tg__store_commit(tg_store *s, tg_error *err);
/* tg__store_commit for a group commit (ledger_ship.c): as durable when it
 * returns TG_OK, but on PostgreSQL the ledger's and the chain's locks are
 * released once the commit is in the WAL, before its flush, which it then
 * waits for (docs/DEPLOYMENT.md, "Locks released before the WAL flush").  A
 * transaction that sees this one's rows commits after it in the WAL, so
 * it cannot be durable unless this one is.  Other writes keep the plain
 * commit: their readers must never see what a crash could take back. */
tg_status tg__store_commit_early(tg_store *s, tg_error *err);
void tg__store_rollback(tg_store *s);
tg_status tg__store_savepoint(tg_store *s, tg_error *err);
tg_status tg__store_release(tg_store *s, tg_error *err);
void tg__store_rollback_to(tg_store *s);
/* Runs SQL with no results (several statements allowed). */
tg_status tg__store_exec(tg_store *s, const char *sql, tg_error *err);
/* Prepares a statement (or hands out the one kept for the same SQL on
 * this connection, reset and unbound); on failure fills err with the
 * backend's message.  Give it back with tg__finalize. */
tg_status tg__store_prepare(tg_store *s, const char *sql, tg_stmt **st, tg_error *err);
/* Forgets the ledger caches of the current transaction (any rollback does;
 * the usage sums too, since they may hold rows rolled back). */
void tg__store_forget(tg_store *s, bool usage);
/* Multi-row INSERTs: "HEAD VALUES (LEAD?,...,?), ... TAIL" with nrows rows
 * of one placeholder per letter of cols, 't' text and 'i' an integer
 * (lead: fixed leading values, e.g. "'x', "); NULL when out of memory.
 * An integer's placeholder is CAST(? AS BIGINT): PostgreSQL types the
 * parameters of a VALUES list of several rows from the list alone, as
 * text, and refuses text for an integer column (a single row takes the
 * column's type).  Rows go in chunks of tg__rows_chunk(left) rows: all
 * that are left, up to 64, so a batch's rows take one statement (one
 * round trip) rather than one per power of two; each size is prepared
 * once per connection while the statement cache has room, and run from
 * its text after that. */
char *tg__values_sql(const char *head, const char *lead, const char *cols, size_t nrows,
                     const char *tail);
size_t tg__rows_chunk(size_t left);
/* Drops the deferred audit records (and stops deferring). */
void tg__store_drop_audit(tg_store *s);
/* Maps the backend's last error to TG_ESTORE with its message. */
tg_status tg__store_error(tg_store *s, tg_error *err, const char *what);
const char *tg__store_errmsg(tg_store *s);
/* The backend's name: "sqlite" or "postgresql". */
const char *tg__store_backend(const tg_store *s);

/* Statements: placeholders are numbered from 1. */
int tg__step(tg_stmt *q);
void tg__reset(tg_stmt *q); /* keeps the bindings */
void tg__finalize(tg_stmt *q);
void tg__bind_int64(tg_stmt *q, int i, int64_t v);
void tg__bind_text(tg_stmt *q, int i, const char *v);
void tg__bind_null(tg_stmt *q, int i);
int tg__col_count(tg_stmt *q);
const char *tg__col_name(tg_stmt *q, int i);
int tg__col_type(tg_stmt *q, int i);
int64_t tg__col_int64(tg_stmt *q, int i);
int tg__col_int(tg_stmt *q, int i);
double tg__col_double(tg_stmt *q, int i);
const char *tg__col_text(tg_stmt *q, int i); /* NULL for SQL NULL */
int tg__col_bytes(tg_stmt *q, int i);
/* Keyset paging (tg_page) inside a listing's query: tg__page_sql appends
 * " LIMIT n+1" (the extra row tells that more follow); in the row loop,
 * tg__page_full says the page is full (the row just read is that extra
 * one: stop) and tg__page_keep records each kept row's key; after a loop
 * that ran to the end, tg__page_last says none follow.  page NULL: all. */
void tg__page_sql(const tg_page *p, tg__buf *sql);
bool tg__page_full(const tg_page *p, size_t kept);
void tg__page_keep(tg_page *p, const char *key);
void tg__page_keep_int(tg_page *p, int64_t key);
void tg__page_last(tg_page *p);
/* The cursor as a whole number (ids, seqs); TG_EINVAL naming it otherwise. */
tg_status tg__page_after_int(const tg_page *p, int64_t *out, tg_error *err);

/* Hex SHA-256 of data (65 bytes with the NUL): content hashes (the
 * determinations, the audit chain); SQL has it as tg_sha256(text). */
void tg__sha256_hex(const void *data, size_t len, char out[65]);

/* The id the last INSERT gave its row; rows the last statement changed. */
int64_t tg__last_id(tg_store *s);
int64_t tg__changes(tg_store *s);

#endif
