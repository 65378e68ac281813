/* screen_norm.c - names to tokens: utf8proc folds each character
 * (compatibility decomposition = NFKC's folding, case folding, accents
 * stripped, punctuation lumped); letters and digits form tokens,
 * apostrophes join ("Xi'an" = "xian"), other characters separate; runs of
 * single letters join ("S.A." = "sa"); Han runs become Latin words
 * (screen_tables.c); abbreviations fold ("Intl" = "international"); legal
 * forms and stopwords drop unless nothing else is left; repeats drop.
 * Also: splitting entry names into their a.k.a. parts.  The top of the
 * normalise layer: it calls screen_norm_script.c and screen_norm_tables.c. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unicode/uscript.h>
#include <utf8proc.h>

#include "screen_int.h"

static bool is_han(int32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F) || c == 0x3007;
}

typedef struct raw {
  char tok[TG__MAX_TOKENS * 2][TG__MAX_TOKEN];
  /* 1: a pinyin syllable; 2: a word of up to 3 letters hyphenated to one
   * of up to 5 ("Jae-in"), a syllable of a name, not a stopword */
  uint8_t syl[TG__MAX_TOKENS * 2];
  char alt[TG__MAX_TOKENS * 2][TG__ALT_LEN]; /* a Han syllable's other readings */
  int n;
  char cur[TG__MAX_TOKEN];
  size_t curlen;
  size_t hyph; /* after a hyphen: the length of the word before it, else 0 */
  size_t cur_hyph; /* hyph where the current word started */
  int32_t han[64];
  size_t nhan;
  int32_t oth[64]; /* a run of another script */
  size_t noth;
  size_t at, hangul_next; /* the character's index; the index after the last Hangul syllable */
} raw;

/* A letter of a script other than Latin and Han (ICU's script property). */
static bool is_other_script(int32_t c) {
  if (c < 0x370) return false;
  UErrorCode e = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &e);
  if (U_FAILURE(e)) return false;
  return sc != USCRIPT_LATIN && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED &&
         sc != USCRIPT_HAN && sc != USCRIPT_UNKNOWN;
}

static bool is_hangul_syllable(int32_t c) { return c >= 0xAC00 && c <= 0xD7A3; }

static void flush_tok(raw *r) {
  if (r->curlen && r->n < TG__MAX_TOKENS * 2) {
    r->syl[r->n] = r->cur_hyph && r->cur_hyph <= 5 && r->curlen <= 3 ? 2 : 0;
    r->alt[r->n][0] = '\0';
    memcpy(r->tok[r->n], r->cur, r->curlen);
    r->tok[r->n++][r->curlen] = '\0';
  }
  r->curlen = 0;
}

static void flush_han(const tg__tables *t, raw *r, bool *had) {
  if (!r->nhan) return;
  *had = true;
  tg__han_latin(t, r->han, r->nhan, r->tok, r->syl, &r->n, TG__MAX_TOKENS * 2, r->alt);
  r->nhan = 0;
}

static void flush_oth(const tg__tables *t, raw *r) {
  if (!r->noth) return;
  int from = r->n;
  if (r->oth[0] >= 0xE01 && r->oth[0] <= 0xE5B && r->n < TG__MAX_TOKENS * 2 &&
      tg__thai_latin(r->oth, r->noth, r->tok[r->n], TG__MAX_TOKEN, r->alt[r->n], TG__ALT_LEN)) {
    r->syl[r->n++] = 1; /* Thai: RTGS, the other spellings as readings */
    r->noth = 0;
    return;
  }
  tg__script_latin(t, r->oth, r->noth, r->tok, r->syl, &r->n, TG__MAX_TOKENS * 2);
  for (int k = from; k < r->n; k++) r->alt[k][0] = '\0';
  if (r->n == from + 1 && r->oth[0] >= 0x400 && r->oth[0] <= 0x4FF) /* Russian: German spellings */
    tg__cyrillic_alt(r->oth, r->noth, r->tok[from], r->alt[from], TG__ALT_LEN);
  r->noth = 0;
}

