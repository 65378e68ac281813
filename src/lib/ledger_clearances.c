/* ledger_clearances.c - screening decisions, part one: a hit cleared as a
 * false positive is recorded (party, list, entry, list version, reason,
 * who, when), closes the alerts about it, and marks the hit as cleared in
 * later screenings of the party (for that list version only) and in its
 * shipments' determinations (tg_cleared_load); a screening run goes into
 * the audit trail.  Screening itself is tg_screen's (public API); this
 * file only reads and writes the decisions (table screening_clearance,
 * 007). */
#include "ledger_int.h"
#include "screen_int.h"

#include <stdio.h>
#include <string.h>

tg_status tg__decision_text(const char *what, const char *v, tg_error *err) {
  if (!v || !*v) return tg__set_error(err, TG_EINVAL, "%s is required", what);
  if (strlen(v) > 500) return tg__set_error(err, TG_EINVAL, "%s is too long (at most 500 bytes)", what);
  for (const char *p = v; *p; p++)
    if ((unsigned char)*p < 0x20) return tg__set_error(err, TG_EINVAL, "%s contains a control character", what);
  return TG_OK;
}

void tg__hit_version(const json_t *hit, char *out, size_t n) {
  const json_t *ds = json_object_get(hit, "dataset");
  const char *title = json_string_value(json_object_get(ds, "title"));
  tg__list_version(title ? title : "(list)", json_string_value(json_object_get(ds, "published")), out, n);
}

json_t *tg__row_json(tg_stmt *q) {
  json_t *o = json_object();
  for (int i = 0, n = tg__col_count(q); i < n; i++) json_object_set_new(o, tg__col_name(q, i), tg__column_json(q, i));
  return o;
}

tg_status tg__audit_table_row(tg_store *s, const char *table, const char *prefix, int64_t id,
                        const char *action, const char *actor, tg_error *err) {
  char sql[128], subject[64];
  snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE id = ?", table);
  tg_stmt *q;
  tg_status st = tg__select_one(s, sql, id, NULL, prefix, &q, err);
  if (st != TG_OK) return st;
  json_t *o = tg__row_json(q);
  tg__finalize(q);
  char *state = json_dumps(o, TG__CANON_JSON);
  json_decref(o);
  if (!state) return tg__set_error(err, TG_ENOMEM, "out of memory");
  snprintf(subject, sizeof subject, "%s:%lld", prefix, (long long)id);
  st = tg__audit_append(s, actor, action, subject, state, NULL, err);
  free(state);
  return st;
}

/* The hit of answer `r` on entry (and list, when given); NULL if none. */
static json_t *find_hit(json_t *r, const char *entry, const char *list, int *matches) {
  json_t *hits = json_object_get(r, "hits"), *h, *found = NULL;
  size_t i;
  *matches = 0;
  json_array_foreach(hits, i, h) {
    const char *name = json_string_value(json_object_get(h, "name"));
    const char *l = json_string_value(json_object_get(h, "list"));
    if (!name || strcmp(name, entry) != 0 || (list && (!l || strcmp(l, list) != 0))) continue;
    if (!found) found = h;
    (*matches)++;
  }
  return found;
}

/* Marks the open alerts about a cleared hit as cleared, each audited. */
static tg_status close_alerts(tg_store *s, const char *key, const char *list, const char *entry,
                              int64_t clearance, const char *at, const char *actor, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(s,
                                   "SELECT id FROM screening_alert WHERE party_key = ? AND list = ? "
                                   "AND entry = ? AND status = 'open' ORDER BY id",
                                   &q, err);
  if (st != TG_OK) return st;
  tg__bind_text(q, 1, key);
  tg__bind_text(q, 2, list);
  tg__bind_text(q, 3, entry);
  int64_t ids[64];
  size_t n = 0;
  while (n < 64 && tg__step(q) == TG__ROW) ids[n++] = tg__col_int64(q, 0);
  tg__finalize(q);
  char note[64];
  snprintf(note, sizeof note, "cleared by clearance %lld", (long long)clearance);
  for (size_t i = 0; i < n && st == TG_OK; i++) {
    if ((st = tg__store_prepare(s,
                                "UPDATE screening_alert SET status = 'cleared', closed_at = ?, "
                                "closed_by = ?, close_note = ? WHERE id = ?",
                                &q, err)) != TG_OK)
      break;
    tg__bind_text(q, 1, at);
    tg__bind_text(q, 2, actor);
    tg__bind_text(q, 3, note);
    tg__bind_int64(q, 4, ids[i]);
    int rc = tg__step(q);
    tg__finalize(q);
    st = rc == TG__DONE ? tg__audit_table_row(s, "screening_alert", "alert", ids[i], "screening.alert_clear", actor, err)
                        : tg__store_error(s, err, "cannot close the alert");
  }
  return st;
}

