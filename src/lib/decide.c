/* decide.c - classification and license determination: the rule sets in
 * force on the date are evaluated in phases (classify, require_license,
 * review_policy, exception, fee, warning) over the facts, and the result
 * carries every reason with its citation and the numbers compared.
 * Resolution: the highest-precedence ECCN wins; a requirement stands
 * unless an exception that overcomes it applies; the strictest review
 * policy among standing requirements applies; fees add up.  A rule whose
 * outcome is unknown is treated conservatively and named. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "decide_int.h"
#include "jval_int.h"
#include "jw_int.h"
#include "jurisdictions_int.h"
#include "outcome_int.h"
#include "screen_int.h"

static const char DISCLAIMER[] =
    "Tollgate is not legal advice. It applies the rule sets in its data "
    "directory, each with its citation; facts marked unverified or estimated "
    "are flagged where they decide something. Confirm with counsel or BIS.";

/* One evaluated rule, kept as data until its reason is listed: then its
 * JSON text is written, frag[at, at + len). */
typedef struct ev_reason {
  const tg__rule *r;
  int t;
  size_t at, len;          /* at = SIZE_MAX: not written yet */
  size_t text_at;          /* its rendered text in ctx.texts */
  size_t cmp_at, nwhen, nunless; /* its comparisons in ctx.cmps (when's, then unless's) */
  size_t unk_at, nunk;     /* t < 0: the unknown facts' names, one after another in texts */
  const char *policy;      /* a requirement's review policy, or NULL */
} ev_reason;

typedef struct ctx {
  const tg_engine *e;
  tg_date on;
  tg__facts f;
  ev_reason *pool;            /* every rule evaluated with its reason */
  size_t npool, cappool;
  size_t *list;            /* the reasons of the answer (indexes into pool) */
  size_t nlist, caplist;
  bool oom;
  tg__buf frag, texts;
  tg__compare *cmps;       /* the comparisons of every reason in pool */
  size_t ncmps, capcmps;
  json_t *foreign;         /* reasons not from rules (screening, ownership): first */
  /* list members written as text when each item is made (items in frag) */
  tg__spans warnings, flags, not_applied;
  /* what is read back of each flag (parallel to flags): its "fact",
   * "rule" and "confidence" members (NULL: none) */
  struct flag_key { const char *fact, *rule, *confidence; } *flag_keys;
  size_t cap_flag_keys;
  json_t *party_warnings; /* the screening's and ownership's (then warnings) */
  /* the rules whose outcome is unknown ("undetermined"), each written in
   * frag when noted */
  struct undet {
    const tg__rule *r;
    size_t idx;           /* its reason in pool */
    bool requires;        /* it would require a license */
    tg__span item;
  } *undets;
  size_t nundets, capundets;
  tg__spans conditions;    /* license_conditions */
  tg__doc *doc;            /* the answer, member by member (finish gives it) */
  /* the fee member (written by finish, which knows "conditional"): its
   * index in doc + 1 (0: none), rate and arrangements */
  size_t fee_member;
  int64_t fee_rate;
  json_t *fee_rules;
  tg__order_numbers numbers; /* the order's, as the answer shows them */
  json_t *screening; /* what the parties were screened against; NULL = not screened */
  tg__index *ix;      /* the screening index the party facts borrow from, or NULL */
  bool undet;
  bool any_set;
  _Atomic signed char *item_row; /* the chip's kept truths (engine item_truths), or NULL */
  tg__span subject;       /* the subject-to-EAR answer (len 0: none) */
  int cap_percent;        /* smallest aggregate-TPP cap of the conditions (0 = none) */
} ctx;

/* ---- helpers -------------------------------------------------------- */

/* Adds an item (written in frag) to a list member, true when added; an
 * item of len 0 was not written (a NULL or non-UTF-8 value: jansson's
 * array took none). */
static bool add_item(ctx *c, tg__spans *l, tg__span s) {
  if (!s.len) return false;
  if (tg__spans_add(l, s)) return true;
  c->oom = true;
  return false;
}

/* Adds an object of n string members (tg__strs_write) to a list member. */
static void add_strs(ctx *c, tg__spans *l, size_t n, const char *const *kv) {
  add_item(c, l, tg__strs_write(&c->frag, 2, n, kv));
}

static void add_flag(ctx *c, struct flag_key key, size_t n, const char *const *kv) {
  if (!tg__grow(&c->flag_keys, &c->cap_flag_keys, c->flags.n + 1, sizeof *c->flag_keys)) {
    c->oom = true;
    return;
  }
  if (add_item(c, &c->flags, tg__strs_write(&c->frag, 2, n, kv))) c->flag_keys[c->flags.n - 1] = key;
}

/* ---- the answer's members, in order (tg__doc) ------------------------ */

static tg__member *add_member(ctx *c, const char *key, tg__member_kind kind) {
  if (!c->doc || c->doc->n == TG__DOC_MEMBERS) {
    c->oom = true;
    return NULL;
  }
  tg__member *m = &c->doc->m[c->doc->n++];
  m->key = key;
  m->kind = kind;
  return m;
}

/* Member `key`: a jansson value (the reference is the member's). */
static void member_tree(ctx *c, const char *key, json_t *v) {
  tg__member *m = add_member(c, key, TG__M_TREE);
  if (m) m->tree = v;
  else json_decref(v);
}

/* Member `key`: a list whose items were written in frag (taken from l). */
static void member_list(ctx *c, const char *key, tg__spans *l) {
  tg__member *m = add_member(c, key, TG__M_LIST);
  if (m) {
    m->items = *l;
    memset(l, 0, sizeof *l);
  }
}

/* Member `key`: text already in frag. */
static void member_span(ctx *c, const char *key, tg__span s) {
  tg__member *m = add_member(c, key, TG__M_TEXT);
  if (m) m->text = s;
}

/* A writer of a member's value into frag (at depth 1); text_end makes it
 * member `key`. */
static size_t text_begin(ctx *c, tg__jw *w) {
  tg__jw_init_nested(w, &c->frag, TG__DOC_PRECISION, 1);
  return c->frag.len;
}
static void text_end(ctx *c, tg__jw *w, const char *key, size_t at) {
  if (w->failed) c->frag.oom = true;
  member_span(c, key, (tg__span){at, c->frag.len - at});
}

/* A string member of the object w writes (NULL: null); key a string
 * literal that needs no escapes. */
#define member_of(w, key, v) (TG__JW_KEY(w, key), tg__jw_string(w, v))

/* The member when v is UTF-8 text (tg__jtext: none otherwise). */
static void text_member_of(tg__jw *w, const char *key, const char *v) {
  if (!tg__jtext_ok(v)) return;
  tg__jw_key(w, key);
  tg__jw_string(w, v);
}

static void member_str(ctx *c, const char *key, const char *v) {
  tg__jw w;
  size_t at = text_begin(c, &w);
  tg__jw_string(&w, v);
  text_end(c, &w, key, at);
}

static void member_bool(ctx *c, const char *key, bool v) {
  tg__jw w;
  size_t at = text_begin(c, &w);
  tg__jw_bool(&w, v);
  text_end(c, &w, key, at);
}

/* The value of one of the order's numbers (a hole: an answer kept for
 * another quantity or price is filled in there), after its key. */
static void hole(ctx *c, tg__jw *w, tg__hole_kind k) {
  size_t at = c->frag.len;
  tg__hole_write(w, k, &c->numbers);
  if (c->doc && c->doc->nholes < TG__DOC_HOLES)
    c->doc->holes[c->doc->nholes++] = (tg__hole){at, c->frag.len - at, k};
}

