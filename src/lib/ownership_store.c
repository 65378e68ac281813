/* ownership_store.c - ownership records in the store: an import replaces
 * them all in one transaction with its audit record; a load reads them
 * back for checks (the CLI's and the server's). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ledger_int.h"
#include "ownership_int.h"
#include "store_int.h"

tg_status tg_ownership_import(tg_store *s, const tg_ownership *o, const char *file,
                              const char *imported_at, const char *actor, tg_error *err) {
  if (!s || !o || !file || !imported_at)
    return tg__set_error(err, TG_EINVAL, "tg_ownership_import: no store, records, file or time");
  tg_status st = tg__check_actor(actor, err);
  if (st != TG_OK) return st;
  if ((st = tg__store_begin(s, err)) != TG_OK) return st;
  tg_stmt *q = NULL;
  st = tg__store_exec(s, "DELETE FROM ownership", err);
  if (st == TG_OK)
    st = tg__store_prepare(s,
                           "INSERT INTO ownership (party, owner, share_ppm, source, as_of, file, "
                           "line, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           &q, err);
  for (size_t i = 0; st == TG_OK && i < o->n; i++) {
    const tg__owner_rec *r = &o->recs[i];
    char d[11];
    tg_date_format(r->date, d);
    tg__reset(q);
    tg__bind_text(q, 1, r->party);
    tg__bind_text(q, 2, r->owner);
    tg__bind_int64(q, 3, (int64_t)llround(r->percent * 1e4));
    tg__bind_text(q, 4, r->source);
    tg__bind_text(q, 5, d);
    tg__bind_text(q, 6, file);
    tg__bind_int64(q, 7, r->line);
    tg__bind_text(q, 8, imported_at);
    if (tg__step(q) != TG__DONE) st = tg__store_error(s, err, "storing an ownership record");
  }
  if (q) tg__finalize(q);
  if (st == TG_OK) {
    json_t *rec = json_pack("{s:s,s:I,s:s}", "file", file, "records", (json_int_t)o->n,
                            "imported_at", imported_at);
    char *canon = rec ? json_dumps(rec, TG__CANON_JSON) : NULL;
    st = canon ? tg__audit_append(s, actor, "ownership.import", "ownership", canon, NULL, err)
               : tg__set_error(err, TG_ENOMEM, "out of memory");
    free(canon);
    json_decref(rec);
  }
  if (st == TG_OK) return tg__store_commit(s, err);
  tg__store_rollback(s);
  return st;
}

static char *col_dup(tg_stmt *q, int i) {
  const char *t = tg__col_text(q, i);
  size_t n = t ? strlen(t) : 0;
  char *d = tg__malloc(n + 1);
  if (d) {
    if (n) memcpy(d, t, n);
    d[n] = '\0';
  }
  return d;
}

tg_status tg_ownership_load(tg_store *s, tg_ownership **out, tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_ownership_load: no output");
  *out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_ownership_load: no store");
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s, "SELECT party, owner, share_ppm, source, as_of, line FROM ownership ORDER BY seq", &q, err);
  if (st != TG_OK) return st;
  tg_ownership *o = tg__calloc(1, sizeof *o);
  size_t cap = 0;
  int rc = TG__ROW;
  while (o && st == TG_OK && (rc = tg__step(q)) == TG__ROW) {
    if (!tg__grow(&o->recs, &cap, o->n + 1, sizeof *o->recs)) {
      st = tg__set_error(err, TG_ENOMEM, "out of memory");
      break;
    }
    tg__owner_rec *r = &o->recs[o->n++];
    memset(r, 0, sizeof *r);
    r->party = col_dup(q, 0);
    r->owner = col_dup(q, 1);
    r->percent = (double)tg__col_int64(q, 2) / 1e4;
    r->source = col_dup(q, 3);
    r->line = tg__col_int(q, 5);
    const char *d = tg__col_text(q, 4);
    if (!r->party || !r->owner || !r->source) st = tg__set_error(err, TG_ENOMEM, "out of memory");
    else if (!d || tg_date_parse(d, &r->date) != TG_OK)
      st = tg__set_error(err, TG_ESTORE, "ownership record %zu: bad date in the store", o->n);
  }
  if (!o) st = tg__set_error(err, TG_ENOMEM, "out of memory");
  else if (st == TG_OK && rc != TG__DONE) st = tg__store_error(s, err, "reading ownership records");
  tg__finalize(q);
  if (st != TG_OK || !o->n) {
    tg_ownership_destroy(o);
    return st;
  }
  *out = o;
  return TG_OK;
}
