/* screen_cache.c - a built index kept in a file (the index layer): the
 * index's arrays and its lists' entries written as they are, read back
 * with one read into one block that the index then owns.  A file is used
 * only when its header carries the expected key (the lists' identity, the
 * screening tables, the code and the format: a stale file is ignored), its
 * checksum matches and every count, offset and id in it is within bounds
 * (a corrupt or truncated file is ignored, never trusted).
 *
 * Layout (native byte order; the magic differs on another one):
 *   header   magic "TGSCIX\0\1", key, payload length, payload checksum
 *   payload  8-byte aligned sections, each a u64 byte length then data:
 *            counts; lists (per list: strings, entry table, aka offsets);
 *            entries; names; units; text; vpool; voff; vlen; weight;
 *            vplace; post_off; post; vkey; vval; dkey; dval; doff */
#define _GNU_SOURCE 1 /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screen_int.h"

#define MAGIC "TGSCIX\0\2"
#define NOSTR UINT32_MAX
#define NFIELDS 11 /* string fields of an entry, below */

uint64_t tg__cache_hash(uint64_t seed, const void *p, size_t n) {
  const unsigned char *b = p;
  uint64_t h[4] = {seed ^ 0x9E3779B97F4A7C15ULL, seed + n, ~seed, seed * 31 + 7};
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int k = 0; k < 4; k++) {
      uint64_t w;
      memcpy(&w, b + i + 8 * k, 8);
      h[k] = (h[k] ^ w) * 0xBF58476D1CE4E5B9ULL;
      h[k] ^= h[k] >> 31;
    }
  uint64_t r = h[0] ^ (h[1] * 3) ^ (h[2] * 5) ^ (h[3] * 7);
  for (; i < n; i++) r = (r ^ b[i]) * 1099511628211ULL;
  r ^= r >> 29;
  return r * 0x94D049BB133111EBULL;
}

/* ---- writing -------------------------------------------------------------- */

static const size_t field_off[NFIELDS] = {
    offsetof(tg__entry, source),     offsetof(tg__entry, ref),
    offsetof(tg__entry, type),       offsetof(tg__entry, name),
    offsetof(tg__entry, countries),  offsetof(tg__entry, programs),
    offsetof(tg__entry, license_requirement), offsetof(tg__entry, license_policy),
    offsetof(tg__entry, fr_notice),  offsetof(tg__entry, start_date),
    offsetof(tg__entry, url)};

static const char *field(const tg__entry *e, int k) {
  return *(char *const *)((const char *)e + field_off[k]);
}

typedef struct wbuf {
  tg__buf b;
  size_t sec; /* where the open section's length goes */
} wbuf;

static void w_pad(wbuf *w) {
  static const char zero[8] = {0};
  if (w->b.len % 8) tg__buf_append(&w->b, zero, 8 - w->b.len % 8);
}

static void w_open(wbuf *w) {
  w_pad(w);
  w->sec = w->b.len;
  uint64_t z = 0;
  tg__buf_append(&w->b, (const char *)&z, 8);
}

static void w_close(wbuf *w) {
  if (w->b.len < w->sec + 8 || !w->b.data) return;
  uint64_t n = w->b.len - w->sec - 8;
  memcpy(w->b.data + w->sec, &n, 8);
}

static void w_sec(wbuf *w, const void *p, size_t n) {
  w_open(w);
  if (n) tg__buf_append(&w->b, p, n);
  w_close(w);
}

static void w_u32(wbuf *w, uint32_t v) { tg__buf_append(&w->b, (const char *)&v, 4); }

static uint32_t str_at(tg__buf *pool, const char *s) {
  if (!s) return NOSTR;
  uint32_t o = (uint32_t)pool->len;
  tg__buf_append(pool, s, strlen(s) + 1);
  return o;
}

/* A list: [n, pool bytes, akas, 5 list strings] [n x (11 fields, nakas |
 * nweak << 16)] [aka offsets] [pool]. */
