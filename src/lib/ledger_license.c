/* ledger_license.c - licenses: adding (with validation), revoking, loading
 * for shipment checks, and their JSON views with what has been drawn and
 * the aggregate-TPP cap's headroom. */
#include "decide_int.h"
#include "ledger_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tg_license_spec_init(tg_license_spec *spec) {
  if (!spec) return;
  memset(spec, 0, sizeof *spec);
  spec->qty_limit = -1;
  spec->value_limit_cents = -1;
  spec->valid_from = TG_DATE_NONE;
  spec->valid_until = TG_DATE_NONE;
  spec->payment_rate_ppm = -1;
}

/* Plain text: non-empty, bounded in characters, no control characters. */
static tg_status check_text(const char *what, const char *v, size_t max, tg_error *err) {
  if (!v || !*v) return tg__set_error(err, TG_EINVAL, "the license needs %s", what);
  return tg_text_check(what, v, max, err);
}

/* "3A090", "3A090.a", "4A090.b", "3A991.p": a 5-character ECCN and an
 * optional paragraph. */
static bool looks_like_eccn(const char *s) {
  if (!isdigit((unsigned char)s[0]) || s[1] < 'A' || s[1] > 'E' ||
      !isdigit((unsigned char)s[2]) || !isdigit((unsigned char)s[3]) ||
      !isdigit((unsigned char)s[4]))
    return false;
  if (!s[5]) return true;
  if (s[5] != '.' || !s[6]) return false;
  for (const char *p = s + 6; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '.') return false;
  return true;
}

static bool array_has(json_t *a, const char *v) {
  size_t i;
  json_t *x;
  json_array_foreach(a, i, x) if (!strcmp(json_string_value(x), v)) return true;
  return false;
}

/* Validates a spec into canonical JSON arrays. */
tg_status tg__license_spec_arrays(const tg_store *s, const tg_license_spec *sp, json_t *chips,
                             json_t *dests, json_t *users, json_t *conds, tg_error *err) {
  if (!sp->nchips) return tg__set_error(err, TG_EINVAL, "the license covers no chip (give chip ids or an ECCN)");
  for (size_t i = 0; i < sp->nchips; i++) {
    const char *c = sp->chips[i];
    if (!c || !*c) return tg__set_error(err, TG_EINVAL, "empty chip id");
    if (!tg_catalog_find(s->engine, c) && !looks_like_eccn(c))
      return tg__set_error(err, TG_EINVAL, "'%s' is neither a catalog chip nor an ECCN", c);
    if (!array_has(chips, c)) json_array_append_new(chips, json_string(c));
  }
  if (!sp->ndestinations) return tg__set_error(err, TG_EINVAL, "the license names no destination");
  for (size_t i = 0; i < sp->ndestinations; i++) {
    char cc[3];
    if (tg_country_canonical(s->engine, sp->destinations[i], cc) != TG_OK)
      return tg__set_error(err, TG_EINVAL, "destination '%s' is not an ISO 3166-1 alpha-2 code",
                           sp->destinations[i] ? sp->destinations[i] : "");
    if (!array_has(dests, cc)) json_array_append_new(dests, json_string(cc));
  }
  tg_status st;
  for (size_t i = 0; i < sp->nend_users; i++) {
    if ((st = check_text("an end user name", sp->end_users[i], 300, err)) != TG_OK) return st;
    if (!array_has(users, sp->end_users[i])) json_array_append_new(users, json_string(sp->end_users[i]));
  }
  for (size_t i = 0; i < sp->nconditions; i++) {
    if (!sp->conditions[i] || !*sp->conditions[i])
      return tg__set_error(err, TG_EINVAL, "empty condition");
    if ((st = tg_text_check("condition", sp->conditions[i], 1000, err)) != TG_OK) return st;
    json_array_append_new(conds, json_string(sp->conditions[i]));
  }
  return TG_OK;
}

