/* lists_csv.c - the CSV list formats: an RFC 4180 reader with line numbers,
 * the Consolidated Screening List's CSV (28 or 29 named columns) and
 * OFAC's header-less SDN files (sdn.csv 12 fields, alt.csv 5, add.csv 6,
 * "-0-" for empty). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists_int.h"

void tg__csv_init(tg__csv *c, const char *text, size_t len) {
  memset(c, 0, sizeof *c);
  c->p = text;
  c->end = text + len;
  c->next_line = 1;
  if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) c->p += 3;
}

void tg__csv_free(tg__csv *c) {
  tg__free(c->fields);
  tg__free(c->lens);
  tg__free(c->buf);
}

static bool buf_put(tg__csv *c, size_t *o, char ch) {
  if (*o + 1 >= c->bufcap) {
    size_t cap = c->bufcap ? c->bufcap * 2 : 1024;
    char *b = tg__realloc(c->buf, cap);
    if (!b) return false;
    c->buf = b;
    c->bufcap = cap;
  }
  c->buf[(*o)++] = ch;
  return true;
}

static bool field_end(tg__csv *c, size_t start, size_t *o) {
  if (c->nfields == c->cfields) {
    size_t cap = c->cfields ? c->cfields * 2 : 32;
    if (cap > 4096) return false;
    char **f = tg__realloc(c->fields, cap * sizeof *f);
    if (!f) return false;
    c->fields = f;
    size_t *l = tg__realloc(c->lens, cap * sizeof *l);
    if (!l) return false;
    c->lens = l;
    c->cfields = cap;
  }
  c->fields[c->nfields] = (char *)(uintptr_t)start; /* offset until done */
  c->lens[c->nfields++] = *o - start;
  return buf_put(c, o, '\0');
}

int tg__csv_next(tg__csv *c, const char **msg) {
  *msg = NULL;
  /* skip blank lines and a trailing DOS end-of-file mark (OFAC files) */
  while (c->p < c->end && (*c->p == '\r' || *c->p == '\n' || *c->p == '\x1a')) {
    if (*c->p == '\n') c->next_line++;
    c->p++;
  }
  if (c->p >= c->end) return 0;
  c->line = c->next_line;
  c->nfields = 0;
  size_t o = 0, start = 0;
  for (;;) {
    if (c->p < c->end && *c->p == '"') {
      c->p++;
      for (;;) {
        if (c->p >= c->end) {
          *msg = "unterminated quoted field (the record starts here)";
          return -1;
        }
        char ch = *c->p++;
        if (ch == '"') {
          if (c->p < c->end && *c->p == '"') c->p++;
          else break;
        } else if (ch == '\n') {
          c->next_line++;
        }
        if (!buf_put(c, &o, ch)) return -2;
      }
      /* text after the closing quote up to the separator (OFAC pads) */
      while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
        if (*c->p != ' ') {
          *msg = "text after a closing quote";
          return -1;
        }
        c->p++;
      }
    } else {
      while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
        if (*c->p == '"') {
          *msg = "a quote inside an unquoted field";
          return -1;
        }
        if (!buf_put(c, &o, *c->p++)) return -2;
      }
    }
    if (!field_end(c, start, &o)) return -2;
    start = o;
    if (c->p < c->end && *c->p == ',') {
      c->p++;
      continue;
    }
    break;
  }
  if (c->p < c->end && *c->p == '\r') c->p++;
  if (c->p < c->end && *c->p == '\n') {
    c->p++;
    c->next_line++;
  }
  for (size_t i = 0; i < c->nfields; i++) c->fields[i] = c->buf + (uintptr_t)c->fields[i];
  return 1;
}

static tg_status csv_error(tg_error *err, const char *origin, int line, const char *what) {
  return tg__set_error(err, TG_EPARSE, "%s:%d: %s", origin, line, what);
}

/* ---- Consolidated Screening List CSV -------------------------------- */

