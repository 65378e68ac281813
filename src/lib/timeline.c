/* timeline.c - what changed, and when: a chip's outcome over time (each
 * change with its date and the rule sets whose window opened or closed
 * then), the difference between two dates for the catalog, and the feed of
 * rule-set events.  Outcomes come from the outcome core (outcome.c). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "envelope_int.h"
#include "jurisdictions_int.h"

typedef struct event {
  tg_date on;
  const char *what; /* published, effective, compliance, not_enforced, ends */
  const tg__ruleset *rs;
} event;

static int cmp_event(const void *a, const void *b) {
  const event *x = a, *y = b;
  if (x->on != y->on) return (x->on > y->on) - (x->on < y->on);
  return strcmp(x->rs->id, y->rs->id);
}

/* Every event of every rule set (US and others), sorted; caller frees. */
static event *events_of(const tg_engine *e, bool with_published, size_t *n) {
  event *ev = tg__calloc(5 * e->nrulesets + 1, sizeof *ev);
  if (!ev) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    if (with_published && rs->has_published) ev[k++] = (event){rs->published, "published", rs};
    ev[k++] = (event){rs->effective, "effective", rs};
    if (rs->has_compliance) ev[k++] = (event){rs->compliance_from, "compliance", rs};
    if (rs->has_not_enforced) ev[k++] = (event){rs->not_enforced_from, "not_enforced", rs};
    if (rs->has_ends) ev[k++] = (event){rs->ends, "ends", rs};
  }
  qsort(ev, k, sizeof *ev, cmp_event);
  *n = k;
  return ev;
}

static json_t *date_json(tg_date d) {
  char s[11];
  tg_date_format(d, s);
  return json_string(s);
}

static json_t *outcome_json(const tg__answer *o) {
  return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:b}", "verdict", tg_verdict_name(o->verdict),
                   "class", tg__outcome_class(o), "eccn",
                   o->eccn_rule ? json_string(o->eccn_rule->effect) : json_null(), "exception",
                   o->exception_rule ? json_string(o->exception_rule->effect) : json_null(),
                   "review_policy", o->policy ? json_string(o->policy) : json_null(),
                   "payment_rate", o->rate_ppm ? json_real((double)o->rate_ppm / 1e6) : json_null(),
                   "undetermined", o->undetermined);
}

static const char *const fields[] = {"verdict", "eccn", "exception", "review_policy",
                                     "payment_rate", NULL};

/* The fields whose values differ between two outcome objects. */
static json_t *changed_fields(json_t *a, json_t *b) {
  json_t *out = json_array();
  for (int i = 0; fields[i]; i++)
    if (!json_equal(json_object_get(a, fields[i]), json_object_get(b, fields[i])))
      json_array_append_new(out, json_pack("{s:s,s:O,s:O}", "field", fields[i], "before",
                                           json_object_get(a, fields[i]), "after",
                                           json_object_get(b, fields[i])));
  return out;
}

typedef struct tl_opts {
  const tg_scenario *s;
  tg_date from, until;
} tl_opts;

static tg_status eval_at(const tg_engine *e, const tg_chip *c, const tl_opts *o, tg_date d,
                         tg__ocache *cache, tg__answer *out, tg_error *err) {
  tg__facts f;
  struct tg_chip copy;
  tg__facts_init(&f, e, tg__scenario_chip(c, o->s, &copy), d);
  tg_status st = tg__scenario_facts(e, &f, o->s, err);
  if (st == TG_OK) tg__outcome_eval(e, d, &f, cache, out);
  return st;
}

/* Whether a rule of rs decided the outcome's ECCN, policy or exception
 * (a set with an event on a change's date but none of these is named only
 * when no set with such a rule has an event then). */
static bool decided_by(const tg__answer *o, const tg__ruleset *rs) {
  return (o->eccn_rule && o->eccn_rule->set == rs) ||
         (o->policy_rule && o->policy_rule->set == rs) ||
         (o->exception_rule && o->exception_rule->set == rs);
}

/* The chip's outcome on `from` and at every US rule-set event up to
 * `until` where it changes: [{"on", ...outcome, "changed", "caused_by"}]. */
