/* What the fuzz targets share: the entry point libFuzzer calls, and the
 * fuzzer's bytes made into a file, since mesilab's readers take paths. */
#ifndef MESILAB_FUZZ_INPUT_H
#define MESILAB_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* DATA in an anonymous in-memory file; returns its descriptor (the caller
 * closes it) and fills PATH (/proc/self/fd/N) for readers that open paths.
 * Exits on failure: the fuzzing machine is broken, not the input. */
int fuzz_input_file(const uint8_t *data, size_t size, char *path, size_t len);

/* DATA as a NUL-terminated string (freed by the caller). */
char *fuzz_input_string(const uint8_t *data, size_t size);

#endif
