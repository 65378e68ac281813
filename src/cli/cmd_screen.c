/* cmd_screen.c - the screening commands: `lists` (show, import), `screen`
 * (one name, or a CSV file of names with --batch), `match` (two names),
 * and the screener `check` uses for its parties. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ---- screeners ---------------------------------------------------------- */

/* Where built screening indexes are kept between calls (issue 9: a call
 * then loads the index instead of building it): $TOLLGATE_CACHE_DIR, or
 * $XDG_CACHE_HOME/tollgate, or ~/.cache/tollgate, made when missing;
 * TOLLGATE_CACHE_DIR set empty: none. */
static bool cache_dir(char *out, size_t cap) {
  const char *own = getenv("TOLLGATE_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"),
             *home = getenv("HOME");
  if (own) snprintf(out, cap, "%s", own);
  else if (xdg && xdg[0]) snprintf(out, cap, "%s/tollgate", xdg);
  else if (home && home[0]) snprintf(out, cap, "%s/.cache/tollgate", home);
  else return false;
  if (!out[0]) return false;
  for (char *p = out + 1; *p; p++) { /* mkdir -p */
    if (*p != '/') continue;
    *p = '\0';
    mkdir(out, 0755);
    *p = '/';
  }
  mkdir(out, 0755);
  struct stat sb;
  return stat(out, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Builds a screener from --list FILE options, or from the store's lists.
 * With no lists anywhere *out stays NULL (and `required` makes that an
 * error). */
static int open_screener(const cli_args *a, const tg_engine *e, bool required, tg_screener **out) {
  *out = NULL;
  const char *files[CLI_MAX_OPTS];
  int nfiles = cli_get_all(a, "list", files, CLI_MAX_OPTS);
  const char *db = cli_db_path(a);
  /* a database file that exists, or a PostgreSQL server (whose URL is no
   * file: its lists were not read before) */
  struct stat stb;
  bool pg = !strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11);
  bool have_db = pg || stat(!strncmp(db, "sqlite:", 7) ? db + 7 : db, &stb) == 0;
  if (!nfiles && !have_db) {
    if (required)
      return cli_error(a, CLI_BADINPUT, "no screening lists are loaded (no database '%s'); run "
                       "'tollgate lists import FILE...' or pass --list FILE", db);
    return CLI_OK;
  }
  tg_error err = {0};
  tg_screener *sc;
  tg_status st = tg_screener_create(e, &sc, &err);
  if (st != TG_OK) return cli_fail(a, st, &err);
  char cache[4096];
  if (cache_dir(cache, sizeof cache)) tg_screener_set_cache(sc, cache, NULL);
  if (nfiles) {
    st = tg_screener_load_files(sc, files, (size_t)nfiles, &err);
  } else {
    tg_store *s;
    st = tg_store_open(e, db, &s, &err);
    if (st == TG_OK) st = tg_screener_load_store(sc, s, &err);
    tg_store_close(s);
  }
  if (st != TG_OK) {
    tg_screener_destroy(sc);
    return cli_fail(a, st, &err);
  }
  if (!tg_screener_entries(sc) && required) {
    tg_screener_destroy(sc);
    return cli_error(a, CLI_BADINPUT, "no screening lists are loaded; run 'tollgate lists import "
                     "FILE...' or pass --list FILE");
  }
  *out = sc;
  return CLI_OK;
}

int cli_screener(const cli_args *a, const tg_engine *e, tg_screener **out) {
  return open_screener(a, e, false, out);
}

/* ---- lists ----------------------------------------------------------------- */

static void print_lists(const char *js) {
  json_t *arr = json_loads(js, 0, NULL);
  size_t i;
  json_t *l;
  if (!json_array_size(arr)) printf("No screening lists are loaded ('tollgate lists import FILE...').\n");
  json_array_foreach(arr, i, l) {
    json_t *pub = json_object_get(l, "published");
    printf("%-4s %s: %lld entries, published %s, imported %s\n     files: %s\n",
           json_string_value(json_object_get(l, "kind")), json_string_value(json_object_get(l, "title")),
           (long long)json_integer_value(json_object_get(l, "entries")),
           json_is_string(pub) ? json_string_value(pub) : "(not stated)",
           json_string_value(json_object_get(l, "imported_at")),
           json_string_value(json_object_get(l, "files")));
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(l, "by_list"), k, v)
      printf("     %6lld  %s\n", (long long)json_integer_value(v), k);
  }
  json_decref(arr);
}

