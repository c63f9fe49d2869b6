/* Funnel analytics on eight hand-counted contacts (the worked example of
 * docs/funnel.md). Days are counted from T0 = 2026-01-01 (a Thursday); the
 * range is [T0, T0 + 60 days). */
#include "lead_test.h"

#include <string.h>

#define D(n) (LT_T0 + (int64_t)(n) * LT_DAY)
#define NO LEAD_TIME_UNKNOWN

typedef struct row {
    int64_t at[6]; /* subscriber, lead, mql, sql, opportunity, customer */
    const char *dims[LEAD_FUNNEL_DIM_COUNT];
    int64_t revenue;
} row;

static const row rows[] = {
    /* c1 */ {{D(0), D(1), D(3), D(10), D(20), D(30)},
              {"email", "newsletter", NULL, "organic_search", NULL, NULL}, 100000},
    /* c2 */ {{NO, D(2), D(5), D(6), NO, NO}, {"email", "newsletter", NULL, "email", NULL, NULL}, 0},
    /* c3 */ {{NO, D(4), D(14), NO, NO, NO}, {"paid_search", "google", NULL, "paid_search", NULL, NULL}, 0},
    /* c4 */ {{NO, D(9), NO, D(12), D(40), D(45)},
              {"paid_search", "google", NULL, "organic_search", NULL, NULL}, 250000},
    /* c5 */ {{NO, D(40), NO, NO, NO, NO}, {"referral", NULL, NULL, NULL, NULL, NULL}, 0},
    /* c6 */ {{NO, D(-10), D(5), D(70), NO, NO}, {"email", NULL, NULL, "email", NULL, NULL}, 0},
    /* c7 */ {{D(1), NO, NO, NO, NO, NO}, {NULL, NULL, NULL, NULL, NULL, NULL}, 0},
    /* c8 */ {{NO, D(33), D(34), D(35), D(36), D(59)},
              {"email", "webinar", NULL, "paid_search", NULL, NULL}, 50000},
};

static int fill(lead_funnel *f)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t at[LEAD_STAGE_COUNT];
        for (int s = 0; s < LEAD_STAGE_COUNT; s++)
            at[s] = s < 6 ? rows[i].at[s] : NO;
        int rc = lead_funnel_add_contact(f, at, LEAD_STAGE_COUNT, rows[i].dims,
                                         LEAD_FUNNEL_DIM_COUNT, rows[i].revenue);
        if (rc != LEAD_OK)
            return rc;
    }
    return LEAD_OK;
}

static lead_funnel_report *example_report(lead_funnel **f, int period)
{
    assert_int_equal(lead_funnel_new(f, NULL), LEAD_OK);
    assert_int_equal(fill(*f), LEAD_OK);
    lead_funnel_report *r = NULL;
    assert_int_equal(lead_funnel_report_new(&r, *f, D(0), D(60), period), LEAD_OK);
    return r;
}

static void entered_and_conversions(void **state)
{
    (void)state;
    lead_funnel *f;
    lead_funnel_report *r = example_report(&f, LEAD_COHORT_WEEK);
    const uint64_t entered[6] = {2, 6, 5, 4, 3, 3};
    for (int s = 0; s < 6; s++) {
        uint64_t n = 99;
        assert_int_equal(lead_funnel_report_entered(r, s, &n), LEAD_OK);
        assert_int_equal(n, entered[s]);
    }
    uint64_t reached, base;
    double rate;
    assert_int_equal(lead_funnel_report_conversion(r, LEAD_STAGE_LEAD, LEAD_STAGE_MQL, &reached,
                                                   &base, &rate), LEAD_OK);
    assert_int_equal(reached, 5);
    assert_int_equal(base, 6);
    assert_true(rate == 5.0 / 6.0);
    lead_funnel_report_conversion(r, LEAD_STAGE_MQL, LEAD_STAGE_SQL, &reached, &base, &rate);
    assert_int_equal(reached, 3);
    assert_int_equal(base, 5);
    assert_true(rate == 0.6);
    lead_funnel_report_conversion(r, LEAD_STAGE_SQL, LEAD_STAGE_OPPORTUNITY, &reached, &base, &rate);
    assert_int_equal(reached, 3);
    assert_int_equal(base, 4);
    lead_funnel_report_conversion(r, LEAD_STAGE_OPPORTUNITY, LEAD_STAGE_CUSTOMER, &reached, &base,
                                  &rate);
    assert_true(reached == 3 && base == 3 && rate == 1.0);
    lead_funnel_report_conversion(r, LEAD_STAGE_LEAD, LEAD_STAGE_CUSTOMER, &reached, &base, &rate);
    assert_true(reached == 3 && base == 6 && rate == 0.5);
    /* Evangelist: nobody; the rate of an empty base is 0. */
    lead_funnel_report_conversion(r, LEAD_STAGE_EVANGELIST - 1, LEAD_STAGE_EVANGELIST, &reached,
                                  &base, &rate);
    assert_true(reached == 0 && base == 3 && rate == 0.0);
    assert_int_equal(lead_funnel_report_conversion(r, LEAD_STAGE_MQL, LEAD_STAGE_LEAD, NULL, NULL,
                                                   NULL), LEAD_EINVAL);
    assert_int_equal(lead_funnel_report_conversion(r, LEAD_STAGE_LEAD, LEAD_STAGE_OTHER, NULL,
                                                   NULL, NULL), LEAD_EINVAL);
    lead_funnel_report_free(r);
    lead_funnel_free(f);
}

