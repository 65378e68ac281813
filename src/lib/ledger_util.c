/* ledger_util.c - small pieces the ledger modules share: the store's clock
 * (audit timestamps), money and rate text, JSON output, and the
 * canonical state of a license or shipment row that audit records carry. */
#include "ledger_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void tg_store_set_clock(tg_store *s, tg_clock_fn fn, void *ud) {
  if (!s) return;
  s->clock = fn;
  s->clock_ud = ud;
}

void tg__ledger_now(tg_store *s, char out[21]) { tg__clock_now(s->clock, s->clock_ud, out); }

void tg__clock_now(tg_clock_fn fn, void *ud, char out[21]) {
  int64_t t;
  if (fn) {
    t = fn(ud);
  } else {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    t = (int64_t)ts.tv_sec;
  }
  time_t tt = (time_t)t;
  struct tm tm;
  if (!gmtime_r(&tt, &tm)) memset(&tm, 0, sizeof tm);
  char b[64];
  snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02dZ", (tm.tm_year + 1900) % 10000,
           (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
           tm.tm_sec % 100);
  memcpy(out, b, 20);
  out[20] = '\0';
}

tg_status tg__check_actor(const char *actor, tg_error *err) {
  if (!actor || !*actor)
    return tg__set_error(err, TG_EINVAL, "no actor: every write records who made it");
  size_t n = strlen(actor);
  if (n > 200) return tg__set_error(err, TG_EINVAL, "actor name too long (%zu bytes)", n);
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)actor[i] < 0x20)
      return tg__set_error(err, TG_EINVAL, "actor name contains a control character");
  return TG_OK;
}

void tg__usd_text(int64_t cents, char out[32]) {
  uint64_t m = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
  snprintf(out, 32, "%s%llu.%02llu", cents < 0 ? "-" : "", (unsigned long long)(m / 100),
           (unsigned long long)(m % 100));
}

void tg__rate_text(int64_t ppm, char out[24]) {
  /* ppm / 10000 = percent; up to four decimals, trailing zeros dropped */
  int64_t whole = ppm / 10000, frac = ppm % 10000;
  if (frac < 0) frac = -frac;
  if (!frac) {
    snprintf(out, 24, "%lld%%", (long long)whole);
    return;
  }
  char f[24], b[64];
  snprintf(f, sizeof f, "%04lld", (long long)frac);
  for (int i = 3; i > 0 && f[i] == '0'; i--) f[i] = '\0';
  snprintf(b, sizeof b, "%lld.%s%%", (long long)whole, f);
  snprintf(out, 24, "%.23s", b);
}

void tg__set_money(json_t *obj, const char *key, int64_t cents) {
  char k[64], usd[32];
  tg__usd_text(cents, usd);
  snprintf(k, sizeof k, "%s_cents", key);
  json_object_set_new(obj, k, json_integer(cents));
  snprintf(k, sizeof k, "%s_usd", key);
  json_object_set_new(obj, k, json_string(usd));
}

void tg__set_money_wide(json_t *obj, const char *key, __int128 cents) {
  if (cents >= INT64_MIN && cents <= INT64_MAX) {
    tg__set_money(obj, key, (int64_t)cents);
    return;
  }
  unsigned __int128 m = cents < 0 ? -(unsigned __int128)cents : (unsigned __int128)cents;
  char digits[48], usd[64], k[64];
  int n = 0;
  do digits[n++] = (char)('0' + (int)(m % 10)), m /= 10;
  while (m);
  while (n < 3) digits[n++] = '0';
  int j = 0;
  if (cents < 0) usd[j++] = '-';
  for (int i = n - 1; i >= 0; i--) {
    usd[j++] = digits[i];
    if (i == 2) usd[j++] = '.';
  }
  usd[j] = '\0';
  snprintf(k, sizeof k, "%s_cents", key);
  json_object_set_new(obj, k, json_null());
  snprintf(k, sizeof k, "%s_usd", key);
  json_object_set_new(obj, k, json_string(usd));
}

