/* test_rules.c - rule-set files (src/lib/rules.c, engine.c): validation
 * with file:line:column errors, the shipped rule sets, the date windows
 * (effective, ends, compliance_from, not_enforced_from), and loading a data
 * directory with a broken or inconsistent rule file. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tg_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine_int.h"

/* A valid rule set with one rule of every kind.  Line numbers matter: the
 * error tests below name them. */
static const char GOOD[] =
    "rule_set: test-set\n"                                                     /* 1 */
    "title: \"Test rule set\"\n"                                               /* 2 */
    "jurisdiction: US-EAR\n"                                                   /* 3 */
    "citation: \"88 FR 73458\"\n"                                              /* 4 */
    "source: \"https://www.federalregister.gov/d/2023-23055\"\n"               /* 5 */
    "published: 2023-10-25\n"                                                  /* 6 */
    "effective: 2023-11-17\n"                                                  /* 7 */
    "verification: verified\n"                                                 /* 8 */
    "rules:\n"                                                                 /* 9 */
    "  - id: 3A090.a\n"                                                        /* 10 */
    "    classify: 3A090.a\n"                                                  /* 11 */
    "    precedence: 100\n"                                                    /* 12 */
    "    when: item_type == \"ic\" and (tpp >= 4800 or (tpp >= 1600 and pd >= 5.92))\n" /* 13 */
    "    cite: \"15 CFR 774 Supp. 1, ECCN 3A090.a\"\n"                         /* 14 */
    "    text: \"TPP {tpp} >= 4800\"\n"                                        /* 15 */
    "  - id: rs-cn\n"                                                          /* 16 */
    "    require_license: RS\n"                                                /* 17 */
    "    when: eccn == \"3A090.a\" and (dest in D5 or dest == \"MO\")\n"       /* 18 */
    "    policy:\n"                                                            /* 19 */
    "      - when: dest in D5\n"                                               /* 20 */
    "        policy: presumption_of_denial\n"                                  /* 21 */
    "      - policy: case_by_case\n"                                           /* 22 */
    "    cite: \"15 CFR 742.6(a)(6)(iii)\"\n"                                  /* 23 */
    "    text: \"ECCN {eccn} to {dest}\"\n"                                    /* 24 */
    "  - id: nac\n"                                                            /* 25 */
    "    exception: NAC\n"                                                     /* 26 */
    "    overcomes: [rs-cn]\n"                                                 /* 27 */
    "    notification_days: 25\n"                                              /* 28 */
    "    when: dest == \"MO\"\n"                                               /* 29 */
    "    cite: \"15 CFR 740.29\"\n"                                            /* 30 */
    "    text: \"License Exception NAC\"\n"                                    /* 31 */
    "  - id: cbc\n"                                                            /* 32 */
    "    review_policy: case_by_case\n"                                        /* 33 */
    "    applies_to: rs-cn\n"                                                  /* 34 */
    "    when: tpp < 21000\n"                                                  /* 35 */
    "    conditions: [\"50% volume cap\"]\n"                                   /* 36 */
    "    cite: \"91 FR 1684\"\n"                                               /* 37 */
    "    text: \"case by case\"\n"                                             /* 38 */
    "  - id: duty\n"                                                           /* 39 */
    "    fee: 12.5%\n"                                                         /* 40 */
    "    basis: revenue\n"                                                     /* 41 */
    "    collected_as: duty\n"                                                 /* 42 */
    "    when: chip == \"nv-h200-sxm\" and dest == \"CN\"\n"                   /* 43 */
    "    cite: \"Proclamation of 2026-01-14\"\n"                               /* 44 */
    "    text: \"payment\"\n"                                                  /* 45 */
    "  - id: gp10\n"                                                           /* 46 */
    "    warning: GP10\n"                                                      /* 47 */
    "    when: vendor == \"Huawei\"\n"                                         /* 48 */
    "    unless: false\n"                                                      /* 49 */
    "    verification: secondary\n"                                            /* 50 */
    "    note: \"guidance\"\n"                                                 /* 51 */
    "    cite: \"BIS guidance of 2025-05-13\"\n"                               /* 52 */
    "    text: \"General Prohibition 10\"\n";                                  /* 53 */

/* GOOD with the first occurrence of `from` replaced by `to`. */
static char *mutate(const char *from, const char *to) {
  const char *at = strstr(GOOD, from);
  if (!at) fail_msg("'%s' is not in the good text", from);
  size_t pre = (size_t)(at - GOOD), lf = strlen(from), lt = strlen(to);
  char *s = malloc(sizeof GOOD + lt);
  assert_non_null(s);
  memcpy(s, GOOD, pre);
  memcpy(s + pre, to, lt);
  strcpy(s + pre + lt, at + lf);
  return s;
}

