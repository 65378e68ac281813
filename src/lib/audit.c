/* audit.c - the tamper-evident audit trail: appending hash-chained
 * records, verifying the chain and replaying it against the current rows,
 * exporting it as JSON lines, listing it by page and filters, and
 * verifying an export on its own.
 *
 * Record hash (hex SHA-256), reproducible in any language:
 *   SHA256( prev "\n" F(seq) F(at) F(actor) F(action) F(subject) F(content) )
 *   where F(x) = decimal byte length of x, ":", x, "\n"
 * and prev is the previous record's hash (64 "0" for seq 1).  The content
 * of a license, shipment or NAC notification record is the row's canonical
 * state after the write (ledger_util.c), so the last record about a row
 * must equal it. */
#include "ledger_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void field(tg__buf *b, const char *s) {
  tg__buf_printf(b, "%zu:", strlen(s));
  tg__buf_puts(b, s);
  tg__buf_puts(b, "\n");
}

/* Computes a record's hash; false when out of memory. */
static bool record_hash(const char *prev, int64_t seq, const char *at, const char *actor,
                        const char *action, const char *subject, const char *content,
                        char out[65]) {
  tg__buf b;
  tg__buf_init(&b);
  char sq[24];
  snprintf(sq, sizeof sq, "%lld", (long long)seq);
  tg__buf_puts(&b, prev);
  tg__buf_puts(&b, "\n");
  field(&b, sq);
  field(&b, at);
  field(&b, actor);
  field(&b, action);
  field(&b, subject);
  field(&b, content);
  bool ok = !b.oom;
  if (ok) tg__sha256_hex(b.data ? b.data : "", b.len, out);
  tg__buf_free(&b);
  return ok;
}

