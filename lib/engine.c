/* The engine handle: options, allocator, clock and the last error message. */
#include "engine.h"
#include "clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lead_engine_options_init(lead_engine_options *opts)
{
    if (!opts)
        return LEAD_EINVAL;
    lead_engine_options init = LEAD_ENGINE_OPTIONS_INIT;
    *opts = init;
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

    lead_engine *engine = lead__calloc(&mem, 1, sizeof *engine);
    if (!engine)
        return LEAD_ENOMEM;
    engine->mem = mem;
    engine->clock = clock;
    *out = engine;
    return LEAD_OK;
}

void lead_engine_free(lead_engine *engine)
{
    if (!engine)
        return;
    lead__mem mem = engine->mem;
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

int lead__now(lead_engine *engine, int64_t *out_ms)
{
    int64_t now = 0;
    int cb = engine->clock.now_ms(engine->clock.user, &now);
    if (cb != 0)
        return lead__fail(engine, LEAD_ECLOCK, "clock callback failed (returned %d)", cb);
    *out_ms = now;
    return LEAD_OK;
}

int lead_engine_now(lead_engine *engine, int64_t *out_ms)
{
    if (!engine || !out_ms)
        return LEAD_EINVAL;
    return lead__now(engine, out_ms);
}