/* Validates GOOD with one change and checks the whole message. */
static void assert_invalid(const char *from, const char *to, const char *want) {
  char *text = mutate(from, to);
  tg_error err = {0};
  tg_status st = tg_rules_validate(text, strlen(text), "t.yaml", &err);
  free(text);
  if (st != TG_EPARSE) fail_msg("'%s' -> '%s': status %d, expected parse error", from, to, st);
  assert_int_equal(err.status, TG_EPARSE);
  if (strcmp(err.message, want) != 0)
    fail_msg("'%s' -> '%s':\n got  '%s'\n want '%s'", from, to, err.message, want);
}

#define KINDS "classify, require_license, exception, review_policy, fee, warning, subject_to_ear"
#define POLICIES "presumption_of_denial, case_by_case or presumption_of_approval"

static void test_good_text(void **state) {
  (void)state;
  tg_error err = {0};
  assert_int_equal(tg_rules_validate(GOOD, strlen(GOOD), "t.yaml", &err), TG_OK);
  tg__ruleset *rs;
  assert_int_equal(tg__ruleset_parse(GOOD, strlen(GOOD), "t.yaml", &rs, &err), TG_OK);
  assert_string_equal(rs->id, "test-set");
  assert_string_equal(rs->file, "t.yaml");
  assert_string_equal(rs->citation, "88 FR 73458");
  assert_int_equal(rs->effective, tg_date_from_ymd(2023, 11, 17));
  assert_true(rs->has_published);
  assert_false(rs->has_ends);
  assert_int_equal(rs->nrules, 6);
  const tg__rule *r = rs->rules;
  assert_int_equal(r[0].kind, TG__R_CLASSIFY);
  assert_string_equal(r[0].effect, "3A090.a");
  assert_int_equal(r[0].precedence, 100);
  assert_int_equal(r[0].line, 10);
  assert_ptr_equal(r[0].set, rs);
  assert_int_equal(r[1].kind, TG__R_LICENSE);
  assert_int_equal(r[1].ncases, 2);
  assert_non_null(r[1].cases[0].when);
  assert_string_equal(r[1].cases[0].policy, "presumption_of_denial");
  assert_null(r[1].cases[1].when); /* otherwise */
  assert_int_equal(r[2].kind, TG__R_EXCEPTION);
  assert_int_equal(r[2].ntargets, 1);
  assert_string_equal(r[2].targets[0], "rs-cn");
  assert_int_equal(r[2].notification_days, 25);
  assert_int_equal(r[3].kind, TG__R_POLICY);
  assert_string_equal(r[3].targets[0], "rs-cn"); /* a single item, not a list */
  assert_int_equal(r[3].nconditions, 1);
  assert_string_equal(r[3].conditions[0], "50% volume cap");
  assert_int_equal(r[4].kind, TG__R_FEE);
  assert_int_equal(r[4].rate_ppm, 125000); /* 12.5% */
  assert_string_equal(r[4].collected_as, "duty");
  assert_int_equal(r[5].kind, TG__R_WARNING);
  assert_non_null(r[5].unless);
  assert_string_equal(r[5].verification, "secondary");
  assert_string_equal(r[5].when_src, "vendor == \"Huawei\"");
  tg__ruleset_free(rs);
  /* the origin defaults; err may be NULL; NULL text is refused */
  assert_int_equal(tg_rules_validate(GOOD, strlen(GOOD), NULL, NULL), TG_OK);
  assert_int_equal(tg_rules_validate(NULL, 0, "t.yaml", &err), TG_EINVAL);
  /* the length is honoured: a prefix cut inside a rule is not the file */
  assert_int_equal(tg_rules_validate(GOOD, strlen(GOOD) - 30, "t.yaml", &err), TG_EPARSE);
}

static void test_fee_rates(void **state) {
  (void)state;
  static const struct { const char *text; int64_t ppm; } ok[] = {
      {"fee: 15%", 150000}, {"fee: 25%", 250000}, {"fee: 0%", 0},
      {"fee: 100%", 1000000}, {"fee: 0.0001%", 1}, {"fee: 99.9999%", 999999}};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    char *text = mutate("fee: 12.5%", ok[i].text);
    tg__ruleset *rs;
    tg_error err;
    if (tg__ruleset_parse(text, strlen(text), "t.yaml", &rs, &err) != TG_OK)
      fail_msg("'%s': %s", ok[i].text, err.message);
    assert_int_equal(rs->rules[4].rate_ppm, ok[i].ppm);
    tg__ruleset_free(rs);
    free(text);
  }
  static const char *const bad[] = {"12.5", "15 %", "%", "-5%", "101%", "100.0001%",
                                    "12.34567%", "1e1%", "15%%", "0x10%", "15% "};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char to[64];
    snprintf(to, sizeof to, "fee: \"%s\"", bad[i]);
    assert_invalid("fee: 12.5%", to,
                   "t.yaml:40:11: 'fee' expects a percentage such as 15% or 12.5%");
  }
}

