/* outcome_int.h - the outcome of a decision without its explanation:
 * verdict, ECCN, exception, review policy and payment rate, resolved as
 * decide.c resolves them but with no reasons, JSON or allocation, so that
 * the envelope, derate, timeline and diff can evaluate thousands of points.
 * tests/unit/test_envelope.c checks it against tg_check. */
#ifndef TG_OUTCOME_INT_H
#define TG_OUTCOME_INT_H

#include "decide_int.h"

typedef struct tg__answer {
  tg_verdict verdict;
  const tg__rule *eccn_rule;      /* the classification; NULL = none */
  const tg__rule *exception_rule; /* when verdict is an exception */
  const char *policy;             /* review policy when a license is required */
  const tg__rule *policy_rule;    /* the requirement or review policy behind it */
  int64_t rate_ppm;               /* payments that apply */
  bool undetermined;              /* an unknown fact could change it */
} tg__answer;

/* The truth of each rule that reads no varying fact (metrics, date,
 * derived facts), kept across the evaluations of one envelope or one
 * chip's timeline, whose other facts do not change. */
typedef struct tg__ocache {
  size_t *base;       /* first slot of each rule set */
  signed char *truth; /* per rule: TG__OC_VARIES, TG__OC_UNSET, or -1/0/1 */
  bool *dated;        /* per rule: names a country group (membership is dated) */
  size_t n;           /* rules */
  tg_date on;         /* the date the dated truths hold for */
  bool have_on;
} tg__ocache;
enum { TG__OC_VARIES = -3, TG__OC_UNSET = -2 };

tg_status tg__ocache_init(tg__ocache *c, const tg_engine *e);
void tg__ocache_free(tg__ocache *c);

/* A rule's truth: its `when`, unless its `unless` holds (1 true, 0 false,
 * -1 unknown), evaluated quietly (no comparisons kept) in ev. */
int tg__rule_truth(const tg__rule *r, tg__eval *ev);

/* Evaluates the US rule sets applied on `on` over facts `f` (an order:
 * f->order true, dest/hq/origin set).  Sets f->eccn and
 * f->license_required as the decision does.  cache may be NULL; one cache
 * serves only evaluations whose non-varying facts are the same. */
void tg__outcome_eval(const tg_engine *e, tg_date on, tg__facts *f, tg__ocache *cache,
                      tg__answer *out);

/* One variant of an order (branches.c): eval as tg__outcome_eval, once,
 * with the truth of the rules forced[i] fixed to truth[i] (0 or 1) instead
 * of evaluated; out->undetermined says whether this variant still hangs
 * on an unknown fact.  Sets f->eccn, f->license_required, f->subject.
 * memo (NULL = none): e->nrules truths, TG__OC_UNSET at first, shared by
 * the variants of one order, which differ only in the facts of
 * TG__VARIANT_READS: a rule reading none of them has one truth for all. */
#define TG__VARIANT_READS                                                              \
  (TG__READS(TG__FACT_END_USE) | TG__READS(TG__FACT_DIRECT_PRODUCT) |                   \
   TG__READS(TG__FACT_MADE_IN) | TG__READS(TG__FACT_ECCN) |                             \
   TG__READS(TG__FACT_LICENSE_REQUIRED) | TG__READS_NAME)
void tg__outcome_variant(const tg_engine *e, tg_date on, tg__facts *f,
                         const tg__rule *const *forced, const signed char *truth, size_t n,
                         signed char *memo, tg__answer *out);

/* 1 when two outcomes give the same answer (verdict, ECCN, exception,
 * policy, rate). */
bool tg__outcome_same(const tg__answer *a, const tg__answer *b);

/* A compact name for an outcome's class: "no_license_required",
 * "license_exception", or the review policy ("case_by_case", ...). */
const char *tg__outcome_class(const tg__answer *o);

/* Fills order facts the way tg_check does (dest canonical, hq, origin,
 * event, end use, attestations as tg_order.attestations; NULL = unknown). */
tg_status tg__outcome_order_facts(const tg_engine *e, tg__facts *f, const char *dest,
                                  const char *hq, const char *origin, const char *end_use,
                                  const char *attestations, tg_error *err);

#endif
