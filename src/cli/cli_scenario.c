/* cli_scenario.c - the order facts of the capability commands (derate,
 * timeline, diff): --to, --hq, --origin, --end-use, --attest,
 * --datacenter and the subject-to-the-EAR facts (--made-in, --us-content,
 * --direct-product, read as check reads them) into a tg_scenario, and the
 * assumptions every answer prints. */
#include <string.h>

#include "cli.h"

int cli_scenario(const cli_args *a, tg_scenario *s) {
  tg_scenario_init(s);
  if (cli_get(a, "to")) s->dest = cli_get(a, "to");
  s->hq = cli_get(a, "hq");
  s->origin = cli_get(a, "origin");
  s->end_use = cli_get(a, "end-use");
  s->attestations = cli_get(a, "attest");
  tg_order o; /* --made-in, --us-content, --direct-product as check reads them */
  tg_order_init(&o);
  int rc = cli_order_facts(a, &o);
  if (rc) return rc;
  s->made_in = o.made_in;
  s->us_content_pct = o.us_content_pct;
  s->direct_product = o.direct_product;
  const char *dc = cli_get(a, "datacenter");
  if (dc) {
    if (!strcmp(dc, "yes")) s->datacenter = 1;
    else if (!strcmp(dc, "no")) s->datacenter = 0;
    else return cli_error(a, CLI_BADINPUT, "--datacenter: expected yes or no, got '%s'", dc);
  }
  return CLI_OK;
}

int cli_scenario_chip(const cli_args *a, const tg_engine *e, const char *id,
                      const tg_chip **chip, tg_chip **owned) {
  cli_args b = *a; /* --datacenter is the scenario's here, not a spec flag */
  for (int i = 0; i < b.nopts; i++)
    if (!strcmp(b.names[i], "datacenter")) b.names[i] = "-datacenter";
  return cli_chip(&b, e, id, chip, owned);
}

void cli_print_assumptions(json_t *answer) {
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(answer, "assumptions"), i, s)
    printf("%s%s\n", i ? "  " : "Assumptions:\n  ", json_string_value(s));
}
