/* Segment evaluation: every condition kind with hand-checked answers, groups,
 * window edges, explanations, facts, allocation failures. */
#include "lead_test.h"
#include "segment_fixture.h"

#include <stdio.h>

/* The answer of segment `text` (header added) for s and f at t. */
static int match_of(const char *body, const lead_segment_facts *f, const lead_score_subject *s,
                    int64_t t)
{
    char text[2048];
    snprintf(text, sizeof text, "liblead-segment 1\n%s", body);
    int rc;
    lead_segment *seg = parse_text(NULL, text, &rc);
    assert_int_equal(rc, LEAD_OK);
    int match = -1;
    assert_int_equal(lead_segment_evaluate(seg, f, s, t, &match), LEAD_OK);
    /* The explained path gives the same answer. */
    int explained = -1;
    assert_int_equal(lead_segment_evaluate_explain(seg, f, s, t, &explained), LEAD_OK);
    assert_int_equal(explained, match);
    lead_segment_free(seg);
    return match;
}

typedef struct fixture {
    lead_score_subject *s;
    lead_segment_facts *f;
} fixture;

static int setup_ana(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    assert_int_equal(lead_score_subject_new(&fx->s, NULL), LEAD_OK);
    assert_int_equal(lead_segment_facts_new(&fx->f, NULL), LEAD_OK);
    assert_int_equal(build_ana(fx->s, fx->f, EXAMPLE_T - 14 * DAY), LEAD_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    lead_score_subject_free(fx->s);
    lead_segment_facts_free(fx->f);
    free(fx);
    return 0;
}

static void worked_example_matches_and_explains(void **state)
{
    fixture *fx = *state;
    int rc;
    lead_segment *seg = parse_text(NULL, example_segment, &rc);
    assert_int_equal(rc, LEAD_OK);
    int match = -1;
    assert_int_equal(lead_segment_explain_item(seg, 0, NULL, NULL, NULL, NULL), LEAD_ESTATE);
    assert_int_equal(lead_segment_evaluate(seg, fx->f, fx->s, EXAMPLE_T, &match), LEAD_OK);
    assert_int_equal(match, 1);
    assert_int_equal(lead_segment_evaluate_explain(seg, fx->f, fx->s, EXAMPLE_T, &match),
                     LEAD_OK);
    assert_int_equal(match, 1);
    /* line, depth, held, count for each of the 14 conditions (docs/segments.md). */
    static const struct { uint32_t line, depth; int held; uint64_t count; } want[14] = {
        {3, 0, 1, 0},  {4, 0, 1, 0},  {5, 0, 1, 0},  {6, 0, 1, 0},  {7, 0, 1, 0},
        {8, 0, 1, 0},  {9, 0, 1, 0},  {10, 0, 1, 2}, {11, 0, 1, 0}, {12, 0, 1, 0},
        {13, 1, 1, 0}, {14, 1, 1, 0}, {15, 2, 1, 0}, {16, 2, 0, 0}};
    for (size_t i = 0; i < 14; i++) {
        uint32_t line = 0, depth = 0;
        int held = -1;
        uint64_t count = 99;
        assert_int_equal(lead_segment_explain_item(seg, i, &line, &depth, &held, &count), LEAD_OK);
        assert_int_equal(line, want[i].line);
        assert_int_equal(depth, want[i].depth);
        assert_int_equal(held, want[i].held);
        assert_int_equal(count, want[i].count);
    }
    assert_int_equal(lead_segment_explain_item(seg, 14, NULL, NULL, NULL, NULL), LEAD_ENOTFOUND);

    /* One millisecond later in her history the open is inside the 14 days:
     * `not did open` fails, and so does the segment. */
    lead_score_subject *s2 = NULL;
    lead_segment_facts *f2 = NULL;
    assert_int_equal(lead_score_subject_new(&s2, NULL), LEAD_OK);
    assert_int_equal(lead_segment_facts_new(&f2, NULL), LEAD_OK);
    assert_int_equal(build_ana(s2, f2, EXAMPLE_T - 14 * DAY + 1), LEAD_OK);
    assert_int_equal(lead_segment_evaluate_explain(seg, f2, s2, EXAMPLE_T, &match), LEAD_OK);
    assert_int_equal(match, 0);
    int held = -1;
    uint64_t count = 0;
    assert_int_equal(lead_segment_explain_item(seg, 8, NULL, NULL, &held, &count), LEAD_OK);
    assert_int_equal(held, 0);
    assert_int_equal(count, 1);

    /* An hour later the download at t + 1h has happened: three in the window. */
    assert_int_equal(lead_segment_evaluate_explain(seg, fx->f, fx->s, EXAMPLE_T + HOUR, &match),
                     LEAD_OK);
    assert_int_equal(match, 1);
    assert_int_equal(lead_segment_explain_item(seg, 7, NULL, NULL, &held, &count), LEAD_OK);
    assert_int_equal(count, 3);
    /* A day later the download of t - 29d has left the window: t - 1h and t + 1h remain. */
    assert_int_equal(lead_segment_evaluate_explain(seg, fx->f, fx->s, EXAMPLE_T + DAY, &match),
                     LEAD_OK);
    assert_int_equal(match, 1);
    assert_int_equal(lead_segment_explain_item(seg, 7, NULL, NULL, &held, &count), LEAD_OK);
    assert_int_equal(count, 2);
    /* Re-parsing forgets the explanation. */
    assert_int_equal(lead_segment_parse(seg, example_segment, strlen(example_segment)), LEAD_OK);
    assert_int_equal(lead_segment_explain_item(seg, 0, NULL, NULL, NULL, NULL), LEAD_ESTATE);
    lead_score_subject_free(s2);
    lead_segment_facts_free(f2);
    lead_segment_free(seg);
}

static void field_tests_are_the_fit_rule_tests(void **state)
{
    fixture *fx = *state;
    static const struct { const char *body; int want; } cases[] = {
        {"field job_title contains \"cto\"\n", 1},
        {"field job_title contains \"CTO, emea\"\n", 1},
        {"field job_title contains \"ct\"\n", 0},
        {"field job_title equals \"cto, emea\"\n", 0},
        {"field job_title equals \"CTO, EMEA\"\n", 1},
        {"field country one-of \"FR\" \"DE\"\n", 1},
        {"field country one-of \"FR\" \"GB\"\n", 0},
        {"field employees range 250 250\n", 1},
        {"field employees range 251 *\n", 0},
        {"field employees range * 249\n", 0},
        {"field country range 1 *\n", 0},
        {"field partner_tier exists\n", 0},
        {"field partner_tier missing\n", 1},
        {"field industry exists\n", 1},
        {"not field industry exists\n", 0},
        {"field nowhere equals \"x\"\n", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (match_of(cases[i].body, fx->f, fx->s, EXAMPLE_T) != cases[i].want)
            fail_msg("case %zu: %s", i, cases[i].body);
    }
}

static void stages_compare_along_the_forward_path(void **state)
{
    (void)state;
    lead_segment_facts *f = NULL;
    assert_int_equal(lead_segment_facts_new(&f, NULL), LEAD_OK);
    /* Without a stage no stage condition holds. */
    assert_int_equal(match_of("stage is lead\n", f, NULL, 0), 0);
    assert_int_equal(match_of("stage at-least subscriber\n", f, NULL, 0), 0);
    assert_int_equal(match_of("stage at-most evangelist\n", f, NULL, 0), 0);
    assert_int_equal(match_of("not stage is lead\n", f, NULL, 0), 1);
    assert_int_equal(lead_segment_facts_set_stage(f, LEAD_STAGE_SQL), LEAD_OK);
    assert_int_equal(match_of("stage is sql\n", f, NULL, 0), 1);
    assert_int_equal(match_of("stage is mql\n", f, NULL, 0), 0);
    assert_int_equal(match_of("stage at-least sql\n", f, NULL, 0), 1);
    assert_int_equal(match_of("stage at-least opportunity\n", f, NULL, 0), 0);
    assert_int_equal(match_of("stage at-most sql\n", f, NULL, 0), 1);
    assert_int_equal(match_of("stage at-most mql\n", f, NULL, 0), 0);
    /* Stages outside the path are only ever `is`. */
    assert_int_equal(lead_segment_facts_set_stage(f, LEAD_STAGE_DISQUALIFIED), LEAD_OK);
    assert_int_equal(match_of("stage is disqualified\n", f, NULL, 0), 1);
    assert_int_equal(match_of("stage at-least subscriber\n", f, NULL, 0), 0);
    assert_int_equal(match_of("stage at-most evangelist\n", f, NULL, 0), 0);
    assert_int_equal(lead_segment_facts_set_stage(f, -1), LEAD_OK);
    assert_int_equal(match_of("stage is disqualified\n", f, NULL, 0), 0);
    lead_segment_facts_free(f);
}

static void scores_and_grades_per_model(void **state)
{
    (void)state;
    lead_segment_facts *f = NULL;
    assert_int_equal(lead_segment_facts_new(&f, NULL), LEAD_OK);
    /* No scores for the model: score and grade conditions fail. */
    assert_int_equal(match_of("score \"m\" total * 100\n", f, NULL, 0), 0);
    assert_int_equal(match_of("grade \"m\" A B C D F\n", f, NULL, 0), 0);
    assert_int_equal(lead_segment_facts_set_scores(f, "m", 4000, 5999, 9999, 'C'), LEAD_OK);
    assert_int_equal(lead_segment_facts_set_scores(f, "other", 10000, 100000, 110000, 'A'),
                     LEAD_OK);
    static const struct { const char *body; int want; } cases[] = {
        {"score \"m\" fit 40 *\n", 1},       {"score \"m\" fit 41 *\n", 0},
        {"score \"m\" fit * 40\n", 1},       {"score \"m\" behaviour 60 *\n", 0},
        {"score \"m\" behaviour 59 60\n", 1}, {"score \"m\" behaviour * 59\n", 0},
        {"score \"m\" total 99 100\n", 1},   {"score \"m\" total 100 *\n", 0},
        {"score \"other\" total 1100 *\n", 1}, {"score \"M\" total * 10000\n", 0},
        {"grade \"m\" C\n", 1},               {"grade \"m\" A B D F\n", 0},
        {"grade \"other\" A\n", 1},           {"not grade \"other\" A\n", 0},
        {"score \"nobody\" total * 0\n", 0}, {"not score \"nobody\" total * 0\n", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (match_of(cases[i].body, f, NULL, 0) != cases[i].want)
            fail_msg("case %zu: %s", i, cases[i].body);
    }
    /* Setting a model again replaces its scores. */
    assert_int_equal(lead_segment_facts_set_scores(f, "m", -500, 0, -500, 'F'), LEAD_OK);
    assert_int_equal(match_of("score \"m\" fit -5 -5\ngrade \"m\" F\n", f, NULL, 0), 1);
    lead_segment_facts_free(f);
}

static void scores_come_from_a_scoring_result(void **state)
{
    (void)state;
    static const char model_text[] = "liblead-score 1\n"
                                     "fit profile 10 country equals \"DE\"\n"
                                     "fit profile 10 employees range 500 *\n"
                                     "behaviour 7 download\n";
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    assert_int_equal(lead_score_model_parse(m, model_text, strlen(model_text)), LEAD_OK);
    lead_score_subject *s = NULL;
    assert_int_equal(lead_score_subject_new(&s, NULL), LEAD_OK);
    assert_int_equal(lead_score_subject_set(s, "country", "DE"), LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "download", NULL, NULL, 1000), LEAD_OK);
    lead_score_result *r = NULL;
    assert_int_equal(lead_score_evaluate(&r, m, s, 2000), LEAD_OK);
    lead_segment_facts *f = NULL;
    assert_int_equal(lead_segment_facts_new(&f, NULL), LEAD_OK);
    assert_int_equal(lead_segment_facts_set_result(f, "Lead fit", r), LEAD_OK);
    /* fit 50 points (10 of 20), behaviour 7, total 57, grade C (40 <= 50 < 60). */
    assert_int_equal(match_of("score \"Lead fit\" fit 50 50\n"
                              "score \"Lead fit\" behaviour 7 7\n"
                              "score \"Lead fit\" total 57 57\n"
                              "grade \"Lead fit\" C\n",
                              f, s, 2000),
                     1);
    assert_int_equal(lead_segment_facts_set_result(f, "x", NULL), LEAD_EINVAL);
    lead_segment_facts_free(f);
    lead_score_result_free(r);
    lead_score_subject_free(s);
    lead_score_model_free(m);
}

static void consent_per_purpose(void **state)
{
    (void)state;
    lead_segment_facts *f = NULL;
    assert_int_equal(lead_segment_facts_new(&f, NULL), LEAD_OK);
    assert_int_equal(match_of("consent email not-set\n", f, NULL, 0), 1);
    assert_int_equal(match_of("consent email subscribed\n", f, NULL, 0), 0);
    assert_int_equal(lead_segment_facts_set_consent(f, "email", LEAD_CONSENT_PENDING), LEAD_OK);
    assert_int_equal(lead_segment_facts_set_consent(f, "sms", LEAD_CONSENT_BOUNCED), LEAD_OK);
    assert_int_equal(match_of("consent email not-set\n", f, NULL, 0), 0);
    assert_int_equal(match_of("consent email pending subscribed\n", f, NULL, 0), 1);
    assert_int_equal(match_of("consent sms bounced unsubscribed\n", f, NULL, 0), 1);
    assert_int_equal(match_of("consent phone not-set\n", f, NULL, 0), 1);
    assert_int_equal(lead_segment_facts_set_consent(f, "email", LEAD_CONSENT_UNSUBSCRIBED),
                     LEAD_OK);
    assert_int_equal(match_of("not consent email unsubscribed bounced\n", f, NULL, 0), 0);
    assert_int_equal(match_of("consent email pending subscribed\n", f, NULL, 0), 0);
    assert_int_equal(lead_segment_facts_reset(f), LEAD_OK);
    assert_int_equal(match_of("consent email not-set\nconsent sms not-set\n", f, NULL, 0), 1);
    lead_segment_facts_free(f);
}

static void event_windows_are_half_open(void **state)
{
    (void)state;
    const int64_t t = LT_T0 + 10 * LT_DAY;
    static const struct { int64_t at; int want; } edges[] = {
        {-LT_DAY, 0},     /* exactly one day before t: out */
        {-LT_DAY + 1, 1}, /* one millisecond later: in */
        {0, 1},           /* at t: in */
        {1, 0},           /* after t: has not happened yet */
    };
    for (size_t i = 0; i < 4; i++) {
        lead_score_subject *s = NULL;
        assert_int_equal(lead_score_subject_new(&s, NULL), LEAD_OK);
        assert_int_equal(lead_score_subject_add_event(s, "open", "email", NULL, t + edges[i].at),
                         LEAD_OK);
        if (match_of("did open within 1d\n", NULL, s, t) != edges[i].want)
            fail_msg("edge %zu", i);
        /* Without a window only the future is out. */
        assert_int_equal(match_of("did open\n", NULL, s, t), edges[i].at <= 0);
        assert_int_equal(match_of("not did open within 24h\n", NULL, s, t), !edges[i].want);
        lead_score_subject_free(s);
    }
}

static void event_filters_and_counts(void **state)
{
    (void)state;
    lead_score_subject *s = NULL;
    assert_int_equal(lead_score_subject_new(&s, NULL), LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "download", "web", "a", 100), LEAD_OK);
    assert_int_equal(lead_score_subject_add_property(s, "asset", "ebook"), LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "download", "email", "a", 200), LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "download", NULL, NULL, 300), LEAD_OK);
    assert_int_equal(lead_score_subject_add_property(s, "asset", "ebook"), LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "visit", "web", "a", 400), LEAD_OK);
    static const struct { const char *body; int want; } cases[] = {
        {"did download at-least 3\n", 1},
        {"did download at-least 4\n", 0},
        {"did download channel \"web\" at-least 2\n", 0},
        {"did download channel \"web\"\n", 1},
        {"did download campaign \"a\" at-least 2\n", 1},
        {"did download campaign \"a\" at-least 3\n", 0},
        {"did download campaign \"a\" channel \"email\"\n", 1},
        {"did download campaign \"b\"\n", 0},
        {"did download property \"asset\" \"ebook\" at-least 2\n", 1},
        {"did download property \"asset\" \"ebook\" campaign \"a\" at-least 2\n", 0},
        {"did download property \"asset\" \"video\"\n", 0},
        {"did download within 201ms at-least 2\n", 1},
        {"did download within 200ms at-least 2\n", 0},
        {"did visit channel \"web\" campaign \"a\"\n", 1},
        {"did Visit\n", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (match_of(cases[i].body, NULL, s, 400) != cases[i].want)
            fail_msg("case %zu: %s", i, cases[i].body);
    }
    /* Extreme times do not overflow the window arithmetic. */
    assert_int_equal(match_of("did download within 36600d\n", NULL, s, INT64_MAX), 0);
    assert_int_equal(match_of("did download\n", NULL, s, INT64_MAX), 1);
    assert_int_equal(match_of("did download within 1d\n", NULL, s, INT64_MIN), 0);
    lead_score_subject_free(s);
}

