/*
 * liblead — attribution: which channels and campaigns earned the conversions.
 *
 * A model (lead_attribution_model, opaque) is created for one kind and
 * configured with setters; lead_attribution_run() applies it to a journey
 * set and returns a result (lead_attribution_result, opaque) with the
 * credited conversions and value per channel and per campaign, the totals,
 * and, on demand, the credit of every touch of one journey. Formulas and
 * every rule for coinciding milestones are in docs/attribution.md.
 *
 * Neither handle needs an engine: data teams build a journey set (by hand or
 * from CSV) and run models on it.
 *
 * Besides the codes each gives, readers of a model, a result or a kind
 * return LEAD_EINVAL for a NULL handle, name or output not said to be
 * optional, or a position role out of range, and LEAD_ENOTFOUND for an
 * unknown kind, id or name.
 */
#ifndef LEAD_ATTRIBUTION_H
#define LEAD_ATTRIBUTION_H

#include "common.h"
#include "journey.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lead_attribution_model lead_attribution_model;
typedef struct lead_attribution_result lead_attribution_result;

/** Model kinds. Values are fixed forever. */
enum lead_attribution_kind {
    LEAD_ATTRIBUTION_FIRST_TOUCH = 1,     /**< all credit to the first touch */
    LEAD_ATTRIBUTION_LAST_TOUCH = 2,      /**< all credit to the last touch */
    LEAD_ATTRIBUTION_LAST_NON_DIRECT = 3, /**< last touch not on the direct channel */
    LEAD_ATTRIBUTION_LEAD_CREATION = 4,   /**< the touch that made the contact a lead */
    LEAD_ATTRIBUTION_LINEAR = 5,          /**< equal credit per touch */
    LEAD_ATTRIBUTION_U_SHAPED = 6,        /**< position-based: first 40, last 40, rest 20 */
    LEAD_ATTRIBUTION_W_SHAPED = 7,        /**< first, lead creation, opportunity 30 each, rest 10 */
    LEAD_ATTRIBUTION_FULL_PATH = 8,       /**< Z-shaped: four milestones 22.5 each, rest 10 */
    LEAD_ATTRIBUTION_J_SHAPED = 9,        /**< first 20, last 60, rest 20 */
    LEAD_ATTRIBUTION_INVERSE_J = 10,      /**< first 60, last 20, rest 20 */
    LEAD_ATTRIBUTION_CUSTOM_POSITION = 11,/**< position weights set by the caller */
    LEAD_ATTRIBUTION_TIME_DECAY = 12,     /**< weight 2^(-dt / half-life) */
    LEAD_ATTRIBUTION_MARKOV = 32,         /**< data-driven: Markov removal effects */
    LEAD_ATTRIBUTION_SHAPLEY = 33,        /**< data-driven: Shapley values */
    LEAD_ATTRIBUTION_SHAPLEY_ORDERED = 34 /**< data-driven: ordered Shapley values */
};

/**
 * Roles a touch can hold in a position-based model (U, W, full path, J,
 * inverse J, custom). A role's weight goes to the touch holding it; touches
 * holding several roles get the sum; LEAD_POSITION_REST is spread evenly over
 * the touches that hold no role of non-zero weight.
 */
enum lead_attribution_position {
    LEAD_POSITION_FIRST = 0,                /**< the first touch */
    LEAD_POSITION_LEAD_CREATION = 1,        /**< first touch flagged LEAD_TOUCH_LEAD_CREATION */
    LEAD_POSITION_OPPORTUNITY_CREATION = 2, /**< first touch flagged ..._OPPORTUNITY_CREATION */
    LEAD_POSITION_CLOSED_WON = 3,           /**< first touch flagged LEAD_TOUCH_CLOSED_WON */
    LEAD_POSITION_LAST = 4,                 /**< the last touch */
    LEAD_POSITION_REST = 5                  /**< shared by all other touches */
};
#define LEAD_POSITION_COUNT 6

/** Default direct channel name of the last-non-direct model. */
#define LEAD_ATTRIBUTION_DEFAULT_DIRECT "direct"
/** Default half-life of time decay: 7 days, in ms. */
#define LEAD_ATTRIBUTION_DEFAULT_HALF_LIFE_MS INT64_C(604800000)

/**
 * Creates a model of `kind` (a lead_attribution_kind) with its default
 * options. alloc may be NULL (libc); results the model produces use it too.
 * Returns LEAD_OK, LEAD_EINVAL, LEAD_ENOTFOUND (unknown kind), LEAD_EVERSION
 * or LEAD_ENOMEM. *out owns the model; free it with
 * lead_attribution_model_free().
 */
LEAD_API int lead_attribution_model_new(lead_attribution_model **out, uint32_t kind,
                                        const lead_allocator *alloc);

/** Frees the model. NULL is a no-op. Results it produced stay valid. */
LEAD_API void lead_attribution_model_free(lead_attribution_model *model);

/** The model's kind. */
LEAD_API int lead_attribution_model_kind(const lead_attribution_model *model, uint32_t *out_kind);

/**
 * Detail of the last failure of lead_attribution_run() or a setter on this
 * model (e.g. the journey without times). Never NULL; borrowed until the
 * next call on the model.
 */
LEAD_API const char *lead_attribution_model_errmsg(const lead_attribution_model *model);

/**
 * Short lower-case name of a kind ("first", "last", "last-non-direct",
 * "lead-creation", "linear", "u-shaped", "w-shaped", "full-path",
 * "j-shaped", "inverse-j", "custom", "time-decay", "markov", "shapley",
 * "shapley-ordered"), static. LEAD_ENOTFOUND for an unknown kind.
 */
