/* tokens.c - API access tokens: made from 32 random bytes (libsodium),
 * shown once, stored only as a BLAKE2b-256 hash (crypto_generichash) in the
 * tokens table (data/migrations/003_tokens.sql, 006_token_expiry.sql), looked up by that
 * hash, optionally expiring, rotated (a new secret under the same name) and
 * revoked by name; listed by a fingerprint of the hash, never the secret.
 * Names are never reused. */
#include "ledger_int.h"
#include "token_cache.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TOKEN_PREFIX "tg_"
#define TOKEN_RAW 32
#define TOKEN_B64 43 /* base64url of 32 bytes, no padding */
#define HASH_HEX (crypto_generichash_BYTES * 2 + 1)

static const char *const role_names[] = {NULL, "viewer", "officer", "admin"};

const char *tg_role_name(tg_role r) {
  return r >= TG_ROLE_VIEWER && r <= TG_ROLE_ADMIN ? role_names[r] : NULL;
}

tg_status tg_role_parse(const char *s, tg_role *out, tg_error *err) {
  for (int r = TG_ROLE_VIEWER; s && r <= TG_ROLE_ADMIN; r++)
    if (!strcmp(s, role_names[r])) {
      *out = (tg_role)r;
      return TG_OK;
    }
  return tg__set_error(err, TG_EINVAL, "unknown role '%s' (expected viewer, officer or admin)",
                       s ? s : "");
}

static bool valid_name(const char *n) {
  size_t len = n ? strlen(n) : 0;
  if (len == 0 || len >= sizeof ((tg_token_info *)0)->name) return false;
  for (; *n; n++)
    if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
          strchr("._@-", *n)))
      return false;
  return true;
}

/* Hex of the hash of a token's text (and the hash, when bin is given). */
static void token_hash(const char *token, char hex[HASH_HEX]) {
  unsigned char h[crypto_generichash_BYTES];
  crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
  sodium_bin2hex(hex, HASH_HEX, h, sizeof h);
}

static void token_hash_bin(const char *token, unsigned char h[TG__TOKEN_HASH]) {
  crypto_generichash(h, TG__TOKEN_HASH, (const unsigned char *)token, strlen(token), NULL, 0);
}

