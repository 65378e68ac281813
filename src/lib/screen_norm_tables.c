/* screen_norm_tables.c - the small data tables name matching uses, read
 * from DATA_DIR/screening/: legal forms and stopwords (dropped),
 * abbreviations (folded), phrases, Han variant forms and Han words, Arabic
 * name words and letter classes (for screen_norm_script.c), Han readings and Wade-Giles syllables (Unihan,
 * by tools/screen_unihan.py), places, qualifiers, particles, the scorer's
 * fitted weights and the reference token weights (token-df.tsv, parsed by
 * screen_norm_refweights.c); the plain word lists are one table
 * (word_files).  Calls screen_norm_spell.c and
 * screen_norm_refweights.c only. */
#include <math.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <utf8proc.h>

#include "screen_int.h"

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}
static int cmp_pair(const void *a, const void *b) {
  return strcmp(((const tg__tpair *)a)->from, ((const tg__tpair *)b)->from);
}
static int cmp_fold(const void *a, const void *b) {
  const int32_t *x = a, *y = b;
  return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Calls fn(ctx, col1, col2) for each non-comment line ("a" or "a\tb"). */
static tg_status each_line(const char *path, tg_status (*fn)(void *, char *, char *), void *ctx,
                           tg_error *err) {
  char *text;
  tg_status st = tg__read_file(path, &text, NULL, err);
  if (st != TG_OK) return st;
  char *save = NULL;
  int line = 0;
  for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    line++;
    size_t n = strlen(l);
    while (n && (l[n - 1] == '\r' || l[n - 1] == ' ')) l[--n] = '\0';
    if (!n || l[0] == '#') continue;
    char *tab = strchr(l, '\t');
    if (tab) *tab++ = '\0';
    if ((st = fn(ctx, l, tab)) != TG_OK) {
      tg__set_error(err, st, "%s: cannot read line '%s'", path, l);
      break;
    }
  }
  tg__free(text);
  return st;
}

static tg_status grow(void **v, size_t n, size_t size) {
  if (n & (n - 1) && n) return TG_OK; /* capacity doubles at powers of two */
  void *p = tg__realloc(*v, (n ? n * 2 : 16) * size);
  if (!p) return TG_ENOMEM;
  *v = p;
  return TG_OK;
}

/* One word onto a word list (sorted once all are read). */
static tg_status push_word(char ***list, size_t *n, const char *a) {
  if (grow((void **)list, *n, sizeof **list)) return TG_ENOMEM;
  return ((*list)[(*n)++] = tg__strdup(a)) ? TG_OK : TG_ENOMEM;
}

/* A line that is one normalised token (lower-case ASCII letters). */
static bool one_token(const char *a, const char *b) {
  if (b || !*a) return false;
  for (const char *c = a; *c; c++)
    if (*c < 'a' || *c > 'z') return false;
  return true;
}

/* The plain word lists, declared once: their file, their list in the
 * tables, and whether each line must be one normalised token (refused
 * otherwise) or is taken as written (legal forms and stopwords may hold
 * spaces or punctuation: the normaliser compares them so).  Loaded,
 * sorted and freed alike. */
#define WORD_LIST(file, field, strict) {file, offsetof(tg__tables, field), offsetof(tg__tables, n##field), strict}
static const struct word_file {
  const char *file;
  size_t list, count;
  bool strict;
} word_files[] = {
    WORD_LIST("legal-forms.txt", drop, false),        WORD_LIST("stopwords.txt", drop, false),
    WORD_LIST("places.txt", place, false),            WORD_LIST("qualifiers.txt", qual, false),
    WORD_LIST("particles.txt", part, false),          WORD_LIST("urdu-article.txt", urdu, true),
    WORD_LIST("honorifics.txt", honor, true),         WORD_LIST("kin-particles.txt", kin, true),
    WORD_LIST("first-names-not-called.txt", notcalled, true)};