/* The fee member's text: its place was taken by check_members. */
static void fee_write(ctx *c, bool conditional) {
  if (!c->fee_member || !c->doc) return;
  tg__jw w;
  size_t at = text_begin(c, &w);
  tg__jw_object(&w);
  TG__JW_KEY(&w, "rate");
  tg__jw_real(&w, (double)c->fee_rate / 1e6);
  TG__JW_KEY(&w, "rate_ppm");
  tg__jw_int(&w, (long long)c->fee_rate);
  TG__JW_KEY(&w, "amount_usd");
  hole(c, &w, TG__H_AMOUNT_USD);
  TG__JW_KEY(&w, "amount_cents");
  hole(c, &w, TG__H_AMOUNT_CENTS);
  TG__JW_KEY(&w, "arrangements");
  tg__jw_tree(&w, c->fee_rules);
  TG__JW_KEY(&w, "conditional");
  tg__jw_bool(&w, conditional);
  tg__jw_end_object(&w);
  if (w.failed) c->frag.oom = true;
  c->doc->m[c->fee_member - 1].text = (tg__span){at, c->frag.len - at};
}

static const char *level_of(const tg__rule *r) {
  return r->verification ? r->verification : r->set->verification;
}

/* Facts compared by a rule whose value is not vendor-published. */
static void flag_facts(ctx *c, const tg__rule *r, const tg__eval *ev) {
  static const struct { const char *fact; size_t off; } metric_facts[] = {
      {"tpp", offsetof(tg__facts, tpp)}, {"pd", offsetof(tg__facts, pd)},
      {"memory_bw", offsetof(tg__facts, mem)}, {"io_bw", offsetof(tg__facts, io)},
      {"hbm_density", offsetof(tg__facts, hbmd)}, {"peak_tops", offsetof(tg__facts, peak)},
      {"datacenter", offsetof(tg__facts, dc)}};
  for (size_t i = 0; i < ev->ncompares; i++) {
    for (size_t k = 0; k < sizeof metric_facts / sizeof *metric_facts; k++) {
      if (strcmp(ev->compares[i].lhs, metric_facts[k].fact) != 0) continue;
      const tg__metric *m = (const tg__metric *)((const char *)&c->f + metric_facts[k].off);
      if (!strcmp(m->confidence, "vendor") || !strcmp(m->confidence, "user")) continue;
      /* once per fact */
      bool seen = false;
      for (size_t j = 0; j < c->flags.n; j++) {
        const char *ff = c->flag_keys[j].fact;
        if (ff && !strcmp(ff, metric_facts[k].fact)) seen = true;
      }
      if (seen) continue;
      char text[256];
      snprintf(text, sizeof text, "%s of %s rests on %s figures%s%s", metric_facts[k].fact,
               c->f.chip->id, m->confidence, m->basis[0] ? " (" : "",
               m->basis[0] ? m->basis : "");
      if (m->basis[0]) strncat(text, ")", sizeof text - strlen(text) - 1);
      add_flag(c, (struct flag_key){metric_facts[k].fact, r->id, m->confidence}, 4,
               (const char *const[]){"fact", metric_facts[k].fact, "confidence", m->confidence,
                                     "rule", r->id, "text", text});
    }
  }
}

static void flag_rule(ctx *c, const tg__rule *r) {
  const char *lvl = level_of(r);
  if (!strcmp(lvl, "verified")) return;
  char text[600];
  tg__cat(text, sizeof text, 8,
          (const char *const[]){"rule ", r->id, " (", r->set->id, ") is ", lvl, r->note ? ": " : "",
                                r->note ? r->note : ""});
  add_flag(c, (struct flag_key){NULL, r->id, NULL}, 3,
           (const char *const[]){"rule", r->id, "level", lvl, "text", text});
}

static const char *pick_policy(ctx *c, const tg__rule *r);

static const char *text_of(const ctx *c, size_t i) {
  return c->texts.oom || i >= c->npool ? "" : c->texts.data + c->pool[i].text_at;
}

/* Writes reason i's JSON text (once). */
static void write_reason(ctx *c, size_t i) {
  ev_reason *x = &c->pool[i];
  if (x->at != SIZE_MAX) return;
  const char *unk[2 * TG__MAX_UNKNOWNS];
  /* Out of memory the texts are gone: every unknown reads "" (never walk past it). */
  const char *u = c->texts.oom ? NULL : c->texts.data + x->unk_at;
  for (size_t k = 0; k < x->nunk; k++) {
    unk[k] = u ? u : "";
    if (u) u += strlen(u) + 1;
  }
  x->at = c->frag.len;
  tg__reason_write(&c->frag, &(tg__reason_in){.rule = x->r, .truth = x->t,
                                              .text = text_of(c, i),
                                              .compares = c->cmps + x->cmp_at,
                                              .nwhen = x->nwhen, .nunless = x->nunless,
                                              .unknowns = unk, .nunknowns = x->nunk,
                                              .policy = x->policy});
  x->len = c->frag.len - x->at;
}

/* Keeps n comparisons; their index in c->cmps, SIZE_MAX when out of memory. */
static size_t keep_compares(ctx *c, const tg__compare *k, size_t n) {
  if (!tg__grow(&c->cmps, &c->capcmps, c->ncmps + n, sizeof *c->cmps)) {
    c->oom = true;
    return SIZE_MAX;
  }
  if (n) memcpy(c->cmps + c->ncmps, k, n * sizeof *k);
  c->ncmps += n;
  return c->ncmps - n;
}

/* Adds reason i to the answer's reasons. */
static void append(ctx *c, size_t i) {
  if (i >= c->npool) return; /* out of memory (noted) */
  write_reason(c, i);
  if (!tg__grow(&c->list, &c->caplist, c->nlist + 1, sizeof *c->list)) {
    c->oom = true;
    return;
  }
  c->list[c->nlist++] = i;
}

/* The slot of a catalog chip's kept truth of an expression reading
 * `reads` (at i of the chip's row), or NULL: not the item's facts alone. */
static _Atomic signed char *item_truth(ctx *c, uint64_t reads, size_t i) {
  return c->item_row && !(reads & ~(uint64_t)TG__ITEM_READS) ? &c->item_row[i] : NULL;
}

/* A rule's truth alone (nothing recorded). */
static int quiet_truth(ctx *c, const tg__rule *r) {
  _Atomic signed char *kept = item_truth(c, r->reads, 2 * r->seq);
  int k = kept ? atomic_load_explicit(kept, memory_order_relaxed) : 0;
  if (k) return k - 2;
  tg__eval ev;
  tg__eval_init(&ev, &c->f, r->when_src);
  int t = tg__rule_truth(r, &ev);
  if (kept) atomic_store_explicit(kept, (signed char)(t + 2), memory_order_relaxed);
  return t;
}

/* Evaluates a rule (when, then unless), writes its reason and returns its
 * truth; *idx is the reason (in c->pool).  A rule that does not hold is
 * only evaluated (quietly) unless keep_false: its reason is not wanted
 * (*idx = SIZE_MAX).  record_flags: flag the facts and the rule when it
 * holds or may hold.  *policy (when not NULL): the policy of a
 * requirement that holds or may hold, listed in its reason. */
