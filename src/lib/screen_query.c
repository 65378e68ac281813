/* screen_query.c - the query layer: one screening query against an index: the query's
 * tokens and joined pairs find nearby vocabulary tokens through the
 * deletion hash; the postings of those tokens mark, per name, which query
 * tokens it could match; names whose reachable weight cannot reach the
 * threshold are skipped; the rest are aligned (screen_score.c) and the
 * best name of each entry becomes a hit.  An address country drops
 * entries whose countries are known and do not include it. */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "screen_int.h"

#define MAP_SLOTS 1024
/* Names whose weighted coverage stays below this are not judged: no
 * name of the development set that matches scores lower (see
 * bench/screen-quality.md). */
#define TG__GATE 0.5
/* Names that could not reach this coverage even if every entry token
 * matched are not aligned at all. */
#define TG__REACH 0.6
#define MAX_MATCH 2048

typedef struct mref {
  int unit, next;
  float sim;
} mref;

typedef struct tg__scratch {
  uint32_t *stamp, *touched; /* per name: in the same block */
  size_t cap, ntouched;
  uint32_t epoch;
  /* vocab id -> matches (query unit, similarity), chained */
  uint32_t slot_id[MAP_SLOTS];
  int slot_head[MAP_SLOTS];
  uint16_t used[MAP_SLOTS]; /* the slots taken, cleared for the next query */
  int nused;
  mref m[MAX_MATCH];
  int nm;
} tg__scratch;

/* A scratch block for the index: the struct and its per-name arrays in
 * one allocation (the index frees it with tg__free). */
static tg__scratch *scratch_get(tg__index *ix) {
  tg__scratch *s = tg__index_scratch_take(ix);
  if (!s) {
    size_t n = ix->nnames + 1;
    s = tg__calloc(1, sizeof *s + 2 * n * sizeof(uint32_t));
    if (!s) return NULL;
    s->stamp = (uint32_t *)(s + 1);
    s->touched = s->stamp + n;
    s->cap = ix->nnames;
    for (size_t i = 0; i < MAP_SLOTS; i++) s->slot_id[i] = TG__NONE;
  }
  for (int i = 0; i < s->nused; i++) s->slot_id[s->used[i]] = TG__NONE;
  s->nused = 0;
  s->nm = 0;
  if (++s->epoch == 0) { /* wrapped: clear stamps */
    memset(s->stamp, 0, s->cap * sizeof *s->stamp);
    s->epoch = 1;
  }
  return s;
}

static void map_add(tg__scratch *s, uint32_t id, int unit, float sim) {
  if (s->nm == MAX_MATCH) return;
  size_t h = (id * 2654435761u) & (MAP_SLOTS - 1);
  while (s->slot_id[h] != TG__NONE && s->slot_id[h] != id) h = (h + 1) & (MAP_SLOTS - 1);
  if (s->slot_id[h] == TG__NONE) {
    if (s->nused == MAP_SLOTS - 1) return; /* full: one slot stays empty to end probes */
    s->used[s->nused++] = (uint16_t)h;
    s->slot_id[h] = id;
    s->slot_head[h] = -1;
  }
  s->m[s->nm] = (mref){unit, s->slot_head[h], sim};
  s->slot_head[h] = s->nm++;
}

static int map_slot(const tg__scratch *s, uint32_t id) {
  size_t h = (id * 2654435761u) & (MAP_SLOTS - 1);
  while (s->slot_id[h] != TG__NONE) {
    if (s->slot_id[h] == id) return (int)h;
    h = (h + 1) & (MAP_SLOTS - 1);
  }
  return -1;
}

static int map_head(const tg__scratch *s, uint32_t id) {
  int h = map_slot(s, id);
  return h < 0 ? -1 : s->slot_head[h];
}

/* The query tokens of which a name must hold one to pass the reach test
 * below: the others ("trading", "co"), lightest first, weigh too little
 * even together (a margin keeps it safe from rounding).  A bit mask. */