static tg_status insert_clearance(tg_store *s, const char *party, const char *key, json_t *hit,
                                  const char *reason, const char *actor, int64_t *id, tg_error *err) {
  const char *list = json_string_value(json_object_get(hit, "list"));
  const char *entry = json_string_value(json_object_get(hit, "name"));
  char version[400], score[16], at[21];
  tg__hit_version(hit, version, sizeof version);
  snprintf(score, sizeof score, "%.3f", json_number_value(json_object_get(hit, "score")));
  tg__ledger_now(s, at);
  tg_stmt *q;
  tg_status st = tg__store_prepare(s,
                                   "SELECT id, list_version FROM screening_clearance WHERE party_key = ? AND "
                                   "list = ? AND entry = ?",
                                   &q, err);
  if (st != TG_OK) return st;
  tg__bind_text(q, 1, key);
  tg__bind_text(q, 2, list);
  tg__bind_text(q, 3, entry);
  int rc = tg__step(q);
  int64_t old = rc == TG__ROW ? tg__col_int64(q, 0) : 0;
  bool same = rc == TG__ROW && !strcmp(tg__col_text(q, 1), version);
  tg__finalize(q);
  if (same)
    return tg__set_error(err, TG_ECONFLICT, "the hit '%s' (%s) is already cleared for '%s' (clearance %lld)",
                         entry, list, party, (long long)old);
  if (rc != TG__DONE && rc != TG__ROW) return tg__store_error(s, err, "cannot read the clearances");
  /* cleared on another version of the list: the clearance is renewed for
   * this one (the audit trail keeps the earlier state) */
  if ((st = tg__store_prepare(s,
                              old ? "UPDATE screening_clearance SET party = ?, party_key = ?, list = ?, entry = ?, "
                                    "entry_ref = ?, score = ?, list_version = ?, reason = ?, cleared_at = ?, "
                                    "cleared_by = ? WHERE id = ?"
                                  : "INSERT INTO screening_clearance (party, party_key, list, entry, entry_ref, "
                                    "score, list_version, reason, cleared_at, cleared_by) VALUES "
                                    "(?,?,?,?,?,?,?,?,?,?)",
                              &q, err)) != TG_OK)
    return st;
  const char *vals[] = {party, key, list, entry, json_string_value(json_object_get(hit, "id")), score, version,
                        reason, at, actor};
  for (int i = 0; i < 10; i++) tg__bind_text(q, i + 1, vals[i]);
  if (old) tg__bind_int64(q, 11, old);
  rc = tg__step(q);
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot record the clearance");
  *id = old ? old : tg__last_id(s);
  if ((st = tg__audit_table_row(s, "screening_clearance", "clearance", *id, "screening.clear", actor, err)) != TG_OK)
    return st;
  return close_alerts(s, key, list, entry, *id, at, actor, err);
}

