/* yaml.c - libfyaml helpers: positioned parse errors and typed scalars. */
#include "yaml_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Finds the first byte that is not well-formed UTF-8, or a NUL (YAML does
 * not allow it); false and its 1-based line and column (in characters)
 * when there is one. */
static bool utf8_valid(const unsigned char *s, size_t len, int *line, int *col,
                       size_t *at) {
  int l = 1, c = 1;
  for (size_t i = 0; i < len;) {
    unsigned char b = s[i];
    size_t n = b == 0                   ? 0
               : b < 0x80               ? 1
               : b >= 0xC2 && b <= 0xDF ? 2
               : b >= 0xE0 && b <= 0xEF ? 3
               : b >= 0xF0 && b <= 0xF4 ? 4
                                        : 0;
    bool ok = n > 0 && i + n <= len;
    for (size_t k = 1; ok && k < n; k++) ok = (s[i + k] & 0xC0) == 0x80;
    /* no overlong forms, surrogates or code points above U+10FFFF */
    if (ok && n == 3) ok = !(b == 0xE0 && s[i + 1] < 0xA0) && !(b == 0xED && s[i + 1] > 0x9F);
    if (ok && n == 4) ok = !(b == 0xF0 && s[i + 1] < 0x90) && !(b == 0xF4 && s[i + 1] > 0x8F);
    if (!ok) {
      *line = l;
      *col = c;
      *at = i;
      return false;
    }
    if (b == '\n') {
      l++;
      c = 1;
    } else {
      c++;
    }
    i += n;
  }
  return true;
}

