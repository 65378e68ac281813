/* ledger_alerts.c - screening decisions, part two: when a list changes,
 * every party the store records (shipments' end users, licenses' end
 * users, cleared parties) is screened again, and each hit that is neither
 * cleared (for the list version it is on) nor alerted before becomes an
 * alert (table screening_alert, 007); a hit cleared on an earlier version
 * of its list re-opens its alert; alerts are listed and closed with a note.  Screening is
 * tg_screen's (public API). */
#include "ledger_int.h"
#include "screen_int.h"

#include <stdio.h>
#include <string.h>

/* Adds `party` recorded in `where` to parties {key: {"party", "in": [...]}}. */
static void add_party(json_t *parties, const char *party, const char *where) {
  if (!party || !*party || tg__decision_text("party", party, NULL) != TG_OK) return;
  char key[512];
  tg__party_key(party, key, sizeof key);
  json_t *p = json_object_get(parties, key);
  if (!p) {
    p = json_pack("{s:s,s:[]}", "party", party, "in");
    json_object_set_new(parties, key, p);
  }
  json_array_append_new(json_object_get(p, "in"), json_string(where));
}

/* The parties the store records, read in one snapshot. */
static tg_status gather(tg_store *s, json_t *parties, tg_error *err) {
  static const char *const sql[] = {
      ("SELECT end_user, MAX(id) FROM shipments WHERE kind = 'shipment' AND end_user IS NOT NULL "
       "GROUP BY end_user ORDER BY end_user"),
      "SELECT end_users, number FROM licenses WHERE revoked_at IS NULL ORDER BY id",
      "SELECT party, MAX(id) FROM screening_clearance GROUP BY party ORDER BY party",
  };
  static const char *const prefix[] = {"shipment", "license", "clearance"};
  tg_status st = tg__store_begin_read(s, err);
  for (int k = 0; st == TG_OK && k < 3; k++) {
    tg_stmt *q;
    if ((st = tg__store_prepare(s, sql[k], &q, err)) != TG_OK) break;
    int rc;
    while ((rc = tg__step(q)) == TG__ROW) {
      char where[200];
      if (k == 1) {
        snprintf(where, sizeof where, "license:%s", tg__col_text(q, 1));
        json_t *eu = tg__column_array(q, 0), *v;
        size_t i;
        json_array_foreach(eu, i, v) add_party(parties, json_string_value(v), where);
        json_decref(eu);
      } else {
        snprintf(where, sizeof where, "%s:%lld", prefix[k], (long long)tg__col_int64(q, 1));
        add_party(parties, tg__col_text(q, 0), where);
      }
    }
    tg__finalize(q);
    if (rc != TG__DONE) st = tg__store_error(s, err, "cannot read the recorded parties");
  }
  tg__store_rollback(s);
  return st;
}

/* The decision row on this hit in `table`, if any: its id (0 = none),
 * list version and status ("cleared" for a clearance). */
static tg_status decided(tg_store *s, const char *table, const char *key, const char *list,
                         const char *entry, int64_t *id, char version[400], char status[16], tg_error *err) {
  char sql[200];
  snprintf(sql, sizeof sql, "SELECT id, list_version, %s FROM %s WHERE party_key = ? AND list = ? AND entry = ?",
           strcmp(table, "screening_alert") ? "'cleared'" : "status", table);
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, sql, &q, err);
  if (st != TG_OK) return st;
  tg__bind_text(q, 1, key);
  tg__bind_text(q, 2, list);
  tg__bind_text(q, 3, entry);
  int rc = tg__step(q);
  *id = 0;
  if (rc == TG__ROW) {
    *id = tg__col_int64(q, 0);
    snprintf(version, 400, "%s", tg__col_text(q, 1));
    snprintf(status, 16, "%s", tg__col_text(q, 2));
  }
  tg__finalize(q);
  return rc == TG__ROW || rc == TG__DONE ? TG_OK : tg__store_error(s, err, "cannot read the decisions");
}

/* Raises the alert for one hit, unless cleared for this list version or
 * alerted before.  A hit cleared on an earlier version of the list is
 * alerted again: its alert is re-opened (or raised) for this version. */
