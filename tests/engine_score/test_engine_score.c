/* Scores in the engine: attached models kept current by track and field
 * changes, threshold crossings, explanations and rescores that agree with
 * the kept figures, several models, detach. */
#include "lead_test.h"
#include "engine_score.h"

#include <stdio.h>
#include <string.h>

/* fit: 60 + 40 points (max 100); behaviour: 10 per email_open (at most 3,
 * 7-day half-life), 20 per paid-search demo_request (no decay), capped at
 * 50; MQL at fit 50 and behaviour 20. */
static const char demo_model[] = "liblead-score 1\n"
                                 "half-life 7d\n"
                                 "fit authority 60 job_title contains \"vp\"\n"
                                 "fit profile 40 employees range 200 *\n"
                                 "behaviour 10 email_open cap 3\n"
                                 "behaviour 20 demo_request channel \"paid_search\" half-life none\n"
                                 "behaviour-cap 50\n"
                                 "stage mql fit 50 behaviour 20\n";

/* Only page views, 1 point each, no decay. */
static const char views_model[] = "liblead-score 1\n"
                                  "behaviour 1 page_view\n";

typedef struct observed {
    int calls;
    uint64_t contact;
    int from, to, reason;
    int64_t time;
} observed;

static void observe(void *user, uint64_t contact_id, int from_stage, int to_stage, int reason,
                    int64_t time_ms)
{
    observed *o = user;
    if (reason != LEAD_REASON_THRESHOLD)
        return;
    o->calls++;
    o->contact = contact_id;
    o->from = from_stage;
    o->to = to_stage;
    o->reason = reason;
    o->time = time_ms;
}

static lead_engine *new_engine(lt_fakeclock *fc, observed *o)
{
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &fc->clock;
    opts.stage_observer = o ? observe : NULL;
    opts.stage_observer_user = o;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &opts), LEAD_OK);
    return e;
}

/* An engine on a fake clock at `now` whose stage observer records threshold
 * moves in w->o. */
typedef struct world {
    lt_fakeclock fc;
    observed o;
} world;

static lead_engine *open_world(world *w, int64_t now)
{
    memset(w, 0, sizeof *w);
    lt_fakeclock_init(&w->fc, now);
    return new_engine(&w->fc, &w->o);
}

static lead_score_model *parse(const char *text)
{
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    assert_int_equal(lead_score_model_parse(m, text, strlen(text)), LEAD_OK);
    return m;
}

static int track_rc(lead_engine *e, uint64_t contact, int type, int channel, int64_t t,
                    uint64_t *out_id)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = type;
    in.channel = channel;
    in.time_ms = t;
    uint64_t id = 0;
    int rc = lead_track(e, &id, &in);
    if (out_id)
        *out_id = id;
    return rc;
}

static uint64_t track(lead_engine *e, uint64_t contact, int type, int channel, int64_t t)
{
    uint64_t id = 0;
    assert_int_equal(track_rc(e, contact, type, channel, t, &id), LEAD_OK);
    return id;
}

static uint64_t new_contact(lead_engine *e, const char *email)
{
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(e, &id, email, NULL, 0), LEAD_OK);
    return id;
}

/* The score read back from the store; asserts that it equals the kept
 * figures and that its explanation sums to its total. fig: fit, behaviour,
 * total. */
static void score_at(lead_engine *e, const char *model, uint64_t id, int64_t t, int64_t fig[3])
{
    lead_score_result *r = NULL;
    assert_int_equal(lead_engine_score(&r, e, model, id, t), LEAD_OK);
    assert_int_equal(lead_score_result_scores(r, &fig[0], &fig[1], &fig[2]), LEAD_OK);
    int64_t kept[3];
    assert_int_equal(lead__es_kept(e, model, id, t, kept), LEAD_OK);
    assert_int_equal(kept[0], fig[0]);
    assert_int_equal(kept[1], fig[1]);
    assert_int_equal(kept[2], fig[2]);
    size_t n = 0;
    assert_int_equal(lead_score_result_item_count(r, &n), LEAD_OK);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        lead_score_item it = LEAD_SCORE_ITEM_INIT;
        assert_int_equal(lead_score_result_item(r, i, &it), LEAD_OK);
        sum += it.value;
    }
    assert_int_equal(sum, fig[2]);
    lead_score_result_free(r);
}

static int stage_of(lead_engine *e, uint64_t id, size_t *out_history)
{
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
    int stage = -1;
    assert_int_equal(lead_contact_stage(c, &stage), LEAD_OK);
    assert_int_equal(lead_contact_stage_history_count(c, out_history), LEAD_OK);
    lead_contact_free(c);
    return stage;
}

