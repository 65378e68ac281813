/* envelope_grid.c - answers every cell of the design envelope (envelope.c
 * cuts the axes).  Two things keep it to a few evaluations:
 *  - a memo per rule whose truth depends only on some axes (the metrics
 *    it reads): its truth per combination of those axes' cells, handed to
 *    the outcome core through the cache once known;
 *  - a table of signatures: a cell's outcome is decided by what the
 *    outcome core consults, that is the truths of the memo rules and the
 *    cells of the axes that the other varying rules and the review-policy
 *    cases read.  After a cell is evaluated, the signature of what was
 *    known then (memo truths, unknown where never needed, and those axes'
 *    cells) is kept with its outcome; a later cell whose known truths and
 *    cells are the same takes that outcome, since the core would consult
 *    the same truths in the same order and reach the same answer.
 * tests/unit/test_envelope.c checks every region against tg_check. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "envelope_int.h"

/* ---- what a rule reads ------------------------------------------------ */

typedef struct reads { unsigned axes; bool other; } reads;

static void note_read(void *arg, const tg__expr *x) {
  static const struct { const char *fact; unsigned axes; } m[] = {
      {"tpp", 1u << TG__AX_TPP}, {"peak_tops", 1u << TG__AX_TPP}, {"pd", 1u << TG__AX_PD},
      {"die_area", (1u << TG__AX_TPP) | (1u << TG__AX_PD)}, {"memory_bw", 1u << TG__AX_MEM},
      {"io_bw", 1u << TG__AX_IO}};
  static const char *const derived[] = {"eccn", "license_required", "subject", NULL};
  reads *r = arg;
  for (size_t i = 0; i < sizeof m / sizeof *m; i++)
    if (!strcmp(x->str, m[i].fact)) r->axes |= m[i].axes;
  for (int i = 0; derived[i]; i++)
    if (!strcmp(x->str, derived[i])) r->other = true;
}

/* Memory and interconnect points come together (with their sum). */
static unsigned coupled(unsigned axes) {
  if (axes & ((1u << TG__AX_MEM) | (1u << TG__AX_IO)))
    axes |= (1u << TG__AX_MEM) | (1u << TG__AX_IO) | (1u << TG__AX_SUM);
  return axes;
}

static reads rule_reads(const tg__rule *r, bool with_cases) {
  reads rd = {0, false};
  if (r->when) tg__expr_idents(r->when, note_read, &rd);
  if (r->unless) tg__expr_idents(r->unless, note_read, &rd);
  for (size_t k = 0; with_cases && k < r->ncases; k++)
    if (r->cases[k].when) tg__expr_idents(r->cases[k].when, note_read, &rd);
  rd.axes = coupled(rd.axes);
  return rd;
}

/* ---- memo: rules that read only metrics ------------------------------ */

/* The rules the memo can serve: varying only through the axes (the facts
 * a decision derives, such as eccn, differ with the phases before).  The
 * others, and every rule's review-policy cases, put the axes they read
 * into *direct. */
static tg_status memo_init(tg__envelope *env, unsigned *direct) {
  const tg_engine *e = env->e;
  *direct = 0;
  env->memo = tg__calloc(env->cache.n + 1, sizeof *env->memo);
  if (!env->memo) return TG_ENOMEM;
  for (size_t si = 0; si < e->nrulesets; si++) {
    const tg__ruleset *rs = e->rulesets[si];
    if (tg__ruleset_foreign(rs) || !tg__ruleset_applied(rs, env->on)) continue;
    for (size_t ri = 0; ri < rs->nrules; ri++) {
      const tg__rule *r = &rs->rules[ri];
      for (size_t k = 0; k < r->ncases; k++) { /* evaluated by the core, never cached */
        reads c = {0, false};
        if (r->cases[k].when) tg__expr_idents(r->cases[k].when, note_read, &c);
        *direct |= coupled(c.axes);
      }
      size_t slot = env->cache.base[si] + ri;
      if (env->cache.truth[slot] != TG__OC_VARIES) continue;
      reads rd = rule_reads(r, false);
      if (rd.other || !rd.axes) {
        *direct |= rd.axes;
        continue;
      }
      size_t n = 1;
      for (int a = 0; a < TG__NAX; a++)
        if (rd.axes & (1u << a)) n *= env->ax[a].ncells;
      tg__memo *m = &env->memo[env->nmemo];
      if (!(m->v = tg__malloc(n))) return TG_ENOMEM;
      memset(m->v, TG__OC_UNSET, n);
      m->slot = slot;
      m->rule = r;
      m->axes = rd.axes;
      env->nmemo++;
    }
  }
  return TG_OK;
}

