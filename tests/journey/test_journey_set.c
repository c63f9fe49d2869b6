/* Journey sets: building touch by touch, interning, reading back, limits,
 * and allocation failure at every step. */
#include "lead_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static lead_journey_set *new_set(void)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    return set;
}

static void builds_and_reads_back(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "search", "spring", LT_T0, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "email", NULL, LT_T0 + LT_DAY,
                                                LEAD_TOUCH_LEAD_CREATION),
                     LEAD_OK);
    assert_int_equal(lead_journey_set_end(set, 1, 250.5, 0, LT_T0 + 2 * LT_DAY), LEAD_OK);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "email", "spring", LEAD_TIME_UNKNOWN, 0),
                     LEAD_OK);
    assert_int_equal(lead_journey_set_end(set, 0, 0, 3, LEAD_TIME_UNKNOWN), LEAD_OK);

    size_t n = 0;
    assert_int_equal(lead_journey_set_count(set, &n), LEAD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(lead_journey_set_channel_count(set, &n), LEAD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(lead_journey_set_campaign_count(set, &n), LEAD_OK);
    assert_int_equal(n, 1);

    const char *name = NULL;
    assert_int_equal(lead_journey_set_channel_name(set, 0, &name), LEAD_OK);
    assert_string_equal(name, "search");
    assert_int_equal(lead_journey_set_channel_name(set, 1, &name), LEAD_OK);
    assert_string_equal(name, "email");
    assert_int_equal(lead_journey_set_channel_name(set, 2, &name), LEAD_ENOTFOUND);
    assert_int_equal(lead_journey_set_campaign_name(set, 0, &name), LEAD_OK);
    assert_string_equal(name, "spring");
    uint32_t id = 99;
    assert_int_equal(lead_journey_set_channel_id(set, "email", &id), LEAD_OK);
    assert_int_equal(id, 1);
    assert_int_equal(lead_journey_set_channel_id(set, "emai", &id), LEAD_ENOTFOUND);

    size_t touches = 0;
    double conv = -1, value = -1, nulls = -1;
    int64_t when = 0;
    assert_int_equal(lead_journey_set_journey(set, 0, &touches, &conv, &value, &nulls, &when),
                     LEAD_OK);
    assert_int_equal(touches, 2);
    assert_true(conv == 1.0 && value == 250.5 && nulls == 0.0);
    assert_int_equal(when, LT_T0 + 2 * LT_DAY);
    assert_int_equal(lead_journey_set_journey(set, 1, &touches, &conv, NULL, &nulls, &when),
                     LEAD_OK);
    assert_int_equal(touches, 1);
    assert_true(conv == 0.0 && nulls == 3.0);
    assert_true(when == LEAD_TIME_UNKNOWN);
    assert_int_equal(lead_journey_set_journey(set, 2, NULL, NULL, NULL, NULL, NULL),
                     LEAD_ENOTFOUND);

    uint32_t ch = 9, camp = 9, flags = 9;
    int64_t t = 0;
    assert_int_equal(lead_journey_set_touch(set, 0, 1, &ch, &camp, &t, &flags), LEAD_OK);
    assert_int_equal(ch, 1);
    assert_int_equal(camp, LEAD_NO_CAMPAIGN);
    assert_int_equal(t, LT_T0 + LT_DAY);
    assert_int_equal(flags, LEAD_TOUCH_LEAD_CREATION);
    assert_int_equal(lead_journey_set_touch(set, 1, 0, &ch, &camp, &t, &flags), LEAD_OK);
    assert_int_equal(ch, 1);
    assert_int_equal(camp, 0);
    assert_true(t == LEAD_TIME_UNKNOWN);
    assert_int_equal(lead_journey_set_touch(set, 1, 1, NULL, NULL, NULL, NULL), LEAD_ENOTFOUND);
    assert_int_equal(lead_journey_set_touch(set, 2, 0, NULL, NULL, NULL, NULL), LEAD_ENOTFOUND);
    lead_journey_set_free(set);
}

static void state_errors_and_cancel(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, 0, 0), LEAD_ESTATE);
    assert_string_equal(lead_journey_set_errmsg(set), "no open journey (call begin first)");
    assert_int_equal(lead_journey_set_end(set, 1, 0, 0, 0), LEAD_ESTATE);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_begin(set), LEAD_ESTATE);
    assert_int_equal(lead_journey_set_end(set, 1, 0, 0, 0), LEAD_EINVAL);
    assert_string_equal(lead_journey_set_errmsg(set), "a journey needs at least one touch");
    assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, 0, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_cancel(set), LEAD_OK);
    size_t n = 9;
    lead_journey_set_count(set, &n);
    assert_int_equal(n, 0);
    /* The cancelled touch is gone: a new journey starts empty. */
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "b", NULL, 0, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_end(set, 1, 0, 0, 0), LEAD_OK);
    size_t touches = 0;
    lead_journey_set_journey(set, 0, &touches, NULL, NULL, NULL, NULL);
    assert_int_equal(touches, 1);
    lead_journey_set_free(set);
    lead_journey_set_free(NULL);
    assert_string_equal(lead_journey_set_errmsg(NULL), "no journey set (NULL handle)");
}