static int eval_rule(ctx *c, const tg__rule *r, size_t *idx, bool record_flags,
                     const char **policy, bool keep_false) {
  *idx = SIZE_MAX;
  if (policy) *policy = NULL;
  if (!keep_false && quiet_truth(c, r) == 0) return 0;
  tg__eval ev;
  tg__eval_init(&ev, &c->f, r->when_src);
  int t = tg__expr_truth(r->when, &ev);
  tg__eval evu;
  int u = 0;
  if (r->unless && t != 0) {
    tg__eval_init(&evu, &c->f, r->unless_src);
    u = tg__expr_truth(r->unless, &evu);
    if (u == 1) t = 0;
    else if (u < 0) t = -1;
  }
  char text[1024];
  tg__render(&c->f, r->text, text, sizeof text);
  if (record_flags && t != 0) {
    flag_rule(c, r);
    flag_facts(c, r, &ev);
  }
  if (policy) *policy = t != 0 ? pick_policy(c, r) : NULL;
  const tg__eval *cmp_unless = r->unless && u != 0 && t != 1 ? &evu : NULL;
  if (!tg__grow(&c->pool, &c->cappool, c->npool + 1, sizeof *c->pool)) {
    c->oom = true;
    return t;
  }
  ev_reason *rs = &c->pool[c->npool];
  *rs = (ev_reason){.r = r, .t = t, .at = SIZE_MAX, .text_at = c->texts.len,
                    .policy = policy ? *policy : NULL, .nwhen = ev.ncompares,
                    .nunless = cmp_unless ? evu.ncompares : 0};
  tg__buf_append(&c->texts, text, strlen(text) + 1);
  rs->cmp_at = keep_compares(c, ev.compares, ev.ncompares);
  if (cmp_unless) keep_compares(c, evu.compares, evu.ncompares);
  if (rs->cmp_at == SIZE_MAX) return t;
  if (t < 0) { /* the unknown facts: the when-clause's, then the unless-clause's not among them */
    rs->unk_at = c->texts.len;
    for (size_t i = 0; i < ev.nunknowns; i++, rs->nunk++)
      tg__buf_append(&c->texts, ev.unknowns[i], strlen(ev.unknowns[i]) + 1);
    if (r->unless && u < 0)
      for (size_t i = 0; i < evu.nunknowns; i++) {
        bool dup = false;
        for (size_t k = 0; k < ev.nunknowns; k++) dup |= !strcmp(ev.unknowns[k], evu.unknowns[i]);
        if (dup) continue;
        tg__buf_append(&c->texts, evu.unknowns[i], strlen(evu.unknowns[i]) + 1);
        rs->nunk++;
      }
  }
  *idx = c->npool++;
  return t;
}

/* The flags eval_rule(c, r, .., true) records, without building a reason. */
static void flag_deciding(ctx *c, const tg__rule *r) {
  tg__eval ev;
  tg__eval_init(&ev, &c->f, r->when_src);
  int t = tg__expr_truth(r->when, &ev);
  if (r->unless && t != 0) {
    tg__eval evu;
    tg__eval_init(&evu, &c->f, r->unless_src);
    evu.quiet = true;
    int u = tg__expr_truth(r->unless, &evu);
    if (u == 1) t = 0;
    else if (u < 0) t = -1;
  }
  if (t != 0) {
    flag_rule(c, r);
    flag_facts(c, r, &ev);
  }
}

/* The chip inputs behind an unknown metric fact ("tf32_tflops"). */
static const char *unknown_inputs_of(const ctx *c, const char *fact) {
  if (!strcmp(fact, "tpp") || !strcmp(fact, "peak_tops")) return c->f.tpp.unknown_inputs;
  if (!strcmp(fact, "pd")) return c->f.pd.unknown_inputs;
  if (!strcmp(fact, "memory_bw")) return c->f.mem.unknown_inputs;
  if (!strcmp(fact, "io_bw")) return c->f.io.unknown_inputs;
  if (!strcmp(fact, "hbm_density")) return c->f.hbmd.unknown_inputs;
  if (!strcmp(fact, "datacenter")) return c->f.dc.unknown_inputs;
  return "";
}

/* The unknown facts of reason x, one after another in texts (none when
 * its outcome is known or the texts are out of memory). */
static const char *unknowns_of(const ctx *c, const ev_reason *x, size_t *n) {
  *n = x->t < 0 && !c->texts.oom ? x->nunk : 0;
  return *n ? c->texts.data + x->unk_at : NULL;
}

/* Records that a rule's outcome is unknown: which facts, which unknown
 * chip inputs behind them, and the comparisons they left open. */
static void note_undetermined(ctx *c, const tg__rule *r, size_t idx, const char *what) {
  c->undet = true;
  if (idx >= c->npool) return; /* out of memory (noted) */
  if (!tg__grow(&c->undets, &c->capundets, c->nundets + 1, sizeof *c->undets)) {
    c->oom = true;
    return;
  }
  const ev_reason *rs = &c->pool[idx];
  size_t nf;
  const char *facts = unknowns_of(c, rs, &nf), *f;
  tg__jw w;
  tg__span item = {c->frag.len, 0};
  tg__jw_init_nested(&w, &c->frag, TG__DOC_PRECISION, 2);
  tg__jw_object(&w);
  member_of(&w, "rule", r->id);
  member_of(&w, "would", what);
  TG__JW_KEY(&w, "facts");
  tg__jw_array(&w);
  f = facts;
  for (size_t k = 0; k < nf; k++, f += strlen(f) + 1) tg__jw_string(&w, f);
  tg__jw_end_array(&w);
  TG__JW_KEY(&w, "unknown_inputs");
  tg__jw_array(&w);
  const char *seen[2 * TG__MAX_UNKNOWNS];
  size_t nseen = 0;
  f = facts;
  for (size_t k = 0; k < nf; k++, f += strlen(f) + 1) {
    const char *in = unknown_inputs_of(c, f);
    bool dup = false;
    for (size_t j = 0; j < nseen; j++) dup |= !strcmp(seen[j], in);
    if (!*in || dup || nseen == sizeof seen / sizeof *seen) continue;
    seen[nseen++] = in;
    tg__jw_string(&w, in);
  }
  tg__jw_end_array(&w);
  TG__JW_KEY(&w, "open_comparisons");
  tg__jw_array(&w);
  for (size_t k = 0; rs->t < 0 && k < rs->nwhen + rs->nunless; k++)
    if (c->cmps[rs->cmp_at + k].result < 0)
      tg__compare_write(&w, &c->cmps[rs->cmp_at + k], k >= rs->nwhen);
  tg__jw_end_array(&w);
  tg__jw_end_object(&w);
  if (w.failed) c->frag.oom = true;
  item.len = c->frag.len - item.at;
  c->undets[c->nundets++] = (struct undet){.r = r, .idx = idx, .item = item,
                                           .requires = !strcmp(what, "require a license")};
}

/* ---- phases ----------------------------------------------------------- */

#define FOR_APPLIED_RULES(c, kindv, rvar) TG__EACH_US_RULE((c)->e, (c)->on, kindv, rvar)

/* Whether a classification rule that did not win is worth listing: its
 * relevant_when holds or may hold (no relevant_when: always). */
static bool relevant(ctx *c, const tg__rule *r) {
  if (!r->relevant) return true;
  _Atomic signed char *kept = item_truth(c, r->relevant_reads, 2 * r->seq + 1);
  int k = kept ? atomic_load_explicit(kept, memory_order_relaxed) : 0;
  if (k) return k - 2 != 0;
  tg__eval ev;
  tg__eval_init(&ev, &c->f, r->relevant_src);
  ev.quiet = true;
  int t = tg__expr_truth(r->relevant, &ev);
  if (kept) atomic_store_explicit(kept, (signed char)(t + 2), memory_order_relaxed);
  return t != 0;
}

/* Evaluates every classification rule in force.  Only the rules that
 * decided are listed: the winner and every rule of higher precedence (which
 * explain why the item is not in a stricter ECCN), highest first. */
static const tg__rule *classify(ctx *c, const tg__rule **certain) {
  enum { MAX_CLASSIFY = TG__MAX_CLASSIFY_RULES }; /* checked at open */
  const tg__rule *r, *best = NULL, *best_certain = NULL;
  const tg__rule *seen[MAX_CLASSIFY];
  size_t nseen = 0;
  int best_t = 0;
  FOR_APPLIED_RULES(c, TG__R_CLASSIFY, r) {
    c->any_set = true;
    int t = quiet_truth(c, r); /* the reasons of the rules that decide only */
    if (nseen < MAX_CLASSIFY) seen[nseen++] = r;
    if (t == 0) continue;
    if (t == 1 && (!best_certain || r->precedence > best_certain->precedence)) best_certain = r;
    if (!best || r->precedence > best->precedence) {
      best = r;
      best_t = t;
    }
  }
  /* insertion sort by precedence, highest first */
  for (size_t i = 1; i < nseen; i++)
    for (size_t j = i; j > 0 && seen[j]->precedence > seen[j - 1]->precedence; j--) {
      const tg__rule *tr = seen[j];
      seen[j] = seen[j - 1];
      seen[j - 1] = tr;
    }
  size_t best_reason = SIZE_MAX;
  for (size_t i = 0; i < nseen; i++) {
    if (seen[i] != best && !relevant(c, seen[i])) continue; /* e.g. a .z rule of another entry */
    if (!best || seen[i]->precedence >= best->precedence) {
      flag_deciding(c, seen[i]); /* only deciding rules flag their facts */
      size_t reason;
      eval_rule(c, seen[i], &reason, false, NULL, true);
      append(c, reason);
      if (seen[i] == best) best_reason = reason;
    }
  }
  if (best && best_t < 0) {
    char what[96];
    snprintf(what, sizeof what, "classify as %s", best->effect);
    note_undetermined(c, best, best_reason, what);
  }
  *certain = best_certain;
  return best;
}

