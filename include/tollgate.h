/* tollgate.h - the public API of libtollgate, the export-control engine.
 *
 * Conventions, stated once:
 *  - tg_ is public, tg__ internal non-static, plain names are file-local.
 *  - Fallible calls return tg_status (TG_OK == 0).  Codes never change
 *    meaning; new ones are appended before TG_STATUS_MAX.
 *  - Objects come as create/destroy (open/close) pairs; destroy(NULL) is a
 *    no-op.  A returned `const char *` is borrowed (valid while its owner
 *    lives); a returned `char *` is the caller's and is freed with tg_free().
 *  - Calls that can fail for a reason worth telling take a `tg_error *err`
 *    (may be NULL) that receives the status and a one-line message naming
 *    what was wrong and where (file:line:column for files).
 *  - A verdict is a result, not an error: tg_check() returns TG_OK for an
 *    order that needs a license.
 *  - The library never prints, exits or reads the clock: dates are inputs.
 *  - A tg_engine is immutable once open and may be shared by threads.
 *
 * Tollgate is not legal advice.  Every decision carries the citations and
 * numbers it relied on, and flags facts that are unverified or estimated. */
#ifndef TOLLGATE_H
#define TOLLGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TG_API __attribute__((visibility("default")))
#else
#define TG_API
#endif

#define TG_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Status codes and errors                                             */
/* ------------------------------------------------------------------ */

typedef enum tg_status {
  TG_OK = 0,
  TG_ENOMEM = 1,     /* out of memory */
  TG_EINVAL = 2,     /* a bad argument or input value */
  TG_EPARSE = 3,     /* a malformed file or text */
  TG_ENOTFOUND = 4,  /* no such chip, license, rule set, ... */
  TG_EIO = 5,        /* a file could not be read or written */
  TG_ESTORE = 6,     /* the database failed */
  TG_EVERSION = 7,   /* the database was written by a newer Tollgate */
  TG_EREFUSED = 8,   /* refused by a business rule (e.g. uncovered shipment) */
  TG_ECONFLICT = 9,  /* already exists */
  TG_EDENIED = 10,   /* access denied */
  TG_ETAMPER = 11,   /* stored records do not match their audit chain */
  TG_EBUSY = 12,     /* the database is locked by another writer; retry later */
  TG_STATUS_MAX      /* never returned; add new codes above, never renumber */
} tg_status;

/* The short name of a status ("ok", "nomem", "inval", "parse", ...). */
TG_API const char *tg_status_name(tg_status st);
/* A one-line description of a status. */
TG_API const char *tg_strerror(tg_status st);

/* Detail of a failed call.  `message` is always NUL-terminated. */
typedef struct tg_error {
  tg_status status;
  char message[512];
} tg_error;

/* Frees memory returned by the library as `char *`. */
TG_API void tg_free(void *p);

/* ------------------------------------------------------------------ */
/* Dates: days since 1970-01-01 (proleptic Gregorian)                  */
/* ------------------------------------------------------------------ */

typedef int32_t tg_date;

/* Parses a strict ISO date "YYYY-MM-DD" (a real calendar day, years
 * 1900-2999).  Returns TG_EINVAL for anything else. */
TG_API tg_status tg_date_parse(const char *s, tg_date *out);
/* Writes "YYYY-MM-DD" and a NUL into buf (11 bytes). */
TG_API void tg_date_format(tg_date d, char buf[11]);
TG_API tg_date tg_date_from_ymd(int y, int m, int d);
/* A reporting period: at most one of quarter ("2025Q3"), month
 * ("2025-09"), year ("2025"), or from/until dates (either may be NULL).
 * Sets *from and *until (inclusive) for what is given and leaves them
 * untouched otherwise.  TG_EINVAL with the field named in err. */
TG_API tg_status tg_period_parse(const char *quarter, const char *month,
                                 const char *year, const char *from,
                                 const char *until, tg_date *out_from,
                                 tg_date *out_until, tg_error *err);

/* ------------------------------------------------------------------ */
/* Engine: the catalog, country groups and rule sets of a data dir     */
/* ------------------------------------------------------------------ */

typedef struct tg_engine tg_engine;

/* The data directory compiled in (the source tree's data/). */
TG_API const char *tg_default_data_dir(void);

/* Loads DATA_DIR/catalog/chips.yaml, DATA_DIR/countries.yaml and every
 * DATA_DIR/rules/\*.yaml.  Any malformed file fails the whole open with
 * TG_EPARSE and file:line:column in err.  CONSTRUCTOR: tg_engine. */
TG_API tg_status tg_engine_open(const char *data_dir, tg_engine **out,
                                tg_error *err);
/* DESTRUCTOR: tg_engine. */
TG_API void tg_engine_close(tg_engine *e);
TG_API const char *tg_engine_data_dir(const tg_engine *e);

/* Countries.  Codes are ISO 3166-1 alpha-2 ("CN", "MO", "HK").  Returns
 * TG_OK and the code the EAR applies (HK -> CN) in canon (3 bytes), or
 * TG_EINVAL for an unknown code. */
TG_API tg_status tg_country_canonical(const tg_engine *e, const char *code,
                                      char canon[3]);
TG_API const char *tg_country_name(const tg_engine *e, const char *code);
/* Every country as a JSON array of {code, name, ear} (ear: the code the
 * EAR applies, "HK" -> "CN"), by code, for pickers; caller frees. */
TG_API char *tg_countries_json(const tg_engine *e);
/* 1 if the country is in group ("D:5", "A:6", ...), else 0. */
TG_API int tg_country_in_group(const tg_engine *e, const char *code,
                               const char *group);

/* ------------------------------------------------------------------ */
/* Chips: the catalog and user specs                                   */
/* ------------------------------------------------------------------ */

typedef struct tg_chip tg_chip;

TG_API size_t tg_catalog_count(const tg_engine *e);
/* Borrowed; NULL when i is out of range. */
TG_API const tg_chip *tg_catalog_at(const tg_engine *e, size_t i);
/* Borrowed; NULL when no chip has this id. */
TG_API const tg_chip *tg_catalog_find(const tg_engine *e, const char *id);
/* Up to three catalog ids nearest to `id`, comma-separated; caller frees. */
TG_API char *tg_catalog_suggest(const tg_engine *e, const char *id);

/* Reads a chip spec (YAML, the same fields as a catalog entry; see
 * docs/SPEC.md).  `origin` names the text in messages (a file name).
 * CONSTRUCTOR: tg_chip (user chips only). */
TG_API tg_status tg_chip_from_spec(const char *text, size_t len,
                                   const char *origin, tg_chip **out,
                                   tg_error *err);
/* Reads a user's catalog file: the catalog's format (a mapping with a
 * `chips:` list of entries), a list of specs, or one spec.  *out holds
 * *n user chips; free with tg_chips_destroy.  TG_EPARSE with file:line. */
TG_API tg_status tg_chips_parse(const char *text, size_t len, const char *origin,
                                tg_chip ***out, size_t *n, tg_error *err);
TG_API void tg_chips_destroy(tg_chip **chips, size_t n);
/* An empty user chip to fill with tg_chip_set_*.  CONSTRUCTOR: tg_chip. */
TG_API tg_status tg_chip_create(const char *id, tg_chip **out);
/* Sets a spec field (e.g. "fp16_tflops", "die_area_mm2", "memory_bw_gbs",
 * "interconnect_gbs", "datacenter") with a confidence ("vendor",
 * "secondary", "estimate", "unverified"; NULL = "user").  TG_EINVAL for an
 * unknown field. */
TG_API tg_status tg_chip_set_number(tg_chip *c, const char *field, double v,
                                    const char *confidence);
TG_API tg_status tg_chip_set_text(tg_chip *c, const char *field,
                                  const char *v);
/* DESTRUCTOR: tg_chip (user chips only; never catalog chips). */
TG_API void tg_chip_destroy(tg_chip *c);