static uint32_t essential(const tg__query *q) {
  int n = q->t.n, order[TG__MAX_TOKENS];
  for (int i = 0; i < n; i++) {
    int k = i;
    while (k > 0 && q->w[order[k - 1]] > q->w[i]) order[k] = order[k - 1], k--;
    order[k] = i;
  }
  uint32_t light = 0;
  for (int j = 0; j < n; j++) {
    uint32_t l = light | 1u << order[j];
    double reach = 0, rest = 0;
    for (int i = 0; i < n; i++) {
      if (l >> i & 1) reach += q->w[i];
      else rest += q->t.place[i] ? TG__PLACE_Q * q->w[i] : q->w[i];
    }
    if (!(2 * reach / (2 * reach + rest) < TG__REACH - 1e-6)) break;
    light = l;
  }
  return ~light;
}

/* Vocabulary tokens near a unit: calls fn for each (id, similarity).  The
 * keys' buckets are looked up in three passes (bucket bounds, then the
 * bucket contents, then the tokens) with the memory of the next pass
 * prefetched: each key is a random access into a large table, and these
 * misses, taken one after the other, were most of a query's time. */
static void near_tokens(const tg__index *ix, const tg__unit *u,
                        void (*fn)(void *, uint32_t, float), void *ctx) {
  uint64_t v[200];
  uint32_t seen[256], from[200], to[200];
  size_t nseen = 0;
  char f[TG__MAX_TOKEN * 4]; /* the unit's spelling fold, once for all its comparisons */
  size_t nf = tg__fold_spelling(u->s, u->len, f, sizeof f);
  size_t nv = tg__deletions(u->s, u->len, u->wide ? 0 : tg__del_k(u->len), v, 200);
  if (!u->wide && !(u->s[0] >= '0' && u->s[0] <= '9'))
    nv += tg__fold_keys_folded(u->s, u->len, f, nf, false, v + nv, 200 - nv);
  if (!ix->doff) return;
  int shift = 64 - ix->dbits;
  for (size_t i = 0; i < nv; i++) __builtin_prefetch(&ix->doff[v[i] >> shift]);
  for (size_t i = 0; i < nv; i++) {
    size_t b = v[i] >> shift;
    from[i] = ix->doff[b], to[i] = ix->doff[b + 1];
    __builtin_prefetch(&ix->dkey[from[i]]);
    __builtin_prefetch(&ix->dval[from[i]]);
  }
  for (size_t i = 0; i < nv; i++) {
    for (size_t j = from[i]; j < to[i]; j++) {
      if (ix->dkey[j] != v[i]) continue;
      uint32_t id = ix->dval[j];
      bool dup = false;
      for (size_t k = 0; k < nseen && !dup; k++) dup = seen[k] == id;
      if (dup || nseen == 256) continue;
      seen[nseen++] = id;
      __builtin_prefetch(&ix->voff[id]);
      __builtin_prefetch(&ix->vlen[id]);
    }
  }
  for (size_t k = 0; k < nseen; k++) __builtin_prefetch(ix->vpool + ix->voff[seen[k]]);
  bool joined = __builtin_popcount(u->mask) > 1;
  for (size_t k = 0; k < nseen; k++) {
    uint32_t id = seen[k];
    double sim =
        tg__token_sim_folded(u->s, u->len, f, nf, ix->vpool + ix->voff[id], ix->vlen[id], joined);
    if (sim > 0) fn(ctx, id, (float)sim);
  }
}

typedef struct weigh_ctx {
  const tg__index *ix;
  float best_sim, w;
} weigh_ctx;

static void weigh_fn(void *ctx, uint32_t id, float sim) {
  weigh_ctx *c = ctx;
  if (sim > c->best_sim) c->best_sim = sim, c->w = c->ix->weight[id];
}

/* With no list loaded, words weigh by the reference table (token-df.tsv:
 * their IDF in the CSL and UN lists), on the scale the scorer was fitted
 * on; an index's own weights otherwise. */
float tg__unknown_weight(const tg__index *ix) {
  return ix->nvocab ? ix->unknown_weight : tg__tables_ref_unknown(ix->tables);
}

