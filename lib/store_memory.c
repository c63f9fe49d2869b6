/* The embedded in-memory store: contacts in a vector indexed by id, events
 * appended to one byte buffer per contact, open-addressing string indexes. */
#include "lead/sys/store.h"
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

/* Ids index a vector, so they must stay dense-ish; the engine assigns them
 * from 1 upwards. */
#define MEMSTORE_MAX_ID (UINT64_C(1) << 32)
/* Per event in a contact's buffer: int64 time, uint32 length, bytes. */
#define EVENT_HEADER 12u

typedef struct mem_contact {
    unsigned char *record;
    size_t record_len;
    char *email;       /* index keys, owned */
    char *external_id;
    unsigned char *events; /* EVENT_HEADER + bytes, appended */
    size_t events_len, events_cap;
    int64_t last_time;
    int present;
    int unsorted; /* an event was appended with a time before the last one */
} mem_contact;

typedef struct mem_store {
    lead_store vtable; /* first: the lead_store * handed out is this struct */
    lead__mem mem;
    mem_contact *contacts;
    size_t contacts_cap;
    lead__strmap by_email, by_external, idem_keys, meta;
} mem_store;

static mem_contact *contact_at(mem_store *s, uint64_t id)
{
    if (id >= s->contacts_cap || !s->contacts[id].present)
        return NULL;
    return &s->contacts[id];
}

static void drop_keys(mem_store *s, mem_contact *c)
{
    if (c->email)
        lead__strmap_remove(&s->by_email, &s->mem, c->email);
    if (c->external_id)
        lead__strmap_remove(&s->by_external, &s->mem, c->external_id);
    lead__free(&s->mem, c->email);
    lead__free(&s->mem, c->external_id);
    c->email = c->external_id = NULL;
}

static int ensure_slot(mem_store *s, uint64_t id)
{
    if (id < s->contacts_cap)
        return LEAD_OK;
    size_t cap = s->contacts_cap;
    int rc = lead__grow(&s->mem, (void **)&s->contacts, &cap, (size_t)id + 1, sizeof *s->contacts);
    if (rc != LEAD_OK)
        return rc;
    memset(s->contacts + s->contacts_cap, 0, (cap - s->contacts_cap) * sizeof *s->contacts);
    s->contacts_cap = cap;
    return LEAD_OK;
}

/* Allocates everything a put needs before changing anything, so a failed put
 * leaves the old record and keys in place. */
static int mem_contact_put(void *user, uint64_t id, const char *email, const char *external_id,
                           const void *bytes, size_t len)
{
    mem_store *s = user;
    if (id == 0 || id >= MEMSTORE_MAX_ID || (!bytes && len))
        return LEAD_EINVAL;
    int rc = ensure_slot(s, id);
    if (rc != LEAD_OK)
        return rc;
    unsigned char *record = lead__malloc(&s->mem, len ? len : 1);
    char *e = email ? lead__strdup(&s->mem, email) : NULL;
    char *x = external_id ? lead__strdup(&s->mem, external_id) : NULL;
    if (!record || (email && !e) || (external_id && !x))
        goto nomem;
    mem_contact *c = &s->contacts[id];
    int same_email = c->email && email && strcmp(c->email, email) == 0;
    int same_ext = c->external_id && external_id && strcmp(c->external_id, external_id) == 0;
    if (email && !same_email && lead__strmap_put(&s->by_email, &s->mem, email, id, NULL, 0))
        goto nomem;
    if (external_id && !same_ext &&
        lead__strmap_put(&s->by_external, &s->mem, external_id, id, NULL, 0)) {
        if (!same_email)
            lead__strmap_remove(&s->by_email, &s->mem, email);
        goto nomem;
    }
    if (c->email && !same_email)
        lead__strmap_remove(&s->by_email, &s->mem, c->email);
    if (c->external_id && !same_ext)
        lead__strmap_remove(&s->by_external, &s->mem, c->external_id);
    lead__free(&s->mem, c->email);
    lead__free(&s->mem, c->external_id);
    lead__free(&s->mem, c->record);
    if (len)
        memcpy(record, bytes, len);
    c->record = record;
    c->record_len = len;
    c->email = e;
    c->external_id = x;
    c->present = 1;
    return LEAD_OK;
nomem:
    lead__free(&s->mem, record);
    lead__free(&s->mem, e);
    lead__free(&s->mem, x);
    return LEAD_ENOMEM;
}

