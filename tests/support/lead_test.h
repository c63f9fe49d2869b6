/* Shared test support: a fault-injecting allocator, a fake clock, and an
 * allocation-failure sweep. Every suite includes this after cmocka. */
#ifndef LEAD_TEST_H
#define LEAD_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lead.h"

/* ---- fault-injecting allocator ---------------------------------------- */
typedef struct lt_failalloc {
    lead_allocator alloc; /* hand &fa.alloc to the library */
    long fail_at;         /* 0-based index of the call to fail; -1: never */
    int fail_all_after;   /* non-zero: every call from fail_at on fails */
    long calls;           /* malloc + realloc calls seen */
    long injected;        /* how many calls were failed */
    long live;            /* blocks allocated and not yet freed */
    size_t live_bytes;
    size_t peak_bytes;
} lt_failalloc;

void lt_failalloc_init(lt_failalloc *fa);
/* Resets the counters and arms a failure at call n (-1 disarms). */
void lt_failalloc_arm(lt_failalloc *fa, long n);

/* A scenario builds everything it needs with alloc, runs, frees everything
 * (also on failure) and returns the status of the operation under test. */
typedef int (*lt_scenario)(const lead_allocator *alloc, void *ctx);

/* Runs scenario with allocation 0, 1, 2 ... failing until a run sees no
 * injected failure. Each failing run must return LEAD_ENOMEM (or LEAD_OK if
 * the failure was absorbed) and leak nothing; the clean run must return
 * expect_ok. Returns the number of allocations in the clean run. */
long lt_alloc_sweep(lt_scenario scenario, void *ctx, int expect_ok);

/* ---- fake clock ------------------------------------------------------- */
typedef struct lt_fakeclock {
    lead_clock clock;  /* hand &fc.clock to the library */
    int64_t now_ms;
    int64_t step_ms;   /* added after every read */
    long calls;
    long fail_at;      /* 0-based index of the read to fail; -1: never */
    int fail_code;     /* what a failing read returns (non-zero) */
} lt_fakeclock;

void lt_fakeclock_init(lt_fakeclock *fc, int64_t now_ms);

/* 2026-01-01T00:00:00Z, the epoch most tests start at. */
#define LT_T0 INT64_C(1767225600000)
#define LT_DAY INT64_C(86400000)

/* Tracks an event of `type` for `contact` at time_ms on the direct channel
 * (tests/support/track.c); returns lead_track()'s status. */
int lt_track_at(lead_engine *engine, uint64_t contact, int type, int64_t time_ms);

/* Parses text as a scoring model and attaches it to engine under name
 * (tests/support/attach.c); fails the test when either step fails. */
void lt_attach_model(lead_engine *engine, const char *name, const char *text);

/* Writes `prefix`, then `plain` bytes 'x' and `escapes` copies of `esc` (a
 * two-byte escape), then a closing quote and a line end into buf
 * (tests/support/quoted.c); returns the length. Fails the test when buf is
 * too small. */
size_t lt_quoted_line(char *buf, size_t cap, const char *prefix, size_t plain, size_t escapes,
                      const char *esc);

#endif