tg_status tg_clearance_add(tg_store *s, const tg_screener *sc, const tg_screen_options *opt,
                           const char *party, const char *entry, const char *list, const char *reason,
                           const char *actor, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !sc) return tg__set_error(err, TG_EINVAL, "tg_clearance_add: no store or screener");
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK || (st = tg__decision_text("the party", party, err)) != TG_OK ||
      (st = tg__decision_text("the entry (the hit's name)", entry, err)) != TG_OK ||
      (st = tg__decision_text("the reason", reason, err)) != TG_OK)
    return st;
  tg_screen_options o;
  if (opt) o = *opt;
  else tg_screen_options_init(&o);
  o.limit = 100;
  json_t *r;
  if ((st = tg__screen_tree(sc, party, &o, &r, err)) != TG_OK) return st;
  int matches;
  json_t *hit = find_hit(r, entry, list, &matches);
  if (!hit) {
    st = tg__set_error(err, TG_ENOTFOUND, "screening '%s' gives no hit on '%s'%s%s at threshold %.2f; "
                       "only a hit the screening shows can be cleared",
                       party, entry, list ? " on " : "", list ? list : "",
                       json_number_value(json_object_get(r, "threshold")));
  } else if (matches > 1) {
    st = tg__set_error(err, TG_EINVAL, "'%s' is on %d lists for '%s': name the list", entry, matches, party);
  } else {
    char key[512];
    tg__party_key(party, key, sizeof key);
    int64_t id = 0;
    if ((st = tg__store_begin(s, err)) == TG_OK) {
      if ((st = insert_clearance(s, party, key, hit, reason, actor, &id, err)) != TG_OK ||
          (st = tg__store_commit(s, err)) != TG_OK)
        tg__store_rollback(s);
    }
    if (st == TG_OK && json_out) {
      tg_stmt *q;
      if ((st = tg__select_one(s, "SELECT * FROM screening_clearance WHERE id = ?", id, NULL, "clearance", &q,
                               err)) == TG_OK) {
        json_t *c = tg__row_json(q);
        tg__finalize(q);
        json_object_del(c, "party_key");
        st = tg__json_out(c, TG__LEDGER_JSON, json_out, err);
      }
    }
  }
  json_decref(r);
  return st;
}

/* The clearances of a party (key NULL: all) as a JSON array. */
/* The clearances (of one party when key), in id order, one page of them
 * when page (keyset: ids after page->after). */
static tg_status clearances(tg_store *s, const char *key, tg_page *page, json_t **out, tg_error *err) {
  *out = NULL;
  int64_t after = 0;
  tg_status st = page && page->after ? tg__page_after_int(page, &after, err) : TG_OK;
  if (st != TG_OK) return st;
  tg__buf sql;
  tg__buf_init(&sql);
  tg__buf_puts(&sql, "SELECT * FROM screening_clearance WHERE id > ?");
  if (key) tg__buf_puts(&sql, " AND party_key = ?");
  tg__buf_puts(&sql, " ORDER BY id");
  tg__page_sql(page, &sql);
  tg_stmt *q = NULL;
  st = sql.oom ? tg__set_error(err, TG_ENOMEM, "out of memory") : tg__store_prepare(s, sql.data, &q, err);
  tg__buf_free(&sql);
  if (st != TG_OK) return st;
  tg__bind_int64(q, 1, after);
  if (key) tg__bind_text(q, 2, key);
  json_t *a = json_array();
  int rc;
  size_t kept = 0;
  while ((rc = tg__step(q)) == TG__ROW && !tg__page_full(page, kept++)) {
    json_t *c = tg__row_json(q);
    tg__page_keep_int(page, json_integer_value(json_object_get(c, "id")));
    json_object_del(c, "party_key");
    json_array_append_new(a, c);
  }
  tg__finalize(q);
  if (rc != TG__DONE && rc != TG__ROW) {
    json_decref(a);
    return tg__store_error(s, err, "cannot read the clearances");
  }
  if (rc == TG__DONE) tg__page_last(page);
  *out = a;
  return TG_OK;
}

tg_status tg_clearances_page_json(tg_store *s, const char *party, tg_page *page, char **json_out,
                                  tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_clearances_json: no store");
  char key[512];
  if (party) tg__party_key(party, key, sizeof key);
  json_t *a;
  tg_status st = clearances(s, party ? key : NULL, page, &a, err);
  return st == TG_OK ? tg__json_out(a, TG__LEDGER_JSON, json_out, err) : st;
}

tg_status tg_clearances_json(tg_store *s, const char *party, char **json_out, tg_error *err) {
  return tg_clearances_page_json(s, party, NULL, json_out, err);
}

