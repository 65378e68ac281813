/* ledger_ship.c - recording a shipment: the determination (tg_check), the
 * license checks (coverage, limits, the aggregate-TPP cap, NAC notice)
 * and the write, all in one BEGIN IMMEDIATE transaction so concurrent
 * writers never overdraw a license; and corrections (reversals). */
#include "decide_int.h"
#include "ledger_int.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PENDING ((tg_status)-1) /* a batch item not yet written */

void tg_ship_opts_init(tg_ship_opts *opts) {
  if (!opts) return;
  memset(opts, 0, sizeof *opts);
  opts->notified = TG_DATE_NONE;
  opts->today = TG_DATE_NONE;
}

typedef struct batch batch;

/* Everything one shipment needs, gathered before the transaction. */
typedef struct ship {
  const tg_order *o;     /* &own: the caller's order with its clearances */
  tg_order own;
  tg_cleared *cleared;   /* of the order's parties, from the store; NULL = none */
  const tg_ship_opts *opts;
  /* what the checks and the row take from the determination, copied so
   * the result is freed in the caller's thread, not in the group commit */
  tg_verdict verdict;
  bool undetermined, rule_fee;
  int64_t rule_fee_ppm, rule_fee_cents;
  char *eccn, *policy, *exception, *hq;
  char facts[200];       /* the unknown facts it names */
  bool audit;            /* an audit record, not a shipment (it->audit_*) */
  bool queued;           /* handed to the batch's transaction */
  batch *b;              /* that transaction */
  char *audit_content;   /* audit: the content, canonical */
  char *det_json;        /* the determination as answers show it */
  char *det_text;        /* compact, as stored */
  char det_sha[65];      /* its SHA-256: the key it is stored under */
  char dest[3], dest_input[3], on[11], notified[11];
  int64_t value, tpp_milli; /* tpp_milli < 0: unknown */
  int notice_days;       /* NAC: days of notice required; 0 = none */
  int cond_cap_pct;      /* cap the determination's conditions impose */
  char rules_sha[65];
  json_t *rule_ids;
  tg__license lic;
  bool has_lic;
  int64_t used_qty, used_value; /* drawn on the license before this one */
  int64_t fee_ppm, fee_cents;
  const char *fee_source;
} ship;

/* A refusal: its machine code and reason. */
typedef struct refusal {
  const char *code;
  char reason[400];
} refusal;

static bool refuse(refusal *r, const char *code, const char *fmt, ...) TG__PRINTF(3, 4);
static bool refuse(refusal *r, const char *code, const char *fmt, ...) {
  r->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->reason, sizeof r->reason, fmt, ap);
  va_end(ap);
  return false;
}

/* The transaction of a group commit.  Fast (the first try): no savepoint
 * per item, each license loaded once, and the accepted shipments and all
 * audit records written together in multi-row INSERTs before the COMMIT
 * (a few round trips per batch rather than five per shipment).  A store
 * error in it undoes the whole transaction, and the batch is written
 * again the careful way: each item in its own savepoint, written at once,
 * so a failing item disturbs no other. */
#define BATCH_LICS 8
typedef struct drawn {
  int64_t license_id, qty, value;
} drawn;
struct batch {
  bool fast, wrote;
  tg__license lic[BATCH_LICS]; /* loaded in this transaction */
  int nlic;
  tg_ship_item **pend;         /* accepted, not yet written, in order */
  size_t npend, cap;
  drawn *dr;                   /* what pend's shipments draw, by license */
  size_t ndr, cdr;
};
static tg_status write_pending(tg_store *s, batch *b, tg_error *err);

/* The rule sets in force, by digest: a change is recorded as rules.load.
 * Computed once per store and engine (the engine is immutable). */
static void rules_digest(tg_store *s, const tg_engine *e, ship *sh) {
  if (s->digest_engine != e || !s->rule_ids) {
    char *rj = tg_rules_json(e, 0);
    tg__sha256_hex(rj ? rj : "", rj ? strlen(rj) : 0, s->rules_sha);
    json_decref(s->rule_ids);
    s->rule_ids = json_array(); /* the sets' ids, in tg_rules_json's order */
    for (size_t i = 0; i < e->nrulesets; i++)
      json_array_append_new(s->rule_ids, json_string(e->rulesets[i]->id));
    tg_free(rj);
    s->digest_engine = e;
  }
  memcpy(sh->rules_sha, s->rules_sha, sizeof sh->rules_sha);
  json_decref(sh->rule_ids);
  sh->rule_ids = json_incref(s->rule_ids);
}

static tg_status keep_result(ship *sh, const tg_result *res, tg_error *err);
static tg_status prepare_rest(const tg_engine *e, ship *sh, tg_error *err);

static tg_status prepare(const tg_engine *e, ship *sh, tg_error *err) {
  const tg_order *o = sh->o;
  if (!o->chip) return tg__set_error(err, TG_EINVAL, "the shipment names no chip");
  if (o->qty < 1 || o->qty > TG_MAX_SHIP_QTY)
    return tg__set_error(err, TG_EINVAL, "qty: must be between 1 and %lld (got %lld)",
                         TG_MAX_SHIP_QTY, (long long)o->qty);
  if (o->unit_price_cents < 0)
    return tg__set_error(err, TG_EINVAL, "unit_price: a shipment needs its unit price");
  if (o->unit_price_cents > TG_MAX_UNIT_PRICE_CENTS)
    return tg__set_error(err, TG_EINVAL, "unit_price: at most USD %lld a unit",
                         TG_MAX_UNIT_PRICE_CENTS / 100);
  if (__builtin_mul_overflow(o->qty, o->unit_price_cents, &sh->value) ||
      sh->value > TG_MAX_SHIP_VALUE_CENTS)
    return tg__set_error(err, TG_EINVAL,
                         "qty x unit_price: a shipment's value is at most USD %lld",
                         TG_MAX_SHIP_VALUE_CENTS / 100);
  if (o->end_user && (strlen(o->end_user) > 300 || !*o->end_user))
    return tg__set_error(err, TG_EINVAL, "bad end user name");
  tg_result *res;
  tg_status st = tg_check(e, o, &res, err);
  if (st != TG_OK) return st;
  st = keep_result(sh, res, err);
  tg_result_destroy(res);
  return st == TG_OK ? prepare_rest(e, sh, err) : st;
}

