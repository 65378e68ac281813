/* screen_norm_spell.c - how alike two spellings are, the bottom of the
 * normalise layer (calls no other screening file): Jaro-Winkler, the
 * optimal-string-alignment distance, the token similarity the scorer uses,
 * and the spelling folds and consonant skeletons that make one name's
 * romanizations alike. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "screen_int.h"

static double fold_sim(const char *a, size_t la, const char *fa, size_t na, const char *b, size_t lb);

/* ---- Jaro-Winkler ---------------------------------------------------- */

double tg__jaro_winkler(const char *a, size_t la, const char *b, size_t lb) {
  if (!la || !lb) return la == lb ? 1.0 : 0.0;
  if (la == lb && !memcmp(a, b, la)) return 1.0;
  if (la > 64 || lb > 64) return 0.0;
  size_t win = (la > lb ? la : lb) / 2;
  win = win ? win - 1 : 0;
  bool ma[64] = {false}, mb[64] = {false};
  size_t m = 0;
  for (size_t i = 0; i < la; i++) {
    size_t lo = i > win ? i - win : 0, hi = i + win + 1 < lb ? i + win + 1 : lb;
    for (size_t j = lo; j < hi; j++)
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        m++;
        break;
      }
  }
  if (!m) return 0.0;
  size_t t = 0, j = 0;
  for (size_t i = 0; i < la; i++) {
    if (!ma[i]) continue;
    while (!mb[j]) j++;
    if (a[i] != b[j]) t++;
    j++;
  }
  double md = (double)m;
  double jaro = (md / (double)la + md / (double)lb + (md - (double)t / 2.0) / md) / 3.0;
  if (jaro <= 0.7) return jaro;
  size_t pre = 0;
  while (pre < 4 && pre < la && pre < lb && a[pre] == b[pre]) pre++;
  return jaro + (double)pre * 0.1 * (1.0 - jaro);
}

/* Optimal-string-alignment distance (a transposition is one edit),
 * capped at cap: bit-parallel, one machine word per column of the
 * table (H. Hyyrö, "A bit-vector algorithm for computing Levenshtein and
 * Damerau edit distances", Nordic Journal of Computing 10, 2003): bit i
 * of vp/vn is +1/-1 between rows i and i + 1 of the current column. */
int tg__osa_distance(const char *a, size_t la, const char *b, size_t lb, int cap) {
  if (la > 64 || lb > 64) return cap;
  if (!la) return (int)lb < cap ? (int)lb : cap;
  if (!lb) return cap; /* as the table version, which never filled a row */
  uint64_t peq[256]; /* the positions of each byte in a; set for a's bytes only */
  for (size_t i = 0; i < la; i++) peq[(unsigned char)a[i]] = 0;
  for (size_t i = 0; i < la; i++) peq[(unsigned char)a[i]] |= (uint64_t)1 << i;
  uint64_t vp = ~(uint64_t)0, vn = 0, d0 = 0, pm_before = 0, last = (uint64_t)1 << (la - 1);
  int dist = (int)la;
  for (size_t j = 0; j < lb; j++) {
    unsigned char c = (unsigned char)b[j];
    uint64_t pm = 0;
    for (size_t i = 0; i < la; i++) /* peq[c] when c is one of a's bytes */
      if ((unsigned char)a[i] == c) {
        pm = peq[c];
        break;
      }
    uint64_t tr = ((~d0 & pm) << 1) & pm_before; /* a transposition */
    d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
    uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
    dist += (hp & last) != 0;
    dist -= (hn & last) != 0;
    hp = hp << 1 | 1;
    hn <<= 1;
    vp = hn | ~(d0 | hp);
    vn = d0 & hp;
    pm_before = pm;
  }
  return dist < cap ? dist : cap;
}

