/* lead_track_batch(): the results of one lead_track() per event (store bytes,
 * ids, scores, stage moves), the first failure stops the batch with its
 * index, an older caller's smaller structs, and every allocation, store
 * call and clock read failing in turn. */
#include "lead_test.h"
#include "engine_score.h"
#include "storedump.h"
#include "world.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define H INT64_C(3600000)

/* 30 fit points for a VP (fit 100 once normalised); 10 per email open, 5 per organic page view; MQL
 * at fit 20 and behaviour 15. */
static const char model_text[] = "liblead-score 1\n"
                                 "half-life 7d\n"
                                 "fit authority 30 job_title contains \"vp\"\n"
                                 "behaviour 10 email_open\n"
                                 "behaviour 5 page_view channel \"organic_search\"\n"
                                 "stage mql fit 20 behaviour 15\n";

typedef lt_world world;

/* Three contacts, the first a VP with one page view; the model attached. */
static void world_up(world *w, enum lt_world_store mode)
{
    lt_world_up(w, LT_T0 + LT_DAY, 1000, mode);
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(w->e, &id, "a@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lead_contact_create(w->e, &id, "b@x.io", "crm-b", 0), LEAD_OK);
    assert_int_equal(lead_contact_create(w->e, &id, "c@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lead_contact_set_field(w->e, 1, LEAD_FIELD_JOB_TITLE, "VP Sales"), LEAD_OK);
    assert_int_equal(lt_track_at(w->e, 1, LEAD_EVENT_PAGE_VIEW, LT_T0), LEAD_OK);
    lt_attach_model(w->e, "m", model_text);
}

/* The batch every test tracks: contact 1 crosses to MQL at the second
 * event (fit 30, behaviour 10 * 2^(-1/168) + 10 = 19.96; its seeded page
 * view is direct, which no rule counts), contact 2 becomes a lead (a form),
 * a replayed key stores nothing, contact 3 buys. */
#define NEVENTS 6
static void batch_inputs(lead_event_input in[NEVENTS])
{
    static const struct {
        uint64_t contact;
        int type, channel;
        int64_t at;
        int64_t value;
        const char *key;
    } rows[NEVENTS] = {
        {1, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + H, 0, "k1"},
        {1, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + 2 * H, 0, NULL},
        {2, LEAD_EVENT_FORM_SUBMIT, LEAD_CHANNEL_PAID_SEARCH, LT_T0 + 3 * H, 0, NULL},
        {1, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + H, 0, "k1"},
        {3, LEAD_EVENT_PURCHASE, LEAD_CHANNEL_DIRECT, LT_T0 + 4 * H, 4200, "k3"},
        {2, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_ORGANIC_SEARCH, LT_T0 + 5 * H, 0, NULL},
    };
    for (int i = 0; i < NEVENTS; i++) {
        in[i] = (lead_event_input)LEAD_EVENT_INPUT_INIT;
        in[i].contact_id = rows[i].contact;
        in[i].type = rows[i].type;
        in[i].channel = rows[i].channel;
        in[i].time_ms = rows[i].at;
        in[i].value_minor = rows[i].value;
        in[i].currency = rows[i].value ? "EUR" : NULL;
        in[i].campaign = "spring";
        in[i].idempotency_key = rows[i].key;
    }
}

static int stage_of(lead_engine *e, uint64_t id)
{
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
    int stage = -1;
    lead_contact_stage(c, &stage);
    lead_contact_free(c);
    return stage;
}

static int64_t total_score(lead_engine *e, uint64_t id)
{
    lead_score_result *r = NULL;
    assert_int_equal(lead_engine_score(&r, e, "m", id, LT_T0 + 5 * H), LEAD_OK);
    int64_t fit = 0, behaviour = 0, total = 0;
    assert_int_equal(lead_score_result_scores(r, &fit, &behaviour, &total), LEAD_OK);
    lead_score_result_free(r);
    return total;
}

/* The store after the first k events of the batch tracked one call each. */
static lt_dump state_after(size_t k, enum lt_world_store mode)
{
    world w;
    world_up(&w, mode);
    lead_event_input in[NEVENTS];
    batch_inputs(in);
    for (size_t i = 0; i < k; i++) {
        uint64_t id = 0;
        assert_int_equal(lead_track(w.e, &id, &in[i]), LEAD_OK);
    }
    lt_dump d = lt_store_dump(w.mem);
    lt_world_down(&w);
    return d;
}

static void batch_equals_one_call_each(void **state)
{
    (void)state;
    world one, batch;
    world_up(&one, LT_WRAPPED);
    world_up(&batch, LT_DIRECT);
    lead_event_input in[NEVENTS];
    batch_inputs(in);
    uint64_t single_ids[NEVENTS], batch_ids[NEVENTS];
    for (int i = 0; i < NEVENTS; i++)
        assert_int_equal(lead_track(one.e, &single_ids[i], &in[i]), LEAD_OK);
    size_t done = 0;
    assert_int_equal(lead_track_batch(batch.e, in, sizeof in[0], NEVENTS, batch_ids, &done), LEAD_OK);
    assert_int_equal(done, NEVENTS);
    /* Event 1 was tracked while seeding; the replay of k1 stores nothing. */
    static const uint64_t want[NEVENTS] = {2, 3, 4, 0, 5, 6};
    for (int i = 0; i < NEVENTS; i++) {
        assert_int_equal(batch_ids[i], want[i]);
        assert_int_equal(single_ids[i], want[i]);
    }
    lt_dump a = lt_store_dump(one.mem), b = lt_store_dump(batch.mem);
    assert_true(lt_dump_equal(&a, &b));
    lt_dump_free(&a);
    lt_dump_free(&b);
    assert_int_equal(stage_of(batch.e, 1), LEAD_STAGE_MQL);
    assert_int_equal(stage_of(batch.e, 2), LEAD_STAGE_LEAD);
    assert_int_equal(stage_of(batch.e, 3), LEAD_STAGE_CUSTOMER);
    /* Contact 1 at 5 h, in centipoints: fit 10000 (the one fit rule
     * matched: fit is normalised to 100) + 1000 * (2^(-4/168) + 2^(-3/168))
     * = 10000 + 983.63 + 987.70. */
    assert_int_equal(total_score(batch.e, 1), 11971);
    assert_int_equal(total_score(one.e, 1), 11971);
    /* Contact 2: one organic page view at 5 h, no fit. */
    assert_int_equal(total_score(batch.e, 2), 500);
    lt_world_down(&one);
    lt_world_down(&batch);
}

/* n page views of contact, an hour apart from LT_T0 + 1 h. */
static void page_views(lead_event_input *in, size_t n, uint64_t contact)
{
    for (size_t i = 0; i < n; i++) {
        in[i] = (lead_event_input)LEAD_EVENT_INPUT_INIT;
        in[i].contact_id = contact;
        in[i].type = LEAD_EVENT_PAGE_VIEW;
        in[i].time_ms = LT_T0 + (int64_t)(i + 1) * H;
    }
}

static void batch_stops_at_the_first_failure(void **state)
{
    (void)state;
    world w;
    world_up(&w, LT_WRAPPED);
    lead_event_input in[4];
    page_views(in, 4, 3);
    in[2].contact_id = 99;
    uint64_t ids[4] = {7, 7, 7, 7};
    size_t done = 9;
    assert_int_equal(lead_track_batch(w.e, in, sizeof in[0], 4, ids, &done), LEAD_ENOTFOUND);
    assert_int_equal(done, 2);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[1], 3);
    assert_int_equal(ids[2], 7);
    assert_int_equal(ids[3], 7);
    assert_string_equal(lead_engine_errmsg(w.e), "track batch: event 2: no contact 99");
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, w.e, 3), LEAD_OK);
    uint64_t n = 0;
    lead_contact_event_count(c, &n);
    assert_int_equal(n, 2);
    lead_contact_free(c);
    lt_world_down(&w);
}