static void test_errors_with_positions(void **state) {
  (void)state;
  /* missing id: reported at the rule (its first key) */
  assert_invalid("  - id: nac\n    exception: NAC", "  - exception: NAC",
                 "t.yaml:25:5: missing 'id'");
  /* two kinds in one rule */
  assert_invalid("    classify: 3A090.a\n", "    classify: 3A090.a\n    warning: W\n",
                 "t.yaml:10:5: rule '3A090.a' needs exactly one of " KINDS);
  assert_invalid("    warning: GP10\n", "",
                 "t.yaml:46:5: rule 'gp10' needs exactly one of " KINDS);
  /* bad policies */
  assert_invalid("policy: presumption_of_denial", "policy: denied",
                 "t.yaml:21:17: 'policy' expects " POLICIES);
  assert_invalid("    policy:\n      - when: dest in D5\n        policy: presumption_of_denial\n"
                 "      - policy: case_by_case\n",
                 "    policy: maybe\n", "t.yaml:19:13: 'policy' expects " POLICIES);
  assert_invalid("    policy:\n      - when: dest in D5\n        policy: presumption_of_denial\n"
                 "      - policy: case_by_case\n",
                 "    policy: {a: b}\n",
                 "t.yaml:19:14: 'policy' expects a policy or a list of {when, policy}");
  assert_invalid("      - policy: case_by_case\n", "      - case_by_case\n",
                 "t.yaml:22:9: a policy case is {when, policy}");
  /* an expression that would overflow an evaluation's records is refused
   * (33 comparisons; 9 distinct facts), never cut short */
  {
    char many[1024] = "    when: tpp < 1";
    for (int i = 0; i < 32; i++) strcat(many, " and tpp < 1");
    strcat(many, "\n");
    assert_invalid("    when: tpp < 21000\n", many,
                   "t.yaml:35:11: in 'when': too many comparisons (33; at most 32): split the rule");
    assert_invalid("    when: tpp < 21000\n",
                   "    when: tpp > 1 and pd > 1 and qty > 1 and value > 1 and unit_price > 1 and "
                   "io_bw > 1 and memory_bw > 1 and peak_tops > 1 and die_area > 1 and "
                   "hbm_density > 1 and us_content_pct > 1 and affiliate_share > 1 and "
                   "dest == \"CN\" and hq == \"CN\" and origin == \"US\" and chip == \"x\" and "
                   "vendor == \"x\"\n",
                   "t.yaml:35:11: in 'when': too many facts (more than 16): split the rule");
  }
  assert_invalid("review_policy: case_by_case", "review_policy: lenient",
                 "t.yaml:33:20: 'review_policy' expects " POLICIES);
  assert_invalid("    policy:\n      - when: dest in D5\n        policy: presumption_of_denial\n"
                 "      - policy: case_by_case\n",
                 "", "t.yaml:16:5: missing 'policy'");
  /* dates */
  assert_invalid("effective: 2023-11-17", "effective: 2023-11-31",
                 "t.yaml:7:12: 'effective' expects a date YYYY-MM-DD");
  assert_invalid("published: 2023-10-25", "published: 25/10/2023",
                 "t.yaml:6:12: 'published' expects a date YYYY-MM-DD");
  assert_invalid("effective: 2023-11-17\n", "",
                 "t.yaml:1:1: missing 'effective'");
  /* 'ends' must be after 'effective' (equal is not after) */
  assert_invalid("effective: 2023-11-17\n", "effective: 2023-11-17\nends: 2023-11-16\n",
                 "t.yaml:8:7: 'ends' must be after 'effective'");
  assert_invalid("effective: 2023-11-17\n", "effective: 2023-11-17\nends: 2023-11-17\n",
                 "t.yaml:8:7: 'ends' must be after 'effective'");
  /* unknown keys */
  assert_invalid("    note: \"guidance\"", "    notes: \"guidance\"",
                 "t.yaml:51:5: unknown rule key 'notes'");
  assert_invalid("published: 2023-10-25", "publish: 2023-10-25",
                 "t.yaml:6:1: unknown rule-set key 'publish'");
  /* unknown names in expressions (at the name) */
  assert_invalid("when: tpp < 21000", "when: tpq < 21000",
                 "t.yaml:35:11: in 'when': unknown name 'tpq' (facts are listed in "
                 "docs/RULES.md; quote text values, e.g. \"CN\")");
  assert_invalid("when: dest == \"MO\"\n    cite: \"15 CFR 740.29\"",
                 "when: dest == MO\n    cite: \"15 CFR 740.29\"",
                 "t.yaml:29:19: in 'when': unknown name 'MO' (facts are listed in "
                 "docs/RULES.md; quote text values, e.g. \"CN\")");
  assert_invalid("unless: false", "unless: hq in Z9 or bogus",
                 "t.yaml:49:25: in 'unless': unknown name 'bogus' (facts are listed in "
                 "docs/RULES.md; quote text values, e.g. \"CN\")");
  assert_invalid("      - when: dest in D5", "      - when: dest in D5 or nope",
                 "t.yaml:20:29: in 'when': unknown name 'nope' (facts are listed in "
                 "docs/RULES.md; quote text values, e.g. \"CN\")");
  /* bad expressions: the column is the offending character's */
  assert_invalid("(dest in D5 or dest == \"MO\")", "(dest in D5 or dest == \"MO\"",
                 "t.yaml:18:60: in 'when': expected ')'");
  assert_invalid("when: tpp < 21000", "when: tpp < 21000 @",
                 "t.yaml:35:23: in 'when': expected an operator or the end, found '@'");
  assert_invalid("when: tpp < 21000", "when: \"tpp < 21000 @\"",
                 "t.yaml:35:24: in 'when': expected an operator or the end, found '@'");
  assert_invalid("when: tpp < 21000", "when: 'tpp <= and'",
                 "t.yaml:35:19: in 'when': expected a value, found 'and'");
  assert_invalid("when: tpp < 21000", "when: |\n      tpp < 21000 @\n",
                 /* a block scalar: its first content line, and the offset in it */
                 "t.yaml:36:1: in 'when' (at offset 12): expected an operator or the end, "
                 "found '@'");
  assert_invalid("when: tpp < 21000", "when: [tpp]",
                 "t.yaml:35:12: 'when' expects an expression");
  assert_invalid("    when: tpp < 21000\n", "", "t.yaml:32:5: missing 'when'");
  /* fee */
  assert_invalid("fee: 12.5%", "fee: 12.5",
                 "t.yaml:40:10: 'fee' expects a percentage such as 15% or 12.5%");
  assert_invalid("    basis: revenue\n", "", "t.yaml:39:5: missing 'basis'");
  /* duplicate rule id (at the second rule) */
  assert_invalid("  - id: gp10", "  - id: duty", "t.yaml:46:5: rule id 'duty' is used twice");
  /* the other per-kind requirements */
  assert_invalid("    precedence: 100\n", "",
                 "t.yaml:10:5: a classify rule needs an integer 'precedence' (higher wins)");
  assert_invalid("precedence: 100", "precedence: 1.5",
                 "t.yaml:12:17: a classify rule needs an integer 'precedence' (higher wins)");
  assert_invalid("    overcomes: [rs-cn]\n", "",
                 "t.yaml:25:5: an exception needs 'overcomes': the license rules it overcomes");
  assert_invalid("notification_days: 25", "notification_days: 366",
                 "t.yaml:28:24: 'notification_days' expects a whole number of days (0-365)");
  assert_invalid("notification_days: 25", "notification_days: 2.5",
                 "t.yaml:28:24: 'notification_days' expects a whole number of days (0-365)");
  assert_invalid("    applies_to: rs-cn\n", "",
                 "t.yaml:32:5: a review_policy rule needs 'applies_to': license rule ids");
  assert_invalid("overcomes: [rs-cn]", "overcomes: {a: b}",
                 "t.yaml:27:17: 'overcomes' expects a list of text");
  assert_invalid("conditions: [\"50% volume cap\"]", "conditions: [[x]]",
                 "t.yaml:36:19: a condition needs its text");
  assert_invalid("conditions: [\"50% volume cap\"]",
                 "conditions: [{text: cap, tpp_cap_percent: half}]",
                 "t.yaml:36:47: 'tpp_cap_percent' expects a whole percentage (1-1000)");
  assert_invalid("conditions: [\"50% volume cap\"]", "conditions: [{text: cap, cap: 50}]",
                 "t.yaml:36:30: a condition has 'text' and optionally 'tpp_cap_percent'");
  /* verification */
  assert_invalid("verification: verified", "verification: sure",
                 "t.yaml:8:15: 'verification' expects verified, secondary, estimate or "
                 "unverified");
  assert_invalid("    verification: secondary\n", "    verification: [x]\n",
                 "t.yaml:50:20: 'verification' expects text");
  /* required text fields and shapes */
  assert_invalid("citation: \"88 FR 73458\"\n", "", "t.yaml:1:1: missing 'citation'");
  assert_invalid("    cite: \"Proclamation of 2026-01-14\"\n", "",
                 "t.yaml:39:5: missing 'cite'");
  assert_invalid("title: \"Test rule set\"", "title: [a, b]", "t.yaml:2:9: 'title' expects text");
  assert_invalid("  - id: gp10\n", "  - just text\n  - id: gp10\n",
                 "t.yaml:46:5: a rule must be a mapping");
}