#undef WORD_LIST

static char ***list_of(tg__tables *t, const struct word_file *f) { return (char ***)((char *)t + f->list); }
static size_t *count_of(tg__tables *t, const struct word_file *f) { return (size_t *)((char *)t + f->count); }

struct word_ctx {
  tg__tables *t;
  const struct word_file *f;
};

static tg_status add_listed(void *ctx, char *a, char *b) {
  struct word_ctx *c = ctx;
  if (c->f->strict && !one_token(a, b)) return TG_EPARSE;
  return push_word(list_of(c->t, c->f), count_of(c->t, c->f), a);
}

static tg_status add_vessel(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  (void)b;
  if (strlen(a) >= TG__VESSEL_PREFIX_MAX) return TG_EPARSE; /* refused, not ignored */
  if (grow((void **)&t->vessel, t->nvessel, sizeof *t->vessel)) return TG_ENOMEM;
  return (t->vessel[t->nvessel++] = tg__strdup(a)) ? TG_OK : TG_ENOMEM;
}

#define TG__F_NAME(n, d) #n,
const char *const tg__feature_names[TG__NFEAT] = {TG__FEATURES(TG__F_NAME)};
#undef TG__F_NAME
#define TG__F_DOC(n, d) d,
const char *const tg__feature_docs[TG__NFEAT] = {TG__FEATURES(TG__F_DOC)};
#undef TG__F_DOC

/* "feature<TAB>weight"; other keys (threshold, recall) are the fit's
 * notes and are skipped. */
static tg_status add_weight(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  if (!b) return TG_EPARSE;
  char *end;
  double v = strtod(b, &end);
  if (end == b || !isfinite(v)) return TG_EPARSE;
  for (int i = 0; i < TG__NFEAT; i++)
    if (!strcmp(a, tg__feature_names[i])) {
      t->weights[i] = v;
      t->have_weight[i] = true;
    }
  return TG_OK;
}

static tg_status add_phrase(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  if (!b || !strchr(a, ' ')) return TG_EPARSE;
  if (grow((void **)&t->phrase, t->nphrase, sizeof *t->phrase)) return TG_ENOMEM;
  tg__tpair *p = &t->phrase[t->nphrase++];
  p->from = tg__strdup(a);
  p->to = tg__strdup(b);
  return p->from && p->to ? TG_OK : TG_ENOMEM;
}

int32_t tg__tables_han_fold(const tg__tables *t, int32_t c) {
  int32_t key[2] = {c, 0};
  const int32_t(*f)[2] = bsearch(key, t->fold, t->nfold, sizeof *t->fold, cmp_fold);
  return f ? (*f)[1] : c;
}

int tg__tables_phrase(const tg__tables *t, char (*toks)[TG__MAX_TOKEN], int n, const char **to) {
  for (size_t i = 0; i < t->nphrase; i++) {
    const char *f = t->phrase[i].from;
    if (n > 0 && toks[0][0] && f[0] != toks[0][0]) continue; /* cannot start here */
    int k = 0;
    while (k < n) {
      size_t l = strlen(toks[k]);
      if (strncmp(f, toks[k], l) || (f[l] != ' ' && f[l] != '\0')) break;
      k++;
      f += l;
      if (!*f) {
        *to = t->phrase[i].to;
        return k;
      }
      f++;
    }
  }
  return 0;
}

/* Appends the pair (a, b) to a table of pairs. */
static tg_status add_tpair(tg__tpair **v, size_t *n, const char *a, const char *b) {
  if (!b) return TG_EPARSE;
  if (grow((void **)v, *n, sizeof **v)) return TG_ENOMEM;
  tg__tpair *p = &(*v)[(*n)++];
  p->from = tg__strdup(a);
  p->to = tg__strdup(b);
  return p->from && p->to ? TG_OK : TG_ENOMEM;
}

