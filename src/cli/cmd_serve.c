/* cmd_serve.c - `tollgate serve [--listen HOST:PORT] [--config FILE]`: the
 * HTTP JSON API and the web console (src/server) on the database chosen as
 * for every command (--db, $TOLLGATE_DB, ./tollgate.db), until SIGINT or
 * SIGTERM.  A config file holds `key = value` lines (listen, threads, web,
 * max-body, db, data, max-list-upload; # comments); the command line wins over it, and it
 * over the environment. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
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

#ifdef TG_HAVE_SERVER
/* The settings of a config file, by key (serve_config.c). */
enum { C_LISTEN, C_THREADS, C_WEB, C_MAXBODY, C_DB, C_DATA, C_MAXLIST, C_N = SERVE_CONF_N };
#define conf_keys serve_conf_keys

/* Reads FILE into vals (malloc'd); an error names the file and line. */
static int read_config(const cli_args *a, const char *path, char *vals[C_N]) {
  FILE *f = fopen(path, "rb");
  if (!f) return cli_error(a, CLI_BADINPUT, "--config: cannot open '%s': %s", path, strerror(errno));
  char buf[65536];
  size_t n = fread(buf, 1, sizeof buf, f);
  bool more = n == sizeof buf && fgetc(f) != EOF, bad = ferror(f);
  fclose(f);
  if (bad) return cli_error(a, CLI_BADINPUT, "--config: cannot read '%s'", path);
  if (more) return cli_error(a, CLI_BADINPUT, "--config: '%s' is over 64 KiB", path);
  char msg[512];
  if (!serve_config_parse(buf, n, path, vals, msg, sizeof msg))
    return cli_error(a, CLI_BADINPUT, "%s", msg);
  return CLI_OK;
}

/* The database location without a password, for the log. */
static void redact(const char *db, char *out, size_t n) {
  const char *scheme = strstr(db, "://"), *at = scheme ? strchr(scheme + 3, '@') : NULL;
  const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
  if (colon) snprintf(out, n, "%.*s:***%s", (int)(colon - db), db, at);
  else snprintf(out, n, "%s", db);
}

/* The option from the command line, else from the config file. */
static const char *setting(const cli_args *a, char *vals[C_N], int k) {
  const char *v = cli_get(a, conf_keys[k]);
  return v ? v : vals[k];
}

static int run_serve(cli_args *a, char *conf[C_N]);
#endif

int cmd_serve(int argc, char **argv) {
  static const cli_optdef defs[] = {{"listen", true},   {"threads", true}, {"web", true},
                                    {"max-body", true}, {"config", true},  CLI_THRESHOLD_OPTS,
                                    {"max-list-upload", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "serve", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos) return cli_error(&a, CLI_BADINPUT, "unexpected argument '%s'", a.pos[0]);
#ifndef TG_HAVE_SERVER
  return cli_error(&a, CLI_FAILED, "this tollgate was built without the server");
#else
  char *conf[C_N] = {0};
  int rc = cli_get(&a, "config") ? read_config(&a, cli_get(&a, "config"), conf) : CLI_OK;
  if (rc == CLI_OK) rc = run_serve(&a, conf);
  for (int k = 0; k < C_N; k++) free(conf[k]);
  return rc;
#endif
}

#ifdef TG_HAVE_SERVER
static int run_serve(cli_args *ap, char *conf[C_N]) {
  cli_args a = *ap;
  /* the file's db and data sit between the command line and the environment */
  if (!cli_get(&a, "db") && conf[C_DB]) setenv("TOLLGATE_DB", conf[C_DB], 1);
  if (!cli_get(&a, "data") && conf[C_DATA]) setenv("TOLLGATE_DATA", conf[C_DATA], 1);
  tg_server_options o;
  tg_server_options_default(&o);
  char web[4200];
  if (setting(&a, conf, C_LISTEN)) o.listen = setting(&a, conf, C_LISTEN);
  if (setting(&a, conf, C_WEB)) {
    o.web_dir = setting(&a, conf, C_WEB);
  } else if (cli_installed_share()) { /* an installed Tollgate: its console */
    snprintf(web, sizeof web, "%s/web", cli_installed_share());
    o.web_dir = web;
  }
  int trc = cli_threshold(&a, &o.screen_threshold);
  if (trc) return trc;
  size_t n;
  if (setting(&a, conf, C_THREADS)) {
    if (!parse_size(setting(&a, conf, C_THREADS), &n) || n > 256)
      return cli_error(&a, CLI_BADINPUT, "--threads: expected 1 to 256");
    o.threads = (unsigned)n;
  }
  if (setting(&a, conf, C_MAXBODY)) {
    if (!parse_size(setting(&a, conf, C_MAXBODY), &n))
      return cli_error(&a, CLI_BADINPUT, "--max-body: expected a number of bytes");
    o.max_body = n;
  }
  if (setting(&a, conf, C_MAXLIST)) {
    if (!parse_size(setting(&a, conf, C_MAXLIST), &n) || !n)
      return cli_error(&a, CLI_BADINPUT, "--max-list-upload: expected a number of bytes");
    o.max_list_upload = n;
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
    char db[512];
    redact(cli_db_path(&a), db, sizeof db);
    printf("tollgate: serving http://%s:%u/ (console at /, API at /v1/, database %s)\n", host,
           tg_server_port(srv), db);
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    fprintf(stderr, "tollgate: stopping (signal %d)\n", sig);
    tg_server_stop(srv);
  }
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}
#endif