tg_status tg__license_check_spec(const tg_license_spec *sp, tg_error *err) {
  tg_status st;
  if (!sp->number || !*sp->number) return tg__set_error(err, TG_EINVAL, "the license needs a number");
  if (!tg_id_valid(sp->number))
    return tg__set_error(err, TG_EINVAL,
                         "number: '%.80s' is not 1-%d of A-Z a-z 0-9 . _ - (and not '.' or '..')",
                         sp->number, TG_ID_MAX);
  if ((st = check_text("holder", sp->holder, 300, err)) != TG_OK) return st;
  if (sp->qty_limit < -1 || sp->qty_limit > TG_MAX_LICENSE_QTY)
    return tg__set_error(err, TG_EINVAL, "qty: the quantity limit must be from 0 to %lld",
                         TG_MAX_LICENSE_QTY);
  if (sp->value_limit_cents < -1 || sp->value_limit_cents > TG_MAX_LICENSE_VALUE_CENTS)
    return tg__set_error(err, TG_EINVAL, "value_usd: the value limit must be from 0 to %lld",
                         TG_MAX_LICENSE_VALUE_CENTS / 100);
  if (sp->valid_from == TG_DATE_NONE || sp->valid_until == TG_DATE_NONE)
    return tg__set_error(err, TG_EINVAL, "the license needs a validity window (from and until)");
  if (sp->valid_until < sp->valid_from)
    return tg__set_error(err, TG_EINVAL, "the validity window ends before it starts");
  if (sp->payment_rate_ppm < -1 || sp->payment_rate_ppm > 1000000)
    return tg__set_error(err, TG_EINVAL, "payment rate must be between 0%% and 100%%");
  if (sp->tpp_cap_pct < 0 || sp->tpp_cap_pct > 1000)
    return tg__set_error(err, TG_EINVAL, "TPP cap must be a percentage between 0 and 1000");
  if (sp->notes && *sp->notes && (st = tg_text_check("notes", sp->notes, 10000, err)) != TG_OK)
    return st;
  return TG_OK;
}

void tg__bind_limit(tg_stmt *q, int i, int64_t v) {
  if (v < 0) tg__bind_null(q, i);
  else tg__bind_int64(q, i, v);
}

void tg__bind_array(tg_stmt *q, int i, json_t *a) {
  char *t = json_dumps(a, JSON_COMPACT);
  tg__bind_text(q, i, t ? t : "[]");
  free(t);
}

static tg_status insert_license(tg_store *s, const tg_license_spec *sp, json_t *arr[4],
                                const char *actor, int64_t *id, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s,
      "INSERT INTO licenses (number, holder, chips, destinations, end_users, qty_limit, "
      "value_limit_cents, valid_from, valid_until, payment_rate_ppm, tpp_cap_pct, conditions, "
      "notes, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      &q, err);
  if (st != TG_OK) return st;
  char from[11], until[11], at[21];
  tg_date_format(sp->valid_from, from);
  tg_date_format(sp->valid_until, until);
  tg__ledger_now(s, at);
  tg__bind_text(q, 1, sp->number);
  tg__bind_text(q, 2, sp->holder);
  for (int i = 0; i < 3; i++) tg__bind_array(q, 3 + i, arr[i]);
  tg__bind_limit(q, 6, sp->qty_limit);
  tg__bind_limit(q, 7, sp->value_limit_cents);
  tg__bind_text(q, 8, from);
  tg__bind_text(q, 9, until);
  tg__bind_limit(q, 10, sp->payment_rate_ppm);
  tg__bind_limit(q, 11, sp->tpp_cap_pct > 0 ? sp->tpp_cap_pct : -1);
  tg__bind_array(q, 12, arr[3]);
  tg__bind_text(q, 13, sp->notes && *sp->notes ? sp->notes : NULL);
  tg__bind_text(q, 14, at);
  tg__bind_text(q, 15, actor);
  int rc = tg__step(q);
  tg__finalize(q);
  if (rc == TG__STEP_CONSTRAINT)
    return tg__set_error(err, TG_ECONFLICT, "license '%s' already exists", sp->number);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot add the license");
  *id = tg__last_id(s);
  return TG_OK;
}

