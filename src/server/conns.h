/* conns.h - connection deadlines (conns.c): the list of open connections
 * with the phase each is in, and the watcher that ends the overdue. */
#ifndef TG_SRV_CONNS_H
#define TG_SRV_CONNS_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

enum { SRV_PHASE_HEADERS, SRV_PHASE_BODY, SRV_PHASE_ANSWER };

struct srv_conns;
/* Starts the watcher; NULL when out of memory or threads. */
struct srv_conns *srv_conns_start(unsigned header_ms, unsigned body_ms);
void srv_conns_stop(struct srv_conns *cs);
/* MHD_OPTION_NOTIFY_CONNECTION (cls = the srv_conns): lists and unlists. */
void srv_conn_notify(void *cls, struct MHD_Connection *connection, void **socket_context,
                     enum MHD_ConnectionNotificationCode toe);
/* Enters a phase: headers (deadline header_ms from the first byte), body
 * (body_ms from the end of the headers), answer (no deadline: the idle
 * timeout ends a client that stops reading). */
void srv_conn_phase(struct srv_conns *cs, struct MHD_Connection *connection, int phase);
/* Monotonic milliseconds. */
int64_t srv_now_ms(void);

#endif
