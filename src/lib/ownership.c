/* ownership.c - ownership files for the Affiliates Rule: CSV records
 * (party, owner, percent, source, date), read with the screening CSV
 * reader, each checked and kept with its line for the answer's reasons. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ownership_int.h"
#include "lists_int.h"

#define OWN_COLUMNS(X) X(party) X(owner) X(percent) X(source) X(date)

static tg_status own_error(tg_error *err, const char *origin, int line, const char *what) {
  return tg__set_error(err, TG_EPARSE, "%s:%d: %s", origin, line, what);
}

void tg_ownership_destroy(tg_ownership *o) {
  if (!o) return;
  for (size_t i = 0; i < o->n; i++) {
    tg__free(o->recs[i].party);
    tg__free(o->recs[i].owner);
    tg__free(o->recs[i].source);
  }
  tg__free(o->recs);
  tg__free(o);
}

size_t tg_ownership_count(const tg_ownership *o) { return o ? o->n : 0; }

static char *dup_field(const char *s, size_t n) {
  char *d = tg__malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* One record from the fields at col[] of the CSV's current row. */
static tg_status read_record(tg__csv *c, const int *col, const char *origin, tg__owner_rec *r,
                             tg_error *err) {
  enum { PARTY, OWNER, PERCENT, SOURCE, DATE };
  for (int k = 0; k < 5; k++)
    if ((size_t)col[k] >= c->nfields || c->lens[col[k]] == 0) {
      static const char *const names[] = {
#define OWN_NAME(x) #x,
          OWN_COLUMNS(OWN_NAME)
#undef OWN_NAME
      };
      char msg[80];
      snprintf(msg, sizeof msg, "'%s' is empty", names[k]);
      return own_error(err, origin, c->line, msg);
    }
  char num[32];
  size_t pl = c->lens[col[PERCENT]];
  if (pl >= sizeof num) return own_error(err, origin, c->line, "'percent' is not a number from 0 to 100");
  memcpy(num, c->fields[col[PERCENT]], pl);
  num[pl] = '\0';
  if (pl && num[pl - 1] == '%') num[pl - 1] = '\0';
  char *end;
  errno = 0;
  double pct = strtod(num, &end);
  if (end == num || *end || errno || !(pct >= 0 && pct <= 100))
    return own_error(err, origin, c->line, "'percent' is not a number from 0 to 100");
  char d[16];
  size_t dl = c->lens[col[DATE]];
  if (dl >= sizeof d) return own_error(err, origin, c->line, "'date' is not a date YYYY-MM-DD");
  memcpy(d, c->fields[col[DATE]], dl);
  d[dl] = '\0';
  if (tg_date_parse(d, &r->date) != TG_OK)
    return own_error(err, origin, c->line, "'date' is not a date YYYY-MM-DD");
  r->percent = pct;
  r->line = c->line;
  r->party = dup_field(c->fields[col[PARTY]], c->lens[col[PARTY]]);
  r->owner = dup_field(c->fields[col[OWNER]], c->lens[col[OWNER]]);
  r->source = dup_field(c->fields[col[SOURCE]], c->lens[col[SOURCE]]);
  if (!r->party || !r->owner || !r->source) return tg__set_error(err, TG_ENOMEM, "out of memory");
  return TG_OK;
}

/* The header: the column of each name (any order, other columns allowed). */
static tg_status read_header(tg__csv *c, const char *origin, int *col, tg_error *err) {
  static const char *const names[] = {
#define OWN_NAME(x) #x,
      OWN_COLUMNS(OWN_NAME)
#undef OWN_NAME
  };
  for (int k = 0; k < 5; k++) {
    col[k] = -1;
    for (size_t i = 0; i < c->nfields; i++)
      if (c->lens[i] == strlen(names[k]) && !strncmp(c->fields[i], names[k], c->lens[i])) col[k] = (int)i;
    if (col[k] < 0) {
      char msg[120];
      snprintf(msg, sizeof msg, "the header must name party, owner, percent, source, date (no '%s')",
               names[k]);
      return own_error(err, origin, c->line, msg);
    }
  }
  return TG_OK;
}

tg_status tg_ownership_parse(const char *text, size_t len, const char *origin, tg_ownership **out,
                             tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_ownership_parse: no output");
  *out = NULL;
  if (!text) return tg__set_error(err, TG_EINVAL, "tg_ownership_parse: no text");
  if (!origin) origin = "ownership";
  tg_ownership *o = tg__calloc(1, sizeof *o);
  if (!o) return tg__set_error(err, TG_ENOMEM, "out of memory");
  tg__csv c;
  tg__csv_init(&c, text, len);
  const char *msg = NULL;
  int col[5], k;
  tg_status st = TG_OK;
  size_t cap = 0;
  if ((k = tg__csv_next(&c, &msg)) != 1) {
    st = k == -2 ? tg__set_error(err, TG_ENOMEM, "out of memory")
                 : own_error(err, origin, c.line ? c.line : 1, k < 0 ? msg : "the file is empty");
    goto done;
  }
  if ((st = read_header(&c, origin, col, err)) != TG_OK) goto done;
  while ((k = tg__csv_next(&c, &msg)) == 1) {
    if (c.nfields == 1 && c.lens[0] == 0) continue; /* a blank line */
    if (!tg__grow(&o->recs, &cap, o->n + 1, sizeof *o->recs)) {
      st = tg__set_error(err, TG_ENOMEM, "out of memory");
      goto done;
    }
    memset(&o->recs[o->n], 0, sizeof o->recs[o->n]);
    st = read_record(&c, col, origin, &o->recs[o->n], err);
    o->n++; /* counted even when failed, so its strings are freed */
    if (st != TG_OK) goto done;
  }
  if (k != 0) st = k == -2 ? tg__set_error(err, TG_ENOMEM, "out of memory") : own_error(err, origin, c.line, msg);
done:
  tg__csv_free(&c);
  if (st != TG_OK) {
    tg_ownership_destroy(o);
    return st;
  }
  *out = o;
  return TG_OK;
}
