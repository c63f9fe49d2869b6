/* Journeys built from an engine's contacts: conversion by event or stage,
 * lookback window, milestones, non-converting contacts, failures. */
#include "lead_test.h"

#include <string.h>

typedef struct fixture {
    lt_fakeclock fc;
    lead_engine *engine;
    uint64_t ann, bob, cid;
} fixture;

static void track(lead_engine *e, uint64_t contact, int type, int channel, int64_t t,
                  int64_t value, const char *campaign)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = type;
    in.channel = channel;
    in.time_ms = t;
    in.value_minor = value;
    in.currency = value ? "EUR" : NULL;
    in.campaign = campaign;
    uint64_t id = 0;
    assert_int_equal(lead_track(e, &id, &in), LEAD_OK);
}

/* ann: paid search (spring), email form (lead), direct purchase 50.00 (won),
 * then a referral visit after the purchase;
 * bob: one organic social visit; cid: made a customer by hand, no events. */
static int fixture_new(fixture *f, const lead_allocator *alloc)
{
    memset(f, 0, sizeof *f);
    lt_fakeclock_init(&f->fc, LT_T0);
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.clock = &f->fc.clock;
    o.allocator = alloc;
    int rc = lead_engine_new(&f->engine, &o);
    if (rc == LEAD_OK)
        rc = lead_contact_create(f->engine, &f->ann, "ann@x.io", NULL, 0);
    if (rc == LEAD_OK)
        rc = lead_contact_create(f->engine, &f->bob, "bob@x.io", NULL, 0);
    if (rc == LEAD_OK)
        rc = lead_contact_create(f->engine, &f->cid, "cid@x.io", NULL, 0);
    if (rc == LEAD_OK)
        rc = lead_contact_set_stage(f->engine, f->cid, LEAD_STAGE_CUSTOMER, 0);
    return rc;
}

static void fixture_events(fixture *f)
{
    track(f->engine, f->ann, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_PAID_SEARCH, LT_T0, 0, "spring");
    track(f->engine, f->ann, LEAD_EVENT_FORM_SUBMIT, LEAD_CHANNEL_EMAIL, LT_T0 + LT_DAY, 0, NULL);
    track(f->engine, f->bob, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_ORGANIC_SOCIAL, LT_T0 + LT_DAY, 0,
          NULL);
    track(f->engine, f->ann, LEAD_EVENT_PURCHASE, LEAD_CHANNEL_DIRECT, LT_T0 + 3 * LT_DAY, 5000,
          NULL);
    track(f->engine, f->ann, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_REFERRAL, LT_T0 + 4 * LT_DAY, 0,
          NULL);
}

static void expect_touch(const lead_journey_set *set, size_t j, size_t t, const char *channel,
                         const char *campaign, int64_t time, uint32_t flags)
{
    uint32_t ch, ca, fl;
    int64_t when;
    const char *name;
    assert_int_equal(lead_journey_set_touch(set, j, t, &ch, &ca, &when, &fl), LEAD_OK);
    assert_int_equal(lead_journey_set_channel_name(set, ch, &name), LEAD_OK);
    assert_string_equal(name, channel);
    if (campaign) {
        assert_int_equal(lead_journey_set_campaign_name(set, ca, &name), LEAD_OK);
        assert_string_equal(name, campaign);
    } else {
        assert_int_equal(ca, LEAD_NO_CAMPAIGN);
    }
    assert_int_equal(when, time);
    assert_int_equal(fl, flags);
}

static void expect_ann(const lead_journey_set *set, size_t j)
{
    size_t n = 0;
    double conv, value, nulls;
    int64_t when;
    assert_int_equal(lead_journey_set_journey(set, j, &n, &conv, &value, &nulls, &when), LEAD_OK);
    assert_int_equal(n, 3);
    if (!(conv == 1 && value == 5000 && nulls == 0))
        fail_msg("conv %g value %g nulls %g", conv, value, nulls);
    assert_int_equal(when, LT_T0 + 3 * LT_DAY);
    expect_touch(set, j, 0, "paid_search", "spring", LT_T0, 0);
    expect_touch(set, j, 1, "email", NULL, LT_T0 + LT_DAY, LEAD_TOUCH_LEAD_CREATION);
    /* Becoming a customer also sets the opportunity milestone it skipped. */
    expect_touch(set, j, 2, "direct", NULL, LT_T0 + 3 * LT_DAY,
                 LEAD_TOUCH_OPPORTUNITY_CREATION | LEAD_TOUCH_CLOSED_WON);
}

static void converted_by_event(void **state)
{
    (void)state;
    fixture f;
    assert_int_equal(fixture_new(&f, NULL), LEAD_OK);
    fixture_events(&f);
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    lead_journey_query q;
    assert_int_equal(lead_journey_query_init(&q, sizeof q), LEAD_OK);
    q.event_type = LEAD_EVENT_PURCHASE;
    size_t untouched = 99, n = 0;
    assert_int_equal(lead_journey_set_add_from_engine(set, f.engine, &q, &untouched), LEAD_OK);
    assert_int_equal(untouched, 0);
    assert_int_equal(lead_journey_set_count(set, &n), LEAD_OK);
    assert_int_equal(n, 1);
    expect_ann(set, 0);

    /* A one-day lookback keeps only the purchase itself. */
    q.lookback_days = 1;
    assert_int_equal(lead_journey_set_add_from_engine(set, f.engine, &q, NULL), LEAD_OK);
    assert_int_equal(lead_journey_set_journey(set, 1, &n, NULL, NULL, NULL, NULL), LEAD_OK);
    assert_int_equal(n, 1);
    expect_touch(set, 1, 0, "direct", NULL, LT_T0 + 3 * LT_DAY,
                 LEAD_TOUCH_OPPORTUNITY_CREATION | LEAD_TOUCH_CLOSED_WON);
    lead_journey_set_free(set);
    lead_engine_free(f.engine);
}

