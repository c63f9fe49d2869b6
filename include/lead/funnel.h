/*
 * liblead — funnel analytics: how many contacts entered each stage in a time
 * range, how well each stage converts to the next, how long contacts stay,
 * and the same broken down by where the leads came from, plus cohorts.
 *
 * A funnel is fed one row per contact: the time it entered each stage and
 * the channel/source/campaign of its lead-creation touch and of its first
 * touch. Feed it from the engine or from your own warehouse. Definitions of
 * every figure are in docs/funnel.md.
 *
 * Readers (lead_funnel_contact_count(), lead_funnel_report_entered() ..
 * lead_funnel_report_cohort()) return LEAD_OK, LEAD_EINVAL for a NULL
 * funnel or report, a NULL output not said to be optional, or a stage or
 * dimension out of range (also a stage not ordered, or to_stage <=
 * from_stage, where the doc asks for that), and LEAD_ENOTFOUND for a group
 * or cohort index past the count.
 */
#ifndef LEAD_FUNNEL_H
#define LEAD_FUNNEL_H

#include "common.h"
#include "stage.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lead_funnel lead_funnel;
typedef struct lead_funnel_report lead_funnel_report;

/** What a contact row is grouped by. Values are fixed. */
enum lead_funnel_dim {
    LEAD_FUNNEL_LEAD_CHANNEL = 0,  /**< channel of the lead-creation touch */
    LEAD_FUNNEL_LEAD_SOURCE = 1,   /**< source of the lead-creation touch */
    LEAD_FUNNEL_LEAD_CAMPAIGN = 2, /**< campaign of the lead-creation touch */
    LEAD_FUNNEL_FIRST_CHANNEL = 3, /**< channel of the first touch */
    LEAD_FUNNEL_FIRST_SOURCE = 4,  /**< source of the first touch */
    LEAD_FUNNEL_FIRST_CAMPAIGN = 5 /**< campaign of the first touch */
};
#define LEAD_FUNNEL_DIM_COUNT 6

/** Longest dimension value, in bytes of UTF-8 (as long as an event's strings). */
#define LEAD_FUNNEL_NAME_MAX 512

/** Group name used for a row whose value is NULL. */
#define LEAD_FUNNEL_NONE "(none)"

/** Cohort periods (UTC). Weeks start on Monday 00:00. */
enum lead_cohort_period { LEAD_COHORT_WEEK = 0, LEAD_COHORT_MONTH = 1 };

/**
 * Creates an empty funnel. alloc may be NULL (libc). *out owns the funnel
 * (lead_funnel_free()). LEAD_OK, LEAD_EINVAL, LEAD_EVERSION (an allocator
 * version this library does not know) or LEAD_ENOMEM.
 */
LEAD_API int lead_funnel_new(lead_funnel **out, const lead_allocator *alloc);

/** Frees the funnel. NULL is a no-op. */
LEAD_API void lead_funnel_free(lead_funnel *funnel);

/** Detail of the last failure on this funnel; never NULL. */
LEAD_API const char *lead_funnel_errmsg(const lead_funnel *funnel);

/**
 * Adds one contact. stage_entered_ms[s] is when the contact entered stage s
 * (enum lead_stage), or LEAD_TIME_UNKNOWN (INT64_MIN) if it never did;
 * stage_count must be LEAD_STAGE_COUNT (or fewer: missing stages are
 * "never"). dims[d] is the name for dimension d (enum lead_funnel_dim) or
 * NULL; dim_count at most LEAD_FUNNEL_DIM_COUNT, dims may be NULL when 0.
 * revenue_minor is the contact's won revenue in minor currency units (>= 0).
 * Returns LEAD_OK, LEAD_EINVAL, LEAD_EUTF8, LEAD_ETOOLONG or LEAD_ENOMEM;
 * on error nothing is added.
 */
LEAD_API int lead_funnel_add_contact(lead_funnel *funnel, const int64_t *stage_entered_ms,
                                     size_t stage_count, const char *const *dims,
                                     size_t dim_count, int64_t revenue_minor);

