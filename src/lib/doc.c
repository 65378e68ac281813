/* doc.c - a decision's answer (tg__doc, decide_int.h): the members written
 * as text when the decision was made, put in place among the members still
 * held as a jansson tree, by the JSON writer into one buffer. */
#include <string.h>

#include "decide_int.h"
#include "jval_int.h"
#include "jw_int.h"

bool tg__spans_add(tg__spans *l, tg__span s) {
  if (!tg__grow(&l->v, &l->cap, l->n + 1, sizeof *l->v)) return false;
  l->v[l->n++] = s;
  return true;
}

tg__span tg__strs_write(tg__buf *b, int depth, size_t n, const char *const *kv) {
  tg__span s = {b->len, 0};
  for (size_t i = 0; i < n; i++)
    if (!tg__jtext_ok(kv[2 * i + 1])) return s;
  tg__jw w;
  tg__jw_init_nested(&w, b, TG__DOC_PRECISION, depth);
  tg__jw_object(&w);
  for (size_t i = 0; i < n; i++) {
    tg__jw_key(&w, kv[2 * i]);
    tg__jw_string(&w, kv[2 * i + 1]);
  }
  tg__jw_end_object(&w);
  if (w.failed) b->oom = true;
  s.len = b->len - s.at;
  return s;
}

tg__span tg__tree_write(tg__buf *b, const json_t *v, int depth) {
  tg__span s = {b->len, 0};
  if (!v) return s;
  tg__jw w;
  tg__jw_init_nested(&w, b, TG__DOC_PRECISION, depth);
  tg__jw_tree(&w, v);
  if (w.failed) b->oom = true;
  s.len = b->len - s.at;
  return s;
}

void tg__doc_free(tg__doc *a) {
  if (!a) return;
  for (size_t i = 0; i < a->n; i++) {
    json_decref(a->m[i].tree);
    tg__free(a->m[i].items.v);
  }
  tg__buf_free(&a->frag);
  tg__free(a);
}

static void items(tg__jw *w, const tg__buf *frag, const tg__spans *l) {
  for (size_t s = 0; s < l->n; s++) tg__jw_raw(w, frag->data + l->v[s].at, l->v[s].len);
}

char *tg__doc_dumps(const tg__doc *a) { return tg__doc_dumps_holes(a, NULL, NULL); }

/* The holes of text member m, put at their place in b (the member's text
 * ends b), after the n already placed in `out`. */
static void place_holes(const tg__doc *a, const tg__member *m, const tg__buf *b, tg__hole *out,
                        size_t *n) {
  size_t start = b->len - m->text.len;
  for (size_t h = 0; h < a->nholes; h++) {
    const tg__hole *x = &a->holes[h];
    if (x->at < m->text.at || x->at + x->len > m->text.at + m->text.len) continue;
    if (*n == TG__DOC_HOLES) return;
    size_t k = (*n)++; /* in text order: insertion */
    for (; k > 0 && out[k - 1].at > start + (x->at - m->text.at); k--) out[k] = out[k - 1];
    out[k] = (tg__hole){start + (x->at - m->text.at), x->len, x->kind};
  }
}

char *tg__doc_dumps_holes(const tg__doc *a, tg__hole *holes, size_t *nholes) {
  if (nholes) *nholes = 0;
  if (!a || a->frag.oom) return NULL;
  tg__buf b;
  tg__buf_init(&b);
  size_t cap = a->frag.len + 16384; /* the rest of an answer: some kilobytes */
  if ((b.data = tg__malloc(cap))) {
    b.cap = cap;
    b.data[0] = '\0';
  }
  tg__jw w;
  tg__jw_init(&w, &b, TG__DOC_PRECISION);
  tg__jw_object(&w);
  for (size_t i = 0; i < a->n; i++) {
    const tg__member *m = &a->m[i];
    tg__jw_key(&w, m->key);
    switch (m->kind) {
    case TG__M_TEXT:
      tg__jw_raw(&w, a->frag.data + m->text.at, m->text.len);
      if (holes && !b.oom) place_holes(a, m, &b, holes, nholes);
      break;
    case TG__M_TREE: tg__jw_tree(&w, m->tree); break;
    case TG__M_LIST:
    case TG__M_REASONS: {
      tg__jw_array(&w);
      size_t k;
      json_t *y;
      if (m->kind == TG__M_REASONS) json_array_foreach(m->tree, k, y) tg__jw_tree(&w, y);
      items(&w, &a->frag, &m->items);
      tg__jw_end_array(&w);
      break;
    }
    }
  }
  tg__jw_end_object(&w);
  if (w.failed || w.depth) {
    tg__buf_free(&b);
    return NULL;
  }
  return tg__buf_detach(&b);
}
