/* routes_access.c - who is calling (GET /v1/whoami, for the console's sign
 * in) and the token list for admins (GET /v1/tokens).  Tokens are made and
 * revoked only from the CLI, on the server's machine. */
#include <jansson.h>

#include "srv_int.h"

static void whoami(srv_req *q, srv_resp *r) {
  json_t *o = json_pack("{s:s,s:s}", "name", q->who.name, "role", tg_role_name(q->who.role));
  srv_json(r, json_dumps(o, JSON_PRESERVE_ORDER));
  json_decref(o);
}

static void tokens(srv_req *q, srv_resp *r) { srv_listing(q, r, tg_token_list_page_json); }

const srv_route srv_access_routes[] = {
    {"GET", "/v1/whoami", TG_ROLE_VIEWER, false, whoami, "The name and role of the calling token",
     NULL, NULL,
     "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}, \"role\": "
     "{\"type\": \"string\", \"enum\": [\"viewer\", \"officer\", \"admin\"]}}}",
     NULL},
    {"GET", "/v1/tokens", TG_ROLE_ADMIN, false, tokens,
     "Every token's name, role, fingerprint and dates (never the token nor any of it); "
     "paginated by ?limit= and ?cursor= (a name)", "[" PAGE_PARAMS "]", NULL,
     "{\"type\": \"array\", \"items\": {\"type\": \"object\"}}", NULL},
    {NULL, NULL, 0, false, NULL, NULL, NULL, NULL, NULL, NULL},
};