/* Whether word (n bytes) is one of the space-separated words of list. */
static bool has_word(const char *list, const char *word, size_t n) {
  for (const char *p = list; *p;) {
    size_t l = strcspn(p, " ");
    if (l == n && !memcmp(p, word, n)) return true;
    p += l;
    while (*p == ' ') p++;
  }
  return false;
}

/* korean-surname-latin.tsv: each spelling of the line (two letters or
 * more) reads as all of the line's; a spelling on two lines, as both's.
 * A word's readings hold six other spellings (screen_norm.c): a spelling
 * that would read as more is refused, not cut. */
#define KOLATIN_MAX 7

static int count_words(const char *list) {
  int n = 0;
  for (const char *p = list; *p;) {
    while (*p == ' ') p++;
    if (*p) n++;
    p += strcspn(p, " ");
  }
  return n;
}
static tg_status add_kolatin(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  if (!b || !*a || !*b) return TG_EPARSE;
  for (const char *c = b; *c; c++)
    if (*c != ' ' && (*c < 'a' || *c > 'z')) return TG_EPARSE;
  for (const char *p = b; *p;) {
    size_t l = strcspn(p, " ");
    char w[TG__MAX_TOKEN];
    if (l >= sizeof w) return TG_EPARSE;
    memcpy(w, p, l);
    w[l] = '\0';
    p += l;
    while (*p == ' ') p++;
    if (l < 2) continue;
    tg__tpair *have = NULL;
    for (size_t i = 0; i < t->nkol && !have; i++)
      if (!strcmp(t->kol[i].from, w)) have = &t->kol[i];
    if (!have) {
      if (count_words(b) > KOLATIN_MAX) return TG_EPARSE;
      tg_status st = add_tpair(&t->kol, &t->nkol, w, b);
      if (st != TG_OK) return st;
      continue;
    }
    for (const char *q = b; *q;) { /* the other line's spellings too */
      size_t m = strcspn(q, " ");
      if (!has_word(have->to, q, m)) {
        size_t o = strlen(have->to);
        char *to = tg__realloc(have->to, o + m + 2);
        if (!to) return TG_ENOMEM;
        to[o] = ' ';
        memcpy(to + o + 1, q, m);
        to[o + m + 1] = '\0';
        have->to = to;
      }
      q += m;
      while (*q == ' ') q++;
    }
    if (count_words(have->to) > KOLATIN_MAX) return TG_EPARSE;
  }
  return TG_OK;
}

static tg_status add_abbr(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  return add_tpair(&t->abbr, &t->nabbr, a, b);
}

static int decode(const char *s, int32_t *cp, int cap) {
  int n = 0;
  while (*s && n < cap) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &c);
    if (k <= 0) return -1;
    cp[n++] = c;
    s += k;
  }
  return *s ? -1 : n;
}

static tg_status add_fold(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  int32_t x[2], y[2];
  if (!b || decode(a, x, 2) != 1 || decode(b, y, 2) != 1) return TG_EPARSE;
  if (grow((void **)&t->fold, t->nfold, sizeof *t->fold)) return TG_ENOMEM;
  t->fold[t->nfold][0] = x[0];
  t->fold[t->nfold++][1] = y[0];
  return TG_OK;
}

static tg_status add_word(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  if (!b) return TG_EPARSE;
  if (grow((void **)&t->words, t->nwords, sizeof *t->words)) return TG_ENOMEM;
  tg__hanword *w = &t->words[t->nwords];
  if ((w->n = decode(a, w->cp, 12)) <= 0) return TG_EPARSE;
  if (!(w->latin = tg__strdup(b))) return TG_ENOMEM;
  t->nwords++;
  return TG_OK;
}

/* Letters that Arabic, Persian and Urdu spellings of one name differ in,
 * to one form: Persian yeh and kaf, alef maksura, Urdu heh, the hamza
 * seats of alef, waw and yeh (Unicode code charts, Arabic block). */