/* Writes one chained record. */
static tg_status insert_one(tg_store *s, int64_t seq, const char *at, const char *actor,
                            const char *action, const char *subject, const char *content,
                            const char *prev, const char *hash, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(s,
                                   "INSERT INTO audit (seq, at, actor, action, subject, content, "
                                   "prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                   &q, err);
  if (st != TG_OK) return st;
  tg__bind_int64(q, 1, seq);
  const char *v[] = {at, actor, action, subject, content, prev, hash};
  for (int i = 0; i < 7; i++) tg__bind_text(q, i + 2, v[i]);
  int rc = tg__step(q);
  tg__finalize(q);
  return rc == TG__DONE ? TG_OK : tg__store_error(s, err, "cannot append an audit record");
}

/* Keeps a record for tg__audit_flush, which places it in the chain. */
static tg_status defer(tg_store *s, const char *at, const char *actor, const char *action,
                       const char *subject, const char *content, tg_error *err) {
  if (!tg__grow(&s->aq, &s->caq, s->naq + 1, sizeof *s->aq))
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  tg__audit_rec *r = &s->aq[s->naq];
  *r = (tg__audit_rec){0};
  memcpy(r->at, at, sizeof r->at);
  r->actor = tg__strdup(actor);
  r->action = tg__strdup(action);
  r->subject = tg__strdup(subject);
  r->content = tg__strdup(content);
  s->naq++; /* counted even when a copy failed, so the drop frees it */
  if (!r->actor || !r->action || !r->subject || !r->content)
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  return TG_OK;
}

/* The chain's head (s->audit_seq, s->audit_hash), under the chain's lock,
 * which this write transaction then holds to its end: read once, then
 * kept as this transaction appends. */
static tg_status chain_head(tg_store *s, tg_error *err) {
  if (s->audit_head_known) return TG_OK;
  tg_status st = s->writing ? tg__store_lock_chain(s, err) : TG_OK;
  tg_stmt *q;
  if (st != TG_OK ||
      (st = tg__store_prepare(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &q,
                              err)) != TG_OK)
    return st;
  int rc = tg__step(q);
  if (rc == TG__ROW) {
    s->audit_seq = tg__col_int64(q, 0);
    snprintf(s->audit_hash, sizeof s->audit_hash, "%s", (const char *)tg__col_text(q, 1));
  } else {
    s->audit_seq = 0;
    memcpy(s->audit_hash, zero_hash, sizeof s->audit_hash);
  }
  tg__finalize(q);
  if (rc != TG__ROW && rc != TG__DONE) return tg__store_error(s, err, "cannot read the audit trail");
  s->audit_head_known = s->writing;
  return TG_OK;
}

/* Places a record after the head: its seq, prev and hash; the head moves. */
static tg_status chain_next(tg_store *s, const char *at, const char *actor, const char *action,
                            const char *subject, const char *content, int64_t *seq,
                            char prev[65], char hash[65], tg_error *err) {
  *seq = s->audit_seq + 1;
  memcpy(prev, s->audit_hash, 65);
  if (!record_hash(prev, *seq, at, actor, action, subject, content, hash))
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  s->audit_seq = *seq;
  memcpy(s->audit_hash, hash, 65);
  return TG_OK;
}

/* The deferred records take their places in the chain only now, under
 * the chain's lock (taken here, late: a group commit's checks do not hold
 * it), in the order they were appended. */
tg_status tg__audit_flush(tg_store *s, tg_error *err) {
  tg_status st = s->naq ? chain_head(s, err) : TG_OK;
  for (size_t i = 0; i < s->naq && st == TG_OK; i++) {
    tg__audit_rec *r = &s->aq[i];
    st = chain_next(s, r->at, r->actor, r->action, r->subject, r->content, &r->seq, r->prev,
                    r->hash, err);
  }
  for (size_t i = 0; i < s->naq && st == TG_OK;) {
    size_t n = tg__rows_chunk(s->naq - i);
    char *sql = tg__values_sql("INSERT INTO audit (seq, at, actor, action, subject, content, prev, hash)",
                               "", "ittttttt", n, "");
    tg_stmt *q;
    if (!sql) return tg__set_error(err, TG_ENOMEM, "out of memory");
    st = tg__store_prepare(s, sql, &q, err);
    free(sql);
    if (st != TG_OK) break;
    for (size_t k = 0; k < n; k++) {
      const tg__audit_rec *r = &s->aq[i + k];
      int b = (int)k * 8;
      tg__bind_int64(q, b + 1, r->seq);
      tg__bind_text(q, b + 2, r->at);
      tg__bind_text(q, b + 3, r->actor);
      tg__bind_text(q, b + 4, r->action);
      tg__bind_text(q, b + 5, r->subject);
      tg__bind_text(q, b + 6, r->content);
      tg__bind_text(q, b + 7, r->prev);
      tg__bind_text(q, b + 8, r->hash);
    }
    if (tg__step(q) != TG__DONE) st = tg__store_error(s, err, "cannot append the audit records");
    tg__finalize(q);
    i += n;
  }
  if (st == TG_OK) { /* written: nothing deferred is left (deferring goes on) */
    bool on = s->audit_defer;
    tg__store_drop_audit(s);
    s->audit_defer = on;
  }
  return st;
}

tg_status tg__audit_last_content(tg_store *s, const char *subject, char **content,
                                 tg_error *err) {
  *content = NULL;
  /* appending at once (not deferred): the chain's head too, so under its
   * lock; deferred appends read the head only when they are written */
  bool head = s->writing && !s->audit_head_known && !s->audit_defer;
  tg_status st = head ? tg__store_lock_chain(s, err) : TG_OK;
  tg_stmt *q;
  if (st != TG_OK ||
      (st = tg__store_prepare(
           s,
           "SELECT a.seq, a.hash, (SELECT b.content FROM audit b WHERE b.subject = ? "
           "ORDER BY b.seq DESC LIMIT 1) FROM audit a ORDER BY a.seq DESC LIMIT 1",
           &q, err)) != TG_OK)
    return st;
  tg__bind_text(q, 1, subject);
  int rc = tg__step(q);
  if (rc != TG__ROW && rc != TG__DONE) {
    tg__finalize(q);
    return tg__store_error(s, err, "cannot read the audit trail");
  }
  const char *c = rc == TG__ROW ? (const char *)tg__col_text(q, 2) : NULL;
  if (c && !(*content = tg__strdup(c))) st = tg__set_error(err, TG_ENOMEM, "out of memory");
  if (st == TG_OK && head) {
    s->audit_head_known = true;
    s->audit_seq = rc == TG__ROW ? tg__col_int64(q, 0) : 0;
    snprintf(s->audit_hash, sizeof s->audit_hash, "%s",
             rc == TG__ROW ? (const char *)tg__col_text(q, 1) : zero_hash);
  }
  tg__finalize(q);
  return st;
}

tg_status tg__audit_append(tg_store *s, const char *actor, const char *action,
                           const char *subject, const char *content, int64_t *seq_out,
                           tg_error *err) {
  char at[21], prev[65], hash[65];
  tg__ledger_now(s, at);
  /* deferred (a group commit): placed in the chain by tg__audit_flush */
  if (s->audit_defer && s->writing && !seq_out)
    return defer(s, at, actor, action, subject, content, err);
  int64_t seq;
  tg_status st = chain_head(s, err);
  if (st == TG_OK) st = chain_next(s, at, actor, action, subject, content, &seq, prev, hash, err);
  if (st == TG_OK) st = insert_one(s, seq, at, actor, action, subject, content, prev, hash, err);
  if (st != TG_OK) {
    s->audit_head_known = false; /* the head moved in memory, not in the table */
    return st;
  }
  if (seq_out) *seq_out = seq;
  return TG_OK;
}

tg_status tg__audit_canon(const char *actor, const char *action, const char *subject,
                          const char *content_json, char **canon, tg_error *err) {
  *canon = NULL;
  if (!action || !*action || !subject || !*subject || !content_json)
    return tg__set_error(err, TG_EINVAL, "tg_audit_append: missing argument");
  tg_status st = tg__check_actor(actor, err);
  if (st != TG_OK) return st;
  if (!strncmp(subject, "license:", 8) || !strncmp(subject, "shipment:", 9))
    return tg__set_error(err, TG_EINVAL,
                         "subject '%s' belongs to the ledger; use its write functions", subject);
  json_error_t je;
  json_t *j = json_loads(content_json, JSON_DECODE_ANY, &je);
  if (!j) return tg__set_error(err, TG_EPARSE, "audit content is not JSON: %s", je.text);
  *canon = json_dumps(j, TG__CANON_JSON | JSON_ENCODE_ANY);
  json_decref(j);
  return *canon ? TG_OK : tg__set_error(err, TG_ENOMEM, "out of memory");
}

tg_status tg_audit_append(tg_store *s, const char *actor, const char *action,
                          const char *subject, const char *content_json, tg_error *err) {
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_audit_append: missing argument");
  char *canon;
  tg_status st = tg__audit_canon(actor, action, subject, content_json, &canon, err);
  if (st != TG_OK) return st;
  if ((st = tg__store_begin(s, err)) == TG_OK) {
    st = tg__audit_append(s, actor, action, subject, canon, NULL, err);
    if (st == TG_OK) st = tg__store_commit(s, err);
    if (st != TG_OK) tg__store_rollback(s);
  }
  free(canon);
  return st;
}

/* ---- verification ---- */

typedef struct finding {
  int64_t seq;          /* 0: none yet */
  char subject[200];
  char problem[400];
  bool any;
} finding;

/* Keeps the finding with the lowest seq (seq 0 = not tied to a record,
 * reported only when nothing else is). */
static void found(finding *f, int64_t seq, const char *subject, const char *fmt, ...)
    TG__PRINTF(4, 5);
static void found(finding *f, int64_t seq, const char *subject, const char *fmt, ...) {
  if (f->any && (seq == 0 || (f->seq != 0 && f->seq <= seq))) return;
  f->any = true;
  f->seq = seq;
  snprintf(f->subject, sizeof f->subject, "%s", subject ? subject : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(f->problem, sizeof f->problem, fmt, ap);
  va_end(ap);
}

typedef struct chain {
  int64_t expect;  /* next seq */
  char prev[65];
  int64_t records;
} chain;

static void chain_init(chain *c) {
  c->expect = 1;
  memcpy(c->prev, zero_hash, sizeof c->prev);
  c->records = 0;
}

/* Checks one record against the chain so far. */
static void chain_step(chain *c, finding *f, int64_t seq, const char *at, const char *actor,
                       const char *action, const char *subject, const char *content,
                       const char *prev, const char *hash) {
  c->records++;
  if (seq != c->expect)
    found(f, c->expect, subject, "record %lld is missing (next record is %lld)",
          (long long)c->expect, (long long)seq);
  else if (strcmp(prev, c->prev) != 0)
    found(f, seq, subject, "record %lld does not link to the record before it",
          (long long)seq);
  else {
    char h[65];
    if (!record_hash(prev, seq, at, actor, action, subject, content, h))
      found(f, seq, subject, "out of memory checking record %lld", (long long)seq);
    else if (strcmp(h, hash) != 0)
      found(f, seq, subject, "record %lld was altered: its hash does not match its content",
            (long long)seq);
  }
  c->expect = seq + 1;
  snprintf(c->prev, sizeof c->prev, "%s", hash);
}

static const char *col(tg_stmt *q, int i) {
  const char *t = (const char *)tg__col_text(q, i);
  return t ? t : "";
}

static tg_status verify_chain(tg_store *s, chain *c, finding *f, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s, "SELECT seq, at, actor, action, subject, content, prev, hash FROM audit ORDER BY seq",
      &q, err);
  if (st != TG_OK) return st;
  int rc;
  while ((rc = tg__step(q)) == TG__ROW)
    chain_step(c, f, tg__col_int64(q, 0), col(q, 1), col(q, 2), col(q, 3), col(q, 4),
               col(q, 5), col(q, 6), col(q, 7));
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot read the audit trail");
  return TG_OK;
}

/* The kind of row a subject names. */
typedef enum { ROW_LICENSE, ROW_SHIPMENT, ROW_NAC } row_kind;

/* The id of the row a key names, by one query; 0 when gone. */
static int64_t row_by_text(tg_store *s, const char *sql, const char *key) {
  tg_stmt *q;
  if (tg__store_prepare(s, sql, &q, NULL)) return 0;
  tg__bind_text(q, 1, key);
  int64_t r = tg__step(q) == TG__ROW ? tg__col_int64(q, 0) : 0;
  tg__finalize(q);
  return r;
}

/* The row a license, shipment or NAC notification subject names: its id,
 * or 0 when gone. */
static int64_t subject_row(tg_store *s, const char *subject, row_kind *kind) {
  if (!strncmp(subject, "nac:", 4)) {
    *kind = ROW_NAC;
    return row_by_text(s, "SELECT id FROM nac_notifications WHERE reference = ?", subject + 4);
  }
  *kind = strncmp(subject, "license:", 8) ? ROW_SHIPMENT : ROW_LICENSE;
  if (*kind == ROW_SHIPMENT) {
    char *end;
    long long id = strtoll(subject + 9, &end, 10);
    if (*end || id <= 0) return 0;
    tg_stmt *q;
    if (tg__store_prepare(s, "SELECT id FROM shipments WHERE id = ?", &q, NULL))
      return 0;
    tg__bind_int64(q, 1, id);
    int64_t r = tg__step(q) == TG__ROW ? tg__col_int64(q, 0) : 0;
    tg__finalize(q);
    return r;
  }
  return row_by_text(s, "SELECT id FROM licenses WHERE number = ?", subject + 8);
}

/* Replays the trail against the rows: the last record about each license,
 * shipment and NAC notification must equal the row's state now. */
static tg_status verify_state(tg_store *s, finding *f, tg_error *err) {
  tg_stmt *q;
  tg_status st = tg__store_prepare(
      s,
      "SELECT a.seq, a.subject, a.content FROM audit a "
      "WHERE (a.subject LIKE 'license:%' OR a.subject LIKE 'shipment:%' "
      "OR a.subject LIKE 'nac:%') "
      "AND a.seq = (SELECT MAX(b.seq) FROM audit b WHERE b.subject = a.subject) "
      "ORDER BY a.seq",
      &q, err);
  if (st != TG_OK) return st;
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) {
    int64_t seq = tg__col_int64(q, 0);
    const char *subject = col(q, 1), *content = col(q, 2);
    row_kind kind;
    int64_t id = subject_row(s, subject, &kind);
    if (!id) {
      found(f, seq, subject, "%s is recorded by record %lld but its row is missing", subject,
            (long long)seq);
      continue;
    }
    char *state;
    tg_status rs = kind == ROW_LICENSE    ? tg__license_state(s, id, &state, err)
                   : kind == ROW_SHIPMENT ? tg__shipment_state(s, id, &state, err)
                                          : tg__nac_state(s, id, &state, err);
    if (rs != TG_OK) {
      tg__finalize(q);
      return rs;
    }
    if (strcmp(state, content) != 0)
      found(f, seq, subject, "%s does not match record %lld: it was changed outside Tollgate",
            subject, (long long)seq);
    tg__free(state);
  }
  tg__finalize(q);
  if (rc != TG__DONE) return tg__store_error(s, err, "cannot read the audit trail");
  /* rows no record describes */
  static const char *const orphans =
      "SELECT 'license:' || number FROM licenses l WHERE NOT EXISTS "
      "(SELECT 1 FROM audit a WHERE a.subject = 'license:' || l.number) "
      "UNION ALL SELECT 'shipment:' || id FROM shipments h WHERE NOT EXISTS "
      "(SELECT 1 FROM audit a WHERE a.subject = 'shipment:' || h.id) "
      "UNION ALL SELECT 'nac:' || reference FROM nac_notifications n WHERE NOT EXISTS "
      "(SELECT 1 FROM audit a WHERE a.subject = 'nac:' || n.reference) LIMIT 1";
  if ((st = tg__store_prepare(s, orphans, &q, err)) != TG_OK) return st;
  rc = tg__step(q);
  if (rc == TG__ROW)
    found(f, 0, col(q, 0), "%s has no audit record: it was added outside Tollgate", col(q, 0));
  tg__finalize(q);
  if (rc != TG__ROW && rc != TG__DONE)
    return tg__store_error(s, err, "cannot read the ledger");
  return TG_OK;
}

