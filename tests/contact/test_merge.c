/* Merge and erase: field policies, stages, milestones, re-parented events,
 * redirects, the erased-email hash (SHA-256 vectors from FIPS 180-4's
 * examples), and store-failure sweeps of both. */
#include "lead_test.h"
#include "sha256.h"
#include "world.h"

#include <stdio.h>
#include <string.h>

static void sha256_matches_the_standard_examples(void **state)
{
    (void)state;
    static const struct {
        const char *msg, *hex;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t i = 0; i < 3; i++) {
        unsigned char d[32];
        char hex[65];
        lead__sha256(d, v[i].msg, strlen(v[i].msg));
        for (int j = 0; j < 32; j++)
            snprintf(hex + 2 * j, 3, "%02x", d[j]);
        assert_string_equal(hex, v[i].hex);
    }
}

static lead_engine *new_engine(lt_fakeclock *fc)
{
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.clock = &fc->clock;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &o), LEAD_OK);
    return e;
}

static void track(lead_engine *e, uint64_t contact, int type, int64_t t)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = type;
    in.time_ms = t;
    uint64_t id = 0;
    assert_int_equal(lead_track(e, &id, &in), LEAD_OK);
}

static void merge_keeps_everything(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    fc.step_ms = 1000;
    lead_engine *e = new_engine(&fc);
    uint64_t w = 0, l = 0, r = 0;
    assert_int_equal(lead_contact_create(e, &w, "ann@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lead_contact_create(e, &l, "ann.work@corp.io", "crm-9", 0), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, w, LEAD_FIELD_COMPANY, "Old Co"), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, l, LEAD_FIELD_COMPANY, "New Co"), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, l, LEAD_FIELD_CITY, "Lyon"), LEAD_OK);
    track(e, w, LEAD_EVENT_PAGE_VIEW, LT_T0 + 100);      /* event 1 */
    track(e, l, LEAD_EVENT_FORM_SUBMIT, LT_T0 + 50);     /* event 2: lead creation */
    track(e, l, LEAD_EVENT_EMAIL_OPEN, LT_T0 + 200);     /* event 3 */
    assert_int_equal(lead_contact_set_stage(e, l, LEAD_STAGE_SQL, 0), LEAD_OK);

    int32_t policies[LEAD_FIELD_COUNT] = {0};
    policies[LEAD_FIELD_EMAIL] = LEAD_MERGE_KEEP_WINNER;
    assert_int_equal(lead_contact_merge(e, w, l, policies), LEAD_OK);
    assert_int_equal(lead_contact_merge(e, w, w, NULL), LEAD_EINVAL);
    assert_int_equal(lead_contact_resolve(e, &r, l), LEAD_OK);
    assert_int_equal(r, w);
    assert_int_equal(lead_contact_find_external(e, &r, "crm-9"), LEAD_OK);
    assert_int_equal(r, w);
    assert_int_equal(lead_contact_find_email(e, &r, "ann.work@corp.io"), LEAD_ENOTFOUND);

    lead_contact *c = NULL;
    const char *s = NULL;
    int stage = -1;
    uint64_t n = 0, ev = 0;
    int64_t t = 0;
    assert_int_equal(lead_contact_get(&c, e, l), LEAD_OK); /* through the redirect */
    uint64_t id = 0;
    lead_contact_id(c, &id);
    assert_int_equal(id, w);
    lead_contact_field(c, LEAD_FIELD_EMAIL, &s);
    assert_string_equal(s, "ann@x.io");
    lead_contact_field(c, LEAD_FIELD_COMPANY, &s);
    assert_string_equal(s, "New Co"); /* the loser was updated last */
    lead_contact_field(c, LEAD_FIELD_CITY, &s);
    assert_string_equal(s, "Lyon");
    lead_contact_stage(c, &stage);
    assert_int_equal(stage, LEAD_STAGE_SQL);
    lead_contact_event_count(c, &n);
    assert_int_equal(n, 3);
    assert_int_equal(lead_contact_milestone(c, LEAD_MILESTONE_LEAD_CREATION, &ev, &t), LEAD_OK);
    assert_int_equal(ev, 2);
    assert_int_equal(t, LT_T0 + 50);
    size_t hn = 0;
    int reason = -1;
    lead_contact_stage_history_count(c, &hn);
    assert_int_equal(hn, 2); /* subscriber, then sql by merge */
    lead_contact_stage_history_at(c, 1, &stage, NULL, NULL, &reason, NULL);
    assert_int_equal(stage, LEAD_STAGE_SQL);
    assert_int_equal(reason, LEAD_REASON_MERGE);
    lead_contact_free(c);

    static const uint64_t order[3] = {2, 1, 3};
    lead_event_iter *it = NULL;
    const lead_event *event = NULL;
    assert_int_equal(lead_event_iter_new(&it, e, w, LEAD_TIME_UNKNOWN), LEAD_OK);
    for (int i = 0; i < 3; i++) {
        uint64_t contact = 0;
        assert_int_equal(lead_event_iter_next(it, &event), LEAD_OK);
        lead_event_ids(event, &ev, &contact, NULL, NULL);
        assert_int_equal(ev, order[i]);
        assert_int_equal(contact, w);
    }
    assert_int_equal(lead_event_iter_next(it, &event), LEAD_ITEROVER);
    lead_event_iter_free(it);
    lead_engine_free(e);
}

static void erase_leaves_only_a_hash(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine *e = new_engine(&fc);
    uint64_t a = 0, b = 0, r = 0;
    int erased = -1;
    assert_int_equal(lead_contact_create(e, &a, "gone@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lead_contact_create(e, &b, "gone2@x.io", NULL, 0), LEAD_OK);
    track(e, a, LEAD_EVENT_PAGE_VIEW, LT_T0);
    assert_int_equal(lead_contact_merge(e, a, b, NULL), LEAD_OK);
    assert_int_equal(lead_contact_is_erased(e, &erased, "Gone@X.io"), LEAD_OK);
    assert_int_equal(erased, 0);
    assert_int_equal(lead_contact_erase(e, a), LEAD_OK);
    assert_int_equal(lead_contact_is_erased(e, &erased, " Gone@X.io"), LEAD_OK);
    assert_int_equal(erased, 1);
    assert_int_equal(lead_contact_is_erased(e, &erased, "gone2@x.io"), LEAD_OK);
    assert_int_equal(erased, 1); /* the email of the contact merged into it */
    assert_int_equal(lead_contact_is_erased(e, &erased, "kept@x.io"), LEAD_OK);
    assert_int_equal(erased, 0);
    assert_int_equal(lead_contact_resolve(e, &r, a), LEAD_EERASED);
    assert_int_equal(lead_contact_resolve(e, &r, b), LEAD_EERASED);
    assert_int_equal(lead_contact_resolve(e, &r, 77), LEAD_ENOTFOUND);
    assert_int_equal(lead_contact_find_email(e, &r, "gone@x.io"), LEAD_ENOTFOUND);
    assert_int_equal(lead_contact_erase(e, a), LEAD_EERASED);
    lead_event_iter *it = NULL;
    assert_int_equal(lead_event_iter_new(&it, e, a, LEAD_TIME_UNKNOWN), LEAD_EERASED);
    /* A re-import is possible and can be detected first. */
    assert_int_equal(lead_contact_create(e, &r, "gone@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(r, 3);
    lead_engine_free(e);
}

static int merge_erase_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.allocator = alloc;
    lead_engine *e = NULL;
    int rc = lead_engine_new(&e, &o);
    uint64_t a = 0, b = 0, ev = 0;
    if (rc == LEAD_OK)
        rc = lead_contact_create(e, &a, "a@x.io", NULL, 0);
    if (rc == LEAD_OK)
        rc = lead_contact_create(e, &b, "b@x.io", "crm-b", 0);
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = b;
    in.time_ms = LT_T0;
    in.campaign = "c";
    if (rc == LEAD_OK)
        rc = lead_track(e, &ev, &in);
    if (rc == LEAD_OK)
        rc = lead_contact_merge(e, a, b, NULL);
    if (rc == LEAD_OK)
        rc = lead_contact_erase(e, b);
    lead_engine_free(e);
    return rc;
}

static void merge_erase_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(merge_erase_scenario, NULL, LEAD_OK) > 10);
}

/* Merges 1 into 2, 2 into 3, ..., 99 into 100: every id resolves to 100
 * however many redirects lie between, and get, track, the event iterator
 * and erase all work through the first id. */
static void a_long_merge_chain_resolves_from_its_first_id(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    fc.step_ms = 1000;
    lead_engine *e = new_engine(&fc);
    enum { N = 100 };
    uint64_t id = 0, r = 0, ev = 0, contact = 0, n = 0;
    for (uint64_t i = 1; i <= N; i++) {
        assert_int_equal(lead_contact_create(e, &id, i == 1 ? "first@x.io" : NULL, NULL, 0),
                         LEAD_OK);
        assert_int_equal(id, i);
    }
    track(e, 1, LEAD_EVENT_PAGE_VIEW, LT_T0 + 10); /* event 1 */
    for (uint64_t i = 1; i < N; i++)
        assert_int_equal(lead_contact_merge(e, i + 1, i, NULL), LEAD_OK);
    for (uint64_t i = 1; i <= N; i++) {
        r = 0;
        assert_int_equal(lead_contact_resolve(e, &r, i), LEAD_OK);
        assert_int_equal(r, N);
    }

    lead_contact *c = NULL;
    const char *s = NULL;
    assert_int_equal(lead_contact_get(&c, e, 1), LEAD_OK);
    lead_contact_id(c, &id);
    assert_int_equal(id, N);
    lead_contact_field(c, LEAD_FIELD_EMAIL, &s);
    assert_string_equal(s, "first@x.io"); /* handed on from merge to merge */
    lead_contact_event_count(c, &n);
    assert_int_equal(n, 1);
    lead_contact_free(c);

    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 1;
    in.time_ms = LT_T0 + 20;
    assert_int_equal(lead_track(e, &ev, &in), LEAD_OK);
    assert_int_equal(ev, 2);
    lead_event_iter *it = NULL;
    const lead_event *event = NULL;
    assert_int_equal(lead_event_iter_new(&it, e, 1, LEAD_TIME_UNKNOWN), LEAD_OK);
    for (uint64_t i = 1; i <= 2; i++) {
        assert_int_equal(lead_event_iter_next(it, &event), LEAD_OK);
        lead_event_ids(event, &ev, &contact, NULL, NULL);
        assert_int_equal(ev, i);
        assert_int_equal(contact, N);
    }
    assert_int_equal(lead_event_iter_next(it, &event), LEAD_ITEROVER);
    lead_event_iter_free(it);

    assert_int_equal(lead_contact_erase(e, 1), LEAD_OK);
    assert_int_equal(lead_contact_resolve(e, &r, 1), LEAD_EERASED);
    assert_string_equal(lead_engine_errmsg(e), "contact 1 was erased");
    assert_int_equal(lead_contact_resolve(e, &r, N), LEAD_EERASED);
    assert_string_equal(lead_engine_errmsg(e), "contact 100 was erased");
    int erased = -1;
    assert_int_equal(lead_contact_is_erased(e, &erased, "first@x.io"), LEAD_OK);
    assert_int_equal(erased, 1);
    lead_engine_free(e);
}

/* A redirect record as the engine writes one without a kept contact
 * (docs/storage.md): 'L' 'R', kind 3, version 1, 1 field, a 14-byte body
 * of tag 1, length 8, the target id (all little-endian). */
static void forge_redirect(lead_store *s, uint64_t id, uint64_t target)
{
    unsigned char rec[26] = {'L', 'R', 3, 1, 1, 0, 0, 0, 14, 0, 0, 0, 1, 0, 8, 0, 0, 0};
    for (int i = 0; i < 8; i++)
        rec[18 + i] = (unsigned char)(target >> (8 * i));
    char key[40];
    snprintf(key, sizeof key, "redirect.%llu", (unsigned long long)id);
    assert_int_equal(s->meta_put(s->user, key, rec, sizeof rec), 0);
}

/* A damaged store whose redirects go round (1 -> 2 -> 3 -> 1, and 9 -> 9)
 * is refused with LEAD_ECORRUPT, naming the id where the cycle closed. */
static void redirects_in_a_cycle_are_corrupt(void **state)
{
    (void)state;
    lt_world w;
    lt_world_up(&w, LT_T0, 1000, LT_DIRECT);
    uint64_t id = 0, r = 0;
    for (int i = 0; i < 4; i++)
        assert_int_equal(lead_contact_create(w.e, &id, NULL, NULL, 0), LEAD_OK);
    for (uint64_t i = 1; i < 4; i++)
        assert_int_equal(lead_contact_merge(w.e, i + 1, i, NULL), LEAD_OK);
    forge_redirect(w.mem, 3, 1);
    forge_redirect(w.mem, 9, 9);

    assert_int_equal(lead_contact_resolve(w.e, &r, 1), LEAD_ECORRUPT);
    assert_string_equal(lead_engine_errmsg(w.e), "merge redirects loop at contact 1");
    assert_int_equal(lead_contact_resolve(w.e, &r, 2), LEAD_ECORRUPT);
    assert_string_equal(lead_engine_errmsg(w.e), "merge redirects loop at contact 2");
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, w.e, 3), LEAD_ECORRUPT);
    assert_null(c);
    assert_string_equal(lead_engine_errmsg(w.e), "merge redirects loop at contact 3");
    assert_int_equal(lt_track_at(w.e, 9, LEAD_EVENT_PAGE_VIEW, LT_T0), LEAD_ECORRUPT);
    assert_string_equal(lead_engine_errmsg(w.e), "merge redirects loop at contact 9");
    assert_int_equal(lead_contact_resolve(w.e, &r, 4), LEAD_OK); /* outside the cycle */
    assert_int_equal(r, 4);
    lt_world_down(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_matches_the_standard_examples),
        cmocka_unit_test(merge_keeps_everything),
        cmocka_unit_test(erase_leaves_only_a_hash),
        cmocka_unit_test(merge_erase_alloc_sweep),
        cmocka_unit_test(a_long_merge_chain_resolves_from_its_first_id),
        cmocka_unit_test(redirects_in_a_cycle_are_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