enum { C_SOURCE, C_ENTNUM, C_TYPE, C_PROGRAMS, C_NAME, C_ADDRESSES, C_FR, C_START,
       C_LR, C_LP, C_URL, C_ALT, C_ID, C_NCOLS };
static const char *const csl_cols[C_NCOLS] = {
    "source", "entity_number", "type", "programs", "name", "addresses",
    "federal_register_notice", "start_date", "license_requirement", "license_policy",
    "source_list_url", "alt_names", "_id"};

/* "a; b; c" -> aliases */
static tg_status add_akas(tg__entry *e, const char *s) {
  while (*s) {
    const char *q = strstr(s, "; ");
    size_t n = q ? (size_t)(q - s) : strlen(s);
    if (tg__entry_add_aka(e, s, n) != TG_OK) return TG_ENOMEM;
    s += n;
    if (*s) s += 2;
  }
  return TG_OK;
}

/* "street, city, CN; other, HK" -> "CN;HK" (the CSL ends each address with
 * its ISO code). */
static tg_status address_countries(tg__entry *e, const char *s) {
  char out[256];
  size_t o = 0;
  while (*s) {
    const char *q = strchr(s, ';');
    size_t n = q ? (size_t)(q - s) : strlen(s);
    size_t k = n;
    while (k && (s[k - 1] == ' ' || s[k - 1] == ',')) k--;
    size_t b = k;
    while (b && s[b - 1] != ',') b--;
    while (b < k && s[b] == ' ') b++;
    if (k > b && k - b < 60 && o + (k - b) + 2 < sizeof out) {
      if (o) out[o++] = ';';
      memcpy(out + o, s + b, k - b);
      o += k - b;
    }
    s += n;
    if (*s) s++;
  }
  return tg__set_field(&e->countries, out, o);
}

tg_status tg__csl_csv_parse(const char *text, size_t len, const char *origin, tg__list **out,
                            tg_error *err) {
  *out = NULL;
  tg__csv c;
  tg__csv_init(&c, text, len);
  const char *msg;
  int col[C_NCOLS];
  tg_status st = TG_OK;
  tg__list *l = tg__list_new("csl", "US Consolidated Screening List", "csl-csv");
  if (!l) return tg__set_error(err, TG_ENOMEM, "out of memory");
  int r = tg__csv_next(&c, &msg);
  if (r != 1) {
    st = r == -2 ? tg__set_error(err, TG_ENOMEM, "out of memory")
                 : csv_error(err, origin, c.line ? c.line : 1, msg ? msg : "empty file");
    goto fail;
  }
  size_t ncols = c.nfields;
  for (int k = 0; k < C_NCOLS; k++) {
    col[k] = -1;
    for (size_t i = 0; i < c.nfields; i++)
      if (!strcmp(c.fields[i], csl_cols[k])) col[k] = (int)i;
    if (col[k] < 0 && k != C_ID) {
      char m[128];
      snprintf(m, sizeof m, "the header has no '%s' column", csl_cols[k]);
      st = csv_error(err, origin, c.line, m);
      goto fail;
    }
  }
  while ((r = tg__csv_next(&c, &msg)) == 1) {
    if (c.nfields != ncols) {
      char m[128];
      snprintf(m, sizeof m, "expected %zu fields as in the header, found %zu", ncols, c.nfields);
      st = csv_error(err, origin, c.line, m);
      goto fail;
    }
    const char *name = c.fields[col[C_NAME]];
    const char *src = c.fields[col[C_SOURCE]];
    if (!*src) {
      st = csv_error(err, origin, c.line, "the entry names no source list");
      goto fail;
    }
    tg__entry *e = tg__list_add(l);
    if (!e) goto nomem;
    const char *ref = col[C_ID] >= 0 && !*c.fields[col[C_ENTNUM]] ? c.fields[col[C_ID]]
                                                                    : c.fields[col[C_ENTNUM]];
    if (tg__set_field(&e->source, src, strlen(src)) ||
        tg__set_field(&e->name, name, strlen(name)) ||
        tg__set_field(&e->ref, ref, strlen(ref)) ||
        tg__set_field(&e->type, c.fields[col[C_TYPE]], c.lens[col[C_TYPE]]) ||
        tg__set_field(&e->programs, c.fields[col[C_PROGRAMS]], c.lens[col[C_PROGRAMS]]) ||
        tg__set_field(&e->fr_notice, c.fields[col[C_FR]], c.lens[col[C_FR]]) ||
        tg__set_field(&e->start_date, c.fields[col[C_START]], c.lens[col[C_START]]) ||
        tg__set_field(&e->license_requirement, c.fields[col[C_LR]], c.lens[col[C_LR]]) ||
        tg__set_field(&e->license_policy, c.fields[col[C_LP]], c.lens[col[C_LP]]) ||
        tg__set_field(&e->url, c.fields[col[C_URL]], c.lens[col[C_URL]]) ||
        add_akas(e, c.fields[col[C_ALT]]) || address_countries(e, c.fields[col[C_ADDRESSES]]))
      goto nomem;
    if (!e->name) {
      st = csv_error(err, origin, c.line, "the entry has no name");
      goto fail;
    }
  }
  if (r == -2) goto nomem;
  if (r < 0) {
    st = csv_error(err, origin, c.line, msg);
    goto fail;
  }
  if (l->n == 0) {
    st = csv_error(err, origin, c.line, "the file has a header but no entries");
    goto fail;
  }
  tg__csv_free(&c);
  *out = l;
  return TG_OK;
nomem:
  st = tg__set_error(err, TG_ENOMEM, "out of memory");
fail:
  tg__csv_free(&c);
  tg__list_free(l);
  return st;
}