int cmd_lists(int argc, char **argv) {
  static const cli_optdef defs[] = {CLI_THRESHOLD_OPTS, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "lists", argc, argv, defs)) return CLI_BADINPUT;
  bool import = a.npos && !strcmp(a.pos[0], "import");
  if (a.npos && !import) return cli_error(&a, CLI_BADINPUT, "unknown subcommand '%s' (lists, lists import FILE...)", a.pos[0]);
  if (import && a.npos < 2) return cli_error(&a, CLI_BADINPUT, "lists import needs at least one FILE");
  tg_engine *e;
  tg_store *s;
  int rc = cli_store(&a, &e, &s);
  if (rc) return rc;
  if (import) {
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char *sum = NULL;
    tg_error err = {0};
    tg_status st = tg_lists_import(s, a.pos + 1, (size_t)(a.npos - 1), now, cli_actor(), &sum, &err);
    if (st != TG_OK) {
      rc = cli_fail(&a, st, &err);
    } else if (cli_flag(&a, "json")) {
      printf("%s\n", sum);
    } else {
      json_t *arr = json_loads(sum, 0, NULL);
      size_t i;
      json_t *l;
      json_array_foreach(arr, i, l)
        printf("imported %s (%s): %lld entries from %s%s\n",
               json_string_value(json_object_get(l, "title")), json_string_value(json_object_get(l, "kind")),
               (long long)json_integer_value(json_object_get(l, "entries")),
               json_string_value(json_object_get(l, "files")),
               json_is_true(json_object_get(l, "replaced")) ? " (replaces the previous list)" : "");
      json_decref(arr);
    }
    tg_free(sum);
    if (st == TG_OK) rc = cli_rescreen(&a, e, s);
  } else {
    char *js = tg_lists_json(s);
    if (!js) rc = cli_error(&a, CLI_FAILED, "cannot read the stored lists");
    else if (cli_flag(&a, "json")) printf("%s\n", js);
    else print_lists(js);
    tg_free(js);
  }
  tg_store_close(s);
  tg_engine_close(e);
  return rc;
}

/* ---- screen ------------------------------------------------------------------ */

