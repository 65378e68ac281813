/* screen_norm_script.c - names in other scripts to Latin, for the
 * normaliser.  Han: variants folded to simplified with the table and ICU
 * "Traditional-Simplified", words from the table longest first, the rest
 * as pinyin syllables from ICU "Han-Latin; Latin-ASCII", each with its
 * other readings (Wade-Giles, Cantonese, Japanese, Korean).  Other scripts
 * (Arabic, Greek, Hebrew, Hangul, kana, Thai, Devanagari...): ICU
 * "Any-Latin; Latin-ASCII"; Cyrillic: ICU "Russian-Latin/BGN" first.  ICU transliterators are opened on first
 * use and guarded by the tables' mutex, as they may not be used by two
 * threads at once.  Calls screen_norm_tables.c only. */
#include <pthread.h>
#include <stdio.h>
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

/* The other readings of Han syllable tokens toks[from..): when there is
 * one token per character, the Wade-Giles of its pinyin and the
 * character's readings (of its original form, else the simplified). */
static void readings(const tg__tables *t, const int32_t *cp, const int32_t *orig, size_t n,
                     char (*toks)[TG__MAX_TOKEN], int from, int to, char (*alt)[TG__ALT_LEN]) {
  for (int k = from; k < to; k++) alt[k][0] = '\0';
  if ((size_t)(to - from) != n) return;
  for (size_t i = 0; i < n; i++) {
    const char *r = orig ? tg__tables_han_readings(t, orig[i]) : NULL;
    if (!r) r = tg__tables_han_readings(t, cp[i]);
    const char *wg = tg__tables_wade_giles(t, toks[from + i]);
    /* "^" marks the first syllable of a run: syllables are joined only
     * within one run */
    snprintf(alt[from + i], TG__ALT_LEN, "%s%s\t%s", i ? "" : "^", wg ? wg : "", r ? r : "\t\t\t\t");
  }
}

static void pinyin(tg__tables *t, const int32_t *cp, const int32_t *orig, size_t n,
                   char (*toks)[TG__MAX_TOKEN], uint8_t *syl, int *ntoks, int cap,
                   char (*alt)[TG__ALT_LEN]) {
  if (!n || !t->pinyin) return;
  int from = *ntoks;
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
  readings(t, cp, orig, n, toks, from, *ntoks, alt);
}

void tg__han_latin(const tg__tables *ct, const int32_t *cps, size_t n, char (*toks)[TG__MAX_TOKEN],
                   uint8_t *syl, int *ntoks, int cap, char (*alt)[TG__ALT_LEN]) {
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
  size_t n0 = n;
  if (t->t2s) trans(t->t2s, cp, &n, 128);
  const int32_t *orig = n == n0 ? cps : NULL; /* characters one for one */
  size_t run = 0; /* start of characters not yet written */
  int first = *ntoks;
  bool words = false;
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
    words = true;
    pinyin(t, cp + run, orig ? orig + run : NULL, i - run, toks, syl, ntoks, cap, alt);
    int from = *ntoks;
    push_words(hit->latin, toks, syl, 0, ntoks, cap);
    for (int k = from; k < *ntoks; k++) alt[k][0] = '\0';
    i += (size_t)hit->n;
    run = i;
  }
  pinyin(t, cp + run, orig ? orig + run : NULL, n - run, toks, syl, ntoks, cap, alt);
  if (words) /* Chinese company words (科技, 有限公司): a Chinese name, read
              * in Mandarin only (Wade-Giles kept) */
    for (int k = first; k < *ntoks; k++) {
      char *tab = strchr(alt[k], '\t');
      if (tab) tab[1] = '\0';
    }
  pthread_mutex_unlock(&t->mu);
}

/* ---- other scripts to Latin -------------------------------------------- */

/* Any other script to Latin by ICU "Any-Latin; Latin-ASCII", lower case;
 * Arabic without its vowel letters (the skeleton Latin spellings are
 * compared by). */