static void w_list(wbuf *w, const tg__list *l) {
  tg__buf pool;
  tg__buf_init(&pool);
  size_t nakas = 0;
  for (size_t i = 0; i < l->n; i++) nakas += l->entries[i].nakas;
  uint32_t head[5] = {str_at(&pool, l->kind), str_at(&pool, l->title), str_at(&pool, l->format),
                      str_at(&pool, l->published), str_at(&pool, l->files)};
  tg__buf tab;
  tg__buf_init(&tab);
  tg__buf akas;
  tg__buf_init(&akas);
  for (size_t i = 0; i < l->n; i++) {
    const tg__entry *e = &l->entries[i];
    for (int k = 0; k < NFIELDS; k++) {
      uint32_t o = str_at(&pool, field(e, k));
      tg__buf_append(&tab, (const char *)&o, 4);
    }
    /* more than 0xFFFF aliases would not add up on reading: the file
     * would be refused and the index built again */
    uint32_t na = (uint32_t)(e->nakas & 0xFFFF) | (uint32_t)e->nweak << 16;
    tg__buf_append(&tab, (const char *)&na, 4);
    for (size_t a = 0; a < e->nakas; a++) {
      uint32_t o = str_at(&pool, e->akas[a]);
      tg__buf_append(&akas, (const char *)&o, 4);
    }
  }
  w_open(w);
  w_u32(w, (uint32_t)l->n);
  w_u32(w, (uint32_t)pool.len);
  w_u32(w, (uint32_t)nakas);
  for (int k = 0; k < 5; k++) w_u32(w, head[k]);
  if (tab.len) tg__buf_append(&w->b, tab.data, tab.len);
  if (akas.len) tg__buf_append(&w->b, akas.data, akas.len);
  if (pool.len) tg__buf_append(&w->b, pool.data, pool.len);
  w_close(w);
  tg__buf_free(&pool);
  tg__buf_free(&tab);
  tg__buf_free(&akas);
}

/* An entry as stored: its list and place there, its copy on another list. */
typedef struct centry {
  uint32_t list, idx, also_list, also_idx;
  uint16_t cc[8];
  int32_t rank;
  uint32_t pad;
} centry;

typedef struct cname {
  uint32_t entry, off, text, ntok;
} cname;

typedef struct counts {
  uint64_t nlists, nentries, nnames, nunits, ntext, nvpool, nvocab, npost, vmask, ndel, dbits;
  float unknown_weight;
  uint32_t pad;
} counts;

static uint32_t find_list(const tg__index *ix, const tg__list *l) {
  for (size_t i = 0; i < ix->nlists; i++)
    if (ix->lists[i] == l) return (uint32_t)i;
  return NOSTR;
}

static bool w_index(wbuf *w, const tg__index *ix) {
  counts c;
  memset(&c, 0, sizeof c);
  c.nlists = ix->nlists, c.nentries = ix->nentries, c.nnames = ix->nnames, c.nunits = ix->nunits;
  c.ntext = ix->ntext, c.nvpool = ix->nvpool, c.nvocab = ix->nvocab;
  c.npost = ix->post_off[ix->nvocab], c.vmask = ix->vmask, c.ndel = ix->ndel, c.dbits = (uint64_t)ix->dbits;
  c.unknown_weight = ix->unknown_weight;
  w_sec(w, &c, sizeof c);
  for (size_t i = 0; i < ix->nlists; i++) w_list(w, ix->lists[i]);
  centry *ce = tg__calloc(ix->nentries + 1, sizeof *ce);
  cname *cn = tg__calloc(ix->nnames + 1, sizeof *cn);
  bool ok = ce && cn;
  for (size_t i = 0; ok && i < ix->nentries; i++) {
    const tg__sentry *se = &ix->entries[i];
    ce[i].list = find_list(ix, se->list);
    ce[i].idx = (uint32_t)(se->e - se->list->entries);
    ce[i].also_list = se->also ? find_list(ix, se->also_list) : NOSTR;
    ce[i].also_idx = se->also ? (uint32_t)(se->also - se->also_list->entries) : NOSTR;
    memcpy(ce[i].cc, se->cc, sizeof ce[i].cc);
    ce[i].rank = se->rank;
  }
  for (size_t i = 0; ok && i < ix->nnames; i++)
    cn[i] = (cname){ix->names[i].entry, ix->names[i].off, ix->names[i].text,
                    ix->names[i].ntok | (uint32_t)ix->names[i].weak << 8 |
                        (uint32_t)ix->names[i].alias << 9 | (uint32_t)ix->names[i].family2 << 10};
  if (ok) {
    size_t nv = ix->nvocab;
    w_sec(w, ce, ix->nentries * sizeof *ce);
    w_sec(w, cn, ix->nnames * sizeof *cn);
    w_sec(w, ix->units, ix->nunits * 4);
    w_sec(w, ix->text, ix->ntext);
    w_sec(w, ix->vpool, ix->nvpool);
    w_sec(w, ix->voff, nv * 4);
    w_sec(w, ix->vlen, nv);
    w_sec(w, ix->weight, nv * 4);
    w_sec(w, ix->vplace, nv);
    w_sec(w, ix->post_off, (nv + 1) * 4);
    w_sec(w, ix->post, c.npost * 4);
    w_sec(w, ix->vkey, (ix->vmask + 1) * 8);
    w_sec(w, ix->vval, (ix->vmask + 1) * 4);
    w_sec(w, ix->dkey, ix->ndel * 8);
    w_sec(w, ix->dval, ix->ndel * 4);
    w_sec(w, ix->doff, (((size_t)1 << ix->dbits) + 1) * 4);
  }
  tg__free(ce);
  tg__free(cn);
  return ok;
}