void tg__weigh(const tg__index *ix, const tg__tokens *t, float *w) {
  for (int i = 0; i < t->n; i++) {
    if (!ix->nvocab) {
      w[i] = tg__tables_ref_weight(ix->tables, t->tok[i]);
      continue;
    }
    tg__unit u;
    u.len = strlen(t->tok[i]);
    memcpy(u.s, t->tok[i], u.len + 1);
    u.mask = 1u << i;
    u.wide = false;
    u.alone = false;
    weigh_ctx c = {ix, 0, ix->unknown_weight};
    near_tokens(ix, &u, weigh_fn, &c);
    w[i] = c.w;
  }
}

typedef struct collect_ctx {
  tg__scratch *s;
  int unit;
  const tg__unit *u;
  tg__query *q;
} collect_ctx;

static void collect_fn(void *ctx, uint32_t id, float sim) {
  collect_ctx *c = ctx;
  map_add(c->s, id, c->unit, sim);
  if (__builtin_popcount(c->u->mask) == 1 && !c->u->alone) {
    int k = __builtin_ctz(c->u->mask);
    if (sim > c->q->best_sim[k]) c->q->best_sim[k] = sim, c->q->w[k] = c->q->ix->weight[id];
  }
}

static bool country_ok(const tg__sentry *se, uint16_t cc) {
  if (!cc || !se->cc[0]) return true;
  for (int i = 0; i < 8 && se->cc[i]; i++)
    if (se->cc[i] == cc) return true;
  return false;
}

static int cmp_hit(const void *a, const void *b) {
  const tg__hit *x = a, *y = b;
  if (x->score != y->score) return x->score < y->score ? 1 : -1;
  if (x->rank != y->rank) return y->rank - x->rank;
  return (x->entry > y->entry) - (x->entry < y->entry);
}

/* Scores one candidate name; pairs come from the match map. */
static double score_name(const tg__index *ix, const tg__scratch *s, const tg__query *q,
                         uint32_t n, tg__alignment *al) {
  const tg__sname *nm = &ix->names[n];
  const uint32_t *u = ix->units + nm->off;
  int nt = nm->ntok;
  float wc[TG__MAX_TOKENS];
  uint8_t pc[TG__MAX_TOKENS];
  tg__pair pairs[256];
  int np = 0;
  tg__side cs = {.n = nt, .w = wc, .place = pc, .family2 = nm->family2};
  for (int c = 0; c < 2 * nt - 1; c++) {
    if (c < nt) wc[c] = ix->weight[u[c]], pc[c] = ix->vplace[u[c]], cs.tok[c] = ix->vpool + ix->voff[u[c]];
    if (u[c] == TG__NONE) continue;
    uint32_t cmask = c < nt ? 1u << c : 3u << (c - nt);
    for (int k = map_head(s, u[c]); k >= 0 && np < 256; k = s->m[k].next) {
      const tg__unit *qu = &q->units.u[s->m[k].unit];
      uint32_t qmask = qu->mask;
      if (c >= nt && (__builtin_popcount(qmask) > 1 || qu->alone || s->m[k].sim < TG__JOINED_SIM)) continue;
      if (qu->alone && s->m[k].sim < TG__ABJAD_EXACT) continue; /* spelled by the letters only */
      pairs[np++] = (tg__pair){qmask, cmask, s->m[k].sim, TG__PAIR_SPELLING};
    }
  }
  tg__side qs;
  tg__side_of(&q->t, q->w, &qs);
  np = tg__korean_pairs(ix->tables, &qs, &cs, pairs, np);
  if (tg__align(&qs, &cs, pairs, np, al) < TG__GATE) return 0;
  return tg__judge(ix->tables, &qs, &cs, ix->unknown_weight, al);
}

/* Every token of both names paired, each pair equal after normalisation
 * (no initial, no near spelling): the bar a weak alias must pass. */
static bool exact(const tg__alignment *al, int nq, int nc) {
  if (al->qused != (nq >= 32 ? ~0u : (1u << nq) - 1) || al->cused != (nc >= 32 ? ~0u : (1u << nc) - 1) ||
      al->qweak || al->cweak)
    return false;
  for (int i = 0; i < al->npairs; i++)
    if (al->pairs[i].sim < 1 || al->pairs[i].kind == TG__PAIR_INITIAL) return false;
  return true;
}

