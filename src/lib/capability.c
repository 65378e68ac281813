/* capability.c - what a chip can do, from the catalog's figures and cited
 * formulas: dense compute by precision, memory, interconnect, and roofline
 * estimates of training and LLM inference throughput, each with its
 * formula, inputs, their confidence and the assumptions made; and the
 * comparison of the chips shippable to a destination on a date. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chip_int.h"
#include "tg_int.h"

#define SRC_KAPLAN "Kaplan et al., Scaling Laws for Neural Language Models, arXiv:2001.08361 (2020), sec. 2.1: training costs about 6N FLOPs per token, a forward pass about 2N"
#define SRC_PALM "Chowdhery et al., PaLM, arXiv:2204.02311 (2022), sec. 4.1: model FLOPs utilization (MFU) defined; 46.2% reported for PaLM 540B"
#define SRC_POPE "Pope et al., Efficiently Scaling Transformer Inference, arXiv:2211.05102 (2022), sec. 2: at small batch, decoding is bound by loading the weights from memory"
#define SRC_ROOFLINE "Williams, Waterman, Patterson, Roofline: an insightful visual performance model, CACM 52(4), 2009"

/* A precision and where to look when the chip lacks it. */
static const struct { const char *name; int field; double bytes; const char *fallback; } precs[] = {
    {"fp4", TG__FP4, 0.5, "fp8"},   {"int4", TG__INT4, 0.5, "int8"}, {"fp8", TG__FP8, 1, "fp16"},
    {"int8", TG__INT8, 1, "fp16"},  {"fp16", TG__FP16, 2, "tf32"},   {"bf16", TG__FP16, 2, "tf32"},
    {"tf32", TG__TF32, 4, NULL},    {"fp32", TG__TF32, 4, NULL}};

static int prec_index(const char *p) {
  for (size_t i = 0; i < sizeof precs / sizeof *precs; i++)
    if (!strcmp(precs[i].name, p)) return (int)i;
  return -1;
}

static int conf_rank(const char *c) {
  static const char *const order[] = {"vendor", "user", "secondary", "estimate", "unverified", NULL};
  for (int i = 0; order[i]; i++)
    if (!strcmp(order[i], c)) return i;
  return 5;
}

static const char *weaker(const char *a, const char *b) { return conf_rank(a) >= conf_rank(b) ? a : b; }

static json_t *field_json(const tg_chip *c, int i, const char *unit) {
  const tg__field *f = &c->f[i];
  if (f->state != TG__F_KNOWN)
    return json_pack("{s:n,s:s,s:s}", "value", "unit", unit, "confidence",
                     f->state == TG__F_ABSENT ? "not_supported" : "unknown");
  return json_pack("{s:f,s:s,s:s}", "value", f->value, "unit", unit, "confidence",
                   f->confidence[0] ? f->confidence : "user");
}

void tg_capability_opts_init(tg_capability_opts *o) {
  memset(o, 0, sizeof *o);
  o->model_params = 70e9;
  o->precision = "fp8";
  o->utilization = 0.4;
}

/* The dense FLOP/s used at precision p (falling back as precs says). */
static bool compute_at(const tg_chip *c, const char *p, double *flops, const char **used,
                       const char **conf) {
  for (int i = prec_index(p); i >= 0; i = precs[i].fallback ? prec_index(precs[i].fallback) : -1) {
    const tg__field *f = &c->f[precs[i].field];
    if (f->state == TG__F_KNOWN && f->value > 0) {
      *flops = f->value * 1e12;
      *used = precs[i].name;
      *conf = f->confidence[0] ? f->confidence : "user";
      return true;
    }
  }
  return false;
}

static json_t *estimate(double value, const char *unit, const char *formula, json_t *inputs,
                        const char *conf, const char *source) {
  return json_pack("{s:o,s:s,s:s,s:o,s:s,s:s}", "value",
                   isfinite(value) ? json_real(value) : json_null(), "unit", unit, "formula",
                   formula, "inputs", inputs, "confidence", conf, "source", source);
}

