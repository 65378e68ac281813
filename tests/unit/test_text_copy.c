/* test_text_copy.c - tg__copy and tg__cat (util.c) write what
 * snprintf(out, n, "%s...") writes, cut or not, for every buffer size
 * from 0 to past the whole, and return the whole's length. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tg_int.h"

static void test_cat_as_snprintf(void **state) {
  (void)state;
  const char *const parts[] = {"rule ", "", "r-1 (", "set", ") is ", "unverified: a note"};
  enum { K = sizeof parts / sizeof *parts };
  for (size_t k = 0; k <= K; k++)
    for (size_t n = 0; n < 48; n++) {
      char want[64], got[64];
      memset(want, 'x', sizeof want);
      memset(got, 'x', sizeof got);
      char whole[64] = "";
      for (size_t i = 0; i < k; i++) strcat(whole, parts[i]);
      int wn = snprintf(want, n, "%s", whole);
      size_t gn = tg__cat(got, n, k, parts);
      assert_int_equal(gn, (size_t)wn);
      assert_memory_equal(got, want, sizeof want); /* nothing written past the n bytes */
    }
}

static void test_copy_as_snprintf(void **state) {
  (void)state;
  for (size_t n = 0; n < 12; n++) {
    char want[16], got[16];
    memset(want, 'x', sizeof want);
    memset(got, 'x', sizeof got);
    int wn = snprintf(want, n, "%s", "transfer");
    assert_int_equal(tg__copy(got, n, "transfer"), (size_t)wn);
    assert_memory_equal(got, want, sizeof want);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cat_as_snprintf),
      cmocka_unit_test(test_copy_as_snprintf),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
