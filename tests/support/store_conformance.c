/* Store conformance checks (see store_conformance.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lead_test.h"
#include "store_conformance.h"

typedef struct scan_log {
    int64_t times[16];
    char bytes[16][8];
    uint64_t ids[16];
    int n;
    int stop_after;
} scan_log;

static int log_event(void *user, int64_t time_ms, const void *bytes, size_t len)
{
    scan_log *log = user;
    assert_true(len < 8);
    log->times[log->n] = time_ms;
    memcpy(log->bytes[log->n], bytes, len);
    log->bytes[log->n][len] = '\0';
    log->n++;
    return log->stop_after && log->n == log->stop_after;
}

static int log_contact(void *user, uint64_t id)
{
    scan_log *log = user;
    log->ids[log->n++] = id;
    return 0;
}

static void check_get(const lead_store *s, uint64_t id, const char *expect)
{
    const void *bytes = NULL;
    size_t len = 0;
    assert_int_equal(s->contact_get(s->user, id, &bytes, &len), 0);
    assert_int_equal(len, strlen(expect));
    assert_memory_equal(bytes, expect, len);
}

static void contacts_and_indexes(const lead_store *s)
{
    uint64_t id = 0;
    const void *bytes;
    size_t len;
    assert_int_equal(s->contact_get(s->user, 1, &bytes, &len), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_find_email(s->user, "a@x.io", &id), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_put(s->user, 1, "a@x.io", "crm-1", "one", 3), 0);
    assert_int_equal(s->contact_put(s->user, 2, "b@x.io", NULL, "two", 3), 0);
    assert_int_equal(s->contact_put(s->user, 3, NULL, NULL, "", 0), 0);
    check_get(s, 1, "one");
    check_get(s, 3, "");
    assert_int_equal(s->contact_find_email(s->user, "b@x.io", &id), 0);
    assert_int_equal(id, 2);
    assert_int_equal(s->contact_find_external(s->user, "crm-1", &id), 0);
    assert_int_equal(id, 1);
    /* A replace moves the keys: the old email no longer finds it. */
    assert_int_equal(s->contact_put(s->user, 1, "c@x.io", "crm-1", "uno", 3), 0);
    check_get(s, 1, "uno");
    assert_int_equal(s->contact_find_email(s->user, "a@x.io", &id), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_find_email(s->user, "c@x.io", &id), 0);
    assert_int_equal(id, 1);
    assert_int_equal(s->contact_put(s->user, 1, "c@x.io", NULL, "uno", 3), 0);
    assert_int_equal(s->contact_find_external(s->user, "crm-1", &id), LEAD_ENOTFOUND);

    scan_log log;
    memset(&log, 0, sizeof log);
    assert_int_equal(s->contact_scan(s->user, log_contact, &log), 0);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.ids[0], 1);
    assert_int_equal(log.ids[1], 2);
    assert_int_equal(log.ids[2], 3);
}

static void events_in_time_order(const lead_store *s)
{
    assert_int_equal(s->event_append(s->user, 2, 300, NULL, "c", 1), 0);
    assert_int_equal(s->event_append(s->user, 2, 100, "k1", "a", 1), 0);
    assert_int_equal(s->event_append(s->user, 2, 300, NULL, "d", 1), 0);
    assert_int_equal(s->event_append(s->user, 2, 200, NULL, "b", 1), 0);
    assert_int_equal(s->event_append(s->user, 1, 50, NULL, "z", 1), 0);

    scan_log log;
    memset(&log, 0, sizeof log);
    assert_int_equal(s->event_scan(s->user, 2, INT64_MIN, log_event, &log), 0);
    assert_int_equal(log.n, 4);
    const char *order[4] = {"a", "b", "c", "d"}; /* equal times keep append order */
    const int64_t times[4] = {100, 200, 300, 300};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(log.bytes[i], order[i]);
        assert_int_equal(log.times[i], times[i]);
    }
    memset(&log, 0, sizeof log);
    assert_int_equal(s->event_scan(s->user, 2, 200, log_event, &log), 0);
    assert_int_equal(log.n, 3);
    assert_string_equal(log.bytes[0], "b");
    memset(&log, 0, sizeof log);
    log.stop_after = 2;
    assert_int_equal(s->event_scan(s->user, 2, INT64_MIN, log_event, &log), 0);
    assert_int_equal(log.n, 2);
    memset(&log, 0, sizeof log);
    assert_int_equal(s->event_scan(s->user, 3, INT64_MIN, log_event, &log), 0);
    assert_int_equal(log.n, 0);

    assert_int_equal(s->event_find_key(s->user, "k1"), 0);
    assert_int_equal(s->event_find_key(s->user, "k2"), LEAD_ENOTFOUND);
}

