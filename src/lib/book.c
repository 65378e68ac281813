/* book.c - one line of an order book (`tollgate recheck BOOK`): a JSON
 * object with the order fields of POST /v1/checks (chip, to, hq, from,
 * qty, unit_price, on, end_use, attest) read into a tg_order whose strings
 * live as long as the parsed line. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "tg_int.h"

struct tg_book_order {
  json_t *j;
  tg_order o;
};

void tg_book_order_destroy(tg_book_order *b) {
  if (!b) return;
  json_decref(b->j);
  tg__free(b);
}

const tg_order *tg_book_order_get(const tg_book_order *b) { return b ? &b->o : NULL; }

char *tg_book_order_json(const tg_book_order *b) {
  char *s = b ? json_dumps(b->j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  if (!s) return NULL;
  char *out = tg__strdup(s);
  free(s);
  return out;
}

/* An optional string member: false when present but not a string. */
static bool opt_str(json_t *j, const char *k, const char **out) {
  json_t *v = json_object_get(j, k);
  *out = json_string_value(v);
  return !v || json_is_null(v) || json_is_string(v);
}

static tg_status fill(const tg_engine *e, json_t *j, tg_order *o, const char *at, tg_error *err) {
  tg_order_init(o);
  const char *chip = json_string_value(json_object_get(j, "chip"));
  if (!chip || !(o->chip = tg_catalog_find(e, chip)))
    return tg__set_error(err, TG_EINVAL, "%s: chip: '%.64s' is not in the catalog", at, chip ? chip : "");
  static const char *const keys[] = {"to", "hq", "from", "end_use", "attest", "on"};
  const char *v[6];
  for (int i = 0; i < 6; i++)
    if (!opt_str(j, keys[i], &v[i]))
      return tg__set_error(err, TG_EINVAL, "%s: %s: a string is required", at, keys[i]);
  if (!v[0]) return tg__set_error(err, TG_EINVAL, "%s: to: a destination is required", at);
  o->dest = v[0];
  o->hq = v[1];
  o->origin = v[2];
  o->end_use = v[3];
  o->attestations = v[4];
  json_t *q = json_object_get(j, "qty"), *p = json_object_get(j, "unit_price");
  if (q && (!json_is_integer(q) || json_integer_value(q) < 0 || json_integer_value(q) > 1000000000))
    return tg__set_error(err, TG_EINVAL, "%s: qty: a whole number from 0 to 1e9 is required", at);
  if (q) o->qty = json_integer_value(q);
  if (p && (!json_is_number(p) || !(json_number_value(p) >= 0) || json_number_value(p) > 1e12))
    return tg__set_error(err, TG_EINVAL, "%s: unit_price: a non-negative number of USD (at most 1e12) is required", at);
  if (p) o->unit_price_cents = llround(json_number_value(p) * 100);
  if (!v[5] || tg_date_parse(v[5], &o->on) != TG_OK)
    return tg__set_error(err, TG_EINVAL, "%s: on: the order's date (YYYY-MM-DD) is required", at);
  return TG_OK;
}

tg_status tg_book_order_parse(const tg_engine *e, const char *text, size_t len, const char *origin,
                              int line, tg_book_order **out, tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_book_order_parse: no output");
  *out = NULL;
  if (!e || !text) return tg__set_error(err, TG_EINVAL, "tg_book_order_parse: no engine or text");
  char at[300];
  snprintf(at, sizeof at, "%.256s:%d", origin ? origin : "book", line);
  json_error_t je;
  json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!j) return tg__set_error(err, TG_EPARSE, "%s: not a JSON object (%s)", at, je.text);
  if (!json_is_object(j)) {
    json_decref(j);
    return tg__set_error(err, TG_EPARSE, "%s: not a JSON object", at);
  }
  tg_book_order *b = tg__calloc(1, sizeof *b);
  if (!b) {
    json_decref(j);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  b->j = j;
  tg_status st = fill(e, j, &b->o, at, err);
  if (st != TG_OK) {
    tg_book_order_destroy(b);
    return st;
  }
  *out = b;
  return TG_OK;
}