static void times_in_stage(void **state)
{
    (void)state;
    lead_funnel *f;
    lead_funnel_report *r = example_report(&f, LEAD_COHORT_WEEK);
    /* stage: samples (days), nearest-rank median and p90 */
    const struct { int stage; uint64_t n; int64_t median, p90; } expect[] = {
        {LEAD_STAGE_SUBSCRIBER, 1, 1, 1},     /* [1] */
        {LEAD_STAGE_LEAD, 5, 3, 10},          /* [1,2,3,3,10] */
        {LEAD_STAGE_MQL, 3, 1, 7},            /* [1,1,7]; c6 moves on after the range */
        {LEAD_STAGE_SQL, 3, 10, 28},          /* [1,10,28] */
        {LEAD_STAGE_OPPORTUNITY, 3, 10, 23},  /* [5,10,23] */
        {LEAD_STAGE_CUSTOMER, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        int64_t median = -1, p90 = -1;
        uint64_t n = 99;
        assert_int_equal(lead_funnel_report_time_in_stage(r, expect[i].stage, &median, &p90, &n),
                         LEAD_OK);
        assert_int_equal(n, expect[i].n);
        assert_int_equal(median, expect[i].median * LT_DAY);
        assert_int_equal(p90, expect[i].p90 * LT_DAY);
    }
    assert_int_equal(lead_funnel_report_time_in_stage(r, LEAD_STAGE_RECYCLED, NULL, NULL, NULL),
                     LEAD_EINVAL);
    lead_funnel_report_free(r);
    lead_funnel_free(f);
}

static void check_group(const lead_funnel_report *r, int dim, size_t i, const char *name,
                        uint64_t leads, uint64_t customers, int64_t revenue)
{
    const char *got = NULL;
    uint64_t n = 99;
    int64_t rev = -1;
    assert_int_equal(lead_funnel_report_group(r, dim, i, LEAD_STAGE_LEAD, &got, &n, &rev), LEAD_OK);
    assert_string_equal(got, name);
    assert_int_equal(n, leads);
    assert_int_equal(rev, revenue);
    assert_int_equal(lead_funnel_report_group(r, dim, i, LEAD_STAGE_CUSTOMER, NULL, &n, NULL),
                     LEAD_OK);
    assert_int_equal(n, customers);
}

static void breakdowns_by_source(void **state)
{
    (void)state;
    lead_funnel *f;
    lead_funnel_report *r = example_report(&f, LEAD_COHORT_WEEK);
    size_t n = 0;
    assert_int_equal(lead_funnel_report_group_count(r, LEAD_FUNNEL_LEAD_CHANNEL, &n), LEAD_OK);
    assert_int_equal(n, 4);
    check_group(r, LEAD_FUNNEL_LEAD_CHANNEL, 0, "(none)", 0, 0, 0);
    check_group(r, LEAD_FUNNEL_LEAD_CHANNEL, 1, "email", 3, 2, 150000);
    check_group(r, LEAD_FUNNEL_LEAD_CHANNEL, 2, "paid_search", 2, 1, 250000);
    check_group(r, LEAD_FUNNEL_LEAD_CHANNEL, 3, "referral", 1, 0, 0);
    uint64_t subscribers = 0;
    lead_funnel_report_group(r, LEAD_FUNNEL_LEAD_CHANNEL, 0, LEAD_STAGE_SUBSCRIBER, NULL,
                             &subscribers, NULL);
    assert_int_equal(subscribers, 1); /* c7 */

    lead_funnel_report_group_count(r, LEAD_FUNNEL_LEAD_SOURCE, &n);
    assert_int_equal(n, 4);
    check_group(r, LEAD_FUNNEL_LEAD_SOURCE, 0, "(none)", 1, 0, 0);
    check_group(r, LEAD_FUNNEL_LEAD_SOURCE, 1, "google", 2, 1, 250000);
    check_group(r, LEAD_FUNNEL_LEAD_SOURCE, 2, "newsletter", 2, 1, 100000);
    check_group(r, LEAD_FUNNEL_LEAD_SOURCE, 3, "webinar", 1, 1, 50000);

    lead_funnel_report_group_count(r, LEAD_FUNNEL_FIRST_CHANNEL, &n);
    assert_int_equal(n, 4);
    check_group(r, LEAD_FUNNEL_FIRST_CHANNEL, 0, "(none)", 1, 0, 0);
    check_group(r, LEAD_FUNNEL_FIRST_CHANNEL, 1, "email", 1, 0, 0);
    check_group(r, LEAD_FUNNEL_FIRST_CHANNEL, 2, "organic_search", 2, 2, 350000);
    check_group(r, LEAD_FUNNEL_FIRST_CHANNEL, 3, "paid_search", 2, 1, 50000);

    /* Nobody has a campaign: one (none) group holding everyone. */
    lead_funnel_report_group_count(r, LEAD_FUNNEL_LEAD_CAMPAIGN, &n);
    assert_int_equal(n, 1);
    check_group(r, LEAD_FUNNEL_LEAD_CAMPAIGN, 0, "(none)", 6, 3, 400000);
    assert_int_equal(lead_funnel_report_group(r, LEAD_FUNNEL_LEAD_CAMPAIGN, 1, 0, NULL, NULL, NULL),
                     LEAD_ENOTFOUND);
    assert_int_equal(lead_funnel_report_group_count(r, LEAD_FUNNEL_DIM_COUNT, &n), LEAD_EINVAL);
    lead_funnel_report_free(r);
    lead_funnel_free(f);
}

static void cohorts_by_week_and_month(void **state)
{
    (void)state;
    lead_funnel *f;
    lead_funnel_report *r = example_report(&f, LEAD_COHORT_WEEK);
    /* Weeks start on Monday: 2025-12-29 (T0-3), 2026-01-05 (T0+4),
     * 2026-02-02 (T0+32), 2026-02-09 (T0+39). */
    const struct { int64_t start; uint64_t size, mql, customer; } weeks[] = {
        {D(-3), 2, 2, 1}, {D(4), 2, 2, 1}, {D(32), 1, 1, 1}, {D(39), 1, 0, 0}};
    size_t n = 0;
    assert_int_equal(lead_funnel_report_cohort_count(r, &n), LEAD_OK);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < 4; i++) {
        int64_t start = 0;
        uint64_t size = 0, mql = 0, customer = 0;
        assert_int_equal(lead_funnel_report_cohort(r, i, LEAD_STAGE_MQL, &start, &size, &mql),
                         LEAD_OK);
        assert_int_equal(lead_funnel_report_cohort(r, i, LEAD_STAGE_CUSTOMER, NULL, NULL,
                                                   &customer), LEAD_OK);
        assert_int_equal(start, weeks[i].start);
        assert_int_equal(size, weeks[i].size);
        assert_int_equal(mql, weeks[i].mql);
        assert_int_equal(customer, weeks[i].customer);
    }
    assert_int_equal(lead_funnel_report_cohort(r, 4, LEAD_STAGE_MQL, NULL, NULL, NULL),
                     LEAD_ENOTFOUND);
    lead_funnel_report_free(r);
    lead_funnel_free(f);

    r = example_report(&f, LEAD_COHORT_MONTH);
    lead_funnel_report_cohort_count(r, &n);
    assert_int_equal(n, 2);
    int64_t start;
    uint64_t size, customers;
    lead_funnel_report_cohort(r, 0, LEAD_STAGE_CUSTOMER, &start, &size, &customers);
    assert_true(start == D(0) && size == 4 && customers == 2);
    lead_funnel_report_cohort(r, 1, LEAD_STAGE_CUSTOMER, &start, &size, &customers);
    assert_true(start == D(31) && size == 2 && customers == 1);
    lead_funnel_report_free(r);
    lead_funnel_free(f);
}

