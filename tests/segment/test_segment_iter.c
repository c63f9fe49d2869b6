/* The contacts of an engine in a segment at the engine clock's now: stages,
 * fields and events from the store, facts from a callback, window edges,
 * deleted contacts, clock, store and allocation failures. */
#include "lead_test.h"
#include "failstore.h"

#include <string.h>

#define NOW (LT_T0 + 30 * LT_DAY)

static const char engaged[] = "liblead-segment 1\n"
                              "stage at-least lead\n"
                              "field country one-of \"DE\" \"FR\"\n"
                              "did download within 7d\n"
                              "not did email_open within 30d\n";

static int track(lead_engine *e, uint64_t id, int type, int channel, int64_t at,
                 const char *campaign, const char *source)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = id;
    in.type = type;
    in.channel = channel;
    in.time_ms = at;
    in.campaign = campaign;
    in.source = source;
    uint64_t event_id = 0;
    return lead_track(e, &event_id, &in);
}

static int contact(lead_engine *e, const char *country, uint64_t *out_id)
{
    int rc = lead_contact_create(e, out_id, NULL, NULL, LEAD_DUPLICATE_REFUSE);
    if (rc == LEAD_OK && country)
        rc = lead_contact_set_field(e, *out_id, LEAD_FIELD_COUNTRY, country);
    return rc;
}

/* Nine contacts; those in `engaged` at NOW are 1 and 8. */
static int seed(lead_engine *e)
{
    static const struct {
        const char *country;
        int64_t download_age; /* INT64_MIN: none; negative: in the future */
        int64_t open_age;     /* INT64_MIN: none */
        int stage;            /* -1: leave as tracked */
    } people[] = {
        {"DE", 2 * LT_DAY, INT64_MIN, -1},                  /* 1: in */
        {"FR", 8 * LT_DAY, INT64_MIN, -1},                  /* 2: download too old */
        {"DE", INT64_MIN, INT64_MIN, -1},                   /* 3: a subscriber */
        {"GB", LT_DAY, INT64_MIN, -1},                      /* 4: country */
        {"DE", 7 * LT_DAY, INT64_MIN, -1},                  /* 5: exactly 7 days: out */
        {"FR", LT_DAY, 10 * LT_DAY, -1},                    /* 6: opened an email */
        {"DE", 6 * LT_DAY, INT64_MIN, LEAD_STAGE_DISQUALIFIED}, /* 7: off the path */
        {"DE", 6 * LT_DAY, 31 * LT_DAY, LEAD_STAGE_CUSTOMER},   /* 8: in */
        {"DE", -3600000, INT64_MIN, -1},                    /* 9: downloads after NOW */
    };
    int rc = LEAD_OK;
    for (size_t i = 0; rc == LEAD_OK && i < sizeof people / sizeof people[0]; i++) {
        uint64_t id = 0;
        rc = contact(e, people[i].country, &id);
        if (rc == LEAD_OK && people[i].open_age != INT64_MIN)
            rc = track(e, id, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, NOW - people[i].open_age,
                       "news", NULL);
        if (rc == LEAD_OK && people[i].download_age != INT64_MIN)
            rc = track(e, id, LEAD_EVENT_DOWNLOAD, LEAD_CHANNEL_ORGANIC_SEARCH,
                       NOW - people[i].download_age, "ebook", NULL);
        if (rc == LEAD_OK && people[i].stage >= 0)
            rc = lead_contact_set_stage(e, id, people[i].stage, LEAD_STAGE_RESET);
    }
    return rc;
}

static lead_engine *new_engine(lt_fakeclock *fc, const lead_allocator *alloc, lead_store *store)
{
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.clock = &fc->clock;
    o.allocator = alloc;
    o.store = store;
    lead_engine *e = NULL;
    return lead_engine_new(&e, &o) == LEAD_OK ? e : NULL;
}

static lead_segment *parse(const char *text)
{
    lead_segment *seg = NULL;
    assert_int_equal(lead_segment_new(&seg, NULL), LEAD_OK);
    assert_int_equal(lead_segment_parse(seg, text, strlen(text)), LEAD_OK);
    return seg;
}

/* Collects the ids an iterator gives into ids[] (at most 16). */
static int drain(lead_segment_iter *it, uint64_t *ids, size_t *n)
{
    int rc;
    uint64_t id;
    while ((rc = lead_segment_iter_next(it, &id)) == LEAD_OK)
        if (*n < 16)
            ids[(*n)++] = id;
    return rc == LEAD_ITEROVER ? LEAD_OK : rc;
}

