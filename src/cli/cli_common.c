/* cli_common.c - option parsing, opening the engine and store, dates,
 * chips from the catalog or a spec, and error reporting for commands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "cli.h"

static const cli_optdef global_opts[] = {
    {"json", false}, {"data", true}, {"db", true}, {"help", false}, {NULL, false}};

static const cli_optdef *find_def(const cli_optdef *defs, const char *name) {
  for (int i = 0; defs && defs[i].name; i++)
    if (!strcmp(defs[i].name, name)) return &defs[i];
  for (int i = 0; global_opts[i].name; i++)
    if (!strcmp(global_opts[i].name, name)) return &global_opts[i];
  return NULL;
}

bool cli_parse(cli_args *a, const char *cmd, int argc, char **argv, const cli_optdef *defs) {
  memset(a, 0, sizeof *a);
  a->cmd = cmd;
  for (int i = 0; i < argc; i++) {
    const char *s = argv[i];
    if (s[0] == '-' && s[1] == '-' && s[2]) {
      char name[64];
      const char *eq = strchr(s + 2, '=');
      size_t n = eq ? (size_t)(eq - s - 2) : strlen(s + 2);
      if (n >= sizeof name) n = sizeof name - 1;
      memcpy(name, s + 2, n);
      name[n] = '\0';
      const cli_optdef *d = find_def(defs, name);
      if (!d) {
        fprintf(stderr, "tollgate %s: unknown option '--%s' (see 'tollgate help')\n", cmd, name);
        return false;
      }
      if (a->nopts == CLI_MAX_OPTS) {
        fprintf(stderr, "tollgate %s: too many options\n", cmd);
        return false;
      }
      const char *val = "";
      if (d->has_value) {
        if (eq) val = eq + 1;
        else if (i + 1 < argc) val = argv[++i];
        else {
          fprintf(stderr, "tollgate %s: option '--%s' needs a value\n", cmd, name);
          return false;
        }
      } else if (eq) {
        fprintf(stderr, "tollgate %s: option '--%s' takes no value\n", cmd, name);
        return false;
      }
      a->names[a->nopts] = d->name;
      a->values[a->nopts++] = val;
    } else {
      if (a->npos == CLI_MAX_POS) {
        fprintf(stderr, "tollgate %s: too many arguments\n", cmd);
        return false;
      }
      a->pos[a->npos++] = s;
    }
  }
  return true;
}

const char *cli_get(const cli_args *a, const char *name) {
  const char *v = NULL;
  for (int i = 0; i < a->nopts; i++)
    if (!strcmp(a->names[i], name)) v = a->values[i];
  return v;
}

int cli_get_all(const cli_args *a, const char *name, const char **out, int cap) {
  int n = 0;
  for (int i = 0; i < a->nopts; i++)
    if (!strcmp(a->names[i], name) && n < cap) out[n++] = a->values[i];
  return n;
}

bool cli_flag(const cli_args *a, const char *name) { return cli_get(a, name) != NULL; }

static void json_escape(FILE *f, const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else fputc(c, f);
  }
}

int cli_error(const cli_args *a, int status, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(stderr, "tollgate%s%s: %s\n", a && a->cmd ? " " : "", a && a->cmd ? a->cmd : "", msg);
  if (a && cli_flag(a, "json")) {
    const char *code = status == CLI_BADINPUT ? "bad_input" : status == CLI_REFUSED ? "refused" : "failed";
    printf("{\"error\": {\"code\": \"%s\", \"message\": \"", code);
    json_escape(stdout, msg);
    printf("\"}}\n");
  }
  return status;
}

int cli_emit(const cli_args *a, tg_status st, const tg_error *err, char *js,
             void (*human)(json_t *)) {
  int rc = CLI_OK;
  if (st != TG_OK) {
    rc = cli_fail(a, st, err);
  } else if (cli_flag(a, "json")) {
    printf("%s\n", js);
  } else {
    json_t *j = json_loads(js, 0, NULL);
    human(j);
    json_decref(j);
  }
  tg_free(js);
  return rc;
}

int cli_fail(const cli_args *a, tg_status st, const tg_error *err) {
  int status;
  switch (st) {
  case TG_EINVAL: case TG_EPARSE: case TG_ENOTFOUND: case TG_EVERSION: status = CLI_BADINPUT; break;
  case TG_EREFUSED: case TG_ETAMPER: case TG_EDENIED: case TG_ECONFLICT: status = CLI_REFUSED; break;
  default: status = CLI_FAILED; break;
  }
  const char *msg = err && err->message[0] ? err->message : tg_strerror(st);
  return cli_error(a, status, "%s", msg);
}

const char *cli_installed_share(void) {
  static char dir[4096];
  static bool done, found;
  if (done) return found ? dir : NULL;
  done = true;
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return NULL;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash) return NULL;
  *slash = '\0';
  if (snprintf(dir, sizeof dir, "%s/../share/tollgate", exe) >= (int)sizeof dir) return NULL;
  found = access(dir, R_OK) == 0;
  return found ? dir : NULL;
}

int cli_engine(const cli_args *a, tg_engine **out) {
  const char *dir = cli_get(a, "data");
  if (!dir) dir = getenv("TOLLGATE_DATA");
  if (!dir || !*dir) dir = cli_installed_share();
  if (!dir) dir = tg_default_data_dir();
  tg_error err = {0};
  tg_status st = tg_engine_open(dir, out, &err);
  if (st != TG_OK) return cli_fail(a, st, &err);
  return CLI_OK;
}

const char *cli_db_path(const cli_args *a) {
  const char *p = cli_get(a, "db");
  if (!p) p = getenv("TOLLGATE_DB");
  if (!p || !*p) p = "./tollgate.db";
  return p;
}

int cli_store(const cli_args *a, tg_engine **engine, tg_store **store) {
  *store = NULL;
  int rc = cli_engine(a, engine);
  if (rc) return rc;
  tg_error err = {0};
  tg_status st = tg_store_open(*engine, cli_db_path(a), store, &err);
  if (st != TG_OK) {
    tg_engine_close(*engine);
    *engine = NULL;
    return cli_fail(a, st, &err);
  }
  return CLI_OK;
}

int cli_with_store(const cli_args *a, cli_store_fn fn, void (*human)(json_t *)) {
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(a, &e, &s);
  if (rc) return rc;
  char *js = NULL;
  tg_error err = {0};
  tg_status st = fn(a, e, s, &js, &err, &rc);
  if (rc) tg_free(js);
  else rc = cli_emit(a, st, &err, js, human);
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}

/* today: $TOLLGATE_TODAY when set (main refuses one that is not a date),
 * so that list ages and the default --on can be pinned for reproducible
 * answers; else the UTC date of the clock */
