/* routes_screen.c - screening over HTTP: the stored lists (GET /v1/lists),
 * one name against them (POST /v1/screen) and two names against each
 * other (POST /v1/match), with the server's one screener (built from the
 * store's lists at start; see http.c).  The viewer role; a screening run
 * is written to the audit trail through the shipments' group commit. */
#include <stdio.h>
#include <string.h>

#include "srv_int.h"

static void lists(srv_req *q, srv_resp *r) { srv_listing(q, r, tg_lists_page_json); }

/* Reads the text fields `names` (required ones first, `nreq` of them). */
static bool read_texts(srv_req *q, srv_resp *r, json_t **body, const char *const *names,
                       size_t nreq, const char **out) {
  tg_check_reply rep = {0};
  if (!(*body = srv_body_object(q, r))) return false;
  bool ok = srv_known_fields(*body, names, "", &rep);
  for (size_t i = 0; ok && names[i]; i++) {
    if (!strcmp(names[i], "limit") || !strcmp(names[i], "threshold")) continue;
    ok = srv_text_field(*body, names[i], "", &out[i], &rep);
    if (ok && i < nreq && !out[i]) {
      rep.status = 400;
      rep.code = "bad_field";
      snprintf(rep.message, sizeof rep.message, "%s: required", names[i]);
      ok = false;
    }
  }
  if (!ok) srv_error(r, rep.status, rep.code, "%s", rep.message);
  return ok;
}

/* The run into the audit trail through the shipments' group commit (one
 * chain, answered once durable), not under a write lock of its own: it
 * joins the flush running when it comes, if that flush has not yet begun
 * its writes (srv_batch.c), else the next one. */
static tg_status audit_run(srv_req *q, const char *decided, tg_error *err) {
  char *subject, *content;
  tg_status st = tg_screen_run_record(decided, &subject, &content, err);
  /* the read connection back first (PostgreSQL): the commit takes one of
   * the pool's, and requests holding theirs must not starve it */
  srv_store_put(q->srv, q->store);
  q->store = NULL;
  if (st == TG_OK) {
    tg_ship_item it = {.actor = q->who.name, .audit_action = "screening.run",
                       .audit_subject = subject, .audit_content = content};
    st = srv_ship_submit(q->srv, &it, 1, err);
    if (st == TG_OK && it.status != TG_OK) *err = it.err, st = it.status;
  }
  tg_free(subject);
  tg_free(content);
  return st;
}

void srv_screen_post(srv_req *q, srv_resp *r) {
  static const char *const names[] = {"name", "country", "limit", "threshold", NULL};
  const char *v[4] = {NULL, NULL, NULL, NULL};
  json_t *b;
  if (!read_texts(q, r, &b, names, 1, v)) {
    json_decref(b);
    return;
  }
  tg_screen_options o;
  tg_screen_options_init(&o);
  o.country = v[1];
  o.as_of = q->today;
  if (q->srv->opt.screen_threshold > 0) o.min_score = q->srv->opt.screen_threshold;
  double limit = o.limit, threshold = o.min_score;
  tg_check_reply rep = {0};
  if (!srv_number_field(b, "limit", "", 100, true, &limit, &rep) ||
      !srv_number_field(b, "threshold", "", 1, false, &threshold, &rep)) {
    srv_error(r, rep.status, rep.code, "%s", rep.message);
  } else if (threshold <= 0) {
    srv_error(r, 400, "bad_field", "threshold: expected a screening threshold in (0, 1]");
  } else {
    o.min_score = threshold;
    o.limit = limit < 1 ? 1 : (int)limit;
    char *js = NULL;
    tg_error err = {0};
    tg_status st = tg_screen(srv_screener(q->srv), v[0], &o, &js, &err);
    char *marked = NULL; /* the hits cleared for this party; the run audited */
    if (st == TG_OK) st = tg_screen_decided(q->store, js, NULL, &marked, &err);
    tg_free(js);
    js = marked;
    if (st == TG_OK) st = audit_run(q, js, &err);
    if (st == TG_OK) srv_json(r, js);
    else srv_fail(r, st, &err);
  }
  json_decref(b);
}

static void match(srv_req *q, srv_resp *r) {
  static const char *const names[] = {"a", "b", NULL};
  const char *v[2] = {NULL, NULL};
  json_t *b;
  if (read_texts(q, r, &b, names, 2, v)) {
    char *js = NULL;
    tg_error err = {0};
    tg_status st = tg_match(srv_screener(q->srv), v[0], v[1], &js, &err);
    if (st == TG_OK) srv_json(r, js);
    else srv_fail(r, st, &err);
  }
  json_decref(b);
}

const srv_route srv_screen_routes[] = {
    {"GET", "/v1/lists", TG_ROLE_VIEWER, false, lists,
     "The stored screening lists (kind, title, files, published, imported_at, entries, "
     "entries per list), as `tollgate lists --json`, by kind; paginated by ?limit= and "
     "?cursor= (a kind)",
     "[" PAGE_PARAMS "]", NULL, "{\"type\": \"array\", \"items\": {\"type\": \"object\"}}", NULL},
    /* (a write: its audit record, through the group commit, not the lock) */
    {"POST", "/v1/screen", TG_ROLE_VIEWER, true, srv_screen_post,
     "Screens one name (any script) against the stored lists, best hit first (as `tollgate "
     "screen --json`); hits cleared for this party carry their clearance, and the run goes "
     "into the audit trail with the caller",
     NULL,
     "{\"type\": \"object\", \"required\": [\"name\"], \"additionalProperties\": false, "
     "\"properties\": {\"name\": {\"type\": \"string\"}, \"country\": {\"type\": \"string\", "
     "\"description\": \"ISO alpha-2 address country\"}, \"limit\": {\"type\": \"integer\", "
     "\"minimum\": 1, \"maximum\": 100, \"default\": 10}, " THRESHOLD_SCHEMA "}}",
     "{\"type\": \"object\", \"description\": \"query, tokens, threshold, match, hits [{score, "
     "list, name, matched_name, tokens, license_requirement, license_policy, policy, "
     "federal_register_notice, countries, ...}]\"}",
     NULL},
    {"POST", "/v1/match", TG_ROLE_VIEWER, false, match,
     "Scores two names against each other (as `tollgate match --json`)", NULL,
     "{\"type\": \"object\", \"required\": [\"a\", \"b\"], \"additionalProperties\": false, "
     "\"properties\": {\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"string\"}}}",
     "{\"type\": \"object\", \"description\": \"score, match, threshold, tokens1, tokens2, "
     "pairs, unmatched1, unmatched2\"}",
     NULL},
    {NULL, NULL, 0, false, NULL, NULL, NULL, NULL, NULL, NULL},
};
