/* A chaos allocator: fails the Nth call, counts what is live. */
#include "lead_test.h"

#include <stdlib.h>
#include <string.h>

/* Each block carries its size in front, aligned for any type. */
typedef union header {
    size_t size;
    max_align_t align;
} header;

static int should_fail(lt_failalloc *fa)
{
    long idx = fa->calls++;
    if (fa->fail_at < 0)
        return 0;
    if (idx == fa->fail_at || (fa->fail_all_after && idx > fa->fail_at)) {
        fa->injected++;
        return 1;
    }
    return 0;
}

static void *fa_malloc(void *user, size_t size)
{
    lt_failalloc *fa = user;
    if (should_fail(fa))
        return NULL;
    header *h = malloc(sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    fa->live++;
    fa->live_bytes += size;
    if (fa->live_bytes > fa->peak_bytes)
        fa->peak_bytes = fa->live_bytes;
    return h + 1;
}

static void *fa_realloc(void *user, void *ptr, size_t size)
{
    lt_failalloc *fa = user;
    if (!ptr)
        return fa_malloc(user, size);
    if (should_fail(fa))
        return NULL;
    header *old = (header *)ptr - 1;
    size_t old_size = old->size;
    header *h = realloc(old, sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    fa->live_bytes = fa->live_bytes - old_size + size;
    if (fa->live_bytes > fa->peak_bytes)
        fa->peak_bytes = fa->live_bytes;
    return h + 1;
}

static void fa_free(void *user, void *ptr)
{
    lt_failalloc *fa = user;
    if (!ptr)
        return;
    header *h = (header *)ptr - 1;
    fa->live--;
    fa->live_bytes -= h->size;
    free(h);
}

void lt_failalloc_init(lt_failalloc *fa)
{
    memset(fa, 0, sizeof *fa);
    lead_allocator_init(&fa->alloc, sizeof(lead_allocator));
    fa->alloc.user = fa;
    fa->alloc.malloc_fn = fa_malloc;
    fa->alloc.realloc_fn = fa_realloc;
    fa->alloc.free_fn = fa_free;
    fa->fail_at = -1;
}

void lt_failalloc_arm(lt_failalloc *fa, long n)
{
    fa->fail_at = n;
    fa->calls = 0;
    fa->injected = 0;
}

long lt_alloc_sweep(lt_scenario scenario, void *ctx, int expect_ok)
{
    lt_failalloc fa;
    lt_failalloc_init(&fa);
    for (long n = 0;; n++) {
        lt_failalloc_arm(&fa, n);
        int rc = scenario(&fa.alloc, ctx);
        if (fa.live != 0)
            fail_msg("allocation %ld failing: %ld blocks (%zu bytes) leaked", n, fa.live,
                     fa.live_bytes);
        if (fa.injected == 0) {
            if (rc != expect_ok)
                fail_msg("clean run returned %d (%s), expected %d", rc, lead_strerror(rc),
                         expect_ok);
            return fa.calls;
        }
        if (rc != LEAD_ENOMEM && rc != LEAD_OK)
            fail_msg("allocation %ld failing: returned %d (%s), expected LEAD_ENOMEM", n, rc,
                     lead_strerror(rc));
        if (n > 10000000)
            fail_msg("sweep did not converge");
    }
}