static void fit_from_fields_and_attributes(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    uint64_t a = new_contact(e, "a@x.io");
    lt_attach_model(e, "demo", demo_model);
    int64_t fig[3];
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[0], 0);
    assert_int_equal(fig[2], 0);
    /* "VP Sales" holds the word "vp": 60 of 100 points. */
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_JOB_TITLE, "VP Sales"), LEAD_OK);
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[0], 6000);
    /* A typed attribute is tested in its decimal text: 1200 >= 200. */
    assert_int_equal(lead_contact_set_attr(e, a, "employees", LEAD_ATTR_INT, 1200, 0, NULL),
                     LEAD_OK);
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[0], 10000);
    assert_int_equal(lead_contact_set_attr(e, a, "employees", LEAD_ATTR_INT, 150, 0, NULL),
                     LEAD_OK);
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[0], 6000);
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_JOB_TITLE, NULL), LEAD_OK);
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[0], 0);
    lead_engine_free(e);
}

static void behaviour_decays_and_caps(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "demo", demo_model);
    uint64_t a = new_contact(e, "a@x.io");
    track(e, a, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0);
    int64_t fig[3];
    /* 10 points 14 days old under a 7-day half-life: 2.5 points. */
    score_at(e, "demo", a, LT_T0 + 14 * LT_DAY, fig);
    assert_int_equal(fig[1], 250);
    assert_int_equal(fig[2], 250);
    score_at(e, "demo", a, LT_T0 + 7 * LT_DAY, fig);
    assert_int_equal(fig[1], 500);
    /* Four more opens: the rule counts three in all. */
    for (int i = 0; i < 4; i++)
        track(e, a, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0);
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[1], 3000);
    /* A demo request on another channel hits nothing; two on paid search
     * make 30 + 40 = 70 points, capped at 50. */
    track(e, a, LEAD_EVENT_DEMO_REQUEST, LEAD_CHANNEL_EMAIL, LT_T0);
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[1], 3000);
    track(e, a, LEAD_EVENT_DEMO_REQUEST, LEAD_CHANNEL_PAID_SEARCH, LT_T0);
    track(e, a, LEAD_EVENT_DEMO_REQUEST, LEAD_CHANNEL_PAID_SEARCH, LT_T0);
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[1], 5000);
    /* 14 days on: 7.5 + 40 = 47.5 points, under the cap. */
    score_at(e, "demo", a, LT_T0 + 14 * LT_DAY, fig);
    assert_int_equal(fig[1], 4750);
    /* The explanation: three opens and two requests, then the cap's cut. */
    lead_score_result *r = NULL;
    assert_int_equal(lead_engine_score(&r, e, "demo", a, LT_T0), LEAD_OK);
    size_t n = 0;
    assert_int_equal(lead_score_result_item_count(r, &n), LEAD_OK);
    assert_int_equal(n, 6);
    lead_score_item it = LEAD_SCORE_ITEM_INIT;
    assert_int_equal(lead_score_result_item(r, 0, &it), LEAD_OK);
    assert_int_equal(it.kind, LEAD_SCORE_ITEM_EVENT);
    assert_string_equal(it.subject, "email_open");
    assert_int_equal(it.value, 1000);
    assert_int_equal(lead_score_result_item(r, 3, &it), LEAD_OK);
    assert_string_equal(it.subject, "demo_request");
    assert_int_equal(it.value, 2000);
    assert_int_equal(it.event_index, 6);
    assert_int_equal(lead_score_result_item(r, 5, &it), LEAD_OK);
    assert_int_equal(it.kind, LEAD_SCORE_ITEM_BEHAVIOUR_CAP);
    assert_int_equal(it.value, -2000);
    lead_score_result_free(r);
    /* Before the first event nothing counts yet. */
    assert_int_equal(lead_engine_score(&r, e, "demo", a, LT_T0 - 1), LEAD_OK);
    int64_t total = -1;
    assert_int_equal(lead_score_result_scores(r, NULL, NULL, &total), LEAD_OK);
    assert_int_equal(total, 0);
    lead_score_result_free(r);
    lead_engine_free(e);
}

static void crossing_to_mql_is_recorded_once(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "demo", demo_model);
    uint64_t a = new_contact(e, "a@x.io");
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_JOB_TITLE, "VP Sales"), LEAD_OK);
    track(e, a, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + 1000);
    size_t history = 0;
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_SUBSCRIBER);
    assert_int_equal(w.o.calls, 0);
    /* 10 + 10 points: behaviour 20 with fit 60 reaches MQL. */
    uint64_t second = track(e, a, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + 2000);
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_MQL);
    assert_int_equal(history, 2);
    assert_int_equal(w.o.calls, 1);
    assert_int_equal(w.o.contact, a);
    assert_int_equal(w.o.from, LEAD_STAGE_SUBSCRIBER);
    assert_int_equal(w.o.to, LEAD_STAGE_MQL);
    assert_int_equal(w.o.time, LT_T0 + 2000);
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, a), LEAD_OK);
    int reason = -1;
    uint64_t event_id = 0;
    assert_int_equal(lead_contact_stage_history_at(c, 1, NULL, NULL, NULL, &reason, &event_id),
                     LEAD_OK);
    assert_int_equal(reason, LEAD_REASON_THRESHOLD);
    assert_int_equal(event_id, second);
    lead_contact_free(c);
    /* More points, then a month of decay and another event: no second
     * record, no demotion. */
    track(e, a, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + 3000);
    track(e, a, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0 + 30 * LT_DAY);
    int64_t fig[3];
    score_at(e, "demo", a, LT_T0 + 30 * LT_DAY, fig);
    assert_true(fig[1] < 2000);
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_MQL);
    assert_int_equal(history, 2);
    assert_int_equal(w.o.calls, 1);
    lead_engine_free(e);
}