/* The index of cell coordinates c over the axes in mask. */
static size_t key_of(const tg__envelope *env, unsigned mask, const size_t c[TG__NAX]) {
  size_t k = 0;
  for (int a = TG__NAX - 1; a >= 0; a--)
    if (mask & (1u << a)) k = k * env->ax[a].ncells + c[a];
  return k;
}

static void memo_free(tg__envelope *env) {
  for (size_t i = 0; env->memo && i < env->nmemo; i++) tg__free(env->memo[i].v);
  tg__free(env->memo);
  env->memo = NULL;
  env->nmemo = 0;
}

/* ---- signatures ------------------------------------------------------ */

typedef struct sigtab {
  size_t len;           /* bytes per signature */
  unsigned char *arena; /* signatures, one after another */
  size_t n, cap;        /* signatures kept, room in arena */
  int32_t *slot;        /* open addressing: index of the signature, -1 none */
  int16_t *out;         /* outcome per signature */
  size_t nslot;         /* a power of two */
} sigtab;

static uint64_t hash(const unsigned char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ull;
  return h;
}

/* The place of sig in the table: its slot, or the empty slot it would take. */
static size_t find(const sigtab *t, const unsigned char *sig) {
  size_t i = hash(sig, t->len) & (t->nslot - 1);
  while (t->slot[i] >= 0 && memcmp(t->arena + (size_t)t->slot[i] * t->len, sig, t->len) != 0)
    i = (i + 1) & (t->nslot - 1);
  return i;
}

static tg_status grow(sigtab *t) {
  size_t ns = t->nslot ? 2 * t->nslot : 64;
  int32_t *slot = tg__malloc(ns * sizeof *slot);
  if (!slot) return TG_ENOMEM;
  memset(slot, 0xff, ns * sizeof *slot); /* -1 */
  tg__free(t->slot);
  t->slot = slot;
  t->nslot = ns;
  for (size_t k = 0; k < t->n; k++) t->slot[find(t, t->arena + k * t->len)] = (int32_t)k;
  return TG_OK;
}

static tg_status add(sigtab *t, const unsigned char *sig, int16_t out) {
  if ((t->n + 1) * 2 > t->nslot && grow(t) != TG_OK) return TG_ENOMEM;
  size_t i = find(t, sig);
  if (t->slot[i] >= 0) return TG_OK; /* kept already (with the same outcome) */
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 64;
    unsigned char *a = tg__realloc(t->arena, cap * t->len);
    int16_t *o = tg__realloc(t->out, cap * sizeof *o);
    if (a) t->arena = a;
    if (o) t->out = o;
    if (!a || !o) return TG_ENOMEM;
    t->cap = cap;
  }
  memcpy(t->arena + t->n * t->len, sig, t->len);
  t->out[t->n] = out;
  t->slot[i] = (int32_t)t->n++;
  return TG_OK;
}

static void sigtab_free(sigtab *t) {
  tg__free(t->arena);
  tg__free(t->slot);
  tg__free(t->out);
}

/* The signature of a cell: each memo rule's truth as known now, then the
 * cells of the direct axes. */
static void signature(const tg__envelope *env, const size_t *keys, size_t direct_key,
                      unsigned char *sig) {
  for (size_t i = 0; i < env->nmemo; i++) sig[i] = (unsigned char)env->memo[i].v[keys[i]];
  memcpy(sig + env->nmemo, &direct_key, sizeof direct_key);
}

/* ---- the grid -------------------------------------------------------- */

static int outcome_index(tg__envelope *env, const tg__answer *o) {
  for (size_t i = 0; i < env->nouts; i++)
    if (!strcmp(tg__outcome_class(&env->outs[i]), tg__outcome_class(o)) &&
        env->outs[i].exception_rule == o->exception_rule &&
        env->outs[i].undetermined == o->undetermined)
      return (int)i;
  if (env->nouts == TG__ENV_MAX_OUT) return -2;
  env->outs[env->nouts] = *o;
  return (int)env->nouts++;
}

/* Fills the memo truths of a cell's point that are not known yet; false
 * when none was missing. */
