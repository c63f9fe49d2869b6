/* Markov removal effects: exact values by hand, the P(conversion) identity
 * for every order, loops and repeats, higher orders, empty and one-channel
 * data, and allocation failure. */
#include "lead_test.h"

#include "markov.h"
#include "markov_paths.h"

#include <math.h>

#define EPS 1e-12

#define assert_near(got, want, eps) near_at((got), (want), (eps), __FILE__, __LINE__)

static void near_at(double got, double want, double eps, const char *file, int line)
{
    if (!(fabs(got - want) <= eps)) {
        print_error("%s:%d: got %.17g, want %.17g\n", file, line, got, want);
        fail();
    }
}

typedef struct path {
    const char *path;
    double conversions, value, nulls;
} path;

static lead_journey_set *set_of(const path *paths, size_t n)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(lt_add_path(set, paths[i].path, paths[i].conversions, paths[i].value,
                                     paths[i].nulls),
                         LEAD_OK);
    return set;
}

static lead_markov_result *solve(const lead_journey_set *set, uint32_t order, uint32_t keep)
{
    lead_markov_options opts;
    assert_int_equal(lead_markov_options_init(&opts, sizeof(lead_markov_options)), LEAD_OK);
    opts.order = order;
    opts.keep_repeats = keep;
    lead_markov_counts *counts = NULL;
    assert_int_equal(lead_markov_counts_new(&counts, set, &opts, NULL), LEAD_OK);
    lead_markov_result *r = NULL;
    assert_int_equal(lead_markov_solve(&r, counts), LEAD_OK);
    lead_markov_counts_free(counts);
    return r;
}

static void expect_channel(const lead_markov_result *r, const char *name, double re,
                           double conversions, double value)
{
    double got_re = -1, got_conv = -1, got_value = -1;
    assert_int_equal(lead_markov_result_channel_by_name(r, name, &got_re, &got_conv, &got_value),
                     LEAD_OK);
    assert_near(got_re, re, EPS);
    assert_near(got_conv, conversions, EPS);
    assert_near(got_value, value, EPS);
}

static double p_conv(const lead_markov_result *r)
{
    double p = -1;
    assert_int_equal(lead_markov_result_conversion_probability(r, &p), LEAD_OK);
    return p;
}

static const path two_branches[] = {{"a > b", 3, 30, 1}, {"a > c", 1, 10, 1}};

static void two_branches_exact(void **state)
{
    (void)state;
    lead_journey_set *set = set_of(two_branches, 2);
    lead_markov_result *r = solve(set, 1, 0);
    assert_near(p_conv(r), 2.0 / 3.0, EPS);
    expect_channel(r, "a", 1.0, 2.0, 20.0);
    expect_channel(r, "b", 0.75, 1.5, 15.0);
    expect_channel(r, "c", 0.25, 0.5, 5.0);
    double conv = 0, value = 0, nulls = 0;
    assert_int_equal(lead_markov_result_totals(r, &conv, &value, &nulls), LEAD_OK);
    assert_true(conv == 4.0 && value == 40.0 && nulls == 2.0);
    const char *name = NULL;
    assert_int_equal(lead_markov_result_channel(r, 1, &name, NULL, NULL, NULL), LEAD_OK);
    assert_string_equal(name, "b");
    assert_int_equal(lead_markov_result_channel(r, 3, &name, NULL, NULL, NULL), LEAD_ENOTFOUND);
    assert_int_equal(lead_markov_result_channel_by_name(r, "z", NULL, NULL, NULL),
                     LEAD_ENOTFOUND);
    lead_markov_result_free(r);
    lead_journey_set_free(set);
}

