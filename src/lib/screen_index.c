/* screen_index.c - the index layer: an index built from lists (see
 * screen_int.h): names split and normalised, vocabulary with IDF weights
 * ln(1 + names/df), postings, and the symmetric-deletion hash; the keys a
 * token is found by; references and the pool of query scratch blocks.
 * Calls the lists and normalise layers only. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "screen_int.h"

uint64_t tg__hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  h ^= h >> 29;
  return h ? h : 1; /* 0 marks an empty slot */
}

int tg__del_k(size_t len) { return len <= 3 ? 0 : len <= 9 ? 1 : 2; }

/* The variants found so far: out[0..n) and, past a few, a hash set of
 * them (variants of long words run into the hundreds). */
typedef struct dset {
  uint64_t *out;
  size_t n, cap;
  uint64_t slot[512]; /* used once n passes 16 */
  bool hashed;
} dset;

static void dset_add(dset *d, uint64_t h) {
  if (!d->hashed) {
    for (size_t i = 0; i < d->n; i++)
      if (d->out[i] == h) return;
    if (d->n < 16) {
      if (d->n < d->cap) d->out[d->n++] = h;
      return;
    }
    memset(d->slot, 0, sizeof d->slot);
    for (size_t i = 0; i < d->n; i++) {
      size_t j = d->out[i] & 511;
      while (d->slot[j]) j = (j + 1) & 511;
      d->slot[j] = d->out[i];
    }
    d->hashed = true;
  }
  size_t j = h & 511;
  for (; d->slot[j]; j = (j + 1) & 511)
    if (d->slot[j] == h) return;
  if (d->n < d->cap && d->n < 384) { /* the set stays under 3/4 full */
    d->slot[j] = h;
    d->out[d->n++] = h;
  }
}

size_t tg__deletions(const char *s, size_t n, int k, uint64_t *out, size_t cap) {
  char a[TG__MAX_TOKEN * 2], b[TG__MAX_TOKEN * 2];
  if (n >= sizeof a) n = sizeof a - 1;
  dset d;
  d.out = out, d.n = 0, d.cap = cap, d.hashed = false;
  dset_add(&d, tg__hash(s, n));
  if (k < 1 || n < 2) return d.n;
  for (size_t i = 0; i < n; i++) {
    memcpy(a, s, i);
    memcpy(a + i, s + i + 1, n - i - 1);
    dset_add(&d, tg__hash(a, n - 1));
    if (k < 2 || n < 3) continue;
    for (size_t j = i; j < n - 1; j++) {
      memcpy(b, a, j);
      memcpy(b + j, a + j + 1, n - 2 - j);
      dset_add(&d, tg__hash(b, n - 2));
    }
  }
  return d.n;
}

uint32_t tg__vocab_find(const tg__index *ix, const char *tok, size_t n) {
  if (!ix->vkey) return TG__NONE;
  uint64_t h = tg__hash(tok, n);
  for (size_t i = h & ix->vmask; ix->vkey[i]; i = (i + 1) & ix->vmask) {
    if (ix->vkey[i] != h) continue;
    const char *v = ix->vpool + ix->voff[ix->vval[i]];
    if (!memcmp(v, tok, n) && v[n] == '\0') return ix->vval[i];
  }
  return TG__NONE;
}

static void index_free(tg__index *ix) {
  void *p[] = {ix->units, ix->text, ix->vpool, ix->voff, ix->vlen, ix->weight, ix->vplace,
               ix->post_off, ix->post, ix->vkey, ix->vval, ix->dkey, ix->dval, ix->doff};
  tg__free(ix->entries);
  tg__free(ix->names);
  if (ix->blob) tg__index_blob_free(ix); /* the arrays are in it (screen_cache.c) */
  else
    for (size_t i = 0; i < sizeof p / sizeof *p; i++) tg__free(p[i]);
  for (size_t i = 0; i < ix->nlists; i++) tg__list_free(ix->lists[i]);
  tg__free(ix->lists);
  for (size_t i = 0; i < ix->npool; i++) tg__free(ix->pool[i]);
  tg__free(ix->pool);
  pthread_mutex_destroy(&ix->mu);
  tg__free(ix);
}

tg__index *tg__index_ref(tg__index *ix) {
  __atomic_add_fetch(&ix->refs, 1, __ATOMIC_RELAXED);
  return ix;
}

