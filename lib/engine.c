/* The engine handle: options, allocator, clock and the last error message. */
#include "engine.h"
#include "clock.h"
#include "engine_score.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lead_engine_options_init(lead_engine_options *opts, uint32_t struct_size)
{
    lead_engine_options init = LEAD_ENGINE_OPTIONS_INIT;
    return lead__init_versioned(opts, struct_size, &init, sizeof init);
}

/* The store must provide every required callback, and begin/commit/rollback
 * all or none. */
static int copy_store(lead_store *dst, const lead_store *src)
{
    lead_store_init(dst, sizeof(lead_store));
    if (!src)
        return LEAD_OK;
    int rc = lead__copy_versioned(dst, sizeof *dst, src, LEAD_STORE_VERSION);
    if (rc != LEAD_OK)
        return rc;
    if (!dst->contact_put || !dst->contact_get || !dst->contact_delete ||
        !dst->contact_find_email || !dst->contact_find_external || !dst->contact_scan ||
        !dst->event_append || !dst->event_scan || !dst->event_find_key || !dst->meta_put ||
        !dst->meta_get)
        return LEAD_EINVAL;
    int tx = (dst->begin != NULL) + (dst->commit != NULL) + (dst->rollback != NULL);
    if (tx != 0 && tx != 3)
        return LEAD_EINVAL;
    return LEAD_OK;
}

static int copy_clock(lead_clock *dst, const lead_clock *src)
{
    lead__clock_system(dst);
    if (!src)
        return LEAD_OK;
    lead_clock c = LEAD_CLOCK_INIT;
    int rc = lead__copy_versioned(&c, sizeof c, src, LEAD_CLOCK_VERSION);
    if (rc != LEAD_OK)
        return rc;
    if (!c.now_ms)
        return LEAD_EINVAL;
    *dst = c;
    return LEAD_OK;
}

int lead_engine_new(lead_engine **out, const lead_engine_options *opts)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    if (opts) {
        int rc = lead__copy_versioned(&o, sizeof o, opts, LEAD_ENGINE_OPTIONS_VERSION);
        if (rc != LEAD_OK)
            return rc;
    }
    lead__mem mem;
    int rc = lead__mem_init(&mem, o.allocator);
    if (rc != LEAD_OK)
        return rc;
    lead_clock clock;
    rc = copy_clock(&clock, o.clock);
    if (rc != LEAD_OK)
        return rc;

    lead_store store;
    rc = copy_store(&store, o.store);
    if (rc != LEAD_OK)
        return rc;

    lead_engine *engine = lead__calloc(&mem, 1, sizeof *engine);
    if (!engine)
        return LEAD_ENOMEM;
    engine->mem = mem;
    engine->clock = clock;
    if (o.store) {
        engine->store = store;
    } else {
        rc = lead_store_memory_new(&engine->owned_store, o.allocator);
        if (rc != LEAD_OK) {
            lead__free(&mem, engine);
            return rc;
        }
        engine->store = *engine->owned_store;
    }
    engine->writer.mem = &engine->mem;
    engine->stage_observer = o.stage_observer;
    engine->stage_observer_user = o.stage_observer_user;
    engine->default_calling_code = o.default_calling_code;
    *out = engine;
    return LEAD_OK;
}

void lead_engine_free(lead_engine *engine)
{
    if (!engine)
        return;
    lead__mem mem = engine->mem;
    lead__scores_free(engine);
    lead__rec_writer_free(&engine->writer);
    lead_store_memory_free(engine->owned_store);
    lead__free(&mem, engine);
}

const char *lead_engine_errmsg(const lead_engine *engine)
{
    if (!engine)
        return "no engine (NULL handle)";
    return engine->errmsg;
}