/* Iterates seg over e and checks that the members are want[0..nwant). */
static void expect_members(lead_engine *e, const char *text, const uint64_t *want, size_t nwant)
{
    lead_segment *seg = parse(text);
    lead_segment_iter *it = NULL;
    assert_int_equal(lead_segment_iter_new(&it, e, seg, NULL, NULL), LEAD_OK);
    uint64_t ids[16];
    size_t n = 0;
    assert_int_equal(drain(it, ids, &n), LEAD_OK);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ids[i], want[i]);
    uint64_t id = 0;
    assert_int_equal(lead_segment_iter_next(it, &id), LEAD_ITEROVER);
    lead_segment_iter_free(it);
    lead_segment_free(seg);
}

static void members_at_the_clock_now(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, NOW);
    lead_engine *e = new_engine(&fc, NULL, NULL);
    assert_non_null(e);
    assert_int_equal(seed(e), LEAD_OK);
    lead_segment *seg = parse(engaged);
    lead_segment_iter *it = NULL;
    long reads = fc.calls;
    assert_int_equal(lead_segment_iter_new(&it, e, seg, NULL, NULL), LEAD_OK);
    assert_int_equal(fc.calls, reads + 1); /* the clock is read once */
    int64_t t = 0;
    assert_int_equal(lead_segment_iter_time(it, &t), LEAD_OK);
    assert_int_equal(t, NOW);
    lead_segment_iter_free(it);
    lead_segment_free(seg);
    static const uint64_t at_now[] = {1, 8};
    expect_members(e, engaged, at_now, 2);

    /* An hour later contact 9's download has happened; contact 5's, seven
     * days old at NOW, stays out. */
    fc.now_ms = NOW + 3600000;
    static const uint64_t an_hour_later[] = {1, 8, 9};
    expect_members(e, engaged, an_hour_later, 3);

    /* A segment without event conditions reads no events; a segment with
     * an unwindowed one reads them all. */
    static const uint64_t subscribers[] = {3};
    expect_members(e, "liblead-segment 1\nstage is subscriber\n", subscribers, 1);
    static const uint64_t openers[] = {6, 8};
    expect_members(e, "liblead-segment 1\ndid email_open channel \"email\"\n", openers, 2);
    lead_engine_free(e);
}

typedef struct facts_ctx {
    int stop_at; /* contact id whose callback stops, 0: none */
    int calls;
} facts_ctx;

/* Odd contacts subscribed to email, all scored 55 total under "default". */
static int add_facts(void *user, uint64_t contact_id, lead_segment_facts *facts)
{
    facts_ctx *ctx = user;
    ctx->calls++;
    if ((uint64_t)ctx->stop_at == contact_id)
        return 1;
    if (contact_id % 2 &&
        lead_segment_facts_set_consent(facts, "email", LEAD_CONSENT_SUBSCRIBED) != LEAD_OK)
        return 1;
    return lead_segment_facts_set_scores(facts, "default", 3000, 2500, 5500, 'D') != LEAD_OK;
}

