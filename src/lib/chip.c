/* chip.c - chips: spec fields with their confidences, reading a chip from
 * YAML (catalog entries and user spec files), and the derived metrics of
 * the BIS definitions (15 CFR 774 Supp. 1, ECCN 3A090 Technical Notes):
 * TPP = max over precisions of dense TOPS x bit length, aggregated over
 * the package; performance density = TPP / applicable (logic) die area. */
#include "chip_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const tg__field_def tg__fields[TG__NFIELDS] = {
    [TG__FP64] = {"fp64_tflops", 64, "FP64"},
    [TG__TF32] = {"tf32_tflops", 32, "TF32"},
    [TG__FP16] = {"fp16_tflops", 16, "FP16/BF16"},
    [TG__FP8] = {"fp8_tflops", 8, "FP8"},
    [TG__INT8] = {"int8_tops", 8, "INT8"},
    [TG__FP4] = {"fp4_tflops", 4, "FP4"},
    [TG__INT4] = {"int4_tops", 4, "INT4"},
    [TG__LOGIC_DIES] = {"logic_dies", 0, "logic dies"},
    [TG__DIE_AREA] = {"die_area_mm2", 0, "applicable die area"},
    [TG__TRANSISTORS] = {"transistors_billion", 0, "transistors"},
    [TG__MEMORY_GB] = {"memory_gb", 0, "memory"},
    [TG__MEMORY_BW] = {"memory_bw_gbs", 0, "memory bandwidth"},
    [TG__INTERCONNECT] = {"interconnect_gbs", 0, "chip-to-chip bandwidth"},
    [TG__TDP] = {"tdp_w", 0, "TDP"},
    [TG__PACKAGE_AREA] = {"package_area_mm2", 0, "package area"},
    [TG__DATACENTER] = {"datacenter", 0, "designed or marketed for datacenters"},
    [TG__RELEASE_YEAR] = {"release_year", 0, "release year"},
};

const char *const tg__metric_names[] = {
#define TG__METRIC_NAME(id, name) name,
    TG__METRICS(TG__METRIC_NAME)
#undef TG__METRIC_NAME
    NULL};

static const char *const confidences[] = {
    "vendor", "secondary", "estimate", "unverified", "not_supported", "user", NULL};

/* Lower is stronger. */
static int conf_rank(const char *c) {
  static const char *const order[] = {"vendor", "user", "secondary", "estimate", "unverified"};
  for (int i = 0; i < 5; i++)
    if (strcmp(c, order[i]) == 0) return i;
  return 4;
}

static int field_index(const char *name) {
  for (int i = 0; i < TG__NFIELDS; i++)
    if (strcmp(tg__fields[i].name, name) == 0) return i;
  /* aliases users type */
  if (strcmp(name, "bf16_tflops") == 0) return TG__FP16;
  if (strcmp(name, "io_bw_gbs") == 0) return TG__INTERCONNECT;
  return -1;
}

static char **text_slot(tg_chip *c, const char *name) {
  if (!strcmp(name, "id")) return &c->id;
  if (!strcmp(name, "vendor")) return &c->vendor;
  if (!strcmp(name, "name")) return &c->name;
  if (!strcmp(name, "form_factor")) return &c->form_factor;
  if (!strcmp(name, "item_type")) return &c->item_type;
  if (!strcmp(name, "process_node")) return &c->process_node;
  if (!strcmp(name, "memory_type")) return &c->memory_type;
  if (!strcmp(name, "interconnect_note")) return &c->interconnect_note;
  if (!strcmp(name, "notes")) return &c->notes;
  if (!strcmp(name, "designed_in")) return &c->designed_in;
  if (!strcmp(name, "also_meets")) return &c->also_meets;
  return NULL;
}

static bool valid_item_type(const char *t) {
  return !strcmp(t, "ic") || !strcmp(t, "assembly") || !strcmp(t, "computer") ||
         !strcmp(t, "hbm") || !strcmp(t, "software");
}

tg_status tg_chip_create(const char *id, tg_chip **out) {
  if (!id || !out || !*id) return TG_EINVAL;
  tg_chip *c = tg__calloc(1, sizeof *c);
  if (!c) return TG_ENOMEM;
  c->id = tg__strdup(id);
  c->item_type = tg__strdup("ic");
  if (!c->id || !c->item_type) {
    tg_chip_destroy(c);
    return TG_ENOMEM;
  }
  tg__chip_derive(c);
  return (*out = c), TG_OK;
}

