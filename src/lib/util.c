/* util.c - the allocation wrapper, status names, error setting, string
 * buffers and file reading used by every module. */
#include "tg_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long alloc_fail_countdown = -1; /* test hook; -1 = never fail */

void tg__alloc_fail_after(long n) { alloc_fail_countdown = n; }

static bool alloc_should_fail(void) {
  if (alloc_fail_countdown < 0) return false;
  if (alloc_fail_countdown == 0) return true;
  alloc_fail_countdown--;
  return false;
}

void *tg__malloc(size_t n) {
  if (alloc_should_fail()) return NULL;
  return malloc(n ? n : 1);
}
void *tg__calloc(size_t n, size_t size) {
  if (alloc_should_fail()) return NULL;
  return calloc(n ? n : 1, size ? size : 1);
}
void *tg__realloc(void *p, size_t n) {
  if (alloc_should_fail()) return NULL;
  return realloc(p, n ? n : 1);
}
void tg__free(void *p) { free(p); }

bool tg__grow(void *array, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return true;
  size_t c = *cap ? *cap : 16;
  while (c < need) {
    if (c > SIZE_MAX / 2) return false;
    c *= 2;
  }
  if (size && c > SIZE_MAX / size) return false;
  void *old;
  memcpy(&old, array, sizeof old);
  void *p = tg__realloc(old, c * size);
  if (!p) return false;
  memcpy(array, &p, sizeof p);
  *cap = c;
  return true;
}
void tg_free(void *p) { free(p); }

char *tg__strndup(const char *s, size_t n) {
  char *d = tg__malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}
char *tg__strdup(const char *s) { return s ? tg__strndup(s, strlen(s)) : NULL; }

/* One table for names and texts, indexed by status (append only). */
static const struct {
  const char *name, *text;
} status_table[TG_STATUS_MAX] = {
    [TG_OK] = {"ok", "success"},
    [TG_ENOMEM] = {"nomem", "out of memory"},
    [TG_EINVAL] = {"inval", "invalid argument or input value"},
    [TG_EPARSE] = {"parse", "malformed file or text"},
    [TG_ENOTFOUND] = {"notfound", "not found"},
    [TG_EIO] = {"io", "file could not be read or written"},
    [TG_ESTORE] = {"store", "database error"},
    [TG_EVERSION] = {"version", "database written by a newer Tollgate"},
    [TG_EREFUSED] = {"refused", "refused by a business rule"},
    [TG_ECONFLICT] = {"conflict", "already exists"},
    [TG_EDENIED] = {"denied", "access denied"},
    [TG_ETAMPER] = {"tamper", "records do not match their audit chain"},
    [TG_EBUSY] = {"busy", "the database is busy; retry later"},
};

const char *tg_status_name(tg_status st) {
  if ((unsigned)st >= TG_STATUS_MAX) return "unknown";
  return status_table[st].name;
}
const char *tg_strerror(tg_status st) {
  if ((unsigned)st >= TG_STATUS_MAX) return "unknown status";
  return status_table[st].text;
}

tg_status tg__set_error(tg_error *err, tg_status st, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    err->status = st;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return st;
}

void tg__buf_init(tg__buf *b) { memset(b, 0, sizeof *b); }
void tg__buf_free(tg__buf *b) {
  tg__free(b->data);
  tg__buf_init(b);
}

bool tg__buf_reserve(tg__buf *b, size_t extra) {
  if (b->oom) return false;
  if (b->len + extra + 1 <= b->cap) return true;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  char *d = tg__realloc(b->data, cap);
  if (!d) {
    b->oom = true;
    return false;
  }
  b->data = d;
  b->cap = cap;
  return true;
}

void tg__buf_append(tg__buf *b, const char *s, size_t n) {
  if (!tg__buf_reserve(b, n)) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}
void tg__buf_puts(tg__buf *b, const char *s) { tg__buf_append(b, s, strlen(s)); }

void tg__buf_printf(tg__buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n >= 0 && tg__buf_reserve(b, (size_t)n)) {
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

char *tg__buf_detach(tg__buf *b) {
  if (b->oom) {
    tg__buf_free(b);
    return NULL;
  }
  if (!b->data && !tg__buf_reserve(b, 0)) return NULL;
  b->data[b->len] = '\0'; /* an empty buffer was never terminated */
  char *d = b->data;
  tg__buf_init(b);
  return d;
}

size_t tg__copy(char *out, size_t n, const char *s) {
  size_t len = strlen(s);
  if (n) {
    size_t k = len < n ? len : n - 1;
    memcpy(out, s, k);
    out[k] = '\0';
  }
  return len;
}

size_t tg__cat(char *out, size_t n, size_t k, const char *const *parts) {
  size_t len = 0;
  for (size_t i = 0; i < k; i++) {
    size_t m = strlen(parts[i]);
    if (len + 1 < n) {
      size_t room = n - 1 - len;
      memcpy(out + len, parts[i], m < room ? m : room);
    }
    len += m;
  }
  if (n) out[len < n ? len : n - 1] = '\0';
  return len;
}

void tg__fmt_number(double v, char *out, size_t n) {
  if (isnan(v)) {
    snprintf(out, n, "unknown");
  } else if (v == floor(v) && fabs(v) < 1e15) {
    /* "%.0f" of an integer below 1e15 is its digits (and "-0" for -0.0),
     * written here without printf */
    char d[24];
    size_t k = sizeof d;
    d[--k] = '\0';
    uint64_t u = (uint64_t)fabs(v);
    do d[--k] = (char)('0' + u % 10); while ((u /= 10) != 0);
    if (signbit(v)) d[--k] = '-';
    tg__copy(out, n, d + k);
  } else {
    if (fabs(v) >= 1000) snprintf(out, n, "%.1f", v);
    else if (fabs(v) >= 100) snprintf(out, n, "%.2f", v);
    else snprintf(out, n, "%.3g", v);
  }
}

tg_status tg__read_file(const char *path, char **out, size_t *len,
                        tg_error *err) {
  *out = NULL;
  /* open/read, not stdio: no stream buffer to allocate and copy through */
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return tg__set_error(err, TG_EIO, "cannot open '%s': %s", path,
                         strerror(errno));
  tg__buf b;
  tg__buf_init(&b);
  struct stat sb;
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 && sb.st_size < (1 << 30))
    tg__buf_reserve(&b, (size_t)sb.st_size + 1); /* one read, and the read of its end */
  bool bad = false;
  for (;;) {
    if (b.cap - b.len < 2 && !tg__buf_reserve(&b, 8192)) break; /* oom: detach reports it */
    ssize_t n = read(fd, b.data + b.len, b.cap - b.len - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      bad = n < 0;
      break;
    }
    b.len += (size_t)n;
  }
  close(fd);
  if (bad) {
    tg__buf_free(&b);
    return tg__set_error(err, TG_EIO, "cannot read '%s'", path);
  }
  size_t l = b.len;
  char *d = tg__buf_detach(&b);
  if (!d) return tg__set_error(err, TG_ENOMEM, "out of memory reading '%s'", path);
  *out = d;
  if (len) *len = l;
  return TG_OK;
}

int tg__edit_distance(const char *a, const char *b, int cap) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return cap;
  int row[65];
  for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int prev = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= lb; j++) {
      int cur = row[j];
      int sub = prev + (a[i - 1] != b[j - 1]);
      int del = row[j] + 1, ins = row[j - 1] + 1;
      row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
      prev = cur;
    }
  }
  return row[lb] < cap ? row[lb] : cap;
}
