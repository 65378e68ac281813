/* group_history.c - dated changes to Country Group membership
 * (DATA_DIR/country-groups-history.yaml), so that a group is read as it
 * stood on the order's date; a change whose date the sources do not settle
 * leaves the membership unknown between the last date the old state is
 * attested and the first date the new one is. */
#include <string.h>

#include "engine_int.h"
#include "yaml_int.h"

static tg_status read_date(tg__yaml *y, tg__ynode *map, const char *key, tg_date *out,
                           bool *present, tg_error *err) {
  tg__ynode *n = tg__yaml_get(map, key);
  *present = n != NULL;
  if (!n) return TG_OK;
  char *s = tg__yaml_strdup(n);
  tg_status st = s ? tg_date_parse(s, out) : TG_EINVAL;
  tg__free(s);
  if (st != TG_OK)
    return tg__yaml_error(y, n, err, TG_EPARSE, "'%s' expects a date (YYYY-MM-DD)", key);
  return TG_OK;
}

static tg_status read_change(tg__yaml *y, const tg_engine *e, tg__ynode *n,
                             tg__group_change *c, tg_error *err) {
  if (!tg__yaml_is_map(n)) return tg__yaml_error(y, n, err, TG_EPARSE, "a change must be a mapping");
  char *code = tg__yaml_strdup(tg__yaml_get(n, "country"));
  const tg__country *k = code ? tg__country_find(e, code) : NULL;
  tg__free(code);
  if (!k) return tg__yaml_error(y, n, err, TG_EPARSE, "'country' expects a code listed in countries.yaml");
  memcpy(c->code, k->code, 3);
  char *g = tg__yaml_strdup(tg__yaml_get(n, "group"));
  if (!g || strlen(g) >= sizeof c->group) {
    tg__free(g);
    return tg__yaml_error(y, n, err, TG_EPARSE, "'group' expects a Country Group such as \"D:5\"");
  }
  memcpy(c->group, g, strlen(g) + 1);
  tg__free(g);
  tg__ynode *ch = tg__yaml_get(n, "change");
  if (tg__yaml_eq(ch, "added")) c->added = true;
  else if (tg__yaml_eq(ch, "removed")) c->added = false;
  else return tg__yaml_error(y, ch ? ch : n, err, TG_EPARSE, "'change' expects added or removed");
  bool has_eff, has_old, has_new;
  tg_date eff = 0;
  tg_status st;
  if ((st = read_date(y, n, "effective", &eff, &has_eff, err)) != TG_OK ||
      (st = read_date(y, n, "old_until", &c->old_until, &has_old, err)) != TG_OK ||
      (st = read_date(y, n, "new_from", &c->new_from, &has_new, err)) != TG_OK)
    return st;
  if (has_eff == (has_old || has_new) || has_old != has_new)
    return tg__yaml_error(y, n, err, TG_EPARSE,
                          "a change gives either 'effective' or both 'old_until' and 'new_from'");
  if (has_eff) {
    c->old_until = eff - 1;
    c->new_from = eff;
  } else if (c->new_from <= c->old_until) {
    return tg__yaml_error(y, n, err, TG_EPARSE, "'new_from' must come after 'old_until'");
  }
  c->citation = tg__yaml_strdup(tg__yaml_get(n, "citation"));
  c->verification = tg__yaml_strdup(tg__yaml_get(n, "verification"));
  c->note = tg__yaml_strdup(tg__yaml_get(n, "note"));
  if (!c->citation || !c->verification)
    return tg__yaml_error(y, n, err, TG_EPARSE, "a change needs 'citation' and 'verification'");
  static const char *const levels[] = {"verified", "secondary", "estimate", "unverified", NULL};
  bool ok = false;
  for (int i = 0; levels[i]; i++) ok |= !strcmp(levels[i], c->verification);
  if (!ok)
    return tg__yaml_error(y, n, err, TG_EPARSE,
                          "'verification' expects verified, secondary, estimate or unverified");
  /* the file records changes up to the snapshot in countries.yaml */
  if (tg__country_has(k, c->group) != c->added)
    return tg__yaml_error(y, n, err, TG_EPARSE,
                          "%s is %s %s in countries.yaml, which contradicts this change",
                          c->code, c->added ? "not in" : "in", c->group);
  return TG_OK;
}

tg_status tg__group_history_parse(tg_engine *e, const char *text, size_t len, const char *origin,
                                  tg_error *err) {
  tg__yaml y;
  tg_status st = tg__yaml_load(&y, text, len, origin, err);
  if (st != TG_OK) return st;
  tg__ynode *list = tg__yaml_get(tg__yaml_root(&y), "changes");
  if (!tg__yaml_is_seq(list)) {
    st = tg__yaml_error(&y, tg__yaml_root(&y), err, TG_EPARSE, "expected a 'changes' list");
    goto out;
  }
  int n = tg__yaml_count(list);
  if (n > TG__MAX_GROUP_CHANGES) {
    st = tg__yaml_error(&y, list, err, TG_EPARSE,
                        "%d changes; at most %d are supported (TG__MAX_GROUP_CHANGES in "
                        "src/lib/engine_int.h)", n, TG__MAX_GROUP_CHANGES);
    goto out;
  }
  e->group_changes = tg__calloc((size_t)(n > 0 ? n : 1), sizeof *e->group_changes);
  if (!e->group_changes) {
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
    goto out;
  }
  void *it = NULL;
  tg__ynode *item;
  while ((item = tg__yaml_seq_next(list, &it)) != NULL) {
    tg__group_change *c = &e->group_changes[e->ngroup_changes++];
    if ((st = read_change(&y, e, item, c, err)) != TG_OK) goto out;
    for (size_t i = 0; i + 1 < e->ngroup_changes; i++)
      if (!strcmp(e->group_changes[i].code, c->code) && !strcmp(e->group_changes[i].group, c->group)) {
        st = tg__yaml_error(&y, item, err, TG_EPARSE, "a second change of %s in %s", c->code,
                            c->group);
        goto out;
      }
  }
out:
  tg__yaml_free(&y);
  return st;
}

tg_status tg__group_history_load(tg_engine *e, const char *path, tg_error *err) {
  char *text;
  size_t len;
  tg_status st = tg__read_file(path, &text, &len, err);
  if (st != TG_OK) return st;
  st = tg__group_history_parse(e, text, len, path, err);
  tg__free(text);
  return st;
}

void tg__group_history_free(tg_engine *e) {
  for (size_t i = 0; i < e->ngroup_changes; i++) {
    tg__free(e->group_changes[i].citation);
    tg__free(e->group_changes[i].verification);
    tg__free(e->group_changes[i].note);
  }
  tg__free(e->group_changes);
  e->group_changes = NULL;
  e->ngroup_changes = 0;
}

int tg__country_in_group_on(const tg_engine *e, const tg__country *c, const char *group,
                            tg_date on, const tg__group_change **why) {
  *why = NULL;
  for (size_t i = 0; i < e->ngroup_changes; i++) {
    const tg__group_change *g = &e->group_changes[i];
    /* codes are two letters (checked at load): compare them inline */
    if (g->code[0] != c->code[0] || g->code[1] != c->code[1] || strcmp(g->group, group) != 0)
      continue;
    if (on >= g->new_from) break; /* the snapshot holds */
    *why = g;
    if (on <= g->old_until) return g->added ? 0 : 1;
    return -1;
  }
  return tg__country_has(c, group) ? 1 : 0;
}
