/* screen_score.h - token-wise name scoring shared by tg_screen (pairs from
 * the index) and tg_match (pairs computed directly); see screen_score.c. */
#ifndef TG_SCREEN_SCORE_H
#define TG_SCREEN_SCORE_H

#include "screen_index.h"

#define TG__PLACE_Q 0.3 /* weight of an unmatched place in the query */

/* A token (mask has one bit, its position) or a joined pair of adjacent
 * tokens (two bits). */
typedef struct tg__unit {
  char s[TG__MAX_TOKEN * 2];
  size_t len;
  uint32_t mask;
} tg__unit;

typedef struct tg__unitset {
  int n;
  tg__unit u[TG__MAX_TOKENS * 2];
} tg__unitset;

typedef struct tg__pair {
  uint32_t qmask, cmask; /* query tokens, entry tokens */
  float sim;
} tg__pair;

typedef struct tg__alignment {
  double score;
  int npairs;
  tg__pair pairs[TG__MAX_TOKENS];
  uint32_t qused, cused;
} tg__alignment;

void tg__units(const tg__tokens *t, tg__unitset *u);
/* Greedy best-first alignment of candidate pairs (reordered in place). */
double tg__align(const float *wq, const uint8_t *pq, int nq, const float *wc, const uint8_t *pc,
                 int nc, tg__pair *pairs, int np, tg__alignment *out);
/* Scores two token lists with their weights directly (no index). */
double tg__score_names(const tg__tokens *ta, const tg__unitset *a, const float *wa,
                       const tg__tokens *tb, const tg__unitset *b, const float *wb,
                       tg__alignment *out);

#endif
