/* screen_norm_script.c - names in other scripts to Latin, for the
 * normaliser.  Han: variants folded to simplified with the table and ICU
 * "Traditional-Simplified", words from the table longest first, the rest
 * as pinyin syllables from ICU "Han-Latin; Latin-ASCII".  Other scripts
 * (Cyrillic, Arabic, Greek, Hebrew, Hangul, kana, Thai, Devanagari...):
 * ICU "Any-Latin; Latin-ASCII".  ICU transliterators are opened on first
 * use and guarded by the tables' mutex, as they may not be used by two
 * threads at once.  Calls screen_norm_tables.c only. */
#include <pthread.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "screen_int.h"

/* ---- Han to Latin ------------------------------------------------------ */

static UTransliterator *open_trans(const char *id) {
  UErrorCode e = U_ZERO_ERROR;
  UChar uid[64];
  u_uastrcpy(uid, id);
  UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
  return U_FAILURE(e) ? NULL : t;
}

/* Runs a transliterator over code points in place (n may change). */
static void trans(UTransliterator *t, int32_t *cp, size_t *n, size_t cap) {
  UChar u[256];
  int32_t len = 0;
  UErrorCode e = U_ZERO_ERROR;
  u_strFromUTF32(u, 256, &len, (const UChar32 *)cp, (int32_t)*n, &e);
  if (U_FAILURE(e) || len >= 200) return;
  int32_t lim = len;
  utrans_transUChars(t, u, &len, 256, 0, &lim, &e);
  if (U_FAILURE(e)) return;
  int32_t m = 0;
  u_strToUTF32((UChar32 *)cp, (int32_t)cap, &m, u, len, &e);
  if (!U_FAILURE(e)) *n = (size_t)m;
}

static void push_words(const char *latin, char (*toks)[TG__MAX_TOKEN], uint8_t *syl, uint8_t flag,
                       int *ntoks, int cap) {
  while (*latin) {
    while (*latin == ' ') latin++;
    size_t n = strcspn(latin, " ");
    if (n && *ntoks < cap && n < TG__MAX_TOKEN) {
      syl[*ntoks] = flag;
      memcpy(toks[*ntoks], latin, n);
      toks[(*ntoks)++][n] = '\0';
    }
    latin += n;
  }
}

static void pinyin(tg__tables *t, const int32_t *cp, size_t n, char (*toks)[TG__MAX_TOKEN],
                   uint8_t *syl, int *ntoks, int cap) {
  if (!n || !t->pinyin) return;
  int32_t buf[600];
  if (n > 60) n = 60;
  memcpy(buf, cp, n * sizeof *cp);
  size_t m = n;
  trans(t->pinyin, buf, &m, 600);
  char out[700];
  size_t o = 0;
  for (size_t i = 0; i < m && o + 1 < sizeof out; i++) /* ASCII after Latin-ASCII */
    out[o++] = buf[i] < 128 && buf[i] > 32 ? (char)(buf[i] | 0x20) : ' ';
  out[o] = '\0';
  push_words(out, toks, syl, 1, ntoks, cap);
}

void tg__han_latin(const tg__tables *ct, const int32_t *cps, size_t n, char (*toks)[TG__MAX_TOKEN],
                   uint8_t *syl, int *ntoks, int cap) {
  tg__tables *t = (tg__tables *)ct; /* the mutex and lazily opened ICU state */
  int32_t cp[128];
  if (n > 60) n = 60;
  for (size_t i = 0; i < n; i++) cp[i] = tg__tables_han_fold(t, cps[i]);
  pthread_mutex_lock(&t->mu);
  if (!t->icu_tried) {
    t->icu_tried = true;
    t->t2s = open_trans("Traditional-Simplified");
    t->pinyin = open_trans("Han-Latin; Latin-ASCII");
  }
  if (t->t2s) trans(t->t2s, cp, &n, 128);
  size_t run = 0; /* start of characters not yet written */
  for (size_t i = 0; i < n;) {
    const tg__hanword *hit = NULL;
    for (size_t w = 0; w < t->nwords && !hit; w++) {
      const tg__hanword *hw = &t->words[w];
      if ((size_t)hw->n <= n - i && !memcmp(hw->cp, cp + i, (size_t)hw->n * sizeof *cp)) hit = hw;
    }
    if (!hit) {
      i++;
      continue;
    }
    pinyin(t, cp + run, i - run, toks, syl, ntoks, cap);
    push_words(hit->latin, toks, syl, 0, ntoks, cap);
    i += (size_t)hit->n;
    run = i;
  }
  pinyin(t, cp + run, n - run, toks, syl, ntoks, cap);
  pthread_mutex_unlock(&t->mu);
}

/* ---- other scripts to Latin -------------------------------------------- */

/* An Arabic word: the article "al" apart (ال), then the word's Latin
 * spelling from arabic-names.tsv; *n is left as the characters still to
 * transliterate (0 when the table had the word). */
static const int32_t *arabic_word(const tg__tables *t, const int32_t *cp, size_t *n,
                                  char (*toks)[TG__MAX_TOKEN], uint8_t *syl, int *ntoks, int cap) {
  if (*n > 3 && cp[0] == 0x627 && cp[1] == 0x644) {
    push_words("al", toks, syl, 1, ntoks, cap);
    cp += 2, *n -= 2;
  }
  for (size_t i = 0; i < t->narabic; i++) {
    const tg__hanword *w = &t->arabic[i];
    if ((size_t)w->n == *n && !memcmp(w->cp, cp, *n * sizeof *cp)) {
      push_words(w->latin, toks, syl, 1, ntoks, cap);
      *n = 0;
      break;
    }
  }
  return cp;
}

void tg__script_latin(const tg__tables *ct, const int32_t *cps, size_t n,
                      char (*toks)[TG__MAX_TOKEN], uint8_t *syl, int *ntoks, int cap) {
  tg__tables *t = (tg__tables *)ct; /* the mutex and lazily opened ICU state */
  int32_t cp[600];
  if (n > 60) n = 60;
  bool arabic = n && cps[0] >= 0x600 && cps[0] <= 0x6FF;
  if (arabic) cps = arabic_word(t, cps, &n, toks, syl, ntoks, cap);
  if (!n) return;
  memcpy(cp, cps, n * sizeof *cp);
  pthread_mutex_lock(&t->mu);
  if (!t->any_tried) {
    t->any_tried = true;
    t->any = open_trans("Any-Latin; Latin-ASCII");
  }
  if (t->any) trans(t->any, cp, &n, 600);
  pthread_mutex_unlock(&t->mu);
  if (!t->any) return;
  char out[700];
  size_t o = 0;
  for (size_t i = 0; i < n && o + 1 < sizeof out; i++) {
    int32_t c = cp[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out[o++] = (char)c;
    else if (c >= 'A' && c <= 'Z') out[o++] = (char)(c | 0x20);
    else if (c == '\'' || c == 0x2BF || c == 0x2BE || c == 0x2BC || c == 0x200C) continue;
    else out[o++] = ' ';
  }
  out[o] = '\0';
  if (arabic) { /* short vowels are not written: keep the consonants and
                 * glides, as the skeletons of Latin spellings are compared */
    size_t k = 0;
    for (size_t i = 0; i < o; i++)
      if (!strchr("aeiou", out[i]) || out[i] == ' ' || i == 0 || out[i - 1] == ' ') out[k++] = out[i];
    out[k] = '\0';
  }
  push_words(out, toks, syl, 1, ntoks, cap);
}