static void test_whole_file_errors(void **state) {
  (void)state;
  tg_error err;
  assert_int_equal(tg_rules_validate("", 0, "e.yaml", &err), TG_EPARSE);
  assert_string_equal(err.message, "e.yaml:1:1: the file is empty");
  assert_int_equal(tg_rules_validate("\n\n", 2, "e.yaml", &err), TG_EPARSE);
  assert_string_equal(err.message, "e.yaml:1:1: the file is empty");
  assert_int_equal(tg_rules_validate("# only a comment\n", 17, "e.yaml", &err), TG_EPARSE);
  assert_string_equal(err.message, "e.yaml:1:1: the file is empty");
  assert_int_equal(tg_rules_validate("- a\n", 4, "e.yaml", &err), TG_EPARSE);
  assert_string_equal(err.message, "e.yaml:1:3: a rule set must be a mapping");
  assert_int_equal(tg_rules_validate("a: [\n", 5, "e.yaml", &err), TG_EPARSE);
  assert_true(strncmp(err.message, "e.yaml:2:1: ", 12) == 0);
  static const char head[] = "rule_set: x\ntitle: T\njurisdiction: US-EAR\ncitation: C\n"
                             "source: S\neffective: 2024-01-01\nverification: verified\n";
  char text[512];
  snprintf(text, sizeof text, "%srules: 3\n", head);
  assert_int_equal(tg_rules_validate(text, strlen(text), "e.yaml", &err), TG_EPARSE);
  assert_string_equal(err.message, "e.yaml:8:8: expected a 'rules' list");
  snprintf(text, sizeof text, "%s", head);
  assert_int_equal(tg_rules_validate(text, strlen(text), "e.yaml", &err), TG_EPARSE);
  assert_string_equal(err.message, "e.yaml:1:1: expected a 'rules' list");
  /* an empty list is a valid (if useless) rule set */
  snprintf(text, sizeof text, "%srules: []\n", head);
  assert_int_equal(tg_rules_validate(text, strlen(text), "e.yaml", &err), TG_OK);
  /* invalid UTF-8 (libfyaml would hang on the first one: fuzz_rules) */
  assert_int_equal(tg_rules_validate("%!\xe7m !!", 7, "e.yaml", &err), TG_EPARSE);
  assert_string_equal(err.message, "e.yaml:1:3: invalid UTF-8 (files must be UTF-8 text)");
  assert_int_equal(tg_rules_validate("# \xff\n", 4, "e.yaml", &err), TG_EPARSE);
  assert_string_equal(err.message, "e.yaml:1:3: invalid UTF-8 (files must be UTF-8 text)");
  /* an embedded NUL in the text stops nothing and crashes nothing */
  static const char nul[] = "rule_set: a\0b\n";
  assert_int_equal(tg_rules_validate(nul, sizeof nul - 1, "e.yaml", &err), TG_EPARSE);
}

