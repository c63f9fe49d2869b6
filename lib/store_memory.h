/* Private: reading the whole content of an in-memory store, for the journal
 * store's compaction, and a cache hint for the engine's batches. */
#ifndef LEAD_LIB_STORE_MEMORY_H
#define LEAD_LIB_STORE_MEMORY_H

#include "lead/sys/store.h"

typedef struct lead__store_dump {
    void *ctx;
    /* Each contact, by ascending id, with its index keys (NULL: none). */
    int (*contact)(void *ctx, uint64_t id, const char *email, const char *external_id,
                   const void *record, size_t len);
    /* Each event of that id in time order, right after its contact. */
    int (*event)(void *ctx, uint64_t id, int64_t time_ms, const void *bytes, size_t len);
    /* Each remembered idempotency key with the contact it came with. */
    int (*idem_key)(void *ctx, const char *key, uint64_t contact_id);
    /* Each meta entry. */
    int (*meta)(void *ctx, const char *key, const void *bytes, size_t len);
} lead__store_dump;

/* Visits everything store (made by lead_store_memory_new) holds. Stops at
 * the first non-zero return and returns it. Not during a transaction. */
int lead__store_memory_dump(lead_store *store, const lead__store_dump *dump);

/* Remembers an idempotency key without an event (journal replay). */
int lead__store_memory_add_idem_key(lead_store *store, const char *key, uint64_t contact_id);

/* A hint for a batch of tracks when store is the in-memory store (anything
 * else: nothing): step 0 starts loading contact id's slot, step 1 (once the
 * slot has had time to arrive) its record and the end of its events. */
void lead__store_memory_prefetch(const lead_store *store, uint64_t id, int step);

#endif
