/* screen_int.h - restricted-party screening, internal: the one header of
 * the screening layers, each calling only the layers before it:
 *
 *   lists      (lists_int.h) entries as parsed and stored
 *   normalise  names to tokens: screen_norm_spell.c (spelling similarity
 *              and folds), screen_norm_thai.c (Thai by RTGS),
 *              screen_norm_cyrillic.c (German spellings of Russian) <-
 *              screen_norm_tables.c (data tables) <-
 *              screen_norm_hangul.c (Hangul's other romanizations),
 *              screen_norm_script.c (other scripts to Latin) <-
 *              screen_norm.c (tokens, a.k.a. splitting)
 *   index      screen_index.c: every entry name and alias split and
 *              normalised; the distinct tokens form a vocabulary with IDF
 *              weights, postings and a symmetric-deletion hash; an index
 *              is immutable and reference counted
 *   score      screen_score.c: a name against another, token by token,
 *              judged by the fitted features
 *   query      screen_query.c: a name against an index: candidates from
 *              the deletion hash and postings, scored; hits as structs
 *   edge       screen_api.c (the public tg_screen*, tg_match and the
 *              screener, whose index is swapped atomically),
 *              screen_hook.c (an order's parties screened, as structs) and
 *              screen_json.c (hits, pairs, features and evidence as JSON,
 *              for the API and the check's answer) */
#ifndef TG_SCREEN_INT_H
#define TG_SCREEN_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <unicode/utrans.h>

#include "lists_int.h"

struct tg__facts;

/* ---- normalisation -------------------------------------------------- */

typedef struct tg__tables tg__tables; /* suffixes, abbreviations, Han data */

tg_status tg__tables_load(const char *data_dir, tg__tables **out, tg_error *err);
void tg__tables_free(tg__tables *t);

#define TG__MAX_TOKENS 32
#define TG__MAX_TOKEN 48
/* Other romanizations of a Han syllable token (tg__tokens.alt): the
 * systems apart by a tab, in the order of TG__HAN_SYSTEMS, readings of one
 * system apart by a space. */
#define TG__ALT_LEN 96
#define TG__HAN_SYSTEMS 6 /* Wade-Giles, Cantonese, Japanese on, kun, Korean RR, MR */

/* A name as tokens: lower-case, accent-free, legal forms and stopwords
 * removed, abbreviations expanded, Han script as Latin words. */
typedef struct tg__tokens {
  int n;
  char tok[TG__MAX_TOKENS][TG__MAX_TOKEN];
  uint8_t place[TG__MAX_TOKENS]; /* 1 for a place name (places.txt) */
  /* a Han syllable's other readings, or "" (also a Hangul syllable's
   * and a Thai word's other spellings, in the same format) */
  char alt[TG__MAX_TOKENS][TG__ALT_LEN];
  bool had_han;
  uint8_t scripts; /* TG__SCRIPT_* bits of the name's letters */
  /* the last token is the second of two family names written before a
   * comma ("MADURO MOROS, Nicolas" turned "Nicolas Maduro Moros") */
  bool family2;
} tg__tokens;

#define TG__SCRIPT_LATIN 1
#define TG__SCRIPT_HAN 2
#define TG__SCRIPT_OTHER 4 /* any other script, transliterated by ICU */

/* Normalises a UTF-8 name (invalid bytes are skipped). */
void tg__normalize(const tg__tables *t, const char *name, tg__tokens *out);
/* The Latin form of a Han run (folded to simplified, company words from
 * the table, other characters as pinyin syllables, flagged in `syllable`
 * so that they are never taken for stopwords), appended as tokens. */
void tg__han_latin(const tg__tables *t, const int32_t *cps, size_t n,
                   char (*toks)[TG__MAX_TOKEN], uint8_t *syllable, int *ntoks, int cap,
                   char (*alt)[TG__ALT_LEN]);
/* The Latin form of a run of another script (Cyrillic, Arabic, Greek,
 * Hebrew, Hangul, kana, Thai, Devanagari...) by ICU "Any-Latin;
 * Latin-ASCII", appended as tokens. */
void tg__script_latin(const tg__tables *t, const int32_t *cps, size_t n,
                      char (*toks)[TG__MAX_TOKEN], uint8_t *syllable, int *ntoks, int cap);
/* The evidence a scored pair of names is judged on, declared once: name,
 * what it measures.  Weights are data (data/screening/weights.tsv, fitted
 * by tools/screen_fit.py); the score is the logistic of their sum. */
