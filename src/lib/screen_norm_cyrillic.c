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
 * stands for (Khodorkovskiy, Yanukovich), the spelling of the lists; and a
 * word in the French spelling of Russian ("Evgueni Prigojine") likewise
 * (tg__russian_latin_alt).  Calls nothing. */
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

/* Reading a Latin word back: the groups of letters one system writes
 * where BGN/PCGN writes others (the longest first), the letters it writes
 * alone (a word with another is not in that system), and whether a word
 * shows that system's marks. */
typedef struct rule {
  const char *from, *en;
} rule;
typedef struct system {
  const rule *rules;
  size_t nrules;
  const char *letters;
  bool (*marks)(const char *w, size_t n);
} system_t;

/* German (Duden, the table above): щ schtsch, ч tsch, ш and ж sch, х ch,
 * е je, ё jo, ю ju, я ja, й j, в w, ц z; "ss" is с.  Other letters are
 * the same in both systems. */
static const rule de_en[] = {{"schtsch", "shch"}, {"tsch", "ch"}, {"sch", "sh"}, {"ch", "kh"},
                             {"je", "ye"},        {"jo", "yo"},   {"ju", "yu"},  {"ja", "ya"},
                             {"j", "y"},          {"w", "v"},     {"z", "ts"},   {"ss", "s"}};

/* French (the French Wikipedia's "Transcription du russe en français"):
 * щ chtch, ч tch, ш ch, х kh, ж j, у ou, ю iou, я ia, ё io, г gu before
 * e and i; "ss" is с.  French writes no w, q, x. */
static const rule fr_en[] = {{"chtch", "shch"}, {"tch", "ch"}, {"ch", "sh"}, {"kh", "kh"},
                             {"iou", "yu"},     {"ou", "u"},   {"ia", "ya"}, {"io", "yo"},
                             {"gue", "ge"},     {"gui", "gi"}, {"j", "zh"},  {"ss", "s"}};

static bool latin_vowel(char c) { return c && strchr("aeiouy", c); }

static bool ends(const char *w, size_t n, const char *tail) {
  size_t l = strlen(tail);
  return n > l && !memcmp(w + n - l, tail, l);
}

/* Not a Korean syllable or name (Jeong, Jaewon, Seungwoo): the German or
 * French of a Russian word neither ends in -ng nor holds ae, eu, oo. */
static bool korean_like(const char *w, size_t n) {
  return ends(w, n, "ng") || strstr(w, "ae") || strstr(w, "eu") || strstr(w, "oo");
}

/* What only Duden's spelling of a Russian word shows, so that pinyin,
 * Korean, English and most other names are left alone: "sch"; a "w"
 * after the first letter (pinyin writes w only first); je-, ja-, jo-,
 * ju- first in a word of 5 letters or more (longer than a pinyin or
 * Korean syllable); -ij last. */
static bool german_marks(const char *w, size_t n) {
  if (korean_like(w, n)) return false;
  if (strstr(w, "sch") || strchr(w + 1, 'w')) return true;
  if (w[0] == 'j' && n >= 5 && strchr("aeou", w[1])) return true;
  return ends(w, n, "ij");
}

/* What only the French spelling of a Russian word shows, in a word of 5
 * letters or more: tch; gu before e or i; ou beside ch or j; j or ch in a
 * word with a Russian ending (-ov, -ev, -ine, -ski). */
static bool french_marks(const char *w, size_t n) {
  if (n < 5 || korean_like(w, n)) return false;
  if (strstr(w, "tch") || strstr(w, "gue") || strstr(w, "gui")) return true;
  bool ch = strstr(w, "ch") != NULL, j = strchr(w, 'j') != NULL;
  if (strstr(w, "ou") && (ch || j)) return true;
  return (ch || j) && (ends(w, n, "ov") || ends(w, n, "ev") || ends(w, n, "ine") || ends(w, n, "ski"));
}

static const system_t german_sys = {de_en, sizeof de_en / sizeof *de_en, "abdefgiklmnoprstuy", german_marks};
static const system_t french_sys = {fr_en, sizeof fr_en / sizeof *fr_en, "abdefgiklmnoprstuvyz", french_marks};

/* w read back from system sy into BGN/PCGN, into en (cap bytes); false
 * when w holds a letter the system never writes alone. */
static bool read_back(const system_t *sy, const char *w, size_t n, char *en, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    const char *s = NULL;
    size_t used = 1;
    for (size_t k = 0; k < sy->nrules && !s; k++) {
      size_t l = strlen(sy->rules[k].from);
      if (!strncmp(w + i, sy->rules[k].from, l)) s = sy->rules[k].en, used = l;
    }
    char one[2] = {w[i], '\0'};
    if (!s) {
      if (!strchr(sy->letters, w[i])) return false;
      /* a single "s" between vowels is з (both write с there "ss") */
      s = w[i] == 's' && i && latin_vowel(w[i - 1]) && latin_vowel(w[i + 1]) ? "z" : one;
    }
    size_t l = strlen(s);
    if (o + l + 1 >= cap) return false;
    memcpy(en + o, s, l);
    o += l;
    i += used;
  }
  en[o] = '\0';
  return o > 0;
}

/* The spellings of en that English usage adds, after it (v[0] = en):
 * -ий, which German writes -ij or -i and French -i, as -iy and -y
 * (Khodorkovsky, Dmitriy); French -ine as -in (Poutine). */
static int endings(char v[3][TG__MAX_TOKEN * 2]) {
  size_t o = strlen(v[0]);
  if (o > 3 && v[0][o - 2] == 'i' && v[0][o - 1] == 'y') {
    memcpy(v[1], v[0], o - 2);
    memcpy(v[1] + o - 2, "y", 2);
    return 2;
  }
  if (o > 4 && v[0][o - 1] == 'i' && !latin_vowel(v[0][o - 2])) {
    memcpy(v[1], v[0], o);
    memcpy(v[1] + o, "y", 2);
    memcpy(v[2], v[0], o - 1);
    memcpy(v[2] + o - 1, "y", 2);
    return 3;
  }
  if (o > 5 && ends(v[0], o, "ine")) {
    memcpy(v[1], v[0], o - 1);
    v[1][o - 1] = '\0';
    return 2;
  }
  return 1;
}

bool tg__russian_latin_alt(const char *w, char *alt, size_t acap) {
  alt[0] = '\0';
  size_t n = strlen(w);
  if (n < 4 || n >= TG__MAX_TOKEN) return false;
  const system_t *sy = german_sys.marks(w, n) ? &german_sys : french_sys.marks(w, n) ? &french_sys : NULL;
  char v[3][TG__MAX_TOKEN * 2];
  if (!sy || !read_back(sy, w, n, v[0], sizeof v[0]) || !strcmp(v[0], w)) return false;
  int nv = endings(v);
  size_t o = (size_t)snprintf(alt, acap, "~");
  for (int i = 0; i < nv && o < acap; i++) o += (size_t)snprintf(alt + o, acap - o, "%s%s", i ? " " : "", v[i]);
  if (o < acap) o += (size_t)snprintf(alt + o, acap - o, "\t\t\t\t\t");
  if (o >= acap) alt[0] = '\0';
  return alt[0] != '\0';
}
