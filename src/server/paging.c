/* paging.c - ?limit=N&cursor=C of the listings: read into a tg_page, which
 * the library's listing query honours (keyset paging: WHERE key > cursor
 * ... LIMIT N+1), and the next page's cursor sent back in an
 * X-Next-Cursor header, percent-encoded (an old license number may hold
 * a space), so it goes into ?cursor= as it is.  An answer over the size
 * bound is refused with a 413 that says how to page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

bool srv_page_params(const srv_req *q, srv_resp *r, tg_page *p) {
  tg_page_init(p);
  const char *lim = srv_query(q, "limit");
  char *end = NULL;
  if (lim && ((p->limit = strtoll(lim, &end, 10)) < 1 || p->limit > SRV_PAGE_MAX || !*lim || *end)) {
    srv_error(r, 400, "bad_field", "limit: '%.40s' is not a whole number from 1 to %d", lim,
              SRV_PAGE_MAX);
    return false;
  }
  p->after = srv_query(q, "cursor");
  return true;
}

void srv_listing(srv_req *q, srv_resp *r, srv_lister list) {
  tg_page pg;
  if (!srv_page_params(q, r, &pg)) return;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = list(q->store, &pg, &js, &err);
  srv_paged(r, &pg, st, &err, js);
}

void srv_next_cursor(srv_resp *r, const char *key) {
  static const char hex[] = "0123456789ABCDEF";
  size_t k = 0, cap = sizeof r->next_cursor;
  for (const unsigned char *p = (const unsigned char *)key; *p && k + 4 < cap; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
        strchr("._-~", *p)) {
      r->next_cursor[k++] = (char)*p;
    } else {
      r->next_cursor[k++] = '%';
      r->next_cursor[k++] = hex[*p >> 4];
      r->next_cursor[k++] = hex[*p & 15];
    }
  }
  r->next_cursor[k] = '\0';
}

void srv_paged(srv_resp *r, const tg_page *p, tg_status st, const tg_error *err, char *json) {
  if (st != TG_OK) {
    tg_free(json);
    srv_fail(r, st, err);
    return;
  }
  srv_json(r, json);
  srv_next_cursor(r, p->next);
}

void srv_too_large(const srv_req *q, srv_resp *r, size_t len, size_t max) {
  static const char *const listings[] = {"/v1/licenses", "/v1/shipments", "/v1/tokens",
                                         "/v1/lists",    "/v1/chips",     "/v1/audit/records",
                                         "/v1/clearances", "/v1/alerts"};
  const char *how = "ask for less";
  for (size_t i = 0; i < sizeof listings / sizeof *listings; i++)
    if (!strcmp(q->path, listings[i]))
      how = "ask for it by pages: add ?limit=N (1 to 10000) and, for each next page, "
            "?cursor= with the X-Next-Cursor header of the answer before";
  if (!strcmp(q->method, "POST") && !strcmp(q->path, "/v1/checks"))
    how = "send fewer orders in one request";
  if (!strcmp(q->method, "POST") && !strcmp(q->path, "/v1/shipments"))
    how = "send fewer shipments in one request";
  char mib[32] = "";
  if (max >= (1u << 20)) snprintf(mib, sizeof mib, " (%zu MiB)", max >> 20);
  srv_error(r, 413, "answer_too_large",
            "the answer to %s %s would be %zu bytes, above the server's bound of %zu bytes%s "
            "on one answer; %s", q->method, q->path, len, max, mib, how);
}
