/* routes_capabilities.c - the capability endpoints, each a thin wrapper of
 * one library call: the design envelope, derate, a chip's capability and
 * timeline, the comparison of shippable chips, the diff between two dates
 * and the rule-change feed. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

/* ?name=NUMBER into *v (unchanged when absent); false after a 400. */
static bool query_number(const srv_req *q, srv_resp *r, const char *name, double *v) {
  const char *s = srv_query(q, name);
  if (!s) return true;
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (errno || end == s || *end || !isfinite(x)) {
    srv_error(r, 400, "bad_request", "%s: '%s' is not a number", name, s);
    return false;
  }
  *v = x;
  return true;
}

static const tg_chip *chip_of(const srv_req *q, srv_resp *r) {
  const tg_chip *c = tg_catalog_find(q->srv->engine, q->param);
  if (!c) srv_error(r, 404, "not_found", "unknown chip '%s'", q->param);
  return c;
}

/* Answers a library call's JSON (status first: the text exists only after
 * the call). */
static void reply(srv_resp *r, tg_status st, const tg_error *err, char **js) {
  if (st != TG_OK) srv_fail(r, st, err);
  else srv_json(r, *js);
}

static const char *to_of(const srv_req *q) {
  return srv_query(q, "to") ? srv_query(q, "to") : "CN";
}

/* The order facts of ?to, hq, origin, end_use, attest, made_in,
 * us_content, direct_product and datacenter (1/0); false after a 400. */
static bool scenario_of(const srv_req *q, srv_resp *r, tg_scenario *s) {
  tg_scenario_init(s);
  s->dest = to_of(q);
  s->hq = srv_query(q, "hq");
  s->origin = srv_query(q, "origin");
  s->end_use = srv_query(q, "end_use");
  s->attestations = srv_query(q, "attest");
  s->made_in = srv_query(q, "made_in");
  s->direct_product = srv_query(q, "direct_product");
  if (!query_number(q, r, "us_content", &s->us_content_pct)) return false;
  const char *dc = srv_query(q, "datacenter");
  if (!dc) return true;
  if (strcmp(dc, "1") && strcmp(dc, "0")) {
    srv_error(r, 400, "bad_request", "datacenter: expected 1 or 0, got '%s'", dc);
    return false;
  }
  s->datacenter = dc[0] == '1';
  return true;
}

static void envelope(srv_req *q, srv_resp *r) {
  tg_envelope_opts o;
  tg_envelope_opts_init(&o);
  double dc = 1;
  if (!srv_query_date(q, r, "on", &o.on) || !query_number(q, r, "die_area", &o.die_area_mm2) ||
      !query_number(q, r, "memory_bw", &o.memory_bw_gbs) || !query_number(q, r, "io_bw", &o.io_bw_gbs) ||
      !query_number(q, r, "datacenter", &dc))
    return;
  o.dest = to_of(q);
  o.hq = srv_query(q, "hq");
  o.origin = srv_query(q, "from");
  o.vendor = srv_query(q, "vendor");
  o.end_use = srv_query(q, "end_use");
  o.attestations = srv_query(q, "attest");
  o.made_in = srv_query(q, "made_in");
  o.direct_product = srv_query(q, "direct_product");
  if (!query_number(q, r, "us_content", &o.us_content_pct)) return;
  o.datacenter = dc != 0;
  tg_error err = {0};
  char *js = NULL;
  reply(r, tg_envelope_json(q->srv->engine, &o, &js, &err), &err, &js);
}

static void derate(srv_req *q, srv_resp *r) {
  tg_date on;
  tg_scenario s;
  const tg_chip *c;
  if (!srv_query_date(q, r, "on", &on) || !scenario_of(q, r, &s) || !(c = chip_of(q, r))) return;
  if (!s.origin) s.origin = srv_query(q, "from"); /* the older name */
  tg_error err = {0};
  char *js = NULL;
  reply(r, tg_derate_json(q->srv->engine, c, on, &s, srv_query(q, "goal"), &js, &err), &err, &js);
}

