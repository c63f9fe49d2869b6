/* The scores an engine keeps agree with the store where a write was only
 * partly done or done by someone else: a store without transactions that
 * kept part of a failed track or merge, and a second engine writing to the
 * same store. Each case compares the kept figures with a score read back
 * from the store. And a write that changes no score moves no stage. */
#include "lead_test.h"
#include "engine_score.h"
#include "failstore.h"

#include <string.h>

static const char model_text[] = "liblead-score 1\n"
                                 "behaviour 10 email_open\n"
                                 "behaviour 5 page_view\n";

static void attach(lead_engine *e)
{
    lt_attach_model(e, "m", model_text);
}

/* The behaviour read back from the store; the kept figure must be equal
 * (when anything is kept). */
static int64_t agreed_behaviour(lead_engine *e, uint64_t id, int64_t t)
{
    lead_score_result *r = NULL;
    assert_int_equal(lead_engine_score(&r, e, "m", id, t), LEAD_OK);
    int64_t stored = 0;
    assert_int_equal(lead_score_result_scores(r, NULL, &stored, NULL), LEAD_OK);
    lead_score_result_free(r);
    int64_t kept[3];
    int rc = lead__es_kept(e, "m", id, t, kept);
    if (rc != LEAD_ENOTFOUND) {
        assert_int_equal(rc, LEAD_OK);
        assert_int_equal(kept[1], stored);
    }
    return stored;
}

typedef struct notx {
    lead_store *memory;
    lt_failstore fs;
    lt_fakeclock fc;
    lead_engine *e;
    uint64_t a, b;
} notx;