tg_status tg__index_save(const tg__index *ix, uint64_t key, const char *path, tg_error *err) {
  if (!ix->nvocab || !ix->vkey || !ix->doff)
    return tg__set_error(err, TG_EINVAL, "an empty index is not cached");
  wbuf w;
  tg__buf_init(&w.b);
  tg__buf_append(&w.b, MAGIC, 8);
  uint64_t z[3] = {key, 0, 0};
  tg__buf_append(&w.b, (const char *)z, sizeof z);
  if (!w_index(&w, ix) || !w.b.data || w.b.oom) {
    tg__buf_free(&w.b);
    return tg__set_error(err, TG_ENOMEM, "out of memory writing the index cache");
  }
  w_pad(&w);
  uint64_t len = w.b.len - 32, sum = tg__cache_hash(key, w.b.data + 32, len);
  memcpy(w.b.data + 16, &len, 8);
  memcpy(w.b.data + 24, &sum, 8);
  /* written beside, then renamed over: a reader never sees half a file */
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  tg_status st = TG_OK;
  if (fd < 0) {
    st = tg__set_error(err, TG_EIO, "cannot write %s: %s", tmp, strerror(errno));
  } else {
    size_t off = 0;
    while (off < w.b.len) {
      ssize_t k = write(fd, w.b.data + off, w.b.len - off);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) break;
      off += (size_t)k;
    }
    if (close(fd) != 0 || off != w.b.len || rename(tmp, path) != 0) {
      st = tg__set_error(err, TG_EIO, "cannot write %s: %s", path, strerror(errno));
      unlink(tmp);
    }
  }
  tg__buf_free(&w.b);
  return st;
}

/* ---- reading ---------------------------------------------------------------- */

typedef struct rd {
  const char *p, *end;
  bool bad;
} rd;

/* The next section: its data and length (NULL, bad, when it does not fit
 * or is not `want` bytes long; want = SIZE_MAX for any length). */
static const char *r_sec(rd *r, size_t want, size_t *len) {
  size_t at = (uintptr_t)r->p % 8;
  if (at) r->p += 8 - at < (size_t)(r->end - r->p) ? 8 - at : (size_t)(r->end - r->p);
  uint64_t n;
  if (r->bad || r->end - r->p < 8) goto bad;
  memcpy(&n, r->p, 8);
  if (n > (uint64_t)(r->end - r->p - 8) || (want != SIZE_MAX && n != want)) goto bad;
  const char *d = r->p + 8;
  r->p = d + n;
  if (len) *len = (size_t)n;
  return d;
bad:
  r->bad = true;
  return NULL;
}

