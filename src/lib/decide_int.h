/* decide_int.h - the state of one decision (a classification or an order
 * check) while rules are evaluated, and the result it becomes. */
#ifndef TG_DECIDE_INT_H
#define TG_DECIDE_INT_H

#include <jansson.h>

#include "engine_int.h"

/* The words an order may use for its end use and for the direct-product
 * fact, declared once: value, meaning (shown in errors and the answer). */
#define TG__END_USES(X)                                                              \
  X("none", "no restricted end use known (after resolving any red flags)")          \
  X("supercomputer", "a supercomputer, or its development or production")           \
  X("advanced_ic", "development or production of advanced-node integrated circuits") \
  X("military", "a military end use")                                               \
  X("military_end_user", "a military end user")
#define TG__DIRECT_PRODUCTS(X)                                                       \
  X("none", "not a direct product of US technology or software")                    \
  X("technology", "a direct product of US-origin technology or software")           \
  X("plant", "produced by a plant (or major component) that is such a product")

/* The facts of one decision, looked up by rule expressions. */
typedef struct tg__facts {
  const tg_engine *e;
  const tg_chip *chip;
  tg__metric tpp, pd, mem, io, hbmd, peak, area, dc;
  bool order;             /* false: classification only */
  char dest[3], dest_input[3], hq[3], origin[3];
  double qty, unit_price; /* unit_price < 0: unknown */
  char date[11];
  const char *eccn;       /* set after the classification phase */
  int license_required;   /* -1 until the verdict is known */
  tg_date on;
  char event[9];          /* export, reexport, transfer, domestic ("" unknown) */
  /* the order's certifications: -1 not stated, 0 not made, 1 made */
#define TG__ATTEST_FIELD(name, fact, meaning) int fact;
  TG_ATTESTATIONS(TG__ATTEST_FIELD)
#undef TG__ATTEST_FIELD
  /* dated group changes consulted (for flags); room for every change
   * (their number is bounded at open) */
  const struct tg__group_change *groups_used[TG__MAX_GROUP_CHANGES];
  int groups_used_truth[TG__MAX_GROUP_CHANGES];
  size_t ngroups_used;
  /* screening facts (set by the screening hook) */
  int party_listed;       /* -1 unknown/not screened, 0, 1 */
  const char *party_list, *party_policy;
  const char *party_footnote; /* "4" when an Entity List hit carries footnote
                                 4 (734.9(e)(2)), "none" when no hit does;
                                 NULL (unknown) when a hit's entry has no
                                 license requirement text to read it from */
  /* subject-to-EAR and end-use facts of the order ("" / < 0 unknown) */
  char end_use[24], made_in[3], direct_product[16];
  double us_content_pct;
  int subject;            /* derived: -1 unknown, 0, 1 */
  /* affiliate facts (set by affiliates.c from the ownership records) */
  int party_affiliate;    /* -1 unknown, 0, 1 */
  const char *affiliate_list, *affiliate_policy;
  double affiliate_share;
} tg__facts;

/* Checks an order's end_use / direct_product word; false when it is not
 * one of TG__END_USES / TG__DIRECT_PRODUCTS.  `list` gets the choices. */
bool tg__order_word(bool end_use, const char *w, char *list, size_t n);

void tg__facts_init(tg__facts *f, const tg_engine *e, const tg_chip *c, tg_date on);
/* Sets up an evaluation context over the facts for one expression. */
void tg__eval_init(tg__eval *ev, tg__facts *f, const char *src);
/* Renders a rule's text, replacing {fact} with the fact's value. */
void tg__render(tg__facts *f, const char *tmpl, char *out, size_t n);
/* Sets `event` from origin and destination: only a sale within the US is
 * no export; from abroad, to the same country it is an in-country transfer. */
void tg__facts_set_event(tg__facts *f);
/* Parses the order's attestations; TG_EINVAL naming an unknown one. */
tg_status tg__facts_set_attestations(tg__facts *f, const char *list, tg_error *err);

