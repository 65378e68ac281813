/* routes_core.c - the core endpoints, each a thin wrapper of one library
 * call: health, the chip catalog and classifications, checks, rule sets,
 * the TPP/PD chart, and the OpenAPI document itself. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

#define ON_PARAM                                                                           \
  "[{\"name\": \"on\", \"in\": \"query\", \"required\": false, \"description\": \"the date, " \
  "YYYY-MM-DD (default: today, UTC)\", \"schema\": {\"type\": \"string\", \"format\": \"date\"}}]"

#define ON_PAGE_PARAMS                                                                     \
  "[{\"name\": \"on\", \"in\": \"query\", \"required\": false, \"description\": \"the date, " \
  "YYYY-MM-DD (default: today, UTC)\", \"schema\": {\"type\": \"string\", \"format\": "        \
  "\"date\"}}, " PAGE_PARAMS "]"

static void countries(srv_req *q, srv_resp *r) { srv_json(r, tg_countries_json(q->srv->engine)); }

static void health(srv_req *q, srv_resp *r) {
  json_t *o = json_pack("{s:s,s:s,s:I,s:i}", "status", "ok", "version", TG_VERSION, "chips",
                        (json_int_t)tg_catalog_count(q->srv->engine), "schema_version",
                        tg_store_schema_version(q->store));
  srv_json(r, json_dumps(o, JSON_PRESERVE_ORDER));
  json_decref(o);
}

/* Each catalog chip (tg_chip_json) with its ECCN on the date. */
static void chips(srv_req *q, srv_resp *r) {
  tg_date on;
  tg_page pg;
  if (!srv_query_date(q, r, "on", &on) || !srv_page_params(q, r, &pg)) return;
  const tg_engine *e = q->srv->engine;
  /* a page: the chips after the cursor's, in catalog order; only they are
   * classified and rendered */
  size_t from = 0, n = tg_catalog_count(e);
  if (pg.after) {
    while (from < n && strcmp(tg_chip_id(tg_catalog_at(e, from)), pg.after)) from++;
    if (from++ == n) {
      srv_error(r, 400, "bad_field", "cursor: no chip '%.60s' in the catalog", pg.after);
      return;
    }
  }
  size_t to = pg.limit > 0 && from + (size_t)pg.limit < n ? from + (size_t)pg.limit : n;
  if (to < n) srv_next_cursor(r, tg_chip_id(tg_catalog_at(e, to - 1)));
  json_t *a = json_array();
  for (size_t i = from; i < to; i++) {
    const tg_chip *c = tg_catalog_at(e, i);
    char *cj = tg_chip_json(c);
    json_t *o = cj ? json_loads(cj, 0, NULL) : NULL;
    tg_free(cj);
    tg_result *res = NULL;
    if (o && tg_classify(e, c, on, &res, NULL) == TG_OK) {
      const char *eccn = tg_result_eccn(res);
      json_object_set_new(o, "eccn", eccn ? json_string(eccn) : json_null());
      json_object_set_new(o, "determined", json_boolean(!tg_result_undetermined(res)));
    }
    tg_result_destroy(res);
    if (!o) {
      json_decref(a);
      srv_error(r, 500, "internal", "out of memory");
      return;
    }
    json_array_append_new(a, o);
  }
  srv_json(r, json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)));
  json_decref(a);
}

static void classification(srv_req *q, srv_resp *r) {
  tg_date on;
  if (!srv_query_date(q, r, "on", &on)) return;
  const tg_chip *c = tg_catalog_find(q->srv->engine, q->param);
  if (!c) {
    char *s = tg_catalog_suggest(q->srv->engine, q->param);
    srv_error(r, 404, "not_found", "unknown chip '%s'%s%s%s", q->param,
              s && *s ? " (did you mean: " : "", s && *s ? s : "", s && *s ? "?)" : "");
    tg_free(s);
    return;
  }
  tg_result *res = NULL;
  tg_error err = {0};
  if (tg_classify(q->srv->engine, c, on, &res, &err) != TG_OK) {
    srv_error(r, 500, "internal", "%s", err.message);
    return;
  }
  size_t len;
  const char *kept = tg_result_json_kept(res, &len);
  srv_piece *p = kept ? malloc(sizeof *p) : NULL;
  if (p) { /* the engine's kept answer, sent without a copy; res goes once sent */
    srv_resp_free(r);
    *p = (srv_piece){.text = kept, .len = len, .result = res};
    *r = (srv_resp){.status = 200, .ctype = "application/json", .pieces = p, .npieces = 1, .len = len};
    return;
  }
  srv_json(r, tg_result_json(res));
  tg_result_destroy(res);
}

