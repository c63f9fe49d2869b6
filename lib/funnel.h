/* Private: what the engine feeder needs of a funnel. */
#ifndef LEAD_LIB_FUNNEL_H
#define LEAD_LIB_FUNNEL_H

#include "lead/funnel.h"

/* Drops the rows after the first `rows` (undoes a feeder that failed). */
void lead__funnel_truncate(lead_funnel *funnel, size_t rows);

/* The funnel's allocator. */
const struct lead__mem *lead__funnel_mem(const lead_funnel *funnel);

#endif
