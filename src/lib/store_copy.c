/* store_copy.c - copying a whole database into an empty one of any backend
 * (`tollgate migrate`): every table the source has, in its order, row by
 * row with the values' own types, in one write transaction on the
 * destination; then the destination's audit chain is verified. */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

/* Rows in table (TG_OK with *n). */
static tg_status count_rows(tg_store *s, const char *table, int64_t *n, tg_error *err) {
  char sql[200];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, sql, &q, err);
  if (st != TG_OK) return st;
  if (tg__step(q) == TG__ROW) *n = tg__col_int64(q, 0);
  else st = tg__store_error(s, err, "cannot count rows");
  tg__finalize(q);
  return st;
}

/* Table names are the schema's own; refuse anything else in SQL. */
static bool plain_name(const char *t) {
  if (!*t || strlen(t) > 60) return false;
  for (; *t; t++)
    if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '_')) return false;
  return true;
}

static tg_status copy_table(tg_store *from, tg_store *to, const char *table, int64_t *rows,
                            tg_error *err) {
  char sql[200];
  snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
  tg_stmt *q, *ins = NULL;
  tg_status st = tg__store_prepare(from, sql, &q, err);
  if (st != TG_OK) return st;
  int rc;
  *rows = 0;
  while (st == TG_OK && (rc = tg__step(q)) == TG__ROW) {
    int n = tg__col_count(q);
    if (!ins) {
      tg__buf b;
      tg__buf_init(&b);
      tg__buf_printf(&b, "INSERT INTO %s (", table);
      for (int i = 0; i < n; i++) tg__buf_printf(&b, "%s%s", i ? ", " : "", tg__col_name(q, i));
      tg__buf_puts(&b, ") VALUES (");
      for (int i = 0; i < n; i++) tg__buf_puts(&b, i ? ", ?" : "?");
      tg__buf_puts(&b, ")");
      st = b.oom ? tg__set_error(err, TG_ENOMEM, "out of memory")
                 : tg__store_prepare(to, b.data, &ins, err);
      tg__buf_free(&b);
      if (st != TG_OK) break;
    }
    tg__reset(ins);
    for (int i = 0; i < n; i++) {
      switch (tg__col_type(q, i)) {
      case TG__INTEGER: tg__bind_int64(ins, i + 1, tg__col_int64(q, i)); break;
      case TG__NULL: tg__bind_null(ins, i + 1); break;
      default: tg__bind_text(ins, i + 1, tg__col_text(q, i)); break;
      }
    }
    if (tg__step(ins) != TG__DONE) {
      char what[120];
      snprintf(what, sizeof what, "cannot copy a row of %s", table);
      st = tg__store_error(to, err, what);
    }
    (*rows)++;
  }
  if (st == TG_OK && rc != TG__DONE) st = tg__store_error(from, err, "cannot read the source");
  tg__finalize(ins);
  tg__finalize(q);
  if (st == TG_OK && to->be->ids_follow) st = to->be->ids_follow(to, table, err);
  return st;
}

tg_status tg_store_copy(tg_store *from, tg_store *to, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!from || !to) return tg__set_error(err, TG_EINVAL, "tg_store_copy: missing argument");
  if (from->schema_version != to->schema_version)
    return tg__set_error(err, TG_EVERSION, "schema versions differ (%d and %d)",
                         from->schema_version, to->schema_version);
  char *names[64];
  int nt = 0;
  tg_stmt *q;
  tg_status st = tg__store_prepare(from, from->be->tables_sql, &q, err);
  if (st != TG_OK) return st;
  while (nt < 64 && tg__step(q) == TG__ROW)
    if (!(names[nt++] = tg__strdup(tg__col_text(q, 0)))) st = TG_ENOMEM;
  tg__finalize(q);
  tg__buf report;
  tg__buf_init(&report);
  tg__buf_puts(&report, "{\"tables\": {");
  for (int i = 0; st == TG_OK && i < nt; i++) {
    int64_t n = 0;
    if (!plain_name(names[i])) {
      st = tg__set_error(err, TG_EINVAL, "unexpected table name '%s' in the source", names[i]);
    } else if ((st = count_rows(to, names[i], &n, err)) == TG_OK && n > 0) {
      st = tg__set_error(err, TG_ECONFLICT,
                         "the destination is not empty (%s has %lld rows); migrate copies into "
                         "a new, empty database", names[i], (long long)n);
    }
  }
  if (st == TG_OK && (st = tg__store_begin_read(from, err)) == TG_OK) {
    if ((st = tg__store_begin(to, err)) == TG_OK) {
      for (int i = 0; st == TG_OK && i < nt; i++) {
        int64_t rows = 0;
        st = copy_table(from, to, names[i], &rows, err);
        tg__buf_printf(&report, "%s\"%s\": %lld", i ? ", " : "", names[i], (long long)rows);
      }
      if (st == TG_OK) st = tg__store_commit(to, err);
      if (st != TG_OK) tg__store_rollback(to);
    }
    tg__store_rollback(from);
  }
  for (int i = 0; i < nt; i++) tg__free(names[i]);
  char *verdict = NULL;
  /* on arrival: the chain must verify where it landed */
  if (st == TG_OK && (st = tg_audit_verify(to, &verdict, err)) == TG_OK)
    tg__buf_printf(&report, "}, \"verify\": %s}", verdict);
  tg_free(verdict);
  char *out = tg__buf_detach(&report);
  if (st == TG_OK && !out) st = tg__set_error(err, TG_ENOMEM, "out of memory");
  if (st == TG_OK && json_out) *json_out = out;
  else tg__free(out);
  return st;
}
