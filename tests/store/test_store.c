/* The in-memory store against the conformance suite, its allocation
 * failures, and the record codec's validation. */
#include "lead_test.h"
#include "failstore.h"
#include "record.h"
#include "store_conformance.h"

#include <stdio.h>
#include <string.h>

static void memory_store_conforms(void **state)
{
    (void)state;
    lead_store *store = NULL;
    assert_int_equal(lead_store_memory_new(&store, NULL), LEAD_OK);
    lt_store_conformance(store);
    lead_store_memory_free(store);
    lead_store_memory_free(NULL);
}

/* lead_store_memory_free leaves a store it did not make alone: a caller's
 * own, and a copy of a memory store's vtable. */
static void memory_free_leaves_other_stores_alone(void **state)
{
    (void)state;
    lt_failalloc fa;
    lt_failalloc_init(&fa);
    lead_store *store = NULL;
    assert_int_equal(lead_store_memory_new(&store, &fa.alloc), LEAD_OK);
    assert_int_equal(store->meta_put(store->user, "k", "v", 1), LEAD_OK);
    lt_failstore fs;
    lt_failstore_init(&fs, store, 0);
    lead_store copy = *store;
    long live = fa.live;
    lead_store_memory_free(&fs.store);
    lead_store_memory_free(&copy);
    assert_int_equal(fs.calls, 0);
    assert_int_equal(fa.live, live);
    const void *b = NULL;
    size_t n = 0;
    assert_int_equal(store->meta_get(store->user, "k", &b, &n), LEAD_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(b, "v", 1);
    lead_store_memory_free(store);
    assert_int_equal(fa.live, 0);
}

static int conformance_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead_store *store = NULL;
    int rc = lead_store_memory_new(&store, alloc);
    if (rc != LEAD_OK)
        return rc;
    /* A put that fails for memory changes nothing: repeat the same put. */
    for (uint64_t id = 1; id <= 20 && rc == LEAD_OK; id++) {
        char email[16];
        snprintf(email, sizeof email, "u%llu@x.io", (unsigned long long)id);
        rc = store->contact_put(store->user, id, email, NULL, "rec", 3);
        if (rc == LEAD_OK)
            rc = store->event_append(store->user, id, (int64_t)(100 - id), email, "ev", 2);
    }
    if (rc == LEAD_OK) {
        uint64_t found = 0;
        assert_int_equal(store->contact_find_email(store->user, "u17@x.io", &found), 0);
        assert_int_equal(found, 17);
    }
    lead_store_memory_free(store);
    return rc;
}

static void memory_store_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(conformance_scenario, NULL, LEAD_OK) > 20);
}

/* Same-length rewrites inside a transaction (a tracked event's contact and
 * counter, longer than any undo entry holds): a failure at any allocation
 * and a rollback both leave the old bytes; a commit keeps the new ones. */
static int rewrite_scenario(const lead_allocator *alloc, void *ctx)
{
    int commit = *(const int *)ctx;
    static const char a[] = "the contact record as it was, 40 bytes..";
    static const char b[] = "the contact record as it is now, 40 byte";
    static const char ma[] = "counter value before, 26 b", mb[] = "counter value after!, 26 b";
    lead_store *store = NULL;
    int rc = lead_store_memory_new(&store, alloc);
    if (rc != LEAD_OK)
        return rc;
    rc = store->contact_put(store->user, 1, "a@x.io", "crm-1", a, 40);
    if (rc == LEAD_OK)
        rc = store->meta_put(store->user, "event.next_id", ma, 26);
    if (rc != LEAD_OK) {
        lead_store_memory_free(store);
        return rc;
    }
    assert_int_equal(store->begin(store->user), LEAD_OK);
    rc = store->contact_put(store->user, 1, "a@x.io", "crm-1", b, 40);
    if (rc == LEAD_OK)
        rc = store->meta_put(store->user, "event.next_id", mb, 26);
    if (rc == LEAD_OK)
        rc = store->contact_put(store->user, 1, "a@x.io", "crm-1", a, 40);
    if (rc == LEAD_OK)
        rc = store->contact_put(store->user, 1, "a@x.io", "crm-1", b, 40);
    int keep = rc == LEAD_OK && commit;
    if (keep)
        assert_int_equal(store->commit(store->user), LEAD_OK);
    else
        assert_int_equal(store->rollback(store->user), LEAD_OK);
    const void *bytes = NULL;
    size_t len = 0;
    uint64_t id = 0;
    assert_int_equal(store->contact_get(store->user, 1, &bytes, &len), LEAD_OK);
    assert_int_equal(len, 40);
    assert_memory_equal(bytes, keep ? b : a, 40);
    assert_int_equal(store->meta_get(store->user, "event.next_id", &bytes, &len), LEAD_OK);
    assert_int_equal(len, 26);
    assert_memory_equal(bytes, keep ? mb : ma, 26);
    assert_int_equal(store->contact_find_external(store->user, "crm-1", &id), LEAD_OK);
    assert_int_equal(id, 1);
    lead_store_memory_free(store);
    return rc;
}