static void facts_come_from_the_callback(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, NOW);
    lead_engine *e = new_engine(&fc, NULL, NULL);
    assert_non_null(e);
    uint64_t id = 0;
    for (int i = 0; i < 4; i++)
        assert_int_equal(contact(e, NULL, &id), LEAD_OK);
    /* 1 and 2 downloaded the spring e-book from the newsletter; 3 from an ad. */
    assert_int_equal(track(e, 1, LEAD_EVENT_DOWNLOAD, LEAD_CHANNEL_EMAIL, NOW - LT_DAY, "spring",
                           "newsletter"),
                     LEAD_OK);
    assert_int_equal(track(e, 2, LEAD_EVENT_DOWNLOAD, LEAD_CHANNEL_EMAIL, NOW - LT_DAY, "spring",
                           "newsletter"),
                     LEAD_OK);
    assert_int_equal(track(e, 3, LEAD_EVENT_DOWNLOAD, LEAD_CHANNEL_EMAIL, NOW - LT_DAY, "spring",
                           "ads"),
                     LEAD_OK);
    lead_segment *seg = parse("liblead-segment 1\n"
                              "consent email subscribed\n"
                              "score \"default\" total 55 *\n"
                              "did download channel \"email\" campaign \"spring\" "
                              "property \"source\" \"newsletter\" within 30d\n");
    facts_ctx ctx = {0, 0};
    lead_segment_iter *it = NULL;
    assert_int_equal(lead_segment_iter_new(&it, e, seg, add_facts, &ctx), LEAD_OK);
    uint64_t ids[16];
    size_t n = 0;
    assert_int_equal(drain(it, ids, &n), LEAD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ctx.calls, 4);
    lead_segment_iter_free(it);

    /* A callback that stops: the iterator stays on that contact. */
    ctx.stop_at = 1;
    ctx.calls = 0;
    assert_int_equal(lead_segment_iter_new(&it, e, seg, add_facts, &ctx), LEAD_OK);
    assert_int_equal(lead_segment_iter_next(it, &id), LEAD_ECANCELED);
    assert_int_equal(lead_segment_iter_next(it, &id), LEAD_ECANCELED);
    assert_string_equal(lead_engine_errmsg(e), "segment facts callback stopped at contact 1");
    ctx.stop_at = 0;
    assert_int_equal(lead_segment_iter_next(it, &id), LEAD_OK);
    assert_int_equal(id, 1);
    assert_int_equal(lead_segment_iter_next(it, &id), LEAD_ITEROVER);
    assert_int_equal(ctx.calls, 6);
    lead_segment_iter_free(it);
    lead_segment_free(seg);
    lead_engine_free(e);
}

static void deleted_contacts_are_skipped(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, NOW);
    lead_store *store = NULL;
    assert_int_equal(lead_store_memory_new(&store, NULL), LEAD_OK);
    lead_engine *e = new_engine(&fc, NULL, store);
    assert_non_null(e);
    assert_int_equal(seed(e), LEAD_OK);
    lead_segment *seg = parse(engaged);
    lead_segment_iter *it = NULL;
    assert_int_equal(lead_segment_iter_new(&it, e, seg, NULL, NULL), LEAD_OK);
    assert_int_equal(store->contact_delete(store->user, 1), 0);
    uint64_t ids[16];
    size_t n = 0;
    assert_int_equal(drain(it, ids, &n), LEAD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 8);
    lead_segment_iter_free(it);
    lead_segment_free(seg);
    lead_engine_free(e);
    lead_store_memory_free(store);
}

static void clock_and_store_failures(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, NOW);
    lead_store *mem = NULL;
    assert_int_equal(lead_store_memory_new(&mem, NULL), LEAD_OK);
    lt_failstore fs;
    lt_failstore_init(&fs, mem, 0);
    lead_engine *e = new_engine(&fc, NULL, &fs.store);
    assert_non_null(e);
    assert_int_equal(seed(e), LEAD_OK);
    lead_segment *seg = parse(engaged);
    lead_segment_iter *it = (lead_segment_iter *)1;
    int64_t id_time = 0;

    fc.fail_at = fc.calls;
    assert_int_equal(lead_segment_iter_new(&it, e, seg, NULL, NULL), LEAD_ECLOCK);
    assert_null(it);
    fc.fail_at = -1;

    /* Every store call of a whole iteration, failed in turn: the call that
     * fails reports LEAD_ESTORE, and the next call picks up where it was. */
    long k = 0;
    for (;; k++) {
        lt_failstore_arm(&fs, k);
        int rc = lead_segment_iter_new(&it, e, seg, NULL, NULL);
        if (rc != LEAD_OK) {
            assert_int_equal(rc, LEAD_ESTORE);
            assert_null(it);
            continue;
        }
        uint64_t ids[16];
        size_t n = 0;
        uint64_t id;
        int failures = 0;
        while ((rc = lead_segment_iter_next(it, &id)) != LEAD_ITEROVER) {
            if (rc == LEAD_ESTORE) {
                failures++;
                continue;
            }
            assert_int_equal(rc, LEAD_OK);
            ids[n++] = id;
        }
        assert_int_equal(n, 2);
        assert_int_equal(ids[0], 1);
        assert_int_equal(ids[1], 8);
        lead_segment_iter_free(it);
        if (fs.injected == 0)
            break;
        assert_int_equal(failures, 1);
    }
    assert_true(k > 10);
    lt_failstore_arm(&fs, -1);

    assert_int_equal(lead_segment_iter_new(NULL, e, seg, NULL, NULL), LEAD_EINVAL);
    assert_int_equal(lead_segment_iter_new(&it, NULL, seg, NULL, NULL), LEAD_EINVAL);
    assert_int_equal(lead_segment_iter_new(&it, e, NULL, NULL, NULL), LEAD_EINVAL);
    uint64_t id;
    assert_int_equal(lead_segment_iter_next(NULL, &id), LEAD_EINVAL);
    assert_int_equal(lead_segment_iter_new(&it, e, seg, NULL, NULL), LEAD_OK);
    assert_int_equal(lead_segment_iter_next(it, NULL), LEAD_EINVAL);
    assert_int_equal(lead_segment_iter_time(it, NULL), LEAD_EINVAL);
    assert_int_equal(lead_segment_iter_time(NULL, &id_time), LEAD_EINVAL);
    lead_segment_iter_free(it);
    lead_segment_iter_free(NULL);
    lead_segment_free(seg);
    lead_engine_free(e);
    lead_store_memory_free(mem);
}

