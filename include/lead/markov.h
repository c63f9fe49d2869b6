/*
 * liblead — data-driven attribution: the Markov chain behind the Markov
 * model, its exact removal effects, scale-out counting and order selection,
 * and position credit of ordered Shapley values.
 *
 * The attribution model kinds (lead/attribution.h) give per-channel credit;
 * this header gives the figures behind it. The counting step and the solve
 * are separate so that counting can run on partitions of the journeys (e.g.
 * in the workers of a distributed engine), the counts travel as bytes, and
 * only the merged table is solved. Formulas: docs/attribution-data-driven.md.
 *
 * Besides the codes each gives, result readers
 * (lead_markov_result_conversion_probability() ..
 * lead_markov_result_transition()) return LEAD_EINVAL for a NULL result, name
 * or output not said to be optional, and LEAD_ENOTFOUND for an index past
 * the count or an unknown name.
 */
#ifndef LEAD_MARKOV_H
#define LEAD_MARKOV_H

#include "common.h"
#include "journey.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Transition counts of an order-k chain (opaque). */
typedef struct lead_markov_counts lead_markov_counts;
/** A solved chain: P(conversion), removal effects, credits, transitions. */
typedef struct lead_markov_result lead_markov_result;

/** Highest supported order. */
#define LEAD_MARKOV_MAX_ORDER 8

#define LEAD_MARKOV_OPTIONS_VERSION 1

/** Options of the chain. */
typedef struct lead_markov_options {
    uint32_t struct_size;  /**< sizeof(lead_markov_options) as the caller knows it */
    uint32_t version;      /**< LEAD_MARKOV_OPTIONS_VERSION */
    uint32_t order;        /**< touches per state, 1..LEAD_MARKOV_MAX_ORDER; default 1 */
    uint32_t keep_repeats; /**< non-zero: consecutive identical states are not collapsed */
} lead_markov_options;

#define LEAD_MARKOV_OPTIONS_INIT \
    { (uint32_t)sizeof(lead_markov_options), LEAD_MARKOV_OPTIONS_VERSION, 1u, 0u }

/** Fills *opts with LEAD_MARKOV_OPTIONS_INIT: writes struct_size bytes (pass sizeof as your headers
 * know it, so an older caller's smaller struct is never overrun) and sets
 * struct_size to the size both sides know. LEAD_EINVAL for NULL or a
 * struct_size below 8. */
LEAD_API int lead_markov_options_init(lead_markov_options *opts, uint32_t struct_size);

/** Kinds of chain states. */
enum lead_markov_state_kind {
    LEAD_MARKOV_STATE_START = 0,      /**< every journey starts here */
    LEAD_MARKOV_STATE_CONVERSION = 1, /**< absorbing: converted */
    LEAD_MARKOV_STATE_NULL = 2,       /**< absorbing: did not convert */
    LEAD_MARKOV_STATE_WINDOW = 3      /**< a window of 1..order consecutive touches */
};

/**
 * Counts the transitions of every closed journey of set. opts may be NULL
 * (order 1, repeats collapsed); alloc may be NULL (libc). *out owns the
 * counts (they do not reference set); free with lead_markov_counts_free().
 * LEAD_OK, LEAD_EINVAL, LEAD_EVERSION, LEAD_ENOMEM.
 */
LEAD_API int lead_markov_counts_new(lead_markov_counts **out, const lead_journey_set *set,
                                    const lead_markov_options *opts,
                                    const lead_allocator *alloc);

/** Frees the counts. NULL is a no-op. */
LEAD_API void lead_markov_counts_free(lead_markov_counts *counts);

/**
 * Encodes the counts as bytes (format in docs/attribution-data-driven.md).
 * *out_len receives the encoded size; when it exceeds capacity nothing is
 * written and LEAD_ELIMIT is returned (call with buf NULL, capacity 0 to
 * learn the size). The bytes are the same for equal counts built the same
 * way, on any platform.
 */
LEAD_API int lead_markov_counts_export(const lead_markov_counts *counts, void *buf,
                                       size_t capacity, size_t *out_len);

/**
 * Decodes bytes made by lead_markov_counts_export(). *out owns the counts.
 * LEAD_OK, LEAD_EINVAL, LEAD_EVERSION (a newer format), LEAD_ECORRUPT (the
 * bytes are damaged or inconsistent; never a crash), LEAD_ENOMEM.
 */
LEAD_API int lead_markov_counts_import(lead_markov_counts **out, const void *bytes, size_t len,
                                       const lead_allocator *alloc);

/**
 * Adds the counts of from to into (channels are matched by name). Merging is
 * associative and commutative: merged integer counts are exactly those of
 * the union of the journeys. LEAD_EINVAL when order or repeat rule differ,
 * LEAD_ENOMEM (into is unchanged).
 */
LEAD_API int lead_markov_counts_merge(lead_markov_counts *into, const lead_markov_counts *from);