/* What the audit trail keeps of a run: the query, threshold, lists and
 * each hit (list, entry, score, cleared by which clearance). */
static char *run_content(json_t *r) {
  json_t *hits = json_array(), *lists = json_array(), *h;
  size_t i;
  json_array_foreach(json_object_get(r, "hits"), i, h) {
    json_t *c = json_object_get(h, "cleared");
    json_array_append_new(hits, json_pack("{s:O,s:O,s:O,s:o}", "list", json_object_get(h, "list"), "entry",
                                          json_object_get(h, "name"), "score", json_object_get(h, "score"),
                                          "cleared", c && json_is_object(c) ? json_incref(json_object_get(c, "id"))
                                                                              : json_null()));
  }
  json_array_foreach(json_object_get(json_object_get(r, "screening"), "lists"), i, h)
    json_array_append_new(lists, json_pack("{s:O,s:O,s:O}", "title", json_object_get(h, "title"), "published",
                                           json_object_get(h, "published"), "entries",
                                           json_object_get(h, "entries")));
  json_t *o = json_pack("{s:O,s:O,s:O,s:o,s:o}", "query", json_object_get(r, "query"), "threshold",
                        json_object_get(r, "threshold"), "hits_total", json_object_get(r, "hits_total"),
                        "hits", hits, "lists", lists);
  char *t = o ? json_dumps(o, TG__CANON_JSON) : NULL;
  json_decref(o);
  return t;
}

/* A run's audit subject ("party:QUERY") and content. */
static tg_status run_record(json_t *r, char **subject, char **content, tg_error *err) {
  const char *query = json_string_value(json_object_get(r, "query"));
  *subject = *content = NULL;
  if (!query) return tg__set_error(err, TG_EINVAL, "not a screening answer");
  size_t n = strlen(query) + 7;
  if ((*subject = tg__malloc(n))) snprintf(*subject, n, "party:%s", query);
  *content = run_content(r);
  return *subject && *content ? TG_OK : tg__set_error(err, TG_ENOMEM, "out of memory");
}

tg_status tg_screen_run_record(const char *decided_json, char **subject, char **content,
                               tg_error *err) {
  if (!subject || !content) return tg__set_error(err, TG_EINVAL, "tg_screen_run_record: no output");
  *subject = *content = NULL;
  json_t *r = decided_json ? json_loads(decided_json, 0, NULL) : NULL;
  tg_status st = run_record(r, subject, content, err);
  json_decref(r);
  if (st != TG_OK) tg_free(*subject), tg_free(*content), *subject = *content = NULL;
  return st;
}

tg_status tg_screen_decided(tg_store *s, const char *screen_json, const char *actor, char **json_out,
                            tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !screen_json) return tg__set_error(err, TG_EINVAL, "tg_screen_decided: missing argument");
  tg_status st;
  if (actor && (st = tg__check_actor(actor, err)) != TG_OK) return st;
  json_t *r = json_loads(screen_json, 0, NULL);
  const char *query = json_string_value(json_object_get(r, "query"));
  if (!query) {
    json_decref(r);
    return tg__set_error(err, TG_EINVAL, "tg_screen_decided: not a screening answer");
  }
  char key[512];
  tg__party_key(query, key, sizeof key);
  json_t *cl = NULL;
  /* one statement: consistent on its own, and no transaction, so callers
   * may share a connection for reads */
  st = clearances(s, key, NULL, &cl, err);
  if (st != TG_OK) {
    json_decref(r);
    return st;
  }
  json_int_t ncleared = 0, nopen = 0;
  size_t i, k;
  json_t *h, *c;
  json_array_foreach(json_object_get(r, "hits"), i, h) {
    json_t *match = NULL;
    json_array_foreach(cl, k, c) {
      if (json_equal(json_object_get(c, "list"), json_object_get(h, "list")) &&
          json_equal(json_object_get(c, "entry"), json_object_get(h, "name")))
        match = c;
    }
    char version[400];
    tg__hit_version(h, version, sizeof version);
    bool current = match && !strcmp(json_string_value(json_object_get(match, "list_version")), version);
    json_object_set(h, "cleared", current ? match : json_null());
    /* cleared on another version of the list: open again, the old
     * clearance shown for reference */
    if (match && !current) json_object_set(h, "cleared_earlier", match);
    if (current) ncleared++;
    else nopen++;
  }
  json_decref(cl);
  json_object_set_new(r, "hits_cleared", json_integer(ncleared));
  json_object_set_new(r, "hits_open", json_integer(nopen));
  if (actor) {
    char *content, *subject;
    if ((st = run_record(r, &subject, &content, err)) == TG_OK)
      st = tg_audit_append(s, actor, "screening.run", subject, content, err);
    tg_free(subject);
    tg_free(content);
  }
  if (st != TG_OK) {
    json_decref(r);
    return st;
  }
  return tg__json_out(r, TG__LEDGER_JSON, json_out, err);
}

