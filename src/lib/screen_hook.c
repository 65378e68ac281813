/* screen_hook.c - where an order's parties meet the screening module.
 * Without a screener the parties are not screened, and the decision says
 * so in its warnings when names were given. */
#include "decide_int.h"

tg_status tg__screen_order(const tg_order *o, tg__facts *f, json_t *reasons,
                           json_t *warnings, tg_error *err) {
  (void)f;
  (void)reasons;
  (void)err;
  if (!o->screener && (o->end_user || o->purchaser || o->consignee))
    json_array_append_new(warnings,
                          json_string("parties were named but not screened: no screening "
                                      "lists are loaded"));
  return TG_OK;
}