/* Copies what the ledger reads of a determination, and renders it. */
static tg_status keep_result(ship *sh, const tg_result *res, tg_error *err) {
  sh->verdict = tg_result_verdict(res);
  sh->undetermined = tg_result_undetermined(res);
  int64_t ppm, cents;
  sh->rule_fee = tg_result_fee(res, &ppm, &cents) && ppm > 0;
  sh->rule_fee_ppm = sh->rule_fee ? ppm : 0;
  sh->rule_fee_cents = sh->rule_fee ? cents : 0;
  const char *txt[4] = {tg_result_eccn(res), tg_result_review_policy(res), tg_result_exception(res),
                        tg__result_hq(res)};
  char **dst[4] = {&sh->eccn, &sh->policy, &sh->exception, &sh->hq};
  for (int i = 0; i < 4; i++)
    if (txt[i] && !(*dst[i] = tg__strdup(txt[i]))) return tg__set_error(err, TG_ENOMEM, "out of memory");
  tg__result_unknown_facts(res, sh->facts, sizeof sh->facts);
  if (!sh->facts[0]) snprintf(sh->facts, sizeof sh->facts, "see the determination");
  sh->notice_days = tg__result_notice_days(res);
  sh->cond_cap_pct = tg__result_cap_percent(res);
  /* rendered once; the answers embed it and the row stores it compact */
  sh->det_json = tg_result_json(res);
  return TG_OK;
}

static tg_status prepare_rest(const tg_engine *e, ship *sh, tg_error *err) {
  const tg_order *o = sh->o;
  if (!sh->det_json || !(sh->det_text = tg__strdup(sh->det_json)))
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  tg__json_compact(sh->det_text);
  tg__sha256_hex(sh->det_text, strlen(sh->det_text), sh->det_sha);
  tg_country_canonical(e, o->dest, sh->dest);
  snprintf(sh->dest_input, sizeof sh->dest_input, "%c%c", toupper((unsigned char)o->dest[0]),
           toupper((unsigned char)o->dest[1]));
  tg_date_format(o->on, sh->on);
  sh->notified[0] = '\0';
  if (sh->opts->notified != TG_DATE_NONE) tg_date_format(sh->opts->notified, sh->notified);
  double tpp;
  sh->tpp_milli = tg_chip_metric(o->chip, "tpp", &tpp) == 1 ? llround(tpp * 1000) : -1;
  return TG_OK;
}

/* Compares names ignoring case and surrounding blanks. */
static bool same_name(const char *a, const char *b) {
  while (isspace((unsigned char)*a)) a++;
  while (isspace((unsigned char)*b)) b++;
  size_t na = strlen(a), nb = strlen(b);
  while (na && isspace((unsigned char)a[na - 1])) na--;
  while (nb && isspace((unsigned char)b[nb - 1])) nb--;
  return na == nb && !strncasecmp(a, b, na);
}

/* The aggregate-TPP cap: CN/MO shipments of this chip under the license,
 * this one included, at most pct% of the chip's US shipments to date. */
static bool check_cap(tg_store *s, ship *sh, int pct, refusal *r, tg_status *st, tg_error *err) {
  if (strcmp(sh->dest, "CN") && strcmp(sh->dest, "MO")) return true;
  const char *chip = tg_chip_id(sh->o->chip);
  if (sh->tpp_milli < 0)
    return refuse(r, "tpp_unknown",
                  "license %s caps aggregate TPP, but the TPP of %s is unknown, so the cap "
                  "cannot be checked", sh->lic.number, chip);
  __int128 under, us;
  /* the sums read the shipments table: the batch's accepted ones first */
  if (sh->b && sh->b->npend && (*st = write_pending(s, sh->b, err)) != TG_OK) return false;
  if ((*st = tg__tpp_sums(s, sh->lic.id, chip, sh->on, &under, &us, err)) != TG_OK) return false;
  __int128 after = under + (__int128)sh->o->qty * sh->tpp_milli;
  if (after * 100 > (__int128)pct * us)
    return refuse(r, "tpp_cap",
                  "license %s: aggregate TPP of %s to China/Macau would reach %.0f, above %d%% "
                  "of the %.0f shipped to US customers by %s",
                  sh->lic.number, chip, (double)after / 1000, pct, (double)us / 1000, sh->on);
  return true;
}

static int64_t sat_add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}