TG_API const char *tg_chip_id(const tg_chip *c);
TG_API const char *tg_chip_name(const tg_chip *c);
TG_API const char *tg_chip_vendor(const tg_chip *c);
/* A derived metric: "tpp", "pd", "memory_bw_gbs", "io_bw_gbs",
 * "hbm_density", "peak_tops", "die_area_mm2", "datacenter" (1/0).
 * Returns 1 and sets *v when known, 0 when unknown, -1 for no such metric. */
TG_API int tg_chip_metric(const tg_chip *c, const char *metric, double *v);
/* The range a metric is known to lie in: *lo and *hi (hi may be
 * INFINITY).  Returns 1 when exact, 0 when only bounded or unknown, -1 for
 * no such metric. */
TG_API int tg_chip_metric_range(const tg_chip *c, const char *metric,
                                double *lo, double *hi);
/* The chip with its spec values, sources, confidences and metrics as a
 * JSON object; caller frees. */
TG_API char *tg_chip_json(const tg_chip *c);

/* ------------------------------------------------------------------ */
/* Classification and determination                                    */
/* ------------------------------------------------------------------ */

typedef enum tg_verdict {
  TG_NO_LICENSE_REQUIRED = 0,
  TG_LICENSE_EXCEPTION = 1,
  TG_LICENSE_REQUIRED = 2
} tg_verdict;

/* "no_license_required", "license_exception", "license_required". */
TG_API const char *tg_verdict_name(tg_verdict v);

/* One order.  Fill with tg_order_init() then set what you know. */
/* Who owns whom, for the Affiliates Rule (90 FR 47201): records of an
 * ownership file (CSV with the header party,owner,percent,source,date:
 * `owner` holds `percent` of `party`, per `source`, as of `date`).
 * Immutable once parsed; one may serve many orders. */
typedef struct tg_ownership tg_ownership;

/* Parses an ownership file.  TG_EPARSE naming origin:line and the field
 * for a bad record (a percent outside 0-100, a date that is not
 * YYYY-MM-DD, an empty party, owner or source).  CONSTRUCTOR. */
TG_API tg_status tg_ownership_parse(const char *text, size_t len, const char *origin,
                                    tg_ownership **out, tg_error *err);
/* DESTRUCTOR: tg_ownership. */
TG_API void tg_ownership_destroy(tg_ownership *o);
/* The number of records. */
TG_API size_t tg_ownership_count(const tg_ownership *o);

typedef struct tg_order {
  const tg_chip *chip;        /* required */
  tg_date on;                 /* required: the date of export */
  const char *dest;           /* required: ISO alpha-2 destination */
  const char *hq;             /* end user's headquarters (or its ultimate
                                 parent's); NULL = unknown */
  const char *origin;         /* exporting country; NULL = "US" */
  int64_t qty;                /* units; default 1 */
  int64_t unit_price_cents;   /* USD cents; -1 = unknown */
  const char *end_user;       /* party names, for screening; may be NULL */
  const char *purchaser;
  const char *consignee;
  const struct tg_screener *screener; /* NULL = parties not screened */
  double screen_threshold;    /* hits score at least this; 0 =
                                 TG_SCREEN_THRESHOLD */
  tg_date lists_as_of;        /* today, for the lists' age; 0 = `on` */
  int list_max_age_days;      /* a list older than this is stale; 0 = 30 */
  const char *attestations;   /* the exporter's certifications, comma-
                                 separated (TG_ATTESTATIONS names; "none"
                                 = none made); NULL = not stated */
  /* The facts that decide whether a foreign-made item is subject to the
   * EAR and whether an end-use control applies (NULL / < 0 = unknown):  */
  const char *end_use;        /* what the exporter knows of the end use:
                                 "none", "supercomputer", "advanced_ic",
                                 "military", "military_end_user" */
  const char *made_in;        /* country where the item was produced */
  double us_content_pct;      /* US-origin controlled content, percent of
                                 the item's value; -1 = unknown */
  const char *direct_product; /* "technology" (direct product of US
                                 technology or software), "plant" (made by
                                 a plant that is), "none" */
  const tg_ownership *ownership; /* owners of the parties; NULL = unknown */
  const struct tg_cleared *cleared; /* hits cleared as false positives
                                 (tg_cleared_load); NULL = none */
} tg_order;

/* The certifications an order may state (91 FR 1684 prerequisites of the
 * January 2026 case-by-case policy): X(name, fact, meaning). */
#define TG_ATTESTATIONS(X)                                                              \
  X("us-available", attest_us_available,                                               \
    "the product was commercially available in the US on 2026-01-15")                  \
  X("us-supply", attest_us_supply, "there is sufficient supply of the product in the US") \
  X("foundry", attest_foundry,                                                          \
    "production for China does not divert global foundry capacity from US end users")   \
  X("security", attest_security, "the recipient has demonstrated sufficient security procedures") \
  X("testing", attest_testing,                                                          \
    "the item undergoes independent third-party testing in the US")

TG_API void tg_order_init(tg_order *o);

typedef struct tg_result tg_result;

/* Classifies a chip on a date.  CONSTRUCTOR: tg_result. */
TG_API tg_status tg_classify(const tg_engine *e, const tg_chip *c, tg_date on,
                             tg_result **out, tg_error *err);
/* Determines the license requirement of an order.  TG_EINVAL (with err)
 * for a bad order: no chip, unknown country, negative quantity or price,
 * a value (quantity x unit price) or a fee amount beyond int64_t cents.
 * Answers of unscreened catalog orders are kept and reused (the
 * environment variable TG_CHECK_CACHE=off at tg_engine_open turns that
 * off; the answers are the same).  CONSTRUCTOR: tg_result. */
TG_API tg_status tg_check(const tg_engine *e, const tg_order *o,
                          tg_result **out, tg_error *err);
/* DESTRUCTOR: tg_result. */
TG_API void tg_result_destroy(tg_result *r);

TG_API tg_verdict tg_result_verdict(const tg_result *r);
/* The ECCN ("3A090.a", "3A991.p", "EAR99"). */
TG_API const char *tg_result_eccn(const tg_result *r);
/* "NAC", "ACA", "HBM" or NULL. */
TG_API const char *tg_result_exception(const tg_result *r);
/* "presumption_of_denial", "case_by_case", "presumption_of_approval" or
 * NULL when no license is required. */
TG_API const char *tg_result_review_policy(const tg_result *r);
/* 1 when a payment arrangement applies: its rate in parts per million
 * (15% = 150000) and the amount owed in USD cents (-1 when the price is
 * unknown); 0 when none applies. */
TG_API int tg_result_fee(const tg_result *r, int64_t *rate_ppm,
                         int64_t *amount_cents);
/* 1 when the answer depends on a fact that is unknown. */
TG_API int tg_result_undetermined(const tg_result *r);
/* The whole result as JSON (the contract of `tollgate check --json` and
 * POST /v1/checks); caller frees. */
TG_API char *tg_result_json(const tg_result *r);
/* The same text without a copy when the engine keeps it (a repeated order
 * answered from its answer cache): valid until tg_result_destroy(r), with
 * its length in *len; NULL when the engine keeps none (then call
 * tg_result_json).  For servers that send many answers. */
TG_API const char *tg_result_json_kept(const tg_result *r, size_t *len);

/* ------------------------------------------------------------------ */
/* Rule sets                                                           */
/* ------------------------------------------------------------------ */

/* Every rule set with its source, window and status on `on` (in force,
 * not yet, ended, not enforced) as a JSON array; caller frees. */
TG_API char *tg_rules_json(const tg_engine *e, tg_date on);

/* What the decisions rest on that is not verified, as a JSON object:
 * "rules" (secondary, estimate or unverified rules, with the facts they
 * read), "country_groups" (dated group changes not verified, with the
 * rules that name the group) and "chip_figures" (catalog metrics that are
 * not vendor-published, with the rules that read them); caller frees. */