void tg_chip_destroy(tg_chip *c) {
  if (!c) return;
  char **slots[] = {&c->id, &c->vendor, &c->name, &c->form_factor, &c->item_type,
                    &c->process_node, &c->memory_type, &c->interconnect_note, &c->notes,
                    &c->designed_in, &c->also_meets};
  for (size_t i = 0; i < sizeof slots / sizeof *slots; i++) tg__free(*slots[i]);
  for (size_t i = 0; i < c->nsources; i++) tg__free(c->sources[i]);
  tg__free(c->sources);
  tg__free(c);
}

tg_chip *tg__chip_copy(const tg_chip *c) {
  tg_chip *d = tg__malloc(sizeof *d);
  if (!d) return NULL;
  *d = *c;
  char **slots[] = {&d->id, &d->vendor, &d->name, &d->form_factor, &d->item_type,
                    &d->process_node, &d->memory_type, &d->interconnect_note, &d->notes,
                    &d->designed_in, &d->also_meets};
  bool ok = true;
  for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
    if (*slots[i] && !(*slots[i] = tg__strdup(*slots[i]))) ok = false;
  d->sources = NULL;
  d->nsources = 0;
  if (c->nsources && (d->sources = tg__calloc(c->nsources, sizeof *d->sources)))
    for (; d->nsources < c->nsources; d->nsources++)
      if (!(d->sources[d->nsources] = tg__strdup(c->sources[d->nsources]))) ok = false;
  if (!ok || (c->nsources && !d->sources)) {
    tg_chip_destroy(d);
    return NULL;
  }
  return d;
}

tg_status tg_chip_set_number(tg_chip *c, const char *field, double v,
                             const char *confidence) {
  if (!c || !field) return TG_EINVAL;
  int i = field_index(field);
  if (i < 0 || !isfinite(v) || v < 0) return TG_EINVAL;
  const char *conf = confidence ? confidence : "user";
  bool ok = false;
  for (int k = 0; confidences[k]; k++) ok |= strcmp(conf, confidences[k]) == 0;
  if (!ok) return TG_EINVAL;
  c->f[i].state = TG__F_KNOWN;
  c->f[i].value = v;
  snprintf(c->f[i].confidence, sizeof c->f[i].confidence, "%s", conf);
  tg__chip_derive(c);
  return TG_OK;
}

tg_status tg_chip_set_text(tg_chip *c, const char *field, const char *v) {
  if (!c || !field || !v) return TG_EINVAL;
  char **slot = text_slot(c, field);
  if (!slot) return TG_EINVAL;
  if (!strcmp(field, "item_type") && !valid_item_type(v)) return TG_EINVAL;
  char *d = tg__strdup(v);
  if (!d) return TG_ENOMEM;
  tg__free(*slot);
  *slot = d;
  return TG_OK;
}

const char *tg_chip_id(const tg_chip *c) { return c ? c->id : NULL; }
const char *tg_chip_name(const tg_chip *c) { return c ? (c->name ? c->name : c->id) : NULL; }
const char *tg_chip_vendor(const tg_chip *c) { return c ? c->vendor : NULL; }

/* ---- metrics ------------------------------------------------------ */

static void metric_exact(tg__metric *m, double v, const char *conf) {
  m->defined = true;
  m->lo = m->hi = v;
  snprintf(m->confidence, sizeof m->confidence, "%s", conf);
}

static void metric_field(const tg_chip *c, int i, tg__metric *m) {
  memset(m, 0, sizeof *m);
  m->defined = true;
  if (c->f[i].state == TG__F_KNOWN) {
    metric_exact(m, c->f[i].value, c->f[i].confidence);
  } else {
    m->lo = 0;
    m->hi = INFINITY;
    snprintf(m->confidence, sizeof m->confidence, "unverified");
    snprintf(m->unknown_inputs, sizeof m->unknown_inputs, "%s", tg__fields[i].name);
  }
}

/* TPP and peak TOPS over the precisions: known ones set the lower bound;
 * an unknown one leaves the upper bound open. */
