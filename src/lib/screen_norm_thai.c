/* screen_norm_thai.c - Thai words to Latin by the Royal Thai General
 * System of Transcription (RTGS), for the normaliser, with the other
 * spellings Thai names are written in.  ICU's Thai-Latin is letter by
 * letter ("chin watr" for ชินวัตร); RTGS is by syllable: a leading vowel
 * (เ แ โ ใ ไ) before its consonant, an unwritten vowel (a in an open
 * syllable, o between two consonants: คน khon), a final consonant's
 * sound (จ ช ซ ศ ษ ส ด ต ท ธ as t, ร ล ญ ณ as n, บ พ as p, ข ค as k),
 * ห and อ silent before the consonants they lead (หน n, อย y), a letter
 * under the thanthakhat (์) silent with the one it follows after a final
 * (จันทร์ chan), and a consonant after a final at the end of a word
 * silent (ชินวัตร chinwat).  Source: the Royal Institute's "Principles of
 * Romanization for Thai Script by Transcription Method" (1999; the
 * tables of consonants, initial and final, and vowels), as the English
 * Wikipedia article "Royal Thai General System of Transcription"
 * tabulates it.  Tones, vowel length and the mai taikhu are not written.
 *
 * Names of Thais are mostly written otherwise, after the letters of their
 * Pali and Sanskrit spelling ("Shinawatra", not "Chinnawat"): the other
 * spellings are the syllables joined by an "a" after each final (the
 * compound's linking vowel), the silent final letters read with an "a"
 * (watra), ช as "sh" at the start, and ph, kh as p, k; written in the format of a Han syllable's
 * readings (tg__tokens.alt, in the first system's place), "^" first so
 * that words are never joined.  Calls nothing. */
#include <stdio.h>
#include <string.h>

#include "screen_int.h"

#define TH(c) ((c) - 0xE01)
/* ก..ฮ (U+0E01..U+0E2E): the initial and the final value; "-" none */
static const char *const ini[46] = {
    "k", "kh", "kh", "kh", "kh", "kh", "ng", "ch", "ch", "ch", "s", "ch", "y", "d", "t", "th",
    "th", "th", "n", "d", "t", "th", "th", "th", "n", "b", "p", "ph", "f", "ph", "f", "ph",
    "m", "y", "r", "rue", "l", "lue", "w", "s", "s", "s", "h", "l", "", "h"};
static const char *const fin[46] = {
    "k", "k", "k", "k", "k", "k", "ng", "t", "t", "t", "t", "t", "n", "t", "t", "t",
    "t", "t", "n", "t", "t", "t", "t", "t", "n", "p", "p", "p", "p", "p", "p", "p",
    "m", "i", "n", "", "n", "", "o", "t", "t", "t", "", "n", "", ""};

static bool cons(int32_t c) { return c >= 0xE01 && c <= 0xE2E && c != 0xE24 && c != 0xE26; }
/* a vowel sign or mark written after (above, below) its consonant */
static bool dependent(int32_t c) { return c == 0xE30 || (c >= 0xE31 && c <= 0xE3A) || c == 0xE47 || c == 0xE4D; }
static bool leading(int32_t c) { return c >= 0xE40 && c <= 0xE44; }

typedef struct syl {
  char ini[8], vow[8], fin[4];
  bool silent; /* a silent final letter (ร of วัตร): ini holds its letter's value */
} syl;

