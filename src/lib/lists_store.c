/* lists_store.c - screening lists in the store: importing list files
 * (read by lists_read.c) in one transaction (a list replaces the stored list of its kind; any
 * failure leaves the stored lists as they were), listing what is loaded,
 * and loading every list for a screener.  Schema:
 * data/migrations/002_screening.sql, 011_weak_akas.sql. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "engine_int.h"
#include "ledger_int.h"
#include "lists_int.h"
#include "store_int.h"

/* ---- import -------------------------------------------------------------- */


static char *join_akas(const tg__entry *e) {
  tg__buf b;
  tg__buf_init(&b);
  for (size_t i = 0; i < e->nakas; i++) {
    if (i) tg__buf_puts(&b, "\n");
    for (const char *p = e->akas[i]; *p; p++) tg__buf_append(&b, *p == '\n' ? " " : p, 1);
  }
  tg__buf_append(&b, "", 0); /* tg__buf_detach leaves an untouched buffer unterminated */
  return tg__buf_detach(&b);
}

static tg_status store_list(tg_store *s, const tg__list *l, const char *imported_at, bool *replaced,
                            tg_error *err) {
  tg_stmt *q = NULL;
  tg_status st;
  /* the generation: one more than any stored list's, read before the
   * replaced row goes, so that every import changes tg_lists_version even
   * when SQLite gives the new row the old id and the import time, file
   * name, publication and count are the same (an import in the same
   * second) */
  if ((st = tg__store_prepare(s, "SELECT COALESCE(MAX(generation), 0) + 1 FROM screening_list", &q, err)))
    return st;
  int rc = tg__step(q);
  int64_t generation = rc == TG__ROW ? tg__col_int64(q, 0) : 0;
  tg__finalize(q);
  if (rc != TG__ROW) return tg__store_error(s, err, "cannot read the lists' generation");
  if ((st = tg__store_prepare(s, "DELETE FROM screening_entry WHERE list_id IN "
                              "(SELECT id FROM screening_list WHERE kind = ?1)", &q, err)))
    return st;
  tg__bind_text(q, 1, l->kind);
  rc = tg__step(q);
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot replace the stored list");
  if ((st = tg__store_prepare(s, "DELETE FROM screening_list WHERE kind = ?1", &q, err))) return st;
  tg__bind_text(q, 1, l->kind);
  rc = tg__step(q);
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot replace the stored list");
  *replaced = tg__changes(s) > 0;
  if ((st = tg__store_prepare(s, "INSERT INTO screening_list (kind, title, format, files, published,"
                              " imported_at, entries, generation) VALUES (?,?,?,?,?,?,?,?)", &q, err)))
    return st;
  tg__bind_text(q, 1, l->kind);
  tg__bind_text(q, 2, l->title);
  tg__bind_text(q, 3, l->format);
  tg__bind_text(q, 4, l->files ? l->files : "");
  tg__bind_text(q, 5, l->published);
  tg__bind_text(q, 6, imported_at);
  tg__bind_int64(q, 7, (int64_t)l->n);
  tg__bind_int64(q, 8, generation);
  rc = tg__step(q);
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot store the list");
  int64_t list_id = tg__last_id(s);
  if ((st = tg__store_prepare(s, "INSERT INTO screening_entry (list_id, seq, source, ref, type, name,"
                              " akas, countries, programs, license_requirement, license_policy,"
                              " fr_notice, start_date, url, weak_akas)"
                              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                              &q, err)))
    return st;
  for (size_t i = 0; i < l->n; i++) {
    const tg__entry *e = &l->entries[i];
    char *akas = join_akas(e);
    if (!akas) {
      tg__finalize(q);
      return tg__set_error(err, TG_ENOMEM, "out of memory");
    }
    tg__reset(q);
    tg__bind_int64(q, 1, list_id);
    tg__bind_int64(q, 2, (int64_t)i);
    const char *f[] = {e->source, e->ref, e->type, e->name, akas, e->countries, e->programs,
                       e->license_requirement, e->license_policy, e->fr_notice, e->start_date,
                       e->url};
    for (int k = 0; k < 12; k++) tg__bind_text(q, k + 3, f[k]);
    tg__bind_int64(q, 15, (int64_t)e->nweak);
    rc = tg__step(q);
    tg__free(akas);
    if (rc != TG__DONE) {
      st = tg__store_error(s, err, "cannot store a list entry");
      tg__finalize(q);
      return st;
    }
  }
  tg__finalize(q);
  return TG_OK;
}

