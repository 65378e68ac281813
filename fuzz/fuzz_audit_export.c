/* fuzz_audit_export.c - libFuzzer target for the audit-export verifier
 * (tg_audit_verify_export): arbitrary bytes must give TG_OK, TG_ETAMPER
 * or TG_EPARSE, never a crash, leak or undefined behaviour. */
#include <stddef.h>
#include <stdint.h>

#include "tollgate.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char *js = NULL;
  (void)tg_audit_verify_export((const char *)d, n, &js, NULL);
  tg_free(js);
  return 0;
}
