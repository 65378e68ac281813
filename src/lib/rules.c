/* rules.c - reading and validating rule-set files (YAML).  Every error
 * names file:line:column and what was expected.  See docs/RULES.md. */
#include "rules_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_int.h"

const char *const tg__fact_names[] = {
#define TG__FACT_NAME(id, name) name,
    TG__FACTS(TG__FACT_NAME)
#undef TG__FACT_NAME
#define TG__ATTEST_NAME(aname, fact, meaning) #fact,
    TG_ATTESTATIONS(TG__ATTEST_NAME)
#undef TG__ATTEST_NAME
    NULL};

int tg__fact_slot(const char *name) {
  /* the first two bytes first (every name has two; a shorter name stops
   * at its NUL): hot in reason texts */
  for (int i = 0; tg__fact_names[i]; i++)
    if (name[0] == tg__fact_names[i][0] && name[0] && name[1] == tg__fact_names[i][1] &&
        !strcmp(name, tg__fact_names[i]))
      return i;
  return TG__SLOT_NAME;
}

bool tg__is_fact_name(const char *name) { return tg__fact_slot(name) != TG__SLOT_NAME; }

/* Group names live in one static block so values can borrow them and a
 * pooled name's index is its offset (countries keep a bitmask of them). */
static const char group_pool[TG__GROUP_POOL][6] = {
    "A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B", "D:1", "D:2", "D:3",
    "D:4", "D:5", "E:1", "E:2", "AT 1", "AT 2", "RS 1", "RS 2", "NS 1", "NS 2",
    "CB 1", "CB 2", "CB 3", "NP 1", "NP 2", "MT 1", "FC 1", "CC 1", "CC 2", "CC 3"};

const char *tg__group_pool(int i) { return group_pool[i]; }

int tg__group_pool_index(const char *name) {
  uintptr_t p = (uintptr_t)name, base = (uintptr_t)group_pool[0];
  if (p < base || p >= base + sizeof group_pool || (p - base) % sizeof group_pool[0]) return -1;
  return (int)((p - base) / sizeof group_pool[0]);
}

const char *tg__group_pooled(const char *ident) {
  char g[16];
  if (!tg__group_ident(ident, g, sizeof g)) return NULL;
  for (int i = 0; i < TG__GROUP_POOL; i++)
    if (!strcmp(group_pool[i], g)) return group_pool[i];
  return NULL;
}

bool tg__group_ident(const char *name, char *out, size_t n) {
  /* A group: one capital letter and digits (D5 -> D:5), or "B".
   * A chart column: two capitals and a digit (AT1 -> AT 1). */
  size_t l = strlen(name);
  if (l == 1 && name[0] == 'B') {
    snprintf(out, n, "B");
    return true;
  }
  if (l >= 2 && isupper((unsigned char)name[0]) && isdigit((unsigned char)name[1])) {
    for (size_t i = 1; i < l; i++)
      if (!isdigit((unsigned char)name[i])) return false;
    snprintf(out, n, "%c:%s", name[0], name + 1);
    return true;
  }
  if (l == 3 && isupper((unsigned char)name[0]) && isupper((unsigned char)name[1]) &&
      isdigit((unsigned char)name[2])) {
    snprintf(out, n, "%c%c %c", name[0], name[1], name[2]);
    return true;
  }
  return false;
}

typedef struct loader {
  tg__yaml y;
  tg_error *err;
  tg_status st;
  size_t bad_ident_pos; /* byte offset of the first unknown name */
  char bad_ident[64];
} loader;

static tg_status text_field(loader *L, tg__ynode *map, const char *key,
                            bool required, char **out) {
  *out = NULL;
  tg__ynode *n = tg__yaml_get(map, key);
  if (!n || tg__yaml_is_null(n)) {
    if (required)
      return tg__yaml_error(&L->y, map, L->err, TG_EPARSE, "missing '%s'", key);
    return TG_OK;
  }
  if (!tg__yaml_is_scalar(n))
    return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "'%s' expects text", key);
  *out = tg__yaml_strdup(n);
  if (!*out) return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "'%s' is not valid text", key);
  return TG_OK;
}

