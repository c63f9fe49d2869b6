/* Scoring through the public API alone: a subject built attribute by
 * attribute and event by event gives the worked example's figures. */
#include "lead_test.h"
#include "score_fixture.h"

static int build_ada(lead_score_subject *s)
{
    int rc = LEAD_OK;
    for (size_t i = 0; rc == LEAD_OK && ada_kv[i]; i += 2)
        rc = lead_score_subject_set(s, ada_kv[i], ada_kv[i + 1]);
    for (size_t i = 0; rc == LEAD_OK && i < ADA_EVENTS; i++) {
        const lead__score_event *e = &ada_events[i];
        rc = lead_score_subject_add_event(s, e->type, e->channel, e->campaign, e->time);
        for (size_t p = 0; rc == LEAD_OK && p < e->nprops; p++)
            rc = lead_score_subject_add_property(s, e->props[p].name, e->props[p].value);
    }
    return rc;
}

static void subject_scores_like_the_worked_example(void **state)
{
    (void)state;
    int rc;
    lead_score_model *m = example_parse(NULL, &rc);
    lead_score_subject *s = NULL;
    assert_int_equal(lead_score_subject_new(&s, NULL), LEAD_OK);
    assert_int_equal(build_ada(s), LEAD_OK);
    lead_score_result *r = NULL;
    assert_int_equal(lead_score_evaluate(&r, m, s, LT_T0 + 14 * LT_DAY), LEAD_OK);
    int64_t fit = 0, beh = 0, total = 0;
    lead_score_result_scores(r, &fit, &beh, &total);
    assert_int_equal(fit, 8571);
    assert_int_equal(beh, 5607);
    assert_int_equal(total, 14178);
    size_t n = 0;
    lead_score_result_item_count(r, &n);
    assert_int_equal(n, 12);
    lead_score_item it = LEAD_SCORE_ITEM_INIT;
    assert_int_equal(lead_score_result_item(r, 9, &it), LEAD_OK);
    assert_string_equal(it.subject, "page_view");
    assert_int_equal(it.event_index, 5);
    assert_int_equal(it.value, 99);
    lead_score_result_free(r);

    /* Day 7 at noon: events 0-5 only; the email_open hits are 7.5 days,
     * 7.5 days less an hour, 6.5 and 0.5 days old. */
    assert_int_equal(lead_score_evaluate(&r, m, s, LT_T0 + 7 * LT_DAY + 12 * HOUR), LEAD_OK);
    lead_score_result_scores(r, NULL, &beh, NULL);
    /* 1000 * (2^-(7.5/7) + 2^-(7.5/7 - 1/168) + 2^-(6.5/7) + 2^-(0.5/7))
     * = 475.85 + 477.81 + 525.38 + 951.70 = 2430.74 -> 2431, plus
     * 500 * 2^-(0.5/3) = 445.45 -> 445. */
    assert_int_equal(beh, 2876);
    lead_score_result_free(r);

    lead_score_subject_free(s);
    lead_score_model_free(m);
}

static void same_figures(lead_score_result *a, lead_score_result *b)
{
    int64_t x[3], y[3];
    char ga, gb;
    int32_t sa = -1, sb = -1;
    lead_score_result_scores(a, &x[0], &x[1], &x[2]);
    lead_score_result_scores(b, &y[0], &y[1], &y[2]);
    assert_memory_equal(x, y, sizeof x);
    lead_score_result_grade(a, &ga);
    lead_score_result_grade(b, &gb);
    assert_int_equal(ga, gb);
    assert_int_equal(lead_score_result_stage(a, &sa, NULL), lead_score_result_stage(b, &sb, NULL));
    assert_int_equal(sa, sb);
}

/* A tracker updated event by event reads exactly what a from-scratch
 * evaluation gives, at every time between events; a new tracker under a
 * changed model (a rescore) likewise. */