void tg__index_release(tg__index *ix) {
  if (ix && __atomic_sub_fetch(&ix->refs, 1, __ATOMIC_ACQ_REL) == 0) index_free(ix);
}

void *tg__index_scratch_take(tg__index *ix) {
  void *s = NULL;
  pthread_mutex_lock(&ix->mu);
  if (ix->npool) s = ix->pool[--ix->npool];
  pthread_mutex_unlock(&ix->mu);
  return s;
}

void tg__index_scratch_give(tg__index *ix, void *s) {
  pthread_mutex_lock(&ix->mu);
  if (ix->npool == ix->cpool) {
    size_t cap = ix->cpool ? ix->cpool * 2 : 8;
    void **p = tg__realloc(ix->pool, cap * sizeof *p);
    if (p) ix->pool = p, ix->cpool = cap;
  }
  if (ix->npool < ix->cpool) {
    ix->pool[ix->npool++] = s;
    s = NULL;
  }
  pthread_mutex_unlock(&ix->mu);
  tg__free(s);
}

typedef struct builder {
  tg__index *ix;
  size_t cnames, cunits, ctext, cvpool, cvocab;
  uint32_t *df;
  bool oom;
  uint32_t cur_entry;
  uint64_t seen[64]; /* token-sequence hashes of the current entry's names */
  uint32_t seen_name[64]; /* the name each is */
  int32_t seen_copy[64];  /* the copy it came from (SDN entries on two lists) */
  bool seen_alias[64];    /* it is an alias, not the copy's own name */
  size_t nseen;
  /* the name being added: a weak alias (lists_int.h), an alias at all, of
   * which copy */
  bool cur_weak, cur_alias;
  int32_t cur_copy;
  uint64_t *nkey; /* per name: its tokens' hash, whatever their order */
  size_t cnkey;
  uint8_t *wide; /* per vocab id: 1 = a joined pair of two full words */
  size_t nwide, cwide;
} builder;

static bool vocab_grow_table(builder *b) {
  tg__index *ix = b->ix;
  size_t need = ix->nvocab * 2 + 2;
  if (ix->vkey && need <= ix->vmask + 1) return true;
  size_t size = ix->vkey ? (ix->vmask + 1) * 2 : 1024; /* (a small list's cache stays small) */
  while (size < need) size *= 2;
  uint64_t *k = tg__calloc(size, sizeof *k);
  uint32_t *v = tg__malloc(size * sizeof *v);
  if (!k || !v) {
    tg__free(k);
    tg__free(v);
    return false;
  }
  for (size_t i = 0; ix->vkey && i <= ix->vmask; i++) {
    if (!ix->vkey[i]) continue;
    size_t j = ix->vkey[i] & (size - 1);
    while (k[j]) j = (j + 1) & (size - 1);
    k[j] = ix->vkey[i];
    v[j] = ix->vval[i];
  }
  tg__free(ix->vkey);
  tg__free(ix->vval);
  ix->vkey = k;
  ix->vval = v;
  ix->vmask = size - 1;
  return true;
}

static uint32_t vocab_add(builder *b, const char *tok, size_t n) {
  tg__index *ix = b->ix;
  uint32_t id = tg__vocab_find(ix, tok, n);
  if (id != TG__NONE) return id;
  void *df = NULL; /* b->df is kept (and freed) when this fails */
  if (!vocab_grow_table(b) ||
      !tg__grow(&ix->vpool, &b->cvpool, ix->nvpool + n + 1, 1) ||
      !tg__grow(&ix->voff, &b->cvocab, ix->nvocab + 1, sizeof *ix->voff) ||
      !(df = tg__realloc(b->df, b->cvocab * sizeof *b->df))) {
    b->oom = true;
    return TG__NONE;
  }
  b->df = df;
  id = (uint32_t)ix->nvocab++;
  ix->voff[id] = (uint32_t)ix->nvpool;
  memcpy(ix->vpool + ix->nvpool, tok, n);
  ix->vpool[ix->nvpool + n] = '\0';
  ix->nvpool += n + 1;
  b->df[id] = 0;
  uint64_t h = tg__hash(tok, n);
  size_t j = h & ix->vmask;
  while (ix->vkey[j]) j = (j + 1) & ix->vmask;
  ix->vkey[j] = h;
  ix->vval[j] = id;
  return id;
}

/* Joined pairs with a short part (pinyin syllables, "hong kong", "jsc
 * argument") are found within the edit distance of their length; two full
 * words joined ("vladimirputin") only as written. */