static void put_char(raw *r, int32_t c) {
  if (!r->curlen) r->cur_hyph = r->hyph;
  r->hyph = 0;
  utf8proc_uint8_t u[4];
  utf8proc_ssize_t k = utf8proc_encode_char(c, u);
  if (k > 0 && r->curlen + (size_t)k < TG__MAX_TOKEN) {
    memcpy(r->cur + r->curlen, u, (size_t)k);
    r->curlen += (size_t)k;
  }
}

/* Arabic presentation forms (the letters' contextual shapes and
 * ligatures, U+FB50..FDFF and U+FE70..FEFF), which some lists carry: they
 * are compared as the letters they are forms of (their compatibility
 * decomposition). */
static bool is_presentation_form(int32_t c) {
  return (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

/* A letter of another script into the current run; Hangul: each syllable
 * a token (given names are written joined, hyphenated or apart; joined
 * pairs compare them), with its other romanizations. */
static void other_char(const tg__tables *t, raw *r, tg__tokens *out, int32_t c) {
  if (c == 0x640) return; /* tatweel */
  flush_tok(r);
  flush_han(t, r, &out->had_han);
  out->scripts |= TG__SCRIPT_OTHER;
  if (is_hangul_syllable(c)) flush_oth(t, r);
  if (r->noth < 64) r->oth[r->noth++] = c;
  if (is_hangul_syllable(c)) {
    int n0 = r->n;
    flush_oth(t, r);
    if (r->n == n0 + 1) tg__hangul_alt(t, c, r->hangul_next != r->at, r->alt[n0], TG__ALT_LEN);
    r->hangul_next = r->at + 1;
  }
}

/* ---- Arabic name compounds ------------------------------------------ */

/* Parts of Arabic names written joined or apart, in any transcription, to
 * one joined form: "Abdullah" = "Abd Allah" = "Abdul Lah" (abdullah),
 * the Persian suffix زاده (-zada, "son of") joined to the name before it
 * as its Latin spellings join it ("Akhundzada"),
 * "Nasiruddin" = "Nasir al-Din" (nasiruddin); "Abd" apart from the name
 * it leads: "Abdurrahman" = "Abd al-Rahman" (abd rahman).  The article
 * between the parts goes. */
static const char *const ar_allah[] = {"ullah", "ulla", "allah", "ollah", "ulloh", "illah", "lah"};
static const char *const ar_din[] = {"uddin", "uddeen", "eddin", "eddine", "addin", "aldin",
                                     "oddin", "uddine", "iddin", "din", "deen", "eldin", "eldine",
                                     "aldeen", "eldeen"};
static const char *const ar_abd[] = {"abdoul", "abdul", "abdel", "abdal", "abdol", "abdur",
                                     "abdus", "abdu", "abd"};
static const char *const ar_article[] = {"al", "ul", "ur", "ud", "el", "ad", "ar", "as", "ash", "at",
                                         "ath", "az", "an", "adh", "ed", "er", "es", "ez", "et", "en"};
/* The article assimilated to a sun letter, as BGN/PCGN (1956) and French
 * usage write it: "ad-Din", "ar-Rashid", "ash-Shami", "es-Sebsi"; apart
 * from a name it is read as the article only in these forms ("Ed Davis",
 * "An Nguyen" and French "en" are other words, as is "US"); not the Urdu
 * u-forms (ur, ud, ut...: other names' syllables too) */
static const char *const ar_sun_article[] = {"ad", "ar", "as", "ash", "at", "ath", "az", "adh",
                                             "er", "es", "ez", "et"};
#define AR_N(l) (sizeof l / sizeof *l)

static bool in_list(const char *s, const char *const *l, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[0] == l[i][0] && !strcmp(s, l[i])) return true;
  return false;
}

/* The length of a suffix of s from the list, leaving a stem of 3+. */
static size_t suffix_of(const char *s, const char *const *l, size_t n) {
  size_t ls = strlen(s);
  for (size_t i = 0; i < n; i++) {
    size_t k = strlen(l[i]);
    if (ls >= k + 3 && !strcmp(s + ls - k, l[i])) return k;
  }
  return 0;
}

/* The length of an "abd" prefix of s before a name of 3+ letters. */
static size_t abd_prefix(const char *s) {
  size_t l = strlen(s);
  for (size_t j = 0; j < AR_N(ar_abd); j++) {
    size_t a = strlen(ar_abd[j]);
    if (l >= a + 3 && !strncmp(s, ar_abd[j], a)) return a;
  }
  return 0;
}

static void put_joined(char *out, const char *stem, size_t n, const char *tail) {
  if (n + strlen(tail) >= TG__MAX_TOKEN) n = TG__MAX_TOKEN - 1 - strlen(tail);
  memcpy(out, stem, n);
  strcpy(out + n, tail);
}

/* One token or two (a stem and "allah" or "din", "abd" and the article)
 * to the joined form, written to out[*m] (and out[*m + 1]); returns the
 * tokens used. */
static int arabic_join(raw *r, int i, char (*out)[TG__MAX_TOKEN], uint8_t *osyl, int *m) {
  const char *s = r->tok[i], *next = i + 1 < r->n ? r->tok[i + 1] : NULL;
  int used = 1;
  if (next && !strcmp(next, "Z'dh") && tg__vowelless(s, strlen(s))) { /* Persian زاده apart */
    osyl[*m] = r->syl[i];
    put_joined(out[(*m)++], s, strlen(s), "z'dh");
    return 2;
  }
  if (next && in_list(next, ar_article, AR_N(ar_article)) && i + 2 < r->n) next = r->tok[i + 2], used = 2;
  bool abd = in_list(s, ar_abd, AR_N(ar_abd));
  osyl[*m] = r->syl[i];
  if (next && (abd || strlen(s) >= 3) &&
      (in_list(next, ar_allah, AR_N(ar_allah)) || in_list(next, ar_din, AR_N(ar_din)))) {
    bool allah = in_list(next, ar_allah, AR_N(ar_allah));
    put_joined(out[(*m)++], abd ? "abd" : s, abd ? 3 : strlen(s), allah ? "ullah" : "uddin");
    return used + 1;
  }
  if (abd) { /* "abd al rahman": the article goes */
    put_joined(out[(*m)++], "abd", 3, "");
    return used;
  }
  size_t k, l = strlen(s);
  if (!strcmp(s, "ibn")) { /* ALA-LC "ibn" is "bin" (BGN/PCGN): one word, ابن / بن */
    put_joined(out[(*m)++], "bin", 3, "");
    return 1;
  }
  /* the article assimilated, apart: it reads "al" when the next word starts
   * with its letter ("ar Rashid", "ash Shami"); not Urdu "ul" before any
   * letter (Zia-ul-Haq): it, and the u-forms, made one more real
   * non-listed name a hit in bench/screen_quality.py */
  if (next && used == 1 && strlen(r->tok[i + 1]) >= l + 1 &&
      in_list(s, ar_sun_article, AR_N(ar_sun_article)) && !strncmp(r->tok[i + 1], s + 1, l - 1)) {
    put_joined(out[(*m)++], "al", 2, "");
    return 1;
  }
  /* the article written joined, assimilated to a sun letter ("Elsseid"
   * = al-Sayyid): the article apart, the letter once */
  if (l >= 6 && (s[0] == 'a' || s[0] == 'e') && s[1] == 'l' && s[2] == s[3] && strchr("tdrzsn", s[2]) &&
      *m + 1 < TG__MAX_TOKENS * 2) {
    put_joined(out[(*m)++], "al", 2, "");
    osyl[*m] = r->syl[i];
    put_joined(out[(*m)++], s + 3, l - 3, "");
    return 1;
  }
  if ((k = suffix_of(s, ar_allah, AR_N(ar_allah))) && k > 3) { /* not "-lah" alone */
    size_t a = abd_prefix(s) && l - k <= 5 ? 3 : 0;
    put_joined(out[(*m)++], a ? "abd" : s, a ? 3 : l - k, "ullah");
  } else if ((k = suffix_of(s, ar_din, AR_N(ar_din))) && k > 4) {
    put_joined(out[(*m)++], s, l - k, "uddin");
  } else if ((k = abd_prefix(s)) && *m + 1 < TG__MAX_TOKENS * 2) {
    const char *rest = s + k;
    if (strlen(rest) > 3 && rest[0] == rest[1]) rest++; /* "abdurrahman" */
    put_joined(out[(*m)++], "abd", 3, "");
    osyl[*m] = r->syl[i];
    put_joined(out[(*m)++], rest, strlen(rest), "");
  } else {
    put_joined(out[(*m)++], s, l, "");
  }
  return 1;
}

/* The article as Urdu names write it before a moon letter, "ul"
 * (Zia-ul-Haq, Siraj ul Haq = ضیاء الحق, سراج الحق), is "al" before a word
 * of urdu-article.txt: the Arabic script writes ال there.  Not the
 * assimilated forms apart (ur Rahman, ud Din: "ud" and "ur" join as the
 * article already before Din and Allah) nor "ul" joined to the word before
 * (Sirajul): with either, one more real non-listed name reached a listed
 * one in bench/screen_quality.py (found by switching each off; the names
 * were not looked at). */
static void urdu_article(const tg__tables *t, raw *r) {
  for (int i = 1; i + 1 < r->n; i++)
    if (!r->alt[i][0] && !strcmp(r->tok[i], "ul") && tg__tables_urdu_article(t, r->tok[i + 1]))
      strcpy(r->tok[i], "al");
}

static void arabic_parts(raw *r) {
  for (int i = 0; i < r->n; i++)
    if (r->alt[i][0]) return; /* Han syllables: no Arabic compounds there */
  char out[TG__MAX_TOKENS * 2][TG__MAX_TOKEN];
  uint8_t osyl[TG__MAX_TOKENS * 2];
  int m = 0;
  for (int i = 0; i < r->n && m < TG__MAX_TOKENS * 2;) i += arabic_join(r, i, out, osyl, &m);
  memcpy(r->tok, out, sizeof out[0] * (size_t)m);
  memcpy(r->syl, osyl, (size_t)m);
  for (int i = 0; i < m; i++) r->alt[i][0] = '\0';
  r->n = m;
}

/* snprintf(dst, cap, "%s", src) without the format: at most cap - 1 bytes. */
static void copy_trunc(char *dst, size_t cap, const char *src) {
  size_t n = strnlen(src, cap - 1);
  memcpy(dst, src, n);
  dst[n] = '\0';
}

/* A Latin word that spells a Korean surname reads as its other spellings
 * (korean-surname-latin.tsv: "Pak" as Park and Bak), in the format of a
 * word's readings (tg__tokens.alt): "~" for a whole word, never joined,
 * the spellings in the two Korean systems' places, three each. */
static void korean_surname_alt(const tg__tables *t, const char *s, char *alt) {
  const char *all = tg__tables_korean_latin(t, s);
  if (!all) return;
  size_t o = (size_t)snprintf(alt, TG__ALT_LEN, "~\t\t\t\t");
  int k = 0;
  for (const char *p = all; *p && k < 6 && o < TG__ALT_LEN;) {
    size_t l = strcspn(p, " ");
    if (!(l == strlen(s) && !memcmp(p, s, l))) {
      const char *sep = k == 0 ? "" : k == 3 ? "\t" : " ";
      o += (size_t)snprintf(alt + o, TG__ALT_LEN - o, "%s%.*s", sep, (int)l, p);
      k++;
    }
    p += l;
    while (*p == ' ') p++;
  }
  if (k < 4 && o < TG__ALT_LEN) o += (size_t)snprintf(alt + o, TG__ALT_LEN - o, "\t");
  if (!k || o >= TG__ALT_LEN) alt[0] = '\0';
}

static void add_token(const tg__tables *t, tg__tokens *out, const char *s, bool keep_all,
                      const char *alt) {
  const char *a = keep_all ? NULL : tg__tables_abbrev(t, s);
  if (a && strchr(a, ' ')) { /* "imex" -> "import export" */
    char tmp[TG__MAX_TOKEN];
    snprintf(tmp, sizeof tmp, "%s", a);
    for (char *save = NULL, *w = strtok_r(tmp, " ", &save); w; w = strtok_r(NULL, " ", &save))
      add_token(t, out, w, keep_all, "");
    return;
  }
  if (a) s = a;
  if (!keep_all && tg__tables_drop(t, s)) return;
  for (int i = 0; i < out->n; i++)
    if (!strcmp(out->tok[i], s)) return;
  if (out->n < TG__MAX_TOKENS) {
    out->place[out->n] = tg__tables_place(t, s);
    copy_trunc(out->alt[out->n], TG__ALT_LEN, a ? "" : alt);
    if (!out->alt[out->n][0]) korean_surname_alt(t, s, out->alt[out->n]);
    if (!out->alt[out->n][0]) tg__russian_latin_alt(s, out->alt[out->n], TG__ALT_LEN);
    copy_trunc(out->tok[out->n++], TG__MAX_TOKEN, s);
  }
}

#define FOLD_OPTS                                                                            \
  (UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_LUMP | UTF8PROC_IGNORE | \
   UTF8PROC_DECOMPOSE)

/* The folds of the first code points (ASCII, Latin-1, Latin Extended-A
 * and -B: most letters of most names), asked of utf8proc once, as each
 * character would be; n < 0: not kept (longer), asked each time. */
#define FOLD_KEPT 0x250
static struct {
  int8_t n;
  int32_t d[4];
} fold_kept[FOLD_KEPT];
static pthread_once_t fold_kept_once = PTHREAD_ONCE_INIT;

static void fold_kept_fill(void) {
  for (int32_t c = 0; c < FOLD_KEPT; c++) {
    utf8proc_int32_t d[8];
    int last = 0;
    utf8proc_ssize_t nd = utf8proc_decompose_char(c, d, 8, (utf8proc_option_t)FOLD_OPTS, &last);
    fold_kept[c].n = (int8_t)(nd >= 0 && nd <= 4 ? nd : -1);
    for (utf8proc_ssize_t i = 0; i < nd && i < 4; i++) fold_kept[c].d[i] = d[i];
  }
}

/* utf8proc_decompose_char(c, d, 8, FOLD_OPTS, ...). */
static utf8proc_ssize_t fold_char(utf8proc_int32_t c, utf8proc_int32_t d[8]) {
  if (c >= 0 && c < FOLD_KEPT) {
    pthread_once(&fold_kept_once, fold_kept_fill);
    if (fold_kept[c].n >= 0) {
      memcpy(d, fold_kept[c].d, sizeof fold_kept[c].d);
      return fold_kept[c].n;
    }
  }
  int last = 0;
  return utf8proc_decompose_char(c, d, 8, (utf8proc_option_t)FOLD_OPTS, &last);
}

void tg__normalize(const tg__tables *t, const char *name, tg__tokens *out) {
  raw r;
  r.n = 0;
  r.curlen = 0;
  r.hyph = r.cur_hyph = 0;
  r.nhan = 0;
  r.noth = 0;
  r.at = 0;
  r.hangul_next = (size_t)-1;
  out->n = 0;
  out->had_han = false;
  out->scripts = 0;
  out->family2 = false;
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)name;
  bool single_run[TG__MAX_TOKENS * 2] = {false};
  int32_t prev_c = 0, prev2_c = 0; /* the Latin characters before, as written */
  while (*p) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
    if (k <= 0) { /* invalid byte: skip it */
      p++;
      continue;
    }
    p += k;
    r.at++;
    if (c == 0x640) continue; /* Arabic tatweel: a stretch inside a word */
    if (is_presentation_form(c)) { /* to the letters it is a form of */
      utf8proc_int32_t d[8];
      int last = 0;
      utf8proc_ssize_t nd =
          utf8proc_decompose_char(c, d, 8, (utf8proc_option_t)(UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE), &last);
      for (utf8proc_ssize_t i = 0; i < nd && i < 8; i++)
        if (is_other_script(d[i])) other_char(t, &r, out, d[i]);
      continue;
    }
    if (is_han(c)) {
      flush_tok(&r);
      flush_oth(t, &r);
      out->scripts |= TG__SCRIPT_HAN;
      if (r.nhan < 64) r.han[r.nhan++] = c;
      continue;
    }
    if (is_other_script(c)) {
      other_char(t, &r, out, c);
      continue;
    }
    /* the Arabic article written joined in camel case, "ElBaradei",
     * "AlQaeda": a word of its own, as "El Baradei" (not "ALI", "Alma") */
    if (c >= 'A' && c <= 'Z' && r.curlen == 2 && (r.cur[0] == 'a' || r.cur[0] == 'e') && r.cur[1] == 'l' &&
        prev_c >= 'a' && prev_c <= 'z' && (prev2_c == 'A' || prev2_c == 'E'))
      flush_tok(&r);
    prev2_c = prev_c;
    prev_c = c;
    utf8proc_int32_t d[8];
    utf8proc_ssize_t nd = fold_char(c, d);
    for (utf8proc_ssize_t i = 0; i < nd && i < 8; i++) {
      int32_t x = d[i];
      utf8proc_category_t cat = utf8proc_category(x);
      bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
      bool digit = cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
      if (letter || digit) {
        if (r.nhan) flush_han(t, &r, &out->had_han);
        flush_oth(t, &r);
        if (letter) out->scripts |= TG__SCRIPT_LATIN;
        put_char(&r, x);
      } else if (x == '\'' || x == '`' || cat == UTF8PROC_CATEGORY_MN) {
        continue; /* apostrophes join */
      } else {
        /* a dot directly after a single letter keeps the letter joinable */
        bool dot_single = x == '.' && r.curlen == 1;
        r.hyph = x == '-' ? r.curlen : 0;
        flush_tok(&r);
        if (dot_single && r.n) single_run[r.n - 1] = true;
        if (r.nhan) flush_han(t, &r, &out->had_han);
        if (x != 0x200C && x != 0x200D) flush_oth(t, &r); /* ZWNJ inside Persian words */
      }
    }
  }
  flush_tok(&r);
  flush_han(t, &r, &out->had_han);
  flush_oth(t, &r);
  /* join runs of single letters ("s a" -> "sa", "j s c" -> "jsc") */
  int m = 0;
  for (int i = 0; i < r.n; i++) {
    size_t l = strlen(r.tok[i]);
    if (l == 1 && m > 0 && i > 0 && strlen(r.tok[i - 1]) == 1 && (single_run[i - 1] || single_run[i]) &&
        !r.syl[i] &&
        strlen(r.tok[m - 1]) + 1 < TG__MAX_TOKEN) {
      strcat(r.tok[m - 1], r.tok[i]);
      r.syl[m - 1] = 0; /* "s.a." is a word again */
      continue;
    }
    if (m != i) {
      memcpy(r.tok[m], r.tok[i], TG__MAX_TOKEN), r.syl[m] = r.syl[i];
      memcpy(r.alt[m], r.alt[i], TG__ALT_LEN);
    }
    if (l == 1 && single_run[i]) r.syl[m] = 1; /* "A. Khamenei": an initial, not "a" */
    m++;
  }
  r.n = m;
  urdu_article(t, &r);
  arabic_parts(&r);
  for (int i = 0; i < r.n; i++) {
    const char *to;
    int k = r.syl[i] ? 0 : tg__tables_phrase(t, r.tok + i, r.n - i, &to);
    if (k) { /* "united states" -> "us", "gesellschaft mit beschrankter haftung" -> "gmbh";
              * to words: "san ve tic" -> "sanayi ticaret" */
      char tmp[TG__MAX_TOKEN];
      copy_trunc(tmp, sizeof tmp, to);
      for (char *save = NULL, *w = strtok_r(tmp, " ", &save); w; w = strtok_r(NULL, " ", &save))
        add_token(t, out, w, false, "");
      i += k - 1;
      continue;
    }
    add_token(t, out, r.tok[i], r.syl[i], r.alt[i]);
  }
  if (out->n == 0) /* only legal forms or stopwords: keep them */
    for (int i = 0; i < r.n; i++) add_token(t, out, r.tok[i], true, r.alt[i]);
}