/* Does the license cover this shipment?  False with the reason if not. */
static bool covers(tg_store *s, ship *sh, refusal *r, tg_status *st, tg_error *err) {
  const tg__license *l = &sh->lic;
  const tg_order *o = sh->o;
  const char *chip = tg_chip_id(o->chip), *eccn = sh->eccn;
  char d1[11], d2[11];
  if (l->revoked) return refuse(r, "license_revoked", "license %s has been revoked", l->number);
  if (!tg__license_covers_chip(l->chips, chip, eccn))
    return refuse(r, "chip", "license %s does not cover %s (ECCN %s)", l->number, chip,
                  eccn ? eccn : "unknown");
  size_t i;
  json_t *x;
  bool ok = false;
  json_array_foreach(l->dests, i, x) ok |= !strcmp(json_string_value(x), sh->dest);
  if (!ok) return refuse(r, "destination", "license %s does not cover destination %s", l->number, sh->dest);
  if (json_array_size(l->end_users)) {
    if (!o->end_user)
      return refuse(r, "end_user", "license %s permits only named end users; name the end user",
                    l->number);
    ok = false;
    json_array_foreach(l->end_users, i, x) ok |= same_name(json_string_value(x), o->end_user);
    if (!ok)
      return refuse(r, "end_user", "license %s does not permit end user '%s'", l->number, o->end_user);
  }
  tg_date_format(l->from, d1);
  tg_date_format(l->until, d2);
  if (o->on < l->from || o->on > l->until)
    return refuse(r, "dates", "license %s is valid from %s to %s, not on %s", l->number, d1, d2, sh->on);
  int64_t qty, value;
  if ((*st = tg__license_used(s, l->id, &qty, &value, NULL, err)) != TG_OK) return false;
  /* and what the batch's accepted shipments not yet written draw */
  for (size_t k = 0; sh->b && k < sh->b->ndr; k++)
    if (sh->b->dr[k].license_id == l->id) {
      qty = sat_add(qty, sh->b->dr[k].qty);
      value = sat_add(value, sh->b->dr[k].value);
    }
  sh->used_qty = qty;
  sh->used_value = value;
  if (qty > TG_MAX_LICENSE_QTY - o->qty || value > TG_MAX_LICENSE_VALUE_CENTS - sh->value)
    return refuse(r, "license_total",
                  "license %s: the shipment would take the units or value drawn on it past the "
                  "ledger's bounds (%lld units, USD %lld)",
                  l->number, TG_MAX_LICENSE_QTY, TG_MAX_LICENSE_VALUE_CENTS / 100);
  if (l->qty_limit >= 0 && qty + o->qty > l->qty_limit)
    return refuse(r, "quantity", "license %s has %lld of %lld units left; the shipment is %lld",
                  l->number, (long long)(l->qty_limit - qty), (long long)l->qty_limit,
                  (long long)o->qty);
  if (l->value_limit >= 0 && value + sh->value > l->value_limit) {
    char left[32], want[32];
    tg__usd_text(l->value_limit - value, left);
    tg__usd_text(sh->value, want);
    return refuse(r, "value", "license %s has USD %s of its value left; the shipment is USD %s",
                  l->number, left, want);
  }
  int pct = l->cap_pct;
  if (sh->cond_cap_pct && (!pct || sh->cond_cap_pct < pct)) pct = sh->cond_cap_pct;
  if (pct && !check_cap(s, sh, pct, r, st, err)) return false;
  return true;
}

/* A license by number: loaded once per batch (its row does not change
 * while the batch holds the write lock).  *l is the caller's to free. */
static tg_status license_get(tg_store *s, batch *b, const char *number, tg__license *l,
                             tg_error *err) {
  for (int k = 0; b && k < b->nlic; k++)
    if (!strcmp(b->lic[k].number, number)) {
      *l = b->lic[k];
      json_incref(l->chips), json_incref(l->dests), json_incref(l->end_users);
      return TG_OK;
    }
  tg_status st = tg__license_load(s, number, l, err);
  if (st == TG_OK && b && b->nlic < BATCH_LICS && strlen(number) < sizeof l->number) {
    tg__license *k = &b->lic[b->nlic++];
    *k = *l;
    json_incref(k->chips), json_incref(k->dests), json_incref(k->end_users);
  }
  return st;
}

/* Every check; true when the shipment may be recorded. */
static bool allowed(tg_store *s, ship *sh, refusal *r, tg_status *st, tg_error *err) {
  tg_verdict v = sh->verdict;
  const char *lic = sh->opts->license;
  if (!sh->o->end_user)
    return refuse(r, "end_user", "a shipment names its end user (who receives the chips), so it can be screened");
  if (sh->opts->today != TG_DATE_NONE && sh->o->on > sh->opts->today) {
    char today[11];
    tg_date_format(sh->opts->today, today);
    return refuse(r, "future_date", "the shipment is dated %s, after today (%s): record shipments once made",
                  sh->on, today);
  }
  if (lic) {
    *st = license_get(s, sh->b, lic, &sh->lic, err);
    if (*st == TG_ENOTFOUND) {
      *st = TG_OK;
      return refuse(r, "license_unknown", "no license '%s' in the ledger", lic);
    }
    if (*st != TG_OK) return false;
    sh->has_lic = true;
  }
  if (v == TG_LICENSE_REQUIRED && !lic && sh->undetermined) {
    const char *facts = sh->facts;
    return refuse(r, "undetermined",
                  "%s to %s on %s may require a license: the determination depends on unknown "
                  "facts (%s); give them (e.g. the headquarters) or name a license that covers it",
                  tg_chip_id(sh->o->chip), sh->dest, sh->on, facts);
  }
  if (v == TG_LICENSE_REQUIRED && !lic) {
    const char *pol = sh->policy;
    return refuse(r, "license_required",
                  "%s to %s on %s requires a license (review policy: %s); name one that covers it",
                  tg_chip_id(sh->o->chip), sh->dest, sh->on, pol ? pol : "unknown");
  }
  if (sh->undetermined && !lic) {
    const char *facts = sh->facts;
    return refuse(r, "undetermined",
                  "the determination depends on unknown facts (%s); give them (e.g. the "
                  "headquarters) or name a license that covers the shipment", facts);
  }
  if (v == TG_LICENSE_EXCEPTION && sh->notice_days > 0 && !lic) {
    /* 740.8(a) and BIS's procedure: the exporter waits for BIS's answer
     * and ships on its NAC authorization number, not after a delay */
    if (!sh->opts->nac)
      return refuse(r, "notification",
                    "license exception %s requires a notification to BIS and its authorization; "
                    "record it (tollgate nac add, nac authorize) and name it (--nac REFERENCE)",
                    sh->exception);
    bool ok;
    char why[400];
    tg_date submitted;
    *st = tg__nac_covers(s, sh->opts->nac, tg_chip_id(sh->o->chip), sh->dest, sh->o->end_user,
                         sh->o->on, &ok, why, sizeof why, &submitted, err);
    if (*st == TG_ENOTFOUND) {
      *st = TG_OK;
      return refuse(r, "notification", "no NAC notification '%s' in the ledger", sh->opts->nac);
    }
    if (*st != TG_OK) return false;
    if (!ok) return refuse(r, "notification", "%s", why);
    if (submitted != TG_DATE_NONE) tg_date_format(submitted, sh->notified);
  }
  return sh->has_lic ? covers(s, sh, r, st, err) : true;
}

