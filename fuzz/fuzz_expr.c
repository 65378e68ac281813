/* fuzz_expr.c - libFuzzer target for the rule expression language: parse
 * the input, then evaluate it with a trivial fact table that gives every
 * kind of value (exact and open intervals, unknowns, strings, booleans,
 * groups), walk its identifiers and format every recorded value.
 * Findings are crashes, leaks and undefined behaviour. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool lookup(void *ctx, const char *name, tg__val *out) {
  (void)ctx;
  size_t h = 0;
  for (const char *p = name; *p; p++) h = h * 31 + (unsigned char)*p;
  switch (h % 8) {
  case 0: *out = (tg__val){.kind = TG__V_NUM, .lo = 2368, .hi = 2368}; return true;
  case 1: *out = (tg__val){.kind = TG__V_NUM, .lo = 4750, .hi = INFINITY}; return true;
  case 2: *out = (tg__val){.kind = TG__V_NUM, .lo = -1, .hi = 1}; return true;
  case 3: *out = (tg__val){.kind = TG__V_STR, .s = "CN"}; return true;
  case 4: *out = (tg__val){.kind = TG__V_BOOL, .b = (h / 8) % 2}; return true;
  case 5: *out = (tg__val){.kind = TG__V_GROUP, .s = "D:5"}; return true;
  case 6: *out = (tg__val){.kind = TG__V_UNKNOWN}; return true;
  default: return false;
  }
}

/* C* is in D groups, A* has an unknown membership of A groups (a dated
 * change whose date the sources do not settle), nothing else. */
static int in_group(void *ctx, const char *code, const char *group) {
  (void)ctx;
  if (code[0] == 'A' && group[0] == 'A') return -1;
  return code[0] == 'C' && group[0] == 'D';
}

static void count_ident(void *arg, const tg__expr *e) {
  size_t *n = arg;
  if (e->str) *n += strlen(e->str) > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  size_t errpos = 0;
  char msg[160];
  tg__expr *e = tg__expr_parse(text, &errpos, msg, sizeof msg);
  if (!e) {
    if (errpos > strlen(text) || strlen(msg) >= sizeof msg) abort();
  } else {
    size_t n = 0;
    tg__expr_idents(e, count_ident, &n);
    tg__eval ev;
    memset(&ev, 0, sizeof ev);
    ev.lookup = lookup;
    ev.in_group = in_group;
    ev.src = text;
    int t = tg__expr_truth(e, &ev);
    if (t < -1 || t > 1) abort();
    if (ev.ncompares > TG__MAX_COMPARES || ev.nunknowns > TG__MAX_UNKNOWNS) abort();
    for (size_t i = 0; i < ev.ncompares; i++) {
      char out[64];
      tg__val_format(&ev.compares[i].lv, out, sizeof out);
      tg__val_format(&ev.compares[i].rv, out, sizeof out);
    }
    tg__val v = tg__expr_value(e, &ev);
    char out[64];
    tg__val_format(&v, out, sizeof out);
    tg__expr_free(e);
  }
  free(text);
  return 0;
}