LEAD_API int lead_attribution_kind_name(uint32_t kind, const char **out_name);

/** Kind of a name given by lead_attribution_kind_name(). LEAD_ENOTFOUND if none. */
LEAD_API int lead_attribution_kind_from_name(const char *name, uint32_t *out_kind);

/**
 * Sets the channel name last-non-direct skips (default "direct"); copied.
 * Accepted by every kind, used by last-non-direct. LEAD_OK, LEAD_EINVAL
 * (empty), LEAD_ETOOLONG (> LEAD_NAME_MAX bytes), LEAD_EUTF8.
 */
LEAD_API int lead_attribution_model_set_direct_channel(lead_attribution_model *model,
                                                       const char *name);

/**
 * Sets the weight of one position role (lead_attribution_position) of a
 * position-based model; weights are relative (they need not sum to 1, each
 * journey's weights are normalised over the roles it has). weight is finite
 * and >= 0. LEAD_EINVAL otherwise or when the kind is not position-based.
 */
LEAD_API int lead_attribution_model_set_position_weight(lead_attribution_model *model,
                                                        uint32_t position, double weight);

/** Reads the weight of one position role (the default until set). */
LEAD_API int lead_attribution_model_position_weight(const lead_attribution_model *model,
                                                    uint32_t position, double *out_weight);

/** Sets the half-life of time decay in ms (> 0). LEAD_EINVAL otherwise. */
LEAD_API int lead_attribution_model_set_half_life(lead_attribution_model *model,
                                                  int64_t half_life_ms);

/**
 * Sets the order k >= 1 of data-driven Markov models (default 1). Accepted by
 * every kind, used by the Markov kind. LEAD_EINVAL for 0.
 */
LEAD_API int lead_attribution_model_set_order(lead_attribution_model *model, uint32_t order);

/**
 * Runs the model on every closed journey of set. *out owns the result; free
 * it with lead_attribution_result_free(); it does not reference the set.
 * Returns LEAD_OK, LEAD_EINVAL (bad argument, or data the kind cannot use,
 * e.g. time decay on journeys without times; see
 * lead_attribution_model_errmsg()), LEAD_ENUMERIC or LEAD_ENOMEM; *out is
 * NULL on error.
 */
LEAD_API int lead_attribution_run(lead_attribution_result **out, lead_attribution_model *model,
                                  const lead_journey_set *set);

/** Frees a result. NULL is a no-op. */
LEAD_API void lead_attribution_result_free(lead_attribution_result *result);

/** Kind of the model that produced the result. */
LEAD_API int lead_attribution_result_kind(const lead_attribution_result *result,
                                          uint32_t *out_kind);

/**
 * Totals over all journeys: conversions and value, and the part of them no
 * touch received (lead-creation journeys without a lead-creation touch).
 * Any output pointer may be NULL.
 */
LEAD_API int lead_attribution_result_totals(const lead_attribution_result *result,
                                            double *out_conversions, double *out_value,
                                            double *out_unattributed_conversions,
                                            double *out_unattributed_value);

/** Number of channels; ids are those of the journey set (0..count-1). */
LEAD_API int lead_attribution_result_channel_count(const lead_attribution_result *result,
                                                   size_t *out_count);

/**
 * Channel `id`: its name (borrowed from the result) and credited
 * conversions and value. Any output pointer may be NULL. LEAD_ENOTFOUND for
 * an unknown id.
 */
LEAD_API int lead_attribution_result_channel(const lead_attribution_result *result, uint32_t id,
                                             const char **out_name, double *out_conversions,
                                             double *out_value);

/** Credit of the channel called name. LEAD_ENOTFOUND if the result has none. */
LEAD_API int lead_attribution_result_channel_by_name(const lead_attribution_result *result,
                                                     const char *name, double *out_conversions,
                                                     double *out_value);

/** Number of campaigns; ids are those of the journey set. */
LEAD_API int lead_attribution_result_campaign_count(const lead_attribution_result *result,
                                                    size_t *out_count);

/**
 * Campaign `id`: name (borrowed from the result), credited conversions and
 * value. Credit of touches without a campaign goes to no campaign, so
 * campaign credits may sum to less than the totals. Any output pointer may
 * be NULL. LEAD_ENOTFOUND for an unknown id.
 */
LEAD_API int lead_attribution_result_campaign(const lead_attribution_result *result, uint32_t id,
                                              const char **out_name, double *out_conversions,
                                              double *out_value);

/** Credit of the campaign called name. LEAD_ENOTFOUND if the result has none. */
LEAD_API int lead_attribution_result_campaign_by_name(const lead_attribution_result *result,
                                                      const char *name, double *out_conversions,
                                                      double *out_value);

/**
 * Credit of each touch of journey `journey` of set, which must be the set
 * the result was computed from: out_conversions[i] and out_values[i] (either
 * may be NULL) receive touch i's credited conversions and value.
 * *out_count is set to the journey's touch count; when it exceeds capacity
 * nothing is written and LEAD_ELIMIT is returned. LEAD_ENOTFOUND for an
 * unknown journey; LEAD_EINVAL for NULL result, set or out_count, if the set
 * does not match the result, or if the model credits channels rather than
 * touches (Markov, Shapley); else the model's own error for that journey, as
 * lead_attribution_run() would give it.
 */
LEAD_API int lead_attribution_result_touch_credit(const lead_attribution_result *result,
                                                  const lead_journey_set *set, size_t journey,
                                                  double *out_conversions, double *out_values,
                                                  size_t capacity, size_t *out_count);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_ATTRIBUTION_H */