struct lead_engine;

/**
 * Adds one row for every contact of the engine's store: its stage entry
 * times from the stage history (the first entry into each stage), the
 * channel (by name), source and campaign of its lead-creation touch and of
 * its first event, and its revenue: the sum of the values of its purchase
 * events (minor units; currencies are not converted). Returns LEAD_OK or
 * the engine's error (LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION, LEAD_ECLOCK,
 * LEAD_ENOMEM...; detail in
 * lead_engine_errmsg); on error no row is added.
 */
LEAD_API int lead_funnel_add_from_engine(lead_funnel *funnel, struct lead_engine *engine);

/** Number of contact rows added. */
LEAD_API int lead_funnel_contact_count(const lead_funnel *funnel, size_t *out_count);

/**
 * Computes every figure for the range [from_ms, to_ms) with cohorts of the
 * given period (enum lead_cohort_period). The report is independent of the
 * funnel afterwards (it copies what it needs); free it with
 * lead_funnel_report_free(). LEAD_OK, LEAD_EINVAL (NULL, from_ms >= to_ms
 * or an unknown cohort_period), LEAD_ENUMERIC (a group's revenue would leave
 * the int64 range) or LEAD_ENOMEM.
 */
LEAD_API int lead_funnel_report_new(lead_funnel_report **out, const lead_funnel *funnel,
                                    int64_t from_ms, int64_t to_ms, int cohort_period);

/** Frees a report. NULL is a no-op. */
LEAD_API void lead_funnel_report_free(lead_funnel_report *report);

/** Contacts that entered `stage` within the range. */
LEAD_API int lead_funnel_report_entered(const lead_funnel_report *report, int stage,
                                        uint64_t *out_count);

/**
 * Of the contacts that entered ordered stage `from_stage` within the range
 * (*out_base), how many reached ordered stage `to_stage` (> from_stage) at
 * or after that and before the range's end (*out_reached); *out_rate is
 * reached/base, or 0 when base is 0. Reaching a later stage counts as
 * passing the skipped ones. Any output may be NULL.
 */
LEAD_API int lead_funnel_report_conversion(const lead_funnel_report *report, int from_stage,
                                           int to_stage, uint64_t *out_reached,
                                           uint64_t *out_base, double *out_rate);

/**
 * Time spent in ordered stage `stage` by contacts that entered it within the
 * range and moved on to a later ordered stage before the range's end:
 * nearest-rank median and 90th percentile in ms, and how many contacts
 * that is. Both times are 0 when *out_samples is 0. Any output may be NULL.
 */
LEAD_API int lead_funnel_report_time_in_stage(const lead_funnel_report *report, int stage,
                                              int64_t *out_median_ms, int64_t *out_p90_ms,
                                              uint64_t *out_samples);

/** Number of groups of dimension `dim`; groups are sorted by name (bytewise). */
LEAD_API int lead_funnel_report_group_count(const lead_funnel_report *report, int dim,
                                            size_t *out_count);

/**
 * Group `index` of dimension `dim`: its name (borrowed from the report),
 * contacts of that group that entered `stage` within the range, and the
 * revenue of the group's contacts that became customers within the range.
 * Any output may be NULL.
 */
LEAD_API int lead_funnel_report_group(const lead_funnel_report *report, int dim, size_t index,
                                      int stage, const char **out_name, uint64_t *out_entered,
                                      int64_t *out_revenue_minor);

/** Number of cohorts: periods in which at least one contact became a lead within the range. */
LEAD_API int lead_funnel_report_cohort_count(const lead_funnel_report *report,
                                             size_t *out_count);

/**
 * Cohort `index` (ascending by start): the period's start in ms, how many
 * contacts became leads in it, and how many of those reached `stage`
 * (ordered) before the range's end. Any output may be NULL.
 */
LEAD_API int lead_funnel_report_cohort(const lead_funnel_report *report, size_t index,
                                       int stage, int64_t *out_start_ms, uint64_t *out_size,
                                       uint64_t *out_reached);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_FUNNEL_H */