static void field_change_crosses(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0 + 5000);
    uint64_t a = new_contact(e, "a@x.io");
    track(e, a, LEAD_EVENT_DEMO_REQUEST, LEAD_CHANNEL_PAID_SEARCH, LT_T0);
    /* Attached after the event: the attach scores what is stored. */
    lt_attach_model(e, "demo", demo_model);
    size_t history = 0;
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_LEAD);
    assert_int_equal(w.o.calls, 0);
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_JOB_TITLE, "Head of IT"), LEAD_OK);
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_LEAD);
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_JOB_TITLE, "SVP, vp EMEA"), LEAD_OK);
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_MQL);
    assert_int_equal(history, 3);
    assert_int_equal(w.o.calls, 1);
    assert_int_equal(w.o.from, LEAD_STAGE_LEAD);
    assert_int_equal(w.o.time, w.fc.now_ms - w.fc.step_ms);
    /* Falling back (fit 0) never demotes. */
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_JOB_TITLE, NULL), LEAD_OK);
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_MQL);
    assert_int_equal(w.o.calls, 1);
    lead_engine_free(e);
}

/* Asserts span i of a's stage history. */
static void span_is(lead_engine *e, uint64_t a, size_t i, int stage, int64_t entered,
                    int64_t exited, int reason, uint64_t event_id)
{
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, a), LEAD_OK);
    int st = -1, re = -1;
    int64_t en = 0, ex = 0;
    uint64_t ev = 99;
    assert_int_equal(lead_contact_stage_history_at(c, i, &st, &en, &ex, &re, &ev), LEAD_OK);
    lead_contact_free(c);
    assert_int_equal(st, stage);
    assert_int_equal(en, entered);
    assert_int_equal(ex, exited);
    assert_int_equal(re, reason);
    assert_int_equal(ev, event_id);
}

/* A field change crosses at the clock's now, even when the contact has an
 * event dated later (the behaviour is read at that event's time). */
static void field_change_crosses_at_now_before_a_later_event(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "fit", "liblead-score 1\n"
                              "fit profile 10 job_title exists\n"
                              "behaviour 1 page_view\n"
                              "stage mql fit 50\n");
    uint64_t a = new_contact(e, "a@x.io");
    /* Ten days ahead of the clock; a page view moves no stage. */
    track(e, a, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0 + 10 * LT_DAY);
    w.fc.now_ms = LT_T0 + 1000;
    /* fit 0 -> 100 >= 50: MQL at now, T0 + 1000, with no event. */
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_JOB_TITLE, "CTO"), LEAD_OK);
    size_t history = 0;
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_MQL);
    assert_int_equal(history, 2);
    span_is(e, a, 0, LEAD_STAGE_SUBSCRIBER, LT_T0, LT_T0 + 1000, LEAD_REASON_CREATED, 0);
    span_is(e, a, 1, LEAD_STAGE_MQL, LT_T0 + 1000, LEAD_TIME_UNKNOWN, LEAD_REASON_THRESHOLD, 0);
    assert_int_equal(w.o.calls, 1);
    assert_int_equal(w.o.time, LT_T0 + 1000);
    lead_engine_free(e);
}

/* A backdated event that makes a threshold hold (read with the later events
 * counted) enters the stage at its own time, moved up to the start of the
 * current stage when that is later; a milestone keeps the event's time. */
