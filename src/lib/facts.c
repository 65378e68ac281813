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
  f->on = on;
#define TG__ATTEST_INIT(name, fact, meaning) f->fact = -1;
  TG_ATTESTATIONS(TG__ATTEST_INIT)
#undef TG__ATTEST_INIT
  f->us_content_pct = -1;
  f->subject = -1;
  f->party_affiliate = -1;
}

void tg__facts_set_event(tg__facts *f) {
  const char *ev;
  if (!strcmp(f->origin, "US")) ev = strcmp(f->dest, "US") ? "export" : "domestic";
  else ev = strcmp(f->dest, f->origin) ? "reexport" : "transfer";
  tg__copy(f->event, sizeof f->event, ev);
}

tg_status tg__facts_set_attestations(tg__facts *f, const char *list, tg_error *err) {
  if (!list) return TG_OK;
#define TG__ATTEST_NONE(name, fact, meaning) f->fact = 0;
  TG_ATTESTATIONS(TG__ATTEST_NONE)
#undef TG__ATTEST_NONE
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ",");
    while (n && (*p == ' ')) p++, n--;
    size_t m = n;
    while (m && p[m - 1] == ' ') m--;
    bool ok = m == 0 || (m == 4 && !strncmp(p, "none", 4));
#define TG__ATTEST_SET(name, fact, meaning)                                 \
    if (m == strlen(name) && !strncmp(p, name, m)) { f->fact = 1; ok = true; }
    TG_ATTESTATIONS(TG__ATTEST_SET)
#undef TG__ATTEST_SET
    if (!ok)
      return tg__set_error(err, TG_EINVAL,
                           "attestation '%.*s' is not one of us-available, us-supply, "
                           "foundry, security, testing (or none)", (int)m, p);
    p += n;
    if (*p == ',') p++;
  }
  return TG_OK;
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

static tg__val bool_val(int b) {
  if (b < 0) return (tg__val){.kind = TG__V_UNKNOWN};
  return (tg__val){.kind = TG__V_BOOL, .b = b != 0};
}

static tg__val num_val(bool known, double v) {
  if (!known) return (tg__val){.kind = TG__V_UNKNOWN};
  return (tg__val){.kind = TG__V_NUM, .lo = v, .hi = v};
}

static bool lookup_slot(void *ctx, int slot, tg__val *out) {
  tg__facts *f = ctx;
  switch ((tg__fact)slot) {
  case TG__FACT_TPP: *out = metric_val(&f->tpp); break;
  case TG__FACT_PD: *out = metric_val(&f->pd); break;
  case TG__FACT_MEMORY_BW: *out = metric_val(&f->mem); break;
  case TG__FACT_IO_BW: *out = metric_val(&f->io); break;
  case TG__FACT_HBM_DENSITY: *out = metric_val(&f->hbmd); break;
  case TG__FACT_PEAK_TOPS: *out = metric_val(&f->peak); break;
  case TG__FACT_DIE_AREA: *out = metric_val(&f->area); break;
  case TG__FACT_DATACENTER: *out = bool_val(f->dc.lo == f->dc.hi ? f->dc.lo != 0 : -1); break;
  case TG__FACT_ITEM_TYPE: *out = str_val(f->chip->item_type); break;
  case TG__FACT_CHIP: *out = str_val(f->chip->id); break;
  case TG__FACT_VENDOR: *out = str_val(f->chip->vendor); break;
  case TG__FACT_DESIGNED_IN: *out = str_val(f->chip->designed_in); break;
  /* like an unlisted precision, an unstated other entry is none */
  case TG__FACT_ALSO_MEETS: *out = str_val(f->chip->also_meets ? f->chip->also_meets : "none"); break;
  case TG__FACT_DATE: *out = str_val(f->date); break;
  case TG__FACT_DEST: *out = str_val(f->dest); break;
  case TG__FACT_DEST_INPUT: *out = str_val(f->dest_input); break;
  case TG__FACT_HQ: *out = str_val(f->hq); break;
  case TG__FACT_ORIGIN: *out = str_val(f->origin); break;
  case TG__FACT_EVENT: *out = str_val(f->event); break;
#define TG__ATTEST_CASE(aname, fact, meaning)                                           \
  case TG__FACT_##fact: *out = bool_val(f->order ? f->fact : -1); break;
  TG_ATTESTATIONS(TG__ATTEST_CASE)
#undef TG__ATTEST_CASE
  case TG__FACT_QTY: *out = num_val(f->order, f->qty); break;
  case TG__FACT_UNIT_PRICE: *out = num_val(f->order && f->unit_price >= 0, f->unit_price); break;
  case TG__FACT_VALUE:
    *out = num_val(f->order && f->unit_price >= 0, f->unit_price * f->qty);
    break;
  case TG__FACT_END_USE: *out = str_val(f->end_use); break;
  case TG__FACT_MADE_IN: *out = str_val(f->made_in); break;
  case TG__FACT_DIRECT_PRODUCT: *out = str_val(f->direct_product); break;
  case TG__FACT_US_CONTENT_PCT: *out = num_val(f->us_content_pct >= 0, f->us_content_pct); break;
  case TG__FACT_ECCN: *out = str_val(f->eccn); break;
  case TG__FACT_LICENSE_REQUIRED: *out = bool_val(f->license_required); break;
  case TG__FACT_PARTY_LISTED: *out = bool_val(f->party_listed); break;
  case TG__FACT_PARTY_LIST: *out = str_val(f->party_list); break;
  case TG__FACT_PARTY_POLICY: *out = str_val(f->party_policy); break;
  case TG__FACT_PARTY_FOOTNOTE: *out = str_val(f->party_footnote); break;
  case TG__FACT_PARTY_AFFILIATE: *out = bool_val(f->party_affiliate); break;
  case TG__FACT_AFFILIATE_LIST: *out = str_val(f->affiliate_list); break;
  case TG__FACT_AFFILIATE_POLICY: *out = str_val(f->affiliate_policy); break;
  case TG__FACT_AFFILIATE_SHARE: *out = num_val(true, f->affiliate_share); break;
  default: return false;
  }
  return true;
}