double tg__raw_sim(const char *a, size_t la, const char *b, size_t lb, bool joined) {
  (void)joined;
  if (la == lb && !memcmp(a, b, la)) return 1.0;
  size_t m = la < lb ? la : lb, x = la > lb ? la : lb;
  if (m <= 3) return 0; /* short words: exact only ("ace" is not "acer") */
  /* typos: one edit (a transposition is one) in words up to 8 bytes, two
   * from 9; not a different word sharing a prefix ("apple", "applied") */
  int allowed = x >= 9 ? 2 : 1;
  if (x - m > (size_t)allowed) return 0;
  int d = tg__osa_distance(a, la, b, lb, allowed + 1);
  if (d > allowed) return 0;
  return 1.0 - 0.5 * (double)d / (double)x;
}

/* "son of": Arabic ابن, written "ibn" (ALA-LC, at the start of a name or
 * between names), "bin" inside a name (BGN/PCGN, Gulf usage) and "ben"
 * (Maghreb, French usage) */
static bool ibn(const char *s, size_t n) {
  return n == 3 && (!memcmp(s, "ibn", 3) || !memcmp(s, "bin", 3) || !memcmp(s, "ben", 3));
}

size_t tg__join_tokens(const char *a, size_t la, const char *b, size_t lb, char *out, size_t cap) {
  bool ben = la == 3 && (!memcmp(a, "ben", 3) || !memcmp(a, "bin", 3)) && tg__vowelless(b, lb);
  if (ben) a = "Bn", la = 2; /* the letters ب ن, a code's capital first */
  if (la + lb >= cap) return 0;
  memcpy(out, a, la);
  memcpy(out + la, b, lb);
  out[la + lb] = '\0';
  if (ben)
    for (size_t i = la; i < la + lb; i++)
      if (out[i] >= 'A' && out[i] <= 'Z') out[i] = (char)(out[i] | 0x20);
  return la + lb;
}

/* The article joined to the word in a Latin spelling ("Albaker",
 * "Elsayed", "Alzahrani": Gulf and Egyptian usage write al-/el- without a
 * hyphen) against the article and an Arabic-script word as a joined pair
 * ("al" + "Bkr" of البکر): the Latin word's rest spelled exactly by the
 * word's letters (0.95, as a joined pair must be).  The pair is "al"
 * before a letter code (a capital, or alef/ayn then a capital), which no
 * Latin name is: Latin words are lower case.  Against the word alone
 * (0.92, the article not matched): a name's tokens are distinct, so the
 * second article of السيد السباعي ("Elsayed Elsebai") is the first's
 * token and its word stands alone; only for a rest of 4+ letters ("Elena"
 * is not ال + نا).  0 when not that. */
static double article_joined(const char *c, size_t lc, const char *l, size_t ll) {
  bool art = tg__article_code(c, lc);
  if (!art && !(tg__vowelless(c, lc) && ll >= 6)) return 0;
  if (ll < 5 || (l[0] != 'a' && l[0] != 'e') || l[1] != 'l') return 0;
  size_t k = art ? 2 : 0;
  return tg__abjad_sim(c + k, lc - k, l + 2, ll - 2) >= 0.95 ? (art ? 0.95 : 0.92) : 0;
}

double tg__token_sim(const char *a, size_t la, const char *b, size_t lb, bool joined) {
  return tg__token_sim_folded(a, la, NULL, 0, b, lb, joined);
}

