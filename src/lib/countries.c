/* countries.c - ISO countries with their EAR country groups and Country
 * Chart marks, read from DATA_DIR/countries.yaml (in code order), and
 * their list as JSON for pickers. */
#include <jansson.h>
#include <string.h>

#include "engine_int.h"
#include "yaml_int.h"

/* A list of texts as one block: the pointer array, then the strings (one
 * allocation per list, not one per text: countries.yaml holds thousands). */
static tg_status read_list(tg__yaml *y, tg__ynode *n, const char *what,
                           char ***out, size_t *count, tg_error *err) {
  *out = NULL;
  *count = 0;
  if (!n) return TG_OK;
  if (!tg__yaml_is_seq(n))
    return tg__yaml_error(y, n, err, TG_EPARSE, "'%s' expects a list", what);
  size_t k = (size_t)tg__yaml_count(n), bytes = 0;
  void *it = NULL;
  tg__ynode *item;
  while ((item = tg__yaml_seq_next(n, &it)) != NULL) {
    if (!tg__yaml_is_scalar(item) || memchr(item->text, '\0', item->len))
      return tg__yaml_error(y, item, err, TG_EPARSE, "'%s' items must be text", what);
    bytes += item->len + 1;
  }
  char **v = tg__malloc((k ? k : 1) * sizeof *v + bytes);
  if (!v) return tg__set_error(err, TG_ENOMEM, "out of memory");
  char *at = (char *)(v + (k ? k : 1));
  it = NULL;
  for (size_t i = 0; (item = tg__yaml_seq_next(n, &it)) != NULL; i++) {
    memcpy(at, item->text, item->len + 1);
    v[i] = at;
    at += item->len + 1;
  }
  *out = v;
  *count = k;
  return TG_OK;
}