static void two_branches_transitions(void **state)
{
    (void)state;
    lead_journey_set *set = set_of(two_branches, 2);
    lead_markov_result *r = solve(set, 1, 0);
    size_t n = 0;
    assert_int_equal(lead_markov_result_state_count(r, &n), LEAD_OK);
    assert_int_equal(n, 6);
    uint32_t kind = 99, channels[2] = {99, 99};
    size_t len = 9;
    assert_int_equal(lead_markov_result_state(r, 0, &kind, channels, 2, &len), LEAD_OK);
    assert_int_equal(kind, LEAD_MARKOV_STATE_START);
    assert_int_equal(len, 0);
    assert_int_equal(lead_markov_result_state(r, 2, &kind, channels, 2, &len), LEAD_OK);
    assert_int_equal(kind, LEAD_MARKOV_STATE_NULL);
    assert_int_equal(lead_markov_result_state(r, 5, &kind, channels, 2, &len), LEAD_OK);
    assert_int_equal(kind, LEAD_MARKOV_STATE_WINDOW);
    assert_int_equal(len, 1);
    assert_int_equal(channels[0], 2); /* "c" */
    assert_int_equal(lead_markov_result_state(r, 6, &kind, channels, 2, &len), LEAD_ENOTFOUND);

    static const struct {
        size_t from, to;
        double count, p;
    } want[] = {{0, 3, 6, 1},        {3, 4, 4, 2.0 / 3}, {3, 5, 2, 1.0 / 3}, {4, 1, 3, 0.75},
                {4, 2, 1, 0.25},     {5, 1, 1, 0.5},     {5, 2, 1, 0.5}};
    assert_int_equal(lead_markov_result_transition_count(r, &n), LEAD_OK);
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++) {
        size_t from = 99, to = 99;
        double count = -1, p = -1;
        assert_int_equal(lead_markov_result_transition(r, i, &from, &to, &count, &p), LEAD_OK);
        assert_int_equal(from, want[i].from);
        assert_int_equal(to, want[i].to);
        assert_near(count, want[i].count, EPS);
        assert_near(p, want[i].p, EPS);
    }
    assert_int_equal(lead_markov_result_transition(r, 7, NULL, NULL, NULL, NULL),
                     LEAD_ENOTFOUND);
    lead_markov_result_free(r);
    lead_journey_set_free(set);
}

static void google_ads_and_mailing(void **state)
{
    (void)state;
    static const path paths[] = {{"google ads", 2, 0, 0},
                                 {"mailing", 1, 0, 0},
                                 {"google ads > mailing", 1, 0, 0},
                                 {"google ads", 0, 0, 1}};
    lead_journey_set *set = set_of(paths, 4);
    lead_markov_result *r = solve(set, 1, 0);
    assert_near(p_conv(r), 0.8, EPS);
    expect_channel(r, "google ads", 0.75, 2.4, 0);
    expect_channel(r, "mailing", 0.5, 1.6, 0);
    lead_markov_result_free(r);
    lead_journey_set_free(set);
}

/* Loops, repeats and a path shorter than the order, so every rule of the
 * chain is exercised. */
static const path loopy[] = {{"a > b > a > c", 2, 5, 3}, {"b > b > c", 1, 1, 1},
                             {"c", 0, 0, 2},             {"a > a > a", 4, 2, 1},
                             {"b > a > b > a > b", 1, 1, 0}};

static void conversion_probability_is_the_conversion_rate(void **state)
{
    (void)state;
    lead_journey_set *set = set_of(loopy, 5);
    for (uint32_t order = 1; order <= 4; order++)
        for (uint32_t keep = 0; keep <= 1; keep++) {
            lead_markov_result *r = solve(set, order, keep);
            assert_near(p_conv(r), 8.0 / 15.0, EPS);
            /* Credits of a fractional model add up to the conversions. */
            double sum = 0, value = 0;
            for (size_t i = 0; i < 3; i++) {
                double c = 0, v = 0;
                assert_int_equal(lead_markov_result_channel(r, i, NULL, NULL, &c, &v), LEAD_OK);
                sum += c;
                value += v;
            }
            assert_near(sum, 8.0, EPS);
            assert_near(value, 9.0, EPS);
            lead_markov_result_free(r);
        }
    lead_journey_set_free(set);
}

