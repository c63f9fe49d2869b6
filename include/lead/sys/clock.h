/*
 * liblead — the time source.
 *
 * The library never reads the system time itself when a clock is supplied:
 * every "now" comes from now_ms. With no clock in the options the engine
 * uses the system real-time clock (CLOCK_REALTIME).
 */
#ifndef LEAD_SYS_CLOCK_H
#define LEAD_SYS_CLOCK_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LEAD_CLOCK_VERSION 1

/**
 * A clock. now_ms writes milliseconds since the Unix epoch (UTC) to *out_ms
 * and returns 0, or returns any non-zero value to report a failure, which the
 * calling function turns into LEAD_ECLOCK. Any int64_t is a valid now except
 * LEAD_TIME_UNKNOWN (INT64_MIN), which means "no time" everywhere in the API:
 * a clock that writes it is refused the same way (LEAD_ECLOCK, "clock
 * callback returned LEAD_TIME_UNKNOWN"). It runs on the calling thread and
 * must not call back into the same engine.
 */
typedef struct lead_clock {
    uint32_t struct_size; /**< sizeof(lead_clock) as the caller knows it */
    uint32_t version;     /**< LEAD_CLOCK_VERSION */
    void *user;           /**< passed back to now_ms */
    int (*now_ms)(void *user, int64_t *out_ms);
} lead_clock;

#define LEAD_CLOCK_INIT { (uint32_t)sizeof(lead_clock), LEAD_CLOCK_VERSION, NULL, NULL }

/** Fills *clock with LEAD_CLOCK_INIT: writes struct_size bytes (pass sizeof as your headers
 * know it, so an older caller's smaller struct is never overrun) and sets
 * struct_size to the size both sides know. LEAD_EINVAL for NULL or a
 * struct_size below 8. */
LEAD_API int lead_clock_init(lead_clock *clock, uint32_t struct_size);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_SYS_CLOCK_H */
