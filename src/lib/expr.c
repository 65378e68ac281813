/* expr.c - parser and evaluator of rule expressions (see expr_int.h).
 * Recursive descent with a depth limit; evaluation uses Kleene logic and
 * interval comparisons so that unknown facts stay unknown. */
#include "expr_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

typedef struct parser {
  const char *s;
  size_t pos;
  int depth;
  bool failed;
  size_t errpos;
  char *msg;
  size_t msglen;
} parser;

static void fail(parser *p, size_t at, const char *fmt, ...) TG__PRINTF(3, 4);
static void fail(parser *p, size_t at, const char *fmt, ...) {
  if (p->failed) return;
  p->failed = true;
  p->errpos = at;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->msg, p->msglen, fmt, ap);
  va_end(ap);
}

static void skip_ws(parser *p) {
  while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
         p->s[p->pos] == '\r')
    p->pos++;
}

static bool is_ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* Matches a keyword (whole word) or an operator at the current position. */
static bool accept_word(parser *p, const char *w) {
  skip_ws(p);
  size_t n = strlen(w);
  if (strncmp(p->s + p->pos, w, n) != 0) return false;
  if (is_ident_start(w[0]) && is_ident_char(p->s[p->pos + n])) return false;
  p->pos += n;
  return true;
}

static bool peek_word(parser *p, const char *w) {
  size_t save = p->pos;
  bool ok = accept_word(p, w);
  p->pos = save;
  return ok;
}

static tg__expr *node(parser *p, tg__ex_kind k, size_t start) {
  tg__expr *e = tg__calloc(1, sizeof *e);
  if (e) e->slot = TG__SLOT_NAME;
  if (!e) {
    fail(p, start, "%sout of memory", "");
    return NULL;
  }
  e->kind = k;
  e->start = start;
  e->end = p->pos;
  return e;
}

static tg__expr *parse_or(parser *p);

static tg__expr *parse_primary(parser *p) {
  skip_ws(p);
  size_t start = p->pos;
  char c = p->s[p->pos];
  if (c == '(') {
    p->pos++;
    tg__expr *e = parse_or(p);
    if (!accept_word(p, ")")) {
      fail(p, p->pos, "expected ')'%s", "");
      tg__expr_free(e);
      return NULL;
    }
    if (e) {
      e->start = start;
      e->end = p->pos;
    }
    return e;
  }
  if (c == '[') {
    p->pos++;
    tg__expr *e = node(p, TG__EX_LIST, start);
    if (!e) return NULL;
    if (accept_word(p, "]")) {
      e->end = p->pos;
      return e;
    }
    for (;;) {
      tg__expr *it = parse_or(p);
      if (!it) break;
      tg__expr **v = tg__realloc(e->items, (e->nitems + 1) * sizeof *v);
      if (!v) {
        tg__expr_free(it);
        fail(p, p->pos, "%sout of memory", "");
        break;
      }
      e->items = v;
      e->items[e->nitems++] = it;
      if (accept_word(p, ",")) continue;
      if (accept_word(p, "]")) {
        e->end = p->pos;
        return e;
      }
      fail(p, p->pos, "expected ',' or ']' in a list%s", "");
      break;
    }
    tg__expr_free(e);
    return NULL;
  }
  if (c == '"') {
    size_t i = p->pos + 1;
    while (p->s[i] && p->s[i] != '"') i++;
    if (!p->s[i]) {
      fail(p, start, "unterminated string%s", "");
      return NULL;
    }
    tg__expr *e = node(p, TG__EX_STR, start);
    if (!e) return NULL;
    e->str = tg__strndup(p->s + p->pos + 1, i - p->pos - 1);
    p->pos = i + 1;
    e->end = p->pos;
    if (!e->str) {
      tg__expr_free(e);
      fail(p, start, "%sout of memory", "");
      return NULL;
    }
    return e;
  }
  if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)p->s[p->pos + 1]))) {
    size_t i = p->pos;
    while (isdigit((unsigned char)p->s[i]) || p->s[i] == '.' || p->s[i] == '_') i++;
    if (is_ident_char(p->s[i])) {
      fail(p, start, "bad number (quote text such as \"3A090.a\")%s", "");
      return NULL;
    }
    char buf[64];
    size_t n = 0;
    for (size_t k = p->pos; k < i && n < sizeof buf - 1; k++)
      if (p->s[k] != '_') buf[n++] = p->s[k];
    buf[n] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end || n == 0 || i - p->pos >= sizeof buf - 1) {
      fail(p, start, "bad number%s", "");
      return NULL;
    }
    p->pos = i;
    tg__expr *e = node(p, TG__EX_NUM, start);
    if (e) e->num = v;
    return e;
  }
  if (is_ident_start(c)) {
    size_t i = p->pos;
    while (is_ident_char(p->s[i])) i++;
    size_t n = i - p->pos;
    if ((n == 4 && !strncmp(p->s + p->pos, "true", 4)) ||
        (n == 5 && !strncmp(p->s + p->pos, "false", 5))) {
      p->pos = i;
      tg__expr *e = node(p, TG__EX_BOOL, start);
      if (e) e->num = n == 4;
      return e;
    }
    static const char *const reserved[] = {"and", "or", "not", "in", NULL};
    for (int k = 0; reserved[k]; k++)
      if (n == strlen(reserved[k]) && !strncmp(p->s + p->pos, reserved[k], n)) {
        fail(p, start, "expected a value, found '%s'", reserved[k]);
        return NULL;
      }
    if (n == 5 && !strncmp(p->s + p->pos, "known", 5)) {
      p->pos = i;
      if (!accept_word(p, "(")) {
        fail(p, p->pos, "expected '(' after known%s", "");
        return NULL;
      }
      tg__expr *e = node(p, TG__EX_KNOWN, start);
      if (!e) return NULL;
      e->a = parse_or(p);
      if (!e->a || !accept_word(p, ")")) {
        fail(p, p->pos, "expected ')'%s", "");
        tg__expr_free(e);
        return NULL;
      }
      e->end = p->pos;
      return e;
    }
    tg__expr *e = node(p, TG__EX_IDENT, start);
    if (!e) return NULL;
    e->str = tg__strndup(p->s + p->pos, n);
    p->pos = i;
    e->end = i;
    if (!e->str) {
      tg__expr_free(e);
      fail(p, start, "%sout of memory", "");
      return NULL;
    }
    return e;
  }
  if (c == '\0')
    fail(p, start, "unexpected end of expression%s", "");
  else {
    char ch[2] = {c, 0};
    fail(p, start, "unexpected character '%s'", ch);
  }
  return NULL;
}