/* ---- the shipped rule sets ---------------------------------------------------- */

static void test_shipped_files_validate(void **state) {
  (void)state;
  DIR *d = opendir(TG_DATA_DIR "/rules");
  assert_non_null(d);
  struct dirent *de;
  int n = 0;
  while ((de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/rules/%s", TG_DATA_DIR, de->d_name);
    size_t len;
    char *text = tgt_read_all(path, &len);
    tg_error err = {0};
    if (tg_rules_validate(text, len, path, &err) != TG_OK) fail_msg("%s", err.message);
    /* every file cites its source and has an effective date */
    tg__ruleset *rs;
    assert_int_equal(tg__ruleset_parse(text, len, path, &rs, &err), TG_OK);
    assert_true(strlen(rs->citation) > 0);
    assert_true(strlen(rs->source) > 0);
    assert_true(rs->nrules > 0);
    for (size_t i = 0; i < rs->nrules; i++) assert_true(strlen(rs->rules[i].cite) > 0);
    tg__ruleset_free(rs);
    free(text);
    n++;
  }
  closedir(d);
  assert_true(n >= 13);
}

/* ---- date windows ------------------------------------------------------------- */

static void test_windows(void **state) {
  (void)state;
  tg__ruleset rs;
  memset(&rs, 0, sizeof rs);
  tg_date eff = tg_date_from_ymd(2023, 11, 17);
  rs.effective = eff;
  /* open-ended */
  assert_false(tg__ruleset_in_force(&rs, eff - 1));
  assert_true(tg__ruleset_in_force(&rs, eff));
  assert_true(tg__ruleset_applied(&rs, eff));
  assert_string_equal(tg__ruleset_status(&rs, eff - 1), "not_yet_effective");
  assert_string_equal(tg__ruleset_status(&rs, eff), "in_force");
  assert_string_equal(tg__ruleset_status(&rs, INT32_MAX), "in_force");
  /* ends: the end date itself is outside */
  rs.has_ends = true;
  rs.ends = eff + 100;
  assert_true(tg__ruleset_in_force(&rs, eff + 99));
  assert_false(tg__ruleset_in_force(&rs, eff + 100));
  assert_false(tg__ruleset_applied(&rs, eff + 100));
  assert_string_equal(tg__ruleset_status(&rs, eff + 99), "in_force");
  assert_string_equal(tg__ruleset_status(&rs, eff + 100), "ended");
  rs.has_ends = false;
  /* compliance_from: in force but not applied before it */
  rs.has_compliance = true;
  rs.compliance_from = eff + 30;
  assert_true(tg__ruleset_in_force(&rs, eff + 29));
  assert_false(tg__ruleset_applied(&rs, eff + 29));
  assert_true(tg__ruleset_applied(&rs, eff + 30));
  assert_string_equal(tg__ruleset_status(&rs, eff + 29), "compliance_pending");
  assert_string_equal(tg__ruleset_status(&rs, eff + 30), "in_force");
  /* not_enforced_from: applied until the day before */
  rs.has_not_enforced = true;
  rs.not_enforced_from = eff + 60;
  assert_true(tg__ruleset_applied(&rs, eff + 59));
  assert_false(tg__ruleset_applied(&rs, eff + 60));
  assert_true(tg__ruleset_in_force(&rs, eff + 60));
  assert_string_equal(tg__ruleset_status(&rs, eff + 60), "not_enforced");
  /* ended wins over not enforced */
  rs.has_ends = true;
  rs.ends = eff + 90;
  assert_string_equal(tg__ruleset_status(&rs, eff + 90), "ended");
}

/* 90 FR 4544 (AI Diffusion), effective 2025-01-13, compliance from
 * 2025-05-15, not enforced from 2025-05-13 (BIS announcement): kept and
 * shown, never applied on any day. */
static void test_ai_diffusion_never_applied(void **state) {
  (void)state;
  size_t len;
  char *text = tgt_read_all(TG_DATA_DIR "/rules/2025-01-13-us-bis-ai-diffusion.yaml", &len);
  tg__ruleset *rs;
  tg_error err;
  assert_int_equal(tg__ruleset_parse(text, len, "diffusion", &rs, &err), TG_OK);
  free(text);
  tg_date eff = tg_date_from_ymd(2025, 1, 13);
  assert_int_equal(rs->effective, eff);
  for (tg_date d = eff - 400; d < eff + 3650; d++)
    if (tg__ruleset_applied(rs, d)) fail_msg("applied on day %d", d);
  assert_string_equal(tg__ruleset_status(rs, eff - 1), "not_yet_effective");
  assert_string_equal(tg__ruleset_status(rs, eff), "compliance_pending");
  assert_string_equal(tg__ruleset_status(rs, tg_date_from_ymd(2025, 5, 12)), "compliance_pending");
  assert_string_equal(tg__ruleset_status(rs, tg_date_from_ymd(2025, 5, 13)), "not_enforced");
  assert_string_equal(tg__ruleset_status(rs, tg_date_from_ymd(2025, 5, 15)), "not_enforced");
  assert_true(tg__ruleset_in_force(rs, tg_date_from_ymd(2026, 1, 1)));
  tg__ruleset_free(rs);
}

/* ---- opening a data directory ---------------------------------------------- */

typedef struct fixture {
  char dir[256];
} fixture;

static int copy_data(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/tg-test-rules-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "cp -R '%s/.' '%s/'", TG_DATA_DIR, fx->dir);
  if (system(cmd) != 0) return -1;
  *state = fx;
  return 0;
}

