/* Events: names, tracking with derived contact state, and iteration. */
#include "event.h"
#include "contact.h"
#include "counter.h"
#include "engine_score.h"
#include "store_memory.h"
#include "utf8.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const type_names[LEAD_EVENT_TYPE_COUNT] = {
    "page_view",     "form_submit",   "email_open",       "email_click",
    "email_bounce",  "unsubscribe",   "download",         "webinar_register",
    "webinar_attend", "ad_click",     "social_engage",    "store_visit",
    "demo_request",  "meeting",       "trial_start",      "purchase",
};

static const char *const channel_names[LEAD_CHANNEL_COUNT] = {
    "organic_search", "paid_search", "organic_social", "paid_social", "email",   "direct",
    "referral",       "display",     "affiliate",      "events",      "offline", "other",
};

const char *lead_event_type_name(int type)
{
    return type >= 0 && type < LEAD_EVENT_TYPE_COUNT ? type_names[type] : NULL;
}

const char *lead_channel_name(int channel)
{
    return channel >= 0 && channel < LEAD_CHANNEL_COUNT ? channel_names[channel] : NULL;
}

static int index_of(const char *const *names, int count, const char *name, int *out)
{
    if (!name || !out)
        return LEAD_EINVAL;
    for (int i = 0; i < count; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = i;
            return LEAD_OK;
        }
    }
    return LEAD_ENOTFOUND;
}

int lead_event_type_from_name(const char *name, int *out_type)
{
    return index_of(type_names, LEAD_EVENT_TYPE_COUNT, name, out_type);
}

int lead_channel_from_name(const char *name, int *out_channel)
{
    return index_of(channel_names, LEAD_CHANNEL_COUNT, name, out_channel);
}

int lead_event_input_init(lead_event_input *input, uint32_t struct_size)
{
    lead_event_input init = LEAD_EVENT_INPUT_INIT;
    return lead__init_versioned(input, struct_size, &init, sizeof init);
}

/* ---- record ---------------------------------------------------------- */

static const char *input_string(const lead_event_input *in, int which)
{
    const char *s[LEAD__EVENT_STRINGS] = {in->source, in->medium, in->campaign, in->content,
                                          in->idempotency_key};
    return s[which];
}

/* A view of the input as an event: its strings stay the caller's. */
static void event_from_input(lead_event *ev, const lead_event_input *in, uint64_t id,
                             int64_t time_ms)
{
    memset(ev, 0, sizeof *ev);
    ev->id = id;
    ev->contact_id = in->contact_id;
    ev->type = in->type;
    ev->channel = in->channel;
    ev->time_ms = time_ms;
    ev->value_minor = in->value_minor;
    if (in->currency)
        memcpy(ev->currency, in->currency, 4);
    for (int i = 0; i < LEAD__EVENT_STRINGS; i++)
        memcpy(&ev->strings[i], &(const char *){input_string(in, i)}, sizeof(char *));
}

/* ---- track ------------------------------------------------------------ */

static int check_input(lead_engine *engine, const lead_event_input *in)
{
    if (in->contact_id == 0)
        return lead__fail(engine, LEAD_EINVAL, "track: contact id 0");
    int rc = lead__registry_check(engine, in->type, in->channel);
    if (rc != LEAD_OK)
        return rc;
    if (in->currency && !lead__event_currency_ok(in->currency, strlen(in->currency)))
        return lead__fail(engine, LEAD_EINVAL, "track: currency is not three letters A-Z");
    for (int i = 0; i < LEAD__EVENT_STRINGS; i++) {
        const char *s = input_string(in, i);
        if (!s)
            continue;
        size_t len = strlen(s);
        if (!lead__utf8_valid(s, len))
            return lead__fail(engine, LEAD_EUTF8, "track: string %d is not UTF-8", i);
        if (len > LEAD_EVENT_STRING_MAX)
            return lead__fail(engine, LEAD_ETOOLONG, "track: string %d is too long", i);
    }
    return LEAD_OK;
}

static int is_identifying(int type)
{
    return type == LEAD_EVENT_FORM_SUBMIT || type == LEAD_EVENT_DOWNLOAD ||
           type == LEAD_EVENT_WEBINAR_REGISTER || type == LEAD_EVENT_DEMO_REQUEST ||
           type == LEAD_EVENT_TRIAL_START || type == LEAD_EVENT_PURCHASE;
}

