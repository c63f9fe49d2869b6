/* Scores in the engine under failure: every allocation, store call and
 * clock read of a scoring write fails in turn; the write then leaves the
 * store and the kept scores as they were, and the next write agrees with a
 * rescore from the store. */
#include "lead_test.h"
#include "engine_score.h"
#include "failstore.h"

#include <stdio.h>
#include <string.h>

static const char demo_model[] = "liblead-score 1\n"
                                 "half-life 7d\n"
                                 "fit authority 60 job_title contains \"vp\"\n"
                                 "fit profile 40 employees range 200 *\n"
                                 "behaviour 10 email_open cap 2 per 1d\n"
                                 "behaviour 5 page_view\n"
                                 "stage mql fit 50 behaviour 20\n"
                                 "stage sql fit 90 behaviour 20\n";

/* What a write left: the contact's stage and event count, and its total at
 * t, read from the store, which must equal the kept figures. A read that
 * fails (the injected failure may fall on it) returns its status. */
typedef struct seen {
    int stage;
    uint64_t events;
    int64_t total;
} seen;

static int look(lead_engine *e, uint64_t id, int64_t t, seen *out)
{
    lead_contact *c = NULL;
    int rc = lead_contact_get(&c, e, id);
    if (rc != LEAD_OK)
        return rc;
    assert_int_equal(lead_contact_stage(c, &out->stage), LEAD_OK);
    assert_int_equal(lead_contact_event_count(c, &out->events), LEAD_OK);
    lead_contact_free(c);
    lead_score_result *r = NULL;
    rc = lead_engine_score(&r, e, "demo", id, t);
    if (rc != LEAD_OK)
        return rc;
    int64_t fig[3], kept[3];
    assert_int_equal(lead_score_result_scores(r, &fig[0], &fig[1], &fig[2]), LEAD_OK);
    lead_score_result_free(r);
    assert_int_equal(lead__es_kept(e, "demo", id, t, kept), LEAD_OK);
    assert_memory_equal(fig, kept, sizeof fig);
    out->total = fig[2];
    return LEAD_OK;
}

/* A contact (fit 60) with one open at T0 + 1 s, under the demo model. */
static int seed(lead_engine *e, const lead_allocator *alloc, uint64_t *out_id)
{
    lead_score_model *m = NULL;
    int rc = lead_score_model_new(&m, alloc);
    if (rc == LEAD_OK)
        rc = lead_score_model_parse(m, demo_model, strlen(demo_model));
    if (rc == LEAD_OK)
        rc = lead_contact_create(e, out_id, "a@x.io", NULL, 0);
    if (rc == LEAD_OK)
        rc = lead_contact_set_field(e, *out_id, LEAD_FIELD_JOB_TITLE, "VP Sales");
    if (rc == LEAD_OK)
        rc = lead_engine_score_attach(e, "demo", m);
    if (rc == LEAD_OK)
        rc = lt_track_at(e, *out_id, LEAD_EVENT_EMAIL_OPEN, LT_T0 + 1000);
    lead_score_model_free(m);
    return rc;
}

/* The writes under test, each checked after it ran: a failed one changed
 * nothing. */
static int scoring_writes(lead_engine *e, uint64_t a)
{
    seen v;
    /* The second open reaches MQL. */
    int rc = lt_track_at(e, a, LEAD_EVENT_EMAIL_OPEN, LT_T0 + 2000);
    int read = look(e, a, LT_T0 + 2000, &v);
    if (read != LEAD_OK)
        return rc != LEAD_OK ? rc : read;
    assert_int_equal(v.stage, rc == LEAD_OK ? LEAD_STAGE_MQL : LEAD_STAGE_SUBSCRIBER);
    assert_int_equal(v.events, rc == LEAD_OK ? 2 : 1);
    assert_int_equal(v.total, rc == LEAD_OK ? 8000 : 7000);
    if (rc != LEAD_OK)
        return rc;
    /* An event older than the latest: the state is rebuilt. */
    rc = lt_track_at(e, a, LEAD_EVENT_PAGE_VIEW, LT_T0 + 500);
    if ((read = look(e, a, LT_T0 + 2000, &v)) != LEAD_OK)
        return rc != LEAD_OK ? rc : read;
    assert_int_equal(v.events, rc == LEAD_OK ? 3 : 2);
    assert_int_equal(v.total, rc == LEAD_OK ? 8500 : 8000);
    if (rc != LEAD_OK)
        return rc;
    /* 1200 employees: fit 100 reaches SQL. */
    rc = lead_contact_set_attr(e, a, "employees", LEAD_ATTR_INT, 1200, 0, NULL);
    if ((read = look(e, a, LT_T0 + 2000, &v)) != LEAD_OK)
        return rc != LEAD_OK ? rc : read;
    assert_int_equal(v.stage, rc == LEAD_OK ? LEAD_STAGE_SQL : LEAD_STAGE_MQL);
    assert_int_equal(v.total, rc == LEAD_OK ? 12500 : 8500);
    if (rc != LEAD_OK)
        return rc;
    /* 500 days on, past 64 half-lives: the state's frame moves, rescaling
     * every rule. The earlier hits have decayed by 2^-71: 5 points remain. */
    const int64_t later = LT_T0 + 500 * LT_DAY;
    rc = lt_track_at(e, a, LEAD_EVENT_PAGE_VIEW, later);
    if ((read = look(e, a, later, &v)) != LEAD_OK)
        return rc != LEAD_OK ? rc : read;
    assert_int_equal(v.events, rc == LEAD_OK ? 4 : 3);
    assert_int_equal(v.total, rc == LEAD_OK ? 10500 : 10000);
    if (rc != LEAD_OK)
        return rc;
    /* A half-life later: the view has halved, the open counts in full. */
    rc = lt_track_at(e, a, LEAD_EVENT_EMAIL_OPEN, later + 7 * LT_DAY);
    if ((read = look(e, a, later + 7 * LT_DAY, &v)) != LEAD_OK)
        return rc != LEAD_OK ? rc : read;
    assert_int_equal(v.events, rc == LEAD_OK ? 5 : 4);
    assert_int_equal(v.total, rc == LEAD_OK ? 11250 : 10250);
    return rc;
}