#define TG__FEATURES(X)                                                              \
  X(bias, "1")                                                                       \
  X(coverage, "weighted share of both names' tokens that matched (IDF weights)")     \
  X(query_cov, "share of the query's weight matched")                                \
  X(entry_cov, "share of the entry's weight matched")                                \
  X(both_cov, "the smaller of query_cov and entry_cov")                              \
  X(min_sim, "similarity of the weakest matched token pair")                         \
  X(query_extra, "query tokens left unmatched (not places or middle names)")          \
  X(entry_extra, "entry tokens left unmatched (not places or middle names)")          \
  X(replaced, "tokens unmatched on both sides: a different name in their place")     \
  X(edge_replaced, "first or last token unmatched on both sides: another family name") \
  X(middle, "unmatched middle names, patronymics, particles and initials")           \
  X(initials, "initials matched to names")                                           \
  X(folded, "token pairs matched only as romanization variants")                     \
  X(number_conflict, "an unmatched number or series marker (II, 3) on either side")  \
  X(country_conflict, "an unmatched country or branch qualifier on either side")     \
  X(rarity, "rarity of the rarest matched token (its IDF over the largest)")         \
  X(one_token, "the query is a single token")                                      \
  X(one_token_fuzzy, "the query is a single token, matched only approximately")       \
  X(query_rare_left, "IDF of the rarest unmatched query token over the largest")     \
  X(entry_rare_edge, "IDF of the rarest unmatched first or last entry token")          \
  X(entry_rare_inner, "IDF of the rarest unmatched inner entry token (a middle name)") \
  X(rare_both_left, "the smaller of the rarest unmatched query and entry tokens' IDF")  \
  X(exact_rare, "IDF of the rarest token matched exactly (not by typo or fold)")    \
  X(short_fuzzy, "token pairs matched approximately where a word has 5 letters or less") \
  X(first_diff, "token pairs matched approximately that begin with different letters") \
  X(one_token_part, "the query is a single token: the share of the entry's weight left") \
  X(abjad, "token pairs matched by consonants, one written without vowels (Arabic, Hebrew)") \
  X(one_token_distinct, "the query is a single token and the entry has a distinctive word left") \
  X(initialed, "share of the query's weight in full names the entry gives only as an initial") \
  X(tiny_fuzzy, "token pairs matched approximately where a word has 4 letters or less")  \
  X(joined_fuzzy, "a joined pair of tokens matched approximately (\"jd com\" = \"adcom\")") \
  X(weak_evidence, "1 - the squared IDF shares (over the largest) of the matched query tokens, summed (common names prove little)") \
  X(one_token_left, "the query is a single token: entry words left unmatched, generic ones too (at most 3)") \
  X(han_approx, "Han syllables matched approximately or by an initial")                   \
  X(han_entry_left, "a Han query: entry words left unmatched")                            \
  X(weak_entry_left, "weak_evidence times the share of the entry's weight left unmatched")

#define TG__F_ENUM(n, d) TG__F_##n,
enum { TG__FEATURES(TG__F_ENUM) TG__NFEAT };
#undef TG__F_ENUM

/* The names of the features, in order, and what each measures. */
extern const char *const tg__feature_names[TG__NFEAT];
extern const char *const tg__feature_docs[TG__NFEAT];
/* The tables (screen_norm_tables.c reads them; the script step uses the
 * Han data and the ICU slots under `mu`). */
typedef struct tg__tpair {
  char *from, *to;
} tg__tpair;

typedef struct tg__hanword {
  int32_t cp[12];
  int n;
  char *latin;
} tg__hanword;

/* A table word's length and letters (bits a-z), computed once at load
 * for the misspelling scans of tg__tables_drop and tg__tables_abbrev. */
typedef struct tg__wordkey {
  uint32_t letters;
  uint32_t len;
} tg__wordkey;

/* The reference token weights (token-df.tsv, screen_norm_refweights.c):
 * tokens of real lists and their IDF weight, sorted by token; `text` is
 * the file's text, which the tokens point into. */
typedef struct tg__refw {
  const char *tok;
  float w;
} tg__refw;
typedef struct tg__refweights {
  char *text;
  tg__refw *v;
  size_t n;
  float unknown; /* ln(1 + names): a token not in the table */
} tg__refweights;
/* Parses token-df.tsv's text (len bytes and a NUL past them; the table
 * owns it from here, freed on error too); errors name path:line. */
tg_status tg__refweights_parse(char *text, size_t len, const char *path, tg__refweights *out,
                               tg_error *err);
void tg__refweights_free(tg__refweights *r);
/* A token's weight, or the unknown weight when it is not in the table. */
float tg__refweights_get(const tg__refweights *r, const char *tok);