/* w[0..n) split into syllables; returns their count. */
static int syllables(const int32_t *w, size_t n, syl *s, int cap) {
  int ns = 0;
  for (size_t i = 0; i < n && ns < cap;) {
    syl *y = &s[ns];
    memset(y, 0, sizeof *y);
    int32_t lead = leading(w[i]) ? w[i++] : 0;
    if (i >= n) break;
    int32_t c1 = w[i++];
    if (c1 == 0xE24 || c1 == 0xE26) { /* ฤ ฦ: rue, lue */
      snprintf(y->ini, sizeof y->ini, "%s", ini[TH(c1)]);
      ns++;
      continue;
    }
    if (!cons(c1)) continue;
    snprintf(y->ini, sizeof y->ini, "%s", ini[TH(c1)]);
    /* a lone consonant at the end after a final: silent */
    if (!lead && i == n && ns && s[ns - 1].fin[0]) {
      y->silent = true;
      ns++;
      break;
    }
    if ((c1 == 0xE2B || c1 == 0xE2D) && i < n && cons(w[i]) && strchr("\x07\x0D\x19\x21\x22\x23\x25\x27", (int)(w[i] - 0xE00)) &&
        (c1 == 0xE2B || w[i] == 0xE22) && i + 1 < n && (dependent(w[i + 1]) || lead)) {
      snprintf(y->ini, sizeof y->ini, "%s", ini[TH(w[i])]); /* ห, อ leading: silent */
      i++;
    } else if (strchr("\x01\x02\x04\x15\x1B\x1C\x1E", (int)(c1 - 0xE00)) && i + 1 < n &&
               (w[i] == 0xE23 || w[i] == 0xE25 || w[i] == 0xE27) && (dependent(w[i + 1]) || lead)) {
      snprintf(y->ini + strlen(y->ini), sizeof y->ini - strlen(y->ini), "%s", ini[TH(w[i])]); /* pr, kl, kw */
      i++;
    }
    bool m[32] = {false}; /* the marks U+0E30..U+0E4F after the consonant */
    while (i < n && dependent(w[i])) m[w[i++] - 0xE30] = true;
    const char *v = NULL;
    int32_t nx = i < n ? w[i] : 0;
    if (lead == 0xE40) {
      if (m[5] && nx == 0xE22) v = "ia", i++;
      else if (m[7] && nx == 0xE2D) v = "uea", i++;
      else if (nx == 0xE32) v = "ao", i++, i += i < n && w[i] == 0xE30;
      else if (nx == 0xE2D) v = "oe", i++;
      else if (m[4]) v = "oe";
      else if (nx == 0xE22 && (i + 1 == n || !dependent(w[i + 1]))) v = "oei", i++;
      else v = "e", i += nx == 0xE30;
    } else if (lead == 0xE41) {
      v = "ae", i += nx == 0xE30;
    } else if (lead == 0xE42) {
      v = "o", i += nx == 0xE30;
    } else if (lead) {
      v = "ai";
    } else if (m[1]) { /* ั */
      if (nx == 0xE27) v = "ua", i++;
      else if (nx == 0xE22 && (i + 1 == n || !dependent(w[i + 1]))) v = "ai", i++;
      else v = "a";
    } else if (m[4] || m[5]) v = "i";
    else if (m[6]) v = "ue";
    else if (m[7]) v = "ue", i += nx == 0xE2D;
    else if (m[8] || m[9]) v = "u";
    else if (m[0]) v = "a";
    else if (m[3]) v = "am";
    else if (m[2]) { /* า */
      v = "a";
      if (nx == 0xE22 && (i + 1 == n || !dependent(w[i + 1]))) v = "ai", i++;
      else if (nx == 0xE27 && (i + 1 == n || !dependent(w[i + 1]))) v = "ao", i++;
    } else if (nx == 0xE2D && (i + 1 == n || !dependent(w[i + 1]))) v = "o", i++;
    else if (nx == 0xE23 && i + 1 < n && w[i + 1] == 0xE23) { /* รร: a, an at the end */
      i += 2;
      v = i < n && cons(w[i]) && (i + 1 == n || !dependent(w[i + 1])) ? "a" : "an";
    } else if (nx == 0xE27 && i + 1 < n && cons(w[i + 1]) && (i + 2 == n || !dependent(w[i + 2])))
      v = "ua", i++;
    else if (cons(nx) && (i + 1 == n || (!dependent(w[i + 1]) && !leading(w[i + 1]))))
      v = "o"; /* between two consonants */
    else v = "a";
    snprintf(y->vow, sizeof y->vow, "%s", v);
    /* not a consonant before รร, which is that consonant's vowel (สุวรรณ
     * su-wan: ว leads the next syllable) */
    bool before_rr = i + 2 < n && w[i + 1] == 0xE23 && w[i + 2] == 0xE23;
    if (i < n && cons(w[i]) && !before_rr &&
        (i + 1 == n || (!dependent(w[i + 1]) && !(w[i] == 0xE2B || w[i] == 0xE2D)))) {
      snprintf(y->fin, sizeof y->fin, "%s", fin[TH(w[i])]);
      i++;
    }
    ns++;
  }
  return ns;
}