/* Appends the audit record of a license's new state. */
static tg_status audit_license(tg_store *s, int64_t id, const char *number, const char *action,
                               const char *actor, tg_error *err) {
  return tg__audit_row(s, tg__license_state, id, "license", number, action, actor, err);
}

tg_status tg_license_add(tg_store *s, const tg_license_spec *spec, const char *actor,
                         char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !spec) return tg__set_error(err, TG_EINVAL, "tg_license_add: missing argument");
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK || (st = tg__license_check_spec(spec, err)) != TG_OK)
    return st;
  json_t *arr[4] = {json_array(), json_array(), json_array(), json_array()};
  if ((st = tg__license_spec_arrays(s, spec, arr[0], arr[1], arr[2], arr[3], err)) != TG_OK) goto out;
  if ((st = tg__store_begin(s, err)) != TG_OK) goto out;
  int64_t id = 0;
  st = insert_license(s, spec, arr, actor, &id, err);
  if (st == TG_OK) st = audit_license(s, id, spec->number, "license.add", actor, err);
  /* the answer is made before the commit: nothing committed answers an error */
  if (st == TG_OK) st = tg_license_json(s, spec->number, json_out, err);
  if (st == TG_OK) st = tg__store_commit(s, err);
  if (st != TG_OK) {
    tg__store_rollback(s);
    if (json_out) tg_free(*json_out), *json_out = NULL;
  }
out:
  for (int i = 0; i < 4; i++) json_decref(arr[i]);
  return st;
}

tg_status tg_license_revoke(tg_store *s, const char *number, const char *reason,
                            const char *actor, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !number) return tg__set_error(err, TG_EINVAL, "tg_license_revoke: missing argument");
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK) return st;
  if ((st = tg__store_begin(s, err)) != TG_OK) return st;
  tg__license l;
  if ((st = tg__license_load(s, number, &l, err)) != TG_OK) goto fail;
  bool revoked = l.revoked;
  int64_t id = l.id;
  tg__license_free(&l);
  if (revoked) {
    st = tg__set_error(err, TG_ECONFLICT, "license '%s' is already revoked", number);
    goto fail;
  }
  tg_stmt *q;
  if ((st = tg__store_prepare(s,
                              "UPDATE licenses SET revoked_at = ?, revoked_by = ?, "
                              "revoke_reason = ? WHERE id = ?",
                              &q, err)) != TG_OK)
    goto fail;
  char at[21];
  tg__ledger_now(s, at);
  tg__bind_text(q, 1, at);
  tg__bind_text(q, 2, actor);
  tg__bind_text(q, 3, reason && *reason ? reason : NULL);
  tg__bind_int64(q, 4, id);
  int rc = tg__step(q);
  tg__finalize(q);
  if (rc != TG__DONE) {
    st = tg__store_error(s, err, "cannot revoke the license");
    goto fail;
  }
  if ((st = audit_license(s, id, number, "license.revoke", actor, err)) != TG_OK ||
      (st = tg_license_json(s, number, json_out, err)) != TG_OK ||
      (st = tg__store_commit(s, err)) != TG_OK)
    goto fail;
  return TG_OK;
fail:
  if (json_out) tg_free(*json_out), *json_out = NULL;
  tg__store_rollback(s);
  return st;
}

/* ---- loading ---- */

static const char *const license_cols =
    "SELECT id, number, holder, chips, destinations, end_users, qty_limit, value_limit_cents, "
    "valid_from, valid_until, payment_rate_ppm, tpp_cap_pct, conditions, notes, created_at, "
    "created_by, revoked_at, revoked_by, revoke_reason FROM licenses";

