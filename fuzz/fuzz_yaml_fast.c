/* fuzz_yaml_fast.c - libFuzzer target for the quick YAML reader
 * (src/lib/yaml_fast.c), differential: whenever it takes a text, libfyaml
 * must take it too and give the same tree (texts, styles, positions);
 * anything else aborts.  Also finds crashes, leaks and undefined
 * behaviour in the reader itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  tg__yaml y, quick, full;
  tg_error err;
  /* tg__yaml_load checks the text (UTF-8, no NUL) before either reader */
  if (tg__yaml_load(&y, text, size, "fuzz.yaml", &err) == TG_OK) {
    tg__yaml_free(&y);
    memset(&quick, 0, sizeof quick);
    if (tg__yaml_fast(&quick, text, size)) {
      if (tg__yaml_load_libfyaml(&full, text, size, "fuzz.yaml", &err) != TG_OK) abort();
      if (!tg__yaml_same(quick.root, full.root)) abort();
      tg__yaml_free(&full);
      tg__yaml_free(&quick);
    }
  }
  free(text);
  return 0;
}