static void rejects_bad_input_and_changes_nothing(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    char long_name[LEAD_NAME_MAX + 2];
    memset(long_name, 'x', sizeof long_name);
    long_name[LEAD_NAME_MAX + 1] = '\0';
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, long_name, NULL, 0, 0), LEAD_ETOOLONG);
    long_name[LEAD_NAME_MAX] = '\0'; /* exactly at the limit */
    assert_int_equal(lead_journey_set_add_touch(set, long_name, NULL, 0, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "", NULL, 0, 0), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_add_touch(set, "\xc3\x28", NULL, 0, 0), LEAD_EUTF8);
    assert_int_equal(lead_journey_set_add_touch(set, "\xed\xa0\x80", NULL, 0, 0), LEAD_EUTF8);
    assert_int_equal(lead_journey_set_add_touch(set, "\xc0\xaf", NULL, 0, 0), LEAD_EUTF8);
    assert_int_equal(lead_journey_set_add_touch(set, "\xf4\x90\x80\x80", NULL, 0, 0), LEAD_EUTF8);
    assert_int_equal(lead_journey_set_add_touch(set, "caf\xc3\xa9", NULL, 0, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "\xf0\x9f\x93\xa7", NULL, 0, 0), LEAD_OK);
    /* A bad campaign refuses the touch before the channel is interned. */
    assert_int_equal(lead_journey_set_add_touch(set, "fresh", "\xff", 0, 0), LEAD_EUTF8);
    assert_int_equal(lead_journey_set_channel_id(set, "fresh", &(uint32_t){0}), LEAD_ENOTFOUND);
    assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, 0, 8), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, 100, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, 99, 0), LEAD_EINVAL);
    assert_string_equal(lead_journey_set_errmsg(set), "touch time goes backwards");
    /* A touch refused for its time or flags leaves no new name behind. */
    assert_int_equal(lead_journey_set_add_touch(set, "late", "spring", 99, 0), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_add_touch(set, "odd", NULL, 100, 8), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_channel_id(set, "late", &(uint32_t){0}), LEAD_ENOTFOUND);
    assert_int_equal(lead_journey_set_channel_id(set, "odd", &(uint32_t){0}), LEAD_ENOTFOUND);
    size_t campaigns = 9;
    lead_journey_set_campaign_count(set, &campaigns);
    assert_int_equal(campaigns, 0);
    assert_int_equal(lead_journey_set_end(set, NAN, 0, 0, 0), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_end(set, -1, 0, 0, 0), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_end(set, 1, INFINITY, 0, 0), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_end(set, 1, 0, -0.5, 0), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_end(set, 1, -5, 0.5, 0), LEAD_OK); /* refund: negative value */
    size_t touches = 0, channels = 0;
    lead_journey_set_journey(set, 0, &touches, NULL, NULL, NULL, NULL);
    assert_int_equal(touches, 4);
    lead_journey_set_channel_count(set, &channels);
    assert_int_equal(channels, 4);

    assert_int_equal(lead_journey_set_new(NULL, NULL), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_begin(NULL), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_add_touch(set, NULL, NULL, 0, 0), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_count(set, NULL), LEAD_EINVAL);
    lead_journey_set_free(set);
}