static void groups_nest_with_and_or_not(void **state)
{
    (void)state;
    lead_segment_facts *f = NULL;
    assert_int_equal(lead_segment_facts_new(&f, NULL), LEAD_OK);
    assert_int_equal(lead_segment_facts_set_stage(f, LEAD_STAGE_LEAD), LEAD_OK);
    /* T = stage is lead (true), F = stage is sql (false). */
#define T "stage is lead\n"
#define F "stage is sql\n"
    static const struct { const char *body; int want; } cases[] = {
        {"", 1},
        {"all\nend\n", 1},
        {"any\nend\n", 0},
        {"not any\nend\n", 1},
        {T T, 1},
        {T F, 0},
        {"any\n" F T "end\n", 1},
        {"any\n" F F "end\n", 0},
        {"not any\n" F F "end\n", 1},
        {"not all\n" T T "end\n", 0},
        {"not all\n" T F "end\n", 1},
        {"any\n all\n" T F " end\n all\n" T "not " F " end\nend\n", 1},
        {"any\n all\n" T F " end\n not all\n" T "end\nend\n", 0},
        {T "any\n" F "not any\n any\n" F "end\n" F "end\nend\n", 1},
        {"all\n any\n  any\n   any\n" T "   end\n  end\n end\nend\n", 1},
        {"not all\n not any\n  not any\n   not any\n" T "   end\n  end\n end\nend\n", 1},
    };
#undef T
#undef F
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (match_of(cases[i].body, f, NULL, 0) != cases[i].want)
            fail_msg("case %zu: %s", i, cases[i].body);
    }
    lead_segment_facts_free(f);
}