static const char *jstr(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

/* Prints a library result: the error, the JSON (--json) or, through
 * `human`, text; frees js.  Returns the exit status. */
static int emit(const cli_args *a, tg_status st, const tg_error *err, char *js,
                void (*human)(const cli_args *, json_t *)) {
  int rc = CLI_OK;
  if (st != TG_OK) {
    rc = cli_fail(a, st, err);
  } else if (cli_flag(a, "json")) {
    printf("%s\n", js);
  } else {
    json_t *r = json_loads(js, 0, NULL);
    human(a, r);
    json_decref(r);
  }
  tg_free(js);
  return rc;
}

void cli_print_screening(const json_t *ev) {
  size_t i;
  json_t *l;
  json_array_foreach(json_object_get(ev, "lists"), i, l) {
    char n[32];
    cli_thousands(json_integer_value(json_object_get(l, "entries")), n, sizeof n);
    json_t *pub = json_object_get(l, "published");
    printf("searched: %s (%s), published %s, %s entries\n", jstr(l, "title"), jstr(l, "kind"),
           json_is_string(pub) ? json_string_value(pub) : "(date not stated)", n);
  }
}

/* The lists an answer searched, and its warnings (stale lists). */
static void print_evidence(json_t *r) {
  cli_print_screening(json_object_get(r, "screening"));
  size_t i;
  json_t *l;
  json_array_foreach(json_object_get(r, "warnings"), i, l) printf("Warning: %s\n", jstr(l, "text"));
}

static void print_hits(const cli_args *a, json_t *r) {
  const char *name = a->pos[0];
  json_t *hits = json_object_get(r, "hits");
  printf("%s: %zu hit%s at or above %.2f among %lld entries\n", name, json_array_size(hits),
         json_array_size(hits) == 1 ? "" : "s", json_real_value(json_object_get(r, "threshold")),
         (long long)json_integer_value(json_object_get(r, "entries_screened")));
  print_evidence(r);
  if (json_integer_value(json_object_get(r, "hits_cleared")))
    printf("%lld of them cleared as false positives for this party, %lld open\n",
           (long long)json_integer_value(json_object_get(r, "hits_cleared")),
           (long long)json_integer_value(json_object_get(r, "hits_open")));
  size_t i, k;
  json_t *h, *t;
  json_array_foreach(hits, i, h) {
    printf("%2zu. %.3f  %s\n    entry: %s\n", i + 1, json_real_value(json_object_get(h, "score")),
           jstr(h, "list"), jstr(h, "name"));
    if (json_is_object(json_object_get(h, "cleared"))) cli_print_clearance(json_object_get(h, "cleared"), "    ");
    if (strcmp(jstr(h, "name"), jstr(h, "matched_name")) != 0) printf("    matched name: %s\n", jstr(h, "matched_name"));
    if (json_is_object(json_object_get(h, "weak_alias")))
      printf("    weak alias: %s\n", jstr(json_object_get(h, "weak_alias"), "why"));
    if (json_is_object(json_object_get(h, "common_name")))
      printf("    common name: %s\n", jstr(json_object_get(h, "common_name"), "why"));
    if (json_is_object(json_object_get(h, "common_alias")))
      printf("    common alias: %s\n", jstr(json_object_get(h, "common_alias"), "why"));
    if (json_is_object(json_object_get(h, "relative")))
      printf("    relative: %s\n", jstr(json_object_get(h, "relative"), "why"));
    if (json_is_object(json_object_get(h, "generic_place")))
      printf("    common words, place left out: %s\n", jstr(json_object_get(h, "generic_place"), "why"));
    printf("    tokens:");
    json_array_foreach(json_object_get(h, "tokens"), k, t)
      printf(" %s=%s (%.2f)", jstr(t, "query"), jstr(t, "entry"), json_real_value(json_object_get(t, "score")));
    json_array_foreach(json_object_get(h, "unmatched_query"), k, t) printf(" [%s unmatched]", json_string_value(t));
    printf("\n");
    if (*jstr(h, "license_requirement")) printf("    license requirement: %s\n", jstr(h, "license_requirement"));
    if (*jstr(h, "license_policy") || *jstr(h, "policy"))
      printf("    license policy: %s (%s)\n", *jstr(h, "license_policy") ? jstr(h, "license_policy") : "not stated",
             *jstr(h, "policy") ? jstr(h, "policy") : "no review policy");
    if (*jstr(h, "federal_register_notice")) printf("    Federal Register: %s\n", jstr(h, "federal_register_notice"));
  }
  long long more = (long long)json_integer_value(json_object_get(r, "hits_total")) - (long long)json_array_size(hits);
  if (more > 0)
    printf("... and %lld%s more hit%s at or above %.2f not shown (--limit N shows more)\n", more,
           json_is_true(json_object_get(r, "hits_total_is_lower_bound")) ? " or" : "", more == 1 ? "" : "s",
           json_real_value(json_object_get(r, "threshold")));
}


/* The index of column `want` in the header, or -1. */
static int find_col(char **fld, int n, const char *want) {
  for (int i = 0; i < n; i++)
    if (!strcasecmp(fld[i], want)) return i;
  return -1;
}

/* --name-column etc.: the named column, or the default when present;
 * refuses (2) when a named column is missing, quoting the header seen. */
static int pick_col(const cli_args *a, const char *opt, const char *dflt, bool required, char **fld,
                    int n, const char *header, int *out) {
  const char *want = cli_get(a, opt);
  *out = find_col(fld, n, want ? want : dflt);
  if (*out < 0 && (want || required))
    return cli_error(a, CLI_BADINPUT,
                     "--batch: no column '%s' in the header '%s'; name the column with --%s "
                     "(the first line must be a header)",
                     want ? want : dflt, header, opt);
  return CLI_OK;
}

static void progress(long row, long total, long matched) {
  int w = total > 0 ? (int)(40 * row / total) : 40;
  fprintf(stderr, "\r[%-40.*s] %ld/%ld names, %ld with hits", w > 40 ? 40 : w,
          "########################################", row, total, matched);
}

static void batch_row(long row, const char *id, const char *name, const char *cc, json_t *h) {
  printf("%ld,", row);
  cli_csv_out(id);
  putchar(',');
  cli_csv_out(name);
  printf(",%s,%s,%.3f,", cc ? cc : "", h ? "yes" : "no", h ? json_real_value(json_object_get(h, "score")) : 0.0);
  const char *keys[] = {"list", "name", "matched_name", "policy", "federal_register_notice"};
  for (int k = 0; k < 5; k++) {
    cli_csv_out(h ? jstr(h, keys[k]) : "");
    putchar(',');
  }
  json_t *c = json_object_get(h, "cleared"); /* the clearance's id when cleared for this party */
  if (json_is_object(c)) printf("%lld", (long long)json_integer_value(json_object_get(c, "id")));
  putchar('\n');
}

/* A batch run's counts. */
typedef struct batch_sum {
  long row, matched, hits, cleared, errors;
} batch_sum;

/* One name of a batch: screened, its hits marked cleared when `s` (the
 * store whose lists they are), printed as CSV rows or one JSON line. */
static void batch_one(const cli_args *a, const tg_screener *sc, tg_store *s, const tg_screen_options *opt,
                      const char *id, const char *name, json_t **evidence, batch_sum *sum) {
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_screen(sc, name, opt, &js, &err);
  if (st == TG_OK && s) {
    char *marked = NULL;
    st = tg_screen_decided(s, js, NULL, &marked, &err);
    tg_free(js);
    js = marked;
  }
  json_t *r = st == TG_OK ? json_loads(js, 0, NULL) : NULL;
  tg_free(js);
  if (!r) {
    fprintf(stderr, "tollgate screen: %s:%ld: %s\n", cli_get(a, "batch"), sum->row + 1,
            err.message[0] ? err.message : "out of memory");
    sum->errors++;
    return;
  }
  json_t *hits = json_object_get(r, "hits");
  sum->matched += json_array_size(hits) > 0;
  sum->hits += (long)json_array_size(hits);
  sum->cleared += (long)json_integer_value(json_object_get(r, "hits_cleared"));
  if (!*evidence) *evidence = json_incref(json_object_get(r, "screening"));
  if (cli_flag(a, "json")) {
    json_object_set_new(r, "row", json_integer(sum->row));
    if (*id) json_object_set_new(r, "id", json_string(id));
    char *t = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    if (t) printf("%s\n", t);
    free(t);
  } else if (!json_array_size(hits)) {
    batch_row(sum->row, id, name, opt->country, NULL);
  } else {
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h) batch_row(sum->row, id, name, opt->country, h);
  }
  json_decref(r);
}

