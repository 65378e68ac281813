/* lists_read.c - list files: each file's format sniffed from its first
 * bytes, its bytes that are not UTF-8 read as cp1252, parsed by its
 * parser; OFAC's alt and add files joined to the sdn file of the same
 * read; country names mapped to ISO codes. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lists_int.h"

const char *tg__lists_sniff(const char *text, size_t len) {
  size_t i = 0;
  if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) i = 3;
  while (i < len && isspace((unsigned char)text[i])) i++;
  if (i == len) return NULL;
  if (text[i] == '{') return "csl-json";
  if (text[i] == '<') return "un-xml";
  if (len - i >= 12 && !memcmp(text + i, "mofcom_list,", 12)) return "mofcom-csv";
  if ((len - i >= 4 && !memcmp(text + i, "_id,", 4)) || (len - i >= 7 && !memcmp(text + i, "source,", 7)))
    return "csl-csv";
  if (!isdigit((unsigned char)text[i])) return NULL;
  /* OFAC files have no header: count the fields of the first record */
  tg__csv c;
  tg__csv_init(&c, text + i, len - i);
  const char *msg;
  int r = tg__csv_next(&c, &msg);
  size_t nf = c.nfields;
  tg__csv_free(&c);
  if (r != 1) return NULL;
  if (nf == 12) return "ofac-sdn";
  if (nf == 5) return "ofac-alt";
  if (nf == 6) return "ofac-add";
  return NULL;
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static tg_status read_text(const char *path, char **out, size_t *len, tg_error *err) {
  char *raw;
  size_t n;
  tg_status st = tg__read_file(path, &raw, &n, err);
  if (st != TG_OK) return st;
  tg__buf b;
  tg__buf_init(&b);
  tg__utf8_repair(raw, n, &b, true);
  tg__buf_append(&b, "", 0); /* NUL-terminated even when empty */
  tg__free(raw);
  *len = b.len;
  if (!(*out = tg__buf_detach(&b))) return tg__set_error(err, TG_ENOMEM, "out of memory");
  return TG_OK;
}

static tg_status add_file_name(tg__list *l, const char *path) {
  char buf[1024];
  snprintf(buf, sizeof buf, "%s%s%s", l->files ? l->files : "", l->files ? "," : "", base_name(path));
  return tg__set_field(&l->files, buf, strlen(buf));
}

tg_status tg__lists_read(const char *const *paths, size_t npaths, const tg_engine *e,
                         tg__list ***out, size_t *nout, tg_error *err) {
  *out = NULL;
  *nout = 0;
  tg__list **v = tg__calloc(npaths + 1, sizeof *v);
  if (!v) return tg__set_error(err, TG_ENOMEM, "out of memory");
  size_t n = 0;
  tg__list *ofac = NULL;
  tg_status st = TG_OK;
  /* pass 0: everything but OFAC alt/add; pass 1: alt/add into the sdn */
  for (int pass = 0; pass < 2 && st == TG_OK; pass++)
    for (size_t i = 0; i < npaths && st == TG_OK; i++) {
      char *text;
      size_t len;
      if ((st = read_text(paths[i], &text, &len, err)) != TG_OK) break;
      const char *fmt = tg__lists_sniff(text, len);
      bool extra = fmt && (!strcmp(fmt, "ofac-alt") || !strcmp(fmt, "ofac-add"));
      tg__list *l = NULL;
      if (!fmt) {
        if (pass == 0)
          st = tg__set_error(err, TG_EPARSE, "%s:1: not a list format Tollgate reads (CSL CSV or "
                             "JSON, OFAC sdn/alt/add CSV, UN consolidated XML, MOFCOM CSV)", paths[i]);
      } else if (extra != (pass == 1)) {
        /* the other pass */
      } else if (extra) {
        if (!ofac)
          st = tg__set_error(err, TG_EINVAL, "%s: OFAC alt and add files must be imported with "
                             "their sdn.csv", paths[i]);
        else if ((st = tg__ofac_csv_parse(ofac, fmt[5] == 'a' && fmt[6] == 'l' ? TG__OFAC_ALT
                                                                                : TG__OFAC_ADD,
                                          text, len, paths[i], err)) == TG_OK)
          st = add_file_name(ofac, paths[i]);
      } else if (!strcmp(fmt, "ofac-sdn")) {
        if (ofac) {
          st = tg__set_error(err, TG_EINVAL, "%s: two OFAC sdn files in one import", paths[i]);
        } else if (!(l = ofac = tg__list_new("ofac", "OFAC Specially Designated Nationals", "ofac-csv"))) {
          st = tg__set_error(err, TG_ENOMEM, "out of memory");
        } else {
          st = tg__ofac_csv_parse(l, TG__OFAC_SDN, text, len, paths[i], err);
        }
      } else if (!strcmp(fmt, "csl-json")) {
        st = tg__csl_json_parse(text, len, paths[i], &l, err);
      } else if (!strcmp(fmt, "mofcom-csv")) {
        st = tg__mofcom_csv_parse(text, len, paths[i], &l, err);
      } else if (!strcmp(fmt, "csl-csv")) {
        st = tg__csl_csv_parse(text, len, paths[i], &l, err);
      } else {
        st = tg__un_xml_parse(text, len, paths[i], &l, err);
      }
      tg__free(text);
      if (!l) continue;
      v[n++] = l; /* owned by v from here, even on failure */
      if (st == TG_OK) st = add_file_name(l, paths[i]);
      for (size_t k = 0; k + 1 < n && st == TG_OK; k++)
        if (!strcmp(v[k]->kind, l->kind))
          st = tg__set_error(err, TG_EINVAL, "%s: a second %s list in one import", paths[i], l->kind);
    }
  if (st != TG_OK) {
    tg__lists_free(v, n);
    return st;
  }
  for (size_t i = 0; i < n; i++) tg__list_fix_countries(v[i], e);
  *out = v;
  *nout = n;
  return TG_OK;
}

