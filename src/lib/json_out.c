/* json_out.c - JSON views of the engine's data: a chip with its spec and
 * metrics, and the rule sets with their status on a date. */
#include <math.h>
#include <string.h>

#include "decide_int.h"
#include "jw_int.h"

static json_t *field_json(const tg__field *f) {
  json_t *v;
  if (f->state == TG__F_KNOWN) v = json_real(f->value);
  else v = json_null();
  return json_pack("{s:o,s:s}", "value", v, "confidence",
                   f->confidence[0] ? f->confidence : "unverified");
}

char *tg_chip_json(const tg_chip *c) {
  if (!c) return NULL;
  json_t *o = json_pack("{s:s,s:s?,s:s,s:s?,s:s}", "id", c->id, "vendor", c->vendor, "name",
                        tg_chip_name(c), "form_factor", c->form_factor, "item_type",
                        c->item_type ? c->item_type : "ic");
  json_t *spec = json_object();
  for (int i = 0; i < TG__NFIELDS; i++) {
    const tg__field *f = &c->f[i];
    if (f->state == TG__F_UNKNOWN && !f->confidence[0]) continue; /* not given */
    if (i == TG__DATACENTER) {
      json_object_set_new(spec, "datacenter",
                          json_pack("{s:o,s:s}", "value",
                                    f->state == TG__F_KNOWN ? json_boolean(f->value != 0)
                                                            : json_null(),
                                    "confidence", f->confidence[0] ? f->confidence : "unverified"));
      continue;
    }
    json_object_set_new(spec, tg__fields[i].name, field_json(f));
  }
  json_object_set_new(o, "spec", spec);
  if (c->process_node) json_object_set_new(o, "process_node", json_string(c->process_node));
  if (c->memory_type) json_object_set_new(o, "memory_type", json_string(c->memory_type));
  json_t *metrics = json_object();
  for (int i = 0; tg__metric_names[i]; i++) {
    tg__metric m;
    tg__chip_metric(c, tg__metric_names[i], &m);
    if (!strcmp(tg__metric_names[i], "datacenter")) {
      json_object_set_new(metrics, "datacenter",
                          m.lo == m.hi ? json_boolean(m.lo != 0) : json_null());
      continue;
    }
    json_object_set_new(metrics, tg__metric_names[i], m.lo == m.hi ? json_real(m.lo) : json_null());
    if (m.lo != m.hi)
      json_object_set_new(metrics, (strcmp(tg__metric_names[i], "tpp") == 0) ? "tpp_at_least"
                                  : (strcmp(tg__metric_names[i], "pd") == 0) ? "pd_at_least" : "",
                          json_real(m.lo));
  }
  json_object_del(metrics, "");
  tg__metric tpp;
  tg__chip_metric(c, "tpp", &tpp);
  json_object_set_new(metrics, "tpp_confidence", json_string(tpp.confidence));
  if (tpp.basis[0]) json_object_set_new(metrics, "tpp_basis", json_string(tpp.basis));
  json_object_set_new(o, "metrics", metrics);
  json_t *src = json_array();
  for (size_t i = 0; i < c->nsources; i++) json_array_append_new(src, json_string(c->sources[i]));
  json_object_set_new(o, "sources", src);
  if (c->notes) json_object_set_new(o, "notes", json_string(c->notes));
  char *s = tg__jw_dumps(o, 10);
  json_decref(o);
  return s;
}

char *tg_rules_json(const tg_engine *e, tg_date on) {
  if (!e) return NULL;
  json_t *a = json_array();
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    char d[11], pub[11], end[11], ne[11];
    tg_date_format(rs->effective, d);
    tg_date_format(rs->published, pub);
    tg_date_format(rs->ends, end);
    tg_date_format(rs->not_enforced_from, ne);
    json_t *rules = json_array();
    for (size_t j = 0; j < rs->nrules; j++) {
      const tg__rule *r = &rs->rules[j];
      json_t *ro = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "id", r->id, "kind", tg__rule_kind_names[r->kind],
                             "effect", r->effect, "when", r->when_src, "citation", r->cite,
                             "text", r->text);
      if (r->unless_src) json_object_set_new(ro, "unless", json_string(r->unless_src));
      if (r->verification) json_object_set_new(ro, "verification", json_string(r->verification));
      if (r->note) json_object_set_new(ro, "note", json_string(r->note));
      json_array_append_new(rules, ro);
    }
    const char *slash = strrchr(rs->file, '/');
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:o,s:s,s:s,s:o}", "id", rs->id,
                          "title", rs->title, "jurisdiction", rs->jurisdiction, "citation",
                          rs->citation, "source", rs->source, "file", slash ? slash + 1 : rs->file,
                          "published", rs->has_published ? json_string(pub) : json_null(),
                          "effective", d, "ends", rs->has_ends ? json_string(end) : json_null(),
                          "not_enforced_from",
                          rs->has_not_enforced ? json_string(ne) : json_null(), "verification",
                          rs->verification, "status", tg__ruleset_status(rs, on), "rules", rules);
    json_object_set_new(o, "applied", json_boolean(tg__ruleset_applied(rs, on)));
    if (rs->has_compliance) {
      char cd[11];
      tg_date_format(rs->compliance_from, cd);
      json_object_set_new(o, "compliance_from", json_string(cd));
    }
    if (rs->notes) json_object_set_new(o, "notes", json_string(rs->notes));
    json_array_append_new(a, o);
  }
  char *s = tg__jw_dumps(a, 0);
  json_decref(a);
  return s;
}
