/* screen_evidence.c - what a screening answer rests on: the threshold used,
 * each list searched (title, kind, publication date, files, entry count,
 * age) and whether any list is older than the allowed age, as JSON for
 * tg_screen and the checks. */
#include <string.h>

#include "screen_query.h"

#define DEFAULT_MAX_AGE 30

json_t *tg__screen_evidence(const tg_screener *sc, double threshold, tg_date as_of, int max_age_days) {
  if (max_age_days <= 0) max_age_days = DEFAULT_MAX_AGE;
  json_t *lists = json_array();
  bool stale = false;
  for (size_t i = 0; sc && i < sc->nlists; i++) {
    const tg__list *l = sc->lists[i];
    tg_date pub;
    bool dated = l->published && tg_date_parse(l->published, &pub) == TG_OK;
    json_t *age = dated && as_of ? json_integer(as_of - pub) : json_null();
    bool old = dated && as_of && as_of - pub > max_age_days;
    stale |= old || !dated;
    json_array_append_new(lists, json_pack("{s:s,s:s,s:o,s:s,s:I,s:o,s:b}", "kind", l->kind, "title",
                                           l->title, "published",
                                           l->published ? json_string(l->published) : json_null(),
                                           "files", l->files ? l->files : "", "entries",
                                           (json_int_t)l->n, "age_days", age, "stale", old || !dated));
  }
  return json_pack("{s:f,s:o,s:I,s:i,s:b}", "threshold", threshold, "lists", lists, "entries",
                   (json_int_t)(sc ? sc->nentries : 0), "max_age_days", max_age_days, "stale", stale);
}

void tg__screen_stale_warnings(const json_t *ev, json_t *warnings) {
  size_t i;
  json_t *l;
  json_array_foreach(json_object_get(ev, "lists"), i, l) {
    if (!json_is_true(json_object_get(l, "stale"))) continue;
    char t[512];
    json_t *age = json_object_get(l, "age_days");
    if (json_is_integer(age))
      snprintf(t, sizeof t, "screening list '%s' was published %lld days ago (more than %lld): import a current copy",
               json_string_value(json_object_get(l, "title")), (long long)json_integer_value(age),
               (long long)json_integer_value(json_object_get(ev, "max_age_days")));
    else
      snprintf(t, sizeof t, "screening list '%s' states no publication date: its age is unknown",
               json_string_value(json_object_get(l, "title")));
    json_array_append_new(warnings, json_pack("{s:s,s:s}", "rule", "", "text", t));
  }
}