/* A string of a pool: NULL for NOSTR; *ok false when out of bounds (the
 * pool ends with a NUL, checked by the caller, so any start is a string). */
static char *pool_str(char *pool, size_t n, uint32_t o, bool *ok) {
  if (o == NOSTR) return NULL;
  if (o >= n) {
    *ok = false;
    return NULL;
  }
  return pool + o;
}

/* The bytes of a cache file, shared by the index and its lists (whose
 * strings point into them): freed with the last reference. */
typedef struct holder {
  int refs; /* atomic: a list may outlive its index */
  void *p;
  size_t len;
  bool mapped;
} holder;

static void blob_free(void *blob, size_t len, bool mapped) {
  if (mapped) munmap(blob, len);
  else tg__free(blob);
}

static void holder_drop(void *o) {
  holder *h = o;
  if (__atomic_sub_fetch(&h->refs, 1, __ATOMIC_ACQ_REL) > 0) return;
  blob_free(h->p, h->len, h->mapped);
  tg__free(h);
}

static tg__list *r_list(rd *r, holder *bh) {
  size_t len;
  const char *d = r_sec(r, SIZE_MAX, &len);
  if (!d || len < 32) return NULL;
  uint32_t h[8];
  memcpy(h, d, sizeof h);
  uint64_t n = h[0], npool = h[1], nakas = h[2];
  if (n > len / 48 || nakas > len / 4 || 32 + n * 48 + nakas * 4 + npool != len || !npool)
    return NULL;
  const char *tab = d + 32, *ak = tab + n * 48, *src = ak + nakas * 4;
  if (src[npool - 1] != '\0') return NULL;
  tg__list *l = tg__calloc(1, sizeof *l);
  if (!l) return NULL;
  l->refs = 1;
  /* the strings stay in the file's bytes (never written: they are
   * mapped read-only) */
  l->pool = (char *)src;
  l->pool_owner = bh;
  l->pool_drop = holder_drop;
  __atomic_add_fetch(&bh->refs, 1, __ATOMIC_ACQ_REL);
  l->akapool = tg__calloc(nakas + 1, sizeof *l->akapool);
  l->entries = tg__calloc(n + 1, sizeof *l->entries);
  if (!l->akapool || !l->entries) goto bad;
  bool ok = true;
  char *hs[5];
  for (int k = 0; k < 5; k++) hs[k] = pool_str(l->pool, npool, h[3 + k], &ok);
  l->kind = hs[0], l->title = hs[1], l->format = hs[2], l->published = hs[3], l->files = hs[4];
  if (!l->kind || !l->title || !l->format) ok = false;
  uint64_t used = 0;
  for (size_t i = 0; i < n && ok; i++) {
    tg__entry *e = &l->entries[i];
    uint32_t t[12];
    memcpy(t, tab + i * 48, 48);
    for (int k = 0; k < NFIELDS; k++)
      *(char **)((char *)e + field_off[k]) = pool_str(l->pool, npool, t[k], &ok);
    uint32_t na = t[11] & 0xFFFF, nw = t[11] >> 16;
    if (!e->source || !e->name || na > nakas - used || nw > na) {
      ok = false;
      break;
    }
    e->akas = l->akapool + used;
    e->nakas = e->cakas = na;
    e->nweak = nw;
    for (size_t a = 0; a < e->nakas && ok; a++) {
      uint32_t o;
      memcpy(&o, ak + (used + a) * 4, 4);
      e->akas[a] = pool_str(l->pool, npool, o, &ok);
      if (!e->akas[a]) ok = false;
    }
    used += na;
  }
  l->n = l->cap = n;
  if (ok && used == nakas) return l;
bad:
  tg__list_free(l);
  return NULL;
}

#define SEC(ptr, cnt, size)                                                 \
  do {                                                                      \
    if ((cnt) > SIZE_MAX / (size)) goto bad;                                \
    ptr = (void *)r_sec(&r, (size_t)(cnt) * (size), NULL);                  \
    if (!ptr) goto bad;                                                     \
  } while (0)

