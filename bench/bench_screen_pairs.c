/* bench_screen_pairs.c - the scorer's features for name pairs, for
 * fitting and measuring it (tools/screen_devset.py, tools/screen_fit.py,
 * bench/screen_pairwise.py), and the index's vocabulary
 * (tools/screen_refweights.py); not a test.  Lists give the token
 * weights, as in screening; with none, the reference weights
 * (token-df.tsv), as tg_match with no list loaded.
 *   pairs:   reads "name1 TAB name2" lines, prints "score TAB f1 ... fN"
 *            (pairs --unweighted: no list and every word 1, a generic
 *            word 0.2, as tg_match weighed words before token-df.tsv)
 *   nearest: reads names, prints the nearest listed name (or "") per line
 *   near K:  reads names, prints the names of the K nearest entries (score
 *            at least 0.01), tab-separated, per line (hard negatives)
 *   vocab:   prints "@names TAB N" (names indexed), then "token TAB df"
 *            per token of the index (df: the names holding it)
 * Usage: bench_screen_pairs pairs [--unweighted] [LISTFILE...] < input
 *        bench_screen_pairs nearest|near K|vocab LISTFILE... [< input] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"

static void chomp(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
}

/* The weights tg_match gave with no list before token-df.tsv. */
static float unweighted(const tg__tables *t, const tg__tokens *tk, float *w) {
  for (int i = 0; i < tk->n; i++) w[i] = tg__tables_generic(t, tk->tok[i]) ? 0.2f : 1;
  return 1;
}

int main(int argc, char **argv) {
  int k = 1, files = 2; /* near K: the K nearest */
  const char *mode = argc > 1 ? argv[1] : "";
  bool near = argc > 3 && !strcmp(mode, "near"), pairs = !strcmp(mode, "pairs");
  bool flat = pairs && argc > 2 && !strcmp(argv[2], "--unweighted");
  if (near) k = atoi(argv[2]), files = 3;
  if (flat) files = 3;
  if ((argc <= files && !pairs) || (!pairs && strcmp(mode, "nearest") && strcmp(mode, "vocab") && !near) ||
      (flat && argc > files) || k < 1 || k > 16) {
    fprintf(stderr, "usage: %s pairs [--unweighted] [LISTFILE...] | nearest|near K|vocab LISTFILE... < input\n",
            argv[0]);
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
      (argc > files &&
       tg_screener_load_files(sc, (const char *const *)argv + files, (size_t)(argc - files), &err) != TG_OK)) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  tg__index *ix = tg__screener_acquire(sc);
  static char line[8192];
  static tg__query q;
  static tg__unitset ua, ub;
  bool nearest = near || !strcmp(argv[1], "nearest");
  if (!strcmp(mode, "vocab")) {
    printf("@names\t%zu\n", ix->nnames);
    for (size_t v = 0; v < ix->nvocab; v++)
      printf("%s\t%u\n", ix->vpool + ix->voff[v], ix->post_off[v + 1] - ix->post_off[v]);
  }
  while (pairs || nearest ? fgets(line, sizeof line, stdin) != NULL : false) {
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
    float unknown = flat ? unweighted(sc->tables, &ta, wa) : tg__unknown_weight(ix);
    if (flat) unweighted(sc->tables, &tb, wb);
    else tg__weigh(ix, &ta, wa), tg__weigh(ix, &tb, wb);
    tg__units(&ta, &ua);
    tg__units(&tb, &ub);
    tg__alignment al;
    double s = tg__score_names(sc->tables, &ta, &ua, wa, &tb, &ub, wb, unknown, &al);
    printf("%.5f", s);
    for (int i = 0; i < TG__NFEAT; i++) printf("\t%.5f", (double)al.f[i]);
    printf("\n");
  }
  tg__index_release(ix);
  tg_screener_destroy(sc);
  tg_engine_close(e);
  return 0;
}