static tg_status date_field(loader *L, tg__ynode *map, const char *key,
                            bool required, tg_date *out, bool *has) {
  tg__ynode *n = tg__yaml_get(map, key);
  if (has) *has = false;
  if (!n || tg__yaml_is_null(n)) {
    if (required) return tg__yaml_error(&L->y, map, L->err, TG_EPARSE, "missing '%s'", key);
    return TG_OK;
  }
  char *s = tg__yaml_strdup(n);
  tg_status st = s ? tg_date_parse(s, out) : TG_EINVAL;
  tg__free(s);
  if (st != TG_OK)
    return tg__yaml_error(&L->y, n, L->err, TG_EPARSE,
                          "'%s' expects a date YYYY-MM-DD", key);
  if (has) *has = true;
  return TG_OK;
}

static tg_status list_field(loader *L, tg__ynode *map, const char *key,
                            char ***out, size_t *count) {
  *out = NULL;
  *count = 0;
  tg__ynode *n = tg__yaml_get(map, key);
  if (!n) return TG_OK;
  if (tg__yaml_is_scalar(n) && !tg__yaml_is_null(n)) { /* one item */
    *out = tg__calloc(1, sizeof **out);
    if (!*out || !((*out)[0] = tg__yaml_strdup(n)))
      return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "'%s' is not valid text", key);
    *count = 1;
    return TG_OK;
  }
  if (!tg__yaml_is_seq(n))
    return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "'%s' expects a list of text", key);
  int k = tg__yaml_count(n);
  *out = tg__calloc((size_t)(k > 0 ? k : 1), sizeof **out);
  if (!*out) return tg__set_error(L->err, TG_ENOMEM, "out of memory");
  void *it = NULL;
  tg__ynode *item;
  while ((item = tg__yaml_seq_next(n, &it)) != NULL) {
    char *s = tg__yaml_strdup(item);
    if (!s) return tg__yaml_error(&L->y, item, L->err, TG_EPARSE, "'%s' items must be text", key);
    (*out)[(*count)++] = s;
  }
  return TG_OK;
}

static void check_ident(void *arg, const tg__expr *e) {
  loader *L = arg;
  char g[16];
  if (L->bad_ident[0]) return;
  if (tg__is_fact_name(e->str) || tg__group_ident(e->str, g, sizeof g)) return;
  snprintf(L->bad_ident, sizeof L->bad_ident, "%s", e->str);
  L->bad_ident_pos = e->start;
}

typedef struct capacity {
  size_t compares;
  const char *names[TG__MAX_UNKNOWNS + 1];
  size_t nnames;
} capacity;

static void count_node(void *arg, const tg__expr *x) {
  capacity *c = arg;
  if (x->slot == TG__SLOT_GROUP) return; /* a group is never unknown */
  for (size_t i = 0; i < c->nnames; i++)
    if (!strcmp(c->names[i], x->str)) return;
  if (c->nnames <= TG__MAX_UNKNOWNS) c->names[c->nnames++] = x->str;
}

static size_t count_compares(const tg__expr *e) {
  if (!e) return 0;
  size_t n = e->kind == TG__EX_CMP || e->kind == TG__EX_IN || e->kind == TG__EX_NOTIN;
  n += count_compares(e->a) + count_compares(e->b);
  for (size_t i = 0; i < e->nitems; i++) n += count_compares(e->items[i]);
  return n;
}

/* An evaluation records every comparison and every unknown name; an
 * expression that could overflow those records is refused, never cut. */
