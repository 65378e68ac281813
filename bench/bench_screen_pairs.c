/* bench_screen_pairs.c - the scorer's features for name pairs, for
 * fitting and measuring it (tools/screen_devset.py, tools/screen_fit.py);
 * not a test.  Lists give the token weights, as in screening.
 *   pairs:   reads "name1 TAB name2" lines, prints "score TAB f1 ... fN"
 *   nearest: reads names, prints the nearest listed name (or "") per line
 *   near K:  reads names, prints the names of the K nearest entries (score
 *            at least 0.01), tab-separated, per line (hard negatives)
 * Usage: bench_screen_pairs pairs|nearest|near K LISTFILE... < input */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"

static void chomp(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
}

int main(int argc, char **argv) {
  int k = 1, files = 2; /* near K: the K nearest */
  bool near = argc > 3 && !strcmp(argv[1], "near");
  if (near) k = atoi(argv[2]), files = 3;
  if (argc <= files || (strcmp(argv[1], "pairs") && strcmp(argv[1], "nearest") && !near) || k < 1 ||
      k > 16) {
    fprintf(stderr, "usage: %s pairs|nearest|near K LISTFILE... < input\n", argv[0]);
    return 2;
  }
  tg_engine *e;
  tg_error err;
  if (tg_engine_open(TG_DATA_DIR, &e, &err) != TG_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  tg_screener *sc;
  if (tg_screener_create(e, &sc, &err) != TG_OK ||
      tg_screener_load_files(sc, (const char *const *)argv + files, (size_t)(argc - files), &err) != TG_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  tg__index *ix = tg__screener_acquire(sc);
  static char line[8192];
  static tg__query q;
  static tg__unitset ua, ub;
  bool nearest = near || !strcmp(argv[1], "nearest");
  while (fgets(line, sizeof line, stdin)) {
    chomp(line);
    if (nearest) {
      static tg__hit h[16];
      int n = tg__screen_query(ix, &q, line, NULL, 0.01, h, k);
      for (int i = 0; i < n; i++) printf("%s%s", i ? "\t" : "", ix->text + ix->names[h[i].name].text);
      printf("\n");
      continue;
    }
    char *tab = strchr(line, '\t');
    if (!tab) {
      printf("0\n");
      continue;
    }
    *tab = '\0';
    tg__tokens ta, tb;
    tg__normalize_name(sc->tables, line, &ta);
    tg__normalize_name(sc->tables, tab + 1, &tb);
    float wa[TG__MAX_TOKENS], wb[TG__MAX_TOKENS];
    tg__weigh(ix, &ta, wa);
    tg__weigh(ix, &tb, wb);
    tg__units(&ta, &ua);
    tg__units(&tb, &ub);
    tg__alignment al;
    double s = tg__score_names(sc->tables, &ta, &ua, wa, &tb, &ub, wb, tg__unknown_weight(ix), &al);
    printf("%.5f", s);
    for (int i = 0; i < TG__NFEAT; i++) printf("\t%.5f", (double)al.f[i]);
    printf("\n");
  }
  tg__index_release(ix);
  tg_screener_destroy(sc);
  tg_engine_close(e);
  return 0;
}
