/* Private: the default system clock, and time arithmetic that cannot overflow. */
#ifndef LEAD_LIB_CLOCK_H
#define LEAD_LIB_CLOCK_H

#include "lead/sys/clock.h"

#include <stdint.h>

/* Fills *clock with the system real-time clock. */
void lead__clock_system(lead_clock *clock);

/* Milliseconds from `since` to `t`: 0 when t is not later, INT64_MAX when
 * the span does not fit (times at both ends of int64 are further apart).
 * Inline: scoring takes it several times per event and model. */
static inline int64_t lead__ms_since(int64_t t, int64_t since)
{
    if (t <= since)
        return 0;
    uint64_t span = (uint64_t)t - (uint64_t)since; /* exact: t > since */
    return span > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)span;
}

#endif