static void compute_fee(ship *sh) {
  sh->fee_ppm = 0;
  sh->fee_cents = 0;
  sh->fee_source = NULL;
  if (sh->rule_fee) {
    sh->fee_ppm = sh->rule_fee_ppm;
    sh->fee_cents = sh->rule_fee_cents;
    sh->fee_source = "rules";
  } else if (sh->has_lic && sh->lic.rate_ppm > 0) {
    __int128 x = (__int128)sh->value * sh->lic.rate_ppm;
    sh->fee_ppm = sh->lic.rate_ppm;
    sh->fee_cents = (int64_t)((x + 500000) / 1000000);
    sh->fee_source = "license";
  }
}

/* Appends rules.load when the rule sets differ from the last recorded. */
static tg_status audit_rules(tg_store *s, ship *sh, const char *actor, tg_error *err) {
  if (s->rules_checked) return TG_OK; /* by an earlier shipment of this transaction */
  char *last;
  tg_status st = tg__audit_last_content(s, "rules", &last, err);
  if (st != TG_OK) return st;
  json_t *want = json_pack("{s:s,s:O}", "sha256", sh->rules_sha, "rule_sets", sh->rule_ids);
  char *text = want ? json_dumps(want, TG__CANON_JSON) : NULL;
  json_decref(want);
  bool same = last && text && !strcmp(last, text);
  tg__free(last);
  if (!text) return tg__set_error(err, TG_ENOMEM, "out of memory");
  if (!same) st = tg__audit_append(s, actor, "rules.load", "rules", text, NULL, err);
  free(text);
  s->rules_checked = st == TG_OK;
  return st;
}

/* Stores the determination under its hash unless it is there already
 * (each text is stored once; shipments of the same facts share it). */
static tg_status store_determination(tg_store *s, ship *sh, tg_error *err) {
  for (int k = 0; k < s->ndet; k++)
    if (!memcmp(s->det[k], sh->det_sha, 65)) return TG_OK;
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, "SELECT 1 FROM determinations WHERE sha256 = ?", &q, err);
  if (st != TG_OK) return st;
  tg__bind_text(q, 1, sh->det_sha);
  int rc = tg__step(q);
  tg__finalize(q);
  if (rc == TG__DONE) {
    if ((st = tg__store_prepare(s, "INSERT INTO determinations (sha256, body) VALUES (?, ?)", &q,
                                err)) != TG_OK)
      return st;
    tg__bind_text(q, 1, sh->det_sha);
    tg__bind_text(q, 2, sh->det_text);
    rc = tg__step(q);
    tg__finalize(q);
  }
  if (rc != TG__ROW && rc != TG__DONE) return tg__store_error(s, err, "cannot store the determination");
  memcpy(s->det[s->det_next], sh->det_sha, 65);
  s->det_next = (s->det_next + 1) % TG__DET_CACHE;
  if (s->ndet < TG__DET_CACHE) s->ndet++;
  return TG_OK;
}

#define SHIP_COLS 25 /* bound per row by bind_row */
/* their kinds, in bind_row's order (tg__values_sql): t text, i integer */
#define SHIP_COL_KINDS "tttttttiiiittttitiitttttt"
_Static_assert(sizeof SHIP_COL_KINDS - 1 == SHIP_COLS, "a kind for each column");

static tg_status recorded_json(ship *sh, json_t *o, char **json_out, tg_error *err);

/* Binds one row's values from placeholder base+1 on. */
static void bind_row(tg_stmt *q, int base, ship *sh, const char *at, const char *actor) {
  const tg_order *o = sh->o;
  const char *txt[] = {tg_chip_id(o->chip), sh->eccn, sh->dest, sh->dest_input, sh->hq,
                       o->end_user, sh->on};
  for (int i = 0; i < 7; i++) tg__bind_text(q, base + 1 + i, txt[i]);
  tg__bind_int64(q, base + 8, o->qty);
  tg__bind_int64(q, base + 9, o->unit_price_cents);
  tg__bind_int64(q, base + 10, sh->value);
  if (sh->tpp_milli >= 0) tg__bind_int64(q, base + 11, sh->tpp_milli);
  else tg__bind_null(q, base + 11);
  tg__bind_text(q, base + 12, tg_verdict_name(sh->verdict));
  tg__bind_text(q, base + 13, sh->exception);
  tg__bind_text(q, base + 14, sh->policy);
  tg__bind_text(q, base + 15, sh->notified[0] ? sh->notified : NULL);
  if (sh->has_lic) {
    tg__bind_int64(q, base + 16, sh->lic.id);
    tg__bind_text(q, base + 17, sh->lic.number);
  } else {
    tg__bind_null(q, base + 16);
    tg__bind_null(q, base + 17);
  }
  tg__bind_int64(q, base + 18, sh->fee_ppm);
  tg__bind_int64(q, base + 19, sh->fee_cents);
  tg__bind_text(q, base + 20, sh->fee_source);
  tg__bind_text(q, base + 21, sh->opts->reference);
  tg__bind_text(q, base + 22, sh->rules_sha);
  tg__bind_text(q, base + 23, sh->det_sha);
  tg__bind_text(q, base + 24, at);
  tg__bind_text(q, base + 25, actor);
}