tg_status tg__yaml_load(tg__yaml *y, const char *text, size_t len,
                        const char *origin, tg_error *err) {
  memset(y, 0, sizeof *y);
  y->origin = origin;
  /* libfyaml 0.7.12 loops forever on a directive followed by a malformed
   * UTF-8 byte ("%\xe7"), silently stops at others, and crashes on some
   * text with a NUL ("?  ?:\t\0"): check first. */
  int bl, bc;
  size_t bad = 0;
  if (!utf8_valid((const unsigned char *)text, len, &bl, &bc, &bad))
    return tg__set_error(err, TG_EPARSE, "%s:%d:%d: %s (files must be UTF-8 text)", origin,
                         bl, bc, text[bad] == '\0' ? "a NUL byte" : "invalid UTF-8");
  if (!(y->text = tg__strndup(text, len))) return tg__set_error(err, TG_ENOMEM, "out of memory");
  text = y->text;
  struct fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.colorize = false;
  struct fy_diag *diag = fy_diag_create(&dcfg);
  if (!diag) {
    tg__yaml_free(y);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  fy_diag_set_collect_errors(diag, true);
  struct fy_parse_cfg cfg = {.search_path = NULL,
                             .flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DISABLE_ACCELERATORS,
                             .userdata = NULL,
                             .diag = diag};
  y->doc = fy_document_build_from_string(&cfg, text, len);
  tg_status st = TG_OK;
  if (!y->doc || fy_diag_got_error(diag)) {
    void *it = NULL;
    struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
    /* libfyaml's collected errors carry 1-based line and column already
     * (fy_diag_vreport: start_mark->line + 1) */
    if (de)
      st = tg__set_error(err, TG_EPARSE, "%s:%d:%d: %s", origin, de->line,
                         de->column, de->msg ? de->msg : "invalid YAML");
    else if (!y->doc) /* no document and no complaint: blank or comments only */
      st = tg__set_error(err, TG_EPARSE, "%s:1:1: the file is empty", origin);
    else
      st = tg__set_error(err, TG_EPARSE, "%s: invalid YAML", origin);
    if (y->doc) fy_document_destroy(y->doc);
    y->doc = NULL;
  } else if (!fy_document_root(y->doc)) {
    st = tg__set_error(err, TG_EPARSE, "%s:1:1: the file is empty", origin);
    fy_document_destroy(y->doc);
    y->doc = NULL;
  }
  fy_diag_destroy(diag);
  if (st != TG_OK) tg__yaml_free(y);
  return st;
}

void tg__yaml_free(tg__yaml *y) {
  if (y->doc) fy_document_destroy(y->doc);
  y->doc = NULL;
  tg__free(y->text);
  y->text = NULL;
}

struct fy_node *tg__yaml_root(tg__yaml *y) { return fy_document_root(y->doc); }

tg_status tg__yaml_load_list(tg__yaml *y, const char *path, const char *key,
                             struct fy_node **list, int *count, tg_error *err) {
  char *text;
  size_t len;
  tg_status st = tg__read_file(path, &text, &len, err);
  if (st != TG_OK) return st;
  st = tg__yaml_load(y, text, len, path, err);
  tg__free(text);
  if (st != TG_OK) return st;
  *list = tg__yaml_get(tg__yaml_root(y), key);
  if (!tg__yaml_is_seq(*list)) {
    st = tg__yaml_error(y, tg__yaml_root(y), err, TG_EPARSE, "expected a '%s' list", key);
    tg__yaml_free(y);
    return st;
  }
  *count = fy_node_sequence_item_count(*list);
  return TG_OK;
}

void tg__yaml_pos(struct fy_node *n, int *line, int *col) {
  *line = *col = 0;
  if (!n) return;
  struct fy_token *t = NULL;
  if (fy_node_is_scalar(n)) {
    t = fy_node_get_scalar_token(n);
  } else {
    /* first key or item gives a usable position for collections */
    void *it = NULL;
    if (fy_node_is_mapping(n)) {
      struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
      if (p) { tg__yaml_pos(fy_node_pair_key(p), line, col); return; }
    } else if (fy_node_is_sequence(n)) {
      struct fy_node *c = fy_node_sequence_iterate(n, &it);
      if (c) { tg__yaml_pos(c, line, col); return; }
    }
  }
  if (t) {
    const struct fy_mark *m = fy_token_start_mark(t);
    if (m) {
      *line = m->line + 1;
      *col = m->column + 1;
    }
  }
}

tg_status tg__yaml_error(tg__yaml *y, struct fy_node *n, tg_error *err,
                         tg_status st, const char *fmt, ...) {
  if (!err) return st;
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  int line, col;
  tg__yaml_pos(n, &line, &col);
  if (line)
    return tg__set_error(err, st, "%s:%d:%d: %s", y->origin, line, col, msg);
  return tg__set_error(err, st, "%s: %s", y->origin, msg);
}

bool tg__yaml_is_map(struct fy_node *n) { return n && fy_node_is_mapping(n); }
bool tg__yaml_is_seq(struct fy_node *n) { return n && fy_node_is_sequence(n); }
bool tg__yaml_is_scalar(struct fy_node *n) { return n && fy_node_is_scalar(n); }

char *tg__yaml_strdup(struct fy_node *n) {
  if (!tg__yaml_is_scalar(n)) return NULL;
  size_t len;
  const char *s = fy_node_get_scalar(n, &len);
  if (!s) return NULL;
  if (memchr(s, '\0', len)) return NULL; /* embedded NUL: refuse */
  return tg__strndup(s, len);
}

bool tg__yaml_eq(struct fy_node *n, const char *s) {
  if (!tg__yaml_is_scalar(n)) return false;
  size_t len;
  const char *v = fy_node_get_scalar(n, &len);
  return v && len == strlen(s) && memcmp(v, s, len) == 0;
}

bool tg__yaml_is_null(struct fy_node *n) {
  if (!n) return true;
  if (!tg__yaml_is_scalar(n)) return false;
  if (fy_node_get_style(n) != FYNS_PLAIN) return false;
  size_t len;
  const char *v = fy_node_get_scalar(n, &len);
  return !v || len == 0 || (len == 4 && memcmp(v, "null", 4) == 0) ||
         (len == 1 && v[0] == '~');
}

bool tg__yaml_number(struct fy_node *n, double *v) {
  if (!tg__yaml_is_scalar(n)) return false;
  size_t len;
  const char *s = fy_node_get_scalar(n, &len);
  if (!s || len == 0 || len > 63) return false;
  char buf[64];
  memcpy(buf, s, len);
  buf[len] = '\0';
  char *end;
  double d = strtod(buf, &end);
  if (end == buf || *end != '\0' || !isfinite(d)) return false;
  /* refuse hex and inf/nan spellings strtod would take */
  for (size_t i = 0; i < len; i++)
    if (!strchr("0123456789+-.eE", buf[i])) return false;
  *v = d;
  return true;
}

bool tg__yaml_bool(struct fy_node *n, bool *v) {
  if (tg__yaml_eq(n, "true") || tg__yaml_eq(n, "yes")) { *v = true; return true; }
  if (tg__yaml_eq(n, "false") || tg__yaml_eq(n, "no")) { *v = false; return true; }
  return false;
}

struct fy_node *tg__yaml_get(struct fy_node *map, const char *key) {
  if (!tg__yaml_is_map(map)) return NULL;
  return fy_node_mapping_lookup_by_string(map, key, strlen(key));
}
