/* C side of the Go binding: trampolines from liblead's callback slots into
 * the exported Go functions, with the cgo.Handle travelling in `user`. */
#include "shim.h"
#include "_cgo_export.h"

static int clock_now(void *user, int64_t *out_ms)
{
    return leadgoClockNow((uintptr_t)user, out_ms);
}

static void *alloc_malloc(void *user, size_t size)
{
    return leadgoMalloc((uintptr_t)user, size);
}

static void *alloc_realloc(void *user, void *ptr, size_t size)
{
    return leadgoRealloc((uintptr_t)user, ptr, size);
}

static void alloc_free(void *user, void *ptr)
{
    leadgoFree((uintptr_t)user, ptr);
}

static lead_allocator go_allocator(uintptr_t allocator)
{
    lead_allocator a = LEAD_ALLOCATOR_INIT;
    a.user = (void *)allocator;
    a.malloc_fn = alloc_malloc;
    a.realloc_fn = alloc_realloc;
    a.free_fn = alloc_free;
    return a;
}

int leadgo_engine_new(lead_engine **out, uintptr_t clock, uintptr_t allocator)
{
    lead_clock c = LEAD_CLOCK_INIT;
    c.user = (void *)clock;
    c.now_ms = clock_now;
    lead_allocator a = go_allocator(allocator);
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &c;
    opts.allocator = &a;
    return lead_engine_new(out, &opts);
}

int leadgo_journey_set_new(lead_journey_set **out, uintptr_t allocator)
{
    lead_allocator a = go_allocator(allocator);
    return lead_journey_set_new(out, &a);
}

int leadgo_attribution_model_new(lead_attribution_model **out, uint32_t kind,
                                 uintptr_t allocator)
{
    lead_allocator a = go_allocator(allocator);
    return lead_attribution_model_new(out, kind, &a);
}

int leadgo_score_model_new(lead_score_model **out, uintptr_t allocator)
{
    lead_allocator a = go_allocator(allocator);
    return lead_score_model_new(out, &a);
}

int leadgo_score_subject_new(lead_score_subject **out, uintptr_t allocator)
{
    lead_allocator a = go_allocator(allocator);
    return lead_score_subject_new(out, &a);
}
