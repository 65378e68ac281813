/* fuzz_serve_config.c - libFuzzer target for the `tollgate serve --config`
 * file format (src/cli/serve_config.c): serve_config_parse on the input.
 * A failure must leave a NUL-terminated message naming the file; a success
 * only NUL-terminated values without a newline, '#' or surrounding blanks.
 * Findings are crashes, leaks and undefined behaviour. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  char *vals[SERVE_CONF_N] = {0}, msg[512];
  memset(msg, 0x55, sizeof msg); /* a message must always be written */
  bool ok = serve_config_parse((const char *)data, size, "fuzz.conf", vals, msg, sizeof msg);
  if (!ok && (!memchr(msg, '\0', sizeof msg) || strncmp(msg, "fuzz.conf:", 10))) abort();
  for (int k = 0; k < SERVE_CONF_N; k++) {
    const char *v = vals[k];
    if (v && ok) {
      size_t n = strlen(v);
      if (!n || strchr(v, '\n') || strchr(v, '#') || isspace((unsigned char)v[0]) ||
          isspace((unsigned char)v[n - 1]))
        abort();
    }
    free(vals[k]);
  }
  return 0;
}
