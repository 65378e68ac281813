/* ledger_tpp.c - the aggregate-TPP cap's sums from running totals
 * (tables tpp_totals and tpp_totals_upto, migration 008): inside a write
 * transaction the totals are first brought up to date with the shipments
 * recorded since they were last (one scan of the new rows, grouped), then
 * read: units x TPP (milli) under a license to CN/MO, and to the US by
 * day up to a date.  Exact in 128 bits, stored as decimal text.  And
 * their check against the shipments (`audit verify`). */
#include "ledger_int.h"

#include <stdio.h>
#include <string.h>

/* v as decimal text (at most 40 digits and a sign). */
static void i128_text(__int128 v, char out[48]) {
  unsigned __int128 m = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
  char d[48];
  int n = 0;
  do d[n++] = (char)('0' + (int)(m % 10)), m /= 10;
  while (m);
  int j = 0;
  if (v < 0) out[j++] = '-';
  while (n) out[j++] = d[--n];
  out[j] = '\0';
}

/* Decimal text to *v; false when it is not a 128-bit integer. */
static bool i128_parse(const char *t, __int128 *v) {
  if (!t) return false;
  bool neg = *t == '-';
  if (neg) t++;
  if (!*t) return false;
  const unsigned __int128 max = ((unsigned __int128)1 << 127) - 1;
  unsigned __int128 m = 0;
  for (; *t; t++) {
    unsigned d = (unsigned)(*t - '0');
    if (*t < '0' || *t > '9' || m > (max - d) / 10) return false;
    m = m * 10 + d;
  }
  *v = neg ? -(__int128)m : (__int128)m;
  return true;
}

static tg_status corrupt(tg_error *err) {
  return tg__set_error(err, TG_ESTORE, "tpp_totals holds a sum that is not a whole number; "
                                       "the ledger was changed outside Tollgate");
}

/* Adds delta to the total of (chip, license, on). */
static tg_status add_total(tg_store *s, const char *chip, int64_t license, const char *on,
                           __int128 delta, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s, "SELECT total FROM tpp_totals WHERE chip = ?1 AND license_id = ?2 AND on_date = ?3", &q,
      err);
  if (st != TG_OK) return st;
  tg__bind_text(q, 1, chip);
  tg__bind_int64(q, 2, license);
  tg__bind_text(q, 3, on);
  __int128 sum = 0;
  int rc = tg__step(q);
  if (rc == TG__ROW && !i128_parse(tg__col_text(q, 0), &sum)) st = corrupt(err);
  else if (rc != TG__ROW && rc != TG__DONE) st = tg__store_error(s, err, "cannot read tpp_totals");
  tg__finalize(q);
  if (st != TG_OK) return st;
  char text[48];
  i128_text(sum + delta, text);
  if ((st = tg__store_prepare(s,
                              "INSERT INTO tpp_totals (chip, license_id, on_date, total) VALUES "
                              "(?1, ?2, ?3, ?4) ON CONFLICT (chip, license_id, on_date) DO UPDATE "
                              "SET total = excluded.total",
                              &q, err)) != TG_OK)
    return st;
  tg__bind_text(q, 1, chip);
  tg__bind_int64(q, 2, license);
  tg__bind_text(q, 3, on);
  tg__bind_text(q, 4, text);
  if (tg__step(q) != TG__DONE) st = tg__store_error(s, err, "cannot write tpp_totals");
  tg__finalize(q);
  return st;
}

/* One total summed from shipment rows. */
typedef struct group {
  char chip[128], on[16];
  int64_t license;
  __int128 sum;
} group;

/* The totals of the shipments with from < id <= to that the cap counts
 * (the same conditions as its sums), one group per total, in *gs. */