static int64_t int_or(tg_stmt *q, int i, int64_t dflt) {
  return tg__col_type(q, i) == TG__NULL ? dflt : tg__col_int64(q, i);
}

static tg_date col_date(tg_stmt *q, int i) {
  tg_date d;
  const char *t = (const char *)tg__col_text(q, i);
  return t && tg_date_parse(t, &d) == TG_OK ? d : TG_DATE_NONE;
}

tg_status tg__license_load(tg_store *s, const char *number, tg__license *l, tg_error *err) {
  memset(l, 0, sizeof *l);
  char sql[600];
  snprintf(sql, sizeof sql, "%s WHERE number = ?", license_cols);
  tg_stmt *q;
  tg_status st = tg__select_one(s, sql, 0, number, "license", &q, err);
  if (st != TG_OK) return st;
  l->id = tg__col_int64(q, 0);
  snprintf(l->number, sizeof l->number, "%s", (const char *)tg__col_text(q, 1));
  l->chips = tg__column_array(q, 3);
  l->dests = tg__column_array(q, 4);
  l->end_users = tg__column_array(q, 5);
  l->qty_limit = int_or(q, 6, -1);
  l->value_limit = int_or(q, 7, -1);
  l->from = col_date(q, 8);
  l->until = col_date(q, 9);
  l->rate_ppm = int_or(q, 10, -1);
  l->cap_pct = (int)int_or(q, 11, 0);
  l->revoked = tg__col_type(q, 16) != TG__NULL;
  tg__finalize(q);
  return TG_OK;
}

void tg__license_free(tg__license *l) {
  json_decref(l->chips);
  json_decref(l->dests);
  json_decref(l->end_users);
  l->chips = l->dests = l->end_users = NULL;
}

/* v, or the nearest int64 (rows stored past the bounds can sum past it). */
static int64_t saturate(__int128 v) {
  return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

/* Sums a license's shipments with ids in (after, upto] (upto < 0: all)
 * in 128 bits rather than by SQL SUM, which fails on an overflow: a
 * database holding rows past the bounds still lists. */
static tg_status sum_used(tg_store *s, int64_t id, int64_t upto, tg__usage *u, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s, "SELECT qty, value_cents FROM shipments WHERE license_id = ?1 AND (?2 < 0 OR id <= ?2)",
      &q, err);
  if (st != TG_OK) return st;
  tg__bind_int64(q, 1, id);
  tg__bind_int64(q, 2, upto);
  *u = (tg__usage){.license_id = id};
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) {
    u->qty += tg__col_int64(q, 0);
    u->value += tg__col_int64(q, 1);
    u->count++;
  }
  if (rc != TG__DONE) st = tg__store_error(s, err, "cannot sum the license's shipments");
  tg__finalize(q);
  return st;
}

/* Inside a write transaction (writers serialize, so shipment ids grow in
 * commit order): the kept sums brought up to date with the rows recorded
 * since (s->usage_upto), and the license's own sum added when it is not
 * kept yet.  A group commit thus reads each license's history once, not
 * once per shipment. */
static tg_status cached_used(tg_store *s, int64_t id, tg__usage **out, tg_error *err) {
  tg_stmt *q;
  tg_status st = TG_OK;
  /* (usage_current: brought up to date in this transaction, and no row
   * written since, so there is nothing to read) */
  if (s->usage_current) goto kept;
  /* nothing kept: start from the newest row rather than read them all */
  st = tg__store_prepare(
      s, s->nusage ? "SELECT id, license_id, qty, value_cents FROM shipments WHERE id > ? ORDER BY id"
                   : "SELECT MAX(id), NULL, 0, 0 FROM shipments WHERE id > ?",
      &q, err);
  if (st != TG_OK) return st;
  tg__bind_int64(q, 1, s->usage_upto);
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) {
    if (tg__col_type(q, 0) == TG__NULL) continue; /* MAX of no rows */
    s->usage_upto = tg__col_int64(q, 0);
    int64_t lic = tg__col_type(q, 1) == TG__NULL ? -1 : tg__col_int64(q, 1);
    for (int k = 0; k < s->nusage; k++)
      if (s->usage[k].license_id == lic) {
        s->usage[k].qty += tg__col_int64(q, 2);
        s->usage[k].value += tg__col_int64(q, 3);
        s->usage[k].count++;
      }
  }
  tg__finalize(q);
  if (rc != TG__DONE) {
    tg__store_forget(s, true);
    return tg__store_error(s, err, "cannot sum the license's shipments");
  }
  s->usage_current = true;
