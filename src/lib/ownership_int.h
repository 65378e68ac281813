/* ownership_int.h - ownership records (ownership.c) and the affiliate
 * facts of an order (affiliates.c). */
#ifndef TG_OWNERSHIP_INT_H
#define TG_OWNERSHIP_INT_H

#include "tg_int.h"

typedef struct tg__owner_rec {
  char *party, *owner, *source;
  double percent;
  tg_date date;
  int line;
} tg__owner_rec;

struct tg_ownership {
  tg__owner_rec *recs;
  size_t n;
};

#endif
