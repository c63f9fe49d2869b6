/* Markov counts as bytes: partitions merged in any order solve exactly like
 * the whole; damaged bytes are refused; order selection. */
#include "lead_test.h"

#include "crc32c.h"
#include "markov.h"
#include "markov_paths.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const channels[] = {"search", "email", "social", "direct", "display"};

/* A deterministic mix of journeys over five channels, integer outcomes so
 * that sums are exact in any order. */
static void add_journey(lead_journey_set *set, uint32_t *seed)
{
    char path[256] = "";
    *seed = *seed * 1103515245u + 12345u;
    size_t len = 1 + (*seed >> 16) % 5;
    for (size_t i = 0; i < len; i++) {
        *seed = *seed * 1103515245u + 12345u;
        if (i)
            strcat(path, " > ");
        strcat(path, channels[(*seed >> 16) % 5]);
    }
    *seed = *seed * 1103515245u + 12345u;
    double conv = (double)((*seed >> 16) % 3), nulls = (double)((*seed >> 20) % 4);
    assert_int_equal(lt_add_path(set, path, conv, 10 * conv, nulls), LEAD_OK);
}

static lead_journey_set *new_set(void)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    return set;
}

static uint8_t *export_counts(const lead_markov_counts *counts, size_t *len)
{
    assert_int_equal(lead_markov_counts_export(counts, NULL, 0, len), LEAD_ELIMIT);
    uint8_t *bytes = malloc(*len);
    assert_non_null(bytes);
    size_t again = 0;
    assert_int_equal(lead_markov_counts_export(counts, bytes, *len - 1, &again), LEAD_ELIMIT);
    assert_int_equal(lead_markov_counts_export(counts, bytes, *len, &again), LEAD_OK);
    assert_int_equal(again, *len);
    return bytes;
}

static void expect_same_result(const lead_markov_result *a, const lead_markov_result *b)
{
    double pa = 0, pb = 1;
    lead_markov_result_conversion_probability(a, &pa);
    lead_markov_result_conversion_probability(b, &pb);
    assert_true(pa == pb);
    size_t na = 0, nb = 1;
    lead_markov_result_channel_count(a, &na);
    lead_markov_result_channel_count(b, &nb);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        const char *name_a, *name_b;
        double re_a, re_b, c_a, c_b, v_a, v_b;
        lead_markov_result_channel(a, i, &name_a, &re_a, &c_a, &v_a);
        lead_markov_result_channel(b, i, &name_b, &re_b, &c_b, &v_b);
        assert_string_equal(name_a, name_b);
        assert_true(re_a == re_b && c_a == c_b && v_a == v_b);
    }
    lead_markov_result_transition_count(a, &na);
    lead_markov_result_transition_count(b, &nb);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        size_t fa, ta, fb, tb;
        double ca, cb;
        lead_markov_result_transition(a, i, &fa, &ta, &ca, NULL);
        lead_markov_result_transition(b, i, &fb, &tb, &cb, NULL);
        assert_true(fa == fb && ta == tb && ca == cb);
    }
}

