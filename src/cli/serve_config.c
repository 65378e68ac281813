/* serve_config.c - the format of `tollgate serve --config FILE`: lines of
 * `key = value` (keys in SERVE_CONF_KEYS), `#` starting a comment, blank
 * lines ignored, a later line overriding an earlier one.  Parsing only, on
 * a buffer (cmd_serve.c reads the file), so fuzz/fuzz_serve_config.c can
 * drive it; an error names the file, the line and what is wrong. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *const serve_conf_keys[SERVE_CONF_N] = {"listen", "threads", "web",      "max-body",
                                                   "db",     "data",    "max-list-upload"};

#define LINE_MAX_BYTES 1023

/* [p, e) without surrounding blanks. */
static void trim(const char **p, const char **e) {
  while (*p < *e && isspace((unsigned char)**p)) (*p)++;
  while (*e > *p && isspace((unsigned char)(*e)[-1])) (*e)--;
}

static bool fail(char *msg, size_t n, const char *path, int ln, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static bool fail(char *msg, size_t n, const char *path, int ln, const char *fmt, ...) {
  char what[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(msg, n, "%s:%d: %s", path, ln, what);
  return false;
}

/* One line [p, e); false with the message on a bad one. */
static bool parse_line(const char *p, const char *e, const char *path, int ln,
                       char *vals[SERVE_CONF_N], char *msg, size_t n) {
  if (memchr(p, '\0', (size_t)(e - p))) return fail(msg, n, path, ln, "contains a NUL byte");
  if (e - p > LINE_MAX_BYTES)
    return fail(msg, n, path, ln, "line longer than %d bytes", LINE_MAX_BYTES);
  const char *hash = memchr(p, '#', (size_t)(e - p));
  if (hash) e = hash;
  trim(&p, &e);
  if (p == e) return true;
  const char *eq = memchr(p, '=', (size_t)(e - p));
  if (!eq) return fail(msg, n, path, ln, "expected 'key = value'");
  const char *ke = eq, *vp = eq + 1, *ve = e;
  trim(&p, &ke);
  trim(&vp, &ve);
  char key[64];
  snprintf(key, sizeof key, "%.*s", (int)(ke - p < 63 ? ke - p : 63), p);
  int k = 0;
  while (k < SERVE_CONF_N && ((size_t)(ke - p) != strlen(serve_conf_keys[k]) ||
                              strncmp(p, serve_conf_keys[k], (size_t)(ke - p))))
    k++;
  if (k == SERVE_CONF_N)
    return fail(msg, n, path, ln,
                "unknown setting '%s' (listen, threads, web, max-body, db, data, max-list-upload)", key);
  if (vp == ve) return fail(msg, n, path, ln, "'%s' has no value", key);
  char *v = malloc((size_t)(ve - vp) + 1);
  if (!v) return fail(msg, n, path, ln, "out of memory");
  memcpy(v, vp, (size_t)(ve - vp));
  v[ve - vp] = '\0';
  free(vals[k]);
  vals[k] = v;
  return true;
}

bool serve_config_parse(const char *text, size_t len, const char *path,
                        char *vals[SERVE_CONF_N], char *msg, size_t n) {
  int ln = 0;
  for (const char *p = text, *end = text + len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    if (!parse_line(p, e, path, ++ln, vals, msg, n)) return false;
    p = nl ? nl + 1 : end;
  }
  return true;
}
