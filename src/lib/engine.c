/* engine.c - opening a data directory: the chip catalog, the countries and
 * every rule-set file, checked for consistency (unique rule ids, exception
 * and review-policy targets that exist). */
#include "engine_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decide_int.h"
#include "yaml_int.h"

const char *tg_default_data_dir(void) {
#ifdef TG_DATA_DIR
  return TG_DATA_DIR;
#else
  return "data";
#endif
}

const char *tg_engine_data_dir(const tg_engine *e) { return e ? e->data_dir : NULL; }

static tg_status load_catalog(tg_engine *e, const char *path, tg_error *err) {
  tg__yaml y;
  tg__ynode *list;
  int n;
  tg_status st = tg__yaml_load_list(&y, path, "chips", &list, &n, err);
  if (st != TG_OK) return st;
  e->chips = tg__calloc((size_t)(n > 0 ? n : 1), sizeof *e->chips);
  if (!e->chips) {
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
    goto out;
  }
  void *it = NULL;
  tg__ynode *item;
  while ((item = tg__yaml_seq_next(list, &it)) != NULL) {
    tg_chip *c;
    if ((st = tg__chip_from_node(&y, item, true, &c, err)) != TG_OK) goto out;
    e->chips[e->nchips++] = c;
    for (size_t i = 0; i + 1 < e->nchips; i++)
      if (!strcmp(e->chips[i]->id, c->id)) {
        st = tg__yaml_error(&y, item, err, TG_EPARSE, "chip id '%s' is used twice", c->id);
        goto out;
      }
  }
out:
  tg__yaml_free(&y);
  return st;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static tg_status load_rules(tg_engine *e, const char *dir, tg_error *err) {
  DIR *d = opendir(dir);
  if (!d) return tg__set_error(err, TG_EIO, "cannot open rules directory '%s'", dir);
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  tg_status st = TG_OK;
  while ((de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0 || de->d_name[0] == '.') continue;
    if (!tg__grow(&names, &cap, n + 1, sizeof *names)) { st = TG_ENOMEM; break; }
    if (!(names[n] = tg__strdup(de->d_name))) { st = TG_ENOMEM; break; }
    n++;
  }
  closedir(d);
  if (st == TG_OK) {
    qsort(names, n, sizeof *names, cmp_str);
    e->rulesets = tg__calloc(n ? n : 1, sizeof *e->rulesets);
    if (!e->rulesets) st = TG_ENOMEM;
  }
  if (st == TG_ENOMEM) tg__set_error(err, st, "out of memory");
  for (size_t i = 0; st == TG_OK && i < n; i++) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path) {
      st = tg__set_error(err, TG_EINVAL, "path too long: %s", dir);
      break;
    }
    char *text;
    size_t len;
    if ((st = tg__read_file(path, &text, &len, err)) != TG_OK) break;
    tg__ruleset *rs;
    st = tg__ruleset_parse(text, len, path, &rs, err);
    tg__free(text);
    if (st == TG_OK) e->rulesets[e->nrulesets++] = rs;
  }
  for (size_t i = 0; i < n; i++) tg__free(names[i]);
  tg__free(names);
  return st;
}

static const tg__rule *find_rule(const tg_engine *e, const char *id) {
  for (size_t i = 0; i < e->nrulesets; i++)
    for (size_t j = 0; j < e->rulesets[i]->nrules; j++)
      if (!strcmp(e->rulesets[i]->rules[j].id, id)) return &e->rulesets[i]->rules[j];
  return NULL;
}

/* Rule ids are global: exceptions and review policies refer across files. */
static tg_status check_rules(const tg_engine *e, tg_error *err) {
  size_t nclassify = 0, nlicense = 0, nsubject = 0, nafter = 0;
  for (size_t i = 0; i < e->nrulesets; i++)
    for (size_t j = 0; j < e->rulesets[i]->nrules; j++) {
      tg__rkind k = e->rulesets[i]->rules[j].kind;
      nclassify += k == TG__R_CLASSIFY;
      nlicense += k == TG__R_LICENSE;
      nsubject += k == TG__R_SUBJECT;
      nafter += k == TG__R_POLICY || k == TG__R_EXCEPTION || k == TG__R_FEE;
    }
  if (nclassify > TG__MAX_CLASSIFY_RULES || nlicense > TG__MAX_LICENSE_RULES ||
      nsubject > TG__MAX_SUBJECT_RULES || nafter > TG__MAX_AFTER_RULES)
    return tg__set_error(err, TG_EPARSE,
                         "%s/rules: %zu classify, %zu require_license, %zu subject_to_ear and "
                         "%zu review_policy/exception/fee rules; one decision holds at most %d, "
                         "%d, %d and %d (TG__MAX_CLASSIFY_RULES, TG__MAX_LICENSE_RULES, "
                         "TG__MAX_SUBJECT_RULES, TG__MAX_AFTER_RULES in src/lib/rules_int.h)",
                         e->data_dir, nclassify, nlicense, nsubject, nafter,
                         TG__MAX_CLASSIFY_RULES, TG__MAX_LICENSE_RULES, TG__MAX_SUBJECT_RULES,
                         TG__MAX_AFTER_RULES);
  for (size_t i = 0; i < e->nrulesets; i++) {
    const tg__ruleset *rs = e->rulesets[i];
    for (size_t k = 0; k < i; k++)
      if (!strcmp(e->rulesets[k]->id, rs->id))
        return tg__set_error(err, TG_EPARSE, "%s: rule set '%s' is also defined in %s",
                             rs->file, rs->id, e->rulesets[k]->file);
    for (size_t j = 0; j < rs->nrules; j++) {
      const tg__rule *r = &rs->rules[j];
      const tg__rule *first = find_rule(e, r->id);
      if (first != r)
        return tg__set_error(err, TG_EPARSE, "%s:%d:1: rule id '%s' is also used in %s:%d",
                             rs->file, r->line, r->id, first->set->file, first->line);
      for (size_t t = 0; t < r->ntargets; t++) {
        const tg__rule *target = find_rule(e, r->targets[t]);
        if (!target || target->kind != TG__R_LICENSE)
          return tg__set_error(err, TG_EPARSE,
                               "%s:%d:1: rule '%s' refers to '%s', which is not a "
                               "require_license rule in any rule set",
                               rs->file, r->line, r->id, r->targets[t]);
      }
    }
  }
  return TG_OK;
}

