/* order_numbers.c - the numbers of an order an answer shows (decide_int.h
 * tg__order_numbers): the quantity and unit price the "order" member
 * restates and the fee's amount.  One writer for each value, used when an
 * answer is evaluated and when a kept decision is filled in for another
 * quantity or price, so both give the same bytes. */
#include "decide_int.h"
#include "jw_int.h"

bool tg__fee_amount(int64_t qty, int64_t price_cents, int64_t rate_ppm, int64_t *amount) {
  /* round(qty * price * rate / 1e6), in 128 bits: the value fits an
   * int64_t (tg_check refuses larger orders), its fee may not */
  __int128 x = ((__int128)qty * price_cents * rate_ppm + 500000) / 1000000;
  if (x > INT64_MAX) return false;
  *amount = (int64_t)x;
  return true;
}

tg_status tg__fee_too_large(tg_error *err) {
  return tg__set_error(err, TG_EINVAL, "fee amount too large (quantity x unit price x rate)");
}

void tg__hole_write(tg__jw *w, tg__hole_kind k, const tg__order_numbers *v) {
  bool priced = v->price_cents >= 0, owed = v->amount_cents >= 0;
  switch (k) {
  case TG__H_QTY: tg__jw_int(w, (long long)v->qty); return;
  case TG__H_PRICE_USD:
    if (priced) tg__jw_real(w, (double)v->price_cents / 100.0);
    else tg__jw_null(w);
    return;
  case TG__H_PRICE_CENTS:
    if (priced) tg__jw_int(w, (long long)v->price_cents);
    else tg__jw_null(w);
    return;
  case TG__H_AMOUNT_USD:
    if (owed) tg__jw_real(w, (double)v->amount_cents / 100.0);
    else tg__jw_null(w);
    return;
  case TG__H_AMOUNT_CENTS:
    if (owed) tg__jw_int(w, (long long)v->amount_cents);
    else tg__jw_null(w);
    return;
  }
}
