/* ledger_nac.c - License Exception NAC notifications: recording one as
 * submitted, BIS's answer (authorized with its number, objected) or its
 * expiry, and the check a NAC shipment must pass: an authorization that
 * names the chip, the destination and the end user, on the shipment's
 * date. */
#include "ledger_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAC_MAX_ITEMS 6 /* BIS: "The NAC notification is limited to six items" */

static tg_status need_text(const char *what, const char *v, tg_error *err) {
  if (!v || !*v) return tg__set_error(err, TG_EINVAL, "the NAC notification needs %s", what);
  if (strlen(v) > 300) return tg__set_error(err, TG_EINVAL, "%s is too long (at most 300 bytes)", what);
  for (const char *p = v; *p; p++)
    if ((unsigned char)*p < 0x20) return tg__set_error(err, TG_EINVAL, "%s contains a control character", what);
  return TG_OK;
}

static tg_status audit_nac(tg_store *s, int64_t id, const char *reference, const char *action,
                           const char *actor, tg_error *err) {
  return tg__audit_row(s, tg__nac_state, id, "nac", reference, action, actor, err);
}

static tg_status check_spec(tg_store *s, const tg_nac_spec *sp, json_t *items, char dest[3],
                            tg_error *err) {
  tg_status st;
  if ((st = need_text("a reference", sp->reference, err)) != TG_OK ||
      (st = need_text("an ultimate consignee", sp->consignee, err)) != TG_OK ||
      (st = need_text("an end user", sp->end_user, err)) != TG_OK)
    return st;
  if (!sp->nitems) return tg__set_error(err, TG_EINVAL, "the NAC notification names no item");
  if (sp->nitems > NAC_MAX_ITEMS)
    return tg__set_error(err, TG_EINVAL, "a NAC notification is limited to %d items (got %zu)",
                         NAC_MAX_ITEMS, sp->nitems);
  for (size_t i = 0; i < sp->nitems; i++) {
    if (!sp->items[i] || !tg_catalog_find(s->engine, sp->items[i]))
      return tg__set_error(err, TG_EINVAL, "'%s' is not a catalog chip",
                           sp->items[i] ? sp->items[i] : "");
    json_array_append_new(items, json_string(sp->items[i]));
  }
  if (tg_country_canonical(s->engine, sp->destination, dest) != TG_OK)
    return tg__set_error(err, TG_EINVAL, "destination '%s' is not an ISO 3166-1 alpha-2 code",
                         sp->destination ? sp->destination : "");
  if (sp->submitted == TG_DATE_NONE)
    return tg__set_error(err, TG_EINVAL, "the NAC notification needs its submission date");
  return TG_OK;
}

tg_status tg_nac_add(tg_store *s, const tg_nac_spec *spec, const char *actor, char **json_out,
                     tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !spec) return tg__set_error(err, TG_EINVAL, "tg_nac_add: missing argument");
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK) return st;
  json_t *items = json_array();
  char dest[3];
  if ((st = check_spec(s, spec, items, dest, err)) != TG_OK) goto out;
  tg_stmt *q;
  if ((st = tg__store_begin(s, err)) != TG_OK) goto out;
  if ((st = tg__store_prepare(s,
                              "INSERT INTO nac_notifications (reference, items, destination, "
                              "consignee, end_user, submitted_on, status, notes, created_at, "
                              "created_by) VALUES (?,?,?,?,?,?,'submitted',?,?,?)",
                              &q, err)) != TG_OK)
    goto fail;
  char *it = json_dumps(items, JSON_COMPACT);
  char sub[11], at[21];
  tg_date_format(spec->submitted, sub);
  tg__ledger_now(s, at);
  tg__bind_text(q, 1, spec->reference);
  tg__bind_text(q, 2, it ? it : "[]");
  tg__bind_text(q, 3, dest);
  tg__bind_text(q, 4, spec->consignee);
  tg__bind_text(q, 5, spec->end_user);
  tg__bind_text(q, 6, sub);
  tg__bind_text(q, 7, spec->notes && *spec->notes ? spec->notes : NULL);
  tg__bind_text(q, 8, at);
  tg__bind_text(q, 9, actor);
  int rc = tg__step(q);
  tg__finalize(q);
  free(it);
  if (rc == TG__STEP_CONSTRAINT) {
    st = tg__set_error(err, TG_ECONFLICT, "NAC notification '%s' already exists", spec->reference);
    goto fail;
  }
  if (rc != TG__DONE) {
    st = tg__store_error(s, err, "cannot record the NAC notification");
    goto fail;
  }
  if ((st = audit_nac(s, tg__last_id(s), spec->reference, "nac.submit", actor,
                      err)) != TG_OK ||
      (st = tg__store_commit(s, err)) != TG_OK)
    goto fail;
  st = tg_nac_json(s, spec->reference, json_out, err);
  goto out;