/* The run in the audit trail: who screened which file, how many rows and
 * hits, how many cleared, against which lists ("screening.batch"). */
static int batch_audit(const cli_args *a, tg_store *s, const char *path, const batch_sum *sum,
                       const tg_screen_options *opt, json_t *evidence) {
  json_t *lists = json_array(), *l;
  size_t i;
  json_array_foreach(json_object_get(evidence, "lists"), i, l)
    json_array_append_new(lists, json_pack("{s:O,s:O}", "title", json_object_get(l, "title"), "published",
                                           json_object_get(l, "published")));
  json_t *c = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:o}", "file", path, "rows", (json_int_t)sum->row,
                        "with_hits", (json_int_t)sum->matched, "hits", (json_int_t)sum->hits, "cleared",
                        (json_int_t)sum->cleared, "open", (json_int_t)(sum->hits - sum->cleared), "unreadable",
                        (json_int_t)sum->errors, "threshold", opt->min_score, "lists", lists);
  char *content = c ? json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS) : NULL, subject[600];
  json_decref(c);
  snprintf(subject, sizeof subject, "file:%s", path);
  tg_error err = {0};
  tg_status st = content ? tg_audit_append(s, cli_actor(), "screening.batch", subject, content, &err) : TG_ENOMEM;
  free(content);
  if (st == TG_ENOMEM && !err.message[0]) return cli_error(a, CLI_FAILED, "out of memory");
  return st == TG_OK ? CLI_OK : cli_fail(a, st, &err);
}

/* --batch FILE: a CSV with a header; every hit at or above the threshold
 * gets a row (CSV), or each name one JSON line; against the stored lists
 * (`s`) hits already cleared for the party are marked and the run goes
 * into the audit trail; a summary ends the run.  Lines of any length. */
