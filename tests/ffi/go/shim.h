#ifndef LEADGO_SHIM_H
#define LEADGO_SHIM_H
#include <lead.h>

/* Creates an engine whose clock and allocator are the Go values behind the
 * two cgo.Handles. */
int leadgo_engine_new(lead_engine **out, uintptr_t clock, uintptr_t allocator);

/* A journey set and an attribution model on the Go allocator behind the handle. */
int leadgo_journey_set_new(lead_journey_set **out, uintptr_t allocator);
int leadgo_attribution_model_new(lead_attribution_model **out, uint32_t kind,
                                 uintptr_t allocator);
/* A scoring model and a scoring subject on the Go allocator behind the handle. */
int leadgo_score_model_new(lead_score_model **out, uintptr_t allocator);
int leadgo_score_subject_new(lead_score_subject **out, uintptr_t allocator);
#endif