static int mem_contact_get(void *user, uint64_t id, const void **out_bytes, size_t *out_len)
{
    mem_contact *c = contact_at(user, id);
    if (!c)
        return LEAD_ENOTFOUND;
    *out_bytes = c->record;
    *out_len = c->record_len;
    return LEAD_OK;
}

static int mem_contact_delete(void *user, uint64_t id)
{
    mem_store *s = user;
    mem_contact *c = contact_at(s, id);
    if (!c)
        return LEAD_ENOTFOUND;
    drop_keys(s, c);
    lead__free(&s->mem, c->record);
    lead__free(&s->mem, c->events);
    memset(c, 0, sizeof *c);
    return LEAD_OK;
}

static int find_in(const lead__strmap *map, const char *key, uint64_t *out_id)
{
    if (!key || !out_id)
        return LEAD_EINVAL;
    const lead__strmap_entry *e = lead__strmap_find(map, key);
    if (!e)
        return LEAD_ENOTFOUND;
    *out_id = e->value;
    return LEAD_OK;
}

static int mem_contact_find_email(void *user, const char *email, uint64_t *out_id)
{
    return find_in(&((mem_store *)user)->by_email, email, out_id);
}

static int mem_contact_find_external(void *user, const char *external_id, uint64_t *out_id)
{
    return find_in(&((mem_store *)user)->by_external, external_id, out_id);
}

static int mem_contact_scan(void *user, lead_store_contact_fn fn, void *scan_user)
{
    mem_store *s = user;
    for (size_t id = 1; id < s->contacts_cap; id++)
        if (s->contacts[id].present && fn(scan_user, (uint64_t)id) != 0)
            break;
    return LEAD_OK;
}

static void put_u32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get_u32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void put_i64(unsigned char *p, int64_t v) { memcpy(p, &v, 8); }
static int64_t get_i64(const unsigned char *p) { int64_t v; memcpy(&v, p, 8); return v; }

static int mem_event_append(void *user, uint64_t contact_id, int64_t time_ms, const char *idem_key,
                            const void *bytes, size_t len)
{
    mem_store *s = user;
    mem_contact *c = contact_at(s, contact_id);
    if (!c)
        return LEAD_ENOTFOUND;
    if (len > UINT32_MAX || (!bytes && len))
        return LEAD_EINVAL;
    size_t need = c->events_len + EVENT_HEADER + len;
    if (need > c->events_cap) {
        size_t cap = c->events_cap;
        if (lead__grow(&s->mem, (void **)&c->events, &cap, need, 1) != LEAD_OK)
            return LEAD_ENOMEM;
        c->events_cap = cap;
    }
    if (idem_key && lead__strmap_put(&s->idem_keys, &s->mem, idem_key, contact_id, NULL, 0))
        return LEAD_ENOMEM;
    unsigned char *p = c->events + c->events_len;
    put_i64(p, time_ms);
    put_u32(p + 8, (uint32_t)len);
    if (len)
        memcpy(p + EVENT_HEADER, bytes, len);
    if (c->events_len && time_ms < c->last_time)
        c->unsorted = 1;
    if (!c->events_len || time_ms > c->last_time)
        c->last_time = time_ms;
    c->events_len = need;
    return LEAD_OK;
}

typedef struct offset_time {
    size_t offset;
    int64_t time;
} offset_time;