/* A person found only by an alias made of very common names ("Ahmad
 * Hasan", "MOHAMMED, Ali", "Abdul Abdillah"), not by the own name or a
 * part of it (a part is how a listed person's name is usually written:
 * "Hafiz Saeed" for HAFIZ MUHAMMAD SAEED; capping parts too took "Hafiz
 * Saeed" and "Khalid Mohammed" for MOHAMMED, Khalid Shaikh away from the
 * hits and removed no more dev-half false positives, 30/2167 either way):
 * every matched word, as the list or the query spells it, is a word of at
 * least one listed name in TG__COMMON_NAMES (its reference weight in
 * token-df.tsv - the CSL and UN lists' own counts, the same whatever lists
 * are loaded - at most ln(1 + TG__COMMON_NAMES)), and at most COMMON_MAX_NAMES
 * names matched, particles (al, bin, abu) aside.  The list gives the
 * person a fuller name; a namesake of the short form proves little, as one
 * of the most common Chinese names does (common-han-names.tsv), so such a
 * name scores at most that table's @cap, below the default threshold.  The
 * person's own name matched in full, or another name with a rarer word or
 * more names, still finds the entry.  One in 1,000 keeps the given names
 * the lists repeat most (muhammad in 699 of 57,168 names, ali 892, ahmad
 * 454, hasan 191, khalid 65, salim 90) and leaves out most names of
 * listed families (haqqani 52, al-rawi 40, hamdan 20; not tikriti, 106)
 * and Korean syllables (myong 31); two names at most: three or more very common
 * names together ("Hafiz Muhammad Saeed") are rarer.  Both were chosen on
 * the development half of bench/screen_quality.py and by the names of
 * build/bench_screen_hits they cost (README, screening). */
#define COMMON_MAX_NAMES 2
/* Whether every token of a mask is a word of one listed name in
 * TG__COMMON_NAMES or more (token-df.tsv). */
static bool all_common(const tg__tables *t, uint32_t mask, const char *const *tok, int n) {
  float bar = (float)log(1.0 + TG__COMMON_NAMES);
  for (int k = 0; k < n; k++)
    if ((mask >> k & 1) && tg__tables_ref_weight(t, tok[k]) > bar) return false;
  return true;
}

static bool common_alias(const tg__index *ix, const tg__query *q, uint32_t n, const tg__alignment *al) {
  const tg__sname *nm = &ix->names[n];
  const char *type = ix->entries[nm->entry].e->type;
  if (!al->npairs || !type || strcasecmp(type, "individual")) return false;
  if (!nm->alias) return false;
  const uint32_t *u = ix->units + nm->off;
  const char *ct[TG__MAX_TOKENS], *qt[TG__MAX_TOKENS];
  int names = 0; /* the alias's names matched, particles (al, bin, abu) aside */
  for (int k = 0; k < nm->ntok; k++) {
    ct[k] = ix->vpool + ix->voff[u[k]];
    names += (al->cused >> k & 1) && !tg__tables_particle(ix->tables, ct[k]);
  }
  if (names > COMMON_MAX_NAMES) return false;
  for (int k = 0; k < q->t.n; k++) qt[k] = q->t.tok[k];
  /* a name common as either side spells it (muhammad 699, muhammed 42) */
  for (int i = 0; i < al->npairs; i++)
    if (!all_common(ix->tables, al->pairs[i].cmask, ct, nm->ntok) &&
        !all_common(ix->tables, al->pairs[i].qmask, qt, q->t.n))
      return false;
  return true;
}

/* An initial, or two consonants ("JC": screen_score.c). */
static bool initial(const char *t) {
  size_t l = strlen(t);
  return l == 1 || (l == 2 && !strchr("aeiouy", t[0]) && !strchr("aeiouy", t[1]));
}