static tg_status verdict_json(const chain *c, const finding *f, char **json_out,
                              tg_error *err) {
  json_t *o;
  if (!f->any) {
    o = json_pack("{s:b,s:I,s:s}", "ok", 1, "records", (json_int_t)c->records, "head", c->prev);
    return tg__json_out(o, TG__LEDGER_JSON, json_out, err);
  }
  o = json_pack("{s:b,s:I,s:o,s:s,s:s}", "ok", 0, "records", (json_int_t)c->records,
                "first_bad", f->seq ? json_integer(f->seq) : json_null(), "subject", f->subject,
                "problem", f->problem);
  tg_status st = tg__json_out(o, TG__LEDGER_JSON, json_out, err);
  if (st != TG_OK) return st;
  return tg__set_error(err, TG_ETAMPER, "audit verification failed: %s", f->problem);
}

tg_status tg_audit_verify(tg_store *s, char **json_out, tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!s) return tg__set_error(err, TG_EINVAL, "tg_audit_verify: no store");
  /* one read transaction: a consistent snapshot while writers go on */
  tg_status st = tg__store_begin_read(s, err);
  if (st != TG_OK) return st;
  chain c;
  chain_init(&c);
  finding f = {0};
  json_t *bounds = NULL;
  if ((st = verify_chain(s, &c, &f, err)) == TG_OK) st = verify_state(s, &f, err);
  if (st == TG_OK) st = tg__ledger_bounds(s, &bounds, err);
  tg__store_rollback(s);
  if (st != TG_OK) return st;
  char *text = NULL;
  st = verdict_json(&c, &f, &text, err);
  if (!text) {
    json_decref(bounds);
    return st;
  }
  /* rows past the bounds are reported beside the chain's verdict */
  json_t *o = json_loads(text, 0, NULL);
  tg_free(text);
  json_object_set_new(o, "out_of_bounds", bounds);
  tg_status jst = tg__json_out(o, TG__LEDGER_JSON, json_out, err);
  return jst != TG_OK ? jst : st;
}