/* Times are compared with the last KNOWN time of the journey: 10, unknown,
 * 5 goes back from 10 to 5 and is refused; 10, unknown, 10 and unknown, 5
 * are fine; a new journey starts afresh (3 after the 10 of the last one). */
static void time_checked_against_last_known(void **state)
{
    (void)state;
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, 10, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "b", NULL, LEAD_TIME_UNKNOWN, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "b", NULL, LEAD_TIME_UNKNOWN, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "c", NULL, 5, 0), LEAD_EINVAL);
    assert_string_equal(lead_journey_set_errmsg(set), "touch time goes backwards");
    assert_int_equal(lead_journey_set_channel_id(set, "c", &(uint32_t){0}), LEAD_ENOTFOUND);
    assert_int_equal(lead_journey_set_add_touch(set, "c", NULL, 10, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_end(set, 1, 0, 0, LEAD_TIME_UNKNOWN), LEAD_OK);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, LEAD_TIME_UNKNOWN, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, 3, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_end(set, 1, 0, 0, LEAD_TIME_UNKNOWN), LEAD_OK);
    size_t touches = 0;
    assert_int_equal(lead_journey_set_journey(set, 0, &touches, NULL, NULL, NULL, NULL), LEAD_OK);
    assert_int_equal(touches, 4);
    lead_journey_set_free(set);
}

static void interns_many_names(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    char name[32];
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    for (int i = 0; i < 100000; i++) {
        snprintf(name, sizeof name, "ch%d", i);
        assert_int_equal(lead_journey_set_add_touch(set, name, NULL, LEAD_TIME_UNKNOWN, 0),
                         LEAD_OK);
    }
    /* The second pass finds every name again. */
    for (int i = 0; i < 100000; i += 7) {
        snprintf(name, sizeof name, "ch%d", i);
        uint32_t id = 0;
        assert_int_equal(lead_journey_set_channel_id(set, name, &id), LEAD_OK);
        assert_int_equal(id, (uint32_t)i);
    }
    assert_int_equal(lead_journey_set_end(set, 1, 0, 0, LEAD_TIME_UNKNOWN), LEAD_OK);
    size_t n = 0;
    lead_journey_set_channel_count(set, &n);
    assert_int_equal(n, 100000);
    lead_journey_set_free(set);
}

static int build_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead_journey_set *set = NULL;
    int rc = lead_journey_set_new(&set, alloc);
    char name[16];
    for (int j = 0; rc == LEAD_OK && j < 40; j++) {
        rc = lead_journey_set_begin(set);
        for (int t = 0; rc == LEAD_OK && t <= j % 5; t++) {
            snprintf(name, sizeof name, "c%d", (j * 3 + t) % 23);
            rc = lead_journey_set_add_touch(set, name, t ? "camp" : NULL, LEAD_TIME_UNKNOWN, 0);
        }
        if (rc == LEAD_OK)
            rc = lead_journey_set_end(set, j % 2, j, 1, LEAD_TIME_UNKNOWN);
    }
    size_t n = 0;
    if (rc == LEAD_OK) {
        lead_journey_set_count(set, &n);
        if (n != 40)
            rc = LEAD_ESTATE;
    }
    lead_journey_set_free(set);
    return rc;
}

static void survives_allocation_failures(void **state)
{
    (void)state;
    long allocations = lt_alloc_sweep(build_scenario, NULL, LEAD_OK);
    assert_true(allocations > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builds_and_reads_back),
        cmocka_unit_test(state_errors_and_cancel),
        cmocka_unit_test(rejects_bad_input_and_changes_nothing),
        cmocka_unit_test(time_checked_against_last_known),
        cmocka_unit_test(interns_many_names),
        cmocka_unit_test(survives_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