tg_date cli_today(void) {
  const char *env = getenv("TOLLGATE_TODAY");
  tg_date fixed;
  if (env && *env && tg_date_parse(env, &fixed) == TG_OK) return fixed;
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  return tg_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int cli_date(const cli_args *a, const char *opt, tg_date *out) {
  const char *s = cli_get(a, opt);
  if (!s) {
    *out = cli_today();
    return CLI_OK;
  }
  if (tg_date_parse(s, out) != TG_OK)
    return cli_error(a, CLI_BADINPUT, "--%s: '%s' is not a date (expected YYYY-MM-DD, a real day)",
                     opt, s);
  return CLI_OK;
}

char *cli_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 8192, n = 0;
  char *buf = malloc(cap);
  size_t r;
  while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += r;
    if (cap - n - 1 == 0) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) { free(buf); buf = NULL; break; }
      buf = nb;
      cap *= 2;
    }
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

static const struct { const char *opt, *field; } spec_flags[] = {
    {"fp16-tflops", "fp16_tflops"}, {"fp8-tflops", "fp8_tflops"}, {"int8-tops", "int8_tops"},
    {"fp4-tflops", "fp4_tflops"},   {"tf32-tflops", "tf32_tflops"}, {"fp64-tflops", "fp64_tflops"},
    {"die-area", "die_area_mm2"},   {"memory-bw", "memory_bw_gbs"}, {"io-bw", "interconnect_gbs"},
    {"package-area", "package_area_mm2"}};