void tg__set_money_opt(json_t *obj, const char *key, bool known, int64_t cents) {
  if (known) {
    tg__set_money(obj, key, cents);
    return;
  }
  char k[64];
  snprintf(k, sizeof k, "%s_cents", key);
  json_object_set_new(obj, k, json_null());
  snprintf(k, sizeof k, "%s_usd", key);
  json_object_set_new(obj, k, json_null());
}

tg_status tg__json_out(json_t *j, size_t flags, char **json_out, tg_error *err) {
  if (!json_out) {
    json_decref(j);
    return TG_OK;
  }
  *json_out = NULL;
  if (!j) return tg__set_error(err, TG_ENOMEM, "out of memory");
  char *s = json_dumps(j, flags);
  json_decref(j);
  if (!s) return tg__set_error(err, TG_ENOMEM, "out of memory");
  /* jansson allocates with malloc, as tg_free expects */
  *json_out = s;
  return TG_OK;
}

json_t *tg__column_json(tg_stmt *q, int i) {
  switch (tg__col_type(q, i)) {
  case TG__INTEGER: return json_integer(tg__col_int64(q, i));
  case TG__NULL: return json_null();
  case TG__FLOAT: {
    /* never written by the ledger; kept exact as text so a change shows */
    char b[40];
    snprintf(b, sizeof b, "%.17g", tg__col_double(q, i));
    return json_pack("{s:s}", "real", b);
  }
  case TG__BLOB: {
    char h[65];
    tg__sha256_hex(tg__col_text(q, i), (size_t)tg__col_bytes(q, i), h);
    return json_pack("{s:s}", "blob_sha256", h);
  }
  default:
    return json_stringn((const char *)tg__col_text(q, i),
                        (size_t)tg__col_bytes(q, i));
  }
}

json_t *tg__column_array(tg_stmt *q, int i) {
  const char *t = (const char *)tg__col_text(q, i);
  json_t *a = t ? json_loads(t, 0, NULL) : NULL;
  if (!json_is_array(a)) {
    json_decref(a);
    a = json_array();
  }
  return a;
}

tg_status tg__select_one(tg_store *s, const char *sql, int64_t id, const char *key,
                         const char *what, tg_stmt **q, tg_error *err) {
  tg_status st = tg__store_prepare(s, sql, q, err);
  if (st != TG_OK) {
    *q = NULL;
    return st;
  }
  if (key) tg__bind_text(*q, 1, key);
  else tg__bind_int64(*q, 1, id);
  int rc = tg__step(*q);
  if (rc == TG__ROW) return TG_OK;
  if (rc == TG__DONE && key) st = tg__set_error(err, TG_ENOTFOUND, "no %s '%s'", what, key);
  else if (rc == TG__DONE) st = tg__set_error(err, TG_ENOTFOUND, "no %s %lld", what, (long long)id);
  else st = tg__store_error(s, err, "cannot read the ledger");
  tg__finalize(*q);
  *q = NULL;
  return st;
}

/* Every column of the row at q's position from `first` on as canonical
 * JSON; `hashed` names a column kept by its SHA-256 (key
 * "<name>_sha256") instead of its text. */
static tg_status state_at(tg_stmt *q, int first, const char *hashed, char **out, tg_error *err) {
  json_t *o = json_object();
  int n = tg__col_count(q);
  for (int i = first; i < n; i++) {
    const char *name = tg__col_name(q, i);
    if (hashed && !strcmp(name, hashed)) {
      char h[65], k[64];
      const char *text = tg__col_text(q, i);
      if (text) tg__sha256_hex(text, (size_t)tg__col_bytes(q, i), h);
      snprintf(k, sizeof k, "%s_sha256", name);
      json_object_set_new(o, k, text ? json_string(h) : json_null()); /* null: text missing */
    } else {
      json_object_set_new(o, name, tg__column_json(q, i));
    }
  }
  *out = json_dumps(o, TG__CANON_JSON);
  json_decref(o);
  return *out ? TG_OK : tg__set_error(err, TG_ENOMEM, "out of memory");
}