int32_t tg__arabic_fold(int32_t c) {
  switch (c) {
  case 0x6CC: case 0x649: case 0x626: case 0x6D2: return 0x64A; /* yeh */
  case 0x6A9: return 0x643;                                     /* kaf */
  case 0x623: case 0x625: case 0x622: case 0x671: return 0x627; /* alef */
  case 0x624: return 0x648;                                     /* waw */
  case 0x6C1: case 0x6BE: return 0x647;                         /* heh */
  default: return c;
  }
}

static tg_status add_arabic(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  if (!b) return TG_EPARSE;
  if (grow((void **)&t->arabic, t->narabic, sizeof *t->arabic)) return TG_ENOMEM;
  tg__hanword *w = &t->arabic[t->narabic];
  if ((w->n = decode(a, w->cp, 12)) <= 0) return TG_EPARSE;
  for (int i = 0; i < w->n; i++) w->cp[i] = tg__arabic_fold(w->cp[i]);
  if (!(w->latin = tg__strdup(b))) return TG_ENOMEM;
  t->narabic++;
  return TG_OK;
}

/* An Arabic word as its letters' classes (see screen_norm_script.c). */
bool tg__abjad_word(const tg__tables *t, const int32_t *cp, size_t n, char *out, size_t cap) {
  size_t o = 0;
  bool marked = false;
  for (size_t i = 0; i < n; i++) {
    char c = cp[i] >= 0x600 && cp[i] <= 0x6FF ? t->abjad[cp[i] - 0x600] : 0;
    if (!c) return false;
    if (o + 1 >= cap) break;
    if (c != '\'' && !marked) c = (char)(c - 32), marked = true;
    out[o++] = c;
  }
  out[o] = '\0';
  return marked;
}

/* titles.tsv: a Latin spelling ("haji"), or an Arabic-script spelling
 * TAB the Latin one, kept as its letter code ("H'jy", as the normaliser
 * writes the word): the word is still compared by its letters (الحاج =
 * "Hadj" as a family name). */
static tg_status add_title(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  char code[TG__MAX_TOKEN];
  const char *tok = a;
  for (const char *c = b ? b : a; *c; c++)
    if (*c < 'a' || *c > 'z') return TG_EPARSE; /* a normalised token */
  if (!*(b ? b : a)) return TG_EPARSE;
  if (b) {
    int32_t cp[13];
    int n = decode(a, cp, 12);
    if (n <= 0) return TG_EPARSE;
    for (int i = 0; i < n; i++) cp[i] = tg__arabic_fold(cp[i]);
    if (!tg__abjad_word(t, cp, (size_t)n, code, sizeof code)) return TG_EPARSE;
    tok = code;
  }
  if (grow((void **)&t->title, t->ntitle, sizeof *t->title)) return TG_ENOMEM;
  return (t->title[t->ntitle++] = tg__strdup(tok)) ? TG_OK : TG_ENOMEM;
}

static tg_status add_abjad(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  int32_t c[2];
  if (!b || decode(a, c, 2) != 1 || c[0] < 0x600 || c[0] > 0x6FF || !*b || b[0] == '\t' ||
      (b[1] && b[1] != '\t'))
    return TG_EPARSE;
  t->abjad[c[0] - 0x600] = b[0];
  return TG_OK;
}

static tg_status add_ko(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  return add_tpair(&t->ko, &t->nko, a, b);
}

static tg_status add_wg(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  return add_tpair(&t->wg, &t->nwg, a, b);
}

static tg_status add_reading(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  int32_t c[2];
  if (!b || decode(a, c, 2) != 1) return TG_EPARSE;
  int tabs = 0;
  for (const char *s = b; *s; s++) tabs += *s == '\t';
  if (tabs != TG__HAN_SYSTEMS - 2 || strlen(b) + 16 >= TG__ALT_LEN) return TG_EPARSE;
  if (grow((void **)&t->readings, t->nreadings, sizeof *t->readings)) return TG_ENOMEM;
  struct tg__reading *r = &t->readings[t->nreadings];
  r->cp = c[0];
  if (!(r->alt = tg__strdup(b))) return TG_ENOMEM;
  t->nreadings++;
  return TG_OK;
}

