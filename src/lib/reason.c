/* reason.c - a rule's reason and a decision's metrics as JSON text,
 * written once when the rule is evaluated (straight into one growing
 * buffer, no tree); doc.c puts these texts in place in the answer. */
#include <math.h>
#include <string.h>

#include "decide_int.h"
#include "jw_int.h"
#include "pieces_int.h"

/* The depth of a reason in an answer: the answer's object, its "reasons"
 * array. */
#define REASON_DEPTH 2

/* Whether jansson could hold the value (it has no non-finite reals: a
 * member holding one was left out). */
static bool val_ok(const tg__val *v) {
  if (v->kind != TG__V_NUM) return true;
  if (v->lo == v->hi) return isfinite(v->lo);
  return isfinite(v->lo) && !isnan(v->hi);
}

static void val(tg__jw *w, const tg__val *v) {
  switch (v->kind) {
  case TG__V_NUM:
    if (v->lo == v->hi) {
      tg__jw_real(w, v->lo);
      return;
    }
    tg__jw_object(w);
    TG__JW_KEY(w, "at_least");
    tg__jw_real(w, v->lo);
    TG__JW_KEY(w, "at_most");
    if (isinf(v->hi)) tg__jw_null(w);
    else tg__jw_real(w, v->hi);
    tg__jw_end_object(w);
    return;
  case TG__V_BOOL: tg__jw_bool(w, v->b); return;
  case TG__V_STR:
  case TG__V_GROUP: tg__jw_string(w, v->s); return;
  case TG__V_LIST: tg__jw_string(w, "list"); return;
  default: tg__jw_null(w); return;
  }
}

static void truth(tg__jw *w, int t) {
  if (t < 0) tg__jw_string(w, "unknown");
  else tg__jw_bool(w, t != 0);
}

void tg__compare_write(tg__jw *w, const tg__compare *k, bool unless) {
  tg__jw_object(w);
  TG__JW_KEY(w, "left");
  tg__jw_string(w, k->lhs);
  if (val_ok(&k->lv)) {
    TG__JW_KEY(w, "value");
    val(w, &k->lv);
  }
  TG__JW_KEY(w, "op");
  tg__jw_string(w, k->op);
  TG__JW_KEY(w, "right");
  tg__jw_string(w, k->rhs);
  if (val_ok(&k->rv)) {
    TG__JW_KEY(w, "right_value");
    val(w, &k->rv);
  }
  TG__JW_KEY(w, "result");
  truth(w, k->result);
  if (unless) {
    TG__JW_KEY(w, "unless");
    tg__jw_bool(w, true);
  }
  tg__jw_end_object(w);
}

/* A string member; k a string literal that needs no escapes. */
#define member(w, k, v) (TG__JW_KEY(w, k), tg__jw_string(w, v))

void tg__reason_write(tg__buf *b, const tg__reason_in *in) {
  const tg__rule *r = in->rule;
  tg__jw w;
  tg__jw_init_nested(&w, b, TG__DOC_PRECISION, REASON_DEPTH);
  tg__jw_object(&w);
  member(&w, "rule", r->id);
  member(&w, "rule_set", r->set->id);
  member(&w, "kind", tg__rule_kind_names[r->kind]);
  member(&w, "effect", r->effect);
  member(&w, "citation", r->cite);
  member(&w, "source", r->set->citation);
  member(&w, "text", in->text);
  TG__JW_KEY(&w, "result");
  truth(&w, in->truth);
  TG__JW_KEY(&w, "compared");
  tg__jw_array(&w);
  for (size_t i = 0; i < in->nwhen + in->nunless; i++)
    tg__compare_write(&w, &in->compares[i], i >= in->nwhen);
  tg__jw_end_array(&w);
  member(&w, "verification", r->verification ? r->verification : r->set->verification);
  if (r->note) member(&w, "note", r->note);
  if (in->truth < 0) {
    TG__JW_KEY(&w, "unknown_facts");
    tg__jw_array(&w);
    for (size_t i = 0; i < in->nunknowns; i++) tg__jw_string(&w, in->unknowns[i]);
    tg__jw_end_array(&w);
  }
  if (in->policy) member(&w, "policy", in->policy);
  tg__jw_end_object(&w);
  if (w.failed) b->oom = true; /* a value JSON cannot hold: the answer fails */
}

/* A real as jansson held it: a non-finite one was no value (left out). */
static void member_real(tg__jw *w, const char *k, double v) {
  if (!isfinite(v)) return;
  tg__jw_key(w, k);
  tg__jw_real(w, v);
}

static void metrics_text(tg__buf *b, const tg__facts *f);

static void render_metrics(tg__buf *b, const void *f) { metrics_text(b, f); }

void tg__metrics_write(tg__buf *b, const tg__facts *f) {
  /* a catalog chip's facts hold its own metrics (tg__facts_init): the
   * text is the same in every answer */
  const tg__piece *p = tg__catalog_chip(f->e, f->chip)
                           ? tg__piece_get(&f->e->metrics_pieces[f->chip->catalog_ix],
                                           render_metrics, f)
                           : NULL;
  if (p) tg__buf_append(b, p->text, p->len);
  else metrics_text(b, f);
}

static void metrics_text(tg__buf *b, const tg__facts *f) {
  static const char *const names[] = {"tpp", "pd", "memory_bw_gbs", "io_bw_gbs",
                                      "hbm_density", "peak_tops", "die_area_mm2"};
  const tg__metric *ms[] = {&f->tpp, &f->pd, &f->mem, &f->io, &f->hbmd, &f->peak, &f->area};
  enum { N = sizeof ms / sizeof *ms };
  tg__jw w;
  tg__jw_init_nested(&w, b, TG__DOC_PRECISION, 1);
  tg__jw_object(&w);
  for (size_t i = 0; i < N; i++) {
    if (ms[i]->lo != ms[i]->hi) {
      tg__jw_key(&w, names[i]);
      tg__jw_null(&w);
    } else {
      member_real(&w, names[i], ms[i]->lo);
    }
  }
  TG__JW_KEY(&w, "datacenter");
  if (f->dc.lo == f->dc.hi) tg__jw_bool(&w, f->dc.lo != 0);
  else tg__jw_null(&w);
  TG__JW_KEY(&w, "details");
  tg__jw_object(&w);
  for (size_t i = 0; i < N; i++) {
    const tg__metric *x = ms[i];
    if (!isfinite(x->lo) || isnan(x->hi)) continue; /* jansson could not pack it */
    tg__jw_key(&w, names[i]);
    tg__jw_object(&w);
    member_real(&w, "at_least", x->lo);
    TG__JW_KEY(&w, "at_most");
    if (isinf(x->hi)) tg__jw_null(&w);
    else tg__jw_real(&w, x->hi);
    member(&w, "confidence", x->confidence);
    if (x->basis[0]) member(&w, "basis", x->basis);
    if (x->unknown_inputs[0]) member(&w, "unknown_inputs", x->unknown_inputs);
    tg__jw_end_object(&w);
  }
  tg__jw_end_object(&w);
  tg__jw_end_object(&w);
  if (w.failed) b->oom = true;
}