static tg_status chip_timeline(const tg_engine *e, const tg_chip *c, const tl_opts *o,
                               const event *ev, size_t nev, json_t **out, tg_error *err) {
  json_t *steps = json_array();
  tg__answer prev, cur;
  tg__ocache cache;
  if (tg__ocache_init(&cache, e) != TG_OK) {
    json_decref(steps);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  tg_status st = eval_at(e, c, o, o->from, &cache, &prev, err);
  if (st != TG_OK) {
    tg__ocache_free(&cache);
    json_decref(steps);
    return st;
  }
  json_t *first = outcome_json(&prev), *last = first;
  json_object_set_new(first, "on", date_json(o->from));
  json_array_append_new(steps, first);
  for (size_t i = 0; i < nev; i++) {
    if (ev[i].on <= o->from || ev[i].on > o->until || tg__ruleset_foreign(ev[i].rs)) continue;
    if (i > 0 && ev[i - 1].on == ev[i].on && !tg__ruleset_foreign(ev[i - 1].rs)) continue;
    if ((st = eval_at(e, c, o, ev[i].on, &cache, &cur, err)) != TG_OK) break;
    if (tg__outcome_same(&prev, &cur)) continue;
    json_t *j = outcome_json(&cur), *why = json_array();
    for (int pass = 0; pass < 2 && !json_array_size(why); pass++)
      for (size_t k = i; k < nev && ev[k].on == ev[i].on; k++)
        if (!tg__ruleset_foreign(ev[k].rs) && (pass || decided_by(&prev, ev[k].rs) ||
                                               decided_by(&cur, ev[k].rs)))
          json_array_append_new(why, json_pack("{s:s,s:s,s:s}", "rule_set", ev[k].rs->id,
                                               "event", ev[k].what, "citation",
                                               ev[k].rs->citation));
    json_object_set_new(j, "on", date_json(ev[i].on));
    json_object_set_new(j, "changed", changed_fields(last, j));
    json_object_set_new(j, "caused_by", why);
    json_array_append_new(steps, j);
    last = j;
    prev = cur;
  }
  tg__ocache_free(&cache);
  if (st != TG_OK) {
    json_decref(steps);
    return st;
  }
  *out = steps;
  return TG_OK;
}

/* ---- other jurisdictions, kept apart ------------------------------- */

/* {code: [measures]} of the other jurisdictions' rule sets applied on d
 * that hold (or may hold) for the chip in the scenario. */
static tg_status other_at(const tg_engine *e, const tg_chip *c, const tl_opts *o, tg_date d,
                          json_t **out, tg_error *err) {
  tg__facts f;
  struct tg_chip copy;
  tg__facts_init(&f, e, tg__scenario_chip(c, o->s, &copy), d);
  tg_status st = tg__scenario_facts(e, &f, o->s, err);
  if (st != TG_OK) return st;
  json_t *sides = json_object(), *m = json_object(), *v;
  const char *code;
  tg__foreign_sides(sides, &f, d);
  json_object_foreach(sides, code, v) json_object_set(m, code, json_object_get(v, "measures"));
  json_decref(sides);
  *out = m;
  return TG_OK;
}

/* Appends a step to code's list in tl when the measures that hold there
 * (held, taken) differ from the last ones kept in last. */
static void other_step(json_t *tl, json_t *last, const char *code, json_t *held, tg_date d,
                       const event *ev, size_t nev, bool first) {
  json_t *prev = json_object_get(last, code);
  if (prev ? json_equal(prev, held) : !json_array_size(held)) { /* no change, or none yet */
    json_object_set_new(last, code, held);
    return;
  }
  json_t *why = json_array();
  for (size_t k = 0; !first && k < nev; k++)
    if (ev[k].on == d && tg__ruleset_foreign(ev[k].rs))
      json_array_append_new(why, json_pack("{s:s,s:s,s:s}", "rule_set", ev[k].rs->id, "event",
                                           ev[k].what, "citation", ev[k].rs->citation));
  json_t *steps = json_object_get(tl, code);
  if (!steps) json_object_set_new(tl, code, steps = json_array());
  json_array_append_new(steps, json_pack("{s:o,s:O,s:o}", "on", date_json(d), "measures", held,
                                         "caused_by", why));
  json_object_set_new(last, code, held);
}

/* Each other jurisdiction's measures over the period, apart from the US
 * answer: {code: [{"on", "measures", "caused_by"}]}, a step on `from` and
 * wherever the measures that hold change at one of its rule sets' events. */
static tg_status other_timeline(const tg_engine *e, const tg_chip *c, const tl_opts *o,
                                const event *ev, size_t nev, json_t **out, tg_error *err) {
  json_t *tl = json_object(), *last = json_object();
  tg_status st = TG_OK;
  for (size_t i = 0; i <= nev && st == TG_OK; i++) {
    bool first = i == 0; /* step 0 is `from` itself; event k is step k + 1 */
    const event *x = first ? NULL : &ev[i - 1];
    if (x && (x->on <= o->from || x->on > o->until || !tg__ruleset_foreign(x->rs) ||
              (i > 1 && ev[i - 2].on == x->on && tg__ruleset_foreign(ev[i - 2].rs))))
      continue;
    tg_date d = first ? o->from : x->on;
    json_t *now, *v;
    const char *code;
    if ((st = other_at(e, c, o, d, &now, err)) != TG_OK) break;
    json_object_foreach(now, code, v) other_step(tl, last, code, json_incref(v), d, ev, nev, first);
    json_object_foreach(last, code, v) /* a jurisdiction with no rule set applied now */
      if (!json_object_get(now, code)) other_step(tl, last, code, json_array(), d, ev, nev, first);
    json_decref(now);
  }
  json_decref(last);
  if (st != TG_OK) {
    json_decref(tl);
    return st;
  }
  *out = tl;
  return TG_OK;
}

/* The rule ids of measures (or []). */
static json_t *measure_ids(json_t *measures) {
  json_t *ids = json_array(), *m;
  size_t i;
  json_array_foreach(measures, i, m) json_array_append(ids, json_object_get(m, "rule"));
  return ids;
}

/* Appends to out, for each other jurisdiction whose measures for the chip
 * differ between the two dates, {"chip", "jurisdiction", "before",
 * "after"} (rule ids). */
static tg_status other_diff(const tg_engine *e, const tg_chip *c, const tl_opts *o, json_t *out,
                            tg_error *err) {
  json_t *a, *b, *v;
  const char *code;
  tg_status st = other_at(e, c, o, o->from, &a, err);
  if (st != TG_OK) return st;
  if ((st = other_at(e, c, o, o->until, &b, err)) != TG_OK) {
    json_decref(a);
    return st;
  }
  json_object_foreach(a, code, v) if (!json_object_get(b, code)) json_object_set_new(b, code, json_array());
  json_object_foreach(b, code, v) {
    json_t *before = measure_ids(json_object_get(a, code)), *after = measure_ids(v);
    if (json_equal(before, after)) {
      json_decref(before);
      json_decref(after);
      continue;
    }
    json_array_append_new(out, json_pack("{s:s,s:s,s:o,s:o}", "chip", c->id, "jurisdiction", code,
                                         "before", before, "after", after));
  }
  json_decref(a);
  json_decref(b);
  return TG_OK;
}

static tg_status check_opts(const tl_opts *o, tg_error *err) {
  tg_status st = tg__scenario_check(o->s, err);
  if (st != TG_OK) return st;
  if (o->from > o->until) return tg__set_error(err, TG_EINVAL, "the first date is after the second");
  return TG_OK;
}

static tg_status finish(json_t *root, char **json_out, tg_error *err) {
  *json_out = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
  json_decref(root);
  return *json_out ? TG_OK : tg__set_error(err, TG_ENOMEM, "out of memory");
}

static json_t *head(const tl_opts *o) {
  json_t *h = json_pack("{s:s,s:s?,s:s,s:o,s:o,s:o,s:o}", "to", o->s->dest, "hq", o->s->hq,
                        "origin", o->s->origin ? o->s->origin : "US", "from", date_json(o->from),
                        "until", date_json(o->until), "scenario", tg__scenario_json(o->s),
                        "assumptions", tg__scenario_assumptions(o->s));
  return h;
}

tg_status tg_timeline_json(const tg_engine *e, const tg_chip *c, const tg_scenario *s,
                           tg_date from, tg_date until, char **json_out, tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_timeline_json: no output");
  *json_out = NULL;
  if (!e || !c) return tg__set_error(err, TG_EINVAL, "tg_timeline_json: no engine or chip");
  tl_opts o = {s, from, until};
  tg_status st = check_opts(&o, err);
  if (st != TG_OK) return st;
  size_t nev;
  event *ev = events_of(e, false, &nev);
  if (!ev) return tg__set_error(err, TG_ENOMEM, "out of memory");
  json_t *steps = NULL, *other = NULL;
  st = chip_timeline(e, c, &o, ev, nev, &steps, err);
  if (st == TG_OK && (st = other_timeline(e, c, &o, ev, nev, &other, err)) != TG_OK)
    json_decref(steps);
  tg__free(ev);
  if (st != TG_OK) return st;
  json_t *root = head(&o);
  json_object_set_new(root, "chip", json_string(c->id));
  json_object_set_new(root, "chip_name", json_string(tg_chip_name(c)));
  json_object_set_new(root, "timeline", steps); /* the US answer */
  json_object_set_new(root, "other_jurisdictions", other);
  return finish(root, json_out, err);
}

tg_status tg_diff_json(const tg_engine *e, const tg_chip *const *chips, size_t nchips,
                       const tg_scenario *s, tg_date from, tg_date until, char **json_out,
                       tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_diff_json: no output");
  *json_out = NULL;
  if (!e) return tg__set_error(err, TG_EINVAL, "tg_diff_json: no engine");
  tl_opts o = {s, from, until};
  tg_status st = check_opts(&o, err);
  if (st != TG_OK) return st;
  size_t nev;
  event *ev = events_of(e, false, &nev);
  if (!ev) return tg__set_error(err, TG_ENOMEM, "out of memory");
  size_t n = chips ? nchips : e->nchips;
  json_t *changed = json_array(), *same = json_array(), *other = json_array();
  for (size_t i = 0; i < n && st == TG_OK; i++) {
    const tg_chip *c = chips ? chips[i] : e->chips[i];
    json_t *steps;
    if ((st = other_diff(e, c, &o, other, err)) != TG_OK) break;
    if ((st = chip_timeline(e, c, &o, ev, nev, &steps, err)) != TG_OK) break;
    json_t *before = json_array_get(steps, 0), *after = json_array_get(steps, json_array_size(steps) - 1);
    json_t *delta = changed_fields(before, after);
    if (json_array_size(steps) == 1 || !json_array_size(delta)) {
      json_array_append_new(same, json_string(c->id));
      json_decref(delta);
      json_decref(steps);
      continue;
    }
    json_t *via = json_array();
    for (size_t k = 1; k < json_array_size(steps); k++) json_array_append(via, json_array_get(steps, k));
    json_array_append_new(changed, json_pack("{s:s,s:s,s:O,s:O,s:o,s:o}", "chip", c->id,
                                             "chip_name", tg_chip_name(c), "before", before,
                                             "after", after, "changed", delta, "steps", via));
    json_decref(steps);
  }
  tg__free(ev);
  if (st != TG_OK) {
    json_decref(changed);
    json_decref(same);
    json_decref(other);
    return st;
  }
  json_t *root = head(&o);
  json_object_set_new(root, "changed", changed); /* the US answer */
  json_object_set_new(root, "unchanged", same);
  json_object_set_new(root, "other_jurisdictions_changed", other);
  return finish(root, json_out, err);
}

tg_status tg_rule_changes_json(const tg_engine *e, tg_date since, char **json_out, tg_error *err) {
  if (!json_out) return tg__set_error(err, TG_EINVAL, "tg_rule_changes_json: no output");
  *json_out = NULL;
  if (!e) return tg__set_error(err, TG_EINVAL, "tg_rule_changes_json: no engine");
  size_t nev;
  event *ev = events_of(e, true, &nev);
  if (!ev) return tg__set_error(err, TG_ENOMEM, "out of memory");
  json_t *feed = json_array();
  for (size_t i = 0; i < nev; i++) {
    if (ev[i].on < since) continue;
    const tg__ruleset *rs = ev[i].rs;
    json_array_append_new(feed, json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "on",
                                          date_json(ev[i].on), "event", ev[i].what, "rule_set",
                                          rs->id, "title", rs->title, "jurisdiction",
                                          rs->jurisdiction, "citation", rs->citation,
                                          "verification", rs->verification, "rules",
                                          (json_int_t)rs->nrules));
  }
  tg__free(ev);
  json_t *root = json_pack("{s:o,s:o}", "since", date_json(since), "changes", feed);
  return finish(root, json_out, err);
}
