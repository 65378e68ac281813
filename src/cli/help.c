/* help.c - the one source of every command's help: `tollgate CMD --help`,
 * `tollgate help CMD` and the man pages (`tollgate help --man CMD`) are all
 * rendered from the table below, so they cannot disagree. */
#include <string.h>

#include "cli.h"

typedef struct help_opt {
  const char *flag; /* "--to CC" */
  const char *text;
} help_opt;

typedef struct help_page {
  const char *name;
  const char *summary;  /* one line, for the command list and NAME */
  const char *synopsis; /* lines, '\n' separated, without "tollgate " */
  const char *text;     /* paragraphs, '\n\n' separated */
  help_opt opts[28];
} help_page;

#define SPEC_HELP                                                                           \
  {"--spec FILE", "a chip not in the catalog, from a YAML spec file"},                      \
      {"--fp16-tflops N, --fp8-tflops N, --int8-tops N, --fp4-tflops N, --tf32-tflops N, "  \
       "--fp64-tflops N",                                                                   \
       "dense throughput of a chip given by flags"},                                         \
      {"--die-area MM2, --package-area MM2", "applicable die area and package area"},      \
      {"--memory-bw GBPS, --io-bw GBPS", "memory and I/O bandwidth"},                       \
      {"--datacenter yes|no, --item-type TEXT", "whether the chip is designed for datacenters"}

#define THRESHOLD_HELP                                                                      \
  {"--threshold X", "screening threshold in (0, 1]: hits score at least X (also "          \
                    "$TG_SCREEN_THRESHOLD; default 0.88); every answer states it"}

