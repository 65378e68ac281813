/* facts.c - the facts rule expressions read: item facts from the chip's
 * metrics, transaction facts from the order, and facts derived during the
 * decision (eccn, license_required, screening hits). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decide_int.h"

void tg__facts_init(tg__facts *f, const tg_engine *e, const tg_chip *c, tg_date on) {
  memset(f, 0, sizeof *f);
  f->e = e;
  f->chip = c;
  tg__chip_metric(c, "tpp", &f->tpp);
  tg__chip_metric(c, "pd", &f->pd);
  tg__chip_metric(c, "memory_bw_gbs", &f->mem);
  tg__chip_metric(c, "io_bw_gbs", &f->io);
  tg__chip_metric(c, "hbm_density", &f->hbmd);
  tg__chip_metric(c, "peak_tops", &f->peak);
  tg__chip_metric(c, "die_area_mm2", &f->area);
  tg__chip_metric(c, "datacenter", &f->dc);
  tg_date_format(on, f->date);
  f->unit_price = -1;
  f->license_required = -1;
  f->party_listed = -1;
  f->us_content_pct = -1;
  f->subject = -1;
}

bool tg__order_word(bool end_use, const char *w, char *list, size_t n) {
#define TG__WORD(v, meaning) v,
  static const char *const uses[] = {TG__END_USES(TG__WORD) NULL};
  static const char *const dps[] = {TG__DIRECT_PRODUCTS(TG__WORD) NULL};
#undef TG__WORD
  const char *const *words = end_use ? uses : dps;
  size_t o = 0;
  if (n) list[0] = '\0';
  for (int i = 0; words[i]; i++) {
    if (w && !strcmp(w, words[i])) return true;
    int k = snprintf(list + o, n - o, "%s%s", i ? ", " : "", words[i]);
    if (k > 0 && (size_t)k < n - o) o += (size_t)k;
  }
  return false;
}

static tg__val metric_val(const tg__metric *m) {
  if (!m->defined) return (tg__val){.kind = TG__V_UNKNOWN};
  return (tg__val){.kind = TG__V_NUM, .lo = m->lo, .hi = m->hi};
}

static tg__val str_val(const char *s) {
  if (!s || !*s) return (tg__val){.kind = TG__V_UNKNOWN};
  return (tg__val){.kind = TG__V_STR, .s = s};
}

static bool lookup(void *ctx, const char *name, tg__val *out) {
  tg__facts *f = ctx;
  char g[16];
  if (tg__group_ident(name, g, sizeof g)) {
    /* group names live in a static pool so the value can borrow them */
    static const char *const pool[] = {"A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B",
                                       "D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2",
                                       "AT 1", "AT 2", "RS 1", "RS 2", "NS 1", "NS 2",
                                       "CB 1", "CB 2", "CB 3", "NP 1", "NP 2", "MT 1",
                                       "FC 1", "CC 1", "CC 2", "CC 3", NULL};
    for (int i = 0; pool[i]; i++)
      if (!strcmp(pool[i], g)) {
        *out = (tg__val){.kind = TG__V_GROUP, .s = pool[i]};
        return true;
      }
    return false;
  }
  if (!strcmp(name, "tpp")) *out = metric_val(&f->tpp);
  else if (!strcmp(name, "pd")) *out = metric_val(&f->pd);
  else if (!strcmp(name, "memory_bw")) *out = metric_val(&f->mem);
  else if (!strcmp(name, "io_bw")) *out = metric_val(&f->io);
  else if (!strcmp(name, "hbm_density")) *out = metric_val(&f->hbmd);
  else if (!strcmp(name, "peak_tops")) *out = metric_val(&f->peak);
  else if (!strcmp(name, "die_area")) *out = metric_val(&f->area);
  else if (!strcmp(name, "datacenter")) {
    if (f->dc.lo == f->dc.hi) *out = (tg__val){.kind = TG__V_BOOL, .b = f->dc.lo != 0};
    else *out = (tg__val){.kind = TG__V_UNKNOWN};
  } else if (!strcmp(name, "item_type")) *out = str_val(f->chip->item_type);
  else if (!strcmp(name, "chip")) *out = str_val(f->chip->id);
  else if (!strcmp(name, "vendor")) *out = str_val(f->chip->vendor);
  else if (!strcmp(name, "date")) *out = str_val(f->date);
  else if (!strcmp(name, "dest")) *out = str_val(f->dest);
  else if (!strcmp(name, "dest_input")) *out = str_val(f->dest_input);
  else if (!strcmp(name, "hq")) *out = str_val(f->hq);
  else if (!strcmp(name, "origin")) *out = str_val(f->origin);
  else if (!strcmp(name, "qty"))
    *out = f->order ? (tg__val){.kind = TG__V_NUM, .lo = f->qty, .hi = f->qty}
                    : (tg__val){.kind = TG__V_UNKNOWN};
  else if (!strcmp(name, "unit_price") || !strcmp(name, "value")) {
    if (!f->order || f->unit_price < 0) *out = (tg__val){.kind = TG__V_UNKNOWN};
    else {
      double v = name[0] == 'u' ? f->unit_price : f->unit_price * f->qty;
      *out = (tg__val){.kind = TG__V_NUM, .lo = v, .hi = v};
    }
  } else if (!strcmp(name, "eccn")) *out = str_val(f->eccn);
  else if (!strcmp(name, "license_required")) {
    if (f->license_required < 0) *out = (tg__val){.kind = TG__V_UNKNOWN};
    else *out = (tg__val){.kind = TG__V_BOOL, .b = f->license_required != 0};
  } else if (!strcmp(name, "party_listed")) {
    if (f->party_listed < 0) *out = (tg__val){.kind = TG__V_UNKNOWN};
    else *out = (tg__val){.kind = TG__V_BOOL, .b = f->party_listed != 0};
  } else if (!strcmp(name, "party_list")) *out = str_val(f->party_list);
  else if (!strcmp(name, "party_policy")) *out = str_val(f->party_policy);
  else if (!strcmp(name, "end_use")) *out = str_val(f->end_use);
  else if (!strcmp(name, "made_in")) *out = str_val(f->made_in);
  else if (!strcmp(name, "direct_product")) *out = str_val(f->direct_product);
  else if (!strcmp(name, "us_content_pct"))
    *out = f->us_content_pct < 0
               ? (tg__val){.kind = TG__V_UNKNOWN}
               : (tg__val){.kind = TG__V_NUM, .lo = f->us_content_pct, .hi = f->us_content_pct};
  else return false;
  return true;
}