kept:
  for (int k = 0; k < s->nusage; k++)
    if (s->usage[k].license_id == id) {
      *out = &s->usage[k];
      return TG_OK;
    }
  if (s->nusage == TG__USAGE_CACHE) { /* the oldest goes */
    memmove(s->usage, s->usage + 1, (TG__USAGE_CACHE - 1) * sizeof *s->usage);
    s->nusage--;
  }
  tg__usage *u = &s->usage[s->nusage];
  if ((st = sum_used(s, id, s->usage_upto, u, err)) != TG_OK) return st;
  s->nusage++;
  *out = u;
  return TG_OK;
}

tg_status tg__license_used(tg_store *s, int64_t id, int64_t *qty, int64_t *value,
                           int64_t *count, tg_error *err) {
  tg__usage own, *u = &own;
  tg_status st = s->writing ? cached_used(s, id, &u, err) : sum_used(s, id, -1, &own, err);
  *qty = st == TG_OK ? saturate(u->qty) : 0;
  *value = st == TG_OK ? saturate(u->value) : 0;
  if (count) *count = st == TG_OK ? u->count : 0;
  return st;
}

/* ---- JSON views ---- */

static json_t *limit_json(tg_stmt *q, int i) {
  return tg__col_type(q, i) == TG__NULL ? json_null() : json_integer(tg__col_int64(q, i));
}

static json_t *text_json(tg_stmt *q, int i) {
  const char *t = (const char *)tg__col_text(q, i);
  return t ? json_string(t) : json_null();
}

/* One license row (current statement position) as its public JSON. */
static json_t *license_view(tg_store *s, tg_stmt *q, tg_error *err) {
  json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o}", "number", text_json(q, 1), "holder",
                        text_json(q, 2), "chips", tg__column_array(q, 3), "destinations",
                        tg__column_array(q, 4), "end_users", tg__column_array(q, 5));
  json_object_set_new(o, "qty_limit", limit_json(q, 6));
  tg__set_money_opt(o, "value_limit", tg__col_type(q, 7) != TG__NULL,
                    tg__col_int64(q, 7));
  json_object_set_new(o, "valid_from", text_json(q, 8));
  json_object_set_new(o, "valid_until", text_json(q, 9));
  json_object_set_new(o, "payment_rate_ppm", limit_json(q, 10));
  if (tg__col_type(q, 10) != TG__NULL) {
    char r[24];
    tg__rate_text(tg__col_int64(q, 10), r);
    json_object_set_new(o, "payment_rate", json_string(r));
  } else {
    json_object_set_new(o, "payment_rate", json_null());
  }
  json_object_set_new(o, "tpp_cap_pct", limit_json(q, 11));
  json_object_set_new(o, "conditions", tg__column_array(q, 12));
  json_object_set_new(o, "notes", text_json(q, 13));
  json_object_set_new(o, "created_at", text_json(q, 14));
  json_object_set_new(o, "created_by", text_json(q, 15));
  bool revoked = tg__col_type(q, 16) != TG__NULL;
  json_object_set_new(o, "status", json_string(revoked ? "revoked" : "active"));
  json_object_set_new(o, "revoked",
                      revoked ? json_pack("{s:o,s:o,s:o}", "at", text_json(q, 16), "by",
                                          text_json(q, 17), "reason", text_json(q, 18))
                              : json_null());
  int64_t qty, value, count;
  if (tg__license_used(s, tg__col_int64(q, 0), &qty, &value, &count, err) != TG_OK) {
    json_decref(o);
    return NULL;
  }
  json_t *used = json_pack("{s:I,s:I}", "shipments", (json_int_t)count, "qty", (json_int_t)qty);
  tg__set_money(used, "value", value);
  json_object_set_new(o, "used", used);
  json_t *rem = tg__remaining_json(int_or(q, 6, -1), int_or(q, 7, -1), qty, value);
  json_object_set_new(o, "remaining", rem);
  if (qty > TG_MAX_LICENSE_QTY || value > TG_MAX_LICENSE_VALUE_CENTS || qty < 0 || value < 0)
    json_object_set_new(o, "problem",
                        json_string("the shipments drawn on this license are past the ledger's "
                                    "bounds (see `tollgate audit verify`)"));
  return o;
}