static void metric_tpp(const tg_chip *c, bool peak_tops, tg__metric *m) {
  memset(m, 0, sizeof *m);
  m->defined = true;
  double best = 0;
  int best_i = -1, nunknown = 0;
  for (int i = 0; i < TG__NPRECISIONS; i++) {
    const tg__field *f = &c->f[i];
    if (f->state == TG__F_ABSENT) continue;
    if (f->state == TG__F_UNKNOWN) {
      /* a precision the entry does not mention is not part of the spec;
       * one listed as null (unverified) leaves the upper bound open */
      if (f->confidence[0] == '\0') continue;
      size_t l = strlen(m->unknown_inputs);
      snprintf(m->unknown_inputs + l, sizeof m->unknown_inputs - l, "%s%s",
               nunknown ? ", " : "", tg__fields[i].name);
      nunknown++;
      continue;
    }
    double v = f->value * (peak_tops ? 1 : tg__fields[i].bits);
    if (v > best || best_i < 0) {
      best = v;
      best_i = i;
    }
  }
  m->lo = best;
  m->hi = nunknown ? INFINITY : best;
  if (best_i >= 0) {
    snprintf(m->confidence, sizeof m->confidence, "%s", c->f[best_i].confidence);
    char v[32];
    tg__fmt_number(c->f[best_i].value, v, sizeof v);
    if (peak_tops)
      snprintf(m->basis, sizeof m->basis, "%s %s dense", tg__fields[best_i].label, v);
    else
      snprintf(m->basis, sizeof m->basis, "%s %s dense TOPS x %d bits",
               tg__fields[best_i].label, v, tg__fields[best_i].bits);
  } else {
    snprintf(m->confidence, sizeof m->confidence, "%s", nunknown ? "unverified" : "vendor");
  }
  if (nunknown && conf_rank(m->confidence) < conf_rank("unverified") && best_i < 0)
    snprintf(m->confidence, sizeof m->confidence, "unverified");
}

static void weakest(tg__metric *m, const char *conf) {
  if (conf_rank(conf) > conf_rank(m->confidence))
    snprintf(m->confidence, sizeof m->confidence, "%s", conf);
}

static void metric_ratio(const tg__metric *num, const tg__metric *den, tg__metric *m) {
  memset(m, 0, sizeof *m);
  m->defined = true;
  snprintf(m->confidence, sizeof m->confidence, "%s", num->confidence);
  weakest(m, den->confidence);
  if (den->hi <= 0 || den->lo <= 0) { /* unknown or zero area */
    m->lo = 0;
    m->hi = INFINITY;
  } else {
    m->lo = num->lo / den->hi;
    m->hi = isinf(num->hi) ? INFINITY : num->hi / den->lo;
  }
  tg__buf b;
  tg__buf_init(&b);
  tg__buf_printf(&b, "%s%s%s", num->unknown_inputs,
                 num->unknown_inputs[0] && den->unknown_inputs[0] ? ", " : "",
                 den->unknown_inputs);
  if (b.data) snprintf(m->unknown_inputs, sizeof m->unknown_inputs, "%.95s", b.data);
  tg__buf_free(&b);
}

static bool compute_metric(const tg_chip *c, const char *name, tg__metric *m) {
  memset(m, 0, sizeof *m);
  if (!strcmp(name, "tpp")) {
    metric_tpp(c, false, m);
  } else if (!strcmp(name, "peak_tops")) {
    metric_tpp(c, true, m);
  } else if (!strcmp(name, "pd")) {
    tg__metric tpp, area;
    metric_tpp(c, false, &tpp);
    metric_field(c, TG__DIE_AREA, &area);
    metric_ratio(&tpp, &area, m);
    if (tpp.basis[0] && area.lo == area.hi) {
      char a[32];
      tg__fmt_number(area.lo, a, sizeof a);
      snprintf(m->basis, sizeof m->basis, "TPP / %s mm2 applicable die area", a);
    }
  } else if (!strcmp(name, "memory_bw_gbs")) {
    metric_field(c, TG__MEMORY_BW, m);
  } else if (!strcmp(name, "io_bw_gbs")) {
    metric_field(c, TG__INTERCONNECT, m);
  } else if (!strcmp(name, "die_area_mm2")) {
    metric_field(c, TG__DIE_AREA, m);
  } else if (!strcmp(name, "hbm_density")) {
    tg__metric bw, area;
    metric_field(c, TG__MEMORY_BW, &bw);
    metric_field(c, TG__PACKAGE_AREA, &area);
    metric_ratio(&bw, &area, m);
  } else if (!strcmp(name, "datacenter")) {
    metric_field(c, TG__DATACENTER, m);
  } else {
    return false;
  }
  return true;
}