static bool within_capacity(const tg__expr *e, char *msg, size_t n) {
  capacity c = {0};
  c.compares = count_compares(e);
  tg__expr_idents(e, count_node, &c);
  if (c.compares > TG__MAX_COMPARES) {
    snprintf(msg, n, "too many comparisons (%zu; at most %d): split the rule", c.compares,
             TG__MAX_COMPARES);
    return false;
  }
  if (c.nnames > TG__MAX_UNKNOWNS) {
    snprintf(msg, n, "too many facts (more than %d): split the rule", TG__MAX_UNKNOWNS);
    return false;
  }
  return true;
}

/* Parses the expression in node n; reports errors at the right column. */
static tg_status expr_field(loader *L, tg__ynode *map, const char *key,
                            bool required, tg__expr **out, char **src) {
  *out = NULL;
  *src = NULL;
  tg__ynode *n = tg__yaml_get(map, key);
  if (!n || tg__yaml_is_null(n)) {
    if (required) return tg__yaml_error(&L->y, map, L->err, TG_EPARSE, "missing '%s'", key);
    return TG_OK;
  }
  bool b;
  char *s = tg__yaml_is_scalar(n) ? tg__yaml_strdup(n) : NULL;
  if (!s)
    return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "'%s' expects an expression", key);
  if (tg__yaml_bool(n, &b)) { /* a bare true/false is a valid expression */ }
  size_t errpos = 0;
  char msg[160];
  tg__expr *e = tg__expr_parse(s, &errpos, msg, sizeof msg);
  if (e) {
    L->bad_ident[0] = '\0';
    tg__expr_idents(e, check_ident, L);
    if (L->bad_ident[0]) {
      snprintf(msg, sizeof msg,
               "unknown name '%s' (facts are listed in docs/RULES.md; quote text values, "
               "e.g. \"CN\")", L->bad_ident);
      errpos = L->bad_ident_pos;
      tg__expr_free(e);
      e = NULL;
    }
  }
  if (e) tg__expr_resolve(e, tg__fact_slot, tg__group_pooled);
  if (e && !within_capacity(e, msg, sizeof msg)) {
    errpos = 0;
    tg__expr_free(e);
    e = NULL;
  }
  if (!e) {
    int line, col;
    tg__yaml_pos(n, &line, &col);
    /* the position of a quoted scalar is already its first character,
     * past the opening quote */
    tg__ystyle style = tg__yaml_style(n);
    bool single_line = strchr(s, '\n') == NULL && style != TG__YS_LITERAL && style != TG__YS_FOLDED;
    tg_status st;
    if (single_line)
      st = tg__set_error(L->err, TG_EPARSE, "%s:%d:%d: in '%s': %s", L->y.origin, line,
                         col + (int)errpos, key, msg);
    else
      st = tg__set_error(L->err, TG_EPARSE, "%s:%d:%d: in '%s' (at offset %zu): %s",
                         L->y.origin, line, col, key, errpos, msg);
    tg__free(s);
    return st;
  }
  *out = e;
  *src = s;
  return TG_OK;
}

static void note_read(void *arg, const tg__expr *x) {
  _Static_assert(TG__NFACTS < 62, "a fact slot is a bit of tg__rule.reads");
  _Static_assert(TG__FACT_TPP == 0 && TG__FACT_ALSO_MEETS == 12, "TG__ITEM_READS");
  uint64_t *m = arg;
  if (x->slot >= 0) *m |= TG__READS(x->slot);
  else *m |= x->slot == TG__SLOT_GROUP ? TG__READS_GROUP : TG__READS_NAME;
}

/* The fact slots e reads (tg__rule.reads). */
static uint64_t expr_reads(const tg__expr *e) {
  uint64_t m = 0;
  if (e) tg__expr_idents(e, note_read, &m);
  return m;
}

int tg__policy_rank(const char *policy) {
  if (!policy) return 0;
#define TG__POLICY_RANK(id, name, rank) \
  if (!strcmp(policy, name)) return rank;
  TG__POLICIES(TG__POLICY_RANK)
#undef TG__POLICY_RANK
  return 0;
}

