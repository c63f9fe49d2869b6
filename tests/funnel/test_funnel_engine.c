/* A funnel fed from an engine's contacts: stage history, the lead-creation
 * and first touch, purchase revenue, and no row left behind on failure. */
#include "lead_test.h"
#include "failstore.h"

#include <string.h>

#define D(n) (LT_T0 + (int64_t)(n) * LT_DAY)

static int track(lead_engine *e, uint64_t id, int type, int channel, int64_t t, const char *source,
                 const char *campaign, int64_t value)
{
    lead_event_input in;
    lead_event_input_init(&in, sizeof in);
    in.contact_id = id;
    in.type = type;
    in.channel = channel;
    in.time_ms = t;
    in.source = source;
    in.campaign = campaign;
    in.value_minor = value;
    in.currency = value ? "EUR" : NULL;
    uint64_t event_id = 0;
    return lead_track(e, &event_id, &in);
}

/* Ada: subscriber T0, a page view from google on day 1, the newsletter's
 * spring form on day 2 (lead), MQL by hand on day 3, a purchase on day 10.
 * Bob: the ebook download from bing on day 1 (lead). Cy: nothing. */
static int seed(lead_engine *e, lt_fakeclock *fc)
{
    uint64_t ada = 0, bob = 0, cy = 0;
    fc->now_ms = D(0);
    int rc = lead_contact_create(e, &ada, "ada@example.com", NULL, LEAD_DUPLICATE_REFUSE);
    if (rc == LEAD_OK)
        rc = lead_contact_create(e, &bob, "bob@example.com", NULL, LEAD_DUPLICATE_REFUSE);
    if (rc == LEAD_OK)
        rc = lead_contact_create(e, &cy, "cy@example.com", NULL, LEAD_DUPLICATE_REFUSE);
    if (rc == LEAD_OK)
        rc = track(e, ada, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_ORGANIC_SEARCH, D(1), "google", NULL, 0);
    if (rc == LEAD_OK)
        rc = track(e, bob, LEAD_EVENT_DOWNLOAD, LEAD_CHANNEL_PAID_SEARCH, D(1), "bing", "ebook", 0);
    if (rc == LEAD_OK)
        rc = track(e, ada, LEAD_EVENT_FORM_SUBMIT, LEAD_CHANNEL_EMAIL, D(2), "newsletter", "spring", 0);
    fc->now_ms = D(3);
    if (rc == LEAD_OK)
        rc = lead_contact_set_stage(e, ada, LEAD_STAGE_MQL, 0);
    if (rc == LEAD_OK)
        rc = track(e, ada, LEAD_EVENT_PURCHASE, LEAD_CHANNEL_PAID_SEARCH, D(10), NULL, NULL, 12345);
    return rc;
}

static void group(const lead_funnel_report *r, int dim, size_t i, const char *name,
                  uint64_t leads, int64_t revenue)
{
    const char *got = NULL;
    uint64_t n = 99;
    int64_t rev = -1;
    assert_int_equal(lead_funnel_report_group(r, dim, i, LEAD_STAGE_LEAD, &got, &n, &rev), LEAD_OK);
    assert_string_equal(got, name);
    assert_int_equal(n, leads);
    assert_int_equal(rev, revenue);
}

