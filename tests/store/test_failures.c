/* Store-callback failure sweeps: every store call of an engine operation is
 * failed in turn; the operation must return the error, and what the store
 * holds must equal the state before or after the operation. */
#include "lead_test.h"
#include "sha256.h"
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dump {
    unsigned char *p;
    size_t len, cap;
} dump;

static void dump_add(dump *d, const void *bytes, size_t len)
{
    if (d->len + len > d->cap) {
        d->cap = (d->len + len) * 2;
        d->p = realloc(d->p, d->cap);
        assert_non_null(d->p);
    }
    memcpy(d->p + d->len, bytes, len);
    d->len += len;
}

typedef struct dump_ctx {
    const lead_store *store;
    dump *d;
} dump_ctx;

static int dump_event(void *user, int64_t time_ms, const void *bytes, size_t len)
{
    dump *d = user;
    dump_add(d, &time_ms, sizeof time_ms);
    dump_add(d, bytes, len);
    return 0;
}

static int dump_contact(void *user, uint64_t id)
{
    dump_ctx *c = user;
    const void *bytes = NULL;
    size_t len = 0;
    assert_int_equal(c->store->contact_get(c->store->user, id, &bytes, &len), 0);
    dump_add(c->d, &id, sizeof id);
    dump_add(c->d, bytes, len);
    assert_int_equal(c->store->event_scan(c->store->user, id, INT64_MIN, dump_event, c->d), 0);
    return 0;
}

/* Everything an operation below can change, except the id counters (a
 * failure may waste an id, documented). */
static dump dump_store(const lead_store *s)
{
    dump d = {NULL, 0, 0};
    dump_ctx ctx = {s, &d};
    assert_int_equal(s->contact_scan(s->user, dump_contact, &ctx), 0);
    static const char *const emails[] = {"a@x.io", "b@x.io", "c@x.io", "z@x.io"};
    for (size_t i = 0; i < 4; i++) {
        uint64_t id = 0;
        int rc = s->contact_find_email(s->user, emails[i], &id);
        dump_add(&d, &rc, sizeof rc);
        dump_add(&d, &id, sizeof id);
    }
    static const char *const keys[] = {"k0", "k1"};
    for (size_t i = 0; i < 2; i++) {
        int rc = s->event_find_key(s->user, keys[i]);
        dump_add(&d, &rc, sizeof rc);
    }
    /* Meta records merge and erase write: redirects and the erased mark. */
    char meta[80];
    unsigned char digest[32];
    lead__sha256(digest, "a@x.io", 6);
    strcpy(meta, "erased.");
    for (int i = 0; i < 32; i++)
        snprintf(meta + 7 + 2 * i, 3, "%02x", digest[i]);
    static const char *const redirects[] = {"redirect.1", "redirect.2", "redirect.3"};
    for (size_t i = 0; i < 4; i++) {
        const void *bytes = NULL;
        size_t len = 0;
        int rc = s->meta_get(s->user, i < 3 ? redirects[i] : meta, &bytes, &len);
        dump_add(&d, &rc, sizeof rc);
        if (rc == 0)
            dump_add(&d, bytes, len);
    }
    return d;
}

typedef int (*operation)(lead_engine *e);

static int op_create(lead_engine *e)
{
    uint64_t id = 0;
    return lead_contact_create(e, &id, "c@x.io", "crm-c", LEAD_DUPLICATE_REFUSE);
}

static int op_set_email(lead_engine *e)
{
    return lead_contact_set_field(e, 1, LEAD_FIELD_EMAIL, "z@x.io");
}

static int op_set_stage(lead_engine *e)
{
    return lead_contact_set_stage(e, 1, LEAD_STAGE_MQL, 0);
}

static int track_one(lead_engine *e, uint64_t contact, int type, const char *key)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = type;
    in.time_ms = LT_T0 + 500;
    in.idempotency_key = key;
    uint64_t id = 0;
    return lead_track(e, &id, &in);
}

static int op_track_form(lead_engine *e)
{
    return track_one(e, 1, LEAD_EVENT_FORM_SUBMIT, "k1");
}

static int op_track_purchase(lead_engine *e)
{
    return track_one(e, 2, LEAD_EVENT_PURCHASE, NULL);
}

static int op_merge(lead_engine *e)
{
    return lead_contact_merge(e, 2, 1, NULL);
}

static int op_erase(lead_engine *e)
{
    return lead_contact_erase(e, 1);
}

static int op_consent(lead_engine *e)
{
    return lead_contact_set_consent(e, 1, LEAD_PURPOSE_TRACKING, LEAD_CONSENT_SUBSCRIBED);
}