static int cmp_reading(const void *a, const void *b) {
  const struct tg__reading *x = a, *y = b;
  return (x->cp > y->cp) - (x->cp < y->cp);
}

const char *tg__tables_wade_giles(const tg__tables *t, const char *syllable) {
  tg__tpair key = {(char *)syllable, NULL};
  const tg__tpair *p = bsearch(&key, t->wg, t->nwg, sizeof *t->wg, cmp_pair);
  return p ? p->to : NULL;
}

const char *tg__tables_korean_surname(const tg__tables *t, const char *syllable) {
  tg__tpair key = {(char *)syllable, NULL};
  const tg__tpair *p = bsearch(&key, t->ko, t->nko, sizeof *t->ko, cmp_pair);
  return p ? p->to : NULL;
}

const char *tg__tables_korean_latin(const tg__tables *t, const char *word) {
  tg__tpair key = {(char *)word, NULL};
  const tg__tpair *p = t->nkol ? bsearch(&key, t->kol, t->nkol, sizeof *t->kol, cmp_pair) : NULL;
  return p ? p->to : NULL;
}

const char *tg__tables_han_readings(const tg__tables *t, int32_t c) {
  struct tg__reading key = {c, NULL};
  const struct tg__reading *r = bsearch(&key, t->readings, t->nreadings, sizeof key, cmp_reading);
  return r ? r->alt : NULL;
}

static int cmp_word_len(const void *a, const void *b) { /* longest first */
  return ((const tg__hanword *)b)->n - ((const tg__hanword *)a)->n;
}


/* Letters present, as bits: two words within `cap` edits differ in at
 * most 2 * cap of them. */
static uint32_t letters(const char *s) {
  uint32_t m = 0;
  for (; *s; s++)
    if (*s >= 'a' && *s <= 'z') m |= 1u << (*s - 'a');
  return m;
}

static tg__wordkey *keys_of(size_t n, const char *(*word)(const tg__tables *, size_t), const tg__tables *t) {
  tg__wordkey *k = tg__calloc(n ? n : 1, sizeof *k);
  for (size_t i = 0; k && i < n; i++) {
    const char *w = word(t, i);
    k[i] = (tg__wordkey){letters(w), (uint32_t)strlen(w)};
  }
  return k;
}
static const char *drop_word(const tg__tables *t, size_t i) { return t->drop[i]; }
static const char *abbr_word(const tg__tables *t, size_t i) { return t->abbr[i].from; }

/* The sorted tables' word keys; false when out of memory. */
static bool word_keys(tg__tables *t) {
  t->drop_key = keys_of(t->ndrop, drop_word, t);
  t->abbr_key = keys_of(t->nabbr, abbr_word, t);
  return t->drop_key && t->abbr_key;
}

/* The key of a common name: its two syllables in byte order, one space
 * between ("wei zhang"); false when they do not fit. */
static bool common_key(const char *a, const char *b, char *out, size_t cap) {
  if (strcmp(a, b) > 0) {
    const char *x = a;
    a = b, b = x;
  }
  return (size_t)snprintf(out, cap, "%s %s", a, b) < cap;
}