tg_status tg_refusal_record(tg_store *s, const char *end_user, const char *refusal_json, const char *actor,
                            tg_error *err) {
  if (!s || !refusal_json) return tg__set_error(err, TG_EINVAL, "tg_refusal_record: missing argument");
  json_t *r = json_loads(refusal_json, 0, NULL);
  if (!json_is_true(json_object_get(r, "refused"))) {
    json_decref(r);
    return tg__set_error(err, TG_EINVAL, "tg_refusal_record: not a refusal");
  }
  char *det = json_dumps(json_object_get(r, "determination"), TG__CANON_JSON), sha[65] = "";
  if (det) tg__sha256_hex(det, strlen(det), sha);
  free(det);
  json_t *c = json_pack("{s:s?,s:O,s:O,s:s}", "end_user", end_user, "code", json_object_get(r, "code"), "reason",
                        json_object_get(r, "reason"), "determination_sha256", sha);
  json_decref(r);
  char *content = c ? json_dumps(c, TG__CANON_JSON) : NULL, subject[560];
  json_decref(c);
  snprintf(subject, sizeof subject, "party:%s", end_user && *end_user ? end_user : "(none named)");
  tg_status st = content ? tg_audit_append(s, actor, "shipment.refuse", subject, content, err)
                         : tg__set_error(err, TG_ENOMEM, "out of memory");
  free(content);
  return st;
}

/* Appends a copy of hit h to c; false when out of memory. */
static bool cleared_add(tg_cleared *c, size_t *cap, const tg__cleared_hit *h) {
  if (!tg__grow(&c->v, cap, c->n + 1, sizeof *c->v)) return false;
  tg__cleared_hit *d = &c->v[c->n++];
  *d = (tg__cleared_hit){.id = h->id, .key = tg__strdup(h->key), .list = tg__strdup(h->list),
                         .entry = tg__strdup(h->entry), .version = tg__strdup(h->version)};
  return d->key && d->list && d->entry && d->version;
}

