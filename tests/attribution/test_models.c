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


/* A journey given touch by touch: channel, campaign or NULL, time, flags. */
typedef struct touch {
    const char *channel;
    const char *campaign;
    int64_t time;
    uint32_t flags;
} touch;

static void add_journey(lead_journey_set *set, const touch *t, size_t n, double conv,
                        double value, int64_t converted)
{
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(
            lead_journey_set_add_touch(set, t[i].channel, t[i].campaign, t[i].time, t[i].flags),
            LEAD_OK);
    assert_int_equal(lead_journey_set_end(set, conv, value, 0, converted), LEAD_OK);
}

/* Runs model on set and checks touch_credit of journey 0 against shares x
 * (conversions, value) of that journey. */
static void expect_shares(lead_attribution_model *model, const lead_journey_set *set,
                          const double *shares, size_t n)
{
    lead_attribution_result *res = NULL;
    assert_int_equal(lead_attribution_run(&res, model, set), LEAD_OK);
    double conv_of_j = 0, value_of_j = 0;
    assert_int_equal(
        lead_journey_set_journey(set, 0, NULL, &conv_of_j, &value_of_j, NULL, NULL), LEAD_OK);
    double conv[16], value[16];
    size_t count = 0;
    assert_int_equal(lead_attribution_result_touch_credit(res, set, 0, conv, value, 16, &count),
                     LEAD_OK);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++)
        if (fabs(conv[i] - shares[i] * conv_of_j) > EPS ||
            fabs(value[i] - shares[i] * value_of_j) > EPS)
            fail_msg("touch %zu: got %.15g, expected %.15g", i, conv[i], shares[i] * conv_of_j);
    lead_attribution_result_free(res);
}

static lead_attribution_model *new_model(uint32_t kind)
{
    lead_attribution_model *model = NULL;
    assert_int_equal(lead_attribution_model_new(&model, kind, NULL), LEAD_OK);
    return model;
}

static void expect_kind_shares(uint32_t kind, const lead_journey_set *set, const double *shares,
                               size_t n)
{
    lead_attribution_model *model = new_model(kind);
    expect_shares(model, set, shares, n);
    lead_attribution_model_free(model);
}

static lead_journey_set *one_journey(const touch *t, size_t n)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    add_journey(set, t, n, 2, 10, LT_T0 + 10 * LT_DAY);
    return set;
}

static const uint32_t every_kind[] = {
    LEAD_ATTRIBUTION_FIRST_TOUCH, LEAD_ATTRIBUTION_LAST_TOUCH, LEAD_ATTRIBUTION_LAST_NON_DIRECT,
    LEAD_ATTRIBUTION_LINEAR,      LEAD_ATTRIBUTION_U_SHAPED,   LEAD_ATTRIBUTION_W_SHAPED,
    LEAD_ATTRIBUTION_FULL_PATH,   LEAD_ATTRIBUTION_J_SHAPED,   LEAD_ATTRIBUTION_INVERSE_J,
    LEAD_ATTRIBUTION_CUSTOM_POSITION, LEAD_ATTRIBUTION_TIME_DECAY};
#define EVERY_KIND_COUNT (sizeof every_kind / sizeof every_kind[0])

static void single_touch_gets_everything(void **state)
{
    (void)state;
    const touch t[] = {{"a", "c1", LT_T0, 0}};
    lead_journey_set *set = one_journey(t, 1);
    const double all[] = {1};
    for (size_t k = 0; k < EVERY_KIND_COUNT; k++)
        expect_kind_shares(every_kind[k], set, all, 1);
    lead_journey_set_free(set);
}