static void tracker_equals_from_scratch(void **state)
{
    (void)state;
    int rc;
    lead_score_model *m = example_parse(NULL, &rc);
    lead_score_subject *s = NULL;
    lead_score_tracker *t = NULL;
    assert_int_equal(lead_score_subject_new(&s, NULL), LEAD_OK);
    assert_int_equal(lead_score_tracker_new(&t, m), LEAD_OK);
    for (size_t i = 0; ada_kv[i]; i += 2)
        assert_int_equal(lead_score_subject_set(s, ada_kv[i], ada_kv[i + 1]), LEAD_OK);
    long reads = 0;
    for (size_t i = 0; i < ADA_EVENTS; i++) {
        const lead__score_event *e = &ada_events[i];
        assert_int_equal(lead_score_subject_add_event(s, e->type, e->channel, e->campaign, e->time),
                         LEAD_OK);
        for (size_t p = 0; p < e->nprops; p++) {
            const lead__score_prop *prop = &e->props[p];
            assert_int_equal(lead_score_subject_add_property(s, prop->name, prop->value), LEAD_OK);
        }
        assert_int_equal(lead_score_tracker_update(t, s), LEAD_OK);
        int64_t end = i + 1 < ADA_EVENTS ? ada_events[i + 1].time : e->time + 30 * LT_DAY;
        for (int64_t at = e->time; at < end; at += 5 * HOUR + 1234) {
            lead_score_result *inc = NULL, *full = NULL;
            assert_int_equal(lead_score_tracker_score(&inc, t, s, at), LEAD_OK);
            assert_int_equal(lead_score_evaluate(&full, m, s, at), LEAD_OK);
            same_figures(inc, full);
            lead_score_result_free(inc);
            lead_score_result_free(full);
            reads++;
        }
    }
    assert_true(reads > 150);
    lead_score_result *r = (lead_score_result *)1;
    assert_int_equal(lead_score_tracker_score(&r, t, s, LT_T0), LEAD_ESTATE);
    assert_null(r);
    assert_int_equal(lead_score_tracker_score(&r, t, s, LT_T0 + 14 * LT_DAY), LEAD_OK);
    int64_t total = 0;
    size_t n = 9;
    lead_score_result_scores(r, NULL, NULL, &total);
    lead_score_result_item_count(r, &n);
    assert_int_equal(total, 14178);
    assert_int_equal(n, 0);
    lead_score_result_free(r);

    /* The model changes (faster decay, a smaller cap): the old tracker keeps
     * its copy; a new one rescored from the history agrees with scratch. */
    static const char faster[] = "liblead-score 1\nhalf-life 3d\n"
                                 "behaviour 10 email_open cap 2 per 7d\n"
                                 "behaviour 5 page_view property \"path\" \"/pricing\"\n";
    assert_int_equal(lead_score_model_parse(m, faster, sizeof faster - 1), LEAD_OK);
    lead_score_tracker *again = NULL;
    assert_int_equal(lead_score_tracker_new(&again, m), LEAD_OK);
    assert_int_equal(lead_score_tracker_update(again, s), LEAD_OK);
    lead_score_result *inc = NULL, *full = NULL;
    assert_int_equal(lead_score_tracker_score(&inc, again, s, LT_T0 + 14 * LT_DAY), LEAD_OK);
    assert_int_equal(lead_score_evaluate(&full, m, s, LT_T0 + 14 * LT_DAY), LEAD_OK);
    same_figures(inc, full);
    /* email_open: day 0, 0+1h and 7 count (day 1 and day 2 are over the cap
     * of 2 per 7 days): 1000 * (2^-14/3 + 2^-(14/3 - 1/72) + 2^-7/3) = 277.55
     * -> 278; page_view 500 * 2^-7/3 = 99.21 -> 99. */
    lead_score_result_scores(inc, NULL, NULL, &total);
    assert_int_equal(total, 278 + 99);
    lead_score_result_free(inc);
    lead_score_result_free(full);
    assert_int_equal(lead_score_tracker_score(&r, t, s, LT_T0 + 14 * LT_DAY), LEAD_OK);
    lead_score_result_scores(r, NULL, NULL, &total);
    assert_int_equal(total, 14178); /* the first tracker still scores its model */
    lead_score_result_free(r);

    /* A tracker fed a longer history than the subject has is refused. */
    lead_score_subject *other = NULL;
    assert_int_equal(lead_score_subject_new(&other, NULL), LEAD_OK);
    assert_int_equal(lead_score_tracker_update(t, other), LEAD_ESTATE);
    assert_int_equal(lead_score_tracker_update(NULL, s), LEAD_EINVAL);
    assert_int_equal(lead_score_tracker_score(NULL, t, s, 0), LEAD_EINVAL);
    lead_score_tracker *none = (lead_score_tracker *)1;
    assert_int_equal(lead_score_tracker_new(&none, NULL), LEAD_EINVAL);
    assert_null(none);
    lead_score_subject_free(other);
    lead_score_tracker_free(again);
    lead_score_tracker_free(t);
    lead_score_tracker_free(NULL);
    lead_score_subject_free(s);
    lead_score_model_free(m);
}