static void set_touch(lead_contact *c, int touch, uint64_t event_id, int64_t time_ms)
{
    if (c->touch_event[touch])
        return;
    c->touch_event[touch] = event_id;
    c->touch_ms[touch] = time_ms;
}

/* The derived state an event changes: activity, touches and stage. */
static int apply_event(lead_contact *c, int type, uint64_t event_id, int64_t time_ms,
                       int64_t now)
{
    int rc = LEAD_OK;
    int ordered = lead_stage_is_ordered(c->stage);
    if (is_identifying(type) && !c->touch_event[LEAD_MILESTONE_LEAD_CREATION]) {
        set_touch(c, LEAD_MILESTONE_LEAD_CREATION, event_id, time_ms);
        if (c->stage == LEAD_STAGE_SUBSCRIBER)
            rc = lead__contact_enter_stage(c, LEAD_STAGE_LEAD, LEAD_REASON_EVENT, time_ms, event_id);
    }
    if (rc == LEAD_OK && type == LEAD_EVENT_PURCHASE && !c->touch_event[LEAD_MILESTONE_CLOSED_WON]) {
        set_touch(c, LEAD_MILESTONE_CLOSED_WON, event_id, time_ms);
        if (ordered && c->stage < LEAD_STAGE_CUSTOMER)
            rc = lead__contact_enter_stage(c, LEAD_STAGE_CUSTOMER, LEAD_REASON_EVENT, time_ms,
                                           event_id);
    }
    if (rc != LEAD_OK)
        return rc;
    if (type == LEAD_EVENT_UNSUBSCRIBE)
        lead__contact_consent_apply(c, LEAD_PURPOSE_EMAIL_MARKETING, LEAD_CONSENT_UNSUBSCRIBED,
                                    time_ms);
    else if (type == LEAD_EVENT_EMAIL_BOUNCE)
        lead__contact_consent_apply(c, LEAD_PURPOSE_EMAIL_MARKETING, LEAD_CONSENT_BOUNCED, time_ms);
    c->event_count++;
    if (c->last_activity_ms == LEAD_TIME_UNKNOWN || time_ms >= c->last_activity_ms) {
        c->last_activity_ms = time_ms;
        c->last_event_id = event_id;
    }
    c->updated_ms = now;
    return LEAD_OK;
}

static int already_tracked(lead_engine *engine, const char *key)
{
    if (!key)
        return LEAD_ENOTFOUND;
    return lead__store_status(engine, engine->store.event_find_key(engine->store.user, key),
                              "event_find_key");
}

static int notify_track(lead_engine *engine, const lead_contact *c, const lead_event *ev)
{
    for (size_t i = 0; i < engine->track_observer_count; i++) {
        int rc = engine->track_observers[i].fn(engine->track_observers[i].user, engine, c, ev);
        if (rc != LEAD_OK)
            return rc;
    }
    return LEAD_OK;
}

/* A copy of a contact's version 2 record that a track patches in place
 * instead of decoding and re-encoding the whole contact. */
typedef struct hot_record {
    unsigned char bytes[1024]; /* larger records take the full path */
    size_t len;
    const char *email, *external_id; /* inside bytes */
    size_t spans; /* the stage history's length when read: a new span needs a full encode */
    int fixed_only; /* the contact tracked is only the fixed block read from bytes */
    lead_contact *whole; /* decoded from bytes when scoring needed it (the caller frees) */
} hot_record;

/* Scoring asked for the whole contact that the track had only read the fixed
 * block of: decodes it from the copy (not patched yet) and applies the event
 * to it as it was applied to the fixed block. */
static int load_whole(lead_engine *engine, hot_record *hot, uint64_t id, int type,
                      uint64_t event_id, int64_t time_ms, int64_t now)
{
    int rc = lead__contact_from_record(engine, id, hot->bytes, hot->len, &hot->whole);
    if (rc != LEAD_OK)
        return rc;
    hot->spans = hot->whole->history_len;
    return apply_event(hot->whole, type, event_id, time_ms, now);
}

/* Feeds the event to the attached models. A contact read only in its fixed
 * block (most tracks) is enough unless a model needs more: then *c becomes
 * the whole contact, decoded once. */
