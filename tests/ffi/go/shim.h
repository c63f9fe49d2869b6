#ifndef LEADGO_SHIM_H
#define LEADGO_SHIM_H
#include <lead.h>

/* Creates an engine whose clock and allocator are the Go values behind the
 * two cgo.Handles. */
int leadgo_engine_new(lead_engine **out, uintptr_t clock, uintptr_t allocator);
#endif