/* ---- export ---- */

#define RECORD_COLS "SELECT seq, at, actor, action, subject, content, prev, hash FROM audit"

/* The record at q's position (RECORD_COLS), as exported. */
static json_t *record_json(tg_stmt *q) {
  return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)tg__col_int64(q, 0),
                   "at", col(q, 1), "actor", col(q, 2), "action", col(q, 3), "subject",
                   col(q, 4), "content", col(q, 5), "prev", col(q, 6), "hash", col(q, 7));
}

tg_status tg_audit_export(tg_store *s, tg_write_fn fn, void *ud, tg_error *err) {
  if (!s || !fn) return tg__set_error(err, TG_EINVAL, "tg_audit_export: missing argument");
  tg_status st = tg__store_begin_read(s, err);
  if (st != TG_OK) return st;
  tg_stmt *q;
  if ((st = tg__store_prepare(s,
                              RECORD_COLS " ORDER BY seq",
                              &q, err)) != TG_OK) {
    tg__store_rollback(s);
    return st;
  }
  int rc;
  while ((rc = tg__step(q)) == TG__ROW) {
    json_t *o = record_json(q);
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!line) {
      st = tg__set_error(err, TG_ENOMEM, "out of memory");
      break;
    }
    size_t n = strlen(line);
    line[n] = '\n';
    int stop = fn(ud, line, n + 1);
    free(line);
    if (stop) {
      st = tg__set_error(err, TG_EIO, "audit export: the output could not be written");
      break;
    }
  }
  if (st == TG_OK && rc != TG__DONE) st = tg__store_error(s, err, "cannot read the audit trail");
  tg__finalize(q);
  tg__store_rollback(s);
  return st;
}