static int score_event(lead_engine *engine, lead_contact **c, const lead_event *ev,
                       hot_record *hot, int type, int64_t now)
{
    int fixed_only = hot && hot->fixed_only;
    int rc = lead__scores_track(engine, *c, ev, !fixed_only);
    if (rc != LEAD__SCORES_NEED_CONTACT)
        return rc;
    rc = load_whole(engine, hot, (*c)->id, type, ev->id, ev->time_ms, now);
    if (hot->whole)
        *c = hot->whole;
    return rc == LEAD_OK ? lead__scores_track(engine, *c, ev, 1) : rc;
}

/* Write order without transactions: the id counter, then the event, then the
 * contact (docs/storage.md, "Write order"). With hot (a copy of the stored
 * record, for an event that changes only its fixed block), the contact is
 * stored as that copy patched, unless scoring entered a stage: a threshold
 * crossing is the one change to the rest of the contact that scoring makes. */
static int store_event(lead_engine *engine, lead_contact *c, const lead_event_input *in,
                       lead_event *ev, int64_t time_ms, int64_t now, hot_record *hot)
{
    uint64_t id = 0;
    int rc = lead__counter_next(engine, "event.next_id", &id);
    if (rc == LEAD_OK) {
        event_from_input(ev, in, id, time_ms);
        rc = apply_event(c, in->type, id, time_ms, now);
    }
    if (rc == LEAD_OK)
        rc = score_event(engine, &c, ev, hot, in->type, now);
    if (rc == LEAD_OK)
        rc = lead__event_encode(&engine->writer, ev);
    if (rc == LEAD_OK)
        rc = lead__store_status(engine,
                                engine->store.event_append(engine->store.user, in->contact_id,
                                                           time_ms, in->idempotency_key,
                                                           engine->writer.buf, engine->writer.len),
                                "event_append");
    if (rc == LEAD_OK)
        rc = hot && c->history_len == hot->spans
                 ? lead__contact_save_hot(engine, c, hot->bytes, hot->len, hot->email,
                                          hot->external_id)
                 : lead__contact_save(engine, c);
    return rc == LEAD_ENOTFOUND ? LEAD_ESTORE : rc;
}

/* Whether the event changes more of the contact than the fixed block of its
 * record: a stage (the history) or a consent. The same conditions as
 * apply_event(). */
static int needs_full_contact(const lead_contact *c, int type)
{
    if (type == LEAD_EVENT_UNSUBSCRIBE || type == LEAD_EVENT_EMAIL_BOUNCE)
        return 1;
    if (is_identifying(type) && !c->touch_event[LEAD_MILESTONE_LEAD_CREATION] &&
        c->stage == LEAD_STAGE_SUBSCRIBER)
        return 1;
    return type == LEAD_EVENT_PURCHASE && !c->touch_event[LEAD_MILESTONE_CLOSED_WON] &&
           lead_stage_is_ordered(c->stage) && c->stage < LEAD_STAGE_CUSTOMER;
}

/* Copies a version 2 record that fits into hot and reads its fixed block
 * into c. 0 when the record is of another version, too long or damaged in
 * its fixed part (the full decode then tells which). */
static int read_hot(hot_record *hot, lead_contact *c, uint64_t id, const void *bytes, size_t len)
{
    if (len > sizeof hot->bytes)
        return 0;
    /* The store lends bytes only until the next call on it: copy first. */
    memcpy(hot->bytes, bytes, len);
    hot->len = len;
    hot->spans = 0;
    hot->fixed_only = 0;
    hot->whole = NULL;
    memset(c, 0, sizeof *c);
    return lead__contact_hot_read(c, &hot->email, &hot->external_id, NULL, hot->bytes, len) ==
               LEAD_OK &&
           c->id == id;
}

/* The writes of a track, in a transaction when the store has them. c is the
 * whole contact, or only its fixed block when hot is set and nothing needs
 * more. */
static int track_store(lead_engine *engine, lead_contact *c, const lead_event_input *in,
                       lead_event *ev, int64_t time_ms, int64_t now, hot_record *hot)
{
    int rc = lead__store_begin(engine);
    if (rc == LEAD_OK)
        rc = lead__store_finish(engine, store_event(engine, c, in, ev, time_ms, now, hot));
    return lead__scores_settle(engine, rc);
}

