/* Time decay: touch i of a journey weighs 2^(-(t_conversion - t_i) / half-life). */
#include "attribution.h"

#include <math.h>

/* Weights are computed relative to the last touch (the one nearest the
 * conversion), 2^(-(t_last - t_i) / h): the same shares after
 * normalisation, but no underflow for journeys long before the conversion. */
static int time_decay_shares(const lead_attribution_result *result, const lead_journey_set *set,
                             size_t j, double *shares, const char **why)
{
    size_t first = lead__journey_first(set, j), n = lead__journey_touch_count(set, j);
    int64_t converted = set->conversion_time[j];
    if (converted == LEAD_TIME_UNKNOWN) {
        *why = "time decay needs the conversion time";
        return LEAD_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t t = set->touch_time[first + i];
        if (t == LEAD_TIME_UNKNOWN) {
            *why = "time decay needs the time of every touch";
            return LEAD_EINVAL;
        }
        if (t > converted) {
            *why = "a touch comes after the conversion";
            return LEAD_EINVAL;
        }
    }
    int64_t last = set->touch_time[first + n - 1];
    double half_life = (double)result->opts.half_life_ms, sum = 0;
    for (size_t i = 0; i < n; i++) {
        double age = (double)last - (double)set->touch_time[first + i];
        shares[i] = exp2(-age / half_life);
        sum += shares[i];
    }
    for (size_t i = 0; i < n; i++)
        shares[i] /= sum;
    return LEAD_OK;
}

static const lead__attribution_kind time_decay_kind = {
    LEAD_ATTRIBUTION_TIME_DECAY, NULL, time_decay_shares, NULL};

const lead__attribution_kind *lead__attribution_time_decay_kind(uint32_t kind)
{
    static const lead__attribution_kind *const mine[] = {
        &time_decay_kind,
    };
    return lead__attribution_pick(mine, sizeof mine / sizeof mine[0], kind);
}
