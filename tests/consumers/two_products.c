/* Two products embedding liblead in one process, each with its own
 * allocator and clock, do not see each other's memory, time or errors. */
#include "lead_test.h"
#include "product.h"

#include <string.h>

static void test_allocators_see_only_their_own_engine(void **state)
{
    (void)state;
    const product *a = product_a(), *b = product_b();
    assert_int_equal(a->open(1000), LEAD_OK);
    assert_int_equal(b->open(2000), LEAD_OK);
    assert_non_null(a->engine());
    assert_non_null(b->engine());

    /* Each handle is a block of its own product's allocator only. */
    assert_true(a->owns(a->engine()));
    assert_false(b->owns(a->engine()));
    assert_true(b->owns(b->engine()));
    assert_false(a->owns(b->engine()));
    assert_true(a->owns(a->journeys()));
    assert_false(b->owns(a->journeys()));
    assert_true(b->owns(b->journeys()));
    assert_false(a->owns(b->journeys()));

    /* Both did the same work, so both allocators saw the same traffic. */
    assert_true(a->live_blocks() >= 2);
    assert_int_equal(a->live_blocks(), b->live_blocks());
    assert_int_equal(a->total_allocations(), b->total_allocations());

    size_t b_live = b->live_blocks(), b_total = b->total_allocations();
    a->close();
    assert_int_equal(a->live_blocks(), 0);
    assert_int_equal(b->live_blocks(), b_live);
    assert_int_equal(b->total_allocations(), b_total);
    size_t count = 0;
    assert_int_equal(lead_journey_set_count(b->journeys(), &count), LEAD_OK);
    assert_int_equal(count, 1);
    b->close();
    assert_int_equal(b->live_blocks(), 0);
}

static void test_clocks_and_errors_stay_apart(void **state)
{
    (void)state;
    const product *a = product_a(), *b = product_b();
    assert_int_equal(a->open(1000), LEAD_OK);
    assert_int_equal(b->open(2000), LEAD_OK);
    int64_t now = 0;
    assert_int_equal(lead_engine_now(a->engine(), &now), LEAD_OK);
    assert_int_equal(now, 1000);
    assert_int_equal(lead_engine_now(b->engine(), &now), LEAD_OK);
    assert_int_equal(now, 2000);

    b->break_clock(7);
    assert_int_equal(lead_engine_now(b->engine(), &now), LEAD_ECLOCK);
    assert_string_equal(lead_engine_errmsg(b->engine()), "clock callback failed (returned 7)");
    assert_int_equal(lead_engine_now(a->engine(), &now), LEAD_OK);
    assert_int_equal(now, 1000);
    assert_string_equal(lead_engine_errmsg(a->engine()), "");
    a->close();
    b->close();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocators_see_only_their_own_engine),
        cmocka_unit_test(test_clocks_and_errors_stay_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