struct tg__tables {
  char **drop, **place, **qual, **part, **vessel, **title, **urdu, **honor, **kin, **notcalled;
  size_t ndrop, nplace, nqual, npart, nvessel, ntitle, nurdu, nhonor, nkin, nnotcalled;
  char **common;             /* common-han-names.tsv: "SYL1 SYL2", sorted syllables */
  size_t ncommon;
  double common_cap;         /* its @cap: the most such a pair scores */
  tg__wordkey *drop_key, *abbr_key; /* drop[i], abbr[i].from */
  tg__refweights ref; /* token-df.tsv: words weighed with no list loaded */
  double weights[TG__NFEAT];
  bool have_weight[TG__NFEAT];
  tg__tpair *abbr;
  size_t nabbr;
  tg__tpair *phrase; /* "united states" -> "us" */
  size_t nphrase;
  int32_t (*fold)[2];
  size_t nfold;
  tg__hanword *words;
  size_t nwords;
  tg__hanword *arabic; /* arabic-names.tsv: Arabic name words in Latin */
  size_t narabic;
  char abjad[256]; /* arabic-letters.tsv: the class of U+0600..U+06FF, 0 = none */
  tg__tpair *wg; /* wade-giles.tsv: pinyin syllable -> Wade-Giles */
  size_t nwg;
  tg__tpair *ko; /* korean-surnames.tsv: Hangul syllable -> spellings */
  size_t nko;
  tg__tpair *kol; /* korean-surname-latin.tsv: a spelling -> all of its surname's */
  size_t nkol;
  struct tg__reading { int32_t cp; char *alt; } *readings; /* han-readings.tsv, by cp */
  size_t nreadings;
  pthread_mutex_t mu;
  UTransliterator *t2s, *pinyin, *any, *cyr; /* opened by screen_norm_script.c */
  bool icu_tried, any_tried;
};

/* The fitted weights, one per feature (weights.tsv). */
const double *tg__tables_weights(const tg__tables *t);
/* A token's reference weight (token-df.tsv: its IDF in the CSL and UN
 * lists) and the weight of a token not in the table (ln(1 + names)): the
 * words of two names compared with no list loaded weigh so. */
float tg__tables_ref_weight(const tg__tables *t, const char *tok);
float tg__tables_ref_unknown(const tg__tables *t);
/* A country or branch qualifier (qualifiers.txt): distinguishing. */
bool tg__tables_qualifier(const tg__tables *t, const char *tok);
/* The length of the vessel prefix (vessel-prefixes.txt: "M/V", "MT")
 * that `name` begins with, followed by a space; 0 when none. */
size_t tg__tables_vessel_prefix(const tg__tables *t, const char *name);
#define TG__VESSEL_PREFIX_MAX 16 /* a longer line of the file is refused at load */
/* A name particle or connector (particles.txt: "bin", "al", "van"). */
bool tg__tables_particle(const tg__tables *t, const char *tok);
/* A title written before a name (titles.tsv: "haji", "mullah"): its
 * Latin spellings, and its Arabic-script spellings as their letter codes
 * (tg__abjad_word: "H'jy"). */
bool tg__tables_title(const tg__tables *t, const char *tok);
/* An honorific (honorifics.txt: "dr", "ayatollah"): a title that is never
 * a name; tg__tables_title is true of it too. */
bool tg__tables_honorific(const tg__tables *t, const char *tok);
/* A word that says whose father, mother or child the next name is
 * (kin-particles.txt: "abu", "bin"). */
bool tg__tables_kin(const tg__tables *t, const char *tok);
/* A first given name a person is usually not called by
 * (first-names-not-called.txt: "sayyed", "muhammad", "abd"). */
bool tg__tables_not_called(const tg__tables *t, const char *tok);
/* Whether two tokens (in either order) are the pinyin of one of the most
 * common full names in China (common-han-names.tsv); *cap: the most such a
 * pair of names scores. */
bool tg__tables_common_name(const tg__tables *t, const char *a, const char *b, double *cap);
/* A word that Urdu names join with the article written ul-, ur-, ud-
 * (urdu-article.txt: "haq" in Zia-ul-Haq). */
bool tg__tables_urdu_article(const tg__tables *t, const char *tok);
/* A phrase of phrases.tsv at the start of toks[0..n): its token count
 * (0 = none) and *to, the token it folds to. */
int tg__tables_phrase(const tg__tables *t, char (*toks)[TG__MAX_TOKEN], int n, const char **to);
/* The Wade-Giles spelling of a pinyin syllable (wade-giles.tsv), or NULL
 * when the same. */
const char *tg__tables_wade_giles(const tg__tables *t, const char *syllable);
/* A Han character's other readings (han-readings.tsv: Cantonese TAB
 * Japanese on TAB kun TAB Korean RR TAB MR), or NULL. */
const char *tg__tables_han_readings(const tg__tables *t, int32_t c);
/* The common Latin spellings of a Korean surname (korean-surnames.tsv),
 * apart by a space, or NULL. */
const char *tg__tables_korean_surname(const tg__tables *t, const char *syllable);
/* The Latin spellings of the Korean surname(s) that a Latin word spells
 * ("pak" -> "park pak bak"; korean-surname-latin.tsv), or NULL. */
