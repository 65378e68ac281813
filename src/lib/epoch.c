/* epoch.c - the rule epochs, one sorted table for every cache by date
 * (the classification cache here, the server's chart via tg_rules_epoch):
 * a new epoch starts on each date a rule set takes effect, ends, reaches
 * its compliance date or stops being enforced; on (and the day after) each
 * date a rule's condition compares the date with; and where a dated
 * Country Group change (group_history.c) leaves the old membership (the
 * day after old_until) and reaches the new one (new_from).  Also the
 * per-(chip, epoch) slots of the classification cache. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "pieces_int.h"

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
 * expressions or text read the date (other than against the literal dates
 * in the table, which the check cannot tell apart) or a group (whose
 * flags name the day) may answer differently on two days of one epoch:
 * then nothing is cached. */
static bool rule_reads_date(const tg__rule *r) {
  if (r->kind != TG__R_CLASSIFY && r->kind != TG__R_WARNING) return false;
  bool yes = false;
  if (r->when) tg__expr_idents(r->when, reads_date, &yes);
  if (r->unless) tg__expr_idents(r->unless, reads_date, &yes);
  for (size_t i = 0; i < r->ncases; i++)
    if (r->cases[i].when) tg__expr_idents(r->cases[i].when, reads_date, &yes);
  return yes || (r->text && strstr(r->text, "{date}"));
}

typedef struct dates {
  tg_date *d;
  size_t n, cap;
} dates;

static bool add(dates *t, tg_date d) {
  if (!tg__grow(&t->d, &t->cap, t->n + 1, sizeof *t->d)) return false;
  t->d[t->n++] = d;
  return true;
}

/* Each YYYY-MM-DD in an expression's text, and the day after it (for a
 * strict comparison). */
static bool literal_dates(dates *t, const char *src) {
  for (const char *p = src; p && *p; p++) {
    if (!isdigit((unsigned char)p[0])) continue;
    if (strlen(p) < 10) break;
    char d[11];
    memcpy(d, p, 10);
    d[10] = '\0';
    tg_date v;
    if (d[4] == '-' && d[7] == '-' && tg_date_parse(d, &v) == TG_OK) {
      if (!add(t, v) || !add(t, v + 1)) return false;
      p += 9;
    }
  }
  return true;
}

static bool collect(const tg_engine *e, dates *t) {
  bool ok = true;
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    ok &= add(t, rs->effective);
    if (rs->has_ends) ok &= add(t, rs->ends);
    if (rs->has_not_enforced) ok &= add(t, rs->not_enforced_from);
    if (rs->has_compliance) ok &= add(t, rs->compliance_from);
    for (size_t k = 0; k < rs->nrules; k++) {
      const tg__rule *r = &rs->rules[k];
      ok &= literal_dates(t, r->when_src) && literal_dates(t, r->unless_src);
      for (size_t c = 0; c < r->ncases; c++) ok &= literal_dates(t, r->cases[c].when_src);
    }
  }
  for (size_t i = 0; i < e->ngroup_changes; i++)
    ok &= add(t, e->group_changes[i].old_until + 1) && add(t, e->group_changes[i].new_from);
  return ok;
}

/* The first day of epoch i (any day of it: the applied rule sets are the
 * same on each). */
static tg_date epoch_day(const tg_engine *e, size_t i) {
  return i ? e->epoch_starts[i - 1] : (e->nepochs > 1 ? e->epoch_starts[0] - 1 : 0);
}

/* e->us_rules and e->us_at, after the epochs. */
static bool us_rules_build(tg_engine *e) {
  size_t cap = e->nepochs * e->nrules + 1, n = 0;
  e->us_rules = tg__calloc(cap, sizeof *e->us_rules);
  e->us_at = tg__calloc(e->nepochs * TG__R_NKINDS + 1, sizeof *e->us_at);
  if (!e->us_rules || !e->us_at) return false;
  for (size_t i = 0; i < e->nepochs; i++) {
    tg_date d = epoch_day(e, i);
    for (size_t k = 0; k < TG__R_NKINDS; k++) {
      e->us_at[i * TG__R_NKINDS + k] = n;
      for (size_t si = 0; si < e->nrulesets; si++) {
        const tg__ruleset *rs = e->rulesets[si];
        if (tg__ruleset_foreign(rs) || !tg__ruleset_applied(rs, d)) continue;
        for (size_t ri = 0; ri < rs->nrules; ri++)
          if (rs->rules[ri].kind == (tg__rkind)k) e->us_rules[n++] = &rs->rules[ri];
      }
    }
  }
  e->us_at[e->nepochs * TG__R_NKINDS] = n;
  return true;
}

tg_status tg__epochs_build(tg_engine *e, tg_error *err) {
  dates t = {0};
  if (!collect(e, &t)) {
    tg__free(t.d);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  e->epoch_cache_ok = true;
  for (size_t i = 0; i < e->nrulesets; i++)
    for (size_t j = 0; j < e->rulesets[i]->nrules; j++)
      if (rule_reads_date(&e->rulesets[i]->rules[j])) e->epoch_cache_ok = false;
  qsort(t.d, t.n, sizeof *t.d, cmp_date);
  size_t u = 0;
  for (size_t i = 0; i < t.n; i++)
    if (!u || t.d[u - 1] != t.d[i]) t.d[u++] = t.d[i];
  e->epoch_starts = t.d;
  e->nepochs = u + 1;
  for (size_t i = 0; i < e->nchips; i++) e->chips[i]->catalog_ix = i;
  e->class_cache = tg__calloc(e->nchips * e->nepochs + 1, sizeof *e->class_cache);
  e->item_truths = tg__calloc(e->nchips * e->nrules * 2 + 1, sizeof *e->item_truths);
  e->metrics_pieces = tg__pieces_new(e->nchips);
  e->rule_sets_pieces = tg__pieces_new(e->nepochs * TG__RULE_SETS_DEPTHS);
  if (!e->class_cache || !us_rules_build(e) || !e->item_truths || !e->metrics_pieces ||
      !e->rule_sets_pieces)
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  return TG_OK;
}

tg__rule_list tg__us_rules(const tg_engine *e, tg_date d, tg__rkind k) {
  const size_t *at = e->us_at + tg__epoch_of(e, d) * TG__R_NKINDS + k;
  return (tg__rule_list){.r = e->us_rules + at[0], .n = at[1] - at[0]};
}

tg_date tg_rules_epoch(const tg_engine *e, tg_date on) {
  size_t i = e && e->epoch_starts ? tg__epoch_of(e, on) : 0;
  if (i > 0) return e->epoch_starts[i - 1];
  /* before every boundary: one span, from the first day a date may name */
  tg_date min = tg_date_from_ymd(1900, 1, 1);
  return on < min ? on : min;
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
  tg__free(e->us_rules);
  tg__free(e->us_at);
  tg__free((void *)e->item_truths);
  tg__pieces_free(e->metrics_pieces, e->nchips);
  tg__pieces_free(e->rule_sets_pieces, e->nepochs * TG__RULE_SETS_DEPTHS);
}

bool tg__catalog_chip(const tg_engine *e, const tg_chip *c) {
  return c->from_catalog && c->catalog_ix < e->nchips && e->chips[c->catalog_ix] == c;
}
