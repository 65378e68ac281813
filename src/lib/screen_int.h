/* screen_int.h - restricted-party screening, internal: list entries as
 * parsed from the source files (CSL CSV/JSON, OFAC SDN CSV, UN XML), name
 * normalisation into tokens, and the screener's index.
 *
 * Pipeline: parse (lists_*.c) -> store (lists_store.c) -> load into a
 * screener (screen_build.c): every entry name and alias is split from its
 * "a.k.a." parts and normalised (screen_norm.c, screen_han.c) into tokens,
 * the distinct tokens form a vocabulary with IDF weights and a
 * symmetric-deletion index -> a query (screen_query.c) finds the vocabulary
 * tokens near each query token, accumulates the weight each name could
 * reach, and scores the survivors token by token (screen_score.c). */
#ifndef TG_SCREEN_INT_H
#define TG_SCREEN_INT_H

#include <stdint.h>

#include "tg_int.h"

/* ---- entries, as parsed and stored -------------------------------- */

typedef struct tg__entry {
  char *source;   /* the list it is on, e.g. "Entity List (EL) - Bureau of
                     Industry and Security" (the CSL's own label) */
  char *ref;      /* entity number / reference number */
  char *type;     /* "Entity", "Individual", "Vessel", ... or NULL */
  char *name;
  char **akas;
  size_t nakas, cakas;
  char *countries; /* comma-separated: ISO codes once imported (the parsers
                      may leave names, tg__list_fix_countries maps them) */
  char *programs, *license_requirement, *license_policy, *fr_notice;
  char *start_date, *url;
} tg__entry;

typedef struct tg__list {
  char *kind;      /* "csl", "ofac", "un": an import replaces its kind */
  char *title;     /* "US Consolidated Screening List" */
  char *format;    /* "csl-csv", "csl-json", "ofac-csv", "un-xml" */
  char *published; /* the list's own date (YYYY-MM-DD) or NULL */
  char *files;     /* the files it was read from, comma-separated */
  tg__entry *entries;
  size_t n, cap;
} tg__list;

tg__list *tg__list_new(const char *kind, const char *title, const char *format);
void tg__list_free(tg__list *l);
/* A new zeroed entry at the end; NULL when out of memory. */
tg__entry *tg__list_add(tg__list *l);
tg_status tg__entry_add_aka(tg__entry *e, const char *s, size_t n);
/* Sets *field to a trimmed copy of s[0..n) (NULL when empty). */
tg_status tg__set_field(char **field, const char *s, size_t n);
/* Maps country names in every entry's `countries` to ISO codes (names
 * that no country matches are dropped). */
void tg__list_fix_countries(tg__list *l, const tg_engine *e);

/* Parsers: `origin` names the text in messages (file:line: ...).  Each
 * returns TG_EPARSE with the line and what was wrong. */
tg_status tg__csl_csv_parse(const char *text, size_t len, const char *origin,
                            tg__list **out, tg_error *err);
tg_status tg__csl_json_parse(const char *text, size_t len, const char *origin,
                             tg__list **out, tg_error *err);
tg_status tg__un_xml_parse(const char *text, size_t len, const char *origin,
                           tg__list **out, tg_error *err);
/* OFAC's three files: sdn (required) then optional alt and add, which are
 * merged into the sdn entries by ent_num. */
typedef enum { TG__OFAC_SDN, TG__OFAC_ALT, TG__OFAC_ADD } tg__ofac_kind;
tg_status tg__ofac_csv_parse(tg__list *l, tg__ofac_kind kind, const char *text,
                             size_t len, const char *origin, tg_error *err);
/* Appends s[0..n) to out as valid UTF-8: an invalid byte is read as
 * Windows-1252 (cp1252, the stray bytes found in list files) or, when
 * cp1252 is false, replaced by U+FFFD. */
void tg__utf8_repair(const char *s, size_t n, tg__buf *out, bool cp1252);
/* Guesses a file's format from its first bytes: "csl-json", "un-xml",
 * "csl-csv", "ofac-sdn", "ofac-alt", "ofac-add" or NULL. */
const char *tg__lists_sniff(const char *text, size_t len);

/* ---- CSV reading (RFC 4180, with line numbers) ---------------------- */