tg_status tg_engine_open(const char *data_dir, tg_engine **out, tg_error *err) {
  if (!out) return tg__set_error(err, TG_EINVAL, "tg_engine_open: no output");
  *out = NULL;
  if (!data_dir) data_dir = tg_default_data_dir();
  tg_engine *e = tg__calloc(1, sizeof *e);
  if (!e || !(e->data_dir = tg__strdup(data_dir))) {
    tg__free(e);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  char path[4096];
  tg_status st;
  if (snprintf(path, sizeof path, "%s/countries.yaml", data_dir) >= (int)sizeof path) {
    st = tg__set_error(err, TG_EINVAL, "data directory path too long: %s", data_dir);
    goto fail;
  }
  if ((st = tg__countries_load(e, path, err)) != TG_OK) goto fail;
  if (snprintf(path, sizeof path, "%s/country-groups-history.yaml", data_dir) >= (int)sizeof path) {
    st = tg__set_error(err, TG_EINVAL, "data directory path too long: %s", data_dir);
    goto fail;
  }
  /* optional: a data directory without it reads every group as of its
   * countries.yaml snapshot */
  if (access(path, F_OK) == 0 && (st = tg__group_history_load(e, path, err)) != TG_OK) goto fail;
  if (snprintf(path, sizeof path, "%s/catalog/chips.yaml", data_dir) >= (int)sizeof path) {
    st = tg__set_error(err, TG_EINVAL, "data directory path too long: %s", data_dir);
    goto fail;
  }
  if ((st = load_catalog(e, path, err)) != TG_OK) goto fail;
  if (snprintf(path, sizeof path, "%s/rules", data_dir) >= (int)sizeof path) {
    st = tg__set_error(err, TG_EINVAL, "data directory path too long: %s", data_dir);
    goto fail;
  }
  if ((st = load_rules(e, path, err)) != TG_OK) goto fail;
  if ((st = check_rules(e, err)) != TG_OK) goto fail;
  for (size_t i = 0; i < e->nrulesets; i++)
    for (size_t j = 0; j < e->rulesets[i]->nrules; j++) e->rulesets[i]->rules[j].seq = e->nrules++;
  if ((st = tg__epochs_build(e, err)) != TG_OK) goto fail;
  if (!(e->check_cache = tg__check_cache_new(e))) {
    st = tg__set_error(err, TG_ENOMEM, "out of memory");
    goto fail;
  }
  /* TG_CHECK_CACHE=off: every check evaluated (to compare answers) */
  const char *cache = getenv("TG_CHECK_CACHE");
  if (cache && !strcmp(cache, "off")) tg__check_cache_off(e);
  *out = e;
  return TG_OK;
fail:
  tg_engine_close(e);
  return st;
}

void tg_engine_close(tg_engine *e) {
  if (!e) return;
  tg__check_cache_free(e->check_cache);
  tg__epochs_free(e);
  for (size_t i = 0; i < e->nchips; i++) tg_chip_destroy(e->chips[i]);
  tg__free(e->chips);
  for (size_t i = 0; i < e->nrulesets; i++) tg__ruleset_free(e->rulesets[i]);
  tg__free(e->rulesets);
  tg__group_history_free(e);
  tg__countries_free(e);
  tg__free(e->data_dir);
  tg__free(e);
}

size_t tg_catalog_count(const tg_engine *e) { return e ? e->nchips : 0; }

const tg_chip *tg_catalog_at(const tg_engine *e, size_t i) {
  return e && i < e->nchips ? e->chips[i] : NULL;
}

const tg_chip *tg_catalog_find(const tg_engine *e, const char *id) {
  if (!e || !id) return NULL;
  for (size_t i = 0; i < e->nchips; i++)
    if (!strcmp(e->chips[i]->id, id)) return e->chips[i];
  return NULL;
}

char *tg_catalog_suggest(const tg_engine *e, const char *id) {
  if (!e || !id) return NULL;
  int best[3] = {99, 99, 99};
  size_t who[3] = {0, 0, 0};
  for (size_t i = 0; i < e->nchips; i++) {
    const char *cid = e->chips[i]->id;
    int d = tg__edit_distance(id, cid, 99);
    if (strstr(cid, id) && strlen(id) >= 3) d = d < 2 ? d : 2; /* a part of the id */
    for (int k = 0; k < 3; k++)
      if (d < best[k]) {
        for (int m = 2; m > k; m--) {
          best[m] = best[m - 1];
          who[m] = who[m - 1];
        }
        best[k] = d;
        who[k] = i;
        break;
      }
  }
  tg__buf b;
  tg__buf_init(&b);
  for (int k = 0; k < 3; k++)
    if (best[k] < 99) tg__buf_printf(&b, "%s%s", k ? ", " : "", e->chips[who[k]]->id);
  return tg__buf_detach(&b);
}