static int screen_batch(const cli_args *a, const tg_screener *sc, tg_store *s, const char *path,
                        tg_screen_options *opt) {
  FILE *f = fopen(path, "r");
  if (!f) return cli_error(a, CLI_BADINPUT, "--batch: cannot read '%s': %s", path, strerror(errno));
  long total = 0;
  int c;
  while ((c = fgetc(f)) != EOF) total += c == '\n';
  rewind(f);
  bool tty = isatty(STDERR_FILENO);
  char *line = NULL, *header = NULL;
  size_t cap = 0;
  char *fld[64];
  int name_col = -1, country_col = -1, id_col = -1, rc = CLI_OK;
  batch_sum sum = {0};
  if (getline(&line, &cap, f) > 0) {
    header = strndup(line, strcspn(line, "\r\n"));
    int n = cli_csv_fields(line, fld, 64);
    if (!header) rc = cli_error(a, CLI_FAILED, "out of memory");
    else if (!(rc = pick_col(a, "name-column", "name", true, fld, n, header, &name_col)) &&
             !(rc = pick_col(a, "country-column", "country", false, fld, n, header, &country_col)))
      rc = pick_col(a, "id-column", "id", false, fld, n, header, &id_col);
  } else {
    rc = cli_error(a, CLI_BADINPUT, "--batch: '%s' is empty (expected a header line)", path);
  }
  free(header);
  if (rc) {
    free(line);
    fclose(f);
    return rc;
  }
  total = total > 0 ? total - 1 : 0;
  opt->limit = 64; /* every hit at or above the threshold */
  if (!cli_flag(a, "json"))
    printf("row,id,name,country,match,score,list,entry,matched_name,policy,federal_register_notice,cleared\n");
  json_t *evidence = NULL;
  while (getline(&line, &cap, f) > 0) {
    sum.row++;
    int n = cli_csv_fields(line, fld, 64);
    const char *name = name_col < n ? fld[name_col] : "";
    opt->country = country_col >= 0 && country_col < n && *fld[country_col] ? fld[country_col] : NULL;
    const char *id = id_col >= 0 && id_col < n ? fld[id_col] : "";
    if (*name) batch_one(a, sc, s, opt, id, name, &evidence, &sum);
    if (tty && (sum.row % 50 == 0 || sum.row == total)) progress(sum.row, total, sum.matched);
  }
  free(line);
  if (tty) fprintf(stderr, "\n");
  fclose(f);
  char rows[32], m[32], h[32], cl[32];
  cli_thousands(sum.row, rows, sizeof rows);
  cli_thousands(sum.matched, m, sizeof m);
  cli_thousands(sum.hits, h, sizeof h);
  cli_thousands(sum.cleared, cl, sizeof cl);
  fprintf(stderr, "screened %s name%s: %s with hits (%s hit%s at or above %.2f", rows, sum.row == 1 ? "" : "s", m,
          h, sum.hits == 1 ? "" : "s", opt->min_score);
  if (s) fprintf(stderr, "; %s already cleared, %ld open", cl, sum.hits - sum.cleared);
  fprintf(stderr, "), %ld unreadable; lists:", sum.errors);
  size_t i;
  json_t *l;
  json_array_foreach(json_object_get(evidence, "lists"), i, l) {
    json_t *pub = json_object_get(l, "published");
    fprintf(stderr, "%s %s of %s", i ? ";" : "", jstr(l, "title"),
            json_is_string(pub) ? json_string_value(pub) : "no stated date");
  }
  fprintf(stderr, "%s\n", json_array_size(json_object_get(evidence, "lists")) ? "" : " none");
  rc = s ? batch_audit(a, s, path, &sum, opt, evidence) : CLI_OK;
  json_decref(evidence);
  return rc ? rc : sum.errors ? CLI_BADINPUT : CLI_OK;
}

/* Screening against the stored lists: marks the hits cleared for this
 * party and records the run in the audit trail (with its actor). */
static tg_status decide(const cli_args *a, const tg_engine *e, char **js, tg_error *err) {
  tg_store *s;
  tg_status st = tg_store_open(e, cli_db_path(a), &s, err);
  char *marked = NULL;
  if (st == TG_OK) st = tg_screen_decided(s, *js, cli_actor(), &marked, err);
  tg_store_close(s);
  tg_free(*js);
  *js = marked;
  return st;
}