typedef struct req {
  const tg__rule *rule;
  int truth;
  const char *policy;
  const tg__rule *policy_rule; /* review_policy that set it */
  const tg__rule *overcome_by;
} req;

#define MAX_REQS TG__MAX_LICENSE_RULES /* checked at open */

static int policy_rank(const char *p) { return tg__policy_rank(p); }

/* The policy of a requirement: its first case that holds; when a case is
 * unknown, the strictest of the cases that might hold. */
static const char *pick_policy(ctx *c, const tg__rule *r) {
  const char *strictest = NULL;
  for (size_t i = 0; i < r->ncases; i++) {
    int t = 1;
    if (r->cases[i].when) {
      tg__eval ev;
      tg__eval_init(&ev, &c->f, r->cases[i].when_src);
      ev.quiet = true; /* the truth only */
      t = tg__expr_truth(r->cases[i].when, &ev);
    }
    if (t == 0) continue;
    if (policy_rank(r->cases[i].policy) > policy_rank(strictest)) strictest = r->cases[i].policy;
    if (t == 1) return strictest;
  }
  return strictest ? strictest : "presumption_of_denial";
}

static bool targets(const tg__rule *r, const char *id) {
  for (size_t i = 0; i < r->ntargets; i++)
    if (!strcmp(r->targets[i], id)) return true;
  return false;
}

/* ---- result building ------------------------------------------------ */

static void ctx_init(ctx *c, const tg_engine *e, const tg_chip *chip, tg_date on) {
  memset(c, 0, sizeof *c);
  c->e = e;
  c->on = on;
  tg__facts_init(&c->f, e, chip, on);
  if (tg__catalog_chip(e, chip)) c->item_row = e->item_truths + chip->catalog_ix * e->nrules * 2;
  tg__buf_init(&c->frag);
  tg__buf_init(&c->texts);
  /* room for a whole answer's text (a check's is some 25 KB) and its
   * reason texts at once: grown from nothing they took a dozen reallocs */
  tg__buf_reserve(&c->frag, 32768 - 1);
  tg__buf_reserve(&c->texts, 4096 - 1);
  c->foreign = json_array();
  c->party_warnings = json_array();
  c->doc = tg__calloc(1, sizeof *c->doc);
}

static void ctx_free(ctx *c) {
  tg__free(c->pool);
  tg__free(c->cmps);
  tg__free(c->list);
  tg__buf_free(&c->frag);
  tg__buf_free(&c->texts);
  json_decref(c->foreign);
  json_decref(c->party_warnings);
  tg__free(c->warnings.v);
  tg__free(c->flags.v);
  tg__free(c->flag_keys);
  tg__free(c->not_applied.v);
  tg__free(c->undets);
  tg__free(c->conditions.v);
  tg__doc_free(c->doc);
  json_decref(c->fee_rules);
  json_decref(c->screening);
  tg__index_release(c->ix);
}

static void warn_no_rules(ctx *c) {
  if (!c->any_set)
    add_strs(c, &c->warnings, 2,
             (const char *const[]){"rule", "", "text",
                                   "no rule set in the data directory is in force on this "
                                   "date; nothing could be classified"});
}

/* Warning rules, and the rules of sets that are in force but not
 * enforced: shown, not applied. */
static void warnings_phase(ctx *c) {
  const tg__rule *r;
  FOR_APPLIED_RULES(c, TG__R_WARNING, r) {
    size_t reason;
    int t = eval_rule(c, r, &reason, true, NULL, false);
    if (t == 1) {
      add_strs(c, &c->warnings, 4,
               (const char *const[]){"rule", r->id, "title", r->effect, "text", text_of(c, reason),
                                     "citation", r->cite});
      append(c, reason);
    }
  }
  for (size_t i = 0; i < c->e->nrulesets; i++) {
    const tg__ruleset *rs = c->e->rulesets[i];
    if (tg__ruleset_foreign(rs) || !tg__ruleset_in_force(rs, c->on) || tg__ruleset_applied(rs, c->on))
      continue;
    for (size_t j = 0; j < rs->nrules; j++) {
      const tg__rule *rr = &rs->rules[j];
      if (rr->kind != TG__R_LICENSE && rr->kind != TG__R_CLASSIFY) continue;
      if (!c->f.order && rr->kind == TG__R_LICENSE) continue;
      size_t reason;
      int t = eval_rule(c, rr, &reason, false, NULL, false);
      if (t == 1) {
        char nd[11], why[96];
        if (!strcmp(tg__ruleset_status(rs, c->on), "compliance_pending")) {
          tg_date_format(rs->compliance_from, nd);
          snprintf(why, sizeof why, "compliance is required only from %s", nd);
        } else {
          tg_date_format(rs->not_enforced_from, nd);
          snprintf(why, sizeof why, "it is not enforced since %s", nd);
        }
        char text[700];
        snprintf(text, sizeof text, "not applied: %s (%s) would %s %s, but %s", rr->id,
                 rs->citation, rr->kind == TG__R_LICENSE ? "require a license:" : "classify as",
                 rr->kind == TG__R_LICENSE ? text_of(c, reason) : rr->effect,
                 why);
        add_strs(c, &c->not_applied, 3,
                 (const char *const[]){"rule", rr->id, "rule_set", rs->id, "text", text});
      }
    }
  }
}

/* Group memberships read from a dated change that is not verified. */
static void flag_groups(ctx *c) {
  for (size_t i = 0; i < c->f.ngroups_used; i++) {
    const tg__group_change *g = c->f.groups_used[i];
    int m = c->f.groups_used_truth[i];
    if (!strcmp(g->verification, "verified") && m >= 0) continue;
    char text[700];
    snprintf(text, sizeof text, "Country Group %s membership of %s on %s: %s (%s; %s)%s%s", g->group,
             g->code, c->f.date, m < 0 ? "unknown: the sources do not date the change"
                                       : (m ? "member" : "not a member"),
             g->citation, g->verification, g->note ? ": " : "", g->note ? g->note : "");
    add_flag(c, (struct flag_key){"country_group", NULL, NULL}, 4,
             (const char *const[]){"fact", "country_group", "level",
                                   m < 0 ? "unverified" : g->verification, "citation", g->citation,
                                   "text", text});
  }
}

/* Whether the ECCN rests on a figure that is not verified: the rule that
 * classified is undetermined, or a chip fact it read is flagged (estimated
 * or unverified).  Shown as "ECCN?"; a payment then is conditional. */
static bool eccn_unverified(const ctx *c, const char *eccn) {
  if (!eccn) return false;
  size_t k;
  for (size_t i = 0; i < c->nlist; i++) {
    const tg__rule *r = c->pool[c->list[i]].r;
    const char *id = r->id, *effect = r->effect;
    if (r->kind != TG__R_CLASSIFY || !id || !effect || strcmp(effect, eccn)) continue;
    for (k = 0; k < c->flags.n; k++) {
      const char *fr = c->flag_keys[k].rule, *conf = c->flag_keys[k].confidence;
      if (fr && conf && !strcmp(fr, id) && (!strcmp(conf, "estimate") || !strcmp(conf, "unverified")))
        return true;
    }
    for (k = 0; k < c->nundets; k++)
      if (!strcmp(c->undets[k].r->id, id)) return true;
  }
  return false;
}

/* The names of the unknown facts the answer rests on, ", "-separated,
 * each once (cut at n). */
