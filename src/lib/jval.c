/* jval.c - jansson strings and string objects built without json_pack
 * (jval_int.h): ASCII text, checked eight bytes at a time, goes to
 * json_string_nocheck; any other text to json_string, whose check decides. */
#include <stdint.h>
#include <string.h>

#include "jval_int.h"

/* True when s is all ASCII (bytes below 0x80). */
static int ascii(const char *s) {
  size_t n = strlen(s), i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if (w & 0x8080808080808080ULL) return 0;
  }
  for (; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) return 0;
  return 1;
}

bool tg__jtext_ok(const char *s) {
  if (!s) return false;
  if (ascii(s)) return true;
  json_t *v = json_string(s); /* rare: jansson's UTF-8 check decides */
  json_decref(v);
  return v != NULL;
}

json_t *tg__jtext(const char *s) {
  if (!s) return NULL;
  return ascii(s) ? json_string_nocheck(s) : json_string(s);
}

json_t *tg__jtexts(size_t n, const char *const *kv) {
  json_t *o = json_object();
  for (size_t i = 0; o && i < n; i++) {
    json_t *v = tg__jtext(kv[2 * i + 1]);
    if (!v || json_object_set_new_nocheck(o, kv[2 * i], v) != 0) {
      json_decref(o);
      o = NULL;
    }
  }
  return o;
}
