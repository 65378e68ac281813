/* store.c - opening the SQLite database: WAL mode, durable commits, busy
 * timeout, and versioned migrations read from DATA_DIR/migrations/NNN_*.sql
 * (applied in order, each in its own transaction; PRAGMA user_version is
 * the schema version).  A database newer than this build is refused. */
#include "store_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tg_status tg__store_error(tg_store *s, tg_error *err, const char *what) {
  if (s && s->db && (sqlite3_errcode(s->db) == SQLITE_BUSY || sqlite3_errcode(s->db) == SQLITE_LOCKED))
    return tg__set_error(err, TG_EBUSY, "%s: the database is locked by another writer; retry later",
                         what);
  return tg__set_error(err, TG_ESTORE, "%s: %s", what,
                       s && s->db ? sqlite3_errmsg(s->db) : "no database");
}

tg_status tg__store_exec(tg_store *s, const char *sql, tg_error *err) {
  char *msg = NULL;
  int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    sqlite3_free(msg);
    return tg__store_error(s, err, "database");
  }
  if (rc != SQLITE_OK) {
    tg_status st = tg__set_error(err, TG_ESTORE, "database: %s",
                                 msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return st;
  }
  return TG_OK;
}

tg_status tg__store_prepare(tg_store *s, const char *sql, sqlite3_stmt **st,
                            tg_error *err) {
  if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
    return tg__store_error(s, err, "cannot prepare statement");
  return TG_OK;
}

tg_status tg__store_begin(tg_store *s, tg_error *err) {
  return tg__store_exec(s, "BEGIN IMMEDIATE", err);
}
tg_status tg__store_commit(tg_store *s, tg_error *err) {
  return tg__store_exec(s, "COMMIT", err);
}
void tg__store_rollback(tg_store *s) {
  if (!sqlite3_get_autocommit(s->db))
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists NNN_*.sql in dir, sorted; each must start with its number. */
static tg_status list_migrations(const char *dir, char ***names, int *count,
                                 tg_error *err) {
  *names = NULL;
  *count = 0;
  DIR *d = opendir(dir);
  if (!d) return tg__set_error(err, TG_EIO, "cannot open migrations directory '%s'", dir);
  char **v = NULL;
  int n = 0, cap = 0;
  struct dirent *de;
  tg_status st = TG_OK;
  while ((de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    if (l < 8 || strcmp(de->d_name + l - 4, ".sql") != 0) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 8;
      char **nv = tg__realloc(v, (size_t)cap * sizeof *v);
      if (!nv) { st = TG_ENOMEM; break; }
      v = nv;
    }
    if (!(v[n] = tg__strdup(de->d_name))) { st = TG_ENOMEM; break; }
    n++;
  }
  closedir(d);
  if (st != TG_OK) {
    for (int i = 0; i < n; i++) tg__free(v[i]);
    tg__free(v);
    return tg__set_error(err, st, "out of memory listing migrations");
  }
  qsort(v, (size_t)n, sizeof *v, cmp_names);
  for (int i = 0; i < n; i++) {
    if (atoi(v[i]) != i + 1) {
      st = tg__set_error(err, TG_EPARSE,
                         "%s/%s: expected migration number %03d", dir, v[i], i + 1);
      for (int j = 0; j < n; j++) tg__free(v[j]);
      tg__free(v);
      return st;
    }
  }
  *names = v;
  *count = n;
  return TG_OK;
}

static tg_status migrate(tg_store *s, const char *dir, tg_error *err) {
  char **names;
  int count;
  tg_status st = list_migrations(dir, &names, &count, err);
  if (st != TG_OK) return st;
  sqlite3_stmt *q;
  int version = 0;
  if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK) {
    if (sqlite3_step(q) == SQLITE_ROW) version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
  } else {
    st = tg__store_error(s, err, "cannot read schema version");
    goto done;
  }
  if (version > count) {
    st = tg__set_error(err, TG_EVERSION,
                       "database '%s' has schema version %d but this Tollgate "
                       "knows only %d; use a newer Tollgate (the database was "
                       "not changed)", s->path, version, count);
    goto done;
  }
  /* Only now, with the version known to be ours, change the file. */
  if ((st = tg__store_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                              " PRAGMA foreign_keys=ON;", err)) != TG_OK)
    goto done;
  for (int i = version; i < count; i++) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path) {
      st = tg__set_error(err, TG_EINVAL, "path too long: %s", dir);
      goto done;
    }
    char *sql;
    if ((st = tg__read_file(path, &sql, NULL, err)) != TG_OK) goto done;
    if ((st = tg__store_begin(s, err)) == TG_OK) {
      char pragma[64];
      snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", i + 1);
      st = tg__store_exec(s, sql, err);
      if (st == TG_OK) st = tg__store_exec(s, pragma, err);
      if (st == TG_OK) st = tg__store_commit(s, err);
      if (st != TG_OK) tg__store_rollback(s);
    }
    tg__free(sql);
    if (st != TG_OK) {
      char inner[sizeof err->message];
      if (err) {
        memcpy(inner, err->message, sizeof inner);
        tg__set_error(err, st, "migration %s failed: %.400s", names[i], inner);
      }
      goto done;
    }
    version = i + 1;
  }
  s->schema_version = version;