static tg__expr *binary(parser *p, tg__ex_kind k, tg__op op, tg__expr *a,
                        tg__expr *b) {
  if (!a || !b) {
    tg__expr_free(a);
    tg__expr_free(b);
    return NULL;
  }
  tg__expr *e = node(p, k, a->start);
  if (!e) {
    tg__expr_free(a);
    tg__expr_free(b);
    return NULL;
  }
  e->op = op;
  e->a = a;
  e->b = b;
  e->end = b->end;
  return e;
}

static tg__expr *parse_unary(parser *p) {
  if (++p->depth > MAX_DEPTH) {
    fail(p, p->pos, "expression nested too deeply%s", "");
    return NULL;
  }
  skip_ws(p);
  size_t start = p->pos;
  tg__expr *r;
  if (p->s[p->pos] == '-') {
    p->pos++;
    tg__expr *a = parse_unary(p);
    r = a ? node(p, TG__EX_NEG, start) : NULL;
    if (r) r->a = a;
    else tg__expr_free(a);
  } else {
    r = parse_primary(p);
  }
  p->depth--;
  return r;
}

static tg__expr *parse_prod(parser *p) {
  tg__expr *e = parse_unary(p);
  while (e && !p->failed) {
    if (accept_word(p, "*")) e = binary(p, TG__EX_ARITH, TG__OP_MUL, e, parse_unary(p));
    else if (accept_word(p, "/")) e = binary(p, TG__EX_ARITH, TG__OP_DIV, e, parse_unary(p));
    else break;
  }
  return e;
}

static tg__expr *parse_sum(parser *p) {
  tg__expr *e = parse_prod(p);
  while (e && !p->failed) {
    if (accept_word(p, "+")) e = binary(p, TG__EX_ARITH, TG__OP_ADD, e, parse_prod(p));
    else if (accept_word(p, "-")) e = binary(p, TG__EX_ARITH, TG__OP_SUB, e, parse_prod(p));
    else break;
  }
  return e;
}

