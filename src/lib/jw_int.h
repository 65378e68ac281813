/* jw_int.h - the JSON writer: renders into one growing tg__buf exactly the
 * text jansson's json_dumps gives with JSON_INDENT(2) | JSON_PRESERVE_ORDER
 * and a real precision, either event by event (objects, keys, values) or
 * from a jansson tree, without building or copying anything else. */
#ifndef TG_JW_INT_H
#define TG_JW_INT_H

#include <jansson.h>

#include "tg_int.h"

#define TG__JW_MAX_DEPTH 64

typedef struct tg__jw {
  tg__buf *b;
  int precision;   /* significant digits of reals (jansson's 0 = 17) */
  int depth;
  bool empty[TG__JW_MAX_DEPTH]; /* the open container has no member yet */
  bool after_key;
  bool failed;     /* too deep, a bad value, or out of memory (in b) */
} tg__jw;

void tg__jw_init(tg__jw *w, tg__buf *b, int precision);
/* A writer for one value that will sit `depth` containers deep in a
 * document (its indentation), written without a separator before it; the
 * text is later put in place by tg__jw_raw at that depth. */
void tg__jw_init_nested(tg__jw *w, tg__buf *b, int precision, int depth);
/* Writes a value already rendered (by a nested writer at this depth). */
void tg__jw_raw(tg__jw *w, const char *s, size_t n);
void tg__jw_object(tg__jw *w);
void tg__jw_array(tg__jw *w);
void tg__jw_end_object(tg__jw *w);
void tg__jw_end_array(tg__jw *w);
void tg__jw_key(tg__jw *w, const char *k);
/* A key given already quoted with its ": " (n bytes), as TG__JW_KEY makes
 * it from a string literal that needs no escapes. */
void tg__jw_key_text(tg__jw *w, const char *quoted, size_t n);
#define TG__JW_KEY(w, lit) tg__jw_key_text((w), "\"" lit "\": ", sizeof(lit) + 3)
void tg__jw_string(tg__jw *w, const char *s); /* NULL writes null */
void tg__jw_real(tg__jw *w, double v);
void tg__jw_int(tg__jw *w, long long v);
void tg__jw_bool(tg__jw *w, bool v);
void tg__jw_null(tg__jw *w);
/* Writes a jansson value (its members in insertion order). */
void tg__jw_tree(tg__jw *w, const json_t *v);

/* A jansson tree as text the way json_dumps(v, JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(precision)) gives it; NULL on
 * failure.  Caller frees with tg_free. */
char *tg__jw_dumps(const json_t *v, int precision);

#endif