fail:
  tg__store_rollback(s);
out:
  json_decref(items);
  return st;
}

tg_status tg_nac_decide(tg_store *s, const char *reference, const char *status,
                        const char *authorization, tg_date on, tg_date valid_until,
                        const char *actor, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !reference || !status) return tg__set_error(err, TG_EINVAL, "tg_nac_decide: missing argument");
  bool authorize = !strcmp(status, "authorized");
  if (!authorize && strcmp(status, "objected") && strcmp(status, "expired"))
    return tg__set_error(err, TG_EINVAL, "status '%s' is not authorized, objected or expired", status);
  tg_status st;
  if ((st = tg__check_actor(actor, err)) != TG_OK) return st;
  if (authorize && (st = need_text("BIS's NAC authorization number", authorization, err)) != TG_OK)
    return st;
  if (on == TG_DATE_NONE) return tg__set_error(err, TG_EINVAL, "the decision needs its date");
  if (valid_until != TG_DATE_NONE && valid_until < on)
    return tg__set_error(err, TG_EINVAL, "the authorization cannot end before it is given");
  if ((st = tg__store_begin(s, err)) != TG_OK) return st;
  tg_stmt *q;
  if ((st = tg__select_one(s, "SELECT id, status, submitted_on FROM nac_notifications WHERE reference = ?",
                           0, reference, "NAC notification", &q, err)) != TG_OK)
    goto fail;
  int64_t id = tg__col_int64(q, 0);
  char cur[16], sub[11];
  snprintf(cur, sizeof cur, "%s", tg__col_text(q, 1));
  snprintf(sub, sizeof sub, "%s", tg__col_text(q, 2));
  tg__finalize(q);
  bool from_ok = !strcmp(status, "expired") ? !strcmp(cur, "authorized") || !strcmp(cur, "submitted")
                                            : !strcmp(cur, "submitted");
  if (!from_ok) {
    st = tg__set_error(err, TG_ECONFLICT, "NAC notification '%s' is %s; it cannot become %s",
                       reference, cur, status);
    goto fail;
  }
  char d[11], until[11];
  tg_date_format(on, d);
  tg_date_format(valid_until, until);
  if (strcmp(d, sub) < 0) {
    st = tg__set_error(err, TG_EINVAL, "the decision (%s) cannot precede the notification (%s)", d, sub);
    goto fail;
  }
  if ((st = tg__store_prepare(s,
                              authorize ? "UPDATE nac_notifications SET status = ?, nac_number = ?, "
                                          "decided_on = ?, valid_until = ? WHERE id = ?"
                                        : "UPDATE nac_notifications SET status = ?, decided_on = ? "
                                          "WHERE id = ?",
                              &q, err)) != TG_OK)
    goto fail;
  tg__bind_text(q, 1, status);
  if (authorize) {
    tg__bind_text(q, 2, authorization);
    tg__bind_text(q, 3, d);
    tg__bind_text(q, 4, valid_until == TG_DATE_NONE ? NULL : until);
    tg__bind_int64(q, 5, id);
  } else {
    tg__bind_text(q, 2, d);
    tg__bind_int64(q, 3, id);
  }
  int rc = tg__step(q);
  tg__finalize(q);
  if (rc != TG__DONE) {
    st = tg__store_error(s, err, "cannot record the decision");
    goto fail;
  }
  char action[24];
  snprintf(action, sizeof action, "nac.%s", authorize ? "authorize" : !strcmp(status, "objected") ? "object" : "expire");
  if ((st = audit_nac(s, id, reference, action, actor, err)) != TG_OK ||
      (st = tg__store_commit(s, err)) != TG_OK)
    goto fail;
  return tg_nac_json(s, reference, json_out, err);