static tg__expr *parse_cmp(parser *p) {
  tg__expr *e = parse_sum(p);
  if (!e || p->failed) return e;
  static const struct { const char *w; tg__op op; } ops[] = {
      {"==", TG__OP_EQ}, {"!=", TG__OP_NE}, {"<=", TG__OP_LE},
      {">=", TG__OP_GE}, {"<", TG__OP_LT},  {">", TG__OP_GT}};
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (accept_word(p, ops[i].w)) return binary(p, TG__EX_CMP, ops[i].op, e, parse_sum(p));
  if (accept_word(p, "in")) return binary(p, TG__EX_IN, TG__OP_EQ, e, parse_sum(p));
  if (peek_word(p, "not")) {
    size_t save = p->pos;
    accept_word(p, "not");
    if (accept_word(p, "in")) return binary(p, TG__EX_NOTIN, TG__OP_EQ, e, parse_sum(p));
    p->pos = save;
  }
  return e;
}

static tg__expr *parse_not(parser *p) {
  if (++p->depth > MAX_DEPTH) {
    fail(p, p->pos, "expression nested too deeply%s", "");
    return NULL;
  }
  skip_ws(p);
  size_t start = p->pos;
  tg__expr *r;
  if (accept_word(p, "not")) {
    tg__expr *a = parse_not(p);
    r = a ? node(p, TG__EX_NOT, start) : NULL;
    if (r) r->a = a;
    else tg__expr_free(a);
  } else {
    r = parse_cmp(p);
  }
  p->depth--;
  return r;
}

static tg__expr *parse_and(parser *p) {
  tg__expr *e = parse_not(p);
  while (e && !p->failed && accept_word(p, "and"))
    e = binary(p, TG__EX_AND, TG__OP_EQ, e, parse_not(p));
  return e;
}

static tg__expr *parse_or(parser *p) {
  if (++p->depth > MAX_DEPTH) {
    fail(p, p->pos, "expression nested too deeply%s", "");
    return NULL;
  }
  tg__expr *e = parse_and(p);
  while (e && !p->failed && accept_word(p, "or"))
    e = binary(p, TG__EX_OR, TG__OP_EQ, e, parse_and(p));
  p->depth--;
  return e;
}

/* ---- packing: a parsed tree copied into one block ------------------ */

typedef struct packer {
  tg__expr *node;
  tg__expr **item;
  char *str;
} packer;

static void measure(const tg__expr *e, size_t *nodes, size_t *items, size_t *bytes) {
  ++*nodes;
  *items += e->nitems;
  if (e->str) *bytes += strlen(e->str) + 1;
  if (e->a) measure(e->a, nodes, items, bytes);
  if (e->b) measure(e->b, nodes, items, bytes);
  for (size_t i = 0; i < e->nitems; i++) measure(e->items[i], nodes, items, bytes);
}

/* Copies e and its subtrees in pre-order (each node before its operands,
 * the left operand's tree before the right one's). */
static tg__expr *copy_into(packer *k, const tg__expr *e) {
  tg__expr *c = k->node++;
  *c = *e;
  c->packed = false;
  if (e->str) {
    size_t n = strlen(e->str) + 1;
    memcpy(k->str, e->str, n);
    c->str = k->str;
    k->str += n;
  }
  if (e->nitems) {
    c->items = k->item;
    k->item += e->nitems;
  } else {
    c->items = NULL;
  }
  c->a = e->a ? copy_into(k, e->a) : NULL;
  c->b = e->b ? copy_into(k, e->b) : NULL;
  for (size_t i = 0; i < e->nitems; i++) c->items[i] = copy_into(k, e->items[i]);
  return c;
}

/* The tree in one block; e itself (still valid) when there is no memory. */
static tg__expr *pack(tg__expr *e) {
  size_t nodes = 0, items = 0, bytes = 0;
  if (!e) return NULL;
  measure(e, &nodes, &items, &bytes);
  char *block = tg__malloc(nodes * sizeof(tg__expr) + items * sizeof(tg__expr *) + bytes);
  if (!block) return e;
  packer k = {.node = (tg__expr *)(void *)block,
              .item = (tg__expr **)(void *)(block + nodes * sizeof(tg__expr)),
              .str = block + nodes * sizeof(tg__expr) + items * sizeof(tg__expr *)};
  tg__expr *root = copy_into(&k, e);
  root->packed = true;
  tg__expr_free(e);
  return root;
}