/* What a caller built against a first version of the struct that ended
 * after time_ms would pass. */
typedef struct short_input {
    uint32_t struct_size;
    uint32_t version;
    uint64_t contact_id;
    int32_t type;
    int32_t channel;
    int64_t time_ms;
} short_input;

static void batch_reads_an_older_callers_stride(void **state)
{
    (void)state;
    assert_int_equal(sizeof(short_input), offsetof(lead_event_input, value_minor));
    world w;
    world_up(&w, LT_WRAPPED);
    short_input in[3];
    for (int i = 0; i < 3; i++) {
        in[i].struct_size = sizeof in[i];
        in[i].version = LEAD_EVENT_INPUT_VERSION;
        in[i].contact_id = (uint64_t)(3 - i);
        in[i].type = LEAD_EVENT_AD_CLICK;
        in[i].channel = LEAD_CHANNEL_PAID_SOCIAL;
        in[i].time_ms = LT_T0 + (i + 1) * H;
    }
    uint64_t ids[3] = {0};
    size_t done = 0;
    assert_int_equal(lead_track_batch(w.e, (const lead_event_input *)(const void *)in,
                                      sizeof in[0], 3, ids, &done),
                     LEAD_OK);
    assert_int_equal(done, 3);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[2], 4);
    lead_event_iter *it = NULL;
    const lead_event *ev = NULL;
    assert_int_equal(lead_event_iter_new(&it, w.e, 2, LEAD_TIME_UNKNOWN), LEAD_OK);
    assert_int_equal(lead_event_iter_next(it, &ev), LEAD_OK);
    uint64_t id = 0, contact = 0;
    int type = -1, channel = -1;
    int64_t t = 0, value = -1;
    const char *currency = "x", *key = "x";
    lead_event_ids(ev, &id, &contact, &type, &channel);
    lead_event_time(ev, &t);
    lead_event_value(ev, &value, &currency);
    lead_event_string(ev, LEAD_EVENT_IDEMPOTENCY_KEY, &key);
    assert_int_equal(id, 3);
    assert_int_equal(contact, 2);
    assert_int_equal(type, LEAD_EVENT_AD_CLICK);
    assert_int_equal(channel, LEAD_CHANNEL_PAID_SOCIAL);
    assert_int_equal(t, LT_T0 + 2 * H);
    assert_int_equal(value, 0); /* the fields the caller did not have keep their defaults */
    assert_null(currency);
    assert_null(key);
    assert_int_equal(lead_event_iter_next(it, &ev), LEAD_ITEROVER);
    lead_event_iter_free(it);
    lt_world_down(&w);
}

