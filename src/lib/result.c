/* result.c - accessors of a decision and its JSON form (a spec
 * classification's reasons are evaluated when its JSON is asked for). */
#include <stdio.h>
#include <string.h>

#include "decide_int.h"
#include "jw_int.h"

const char *tg_verdict_name(tg_verdict v) {
  switch (v) {
  case TG_NO_LICENSE_REQUIRED: return "no_license_required";
  case TG_LICENSE_EXCEPTION: return "license_exception";
  case TG_LICENSE_REQUIRED: return "license_required";
  }
  return "unknown";
}

void tg_result_destroy(tg_result *r) {
  if (!r) return;
  tg__doc_free(r->answer);
  tg_chip_destroy(r->spec);
  tg__check_entry_release(r->memo);
  tg__free(r->memo_key);
  tg__free(r->decision_key);
  tg__free(r);
}

tg_verdict tg_result_verdict(const tg_result *r) { return r ? r->verdict : TG_LICENSE_REQUIRED; }
const char *tg_result_eccn(const tg_result *r) { return r && r->eccn[0] ? r->eccn : NULL; }
const char *tg_result_exception(const tg_result *r) {
  return r && r->exception[0] ? r->exception : NULL;
}
const char *tg_result_review_policy(const tg_result *r) {
  return r && r->policy[0] ? r->policy : NULL;
}
int tg_result_fee(const tg_result *r, int64_t *rate_ppm, int64_t *amount_cents) {
  if (!r || !r->has_fee) return 0;
  if (rate_ppm) *rate_ppm = r->rate_ppm;
  if (amount_cents) *amount_cents = r->amount_cents;
  return 1;
}
int tg_result_undetermined(const tg_result *r) { return r && r->undetermined; }

char *tg_result_json(const tg_result *r) {
  if (!r) return NULL;
  if (r->cached) {
    char *s = tg__malloc(r->cached->len + 1), d[11];
    if (!s) return NULL;
    memcpy(s, r->cached->text, r->cached->len + 1);
    tg_date_format(r->on, d);
    memcpy(s + r->cached->date_at, d, 10);
    return s;
  }
  if (r->spec) {
    tg_result *full;
    if (tg__classify_eval(r->engine, r->spec, r->on, &full, NULL) != TG_OK) return NULL;
    char *s = tg__doc_dumps(full->answer);
    tg_result_destroy(full);
    return s;
  }
  if (r->memo) { /* a kept answer, or a kept decision filled in */
    size_t len;
    char *s = tg__check_entry_text(r->memo, &r->numbers, &len);
    if (s && r->memo_key) tg__check_remember(r, s, len);
    return s;
  }
  tg__hole holes[TG__DOC_HOLES];
  size_t nholes;
  char *s = tg__doc_dumps_holes(r->answer, holes, &nholes);
  if (!s) return NULL;
  size_t len = strlen(s);
  if (r->memo_key) tg__check_remember(r, s, len);
  if (r->decision_key) tg__check_remember_decision(r, s, len, holes, nholes);
  return s;
}

const char *tg_result_json_kept(const tg_result *r, size_t *len) {
  size_t n = 0;
  const char *s = r && r->memo ? tg__check_entry_view(r->memo, &n) : NULL;
  if (len) *len = n;
  return s;
}

int tg__result_notice_days(const tg_result *r) { return r ? r->notice_days : 0; }

int tg__result_cap_percent(const tg_result *r) { return r ? r->cap_percent : 0; }

const char *tg__result_hq(const tg_result *r) { return r && r->hq[0] ? r->hq : NULL; }

void tg__result_unknown_facts(const tg_result *r, char *out, size_t n) {
  if (n) snprintf(out, n, "%s", r ? r->unknown_facts : "");
}