static const help_page pages[] = {
    {"chips", "the catalog, with each chip's metrics", "chips [--on DATE] [--json]",
     "Lists every chip of the catalog (data/catalog/chips.yaml) with its TPP, performance "
     "density and the confidence of each figure.",
     {{"--on DATE", "classify as of DATE (ISO YYYY-MM-DD; default today, UTC)"}}},
    {"classify", "the ECCN of a chip on a date, with reasons",
     "classify CHIP [--on DATE] [--json]\nclassify --spec FILE | --fp16-tflops N ... [--on DATE]",
     "Classifies one chip (a catalog id, or a chip given by --spec or flags) under the rule "
     "sets in force on DATE and prints the ECCN with the reasons.",
     {{"--on DATE", "the date (default today, UTC)"}, SPEC_HELP}},
    {"check", "the license requirement of an order",
     "check --chip CHIP --to CC [--hq CC] [--from CC] [--qty N] [--unit-price USD] [--on DATE]\n"
     "      [--end-user NAME] [--purchaser NAME] [--consignee NAME] [--end-use USE]\n"
     "      [--made-in CC] [--us-content PCT] [--direct-product KIND] [--ownership FILE]\n"
     "      [--attest LIST] [--threshold X] [--json]\n"
     "check --batch FILE [--json]",
     "Determines whether an order needs a license: verdict, ECCN, exception, review policy, "
     "payment, reasons (applied first), warnings and the facts that would settle an "
     "undetermined answer. Parties named are screened against the imported lists. A date "
     "before the first modelled rule set is refused (exit 2).\n\n"
     "--batch FILE checks many orders: CSV with a header naming the option columns (chip, to, "
     "hq, from, qty, unit_price, on, end_user, purchaser, consignee, end_use, attest), or JSON lines with those "
     "keys. One result line per order (CSV, or JSON lines with --json), a progress bar on a "
     "terminal, and a summary line on stderr.",
     {{"--chip CHIP", "catalog id (see 'tollgate chips')"},
      {"--to CC", "destination, ISO 3166-1 alpha-2 (HK is kept as entered; the EAR treats it as CN)"},
      {"--hq CC", "headquarters of the end user or its ultimate parent"},
      {"--from CC", "exporting country (default US)"},
      {"--qty N", "units (default 1)"},
      {"--unit-price USD", "price per unit, for the payment"},
      {"--on DATE", "date of export (default today, UTC)"},
      {"--end-user NAME, --purchaser NAME, --consignee NAME", "parties to screen"},
      {"--end-use none|supercomputer|advanced_ic|military|military_end_user",
       "what the exporter knows of the end use (end-use controls); unknown when absent"},
      {"--made-in CC, --us-content PCT, --direct-product technology|plant|none",
       "for a foreign-made item: where it was made, its US controlled content and whether it is a US "
       "direct product (whether it is subject to the EAR)"},
      {"--ownership FILE", "the parties' owners, CSV party,owner,percent,source,date (the Affiliates "
                           "Rule); default: the records stored by 'tollgate ownership import'"},
      {"--attest LIST", "the exporter's certifications, comma-separated: us-available, us-supply, "
                        "foundry, security, testing (or none); without it the January 2026 "
                        "case-by-case policy is undetermined"},
      {"--list FILE", "screen against list files instead of the imported lists"},
      THRESHOLD_HELP,
      {"--batch FILE", "check every order of a CSV or JSON lines file"},
      SPEC_HELP}},
    {"lists", "the screening lists loaded; import new ones",
     "lists [--json]\nlists import FILE... [--json]",
     "Without arguments, shows each stored list: title, publication date, import time, "
     "entries per list, and a warning when a list is older than $TG_LIST_MAX_AGE days "
     "(default 30). 'lists import' reads CSL (CSV or JSON), OFAC SDN (sdn.csv with alt.csv and "
     "add.csv), UN (XML) or China's MOFCOM lists (Tollgate's CSV, data/lists/cn-mofcom.csv; their hits "
     "answer under jurisdictions.CN) files in one transaction; every party already recorded or cleared is "
     "screened again and new hits are printed as alerts.",
     {{"--json", "machine output"}}},
    {"screen", "restricted-party screening of a name or a file of names",
     "screen NAME [--country CC] [--threshold X] [--limit N] [--json]\n"
     "screen --batch FILE [--name-column COL] [--country-column COL] [--id-column COL] [--json]",
     "Screens one name against the imported lists (or --list FILE) and prints every hit at or "
     "above the threshold, best first, with the tokens that matched, the list and its version. "
     "When more hits exist than --limit shows, the answer says how many more.\n\n"
     "--batch reads a CSV file with a header. Columns are chosen by name: --name-column (default "
     "'name'), --country-column (default 'country' when present), --id-column (default 'id' when "
     "present); a file without the named column is refused with the header seen. Every hit above "
     "the threshold gets a row; a hit already cleared as a false positive for that party (and "
     "list version) carries its clearance id in the 'cleared' column and is counted apart from the "
     "open ones. Against the imported lists each run goes into the audit trail (screening.batch: "
     "who, the file, rows, hits, cleared). Lines may be of any length. A summary line always ends "
     "the run (on stderr).",
     {{"--country CC", "skip entries whose known countries differ"},
      THRESHOLD_HELP,
      {"--min-score X", "the same as --threshold (older name)"},
      {"--limit N", "most hits shown per name (default 10)"},
      {"--list FILE", "screen against list files instead of the imported lists"},
      {"--batch FILE", "screen every row of a CSV file"},
      {"--name-column COL", "the column holding names (--batch)"},
      {"--country-column COL", "the column holding countries (--batch)"},
      {"--id-column COL", "the column holding your reference (--batch)"}}},
    {"match", "score two names with the screening matcher", "match NAME1 NAME2 [--json]",
     "Scores two names with the screener's scorer and shows the token pairs. Words weigh by "
     "their rarity in the imported lists (or --list files); with none, by the reference table "
     "data/screening/token-df.tsv (their rarity in the CSL and UN lists), as screening weighs them.",
     {{"--list FILE", "weigh words by these list files"}}},
    {"clear", "record a screening hit as a false positive",
     "clear PARTY --entry NAME --reason TEXT [--list LIST] [--threshold X] [--json]",
     "Screens PARTY against the imported lists and records the hit on entry NAME (as 'screen' "
     "shows it; --list names the list when the entry is on several) as a false positive: the "
     "reason, who ($TOLLGATE_USER), when, and the list's title and publication date. Later "
     "screenings of the party show the hit as cleared, a re-screen after a list import raises "
     "no alert for it, and the open alerts about it are closed. Each clearance is in the audit "
     "trail. Only a hit the screening shows can be cleared.",
     {{"--entry NAME", "the hit's entry name"},
      {"--reason TEXT", "why the hit is not this party (required)"},
      {"--list LIST", "the hit's list, when the entry is on several"},
      THRESHOLD_HELP}},
    {"clearances", "the screening hits cleared as false positives", "clearances [PARTY] [--json]",
     "Lists the clearances recorded (of one party, matched without regard to case and spacing): "
     "party, entry, list, list version, score, reason, who and when.",
     {{"--json", "machine output"}}},
    {"alerts", "hits found when recorded parties were re-screened",
     "alerts [--all | --status open|cleared|closed] [--json]\nalerts close ID --note TEXT [--json]",
     "'lists import' screens every recorded party again (shipments' end users, licenses' end "
     "users, cleared parties); each hit neither cleared nor alerted before becomes an alert, "
     "naming the party, where it is recorded, the hit and the list version. 'alerts' shows the "
     "open ones (--all: every alert). An alert closes when its hit is cleared ('clear') or with "
     "'alerts close ID --note TEXT' (e.g. a true match and what was done). Every alert and "
     "closing is in the audit trail.",
     {{"--all", "every alert, not only open ones"},
      {"--status S", "only alerts with status S"},
      {"--note TEXT", "with close: what was decided"}}},
    {"rules", "the rule sets, their sources and status",
     "rules [--on DATE] [--json]\nrules --validate FILE\nrules --audit [--json]\nrules --changes [--since DATE] [--json]",
     "Lists the rule sets with their windows, sources and whether they are in force on DATE; "
     "--validate checks a rule file without loading it. --audit lists every fact that decides "
     "something and is not verified, with where it is used. --changes is the feed of rule-set "
     "events (effective, compliance, not enforced, ends).",
     {{"--on DATE", "the date (default today, UTC)"},
      {"--validate FILE", "check a rule file"},
      {"--audit", "the unverified facts that decide something, and where they are used"},
      {"--changes", "the rule-set events, in date order"},
      {"--since DATE", "with --changes: events from DATE on"}}},
    {"ownership", "parties' owners for the Affiliates Rule", "ownership [--json]\nownership import FILE [--json]",
     "Without arguments, says how many ownership records are stored. 'ownership import' "
     "replaces them with a CSV file with the header party,owner,percent,source,date (owner "
     "holds percent of party, per source, as of date), in one transaction with its audit "
     "record. Checks and shipments use the stored records unless --ownership FILE is given.",
     {{"--json", "machine output"}}},
    {"license", "licenses in the ledger",
     "license add --number N --holder NAME --chip ID|ECCN... --to CC... --from DATE --until DATE\n"
     "            [--end-user NAME...] [--qty N] [--value-usd USD] [--payment-rate P%] [--tpp-cap P]\n"
     "            [--condition TEXT...] [--notes TEXT]\n"
     "license list | show NUMBER | revoke NUMBER [--reason TEXT]\n"
     "license amend NUMBER [any flag of add but --number] --reason TEXT\n"
     "license extend NUMBER --until DATE --reason TEXT",
     "Adds, lists, shows (with its shipments, what is left, the aggregate-TPP cap's headroom in "
     "units and the payments it incurs by arrangement), amends, extends and revokes licenses. "
     "An amendment or extension needs a reason and is refused when the shipments already "
     "recorded would exceed the changed license. Every write is one transaction with its audit "
     "record.",
     {{"--number N", "the license number"},
      {"--holder NAME", "the license holder"},
      {"--chip ID|ECCN", "chips covered (repeatable; an ECCN covers its subparagraphs)"},
      {"--to CC", "destinations covered (repeatable)"},
      {"--end-user NAME", "end users named on the license (repeatable)"},
      {"--qty N, --value-usd USD", "quantity and value limits"},
      {"--from DATE, --until DATE", "validity window, inclusive"},
      {"--payment-rate P%", "payment owed on each shipment when no rule imposes one"},
      {"--tpp-cap P", "aggregate TPP cap, percent of US shipments"},
      {"--condition TEXT, --notes TEXT", "conditions (repeatable) and notes"},
      {"--reason TEXT", "why a license is revoked, amended or extended"}}},
    {"ship", "record a shipment",
     "ship --chip ID --to CC --qty N --unit-price USD --on DATE --end-user NAME [--license N]\n"
     "     [--hq CC] [--end-use USE] [--nac REF] [--attest LIST] [--notified DATE]\n"
     "     [--reference TEXT] [--threshold X]\n"
     "ship --batch FILE|-",
     "Runs the determination (with the end user screened against the imported lists), checks "
     "the license and records the shipment, its payment and its audit record in one "
     "transaction, or refuses (exit 1) and records nothing. A shipment names its end user; a "
     "date after today is refused.",
     {{"--chip ID", "catalog id"}, {"--to CC", "destination"}, {"--qty N", "units"},
      {"--unit-price USD", "price per unit"}, {"--on DATE", "date shipped (not after today)"},
      {"--end-user NAME", "the end user (required; screened)"},
      {"--license N", "the license drawn on"}, {"--hq CC", "end user's headquarters"},
      {"--notified DATE", "date BIS was notified (NAC)"}, {"--reference TEXT", "your reference"},
      {"--end-use USE", "what is known of the end use (as for check)"},
      {"--nac REF", "license exception NAC: the notification BIS authorized ('tollgate nac')"},
      {"--attest LIST", "the exporter's certifications (as for check)"},
      THRESHOLD_HELP,
      {"--batch FILE|-", "JSON lines of shipments (keys as the options, with _ for -), one result "
                         "line each"}}},
    {"nac", "license exception NAC notifications",
     "nac add --reference REF --chip ID... --to CC --consignee NAME --end-user NAME\n"
     "        --submitted DATE [--notes TEXT]\n"
     "nac authorize REF --number AUTH --on DATE [--until DATE]\n"
     "nac object REF --on DATE | nac expire REF --on DATE\n"
     "nac list | nac show REF",
     "Records notifications to BIS under license exception NAC and BIS's answer: authorized "
     "(with its number and validity), objected to, or expired. A NAC shipment names the "
     "authorized notification with 'ship --nac REF'. Every write is one transaction with its "
     "audit record.",
     {{"--reference REF", "your reference of the notification"},
      {"--chip ID", "chips notified (repeatable)"},
      {"--to CC", "destination"},
      {"--consignee NAME, --end-user NAME", "the parties notified"},
      {"--submitted DATE", "the date the notification was submitted"},
      {"--notes TEXT", "notes"},
      {"--number AUTH", "BIS's authorization number"},
      {"--on DATE", "the date of BIS's answer"},
      {"--until DATE", "end of the authorization's validity"}}},
    {"correct", "reverse a recorded shipment", "correct ID --reason TEXT [--json]",
     "Records a reversal of shipment ID (with the negative payment on the original date); the "
     "original stays in the ledger and the audit trail.",
     {{"--reason TEXT", "why (required)"}}},
    {"shipments", "recorded shipments",
     "shipments [--license N|-] [--chip ID] [--to CC] [--end-user NAME] [--verdict V] [--from D] "
     "[--until D] [--limit N]\nshipments show ID",
     "Lists recorded shipments, newest first, or shows one.",
     {{"--license N|-", "under a license ('-' for none)"}, {"--chip ID", "of a chip"},
      {"--to CC", "to a destination"}, {"--end-user NAME", "to an end user"},
      {"--verdict V", "with a verdict"}, {"--from D, --until D", "shipped in a window"},
      {"--limit N", "most rows"}}},
    {"fees", "payments owed, by period",
     "fees --quarter 2025Q3 | --month 2025-09 | --year 2025 | --from D --until D\n"
     "     [--by license|chip|month|quarter] [--license N] [--chip ID] [--to CC] [--csv [--totals]]",
     "Sums the payments recorded with shipments, split by arrangement (who is paid, under "
     "what). Amounts carry thousands separators in text; CSV has data rows only.",
     {{"--quarter Q, --month M, --year Y, --from D --until D", "the period"},
      {"--by KEY", "group by license, chip, month or quarter"},
      {"--license N, --chip ID, --to CC", "filters"},
      {"--csv", "CSV output: data rows only, one per shipment and arrangement"},
      {"--totals", "with --csv: each arrangement's totals instead of the rows"}}},
    {"payment", "payments owed and paid, by arrangement",
     "payment add --arrangement A (--shipment ID | --license N) --amount USD --date DATE\n"
     "            --reference TEXT [--notes TEXT]\n"
     "payment list [--limit N] [--cursor ID]\n"
     "payment dues [--arrangement A] [--license N] [--shipment ID] [--status due|paid|overdue|reversed]\n"
     "payment terms [A (--due-days N | --due-working-days N) --source TEXT]",
     "Each shipment's payment is split by arrangement (the 15% revenue-share remittance, the "
     "Section 232 duty, a license's own rate), each with its own due date and status (due, "
     "paid, overdue); arrangements are never added together. 'add' records a payment (at most "
     "what is outstanding; a payment on a license pays its oldest dues first) with its audit "
     "record; 'dues' lists the obligations; 'terms' shows or changes an arrangement's due "
     "rule and its source (audited).",
     {{"--arrangement A", "revenue-share-15, section-232-duty, license-condition (see 'payment terms')"},
      {"--shipment ID, --license N", "what the payment is for"},
      {"--amount USD, --date DATE", "how much was paid, and when"},
      {"--reference TEXT", "the wire, cheque or CBP entry number"},
      {"--status S", "dues in one status"},
      {"--due-days N, --due-working-days N", "the due rule: N days (or working days) after the shipment"},
      {"--source TEXT", "where the due rule comes from (or that none fixes it)"},
      {"--json", "machine output"}}},
    {"audit", "the audit trail", "audit verify [--file EXPORT]\naudit export [--out FILE]",
     "verify replays the hash chain and the current rows and names the first record that does "
     "not hold (exit 1); export writes the trail as JSON lines.",
     {{"--file EXPORT", "verify an export on its own"}, {"--out FILE", "write the export here"}}},
    {"backup", "online copy of the database", "backup FILE", "Copies the database to FILE.", {{NULL, NULL}}},
    {"envelope", "the design envelope: what a chip design needs to a destination",
     "envelope --to CC [--on DATE] [--hq CC] [--from CC] [--vendor NAME] [--datacenter yes|no]\n"
     "         [--die-area MM2] [--memory-bw GBPS] [--io-bw GBPS] [--attest LIST] [--end-use USE]\n"
     "         [--made-in CC] [--us-content PCT] [--direct-product KIND] [--json]",
     "Cuts the space of TPP, performance density, memory and interconnect bandwidth at every "
     "threshold the rules applied on DATE compare against, and answers each cell (one "
     "evaluation per cell, nothing sampled); the headline walks the line of one design (die "
     "area and bandwidths) and gives the largest TPP with no license, at worst an exception, "
     "and at worst case-by-case review. Assumptions are printed.",
     {{"--to CC", "destination (required)"},
      {"--on DATE", "the date (default today, UTC)"},
      {"--hq CC", "headquarters of the end user"},
      {"--from CC", "exporting country (default US)"},
      {"--vendor NAME", "the designer (rules that name a vendor)"},
      {"--attest LIST", "the exporter's certifications, as for check (default: none stated)"},
      {"--end-use USE", "what the exporter knows of the end use, as for check (default none)"},
      {"--datacenter yes|no", "whether the design is for datacenters"},
      {"--die-area MM2, --memory-bw GBPS, --io-bw GBPS", "the design line of the headline"},
      {"--made-in CC, --us-content PCT, --direct-product KIND", "whether a foreign-made item is subject to the EAR, as for check (default: not stated, and said so)"}}},
    {"derate", "the smallest cuts that bring a chip to a goal",
     "derate CHIP --to CC [--on DATE] [--hq CC] [--origin CC] [--end-use USE] [--attest LIST]\n"
     "       [--datacenter yes|no] [--goal no_license_required|license_exception|case_by_case]\n"
     "       [--made-in CC] [--us-content PCT] [--direct-product KIND] [--json]",
     "Combines cuts of TPP (at the same die area), memory and interconnect bandwidth, keeps "
     "the non-dominated ones reaching the goal (cheapest first, with the percentage cut per "
     "figure) and checks each derated chip directly.",
     {{"--to CC", "destination (required)"},
      {"--on DATE", "the date (default today, UTC)"},
      {"--hq CC, --origin CC (or --from)", "headquarters of the end user; exporting country"},
      {"--end-use USE, --attest LIST", "the order facts, as for check (default: no restricted end use, no attestation); the answer lists its assumptions"},
      {"--datacenter yes|no", "overrides the chip's own datacenter flag"},
      {"--goal G", "no_license_required (default), license_exception, presumption_of_approval or case_by_case"},
      {"--made-in CC, --us-content PCT, --direct-product KIND", "whether a foreign-made item is subject to the EAR, as for check (default: not stated, and said so)"}}},
    {"capability", "roofline estimates of a chip's capability",
     "capability CHIP [--model-params N] [--precision P] [--utilization U] [--json]",
     "Dense compute at each precision, memory, memory and interconnect bandwidth, and roofline "
     "estimates (training and prefill tokens/s, decode tokens/s, chips to hold the weights), "
     "each with formula, inputs, confidence and source.",
     {{"--model-params N", "model parameters (e.g. 70e9)"},
      {"--precision P", "number format (e.g. fp8); a missing one uses the next wider"},
      {"--utilization U", "assumed utilization, 0 to 1 (default 0.4)"}}},
    {"compare", "the catalog's chips for a task to a destination",
     "compare --to CC [--on DATE] [--hq CC] --task inference|training\n"
     "        [--reference CHIP --count N] [--model-params N] [--precision P] [--utilization U] [--json]",
     "Checks every catalog chip to the destination and ranks the shippable ones (no license, "
     "or an exception) and the rest by the task's estimate, with how many of each match N "
     "reference chips.",
     {{"--to CC", "destination (required)"},
      {"--on DATE, --hq CC", "the date; headquarters of the end user"},
      {"--task T", "inference or training"},
      {"--reference CHIP, --count N", "the chips to match (default one)"},
      {"--model-params N, --precision P, --utilization U", "as for capability"}}},
    {"recheck", "orders whose answer a new rule set or date changes",
     "recheck BOOK.jsonl --against DATA_DIR [--on DATE] [--json]",
     "Reads an order book (JSON lines with the order fields of POST /v1/checks) and checks "
     "each order again against another data directory and/or another date, listing the "
     "orders whose answer (with the other jurisdictions' measures) changed.",
     {{"--against DATA_DIR", "the data directory of the new rule set"},
      {"--on DATE", "check on this date instead"}}},
    {"timeline", "a chip's answer over time",
     "timeline CHIP --to CC [--hq CC] [--origin CC] [--end-use USE] [--attest LIST] [--datacenter yes|no]\n"
     "         [--made-in CC] [--us-content PCT] [--direct-product KIND] [--since DATE] [--until DATE] [--json]",
     "Evaluates the chip on its first date and at every date a rule set's window opens or "
     "closes, keeps the dates where the answer changes and names the rule sets that decided "
     "it.",
     {{"--to CC", "destination (required)"},
      {"--hq CC, --origin CC", "headquarters of the end user; exporting country"},
      {"--end-use USE, --attest LIST", "the order facts, as for check (default: no restricted end use, no attestation); the answer lists its assumptions"},
      {"--datacenter yes|no", "overrides the chip's own datacenter flag"},
      {"--since DATE, --until DATE", "the period (default 2022-10-01 to today, UTC)"},
      {"--made-in CC, --us-content PCT, --direct-product KIND", "whether a foreign-made item is subject to the EAR, as for check (default: not stated, and said so)"}}},
    {"diff", "what changed between two dates",
     "diff --from DATE --until DATE [--to CC] [--hq CC] [--origin CC] [--end-use USE] [--attest LIST]\n"
     "     [--datacenter yes|no] [--made-in CC] [--us-content PCT] [--direct-product KIND]\n"
     "     [--chip ID...] [--catalog FILE] [--json]",
     "Gives each chip's answer on both dates, the fields that changed and each step between "
     "with its cause.",
     {{"--from DATE, --until DATE", "the two dates (required)"},
      {"--to CC, --hq CC, --origin CC", "the order's destination, headquarters and exporting country"},
      {"--end-use USE, --attest LIST, --datacenter yes|no", "the order facts, as for timeline"},
      {"--made-in CC, --us-content PCT, --direct-product KIND", "as for timeline"},
      {"--chip ID", "only these chips (repeatable)"},
      {"--catalog FILE", "the chips of a catalog file (chips: [...] as data/catalog/chips.yaml, a list of specs or one spec)"}}},
    {"migrate", "copy a ledger to another database and verify its chain",
     "migrate --from sqlite:FILE --to postgresql://...",
     "Copies every table of a Tollgate database into an empty one (SQLite or PostgreSQL) and "
     "verifies the audit chain of the copy.",
     {{"--from DB", "the source database (sqlite:FILE or a postgresql:// URL)"},
      {"--to DB", "the empty target database"}}},
    {"plot", "the TPP/PD chart with the 3A090 regions", "plot [--on DATE] > chart.svg",
     "Writes the chart of every catalog chip as SVG.", {{"--on DATE", "the date"}}},
    {"serve", "the HTTP API and web console",
     "serve [--listen 127.0.0.1:8080] [--threads N] [--web DIR] [--max-body BYTES] [--config FILE]\n"
     "      [--max-list-upload BYTES] [--threshold X]",
     "Serves the API (/v1/...) and the console. Requests carry a bearer token ('tollgate token "
     "add'). The screening threshold of every answer is the request's \"threshold\" field, else "
     "--threshold, else $TG_SCREEN_THRESHOLD, else 0.88.",
     {{"--listen ADDR:PORT", "where to listen (default 127.0.0.1:8080)"},
      {"--threads N", "worker threads"},
      {"--web DIR", "console files"},
      {"--max-body BYTES", "largest request body (default 1 MiB)"},
      {"--max-list-upload BYTES", "largest list file sent to POST /v1/lists/upload, streamed to a "
                                  "temporary file (default 256 MiB)"},
      {"--config FILE", "settings file (listen, threads, db, data, web, max-body, max-list-upload); flags win"},
      THRESHOLD_HELP}},
    {"token", "API tokens", "token add --name NAME --role viewer|officer|admin\ntoken list\ntoken revoke NAME",
     "Makes (printed once), lists and revokes API tokens. viewer reads and checks; officer also "
     "records; admin also revokes licenses and manages tokens.",
     {{"--name NAME", "who the token belongs to (the actor of its writes)"},
      {"--role ROLE", "viewer, officer or admin"}}},
};

