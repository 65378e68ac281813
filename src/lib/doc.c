/* doc.c - a decision's answer (tg__doc, decide_int.h): the members written
 * as text when the decision was made, put in place among the members still
 * held as a jansson tree, by the JSON writer into one buffer. */
#include <string.h>

#include "decide_int.h"
#include "jw_int.h"

/* The depth of an item of an answer's list member. */
#define ITEM_DEPTH 2

bool tg__spans_add(tg__spans *l, tg__span s) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    tg__span *v = tg__realloc(l->v, cap * sizeof *v);
    if (!v) return false;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = s;
  return true;
}

/* Whether jansson takes s as a string (tg__jtext not NULL). */
static bool text_ok(const char *s) {
  if (!s) return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p >= 0x80) { /* rare: let jansson's UTF-8 check decide */
      json_t *v = json_string(s);
      json_decref(v);
      return v != NULL;
    }
  return true;
}

tg__span tg__strs_write(tg__buf *b, size_t n, const char *const *kv) {
  tg__span s = {b->len, 0};
  for (size_t i = 0; i < n; i++)
    if (!text_ok(kv[2 * i + 1])) return s;
  tg__jw w;
  tg__jw_init_nested(&w, b, TG__DOC_PRECISION, ITEM_DEPTH);
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
  json_decref(a->root);
  json_decref(a->foreign);
  tg__buf_free(&a->frag);
  tg__free(a->spans);
  for (size_t i = 0; i < a->nlists; i++) tg__free(a->lists[i].items.v);
  tg__free(a);
}

static void items(tg__jw *w, const tg__buf *frag, const tg__span *v, size_t n) {
  for (size_t s = 0; s < n; s++) tg__jw_raw(w, frag->data + v[s].at, v[s].len);
}

/* Writes member k's value when it was written as text; false otherwise. */
static bool text_member(tg__jw *w, const tg__doc *a, const char *k) {
  for (size_t i = 0; i < a->ntexts; i++)
    if (!strcmp(k, a->texts[i].key)) {
      tg__jw_raw(w, a->frag.data + a->texts[i].v.at, a->texts[i].v.len);
      return true;
    }
  for (size_t i = 0; i < a->nlists; i++)
    if (!strcmp(k, a->lists[i].key)) {
      tg__jw_array(w);
      items(w, &a->frag, a->lists[i].items.v, a->lists[i].items.n);
      tg__jw_end_array(w);
      return true;
    }
  return false;
}

char *tg__doc_dumps(const tg__doc *a) {
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
  const char *k;
  json_t *x;
  json_object_foreach(a->root, k, x) {
    tg__jw_key(&w, k);
    if (text_member(&w, a, k)) continue;
    if (strcmp(k, "reasons") != 0) {
      tg__jw_tree(&w, x);
      continue;
    }
    tg__jw_array(&w);
    size_t i;
    json_t *y;
    json_array_foreach(a->foreign, i, y) tg__jw_tree(&w, y);
    items(&w, &a->frag, a->spans, a->nspans);
    tg__jw_end_array(&w);
  }
  tg__jw_end_object(&w);
  if (w.failed || w.depth) {
    tg__buf_free(&b);
    return NULL;
  }
  return tg__buf_detach(&b);
}
