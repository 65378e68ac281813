/* ledger_license_change.c - amending and extending a license, each with a
 * reason: the changed license is checked like a new one, and refused when
 * the shipments already recorded under it would exceed it; the change
 * (with the license as it was) goes into table license_changes (009) and
 * both rows into the audit trail, in one transaction. */
#include "ledger_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ITEMS 256 /* chips, destinations, end users, conditions kept */

/* A JSON array of strings as a C array (pointers into the array). */
static size_t strings(json_t *a, const char **out) {
  size_t i, n = 0;
  json_t *x;
  json_array_foreach(a, i, x) if (n < MAX_ITEMS && json_is_string(x)) out[n++] = json_string_value(x);
  return n;
}

static bool has_name(json_t *a, const char *v, bool fold) {
  size_t i;
  json_t *x;
  json_array_foreach(a, i, x) {
    const char *s = json_string_value(x);
    if (s && (fold ? !strcasecmp(s, v) : !strcmp(s, v))) return true;
  }
  return false;
}

/* Refuses (TG_EREFUSED, nothing written) when a shipment recorded under
 * license id (not reversed) falls outside the changed license. */
static tg_status shipments_fit(tg_store *s, int64_t id, const tg_license_spec *sp, json_t *arr[4],
                               tg_error *err) {
  int64_t qty = 0, value = 0;
  tg_status st = tg__license_used(s, id, &qty, &value, NULL, err);
  if (st != TG_OK) return st;
  if (sp->qty_limit >= 0 && qty > sp->qty_limit)
    return tg__set_error(err, TG_EREFUSED, "qty: %lld units are already shipped under license %s, more than "
                         "the new limit of %lld", (long long)qty, sp->number, (long long)sp->qty_limit);
  if (sp->value_limit_cents >= 0 && value > sp->value_limit_cents) {
    char u[32], l[32];
    tg__usd_text(value, u);
    tg__usd_text(sp->value_limit_cents, l);
    return tg__set_error(err, TG_EREFUSED, "value: USD %s is already shipped under license %s, more than the "
                         "new limit of USD %s", u, sp->number, l);
  }
  tg_stmt *q;
  if ((st = tg__store_prepare(s,
                              "SELECT id, chip, eccn, dest, end_user, on_date FROM shipments h WHERE "
                              "license_id = ? AND kind = 'shipment' AND NOT EXISTS (SELECT 1 FROM "
                              "shipments r WHERE r.corrects = h.id) ORDER BY id",
                              &q, err)) != TG_OK)
    return st;
  tg__bind_int64(q, 1, id);
  char from[11], until[11];
  tg_date_format(sp->valid_from, from);
  tg_date_format(sp->valid_until, until);
  int rc;
  while (st == TG_OK && (rc = tg__step(q)) == TG__ROW) {
    long long sid = (long long)tg__col_int64(q, 0);
    const char *chip = (const char *)tg__col_text(q, 1), *eccn = (const char *)tg__col_text(q, 2);
    const char *dest = (const char *)tg__col_text(q, 3), *user = (const char *)tg__col_text(q, 4);
    const char *on = (const char *)tg__col_text(q, 5);
    if (!tg__license_covers_chip(arr[0], chip ? chip : "", eccn))
      st = tg__set_error(err, TG_EREFUSED, "chip: shipment #%lld of %s would no longer be covered", sid, chip);
    else if (!has_name(arr[1], dest ? dest : "", false))
      st = tg__set_error(err, TG_EREFUSED, "to: shipment #%lld to %s would no longer be covered", sid, dest);
    else if (json_array_size(arr[2]) && user && !has_name(arr[2], user, true))
      st = tg__set_error(err, TG_EREFUSED, "end_user: shipment #%lld to '%.100s' would no longer be covered",
                         sid, user);
    else if (on && (strcmp(on, from) < 0 || strcmp(on, until) > 0))
      st = tg__set_error(err, TG_EREFUSED, "validity: shipment #%lld of %s would fall outside %s to %s", sid,
                         on, from, until);
  }
  tg__finalize(q);
  if (st == TG_OK && rc != TG__DONE) st = tg__store_error(s, err, "cannot read the license's shipments");
  return st;
}