/**
 * Solves the absorbing chain exactly (no simulation): P(conversion) from
 * start and, for each channel, the removal effect and its credit. *out owns
 * the result; it does not reference counts. Order 1 with up to 2048 states
 * is one direct elimination, exact up to rounding; other chains are solved
 * iteratively until the estimated error is within 1e-13 (see
 * docs/attribution-data-driven.md). LEAD_OK, LEAD_EINVAL, LEAD_ENUMERIC (an
 * iterative solve converging too slowly for double precision, or a value
 * that is not finite), LEAD_ENOMEM.
 */
LEAD_API int lead_markov_solve(lead_markov_result **out, const lead_markov_counts *counts);

/** Frees a result. NULL is a no-op. */
LEAD_API void lead_markov_result_free(lead_markov_result *result);

/** P(conversion) from start in the fitted chain. */
LEAD_API int lead_markov_result_conversion_probability(const lead_markov_result *result,
                                                       double *out_probability);

/** Totals of the journeys counted. Any output pointer may be NULL. */
LEAD_API int lead_markov_result_totals(const lead_markov_result *result, double *out_conversions,
                                       double *out_value, double *out_nulls);

/** Number of channels; result channel indexes are 0..count-1, sorted by name. */
LEAD_API int lead_markov_result_channel_count(const lead_markov_result *result,
                                              size_t *out_count);

/**
 * Channel `index`: name (borrowed from the result), removal effect and
 * credited conversions and value. Any output pointer may be NULL.
 * LEAD_ENOTFOUND for index >= count.
 */
LEAD_API int lead_markov_result_channel(const lead_markov_result *result, size_t index,
                                        const char **out_name, double *out_removal_effect,
                                        double *out_conversions, double *out_value);

/** Like lead_markov_result_channel() by name. LEAD_ENOTFOUND if absent. */
LEAD_API int lead_markov_result_channel_by_name(const lead_markov_result *result,
                                                const char *name, double *out_removal_effect,
                                                double *out_conversions, double *out_value);

/** Number of states, start, conversion and null included (indexes 0, 1, 2). */
LEAD_API int lead_markov_result_state_count(const lead_markov_result *result, size_t *out_count);

/**
 * State `index`: its kind (lead_markov_state_kind) and, for a window, the
 * result channel indexes of its touches in order: *out_len receives their
 * number; when it exceeds capacity nothing is written to out_channels and
 * LEAD_ELIMIT is returned. Windows are sorted by their channel names.
 * out_kind and out_channels may be NULL. LEAD_ENOTFOUND for index >= count.
 */
LEAD_API int lead_markov_result_state(const lead_markov_result *result, size_t index,
                                      uint32_t *out_kind, uint32_t *out_channels,
                                      size_t capacity, size_t *out_len);

/** Number of transitions (edges with a non-zero count). */
LEAD_API int lead_markov_result_transition_count(const lead_markov_result *result,
                                                 size_t *out_count);

/**
 * Transition `index` (sorted by from, then to): state indexes, the count
 * (weighted journeys that made it) and its probability. Any output pointer
 * may be NULL. LEAD_ENOTFOUND for index >= count.
 */
LEAD_API int lead_markov_result_transition(const lead_markov_result *result, size_t index,
                                           size_t *out_from, size_t *out_to, double *out_count,
                                           double *out_probability);

/**
 * Chooses the order 1..max_order by held-out log-likelihood: journeys whose
 * index hashes to 0 mod 5 are held out, the chain of each order is fitted on
 * the others, and the held-out transitions are scored with add-one smoothing
 * (docs/attribution-data-driven.md). out_heldout[k-1] and out_train[k-1]
 * (either may be NULL, else max_order entries) receive the mean
 * log-likelihood per transition of order k; *out_order the best order (ties
 * go to the lower one). opts gives the repeat rule (its order is ignored).
 * LEAD_OK, LEAD_EINVAL (max_order 0 or above LEAD_MARKOV_MAX_ORDER, or no
 * journey on one side of the split), LEAD_EVERSION (an options or allocator
 * version this library does not know), LEAD_ENOMEM.
 */
LEAD_API int lead_markov_select_order(uint32_t *out_order, double *out_heldout,
                                      double *out_train, const lead_journey_set *set,
                                      uint32_t max_order, const lead_markov_options *opts,
                                      const lead_allocator *alloc);

/**
 * Ordered Shapley credit of channel_id (a set channel id) by touch
 * position: out_conversions[i] and out_values[i] (either may be NULL)
 * receive the credit the channel earned at the (i+1)-th touch of journeys.
 * *out_positions receives the longest journey's touch count; when it
 * exceeds capacity nothing is written and LEAD_ELIMIT is returned.
 * LEAD_ENOTFOUND for an unknown channel.
 */
LEAD_API int lead_shapley_position_credit(const lead_journey_set *set, uint32_t channel_id,
                                          double *out_conversions, double *out_values,
                                          size_t capacity, size_t *out_positions);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_MARKOV_H */