void tg__chip_derive(tg_chip *c) {
  for (int i = 0; i < TG__NMETRICS; i++) compute_metric(c, tg__metric_names[i], &c->metrics[i]);
}

bool tg__chip_metric(const tg_chip *c, const char *name, tg__metric *m) {
  for (int i = 0; i < TG__NMETRICS; i++)
    if (!strcmp(name, tg__metric_names[i])) {
      *m = c->metrics[i];
      return true;
    }
  memset(m, 0, sizeof *m);
  return false;
}

int tg_chip_metric(const tg_chip *c, const char *metric, double *v) {
  if (!c || !metric) return -1;
  tg__metric m;
  if (!tg__chip_metric(c, metric, &m)) return -1;
  if (m.lo != m.hi) return 0;
  if (v) *v = m.lo;
  return 1;
}

int tg_chip_metric_range(const tg_chip *c, const char *metric, double *lo, double *hi) {
  if (!c || !metric) return -1;
  tg__metric m;
  if (!tg__chip_metric(c, metric, &m)) return -1;
  if (lo) *lo = m.lo;
  if (hi) *hi = m.hi;
  return m.lo == m.hi ? 1 : 0;
}

/* ---- reading YAML ------------------------------------------------- */

static tg_status read_field(tg__yaml *y, tg_chip *c, int i, tg__ynode *v,
                            bool catalog, tg_error *err) {
  tg__field *f = &c->f[i];
  tg__ynode *val = v, *conf = NULL;
  if (tg__yaml_is_map(v)) {
    val = tg__yaml_get(v, "value");
    conf = tg__yaml_get(v, "confidence");
    void *it = NULL;
    tg__ypair *p;
    while ((p = tg__yaml_map_next(v, &it)) != NULL) {
      tg__ynode *k = tg__yaml_pair_key(p);
      if (!tg__yaml_eq(k, "value") && !tg__yaml_eq(k, "confidence") &&
          !tg__yaml_eq(k, "source") && !tg__yaml_eq(k, "note"))
        return tg__yaml_error(y, k, err, TG_EPARSE,
                              "unexpected key in '%s' (expected value, confidence, source, note)",
                              tg__fields[i].name);
    }
  } else if (!tg__yaml_is_scalar(v)) {
    return tg__yaml_error(y, v, err, TG_EPARSE,
                          "'%s' must be a number or {value, confidence}", tg__fields[i].name);
  }
  const char *cs = catalog ? "unverified" : "user";
  char confbuf[16] = "";
  if (conf) {
    bool ok = false;
    for (int k = 0; confidences[k]; k++)
      if (tg__yaml_eq(conf, confidences[k])) {
        ok = true;
        snprintf(confbuf, sizeof confbuf, "%s", confidences[k]);
      }
    if (!ok)
      return tg__yaml_error(y, conf, err, TG_EPARSE,
                            "expected a confidence: vendor, secondary, estimate, "
                            "unverified, not_supported or user");
    cs = confbuf;
  }
  snprintf(f->confidence, sizeof f->confidence, "%s", cs);
  if (tg__yaml_is_null(val)) {
    f->state = strcmp(cs, "not_supported") == 0 ? TG__F_ABSENT : TG__F_UNKNOWN;
    return TG_OK;
  }
  if (!strcmp(cs, "not_supported"))
    return tg__yaml_error(y, val, err, TG_EPARSE,
                          "'%s' is marked not_supported but has a value (use null)",
                          tg__fields[i].name);
  if (i == TG__DATACENTER) {
    bool b;
    if (!tg__yaml_bool(val, &b))
      return tg__yaml_error(y, val, err, TG_EPARSE, "'datacenter' expects true or false");
    f->state = TG__F_KNOWN;
    f->value = b;
    return TG_OK;
  }
  double d;
  if (!tg__yaml_number(val, &d) || d < 0)
    return tg__yaml_error(y, val, err, TG_EPARSE,
                          "'%s' expects a non-negative number", tg__fields[i].name);
  f->state = TG__F_KNOWN;
  f->value = d;
  return TG_OK;
}

