/* A canonical dump of everything an in-memory store holds, to compare the
 * state of two stores byte for byte. */
#ifndef LT_STOREDUMP_H
#define LT_STOREDUMP_H

#include "lead/sys/store.h"

typedef struct lt_dump {
    unsigned char *p; /* libc memory, not the store's allocator */
    size_t len;
} lt_dump;

/* Every contact record with its index keys and every event (by contact id,
 * in time order), then every idempotency key and meta entry sorted by key.
 * store must come from lead_store_memory_new() and be outside a transaction.
 * Fails the test when the store cannot be read. */
lt_dump lt_store_dump(lead_store *store);

/* 1 when a and b hold the same bytes. */
int lt_dump_equal(const lt_dump *a, const lt_dump *b);

void lt_dump_free(lt_dump *d);

#endif