TG_API char *tg_rules_audit_json(const tg_engine *e);

/* Parses one rule-set file's text without loading it (for validation and
 * fuzzing).  TG_EPARSE with file:line:column in err. */
TG_API tg_status tg_rules_validate(const char *text, size_t len,
                                   const char *origin, tg_error *err);

/* The first day of the span of dates containing `on` over which the rules
 * decide alike (no rule set starts, ends, reaches its compliance date or
 * stops being enforced, no rule compares the date with a date inside it,
 * and no dated Country Group change falls inside it): two dates with the
 * same epoch get the same classifications. */
TG_API tg_date tg_rules_epoch(const tg_engine *e, tg_date on);

/* The TPP / performance-density chart for `on` as an SVG document: the
 * 3A090 regions drawn from the rules in force, each catalog chip a point.
 * Caller frees. */
TG_API char *tg_plot_svg(const tg_engine *e, tg_date on);

/* ------------------------------------------------------------------ */
/* Capabilities: envelope, derate, timeline, diff, capability          */
/* ------------------------------------------------------------------ */
/* Each answers a JSON document in *json_out (caller frees; NULL on
 * failure) and evaluates the US rule sets only; see README "Design
 * envelope" and the following sections for the fields. */

/* Where a new design stands.  Fill with tg_envelope_opts_init() first. */
typedef struct tg_envelope_opts {
  tg_date on;
  const char *dest;          /* default "CN" */
  const char *hq;            /* NULL = unknown */
  const char *origin;        /* NULL = "US" */
  const char *vendor;        /* NULL = a vendor no rule names */
  const char *end_use;       /* NULL = "none": no restricted end use */
  int datacenter;            /* 1 (default) or 0 */
  double die_area_mm2;       /* the headline's design: 800 */
  double memory_bw_gbs;      /* 4000 */
  double io_bw_gbs;          /* 900 */
  const char *attestations;  /* as tg_order.attestations; NULL = none stated
                                (policies that rest on them stay undetermined) */
  const char *made_in;       /* as tg_scenario: NULL = not stated */
  double us_content_pct;     /* -1 = not stated */
  const char *direct_product; /* NULL = not stated */
} tg_envelope_opts;

TG_API void tg_envelope_opts_init(tg_envelope_opts *o);
/* The regions of (TPP, performance density, memory bandwidth, interconnect
 * bandwidth[, their sum]) per outcome, cut exactly at the thresholds the
 * rules in force compare, each bound with the rules that draw it; and the
 * largest TPP reaching each outcome for the options' die area and
 * bandwidths.  TG_EINVAL for a bad country or design. */
TG_API tg_status tg_envelope_json(const tg_engine *e, const tg_envelope_opts *o,
                                  char **json_out, tg_error *err);

/* The order facts a derate, timeline or diff answer assumes, as tg_check
 * reads them from a tg_order (each answer lists its assumptions).  Fill
 * with tg_scenario_init() first. */
typedef struct tg_scenario {
  const char *dest;          /* required: ISO alpha-2 destination */
  const char *hq;            /* end user's headquarters; NULL = unknown */
  const char *origin;        /* exporting country; NULL = "US" */
  const char *end_use;       /* as tg_order.end_use; NULL = "none" (no
                                restricted end use known) */
  const char *attestations;  /* as tg_order.attestations; NULL = none stated */
  int datacenter;            /* 1 or 0 overrides the chip's own; -1 (default)
                                = as the catalog or spec says */
  /* Whether a foreign-made item is subject to the EAR, as tg_order's
   * fields: NULL / -1 = not stated (the answer says so). */
  const char *made_in;       /* country where the item was produced */
  double us_content_pct;     /* US-origin controlled content, percent; -1 */
  const char *direct_product; /* "technology", "plant" or "none" */
} tg_scenario;

TG_API void tg_scenario_init(tg_scenario *s);

/* The smallest cuts to a chip's TPP (same die area), memory and
 * interconnect bandwidth that bring an order of scenario `s` on `on` to
 * `goal` ("no_license_required", "license_exception",
 * "presumption_of_approval" or "case_by_case": that outcome or a more
 * lenient one; NULL = the first): up to 8 non-dominated alternatives,
 * cheapest first, each with the percentage cut per figure and a direct
 * tg_check of the derated chip.  TG_EINVAL when a figure of the chip is
 * unknown. */
TG_API tg_status tg_derate_json(const tg_engine *e, const tg_chip *c, tg_date on,
                                const tg_scenario *s, const char *goal,
                                char **json_out, tg_error *err);

/* What a chip can do, estimated from its catalog figures. */
typedef struct tg_capability_opts {
  double model_params;  /* parameters of the model: 70e9 */
  const char *precision; /* "fp8" (also fp4 int4 int8 fp16 bf16 tf32 fp32) */
  double utilization;   /* fraction of peak compute reached: 0.4 (an
                           assumption; PaLM reported 46.2% MFU) */
} tg_capability_opts;

TG_API void tg_capability_opts_init(tg_capability_opts *o);
/* Dense compute by precision, memory, interconnect (each with its
 * confidence) and roofline estimates: training tokens/s = FLOP/s x
 * utilization / 6N, prefill = FLOP/s x utilization / 2N, decode =
 * bandwidth / (N x bytes per parameter), chips to hold the weights; each
 * with its formula, inputs, confidence and source. */
TG_API tg_status tg_capability_json(const tg_chip *c, const tg_capability_opts *o,
                                    char **json_out, tg_error *err);

typedef struct tg_compare_opts {
  tg_date on;
  const char *dest, *hq;
  const char *task;          /* "inference" (decode) or "training" */
  const char *reference;     /* catalog id; NULL = "nv-h100-sxm" */
  int64_t reference_count;   /* how many reference chips to match: 1 */
  tg_capability_opts capability;
} tg_compare_opts;

/* Every catalog chip checked to dest on `on` and ranked by the task's
 * estimated throughput: shippable ones (no license, or an exception) and
 * the rest, each with the number needed to match the reference. */
TG_API tg_status tg_compare_json(const tg_engine *e, const tg_compare_opts *o,
                                 char **json_out, tg_error *err);

/* A chip's outcome in scenario `s` from `from` to `until`: its state on
 * `from` and every date a rule set's window opened or closed that changed
 * it (verdict, ECCN, exception, review policy, payment rate), with those
 * rule sets as the cause, and the assumptions made. */
TG_API tg_status tg_timeline_json(const tg_engine *e, const tg_chip *c,
                                  const tg_scenario *s, tg_date from,
                                  tg_date until, char **json_out,
                                  tg_error *err);
/* What changed between two dates for each chip (chips NULL = the whole
 * catalog): before, after, the fields that changed and each intermediate
 * change with the rule sets that caused it; unchanged chips by id. */
TG_API tg_status tg_diff_json(const tg_engine *e, const tg_chip *const *chips,
                              size_t nchips, const tg_scenario *s, tg_date from,
                              tg_date until, char **json_out, tg_error *err);
/* One line of an order book (`tollgate recheck`): a JSON object with the
 * order fields of POST /v1/checks (chip, to, hq, from, qty, unit_price,
 * on, end_use, attest).  TG_EPARSE / TG_EINVAL name origin:line and the
 * field.  CONSTRUCTOR: tg_book_order. */
typedef struct tg_book_order tg_book_order;
TG_API tg_status tg_book_order_parse(const tg_engine *e, const char *text, size_t len,
                                     const char *origin, int line,
                                     tg_book_order **out, tg_error *err);
/* The order (borrowed; its strings live as long as b). */
TG_API const tg_order *tg_book_order_get(const tg_book_order *b);
/* The line as read, compact JSON with sorted keys; caller frees. */
TG_API char *tg_book_order_json(const tg_book_order *b);
/* DESTRUCTOR: tg_book_order. */
TG_API void tg_book_order_destroy(tg_book_order *b);