/* ---- OFAC SDN ------------------------------------------------------- */

static const char *ofac_val(const char *s) {
  while (*s == ' ') s++;
  return !strncmp(s, "-0-", 3) ? "" : s;
}

/* OFAC's weak AKAs: in its delimited files they are in the remarks field
 * of the SDN record (OFAC's notice of 2012-06-13, item 2,
 * ofac.treasury.gov/recent-actions/20120613; FAQ 122-123), each as
 * a.k.a. 'NAME' among the "; "-separated remarks; the strong ones are in
 * alt.csv.  (Remarks past 1,000 characters spill into sdn_comments.csv,
 * which is not read.)
 * A name may hold apostrophes ('ABU-'UMAR', ''FOOPIE''): it runs to the
 * next "; " or the closing "'." of the field; the outer quotes and a
 * closing full stop are dropped. */
static tg_status weak_akas(tg__entry *e, const char *r) {
  static const char tag[] = "a.k.a. '";
  for (const char *p = r; (p = strstr(p, tag)) != NULL;) {
    if (p != r && (p - r < 2 || p[-2] != ';' || p[-1] != ' ')) {
      p += sizeof tag - 1;
      continue;
    }
    const char *s = p + sizeof tag - 2, *end = strstr(s, "; ");
    if (!end) end = s + strlen(s);
    const char *dot = strstr(s, "'. ");
    if (dot && dot < end) end = dot + 1;
    p = end;
    while (end > s && (end[-1] == '.' || end[-1] == ' ')) end--;
    while (s < end && *s == '\'') s++;
    while (end > s && end[-1] == '\'') end--;
    if (end > s && tg__entry_add_aka_q(e, s, (size_t)(end - s), true) != TG_OK) return TG_ENOMEM;
  }
  return TG_OK;
}

static tg__entry *find_ent(tg__list *l, const char *ref) {
  /* entries are appended in ent_num order; binary search, then scan */
  long want = strtol(ref, NULL, 10);
  size_t lo = 0, hi = l->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    long v = strtol(l->entries[mid].ref ? l->entries[mid].ref : "0", NULL, 10);
    if (v == want) return &l->entries[mid];
    if (v < want) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = 0; i < l->n; i++)
    if (l->entries[i].ref && !strcmp(l->entries[i].ref, ref)) return &l->entries[i];
  return NULL;
}