/* The capability object; NULL with err set for bad options. */
static json_t *capability(const tg_chip *c, const tg_capability_opts *o, tg_error *err) {
  int pi = o->precision ? prec_index(o->precision) : -1;
  if (pi < 0) {
    tg__set_error(err, TG_EINVAL, "precision '%s': expected fp4, int4, fp8, int8, fp16, bf16, tf32 or fp32",
                  o->precision ? o->precision : "");
    return NULL;
  }
  if (!(o->model_params >= 1e6 && o->model_params <= 1e14) || !(o->utilization > 0 && o->utilization <= 1)) {
    tg__set_error(err, TG_EINVAL, "model parameters must be in [1e6, 1e14] and utilization in (0, 1]");
    return NULL;
  }
  double n = o->model_params, bytes = precs[pi].bytes;
  json_t *compute = json_array();
  for (int i = 0; i < TG__NPRECISIONS; i++) {
    json_t *f = field_json(c, i, i == TG__INT8 || i == TG__INT4 ? "dense TOPS" : "dense TFLOPS");
    json_object_set_new(f, "precision", json_string(tg__fields[i].label));
    json_array_append_new(compute, f);
  }
  double flops = NAN, bw = NAN, mem = NAN;
  const char *used = NULL, *cconf = "unknown";
  bool have_c = compute_at(c, o->precision, &flops, &used, &cconf);
  const tg__field *fb = &c->f[TG__MEMORY_BW], *fm = &c->f[TG__MEMORY_GB];
  const char *bconf = fb->state == TG__F_KNOWN ? (fb->confidence[0] ? fb->confidence : "user") : "unknown";
  const char *mconf = fm->state == TG__F_KNOWN ? (fm->confidence[0] ? fm->confidence : "user") : "unknown";
  if (fb->state == TG__F_KNOWN) bw = fb->value * 1e9;
  if (fm->state == TG__F_KNOWN) mem = fm->value * 1e9;
  json_t *est = json_object();
  json_object_set_new(
      est, "training_tokens_per_s",
      estimate(have_c ? flops * o->utilization / (6 * n) : NAN, "tokens/s per chip",
               "dense FLOP/s x utilization / (6 x parameters)",
               json_pack("{s:o,s:s?,s:f,s:f}", "dense_flops", have_c ? json_real(flops) : json_null(),
                         "at_precision", used, "utilization", o->utilization, "parameters", n),
               have_c ? weaker(cconf, "estimate") : "unknown", SRC_KAPLAN "; " SRC_PALM));
  json_object_set_new(
      est, "prefill_tokens_per_s",
      estimate(have_c ? flops * o->utilization / (2 * n) : NAN, "tokens/s per chip",
               "dense FLOP/s x utilization / (2 x parameters)",
               json_pack("{s:o,s:s?,s:f,s:f}", "dense_flops", have_c ? json_real(flops) : json_null(),
                         "at_precision", used, "utilization", o->utilization, "parameters", n),
               have_c ? weaker(cconf, "estimate") : "unknown", SRC_KAPLAN "; " SRC_ROOFLINE));
  json_object_set_new(
      est, "decode_tokens_per_s",
      estimate(bw / (n * bytes), "tokens/s per chip (one sequence, upper bound)",
               "memory bandwidth / (parameters x bytes per parameter)",
               json_pack("{s:o,s:f,s:f}", "memory_bw_bytes_per_s", isfinite(bw) ? json_real(bw) : json_null(),
                         "parameters", n, "bytes_per_parameter", bytes),
               bconf, SRC_POPE "; " SRC_ROOFLINE));
  json_object_set_new(
      est, "chips_to_hold_weights",
      estimate(ceil(n * bytes / mem), "chips", "ceil(parameters x bytes per parameter / memory capacity)",
               json_pack("{s:o,s:f,s:f}", "memory_bytes", isfinite(mem) ? json_real(mem) : json_null(),
                         "parameters", n, "bytes_per_parameter", bytes),
               mconf, "arithmetic on the catalog's memory capacity"));
  json_t *assume = json_pack(
      "[s,s,s,s]",
      "dense (non-sparse) peak figures from the catalog; a precision the chip lacks is computed "
      "at the next wider one it has (at_precision)",
      "utilization (model FLOPs utilization) is an assumption, not a measurement",
      "decode: one sequence, every weight read once per token, KV-cache and activation traffic "
      "ignored, full bandwidth reached (an upper bound); batching raises throughput until compute binds",
      "weights only: KV cache, activations, optimizer state (training needs several times the "
      "weights) are not counted; interconnect limits on multi-chip work are not modelled");
  json_t *root = json_pack("{s:s,s:s,s:s?,s:o,s:o,s:o,s:o,s:{s:f,s:s,s:f},s:o,s:o}", "chip", c->id,
                           "chip_name", tg_chip_name(c), "vendor", c->vendor, "compute", compute,
                           "memory_gb", field_json(c, TG__MEMORY_GB, "GB"), "memory_bw_gbs",
                           field_json(c, TG__MEMORY_BW, "GB/s"), "interconnect_gbs",
                           field_json(c, TG__INTERCONNECT, "GB/s"), "model", "parameters", n,
                           "precision", o->precision, "bytes_per_parameter", bytes, "estimates",
                           est, "assumptions", assume);
  return root;
}

static tg_status dump(json_t *root, char **json_out, tg_error *err) {
  *json_out = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
  json_decref(root);
  return *json_out ? TG_OK : tg__set_error(err, TG_ENOMEM, "out of memory");
}

tg_status tg_capability_json(const tg_chip *c, const tg_capability_opts *o, char **json_out,
                             tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_capability_json: no output");
  *json_out = NULL;
  if (!c || !o) return tg__set_error(err, TG_EINVAL, "tg_capability_json: no chip or options");
  json_t *root = capability(c, o, err);
  return root ? dump(root, json_out, err) : err ? err->status : TG_EINVAL;
}