double tg__token_sim_folded(const char *a, size_t la, const char *fa, size_t na, const char *b,
                            size_t lb, bool joined) {
  double s = tg__raw_sim(a, la, b, lb, joined);
  if (s >= 0.92) return s;
  if (ibn(a, la) && ibn(b, lb)) return 0.95;
  /* digits are numbers: no romanization makes 2 of 3 */
  if ((*a >= '0' && *a <= '9') || (*b >= '0' && *b <= '9')) return s;
  double f;
  bool va = tg__vowelless(a, la), vb = tg__vowelless(b, lb);
  if (joined && !va && !vb && (tg__article_vowel(a, la) || tg__article_vowel(b, lb))) {
    /* the article before alef or ayn, as French usage in the Maghreb
     * writes it: its lam joined to the word, the alef not written
     * ("Larbi" for العربي al-ʻArabi, "Lakhdar", "Lamine") */
    bool qa = tg__article_vowel(a, la);
    const char *c = qa ? a : b, *l = qa ? b : a;
    size_t lc = qa ? la : lb, ll = qa ? lb : la;
    char code[TG__MAX_TOKEN];
    if (lc < sizeof code && l[0] == 'l') {
      code[0] = 'l';
      memcpy(code + 1, c + 2, lc - 2);
      if (tg__abjad_sim(code, lc - 1, l, ll) >= 0.95) return 0.95;
    }
  }
  if ((f = article_joined(a, la, b, lb)) > 0 || (f = article_joined(b, lb, a, la)) > 0) return f;
  if (va != vb) { /* a word from Arabic or Hebrew script against a Latin one:
                   * by its letters' spellings only (consonant skeletons alike
                   * are too loose: "Mhdy" is not "mahato") */
    f = va ? tg__abjad_sim(a, la, b, lb) : tg__abjad_sim(b, lb, a, la);
    if (joined && f < 0.95) f = 0;
  } else {
    char own[TG__MAX_TOKEN * 4];
    if (!fa) na = tg__fold_spelling(a, la, own, sizeof own), fa = own;
    f = fold_sim(a, la, fa, na, b, lb);
    if (joined && f < 0.92) f = 0; /* joined pairs: equal folds only ("tsetung" = "zedong") */
  }
  return f > s ? f : s;
}

/* ---- spelling folds ------------------------------------------------- */

/* Rewrites of letter groups that the romanizations of one name differ in
 * (longest first at each position): German, French, English and ISO
 * spellings of Cyrillic, Arabic and Persian transcriptions, Korean
 * Revised Romanization against McCune-Reischauer, Wade-Giles against
 * pinyin, Japanese long vowels, French "c" before e and i, Arabic "dh". */
static const struct { const char *from, *to; } folds[] = {
    {"schtsch", "s"}, {"chtch", "s"}, {"tsch", "C"}, {"shch", "s"}, {"sch", "s"}, {"tch", "C"}, {"dzh", "j"}, {"ch", "C"},
    {"sh", "s"}, {"zh", "j"}, {"dj", "j"}, {"kh", "h"}, {"gh", "k"}, {"ph", "f"}, {"th", "t"},
    {"ck", "k"}, {"ci", "si"}, {"ce", "se"}, {"dh", "d"}, {"ts", "s"}, {"tz", "s"}, {"eu", "u"}, {"eo", "u"}, {"ou", "u"}, {"oo", "u"},
    {"ee", "i"}, {"ie", "i"}, {"ae", "a"}, {"x", "ks"}};

#define NFOLDS (sizeof folds / sizeof *folds)

/* The groups by their first letter, in the table's order (the order
 * rewrites are tried in), with their lengths: built once. */
static struct {
  uint8_t start[257], order[NFOLDS], fl[NFOLDS], tl[NFOLDS];
} fold_ix;
_Static_assert(NFOLDS < 256, "fold_ix holds group numbers in bytes");
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_index(void) {
  size_t o = 0;
  for (int c = 0; c < 256; c++) {
    fold_ix.start[c] = (uint8_t)o;
    for (size_t k = 0; k < NFOLDS; k++)
      if ((unsigned char)folds[k].from[0] == c) fold_ix.order[o++] = (uint8_t)k;
  }
  fold_ix.start[256] = (uint8_t)o;
  for (size_t k = 0; k < NFOLDS; k++)
    fold_ix.fl[k] = (uint8_t)strlen(folds[k].from), fold_ix.tl[k] = (uint8_t)strlen(folds[k].to);
}

