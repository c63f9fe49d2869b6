/* Events: names and values, track with derived state, idempotency checked
 * against the store, iteration in time order, failures. */
#include "lead_test.h"

#include <string.h>

static lead_engine *new_engine(lt_fakeclock *fc, const lead_store *store)
{
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.clock = &fc->clock;
    o.store = store;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &o), LEAD_OK);
    return e;
}

static void names_are_fixed(void **state)
{
    (void)state;
    assert_string_equal(lead_event_type_name(LEAD_EVENT_PAGE_VIEW), "page_view");
    assert_string_equal(lead_event_type_name(LEAD_EVENT_WEBINAR_ATTEND), "webinar_attend");
    assert_string_equal(lead_event_type_name(15), "purchase");
    assert_null(lead_event_type_name(16));
    assert_null(lead_event_type_name(-1));
    assert_string_equal(lead_channel_name(0), "organic_search");
    assert_string_equal(lead_channel_name(11), "other");
    assert_null(lead_channel_name(12));
    int v = -1;
    assert_int_equal(lead_event_type_from_name("demo_request", &v), LEAD_OK);
    assert_int_equal(v, 12);
    assert_int_equal(lead_channel_from_name("paid_social", &v), LEAD_OK);
    assert_int_equal(v, 3);
    assert_int_equal(lead_channel_from_name("tv", &v), LEAD_ENOTFOUND);
    lead_event_input a = LEAD_EVENT_INPUT_INIT, b;
    memset(&b, 0xff, sizeof b);
    assert_int_equal(lead_event_input_init(&b, sizeof(lead_event_input)), LEAD_OK);
    assert_memory_equal(&a, &b, sizeof a);
}

static uint64_t track(lead_engine *e, uint64_t contact, int type, int channel, int64_t t,
                      const char *key)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = type;
    in.channel = channel;
    in.time_ms = t;
    in.idempotency_key = key;
    uint64_t id = 99;
    assert_int_equal(lead_track(e, &id, &in), LEAD_OK);
    return id;
}

