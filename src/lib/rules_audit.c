/* rules_audit.c - the audit of what Tollgate rests on: every rule whose
 * verification is secondary, estimated or unverified, every dated Country
 * Group change that is not verified, and every catalog figure that is not
 * vendor-published, each with the rules that read it. */
#include <jansson.h>
#include <string.h>

#include "engine_int.h"
#include "expr_int.h"

static const char *level_of(const tg__rule *r) {
  return r->verification ? r->verification : r->set->verification;
}

typedef struct idents {
  json_t *names; /* facts read, as strings, each once */
  char group[8]; /* when set: looking for this group name ("D:4") */
  bool found;
} idents;

static void collect(void *arg, const tg__expr *x) {
  idents *s = arg;
  char g[16];
  if (tg__group_ident(x->str, g, sizeof g)) {
    if (s->group[0] && !strcmp(g, s->group)) s->found = true;
    return;
  }
  size_t i;
  json_t *v;
  json_array_foreach(s->names, i, v) if (!strcmp(json_string_value(v), x->str)) return;
  json_array_append_new(s->names, json_string(x->str));
}

static void rule_idents(const tg__rule *r, idents *s) {
  if (r->when) tg__expr_idents(r->when, collect, s);
  if (r->unless) tg__expr_idents(r->unless, collect, s);
  for (size_t i = 0; i < r->ncases; i++)
    if (r->cases[i].when) tg__expr_idents(r->cases[i].when, collect, s);
}

/* The rule ids that read fact (or, when group is set, that name it). */
static json_t *readers(const tg_engine *e, const char *fact, const char *group) {
  json_t *out = json_array();
  for (size_t i = 0; i < e->nrulesets; i++)
    for (size_t j = 0; j < e->rulesets[i]->nrules; j++) {
      const tg__rule *r = &e->rulesets[i]->rules[j];
      idents s = {.names = json_array()};
      if (group) snprintf(s.group, sizeof s.group, "%s", group);
      rule_idents(r, &s);
      bool hit = s.found;
      size_t k;
      json_t *v;
      if (fact) json_array_foreach(s.names, k, v) hit |= !strcmp(json_string_value(v), fact);
      json_decref(s.names);
      if (hit) json_array_append_new(out, json_string(r->id));
    }
  return out;
}

static json_t *audit_rules(const tg_engine *e) {
  json_t *a = json_array();
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    const char *slash = strrchr(rs->file, '/');
    for (size_t j = 0; j < rs->nrules; j++) {
      const tg__rule *r = &rs->rules[j];
      if (!strcmp(level_of(r), "verified")) continue;
      idents s = {.names = json_array()};
      rule_idents(r, &s);
      json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "rule", r->id, "rule_set", rs->id,
                            "file", slash ? slash + 1 : rs->file, "level", level_of(r),
                            "citation", r->cite, "effect", r->effect, "reads", s.names);
      const char *why = r->note ? r->note : (r->verification ? NULL : "level of the rule set (see its notes)");
      if (why) json_object_set_new(o, "note", json_string(why));
      json_array_append_new(a, o);
    }
  }
  return a;
}

static json_t *audit_groups(const tg_engine *e) {
  json_t *a = json_array();
  for (size_t i = 0; i < e->ngroup_changes; i++) {
    const tg__group_change *g = &e->group_changes[i];
    if (!strcmp(g->verification, "verified")) continue;
    char from[11], until[11];
    tg_date_format(g->old_until, until);
    tg_date_format(g->new_from, from);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "country", g->code, "group",
                          g->group, "change", g->added ? "added" : "removed", "old_until", until,
                          "new_from", from, "level", g->verification, "citation", g->citation,
                          "used_by", readers(e, NULL, g->group));
    json_object_set_new(o, "unknown_between", json_boolean(g->new_from - g->old_until > 1));
    if (g->note) json_object_set_new(o, "note", json_string(g->note));
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *audit_chips(const tg_engine *e) {
  static const struct { const char *metric, *fact; } facts[] = {
      {"tpp", "tpp"}, {"pd", "pd"}, {"memory_bw_gbs", "memory_bw"}, {"io_bw_gbs", "io_bw"},
      {"hbm_density", "hbm_density"}, {"peak_tops", "peak_tops"}, {"datacenter", "datacenter"}};
  json_t *used[sizeof facts / sizeof *facts];
  for (size_t k = 0; k < sizeof facts / sizeof *facts; k++) used[k] = readers(e, facts[k].fact, NULL);
  json_t *a = json_array();
  for (size_t i = 0; i < e->nchips; i++)
    for (size_t k = 0; k < sizeof facts / sizeof *facts; k++) {
      tg__metric m;
      if (!tg__chip_metric(e->chips[i], facts[k].metric, &m) || !m.defined) continue;
      if (!strcmp(m.confidence, "vendor") || !json_array_size(used[k])) continue;
      json_t *o = json_pack("{s:s,s:s,s:s,s:O}", "chip", tg_chip_id(e->chips[i]), "fact",
                            facts[k].fact, "level", m.confidence, "used_by", used[k]);
      if (m.basis[0]) json_object_set_new(o, "basis", json_string(m.basis));
      if (m.unknown_inputs[0]) json_object_set_new(o, "unknown_inputs", json_string(m.unknown_inputs));
      json_array_append_new(a, o);
    }
  for (size_t k = 0; k < sizeof facts / sizeof *facts; k++) json_decref(used[k]);
  return a;
}

char *tg_rules_audit_json(const tg_engine *e) {
  if (!e) return NULL;
  json_t *o = json_pack("{s:o,s:o,s:o}", "rules", audit_rules(e), "country_groups",
                        audit_groups(e), "chip_figures", audit_chips(e));
  char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(o);
  return s;
}
