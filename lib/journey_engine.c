/* Journeys from an engine: the contacts that converted (reached a stage or
 * did an event), their events in a lookback window as touches. */
#include "journey.h"
#include "contact.h"
#include "engine.h"

#include "lead/event.h"

#include <stdio.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)

int lead_journey_query_init(lead_journey_query *query, uint32_t struct_size)
{
    lead_journey_query init = LEAD_JOURNEY_QUERY_INIT;
    return lead__init_versioned(query, struct_size, &init, sizeof init);
}

typedef struct id_list {
    const lead__mem *mem;
    uint64_t *ids;
    size_t count, cap;
    int failed;
} id_list;

static int collect_id(void *user, uint64_t contact_id)
{
    id_list *list = user;
    void *items = list->ids;
    if (lead__grow(list->mem, &items, &list->cap, list->count + 1, sizeof *list->ids) != LEAD_OK) {
        list->failed = 1;
        return 1;
    }
    list->ids = items;
    list->ids[list->count++] = contact_id;
    return 0;
}

/* When and by which event (0: none) a contact converted; time unknown if not. */
typedef struct conversion {
    int64_t time;
    uint64_t event_id;
    double value;
} conversion;

static void by_stage(const lead_contact *c, int stage, conversion *conv)
{
    for (size_t i = 0; i < c->history_len; i++)
        if (c->history[i].stage == stage) {
            conv->time = c->history[i].entered_ms;
            conv->event_id = c->history[i].event_id;
            return;
        }
}

/* The first event of type; also the value of the event conv->event_id. */
static int scan_conversion(lead_engine *engine, uint64_t contact, int type, conversion *conv)
{
    lead_event_iter *it = NULL;
    int rc = lead_event_iter_new(&it, engine, contact, LEAD_TIME_UNKNOWN);
    const lead_event *ev;
    while (rc == LEAD_OK && (rc = lead_event_iter_next(it, &ev)) == LEAD_OK) {
        uint64_t id;
        int ev_type;
        int64_t time, value;
        const char *currency;
        lead_event_ids(ev, &id, NULL, &ev_type, NULL);
        lead_event_time(ev, &time);
        lead_event_value(ev, &value, &currency);
        if (type >= 0 && ev_type == type && conv->time == LEAD_TIME_UNKNOWN) {
            conv->time = time;
            conv->event_id = id;
        }
        if (conv->event_id && id == conv->event_id) {
            conv->value = (double)value;
            break;
        }
    }
    lead_event_iter_free(it);
    return rc == LEAD_ITEROVER ? LEAD_OK : rc;
}

static uint32_t milestone_flags(const lead_contact *c, uint64_t event_id)
{
    static const uint32_t flag[LEAD_MILESTONE_COUNT] = {LEAD_TOUCH_LEAD_CREATION,
                                                         LEAD_TOUCH_OPPORTUNITY_CREATION,
                                                         LEAD_TOUCH_CLOSED_WON};
    uint32_t flags = 0;
    for (int m = 0; m < LEAD_MILESTONE_COUNT; m++)
        if (c->touch_event[m] && c->touch_event[m] == event_id)
            flags |= flag[m];
    return flags;
}

/* Adds the events in [from, until] (stopping after last_event when set) as
 * the touches of the open journey; *out_touches counts them. */
static int add_touches(lead_journey_set *set, lead_engine *engine, const lead_contact *c,
                       int64_t from, int64_t until, uint64_t last_event, size_t *out_touches)
{
    lead_event_iter *it = NULL;
    int rc = lead_event_iter_new(&it, engine, c->id, from);
    const lead_event *ev;
    *out_touches = 0;
    while (rc == LEAD_OK && (rc = lead_event_iter_next(it, &ev)) == LEAD_OK) {
        uint64_t id;
        int channel;
        int64_t time;
        const char *campaign = NULL;
        lead_event_ids(ev, &id, NULL, NULL, &channel);
        lead_event_time(ev, &time);
        if (time > until)
            break;
        lead_event_string(ev, LEAD_EVENT_CAMPAIGN, &campaign);
        const char *name = lead_channel_name(channel);
        char other[32];
        if (!name) {
            snprintf(other, sizeof other, "channel-%d", channel);
            name = other;
        }
        rc = lead_journey_set_add_touch(set, name, campaign, time, milestone_flags(c, id));
        if (rc == LEAD_OK)
            ++*out_touches;
        if (rc == LEAD_OK && last_event && id == last_event)
            break;
    }
    lead_event_iter_free(it);
    return rc == LEAD_ITEROVER ? LEAD_OK : rc;
}