static void two_touches(void **state)
{
    (void)state;
    const touch t[] = {{"a", NULL, LT_T0, 0}, {"b", NULL, LT_T0 + 7 * LT_DAY, 0}};
    lead_journey_set *set = one_journey(t, 2);
    const double first[] = {1, 0}, last[] = {0, 1}, half[] = {0.5, 0.5};
    const double j[] = {0.25, 0.75}, inverse_j[] = {0.75, 0.25}, w[] = {0.75, 0.25};
    const double decay[] = {1.0 / 3, 2.0 / 3}; /* ages 7 and 0 days: 1/2 and 1 */
    expect_kind_shares(LEAD_ATTRIBUTION_FIRST_TOUCH, set, first, 2);
    expect_kind_shares(LEAD_ATTRIBUTION_LAST_TOUCH, set, last, 2);
    expect_kind_shares(LEAD_ATTRIBUTION_LAST_NON_DIRECT, set, last, 2);
    expect_kind_shares(LEAD_ATTRIBUTION_LINEAR, set, half, 2);
    expect_kind_shares(LEAD_ATTRIBUTION_U_SHAPED, set, half, 2);
    expect_kind_shares(LEAD_ATTRIBUTION_J_SHAPED, set, j, 2);
    expect_kind_shares(LEAD_ATTRIBUTION_INVERSE_J, set, inverse_j, 2);
    expect_kind_shares(LEAD_ATTRIBUTION_W_SHAPED, set, w, 2);
    const double z[] = {9.0 / 13, 4.0 / 13}; /* first .225, rest .1 */
    expect_kind_shares(LEAD_ATTRIBUTION_FULL_PATH, set, z, 2);
    expect_kind_shares(LEAD_ATTRIBUTION_TIME_DECAY, set, decay, 2);

    /* U-shaped with first 30 / last 10: first/(first+last). */
    lead_attribution_model *model = new_model(LEAD_ATTRIBUTION_U_SHAPED);
    assert_int_equal(lead_attribution_model_set_position_weight(model, LEAD_POSITION_FIRST, 30),
                     LEAD_OK);
    assert_int_equal(lead_attribution_model_set_position_weight(model, LEAD_POSITION_LAST, 10),
                     LEAD_OK);
    expect_shares(model, set, inverse_j, 2);
    lead_attribution_model_free(model);
    lead_journey_set_free(set);
}

static void u_shaped_spreads_the_middle(void **state)
{
    (void)state;
    const touch t[] = {{"a", NULL, 0, 0}, {"b", NULL, 0, LEAD_TOUCH_LEAD_CREATION},
                       {"c", NULL, 0, 0}, {"d", NULL, 0, 0}, {"e", NULL, 0, 0}};
    lead_journey_set *set = one_journey(t, 5);
    const double u[] = {0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4};
    const double j[] = {0.2, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.6};
    expect_kind_shares(LEAD_ATTRIBUTION_U_SHAPED, set, u, 5);
    expect_kind_shares(LEAD_ATTRIBUTION_J_SHAPED, set, j, 5);
    lead_journey_set_free(set);
}

static void w_shaped_milestones_coincide(void **state)
{
    (void)state;
    /* first = lead creation on touch 0, opportunity on touch 2. */
    const touch t[] = {{"a", NULL, 0, LEAD_TOUCH_LEAD_CREATION},
                       {"b", NULL, 0, 0},
                       {"c", NULL, 0, LEAD_TOUCH_OPPORTUNITY_CREATION},
                       {"d", NULL, 0, 0}};
    lead_journey_set *set = one_journey(t, 4);
    const double w[] = {0.6, 0.05, 0.3, 0.05};
    expect_kind_shares(LEAD_ATTRIBUTION_W_SHAPED, set, w, 4);
    lead_journey_set_free(set);
}

static void full_path_milestones(void **state)
{
    (void)state;
    const touch t[] = {{"a", NULL, 0, 0},
                       {"b", NULL, 0, LEAD_TOUCH_LEAD_CREATION},
                       {"c", NULL, 0, 0},
                       {"d", NULL, 0, LEAD_TOUCH_OPPORTUNITY_CREATION | LEAD_TOUCH_CLOSED_WON},
                       {"e", NULL, 0, 0}};
    lead_journey_set *set = one_journey(t, 5);
    const double z[] = {0.225, 0.225, 0.05, 0.45, 0.05};
    expect_kind_shares(LEAD_ATTRIBUTION_FULL_PATH, set, z, 5);
    lead_journey_set_free(set);

    /* No opportunity touch: its weight drops out and the rest renormalise
     * (.45, .225, .1 over .775). */
    const touch t2[] = {{"a", NULL, 0, LEAD_TOUCH_LEAD_CREATION},
                        {"b", NULL, 0, LEAD_TOUCH_CLOSED_WON},
                        {"c", NULL, 0, 0}};
    set = one_journey(t2, 3);
    const double z2[] = {18.0 / 31, 9.0 / 31, 4.0 / 31};
    expect_kind_shares(LEAD_ATTRIBUTION_FULL_PATH, set, z2, 3);
    lead_journey_set_free(set);
}

