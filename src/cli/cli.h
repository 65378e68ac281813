/* cli.h - shared pieces of the tollgate command-line tool: option parsing,
 * the engine and store it opens, and exit statuses.  The CLI uses only the
 * public header <tollgate.h>.
 *
 * Exit status: 0 success (any verdict), 1 refused or verification failed,
 * 2 bad input (usage, unknown chip, bad date, malformed file),
 * 3 internal or database failure. */
#ifndef TG_CLI_H
#define TG_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "tollgate.h"

enum { CLI_OK = 0, CLI_REFUSED = 1, CLI_BADINPUT = 2, CLI_FAILED = 3 };

/* Declarative options: name without dashes, and whether it takes a value. */
typedef struct cli_optdef {
  const char *name;
  bool has_value;
} cli_optdef;

#define CLI_MAX_OPTS 32
#define CLI_MAX_POS 16

typedef struct cli_args {
  const char *cmd;
  const char *names[CLI_MAX_OPTS];
  const char *values[CLI_MAX_OPTS]; /* "" for flags */
  int nopts;
  const char *pos[CLI_MAX_POS];
  int npos;
} cli_args;

/* Parses argv against defs (plus the global --json, --data, --db, --help).
 * On error prints a message and returns false. */
bool cli_parse(cli_args *a, const char *cmd, int argc, char **argv,
               const cli_optdef *defs);
/* The value of --name (last one wins), or NULL. */
const char *cli_get(const cli_args *a, const char *name);
/* Every value given for a repeatable option, in order; returns the count. */
int cli_get_all(const cli_args *a, const char *name, const char **out, int cap);
bool cli_flag(const cli_args *a, const char *name);