static double task_value(json_t *cap, const char *task) {
  json_t *v = json_object_get(json_object_get(json_object_get(cap, "estimates"),
                                              !strcmp(task, "training") ? "training_tokens_per_s"
                                                                        : "decode_tokens_per_s"),
                              "value");
  return json_is_number(v) ? json_number_value(v) : NAN;
}

typedef struct row { json_t *j; double v; } row;

static int by_value(const void *a, const void *b) {
  double x = ((const row *)a)->v, y = ((const row *)b)->v;
  if (isnan(x)) return isnan(y) ? 0 : 1;
  if (isnan(y)) return -1;
  return (x < y) - (x > y);
}

tg_status tg_compare_json(const tg_engine *e, const tg_compare_opts *o, char **json_out,
                          tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_compare_json: no output");
  *json_out = NULL;
  if (!e || !o || !o->dest) return tg__set_error(err, TG_EINVAL, "tg_compare_json: no engine, options or destination");
  if (!o->task || (strcmp(o->task, "training") && strcmp(o->task, "inference")))
    return tg__set_error(err, TG_EINVAL, "task '%s': expected inference or training", o->task ? o->task : "");
  const tg_chip *ref = tg_catalog_find(e, o->reference ? o->reference : "nv-h100-sxm");
  if (!ref) return tg__set_error(err, TG_EINVAL, "reference chip '%s' is not in the catalog", o->reference);
  json_t *rc = capability(ref, &o->capability, err);
  if (!rc) return err ? err->status : TG_EINVAL;
  double refv = task_value(rc, o->task) * (o->reference_count > 0 ? o->reference_count : 1);
  json_decref(rc);
  size_t n = tg_catalog_count(e);
  row *rows = tg__calloc(n + 1, sizeof *rows);
  if (!rows) return tg__set_error(err, TG_ENOMEM, "out of memory");
  tg_status st = TG_OK;
  size_t k = 0;
  for (size_t i = 0; i < n && st == TG_OK; i++) {
    const tg_chip *c = tg_catalog_at(e, i);
    tg_order ord;
    tg_order_init(&ord);
    ord.chip = c;
    ord.on = o->on;
    ord.dest = o->dest;
    ord.hq = o->hq;
    ord.end_use = "none";
    tg_result *r;
    if ((st = tg_check(e, &ord, &r, err)) != TG_OK) break;
    json_t *cap = capability(c, &o->capability, err);
    if (!cap) {
      tg_result_destroy(r);
      st = err ? err->status : TG_EINVAL;
      break;
    }
    double v = task_value(cap, o->task);
    tg_verdict vd = tg_result_verdict(r);
    json_t *j = json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:b,s:o,s:o,s:O}", "chip", c->id, "chip_name",
                          tg_chip_name(c), "verdict", tg_verdict_name(vd), "review_policy",
                          tg_result_review_policy(r), "exception", tg_result_exception(r),
                          "shippable", vd != TG_LICENSE_REQUIRED, "tokens_per_s",
                          isfinite(v) ? json_real(v) : json_null(), "to_match_reference",
                          isfinite(v) && v > 0 && isfinite(refv) ? json_real(ceil(refv / v)) : json_null(),
                          "estimate", json_object_get(json_object_get(cap, "estimates"),
                                                      !strcmp(o->task, "training") ? "training_tokens_per_s"
                                                                                   : "decode_tokens_per_s"));
    json_object_set(j, "chips_to_hold_weights",
                    json_object_get(json_object_get(json_object_get(cap, "estimates"),
                                                    "chips_to_hold_weights"), "value"));
    json_decref(cap);
    tg_result_destroy(r);
    rows[k++] = (row){j, v};
  }
  if (st != TG_OK) {
    for (size_t i = 0; i < k; i++) json_decref(rows[i].j);
    tg__free(rows);
    return st;
  }
  qsort(rows, k, sizeof *rows, by_value);
  json_t *ship = json_array(), *lic = json_array();
  for (size_t i = 0; i < k; i++)
    json_array_append_new(json_is_true(json_object_get(rows[i].j, "shippable")) ? ship : lic, rows[i].j);
  tg__free(rows);
  char d[11];
  tg_date_format(o->on, d);
  json_t *root = json_pack(
      "{s:s,s:s,s:s?,s:s,s:{s:s,s:I,s:o},s:{s:f,s:s,s:f},s:o,s:o,s:s}", "on", d, "to", o->dest,
      "hq", o->hq, "task", o->task, "reference", "chip", ref->id, "count",
      (json_int_t)(o->reference_count > 0 ? o->reference_count : 1), "tokens_per_s",
      isfinite(refv) ? json_real(refv) : json_null(), "model", "parameters",
      o->capability.model_params, "precision", o->capability.precision, "utilization",
      o->capability.utilization, "shippable", ship, "license_required", lic, "note",
      "shippable: no license required or a license exception; to_match_reference: chips of "
      "this kind whose estimated throughput adds up to the reference's (estimates, see "
      "tollgate capability for formulas and assumptions)");
  return dump(root, json_out, err);
}
