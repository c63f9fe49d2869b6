/* Stage names and order are fixed. */
#include "lead_test.h"

static void stage_values_and_names(void **state)
{
    (void)state;
    const char *names[] = {"subscriber", "lead",       "mql",   "sql",          "opportunity",
                           "customer",   "evangelist", "other", "disqualified", "recycled"};
    assert_int_equal(LEAD_STAGE_COUNT, 10);
    assert_int_equal(LEAD_STAGE_MQL, 2);
    assert_int_equal(LEAD_STAGE_RECYCLED, 9);
    for (int s = 0; s < LEAD_STAGE_COUNT; s++) {
        assert_string_equal(lead_stage_name(s), names[s]);
        int back = -1;
        assert_int_equal(lead_stage_from_name(names[s], &back), LEAD_OK);
        assert_int_equal(back, s);
        assert_int_equal(lead_stage_is_ordered(s), s <= LEAD_STAGE_EVANGELIST);
    }
    assert_null(lead_stage_name(-1));
    assert_null(lead_stage_name(LEAD_STAGE_COUNT));
    int out = 42;
    assert_int_equal(lead_stage_from_name("MQL", &out), LEAD_ENOTFOUND);
    assert_int_equal(out, 42);
    assert_int_equal(lead_stage_from_name(NULL, &out), LEAD_EINVAL);
    assert_int_equal(lead_stage_from_name("mql", NULL), LEAD_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(stage_values_and_names)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