/* Every id and offset of the arrays within bounds. */
static bool check(const tg__index *ix) {
  size_t nv = ix->nvocab, npost = ix->post_off[nv];
  if (ix->ntext && ix->text[ix->ntext - 1]) return false;
  if (!ix->nvpool || ix->vpool[ix->nvpool - 1]) return false;
  for (size_t v = 0; v < nv; v++) {
    if (ix->voff[v] >= ix->nvpool || ix->vlen[v] >= TG__MAX_TOKEN * 2 ||
        strnlen(ix->vpool + ix->voff[v], ix->nvpool - ix->voff[v]) != ix->vlen[v] ||
        !isfinite(ix->weight[v]) || ix->vplace[v] > 1 || ix->post_off[v] > ix->post_off[v + 1])
      return false;
  }
  if (ix->post_off[0] != 0) return false;
  for (size_t p = 0; p < npost; p++)
    if (ix->post[p] >= ix->nnames) return false;
  for (size_t n = 0; n < ix->nnames; n++) {
    const tg__sname *nm = &ix->names[n];
    if (nm->entry >= ix->nentries || !nm->ntok || nm->ntok > TG__MAX_TOKENS || nm->text >= ix->ntext ||
        nm->off > ix->nunits || 2 * (size_t)nm->ntok - 1 > ix->nunits - nm->off)
      return false;
    for (int c = 0; c < 2 * nm->ntok - 1; c++) {
      uint32_t u = ix->units[nm->off + c];
      if (u >= nv && (c < nm->ntok || u != TG__NONE)) return false;
    }
  }
  bool empty = false;
  for (size_t i = 0; i <= ix->vmask; i++) {
    if (!ix->vkey[i]) empty = true;
    else if (ix->vval[i] >= nv) return false;
  }
  if (!empty) return false;
  size_t nb = (size_t)1 << ix->dbits;
  if (ix->doff[0] != 0 || ix->doff[nb] != ix->ndel) return false;
  for (size_t b = 0; b < nb; b++)
    if (ix->doff[b] > ix->doff[b + 1]) return false;
  for (size_t j = 0; j < ix->ndel; j++)
    if (ix->dval[j] >= nv) return false;
  return isfinite(ix->unknown_weight);
}