/* "presumption_of_denial, case_by_case or presumption_of_approval" */
static const char *policy_list(char *out, size_t n) {
  static const char *const names[] = {
#define TG__POLICY_NAME(id, name, rank) name,
      TG__POLICIES(TG__POLICY_NAME)
#undef TG__POLICY_NAME
  };
  const size_t k = sizeof names / sizeof *names;
  size_t o = 0;
  out[0] = '\0';
  for (size_t i = 0; i < k && o < n; i++)
    o += (size_t)snprintf(out + o, n - o, "%s%s", i == 0 ? "" : i + 1 == k ? " or " : ", ",
                          names[i]);
  return out;
}

static bool valid_policy(const char *p) {
  return tg__policy_rank(p) > 0;
}

static const char *const verifications[] = {"verified", "secondary", "estimate",
                                            "unverified", NULL};
static tg_status verification_field(loader *L, tg__ynode *map, bool required,
                                    char **out) {
  tg_status st = text_field(L, map, "verification", required, out);
  if (st != TG_OK || !*out) return st;
  for (int i = 0; verifications[i]; i++)
    if (!strcmp(*out, verifications[i])) return TG_OK;
  return tg__yaml_error(&L->y, tg__yaml_get(map, "verification"), L->err, TG_EPARSE,
                        "'verification' expects verified, secondary, estimate or unverified");
}

/* "15%" or "12.5%" -> parts per million, exactly. */
static bool parse_rate(const char *s, int64_t *ppm) {
  int64_t whole = 0, frac = 0;
  int fdigits = 0;
  const char *p = s;
  if (!isdigit((unsigned char)*p)) return false;
  while (isdigit((unsigned char)*p)) {
    whole = whole * 10 + (*p++ - '0');
    if (whole > 100) return false;
  }
  if (*p == '.') {
    p++;
    while (isdigit((unsigned char)*p)) {
      if (fdigits == 4) return false;
      frac = frac * 10 + (*p++ - '0');
      fdigits++;
    }
  }
  if (strcmp(p, "%") != 0) return false;
  while (fdigits < 4) {
    frac *= 10;
    fdigits++;
  }
  *ppm = whole * 10000 + frac;
  return *ppm <= 1000000;
}

/* conditions: a list of text, or of {text, tpp_cap_percent} for a volume
 * cap the ledger enforces. */
static tg_status conditions_field(loader *L, tg__ynode *map, tg__rule *r) {
  tg__ynode *n = tg__yaml_get(map, "conditions");
  if (!n) return TG_OK;
  if (!tg__yaml_is_seq(n))
    return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "'conditions' expects a list");
  int k = tg__yaml_count(n);
  r->conditions = tg__calloc((size_t)(k > 0 ? k : 1), sizeof *r->conditions);
  r->condition_caps = tg__calloc((size_t)(k > 0 ? k : 1), sizeof *r->condition_caps);
  if (!r->conditions || !r->condition_caps) return tg__set_error(L->err, TG_ENOMEM, "out of memory");
  void *it = NULL;
  tg__ynode *item;
  while ((item = tg__yaml_seq_next(n, &it)) != NULL) {
    size_t i = r->nconditions;
    tg__ynode *text = item, *cap = NULL;
    if (tg__yaml_is_map(item)) {
      void *it2 = NULL;
      tg__ypair *p;
      while ((p = tg__yaml_map_next(item, &it2)) != NULL) {
        tg__ynode *key = tg__yaml_pair_key(p);
        if (!tg__yaml_eq(key, "text") && !tg__yaml_eq(key, "tpp_cap_percent"))
          return tg__yaml_error(&L->y, key, L->err, TG_EPARSE,
                                "a condition has 'text' and optionally 'tpp_cap_percent'");
      }
      text = tg__yaml_get(item, "text");
      cap = tg__yaml_get(item, "tpp_cap_percent");
    }
    if (!tg__yaml_is_scalar(text) || tg__yaml_is_null(text) ||
        !(r->conditions[i] = tg__yaml_strdup(text)))
      return tg__yaml_error(&L->y, text ? text : item, L->err, TG_EPARSE,
                            "a condition needs its text");
    r->nconditions++;
    if (cap) {
      double d;
      if (!tg__yaml_number(cap, &d) || d <= 0 || d > 1000 || d != floor(d))
        return tg__yaml_error(&L->y, cap, L->err, TG_EPARSE,
                              "'tpp_cap_percent' expects a whole percentage (1-1000)");
      r->condition_caps[i] = (int)d;
    }
  }
  return TG_OK;
}

