/* text.c - what stored text may be: identifiers from a small documented
 * alphabet, free text as valid UTF-8 without control characters, limited
 * in characters (not bytes), and decimal amounts without hex or exponents. */
#include "tg_int.h"

#include <string.h>

bool tg_id_valid(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || n > TG_ID_MAX || !strcmp(s, ".") || !strcmp(s, "..")) return false;
  for (; *s; s++)
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
          *s == '.' || *s == '_' || *s == '-'))
      return false;
  return true;
}

/* The code point at *p (advancing it), or -1 for malformed UTF-8. */
static long next_cp(const unsigned char **p) {
  const unsigned char *s = *p;
  long cp;
  int more;
  if (s[0] < 0x80) cp = s[0], more = 0;
  else if ((s[0] & 0xE0) == 0xC0) cp = s[0] & 0x1F, more = 1;
  else if ((s[0] & 0xF0) == 0xE0) cp = s[0] & 0x0F, more = 2;
  else if ((s[0] & 0xF8) == 0xF0) cp = s[0] & 0x07, more = 3;
  else return -1;
  for (int i = 1; i <= more; i++) {
    if ((s[i] & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  static const long least[] = {0, 0x80, 0x800, 0x10000};
  if (cp < least[more] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  *p = s + more + 1;
  return cp;
}

tg_status tg_text_check(const char *what, const char *s, size_t max_chars, tg_error *err) {
  if (!s || !*s) return tg__set_error(err, TG_EINVAL, "%s: must not be empty", what);
  size_t chars = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    long cp = next_cp(&p);
    if (cp < 0) return tg__set_error(err, TG_EINVAL, "%s: not valid UTF-8", what);
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
      return tg__set_error(err, TG_EINVAL,
                           "%s: contains a control character (U+%04lX at character %zu)", what,
                           (unsigned long)cp, chars + 1);
    chars++;
  }
  if (chars > max_chars)
    return tg__set_error(err, TG_EINVAL, "%s: too long (%zu characters; at most %zu)", what, chars,
                         max_chars);
  return TG_OK;
}

tg_status tg_decimal_parse(const char *what, const char *s, int scale, int64_t *out,
                           tg_error *err) {
  /* digits, at most one '.', at most `scale` decimals; nothing else */
  const char *p = s ? s : "";
  int64_t v = 0;
  int decimals = -1, digits = 0;
  for (; *p; p++) {
    if (*p == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (*p < '0' || *p > '9') break;
    if (decimals >= 0 && ++decimals > scale)
      return tg__set_error(err, TG_EINVAL, "%s: '%.40s' has more than %d decimals", what, s, scale);
    if (v > (INT64_MAX - 9) / 10)
      return tg__set_error(err, TG_EINVAL, "%s: '%.40s' is too large", what, s);
    v = v * 10 + (*p - '0');
    digits++;
  }
  if (*p || !digits)
    return tg__set_error(err, TG_EINVAL, "%s: '%.40s' is not a decimal number (digits and one '.')",
                         what, s ? s : "");
  for (int d = decimals < 0 ? 0 : decimals; d < scale; d++) {
    if (v > INT64_MAX / 10) return tg__set_error(err, TG_EINVAL, "%s: '%.40s' is too large", what, s);
    v *= 10;
  }
  *out = v;
  return TG_OK;
}