static void track_derives_stage_and_touches(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t c = 0;
    assert_int_equal(lead_contact_create(e, &c, "a@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(track(e, c, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_ORGANIC_SEARCH,
                           LT_T0 + 1000, NULL), 1);
    assert_int_equal(track(e, c, LEAD_EVENT_FORM_SUBMIT, LEAD_CHANNEL_PAID_SEARCH,
                           LT_T0 + 2000, NULL), 2);
    assert_int_equal(track(e, c, LEAD_EVENT_DOWNLOAD, LEAD_CHANNEL_EMAIL, LT_T0 + 3000, NULL),
                     3);
    assert_int_equal(lead_contact_set_stage(e, c, LEAD_STAGE_OPPORTUNITY, 0), LEAD_OK);

    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = c;
    in.type = LEAD_EVENT_PURCHASE;
    in.channel = LEAD_CHANNEL_DIRECT;
    in.time_ms = LT_T0 + 5000;
    in.value_minor = 129900;
    in.currency = "EUR";
    in.campaign = "spring";
    uint64_t id = 0;
    assert_int_equal(lead_track(e, &id, &in), LEAD_OK);
    assert_int_equal(id, 4);

    lead_contact *snap = NULL;
    assert_int_equal(lead_contact_get(&snap, e, c), LEAD_OK);
    int stage = -1;
    uint64_t n = 0, ev = 0;
    int64_t t = 0, created, updated, active;
    lead_contact_stage(snap, &stage);
    assert_int_equal(stage, LEAD_STAGE_CUSTOMER);
    lead_contact_event_count(snap, &n);
    assert_int_equal(n, 4);
    lead_contact_times(snap, &created, &updated, &active);
    assert_int_equal(active, LT_T0 + 5000);
    assert_int_equal(lead_contact_milestone(snap, LEAD_MILESTONE_LEAD_CREATION, &ev, &t), LEAD_OK);
    assert_int_equal(ev, 2);
    assert_int_equal(t, LT_T0 + 2000);
    assert_int_equal(lead_contact_milestone(snap, LEAD_MILESTONE_OPPORTUNITY, &ev, &t), LEAD_OK);
    assert_int_equal(ev, 3); /* the last event before the manual move */
    assert_int_equal(t, LT_T0 + 3000);
    assert_int_equal(lead_contact_milestone(snap, LEAD_MILESTONE_CLOSED_WON, &ev, &t), LEAD_OK);
    assert_int_equal(ev, 4);
    assert_int_equal(t, LT_T0 + 5000);
    size_t hn = 0;
    lead_contact_stage_history_count(snap, &hn);
    assert_int_equal(hn, 4); /* subscriber, lead, opportunity, customer */
    int s, reason;
    int64_t in_ms, out_ms;
    assert_int_equal(lead_contact_stage_history_at(snap, 1, &s, &in_ms, &out_ms, &reason, &ev),
                     LEAD_OK);
    assert_int_equal(s, LEAD_STAGE_LEAD);
    assert_int_equal(reason, LEAD_REASON_EVENT);
    assert_int_equal(in_ms, LT_T0 + 2000);
    assert_int_equal(ev, 2);
    assert_int_equal(lead_contact_stage_history_at(snap, 3, &s, &in_ms, &out_ms, &reason, &ev),
                     LEAD_OK);
    assert_int_equal(s, LEAD_STAGE_CUSTOMER);
    assert_int_equal(reason, LEAD_REASON_EVENT);
    assert_int_equal(ev, 4);
    lead_contact_free(snap);

    lead_event_iter *it = NULL;
    const lead_event *event = NULL;
    assert_int_equal(lead_event_iter_new(&it, e, c, LT_T0 + 3000), LEAD_OK);
    assert_int_equal(lead_event_iter_next(it, &event), LEAD_OK);
    int type, channel;
    uint64_t contact;
    lead_event_ids(event, &ev, &contact, &type, &channel);
    assert_int_equal(ev, 3);
    assert_int_equal(type, LEAD_EVENT_DOWNLOAD);
    assert_int_equal(channel, LEAD_CHANNEL_EMAIL);
    assert_int_equal(lead_event_iter_next(it, &event), LEAD_OK);
    int64_t value = 0;
    const char *cur = NULL, *campaign = NULL, *source = "x";
    lead_event_value(event, &value, &cur);
    assert_int_equal(value, 129900);
    assert_string_equal(cur, "EUR");
    lead_event_string(event, LEAD_EVENT_CAMPAIGN, &campaign);
    assert_string_equal(campaign, "spring");
    lead_event_string(event, LEAD_EVENT_SOURCE, &source);
    assert_null(source);
    lead_event_time(event, &t);
    assert_int_equal(t, LT_T0 + 5000);
    assert_int_equal(lead_event_iter_next(it, &event), LEAD_ITEROVER);
    lead_event_iter_free(it);
    lead_engine_free(e);
}

static void out_of_order_events_iterate_in_time_order(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0 + LT_DAY);
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t c = 0;
    assert_int_equal(lead_contact_create(e, &c, NULL, "x-1", 0), LEAD_OK);
    track(e, c, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + 30, NULL);
    track(e, c, LEAD_EVENT_AD_CLICK, LEAD_CHANNEL_DISPLAY, LT_T0 + 10, NULL);
    track(e, c, LEAD_EVENT_MEETING, LEAD_CHANNEL_OFFLINE, LEAD_TIME_UNKNOWN, NULL);
    track(e, c, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0 + 20, NULL);
    static const uint64_t ids[4] = {2, 4, 1, 3};
    static const int64_t times[4] = {LT_T0 + 10, LT_T0 + 20, LT_T0 + 30, LT_T0 + LT_DAY};
    lead_event_iter *it = NULL;
    const lead_event *ev = NULL;
    assert_int_equal(lead_event_iter_new(&it, e, c, LEAD_TIME_UNKNOWN), LEAD_OK);
    for (int i = 0; i < 4; i++) {
        uint64_t id;
        int64_t t;
        assert_int_equal(lead_event_iter_next(it, &ev), LEAD_OK);
        lead_event_ids(ev, &id, NULL, NULL, NULL);
        lead_event_time(ev, &t);
        assert_int_equal(id, ids[i]);
        assert_int_equal(t, times[i]);
    }
    assert_int_equal(lead_event_iter_next(it, &ev), LEAD_ITEROVER);
    lead_event_iter_free(it);
    assert_int_equal(lead_event_iter_new(&it, e, 7, LEAD_TIME_UNKNOWN), LEAD_ENOTFOUND);
    assert_null(it);
    lead_engine_free(e);
}

