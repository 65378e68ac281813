/* ledger_backup.c - copying the whole database with SQLite's online
 * backup API: a consistent snapshot while other connections go on. */
#include "ledger_int.h"

#include <stdio.h>

tg_status tg_store_backup(tg_store *s, const char *path, tg_error *err) {
  if (!s || !path || !*path) return tg__set_error(err, TG_EINVAL, "tg_store_backup: missing argument");
  sqlite3 *dst = NULL;
  if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    tg_status st = tg__set_error(err, TG_EIO, "cannot open backup '%s': %s", path,
                                 dst ? sqlite3_errmsg(dst) : "out of memory");
    sqlite3_close(dst);
    return st;
  }
  sqlite3_busy_timeout(dst, 10000);
  sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
  if (!b) {
    tg_status st = tg__set_error(err, TG_EIO, "cannot back up to '%s': %s", path, sqlite3_errmsg(dst));
    sqlite3_close(dst);
    return st;
  }
  int rc;
  /* copy in steps so writers are not held off for the whole copy */
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