const char *const tg__rule_kind_names[TG__R_NKINDS] = {
#define TG__RK_NAME(e, s) s,
    TG__RULE_KINDS(TG__RK_NAME)
#undef TG__RK_NAME
};
static const char *const known_keys[] = {
    "id", "classify", "require_license", "exception", "review_policy", "fee",
    "warning", "subject_to_ear", "when", "unless", "cite", "text", "note", "verification",
    "precedence", "policy", "overcomes", "notification_days", "applies_to",
    "conditions", "basis", "collected_as", "relevant_when", NULL};

static tg_status read_policy(loader *L, tg__ynode *n, tg__rule *r) {
  char pl[96];
  if (!n) return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "missing 'policy'");
  if (tg__yaml_is_scalar(n)) {
    r->cases = tg__calloc(1, sizeof *r->cases);
    if (!r->cases) return tg__set_error(L->err, TG_ENOMEM, "out of memory");
    r->ncases = 1;
    r->cases[0].policy = tg__yaml_strdup(n);
    if (!r->cases[0].policy || !valid_policy(r->cases[0].policy))
      return tg__yaml_error(&L->y, n, L->err, TG_EPARSE,
                            "'policy' expects %s", policy_list(pl, sizeof pl));
    return TG_OK;
  }
  if (!tg__yaml_is_seq(n))
    return tg__yaml_error(&L->y, n, L->err, TG_EPARSE,
                          "'policy' expects a policy or a list of {when, policy}");
  int k = tg__yaml_count(n);
  r->cases = tg__calloc((size_t)(k > 0 ? k : 1), sizeof *r->cases);
  if (!r->cases) return tg__set_error(L->err, TG_ENOMEM, "out of memory");
  void *it = NULL;
  tg__ynode *item;
  while ((item = tg__yaml_seq_next(n, &it)) != NULL) {
    tg__policy_case *c = &r->cases[r->ncases++];
    if (!tg__yaml_is_map(item))
      return tg__yaml_error(&L->y, item, L->err, TG_EPARSE, "a policy case is {when, policy}");
    tg_status st = expr_field(L, item, "when", false, &c->when, &c->when_src);
    if (st == TG_OK) st = text_field(L, item, "policy", true, &c->policy);
    if (st != TG_OK) return st;
    if (!valid_policy(c->policy))
      return tg__yaml_error(&L->y, tg__yaml_get(item, "policy"), L->err, TG_EPARSE,
                            "'policy' expects %s", policy_list(pl, sizeof pl));
  }
  if (r->ncases == 0) return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "'policy' is empty");
  return TG_OK;
}