static void checks(srv_req *q, srv_resp *r) {
  srv_checks(q->srv->engine, srv_screener(q->srv), q->srv->ownership, q->srv->opt.screen_threshold,
             q->body, q->body_len, q->srv->opt.max_orders, q->today, r);
}

static void rules(srv_req *q, srv_resp *r) {
  tg_date on;
  if (srv_query_date(q, r, "on", &on)) srv_json(r, tg_rules_json(q->srv->engine, on));
}

/* A copy of the cached chart of `epoch`, or NULL. */
static char *cached_chart(tg_server *s, tg_date epoch) {
  char *copy = NULL;
  pthread_mutex_lock(&s->chart_lock);
  for (size_t i = 0; i < sizeof s->charts / sizeof *s->charts && !copy; i++)
    if (s->charts[i].svg && s->charts[i].epoch == epoch) copy = strdup(s->charts[i].svg);
  pthread_mutex_unlock(&s->chart_lock);
  return copy;
}

/* A copy of the chart for `on`: drawn once per rules epoch, one drawing at
 * a time, then dated `on` (the date appears only in the header, before the
 * regions; both dates are 10 characters). */
static char *chart_for(tg_server *s, tg_date on) {
  tg_date epoch = tg_rules_epoch(s->engine, on);
  char *copy = cached_chart(s, epoch);
  if (!copy) {
    pthread_mutex_lock(&s->draw_lock);
    if (!(copy = cached_chart(s, epoch))) { /* drawn while this one waited? */
      char *svg = tg_plot_svg(s->engine, epoch);
      s->charts_drawn++;
      if (svg && (copy = strdup(svg))) {
        pthread_mutex_lock(&s->chart_lock);
        unsigned k = s->chart_next++ % (sizeof s->charts / sizeof *s->charts);
        tg_free(s->charts[k].svg);
        s->charts[k].epoch = epoch;
        s->charts[k].svg = svg;
        pthread_mutex_unlock(&s->chart_lock);
      } else {
        tg_free(svg);
      }
    }
    pthread_mutex_unlock(&s->draw_lock);
  }
  if (!copy || epoch == on) return copy;
  char from[11], to[11];
  tg_date_format(epoch, from);
  tg_date_format(on, to);
  char *end = strstr(copy, "<g class=\"regions\"");
  for (char *p = copy; (p = strstr(p, from)) && (!end || p < end); p += 10) memcpy(p, to, 10);
  return copy;
}

static void chart(srv_req *q, srv_resp *r) {
  tg_date on;
  if (!srv_query_date(q, r, "on", &on)) return;
  srv_json(r, chart_for(q->srv, on));
  if (r->status == 200) r->ctype = "image/svg+xml";
}

static void openapi(srv_req *q, srv_resp *r) {
  char *copy = strdup(q->srv->openapi);
  srv_json(r, copy);
}

#define RESULT_SCHEMA                                                                     \
  "{\"type\": \"object\", \"description\": \"a decision, as `tollgate check --json` prints " \
  "it: chip, on, metrics, order, eccn, verdict, exception, review_policy, fee, reasons " \
  "(each with rule, text, citation, source), warnings, undetermined, disclaimer\"}"

