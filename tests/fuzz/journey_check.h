/* Shared by the CSV reader targets: a set holding one known journey before
 * the read, and the checks that a read either added only well-formed
 * journeys or left the set exactly as it was. */
#ifndef LEAD_FUZZ_JOURNEY_CHECK_H
#define LEAD_FUZZ_JOURNEY_CHECK_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lead/journey.h"

/* A new set with the journey "before > csv" (1 conversion, value 7, 2 nulls);
 * NULL when out of memory. */
static lead_journey_set *set_with_one_journey(void)
{
    lead_journey_set *set = NULL;
    if (lead_journey_set_new(&set, NULL) != LEAD_OK)
        return NULL;
    if (lead_journey_set_begin(set) != LEAD_OK ||
        lead_journey_set_add_touch(set, "before", NULL, LEAD_TIME_UNKNOWN, 0) != LEAD_OK ||
        lead_journey_set_add_touch(set, "csv", NULL, LEAD_TIME_UNKNOWN, 0) != LEAD_OK ||
        lead_journey_set_end(set, 1, 7, 2, LEAD_TIME_UNKNOWN) != LEAD_OK) {
        lead_journey_set_free(set);
        return NULL;
    }
    return set;
}

static void check_first_journey(const lead_journey_set *set)
{
    size_t touches = 0;
    double conversions = 0, value = 0, nulls = 0;
    uint32_t c0 = 9, c1 = 9;
    const char *name0 = NULL, *name1 = NULL;
    if (lead_journey_set_journey(set, 0, &touches, &conversions, &value, &nulls, NULL) !=
            LEAD_OK ||
        touches != 2 || conversions != 1 || value != 7 || nulls != 2 ||
        lead_journey_set_touch(set, 0, 0, &c0, NULL, NULL, NULL) != LEAD_OK ||
        lead_journey_set_touch(set, 0, 1, &c1, NULL, NULL, NULL) != LEAD_OK || c0 != 0 ||
        c1 != 1 || lead_journey_set_channel_name(set, 0, &name0) != LEAD_OK ||
        lead_journey_set_channel_name(set, 1, &name1) != LEAD_OK || strcmp(name0, "before") ||
        strcmp(name1, "csv"))
        abort();
}

/* After a failed read: the set is as before and the message names a line
 * for a format error. */
static void check_unchanged(const lead_journey_set *set, int rc)
{
    size_t count = 0, channels = 0, campaigns = 0;
    if (lead_journey_set_count(set, &count) != LEAD_OK || count != 1 ||
        lead_journey_set_channel_count(set, &channels) != LEAD_OK || channels != 2 ||
        lead_journey_set_campaign_count(set, &campaigns) != LEAD_OK || campaigns != 0)
        abort();
    check_first_journey(set);
    if (rc == LEAD_EFORMAT && strncmp(lead_journey_set_errmsg(set), "line ", 5) != 0)
        abort();
}

/* After a successful read: every journey has a touch, known ids, finite
 * non-negative counts and a finite value. */
static void check_well_formed(const lead_journey_set *set)
{
    size_t count = 0, channels = 0, campaigns = 0;
    if (lead_journey_set_count(set, &count) != LEAD_OK || count < 1 ||
        lead_journey_set_channel_count(set, &channels) != LEAD_OK ||
        lead_journey_set_campaign_count(set, &campaigns) != LEAD_OK)
        abort();
    check_first_journey(set);
    for (size_t j = 0; j < count; j++) {
        size_t touches = 0;
        double conversions, value, nulls;
        if (lead_journey_set_journey(set, j, &touches, &conversions, &value, &nulls, NULL) !=
                LEAD_OK ||
            touches == 0 || !isfinite(conversions) || conversions < 0 || !isfinite(nulls) ||
            nulls < 0 || !isfinite(value))
            abort();
        for (size_t t = 0; t < touches; t++) {
            uint32_t channel, campaign;
            if (lead_journey_set_touch(set, j, t, &channel, &campaign, NULL, NULL) != LEAD_OK ||
                channel >= channels || (campaign != LEAD_NO_CAMPAIGN && campaign >= campaigns))
                abort();
        }
    }
    for (uint32_t c = 0; c < channels; c++) {
        const char *name = NULL;
        uint32_t id = UINT32_MAX;
        if (lead_journey_set_channel_name(set, c, &name) != LEAD_OK || !name[0] ||
            strlen(name) > LEAD_NAME_MAX || lead_journey_set_channel_id(set, name, &id) ||
            id != c)
            abort();
    }
}

/* The statuses a reader may return for arbitrary bytes. */
static int documented_read_status(int rc)
{
    return rc == LEAD_OK || rc == LEAD_EFORMAT || rc == LEAD_ELIMIT || rc == LEAD_ENOMEM;
}

#endif
