/* Private: SHA-256 (FIPS 180-4), for the one-way hash erase keeps. */
#ifndef LEAD_LIB_SHA256_H
#define LEAD_LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define LEAD__SHA256_BYTES 32

/* The SHA-256 digest of data[0..len). */
void lead__sha256(unsigned char out[LEAD__SHA256_BYTES], const void *data, size_t len);

#endif