static void unknown_facts(const ctx *c, char *out, size_t n) {
  size_t len = 0;
  out[0] = '\0';
  for (size_t i = 0; i < c->nundets; i++) {
    size_t nf;
    const char *name = unknowns_of(c, &c->pool[c->undets[i].idx], &nf);
    for (size_t k = 0; k < nf; k++, name += strlen(name) + 1) {
      if (strstr(out, name) || len >= n) continue;
      int w = snprintf(out + len, n - len, "%s%s", len ? ", " : "", name);
      len = w < 0 ? n : len + (size_t)w;
    }
  }
}

/* The answer's last members (after those of the classification or the
 * check), and the result that carries it. */
static tg_result *finish(ctx *c, const tg__us_answer *us) {
  flag_groups(c);
  bool unverified = eccn_unverified(c, us->eccn);
  fee_write(c, unverified);
  member_bool(c, "eccn_unverified", unverified);
  tg__member *m = add_member(c, "reasons", TG__M_REASONS);
  if (m) {
    m->tree = json_incref(c->foreign);
    for (size_t i = 0; i < c->nlist; i++) {
      const ev_reason *x = &c->pool[c->list[i]];
      if (!tg__spans_add(&m->items, (tg__span){x->at, x->len})) c->oom = true;
    }
  }
  member_list(c, "warnings", &c->warnings);
  member_list(c, "not_applied", &c->not_applied);
  member_list(c, "flags", &c->flags);
  member_tree(c, "screening", c->screening ? json_incref(c->screening) : json_null());
  tg__spans undetermined = {0};
  for (size_t i = 0; i < c->nundets; i++)
    if (!tg__spans_add(&undetermined, c->undets[i].item)) c->oom = true;
  member_list(c, "undetermined", &undetermined);
  tg__free(undetermined.v); /* (taken unless out of memory) */
  member_bool(c, "determined", !c->undet);
  tg__jw w;
  size_t at = text_begin(c, &w);
  tg__rule_sets_write(&w, c->e, c->on);
  text_end(c, &w, "rule_sets", at);
  at = c->frag.len;
  tg__jurisdictions_write(&c->frag, &c->f, c->on, us, c->screening);
  member_span(c, "jurisdictions", (tg__span){at, c->frag.len - at});
  member_str(c, "disclaimer", DISCLAIMER);
  tg_result *res = tg__calloc(1, sizeof *res);
  if (!res || c->oom || c->frag.oom || c->texts.oom) {
    tg__free(res);
    return NULL;
  }
  c->doc->frag = c->frag; /* the answer's now */
  tg__buf_init(&c->frag);
  res->answer = c->doc;
  c->doc = NULL;
  res->undetermined = c->undet;
  unknown_facts(c, res->unknown_facts, sizeof res->unknown_facts);
  return res;
}

/* The head of an answer: the chip, the date, the metrics (reason.c). */
static void chip_head(ctx *c) {
  const tg_chip *ch = c->f.chip;
  member_str(c, "chip", ch->id);
  member_str(c, "chip_name", tg_chip_name(ch));
  member_str(c, "vendor", ch->vendor);
  member_str(c, "on", c->f.date);
  tg__span m = {c->frag.len, 0};
  tg__metrics_write(&c->frag, &c->f);
  m.len = c->frag.len - m.at;
  member_span(c, "metrics", m);
}

tg_status tg__classify_eval(const tg_engine *e, const tg_chip *chip, tg_date on,
                            tg_result **out, tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_classify: no output");
  *out = NULL;
  if (!e || !chip) return tg__set_error(err, TG_EINVAL, "tg_classify: no engine or chip");
  ctx c;
  ctx_init(&c, e, chip, on);
  const tg__rule *certain;
  const tg__rule *best = classify(&c, &certain);
  c.f.eccn = best ? best->effect : NULL;
  warn_no_rules(&c);
  warnings_phase(&c);
  chip_head(&c);
  member_str(&c, "eccn", best ? best->effect : NULL);
  member_str(&c, "eccn_certain", certain ? certain->effect : NULL);
  tg_result *res = finish(&c, &(tg__us_answer){.eccn = best ? best->effect : NULL,
                                               .payment_rate = -1});
  if (res && best) snprintf(res->eccn, sizeof res->eccn, "%s", best->effect);
  ctx_free(&c);
  if (!res) return tg__set_error(err, TG_ENOMEM, "out of memory");
  *out = res;
  return TG_OK;
}

void tg_order_init(tg_order *o) {
  memset(o, 0, sizeof *o);
  o->qty = 1;
  o->unit_price_cents = -1;
  o->us_content_pct = -1;
}

static tg_status order_country(const tg_engine *e, const char *code, const char *what,
                               char out[3], tg_error *err) {
  if (tg_country_canonical(e, code, out) != TG_OK)
    return tg__set_error(err, TG_EINVAL,
                         "%s: '%s' is not an ISO 3166-1 alpha-2 country code", what,
                         code ? code : "");
  return TG_OK;
}

/* ---- the order's phases ---------------------------------------------- */

/* What the phases of one order decided (the JSON is built from it). */
typedef struct outcome {
  const tg__rule *best, *certain;
  req reqs[MAX_REQS];
  size_t nreq;
  const char *policy;
  const tg__rule *exception;
  tg_verdict verdict;
  int64_t rate;
  json_t *fee_rules;
} outcome;

/* Subject to the EAR (15 CFR 734.3): the subject_to_ear rules in force
 * say whether the item is; when none is in force the item is taken as
 * subject (the rule sets then predate this layer).  Any rule that holds
 * makes it subject; when none holds and some are unknown, it is unknown. */
static void subject_phase(ctx *c) {
  const tg__rule *r;
  tg__spans basis = {0}, open = {0}, none = {0}; /* items written at depth 3 */
  bool any = false;
  int s = 0;
  enum { MAX_SUBJECT = TG__MAX_SUBJECT_RULES }; /* checked at open */
  const tg__rule *seen[MAX_SUBJECT];
  int truth[MAX_SUBJECT];
  size_t seen_reason[MAX_SUBJECT];
  size_t nseen = 0;
  FOR_APPLIED_RULES(c, TG__R_SUBJECT, r) {
    any = true;
    size_t reason;
    int t = eval_rule(c, r, &reason, false, NULL, true);
    if (nseen < MAX_SUBJECT) {
      seen[nseen] = r;
      seen_reason[nseen] = reason;
      truth[nseen++] = t;
    }
    add_item(c, t == 1 ? &basis : t < 0 ? &open : &none,
             tg__strs_write(&c->frag, 3, 4,
                            (const char *const[]){"rule", r->id, "basis", r->effect, "citation",
                                                  r->cite, "text", text_of(c, reason)}));
    if (t == 1) open.n = 0; /* settled: what is open no longer matters */
    if (t == 1 || s == 1) {
      if (t != 1 && t != 0 && open.n) open.n--;
      s = 1;
    }
    else if (t < 0 && s == 0) s = -1;
    if (t == 1) append(c, reason);
  }
  c->f.subject = any ? s : 1;
  /* flag only the rules the answer rests on */
  for (size_t i = 0; i < nseen; i++)
    if ((s == 1 && truth[i] == 1) || (s < 0 && truth[i] < 0)) flag_deciding(c, seen[i]);
  /* the rules that decided: those that hold; when none does, the open ones
   * (which name the facts that would settle it) or, if none is open, all */
  for (size_t i = 0; i < nseen; i++)
    if ((s < 0 && truth[i] < 0) || (s == 0 && truth[i] == 0)) append(c, seen_reason[i]);
  if (!any) return; /* (nothing was added to the lists) */
  if (s < 0)
    for (size_t i = 0; i < c->nlist; i++) {
      const ev_reason *x = &c->pool[c->list[i]];
      if (x->r->kind == TG__R_SUBJECT && x->t < 0)
        note_undetermined(c, x->r, c->list[i], "make the item subject to the EAR");
    }
  const char *text = s == 1  ? "the item is subject to the EAR"
                     : s == 0 ? "the item is not subject to the EAR: it is foreign-made, "
                                "located abroad, above no de minimis level and no foreign "
                                "direct product rule reaches it; no EAR license is required"
                              : "whether the item is subject to the EAR depends on facts "
                                "that are unknown (origin, US content, direct product)";
  /* written apart, then appended: the items it copies are in frag */
  tg__buf b;
  tg__buf_init(&b);
  size_t room = 1024; /* the items, and the rest: some hundred bytes */
  for (size_t k = 0; k < basis.n + open.n + none.n; k++)
    room += (k < basis.n ? basis.v[k] : k < basis.n + open.n ? open.v[k - basis.n]
                                                              : none.v[k - basis.n - open.n]).len + 16;
  tg__buf_reserve(&b, room);
  tg__jw w;
  tg__jw_init_nested(&w, &b, TG__DOC_PRECISION, 1);
  tg__jw_object(&w);
  TG__JW_KEY(&w, "subject");
  if (s < 0) tg__jw_string(&w, "unknown");
  else tg__jw_bool(&w, s != 0);
  member_of(&w, "text", text);
  const struct { const char *key; const tg__spans *l; } lists[] = {
      {"basis", &basis}, {"open", &open}, {"not_met", &none}};
  for (size_t i = 0; i < 3; i++) {
    tg__jw_key(&w, lists[i].key);
    tg__jw_array(&w);
    for (size_t k = 0; k < lists[i].l->n; k++)
      tg__jw_raw(&w, c->frag.data + lists[i].l->v[k].at, lists[i].l->v[k].len);
    tg__jw_end_array(&w);
  }
  tg__jw_end_object(&w);
  if (w.failed || b.oom) c->frag.oom = true;
  c->subject.at = c->frag.len;
  tg__buf_append(&c->frag, b.data ? b.data : "", b.len);
  c->subject.len = c->frag.len - c->subject.at;
  tg__buf_free(&b);
  tg__free(basis.v);
  tg__free(open.v);
  tg__free(none.v);
}

