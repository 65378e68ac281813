/* facts_list.h - the facts rule expressions may read, declared once (an
 * X-macro, as libuv declares its errors): name in the rule files, and the
 * slot an identifier is resolved to when a rule set is loaded. */
#ifndef TG_FACTS_LIST_H
#define TG_FACTS_LIST_H

#include "tollgate.h" /* TG_ATTESTATIONS */

#define TG__FACTS(X)                                                          \
  /* item facts */                                                            \
  X(TPP, "tpp") X(PD, "pd") X(MEMORY_BW, "memory_bw") X(IO_BW, "io_bw")       \
  X(HBM_DENSITY, "hbm_density") X(PEAK_TOPS, "peak_tops")                     \
  X(DIE_AREA, "die_area") X(DATACENTER, "datacenter")                         \
  X(ITEM_TYPE, "item_type") X(CHIP, "chip") X(VENDOR, "vendor")               \
  X(DESIGNED_IN, "designed_in") X(ALSO_MEETS, "also_meets")                   \
  /* transaction facts */                                                     \
  X(DATE, "date") X(DEST, "dest") X(DEST_INPUT, "dest_input") X(HQ, "hq")     \
  X(ORIGIN, "origin") X(EVENT, "event") X(QTY, "qty") X(UNIT_PRICE, "unit_price")               \
  X(VALUE, "value") X(END_USE, "end_use") X(MADE_IN, "made_in")              \
  X(US_CONTENT_PCT, "us_content_pct") X(DIRECT_PRODUCT, "direct_product")     \
  /* derived during the decision */                                           \
  X(ECCN, "eccn") X(LICENSE_REQUIRED, "license_required")                     \
  /* screening facts */                                                       \
  X(PARTY_LISTED, "party_listed") X(PARTY_LIST, "party_list")                 \
  X(PARTY_POLICY, "party_policy") X(PARTY_FOOTNOTE, "party_footnote")        \
  /* ownership facts (the Affiliates Rule) */                                 \
  X(PARTY_AFFILIATE, "party_affiliate") X(AFFILIATE_LIST, "affiliate_list")   \
  X(AFFILIATE_POLICY, "affiliate_policy") X(AFFILIATE_SHARE, "affiliate_share")

typedef enum {
#define TG__FACT_ENUM(id, name) TG__FACT_##id,
  TG__FACTS(TG__FACT_ENUM)
#undef TG__FACT_ENUM
/* the order's attestations (tollgate.h TG_ATTESTATIONS) are facts too */
#define TG__ATTEST_ENUM(aname, fact, meaning) TG__FACT_##fact,
  TG_ATTESTATIONS(TG__ATTEST_ENUM)
#undef TG__ATTEST_ENUM
  TG__NFACTS
} tg__fact;

#endif