static void inputs_may_be_absent(void **state)
{
    (void)state;
    lead_segment *seg = NULL;
    assert_int_equal(lead_segment_new(&seg, NULL), LEAD_OK);
    int match = -1;
    /* A new segment has no conditions and matches everyone. */
    assert_int_equal(lead_segment_evaluate(seg, NULL, NULL, 0, &match), LEAD_OK);
    assert_int_equal(match, 1);
    assert_int_equal(lead_segment_evaluate_explain(seg, NULL, NULL, 0, &match), LEAD_OK);
    assert_int_equal(lead_segment_explain_item(seg, 0, NULL, NULL, NULL, NULL), LEAD_ENOTFOUND);
    lead_segment_free(seg);
    assert_int_equal(match_of("field a missing\nconsent email not-set\nnot did x\n"
                              "not stage is lead\n",
                              NULL, NULL, 0),
                     1);
    assert_int_equal(match_of("field a exists\n", NULL, NULL, 0), 0);
}

static void arguments_are_checked(void **state)
{
    (void)state;
    lead_segment *seg = NULL;
    assert_int_equal(lead_segment_new(&seg, NULL), LEAD_OK);
    int match;
    assert_int_equal(lead_segment_evaluate(NULL, NULL, NULL, 0, &match), LEAD_EINVAL);
    assert_int_equal(lead_segment_evaluate(seg, NULL, NULL, 0, NULL), LEAD_EINVAL);
    assert_int_equal(lead_segment_evaluate_explain(NULL, NULL, NULL, 0, &match), LEAD_EINVAL);
    assert_int_equal(lead_segment_evaluate_explain(seg, NULL, NULL, 0, NULL), LEAD_EINVAL);
    assert_int_equal(lead_segment_explain_item(NULL, 0, NULL, NULL, NULL, NULL), LEAD_EINVAL);
    lead_segment_free(seg);

    lead_segment_facts *f = (lead_segment_facts *)1;
    assert_int_equal(lead_segment_facts_new(NULL, NULL), LEAD_EINVAL);
    lead_allocator bad = LEAD_ALLOCATOR_INIT;
    assert_int_equal(lead_segment_facts_new(&f, &bad), LEAD_EINVAL);
    assert_null(f);
    lead_segment_facts_free(NULL);
    assert_int_equal(lead_segment_facts_new(&f, NULL), LEAD_OK);
    assert_int_equal(lead_segment_facts_reset(NULL), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_stage(NULL, 1), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_stage(f, -2), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_stage(f, LEAD_STAGE_COUNT), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_consent(NULL, "e", 1), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_consent(f, NULL, 1), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_consent(f, "", 1), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_consent(f, "e", -1), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_consent(f, "e", LEAD_CONSENT_STATE_COUNT),
                     LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_scores(NULL, "m", 0, 0, 0, 'A'), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_scores(f, NULL, 0, 0, 0, 'A'), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_scores(f, "", 0, 0, 0, 'A'), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_scores(f, "m", 0, 0, 0, 'E'), LEAD_EINVAL);
    assert_int_equal(lead_segment_facts_set_scores(f, "m", 0, 0, 0, '\0'), LEAD_EINVAL);
    lead_segment_facts_free(f);
}