json_t *tg__remaining_json(int64_t qty_limit, int64_t value_limit, int64_t qty_used,
                           int64_t value_used) {
  json_t *rem = json_object();
  json_object_set_new(rem, "qty", qty_limit < 0 ? json_null()
                                                : json_integer(saturate((__int128)qty_limit - qty_used)));
  tg__set_money_opt(rem, "value", value_limit >= 0, saturate((__int128)value_limit - value_used));
  return rem;
}

static tg_status shipment_ids(tg_store *s, int64_t id, json_t *o, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, "SELECT id FROM shipments WHERE license_id = ? ORDER BY id",
                                   &q, err);
  if (st != TG_OK) return st;
  tg__bind_int64(q, 1, id);
  json_t *a = json_array();
  while (tg__step(q) == TG__ROW) json_array_append_new(a, json_integer(tg__col_int64(q, 0)));
  tg__finalize(q);
  json_object_set_new(o, "shipment_ids", a);
  return TG_OK;
}


/* ---- the aggregate-TPP cap as headroom ---- */

/* Sum of qty x TPP of the rows sql selects: ?1 the license id (id > 0)
 * or the date to sum up to, ?2 the chip. */
static __int128 tpp_total(tg_store *s, const char *sql, int64_t id, const char *upto, const char *chip,
                          tg_status *st, tg_error *err) {
  tg_stmt *q;
  if ((*st = tg__store_prepare(s, sql, &q, err)) != TG_OK) return 0;
  if (id > 0) tg__bind_int64(q, 1, id);
  else tg__bind_text(q, 1, upto);
  tg__bind_text(q, 2, chip);
  __int128 v = 0;
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) v += (__int128)tg__col_int64(q, 0) * tg__col_int64(q, 1);
  if (rc != TG__DONE) *st = tg__store_error(s, err, "cannot sum shipments");
  tg__finalize(q);
  return v;
}

/* The cap the rules put on a license for chip to CN today (the smallest
 * tpp_cap_percent among the determination's license conditions), 0 if
 * none: the same determination a shipment would get (tg_check). */
static int rules_cap(tg_store *s, const tg_chip *c, tg_date today) {
  tg_order o;
  tg_order_init(&o);
  o.chip = c;
  o.dest = "CN";
  o.on = today;
  o.qty = 1;
  tg_result *res = NULL;
  if (!s->engine || tg_check(s->engine, &o, &res, NULL) != TG_OK) return 0;
  int pct = tg__result_cap_percent(res);
  tg_result_destroy(res);
  return pct;
}

/* The cap the rules imposed on the latest shipment of chip to CN/MO under
 * license id (its determination's conditions), 0 if none; *ship its id. */
