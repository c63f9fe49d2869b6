/* Private: attribution models, results, and how a model kind plugs in.
 *
 * A kind is a lead__attribution_kind entry returned by a provider function
 * (below) and named in the kind table of attribution.c. It provides exactly one of two run styles:
 *
 *  - touch_shares (per-journey kinds: every rule-based model): the share of
 *    journey j's credit each of its touches receives. The generic driver in
 *    attribution.c calls it for every journey with conversions or value,
 *    multiplies by the journey's conversions and value and adds them to the
 *    touch's channel and campaign. The same function serves
 *    lead_attribution_result_touch_credit().
 *
 *  - run (whole-set kinds: the data-driven models): fills the result's
 *    credit arrays itself. The driver has already sized and zeroed them and
 *    set the totals; run may keep per-kind state in result->state (freed
 *    with result->free_state) and, if it can split credit per touch, also
 *    set touch_shares, which then receives that state through the result.
 *
 * Errors: return a LEAD_E... code; for a data problem put the detail in
 * result->errmsg with lead__attribution_fail() (run) or a static string in
 * *why (touch_shares); the driver copies it to the model's errmsg.
 */
#ifndef LEAD_LIB_ATTRIBUTION_H
#define LEAD_LIB_ATTRIBUTION_H

#include "lead/attribution.h"
#include "alloc.h"
#include "journey.h"

#define LEAD__ATTR_ERRMSG_CAP 256

/* Everything a setter can change; results keep a copy. */
typedef struct lead__attribution_options {
    uint32_t kind;
    char direct[LEAD_NAME_MAX + 1];
    double position[LEAD_POSITION_COUNT]; /* relative weights by lead_attribution_position */
    int64_t half_life_ms;
    uint32_t order;
} lead__attribution_options;

typedef struct lead__attribution_kind lead__attribution_kind;

struct lead_attribution_model {
    lead__mem mem;
    const lead__attribution_kind *ops;
    lead__attribution_options opts;
    char errmsg[LEAD__ATTR_ERRMSG_CAP];
};

struct lead_attribution_result {
    lead__mem mem;
    const lead__attribution_kind *ops;
    lead__attribution_options opts;

    size_t channel_count;
    size_t campaign_count;
    double *channel_conversions; /* by channel id */
    double *channel_value;
    double *campaign_conversions; /* by campaign id */
    double *campaign_value;
    char *names;          /* channel names then campaign names, each NUL-terminated */
    size_t *name_offset;  /* channel_count + campaign_count offsets into names */

    double total_conversions, total_value;
    double unattributed_conversions, unattributed_value;
    size_t journey_count; /* of the set it came from, to check touch_credit calls */

    void *state; /* whole-set kinds' own data, freed with free_state */
    void (*free_state)(const lead__mem *mem, void *state);
    char errmsg[LEAD__ATTR_ERRMSG_CAP];
};

/* Shares of journey j's credit per touch, written to shares[0..n) where n is
 * the journey's touch count. They sum to 1, or are all 0 when no touch earns
 * the credit (it is then reported as unattributed). On a data error return
 * LEAD_EINVAL with a static reason in *why. */
typedef int (*lead__attribution_shares_fn)(const lead_attribution_result *result,
                                           const lead_journey_set *set, size_t j, double *shares,
                                           const char **why);

/* Whole-set run: fills result's credit arrays (already zeroed). */
typedef int (*lead__attribution_run_fn)(lead_attribution_result *result,
                                        const lead_journey_set *set);

struct lead__attribution_kind {
    uint32_t kind;
    const double *default_position;     /* LEAD_POSITION_COUNT weights; NULL if not positional */
    lead__attribution_shares_fn touch_shares;
    lead__attribution_run_fn run;
};

/* Kind providers: each returns its entry for kind, or NULL if it does not
 * implement it. A new family of kinds adds one provider here and to the
 * providers[] list of attribution.c (providers are functions, not exported
 * tables, so the static library defines no global data). */
const lead__attribution_kind *lead__attribution_rules_kind(uint32_t kind);
const lead__attribution_kind *lead__attribution_position_kind(uint32_t kind);
const lead__attribution_kind *lead__attribution_time_decay_kind(uint32_t kind);
const lead__attribution_kind *lead__attribution_markov_kind(uint32_t kind);
const lead__attribution_kind *lead__attribution_shapley_kind(uint32_t kind);

/* The entry of mine[0..n) for kind, or NULL: what a provider returns. */
const lead__attribution_kind *lead__attribution_pick(const lead__attribution_kind *const *mine,
                                                     size_t n, uint32_t kind);

/* Records a printf-style detail in result->errmsg; returns code. */
int lead__attribution_fail(lead_attribution_result *result, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