tg__expr *tg__expr_parse(const char *text, size_t *errpos, char *msg, size_t msglen) {
  parser p = {.s = text, .msg = msg, .msglen = msglen};
  if (msglen) msg[0] = '\0';
  tg__expr *e = parse_or(&p);
  skip_ws(&p);
  if (!p.failed && p.s[p.pos] != '\0') {
    const char *rest = p.s + p.pos;
    char word[24];
    size_t n = 0;
    while (rest[n] && !isspace((unsigned char)rest[n]) && n < sizeof word - 1) {
      word[n] = rest[n];
      n++;
    }
    word[n] = '\0';
    fail(&p, p.pos, "expected an operator or the end, found '%s'", word);
  }
  if (p.failed) {
    tg__expr_free(e);
    if (errpos) *errpos = p.errpos;
    return NULL;
  }
  return pack(e);
}

void tg__expr_free(tg__expr *e) {
  if (!e) return;
  if (e->packed) {
    tg__free(e);
    return;
  }
  tg__expr_free(e->a);
  tg__expr_free(e->b);
  for (size_t i = 0; i < e->nitems; i++) tg__expr_free(e->items[i]);
  tg__free(e->items);
  tg__free(e->str);
  tg__free(e);
}

void tg__expr_resolve(tg__expr *e, int (*slot_of)(const char *),
                      const char *(*group_of)(const char *)) {
  if (!e) return;
  if (e->kind == TG__EX_IDENT) {
    e->slot = slot_of(e->str);
    if (e->slot == TG__SLOT_NAME && (e->group = group_of(e->str))) e->slot = TG__SLOT_GROUP;
  }
  tg__expr_resolve(e->a, slot_of, group_of);
  tg__expr_resolve(e->b, slot_of, group_of);
  for (size_t i = 0; i < e->nitems; i++) tg__expr_resolve(e->items[i], slot_of, group_of);
}

void tg__expr_idents(const tg__expr *e, void (*fn)(void *, const tg__expr *), void *arg) {
  if (!e) return;
  if (e->kind == TG__EX_IDENT) fn(arg, e);
  tg__expr_idents(e->a, fn, arg);
  tg__expr_idents(e->b, fn, arg);
  for (size_t i = 0; i < e->nitems; i++) tg__expr_idents(e->items[i], fn, arg);
}

/* ---- evaluation --------------------------------------------------- */

static void note_unknown(tg__eval *ev, const char *name);

/* A country whose membership of a group is unknown on the date is an
 * unknown fact named "CC in G:N". */
static void group_unknown(tg__eval *ev, const char *code, const char *group) {
  if (ev->quiet) return;
  char name[32];
  snprintf(name, sizeof name, "%s in %s", code, group);
  note_unknown(ev, name);
}

static tg__val unknown(void) { return (tg__val){.kind = TG__V_UNKNOWN}; }
static tg__val num(double lo, double hi) { return (tg__val){.kind = TG__V_NUM, .lo = lo, .hi = hi}; }
static tg__val truth(int t) {
  if (t < 0) return unknown();
  return (tg__val){.kind = TG__V_BOOL, .b = t != 0};
}

static int val_truth(const tg__val *v) {
  if (v->kind == TG__V_BOOL) return v->b;
  return -1;
}

static void note_unknown(tg__eval *ev, const char *name) {
  if (ev->quiet) return;
  for (size_t i = 0; i < ev->nunknowns; i++)
    if (!strcmp(ev->unknowns[i], name)) return;
  if (ev->nunknowns < TG__MAX_UNKNOWNS)
    tg__copy(ev->unknowns[ev->nunknowns++], sizeof ev->unknowns[0], name);
}

void tg__val_format(const tg__val *v, char *out, size_t n) {
  char a[32], b[32];
  switch (v->kind) {
  case TG__V_NUM:
    tg__fmt_number(v->lo, a, sizeof a);
    if (v->lo == v->hi) tg__copy(out, n, a);
    else if (isinf(v->hi) && v->lo == 0) tg__copy(out, n, "unknown");
    else if (isinf(v->hi)) tg__cat(out, n, 3, (const char *const[]){">= ", a, " (upper bound unknown)"});
    else {
      tg__fmt_number(v->hi, b, sizeof b);
      tg__cat(out, n, 4, (const char *const[]){"between ", a, " and ", b});
    }
    break;
  case TG__V_BOOL: tg__copy(out, n, v->b ? "true" : "false"); break;
  case TG__V_STR: tg__cat(out, n, 3, (const char *const[]){"\"", v->s, "\""}); break;
  case TG__V_GROUP: tg__copy(out, n, v->s); break;
  case TG__V_LIST: tg__copy(out, n, "a list"); break;
  default: tg__copy(out, n, "unknown"); break;
  }
}

