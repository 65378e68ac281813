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
  bool wide; /* a joined pair of two full words: found only as written */
} tg__unit;

typedef struct tg__unitset {
  int n;
  tg__unit u[TG__MAX_TOKENS * 2];
} tg__unitset;

typedef struct tg__pair {
  uint32_t qmask, cmask; /* query tokens, entry tokens */
  float sim;
  uint8_t kind; /* TG__PAIR_* */
} tg__pair;

#define TG__PAIR_SPELLING 0 /* by spelling (Jaro-Winkler or equal) */
#define TG__PAIR_FOLDED 1   /* by spelling folds only (romanizations) */
#define TG__PAIR_INITIAL 2  /* an initial and its name ("A." = "Ali") */


typedef struct tg__alignment {
  double score;    /* the scorer's: logistic of the weighted features */
  double coverage; /* the weighted-coverage prefilter score */
  int npairs;
  tg__pair pairs[TG__MAX_TOKENS];
  uint32_t qused, cused;
  uint32_t qweak, cweak; /* names matched by their initial only */
  float f[TG__NFEAT];
} tg__alignment;


/* A name's side of a comparison: tokens (strings), IDF weights, place
 * flags. */
typedef struct tg__side {
  int n;
  const char *tok[TG__MAX_TOKENS];
  const float *w;
  const uint8_t *place;
} tg__side;

void tg__units(const tg__tokens *t, tg__unitset *u);
/* The side of a tokenised name with its weights. */
void tg__side_of(const tg__tokens *t, const float *w, tg__side *s);
/* Greedy best-first alignment of candidate pairs (reordered in place),
 * initials then paired with the names left; sets coverage, qused, cused,
 * pairs.  Returns coverage. */
double tg__align(const tg__side *q, const tg__side *c, tg__pair *pairs, int np,
                 tg__alignment *out);
/* Features of an alignment and the score from the tables' weights
 * (al->f, al->score).  max_weight is the IDF of an unseen token. */
double tg__judge(const tg__tables *t, const tg__side *q, const tg__side *c, float max_weight,
                 tg__alignment *al);
/* Scores two token lists with their weights directly (no index). */
double tg__score_names(const tg__tables *tab, const tg__tokens *ta, const tg__unitset *a,
                       const float *wa, const tg__tokens *tb, const tg__unitset *b,
                       const float *wb, float max_weight, tg__alignment *out);

#endif