static char fold_letter(char c) {
  switch (c) {
  case 'w': case 'v': return 'v';
  case 'q': case 'k': case 'g': case 'c': return 'k';
  case 'z': case 's': return 's';
  case 'd': case 't': return 't';
  case 'b': case 'p': return 'p';
  case 'e': case 'i': case 'y': return 'i';
  case 'o': case 'u': return 'u';
  default: return c;
  }
}

/* A consonant letter after a vowel pair, closing it as a diphthong. */
static bool diphthong_end(char c) {
  return c >= 'a' && c <= 'z' && !strchr("aeiouyw", c);
}

size_t tg__fold_spelling(const char *s, size_t n, char *out, size_t cap) {
  char tmp[TG__MAX_TOKEN * 4];
  size_t m = 0;
  /* a word coded from Arabic script has no letter groups: "Hmzh" is
   * hamza with ta marbuta, not "zh" */
  bool groups = !tg__vowelless(s, n);
  pthread_once(&fold_once, fold_index);
  for (size_t i = 0; i < n && m + 2 < sizeof tmp;) {
    char c0 = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] | 0x20) : s[i]; /* the vowelless mark */
    if (c0 == '\'') c0 = 'a'; /* a letter written as a vowel or not at all */
    if (c0 == 'c' && !groups) c0 = 't'; /* tha (th, s, t) */
    bool rewritten = false;
    /* The Arabic and Persian diphthong ay before a consonant written
     * "ei", "ey" (Hussein, Sheikh, Leila, Soleimani) is "ai" (Husayn,
     * Shaykh, Layla, Sulaymani); not before a vowel, where the glide is a
     * consonant (Reyes), nor last (Sergey).  Not aw as "u" (Jawlani =
     * Julani): its "w" is the letter waw an Arabic-script name is matched
     * by (Al-'Awni / العوني 0.987 -> 0.745 in a screen) */
    if (groups && i + 2 < n && diphthong_end(s[i + 2]) && c0 == 'e' && (s[i + 1] == 'i' || s[i + 1] == 'y')) {
      tmp[m++] = 'a', tmp[m++] = 'i', i += 2;
      continue;
    }
    unsigned char c = (unsigned char)c0;
    size_t end = groups ? fold_ix.start[c + 1] : 0;
    for (size_t p = groups ? fold_ix.start[c] : 0; p < end; p++) {
      size_t k = fold_ix.order[p], fl = fold_ix.fl[k], x = 1;
      if (fl > n - i) continue;
      while (x < fl && s[i + x] == folds[k].from[x]) x++;
      if (x == fl) {
        for (size_t t = 0; t < fold_ix.tl[k]; t++) tmp[m++] = folds[k].to[t];
        i += fl;
        rewritten = true;
        break;
      }
    }
    if (!rewritten) tmp[m++] = c0, i++;
  }
  /* a final "ij", "yj", "iy": one vowel (Zelenskyj, Zelenskiy, Zelenskyy) */
  if (m >= 2 && tmp[m - 1] == 'j' && (tmp[m - 2] == 'i' || tmp[m - 2] == 'y')) m--;
  if (groups && m >= 5) { /* French and German spellings of Russian names */
    /* -off for -ov, -eff for -ev (Rachmaninoff) */
    if (tmp[m - 1] == 'f' && tmp[m - 2] == 'f' && (tmp[m - 3] == 'o' || tmp[m - 3] == 'e')) tmp[--m - 1] = 'v';
    /* a final -ine, the French -in (Poutine, Staline, Lénine) */
    else if (tmp[m - 1] == 'e' && tmp[m - 2] == 'n' && tmp[m - 3] == 'i') m--;
    /* ё after ж, ч, ш, щ is o, written e in English, o in German
     * (Gorbachev, Gorbatschow) */
    if ((tmp[m - 1] == 'v' || tmp[m - 1] == 'w') && tmp[m - 2] == 'e' && strchr("Csj", tmp[m - 3]))
      tmp[m - 2] = 'o';
  }
  size_t o = 0;
  for (size_t i = 0; i < m && o + 1 < cap; i++) {
    char c = fold_letter(tmp[i]);
    if (o && out[o - 1] == c && n >= 4) continue; /* doubled letters (not in "MMI") */
    if (c == 'h' && i + 1 == m && o > 1) continue;             /* "Allah", "Abdullah" */
    out[o++] = c;
  }
  out[o] = '\0';
  return o;
}

