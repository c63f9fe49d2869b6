/*
 * A stand-in for one product that ships as a shared library with liblead.a
 * linked in. embedded.c is built twice, as libconsumers_embedded_a.so and
 * libconsumers_embedded_b.so; a host program loads both. The only symbol a
 * product exports is its entry, EMBEDDED_ENTRY (embedded_a or embedded_b).
 */
#ifndef EMBEDDED_H
#define EMBEDDED_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define EMBEDDED_EXPORT __attribute__((visibility("default")))
#else
#define EMBEDDED_EXPORT
#endif

/* What one product saw of the liblead it embeds. */
typedef struct embedded_report {
    /* lead_version_string as the product's own code reaches it: inside the
     * product's .so when it keeps to its own copy of liblead. */
    const char *(*version_string)(void);
    int status;         /* 0 when every liblead call below succeeded */
    int version_ok;     /* lead_version_string() matched the headers */
    int64_t now_ms;     /* lead_engine_now(): the product's own clock */
    size_t allocations; /* blocks the product's allocator handed the engine */
    size_t live;        /* blocks still live after lead_engine_free(): 0 */
} embedded_report;

/* Makes an engine on the product's allocator and a clock fixed at clock_ms,
 * reads its time, frees it, and fills *out. Returns out->status. */
EMBEDDED_EXPORT int embedded_a(embedded_report *out, int64_t clock_ms);
EMBEDDED_EXPORT int embedded_b(embedded_report *out, int64_t clock_ms);

#endif