bool tg__joinable_fuzzy(size_t la, size_t lb) {
  return (la <= 4 && lb <= 8) || (lb <= 4 && la <= 8);
}

size_t tg__fold_keys(const char *s, size_t n, bool index, uint64_t *out, size_t cap) {
  char f[TG__MAX_TOKEN * 4];
  size_t m = tg__fold_spelling(s, n, f, sizeof f);
  return tg__fold_keys_folded(s, n, f, m, index, out, cap);
}

size_t tg__fold_keys_folded(const char *s, size_t n, const char *f, size_t m, bool index,
                            uint64_t *out, size_t cap) {
  /* indexed: the fold, and the skeleton of a vowelless token ("mhmd")
   * or a skeleton of five consonants or more (romanizations one vowel
   * apart: "aliksantir" for Alexander, "aliksantr" for Aleksandr);
   * looked up: the fold and the skeleton ("muhammad" finds "mhmd") */
  bool vowelless_only = index;
  if (m < 2 || cap < 2) return 0;
  size_t k = 0;
  char vk[TG__MAX_TOKEN * 4]; /* the fold with every vowel alike: "muhamat" = "muhamit" */
  for (size_t i = 0; i <= m; i++) vk[i] = f[i] == 'i' || f[i] == 'u' ? 'a' : f[i];
  out[k++] = (tg__hash(vk, m) * 0x9E3779B97F4A7C15ULL) | 1; /* own key space */
  bool vl = n >= 3 && tg__vowelless(s, n); /* also "Hd'ytullah": a code and a Latin part */
  char sk[TG__MAX_TOKEN * 4];
  size_t ks = tg__skeleton(f, m, sk);
  if (ks >= 2 && k < cap && (vl || !vowelless_only || ks >= 5))
    out[k++] = (tg__hash(sk, ks) * 0xC2B2AE3D27D4EB4FULL) | 1;
  return k;
}

/* A name in the lists' "FAMILY, Given Middle" form is compared given
 * names first ("Given Middle FAMILY"), as names are written elsewhere: so
 * its first and last tokens are the first given name and the family name
 * whichever way it was written, and a middle name is an inner token. */
/* Drops the first k tokens of `out`. */
static void drop_front(tg__tokens *out, int k) {
  out->n -= k;
  memmove(out->tok, out->tok + k, (size_t)out->n * sizeof *out->tok);
  memmove(out->alt, out->alt + k, (size_t)out->n * sizeof *out->alt);
  memmove(out->place, out->place + k, (size_t)out->n * sizeof *out->place);
}

/* A vessel's type prefix ("MV", "M/T": vessel-prefixes.txt) is left out
 * when two words or more follow it ("MV Ocean Star" = "OCEAN STAR"; "MT
 * TEVEL INC" keeps it); the tokens it made must lead the name. */
static void vessel_prefix(const tg__tables *t, const char *name, tg__tokens *out) {
  while (*name == ' ') name++;
  size_t n = tg__tables_vessel_prefix(t, name);
  if (!n) return; /* (shorter than TG__VESSEL_PREFIX_MAX: checked at load) */
  char pre[TG__VESSEL_PREFIX_MAX];
  memcpy(pre, name, n);
  pre[n] = '\0';
  tg__tokens p;
  tg__normalize(t, pre, &p);
  if (p.n < 1 || out->n - p.n < 2) return;
  for (int i = 0; i < p.n; i++)
    if (strcmp(p.tok[i], out->tok[i])) return;
  drop_front(out, p.n);
}

/* A lone "I" closing a name of two words or more is the Roman numeral
 * of a series or a vessel ("ADRIAN DARYA I" = "ADRIAN DARYA 1", as
 * abbreviations.tsv writes II, III ... as digits); an initial stands
 * before a family name, not last, once the comma form is turned. */
static void final_numeral(tg__tokens *out) {
  if (out->n >= 2 && !strcmp(out->tok[out->n - 1], "i") && strlen(out->tok[out->n - 2]) >= 2 &&
      !out->alt[out->n - 1][0])
    strcpy(out->tok[out->n - 1], "1");
}

/* A vessel's IMO number written into its name ("OCEAN STAR (IMO
 * 9123456)", "IMO No. 9123456 Ocean Star") is an identifier, not a word
 * of the name: "imo", an optional "no"/"nr"/"number", and a number of
 * seven digits (the IMO ship identification number, IMO Resolution
 * A.1117(30), is seven digits) are left out when a word is left.  The
 * lists carry the number in its own field (no CSL name writes "IMO"). */