static tg_status add_common(void *ctx, char *a, char *b) {
  tg__tables *t = ctx;
  if (!b || !*b) return TG_EPARSE;
  if (!strcmp(a, "@cap")) {
    char *end;
    double v = strtod(b, &end);
    if (*end || !(v > 0 && v < 1)) return TG_EPARSE;
    t->common_cap = v;
    return TG_OK;
  }
  char *sp = strchr(a, ' '), key[64];
  if (!sp || strchr(sp + 1, ' ')) return TG_EPARSE; /* two syllables */
  *sp = '\0';
  for (const char *c = a; *c; c++)
    if (*c < 'a' || *c > 'z') return TG_EPARSE;
  for (const char *c = sp + 1; *c; c++)
    if (*c < 'a' || *c > 'z') return TG_EPARSE;
  if (!*a || !sp[1] || !common_key(a, sp + 1, key, sizeof key)) return TG_EPARSE;
  if (grow((void **)&t->common, t->ncommon, sizeof *t->common)) return TG_ENOMEM;
  return (t->common[t->ncommon++] = tg__strdup(key)) ? TG_OK : TG_ENOMEM;
}

tg_status tg__tables_load(const char *data_dir, tg__tables **out, tg_error *err) {
  *out = NULL;
  tg__tables *t = tg__calloc(1, sizeof *t);
  if (!t) return tg__set_error(err, TG_ENOMEM, "out of memory");
  pthread_mutex_init(&t->mu, NULL);
  static const struct { const char *file; tg_status (*fn)(void *, char *, char *); } files[] = {
      {"abbreviations.tsv", add_abbr}, {"phrases.tsv", add_phrase}, {"han-variants.tsv", add_fold},
      {"han-words.tsv", add_word}, {"arabic-names.tsv", add_arabic},
      {"arabic-letters.tsv", add_abjad}, {"weights.tsv", add_weight},
      {"wade-giles.tsv", add_wg}, {"han-readings.tsv", add_reading},
      {"korean-surnames.tsv", add_ko}, {"korean-surname-latin.tsv", add_kolatin}, {"vessel-prefixes.txt", add_vessel},
      {"titles.tsv", add_title}, {"common-han-names.tsv", add_common}};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/screening/%s", data_dir, files[i].file);
    tg_status st = each_line(path, files[i].fn, t, err);
    if (st != TG_OK) {
      tg__tables_free(t);
      return st;
    }
  }
  for (size_t i = 0; i < sizeof word_files / sizeof *word_files; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/screening/%s", data_dir, word_files[i].file);
    struct word_ctx c = {t, &word_files[i]};
    tg_status st = each_line(path, add_listed, &c, err);
    if (st != TG_OK) {
      tg__tables_free(t);
      return st;
    }
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/screening/token-df.tsv", data_dir);
  char *text;
  size_t len;
  tg_status st = tg__read_file(path, &text, &len, err);
  if (st == TG_OK) st = tg__refweights_parse(text, len, path, &t->ref, err);
  if (st != TG_OK) {
    tg__tables_free(t);
    return st;
  }
  for (int i = 0; i < TG__NFEAT; i++)
    if (!t->have_weight[i]) {
      tg__set_error(err, TG_EPARSE, "%s/screening/weights.tsv: no weight for feature '%s'",
                    data_dir, tg__feature_names[i]);
      tg__tables_free(t);
      return TG_EPARSE;
    }
  for (size_t i = 0; i < sizeof word_files / sizeof *word_files; i++)
    if (*count_of(t, &word_files[i]) > 1)
      qsort(*list_of(t, &word_files[i]), *count_of(t, &word_files[i]), sizeof(char *), cmp_str);
  qsort(t->title, t->ntitle, sizeof *t->title, cmp_str);
  qsort(t->common, t->ncommon, sizeof *t->common, cmp_str);
  if (t->ncommon && !(t->common_cap > 0)) {
    tg__set_error(err, TG_EPARSE, "%s/screening/common-han-names.tsv: no @cap line", data_dir);
    tg__tables_free(t);
    return TG_EPARSE;
  }
  qsort(t->abbr, t->nabbr, sizeof *t->abbr, cmp_pair);
  qsort(t->fold, t->nfold, sizeof *t->fold, cmp_fold);
  qsort(t->words, t->nwords, sizeof *t->words, cmp_word_len);
  qsort(t->wg, t->nwg, sizeof *t->wg, cmp_pair);
  qsort(t->ko, t->nko, sizeof *t->ko, cmp_pair);
  qsort(t->kol, t->nkol, sizeof *t->kol, cmp_pair);
  qsort(t->readings, t->nreadings, sizeof *t->readings, cmp_reading);
  if (!word_keys(t)) {
    tg__tables_free(t);
    return tg__set_error(err, TG_ENOMEM, "out of memory loading the screening tables");
  }
  *out = t;
  return TG_OK;
}

