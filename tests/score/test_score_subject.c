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
        cmocka_unit_test(subject_checks_arguments),
        cmocka_unit_test(subject_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
