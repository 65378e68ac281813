/* fuzz_ofac_csv.c - libFuzzer target for OFAC's SDN files (lists_csv.c):
 * the first byte picks sdn, alt or add; alt and add are read into a small
 * fixed sdn list, as an import reads them.  Seeds in fuzz/corpus/ofac_csv/. */
#include <stdint.h>
#include <string.h>

#include "screen_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const char SDN[] = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,"
                          "-0- ,-0- ,-0- \n306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,"
                          "-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'BNC'.\"\n";

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  if (n < 1) return 0;
  tg__list *l = tg__list_new("ofac", "OFAC", "ofac-csv");
  if (!l) return 0;
  tg_error err;
  tg__ofac_kind kind = (tg__ofac_kind)(d[0] % 3);
  if (kind != TG__OFAC_SDN) tg__ofac_csv_parse(l, TG__OFAC_SDN, SDN, strlen(SDN), "sdn", &err);
  tg__ofac_csv_parse(l, kind, (const char *)d + 1, n - 1, "fuzz", &err);
  (void)tg__lists_sniff((const char *)d + 1, n - 1);
  tg__list_free(l);
  return 0;
}