/* What a caller built against later headers passes: a larger struct, whose
 * struct_size lead_event_input_init() sets to the size both sides know. */
typedef struct long_input {
    lead_event_input in;
    uint64_t later[2];
} long_input;

static void batch_reads_a_newer_callers_stride(void **state)
{
    (void)state;
    world w;
    world_up(&w, LT_WRAPPED);
    long_input in[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(lead_event_input_init(&in[i].in, sizeof in[i]), LEAD_OK);
        assert_int_equal(in[i].in.struct_size, sizeof(lead_event_input));
        in[i].in.contact_id = 2;
        in[i].in.type = LEAD_EVENT_PAGE_VIEW;
        in[i].in.time_ms = LT_T0 + (i + 1) * H;
        /* Fields this library does not know, shaped like a struct header. */
        in[i].later[0] = sizeof(lead_event_input) | (uint64_t)1 << 32;
        in[i].later[1] = 3;
    }
    uint64_t ids[3] = {0};
    size_t done = 0;
    assert_int_equal(lead_track_batch(w.e, &in[0].in, sizeof in[0], 3, ids, &done), LEAD_OK);
    assert_int_equal(done, 3);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[2], 4);
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, w.e, 2), LEAD_OK);
    uint64_t n = 0;
    lead_contact_event_count(c, &n);
    assert_int_equal(n, 3);
    lead_contact_free(c);
    assert_int_equal(lead_contact_get(&c, w.e, 3), LEAD_OK);
    lead_contact_event_count(c, &n);
    assert_int_equal(n, 0);
    lead_contact_free(c);
    lt_world_down(&w);
}