static int evaluate_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    int rc;
    lead_segment *seg = parse_text(alloc, example_segment, &rc);
    lead_score_subject *s = NULL;
    lead_segment_facts *f = NULL;
    if (rc == LEAD_OK)
        rc = lead_score_subject_new(&s, alloc);
    if (rc == LEAD_OK)
        rc = lead_segment_facts_new(&f, alloc);
    if (rc == LEAD_OK)
        rc = build_ana(s, f, EXAMPLE_T - 14 * DAY);
    if (rc == LEAD_OK) {
        int match = 0, explained = 0;
        rc = lead_segment_evaluate(seg, f, s, EXAMPLE_T, &match);
        if (rc == LEAD_OK)
            rc = lead_segment_evaluate_explain(seg, f, s, EXAMPLE_T, &explained);
        if (rc == LEAD_OK && (match != 1 || explained != 1))
            rc = LEAD_ESTATE;
    }
    lead_segment_facts_free(f);
    lead_score_subject_free(s);
    lead_segment_free(seg);
    return rc;
}

static void evaluate_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(evaluate_scenario, NULL, LEAD_OK) > 60);
}

static int facts_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead_segment_facts *f = NULL;
    int rc = lead_segment_facts_new(&f, alloc);
    static const char *const purposes[] = {"email", "sms", "phone", "post", "email"};
    for (size_t i = 0; rc == LEAD_OK && i < 5; i++)
        rc = lead_segment_facts_set_consent(f, purposes[i], (int32_t)i);
    for (size_t i = 0; rc == LEAD_OK && i < 5; i++)
        rc = lead_segment_facts_set_scores(f, purposes[i], (int64_t)i, 0, 0, 'A');
    lead_segment_facts_free(f);
    return rc;
}

static void facts_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(facts_scenario, NULL, LEAD_OK) >= 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(worked_example_matches_and_explains, setup_ana, teardown),
        cmocka_unit_test_setup_teardown(field_tests_are_the_fit_rule_tests, setup_ana, teardown),
        cmocka_unit_test(stages_compare_along_the_forward_path),
        cmocka_unit_test(scores_and_grades_per_model),
        cmocka_unit_test(scores_come_from_a_scoring_result),
        cmocka_unit_test(consent_per_purpose),
        cmocka_unit_test(event_windows_are_half_open),
        cmocka_unit_test(event_filters_and_counts),
        cmocka_unit_test(groups_nest_with_and_or_not),
        cmocka_unit_test(inputs_may_be_absent),
        cmocka_unit_test(arguments_are_checked),
        cmocka_unit_test(evaluate_alloc_sweep),
        cmocka_unit_test(facts_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