/* What one reason of a rule says (reason.c writes it as JSON text). */
typedef struct tg__reason_in {
  const tg__rule *rule;
  int truth;                  /* 1, 0, -1 unknown */
  const char *text;           /* the rule's text, rendered */
  const tg__compare *compares; /* its comparisons: the when-clause's, then */
  size_t nwhen, nunless;       /* those of the unless-clause (marked) */
  const char *const *unknowns; /* truth < 0: the unknown facts */
  size_t nunknowns;
  const char *policy;         /* a requirement's review policy, or NULL */
} tg__reason_in;

/* Appends the reason as an object written at the depth of an answer's
 * reasons; b->oom is set when it cannot be written. */
void tg__reason_write(tg__buf *b, const tg__reason_in *in);

/* Writes a comparison of a rule's expression as the answer shows it
 * ("unless" marks one of its unless-clause). */
struct tg__jw;
void tg__compare_write(struct tg__jw *w, const tg__compare *k, bool unless);

/* Appends a decision's "metrics" member's value (the chip's metrics and
 * how each is known), written at the depth of an answer's members. */
void tg__metrics_write(tg__buf *b, const tg__facts *f);

/* The significant digits of an answer's reals. */
#define TG__DOC_PRECISION 10

/* A value written as JSON text: frag[at, at + len). */
typedef struct tg__span {
  size_t at, len;
} tg__span;
/* The items of an array of an answer, each written as text (at the
 * array's depth + 1) when it is made. */
typedef struct tg__spans {
  tg__span *v;
  size_t n, cap;
} tg__spans;
/* Adds an item: false (nothing kept) when out of memory. */
bool tg__spans_add(tg__spans *l, tg__span s);
/* Appends to b an object of n string members (k1, v1, k2, v2, ... in kv,
 * the keys ASCII literals) written at `depth` and returns its span; len 0
 * (nothing written) when a value is NULL or not UTF-8: tg__jtexts' NULL,
 * an item jansson's array would not have taken. */
tg__span tg__strs_write(tg__buf *b, int depth, size_t n, const char *const *kv);
/* Appends a jansson value written at `depth` to b; its span (len 0 for a
 * NULL v). */
tg__span tg__tree_write(tg__buf *b, const json_t *v, int depth);

/* One member of an answer, in the answer's order. */
typedef enum tg__member_kind {
  TG__M_TEXT,   /* written as text when the decision was made: frag[text] */
  TG__M_TREE,   /* a jansson value (the member's reference) */
  TG__M_LIST,   /* an array whose items were written as text (items) */
  TG__M_REASONS /* "reasons": the tree's reasons (screening, ownership),
                   then the items (rule reasons, written when evaluated) */
} tg__member_kind;
typedef struct tg__member {
  const char *key; /* a literal */
  tg__member_kind kind;
  tg__span text;
  json_t *tree;
  tg__spans items; /* the member's own */
} tg__member;

/* The numbers of an order an answer shows: what its "order" member
 * restates and the amount of its fee.  No rule condition or text reads
 * them (check_cache.c verifies this of the loaded rules at open), so the
 * rest of an answer does not depend on them. */
typedef struct tg__order_numbers {
  int64_t qty, price_cents; /* price_cents -1: not given */
  int64_t amount_cents;     /* the fee's amount; -1: no fee or not priced */
} tg__order_numbers;
/* Where an order number sits in an answer's text: a hole (the value's
 * bytes at [at, at + len)), filled by tg__hole_write. */
typedef enum tg__hole_kind {
  TG__H_QTY, TG__H_PRICE_USD, TG__H_PRICE_CENTS, TG__H_AMOUNT_USD, TG__H_AMOUNT_CENTS
} tg__hole_kind;
typedef struct tg__hole {
  size_t at, len;
  tg__hole_kind kind;
} tg__hole;
#define TG__DOC_HOLES 8
/* Writes the value of hole `k` for the numbers v (after a key, or as a
 * writer's first value): the one writer of these values, for an
 * evaluated answer and for a kept one alike. */
struct tg__jw;
void tg__hole_write(struct tg__jw *w, tg__hole_kind k, const tg__order_numbers *v);
/* The fee of qty units at price_cents each at rate_ppm, in cents
 * (rounded half up); false when it does not fit an int64_t. */
