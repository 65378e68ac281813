/* screen_norm_refweights.c - the reference token weights
 * (DATA_DIR/screening/token-df.tsv, made by tools/screen_refweights.py):
 * how many names of real lists each token is in, so that two names
 * compared with no list loaded (tg_match) weigh their words on the scale
 * an index of those lists gives (screen_index.c: ln(1 + names/df)), the
 * scale the scorer's weights were fitted on.  A token not in the table
 * weighs as a token in one name: ln(1 + names), the weight the index
 * gives a token it has not seen.  Calls nothing but the utilities. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"

static int cmp_ref(const void *a, const void *b) {
  return strcmp(((const tg__refw *)a)->tok, ((const tg__refw *)b)->tok);
}

/* A count: decimal digits only, 1..max; 0 when not. */
static unsigned long count_of(const char *s, unsigned long max) {
  unsigned long v = 0;
  if (!*s) return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (unsigned long)(*s - '0');
    if (v > max) return 0;
  }
  return v;
}

#define MAX_NAMES 100000000UL /* a hundred million names: far above any list */

static tg_status bad(tg_error *err, const char *path, int line, const char *why) {
  return tg__set_error(err, TG_EPARSE, "%s:%d: %s", path, line, why);
}

/* The lines: "@names<TAB>N" once, first, then "token<TAB>df" in strictly
 * ascending byte order (no repeats), 1 <= df <= N; '#' comments and
 * blank lines skipped. */
static tg_status parse_lines(char *text, size_t len, const char *path, tg__refweights *r,
                             size_t cap, tg_error *err) {
  unsigned long names = 0;
  const char *prev = NULL;
  int line = 0;
  for (size_t at = 0; at < len;) {
    char *l = text + at, *nl = memchr(l, '\n', len - at);
    size_t n = nl ? (size_t)(nl - l) : len - at;
    at += n + 1;
    line++;
    l[n] = '\0'; /* the newline, or the terminator past the text */
    if (n && l[n - 1] == '\r') l[--n] = '\0';
    if (strlen(l) != n) return bad(err, path, line, "NUL byte in the line");
    if (!n || l[0] == '#') continue;
    char *tab = strchr(l, '\t');
    if (!tab || tab == l) return bad(err, path, line, "expected TOKEN<TAB>COUNT");
    *tab++ = '\0';
    if (!strcmp(l, "@names")) {
      if (names) return bad(err, path, line, "a second @names line");
      if (!(names = count_of(tab, MAX_NAMES)))
        return bad(err, path, line, "@names is not a count of 1 to 100000000");
      r->unknown = (float)log(1.0 + (double)names);
      continue;
    }
    if (!names) return bad(err, path, line, "a token before the @names line");
    if (l[0] == '@' || strlen(l) >= 2 * TG__MAX_TOKEN || strchr(l, ' '))
      return bad(err, path, line, "not a token (no '@' first, no space, under 96 bytes)");
    unsigned long df = count_of(tab, names);
    if (!df) return bad(err, path, line, "the count is not a number of 1 to @names");
    if (prev && strcmp(prev, l) >= 0) return bad(err, path, line, "token repeated or out of order");
    if (r->n >= cap) return bad(err, path, line, "more tokens than lines"); /* not reached */
    r->v[r->n++] = (tg__refw){l, (float)log(1.0 + (double)names / (double)df)};
    prev = l;
  }
  if (!names) return tg__set_error(err, TG_EPARSE, "%s: no @names line", path);
  return TG_OK;
}

tg_status tg__refweights_parse(char *text, size_t len, const char *path, tg__refweights *out,
                               tg_error *err) {
  memset(out, 0, sizeof *out);
  out->text = text;
  size_t lines = 1;
  for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++) lines++;
  out->v = tg__malloc(lines * sizeof *out->v);
  if (!out->v) {
    tg__refweights_free(out);
    return tg__set_error(err, TG_ENOMEM, "out of memory reading %s", path);
  }
  tg_status st = parse_lines(text, len, path, out, lines, err);
  if (st != TG_OK) tg__refweights_free(out);
  return st;
}

void tg__refweights_free(tg__refweights *r) {
  tg__free(r->text);
  tg__free(r->v);
  memset(r, 0, sizeof *r);
}

float tg__refweights_get(const tg__refweights *r, const char *tok) {
  tg__refw key = {tok, 0};
  const tg__refw *p = r->n ? bsearch(&key, r->v, r->n, sizeof *r->v, cmp_ref) : NULL;
  return p ? p->w : r->unknown;
}
