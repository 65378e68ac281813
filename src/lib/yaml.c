/* yaml.c - YAML documents for the data-file readers: libfyaml's parser
 * events built into a compact tree in one arena, positioned parse errors
 * and typed scalars. */
#include "yaml_int.h"

#include <libfyaml.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
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

/* ---- the arena ---------------------------------------------------------- */

struct tg__yarena {
  tg__yarena *next;
  size_t used, cap;
  max_align_t data[]; /* cap bytes */
};

void *tg__yaml_alloc(tg__yaml *y, size_t n) {
  n = (n + 15) & ~(size_t)15;
  tg__yarena *a = y->arena;
  if (!a || a->cap - a->used < n) {
    size_t cap = n > 32768 ? n : 32768;
    tg__yarena *b = tg__malloc(sizeof *b + cap);
    if (!b) return NULL;
    b->used = 0;
    b->cap = cap;
    if (a && n > 32768) { /* a big block goes behind the current one */
      b->next = a->next;
      a->next = b;
    } else {
      b->next = a;
      y->arena = b;
    }
    a = b;
  }
  void *p = (char *)a->data + a->used;
  a->used += n;
  return p;
}

/* ---- building the tree from parser events -------------------------------- */

typedef struct builder {
  tg__yaml *y;
  tg__ynode **stack; /* the open collections' children so far */
  size_t n, cap;
  size_t *marks; /* where each open collection's children start */
  size_t depth, mcap;
  const char *origin;
  tg_error *err;
  tg_status st;
} builder;


static bool push(builder *b, tg__ynode *node) {
  if (!tg__grow(&b->stack, &b->cap, b->n + 1, sizeof *b->stack)) return false;
  b->stack[b->n++] = node;
  return true;
}

static tg__ynode *scalar_node(builder *b, struct fy_token *t, uint8_t style) {
  size_t len = 0;
  const char *s = t ? fy_token_get_text(t, &len) : "";
  if (!s) return NULL;
  tg__ynode *n = tg__yaml_alloc(b->y, sizeof *n + len + 1);
  if (!n) return NULL;
  char *text = (char *)(n + 1);
  if (len) memcpy(text, s, len);
  text[len] = '\0';
  *n = (tg__ynode){.type = TG__Y_SCALAR, .style = style, .text = text, .len = len};
  const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
  if (m) {
    n->line = m->line + 1;
    n->col = m->column + 1;
  }
  return n;
}

static uint8_t style_of(struct fy_token *t) {
  switch (fy_token_scalar_style(t)) {
    case FYSS_SINGLE_QUOTED: return TG__YS_SINGLE;
    case FYSS_DOUBLE_QUOTED: return TG__YS_DOUBLE;
    case FYSS_LITERAL: return TG__YS_LITERAL;
    case FYSS_FOLDED: return TG__YS_FOLDED;
    default: return TG__YS_PLAIN;
  }
}

/* A mapping's key that an earlier key of it equals: as libfyaml's
 * document builder, a duplicate key is an error. */
static tg__ynode *duplicate_key(const tg__ynode *map) {
  for (size_t i = 1; i < map->n; i++) {
    const tg__ynode *k = map->pairs[i].key;
    if (k->type != TG__Y_SCALAR) continue;
    for (size_t j = 0; j < i; j++) {
      const tg__ynode *o = map->pairs[j].key;
      if (o->type == TG__Y_SCALAR && o->len == k->len && (o->style == TG__YS_ALIAS) == (k->style == TG__YS_ALIAS) &&
          !memcmp(o->text, k->text, k->len))
        return (tg__ynode *)k;
    }
  }
  return NULL;
}

/* Closes the innermost collection: its children move into the arena. */
static tg__ynode *close_collection(builder *b, tg__ytype type) {
  size_t from = b->marks[--b->depth], k = b->n - from;
  tg__ynode *n = tg__yaml_alloc(b->y, sizeof *n + k * sizeof(tg__ynode *));
  if (!n) return NULL;
  *n = (tg__ynode){.type = (uint8_t)type};
  if (type == TG__Y_SEQ) {
    n->n = k;
    n->items = (tg__ynode **)(n + 1);
    if (k) memcpy(n->items, b->stack + from, k * sizeof *n->items);
  } else {
    n->n = k / 2; /* the parser gives a value to every key */
    n->pairs = (tg__ypair *)(n + 1);
    for (size_t i = 0; i < n->n; i++)
      n->pairs[i] = (tg__ypair){b->stack[from + 2 * i], b->stack[from + 2 * i + 1]};
  }
  b->n = from;
  return n;
}