/* License requirements in force that hold (or may hold). */
static void require_phase(ctx *c, outcome *oc) {
  const tg__rule *r;
  if (c->f.subject == 0) return; /* the EAR does not reach the item */
  FOR_APPLIED_RULES(c, TG__R_LICENSE, r) {
    size_t reason;
    const char *policy;
    int t = eval_rule(c, r, &reason, true, oc->nreq < MAX_REQS ? &policy : NULL, false);
    if (t == 0 || oc->nreq == MAX_REQS) continue;
    req *q = &oc->reqs[oc->nreq++];
    *q = (req){.rule = r, .truth = t, .policy = policy};
    if (t < 0) note_undetermined(c, r, reason, "require a license");
    append(c, reason);
  }
}

/* Review policies that replace a requirement's policy. */
static void policy_phase(ctx *c, outcome *oc) {
  const tg__rule *r;
  FOR_APPLIED_RULES(c, TG__R_POLICY, r) {
    bool relevant = false;
    for (size_t k = 0; k < oc->nreq; k++) relevant |= targets(r, oc->reqs[k].rule->id);
    if (!relevant) continue;
    size_t reason;
    int t = eval_rule(c, r, &reason, true, NULL, true);
    if (t == 1) {
      for (size_t k = 0; k < oc->nreq; k++)
        if (targets(r, oc->reqs[k].rule->id)) {
          oc->reqs[k].policy = r->effect;
          oc->reqs[k].policy_rule = r;
        }
      for (size_t k = 0; k < r->nconditions; k++) {
        /* rule texts: UTF-8 checked when the rules were read */
        tg__jw w;
        tg__span item = {c->frag.len, 0};
        tg__jw_init_nested(&w, &c->frag, TG__DOC_PRECISION, 2);
        tg__jw_object(&w);
        member_of(&w, "rule", r->id);
        member_of(&w, "text", r->conditions[k]);
        member_of(&w, "citation", r->cite);
        if (r->condition_caps[k]) {
          TG__JW_KEY(&w, "tpp_cap_percent");
          tg__jw_int(&w, r->condition_caps[k]);
          if (!c->cap_percent || r->condition_caps[k] < c->cap_percent)
            c->cap_percent = r->condition_caps[k];
        }
        tg__jw_end_object(&w);
        if (w.failed) c->frag.oom = true;
        item.len = c->frag.len - item.at;
        add_item(c, &c->conditions, item);
      }
    } else if (t < 0) {
      char w[600];
      snprintf(w, sizeof w, "review policy %s may apply (%s), but it depends on facts that are unknown",
               r->effect, r->id);
      add_strs(c, &c->warnings, 2, (const char *const[]){"rule", r->id, "text", w});
      char what[64];
      snprintf(what, sizeof what, "set the review policy to %s", r->effect);
      note_undetermined(c, r, reason, what);
    }
    append(c, reason);
  }
}

/* License exceptions that overcome requirements. */
static void exception_phase(ctx *c, outcome *oc) {
  const tg__rule *r;
  FOR_APPLIED_RULES(c, TG__R_EXCEPTION, r) {
    bool relevant = false;
    for (size_t k = 0; k < oc->nreq; k++)
      relevant |= targets(r, oc->reqs[k].rule->id) && !oc->reqs[k].overcome_by;
    if (!relevant) continue;
    size_t reason;
    int t = eval_rule(c, r, &reason, true, NULL, true);
    if (t == 1) {
      for (size_t k = 0; k < oc->nreq; k++)
        if (targets(r, oc->reqs[k].rule->id) && !oc->reqs[k].overcome_by)
          oc->reqs[k].overcome_by = r;
    } else if (t < 0) {
      note_undetermined(c, r, reason, "allow a license exception");
    }
    append(c, reason);
  }
}

/* The verdict: the strictest standing requirement, else an exception. */
static void resolve_phase(ctx *c, outcome *oc) {
  for (size_t k = 0; k < oc->nreq; k++) {
    if (oc->reqs[k].overcome_by) {
      if (!oc->exception) oc->exception = oc->reqs[k].overcome_by;
      continue;
    }
    if (policy_rank(oc->reqs[k].policy) > policy_rank(oc->policy)) oc->policy = oc->reqs[k].policy;
  }
  oc->verdict = oc->policy ? TG_LICENSE_REQUIRED
                           : (oc->exception ? TG_LICENSE_EXCEPTION : TG_NO_LICENSE_REQUIRED);
  /* An unknown requirement is counted (conservatively) above; when the
   * definite requirements alone give the same answer it decides nothing. */
  const char *definite_policy = NULL;
  for (size_t k = 0; k < oc->nreq; k++)
    if (oc->reqs[k].truth == 1 && !oc->reqs[k].overcome_by &&
        policy_rank(oc->reqs[k].policy) > policy_rank(definite_policy))
      definite_policy = oc->reqs[k].policy;
  if (oc->policy && definite_policy && !strcmp(oc->policy, definite_policy) && c->f.subject == 1) {
    size_t kept = 0;
    for (size_t k = 0; k < c->nundets; k++)
      if (!c->undets[k].requires) c->undets[kept++] = c->undets[k];
    c->nundets = kept;
    c->undet = kept > 0;
  }
  if (oc->verdict != TG_LICENSE_REQUIRED) {
    c->conditions.n = 0;
    c->cap_percent = 0;
  }
  c->f.license_required = oc->verdict == TG_LICENSE_REQUIRED;
}

/* Payment arrangements that hold add their rates. */
static void fee_phase(ctx *c, outcome *oc) {
  const tg__rule *r;
  oc->fee_rules = json_array();
  FOR_APPLIED_RULES(c, TG__R_FEE, r) {
    size_t reason;
    int t = eval_rule(c, r, &reason, true, NULL, false);
    if (t == 0) continue;
    if (t < 0) {
      note_undetermined(c, r, reason, "add a payment");
    } else {
      oc->rate += r->rate_ppm;
      json_array_append_new(oc->fee_rules,
                            json_pack("{s:s,s:s,s:f,s:s,s:s?,s:s}", "rule", r->id, "rate_text",
                                      r->effect, "rate", (double)r->rate_ppm / 1e6, "basis",
                                      r->basis, "collected_as", r->collected_as, "citation",
                                      r->cite));
    }
    append(c, reason);
  }
}

