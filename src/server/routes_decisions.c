/* routes_decisions.c - screening decisions over HTTP: clearing a hit as a
 * false positive (officer), the clearances and the alerts (viewer),
 * closing an alert (officer), and importing list files (admin: in a JSON
 * body, or one large file streamed to POST /v1/lists/upload), which
 * re-screens every recorded party and answers with the new alerts.  Each
 * is one library call with the token's name as the audit actor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srv_int.h"

#define MAX_LIST_FILES 4 /* OFAC: sdn.csv, alt.csv, add.csv (+ one more list) */

static bool fail_reply(srv_resp *r, const tg_check_reply *rep) {
  srv_error(r, rep->status ? rep->status : 400, rep->code ? rep->code : "bad_field", "%s", rep->message);
  return false;
}

/* Reads the body's text fields `names` (the first nreq required). */
static bool body_texts(srv_req *q, srv_resp *r, json_t **b, const char *const *names, size_t nreq,
                       const char **out) {
  tg_check_reply rep = {0};
  if (!(*b = srv_body_object(q, r))) return false;
  if (!srv_known_fields(*b, names, "", &rep)) return fail_reply(r, &rep);
  for (size_t i = 0; names[i]; i++) {
    if (!strcmp(names[i], "threshold") || !strcmp(names[i], "files")) continue;
    if (!srv_text_field(*b, names[i], "", &out[i], &rep)) return fail_reply(r, &rep);
    if (i < nreq && !out[i]) {
      srv_error(r, 400, "bad_field", "%s: required", names[i]);
      return false;
    }
  }
  return true;
}

/* The screening options of a decision: the server's threshold, or the body's. */
static bool decision_opts(srv_req *q, srv_resp *r, json_t *b, tg_screen_options *o) {
  tg_screen_options_init(o);
  o->as_of = q->today;
  if (q->srv->opt.screen_threshold > 0) o->min_score = q->srv->opt.screen_threshold;
  double t = o->min_score;
  tg_check_reply rep = {0};
  if (b && !srv_number_field(b, "threshold", "", 1, false, &t, &rep)) return fail_reply(r, &rep);
  if (t <= 0) {
    srv_error(r, 400, "bad_field", "threshold: expected a screening threshold in (0, 1]");
    return false;
  }
  o->min_score = t;
  return true;
}

static void clearance_add(srv_req *q, srv_resp *r) {
  static const char *const names[] = {"party", "entry", "reason", "list", "threshold", NULL};
  const char *v[5] = {NULL};
  json_t *b = NULL;
  tg_screen_options o;
  if (body_texts(q, r, &b, names, 3, v) && decision_opts(q, r, b, &o)) {
    char *js = NULL;
    tg_error err = {0};
    tg_status st = tg_clearance_add(q->store, srv_screener(q->srv), &o, v[0], v[1], v[3], v[2], q->who.name,
                                    &js, &err);
    if (st == TG_OK) srv_json(r, js);
    else srv_fail(r, st, &err);
  }
  json_decref(b);
}

static void clearances(srv_req *q, srv_resp *r) {
  tg_page pg;
  if (!srv_page_params(q, r, &pg)) return;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_clearances_page_json(q->store, srv_query(q, "party"), &pg, &js, &err);
  srv_paged(r, &pg, st, &err, js);
}

static void alerts(srv_req *q, srv_resp *r) {
  const char *status = srv_query(q, "status");
  if (!status) status = "open";
  else if (!strcmp(status, "all")) status = NULL;
  tg_page pg;
  if (!srv_page_params(q, r, &pg)) return;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_alerts_page_json(q->store, status, &pg, &js, &err);
  srv_paged(r, &pg, st, &err, js);
}

static void alert_close(srv_req *q, srv_resp *r) {
  static const char *const names[] = {"note", NULL};
  const char *v[1] = {NULL};
  json_t *b = NULL;
  char *end;
  long long id = strtoll(q->param, &end, 10);
  if (id <= 0 || *end) {
    srv_error(r, 404, "not_found", "no alert '%s'", q->param);
  } else if (body_texts(q, r, &b, names, 1, v)) {
    char *js = NULL;
    tg_error err = {0};
    tg_status st = tg_alert_close(q->store, id, v[0], q->who.name, &js, &err);
    if (st == TG_OK) srv_json(r, js);
    else srv_fail(r, st, &err);
  }
  json_decref(b);
}

/* A plain file name (letters, digits, '.', '_', '-'; not starting with '.'). */
static bool plain_name(const char *name) {
  bool ok = name && *name && strlen(name) < 100 && name[0] != '.';
  for (const char *p = name; ok && *p; p++)
    ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("._-", *p);
  return ok;
}