/* An engine on a new memory store (the caller frees both) holding one
 * contact, a@x.io, whose id is *out_contact. */
static lead_engine *engine_on_new_store(lt_fakeclock *fc, lead_store **out_store,
                                        uint64_t *out_contact)
{
    lt_fakeclock_init(fc, LT_T0);
    assert_int_equal(lead_store_memory_new(out_store, NULL), LEAD_OK);
    lead_engine *e = new_engine(fc, *out_store);
    assert_int_equal(lead_contact_create(e, out_contact, "a@x.io", NULL, 0), LEAD_OK);
    return e;
}

/* Replays after a restart: a second engine on the same store sees the key. */
static void idempotency_survives_a_new_engine(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lead_store *store = NULL;
    uint64_t c = 0;
    lead_engine *e = engine_on_new_store(&fc, &store, &c);
    assert_int_equal(track(e, c, LEAD_EVENT_EMAIL_CLICK, LEAD_CHANNEL_EMAIL, LT_T0, "msg-1"), 1);
    assert_int_equal(track(e, c, LEAD_EVENT_EMAIL_CLICK, LEAD_CHANNEL_EMAIL, LT_T0, "msg-1"), 0);
    lead_engine_free(e);
    e = new_engine(&fc, store);
    assert_int_equal(track(e, c, LEAD_EVENT_EMAIL_CLICK, LEAD_CHANNEL_EMAIL, LT_T0, "msg-1"), 0);
    assert_int_equal(track(e, c, LEAD_EVENT_EMAIL_CLICK, LEAD_CHANNEL_EMAIL, LT_T0, "msg-2"), 2);
    lead_contact *snap = NULL;
    uint64_t n = 0;
    assert_int_equal(lead_contact_get(&snap, e, c), LEAD_OK);
    lead_contact_event_count(snap, &n);
    assert_int_equal(n, 2);
    lead_contact_free(snap);
    lead_engine_free(e);
    lead_store_memory_free(store);
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t c = 0, id = 0;
    assert_int_equal(lead_contact_create(e, &c, "a@x.io", NULL, 0), LEAD_OK);
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = c;
    in.type = 16;
    assert_int_equal(lead_track(e, &id, &in), LEAD_EINVAL);
    in.type = 0;
    in.channel = 12;
    assert_int_equal(lead_track(e, &id, &in), LEAD_EINVAL);
    in.channel = 0;
    in.currency = "eur";
    assert_int_equal(lead_track(e, &id, &in), LEAD_EINVAL);
    in.currency = NULL;
    in.source = "\xed\xa0\x80"; /* a surrogate */
    assert_int_equal(lead_track(e, &id, &in), LEAD_EUTF8);
    char big[LEAD_EVENT_STRING_MAX + 2];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    in.source = NULL;
    in.idempotency_key = big;
    assert_int_equal(lead_track(e, &id, &in), LEAD_ETOOLONG);
    in.idempotency_key = NULL;
    in.contact_id = 5;
    assert_int_equal(lead_track(e, &id, &in), LEAD_ENOTFOUND);
    in.contact_id = c;
    in.struct_size = 4;
    assert_int_equal(lead_track(e, &id, &in), LEAD_EINVAL);
    assert_int_equal(lead_track(e, NULL, &in), LEAD_EINVAL);
    in.struct_size = sizeof in;
    fc.fail_at = fc.calls;
    fc.fail_code = 3;
    assert_int_equal(lead_track(e, &id, &in), LEAD_ECLOCK);
    lead_contact *snap = NULL;
    uint64_t n = 9;
    assert_int_equal(lead_contact_get(&snap, e, c), LEAD_OK);
    lead_contact_event_count(snap, &n);
    assert_int_equal(n, 0);
    lead_contact_free(snap);
    lead_engine_free(e);
}