/* Every phase of an order after its facts are set. */
static void run_phases(ctx *c, outcome *oc) {
  memset(oc, 0, sizeof *oc);
  oc->best = classify(c, &oc->certain);
  c->f.eccn = oc->best ? oc->best->effect : NULL;
  subject_phase(c);
  require_phase(c, oc);
  policy_phase(c, oc);
  exception_phase(c, oc);
  resolve_phase(c, oc);
  fee_phase(c, oc);
}

/* Reads the order into the facts; TG_EINVAL naming a bad field. */
static tg_status order_facts(ctx *c, const tg_order *o, tg_error *err) {
  const tg_engine *e = c->e;
  tg__facts *f = &c->f;
  f->order = true;
  tg_status st;
  if (!o->dest) return tg__set_error(err, TG_EINVAL, "the order names no destination");
  if ((st = order_country(e, o->dest, "destination", f->dest, err)) != TG_OK ||
      (o->hq && (st = order_country(e, o->hq, "headquarters", f->hq, err)) != TG_OK) ||
      (o->made_in && (st = order_country(e, o->made_in, "made in", f->made_in, err)) != TG_OK) ||
      (st = order_country(e, o->origin ? o->origin : "US", "origin", f->origin, err)) != TG_OK)
    return st;
  char words[200];
  if (o->end_use) {
    if (!tg__order_word(true, o->end_use, words, sizeof words))
      return tg__set_error(err, TG_EINVAL, "end use: '%s' is not one of %s", o->end_use, words);
    snprintf(f->end_use, sizeof f->end_use, "%s", o->end_use);
  }
  if (o->direct_product) {
    if (!tg__order_word(false, o->direct_product, words, sizeof words))
      return tg__set_error(err, TG_EINVAL, "direct product: '%s' is not one of %s",
                           o->direct_product, words);
    snprintf(f->direct_product, sizeof f->direct_product, "%s", o->direct_product);
  }
  if (o->us_content_pct > 100 || (o->us_content_pct < 0 && o->us_content_pct != -1) ||
      isnan(o->us_content_pct))
    return tg__set_error(err, TG_EINVAL, "US content: %g is not a percentage (0-100)",
                         o->us_content_pct);
  f->us_content_pct = o->us_content_pct;
  snprintf(f->dest_input, sizeof f->dest_input, "%c%c", o->dest[0] & ~0x20, o->dest[1] & ~0x20);
  tg__facts_set_event(f);
  if ((st = tg__facts_set_attestations(f, o->attestations, err)) != TG_OK) return st;
  f->qty = (double)o->qty;
  f->unit_price = o->unit_price_cents < 0 ? -1 : (double)o->unit_price_cents / 100.0;
  if (strcmp(f->dest, f->dest_input) != 0) {
    char t[200];
    const tg__country *dc = tg__country_find(e, f->dest_input);
    snprintf(t, sizeof t, "destination %s is treated as %s under the EAR (%s)", f->dest_input,
             f->dest, dc && dc->note ? dc->note : "");
    add_strs(c, &c->warnings, 2, (const char *const[]){"rule", "", "text", t});
  }
  if (!o->hq)
    add_strs(c, &c->warnings, 2,
             (const char *const[]){"rule", "", "text",
                                    "the end user's headquarters was not given; rules that "
                                    "depend on it (15 CFR 742.6(a)(6)(iii)(A)) stay undetermined"});
  if (!o->end_use)
    add_strs(c, &c->warnings, 2,
             (const char *const[]){"rule", "", "text",
                                    "the end use was not given (--end-use); end-use controls "
                                    "(15 CFR 744.21, 744.23) apply when the exporter knows or has "
                                    "reason to know of a restricted end use (\"knowledge\", 15 CFR "
                                    "772.1; red flags, Supplement No. 3 to Part 732) and stay "
                                    "undetermined where they could bind"});
  return TG_OK;
}

/* A real member, or null when v < 0 (unknown). */
static void real_or_null(tg__jw *w, const char *key, bool known, double v) {
  tg__jw_key(w, key);
  if (known) tg__jw_real(w, v);
  else tg__jw_null(w);
}

/* The order as the answer restates it. */
static void order_member(ctx *c, const tg_order *o) {
  const tg__facts *f = &c->f;
  tg__jw w;
  size_t at = text_begin(c, &w);
  tg__jw_object(&w);
  member_of(&w, "dest", f->dest);
  member_of(&w, "dest_input", f->dest_input);
  member_of(&w, "hq", o->hq ? f->hq : NULL);
  member_of(&w, "origin", f->origin);
  TG__JW_KEY(&w, "qty");
  hole(c, &w, TG__H_QTY);
  TG__JW_KEY(&w, "unit_price_usd");
  hole(c, &w, TG__H_PRICE_USD);
  TG__JW_KEY(&w, "unit_price_cents");
  hole(c, &w, TG__H_PRICE_CENTS);
  member_of(&w, "event", f->event);
  if (o->attestations) text_member_of(&w, "attestations", o->attestations);
  member_of(&w, "end_use", f->end_use[0] ? f->end_use : NULL);
  member_of(&w, "made_in", f->made_in[0] ? f->made_in : NULL);
  real_or_null(&w, "us_content_pct", f->us_content_pct >= 0, f->us_content_pct);
  member_of(&w, "direct_product", f->direct_product[0] ? f->direct_product : NULL);
  if (o->end_user) text_member_of(&w, "end_user", o->end_user);
  if (o->purchaser) text_member_of(&w, "purchaser", o->purchaser);
  if (o->consignee) text_member_of(&w, "consignee", o->consignee);
  tg__jw_end_object(&w);
  text_end(c, &w, "order", at);
}

/* The branches of the undetermined rules (tg__branches), written as the
 * "branches" member; when they agree the answer is determined. */
static void branches_of(ctx *c) {
  size_t nf = 0;
  for (size_t i = 0; i < c->nundets; i++) {
    size_t n;
    unknowns_of(c, &c->pool[c->undets[i].idx], &n);
    nf += n;
  }
  tg__undet_in *in = tg__malloc((c->nundets + 1) * sizeof *in);
  const char **facts = tg__malloc((nf + 1) * sizeof *facts);
  if (in && facts) {
    size_t at = 0;
    for (size_t i = 0; i < c->nundets; i++) {
      size_t n;
      const char *f = unknowns_of(c, &c->pool[c->undets[i].idx], &n);
      in[i] = (tg__undet_in){.rule = c->undets[i].r->id, .facts = facts + at, .nfacts = n};
      for (size_t k = 0; k < n; k++, f += strlen(f) + 1) facts[at++] = f;
    }
    tg__jw w;
    size_t at_text = text_begin(c, &w);
    bool agree;
    tg__branches(&c->f, c->on, in, c->nundets, &w, &agree);
    text_end(c, &w, "branches", at_text);
    if (agree) c->undet = false;
  } else {
    c->oom = true;
  }
  tg__free(in);
  tg__free(facts);
}

