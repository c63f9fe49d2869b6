/* Foundation: status codes, versions, options structs, engine life cycle,
 * allocator and clock hooks. */
#include "lead_test.h"

#include <string.h>

static void status_codes_have_fixed_values(void **state)
{
    (void)state;
    assert_int_equal(LEAD_OK, 0);
    assert_int_equal(LEAD_EINVAL, -1);
    assert_int_equal(LEAD_ENOMEM, -2);
    assert_int_equal(LEAD_ENOTFOUND, -3);
    assert_int_equal(LEAD_EEXISTS, -4);
    assert_int_equal(LEAD_ESTORE, -5);
    assert_int_equal(LEAD_ECLOCK, -6);
    assert_int_equal(LEAD_ELIMIT, -7);
    assert_int_equal(LEAD_EFORMAT, -8);
    assert_int_equal(LEAD_ESTATE, -9);
    assert_int_equal(LEAD_ITEROVER, -10);
    assert_int_equal(LEAD_EVERSION, -11);
    assert_int_equal(LEAD_EUTF8, -12);
    assert_int_equal(LEAD_ETOOLONG, -13);
    assert_int_equal(LEAD_ECORRUPT, -14);
    assert_int_equal(LEAD_ECANCELED, -15);
    assert_int_equal(LEAD_EERASED, -16);
    assert_int_equal(LEAD_ENUMERIC, -17);
}

static void strerror_names_every_code(void **state)
{
    (void)state;
    assert_string_equal(lead_strerror(LEAD_OK), "success");
    assert_string_equal(lead_strerror(LEAD_ENOMEM), "out of memory");
    assert_string_equal(lead_strerror(LEAD_ECLOCK), "clock callback failed");
    assert_string_equal(lead_strerror(LEAD_ITEROVER), "iteration over");
    assert_string_equal(lead_strerror(1), "unknown error");
    assert_string_equal(lead_strerror(-18), "unknown error");
    /* Every defined code has its own text. */
    for (int a = LEAD_ENUMERIC; a <= 0; a++) {
        assert_string_not_equal(lead_strerror(a), "unknown error");
        for (int b = a + 1; b <= 0; b++)
            assert_string_not_equal(lead_strerror(a), lead_strerror(b));
    }
}

static void version_matches_headers(void **state)
{
    (void)state;
    assert_int_equal(lead_version_number(), LEAD_VERSION_NUMBER);
    assert_int_equal(LEAD_VERSION_NUMBER, 100);
    assert_string_equal(lead_version_string(), LEAD_VERSION_STRING);
    assert_string_equal(lead_version_string(), "0.1.0");
}

static void init_functions_equal_init_macros(void **state)
{
    (void)state;
    lead_engine_options a = LEAD_ENGINE_OPTIONS_INIT, b;
    memset(&b, 0xff, sizeof b);
    assert_int_equal(lead_engine_options_init(&b, sizeof(lead_engine_options)), LEAD_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(a.struct_size, sizeof(lead_engine_options));
    assert_int_equal(a.version, LEAD_ENGINE_OPTIONS_VERSION);

    lead_allocator c = LEAD_ALLOCATOR_INIT, d;
    memset(&d, 0xff, sizeof d);
    assert_int_equal(lead_allocator_init(&d, sizeof(lead_allocator)), LEAD_OK);
    assert_memory_equal(&c, &d, sizeof c);

    lead_clock e = LEAD_CLOCK_INIT, f;
    memset(&f, 0xff, sizeof f);
    assert_int_equal(lead_clock_init(&f, sizeof(lead_clock)), LEAD_OK);
    assert_memory_equal(&e, &f, sizeof e);

    assert_int_equal(lead_engine_options_init(NULL, sizeof(lead_engine_options)), LEAD_EINVAL);
    assert_int_equal(lead_allocator_init(NULL, sizeof(lead_allocator)), LEAD_EINVAL);
    assert_int_equal(lead_clock_init(NULL, sizeof(lead_clock)), LEAD_EINVAL);
}

static void init_functions_respect_the_callers_size(void **state)
{
    (void)state;
    /* A binding built against an older, shorter options struct: init must
     * not write past what it knows. */
    unsigned char buf[sizeof(lead_engine_options) + 16];
    memset(buf, 0xab, sizeof buf);
    uint32_t older = (uint32_t)offsetof(lead_engine_options, store);
    assert_int_equal(lead_engine_options_init((lead_engine_options *)(void *)buf, older), LEAD_OK);
    for (size_t i = older; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xab);
    lead_engine_options seen;
    memcpy(&seen, buf, older);
    assert_int_equal(seen.struct_size, older);
    assert_int_equal(seen.version, LEAD_ENGINE_OPTIONS_VERSION);
    assert_null(seen.allocator);
    /* A newer, longer struct: the tail the library does not know is zeroed
     * and struct_size says how much the library filled. */
    memset(buf, 0xab, sizeof buf);
    assert_int_equal(lead_engine_options_init((lead_engine_options *)(void *)buf,
                                              (uint32_t)sizeof buf), LEAD_OK);
    memcpy(&seen, buf, sizeof seen);
    assert_int_equal(seen.struct_size, sizeof(lead_engine_options));
    for (size_t i = sizeof(lead_engine_options); i < sizeof buf; i++)
        assert_int_equal(buf[i], 0);
    assert_int_equal(lead_clock_init((lead_clock *)(void *)buf, 7), LEAD_EINVAL);
}

static void engine_defaults(void **state)
{
    (void)state;
    lead_engine *engine = (lead_engine *)1;
    assert_int_equal(lead_engine_new(&engine, NULL), LEAD_OK);
    assert_non_null(engine);
    assert_string_equal(lead_engine_errmsg(engine), "");
    int64_t now = 0;
    assert_int_equal(lead_engine_now(engine, &now), LEAD_OK);
    /* The system clock: after 2020-01-01 and before 2200-01-01. */
    assert_true(now > INT64_C(1577836800000));
    assert_true(now < INT64_C(7258118400000));
    lead_engine_free(engine);
    lead_engine_free(NULL);
    assert_string_equal(lead_engine_errmsg(NULL), "no engine (NULL handle)");
}

static void engine_rejects_bad_options(void **state)
{
    (void)state;
    assert_int_equal(lead_engine_new(NULL, NULL), LEAD_EINVAL);

    lead_engine *engine = (lead_engine *)1;
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.version = 99;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_EVERSION);
    assert_null(engine);
    opts.version = 0;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_EVERSION);
    opts.version = LEAD_ENGINE_OPTIONS_VERSION;
    opts.struct_size = 4;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_EINVAL);

    /* An allocator with a hook missing is refused. */
    lt_failalloc fa;
    lt_failalloc_init(&fa);
    fa.alloc.realloc_fn = NULL;
    lead_engine_options_init(&opts, sizeof(lead_engine_options));
    opts.allocator = &fa.alloc;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_EINVAL);

    /* A clock without now_ms is refused. */
    lead_clock clock = LEAD_CLOCK_INIT;
    lead_engine_options_init(&opts, sizeof(lead_engine_options));
    opts.clock = &clock;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_EINVAL);
    clock.version = 2;
    clock.now_ms = NULL;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_EVERSION);
}