/* The license's current holder, conditions and notes (the rest is in l). */
static tg_status load_rest(tg_store *s, int64_t id, char **holder, json_t **conds, char **notes,
                           tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__select_one(s, "SELECT holder, conditions, notes FROM licenses WHERE id = ?", id, NULL,
                                "license", &q, err);
  if (st != TG_OK) return st;
  const char *n = (const char *)tg__col_text(q, 2);
  *holder = tg__strdup((const char *)tg__col_text(q, 0));
  *conds = tg__column_array(q, 1);
  *notes = n ? tg__strdup(n) : NULL;
  tg__finalize(q);
  return *holder ? TG_OK : tg__set_error(err, TG_ENOMEM, "out of memory");
}

static tg_status update_row(tg_store *s, int64_t id, const tg_license_spec *sp, json_t *arr[4],
                            tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(s,
                                   "UPDATE licenses SET holder = ?, chips = ?, destinations = ?, "
                                   "end_users = ?, qty_limit = ?, value_limit_cents = ?, valid_from = ?, "
                                   "valid_until = ?, payment_rate_ppm = ?, tpp_cap_pct = ?, conditions = ?, "
                                   "notes = ? WHERE id = ?",
                                   &q, err);
  if (st != TG_OK) return st;
  char from[11], until[11];
  tg_date_format(sp->valid_from, from);
  tg_date_format(sp->valid_until, until);
  tg__bind_text(q, 1, sp->holder);
  for (int i = 0; i < 3; i++) tg__bind_array(q, 2 + i, arr[i]);
  tg__bind_limit(q, 5, sp->qty_limit);
  tg__bind_limit(q, 6, sp->value_limit_cents);
  tg__bind_text(q, 7, from);
  tg__bind_text(q, 8, until);
  tg__bind_limit(q, 9, sp->payment_rate_ppm);
  tg__bind_limit(q, 10, sp->tpp_cap_pct > 0 ? sp->tpp_cap_pct : -1);
  tg__bind_array(q, 11, arr[3]);
  tg__bind_text(q, 12, sp->notes && *sp->notes ? sp->notes : NULL);
  tg__bind_int64(q, 13, id);
  int rc = tg__step(q);
  tg__finalize(q);
  return rc == TG__DONE ? TG_OK : tg__store_error(s, err, "cannot change the license");
}

static tg_status record_change(tg_store *s, const char *number, const char *kind, const char *reason,
                               const char *prior, const char *actor, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(s,
                                   "INSERT INTO license_changes (license_number, kind, reason, prior_state, "
                                   "changed_at, changed_by) VALUES (?,?,?,?,?,?)",
                                   &q, err);
  if (st != TG_OK) return st;
  char at[21];
  tg__ledger_now(s, at);
  tg__bind_text(q, 1, number);
  tg__bind_text(q, 2, kind);
  tg__bind_text(q, 3, reason);
  tg__bind_text(q, 4, prior);
  tg__bind_text(q, 5, at);
  tg__bind_text(q, 6, actor);
  int rc = tg__step(q);
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot record the license change");
  char action[32];
  snprintf(action, sizeof action, "license.%s", kind);
  return tg__audit_table_row(s, "license_changes", "license_change", tg__last_id(s), action, actor, err);
}

