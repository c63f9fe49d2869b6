/* The entry point every fuzz target defines: libFuzzer calls it with each
 * input, and replay.c calls it with every file of the committed corpus. It
 * aborts when it finds a bug and returns 0 otherwise. */
#ifndef LEAD_FUZZ_H
#define LEAD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
