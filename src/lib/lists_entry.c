/* lists_entry.c - list entries as the parsers build them: allocation,
 * reference counts, trimmed fields, aliases, country names mapped to ISO
 * codes, UTF-8 repair; and what an entry's list says about it (the list's
 * rank, the review policy its license_policy text states). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "engine_int.h"
#include "lists_int.h"

tg__list *tg__list_new(const char *kind, const char *title, const char *format) {
  tg__list *l = tg__calloc(1, sizeof *l);
  if (!l) return NULL;
  l->kind = tg__strdup(kind);
  l->title = tg__strdup(title);
  l->format = tg__strdup(format);
  l->refs = 1;
  if (!l->kind || !l->title || !l->format) {
    tg__list_free(l);
    return NULL;
  }
  return l;
}

static void entry_free(tg__entry *e) {
  char **f[] = {&e->source, &e->ref, &e->type, &e->name, &e->countries, &e->programs,
                &e->license_requirement, &e->license_policy, &e->fr_notice,
                &e->start_date, &e->url};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++) tg__free(*f[i]);
  for (size_t i = 0; i < e->nakas; i++) tg__free(e->akas[i]);
  tg__free(e->akas);
}

tg__list *tg__list_ref(tg__list *l) {
  __atomic_add_fetch(&l->refs, 1, __ATOMIC_RELAXED);
  return l;
}

void tg__list_free(tg__list *l) {
  if (!l || __atomic_sub_fetch(&l->refs, 1, __ATOMIC_ACQ_REL) > 0) return;
  if (l->pool || l->akapool) { /* read from an index cache */
    tg__free(l->entries);
    if (l->pool_drop) l->pool_drop(l->pool_owner);
    else tg__free(l->pool);
    tg__free(l->akapool);
    tg__free(l);
    return;
  }
  for (size_t i = 0; i < l->n; i++) entry_free(&l->entries[i]);
  tg__free(l->entries);
  tg__free(l->kind);
  tg__free(l->title);
  tg__free(l->format);
  tg__free(l->published);
  tg__free(l->files);
  tg__free(l);
}

void tg__lists_free(tg__list **v, size_t n) {
  for (size_t i = 0; i < n; i++) tg__list_free(v[i]);
  tg__free(v);
}

tg__entry *tg__list_add(tg__list *l) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 256;
    tg__entry *v = tg__realloc(l->entries, cap * sizeof *v);
    if (!v) return NULL;
    l->entries = v;
    l->cap = cap;
  }
  tg__entry *e = &l->entries[l->n++];
  memset(e, 0, sizeof *e);
  return e;
}

static void trim(const char **s, size_t *n) {
  while (*n && isspace((unsigned char)**s)) (*s)++, (*n)--;
  while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

tg_status tg__set_field(char **field, const char *s, size_t n) {
  trim(&s, &n);
  tg__free(*field);
  *field = NULL;
  if (!n) return TG_OK;
  *field = tg__strndup(s, n);
  return *field ? TG_OK : TG_ENOMEM;
}

tg_status tg__entry_add_aka(tg__entry *e, const char *s, size_t n) {
  return tg__entry_add_aka_q(e, s, n, false);
}

tg_status tg__entry_add_aka_q(tg__entry *e, const char *s, size_t n, bool weak) {
  trim(&s, &n);
  if (!n) return TG_OK;
  if (e->nakas == e->cakas) {
    size_t cap = e->cakas ? e->cakas * 2 : 4;
    char **v = tg__realloc(e->akas, cap * sizeof *v);
    if (!v) return TG_ENOMEM;
    e->akas = v;
    e->cakas = cap;
  }
  char *a = tg__strndup(s, n);
  if (!a) return TG_ENOMEM;
  size_t at = weak ? e->nakas : e->nakas - e->nweak; /* strong ones before the weak */
  memmove(e->akas + at + 1, e->akas + at, (e->nakas - at) * sizeof *e->akas);
  e->akas[at] = a;
  e->nakas++;
  if (weak) e->nweak++;
  return TG_OK;
}

/* Names the lists use that differ from ISO 3166-1's. */
static const struct { const char *name, *code; } country_aliases[] = {
    {"russia", "RU"}, {"iran", "IR"}, {"syria", "SY"}, {"north korea", "KP"},
    {"korea, north", "KP"}, {"democratic people's republic of korea", "KP"},
    {"south korea", "KR"}, {"korea, south", "KR"}, {"republic of korea", "KR"},
    {"burma", "MM"}, {"venezuela", "VE"}, {"bolivia", "BO"}, {"tanzania", "TZ"},
    {"vietnam", "VN"}, {"viet nam", "VN"}, {"laos", "LA"}, {"moldova", "MD"},
    {"taiwan", "TW"}, {"czech republic", "CZ"}, {"turkey", "TR"}, {"turkiye", "TR"},
    {"palestinian", "PS"}, {"west bank", "PS"}, {"gaza", "PS"}, {"congo, democratic republic of the", "CD"},
    {"democratic republic of the congo", "CD"}, {"congo", "CG"}, {"hong kong", "HK"},
    {"macau", "MO"}, {"macao", "MO"}, {"united states", "US"}, {"united kingdom", "GB"},
    {"brunei", "BN"}, {"cote d'ivoire", "CI"}, {"ivory coast", "CI"}, {"kosovo", "XK"},
    {"region: crimea", "UA"}, {"the former yugoslav republic of macedonia", "MK"},
    {"north macedonia", "MK"}, {"micronesia", "FM"}, {"cape verde", "CV"},
    {"united republic of tanzania", "TZ"}, {"iran (islamic republic of)", "IR"},
    {"lao people's democratic republic", "LA"}, {"syrian arab republic", "SY"},
    {"russian federation", "RU"}, {"china", "CN"}};

static const char *code_of(const tg_engine *e, const char *name, size_t n) {
  char buf[96];
  if (n == 2 && isupper((unsigned char)name[0]) && isupper((unsigned char)name[1])) {
    memcpy(buf, name, 2);
    buf[2] = '\0';
    const tg__country *c = tg__country_find(e, buf);
    return c ? c->code : NULL;
  }
  if (n >= sizeof buf) return NULL;
  memcpy(buf, name, n);
  buf[n] = '\0';
  for (size_t i = 0; i < sizeof country_aliases / sizeof *country_aliases; i++)
    if (!strcasecmp(buf, country_aliases[i].name)) return country_aliases[i].code;
  for (size_t i = 0; i < e->ncountries; i++) {
    const char *cn = e->countries[i].name;
    size_t cl = strlen(cn);
    /* "Iran, Islamic Republic of" answers to "Iran" */
    const char *cut = strpbrk(cn, ",(");
    size_t kl = cut ? (size_t)(cut - cn) : cl;
    while (kl && cn[kl - 1] == ' ') kl--;
    if ((cl == n && !strncasecmp(cn, buf, n)) || (kl == n && !strncasecmp(cn, buf, n)))
      return e->countries[i].code;
  }
  return NULL;
}

void tg__list_fix_countries(tg__list *l, const tg_engine *e) {
  if (!e) return;
  for (size_t i = 0; i < l->n; i++) {
    tg__entry *en = &l->entries[i];
    if (!en->countries) continue;
    char out[256];
    size_t o = 0;
    out[0] = '\0';
    const char *p = en->countries;
    while (*p) {
      const char *q = strchr(p, ';');
      size_t n = q ? (size_t)(q - p) : strlen(p);
      const char *s = p;
      size_t sn = n;
      trim(&s, &sn);
      const char *code = sn ? code_of(e, s, sn) : NULL;
      if (code && !(o && strstr(out, code)) && o + 4 < sizeof out) {
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? "," : "", code);
      }
      p += n;
      if (*p) p++;
    }
    tg__set_field(&en->countries, out, o);
  }
}

