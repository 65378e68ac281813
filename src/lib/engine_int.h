/* engine_int.h - the engine's loaded data: catalog, countries and rule
 * sets, immutable after tg_engine_open(). */
#ifndef TG_ENGINE_INT_H
#define TG_ENGINE_INT_H

#include "chip_int.h"
#include "rules_int.h"
#include "tg_int.h"

typedef struct tg__country {
  char code[3];
  char treat_as[3]; /* "" or the code whose rules apply (HK -> CN) */
  char *name;
  char *note;
  char **groups; /* "D:5", ... */
  size_t ngroups;
  char **marks; /* Country Chart columns with an X: "RS 1", "AT 1" ... */
  size_t nmarks;
  char *embargoed; /* pointer text for embargoed rows, or NULL */
} tg__country;

struct tg_engine {
  char *data_dir;
  tg_chip **chips;
  size_t nchips;
  tg__country *countries;
  size_t ncountries;
  tg__ruleset **rulesets;
  size_t nrulesets;
};

const tg__country *tg__country_find(const tg_engine *e, const char *code);
/* Fills `out` with the codes of every country in a group ("D:5") or with a
 * Country Chart mark ("AT 1"); returns the count (codes borrowed). */
size_t tg__group_members(const tg_engine *e, const char *group,
                         const char **out, size_t cap);
bool tg__country_has(const tg__country *c, const char *group);

/* Loads the countries file (countries.c). */
tg_status tg__countries_load(tg_engine *e, const char *path, tg_error *err);
void tg__countries_free(tg_engine *e);

#endif