/* The feed of rule-set events (published, effective, compliance,
 * not_enforced, ends) on or after `since`, oldest first. */
TG_API tg_status tg_rule_changes_json(const tg_engine *e, tg_date since,
                                      char **json_out, tg_error *err);

/* ------------------------------------------------------------------ */
/* Store: the embedded SQLite database (ledger, lists, tokens)         */
/* ------------------------------------------------------------------ */

typedef struct tg_store tg_store;

/* Opens (creating if needed) the database at path, in WAL mode with
 * durable commits, and applies the migrations in DATA_DIR/migrations.
 * TG_EVERSION when the database was written by a newer Tollgate (it is
 * left untouched).  CONSTRUCTOR: tg_store. */
TG_API tg_status tg_store_open(const tg_engine *e, const char *path,
                               tg_store **out, tg_error *err);
/* DESTRUCTOR: tg_store. */
TG_API void tg_store_close(tg_store *s);
/* The schema version of the open database. */
TG_API int tg_store_schema_version(const tg_store *s);
/* How long a write waits for another writer's lock before it fails with
 * TG_EBUSY (default 10000 ms): SQLite's busy timeout; on PostgreSQL the
 * write transaction's lock_timeout (the advisory write lock and any row
 * lock).  Reads never wait for a lock. */
TG_API void tg_store_set_busy_timeout(tg_store *s, int ms);
/* A second connection to the same database, for reads: through it they
 * never wait behind a writer of `s` (SQLite WAL; PostgreSQL MVCC).  It is
 * read-only (SQLite opens the file read-only; PostgreSQL's transactions
 * are read-only): a write through it fails with TG_ESTORE.
 * CONSTRUCTOR: tg_store (close with tg_store_close). */
TG_API tg_status tg_store_open_reader(const tg_store *s, tg_store **out, tg_error *err);

/* ---- identifiers, text and bounds (docs/SECURITY.md) --------------- */

/* License numbers and other identifiers: 1 to TG_ID_MAX of A-Z a-z 0-9
 * . _ - (so no spaces, no '/'), and not "." or "..".  Rows stored before
 * this rule stay readable and revocable. */
#define TG_ID_MAX 64
TG_API bool tg_id_valid(const char *s);
/* Free text (names, reasons, conditions): valid UTF-8, non-empty, at most
 * max_chars characters (code points, not bytes), no control characters
 * (U+0000-U+001F, U+007F-U+009F).  TG_EINVAL naming `what` otherwise. */
TG_API tg_status tg_text_check(const char *what, const char *s, size_t max_chars,
                               tg_error *err);
/* A decimal amount ("12", "12.5") as an integer scaled by 10^scale: digits
 * and at most one '.', nothing else (no sign, hex, exponent or spaces).
 * TG_EINVAL naming `what`. */
TG_API tg_status tg_decimal_parse(const char *what, const char *s, int scale, int64_t *out,
                                  tg_error *err);

/* The ledger's bounds, chosen so every sum the ledger makes fits in 64
 * bits (sums of TPP are taken in 128 bits).  Inputs past them are refused
 * (TG_EINVAL naming the field); a shipment that would take a license's
 * drawn totals past them is refused (TG_EREFUSED, code "license_total"). */
#define TG_MAX_SHIP_QTY 1000000000LL                   /* units in one shipment */
#define TG_MAX_UNIT_PRICE_CENTS 100000000000LL          /* USD 1e9 a unit */
#define TG_MAX_SHIP_VALUE_CENTS 100000000000000LL       /* USD 1e12 a shipment */
#define TG_MAX_LICENSE_QTY 1000000000000LL              /* units on one license */
#define TG_MAX_LICENSE_VALUE_CENTS 1000000000000000LL   /* USD 1e13 on one license */
/* The location the store was opened with (a file, sqlite:FILE or a
 * postgresql:// URL), e.g. to open more connections for a pool. */
TG_API const char *tg_store_location(const tg_store *s);

/* ---- ledger (licenses, shipments, payments, audit) ---------------- */
/* The ledger lives in the store.  Every write function takes `actor`, the
 * name recorded as "who" in the audit trail (a CLI user, an API token's
 * name; required, non-empty), and appends exactly one audit record per row
 * written, in the same transaction as the write.  Outputs are JSON text in
 * *json_out, the caller's, freed with tg_free (NULL on failure unless said
 * otherwise).  Money is integer USD cents ("*_cents") with an exact decimal
 * string beside it ("*_usd": "1234.56"); rates are parts per million. */

/* "No date": an unset tg_date field. */
#define TG_DATE_NONE INT32_MIN

/* The time audit records are stamped with, in seconds since 1970 UTC.  A
 * store uses the system clock until one is set (the one place the library
 * reads a clock: dates of export are always inputs).  fn NULL = system. */
typedef int64_t (*tg_clock_fn)(void *ud);
TG_API void tg_store_set_clock(tg_store *s, tg_clock_fn fn, void *ud);

/* A license to add.  Fill with tg_license_spec_init() first. */
typedef struct tg_license_spec {
  const char *number;               /* required, unique ("D1234567") */
  const char *holder;               /* required */
  const char *const *chips;         /* chip ids or ECCNs ("3A090" covers
                                       "3A090.a"); at least one */
  size_t nchips;
  const char *const *destinations;  /* alpha-2 codes; at least one */
  size_t ndestinations;
  const char *const *end_users;     /* permitted end users; none = any */
  size_t nend_users;
  int64_t qty_limit;                /* units; -1 = no limit */
  int64_t value_limit_cents;        /* -1 = no limit */
  tg_date valid_from, valid_until;  /* inclusive; both required */
  int64_t payment_rate_ppm;         /* payment condition; -1 = none stated */
  int tpp_cap_pct;                  /* aggregate-TPP cap to CN/MO as a % of
                                       the same chip's US shipments (the Jan
                                       2026 rule: 50); 0 = none stated */
  const char *const *conditions;    /* other conditions, as text */
  size_t nconditions;
  const char *notes;                /* may be NULL */
} tg_license_spec;

TG_API void tg_license_spec_init(tg_license_spec *spec);
/* Adds a license.  TG_EINVAL for a bad spec, TG_ECONFLICT when the number
 * exists.  *json_out: the license as tg_license_json shows it. */
TG_API tg_status tg_license_add(tg_store *s, const tg_license_spec *spec,
                                const char *actor, char **json_out,
                                tg_error *err);
/* Revokes a license: no later shipment may draw on it.  TG_ENOTFOUND,
 * TG_ECONFLICT when already revoked. */
TG_API tg_status tg_license_revoke(tg_store *s, const char *number,
                                   const char *reason, const char *actor,
                                   char **json_out, tg_error *err);
/* One license with its use so far (shipped and remaining quantity and
 * value, aggregate TPP) and its shipments' ids.  TG_ENOTFOUND. */
TG_API tg_status tg_license_json(tg_store *s, const char *number,
                                 char **json_out, tg_error *err);
/* Every license, as a JSON array of the same objects (without shipments). */
TG_API tg_status tg_licenses_json(tg_store *s, char **json_out,
                                  tg_error *err);

/* One page of a listing, taken in the query (keyset paging: the items
 * after the one keyed `after`, in the listing's order, at most `limit`),
 * so a page costs the same however long the listing.  Fill with
 * tg_page_init.  On return `next` holds the key of the page's last item
 * when more items follow ("" on the last page): pass it as `after` for
 * the next page.  A malformed `after` is TG_EINVAL. */
typedef struct tg_page {
  int64_t limit;      /* at most this many items; 0 = every item */
  const char *after;  /* a key from `next`; NULL = from the first item */
  char next[160];     /* out */
} tg_page;
TG_API void tg_page_init(tg_page *p);
/* A page of tg_licenses_json's array, by license number (page NULL: all). */
TG_API tg_status tg_licenses_page_json(tg_store *s, tg_page *page,
                                       char **json_out, tg_error *err);

