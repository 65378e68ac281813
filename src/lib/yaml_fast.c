/* yaml_fast.c - a quick reader for the plain subset of YAML the shipped
 * data files are written in: block mappings and sequences (one node to a
 * line), plain, quoted and literal (|) scalars on one line, and flow
 * collections closed on the line they open.  It builds the same tree as
 * libfyaml's events would (yaml.c) or declines, leaving the document to
 * libfyaml: every question it is not sure of (escapes, multi-line scalars,
 * anchors, tags, documents, duplicate keys, errors) is declined, not
 * answered.  fuzz/fuzz_yaml_fast.c and unit.yaml_fast compare its trees
 * with libfyaml's. */
#include <stdint.h>
#include <string.h>

#include "yaml_int.h"

#define MAX_DEPTH 48

typedef struct fast {
  tg__yaml *y;
  const char *text, *end;
  const char *line; /* the current content line (NULL at the end) */
  const char *eol;  /* its end (its '\n' or the end of the text) */
  int lineno;       /* 1-based, of `line` */
  int indent;       /* of `line`; -1 at the end */
  int depth;
  bool bad;         /* declined */
  tg__ynode **stack; /* the open collections' children */
  size_t n, cap;
  const char *col_at; /* the last column counted, on `line` (NULL: none) */
  int col;
} fast;

static void decline(fast *f) { f->bad = true; }

/* Column (1-based, in characters, as libfyaml counts) of p on the line. */
static int col_of(fast *f, const char *p) {
  const char *q = f->line;
  int c = 1;
  if (f->col_at && f->col_at >= f->line && f->col_at <= p && f->col_at <= f->eol) {
    q = f->col_at; /* on from the last one counted on this line */
    c = f->col;
  }
  for (; q < p; q++) c += ((unsigned char)*q & 0xC0) != 0x80;
  f->col_at = p;
  f->col = c;
  return c;
}

static const char *line_end(const fast *f, const char *p) {
  const char *e = memchr(p, '\n', (size_t)(f->end - p));
  return e ? e : f->end;
}

/* Moves to the first line at or after p that holds more than spaces and a
 * comment. */
static void seek_content(fast *f, const char *p, int lineno) {
  while (p < f->end) {
    const char *e = line_end(f, p), *q = p;
    while (q < e && *q == ' ') q++;
    if (q < e && *q != '#') {
      f->line = p;
      f->eol = e;
      f->lineno = lineno;
      f->indent = (int)(q - p);
      /* document markers and directives are left to libfyaml */
      if (q == p && (*p == '%' || (e - p >= 3 && (!memcmp(p, "---", 3) || !memcmp(p, "...", 3)))))
        decline(f);
      return;
    }
    p = e + 1;
    lineno++;
  }
  f->line = NULL;
  f->eol = f->end;
  f->indent = -1;
}

static void next_line(fast *f) { seek_content(f, f->eol + 1, f->lineno + 1); }

static tg__ynode *scalar(fast *f, const char *s, size_t len, uint8_t style, const char *at) {
  tg__ynode *n = tg__yaml_alloc(f->y, sizeof *n + len + 1);
  if (!n) {
    decline(f); /* libfyaml's path reports the lack of memory */
    return NULL;
  }
  char *text = (char *)(n + 1);
  if (len) memcpy(text, s, len);
  text[len] = '\0';
  *n = (tg__ynode){.type = TG__Y_SCALAR, .style = style, .text = text, .len = len,
                   .line = f->lineno, .col = col_of(f, at)};
  return n;
}

static void push(fast *f, tg__ynode *node) {
  if (!node || f->bad) {
    decline(f);
    return;
  }
  if (!tg__grow(&f->stack, &f->cap, f->n + 1, sizeof *f->stack)) {
    decline(f);
    return;
  }
  f->stack[f->n++] = node;
}

/* The children pushed since `from` as one collection (declined on a
 * duplicate key: libfyaml's path words that error). */