static bool valid_code(const char *s) {
  return s && strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

static tg_status read_country(tg__yaml *y, tg__ynode *n, tg__country *c,
                              tg_error *err) {
  if (!tg__yaml_is_map(n))
    return tg__yaml_error(y, n, err, TG_EPARSE, "a country must be a mapping");
  tg__ynode *code = tg__yaml_get(n, "code");
  char *s = tg__yaml_strdup(code);
  if (!valid_code(s)) {
    tg__free(s);
    return tg__yaml_error(y, code ? code : n, err, TG_EPARSE,
                          "'code' expects an ISO 3166-1 alpha-2 code");
  }
  memcpy(c->code, s, 3);
  tg__free(s);
  tg__ynode *t = tg__yaml_get(n, "treat_as");
  if (t) {
    s = tg__yaml_strdup(t);
    if (!valid_code(s)) {
      tg__free(s);
      return tg__yaml_error(y, t, err, TG_EPARSE, "'treat_as' expects a country code");
    }
    memcpy(c->treat_as, s, 3);
    tg__free(s);
  }
  c->name = tg__yaml_strdup(tg__yaml_get(n, "name"));
  if (!c->name) return tg__yaml_error(y, n, err, TG_EPARSE, "the country has no 'name'");
  c->note = tg__yaml_strdup(tg__yaml_get(n, "note"));
  c->embargoed = tg__yaml_strdup(tg__yaml_get(n, "embargoed"));
  tg_status st = read_list(y, tg__yaml_get(n, "groups"), "groups", &c->groups, &c->ngroups, err);
  if (st == TG_OK)
    st = read_list(y, tg__yaml_get(n, "chart"), "chart", &c->marks, &c->nmarks, err);
  return st;
}

tg_status tg__countries_load(tg_engine *e, const char *path, tg_error *err) {
  tg__yaml y;
  tg__ynode *list;
  int n;
  tg_status st = tg__yaml_load_list(&y, path, "countries", &list, &n, err);
  if (st != TG_OK) return st;
  e->countries = tg__calloc((size_t)(n > 0 ? n : 1), sizeof *e->countries);
  if (!e->countries) {
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
    goto out;
  }
  void *it = NULL;
  tg__ynode *item;
  while ((item = tg__yaml_seq_next(list, &it)) != NULL) {
    tg__country *c = &e->countries[e->ncountries++];
    if ((st = read_country(&y, item, c, err)) != TG_OK) goto out;
    for (size_t i = 0; i + 1 < e->ncountries; i++)
      if (!strcmp(e->countries[i].code, c->code)) {
        st = tg__yaml_error(&y, item, err, TG_EPARSE, "country '%s' is listed twice", c->code);
        goto out;
      }
  }
  for (size_t i = 0; st == TG_OK && i < e->ncountries; i++) {
    tg__country *c = &e->countries[i];
    e->country_at[(c->code[0] - 'A') * 26 + (c->code[1] - 'A')] = (int16_t)(i + 1);
    for (int g = 0; g < TG__GROUP_POOL; g++) {
      const char *name = tg__group_pool(g);
      for (size_t k = 0; k < c->ngroups; k++)
        if (!strcmp(c->groups[k], name)) c->pooled |= 1u << g;
      for (size_t k = 0; k < c->nmarks; k++)
        if (!strcmp(c->marks[k], name)) c->pooled |= 1u << g;
    }
  }
out:
  tg__yaml_free(&y);
  return st;
}

void tg__countries_free(tg_engine *e) {
  for (size_t i = 0; i < e->ncountries; i++) {
    tg__country *c = &e->countries[i];
    tg__free(c->name);
    tg__free(c->note);
    tg__free(c->embargoed);
    tg__free(c->groups); /* one block each (read_list) */
    tg__free(c->marks);
  }
  tg__free(e->countries);
  e->countries = NULL;
  e->ncountries = 0;
}

const tg__country *tg__country_find(const tg_engine *e, const char *code) {
  if (!e || !code || !code[0] || !code[1] || code[2]) return NULL;
  int a = code[0] >= 'a' && code[0] <= 'z' ? code[0] - 'a' : code[0] - 'A';
  int b = code[1] >= 'a' && code[1] <= 'z' ? code[1] - 'a' : code[1] - 'A';
  if (a < 0 || a >= 26 || b < 0 || b >= 26) return NULL;
  int at = e->country_at[a * 26 + b]; /* built at load: hot in every rule */
  return at ? &e->countries[at - 1] : NULL;
}

bool tg__country_has(const tg__country *c, const char *group) {
  int g = tg__group_pool_index(group);
  if (g >= 0) return c->pooled >> g & 1u;
  for (size_t i = 0; i < c->ngroups; i++)
    if (!strcmp(c->groups[i], group)) return true;
  for (size_t i = 0; i < c->nmarks; i++)
    if (!strcmp(c->marks[i], group)) return true;
  return false;
}

size_t tg__group_members(const tg_engine *e, const char *group, const char **out,
                         size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < e->ncountries; i++)
    if (tg__country_has(&e->countries[i], group)) {
      if (n < cap) out[n] = e->countries[i].code;
      n++;
    }
  return n;
}

tg_status tg_country_canonical(const tg_engine *e, const char *code, char canon[3]) {
  const tg__country *c = tg__country_find(e, code);
  if (!c) return TG_EINVAL;
  memcpy(canon, c->treat_as[0] ? c->treat_as : c->code, 3);
  return TG_OK;
}

const char *tg_country_name(const tg_engine *e, const char *code) {
  const tg__country *c = tg__country_find(e, code);
  return c ? c->name : NULL;
}

char *tg_countries_json(const tg_engine *e) {
  if (!e) return NULL;
  json_t *a = json_array();
  for (size_t i = 0; i < e->ncountries; i++) {
    const tg__country *c = &e->countries[i];
    json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "code", c->code, "name",
                                       c->name ? c->name : c->code, "ear",
                                       c->treat_as[0] ? c->treat_as : c->code));
  }
  char *out = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(a);
  return out;
}

int tg_country_in_group(const tg_engine *e, const char *code, const char *group) {
  char canon[3];
  if (tg_country_canonical(e, code, canon) != TG_OK || !group) return 0;
  return tg__country_has(tg__country_find(e, canon), group) ? 1 : 0;
}