int cmd_screen(int argc, char **argv) {
  static const cli_optdef defs[] = {{"country", true},     {"batch", true},          {"limit", true},
                                    CLI_THRESHOLD_OPTS,    {"list", true},           {"name-column", true},
                                    {"country-column", true}, {"id-column", true},   {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "screen", argc, argv, defs)) return CLI_BADINPUT;
  const char *batch = cli_get(&a, "batch");
  if (!batch && a.npos != 1) return cli_error(&a, CLI_BADINPUT, "screen takes one NAME (quote it) or --batch FILE.csv");
  if (batch && a.npos) return cli_error(&a, CLI_BADINPUT, "give a NAME or --batch FILE, not both");
  tg_screen_options opt;
  tg_screen_options_init(&opt);
  opt.country = cli_get(&a, "country");
  const char *v;
  char *end;
  if ((v = cli_get(&a, "limit")) && ((opt.limit = (int)strtol(v, &end, 10)) <= 0 || *end))
    return cli_error(&a, CLI_BADINPUT, "--limit: expected a positive whole number, got '%s'", v);
  int trc = cli_threshold(&a, &opt.min_score);
  if (trc) return trc;
  opt.as_of = cli_today();
  opt.list_max_age_days = cli_list_max_age();
  tg_engine *e;
  int rc = cli_engine(&a, &e);
  if (rc) return rc;
  tg_screener *sc = NULL;
  if ((rc = open_screener(&a, e, true, &sc))) goto out;
  if (batch) {
    /* against the stored lists: cleared hits marked, the run audited */
    tg_store *s = NULL;
    tg_error err = {0};
    tg_status st = cli_get(&a, "list") ? TG_OK : tg_store_open(e, cli_db_path(&a), &s, &err);
    rc = st == TG_OK ? screen_batch(&a, sc, s, batch, &opt) : cli_fail(&a, st, &err);
    tg_store_close(s);
    goto out;
  }
  char *js = NULL;
  tg_error err = {0};
  tg_status st = tg_screen(sc, a.pos[0], &opt, &js, &err);
  if (st == TG_OK && !cli_get(&a, "list")) st = decide(&a, e, &js, &err);
  rc = emit(&a, st, &err, js, print_hits);
out:
  tg_screener_destroy(sc);
  tg_engine_close(e);
  return rc;
}

/* ---- match --------------------------------------------------------------------- */

static void print_match(const cli_args *a, json_t *r) {
  (void)a;
  printf("score %.3f: %s (threshold %.2f%s)\n", json_real_value(json_object_get(r, "score")),
         json_is_true(json_object_get(r, "match")) ? "match" : "no match",
         json_real_value(json_object_get(r, "threshold")),
         json_is_true(json_object_get(r, "weighted_by_lists"))
             ? ", words weighted by the loaded lists"
             : ", words weighted by the reference table");
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(r, "pairs"), i, p)
    printf("  %s = %s (%.2f)\n", jstr(p, "query"), jstr(p, "entry"), json_real_value(json_object_get(p, "score")));
  json_array_foreach(json_object_get(r, "unmatched1"), i, p) printf("  only in 1: %s\n", json_string_value(p));
  json_array_foreach(json_object_get(r, "unmatched2"), i, p) printf("  only in 2: %s\n", json_string_value(p));
  if (json_is_object(json_object_get(r, "common_name")))
    printf("  common name: %s\n", jstr(json_object_get(r, "common_name"), "why"));
}

int cmd_match(int argc, char **argv) {
  static const cli_optdef defs[] = {{"list", true}, {NULL, false}};
  cli_args a;
  if (!cli_parse(&a, "match", argc, argv, defs)) return CLI_BADINPUT;
  if (a.npos != 2) return cli_error(&a, CLI_BADINPUT, "match takes two names (quote each)");
  tg_engine *e;
  int rc = cli_engine(&a, &e);
  if (rc) return rc;
  tg_screener *sc = NULL;
  tg_error err = {0};
  if ((rc = open_screener(&a, e, false, &sc))) goto out;
  tg_status st = sc ? TG_OK : tg_screener_create(e, &sc, &err);
  char *js = NULL;
  if (st == TG_OK) st = tg_match(sc, a.pos[0], a.pos[1], &js, &err);
  rc = emit(&a, st, &err, js, print_match);
out:
  tg_screener_destroy(sc);
  tg_engine_close(e);
  return rc;
}