static tg_status read_rule(loader *L, tg__ynode *n, tg__rule *r) {
  if (!tg__yaml_is_map(n))
    return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "a rule must be a mapping");
  int line, col;
  tg__yaml_pos(n, &line, &col);
  r->line = line;
  void *it = NULL;
  tg__ypair *p;
  while ((p = tg__yaml_map_next(n, &it)) != NULL) {
    tg__ynode *k = tg__yaml_pair_key(p);
    bool ok = false;
    for (int i = 0; known_keys[i]; i++) ok |= tg__yaml_eq(k, known_keys[i]);
    if (!ok) {
      char *ks = tg__yaml_strdup(k);
      tg_status st = tg__yaml_error(&L->y, k, L->err, TG_EPARSE, "unknown rule key '%s'",
                                    ks ? ks : "?");
      tg__free(ks);
      return st;
    }
  }
  tg_status st = text_field(L, n, "id", true, &r->id);
  if (st != TG_OK) return st;
  int nk = 0;
  for (int i = 0; i < TG__R_NKINDS; i++) {
    tg__ynode *v = tg__yaml_get(n, tg__rule_kind_names[i]);
    if (!v) continue;
    nk++;
    r->kind = (tg__rkind)i;
    tg__free(r->effect); /* a second kind is an error below; do not leak the first */
    if ((st = text_field(L, n, tg__rule_kind_names[i], true, &r->effect)) != TG_OK) return st;
  }
  if (nk != 1)
    return tg__yaml_error(&L->y, n, L->err, TG_EPARSE,
                          "rule '%s' needs exactly one of classify, require_license, "
                          "exception, review_policy, fee, warning, subject_to_ear", r->id);
  if ((st = expr_field(L, n, "when", true, &r->when, &r->when_src)) != TG_OK) return st;
  if ((st = expr_field(L, n, "unless", false, &r->unless, &r->unless_src)) != TG_OK) return st;
  if ((st = expr_field(L, n, "relevant_when", false, &r->relevant, &r->relevant_src)) != TG_OK)
    return st;
  r->reads = expr_reads(r->when) | expr_reads(r->unless);
  r->relevant_reads = expr_reads(r->relevant);
  if ((st = text_field(L, n, "cite", true, &r->cite)) != TG_OK) return st;
  if ((st = text_field(L, n, "text", true, &r->text)) != TG_OK) return st;
  if ((st = text_field(L, n, "note", false, &r->note)) != TG_OK) return st;
  if ((st = verification_field(L, n, false, &r->verification)) != TG_OK) return st;
  if ((st = conditions_field(L, n, r)) != TG_OK) return st;
  tg__ynode *v;
  char pl[96];
  switch (r->kind) {
  case TG__R_CLASSIFY: {
    double d = 0;
    v = tg__yaml_get(n, "precedence");
    if (!v || !tg__yaml_number(v, &d) || d != floor(d) || fabs(d) > 1e6)
      return tg__yaml_error(&L->y, v ? v : n, L->err, TG_EPARSE,
                            "a classify rule needs an integer 'precedence' (higher wins)");
    r->precedence = (int)d;
    break;
  }
  case TG__R_LICENSE:
    if (!tg__yaml_get(n, "policy")) /* no node to position on: use the rule */
      return tg__yaml_error(&L->y, n, L->err, TG_EPARSE, "missing 'policy'");
    if ((st = read_policy(L, tg__yaml_get(n, "policy"), r)) != TG_OK) return st;
    break;
  case TG__R_EXCEPTION:
    if ((st = list_field(L, n, "overcomes", &r->targets, &r->ntargets)) != TG_OK) return st;
    if (r->ntargets == 0)
      return tg__yaml_error(&L->y, n, L->err, TG_EPARSE,
                            "an exception needs 'overcomes': the license rules it overcomes");
    v = tg__yaml_get(n, "notification_days");
    if (v) {
      double d;
      if (!tg__yaml_number(v, &d) || d < 0 || d > 365 || d != floor(d))
        return tg__yaml_error(&L->y, v, L->err, TG_EPARSE,
                              "'notification_days' expects a whole number of days (0-365)");
      r->notification_days = (int)d;
    }
    break;
  case TG__R_POLICY:
    if (!valid_policy(r->effect))
      return tg__yaml_error(&L->y, tg__yaml_get(n, "review_policy"), L->err, TG_EPARSE,
                            "'review_policy' expects %s", policy_list(pl, sizeof pl));
    if ((st = list_field(L, n, "applies_to", &r->targets, &r->ntargets)) != TG_OK) return st;
    if (r->ntargets == 0)
      return tg__yaml_error(&L->y, n, L->err, TG_EPARSE,
                            "a review_policy rule needs 'applies_to': license rule ids");
    break;
  case TG__R_FEE:
    if (!parse_rate(r->effect, &r->rate_ppm))
      return tg__yaml_error(&L->y, tg__yaml_get(n, "fee"), L->err, TG_EPARSE,
                            "'fee' expects a percentage such as 15%% or 12.5%%");
    if ((st = text_field(L, n, "basis", true, &r->basis)) != TG_OK) return st;
    if ((st = text_field(L, n, "collected_as", false, &r->collected_as)) != TG_OK) return st;
    break;
  case TG__R_WARNING:
  case TG__R_SUBJECT:
  case TG__R_NKINDS:
    break;
  }
  return TG_OK;
}

