/* lists_mofcom.c - China's screening lists as Tollgate keeps them: the
 * Ministry of Commerce (MOFCOM) publishes its Unreliable Entity List (UEL)
 * and its export-control control list (ECL) only as announcements, with
 * no machine-readable file, so Tollgate defines one (docs/MOFCOM_LISTS.md):
 * a CSV whose header is exactly
 *   mofcom_list,name,aliases,country,announcement,date,status,source_url,verification,note
 * one entry per row, each naming the announcement that listed it:
 *   mofcom_list   uel | ecl
 *   name          the party as the announcement names it (required)
 *   aliases       other names, separated by ';'
 *   country       ISO 3166-1 alpha-2 of the party, or empty
 *   announcement  the announcement (number when known; required)
 *   date          YYYY-MM-DD the announcement was issued (required)
 *   status        in_force | suspended | removed (removed rows are read
 *                 and checked, but not screened)
 *   source_url    http(s) address of the announcement or the report of it
 *   verification  primary | secondary | unverified
 *   note          free text (what could not be verified)
 * Lines starting with '#' are comments.  Errors name file:line. */
#include <stdio.h>
#include <string.h>

#include "lists_int.h"

#define MOFCOM_COLUMNS(X)                                                       \
  X(C_LIST, "mofcom_list") X(C_NAME, "name") X(C_ALIASES, "aliases")            \
  X(C_COUNTRY, "country") X(C_ANN, "announcement") X(C_DATE, "date")            \
  X(C_STATUS, "status") X(C_URL, "source_url") X(C_VERIF, "verification")       \
  X(C_NOTE, "note")
#define AS_ENUM(e, s) e,
#define AS_NAME(e, s) s,
enum { MOFCOM_COLUMNS(AS_ENUM) NCOL };
static const char *const col_names[NCOL] = {MOFCOM_COLUMNS(AS_NAME)};

/* The two lists: code, the entry's source (its list, as screening shows
 * it), program, and what a listing means for a vendor on China's side. */
#define MOFCOM_LISTS(X)                                                                   \
  X("uel", "Unreliable Entity List (UEL) - PRC Ministry of Commerce", "CN-UEL",           \
    "listed on China's Unreliable Entity List: import and export activities related to "  \
    "China and new investment in China are restricted or prohibited, so a vendor on "     \
    "China's side cannot deal with it without the working mechanism's approval "          \
    "(Provisions on the Unreliable Entity List, MOFCOM, 2020-09-19)")                \
  X("ecl", "Export Control Control List (ECL) - PRC Ministry of Commerce", "CN-ECL",      \
    "listed on China's export-control control list: exports of dual-use items from "      \
    "China to it are prohibited unless MOFCOM approves, so a vendor on China's side "     \
    "cannot deal with it in such items (Export Control Law; Regulations on the Export "   \
    "Control of Dual-Use Items, 2024)")
static const struct { const char *code, *source, *program, *effect; } lists[] = {
#define AS_ROW(c, s, p, e) {c, s, p, e},
    MOFCOM_LISTS(AS_ROW)};

static const char *const statuses[] = {"in_force", "suspended", "removed", NULL};
static const char *const verifs[] = {"primary", "secondary", "unverified", NULL};

static bool one_of(const char *s, const char *const *words) {
  for (int i = 0; words[i]; i++)
    if (!strcmp(s, words[i])) return true;
  return false;
}

static bool is_date(const char *s) {
  int y, m, d;
  char tail;
  if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
  tg_date out;
  return tg_date_parse(s, &out) == TG_OK;
}

static tg_status bad(tg_error *err, const char *origin, int line, const char *what, const char *v) {
  return tg__set_error(err, TG_EPARSE, "%s:%d: %s%s%.80s%s", origin, line, what, v ? " '" : "",
                       v ? v : "", v ? "'" : "");
}

