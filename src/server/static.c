/* static.c - the web console's files (web/ in the source tree, or --web):
 * "/" is index.html; other paths name files under the directory, limited to
 * plain names (no "..", no dot-files) and known types. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

static const struct {
  const char *ext, *type;
} types[] = {{".html", "text/html; charset=utf-8"},
             {".js", "text/javascript; charset=utf-8"},
             {".mjs", "text/javascript; charset=utf-8"},
             {".css", "text/css; charset=utf-8"},
             {".svg", "image/svg+xml"},
             {".json", "application/json"},
             {".png", "image/png"},
             {".ico", "image/x-icon"}};

static const char *type_of(const char *path) {
  const char *dot = strrchr(path, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
    if (!strcmp(dot, types[i].ext)) return types[i].type;
  return NULL;
}

static bool plain_path(const char *p) {
  if (*p != '/' || strlen(p) > 200) return false;
  for (const char *s = p; *s; s++) {
    if (s[0] == '/' && s[1] == '.') return false; /* "..", dot-files */
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          strchr("/._-", *s)))
      return false;
  }
  return !strstr(p, "//");
}

void srv_static(srv_req *q, srv_resp *r) {
  const char *path = strcmp(q->path, "/") ? q->path : "/index.html";
  const char *type = type_of(path);
  char full[1400];
  if (!plain_path(path) || !type ||
      snprintf(full, sizeof full, "%s%s", q->srv->web_dir, path) >= (int)sizeof full) {
    srv_error(r, 404, "not_found", "no such page: %s", q->path);
    return;
  }
  FILE *f = fopen(full, "rb");
  long n = -1;
  if (f && fseek(f, 0, SEEK_END) == 0) n = ftell(f);
  char *buf = n >= 0 && n < (8L << 20) ? malloc((size_t)n + 1) : NULL;
  if (!buf || fseek(f, 0, SEEK_SET) != 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    if (f) fclose(f);
    srv_error(r, 404, "not_found", "no such page: %s", q->path);
    return;
  }
  fclose(f);
  free(r->body);
  r->status = 200;
  r->ctype = type;
  r->body = buf;
  r->len = (size_t)n;
}