static const char *const set_keys[] = {
    "rule_set", "title", "jurisdiction", "citation", "source", "published",
    "effective", "ends", "not_enforced_from", "compliance_from", "verification", "notes",
    "rules", NULL};

static bool jurisdiction_foreign(const tg__ruleset *rs) {
  /* a two-letter country code other than US ("CN", "MY", "CN (guidance)") */
  const char *j = rs->jurisdiction;
  if (!j) return false;
  size_t n = 0;
  while (j[n] >= 'A' && j[n] <= 'Z') n++;
  return n == 2 && strncmp(j, "US", 2) != 0;
}

tg_status tg__ruleset_parse(const char *text, size_t len, const char *origin,
                            tg__ruleset **out, tg_error *err) {
  *out = NULL;
  loader L = {.err = err};
  tg_status st = tg__yaml_load(&L.y, text, len, origin, err);
  if (st != TG_OK) return st;
  tg__ruleset *rs = tg__calloc(1, sizeof *rs);
  if (!rs || !(rs->file = tg__strdup(origin))) {
    tg__free(rs);
    tg__yaml_free(&L.y);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  tg__ynode *root = tg__yaml_root(&L.y);
  if (!tg__yaml_is_map(root)) {
    st = tg__yaml_error(&L.y, root, err, TG_EPARSE, "a rule set must be a mapping");
    goto fail;
  }
  void *it = NULL;
  tg__ypair *p;
  while ((p = tg__yaml_map_next(root, &it)) != NULL) {
    tg__ynode *k = tg__yaml_pair_key(p);
    bool ok = false;
    for (int i = 0; set_keys[i]; i++) ok |= tg__yaml_eq(k, set_keys[i]);
    if (!ok) {
      char *ks = tg__yaml_strdup(k);
      st = tg__yaml_error(&L.y, k, err, TG_EPARSE, "unknown rule-set key '%s'", ks ? ks : "?");
      tg__free(ks);
      goto fail;
    }
  }
  if ((st = text_field(&L, root, "rule_set", true, &rs->id)) ||
      (st = text_field(&L, root, "title", true, &rs->title)) ||
      (st = text_field(&L, root, "jurisdiction", true, &rs->jurisdiction)) ||
      (st = text_field(&L, root, "citation", true, &rs->citation)) ||
      (st = text_field(&L, root, "source", true, &rs->source)) ||
      (st = text_field(&L, root, "notes", false, &rs->notes)) ||
      (st = verification_field(&L, root, true, &rs->verification)) ||
      (st = date_field(&L, root, "published", false, &rs->published, &rs->has_published)) ||
      (st = date_field(&L, root, "effective", true, &rs->effective, NULL)) ||
      (st = date_field(&L, root, "ends", false, &rs->ends, &rs->has_ends)) ||
      (st = date_field(&L, root, "not_enforced_from", false, &rs->not_enforced_from,
                       &rs->has_not_enforced)) ||
      (st = date_field(&L, root, "compliance_from", false, &rs->compliance_from,
                       &rs->has_compliance)))
    goto fail;
  rs->foreign = jurisdiction_foreign(rs);
  if (rs->has_ends && rs->ends <= rs->effective) {
    st = tg__yaml_error(&L.y, tg__yaml_get(root, "ends"), err, TG_EPARSE,
                        "'ends' must be after 'effective'");
    goto fail;
  }
  tg__ynode *rules = tg__yaml_get(root, "rules");
  if (!tg__yaml_is_seq(rules)) {
    st = tg__yaml_error(&L.y, rules ? rules : root, err, TG_EPARSE, "expected a 'rules' list");
    goto fail;
  }
  int n = tg__yaml_count(rules);
  rs->rules = tg__calloc((size_t)(n > 0 ? n : 1), sizeof *rs->rules);
  if (!rs->rules) {
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
    goto fail;
  }
  it = NULL;
  tg__ynode *item;
  while ((item = tg__yaml_seq_next(rules, &it)) != NULL) {
    tg__rule *r = &rs->rules[rs->nrules++];
    r->set = rs;
    if ((st = read_rule(&L, item, r)) != TG_OK) goto fail;
    for (size_t i = 0; i + 1 < rs->nrules; i++)
      if (!strcmp(rs->rules[i].id, r->id)) {
        st = tg__yaml_error(&L.y, item, err, TG_EPARSE, "rule id '%s' is used twice", r->id);
        goto fail;
      }
  }
  tg__yaml_free(&L.y);
  *out = rs;
  return TG_OK;
fail:
  tg__yaml_free(&L.y);
  tg__ruleset_free(rs);
  return st;
}

static void free_strs(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) tg__free(v[i]);
  tg__free(v);
}