static void self_transitions_kept_or_collapsed(void **state)
{
    (void)state;
    static const path paths[] = {{"a > a", 1, 0, 0}, {"a", 0, 0, 1}, {"a > b > b", 1, 0, 1}};
    lead_journey_set *set = set_of(paths, 3);
    /* Kept: a -> a 1 of 5, a -> conv 1, a -> null 1, a -> b 2; b -> b 2 of
     * 4, b -> conv 1, b -> null 1. x_b = (1/4)/(1 - 2/4) = 1/2, x_a = (1/5 +
     * 2/5 x_b)/(1 - 1/5) = 1/2; removing b leaves x_a = (1/5)/(4/5) = 1/4,
     * RE 1/2. */
    lead_markov_result *r = solve(set, 1, 1);
    assert_near(p_conv(r), 0.5, EPS);
    expect_channel(r, "a", 1.0, 4.0 / 3.0, 0);
    expect_channel(r, "b", 0.5, 2.0 / 3.0, 0);
    size_t n = 0;
    assert_int_equal(lead_markov_result_transition_count(r, &n), LEAD_OK);
    assert_int_equal(n, 8);
    lead_markov_result_free(r);
    /* Collapsed: no self edges; x_b = 1/2, x_a = (1 + 2 x_b)/4 = 1/2,
     * removing b: x_a = 1/4. Same effects, two edges fewer. */
    r = solve(set, 1, 0);
    assert_near(p_conv(r), 0.5, EPS);
    expect_channel(r, "b", 0.5, 2.0 / 3.0, 0);
    assert_int_equal(lead_markov_result_transition_count(r, &n), LEAD_OK);
    assert_int_equal(n, 6);
    lead_markov_result_free(r);
    lead_journey_set_free(set);
}

static void order_two_exact(void **state)
{
    (void)state;
    static const path paths[] = {{"a > b > c", 1, 7, 0}, {"a > b", 0, 0, 1}, {"b > c", 1, 7, 1}};
    lead_journey_set *set = set_of(paths, 3);
    lead_markov_result *r = solve(set, 2, 0);
    /* x(b,c) = 2/3, x(a,b) = 1/3, P = (2/3 + 4/3)/4 = 1/2; removing a
     * gives 1/3 (RE 1/3), b or c give 0 (RE 1). */
    assert_near(p_conv(r), 0.5, EPS);
    expect_channel(r, "a", 1.0 / 3.0, 2.0 / 7.0, 2.0);
    expect_channel(r, "b", 1.0, 6.0 / 7.0, 6.0);
    expect_channel(r, "c", 1.0, 6.0 / 7.0, 6.0);
    size_t n = 0;
    assert_int_equal(lead_markov_result_state_count(r, &n), LEAD_OK);
    assert_int_equal(n, 5);
    uint32_t kind, channels[2];
    size_t len = 0;
    assert_int_equal(lead_markov_result_state(r, 3, &kind, channels, 1, &len), LEAD_ELIMIT);
    assert_int_equal(len, 2);
    assert_int_equal(lead_markov_result_state(r, 3, &kind, channels, 2, &len), LEAD_OK);
    assert_true(channels[0] == 0 && channels[1] == 1); /* (a, b) */
    lead_markov_result_free(r);
    lead_journey_set_free(set);
}

static void order_three_with_a_short_path(void **state)
{
    (void)state;
    static const path paths[] = {{"a > b", 1, 0, 0}, {"a > b > c > d", 1, 0, 1}};
    lead_journey_set *set = set_of(paths, 2);
    lead_markov_result *r = solve(set, 3, 0);
    assert_near(p_conv(r), 2.0 / 3.0, EPS);
    expect_channel(r, "a", 1.0, 2.0 / 3.0, 0);
    expect_channel(r, "b", 1.0, 2.0 / 3.0, 0);
    expect_channel(r, "c", 0.5, 1.0 / 3.0, 0);
    expect_channel(r, "d", 0.5, 1.0 / 3.0, 0);
    size_t n = 0;
    assert_int_equal(lead_markov_result_state_count(r, &n), LEAD_OK);
    assert_int_equal(n, 6); /* start, conv, null, (a b), (a b c), (b c d) */
    lead_markov_result_free(r);
    lead_journey_set_free(set);
}

static void empty_and_one_channel(void **state)
{
    (void)state;
    lead_journey_set *set = set_of(NULL, 0);
    lead_markov_result *r = solve(set, 1, 0);
    size_t n = 9;
    assert_near(p_conv(r), 0.0, 0);
    assert_int_equal(lead_markov_result_channel_count(r, &n), LEAD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lead_markov_result_transition_count(r, &n), LEAD_OK);
    assert_int_equal(n, 0);
    lead_markov_result_free(r);
    lead_journey_set_free(set);

    static const path one[] = {{"a", 3, 12, 1}, {"a > a", 0, 0, 0}};
    set = set_of(one, 2);
    r = solve(set, 2, 0);
    assert_near(p_conv(r), 0.75, EPS);
    expect_channel(r, "a", 1.0, 3.0, 12.0);
    lead_markov_result_free(r);
    lead_journey_set_free(set);

    /* Only nulls: nothing converts, so nothing is credited. */
    static const path none[] = {{"a > b", 0, 0, 4}};
    set = set_of(none, 1);
    r = solve(set, 1, 0);
    assert_near(p_conv(r), 0.0, 0);
    expect_channel(r, "a", 0.0, 0.0, 0.0);
    lead_markov_result_free(r);
    lead_journey_set_free(set);
}