static int alloc_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0 + 5000);
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.allocator = alloc;
    opts.clock = &fc.clock;
    lead_engine *e = NULL;
    uint64_t a = 0;
    int rc = lead_engine_new(&e, &opts);
    if (rc == LEAD_OK)
        rc = seed(e, alloc, &a);
    if (rc == LEAD_OK)
        rc = scoring_writes(e, a);
    lead_engine_free(e);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(alloc_scenario, NULL, LEAD_OK) > 20);
}

static void store_failures(void **state)
{
    (void)state;
    for (int hide = 0; hide < 2; hide++) {
        long failures = 0;
        for (long n = 0;; n++) {
            lead_store *memory = NULL;
            assert_int_equal(lead_store_memory_new(&memory, NULL), LEAD_OK);
            lt_failstore fs;
            lt_failstore_init(&fs, memory, hide);
            lt_fakeclock fc;
            lt_fakeclock_init(&fc, LT_T0 + 5000);
            lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
            opts.clock = &fc.clock;
            opts.store = &fs.store;
            lead_engine *e = NULL;
            assert_int_equal(lead_engine_new(&e, &opts), LEAD_OK);
            uint64_t a = 0;
            assert_int_equal(seed(e, NULL, &a), LEAD_OK);
            lt_failstore_arm(&fs, n);
            int rc = LEAD_OK;
            long injected = 0;
            if (hide) {
                /* Without transactions a failed track may leave its event
                 * stored; the next track sees that and rebuilds from the store. */
                rc = lt_track_at(e, a, LEAD_EVENT_EMAIL_OPEN, LT_T0 + 2000);
                injected = fs.injected;
                lt_failstore_arm(&fs, -1);
                assert_int_equal(lt_track_at(e, a, LEAD_EVENT_PAGE_VIEW, LT_T0 + 3000), LEAD_OK);
                seen v;
                assert_int_equal(look(e, a, LT_T0 + 3000, &v), LEAD_OK);
            } else {
                rc = scoring_writes(e, a);
                injected = fs.injected;
            }
            lead_engine_free(e);
            lead_store_memory_free(memory);
            if (!injected) {
                assert_int_equal(rc, LEAD_OK);
                break;
            }
            assert_int_not_equal(rc, LEAD_OK);
            failures++;
        }
        printf("%s transactions: %ld store calls failed in turn\n", hide ? "without" : "with", failures);
        assert_true(failures > 3);
    }
}