static tg_status raise(tg_store *s, const char *key, json_t *p, json_t *hit, const char *actor,
                       json_t *out, int64_t counts[2], tg_error *err) {
  const char *list = json_string_value(json_object_get(hit, "list"));
  const char *entry = json_string_value(json_object_get(hit, "name"));
  if (!list || !entry) return TG_OK;
  char version[400], cver[400], aver[400], cstatus[16], astatus[16];
  tg__hit_version(hit, version, sizeof version);
  int64_t cleared, alerted;
  tg_status st;
  if ((st = decided(s, "screening_clearance", key, list, entry, &cleared, cver, cstatus, err)) != TG_OK ||
      (st = decided(s, "screening_alert", key, list, entry, &alerted, aver, astatus, err)) != TG_OK)
    return st;
  if (cleared && !strcmp(cver, version)) {
    counts[0]++;
    return TG_OK;
  }
  bool reopen = alerted && cleared && (strcmp(astatus, "open") || strcmp(aver, version));
  if (alerted && !reopen) {
    counts[1]++;
    return TG_OK;
  }
  tg__buf in;
  tg__buf_init(&in);
  size_t i;
  json_t *w;
  json_array_foreach(json_object_get(p, "in"), i, w) {
    if (i == 4) {
      tg__buf_printf(&in, ", and %zu more", json_array_size(json_object_get(p, "in")) - 4);
      break;
    }
    tg__buf_printf(&in, "%s%s", i ? ", " : "", json_string_value(w));
  }
  char score[16], at[21];
  snprintf(score, sizeof score, "%.3f", json_number_value(json_object_get(hit, "score")));
  tg__ledger_now(s, at);
  tg_stmt *q;
  st = in.oom ? tg__set_error(err, TG_ENOMEM, "out of memory")
              : tg__store_prepare(s,
                                  reopen ? "UPDATE screening_alert SET party = ?, party_key = ?, recorded_in = ?, "
                                           "list = ?, entry = ?, entry_ref = ?, score = ?, list_version = ?, "
                                           "raised_at = ?, raised_by = ?, status = 'open', closed_at = NULL, "
                                           "closed_by = NULL, close_note = NULL WHERE id = ?"
                                         : "INSERT INTO screening_alert (party, party_key, recorded_in, list, "
                                           "entry, entry_ref, score, list_version, raised_at, raised_by, status) "
                                           "VALUES (?,?,?,?,?,?,?,?,?,?,'open')",
                                  &q, err);
  if (st == TG_OK) {
    const char *vals[] = {json_string_value(json_object_get(p, "party")), key, in.data, list, entry,
                          json_string_value(json_object_get(hit, "id")), score, version, at, actor};
    for (int k = 0; k < 10; k++) tg__bind_text(q, k + 1, vals[k]);
    if (reopen) tg__bind_int64(q, 11, alerted);
    int rc = tg__step(q);
    tg__finalize(q);
    if (rc != TG__DONE) st = tg__store_error(s, err, "cannot record the alert");
  }
  tg__buf_free(&in);
  if (st != TG_OK) return st;
  int64_t id = reopen ? alerted : tg__last_id(s);
  json_array_append_new(out, json_integer(id));
  return tg__audit_table_row(s, "screening_alert", "alert", id, reopen ? "screening.alert_reopen" : "screening.alert",
                             actor, err);
}

/* The alerts whose id is in `ids`, as a JSON array. */
static tg_status alerts(tg_store *s, json_t *ids, json_t **out, tg_error *err) {
  *out = json_array();
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, "SELECT * FROM screening_alert WHERE id = ?", &q, err);
  if (st != TG_OK) return st;
  for (size_t i = 0; i < json_array_size(ids) && st == TG_OK; i++) {
    tg__bind_int64(q, 1, json_integer_value(json_array_get(ids, i)));
    int rc;
    while ((rc = tg__step(q)) == TG__ROW) {
      json_t *a = tg__row_json(q);
      json_object_del(a, "party_key");
      json_array_append_new(*out, a);
    }
    if (rc != TG__DONE) st = tg__store_error(s, err, "cannot read the alerts");
    tg__reset(q);
  }
  tg__finalize(q);
  return st;
}