static void backdated_event_crosses_at_its_time(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "m", "liblead-score 1\n"
                            "behaviour 10 email_open\n"
                            "behaviour 30 demo_request\n"
                            "stage mql behaviour 35\n");
    uint64_t a = new_contact(e, "a@x.io");
    /* email_open at day 10: behaviour 10, still a subscriber. A demo_request
     * backdated to day 1 makes the contact a lead at day 1 (first identifying
     * event) and behaviour 10 + 30 = 40 >= 35: MQL at day 1, by that event. */
    track(e, a, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + 10 * LT_DAY);
    uint64_t demo = track(e, a, LEAD_EVENT_DEMO_REQUEST, LEAD_CHANNEL_DIRECT, LT_T0 + LT_DAY);
    size_t history = 0;
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_MQL);
    assert_int_equal(history, 3);
    span_is(e, a, 0, LEAD_STAGE_SUBSCRIBER, LT_T0, LT_T0 + LT_DAY, LEAD_REASON_CREATED, 0);
    span_is(e, a, 1, LEAD_STAGE_LEAD, LT_T0 + LT_DAY, LT_T0 + LT_DAY, LEAD_REASON_EVENT, demo);
    span_is(e, a, 2, LEAD_STAGE_MQL, LT_T0 + LT_DAY, LEAD_TIME_UNKNOWN, LEAD_REASON_THRESHOLD,
            demo);
    assert_int_equal(w.o.calls, 1);
    assert_int_equal(w.o.time, LT_T0 + LT_DAY);
    lead_engine_free(e);

    /* form_submit at day 10 makes a lead at day 10 (behaviour 30); an
     * email_open backdated to day 1 brings 30 + 10 = 40 >= 35: opportunity.
     * The history cannot go back before day 10, where the lead stage began:
     * the span starts at day 10; the opportunity milestone is the email_open
     * at its own time, day 1. */
    e = open_world(&w, LT_T0);
    lt_attach_model(e, "m", "liblead-score 1\n"
                            "behaviour 10 email_open\n"
                            "behaviour 30 form_submit\n"
                            "stage opportunity behaviour 35\n");
    a = new_contact(e, "a@x.io");
    uint64_t form = track(e, a, LEAD_EVENT_FORM_SUBMIT, LEAD_CHANNEL_DIRECT, LT_T0 + 10 * LT_DAY);
    uint64_t open = track(e, a, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + LT_DAY);
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_OPPORTUNITY);
    assert_int_equal(history, 3);
    span_is(e, a, 0, LEAD_STAGE_SUBSCRIBER, LT_T0, LT_T0 + 10 * LT_DAY, LEAD_REASON_CREATED, 0);
    span_is(e, a, 1, LEAD_STAGE_LEAD, LT_T0 + 10 * LT_DAY, LT_T0 + 10 * LT_DAY, LEAD_REASON_EVENT,
            form);
    span_is(e, a, 2, LEAD_STAGE_OPPORTUNITY, LT_T0 + 10 * LT_DAY, LEAD_TIME_UNKNOWN,
            LEAD_REASON_THRESHOLD, open);
    assert_int_equal(w.o.calls, 1);
    assert_int_equal(w.o.time, LT_T0 + 10 * LT_DAY);
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, a), LEAD_OK);
    uint64_t ev = 0;
    int64_t at = 0;
    assert_int_equal(lead_contact_milestone(c, LEAD_MILESTONE_OPPORTUNITY, &ev, &at), LEAD_OK);
    assert_int_equal(ev, open);
    assert_int_equal(at, LT_T0 + LT_DAY);
    assert_int_equal(lead_contact_milestone(c, LEAD_MILESTONE_LEAD_CREATION, &ev, &at), LEAD_OK);
    assert_int_equal(ev, form);
    assert_int_equal(at, LT_T0 + 10 * LT_DAY);
    lead_contact_free(c);
    lead_engine_free(e);
}

static int count_progress(void *user, uint64_t done, uint64_t total)
{
    uint64_t *calls = user;
    calls[0]++;
    calls[1] = done;
    calls[2] = total;
    return calls[3] && done == calls[3];
}

static void rescore_equals_incremental(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "demo", demo_model);
    lt_attach_model(e, "views", views_model);
    uint64_t ids[4];
    static const int types[] = {LEAD_EVENT_EMAIL_OPEN, LEAD_EVENT_PAGE_VIEW,
                                LEAD_EVENT_DEMO_REQUEST, LEAD_EVENT_EMAIL_OPEN};
    for (int c = 0; c < 4; c++) {
        char email[32];
        snprintf(email, sizeof email, "c%d@x.io", c);
        ids[c] = new_contact(e, email);
        if (c % 2)
            assert_int_equal(lead_contact_set_field(e, ids[c], LEAD_FIELD_JOB_TITLE, "VP"),
                             LEAD_OK);
        for (int k = 0; k < 3 + c; k++)
            track(e, ids[c], types[(c + k) % 4], LEAD_CHANNEL_PAID_SEARCH,
                  LT_T0 + (int64_t)k * 3 * LT_DAY);
    }
    /* An event older than the latest one: the kept state is rebuilt. */
    track(e, ids[3], LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0 + LT_DAY);
    int64_t t = LT_T0 + 20 * LT_DAY, before[4][2][3], after[3];
    for (int c = 0; c < 4; c++) {
        score_at(e, "demo", ids[c], t, before[c][0]);
        score_at(e, "views", ids[c], t, before[c][1]);
    }
    /* Contact 3 (a VP: fit 60) at 20 d: opens at 0, 3, 12 and 15 d of which
     * the first three count, 10 * (2^-20/7 + 2^-17/7 + 2^-8/7) = 7.77, and a
     * paid-search demo request at 9 d, 20; page views at 1 and 6 d. */
    assert_int_equal(before[3][0][0], 6000);
    assert_int_equal(before[3][0][1], 2777);
    assert_int_equal(before[3][1][1], 200);
    uint64_t calls[4] = {0, 0, 0, 2};
    assert_int_equal(lead_engine_rescore(e, NULL, count_progress, calls), LEAD_ECANCELED);
    assert_string_equal(lead_engine_errmsg(e), "rescore canceled after 2 contacts");
    assert_int_equal(calls[0], 2);
    assert_int_equal(calls[2], 4);
    calls[0] = calls[3] = 0;
    assert_int_equal(lead_engine_rescore(e, NULL, count_progress, calls), LEAD_OK);
    assert_int_equal(calls[0], 4);
    assert_int_equal(calls[1], 4);
    assert_int_equal(lead_engine_rescore(e, "views", NULL, NULL), LEAD_OK);
    assert_int_equal(lead_engine_rescore(e, "nope", NULL, NULL), LEAD_ENOTFOUND);
    for (int c = 0; c < 4; c++) {
        for (int m = 0; m < 2; m++) {
            score_at(e, m ? "views" : "demo", ids[c], t, after);
            assert_memory_equal(after, before[c][m], sizeof after);
        }
    }
    lead_engine_free(e);
}

