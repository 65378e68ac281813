/* rules_epoch.c - the spans of dates over which the rules decide alike: a
 * new span starts on each date a rule set takes effect, ends, reaches its
 * compliance date or stops being enforced, and on (and the day after) each
 * date a rule's condition compares the date with, and where a dated
 * Country Group change (group_history.c) leaves the old membership (the
 * day after old_until) and reaches the new one (new_from).  Callers cache
 * per span (the server's chart) instead of per date. */
#include "engine_int.h"
#include "rules_int.h"

#include <ctype.h>
#include <string.h>

typedef struct best {
  tg_date on, start; /* start: the latest boundary <= on */
} best;

static void boundary(best *b, tg_date d) {
  if (d <= b->on && (b->start == TG_DATE_NONE || d > b->start)) b->start = d;
}

/* Each YYYY-MM-DD in an expression's text, and the day after it (for a
 * strict comparison). */
static void literal_dates(best *b, const char *src) {
  for (const char *p = src; p && *p; p++) {
    if (!isdigit((unsigned char)p[0])) continue;
    char d[11];
    if (strlen(p) < 10) break;
    memcpy(d, p, 10);
    d[10] = '\0';
    tg_date v;
    if (d[4] == '-' && d[7] == '-' && tg_date_parse(d, &v) == TG_OK) {
      boundary(b, v);
      boundary(b, v + 1);
      p += 9;
    }
  }
}

tg_date tg_rules_epoch(const tg_engine *e, tg_date on) {
  best b = {on, TG_DATE_NONE};
  for (size_t i = 0; e && i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    boundary(&b, rs->effective);
    if (rs->has_ends) boundary(&b, rs->ends);
    if (rs->has_compliance) boundary(&b, rs->compliance_from);
    if (rs->has_not_enforced) boundary(&b, rs->not_enforced_from);
    for (size_t k = 0; k < rs->nrules; k++) {
      const tg__rule *r = &rs->rules[k];
      literal_dates(&b, r->when_src);
      literal_dates(&b, r->unless_src);
      for (size_t c = 0; c < r->ncases; c++) literal_dates(&b, r->cases[c].when_src);
    }
  }
  for (size_t i = 0; e && i < e->ngroup_changes; i++) {
    boundary(&b, e->group_changes[i].old_until + 1);
    boundary(&b, e->group_changes[i].new_from);
  }
  if (b.start != TG_DATE_NONE) return b.start;
  /* before every boundary: one span, from the first day a date may name */
  tg_date min = tg_date_from_ymd(1900, 1, 1);
  return on < min ? on : min;
}
