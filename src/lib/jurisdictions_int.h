/* jurisdictions_int.h - the answer split by jurisdiction: the US verdict
 * and, apart, the measures of other jurisdictions' rule sets (China's
 * import-side measures, third-country transit rules). */
#ifndef TG_JURISDICTIONS_INT_H
#define TG_JURISDICTIONS_INT_H

#include "decide_int.h"

/* {"US": {verdict, eccn, exception, review_policy, payment_rate,
 * rule_sets}, "CN": {measures, rule_sets}, other jurisdictions with rule
 * sets in force ...}.  `answer` is the decision's JSON so far (the US
 * fields are read from it); f its facts after every phase.  A new object. */
json_t *tg__jurisdictions_json(tg__facts *f, tg_date on, const json_t *answer);

#endif