static int recorded_cap(tg_store *s, int64_t id, const char *chip, int64_t *ship) {
  tg_stmt *q;
  *ship = 0;
  if (tg__store_prepare(s,
                        "SELECT MAX(id) FROM shipments WHERE license_id = ? AND chip = ? AND kind = "
                        "'shipment' AND dest IN ('CN', 'MO')",
                        &q, NULL) != TG_OK)
    return 0;
  tg__bind_int64(q, 1, id);
  tg__bind_text(q, 2, chip);
  if (tg__step(q) == TG__ROW && tg__col_type(q, 0) != TG__NULL) *ship = tg__col_int64(q, 0);
  tg__finalize(q);
  json_t *h = NULL;
  if (!*ship || tg__shipment_view(s, *ship, true, &h, NULL) != TG_OK) return 0;
  int cap = 0;
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(json_object_get(h, "determination"), "license_conditions"), i, c) {
    int pct = (int)json_integer_value(json_object_get(c, "tpp_cap_percent"));
    if (pct > 0 && (!cap || pct < cap)) cap = pct;
  }
  json_decref(h);
  return cap;
}

static json_t *big(__int128 v) {
  return v > INT64_MAX || v < INT64_MIN ? json_null() : json_integer((json_int_t)v);
}

/* Per catalog chip of a license to CN or MO: the cap (the license's or
 * the rules'), the TPP shipped to China/Macau under it and to US customers
 * to date, and the headroom in TPP and in units. */
static tg_status license_caps(tg_store *s, const tg__license *l, json_t *o, tg_error *err) {
  json_t *caps = json_array();
  bool cn = false;
  size_t i;
  json_t *x;
  json_array_foreach(l->dests, i, x) cn = cn || !strcmp(json_string_value(x), "CN") || !strcmp(json_string_value(x), "MO");
  char now[21];
  tg__ledger_now(s, now);
  now[10] = 0;
  tg_date today = 0;
  tg_date_parse(now, &today);
  tg_status st = TG_OK;
  json_array_foreach(l->chips, i, x) {
    const tg_chip *c = cn && s->engine ? tg_catalog_find(s->engine, json_string_value(x)) : NULL;
    if (!c) continue;
    int64_t ship = 0;
    int rpct = rules_cap(s, c, today), spct = recorded_cap(s, l->id, tg_chip_id(c), &ship), pct = l->cap_pct;
    char source[96] = "license";
    if (rpct && (!pct || rpct < pct)) pct = rpct, snprintf(source, sizeof source, "rules");
    if (spct && (!pct || spct < pct))
      pct = spct, snprintf(source, sizeof source, "rules, as imposed on shipment #%lld", (long long)ship);
    json_t *e = json_pack("{s:s}", "chip", tg_chip_id(c));
    json_array_append_new(caps, e);
    if (!pct) {
      json_object_set_new(e, "cap_pct", json_null());
      json_object_set_new(e, "note", json_string("no aggregate-TPP cap known: none stated on the license, "
                                                 "none imposed on a shipment recorded under it, and none "
                                                 "in the rules for a plain order of this chip to China today "
                                                 "(a cap that depends on the order's certifications shows "
                                                 "once a shipment is recorded)"));
      continue;
    }
    double tpp;
    bool known = tg_chip_metric(c, "tpp", &tpp) == 1 && tpp > 0;
    int64_t per = known ? llround(tpp * 1000) : 0;
    __int128 under = tpp_total(s, "SELECT qty, tpp_milli FROM shipments WHERE license_id = ?1 AND chip = ?2 "
                                  "AND dest IN ('CN', 'MO') AND tpp_milli IS NOT NULL",
                               l->id, NULL, tg_chip_id(c), &st, err);
    if (st != TG_OK) break;
    __int128 us = tpp_total(s, "SELECT qty, tpp_milli FROM shipments WHERE on_date <= ?1 AND chip = ?2 AND "
                               "dest = 'US' AND tpp_milli IS NOT NULL",
                            0, now, tg_chip_id(c), &st, err);
    if (st != TG_OK) break;
    __int128 allowed = us * pct / 100, room = allowed - under;
    json_object_set_new(e, "cap_pct", json_integer(pct));
    json_object_set_new(e, "cap_source", json_string(source));
    json_object_set_new(e, "as_of", json_string(now));
    json_object_set_new(e, "tpp_per_unit", known ? json_real((double)per / 1000) : json_null());
    json_object_set_new(e, "cn_mo_tpp", big(under / 1000));
    json_object_set_new(e, "us_tpp", big(us / 1000));
    json_object_set_new(e, "allowed_tpp", big(allowed / 1000));
    json_object_set_new(e, "headroom_tpp", big(room / 1000));
    json_object_set_new(e, "units_shipped", big(per ? under / per : 0));
    json_object_set_new(e, "headroom_units", per ? big(room > 0 ? room / per : 0) : json_null());
    json_object_set_new(e, "allowed_units", per ? big(allowed / per) : json_null());
  }
  if (st != TG_OK) {
    json_decref(caps);
    return st;
  }
  json_object_set_new(o, "tpp_caps", caps);
  return TG_OK;
}

