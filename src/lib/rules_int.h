/* rules_int.h - rule sets as loaded from DATA_DIR/rules/\*.yaml: one file
 * per regulatory action, with its window, citation, verification status
 * and rules (classify, require_license, exception, review_policy, fee,
 * warning).  See docs/RULES.md for the file format. */
#ifndef TG_RULES_INT_H
#define TG_RULES_INT_H

#include "expr_int.h"
#include "facts_list.h"
#include "tg_int.h"

/* The rule kinds, declared once: enum name, the key in a rule file.
 * subject_to_ear rules decide whether the item is subject to the EAR at
 * all (15 CFR 734.3, de minimis 734.4, the foreign direct product rules
 * 734.9); a requirement binds only an item that is. */
#define TG__RULE_KINDS(X)                                                      \
  X(TG__R_CLASSIFY, "classify")                                                \
  X(TG__R_LICENSE, "require_license")                                          \
  X(TG__R_EXCEPTION, "exception")                                              \
  X(TG__R_POLICY, "review_policy")                                             \
  X(TG__R_FEE, "fee")                                                          \
  X(TG__R_WARNING, "warning")                                                  \
  X(TG__R_SUBJECT, "subject_to_ear")

typedef enum {
#define TG__RK_ENUM(e, s) e,
  TG__RULE_KINDS(TG__RK_ENUM)
#undef TG__RK_ENUM
  TG__R_NKINDS
} tg__rkind;

/* "classify", "require_license", ... indexed by tg__rkind. */
extern const char *const tg__rule_kind_names[TG__R_NKINDS];

/* Review policies, declared once, with their strictness (higher = stricter):
 * the strictest policy among standing requirements applies. */
#define TG__POLICIES(X)                                                       \
  X(DENIAL, "presumption_of_denial", 3) X(CASE_BY_CASE, "case_by_case", 2)    \
  X(APPROVAL, "presumption_of_approval", 1)

/* Capacities of one decision, checked when the engine opens so that no
 * rule is ever silently left out: classification rules, license
 * requirements and subject-to-EAR rules across all rule sets, and (per expression) comparisons and
 * distinct names (see TG__MAX_COMPARES, TG__MAX_UNKNOWNS). */
#define TG__MAX_CLASSIFY_RULES 96
#define TG__MAX_LICENSE_RULES 32
#define TG__MAX_SUBJECT_RULES 32
/* review_policy, exception and fee rules: an outcome without reasons
 * (outcome.c) names each open rule once, so it holds at most one
 * classification and every rule of these kinds and the two above. */
#define TG__MAX_AFTER_RULES 64
#define TG__MAX_OPEN_RULES (1 + TG__MAX_SUBJECT_RULES + TG__MAX_LICENSE_RULES + TG__MAX_AFTER_RULES)

/* A policy's strictness; 0 for NULL or an unknown name. */
int tg__policy_rank(const char *policy);

typedef struct tg__policy_case {
  tg__expr *when; /* NULL = otherwise */
  char *when_src;
  char *policy;
} tg__policy_case;

typedef struct tg__rule {
  tg__rkind kind;
  char *id;
  char *effect;       /* ECCN, reason for control, exception name, policy,
                         fee rate text, or warning title */
  tg__expr *when, *unless;
  char *when_src, *unless_src;
  tg__expr *relevant; /* classify: listed among the reasons of a decision it
                         did not win only when this holds or may hold (the
                         .z rules: when the item is described in their entry) */
  char *relevant_src;
  char *cite, *text, *note;
  char *verification; /* NULL = as the rule set; else estimate/unverified/... */
  int precedence;     /* classify */
  tg__policy_case *cases; /* require_license policy */
  size_t ncases;
  char **targets;     /* exception: overcomes; review_policy: applies_to */
  size_t ntargets;
  char **conditions;  /* license conditions recorded with the decision */
  int *condition_caps; /* per condition: a cap on aggregate TPP shipped, in
                          percent of US shipments of the product; 0 = none */
  size_t nconditions;
  int notification_days; /* exception; 0 = none */
  int64_t rate_ppm;   /* fee */
  char *basis, *collected_as; /* fee */
  const struct tg__ruleset *set;
  int line;
  /* the fact slots `when` and `unless` read, bit 1 << slot; TG__READS_NAME:
   * an identifier looked up by name (set when the rule is parsed) */
  uint64_t reads;
  uint64_t relevant_reads; /* the same of relevant_when */
  size_t seq;         /* the rule's place among the engine's rules (open) */
} tg__rule;

#define TG__READS_NAME (UINT64_C(1) << 63)
#define TG__READS_GROUP (UINT64_C(1) << 62) /* a Country Group or chart column */
/* The facts of the item alone (facts_list.h: tpp .. also_meets, slots 0..12):
 * an expression reading no other has one truth per catalog chip. */
#define TG__ITEM_READS (TG__READS(TG__FACT_ALSO_MEETS + 1) - 1)
#define TG__READS(slot) (UINT64_C(1) << (slot))

typedef struct tg__ruleset {
  char *id, *title, *jurisdiction, *citation, *source, *notes, *verification;
  char *file;
  tg_date published, effective, ends, not_enforced_from, compliance_from;
  bool has_published, has_ends, has_not_enforced, has_compliance;
  bool foreign; /* tg__ruleset_foreign, read once from jurisdiction */
  tg__rule *rules;
  size_t nrules;
} tg__ruleset;

/* Parses one rule-set file.  CONSTRUCTOR. */
tg_status tg__ruleset_parse(const char *text, size_t len, const char *origin,
                            tg__ruleset **out, tg_error *err);
void tg__ruleset_free(tg__ruleset *rs);

/* In force on d (effective <= d < ends). */
bool tg__ruleset_in_force(const tg__ruleset *rs, tg_date d);
/* A rule set of another jurisdiction than the US (jurisdiction a
 * two-letter country code other than US, alone or followed by a space or
 * punctuation: "CN", "MY"): never part of a US decision; its measures are
 * reported apart (jurisdictions.c). */
bool tg__ruleset_foreign(const tg__ruleset *rs);
/* In force, past its compliance date, and enforced on d. */
bool tg__ruleset_applied(const tg__ruleset *rs, tg_date d);
/* "in_force", "compliance_pending", "not_enforced", "not_yet_effective",
 * "ended". */
const char *tg__ruleset_status(const tg__ruleset *rs, tg_date d);

/* The names a rule expression may use (facts), NULL-terminated, in slot
 * order (facts_list.h). */
extern const char *const tg__fact_names[];
bool tg__is_fact_name(const char *name);
/* A fact's slot, or TG__SLOT_NAME. */
int tg__fact_slot(const char *name);
/* A group or chart-column identifier ("D5", "AT1") as its pooled name
 * ("D:5", "AT 1"), or NULL. */
const char *tg__group_pooled(const char *ident);
/* The pooled names: TG__GROUP_POOL of them (fits a uint32_t bitmask);
 * tg__group_pool_index(p) is i when p is tg__group_pool(i), else -1 (any
 * other pointer, even to the same text). */
#define TG__GROUP_POOL 30
_Static_assert(TG__GROUP_POOL <= 32, "tg__country.pooled holds one bit per pooled name");
const char *tg__group_pool(int i);
int tg__group_pool_index(const char *name);
/* "D5" -> "D:5", "AT1" -> "AT 1"; false when name is not of that shape. */
bool tg__group_ident(const char *name, char *out, size_t n);

#endif