static bool in_group(void *ctx, const char *code, const char *group) {
  tg__facts *f = ctx;
  const tg__country *c = tg__country_find(f->e, code);
  return c && tg__country_has(c, group);
}

void tg__eval_init(tg__eval *ev, tg__facts *f, const char *src) {
  memset(ev, 0, sizeof *ev);
  ev->lookup = lookup;
  ev->in_group = in_group;
  ev->ctx = f;
  ev->src = src;
}

void tg__render(tg__facts *f, const char *tmpl, char *out, size_t n) {
  size_t o = 0;
  for (const char *p = tmpl; *p && o + 1 < n;) {
    const char *close = *p == '{' ? strchr(p, '}') : NULL;
    if (close && close - p < 40) {
      char name[40];
      memcpy(name, p + 1, (size_t)(close - p - 1));
      name[close - p - 1] = '\0';
      tg__val v;
      if (lookup(f, name, &v)) {
        char s[64];
        tg__val_format(&v, s, sizeof s);
        if (v.kind == TG__V_STR) { /* no quotes inside prose */
          snprintf(s, sizeof s, "%s", v.s);
        }
        int w = snprintf(out + o, n - o, "%s", s);
        o += (w > 0 && (size_t)w < n - o) ? (size_t)w : n - o - 1;
        p = close + 1;
        continue;
      }
    }
    out[o++] = *p++;
  }
  out[o] = '\0';
}