/* One event: false when the document is complete or on an error. */
static bool on_event(builder *b, struct fy_event *ev, bool *done) {
  tg__ynode *node = NULL;
  switch (ev->type) {
    case FYET_SCALAR:
      node = scalar_node(b, ev->scalar.value, ev->scalar.value ? style_of(ev->scalar.value) : TG__YS_PLAIN);
      break;
    case FYET_ALIAS:
      node = scalar_node(b, ev->alias.anchor, TG__YS_ALIAS);
      break;
    case FYET_SEQUENCE_START:
    case FYET_MAPPING_START: { /* a block: clang 14 takes no declaration after a label */
      if (!tg__grow(&b->marks, &b->mcap, b->depth + 1, sizeof *b->marks)) return false;
      b->marks[b->depth++] = b->n;
      return true;
    }
    case FYET_SEQUENCE_END:
      node = close_collection(b, TG__Y_SEQ);
      break;
    case FYET_MAPPING_END:
      node = close_collection(b, TG__Y_MAP);
      if (node) {
        tg__ynode *dup = duplicate_key(node);
        if (dup) {
          b->st = tg__set_error(b->err, TG_EPARSE, "%s:%d:%d: duplicate key", b->origin,
                                dup->line, dup->col);
          return false;
        }
      }
      break;
    case FYET_DOCUMENT_END:
      *done = true;
      return false;
    default: /* stream and document starts, stream end */
      return true;
  }
  if (!node) return false;
  if (b->depth == 0) {
    b->y->root = node;
    return true;
  }
  return push(b, node);
}

/* True when s[0..len) is all ASCII: most of every file, checked 8 bytes at
 * a time before the byte-wise UTF-8 check. */
static size_t ascii_prefix(const unsigned char *s, size_t len) {
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    /* a byte >= 0x80, or a NUL byte */
    if ((w & 0x8080808080808080ULL) || ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
      break;
  }
  return i;
}

/* The UTF-8 check both readers need; TG_OK when the text passes. */
static tg_status check_text(const char *text, size_t len, const char *origin, tg_error *err) {
  /* libfyaml 0.7.12 loops forever on a directive followed by a malformed
   * UTF-8 byte ("%\xe7"), silently stops at others, and crashes on some
   * text with a NUL ("?  ?:\t\0"): check first. */
  int bl, bc;
  size_t bad = 0;
  size_t ok = ascii_prefix((const unsigned char *)text, len);
  /* the check restarts at the line the ASCII run ends in, so that its
   * line and column count from the start */
  while (ok > 0 && text[ok - 1] != '\n') ok--;
  int lines = 0;
  for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + ok - p))) != NULL; p++) lines++;
  if (!utf8_valid((const unsigned char *)text + ok, len - ok, &bl, &bc, &bad))
    return tg__set_error(err, TG_EPARSE, "%s:%d:%d: %s (files must be UTF-8 text)", origin,
                         bl + lines, bc, text[ok + bad] == '\0' ? "a NUL byte" : "invalid UTF-8");
  return TG_OK;
}

tg_status tg__yaml_load(tg__yaml *y, const char *text, size_t len,
                        const char *origin, tg_error *err) {
  memset(y, 0, sizeof *y);
  y->origin = origin;
  tg_status st = check_text(text, len, origin, err);
  if (st != TG_OK) return st;
  /* the shipped files are in the subset the quick reader takes (about a
   * quarter of an engine open was libfyaml reading countries.yaml) */
  if (tg__yaml_fast(y, text, len)) return TG_OK;
  return tg__yaml_load_libfyaml(y, text, len, origin, err);
}

tg_status tg__yaml_load_libfyaml(tg__yaml *y, const char *text, size_t len,
                                 const char *origin, tg_error *err) {
  memset(y, 0, sizeof *y);
  y->origin = origin;
  struct fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.colorize = false;
  struct fy_diag *diag = fy_diag_create(&dcfg);
  if (!diag) return tg__set_error(err, TG_ENOMEM, "out of memory");
  fy_diag_set_collect_errors(diag, true);
  struct fy_parse_cfg cfg = {.search_path = NULL,
                             .flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DISABLE_ACCELERATORS,
                             .userdata = NULL,
                             .diag = diag};
  struct fy_parser *fyp = fy_parser_create(&cfg);
  builder b = {.y = y, .origin = origin, .err = err, .st = TG_OK};
  bool done = false, oom = !fyp;
  /* the text is only read while parsing; the tree holds copies */
  if (fyp && fy_parser_set_string(fyp, text, len) != 0) oom = true;
  while (fyp && !oom) {
    struct fy_event *ev = fy_parser_parse(fyp);
    if (!ev) break;
    bool more = on_event(&b, ev, &done);
    fy_parser_event_free(fyp, ev);
    if (!more) {
      oom = !done && b.st == TG_OK;
      break;
    }
  }
  tg_status st = b.st;
  if (st != TG_OK) {
    /* a duplicate key, already set */
  } else if (fy_diag_got_error(diag) || (fyp && fy_parser_get_stream_error(fyp))) {
    void *it = NULL;
    struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
    /* libfyaml's collected errors carry 1-based line and column already
     * (fy_diag_vreport: start_mark->line + 1) */
    if (de)
      st = tg__set_error(err, TG_EPARSE, "%s:%d:%d: %s", origin, de->line,
                         de->column, de->msg ? de->msg : "invalid YAML");
    else
      st = tg__set_error(err, TG_EPARSE, "%s: invalid YAML", origin);
  } else if (oom) {
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
  } else if (!y->root) { /* no document: blank or comments only */
    st = tg__set_error(err, TG_EPARSE, "%s:1:1: the file is empty", origin);
  }
  if (fyp) fy_parser_destroy(fyp);
  fy_diag_destroy(diag);
  tg__free(b.stack);
  tg__free(b.marks);
  if (st != TG_OK) tg__yaml_free(y);
  return st;
}