/* Order 1 is solved by LU and the first-passage identity, higher orders
 * by Gauss-Seidel; on the same chain the two agree. */
static void direct_and_iterative_agree(void **state)
{
    (void)state;
    static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g"};
    lead_journey_set *set = set_of(loopy, 5);
    uint32_t seed = 3;
    for (int j = 0; j < 400; j++) {
        assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
        seed = seed * 1103515245u + 12345u;
        for (uint32_t t = 0, n = 1 + (seed >> 16) % 6; t < n; t++) {
            seed = seed * 1103515245u + 12345u;
            assert_int_equal(lead_journey_set_add_touch(set, names[(seed >> 16) % 7], NULL,
                                                        LEAD_TIME_UNKNOWN, 0),
                             LEAD_OK);
        }
        assert_int_equal(lead_journey_set_end(set, (seed >> 20) % 3, 1, (seed >> 24) % 3,
                                              LEAD_TIME_UNKNOWN),
                         LEAD_OK);
    }
    for (uint32_t keep = 0; keep <= 1; keep++) {
        lead_markov_options opts = LEAD_MARKOV_OPTIONS_INIT;
        opts.keep_repeats = keep;
        lead_markov_counts *counts = NULL;
        assert_int_equal(lead_markov_counts_new(&counts, set, &opts, NULL), LEAD_OK);
        lead_markov_result *direct = NULL, *iterative = NULL;
        assert_int_equal(lead__markov_solve_with(&direct, counts, 1), LEAD_OK);
        assert_int_equal(lead__markov_solve_with(&iterative, counts, 0), LEAD_OK);
        for (size_t i = 0; i < 7; i++) {
            double re_d = -1, re_i = -2;
            assert_int_equal(lead_markov_result_channel(direct, i, NULL, &re_d, NULL, NULL),
                             LEAD_OK);
            assert_int_equal(lead_markov_result_channel(iterative, i, NULL, &re_i, NULL, NULL),
                             LEAD_OK);
            assert_true(re_d > 0.01 && re_d < 1);
            assert_near(re_d, re_i, 1e-12);
        }
        lead_markov_result_free(direct);
        lead_markov_result_free(iterative);
        lead_markov_counts_free(counts);
    }
    lead_journey_set_free(set);
}

/* One journey a > b > a > b ... of 2L touches, 1 conversion, no nulls. By
 * hand: start -> a 1, a -> b 1, b -> a (L-1)/L, b -> conversion 1/L; nothing
 * reaches null, so P(conversion) = 1; removing a or b leaves 0, so RE_a =
 * RE_b = 1 and each gets 1/2 conversion. The loop returns with
 * probability 1 - 1/L, which an iteration cannot see from its step size. */
static lead_journey_set *alternating(long L)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    for (long i = 0; i < L; i++) {
        assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, LEAD_TIME_UNKNOWN, 0), LEAD_OK);
        assert_int_equal(lead_journey_set_add_touch(set, "b", NULL, LEAD_TIME_UNKNOWN, 0), LEAD_OK);
    }
    assert_int_equal(lead_journey_set_end(set, 1, 0, 0, LEAD_TIME_UNKNOWN), LEAD_OK);
    return set;
}

static void long_loop_solved_exactly(void **state)
{
    (void)state;
    static const long lengths[] = {10, 10000, 30000};
    for (size_t k = 0; k < 3; k++) {
        lead_journey_set *set = alternating(lengths[k]);
        lead_markov_result *r = solve(set, 1, 0);
        assert_near(p_conv(r), 1.0, EPS);
        expect_channel(r, "a", 1.0, 0.5, 0.0);
        expect_channel(r, "b", 1.0, 0.5, 0.0);
        lead_markov_result_free(r);

        lead_attribution_model *model = NULL;
        assert_int_equal(lead_attribution_model_new(&model, LEAD_ATTRIBUTION_MARKOV, NULL),
                         LEAD_OK);
        lead_attribution_result *ar = NULL;
        assert_int_equal(lead_attribution_run(&ar, model, set), LEAD_OK);
        double conv = -1;
        assert_int_equal(lead_attribution_result_channel_by_name(ar, "a", &conv, NULL), LEAD_OK);
        assert_near(conv, 0.5, EPS);
        assert_int_equal(lead_attribution_result_channel_by_name(ar, "b", &conv, NULL), LEAD_OK);
        assert_near(conv, 0.5, EPS);
        lead_attribution_result_free(ar);
        lead_attribution_model_free(model);
        lead_journey_set_free(set);
    }
}