/* Without vowels and glides: how abjads (Arabic, Hebrew) come out of
 * transliteration, "bnmn" for "Binyamin"; a first vowel goes too, as an
 * initial ayn or alef is not written in Latin alike ("Atiq" = "tyq"). */
static size_t fine_skeleton(const char *f, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++)
    if (!strchr("aiuvj", f[i])) out[o++] = f[i]; /* vowels, glides (y, w) */
  out[o] = '\0';
  return o;
}

/* The key an abjad word and its Latin spellings share: the skeleton with
 * t, d, s, z, sh, ch alike, as the Latin spellings of the letters tha,
 * dhal, dad, zah and sheen cross these (th, dh, z, d, sh, ch); repeats
 * once.  tg__abjad_sim tells them
 * apart. */
size_t tg__skeleton(const char *f, size_t n, char *out) {
  char fine[TG__MAX_TOKEN * 4];
  if (n >= sizeof fine) n = sizeof fine - 1;
  size_t k = fine_skeleton(f, n, fine), o = 0;
  for (size_t i = 0; i < k; i++) {
    char c = fine[i] == 't' || fine[i] == 'C' ? 's' : fine[i];
    if (o && out[o - 1] == c) continue;
    out[o++] = c;
  }
  out[o] = '\0';
  return o;
}

bool tg__article_code(const char *s, size_t n) {
  return n >= 4 && s[0] == 'a' && s[1] == 'l' && tg__vowelless(s + 2, n - 2);
}

bool tg__article_vowel(const char *s, size_t n) {
  return n >= 5 && s[0] == 'a' && s[1] == 'l' && s[2] == '\'' && tg__vowelless(s + 2, n - 2);
}

/* A word written without vowels: from Arabic script, marked by its
 * capital first letter (screen_norm_script.c). */
bool tg__vowelless(const char *s, size_t n) {
  while (n && *s == '\'') s++, n--; /* "'Mr": ayn, mim, reh */
  return n >= 2 && s[0] >= 'A' && s[0] <= 'Z';
}

/* ---- Arabic script against Latin --------------------------------------- */

/* The Latin spellings of each letter class of data/screening/arabic-letters.tsv
 * (ALA-LC, BGN/PCGN and French spellings; short vowels are not written in
 * Arabic script, so any Latin vowel may stand between the letters, and a
 * doubled consonant is one letter with shadda).  "'": alef, ayn, hamza,
 * written as a vowel or not at all. */
#define ABJAD_CLASSES(X)                                                                   \
  X('\'', "")                                                                                \
  X('p', "p b") X('t', "t th") X('c', "th s t") X('j', "j dj g dzh zh")                   \
  X('x', "ch tch tsch c j") X('h', "h kh ch x") X('d', "d dh z th dz")                    \
  X('z', "z s zh j dh th d dz") X('s', "s sh ch sch c ts") X('g', "gh g q k")             \
  X('f', "f ph v") X('q', "q k g gh c ck") X('k', "k c ck q ch kh g") X('w', "w v u o")      \
  X('y', "y i e j")

static const char *abjad_spellings(char c) {
#define ABJAD_CASE(k, v) case k: return v;
  switch (c) {
  ABJAD_CLASSES(ABJAD_CASE)
  default: return NULL; /* a letter of its own: b, l, m, n, r, and ICU output */
  }
#undef ABJAD_CASE
}

static bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* Relaxes D[i + 1][j + len] and, for a consonant, D[i + 1][j + len + 1]
 * when the Latin doubles it ("ss" for one seen with shadda). */