/* The answer of an order as JSON (the contract of tollgate check --json). */
static void check_members(ctx *c, const tg_order *o, outcome *oc, tg__us_answer *us) {
  chip_head(c);
  order_member(c, o);
  if (c->subject.len) member_span(c, "subject_to_ear", c->subject);
  tg_verdict verdict = oc->verdict;
  const tg__rule *best = oc->best, *exception = oc->exception;
  *us = (tg__us_answer){.order = true, .verdict = tg_verdict_name(verdict),
                        .eccn = best ? best->effect : NULL,
                        .exception = verdict == TG_LICENSE_EXCEPTION ? exception->effect : NULL,
                        .review_policy = oc->policy,
                        .payment_rate = oc->rate > 0 ? (double)oc->rate / 1e6 : -1};
  member_str(c, "verdict", us->verdict);
  member_str(c, "eccn", us->eccn);
  member_str(c, "exception", us->exception);
  json_t *notification = json_null();
  if (verdict == TG_LICENSE_EXCEPTION && exception->notification_days > 0) {
    /* 740.8(a) and BIS's NAC procedure: not "ship after N days" - the
     * exporter waits for BIS's answer and ships on its authorization */
    char text[1024];
    tg__render(&c->f, exception->text, text, sizeof text);
    notification = json_pack(
        "{s:b,s:i,s:s,s:s,s:s}", "required", 1, "days", exception->notification_days, "wait_for",
        "BIS's answer: export only on its NAC authorization number (one ultimate consignee and "
        "one end user per notification, at most six items; record it with tollgate nac)",
        "cite", "15 CFR 740.8(a); BIS, License exceptions: NAC notifications via SNAP-R",
        "text", text);
  }
  if (notification) member_tree(c, "notification", notification); /* NULL: not UTF-8, left out */
  member_str(c, "review_policy", oc->policy);
  member_list(c, "license_conditions", &c->conditions);
  if (oc->rate > 0) { /* its text is written by finish (fee_write) */
    if (add_member(c, "fee", TG__M_TEXT)) {
      c->fee_member = c->doc->n;
      c->fee_rate = oc->rate;
      c->fee_rules = json_incref(oc->fee_rules);
    }
    if (c->numbers.amount_cents < 0)
      add_strs(c, &c->warnings, 2,
               (const char *const[]){"rule", "", "text",
                                     "a payment applies but the unit price was not given, so "
                                     "its amount is unknown"});
  } else {
    member_tree(c, "fee", json_null());
  }
  /* unknown facts that change nothing decide nothing (tg__branches) */
  if (c->undet) {
    branches_of(c);
  } else {
    tg__jw w;
    size_t at = text_begin(c, &w);
    tg__jw_array(&w);
    tg__jw_end_array(&w);
    text_end(c, &w, "branches", at);
  }
}

/* A date is modelled when a rule set that classifies chips applies on
 * it; before the first one an answer would read as "no license required"
 * for want of rules, so an order is refused instead (TG_EINVAL).  (A
 * classification before it answers no ECCN, with a warning, so the chart
 * of any date can be drawn.) */
static tg_status modelled(const tg_engine *e, tg_date on, tg_error *err) {
  tg_date first = 0;
  bool any = false;
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    bool classifies = false;
    for (size_t k = 0; k < rs->nrules && !classifies; k++) classifies = rs->rules[k].kind == TG__R_CLASSIFY;
    if (!classifies) continue;
    if (tg__ruleset_applied(rs, on)) return TG_OK;
    if (!any || rs->effective < first) first = rs->effective;
    any = true;
  }
  char d[11], f[11];
  tg_date_format(on, d);
  tg_date_format(first, f);
  if (!any) return tg__set_error(err, TG_EINVAL, "no rule set that classifies chips is loaded");
  if (on < first)
    return tg__set_error(err, TG_EINVAL,
                         "%s is not modelled: the first rule set that classifies chips takes effect on %s", d, f);
  return TG_OK; /* after the first: a gap in the rule sets is answered, with its warning */
}

static tg_status evaluate_check(const tg_engine *e, const tg_order *o, tg_result **out,
                                tg_error *err);

tg_status tg_check(const tg_engine *e, const tg_order *o, tg_result **out, tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_check: no output");
  *out = NULL;
  if (!e || !o) return tg__set_error(err, TG_EINVAL, "tg_check: no engine or order");
  if (!o->chip) return tg__set_error(err, TG_EINVAL, "the order names no chip");
  tg_status ms = modelled(e, o->on, err);
  if (ms != TG_OK) return ms;
  if (o->qty < 0) return tg__set_error(err, TG_EINVAL, "quantity must not be negative (got %lld)",
                                      (long long)o->qty);
  if (o->unit_price_cents < -1)
    return tg__set_error(err, TG_EINVAL, "unit price must not be negative");
  if (o->unit_price_cents > 0 && o->qty > INT64_MAX / o->unit_price_cents)
    return tg__set_error(err, TG_EINVAL, "order value too large (quantity x unit price)");
  tg__buf key, dkey;
  tg__buf_init(&key);
  tg__buf_init(&dkey);
  tg_result *res = NULL;
  tg_status st = TG_OK;
  if (tg__check_key(e, o, &key)) {
    res = tg__check_cached(e, key.data, key.len); /* this very order */
    /* else the same decision for another quantity or price */
    if (!res && tg__check_decision_key(e, &key, &dkey) &&
        (res = tg__check_cached(e, dkey.data, dkey.len)) != NULL &&
        (st = tg__check_reuse(res, o, err)) != TG_OK) {
      tg_result_destroy(res);
      res = NULL;
    }
    if (res) dkey.len = 0; /* served: its decision is kept already */
  }
  if (!res && st == TG_OK) st = evaluate_check(e, o, &res, err);
  if (st == TG_OK) {
    res->engine = e;
    if (key.len && !key.oom && !res->memo_key && !tg_result_json_kept(res, NULL)) {
      res->memo_keylen = key.len;
      res->memo_key = tg__buf_detach(&key);
    }
    if (dkey.len && !dkey.oom) {
      res->decision_keylen = dkey.len;
      res->decision_key = tg__buf_detach(&dkey);
    }
  }
  tg__buf_free(&key);
  tg__buf_free(&dkey);
  if (st == TG_OK) *out = res;
  return st;
}

/* tg_check's evaluation: the order's facts, then its phases. */
static tg_status evaluate_check(const tg_engine *e, const tg_order *o, tg_result **out,
                                tg_error *err) {
  ctx c;
  ctx_init(&c, e, o->chip, o->on);
  c.ix = tg__screener_acquire(o->screener);
  tg__screen_check *chk = tg__malloc(sizeof *chk);
  tg_status st = chk ? order_facts(&c, o, err) : tg__set_error(err, TG_ENOMEM, "out of memory");
  if (st == TG_OK && (st = tg__screen_order(o, c.ix, &c.f, chk, err)) == TG_OK)
    tg__screen_check_json(chk, c.foreign, c.party_warnings, &c.screening);
  tg__free(chk);
  if (st == TG_OK) st = tg__affiliates_order(o, c.ix, &c.f, c.foreign, c.party_warnings, err);
  size_t pw;
  json_t *w;
  json_array_foreach(c.party_warnings, pw, w) add_item(&c, &c.warnings, tg__tree_write(&c.frag, w, 2));
  if (st != TG_OK) {
    ctx_free(&c);
    return st;
  }
  outcome oc;
  run_phases(&c, &oc);
  int64_t amount = -1;
  if (oc.rate > 0 && o->unit_price_cents >= 0 &&
      !tg__fee_amount(o->qty, o->unit_price_cents, oc.rate, &amount)) {
    json_decref(oc.fee_rules);
    ctx_free(&c);
    return tg__fee_too_large(err);
  }
  c.numbers = (tg__order_numbers){o->qty, o->unit_price_cents, amount};
  warn_no_rules(&c);
  warnings_phase(&c);
  tg__us_answer us;
  check_members(&c, o, &oc, &us);
  json_decref(oc.fee_rules);
  tg_result *res = finish(&c, &us);
  if (res) {
    res->verdict = oc.verdict;
    if (oc.best) snprintf(res->eccn, sizeof res->eccn, "%s", oc.best->effect);
    if (oc.verdict == TG_LICENSE_EXCEPTION)
      snprintf(res->exception, sizeof res->exception, "%s", oc.exception->effect);
    if (oc.policy) snprintf(res->policy, sizeof res->policy, "%s", oc.policy);
    res->has_fee = oc.rate > 0;
    res->rate_ppm = oc.rate;
    res->amount_cents = amount;
    res->numbers = c.numbers;
    if (oc.verdict == TG_LICENSE_EXCEPTION && oc.exception->notification_days > 0)
      res->notice_days = oc.exception->notification_days;
    res->cap_percent = c.cap_percent;
    if (o->hq) memcpy(res->hq, c.f.hq, sizeof res->hq);
  }
  ctx_free(&c);
  if (!res) return tg__set_error(err, TG_ENOMEM, "out of memory");
  *out = res;
  return TG_OK;
}
