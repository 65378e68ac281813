/* classify_quick.c - the ECCN of a chip's facts on a date without reasons:
 * the classification rules in force are evaluated quietly (no comparisons
 * recorded, nothing rendered) and the one of highest precedence that may
 * hold wins, as in decide.c.  For callers that need the answer many times
 * (the chart's cells). */
#include "decide_int.h"

const tg__rule *tg__classify_quick(const tg_engine *e, tg_date on, tg__eval *ev,
                                   bool *undetermined) {
  const tg__rule *best = NULL;
  int best_t = 0;
  ev->quiet = true;
  for (size_t si = 0; si < e->nrulesets; si++) {
    const tg__ruleset *rs = e->rulesets[si];
    if (tg__ruleset_foreign(rs) || !tg__ruleset_applied(rs, on)) continue;
    for (size_t ri = 0; ri < rs->nrules; ri++) {
      const tg__rule *r = &rs->rules[ri];
      if (r->kind != TG__R_CLASSIFY) continue;
      if (best && r->precedence <= best->precedence) continue; /* cannot win */
      int t = tg__expr_truth(r->when, ev);
      if (r->unless && t != 0) {
        int u = tg__expr_truth(r->unless, ev);
        if (u == 1) t = 0;
        else if (u < 0) t = -1;
      }
      if (t == 0) continue;
      best = r;
      best_t = t;
    }
  }
  *undetermined = best && best_t < 0;
  return best;
}