static bool fill_memo(tg__envelope *env, const double p[4], const size_t *keys) {
  tg__facts f;
  tg__eval ev;
  bool any = false;
  for (size_t i = 0; i < env->nmemo; i++) {
    tg__memo *m = &env->memo[i];
    if (m->v[keys[i]] != TG__OC_UNSET) continue;
    if (!any) {
      tg__envelope_facts(env, p, &f);
      tg__eval_init(&ev, &f, "");
      ev.quiet = true;
      any = true;
    }
    m->v[keys[i]] = (signed char)tg__rule_truth(m->rule, &ev);
  }
  return any;
}

/* One cell not answered by a kept signature: evaluated by the outcome
 * core with the known memo truths, whose new truths it then keeps. */
static int eval_cell(tg__envelope *env, const double p[4], const size_t *keys) {
  signed char *truth = env->cache.truth;
  for (size_t i = 0; i < env->nmemo; i++) truth[env->memo[i].slot] = env->memo[i].v[keys[i]];
  tg__answer o;
  tg__envelope_eval(env, p, &o);
  for (size_t i = 0; i < env->nmemo; i++)
    if (truth[env->memo[i].slot] != TG__OC_UNSET) env->memo[i].v[keys[i]] = truth[env->memo[i].slot];
  return outcome_index(env, &o);
}

static tg_status walk_cells(tg__envelope *env, unsigned direct, size_t *keys, sigtab *t,
                            unsigned char *sig, tg_error *err) {
  for (size_t idx = 0; idx < env->ncells; idx++) {
    double p[4];
    if (!tg__envelope_cell_point(env, idx, p)) {
      env->grid[idx] = -1;
      continue;
    }
    size_t c[TG__NAX];
    tg__envelope_coords(env, idx, c);
    for (size_t i = 0; i < env->nmemo; i++) keys[i] = key_of(env, env->memo[i].axes, c);
    size_t dk = key_of(env, direct, c);
    signature(env, keys, dk, sig);
    size_t s = find(t, sig);
    if (t->slot[s] < 0 && fill_memo(env, p, keys)) { /* every truth known: look again */
      signature(env, keys, dk, sig);
      s = find(t, sig);
    }
    if (t->slot[s] >= 0) {
      env->grid[idx] = t->out[t->slot[s]];
      continue;
    }
    int k = eval_cell(env, p, keys);
    if (k < 0) return tg__set_error(err, TG_EINVAL, "envelope: too many distinct outcomes");
    env->grid[idx] = (int16_t)k;
    signature(env, keys, dk, sig); /* what is known after it */
    if (add(t, sig, (int16_t)k) != TG_OK) return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  return TG_OK;
}

tg_status tg__envelope_fill_grid(tg__envelope *env, tg_error *err) {
  size_t n = 1;
  for (int a = 0; a < TG__NAX; a++) n *= env->ax[a].ncells;
  if (n > 2000000) return tg__set_error(err, TG_EINVAL, "envelope: %zu cells is too many", n);
  env->ncells = n;
  env->grid = tg__calloc(n, sizeof *env->grid);
  if (!env->grid) return tg__set_error(err, TG_ENOMEM, "out of memory");
  env->cap = 1;
  for (int a = TG__AX_MEM; a <= TG__AX_SUM; a++)
    for (size_t k = 0; k < env->ax[a].nthr; k++) env->cap = fmax(env->cap, 2 * env->ax[a].thr[k].v);
  unsigned direct;
  sigtab t = {0};
  size_t *keys = NULL;
  unsigned char *sig = NULL;
  tg_status st = memo_init(env, &direct);
  if (st == TG_OK) {
    t.len = env->nmemo + sizeof(size_t);
    keys = tg__calloc(env->nmemo + 1, sizeof *keys);
    sig = tg__malloc(t.len);
    if (!keys || !sig || grow(&t) != TG_OK) st = TG_ENOMEM;
  }
  if (st != TG_OK) tg__set_error(err, st, "out of memory");
  else st = walk_cells(env, direct, keys, &t, sig, err);
  for (size_t i = 0; i < env->nmemo; i++) env->cache.truth[env->memo[i].slot] = TG__OC_VARIES;
  memo_free(env); /* points evaluated later (derate) go to the outcome core whole */
  sigtab_free(&t);
  tg__free(keys);
  tg__free(sig);
  return st;
}
