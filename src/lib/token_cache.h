/* token_cache.h - verified tokens remembered per store, valid while the
 * database's token epoch is unchanged (token_cache.c). */
#ifndef TG_TOKEN_CACHE_H
#define TG_TOKEN_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "tg_int.h"

#define TG__TOKEN_HASH 32 /* BLAKE2b-256, as tokens.c stores it */

typedef struct tg__token_cache tg__token_cache;

/* A remembered answer for the token of `hash`: true with *out and its
 * expiry ("" = never, else ISO text for the caller to compare with the
 * store's clock) when one was looked up under the current epoch.  *epoch
 * is the epoch read (give it to put after a lookup).  False also when the
 * store has no cache (PostgreSQL). */
#define TG__TOKEN_EXPIRES 24
bool tg__token_cache_get(tg_store *s, const unsigned char hash[TG__TOKEN_HASH], uint64_t *epoch,
                         tg_token_info *out, char expires[TG__TOKEN_EXPIRES]);
/* Remembers a lookup made after reading `epoch` (expires: ISO text or NULL). */
void tg__token_cache_put(tg_store *s, const unsigned char hash[TG__TOKEN_HASH], uint64_t epoch,
                         const char *expires, const tg_token_info *who);
/* Before a change that must end remembered answers (revoke, rotate): maps
 * the epoch counter (*counter NULL when the store has none: PostgreSQL, or
 * no file and none can be made, so no process can be caching); an error
 * when the file exists but cannot be written (then change nothing). */
tg_status tg__token_epoch_ready(tg_store *s, uint64_t **counter, tg_error *err);
/* After the change committed: adds one to the counter and unmaps it.  (The
 * changes are single autocommitted statements; tokens.c refuses them inside
 * a caller's open transaction, where the increment would precede the
 * commit.) */
void tg__token_epoch_bump(uint64_t *counter);
/* The lease (tg_token_lease, PostgreSQL): a remembered answer for `hash`
 * under the current lease (expiry as above; `now` is filled with the
 * renewing store's clock when the answer expires); *epoch is the epoch
 * held (-1 before the first renewal), to give to put after a lookup. */
bool tg__lease_get(tg_token_lease *l, const unsigned char hash[TG__TOKEN_HASH], int64_t *epoch,
                   tg_token_info *out, char expires[TG__TOKEN_EXPIRES], char now[21]);
void tg__lease_put(tg_token_lease *l, const unsigned char hash[TG__TOKEN_HASH], int64_t epoch,
                   const char *expires, const tg_token_info *who);
/* After a revocation or rotation committed on PostgreSQL: waits until no
 * lease renewed before it can still be current (nothing on SQLite). */
void tg__lease_outlast(const tg_store *s);
/* Frees a store's cache (tg_store_close). */
void tg__token_cache_free(tg__token_cache *c);

#endif