/* Options of one shipment.  Fill with tg_ship_opts_init() first. */
typedef struct tg_ship_opts {
  const char *license;  /* number of the license it ships under, or NULL */
  tg_date notified;     /* license exception NAC: the date BIS was notified
                           (TG_DATE_NONE = not notified) */
  const char *reference; /* the exporter's reference; may be NULL */
  tg_date today;        /* shipments dated after today are refused
                           (code "future_date"); TG_DATE_NONE = unchecked */
  const char *nac;      /* license exception NAC: the reference of the
                           notification BIS authorized (tg_nac_add) */
} tg_ship_opts;

TG_API void tg_ship_opts_init(tg_ship_opts *opts);

/* A License Exception NAC notification to BIS (15 CFR 740.8(a)): one
 * ultimate consignee, one end user, at most six items (BIS's published
 * procedure).  A shipment under NAC waits for BIS's authorization. */
typedef struct tg_nac_spec {
  const char *reference;            /* required, unique */
  const char *const *items;         /* catalog chip ids, 1 to 6 */
  size_t nitems;
  const char *destination;          /* alpha-2 */
  const char *consignee, *end_user; /* required, one each */
  tg_date submitted;                /* required */
  const char *notes;                /* may be NULL */
} tg_nac_spec;

/* Records a submitted notification.  TG_EINVAL for a bad spec,
 * TG_ECONFLICT when the reference exists.  *json_out: the notification. */
TG_API tg_status tg_nac_add(tg_store *s, const tg_nac_spec *spec, const char *actor,
                            char **json_out, tg_error *err);
/* Records BIS's answer or the notification's expiry: status "authorized"
 * (authorization number required; valid_until may be TG_DATE_NONE when
 * BIS states none), "objected" or "expired", on date `on`.  Only a
 * submitted notification can be authorized or objected to; an authorized
 * one can expire.  TG_ENOTFOUND, TG_ECONFLICT, TG_EINVAL. */
TG_API tg_status tg_nac_decide(tg_store *s, const char *reference, const char *status,
                               const char *authorization, tg_date on, tg_date valid_until,
                               const char *actor, char **json_out, tg_error *err);
/* One notification (reference) or all (reference NULL) as JSON. */
TG_API tg_status tg_nac_json(tg_store *s, const char *reference, char **json_out,
                             tg_error *err);
/* Records a shipment: runs tg_check on the order (qty and unit price
 * required), then, in one transaction with the write, checks that a named
 * or required license covers it (chip, destination, end user, dates,
 * remaining quantity and value, the aggregate-TPP cap) and that a NAC
 * notification was made in time.  An order without an end user is refused
 * (code "end_user"); its parties are screened with o->screener.  TG_OK: recorded, *json_out is the
 * shipment.  TG_EREFUSED: nothing written; err has the reason and
 * *json_out is {"refused": true, "reason", "code", "determination"}.  A
 * named license is always checked and drawn on, even when none is needed.
 * The payment owed is the determination's; when no rule imposes one, the
 * license's stated rate. */
TG_API tg_status tg_ship(tg_store *s, const tg_engine *e, const tg_order *o,
                         const tg_ship_opts *opts, const char *actor,
                         char **json_out, tg_error *err);
/* One shipment of a batch: the inputs, then what became of it (status as
 * tg_ship returns it, json as its *json_out (free with tg_free), err). */
typedef struct tg_ship_item {
  const tg_order *order;
  const tg_ship_opts *opts; /* may be NULL */
  const char *actor;
  tg_status status;
  char *json;
  tg_error err;
  void *prep; /* set by tg_ship_prepare, consumed by tg_ship_batch; start NULL */
  /* Instead of a shipment (order NULL): an audit record, appended to the
   * one chain in the batch's transaction, as tg_audit_append would (the
   * same checks); status TG_OK once committed, json NULL.  So a record
   * that must be durable before its answer shares the group commit. */
  const char *audit_action, *audit_subject, *audit_content;
} tg_ship_item;
/* Runs an item's determination (tg_check, no database), so callers can do
 * that part in parallel before handing items to tg_ship_batch.  Optional:
 * tg_ship_batch prepares any item not yet prepared.  Returns its status. */
TG_API tg_status tg_ship_prepare(const tg_engine *e, tg_ship_item *it);
/* Records several shipments in ONE transaction and one durable commit
 * (group commit): each is checked against its license as the ledger stands
 * after the items before it, in its own savepoint, so a refused or failed
 * item writes nothing and does not disturb the others.  Returns TG_OK when
 * the transaction committed (each item's status says what became of it);
 * otherwise no item was recorded and every item that would have been
 * carries the error. */
TG_API tg_status tg_ship_batch(tg_store *s, const tg_engine *e, tg_ship_item *items,
                               size_t n, tg_error *err);
/* Items that arrived after a batch began (a group commit's queue): fills
 * out with up to max pointers to the caller's items (prepared or not,
 * valid until tg_ship_batch_late returns) and returns how many. */
typedef size_t (*tg_ship_late_fn)(void *ctx, tg_ship_item **out, size_t max);
/* tg_ship_batch that also takes late items, up to late_max in all: asked
 * for inside the transaction, once its write lock is held and after
 * each round of checks and writes (at most three rounds), so items
 * queued meanwhile share this commit rather than wait for the next.  A late item ends as the others do (its status;
 * not written when the batch fails). */
TG_API tg_status tg_ship_batch_late(tg_store *s, const tg_engine *e, tg_ship_item *items,
                                    size_t n, tg_ship_late_fn late, void *ctx, size_t late_max,
                                    tg_error *err);
/* A correction: appends a reversal of shipment `id` (negative quantity,
 * value and payment; the license's remaining quantity and value come
 * back).  The original stays.  TG_ENOTFOUND, TG_ECONFLICT when already
 * reversed or when id is itself a reversal. */
TG_API tg_status tg_shipment_reverse(tg_store *s, int64_t id,
                                     const char *reason, const char *actor,
                                     char **json_out, tg_error *err);
/* One shipment with its determination.  TG_ENOTFOUND. */
TG_API tg_status tg_shipment_json(tg_store *s, int64_t id, char **json_out,
                                  tg_error *err);

/* Which shipments a listing or a payments report covers.  NULL / 
 * TG_DATE_NONE fields do not filter.  Fill with tg_shipment_filter_init. */
typedef struct tg_shipment_filter {
  tg_date from, to;        /* date of export, inclusive */
  const char *license;     /* license number; "-" = shipped under none */
  const char *chip;
  const char *dest;        /* alpha-2, compared after canonicalising */
  const char *end_user;
  const char *verdict;     /* "license_required", ... */
  int64_t limit;           /* most recent first when > 0; 0 = all */
  tg_page *page;           /* listings: one page, keyed by shipment id, in
                              order of date then id (NULL = no paging;
                              `limit` is then not used) */
} tg_shipment_filter;

TG_API void tg_shipment_filter_init(tg_shipment_filter *f);
/* {"shipments": [...], "count": N}, oldest first. */
TG_API tg_status tg_shipments_json(tg_store *s, const tg_shipment_filter *f,
                                   char **json_out, tg_error *err);
/* The payments owed by the shipments the filter selects, grouped by
 * "license", "chip", "month", "quarter" or nothing (group_by NULL):
 * {"from", "to", "shipments", "value_cents", "value_usd", "total_cents",
 *  "total_usd", "groups": [{"key", "shipments", "qty", "value_cents",
 *  "value_usd", "fee_cents", "fee_usd"}], "rows": [...]}.  The groups add
 * up to the total and the rows to the groups, to the cent. */
TG_API tg_status tg_fees_json(tg_store *s, const tg_shipment_filter *f,
                              const char *group_by, char **json_out,
                              tg_error *err);