static void abjad_step(int (*d)[TG__MAX_TOKEN + 1][2], size_t i, size_t j, const char *r, size_t len,
                       const char *l, size_t ll, int cost) {
  if (j + len > ll) return;
  for (size_t x = 0; x < len; x++)
    if (l[j + x] != r[x]) return;
  if (d[i + 1][j + len][0] > cost) d[i + 1][j + len][0] = cost;
  if (len && j + len < ll && l[j + len] == r[len - 1] && !is_vowel(r[len - 1]) &&
      d[i + 1][j + len + 1][0] > cost)
    d[i + 1][j + len + 1][0] = cost;
}

/* The fewest letters off between the code's spellings and the Latin word:
 * D[i][j][v] for the first i letters of the code and j of the Latin, v
 * when the last Latin letter was an unwritten short vowel (one between two
 * letters: "ou" in "Mahmoud" is a waw, not written in محمد).  Exact up to
 * max; above it, some count above max (no step lowers a count, so cells
 * past max are not extended). */
static int abjad_distance(const char *code, size_t lc, const char *l, size_t ll, int max) {
  int d[TG__MAX_TOKEN + 1][TG__MAX_TOKEN + 1][2];
  for (size_t i = 0; i <= lc; i++)
    for (size_t j = 0; j <= ll; j++) d[i][j][0] = d[i][j][1] = 99;
  d[0][0][0] = 0;
  for (size_t i = 0; i <= lc; i++)
    for (size_t j = 0; j <= ll; j++) {
      int c = d[i][j][0] < d[i][j][1] ? d[i][j][0] : d[i][j][1];
      if (c > max) continue;
      /* a short vowel, not after the last letter unless that is an alef or
       * ayn ("Hala") or the vowel a French silent e ("Alouche"): names are
       * not written with a final unwritten vowel ("doli" is not "Adil") */
      bool after = i == lc && code[lc - 1] != '\'' && !(j + 1 == ll && l[j] == 'e');
      if (j < ll && is_vowel(l[j]) && !after && d[i][j][0] < 99 && d[i][j + 1][1] > d[i][j][0])
        d[i][j + 1][1] = d[i][j][0];
      /* French "ou" is one vowel, u, also the unwritten short one of a
       * name's first syllable (Moubarak, Moudar, Joumblatt: the mu- of
       * participles); not further on, where it is a written waw
       * ("Mahmoud" is not محمد) */
      if (i == 1 && !after && j + 1 < ll && l[j] == 'o' && l[j + 1] == 'u' && d[i][j][0] < 99 &&
          d[i][j + 2][1] > d[i][j][0])
        d[i][j + 2][1] = d[i][j][0];
      if (j < ll && d[i][j + 1][0] > c + 1) d[i][j + 1][0] = c + 1; /* a letter too many */
      /* the French ending "-es" after the last letter, not pronounced
       * (Georges for جورج) */
      if (i == lc && lc >= 3 && j && j + 2 == ll && l[j] == 'e' && l[j + 1] == 's' && !is_vowel(l[j - 1]) &&
          d[i][ll][1] > c)
        d[i][ll][1] = c;
      if (i == lc) continue;
      char k = code[i] >= 'A' && code[i] <= 'Z' ? (char)(code[i] | 0x20) : code[i];
      const char *sp = abjad_spellings(k);
      if (!sp) {
        abjad_step(d, i, j, &k, 1, l, ll, c);
      } else {
        for (const char *p = sp;;) { /* "t th": each spelling in turn */
          size_t n = 0;
          while (p[n] && p[n] != ' ') n++;
          abjad_step(d, i, j, p, n, l, ll, c);
          if (!p[n]) break;
          p += n + 1;
        }
      }
      bool last = i + 1 == lc;
      if (last && k == 'h') { /* ta marbuta; a final heh read with its vowel ("Taha" for طه) */
        abjad_step(d, i, j, "t", 1, l, ll, c), abjad_step(d, i, j, "", 0, l, ll, c);
        abjad_step(d, i, j, "ha", 2, l, ll, c);
      }
      if (last && k == 'y') abjad_step(d, i, j, "a", 1, l, ll, c); /* alef maqsura: "Mustafa" */
      /* a letter not written; free after the same letter ("yy" of ئي, "dd"
       * of "uddin" against "udin") */
      int skip = c + !(i && (code[i - 1] | 0x20) == k);
      if (d[i + 1][j][0] > skip) d[i + 1][j][0] = skip;
      if (j < ll && d[i + 1][j + 1][0] > c + 1) d[i + 1][j + 1][0] = c + 1; /* one written otherwise */
    }
  return d[lc][ll][0] < d[lc][ll][1] ? d[lc][ll][0] : d[lc][ll][1];
}

