/* Journey sets: building, interning and reading journeys. */
#include "journey.h"
#include "utf8.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lead_journey_set_new(lead_journey_set **out, const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_journey_set *set = lead__calloc(&mem, 1, sizeof *set);
    if (!set)
        return LEAD_ENOMEM;
    set->mem = mem;
    lead__intern_init(&set->channels);
    lead__intern_init(&set->campaigns);
    *out = set;
    return LEAD_OK;
}

void lead_journey_set_free(lead_journey_set *set)
{
    if (!set)
        return;
    lead__mem mem = set->mem;
    lead__intern_free(&mem, &set->channels);
    lead__intern_free(&mem, &set->campaigns);
    lead__free(&mem, set->touch_channel);
    lead__free(&mem, set->touch_campaign);
    lead__free(&mem, set->touch_time);
    lead__free(&mem, set->touch_flags);
    lead__free(&mem, set->start);
    lead__free(&mem, set->conversions);
    lead__free(&mem, set->value);
    lead__free(&mem, set->nulls);
    lead__free(&mem, set->conversion_time);
    lead__free(&mem, set);
}

const char *lead_journey_set_errmsg(const lead_journey_set *set)
{
    return set ? set->errmsg : "no journey set (NULL handle)";
}

int lead__set_fail(lead_journey_set *set, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(set->errmsg, sizeof set->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

/* Grows one parallel array to new_cap elements; the arrays share one
 * capacity, which only moves once all of them have grown. */
static int grow_array(const lead__mem *mem, void *arr_ptr, size_t new_cap, size_t elem)
{
    void **arr = arr_ptr;
    void *grown = lead__realloc_array(mem, *arr, new_cap, elem);
    if (!grown)
        return LEAD_ENOMEM;
    *arr = grown;
    return LEAD_OK;
}

static size_t next_cap(size_t cap, size_t need)
{
    size_t c = cap ? cap : 16;
    while (c < need)
        c = c > SIZE_MAX / 2 ? need : c * 2;
    return c;
}

static int reserve_touches(lead_journey_set *set, size_t need)
{
    if (need <= set->touch_cap)
        return LEAD_OK;
    size_t cap = next_cap(set->touch_cap, need);
    const lead__mem *m = &set->mem;
    if (grow_array(m, &set->touch_channel, cap, sizeof *set->touch_channel) ||
        grow_array(m, &set->touch_campaign, cap, sizeof *set->touch_campaign) ||
        grow_array(m, &set->touch_time, cap, sizeof *set->touch_time) ||
        grow_array(m, &set->touch_flags, cap, sizeof *set->touch_flags))
        return LEAD_ENOMEM;
    set->touch_cap = cap;
    return LEAD_OK;
}

static int reserve_journeys(lead_journey_set *set, size_t need)
{
    /* start[] needs one entry more than the journeys. */
    if (need + 1 <= set->journey_cap)
        return LEAD_OK;
    size_t cap = next_cap(set->journey_cap, need + 1);
    const lead__mem *m = &set->mem;
    if (grow_array(m, &set->start, cap, sizeof *set->start) ||
        grow_array(m, &set->conversions, cap, sizeof *set->conversions) ||
        grow_array(m, &set->value, cap, sizeof *set->value) ||
        grow_array(m, &set->nulls, cap, sizeof *set->nulls) ||
        grow_array(m, &set->conversion_time, cap, sizeof *set->conversion_time))
        return LEAD_ENOMEM;
    set->journey_cap = cap;
    return LEAD_OK;
}

int lead_journey_set_begin(lead_journey_set *set)
{
    if (!set)
        return LEAD_EINVAL;
    if (set->open)
        return lead__set_fail(set, LEAD_ESTATE, "a journey is already open");
    int rc = reserve_journeys(set, set->journey_count + 1);
    if (rc != LEAD_OK)
        return lead__set_fail(set, rc, "out of memory");
    set->start[set->journey_count] = set->touch_count;
    set->open = 1;
    return LEAD_OK;
}

static int check_name(lead_journey_set *set, const char *name, size_t len)
{
    if (len == 0)
        return lead__set_fail(set, LEAD_EINVAL, "empty name");
    if (len > LEAD_NAME_MAX)
        return lead__set_fail(set, LEAD_ETOOLONG, "name longer than %d bytes", LEAD_NAME_MAX);
    if (!lead__utf8_valid(name, len))
        return lead__set_fail(set, LEAD_EUTF8, "name is not valid UTF-8");
    return LEAD_OK;
}

int lead__journey_intern(lead_journey_set *set, lead__intern *table, const char *name,
                         size_t len, uint32_t *out_id)
{
    int rc = check_name(set, name, len);
    if (rc != LEAD_OK)
        return rc;
    rc = lead__intern_put(&set->mem, table, name, len, out_id);
    if (rc != LEAD_OK)
        return lead__set_fail(set, rc, "cannot intern name: %s", lead_strerror(rc));
    return LEAD_OK;
}

int lead__journey_add_touch_ids(lead_journey_set *set, uint32_t channel, uint32_t campaign,
                                int64_t time_ms, uint32_t flags)
{
    if (!set->open)
        return lead__set_fail(set, LEAD_ESTATE, "no open journey (call begin first)");
    if (flags & ~(uint32_t)(LEAD_TOUCH_LEAD_CREATION | LEAD_TOUCH_OPPORTUNITY_CREATION |
                            LEAD_TOUCH_CLOSED_WON))
        return lead__set_fail(set, LEAD_EINVAL, "unknown touch flags 0x%x", (unsigned)flags);
    size_t first = set->start[set->journey_count];
    /* Compared with the last known time of the journey, so 10, unknown, 5
     * is refused too. Each unknown touch is passed over by at most one such
     * scan (the next known one stops the later scans), so a journey costs
     * linear time in all. */
    if (time_ms != LEAD_TIME_UNKNOWN)
        for (size_t t = set->touch_count; t-- > first;) {
            int64_t prev = set->touch_time[t];
            if (prev == LEAD_TIME_UNKNOWN)
                continue;
            if (time_ms < prev)
                return lead__set_fail(set, LEAD_EINVAL, "touch time goes backwards");
            break;
        }
    int rc = reserve_touches(set, set->touch_count + 1);
    if (rc != LEAD_OK)
        return lead__set_fail(set, rc, "out of memory");
    size_t t = set->touch_count++;
    set->touch_channel[t] = channel;
    set->touch_campaign[t] = campaign;
    set->touch_time[t] = time_ms;
    set->touch_flags[t] = (uint8_t)flags;
    return LEAD_OK;
}

int lead_journey_set_add_touch(lead_journey_set *set, const char *channel, const char *campaign,
                               int64_t time_ms, uint32_t flags)
{
    if (!set || !channel)
        return LEAD_EINVAL;
    if (!set->open)
        return lead__set_fail(set, LEAD_ESTATE, "no open journey (call begin first)");
    /* Both names are checked before either is interned, so a refused touch
     * adds no name to the set. */
    size_t channel_len = strlen(channel), campaign_len = campaign ? strlen(campaign) : 0;
    int rc = check_name(set, channel, channel_len);
    if (rc == LEAD_OK && campaign)
        rc = check_name(set, campaign, campaign_len);
    uint32_t channel_id, campaign_id = LEAD_NO_CAMPAIGN;
    size_t channels_before = set->channels.count, campaigns_before = set->campaigns.count;
    if (rc == LEAD_OK)
        rc = lead__journey_intern(set, &set->channels, channel, channel_len, &channel_id);
    if (rc == LEAD_OK && campaign)
        rc = lead__journey_intern(set, &set->campaigns, campaign, campaign_len, &campaign_id);
    if (rc == LEAD_OK)
        rc = lead__journey_add_touch_ids(set, channel_id, campaign_id, time_ms, flags);
    if (rc != LEAD_OK) {
        /* The touch itself can still be refused (time, flags, memory): the
         * names it brought must not stay behind as channels without touches. */
        lead__intern_truncate(&set->mem, &set->channels, channels_before);
        lead__intern_truncate(&set->mem, &set->campaigns, campaigns_before);
    }
    return rc;
}

int lead_journey_set_end(lead_journey_set *set, double conversions, double value, double nulls,
                         int64_t conversion_time_ms)
{
    if (!set)
        return LEAD_EINVAL;
    if (!set->open)
        return lead__set_fail(set, LEAD_ESTATE, "no open journey");
    size_t j = set->journey_count;
    if (set->touch_count == set->start[j])
        return lead__set_fail(set, LEAD_EINVAL, "a journey needs at least one touch");
    if (!isfinite(conversions) || conversions < 0 || !isfinite(nulls) || nulls < 0)
        return lead__set_fail(set, LEAD_EINVAL, "conversions and nulls must be finite and >= 0");
    if (!isfinite(value))
        return lead__set_fail(set, LEAD_EINVAL, "value must be finite");
    set->conversions[j] = conversions;
    set->value[j] = value;
    set->nulls[j] = nulls;
    set->conversion_time[j] = conversion_time_ms;
    set->start[j + 1] = set->touch_count;
    set->journey_count++;
    set->open = 0;
    return LEAD_OK;
}

int lead_journey_set_cancel(lead_journey_set *set)
{
    if (!set)
        return LEAD_EINVAL;
    if (set->open) {
        set->touch_count = set->start[set->journey_count];
        set->open = 0;
    }
    return LEAD_OK;
}

int lead_journey_set_count(const lead_journey_set *set, size_t *out_count)
{
    if (!set || !out_count)
        return LEAD_EINVAL;
    *out_count = set->journey_count;
    return LEAD_OK;
}

int lead_journey_set_channel_count(const lead_journey_set *set, size_t *out_count)
{
    if (!set || !out_count)
        return LEAD_EINVAL;
    *out_count = set->channels.count;
    return LEAD_OK;
}

int lead_journey_set_campaign_count(const lead_journey_set *set, size_t *out_count)
{
    if (!set || !out_count)
        return LEAD_EINVAL;
    *out_count = set->campaigns.count;
    return LEAD_OK;
}

static int name_of(const lead__intern *table, uint32_t id, const char **out_name)
{
    if (id >= table->count)
        return LEAD_ENOTFOUND;
    *out_name = lead__intern_name(table, id);
    return LEAD_OK;
}

int lead_journey_set_channel_name(const lead_journey_set *set, uint32_t channel_id,
                                  const char **out_name)
{
    if (!set || !out_name)
        return LEAD_EINVAL;
    return name_of(&set->channels, channel_id, out_name);
}

int lead_journey_set_campaign_name(const lead_journey_set *set, uint32_t campaign_id,
                                   const char **out_name)
{
    if (!set || !out_name)
        return LEAD_EINVAL;
    return name_of(&set->campaigns, campaign_id, out_name);
}

int lead_journey_set_channel_id(const lead_journey_set *set, const char *name, uint32_t *out_id)
{
    if (!set || !name || !out_id)
        return LEAD_EINVAL;
    return lead__intern_find(&set->channels, name, strlen(name), out_id);
}

int lead_journey_set_journey(const lead_journey_set *set, size_t index, size_t *out_touch_count,
                             double *out_conversions, double *out_value, double *out_nulls,
                             int64_t *out_conversion_time_ms)
{
    if (!set)
        return LEAD_EINVAL;
    if (index >= set->journey_count)
        return LEAD_ENOTFOUND;
    if (out_touch_count)
        *out_touch_count = set->start[index + 1] - set->start[index];
    if (out_conversions)
        *out_conversions = set->conversions[index];
    if (out_value)
        *out_value = set->value[index];
    if (out_nulls)
        *out_nulls = set->nulls[index];
    if (out_conversion_time_ms)
        *out_conversion_time_ms = set->conversion_time[index];
    return LEAD_OK;
}

int lead_journey_set_touch(const lead_journey_set *set, size_t journey, size_t touch,
                           uint32_t *out_channel, uint32_t *out_campaign, int64_t *out_time_ms,
                           uint32_t *out_flags)
{
    if (!set)
        return LEAD_EINVAL;
    if (journey >= set->journey_count)
        return LEAD_ENOTFOUND;
    size_t first = set->start[journey];
    if (touch >= set->start[journey + 1] - first)
        return LEAD_ENOTFOUND;
    size_t t = first + touch;
    if (out_channel)
        *out_channel = set->touch_channel[t];
    if (out_campaign)
        *out_campaign = set->touch_campaign[t];
    if (out_time_ms)
        *out_time_ms = set->touch_time[t];
    if (out_flags)
        *out_flags = set->touch_flags[t];
    return LEAD_OK;
}

lead__journey_mark lead__journey_mark_of(const lead_journey_set *set)
{
    lead__journey_mark m = {set->journey_count, set->touch_count, set->channels.count,
                            set->campaigns.count};
    return m;
}

void lead__journey_roll_back(lead_journey_set *set, const lead__journey_mark *mark)
{
    set->open = 0;
    set->journey_count = mark->journeys;
    set->touch_count = mark->touches;
    lead__intern_truncate(&set->mem, &set->channels, mark->channels);
    lead__intern_truncate(&set->mem, &set->campaigns, mark->campaigns);
}
