/*
 * liblead — the engine: one independent instance of the lead engine with its
 * own allocator, clock and store.
 *
 * Threading: an engine is used by one thread at a time; distinct engines are
 * fully independent (docs/threading.md).
 */
#ifndef LEAD_ENGINE_H
#define LEAD_ENGINE_H

#include "common.h"
#include "sys/clock.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lead_engine lead_engine;
struct lead_store; /* include/lead/sys/store.h */

#define LEAD_ENGINE_OPTIONS_VERSION 1

/**
 * Engine options. Start from LEAD_ENGINE_OPTIONS_INIT or
 * lead_engine_options_init(); fields are only ever appended. Every pointer
 * may be NULL ("not provided"): the library then uses its embedded default.
 * The structs pointed to are copied by lead_engine_new(); they need not
 * outlive the call (the user pointers inside them must).
 */
typedef struct lead_engine_options {
    uint32_t struct_size; /**< sizeof(lead_engine_options) as the caller knows it */
    uint32_t version;     /**< LEAD_ENGINE_OPTIONS_VERSION */
    const lead_allocator *allocator; /**< NULL: libc malloc/realloc/free */
    const lead_clock *clock;         /**< NULL: the system real-time clock */
    const struct lead_store *store;  /**< NULL: the embedded in-memory store */
    /** Told of every stage change after it is stored: the contact, the old
     * and new stage (enum lead_stage), the reason (enum lead_stage_reason)
     * and the time. NULL: nobody is told. Must not call back into the engine. */
    void (*stage_observer)(void *user, uint64_t contact_id, int from_stage, int to_stage,
                           int reason, int64_t time_ms);
    void *stage_observer_user;
    /** Country calling code (e.g. 44) for phone numbers given in national
     * form with a leading 0; 0: such numbers are refused. */
    uint64_t default_calling_code;
} lead_engine_options;

#define LEAD_ENGINE_OPTIONS_INIT                                                               \
    {                                                                                         \
        (uint32_t)sizeof(lead_engine_options), LEAD_ENGINE_OPTIONS_VERSION, NULL, NULL, NULL, \
            NULL, NULL, 0                                                                     \
    }

/** Fills *opts with LEAD_ENGINE_OPTIONS_INIT: writes struct_size bytes (pass sizeof as your headers
 * know it, so an older caller's smaller struct is never overrun) and sets
 * struct_size to the size both sides know. LEAD_EINVAL for NULL or a
 * struct_size below 8. */
LEAD_API int lead_engine_options_init(lead_engine_options *opts, uint32_t struct_size);

/**
 * Creates an engine. opts may be NULL for all defaults. On success *out owns
 * a new engine (free it with lead_engine_free()); on failure *out is NULL.
 * Returns LEAD_OK, LEAD_EINVAL (NULL out, bad struct_size, a partial
 * allocator), LEAD_EVERSION (an options/allocator/clock version this library
 * does not know) or LEAD_ENOMEM.
 */
LEAD_API int lead_engine_new(lead_engine **out, const lead_engine_options *opts);

/** Frees an engine and everything it owns. NULL is a no-op. */
LEAD_API void lead_engine_free(lead_engine *engine);

/**
 * The detail of the last failure on this engine, e.g. "clock callback failed
 * (returned 7)". Never NULL: "" when nothing failed yet, and a fixed text for
 * a NULL engine. Borrowed from the engine until its next call.
 */
LEAD_API const char *lead_engine_errmsg(const lead_engine *engine);

/**
 * Reads the engine's clock. Returns LEAD_OK and sets *out_ms, LEAD_EINVAL
 * for a NULL argument, or LEAD_ECLOCK when the clock callback fails or
 * reports LEAD_TIME_UNKNOWN (details in lead_engine_errmsg; *out_ms is left
 * alone).
 */
LEAD_API int lead_engine_now(lead_engine *engine, int64_t *out_ms);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_ENGINE_H */
