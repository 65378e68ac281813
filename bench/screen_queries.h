/* screen_queries.h - the benchmark's screening queries, shared by
 * bench_screen.c (speed) and bench_screen_hits.c (answers unchanged):
 * half list names with one transposition, half invented names. */
#ifndef TG_BENCH_SCREEN_QUERIES_H
#define TG_BENCH_SCREEN_QUERIES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"

/* Queries: half list names with one transposition, half invented names. */
static char **make_queries(const tg__index *sc, int n) {
  static const char *const syl[] = {"ka", "lo", "mi", "ren", "tor", "vex", "dal", "qui", "zen",
                                    "bra", "nor", "sil", "pha", "gru", "wen", "tek"};
  static const char *const words[] = {"Trading", "Precision", "Instruments", "Logistics",
                                      "Electronics", "Holdings", "Co., Ltd.", "GmbH", "LLC"};
  char **q = malloc((size_t)n * sizeof *q);
  unsigned r = 12345;
  for (int i = 0; i < n; i++) {
    char buf[512];
    r = r * 1103515245u + 12345u;
    if (i % 2 == 0) {
      const tg__entry *e = sc->entries[(r >> 8) % sc->nentries].e;
      snprintf(buf, sizeof buf, "%s", e->name);
      size_t l = strlen(buf);
      if (l > 6) { /* transpose two letters in the middle */
        char c = buf[l / 2];
        buf[l / 2] = buf[l / 2 + 1];
        buf[l / 2 + 1] = c;
      }
    } else {
      int o = 0;
      for (int k = 0; k < 3; k++, r = r * 1103515245u + 12345u)
        o += snprintf(buf + o, sizeof buf - (size_t)o, "%s", syl[(r >> 10) % 16]);
      snprintf(buf + o, sizeof buf - (size_t)o, " %s %s", words[(r >> 12) % 9], words[(r >> 16) % 9]);
    }
    q[i] = strdup(buf);
  }
  return q;
}

#endif