static void custom_types_and_channels(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_store *store = NULL;
    assert_int_equal(lead_store_memory_new(&store, NULL), LEAD_OK);
    lead_engine *e = new_engine(&fc, store);
    int t = -1, ch = -1;
    char name[LEAD_CUSTOM_NAME_MAX + 1];
    assert_int_equal(lead_event_type_register(e, &t, "quote_sent"), LEAD_OK);
    assert_int_equal(t, 1000);
    assert_int_equal(lead_event_type_register(e, &t, "contract_signed"), LEAD_OK);
    assert_int_equal(t, 1001);
    assert_int_equal(lead_event_type_register(e, &t, "quote_sent"), LEAD_OK);
    assert_int_equal(t, 1000);
    assert_int_equal(lead_event_type_register(e, &t, "purchase"), LEAD_OK);
    assert_int_equal(t, LEAD_EVENT_PURCHASE);
    assert_int_equal(lead_event_type_register(e, &t, "Quote"), LEAD_EINVAL);
    assert_int_equal(lead_event_type_register(e, &t, ""), LEAD_EINVAL);
    assert_int_equal(lead_channel_register(e, &ch, "podcast"), LEAD_OK);
    assert_int_equal(ch, 1000);
    lead_engine_free(e);

    e = new_engine(&fc, store); /* the registry lives in the store */
    assert_int_equal(lead_event_type_lookup(e, 1001, name, sizeof name), LEAD_OK);
    assert_string_equal(name, "contract_signed");
    assert_int_equal(lead_event_type_lookup(e, 3, name, sizeof name), LEAD_OK);
    assert_string_equal(name, "email_click");
    assert_int_equal(lead_event_type_lookup(e, 1002, name, sizeof name), LEAD_ENOTFOUND);
    assert_int_equal(lead_event_type_lookup(e, 16, name, sizeof name), LEAD_ENOTFOUND);
    assert_int_equal(lead_event_type_lookup(e, 1001, name, 5), LEAD_ELIMIT);
    assert_int_equal(lead_channel_lookup(e, 1000, name, sizeof name), LEAD_OK);
    assert_string_equal(name, "podcast");

    uint64_t c = 0, id = 0;
    assert_int_equal(lead_contact_create(e, &c, "a@x.io", NULL, 0), LEAD_OK);
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = c;
    in.type = 1001;
    in.channel = 1000;
    in.time_ms = LT_T0;
    assert_int_equal(lead_track(e, &id, &in), LEAD_OK);
    assert_int_equal(id, 1);
    in.type = 1002;
    assert_int_equal(lead_track(e, &id, &in), LEAD_EINVAL);
    in.type = 1001;
    in.channel = 1001;
    assert_int_equal(lead_track(e, &id, &in), LEAD_EINVAL);
    lead_event_iter *it = NULL;
    const lead_event *ev = NULL;
    int type = 0, channel = 0;
    assert_int_equal(lead_event_iter_new(&it, e, c, LEAD_TIME_UNKNOWN), LEAD_OK);
    assert_int_equal(lead_event_iter_next(it, &ev), LEAD_OK);
    lead_event_ids(ev, NULL, NULL, &type, &channel);
    assert_int_equal(type, 1001);
    assert_int_equal(channel, 1000);
    lead_event_iter_free(it);
    lead_engine_free(e);
    lead_store_memory_free(store);
}