static tg_status scan_groups(tg_store *s, int64_t from, int64_t to, group **gs, size_t *n,
                             tg_error *err) {
  *gs = NULL;
  *n = 0;
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s,
      "SELECT chip, CASE WHEN dest = 'US' THEN 0 ELSE license_id END AS lic, "
      "CASE WHEN dest = 'US' THEN on_date ELSE '' END AS day, qty, tpp_milli "
      "FROM shipments WHERE id > ?1 AND id <= ?2 AND tpp_milli IS NOT NULL AND "
      "(dest = 'US' OR (dest IN ('CN', 'MO') AND license_id IS NOT NULL)) "
      "ORDER BY chip, lic, day",
      &q, err);
  if (st != TG_OK) return st;
  tg__bind_int64(q, 1, from);
  tg__bind_int64(q, 2, to);
  size_t cap = 0;
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) {
    const char *chip = tg__col_text(q, 0), *day = tg__col_text(q, 2);
    int64_t lic = tg__col_int64(q, 1);
    group *g = *n ? &(*gs)[*n - 1] : NULL;
    if (!g || g->license != lic || strcmp(g->chip, chip) || strcmp(g->on, day)) {
      if (strlen(chip) >= sizeof g->chip || strlen(day) >= sizeof g->on) {
        st = tg__set_error(err, TG_ESTORE, "shipment chip or date too long for tpp_totals");
        break;
      }
      if (!tg__grow(gs, &cap, *n + 1, sizeof **gs)) {
        st = tg__set_error(err, TG_ENOMEM, "out of memory");
        break;
      }
      g = &(*gs)[(*n)++];
      *g = (group){.license = lic};
      snprintf(g->chip, sizeof g->chip, "%s", chip);
      snprintf(g->on, sizeof g->on, "%s", day);
    }
    g->sum += (__int128)tg__col_int64(q, 3) * tg__col_int64(q, 4);
  }
  if (st == TG_OK && rc != TG__DONE) st = tg__store_error(s, err, "cannot read shipments");
  tg__finalize(q);
  if (st != TG_OK) {
    tg__free(*gs);
    *gs = NULL;
    *n = 0;
  }
  return st;
}

/* The shipments the totals cover (upto) and the newest one (last). */
static tg_status totals_upto(tg_store *s, int64_t *upto, int64_t *last, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s, "SELECT (SELECT upto FROM tpp_totals_upto WHERE name = 'shipments'), "
      "(SELECT MAX(id) FROM shipments)",
      &q, err);
  if (st != TG_OK) return st;
  int rc = tg__step(q); /* no row yet: nothing summed */
  *upto = rc == TG__ROW && tg__col_type(q, 0) != TG__NULL ? tg__col_int64(q, 0) : 0;
  *last = rc == TG__ROW && tg__col_type(q, 1) != TG__NULL ? tg__col_int64(q, 1) : 0;
  tg__finalize(q);
  return rc == TG__ROW ? TG_OK : tg__store_error(s, err, "cannot read tpp_totals_upto");
}

/* The totals brought up to date with the shipments recorded since they
 * were last (id > upto), each total updated once. */
static tg_status catch_up(tg_store *s, tg_error *err) {
  int64_t upto, last;
  tg_status st = totals_upto(s, &upto, &last, err);
  if (st != TG_OK || last <= upto) return st;
  group *gs; /* written after the scan: no write while it reads */
  size_t n;
  st = scan_groups(s, upto, last, &gs, &n, err);
  for (size_t i = 0; st == TG_OK && i < n; i++)
    st = add_total(s, gs[i].chip, gs[i].license, gs[i].on, gs[i].sum, err);
  tg__free(gs);
  if (st != TG_OK) return st;
  tg_stmt *q;
  if ((st = tg__store_prepare(s, "INSERT INTO tpp_totals_upto (name, upto) VALUES ('shipments', ?) "
                              "ON CONFLICT (name) DO UPDATE SET upto = excluded.upto",
                              &q, err)) != TG_OK)
    return st;
  tg__bind_int64(q, 1, last);
  if (tg__step(q) != TG__DONE) st = tg__store_error(s, err, "cannot write tpp_totals_upto");
  tg__finalize(q);
  return st;
}