static int track_full(lead_engine *engine, const lead_event_input *in, lead_event *ev,
                      const void *bytes, size_t len, int64_t time_ms, int64_t now,
                      hot_record *hot)
{
    lead_contact *c = NULL;
    int rc = lead__contact_from_record(engine, in->contact_id, bytes, len, &c);
    if (rc != LEAD_OK)
        return rc;
    size_t before = c->history_len;
    if (hot)
        hot->spans = before;
    rc = track_store(engine, c, in, ev, time_ms, now, hot);
    if (rc == LEAD_OK) {
        lead__contact_notify(engine, c, before);
        rc = notify_track(engine, c, ev);
    }
    lead_contact_free(c);
    return rc;
}

/* One event, its input struct already copied into our layout. `prefetched`:
 * a batch has already asked for the memory this event will touch. */
static int track_input(lead_engine *engine, uint64_t *out_event_id, lead_event_input *in,
                       int prefetched)
{
    int rc = check_input(engine, in);
    if (rc != LEAD_OK)
        return rc;
    if (!prefetched) {
        /* While the clock is read: the contact's slots. */
        lead__store_memory_prefetch(&engine->store, in->contact_id, 0);
        lead__scores_prefetch_entries(engine, in->contact_id);
    }
    int64_t now = 0;
    rc = lead__now(engine, &now);
    if (rc != LEAD_OK)
        return rc;
    int64_t time_ms = in->time_ms == LEAD_TIME_UNKNOWN ? now : in->time_ms;
    rc = already_tracked(engine, in->idempotency_key);
    if (rc == LEAD_OK) {
        *out_event_id = 0;
        return LEAD_OK;
    }
    if (rc != LEAD_ENOTFOUND)
        return rc;
    const void *bytes = NULL;
    size_t len = 0;
    /* in->contact_id becomes the surviving contact when the id was merged away */
    rc = lead__contact_fetch(engine, in->contact_id, &in->contact_id, &bytes, &len);
    if (rc != LEAD_OK)
        return rc;
    lead_event ev;
    hot_record hot;
    lead_contact fixed;
    if (!prefetched)
        lead__scores_prefetch_rules(engine, in->contact_id, in->type);
    int patch = read_hot(&hot, &fixed, in->contact_id, bytes, len) &&
                !needs_full_contact(&fixed, in->type);
    /* The observers read the whole contact; scoring asks for it when it
     * needs it. */
    if (patch && !engine->track_observer_count) {
        hot.fixed_only = 1;
        rc = track_store(engine, &fixed, in, &ev, time_ms, now, &hot);
        if (rc == LEAD_OK && hot.whole)
            lead__contact_notify(engine, hot.whole, hot.spans);
        lead_contact_free(hot.whole);
    } else {
        rc = track_full(engine, in, &ev, bytes, len, time_ms, now, patch ? &hot : NULL);
    }
    if (rc == LEAD_OK)
        *out_event_id = ev.id;
    return rc;
}

int lead_track(lead_engine *engine, uint64_t *out_event_id, const lead_event_input *input)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!out_event_id)
        return lead__fail(engine, LEAD_EINVAL, "track: NULL out_event_id");
    if (!input)
        return lead__fail(engine, LEAD_EINVAL, "track: NULL input");
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    int rc = lead__copy_versioned(&in, sizeof in, input, LEAD_EVENT_INPUT_VERSION);
    if (rc != LEAD_OK)
        return lead__fail(engine, rc, "track: bad input struct");
    return track_input(engine, out_event_id, &in, 0);
}

/* How far ahead of the event being tracked a batch asks for memory: the
 * first step (slots) this many events ahead, the second (what the slots
 * point to) half as far. Of 2, 4, 6, 8 and 16, 8 and 16 measured best
 * (docs/performance.md). */
#define BATCH_AHEAD 8

/* Copies the field at `offset` (of `size` bytes) of the caller's element at
 * p into out, when the element (stride bytes) has room for it. */
static int input_field(const unsigned char *p, size_t stride, size_t offset, void *out,
                       size_t size)
{
    if (stride < offset + size)
        return 0;
    memcpy(out, p + offset, size);
    return 1;
}

/* Step 0 asks for the slots of the event's contact (store, scoring
 * entries), step 1 for what they point to (its record and the end of its
 * events, the states of the rules its type can hit). Hints only: the
 * element is not checked yet. */