/* What the INSERT's RETURNING gave for one row: the answer's view and the
 * audit state (no read-back). */
typedef struct inserted {
  int64_t id;
  json_t *view;
  char *state;
} inserted;

/* Inserts n (<= 64) accepted shipments in one statement and reads their
 * rows back from its RETURNING, which must come in the order given (ids
 * ascending, each row the item's quantity and end user), else an error. */
static tg_status insert_rows(tg_store *s, tg_ship_item **its, size_t n, inserted *out,
                             tg_error *err) {
  char *sql = tg__values_sql(
      "INSERT INTO shipments (kind, chip, eccn, dest, dest_input, hq, end_user, on_date, qty, "
      "unit_price_cents, value_cents, tpp_milli, verdict, exception, review_policy, notified_on, "
      "license_id, license_number, fee_rate_ppm, fee_cents, fee_source, reference, rules_sha256, "
      "determination_sha256, recorded_at, recorded_by)",
      "'shipment', ", SHIP_COL_KINDS, n, " RETURNING " TG__SHIPMENT_VIEW_COLS ", *");
  if (!sql) return tg__set_error(err, TG_ENOMEM, "out of memory");
  tg_stmt *q;
  tg_status st = tg__store_prepare(s, sql, &q, err);
  free(sql);
  if (st != TG_OK) return st;
  char at[21];
  tg__ledger_now(s, at);
  for (size_t k = 0; k < n; k++) bind_row(q, (int)k * SHIP_COLS, its[k]->prep, at, its[k]->actor);
  s->usage_current = false; /* rows the kept sums do not count yet */
  size_t m = 0;
  int rc;
  while (st == TG_OK && (rc = tg__step(q)) == TG__ROW) {
    const ship *sh = m < n ? its[m]->prep : NULL;
    const char *eu = tg__col_text(q, 8);
    if (!sh || (m && tg__col_int64(q, 0) <= out[m - 1].id) || tg__col_int64(q, 10) != sh->o->qty ||
        !eu || strcmp(eu, sh->o->end_user)) {
      st = tg__set_error(err, TG_ESTORE, "the shipments' rows came back in another order");
      break;
    }
    out[m] = (inserted){.id = tg__col_int64(q, 0)};
    st = tg__shipment_state_at(q, TG__SHIPMENT_VIEW_NCOLS, &out[m].state, err);
    m++; /* (the caller frees what was read, even on failure) */
    if (st == TG_OK && !(out[m - 1].view = tg__shipment_view_at(q)))
      st = tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  if (st == TG_OK && (rc != TG__DONE || m != n))
    st = tg__store_error(s, err, "cannot record the shipments");
  tg__finalize(q);
  return st;
}

/* Writes one chunk of accepted shipments and their audit records, and
 * answers them. */
static tg_status write_rows(tg_store *s, tg_ship_item **its, size_t n, tg_error *err) {
  inserted rows[64] = {{0}};
  tg_status st = insert_rows(s, its, n, rows, err);
  for (size_t k = 0; k < n; k++) {
    ship *sh = its[k]->prep;
    if (st == TG_OK) {
      char subject[40];
      snprintf(subject, sizeof subject, "shipment:%lld", (long long)rows[k].id);
      st = tg__audit_append(s, its[k]->actor, "shipment.record", subject, rows[k].state, NULL, err);
    }
    if (st == TG_OK) {
      st = recorded_json(sh, rows[k].view, &its[k]->json, err);
      rows[k].view = NULL;
      its[k]->status = st;
    }
    json_decref(rows[k].view);
    tg__free(rows[k].state);
  }
  return st;
}

/* Writes the batch's accepted items (shipments in multi-row INSERTs, audit
 * records appended in their place in the order). */
static tg_status write_pending(tg_store *s, batch *b, tg_error *err) {
  tg_status st = TG_OK;
  for (size_t i = 0; i < b->npend && st == TG_OK;) {
    tg_ship_item *it = b->pend[i];
    ship *sh = it->prep;
    if (sh->audit) {
      st = tg__audit_append(s, it->actor, it->audit_action, it->audit_subject, sh->audit_content,
                            NULL, err);
      it->status = st;
      i++;
      continue;
    }
    size_t run = 0;
    while (i + run < b->npend && !((ship *)b->pend[i + run]->prep)->audit) run++;
    size_t n = tg__rows_chunk(run);
    st = write_rows(s, b->pend + i, n, err);
    i += n;
  }
  if (st == TG_OK && b->npend) b->wrote = true;
  b->npend = b->ndr = 0;
  return st;
}

/* Hands an accepted item to the batch's writes. */
static tg_status queue(batch *b, tg_ship_item *it, ship *sh, tg_error *err) {
  if (!tg__grow(&b->pend, &b->cap, b->npend + 1, sizeof *b->pend))
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  b->pend[b->npend++] = it;
  if (sh->audit || !sh->has_lic) return TG_OK;
  size_t k = 0;
  while (k < b->ndr && b->dr[k].license_id != sh->lic.id) k++;
  if (k == b->ndr) {
    if (!tg__grow(&b->dr, &b->cdr, b->ndr + 1, sizeof *b->dr))
      return tg__set_error(err, TG_ENOMEM, "out of memory");
    b->dr[b->ndr++] = (drawn){.license_id = sh->lic.id};
  }
  b->dr[k].qty = sat_add(b->dr[k].qty, sh->o->qty);
  b->dr[k].value = sat_add(b->dr[k].value, sh->value);
  return TG_OK;
}

static void batch_free(batch *b) {
  for (int k = 0; k < b->nlic; k++) tg__license_free(&b->lic[k]);
  tg__free(b->pend);
  tg__free(b->dr);
  *b = (batch){0};
}

/* Appends the audit record of a shipment row. */
static tg_status audit_shipment(tg_store *s, int64_t id, const char *action, const char *actor,
                                tg_error *err) {
  char key[24];
  snprintf(key, sizeof key, "%lld", (long long)id);
  return tg__audit_row(s, tg__shipment_state, id, "shipment", key, action, actor, err);
}

static tg_status refused_json(ship *sh, const refusal *r, char **json_out, tg_error *err) {
  json_t *o = json_pack("{s:b,s:s,s:s,s:n}", "refused", 1, "code", r->code, "reason", r->reason,
                        "determination");
  tg_status st = o ? tg__json_out_with(o, "determination", sh->det_json, json_out, err)
                   : tg__set_error(err, TG_ENOMEM, "out of memory");
  if (st != TG_OK) return st;
  return tg__set_error(err, TG_EREFUSED, "refused: %s", r->reason);
}

/* The recorded shipment (its row's view), with what is left on its
 * license: what was drawn before it, and it. */
static tg_status recorded_json(ship *sh, json_t *o, char **json_out, tg_error *err) {
  json_object_set_new(o, "determination", json_null()); /* its place; spliced in */
  if (sh->has_lic) {
    json_t *rem = tg__remaining_json(sh->lic.qty_limit, sh->lic.value_limit,
                                     sh->used_qty + sh->o->qty, sh->used_value + sh->value);
    json_object_set_new(o, "license_remaining", rem);
  }
  return tg__json_out_with(o, "determination", sh->det_json, json_out, err);
}

static void ship_free(ship *sh) {
  tg__free(sh->eccn);
  tg__free(sh->policy);
  tg__free(sh->exception);
  tg__free(sh->hq);
  free(sh->audit_content);
  tg_cleared_destroy(sh->cleared);
  tg_free(sh->det_json);
  tg__free(sh->det_text);
  json_decref(sh->rule_ids);
  if (sh->has_lic) tg__license_free(&sh->lic);
}

/* One item inside the batch's transaction, checked against its license
 * as the ledger stands after the items before it (those of the batch
 * included); the careful way, in its own savepoint and written at once.
 * Returns a store error (a refusal is the item's answer, not an error). */
static tg_status ship_one(tg_store *s, batch *b, ship *sh, tg_ship_item *it) {
  refusal r = {0};
  tg_status st = b->fast ? TG_OK : tg__store_savepoint(s, &it->err);
  if (st != TG_OK) return it->status = st;
  sh->b = b;
  sh->queued = true;
  /* a shipment that came late to a batch of audit records: the ledger's
   * lock before its checks (the chain's is not held yet: records are
   * placed in the chain at the commit) */
  if (!sh->audit && ((st = tg__store_lock_ledger(s, &it->err)) != TG_OK ||
                      !allowed(s, sh, &r, &st, &it->err))) {
    /* the checks only read: nothing to undo, and the kept sums hold */
    if (st == TG_OK) {
      if (!b->fast) tg__store_release(s, &it->err);
      it->status = refused_json(sh, &r, &it->json, &it->err);
      return it->status == TG_EREFUSED ? TG_OK : it->status;
    }
  } else {
    if (!sh->audit) {
      compute_fee(sh);
      if ((st = audit_rules(s, sh, it->actor, &it->err)) == TG_OK)
        st = store_determination(s, sh, &it->err);
    }
    if (st == TG_OK) st = queue(b, it, sh, &it->err);
    if (st == TG_OK && !b->fast) st = write_pending(s, b, &it->err);
    if (st == TG_OK && !b->fast) st = tg__store_release(s, &it->err);
    if (st == TG_OK) return TG_OK;
  }
  if (!b->fast) {
    b->npend = b->ndr = 0;
    tg__store_rollback_to(s);
  }
  tg_free(it->json);
  it->json = NULL;
  return it->status = st;
}

/* A batch's items: the caller's, then any that arrived while it ran. */
typedef struct itemv {
  tg_ship_item **v;
  size_t n, max;       /* max: v's room, the caller's and up to late_max more */
  tg_ship_late_fn late;
  void *ctx;
} itemv;
static size_t admit(tg_store *s, const tg_engine *e, itemv *iv, size_t from);

/* Asks for the items queued since the batch began and admits them. */
static void take_late(tg_store *s, const tg_engine *e, itemv *iv) {
  if (!iv->late || iv->n >= iv->max) return;
  size_t got = iv->late(iv->ctx, iv->v + iv->n, iv->max - iv->n);
  if (got > iv->max - iv->n) got = iv->max - iv->n;
  size_t from = iv->n;
  iv->n += got;
  admit(s, e, iv, from);
}

/* A transaction for the PENDING items: TG_OK when it committed (or had
 * nothing to write), RETRY when the fast way met an error and undid it
 * all, else the error (nothing committed).  The fast way takes late items
 * in rounds: once the write lock is held (those queued while it was
 * awaited), then after each round's checks and writes (those queued
 * meanwhile), up to LATE_ROUNDS, so they share this commit instead of
 * waiting for the next; only the audit records (one INSERT) and the
 * commit come after the last round. */
#define RETRY ((tg_status)-2)
#define LATE_ROUNDS 3
static tg_status write_batch(tg_store *s, const tg_engine *e, itemv *iv, bool fast,
                             tg_error *err) {
  batch b = {.fast = fast};
  /* audit records alone take no ledger lock (the chain's, late, is theirs) */
  bool records = true;
  for (size_t k = 0; k < iv->n && records; k++)
    if (iv->v[k]->status == PENDING && !((ship *)iv->v[k]->prep)->audit) records = false;
  tg_status st = records ? tg__store_begin_records(s, err) : tg__store_begin(s, err);
  if (st != TG_OK) return st;
  s->audit_defer = fast;
  size_t i = 0;
  for (int round = 0; round < LATE_ROUNDS && st == TG_OK; round++) {
    if (fast) take_late(s, e, iv);
    if (round && i == iv->n) break; /* nothing came */
    for (; i < iv->n && st == TG_OK; i++)
      if (iv->v[i]->status == PENDING) {
        ship *sh = iv->v[i]->prep;
        if (!sh->audit) rules_digest(s, e, sh);
        if (ship_one(s, &b, sh, iv->v[i]) != TG_OK && fast) st = RETRY;
      }
    if (st == TG_OK && fast && write_pending(s, &b, err) != TG_OK) st = RETRY;
  }
  if (st == TG_OK && fast && tg__audit_flush(s, err) != TG_OK) st = RETRY;
  /* one commit (one WAL flush) for the whole batch, its locks released
   * before the flush: acknowledged = durable */
  if (st == TG_OK && b.wrote) st = tg__store_commit_early(s, err);
  if (!b.wrote || st != TG_OK) tg__store_rollback(s);
  batch_free(&b);
  if (st != RETRY) return st;
  /* undone: every item of the transaction is pending again */
  for (i = 0; i < iv->n; i++) {
    tg_ship_item *it = iv->v[i];
    ship *sh = it->prep;
    if (!sh || !sh->queued) continue;
    sh->queued = false;
    sh->b = NULL;
    if (sh->has_lic) tg__license_free(&sh->lic), sh->has_lic = false;
    tg_free(it->json);
    it->json = NULL;
    it->err = (tg_error){0};
    it->status = PENDING;
  }
  return RETRY;
}

/* tg_ship_prepare with the clearances of the order's parties (owned). */
static tg_status prepare_item(const tg_engine *e, tg_ship_item *it, tg_cleared *cleared) {
  if (!it) {
    tg_cleared_destroy(cleared);
    return TG_EINVAL;
  }
  it->json = NULL;
  memset(&it->err, 0, sizeof it->err);
  if (it->prep) {
    tg_cleared_destroy(cleared);
    return it->status;
  }
  static const tg_ship_opts dflt = {.notified = TG_DATE_NONE, .today = TG_DATE_NONE};
  ship *sh = tg__calloc(1, sizeof *sh);
  if (!sh) {
    tg_cleared_destroy(cleared);
    return it->status = tg__set_error(&it->err, TG_ENOMEM, "out of memory");
  }
  it->prep = sh;
  if (it->order) {
    sh->own = *it->order;
    if (cleared) sh->own.cleared = sh->cleared = cleared;
    sh->o = &sh->own;
  }
  sh->opts = it->opts ? it->opts : &dflt;
  if (!it->order && it->audit_action) { /* an audit record */
    sh->audit = true;
    return it->status = tg__audit_canon(it->actor, it->audit_action, it->audit_subject,
                                        it->audit_content, &sh->audit_content, &it->err);
  }
  it->status = !e || !it->order ? tg__set_error(&it->err, TG_EINVAL, "tg_ship: missing order")
                                : tg__check_actor(it->actor, &it->err);
  if (it->status == TG_OK) it->status = prepare(e, sh, &it->err);
  return it->status;
}

tg_status tg_ship_prepare(const tg_engine *e, tg_ship_item *it) { return prepare_item(e, it, NULL); }

static void prep_free(tg_ship_item *it) {
  if (!it->prep) return;
  ship_free(it->prep);
  tg__free(it->prep);
  it->prep = NULL;
}

/* Prepares iv's items from `from` on (with the clearances of the parties
 * of screened orders, read for them all at once: a party cleared as a
 * false positive does not block its shipment) and marks those ready
 * PENDING; returns how many are. */
static size_t admit(tg_store *s, const tg_engine *e, itemv *iv, size_t from) {
  size_t n = iv->n - from;
  tg_ship_item **its = iv->v + from;
  const tg_order **ords = tg__calloc(n ? n : 1, sizeof *ords);
  tg_cleared **cls = tg__calloc(n ? n : 1, sizeof *cls);
  size_t *at = tg__calloc(n ? n : 1, sizeof *at), nscreened = 0;
  tg_error cerr = {0};
  tg_status cs = ords && cls && at ? TG_OK : tg__set_error(&cerr, TG_ENOMEM, "out of memory");
  for (size_t i = 0; i < n && cs == TG_OK; i++)
    if (its[i]->order && its[i]->order->screener && !its[i]->order->cleared)
      at[nscreened] = i, ords[nscreened++] = its[i]->order;
  if (cs == TG_OK && nscreened) cs = tg__cleared_load_many(s, ords, nscreened, cls, &cerr);
  size_t todo = 0, k = 0;
  /* the determinations outside the transaction for the caller's items
   * (unless the caller made them already, in parallel, with
   * tg_ship_prepare) */
  for (size_t i = 0; i < n; i++) {
    tg_ship_item *it = its[i];
    tg_cleared *cl = NULL;
    if (it->order && it->order->screener && !it->order->cleared) {
      if (cs != TG_OK) {
        prep_free(it);
        it->status = cs;
        it->err = cerr;
        continue;
      }
      cl = k < nscreened && at[k] == i ? cls[k++] : NULL;
    }
    if (cl) prep_free(it), prepare_item(e, it, cl);
    else if (!it->prep) tg_ship_prepare(e, it);
    if (it->status == TG_OK && it->prep) {
      it->status = PENDING;
      todo++;
    }
  }
  tg__free(ords);
  tg__free(cls);
  tg__free(at);
  return todo;
}

tg_status tg_ship_batch_late(tg_store *s, const tg_engine *e, tg_ship_item *items, size_t n,
                             tg_ship_late_fn late, void *ctx, size_t late_max, tg_error *err) {
  if (!s || !e || (!items && n)) return tg__set_error(err, TG_EINVAL, "tg_ship_batch: missing argument");
  if (!late) late_max = 0;
  itemv iv = {.n = n, .late = late, .ctx = ctx};
  if (late_max > SIZE_MAX / sizeof *iv.v - n - 1 ||
      !(iv.v = tg__calloc(n + late_max + 1, sizeof *iv.v)))
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  iv.max = n + late_max;
  for (size_t i = 0; i < n; i++) iv.v[i] = &items[i];
  tg_status st = TG_OK;
  if (admit(s, e, &iv, 0)) {
    st = write_batch(s, e, &iv, true, err);
    if (st == RETRY) s->batches_redone++, st = write_batch(s, e, &iv, false, err);
    if (st != TG_OK) {
      /* nothing of the batch was committed: no item may claim it was */
      for (size_t i = 0; i < iv.n; i++) {
        tg_ship_item *it = iv.v[i];
        if (it->status != TG_OK && it->status != PENDING) continue;
        tg_free(it->json);
        it->json = NULL;
        it->status = st;
        it->err = err ? *err : (tg_error){0};
        if (!err) tg__set_error(&it->err, st, "the batch could not be committed");
      }
    }
  }
  for (size_t i = 0; i < iv.n; i++) prep_free(iv.v[i]);
  tg__free(iv.v);
  return st;
}

tg_status tg_ship_batch(tg_store *s, const tg_engine *e, tg_ship_item *items, size_t n,
                        tg_error *err) {
  return tg_ship_batch_late(s, e, items, n, NULL, NULL, 0, err);
}

tg_status tg_ship(tg_store *s, const tg_engine *e, const tg_order *o, const tg_ship_opts *opts,
                  const char *actor, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s || !e || !o) return tg__set_error(err, TG_EINVAL, "tg_ship: missing argument");
  tg_ship_item it = {.order = o, .opts = opts, .actor = actor};
  tg_status st = tg_ship_batch(s, e, &it, 1, err);
  if (st != TG_OK) return st;
  if (err && it.status != TG_OK) *err = it.err;
  if (json_out) *json_out = it.json;
  else tg_free(it.json);
  return it.status;
}