static tg__ynode *close_(fast *f, size_t from, tg__ytype type) {
  if (f->bad) return NULL;
  size_t k = f->n - from;
  tg__ynode *n = tg__yaml_alloc(f->y, sizeof *n + k * sizeof(tg__ynode *));
  if (!n) {
    decline(f);
    return NULL;
  }
  *n = (tg__ynode){.type = (uint8_t)type};
  if (type == TG__Y_SEQ) {
    n->n = k;
    n->items = (tg__ynode **)(n + 1);
    if (k) memcpy(n->items, f->stack + from, k * sizeof *n->items);
  } else {
    n->n = k / 2;
    n->pairs = (tg__ypair *)(n + 1);
    for (size_t i = 0; i < n->n; i++) {
      tg__ynode *key = f->stack[from + 2 * i];
      for (size_t j = 0; j < i; j++)
        if (n->pairs[j].key->len == key->len && !memcmp(n->pairs[j].key->text, key->text, key->len))
          decline(f);
      n->pairs[i] = (tg__ypair){key, f->stack[from + 2 * i + 1]};
    }
  }
  f->n = from;
  return f->bad ? NULL : n;
}

static bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/';
}

/* Length of a key at p ending in ':' and a space or the line's end; 0 when
 * p holds none. */
static size_t key_at(const char *p, const char *eol) {
  if (p >= eol || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_')) return 0;
  const char *q = p;
  while (q < eol && key_char(*q)) q++;
  if (q - p > 1000) return 0; /* past YAML's 1024-character simple keys */
  if (q == eol || *q != ':' || (q + 1 < eol && q[1] != ' ')) return 0;
  return (size_t)(q - p);
}

/* What may follow a value on its line: spaces, then a comment. */
static void trailing(fast *f, const char *p) {
  const char *q = p;
  while (q < f->eol && *q == ' ') q++;
  if (q < f->eol && !(*q == '#' && q > p)) decline(f);
}

/* A plain scalar may not start with an indicator (a '-' only before a digit). */
static bool plain_start(const char *p, const char *eol) {
  if (p >= eol) return false;
  if (*p == '-') return p + 1 < eol && p[1] >= '0' && p[1] <= '9';
  return !strchr("?:,[]{}#&*!|>'\"%@`~ ", *p);
}

static int hex(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A double-quoted scalar with escapes, closed on its line: \\ \" \/ \n
 * \t and \uXXXX of the Basic Multilingual Plane (no surrogates, no NUL);
 * any other is libfyaml's. */
static tg__ynode *escaped(fast *f, const char **pp) {
  const char *s = *pp + 1, *e = s;
  tg__buf b;
  tg__buf_init(&b);
  for (;; e++) {
    if (e >= f->eol) {
      decline(f);
      break;
    }
    if (*e == '"') break;
    if (*e != '\\') {
      tg__buf_append(&b, e, 1);
      continue;
    }
    char c = ++e < f->eol ? *e : '\0', out[4];
    size_t n = 1;
    if (c == '\\' || c == '"' || c == '/') out[0] = c;
    else if (c == 'n') out[0] = '\n';
    else if (c == 't') out[0] = '\t';
    else if (c == 'u' && f->eol - e > 4 && hex(e[1]) >= 0 && hex(e[2]) >= 0 && hex(e[3]) >= 0 &&
             hex(e[4]) >= 0) {
      unsigned u = (unsigned)(hex(e[1]) << 12 | hex(e[2]) << 8 | hex(e[3]) << 4 | hex(e[4]));
      e += 4;
      if (u == 0 || (u >= 0xD800 && u <= 0xDFFF)) {
        decline(f);
        break;
      }
      if (u < 0x80) {
        out[0] = (char)u;
      } else if (u < 0x800) {
        out[0] = (char)(0xC0 | u >> 6);
        out[1] = (char)(0x80 | (u & 0x3F));
        n = 2;
      } else {
        out[0] = (char)(0xE0 | u >> 12);
        out[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        out[2] = (char)(0x80 | (u & 0x3F));
        n = 3;
      }
    } else {
      decline(f);
      break;
    }
    tg__buf_append(&b, out, n);
  }
  tg__ynode *node = NULL;
  if (!f->bad && !b.oom) node = scalar(f, b.len ? b.data : "", b.len, TG__YS_DOUBLE, s);
  else decline(f);
  tg__buf_free(&b);
  *pp = e + 1;
  return node;
}

/* A quoted scalar closed on its line: *pp moves past it. */
static tg__ynode *quoted(fast *f, const char **pp) {
  const char *p = *pp, q = *p;
  const char *s = p + 1, *e = s;
  if (q == '"') {
    while (e < f->eol && *e != '"' && *e != '\\') e++;
    if (e < f->eol && *e == '\\') return escaped(f, pp);
    if (e == f->eol) {
      decline(f);
      return NULL;
    }
    *pp = e + 1;
    return scalar(f, s, (size_t)(e - s), TG__YS_DOUBLE, s);
  }
  /* single: '' is one quote; such text is left to libfyaml */
  while (e < f->eol && *e != '\'') e++;
  if (e == f->eol || (e + 1 < f->eol && e[1] == '\'')) {
    decline(f);
    return NULL;
  }
  *pp = e + 1;
  return scalar(f, s, (size_t)(e - s), TG__YS_SINGLE, s);
}

static tg__ynode *flow(fast *f, const char **pp);

/* A flow item: quoted, a nested collection, or a plain scalar without ':'
 * or '#'. */
static tg__ynode *flow_item(fast *f, const char **pp) {
  const char *p = *pp;
  if (p >= f->eol) {
    decline(f);
    return NULL;
  }
  if (*p == '"' || *p == '\'') return quoted(f, pp);
  if (*p == '[' || *p == '{') return flow(f, pp);
  if (!plain_start(p, f->eol)) {
    decline(f);
    return NULL;
  }
  const char *e = p;
  while (e < f->eol && !strchr(",[]{}:#", *e)) e++;
  if (e < f->eol && (*e == ':' || *e == '#')) {
    decline(f);
    return NULL;
  }
  *pp = e;
  while (e > p && e[-1] == ' ') e--;
  return scalar(f, p, (size_t)(e - p), TG__YS_PLAIN, p);
}

static const char *spaces(const char *p, const char *eol) {
  while (p < eol && *p == ' ') p++;
  return p;
}

/* A flow sequence or mapping that closes on its line. */
static tg__ynode *flow(fast *f, const char **pp) {
  const char *p = *pp;
  bool map = *p == '{';
  char close = map ? '}' : ']';
  if (++f->depth > MAX_DEPTH) {
    decline(f);
    return NULL;
  }
  size_t from = f->n;
  p = spaces(p + 1, f->eol);
  if (p < f->eol && *p == close) {
    p++;
  } else {
    for (;;) {
      if (map) {
        size_t k = key_at(p, f->eol);
        if (!k) {
          decline(f);
          return NULL;
        }
        push(f, scalar(f, p, k, TG__YS_PLAIN, p));
        p += k + 1;
        if (p >= f->eol || *p != ' ') {
          decline(f);
          return NULL;
        }
        p = spaces(p, f->eol);
      }
      push(f, flow_item(f, &p));
      if (f->bad) return NULL;
      p = spaces(p, f->eol);
      if (p < f->eol && *p == close) {
        p++;
        break;
      }
      if (p >= f->eol || *p != ',') {
        decline(f);
        return NULL;
      }
      p = spaces(p + 1, f->eol);
      if (p < f->eol && *p == close) { /* a trailing comma */
        decline(f);
        return NULL;
      }
    }
  }
  f->depth--;
  *pp = p;
  return close_(f, from, map ? TG__Y_MAP : TG__Y_SEQ);
}

/* A block scalar, literal (|) or folded (>, without more-indented lines),
 * clipped, under a key of indentation `indent`; the current line moves
 * past it. */
static tg__ynode *block_scalar(fast *f, bool folded, int indent) {
  const char *p = f->eol + 1;
  int lineno = f->lineno + 1, content = -1;
  tg__buf b;
  tg__buf_init(&b);
  size_t kept = 0; /* length up to the last line with text */
  int blanks = 0;   /* empty lines since the last line with text */
  while (p < f->end) {
    const char *e = line_end(f, p), *q = spaces(p, e);
    int lead = (int)(q - p);
    if (q == e) { /* an empty line: kept, unless it trails */
      if (content < 0 || lead > content) {
        decline(f);
        break;
      }
      tg__buf_append(&b, "\n", 1);
      blanks++;
    } else {
      if (content < 0) {
        content = lead;
        if (content <= indent) {
          decline(f); /* an empty block */
          break;
        }
      }
      if (lead < content) {
        if (lead > indent) decline(f);
        break;
      }
      if (folded && lead > content) {
        decline(f);
        break;
      }
      /* folding: a line break between lines becomes a space, and is
       * dropped before empty lines (each of which stays a line break) */
      if (folded && kept && !b.oom) {
        if (blanks) b.len--;
        else b.data[b.len - 1] = ' ';
        b.data[b.len] = '\0';
      }
      blanks = 0;
      tg__buf_append(&b, p + content, (size_t)(e - p - content));
      tg__buf_append(&b, "\n", 1);
      kept = b.len;
    }
    p = e + 1;
    lineno++;
  }
  if (content < 0) decline(f);
  tg__ynode *n = NULL;
  if (!f->bad && !b.oom) n = scalar(f, b.data, kept, folded ? TG__YS_FOLDED : TG__YS_LITERAL, f->line);
  else decline(f);
  if (n) { /* libfyaml marks a block scalar at the start of the line after '|' */
    n->line = f->lineno + 1;
    n->col = 1;
  }
  tg__buf_free(&b);
  seek_content(f, p, lineno);
  return n;
}

static tg__ynode *block(fast *f, int indent);
static tg__ynode *map_at(fast *f, int indent, const char *first);

/* The value after a block key or '- ' at p on the current line, whose
 * node is indented `indent`; the current line moves past it. */
static tg__ynode *value(fast *f, const char *p, int indent, bool in_seq) {
  tg__ynode *n;
  if (p < f->eol && (*p == '"' || *p == '\'')) {
    n = quoted(f, &p);
    trailing(f, p);
  } else if (p < f->eol && (*p == '[' || *p == '{')) {
    n = flow(f, &p);
    trailing(f, p);
  } else if (p + 1 == f->eol && (*p == '|' || *p == '>') && !in_seq) {
    return block_scalar(f, *p == '>', indent);
  } else {
    if (!plain_start(p, f->eol)) {
      decline(f);
      return NULL;
    }
    const char *e = f->eol;
    while (e > p && e[-1] == ' ') e--;
    for (const char *q = p; q < e; q++)
      if ((*q == '#' && q[-1] == ' ') || (*q == ':' && (q + 1 == e || q[1] == ' '))) decline(f);
    n = f->bad ? NULL : scalar(f, p, (size_t)(e - p), TG__YS_PLAIN, p);
  }
  next_line(f);
  if (f->indent > indent) decline(f); /* a continuation line: libfyaml's */
  return n;
}

static tg__ynode *seq_at(fast *f, int indent) {
  size_t from = f->n;
  while (!f->bad && f->indent == indent && f->line[indent] == '-') {
    const char *p = f->line + indent + 1;
    if (p >= f->eol || *p != ' ' || p + 1 >= f->eol || p[1] == ' ' || p[1] == '#' ||
        (p[1] == '-' && (p + 2 == f->eol || p[2] == ' '))) {
      decline(f);
      break;
    }
    p++;
    if (key_at(p, f->eol)) push(f, map_at(f, indent + 2, p));
    else push(f, value(f, p, indent, true));
  }
  if (f->indent > indent) decline(f);
  return close_(f, from, TG__Y_SEQ);
}

/* A block mapping whose keys are indented `indent`, the first at `first`
 * on the current line. */
static tg__ynode *map_at(fast *f, int indent, const char *first) {
  if (++f->depth > MAX_DEPTH) {
    decline(f);
    return NULL;
  }
  size_t from = f->n;
  const char *p = first;
  for (;;) {
    size_t k = key_at(p, f->eol);
    if (!k) {
      decline(f);
      break;
    }
    push(f, scalar(f, p, k, TG__YS_PLAIN, p));
    p = spaces(p + k + 1, f->eol);
    if (p == f->eol) { /* the value is on the lines below */
      next_line(f);
      if (f->indent > indent) push(f, block(f, f->indent));
      else if (f->indent == indent && f->line[indent] == '-') push(f, seq_at(f, indent));
      else decline(f); /* an empty value */
    } else {
      push(f, value(f, p, indent, false));
    }
    if (f->bad) break;
    if (f->indent != indent) break;
    if (f->line[indent] == '-' && !key_at(f->line + indent, f->eol)) {
      decline(f);
      break;
    }
    p = f->line + indent;
  }
  if (f->indent > indent) decline(f);
  f->depth--;
  return close_(f, from, TG__Y_MAP);
}

/* The collection that starts on the current line at `indent`. */
static tg__ynode *block(fast *f, int indent) {
  if (++f->depth > MAX_DEPTH) {
    decline(f);
    return NULL;
  }
  const char *p = f->line + indent;
  tg__ynode *n = NULL;
  if (*p == '-' && !key_at(p, f->eol)) n = seq_at(f, indent);
  else if (key_at(p, f->eol)) n = map_at(f, indent, p);
  else decline(f);
  f->depth--;
  return n;
}

/* Text (already valid UTF-8) without tabs, control characters, Unicode
 * line breaks (U+0085, U+2028, U+2029), byte order marks or non-characters
 * U+FFFE/U+FFFF: all of those are left to libfyaml. */
static bool plain_text(const unsigned char *s, size_t len) {
  const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  for (size_t i = 0; i < len; i++) {
    /* eight printable ASCII bytes at a time: none >= 0x80, < 0x20 or 0x7F */
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      uint64_t del = w ^ (0x7F * ones);
      if ((w & highs) || ((w - 0x20 * ones) & ~w & highs) || ((del - ones) & ~del & highs)) break;
      i += 8;
    }
    if (i >= len) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n') || c == 0x7F) return false;
    } else if (c == 0xC2) {
      if (i + 1 < len && s[i + 1] < 0xA0) return false;
    } else if (c == 0xE2) {
      if (i + 2 < len && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) return false;
    } else if (c == 0xEF) {
      if (i + 2 < len && ((s[i + 1] == 0xBB && s[i + 2] == 0xBF) || (s[i + 1] == 0xBF && s[i + 2] >= 0xBE)))
        return false;
    }
  }
  return true;
}

bool tg__yaml_fast(tg__yaml *y, const char *text, size_t len) {
  if (!plain_text((const unsigned char *)text, len)) return false;
  fast f = {.y = y, .text = text, .end = text + len};
  seek_content(&f, text, 1);
  tg__ynode *root = NULL;
  if (!f.bad && f.indent == 0) root = block(&f, 0);
  bool ok = !f.bad && root && f.indent < 0;
  tg__free(f.stack);
  if (!ok) {
    tg__yaml_free(y);
    return false;
  }
  y->root = root;
  return true;
}