static void any_latin(tg__tables *t, const int32_t *cps, size_t n, bool arabic,
                      char (*toks)[TG__MAX_TOKEN], uint8_t *syl, int *ntoks, int cap) {
  int32_t cp[600];
  if (!n) return;
  memcpy(cp, cps, n * sizeof *cp);
  pthread_mutex_lock(&t->mu);
  if (!t->any_tried) {
    t->any_tried = true;
    t->any = open_trans("Any-Latin; Latin-ASCII");
    t->cyr = open_trans("Russian-Latin/BGN; Any-Latin; Latin-ASCII");
  }
  /* Cyrillic by BGN/PCGN, the English spelling: its letter groups (kh,
   * zh, ch, sh, shch) are those French and German spellings fold to
   * (screen_norm_spell.c), where Latin-ASCII's "c" for ч is not */
  bool cyrillic = cps[0] >= 0x400 && cps[0] <= 0x4FF;
  UTransliterator *tr = cyrillic && t->cyr ? t->cyr : t->any;
  if (tr) trans(tr, cp, &n, 600);
  pthread_mutex_unlock(&t->mu);
  if (!tr) return;
  char out[700];
  size_t o = 0;
  for (size_t i = 0; i < n && o + 1 < sizeof out; i++) {
    int32_t c = cp[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out[o++] = (char)c;
    else if (c >= 'A' && c <= 'Z') out[o++] = (char)(c | 0x20);
    /* apostrophes, ZWNJ, and BGN/PCGN's middle dot between letters that
     * would otherwise read as one group ("otvet·stvennost'yu"): inside
     * the word */
    else if (c == '\'' || c == 0x2BF || c == 0x2BE || c == 0x2BC || c == 0x200C || c == 0xB7) continue;
    else out[o++] = ' ';
  }
  out[o] = '\0';
  if (arabic) { /* short vowels are not written: keep the consonants and
                 * glides, as the skeletons of Latin spellings are compared;
                 * such a word starts with a capital, the mark of a word
                 * written without vowels (tg__vowelless), so that Latin
                 * acronyms ("SKF") are not taken for one */
    size_t k = 0;
    for (size_t i = 0; i < o; i++)
      if (!strchr("aeiou", out[i])) out[k++] = out[i];
    out[k] = '\0';
    for (size_t i = 0; i < k; i++)
      if (out[i] != ' ' && (i == 0 || out[i - 1] == ' ') && out[i] >= 'a' && out[i] <= 'z' &&
          out[i + 1] && out[i + 1] != ' ')
        out[i] = (char)(out[i] - 32);
  }
  /* Cyrillic words are words as Latin ones are: legal forms (ООО, АО)
   * dropped, phrases ("obshchestvo s ogranichennoy otvetstvennostyu")
   * and abbreviations read as in Latin */
  push_words(out, toks, syl, !cyrillic, ntoks, cap);
}

/* An Arabic word (letters folded) as its letters' classes
 * (arabic-letters.tsv): "'" for a letter written as a vowel or not at all
 * (alef, ayn, hamza), "w" and "y" for the glides, a consonant class for the
 * others; the first consonant a capital, the mark of a word written
 * without short vowels (tg__vowelless; compared by tg__abjad_sim).  False
 * when a letter has no class (the word then goes to ICU). */
static bool abjad_code(const tg__tables *t, const int32_t *cp, size_t n, char (*toks)[TG__MAX_TOKEN],
                       uint8_t *syl, int *ntoks, int cap) {
  char out[TG__MAX_TOKEN];
  for (size_t i = 0; i < n; i++)
    if (cp[i] < 0x600 || cp[i] > 0x6FF || !t->abjad[cp[i] - 0x600]) return false;
  if (tg__abjad_word(t, cp, n, out, sizeof out)) push_words(out, toks, syl, 1, ntoks, cap);
  return true;
}

/* One Arabic word (letters folded): its Latin spelling from
 * arabic-names.tsv, else its letter classes, else by ICU. */
static void arabic_one(tg__tables *t, const int32_t *cp, size_t n, char (*toks)[TG__MAX_TOKEN],
                       uint8_t *syl, int *ntoks, int cap) {
  for (size_t i = 0; i < t->narabic; i++) {
    const tg__hanword *w = &t->arabic[i];
    if ((size_t)w->n == n && !memcmp(w->cp, cp, n * sizeof *cp)) {
      /* a word the Latin side drops (Tuareg "Ag", also AG, a legal form)
       * drops here too, so both sides are read alike */
      push_words(w->latin, toks, syl, !tg__tables_drop(t, w->latin), ntoks, cap);
      return;
    }
  }
  if (!abjad_code(t, cp, n, toks, syl, ntoks, cap)) any_latin(t, cp, n, true, toks, syl, ntoks, cap);
}

#define AR_ALEF 0x627
#define AR_LAM 0x644

/* An Arabic word: the article (ال) apart, as "al"; compounds written as
 * one word split where the article joins them (عبدالرحمن = Abd al-Rahman,
 * أبواليزيد = Abu al-Yazid,
 * نورالدين = Nur al-Din, حميدالله = Hamid Allah); the normaliser joins
 * them again as it joins their Latin spellings. */
static void arabic_word(tg__tables *t, const int32_t *cps, size_t n, char (*toks)[TG__MAX_TOKEN],
                        uint8_t *syl, int *ntoks, int cap) {
  int32_t cp[64];
  if (n > 64) n = 64;
  for (size_t i = 0; i < n; i++) cp[i] = tg__arabic_fold(cps[i]);
  /* yeh with hamza (ئ) first in a word: Arabic never writes it there (an
   * initial hamza sits on alef); Kurdish and Uighur write it as the silent
   * carrier of a word's first vowel (ئەحمەد Ahmad, ئابدۇ Abdu): an alef */
  if (n > 1 && cps[0] == 0x626) cp[0] = AR_ALEF;
  static const int32_t allah[] = {AR_ALEF, AR_LAM, AR_LAM, 0x647};
  bool is_allah = n == 4 && !memcmp(cp, allah, sizeof allah);
  /* الابن "the son", a whole word: the suffix "Jr." as Arabic writes it
   * (فلسيانو سمبوريو ديلوس رييس الإبن = FELICIANO SEMBORIO DELOS REYES JR.,
   * UN list QDi.243), not ابن/بن "son of" before a name */
  static const int32_t the_son[] = {AR_ALEF, AR_LAM, AR_ALEF, 0x628, 0x646};
  if (n == 5 && !memcmp(cp, the_son, sizeof the_son)) {
    push_words("jr", toks, syl, 1, ntoks, cap);
    return;
  }
  size_t from = 0;
  if (n > 3 && cp[0] == AR_ALEF && cp[1] == AR_LAM && !is_allah) {
    push_words("al", toks, syl, 1, ntoks, cap);
    from = 2;
  }
  for (size_t i = from + 2; i + 3 < n; i++) { /* an inner article */
    if (cp[i] != AR_ALEF || cp[i + 1] != AR_LAM) continue;
    static const int32_t abd[] = {0x639, 0x628, 0x62F}, abu[] = {AR_ALEF, 0x628, 0x648};
    bool after_abd = i - from == 3 && (!memcmp(cp + from, abd, sizeof abd) || !memcmp(cp + from, abu, sizeof abu));
    bool before_allah = n - i == 4 && cp[i + 2] == AR_LAM && cp[i + 3] == 0x647;
    bool before_din = n - i == 5 && cp[i + 2] == 0x62F && cp[i + 3] == 0x64A && cp[i + 4] == 0x646;
    if (!after_abd && !before_allah && !before_din) continue;
    arabic_one(t, cp + from, i - from, toks, syl, ntoks, cap);
    if (before_allah) push_words("allah", toks, syl, 1, ntoks, cap);
    else arabic_one(t, cp + i + 2, n - i - 2, toks, syl, ntoks, cap);
    return;
  }
  if (is_allah) push_words("allah", toks, syl, 1, ntoks, cap);
  else arabic_one(t, cp + from, n - from, toks, syl, ntoks, cap);
}

void tg__script_latin(const tg__tables *ct, const int32_t *cps, size_t n,
                      char (*toks)[TG__MAX_TOKEN], uint8_t *syl, int *ntoks, int cap) {
  tg__tables *t = (tg__tables *)ct; /* the mutex and lazily opened ICU state */
  if (n > 60) n = 60;
  if (n && cps[0] >= 0x600 && cps[0] <= 0x6FF) arabic_word(t, cps, n, toks, syl, ntoks, cap);
  else any_latin(t, cps, n, n && cps[0] >= 0x590 && cps[0] <= 0x5FF, toks, syl, ntoks, cap); /* Hebrew: an abjad too */
}
