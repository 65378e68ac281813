/* jurisdictions_lists.c - screening lists kept by other jurisdictions
 * (China's Unreliable Entity List and export-control control list, list
 * kind "mofcom"): a party's hit on them is no US reason and sets no US
 * fact; it is kept in the screening evidence under "other_jurisdictions"
 * and answered under jurisdictions.<code>.listed_parties, with what the
 * listing means for a vendor on that side and the announcement's source. */
#include <string.h>

#include "jurisdictions_int.h"

/* list kind -> the jurisdiction whose list it is */
#define TG__FOREIGN_LISTS(X) X("mofcom", "CN")
static const struct { const char *kind, *code; } foreign[] = {
#define AS_ROW(k, c) {k, c},
    TG__FOREIGN_LISTS(AS_ROW)};

const char *tg__list_jurisdiction(const char *kind) {
  for (size_t i = 0; kind && i < sizeof foreign / sizeof *foreign; i++)
    if (!strcmp(kind, foreign[i].kind)) return foreign[i].code;
  return NULL;
}

bool tg__foreign_list_hit(json_t *evidence, const char *kind, const tg__entry *e,
                          const char *role, const char *party, const char *matched, double score,
                          json_t *hit) {
  const char *code = tg__list_jurisdiction(kind);
  if (!code) return false;
  json_t *all = json_object_get(evidence, "other_jurisdictions");
  if (!json_is_array(all)) {
    all = json_array();
    json_object_set_new(evidence, "other_jurisdictions", all);
  }
  json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:f,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "jurisdiction",
                        code, "party", role, "name", party, "matches", matched, "list", e->source,
                        "score", score, "effect", e->license_requirement, "status",
                        e->license_policy, "announcement", e->ref, "date", e->start_date,
                        "source", e->url, "country", e->countries);
  if (j && hit) json_object_set(j, "tokens", json_object_get(hit, "tokens"));
  if (j) json_array_append_new(all, j);
  return true;
}

void tg__jurisdictions_listed(json_t *out, const json_t *screening) {
  size_t i;
  json_t *h;
  json_array_foreach(json_object_get(screening, "other_jurisdictions"), i, h) {
    const char *code = json_string_value(json_object_get(h, "jurisdiction"));
    json_t *side = code ? json_object_get(out, code) : NULL;
    if (!side) {
      side = json_pack("{s:[],s:[]}", "measures", "rule_sets");
      json_object_set_new(out, code ? code : "?", side);
    }
    json_t *l = json_object_get(side, "listed_parties");
    if (!l) {
      l = json_array();
      json_object_set_new(side, "listed_parties", l);
    }
    json_t *c = json_deep_copy(h);
    json_object_del(c, "jurisdiction");
    json_array_append_new(l, c);
  }
}
