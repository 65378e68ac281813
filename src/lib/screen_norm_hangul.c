/* screen_norm_hangul.c - a Hangul syllable's other romanizations, for
 * the normaliser: Revised Romanization and McCune-Reischauer (without
 * breves and apostrophes) from the syllable's letters, the common
 * spellings of names outside both ("Moon" for 문, "Jung" for 정, "Young"
 * for 영, "Woo" for 우), and for a name's first syllable (its surname) the
 * spellings of korean-surnames.tsv ("Lee", "Park", "Choi").  Written in the
 * format of a Han syllable's readings (tg__tokens.alt), the Korean
 * systems only, so the scorer reads them alike.  And the other way, for
 * the scorer: whether two Latin spellings can be one Hangul syllable
 * (tg__korean_same_syllable: Jong and Jeong can, 정; Jong and Yong
 * cannot).  Calls screen_norm_tables.c only.
 *
 * Letter values: Revised Romanization of Korean (Ministry of Culture and
 * Tourism notice 2000-8, 2000) and the McCune-Reischauer tables (McCune
 * and Reischauer, "The Romanization of the Korean Language", 1939), as
 * the Wikipedia articles of both systems tabulate them; a syllable's
 * final consonant takes its value before a pause (ㅅ, ㅈ, ㅊ, ㅌ, ㅎ as t). */
#include <stdio.h>
#include <string.h>

#include "screen_int.h"

/* initial consonants ㄱ..ㅎ (19), vowels ㅏ..ㅣ (21), finals none..ㅎ (28) */
static const char *const rr_l[19] = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                                     "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
static const char *const mr_l[19] = {"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s",
                                     "ss", "", "ch", "tch", "ch", "k", "t", "p", "h"};
/* vowels: the RR spelling first, then MR's and the common spellings */
static const char *const vowel[21][4] = {
    {"a"},  {"ae"}, {"ya"}, {"yae"}, {"eo", "o", "u"}, {"e"}, {"yeo", "yo", "yu", "you"},
    {"ye"}, {"o"},  {"wa"}, {"wae"}, {"oe", "oi"}, {"yo"}, {"u", "oo"}, {"wo"},
    {"we"}, {"wi"}, {"yu", "yoo"}, {"eu", "u"}, {"ui", "ee", "i"}, {"i"}};
static const char *const fin[28] = {"",  "k", "k", "k", "n", "n",  "n", "t", "l", "k",
                                    "m", "l", "l", "l", "p", "l",  "m", "p", "p", "t",
                                    "t", "ng", "t", "t", "k", "t", "p", "t"};

static void add_form(char (*forms)[16], int *n, const char *l, const char *v, const char *f) {
  char s[16];
  snprintf(s, sizeof s, "%s%s%s", l, v, f);
  for (int i = 0; i < *n; i++)
    if (!strcmp(forms[i], s)) return;
  if (*n < 12) snprintf(forms[(*n)++], 16, "%s", s);
}

/* The syllable c as UTF-8 (three bytes). */
static void utf8_of(int32_t c, char *out) {
  out[0] = (char)(0xE0 | (c >> 12)), out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
  out[2] = (char)(0x80 | (c & 0x3F)), out[3] = '\0';
}

void tg__hangul_alt(const tg__tables *t, int32_t c, bool first, char *alt, size_t cap) {
  alt[0] = '\0';
  if (c < 0xAC00 || c > 0xD7A3 || cap < 8) return;
  int s = c - 0xAC00, l = s / 588, v = s % 588 / 28, f = s % 28;
  char forms[12][16];
  int n = 0;
  add_form(forms, &n, rr_l[l], vowel[v][0], fin[f]); /* RR, the first */
  char u8[4];
  utf8_of(c, u8);
  for (const char *sur = first ? tg__tables_korean_surname(t, u8) : NULL; sur && *sur;) {
    size_t k = strcspn(sur, " ");
    char w[16];
    if (k && k < sizeof w) memcpy(w, sur, k), w[k] = '\0', add_form(forms, &n, w, "", "");
    sur += k + (sur[k] == ' ');
  }
  /* RR's consonants with the other spellings of the vowel; "sh" for ㅅ
   * before i ("Shin"); "woo" for 우; then MR's consonants */
  for (int k = 1; k < 4 && vowel[v][k]; k++) add_form(forms, &n, rr_l[l], vowel[v][k], fin[f]);
  if (l == 9 && (v == 20 || v == 6 || v == 2)) add_form(forms, &n, "sh", vowel[v][0], fin[f]);
  if (l == 11 && v == 13 && !f) add_form(forms, &n, "w", "oo", "");
  for (int k = 0; k < 4 && vowel[v][k]; k++) add_form(forms, &n, mr_l[l], vowel[v][k], fin[f]);
  /* three readings in each of the two Korean systems' places */
  size_t o = (size_t)snprintf(alt, cap, "%s\t\t\t\t", first ? "^" : "");
  for (int i = 0; i < n && i < 6 && o < cap; i++)
    o += (size_t)snprintf(alt + o, cap - o, "%s%s", i == 0 ? "" : i == 3 ? "\t" : " ", forms[i]);
  if (o >= cap) alt[0] = '\0'; /* never a cut reading */
}

/* The syllables (initial, vowel, final as in tg__hangul_alt) whose
 * spellings above, RR's or MR's consonants with any of the vowel's
 * spellings, "sh" and "woo" (not a surname's), include w: up to cap,
 * coded l * 588 + v * 28 + f; their count, or -1 when there are more
 * than cap (then nothing is said of the word). */
static int syllables_of(const char *w, int *out, int cap) {
  int n = 0;
  size_t lw = strlen(w);
  for (int l = 0; l < 19; l++)
    for (int sys = 0; sys < 3; sys++) {
      const char *cons = sys == 0 ? rr_l[l] : sys == 1 ? mr_l[l] : l == 9 ? "sh" : l == 11 ? "w" : NULL;
      if (!cons || (sys == 1 && !strcmp(cons, rr_l[l]))) continue;
      size_t lc = strlen(cons);
      if (lc > lw || memcmp(w, cons, lc)) continue;
      for (int v = 0; v < 21; v++)
        for (int k = 0; k < 4 && vowel[v][k]; k++) {
          if (sys == 2 && (l == 9 ? k || (v != 20 && v != 6 && v != 2) : v != 13 || strcmp(vowel[v][k], "oo")))
            continue; /* "sh" before i, yeo, ya; "woo" for 우 alone */
          size_t lv = strlen(vowel[v][k]);
          if (lc + lv > lw || memcmp(w + lc, vowel[v][k], lv)) continue;
          for (int f = 0; f < 28; f++) {
            if (strcmp(w + lc + lv, fin[f]) || (sys == 2 && l == 11 && f)) continue;
            int code = l * 588 + v * 28 + f;
            bool seen = false;
            for (int i = 0; i < n && !seen; i++) seen = out[i] == code;
            if (seen) continue;
            if (n == cap) return -1; /* more than cap: not known */
            out[n++] = code;
          }
        }
    }
  return n;
}

int tg__korean_same_syllable(const char *a, const char *b) {
  int sa[64], sb[64];
  int na = syllables_of(a, sa, 64), nb = syllables_of(b, sb, 64);
  if (na <= 0 || nb <= 0) return -1; /* none, or too many to tell: left to the spelling */
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nb; j++)
      if (sa[i] == sb[j]) return 1;
  return 0;
}