static void two_models_and_detach(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    size_t n = 9;
    assert_int_equal(lead_engine_score_count(e, &n), LEAD_OK);
    assert_int_equal(n, 0);
    lt_attach_model(e, "demo", demo_model);
    lt_attach_model(e, "views", views_model);
    lead_score_model *m = parse(views_model);
    assert_int_equal(lead_engine_score_attach(e, "views", m), LEAD_EEXISTS);
    assert_int_equal(lead_engine_score_attach(e, "", m), LEAD_EINVAL);
    assert_int_equal(lead_engine_score_attach(e, "\xff", m), LEAD_EUTF8);
    assert_int_equal(lead_engine_score_attach(NULL, "x", m), LEAD_EINVAL);
    lead_score_model_free(m);
    assert_int_equal(lead_engine_score_count(e, &n), LEAD_OK);
    assert_int_equal(n, 2);
    const char *name = NULL;
    assert_int_equal(lead_engine_score_name(e, 1, &name), LEAD_OK);
    assert_string_equal(name, "views");
    assert_int_equal(lead_engine_score_name(e, 2, &name), LEAD_ENOTFOUND);
    uint64_t a = new_contact(e, "a@x.io");
    track(e, a, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0);
    track(e, a, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0);
    track(e, a, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0);
    int64_t fig[3];
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[2], 1000);
    score_at(e, "views", a, LT_T0, fig);
    assert_int_equal(fig[2], 200);
    assert_int_equal(lead_engine_score_detach(e, "demo"), LEAD_OK);
    assert_int_equal(lead_engine_score_detach(e, "demo"), LEAD_ENOTFOUND);
    assert_int_equal(lead_engine_score_count(e, &n), LEAD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lead_engine_score_name(e, 0, &name), LEAD_OK);
    assert_string_equal(name, "views");
    lead_score_result *r = NULL;
    assert_int_equal(lead_engine_score(&r, e, "demo", a, LT_T0), LEAD_ENOTFOUND);
    assert_null(r);
    track(e, a, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0);
    score_at(e, "views", a, LT_T0, fig);
    assert_int_equal(fig[2], 300);
    /* Attached again, it starts from the store. */
    lt_attach_model(e, "demo", demo_model);
    score_at(e, "demo", a, LT_T0, fig);
    assert_int_equal(fig[2], 1000);
    assert_int_equal(lead_engine_score(&r, e, "demo", 999, LT_T0), LEAD_ENOTFOUND);
    assert_int_equal(lead_engine_score(&r, NULL, "demo", a, LT_T0), LEAD_EINVAL);
    assert_int_equal(lead_engine_score(&r, e, NULL, a, LT_T0), LEAD_EINVAL);
    assert_int_equal(lead_engine_score(NULL, e, "demo", a, LT_T0), LEAD_EINVAL);
    assert_int_equal(lead_engine_score_count(NULL, &n), LEAD_EINVAL);
    assert_int_equal(lead_engine_score_name(e, 0, NULL), LEAD_EINVAL);
    assert_int_equal(lead_engine_score_detach(e, NULL), LEAD_EINVAL);
    assert_int_equal(lead_engine_rescore(NULL, NULL, NULL, NULL), LEAD_EINVAL);
    lead_engine_free(e);
}

static void merged_away_id_tracks_on_the_survivor(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "views", views_model);
    uint64_t a = new_contact(e, "a@x.io"), b = new_contact(e, "b@x.io");
    track(e, a, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0);
    track(e, b, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0 + 1);
    assert_int_equal(lead_contact_merge(e, a, b, NULL), LEAD_OK);
    uint64_t ev = 0;
    assert_int_equal(track_rc(e, b, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0 + 2, &ev),
                     LEAD_OK);
    assert_int_equal(ev, 3);
    lead_event_iter *it = NULL;
    assert_int_equal(lead_event_iter_new(&it, e, a, LEAD_TIME_UNKNOWN), LEAD_OK);
    const lead_event *x = NULL;
    int n = 0;
    while (lead_event_iter_next(it, &x) == LEAD_OK) {
        uint64_t owner = 0;
        assert_int_equal(lead_event_ids(x, NULL, &owner, NULL, NULL), LEAD_OK);
        assert_int_equal(owner, a);
        n++;
    }
    lead_event_iter_free(it);
    assert_int_equal(n, 3);
    int64_t fig[3];
    score_at(e, "views", a, LT_T0 + 2, fig);
    assert_int_equal(fig[2], 300);
    lead_score_result *r = NULL;
    assert_int_equal(lead_engine_score(&r, e, "views", b, LT_T0 + 2), LEAD_OK);
    int64_t total = 0;
    assert_int_equal(lead_score_result_scores(r, NULL, NULL, &total), LEAD_OK);
    assert_int_equal(total, 300);
    lead_score_result_free(r);
    lead_engine_free(e);
}

