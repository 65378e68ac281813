/* openapi.c - the OpenAPI 3 document, made from the route tables so it
 * cannot drift from what the router serves: each route's path, method,
 * role (x-tollgate-role and bearer security), parameters, body and answers,
 * including the error answers the router itself gives. */
#include <jansson.h>
#include <string.h>

#include "srv_int.h"

static json_t *error_response(const char *what) {
  return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", what, "content", "application/json",
                   "schema", "$ref", "#/components/schemas/Error");
}

static json_t *operation(const srv_route *rt) {
  json_t *op = json_pack("{s:s,s:s,s:b}", "summary", rt->summary, "x-tollgate-role",
                         rt->role ? tg_role_name((tg_role)rt->role) : "public", "x-tollgate-write",
                         rt->write);
  json_t *params = rt->params ? json_loads(rt->params, 0, NULL) : json_array();
  const char *brace = strchr(rt->pattern, '{');
  if (brace) {
    const char *end = strchr(brace, '}');
    json_t *name = json_stringn(brace + 1, (size_t)(end - brace - 1));
    json_array_insert_new(params, 0,
                          json_pack("{s:o,s:s,s:b,s:{s:s}}", "name", name, "in", "path",
                                    "required", 1, "schema", "type", "string"));
  }
  if (json_array_size(params)) json_object_set_new(op, "parameters", params);
  else json_decref(params);
  json_object_set_new(op, "security", rt->role ? json_pack("[{s:[]}]", "bearer") : json_array());
  json_t *resp = json_object();
  json_t *ok = rt->response ? json_loads(rt->response, 0, NULL) : json_object();
  json_object_set_new(resp, "200",
                      json_pack("{s:s,s:{s:{s:o}}}", "description", "success", "content",
                                rt->response_type ? rt->response_type : "application/json",
                                "schema", ok));
  if (rt->request) {
    json_object_set_new(op, "requestBody",
                        json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content",
                                  "application/json", "schema", json_loads(rt->request, 0, NULL)));
    json_object_set_new(resp, "413", error_response("the body is too large"));
  }
  json_object_set_new(resp, "400", error_response("a malformed request; the message names the field"));
  if (rt->role) {
    json_object_set_new(resp, "401", error_response("no valid token"));
    json_object_set_new(resp, "403", error_response("the token's role is too low"));
  }
  json_object_set_new(op, "responses", resp);
  return op;
}

char *srv_openapi(void) {
  json_t *paths = json_object();
  for (int t = 0; srv_route_tables[t]; t++)
    for (const srv_route *rt = srv_route_tables[t]; rt->method; rt++) {
      json_t *item = json_object_get(paths, rt->pattern);
      if (!item) json_object_set_new(paths, rt->pattern, item = json_object());
      char m[8];
      size_t i = 0;
      for (; rt->method[i] && i + 1 < sizeof m; i++) m[i] = (char)(rt->method[i] | 0x20);
      m[i] = '\0';
      json_object_set_new(item, m, operation(rt));
    }
  json_t *doc = json_pack(
      "{s:s,s:{s:s,s:s,s:s},s:o,s:{s:{s:{s:s,s:s}},s:{s:{s:s,s:[s],s:{s:{s:s,s:[s,s],s:{s:{s:s},s:{s:s}}}}}}}}",
      "openapi", "3.0.3", "info", "title", "Tollgate API", "version", TG_VERSION, "description",
      "Export-control decisions for AI accelerators. Not legal advice. Send "
      "'Authorization: Bearer TOKEN' (tokens: `tollgate token add`). Errors are "
      "{\"error\": {\"code\", \"message\"}}.",
      "paths", paths, "components", "securitySchemes", "bearer", "type", "http", "scheme",
      "bearer", "schemas", "Error", "type", "object", "required", "error", "properties",
      "error", "type", "object", "required", "code", "message", "properties", "code", "type",
      "string", "message", "type", "string");
  char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(doc);
  return s;
}