/* ---- corrections ---- */

tg_status tg_shipment_reverse(tg_store *s, int64_t id, const char *reason, const char *actor,
                              char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_shipment_reverse: no store");
  tg_status st = tg__check_actor(actor, err);
  if (st != TG_OK) return st;
  if (!reason || !*reason) return tg__set_error(err, TG_EINVAL, "a correction needs its reason");
  if ((st = tg__store_begin(s, err)) != TG_OK) return st;
  tg_stmt *q;
  if ((st = tg__store_prepare(s,
                              "SELECT kind, (SELECT COUNT(*) FROM shipments r WHERE r.corrects = "
                              "s.id) FROM shipments s WHERE id = ?",
                              &q, err)) != TG_OK)
    goto fail;
  tg__bind_int64(q, 1, id);
  int rc = tg__step(q);
  bool is_reversal = rc == TG__ROW && strcmp((const char *)tg__col_text(q, 0), "shipment");
  int64_t nrev = rc == TG__ROW ? tg__col_int64(q, 1) : 0;
  tg__finalize(q);
  if (rc != TG__ROW) {
    st = rc == TG__DONE ? tg__set_error(err, TG_ENOTFOUND, "no shipment %lld", (long long)id)
                           : tg__store_error(s, err, "cannot read the shipment");
    goto fail;
  }
  if (is_reversal || nrev) {
    st = tg__set_error(err, TG_ECONFLICT, "shipment %lld %s", (long long)id,
                       is_reversal ? "is itself a correction" : "has already been reversed");
    goto fail;
  }
  char at[21];
  tg__ledger_now(s, at);
  if ((st = tg__store_prepare(
           s,
           "INSERT INTO shipments (kind, corrects, chip, eccn, dest, dest_input, hq, end_user, "
           "on_date, qty, unit_price_cents, value_cents, tpp_milli, verdict, exception, "
           "review_policy, notified_on, license_id, license_number, fee_rate_ppm, fee_cents, "
           "fee_source, reference, reason, rules_sha256, determination_sha256, recorded_at, "
           "recorded_by) "
           "SELECT 'reversal', id, chip, eccn, dest, dest_input, hq, end_user, on_date, -qty, "
           "unit_price_cents, -value_cents, tpp_milli, verdict, exception, review_policy, "
           "notified_on, license_id, license_number, fee_rate_ppm, -fee_cents, fee_source, "
           "reference, ?1, rules_sha256, determination_sha256, ?2, ?3 FROM shipments WHERE id = ?4",
           &q, err)) != TG_OK)
    goto fail;
  tg__bind_text(q, 1, reason);
  tg__bind_text(q, 2, at);
  tg__bind_text(q, 3, actor);
  tg__bind_int64(q, 4, id);
  rc = tg__step(q);
  tg__finalize(q);
  s->usage_current = false; /* a row the kept sums do not count yet */
  if (rc != TG__DONE) {
    st = tg__store_error(s, err, "cannot record the correction");
    goto fail;
  }
  int64_t rid = tg__last_id(s);
  json_t *o;
  if ((st = audit_shipment(s, rid, "shipment.reverse", actor, err)) != TG_OK ||
      (st = tg__shipment_view(s, rid, false, &o, err)) != TG_OK ||
      (st = tg__json_out(o, TG__LEDGER_JSON, json_out, err)) != TG_OK ||
      (st = tg__store_commit(s, err)) != TG_OK)
    goto fail;
  return TG_OK;
fail:
  if (json_out) tg_free(*json_out), *json_out = NULL;
  tg__store_rollback(s);
  return st;
}