static void events_of_custom_types_score_nothing(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "views", views_model);
    int custom = 0;
    assert_int_equal(lead_event_type_register(e, &custom, "quiz_done"), LEAD_OK);
    uint64_t a = new_contact(e, "a@x.io");
    track(e, a, custom, LEAD_CHANNEL_DIRECT, LT_T0);
    track(e, a, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0 + 1);
    track(e, a, custom, LEAD_CHANNEL_DIRECT, LT_T0 + 2);
    int64_t fig[3];
    score_at(e, "views", a, LT_T0 + 2, fig);
    assert_int_equal(fig[2], 100);
    lead_engine_free(e);
}

static void fit_only_model(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "fit", "liblead-score 1\n"
                     "fit profile 30 company exists\n"
                     "fit profile 10 city equals \"Oslo\"\n"
                     "stage sql fit 75\n");
    uint64_t a = new_contact(e, "a@x.io");
    track(e, a, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0);
    int64_t fig[3];
    score_at(e, "fit", a, LT_T0, fig);
    assert_int_equal(fig[2], 0);
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_COMPANY, "Acme"), LEAD_OK);
    score_at(e, "fit", a, LT_T0, fig);
    assert_int_equal(fig[0], 7500);
    size_t history = 0;
    assert_int_equal(stage_of(e, a, &history), LEAD_STAGE_SQL);
    assert_int_equal(w.o.calls, 1);
    assert_int_equal(w.o.to, LEAD_STAGE_SQL);
    lead_engine_free(e);
}

static int cancel_at_first(void *user, uint64_t done, uint64_t total)
{
    (void)user;
    (void)total;
    return done == 1;
}

static void merge_erase_and_canceled_rescore(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "views", views_model);
    uint64_t a = new_contact(e, "a@x.io"), b = new_contact(e, "b@x.io"),
             c = new_contact(e, "c@x.io");
    track(e, a, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0);
    track(e, b, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0);
    track(e, c, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0);
    assert_int_equal(lead_contact_merge(e, b, a, NULL), LEAD_OK);
    /* Both merged contacts' kept scores are dropped until rebuilt. */
    int64_t kept[3];
    assert_int_equal(lead__es_kept(e, "views", a, LT_T0, kept), LEAD_ENOTFOUND);
    assert_int_equal(lead__es_kept(e, "views", b, LT_T0, kept), LEAD_ENOTFOUND);
    /* A canceled rescore keeps the kept state as it was. */
    assert_int_equal(lead_engine_rescore(e, "views", cancel_at_first, NULL), LEAD_ECANCELED);
    assert_string_equal(lead_engine_errmsg(e), "rescore canceled after 1 contact");
    assert_int_equal(lead__es_kept(e, "views", b, LT_T0, kept), LEAD_ENOTFOUND);
    assert_int_equal(lead_engine_rescore(e, "views", NULL, NULL), LEAD_OK);
    int64_t fig[3];
    score_at(e, "views", b, LT_T0, fig);
    assert_int_equal(fig[2], 200);
    /* The next event on the survivor rebuilds it too. */
    assert_int_equal(lead_contact_merge(e, c, b, NULL), LEAD_OK);
    track(e, c, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_DIRECT, LT_T0 + 1);
    score_at(e, "views", c, LT_T0 + 1, fig);
    assert_int_equal(fig[2], 400);
    assert_int_equal(lead_contact_erase(e, c), LEAD_OK);
    assert_int_equal(lead__es_kept(e, "views", c, LT_T0 + 1, kept), LEAD_ENOTFOUND);
    lead_engine_free(e);
}

/* Campaign and property rules, 1 point each way they match page views:
 * campaign "spring" 10, source "google" 5, medium "cpc" 3, content
 * "/pricing" 7; no decay. */
static const char tagged_model[] = "liblead-score 1\n"
                                   "behaviour 10 page_view campaign \"spring\"\n"
                                   "behaviour 5 page_view property \"source\" \"google\"\n"
                                   "behaviour 3 page_view property \"medium\" \"cpc\"\n"
                                   "behaviour 7 page_view property \"content\" \"/pricing\"\n";

static void track_tagged(lead_engine *e, uint64_t contact, int64_t t, const char *campaign,
                         const char *source, const char *medium, const char *content)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = LEAD_EVENT_PAGE_VIEW;
    in.time_ms = t;
    in.value_minor = 250;
    in.currency = "EUR";
    in.campaign = campaign;
    in.source = source;
    in.medium = medium;
    in.content = content;
    char key[32];
    snprintf(key, sizeof key, "key-%lld", (long long)t);
    in.idempotency_key = key;
    uint64_t id = 0;
    assert_int_equal(lead_track(e, &id, &in), LEAD_OK);
}