tg_status tg_license_json(tg_store *s, const char *number, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !number) return tg__set_error(err, TG_EINVAL, "tg_license_json: missing argument");
  char sql[600];
  snprintf(sql, sizeof sql, "%s WHERE number = ?", license_cols);
  tg_stmt *q;
  tg_status st = tg__select_one(s, sql, 0, number, "license", &q, err);
  if (st != TG_OK) return st;
  json_t *o = license_view(s, q, err);
  int64_t id = tg__col_int64(q, 0);
  tg__finalize(q);
  if (!o) return err ? err->status : TG_ESTORE;
  tg__license l;
  if ((st = shipment_ids(s, id, o, err)) != TG_OK || (st = tg__license_load(s, number, &l, err)) != TG_OK) {
    json_decref(o);
    return st;
  }
  st = license_caps(s, &l, o, err);
  tg__license_free(&l);
  if (st != TG_OK) {
    json_decref(o);
    return st;
  }
  return tg__json_out(o, TG__LEDGER_JSON, json_out, err);
}

tg_status tg_licenses_json(tg_store *s, char **json_out, tg_error *err) {
  return tg_licenses_page_json(s, NULL, json_out, err);
}

tg_status tg_licenses_page_json(tg_store *s, tg_page *page, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_licenses_json: no store");
  tg__buf sql;
  tg__buf_init(&sql);
  tg__buf_printf(&sql, "%s%s ORDER BY number", license_cols,
                 page && page->after ? " WHERE number > ?" : "");
  tg__page_sql(page, &sql);
  tg_stmt *q = NULL;
  tg_status st = sql.oom ? tg__set_error(err, TG_ENOMEM, "out of memory")
                         : tg__store_prepare(s, sql.data, &q, err);
  tg__buf_free(&sql);
  if (st != TG_OK) return st;
  if (page && page->after) tg__bind_text(q, 1, page->after);
  json_t *a = json_array();
  int rc;
  size_t kept = 0;
  while ((rc = tg__step(q)) == TG__ROW && !tg__page_full(page, kept)) {
    json_t *o = license_view(s, q, err);
    if (!o) {
      tg__finalize(q);
      json_decref(a);
      return err ? err->status : TG_ESTORE;
    }
    tg__page_keep(page, json_string_value(json_object_get(o, "number")));
    json_array_append_new(a, o);
    kept++;
  }
  tg__finalize(q);
  if (rc != TG__DONE && rc != TG__ROW) {
    json_decref(a);
    return tg__store_error(s, err, "cannot list licenses");
  }
  if (rc == TG__DONE) tg__page_last(page);
  return tg__json_out(a, TG__LEDGER_JSON, json_out, err);
}
