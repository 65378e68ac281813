/* lists_int.h - screening lists, internal: the entries as parsed from the
 * source files (CSL CSV/JSON, OFAC SDN CSV, UN XML), kept in the store, and
 * what an entry's list says about it (rank, policy).  The bottom layer of
 * screening; it calls nothing of screen_*.c.
 *
 * Files, each calling only those above it in this list:
 *   lists_entry.c  entries and lists: allocation, fields, aliases, country
 *                  names to ISO codes, UTF-8 repair, list rank and policy
 *   lists_csv.c    an RFC 4180 reader; the CSL CSV and OFAC's SDN files
 *   lists_json.c   the CSL JSON (compacted and official)
 *   lists_xml.c    the UN consolidated XML
 *   lists_read.c   list files: format sniffed, parsed, OFAC alt/add joined
 *   lists_store.c  lists in the store: import, listing, loading */
#ifndef TG_LISTS_INT_H
#define TG_LISTS_INT_H

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
  /* the last nweak of akas are weak aliases: ones the list itself marks as
   * broad or generic - the UN list's QUALITY "Low", OFAC's weak AKAs (the
   * a.k.a. 'X' of its CSV files' remarks; OFAC FAQ 122-124).  A name that
   * matches only a weak alias is a hit only when it matches it exactly
   * (screen_query.c) */
  size_t nweak;
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
  int refs;        /* references (atomic): screening indexes share lists */
  char *pool;      /* a list read from an index cache (screen_cache.c): its
                      strings point into pool, its entries' akas into
                      akapool.  NULL otherwise */
  char **akapool;
  /* when set, pool is not the list's own block but lies in the cache
   * file's bytes: pool_drop(pool_owner) drops the list's reference to
   * them instead of freeing pool */
  void (*pool_drop)(void *owner);
  void *pool_owner;
} tg__list;

tg__list *tg__list_new(const char *kind, const char *title, const char *format);
/* Drops a reference; the list is freed with the last one. */
void tg__list_free(tg__list *l);
/* Drops a reference to each of v[0..n) and frees the array. */
void tg__lists_free(tg__list **v, size_t n);
/* Takes another reference; returns l. */
tg__list *tg__list_ref(tg__list *l);
/* A new zeroed entry at the end; NULL when out of memory. */
tg__entry *tg__list_add(tg__list *l);
/* Adds an alias (trimmed; nothing when empty): a strong one before the
 * entry's weak aliases, a weak one (weak true) at the end. */
tg_status tg__entry_add_aka(tg__entry *e, const char *s, size_t n);
tg_status tg__entry_add_aka_q(tg__entry *e, const char *s, size_t n, bool weak);
/* Sets *field to a trimmed copy of s[0..n) (NULL when empty). */
tg_status tg__set_field(char **field, const char *s, size_t n);
/* Maps country names in every entry's `countries` to ISO codes (names
 * that no country matches are dropped). */
void tg__list_fix_countries(tg__list *l, const tg_engine *e);
/* Appends s[0..n) to out as valid UTF-8: an invalid byte is read as
 * Windows-1252 (cp1252, the stray bytes found in list files) or, when
 * cp1252 is false, replaced by U+FFFD. */
void tg__utf8_repair(const char *s, size_t n, tg__buf *out, bool cp1252);

/* How strong a list is: DPL > EL > SDN > MEU > UVL > others (0). */
int tg__list_rank(const char *source);
/* Policy named by a list's license_policy text (see lists_entry.c). */
const char *tg__screen_policy(const char *source, const char *policy_text);

/* ---- parsers ---------------------------------------------------------- */

/* `origin` names the text in messages (file:line: ...).  Each returns
 * TG_EPARSE with the line and what was wrong. */
tg_status tg__csl_csv_parse(const char *text, size_t len, const char *origin,
                            tg__list **out, tg_error *err);
tg_status tg__csl_json_parse(const char *text, size_t len, const char *origin,
                             tg__list **out, tg_error *err);
/* China's lists in Tollgate's own format (lists_mofcom.c). */
tg_status tg__mofcom_csv_parse(const char *text, size_t len, const char *origin,
                               tg__list **out, tg_error *err);
tg_status tg__un_xml_parse(const char *text, size_t len, const char *origin,
                           tg__list **out, tg_error *err);
/* OFAC's three files: sdn (required) then optional alt and add, which are
 * merged into the sdn entries by ent_num. */
typedef enum { TG__OFAC_SDN, TG__OFAC_ALT, TG__OFAC_ADD } tg__ofac_kind;
tg_status tg__ofac_csv_parse(tg__list *l, tg__ofac_kind kind, const char *text,
                             size_t len, const char *origin, tg_error *err);

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

/* ---- files and the store ---------------------------------------------- */

/* Guesses a file's format from its first bytes: "csl-json", "un-xml",
 * "csl-csv", "ofac-sdn", "ofac-alt", "ofac-add", "mofcom-csv" or NULL. */
const char *tg__lists_sniff(const char *text, size_t len);
/* Reads and parses list files (format sniffed; OFAC alt/add files join
 * the sdn file of the same call).  Country names are mapped with the
 * engine when it is not NULL.  On success the caller owns the lists and
 * the array (tg__free); on failure nothing is returned. */
tg_status tg__lists_read(const char *const *paths, size_t npaths, const tg_engine *e,
                         tg__list ***out, size_t *nout, tg_error *err);
/* Every stored list with its entries. */
tg_status tg__lists_load(tg_store *s, tg__list ***out, size_t *nout, tg_error *err);
/* What identifies the stored lists without reading their entries, for the
 * screening index cache: the store's path (appended to where) and each
 * list's row - id, kind, title, format, files, published, imported_at,
 * entry count - with the entries' largest id and count (appended to out).
 * An import deletes a kind's rows and writes new ones with new ids. */
tg_status tg__lists_fingerprint(tg_store *s, tg__buf *where, tg__buf *out, tg_error *err);

#endif