/* Screens each party; raises alerts in one write transaction. */
static tg_status rescreen(tg_store *s, const tg_screener *sc, const tg_screen_options *o, json_t *parties,
                          const char *actor, json_t *ids, int64_t counts[3], tg_error *err) {
  json_t *answers = json_object();
  const char *key;
  json_t *p;
  tg_status st = TG_OK;
  json_object_foreach(parties, key, p) {
    json_t *r;
    if ((st = tg__screen_tree(sc, json_string_value(json_object_get(p, "party")), o, &r, err)) != TG_OK)
      break;
    json_object_set_new(answers, key, r);
  }
  if (st == TG_OK) st = tg__store_begin(s, err);
  if (st != TG_OK) {
    json_decref(answers);
    return st;
  }
  json_object_foreach(parties, key, p) {
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(json_object_get(answers, key), "hits"), i, h) {
      counts[2]++;
      if ((st = raise(s, key, p, h, actor, ids, counts, err)) != TG_OK) break;
    }
    if (st != TG_OK) break;
  }
  json_decref(answers);
  if (st == TG_OK) {
    json_t *c = json_pack("{s:I,s:I,s:I,s:I,s:O}", "parties", (json_int_t)json_object_size(parties), "hits",
                          (json_int_t)counts[2], "cleared", (json_int_t)counts[0], "known",
                          (json_int_t)counts[1], "alerts", ids);
    char *content = c ? json_dumps(c, TG__CANON_JSON) : NULL;
    json_decref(c);
    st = content ? tg__audit_append(s, actor, "screening.rescreen", "screening", content, NULL, err)
                 : tg__set_error(err, TG_ENOMEM, "out of memory");
    free(content);
  }
  if (st == TG_OK) st = tg__store_commit(s, err);
  if (st != TG_OK) tg__store_rollback(s);
  return st;
}

tg_status tg_rescreen(tg_store *s, const tg_screener *sc, const tg_screen_options *opt, const char *actor,
                      char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !sc) return tg__set_error(err, TG_EINVAL, "tg_rescreen: no store or screener");
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK) return st;
  tg_screen_options o;
  if (opt) o = *opt;
  else tg_screen_options_init(&o);
  o.limit = 100;
  json_t *parties = json_object(), *ids = json_array(), *list = NULL;
  int64_t counts[3] = {0, 0, 0}; /* cleared, alerted before, hits */
  if ((st = gather(s, parties, err)) == TG_OK &&
      (st = rescreen(s, sc, &o, parties, actor, ids, counts, err)) == TG_OK &&
      (st = tg__store_begin_read(s, err)) == TG_OK) {
    st = alerts(s, ids, &list, err);
    tg__store_rollback(s);
  }
  json_t *r = NULL;
  if (st == TG_OK)
    r = json_pack("{s:I,s:I,s:I,s:I,s:O}", "parties", (json_int_t)json_object_size(parties), "hits",
                  (json_int_t)counts[2], "cleared", (json_int_t)counts[0], "known", (json_int_t)counts[1],
                  "alerts", list);
  json_decref(parties);
  json_decref(ids);
  json_decref(list);
  return st == TG_OK ? tg__json_out(r, TG__LEDGER_JSON, json_out, err) : st;
}

/* One page of the alerts (of one status when status), newest first
 * (keyset: ids below page->after). */
static tg_status alert_page(tg_store *s, const char *status, tg_page *page, json_t **out, tg_error *err) {
  *out = NULL;
  int64_t before = 0;
  tg_status st = page && page->after ? tg__page_after_int(page, &before, err) : TG_OK;
  if (st != TG_OK) return st;
  tg__buf sql;
  tg__buf_init(&sql);
  tg__buf_puts(&sql, "SELECT * FROM screening_alert WHERE (? = 0 OR id < ?)");
  if (status) tg__buf_puts(&sql, " AND status = ?");
  tg__buf_puts(&sql, " ORDER BY id DESC");
  tg__page_sql(page, &sql);
  tg_stmt *q = NULL;
  st = sql.oom ? tg__set_error(err, TG_ENOMEM, "out of memory") : tg__store_prepare(s, sql.data, &q, err);
  tg__buf_free(&sql);
  if (st != TG_OK) return st;
  tg__bind_int64(q, 1, before);
  tg__bind_int64(q, 2, before);
  if (status) tg__bind_text(q, 3, status);
  json_t *a = json_array();
  int rc;
  size_t kept = 0;
  while ((rc = tg__step(q)) == TG__ROW && !tg__page_full(page, kept++)) {
    json_t *al = tg__row_json(q);
    tg__page_keep_int(page, json_integer_value(json_object_get(al, "id")));
    json_object_del(al, "party_key");
    json_array_append_new(a, al);
  }
  tg__finalize(q);
  if (rc != TG__DONE && rc != TG__ROW) {
    json_decref(a);
    return tg__store_error(s, err, "cannot read the alerts");
  }
  if (rc == TG__DONE) tg__page_last(page);
  *out = a;
  return TG_OK;
}