const char *tg__tables_korean_latin(const tg__tables *t, const char *word);
/* A Hangul syllable's other romanizations in the format of a Han
 * syllable's readings (RR, MR and common spellings in the Korean systems'
 * places; with first, a name's first syllable: "^" and the surname's
 * spellings), into alt (cap bytes); "" when c is not a Hangul syllable. */
void tg__hangul_alt(const tg__tables *t, int32_t c, bool first, char *alt, size_t cap);
/* Whether two Latin words can spell one Hangul syllable by the spellings
 * tg__hangul_alt gives (RR, MR and the common ones, not a surname's):
 * 1 yes, 0 both are spellings of syllables but never of one, -1 one of
 * them spells no syllable (screen_norm_hangul.c). */
int tg__korean_same_syllable(const char *a, const char *b);
/* A Thai word by RTGS into latin (lcap bytes), and the other spellings
 * of Thai names (screen_norm_thai.c) in the format of a Han syllable's
 * readings into alt (acap bytes; "" when none); false when it is not all
 * Thai letters. */
bool tg__thai_latin(const int32_t *cps, size_t n, char *latin, size_t lcap, char *alt, size_t acap);
/* The German spellings of a Russian word in Cyrillic (screen_norm_cyrillic.c)
 * other than latin (its BGN/PCGN spelling), in the format of a Han
 * syllable's readings, "~" first, into alt (acap bytes); false ("") when
 * none or a letter is not Russian. */
bool tg__cyrillic_alt(const int32_t *cps, size_t n, const char *latin, char *alt, size_t acap);
/* A Latin word spelt by the German or French transcription of Russian,
 * read back and spelt as BGN/PCGN does ("chodorkowski" -> "khodorkovski
 * khodorkovskiy khodorkovsky", "prigojine" -> "prigozhine prigozhin"), in
 * the format of a Han syllable's readings, "~" first, into alt (acap
 * bytes); false ("") when the word shows neither spelling or is not one
 * (screen_norm_cyrillic.c). */
bool tg__russian_latin_alt(const char *w, char *alt, size_t acap);
/* The simplified form of a Han variant (han-variants.tsv), or c. */
int32_t tg__tables_han_fold(const tg__tables *t, int32_t c);
int32_t tg__arabic_fold(int32_t c); /* Persian/Urdu letters, hamza seats: one form */
/* An Arabic word (letters folded) as its letters' classes
 * (arabic-letters.tsv), the first consonant a capital, into out; false
 * when a letter has no class or there is no consonant. */
bool tg__abjad_word(const tg__tables *t, const int32_t *cp, size_t n, char *out, size_t cap);
/* Table lookups used by the normaliser (NULL when absent). */
const char *tg__tables_abbrev(const tg__tables *t, const char *tok);
bool tg__tables_drop(const tg__tables *t, const char *tok);
bool tg__tables_place(const tg__tables *t, const char *tok);
/* A generic business word: the canonical form of an abbreviation
 * (abbreviations.tsv: "technology", "international"). */
bool tg__tables_generic(const tg__tables *t, const char *tok);

/* Splits an entry name into the names it carries: "X a.k.a. Y", "X
 * (Y)" with a short Y, "X. Affiliated Entity: Y", "; and any successor..."
 * boilerplate removed.  Calls fn for each part. */
void tg__split_akas(const char *name, void (*fn)(void *ctx, const char *s, size_t n),
                    void *ctx);

/* ---- spellings (screen_norm_spell.c) -------------------------------------------------------- */

/* Jaro-Winkler similarity of two byte strings (prefix scale 0.1, up to 4). */
double tg__jaro_winkler(const char *a, size_t la, const char *b, size_t lb);
int tg__osa_distance(const char *a, size_t la, const char *b, size_t lb, int cap);

#define TG__JOINED_SIM 0.90 /* a joined entry pair ("hongkong") matched by one token */
/* tg__abjad_sim of a Latin spelling an Arabic-script word's letters write */
#define TG__ABJAD_EXACT 0.949f
/* The similarity of two tokens as the scorer uses it: 1 when equal; for
 * words of 4+ bytes within one edit (two from 9 bytes; a transposition is
 * one), 1 - edits / (2 * length); else 0 - or, when higher, tg__fold_sim. */
double tg__token_sim(const char *a, size_t la, const char *b, size_t lb, bool joined);
/* The same with a's spelling fold given (fa, na: tg__fold_spelling of a,
 * for one token compared with many; NULL: folded when needed). */
double tg__token_sim_folded(const char *a, size_t la, const char *fa, size_t na, const char *b,
                            size_t lb, bool joined);
/* The same by spelling alone (no spelling folds). */
double tg__raw_sim(const char *a, size_t la, const char *b, size_t lb, bool joined);

