/* pieces_int.h - rendered texts kept for the engine's life (pieces.c). */
#ifndef TG_PIECES_INT_H
#define TG_PIECES_INT_H

#include "tg_int.h"

typedef struct tg__piece {
  size_t len;
  char text[]; /* len bytes and a NUL */
} tg__piece;

/* The text in *slot, rendered by render(b, arg) and published there first
 * when the slot is empty; NULL when out of memory (nothing kept: the
 * caller renders the text itself).  Any thread; a published piece never
 * changes. */
const tg__piece *tg__piece_get(tg__piece *_Atomic *slot,
                               void (*render)(tg__buf *b, const void *arg), const void *arg);

/* n empty slots (NULL when out of memory); DESTRUCTOR: tg__pieces_free. */
tg__piece *_Atomic *tg__pieces_new(size_t n);
void tg__pieces_free(tg__piece *_Atomic *slots, size_t n);

#endif
