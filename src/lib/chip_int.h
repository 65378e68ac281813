/* chip_int.h - the chip model: spec fields with confidences, and the
 * derived metrics (TPP, performance density, ...) as intervals so that an
 * unknown input stays unknown. */
#ifndef TG_CHIP_INT_H
#define TG_CHIP_INT_H

#include <libfyaml.h>

#include "tg_int.h"
#include "yaml_int.h"

typedef enum { TG__F_UNKNOWN = 0, TG__F_KNOWN, TG__F_ABSENT } tg__fstate;

typedef struct tg__field {
  tg__fstate state;
  double value;
  char confidence[16]; /* vendor, secondary, estimate, unverified, ... */
} tg__field;

/* Numeric spec fields, in table order (see chip.c). */
enum {
  TG__FP64, TG__TF32, TG__FP16, TG__FP8, TG__INT8, TG__FP4, TG__INT4,
  TG__LOGIC_DIES, TG__DIE_AREA, TG__TRANSISTORS, TG__MEMORY_GB,
  TG__MEMORY_BW, TG__INTERCONNECT, TG__TDP, TG__PACKAGE_AREA,
  TG__DATACENTER, TG__RELEASE_YEAR, TG__NFIELDS
};
#define TG__NPRECISIONS 7 /* fields 0..6 are throughput at a precision */

typedef struct tg__field_def {
  const char *name;
  int bits; /* bit length for precisions, 0 otherwise */
  const char *label;
} tg__field_def;

extern const tg__field_def tg__fields[TG__NFIELDS];

/* A metric as an interval [lo, hi]; known when lo == hi. */
typedef struct tg__metric {
  bool defined;         /* false: the chip cannot have this metric */
  double lo, hi;
  char confidence[16];  /* weakest confidence among deciding inputs */
  char basis[96];       /* how it was obtained ("int8 296 TOPS x 8") */
  char unknown_inputs[96]; /* inputs whose absence left it open */
} tg__metric;

/* The derived metrics, declared once: enum id, name. */
#define TG__METRICS(X)                                                        \
  X(TPP, "tpp") X(PD, "pd") X(MEMORY_BW, "memory_bw_gbs")                     \
  X(IO_BW, "io_bw_gbs") X(HBM_DENSITY, "hbm_density") X(PEAK_TOPS, "peak_tops") \
  X(DIE_AREA, "die_area_mm2") X(DATACENTER, "datacenter")

typedef enum {
#define TG__METRIC_ENUM(id, name) TG__M_##id,
  TG__METRICS(TG__METRIC_ENUM)
#undef TG__METRIC_ENUM
  TG__NMETRICS
} tg__metric_id;

struct tg_chip {
  char *id, *vendor, *name, *form_factor, *item_type, *process_node,
      *memory_type, *interconnect_note, *notes,
      *designed_in, /* ISO country of the IC's designer (GP10 guidance) */
      *also_meets;  /* paragraph of another CCL entry the item is also
                       described in ("5A002.a"), which takes it to a .z ECCN */
  char **sources;
  size_t nsources;
  tg__field f[TG__NFIELDS];
  bool from_catalog;
  size_t catalog_ix; /* its place in the engine's catalog (from_catalog) */
  /* The metrics, derived again whenever a field changes (so reading them
   * is a copy, and a chip nobody changes is safe to share). */
  tg__metric metrics[TG__NMETRICS];
};


/* Metric `name` of the chip; false when no such metric. */
bool tg__chip_metric(const tg_chip *c, const char *name, tg__metric *m);
/* A deep copy of a chip (NULL when out of memory); tg_chip_destroy frees it. */
tg_chip *tg__chip_copy(const tg_chip *c);
/* Derives every metric from the fields again (after a change). */
void tg__chip_derive(tg_chip *c);
/* Names of the metrics, NULL-terminated. */
extern const char *const tg__metric_names[];

/* Fills a chip from a YAML mapping (a catalog entry or a spec). */
tg_status tg__chip_from_node(tg__yaml *y, tg__ynode *n, bool catalog,
                             tg_chip **out, tg_error *err);

#endif
