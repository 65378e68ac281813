/* paging.c - ?limit=N&cursor=C over a listing's JSON array: the items
 * after the one keyed C, at most N, and the cursor of the next page in an
 * X-Next-Cursor header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_int.h"

#define MAX_LIMIT 10000

/* The key of item x as text ("" when it has none). */
static void key_text(json_t *x, const char *key, char *out, size_t n) {
  json_t *k = json_object_get(x, key);
  if (json_is_string(k)) snprintf(out, n, "%s", json_string_value(k));
  else if (json_is_integer(k)) snprintf(out, n, "%lld", (long long)json_integer_value(k));
  else out[0] = '\0';
}

void srv_page(const srv_req *q, srv_resp *r, char *json, const char *member, const char *key) {
  const char *lim = srv_query(q, "limit"), *cur = srv_query(q, "cursor");
  if (!json || (!lim && !cur)) {
    srv_json(r, json);
    return;
  }
  long long limit = MAX_LIMIT;
  char *end = NULL;
  if (lim && ((limit = strtoll(lim, &end, 10)) < 1 || limit > MAX_LIMIT || !*lim || *end)) {
    free(json);
    srv_error(r, 400, "bad_field", "limit: '%.40s' is not a whole number from 1 to %d", lim,
              MAX_LIMIT);
    return;
  }
  json_t *doc = json_loads(json, 0, NULL);
  free(json);
  json_t *a = member ? json_object_get(doc, member) : doc;
  if (!json_is_array(a)) {
    json_decref(doc);
    srv_error(r, 500, "internal", "the listing is not an array");
    return;
  }
  size_t from = 0, n = json_array_size(a);
  if (cur) {
    char k[160];
    for (from = 0; from < n; from++) {
      key_text(json_array_get(a, from), key, k, sizeof k);
      if (!strcmp(k, cur)) break;
    }
    if (from == n) {
      json_decref(doc);
      srv_error(r, 400, "bad_field", "cursor: '%.80s' is not an item of this listing", cur);
      return;
    }
    from++;
  }
  json_t *page = json_array();
  for (size_t i = from; i < n && (long long)(i - from) < limit; i++)
    json_array_append(page, json_array_get(a, i));
  if (from + json_array_size(page) < n && json_array_size(page))
    key_text(json_array_get(page, json_array_size(page) - 1), key, r->next_cursor,
             sizeof r->next_cursor);
  if (member) json_object_set_new(doc, member, page);
  else json_decref(doc), doc = page;
  srv_json(r, json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER));
  json_decref(doc);
}