static int iterate_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, NOW);
    lead_engine *e = new_engine(&fc, alloc, NULL);
    if (!e)
        return LEAD_ENOMEM;
    lead_segment *seg = NULL;
    lead_segment_iter *it = NULL;
    int rc = seed(e);
    if (rc == LEAD_OK)
        rc = lead_segment_new(&seg, alloc);
    if (rc == LEAD_OK)
        rc = lead_segment_parse(seg, engaged, strlen(engaged));
    if (rc == LEAD_OK)
        rc = lead_segment_iter_new(&it, e, seg, NULL, NULL);
    uint64_t ids[16];
    size_t n = 0;
    if (rc == LEAD_OK)
        rc = drain(it, ids, &n);
    if (rc == LEAD_OK && (n != 2 || ids[0] != 1 || ids[1] != 8))
        rc = LEAD_ESTATE;
    lead_segment_iter_free(it);
    lead_segment_free(seg);
    lead_engine_free(e);
    return rc;
}

static void iterate_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(iterate_scenario, NULL, LEAD_OK) > 100);
}

/* Scores of attached models reach score and grade conditions: kept figures
 * at the iterator's time, and for contact 9, whose download is after NOW,
 * the score evaluated from the store at NOW (the download does not count). */
static void scores_of_attached_models(void **state)
{
    (void)state;
    static const char model_text[] = "liblead-score 1\n"
                                      "half-life 7d\n"
                                      "fit profile 10 country one-of \"DE\"\n"
                                      "behaviour 10 download\n";
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, NOW);
    lead_engine *e = new_engine(&fc, NULL, NULL);
    assert_non_null(e);
    lead_score_model *model = NULL;
    assert_int_equal(lead_score_model_new(&model, NULL), LEAD_OK);
    assert_int_equal(lead_score_model_parse(model, model_text, sizeof model_text - 1), LEAD_OK);
    assert_int_equal(lead_engine_score_attach(e, "views", model), LEAD_OK);
    lead_score_model_free(model);
    assert_int_equal(seed(e), LEAD_OK);
    /* A download d days old counts 10 * 2^(-d/7): 2 d 8.20, 7 d exactly
     * 5.00, 8 d 4.53; so 1, 4, 5, 6, 7 and 8 reach 5 points, 2 does not. */
    static const uint64_t recent[] = {1, 4, 5, 6, 7, 8};
    expect_members(e, "liblead-segment 1\nscore \"views\" behaviour 5 *\n", recent, 6);
    /* Grade A is fit 100: the contacts in DE. */
    static const uint64_t german[] = {1, 3, 5, 7, 8, 9};
    expect_members(e, "liblead-segment 1\ngrade \"views\" A\n", german, 6);
    static const uint64_t both[] = {1, 5, 7, 8};
    expect_members(e, "liblead-segment 1\ngrade \"views\" A\nscore \"views\" total 105 *\n",
                   both, 4);
    /* A model that is not attached has no scores: its conditions fail. */
    expect_members(e, "liblead-segment 1\nscore \"other\" total 0 *\n", NULL, 0);
    lead_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(members_at_the_clock_now),
        cmocka_unit_test(facts_come_from_the_callback),
        cmocka_unit_test(scores_of_attached_models),
        cmocka_unit_test(deleted_contacts_are_skipped),
        cmocka_unit_test(clock_and_store_failures),
        cmocka_unit_test(iterate_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