bool tg__fee_amount(int64_t qty, int64_t price_cents, int64_t rate_ppm, int64_t *amount);
/* TG_EINVAL for a fee whose amount does not fit (tg__fee_amount false). */
tg_status tg__fee_too_large(tg_error *err);

/* A decision's answer, rendered only when asked (doc.c): its members in
 * order, their texts in frag; the holes of the order's numbers (offsets
 * in frag, inside text members). */
#define TG__DOC_MEMBERS 32
typedef struct tg__doc {
  tg__buf frag;
  tg__member m[TG__DOC_MEMBERS];
  size_t n;
  tg__hole holes[TG__DOC_HOLES];
  size_t nholes;
} tg__doc;
void tg__doc_free(tg__doc *a);
/* The answer's text (tg_free), NULL when out of memory. */
char *tg__doc_dumps(const tg__doc *a);
/* The same, with its holes' places in the text (in text order) in
 * holes[0 .. *nholes) (room for TG__DOC_HOLES). */
char *tg__doc_dumps_holes(const tg__doc *a, tg__hole *holes, size_t *nholes);

struct tg_result {
  tg__doc *answer;         /* NULL when served from a cache or decided quietly */
  tg_verdict verdict;
  char eccn[32];
  char exception[16];
  char policy[32];
  bool has_fee;
  int64_t rate_ppm, amount_cents;
  bool undetermined;
  /* What the ledger reads (see tg__result_notice_days and the three
   * after it), kept as data so that nothing reads the JSON back. */
  int notice_days, cap_percent;
  char hq[3];                 /* "" = not given */
  char unknown_facts[256];
  /* A catalog classification served from the epoch cache: the JSON is the
   * entry's text with this result's date; answer is NULL.  Borrowed from the
   * engine (a result lives no longer than its engine). */
  const struct tg__class_entry *cached;
  tg_date on;
  /* A spec (non-catalog) classification: its verdict and ECCN are decided
   * quietly (tg__classify_quick); reasons and JSON are evaluated only when
   * asked, from this copy of the chip.  answer is NULL. */
  tg_chip *spec;
  const tg_engine *engine;
  /* A check served from the answer cache (check_cache.c): the entry, held
   * by reference; answer is NULL.  An evaluated check that may be kept
   * carries its key instead, and is kept when its JSON is rendered. */
  struct tg__check_entry *memo;
  char *memo_key;
  size_t memo_keylen;
  /* A check whose decision may be reused for orders that differ only in
   * quantity and price (check_cache.c): the key of its decision.  A
   * result served from such a decision has memo set to a kept entry with
   * holes, rendered with these numbers. */
  char *decision_key;
  size_t decision_keylen;
  tg__order_numbers numbers;
};

/* The answer cache of tg_check (check_cache.c), at most
 * TG__CHECK_CACHE_BYTES of answers. */
#define TG__CHECK_CACHE_BYTES ((size_t)64 << 20)
typedef struct tg__check_cache tg__check_cache;
typedef struct tg__check_entry tg__check_entry;
/* A new cache for the engine's loaded rules (it notes which order
 * numbers their conditions and texts read); NULL when out of memory. */
tg__check_cache *tg__check_cache_new(const tg_engine *e);
void tg__check_cache_free(tg__check_cache *c);
/* The key of an order whose answer can be kept (catalog chip, not
 * screened); false otherwise. */
bool tg__check_key(const tg_engine *e, const tg_order *o, tg__buf *key);
/* The key of the order's decision: its answer key without the quantity
 * and unit price when no loaded rule reads them (whether a price was
 * given stays in it); false when the rules read both or out of memory. */
bool tg__check_decision_key(const tg_engine *e, const tg__buf *key, tg__buf *dkey);
/* A new result served from a kept answer, or NULL. */
tg_result *tg__check_cached(const tg_engine *e, const char *key, size_t n);
/* A result served from a kept decision (tg__check_cached of a decision
 * key) made the answer of order o: its numbers and fee amount; TG_EINVAL
 * (as evaluation gives) when the fee does not fit. */
