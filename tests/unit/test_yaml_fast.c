/* test_yaml_fast.c - the quick YAML reader (src/lib/yaml_fast.c) takes
 * every shipped data file and gives the tree libfyaml gives (texts,
 * styles, lines and columns); on texts around the edges of its subset it
 * either gives libfyaml's tree or declines, never another answer. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "yaml_int.h"

/* Prints the first scalar where two trees differ (for a failure). */
static bool show_diff(const tg__ynode *a, const tg__ynode *b) {
  if (!a || !b || a->type != b->type || a->n != b->n) {
    print_message("node kinds differ (%d/%d, %zu/%zu items)\n", a ? a->type : -1, b ? b->type : -1,
                  a ? a->n : 0, b ? b->n : 0);
    return true;
  }
  if (a->type == TG__Y_SCALAR) {
    if (tg__yaml_same(a, b)) return false;
    print_message("quick %d:%d style %d '%s' / libfyaml %d:%d style %d '%s'\n", a->line, a->col,
                  a->style, a->text, b->line, b->col, b->style, b->text);
    return true;
  }
  for (size_t i = 0; i < a->n; i++)
    if (a->type == TG__Y_SEQ ? show_diff(a->items[i], b->items[i])
                             : show_diff(a->pairs[i].key, b->pairs[i].key) ||
                                   show_diff(a->pairs[i].value, b->pairs[i].value))
      return true;
  return false;
}

/* Returns whether the quick reader took the text; fails when it gave a
 * tree libfyaml does not give. */
static bool same_or_declined(const char *text, size_t len, const char *what) {
  tg__yaml quick, full;
  memset(&quick, 0, sizeof quick);
  if (!tg__yaml_fast(&quick, text, len)) {
    assert_null(quick.arena);
    return false;
  }
  tg_error err;
  if (tg__yaml_load_libfyaml(&full, text, len, what, &err) != TG_OK)
    fail_msg("%s: the quick reader took a text libfyaml refuses: %s", what, err.message);
  if (!tg__yaml_same(quick.root, full.root) && show_diff(quick.root, full.root)) fail_msg("%s: the trees differ", what);
  tg__yaml_free(&quick);
  tg__yaml_free(&full);
  return true;
}

static void file_taken(const char *path) {
  char *text;
  size_t len;
  tg_error err;
  assert_int_equal(tg__read_file(path, &text, &len, &err), TG_OK);
  if (!same_or_declined(text, len, path)) fail_msg("%s: declined (a slow engine open)", path);
  tg_free(text);
}

static void test_shipped_files(void **state) {
  (void)state;
  file_taken(TG_DATA_DIR "/countries.yaml");
  file_taken(TG_DATA_DIR "/country-groups-history.yaml");
  file_taken(TG_DATA_DIR "/catalog/chips.yaml");
  DIR *d = opendir(TG_DATA_DIR "/rules");
  assert_non_null(d);
  int files = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/rules/%s", TG_DATA_DIR, de->d_name);
    file_taken(path);
    files++;
  }
  closedir(d);
  assert_true(files > 20);
}

/* Texts inside the subset: taken, and libfyaml's tree. */
static void test_taken(void **state) {
  (void)state;
  static const char *const texts[] = {
      "a: b\n",
      "a: b",
      "a: 'it is'\nb: \"q\"  # note\n",
      "# head\n\nlist:\n  - x\n  - {k: v, n: [1, 2, \"three\"], e: [], f: {}}\n  - [a b, 'c']\n",
      "list:\n- x\n- y\nnext: z\n",
      ("rules:\n  - id: r1\n    when: a == \"b\" and (c in D5)\n    text: \"x {y} z\"\n  - id: r2\n"
       "    overcomes: [r1]\n"),
      "notes: |\n  one\n   two\n\n  three\n\n\nafter: x\n",
      "n:\n  m:\n    o: -1.5\n  p: q\n",
      "name: \"\xc3\x85land\"\nx: {a: \"\xc3\x85\", b: c}\n",
      "- a\n- b: c\n  d: e\n",
      "a: >\n  one\n  two\n\n  three\n\n\n  four\nb: >\n  x\n",
  };
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
    if (!same_or_declined(texts[i], strlen(texts[i]), texts[i])) fail_msg("declined: %s", texts[i]);
}

/* Texts at or past its edges: whatever it does, never another tree. */
static void test_edges(void **state) {
  (void)state;
  static const char *const texts[] = {
      "a: b\na: c\n",                 /* duplicate key */
      "a: b\n  c\n",                  /* a continuation line */
      "a: \"b\n  c\"\n",              /* a quoted scalar over two lines */
      "a: \"b\\n\"\n",                /* an escape */
      "a: 'it''s'\n",
      "a: b # c\n",
      "a: b#c\n",
      "a: b: c\n",
      "a:\n",
      "a: &x b\nc: *x\n",
      "a: !!str b\n",
      "---\na: b\n",
      "a: b\n...\n",
      "%YAML 1.2\n---\na: b\n",
      "a: >\n  folded\n    more\n  back\n",
      "a: |-\n  x\n",
      "a: |\n\n  x\n",
      "a: |\n  x\n \n",
      "a: |\n    x\n  y\n",
      "a: [b, c,]\n",
      "a: [b\n",
      "a: {b: c\n",
      "a: [b: c]\n",
      "a: {b:c}\n",
      "a:\tb\n",
      "a: b\r\n",
      "- - a\n",
      "-\n",
      "- a\nb: c\n",
      "a: b\n - c\n",
      "  a: b\n",
      "? a\n: b\n",
      "a: -b\n",
      "a: [-1, -b]\n",
      "\"a\": b\n",
      "a: b\n\xc2\x85",
      "x",
      "",
      "# only a comment\n",
      "a: ~\n",
      "a: [~, null]\n",
      "a:  b  \n",
      "a: [ b , c ]\n",
      "a: {b: [c, {d: e}]}\n",
  };
  int taken = 0;
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
    taken += same_or_declined(texts[i], strlen(texts[i]), texts[i]);
  assert_true(taken > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shipped_files),
      cmocka_unit_test(test_taken),
      cmocka_unit_test(test_edges),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