static void engine_accepts_older_smaller_options(void **state)
{
    (void)state;
    /* A caller compiled against a header where the options ended after the
     * allocator: the clock and store slots keep their defaults. */
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &fc.clock;
    opts.struct_size = (uint32_t)offsetof(lead_engine_options, clock);
    lead_engine *engine = NULL;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_OK);
    int64_t now = 0;
    assert_int_equal(lead_engine_now(engine, &now), LEAD_OK);
    assert_int_equal(fc.calls, 0); /* the fake clock was not copied */
    lead_engine_free(engine);
}

static void engine_uses_caller_allocator_and_frees_all(void **state)
{
    (void)state;
    lt_failalloc fa;
    lt_failalloc_init(&fa);
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.allocator = &fa.alloc;
    lead_engine *engine = NULL;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_OK);
    assert_true(fa.live > 0);
    lead_engine_free(engine);
    assert_int_equal(fa.live, 0);
    assert_int_equal(fa.live_bytes, 0);

    lt_failalloc_arm(&fa, 0);
    engine = (lead_engine *)1;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_ENOMEM);
    assert_null(engine);
    assert_int_equal(fa.live, 0);
}

static int engine_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.allocator = alloc;
    lead_engine *engine = NULL;
    int rc = lead_engine_new(&engine, &opts);
    lead_engine_free(engine);
    return rc;
}

static void engine_alloc_sweep(void **state)
{
    (void)state;
    /* the engine and its embedded in-memory store */
    assert_int_equal(lt_alloc_sweep(engine_scenario, NULL, LEAD_OK), 2);
}

static void fake_clock_drives_now_and_failures(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    fc.step_ms = 250;
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &fc.clock;
    lead_engine *engine = NULL;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_OK);
    int64_t now = 0;
    assert_int_equal(lead_engine_now(engine, &now), LEAD_OK);
    assert_int_equal(now, LT_T0);
    assert_int_equal(lead_engine_now(engine, &now), LEAD_OK);
    assert_int_equal(now, LT_T0 + 250);

    fc.fail_at = 2;
    now = 42;
    assert_int_equal(lead_engine_now(engine, &now), LEAD_ECLOCK);
    assert_int_equal(now, 42); /* untouched on failure */
    assert_string_equal(lead_engine_errmsg(engine), "clock callback failed (returned 7)");
    assert_int_equal(lead_engine_now(engine, NULL), LEAD_EINVAL);
    assert_int_equal(lead_engine_now(NULL, &now), LEAD_EINVAL);
    lead_engine_free(engine);
}

/* LEAD_TIME_UNKNOWN (INT64_MIN) is never a now; the values next to it are. */
static void clock_reporting_unknown_time_is_refused(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, INT64_MIN);
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &fc.clock;
    lead_engine *engine = NULL;
    assert_int_equal(lead_engine_new(&engine, &opts), LEAD_OK);
    int64_t now = 42;
    assert_int_equal(lead_engine_now(engine, &now), LEAD_ECLOCK);
    assert_int_equal(now, 42); /* untouched */
    assert_string_equal(lead_engine_errmsg(engine), "clock callback returned LEAD_TIME_UNKNOWN");
    assert_int_equal(fc.calls, 1);

    fc.now_ms = INT64_MIN + 1;
    assert_int_equal(lead_engine_now(engine, &now), LEAD_OK);
    assert_true(now == INT64_MIN + 1);
    fc.now_ms = INT64_MAX;
    assert_int_equal(lead_engine_now(engine, &now), LEAD_OK);
    assert_true(now == INT64_MAX);
    lead_engine_free(engine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_codes_have_fixed_values),
        cmocka_unit_test(strerror_names_every_code),
        cmocka_unit_test(version_matches_headers),
        cmocka_unit_test(init_functions_equal_init_macros),
        cmocka_unit_test(init_functions_respect_the_callers_size),
        cmocka_unit_test(engine_defaults),
        cmocka_unit_test(engine_rejects_bad_options),
        cmocka_unit_test(engine_accepts_older_smaller_options),
        cmocka_unit_test(engine_uses_caller_allocator_and_frees_all),
        cmocka_unit_test(engine_alloc_sweep),
        cmocka_unit_test(fake_clock_drives_now_and_failures),
        cmocka_unit_test(clock_reporting_unknown_time_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