/* A record: fields[] point into the reader's buffer, NUL-terminated. */
static tg_status add_row(tg__list *l, char **f, const char *origin, int line, tg_error *err) {
  int li = -1;
  for (int i = 0; i < (int)(sizeof lists / sizeof *lists); i++)
    if (!strcmp(f[C_LIST], lists[i].code)) li = i;
  if (li < 0) return bad(err, origin, line, "mofcom_list: expected uel or ecl, got", f[C_LIST]);
  if (!*f[C_NAME]) return bad(err, origin, line, "name: empty", NULL);
  if (*f[C_COUNTRY] && (strlen(f[C_COUNTRY]) != 2 || f[C_COUNTRY][0] < 'A' || f[C_COUNTRY][0] > 'Z' ||
                        f[C_COUNTRY][1] < 'A' || f[C_COUNTRY][1] > 'Z'))
    return bad(err, origin, line, "country: expected an ISO 3166-1 alpha-2 code, got", f[C_COUNTRY]);
  if (!*f[C_ANN]) return bad(err, origin, line, "announcement: empty (every entry names its announcement)", NULL);
  if (!is_date(f[C_DATE])) return bad(err, origin, line, "date: expected YYYY-MM-DD, got", f[C_DATE]);
  if (!one_of(f[C_STATUS], statuses))
    return bad(err, origin, line, "status: expected in_force, suspended or removed, got", f[C_STATUS]);
  if (strncmp(f[C_URL], "https://", 8) && strncmp(f[C_URL], "http://", 7))
    return bad(err, origin, line, "source_url: expected an http(s) address, got", f[C_URL]);
  if (!one_of(f[C_VERIF], verifs))
    return bad(err, origin, line, "verification: expected primary, secondary or unverified, got",
               f[C_VERIF]);
  if (!strcmp(f[C_STATUS], "removed")) return TG_OK; /* read, not screened */
  tg__entry *e = tg__list_add(l);
  if (!e) return TG_ENOMEM;
  char policy[1024];
  snprintf(policy, sizeof policy, "%s; listed %s by %.300s (%s); verification %s%s%.400s",
           !strcmp(f[C_STATUS], "in_force") ? "in force"
                                            : "measures suspended: Chinese parties may apply to deal with it",
           f[C_DATE], f[C_ANN], f[C_URL], f[C_VERIF], *f[C_NOTE] ? "; " : "", f[C_NOTE]);
  tg_status st = TG_OK;
#define SET(field, s) \
  if (st == TG_OK) st = tg__set_field(&e->field, s, strlen(s))
  SET(source, lists[li].source);
  SET(programs, lists[li].program);
  SET(license_requirement, lists[li].effect);
  SET(license_policy, policy);
  SET(name, f[C_NAME]);
  SET(countries, f[C_COUNTRY]);
  SET(ref, f[C_ANN]);
  SET(start_date, f[C_DATE]);
  SET(url, f[C_URL]);
  SET(type, "Entity");
#undef SET
  for (const char *p = f[C_ALIASES]; st == TG_OK && *p;) {
    size_t n = strcspn(p, ";");
    size_t a = 0, b = n;
    while (a < b && (p[a] == ' ' || p[a] == '\t')) a++;
    while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t')) b--;
    if (b > a) st = tg__entry_add_aka(e, p + a, b - a);
    p += n + (p[n] == ';');
  }
  if (st == TG_OK && (!l->published || strcmp(f[C_DATE], l->published) > 0))
    st = tg__set_field(&l->published, f[C_DATE], 10);
  return st;
}

static tg_status parse(tg__csv *c, tg__list *l, const char *origin, tg_error *err) {
  const char *msg;
  int r, rows = 0;
  bool header = false;
  char *f[NCOL];
  while ((r = tg__csv_next(c, &msg)) == 1) {
    if (c->nfields >= 1 && c->fields[0][0] == '#') continue;
    if (c->nfields != NCOL)
      return tg__set_error(err, TG_EPARSE, "%s:%d: %zu fields, expected %d (%s ... %s)", origin,
                           c->line, c->nfields, NCOL, col_names[0], col_names[NCOL - 1]);
    for (int i = 0; i < NCOL; i++) {
      f[i] = c->fields[i];
      if (memchr(f[i], '\0', c->lens[i])) return bad(err, origin, c->line, "a NUL byte in a field", NULL);
    }
    if (!header) {
      for (int i = 0; i < NCOL; i++)
        if (strcmp(f[i], col_names[i]))
          return tg__set_error(err, TG_EPARSE, "%s:%d: column %d is '%.40s', expected '%s'", origin,
                               c->line, i + 1, f[i], col_names[i]);
      header = true;
      continue;
    }
    tg_status st = add_row(l, f, origin, c->line, err);
    if (st == TG_ENOMEM) return tg__set_error(err, st, "out of memory");
    if (st != TG_OK) return st;
    rows++;
  }
  if (r == -2) return tg__set_error(err, TG_ENOMEM, "out of memory");
  if (r == -1) return tg__set_error(err, TG_EPARSE, "%s:%d: %s", origin, c->line, msg);
  if (!header) return tg__set_error(err, TG_EPARSE, "%s: no header line", origin);
  if (!rows) return tg__set_error(err, TG_EPARSE, "%s: no entries", origin);
  return TG_OK;
}

tg_status tg__mofcom_csv_parse(const char *text, size_t len, const char *origin, tg__list **out,
                               tg_error *err) {
  *out = NULL;
  tg__list *l = tg__list_new("mofcom", "China MOFCOM Unreliable Entity and export-control lists",
                             "mofcom-csv");
  if (!l) return tg__set_error(err, TG_ENOMEM, "out of memory");
  tg__csv c;
  tg__csv_init(&c, text, len);
  tg_status st = parse(&c, l, origin ? origin : "mofcom.csv", err);
  tg__csv_free(&c);
  if (st != TG_OK) {
    tg__list_free(l);
    return st;
  }
  *out = l;
  return TG_OK;
}
