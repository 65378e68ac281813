/* cmd_plot.c - `tollgate plot [--on DATE] > chart.svg`: the TPP / PD chart
 * with the 3A090 regions of the rules in force, drawn by the library. */
#include "cli.h"

int cmd_plot(int argc, char **argv) {
  static const cli_optdef defs[] = {{"on", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "plot", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos) return cli_error(&a, CLI_BADINPUT, "unexpected argument '%s'", a.pos[0]);
  tg_engine *e;
  int rc = cli_engine(&a, &e);
  if (rc) return rc;
  tg_date on;
  if (!(rc = cli_date(&a, "on", &on))) {
    char *svg = tg_plot_svg(e, on);
    if (!svg) rc = cli_error(&a, CLI_FAILED, "cannot draw the chart (out of memory)");
    else fputs(svg, stdout);
    tg_free(svg);
  }
  tg_engine_close(e);
  return rc;
}
