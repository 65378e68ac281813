/* screen_norm_cyrillic.c - the German spellings of a Russian word in
 * Cyrillic script, for the normaliser: the word itself is romanized by
 * ICU's BGN/PCGN transform (the English spelling the lists use), and
 * German records write Russian names otherwise (Jewgeni Prigoschin for
 * Евгений Пригожин, Chruschtschow for Хрущёв).  Source: the German
 * transcription of Russian as Duden applies it, tabulated in the German
 * Wikipedia article "Deutsche Transkription" (section Russisch): в w,
 * ж sch, з s, х ch, ц z, ч tsch, ш sch, щ schtsch, ы y, ю ju, я ja; е je
 * at the start of a word and after a vowel or a hard or soft sign, else
 * e; ё jo, o after ж ч ш щ; й j (also written i, as Sergei beside
 * Sergej; ий and ый at the end of a word are i and y: Dmitri, Nawalny);
 * ъ and ь are not written.  Ukrainian and other letters are not in the
 * table: a word with one gets no German spelling.  Written in the format
 * of a Han syllable's readings (tg__tokens.alt), "~" first: the spellings
 * of a whole word, never joined, not Han.
 *
 * The other way, a Latin word written by those German rules (a German
 * record's "Michail Chodorkowski", "Wiktor Janukowitsch") is read back
 * through the same table and spelt as BGN/PCGN spells the Cyrillic it
 * stands for (Khodorkovskiy, Yanukovich), the spelling of the lists
 * (tg__german_latin_alt).  Calls nothing. */
#include <stdio.h>
#include <string.h>

#include "screen_int.h"

/* а..я (U+0430..U+044F): German spelling; NULL for the letters with rules */
static const char *const de[32] = {
    "a", "b", "w", "g", "d", NULL, "sch", "s", "i", NULL, "k", "l", "m", "n", "o", "p",
    "r", "s", "t", "u", "f", "ch", "z", "tsch", "sch", "schtsch", "", "y", "", "e", NULL, NULL};

static int32_t lower(int32_t c) {
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c == 0x401) return 0x451; /* Ё */
  return c;
}

static bool vowel(int32_t c) {
  return c == 0x430 || c == 0x435 || c == 0x451 || c == 0x438 || c == 0x43E || c == 0x443 ||
         c == 0x44B || c == 0x44D || c == 0x44E || c == 0x44F;
}

/* The German spelling of w[0..n) (lower case), й as j (ij) or i; false
 * when a letter is not in the table or it does not fit. */
static bool german(const int32_t *w, size_t n, bool ij, char *out, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    int32_t c = w[i], prev = i ? w[i - 1] : 0;
    bool opens = !i || vowel(prev) || prev == 0x44A || prev == 0x44C; /* a syllable without consonant */
    const char *s;
    if (c == 0x435) s = opens ? "je" : "e";
    else if (c == 0x451) s = prev == 0x436 || prev == 0x447 || prev == 0x448 || prev == 0x449 ? "o" : "jo";
    else if (c == 0x44E) s = "ju";
    else if (c == 0x44F) s = "ja";
    else if (c == 0x439) s = i + 1 == n && (prev == 0x438 || prev == 0x44B) ? "" : ij ? "j" : "i";
    else if (c >= 0x430 && c <= 0x44F) s = de[c - 0x430];
    else return false;
    size_t l = strlen(s);
    if (o + l >= cap) return false;
    memcpy(out + o, s, l);
    o += l;
  }
  out[o] = '\0';
  return o > 0;
}

bool tg__cyrillic_alt(const int32_t *cps, size_t n, const char *latin, char *alt, size_t acap) {
  int32_t w[64];
  alt[0] = '\0';
  if (!n || n > 64) return false;
  for (size_t i = 0; i < n; i++) w[i] = lower(cps[i]);
  char v[2][TG__MAX_TOKEN];
  if (!german(w, n, true, v[0], sizeof v[0]) || !german(w, n, false, v[1], sizeof v[1])) return false;
  size_t o = (size_t)snprintf(alt, acap, "~");
  int k = 0;
  for (int i = 0; i < 2; i++) {
    if (!strcmp(v[i], latin) || (i && !strcmp(v[1], v[0])) || o >= acap) continue;
    o += (size_t)snprintf(alt + o, acap - o, "%s%s", k++ ? " " : "", v[i]);
  }
  if (o < acap) o += (size_t)snprintf(alt + o, acap - o, "\t\t\t\t\t");
  if (!k || o >= acap) alt[0] = '\0';
  return alt[0] != '\0';
}