tg_status tg__check_reuse(tg_result *r, const tg_order *o, tg_error *err);
/* Keeps a rendered answer under r's key (no-op without one): its text,
 * and for a decision its holes (an answer key: none). */
void tg__check_remember(const tg_result *r, const char *text, size_t len);
void tg__check_remember_decision(const tg_result *r, const char *text, size_t len,
                                 const tg__hole *holes, size_t nholes);
/* A copy of a kept answer's text (tg_free) and its length, for a kept
 * decision rendered with the numbers v; NULL when out of memory. */
char *tg__check_entry_text(const tg__check_entry *x, const tg__order_numbers *v, size_t *len);
/* A kept answer's text itself (valid while x is referenced) and its
 * length; NULL for a kept decision (its holes are filled per order). */
const char *tg__check_entry_view(const tg__check_entry *x, size_t *len);
void tg__check_entry_release(tg__check_entry *x);
/* Turns the engine's answer caches off (tests compare answers with and
 * without them).  Before any check; not thread-safe. */
void tg__check_cache_off(tg_engine *e);

/* What the ledger reads of an order's result, without rendering it
 * (result.c): the days of notice its license exception requires (0 =
 * none), the smallest aggregate-TPP cap (percent) its license conditions
 * impose (0 = none), the end user's headquarters as the order gave it
 * (canonical code, NULL = not given), and the names of the unknown facts
 * the determination depends on, comma-separated and each once ("" when
 * none; cut at n).  NULL r gives 0 / NULL / "". */
int tg__result_notice_days(const tg_result *r);
int tg__result_cap_percent(const tg_result *r);
const char *tg__result_hq(const tg_result *r);
void tg__result_unknown_facts(const tg_result *r, char *out, size_t n);

/* One cached classification (class_cache.c), one allocation: the result's
 * fields and its JSON text, in which the date sits at date_at. */
typedef struct tg__class_entry {
  tg_result base;
  size_t date_at, len;
  char text[];
} tg__class_entry;

/* The classification itself, evaluated rule by rule (decide.c); tg_classify
 * serves catalog chips from the epoch cache and calls this otherwise. */
tg_status tg__classify_eval(const tg_engine *e, const tg_chip *chip, tg_date on,
                            tg_result **out, tg_error *err);

/* The ECCN rule on a date for the facts ev reads (ev set up by
 * tg__eval_init), evaluated quietly; NULL when no rule classifies.
 * *undetermined: the winner hangs on an unknown fact.  The same answer as
 * tg_classify gives. */
const tg__rule *tg__classify_quick(const tg_engine *e, tg_date on, tg__eval *ev,
                                   bool *undetermined);

/* What one variant of an order decides (for branches; resolved by
 * tg__outcome_variant in outcome.c). */
typedef struct tg__outcome {
  tg_verdict verdict;
  const char *policy, *exception, *eccn; /* borrowed from the rules */
  int subject;                           /* subject to the EAR: -1, 0, 1 */
  bool determined;
} tg__outcome;

/* One rule of an answer's "undetermined": its id and the unknown facts it
 * rests on. */
typedef struct tg__undet_in {
  const char *rule;
  const char *const *facts;
  size_t nfacts;
} tg__undet_in;
/* The branches of an undetermined answer: for each value of the unknown
 * conditions (the n rules of `undetermined`) the verdict it gives.
 * Writes the array with out (empty when there is nothing to branch on);
 * *agree: there is a branch and every branch gives the same verdict,
 * review policy and exception, each determined. */
struct tg__jw;
void tg__branches(const tg__facts *f, tg_date on, const tg__undet_in *undetermined, size_t n,
                  struct tg__jw *out, bool *agree);

/* The Affiliates Rule's facts of an order: is a party 50% or more owned
 * by listed parties (affiliates.c)?  Owners are screened with `ix`, the
 * order's screener's index (NULL when none), held for the decision.  The
 * screening hook itself is in screen_int.h. */
struct tg__index;
tg_status tg__affiliates_order(const tg_order *o, const struct tg__index *ix, tg__facts *f,
                               json_t *reasons, json_t *warnings, tg_error *err);

#endif
