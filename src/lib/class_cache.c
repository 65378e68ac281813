/* class_cache.c - tg_classify: a catalog chip's classification is the same
 * on every day of a rule epoch, so it is evaluated once per (chip, epoch),
 * by whichever thread asks first, and served from the cache afterwards.
 * Any other chip is classified quietly, its reasons evaluated only when
 * its JSON is asked for (result.c). */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "decide_int.h"

static const char DATE_KEY[] = "\n  \"on\": \"";

/* Evaluates and renders one classification into a cache entry; NULL when
 * out of memory or when the date cannot be found in the text (then the
 * caller serves the evaluated result itself). */
static tg__class_entry *entry_for(tg_result *r, tg_date on) {
  char *js = tg_result_json(r);
  if (!js) return NULL;
  char d[11];
  tg_date_format(on, d);
  const char *at = strstr(js, DATE_KEY);
  tg__class_entry *ent = NULL;
  if (at && !strncmp(at + sizeof DATE_KEY - 1, d, 10)) {
    size_t len = strlen(js);
    if ((ent = tg__malloc(sizeof *ent + len + 1))) {
      ent->base = *r;
      ent->base.answer = NULL;
      ent->date_at = (size_t)(at - js) + sizeof DATE_KEY - 1;
      ent->len = len;
      memcpy(ent->text, js, len + 1);
    }
  }
  tg_free(js);
  return ent;
}

/* A chip outside the catalog: the ECCN now, the reasons on demand. */
static tg_status spec_result(const tg_engine *e, const tg_chip *chip, tg_date on,
                             tg_result **out, tg_error *err) {
  tg_result *res = tg__calloc(1, sizeof *res);
  if (!res || !(res->spec = tg__chip_copy(chip))) {
    tg__free(res);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  res->engine = e;
  res->on = on;
  tg__facts f;
  tg__facts_init(&f, e, chip, on);
  tg__eval ev;
  tg__eval_init(&ev, &f, "");
  bool undet;
  const tg__rule *best = tg__classify_quick(e, on, &ev, &undet);
  if (best) snprintf(res->eccn, sizeof res->eccn, "%s", best->effect);
  res->undetermined = undet;
  *out = res;
  return TG_OK;
}

static bool cacheable(const tg_engine *e, const tg_chip *c) {
  return e->epoch_cache_ok && tg__catalog_chip(e, c);
}

tg_status tg_classify(const tg_engine *e, const tg_chip *chip, tg_date on, tg_result **out,
                      tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_classify: no output");
  *out = NULL;
  if (!e || !chip) return tg__set_error(err, TG_EINVAL, "tg_classify: no engine or chip");
  if (!cacheable(e, chip)) return spec_result(e, chip, on, out, err);
  tg__class_entry *_Atomic *slot =
      &e->class_cache[chip->catalog_ix * e->nepochs + tg__epoch_of(e, on)];
  tg__class_entry *ent = atomic_load_explicit(slot, memory_order_acquire);
  if (!ent) {
    tg_result *r;
    tg_status st = tg__classify_eval(e, chip, on, &r, err);
    if (st != TG_OK) return st;
    if (!(ent = entry_for(r, on))) {
      *out = r; /* served uncached */
      return TG_OK;
    }
    tg_result_destroy(r);
    tg__class_entry *none = NULL;
    if (!atomic_compare_exchange_strong_explicit(slot, &none, ent, memory_order_acq_rel,
                                                 memory_order_acquire)) {
      tg__free(ent); /* another thread published first */
      ent = none;
    }
  }
  tg_result *res = tg__malloc(sizeof *res);
  if (!res) return tg__set_error(err, TG_ENOMEM, "out of memory");
  *res = ent->base;
  res->cached = ent;
  res->on = on;
  *out = res;
  return TG_OK;
}
