/*
 * One product shipped as a shared library that links liblead.a: its own
 * allocator and clock, and one exported entry (see embedded.h).
 */
#include "embedded.h"

#include <lead.h>

#include <stdlib.h>
#include <string.h>

static size_t allocations;
static size_t live;
static int64_t clock_ms;

static void *embedded_malloc(void *user, size_t size)
{
    (void)user;
    void *p = malloc(size);
    if (p) {
        allocations++;
        live++;
    }
    return p;
}

static void *embedded_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    void *p = realloc(ptr, size);
    if (p) {
        allocations++;
        if (!ptr)
            live++;
    }
    return p;
}

static void embedded_free(void *user, void *ptr)
{
    (void)user;
    if (ptr)
        live--;
    free(ptr);
}

static int embedded_now(void *user, int64_t *out_ms)
{
    (void)user;
    *out_ms = clock_ms;
    return 0;
}

int EMBEDDED_ENTRY(embedded_report *out, int64_t now_ms)
{
    memset(out, 0, sizeof *out);
    out->version_string = lead_version_string;
    out->version_ok = strcmp(lead_version_string(), LEAD_VERSION_STRING) == 0 &&
                      lead_version_number() == LEAD_VERSION_NUMBER;
    allocations = 0;
    live = 0;
    clock_ms = now_ms;
    lead_allocator alloc = LEAD_ALLOCATOR_INIT;
    alloc.malloc_fn = embedded_malloc;
    alloc.realloc_fn = embedded_realloc;
    alloc.free_fn = embedded_free;
    lead_clock clock = LEAD_CLOCK_INIT;
    clock.now_ms = embedded_now;
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.allocator = &alloc;
    opts.clock = &clock;
    lead_engine *engine = NULL;
    int rc = lead_engine_new(&engine, &opts);
    if (rc == LEAD_OK)
        rc = lead_engine_now(engine, &out->now_ms);
    lead_engine_free(engine);
    out->status = rc;
    out->allocations = allocations;
    out->live = live;
    return rc;
}
