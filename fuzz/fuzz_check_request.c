/* fuzz_check_request.c - libFuzzer target for the JSON request parsing of
 * POST /v1/checks (tg_server_checks): any body gets 200 with a JSON answer
 * or an error status with a message, never a crash, leak or UB.  Uses the
 * test fixture data so answers do not drift with data/rules. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "fixture_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tg_engine *engine(void) { return fixture_engine("fuzz_check_request"); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tg_date today;
  tg_date_parse("2025-06-01", &today);
  tg_check_reply r;
  tg_server_checks(engine(), NULL, 0, (const char *)data, size, 50, today, &r);
  if (r.status == 200 ? !r.json || (r.json[0] != '{' && r.json[0] != '[')
                      : r.json || !r.code || !r.message[0] ||
                            (r.status != 400 && r.status != 413 && r.status != 500))
    abort();
  tg_free(r.json);
  return 0;
}