/* Compares the stored totals with the shipments they cover; each
 * difference appended to findings as {"subject", "problem"}. */
tg_status tg__tpp_verify(tg_store *s, json_t *findings, tg_error *err) {
  int64_t upto, last;
  group *gs;
  size_t n;
  tg_status st = totals_upto(s, &upto, &last, err);
  if (st != TG_OK || (st = scan_groups(s, 0, upto, &gs, &n, err)) != TG_OK) return st;
  bool *seen = tg__calloc(n ? n : 1, sizeof *seen);
  tg_stmt *q = NULL;
  if (!seen) st = tg__set_error(err, TG_ENOMEM, "out of memory");
  else st = tg__store_prepare(s, "SELECT chip, license_id, on_date, total FROM tpp_totals", &q, err);
  int rc = TG__DONE;
  char subject[200];
  while (st == TG_OK && (rc = tg__step(q)) == TG__ROW) {
    const char *chip = tg__col_text(q, 0), *on = tg__col_text(q, 2);
    int64_t lic = tg__col_int64(q, 1);
    __int128 v = 0, want = 0;
    bool ok = i128_parse(tg__col_text(q, 3), &v);
    for (size_t i = 0; i < n; i++)
      if (gs[i].license == lic && chip && on && !strcmp(gs[i].chip, chip) && !strcmp(gs[i].on, on)) {
        want = gs[i].sum;
        seen[i] = true;
      }
    snprintf(subject, sizeof subject, "tpp_totals:%.100s/%lld/%s", chip ? chip : "",
             (long long)lic, on ? on : "");
    if (!ok || v != want)
      json_array_append_new(findings, json_pack("{s:s,s:s}", "subject", subject, "problem",
                                                "the aggregate-TPP running total differs from "
                                                "the shipments it covers"));
  }
  if (st == TG_OK && rc != TG__DONE) st = tg__store_error(s, err, "cannot read tpp_totals");
  tg__finalize(q);
  for (size_t i = 0; st == TG_OK && i < n; i++)
    if (!seen[i] && gs[i].sum != 0) {
      snprintf(subject, sizeof subject, "tpp_totals:%.100s/%lld/%s", gs[i].chip,
               (long long)gs[i].license, gs[i].on);
      json_array_append_new(findings, json_pack("{s:s,s:s}", "subject", subject, "problem",
                                                "the aggregate-TPP running total is missing"));
    }
  tg__free(seen);
  tg__free(gs);
  return st;
}

/* The sum of the totals a query selects (?1 chip, ?2 license, ?3 date). */
static tg_status sum_totals(tg_store *s, const char *sql, const char *chip, int64_t license,
                            const char *on, __int128 *out, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, sql, &q, err);
  if (st != TG_OK) return st;
  tg__bind_text(q, 1, chip);
  tg__bind_int64(q, 2, license);
  tg__bind_text(q, 3, on);
  *out = 0;
  int rc;
  while (st == TG_OK && (rc = tg__step(q)) == TG__ROW) {
    __int128 v;
    if (!i128_parse(tg__col_text(q, 0), &v)) st = corrupt(err);
    else *out += v;
  }
  if (st == TG_OK && rc != TG__DONE) st = tg__store_error(s, err, "cannot read tpp_totals");
  tg__finalize(q);
  return st;
}

tg_status tg__tpp_sums(tg_store *s, int64_t license_id, const char *chip, const char *on,
                       __int128 *under, __int128 *us, tg_error *err) {
  tg_status st = catch_up(s, err);
  if (st == TG_OK)
    st = sum_totals(s,
                    "SELECT total FROM tpp_totals WHERE chip = ?1 AND license_id = ?2 AND "
                    "on_date = ''",
                    chip, license_id, on, under, err);
  if (st == TG_OK)
    st = sum_totals(s,
                    "SELECT total FROM tpp_totals WHERE chip = ?1 AND license_id = 0 AND "
                    "on_date <> '' AND on_date <= ?3",
                    chip, 0, on, us, err);
  return st;
}
