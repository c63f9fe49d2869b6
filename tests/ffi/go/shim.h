#ifndef LEADGO_SHIM_H
#define LEADGO_SHIM_H
#include <lead.h>

/* Creates an engine whose clock, allocator and store are the Go values
 * behind the three cgo.Handles (store 0: the embedded in-memory store). */
int leadgo_engine_new(lead_engine **out, uintptr_t clock, uintptr_t allocator, uintptr_t store);

/* Go cannot call a C function pointer: these call the engine's scan
 * callbacks for the Go store. */
int leadgo_call_contact_fn(lead_store_contact_fn fn, void *scan_user, uint64_t contact_id);
int leadgo_call_event_fn(lead_store_event_fn fn, void *scan_user, int64_t time_ms,
                         const void *bytes, size_t len);

/* A journey set and an attribution model on the Go allocator behind the handle. */
int leadgo_journey_set_new(lead_journey_set **out, uintptr_t allocator);
int leadgo_attribution_model_new(lead_attribution_model **out, uint32_t kind,
                                 uintptr_t allocator);
/* A scoring model and a scoring subject on the Go allocator behind the handle. */
int leadgo_score_model_new(lead_score_model **out, uintptr_t allocator);
int leadgo_score_subject_new(lead_score_subject **out, uintptr_t allocator);
/* lead_engine_rescore whose progress callback is the Go function behind the
 * handle (0: no callback). */
int leadgo_engine_rescore(lead_engine *engine, const char *model_name, uintptr_t progress);
#endif
