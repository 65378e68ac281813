/* ledger_int.h - internals shared by the ledger modules (ledger_*.c,
 * audit.c): timestamps, money text, canonical row states and the audit
 * append used inside a write's transaction. */
#ifndef TG_LEDGER_INT_H
#define TG_LEDGER_INT_H

#include <jansson.h>

#include "store_int.h"

/* Flags of every JSON text the ledger returns: numbers as they were
 * rounded (0.598, not 0.59799999999999998), as tg_result_json writes them. */
#define TG__LEDGER_JSON (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
/* Flags of canonical JSON (audit content): compact, keys sorted. */
#define TG__CANON_JSON (JSON_COMPACT | JSON_SORT_KEYS)

/* The store's clock as "YYYY-MM-DDTHH:MM:SSZ". */
void tg__ledger_now(tg_store *s, char out[21]);
/* The same from a clock (NULL: the system's). */
void tg__clock_now(tg_clock_fn fn, void *ud, char out[21]);
/* Checks an actor name: non-empty, at most 200 bytes, no control chars. */
tg_status tg__check_actor(const char *actor, tg_error *err);

/* "-1234.56" from cents, exactly. */
void tg__usd_text(int64_t cents, char out[32]);
/* A rate in ppm as a percentage text: 150000 -> "15%", 125000 -> "12.5%". */
void tg__rate_text(int64_t ppm, char out[24]);
/* Sets key_cents (integer) and key_usd (exact text) on obj. */
void tg__set_money(json_t *obj, const char *key, int64_t cents);

/* The same for a 128-bit sum: key_usd exact; key_cents null when the sum
 * does not fit in 64 bits. */
void tg__set_money_wide(json_t *obj, const char *key, __int128 cents);
/* The same, or both null when !known. */
void tg__set_money_opt(json_t *obj, const char *key, bool known, int64_t cents);
/* {"qty", "value_cents", "value_usd"} left on a license (limits < 0 = none:
 * null). */
json_t *tg__remaining_json(int64_t qty_limit, int64_t value_limit, int64_t qty_used,
                           int64_t value_used);

/* Dumps j with flags and decrefs it; returns the text in *json_out (when
 * json_out is not NULL).  TG_ENOMEM when j is NULL or dumping fails. */
tg_status tg__json_out(json_t *j, size_t flags, char **json_out, tg_error *err);

/* The canonical state of one row (every column; a shipment's
 * determination by its SHA-256), as the audit trail records it.  Caller
 * frees *out with tg__free.  TG_ENOTFOUND when there is no such row. */
tg_status tg__license_state(tg_store *s, int64_t id, char **out, tg_error *err);
tg_status tg__shipment_state(tg_store *s, int64_t id, char **out, tg_error *err);
tg_status tg__nac_state(tg_store *s, int64_t id, char **out, tg_error *err);

/* Appends the audit record of a row's new state (state(s, id), e.g.
 * tg__license_state) under the subject "<kind>:<key>"; call inside the
 * write's transaction. */
typedef tg_status (*tg__state_fn)(tg_store *s, int64_t id, char **out, tg_error *err);
tg_status tg__audit_row(tg_store *s, tg__state_fn state, int64_t id, const char *kind,
                        const char *key, const char *action, const char *actor, tg_error *err);

/* Whether the NAC notification `reference` authorizes a shipment of chip
 * to dest for end_user on date on: TG_OK with *ok, and when !*ok the reason
 * in why; *submitted is the date BIS was notified.  TG_ENOTFOUND when
 * there is no such notification. */
tg_status tg__nac_covers(tg_store *s, const char *reference, const char *chip, const char *dest,
                         const char *end_user, tg_date on, bool *ok, char *why, size_t n,
                         tg_date *submitted, tg_error *err);

/* Rows past the ledger's bounds, as an array of {subject, problem}
 * (ledger_bounds.c); call inside a read transaction. */
tg_status tg__ledger_bounds(tg_store *s, json_t **out, tg_error *err);

/* Appends an audit record; call inside the write's transaction.  content
 * is canonical JSON text.  *seq_out (may be NULL) receives its seq. */
tg_status tg__audit_append(tg_store *s, const char *actor, const char *action,
                           const char *subject, const char *content,
                           int64_t *seq_out, tg_error *err);

