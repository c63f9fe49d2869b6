/* Position-based models: linear, U, W, full path, J, inverse J, custom.
 *
 * Every position model except linear is one rule with different weights: a
 * touch holding a role (first, lead creation, opportunity creation, closed
 * won, last) receives that role's weight, summed over its roles; the rest
 * weight is spread evenly over the touches holding no role of non-zero
 * weight; roles absent from the journey (no such milestone, or no rest
 * touches) drop out and the journey's weights are normalised to sum to 1. */
#include "attribution.h"

static int linear_shares(const lead_attribution_result *result, const lead_journey_set *set,
                         size_t j, double *shares, const char **why)
{
    (void)result, (void)why;
    size_t n = lead__journey_touch_count(set, j);
    for (size_t i = 0; i < n; i++)
        shares[i] = 1.0 / (double)n;
    return LEAD_OK;
}

/* Index of the first touch of journey j carrying flag, or n if none. */
static size_t first_flagged(const lead_journey_set *set, size_t j, uint32_t flag)
{
    size_t first = lead__journey_first(set, j), n = lead__journey_touch_count(set, j);
    for (size_t i = 0; i < n; i++)
        if (set->touch_flags[first + i] & flag)
            return i;
    return n;
}

static int position_shares(const lead_attribution_result *result, const lead_journey_set *set,
                           size_t j, double *shares, const char **why)
{
    (void)why;
    const double *w = result->opts.position;
    size_t n = lead__journey_touch_count(set, j);
    size_t holder[LEAD_POSITION_REST] = {
        [LEAD_POSITION_FIRST] = 0,
        [LEAD_POSITION_LEAD_CREATION] = first_flagged(set, j, LEAD_TOUCH_LEAD_CREATION),
        [LEAD_POSITION_OPPORTUNITY_CREATION] =
            first_flagged(set, j, LEAD_TOUCH_OPPORTUNITY_CREATION),
        [LEAD_POSITION_CLOSED_WON] = first_flagged(set, j, LEAD_TOUCH_CLOSED_WON),
        [LEAD_POSITION_LAST] = n - 1,
    };
    for (size_t i = 0; i < n; i++)
        shares[i] = 0;
    /* Anchored touches hold a share > 0 after this loop; the others are rest. */
    for (size_t role = 0; role < LEAD_POSITION_REST; role++)
        if (holder[role] < n)
            shares[holder[role]] += w[role];
    size_t rest = 0;
    for (size_t i = 0; i < n; i++)
        rest += shares[i] == 0;
    double rest_each = rest ? w[LEAD_POSITION_REST] / (double)rest : 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (shares[i] == 0)
            shares[i] = rest_each;
        sum += shares[i];
    }
    if (sum > 0)
        for (size_t i = 0; i < n; i++)
            shares[i] /= sum;
    return LEAD_OK;
}

enum { F = LEAD_POSITION_FIRST, L = LEAD_POSITION_LEAD_CREATION,
       O = LEAD_POSITION_OPPORTUNITY_CREATION, W = LEAD_POSITION_CLOSED_WON,
       Z = LEAD_POSITION_LAST, R = LEAD_POSITION_REST };

static const double u_weights[LEAD_POSITION_COUNT] = {[F] = 0.4, [Z] = 0.4, [R] = 0.2};
static const double w_weights[LEAD_POSITION_COUNT] = {[F] = 0.3, [L] = 0.3, [O] = 0.3,
                                                      [R] = 0.1};
static const double full_weights[LEAD_POSITION_COUNT] = {[F] = 0.225, [L] = 0.225, [O] = 0.225,
                                                         [W] = 0.225, [R] = 0.1};
static const double j_weights[LEAD_POSITION_COUNT] = {[F] = 0.2, [Z] = 0.6, [R] = 0.2};
static const double inverse_j_weights[LEAD_POSITION_COUNT] = {[F] = 0.6, [Z] = 0.2, [R] = 0.2};

static const lead__attribution_kind linear_kind = {
    LEAD_ATTRIBUTION_LINEAR, NULL, linear_shares, NULL};
static const lead__attribution_kind u_shaped_kind = {
    LEAD_ATTRIBUTION_U_SHAPED, u_weights, position_shares, NULL};
static const lead__attribution_kind w_shaped_kind = {
    LEAD_ATTRIBUTION_W_SHAPED, w_weights, position_shares, NULL};
static const lead__attribution_kind full_path_kind = {
    LEAD_ATTRIBUTION_FULL_PATH, full_weights, position_shares, NULL};
static const lead__attribution_kind j_shaped_kind = {
    LEAD_ATTRIBUTION_J_SHAPED, j_weights, position_shares, NULL};
static const lead__attribution_kind inverse_j_kind = {
    LEAD_ATTRIBUTION_INVERSE_J, inverse_j_weights, position_shares, NULL};
/* Custom starts as U-shaped; the caller sets the weights. */
static const lead__attribution_kind custom_kind = {
    LEAD_ATTRIBUTION_CUSTOM_POSITION, u_weights, position_shares, NULL};

const lead__attribution_kind *lead__attribution_position_kind(uint32_t kind)
{
    static const lead__attribution_kind *const mine[] = {
        &linear_kind, &u_shaped_kind, &w_shaped_kind, &full_path_kind, &j_shaped_kind,
        &inverse_j_kind, &custom_kind,
    };
    return lead__attribution_pick(mine, sizeof mine / sizeof mine[0], kind);
}