#define NPAGES (sizeof pages / sizeof *pages)

static const help_page *find_page(const char *name) {
  for (size_t i = 0; i < NPAGES; i++)
    if (!strcmp(pages[i].name, name)) return &pages[i];
  return NULL;
}

static const char common_text[] =
    "Global options: --json (machine output), --data DIR (data directory), --db PATH (database; "
    "also $TOLLGATE_DB, default ./tollgate.db), --help. Dates are ISO YYYY-MM-DD; countries ISO "
    "3166-1 alpha-2. Exit status: 0 done (any verdict), 1 refused, 2 bad input, 3 failure. "
    "Tollgate is not legal advice.";

/* Prints text wrapped at 78 columns after `indent` spaces. */
static void wrap(FILE *f, const char *s, int indent) {
  int col = 0;
  while (*s) {
    size_t w = strcspn(s, " ");
    if (col && col + 1 + (int)w > 78) fputc('\n', f), col = 0;
    if (!col) col = fprintf(f, "%*s", indent, "");
    else col += fprintf(f, " ");
    col += fprintf(f, "%.*s", (int)w, s);
    s += w;
    while (*s == ' ') s++;
  }
  fputc('\n', f);
}

static void paragraphs(FILE *f, const char *text, int indent, bool man) {
  while (*text) {
    const char *end = strstr(text, "\n\n");
    size_t n = end ? (size_t)(end - text) : strlen(text);
    char buf[2048];
    snprintf(buf, sizeof buf, "%.*s", (int)n, text);
    if (man) fprintf(f, ".PP\n%s\n", buf);
    else wrap(f, buf, indent), fputc('\n', f);
    text += n;
    if (end) text += 2;
  }
}