static void converted_by_stage_with_nulls(void **state)
{
    (void)state;
    fixture f;
    assert_int_equal(fixture_new(&f, NULL), LEAD_OK);
    fixture_events(&f);
    f.fc.now_ms = LT_T0 + 10 * LT_DAY;
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    lead_journey_query q = LEAD_JOURNEY_QUERY_INIT;
    q.stage = LEAD_STAGE_CUSTOMER;
    q.include_nulls = 1;
    size_t untouched = 99, n = 0;
    assert_int_equal(lead_journey_set_add_from_engine(set, f.engine, &q, &untouched), LEAD_OK);
    assert_int_equal(untouched, 1); /* cid: a customer without any event */
    assert_int_equal(lead_journey_set_count(set, &n), LEAD_OK);
    assert_int_equal(n, 2);
    expect_ann(set, 0);
    double conv, value, nulls;
    int64_t when;
    assert_int_equal(lead_journey_set_journey(set, 1, &n, &conv, &value, &nulls, &when), LEAD_OK);
    assert_true(n == 1 && conv == 0 && value == 0 && nulls == 1 && when == LEAD_TIME_UNKNOWN);
    expect_touch(set, 1, 0, "organic_social", NULL, LT_T0 + LT_DAY, 0);

    /* Attribution on them: ann's purchase goes to email under lead creation. */
    lead_attribution_model *model = NULL;
    lead_attribution_result *res = NULL;
    assert_int_equal(lead_attribution_model_new(&model, LEAD_ATTRIBUTION_LEAD_CREATION, NULL),
                     LEAD_OK);
    assert_int_equal(lead_attribution_run(&res, model, set), LEAD_OK);
    assert_int_equal(lead_attribution_result_channel_by_name(res, "email", &conv, &value),
                     LEAD_OK);
    assert_true(conv == 1 && value == 5000);
    lead_attribution_result_free(res);
    lead_attribution_model_free(model);
    lead_journey_set_free(set);
    lead_engine_free(f.engine);
}

static void bad_queries(void **state)
{
    (void)state;
    fixture f;
    assert_int_equal(fixture_new(&f, NULL), LEAD_OK);
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    lead_journey_query q = LEAD_JOURNEY_QUERY_INIT;
    assert_int_equal(lead_journey_set_add_from_engine(set, f.engine, &q, NULL), LEAD_EINVAL);
    assert_string_equal(lead_journey_set_errmsg(set), "set exactly one of stage and event_type");
    q.stage = LEAD_STAGE_COUNT;
    assert_int_equal(lead_journey_set_add_from_engine(set, f.engine, &q, NULL), LEAD_EINVAL);
    q.stage = LEAD_STAGE_LEAD;
    q.event_type = LEAD_EVENT_PURCHASE;
    assert_int_equal(lead_journey_set_add_from_engine(set, f.engine, &q, NULL), LEAD_EINVAL);
    q.event_type = -1;
    q.version = 99;
    assert_int_equal(lead_journey_set_add_from_engine(set, f.engine, &q, NULL), LEAD_EVERSION);
    q.version = LEAD_JOURNEY_QUERY_VERSION;
    assert_int_equal(lead_journey_query_init(&q, 4), LEAD_EINVAL);
    assert_int_equal(lead_journey_query_init(NULL, sizeof q), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_add_from_engine(NULL, f.engine, &q, NULL), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_from_engine(set, f.engine, &q, NULL), LEAD_ESTATE);
    lead_journey_set_free(set);
    lead_engine_free(f.engine);
}

static int engine_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    fixture f;
    lead_journey_set *set = NULL;
    int rc = fixture_new(&f, NULL);
    if (rc == LEAD_OK) {
        fixture_events(&f);
        rc = lead_journey_set_new(&set, alloc);
    }
    lead_journey_query q = LEAD_JOURNEY_QUERY_INIT;
    q.event_type = LEAD_EVENT_PURCHASE;
    q.include_nulls = 1;
    if (rc == LEAD_OK)
        rc = lead_journey_set_add_from_engine(set, f.engine, &q, NULL);
    if (rc == LEAD_ENOMEM && set) {
        size_t n = 1;
        assert_int_equal(lead_journey_set_count(set, &n), LEAD_OK);
        assert_int_equal(n, 0);
    }
    lead_journey_set_free(set);
    lead_engine_free(f.engine);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(engine_scenario, NULL, LEAD_OK) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(converted_by_event),
        cmocka_unit_test(converted_by_stage_with_nulls),
        cmocka_unit_test(bad_queries),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
