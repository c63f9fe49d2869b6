/* The fault sweeps' fixture (world.h). */
#include "world.h"

void lt_world_up(lt_world *w, int64_t now_ms, int64_t step_ms, enum lt_world_store mode)
{
    lt_failalloc_init(&w->fa);
    lt_fakeclock_init(&w->fc, now_ms);
    w->fc.step_ms = step_ms;
    assert_int_equal(lead_store_memory_new(&w->mem, &w->fa.alloc), LEAD_OK);
    lt_failstore_init(&w->fs, w->mem, mode == LT_NO_TRANSACTIONS);
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.allocator = &w->fa.alloc;
    o.clock = &w->fc.clock;
    o.store = mode == LT_DIRECT ? w->mem : &w->fs.store;
    assert_int_equal(lead_engine_new(&w->e, &o), LEAD_OK);
}

void lt_world_down(lt_world *w)
{
    lead_engine_free(w->e);
    lead_store_memory_free(w->mem);
    if (w->fa.live != 0)
        fail_msg("%ld blocks (%zu bytes) leaked", w->fa.live, w->fa.live_bytes);
}

void lt_world_arm(lt_world *w, enum lt_fault kind, long n)
{
    switch (kind) {
    case LT_FAULT_ALLOC: lt_failalloc_arm(&w->fa, n); break;
    case LT_FAULT_STORE: lt_failstore_arm(&w->fs, n); break;
    case LT_FAULT_CLOCK:
        w->fc.calls = 0;
        w->fc.fail_at = n;
        break;
    }
}

void lt_world_disarm(lt_world *w)
{
    w->fa.fail_at = -1;
    w->fs.fail_at = -1;
    w->fc.fail_at = -1;
}

long lt_world_injected(const lt_world *w, enum lt_fault kind)
{
    switch (kind) {
    case LT_FAULT_ALLOC: return w->fa.injected;
    case LT_FAULT_STORE: return w->fs.injected;
    case LT_FAULT_CLOCK: return w->fc.fail_at >= 0 && w->fc.calls > w->fc.fail_at;
    }
    return 0;
}