static tg_status from_blob(const tg__tables *t, void *blob, size_t len, bool mapped, uint64_t key,
                           tg__index **out, tg_error *err) {
  *out = NULL;
  const char *b = blob;
  uint64_t h[3];
  if (len < 32 || memcmp(b, MAGIC, 8)) goto stale;
  memcpy(h, b + 8, sizeof h);
  if (h[0] != key) goto stale;
  if (h[1] != len - 32 || tg__cache_hash(key, b + 32, len - 32) != h[2]) goto corrupt;
  tg__index *ix = tg__calloc(1, sizeof *ix);
  holder *bh = tg__malloc(sizeof *bh);
  if (!ix || !bh) {
    tg__free(ix);
    tg__free(bh);
    blob_free(blob, len, mapped);
    return tg__set_error(err, TG_ENOMEM, "out of memory");
  }
  *bh = (holder){1, blob, len, mapped};
  ix->refs = 1;
  ix->tables = t;
  ix->blob = bh;
  pthread_mutex_init(&ix->mu, NULL);
  rd r = {b + 32, b + len, false};
  const counts *c = (const counts *)r_sec(&r, sizeof(counts), NULL);
  if (!c || !c->nlists || c->nlists > 64 || !c->nvocab || c->nvocab >= TG__NONE ||
      c->nnames >= TG__NONE || c->nunits >= TG__NONE || c->ntext >= TG__NONE ||
      c->nvpool >= TG__NONE || c->nentries >= TG__NONE || c->dbits < 10 || c->dbits > 30 ||
      c->vmask >= TG__NONE || (c->vmask & (c->vmask + 1)) || c->ndel >= TG__NONE)
    goto bad;
  ix->lists = tg__calloc(c->nlists, sizeof *ix->lists);
  if (!ix->lists) goto bad;
  for (size_t i = 0; i < c->nlists; i++) {
    if (!(ix->lists[i] = r_list(&r, bh))) goto bad;
    ix->nlists++;
  }
  const centry *ce;
  const cname *cn;
  SEC(ce, c->nentries, sizeof *ce);
  SEC(cn, c->nnames, sizeof *cn);
  ix->entries = tg__calloc(c->nentries + 1, sizeof *ix->entries);
  ix->names = tg__calloc(c->nnames + 1, sizeof *ix->names);
  if (!ix->entries || !ix->names) goto bad;
  for (size_t i = 0; i < c->nentries; i++) {
    tg__sentry *se = &ix->entries[i];
    if (ce[i].list >= ix->nlists || ce[i].idx >= ix->lists[ce[i].list]->n) goto bad;
    se->list = ix->lists[ce[i].list];
    se->e = &se->list->entries[ce[i].idx];
    if (ce[i].also_list != NOSTR) {
      if (ce[i].also_list >= ix->nlists || ce[i].also_idx >= ix->lists[ce[i].also_list]->n) goto bad;
      se->also_list = ix->lists[ce[i].also_list];
      se->also = &se->also_list->entries[ce[i].also_idx];
    }
    memcpy(se->cc, ce[i].cc, sizeof se->cc);
    const tg__entry *pe = i ? ix->entries[i - 1].e : NULL; /* mostly as the entry before */
    if (pe && !strcmp(pe->source, se->e->source) &&
        (pe->license_policy == se->e->license_policy ||
         (pe->license_policy && se->e->license_policy &&
          !strcmp(pe->license_policy, se->e->license_policy)))) {
      se->policy = ix->entries[i - 1].policy;
      se->rank = ix->entries[i - 1].rank;
    } else {
      se->policy = tg__screen_policy(se->e->source, se->e->license_policy);
      se->rank = tg__list_rank(se->e->source);
    }
  }
  ix->nentries = c->nentries;
  for (size_t i = 0; i < c->nnames; i++) {
    if (cn[i].ntok > 0x7FF) goto bad; /* ntok, bit 8 a weak alias, bit 9 an alias only, bit 10 family2 */
    ix->names[i] = (tg__sname){.entry = cn[i].entry, .off = cn[i].off, .text = cn[i].text,
                               .ntok = (uint8_t)cn[i].ntok, .weak = (uint8_t)(cn[i].ntok >> 8 & 1),
                               .alias = (uint8_t)(cn[i].ntok >> 9 & 1),
                               .family2 = (uint8_t)(cn[i].ntok >> 10 & 1)};
  }
  ix->nnames = c->nnames;
  size_t nv = c->nvocab;
  ix->nunits = c->nunits, ix->ntext = c->ntext, ix->nvpool = c->nvpool, ix->nvocab = nv;
  ix->vmask = c->vmask, ix->ndel = c->ndel, ix->dbits = (int)c->dbits;
  ix->unknown_weight = c->unknown_weight;
  SEC(ix->units, c->nunits, 4);
  SEC(ix->text, c->ntext, 1);
  SEC(ix->vpool, c->nvpool, 1);
  SEC(ix->voff, nv, 4);
  SEC(ix->vlen, nv, 1);
  SEC(ix->weight, nv, 4);
  SEC(ix->vplace, nv, 1);
  SEC(ix->post_off, nv + 1, 4);
  if (ix->post_off[nv] != c->npost) goto bad;
  SEC(ix->post, c->npost, 4);
  SEC(ix->vkey, c->vmask + 1, 8);
  SEC(ix->vval, c->vmask + 1, 4);
  SEC(ix->dkey, c->ndel, 8);
  SEC(ix->dval, c->ndel, 4);
  SEC(ix->doff, ((size_t)1 << c->dbits) + 1, 4);
  size_t tail = (size_t)(r.end - r.p); /* the padding of the last section */
  if (tail >= 8 || (uintptr_t)r.end % 8 || !check(ix)) goto bad;
  *out = ix;
  return TG_OK;
bad:
  tg__index_release(ix); /* frees the blob */
  return tg__set_error(err, TG_EPARSE, "the index cache is malformed");
corrupt:
  blob_free(blob, len, mapped);
  return tg__set_error(err, TG_EPARSE, "the index cache is truncated or corrupt");
stale:
  blob_free(blob, len, mapped);
  return tg__set_error(err, TG_EPARSE, "the index cache is of other lists or another version");
}