static void delete_and_meta(const lead_store *s)
{
    uint64_t id = 0;
    const void *bytes;
    size_t len;
    assert_int_equal(s->contact_delete(s->user, 2), 0);
    assert_int_equal(s->contact_delete(s->user, 2), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_get(s->user, 2, &bytes, &len), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_find_email(s->user, "b@x.io", &id), LEAD_ENOTFOUND);
    scan_log log;
    memset(&log, 0, sizeof log);
    assert_int_equal(s->event_scan(s->user, 2, INT64_MIN, log_event, &log), 0);
    assert_int_equal(log.n, 0);
    /* Idempotency keys outlive the events they came with. */
    assert_int_equal(s->event_find_key(s->user, "k1"), 0);
    assert_int_equal(s->contact_put(s->user, 2, "b@x.io", NULL, "two", 3), 0);

    assert_int_equal(s->meta_get(s->user, "counter", &bytes, &len), LEAD_ENOTFOUND);
    assert_int_equal(s->meta_put(s->user, "counter", "12345678", 8), 0);
    assert_int_equal(s->meta_put(s->user, "counter", "87654321", 8), 0);
    assert_int_equal(s->meta_get(s->user, "counter", &bytes, &len), 0);
    assert_int_equal(len, 8);
    assert_memory_equal(bytes, "87654321", 8);
}