/* The syllables joined: RTGS, or (link) with "a" after a final before
 * another syllable and the silent letters read, (sh) ช as "sh", (plain)
 * ph and kh as p and k ("Leekpai" for หลีกภัย). */
static void join(const syl *s, int ns, bool link, bool sh, bool plain, char *out, size_t cap) {
  size_t o = 0;
  out[0] = '\0';
  for (int k = 0; k < ns && o < cap; k++) {
    const char *in = s[k].ini;
    if (sh && k == 0 && !strcmp(in, "ch")) in = "sh";
    if (plain && !strcmp(in, "ph")) in = "p";
    if (plain && !strcmp(in, "kh")) in = "k";
    if (s[k].silent) {
      if (link) o += (size_t)snprintf(out + o, cap - o, "%sa", in);
      continue;
    }
    o += (size_t)snprintf(out + o, cap - o, "%s%s%s", in, s[k].vow, s[k].fin);
    if (link && s[k].fin[0] && k + 1 < ns && !s[k + 1].silent && o < cap)
      o += (size_t)snprintf(out + o, cap - o, "a");
  }
  if (o >= cap) out[0] = '\0';
}

bool tg__thai_latin(const int32_t *cps, size_t n, char *latin, size_t lcap, char *alt, size_t acap) {
  int32_t w[64];
  size_t m = 0;
  alt[0] = latin[0] = '\0';
  for (size_t i = 0; i < n && m < 64; i++) {
    int32_t c = cps[i];
    if (c < 0xE01 || c > 0xE5B) return false;
    if ((c >= 0xE48 && c <= 0xE4B) || c == 0xE47 || c == 0xE45) continue; /* tones, mai taikhu */
    if (c == 0xE4C) { /* thanthakhat: silent with the vowel signs under it */
      while (m && !cons(w[m - 1])) m--;
      bool r = m && w[m - 1] == 0xE23;
      if (m) m--;
      /* ทร์, ตร์ after a final: both silent (จันทร์ chan, ศาสตร์ sat) */
      if (r && m >= 3 && cons(w[m - 1]) && cons(w[m - 2]) && !cons(w[m - 3])) m--;
      continue;
    }
    w[m++] = c;
  }
  syl s[24];
  int ns = syllables(w, m, s, 24);
  if (!ns) return false;
  join(s, ns, false, false, false, latin, lcap);
  if (!latin[0]) return false;
  char v[3][TG__MAX_TOKEN];
  join(s, ns, true, false, false, v[0], sizeof v[0]);
  join(s, ns, true, true, false, v[1], sizeof v[1]);
  join(s, ns, false, false, true, v[2], sizeof v[2]);
  size_t o = (size_t)snprintf(alt, acap, "^");
  int k = 0;
  for (int i = 0; i < 3; i++) {
    bool dup = !v[i][0] || !strcmp(v[i], latin);
    for (int j = 0; j < i; j++) dup = dup || !strcmp(v[i], v[j]);
    if (dup || o >= acap) continue;
    o += (size_t)snprintf(alt + o, acap - o, "%s%s", k++ ? " " : "", v[i]);
  }
  if (o < acap) o += (size_t)snprintf(alt + o, acap - o, "\t\t\t\t\t");
  if (!k || o >= acap) alt[0] = '\0';
  return true;
}
