/* date.c - ISO dates as day numbers (days since 1970-01-01), and
 * reporting periods (quarters, months, years). */
#include "tg_int.h"

#include <stdio.h>
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

tg_status tg_period_parse(const char *quarter, const char *month, const char *year,
                          const char *from, const char *until, tg_date *out_from,
                          tg_date *out_until, tg_error *err) {
  int given = (quarter != NULL) + (month != NULL) + (year != NULL) + (from || until);
  int y, m;
  char extra;
  if (!out_from || !out_until) return tg__set_error(err, TG_EINVAL, "tg_period_parse: no output");
  if (given > 1)
    return tg__set_error(err, TG_EINVAL, "give one period: quarter, month, year or from/until");
  if (quarter) {
    if (sscanf(quarter, "%4dQ%1d%c", &y, &m, &extra) != 2 || m < 1 || m > 4 || y < 1900 ||
        y > 2999)
      return tg__set_error(err, TG_EINVAL, "quarter: '%.40s' is not a quarter (e.g. 2025Q3)",
                           quarter);
    *out_from = tg_date_from_ymd(y, 3 * m - 2, 1);
    *out_until = (m == 4 ? tg_date_from_ymd(y + 1, 1, 1) : tg_date_from_ymd(y, 3 * m + 1, 1)) - 1;
  } else if (month) {
    if (sscanf(month, "%4d-%2d%c", &y, &m, &extra) != 2 || m < 1 || m > 12 || y < 1900 ||
        y > 2999)
      return tg__set_error(err, TG_EINVAL, "month: '%.40s' is not a month (e.g. 2025-09)", month);
    *out_from = tg_date_from_ymd(y, m, 1);
    *out_until = (m == 12 ? tg_date_from_ymd(y + 1, 1, 1) : tg_date_from_ymd(y, m + 1, 1)) - 1;
  } else if (year) {
    if (sscanf(year, "%4d%c", &y, &extra) != 1 || y < 1900 || y > 2999)
      return tg__set_error(err, TG_EINVAL, "year: '%.40s' is not a year (e.g. 2025)", year);
    *out_from = tg_date_from_ymd(y, 1, 1);
    *out_until = tg_date_from_ymd(y, 12, 31);
  } else {
    tg_date f = *out_from, u = *out_until;
    if (from && tg_date_parse(from, &f) != TG_OK)
      return tg__set_error(err, TG_EINVAL, "from: '%.40s' is not a date (expected YYYY-MM-DD)", from);
    if (until && tg_date_parse(until, &u) != TG_OK)
      return tg__set_error(err, TG_EINVAL, "until: '%.40s' is not a date (expected YYYY-MM-DD)",
                           until);
    *out_from = f;
    *out_until = u;
  }
  return TG_OK;
}