static void timeline(srv_req *q, srv_resp *r) {
  tg_date from = tg_date_from_ymd(2022, 10, 1), until;
  const tg_chip *c;
  if (srv_query(q, "since") && !srv_query_date(q, r, "since", &from)) return;
  tg_scenario s;
  if (!srv_query_date(q, r, "until", &until) || !scenario_of(q, r, &s) || !(c = chip_of(q, r))) return;
  tg_error err = {0};
  char *js = NULL;
  reply(r, tg_timeline_json(q->srv->engine, c, &s, from, until, &js, &err), &err, &js);
}

static bool capability_opts(const srv_req *q, srv_resp *r, tg_capability_opts *o) {
  tg_capability_opts_init(o);
  if (srv_query(q, "precision")) o->precision = srv_query(q, "precision");
  return query_number(q, r, "model_params", &o->model_params) &&
         query_number(q, r, "utilization", &o->utilization);
}

static void capability(srv_req *q, srv_resp *r) {
  tg_capability_opts o;
  const tg_chip *c;
  if (!capability_opts(q, r, &o) || !(c = chip_of(q, r))) return;
  tg_error err = {0};
  char *js = NULL;
  reply(r, tg_capability_json(c, &o, &js, &err), &err, &js);
}

static void compare(srv_req *q, srv_resp *r) {
  tg_compare_opts o = {0};
  double count = 1;
  if (!capability_opts(q, r, &o.capability) || !srv_query_date(q, r, "on", &o.on) ||
      !query_number(q, r, "count", &count))
    return;
  if (!(count >= 1 && count <= 1e9)) {
    srv_error(r, 400, "bad_request", "count: expected a whole number from 1 to 1e9");
    return;
  }
  o.dest = to_of(q);
  o.hq = srv_query(q, "hq");
  o.task = srv_query(q, "task") ? srv_query(q, "task") : "inference";
  o.reference = srv_query(q, "reference");
  o.reference_count = (int64_t)count;
  tg_error err = {0};
  char *js = NULL;
  reply(r, tg_compare_json(q->srv->engine, &o, &js, &err), &err, &js);
}

static void diff(srv_req *q, srv_resp *r) {
  tg_date from, until;
  if (!srv_query(q, "from")) {
    srv_error(r, 400, "bad_request", "from: the first date is required");
    return;
  }
  tg_scenario s;
  if (!srv_query_date(q, r, "from", &from) || !srv_query_date(q, r, "until", &until) ||
      !scenario_of(q, r, &s))
    return;
  tg_error err = {0};
  char *js = NULL;
  reply(r, tg_diff_json(q->srv->engine, NULL, 0, &s, from, until, &js, &err), &err, &js);
}

static void rule_changes(srv_req *q, srv_resp *r) {
  tg_date since = tg_date_from_ymd(2022, 10, 1);
  if (srv_query(q, "since") && !srv_query_date(q, r, "since", &since)) return;
  tg_error err = {0};
  char *js = NULL;
  reply(r, tg_rule_changes_json(q->srv->engine, since, &js, &err), &err, &js);
}

#define P(name, type, desc) \
  "{\"name\": \"" name "\", \"in\": \"query\", \"required\": false, \"description\": \"" desc "\", \"schema\": {\"type\": \"" type "\"}}"
#define P_ON P("on", "string", "the date, YYYY-MM-DD (default: today, UTC)")
#define P_TO P("to", "string", "destination, ISO 3166-1 alpha-2 (default CN)")
#define P_HQ P("hq", "string", "end user's headquarters (default: unknown)")
#define P_CAP                                                                   \
  P("model_params", "number", "model parameters (default 70e9)") ", "           \
  P("precision", "string", "fp4, int4, fp8 (default), int8, fp16, bf16, tf32, fp32") ", " \
  P("utilization", "number", "fraction of peak compute reached (default 0.4, an assumption)")
#define OBJ "{\"type\": \"object\"}"
#define P_FACTS                                                                   \
  P("origin", "string", "exporting country (default US)") ", "                   \
  P("end_use", "string", "what the exporter knows of the end use (default none)") ", " \
  P("attest", "string", "the exporter's attestations, comma-separated (default none stated)") ", " \
  P("datacenter", "integer", "1 or 0 overrides the chip's own") ", "             \
  P_ORIGIN