/* BGN/PCGN for the German spellings of the table above that differ
 * (the longest first): щ schtsch, ч tsch, ш and ж sch, х ch, е je, ё jo,
 * ю ju, я ja, й j, в w, ц z; German "ss" is с, and "s" between vowels
 * з (Duden writes с so there: Wassili).  Other letters are the same in
 * both systems (a b d e f g i k l m n o p r t u y). */
static const struct {
  const char *de, *en;
} de_en[] = {{"schtsch", "shch"}, {"tsch", "ch"}, {"sch", "sh"}, {"ch", "kh"}, {"je", "ye"},
             {"jo", "yo"},        {"ju", "yu"},  {"ja", "ya"},  {"j", "y"},   {"w", "v"},
             {"z", "ts"},         {"ss", "s"}};

static bool latin_vowel(char c) { return c && strchr("aeiouy", c); }

/* Whether w (4 letters or more) shows what only the German spelling of a
 * Russian word shows, so that pinyin, Korean, English and most other
 * names are left alone: "sch"; a "w" after the first letter (pinyin
 * writes w only first); je-, ja-, jo-, ju- first in a word of 5 letters
 * or more (longer than a pinyin or Korean syllable); -ij last. */
static bool german_marks(const char *w, size_t n) {
  /* not a Korean syllable or name (Jeong, Jaewon, Seungwoo): the German
   * of a Russian word neither ends in -ng nor holds ae, eu, oo */
  if ((w[n - 2] == 'n' && w[n - 1] == 'g') || strstr(w, "ae") || strstr(w, "eu") || strstr(w, "oo"))
    return false;
  if (strstr(w, "sch") || strchr(w + 1, 'w')) return true;
  if (w[0] == 'j' && n >= 5 && strchr("aeou", w[1])) return true;
  return n >= 4 && w[n - 2] == 'i' && w[n - 1] == 'j';
}

bool tg__german_latin_alt(const char *w, char *alt, size_t acap) {
  alt[0] = '\0';
  size_t n = strlen(w);
  if (n < 4 || n >= TG__MAX_TOKEN || !german_marks(w, n)) return false;
  char en[TG__MAX_TOKEN * 2];
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    const char *s = NULL;
    size_t used = 1;
    for (size_t k = 0; k < sizeof de_en / sizeof de_en[0] && !s; k++) {
      size_t l = strlen(de_en[k].de);
      if (!strncmp(w + i, de_en[k].de, l)) s = de_en[k].en, used = l;
    }
    char one[2] = {w[i], '\0'};
    if (!s) {
      if (!strchr("abdefgiklmnoprstuy", w[i])) return false; /* not the German of a Russian word */
      /* "s" between vowels is з */
      s = w[i] == 's' && i && latin_vowel(w[i - 1]) && latin_vowel(w[i + 1]) ? "z" : one;
    }
    size_t l = strlen(s);
    if (o + l + 1 >= sizeof en) return false;
    memcpy(en + o, s, l);
    o += l;
    i += used;
  }
  en[o] = '\0';
  /* -ий: BGN's -iy, and the -y English usage writes (Khodorkovsky);
   * German writes it -ij or -i (Dmitri, Chodorkowski) */
  char en2[sizeof en] = "", en3[sizeof en] = "";
  if (o > 3 && en[o - 2] == 'i' && en[o - 1] == 'y') {
    memcpy(en2, en, o - 2);
    memcpy(en2 + o - 2, "y", 2);
  } else if (o > 4 && en[o - 1] == 'i' && !latin_vowel(en[o - 2])) {
    memcpy(en2, en, o);
    memcpy(en2 + o, "y", 2);
    memcpy(en3, en, o - 1);
    memcpy(en3 + o - 1, "y", 2);
  }
  if (!strcmp(en, w)) return false;
  int k = snprintf(alt, acap, "~%s%s%s%s%s\t\t\t\t\t", en, en2[0] ? " " : "", en2, en3[0] ? " " : "", en3);
  if (k < 0 || (size_t)k >= acap) alt[0] = '\0';
  return alt[0] != '\0';
}