/* A person's name of which the query names a relative (issue 9: a given
 * name is a person's own).  Names are compared given names first
 * (tg__normalize_name turns "FAMILY, Given Middle" so), the query's words
 * all matched and the entry's family name among them, and the query's
 * first name (no particle, title or initial) matched a later given name of
 * the entry, while
 *
 * - the entry's first given name is left unmatched: "HAMDAN, Ahmad" against
 *   HAMDAN, Salim Ahmad Salim, "Khalaf Al-Dulaimi" against AL-DULAYMI, Ahmad
 *   Khalaf Shabib.  In Arabic names the later names are the father's and
 *   the grandfather's (Ahmad son of Khalaf): the query is the name of a
 *   relative.  A person known by a later given name is listed so as an
 *   alias, which the query then matches in full ("ZARIF, Javad" of ZARIF,
 *   Mohammad Javad), and a first name the person is not called by
 *   (first-names-not-called.txt) is not counted as left out;
 * - or "father of", "son of" is left out before it (kin-particles.txt): "HAIDAR,
 *   Ali" against the kunya HAYDAR, Abu Ali (Ali is his son).
 *
 * Such a name scores at most the cap of common_alias (below the default
 * threshold): a hit only with more of the name.  Only the first given
 * name is looked at, because the lists' short forms keep it and drop the
 * others ("Hafiz Saeed", "Khalid Mohammed"), and a writer may drop a
 * mother's family name or a particle, which the scorer weighs. */
static bool relative(const tg__index *ix, const tg__query *q, uint32_t n, const tg__alignment *al) {
  const tg__sname *nm = &ix->names[n];
  const char *type = ix->entries[nm->entry].e->type;
  int nc = nm->ntok, nq = q->t.n;
  if (!al->npairs || !type || strcasecmp(type, "individual") || nc < 3 || nq < 2 || nq > 31 ||
      al->qused != (1u << nq) - 1)
    return false;
  const uint32_t *u = ix->units + nm->off;
  const char *first = ix->vpool + ix->voff[u[0]];
  int fam = nc - 1 - (nm->family2 ? 1 : 0); /* the entry's (first) family name */
  if (fam < 1 || !(al->cused >> fam & 1)) return false;
  /* the entry's first given name left out: not a particle, title or a
   * first name the person is not called by, which a writer may leave out */
  bool first_left = !(al->cused & 1) && strlen(first) >= 2 && !tg__tables_particle(ix->tables, first) &&
                    !tg__tables_title(ix->tables, first) && !tg__tables_not_called(ix->tables, first);
  /* the query's first name: not a particle or title ("al", "Haji"), and
   * not an initial, which may stand for the entry's first name */
  int g = 0;
  while (g < nq && (tg__tables_particle(ix->tables, q->t.tok[g]) || tg__tables_title(ix->tables, q->t.tok[g])))
    g++;
  if (g == nq || initial(q->t.tok[g])) return false;
  for (int i = 0; i < al->npairs; i++) {
    const tg__pair *p = &al->pairs[i];
    if (!(p->qmask >> g & 1)) continue;
    if (p->kind == TG__PAIR_INITIAL) return false;
    int j = __builtin_ctz(p->cmask);
    if (j <= 0 || j >= fam) return false;
    if (first_left) return true;
    /* "father of" / "son of" left out before it: a kunya ("HAYDAR, Abu
     * Ali": Ali is his son) or a nasab ("Muhammad bin Salman": Salman is
     * his father) names the relative */
    const char *before = ix->vpool + ix->voff[u[j - 1]];
    return !(al->cused >> (j - 1) & 1) && tg__tables_kin(ix->tables, before);
  }
  return false;
}

/* A party named by common words only, against a listed name that adds a
 * place: "INDUSTRIAL BANK" against the SDN's JOINT STOCK COMPANY MOSCOW
 * INDUSTRIAL BANK.  Every word of the query matched and each is a word of
 * one listed name in TG__COMMON_NAMES or more (all_common: "industry" is
 * in 731 names, "bank" in 588), so the query holds no distinctive word, and
 * the entry's place (places.txt), left unmatched, is what tells the listed
 * party from the many others of that line of business: issue 9 counts a
 * company and its country branch among different parties ("Banco
 * Santander S.A." / "Banco Santander Chile S.A.") and makes a hit of a
 * query whose *distinctive* words are all in a listed name, which this
 * one has none of.  Such a name scores at most the cap of common_alias.
 * Persons are left out (a place in a person's name is a family name). */