/* `subject` as a LIKE pattern for "contains, ignoring ASCII case" ('!'
 * escapes). */
static char *contains_pattern(const char *subject) {
  tg__buf b;
  tg__buf_init(&b);
  tg__buf_puts(&b, "%");
  for (const char *p = subject; *p; p++) {
    if (*p == '%' || *p == '_' || *p == '!') tg__buf_puts(&b, "!");
    char c = (char)tolower((unsigned char)*p);
    tg__buf_append(&b, (unsigned char)*p < 0x80 ? &c : p, 1);
  }
  tg__buf_puts(&b, "%");
  return tg__buf_detach(&b);
}

tg_status tg_audit_records_json(tg_store *s, const char *actor, const char *action,
                                const char *subject, tg_page *page, char **json_out,
                                tg_error *err) {
  if (!s || !json_out) return tg__set_error(err, TG_EINVAL, "tg_audit_records_json: missing argument");
  *json_out = NULL;
  int64_t after = 0;
  tg_status st = page && page->after ? tg__page_after_int(page, &after, err) : TG_OK;
  if (st != TG_OK) return st;
  tg__buf sql;
  tg__buf_init(&sql);
  tg__buf_puts(&sql, RECORD_COLS " WHERE seq > ?");
  if (actor) tg__buf_puts(&sql, " AND actor = ?");
  if (action) tg__buf_puts(&sql, " AND substr(action, 1, ?) = ?");
  if (subject) tg__buf_puts(&sql, " AND lower(subject) LIKE ? ESCAPE '!'");
  tg__buf_puts(&sql, " ORDER BY seq");
  tg__page_sql(page, &sql);
  char *pattern = subject ? contains_pattern(subject) : NULL;
  tg_stmt *q = NULL;
  st = sql.oom || (subject && !pattern) ? tg__set_error(err, TG_ENOMEM, "out of memory")
                                        : tg__store_prepare(s, sql.data, &q, err);
  tg__buf_free(&sql);
  if (st != TG_OK) {
    tg__free(pattern);
    return st;
  }
  int k = 1;
  tg__bind_int64(q, k++, after);
  if (actor) tg__bind_text(q, k++, actor);
  if (action) tg__bind_int64(q, k++, (int64_t)strlen(action)), tg__bind_text(q, k++, action);
  if (subject) tg__bind_text(q, k++, pattern);
  json_t *a = json_array();
  int rc;
  size_t kept = 0;
  while ((rc = tg__step(q)) == TG__ROW && !tg__page_full(page, kept++)) {
    tg__page_keep_int(page, tg__col_int64(q, 0));
    json_array_append_new(a, record_json(q));
  }
  tg__finalize(q);
  tg__free(pattern);
  if (rc != TG__DONE && rc != TG__ROW) {
    json_decref(a);
    return tg__store_error(s, err, "cannot read the audit trail");
  }
  if (rc == TG__DONE) tg__page_last(page);
  json_t *o = json_pack("{s:I,s:o}", "count", (json_int_t)json_array_size(a), "records", a);
  if (!o || !(*json_out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
  json_decref(o);
  return st;
}

tg_status tg_audit_verify_export(const char *text, size_t len, char **json_out,
                                 tg_error *err) {
  if (json_out) *json_out = NULL;
  if (!text) return tg__set_error(err, TG_EINVAL, "tg_audit_verify_export: no text");
  chain c;
  chain_init(&c);
  finding f = {0};
  size_t pos = 0;
  int lineno = 0;
  while (pos < len) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    lineno++;
    if (end > pos) {
      json_error_t je;
      json_t *o = json_loadb(text + pos, end - pos, 0, &je);
      json_int_t seq = 0;
      const char *at, *actor, *action, *subject, *content, *prev, *hash;
      if (!o || json_unpack(o, "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", &seq, "at", &at,
                            "actor", &actor, "action", &action, "subject", &subject,
                            "content", &content, "prev", &prev, "hash", &hash) != 0) {
        json_decref(o);
        return tg__set_error(err, TG_EPARSE, "line %d: not an audit record", lineno);
      }
      chain_step(&c, &f, seq, at, actor, action, subject, content, prev, hash);
      json_decref(o);
    }
    pos = end + 1;
  }
  return verdict_json(&c, &f, json_out, err);
}