static int track_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.allocator = alloc;
    lead_engine *e = NULL;
    int rc = lead_engine_new(&e, &o);
    uint64_t c = 0, id = 0;
    if (rc == LEAD_OK)
        rc = lead_contact_create(e, &c, "a@x.io", NULL, 0);
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = c;
    in.campaign = "spring";
    in.idempotency_key = "k";
    for (int i = 0; i < 3 && rc == LEAD_OK; i++) {
        in.type = i == 1 ? LEAD_EVENT_FORM_SUBMIT : LEAD_EVENT_PAGE_VIEW;
        in.time_ms = LT_T0 - i;
        in.idempotency_key = i == 2 ? NULL : "k";
        rc = lead_track(e, &id, &in);
    }
    lead_event_iter *it = NULL;
    const lead_event *ev;
    if (rc == LEAD_OK)
        rc = lead_event_iter_new(&it, e, c, LEAD_TIME_UNKNOWN);
    while (rc == LEAD_OK)
        rc = lead_event_iter_next(it, &ev);
    if (rc == LEAD_ITEROVER)
        rc = LEAD_OK;
    lead_event_iter_free(it);
    lead_engine_free(e);
    return rc;
}

static void track_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(track_scenario, NULL, LEAD_OK) > 10);
}

/* Event ids come from the store's counter on every track: a record in
 * another valid layout is read and rewritten in the one written, and a
 * value another engine stored is the one continued. */
static void event_ids_follow_the_stored_counter(void **state)
{
    (void)state;
    /* Counter 41 with a second field after the value (24 body bytes). */
    static const unsigned char wide[] = {'L', 'R', 3, 1, 2, 0, 0, 0, 24, 0, 0, 0,
                                         1,   0,   8, 0, 0, 0, 41, 0, 0, 0, 0, 0, 0, 0,
                                         2,   0,   4, 0, 0, 0, 'x', 'y', 'z', 'w'};
    static const unsigned char as_written[] = {'L', 'R', 3, 1, 1, 0, 0, 0, 14, 0, 0, 0, 1,
                                               0,   8,   0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0};
    unsigned char other[sizeof as_written];
    lt_fakeclock fc;
    lead_store *store = NULL;
    uint64_t c = 0;
    lead_engine *e = engine_on_new_store(&fc, &store, &c);
    assert_int_equal(store->meta_put(store->user, "event.next_id", wide, sizeof wide), LEAD_OK);
    assert_int_equal(track(e, c, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0, NULL), 42);
    const void *bytes = NULL;
    size_t len = 0;
    assert_int_equal(store->meta_get(store->user, "event.next_id", &bytes, &len), LEAD_OK);
    assert_int_equal(len, sizeof as_written);
    assert_memory_equal(bytes, as_written, sizeof as_written);
    assert_int_equal(track(e, c, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0, NULL), 43);
    /* Another engine on the store moved the counter to 299 (0x12b). */
    memcpy(other, as_written, sizeof other);
    other[18] = 0x2b;
    other[19] = 0x01;
    assert_int_equal(store->meta_put(store->user, "event.next_id", other, sizeof other), LEAD_OK);
    assert_int_equal(track(e, c, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0, NULL), 300);
    /* A negative value is damage. */
    memset(other + 18, 0xff, 8);
    assert_int_equal(store->meta_put(store->user, "event.next_id", other, sizeof other), LEAD_OK);
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = c;
    in.type = LEAD_EVENT_PAGE_VIEW;
    in.channel = LEAD_CHANNEL_DIRECT;
    in.time_ms = LT_T0;
    uint64_t id = 7;
    assert_int_equal(lead_track(e, &id, &in), LEAD_ECORRUPT);
    lead_engine_free(e);
    lead_store_memory_free(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_fixed),
        cmocka_unit_test(track_derives_stage_and_touches),
        cmocka_unit_test(out_of_order_events_iterate_in_time_order),
        cmocka_unit_test(idempotency_survives_a_new_engine),
        cmocka_unit_test(bad_input_is_refused),
        cmocka_unit_test(custom_types_and_channels),
        cmocka_unit_test(track_alloc_sweep),
        cmocka_unit_test(event_ids_follow_the_stored_counter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