tg_status tg_lists_import(tg_store *s, const char *const *paths, size_t npaths,
                          const char *imported_at, const char *actor, char **summary_json,
                          tg_error *err) {
  if (summary_json) *summary_json = NULL;
  if (!s || !paths || !npaths || !imported_at)
    return tg__set_error(err, TG_EINVAL, "tg_lists_import: no store, files or import time");
  tg_status ast = tg__check_actor(actor, err);
  if (ast != TG_OK) return ast;
  tg__list **lists;
  size_t n;
  tg_status st = tg__lists_read(paths, npaths, s->engine, &lists, &n, err);
  if (st != TG_OK) return st;
  json_t *sum = json_array();
  if ((st = tg__store_begin(s, err)) == TG_OK) {
    for (size_t i = 0; i < n && st == TG_OK; i++) {
      bool replaced = false;
      st = store_list(s, lists[i], imported_at, &replaced, err);
      json_t *item = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:I,s:b}", "kind", lists[i]->kind,
                               "title", lists[i]->title, "format", lists[i]->format, "files",
                               lists[i]->files ? lists[i]->files : "", "published",
                               lists[i]->published, "entries", (json_int_t)lists[i]->n,
                               "replaced", replaced);
      /* every list update is an audit record, in the same transaction */
      if (st == TG_OK) {
        char *canon = json_dumps(item, TG__CANON_JSON);
        char subject[64];
        snprintf(subject, sizeof subject, "lists:%s", lists[i]->kind);
        st = canon ? tg__audit_append(s, actor, "lists.import", subject, canon, NULL, err)
                   : tg__set_error(err, TG_ENOMEM, "out of memory");
        free(canon);
      }
      json_array_append_new(sum, item);
    }
    if (st == TG_OK) st = tg__store_commit(s, err);
    else tg__store_rollback(s);
  }
  tg__lists_free(lists, n);
  if (st == TG_OK && summary_json) {
    *summary_json = json_dumps(sum, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!*summary_json) st = tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  json_decref(sum);
  return st;
}

/* ---- listing and loading --------------------------------------------------- */

static const char *col(tg_stmt *q, int i) { return (const char *)tg__col_text(q, i); }

tg_status tg_lists_version(tg_store *s, int64_t *version, tg_error *err) {
  if (!s || !version) return tg__set_error(err, TG_EINVAL, "tg_lists_version: missing argument");
  *version = 0;
  /* a digest of every list row: an import replaces a kind's row, and
   * SQLite may give the new row the old one's id (the largest id deleted
   * and taken again), so ids alone do not tell a change; every import
   * gives its row a new generation (store_list) */
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s, "SELECT id, kind, imported_at, published, files, entries, generation FROM screening_list ORDER BY id",
      &q, err);
  if (st != TG_OK) return st;
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) {
    for (int c = 0; c < 7; c++) {
      bool num_col = c == 0 || c >= 5;
      const char *v = num_col ? NULL : tg__col_text(q, c);
      char num[24];
      if (num_col) snprintf(num, sizeof num, "%lld", (long long)tg__col_int64(q, c)), v = num;
      for (const char *p = v ? v : ""; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
      h = (h ^ 0x1f) * 1099511628211ULL; /* field separator */
    }
  }
  if (rc != TG__DONE) st = tg__store_error(s, err, "cannot read the lists' version");
  tg__finalize(q);
  *version = (int64_t)(h >> 1);
  return st;
}

char *tg_lists_json(tg_store *s) {
  char *out = NULL;
  return tg_lists_page_json(s, NULL, &out, NULL) == TG_OK ? out : NULL;
}

