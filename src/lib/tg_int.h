/* tg_int.h - internal helpers shared by every library module: the one
 * allocation wrapper, error setting, a growable string buffer and small
 * string utilities.  Not installed; never included by the CLI. */
#ifndef TG_INT_H
#define TG_INT_H

#include "tollgate.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define TG__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TG__PRINTF(f, a)
#endif

/* All allocation goes through these (cf. sqlite3Malloc).  Tests may make
 * the Nth call fail with tg__alloc_fail_after(). */
void *tg__malloc(size_t n);
void *tg__calloc(size_t n, size_t size);
void *tg__realloc(void *p, size_t n);
void tg__free(void *p);
/* The one growable-array step: makes room for `need` elements of `size`
 * bytes in the array whose pointer is at `array` (a T **) and whose
 * capacity is *cap, doubling from 16; false when out of memory or when the
 * size would overflow (the array and *cap are then kept). */
bool tg__grow(void *array, size_t *cap, size_t need, size_t size);
char *tg__strdup(const char *s);
char *tg__strndup(const char *s, size_t n);
/* Test hook: the n-th allocation from now fails (and every later one until
 * reset with -1).  Not thread-safe; for tests only. */
void tg__alloc_fail_after(long n);

/* Fills err (if not NULL) and returns st. */
tg_status tg__set_error(tg_error *err, tg_status st, const char *fmt, ...)
    TG__PRINTF(3, 4);

/* Growable NUL-terminated string buffer.  On allocation failure the buffer
 * becomes sticky-failed (oom = true) and later appends are no-ops. */
typedef struct tg__buf {
  char *data;
  size_t len, cap;
  bool oom;
} tg__buf;

void tg__buf_init(tg__buf *b);
void tg__buf_free(tg__buf *b);
void tg__buf_append(tg__buf *b, const char *s, size_t n);
/* Makes room for `extra` more bytes and the NUL; false when out of memory
 * (then oom). */
bool tg__buf_reserve(tg__buf *b, size_t extra);
void tg__buf_puts(tg__buf *b, const char *s);
void tg__buf_printf(tg__buf *b, const char *fmt, ...) TG__PRINTF(2, 3);
/* Gives the string to the caller (free with tg_free); NULL after oom. */
char *tg__buf_detach(tg__buf *b);

/* snprintf(out, n, "%s", s) without the format: copies what fits, always
 * terminated (n > 0), and returns strlen(s). */
size_t tg__copy(char *out, size_t n, const char *s);
/* The k strings of parts one after another, as snprintf(out, n, "%s%s...")
 * would write them (cut to fit, always terminated when n > 0); returns
 * the length of the whole. */
size_t tg__cat(char *out, size_t n, size_t k, const char *const *parts);

/* Formats a number the way decisions show it: integers without decimals,
 * others with up to 3 significant decimals ("2368", "2.91", "5.92"). */
void tg__fmt_number(double v, char *out, size_t n);

/* Reads a whole file into a NUL-terminated buffer (caller frees). */
tg_status tg__read_file(const char *path, char **out, size_t *len,
                        tg_error *err);

/* Levenshtein distance, capped at `cap` (returns cap when larger). */
int tg__edit_distance(const char *a, const char *b, int cap);

#endif
