/* Shapley values of the game v(S) = conversions (value) of the journeys
 * whose channel set is a subset of S.
 *
 * v is a sum of unanimity games, one per journey: journey J with channel
 * set C_J contributes conv_J to v(S) exactly when C_J is a subset of S, and
 * the Shapley value of a unanimity game splits its worth equally over C_J
 * (Zhao, Mahboobi and Bagheri 2018). Summing over journeys gives the exact
 * value in one pass, with no enumeration of coalitions. */
#include "attribution.h"
#include "markov.h"

#include <string.h>

/* Touches of journey j on the channel of touch t, and whether t is the
 * first of them. Journeys are short, so a scan beats a table. */
static size_t touches_on(const lead_journey_set *set, size_t first, size_t end, size_t t,
                         int *is_first)
{
    uint32_t ch = set->touch_channel[t];
    size_t n = 0;
    *is_first = 1;
    for (size_t u = first; u < end; u++) {
        if (set->touch_channel[u] != ch)
            continue;
        if (u < t)
            *is_first = 0;
        n++;
    }
    return n;
}

/* Distinct channels of touches [first, end) without scratch memory. */
static size_t distinct_by_scan(const lead_journey_set *set, size_t first, size_t end)
{
    size_t distinct = 0;
    int is_first;
    for (size_t t = first; t < end; t++) {
        touches_on(set, first, end, t, &is_first);
        distinct += (size_t)is_first;
    }
    return distinct;
}

static size_t distinct_channels(const lead_journey_set *set, size_t first, size_t end,
                                size_t *stamp, size_t mark)
{
    size_t n = 0;
    for (size_t t = first; t < end; t++) {
        uint32_t ch = set->touch_channel[t];
        if (stamp[ch] != mark) {
            stamp[ch] = mark;
            n++;
        }
    }
    return n;
}
int lead__shapley_credit(const lead__mem *mem, const lead_journey_set *set,
                         double *out_conversions, double *out_values)
{
    size_t channels = set->channels.count;
    /* stamp[ch] == j + 1: channel ch already seen in journey j. */
    size_t *stamp = lead__calloc(mem, channels + 1, sizeof *stamp);
    if (!stamp)
        return LEAD_ENOMEM;
    for (size_t c = 0; c < channels; c++)
        out_conversions[c] = out_values[c] = 0;
    for (size_t j = 0; j < set->journey_count; j++) {
        size_t first = set->start[j], end = set->start[j + 1];
        size_t n = distinct_channels(set, first, end, stamp, 2 * j + 1);
        if (n == 0)
            continue;
        double conv = set->conversions[j] / (double)n, value = set->value[j] / (double)n;
        for (size_t t = first; t < end; t++) {
            uint32_t ch = set->touch_channel[t];
            if (stamp[ch] == 2 * j + 1) {
                stamp[ch] = 2 * j + 2; /* credited once */
                out_conversions[ch] += conv;
                out_values[ch] += value;
            }
        }
    }
    lead__free(mem, stamp);
    return LEAD_OK;
}

static int shapley_shares(const lead_attribution_result *result, const lead_journey_set *set,
                          size_t j, double *shares, const char **why)
{
    (void)result;
    (void)why;
    size_t first = set->start[j], end = set->start[j + 1];
    size_t distinct = distinct_by_scan(set, first, end);
    int is_first;
    for (size_t t = first; t < end; t++)
        shares[t - first] =
            1.0 / ((double)distinct * (double)touches_on(set, first, end, t, &is_first));
    return LEAD_OK;
}

/* Both kinds split a journey the same way; the ordered one differs in what
 * it reports beyond channels: credit by position, through
 * lead_shapley_position_credit(). */
static const lead__attribution_kind shapley_kind = {LEAD_ATTRIBUTION_SHAPLEY, NULL,
                                                    shapley_shares, NULL};
static const lead__attribution_kind shapley_ordered_kind = {LEAD_ATTRIBUTION_SHAPLEY_ORDERED,
                                                            NULL, shapley_shares, NULL};

const lead__attribution_kind *lead__attribution_shapley_kind(uint32_t kind)
{
    static const lead__attribution_kind *const mine[] = {&shapley_kind, &shapley_ordered_kind};
    return lead__attribution_pick(mine, sizeof mine / sizeof mine[0], kind);
}

int lead_shapley_position_credit(const lead_journey_set *set, uint32_t channel_id,
                                 double *out_conversions, double *out_values, size_t capacity,
                                 size_t *out_positions)
{
    if (!set || !out_positions)
        return LEAD_EINVAL;
    if (channel_id >= set->channels.count)
        return LEAD_ENOTFOUND;
    size_t longest = 0;
    for (size_t j = 0; j < set->journey_count; j++) {
        size_t n = set->start[j + 1] - set->start[j];
        if (n > longest)
            longest = n;
    }
    *out_positions = longest;
    if (longest > capacity)
        return LEAD_ELIMIT;
    for (size_t i = 0; i < longest; i++) {
        if (out_conversions)
            out_conversions[i] = 0;
        if (out_values)
            out_values[i] = 0;
    }
    for (size_t j = 0; j < set->journey_count; j++) {
        size_t first = set->start[j], end = set->start[j + 1];
        size_t distinct = distinct_by_scan(set, first, end);
        int is_first;
        for (size_t t = first; t < end; t++) {
            if (set->touch_channel[t] != channel_id)
                continue;
            double share =
                1.0 / ((double)distinct * (double)touches_on(set, first, end, t, &is_first));
            if (out_conversions)
                out_conversions[t - first] += set->conversions[j] * share;
            if (out_values)
                out_values[t - first] += set->value[j] * share;
        }
    }
    return LEAD_OK;
}
