/* fuzz_rules.c - libFuzzer target for rule-set files: tg_rules_validate on
 * the input; when it parses, every rule's expressions are evaluated with a
 * trivial fact table (as the engine would, without a data directory).
 * Findings are crashes, leaks and undefined behaviour. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool lookup(void *ctx, const char *name, tg__val *out) {
  (void)ctx;
  if (!strcmp(name, "tpp")) *out = (tg__val){.kind = TG__V_NUM, .lo = 4750, .hi = INFINITY};
  else if (!strcmp(name, "pd")) *out = (tg__val){.kind = TG__V_NUM, .lo = 5.8, .hi = 5.8};
  else if (!strcmp(name, "dest")) *out = (tg__val){.kind = TG__V_STR, .s = "CN"};
  else if (!strcmp(name, "datacenter")) *out = (tg__val){.kind = TG__V_BOOL, .b = true};
  else return false;
  return true;
}

/* CN is in D:5; AE's membership of D:4 is unknown (a dated change whose
 * date the sources do not settle). */
static int in_group(void *ctx, const char *code, const char *group) {
  (void)ctx;
  if (!strcmp(code, "AE") && !strcmp(group, "D:4")) return -1;
  return !strcmp(code, "CN") && !strcmp(group, "D:5");
}

static void eval(const tg__expr *e, const char *src) {
  if (!e) return;
  tg__eval ev;
  memset(&ev, 0, sizeof ev);
  ev.lookup = lookup;
  ev.in_group = in_group;
  ev.src = src;
  (void)tg__expr_truth(e, &ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  tg_error err;
  memset(&err, 0x55, sizeof err);
  tg_status st = tg_rules_validate((const char *)data, size, "fuzz.yaml", &err);
  if (st != TG_OK) {
    if (memchr(err.message, '\0', sizeof err.message) == NULL || err.status != st) abort();
    return 0;
  }
  tg__ruleset *rs;
  if (tg__ruleset_parse((const char *)data, size, "fuzz.yaml", &rs, NULL) != TG_OK) abort();
  for (tg_date d = rs->effective - 1; d <= rs->effective + 1; d++) {
    (void)tg__ruleset_in_force(rs, d);
    (void)tg__ruleset_applied(rs, d);
    (void)tg__ruleset_status(rs, d);
  }
  for (size_t i = 0; i < rs->nrules; i++) {
    const tg__rule *r = &rs->rules[i];
    eval(r->when, r->when_src);
    eval(r->unless, r->unless_src);
    for (size_t k = 0; k < r->ncases; k++) eval(r->cases[k].when, r->cases[k].when_src);
  }
  tg__ruleset_free(rs);
  return 0;
}
