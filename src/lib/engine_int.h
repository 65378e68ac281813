/* engine_int.h - the engine's loaded data: catalog, countries and rule
 * sets, immutable after tg_engine_open(). */
#ifndef TG_ENGINE_INT_H
#define TG_ENGINE_INT_H

#include "chip_int.h"
#include "rules_int.h"
#include "tg_int.h"

typedef struct tg__country {
  char code[3];
  char treat_as[3]; /* "" or the code whose rules apply (HK -> CN) */
  char *name;
  char *note;
  char **groups; /* "D:5", ... */
  size_t ngroups;
  char **marks; /* Country Chart columns with an X: "RS 1", "AT 1" ... */
  size_t nmarks;
  char *embargoed; /* pointer text for embargoed rows, or NULL */
  uint32_t pooled; /* bit i: groups or marks hold tg__group_pool(i), set at
                      load so that membership of a rule's group is one test */
} tg__country;

/* A dated change of one country's membership in one group (the file
 * country-groups-history.yaml); the snapshot in countries.yaml is the
 * state from new_from on.  Between old_until and new_from the date of the
 * change is not settled by the sources and membership is unknown. */
typedef struct tg__group_change {
  char code[3];
  char group[8];
  bool added;               /* true: joined the group; false: left it */
  tg_date old_until;        /* last day the old state is attested */
  tg_date new_from;         /* first day the new state is attested */
  char *citation, *verification, *note;
} tg__group_change;

/* The dated changes one decision can consult (and flag) are at most all of
 * them; more than this many is refused when the engine opens. */
#define TG__MAX_GROUP_CHANGES 64

struct tg_engine {
  char *data_dir;
  tg_chip **chips;
  size_t nchips;
  tg__country *countries;
  size_t ncountries;
  int16_t country_at[26 * 26]; /* "AA".."ZZ" -> index in countries + 1, 0 none */
  tg__group_change *group_changes;
  size_t ngroup_changes;
  tg__ruleset **rulesets;
  size_t nrulesets;
  size_t nrules;         /* over all rule sets; tg__rule.seq is below it */
  /* Rule epochs (epoch.c): the sorted dates at which any rule set starts,
   * ends, becomes enforceable or stops being enforced, each date a rule
   * compares the date with (and the day after), and each edge of a dated
   * Country Group change; the one table tg_rules_epoch reads too.  Between
   * two of them every classification of a catalog chip is the same, so it
   * is computed once per (chip, epoch) and kept in class_cache (filled lazily by any
   * thread; entries never change once published). */
  tg_date *epoch_starts; /* nepochs - 1 boundaries; epoch i begins at [i-1] */
  size_t nepochs;
  bool epoch_cache_ok;   /* false when a classification rule reads the date
                            or a group itself */
  struct tg__class_entry *_Atomic *class_cache; /* nchips x nepochs */
  /* The rules the decision loops walk: per epoch and rule kind, the US
   * rule sets' rules applied in it (tg__ruleset_applied is the same on
   * every day of an epoch), in file order; those of epoch i and kind k are
   * us_rules[us_at[i * TG__R_NKINDS + k] .. us_at[i * TG__R_NKINDS + k + 1]). */
  const tg__rule **us_rules;
  size_t *us_at;
  /* Per catalog chip, per rule: the truth of its when/unless (at 2 seq)
   * and of its relevant_when (at 2 seq + 1) when they read the item's
   * facts only (TG__ITEM_READS): 0 not known yet, else truth + 2.  Filled
   * by any thread (decide.c); nchips x nrules x 2. */
  _Atomic signed char *item_truths;
  /* Texts rendered once (pieces.c): each catalog chip's metrics member
   * (nchips), and the US rule sets applied in each epoch at each of
   * TG__RULE_SETS_DEPTHS indentations (nepochs x TG__RULE_SETS_DEPTHS). */
  struct tg__piece *_Atomic *metrics_pieces;
  struct tg__piece *_Atomic *rule_sets_pieces;
  struct tg__check_cache *check_cache; /* answers of unscreened catalog orders
                                          (check_cache.c) */
};

/* Builds the epoch table and the empty cache (at the end of open). */
tg_status tg__epochs_build(tg_engine *e, tg_error *err);
void tg__epochs_free(tg_engine *e);
#define TG__RULE_SETS_DEPTHS 4

/* A chip of e's catalog (not a copy or a spec): its answers may be kept. */
bool tg__catalog_chip(const tg_engine *e, const tg_chip *c);

/* The epoch containing d. */
size_t tg__epoch_of(const tg_engine *e, tg_date d);

/* The rules of kind k of the US rule sets applied on d, in file order. */
typedef struct tg__rule_list {
  const tg__rule *const *r;
  size_t n, i;
} tg__rule_list;
tg__rule_list tg__us_rules(const tg_engine *e, tg_date d, tg__rkind k);
/* for (each such rule r) ...: r the name of a `const tg__rule *` */
#define TG__EACH_US_RULE(e, on, kindv, r)                                          \
  for (tg__rule_list l_ = tg__us_rules((e), (on), (kindv)); l_.i < l_.n; l_.i++) \
    if (((r) = l_.r[l_.i]), true)

const tg__country *tg__country_find(const tg_engine *e, const char *code);
/* Fills `out` with the codes of every country in a group ("D:5") or with a
 * Country Chart mark ("AT 1"); returns the count (codes borrowed). */
size_t tg__group_members(const tg_engine *e, const char *group,
                         const char **out, size_t cap);
bool tg__country_has(const tg__country *c, const char *group);

/* Loads the countries file (countries.c). */
tg_status tg__countries_load(tg_engine *e, const char *path, tg_error *err);
void tg__countries_free(tg_engine *e);
/* Loads the dated group changes (group_history.c); countries first. */
tg_status tg__group_history_load(tg_engine *e, const char *path, tg_error *err);
/* The same from text (origin names it in messages); on failure the caller
 * still frees with tg__group_history_free. */
tg_status tg__group_history_parse(tg_engine *e, const char *text, size_t len, const char *origin,
                                  tg_error *err);
void tg__group_history_free(tg_engine *e);
/* Membership of c in group on a date: 1, 0, or -1 when the sources leave
 * it unknown; *why is the change that decided it (NULL: the snapshot). */
int tg__country_in_group_on(const tg_engine *e, const tg__country *c, const char *group,
                            tg_date on, const tg__group_change **why);

#endif