static void span(const tg__eval *ev, const tg__expr *e, char *out, size_t n) {
  size_t len = e->end - e->start;
  if (!ev->src || len == 0) {
    snprintf(out, n, "?");
    return;
  }
  if (len >= n) len = n - 1;
  memcpy(out, ev->src + e->start, len);
  out[len] = '\0';
}

static int cmp_interval(tg__op op, tg__val a, tg__val b) {
  switch (op) {
  case TG__OP_LT: return a.hi < b.lo ? 1 : (a.lo >= b.hi ? 0 : -1);
  case TG__OP_LE: return a.hi <= b.lo ? 1 : (a.lo > b.hi ? 0 : -1);
  case TG__OP_GT: return a.lo > b.hi ? 1 : (a.hi <= b.lo ? 0 : -1);
  case TG__OP_GE: return a.lo >= b.hi ? 1 : (a.hi < b.lo ? 0 : -1);
  case TG__OP_EQ:
    if (a.lo == a.hi && b.lo == b.hi) return a.lo == b.lo;
    return (a.hi < b.lo || a.lo > b.hi) ? 0 : -1;
  case TG__OP_NE:
    if (a.lo == a.hi && b.lo == b.hi) return a.lo != b.lo;
    return (a.hi < b.lo || a.lo > b.hi) ? 1 : -1;
  default: return -1;
  }
}

/* strcmp(a, b) == 0, with the common answers (one text, or texts that
 * differ in the first byte: country codes, end uses) without a call. */
static inline bool str_eq(const char *a, const char *b) {
  if (a == b) return true;
  return a[0] == b[0] && strcmp(a, b) == 0;
}

static int compare(tg__op op, tg__val a, tg__val b) {
  if (a.kind == TG__V_UNKNOWN || b.kind == TG__V_UNKNOWN) return -1;
  if (a.kind == TG__V_NUM && b.kind == TG__V_NUM) return cmp_interval(op, a, b);
  if (op != TG__OP_EQ && op != TG__OP_NE) return -1;
  int eq;
  if (a.kind == TG__V_STR && b.kind == TG__V_STR) eq = str_eq(a.s, b.s);
  else if (a.kind == TG__V_BOOL && b.kind == TG__V_BOOL) eq = a.b == b.b;
  else eq = 0; /* different kinds are never equal */
  return op == TG__OP_EQ ? eq : !eq;
}

static const char *op_text(tg__op op) {
  static const char *const t[] = {"==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/"};
  return t[op];
}

static void record(tg__eval *ev, const tg__expr *e, const char *op, tg__val lv,
                   tg__val rv, int result) {
  if (ev->quiet || ev->ncompares >= TG__MAX_COMPARES) return;
  tg__compare *c = &ev->compares[ev->ncompares++];
  span(ev, e->a, c->lhs, sizeof c->lhs);
  span(ev, e->b, c->rhs, sizeof c->rhs);
  tg__copy(c->op, sizeof c->op, op);
  c->lv = lv;
  c->rv = rv;
  c->result = result;
}

/* A fact's value (or a group's name). */
static inline tg__val ident_value(const tg__expr *e, tg__eval *ev) {
  tg__val v = unknown();
  if (e->slot >= 0 && ev->lookup_slot) {
    if (!ev->lookup_slot(ev->ctx, e->slot, &v)) v = unknown();
  } else if (e->slot == TG__SLOT_GROUP) {
    v = (tg__val){.kind = TG__V_GROUP, .s = e->group};
  } else if (!ev->lookup || !ev->lookup(ev->ctx, e->str, &v)) {
    v = unknown();
  }
  if (e->slot >= 0 && e->slot < 32 && (ev->vary_slots >> e->slot & 1u)) v.varies = true;
  bool open = v.kind == TG__V_UNKNOWN ||
              (v.kind == TG__V_NUM && v.lo != v.hi);
  if (open) note_unknown(ev, e->str);
  return v;
}