static int parse_nonneg(const cli_args *a, const char *opt, const char *s, double *v) {
  char *end;
  errno = 0;
  *v = strtod(s, &end);
  if (!*s || *end || errno || *v < 0 || *v != *v)
    return cli_error(a, CLI_BADINPUT, "--%s: '%s' is not a non-negative number", opt, s);
  return CLI_OK;
}

int cli_chip(const cli_args *a, const tg_engine *e, const char *id, const tg_chip **chip,
             tg_chip **owned) {
  *chip = NULL;
  *owned = NULL;
  const char *spec = cli_get(a, "spec");
  bool any_flag = cli_get(a, "datacenter") || cli_get(a, "item-type");
  for (size_t i = 0; i < sizeof spec_flags / sizeof *spec_flags; i++)
    any_flag |= cli_get(a, spec_flags[i].opt) != NULL;
  if (spec) {
    size_t len;
    char *text = cli_read_file(spec, &len);
    if (!text) return cli_error(a, CLI_BADINPUT, "--spec: cannot read '%s': %s", spec, strerror(errno));
    tg_error err = {0};
    tg_status st = tg_chip_from_spec(text, len, spec, owned, &err);
    free(text);
    if (st != TG_OK) return cli_fail(a, st, &err);
  } else if (any_flag) {
    tg_status st = tg_chip_create(id ? id : "user-spec", owned);
    if (st != TG_OK) return cli_error(a, CLI_FAILED, "%s", tg_strerror(st));
  } else {
    if (!id) return cli_error(a, CLI_BADINPUT, "name a chip (see 'tollgate chips') or give --spec FILE");
    *chip = tg_catalog_find(e, id);
    if (!*chip) {
      char *s = tg_catalog_suggest(e, id);
      int rc = cli_error(a, CLI_BADINPUT, "unknown chip '%s'%s%s%s", id, s && *s ? " (did you mean: " : "",
                         s && *s ? s : "", s && *s ? "?)" : "");
      tg_free(s);
      return rc;
    }
    return CLI_OK;
  }
  /* flags add to (or override) a spec file */
  for (size_t i = 0; i < sizeof spec_flags / sizeof *spec_flags; i++) {
    const char *v = cli_get(a, spec_flags[i].opt);
    double d;
    if (!v) continue;
    int rc = parse_nonneg(a, spec_flags[i].opt, v, &d);
    if (rc) goto fail;
    tg_chip_set_number(*owned, spec_flags[i].field, d, "user");
  }
  const char *dc = cli_get(a, "datacenter");
  if (dc) {
    bool yes = !strcmp(dc, "yes") || !strcmp(dc, "true");
    if (!yes && strcmp(dc, "no") && strcmp(dc, "false")) {
      cli_error(a, CLI_BADINPUT, "--datacenter: expected yes or no, got '%s'", dc);
      goto fail;
    }
    tg_chip_set_number(*owned, "datacenter", yes ? 1 : 0, "user");
  }
  const char *it = cli_get(a, "item-type");
  if (it && tg_chip_set_text(*owned, "item_type", it) != TG_OK) {
    cli_error(a, CLI_BADINPUT, "--item-type: expected ic, assembly, computer or hbm, got '%s'", it);
    goto fail;
  }
  *chip = *owned;
  return CLI_OK;
fail:
  tg_chip_destroy(*owned);
  *owned = NULL;
  return CLI_BADINPUT;
}

int cli_parse_int64(const cli_args *a, const char *opt, long long *out) {
  const char *s = cli_get(a, opt);
  if (!s) return CLI_OK;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (!*s || *end || errno) return cli_error(a, CLI_BADINPUT, "--%s: '%s' is not a whole number", opt, s);
  if (v < 0) return cli_error(a, CLI_BADINPUT, "--%s: must not be negative (got %s)", opt, s);
  *out = v;
  return CLI_OK;
}

long long cli_usd_cents(const char *s) {
  long long whole = 0, frac = 0;
  int fd = 0;
  const char *p = s;
  if (*p < '0' || *p > '9') return -1;
  while (*p >= '0' && *p <= '9') {
    whole = whole * 10 + (*p++ - '0');
    if (whole > 1000000000000LL) return -1;
  }
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9' && fd < 2) {
      frac = frac * 10 + (*p++ - '0');
      fd++;
    }
  }
  if (*p) return -1;
  if (fd == 1) frac *= 10;
  return whole * 100 + frac;
}