static bool seven_digits(const char *s) {
  for (int i = 0; i < 7; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return s[7] == '\0';
}

static void imo_number(tg__tokens *out) {
  for (int i = 0; i < out->n; i++) {
    if (strcmp(out->tok[i], "imo")) continue;
    int j = i + 1;
    if (j < out->n && (!strcmp(out->tok[j], "no") || !strcmp(out->tok[j], "nr") || !strcmp(out->tok[j], "number")))
      j++;
    if (j >= out->n || !seven_digits(out->tok[j]) || out->n - (j + 1 - i) < 1) continue;
    int k = j + 1 - i;
    memmove(out->tok + i, out->tok + j + 1, (size_t)(out->n - j - 1) * sizeof *out->tok);
    memmove(out->alt + i, out->alt + j + 1, (size_t)(out->n - j - 1) * sizeof *out->alt);
    memmove(out->place + i, out->place + j + 1, (size_t)(out->n - j - 1) * sizeof *out->place);
    out->n -= k;
    return;
  }
}

void tg__normalize_name(const tg__tables *t, const char *name, tg__tokens *out) {
  tg__normalize(t, name, out);
  imo_number(out);
  vessel_prefix(t, name, out);
  const char *comma = strchr(name, ',');
  if (!comma) final_numeral(out);
  if (!comma || strchr(comma + 1, ',') || out->n < 2 || comma - name >= 512) return;
  char head[512];
  memcpy(head, name, (size_t)(comma - name));
  head[comma - name] = '\0';
  tg__tokens h;
  tg__normalize(t, head, &h);
  int k = h.n;
  if (k < 1 || k >= out->n) return;
  for (int i = 0; i < k; i++)
    if (strcmp(h.tok[i], out->tok[i])) return; /* the parts did not stay apart */
  tg__tokens *r = &h; /* reused: the rotated copy */
  int n = out->n;
  for (int i = 0; i < n; i++) {
    int from = (i + k) % n;
    memcpy(r->tok[i], out->tok[from], sizeof r->tok[i]);
    memcpy(r->alt[i], out->alt[from], sizeof r->alt[i]);
    r->place[i] = out->place[from];
  }
  memcpy(out->tok, r->tok, sizeof out->tok);
  memcpy(out->alt, r->alt, sizeof out->alt);
  memcpy(out->place, r->place, sizeof out->place);
  /* two family names, neither a particle ("AL ZAWAHIRI", "BIN LADIN"),
   * and a given name: the father's and the mother's, as Spanish and
   * Portuguese names are listed ("MADURO MOROS, Nicolas") */
  out->family2 = k == 2 && n >= 3 && !tg__tables_particle(t, out->tok[n - 1]) &&
                 !tg__tables_particle(t, out->tok[n - 2]) &&
                 (!out->alt[n - 1][0] || out->alt[n - 1][0] == '~'); /* not a Han syllable */
}

static void add_name(void *ctx, const char *s, size_t n) {
  builder *b = ctx;
  tg__index *ix = b->ix;
  if (b->oom) return;
  char buf[1024];
  if (n >= sizeof buf) n = sizeof buf - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  tg__tokens t;
  tg__normalize_name(ix->tables, buf, &t);
  if (!t.n) return;
  /* skip a name whose tokens repeat an earlier name of the same entry */
  uint64_t h = 0;
  for (int i = 0; i < t.n; i++) h = h * 31 + tg__hash(t.tok[i], strlen(t.tok[i]));
  for (size_t i = 0; i < b->nseen; i++)
    if (b->seen[i] == h) {
      /* the same alias weak on OFAC's own file and unmarked on the CSL's
       * copy (the CSL does not carry the marks): weak, as its list says */
      if (b->cur_weak && b->seen_alias[i] && b->seen_copy[i] != b->cur_copy)
        ix->names[b->seen_name[i]].weak = 1;
      /* an alias of one copy that is the other copy's own name: a name of
       * the entry, not an alias only */
      if (!b->cur_alias) ix->names[b->seen_name[i]].alias = 0;
      return;
    }
  if (b->nseen < 64) {
    b->seen[b->nseen] = h;
    b->seen_name[b->nseen] = (uint32_t)ix->nnames;
    b->seen_copy[b->nseen] = b->cur_copy;
    b->seen_alias[b->nseen++] = b->cur_alias;
  }
  if (!tg__grow(&ix->names, &b->cnames, ix->nnames + 1, sizeof *ix->names) ||
      !tg__grow(&ix->units, &b->cunits, ix->nunits + 2 * (size_t)t.n, sizeof *ix->units) ||
      !tg__grow(&ix->text, &b->ctext, ix->ntext + n + 1, 1)) {
    b->oom = true;
    return;
  }
  tg__sname *nm = &ix->names[ix->nnames];
  nm->entry = b->cur_entry;
  nm->off = (uint32_t)ix->nunits;
  nm->ntok = (uint8_t)t.n;
  nm->weak = b->cur_weak;
  nm->alias = b->cur_alias;
  nm->family2 = t.family2;
  if (!tg__grow(&b->nkey, &b->cnkey, ix->nnames + 1, sizeof *b->nkey)) {
    b->oom = true;
    return;
  }
  uint64_t key = 0; /* the tokens are distinct (tg__normalize) */
  for (int i = 0; i < t.n; i++) key += tg__hash(t.tok[i], strlen(t.tok[i])) * 0x9E3779B97F4A7C15ULL | 1;
  b->nkey[ix->nnames] = key;
  nm->text = (uint32_t)ix->ntext;
  memcpy(ix->text + ix->ntext, buf, n + 1);
  ix->ntext += n + 1;
  uint32_t *u = ix->units + ix->nunits;
  for (int i = 0; i < t.n; i++) u[i] = vocab_add(b, t.tok[i], strlen(t.tok[i]));
  for (int i = 0; i + 1 < t.n; i++) {
    u[t.n + i] = TG__NONE;
    char j[TG__MAX_TOKEN * 2];
    size_t la = strlen(t.tok[i]), lb = strlen(t.tok[i + 1]);
    size_t lj = tg__join_tokens(t.tok[i], la, t.tok[i + 1], lb, j, TG__MAX_TOKEN * 2 - 1);
    if (!lj) continue;
    u[t.n + i] = vocab_add(b, j, lj);
    if (u[t.n + i] != TG__NONE && !tg__joinable_fuzzy(la, lb)) {
      if (!tg__grow(&b->wide, &b->cwide, u[t.n + i] + 1, 1)) {
        b->oom = true;
        return;
      }
      while (b->nwide <= u[t.n + i]) b->wide[b->nwide++] = 0;
      b->wide[u[t.n + i]] = 1;
    }
  }
  if (b->oom) return;
  /* document frequency: once per name */
  size_t nu = 2 * (size_t)t.n - 1;
  for (size_t i = 0; i < nu; i++) {
    if (u[i] == TG__NONE) continue;
    bool dup = false;
    for (size_t k = 0; k < i && !dup; k++) dup = u[k] == u[i];
    if (!dup) b->df[u[i]]++;
  }
  ix->nunits += nu;
  ix->nnames++;
}

static void entry_countries(tg__sentry *se) {
  const char *c = se->e->countries;
  int k = 0;
  while (c && *c && k < 8) {
    if (c[0] && c[1] && (c[2] == ',' || c[2] == '\0'))
      se->cc[k++] = (uint16_t)((unsigned char)c[0] << 8 | (unsigned char)c[1]);
    c = strchr(c, ',');
    if (c) c++;
  }
}

static bool build_postings(builder *b) {
  tg__index *ix = b->ix;
  ix->post_off = tg__calloc(ix->nvocab + 1, sizeof *ix->post_off);
  ix->weight = tg__malloc((ix->nvocab + 1) * sizeof *ix->weight);
  ix->vplace = tg__malloc(ix->nvocab + 1);
  ix->vlen = tg__malloc(ix->nvocab + 1);
  if (!ix->post_off || !ix->weight || !ix->vplace || !ix->vlen) return false;
  for (size_t v = 0; v < ix->nvocab; v++) ix->vlen[v] = (uint8_t)strlen(ix->vpool + ix->voff[v]);
  for (size_t v = 0; v < ix->nvocab; v++) ix->vplace[v] = tg__tables_place(ix->tables, ix->vpool + ix->voff[v]);
  for (size_t v = 0; v < ix->nvocab; v++) ix->post_off[v + 1] = ix->post_off[v] + b->df[v];
  ix->post = tg__malloc((ix->post_off[ix->nvocab] + 1) * sizeof *ix->post);
  uint32_t *fill = tg__calloc(ix->nvocab + 1, sizeof *fill);
  if (!ix->post || !fill) {
    tg__free(fill);
    return false;
  }
  for (size_t n = 0; n < ix->nnames; n++) {
    const tg__sname *nm = &ix->names[n];
    size_t nu = 2 * (size_t)nm->ntok - 1;
    const uint32_t *u = ix->units + nm->off;
    for (size_t i = 0; i < nu; i++) {
      if (u[i] == TG__NONE) continue;
      bool dup = false;
      for (size_t k = 0; k < i && !dup; k++) dup = u[k] == u[i];
      if (!dup) ix->post[ix->post_off[u[i]] + fill[u[i]]++] = (uint32_t)n;
    }
  }
  tg__free(fill);
  double N = (double)(ix->nnames ? ix->nnames : 1);
  for (size_t v = 0; v < ix->nvocab; v++)
    ix->weight[v] = (float)log(1.0 + N / (double)(b->df[v] ? b->df[v] : 1));
  ix->unknown_weight = (float)log(1.0 + N);
  return true;
}

static bool is_wide(const builder *b, size_t id) { return id < b->nwide && b->wide[id]; }

/* The deletion hash as sorted buckets: every (key, token id) pair, in
 * vocabulary order, sorted stably by the key's top dbits bits (two radix
 * passes), with each bucket's start in doff.  A key's tokens are found in
 * its bucket in vocabulary order. */
static bool build_deletions(builder *b) {
  tg__index *ix = b->ix;
  size_t n = 0, cap = 1 << 16;
  uint64_t *key = tg__malloc(cap * sizeof *key);
  uint32_t *val = tg__malloc(cap * sizeof *val);
  uint64_t v[200];
  bool grown = key && val;
  for (size_t i = 0; grown && i < ix->nvocab; i++) {
    const char *s = ix->vpool + ix->voff[i];
    size_t l = ix->vlen[i];
    size_t m = tg__deletions(s, l, is_wide(b, i) ? 0 : tg__del_k(l), v, 200);
    if (!is_wide(b, i) && !(s[0] >= '0' && s[0] <= '9'))
      m += tg__fold_keys(s, l, true, v + m, 200 - m);
    if (n + m > cap) {
      cap *= 2;
      uint64_t *k2 = tg__realloc(key, cap * sizeof *key);
      if (k2) key = k2;
      uint32_t *v2 = tg__realloc(val, cap * sizeof *val);
      if (v2) val = v2;
      grown = k2 && v2;
      if (!grown) break;
    }
    for (size_t k = 0; k < m; k++) key[n] = v[k], val[n++] = (uint32_t)i;
  }
  int bits = 10;
  while (bits < 30 && ((size_t)1 << bits) < n / 2) bits++;
  size_t nb = (size_t)1 << bits;
  ix->dkey = tg__malloc((n + 1) * sizeof *ix->dkey);
  ix->dval = tg__malloc((n + 1) * sizeof *ix->dval);
  ix->doff = tg__calloc(nb + 1, sizeof *ix->doff);
  uint32_t *cnt = tg__calloc((size_t)1 << 15, sizeof *cnt);
  bool ok = grown && ix->dkey && ix->dval && ix->doff && cnt;
  if (ok) {
    /* LSD radix sort on the bucket number: the low half of its bits,
     * then the high half; each pass is stable */
    int lo = bits / 2, hi = bits - lo;
    uint64_t *sk[2] = {key, ix->dkey};
    uint32_t *sv[2] = {val, ix->dval};
    for (int pass = 0; pass < 2; pass++) {
      int shift = 64 - bits + (pass ? lo : 0), w = pass ? hi : lo;
      size_t nd = (size_t)1 << w;
      memset(cnt, 0, (nd + 1) * sizeof *cnt);
      for (size_t j = 0; j < n; j++) cnt[(sk[pass][j] >> shift & (nd - 1)) + 1]++;
      for (size_t d = 0; d < nd; d++) cnt[d + 1] += cnt[d];
      for (size_t j = 0; j < n; j++) {
        size_t d = sk[pass][j] >> shift & (nd - 1);
        sk[!pass][cnt[d]] = sk[pass][j];
        sv[!pass][cnt[d]++] = sv[pass][j];
      }
    }
    /* two passes: the sorted pairs are back in key/val */
    for (size_t j = 0; j < n; j++) ix->doff[(key[j] >> (64 - bits)) + 1]++;
    for (size_t d = 0; d < nb; d++) ix->doff[d + 1] += ix->doff[d];
    memcpy(ix->dkey, key, n * sizeof *key);
    memcpy(ix->dval, val, n * sizeof *val);
    ix->ndel = n;
    ix->dbits = bits;
  }
  tg__free(key);
  tg__free(val);
  tg__free(cnt);
  return ok;
}

/* The SDN entries that are on two of the lists (the CSL carries the SDN
 * list, and OFAC's own files may be imported too): the same list label
 * "(SDN)" and entity number on different lists.  dup[g] links each copy
 * to the next (ascending; -1 at the last, and for every other entry), so
 * that the first copy carries the chain; copy[g] is 1 for the others.
 * False when out of memory. */
static bool sdn_duplicates(const tg__entry *const *flat, const tg__list *const *owner, size_t n,
                           int32_t *dup, uint8_t *copy) {
  size_t size = 1024;
  while (size < 2 * n) size *= 2;
  int32_t *slot = tg__malloc(size * sizeof *slot);
  if (!slot) return false;
  for (size_t i = 0; i < size; i++) slot[i] = -1;
  for (size_t g = 0; g < n; g++) {
    dup[g] = -1;
    copy[g] = 0;
    const tg__entry *e = flat[g];
    if (!e->ref || !e->source || !strstr(e->source, "(SDN)")) continue;
    size_t j = tg__hash(e->ref, strlen(e->ref)) & (size - 1);
    for (; slot[j] >= 0; j = (j + 1) & (size - 1)) {
      const tg__entry *f = flat[slot[j]];
      if (strcmp(f->ref, e->ref) || strcmp(f->source, e->source)) continue;
      if (owner[slot[j]] != owner[g]) { /* a copy: link it after the last one */
        int32_t last = slot[j];
        while (dup[last] >= 0) last = dup[last];
        dup[last] = (int32_t)g;
        copy[g] = 1;
      }
      break;
    }
    if (slot[j] < 0) slot[j] = (int32_t)g;
  }
  tg__free(slot);
  return true;
}

typedef struct keyed {
  uint64_t key;
  uint32_t entry;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->entry > y->entry) - (x->entry < y->entry);
}

