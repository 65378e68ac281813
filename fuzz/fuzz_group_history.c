/* fuzz_group_history.c - libFuzzer target for the dated Country Group
 * changes (country-groups-history.yaml): any text parses or is refused with
 * a message, and every membership can then be read on any date; never a
 * crash, leak or UB.  Countries come from the test fixture data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "fixture_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tg_engine *engine(void) { return fixture_engine("fuzz_group_history"); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tg_engine *e = engine();
  tg__group_change *saved = e->group_changes;
  size_t nsaved = e->ngroup_changes;
  e->group_changes = NULL;
  e->ngroup_changes = 0;
  tg_error err = {0};
  tg_status st = tg__group_history_parse(e, (const char *)data, size, "fuzz", &err);
  if (st != TG_OK && !err.message[0]) abort(); /* a refusal always says why */
  if (st == TG_OK) {
    static const char *const groups[] = {"D:1", "D:4", "D:5", "A:5", "A:6"};
    static const tg_date dates[] = {-1000000, 19000, 19500, 20000, 20500, 1000000};
    for (size_t i = 0; i < e->ngroup_changes; i++) {
      const tg__country *c = tg__country_find(e, e->group_changes[i].code);
      if (!c) abort();
      for (size_t g = 0; g < sizeof groups / sizeof *groups; g++)
        for (size_t d = 0; d < sizeof dates / sizeof *dates; d++) {
          const tg__group_change *why;
          int m = tg__country_in_group_on(e, c, groups[g], dates[d], &why);
          if (m < -1 || m > 1) abort();
        }
    }
  }
  tg__group_history_free(e);
  e->group_changes = saved;
  e->ngroup_changes = nsaved;
  return 0;
}