/* The spelling fold of a token (romanization variants folded: "kh" = "h",
 * "w" = "v", g/k, d/t, b/p, s/z, e/i/y, o/u, doubled letters once), into
 * out (cap bytes, NUL-terminated); returns its length. */
size_t tg__fold_spelling(const char *s, size_t n, char *out, size_t cap);
/* The similarity of two tokens by their spelling folds (0 when not near):
 * tokens of one name written in two romanizations. */
double tg__fold_sim(const char *a, size_t la, const char *b, size_t lb);
/* The similarity of a word coded from Arabic script (letter classes of
 * arabic-letters.tsv, the first letter a capital) and a Latin word: 0.95
 * when the Latin spelling is one the word's letters are written by (short
 * vowels free, doubled consonants free), less with one letter off; else 0. */
double tg__abjad_sim(const char *code, size_t lc, const char *latin, size_t ll);
/* A spelling fold without vowels and glides (the first letter kept), as
 * abjad scripts are transliterated; returns its length. */
size_t tg__skeleton(const char *fold, size_t n, char *out);
bool tg__vowelless(const char *s, size_t n); /* 3+ letters, none of a e i o u */
/* A joined unit of the article "al" and an Arabic-script word whose code
 * starts with alef or ayn ("al" + "'Rby"): the Maghreb spelling joins
 * them as "L" (Larbi, Lakhdar); tg__token_sim compares it so. */
bool tg__article_vowel(const char *s, size_t n);
/* A joined unit of the article "al" and any Arabic-script word ("al" +
 * "Bkr"): a Latin spelling may join them ("Albaker"); tg__token_sim
 * compares it so. */
bool tg__article_code(const char *s, size_t n);
/* Two adjacent tokens as one joined unit, into out (cap bytes; returns
 * its length, 0 when it does not fit): written one after the other, but
 * "son of" (ben, bin) before an Arabic-script word is coded with it as the
 * one word بن+name the Latin spellings join ("Benflis" = بن فليس: "Bnflys",
 * compared by tg__abjad_sim). */
size_t tg__join_tokens(const char *a, size_t la, const char *b, size_t lb, char *out, size_t cap);

/* ---- index (screen_index.c) ------------------------------------------------
 *
 *  entries  every entry of every list, with its list and country codes
 *  names    every name of an entry (the name and its a.k.a. parts), as
 *           vocabulary ids: its tokens, then for each adjacent pair the id
 *           of the joined pair ("hong kong" -> "hongkong") or NONE
 *  vocab    distinct tokens and joined pairs, each with an IDF weight and
 *           a postings list of the names that hold it
 *  dels     symmetric-deletion variants of every vocabulary token (k = 0
 *           for <= 3 bytes, 1 up to 9, 2 beyond), hashed: a query token
 *           finds the tokens within its edit distance by hashing its own
 *           variants */

#define TG__NONE UINT32_MAX

typedef struct tg__sentry {
  const tg__entry *e;
  const tg__list *list;
  uint16_t cc[8]; /* country codes as two letters, 0 = none */
  const char *policy; /* tg__screen_policy of the entry */
  int rank;           /* tg__list_rank of its list: ties go to the stronger */
  const tg__entry *also;     /* the same SDN entry on another list, or NULL */
  const tg__list *also_list;
} tg__sentry;

typedef struct tg__sname {
  uint32_t entry;
  uint32_t off;   /* into units: ntok singles then ntok-1 pairs */
  uint32_t text;  /* offset into the text pool */
  uint8_t ntok;
  uint8_t weak;   /* 1: only weak aliases of the entry have these tokens
                     (lists_int.h); matched only exactly (screen_query.c) */
  uint8_t alias;  /* 1: an alias only, not the own name of the entry or of
                     its copy on another list (screen_query.c: common_alias) */
  uint8_t family2; /* 1: its last token is a second family name (tg__tokens) */
} tg__sname;

typedef struct tg__index {
  int refs; /* atomic; the index is freed with the last reference */
  const tg__tables *tables; /* the screener's, which outlives it */
  tg__list **lists; /* a reference to each */
  size_t nlists;

  tg__sentry *entries;
  size_t nentries;
  tg__sname *names;
  size_t nnames;
  uint32_t *units;
  size_t nunits;
  char *text; /* name texts, NUL-separated */
  size_t ntext;

  char *vpool; /* vocabulary strings, NUL-separated */
  size_t nvpool;
  uint32_t *voff; /* string offset of each token */
  uint8_t *vlen;  /* its length */
  float *weight;
  uint8_t *vplace; /* 1 for a place name */
  uint32_t *post_off, *post; /* CSR postings */
  size_t nvocab;
  float unknown_weight;

  uint64_t *vkey; /* token -> id (exact), open addressing */
  uint32_t *vval;
  size_t vmask;
  uint64_t *dkey; /* deletion variants, sorted by bucket (top dbits bits) */
  uint32_t *dval; /* the token id of each */
  uint32_t *doff; /* bucket b holds dkey[doff[b] .. doff[b + 1]) */
  size_t ndel;
  int dbits;

  void *blob; /* read from a cache file: its holder (screen_cache.c), shared
                with the lists whose strings point into it; the arrays
                above from units on point into it; NULL when built */

  /* query scratch blocks (one allocation each), reused */
  pthread_mutex_t mu;
  void **pool;
  size_t npool, cpool;
} tg__index;