static int remove_data(void **state) {
  fixture *fx = *state;
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
  int rc = system(cmd);
  free(fx);
  return rc == 0 ? 0 : -1;
}

static void write_rule_file(const fixture *fx, const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/rules/%s", fx->dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void remove_rule_file(const fixture *fx, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/rules/%s", fx->dir, name);
  assert_int_equal(unlink(path), 0);
}

/* Opens the copy; expects failure with a message starting with prefix and
 * containing text. */
static void assert_open_fails(const fixture *fx, tg_status want, const char *prefix,
                              const char *text) {
  tg_engine *e = (tg_engine *)1;
  tg_error err = {0};
  tg_status st = tg_engine_open(fx->dir, &e, &err);
  if (st != want) fail_msg("status %d (%s), expected %d", st, err.message, want);
  assert_null(e);
  if (strncmp(err.message, prefix, strlen(prefix)) != 0)
    fail_msg("message '%s' does not start with '%s'", err.message, prefix);
  if (!strstr(err.message, text)) fail_msg("message '%s' lacks '%s'", err.message, text);
}

static void test_engine_open_broken(void **state) {
  fixture *fx = *state;
  tg_engine *e = NULL;
  tg_error err = {0};
  if (tg_engine_open(fx->dir, &e, &err) != TG_OK) fail_msg("copy does not open: %s", err.message);
  size_t nsets = e->nrulesets;
  assert_string_equal(tg_engine_data_dir(e), fx->dir);
  tg_engine_close(e);

  char prefix[512];
  /* a malformed file fails the whole open, naming the file, line and column */
  write_rule_file(fx, "zz-broken.yaml", "rule_set: broken\ntitle: [\n");
  snprintf(prefix, sizeof prefix, "%s/rules/zz-broken.yaml:3:1: ", fx->dir);
  assert_open_fails(fx, TG_EPARSE, prefix, "flow sequence");
  /* a valid file with a bad expression */
  char *bad = mutate("when: tpp < 21000", "when: tpp <");
  write_rule_file(fx, "zz-broken.yaml", bad);
  free(bad);
  snprintf(prefix, sizeof prefix, "%s/rules/zz-broken.yaml:35:16: ", fx->dir);
  assert_open_fails(fx, TG_EPARSE, prefix, "in 'when': unexpected end of expression");
  remove_rule_file(fx, "zz-broken.yaml");

  /* an exception that overcomes a rule no file defines */
  write_rule_file(fx, "zz-target.yaml",
                  "rule_set: zz-target\ntitle: T\njurisdiction: US-EAR\ncitation: C\n"
                  "source: S\neffective: 2024-01-01\nverification: verified\nrules:\n"
                  "  - id: zz-exc\n    exception: ZZ\n    overcomes: [no-such-rule]\n"
                  "    when: true\n    cite: c\n    text: t\n");
  snprintf(prefix, sizeof prefix, "%s/rules/zz-target.yaml:9:1: ", fx->dir);
  assert_open_fails(fx, TG_EPARSE, prefix,
                    "rule 'zz-exc' refers to 'no-such-rule', which is not a require_license "
                    "rule in any rule set");
  /* ... or names a rule that is not a license requirement */
  write_rule_file(fx, "zz-target.yaml",
                  "rule_set: zz-target\ntitle: T\njurisdiction: US-EAR\ncitation: C\n"
                  "source: S\neffective: 2024-01-01\nverification: verified\nrules:\n"
                  "  - id: zz-exc\n    exception: ZZ\n    overcomes: [zz-exc]\n"
                  "    when: true\n    cite: c\n    text: t\n");
  assert_open_fails(fx, TG_EPARSE, prefix, "refers to 'zz-exc'");
  remove_rule_file(fx, "zz-target.yaml");

  /* rule ids are global: the same id in two files */
  write_rule_file(fx, "zz-dup.yaml",
                  "rule_set: zz-dup\ntitle: T\njurisdiction: US-EAR\ncitation: C\n"
                  "source: S\neffective: 2024-01-01\nverification: verified\nrules:\n"
                  "  - id: 3A090.a\n    warning: W\n    when: true\n    cite: c\n    text: t\n");
  snprintf(prefix, sizeof prefix, "%s/rules/zz-dup.yaml:9:1: rule id '3A090.a' is also used in ",
           fx->dir);
  assert_open_fails(fx, TG_EPARSE, prefix, "2023-11-17-us-bis-advanced-computing.yaml:");
  /* and the same rule-set id */
  write_rule_file(fx, "zz-dup.yaml",
                  "rule_set: us-ear-base\ntitle: T\njurisdiction: US-EAR\ncitation: C\n"
                  "source: S\neffective: 2024-01-01\nverification: verified\nrules:\n"
                  "  - id: zz-w\n    warning: W\n    when: true\n    cite: c\n    text: t\n");
  snprintf(prefix, sizeof prefix, "%s/rules/zz-dup.yaml: rule set 'us-ear-base' is also defined in ",
           fx->dir);
  assert_open_fails(fx, TG_EPARSE, prefix, "2022-10-07-us-ear-base.yaml");
  remove_rule_file(fx, "zz-dup.yaml");

  /* more review_policy/exception/fee rules than one decision holds: refused
   * at open (outcome.c keeps every open rule; none is dropped) */
  char many[40000];
  int w = snprintf(many, sizeof many,
                   "rule_set: zz-many\ntitle: T\njurisdiction: US-EAR\ncitation: C\n"
                   "source: S\neffective: 2024-01-01\nverification: verified\nrules:\n");
  for (int k = 0; k <= TG__MAX_AFTER_RULES; k++)
    w += snprintf(many + w, sizeof many - (size_t)w,
                  "  - id: zz-fee-%d\n    fee: 1%%\n    basis: b\n    when: false\n"
                  "    cite: c\n    text: t\n", k);
  assert_true(w < (int)sizeof many);
  write_rule_file(fx, "zz-many.yaml", many);
  snprintf(prefix, sizeof prefix, "%s/rules: ", fx->dir);
  assert_open_fails(fx, TG_EPARSE, prefix, "TG__MAX_AFTER_RULES");
  remove_rule_file(fx, "zz-many.yaml");

  /* hidden files and other extensions are not rule sets */
  write_rule_file(fx, ".hidden.yaml", "garbage: [\n");
  write_rule_file(fx, "README.txt", "garbage: [\n");
  write_rule_file(fx, "old.yaml.bak", "garbage: [\n");
  assert_int_equal(tg_engine_open(fx->dir, &e, &err), TG_OK);
  assert_int_equal(e->nrulesets, nsets);
  tg_engine_close(e);
}