tg_status tg__chip_from_node(tg__yaml *y, tg__ynode *n, bool catalog,
                             tg_chip **out, tg_error *err) {
  *out = NULL;
  if (!tg__yaml_is_map(n))
    return tg__yaml_error(y, n, err, TG_EPARSE, "a chip must be a mapping of fields");
  tg__ynode *idn = tg__yaml_get(n, "id");
  if (!idn || !tg__yaml_is_scalar(idn) || tg__yaml_is_null(idn))
    return tg__yaml_error(y, n, err, TG_EPARSE, "the chip has no 'id'");
  char *id = tg__yaml_strdup(idn);
  if (!id) return tg__yaml_error(y, idn, err, TG_EPARSE, "bad 'id'");
  tg_chip *c;
  tg_status st = tg_chip_create(id, &c);
  tg__free(id);
  if (st != TG_OK) return tg__set_error(err, st, "%s", tg_strerror(st));
  c->from_catalog = catalog;
  void *it = NULL;
  tg__ypair *p;
  while ((p = tg__yaml_map_next(n, &it)) != NULL) {
    tg__ynode *k = tg__yaml_pair_key(p), *v = tg__yaml_pair_value(p);
    char *key = tg__yaml_strdup(k);
    if (!key) {
      st = tg__yaml_error(y, k, err, TG_EPARSE, "keys must be plain text");
      goto fail;
    }
    int fi = field_index(key);
    char **slot = text_slot(c, key);
    if (fi >= 0) {
      st = read_field(y, c, fi, v, catalog, err);
    } else if (slot) {
      if (!tg__yaml_is_scalar(v) || tg__yaml_is_null(v)) {
        st = tg__yaml_error(y, v, err, TG_EPARSE, "'%s' expects text", key);
      } else {
        char *s = tg__yaml_strdup(v);
        if (!s) {
          st = tg__yaml_error(y, v, err, TG_EPARSE, "'%s' is not valid text", key);
        } else if (!strcmp(key, "item_type") && !valid_item_type(s)) {
          st = tg__yaml_error(y, v, err, TG_EPARSE,
                              "'item_type' expects ic, assembly, computer, hbm or software");
          tg__free(s);
        } else {
          tg__free(*slot);
          *slot = s;
        }
      }
    } else if (!strcmp(key, "sources")) {
      if (!tg__yaml_is_seq(v)) {
        st = tg__yaml_error(y, v, err, TG_EPARSE, "'sources' expects a list of text");
      } else {
        int n2 = tg__yaml_count(v);
        c->sources = tg__calloc((size_t)(n2 > 0 ? n2 : 1), sizeof *c->sources);
        if (!c->sources) st = tg__set_error(err, TG_ENOMEM, "out of memory");
        void *it2 = NULL;
        tg__ynode *s;
        while (st == TG_OK && (s = tg__yaml_seq_next(v, &it2)) != NULL) {
          char *t = tg__yaml_strdup(s);
          if (!t) st = tg__yaml_error(y, s, err, TG_EPARSE, "a source must be text");
          else c->sources[c->nsources++] = t;
        }
      }
    } else {
      st = tg__yaml_error(y, k, err, TG_EPARSE, "unknown chip field '%s'", key);
    }
    tg__free(key);
    if (st != TG_OK) goto fail;
  }
  /* Software is classified only under 5D002.z: its spec names the 5D002
   * paragraph, and its figures are those of the commodity it is for. */
  if (!strcmp(c->item_type, "software") &&
      (!c->also_meets || strncmp(c->also_meets, "5D002.", 6) != 0)) {
    st = tg__yaml_error(y, n, err, TG_EPARSE,
                        "item_type software needs also_meets naming its 5D002 paragraph "
                        "(e.g. \"5D002.a.1\"): Tollgate classifies no other software");
    goto fail;
  }
  /* A user spec that names no precision at all cannot be classified. */
  tg__chip_derive(c);
  *out = c;
  return TG_OK;
fail:
  tg_chip_destroy(c);
  return st;
}

tg_status tg_chip_from_spec(const char *text, size_t len, const char *origin,
                            tg_chip **out, tg_error *err) {
  if (!text || !out) return tg__set_error(err, TG_EINVAL, "no spec text");
  *out = NULL;
  tg__yaml y;
  tg_status st = tg__yaml_load(&y, text, len, origin ? origin : "spec", err);
  if (st != TG_OK) return st;
  st = tg__chip_from_node(&y, tg__yaml_root(&y), false, out, err);
  tg__yaml_free(&y);
  return st;
}