#define ORDER_SCHEMA                                                                          \
  "{\"type\": \"object\", \"required\": [\"to\"], \"additionalProperties\": false, "          \
  "\"properties\": {\"chip\": {\"type\": \"string\", \"description\": \"catalog chip id\"}, " \
  "\"spec\": {\"type\": \"object\", \"description\": \"a chip not in the catalog: the fields " \
  "of a spec file (fp16_tflops, die_area_mm2, datacenter, ...)\"}, "                          \
  "\"to\": {\"type\": \"string\", \"description\": \"destination, ISO 3166-1 alpha-2\"}, "    \
  "\"hq\": {\"type\": \"string\"}, \"from\": {\"type\": \"string\"}, "                        \
  "\"qty\": {\"type\": \"integer\", \"minimum\": 0}, "                                        \
  "\"unit_price\": {\"type\": \"number\", \"minimum\": 0, \"description\": \"USD\"}, "        \
  "\"on\": {\"type\": \"string\", \"format\": \"date\"}, "                                    \
  "\"end_user\": {\"type\": \"string\"}, \"purchaser\": {\"type\": \"string\"}, "             \
  THRESHOLD_SCHEMA ", "                                                                        \
  "\"consignee\": {\"type\": \"string\"}, "                                                \
  "\"end_use\": {\"type\": \"string\", \"enum\": [\"none\", \"supercomputer\", "               \
  "\"advanced_ic\", \"military\", \"military_end_user\"], \"description\": \"what the "          \
  "exporter knows of the end use (744.21, 744.23)\"}, "                                          \
  "\"made_in\": {\"type\": \"string\", \"description\": \"country of production\"}, "          \
  "\"us_content_pct\": {\"type\": \"number\", \"minimum\": 0, \"maximum\": 100, "             \
  "\"description\": \"US-origin controlled content, percent of value (734.4)\"}, "            \
  "\"direct_product\": {\"type\": \"string\", \"enum\": [\"none\", \"technology\", "          \
  "\"plant\"], \"description\": \"direct product of US technology or software, or of a "      \
  "plant that is (734.9)\"}, "  \
  "\"attest\": {\"type\": \"string\", \"description\": "  \
  "\"certifications, comma-separated: us-available, us-supply, foundry, security, testing\"}}}"

const srv_route srv_core_routes[] = {
    {"GET", "/v1/health", 0, false, health, "Liveness, version and catalog size", NULL, NULL,
     "{\"type\": \"object\", \"properties\": {\"status\": {\"type\": \"string\"}, \"version\": "
     "{\"type\": \"string\"}, \"chips\": {\"type\": \"integer\"}, \"schema_version\": "
     "{\"type\": \"integer\"}}}",
     NULL},
    {"GET", "/v1/openapi.json", 0, false, openapi, "This document", NULL, NULL,
     "{\"type\": \"object\"}", NULL},
    {"GET", "/v1/chips", TG_ROLE_VIEWER, false, chips,
     "The chip catalog, each chip with its metrics, sources and ECCN on the date; paginated "
     "by ?limit= and ?cursor= (a chip id)", ON_PAGE_PARAMS, NULL,
     "{\"type\": \"array\", \"items\": {\"type\": \"object\"}}", NULL},
    {"GET", "/v1/countries", TG_ROLE_VIEWER, false, countries,
     "Every ISO 3166-1 country the engine knows: code, name and the code the EAR applies "
     "(HK: CN), for pickers", NULL, NULL,
     "{\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"code\": "
     "{\"type\": \"string\"}, \"name\": {\"type\": \"string\"}, \"ear\": {\"type\": "
     "\"string\"}}}}", NULL},
    {"GET", "/v1/chips/{id}/classification", TG_ROLE_VIEWER, false, classification,
     "The classification (ECCN with reasons) of a catalog chip on a date", ON_PARAM, NULL,
     RESULT_SCHEMA, NULL},
    {"POST", "/v1/checks", TG_ROLE_VIEWER, false, checks,
     "Determines the license requirement of one order, or of an array of up to 1000 orders "
     "(the answers in the same order)",
     NULL, "{\"oneOf\": [" ORDER_SCHEMA ", {\"type\": \"array\", \"maxItems\": 1000, \"items\": "
           ORDER_SCHEMA "}]}",
     "{\"oneOf\": [" RESULT_SCHEMA ", {\"type\": \"array\", \"items\": " RESULT_SCHEMA "}]}", NULL},
    {"GET", "/v1/rules", TG_ROLE_VIEWER, false, rules,
     "Every rule set with its citation, source, window, status on the date, and rules",
     ON_PARAM, NULL, "{\"type\": \"array\", \"items\": {\"type\": \"object\"}}", NULL},
    {"GET", "/v1/chart.svg", TG_ROLE_VIEWER, false, chart,
     "The TPP / performance-density chart: the 3A090 regions of the rules in force on the "
     "date, each catalog chip a point (as `tollgate plot`)",
     ON_PARAM, NULL, "{\"type\": \"string\"}", "image/svg+xml"},
    {NULL, NULL, 0, false, NULL, NULL, NULL, NULL, NULL, NULL},
};
