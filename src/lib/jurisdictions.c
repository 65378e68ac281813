/* jurisdictions.c - keeps jurisdictions apart in every answer: the US
 * verdict as decided, and for each other jurisdiction (CN, MY, ...) the
 * warning rules of its rule sets in force that hold for the order, with
 * their effect (blocked_at_customs, discouraged, excluded_from_state_funded,
 * permit_required, ...), citation and verification level. */
#include <stdio.h>
#include <string.h>

#include "jurisdictions_int.h"
#include "jval_int.h"
#include "jw_int.h"
#include "pieces_int.h"

static void rule_sets(tg__jw *w, const tg_engine *e, tg_date on);

typedef struct rule_sets_at {
  const tg_engine *e;
  tg_date on;
  int depth;
} rule_sets_at;

static void render_rule_sets(tg__buf *b, const void *arg) {
  const rule_sets_at *a = arg;
  tg__jw w;
  tg__jw_init_nested(&w, b, TG__DOC_PRECISION, a->depth);
  rule_sets(&w, a->e, a->on);
  if (w.failed) b->oom = true;
}

/* The same text in every answer of one rule epoch: kept per indentation. */
void tg__rule_sets_write(tg__jw *w, const tg_engine *e, tg_date on) {
  const tg__piece *p = NULL;
  if (!w->failed && w->depth < TG__RULE_SETS_DEPTHS) {
    rule_sets_at a = {e, on, w->depth};
    p = tg__piece_get(&e->rule_sets_pieces[tg__epoch_of(e, on) * TG__RULE_SETS_DEPTHS + (size_t)w->depth],
                      render_rule_sets, &a);
  }
  if (p) tg__jw_raw(w, p->text, p->len);
  else rule_sets(w, e, on);
}

static void rule_sets(tg__jw *w, const tg_engine *e, tg_date on) {
  tg__jw_array(w);
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    if (tg__ruleset_foreign(rs) || !tg__ruleset_applied(rs, on)) continue;
    tg__jw_object(w);
    TG__JW_KEY(w, "id");
    tg__jw_string(w, rs->id);
    TG__JW_KEY(w, "citation");
    tg__jw_string(w, rs->citation);
    tg__jw_end_object(w);
  }
  tg__jw_end_array(w);
}

/* The US side: the verdict as decided and the rule sets. */
static void us_side(tg__jw *w, const tg__facts *f, tg_date on, const tg__us_answer *us) {
  tg__jw_object(w);
  if (us->order) {
    TG__JW_KEY(w, "verdict");
    tg__jw_string(w, us->verdict);
  }
  TG__JW_KEY(w, "eccn");
  tg__jw_string(w, us->eccn);
  if (us->order) {
    TG__JW_KEY(w, "exception");
    tg__jw_string(w, us->exception);
    TG__JW_KEY(w, "review_policy");
    tg__jw_string(w, us->review_policy);
  }
  TG__JW_KEY(w, "rule_sets");
  tg__rule_sets_write(w, f->e, on);
  if (us->order) {
    TG__JW_KEY(w, "payment_rate");
    if (us->payment_rate < 0) tg__jw_null(w);
    else tg__jw_real(w, us->payment_rate);
  }
  tg__jw_end_object(w);
}

/* The object of jurisdiction `code` in out, made on first use. */
static json_t *side(json_t *out, const char *code) {
  json_t *j = json_object_get(out, code);
  if (!j) {
    j = json_pack("{s:[],s:[]}", "measures", "rule_sets");
    json_object_set_new(out, code, j);
  }
  return j;
}

void tg__jurisdictions_write(tg__buf *b, tg__facts *f, tg_date on, const tg__us_answer *us,
                             const json_t *screening) {
  json_t *out = json_object(); /* the other jurisdictions */
  side(out, "CN");
  tg__foreign_sides(out, f, on);
  if (screening) tg__jurisdictions_listed(out, screening);
  tg__jw w;
  tg__jw_init_nested(&w, b, TG__DOC_PRECISION, 1);
  tg__jw_object(&w);
  TG__JW_KEY(&w, "US");
  us_side(&w, f, on, us);
  const char *k;
  json_t *v;
  json_object_foreach(out, k, v) {
    tg__jw_key(&w, k);
    tg__jw_tree(&w, v);
  }
  tg__jw_end_object(&w);
  if (w.failed || !out) b->oom = true;
  json_decref(out);
}

void tg__foreign_sides(json_t *out, tg__facts *f, tg_date on) {
  const tg_engine *e = f->e;
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    if (!tg__ruleset_foreign(rs) || !tg__ruleset_applied(rs, on)) continue;
    char code[8];
    snprintf(code, sizeof code, "%.*s", (int)strcspn(rs->jurisdiction, " -("), rs->jurisdiction);
    json_t *j = side(out, code);
    json_array_append_new(json_object_get(j, "rule_sets"),
                          tg__jtexts(3, (const char *const[]){"id", rs->id, "citation", rs->citation,
                                    "verification", rs->verification}));
    if (!f->order) continue; /* measures concern an order */
    for (size_t k = 0; k < rs->nrules; k++) {
      const tg__rule *r = &rs->rules[k];
      if (r->kind != TG__R_WARNING) continue;
      tg__eval ev;
      tg__eval_init(&ev, f, r->when_src);
      int t = tg__expr_truth(r->when, &ev);
      if (t == 0) continue;
      char text[1024];
      tg__render(f, r->text, text, sizeof text);
      json_t *m = tg__jtexts(7, (const char *const[]){"rule", r->id, "rule_set", rs->id,
                            "effect", r->effect, "text", text, "citation", r->cite, "source",
                            rs->citation, "verification",
                            r->verification ? r->verification : rs->verification});
      if (t < 0) json_object_set_new(m, "applies", tg__jtext("unknown"));
      if (r->note) json_object_set_new(m, "note", tg__jtext(r->note));
      json_array_append_new(json_object_get(j, "measures"), m);
    }
  }
}