static tg_status open_alerts(tg_store *s, int64_t *n, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, "SELECT COUNT(*) FROM screening_alert WHERE status = 'open'", &q, err);
  if (st != TG_OK) return st;
  int rc = tg__step(q);
  *n = rc == TG__ROW ? tg__col_int64(q, 0) : 0;
  tg__finalize(q);
  return rc == TG__ROW ? TG_OK : tg__store_error(s, err, "cannot count the alerts");
}

tg_status tg_alerts_page_json(tg_store *s, const char *status, tg_page *page, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_alerts_json: no store");
  if (status && strcmp(status, "open") && strcmp(status, "cleared") && strcmp(status, "closed"))
    return tg__set_error(err, TG_EINVAL, "alert status '%s' is not open, cleared or closed", status);
  json_t *list = NULL;
  int64_t open = 0;
  tg_status st = tg__store_begin_read(s, err);
  if (st == TG_OK) {
    if ((st = alert_page(s, status, page, &list, err)) == TG_OK) st = open_alerts(s, &open, err);
    tg__store_rollback(s);
  }
  json_t *r = st == TG_OK ? json_pack("{s:O,s:I}", "alerts", list, "open", (json_int_t)open) : NULL;
  json_decref(list);
  return st == TG_OK ? tg__json_out(r, TG__LEDGER_JSON, json_out, err) : st;
}

tg_status tg_alerts_json(tg_store *s, const char *status, char **json_out, tg_error *err) {
  return tg_alerts_page_json(s, status, NULL, json_out, err);
}

tg_status tg_alert_close(tg_store *s, int64_t id, const char *note, const char *actor, char **json_out,
                         tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_alert_close: no store");
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK || (st = tg__decision_text("the note", note, err)) != TG_OK)
    return st;
  if ((st = tg__store_begin(s, err)) != TG_OK) return st;
  tg_stmt *q;
  if ((st = tg__select_one(s, "SELECT status FROM screening_alert WHERE id = ?", id, NULL, "alert", &q, err)) !=
      TG_OK)
    goto fail;
  bool open = !strcmp(tg__col_text(q, 0), "open");
  tg__finalize(q);
  if (!open) {
    st = tg__set_error(err, TG_ECONFLICT, "alert %lld is not open", (long long)id);
    goto fail;
  }
  char at[21];
  tg__ledger_now(s, at);
  if ((st = tg__store_prepare(s,
                              "UPDATE screening_alert SET status = 'closed', closed_at = ?, closed_by = ?, "
                              "close_note = ? WHERE id = ?",
                              &q, err)) != TG_OK)
    goto fail;
  tg__bind_text(q, 1, at);
  tg__bind_text(q, 2, actor);
  tg__bind_text(q, 3, note);
  tg__bind_int64(q, 4, id);
  int rc = tg__step(q);
  tg__finalize(q);
  if (rc != TG__DONE) {
    st = tg__store_error(s, err, "cannot close the alert");
    goto fail;
  }
  if ((st = tg__audit_table_row(s, "screening_alert", "alert", id, "screening.alert_close", actor, err)) != TG_OK ||
      (st = tg__store_commit(s, err)) != TG_OK)
    goto fail;
  json_t *one = json_pack("[I]", (json_int_t)id), *list = NULL;
  if ((st = tg__store_begin_read(s, err)) == TG_OK) {
    st = alerts(s, one, &list, err);
    tg__store_rollback(s);
  }
  json_decref(one);
  if (st == TG_OK) st = tg__json_out(json_incref(json_array_get(list, 0)), TG__LEDGER_JSON, json_out, err);
  json_decref(list);
  return st;
fail:
  tg__store_rollback(s);
  return st;
}