static int by_id(const void *a, const void *b) {
  const tg__cleared_hit *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

#define KEYS_AT_ONCE 48 /* party keys per query */

/* The clearances whose party key is one of keys[0..n) (distinct), in one
 * query per KEYS_AT_ONCE keys, appended to all. */
static tg_status cleared_rows(tg_store *s, char (*keys)[512], size_t n, tg_cleared *all,
                              size_t *cap, tg_error *err) {
  tg__buf sql;
  tg__buf_init(&sql);
  tg__buf_puts(&sql, "SELECT id, party_key, list, entry, list_version FROM screening_clearance "
                     "WHERE party_key IN (?");
  for (int i = 1; i < KEYS_AT_ONCE; i++) tg__buf_puts(&sql, ", ?");
  tg__buf_puts(&sql, ")");
  tg_status st = sql.oom ? tg__set_error(err, TG_ENOMEM, "out of memory") : TG_OK;
  for (size_t at = 0; at < n && st == TG_OK; at += KEYS_AT_ONCE) {
    tg_stmt *q;
    if ((st = tg__store_prepare(s, sql.data, &q, err)) != TG_OK) break;
    for (size_t i = 0; i < KEYS_AT_ONCE; i++)
      if (at + i < n) tg__bind_text(q, (int)i + 1, keys[at + i]);
      else tg__bind_null(q, (int)i + 1); /* matches nothing */
    int rc;
    while (st == TG_OK && (rc = tg__step(q)) == TG__ROW) {
      tg__cleared_hit h = {.id = tg__col_int64(q, 0), .key = (char *)tg__col_text(q, 1),
                           .list = (char *)tg__col_text(q, 2), .entry = (char *)tg__col_text(q, 3),
                           .version = (char *)tg__col_text(q, 4)};
      if (!cleared_add(all, cap, &h)) st = tg__set_error(err, TG_ENOMEM, "out of memory");
    }
    if (st == TG_OK && rc != TG__DONE) st = tg__store_error(s, err, "cannot read the clearances");
    tg__finalize(q);
  }
  tg__buf_free(&sql);
  return st;
}

tg_status tg__cleared_load_many(tg_store *s, const tg_order *const *orders, size_t n,
                                tg_cleared **out, tg_error *err) {
  for (size_t i = 0; i < n; i++) out[i] = NULL;
  char(*keys)[512] = n ? tg__calloc(3 * n, sizeof *keys) : NULL;
  if (n && !keys) return tg__set_error(err, TG_ENOMEM, "out of memory");
  size_t nk = 0;
  for (size_t i = 0; i < n; i++) {
    const char *who[3] = {orders[i]->end_user, orders[i]->purchaser, orders[i]->consignee};
    for (int w = 0; w < 3; w++) {
      if (!who[w]) continue;
      tg__party_key(who[w], keys[nk], sizeof keys[nk]);
      bool seen = false;
      for (size_t k = 0; k < nk && !seen; k++) seen = !strcmp(keys[k], keys[nk]);
      if (!seen) nk++;
    }
  }
  tg_cleared all = {0};
  size_t cap = 0;
  tg_status st = cleared_rows(s, keys, nk, &all, &cap, err);
  tg__free(keys);
  if (all.n) qsort(all.v, all.n, sizeof *all.v, by_id); /* each order's in id order */
  for (size_t i = 0; i < n && st == TG_OK && all.n; i++) {
    char key[3][512];
    const char *who[3] = {orders[i]->end_user, orders[i]->purchaser, orders[i]->consignee};
    for (int w = 0; w < 3; w++) tg__party_key(who[w], key[w], sizeof key[w]);
    size_t ocap = 0;
    for (size_t k = 0; k < all.n && st == TG_OK; k++) {
      const tg__cleared_hit *h = &all.v[k];
      bool mine = false;
      for (int w = 0; w < 3; w++) mine |= who[w] && !strcmp(h->key, key[w]);
      if (!mine) continue;
      if (!out[i] && !(out[i] = tg__calloc(1, sizeof *out[i])))
        st = tg__set_error(err, TG_ENOMEM, "out of memory");
      else if (!cleared_add(out[i], &ocap, h))
        st = tg__set_error(err, TG_ENOMEM, "out of memory");
    }
  }
  for (size_t i = 0; i < all.n; i++) {
    tg__free(all.v[i].key), tg__free(all.v[i].list);
    tg__free(all.v[i].entry), tg__free(all.v[i].version);
  }
  tg__free(all.v);
  if (st != TG_OK)
    for (size_t i = 0; i < n; i++) tg_cleared_destroy(out[i]), out[i] = NULL;
  return st;
}

tg_status tg_cleared_load(tg_store *s, const tg_order *o, tg_cleared **out, tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_cleared_load: no output");
  *out = NULL;
  if (!s || !o) return tg__set_error(err, TG_EINVAL, "tg_cleared_load: no store or order");
  return tg__cleared_load_many(s, &o, 1, out, err);
}

void tg_cleared_destroy(tg_cleared *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n; i++) {
    tg__free(c->v[i].key);
    tg__free(c->v[i].list);
    tg__free(c->v[i].entry);
    tg__free(c->v[i].version);
  }
  tg__free(c->v);
  tg__free(c);
}