static int op_set_attr(lead_engine *e)
{
    return lead_contact_set_attr(e, 1, "seats", LEAD_ATTR_INT, 12, 0, NULL);
}

typedef lt_world world;

static void world_up(world *w, int hide_transactions)
{
    lt_world_up(w, LT_T0, 0, hide_transactions ? LT_NO_TRANSACTIONS : LT_WRAPPED);
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(w->e, &id, "a@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lead_contact_create(w->e, &id, "b@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(track_one(w->e, 1, LEAD_EVENT_PAGE_VIEW, "k0"), LEAD_OK);
}

static void sweep_store(operation op, int hide_transactions)
{
    world w;
    world_up(&w, hide_transactions);
    dump before = dump_store(w.mem);
    assert_int_equal(op(w.e), LEAD_OK);
    long clean_calls = w.fs.calls;
    dump after = dump_store(w.mem);
    assert_true(before.len != after.len || memcmp(before.p, after.p, before.len) != 0);
    lt_world_down(&w);

    for (long n = 0;; n++) {
        world_up(&w, hide_transactions);
        lt_failstore_arm(&w.fs, n);
        int rc = op(w.e);
        dump got = dump_store(w.mem);
        int same_before = got.len == before.len && memcmp(got.p, before.p, got.len) == 0;
        int same_after = got.len == after.len && memcmp(got.p, after.p, got.len) == 0;
        if (w.fs.injected == 0) {
            assert_int_equal(rc, LEAD_OK);
            assert_true(same_after);
            free(got.p);
            lt_world_down(&w);
            break;
        }
        if (rc != LEAD_OK) {
            assert_int_equal(rc, LEAD_ESTORE);
            assert_non_null(strstr(lead_engine_errmsg(w.e), "returned 99"));
        }
        if (!same_before && !same_after)
            fail_msg("store call %ld failing: store is neither before nor after", n);
        if (rc == LEAD_OK)
            assert_true(same_after);
        else
            assert_true(same_before);
        free(got.p);
        lt_world_down(&w);
        assert_true(n <= clean_calls + 2);
    }
    free(before.p);
    free(after.p);
}

static void sweep(operation op)
{
    sweep_store(op, 0);
}

/* Operations that write one record (and maybe an id counter) keep the
 * before-or-after rule on a store without transactions too. */
static void single_record_writes_need_no_transactions(void **state)
{
    (void)state;
    sweep_store(op_create, 1);
    sweep_store(op_set_email, 1);
    sweep_store(op_set_stage, 1);
}

static int count_event(void *user, int64_t time_ms, const void *bytes, size_t len)
{
    (void)time_ms;
    (void)bytes;
    (void)len;
    ++*(int *)user;
    return 0;
}

/* docs/storage.md, "Write order without transactions": track writes the
 * counter, the event, then the contact; failing the contact write leaves
 * the event stored, the summary stale and the key remembered. */
static void track_without_transactions_writes_the_event_first(void **state)
{
    (void)state;
    world w;
    world_up(&w, 1);
    const void *bytes = NULL;
    size_t len = 0;
    assert_int_equal(w.mem->contact_get(w.mem->user, 1, &bytes, &len), 0);
    dump before = {NULL, 0, 0};
    dump_add(&before, bytes, len);
    /* calls: event_find_key, contact_get, meta_get, meta_put, event_append, contact_put */
    lt_failstore_arm(&w.fs, 5);
    assert_int_equal(op_track_form(w.e), LEAD_ESTORE);
    assert_int_equal(w.fs.injected, 1);
    assert_string_equal(lead_engine_errmsg(w.e), "store contact_put failed (returned 99)");
    assert_int_equal(w.mem->contact_get(w.mem->user, 1, &bytes, &len), 0);
    assert_int_equal(len, before.len);
    assert_memory_equal(bytes, before.p, len);
    int events = 0;
    assert_int_equal(w.mem->event_scan(w.mem->user, 1, INT64_MIN, count_event, &events), 0);
    assert_int_equal(events, 2);
    assert_int_equal(w.mem->event_find_key(w.mem->user, "k1"), 0);
    lt_failstore_arm(&w.fs, -1);
    uint64_t id = 99;
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 1;
    in.type = LEAD_EVENT_FORM_SUBMIT;
    in.idempotency_key = "k1";
    assert_int_equal(lead_track(w.e, &id, &in), LEAD_OK);
    assert_int_equal(id, 0);
    free(before.p);
    lt_world_down(&w);
}

/* Runs op on a fresh world whose clock set_clock has armed: op must return
 * LEAD_ECLOCK with message msg and leave the store as it was. */
static void clock_fails_op(operation op, void (*set_clock)(lt_fakeclock *fc), const char *msg)
{
    world w;
    world_up(&w, 0);
    dump before = dump_store(w.mem);
    set_clock(&w.fc);
    assert_int_equal(op(w.e), LEAD_ECLOCK);
    assert_string_equal(lead_engine_errmsg(w.e), msg);
    dump got = dump_store(w.mem);
    assert_int_equal(got.len, before.len);
    assert_memory_equal(got.p, before.p, got.len);
    free(before.p);
    free(got.p);
    lt_world_down(&w);
}

static void clock_fails_next_read(lt_fakeclock *fc)
{
    fc->fail_at = fc->calls;
    fc->fail_code = 4;
}

static void clock_reports_unknown(lt_fakeclock *fc)
{
    fc->now_ms = LEAD_TIME_UNKNOWN;
    fc->step_ms = 0;
}

/* A failing clock read fails every operation before it writes anything. */
static void clock_failure_changes_nothing(void **state)
{
    (void)state;
    const operation ops[] = {op_create, op_set_email, op_set_stage, op_track_form,
                             op_track_purchase, op_merge, op_erase};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        clock_fails_op(ops[i], clock_fails_next_read, "clock callback failed (returned 4)");
}

/* A clock that reports LEAD_TIME_UNKNOWN as its now is a failing clock:
 * every operation that reads it returns LEAD_ECLOCK and writes nothing. */
static void unknown_time_from_the_clock_changes_nothing(void **state)
{
    (void)state;
    const operation ops[] = {op_create,        op_set_email, op_set_stage, op_track_form,
                             op_track_purchase, op_merge,     op_erase,     op_consent,
                             op_set_attr};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        clock_fails_op(ops[i], clock_reports_unknown, "clock callback returned LEAD_TIME_UNKNOWN");
}

static void create_survives_every_store_failure(void **state)
{
    (void)state;
    sweep(op_create);
}

static void set_field_survives_every_store_failure(void **state)
{
    (void)state;
    sweep(op_set_email);
}

static void set_stage_survives_every_store_failure(void **state)
{
    (void)state;
    sweep(op_set_stage);
}

static void track_survives_every_store_failure(void **state)
{
    (void)state;
    sweep(op_track_form);
    sweep(op_track_purchase);
}

static void merge_survives_every_store_failure(void **state)
{
    (void)state;
    sweep(op_merge);
}

static void erase_survives_every_store_failure(void **state)
{
    (void)state;
    sweep(op_erase);
}

static int holds(const void *bytes, size_t len, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; len >= n && i <= len - n; i++)
        if (memcmp((const unsigned char *)bytes + i, text, n) == 0)
            return 1;
    return 0;
}

