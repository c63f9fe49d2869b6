/* Private: persistent id counters kept in the store's meta records. */
#ifndef LEAD_LIB_COUNTER_H
#define LEAD_LIB_COUNTER_H

#include "engine.h"

/* Reads counter `key` (absent: 0), stores it plus one and returns the new
 * value in *out. The counter is written before the id is used, so a later
 * failure wastes an id but never reuses one. */
int lead__counter_next(lead_engine *engine, const char *key, uint64_t *out);

#endif
