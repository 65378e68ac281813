/* fixture_engine.h - the engine the fuzz targets that need one share:
 * opened once per run on the test fixture data (tests/fixtures/data), so
 * that answers do not drift with data/rules; aborts when it cannot open. */
#ifndef TG_FIXTURE_ENGINE_H
#define TG_FIXTURE_ENGINE_H

#include <stdio.h>
#include <stdlib.h>

#include "tollgate.h"

static inline tg_engine *fixture_engine(const char *who) {
  static tg_engine *e; /* opened once for the whole run */
  if (!e) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/../tests/fixtures/data", tg_default_data_dir());
    tg_error err = {0};
    if (tg_engine_open(dir, &e, &err) != TG_OK) {
      fprintf(stderr, "%s: %s\n", who, err.message);
      abort();
    }
  }
  return e;
}

#endif