/* cp1252 0x80..0x9F (0 = undefined there) */
static const uint16_t cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

void tg__utf8_repair(const char *s, size_t n, tg__buf *out, bool win) {
  size_t i = 0, run = 0;
  while (i < n) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
    if (k > 0 && c != 0) {
      i += (size_t)k;
      continue;
    }
    tg__buf_append(out, s + run, i - run);
    unsigned char b = (unsigned char)s[i];
    int32_t r = 0xFFFD;
    if (win && b >= 0xA0) r = b;
    else if (win && b >= 0x80 && cp1252[b - 0x80]) r = cp1252[b - 0x80];
    if (b == 0) r = ' ';
    utf8proc_uint8_t u[4];
    utf8proc_ssize_t m = utf8proc_encode_char(r, u);
    tg__buf_append(out, (const char *)u, (size_t)m);
    run = ++i;
  }
  tg__buf_append(out, s + run, n - run);
}

/* ---- rank and policy ----------------------------------------------------- */

/* The policy a list's license_policy text states, for the review-policy
 * facts.  Mapping (case-insensitive, first that applies):
 *   mentions "denial" (presumption of denial, policy of denial,
 *     "...; presumption of denial for all other items")  presumption_of_denial
 *   mentions "case-by-case" / "case by case"             case_by_case
 *   mentions "approval"                                  presumption_of_approval
 *   anything else ("See §744.2(d)", or no text) on the Entity List, the
 *     Denied Persons List or the SDN list               presumption_of_denial
 *     (the strictest, so an unclear entry is never understated; the
 *     reason quotes the list's own words)
 *   anything else on other lists                         NULL */
const char *tg__screen_policy(const char *source, const char *text) {
  if (text) {
    char low[1024];
    size_t n = strlen(text) < sizeof low - 1 ? strlen(text) : sizeof low - 1;
    for (size_t i = 0; i < n; i++) low[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
    low[n] = '\0';
    if (strstr(low, "denial")) return "presumption_of_denial";
    if (strstr(low, "case-by-case") || strstr(low, "case by case") || strstr(low, "case-by case") ||
        strstr(low, "casa-by-case"))
      return "case_by_case";
    if (strstr(low, "approval")) return "presumption_of_approval";
  }
  if (source && (strstr(source, "(EL)") || strstr(source, "(DPL)") || strstr(source, "(SDN)")))
    return "presumption_of_denial";
  return NULL;
}

int tg__list_rank(const char *source) {
  static const char *const order[] = {"(DPL)", "(EL)", "(SDN)", "(MEU)", "(UVL)"};
  for (int i = 0; i < 5; i++)
    if (strstr(source, order[i])) return 10 - i;
  return 0;
}