static void custom_weights(void **state)
{
    (void)state;
    const touch t[] = {{"a", NULL, 0, 0},
                       {"b", NULL, 0, LEAD_TOUCH_LEAD_CREATION},
                       {"c", NULL, 0, 0},
                       {"d", NULL, 0, 0}};
    lead_journey_set *set = one_journey(t, 4);
    lead_attribution_model *model = new_model(LEAD_ATTRIBUTION_CUSTOM_POSITION);
    double w = -1;
    assert_int_equal(lead_attribution_model_position_weight(model, LEAD_POSITION_FIRST, &w),
                     LEAD_OK);
    assert_true(w == 0.4); /* custom starts as U-shaped */
    const double weights[LEAD_POSITION_COUNT] = {1, 2, 0, 0, 3, 4};
    for (uint32_t p = 0; p < LEAD_POSITION_COUNT; p++)
        assert_int_equal(lead_attribution_model_set_position_weight(model, p, weights[p]),
                         LEAD_OK);
    /* a 1, b 2, c 4 (the only rest touch), d 3: over 10. */
    const double shares[] = {0.1, 0.2, 0.4, 0.3};
    expect_shares(model, set, shares, 4);
    assert_int_equal(lead_attribution_model_set_position_weight(model, LEAD_POSITION_REST, -1),
                     LEAD_EINVAL);
    assert_int_equal(lead_attribution_model_set_position_weight(model, LEAD_POSITION_COUNT, 1),
                     LEAD_EINVAL);
    assert_int_equal(lead_attribution_model_set_position_weight(model, 0, NAN), LEAD_EINVAL);
    lead_attribution_model_free(model);
    model = new_model(LEAD_ATTRIBUTION_LINEAR);
    assert_int_equal(lead_attribution_model_set_position_weight(model, 0, 1), LEAD_EINVAL);
    assert_string_equal(lead_attribution_model_errmsg(model), "not a position-based model");
    lead_attribution_model_free(model);
    lead_journey_set_free(set);
}

static void lead_creation_and_unattributed(void **state)
{
    (void)state;
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    const touch t1[] = {{"a", NULL, 0, 0},
                        {"b", NULL, 0, LEAD_TOUCH_LEAD_CREATION},
                        {"c", NULL, 0, LEAD_TOUCH_LEAD_CREATION}};
    const touch t2[] = {{"a", NULL, 0, 0}};
    add_journey(set, t1, 3, 2, 40, LEAD_TIME_UNKNOWN);
    add_journey(set, t2, 1, 1, 5, LEAD_TIME_UNKNOWN);
    lead_attribution_result *res = run_kind(LEAD_ATTRIBUTION_LEAD_CREATION, set);
    expect_channel(res, "a", 0, 0);
    expect_channel(res, "b", 2, 40);
    expect_channel(res, "c", 0, 0);
    double conv, value, un_conv, un_value;
    assert_int_equal(lead_attribution_result_totals(res, &conv, &value, &un_conv, &un_value),
                     LEAD_OK);
    assert_true(conv == 3 && value == 45 && un_conv == 1 && un_value == 5);
    lead_attribution_result_free(res);
    lead_journey_set_free(set);
}

