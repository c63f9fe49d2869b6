/* A clock the test controls, which can be told to fail. */
#include "lead_test.h"

#include <string.h>

static int fake_now(void *user, int64_t *out_ms)
{
    lt_fakeclock *fc = user;
    long idx = fc->calls++;
    if (fc->fail_at >= 0 && idx == fc->fail_at)
        return fc->fail_code;
    *out_ms = fc->now_ms;
    fc->now_ms += fc->step_ms;
    return 0;
}

void lt_fakeclock_init(lt_fakeclock *fc, int64_t now_ms)
{
    memset(fc, 0, sizeof *fc);
    lead_clock_init(&fc->clock, sizeof(lead_clock));
    fc->clock.user = fc;
    fc->clock.now_ms = fake_now;
    fc->now_ms = now_ms;
    fc->fail_at = -1;
    fc->fail_code = 7;
}