/* ---- a.k.a. splitting ------------------------------------------------ */

static const char *ci_find(const char *s, size_t n, const char *pat) {
  size_t pl = strlen(pat);
  int c0 = tolower((unsigned char)pat[0]);
  for (size_t i = 0; i + pl <= n; i++)
    if (tolower((unsigned char)s[i]) == c0 && !strncasecmp(s + i, pat, pl)) return s + i;
  return NULL;
}

/* Separators between the names an entry's name field carries. */
static const char *const aka_marks[] = {
    " a.k.a. ", " a.k.a, ", "(a.k.a. ", ", a.k.a.", " aka ", " f.k.a. ", "(f.k.a. ", " fka ",
    " formerly known as ", " also known as ", " d.b.a. ", " dba ", " d/b/a ",
    "affiliated entity:", "; ", " [aka ", "(aka "};

static void split_rec(const char *s, size_t n, void (*fn)(void *, const char *, size_t),
                      void *ctx, int depth) {
  /* boilerplate: "; and any successor, sub-unit, or subsidiary thereof" */
  const char *b = ci_find(s, n, "and any successor");
  if (b) {
    n = (size_t)(b - s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == ';' || s[n - 1] == ',')) n--;
  }
  const char *best = NULL;
  size_t bl = 0;
  for (size_t i = 0; i < sizeof aka_marks / sizeof *aka_marks && depth < 8; i++) {
    const char *m = ci_find(s, n, aka_marks[i]);
    if (m && (!best || m < best)) best = m, bl = strlen(aka_marks[i]);
  }
  if (best) {
    split_rec(s, (size_t)(best - s), fn, ctx, depth + 1);
    const char *rest = best + bl;
    size_t rn = n - (size_t)(rest - s);
    if (rn && rest[rn - 1] == ']') rn--;
    split_rec(rest, rn, fn, ctx, depth + 1);
    return;
  }
  while (n && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == '.' || s[n - 1] == ';')) n--;
  while (n && (*s == ' ' || *s == ',' || *s == '(' || *s == ';')) s++, n--;
  if (!n) return;
  fn(ctx, s, n);
  /* a trailing acronym in parentheses is a name of its own: "(SMIC)" */
  if (s[n - 1] == ')') {
    size_t o = n - 1;
    while (o && s[o - 1] != '(') o--;
    size_t al = n - 1 - o;
    bool acro = o > 1 && al >= 2 && al <= 10;
    for (size_t i = o; i < n - 1 && acro; i++)
      acro = isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-';
    if (acro) {
      fn(ctx, s + o, al);
      /* and the name before it: "National University of Defense
       * Technology (NUDT)" is also written without its acronym */
      size_t bn = o - 1;
      while (bn && (s[bn - 1] == ' ' || s[bn - 1] == ',')) bn--;
      if (bn) fn(ctx, s, bn);
    }
  }
}

void tg__split_akas(const char *name, void (*fn)(void *, const char *, size_t), void *ctx) {
  split_rec(name, strlen(name), fn, ctx, 0);
}
