/* plot.c - the TPP / performance-density chart as SVG.  The regions come
 * from the rules, not from thresholds written here: each cell of a log-log
 * grid is a synthetic datacenter chip (INT8 TOPS = TPP/8, die area =
 * TPP/PD) classified with tg_classify on the date, coloured by its ECCN;
 * cells whose answer hangs on a fact the chart does not fix (bandwidth,
 * ...) are drawn faded.  Then every catalog chip with a known TPP and PD is
 * a point carrying data-chip="ID" for the console.  The root element names
 * the axes (data-tpp-range, data-pd-range: log scales) and the plot area
 * (data-plot-area: x y width height) so readers can map points back. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decide_int.h"

#define W 760
#define H 520
#define ML 64  /* margins: left, right, top, bottom */
#define MR 180
#define MT 36
#define MB 48
#define NX 600 /* grid cells: 600 x 400 classifications per chart */
#define NY 400
#define MAX_ECCNS 12

typedef struct plot {
  double x0, x1, y0, y1; /* log10 of the axis ranges */
  char eccns[MAX_ECCNS][32]; /* "" = no ECCN */
  int neccn;
  tg__buf b;
} plot;

static double px(const plot *p, double tpp) {
  return ML + (log10(tpp) - p->x0) / (p->x1 - p->x0) * (W - ML - MR);
}
static double py(const plot *p, double pd) {
  return H - MB - (log10(pd) - p->y0) / (p->y1 - p->y0) * (H - MT - MB);
}

/* A stable colour per ECCN: the 3A090 family warm, others cool. */
static const char *colour(const char *eccn) {
  if (!eccn || !strcmp(eccn, "EAR99")) return "#eef2f5";
  if (!strcmp(eccn, "3A090.a")) return "#d94841";
  if (!strcmp(eccn, "3A090.b")) return "#f29e4c";
  if (!strncmp(eccn, "3A090", 5)) return "#f7d154";
  if (!strncmp(eccn, "4A090", 5)) return "#b07cc6";
  static const char *const other[] = {"#7fb3d5", "#76c7a0", "#a3a3d9", "#c9b18f"};
  unsigned h = 0;
  for (const char *s = eccn; *s; s++) h = h * 31 + (unsigned char)*s;
  return other[h % 4];
}

static void esc(tg__buf *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': tg__buf_puts(b, "&amp;"); break;
    case '<': tg__buf_puts(b, "&lt;"); break;
    case '>': tg__buf_puts(b, "&gt;"); break;
    case '"': tg__buf_puts(b, "&quot;"); break;
    default: tg__buf_append(b, s, 1);
    }
  }
}

/* The legend index of an ECCN (NULL = none), adding it when new. */
static int intern(plot *p, const char *eccn) {
  if (!eccn) eccn = "";
  for (int i = 0; i < p->neccn; i++)
    if (!strcmp(p->eccns[i], eccn)) return i;
  if (p->neccn == MAX_ECCNS) return MAX_ECCNS - 1;
  snprintf(p->eccns[p->neccn], sizeof p->eccns[0], "%s", eccn);
  return p->neccn++;
}

static const char *eccn_at(const plot *p, int i) { return p->eccns[i][0] ? p->eccns[i] : NULL; }

/* The facts of the cell (tpp, pd): a datacenter chip with INT8 TOPS =
 * TPP/8 and die area TPP/PD, as tg__chip_metric derives them (TPP = INT8
 * TOPS x 8 bits, peak TOPS = INT8 TOPS, PD = TPP / area); every other fact
 * is the template's (the same chip at another cell). */
static void cell_facts(tg__facts *f, double tpp, double pd) {
  double int8 = tpp / 8, area = tpp / pd, t = int8 * 8;
  f->tpp.lo = f->tpp.hi = t;
  f->peak.lo = f->peak.hi = int8;
  f->area.lo = f->area.hi = area;
  f->pd.lo = f->pd.hi = t / area;
}

