/* jval_int.h - jansson values of an answer built without json_pack: the
 * same values, with ASCII text spared jansson's byte-by-byte UTF-8 check
 * and no format string to parse (they were a fifth of a check). */
#ifndef TG_JVAL_INT_H
#define TG_JVAL_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether json_string(s) takes s (not NULL, UTF-8). */
bool tg__jtext_ok(const char *s);
/* json_string(s): NULL for NULL or text that is not UTF-8, as jansson. */
json_t *tg__jtext(const char *s);
/* What json_pack("{s:s,s:s,...}", k1, v1, ...) gives for the n pairs in
 * kv (keys are ASCII literals, in order): NULL when a value is NULL or
 * not UTF-8. */
json_t *tg__jtexts(size_t n, const char *const *kv);

#endif
