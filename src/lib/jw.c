/* jw.c - the JSON writer (see jw_int.h): jansson's indented format, its
 * string escapes and its number formatting, written straight into a
 * growing buffer. */
#include <stdio.h>
#include <string.h>

#include "jw_int.h"

void tg__jw_init(tg__jw *w, tg__buf *b, int precision) {
  memset(w, 0, sizeof *w);
  w->b = b;
  w->precision = precision > 0 ? precision : 17;
}

static void newline(tg__jw *w, int depth) {
  static const char spaces[] = "\n                                                                ";
  int n = 2 * depth;
  if (n > (int)sizeof spaces - 2) n = (int)sizeof spaces - 2;
  tg__buf_append(w->b, spaces, (size_t)n + 1);
}

/* Before any value or key: the separator and indentation it needs. */
static void before(tg__jw *w) {
  if (w->after_key) {
    w->after_key = false;
    return;
  }
  if (w->depth == 0) return;
  if (!w->empty[w->depth - 1]) tg__buf_append(w->b, ",", 1);
  w->empty[w->depth - 1] = false;
  newline(w, w->depth);
}

static void open_(tg__jw *w, char c) {
  before(w);
  if (w->depth >= TG__JW_MAX_DEPTH) {
    w->failed = true;
    return;
  }
  tg__buf_append(w->b, &c, 1);
  w->empty[w->depth++] = true;
}

static void close_(tg__jw *w, char c) {
  if (w->depth == 0) {
    w->failed = true;
    return;
  }
  if (!w->empty[--w->depth]) newline(w, w->depth);
  tg__buf_append(w->b, &c, 1);
}

void tg__jw_object(tg__jw *w) { open_(w, '{'); }
void tg__jw_array(tg__jw *w) { open_(w, '['); }
void tg__jw_end_object(tg__jw *w) { close_(w, '}'); }
void tg__jw_end_array(tg__jw *w) { close_(w, ']'); }

/* A string with jansson's escapes (control characters as \u001F and the like, upper
 * case; UTF-8 passed through). */
static void quoted(tg__jw *w, const char *s) {
  tg__buf_append(w->b, "\"", 1);
  const char *run = s;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    const char *esc = NULL;
    char u[8];
    switch (*p) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    default:
      if (*p < 0x20) {
        snprintf(u, sizeof u, "\\u%04X", *p);
        esc = u;
      }
    }
    if (!esc) continue;
    tg__buf_append(w->b, run, (size_t)((const char *)p - run));
    tg__buf_puts(w->b, esc);
    run = (const char *)p + 1;
  }
  tg__buf_puts(w->b, run);
  tg__buf_append(w->b, "\"", 1);
}

void tg__jw_key(tg__jw *w, const char *k) {
  before(w);
  quoted(w, k);
  tg__buf_append(w->b, ": ", 2);
  w->after_key = true;
}

void tg__jw_string(tg__jw *w, const char *s) {
  if (!s) {
    tg__jw_null(w);
    return;
  }
  before(w);
  quoted(w, s);
}

/* jansson's jsonp_dtostr: "%.*g", ".0" when it reads as an integer, and
 * the exponent without "+" or leading zeros. */
void tg__jw_real(tg__jw *w, double v) {
  before(w);
  char buf[64];
  int len = snprintf(buf, sizeof buf, "%.*g", w->precision, v);
  if (len < 0 || len >= (int)sizeof buf - 3 || v != v || v - v != 0) {
    w->failed = true; /* NaN and infinities are not JSON */
    return;
  }
  if (strspn(buf, "0123456789-") == (size_t)len) {
    memcpy(buf + len, ".0", 3);
    len += 2;
  }
  char *e = strchr(buf, 'e');
  if (e) {
    char *start = e + 1, *end = start + 1;
    if (*start == '-') start++;
    while (*end == '0') end++;
    if (end != start) {
      memmove(start, end, (size_t)(len - (end - buf)) + 1);
      len -= (int)(end - start);
    }
  }
  tg__buf_append(w->b, buf, (size_t)len);
}

void tg__jw_int(tg__jw *w, long long v) {
  before(w);
  char buf[32];
  int len = snprintf(buf, sizeof buf, "%lld", v);
  tg__buf_append(w->b, buf, (size_t)len);
}

void tg__jw_bool(tg__jw *w, bool v) {
  before(w);
  tg__buf_puts(w->b, v ? "true" : "false");
}

void tg__jw_null(tg__jw *w) {
  before(w);
  tg__buf_puts(w->b, "null");
}

void tg__jw_tree(tg__jw *w, const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    tg__jw_object(w);
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
      tg__jw_key(w, k);
      tg__jw_tree(w, x);
    }
    tg__jw_end_object(w);
    break;
  }
  case JSON_ARRAY: {
    tg__jw_array(w);
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) tg__jw_tree(w, x);
    tg__jw_end_array(w);
    break;
  }
  case JSON_STRING: tg__jw_string(w, json_string_value(v)); break;
  case JSON_INTEGER: tg__jw_int(w, (long long)json_integer_value(v)); break;
  case JSON_REAL: tg__jw_real(w, json_real_value(v)); break;
  case JSON_TRUE: tg__jw_bool(w, true); break;
  case JSON_FALSE: tg__jw_bool(w, false); break;
  case JSON_NULL: tg__jw_null(w); break;
  }
}

char *tg__jw_dumps(const json_t *v, int precision) {
  if (!v) return NULL;
  tg__buf b;
  tg__buf_init(&b);
  tg__jw w;
  tg__jw_init(&w, &b, precision);
  tg__jw_tree(&w, v);
  if (w.failed || w.depth) {
    tg__buf_free(&b);
    return NULL;
  }
  return tg__buf_detach(&b);
}
