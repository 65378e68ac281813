/* lists_int.h - reading list files and keeping lists in the store
 * (lists_store.c), for the screener. */
#ifndef TG_LISTS_INT_H
#define TG_LISTS_INT_H

#include "screen_int.h"

/* Reads and parses list files (format sniffed; OFAC alt/add files join
 * the sdn file of the same call).  Country names are mapped with the
 * engine when it is not NULL.  On success the caller owns the lists and
 * the array (tg__free); on failure nothing is returned. */
tg_status tg__lists_read(const char *const *paths, size_t npaths, const tg_engine *e,
                         tg__list ***out, size_t *nout, tg_error *err);
/* Every stored list with its entries. */
tg_status tg__lists_load(tg_store *s, tg__list ***out, size_t *nout, tg_error *err);

#endif
