/* tg_test.h - helpers shared by the unit tests (include after cmocka.h).
 * Static inline so a test that does not use one does not warn. */
#ifndef TG_TEST_H
#define TG_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "tollgate.h"

/* Reads a whole (small) file into a NUL-terminated buffer; free() it. */
static inline char *tgt_read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  char *buf = malloc(1 << 20);
  assert_non_null(buf);
  *len = fread(buf, 1, (1 << 20) - 1, f);
  buf[*len] = '\0';
  fclose(f);
  return buf;
}

/* cmocka setup/teardown: the engine over the shipped data in *state. */
static inline int tgt_open_engine(void **state) {
  tg_engine *e = NULL;
  tg_error err = {0};
  if (tg_engine_open(TG_DATA_DIR, &e, &err) != TG_OK) {
    fprintf(stderr, "cannot open the engine: %s\n", err.message);
    return -1;
  }
  *state = e;
  return 0;
}

static inline int tgt_close_engine(void **state) {
  tg_engine_close(*state);
  return 0;
}

#endif