/* docs/storage.md, "Write order without transactions": whichever store
 * call of merging 1 (a@x.io, "Alice", which absorbed 4, d@x.io, "Dora")
 * into 2 fails, erasing 2 afterwards forgets 1 and 4 when the merge got as
 * far as deleting 1 (no redirect keeps their records, their emails are
 * marked erased), and leaves both alone while 1 is still a contact. With
 * rehome, a loser left in place is then merged into 3 before 2 is erased:
 * 1 and 4 belong to 3 and are not erased with 2. */
static void erase_after_failed_merge(int rehome)
{
    long n = 0;
    for (;; n++) {
        world w;
        lt_world_up(&w, LT_T0, 0, LT_NO_TRANSACTIONS);
        uint64_t id = 0, r = 0;
        assert_int_equal(lead_contact_create(w.e, &id, "a@x.io", NULL, 0), LEAD_OK);
        assert_int_equal(lead_contact_create(w.e, &id, "b@x.io", NULL, 0), LEAD_OK);
        assert_int_equal(lead_contact_create(w.e, &id, "c@x.io", NULL, 0), LEAD_OK);
        assert_int_equal(lead_contact_create(w.e, &id, "d@x.io", NULL, 0), LEAD_OK);
        assert_int_equal(lead_contact_set_field(w.e, 1, LEAD_FIELD_FIRST_NAME, "Alice"),
                         LEAD_OK);
        assert_int_equal(lead_contact_set_field(w.e, 4, LEAD_FIELD_FIRST_NAME, "Dora"),
                         LEAD_OK);
        assert_int_equal(lead_contact_merge(w.e, 1, 4, NULL), LEAD_OK);
        assert_int_equal(track_one(w.e, 1, LEAD_EVENT_PAGE_VIEW, "k0"), LEAD_OK);

        lt_failstore_arm(&w.fs, n);
        int rc = lead_contact_merge(w.e, 2, 1, NULL);
        long injected = w.fs.injected;
        lt_failstore_arm(&w.fs, -1);
        if (injected) {
            assert_int_equal(rc, LEAD_ESTORE);
            assert_non_null(strstr(lead_engine_errmsg(w.e), "returned 99"));
        } else {
            assert_int_equal(rc, LEAD_OK);
        }
        const void *bytes = NULL;
        size_t len = 0;
        /* calls: contact_get 2, contact_get 1, event_scan 1, contact_put 2
         * (listing 1), event_append, meta_put redirect.1, contact_delete 1,
         * contact_put 2 (merged) */
        int loser_live = w.mem->contact_get(w.mem->user, 1, &bytes, &len) == 0;
        assert_int_equal(loser_live, n < 7);
        if (n == 7)
            assert_string_equal(lead_engine_errmsg(w.e),
                                "store contact_put failed (returned 99)");
        if (loser_live && rehome)
            assert_int_equal(lead_contact_merge(w.e, 3, 1, NULL), LEAD_OK);
        assert_int_equal(lead_contact_erase(w.e, 2), LEAD_OK);

        int erased = -1;
        assert_int_equal(lead_contact_is_erased(w.e, &erased, "b@x.io"), LEAD_OK);
        assert_int_equal(erased, 1);
        assert_int_equal(lead_contact_is_erased(w.e, &erased, "a@x.io"), LEAD_OK);
        int dora_erased = -1;
        assert_int_equal(lead_contact_is_erased(w.e, &dora_erased, "d@x.io"), LEAD_OK);
        const void *dora = NULL;
        size_t dora_len = 0;
        assert_int_equal(w.mem->meta_get(w.mem->user, "redirect.4", &dora, &dora_len), 0);
        assert_int_equal(holds(dora, dora_len, "Dora"), loser_live);
        assert_int_equal(holds(dora, dora_len, "d@x.io"), loser_live);
        int meta = w.mem->meta_get(w.mem->user, "redirect.1", &bytes, &len);
        if (!loser_live) {
            assert_int_equal(erased, 1);
            assert_int_equal(dora_erased, 1);
            assert_int_equal(meta, 0);
            assert_false(holds(bytes, len, "Alice"));
            assert_false(holds(bytes, len, "a@x.io"));
            assert_int_equal(lead_contact_resolve(w.e, &r, 1), LEAD_EERASED);
            assert_string_equal(lead_engine_errmsg(w.e), "contact 1 was erased");
            assert_int_equal(lead_contact_resolve(w.e, &r, 4), LEAD_EERASED);
            assert_string_equal(lead_engine_errmsg(w.e), "contact 4 was erased");
        } else {
            assert_int_equal(erased, 0);
            assert_int_equal(dora_erased, 0);
            assert_int_equal(lead_contact_resolve(w.e, &r, 4), LEAD_OK);
            assert_int_equal(r, rehome ? 3 : 1);
            lead_contact *c = NULL;
            const char *v = NULL;
            assert_int_equal(lead_contact_get(&c, w.e, 1), LEAD_OK);
            lead_contact_id(c, &id);
            assert_int_equal(id, rehome ? 3 : 1);
            lead_contact_field(c, LEAD_FIELD_FIRST_NAME, &v);
            assert_string_equal(v, "Alice");
            lead_contact_field(c, LEAD_FIELD_EMAIL, &v);
            assert_string_equal(v, rehome ? "c@x.io" : "a@x.io");
            lead_contact_free(c);
            if (rehome) {
                assert_int_equal(meta, 0); /* 1's record, kept for 3 */
                assert_true(holds(bytes, len, "Alice"));
            }
        }
        lt_world_down(&w);
        if (!injected)
            break;
    }
    assert_int_equal(n, 8);
}

static void erase_forgets_the_loser_of_a_failed_merge(void **state)
{
    (void)state;
    erase_after_failed_merge(0);
    erase_after_failed_merge(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_survives_every_store_failure),
        cmocka_unit_test(set_field_survives_every_store_failure),
        cmocka_unit_test(set_stage_survives_every_store_failure),
        cmocka_unit_test(track_survives_every_store_failure),
        cmocka_unit_test(merge_survives_every_store_failure),
        cmocka_unit_test(erase_survives_every_store_failure),
        cmocka_unit_test(single_record_writes_need_no_transactions),
        cmocka_unit_test(clock_failure_changes_nothing),
        cmocka_unit_test(unknown_time_from_the_clock_changes_nothing),
        cmocka_unit_test(track_without_transactions_writes_the_event_first),
        cmocka_unit_test(erase_forgets_the_loser_of_a_failed_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
