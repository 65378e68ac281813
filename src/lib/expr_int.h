/* expr_int.h - the rule expression language: parse once at load time,
 * evaluate per order with three-valued logic over interval numbers, and
 * record every comparison made (so decisions can show the numbers).
 *
 *   expr := or ; or := and {"or" and} ; and := not {"and" not}
 *   not  := "not" not | cmp
 *   cmp  := sum [("=="|"!="|"<"|"<="|">"|">="|"in"|"not in") sum]
 *   sum  := prod {("+"|"-") prod} ; prod := unary {("*"|"/") unary}
 *   unary := "-" unary | primary
 *   primary := NUMBER | "STRING" | true | false | IDENT | IDENT "(" expr ")"
 *            | "(" expr ")" | "[" [expr {"," expr}] "]"
 *
 * Identifiers are facts (tpp, dest, ...), country groups (D1, D5, A6, E1
 * name groups D:1 ...), and Country Chart columns (AT1, RS2 ...).  The one
 * function is known(x).  A number is an interval [lo, hi]: a comparison
 * that the interval cannot settle is unknown. */
#ifndef TG_EXPR_INT_H
#define TG_EXPR_INT_H

#include "tg_int.h"

typedef enum {
  TG__EX_NUM, TG__EX_STR, TG__EX_BOOL, TG__EX_IDENT, TG__EX_LIST, TG__EX_NOT,
  TG__EX_NEG, TG__EX_AND, TG__EX_OR, TG__EX_CMP, TG__EX_IN, TG__EX_NOTIN,
  TG__EX_ARITH, TG__EX_KNOWN
} tg__ex_kind;

typedef enum { TG__OP_EQ, TG__OP_NE, TG__OP_LT, TG__OP_LE, TG__OP_GT, TG__OP_GE,
               TG__OP_ADD, TG__OP_SUB, TG__OP_MUL, TG__OP_DIV } tg__op;

typedef struct tg__expr tg__expr;
struct tg__expr {     /* the fields evaluation reads first */
  tg__ex_kind kind;
  tg__op op;
  /* TG__EX_IDENT, resolved when a rule set is loaded: the fact's slot
   * (>= 0), TG__SLOT_GROUP with the group's name in `group`, or
   * TG__SLOT_NAME (looked up by name at evaluation). */
  int slot;
  bool packed;         /* the root of a tree held in one block (freed at once) */
  tg__expr *a, *b;
  double num;
  char *str;           /* string literal or identifier */
  const char *group;
  tg__expr **items;    /* list literal */
  size_t nitems;
  size_t start, end;   /* byte span in the source text */
};

#define TG__SLOT_NAME (-1)
#define TG__SLOT_GROUP (-2)

typedef enum { TG__V_UNKNOWN, TG__V_NUM, TG__V_BOOL, TG__V_STR, TG__V_GROUP,
               TG__V_LIST } tg__vkind;

typedef struct tg__val {
  tg__vkind kind;
  bool b;               /* TG__V_BOOL */
  bool varies;          /* derived from a fact in tg__eval.vary_slots */
  double lo, hi;        /* TG__V_NUM */
  const char *s;        /* TG__V_STR; group name for TG__V_GROUP */
  const tg__expr *list; /* TG__V_LIST: the list literal node */
} tg__val;

/* One comparison made during evaluation. */
typedef struct tg__compare {
  char lhs[48];   /* source text of the left side ("tpp") */
  tg__val lv;     /* its value */
  char op[8];
  char rhs[48];
  tg__val rv;
  int result;     /* 1 true, 0 false, -1 unknown */
} tg__compare;

#define TG__MAX_COMPARES 32
#define TG__MAX_UNKNOWNS 16

typedef struct tg__eval {
  /* resolves a fact; returns false for an unknown name */
  bool (*lookup)(void *ctx, const char *name, tg__val *out);
  /* is country `code` in group/chart column `group`?  1, 0, or -1 when
   * the membership on the decision's date is unknown */
  int (*in_group)(void *ctx, const char *code, const char *group);
  /* resolves a fact by its slot (facts_list.h); NULL = by name only */
  bool (*lookup_slot)(void *ctx, int slot, tg__val *out);
  void *ctx;
  bool quiet;                 /* record neither comparisons nor unknowns */
  /* Evaluation over a range of inputs (the chart's runs of cells): the
   * facts whose slot bit is set hold intervals that span several inputs.
   * A comparison or known() over such a value that the range leaves
   * unknown sets `unsettled`: the answer may differ across the range.
   * When it stays false, every input in the range has the same answer. */
  uint32_t vary_slots;
  bool unsettled;
  const char *src;            /* the expression's text, for spans */
  tg__compare compares[TG__MAX_COMPARES];
  size_t ncompares;
  char unknowns[TG__MAX_UNKNOWNS][32]; /* facts that were unknown */
  size_t nunknowns;
} tg__eval;

/* Parses text into an expression; on error sets *errpos (byte offset) and
 * writes a message into msg.  NULL on error.  The tree comes in one block,
 * its nodes in evaluation order (rules are evaluated many times per order:
 * nodes scattered over the heap cost a cache miss each). */
tg__expr *tg__expr_parse(const char *text, size_t *errpos, char *msg, size_t msglen);
void tg__expr_free(tg__expr *e);

/* Evaluates to a truth value: 1, 0 or -1 (unknown). */
int tg__expr_truth(const tg__expr *e, tg__eval *ev);
/* Evaluates to a value. */
tg__val tg__expr_value(const tg__expr *e, tg__eval *ev);

/* Sets the slot of every identifier: slot_of(name) gives a fact's slot
 * or TG__SLOT_NAME; group_of(name) a group's pooled name or NULL. */
void tg__expr_resolve(tg__expr *e, int (*slot_of)(const char *),
                      const char *(*group_of)(const char *));

/* Calls fn for every identifier in e (for load-time validation). */
void tg__expr_idents(const tg__expr *e, void (*fn)(void *, const tg__expr *), void *arg);

/* Writes the part of e that the facts known to ev leave open, in the
 * source's words ("hq in D5 or hq == \"MO\""); "true"/"false" when the
 * facts settle it.  Used to say on which condition an answer turns. */
void tg__expr_residual(const tg__expr *e, const tg__eval *ev, char *out, size_t n);

/* Formats a value for humans ("2368", ">= 6016", "unknown", "\"CN\""). */
void tg__val_format(const tg__val *v, char *out, size_t n);

#endif
