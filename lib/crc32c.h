/* Private: CRC-32C checksums for the journal. */
#ifndef LEAD_LIB_CRC32C_H
#define LEAD_LIB_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc over data; start with 0. crc32c("123456789") == 0xE3069283. */
uint32_t lead__crc32c(uint32_t crc, const void *data, size_t len);

#endif