double tg__abjad_sim(const char *code, size_t lc, const char *latin, size_t ll) {
  if (!lc || lc >= TG__MAX_TOKEN || !ll || ll >= TG__MAX_TOKEN) return 0;
  size_t letters = 0; /* the letters that are not alef, ayn or hamza */
  for (size_t i = 0; i < lc; i++) letters += code[i] != '\'';
  /* one letter between alefs ("'G'", Agha) at least */
  if (letters + (lc >= 3) < 2 || ll > 2 * lc + 2) return 0;
  for (size_t j = 0; j < ll; j++)
    if (latin[j] < 'a' || latin[j] > 'z') return 0;
  bool one_off = letters >= 5 && ll >= 6; /* not "Mhdy" = "mahato" */
  int dist = abjad_distance(code, lc, latin, ll, one_off ? 1 : 0);
  if (dist == 0) return letters >= 3 ? 0.95 : letters == 2 ? 0.92 : 0.9;
  if (dist == 1 && one_off) return 0.88;
  return 0;
}

double tg__fold_sim(const char *a, size_t la, const char *b, size_t lb) {
  char fa[TG__MAX_TOKEN * 4];
  size_t na = tg__fold_spelling(a, la, fa, sizeof fa);
  return fold_sim(a, la, fa, na, b, lb);
}

/* tg__fold_sim with a's fold given. */
static double fold_sim(const char *a, size_t la, const char *fa, size_t na, const char *b, size_t lb) {
  if (na < 2) return 0;
  char fb[TG__MAX_TOKEN * 4];
  size_t nb = tg__fold_spelling(b, lb, fb, sizeof fb);
  if (nb < 2) return 0;
  if (na == nb && !memcmp(fa, fb, na)) return na >= 5 ? 0.92 : na >= 3 ? 0.87 : 0.85;
  bool va = tg__vowelless(a, la), vb = tg__vowelless(b, lb);
  if (va != vb && (va ? lb <= 2 * la + 1 : la <= 2 * lb + 1)) { /* "mhmd" = "Muhammad" */
    char sa[TG__MAX_TOKEN * 4], sb[TG__MAX_TOKEN * 4];
    size_t ka = fine_skeleton(fa, na, sa), kb = fine_skeleton(fb, nb, sb);
    /* three consonants alike, or two for a vowelless word of three
     * letters or more ("syd" = "Said"); a three-letter abbreviation
     * ("GKR") is not the skeleton of "Quigru" */
    size_t vl = va ? la : lb;
    if (ka == kb && !memcmp(sa, sb, ka) && (ka >= 3 || (ka >= 2 && vl >= ka + 1)))
      return ka >= 3 ? 0.88 : 0.86;
  }
  /* else near folds that begin and end alike ("muhamat" = "muhamit") */
  if ((na < nb ? na : nb) < 5 || (na > nb ? na - nb : nb - na) > 1 || fa[0] != fb[0] ||
      fa[na - 1] != fb[nb - 1])
    return 0;
  return tg__osa_distance(fa, na, fb, nb, 2) <= 1 ? 0.85 : 0;
}