int cli_order_facts(const cli_args *a, tg_order *o) {
  o->end_use = cli_get(a, "end-use");
  o->made_in = cli_get(a, "made-in");
  o->direct_product = cli_get(a, "direct-product");
  const char *s = cli_get(a, "us-content");
  if (s) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end == '%') end++;
    if (end == s || *end || errno || !(v >= 0 && v <= 100))
      return cli_error(a, CLI_BADINPUT,
                       "--us-content: '%s' is not a percentage of the item's value (0-100)", s);
    o->us_content_pct = v;
  }
  return CLI_OK;
}

int cli_ownership(const cli_args *a, const tg_engine *e, tg_ownership **out) {
  *out = NULL;
  tg_error err = {0};
  tg_status st;
  const char *path = cli_get(a, "ownership");
  if (!path) { /* the records of 'tollgate ownership import', when stored */
    const char *db = cli_db_path(a);
    struct stat stb;
    if (stat(db, &stb) != 0) return CLI_OK;
    tg_store *s;
    st = tg_store_open(e, db, &s, &err);
    if (st == TG_OK) st = tg_ownership_load(s, out, &err);
    tg_store_close(s);
    return st == TG_OK ? CLI_OK : cli_fail(a, st, &err);
  }
  size_t len;
  char *text = cli_read_file(path, &len);
  if (!text) return cli_error(a, CLI_BADINPUT, "--ownership: cannot read '%s': %s", path, strerror(errno));
  st = tg_ownership_parse(text, len, path, out, &err);
  free(text);
  if (st != TG_OK) return cli_fail(a, st, &err);
  return CLI_OK;
}

int cli_parse_usd(const cli_args *a, const char *opt, long long *cents) {
  const char *s = cli_get(a, opt);
  if (!s) return CLI_OK;
  if (*s == '-') return cli_error(a, CLI_BADINPUT, "--%s: must not be negative (got %s)", opt, s);
  long long v = cli_usd_cents(s);
  if (v < 0)
    return cli_error(a, CLI_BADINPUT, "--%s: '%s' is not an amount in USD (e.g. 12000 or 12000.50)", opt, s);
  *cents = v;
  return CLI_OK;
}

static bool parse_threshold(const char *v, double *out) {
  char *end;
  errno = 0;
  double x = strtod(v, &end);
  if (!*v || *end || errno || !(x > 0 && x <= 1)) return false;
  *out = x;
  return true;
}

int cli_threshold(const cli_args *a, double *out) {
  *out = TG_SCREEN_THRESHOLD;
  const char *env = getenv("TG_SCREEN_THRESHOLD");
  if (env && *env && !parse_threshold(env, out))
    return cli_error(a, CLI_BADINPUT, "$TG_SCREEN_THRESHOLD: expected a number in (0, 1], got '%s'", env);
  const char *names[] = {"min-score", "threshold"};
  for (int i = 0; i < 2; i++) {
    const char *v = cli_get(a, names[i]);
    if (v && !parse_threshold(v, out))
      return cli_error(a, CLI_BADINPUT, "--%s: expected a number in (0, 1], got '%s'", names[i], v);
  }
  return CLI_OK;
}

int cli_list_max_age(void) {
  const char *env = getenv("TG_LIST_MAX_AGE");
  long v = env ? strtol(env, NULL, 10) : 0;
  return v > 0 && v < 100000 ? (int)v : 30;
}

void cli_thousands_str(const char *amount, char *out, size_t n) {
  if (!n) return;
  const char *p = amount ? amount : "";
  size_t o = 0;
  if (*p == '-' && o + 1 < n) out[o++] = *p++;
  size_t digits = strspn(p, "0123456789");
  for (size_t i = 0; i < digits && o + 1 < n; i++) {
    if (i && (digits - i) % 3 == 0 && o + 2 < n) out[o++] = ',';
    out[o++] = p[i];
  }
  for (p += digits; *p && o + 1 < n; p++) out[o++] = *p;
  out[o] = '\0';
}

void cli_thousands(long long v, char *out, size_t n) {
  char raw[32];
  snprintf(raw, sizeof raw, "%lld", v);
  cli_thousands_str(raw, out, n);
}