typedef struct tg__csv {
  const char *p, *end;
  int line;          /* line of the record last read (1-based) */
  int next_line;
  char **fields;     /* views into `buf` */
  size_t *lens;
  size_t nfields, cfields;
  char *buf;
  size_t bufcap;
} tg__csv;

void tg__csv_init(tg__csv *c, const char *text, size_t len);
void tg__csv_free(tg__csv *c);
/* 1 = a record, 0 = end, -1 = malformed (msg says why), -2 = no memory. */
int tg__csv_next(tg__csv *c, const char **msg);

/* ---- normalisation -------------------------------------------------- */

typedef struct tg__tables tg__tables; /* suffixes, abbreviations, Han data */

tg_status tg__tables_load(const char *data_dir, tg__tables **out, tg_error *err);
void tg__tables_free(tg__tables *t);

#define TG__MAX_TOKENS 32
#define TG__MAX_TOKEN 48

/* A name as tokens: lower-case, accent-free, legal forms and stopwords
 * removed, abbreviations expanded, Han script as Latin words. */
typedef struct tg__tokens {
  int n;
  char tok[TG__MAX_TOKENS][TG__MAX_TOKEN];
  uint8_t place[TG__MAX_TOKENS]; /* 1 for a place name (places.txt) */
  bool had_han;
  uint8_t scripts; /* TG__SCRIPT_* bits of the name's letters */
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
                   char (*toks)[TG__MAX_TOKEN], uint8_t *syllable, int *ntoks, int cap);
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
  X(one_token_part, "the query is a single token: the share of the entry's weight left")

#define TG__F_ENUM(n, d) TG__F_##n,
enum { TG__FEATURES(TG__F_ENUM) TG__NFEAT };
#undef TG__F_ENUM

/* The names of the features, in order, and what each measures. */
extern const char *const tg__feature_names[TG__NFEAT];
extern const char *const tg__feature_docs[TG__NFEAT];
/* The fitted weights, one per feature (weights.tsv). */
const double *tg__tables_weights(const tg__tables *t);
/* A country or branch qualifier (qualifiers.txt): distinguishing. */
bool tg__tables_qualifier(const tg__tables *t, const char *tok);
/* A name particle or connector (particles.txt: "bin", "al", "van"). */
bool tg__tables_particle(const tg__tables *t, const char *tok);
/* A phrase of phrases.tsv at the start of toks[0..n): its token count
 * (0 = none) and *to, the token it folds to. */
int tg__tables_phrase(const tg__tables *t, char (*toks)[TG__MAX_TOKEN], int n, const char **to);
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

/* ---- scoring ---------------------------------------------------------- */

/* Jaro-Winkler similarity of two byte strings (prefix scale 0.1, up to 4). */
double tg__jaro_winkler(const char *a, size_t la, const char *b, size_t lb);
int tg__osa_distance(const char *a, size_t la, const char *b, size_t lb, int cap);

#define TG__JOINED_SIM 0.90 /* a joined entry pair ("hongkong") matched by one token */
/* The similarity of two tokens as the scorer uses it: 1 when equal; for
 * words of 4+ bytes within one edit (two from 9 bytes; a transposition is
 * one), 1 - edits / (2 * length); else 0 - or, when higher, tg__fold_sim. */
double tg__token_sim(const char *a, size_t la, const char *b, size_t lb, bool joined);
/* The same by spelling alone (no spelling folds). */
double tg__raw_sim(const char *a, size_t la, const char *b, size_t lb, bool joined);

/* The spelling fold of a token (romanization variants folded: "kh" = "h",
 * "w" = "v", g/k, d/t, b/p, s/z, e/i/y, o/u, doubled letters once), into
 * out (cap bytes, NUL-terminated); returns its length. */
size_t tg__fold_spelling(const char *s, size_t n, char *out, size_t cap);
/* The similarity of two tokens by their spelling folds (0 when not near):
 * tokens of one name written in two romanizations. */
double tg__fold_sim(const char *a, size_t la, const char *b, size_t lb);
/* A spelling fold without vowels and glides (the first letter kept), as
 * abjad scripts are transliterated; returns its length. */
size_t tg__skeleton(const char *fold, size_t n, char *out);

/* How strong a list is: DPL > EL > SDN > MEU > UVL > others (0). */
int tg__list_rank(const char *source);
/* Policy named by a list's license_policy text (see screen_hook.c). */
const char *tg__screen_policy(const char *source, const char *policy_text);

#endif
