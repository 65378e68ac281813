/* jw.c - the JSON writer (see jw_int.h): jansson's indented format, its
 * string escapes and its number formatting, written straight into a
 * growing buffer. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "jw_int.h"

/* tg__buf_append with the common case (room left) inline. */
static inline void put(tg__jw *w, const char *s, size_t n) {
  tg__buf *b = w->b;
  if (b->len + n + 1 <= b->cap) {
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
  } else {
    tg__buf_append(b, s, n);
  }
}

void tg__jw_init(tg__jw *w, tg__buf *b, int precision) {
  memset(w, 0, sizeof *w);
  w->b = b;
  w->precision = precision > 0 ? precision : 17;
}

void tg__jw_init_nested(tg__jw *w, tg__buf *b, int precision, int depth) {
  tg__jw_init(w, b, precision);
  if (depth < 0 || depth >= TG__JW_MAX_DEPTH) {
    w->failed = true;
    return;
  }
  w->depth = depth;
  w->after_key = true; /* no separator, no indentation before the value */
}

static void newline(tg__jw *w, int depth) {
  static const char spaces[] = "\n                                                                ";
  int n = 2 * depth;
  if (n > (int)sizeof spaces - 2) n = (int)sizeof spaces - 2;
  put(w, spaces, (size_t)n + 1);
}

/* Before any value or key: the separator and indentation it needs. */
static void before(tg__jw *w) {
  if (w->after_key) {
    w->after_key = false;
    return;
  }
  if (w->depth == 0) return;
  if (!w->empty[w->depth - 1]) put(w, ",", 1);
  w->empty[w->depth - 1] = false;
  newline(w, w->depth);
}

static void open_(tg__jw *w, char c) {
  before(w);
  if (w->depth >= TG__JW_MAX_DEPTH) {
    w->failed = true;
    return;
  }
  put(w, &c, 1);
  w->empty[w->depth++] = true;
}

static void close_(tg__jw *w, char c) {
  if (w->depth == 0) {
    w->failed = true;
    return;
  }
  if (!w->empty[--w->depth]) newline(w, w->depth);
  put(w, &c, 1);
}

void tg__jw_object(tg__jw *w) { open_(w, '{'); }
void tg__jw_array(tg__jw *w) { open_(w, '['); }
void tg__jw_end_object(tg__jw *w) { close_(w, '}'); }
void tg__jw_end_array(tg__jw *w) { close_(w, ']'); }

/* Bytes that end a run of plain text: controls (and the NUL), '"', '\\'. */
static const bool needs_escape[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1};

/* Whether any of the 8 bytes of x is a control byte, '"' or '\\' (the
 * bytes needs_escape marks, but for 0x7f and above, which never are). */
static inline bool word_needs_escape(uint64_t x) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  uint64_t ctl = (x - ones * 0x20) & ~x;              /* < 0x20 */
  uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');
  uint64_t eq = ((q - ones) & ~q) | ((bs - ones) & ~bs); /* == '"' or '\\' */
  return ((ctl | eq) & highs) != 0;
}

/* Writes s as a string with jansson's escapes (control characters as
 * \u001F and the like, upper case; UTF-8 passed through), then `tail`
 * (": " after a key), straight into the buffer: room for the longest text
 * it can become (every byte as \u00XX) is made first.  Runs of plain bytes
 * are found 16 bytes at a time (SSE2, x86-64's baseline), then 8, and
 * copied at once. */
static void quoted(tg__jw *w, const char *s, const char *tail, size_t ntail) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(s), i = 0, run = 0;
  tg__buf *b = w->b;
  if (!tg__buf_reserve(b, 6 * n + 2 + ntail)) return;
  char *o = b->data + b->len;
  const unsigned char *p = (const unsigned char *)s;
  *o++ = '"';
  for (;;) {
#ifdef __SSE2__
    /* any byte <= 0x1f (unsigned), '"' or '\\' */
    const __m128i ctl = _mm_set1_epi8(0x1f), dq = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
    while (i + 16 <= n) {
      __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
      __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, dq), _mm_cmpeq_epi8(x, bs)));
      unsigned m = (unsigned)_mm_movemask_epi8(hit);
      if (m) {
        i += (size_t)__builtin_ctz(m);
        break;
      }
      i += 16;
    }