static void rows_come_from_the_contacts(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, D(0));
    lead_engine_options opts;
    lead_engine_options_init(&opts, sizeof opts);
    opts.clock = &fc.clock;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &opts), LEAD_OK);
    assert_int_equal(seed(e, &fc), LEAD_OK);

    lead_funnel *f = NULL;
    assert_int_equal(lead_funnel_new(&f, NULL), LEAD_OK);
    assert_int_equal(lead_funnel_add_from_engine(f, e), LEAD_OK);
    size_t rows = 0;
    lead_funnel_contact_count(f, &rows);
    assert_int_equal(rows, 3);
    lead_funnel_report *r = NULL;
    assert_int_equal(lead_funnel_report_new(&r, f, D(0), D(30), LEAD_COHORT_WEEK), LEAD_OK);

    const uint64_t entered[6] = {3, 2, 1, 0, 0, 1};
    for (int s = 0; s < 6; s++) {
        uint64_t n = 99;
        lead_funnel_report_entered(r, s, &n);
        assert_int_equal(n, entered[s]);
    }
    uint64_t reached = 0, base = 0;
    lead_funnel_report_conversion(r, LEAD_STAGE_LEAD, LEAD_STAGE_CUSTOMER, &reached, &base, NULL);
    assert_int_equal(reached, 1);
    assert_int_equal(base, 2);
    int64_t median = 0;
    uint64_t samples = 0;
    lead_funnel_report_time_in_stage(r, LEAD_STAGE_LEAD, &median, NULL, &samples);
    assert_int_equal(samples, 1);
    assert_int_equal(median, 1 * LT_DAY); /* Ada: lead on day 2, MQL on day 3 */

    size_t n = 0;
    lead_funnel_report_group_count(r, LEAD_FUNNEL_LEAD_CHANNEL, &n);
    assert_int_equal(n, 3);
    group(r, LEAD_FUNNEL_LEAD_CHANNEL, 0, "(none)", 0, 0);
    group(r, LEAD_FUNNEL_LEAD_CHANNEL, 1, "email", 1, 12345);
    group(r, LEAD_FUNNEL_LEAD_CHANNEL, 2, "paid_search", 1, 0);
    group(r, LEAD_FUNNEL_LEAD_SOURCE, 1, "bing", 1, 0);
    group(r, LEAD_FUNNEL_LEAD_SOURCE, 2, "newsletter", 1, 12345);
    group(r, LEAD_FUNNEL_LEAD_CAMPAIGN, 1, "ebook", 1, 0);
    group(r, LEAD_FUNNEL_LEAD_CAMPAIGN, 2, "spring", 1, 12345);
    group(r, LEAD_FUNNEL_FIRST_CHANNEL, 1, "organic_search", 1, 12345);
    group(r, LEAD_FUNNEL_FIRST_CHANNEL, 2, "paid_search", 1, 0);
    group(r, LEAD_FUNNEL_FIRST_SOURCE, 1, "bing", 1, 0);
    group(r, LEAD_FUNNEL_FIRST_SOURCE, 2, "google", 1, 12345);
    /* Ada's first touch had no campaign: she and Cy share (none). */
    group(r, LEAD_FUNNEL_FIRST_CAMPAIGN, 0, "(none)", 1, 12345);
    group(r, LEAD_FUNNEL_FIRST_CAMPAIGN, 1, "ebook", 1, 0);

    lead_funnel_report_free(r);
    lead_funnel_free(f);
    assert_int_equal(lead_funnel_add_from_engine(NULL, e), LEAD_EINVAL);
    lead_engine_free(e);
}

static void a_failing_store_adds_no_row(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, D(0));
    lead_store *memory = NULL;
    assert_int_equal(lead_store_memory_new(&memory, NULL), LEAD_OK);
    lt_failstore fs;
    lt_failstore_init(&fs, memory, 0);
    lead_engine_options opts;
    lead_engine_options_init(&opts, sizeof opts);
    opts.clock = &fc.clock;
    opts.store = &fs.store;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &opts), LEAD_OK);
    assert_int_equal(seed(e, &fc), LEAD_OK);
    long points = 0;
    for (long n = 0;; n++) {
        lead_funnel *f = NULL;
        assert_int_equal(lead_funnel_new(&f, NULL), LEAD_OK);
        lt_failstore_arm(&fs, n);
        int rc = lead_funnel_add_from_engine(f, e);
        int injected = fs.injected > 0;
        lt_failstore_arm(&fs, -1);
        size_t rows = 99;
        lead_funnel_contact_count(f, &rows);
        lead_funnel_free(f);
        if (!injected) {
            assert_int_equal(rc, LEAD_OK);
            assert_int_equal(rows, 3);
            break;
        }
        points++;
        assert_int_equal(rc, LEAD_ESTORE);
        assert_int_equal(rows, 0);
    }
    assert_true(points >= 7); /* the scan, and per contact its record and events */
    lead_engine_free(e);
    lead_store_memory_free(memory);
}

static int alloc_scenario(const lead_allocator *alloc, void *ctx)
{
    lead_engine *e = ctx;
    lead_funnel *f = NULL;
    int rc = lead_funnel_new(&f, alloc);
    if (rc == LEAD_OK)
        rc = lead_funnel_add_from_engine(f, e);
    size_t rows = 0;
    lead_funnel_contact_count(f, &rows);
    if (rc != LEAD_OK && rows != 0)
        rc = LEAD_ESTATE;
    lead_funnel_free(f);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, D(0));
    lead_engine_options opts;
    lead_engine_options_init(&opts, sizeof opts);
    opts.clock = &fc.clock;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &opts), LEAD_OK);
    assert_int_equal(seed(e, &fc), LEAD_OK);
    /* The funnel's own allocations fail in turn (the engine's are libc's). */
    assert_true(lt_alloc_sweep(alloc_scenario, e, LEAD_OK) > 5);
    lead_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_come_from_the_contacts),
        cmocka_unit_test(a_failing_store_adds_no_row),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