/* Appends an audit record for a write made outside the ledger (a list or
 * rule update): action ("list.update"), subject ("list:ofac-sdn"), content
 * (JSON text describing the new state).  Its own transaction. */
TG_API tg_status tg_audit_append(tg_store *s, const char *actor,
                                 const char *action, const char *subject,
                                 const char *content_json, tg_error *err);
/* Replays the audit chain (each hash, each link) and the current state
 * (every license and shipment row equals the content of the last record
 * about it; no row without a record, no record without a row).  TG_OK with
 * {"ok": true, "records": N, "head": HASH}; TG_ETAMPER with {"ok": false,
 * "records": N, "first_bad": SEQ or null, "subject", "problem"} naming
 * the first record that does not match; other statuses for failures. */
TG_API tg_status tg_audit_verify(tg_store *s, char **json_out, tg_error *err);
/* Receives output; returns 0 to go on, nonzero to stop (TG_EIO). */
typedef int (*tg_write_fn)(void *ud, const char *data, size_t len);
/* Writes the trail as JSON lines, one record each ({"seq", "at", "actor",
 * "action", "subject", "content", "prev", "hash"}), oldest first. */
TG_API tg_status tg_audit_export(tg_store *s, tg_write_fn fn, void *ud,
                                 tg_error *err);
/* The records (as exported) whose actor is `actor`, whose action starts
 * with `action` ("shipment." for every shipment write) and whose subject
 * contains `subject` ignoring ASCII case, each NULL for any, as
 * {"count", "records": [...]}, oldest first; a page keyed by seq (page
 * NULL: all). */
TG_API tg_status tg_audit_records_json(tg_store *s, const char *actor,
                                       const char *action, const char *subject,
                                       tg_page *page, char **json_out,
                                       tg_error *err);
/* Verifies an exported trail on its own (the chain only): the same JSON as
 * tg_audit_verify; TG_ETAMPER when it does not hold, TG_EPARSE when a
 * line is not a record. */
TG_API tg_status tg_audit_verify_export(const char *text, size_t len,
                                        char **json_out, tg_error *err);

/* Copies the whole database to path with SQLite's online backup (readers
 * and writers may go on meanwhile).  Overwrites path. */
TG_API tg_status tg_store_backup(tg_store *s, const char *path,
                                 tg_error *err);
/* Copies every table of `from` into `to` (another backend, e.g. SQLite to
 * PostgreSQL), which must be empty, in one transaction; then verifies the
 * audit chain in `to`.  *json_out: {"tables": {name: rows}, "verify": {...}}.
 * TG_ECONFLICT when `to` has rows, TG_ETAMPER when the copy does not
 * verify.  Used by `tollgate migrate`. */
TG_API tg_status tg_store_copy(tg_store *from, tg_store *to, char **json_out,
                               tg_error *err);

/* ---- screening (lists, matching) ---------------------------------- */

/* Restricted-party lists: the US Consolidated Screening List (CSV, or the
 * JSON download, full or compacted), OFAC's SDN files (sdn.csv with
 * optional alt.csv and add.csv) and the UN Security Council Consolidated
 * List (XML).  The format of each file is recognised from its content. */

/* Stores ownership records (the Affiliates Rule's ownership file),
 * replacing every stored record, in one transaction with its audit record
 * ("ownership.import"); `file` names where they came from. */
TG_API tg_status tg_ownership_import(tg_store *s, const tg_ownership *o, const char *file,
                                     const char *imported_at, const char *actor,
                                     tg_error *err);
/* The stored ownership records; *out is NULL (and TG_OK) when none are
 * stored.  CONSTRUCTOR: tg_ownership. */
TG_API tg_status tg_ownership_load(tg_store *s, tg_ownership **out, tg_error *err);

/* Imports list files into the store in one transaction: each list replaces
 * the stored list of its kind (csl, ofac, un); when any file fails nothing
 * changes, and err says file:line and what was wrong (TG_EPARSE), or
 * TG_EIO / TG_EINVAL (alt/add without their sdn.csv).  `imported_at` is
 * recorded with each list (the library reads no clock; e.g.
 * "2026-08-01T10:00:00Z").  *summary_json (may be NULL) receives a JSON
 * array of the lists imported; caller frees. */
TG_API tg_status tg_lists_import(tg_store *s, const char *const *paths,
                                 size_t npaths, const char *imported_at,
                                 const char *actor, char **summary_json,
                                 tg_error *err);
/* The stored lists (kind, title, files, published, imported_at, entries,
 * entries per list) as a JSON array; NULL on failure; caller frees. */
TG_API char *tg_lists_json(tg_store *s);
/* A page of the same array, by kind (page NULL: all). */
TG_API tg_status tg_lists_page_json(tg_store *s, tg_page *page, char **json_out,
                                    tg_error *err);
/* A number that changes whenever the stored lists change (an import on
 * any server sharing the database), so a screener knows to reload. */
TG_API tg_status tg_lists_version(tg_store *s, int64_t *version, tg_error *err);

/* A screener: lists indexed for matching names.  Immutable once loaded
 * and safe to share between threads for tg_screen / tg_match. */
typedef struct tg_screener tg_screener;

/* The default match threshold: a hit scores at least this. */
#define TG_SCREEN_THRESHOLD 0.88

/* An empty screener with the matching tables of the engine's data
 * directory (DATA_DIR/screening/).  CONSTRUCTOR: tg_screener. */
TG_API tg_status tg_screener_create(const tg_engine *e, tg_screener **out,
                                    tg_error *err);
/* Adds every list stored in `s` and rebuilds the index. */
TG_API tg_status tg_screener_load_store(tg_screener *sc, tg_store *s,
                                        tg_error *err);
/* Replaces the screener's lists with those stored in `s` now: a new index
 * is built beside the current one and swapped in atomically.  Calls in
 * flight keep the index they started with (reference counted) and are
 * never blocked by the build; on failure the current lists stay. */
TG_API tg_status tg_screener_reload_store(tg_screener *sc, tg_store *s,
                                          tg_error *err);
/* Adds lists read directly from files (as tg_lists_import reads them). */
TG_API tg_status tg_screener_load_files(tg_screener *sc,
                                        const char *const *paths,
                                        size_t npaths, tg_error *err);
/* DESTRUCTOR: tg_screener. */
TG_API void tg_screener_destroy(tg_screener *sc);
/* The number of list entries loaded. */
TG_API size_t tg_screener_entries(const tg_screener *sc);
/* Issue 9, the index cache: with a directory set (NULL: none), loading
 * lists into an empty screener (tg_screener_load_store, _load_files)
 * first looks there for the index built from the same lists by the same
 * code and tables, and keeps each index it builds there (one file per
 * database or set of list files).  A file that is stale, truncated or
 * corrupt is ignored and replaced; writing it is best effort.  The
 * directory must exist. */
TG_API tg_status tg_screener_set_cache(tg_screener *sc, const char *dir,
                                       tg_error *err);

typedef struct tg_screen_options {
  const char *country; /* ISO alpha-2 address country: entries with known
                          countries that do not include it are skipped;
                          NULL = any */
  double min_score;    /* lowest score reported; TG_SCREEN_THRESHOLD */
  int limit;           /* most hits reported; 10 ("hits_total" says how
                          many reached the threshold) */
  tg_date as_of;       /* today, for the lists' age; 0 = not judged */
  int list_max_age_days; /* a list older than this is stale; 0 = 30 */
} tg_screen_options;

TG_API void tg_screen_options_init(tg_screen_options *o);

/* Screens one name (any script).  *json_out receives {"query", "tokens",
 * "threshold", "match", "hits_total", "screening" (the lists searched, see
 * tg_check's "screening"), "warnings", "hits": [{"score", "list", "name", "matched_name",
 * "tokens": [{"query","entry","score"}], "unmatched_query",
 * "unmatched_entry", "license_requirement", "license_policy", "policy",
 * "federal_register_notice", "countries", "dataset", ...}]}, best first;
 * caller frees.  TG_EINVAL for a bad country.  opt may be NULL. */
