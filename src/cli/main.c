/* main.c - the tollgate command: dispatches to the commands.  Each command
 * lives in its own cmd_*.c file and is listed in the table below. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct command {
  const char *name;
  cli_cmd_fn fn;
} command;

/* Each command's help (and man page) is in help.c. */
static const command commands[] = {
    {"chips", cmd_chips},         {"classify", cmd_classify},     {"check", cmd_check},
    {"ownership", cmd_ownership}, {"lists", cmd_lists},           {"screen", cmd_screen},
    {"match", cmd_match},         {"rules", cmd_rules},           {"license", cmd_license},
    {"nac", cmd_nac},             {"ship", cmd_ship},             {"correct", cmd_correct},
    {"shipments", cmd_shipments}, {"fees", cmd_fees},             {"audit", cmd_audit},
    {"backup", cmd_backup},       {"envelope", cmd_envelope},     {"derate", cmd_derate},
    {"capability", cmd_capability}, {"compare", cmd_compare},     {"recheck", cmd_recheck},
    {"timeline", cmd_timeline},   {"diff", cmd_diff},             {"migrate", cmd_migrate},
    {"plot", cmd_plot},           {"serve", cmd_serve},           {"token", cmd_token},
    {"clear", cmd_clear},         {"clearances", cmd_clearances}, {"alerts", cmd_alerts},
    {"payment", cmd_payment},
    {"help", cmd_help},
};

int main(int argc, char **argv) {
  if (argc < 2) {
    cli_usage(stderr);
    return CLI_BADINPUT;
  }
  const char *name = argv[1];
  if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
    cli_usage(stdout);
    return CLI_OK;
  }
  if (!strcmp(name, "version") || !strcmp(name, "--version")) {
    printf("tollgate %s\n", TG_VERSION);
    return CLI_OK;
  }
  const char *today = getenv("TOLLGATE_TODAY");
  tg_date fixed;
  if (today && *today && tg_date_parse(today, &fixed) != TG_OK) {
    fprintf(stderr, "tollgate: $TOLLGATE_TODAY: '%s' is not a date (expected YYYY-MM-DD, a real day)\n", today);
    return CLI_BADINPUT;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
    if (strcmp(commands[i].name, name)) continue;
    /* --help anywhere explains the command and does nothing else */
    if (commands[i].fn != cmd_help && cli_wants_help(argc - 2, argv + 2)) return cli_help(name);
    return commands[i].fn(argc - 2, argv + 2);
  }
  fprintf(stderr, "tollgate: unknown command '%s'\n\n", name);
  cli_usage(stderr);
  return CLI_BADINPUT;
}