void tg__yaml_free(tg__yaml *y) {
  for (tg__yarena *a = y->arena, *next; a; a = next) {
    next = a->next;
    tg__free(a);
  }
  y->arena = NULL;
  y->root = NULL;
}

tg__ynode *tg__yaml_root(tg__yaml *y) { return y->root; }

bool tg__yaml_same(const tg__ynode *a, const tg__ynode *b) {
  if (!a || !b) return a == b;
  if (a->type != b->type || a->n != b->n) return false;
  if (a->type == TG__Y_SCALAR)
    return a->style == b->style && a->line == b->line && a->col == b->col && a->len == b->len &&
           !memcmp(a->text, b->text, a->len);
  for (size_t i = 0; i < a->n; i++) {
    bool same = a->type == TG__Y_SEQ ? tg__yaml_same(a->items[i], b->items[i])
                                     : tg__yaml_same(a->pairs[i].key, b->pairs[i].key) &&
                                           tg__yaml_same(a->pairs[i].value, b->pairs[i].value);
    if (!same) return false;
  }
  return true;
}

tg_status tg__yaml_load_list(tg__yaml *y, const char *path, const char *key,
                             tg__ynode **list, int *count, tg_error *err) {
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
  *count = tg__yaml_count(*list);
  return TG_OK;
}

void tg__yaml_pos(tg__ynode *n, int *line, int *col) {
  *line = *col = 0;
  /* a collection's first key or item gives a usable position */
  while (n && n->type != TG__Y_SCALAR)
    n = !n->n ? NULL : n->type == TG__Y_MAP ? n->pairs[0].key : n->items[0];
  if (n) {
    *line = n->line;
    *col = n->col;
  }
}

tg_status tg__yaml_error(tg__yaml *y, tg__ynode *n, tg_error *err,
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

bool tg__yaml_is_map(tg__ynode *n) { return n && n->type == TG__Y_MAP; }
bool tg__yaml_is_seq(tg__ynode *n) { return n && n->type == TG__Y_SEQ; }
bool tg__yaml_is_scalar(tg__ynode *n) { return n && n->type == TG__Y_SCALAR; }

char *tg__yaml_strdup(tg__ynode *n) {
  if (!tg__yaml_is_scalar(n)) return NULL;
  if (memchr(n->text, '\0', n->len)) return NULL; /* embedded NUL: refuse */
  return tg__strndup(n->text, n->len);
}

bool tg__yaml_eq(tg__ynode *n, const char *s) {
  return tg__yaml_is_scalar(n) && strlen(s) == n->len && memcmp(n->text, s, n->len) == 0;
}

bool tg__yaml_is_null(tg__ynode *n) {
  if (!n) return true;
  if (!tg__yaml_is_scalar(n) || n->style != TG__YS_PLAIN) return false;
  return n->len == 0 || (n->len == 4 && memcmp(n->text, "null", 4) == 0) ||
         (n->len == 1 && n->text[0] == '~');
}

bool tg__yaml_number(tg__ynode *n, double *v) {
  if (!tg__yaml_is_scalar(n)) return false;
  size_t len = n->len;
  const char *s = n->text;
  if (len == 0 || len > 63) return false;
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

bool tg__yaml_bool(tg__ynode *n, bool *v) {
  if (tg__yaml_eq(n, "true") || tg__yaml_eq(n, "yes")) { *v = true; return true; }
  if (tg__yaml_eq(n, "false") || tg__yaml_eq(n, "no")) { *v = false; return true; }
  return false;
}

tg__ynode *tg__yaml_get(tg__ynode *map, const char *key) {
  if (!tg__yaml_is_map(map)) return NULL;
  size_t len = strlen(key);
  for (size_t i = 0; i < map->n; i++) {
    const tg__ynode *k = map->pairs[i].key;
    if (k->type == TG__Y_SCALAR && k->style != TG__YS_ALIAS && k->len == len &&
        !memcmp(k->text, key, len))
      return map->pairs[i].value;
  }
  return NULL;
}

int tg__yaml_count(tg__ynode *n) { return tg__yaml_is_seq(n) ? (int)n->n : 0; }

tg__ynode *tg__yaml_seq_next(tg__ynode *seq, void **it) {
  size_t i = (size_t)(uintptr_t)*it;
  if (!tg__yaml_is_seq(seq) || i >= seq->n) return NULL;
  *it = (void *)(uintptr_t)(i + 1);
  return seq->items[i];
}

tg__ypair *tg__yaml_map_next(tg__ynode *map, void **it) {
  size_t i = (size_t)(uintptr_t)*it;
  if (!tg__yaml_is_map(map) || i >= map->n) return NULL;
  *it = (void *)(uintptr_t)(i + 1);
  return &map->pairs[i];
}
