/* The failing-store wrapper (see failstore.h). */
#include "failstore.h"

#include <string.h>

/* Counts the call; non-zero when this is the one to fail. */
static int should_fail(lt_failstore *fs)
{
    long idx = fs->calls++;
    if (fs->fail_at >= 0 && idx == fs->fail_at) {
        fs->injected++;
        return 1;
    }
    return 0;
}

#define INNER(fs) ((fs)->inner)
#define WRAP(call)                                                                            \
    lt_failstore *fs = user;                                                                  \
    if (should_fail(fs))                                                                      \
        return fs->fail_code;                                                                 \
    return call

static int fs_contact_put(void *user, uint64_t id, const char *email, const char *ext,
                          const void *bytes, size_t len)
{
    WRAP(INNER(fs)->contact_put(INNER(fs)->user, id, email, ext, bytes, len));
}
static int fs_contact_get(void *user, uint64_t id, const void **b, size_t *n)
{
    WRAP(INNER(fs)->contact_get(INNER(fs)->user, id, b, n));
}
static int fs_contact_delete(void *user, uint64_t id)
{
    WRAP(INNER(fs)->contact_delete(INNER(fs)->user, id));
}
static int fs_find_email(void *user, const char *email, uint64_t *id)
{
    WRAP(INNER(fs)->contact_find_email(INNER(fs)->user, email, id));
}
static int fs_find_external(void *user, const char *ext, uint64_t *id)
{
    WRAP(INNER(fs)->contact_find_external(INNER(fs)->user, ext, id));
}
static int fs_contact_scan(void *user, lead_store_contact_fn fn, void *su)
{
    WRAP(INNER(fs)->contact_scan(INNER(fs)->user, fn, su));
}
static int fs_event_append(void *user, uint64_t id, int64_t t, const char *key, const void *b,
                           size_t n)
{
    WRAP(INNER(fs)->event_append(INNER(fs)->user, id, t, key, b, n));
}
static int fs_event_scan(void *user, uint64_t id, int64_t from, lead_store_event_fn fn, void *su)
{
    WRAP(INNER(fs)->event_scan(INNER(fs)->user, id, from, fn, su));
}
static int fs_event_find_key(void *user, const char *key)
{
    WRAP(INNER(fs)->event_find_key(INNER(fs)->user, key));
}
static int fs_meta_put(void *user, const char *key, const void *b, size_t n)
{
    WRAP(INNER(fs)->meta_put(INNER(fs)->user, key, b, n));
}
static int fs_meta_get(void *user, const char *key, const void **b, size_t *n)
{
    WRAP(INNER(fs)->meta_get(INNER(fs)->user, key, b, n));
}
static int fs_begin(void *user)
{
    WRAP(INNER(fs)->begin(INNER(fs)->user));
}
static int fs_commit(void *user)
{
    WRAP(INNER(fs)->commit(INNER(fs)->user));
}
static int fs_rollback(void *user)
{
    lt_failstore *fs = user;
    fs->calls++;
    return INNER(fs)->rollback(INNER(fs)->user);
}

void lt_failstore_init(lt_failstore *fs, const lead_store *inner, int hide_transactions)
{
    memset(fs, 0, sizeof *fs);
    lead_store_init(&fs->store, sizeof(lead_store));
    fs->inner = inner;
    fs->fail_at = -1;
    fs->fail_code = 99;
    fs->hide_transactions = hide_transactions;
    fs->store.user = fs;
    fs->store.contact_put = fs_contact_put;
    fs->store.contact_get = fs_contact_get;
    fs->store.contact_delete = fs_contact_delete;
    fs->store.contact_find_email = fs_find_email;
    fs->store.contact_find_external = fs_find_external;
    fs->store.contact_scan = fs_contact_scan;
    fs->store.event_append = fs_event_append;
    fs->store.event_scan = fs_event_scan;
    fs->store.event_find_key = fs_event_find_key;
    fs->store.meta_put = fs_meta_put;
    fs->store.meta_get = fs_meta_get;
    if (!hide_transactions && inner->begin) {
        fs->store.begin = fs_begin;
        fs->store.commit = fs_commit;
        fs->store.rollback = fs_rollback;
    }
}

void lt_failstore_arm(lt_failstore *fs, long fail_at)
{
    fs->calls = 0;
    fs->injected = 0;
    fs->fail_at = fail_at;
}
