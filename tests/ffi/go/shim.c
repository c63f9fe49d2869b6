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

/* The store slots: `user` is the store's cgo.Handle; strings and bytes the
 * engine passes in are only read during the call (the Go side copies them). */
static int store_contact_put(void *user, uint64_t id, const char *email, const char *external_id,
                             const void *bytes, size_t len)
{
    return leadgoContactPut((uintptr_t)user, id, (char *)email, (char *)external_id,
                            (void *)bytes, len);
}

static int store_contact_get(void *user, uint64_t id, const void **out_bytes, size_t *out_len)
{
    return leadgoContactGet((uintptr_t)user, id, (void **)out_bytes, out_len);
}

static int store_contact_delete(void *user, uint64_t id)
{
    return leadgoContactDelete((uintptr_t)user, id);
}

static int store_contact_find_email(void *user, const char *email, uint64_t *out_id)
{
    return leadgoContactFind((uintptr_t)user, 0, (char *)email, out_id);
}

static int store_contact_find_external(void *user, const char *external_id, uint64_t *out_id)
{
    return leadgoContactFind((uintptr_t)user, 1, (char *)external_id, out_id);
}

static int store_contact_scan(void *user, lead_store_contact_fn fn, void *scan_user)
{
    return leadgoContactScan((uintptr_t)user, fn, scan_user);
}

static int store_event_append(void *user, uint64_t contact_id, int64_t time_ms,
                              const char *idem_key, const void *bytes, size_t len)
{
    return leadgoEventAppend((uintptr_t)user, contact_id, time_ms, (char *)idem_key,
                             (void *)bytes, len);
}

static int store_event_scan(void *user, uint64_t contact_id, int64_t from_ms,
                            lead_store_event_fn fn, void *scan_user)
{
    return leadgoEventScan((uintptr_t)user, contact_id, from_ms, fn, scan_user);
}

static int store_event_find_key(void *user, const char *idem_key)
{
    return leadgoEventFindKey((uintptr_t)user, (char *)idem_key);
}

static int store_meta_put(void *user, const char *key, const void *bytes, size_t len)
{
    return leadgoMetaPut((uintptr_t)user, (char *)key, (void *)bytes, len);
}

static int store_meta_get(void *user, const char *key, const void **out_bytes, size_t *out_len)
{
    return leadgoMetaGet((uintptr_t)user, (char *)key, (void **)out_bytes, out_len);
}

static int store_begin(void *user) { return leadgoTransaction((uintptr_t)user, 0); }
static int store_commit(void *user) { return leadgoTransaction((uintptr_t)user, 1); }
static int store_rollback(void *user) { return leadgoTransaction((uintptr_t)user, 2); }

int leadgo_call_contact_fn(lead_store_contact_fn fn, void *scan_user, uint64_t contact_id)
{
    return fn(scan_user, contact_id);
}

int leadgo_call_event_fn(lead_store_event_fn fn, void *scan_user, int64_t time_ms,
                         const void *bytes, size_t len)
{
    return fn(scan_user, time_ms, bytes, len);
}

int leadgo_engine_new(lead_engine **out, uintptr_t clock, uintptr_t allocator, uintptr_t store)
{
    lead_clock c = LEAD_CLOCK_INIT;
    c.user = (void *)clock;
    c.now_ms = clock_now;
    lead_allocator a = go_allocator(allocator);
    lead_store s = LEAD_STORE_INIT;
    s.user = (void *)store;
    s.contact_put = store_contact_put;
    s.contact_get = store_contact_get;
    s.contact_delete = store_contact_delete;
    s.contact_find_email = store_contact_find_email;
    s.contact_find_external = store_contact_find_external;
    s.contact_scan = store_contact_scan;
    s.event_append = store_event_append;
    s.event_scan = store_event_scan;
    s.event_find_key = store_event_find_key;
    s.meta_put = store_meta_put;
    s.meta_get = store_meta_get;
    s.begin = store_begin;
    s.commit = store_commit;
    s.rollback = store_rollback;
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &c;
    opts.allocator = &a;
    opts.store = store ? &s : NULL; /* copied by lead_engine_new */
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

static int rescore_progress(void *user, uint64_t done, uint64_t total)
{
    return leadgoRescoreProgress((uintptr_t)user, done, total);
}

int leadgo_engine_rescore(lead_engine *engine, const char *model_name, uintptr_t progress)
{
    return lead_engine_rescore(engine, model_name, progress ? rescore_progress : NULL,
                               (void *)progress);
}