static void subject_checks_arguments(void **state)
{
    (void)state;
    lead_score_subject *s = (lead_score_subject *)1;
    assert_int_equal(lead_score_subject_new(NULL, NULL), LEAD_EINVAL);
    lead_allocator bad = LEAD_ALLOCATOR_INIT;
    bad.version = 9;
    assert_int_equal(lead_score_subject_new(&s, &bad), LEAD_EVERSION);
    assert_null(s);
    assert_int_equal(lead_score_subject_new(&s, NULL), LEAD_OK);
    assert_int_equal(lead_score_subject_set(s, "a", NULL), LEAD_EINVAL);
    assert_int_equal(lead_score_subject_add_property(s, "a", "b"), LEAD_EINVAL); /* no event */
    assert_int_equal(lead_score_subject_add_event(s, "", NULL, NULL, 5), LEAD_EINVAL);
    assert_int_equal(lead_score_subject_add_event(s, "x", NULL, NULL, 5), LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "x", NULL, NULL, 4), LEAD_EINVAL);
    assert_int_equal(lead_score_subject_add_event(s, "x", "c", "k", 5), LEAD_OK);
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    lead_score_result *r = (lead_score_result *)1;
    assert_int_equal(lead_score_evaluate(NULL, m, s, 0), LEAD_EINVAL);
    assert_int_equal(lead_score_evaluate(&r, NULL, s, 0), LEAD_EINVAL);
    assert_null(r);
    assert_int_equal(lead_score_evaluate(&r, m, NULL, 0), LEAD_EINVAL);
    /* An empty model scores everyone 0 with an empty explanation. */
    assert_int_equal(lead_score_evaluate(&r, m, s, 10), LEAD_OK);
    int64_t total = -1;
    size_t n = 9;
    lead_score_result_scores(r, NULL, NULL, &total);
    lead_score_result_item_count(r, &n);
    assert_int_equal(total, 0);
    assert_int_equal(n, 0);
    lead_score_result_free(r);
    lead_score_model_free(m);
    lead_score_subject_free(s);
    lead_score_subject_free(NULL);
}

static int tracker_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    int rc;
    lead_score_model *m = example_parse(alloc, &rc);
    lead_score_subject *s = NULL;
    lead_score_tracker *t = NULL;
    lead_score_result *r = NULL;
    if (rc == LEAD_OK)
        rc = lead_score_subject_new(&s, alloc);
    if (rc == LEAD_OK)
        rc = build_ada(s);
    if (rc == LEAD_OK)
        rc = lead_score_tracker_new(&t, m);
    if (rc == LEAD_OK)
        rc = lead_score_tracker_update(t, s);
    if (rc == LEAD_OK) {
        rc = lead_score_tracker_score(&r, t, s, LT_T0 + 14 * LT_DAY);
        int64_t total = 0;
        if (rc == LEAD_OK && (lead_score_result_scores(r, NULL, NULL, &total), total != 14178))
            rc = LEAD_ESTATE;
    }
    lead_score_result_free(r);
    lead_score_tracker_free(t);
    lead_score_subject_free(s);
    lead_score_model_free(m);
    return rc;
}

static void tracker_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(tracker_scenario, NULL, LEAD_OK) > 60);
}

static int subject_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    int rc;
    lead_score_model *m = example_parse(alloc, &rc);
    lead_score_subject *s = NULL;
    lead_score_result *r = NULL;
    if (rc == LEAD_OK)
        rc = lead_score_subject_new(&s, alloc);
    if (rc == LEAD_OK)
        rc = build_ada(s);
    if (rc == LEAD_OK) {
        rc = lead_score_evaluate(&r, m, s, LT_T0 + 14 * LT_DAY);
        int64_t total = 0;
        if (rc == LEAD_OK && (lead_score_result_scores(r, NULL, NULL, &total), total != 14178))
            rc = LEAD_ESTATE;
    }
    lead_score_result_free(r);
    lead_score_subject_free(s);
    lead_score_model_free(m);
    return rc;
}

static void subject_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(subject_scenario, NULL, LEAD_OK) > 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subject_scores_like_the_worked_example),
        cmocka_unit_test(tracker_equals_from_scratch),
        cmocka_unit_test(subject_checks_arguments),
        cmocka_unit_test(subject_alloc_sweep),
        cmocka_unit_test(tracker_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