/* One row of cells being classified. */
typedef struct row {
  const tg_engine *e;
  tg_date on;
  tg__facts *f;
  tg__eval *ev;
  double x0, dx, pd;
} row;

static double cell_tpp(const row *w, int i) { return pow(10, w->x0 + (i + 0.5) * w->dx); }

/* Classifies cells i..k of a row at once: the cell facts become intervals
 * spanning those cells (widened by a relative 1e-12 against rounding), and
 * the answer is kept only when no comparison the span leaves open decided
 * it (see tg__eval.vary_slots): then every cell has this answer.  One cell
 * is classified exactly. */
static bool classify_span(row *w, int i, int k, const tg__rule **rule, bool *undet) {
  if (i == k) {
    cell_facts(w->f, cell_tpp(w, i), w->pd);
    w->ev->vary_slots = 0;
    *rule = tg__classify_quick(w->e, w->on, w->ev, undet);
    return true;
  }
  const double lo = 1 - 1e-12, hi = 1 + 1e-12;
  double t0 = cell_tpp(w, i), t1 = cell_tpp(w, k);
  tg__facts *f = w->f;
  f->tpp.lo = t0 * lo, f->tpp.hi = t1 * hi;
  f->peak.lo = t0 / 8 * lo, f->peak.hi = t1 / 8 * hi;
  f->area.lo = t0 / w->pd * lo, f->area.hi = t1 / w->pd * hi;
  f->pd.lo = w->pd * lo, f->pd.hi = w->pd * hi;
  w->ev->vary_slots = 1u << TG__FACT_TPP | 1u << TG__FACT_PEAK_TOPS | 1u << TG__FACT_DIE_AREA |
                      1u << TG__FACT_PD;
  w->ev->unsettled = false;
  *rule = tg__classify_quick(w->e, w->on, w->ev, undet);
  w->ev->vary_slots = 0;
  return !w->ev->unsettled;
}

/* The last cell k >= i such that cells i..k share one answer, found by
 * bisection (a part of a settled span is settled). */
static int settled_end(row *w, int i, int n) {
  const tg__rule *r;
  bool u;
  if (classify_span(w, i, n - 1, &r, &u)) return n - 1;
  int lo = i, hi = n - 1; /* lo settles, hi does not */
  while (hi - lo > 1) {
    int mid = lo + (hi - lo) / 2;
    if (classify_span(w, i, mid, &r, &u)) lo = mid;
    else hi = mid;
  }
  return lo;
}

static void region_rect(plot *p, int j, int start, int end, int run, int faded) {
  double x0 = ML + (double)start / NX * (W - ML - MR), x1 = ML + (double)end / NX * (W - ML - MR);
  double y1 = H - MB - (double)j / NY * (H - MT - MB), y0 = H - MB - (double)(j + 1) / NY * (H - MT - MB);
  tg__buf_printf(&p->b,
                 "<rect class=\"region\" data-eccn=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                 "height=\"%.2f\" fill=\"%s\"%s/>\n",
                 eccn_at(p, run) ? eccn_at(p, run) : "none", x0, y0, x1 - x0 + 0.3, y1 - y0 + 0.3,
                 colour(eccn_at(p, run)), faded ? " fill-opacity=\"0.45\"" : "");
}

/* Classifies every cell (whole runs at once where the rules settle on
 * them); each row's runs of one answer become one rect. */