/* A word list's words and the list. */
static void free_words(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) tg__free(v[i]);
  tg__free(v);
}

void tg__tables_free(tg__tables *t) {
  if (!t) return;
  for (size_t i = 0; i < sizeof word_files / sizeof *word_files; i++) { /* stopwords share drop */
    char ***l = list_of(t, &word_files[i]);
    free_words(*l, *count_of(t, &word_files[i]));
    *l = NULL, *count_of(t, &word_files[i]) = 0;
  }
  free_words(t->title, t->ntitle);
  free_words(t->common, t->ncommon);
  free_words(t->vessel, t->nvessel);
  for (size_t i = 0; i < t->nabbr; i++) tg__free(t->abbr[i].from), tg__free(t->abbr[i].to);
  for (size_t i = 0; i < t->nphrase; i++) tg__free(t->phrase[i].from), tg__free(t->phrase[i].to);
  tg__free(t->phrase);
  for (size_t i = 0; i < t->nwords; i++) tg__free(t->words[i].latin);
  for (size_t i = 0; i < t->narabic; i++) tg__free(t->arabic[i].latin);
  tg__free(t->arabic);
  for (size_t i = 0; i < t->nwg; i++) tg__free(t->wg[i].from), tg__free(t->wg[i].to);
  tg__free(t->wg);
  for (size_t i = 0; i < t->nko; i++) tg__free(t->ko[i].from), tg__free(t->ko[i].to);
  for (size_t i = 0; i < t->nkol; i++) tg__free(t->kol[i].from), tg__free(t->kol[i].to);
  tg__free(t->kol);
  tg__free(t->ko);
  for (size_t i = 0; i < t->nreadings; i++) tg__free(t->readings[i].alt);
  tg__free(t->readings);
  tg__free(t->abbr);
  tg__free(t->drop_key);
  tg__free(t->abbr_key);
  tg__free(t->fold);
  tg__free(t->words);
  tg__refweights_free(&t->ref);
  if (t->t2s) utrans_close(t->t2s);
  if (t->pinyin) utrans_close(t->pinyin);
  if (t->any) utrans_close(t->any);
  if (t->cyr) utrans_close(t->cyr);
  pthread_mutex_destroy(&t->mu);
  tg__free(t);
}


/* Exact, or a misspelt long word ("technologise", "indsutrial"): one edit
 * for 7-9 bytes, two from 10. */
const char *tg__tables_abbrev(const tg__tables *t, const char *tok) {
  tg__tpair key = {(char *)tok, NULL};
  const tg__tpair *p = bsearch(&key, t->abbr, t->nabbr, sizeof *t->abbr, cmp_pair);
  if (p) return p->to;
  size_t l = strlen(tok);
  if (l < 7) return NULL;
  int cap = l >= 10 ? 2 : 1;
  uint32_t lm = letters(tok);
  for (size_t i = 0; i < t->nabbr; i++) {
    const char *d = t->abbr[i].from;
    size_t dl = t->abbr_key[i].len;
    if (dl < 7 || (dl > l ? dl - l : l - dl) > (size_t)cap || d[0] != tok[0] ||
        __builtin_popcount(t->abbr_key[i].letters ^ lm) > 2 * cap)
      continue;
    if (tg__osa_distance(tok, l, d, dl, cap + 1) <= cap) return t->abbr[i].to;
  }
  return NULL;
}

