/* decide_int.h - the state of one decision (a classification or an order
 * check) while rules are evaluated, and the result it becomes. */
#ifndef TG_DECIDE_INT_H
#define TG_DECIDE_INT_H

#include <jansson.h>

#include "engine_int.h"

/* The facts of one decision, looked up by rule expressions. */
typedef struct tg__facts {
  const tg_engine *e;
  const tg_chip *chip;
  tg__metric tpp, pd, mem, io, hbmd, peak, area, dc;
  bool order;             /* false: classification only */
  char dest[3], dest_input[3], hq[3], origin[3];
  double qty, unit_price; /* unit_price < 0: unknown */
  char date[11];
  const char *eccn;       /* set after the classification phase */
  int license_required;   /* -1 until the verdict is known */
  /* screening facts (set by the screening hook) */
  int party_listed;       /* -1 unknown/not screened, 0, 1 */
  const char *party_list, *party_policy;
} tg__facts;

void tg__facts_init(tg__facts *f, const tg_engine *e, const tg_chip *c, tg_date on);
/* Sets up an evaluation context over the facts for one expression. */
void tg__eval_init(tg__eval *ev, tg__facts *f, const char *src);
/* Renders a rule's text, replacing {fact} with the fact's value. */
void tg__render(tg__facts *f, const char *tmpl, char *out, size_t n);

struct tg_result {
  json_t *json;
  tg_verdict verdict;
  char eccn[32];
  char exception[16];
  char policy[32];
  bool has_fee;
  int64_t rate_ppm, amount_cents;
  bool undetermined;
};

/* Screening hook: fills party facts and reasons for an order with a
 * screener.  Implemented by the screening module; a weak default does
 * nothing when it is absent. */
tg_status tg__screen_order(const tg_order *o, tg__facts *f, json_t *reasons,
                           json_t *warnings, json_t **evidence, tg_error *err);

#endif