/* The change: the license merged with `ch` (kind "amend" or "extend"). */
static tg_status change(tg_store *s, const tg_license_spec *ch, const char *kind, const char *reason,
                        const char *actor, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK || (st = tg__decision_text("reason", reason, err)) != TG_OK)
    return st;
  if (!ch->number || !*ch->number) return tg__set_error(err, TG_EINVAL, "the license number is required");
  if ((st = tg__store_begin(s, err)) != TG_OK) return st;
  tg__license l;
  char *holder = NULL, *notes = NULL, *prior = NULL;
  json_t *conds = NULL, *arr[4] = {json_array(), json_array(), json_array(), json_array()};
  const char *chips[MAX_ITEMS], *dests[MAX_ITEMS], *users[MAX_ITEMS], *cs[MAX_ITEMS];
  if ((st = tg__license_load(s, ch->number, &l, err)) != TG_OK) goto out_nolic;
  if (l.revoked) {
    st = tg__set_error(err, TG_ECONFLICT, "license '%s' is revoked: it cannot be changed", ch->number);
    goto out;
  }
  if ((st = load_rest(s, l.id, &holder, &conds, &notes, err)) != TG_OK ||
      (st = tg__license_state(s, l.id, &prior, err)) != TG_OK)
    goto out;
  tg_license_spec m;
  tg_license_spec_init(&m);
  m.number = l.number;
  m.holder = ch->holder ? ch->holder : holder;
  m.chips = ch->nchips ? ch->chips : chips;
  m.nchips = ch->nchips ? ch->nchips : strings(l.chips, chips);
  m.destinations = ch->ndestinations ? ch->destinations : dests;
  m.ndestinations = ch->ndestinations ? ch->ndestinations : strings(l.dests, dests);
  m.end_users = ch->nend_users ? ch->end_users : users;
  m.nend_users = ch->nend_users ? ch->nend_users : strings(l.end_users, users);
  m.conditions = ch->nconditions ? ch->conditions : cs;
  m.nconditions = ch->nconditions ? ch->nconditions : strings(conds, cs);
  m.qty_limit = ch->qty_limit >= 0 ? ch->qty_limit : l.qty_limit;
  m.value_limit_cents = ch->value_limit_cents >= 0 ? ch->value_limit_cents : l.value_limit;
  m.valid_from = ch->valid_from != TG_DATE_NONE ? ch->valid_from : l.from;
  m.valid_until = ch->valid_until != TG_DATE_NONE ? ch->valid_until : l.until;
  m.payment_rate_ppm = ch->payment_rate_ppm >= 0 ? ch->payment_rate_ppm : l.rate_ppm;
  m.tpp_cap_pct = ch->tpp_cap_pct > 0 ? ch->tpp_cap_pct : l.cap_pct;
  m.notes = ch->notes ? ch->notes : notes;
  if (!strcmp(kind, "extend") && m.valid_until <= l.until) {
    char u[11];
    tg_date_format(l.until, u);
    st = tg__set_error(err, TG_EINVAL, "until: an extension ends after the license's current end (%s)", u);
    goto out;
  }
  if ((st = tg__license_check_spec(&m, err)) != TG_OK ||
      (st = tg__license_spec_arrays(s, &m, arr[0], arr[1], arr[2], arr[3], err)) != TG_OK ||
      (st = shipments_fit(s, l.id, &m, arr, err)) != TG_OK || (st = update_row(s, l.id, &m, arr, err)) != TG_OK ||
      (st = record_change(s, l.number, kind, reason, prior, actor, err)) != TG_OK)
    goto out;
  char action[32];
  snprintf(action, sizeof action, "license.%s", kind);
  if ((st = tg__audit_row(s, tg__license_state, l.id, "license", l.number, action, actor, err)) != TG_OK ||
      (st = tg_license_json(s, l.number, json_out, err)) != TG_OK || (st = tg__store_commit(s, err)) != TG_OK)
    goto out;
out:
  tg__license_free(&l);
out_nolic:
  if (st != TG_OK) {
    if (json_out) tg_free(*json_out), *json_out = NULL;
    tg__store_rollback(s);
  }
  tg__free(holder);
  tg__free(notes);
  tg__free(prior);
  json_decref(conds);
  for (int i = 0; i < 4; i++) json_decref(arr[i]);
  return st;
}

tg_status tg_license_amend(tg_store *s, const tg_license_spec *changes, const char *reason,
                           const char *actor, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !changes) return tg__set_error(err, TG_EINVAL, "tg_license_amend: missing argument");
  return change(s, changes, "amend", reason, actor, json_out, err);
}

tg_status tg_license_extend(tg_store *s, const char *number, tg_date until, const char *reason,
                            const char *actor, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !number) return tg__set_error(err, TG_EINVAL, "tg_license_extend: missing argument");
  if (until == TG_DATE_NONE) return tg__set_error(err, TG_EINVAL, "until: the new end date is required");
  tg_license_spec ch;
  tg_license_spec_init(&ch);
  ch.number = number;
  ch.valid_until = until;
  return change(s, &ch, "extend", reason, actor, json_out, err);
}
