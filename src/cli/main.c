/* main.c - the tollgate command: dispatches to the commands.  Each command
 * lives in its own cmd_*.c file and is listed in the table below. */
#include <string.h>

#include "cli.h"

typedef struct command {
  const char *name;
  cli_cmd_fn fn;
  const char *usage;
} command;

static const command commands[] = {
    {"chips", cmd_chips, "chips [--json]                      the catalog with each chip's metrics"},
    {"classify", cmd_classify, "classify CHIP [--on DATE] [--json]  the ECCN of a chip on a date (or --spec FILE)"},
    {"check", cmd_check, "check --chip CHIP --to CC [--hq CC] [--qty N] [--unit-price USD] [--on DATE] [--json]"},
    {"ownership", cmd_ownership, "ownership [import FILE] [--json]   parties' owners for the Affiliates Rule (CSV)"},
    {"lists", cmd_lists, "lists [import FILE...] [--json]      screening lists loaded; import CSL/OFAC/UN files"},
    {"screen", cmd_screen, "screen NAME [--country CC] [--json] | --batch FILE.csv   restricted-party screening"},
    {"match", cmd_match, "match NAME1 NAME2 [--json]          score two names with the screening matcher"},
    {"rules", cmd_rules, "rules [--on DATE] [--json]          the rule sets, their sources and status"},
    {"license", cmd_license, "license add|list|show NUM|revoke NUM  licenses in the ledger (see README)"},
    {"nac", cmd_nac, "nac add|list|show REF|authorize REF --number N --on D|object REF|expire REF   NAC notifications"},
    {"ship", cmd_ship, "ship --chip CHIP --to CC --qty N --unit-price USD --on DATE [--license NUM]\n"
                       "       [--end-user NAME] [--hq CC] [--nac REF] [--attest LIST]   record a shipment (or --batch FILE)"},
    {"correct", cmd_correct, "correct ID --reason TEXT            reverse a recorded shipment"},
    {"shipments", cmd_shipments, "shipments [--license NUM] [--chip C] [--to CC] [--from D] [--until D] | show ID"},
    {"fees", cmd_fees, "fees --quarter 2025Q3|--month 2025-09|--year 2025 [--by license|chip|month] [--csv]"},
    {"audit", cmd_audit, "audit verify [--file EXPORT] | audit export [--out FILE]   the audit trail"},
    {"backup", cmd_backup, "backup FILE                         online copy of the database"},
    {"envelope", cmd_envelope, "envelope --to CC [--on DATE] [--hq CC] [--datacenter yes|no] [--die-area MM2] [--memory-bw GBS] [--io-bw GBS]"},
    {"derate", cmd_derate, "derate CHIP --to CC [--on DATE] [--goal no_license_required|case_by_case]   smallest cuts reaching a goal"},
    {"capability", cmd_capability, "capability CHIP [--model-params 70e9] [--precision fp8] [--utilization 0.4]   roofline estimates"},
    {"compare", cmd_compare, "compare --to CC [--on DATE] --task inference|training [--reference nv-h100-sxm --count N]"},
    {"recheck", cmd_recheck, "recheck BOOK.jsonl --against DATA_DIR [--on DATE]   orders whose answer a new rule set changes"},
    {"timeline", cmd_timeline, "timeline CHIP --to CC [--hq CC] [--since DATE] [--until DATE]   the chip's answer over time"},
    {"diff", cmd_diff, "diff --from DATE --until DATE [--to CC] [--chip ID ...]   what changed between two dates"},
    {"migrate", cmd_migrate, "migrate --from sqlite:FILE --to postgresql://...  copy a ledger, verify its chain"},
    {"plot", cmd_plot, "plot [--on DATE] > chart.svg        the TPP/PD chart with the 3A090 regions"},
    {"serve", cmd_serve, "serve [--listen 127.0.0.1:8080] [--threads N] [--config FILE]  the HTTP API and web console"},
    {"token", cmd_token, "token add --name NAME --role viewer|officer|admin | token list | token revoke NAME"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: tollgate COMMAND [OPTIONS]\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(f, "  %s\n", commands[i].usage);
  fprintf(f,
          "\nglobal options: --json (machine output), --data DIR (data directory),\n"
          "  --db PATH (database; also $TOLLGATE_DB, default ./tollgate.db)\n"
          "dates are YYYY-MM-DD (default today); countries are ISO 3166-1 alpha-2.\n"
          "exit status: 0 done (any verdict), 1 refused, 2 bad input, 3 failure.\n"
          "Tollgate is not legal advice.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return CLI_BADINPUT;
  }
  const char *name = argv[1];
  if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
    usage(stdout);
    return CLI_OK;
  }
  if (!strcmp(name, "version") || !strcmp(name, "--version")) {
    printf("tollgate %s\n", TG_VERSION);
    return CLI_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!strcmp(commands[i].name, name)) return commands[i].fn(argc - 2, argv + 2);
  fprintf(stderr, "tollgate: unknown command '%s'\n\n", name);
  usage(stderr);
  return CLI_BADINPUT;
}
