/* epoch.c - the rule epochs: the dates at which the set of applied rule
 * sets (or the status shown for one) changes, as a sorted table, and the
 * per-(chip, epoch) slots of the classification cache. */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

static int cmp_date(const void *a, const void *b) {
  tg_date x = *(const tg_date *)a, y = *(const tg_date *)b;
  return (x > y) - (x < y);
}

/* The date, or a Country Group (whose membership may be dated). */
static void reads_date(void *arg, const tg__expr *x) {
  if (x->kind == TG__EX_IDENT && (!strcmp(x->str, "date") || x->slot == TG__SLOT_GROUP))
    *(bool *)arg = true;
}

/* A rule evaluated by a classification (classify, warning) whose
 * expressions or text read the date or a group may decide differently on
 * two days of one epoch: then nothing is cached. */
static bool rule_reads_date(const tg__rule *r) {
  if (r->kind != TG__R_CLASSIFY && r->kind != TG__R_WARNING) return false;
  bool yes = false;
  if (r->when) tg__expr_idents(r->when, reads_date, &yes);
  if (r->unless) tg__expr_idents(r->unless, reads_date, &yes);
  for (size_t i = 0; i < r->ncases; i++)
    if (r->cases[i].when) tg__expr_idents(r->cases[i].when, reads_date, &yes);
  return yes || (r->text && strstr(r->text, "{date}"));
}

tg_status tg__epochs_build(tg_engine *e, tg_error *err) {
  size_t cap = 4 * e->nrulesets, n = 0;
  e->epoch_starts = tg__calloc(cap ? cap : 1, sizeof *e->epoch_starts);
  if (!e->epoch_starts) return tg__set_error(err, TG_ENOMEM, "out of memory");
  e->epoch_cache_ok = true;
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    e->epoch_starts[n++] = rs->effective;
    if (rs->has_ends) e->epoch_starts[n++] = rs->ends;
    if (rs->has_not_enforced) e->epoch_starts[n++] = rs->not_enforced_from;
    if (rs->has_compliance) e->epoch_starts[n++] = rs->compliance_from;
    for (size_t j = 0; j < rs->nrules; j++)
      if (rule_reads_date(&rs->rules[j])) e->epoch_cache_ok = false;
  }
  qsort(e->epoch_starts, n, sizeof *e->epoch_starts, cmp_date);
  size_t u = 0;
  for (size_t i = 0; i < n; i++)
    if (!u || e->epoch_starts[u - 1] != e->epoch_starts[i]) e->epoch_starts[u++] = e->epoch_starts[i];
  e->nepochs = u + 1;
  for (size_t i = 0; i < e->nchips; i++) e->chips[i]->catalog_ix = i;
  e->class_cache = tg__calloc(e->nchips * e->nepochs + 1, sizeof *e->class_cache);
  if (!e->class_cache) return tg__set_error(err, TG_ENOMEM, "out of memory");
  return TG_OK;
}

size_t tg__epoch_of(const tg_engine *e, tg_date d) {
  size_t lo = 0, hi = e->nepochs - 1; /* count of boundaries <= d */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (e->epoch_starts[mid] <= d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void tg__epochs_free(tg_engine *e) {
  if (e->class_cache)
    for (size_t i = 0; i < e->nchips * e->nepochs; i++) tg__free(e->class_cache[i]);
  tg__free(e->class_cache);
  tg__free(e->epoch_starts);
}