/* Attach and rescore read the campaign and properties back from the stored
 * events (each decoded into the same buffer) as tracking saw them. */
static void rescore_reads_campaigns_and_properties(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "kept", tagged_model);
    uint64_t c = new_contact(e, "c@x.io");
    /* 25, then 5, then 0, then 13 (the longest strings last). */
    track_tagged(e, c, LT_T0, "spring", "google", "cpc", "/pricing");
    track_tagged(e, c, LT_T0 + 1, "summer", "google", NULL, NULL);
    track_tagged(e, c, LT_T0 + 2, NULL, NULL, NULL, NULL);
    track_tagged(e, c, LT_T0 + 3, "spring", "a-much-longer-source-than-before", "cpc",
                 "/blog/a-much-longer-content-path");
    lt_attach_model(e, "built", tagged_model);
    int64_t fig[3];
    score_at(e, "kept", c, LT_T0 + 3, fig);
    assert_int_equal(fig[1], 4300);
    score_at(e, "built", c, LT_T0 + 3, fig);
    assert_int_equal(fig[1], 4300);
    assert_int_equal(lead_engine_rescore(e, NULL, NULL, NULL), LEAD_OK);
    score_at(e, "kept", c, LT_T0 + 3, fig);
    assert_int_equal(fig[1], 4300);
    score_at(e, "built", c, LT_T0 + 3, fig);
    assert_int_equal(fig[1], 4300);
    lead_engine_free(e);
}

/* Three models for a mixed history: two with the same 1-day half-life
 * (with a 6-hour rule: frames that move every 16 days), channel, campaign and property
 * conditions, caps with and without windows, rules without decay; one
 * without decay at all. */
static const char mixed_a[] = "liblead-score 1\n"
                              "half-life 1d\n"
                              "behaviour 3 page_view\n"
                              "behaviour 5 page_view channel \"email\" cap 2 per 1d\n"
                              "behaviour 4 email_open campaign \"spring\"\n"
                              "behaviour 2 email_open half-life none\n"
                              "behaviour 7 ad_click channel \"paid_search\" cap 3\n"
                              "behaviour 9 form_submit property \"source\" \"google\"\n"
                              "behaviour -2 form_submit half-life 6h\n";
static const char mixed_b[] = "liblead-score 1\n"
                              "half-life 1d\n"
                              "behaviour 1 page_view cap 5 per 3d\n"
                              "behaviour 2 ad_click\n"
                              "behaviour 6 email_open channel \"email\"\n"
                              "behaviour 8 ad_click channel \"direct\" campaign \"spring\"\n";
static const char mixed_c[] = "liblead-score 1\n"
                              "behaviour 1 page_view\n"
                              "behaviour 3 ad_click campaign \"spring\"\n"
                              "behaviour 4 form_submit channel \"organic_search\"\n";

/* Event i of a contact's mixed history: built-in and registered types and
 * channels; a campaign, a source, a value or nothing besides, and nothing
 * besides from event 90 to 389 (runs longer than a rebuild feeds at once). */
static void track_mixed(lead_engine *e, uint64_t contact, unsigned i, int64_t t,
                        const int custom[2])
{
    static const int types[] = {LEAD_EVENT_PAGE_VIEW, LEAD_EVENT_EMAIL_OPEN,
                                LEAD_EVENT_AD_CLICK, LEAD_EVENT_FORM_SUBMIT,
                                LEAD_EVENT_PAGE_VIEW};
    static const int channels[] = {LEAD_CHANNEL_EMAIL, LEAD_CHANNEL_PAID_SEARCH,
                                   LEAD_CHANNEL_DIRECT, LEAD_CHANNEL_ORGANIC_SEARCH};
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = i % 11 == 10 ? custom[0] : types[(i * 7 + contact) % 5];
    in.channel = i % 13 == 12 ? custom[1] : channels[(i * 5 + contact) % 4];
    in.time_ms = t;
    int plain = i >= 90 && i < 390;
    if (!plain && i % 5 == 1)
        in.campaign = "spring";
    if (!plain && i % 7 == 3)
        in.source = "google";
    if (!plain && i % 6 == 2) {
        in.value_minor = 100;
        in.currency = "EUR";
    }
    uint64_t id = 0;
    assert_int_equal(lead_track(e, &id, &in), LEAD_OK);
}

/* A rescore feeds the events without optional fields to every model at
 * once and the others one model at a time; mixed in one history, with
 * frames moving, caps filling and windows sliding, it gives the kept
 * figures bit for bit, and both agree with the history read back. */