/* The state of the row an id selects. */
static tg_status row_state(tg_store *s, const char *sql, int64_t id, const char *what,
                           const char *hashed, char **out, tg_error *err) {
  *out = NULL;
  tg_stmt *q;
  tg_status st = tg__select_one(s, sql, id, NULL, what, &q, err);
  if (st != TG_OK) return st;
  st = state_at(q, 0, hashed, out, err);
  tg__finalize(q);
  return st;
}

tg_status tg__audit_row(tg_store *s, tg__state_fn state, int64_t id, const char *kind,
                        const char *key, const char *action, const char *actor, tg_error *err) {
  char *text, subject[400];
  tg_status st = state(s, id, &text, err);
  if (st != TG_OK) return st;
  snprintf(subject, sizeof subject, "%s:%s", kind, key);
  st = tg__audit_append(s, actor, action, subject, text, NULL, err);
  tg__free(text);
  return st;
}

tg_status tg__shipment_state_at(tg_stmt *q, int first, char **out, tg_error *err) {
  return state_at(q, first, "determination", out, err);
}

tg_status tg__license_state(tg_store *s, int64_t id, char **out, tg_error *err) {
  return row_state(s, "SELECT * FROM licenses WHERE id = ?", id, "license", NULL, out, err);
}

tg_status tg__nac_state(tg_store *s, int64_t id, char **out, tg_error *err) {
  return row_state(s, "SELECT * FROM nac_notifications WHERE id = ?", id, "NAC notification", NULL,
                   out, err);
}

tg_status tg__shipment_state(tg_store *s, int64_t id, char **out, tg_error *err) {
  /* the determination's hash taken from the text stored under it, so a
   * changed text shows as a changed shipment (the key set from the
   * column is overwritten by the one from the text) */
  return row_state(s,
                   "SELECT h.*, d.body AS determination FROM shipments h LEFT JOIN "
                   "determinations d ON d.sha256 = h.determination_sha256 WHERE h.id = ?",
                   id, "shipment", "determination", out, err);
}

tg_status tg__json_out_with(json_t *o, const char *key, const char *text, char **json_out,
                            tg_error *err) {
  char *outer = NULL;
  tg_status st = tg__json_out(o, TG__LEDGER_JSON, &outer, err);
  if (st != TG_OK) return st;
  /* the member sits one level down: "\n  \"key\": null" */
  char pat[80];
  snprintf(pat, sizeof pat, "\n  \"%s\": null", key);
  char *at = strstr(outer, pat);
  if (!at || !text) {
    free(outer);
    return tg__set_error(err, TG_ENOMEM, "cannot place %s in the answer", key);
  }
  tg__buf b;
  tg__buf_init(&b);
  at += strlen(pat) - 4;
  tg__buf_append(&b, outer, (size_t)(at - outer));
  /* each line of text one level deeper (JSON text has no raw newline
   * inside a string, so every newline is layout) */
  for (const char *p = text, *nl; *p; p = nl + 1) {
    if (!(nl = strchr(p, '\n'))) {
      tg__buf_puts(&b, p);
      break;
    }
    tg__buf_append(&b, p, (size_t)(nl + 1 - p));
    tg__buf_puts(&b, "  ");
  }
  tg__buf_puts(&b, at + 4);
  free(outer);
  if (b.oom) {
    tg__buf_free(&b);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  *json_out = tg__buf_detach(&b);
  return TG_OK;
}

void tg__json_compact(char *text) {
  char *w = text;
  bool in = false, esc = false;
  for (const char *p = text; *p; p++) {
    if (in) {
      if (esc) esc = false;
      else if (*p == '\\') esc = true;
      else if (*p == '"') in = false;
    } else if (*p == '"') {
      in = true;
    } else if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
      continue;
    }
    *w++ = *p;
  }
  *w = '\0';
}

bool tg__license_covers_chip(json_t *chips, const char *chip, const char *eccn) {
  size_t i;
  json_t *x;
  json_array_foreach(chips, i, x) {
    const char *c = json_string_value(x);
    if (!c) continue;
    size_t n = strlen(c);
    if (!strcmp(c, chip)) return true;
    if (eccn && (!strcmp(c, eccn) || (!strncmp(c, eccn, n) && eccn[n] == '.'))) return true;
  }
  return false;
}