/* An operand: literals and facts without a call (most operands are). */
static inline tg__val operand(const tg__expr *e, tg__eval *ev) {
  switch (e->kind) {
  case TG__EX_NUM: return num(e->num, e->num);
  case TG__EX_STR: return (tg__val){.kind = TG__V_STR, .s = e->str};
  case TG__EX_IDENT: return ident_value(e, ev);
  default: return tg__expr_value(e, ev);
  }
}

static int membership(tg__eval *ev, tg__val x, const tg__expr *setn, tg__val set) {
  if (x.kind == TG__V_UNKNOWN) return -1;
  if (set.kind == TG__V_GROUP) {
    if (x.kind != TG__V_STR) return 0;
    int m = ev->in_group ? ev->in_group(ev->ctx, x.s, set.s) : 0;
    if (m < 0) group_unknown(ev, x.s, set.s);
    return m;
  }
  if (set.kind == TG__V_STR) { /* substring-free: equality with one item */
    return x.kind == TG__V_STR && str_eq(x.s, set.s);
  }
  if (set.kind != TG__V_LIST) return -1;
  int any_unknown = 0;
  for (size_t i = 0; i < setn->nitems; i++) {
    if (setn->items[i]->kind == TG__EX_STR) { /* most lists: texts (as compare() with
                                                  a known x: other kinds are unequal) */
      if (x.kind == TG__V_STR && str_eq(x.s, setn->items[i]->str)) return 1;
      continue;
    }
    tg__val item = operand(setn->items[i], ev);
    if (item.kind == TG__V_GROUP) {
      int m = x.kind == TG__V_STR && ev->in_group ? ev->in_group(ev->ctx, x.s, item.s) : 0;
      if (m == 1) return 1;
      if (m < 0) {
        group_unknown(ev, x.s, item.s);
        any_unknown = 1;
      }
      continue;
    }
    int r = compare(TG__OP_EQ, x, item);
    if (r == 1) return 1;
    if (r < 0) any_unknown = 1;
  }
  return any_unknown ? -1 : 0;
}

static tg__val arith(tg__op op, tg__val a, tg__val b);

tg__val tg__expr_value(const tg__expr *e, tg__eval *ev) {
  switch (e->kind) {
  case TG__EX_NUM: return num(e->num, e->num);
  case TG__EX_STR: return (tg__val){.kind = TG__V_STR, .s = e->str};
  case TG__EX_BOOL: return truth(e->num != 0);
  case TG__EX_LIST: return (tg__val){.kind = TG__V_LIST, .list = e};
  case TG__EX_IDENT: return ident_value(e, ev);
  case TG__EX_KNOWN: {
    tg__val v = tg__expr_value(e->a, ev);
    bool k = !(v.kind == TG__V_UNKNOWN || (v.kind == TG__V_NUM && v.lo != v.hi));
    if (v.varies) ev->unsettled = true;
    return truth(k);
  }
  case TG__EX_NOT: {
    tg__val a = tg__expr_value(e->a, ev);
    int t = val_truth(&a);
    return truth(t < 0 ? -1 : !t);
  }
  case TG__EX_NEG: {
    tg__val a = tg__expr_value(e->a, ev);
    tg__val r = a.kind != TG__V_NUM ? unknown() : num(-a.hi, -a.lo);
    r.varies = a.varies;
    return r;
  }
  case TG__EX_AND: {
    tg__val a = tg__expr_value(e->a, ev);
    int ta = val_truth(&a);
    if (ta == 0) return truth(0);
    tg__val b = tg__expr_value(e->b, ev);
    int tb = val_truth(&b);
    if (tb == 0) return truth(0);
    return truth(ta == 1 && tb == 1 ? 1 : -1);
  }
  case TG__EX_OR: {
    tg__val a = tg__expr_value(e->a, ev);
    int ta = val_truth(&a);
    if (ta == 1) return truth(1);
    tg__val b = tg__expr_value(e->b, ev);
    int tb = val_truth(&b);
    if (tb == 1) return truth(1);
    return truth(ta == 0 && tb == 0 ? 0 : -1);
  }
  case TG__EX_CMP: {
    tg__val a = operand(e->a, ev), b = operand(e->b, ev);
    int r = compare(e->op, a, b);
    if (r < 0 && (a.varies || b.varies)) ev->unsettled = true;
    record(ev, e, op_text(e->op), a, b, r);
    return truth(r);
  }
  case TG__EX_IN:
  case TG__EX_NOTIN: {
    tg__val a = operand(e->a, ev), b = operand(e->b, ev);
    int r = membership(ev, a, e->b, b);
    if (e->kind == TG__EX_NOTIN && r >= 0) r = !r;
    if (r < 0 && (a.varies || b.varies)) ev->unsettled = true;
    record(ev, e, e->kind == TG__EX_IN ? "in" : "not in", a, b, r);
    return truth(r);
  }
  case TG__EX_ARITH: {
    tg__val a = operand(e->a, ev), b = operand(e->b, ev);
    tg__val r = arith(e->op, a, b);
    r.varies = a.varies || b.varies;
    return r;
  }
  }
  return unknown();
}