tg_status tg__index_load_file(const tg__tables *t, const char *path, uint64_t key, tg__index **out,
                              tg_error *err) {
  *out = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return tg__set_error(err, TG_ENOTFOUND, "no index cache %s", path);
  struct stat sb;
  void *map = MAP_FAILED;
  /* mapped, not copied: the file is only ever replaced by a rename, never
   * rewritten in place, so the mapping stays whole */
  if (fstat(fd, &sb) == 0 && sb.st_size >= 32 && (uint64_t)sb.st_size < SIZE_MAX / 2)
    map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return tg__set_error(err, TG_EIO, "cannot read %s", path);
  return from_blob(t, map, (size_t)sb.st_size, true, key, out, err);
}

tg_status tg__index_from_blob(const tg__tables *t, void *blob, size_t len, uint64_t key,
                              tg__index **out, tg_error *err) {
  return from_blob(t, blob, len, false, key, out, err);
}

void tg__index_blob_free(tg__index *ix) {
  if (ix->blob) holder_drop(ix->blob);
}

/* ---- keys --------------------------------------------------------------------- */

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

uint64_t tg__cache_base_key(const char *data_dir) {
  /* the format */
  uint64_t k = tg__cache_hash(0, MAGIC, 8);
  /* the code that built it: the object holding this function (the
   * program, or the shared library), by its size, time and inode */
  Dl_info di;
  struct stat sb;
  if (dladdr((void *)tg__cache_base_key, &di) && di.dli_fname && stat(di.dli_fname, &sb) == 0) {
    int64_t id[5] = {(int64_t)sb.st_size, (int64_t)sb.st_mtim.tv_sec, (int64_t)sb.st_mtim.tv_nsec,
                     (int64_t)sb.st_ino, (int64_t)sb.st_dev};
    k = tg__cache_hash(k, id, sizeof id);
  } else {
    k = tg__cache_hash(k, "unknown code", 12);
  }
  /* the normalisation and scoring tables: every file of screening/ */
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/screening", data_dir ? data_dir : ".");
  struct dirent **ents = NULL;
  int n = scandir(dir, &ents, NULL, by_name);
  for (int i = 0; i < n; i++) {
    char p[8192];
    snprintf(p, sizeof p, "%s/%s", dir, ents[i]->d_name);
    FILE *f = ents[i]->d_name[0] != '.' ? fopen(p, "rb") : NULL;
    if (f) {
      k = tg__cache_hash(k, ents[i]->d_name, strlen(ents[i]->d_name));
      char buf[65536];
      size_t m;
      while ((m = fread(buf, 1, sizeof buf, f)) > 0) k = tg__cache_hash(k, buf, m);
      fclose(f);
    }
    free(ents[i]);
  }
  free(ents);
  return k;
}

static int index_file(const struct dirent *d) {
  size_t n = strlen(d->d_name);
  return !strncmp(d->d_name, "index-", 6) && n > 10 && !strcmp(d->d_name + n - 4, ".bin");
}

void tg__cache_prune(const char *dir, int keep) {
  struct dirent **ents = NULL;
  int n = scandir(dir, &ents, index_file, by_name);
  while (n > keep) { /* the least recently written goes first */
    int old = -1;
    struct timespec t = {0, 0};
    for (int i = 0; i < n; i++) {
      char p[8192];
      struct stat sb;
      snprintf(p, sizeof p, "%s/%s", dir, ents[i]->d_name);
      if (stat(p, &sb) != 0) continue;
      if (old < 0 || sb.st_mtim.tv_sec < t.tv_sec ||
          (sb.st_mtim.tv_sec == t.tv_sec && sb.st_mtim.tv_nsec < t.tv_nsec))
        old = i, t = sb.st_mtim;
    }
    if (old < 0) break;
    char p[8192];
    snprintf(p, sizeof p, "%s/%s", dir, ents[old]->d_name);
    unlink(p);
    free(ents[old]);
    ents[old] = ents[--n];
  }
  for (int i = 0; i < n; i++) free(ents[i]);
  free(ents);
}