static void periods_before_the_epoch(void **state)
{
    (void)state;
    /* 1969-12-31 (a Wednesday): week of Monday 1969-12-29, month 1969-12-01. */
    lead_funnel *f = NULL;
    assert_int_equal(lead_funnel_new(&f, NULL), LEAD_OK);
    int64_t at[2] = {NO, -LT_DAY + 5};
    assert_int_equal(lead_funnel_add_contact(f, at, 2, NULL, 0, 0), LEAD_OK);
    lead_funnel_report *r = NULL;
    int64_t start = 0;
    assert_int_equal(lead_funnel_report_new(&r, f, -LT_DAY * 400, 0, LEAD_COHORT_WEEK), LEAD_OK);
    lead_funnel_report_cohort(r, 0, LEAD_STAGE_LEAD, &start, NULL, NULL);
    assert_int_equal(start, -3 * LT_DAY);
    lead_funnel_report_free(r);
    assert_int_equal(lead_funnel_report_new(&r, f, -LT_DAY * 400, 0, LEAD_COHORT_MONTH), LEAD_OK);
    lead_funnel_report_cohort(r, 0, LEAD_STAGE_LEAD, &start, NULL, NULL);
    assert_int_equal(start, -31 * LT_DAY);
    lead_funnel_report_free(r);
    lead_funnel_free(f);
}