static tg__val arith(tg__op op, tg__val a, tg__val b) {
  if (a.kind != TG__V_NUM || b.kind != TG__V_NUM) return unknown();
  switch (op) {
  case TG__OP_ADD: return num(a.lo + b.lo, a.hi + b.hi);
  case TG__OP_SUB: return num(a.lo - b.hi, a.hi - b.lo);
  case TG__OP_MUL: {
    double c[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    double lo = c[0], hi = c[0];
    for (int i = 1; i < 4; i++) {
      if (isnan(c[i])) return unknown();
      if (c[i] < lo) lo = c[i];
      if (c[i] > hi) hi = c[i];
    }
    if (isnan(c[0])) return unknown();
    return num(lo, hi);
  }
  case TG__OP_DIV:
    if (b.lo <= 0 && b.hi >= 0) return unknown(); /* may divide by zero */
    {
      double c[4] = {a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi};
      double lo = c[0], hi = c[0];
      for (int i = 0; i < 4; i++) {
        if (isnan(c[i])) return unknown();
        if (c[i] < lo) lo = c[i];
        if (c[i] > hi) hi = c[i];
      }
      return num(lo, hi);
    }
  default: return unknown();
  }
  return unknown();
}

/* operand() in a quiet evaluation with no ranges: a fact by its slot is
 * its value alone (nothing to note, nothing varies). */
static inline tg__val quiet_operand(const tg__expr *e, tg__eval *ev) {
  if (e->kind == TG__EX_IDENT && e->slot >= 0 && ev->lookup_slot) {
    tg__val v;
    return ev->lookup_slot(ev->ctx, e->slot, &v) ? v : unknown();
  }
  return operand(e, ev);
}

/* The truth of e when nothing is recorded and no fact spans a range
 * (ev->quiet, no vary_slots): what val_truth(tg__expr_value(e, ev)) gives,
 * with the same lookups and memberships in the same order, without
 * making a value of each logical part. */
static int quiet_truth(const tg__expr *e, tg__eval *ev) {
  int ta, tb;
  switch (e->kind) {
  case TG__EX_BOOL: return e->num != 0;
  case TG__EX_AND:
    if ((ta = quiet_truth(e->a, ev)) == 0) return 0;
    if ((tb = quiet_truth(e->b, ev)) == 0) return 0;
    return ta == 1 && tb == 1 ? 1 : -1;
  case TG__EX_OR:
    if ((ta = quiet_truth(e->a, ev)) == 1) return 1;
    if ((tb = quiet_truth(e->b, ev)) == 1) return 1;
    return ta == 0 && tb == 0 ? 0 : -1;
  case TG__EX_NOT:
    ta = quiet_truth(e->a, ev);
    return ta < 0 ? -1 : !ta;
  case TG__EX_CMP: {
    tg__val a = quiet_operand(e->a, ev), b = quiet_operand(e->b, ev);
    return compare(e->op, a, b);
  }
  case TG__EX_IN:
  case TG__EX_NOTIN: {
    tg__val a = quiet_operand(e->a, ev), b = quiet_operand(e->b, ev);
    int r = membership(ev, a, e->b, b);
    return e->kind == TG__EX_NOTIN && r >= 0 ? !r : r;
  }
  default: {
    tg__val v = tg__expr_value(e, ev);
    return val_truth(&v);
  }
  }
}

int tg__expr_truth(const tg__expr *e, tg__eval *ev) {
  if (ev->quiet && !ev->vary_slots) return quiet_truth(e, ev);
  tg__val v = tg__expr_value(e, ev);
  return val_truth(&v);
}

/* ---- residual conditions ---------------------------------------------- */

typedef struct rbuf {
  char *p;
  size_t n, o;
} rbuf;

static void rput(rbuf *b, const char *s, size_t len) {
  if (b->o + 1 >= b->n) return;
  if (len > b->n - b->o - 1) len = b->n - b->o - 1;
  memcpy(b->p + b->o, s, len);
  b->o += len;
  b->p[b->o] = '\0';
}

/* The truths of e's parts, each part evaluated once: AND, OR and NOT
 * from their operands' truths (as tg__expr_value combines them), any
 * other part by evaluation in a scratch context that records nothing
 * (recording never changes a truth).  The parts of a packed tree are
 * remembered by their index in its block. */
#define MEMO_NODES 256

typedef struct truths {
  tg__eval scratch; /* set up field by field: the comparison and unknown
                       arrays (kilobytes) are neither copied nor cleared */
  const tg__expr *root;          /* a packed tree's block, or NULL */
  signed char memo[MEMO_NODES];  /* 2: not known yet */
} truths;

static int part_truth(truths *x, const tg__expr *e) {
  size_t i = x->root ? (size_t)(e - x->root) : MEMO_NODES;
  if (i < MEMO_NODES && x->memo[i] != 2) return x->memo[i];
  int t, ta, tb;
  switch (e->kind) {
  case TG__EX_AND: /* short-circuit as evaluation does: a membership's
                     * callback notes the group changes it looked at */
    ta = part_truth(x, e->a);
    tb = ta == 0 ? 0 : part_truth(x, e->b);
    t = ta == 0 || tb == 0 ? 0 : (ta == 1 && tb == 1 ? 1 : -1);
    break;
  case TG__EX_OR:
    ta = part_truth(x, e->a);
    tb = ta == 1 ? 1 : part_truth(x, e->b);
    t = ta == 1 || tb == 1 ? 1 : (ta == 0 && tb == 0 ? 0 : -1);
    break;
  case TG__EX_NOT:
    ta = part_truth(x, e->a);
    t = ta < 0 ? -1 : !ta;
    break;
  default:
    x->scratch.ncompares = 0;
    x->scratch.nunknowns = 0;
    t = tg__expr_truth(e, &x->scratch);
  }
  if (i < MEMO_NODES) x->memo[i] = (signed char)t;
  return t;
}

/* Appends the part of e that the facts leave open: conjuncts that hold and
 * disjuncts that fail are dropped, the rest is written as in the source. */
static void residual(const tg__expr *e, truths *x, const tg__eval *ev, rbuf *b, bool nested) {
  if (e->kind == TG__EX_AND || e->kind == TG__EX_OR) {
    const tg__expr *parts[2] = {e->a, e->b};
    int drop = e->kind == TG__EX_AND ? 1 : 0;
    int open = 0, t[2];
    for (int i = 0; i < 2; i++) open += (t[i] = part_truth(x, parts[i])) != drop;
    if (open == 1) {
      for (int i = 0; i < 2; i++)
        if (t[i] != drop) residual(parts[i], x, ev, b, nested);
      return;
    }
    if (nested) rput(b, "(", 1);
    residual(parts[0], x, ev, b, parts[0]->kind != e->kind);
    rput(b, e->kind == TG__EX_AND ? " and " : " or ", 5 - (e->kind == TG__EX_OR));
    residual(parts[1], x, ev, b, parts[1]->kind != e->kind);
    if (nested) rput(b, ")", 1);
    return;
  }
  if (e->kind == TG__EX_NOT) {
    rput(b, "not ", 4);
    residual(e->a, x, ev, b, true);
    return;
  }
  char s[256];
  span(ev, e, s, sizeof s);
  rput(b, s, strlen(s));
}

void tg__expr_residual(const tg__expr *e, const tg__eval *ev, char *out, size_t n) {
  rbuf b = {out, n, 0};
  if (n) out[0] = '\0';
  truths x;
  x.scratch.lookup = ev->lookup;
  x.scratch.in_group = ev->in_group;
  x.scratch.lookup_slot = ev->lookup_slot;
  x.scratch.ctx = ev->ctx;
  x.scratch.quiet = true;
  x.scratch.vary_slots = ev->vary_slots;
  x.scratch.unsettled = false;
  x.scratch.src = ev->src;
  x.root = e->packed ? e : NULL;
  memset(x.memo, 2, sizeof x.memo);
  int t = part_truth(&x, e);
  if (t >= 0) {
    rput(&b, t ? "true" : "false", t ? 4 : 5);
    return;
  }
  residual(e, &x, ev, &b, false);
}
