/* jurisdictions_int.h - the answer split by jurisdiction: the US verdict
 * and, apart, the measures of other jurisdictions' rule sets (China's
 * import-side measures, third-country transit rules). */
#ifndef TG_JURISDICTIONS_INT_H
#define TG_JURISDICTIONS_INT_H

#include "decide_int.h"
#include "screen_int.h"

/* What the US side of an answer shows of its verdict: a check's verdict,
 * ECCN, exception, review policy and payment rate; a classification's
 * ECCN.  NULL strings are null. */
typedef struct tg__us_answer {
  bool order;
  const char *verdict, *eccn, *exception, *review_policy;
  double payment_rate; /* < 0: none (null) */
} tg__us_answer;
/* Appends to b the answer's "jurisdictions" value, written at depth 1:
 * {"US": {verdict, eccn, exception, review_policy, rule_sets,
 * payment_rate}, "CN": {measures, rule_sets}, other jurisdictions with rule
 * sets in force ..., each with the parties found on its lists in
 * `screening` (the answer's, NULL when not screened)}; f the facts after
 * every phase.  b->oom is set when it cannot be written. */
void tg__jurisdictions_write(tg__buf *b, tg__facts *f, tg_date on, const tg__us_answer *us,
                             const json_t *screening);
/* Writes the rule sets applied on `on` that are not another
 * jurisdiction's: [{"id", "citation"}, ...] (an answer's "rule_sets"). */
struct tg__jw;
void tg__rule_sets_write(struct tg__jw *w, const tg_engine *e, tg_date on);
/* Adds to out, for each other jurisdiction with rule sets applied on `on`,
 * {"measures": [...], "rule_sets": [...]} as in tg__jurisdictions_write
 * (measures only when f is an order). */
void tg__foreign_sides(json_t *out, tg__facts *f, tg_date on);

/* jurisdictions_lists.c: lists kept by other jurisdictions (kind
 * "mofcom" -> "CN"); NULL for a US list. */
const char *tg__list_jurisdiction(const char *kind);
/* When the list of kind `kind` is another jurisdiction's, records the hit
 * in evidence["other_jurisdictions"] and returns true (the caller then
 * keeps it out of the US decision); false for a US list. */
bool tg__foreign_list_hit(json_t *evidence, const char *kind, const tg__entry *e,
                          const char *role, const char *party, const char *matched, double score,
                          json_t *hit);
/* Adds screening["other_jurisdictions"] to out as <code>.listed_parties. */
void tg__jurisdictions_listed(json_t *out, const json_t *screening);

#endif