/* Escapes roff's specials: backslash, and dots or quotes at a line start. */
static void roff(FILE *f, const char *s) {
  if (*s == '.' || *s == '\'') fputs("\\&", f);
  for (; *s; s++) {
    if (*s == '\\') fputs("\\e", f);
    else if (*s == '-') fputs("\\-", f);
    else fputc(*s, f);
  }
}

static void print_man(FILE *f, const help_page *p) {
  fprintf(f, ".TH TOLLGATE-%s 1 \"\" \"tollgate %s\" \"Tollgate Manual\"\n.SH NAME\ntollgate\\-%s \\- ", p->name,
          TG_VERSION, p->name);
  roff(f, p->summary);
  fprintf(f, "\n.SH SYNOPSIS\n.nf\n");
  for (const char *s = p->synopsis; *s;) {
    size_t n = strcspn(s, "\n");
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)n, s);
    fputs(line[0] == ' ' ? "         " : "tollgate ", f);
    roff(f, line);
    fputc('\n', f);
    s += n + (s[n] == '\n');
  }
  fprintf(f, ".fi\n.SH DESCRIPTION\n");
  char text[4096];
  snprintf(text, sizeof text, "%s", p->text);
  for (char *c = text; *c; c++)
    if (*c == '\\') *c = '/';
  paragraphs(f, text, 0, true);
  if (p->opts[0].flag) {
    fprintf(f, ".SH OPTIONS\n");
    for (const help_opt *o = p->opts; o < p->opts + 28 && o->flag; o++) {
      fprintf(f, ".TP\n.B ");
      roff(f, o->flag);
      fputc('\n', f);
      roff(f, o->text);
      fputc('\n', f);
    }
  }
  fprintf(f, ".SH NOTES\n");
  roff(f, common_text);
  fputc('\n', f);
}