static void batch_refuses_bad_arrays(void **state)
{
    (void)state;
    world w;
    world_up(&w, LT_WRAPPED);
    lead_event_input in[2];
    page_views(in, 2, 2);
    const size_t size = sizeof in[0];
    size_t done = 9;
    assert_int_equal(lead_track_batch(NULL, in, size, 2, NULL, &done), LEAD_EINVAL);
    assert_int_equal(done, 0);
    done = 9;
    assert_int_equal(lead_track_batch(w.e, NULL, size, 0, NULL, &done), LEAD_OK);
    assert_int_equal(done, 0);
    assert_int_equal(lead_track_batch(w.e, NULL, size, 1, NULL, NULL), LEAD_EINVAL);
    assert_string_equal(lead_engine_errmsg(w.e), "track batch: NULL events");
    assert_int_equal(lead_track_batch(w.e, in, 4, 2, NULL, &done), LEAD_EINVAL);
    assert_string_equal(lead_engine_errmsg(w.e), "track batch: bad element size 4");
    assert_int_equal(lead_track_batch(w.e, in, SIZE_MAX / 2, 3, NULL, &done), LEAD_EINVAL);
    /* An element claiming more than the stride, or less than a header. */
    in[1].struct_size = (uint32_t)size + 8;
    assert_int_equal(lead_track_batch(w.e, in, size, 2, NULL, &done), LEAD_EINVAL);
    assert_int_equal(done, 1);
    char want[128];
    snprintf(want, sizeof want, "track batch: event 1: bad input struct (struct_size %zu, version 1)",
             size + 8);
    assert_string_equal(lead_engine_errmsg(w.e), want);
    in[1].struct_size = 4;
    assert_int_equal(lead_track_batch(w.e, &in[1], size, 1, NULL, &done), LEAD_EINVAL);
    assert_string_equal(lead_engine_errmsg(w.e),
                        "track batch: event 0: bad input struct (struct_size 4, version 1)");
    in[1].struct_size = (uint32_t)size;
    in[1].version = 99;
    assert_int_equal(lead_track_batch(w.e, &in[1], size, 1, NULL, &done), LEAD_EVERSION);
    assert_int_equal(done, 0);
    snprintf(want, sizeof want, "track batch: event 0: bad input struct (struct_size %zu, version 99)",
             size);
    assert_string_equal(lead_engine_errmsg(w.e), want);
    lt_world_down(&w);
}

/* Every contact's score as kept by the engine equals the one evaluated
 * from the store (the kept state is rebuilt from the store when it counts
 * other than the stored events, so only agreeing ones are compared).
 * Returns how many were compared. */
static int kept_scores_agree(world *w)
{
    int compared = 0;
    for (uint64_t id = 1; id <= 3; id++) {
        int64_t kept[3];
        if (lead__es_kept(w->e, "m", id, LT_T0 + LT_DAY, kept) != LEAD_OK)
            continue;
        lead__es_entry *e = lead__es_table_find(&lead__es_find_model(w->e, "m")->table, id);
        lead_contact *c = NULL;
        assert_int_equal(lead_contact_get(&c, w->e, id), LEAD_OK);
        uint64_t stored = 0;
        lead_contact_event_count(c, &stored);
        lead_contact_free(c);
        if (e->seen != stored)
            continue;
        lead_score_result *r = NULL;
        assert_int_equal(lead_engine_score(&r, w->e, "m", id, LT_T0 + LT_DAY), LEAD_OK);
        int64_t total = 0;
        assert_int_equal(lead_score_result_scores(r, NULL, NULL, &total), LEAD_OK);
        lead_score_result_free(r);
        assert_int_equal(kept[2], total);
        compared++;
    }
    return compared;
}

