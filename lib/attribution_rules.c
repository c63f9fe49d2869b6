/* Single-touch models: first, last, last non-direct, lead creation. */
#include "attribution.h"

#include <string.h>

/* Zeroes n shares and gives the whole credit to touch `at`. */
static void all_to(double *shares, size_t n, size_t at)
{
    for (size_t i = 0; i < n; i++)
        shares[i] = 0;
    shares[at] = 1;
}

static int first_shares(const lead_attribution_result *result, const lead_journey_set *set,
                        size_t j, double *shares, const char **why)
{
    (void)result, (void)why;
    all_to(shares, lead__journey_touch_count(set, j), 0);
    return LEAD_OK;
}

static int last_shares(const lead_attribution_result *result, const lead_journey_set *set,
                       size_t j, double *shares, const char **why)
{
    (void)result, (void)why;
    size_t n = lead__journey_touch_count(set, j);
    all_to(shares, n, n - 1);
    return LEAD_OK;
}

/* The last touch whose channel is not the direct one; when every touch is
 * direct, the last touch (a direct-only journey still converted). */
static int last_non_direct_shares(const lead_attribution_result *result,
                                  const lead_journey_set *set, size_t j, double *shares,
                                  const char **why)
{
    (void)why;
    size_t first = lead__journey_first(set, j), n = lead__journey_touch_count(set, j);
    uint32_t direct;
    const char *name = result->opts.direct;
    int has_direct = lead__intern_find(&set->channels, name, strlen(name), &direct) == LEAD_OK;
    size_t at = n - 1;
    if (has_direct)
        while (at > 0 && set->touch_channel[first + at] == direct)
            at--;
    if (has_direct && set->touch_channel[first + at] == direct)
        at = n - 1;
    all_to(shares, n, at);
    return LEAD_OK;
}

/* The first touch flagged lead creation; none leaves the credit unattributed. */
static int lead_creation_shares(const lead_attribution_result *result,
                                const lead_journey_set *set, size_t j, double *shares,
                                const char **why)
{
    (void)result, (void)why;
    size_t first = lead__journey_first(set, j), n = lead__journey_touch_count(set, j);
    for (size_t i = 0; i < n; i++)
        shares[i] = 0;
    for (size_t i = 0; i < n; i++)
        if (set->touch_flags[first + i] & LEAD_TOUCH_LEAD_CREATION) {
            shares[i] = 1;
            break;
        }
    return LEAD_OK;
}

static const lead__attribution_kind first_kind = {
    LEAD_ATTRIBUTION_FIRST_TOUCH, NULL, first_shares, NULL};
static const lead__attribution_kind last_kind = {
    LEAD_ATTRIBUTION_LAST_TOUCH, NULL, last_shares, NULL};
static const lead__attribution_kind last_non_direct_kind = {
    LEAD_ATTRIBUTION_LAST_NON_DIRECT, NULL, last_non_direct_shares, NULL};
static const lead__attribution_kind lead_creation_kind = {
    LEAD_ATTRIBUTION_LEAD_CREATION, NULL, lead_creation_shares, NULL};

const lead__attribution_kind *lead__attribution_rules_kind(uint32_t kind)
{
    static const lead__attribution_kind *const mine[] = {
        &first_kind, &last_kind, &last_non_direct_kind, &lead_creation_kind,
    };
    return lead__attribution_pick(mine, sizeof mine / sizeof mine[0], kind);
}
