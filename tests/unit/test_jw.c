/* test_jw.c - the JSON writer (src/lib/jw.c) gives byte for byte the text
 * jansson's json_dumps gives for the same tree (indent 2, insertion order,
 * precision 10 and 17): reals, exponents, escapes, UTF-8, empty and nested
 * containers, each escaped byte at every offset; a NaN refuses. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jw_int.h"

static void same_as_jansson(json_t *v) {
  for (int prec = 0; prec <= 10; prec += 10) {
    char *want = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
                                    JSON_REAL_PRECISION(prec));
    char *got = tg__jw_dumps(v, prec);
    assert_non_null(want);
    assert_non_null(got);
    if (strcmp(want, got) != 0) fail_msg("writer gave\n%s\njansson gave\n%s", got, want);
    free(want);
    tg_free(got);
  }
}

static void test_numbers(void **state) {
  (void)state;
  static const double reals[] = {0.0, -0.0, 1.0, -2.5, 0.1, 1.0 / 3, 4800, 5.92, 1e20, 1e-5,
                                 -3.25e-300, 1.7976931348623157e308, 123456789012.0, 2368.0,
                                 1e15, 1e16, 1e17, 0.15, 12000.5};
  json_t *a = json_array();
  for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) json_array_append_new(a, json_real(reals[i]));
  json_array_append_new(a, json_integer(0));
  json_array_append_new(a, json_integer(-9223372036854775807LL - 1));
  json_array_append_new(a, json_integer(150000));
  json_array_append_new(a, json_integer(-1));
  json_array_append_new(a, json_integer(9223372036854775807LL));
  same_as_jansson(a);
  json_decref(a);
}

/* Reals of few digits take a path without printf: decimals of 0 to 9
 * places around every power of ten it covers, and its bounds. */
static void test_short_reals(void **state) {
  (void)state;
  static const double edges[] = {1e-4, 9.9999e-5, 0.00015, 999999999.5, 1e9, 999999999.0,
                                 123456.7890123, 0.1 + 0.2, 1.0 / 3, 2.675, 1e-3, 5e-324,
                                 4.35, 0.29, 1234567.891, 98765.4321, 0.000123456789};
  json_t *a = json_array();
  for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
    json_array_append_new(a, json_real(edges[i]));
    json_array_append_new(a, json_real(-edges[i]));
  }
  unsigned seed = 12345;
  for (int i = 0; i < 20000; i++) {
    seed = seed * 1103515245u + 12345u;
    long long n = (long long)(seed >> 4) % 100000000;
    double v = (double)n;
    for (int d = (int)(seed % 13); d > 0; d--) v /= 10;
    json_array_append_new(a, json_real(seed & 1 ? -v : v));
  }
  same_as_jansson(a);
  json_decref(a);
}

static void test_strings_and_shapes(void **state) {
  (void)state;
  json_error_t je;
  json_t *o = json_pack_ex(&je, 0, "{s:s,s:s,s:s,s:[],s:{},s:[{},[]],s:b,s:b,s:n}", "quote", "say \"hi\" \\ /",
                        "controls", "a\tb\nc\rd\be\ff\x01g\x1fh\x7f", "utf8", "Ma\xc3\xa7\xc3\xa3o \xe2\x80\xa8 \xf0\x9f\x98\x80",
                        "empty_a", "empty_o", "nested", "t", 1, "f", 0, "n");
  if (!o) fail_msg("pack: %s", je.text);
  json_object_set_new(o, "deep", json_pack("{s:{s:[i,i,{s:f}]}}", "x", "y", 1, 2, "z", 2.5));
  json_object_set_new(o, "ke\"y\n", json_string(""));
  same_as_jansson(o);
  json_decref(o);
  json_t *scalar = json_string("alone");
  same_as_jansson(scalar);
  json_decref(scalar);
}

/* Every byte the writer escapes, and bytes next to them in value (0x20,
 * 0x7f, '!', '#', '[', ']', UTF-8), at every offset of a string long
 * enough for the 16- and 8-byte scans and their tails. */
static void test_escapes_at_every_offset(void **state) {
  (void)state;
  static const char marks[] = {'"', '\\', '\n', '\x01', '\x1f', '\t', ' ', '!', '#', '[', ']', '\x7f'};
  json_t *a = json_array();
  for (size_t m = 0; m < sizeof marks; m++)
    for (size_t at = 0; at < 40; at++) {
      char s[64];
      memset(s, 'a', sizeof s);
      s[at] = marks[m];
      memcpy(s + at + 1, "\xc3\xa7", 2); /* UTF-8 (bytes above 0x7f) after the mark */
      s[at + 5] = '\0';
      json_array_append_new(a, json_string(s));
    }
  assert_int_equal(json_array_size(a), sizeof marks * 40); /* json_string took them all */
  same_as_jansson(a);
  json_decref(a);
}

static void test_refuses_nan(void **state) {
  (void)state;
  tg__buf b;
  tg__buf_init(&b);
  tg__jw w;
  tg__jw_init(&w, &b, 10);
  tg__jw_array(&w);
  tg__jw_real(&w, NAN);
  tg__jw_end_array(&w);
  assert_true(w.failed);
  tg__buf_free(&b);
  assert_null(tg__jw_dumps(NULL, 10));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_short_reals),
      cmocka_unit_test(test_strings_and_shapes),
      cmocka_unit_test(test_escapes_at_every_offset),
      cmocka_unit_test(test_refuses_nan),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
