/* bench_screen_hits.c - the answers a speed change must not alter: every
 * hit (list, entry, matched name, score to the last bit, tokens paired) of
 * a fixed corpus of queries against the CSL + UN lists, written as text
 * with a checksum.  Run it before and after a change to the query path and
 * compare (bench/screen_hits_same.sh does both).  The corpus: the
 * benchmark's queries (screen_queries.h), both names of every pair in
 * tests/screen/ (*.pairs, issue9.match) and of data/screening/devset.tsv,
 * screened at the check's threshold and at half of it (more candidates
 * judged), by the same call tg_screen makes.
 * Usage: bench_screen_hits [QUERIES] > FILE (checksum on stderr). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"
#include "screen_queries.h"

static uint64_t sum = 1469598103934665603ULL;

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...) {
  char buf[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
  for (int i = 0; i < n; i++) sum = (sum ^ (unsigned char)buf[i]) * 1099511628211ULL;
  fwrite(buf, 1, (size_t)n, stdout);
}

static void screen_one(const tg__index *ix, const char *name) {
  static tg__hit hits[64];
  tg__query q;
  const double th[2] = {TG_SCREEN_THRESHOLD, TG_SCREEN_THRESHOLD * 0.5};
  for (int t = 0; t < 2; t++) {
    int n = tg__screen_query(ix, &q, name, NULL, th[t], hits, 64);
    out("%s @%.2f: %d\n", name, th[t], n);
    for (int i = 0; i < n; i++) {
      const tg__hit *h = &hits[i];
      const tg__sentry *se = &ix->entries[h->entry];
      out("  %s/%s name %u %a pairs %d q%x c%x\n", se->list->kind, se->e->ref ? se->e->ref : "-",
          h->name, h->score, h->al.npairs, h->al.qused, h->al.cused);
    }
  }
}

/* Both names of each line of a pairs file: "kind: A | B | why" or a TSV
 * of the development set (name1 and name2, the last two columns). */
static void screen_file(const tg__index *ix, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  char line[4096];
  bool tsv = strstr(path, ".tsv") != NULL;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '#' || !line[0] || !strncmp(line, "split\t", 6)) continue;
    char *a, *b;
    if (tsv) {
      b = strrchr(line, '\t');
      if (!b) continue;
      *b++ = '\0';
      a = strrchr(line, '\t');
      a = a ? a + 1 : line;
    } else {
      a = strchr(line, ':');
      if (!a) continue;
      a++;
      b = strchr(a, '|');
      if (!b) continue;
      *b++ = '\0';
      char *c = strchr(b, '|');
      if (c) *c = '\0';
    }
    screen_one(ix, a);
    if (strcmp(b, " * ") && strcmp(b, "*")) screen_one(ix, b);
  }
  fclose(f);
}

int main(int argc, char **argv) {
  const char *lists[] = {TG_SOURCE_DIR "/../shared/data/lists/csl-2026-07-31.compact.json",
                         TG_SOURCE_DIR "/../shared/data/lists/un-consolidated-2026-02.xml"};
  int nq = argc > 1 && isdigit((unsigned char)argv[1][0]) ? atoi(argv[1]) : 20000;
  tg_engine *e;
  tg_screener *sc;
  tg_error err = {0};
  if (tg_engine_open(TG_DATA_DIR, &e, &err) || tg_screener_create(e, &sc, &err) ||
      tg_screener_load_files(sc, lists, 2, &err)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  tg__index *ix = tg__screener_acquire(sc);
  char **q = make_queries(ix, nq);
  for (int i = 0; i < nq; i++) screen_one(ix, q[i]);
  const char *files[] = {"tests/screen/latin.pairs", "tests/screen/chinese.pairs",
                         "tests/screen/issue9.match", "data/screening/devset.tsv"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", TG_SOURCE_DIR, files[i]);
    screen_file(ix, p);
  }
  fprintf(stderr, "checksum %016llx\n", (unsigned long long)sum);
  for (int i = 0; i < nq; i++) free(q[i]);
  free(q);
  tg__index_release(ix);
  tg_screener_destroy(sc);
  tg_engine_close(e);
  return 0;
}