/* tg_audit_append's checks of a record (the actor; a subject that is not
 * the ledger's own); *canon (free with free) the content as canonical JSON. */
tg_status tg__audit_canon(const char *actor, const char *action, const char *subject,
                          const char *content_json, char **canon, tg_error *err);
/* The content of the last record about `subject` (*content NULL when
 * there is none; the caller frees it), read in one statement with the
 * chain's head (under the chain's lock), which the next tg__audit_append
 * of this write transaction then uses without reading it again; while
 * appends are deferred, the subject's content alone (no lock). */
tg_status tg__audit_last_content(tg_store *s, const char *subject, char **content,
                                 tg_error *err);

/* Writes the records tg__audit_append deferred (s->audit_defer: a group
 * commit's), in multi-row INSERTs; call before the COMMIT.  They take
 * their places in the chain here, under the chain's lock, so a batch
 * holds that lock from here to its COMMIT only. */
tg_status tg__audit_flush(tg_store *s, tg_error *err);

/* A stored license, as shipments check it. */
typedef struct tg__license {
  int64_t id;
  char number[128];
  json_t *chips, *dests, *end_users; /* arrays of strings */
  int64_t qty_limit, value_limit;    /* -1 = none */
  tg_date from, until;
  int64_t rate_ppm;                  /* -1 = none stated */
  int cap_pct;                       /* 0 = none stated */
  bool revoked;
} tg__license;

/* Loads a license by number.  TG_ENOTFOUND when there is none. */
tg_status tg__license_load(tg_store *s, const char *number, tg__license *l, tg_error *err);
void tg__license_free(tg__license *l);
/* What has been drawn on a license: units, value, shipments. */
tg_status tg__license_used(tg_store *s, int64_t id, int64_t *qty, int64_t *value,
                           int64_t *count, tg_error *err);

/* The aggregate-TPP cap's sums, units x TPP (milli), exact (ledger_tpp.c):
 * of chip to CN/MO under license_id, and to the US dated on or before
 * `on` (YYYY-MM-DD).  Inside a write transaction: brings the running
 * totals up to date first. */
tg_status tg__tpp_sums(tg_store *s, int64_t license_id, const char *chip, const char *on,
                       __int128 *under, __int128 *us, tg_error *err);
/* Each stored TPP total that differs from the shipments it covers (a
 * change outside Tollgate), appended to findings ({"subject", "problem"}). */
tg_status tg__tpp_verify(tg_store *s, json_t *findings, tg_error *err);

/* The columns a shipment's public JSON is made of (ledger_query.c). */
#define TG__SHIPMENT_VIEW_COLS                                                                \
  "id, kind, corrects, chip, eccn, dest, dest_input, hq, end_user, on_date, qty, "            \
  "unit_price_cents, value_cents, tpp_milli, verdict, exception, review_policy, notified_on, " \
  "license_number, fee_rate_ppm, fee_cents, fee_source, reference, reason, rules_sha256, "     \
  "recorded_at, recorded_by"
#define TG__SHIPMENT_VIEW_NCOLS 27
/* The public JSON of the row at q's position, whose first columns are
 * TG__SHIPMENT_VIEW_COLS (the determination left out). */
json_t *tg__shipment_view_at(tg_stmt *q);

/* The canonical state (as tg__shipment_state) of the row at q's position
 * from column `first` on, those being every column of the table. */
tg_status tg__shipment_state_at(tg_stmt *q, int first, char **out, tg_error *err);

/* Dumps o (TG__LEDGER_JSON; decref'd) with the value of its member `key`,
 * which the caller set to null, replaced by the JSON text `text` as
 * tg_result_json gives it (indented by 2) - the same text as if text had
 * been parsed into o, without parsing it. */
tg_status tg__json_out_with(json_t *o, const char *key, const char *text, char **json_out,
                            tg_error *err);
/* JSON text made compact in place: whitespace outside strings removed. */
void tg__json_compact(char *text);

/* A shipment's public JSON (with its determination when asked). */
tg_status tg__shipment_view(tg_store *s, int64_t id, bool with_determination, json_t **out,
                            tg_error *err);

