/* lists_xml.c - the UN Security Council Consolidated List (XML): a small
 * non-validating XML reader (elements, attributes skipped, text with the
 * five named and numeric character references, comments, CDATA,
 * processing instructions) that checks nesting and reports file:line, and
 * the mapping of INDIVIDUAL and ENTITY records to entries. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists_int.h"

#define MAX_DEPTH 32

typedef struct xml {
  const char *p, *end, *origin;
  int line;
  char stack[MAX_DEPTH][40];
  int depth;
  tg__buf text; /* text of the current innermost element */
  tg_error *err;
} xml;

static tg_status xerr(xml *x, const char *what) {
  return tg__set_error(x->err, TG_EPARSE, "%s:%d: %s", x->origin, x->line, what);
}

static void advance(xml *x, size_t n) {
  for (size_t i = 0; i < n && x->p < x->end; i++)
    if (*x->p++ == '\n') x->line++;
}

/* Skips to just after `term`; false at end of input. */
static bool skip_past(xml *x, const char *term) {
  size_t tl = strlen(term);
  while (x->p + tl <= x->end) {
    if (!memcmp(x->p, term, tl)) {
      advance(x, tl);
      return true;
    }
    advance(x, 1);
  }
  return false;
}

static void put_cp(tg__buf *b, unsigned long cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) u[0] = (char)cp, n = 1;
  else if (cp < 0x800) u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  tg__buf_append(b, u, n);
}