int lead__fail(lead_engine *engine, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(engine->errmsg, sizeof engine->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

int lead__fail_record(lead_engine *engine, int rc, const void *bytes, unsigned newest,
                      const char *fmt, ...)
{
    char what[LEAD__ERRMSG_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (rc == LEAD_EVERSION && bytes)
        return lead__fail(engine, LEAD_EVERSION,
                          "%s is version %u, newer than this library reads (up to %u)", what,
                          (unsigned)((const unsigned char *)bytes)[3], newest);
    return lead__fail(engine, LEAD_ECORRUPT, "%s does not decode", what);
}

int lead__now(lead_engine *engine, int64_t *out_ms)
{
    int64_t now = 0;
    int cb = engine->clock.now_ms(engine->clock.user, &now);
    if (cb != 0)
        return lead__fail(engine, LEAD_ECLOCK, "clock callback failed (returned %d)", cb);
    /* INT64_MIN is LEAD_TIME_UNKNOWN everywhere else: it is never a "now". */
    if (now == LEAD_TIME_UNKNOWN)
        return lead__fail(engine, LEAD_ECLOCK, "clock callback returned LEAD_TIME_UNKNOWN");
    *out_ms = now;
    return LEAD_OK;
}

int lead_engine_now(lead_engine *engine, int64_t *out_ms)
{
    if (!engine || !out_ms)
        return LEAD_EINVAL;
    return lead__now(engine, out_ms);
}

int lead__store_status(lead_engine *engine, int cb, const char *what)
{
    if (cb == 0)
        return LEAD_OK;
    if (cb == LEAD_ENOTFOUND || cb == LEAD_ENOMEM)
        return cb;
    return lead__fail(engine, LEAD_ESTORE, "store %s failed (returned %d)", what, cb);
}

int lead__store_begin(lead_engine *engine)
{
    if (!engine->store.begin)
        return LEAD_OK;
    return lead__store_status(engine, engine->store.begin(engine->store.user), "begin");
}

int lead__store_finish(lead_engine *engine, int rc)
{
    if (!engine->store.commit)
        return rc;
    if (rc != LEAD_OK) {
        engine->store.rollback(engine->store.user);
        return rc;
    }
    rc = lead__store_status(engine, engine->store.commit(engine->store.user), "commit");
    if (rc != LEAD_OK)
        engine->store.rollback(engine->store.user);
    return rc;
}

int lead__engine_add_track_observer(lead_engine *engine, lead__track_observer_fn fn, void *user)
{
    if (!engine || !fn)
        return LEAD_EINVAL;
    if (engine->track_observer_count == LEAD__TRACK_OBSERVERS_MAX)
        return LEAD_ELIMIT;
    engine->track_observers[engine->track_observer_count].fn = fn;
    engine->track_observers[engine->track_observer_count].user = user;
    engine->track_observer_count++;
    return LEAD_OK;
}

typedef struct id_list {
    const lead__mem *mem;
    uint64_t *ids;
    size_t count, cap;
    int failed;
} id_list;

static int collect_id(void *user, uint64_t contact_id)
{
    id_list *list = user;
    void *items = list->ids;
    if (lead__grow(list->mem, &items, &list->cap, list->count + 1, sizeof *list->ids) != LEAD_OK) {
        list->failed = 1;
        return 1;
    }
    list->ids = items;
    list->ids[list->count++] = contact_id;
    return 0;
}

int lead__engine_contact_ids(lead_engine *engine, const lead__mem *mem, uint64_t **out_ids,
                             size_t *out_count)
{
    id_list list = {mem, NULL, 0, 0, 0};
    int rc = lead__store_status(
        engine, engine->store.contact_scan(engine->store.user, collect_id, &list), "contact_scan");
    if (rc == LEAD_OK && list.failed)
        rc = lead__fail(engine, LEAD_ENOMEM, "out of memory listing contacts");
    if (rc != LEAD_OK) {
        lead__free(mem, list.ids);
        return rc;
    }
    *out_ids = list.ids;
    *out_count = list.count;
    return LEAD_OK;
}