tg_status tg_lists_page_json(tg_store *s, tg_page *page, char **json_out, tg_error *err) {
  if (!s || !json_out) return tg__set_error(err, TG_EINVAL, "tg_lists_json: missing argument");
  *json_out = NULL;
  tg__buf sql;
  tg__buf_init(&sql);
  tg__buf_printf(&sql, "SELECT id, kind, title, format, files, published, imported_at, entries"
                 " FROM screening_list%s ORDER BY kind", page && page->after ? " WHERE kind > ?" : "");
  tg__page_sql(page, &sql);
  tg_stmt *q = NULL, *c = NULL;
  tg_status st = sql.oom ? tg__set_error(err, TG_ENOMEM, "out of memory")
                         : tg__store_prepare(s, sql.data, &q, err);
  tg__buf_free(&sql);
  if (st == TG_OK)
    st = tg__store_prepare(s, "SELECT source, count(*) FROM screening_entry WHERE list_id = ?"
                           " GROUP BY source ORDER BY count(*) DESC, source", &c, err);
  if (st != TG_OK) {
    tg__finalize(q);
    return st;
  }
  if (page && page->after) tg__bind_text(q, 1, page->after);
  json_t *arr = json_array();
  int rc;
  size_t kept = 0;
  while ((rc = tg__step(q)) == TG__ROW && !tg__page_full(page, kept++)) {
    json_t *by = json_object();
    tg__reset(c);
    tg__bind_int64(c, 1, tg__col_int64(q, 0));
    while (tg__step(c) == TG__ROW)
      json_object_set_new(by, col(c, 0), json_integer(tg__col_int64(c, 1)));
    tg__page_keep(page, col(q, 1));
    json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:I,s:o}", "kind", col(q, 1),
                                         "title", col(q, 2), "format", col(q, 3), "files", col(q, 4),
                                         "published", col(q, 5), "imported_at", col(q, 6), "entries",
                                         (json_int_t)tg__col_int64(q, 7), "by_list", by));
  }
  tg__finalize(q);
  tg__finalize(c);
  if (rc != TG__DONE && rc != TG__ROW) st = tg__store_error(s, err, "cannot list the lists");
  if (rc == TG__DONE) tg__page_last(page);
  if (st == TG_OK && !(*json_out = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
  json_decref(arr);
  return st;
}

static tg_status load_entries(tg_store *s, tg_stmt *q, tg__list *l, tg_error *err) {
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) {
    tg__entry *e = tg__list_add(l);
    if (!e) return tg__set_error(err, TG_ENOMEM, "out of memory");
    char **f[] = {&e->source, &e->ref, &e->type, &e->name, NULL, &e->countries, &e->programs,
                  &e->license_requirement, &e->license_policy, &e->fr_notice, &e->start_date,
                  &e->url};
    /* the last weak_akas of akas are weak (011_weak_akas.sql) */
    int64_t nweak = tg__col_int64(q, 12), nak = 0;
    const char *akas = col(q, 4);
    for (const char *p = akas; p && *p; nak++) {
      p += strcspn(p, "\n");
      if (*p) p++;
    }
    for (int k = 0; k < 12; k++) {
      const char *v = col(q, k);
      if (!v) continue;
      if (f[k] && tg__set_field(f[k], v, strlen(v))) return tg__set_error(err, TG_ENOMEM, "out of memory");
      for (const char *p = v; !f[k] && *p; nak--) {
        size_t n = strcspn(p, "\n");
        if (tg__entry_add_aka_q(e, p, n, nak <= nweak))
          return tg__set_error(err, TG_ENOMEM, "out of memory");
        p += n;
        if (*p) p++;
      }
    }
    if (!e->name || !e->source) {
      l->n--;
      return tg__set_error(err, TG_ESTORE, "a stored list entry has no name or list");
    }
  }
  return rc == TG__DONE ? TG_OK : tg__store_error(s, err, "cannot read list entries");
}

tg_status tg__lists_load(tg_store *s, tg__list ***out, size_t *nout, tg_error *err) {
  *out = NULL;
  *nout = 0;
  tg_stmt *q, *eq;
  tg_status st;
  if ((st = tg__store_prepare(s, "SELECT id, kind, title, format, files, published FROM "
                              "screening_list ORDER BY kind", &q, err)))
    return st;
  if ((st = tg__store_prepare(s, "SELECT source, ref, type, name, akas, countries, programs,"
                              " license_requirement, license_policy, fr_notice, start_date, url,"
                              " weak_akas FROM screening_entry WHERE list_id = ? ORDER BY seq", &eq, err))) {
    tg__finalize(q);
    return st;
  }
  tg__list **v = NULL;
  size_t n = 0;
  while (st == TG_OK && tg__step(q) == TG__ROW) {
    tg__list **nv = tg__realloc(v, (n + 1) * sizeof *v);
    tg__list *l = nv ? tg__list_new(col(q, 1), col(q, 2), col(q, 3)) : NULL;
    if (nv) v = nv;
    if (!l) {
      st = tg__set_error(err, TG_ENOMEM, "out of memory");
      break;
    }
    v[n++] = l;
    if (tg__set_field(&l->files, col(q, 4), strlen(col(q, 4))) ||
        (col(q, 5) && tg__set_field(&l->published, col(q, 5), strlen(col(q, 5))))) {
      st = tg__set_error(err, TG_ENOMEM, "out of memory");
      break;
    }
    tg__reset(eq);
    tg__bind_int64(eq, 1, tg__col_int64(q, 0));
    st = load_entries(s, eq, l, err);
  }
  tg__finalize(q);
  tg__finalize(eq);
  if (st != TG_OK) {
    tg__lists_free(v, n);
    return st;
  }
  *out = v;
  *nout = n;
  return TG_OK;
}

tg_status tg__lists_fingerprint(tg_store *s, tg__buf *where, tg__buf *out, tg_error *err) {
  tg__buf_puts(where, s->path ? s->path : "");
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, "SELECT id, kind, title, format, files, published, imported_at,"
                                   " entries, generation FROM screening_list ORDER BY id", &q, err);
  if (st != TG_OK) return st;
  int rc;
  while ((rc = tg__step(q)) == TG__ROW)
    for (int i = 0; i < 9; i++) {
      const char *v = tg__col_text(q, i);
      tg__buf_printf(out, "%s\x1f", v ? v : "\x1e");
    }
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot read the stored lists");
  if ((st = tg__store_prepare(s, "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM screening_entry", &q, err)))
    return st;
  if (tg__step(q) == TG__ROW)
    tg__buf_printf(out, "%lld/%lld", (long long)tg__col_int64(q, 0), (long long)tg__col_int64(q, 1));
  else
    st = tg__store_error(s, err, "cannot read the stored lists");
  tg__finalize(q);
  return st;
}