static tg_status entity(xml *x) {
  static const struct { const char *name; char c; } named[] = {
      {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
  advance(x, 1);
  for (size_t i = 0; i < 5; i++) {
    size_t l = strlen(named[i].name);
    if ((size_t)(x->end - x->p) >= l && !memcmp(x->p, named[i].name, l)) {
      tg__buf_append(&x->text, &named[i].c, 1);
      advance(x, l);
      return TG_OK;
    }
  }
  if (x->p < x->end && *x->p == '#') {
    int base = 10;
    advance(x, 1);
    if (x->p < x->end && (*x->p == 'x' || *x->p == 'X')) base = 16, advance(x, 1);
    unsigned long cp = 0;
    int nd = 0;
    while (x->p < x->end && isxdigit((unsigned char)*x->p) && nd < 8) {
      int d = isdigit((unsigned char)*x->p) ? *x->p - '0' : (tolower((unsigned char)*x->p) - 'a' + 10);
      if (d >= base) break;
      cp = cp * (unsigned long)base + (unsigned long)d;
      nd++;
      advance(x, 1);
    }
    if (nd && x->p < x->end && *x->p == ';' && cp > 0 && cp < 0x110000 &&
        !(cp >= 0xD800 && cp < 0xE000)) {
      advance(x, 1);
      put_cp(&x->text, cp);
      return TG_OK;
    }
  }
  return xerr(x, "a malformed character reference (expected &amp; &lt; &gt; &quot; &apos; or &#N;)");
}

typedef enum { EV_START, EV_END, EV_EOF } ev;

/* The next start or end tag; text before it accumulates in x->text.
 * A self-closing tag yields a start then (next call) its end. */
static tg_status next_tag(xml *x, ev *out, char name[40], bool *pending_end) {
  if (*pending_end) {
    *pending_end = false;
    snprintf(name, 40, "%s", x->stack[x->depth - 1]);
    x->depth--;
    *out = EV_END;
    return TG_OK;
  }
  while (x->p < x->end) {
    char c = *x->p;
    if (c == '&') {
      tg_status st = entity(x);
      if (st != TG_OK) return st;
      continue;
    }
    if (c != '<') {
      tg__buf_append(&x->text, x->p, 1);
      advance(x, 1);
      continue;
    }
    if (x->end - x->p >= 4 && !memcmp(x->p, "<!--", 4)) {
      if (!skip_past(x, "-->")) return xerr(x, "an unterminated comment");
      continue;
    }
    if (x->end - x->p >= 9 && !memcmp(x->p, "<![CDATA[", 9)) {
      advance(x, 9);
      const char *s = x->p;
      if (!skip_past(x, "]]>")) return xerr(x, "an unterminated CDATA section");
      tg__buf_append(&x->text, s, (size_t)(x->p - 3 - s));
      continue;
    }
    if (x->end - x->p >= 2 && (x->p[1] == '?' || x->p[1] == '!')) {
      if (!skip_past(x, ">")) return xerr(x, "an unterminated declaration");
      continue;
    }
    advance(x, 1);
    bool close = x->p < x->end && *x->p == '/';
    if (close) advance(x, 1);
    size_t n = 0;
    while (x->p < x->end && (isalnum((unsigned char)*x->p) || *x->p == '_' || *x->p == ':' ||
                             *x->p == '-' || *x->p == '.')) {
      if (n < 39) name[n++] = *x->p;
      advance(x, 1);
    }
    name[n] = '\0';
    if (!n) return xerr(x, "a tag without a name");
    /* attributes: skip, honouring quotes */
    char q = 0;
    bool self = false;
    while (x->p < x->end && (q || *x->p != '>')) {
      if (q && *x->p == q) q = 0;
      else if (!q && (*x->p == '"' || *x->p == '\'')) q = *x->p;
      self = !q && *x->p == '/';
      advance(x, 1);
    }
    if (x->p >= x->end) return xerr(x, "an unterminated tag");
    advance(x, 1);
    if (close) {
      if (x->depth == 0 || strcmp(x->stack[x->depth - 1], name) != 0) {
        char m[160];
        snprintf(m, sizeof m, "closing tag </%s> does not match <%s>", name,
                 x->depth ? x->stack[x->depth - 1] : "(none)");
        return xerr(x, m);
      }
      x->depth--;
      *out = EV_END;
      return TG_OK;
    }
    if (x->depth == MAX_DEPTH) return xerr(x, "elements nested too deeply");
    snprintf(x->stack[x->depth++], 40, "%s", name);
    *pending_end = self;
    *out = EV_START;
    return TG_OK;
  }
  if (x->depth) {
    char m[96];
    snprintf(m, sizeof m, "the file ends inside <%s>", x->stack[x->depth - 1]);
    return xerr(x, m);
  }
  *out = EV_EOF;
  return TG_OK;
}

/* ---- UN records ------------------------------------------------------ */

typedef struct rec {
  char *part[4];   /* FIRST_NAME .. FOURTH_NAME */
  tg__entry *e;
  bool low;        /* the current alias's QUALITY is "Low" (it precedes
                      ALIAS_NAME in the list's records) */
} rec;

static const char *text_of(xml *x, size_t *n) {
  const char *s = x->text.data ? x->text.data : "";
  *n = x->text.len;
  return s;
}

static tg_status on_text(xml *x, rec *r, const char *el, const char *parent) {
  size_t n;
  const char *s = text_of(x, &n);
  tg__entry *e = r->e;
  static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"};
  for (int i = 0; i < 4; i++)
    if (!strcmp(el, parts[i])) return tg__set_field(&r->part[i], s, n);
  if (!strcmp(el, "REFERENCE_NUMBER")) return tg__set_field(&e->ref, s, n);
  if (!strcmp(el, "UN_LIST_TYPE")) return tg__set_field(&e->programs, s, n);
  if (!strcmp(el, "LISTED_ON")) return tg__set_field(&e->start_date, s, n);
  /* an alias's QUALITY: "Good", "a.k.a.", "f.k.a." or "Low"; a "Low"
   * one is taken as weak, the counterpart of OFAC's weak AKAs (lists_int.h;
   * such aliases are nicknames and noms de guerre: "Rumuli", "India
   * Queen", "Abu Salim") */
  if (!strcmp(el, "QUALITY") && strstr(parent, "_ALIAS")) {
    r->low = n == 3 && !memcmp(s, "Low", 3);
    return TG_OK;
  }
  size_t eln = strlen(el);
  if (eln > 6 && !strcmp(el + eln - 6, "_ALIAS")) { /* an alias ends: its quality with it */
    r->low = false;
    return TG_OK;
  }
  if (!strcmp(el, "ALIAS_NAME")) {
    bool low = r->low;
    r->low = false;
    return tg__entry_add_aka_q(e, s, n, low);
  }
  if (!strcmp(el, "NAME_ORIGINAL_SCRIPT")) return tg__entry_add_aka(e, s, n);
  if ((!strcmp(el, "VALUE") && !strcmp(parent, "NATIONALITY")) ||
      (!strcmp(el, "COUNTRY") && strstr(parent, "_ADDRESS"))) {
    char buf[256];
    int k = snprintf(buf, sizeof buf, "%s%s%.*s", e->countries ? e->countries : "",
                     e->countries ? ";" : "", (int)(n < 100 ? n : 100), s);
    if (k > 0 && (size_t)k < sizeof buf && n) return tg__set_field(&e->countries, buf, (size_t)k);
  }
  return TG_OK;
}

static tg_status finish_rec(xml *x, tg__list *l, rec *r, bool person) {
  tg__buf b;
  tg__buf_init(&b);
  for (int i = 0; i < 4; i++)
    if (r->part[i]) {
      if (b.len) tg__buf_puts(&b, " ");
      tg__buf_puts(&b, r->part[i]);
    }
  tg_status st = TG_OK;
  if (b.oom) st = TG_ENOMEM;
  else if (!b.len) st = xerr(x, "the record has no name (FIRST_NAME)");
  else if (tg__set_field(&r->e->name, b.data, b.len) ||
           tg__set_field(&r->e->type, person ? "Individual" : "Entity", person ? 10 : 6) ||
           tg__set_field(&r->e->source, "UN Security Council Consolidated List (UN)", 42))
    st = TG_ENOMEM;
  tg__buf_free(&b);
  for (int i = 0; i < 4; i++) tg__free(r->part[i]);
  memset(r, 0, sizeof *r);
  (void)l;
  return st;
}

tg_status tg__un_xml_parse(const char *text, size_t len, const char *origin, tg__list **out,
                           tg_error *err) {
  *out = NULL;
  xml x = {.p = text, .end = text + len, .origin = origin, .line = 1, .err = err};
  tg__buf_init(&x.text);
  tg__list *l = tg__list_new("un", "UN Security Council Consolidated List", "un-xml");
  if (!l) return tg__set_error(err, TG_ENOMEM, "out of memory");
  rec r = {0};
  bool pending = false, seen_root = false;
  tg_status st = TG_OK;
  char name[40];
  for (;;) {
    ev e = EV_EOF;
    const char *tag_at = x.p;
    if ((st = next_tag(&x, &e, name, &pending)) != TG_OK) goto out;
    if (x.text.oom) goto nomem;
    if (e == EV_EOF) break;
    if (e == EV_START) {
      if (x.depth == 1) {
        if (strcmp(name, "CONSOLIDATED_LIST") != 0) {
          st = xerr(&x, "expected <CONSOLIDATED_LIST> (the UN consolidated list format)");
          goto out;
        }
        if (seen_root) {
          st = xerr(&x, "a second root element");
          goto out;
        }
        seen_root = true;
        for (const char *d = tag_at; d + 25 <= x.p; d++)
          if (!memcmp(d, "dateGenerated=\"", 15)) {
            if (tg__set_field(&l->published, d + 15, 10)) goto nomem;
            break;
          }
      }
      if (!strcmp(name, "INDIVIDUAL") || !strcmp(name, "ENTITY")) {
        if (r.e) {
          st = xerr(&x, "a record inside a record");
          goto out;
        }
        if (!(r.e = tg__list_add(l))) goto nomem;
      }
      x.text.len = 0;
      continue;
    }
    /* end tag */
    if (r.e && x.depth >= 1) {
      if (!strcmp(name, "INDIVIDUAL") || !strcmp(name, "ENTITY")) {
        if ((st = finish_rec(&x, l, &r, name[0] == 'I')) != TG_OK) goto out;
      } else if ((st = on_text(&x, &r, name, x.stack[x.depth - 1])) != TG_OK) {
        goto out;
      }
    }
    x.text.len = 0;
  }
  if (!seen_root) st = xerr(&x, "no <CONSOLIDATED_LIST> element");
  else if (l->n == 0) st = xerr(&x, "the list has no INDIVIDUAL or ENTITY records");
  goto out;
nomem:
  st = tg__set_error(err, TG_ENOMEM, "out of memory");
out:
  for (int i = 0; i < 4; i++) tg__free(r.part[i]);
  tg__buf_free(&x.text);
  if (st != TG_OK) tg__list_free(l);
  else *out = l;
  return st;
}