static void clock_failures(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0 + 5000);
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &fc.clock;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &opts), LEAD_OK);
    uint64_t a = 0;
    assert_int_equal(seed(e, NULL, &a), LEAD_OK);
    fc.fail_at = fc.calls;
    assert_int_equal(lt_track_at(e, a, LEAD_EVENT_EMAIL_OPEN, LT_T0 + 2000), LEAD_ECLOCK);
    fc.fail_at = fc.calls;
    lead_score_result *r = NULL;
    assert_int_equal(lead_engine_score(&r, e, "demo", a, LEAD_TIME_UNKNOWN), LEAD_ECLOCK);
    assert_null(r);
    fc.fail_at = fc.calls;
    assert_int_equal(lead_contact_set_attr(e, a, "employees", LEAD_ATTR_INT, 1200, 0, NULL),
                     LEAD_ECLOCK);
    fc.fail_at = -1;
    /* A clock reporting LEAD_TIME_UNKNOWN is refused the same way. */
    fc.now_ms = LEAD_TIME_UNKNOWN;
    assert_int_equal(lead_engine_score(&r, e, "demo", a, LEAD_TIME_UNKNOWN), LEAD_ECLOCK);
    assert_string_equal(lead_engine_errmsg(e), "clock callback returned LEAD_TIME_UNKNOWN");
    assert_null(r);
    fc.now_ms = LT_T0 + 5000;
    seen v;
    assert_int_equal(look(e, a, LT_T0 + 2000, &v), LEAD_OK);
    assert_int_equal(v.stage, LEAD_STAGE_SUBSCRIBER);
    assert_int_equal(v.events, 1);
    assert_int_equal(v.total, 7000);
    /* The clock's now: T0 + 5 s, 4 s after the open. */
    assert_int_equal(lead_engine_score(&r, e, "demo", a, LEAD_TIME_UNKNOWN), LEAD_OK);
    int64_t beh = 0;
    assert_int_equal(lead_score_result_scores(r, NULL, &beh, NULL), LEAD_OK);
    assert_int_equal(beh, 1000);
    lead_score_result_free(r);
    assert_int_equal(scoring_writes(e, a), LEAD_OK);
    lead_engine_free(e);
}

/* A store whose scan hands over a contact's records with two swapped (out
 * of time order) and then fails, as a store noticing a damaged tail would. */
typedef struct swapping_store {
    lead_store store;
    const lead_store *inner;
    unsigned char records[40][64];
    size_t len[40];
    int64_t time[40];
    int n;
    int swapping; /* 0: scans pass through to inner */
} swapping_store;

static swapping_store swapping;

static int keep_record(void *user, int64_t time_ms, const void *bytes, size_t len)
{
    swapping_store *s = user;
    assert_true(s->n < 40 && len <= sizeof s->records[0]);
    memcpy(s->records[s->n], bytes, len);
    s->len[s->n] = len;
    s->time[s->n++] = time_ms;
    return 0;
}

static int swapped_scan(void *user, uint64_t contact_id, int64_t from_ms,
                        lead_store_event_fn fn, void *fn_user)
{
    if (!swapping.swapping)
        return swapping.inner->event_scan(user, contact_id, from_ms, fn, fn_user);
    for (int i = 0; i < swapping.n; i++) {
        int j = i == 10 ? 11 : i == 11 ? 10 : i;
        if (fn(fn_user, swapping.time[j], swapping.records[j], swapping.len[j]))
            return LEAD_OK;
    }
    return LEAD_ESTORE;
}

/* Events out of order come before the store's failure in the scan: a
 * rescore reports them (LEAD_ECORRUPT), as the rebuild of one contact does,
 * even when the rescore had queued them to feed together, and keeps the
 * previous scores. */
static void a_rescore_reports_what_comes_first_in_the_scan(void **state)
{
    (void)state;
    lead_store *mem = NULL;
    assert_int_equal(lead_store_memory_new(&mem, NULL), LEAD_OK);
    memset(&swapping, 0, sizeof swapping);
    swapping.store = *mem;
    swapping.store.event_scan = swapped_scan;
    swapping.inner = mem;
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.store = &swapping.store;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &o), LEAD_OK);
    lt_attach_model(e, "m", demo_model);
    uint64_t a = 0;
    assert_int_equal(lead_contact_create(e, &a, "a@x.io", NULL, 0), LEAD_OK);
    for (int i = 0; i < 30; i++)
        assert_int_equal(lt_track_at(e, a, LEAD_EVENT_PAGE_VIEW, LT_T0 + i * 1000), LEAD_OK);
    int64_t before[3];
    assert_int_equal(lead__es_kept(e, "m", a, LT_T0 + LT_DAY, before), LEAD_OK);
    assert_int_equal(mem->event_scan(mem->user, a, LEAD_TIME_UNKNOWN, keep_record, &swapping),
                     LEAD_OK);
    assert_int_equal(swapping.n, 30);
    swapping.swapping = 1;
    assert_int_equal(lead_engine_rescore(e, "m", NULL, NULL), LEAD_ECORRUPT);
    int64_t after[3];
    assert_int_equal(lead__es_kept(e, "m", a, LT_T0 + LT_DAY, after), LEAD_OK);
    assert_int_equal(after[2], before[2]);
    /* 30 views of 5 points, a day old under a 7-day half-life, no fit:
     * 100 * sum 5 * 2^(-(86400 - i) / 604800), i = 0..29 seconds. */
    assert_int_equal(before[2], 13586);
    lead_engine_free(e);
    lead_store_memory_free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocation_failures),
        cmocka_unit_test(store_failures),
        cmocka_unit_test(clock_failures),
        cmocka_unit_test(a_rescore_reports_what_comes_first_in_the_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
