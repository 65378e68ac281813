/* yaml_int.h - thin helpers over libfyaml for the data-file readers:
 * loading a document with positioned diagnostics, and typed access to
 * nodes that reports file:line:column on any mismatch. */
#ifndef TG_YAML_INT_H
#define TG_YAML_INT_H

#include <libfyaml.h>

#include "tg_int.h"

typedef struct tg__yaml {
  struct fy_document *doc;
  const char *origin; /* file name used in messages */
  char *text;         /* our copy of the input: libfyaml points into it */
} tg__yaml;

/* Parses (a copy of) text; TG_EPARSE with "origin:line:col: message" on bad YAML. */
tg_status tg__yaml_load(tg__yaml *y, const char *text, size_t len,
                        const char *origin, tg_error *err);
void tg__yaml_free(tg__yaml *y);
/* Reads and parses the file at path and finds the list under the
 * top-level `key` (*list, with *count items).  On success the caller frees
 * y; on failure y is already freed. */
tg_status tg__yaml_load_list(tg__yaml *y, const char *path, const char *key,
                             struct fy_node **list, int *count, tg_error *err);
struct fy_node *tg__yaml_root(tg__yaml *y);

/* 1-based line and column of a node (0 when unknown). */
void tg__yaml_pos(struct fy_node *n, int *line, int *col);
/* Sets err to "origin:line:col: <message>" for node n and returns st. */
tg_status tg__yaml_error(tg__yaml *y, struct fy_node *n, tg_error *err,
                         tg_status st, const char *fmt, ...) TG__PRINTF(5, 6);

bool tg__yaml_is_map(struct fy_node *n);
bool tg__yaml_is_seq(struct fy_node *n);
bool tg__yaml_is_scalar(struct fy_node *n);
/* NUL-terminated copy of a scalar's text (caller frees); NULL if not a
 * scalar or out of memory. */
char *tg__yaml_strdup(struct fy_node *n);
/* Scalar text compare. */
bool tg__yaml_eq(struct fy_node *n, const char *s);
/* True for the plain scalars null, ~ and the empty scalar. */
bool tg__yaml_is_null(struct fy_node *n);
/* Parses a scalar as a finite number; false if it is not one. */
bool tg__yaml_number(struct fy_node *n, double *v);
/* Parses true/false (also yes/no); false if neither. */
bool tg__yaml_bool(struct fy_node *n, bool *v);
/* Looks up key in a mapping (NULL when absent or n is not a mapping). */
struct fy_node *tg__yaml_get(struct fy_node *map, const char *key);

#endif