fail:
  tg__store_rollback(s);
  return st;
}

static json_t *row_json(tg_stmt *q) {
  json_t *o = json_object();
  for (int i = 0; i < tg__col_count(q); i++) {
    const char *name = tg__col_name(q, i);
    json_object_set_new(o, name, !strcmp(name, "items") ? tg__column_array(q, i) : tg__column_json(q, i));
  }
  return o;
}

static const char NAC_COLS[] =
    "SELECT reference, status, nac_number, items, destination, consignee, end_user, "
    "submitted_on, decided_on, valid_until, notes, created_at, created_by FROM nac_notifications";

tg_status tg_nac_json(tg_store *s, const char *reference, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_nac_json: no store");
  char sql[400];
  snprintf(sql, sizeof sql, "%s%s", NAC_COLS, reference ? " WHERE reference = ?" : " ORDER BY id");
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, sql, &q, err);
  if (st != TG_OK) return st;
  if (reference) tg__bind_text(q, 1, reference);
  json_t *all = json_array();
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) json_array_append_new(all, row_json(q));
  tg__finalize(q);
  if (rc != TG__DONE) {
    json_decref(all);
    return tg__store_error(s, err, "cannot read the NAC notifications");
  }
  if (!reference) return tg__json_out(all, TG__LEDGER_JSON, json_out, err);
  json_t *one = json_incref(json_array_get(all, 0));
  json_decref(all);
  if (!one) return tg__set_error(err, TG_ENOTFOUND, "no NAC notification '%s'", reference);
  return tg__json_out(one, TG__LEDGER_JSON, json_out, err);
}

tg_status tg__nac_covers(tg_store *s, const char *reference, const char *chip, const char *dest,
                         const char *end_user, tg_date on, bool *ok, char *why, size_t n,
                         tg_date *submitted, tg_error *err) {
  *ok = false;
  tg_stmt *q;
  tg_status st = tg__select_one(s,
                                "SELECT status, nac_number, items, destination, end_user, "
                                "submitted_on, decided_on, valid_until FROM nac_notifications "
                                "WHERE reference = ?",
                                0, reference, "NAC notification", &q, err);
  if (st != TG_OK) return st;
  const char *status = tg__col_text(q, 0);
  const char *number = tg__col_text(q, 1);
  const char *ndest = tg__col_text(q, 3);
  const char *nuser = tg__col_text(q, 4);
  tg_date from = TG_DATE_NONE, until = TG_DATE_NONE;
  if (tg_date_parse(tg__col_text(q, 5), submitted) != TG_OK) *submitted = TG_DATE_NONE;
  if (tg__col_text(q, 6)) tg_date_parse(tg__col_text(q, 6), &from);
  if (tg__col_text(q, 7)) tg_date_parse(tg__col_text(q, 7), &until);
  json_t *items = tg__column_array(q, 2);
  bool has_chip = false;
  size_t i;
  json_t *x;
  json_array_foreach(items, i, x) has_chip |= !strcmp(json_string_value(x), chip);
  json_decref(items);
  if (strcmp(status, "authorized") != 0)
    snprintf(why, n, "NAC notification '%s' is %s: a NAC export waits for BIS's authorization", reference,
             !strcmp(status, "submitted") ? "submitted and not yet authorized" : status);
  else if (!has_chip) snprintf(why, n, "NAC authorization %s does not name %s", number, chip);
  else if (strcmp(ndest, dest) != 0) snprintf(why, n, "NAC authorization %s is for %s, not %s", number, ndest, dest);
  else if (!end_user || strcmp(nuser, end_user) != 0)
    snprintf(why, n, "NAC authorization %s names the end user '%s'%s", number, nuser,
             end_user ? ", not this shipment's" : "; give it (--end-user)");
  else if (on < from) snprintf(why, n, "NAC authorization %s was given after the shipment's date", number);
  else if (until != TG_DATE_NONE && on > until) snprintf(why, n, "NAC authorization %s has lapsed", number);
  else *ok = true;
  tg__finalize(q);
  return TG_OK;
}