static tg_status regions(plot *p, const tg_engine *e, tg_date on) {
  tg_chip *c;
  tg_status st = tg_chip_create("chart-cell", &c);
  if (st != TG_OK) return st;
  tg_chip_set_number(c, "datacenter", 1, "user");
  tg_chip_set_number(c, "int8_tops", 1000, "user");
  tg_chip_set_number(c, "die_area_mm2", 500, "user");
  tg__facts f;
  tg__facts_init(&f, e, c, on);
  tg__eval ev;
  tg__eval_init(&ev, &f, NULL);
  const double dy = (p->y1 - p->y0) / NY;
  row w = {.e = e, .on = on, .f = &f, .ev = &ev, .x0 = p->x0, .dx = (p->x1 - p->x0) / NX};
  for (int j = 0; j < NY; j++) {
    w.pd = pow(10, p->y0 + (j + 0.5) * dy);
    int run = -1, run_faded = 0, start = 0;
    for (int i = 0; i < NX;) {
      int k = settled_end(&w, i, NX);
      const tg__rule *r;
      bool undet;
      classify_span(&w, i, k, &r, &undet);
      int eccn = intern(p, r ? r->effect : NULL), faded = undet;
      if (i > 0 && (eccn != run || faded != run_faded)) {
        region_rect(p, j, start, i, run, run_faded);
        start = i;
      }
      run = eccn;
      run_faded = faded;
      i = k + 1;
    }
    region_rect(p, j, start, NX, run, run_faded);
  }
  tg_chip_destroy(c);
  return st;
}

static void axes(plot *p) {
  tg__buf *b = &p->b;
  tg__buf_printf(b, "<g class=\"axes\" stroke=\"#555\" stroke-width=\"1\" fill=\"none\">\n"
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
                 ML, MT, W - ML - MR, H - MT - MB);
  for (int d = (int)ceil(p->x0); d <= (int)floor(p->x1); d++)
    for (int m = 1; m < 10; m++) {
      double v = m * pow(10, d), x = px(p, v);
      if (v > pow(10, p->x1) + 1e-9) break;
      tg__buf_printf(b, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"%s/>\n", x, H - MB, x,
                     m == 1 ? MT : H - MB + 4, m == 1 ? " stroke-opacity=\"0.25\"" : "");
    }
  for (int d = (int)ceil(p->y0); d <= (int)floor(p->y1); d++)
    for (int m = 1; m < 10; m++) {
      double v = m * pow(10, d), y = py(p, v);
      if (v > pow(10, p->y1) + 1e-9) break;
      tg__buf_printf(b, "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\"%s/>\n",
                     m == 1 ? W - MR : ML - 4, y, ML, y, m == 1 ? " stroke-opacity=\"0.25\"" : "");
    }
  tg__buf_puts(b, "</g>\n<g class=\"labels\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#222\">\n");
  for (int d = (int)ceil(p->x0); d <= (int)floor(p->x1); d++)
    tg__buf_printf(b, "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
                   px(p, pow(10, d)), H - MB + 16, pow(10, d));
  for (int d = (int)ceil(p->y0); d <= (int)floor(p->y1); d++)
    tg__buf_printf(b, "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%g</text>\n", ML - 7,
                   py(p, pow(10, d)) + 4, pow(10, d));
  tg__buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">Total processing performance (TPP)</text>\n"
                    "<text transform=\"translate(16 %d) rotate(-90)\" text-anchor=\"middle\">Performance density (TPP / mm&#178;)</text>\n",
                 ML + (W - ML - MR) / 2, H - 12, MT + (H - MT - MB) / 2);
  tg__buf_puts(b, "</g>\n");
}

static void legend(plot *p) {
  tg__buf *b = &p->b;
  int x = W - MR + 14, y = MT + 4;
  tg__buf_printf(b, "<g class=\"legend\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#222\">\n"
                    "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">ECCN (datacenter chip)</text>\n", x, y + 8);
  for (int i = 0; i < p->neccn; i++) {
    y += 20;
    tg__buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"#888\"/>"
                      "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y, colour(eccn_at(p, i)), x + 20, y + 11,
                   eccn_at(p, i) ? eccn_at(p, i) : "no ECCN from the rules");
  }
  y += 26;
  tg__buf_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#555\">faded: depends on facts</text>\n"
                    "<text x=\"%d\" y=\"%d\" fill=\"#555\">not on the chart</text>\n"
                    "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#1f3b57\" stroke=\"#fff\"/>"
                    "<text x=\"%d\" y=\"%d\">a catalog chip</text>\n</g>\n",
                 x, y, x, y + 14, x + 6, y + 32, x + 20, y + 36);
}