static void rescore_mixed_histories(void **state)
{
    (void)state;
    static const char *const names[] = {"a", "b", "c"};
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    lt_attach_model(e, "a", mixed_a);
    lt_attach_model(e, "b", mixed_b);
    lt_attach_model(e, "c", mixed_c);
    int custom[2] = {0, 0}; /* a registered type and channel */
    assert_int_equal(lead_event_type_register(e, &custom[0], "custom_thing"), LEAD_OK);
    assert_int_equal(lead_channel_register(e, &custom[1], "custom_place"), LEAD_OK);
    uint64_t ids[4];
    int64_t t = LT_T0;
    for (int c = 0; c < 4; c++) {
        char email[32];
        snprintf(email, sizeof email, "m%d@x.io", c);
        ids[c] = new_contact(e, email);
    }
    for (unsigned i = 0; i < 450; i++) {
        t += (int64_t)(1 + (i * 37) % 29) * (LT_DAY / 24);
        track_mixed(e, ids[i % 3], i, t, custom);
    }
    /* A history of bare events only: its state's first event and its
     * frame's moves come in the middle of runs. */
    static const int plain_types[] = {LEAD_EVENT_PAGE_VIEW, LEAD_EVENT_AD_CLICK,
                                      LEAD_EVENT_EMAIL_OPEN};
    static const int plain_channels[] = {LEAD_CHANNEL_EMAIL, LEAD_CHANNEL_PAID_SEARCH,
                                         LEAD_CHANNEL_DIRECT, LEAD_CHANNEL_ORGANIC_SEARCH};
    int64_t t3 = LT_T0;
    for (unsigned i = 0; i < 150; i++) {
        t3 += (int64_t)(1 + (i * 17) % 40) * (LT_DAY / 24);
        track(e, ids[3], plain_types[i % 3], plain_channels[i % 4], t3);
    }
    t = t3 > t ? t3 : t;
    int64_t at[2] = {t, t + LT_DAY}, before[2][4][3][3];
    for (int c = 0; c < 4; c++)
        for (int m = 0; m < 3; m++)
            for (int k = 0; k < 2; k++)
                score_at(e, names[m], ids[c], at[k], before[k][c][m]);
    assert_int_equal(lead_engine_rescore(e, NULL, NULL, NULL), LEAD_OK);
    int nonzero = 0;
    for (int c = 0; c < 4; c++)
        for (int m = 0; m < 3; m++)
            for (int k = 0; k < 2; k++) {
                int64_t after[3];
                score_at(e, names[m], ids[c], at[k], after);
                assert_memory_equal(after, before[k][c][m], sizeof after);
                nonzero += after[1] != 0;
            }
    assert_true(nonzero > 12);
    lead_engine_free(e);
}

/* Fit rules on fields, on attributes, and on attributes named like a field
 * that is not set (read in the field's place): a rescore, which knows each
 * rule's field, keeps what an evaluation from the store computes. */
static const char fields_model[] = "liblead-score 1\n"
                                   "fit need 40 industry one-of \"software\"\n"
                                   "fit authority 30 job_title contains \"vp\"\n"
                                   "fit profile 20 employees range 200 *\n"
                                   "fit profile 10 company exists\n";

static void rescore_reads_fields_and_attributes(void **state)
{
    (void)state;
    world w;
    lead_engine *e = open_world(&w, LT_T0);
    uint64_t a = new_contact(e, "a@x.io"), b = new_contact(e, "b@x.io");
    uint64_t c = new_contact(e, "c@x.io"), d = new_contact(e, "d@x.io");
    /* a: fields only; b: attributes named like unset fields; c: a set field
     * wins over the attribute of its name; d: nothing. */
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_INDUSTRY, "software"), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, a, LEAD_FIELD_JOB_TITLE, "VP Sales"), LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, b, "industry", LEAD_ATTR_STRING, 0, 0, "software"),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, b, "company", LEAD_ATTR_INT, 7, 0, NULL), LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, b, "employees", LEAD_ATTR_INT, 900, 0, NULL),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, c, LEAD_FIELD_INDUSTRY, "retail"), LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, c, "industry", LEAD_ATTR_STRING, 0, 0, "software"),
                     LEAD_OK);
    lt_attach_model(e, "fields", fields_model);
    static const int64_t want[4] = {7000, 7000, 0, 0};
    const uint64_t ids[4] = {a, b, c, d};
    int64_t fig[3];
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < 4; i++) {
            score_at(e, "fields", ids[i], LT_T0, fig);
            assert_int_equal(fig[0], want[i]);
        }
        assert_int_equal(lead_engine_rescore(e, NULL, NULL, NULL), LEAD_OK);
    }
    lead_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fit_from_fields_and_attributes),
        cmocka_unit_test(behaviour_decays_and_caps),
        cmocka_unit_test(crossing_to_mql_is_recorded_once),
        cmocka_unit_test(field_change_crosses),
        cmocka_unit_test(field_change_crosses_at_now_before_a_later_event),
        cmocka_unit_test(backdated_event_crosses_at_its_time),
        cmocka_unit_test(rescore_equals_incremental),
        cmocka_unit_test(two_models_and_detach),
        cmocka_unit_test(merged_away_id_tracks_on_the_survivor),
        cmocka_unit_test(events_of_custom_types_score_nothing),
        cmocka_unit_test(fit_only_model),
        cmocka_unit_test(merge_erase_and_canceled_rescore),
        cmocka_unit_test(rescore_reads_campaigns_and_properties),
        cmocka_unit_test(rescore_reads_fields_and_attributes),
        cmocka_unit_test(rescore_mixed_histories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
