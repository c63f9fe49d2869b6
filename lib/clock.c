/* The default clock (C11 timespec_get, UTC) and the clock struct helpers. */
#include "clock.h"
#include "alloc.h"

#include <time.h>

static int system_now_ms(void *user, int64_t *out_ms)
{
    (void)user;
    struct timespec ts;
    if (timespec_get(&ts, TIME_UTC) != TIME_UTC)
        return -1;
    *out_ms = (int64_t)ts.tv_sec * 1000 + (int64_t)(ts.tv_nsec / 1000000);
    return 0;
}

void lead__clock_system(lead_clock *clock)
{
    lead_clock init = LEAD_CLOCK_INIT;
    init.now_ms = system_now_ms;
    *clock = init;
}

int lead_clock_init(lead_clock *clock, uint32_t struct_size)
{
    lead_clock init = LEAD_CLOCK_INIT;
    return lead__init_versioned(clock, struct_size, &init, sizeof init);
}