/* Fails each call of one kind in turn: the batch returns the fault's code
 * (an absorbed allocation failure: LEAD_OK and the full outcome), *done
 * says how far it got, the store holds exactly what that many single
 * tracks would have left (a store without transactions may keep part of
 * the failing event's writes), the kept scores agree with the store, and
 * nothing leaks. Returns the number of fault points. */
static long sweep(enum lt_fault kind, enum lt_world_store mode)
{
    static const int code[] = {LEAD_ENOMEM, LEAD_ESTORE, LEAD_ECLOCK};
    lt_dump want[NEVENTS + 1];
    for (size_t k = 0; k <= NEVENTS; k++)
        want[k] = state_after(k, mode);
    lead_event_input in[NEVENTS];
    batch_inputs(in);
    long n = 0;
    for (;; n++) {
        world w;
        world_up(&w, mode);
        lt_world_arm(&w, kind, n);
        size_t done = 99;
        int rc = lead_track_batch(w.e, in, sizeof in[0], NEVENTS, NULL, &done);
        long hit = lt_world_injected(&w, kind);
        lt_world_disarm(&w);
        lt_dump got = lt_store_dump(w.mem);
        if (rc == LEAD_OK) {
            assert_int_equal(done, NEVENTS);
            assert_true(lt_dump_equal(&got, &want[NEVENTS]));
        } else {
            if (rc != code[kind])
                fail_msg("fault %d at %ld returned %d: %s", (int)kind, n, rc,
                         lead_engine_errmsg(w.e));
            assert_true(done < NEVENTS);
            if (mode != LT_NO_TRANSACTIONS && !lt_dump_equal(&got, &want[done]))
                fail_msg("fault %d at %ld: the store is not that of %zu tracks", (int)kind, n,
                         done);
        }
        lt_dump_free(&got);
        int compared = kept_scores_agree(&w);
        if (mode != LT_NO_TRANSACTIONS)
            assert_int_equal(compared, 3);
        lt_world_down(&w);
        if (!hit)
            break;
    }
    print_message("fault kind %d%s: %ld points\n", (int)kind,
                  mode == LT_NO_TRANSACTIONS ? " (no transactions)" : "", n);
    for (size_t k = 0; k <= NEVENTS; k++)
        lt_dump_free(&want[k]);
    return n;
}

static void batch_survives_every_fault(void **state)
{
    (void)state;
    long points[3];
    for (int kind = LT_FAULT_ALLOC; kind <= LT_FAULT_CLOCK; kind++)
        points[kind] = sweep((enum lt_fault)kind, LT_WRAPPED);
    /* Measured; the counts say the sweep reached into every event. */
    assert_true(points[LT_FAULT_ALLOC] > 20);
    assert_true(points[LT_FAULT_STORE] >= 6 * NEVENTS);
    assert_int_equal(points[LT_FAULT_CLOCK], NEVENTS);
    /* Without transactions the failing event may leave part of its writes;
     * the rest must hold (codes, done, agreeing scores, no leak). */
    sweep(LT_FAULT_STORE, LT_NO_TRANSACTIONS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batch_equals_one_call_each),
        cmocka_unit_test(batch_stops_at_the_first_failure),
        cmocka_unit_test(batch_reads_an_older_callers_stride),
        cmocka_unit_test(batch_reads_a_newer_callers_stride),
        cmocka_unit_test(batch_refuses_bad_arrays),
        cmocka_unit_test(batch_survives_every_fault),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