static void prefetch_event(lead_engine *engine, const unsigned char *p, size_t stride, int step)
{
    uint64_t id = 0;
    int32_t type = 0;
    if (!input_field(p, stride, offsetof(lead_event_input, contact_id), &id, sizeof id))
        return;
    lead__store_memory_prefetch(&engine->store, id, step);
    if (step == 0)
        lead__scores_prefetch_entries(engine, id);
    else if (input_field(p, stride, offsetof(lead_event_input, type), &type, sizeof type))
        lead__scores_prefetch_rules(engine, id, type);
}

/* Says which event of a batch failed, keeping the reason. */
static int batch_fail(lead_engine *engine, int rc, size_t i)
{
    char why[LEAD__ERRMSG_CAP];
    snprintf(why, sizeof why, "%s", engine->errmsg[0] ? engine->errmsg : lead_strerror(rc));
    return lead__fail(engine, rc, "track batch: event %zu: %s", i, why);
}

/* A batch element copied into our layout: its struct_size must fit the
 * stride. */
static int batch_input(lead_engine *engine, lead_event_input *in, const unsigned char *p,
                       size_t stride)
{
    uint32_t header[2];
    memcpy(header, p, sizeof header);
    int rc = header[0] <= stride
                 ? lead__copy_versioned(in, sizeof *in, p, LEAD_EVENT_INPUT_VERSION)
                 : LEAD_EINVAL;
    if (rc != LEAD_OK)
        return lead__fail(engine, rc, "bad input struct (struct_size %u, version %u)",
                          (unsigned)header[0], (unsigned)header[1]);
    return LEAD_OK;
}

int lead_track_batch(lead_engine *engine, const lead_event_input *events, size_t element_size,
                     size_t n, uint64_t *out_event_ids, size_t *out_done)
{
    if (out_done)
        *out_done = 0;
    if (!engine)
        return LEAD_EINVAL;
    if (!n)
        return LEAD_OK;
    if (!events)
        return lead__fail(engine, LEAD_EINVAL, "track batch: NULL events");
    if (element_size < 2 * sizeof(uint32_t) || n > SIZE_MAX / element_size)
        return lead__fail(engine, LEAD_EINVAL, "track batch: bad element size %zu",
                          element_size);
    const unsigned char *base = (const unsigned char *)events;
    /* The first events are not ahead of anything: ask for them now. */
    for (size_t i = 0; i < BATCH_AHEAD && i < n; i++)
        prefetch_event(engine, base + i * element_size, element_size, 0);
    for (size_t i = 0; i < BATCH_AHEAD / 2 && i < n; i++)
        prefetch_event(engine, base + i * element_size, element_size, 1);
    for (size_t i = 0; i < n; i++) {
        if (i + BATCH_AHEAD < n)
            prefetch_event(engine, base + (i + BATCH_AHEAD) * element_size, element_size, 0);
        if (i + BATCH_AHEAD / 2 < n)
            prefetch_event(engine, base + (i + BATCH_AHEAD / 2) * element_size, element_size, 1);
        lead_event_input in = LEAD_EVENT_INPUT_INIT;
        engine->errmsg[0] = 0;
        int rc = batch_input(engine, &in, base + i * element_size, element_size);
        uint64_t id = 0;
        if (rc == LEAD_OK)
            rc = track_input(engine, &id, &in, 1);
        if (rc != LEAD_OK)
            return batch_fail(engine, rc, i);
        if (out_event_ids)
            out_event_ids[i] = id;
        if (out_done)
            *out_done = i + 1;
    }
    return LEAD_OK;
}

/* ---- iteration -------------------------------------------------------- */

typedef struct visit_ctx {
    lead_engine *engine;
    lead__event_visit_fn fn;
    void *user;
    lead_event ev;
    int rc;
} visit_ctx;

static int visit_one(void *user, int64_t time_ms, const void *bytes, size_t len)
{
    visit_ctx *v = user;
    (void)time_ms;
    v->rc = lead__event_decode(&v->engine->mem, &v->ev, bytes, len);
    if (v->rc == LEAD_OK)
        v->rc = v->fn(v->user, &v->ev);
    return v->rc != LEAD_OK;
}