static void partitions_merge_to_the_whole(void **state)
{
    (void)state;
    for (uint32_t order = 1; order <= 3; order++) {
        lead_markov_options opts = LEAD_MARKOV_OPTIONS_INIT;
        opts.order = order;
        lead_journey_set *whole = new_set(), *part[3] = {new_set(), new_set(), new_set()};
        uint32_t seed = 7, seed_part = 7;
        for (int j = 0; j < 300; j++) {
            add_journey(whole, &seed);
            add_journey(part[(j * 7) % 3], &seed_part);
        }
        lead_markov_counts *counts = NULL, *pc[3];
        assert_int_equal(lead_markov_counts_new(&counts, whole, &opts, NULL), LEAD_OK);
        lead_markov_result *expected = NULL;
        assert_int_equal(lead_markov_solve(&expected, counts), LEAD_OK);

        /* Each partition travels as bytes. */
        for (int p = 0; p < 3; p++) {
            lead_markov_counts *local = NULL;
            assert_int_equal(lead_markov_counts_new(&local, part[p], &opts, NULL), LEAD_OK);
            size_t len = 0;
            uint8_t *bytes = export_counts(local, &len);
            assert_int_equal(lead_markov_counts_import(&pc[p], bytes, len, NULL), LEAD_OK);
            free(bytes);
            lead_markov_counts_free(local);
        }
        /* (p2 + p0) + p1 and p1 + (p0 + p2). */
        static const int orders[2][3] = {{2, 0, 1}, {1, 0, 2}};
        for (int o = 0; o < 2; o++) {
            lead_markov_counts *acc = NULL, *tail = NULL;
            size_t len = 0;
            uint8_t *bytes = export_counts(pc[orders[o][0]], &len);
            assert_int_equal(lead_markov_counts_import(&acc, bytes, len, NULL), LEAD_OK);
            free(bytes);
            bytes = export_counts(pc[orders[o][1]], &len);
            assert_int_equal(lead_markov_counts_import(&tail, bytes, len, NULL), LEAD_OK);
            free(bytes);
            if (o == 0) {
                assert_int_equal(lead_markov_counts_merge(acc, tail), LEAD_OK);
                assert_int_equal(lead_markov_counts_merge(acc, pc[orders[o][2]]), LEAD_OK);
            } else {
                assert_int_equal(lead_markov_counts_merge(tail, pc[orders[o][2]]), LEAD_OK);
                assert_int_equal(lead_markov_counts_merge(acc, tail), LEAD_OK);
            }
            lead_markov_result *merged = NULL;
            assert_int_equal(lead_markov_solve(&merged, acc), LEAD_OK);
            expect_same_result(expected, merged);
            double conv = 0, value = 0, nulls = 0, want_c, want_v, want_n;
            lead_markov_result_totals(merged, &conv, &value, &nulls);
            lead_markov_result_totals(expected, &want_c, &want_v, &want_n);
            assert_true(conv == want_c && value == want_v && nulls == want_n);
            lead_markov_result_free(merged);
            lead_markov_counts_free(acc);
            lead_markov_counts_free(tail);
        }
        for (int p = 0; p < 3; p++) {
            lead_markov_counts_free(pc[p]);
            lead_journey_set_free(part[p]);
        }
        lead_markov_result_free(expected);
        lead_markov_counts_free(counts);
        lead_journey_set_free(whole);
    }
}

static void merge_refuses_mismatched_options(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    uint32_t seed = 1;
    add_journey(set, &seed);
    lead_markov_options o1 = LEAD_MARKOV_OPTIONS_INIT, o2 = LEAD_MARKOV_OPTIONS_INIT;
    o2.order = 2;
    lead_markov_counts *a = NULL, *b = NULL;
    assert_int_equal(lead_markov_counts_new(&a, set, &o1, NULL), LEAD_OK);
    assert_int_equal(lead_markov_counts_new(&b, set, &o2, NULL), LEAD_OK);
    assert_int_equal(lead_markov_counts_merge(a, b), LEAD_EINVAL);
    assert_int_equal(lead_markov_counts_merge(a, a), LEAD_EINVAL);
    assert_int_equal(lead_markov_counts_merge(NULL, a), LEAD_EINVAL);
    lead_markov_counts_free(a);
    lead_markov_counts_free(b);
    lead_journey_set_free(set);
}