done:
  for (int i = 0; i < count; i++) tg__free(names[i]);
  tg__free(names);
  return st;
}

tg_status tg_store_open(const tg_engine *e, const char *path, tg_store **out,
                        tg_error *err) {
  if (!e || !path || !out) return tg__set_error(err, TG_EINVAL, "tg_store_open: missing argument");
  *out = NULL;
  tg_store *s = tg__calloc(1, sizeof *s);
  if (!s || !(s->path = tg__strdup(path))) {
    tg__free(s);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  s->engine = e;
  tg_status st;
  if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                        SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
    st = tg__set_error(err, TG_ESTORE, "cannot open database '%s': %s", path,
                       s->db ? sqlite3_errmsg(s->db) : "out of memory");
    goto fail;
  }
  sqlite3_busy_timeout(s->db, 10000);
  char dir[4096];
  if (snprintf(dir, sizeof dir, "%s/migrations", tg_engine_data_dir(e)) >= (int)sizeof dir) {
    st = tg__set_error(err, TG_EINVAL, "data directory path too long");
    goto fail;
  }
  if ((st = migrate(s, dir, err)) != TG_OK) goto fail;
  *out = s;
  return TG_OK;
fail:
  tg_store_close(s);
  return st;
}

void tg_store_set_busy_timeout(tg_store *s, int ms) {
  if (s && s->db) sqlite3_busy_timeout(s->db, ms);
}

tg_status tg_store_open_reader(const tg_store *s, tg_store **out, tg_error *err) {
  if (!s || !out) return tg__set_error(err, TG_EINVAL, "tg_store_open_reader: missing argument");
  *out = NULL;
  tg_store *r = tg__calloc(1, sizeof *r);
  if (!r || !(r->path = tg__strdup(s->path))) {
    tg__free(r);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  r->engine = s->engine;
  r->schema_version = s->schema_version;
  if (sqlite3_open_v2(s->path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) !=
      SQLITE_OK) {
    tg_status st = tg__set_error(err, TG_ESTORE, "cannot open database '%s' for reading: %s",
                                 s->path, r->db ? sqlite3_errmsg(r->db) : "out of memory");
    tg_store_close(r);
    return st;
  }
  sqlite3_busy_timeout(r->db, 1000);
  *out = r;
  return TG_OK;
}

void tg_store_close(tg_store *s) {
  if (!s) return;
  sqlite3_close(s->db);
  tg__free(s->path);
  tg__free(s);
}

int tg_store_schema_version(const tg_store *s) { return s ? s->schema_version : 0; }