/* A shipment filter as SQL: " WHERE ..." and its text parameters. */
typedef struct tg__filter {
  tg__buf where;
  const char *vals[8];
  int n;
  char from[11], to[11], dest[3];
} tg__filter;
tg_status tg__filter_build(tg_store *s, const tg_shipment_filter *f, tg__filter *out,
                           tg_error *err);
/* Binds the filter's parameters as ?1..?n. */
void tg__filter_bind(const tg__filter *f, tg_stmt *q);
void tg__filter_free(tg__filter *f);

/* Runs sql with one parameter (the text key, or id when key is NULL) and
 * steps to its row: TG_OK with *q on it (the caller finalizes), or
 * TG_ENOTFOUND ("no <what> <key>") / TG_ESTORE with *q NULL. */
tg_status tg__select_one(tg_store *s, const char *sql, int64_t id, const char *key,
                         const char *what, tg_stmt **q, tg_error *err);

/* Reads column i as a JSON value: integer, string or null. */
json_t *tg__column_json(tg_stmt *q, int i);
/* Parses a JSON array stored in column i (e.g. licenses.chips). */
json_t *tg__column_array(tg_stmt *q, int i);

/* Screening decisions (ledger_clearances.c, ledger_alerts.c). */
/* tg_cleared_load for n orders at once (a query per 48 distinct parties):
 * out[i] the clearances of orders[i]'s parties, NULL when none. */
tg_status tg__cleared_load_many(tg_store *s, const tg_order *const *orders, size_t n,
                                tg_cleared **out, tg_error *err);
/* (A party's name folded: tg__party_key, screen_int.h.) */
/* Checks a decision's text (party, entry, reason, note): non-empty, at
 * most 500 bytes, no control characters; err names `what`. */
tg_status tg__decision_text(const char *what, const char *v, tg_error *err);
/* "TITLE, published DATE" (or "date not stated") of a tg_screen hit. */
void tg__hit_version(const json_t *hit, char *out, size_t n);
/* One row of a statement as a JSON object, keyed by column name. */
json_t *tg__row_json(tg_stmt *q);
/* Appends the audit record of row `id` of `table` (its state: every
 * column), subject "<prefix>:<id>". */
tg_status tg__audit_table_row(tg_store *s, const char *table, const char *prefix, int64_t id,
                        const char *action, const char *actor, tg_error *err);

/* Payments (ledger_payments.c).  One arrangement's part of a shipment's
 * fee: the arrangement (payment_terms.arrangement, or the fee rule's id
 * when no terms name it), its cents, its terms row (borrowed, or NULL). */
#define TG__FEE_PARTS 8
typedef struct tg__fee_part {
  char arrangement[64];
  int64_t cents;
  json_t *terms;
} tg__fee_part;
/* Every payment_terms row as a JSON array (caller decrefs). */
tg_status tg__pay_terms_load(tg_store *s, json_t **out, tg_error *err);
/* Splits shipment id's fee by arrangement (the rules that imposed it, as
 * its determination names them; a license's stated rate is one); the parts
 * add up to fee exactly.  Returns how many parts, or -1 with err. */
int tg__fee_split(tg_store *s, json_t *terms, int64_t id, const char *source, int64_t value,
                  int64_t fee, tg__fee_part out[TG__FEE_PARTS], tg_error *err);

/* Licenses (ledger_license.c), shared with their amendments
 * (ledger_license_change.c): a spec's checks, its validated canonical
 * arrays (chips, destinations, end users, conditions), and binding a limit
 * (< 0: null) or a JSON array (compact text). */
tg_status tg__license_check_spec(const tg_license_spec *sp, tg_error *err);
tg_status tg__license_spec_arrays(const tg_store *s, const tg_license_spec *sp, json_t *chips,
                                  json_t *dests, json_t *users, json_t *conds, tg_error *err);
void tg__bind_limit(tg_stmt *q, int i, int64_t v);
void tg__bind_array(tg_stmt *q, int i, json_t *a);
/* Whether a license's chips (ids, ECCNs, or ECCN prefixes such as
 * "3A090" covering "3A090.a") cover this chip of this ECCN (NULL = not
 * classified). */
bool tg__license_covers_chip(json_t *chips, const char *chip, const char *eccn);

#endif