static void notx_up(notx *w)
{
    assert_int_equal(lead_store_memory_new(&w->memory, NULL), LEAD_OK);
    lt_failstore_init(&w->fs, w->memory, 1);
    lt_fakeclock_init(&w->fc, LT_T0 + LT_DAY);
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &w->fc.clock;
    opts.store = &w->fs.store;
    assert_int_equal(lead_engine_new(&w->e, &opts), LEAD_OK);
    attach(w->e);
    assert_int_equal(lead_contact_create(w->e, &w->a, "a@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lead_contact_create(w->e, &w->b, "b@x.io", NULL, 0), LEAD_OK);
}

static void notx_down(notx *w)
{
    lead_engine_free(w->e);
    lead_store_memory_free(w->memory);
}

/* A contact's first track fails at each store call in turn; whatever the
 * store kept of it, the next track leaves kept and stored scores equal. */
static void failed_first_track(void **state)
{
    (void)state;
    long failures = 0;
    for (long n = 0;; n++) {
        notx w;
        notx_up(&w);
        lt_failstore_arm(&w.fs, n);
        int rc = lt_track_at(w.e, w.a, LEAD_EVENT_EMAIL_OPEN, LT_T0);
        long injected = w.fs.injected;
        lt_failstore_arm(&w.fs, -1);
        /* A field write scores the contact from the store first. */
        assert_int_equal(lead_contact_set_field(w.e, w.a, LEAD_FIELD_CITY, "Oslo"), LEAD_OK);
        int64_t opened = agreed_behaviour(w.e, w.a, LT_T0 + 500);
        assert_true(opened == 1000 || opened == 0);
        assert_int_equal(lt_track_at(w.e, w.a, LEAD_EVENT_PAGE_VIEW, LT_T0 + 1000), LEAD_OK);
        int64_t behaviour = agreed_behaviour(w.e, w.a, LT_T0 + 2000);
        /* 15 points with the email open, 5 without it. */
        assert_true(behaviour == 1500 || behaviour == 500);
        notx_down(&w);
        if (!injected) {
            assert_int_equal(rc, LEAD_OK);
            assert_int_equal(behaviour, 1500);
            break;
        }
        assert_int_equal(rc, LEAD_ESTORE);
        failures++;
    }
    assert_true(failures >= 2);
}

/* A merge fails at each store call in turn; the winner's next track leaves
 * kept and stored scores equal, whichever events the store moved. */
static void failed_merge(void **state)
{
    (void)state;
    long failures = 0;
    for (long n = 0;; n++) {
        notx w;
        notx_up(&w);
        assert_int_equal(lt_track_at(w.e, w.a, LEAD_EVENT_EMAIL_OPEN, LT_T0), LEAD_OK);
        assert_int_equal(lt_track_at(w.e, w.b, LEAD_EVENT_EMAIL_OPEN, LT_T0 + 100), LEAD_OK);
        assert_int_equal(lt_track_at(w.e, w.b, LEAD_EVENT_EMAIL_OPEN, LT_T0 + 200), LEAD_OK);
        lt_failstore_arm(&w.fs, n);
        int rc = lead_contact_merge(w.e, w.a, w.b, NULL);
        long injected = w.fs.injected;
        lt_failstore_arm(&w.fs, -1);
        assert_int_equal(lt_track_at(w.e, w.a, LEAD_EVENT_PAGE_VIEW, LT_T0 + 1000), LEAD_OK);
        int64_t behaviour = agreed_behaviour(w.e, w.a, LT_T0 + 2000);
        notx_down(&w);
        if (!injected) {
            assert_int_equal(rc, LEAD_OK);
            assert_int_equal(behaviour, 3500); /* three opens and a view */
            break;
        }
        assert_int_not_equal(rc, LEAD_OK);
        failures++;
    }
    assert_true(failures >= 2);
}

/* Engine B tracks for a contact that engine A keeps scores of: A's
 * segments and A's score read-back both see B's event. */
static void another_engine_wrote(void **state)
{
    (void)state;
    lead_store *memory = NULL;
    assert_int_equal(lead_store_memory_new(&memory, NULL), LEAD_OK);
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0 + 1000);
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &fc.clock;
    opts.store = memory;
    lead_engine *a = NULL, *b = NULL;
    assert_int_equal(lead_engine_new(&a, &opts), LEAD_OK);
    assert_int_equal(lead_engine_new(&b, &opts), LEAD_OK);
    attach(a);
    uint64_t x = 0;
    assert_int_equal(lead_contact_create(a, &x, "x@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lt_track_at(a, x, LEAD_EVENT_PAGE_VIEW, LT_T0), LEAD_OK);
    assert_int_equal(lt_track_at(b, x, LEAD_EVENT_EMAIL_OPEN, LT_T0 + 10), LEAD_OK);

    static const char text[] = "liblead-segment 1\nscore \"m\" behaviour 15 *\n";
    lead_segment *seg = NULL;
    assert_int_equal(lead_segment_new(&seg, NULL), LEAD_OK);
    assert_int_equal(lead_segment_parse(seg, text, sizeof text - 1), LEAD_OK);
    lead_segment_iter *it = NULL;
    assert_int_equal(lead_segment_iter_new(&it, a, seg, NULL, NULL), LEAD_OK);
    uint64_t member = 0;
    assert_int_equal(lead_segment_iter_next(it, &member), LEAD_OK);
    assert_int_equal(member, x);
    assert_int_equal(lead_segment_iter_next(it, &member), LEAD_ITEROVER);
    lead_segment_iter_free(it);
    lead_segment_free(seg);

    lead_score_result *r = NULL;
    assert_int_equal(lead_engine_score(&r, a, "m", x, LEAD_TIME_UNKNOWN), LEAD_OK);
    int64_t behaviour = 0;
    assert_int_equal(lead_score_result_scores(r, NULL, &behaviour, NULL), LEAD_OK);
    assert_int_equal(behaviour, 1500);
    lead_score_result_free(r);
    lead_engine_free(b);
    lead_engine_free(a);
    lead_store_memory_free(memory);
}

static int stage_of(lead_engine *e, uint64_t id)
{
    lead_contact *c = NULL;
    int stage = -1;
    assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
    assert_int_equal(lead_contact_stage(c, &stage), LEAD_OK);
    lead_contact_free(c);
    return stage;
}

/* A contact that a threshold made an MQL and a person moved back to
 * subscriber stays there through writes that leave its score as it was;
 * a fit that changes crosses again. */
static void unchanged_score_moves_no_stage(void **state)
{
    (void)state;
    static const char text[] = "liblead-score 1\n"
                               "fit authority 100 job_title contains \"vp\"\n"
                               "behaviour 10 email_open\n"
                               "stage mql behaviour 10\n"
                               "stage sql fit 100 behaviour 10\n";
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0 + 1000);
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &fc.clock;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &opts), LEAD_OK);
    lt_attach_model(e, "m", text);
    uint64_t x = 0;
    assert_int_equal(lead_contact_create(e, &x, "x@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lt_track_at(e, x, LEAD_EVENT_EMAIL_OPEN, LT_T0), LEAD_OK);
    assert_int_equal(stage_of(e, x), LEAD_STAGE_MQL);
    assert_int_equal(lead_contact_set_stage(e, x, LEAD_STAGE_SUBSCRIBER, LEAD_STAGE_RESET),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_consent(e, x, LEAD_PURPOSE_EMAIL_MARKETING,
                                              LEAD_CONSENT_SUBSCRIBED),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, x, LEAD_FIELD_CITY, "Berlin"), LEAD_OK);
    assert_int_equal(stage_of(e, x), LEAD_STAGE_SUBSCRIBER);
    assert_int_equal(lead_contact_set_field(e, x, LEAD_FIELD_JOB_TITLE, "VP Sales"), LEAD_OK);
    assert_int_equal(stage_of(e, x), LEAD_STAGE_SQL);
    lead_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failed_first_track),
        cmocka_unit_test(failed_merge),
        cmocka_unit_test(another_engine_wrote),
        cmocka_unit_test(unchanged_score_moves_no_stage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