static int by_time_then_offset(const void *a, const void *b)
{
    const offset_time *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Puts an out-of-order buffer into time order once, in place, so later
 * scans walk it straight. */
static int sort_events(mem_store *s, mem_contact *c)
{
    size_t n = 0;
    for (size_t off = 0; off < c->events_len; off += EVENT_HEADER + get_u32(c->events + off + 8))
        n++;
    offset_time *order = lead__calloc(&s->mem, n, sizeof *order);
    unsigned char *sorted = lead__malloc(&s->mem, c->events_cap);
    if (!order || !sorted) {
        lead__free(&s->mem, order);
        lead__free(&s->mem, sorted);
        return LEAD_ENOMEM;
    }
    size_t i = 0;
    for (size_t off = 0; off < c->events_len; off += EVENT_HEADER + get_u32(c->events + off + 8)) {
        order[i].offset = off;
        order[i++].time = get_i64(c->events + off);
    }
    qsort(order, n, sizeof *order, by_time_then_offset);
    size_t out = 0;
    for (i = 0; i < n; i++) {
        size_t size = EVENT_HEADER + get_u32(c->events + order[i].offset + 8);
        memcpy(sorted + out, c->events + order[i].offset, size);
        out += size;
    }
    lead__free(&s->mem, order);
    lead__free(&s->mem, c->events);
    c->events = sorted;
    c->unsorted = 0;
    return LEAD_OK;
}

static int mem_event_scan(void *user, uint64_t contact_id, int64_t from_ms,
                          lead_store_event_fn fn, void *scan_user)
{
    mem_store *s = user;
    mem_contact *c = contact_at(s, contact_id);
    if (!fn)
        return LEAD_EINVAL;
    if (!c)
        return LEAD_OK;
    if (c->unsorted) {
        int rc = sort_events(s, c);
        if (rc != LEAD_OK)
            return rc;
    }
    for (size_t off = 0; off < c->events_len;) {
        int64_t t = get_i64(c->events + off);
        uint32_t len = get_u32(c->events + off + 8);
        if (t >= from_ms && fn(scan_user, t, c->events + off + EVENT_HEADER, len) != 0)
            break;
        off += EVENT_HEADER + len;
    }
    return LEAD_OK;
}

static int mem_event_find_key(void *user, const char *idem_key)
{
    if (!idem_key)
        return LEAD_EINVAL;
    return lead__strmap_find(&((mem_store *)user)->idem_keys, idem_key) ? LEAD_OK
                                                                       : LEAD_ENOTFOUND;
}

static int mem_meta_put(void *user, const char *key, const void *bytes, size_t len)
{
    mem_store *s = user;
    if (!key || (!bytes && len))
        return LEAD_EINVAL;
    static const char empty = 0;
    return lead__strmap_put(&s->meta, &s->mem, key, 0, bytes ? bytes : &empty, len);
}

static int mem_meta_get(void *user, const char *key, const void **out_bytes, size_t *out_len)
{
    if (!key)
        return LEAD_EINVAL;
    const lead__strmap_entry *e = lead__strmap_find(&((mem_store *)user)->meta, key);
    if (!e)
        return LEAD_ENOTFOUND;
    *out_bytes = e->blob;
    *out_len = e->blob_len;
    return LEAD_OK;
}

int lead_store_init(lead_store *store)
{
    if (!store)
        return LEAD_EINVAL;
    lead_store init = LEAD_STORE_INIT;
    *store = init;
    return LEAD_OK;
}

int lead_store_memory_new(lead_store **out, const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    mem_store *s = lead__calloc(&mem, 1, sizeof *s);
    if (!s)
        return LEAD_ENOMEM;
    s->mem = mem;
    lead_store_init(&s->vtable);
    s->vtable.user = s;
    s->vtable.contact_put = mem_contact_put;
    s->vtable.contact_get = mem_contact_get;
    s->vtable.contact_delete = mem_contact_delete;
    s->vtable.contact_find_email = mem_contact_find_email;
    s->vtable.contact_find_external = mem_contact_find_external;
    s->vtable.contact_scan = mem_contact_scan;
    s->vtable.event_append = mem_event_append;
    s->vtable.event_scan = mem_event_scan;
    s->vtable.event_find_key = mem_event_find_key;
    s->vtable.meta_put = mem_meta_put;
    s->vtable.meta_get = mem_meta_get;
    *out = &s->vtable;
    return LEAD_OK;
}

void lead_store_memory_free(lead_store *store)
{
    if (!store)
        return;
    mem_store *s = (mem_store *)store;
    lead__mem mem = s->mem;
    for (size_t id = 0; id < s->contacts_cap; id++) {
        lead__free(&mem, s->contacts[id].record);
        lead__free(&mem, s->contacts[id].email);
        lead__free(&mem, s->contacts[id].external_id);
        lead__free(&mem, s->contacts[id].events);
    }
    lead__free(&mem, s->contacts);
    lead__strmap_free(&s->by_email, &mem);
    lead__strmap_free(&s->by_external, &mem);
    lead__strmap_free(&s->idem_keys, &mem);
    lead__strmap_free(&s->meta, &mem);
    lead__free(&mem, s);
}
