/*
 * liblead — scoring models attached to an engine: every contact's score
 * under each attached model is kept up to date as events are tracked and
 * fields change, thresholds move stages, and any score can be explained or
 * recomputed from the store.
 *
 * The kept state lives in the engine's memory (docs/scoring-model.md,
 * "Scores in the engine"); the store stays the only truth, so a rescore
 * always rebuilds it from what the store holds.
 */
#ifndef LEAD_ENGINE_SCORE_H
#define LEAD_ENGINE_SCORE_H

#include "common.h"
#include "engine.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Attaches a copy of model under `name` (1..LEAD_FIELD_MAX bytes of UTF-8,
 * copied; later changes to model do not reach the engine) and computes every
 * existing contact's state under it from the store. Stages are not moved by
 * the attach itself. LEAD_OK, LEAD_EINVAL, LEAD_EUTF8, LEAD_EEXISTS (a model
 * of that name is attached), LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION (a
 * record written by a later library) or LEAD_ENOMEM
 * (nothing attached on failure).
 */
LEAD_API int lead_engine_score_attach(lead_engine *engine, const char *name,
                                      const lead_score_model *model);

/** Detaches the model named `name` and frees its state. LEAD_OK,
 * LEAD_EINVAL or LEAD_ENOTFOUND. */
LEAD_API int lead_engine_score_detach(lead_engine *engine, const char *name);

/** Number of attached models. LEAD_OK or LEAD_EINVAL. */
LEAD_API int lead_engine_score_count(const lead_engine *engine, size_t *out_count);

/**
 * The name of attached model i (0-based, in attach order), borrowed from the
 * engine until that model is detached. LEAD_OK, LEAD_EINVAL or
 * LEAD_ENOTFOUND (i out of range).
 */
LEAD_API int lead_engine_score_name(const lead_engine *engine, size_t i, const char **out_name);

/**
 * Scores contact contact_id (merged-away ids follow their redirect) under
 * the attached model `model_name` at at_ms (LEAD_TIME_UNKNOWN: the engine
 * clock's now), reading its fields, attributes and events back from the
 * store; events later than at_ms do not count. On success *out owns a
 * result with its explanation (lead_score_result_free()); its figures are
 * those the engine keeps incrementally. LEAD_OK, LEAD_EINVAL,
 * LEAD_ENOTFOUND (no such model or contact), LEAD_EERASED, LEAD_ECLOCK,
 * LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION, LEAD_ENUMERIC or LEAD_ENOMEM.
 * Explanation items of kind LEAD_SCORE_ITEM_EVENT number the contact's
 * events of built-in types only (events of registered types hit no rule).
 */
LEAD_API int lead_engine_score(lead_score_result **out, lead_engine *engine,
                               const char *model_name, uint64_t contact_id, int64_t at_ms);

/**
 * Recomputes every contact's state under model `model_name` (NULL: every
 * attached model) from the store. progress, when not NULL, is called after
 * each contact with the contacts done and the total; a non-zero return stops
 * the rescore with LEAD_ECANCELED. On any failure the previous state is kept
 * whole. Stages are not moved. LEAD_OK, LEAD_EINVAL, LEAD_ENOTFOUND (no
 * such model), LEAD_ECANCELED, LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION or
 * LEAD_ENOMEM.
 */
LEAD_API int lead_engine_rescore(lead_engine *engine, const char *model_name,
                                 int (*progress)(void *user, uint64_t done, uint64_t total),
                                 void *user);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_ENGINE_SCORE_H */
