/* cmd_serve.c - `tollgate serve [--listen HOST:PORT]`: the HTTP JSON API and
 * the web console (src/server) on the database chosen as for every command
 * (--db, $TOLLGATE_DB, ./tollgate.db), until SIGINT or SIGTERM. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#ifdef TG_HAVE_SERVER
#include "server.h"
#endif

#ifdef TG_HAVE_SERVER
static bool parse_size(const char *s, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || errno || v == 0 || s[0] == '-') return false;
  *out = (size_t)v;
  return true;
}
#endif

int cmd_serve(int argc, char **argv) {
  static const cli_optdef defs[] = {{"listen", true},   {"threads", true}, {"web", true},
                                    {"max-body", true}, CLI_THRESHOLD_OPTS, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "serve", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos) return cli_error(&a, CLI_BADINPUT, "unexpected argument '%s'", a.pos[0]);
#ifndef TG_HAVE_SERVER
  return cli_error(&a, CLI_FAILED, "this tollgate was built without the server");
#else
  tg_server_options o;
  tg_server_options_default(&o);
  if (cli_get(&a, "listen")) o.listen = cli_get(&a, "listen");
  if (cli_get(&a, "web")) o.web_dir = cli_get(&a, "web");
  int trc = cli_threshold(&a, &o.screen_threshold);
  if (trc) return trc;
  size_t n;
  if (cli_get(&a, "threads")) {
    if (!parse_size(cli_get(&a, "threads"), &n) || n > 256)
      return cli_error(&a, CLI_BADINPUT, "--threads: expected 1 to 256");
    o.threads = (unsigned)n;
  }
  if (cli_get(&a, "max-body")) {
    if (!parse_size(cli_get(&a, "max-body"), &n))
      return cli_error(&a, CLI_BADINPUT, "--max-body: expected a number of bytes");
    o.max_body = n;
  }
  /* Block the stop signals before any server thread exists, then wait. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  tg_server *srv;
  tg_error err = {0};
  tg_status st = tg_server_start(e, s, &o, &srv, &err);
  if (st != TG_OK) {
    rc = cli_fail(&a, st, &err);
  } else {
    char host[64];
    const char *colon = strrchr(o.listen, ':');
    snprintf(host, sizeof host, "%.*s", (int)(colon - o.listen), o.listen);
    printf("tollgate: serving http://%s:%u/ (console at /, API at /v1/, database %s)\n", host,
           tg_server_port(srv), cli_db_path(&a));
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    fprintf(stderr, "tollgate: stopping (signal %d)\n", sig);
    tg_server_stop(srv);
  }
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
#endif
}
