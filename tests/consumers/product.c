/*
 * One embedding product: its own allocator (which remembers every live
 * block), its own clock, its own engine. Compiled once per product with
 * PRODUCT_ENTRY naming the only external symbol.
 */
#include "product.h"

#include <stdlib.h>

#define MAX_LIVE 256

static void *live[MAX_LIVE];
static size_t live_count;
static size_t allocations;
static int64_t clock_ms;
static int clock_failure;
static lead_engine *engine;
static lead_journey_set *journeys;

static void remember(void *p)
{
    if (!p)
        return;
    allocations++;
    if (live_count < MAX_LIVE)
        live[live_count++] = p;
}

static size_t slot_of(const void *p)
{
    size_t i = 0;
    while (i < live_count && live[i] != p)
        i++;
    return i;
}

static void forget(const void *p)
{
    size_t i = slot_of(p);
    if (i < live_count)
        live[i] = live[--live_count];
}

static void *product_malloc(void *user, size_t size)
{
    (void)user;
    void *p = malloc(size);
    remember(p);
    return p;
}

static void *product_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    size_t slot = slot_of(ptr); /* looked up first: ptr is dead once realloc succeeds */
    void *p = realloc(ptr, size);
    if (p && slot < live_count) {
        allocations++;
        live[slot] = p;
    } else if (p) {
        remember(p);
    }
    return p;
}

static void product_free(void *user, void *ptr)
{
    (void)user;
    if (ptr)
        forget(ptr);
    free(ptr);
}

static int product_now(void *user, int64_t *out_ms)
{
    (void)user;
    if (clock_failure)
        return clock_failure;
    *out_ms = clock_ms;
    return 0;
}

static int open_product(int64_t now_ms)
{
    clock_ms = now_ms;
    clock_failure = 0;
    lead_allocator alloc = LEAD_ALLOCATOR_INIT;
    alloc.malloc_fn = product_malloc;
    alloc.realloc_fn = product_realloc;
    alloc.free_fn = product_free;
    lead_clock clock = LEAD_CLOCK_INIT;
    clock.now_ms = product_now;
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.allocator = &alloc;
    opts.clock = &clock;
    int rc = lead_engine_new(&engine, &opts);
    if (rc == LEAD_OK)
        rc = lead_journey_set_new(&journeys, &alloc);
    if (rc == LEAD_OK)
        rc = lead_journey_set_begin(journeys);
    if (rc == LEAD_OK)
        rc = lead_journey_set_add_touch(journeys, "email", "spring", now_ms, 0);
    if (rc == LEAD_OK)
        rc = lead_journey_set_end(journeys, 1.0, 100.0, 0.0, now_ms);
    return rc;
}

static lead_engine *product_engine(void) { return engine; }
static lead_journey_set *product_journeys(void) { return journeys; }
static void break_clock(int code) { clock_failure = code; }
static size_t live_blocks(void) { return live_count; }
static size_t total_allocations(void) { return allocations; }

static int owns(const void *p) { return slot_of(p) < live_count; }

static void close_product(void)
{
    lead_journey_set_free(journeys);
    lead_engine_free(engine);
    journeys = NULL;
    engine = NULL;
}

const product *PRODUCT_ENTRY(void)
{
    static const product self = {open_product,  product_engine, product_journeys,
                                 break_clock,   owns,           live_blocks,
                                 total_allocations, close_product};
    return &self;
}