/* Writes the uploaded files into dir under their own base names. */
static bool write_files(srv_resp *r, json_t *files, const char *dir, char paths[][300], size_t *n) {
  size_t i;
  json_t *f;
  *n = 0;
  if (!json_is_array(files) || !json_array_size(files) || json_array_size(files) > MAX_LIST_FILES) {
    srv_error(r, 400, "bad_field", "files: expected 1 to %d objects {name, content}", MAX_LIST_FILES);
    return false;
  }
  json_array_foreach(files, i, f) {
    const char *name = json_string_value(json_object_get(f, "name"));
    const char *content = json_string_value(json_object_get(f, "content"));
    if (!content || !plain_name(name)) {
      srv_error(r, 400, "bad_field", "files[%zu]: expected {name, content} with a plain file name "
                "(letters, digits, '.', '_', '-')", i);
      return false;
    }
    snprintf(paths[i], 300, "%s/%s", dir, name);
    FILE *fp = fopen(paths[i], "wx");
    size_t len = json_string_length(json_object_get(f, "content"));
    bool wrote = fp && fwrite(content, 1, len, fp) == len;
    if (fp && fclose(fp) != 0) wrote = false;
    if (fp) (*n)++;
    if (!wrote) {
      srv_error(r, fp ? 500 : 400, fp ? "internal" : "bad_field",
                fp ? "cannot write the uploaded file '%s'" : "files: '%s' is given twice", name);
      return false;
    }
  }
  return true;
}

/* Imports the files in one transaction, re-screens every recorded party
 * and answers {imported, rescreen}.  Once the import has committed the
 * answer is 200 whatever follows: when the screener's reload or the
 * re-screen then fails, "rescreen" is null and "rescreen_error" says why
 * (the lists are stored; the lists thread reloads them within about a
 * second, and `tollgate rescreen` re-screens), never an error status for
 * an import that was made. */
static void import_paths(srv_req *q, srv_resp *r, const char *const *ps, size_t n, const tg_screen_options *o) {
  char now[32], *sum = NULL, *res = NULL;
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
  tg_error err = {0};
  tg_status st = tg_lists_import(q->store, ps, n, now, q->who.name, &sum, &err);
  /* the server's own screener takes the new lists before the answer, so
   * no screening after it searches the old ones; the re-screen uses it */
  if (st != TG_OK) {
    srv_fail(r, st, &err);
  } else {
    tg_status rs = srv_lists_reload(q->srv, q->store, &err);
    if (rs == TG_OK) rs = tg_rescreen(q->store, srv_screener(q->srv), o, q->who.name, &res, &err);
    json_t *j = json_pack("{s:o,s:o}", "imported", json_loads(sum, 0, NULL), "rescreen",
                          rs == TG_OK ? json_loads(res, 0, NULL) : json_null());
    if (rs != TG_OK)
      json_object_set_new(j, "rescreen_error",
                          json_pack("{s:s,s:s+}", "code", rs == TG_ESTORE ? "unavailable" : "internal",
                                    "message", "the lists are imported, but the recorded parties were not re-screened: ",
                                    err.message[0] ? err.message : tg_strerror(rs)));
    srv_json(r, json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER));
    json_decref(j);
  }
  tg_free(sum);
  tg_free(res);
}

static void lists_import(srv_req *q, srv_resp *r) {
  static const char *const names[] = {"files", "threshold", NULL};
  json_t *b = NULL;
  tg_screen_options o;
  char dir[] = "/tmp/tollgate-lists-XXXXXX", paths[MAX_LIST_FILES][300];
  size_t n = 0;
  bool made = false;
  if (!body_texts(q, r, &b, names, 0, NULL) || !decision_opts(q, r, b, &o)) goto out;
  if (!(made = mkdtemp(dir) != NULL)) {
    srv_error(r, 500, "internal", "cannot make a temporary directory for the upload");
    goto out;
  }
  if (!write_files(r, json_object_get(b, "files"), dir, paths, &n)) goto out;
  const char *ps[MAX_LIST_FILES];
  for (size_t i = 0; i < n; i++) ps[i] = paths[i];
  import_paths(q, r, ps, n, &o);
out:
  for (size_t i = 0; i < n; i++) unlink(paths[i]);
  if (made) rmdir(dir);
  json_decref(b);
}

/* POST /v1/lists/upload?name=FILE: one list file as the raw body, streamed
 * to a temporary file by the adapter (its own bound, srv_lists.c); it is
 * moved under its name (the name tells the format) and imported. */
static void lists_upload(srv_req *q, srv_resp *r) {
  const char *name = srv_query(q, "name");
  tg_screen_options o;
  if (!plain_name(name)) {
    srv_error(r, 400, "bad_field", "name: give the file's name (?name=sdn.csv; letters, digits, '.', '_', '-')");
    return;
  }
  if (!q->upload_path) {
    srv_error(r, 400, "bad_field", "the body is empty: send the list file as the request body");
    return;
  }
  if (!decision_opts(q, r, NULL, &o)) return;
  char dir[] = "/tmp/tollgate-lists-XXXXXX", path[300];
  if (!mkdtemp(dir)) {
    srv_error(r, 500, "internal", "cannot make a temporary directory for the upload");
    return;
  }
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (rename(q->upload_path, path) != 0) {
    srv_error(r, 500, "internal", "cannot keep the uploaded list file");
  } else {
    const char *ps[1] = {path};
    import_paths(q, r, ps, 1, &o);
    unlink(path);
  }
  rmdir(dir);
}

