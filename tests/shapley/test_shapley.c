/* Shapley values of the subset game, per channel, per touch and per
 * position, against values worked by hand (and one by brute force over all
 * coalitions). */
#include "lead_test.h"

#include "../markov/markov_paths.h"
#include "markov.h"

#include <math.h>

static lead_journey_set *new_set(void)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    return set;
}

static lead_attribution_result *run(const lead_journey_set *set, uint32_t kind)
{
    lead_attribution_model *model = NULL;
    assert_int_equal(lead_attribution_model_new(&model, kind, NULL), LEAD_OK);
    lead_attribution_result *r = NULL;
    assert_int_equal(lead_attribution_run(&r, model, set), LEAD_OK);
    lead_attribution_model_free(model);
    return r;
}

/* Channel credits of both kinds and of the one-pass function, which must
 * agree. */
static void credit(const lead_journey_set *set, double *conv, double *value)
{
    double one_pass_conv[8], one_pass_value[8];
    lead__mem mem;
    assert_int_equal(lead__mem_init(&mem, NULL), LEAD_OK);
    assert_int_equal(lead__shapley_credit(&mem, set, one_pass_conv, one_pass_value), LEAD_OK);
    lead_attribution_result *plain = run(set, LEAD_ATTRIBUTION_SHAPLEY);
    lead_attribution_result *ordered = run(set, LEAD_ATTRIBUTION_SHAPLEY_ORDERED);
    size_t n = 0;
    assert_int_equal(lead_attribution_result_channel_count(plain, &n), LEAD_OK);
    for (uint32_t i = 0; i < n; i++) {
        double c2 = -1, v2 = -1;
        assert_int_equal(lead_attribution_result_channel(plain, i, NULL, &conv[i], &value[i]),
                         LEAD_OK);
        assert_int_equal(lead_attribution_result_channel(ordered, i, NULL, &c2, &v2), LEAD_OK);
        assert_true(c2 == conv[i] && v2 == value[i]);
        assert_true(fabs(one_pass_conv[i] - conv[i]) < 1e-12);
        assert_true(fabs(one_pass_value[i] - value[i]) < 1e-12);
    }
    lead_attribution_result_free(plain);
    lead_attribution_result_free(ordered);
}

static void two_journeys(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    assert_int_equal(lt_add_path(set, "a", 4, 40, 0), LEAD_OK);
    assert_int_equal(lt_add_path(set, "a > b", 6, 90, 3), LEAD_OK);
    double conv[2], value[2];
    credit(set, conv, value);
    assert_true(conv[0] == 7.0 && conv[1] == 3.0);
    assert_true(value[0] == 85.0 && value[1] == 45.0);
    lead_journey_set_free(set);
}

/* v(S) for S a bit mask over channel ids: conversions of journeys whose
 * channels all lie in S. */
static double game(const lead_journey_set *set, unsigned s)
{
    double v = 0;
    size_t n = 0;
    lead_journey_set_count(set, &n);
    for (size_t j = 0; j < n; j++) {
        size_t touches = 0;
        double conv = 0;
        lead_journey_set_journey(set, j, &touches, &conv, NULL, NULL, NULL);
        int inside = 1;
        for (size_t t = 0; t < touches; t++) {
            uint32_t ch;
            lead_journey_set_touch(set, j, t, &ch, NULL, NULL, NULL);
            inside = inside && ((s >> ch) & 1u) != 0;
        }
        v += inside ? conv : 0;
    }
    return v;
}

static void matches_the_definition(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    assert_int_equal(lt_add_path(set, "a > b > a", 6, 0, 1), LEAD_OK);
    assert_int_equal(lt_add_path(set, "c > b", 3, 0, 0), LEAD_OK);
    assert_int_equal(lt_add_path(set, "c", 2, 0, 4), LEAD_OK);
    assert_int_equal(lt_add_path(set, "d > c > a > d", 8, 0, 0), LEAD_OK);
    double conv[4], value[4];
    credit(set, conv, value);
    /* Shapley's formula over all 2^4 coalitions. */
    const unsigned n = 4;
    double fact[5] = {1, 1, 2, 6, 24};
    for (unsigned i = 0; i < n; i++) {
        double phi = 0;
        for (unsigned s = 0; s < (1u << n); s++) {
            if (s & (1u << i))
                continue;
            unsigned size = (unsigned)__builtin_popcount(s);
            phi += fact[size] * fact[n - size - 1] / fact[n] *
                   (game(set, s | (1u << i)) - game(set, s));
        }
        assert_true(fabs(conv[i] - phi) < 1e-12);
    }
    /* By hand: a 3 + 8/3, b 3 + 1.5, c 1.5 + 2 + 8/3, d 8/3. */
    assert_true(fabs(conv[0] - (3 + 8.0 / 3)) < 1e-12);
    assert_true(fabs(conv[3] - 8.0 / 3) < 1e-12);
    lead_journey_set_free(set);
}

