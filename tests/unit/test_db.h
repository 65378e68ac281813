/* test_db.h - where a test's database lives: a SQLite file in the test's
 * temporary directory, or, when TG_TEST_BACKEND=postgresql (set by ctest
 * for the unit.pg.* runs), a fresh database on the throwaway cluster that
 * tests/pg_cluster.sh started (PGHOST/PGPORT/PGUSER in the environment). */
#ifndef TG_TEST_DB_H
#define TG_TEST_DB_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int tdb_is_pg(void) {
  const char *b = getenv("TG_TEST_BACKEND");
  return b && !strcmp(b, "postgresql");
}

/* Fills loc (n bytes) with the database for a test whose temporary
 * directory is dir; 0 on success. */
static inline int tdb_create(const char *dir, char *loc, size_t n) {
  if (!tdb_is_pg()) {
    snprintf(loc, n, "%s/t.db", dir);
    return 0;
  }
  char name[64] = "tg_";
  const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
  size_t k = strlen(name);
  for (; *base && k < sizeof name - 1; base++)
    if (isalnum((unsigned char)*base)) name[k++] = (char)tolower((unsigned char)*base);
  name[k] = '\0';
  char cmd[160];
  snprintf(cmd, sizeof cmd, "createdb '%s'", name);
  if (system(cmd) != 0) return -1;
  snprintf(loc, n, "postgresql:///%s", name);
  return 0;
}

/* Drops a database tdb_create made on PostgreSQL (files go with the dir). */
static inline void tdb_drop(const char *loc) {
  if (strncmp(loc, "postgresql:///", 14) != 0) return;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "dropdb --if-exists '%s'", loc + 14);
  if (system(cmd) != 0) fprintf(stderr, "could not drop %s\n", loc + 14);
}

#endif