static bool sorted_by_ref(const tg__list *l) {
  for (size_t i = 1; i < l->n; i++)
    if (strtol(l->entries[i - 1].ref, NULL, 10) > strtol(l->entries[i].ref, NULL, 10))
      return false;
  return true;
}

static int cmp_ref(const void *a, const void *b) {
  long x = strtol(((const tg__entry *)a)->ref, NULL, 10);
  long y = strtol(((const tg__entry *)b)->ref, NULL, 10);
  return (x > y) - (x < y);
}

static tg_status append_country(tg__entry *e, const char *country) {
  if (!*country) return TG_OK;
  char buf[256];
  int n = snprintf(buf, sizeof buf, "%s%s%s", e->countries ? e->countries : "",
                   e->countries ? ";" : "", country);
  if (n < 0 || (size_t)n >= sizeof buf) return TG_OK;
  return tg__set_field(&e->countries, buf, (size_t)n);
}

tg_status tg__ofac_csv_parse(tg__list *l, tg__ofac_kind kind, const char *text, size_t len,
                             const char *origin, tg_error *err) {
  static const size_t want[] = {12, 5, 6};
  tg__csv c;
  tg__csv_init(&c, text, len);
  const char *msg;
  int r;
  tg_status st = TG_OK;
  size_t before = l->n;
  if (kind != TG__OFAC_SDN && !sorted_by_ref(l)) qsort(l->entries, l->n, sizeof *l->entries, cmp_ref);
  while ((r = tg__csv_next(&c, &msg)) == 1) {
    if (c.nfields != want[kind]) {
      char m[96];
      snprintf(m, sizeof m, "expected %zu fields, found %zu", want[kind], c.nfields);
      st = csv_error(err, origin, c.line, m);
      goto out;
    }
    char *endp;
    const char *ref = c.fields[0];
    long num = strtol(ref, &endp, 10);
    if (!*ref || *endp || num <= 0) {
      st = csv_error(err, origin, c.line, "the first field is not an entry number");
      goto out;
    }
    if (kind == TG__OFAC_SDN) {
      const char *name = ofac_val(c.fields[1]);
      if (!*name) {
        st = csv_error(err, origin, c.line, "the entry has no name");
        goto out;
      }
      tg__entry *e = tg__list_add(l);
      if (!e) goto nomem;
      const char *type = ofac_val(c.fields[2]);
      if (tg__set_field(&e->ref, ref, strlen(ref)) || tg__set_field(&e->name, name, strlen(name)) ||
          tg__set_field(&e->type, *type ? type : "Entity", strlen(*type ? type : "Entity")) ||
          tg__set_field(&e->programs, ofac_val(c.fields[3]), strlen(ofac_val(c.fields[3]))) ||
          tg__set_field(&e->source, "Specially Designated Nationals (SDN) - Treasury Department",
                        58) ||
          weak_akas(e, ofac_val(c.fields[11])))
        goto nomem;
      if (e->type && e->type[0] >= 'a' && e->type[0] <= 'z') e->type[0] = (char)(e->type[0] - 32);
    } else {
      tg__entry *e = find_ent(l, ref);
      if (!e) {
        char m[128];
        snprintf(m, sizeof m, "entry %s is not in the SDN file imported with it", ref);
        st = csv_error(err, origin, c.line, m);
        goto out;
      }
      const char *v = ofac_val(c.fields[kind == TG__OFAC_ALT ? 3 : 4]);
      if ((kind == TG__OFAC_ALT ? tg__entry_add_aka(e, v, strlen(v)) : append_country(e, v)) != TG_OK)
        goto nomem;
    }
  }
  if (r == -2) goto nomem;
  if (r < 0) {
    st = csv_error(err, origin, c.line, msg);
    goto out;
  }
  if (kind == TG__OFAC_SDN && l->n == before) st = csv_error(err, origin, 1, "the file has no entries");
  goto out;
nomem:
  st = tg__set_error(err, TG_ENOMEM, "out of memory");
out:
  tg__csv_free(&c);
  return st;
}