/* A weak alias is weak on every list that has the party: the CSL copies
 * the UN's and OFAC's aliases without their quality marks.  Two entries
 * of different lists are the same party when they share a name of two
 * words or more (words in any order) and the alias as well - two names
 * in common, as one shared name may be a namesake's; the other entry's
 * copy of the alias is then weak too.  False when out of memory. */
static bool weak_across(builder *b) {
  tg__index *ix = b->ix;
  size_t nk = 0, nweak = 0;
  for (size_t n = 0; n < ix->nnames; n++) {
    nk += !ix->names[n].weak && ix->names[n].ntok >= 2;
    nweak += ix->names[n].weak;
  }
  if (!nweak) return true;
  keyed *k = tg__malloc((nk + 1) * sizeof *k);
  uint32_t *first = tg__malloc((ix->nentries + 1) * sizeof *first); /* an entry's names */
  if (!k || !first) {
    tg__free(k);
    tg__free(first);
    return false;
  }
  nk = 0;
  for (size_t e = 0; e <= ix->nentries; e++) first[e] = (uint32_t)ix->nnames;
  for (size_t n = ix->nnames; n-- > 0;) first[ix->names[n].entry] = (uint32_t)n;
  for (size_t e = ix->nentries; e-- > 0;) /* entries without names */
    if (first[e] > first[e + 1]) first[e] = first[e + 1];
  for (size_t n = 0; n < ix->nnames; n++)
    if (!ix->names[n].weak && ix->names[n].ntok >= 2) k[nk++] = (keyed){b->nkey[n], ix->names[n].entry};
  qsort(k, nk, sizeof *k, cmp_keyed);
  for (size_t w = 0; w < ix->nnames; w++) {
    if (!ix->names[w].weak) continue;
    uint32_t e = ix->names[w].entry;
    for (uint32_t n = first[e]; n < first[e + 1]; n++) { /* e's full names */
      if (ix->names[n].weak || ix->names[n].ntok < 2) continue;
      keyed want = {b->nkey[n], 0};
      size_t lo = 0, hi = nk;
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_keyed(&k[mid], &want) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (; lo < nk && k[lo].key == want.key; lo++) {
        uint32_t f = k[lo].entry;
        if (f == e || ix->entries[f].list == ix->entries[e].list) continue;
        for (uint32_t m = first[f]; m < first[f + 1]; m++)
          if (b->nkey[m] == b->nkey[w] && ix->names[m].ntok == ix->names[w].ntok && m != first[f])
            ix->names[m].weak = 1; /* (never f's own name, its first) */
      }
    }
  }
  tg__free(k);
  tg__free(first);
  return true;
}