void tg__ruleset_free(tg__ruleset *rs) {
  if (!rs) return;
  for (size_t i = 0; i < rs->nrules; i++) {
    tg__rule *r = &rs->rules[i];
    tg__free(r->id);
    tg__free(r->effect);
    tg__expr_free(r->when);
    tg__expr_free(r->unless);
    tg__expr_free(r->relevant);
    tg__free(r->relevant_src);
    tg__free(r->when_src);
    tg__free(r->unless_src);
    tg__free(r->cite);
    tg__free(r->text);
    tg__free(r->note);
    tg__free(r->verification);
    for (size_t j = 0; j < r->ncases; j++) {
      tg__expr_free(r->cases[j].when);
      tg__free(r->cases[j].when_src);
      tg__free(r->cases[j].policy);
    }
    tg__free(r->cases);
    free_strs(r->targets, r->ntargets);
    free_strs(r->conditions, r->nconditions);
    tg__free(r->condition_caps);
    tg__free(r->basis);
    tg__free(r->collected_as);
  }
  tg__free(rs->rules);
  char *strs[] = {rs->id, rs->title, rs->jurisdiction, rs->citation, rs->source,
                  rs->notes, rs->verification, rs->file};
  for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) tg__free(strs[i]);
  tg__free(rs);
}

bool tg__ruleset_in_force(const tg__ruleset *rs, tg_date d) {
  return d >= rs->effective && (!rs->has_ends || d < rs->ends);
}

bool tg__ruleset_foreign(const tg__ruleset *rs) { return rs->foreign; }

bool tg__ruleset_applied(const tg__ruleset *rs, tg_date d) {
  return tg__ruleset_in_force(rs, d) && !(rs->has_compliance && d < rs->compliance_from) &&
         !(rs->has_not_enforced && d >= rs->not_enforced_from);
}

const char *tg__ruleset_status(const tg__ruleset *rs, tg_date d) {
  if (d < rs->effective) return "not_yet_effective";
  if (rs->has_ends && d >= rs->ends) return "ended";
  if (rs->has_not_enforced && d >= rs->not_enforced_from) return "not_enforced";
  if (rs->has_compliance && d < rs->compliance_from) return "compliance_pending";
  return "in_force";
}

tg_status tg_rules_validate(const char *text, size_t len, const char *origin,
                            tg_error *err) {
  if (!text) return tg__set_error(err, TG_EINVAL, "no text");
  tg__ruleset *rs;
  tg_status st = tg__ruleset_parse(text, len, origin ? origin : "rules", &rs, err);
  tg__ruleset_free(rs);
  return st;
}