static void last_non_direct(void **state)
{
    (void)state;
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    static const char *const p1[] = {"search", "direct", "direct"};
    static const char *const p2[] = {"direct", "direct"};
    static const char *const p3[] = {"organic", "email", "organic"};
    add_path(set, p1, 3, 3, 30, 0);
    add_path(set, p2, 2, 1, 10, 0);
    add_path(set, p3, 3, 2, 20, 0);
    lead_attribution_result *res = run_kind(LEAD_ATTRIBUTION_LAST_NON_DIRECT, set);
    expect_channel(res, "search", 3, 30);
    expect_channel(res, "direct", 1, 10); /* all direct: the last touch */
    expect_channel(res, "organic", 2, 20);
    lead_attribution_result_free(res);

    lead_attribution_model *model = new_model(LEAD_ATTRIBUTION_LAST_NON_DIRECT);
    assert_int_equal(lead_attribution_model_set_direct_channel(model, "organic"), LEAD_OK);
    assert_int_equal(lead_attribution_model_set_direct_channel(model, ""), LEAD_EINVAL);
    assert_int_equal(lead_attribution_model_set_direct_channel(model, "\xff"), LEAD_EUTF8);
    assert_int_equal(lead_attribution_run(&res, model, set), LEAD_OK);
    expect_channel(res, "search", 0, 0);
    expect_channel(res, "direct", 4, 40);
    expect_channel(res, "email", 2, 20);
    lead_attribution_result_free(res);
    lead_attribution_model_free(model);
    lead_journey_set_free(set);
}

static void time_decay_weights(void **state)
{
    (void)state;
    const touch t[] = {{"a", NULL, LT_T0, 0},
                       {"b", NULL, LT_T0 + LT_DAY, 0},
                       {"c", NULL, LT_T0 + 3 * LT_DAY, 0}};
    lead_journey_set *set = one_journey(t, 3); /* converted at T0 + 10 days */
    lead_attribution_model *model = new_model(LEAD_ATTRIBUTION_TIME_DECAY);
    assert_int_equal(lead_attribution_model_set_half_life(model, LT_DAY), LEAD_OK);
    /* ages 10, 9, 7 days: 2^-10, 2^-9, 2^-7 = 1, 2, 8 over 11. */
    const double shares[] = {1.0 / 11, 2.0 / 11, 8.0 / 11};
    expect_shares(model, set, shares, 3);
    /* The default half-life, 7 days: 2^(-3/7), 2^(-2/7), 1. */
    assert_int_equal(lead_attribution_model_set_half_life(model, 7 * LT_DAY), LEAD_OK);
    double a = pow(2, -3.0 / 7), b = pow(2, -2.0 / 7), s = a + b + 1;
    const double shares7[] = {a / s, b / s, 1 / s};
    expect_shares(model, set, shares7, 3);
    assert_int_equal(lead_attribution_model_set_half_life(model, 0), LEAD_EINVAL);
    lead_attribution_model_free(model);
    lead_journey_set_free(set);
}

static void time_decay_needs_times(void **state)
{
    (void)state;
    lead_attribution_model *model = new_model(LEAD_ATTRIBUTION_TIME_DECAY);
    lead_attribution_result *res = (lead_attribution_result *)1;
    const touch unknown[] = {{"a", NULL, LT_T0, 0}, {"b", NULL, LEAD_TIME_UNKNOWN, 0}};
    lead_journey_set *set = one_journey(unknown, 2);
    assert_int_equal(lead_attribution_run(&res, model, set), LEAD_EINVAL);
    assert_null(res);
    assert_string_equal(lead_attribution_model_errmsg(model),
                        "journey 0: time decay needs the time of every touch");
    lead_journey_set_free(set);

    const touch late[] = {{"a", NULL, LT_T0 + 11 * LT_DAY, 0}};
    set = one_journey(late, 1);
    assert_int_equal(lead_attribution_run(&res, model, set), LEAD_EINVAL);
    assert_string_equal(lead_attribution_model_errmsg(model),
                        "journey 0: a touch comes after the conversion");
    lead_journey_set_free(set);

    /* A journey that neither converted nor has value is not looked at. */
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    add_journey(set, unknown, 2, 0, 0, LEAD_TIME_UNKNOWN);
    assert_int_equal(lead_attribution_run(&res, model, set), LEAD_OK);
    lead_attribution_result_free(res);
    lead_journey_set_free(set);
    lead_attribution_model_free(model);
}

