/* date.c - ISO dates as day numbers (days since 1970-01-01). */
#include "tg_int.h"

#include <string.h>

/* Days from civil (Howard Hinnant's algorithm, public domain arithmetic). */
tg_date tg_date_from_ymd(int y0, int m, int d) {
  int64_t y = (int64_t)y0 - (m <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * ((int64_t)m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (tg_date)(era * 146097 + doe - 719468);
}

/* 64-bit arithmetic: any tg_date (even INT32_MIN/MAX) is in range. */
static void ymd_from_days(tg_date z0, int64_t *y, int *m, int *d) {
  int64_t z = (int64_t)z0 + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = (int)(z - era * 146097);
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = yoe + era * 400;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp + (mp < 10 ? 3 : -9);
  *y = yy + (*m <= 2);
}

static int days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[m - 1];
}

tg_status tg_date_parse(const char *s, tg_date *out) {
  if (!s || !out || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return TG_EINVAL;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return TG_EINVAL;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
    return TG_EINVAL;
  *out = tg_date_from_ymd(y, m, d);
  return TG_OK;
}

void tg_date_format(tg_date day, char buf[11]) {
  int64_t yl;
  int m, d;
  ymd_from_days(day, &yl, &m, &d);
  int y = yl < 0 || yl > 9999 ? 0 : (int)yl;
  buf[0] = (char)('0' + y / 1000);
  buf[1] = (char)('0' + y / 100 % 10);
  buf[2] = (char)('0' + y / 10 % 10);
  buf[3] = (char)('0' + y % 10);
  buf[4] = '-';
  buf[5] = (char)('0' + m / 10);
  buf[6] = (char)('0' + m % 10);
  buf[7] = '-';
  buf[8] = (char)('0' + d / 10);
  buf[9] = (char)('0' + d % 10);
  buf[10] = '\0';
}