/* A rule set dropped into rules/ changes decisions without a rebuild. */
static void test_engine_new_rule_set(void **state) {
  fixture *fx = *state;
  write_rule_file(fx, "2030-01-01-test-warning.yaml",
                  "rule_set: test-2030\ntitle: T\njurisdiction: US-EAR\ncitation: \"Test 1\"\n"
                  "source: S\neffective: 2030-01-01\nverification: verified\nrules:\n"
                  "  - id: test-h20-warning\n    warning: Test warning\n"
                  "    when: chip == \"nv-h20\" and dest == \"JP\"\n"
                  "    cite: \"Test 1, para 1\"\n    text: \"test warning for {chip}\"\n");
  tg_engine *e;
  tg_error err;
  if (tg_engine_open(fx->dir, &e, &err) != TG_OK) fail_msg("%s", err.message);
  tg_order o;
  tg_order_init(&o);
  o.chip = tg_catalog_find(e, "nv-h20");
  assert_non_null(o.chip);
  o.dest = "JP";
  o.hq = "JP";
  const tg_date days[2] = {tg_date_from_ymd(2029, 12, 31), tg_date_from_ymd(2030, 1, 1)};
  for (int i = 0; i < 2; i++) {
    o.on = days[i];
    tg_result *r;
    assert_int_equal(tg_check(e, &o, &r, &err), TG_OK);
    char *js = tg_result_json(r);
    assert_non_null(js);
    bool has = strstr(js, "test warning for nv-h20") != NULL;
    if (has != (i == 1)) fail_msg("day %d: warning %s", i, has ? "present" : "absent");
    tg_free(js);
    tg_result_destroy(r);
  }
  tg_engine_close(e);
  remove_rule_file(fx, "2030-01-01-test-warning.yaml");
}

