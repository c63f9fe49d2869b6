/* Private: the default system clock. */
#ifndef LEAD_LIB_CLOCK_H
#define LEAD_LIB_CLOCK_H

#include "lead/sys/clock.h"

/* Fills *clock with the system real-time clock. */
void lead__clock_system(lead_clock *clock);

#endif
