/* lists_json.c - the Consolidated Screening List as JSON: the compacted
 * copy (entries with short keys n, a, s, t, c, e, lr, lp, pg, fr, u that
 * index into `tables`, as its `fieldKey` header explains) and the official
 * trade.gov download ({"results": [...]} with the CSV's column names).
 * Syntax errors carry jansson's line:column; entry errors name the entry
 * (JSON values carry no line numbers). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "lists_int.h"

static tg_status bad(tg_error *err, const char *origin, size_t i, const char *what) {
  return tg__set_error(err, TG_EPARSE, "%s: entries[%zu]: %s", origin, i, what);
}

/* The string at tables[key][index] when `v` is an index, or v itself. */
static const char *tabled(json_t *tables, const char *key, json_t *v, bool *ok) {
  *ok = true;
  if (!v || json_is_null(v)) return NULL;
  if (json_is_string(v)) return json_string_value(v);
  if (!json_is_integer(v)) {
    *ok = false;
    return NULL;
  }
  json_t *s = json_array_get(json_object_get(tables, key), (size_t)json_integer_value(v));
  if (!json_is_string(s)) *ok = false;
  return json_string_value(s);
}

static tg_status set_str(char **field, const char *s) {
  return s ? tg__set_field(field, s, strlen(s)) : TG_OK;
}

static tg_status str_list(tg__entry *e, json_t *a, bool akas, bool *ok) {
  *ok = true;
  if (!a || json_is_null(a)) return TG_OK;
  if (json_is_string(a)) { /* official form: "a; b" */
    const char *s = json_string_value(a);
    return akas ? tg__entry_add_aka(e, s, strlen(s)) : set_str(&e->countries, s);
  }
  if (!json_is_array(a)) {
    *ok = false;
    return TG_OK;
  }
  char buf[256];
  size_t o = 0, i;
  json_t *v;
  json_array_foreach(a, i, v) {
    const char *s = json_is_object(v) ? json_string_value(json_object_get(v, "country"))
                                      : json_string_value(v);
    if (!s) {
      if (json_is_object(v)) continue; /* an address without a country */
      *ok = false;
      return TG_OK;
    }
    if (akas) {
      if (tg__entry_add_aka(e, s, strlen(s)) != TG_OK) return TG_ENOMEM;
    } else if (o + strlen(s) + 2 < sizeof buf) {
      o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? ";" : "", s);
    }
  }
  return akas ? TG_OK : tg__set_field(&e->countries, buf, o);
}

static tg_status parse_entry(json_t *tables, json_t *x, bool compact, tg__entry *e,
                             const char **what) {
#define K(c, o) (compact ? (c) : (o))
  bool ok1, ok2, ok3, ok4, ok5, ok6, ok7;
  const char *name = json_string_value(json_object_get(x, K("n", "name")));
  const char *source = tabled(tables, "sources", json_object_get(x, K("s", "source")), &ok1);
  const char *lr = tabled(tables, "licenceRequirements",
                          json_object_get(x, K("lr", "license_requirement")), &ok2);
  const char *lp = tabled(tables, "licencePolicies", json_object_get(x, K("lp", "license_policy")),
                          &ok3);
  const char *pg = tabled(tables, "programmes", json_object_get(x, K("pg", "programs")), &ok4);
  const char *url = tabled(tables, "urls", json_object_get(x, K("u", "source_list_url")), &ok5);
  if (!name || !*name) {
    *what = "the entry has no name";
    return TG_EPARSE;
  }
  if (!source || !ok1) {
    *what = "the entry names no source list (s)";
    return TG_EPARSE;
  }
  if (!ok2 || !ok3 || !ok4 || !ok5) {
    *what = "an index into tables is out of range";
    return TG_EPARSE;
  }
  json_t *ref = json_object_get(x, K("e", "entity_number"));
  json_t *fr = json_object_get(x, K("fr", "federal_register_notice"));
  json_t *type = json_object_get(x, K("t", "type"));
  if (set_str(&e->name, name) || set_str(&e->source, source) || set_str(&e->license_requirement, lr) ||
      set_str(&e->license_policy, lp) || set_str(&e->programs, pg) || set_str(&e->url, url) ||
      set_str(&e->ref, json_string_value(ref)) || set_str(&e->fr_notice, json_string_value(fr)) ||
      set_str(&e->type, json_string_value(type)) ||
      set_str(&e->start_date, json_string_value(json_object_get(x, "start_date"))))
    return TG_ENOMEM;
  if (str_list(e, json_object_get(x, K("a", "alt_names")), true, &ok6) ||
      str_list(e, json_object_get(x, K("c", "addresses")), false, &ok7))
    return TG_ENOMEM;
  if (!ok6 || !ok7) {
    *what = "alt_names and countries must be lists of text";
    return TG_EPARSE;
  }
  return TG_OK;
#undef K
}

tg_status tg__csl_json_parse(const char *text, size_t len, const char *origin, tg__list **out,
                             tg_error *err) {
  *out = NULL;
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return tg__set_error(err, TG_EPARSE, "%s:%d:%d: %s", origin, je.line, je.column, je.text);
  tg_status st = TG_OK;
  tg__list *l = NULL;
  json_t *entries = json_object_get(root, "entries");
  bool compact = entries != NULL;
  if (!compact) entries = json_object_get(root, "results");
  if (!json_is_array(entries)) {
    st = tg__set_error(err, TG_EPARSE, "%s:1: expected an object with an 'entries' (compact) "
                       "or 'results' (trade.gov) list", origin);
    goto out;
  }
  json_t *tables = json_object_get(root, "tables");
  if (compact && !json_is_object(tables)) {
    st = tg__set_error(err, TG_EPARSE, "%s:1: the compact list has no 'tables'", origin);
    goto out;
  }
  if (!(l = tg__list_new("csl", "US Consolidated Screening List", "csl-json"))) goto nomem;
  const char *gen = json_string_value(json_object_get(root, "sourceGeneratedAt"));
  if (gen && strlen(gen) >= 10 && tg__set_field(&l->published, gen, 10)) goto nomem;
  size_t i;
  json_t *x;
  json_array_foreach(entries, i, x) {
    if (!json_is_object(x)) {
      st = bad(err, origin, i, "expected an object");
      goto out;
    }
    tg__entry *e = tg__list_add(l);
    if (!e) goto nomem;
    const char *what = NULL;
    st = parse_entry(tables, x, compact, e, &what);
    if (st == TG_ENOMEM) goto nomem;
    if (st != TG_OK) {
      bad(err, origin, i, what);
      goto out;
    }
  }
  json_t *count = json_object_get(root, "entryCount");
  if (json_is_integer(count) && (size_t)json_integer_value(count) != l->n) {
    st = tg__set_error(err, TG_EPARSE, "%s: entryCount says %lld entries but the file has %zu",
                       origin, (long long)json_integer_value(count), l->n);
    goto out;
  }
  if (l->n == 0) st = tg__set_error(err, TG_EPARSE, "%s: the list has no entries", origin);
  goto out;
nomem:
  st = tg__set_error(err, TG_ENOMEM, "out of memory");
out:
  json_decref(root);
  if (st != TG_OK) tg__list_free(l);
  else *out = l;
  return st;
}
