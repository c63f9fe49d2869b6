/*
 * liblead — the persistence contract a backend implements (docs/storage.md).
 *
 * The engine reads and writes everything it keeps through this callback
 * table. Records are opaque bytes encoded by the library (a versioned,
 * length-prefixed format described in docs/storage.md); a backend stores
 * them under the keys given and maintains the few indexes listed below.
 *
 * Every callback returns 0 on success, LEAD_ENOTFOUND where a lookup finds
 * nothing, LEAD_ENOMEM when it ran out of memory (the engine passes that on),
 * and any other non-zero value on failure (the engine reports LEAD_ESTORE
 * with that value in lead_engine_errmsg()). A failed callback must have
 * changed nothing.
 * Bytes a callback hands back through `const void **out_bytes` are borrowed:
 * valid until the next call on the same store. Bytes handed to a callback
 * are the caller's: copy what you keep.
 * Callbacks run on the thread that called the engine. Engines sharing one
 * store must not be used concurrently unless the store is thread-safe; the
 * built-in memory and journal stores are not (docs/threading.md).
 */
#ifndef LEAD_SYS_STORE_H
#define LEAD_SYS_STORE_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LEAD_STORE_VERSION 1

/**
 * Called by event_scan for each event, in time order (equal times in append
 * order). Return 0 to go on, non-zero to stop the scan (event_scan then
 * returns 0).
 */
typedef int (*lead_store_event_fn)(void *scan_user, int64_t time_ms, const void *bytes,
                                   size_t len);

/** Called by contact_scan for each contact id, ascending. Non-zero stops. */
typedef int (*lead_store_contact_fn)(void *scan_user, uint64_t contact_id);

typedef struct lead_store {
    uint32_t struct_size; /**< sizeof(lead_store) as the implementer knows it */
    uint32_t version;     /**< LEAD_STORE_VERSION */
    void *user;           /**< passed back to every callback */

    /** Stores (inserts or replaces) contact `id`'s record. email and
     * external_id are its index keys (NULL: none); a replace drops the old
     * keys. Keys are unique: the engine checks before writing. */
    int (*contact_put)(void *user, uint64_t id, const char *email, const char *external_id,
                       const void *bytes, size_t len);
    /** Borrows contact `id`'s record; LEAD_ENOTFOUND when absent. */
    int (*contact_get)(void *user, uint64_t id, const void **out_bytes, size_t *out_len);
    /** Deletes contact `id`, its index keys and all its events. LEAD_ENOTFOUND when absent. */
    int (*contact_delete)(void *user, uint64_t id);
    /** Looks a contact up by normalized email; LEAD_ENOTFOUND when none. */
    int (*contact_find_email)(void *user, const char *email, uint64_t *out_id);
    /** Looks a contact up by external id; LEAD_ENOTFOUND when none. */
    int (*contact_find_external)(void *user, const char *external_id, uint64_t *out_id);
    /** Calls fn for every contact id, ascending. */
    int (*contact_scan)(void *user, lead_store_contact_fn fn, void *scan_user);

    /** Appends an event record to contact `id`. idem_key (NULL: none) is
     * remembered so event_find_key finds it, also after the contact's
     * events are deleted (replays of erased traffic stay deduplicated). */
    int (*event_append)(void *user, uint64_t contact_id, int64_t time_ms, const char *idem_key,
                        const void *bytes, size_t len);
    /** Calls fn for each of the contact's events with time >= from_ms, in
     * time order. A contact with no events (or no such contact) calls nothing. */
    int (*event_scan)(void *user, uint64_t contact_id, int64_t from_ms, lead_store_event_fn fn,
                      void *scan_user);
    /** 0 if an event was appended with idem_key, LEAD_ENOTFOUND otherwise. */
    int (*event_find_key)(void *user, const char *idem_key);

    /** Small engine state (counters, erased-email hashes) by key. */
    int (*meta_put)(void *user, const char *key, const void *bytes, size_t len);
    /** Borrows a meta value; LEAD_ENOTFOUND when absent. */
    int (*meta_get)(void *user, const char *key, const void **out_bytes, size_t *out_len);

    /** Optional (NULL: not provided, all three or none). When present, the
     * engine brackets every operation that writes more than one record. */
    int (*begin)(void *user);
    int (*commit)(void *user);
    int (*rollback)(void *user);
} lead_store;

#define LEAD_STORE_INIT                                                                       \
    {                                                                                        \
        (uint32_t)sizeof(lead_store), LEAD_STORE_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, \
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL                             \
    }

/** Fills *store with LEAD_STORE_INIT: writes struct_size bytes (pass sizeof as your headers
 * know it, so an older caller's smaller struct is never overrun) and sets
 * struct_size to the size both sides know. LEAD_EINVAL for NULL or a
 * struct_size below 8. */
LEAD_API int lead_store_init(lead_store *store, uint32_t struct_size);

/**
 * Creates the embedded in-memory store, using alloc (NULL: libc) for its
 * memory. *out is a complete lead_store owned by the caller: pass it in
 * lead_engine_options.store and free it with lead_store_memory_free() after
 * the engines using it. Not thread-safe: engines sharing it must not be used
 * concurrently. LEAD_OK, LEAD_EINVAL, LEAD_EVERSION (an allocator version
 * this library does not know) or LEAD_ENOMEM.
 */
LEAD_API int lead_store_memory_new(lead_store **out, const lead_allocator *alloc);

/** Frees a store made by lead_store_memory_new(). NULL, or any other store
 * (a journal store, a caller's own), is a no-op. */
LEAD_API void lead_store_memory_free(lead_store *store);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_SYS_STORE_H */