/* Prints "tollgate: <message>" to stderr, as JSON too when --json. */
int cli_error(const cli_args *a, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Maps a library status to an exit status, printing err's message. */
int cli_fail(const cli_args *a, tg_status st, const tg_error *err);
/* Prints a library result: the error, the JSON (--json) or, through
 * `human`, text; frees js.  Returns the exit status. */
int cli_emit(const cli_args *a, tg_status st, const tg_error *err, char *js,
             void (*human)(json_t *));

/* Opens the engine on --data, $TOLLGATE_DATA or the compiled-in data dir. */
int cli_engine(const cli_args *a, tg_engine **out);
/* BIN/../share/tollgate of the running binary when it holds the data (an
 * installed Tollgate, wherever it was moved), else NULL.  The data
 * directory is --data, $TOLLGATE_DATA, this, or the built-in default. */
const char *cli_installed_share(void);
/* The database path: --db, $TOLLGATE_DB, or ./tollgate.db. */
const char *cli_db_path(const cli_args *a);
/* Opens the store (and the engine it needs). */
int cli_store(const cli_args *a, tg_engine **engine, tg_store **store);
/* A command's call on the store: sets *js (its answer) or returns the
 * error in err; or prints its own error and sets *rc (returning TG_OK). */
typedef tg_status (*cli_store_fn)(const cli_args *a, const tg_engine *e, tg_store *s, char **js,
                                  tg_error *err, int *rc);
/* Opens the store, runs fn, prints its answer (cli_emit, through `human`)
 * or its error, and closes the store.  Returns the exit status. */
int cli_with_store(const cli_args *a, cli_store_fn fn, void (*human)(json_t *));

/* --on DATE, or today (UTC) when absent; prints and returns 2 when bad. */
int cli_date(const cli_args *a, const char *opt, tg_date *out);
tg_date cli_today(void);

/* --opt as a non-negative whole number into *out (unchanged when absent);
 * prints and returns 2 when bad. */
int cli_parse_int64(const cli_args *a, const char *opt, long long *out);
/* --opt as USD ("1234.56", at most two decimals) into *cents (unchanged
 * when absent); prints and returns 2 when bad. */
int cli_parse_usd(const cli_args *a, const char *opt, long long *cents);
/* --end-use, --made-in, --us-content PCT[%], --direct-product into the
 * order (the library checks the words); prints and returns 2 when bad. */
int cli_order_facts(const cli_args *a, tg_order *o);
/* --ownership FILE (party,owner,percent,source,date) into *out; without
 * it, the records stored by 'tollgate ownership import' (NULL when none);
 * prints and returns 2 when unreadable or malformed. */
int cli_ownership(const cli_args *a, const tg_engine *e, tg_ownership **out);
int cmd_ownership(int argc, char **argv);
/* "1234.56" -> 123456 cents (at most two decimals); -1 when not an amount. */
long long cli_usd_cents(const char *s);

/* The screening threshold: --threshold (or its older name --min-score),
 * else $TG_SCREEN_THRESHOLD, else TG_SCREEN_THRESHOLD; prints and returns
 * 2 when not a number in (0, 1]. */
int cli_threshold(const cli_args *a, double *out);
/* Days after which a screening list is stale: $TG_LIST_MAX_AGE or 30. */
int cli_list_max_age(void);
#define CLI_THRESHOLD_OPTS {"threshold", true}, {"min-score", true}

/* 1234567 -> "1,234,567"; "1234567.50" -> "1,234,567.50" (text output). */
void cli_thousands(long long v, char *out, size_t n);
void cli_thousands_str(const char *amount, char *out, size_t n);

/* A shipment's destination as entered, with the EAR's country beside it
 * when they differ ("HK (EAR: CN)"); h is a shipment object. */
void cli_dest_label(json_t *h, char *out, size_t n);
/* The shipments table of a tg_shipments_json object (cmd_reports.c). */
void cli_print_shipments(json_t *o);

/* One CSV record from a line, in place (quotes honoured, no embedded
 * newlines): up to cap fields; returns the count (cmd_screen.c). */
int cli_csv_fields(char *line, char **f, int cap);
/* Prints s as one quoted CSV field. */
void cli_csv_out(const char *s);
/* check --batch FILE (cmd_batch.c). */
int cli_check_batch(const cli_args *a, const tg_engine *e, const char *path);

/* Reads a whole file; NULL on failure (with errno). */
char *cli_read_file(const char *path, size_t *len);

/* Resolves --chip/--spec/spec flags to a chip: catalog chips are borrowed,
 * spec chips are owned (*owned set; destroy with tg_chip_destroy). */
int cli_chip(const cli_args *a, const tg_engine *e, const char *id,
             const tg_chip **chip, tg_chip **owned);
/* Options for chips from flags, to add to a command's defs. */
#define CLI_SPEC_OPTS                                                         \
  {"spec", true}, {"fp16-tflops", true}, {"fp8-tflops", true},                \
      {"int8-tops", true}, {"fp4-tflops", true}, {"tf32-tflops", true},       \
      {"fp64-tflops", true}, {"die-area", true}, {"memory-bw", true},          \
      {"io-bw", true}, {"datacenter", true}, {"package-area", true},          \
      {"item-type", true}

/* The order facts of derate, timeline and diff (cli_scenario.c): --to,
 * --hq, --origin, --end-use, --attest, --datacenter yes|no, --made-in,
 * --us-content, --direct-product; prints and returns 2 when bad. */
int cli_scenario(const cli_args *a, tg_scenario *s);
#define CLI_ORIGIN_OPTS {"made-in", true}, {"us-content", true}, {"direct-product", true}
#define CLI_SCENARIO_OPTS                                                     \
  {"hq", true}, {"origin", true}, {"end-use", true}, {"attest", true},        \
      {"datacenter", true}, CLI_ORIGIN_OPTS
/* cli_chip, with --datacenter left to the scenario. */
int cli_scenario_chip(const cli_args *a, const tg_engine *e, const char *id,
                      const tg_chip **chip, tg_chip **owned);
/* Prints an answer's "assumptions" array. */
void cli_print_assumptions(json_t *answer);

/* Commands: each returns an exit status. */
typedef int (*cli_cmd_fn)(int argc, char **argv);
int cmd_chips(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
/* the ledger (cmd_ledger.c, cmd_reports.c) */
int cmd_license(int argc, char **argv);
int cmd_nac(int argc, char **argv);
int cmd_ship(int argc, char **argv);
int cmd_correct(int argc, char **argv);
int cmd_shipments(int argc, char **argv);
int cmd_fees(int argc, char **argv);
int cmd_payment(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
/* Who the CLI user is, for audit records: $TOLLGATE_USER or the login. */
const char *cli_actor(void);
/* screening (cmd_screen.c) */
int cmd_lists(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_match(int argc, char **argv);
/* Screening decisions (cmd_decisions.c). */
int cmd_clear(int argc, char **argv);
int cmd_clearances(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
/* Re-screens the recorded parties after a list import; prints the alerts. */
int cli_rescreen(const cli_args *a, const tg_engine *e, tg_store *s);
/* Prints a clearance (a hit's "cleared") as indented lines. */
void cli_print_clearance(const json_t *c, const char *indent);
/* A screener over the stored lists (or --list FILE) for check's parties;
 * *out stays NULL when no database exists (cmd_screen.c). */
int cli_screener(const cli_args *a, const tg_engine *e, tg_screener **out);
/* Prints the "searched: LIST (kind), published DATE, N entries" lines of
 * an answer's "screening" object (cmd_screen.c). */
void cli_print_screening(const json_t *ev);
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_plot(int argc, char **argv);
/* help (help.c): the one source of usage, --help and man pages */
int cmd_help(int argc, char **argv);
void cli_usage(FILE *f);
/* Whether argv asks for help (--help or -h before any "--"). */
bool cli_wants_help(int argc, char **argv);
/* Prints CMD's help to stdout; 2 for an unknown command. */
int cli_help(const char *cmd);
/* capabilities (cmd_envelope.c, cmd_timeline.c, cmd_capability.c) */
int cmd_envelope(int argc, char **argv);
int cmd_derate(int argc, char **argv);
int cmd_capability(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_recheck(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_diff(int argc, char **argv);
/* rules --changes [--since DATE] (cmd_timeline.c) */
int cli_rule_changes(const cli_args *a, tg_engine *e);
/* Prints the measures of other jurisdictions than the US of an answer's
 * "jurisdictions" object, apart from the US verdict (cmd_timeline.c). */
void cli_print_foreign_measures(json_t *jur);

/* serve --config FILE (serve_config.c): the settings by key, each value
 * malloc'd into vals[k] (the caller frees); false with "FILE:LINE: what"
 * in msg on a bad line. */
enum { SERVE_CONF_N = 7 };
extern const char *const serve_conf_keys[SERVE_CONF_N];
bool serve_config_parse(const char *text, size_t len, const char *path,
                        char *vals[SERVE_CONF_N], char *msg, size_t n);

#endif