static void reseal(uint8_t *bytes, size_t len)
{
    uint32_t crc = lead__crc32c(0, bytes, len - 4);
    for (int i = 0; i < 4; i++)
        bytes[len - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
}

static void damaged_bytes_are_refused(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    assert_int_equal(lt_add_path(set, "a > b", 3, 30, 1), LEAD_OK);
    assert_int_equal(lt_add_path(set, "a > c", 1, 10, 1), LEAD_OK);
    lead_markov_counts *counts = NULL, *back = NULL;
    assert_int_equal(lead_markov_counts_new(&counts, set, NULL, NULL), LEAD_OK);
    size_t len = 0;
    uint8_t *bytes = export_counts(counts, &len);
    /* 32 header + 4 + 3 names of 2 + 4 + 3 windows of 5 + 4 + 7 edges of
     * 16 + 4 checksum: names at 36, windows at 46, edges at 65 in order of
     * first sight (0->3, 3->4, 4->1, 4->2, 3->5, 5->1, 5->2). */
    assert_int_equal(len, 32 + 4 + 6 + 4 + 15 + 4 + 112 + 4);
    assert_memory_equal(bytes, "LDMK\x01\x01\x00\x00", 8);

    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            bytes[i] ^= (uint8_t)(1u << bit);
            assert_int_equal(lead_markov_counts_import(&back, bytes, len, NULL), LEAD_ECORRUPT);
            assert_null(back);
            bytes[i] ^= (uint8_t)(1u << bit);
        }
    for (size_t cut = 0; cut < len; cut++)
        assert_int_equal(lead_markov_counts_import(&back, bytes, cut, NULL), LEAD_ECORRUPT);

    /* Damage that a checksum cannot see: the checksum is recomputed. */
    struct {
        size_t at;
        uint8_t to;
        int want;
    } edits[] = {
        {4, 2, LEAD_EVERSION}, {4, 0, LEAD_ECORRUPT},          /* format */
        {5, 0, LEAD_ECORRUPT}, {5, 9, LEAD_ECORRUPT},          /* order */
        {6, 2, LEAD_ECORRUPT}, {7, 1, LEAD_ECORRUPT},          /* repeats, reserved */
        {15, 0xFF, LEAD_ECORRUPT},                            /* conversions NaN */
        {32, 4, LEAD_ECORRUPT},                               /* more names than bytes */
        {37, 'b', LEAD_ECORRUPT},                             /* name "a" -> "b" twice */
        {36, 0, LEAD_ECORRUPT},                               /* empty name */
        {46, 2, LEAD_ECORRUPT},                               /* window longer than order */
        {47, 7, LEAD_ECORRUPT},                               /* unknown channel */
        {47, 1, LEAD_ECORRUPT},                               /* window (b) twice */
        {65, 1, LEAD_ECORRUPT},                               /* edge from conversion */
        {69, 0, LEAD_ECORRUPT},                               /* edge to start */
        {69, 9, LEAD_ECORRUPT},                               /* edge to no state */
        {117, 1, LEAD_ECORRUPT},                              /* edge (4 -> 1) twice */
        {80, 0xC0, LEAD_ECORRUPT},                            /* weight 6 -> -6 */
    };
    for (size_t e = 0; e < sizeof edits / sizeof edits[0]; e++) {
        uint8_t *copy = malloc(len);
        memcpy(copy, bytes, len);
        copy[edits[e].at] = edits[e].to;
        reseal(copy, len);
        assert_int_equal(lead_markov_counts_import(&back, copy, len, NULL), edits[e].want);
        free(copy);
    }
    /* Trailing bytes. */
    uint8_t *longer = calloc(1, len + 1);
    memcpy(longer, bytes, len - 4);
    reseal(longer, len + 1);
    assert_int_equal(lead_markov_counts_import(&back, longer, len + 1, NULL), LEAD_ECORRUPT);
    free(longer);

    assert_int_equal(lead_markov_counts_import(&back, bytes, len, NULL), LEAD_OK);
    lead_markov_result *r = NULL;
    assert_int_equal(lead_markov_solve(&r, back), LEAD_OK);
    double re = 0;
    assert_int_equal(lead_markov_result_channel_by_name(r, "b", &re, NULL, NULL), LEAD_OK);
    assert_true(fabs(re - 0.75) < 1e-12);
    lead_markov_counts_free(back);
    assert_int_equal(lead_markov_counts_import(NULL, bytes, len, NULL), LEAD_EINVAL);
    assert_int_equal(lead_markov_counts_import(&back, NULL, len, NULL), LEAD_EINVAL);
    assert_int_equal(lead_markov_counts_export(counts, NULL, 5, &len), LEAD_EINVAL);
    assert_null(back);
    lead_markov_result_free(r);
    lead_markov_counts_free(counts);
    free(bytes);
    lead_journey_set_free(set);
}

/* Conversion depends on the touch before the last: only order 2 sees it. */
static lead_journey_set *second_order_data(void)
{
    lead_journey_set *set = new_set();
    for (int i = 0; i < 100; i++) {
        assert_int_equal(lt_add_path(set, "a > c", 1, 0, 0), LEAD_OK);
        assert_int_equal(lt_add_path(set, "b > c", 0, 0, 1), LEAD_OK);
    }
    return set;
}

