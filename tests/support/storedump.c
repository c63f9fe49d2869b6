/* The canonical store dump (see storedump.h). Hash maps visit their keys in
 * an order that depends on their history, so keyed entries are sorted. */
#include "lead_test.h"
#include "storedump.h"
#include "store_memory.h"

#include <stdlib.h>
#include <string.h>

typedef struct blob {
    unsigned char *p;
    size_t len, cap;
} blob;

typedef struct dumper {
    blob ordered;  /* contacts and events, already in a canonical order */
    blob *keyed;   /* one blob per idempotency key or meta entry */
    size_t keyed_len, keyed_cap;
} dumper;

static void add(blob *b, const void *bytes, size_t len)
{
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    if (len)
        memcpy(b->p + b->len, bytes, len);
    b->len += len;
}

/* A string with its length, so that NULL, "" and concatenations differ. */
static void add_str(blob *b, const char *s)
{
    uint64_t n = s ? strlen(s) : UINT64_MAX;
    add(b, &n, sizeof n);
    if (s)
        add(b, s, strlen(s));
}

static void add_bytes(blob *b, const void *bytes, size_t len)
{
    uint64_t n = len;
    add(b, &n, sizeof n);
    add(b, bytes, len);
}

static blob *new_keyed(dumper *d, char tag)
{
    if (d->keyed_len == d->keyed_cap) {
        d->keyed_cap = d->keyed_cap * 2 + 8;
        d->keyed = realloc(d->keyed, d->keyed_cap * sizeof *d->keyed);
        assert_non_null(d->keyed);
    }
    blob *b = &d->keyed[d->keyed_len++];
    memset(b, 0, sizeof *b);
    add(b, &tag, 1);
    return b;
}

static int on_contact(void *ctx, uint64_t id, const char *email, const char *external_id,
                      const void *record, size_t len)
{
    dumper *d = ctx;
    add(&d->ordered, "C", 1);
    add(&d->ordered, &id, sizeof id);
    add_str(&d->ordered, email);
    add_str(&d->ordered, external_id);
    add_bytes(&d->ordered, record, len);
    return 0;
}

static int on_event(void *ctx, uint64_t id, int64_t time_ms, const void *bytes, size_t len)
{
    dumper *d = ctx;
    add(&d->ordered, "E", 1);
    add(&d->ordered, &id, sizeof id);
    add(&d->ordered, &time_ms, sizeof time_ms);
    add_bytes(&d->ordered, bytes, len);
    return 0;
}

static int on_idem(void *ctx, const char *key, uint64_t contact_id)
{
    blob *b = new_keyed(ctx, 'I');
    add_str(b, key);
    add(b, &contact_id, sizeof contact_id);
    return 0;
}

static int on_meta(void *ctx, const char *key, const void *bytes, size_t len)
{
    blob *b = new_keyed(ctx, 'M');
    add_str(b, key);
    add_bytes(b, bytes, len);
    return 0;
}

static int cmp_blob(const void *pa, const void *pb)
{
    const blob *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->p, b->p, n);
    if (c != 0)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

lt_dump lt_store_dump(lead_store *store)
{
    dumper d;
    memset(&d, 0, sizeof d);
    lead__store_dump visit = {&d, on_contact, on_event, on_idem, on_meta};
    assert_int_equal(lead__store_memory_dump(store, &visit), LEAD_OK);
    if (d.keyed_len)
        qsort(d.keyed, d.keyed_len, sizeof *d.keyed, cmp_blob);
    for (size_t i = 0; i < d.keyed_len; i++) {
        add_bytes(&d.ordered, d.keyed[i].p, d.keyed[i].len);
        free(d.keyed[i].p);
    }
    free(d.keyed);
    lt_dump out = {d.ordered.p, d.ordered.len};
    return out;
}

int lt_dump_equal(const lt_dump *a, const lt_dump *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

void lt_dump_free(lt_dump *d)
{
    free(d->p);
    d->p = NULL;
    d->len = 0;
}
