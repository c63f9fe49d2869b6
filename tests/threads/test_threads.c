/* Distinct engines and handles in distinct threads are fully independent:
 * run under ThreadSanitizer (the tsan preset) this must report nothing, and
 * every thread must get exactly the single-threaded answer. */
#define _POSIX_C_SOURCE 200809L
#include "lead_test.h"

#include <pthread.h>
#include <stdio.h>

#define THREADS 4

typedef struct worker {
    int seed;
    lt_failalloc alloc; /* per thread: no shared allocator state */
    lt_fakeclock clock;
    int rc;
    size_t journeys, channels;
    int64_t last_now;
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.allocator = &w->alloc.alloc;
    opts.clock = &w->clock.clock;
    lead_engine *engine = NULL;
    w->rc = lead_engine_new(&engine, &opts);
    lead_journey_set *set = NULL;
    if (w->rc == LEAD_OK)
        w->rc = lead_journey_set_new(&set, &w->alloc.alloc);
    char name[16];
    for (int j = 0; w->rc == LEAD_OK && j < 2000; j++) {
        w->rc = lead_journey_set_begin(set);
        for (int t = 0; w->rc == LEAD_OK && t < 1 + (j + w->seed) % 4; t++) {
            snprintf(name, sizeof name, "c%d", (j * 7 + t + w->seed) % 50);
            w->rc = lead_journey_set_add_touch(set, name, NULL, LEAD_TIME_UNKNOWN, 0);
        }
        if (w->rc == LEAD_OK)
            w->rc = lead_journey_set_end(set, 1, 2, 0, LEAD_TIME_UNKNOWN);
        if (w->rc == LEAD_OK)
            w->rc = lead_engine_now(engine, &w->last_now);
    }
    if (w->rc == LEAD_OK)
        w->rc = lead_journey_set_count(set, &w->journeys);
    if (w->rc == LEAD_OK)
        w->rc = lead_journey_set_channel_count(set, &w->channels);
    lead_journey_set_free(set);
    lead_engine_free(engine);
    return NULL;
}

static void engines_in_parallel_threads(void **state)
{
    (void)state;
    worker workers[THREADS];
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i].seed = i;
        lt_failalloc_init(&workers[i].alloc);
        lt_fakeclock_init(&workers[i].clock, LT_T0 + i * LT_DAY);
        workers[i].clock.step_ms = 1;
        assert_int_equal(pthread_create(&threads[i], NULL, run_worker, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(workers[i].rc, LEAD_OK);
        assert_int_equal(workers[i].journeys, 2000);
        assert_int_equal(workers[i].channels, 50);
        /* Each engine read only its own clock: 2000 reads, 1 ms apart. */
        assert_int_equal(workers[i].last_now, LT_T0 + i * LT_DAY + 1999);
        assert_int_equal(workers[i].clock.calls, 2000);
        assert_int_equal(workers[i].alloc.live, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(engines_in_parallel_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