#endif
    while (i + 8 <= n) {
      uint64_t x;
      memcpy(&x, p + i, 8);
      if (word_needs_escape(x)) break;
      i += 8;
    }
    while (i < n && !needs_escape[p[i]]) i++;
    memcpy(o, p + run, i - run);
    o += i - run;
    if (i >= n) break;
    unsigned char ch = p[i];
    *o++ = '\\';
    switch (ch) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '\b': *o++ = 'b'; break;
    case '\f': *o++ = 'f'; break;
    case '\n': *o++ = 'n'; break;
    case '\r': *o++ = 'r'; break;
    case '\t': *o++ = 't'; break;
    default: /* a control character */
      memcpy(o, "u00", 3);
      o[3] = hex[ch >> 4];
      o[4] = hex[ch & 15];
      o += 5;
    }
    run = ++i;
  }
  *o++ = '"';
  memcpy(o, tail, ntail);
  o += ntail;
  *o = '\0';
  b->len = (size_t)(o - b->data);
}

void tg__jw_key(tg__jw *w, const char *k) {
  before(w);
  quoted(w, k, ": ", 2);
  w->after_key = true;
}

void tg__jw_key_text(tg__jw *w, const char *quoted, size_t n) {
  before(w);
  put(w, quoted, n);
  w->after_key = true;
}

void tg__jw_string(tg__jw *w, const char *s) {
  if (!s) {
    tg__jw_null(w);
    return;
  }
  before(w);
  quoted(w, s, "", 0);
}

/* jansson's jsonp_dtostr: "%.*g", ".0" when it reads as an integer, and
 * the exponent without "+" or leading zeros. */
/* The common case without printf: a v of at most `precision` (<= 12)
 * significant digits, 1e-4 <= |v| < 1e9, that some decimal n / 10^d with
 * d <= 9 reads back as exactly (the division is correctly rounded, as
 * reading the decimal is).  Rounding v to `precision` digits then gives
 * that decimal, which "%.*g" prints in fixed notation without trailing
 * zeros.  False: use printf. */
static bool short_real(double v, int precision, char *buf, int *len) {
  static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  double a = fabs(v);
  if (a == 0 && precision >= 1) { /* "%.*g" gives "0" or "-0", then ".0" */
    *len = signbit(v) ? 4 : 3;
    memcpy(buf, signbit(v) ? "-0.0" : "0.0", (size_t)*len + 1);
    return true;
  }
  if (precision > 12 || !(a >= 1e-4 && a < 1e9)) return false; /* NaN too */
  for (int d = 0; d <= 9; d++) {
    double x = a * p10[d];
    if (x >= 1e12) return false;
    long long n = llround(x);
    if ((double)n / p10[d] != a) continue;
    char digits[24];
    int nd = 0;
    for (long long m = n; m; m /= 10) digits[nd++] = (char)('0' + m % 10); /* reversed */
    int lead = 0; /* leading zeros of the significant digits */
    while (lead < nd && digits[nd - 1 - lead] == '0') lead++;
    if (nd - lead > precision) return false;
    int o = 0;
    if (v < 0) buf[o++] = '-';
    if (nd <= d) { /* 0.000ddd */
      buf[o++] = '0';
      buf[o++] = '.';
      for (int z = 0; z < d - nd; z++) buf[o++] = '0';
      for (int i = nd - 1; i >= 0; i--) buf[o++] = digits[i];
    } else {
      for (int i = nd - 1; i >= d; i--) buf[o++] = digits[i];
      buf[o++] = '.';
      if (d == 0) buf[o++] = '0'; /* jansson's ".0" */
      for (int i = d - 1; i >= 0; i--) buf[o++] = digits[i];
    }
    *len = o;
    return true;
  }
  return false;
}

void tg__jw_real(tg__jw *w, double v) {
  before(w);
  char buf[64];
  int len;
  if (short_real(v, w->precision, buf, &len)) {
    put(w, buf, (size_t)len);
    return;
  }
  len = snprintf(buf, sizeof buf, "%.*g", w->precision, v);
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
  put(w, buf, (size_t)len);
}

void tg__jw_int(tg__jw *w, long long v) {
  before(w);
  char buf[24], *o = buf + sizeof buf;
  unsigned long long m = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
  do *--o = (char)('0' + m % 10); /* the digits, last first */
  while (m /= 10);
  if (v < 0) *--o = '-';
  put(w, o, (size_t)(buf + sizeof buf - o));
}

void tg__jw_bool(tg__jw *w, bool v) {
  before(w);
  if (v) put(w, "true", 4);
  else put(w, "false", 5);
}

void tg__jw_null(tg__jw *w) {
  before(w);
  put(w, "null", 4);
}

void tg__jw_raw(tg__jw *w, const char *s, size_t n) {
  before(w);
  put(w, s, n);
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
  if ((b.data = tg__malloc(8192))) { /* a decision's answer: some kilobytes */
    b.cap = 8192;
    b.data[0] = '\0';
  }
  tg__jw w;
  tg__jw_init(&w, &b, precision);
  tg__jw_tree(&w, v);
  if (w.failed || w.depth) {
    tg__buf_free(&b);
    return NULL;
  }
  return tg__buf_detach(&b);
}
