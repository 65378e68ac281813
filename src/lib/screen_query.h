/* screen_query.h - a screening query and its hits (screen_query.c), and
 * their JSON (screen_api.c). */
#ifndef TG_SCREEN_QUERY_H
#define TG_SCREEN_QUERY_H

#include <jansson.h>

#include "screen_score.h"

typedef struct tg__query {
  const tg_screener *sc;
  tg__tokens t;
  tg__unitset units;
  float w[TG__MAX_TOKENS];        /* weight of each query token */
  float best_sim[TG__MAX_TOKENS]; /* of the vocabulary token it weighs as */
} tg__query;

typedef struct tg__hit {
  uint32_t entry, name;
  double score;
  int rank; /* of the entry's list */
  tg__alignment al;
} tg__hit;

/* Screens a name: up to cap hits at or above min_score, best first.
 * Returns the count, or -1 when out of memory. */
int tg__screen_query(const tg_screener *sc, tg__query *q, const char *name,
                     const char *country, double min_score, tg__hit *hits, int cap);
/* Weights of tokens as the loaded lists give them (1 each without lists). */
void tg__weigh(const tg_screener *sc, const tg__tokens *t, float *w);
void tg__scratch_free(tg__scratch *s);

/* A hit as JSON: score, list, entry, matched name, tokens, policy. */
/* What a screening rests on (screen_evidence.c): {"threshold", "lists":
 * [{kind, title, published, files, entries, age_days, stale}], "entries",
 * "max_age_days", "stale"}; as_of 0 = age unknown; max_age_days <= 0 =
 * 30.  New reference. */
json_t *tg__screen_evidence(const tg_screener *sc, double threshold, tg_date as_of, int max_age_days);
/* Appends a warning for each stale or undated list of an evidence object. */
void tg__screen_stale_warnings(const json_t *ev, json_t *warnings);
json_t *tg__hit_json(const tg_screener *sc, const tg__query *q, const tg__hit *h);
/* The tokens an alignment paired, as [{"query","entry","score"}]. */
json_t *tg__pairs_json(const tg__tokens *a, const tg__tokens *b, const tg__alignment *al);

#endif