int lead__event_visit(lead_engine *engine, uint64_t contact_id, int64_t from_ms,
                      lead__event_visit_fn fn, void *user)
{
    visit_ctx v;
    memset(&v, 0, sizeof v);
    v.engine = engine;
    v.fn = fn;
    v.user = user;
    int rc = lead__store_status(
        engine, engine->store.event_scan(engine->store.user, contact_id, from_ms, visit_one, &v),
        "event_scan");
    lead__event_clear(&engine->mem, &v.ev);
    if (rc == LEAD_ENOTFOUND)
        rc = LEAD_ESTORE;
    return rc != LEAD_OK ? rc : v.rc;
}

struct lead_event_iter {
    lead__mem mem;
    unsigned char *records; /* copies of the records, each prefixed by its u32 length */
    size_t len, cap, off;
    lead_event current;
};

static int copy_record(void *user, int64_t time_ms, const void *bytes, size_t len)
{
    lead_event_iter *it = user;
    (void)time_ms;
    uint32_t n = (uint32_t)len;
    if (len > UINT32_MAX ||
        lead__grow(&it->mem, (void **)&it->records, &it->cap, it->len + 4 + len, 1) != LEAD_OK) {
        it->off = SIZE_MAX; /* remembers the failure */
        return 1;
    }
    memcpy(it->records + it->len, &n, 4);
    memcpy(it->records + it->len + 4, bytes, len);
    it->len += 4 + len;
    return 0;
}

int lead_event_iter_new(lead_event_iter **out, lead_engine *engine, uint64_t contact_id,
                        int64_t from_ms)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!out)
        return lead__fail(engine, LEAD_EINVAL, "event_iter_new: NULL out");
    *out = NULL;
    int rc = lead__contact_resolve(engine, contact_id, &contact_id);
    if (rc != LEAD_OK)
        return rc;
    lead_event_iter *it = lead__calloc(&engine->mem, 1, sizeof *it);
    if (!it)
        return LEAD_ENOMEM;
    it->mem = engine->mem;
    rc = lead__store_status(engine,
                            engine->store.event_scan(engine->store.user, contact_id, from_ms,
                                                     copy_record, it),
                            "event_scan");
    if (rc == LEAD_OK && it->off == SIZE_MAX)
        rc = LEAD_ENOMEM;
    if (rc != LEAD_OK) {
        lead_event_iter_free(it);
        return rc == LEAD_ENOTFOUND ? LEAD_ESTORE : rc;
    }
    *out = it;
    return LEAD_OK;
}

int lead_event_iter_next(lead_event_iter *iter, const lead_event **out)
{
    if (!iter || !out)
        return LEAD_EINVAL;
    if (iter->off >= iter->len)
        return LEAD_ITEROVER;
    uint32_t n;
    memcpy(&n, iter->records + iter->off, 4);
    int rc = lead__event_decode(&iter->mem, &iter->current, iter->records + iter->off + 4, n);
    iter->off += 4 + (size_t)n;
    if (rc != LEAD_OK)
        return rc;
    *out = &iter->current;
    return LEAD_OK;
}

void lead_event_iter_free(lead_event_iter *iter)
{
    if (!iter)
        return;
    lead__mem mem = iter->mem;
    lead__event_clear(&mem, &iter->current);
    lead__free(&mem, iter->records);
    lead__free(&mem, iter);
}

int lead_event_ids(const lead_event *event, uint64_t *out_event_id, uint64_t *out_contact_id,
                   int *out_type, int *out_channel)
{
    if (!event)
        return LEAD_EINVAL;
    if (out_event_id)
        *out_event_id = event->id;
    if (out_contact_id)
        *out_contact_id = event->contact_id;
    if (out_type)
        *out_type = event->type;
    if (out_channel)
        *out_channel = event->channel;
    return LEAD_OK;
}

int lead_event_time(const lead_event *event, int64_t *out_time_ms)
{
    if (!event || !out_time_ms)
        return LEAD_EINVAL;
    *out_time_ms = event->time_ms;
    return LEAD_OK;
}

int lead_event_value(const lead_event *event, int64_t *out_value_minor, const char **out_currency)
{
    if (!event || !out_value_minor || !out_currency)
        return LEAD_EINVAL;
    *out_value_minor = event->value_minor;
    *out_currency = event->currency[0] ? event->currency : NULL;
    return LEAD_OK;
}

int lead_event_string(const lead_event *event, int which, const char **out_value)
{
    if (!event || !out_value || which < 0 || which >= LEAD__EVENT_STRINGS)
        return LEAD_EINVAL;
    *out_value = event->strings[which];
    return LEAD_OK;
}
