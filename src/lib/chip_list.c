/* chip_list.c - a user's catalog file: the catalog's own format (a mapping
 * with a `chips:` list, as data/catalog/chips.yaml), a list of specs, or a
 * single spec, each chip read by the catalog's reader (chip.c). */
#include <string.h>

#include "chip_int.h"

void tg_chips_destroy(tg_chip **v, size_t n) {
  if (!v) return;
  for (size_t i = 0; i < n; i++) tg_chip_destroy(v[i]);
  tg__free(v);
}

tg_status tg_chips_parse(const char *text, size_t len, const char *origin, tg_chip ***out,
                         size_t *nout, tg_error *err) {
  if (!out || !nout) return tg__set_error(err, TG_EINVAL, "tg_chips_parse: no output");
  *out = NULL;
  *nout = 0;
  if (!text) return tg__set_error(err, TG_EINVAL, "no catalog text");
  if (!origin) origin = "catalog";
  tg__yaml y;
  tg_status st = tg__yaml_load(&y, text, len, origin, err);
  if (st != TG_OK) return st;
  tg__ynode *root = tg__yaml_root(&y), *list = tg__yaml_get(root, "chips");
  if (!list && tg__yaml_is_seq(root)) list = root;
  size_t cap = list && tg__yaml_is_seq(list) ? (size_t)tg__yaml_count(list) : 1;
  tg_chip **v = tg__calloc(cap ? cap : 1, sizeof *v);
  size_t n = 0;
  if (!v) {
    tg__yaml_free(&y);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  if (!root || (!list && !tg__yaml_is_map(root))) {
    st = tg__set_error(err, TG_EPARSE, "%s: expected a catalog (chips: [...]), a list of specs "
                       "or one spec", origin);
  } else if (list && !tg__yaml_is_seq(list)) {
    st = tg__yaml_error(&y, list, err, TG_EPARSE, "chips: expected a list of chips");
  } else if (!list) {
    st = tg__chip_from_node(&y, root, false, &v[n], err);
    if (st == TG_OK) n++;
  } else {
    void *it = NULL;
    tg__ynode *item;
    while (st == TG_OK && n < cap && (item = tg__yaml_seq_next(list, &it)) != NULL) {
      if ((st = tg__chip_from_node(&y, item, false, &v[n], err)) != TG_OK) break;
      n++;
      for (size_t i = 0; i + 1 < n && st == TG_OK; i++)
        if (!strcmp(v[i]->id, v[n - 1]->id))
          st = tg__yaml_error(&y, item, err, TG_EPARSE, "chip id '%s' is used twice", v[i]->id);
    }
    if (st == TG_OK && n == 0)
      st = tg__yaml_error(&y, list, err, TG_EPARSE, "chips: the list is empty");
  }
  tg__yaml_free(&y);
  if (st != TG_OK) {
    tg_chips_destroy(v, n);
    return st;
  }
  *out = v;
  *nout = n;
  return TG_OK;
}