static void memory_store_rewrites_in_place(void **state)
{
    (void)state;
    int commit = 1;
    assert_true(lt_alloc_sweep(rewrite_scenario, &commit, LEAD_OK) > 3);
    commit = 0;
    assert_true(lt_alloc_sweep(rewrite_scenario, &commit, LEAD_OK) > 3);
}

static void store_init_equals_macro(void **state)
{
    (void)state;
    lead_store a = LEAD_STORE_INIT, b;
    memset(&b, 0xff, sizeof b);
    assert_int_equal(lead_store_init(&b, sizeof(lead_store)), LEAD_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(lead_store_init(NULL, sizeof(lead_store)), LEAD_EINVAL);
    assert_int_equal(lead_store_memory_new(NULL, NULL), LEAD_EINVAL);
}

static void record_round_trip_and_rejects(void **state)
{
    (void)state;
    lead__mem mem;
    assert_int_equal(lead__mem_init(&mem, NULL), LEAD_OK);
    lead__rec_writer w;
    memset(&w, 0, sizeof w);
    w.mem = &mem;
    lead__rec_begin(&w, LEAD__REC_EVENT, 1);
    lead__rec_i64(&w, 1, -2);
    lead__rec_str(&w, 7, "EUR");
    assert_int_equal(lead__rec_end(&w), LEAD_OK);
    static const unsigned char expect[] = {
        'L', 'R', 2, 1, 2, 0, 0, 0, 23, 0, 0, 0,                        /* header */
        1, 0, 8, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* -2 */
        7, 0, 3, 0, 0, 0, 'E', 'U', 'R'};
    assert_int_equal(w.len, sizeof expect);
    assert_memory_equal(w.buf, expect, sizeof expect);

    lead__rec_reader r;
    unsigned tag = 0;
    const unsigned char *v = NULL;
    size_t len = 0;
    int64_t x = 0;
    assert_int_equal(lead__rec_open(&r, w.buf, w.len, LEAD__REC_EVENT, 1), LEAD_OK);
    assert_int_equal(lead__rec_next(&r, &tag, &v, &len), LEAD_OK);
    assert_int_equal(tag, 1);
    assert_int_equal(lead__rec_as_i64(v, len, &x), LEAD_OK);
    assert_int_equal(x, -2);
    assert_int_equal(lead__rec_next(&r, &tag, &v, &len), LEAD_OK);
    assert_int_equal(len, 3);
    assert_int_equal(lead__rec_next(&r, &tag, &v, &len), LEAD_ITEROVER);

    unsigned char bad[sizeof expect];
    assert_int_equal(lead__rec_open(&r, expect, sizeof expect, LEAD__REC_CONTACT, 1),
                     LEAD_ECORRUPT);
    assert_int_equal(lead__rec_open(&r, expect, sizeof expect - 1, LEAD__REC_EVENT, 1),
                     LEAD_ECORRUPT);
    memcpy(bad, expect, sizeof bad);
    bad[3] = 2; /* a version this reader does not know */
    assert_int_equal(lead__rec_open(&r, bad, sizeof bad, LEAD__REC_EVENT, 1), LEAD_EVERSION);
    bad[3] = 0; /* never written by any version: damage */
    assert_int_equal(lead__rec_open(&r, bad, sizeof bad, LEAD__REC_EVENT, 1), LEAD_ECORRUPT);
    memcpy(bad, expect, sizeof bad);
    bad[4] = 3; /* one field more than the body holds */
    assert_int_equal(lead__rec_open(&r, bad, sizeof bad, LEAD__REC_EVENT, 1), LEAD_ECORRUPT);
    memcpy(bad, expect, sizeof bad);
    bad[28] = 200; /* the second field's length runs past the end */
    assert_int_equal(lead__rec_open(&r, bad, sizeof bad, LEAD__REC_EVENT, 1), LEAD_ECORRUPT);
    /* Every truncation is refused. */
    for (size_t n = 0; n < sizeof expect; n++)
        assert_int_equal(lead__rec_open(&r, expect, n, LEAD__REC_EVENT, 1), LEAD_ECORRUPT);
    lead__rec_writer_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memory_store_conforms),
        cmocka_unit_test(memory_free_leaves_other_stores_alone),
        cmocka_unit_test(memory_store_alloc_sweep),
        cmocka_unit_test(memory_store_rewrites_in_place),
        cmocka_unit_test(store_init_equals_macro),
        cmocka_unit_test(record_round_trip_and_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
