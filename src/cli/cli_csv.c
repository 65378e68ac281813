/* cli_csv.c - the CLI's CSV reading and writing, shared by batch screening
 * (screen --batch) and batch checks (check --batch): one record per line,
 * fields split in place, and a field written quoted.  Kept apart so the
 * fuzz target fuzz_cli_csv can build it alone. */
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

/* One CSV record from a line (quotes honoured, no embedded newlines). */
int cli_csv_fields(char *line, char **f, int cap) {
  int n = 0;
  char *p = line, *o = line;
  while (n < cap) {
    f[n++] = o;
    if (*p == '"') {
      p++;
      while (*p && !(*p == '"' && p[1] != '"')) {
        if (*p == '"') p++;
        *o++ = *p++;
      }
      if (*p == '"') p++;
    }
    while (*p && *p != ',' && *p != '\n' && *p != '\r') *o++ = *p++;
    bool more = *p == ',';
    *o++ = '\0';
    if (!more) break;
    p++;
  }
  return n;
}

void cli_csv_out(const char *s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"') putchar('"');
    putchar(*s == '\n' ? ' ' : *s);
  }
  putchar('"');
}
