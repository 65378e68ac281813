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
 * of a whole word, never joined, not Han.  Calls nothing. */
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