/* With transactions: a rollback undoes every kind of write, a commit keeps them. */
static void transactions(const lead_store *s)
{
    uint64_t id = 0;
    const void *bytes;
    size_t len;
    scan_log log;
    if (!s->begin)
        return;
    assert_int_equal(s->begin(s->user), 0);
    assert_int_equal(s->contact_put(s->user, 9, "n@x.io", NULL, "nine", 4), 0);
    assert_int_equal(s->contact_put(s->user, 1, "moved@x.io", "crm-9", "1b", 2), 0);
    assert_int_equal(s->event_append(s->user, 1, 10, "k9", "y", 1), 0);
    assert_int_equal(s->contact_delete(s->user, 3), 0);
    assert_int_equal(s->meta_put(s->user, "counter", "xx", 2), 0);
    assert_int_equal(s->meta_put(s->user, "fresh", "f", 1), 0);
    assert_int_equal(s->rollback(s->user), 0);
    assert_int_equal(s->contact_get(s->user, 9, &bytes, &len), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_find_email(s->user, "n@x.io", &id), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_find_email(s->user, "moved@x.io", &id), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_find_external(s->user, "crm-9", &id), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_find_email(s->user, "c@x.io", &id), 0);
    assert_int_equal(id, 1);
    check_get(s, 1, "uno");
    check_get(s, 3, "");
    assert_int_equal(s->event_find_key(s->user, "k9"), LEAD_ENOTFOUND);
    memset(&log, 0, sizeof log);
    assert_int_equal(s->event_scan(s->user, 1, INT64_MIN, log_event, &log), 0);
    assert_int_equal(log.n, 1);
    assert_string_equal(log.bytes[0], "z");
    assert_int_equal(s->meta_get(s->user, "counter", &bytes, &len), 0);
    assert_int_equal(len, 8);
    assert_memory_equal(bytes, "87654321", 8);
    assert_int_equal(s->meta_get(s->user, "fresh", &bytes, &len), LEAD_ENOTFOUND);

    /* Rewrites that keep a contact's keys, and values rewritten at the same
     * size (what every tracked event does), undo as well. */
    assert_int_equal(s->begin(s->user), 0);
    assert_int_equal(s->contact_put(s->user, 1, "c@x.io", NULL, "1a", 2), 0);
    assert_int_equal(s->contact_put(s->user, 1, "c@x.io", NULL, "1b", 2), 0);
    assert_int_equal(s->meta_put(s->user, "counter", "aaaaaaaa", 8), 0);
    assert_int_equal(s->meta_put(s->user, "counter", "bbbbbbbb", 8), 0);
    assert_int_equal(s->meta_put(s->user, "fresh", "f", 1), 0);
    assert_int_equal(s->meta_put(s->user, "fresh", "g", 1), 0);
    assert_int_equal(s->meta_get(s->user, "counter", &bytes, &len), 0);
    assert_memory_equal(bytes, "bbbbbbbb", 8);
    check_get(s, 1, "1b");
    assert_int_equal(s->rollback(s->user), 0);
    check_get(s, 1, "uno");
    assert_int_equal(s->contact_find_email(s->user, "c@x.io", &id), 0);
    assert_int_equal(id, 1);
    assert_int_equal(s->meta_get(s->user, "counter", &bytes, &len), 0);
    assert_int_equal(len, 8);
    assert_memory_equal(bytes, "87654321", 8);
    assert_int_equal(s->meta_get(s->user, "fresh", &bytes, &len), LEAD_ENOTFOUND);
    /* A contact deleted, put again and given an event in one transaction:
     * the rollback brings back the old record, keys and events, and keeps
     * nothing the later writes allocated (the leak check sees that). */
    assert_int_equal(s->begin(s->user), 0);
    assert_int_equal(s->contact_delete(s->user, 1), 0);
    assert_int_equal(s->contact_put(s->user, 1, "again@x.io", NULL, "1c", 2), 0);
    assert_int_equal(s->event_append(s->user, 1, 11, NULL, "w", 1), 0);
    assert_int_equal(s->event_append(s->user, 1, 12, NULL, "v", 1), 0);
    assert_int_equal(s->rollback(s->user), 0);
    check_get(s, 1, "uno");
    assert_int_equal(s->contact_find_email(s->user, "c@x.io", &id), 0);
    assert_int_equal(id, 1);
    assert_int_equal(s->contact_find_email(s->user, "again@x.io", &id), LEAD_ENOTFOUND);
    memset(&log, 0, sizeof log);
    assert_int_equal(s->event_scan(s->user, 1, INT64_MIN, log_event, &log), 0);
    assert_int_equal(log.n, 1);
    assert_string_equal(log.bytes[0], "z");
    assert_int_equal(s->begin(s->user), 0);
    assert_int_equal(s->meta_put(s->user, "counter", "cccccccc", 8), 0);
    assert_int_equal(s->meta_put(s->user, "counter", "87654321", 8), 0);
    assert_int_equal(s->commit(s->user), 0);
    assert_int_equal(s->meta_get(s->user, "counter", &bytes, &len), 0);
    assert_memory_equal(bytes, "87654321", 8);

    assert_int_equal(s->begin(s->user), 0);
    assert_int_equal(s->contact_put(s->user, 1, "moved@x.io", NULL, "1b", 2), 0);
    assert_int_equal(s->event_append(s->user, 1, 10, "k9", "y", 1), 0);
    assert_int_equal(s->commit(s->user), 0);
    assert_int_equal(s->contact_find_email(s->user, "c@x.io", &id), LEAD_ENOTFOUND);
    assert_int_equal(s->contact_find_email(s->user, "moved@x.io", &id), 0);
    assert_int_equal(id, 1);
    assert_int_equal(s->event_find_key(s->user, "k9"), 0);
    memset(&log, 0, sizeof log);
    assert_int_equal(s->event_scan(s->user, 1, INT64_MIN, log_event, &log), 0);
    assert_int_equal(log.n, 2);
    assert_string_equal(log.bytes[0], "y");
}

void lt_store_conformance(const lead_store *store)
{
    assert_non_null(store);
    assert_int_equal(store->version, LEAD_STORE_VERSION);
    contacts_and_indexes(store);
    events_in_time_order(store);
    delete_and_meta(store);
    transactions(store);
}