static void touches_and_positions(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    assert_int_equal(lt_add_path(set, "a", 4, 8, 0), LEAD_OK);
    assert_int_equal(lt_add_path(set, "a > b > a", 6, 12, 0), LEAD_OK);
    assert_int_equal(lt_add_path(set, "b > a", 2, 0, 0), LEAD_OK);
    double conv[3], value[3];
    size_t count = 0;
    lead_attribution_result *r = run(set, LEAD_ATTRIBUTION_SHAPLEY_ORDERED);
    assert_int_equal(lead_attribution_result_touch_credit(r, set, 1, conv, value, 3, &count),
                     LEAD_OK);
    assert_int_equal(count, 3);
    lead_attribution_result_free(r);
    /* a's half split over its two touches. */
    assert_true(conv[0] == 1.5 && conv[1] == 3.0 && conv[2] == 1.5);
    assert_true(value[0] == 3.0 && value[1] == 6.0 && value[2] == 3.0);

    size_t positions = 0;
    double by_pos[3] = {-1, -1, -1}, val_pos[3];
    assert_int_equal(lead_shapley_position_credit(set, 0, by_pos, val_pos, 2, &positions),
                     LEAD_ELIMIT);
    assert_int_equal(positions, 3);
    assert_true(by_pos[0] == -1);
    assert_int_equal(lead_shapley_position_credit(set, 0, by_pos, val_pos, 3, &positions),
                     LEAD_OK);
    /* a: first touch 4 + 1.5, second 1 (of "b > a"), third 1.5. */
    assert_true(by_pos[0] == 5.5 && by_pos[1] == 1.0 && by_pos[2] == 1.5);
    assert_true(val_pos[0] == 11.0 && val_pos[1] == 0.0 && val_pos[2] == 3.0);
    assert_int_equal(lead_shapley_position_credit(set, 1, by_pos, NULL, 3, &positions), LEAD_OK);
    assert_true(by_pos[0] == 1.0 && by_pos[1] == 3.0 && by_pos[2] == 0.0);
    assert_int_equal(lead_shapley_position_credit(set, 2, by_pos, NULL, 3, &positions),
                     LEAD_ENOTFOUND);
    assert_int_equal(lead_shapley_position_credit(NULL, 0, by_pos, NULL, 3, &positions),
                     LEAD_EINVAL);
    lead_journey_set_free(set);
}

static void empty_set(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    double conv[1], value[1];
    credit(set, conv, value);
    size_t positions = 9;
    assert_int_equal(lead_shapley_position_credit(set, 0, NULL, NULL, 0, &positions),
                     LEAD_ENOTFOUND);
    lead_journey_set_free(set);
}

static int sweep_scenario(const lead_allocator *alloc, void *ctx)
{
    lead_attribution_model *model = NULL;
    lead_attribution_result *r = NULL;
    int rc = lead_attribution_model_new(&model, LEAD_ATTRIBUTION_SHAPLEY, alloc);
    if (rc == LEAD_OK)
        rc = lead_attribution_run(&r, model, ctx);
    double conv = 0;
    if (rc == LEAD_OK)
        rc = lead_attribution_result_channel(r, 1, NULL, &conv, NULL);
    if (rc == LEAD_OK && conv != 0.5)
        rc = LEAD_ENUMERIC;
    lead_attribution_result_free(r);
    lead_attribution_model_free(model);
    return rc;
}

static int one_pass_scenario(const lead_allocator *alloc, void *ctx)
{
    lead__mem mem;
    double conv[2], value[2];
    int rc = lead__mem_init(&mem, alloc);
    if (rc == LEAD_OK)
        rc = lead__shapley_credit(&mem, ctx, conv, value);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    assert_int_equal(lt_add_path(set, "a > b", 1, 1, 0), LEAD_OK);
    assert_true(lt_alloc_sweep(sweep_scenario, set, LEAD_OK) > 3);
    assert_int_equal(lt_alloc_sweep(one_pass_scenario, set, LEAD_OK), 1);
    lead_journey_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_journeys),
        cmocka_unit_test(matches_the_definition),
        cmocka_unit_test(touches_and_positions),
        cmocka_unit_test(empty_set),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
