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
  s->us_content_pct = -1;
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

tg_status tg__origin_facts(const tg_engine *e, tg__facts *f, const char *made_in,
                           double us_content_pct, const char *direct_product, tg_error *err) {
  char words[200];
  if (made_in && tg_country_canonical(e, made_in, f->made_in) != TG_OK)
    return tg__set_error(err, TG_EINVAL,
                         "made in: '%s' is not an ISO 3166-1 alpha-2 country code", made_in);
  if (direct_product && !tg__order_word(false, direct_product, words, sizeof words))
    return tg__set_error(err, TG_EINVAL, "direct product: '%s' is not one of %s", direct_product,
                         words);
  if (!(us_content_pct >= 0 && us_content_pct <= 100) && us_content_pct != -1)
    return tg__set_error(err, TG_EINVAL, "US content: %g is not a percentage (0-100)",
                         us_content_pct);
  if (direct_product) snprintf(f->direct_product, sizeof f->direct_product, "%s", direct_product);
  f->us_content_pct = us_content_pct;
  return TG_OK;
}

tg_status tg__scenario_facts(const tg_engine *e, tg__facts *f, const tg_scenario *s,
                             tg_error *err) {
  tg_status st = tg__outcome_order_facts(e, f, s->dest, s->hq, s->origin,
                                         s->end_use ? s->end_use : "none", s->attestations, err);
  if (st != TG_OK) return st;
  return tg__origin_facts(e, f, s->made_in, s->us_content_pct, s->direct_product, err);
}

json_t *tg__scenario_json(const tg_scenario *s) {
  json_t *j = json_pack("{s:s?,s:s?,s:s,s:s,s:s?}", "to", s->dest, "hq", s->hq, "origin",
                        s->origin ? s->origin : "US", "end_use", s->end_use ? s->end_use : "none",
                        "attestations", s->attestations);
  json_object_set_new(j, "datacenter", s->datacenter < 0 ? json_string("as the chip says")
                                                         : json_boolean(s->datacenter));
  json_object_set_new(j, "made_in", s->made_in ? json_string(s->made_in) : json_null());
  json_object_set_new(j, "us_content_pct",
                      s->us_content_pct < 0 ? json_null() : json_real(s->us_content_pct));
  json_object_set_new(j, "direct_product",
                      s->direct_product ? json_string(s->direct_product) : json_null());
  return j;
}

json_t *tg__origin_assumption(const char *made_in, double us_content_pct,
                              const char *direct_product) {
  if (!made_in && us_content_pct < 0 && !direct_product)
    return json_string("where the item was made, its US content and whether it is a foreign "
                       "direct product are not stated (--made-in, --us-content, "
                       "--direct-product): an item exported from the US is subject to the EAR "
                       "whatever they are; from elsewhere, answers resting on them are "
                       "marked undetermined");
  char b[400];
  char pct[32] = "not stated";
  if (us_content_pct >= 0) snprintf(pct, sizeof pct, "%g%%", us_content_pct);
  snprintf(b, sizeof b,
           "whether a foreign-made item is subject to the EAR rests on the facts given: made "
           "in %s, US-origin controlled content %s, direct product %s (as tg_check takes them)",
           made_in ? made_in : "not stated", pct, direct_product ? direct_product : "not stated");
  return json_string(b);
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
  json_t *a = json_pack(
      "[s,s,s,s,s]", b[0], b[1], b[2],
      s->attestations ? "the exporter's attestations are those given (attestations); the others "
                        "are taken as not made"
                      : "no attestation of the exporter is stated (--attest): review policies "
                        "that require attestations (91 FR 1684, January 2026) stay undetermined "
                        "and their presumption of denial is kept",
      "no party to the order is screened or listed; exported from the origin given (US unless "
      "--origin/--from); quantity 1; price unknown");
  json_array_append_new(a, tg__origin_assumption(s->made_in, s->us_content_pct, s->direct_product));
  return a;
}