TG_API tg_status tg_screen(const tg_screener *sc, const char *name,
                           const tg_screen_options *opt, char **json_out,
                           tg_error *err);
/* The best score of a name (0 when no entry comes near), without JSON:
 * for batch work and benchmarks. */
TG_API double tg_screen_best(const tg_screener *sc, const char *name,
                             const char *country);
/* Scores two names with the same scorer (words weighed by the screener's
 * lists, or with none loaded by the reference table of the lists' word
 * frequencies, data/screening/token-df.tsv).  *json_out receives
 * {"score", "match", "threshold", "name1", "name2", "tokens1", "tokens2",
 * "pairs", "unmatched1", "unmatched2", "weighted_by_lists", "weights",
 * "features"} and, for two of the most common Chinese names, "common_name"
 * (why the score is capped); caller frees. */
TG_API tg_status tg_match(const tg_screener *sc, const char *name1,
                          const char *name2, char **json_out, tg_error *err);

/* ---- screening decisions (clearances, re-screens, alerts) --------- */
/* A hit cleared as a false positive is a record: the party, the hit (its
 * list, entry name and reference), the list's version, the reason, who
 * and when.  Later screenings of the party show the hit as cleared, a
 * re-screen raises no alert for it, and it does not block the party's
 * shipments (tg_cleared_load) - while the list is at that version: a new
 * version of the list re-opens it (the re-screen alerts the hit again;
 * clearing it again renews the clearance for the new version).  Parties
 * are matched by their name folded (ASCII case, runs of spaces). */

/* Clears a hit: screens `party` with sc and opt (NULL = defaults) and
 * records the hit on entry `entry` (its "name"; `list`, a hit's "list",
 * when the name is on several lists, or NULL) as a false positive, with
 * the reason; closes the open alerts about that hit.  TG_ENOTFOUND when
 * the screening gives no such hit, TG_ECONFLICT when it is cleared
 * already for this list version.  One audit record ("screening.clear", "clearance:ID") and one
 * per alert closed.  *json_out: the clearance. */
TG_API tg_status tg_clearance_add(tg_store *s, const tg_screener *sc,
                                  const tg_screen_options *opt, const char *party,
                                  const char *entry, const char *list,
                                  const char *reason, const char *actor,
                                  char **json_out, tg_error *err);
/* The clearances of one party (party NULL: all), oldest first, as a JSON
 * array of {"id", "party", "list", "entry", "entry_ref", "score",
 * "list_version", "reason", "cleared_at", "cleared_by"}. */
TG_API tg_status tg_clearances_json(tg_store *s, const char *party, char **json_out,
                                    tg_error *err);
/* A page of tg_clearances_json's array, by id (page NULL: all). */
TG_API tg_status tg_clearances_page_json(tg_store *s, const char *party, tg_page *page,
                                         char **json_out, tg_error *err);
/* Takes a tg_screen answer and marks its cleared hits: each hit gets
 * "cleared" (the clearance for the list version it is on, or null; one
 * for another version is "cleared_earlier"), the answer "hits_cleared" and
 * "hits_open".  When actor is not NULL the run goes into the audit trail
 * ("screening.run", subject "party:NAME": the hits, their scores and
 * whether cleared, the lists searched).  *json_out: the marked answer. */
TG_API tg_status tg_screen_decided(tg_store *s, const char *screen_json,
                                   const char *actor, char **json_out, tg_error *err);
/* The audit record of a run that tg_screen_decided (actor NULL) marked:
 * its subject and content (free both with tg_free), to append with
 * tg_audit_append or, sharing a group commit, as a tg_ship_item
 * ("screening.run").  TG_EINVAL when decided_json is not such an answer. */
TG_API tg_status tg_screen_run_record(const char *decided_json, char **subject, char **content,
                                      tg_error *err);
/* Re-screens every party the store records (shipments' end users,
 * licenses' end users, cleared parties) with sc and opt, and raises an
 * alert for each hit not cleared (for its list version) and not alerted
 * before, in one transaction; a hit cleared on an earlier list version
 * re-opens its alert ("screening.alert_reopen").  An audit record per
 * alert ("screening.alert", "alert:ID") and one for the run ("screening.rescreen", "screening").
 * *json_out: {"parties", "hits", "cleared", "known", "alerts": [...]}. */
TG_API tg_status tg_rescreen(tg_store *s, const tg_screener *sc,
                             const tg_screen_options *opt, const char *actor,
                             char **json_out, tg_error *err);
/* The clearances of an order's parties (end user, purchaser, consignee),
 * read from the store.  An order naming them (tg_order.cleared) shows
 * each hit cleared for the list version it is on as cleared, and no fact
 * is set from it: a cleared party does not block its shipment.  A
 * clearance taken on another version of the list (a list changed since)
 * does not count.  *out is NULL when no party has one.  tg_ship loads
 * them itself.  CONSTRUCTOR: tg_cleared. */
typedef struct tg_cleared tg_cleared;
TG_API tg_status tg_cleared_load(tg_store *s, const tg_order *o, tg_cleared **out,
                                 tg_error *err);
/* DESTRUCTOR: tg_cleared. */
TG_API void tg_cleared_destroy(tg_cleared *c);
/* The alerts (status "open", "cleared", "closed", or NULL: all), newest
 * first, as {"alerts": [...], "open": N}. */
TG_API tg_status tg_alerts_json(tg_store *s, const char *status, char **json_out,
                                tg_error *err);
/* A page of tg_alerts_json's "alerts", newest first, keyed by id ("open"
 * still counts every open alert; page NULL: all). */
TG_API tg_status tg_alerts_page_json(tg_store *s, const char *status, tg_page *page,
                                     char **json_out, tg_error *err);
/* Closes an open alert with a note (e.g. "true match: orders stopped").
 * TG_ENOTFOUND, TG_ECONFLICT when not open.  Audit "screening.alert_close". */
TG_API tg_status tg_alert_close(tg_store *s, int64_t id, const char *note,
                                const char *actor, char **json_out, tg_error *err);

/* Records a refused shipment in the audit trail ("shipment.refuse",
 * subject "party:END_USER"): the refusal's code and reason, the end user
 * and the SHA-256 of its determination.  refusal_json is tg_ship's
 * *json_out on TG_EREFUSED.  Its own transaction. */
TG_API tg_status tg_refusal_record(tg_store *s, const char *end_user,
                                   const char *refusal_json, const char *actor,
                                   tg_error *err);

/* ---- access tokens ------------------------------------------------ */

/* Roles are ordered: each can do what the ones before it can.  viewer
 * reads and runs checks; officer also records licenses and shipments;
 * admin also revokes licenses and manages tokens. */
typedef enum tg_role {
  TG_ROLE_VIEWER = 1,
  TG_ROLE_OFFICER = 2,
  TG_ROLE_ADMIN = 3
} tg_role;

/* "viewer", "officer", "admin"; NULL for anything else. */
TG_API const char *tg_role_name(tg_role r);
/* TG_EINVAL (with err) unless s is a role name. */
TG_API tg_status tg_role_parse(const char *s, tg_role *out, tg_error *err);

/* Who a valid token belongs to. */
typedef struct tg_token_info {
  char name[64];
  tg_role role;
} tg_token_info;

/* Makes a token for `name` (1-63 of A-Z a-z 0-9 . _ @ -) with `role`; `now`
 * (seconds since the epoch, UTC) is recorded as its creation time.  The
 * token ("tg_" and 43 base64url characters) is returned once in *token
 * (caller frees with tg_free); only its hash is stored.  TG_ECONFLICT when
 * a token of that name exists or existed (names are never reused). */