static int64_t window_start(int64_t end, uint32_t lookback_days)
{
    if (lookback_days == 0)
        return LEAD_TIME_UNKNOWN;
    int64_t span = (int64_t)lookback_days * DAY_MS;
    return end < INT64_MIN + 1 + span ? INT64_MIN + 1 : end - span;
}

/* One contact: at most one journey. */
static int add_contact(lead_journey_set *set, lead_engine *engine, const lead_journey_query *q,
                       uint64_t id, int64_t now, size_t *untouched)
{
    lead_contact *c = NULL;
    int rc = lead_contact_get(&c, engine, id);
    if (rc != LEAD_OK)
        return rc;
    conversion conv = {LEAD_TIME_UNKNOWN, 0, 0};
    if (q->stage >= 0)
        by_stage(c, q->stage, &conv);
    if (q->event_type >= 0 || conv.event_id)
        rc = scan_conversion(engine, id, q->event_type, &conv);
    int converted = conv.time != LEAD_TIME_UNKNOWN;
    if (rc != LEAD_OK || (!converted && !q->include_nulls)) {
        lead_contact_free(c);
        return rc;
    }
    int64_t until = converted ? conv.time : now;
    size_t touches = 0;
    rc = lead_journey_set_begin(set);
    if (rc == LEAD_OK)
        rc = add_touches(set, engine, c, window_start(until, q->lookback_days), until,
                         conv.event_id, &touches);
    if (rc == LEAD_OK && touches == 0) {
        lead_journey_set_cancel(set);
        *untouched += converted ? 1u : 0u;
    } else if (rc == LEAD_OK) {
        rc = lead_journey_set_end(set, converted ? 1 : 0, conv.value, converted ? 0 : 1,
                                  conv.time);
    }
    lead_contact_free(c);
    return rc;
}

static int check_query(lead_journey_set *set, const lead_journey_query *user,
                       lead_journey_query *q)
{
    lead_journey_query_init(q, sizeof *q);
    int rc = lead__copy_versioned(q, sizeof *q, user, LEAD_JOURNEY_QUERY_VERSION);
    if (rc != LEAD_OK)
        return lead__set_fail(set, rc, "bad journey query header");
    if ((q->stage >= 0) == (q->event_type >= 0))
        return lead__set_fail(set, LEAD_EINVAL, "set exactly one of stage and event_type");
    if (q->stage >= LEAD_STAGE_COUNT || q->event_type >= LEAD_EVENT_TYPE_COUNT)
        return lead__set_fail(set, LEAD_EINVAL, "unknown stage or event type");
    return LEAD_OK;
}

int lead_journey_set_add_from_engine(lead_journey_set *set, lead_engine *engine,
                                     const lead_journey_query *query, size_t *out_untouched)
{
    if (!set || !engine || !query)
        return LEAD_EINVAL;
    if (set->open)
        return lead__set_fail(set, LEAD_ESTATE, "a journey is open");
    lead_journey_query q;
    int rc = check_query(set, query, &q);
    if (rc != LEAD_OK)
        return rc;
    int64_t now = 0;
    rc = lead_engine_now(engine, &now);
    id_list list = {&set->mem, NULL, 0, 0, 0};
    if (rc == LEAD_OK)
        rc = lead__store_status(
            engine, engine->store.contact_scan(engine->store.user, collect_id, &list),
            "contact_scan");
    if (list.failed)
        rc = LEAD_ENOMEM;
    lead__journey_mark mark = lead__journey_mark_of(set);
    size_t untouched = 0;
    for (size_t i = 0; i < list.count && rc == LEAD_OK; i++)
        rc = add_contact(set, engine, &q, list.ids[i], now, &untouched);
    lead__free(&set->mem, list.ids);
    if (rc != LEAD_OK) {
        lead__journey_roll_back(set, &mark);
        if (rc == LEAD_ENOMEM)
            return lead__set_fail(set, rc, "out of memory");
        if (rc == LEAD_ESTORE || rc == LEAD_ECORRUPT || rc == LEAD_ECLOCK || rc == LEAD_ENOTFOUND)
            return lead__set_fail(set, rc, "%s", lead_engine_errmsg(engine));
        return rc; /* the set's own detail is already recorded */
    }
    if (out_untouched)
        *out_untouched = untouched;
    return LEAD_OK;
}
