/* yaml_int.h - YAML for the data-file readers: a document parsed by
 * libfyaml into a compact tree with positioned diagnostics, and typed
 * access to its nodes that reports file:line:column on any mismatch. */
#ifndef TG_YAML_INT_H
#define TG_YAML_INT_H

#include <stdint.h>

#include "tg_int.h"

/* A parsed document is our own tree, built from libfyaml's parser events
 * into one arena (no libfyaml document: building, looking up and freeing
 * its nodes was most of an engine open).  Positions are kept for scalars;
 * a collection's position is its first key or item's. */
typedef enum { TG__Y_SCALAR, TG__Y_SEQ, TG__Y_MAP } tg__ytype;
/* scalar styles: alias (*name) scalars carry the anchor's name */
typedef enum {
  TG__YS_PLAIN,
  TG__YS_SINGLE,
  TG__YS_DOUBLE,
  TG__YS_LITERAL,
  TG__YS_FOLDED,
  TG__YS_ALIAS
} tg__ystyle;

typedef struct tg__ynode tg__ynode;
typedef struct tg__ypair {
  tg__ynode *key, *value;
} tg__ypair;
struct tg__ynode {
  uint8_t type, style;
  int line, col;    /* 1-based, of a scalar (0 when unknown) */
  const char *text; /* a scalar's text, NUL-terminated (it may hold NULs) */
  size_t len;
  size_t n;         /* a sequence's items or a mapping's pairs */
  union {
    tg__ynode **items;
    tg__ypair *pairs;
  };
};

typedef struct tg__yarena tg__yarena;
typedef struct tg__yaml {
  tg__ynode *root;
  const char *origin; /* file name used in messages */
  tg__yarena *arena;  /* every node and text of the document */
} tg__yaml;

/* Parses (a copy of) text; TG_EPARSE with "origin:line:col: message" on
 * bad YAML.  Text in the plain subset the data files use is read by the
 * quick reader, anything else by libfyaml: the same tree either way. */
tg_status tg__yaml_load(tg__yaml *y, const char *text, size_t len,
                        const char *origin, tg_error *err);
void tg__yaml_free(tg__yaml *y);
/* tg__yaml_load's two readers, for tests: libfyaml's alone (same contract
 * as tg__yaml_load), and the quick one of the plain subset of YAML
 * (yaml_fast.c), which fills y and returns true, or returns false with y
 * empty when the text is outside the subset. text must be valid UTF-8
 * without NUL bytes. */
tg_status tg__yaml_load_libfyaml(tg__yaml *y, const char *text, size_t len,
                                 const char *origin, tg_error *err);
bool tg__yaml_fast(tg__yaml *y, const char *text, size_t len);
/* n bytes (16-aligned) in y's arena; NULL when out of memory. */
void *tg__yaml_alloc(tg__yaml *y, size_t n);
/* Whether two trees hold the same nodes (types, styles, texts, positions). */
bool tg__yaml_same(const tg__ynode *a, const tg__ynode *b);
/* Reads and parses the file at path and finds the list under the
 * top-level `key` (*list, with *count items).  On success the caller frees
 * y; on failure y is already freed. */
tg_status tg__yaml_load_list(tg__yaml *y, const char *path, const char *key,
                             tg__ynode **list, int *count, tg_error *err);
tg__ynode *tg__yaml_root(tg__yaml *y);

/* 1-based line and column of a node (0 when unknown). */
void tg__yaml_pos(tg__ynode *n, int *line, int *col);
/* Sets err to "origin:line:col: <message>" for node n and returns st. */
tg_status tg__yaml_error(tg__yaml *y, tg__ynode *n, tg_error *err,
                         tg_status st, const char *fmt, ...) TG__PRINTF(5, 6);

bool tg__yaml_is_map(tg__ynode *n);
bool tg__yaml_is_seq(tg__ynode *n);
bool tg__yaml_is_scalar(tg__ynode *n);
/* NUL-terminated copy of a scalar's text (caller frees); NULL if not a
 * scalar or out of memory. */
char *tg__yaml_strdup(tg__ynode *n);
/* Scalar text compare. */
bool tg__yaml_eq(tg__ynode *n, const char *s);
/* True for the plain scalars null, ~ and the empty scalar. */
bool tg__yaml_is_null(tg__ynode *n);
/* Parses a scalar as a finite number; false if it is not one. */
bool tg__yaml_number(tg__ynode *n, double *v);
/* Parses true/false (also yes/no); false if neither. */
bool tg__yaml_bool(tg__ynode *n, bool *v);
/* Looks up key in a mapping (NULL when absent or n is not a mapping). */
tg__ynode *tg__yaml_get(tg__ynode *map, const char *key);
/* Items of a sequence (0 for anything else). */
int tg__yaml_count(tg__ynode *n);
/* Iteration as libfyaml's: *it starts NULL; NULL after the last. */
tg__ynode *tg__yaml_seq_next(tg__ynode *seq, void **it);
tg__ypair *tg__yaml_map_next(tg__ynode *map, void **it);
static inline tg__ynode *tg__yaml_pair_key(tg__ypair *p) { return p->key; }
static inline tg__ynode *tg__yaml_pair_value(tg__ypair *p) { return p->value; }
static inline tg__ystyle tg__yaml_style(tg__ynode *n) { return (tg__ystyle)n->style; }

#endif