static void print_page(FILE *f, const help_page *p) {
  const char *s = p->synopsis;
  const char *lead = "usage: ";
  while (*s) {
    size_t n = strcspn(s, "\n");
    fprintf(f, "%s%s%.*s\n", lead, *s == ' ' ? "         " : "tollgate ", (int)n, s);
    lead = "       ";
    s += n + (s[n] == '\n');
  }
  fputc('\n', f);
  paragraphs(f, p->text, 0, false);
  if (p->opts[0].flag) {
    fprintf(f, "options:\n");
    for (const help_opt *o = p->opts; o < p->opts + 28 && o->flag; o++) {
      fprintf(f, "  %s\n", o->flag);
      wrap(f, o->text, 6);
    }
    fputc('\n', f);
  }
  wrap(f, common_text, 0);
}

void cli_usage(FILE *f) {
  fprintf(f, "usage: tollgate COMMAND [OPTIONS]     (tollgate COMMAND --help for one command)\n\ncommands:\n");
  for (size_t i = 0; i < NPAGES; i++) fprintf(f, "  %-10s %s\n", pages[i].name, pages[i].summary);
  fprintf(f, "  %-10s %s\n", "help", "help CMD | help --man CMD | help --commands");
  fputc('\n', f);
  wrap(f, common_text, 0);
}

bool cli_wants_help(int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--")) return false;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
  }
  return false;
}

int cli_help(const char *cmd) {
  const help_page *p = find_page(cmd);
  if (!p) {
    fprintf(stderr, "tollgate help: unknown command '%s'\n", cmd);
    return CLI_BADINPUT;
  }
  print_page(stdout, p);
  return CLI_OK;
}

int cmd_help(int argc, char **argv) {
  if (argc == 0) {
    cli_usage(stdout);
    return CLI_OK;
  }
  if (!strcmp(argv[0], "--commands")) {
    for (size_t i = 0; i < NPAGES; i++) printf("%s\n", pages[i].name);
    return CLI_OK;
  }
  if (!strcmp(argv[0], "--man")) {
    if (argc != 2) {
      fprintf(stderr, "tollgate help: --man takes one command\n");
      return CLI_BADINPUT;
    }
    const help_page *p = find_page(argv[1]);
    if (!p) return cli_help(argv[1]);
    print_man(stdout, p);
    return CLI_OK;
  }
  return cli_help(argv[0]);
}
