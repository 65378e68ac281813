/* store_int.h - the narrow store interface modules use (ledger, lists,
 * tokens): the SQLite handle, transactions and statement helpers.  Kept
 * narrow so another database can take SQLite's place later. */
#ifndef TG_STORE_INT_H
#define TG_STORE_INT_H

#include <sqlite3.h>

#include "tg_int.h"

struct tg_store {
  sqlite3 *db;
  const tg_engine *engine;
  int schema_version;
  char *path;
  tg_clock_fn clock; /* ledger: audit timestamps (NULL = system clock) */
  void *clock_ud;
};

/* BEGIN IMMEDIATE (takes the write lock at once, so check-then-write is
 * one transaction), COMMIT, ROLLBACK. */
tg_status tg__store_begin(tg_store *s, tg_error *err);
tg_status tg__store_commit(tg_store *s, tg_error *err);
void tg__store_rollback(tg_store *s);
/* Runs SQL with no results. */
tg_status tg__store_exec(tg_store *s, const char *sql, tg_error *err);
/* Prepares a statement; on failure fills err with SQLite's message. */
tg_status tg__store_prepare(tg_store *s, const char *sql, sqlite3_stmt **st,
                            tg_error *err);
/* Maps the last SQLite error to TG_ESTORE with its message. */
tg_status tg__store_error(tg_store *s, tg_error *err, const char *what);

#endif