static bool lookup(void *ctx, const char *name, tg__val *out) {
  /* group names begin with a capital (tg__group_ident), facts never do */
  const char *g = name[0] >= 'a' && name[0] <= 'z' ? NULL : tg__group_pooled(name);
  if (g) {
    *out = (tg__val){.kind = TG__V_GROUP, .s = g};
    return true;
  }
  int slot = tg__fact_slot(name);
  return slot >= 0 && lookup_slot(ctx, slot, out);
}

static int in_group(void *ctx, const char *code, const char *group) {
  tg__facts *f = ctx;
  const tg__country *c = tg__country_find(f->e, code);
  if (!c) return 0;
  const tg__group_change *why;
  int m = tg__country_in_group_on(f->e, c, group, f->on, &why);
  if (why) {
    bool seen = false;
    for (size_t i = 0; i < f->ngroups_used; i++) seen |= f->groups_used[i] == why;
    if (!seen) { /* room for every change: their number is bounded at open */
      f->groups_used_truth[f->ngroups_used] = m;
      f->groups_used[f->ngroups_used++] = why;
    }
  }
  return m;
}

void tg__eval_init(tg__eval *ev, tg__facts *f, const char *src) {
  /* no memset: the comparison and unknown arrays are filled by count */
  ev->ncompares = ev->nunknowns = 0;
  ev->quiet = ev->unsettled = false;
  ev->vary_slots = 0;
  ev->lookup = lookup;
  ev->lookup_slot = lookup_slot;
  ev->in_group = in_group;
  ev->ctx = f;
  ev->src = src;
}

void tg__render(tg__facts *f, const char *tmpl, char *out, size_t n) {
  size_t o = 0;
  for (const char *p = tmpl; *p && o + 1 < n;) {
    if (*p != '{') { /* the text up to the next '{' at once */
      size_t run = strcspn(p, "{");
      if (run > n - o - 1) run = n - o - 1;
      memcpy(out + o, p, run);
      o += run;
      p += run;
      continue;
    }
    const char *close = strchr(p, '}');
    if (close && close - p < 40) {
      char name[40];
      memcpy(name, p + 1, (size_t)(close - p - 1));
      name[close - p - 1] = '\0';
      tg__val v;
      if (lookup(f, name, &v)) {
        char s[64];
        tg__val_format(&v, s, sizeof s);
        if (v.kind == TG__V_STR) { /* no quotes inside prose */
          tg__copy(s, sizeof s, v.s);
        }
        size_t w = tg__copy(out + o, n - o, s);
        /* an empty value adds nothing and the text goes on; a value that
         * does not fit fills the buffer and ends it */
        o += w < n - o ? w : n - o - 1;
        p = close + 1;
        continue;
      }
    }
    out[o++] = *p++;
  }
  out[o] = '\0';
}