/* Builds an index over lists[0..n) (a reference to each is taken).  The
 * tables must outlive the index. */
tg_status tg__index_build(const tg__tables *t, tg__list *const *lists, size_t n, tg__index **out,
                          tg_error *err);
tg__index *tg__index_ref(tg__index *ix);
/* Drops a reference (NULL is ignored). */
void tg__index_release(tg__index *ix);
/* A scratch block from the pool (NULL when empty), and back. */
void *tg__index_scratch_take(tg__index *ix);
void tg__index_scratch_give(tg__index *ix, void *block);

uint64_t tg__hash(const char *s, size_t n);
/* The tokens a deletion variant or fold key belongs to: dval[*from .. *to). */
void tg__del_range(const tg__index *ix, uint64_t key, size_t *from, size_t *to);
/* A name normalised as it is compared: tg__normalize, and a name in the
 * "FAMILY, Given Middle" form (one comma, words on both sides) turned
 * given names first. */
void tg__normalize_name(const tg__tables *t, const char *name, tg__tokens *out);
/* Vocabulary id of a token, or TG__NONE. */
uint32_t tg__vocab_find(const tg__index *ix, const char *tok, size_t n);
/* Deletion variants of s (up to k deletions), as hashes; returns count. */
size_t tg__deletions(const char *s, size_t n, int k, uint64_t *out, size_t cap);
int tg__del_k(size_t len);
/* Spelling-fold keys of s, hashed apart from the deletion variants: its
 * fold (tg__fold_spelling) and skeleton (tg__skeleton; when `index`, only
 * for a vowelless token such as "mhmd").  Returns the count. */
size_t tg__fold_keys(const char *s, size_t n, bool index, uint64_t *out, size_t cap);
/* The same with s's fold given (f, m: tg__fold_spelling of s). */
size_t tg__fold_keys_folded(const char *s, size_t n, const char *f, size_t m, bool index,
                            uint64_t *out, size_t cap);
/* Whether a joined pair of parts of these lengths is found fuzzily. */
bool tg__joinable_fuzzy(size_t la, size_t lb);

/* ---- index cache (screen_cache.c) ----------------------------------------- */

/* A 64-bit hash of p[0..n) (fast, not cryptographic), chained by seed. */
uint64_t tg__cache_hash(uint64_t seed, const void *p, size_t n);
/* Writes an index to path (beside it, then renamed) under key. */
tg_status tg__index_save(const tg__index *ix, uint64_t key, const char *path, tg_error *err);
/* An index from a cache file's bytes (taken: the index owns blob, or it is
 * freed on failure), when the file carries `key` and is whole and in
 * bounds; TG_EPARSE otherwise. */
tg_status tg__index_from_blob(const tg__tables *t, void *blob, size_t len, uint64_t key,
                              tg__index **out, tg_error *err);
/* What every cache key starts from: the file format, the code (the
 * object holding the library: size, time, inode) and the contents of the
 * tables (every file of DATA_DIR/screening/). */
uint64_t tg__cache_base_key(const char *data_dir);
/* Removes the least recently written index files of a cache directory
 * past the `keep` newest (a database or list set each). */
void tg__cache_prune(const char *dir, int keep);
/* Drops the index's reference to the bytes it was read from (freed or
 * unmapped with the last: its lists hold references too). */
void tg__index_blob_free(tg__index *ix);
/* The same from a file, mapped (TG_ENOTFOUND when there is none). */
tg_status tg__index_load_file(const tg__tables *t, const char *path, uint64_t key, tg__index **out,
                              tg_error *err);

/* ---- score (screen_score.c) ------------------------------------------------ */

#define TG__PLACE_Q 0.3 /* weight of an unmatched place in the query */

/* A token (mask has one bit, its position) or a joined pair of adjacent
 * tokens (two bits). */
typedef struct tg__unit {
  char s[TG__MAX_TOKEN * 2];
  size_t len;
  uint32_t mask;
  bool wide; /* a joined pair of two full words: found only as written */
  bool alone; /* a coded "son of" join for its word alone: paired with one word */
} tg__unit;