static void campaigns_and_names(void **state)
{
    (void)state;
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    const touch t1[] = {{"search", "spring", 0, 0}, {"email", NULL, 0, 0}};
    const touch t2[] = {{"email", "fall", 0, 0}, {"search", "spring", 0, 0}};
    add_journey(set, t1, 2, 1, 100, LEAD_TIME_UNKNOWN);
    add_journey(set, t2, 2, 3, 30, LEAD_TIME_UNKNOWN);
    lead_attribution_result *res = run_kind(LEAD_ATTRIBUTION_LINEAR, set);
    size_t n = 0;
    assert_int_equal(lead_attribution_result_campaign_count(res, &n), LEAD_OK);
    assert_int_equal(n, 2);
    const char *name = NULL;
    double conv = 0, value = 0;
    assert_int_equal(lead_attribution_result_campaign(res, 0, &name, &conv, &value), LEAD_OK);
    assert_string_equal(name, "spring");
    assert_true(fabs(conv - 2) < EPS && fabs(value - 65) < EPS);
    assert_int_equal(lead_attribution_result_campaign_by_name(res, "fall", &conv, &value),
                     LEAD_OK);
    assert_true(fabs(conv - 1.5) < EPS && fabs(value - 15) < EPS);
    assert_int_equal(lead_attribution_result_campaign_by_name(res, "none", &conv, &value),
                     LEAD_ENOTFOUND);
    assert_int_equal(lead_attribution_result_campaign(res, 2, &name, NULL, NULL), LEAD_ENOTFOUND);
    assert_int_equal(lead_attribution_result_channel_count(res, &n), LEAD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(lead_attribution_result_channel(res, 1, &name, &conv, NULL), LEAD_OK);
    assert_string_equal(name, "email");
    assert_true(fabs(conv - 2) < EPS);
    assert_int_equal(lead_attribution_result_channel(res, 2, &name, NULL, NULL), LEAD_ENOTFOUND);
    uint32_t kind = 0;
    assert_int_equal(lead_attribution_result_kind(res, &kind), LEAD_OK);
    assert_int_equal(kind, LEAD_ATTRIBUTION_LINEAR);

    /* The result outlives the set; touch_credit refuses another set. */
    lead_journey_set *other = NULL;
    assert_int_equal(lead_journey_set_new(&other, NULL), LEAD_OK);
    double credit[4];
    assert_int_equal(lead_attribution_result_touch_credit(res, other, 0, credit, NULL, 4, &n),
                     LEAD_EINVAL);
    assert_int_equal(lead_attribution_result_touch_credit(res, set, 0, credit, NULL, 1, &n),
                     LEAD_ELIMIT);
    assert_int_equal(n, 2);
    assert_int_equal(lead_attribution_result_touch_credit(res, set, 2, credit, NULL, 4, &n),
                     LEAD_ENOTFOUND);
    assert_int_equal(lead_attribution_result_touch_credit(res, set, 1, NULL, credit, 4, &n),
                     LEAD_OK);
    assert_true(credit[0] == 15 && credit[1] == 15);
    lead_journey_set_free(other);
    lead_journey_set_free(set);
    assert_int_equal(lead_attribution_result_channel_by_name(res, "search", &conv, &value),
                     LEAD_OK);
    assert_true(fabs(conv - 2) < EPS && fabs(value - 65) < EPS);
    lead_attribution_result_free(res);
}

/* Deterministic pseudo-random journeys: credits must sum to the totals. */
static void credits_sum_to_totals(void **state)
{
    (void)state;
    static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g"};
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    uint64_t x = 88172645463325252u;
    for (int j = 0; j < 500; j++) {
        assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int n = 1 + (int)(x % 9);
        for (int i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            uint32_t flags = (uint32_t)(x >> 20) % 8;
            assert_int_equal(lead_journey_set_add_touch(set, names[x % 7], NULL,
                                                        LT_T0 + i * LT_DAY, flags),
                             LEAD_OK);
        }
        assert_int_equal(lead_journey_set_end(set, (double)(x % 5) + 0.1, (double)(x % 1000) / 7,
                                              1, LT_T0 + 20 * LT_DAY),
                         LEAD_OK);
    }
    for (size_t k = 0; k < EVERY_KIND_COUNT; k++) {
        lead_attribution_result *res = run_kind(every_kind[k], set);
        double conv = 0, value = 0, total_conv, total_value;
        for (uint32_t c = 0; c < 7; c++) {
            double cc, cv;
            assert_int_equal(lead_attribution_result_channel(res, c, NULL, &cc, &cv), LEAD_OK);
            conv += cc;
            value += cv;
        }
        assert_int_equal(
            lead_attribution_result_totals(res, &total_conv, &total_value, NULL, NULL), LEAD_OK);
        if (fabs(conv - total_conv) > 1e-9 * total_conv ||
            fabs(value - total_value) > 1e-9 * total_value)
            fail_msg("kind %u: %.17g / %.17g vs %.17g / %.17g", every_kind[k], conv, value,
                     total_conv, total_value);
        lead_attribution_result_free(res);
    }
    lead_journey_set_free(set);
}

/* Credit that overflows is refused wherever it overflows. First touch,
 * journeys a (1e308 conversions) and b (1e308): each channel gets 1e308,
 * finite, but the total 2e308 is above DBL_MAX (about 1.8e308) and is inf.
 * On one channel the channel's own credit overflows. With both journeys on
 * campaign x the campaign's credit overflows first (checked before the
 * totals). Values likewise: 1e308 each on a and b. */
static void overflow_is_refused(void **state)
{
    (void)state;
    static const char *const a[] = {"a"}, *const b[] = {"b"};
    static const struct {
        const char *const *second;
        double conv, value;
        const char *why;
    } cases[] = {{b, 1e308, 0, "total conversions or value is not finite"},
                 {a, 1e308, 0, "credit is not finite"},
                 {b, 1, 1e308, "total conversions or value is not finite"}};
    for (size_t k = 0; k < 3; k++) {
        lead_journey_set *set = NULL;
        assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
        add_path(set, a, 1, cases[k].conv, cases[k].value, 0);
        add_path(set, cases[k].second, 1, cases[k].conv, cases[k].value, 0);
        lead_attribution_model *model = new_model(LEAD_ATTRIBUTION_FIRST_TOUCH);
        lead_attribution_result *res = NULL;
        assert_int_equal(lead_attribution_run(&res, model, set), LEAD_ENUMERIC);
        assert_null(res);
        assert_string_equal(lead_attribution_model_errmsg(model), cases[k].why);
        lead_attribution_model_free(model);
        lead_journey_set_free(set);
    }
    static const touch on_x[] = {{"a", "x", LEAD_TIME_UNKNOWN, 0}};
    static const touch on_x_b[] = {{"b", "x", LEAD_TIME_UNKNOWN, 0}};
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    add_journey(set, on_x, 1, 1e308, 0, LEAD_TIME_UNKNOWN);
    add_journey(set, on_x_b, 1, 1e308, 0, LEAD_TIME_UNKNOWN);
    lead_attribution_model *model = new_model(LEAD_ATTRIBUTION_FIRST_TOUCH);
    lead_attribution_result *res = NULL;
    assert_int_equal(lead_attribution_run(&res, model, set), LEAD_ENUMERIC);
    assert_null(res);
    assert_string_equal(lead_attribution_model_errmsg(model), "campaign credit is not finite");
    lead_attribution_model_free(model);
    lead_journey_set_free(set);
}

static void kinds_and_arguments(void **state)
{
    (void)state;
    const char *name = NULL;
    uint32_t kind = 0;
    for (uint32_t k = 0; k < 64; k++) {
        if (lead_attribution_kind_name(k, &name) != LEAD_OK)
            continue;
        assert_int_equal(lead_attribution_kind_from_name(name, &kind), LEAD_OK);
        assert_int_equal(kind, k);
    }
    assert_int_equal(lead_attribution_kind_name(LEAD_ATTRIBUTION_U_SHAPED, &name), LEAD_OK);
    assert_string_equal(name, "u-shaped");
    assert_int_equal(lead_attribution_kind_name(LEAD_ATTRIBUTION_MARKOV, &name), LEAD_OK);
    assert_string_equal(name, "markov");
    assert_int_equal(lead_attribution_kind_name(0, &name), LEAD_ENOTFOUND);
    assert_int_equal(lead_attribution_kind_from_name("w", &kind), LEAD_ENOTFOUND);

    lead_attribution_model *model = (lead_attribution_model *)1;
    assert_int_equal(lead_attribution_model_new(&model, 0, NULL), LEAD_ENOTFOUND);
    assert_null(model);
    assert_int_equal(lead_attribution_model_new(NULL, 1, NULL), LEAD_EINVAL);
    model = new_model(LEAD_ATTRIBUTION_FIRST_TOUCH);
    assert_int_equal(lead_attribution_model_kind(model, &kind), LEAD_OK);
    assert_int_equal(kind, LEAD_ATTRIBUTION_FIRST_TOUCH);
    assert_int_equal(lead_attribution_model_set_order(model, 0), LEAD_EINVAL);
    assert_int_equal(lead_attribution_model_set_order(model, 3), LEAD_OK);
    lead_attribution_result *res = NULL;
    assert_int_equal(lead_attribution_run(&res, model, NULL), LEAD_EINVAL);
    assert_int_equal(lead_attribution_run(NULL, model, NULL), LEAD_EINVAL);
    /* An empty set: zero channels, zero totals. */
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    assert_int_equal(lead_attribution_run(&res, model, set), LEAD_OK);
    size_t n = 1;
    double conv = 1;
    assert_int_equal(lead_attribution_result_channel_count(res, &n), LEAD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lead_attribution_result_totals(res, &conv, NULL, NULL, NULL), LEAD_OK);
    assert_true(conv == 0);
    lead_attribution_result_free(res);
    lead_journey_set_free(set);
    lead_attribution_model_free(model);
    lead_attribution_model_free(NULL);
    lead_attribution_result_free(NULL);
    assert_non_null(lead_attribution_model_errmsg(NULL));
}

static int run_scenario(const lead_allocator *alloc, void *ctx)
{
    uint32_t kind = *(const uint32_t *)ctx;
    lead_journey_set *set = NULL;
    lead_attribution_model *model = NULL;
    lead_attribution_result *res = NULL;
    int rc = lead_journey_set_new(&set, alloc);
    const char *channels[] = {"search", "email", "social"};
    const char *campaigns[] = {"spring", NULL, "fall"};
    for (int j = 0; rc == LEAD_OK && j < 3; j++) {
        rc = lead_journey_set_begin(set);
        for (int i = 0; rc == LEAD_OK && i <= j; i++)
            rc = lead_journey_set_add_touch(set, channels[i], campaigns[i], LT_T0 + i, 0);
        if (rc == LEAD_OK)
            rc = lead_journey_set_end(set, 1, 10, 0, LT_T0 + 5);
    }
    if (rc == LEAD_OK)
        rc = lead_attribution_model_new(&model, kind, alloc);
    if (rc == LEAD_OK)
        rc = lead_attribution_run(&res, model, set);
    if (rc == LEAD_OK) {
        double conv = 0;
        assert_int_equal(lead_attribution_result_channel_by_name(res, "search", &conv, NULL),
                         LEAD_OK);
        assert_true(conv > 0);
    }
    lead_attribution_result_free(res);
    lead_attribution_model_free(model);
    lead_journey_set_free(set);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    for (size_t k = 0; k < EVERY_KIND_COUNT; k++) {
        uint32_t kind = every_kind[k];
        assert_true(lt_alloc_sweep(run_scenario, &kind, LEAD_OK) > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_first),
        cmocka_unit_test(example_last),
        cmocka_unit_test(example_linear),
        cmocka_unit_test(example_u_shaped),
        cmocka_unit_test(single_touch_gets_everything),
        cmocka_unit_test(two_touches),
        cmocka_unit_test(u_shaped_spreads_the_middle),
        cmocka_unit_test(w_shaped_milestones_coincide),
        cmocka_unit_test(full_path_milestones),
        cmocka_unit_test(custom_weights),
        cmocka_unit_test(lead_creation_and_unattributed),
        cmocka_unit_test(last_non_direct),
        cmocka_unit_test(time_decay_weights),
        cmocka_unit_test(time_decay_needs_times),
        cmocka_unit_test(campaigns_and_names),
        cmocka_unit_test(credits_sum_to_totals),
        cmocka_unit_test(overflow_is_refused),
        cmocka_unit_test(kinds_and_arguments),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