static void chips(plot *p, const tg_engine *e, tg_date on) {
  tg__buf *b = &p->b;
  tg__buf_puts(b, "<g class=\"chips\">\n");
  for (size_t i = 0; i < tg_catalog_count(e); i++) {
    const tg_chip *c = tg_catalog_at(e, i);
    double tpp, pd;
    if (tg_chip_metric(c, "tpp", &tpp) != 1 || tg_chip_metric(c, "pd", &pd) != 1 || tpp <= 0 || pd <= 0)
      continue;
    tg_result *r = NULL;
    tg_classify(e, c, on, &r, NULL);
    const char *eccn = r ? tg_result_eccn(r) : NULL;
    tg__buf_puts(b, "<circle class=\"chip\" data-chip=\"");
    esc(b, tg_chip_id(c));
    tg__buf_printf(b, "\" cx=\"%.2f\" cy=\"%.2f\" r=\"4.5\" fill=\"#1f3b57\" stroke=\"#fff\" "
                      "stroke-width=\"1.2\"><title>", px(p, tpp), py(p, pd));
    esc(b, tg_chip_name(c));
    tg__buf_printf(b, " (%s): TPP %.0f, PD %.2f, ", tg_chip_id(c), tpp, pd);
    esc(b, eccn ? eccn : "not 3A090");
    tg__buf_puts(b, "</title></circle>\n");
    tg_result_destroy(r);
  }
  tg__buf_puts(b, "</g>\n");
}

char *tg_plot_svg(const tg_engine *e, tg_date on) {
  if (!e) return NULL;
  plot p = {.x0 = 2, .x1 = 5, .y0 = -1, .y1 = 2};
  /* Widen the axes (by decades) to every catalog chip. */
  for (size_t i = 0; i < tg_catalog_count(e); i++) {
    double tpp, pd;
    const tg_chip *c = tg_catalog_at(e, i);
    if (tg_chip_metric(c, "tpp", &tpp) == 1 && tpp > 0) {
      if (log10(tpp) < p.x0) p.x0 = floor(log10(tpp));
      if (log10(tpp) > p.x1) p.x1 = ceil(log10(tpp));
    }
    if (tg_chip_metric(c, "pd", &pd) == 1 && pd > 0) {
      if (log10(pd) < p.y0) p.y0 = floor(log10(pd));
      if (log10(pd) > p.y1) p.y1 = ceil(log10(pd));
    }
  }
  char d[11];
  tg_date_format(on, d);
  tg__buf_init(&p.b);
  tg__buf_printf(&p.b,
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                 "height=\"%d\" class=\"tg-chart\" data-on=\"%s\" data-tpp-range=\"%g %g\" "
                 "data-pd-range=\"%g %g\" data-plot-area=\"%d %d %d %d\">\n"
                 "<title>TPP and performance density: 3A090 regions on %s</title>\n"
                 "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
                 "<text x=\"%d\" y=\"22\" font-family=\"sans-serif\" font-size=\"14\" "
                 "font-weight=\"bold\" fill=\"#222\">Classification of a datacenter chip on %s "
                 "(from the rules in force)</text>\n<g class=\"regions\" shape-rendering=\"crispEdges\">\n",
                 W, H, W, H, d, pow(10, p.x0), pow(10, p.x1), pow(10, p.y0), pow(10, p.y1), ML,
                 MT, W - ML - MR, H - MT - MB, d, W, H, ML, d);
  if (regions(&p, e, on) != TG_OK) {
    tg__buf_free(&p.b);
    return NULL;
  }
  tg__buf_puts(&p.b, "</g>\n");
  axes(&p);
  legend(&p);
  chips(&p, e, on);
  tg__buf_puts(&p.b, "</svg>\n");
  return tg__buf_detach(&p.b);
}