static void iso_time(int64_t now, char out[32]) {
  time_t t = (time_t)now;
  struct tm tm;
  if (!gmtime_r(&t, &tm)) memset(&tm, 0, sizeof tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The fingerprint of a stored hash: 16 hex digits of BLAKE2b of it. */
static void fingerprint(const char *hash_hex, char out[17]) {
  unsigned char h[8];
  crypto_generichash(h, sizeof h, (const unsigned char *)hash_hex, strlen(hash_hex),
                     (const unsigned char *)"tollgate-fp", 11);
  sodium_bin2hex(out, 17, h, sizeof h);
}

/* A new secret: "tg_" and base64url of 32 random bytes (caller frees). */
static char *new_secret(void) {
  unsigned char raw[TOKEN_RAW];
  randombytes_buf(raw, sizeof raw);
  char b64[TOKEN_B64 + 1];
  sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
  char *t = tg__malloc(sizeof TOKEN_PREFIX + TOKEN_B64);
  if (t) snprintf(t, sizeof TOKEN_PREFIX + TOKEN_B64, "%s%s", TOKEN_PREFIX, b64);
  return t;
}

tg_status tg_token_add(tg_store *s, const char *name, tg_role role, int64_t now, char **token,
                       tg_error *err) {
  return tg_token_add_expiring(s, name, role, now, 0, token, err);
}

tg_status tg_token_add_expiring(tg_store *s, const char *name, tg_role role, int64_t now,
                                int64_t expires, char **token, tg_error *err) {
  if (!s || !token) return tg__set_error(err, TG_EINVAL, "tg_token_add: missing argument");
  *token = NULL;
  if (!valid_name(name))
    return tg__set_error(err, TG_EINVAL,
                         "token name '%s' must be 1-63 of A-Z a-z 0-9 . _ @ -", name ? name : "");
  if (!tg_role_name(role)) return tg__set_error(err, TG_EINVAL, "unknown role %d", (int)role);
  if (expires && expires <= now)
    return tg__set_error(err, TG_EINVAL, "the token would expire before it is made");
  if (sodium_init() < 0) return tg__set_error(err, TG_ESTORE, "libsodium failed to start");
  char *t = new_secret();
  if (!t) return tg__set_error(err, TG_ENOMEM, "out of memory");
  char hex[HASH_HEX], when[32], until[32];
  token_hash(t, hex);
  iso_time(now, when);
  iso_time(expires, until);
  tg_stmt *q = NULL;
  tg_status st = tg__store_prepare(
      s, "INSERT INTO tokens(name, role, hash, hint, created_at, expires_at) VALUES (?, ?, ?, '', ?, ?)",
      &q, err);
  if (st == TG_OK) {
    tg__bind_text(q, 1, name);
    tg__bind_text(q, 2, tg_role_name(role));
    tg__bind_text(q, 3, hex);
    tg__bind_text(q, 4, when);
    tg__bind_text(q, 5, expires ? until : NULL);
    int rc = tg__step(q);
    if (rc == TG__STEP_CONSTRAINT)
      st = tg__set_error(err, TG_ECONFLICT,
                         "a token named '%s' exists or existed (names are never reused)", name);
    else if (rc != TG__DONE)
      st = tg__store_error(s, err, "cannot store token");
  }
  tg__finalize(q);
  if (st != TG_OK) {
    sodium_memzero(t, strlen(t));
    tg__free(t);
    return st;
  }
  *token = t;
  return TG_OK;
}

/* The hash of a presented token (binary and hex), *out cleared;
 * TG_EDENIED when it is not a Tollgate token at all. */
static tg_status token_key(const char *token, tg_token_info *out, unsigned char bin[TG__TOKEN_HASH],
                           char hex[HASH_HEX], tg_error *err) {
  memset(out, 0, sizeof *out);
  size_t len = token ? strlen(token) : 0;
  if (len != sizeof TOKEN_PREFIX - 1 + TOKEN_B64 || strncmp(token, TOKEN_PREFIX, 3) != 0)
    return tg__set_error(err, TG_EDENIED, "not a Tollgate token");
  token_hash_bin(token, bin);
  sodium_bin2hex(hex, HASH_HEX, bin, TG__TOKEN_HASH);
  return TG_OK;
}

/* The database's answer for the token of hash `hex` at `now`: TG_OK with
 * *out and its expiry (NULL-terminated text, "" = never). */
static tg_status lookup(tg_store *s, const char *hex, const char *now, tg_token_info *out,
                        char expires[TG__TOKEN_EXPIRES], tg_error *err) {
  memset(out, 0, sizeof *out);
  expires[0] = '\0';
  tg_stmt *q = NULL;
  tg_status st = tg__store_prepare(
      s,
      "SELECT name, role, expires_at FROM tokens WHERE hash = ?1 AND revoked_at IS NULL AND "
      "(expires_at IS NULL OR expires_at > ?2)",
      &q, err);
  if (st != TG_OK) return st;
  tg__bind_text(q, 1, hex);
  tg__bind_text(q, 2, now);
  int rc = tg__step(q);
  if (rc == TG__ROW) {
    snprintf(out->name, sizeof out->name, "%s", (const char *)tg__col_text(q, 0));
    st = tg_role_parse((const char *)tg__col_text(q, 1), &out->role, err);
    const char *until = (const char *)tg__col_text(q, 2);
    /* an expiry too long to remember is not remembered */
    snprintf(expires, TG__TOKEN_EXPIRES, "%s", until && strlen(until) < TG__TOKEN_EXPIRES ? until
                                                : until ? "~" : "");
  } else if (rc == TG__DONE) {
    st = tg__set_error(err, TG_EDENIED, "unknown, expired or revoked token");
  } else {
    st = tg__store_error(s, err, "cannot look token up");
  }
  tg__finalize(q);
  return st;
}

tg_status tg_token_verify(tg_store *s, const char *token, tg_token_info *out, tg_error *err) {
  if (!s || !out) return tg__set_error(err, TG_EINVAL, "tg_token_verify: missing argument");
  unsigned char bin[TG__TOKEN_HASH];
  char hex[HASH_HEX], until[TG__TOKEN_EXPIRES], now[21];
  tg_status st = token_key(token, out, bin, hex, err);
  if (st != TG_OK) return st;
  /* a lookup made since the last revocation or rotation (token_cache.c),
   * if the token has not expired since */
  uint64_t epoch;
  bool known = tg__token_cache_get(s, bin, &epoch, out, until);
  if (known && !until[0]) return TG_OK;
  tg__ledger_now(s, now); /* the store's clock, as audit records use */
  if (known && strcmp(until, now) > 0) return TG_OK;
  st = lookup(s, hex, now, out, until, err);
  if (st == TG_OK && until[0] != '~') tg__token_cache_put(s, bin, epoch, until[0] ? until : NULL, out);
  return st;
}

tg_status tg_token_verify_leased(tg_token_lease *l, tg_store *s, const char *token,
                                 tg_token_info *out, tg_error *err) {
  if (!l || !out) return tg__set_error(err, TG_EINVAL, "tg_token_verify_leased: missing argument");
  int64_t epoch;
  unsigned char bin[TG__TOKEN_HASH];
  char hex[HASH_HEX], until[TG__TOKEN_EXPIRES], now[21];
  if (token_key(token, out, bin, hex, err) != TG_OK) return TG_EDENIED;
  if (tg__lease_get(l, bin, &epoch, out, until, now) && (!until[0] || strcmp(until, now) > 0))
    return TG_OK;
  memset(out, 0, sizeof *out);
  if (!s) return tg__set_error(err, TG_ENOTFOUND, "the token is not known under the lease");
  tg__ledger_now(s, now);
  tg_status st = lookup(s, hex, now, out, until, err);
  if (st == TG_OK && until[0] != '~') tg__lease_put(l, bin, epoch, until[0] ? until : NULL, out);
  return st;
}

tg_status tg_token_rotate(tg_store *s, const char *name, char **token, tg_error *err) {
  if (!s || !name || !token) return tg__set_error(err, TG_EINVAL, "tg_token_rotate: missing argument");
  *token = NULL;
  if (s->depth) /* the token epoch must move after the commit (token_cache.c) */
    return tg__set_error(err, TG_EINVAL, "tg_token_rotate: not inside a transaction");
  if (sodium_init() < 0) return tg__set_error(err, TG_ESTORE, "libsodium failed to start");
  char *t = new_secret();
  if (!t) return tg__set_error(err, TG_ENOMEM, "out of memory");
  char hex[HASH_HEX];
  token_hash(t, hex);
  tg_stmt *q = NULL;
  uint64_t *epoch = NULL; /* ends remembered lookups of the old secret */
  tg_status st = tg__token_epoch_ready(s, &epoch, err);
  if (st == TG_OK)
    st = tg__store_prepare(s, "UPDATE tokens SET hash = ?, changes = changes + 1 WHERE name = ? AND "
                           "revoked_at IS NULL",
                           &q, err);
  bool ran = st == TG_OK;
  if (ran) {
    tg__bind_text(q, 1, hex);
    tg__bind_text(q, 2, name);
    if (tg__step(q) != TG__DONE) st = tg__store_error(s, err, "cannot rotate token");
    else if (tg__changes(s) == 0)
      st = tg__set_error(err, TG_ENOTFOUND, "no valid token named '%s'", name);
  }
  tg__finalize(q);
  tg__token_epoch_bump(epoch); /* after the change (autocommitted) */
  if (ran) tg__lease_outlast(s); /* no server's older lease is current after this */
  if (st != TG_OK) {
    sodium_memzero(t, strlen(t));
    tg__free(t);
    return st;
  }
  *token = t;
  return TG_OK;
}

tg_status tg_token_revoke(tg_store *s, const char *name, int64_t now, tg_error *err) {
  if (!s || !name) return tg__set_error(err, TG_EINVAL, "tg_token_revoke: missing argument");
  if (s->depth) /* the token epoch must move after the commit (token_cache.c) */
    return tg__set_error(err, TG_EINVAL, "tg_token_revoke: not inside a transaction");
  char when[32];
  iso_time(now, when);
  tg_stmt *q = NULL;
  uint64_t *epoch = NULL; /* ends remembered lookups of the token */
  tg_status st = tg__token_epoch_ready(s, &epoch, err);
  if (st == TG_OK)
    st = tg__store_prepare(
        s, "UPDATE tokens SET revoked_at = ?, changes = changes + 1 WHERE name = ? AND "
        "revoked_at IS NULL", &q, err);
  if (st != TG_OK) {
    tg__token_epoch_bump(epoch);
    return st;
  }
  tg__bind_text(q, 1, when);
  tg__bind_text(q, 2, name);
  if (tg__step(q) != TG__DONE) st = tg__store_error(s, err, "cannot revoke token");
  else if (tg__changes(s) == 0)
    st = tg__set_error(err, TG_ENOTFOUND, "no valid token named '%s'", name);
  tg__finalize(q);
  tg__token_epoch_bump(epoch); /* after the change (autocommitted) */
  tg__lease_outlast(s); /* no server's older lease is current after this */
  return st;
}

tg_status tg_token_fingerprint(const char *token, char out[17]) {
  if (!token || !out) return TG_EINVAL;
  char hex[HASH_HEX];
  token_hash(token, hex);
  fingerprint(hex, out);
  return TG_OK;
}

tg_status tg_token_list_json(tg_store *s, char **out, tg_error *err) {
  return tg_token_list_page_json(s, NULL, out, err);
}

/* A page's cursor: the created_at of the token it names (the order is
 * created_at, then name); TG_EINVAL when there is none. */
static tg_status page_anchor(tg_store *s, const char *name, char at[40], tg_error *err) {
  tg_stmt *q = NULL;
  tg_status st = tg__store_prepare(s, "SELECT created_at FROM tokens WHERE name = ?", &q, err);
  if (st != TG_OK) return st;
  tg__bind_text(q, 1, name);
  int rc = tg__step(q);
  const char *v = rc == TG__ROW ? (const char *)tg__col_text(q, 0) : NULL;
  snprintf(at, 40, "%s", v ? v : "");
  tg__finalize(q);
  if (rc != TG__ROW && rc != TG__DONE) return tg__store_error(s, err, "cannot list tokens");
  if (!at[0])
    return tg__set_error(err, TG_EINVAL, "cursor: no token named '%.60s' (a key from the "
                         "previous page)", name);
  return TG_OK;
}

tg_status tg_token_list_page_json(tg_store *s, tg_page *page, char **out, tg_error *err) {
  if (!s || !out) return tg__set_error(err, TG_EINVAL, "tg_token_list_json: missing argument");
  *out = NULL;
  char at[40] = "";
  tg_status st = TG_OK;
  if (page && page->after && (st = page_anchor(s, page->after, at, err)) != TG_OK) return st;
  tg__buf sql;
  tg__buf_init(&sql);
  tg__buf_printf(&sql, "SELECT name, role, hash, created_at, revoked_at, expires_at FROM tokens%s "
                 "ORDER BY created_at, name",
                 at[0] ? " WHERE created_at > ? OR (created_at = ? AND name > ?)" : "");
  tg__page_sql(page, &sql);
  tg_stmt *q = NULL;
  st = sql.oom ? tg__set_error(err, TG_ENOMEM, "out of memory")
               : tg__store_prepare(s, sql.data, &q, err);
  tg__buf_free(&sql);
  if (st != TG_OK) return st;
  if (at[0]) {
    tg__bind_text(q, 1, at);
    tg__bind_text(q, 2, at);
    tg__bind_text(q, 3, page->after);
  }
  json_t *a = json_array();
  int rc;
  size_t kept = 0;
  while ((rc = tg__step(q)) == TG__ROW && !tg__page_full(page, kept++)) {
    tg__page_keep(page, (const char *)tg__col_text(q, 0));
    const char *revoked = (const char *)tg__col_text(q, 4),
               *expires = (const char *)tg__col_text(q, 5);
    char fp[17];
    fingerprint((const char *)tg__col_text(q, 2), fp);
    json_array_append_new(
        a, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "name", (const char *)tg__col_text(q, 0),
                     "role", (const char *)tg__col_text(q, 1), "fingerprint", fp,
                     "created_at", (const char *)tg__col_text(q, 3), "expires_at",
                     expires ? json_string(expires) : json_null(), "revoked_at",
                     revoked ? json_string(revoked) : json_null()));
  }
  if (rc != TG__DONE && rc != TG__ROW) st = tg__store_error(s, err, "cannot list tokens");
  if (rc == TG__DONE) tg__page_last(page);
  tg__finalize(q);
  if (st == TG_OK && !(*out = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
  json_decref(a);
  return st;
}