/* The iterative path on the same chain: Gauss-Seidel contracts by (L-1)/L
 * per sweep. L = 10 converges (error estimate step * 9); L = 10000 cannot
 * bring its error estimate under the tolerance and must say so rather than
 * return P(conversion) off by about 1e-9. Order 2 at L = 10 (windows (a,b)
 * and (b,a), the same loop) goes through the iteration as well. */
static void iteration_reports_slow_loops(void **state)
{
    (void)state;
    lead_journey_set *set = alternating(10);
    lead_markov_counts *counts = NULL;
    assert_int_equal(lead_markov_counts_new(&counts, set, NULL, NULL), LEAD_OK);
    lead_markov_result *r = NULL;
    assert_int_equal(lead__markov_solve_with(&r, counts, 0), LEAD_OK);
    assert_near(p_conv(r), 1.0, EPS);
    expect_channel(r, "a", 1.0, 0.5, 0.0);
    lead_markov_result_free(r);
    lead_markov_counts_free(counts);
    r = solve(set, 2, 0);
    assert_near(p_conv(r), 1.0, EPS);
    expect_channel(r, "b", 1.0, 0.5, 0.0);
    lead_markov_result_free(r);
    lead_journey_set_free(set);

    set = alternating(10000);
    assert_int_equal(lead_markov_counts_new(&counts, set, NULL, NULL), LEAD_OK);
    r = NULL;
    assert_int_equal(lead__markov_solve_with(&r, counts, 0), LEAD_ENUMERIC);
    assert_null(r);
    lead_markov_counts_free(counts);
    lead_journey_set_free(set);
}

static void credit_by_set_channel_id(void **state)
{
    (void)state;
    lead_journey_set *set = set_of(two_branches, 2);
    lead__mem mem;
    assert_int_equal(lead__mem_init(&mem, NULL), LEAD_OK);
    double conv[3], value[3];
    assert_int_equal(lead__markov_credit(&mem, set, 1, 0, conv, value), LEAD_OK);
    /* Set ids: a 0, b 1, c 2. */
    assert_near(conv[0], 2.0, EPS);
    assert_near(conv[1], 1.5, EPS);
    assert_near(conv[2], 0.5, EPS);
    assert_near(value[2], 5.0, EPS);
    assert_int_equal(lead__markov_credit(&mem, set, 0, 0, conv, value), LEAD_EINVAL);
    lead_journey_set_free(set);
}

static void the_attribution_model_kind(void **state)
{
    (void)state;
    static const path paths[] = {{"a > b > c", 1, 7, 0}, {"a > b", 0, 0, 1}, {"b > c", 1, 7, 1}};
    lead_journey_set *set = set_of(paths, 3);
    lead_attribution_model *model = NULL;
    assert_int_equal(lead_attribution_model_new(&model, LEAD_ATTRIBUTION_MARKOV, NULL), LEAD_OK);
    lead_attribution_result *r = NULL;
    /* Order 1 (the default) credits all conversions; order 2 as worked in
     * order_two_exact. */
    assert_int_equal(lead_attribution_run(&r, model, set), LEAD_OK);
    double conv = 0, value = 0, sum = 0;
    for (uint32_t i = 0; i < 3; i++) {
        assert_int_equal(lead_attribution_result_channel(r, i, NULL, &conv, NULL), LEAD_OK);
        sum += conv;
    }
    assert_near(sum, 2.0, EPS);
    lead_attribution_result_free(r);

    assert_int_equal(lead_attribution_model_set_order(model, 2), LEAD_OK);
    assert_int_equal(lead_attribution_run(&r, model, set), LEAD_OK);
    assert_int_equal(lead_attribution_result_channel_by_name(r, "a", &conv, &value), LEAD_OK);
    assert_near(conv, 2.0 / 7.0, EPS);
    assert_near(value, 2.0, EPS);
    assert_int_equal(lead_attribution_result_channel_by_name(r, "c", &conv, &value), LEAD_OK);
    assert_near(conv, 6.0 / 7.0, EPS);
    double touch[3];
    size_t n = 0;
    assert_int_equal(lead_attribution_result_touch_credit(r, set, 0, touch, NULL, 3, &n),
                     LEAD_EINVAL);
    lead_attribution_result_free(r);

    assert_int_equal(lead_attribution_model_set_order(model, LEAD_MARKOV_MAX_ORDER + 1), LEAD_OK);
    assert_int_equal(lead_attribution_run(&r, model, set), LEAD_EINVAL);
    assert_string_equal(lead_attribution_model_errmsg(model), "Markov order 9 is above 8");
    lead_attribution_model_free(model);
    lead_journey_set_free(set);
}

