/* Private: the default system clock, and time arithmetic that cannot overflow. */
#ifndef LEAD_LIB_CLOCK_H
#define LEAD_LIB_CLOCK_H

#include "lead/sys/clock.h"

/* Fills *clock with the system real-time clock. */
void lead__clock_system(lead_clock *clock);

/* Milliseconds from `since` to `t`: 0 when t is not later, INT64_MAX when
 * the span does not fit (times at both ends of int64 are further apart). */
int64_t lead__ms_since(int64_t t, int64_t since);

#endif
