/* The behaviour feed's weights: more distinct half-lives on one event than
 * the feed keeps powers of two for, undecayed rules and near-miss channel
 * conditions, fed through every rule and through the type's candidates,
 * to the same bits and exact values. */
#include "lead_test.h"
#include "score_fixture.h"

#include <string.h>

static const char model_text[] =
    "liblead-score 1\n"
    "half-life none\n"
    "behaviour 10 page_view half-life 1d\n"
    "behaviour 10 page_view half-life 2d\n"
    "behaviour 10 page_view half-life 4d\n"
    "behaviour 10 page_view half-life 8d\n"
    "behaviour 10 page_view half-life 16d\n"
    "behaviour 10 page_view half-life 1d\n"
    "behaviour 10 page_view\n"
    "behaviour 10 page_view channel \"paid_search\"\n"
    "behaviour 10 page_view channel \"paid_social\" half-life 2d\n"
    "behaviour 10 email_open\n";

/* Two page views 16 days apart on paid_social: a rule of half-life h days
 * that counts both is worth 10 (1 + 2^(-16/h)) at the second, exactly (the
 * powers are of whole numbers). */
static const double want[] = {10.0 * (1.0 + 1.0 / 65536.0), 10.0 * (1.0 + 1.0 / 256.0),
                              10.0 * (1.0 + 1.0 / 16.0),    10.0 * (1.0 + 1.0 / 4.0),
                              10.0 * (1.0 + 1.0 / 2.0),     10.0 * (1.0 + 1.0 / 65536.0),
                              20.0,                         0.0,
                              10.0 * (1.0 + 1.0 / 256.0),   0.0};

static void both_feeds_give_the_same_exact_sums(void **state)
{
    (void)state;
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    assert_int_equal(lead_score_model_parse(m, model_text, strlen(model_text)), LEAD_OK);
    const lead__score_def *def = &m->def;
    assert_int_equal(def->nbeh, 10);
    static const lead__score_event ev[] = {EV(0, 0, "page_view", "paid_social", NULL, 0),
                                           EV(16, 0, "page_view", "paid_social", NULL, 0)};
    static const uint32_t page_view_rules[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    lead__mem mem;
    assert_int_equal(lead__mem_init(&mem, NULL), LEAD_OK);
    lead__score_state all, some;
    assert_int_equal(lead__score_state_init(&mem, &all, def), LEAD_OK);
    assert_int_equal(lead__score_state_init(&mem, &some, def), LEAD_OK);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(lead__score_state_feed(&all, def, &ev[i], NULL, NULL), LEAD_OK);
        assert_int_equal(lead__score_state_feed_rules(&some, def, &ev[i], page_view_rules, 9,
                                                      NULL, NULL),
                         LEAD_OK);
    }
    for (size_t r = 0; r < def->nbeh; r++) {
        double a = lead__score_state_rule_value(&all, def, r, ev[1].time);
        double b = lead__score_state_rule_value(&some, def, r, ev[1].time);
        assert_memory_equal(&a, &b, sizeof a);
        assert_true(a == want[r]);
    }
    /* Two days later the 2-day rules have halved again. */
    assert_true(lead__score_state_rule_value(&all, def, 1, ev[1].time + 2 * LT_DAY) ==
                want[1] / 2.0);
    lead__score_state_clear(&mem, &all);
    lead__score_state_clear(&mem, &some);
    lead_score_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(both_feeds_give_the_same_exact_sums),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
