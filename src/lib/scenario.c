/* scenario.c - the order facts a capability answer (derate, timeline,
 * diff, envelope) assumes: filled into the outcome core's facts as
 * tg_check fills them, applied to a chip (the datacenter override), and
 * stated back in every answer as "scenario" and "assumptions". */
#include <stdio.h>
#include <string.h>

#include "envelope_int.h"

void tg_scenario_init(tg_scenario *s) {
  memset(s, 0, sizeof *s);
  s->dest = "CN";
  s->datacenter = -1;
}

tg_status tg__end_use_check(const char *end_use, tg_error *err) {
  char words[256];
  if (end_use && !tg__order_word(true, end_use, words, sizeof words))
    return tg__set_error(err, TG_EINVAL, "end use: '%s' is not one of %s", end_use, words);
  return TG_OK;
}

tg_status tg__scenario_check(const tg_scenario *s, tg_error *err) {
  if (!s) return tg__set_error(err, TG_EINVAL, "no scenario (destination and order facts) given");
  if (!s->dest) return tg__set_error(err, TG_EINVAL, "no destination given");
  if (tg__end_use_check(s->end_use, err) != TG_OK) return TG_EINVAL;
  if (s->datacenter < -1 || s->datacenter > 1)
    return tg__set_error(err, TG_EINVAL, "datacenter: expected 1, 0 or -1 (the chip's own), got %d",
                         s->datacenter);
  return TG_OK;
}

const tg_chip *tg__scenario_chip(const tg_chip *c, const tg_scenario *s, struct tg_chip *copy) {
  if (!s || s->datacenter < 0) return c;
  *copy = *c; /* shallow: only a number changes; never destroyed */
  copy->f[TG__DATACENTER].state = TG__F_KNOWN;
  copy->f[TG__DATACENTER].value = s->datacenter;
  snprintf(copy->f[TG__DATACENTER].confidence, sizeof copy->f[TG__DATACENTER].confidence, "user");
  tg__chip_derive(copy);
  return copy;
}

tg_status tg__scenario_facts(const tg_engine *e, tg__facts *f, const tg_scenario *s,
                             tg_error *err) {
  return tg__outcome_order_facts(e, f, s->dest, s->hq, s->origin,
                                 s->end_use ? s->end_use : "none", s->attestations, err);
}

json_t *tg__scenario_json(const tg_scenario *s) {
  json_t *j = json_pack("{s:s?,s:s?,s:s,s:s,s:s?}", "to", s->dest, "hq", s->hq, "origin",
                        s->origin ? s->origin : "US", "end_use", s->end_use ? s->end_use : "none",
                        "attestations", s->attestations);
  json_object_set_new(j, "datacenter", s->datacenter < 0 ? json_string("as the chip says")
                                                         : json_boolean(s->datacenter));
  return j;
}

json_t *tg__scenario_assumptions(const tg_scenario *s) {
  char b[3][256];
  snprintf(b[0], sizeof b[0], "%s",
           s->end_use ? "the end use is the one given (end_use)"
                      : "no restricted end use is known to the exporter (end_use none; "
                        "--end-use to state one)");
  if (s->hq)
    snprintf(b[1], sizeof b[1], "the end user is headquartered in %s (hq)", s->hq);
  else
    snprintf(b[1], sizeof b[1], "the end user's headquarters are unknown (--hq): answers that "
                                "depend on them are marked undetermined");
  snprintf(b[2], sizeof b[2], "%s",
           s->datacenter < 0 ? "designed or marketed for datacenters as the chip's own figures say"
           : s->datacenter   ? "designed or marketed for datacenters (datacenter yes, as given)"
                             : "not designed or marketed for datacenters (datacenter no, as given)");
  return json_pack(
      "[s,s,s,s,s]", b[0], b[1], b[2],
      s->attestations ? "the exporter's attestations are those given (attestations); the others "
                        "are taken as not made"
                      : "no attestation of the exporter is stated (--attest): review policies "
                        "that require attestations (91 FR 1684, January 2026) stay undetermined "
                        "and their presumption of denial is kept",
      "no party to the order is screened or listed; exported from the origin given (US unless "
      "--origin/--from) where it was made, no foreign-direct-product facts (made_in, "
      "us_content, direct_product) are considered; quantity 1; price unknown");
}