tg_status tg__index_build(const tg__tables *t, tg__list *const *lists, size_t nlists, tg__index **out,
                          tg_error *err) {
  *out = NULL;
  tg__index *ix = tg__calloc(1, sizeof *ix);
  if (!ix) return tg__set_error(err, TG_ENOMEM, "out of memory");
  ix->refs = 1;
  ix->tables = t;
  pthread_mutex_init(&ix->mu, NULL);
  builder b = {.ix = ix};
  ix->lists = tg__calloc(nlists + 1, sizeof *ix->lists);
  if (!ix->lists) goto nomem;
  for (size_t i = 0; i < nlists; i++) ix->lists[ix->nlists++] = tg__list_ref(lists[i]);
  size_t total = 0;
  for (size_t i = 0; i < ix->nlists; i++) total += ix->lists[i]->n;
  ix->entries = tg__calloc(total + 1, sizeof *ix->entries);
  const tg__entry **flat = tg__malloc((total + 1) * sizeof *flat);
  const tg__list **owner = tg__malloc((total + 1) * sizeof *owner);
  int32_t *dup = tg__malloc((total + 1) * sizeof *dup);
  uint8_t *copy = tg__malloc(total + 1);
  if (!ix->entries || !flat || !owner || !dup || !copy) goto nomem_merge;
  for (size_t i = 0, g = 0; i < ix->nlists; i++)
    for (size_t k = 0; k < ix->lists[i]->n; k++, g++) flat[g] = &ix->lists[i]->entries[k], owner[g] = ix->lists[i];
  if (!sdn_duplicates(flat, owner, total, dup, copy)) goto nomem_merge;
  for (size_t g = 0; g < total; g++) {
    if (copy[g]) continue; /* indexed with its first copy */
    tg__sentry *se = &ix->entries[ix->nentries];
    se->e = flat[g];
    se->list = owner[g];
    se->policy = tg__screen_policy(se->e->source, se->e->license_policy);
    se->rank = tg__list_rank(se->e->source);
    entry_countries(se);
    b.cur_entry = (uint32_t)ix->nentries++;
    b.nseen = 0;
    /* the entry's names, then those of its copy on another list (the same
     * SDN entry in the CSL and in OFAC's files): one entry, both sources */
    for (int32_t d = (int32_t)g; d >= 0; d = dup[d]) {
      const tg__entry *e = flat[d];
      if ((size_t)d != g && !se->also) se->also = e, se->also_list = owner[d];
      b.cur_copy = d;
      b.cur_weak = b.cur_alias = false;
      tg__split_akas(e->name, add_name, &b);
      b.cur_alias = true;
      for (size_t a = 0; a < e->nakas; a++) {
        b.cur_weak = a >= e->nakas - e->nweak;
        tg__split_akas(e->akas[a], add_name, &b);
      }
    }
    if (b.oom) goto nomem_merge;
  }
  tg__free(flat);
  tg__free(owner);
  tg__free(dup);
  tg__free(copy);
  if (!weak_across(&b) || !build_postings(&b) || !build_deletions(&b)) goto nomem;
  tg__free(b.df);
  tg__free(b.wide);
  tg__free(b.nkey);
  *out = ix;
  return TG_OK;
nomem_merge:
  tg__free(flat);
  tg__free(owner);
  tg__free(dup);
  tg__free(copy);
nomem:
  tg__free(b.df);
  tg__free(b.wide);
  tg__free(b.nkey);
  index_free(ix);
  return tg__set_error(err, TG_ENOMEM, "out of memory building the screening index");
}

void tg__del_range(const tg__index *ix, uint64_t key, size_t *from, size_t *to) {
  if (!ix->doff) {
    *from = *to = 0;
    return;
  }
  size_t b = key >> (64 - ix->dbits);
  *from = ix->doff[b];
  *to = ix->doff[b + 1];
}