/* Tokens, joined pairs and the other readings of Han syllables. */
#define TG__MAX_UNITS (TG__MAX_TOKENS * 5)
typedef struct tg__unitset {
  int n;
  tg__unit u[TG__MAX_UNITS];
} tg__unitset;

typedef struct tg__pair {
  uint32_t qmask, cmask; /* query tokens, entry tokens */
  float sim;
  uint8_t kind; /* TG__PAIR_* */
} tg__pair;

#define TG__PAIR_SPELLING 0 /* by spelling (Jaro-Winkler or equal) */
#define TG__PAIR_FOLDED 1   /* by spelling folds only (romanizations) */
#define TG__PAIR_INITIAL 2  /* an initial and its name ("A." = "Ali") */

typedef struct tg__alignment {
  double score;    /* the scorer's: logistic of the weighted features */
  double coverage; /* the weighted-coverage prefilter score */
  int npairs;
  tg__pair pairs[TG__MAX_TOKENS];
  uint32_t qused, cused;
  uint32_t qweak, cweak; /* names matched by their initial only */
  bool common_name;      /* both one of the most common Chinese names: capped */
  bool common_alias;     /* a person found by an alias of common names only: capped */
  bool kin;              /* the query names a relative of the listed person: capped */
  bool generic_place;    /* common words only, the entry's place left out: capped */
  float f[TG__NFEAT];
} tg__alignment;

/* A name's side of a comparison: tokens (strings), IDF weights, place
 * flags. */
typedef struct tg__side {
  int n;
  const char *tok[TG__MAX_TOKENS];
  const char (*alt)[TG__ALT_LEN]; /* other readings of Han syllables, or NULL */
  const float *w;
  const uint8_t *place;
  bool family2; /* the last token is a second family name (tg__tokens) */
} tg__side;

void tg__units(const tg__tokens *t, tg__unitset *u);
/* Pairs of a Korean name's syllables written in Latin (both names two to
 * four words with a Korean surname first or last) that spell different
 * Hangul syllables (Jong and Yong: 정, 영) taken out of pairs[0..np):
 * a syllable apart is another person, as a different given name is;
 * spellings of one syllable (Jong, Jeong, Chong) and words that spell
 * none stay.  Returns the pairs left. */
int tg__korean_pairs(const tg__tables *t, const tg__side *q, const tg__side *c, tg__pair *pairs, int np);
/* The side of a tokenised name with its weights. */
void tg__side_of(const tg__tokens *t, const float *w, tg__side *s);
/* Greedy best-first alignment of candidate pairs (reordered in place),
 * initials then paired with the names left; sets coverage, qused, cused,
 * pairs.  Returns coverage. */
double tg__align(const tg__side *q, const tg__side *c, tg__pair *pairs, int np,
                 tg__alignment *out);
/* Features of an alignment and the score from the tables' weights
 * (al->f, al->score).  max_weight is the IDF of an unseen token. */
double tg__judge(const tg__tables *t, const tg__side *q, const tg__side *c, float max_weight,
                 tg__alignment *al);
/* Scores two token lists with their weights directly (no index). */
double tg__score_names(const tg__tables *tab, const tg__tokens *ta, const tg__unitset *a,
                       const float *wa, const tg__tokens *tb, const tg__unitset *b,
                       const float *wb, float max_weight, tg__alignment *out);

/* ---- query (screen_query.c) ------------------------------------------------ */

typedef struct tg__query {
  const tg__index *ix;
  tg__tokens t;
  tg__unitset units;
  float w[TG__MAX_TOKENS];        /* weight of each query token */
  float best_sim[TG__MAX_TOKENS]; /* of the vocabulary token it weighs as */
} tg__query;

typedef struct tg__hit {
  uint32_t entry, name; /* into the index's entries and names */
  double score;
  int rank; /* of the entry's list */
  tg__alignment al;
} tg__hit;

/* Screens a name: up to cap hits at or above min_score, best first.
 * Returns the count, or -1 when out of memory. */
int tg__screen_query(const tg__index *ix, tg__query *q, const char *name, const char *country,
                     double min_score, tg__hit *hits, int cap);
/* Weights of tokens as the index gives them (without lists: the reference
 * weights of token-df.tsv, tg__tables_ref_weight). */
void tg__weigh(const tg__index *ix, const tg__tokens *t, float *w);
/* The IDF an unseen token weighs (without lists: the reference table's). */
float tg__unknown_weight(const tg__index *ix);

/* ---- the edge: screener, check hook, JSON ----------------------------------- */

struct tg_screener {
  const tg_engine *engine;
  tg__tables *tables;
  pthread_mutex_t mu;      /* guards ix: held only to swap it or take a reference */
  pthread_mutex_t load_mu; /* one load (index build) at a time */
  tg__index *ix;           /* the current index; readers take a reference */
  char *cache_dir;         /* tg_screener_set_cache: where built indexes are kept */
  uint64_t base_key;       /* tg__cache_base_key, once (0 = not yet) */
};