/* Leads at the ends of the time line: the first period, which begins
 * before INT64_MIN ms, starts at INT64_MIN + 1; the last one is exact. */
static void periods_at_the_ends_of_time(void **state)
{
    (void)state;
    lead_funnel *f = NULL;
    assert_int_equal(lead_funnel_new(&f, NULL), LEAD_OK);
    int64_t first[2] = {NO, INT64_MIN + 1}, last[2] = {NO, INT64_MAX - 1};
    assert_int_equal(lead_funnel_add_contact(f, first, 2, NULL, 0, 0), LEAD_OK);
    assert_int_equal(lead_funnel_add_contact(f, last, 2, NULL, 0, 0), LEAD_OK);
    for (int period = LEAD_COHORT_WEEK; period <= LEAD_COHORT_MONTH; period++) {
        lead_funnel_report *r = NULL;
        int64_t start = 0;
        uint64_t size = 0;
        size_t count = 0;
        assert_int_equal(lead_funnel_report_new(&r, f, INT64_MIN, INT64_MAX, period), LEAD_OK);
        assert_int_equal(lead_funnel_report_cohort_count(r, &count), LEAD_OK);
        assert_int_equal(count, 2);
        assert_int_equal(lead_funnel_report_cohort(r, 0, LEAD_STAGE_LEAD, &start, &size, NULL),
                         LEAD_OK);
        assert_true(start == INT64_MIN + 1);
        assert_int_equal(size, 1);
        assert_int_equal(lead_funnel_report_cohort(r, 1, LEAD_STAGE_LEAD, &start, &size, NULL),
                         LEAD_OK);
        /* 292278994-08-17 is a Sunday: week of Monday the 11th; month from the 1st. */
        int64_t day = (INT64_MAX - 1) / LT_DAY;
        assert_true(start == (period == LEAD_COHORT_WEEK ? day - 6 : day - 16) * LT_DAY);
        assert_int_equal(size, 1);
        lead_funnel_report_free(r);
    }
    lead_funnel_free(f);

    /* A stay from the start of time to its end is longer than INT64_MAX ms:
     * it saturates there. */
    assert_int_equal(lead_funnel_new(&f, NULL), LEAD_OK);
    int64_t span[3] = {NO, INT64_MIN + 1, INT64_MAX - 1};
    assert_int_equal(lead_funnel_add_contact(f, span, 3, NULL, 0, 0), LEAD_OK);
    lead_funnel_report *r = NULL;
    int64_t median = 0, p90 = 0;
    uint64_t samples = 0;
    assert_int_equal(lead_funnel_report_new(&r, f, INT64_MIN, INT64_MAX, LEAD_COHORT_WEEK),
                     LEAD_OK);
    assert_int_equal(
        lead_funnel_report_time_in_stage(r, LEAD_STAGE_LEAD, &median, &p90, &samples), LEAD_OK);
    assert_int_equal(samples, 1);
    assert_true(median == INT64_MAX && p90 == INT64_MAX);
    lead_funnel_report_free(r);
    lead_funnel_free(f);
}