static void test_engine_open_missing(void **state) {
  fixture *fx = *state;
  tg_engine *e = (tg_engine *)1;
  tg_error err;
  assert_int_equal(tg_engine_open("/nonexistent/tollgate-data", &e, &err), TG_EIO);
  assert_null(e);
  assert_non_null(strstr(err.message, "/nonexistent/tollgate-data/countries.yaml"));
  assert_int_equal(tg_engine_open(NULL, NULL, &err), TG_EINVAL);
  char path[512], moved[512];
  snprintf(path, sizeof path, "%s/catalog/chips.yaml", fx->dir);
  snprintf(moved, sizeof moved, "%s/catalog/chips.yaml.away", fx->dir);
  assert_int_equal(rename(path, moved), 0);
  assert_int_equal(tg_engine_open(fx->dir, &e, &err), TG_EIO);
  assert_non_null(strstr(err.message, path));
  assert_int_equal(rename(moved, path), 0);
  snprintf(path, sizeof path, "%s/rules", fx->dir);
  snprintf(moved, sizeof moved, "%s/rules.away", fx->dir);
  assert_int_equal(rename(path, moved), 0);
  assert_int_equal(tg_engine_open(fx->dir, &e, &err), TG_EIO);
  assert_non_null(strstr(err.message, "cannot open rules directory"));
  assert_int_equal(rename(moved, path), 0);
}

/* More dated Country Group changes than one decision has room for are
 * refused when the engine opens, never dropped from a decision's flags. */
static void test_group_changes_bounded(void **state) {
  (void)state;
  tg_engine *e;
  assert_int_equal(tg_engine_open(TG_DATA_DIR, &e, NULL), TG_OK);
  tg__group_change *saved = e->group_changes;
  size_t nsaved = e->ngroup_changes;
  size_t cap = (TG__MAX_GROUP_CHANGES + 1) * 120 + 16, n = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  n += (size_t)snprintf(text + n, cap - n, "changes:\n");
  for (int i = 0; i <= TG__MAX_GROUP_CHANGES; i++)
    n += (size_t)snprintf(text + n, cap - n,
                          "  - {country: CN, group: \"D:1\", change: added, effective: 2024-01-%02d,"
                          " citation: x, verification: secondary}\n", 1 + i % 28);
  e->group_changes = NULL;
  e->ngroup_changes = 0;
  tg_error err = {0};
  assert_int_equal(tg__group_history_parse(e, text, n, "many.yaml", &err), TG_EPARSE);
  assert_non_null(strstr(err.message, "at most 64"));
  tg__group_history_free(e);
  e->group_changes = saved;
  e->ngroup_changes = nsaved;
  free(text);
  tg_engine_close(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_text),
      cmocka_unit_test(test_fee_rates),
      cmocka_unit_test(test_errors_with_positions),
      cmocka_unit_test(test_whole_file_errors),
      cmocka_unit_test(test_shipped_files_validate),
      cmocka_unit_test(test_windows),
      cmocka_unit_test(test_ai_diffusion_never_applied),
      cmocka_unit_test(test_group_changes_bounded),
      cmocka_unit_test_setup_teardown(test_engine_open_broken, copy_data, remove_data),
      cmocka_unit_test_setup_teardown(test_engine_new_rule_set, copy_data, remove_data),
      cmocka_unit_test_setup_teardown(test_engine_open_missing, copy_data, remove_data),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