static void order_selection_prefers_the_order_that_predicts(void **state)
{
    (void)state;
    lead_journey_set *set = second_order_data();
    uint32_t order = 0;
    double heldout[3], train[3];
    assert_int_equal(lead_markov_select_order(&order, heldout, train, set, 3, NULL, NULL),
                     LEAD_OK);
    assert_int_equal(order, 2);
    assert_true(heldout[1] > heldout[0]);
    /* Paths are no longer than 2, so order 3 has the same chain: a tie,
     * which goes to the lower order. */
    assert_true(heldout[2] == heldout[1]);
    assert_true(train[1] > train[0]);
    /* Journey j is held out when splitmix64's finaliser of j is 0 mod 5;
     * even j are "a > c", odd "b > c". With add-one smoothing over V = 5
     * next states, n_a, n_b training and h_a, h_b held-out journeys: */
    double na = 0, nb = 0, ha = 0, hb = 0;
    for (uint64_t j = 0; j < 200; j++) {
        uint64_t x = j + UINT64_C(0x9E3779B97F4A7C15);
        x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
        x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
        x ^= x >> 31;
        int held = x % 5 == 0, is_a = j % 2 == 0;
        na += !held && is_a;
        nb += !held && !is_a;
        ha += held && is_a;
        hb += held && !is_a;
    }
    double n = na + nb;
    double first = ha * log((na + 1) / (n + 5)) + hb * log((nb + 1) / (n + 5));
    double last = ha * log((na + 1) / (na + 5)) + hb * log((nb + 1) / (nb + 5));
    /* Order 2: start -> (a c) or (b c), then conversion or null, fully
     * determined. Order 1: start -> a or b, then c, then c's mixed exit. */
    double want2 = (first + last) / (2 * (ha + hb));
    double want1 = (first + last + ha * log((na + 1) / (n + 5)) + hb * log((nb + 1) / (n + 5))) /
                   (3 * (ha + hb));
    assert_true(fabs(heldout[1] - want2) < 1e-12);
    assert_true(fabs(heldout[0] - want1) < 1e-12);
    assert_int_equal(lead_markov_select_order(&order, NULL, NULL, set, 0, NULL, NULL),
                     LEAD_EINVAL);
    assert_int_equal(
        lead_markov_select_order(&order, NULL, NULL, set, LEAD_MARKOV_MAX_ORDER + 1, NULL, NULL),
        LEAD_EINVAL);
    lead_journey_set_free(set);
    set = new_set();
    assert_int_equal(lead_markov_select_order(&order, NULL, NULL, set, 2, NULL, NULL),
                     LEAD_EINVAL);
    lead_journey_set_free(set);
}

static int scaleout_scenario(const lead_allocator *alloc, void *ctx)
{
    const lead_journey_set *set = ctx;
    lead_markov_counts *a = NULL, *b = NULL;
    uint8_t *bytes = NULL;
    size_t len = 0;
    int rc = lead_markov_counts_new(&a, set, NULL, alloc);
    if (rc == LEAD_OK)
        rc = lead_markov_counts_export(a, NULL, 0, &len) == LEAD_ELIMIT ? LEAD_OK : LEAD_EINVAL;
    if (rc == LEAD_OK && !(bytes = malloc(len)))
        rc = LEAD_EINVAL;
    if (rc == LEAD_OK)
        rc = lead_markov_counts_export(a, bytes, len, &len);
    if (rc == LEAD_OK)
        rc = lead_markov_counts_import(&b, bytes, len, alloc);
    if (rc == LEAD_OK)
        rc = lead_markov_counts_merge(a, b);
    uint32_t order;
    if (rc == LEAD_OK)
        rc = lead_markov_select_order(&order, NULL, NULL, set, 2, NULL, alloc);
    free(bytes);
    lead_markov_counts_free(a);
    lead_markov_counts_free(b);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    lead_journey_set *set = second_order_data();
    assert_true(lt_alloc_sweep(scaleout_scenario, set, LEAD_OK) > 10);
    lead_journey_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(partitions_merge_to_the_whole),
        cmocka_unit_test(merge_refuses_mismatched_options),
        cmocka_unit_test(damaged_bytes_are_refused),
        cmocka_unit_test(order_selection_prefers_the_order_that_predicts),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