static void rejects_bad_rows(void **state)
{
    (void)state;
    lead_funnel *f = NULL;
    assert_int_equal(lead_funnel_new(&f, NULL), LEAD_OK);
    int64_t at[LEAD_STAGE_COUNT + 1] = {0};
    const char *dims[LEAD_FUNNEL_DIM_COUNT + 1] = {"\xff"};
    assert_int_equal(lead_funnel_add_contact(f, at, LEAD_STAGE_COUNT + 1, NULL, 0, 0), LEAD_EINVAL);
    assert_int_equal(lead_funnel_add_contact(f, NULL, 2, NULL, 0, 0), LEAD_EINVAL);
    assert_int_equal(lead_funnel_add_contact(f, at, 1, dims, LEAD_FUNNEL_DIM_COUNT + 1, 0),
                     LEAD_EINVAL);
    assert_int_equal(lead_funnel_add_contact(f, at, 1, dims, 1, 0), LEAD_EUTF8);
    assert_int_equal(lead_funnel_add_contact(f, at, 1, NULL, 0, -1), LEAD_EINVAL);
    assert_string_equal(lead_funnel_errmsg(f), "revenue must be >= 0");
    size_t n = 9;
    lead_funnel_contact_count(f, &n);
    assert_int_equal(n, 0);
    lead_funnel_report *r = (lead_funnel_report *)1;
    assert_int_equal(lead_funnel_report_new(&r, f, 5, 5, LEAD_COHORT_WEEK), LEAD_EINVAL);
    assert_null(r);
    assert_int_equal(lead_funnel_report_new(&r, f, 0, 5, 7), LEAD_EINVAL);
    /* An empty funnel reports zeros. */
    assert_int_equal(lead_funnel_report_new(&r, f, 0, 5, LEAD_COHORT_WEEK), LEAD_OK);
    uint64_t c = 9;
    lead_funnel_report_entered(r, LEAD_STAGE_LEAD, &c);
    assert_int_equal(c, 0);
    lead_funnel_report_cohort_count(r, &n);
    assert_int_equal(n, 0);
    lead_funnel_report_free(r);
    lead_funnel_free(f);
    lead_funnel_free(NULL);
    lead_funnel_report_free(NULL);
}

static int report_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead_funnel *f = NULL;
    int rc = lead_funnel_new(&f, alloc);
    if (rc == LEAD_OK)
        rc = fill(f);
    lead_funnel_report *r = NULL;
    if (rc == LEAD_OK)
        rc = lead_funnel_report_new(&r, f, D(0), D(60), LEAD_COHORT_WEEK);
    uint64_t n = 0;
    if (rc == LEAD_OK && (lead_funnel_report_entered(r, LEAD_STAGE_LEAD, &n) || n != 6))
        rc = LEAD_ESTATE;
    lead_funnel_report_free(r);
    lead_funnel_free(f);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(report_scenario, NULL, LEAD_OK) > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entered_and_conversions),
        cmocka_unit_test(times_in_stage),
        cmocka_unit_test(breakdowns_by_source),
        cmocka_unit_test(cohorts_by_week_and_month),
        cmocka_unit_test(periods_before_the_epoch),
        cmocka_unit_test(periods_at_the_ends_of_time),
        cmocka_unit_test(rejects_bad_rows),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