bool tg__tables_generic(const tg__tables *t, const char *tok) {
  for (size_t i = 0; i < t->nabbr; i++)
    if (t->abbr[i].to[0] == tok[0] && !strcmp(t->abbr[i].to, tok)) return true;
  return false;
}

const double *tg__tables_weights(const tg__tables *t) { return t->weights; }

float tg__tables_ref_weight(const tg__tables *t, const char *tok) { return tg__refweights_get(&t->ref, tok); }

float tg__tables_ref_unknown(const tg__tables *t) { return t->ref.unknown; }

/* Whether a sorted word list (cmp_str's order) holds tok: bsearch's
 * answer, with the first bytes compared before strcmp. */
static bool in_sorted(char *const *v, size_t n, const char *tok) {
  size_t lo = 0, hi = n;
  unsigned char c = (unsigned char)tok[0];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    unsigned char m = (unsigned char)v[mid][0];
    int r = c != m ? (c < m ? -1 : 1) : strcmp(tok, v[mid]);
    if (!r) return true;
    if (r < 0) hi = mid;
    else lo = mid + 1;
  }
  return false;
}

bool tg__tables_qualifier(const tg__tables *t, const char *tok) {
  return in_sorted(t->qual, t->nqual, tok);
}

bool tg__tables_particle(const tg__tables *t, const char *tok) {
  return in_sorted(t->part, t->npart, tok);
}

bool tg__tables_title(const tg__tables *t, const char *tok) {
  return in_sorted(t->title, t->ntitle, tok) || in_sorted(t->honor, t->nhonor, tok);
}

bool tg__tables_honorific(const tg__tables *t, const char *tok) {
  return in_sorted(t->honor, t->nhonor, tok);
}

bool tg__tables_kin(const tg__tables *t, const char *tok) { return in_sorted(t->kin, t->nkin, tok); }

bool tg__tables_not_called(const tg__tables *t, const char *tok) {
  return in_sorted(t->notcalled, t->nnotcalled, tok);
}

bool tg__tables_common_name(const tg__tables *t, const char *a, const char *b, double *cap) {
  char key[64];
  if (!t->ncommon || !common_key(a, b, key, sizeof key) || !in_sorted(t->common, t->ncommon, key))
    return false;
  *cap = t->common_cap;
  return true;
}

bool tg__tables_urdu_article(const tg__tables *t, const char *tok) {
  return in_sorted(t->urdu, t->nurdu, tok);
}

size_t tg__tables_vessel_prefix(const tg__tables *t, const char *name) {
  for (size_t i = 0; i < t->nvessel; i++) {
    size_t n = strlen(t->vessel[i]);
    if (!strncasecmp(name, t->vessel[i], n) && name[n] == ' ') return n;
  }
  return 0;
}

bool tg__tables_place(const tg__tables *t, const char *tok) {
  return in_sorted(t->place, t->nplace, tok);
}

/* Exact, or a misspelt long legal form ("compayn", "limitd"): one edit
 * for 4-7 bytes, two from 8 (against legal forms of 5+ bytes). */
bool tg__tables_drop(const tg__tables *t, const char *tok) {
  if (in_sorted(t->drop, t->ndrop, tok)) return true;
  size_t l = strlen(tok);
  if (l < 4) return false;
  int cap = l >= 8 ? 2 : 1;
  uint32_t lm = letters(tok);
  for (size_t i = 0; i < t->ndrop; i++) {
    const char *d = t->drop[i];
    size_t dl = t->drop_key[i].len;
    if (dl < 5 || (dl > l ? dl - l : l - dl) > (size_t)cap || (d[0] != tok[0] && d[1] != tok[1]) ||
        __builtin_popcount(t->drop_key[i].letters ^ lm) > 2 * cap)
      continue;
    if (tg__osa_distance(tok, l, d, dl, cap + 1) <= cap) return true;
  }
  return false;
}