#define P_ORIGIN                                                                   \
  P("made_in", "string", "where the item was made (default: not stated)") ", "   \
  P("us_content", "number", "US-origin controlled content, percent (default: not stated)") ", " \
  P("direct_product", "string", "technology, plant or none (default: not stated)")

const srv_route srv_capability_routes[] = {
    {"GET", "/v1/envelope", TG_ROLE_VIEWER, false, envelope,
     "The design envelope: regions of TPP, performance density, memory and interconnect "
     "bandwidth per outcome, each edge with its rules, and the largest TPP per outcome for a "
     "design (as `tollgate envelope --json`)",
     "[" P_ON ", " P_TO ", " P_HQ ", " P("vendor", "string", "the designer (default: a vendor no rule names)") ", "
     P("datacenter", "integer", "1 (default) or 0") ", " P("die_area", "number", "mm2 (default 800)") ", "
     P("memory_bw", "number", "GB/s (default 4000)") ", " P("io_bw", "number", "GB/s (default 900)") ", "
     P("end_use", "string", "default none") ", "
     P("attest", "string", "the exporter's attestations, comma-separated (us-available, us-supply, foundry, security, testing); default none stated") ", " P_ORIGIN "]",
     NULL, OBJ, NULL},
    {"GET", "/v1/chips/{id}/derate", TG_ROLE_VIEWER, false, derate,
     "The smallest cuts to a catalog chip's TPP, memory and interconnect bandwidth that reach "
     "a goal, each confirmed by a direct check (as `tollgate derate --json`)",
     "[" P_ON ", " P_TO ", " P_HQ ", " P("goal", "string", "no_license_required (default), license_exception, presumption_of_approval or case_by_case") ", " P_FACTS "]",
     NULL, OBJ, NULL},
    {"GET", "/v1/chips/{id}/timeline", TG_ROLE_VIEWER, false, timeline,
     "A catalog chip's answer over time, each change with its date and the rule sets behind it "
     "(as `tollgate timeline --json`)",
     "[" P_TO ", " P_HQ ", " P("since", "string", "first date (default 2022-10-01)") ", " P("until", "string", "last date (default today)") ", " P_FACTS "]",
     NULL, OBJ, NULL},
    {"GET", "/v1/chips/{id}/capability", TG_ROLE_VIEWER, false, capability,
     "Dense compute by precision, memory, interconnect and roofline estimates with formula, "
     "inputs, confidence and source (as `tollgate capability --json`)",
     "[" P_CAP "]", NULL, OBJ, NULL},
    {"GET", "/v1/compare", TG_ROLE_VIEWER, false, compare,
     "The catalog's chips checked to a destination and ranked by estimated throughput for a "
     "task, with how many match a number of reference chips (as `tollgate compare --json`)",
     "[" P_ON ", " P_TO ", " P_HQ ", " P("task", "string", "inference (default) or training") ", "
     P("reference", "string", "catalog id (default nv-h100-sxm)") ", " P("count", "integer", "reference chips (default 1)") ", " P_CAP "]",
     NULL, OBJ, NULL},
    {"GET", "/v1/diff", TG_ROLE_VIEWER, false, diff,
     "What changed for every catalog chip between two dates, and which rule sets caused it "
     "(as `tollgate diff --json`)",
     "[" P("from", "string", "first date (required)") ", " P("until", "string", "second date (default today)") ", " P_TO ", " P_HQ ", " P_FACTS "]",
     NULL, OBJ, NULL},
    {"GET", "/v1/rules/changes", TG_ROLE_VIEWER, false, rule_changes,
     "The feed of rule-set events (published, effective, compliance, not enforced, ends) since "
     "a date (as `tollgate rules --changes --json`)",
     "[" P("since", "string", "first date (default 2022-10-01)") "]", NULL, OBJ, NULL},
    {NULL, NULL, 0, false, NULL, NULL, NULL, NULL, NULL, NULL},
};
