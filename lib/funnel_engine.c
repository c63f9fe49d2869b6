/* Feeding a funnel from an engine: one row per contact, from its stage
 * history, its lead-creation touch, its first event and its purchases. */
#include "funnel.h"
#include "alloc.h"
#include "engine.h"

#include "lead/contact.h"
#include "lead/event.h"

#include <stdio.h>
#include <string.h>

/* The channel, source and campaign of one touch, copied out of the event
 * (its strings are borrowed only until the iterator moves). */
typedef struct touch_names {
    char channel[LEAD_FUNNEL_NAME_MAX + 1];
    char source[LEAD_FUNNEL_NAME_MAX + 1];
    char campaign[LEAD_FUNNEL_NAME_MAX + 1];
    int set;
} touch_names;

typedef struct row {
    int64_t entered[LEAD_STAGE_COUNT];
    touch_names lead, first;
    int64_t revenue;
} row;

static void copy_string(char *dst, const lead_event *ev, int which)
{
    const char *s = NULL;
    lead_event_string(ev, which, &s);
    snprintf(dst, LEAD_FUNNEL_NAME_MAX + 1, "%s", s ? s : "");
}

static int name_touch(lead_engine *engine, const lead_event *ev, touch_names *t)
{
    int channel = 0;
    lead_event_ids(ev, NULL, NULL, NULL, &channel);
    int rc = lead_channel_lookup(engine, channel, t->channel, sizeof t->channel);
    if (rc != LEAD_OK)
        return rc;
    copy_string(t->source, ev, LEAD_EVENT_SOURCE);
    copy_string(t->campaign, ev, LEAD_EVENT_CAMPAIGN);
    t->set = 1;
    return LEAD_OK;
}

static int read_events(lead_engine *engine, uint64_t id, uint64_t lead_event_id, row *r)
{
    lead_event_iter *it = NULL;
    int rc = lead_event_iter_new(&it, engine, id, LEAD_TIME_UNKNOWN);
    const lead_event *ev = NULL;
    while (rc == LEAD_OK && (rc = lead_event_iter_next(it, &ev)) == LEAD_OK) {
        uint64_t event_id = 0;
        int type = 0;
        lead_event_ids(ev, &event_id, NULL, &type, NULL);
        if (!r->first.set)
            rc = name_touch(engine, ev, &r->first);
        if (rc == LEAD_OK && lead_event_id && event_id == lead_event_id)
            rc = name_touch(engine, ev, &r->lead);
        if (rc == LEAD_OK && type == LEAD_EVENT_PURCHASE) {
            int64_t value = 0;
            const char *currency = NULL;
            lead_event_value(ev, &value, &currency);
            if (value > 0 && r->revenue > INT64_MAX - value)
                rc = lead__fail(engine, LEAD_ENUMERIC, "revenue of contact %llu overflows",
                                (unsigned long long)id);
            else if (value > 0)
                r->revenue += value;
        }
    }
    lead_event_iter_free(it);
    return rc == LEAD_ITEROVER ? LEAD_OK : rc;
}

static int read_row(lead_engine *engine, uint64_t id, row *r)
{
    memset(r, 0, sizeof *r);
    /* A merged-away id counts under its winner only. */
    uint64_t holder = 0;
    int rc = lead_contact_resolve(engine, &holder, id);
    if (rc == LEAD_OK && holder != id)
        return LEAD_ENOTFOUND;
    if (rc != LEAD_OK)
        return rc == LEAD_EERASED ? LEAD_ENOTFOUND : rc;
    for (int s = 0; s < LEAD_STAGE_COUNT; s++)
        r->entered[s] = LEAD_TIME_UNKNOWN;
    lead_contact *c = NULL;
    rc = lead_contact_get(&c, engine, id);
    if (rc != LEAD_OK)
        return rc;
    size_t n = 0;
    lead_contact_stage_history_count(c, &n);
    for (size_t i = 0; i < n; i++) {
        int stage = -1;
        int64_t entered = LEAD_TIME_UNKNOWN, exited = 0;
        int reason = 0;
        uint64_t by_event = 0;
        lead_contact_stage_history_at(c, i, &stage, &entered, &exited, &reason, &by_event);
        if (stage >= 0 && stage < LEAD_STAGE_COUNT && r->entered[stage] == LEAD_TIME_UNKNOWN)
            r->entered[stage] = entered;
    }
    uint64_t lead_event_id = 0;
    int64_t lead_time = 0;
    if (lead_contact_milestone(c, LEAD_MILESTONE_LEAD_CREATION, &lead_event_id, &lead_time) !=
        LEAD_OK)
        lead_event_id = 0;
    lead_contact_free(c);
    return read_events(engine, id, lead_event_id, r);
}

static const char *or_null(const touch_names *t, const char *s)
{
    return t->set && *s ? s : NULL;
}

int lead_funnel_add_from_engine(lead_funnel *funnel, lead_engine *engine)
{
    if (!funnel || !engine)
        return LEAD_EINVAL;
    size_t before = 0;
    lead_funnel_contact_count(funnel, &before);
    uint64_t *ids = NULL;
    size_t count = 0;
    int rc = lead__engine_contact_ids(engine, lead__funnel_mem(funnel), &ids, &count);
    /* One row on the heap: it holds six names of up to 512 bytes. */
    row *r = rc == LEAD_OK ? lead__malloc(lead__funnel_mem(funnel), sizeof *r) : NULL;
    if (rc == LEAD_OK && !r)
        rc = LEAD_ENOMEM;
    for (size_t i = 0; rc == LEAD_OK && i < count; i++) {
        rc = read_row(engine, ids[i], r);
        if (rc == LEAD_ENOTFOUND)
            rc = LEAD_OK; /* merged away or erased: no row of its own */
        else if (rc == LEAD_OK) {
            const char *dims[LEAD_FUNNEL_DIM_COUNT] = {
                or_null(&r->lead, r->lead.channel),   or_null(&r->lead, r->lead.source),
                or_null(&r->lead, r->lead.campaign),  or_null(&r->first, r->first.channel),
                or_null(&r->first, r->first.source),  or_null(&r->first, r->first.campaign)};
            rc = lead_funnel_add_contact(funnel, r->entered, LEAD_STAGE_COUNT, dims,
                                         LEAD_FUNNEL_DIM_COUNT, r->revenue);
        }
    }
    lead__free(lead__funnel_mem(funnel), r);
    lead__free(lead__funnel_mem(funnel), ids);
    if (rc != LEAD_OK)
        lead__funnel_truncate(funnel, before);
    return rc;
}
