/* Private: the engine's layout, shared by the files that implement it. */
#ifndef LEAD_LIB_ENGINE_H
#define LEAD_LIB_ENGINE_H

#include "lead/engine.h"
#include "alloc.h"

#define LEAD__ERRMSG_CAP 256

struct lead_engine {
    lead__mem mem;
    lead_clock clock;
    char errmsg[LEAD__ERRMSG_CAP];
};

/* Records a printf-style detail for lead_engine_errmsg() and returns code, so
 * a failure path reads `return lead__fail(e, LEAD_EINVAL, "...")`. */
int lead__fail(lead_engine *engine, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Reads the engine clock; LEAD_ECLOCK with a message when it fails. */
int lead__now(lead_engine *engine, int64_t *out_ms);

#endif
