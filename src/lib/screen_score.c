/* screen_score.c - scoring a name against another, token by token.
 *
 * Both names are token lists with weights (IDF from the loaded lists, so
 * "huawei" weighs more than "technology").  Candidate pairs are a query
 * token or joined pair of adjacent tokens against an entry token or
 * joined pair, with their similarity (tg__token_sim: Jaro-Winkler with
 * floors) when the two are within the deletion distance of the index
 * (so tg_match agrees with tg_screen).  Pairs are taken greedily, best
 * first, each token used once; the score is
 *
 *   sum(sim * (w_query + w_entry) over pairs)
 *   / (all query weight + matched entry weight + ALPHA * unmatched entry weight)
 *
 * so an extra query word costs its full weight and an extra entry word
 * (a branch, a department) half of it; an unmatched place name
 * (places.txt: "Zhejiang Dahua Technology" for "Dahua Technology") costs
 * 0.3 in the query, 0.25 in the entry.  1.0 = every token the same. */
#include <stdlib.h>
#include <string.h>

#include "screen_score.h"

#define ALPHA 0.5    /* an unmatched entry word */
#define PLACE_Q TG__PLACE_Q
#define PLACE_C 0.25 /* an unmatched place in the entry */

static int popcount32(uint32_t x) { return __builtin_popcount(x); }

static int cmp_pair(const void *a, const void *b) {
  const tg__pair *x = a, *y = b;
  if (x->sim != y->sim) return x->sim < y->sim ? 1 : -1;
  int bx = popcount32(x->qmask) + popcount32(x->cmask), by = popcount32(y->qmask) + popcount32(y->cmask);
  return by - bx;
}

double tg__align(const float *wq, const uint8_t *pq, int nq, const float *wc, const uint8_t *pc,
                 int nc, tg__pair *pairs, int np, tg__alignment *out) {
  qsort(pairs, (size_t)np, sizeof *pairs, cmp_pair);
  uint32_t qused = 0, cused = 0;
  double num = 0, den = 0;
  out->npairs = 0;
  for (int i = 0; i < np; i++) {
    const tg__pair *p = &pairs[i];
    if ((p->qmask & qused) || (p->cmask & cused)) continue;
    qused |= p->qmask;
    cused |= p->cmask;
    double w = 0;
    for (int k = 0; k < nq; k++)
      if (p->qmask >> k & 1) w += wq[k];
    for (int k = 0; k < nc; k++)
      if (p->cmask >> k & 1) w += wc[k];
    num += p->sim * w;
    if (out->npairs < TG__MAX_TOKENS) out->pairs[out->npairs++] = *p;
  }
  for (int k = 0; k < nq; k++) den += (qused >> k & 1) ? wq[k] : pq[k] ? PLACE_Q * wq[k] : wq[k];
  for (int k = 0; k < nc; k++) den += (cused >> k & 1) ? wc[k] : pc[k] ? PLACE_C * wc[k] : ALPHA * wc[k];
  out->qused = qused;
  out->cused = cused;
  out->score = den > 0 ? num / den : 0;
  if (out->score > 1) out->score = 1;
  return out->score;
}

/* ---- units: tokens and joined adjacent pairs -------------------------- */

void tg__units(const tg__tokens *t, tg__unitset *u) {
  u->n = 0;
  for (int i = 0; i < t->n; i++) {
    tg__unit *x = &u->u[u->n++];
    x->len = strlen(t->tok[i]);
    memcpy(x->s, t->tok[i], x->len + 1);
    x->mask = 1u << i;
  }
  for (int i = 0; i + 1 < t->n; i++) {
    size_t la = strlen(t->tok[i]), lb = strlen(t->tok[i + 1]);
    if (!((la <= 4 && lb <= 8) || (lb <= 4 && la <= 8))) continue;
    tg__unit *x = &u->u[u->n++];
    memcpy(x->s, t->tok[i], la);
    memcpy(x->s + la, t->tok[i + 1], lb + 1);
    x->len = la + lb;
    x->mask = 3u << i;
  }
}

/* Token pairs within the index's reach: a shared deletion variant. */
static bool near(const tg__unit *a, const tg__unit *b) {
  if (a->len == b->len && !memcmp(a->s, b->s, a->len)) return true;
  uint64_t va[200], vb[200];
  size_t na = tg__deletions(a->s, a->len, tg__del_k(a->len), va, 200);
  size_t nb = tg__deletions(b->s, b->len, tg__del_k(b->len), vb, 200);
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < nb; j++)
      if (va[i] == vb[j]) return true;
  return false;
}

double tg__score_names(const tg__tokens *ta, const tg__unitset *a, const float *wa,
                       const tg__tokens *tb, const tg__unitset *b, const float *wb,
                       tg__alignment *out) {
  tg__pair pairs[256];
  int np = 0;
  for (int i = 0; i < a->n; i++)
    for (int j = 0; j < b->n && np < 256; j++) {
      const tg__unit *x = &a->u[i], *y = &b->u[j];
      if (popcount32(x->mask) > 1 && popcount32(y->mask) > 1) continue;
      bool joined = popcount32(x->mask) > 1 || popcount32(y->mask) > 1;
      double s = tg__token_sim(x->s, x->len, y->s, y->len, joined);
      if (s <= 0 || !near(x, y)) continue;
      pairs[np++] = (tg__pair){x->mask, y->mask, (float)s};
    }
  return tg__align(wa, ta->place, ta->n, wb, tb->place, tb->n, pairs, np, out);
}