/* The screener's current index, with a reference (never NULL for a
 * screener; NULL for NULL).  Release it with tg__index_release. */
tg__index *tg__screener_acquire(const tg_screener *sc);

#define TG__HITS_PER_PARTY 5

/* An order's parties as screened (screen_hook.c): structs, rendered by
 * tg__screen_check_json. */
typedef struct tg__party_hits {
  const char *role, *who;
  int n;
  tg__tokens t; /* the party's name as tokens */
  tg__hit hits[TG__HITS_PER_PARTY];
  int64_t cleared[TG__HITS_PER_PARTY]; /* the clearance of each hit, 0 = none */
} tg__party_hits;

/* Hits cleared as false positives (tg_cleared_load, ledger_clearances.c):
 * party name folded (tg__party_key), list, entry name, list version
 * (tg__list_version) and the clearance's id. */
typedef struct tg__cleared_hit {
  char *key, *list, *entry, *version;
  int64_t id;
} tg__cleared_hit;
struct tg_cleared {
  size_t n;
  tg__cleared_hit *v;
};
/* A party's name folded: ASCII lower case, runs of blanks as one space. */
void tg__party_key(const char *party, char *out, size_t n);
/* A list's version as decisions name it: "TITLE, published DATE" (or
 * "TITLE, date not stated"). */
void tg__list_version(const char *title, const char *published, char *out, size_t n);

typedef struct tg__screen_check {
  const tg__index *ix; /* NULL: no screener */
  bool named;          /* any party named */
  double threshold;
  tg_date as_of;       /* of the lists' age; 0 = unknown */
  int max_age_days;
  int nparties;
  tg__party_hits party[3];
} tg__screen_check;

/* Screens an order's parties with the index `ix` (the order's screener's,
 * held by the caller for the whole decision; NULL when none) and sets the
 * facts party_listed, party_list, party_policy (borrowed from ix). */
tg_status tg__screen_order(const tg_order *o, const tg__index *ix, struct tg__facts *f,
                           tg__screen_check *out, tg_error *err);

/* JSON (screen_json.c).  A check's screening as reasons (appended), stale
 * list warnings (appended) and its evidence (*evidence, new reference;
 * NULL when no party was named). */
void tg__screen_check_json(const tg__screen_check *c, json_t *reasons, json_t *warnings,
                           json_t **evidence);
/* What a screening rests on: {"threshold", "lists": [{kind, title,
 * published, files, entries, age_days, stale}], "entries", "max_age_days",
 * "stale"}; as_of 0 = age unknown; max_age_days <= 0 = 30.  New reference. */
json_t *tg__screen_evidence(const tg__index *ix, double threshold, tg_date as_of, int max_age_days);
/* Appends a warning for each stale or undated list of an evidence object. */
void tg__screen_stale_warnings(const json_t *ev, json_t *warnings);
/* A hit as JSON: score, list, entry, matched name, tokens, features, policy. */
json_t *tg__hit_json(const tg__index *ix, const tg__tokens *q, const tg__hit *h);
/* The tokens an alignment paired, as [{"query","entry","score","by"}]. */
json_t *tg__pairs_json(const tg__tokens *a, const tg__tokens *b, const tg__alignment *al);
/* The score explained: each feature's value, weight and contribution. */
json_t *tg__features_json(const tg__tables *t, const tg__alignment *al);
/* Tokens not in `used`, as a JSON array of strings. */
json_t *tg__unmatched_json(const tg__tokens *t, uint32_t used);
/* tg_screen's answer: the query, its tokens, hits[0..min(n, limit)), the
 * evidence and its warnings.  New reference. */
json_t *tg__screen_answer_json(const tg__index *ix, const char *name, const tg_screen_options *opt,
                               const tg__tokens *q, const tg__hit *hits, int n, int limit,
                               bool lower_bound);
/* tg_screen's answer as a tree, for the library's own callers (who read
 * it rather than parse its text back).  *out a new reference. */
tg_status tg__screen_tree(const tg_screener *sc, const char *name, const tg_screen_options *opt,
                          json_t **out, tg_error *err);
/* tg_match's answer for names a and b as scored in al.  New reference. */
/* A very common name word: in one listed name in this many or more
 * (screen_query.c common_alias). */
#define TG__COMMON_NAMES 1000

/* The explanation of a score capped as a common Chinese name. */
json_t *tg__common_name_json(const tg__tables *t);
json_t *tg__match_json(const tg__tables *t, const char *a, const char *b, const tg__tokens *ta,
                       const tg__tokens *tb, const tg__alignment *al, bool weighted);
/* Text as a JSON string; invalid UTF-8 bytes become U+FFFD. */
json_t *tg__jstr(const char *s);

#endif
