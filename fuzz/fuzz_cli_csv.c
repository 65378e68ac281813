/* fuzz_cli_csv.c - libFuzzer target for the CLI's CSV reader
 * (cli_csv_fields, src/cli/cli_csv.c), as batch screening (screen --batch)
 * and batch checks (check --batch) use it: the input is cut into lines as
 * fgets cuts them into their 8192-byte buffer, the first is the header,
 * and every line is split into at most 64 fields.  Besides crashes, leaks
 * and undefined behaviour it checks what the callers rely on: 1 to 64
 * fields, each a NUL-terminated string inside the line, in order, never
 * longer than the line.  Seeds in fuzz/corpus/cli_csv/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void one_line(char *line) {
  size_t len = strlen(line);
  char *fld[64];
  int k = cli_csv_fields(line, fld, 64);
  if (k < 1 || k > 64) abort();
  const char *prev = line;
  for (int i = 0; i < k; i++) {
    if (fld[i] < prev || fld[i] > line + len) abort();
    size_t fl = strlen(fld[i]);
    if (fld[i] + fl > line + len) abort();
    prev = fld[i] + fl + (i + 1 < k); /* the next field starts after this one's NUL */
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
  char line[8192];
  size_t i = 0;
  while (i < n) {
    size_t k = 0;
    /* fgets: up to sizeof line - 1 bytes, ending after a newline; a NUL in
     * the data ends the string early, as it does for the callers */
    while (i < n && k < sizeof line - 1) {
      line[k++] = (char)d[i++];
      if (line[k - 1] == '\n') break;
    }
    line[k] = '\0';
    one_line(line);
  }
  return 0;
}