TG_API tg_status tg_token_add(tg_store *s, const char *name, tg_role role,
                              int64_t now, char **token, tg_error *err);
/* The same, expiring at `expires` (seconds since the epoch, UTC; 0 =
 * never); TG_EINVAL when that is not after `now`. */
TG_API tg_status tg_token_add_expiring(tg_store *s, const char *name, tg_role role,
                                       int64_t now, int64_t expires, char **token,
                                       tg_error *err);
/* Gives the valid token `name` a new secret (returned once in *token,
 * caller frees); the old one stops working at once; role and expiry stay.
 * TG_ENOTFOUND when no valid token has that name. */
TG_API tg_status tg_token_rotate(tg_store *s, const char *name, char **token,
                                 tg_error *err);
/* The non-secret fingerprint of a token (16 hex digits, as listings show
 * it): derived from its hash, so it tells tokens apart without revealing
 * any of the secret. */
TG_API tg_status tg_token_fingerprint(const char *token, char out[17]);
/* Looks a presented token up.  TG_OK and *out filled when it is valid;
 * TG_EDENIED when it is unknown, malformed, expired (by the store's clock,
 * tg_store_set_clock) or revoked. */
TG_API tg_status tg_token_verify(tg_store *s, const char *token,
                                 tg_token_info *out, tg_error *err);
/* Revokes the token named `name` at `now`.  TG_ENOTFOUND when no valid
 * token has that name.  On PostgreSQL, tg_token_revoke and tg_token_rotate
 * return TG_TOKEN_LEASE_MS (and a little more) after their commit, when no
 * server's lease (below) taken before the change can still be used. */
TG_API tg_status tg_token_revoke(tg_store *s, const char *name, int64_t now,
                                 tg_error *err);
/* A lease on verified tokens, for a server whose connections share one
 * PostgreSQL database: tokens it verified are answered from memory, with
 * no database call, while the lease is current.  tg_token_lease_renew
 * (every TG_TOKEN_LEASE_RENEW_MS, on a connection of its own) reads how
 * many revocations and rotations the database has seen, forgets every
 * remembered token when that moved, and makes the lease current for
 * TG_TOKEN_LEASE_MS counted from before its read; a renewal that fails
 * leaves the lease to run out, and then every token is looked up again.
 * So once a revocation has returned, no server answers from a lookup made
 * before it.  Thread-safe; any number of connections may share a lease. */
typedef struct tg_token_lease tg_token_lease;
#define TG_TOKEN_LEASE_MS 200
#define TG_TOKEN_LEASE_RENEW_MS 50
TG_API tg_status tg_token_lease_new(tg_token_lease **out, tg_error *err);
TG_API void tg_token_lease_free(tg_token_lease *l);
TG_API tg_status tg_token_lease_renew(tg_token_lease *l, tg_store *s, tg_error *err);
/* tg_token_verify through the lease: TG_OK from memory when the token was
 * verified under the current lease (its expiry compared with the clock of
 * the store last renewing it); otherwise, with s NULL, TG_ENOTFOUND (ask
 * again with a connection); with s, tg_token_verify on s, remembered when
 * valid. */
TG_API tg_status tg_token_verify_leased(tg_token_lease *l, tg_store *s, const char *token,
                                        tg_token_info *out, tg_error *err);
/* Every token (never the secret) as a JSON array of {name, role,
 * fingerprint, created_at, expires_at, revoked_at}, oldest first; caller
 * frees *out. */
TG_API tg_status tg_token_list_json(tg_store *s, char **out, tg_error *err);
/* A page of the same array, keyed by name, oldest first (page NULL: all). */
TG_API tg_status tg_token_list_page_json(tg_store *s, tg_page *page, char **out,
                                         tg_error *err);

/* ---- payments as records (issue 12) --------------------------------- */
/* What a shipment owes is split by payment arrangement (payment_terms:
 * the 15% revenue-share remittance, the Section 232 duty, a license's own
 * rate): each (shipment, arrangement) is one obligation with a due date
 * (the arrangement's term from the shipment's date) and a status as of
 * the store's clock: "due", "paid", "overdue", or "reversed" (the shipment
 * was reversed; "reversed_refund_due" when it had been paid).
 * Arrangements are never summed into one figure. */
typedef struct tg_payment_spec {
  const char *arrangement; /* required: payment_terms.arrangement */
  int64_t shipment;        /* the shipment paid for (id), or 0 ... */
  const char *license;     /* ... the license (number): oldest dues first */
  int64_t amount_cents;    /* > 0, at most what is outstanding */
  tg_date paid_on;         /* required */
  const char *reference;   /* required: wire, cheque, CBP entry number */
  const char *notes;       /* may be NULL */
} tg_payment_spec;
TG_API void tg_payment_spec_init(tg_payment_spec *p);
/* Records a payment.  TG_EINVAL for a bad spec; TG_ENOTFOUND when the
 * target owes nothing under the arrangement; TG_ECONFLICT when the amount
 * is more than is outstanding (nothing is written).  *json_out: the
 * payment with the obligations it paid, as they stand after it. */
TG_API tg_status tg_payment_add(tg_store *s, const tg_payment_spec *p, const char *actor,
                                char **json_out, tg_error *err);
/* {"count", "payments": [...]}, by id; page NULL: all. */
TG_API tg_status tg_payments_page_json(tg_store *s, tg_page *page, char **json_out,
                                       tg_error *err);
/* Which obligations tg_payment_dues_json lists (NULL / 0: any). */
typedef struct tg_dues_filter {
  const char *license, *arrangement, *status;
  int64_t shipment;
} tg_dues_filter;
TG_API void tg_dues_filter_init(tg_dues_filter *f);
/* {"as_of", "arrangements": [{arrangement, payee, due_rule {kind, n, from,
 * source}, obligations, counts, owed, paid, outstanding, overdue}],
 * "obligations": [{shipment, on, license, chip, dest, arrangement, owed,
 * paid, outstanding, due_on, status}]}, oldest first. */
TG_API tg_status tg_payment_dues_json(tg_store *s, const tg_dues_filter *f, char **json_out,
                                      tg_error *err);
/* Every arrangement's terms as a JSON array; changing one (due_kind
 * "days" or "working_days", due_n 0..3660, source required) is audited
 * ("payment.terms").  TG_ENOTFOUND for an unknown arrangement. */
TG_API tg_status tg_payment_terms_json(tg_store *s, char **json_out, tg_error *err);
TG_API tg_status tg_payment_terms_set(tg_store *s, const char *arrangement, const char *due_kind,
                                      int due_n, const char *source, const char *actor,
                                      char **json_out, tg_error *err);

/* License changes, each with a reason (required), in one transaction with
 * its audit records ("license.amend" / "license.extend" on the license, and
 * the change with the license as it was, "license_change:ID").  Amend:
 * `changes->number` names the license; every field given replaces the
 * license's (holder non-NULL; chips, destinations, end users, conditions
 * when n > 0; qty_limit, value_limit_cents, payment_rate_ppm when >= 0;
 * tpp_cap_pct when > 0; valid_from/valid_until when not TG_DATE_NONE;
 * notes non-NULL).  Extend: a later valid_until.  TG_EREFUSED (nothing
 * written) when the recorded shipments would exceed the changed license
 * (quantity or value used past a new limit, a shipment dated outside the
 * window, a chip, destination or end user no longer covered); TG_ENOTFOUND,
 * TG_ECONFLICT for a revoked license, TG_EINVAL. */
TG_API tg_status tg_license_amend(tg_store *s, const tg_license_spec *changes, const char *reason,
                                  const char *actor, char **json_out, tg_error *err);
TG_API tg_status tg_license_extend(tg_store *s, const char *number, tg_date until,
                                   const char *reason, const char *actor, char **json_out,
                                   tg_error *err);

#ifdef __cplusplus
}
#endif
#endif /* TOLLGATE_H */