static void bad_arguments(void **state)
{
    (void)state;
    lead_journey_set *set = set_of(two_branches, 2);
    lead_markov_counts *counts = NULL;
    lead_markov_options opts = LEAD_MARKOV_OPTIONS_INIT;
    assert_int_equal(lead_markov_counts_new(NULL, set, NULL, NULL), LEAD_EINVAL);
    assert_int_equal(lead_markov_counts_new(&counts, NULL, NULL, NULL), LEAD_EINVAL);
    opts.order = 0;
    assert_int_equal(lead_markov_counts_new(&counts, set, &opts, NULL), LEAD_EINVAL);
    opts.order = LEAD_MARKOV_MAX_ORDER + 1;
    assert_int_equal(lead_markov_counts_new(&counts, set, &opts, NULL), LEAD_EINVAL);
    opts.order = 1;
    opts.version = 2;
    assert_int_equal(lead_markov_counts_new(&counts, set, &opts, NULL), LEAD_EVERSION);
    assert_null(counts);
    lead_markov_result *r = NULL;
    assert_int_equal(lead_markov_solve(&r, NULL), LEAD_EINVAL);
    assert_int_equal(lead_markov_result_conversion_probability(NULL, NULL), LEAD_EINVAL);
    assert_int_equal(lead_markov_options_init(NULL, sizeof(lead_markov_options)), LEAD_EINVAL);
    lead_markov_counts_free(NULL);
    lead_markov_result_free(NULL);
    lead_journey_set_free(set);
}

static int solve_scenario(const lead_allocator *alloc, void *ctx)
{
    const lead_journey_set *set = ctx;
    lead_markov_options opts = LEAD_MARKOV_OPTIONS_INIT;
    opts.order = 2;
    lead_markov_counts *counts = NULL;
    lead_markov_result *r = NULL;
    int rc = lead_markov_counts_new(&counts, set, &opts, alloc);
    if (rc == LEAD_OK)
        rc = lead_markov_solve(&r, counts);
    if (rc == LEAD_OK) {
        double p = 0;
        lead_markov_result_conversion_probability(r, &p);
        rc = fabs(p - 8.0 / 15.0) < EPS ? LEAD_OK : LEAD_ENUMERIC;
    }
    lead_markov_result_free(r);
    lead_markov_counts_free(counts);
    return rc;
}

static int credit_scenario(const lead_allocator *alloc, void *ctx)
{
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    double conv[3], value[3];
    if (rc == LEAD_OK)
        rc = lead__markov_credit(&mem, ctx, 1, 1, conv, value);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    lead_journey_set *set = set_of(loopy, 5);
    assert_true(lt_alloc_sweep(solve_scenario, set, LEAD_OK) > 10);
    assert_true(lt_alloc_sweep(credit_scenario, set, LEAD_OK) > 10);
    lead_journey_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_branches_exact),
        cmocka_unit_test(two_branches_transitions),
        cmocka_unit_test(google_ads_and_mailing),
        cmocka_unit_test(conversion_probability_is_the_conversion_rate),
        cmocka_unit_test(self_transitions_kept_or_collapsed),
        cmocka_unit_test(order_two_exact),
        cmocka_unit_test(order_three_with_a_short_path),
        cmocka_unit_test(empty_and_one_channel),
        cmocka_unit_test(direct_and_iterative_agree),
        cmocka_unit_test(long_loop_solved_exactly),
        cmocka_unit_test(iteration_reports_slow_loops),
        cmocka_unit_test(credit_by_set_channel_id),
        cmocka_unit_test(the_attribution_model_kind),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