static bool generic_place(const tg__index *ix, const tg__query *q, uint32_t n, const tg__alignment *al) {
  const tg__sname *nm = &ix->names[n];
  const char *type = ix->entries[nm->entry].e->type;
  int nq = q->t.n;
  if (!al->npairs || (type && !strcasecmp(type, "individual")) || nq > 31 || al->qused != (1u << nq) - 1)
    return false;
  const char *qt[TG__MAX_TOKENS];
  for (int k = 0; k < nq; k++) qt[k] = q->t.tok[k];
  if (!all_common(ix->tables, al->qused, qt, nq)) return false;
  const uint32_t *u = ix->units + nm->off;
  for (int k = 0; k < nm->ntok; k++)
    if (!(al->cused >> k & 1) && ix->vplace[u[k]]) return true;
  return false;
}

int tg__screen_query(const tg__index *cix, tg__query *q, const char *name, const char *country,
                     double min_score, tg__hit *hits, int cap) {
  tg__index *ix = (tg__index *)cix; /* scratch pool only */
  memset(q->best_sim, 0, sizeof q->best_sim);
  q->ix = ix;
  tg__normalize_name(ix->tables, name, &q->t);
  tg__units(&q->t, &q->units);
  for (int i = 0; i < q->t.n; i++) q->w[i] = ix->nvocab ? ix->unknown_weight : 1;
  if (!q->t.n || !ix->nnames) return 0;
  tg__scratch *s = scratch_get(ix);
  if (!s) return -1;
  for (int i = 0; i < q->units.n; i++) {
    collect_ctx c = {s, i, &q->units.u[i], q};
    near_tokens(ix, &q->units.u[i], collect_fn, &c);
  }
  /* names holding an essential token, with the query tokens each could match */
  uint32_t ess = min_score > 0 ? essential(q) : ~0u;
  uint32_t slot_mask[MAP_SLOTS];
  for (int i = 1; i < s->nused; i++) { /* slots in table order, as names are met */
    uint16_t h = s->used[i];
    int k = i;
    while (k > 0 && s->used[k - 1] > h) s->used[k] = s->used[k - 1], k--;
    s->used[k] = h;
  }
  for (int i = 0; i < s->nused; i++) {
    size_t h = s->used[i];
    slot_mask[h] = 0;
    for (int k = s->slot_head[h]; k >= 0; k = s->m[k].next) slot_mask[h] |= q->units.u[s->m[k].unit].mask;
  }
  s->ntouched = 0;
  for (int i = 0; i < s->nused; i++) {
    size_t h = s->used[i];
    if (!(slot_mask[h] & ess)) continue;
    uint32_t id = s->slot_id[h];
    uint32_t p0 = ix->post_off[id], p1 = ix->post_off[id + 1];
    for (uint32_t p = p0; p < p0 + 8 && p < p1; p++) __builtin_prefetch(&s->stamp[ix->post[p]]);
    for (uint32_t p = p0; p < p1; p++) {
      if (p + 8 < p1) __builtin_prefetch(&s->stamp[ix->post[p + 8]]);
      uint32_t n = ix->post[p];
      if (s->stamp[n] != s->epoch) {
        s->stamp[n] = s->epoch;
        s->touched[s->ntouched++] = n;
      }
    }
  }
  uint16_t cc = country && country[0] && country[1]
                    ? (uint16_t)((unsigned char)(country[0] & ~0x20) << 8 |
                                 (unsigned char)(country[1] & ~0x20))
                    : 0;
  /* the names that pass, kept in touched[0..npass) in the order met; their
   * names and units are random accesses, fetched ahead */
  size_t npass = 0;
  for (size_t t = 0; t < s->ntouched && t < 16; t++) __builtin_prefetch(&ix->names[s->touched[t]]);
  for (size_t t = 0; t < s->ntouched; t++) {
    if (t + 16 < s->ntouched) __builtin_prefetch(&ix->names[s->touched[t + 16]]);
    if (t + 8 < s->ntouched) __builtin_prefetch(ix->units + ix->names[s->touched[t + 8]].off);
    uint32_t n = s->touched[t], mask = 0; /* the name's units that a query unit reached */
    const tg__sname *nm = &ix->names[n];
    const uint32_t *u = ix->units + nm->off;
    for (int c = 0; c < 2 * nm->ntok - 1; c++) {
      if (u[c] == TG__NONE) continue;
      int slot = map_slot(s, u[c]);
      if (slot >= 0) mask |= slot_mask[slot];
    }
    double reach = 0, rest = 0;
    for (int i = 0; i < q->t.n; i++) {
      if (mask >> i & 1) reach += q->w[i];
      else rest += q->t.place[i] ? TG__PLACE_Q * q->w[i] : q->w[i];
    }
    /* best case: every entry token matched, as heavy as the query's */
    if (min_score > 0 && 2 * reach / (2 * reach + rest) < TG__REACH) continue;
    __builtin_prefetch(&ix->entries[nm->entry]);
    s->touched[npass++] = n;
  }
  size_t nscore = 0;
  for (size_t t = 0; t < npass; t++) { /* then those of their lists' countries */
    uint32_t n = s->touched[t];
    if (!country_ok(&ix->entries[ix->names[n].entry], cc)) continue;
    const tg__sname *nm = &ix->names[n];
    const uint32_t *u = ix->units + nm->off;
    for (int c = 0; c < nm->ntok; c++) {
      __builtin_prefetch(&ix->weight[u[c]]);
      __builtin_prefetch(&ix->voff[u[c]]);
      __builtin_prefetch(&ix->vplace[u[c]]);
    }
    s->touched[nscore++] = n;
  }
  int nh = 0;
  for (size_t t = 0; t < nscore; t++) {
    uint32_t n = s->touched[t];
    uint32_t e = ix->names[n].entry;
    tg__alignment al;
    double sc_ = score_name(ix, s, q, n, &al);
    al.common_alias = false;
    double ccap = ix->tables->common_cap;
    if (ccap > 0 && sc_ > ccap && common_alias(ix, q, n, &al)) sc_ = al.score = ccap, al.common_alias = true;
    al.kin = false;
    if (ccap > 0 && sc_ > ccap && (al.kin = relative(ix, q, n, &al)))
      sc_ = al.score = ccap;
    al.generic_place = false;
    if (ccap > 0 && sc_ > ccap && (al.generic_place = generic_place(ix, q, n, &al)))
      sc_ = al.score = ccap;
    if (sc_ < min_score) continue;
    /* a weak alias (lists_int.h) proves little alone: OFAC does not expect
     * screening on weak AKAs, only their use to confirm a hit found by other
     * names (FAQ 124), and the UN marks such aliases "Low" quality.  Such a
     * name is a hit only when it matches exactly, and says so */
    if (ix->names[n].weak && !exact(&al, q->t.n, ix->names[n].ntok)) continue;
    /* ties go the same way whatever order names are met in: within an
     * entry to its first name, at a full set by cmp_hit */
    tg__hit h = {e, n, sc_, ix->entries[e].rank, al};
    int k = 0;
    while (k < nh && hits[k].entry != e) k++;
    if (k < nh) {
      if (sc_ > hits[k].score || (sc_ == hits[k].score && n < hits[k].name)) hits[k] = h;
      continue;
    }
    if (nh < cap) {
      hits[nh++] = h;
      continue;
    }
    int worst = 0; /* full: replace the weakest */
    for (int j = 1; j < nh; j++)
      if (cmp_hit(&hits[j], &hits[worst]) > 0) worst = j;
    if (cmp_hit(&h, &hits[worst]) < 0) hits[worst] = h;
  }
  tg__index_scratch_give(ix, s);
  qsort(hits, (size_t)nh, sizeof *hits, cmp_hit);
  return nh;
}