void srv_refusal_audit(tg_server *s, const char *end_user, const char *refusal_json, const char *actor) {
  tg_store *st = srv_store_get(s);
  if (!s->pg) pthread_rwlock_wrlock(&s->store_lock);
  tg_error err = {0};
  if (tg_refusal_record(st, end_user, refusal_json, actor, &err) != TG_OK)
    fprintf(stderr, "tollgate serve: a refusal was not recorded in the audit trail: %s\n", err.message);
  if (!s->pg) pthread_rwlock_unlock(&s->store_lock);
  srv_store_put(s, st);
}

const srv_route srv_decision_routes[] = {
    {"POST", "/v1/clearances", TG_ROLE_OFFICER, true, clearance_add,
     "Clears a screening hit as a false positive (as `tollgate clear`): the party is screened "
     "and the hit on `entry` recorded with the reason, the list version and the caller; 404 "
     "when the screening gives no such hit, 409 when it is cleared already",
     NULL,
     "{\"type\": \"object\", \"required\": [\"party\", \"entry\", \"reason\"], "
     "\"additionalProperties\": false, \"properties\": {\"party\": {\"type\": \"string\"}, "
     "\"entry\": {\"type\": \"string\"}, \"reason\": {\"type\": \"string\"}, \"list\": "
     "{\"type\": \"string\"}, \"threshold\": {\"type\": \"number\"}}}",
     "{\"type\": \"object\", \"description\": \"the clearance: id, party, list, entry, entry_ref, "
     "score, list_version, reason, cleared_at, cleared_by\"}",
     NULL},
    {"GET", "/v1/clearances", TG_ROLE_VIEWER, false, clearances,
     "The clearances recorded, oldest first (?party= one party's), as `tollgate clearances --json`",
     "[{\"name\": \"party\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}}]", NULL,
     "{\"type\": \"array\", \"items\": {\"type\": \"object\"}}", NULL},
    {"GET", "/v1/alerts", TG_ROLE_VIEWER, false, alerts,
     "Hits found when recorded parties were re-screened after a list import, newest first "
     "(?status=open (default), cleared, closed or all), as `tollgate alerts --json`",
     "[{\"name\": \"status\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}}]", NULL,
     "{\"type\": \"object\", \"properties\": {\"alerts\": {\"type\": \"array\"}, \"open\": "
     "{\"type\": \"integer\"}}}",
     NULL},
    {"POST", "/v1/alerts/{id}/close", TG_ROLE_OFFICER, true, alert_close,
     "Closes an open alert with a note (as `tollgate alerts close`); 409 when not open", NULL,
     "{\"type\": \"object\", \"required\": [\"note\"], \"additionalProperties\": false, "
     "\"properties\": {\"note\": {\"type\": \"string\"}}}",
     "{\"type\": \"object\", \"description\": \"the alert\"}", NULL},
    {"POST", "/v1/lists", TG_ROLE_ADMIN, true, lists_import,
     "Imports screening list files (CSL CSV or JSON, OFAC sdn/alt/add CSV, UN XML; as "
     "`tollgate lists import`) in one transaction, then re-screens every recorded party: "
     "{imported: [...], rescreen: {parties, hits, cleared, known, alerts: [...]}}; rescreen "
     "null and rescreen_error {code, message} when the lists were imported but the re-screen "
     "failed",
     NULL,
     "{\"type\": \"object\", \"required\": [\"files\"], \"additionalProperties\": false, "
     "\"properties\": {\"files\": {\"type\": \"array\", \"maxItems\": 4, \"items\": {\"type\": "
     "\"object\", \"required\": [\"name\", \"content\"], \"properties\": {\"name\": {\"type\": "
     "\"string\"}, \"content\": {\"type\": \"string\"}}}}, \"threshold\": {\"type\": \"number\"}}}",
     "{\"type\": \"object\"}", NULL},
    {"POST", "/v1/lists/upload", TG_ROLE_ADMIN, true, lists_upload,
     "Imports one screening list file sent as the raw request body (?name= its file name, "
     "which tells its format: e.g. sdn.csv, consolidated.json, consolidated.xml), streamed to a "
     "temporary file under its own bound (serve --max-list-upload, default 256 MiB; 413 past it), "
     "then re-screens every recorded party, as POST /v1/lists",
     "[{\"name\": \"name\", \"in\": \"query\", \"required\": true, \"schema\": {\"type\": "
     "\"string\"}}]",
     NULL, "{\"type\": \"object\"}", NULL},
    {NULL, NULL, 0, false, NULL, NULL, NULL, NULL, NULL, NULL},
};
