/* The embedded in-memory store: contacts in a vector indexed by id, events
 * appended to one byte buffer per contact, open-addressing string indexes. */
#include "lead/sys/store.h"
#include "store_memory.h"
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

/* Ids index a vector, so they must stay dense-ish; the engine assigns them
 * from 1 upwards. */
#define MEMSTORE_MAX_ID (UINT64_C(1) << 32)
/* Per event in a contact's buffer: int64 time, uint32 length, bytes. */
#define EVENT_HEADER 12u

typedef struct mem_contact {
    unsigned char *record; /* the record's bytes, then its index keys' */
    size_t record_len;
    char *email;       /* index keys, inside the record's allocation (NULL: none) */
    char *external_id;
    unsigned char *events; /* EVENT_HEADER + bytes, appended */
    size_t events_len, events_cap;
    int64_t last_time;
    int present;
    int unsorted; /* an event was appended with a time before the last one */
} mem_contact;

/* What a write replaced, so rollback can put it back and commit can free it.
 * Index keys a write drops are only removed at commit, so rollback never
 * has to allocate. */
enum { UNDO_PUT, UNDO_REWRITE, UNDO_DELETE, UNDO_APPEND, UNDO_META };

typedef struct mem_undo {
    int kind;
    uint64_t id;
    mem_contact old;        /* PUT: record and keys; DELETE: the whole slot */
    char *added_email;      /* PUT: keys this put mapped (borrowed), NULL if none */
    char *added_external;
    uint64_t email_prev_owner, external_prev_owner; /* 0: key was unmapped */
    char *key;              /* APPEND: idempotency key it added; META: the key */
    int key_borrowed;       /* META: key is the map entry's own (it existed), not a copy */
    size_t events_len;      /* APPEND */
    int64_t last_time;
    int unsorted;
    void *blob;             /* META: previous value (owned), existed flag */
    size_t blob_len;
    size_t saved_at; /* REWRITE, META in place: the old bytes in mem_store.saved */
    int in_place;
    int existed;
} mem_undo;

typedef struct mem_store {
    lead_store vtable; /* first: the lead_store * handed out is this struct */
    lead__mem mem;
    mem_contact *contacts;
    size_t contacts_cap;
    lead__strmap by_email, by_external, idem_keys, meta;
    mem_undo *undo;
    size_t undo_len, undo_cap;
    unsigned char *saved; /* old bytes of records rewritten in place by the open transaction */
    size_t saved_len, saved_cap;
    int in_tx;
    lead__strmap_entry *meta_hot; /* the last meta entry found; NULL after any insert or removal */
} mem_store;

/* Every track reads and rewrites the same counter: remembering its entry
 * saves hashing the key twice per event. */
static lead__strmap_entry *meta_find(mem_store *s, const char *key)
{
    if (s->meta_hot && strcmp(s->meta_hot->key, key) == 0)
        return s->meta_hot;
    lead__strmap_entry *e = lead__strmap_find(&s->meta, key);
    if (e)
        s->meta_hot = e;
    return e;
}

static mem_contact *contact_at(mem_store *s, uint64_t id)
{
    if (id >= s->contacts_cap || !s->contacts[id].present)
        return NULL;
    return &s->contacts[id];
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

/* The next undo entry, not cleared: for the in-place rewrites, which set
 * every field their commit and rollback read. */
static mem_undo *undo_slot(mem_store *s)
{
    if (s->undo_len == s->undo_cap &&
        lead__grow(&s->mem, (void **)&s->undo, &s->undo_cap, s->undo_len + 1, sizeof *s->undo) !=
            LEAD_OK)
        return NULL;
    return &s->undo[s->undo_len];
}

/* Reserves the undo entry every write needs before it changes anything. */
static mem_undo *undo_reserve(mem_store *s)
{
    mem_undo *u = undo_slot(s);
    if (u)
        memset(u, 0, sizeof *u);
    return u;
}

/* A contact's keys come first in its record's allocation (mem_contact_put):
 * the start of the block is the first of them that is set. */
static void *record_block(const mem_contact *c)
{
    if (c->email)
        return c->email;
    return c->external_id ? (void *)c->external_id : (void *)c->record;
}

static void free_slot_parts(mem_store *s, mem_contact *c)
{
    lead__free(&s->mem, record_block(c));
    lead__free(&s->mem, c->events);
}

/* Drops a key that a committed write replaced, unless it now names the
 * contact again or belongs to another contact. */
static void drop_stale_key(mem_store *s, lead__strmap *map, const char *key, uint64_t id,
                           const char *current)
{
    if (!key || (current && strcmp(key, current) == 0))
        return;
    lead__strmap_entry *e = lead__strmap_find(map, key);
    if (e && e->value == id)
        lead__strmap_remove(map, &s->mem, key);
}

static void commit_one(mem_store *s, mem_undo *u)
{
    mem_contact *now = u->id < s->contacts_cap ? &s->contacts[u->id] : NULL;
    int live = now && now->present;
    switch (u->kind) {
    case UNDO_PUT:
    case UNDO_DELETE:
        drop_stale_key(s, &s->by_email, u->old.email, u->id, live ? now->email : NULL);
        drop_stale_key(s, &s->by_external, u->old.external_id, u->id,
                       live ? now->external_id : NULL);
        free_slot_parts(s, &u->old);
        break;
    case UNDO_REWRITE:
        break;
    case UNDO_APPEND:
        lead__free(&s->mem, u->key);
        break;
    case UNDO_META:
        if (!u->key_borrowed)
            lead__free(&s->mem, u->key);
        lead__free(&s->mem, u->blob);
        break;
    }
}

static void restore_key(mem_store *s, lead__strmap *map, const char *added, uint64_t prev_owner)
{
    if (!added)
        return;
    lead__strmap_entry *e = lead__strmap_find(map, added);
    if (!e)
        return;
    if (prev_owner)
        e->value = prev_owner;
    else
        lead__strmap_remove(map, &s->mem, added);
}

static void rollback_one(mem_store *s, mem_undo *u)
{
    mem_contact *c = &s->contacts[u->id < s->contacts_cap ? u->id : 0];
    switch (u->kind) {
    case UNDO_PUT:
        restore_key(s, &s->by_email, u->added_email, u->email_prev_owner);
        restore_key(s, &s->by_external, u->added_external, u->external_prev_owner);
        lead__free(&s->mem, record_block(c));
        c->record = u->old.record;
        c->record_len = u->old.record_len;
        c->email = u->old.email;
        c->external_id = u->old.external_id;
        c->present = u->old.present;
        break;
    case UNDO_REWRITE:
        memcpy(c->record, s->saved + u->saved_at, u->blob_len);
        break;
    case UNDO_DELETE:
        /* Writes after the delete may have given the slot a new event
         * buffer (their own undo entries only reset its length). */
        if (c->events != u->old.events)
            lead__free(&s->mem, c->events);
        *c = u->old;
        break;
    case UNDO_APPEND:
        if (u->key)
            lead__strmap_remove(&s->idem_keys, &s->mem, u->key);
        lead__free(&s->mem, u->key);
        c->events_len = u->events_len;
        c->last_time = u->last_time;
        c->unsorted = u->unsorted;
        break;
    case UNDO_META: {
        lead__strmap_entry *e = meta_find(s, u->key);
        if (u->in_place && e) {
            memcpy(e->blob, s->saved + u->saved_at, u->blob_len);
        } else if (u->existed && e) {
            lead__free(&s->mem, e->blob);
            e->blob = u->blob;
            e->blob_len = u->blob_len;
        } else {
            s->meta_hot = NULL;
            lead__strmap_remove(&s->meta, &s->mem, u->key);
            lead__free(&s->mem, u->blob);
        }
        if (!u->key_borrowed)
            lead__free(&s->mem, u->key);
        break;
    }
    }
}

/* Outside a transaction every write commits at once. */
static void written(mem_store *s)
{
    s->undo_len++;
    if (s->in_tx)
        return;
    commit_one(s, &s->undo[0]);
    s->undo_len = 0;
}

static int mem_begin(void *user)
{
    mem_store *s = user;
    if (s->in_tx)
        return LEAD_ESTATE;
    s->in_tx = 1;
    return LEAD_OK;
}

static int mem_commit(void *user)
{
    mem_store *s = user;
    if (!s->in_tx)
        return LEAD_ESTATE;
    for (size_t i = 0; i < s->undo_len; i++)
        commit_one(s, &s->undo[i]);
    s->undo_len = 0;
    s->saved_len = 0;
    s->in_tx = 0;
    return LEAD_OK;
}

static int mem_rollback(void *user)
{
    mem_store *s = user;
    if (!s->in_tx)
        return LEAD_ESTATE;
    while (s->undo_len)
        rollback_one(s, &s->undo[--s->undo_len]);
    s->saved_len = 0;
    s->in_tx = 0;
    return LEAD_OK;
}

/* Maps key to id unless it already is; notes what it did for rollback. */
static int map_key(mem_store *s, lead__strmap *map, const char *key, uint64_t id, char **added,
                   uint64_t *prev_owner)
{
    lead__strmap_entry *e = lead__strmap_find(map, key);
    if (e && e->value == id)
        return LEAD_OK;
    *prev_owner = e ? e->value : 0;
    if (lead__strmap_put(map, &s->mem, key, id, NULL, 0) != LEAD_OK)
        return LEAD_ENOMEM;
    *added = lead__strmap_find(map, key)->key;
    return LEAD_OK;
}

static int same_key(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Copies key (if any) to *at and moves *at past it; the key's copy or NULL. */
static char *place_key(unsigned char **at, const char *key)
{
    if (!key)
        return NULL;
    size_t n = strlen(key) + 1;
    char *copy = memcpy(*at, key, n);
    *at += n;
    return copy;
}

/* Before a write overwrites len bytes at old in place: inside a transaction
 * keeps a copy in the saved buffer (the only step that can fail), so that
 * rollback puts them back without allocating. */
static int save_old(mem_store *s, mem_undo *u, const void *old, size_t len)
{
    u->blob_len = len;
    u->saved_at = 0;
    if (!s->in_tx)
        return LEAD_OK;
    if (s->saved_len + len > s->saved_cap &&
        lead__grow(&s->mem, (void **)&s->saved, &s->saved_cap, s->saved_len + len, 1) != LEAD_OK)
        return LEAD_ENOMEM;
    memcpy(s->saved + s->saved_len, old, len);
    u->saved_at = s->saved_len;
    s->saved_len += len;
    return LEAD_OK;
}

/* A put of a record of the same length with the same keys (every tracked
 * event's contact) overwrites the old bytes: no allocation, no free at
 * commit. */
static int rewrite_in_place(mem_store *s, mem_contact *c, uint64_t id, const void *bytes,
                            size_t len)
{
    mem_undo *u = undo_slot(s);
    if (!u || save_old(s, u, c->record, len) != LEAD_OK)
        return LEAD_ENOMEM;
    u->kind = UNDO_REWRITE;
    u->id = id;
    memmove(c->record, bytes, len); /* bytes may be the record itself */
    written(s);
    return LEAD_OK;
}

/* Allocates everything a put needs before changing anything, so a failed put
 * leaves the old record and keys in place. The keys live in the record's
 * allocation: one block per put, and the old keys are compared right where
 * the engine has just read the old record. A key the contact already holds
 * needs no index probe: most puts (every tracked event) change neither. */
static int mem_contact_put(void *user, uint64_t id, const char *email, const char *external_id,
                           const void *bytes, size_t len)
{
    mem_store *s = user;
    if (id == 0 || id >= MEMSTORE_MAX_ID || (!bytes && len))
        return LEAD_EINVAL;
    size_t email_size = email ? strlen(email) + 1 : 0;
    size_t external_size = external_id ? strlen(external_id) + 1 : 0;
    if (len > SIZE_MAX - email_size - external_size - 1)
        return LEAD_EINVAL;
    if (ensure_slot(s, id) != LEAD_OK)
        return LEAD_ENOMEM;
    mem_contact *c = &s->contacts[id];
    if (c->present && len && c->record_len == len && same_key(c->email, email) &&
        same_key(c->external_id, external_id))
        return rewrite_in_place(s, c, id, bytes, len);
    mem_undo *u = undo_reserve(s);
    if (!u)
        return LEAD_ENOMEM;
    unsigned char *block = lead__malloc(&s->mem, email_size + external_size + len + 1);
    if (!block)
        return LEAD_ENOMEM;
    u->kind = UNDO_PUT;
    u->id = id;
    if (email && !(c->present && same_key(c->email, email)) &&
        map_key(s, &s->by_email, email, id, &u->added_email, &u->email_prev_owner))
        goto nomem;
    if (external_id && !(c->present && same_key(c->external_id, external_id)) &&
        map_key(s, &s->by_external, external_id, id, &u->added_external, &u->external_prev_owner)) {
        restore_key(s, &s->by_email, u->added_email, u->email_prev_owner);
        goto nomem;
    }
    u->old.record = c->record;
    u->old.record_len = c->record_len;
    u->old.email = c->email;
    u->old.external_id = c->external_id;
    u->old.present = c->present;
    /* Keys first: the put of every tracked event compares them, and this
     * way they share the record's first cache line. */
    unsigned char *at = block;
    c->email = place_key(&at, email);
    c->external_id = place_key(&at, external_id);
    if (len)
        memcpy(at, bytes, len);
    c->record = at;
    c->record_len = len;
    c->present = 1;
    written(s);
    return LEAD_OK;
nomem:
    lead__free(&s->mem, block);
    return LEAD_ENOMEM;
}

/* The engine reads a contact before it appends to its events and puts the
 * record back: start fetching the end of the contact's event buffer and the
 * index keys the put compares now, so neither waits on a cold cache line
 * (with many contacts the append's was the costliest miss of a track). */
static void prefetch_append(const mem_contact *c)
{
#if defined(__GNUC__) || defined(__clang__)
    if (c->events && c->events_len < c->events_cap)
        __builtin_prefetch(c->events + c->events_len, 1);
    if (c->email)
        __builtin_prefetch(c->email);
    if (c->external_id)
        __builtin_prefetch(c->external_id);
#else
    (void)c;
#endif
}

static int mem_contact_get(void *user, uint64_t id, const void **out_bytes, size_t *out_len)
{
    mem_contact *c = contact_at(user, id);
    if (!c)
        return LEAD_ENOTFOUND;
    prefetch_append(c);
    *out_bytes = c->record;
    *out_len = c->record_len;
    return LEAD_OK;
}

void lead__store_memory_prefetch(const lead_store *store, uint64_t id, int step)
{
#if defined(__GNUC__) || defined(__clang__)
    const mem_store *s = store->user;
    if (store->contact_get != mem_contact_get || id >= s->contacts_cap)
        return;
    const mem_contact *c = &s->contacts[id];
    if (step == 0) {
        __builtin_prefetch(c);
        return;
    }
    if (!c->present)
        return;
    /* A track copies the whole record (up to 1 KiB; longer ones are rare). */
    for (size_t at = 0; at < c->record_len && at < 1024; at += 64)
        __builtin_prefetch(c->record + at);
    prefetch_append(c);
#else
    (void)store;
    (void)id;
    (void)step;
#endif
}

static int mem_contact_delete(void *user, uint64_t id)
{
    mem_store *s = user;
    mem_contact *c = contact_at(s, id);
    if (!c)
        return LEAD_ENOTFOUND;
    mem_undo *u = undo_reserve(s);
    if (!u)
        return LEAD_ENOMEM;
    u->kind = UNDO_DELETE;
    u->id = id;
    u->old = *c;
    memset(c, 0, sizeof *c);
    written(s);
    return LEAD_OK;
}

/* A key may outlive its contact's change until commit: only a key the
 * contact still holds counts. */
static int find_in(mem_store *s, const lead__strmap *map, const char *key, int email,
                   uint64_t *out_id)
{
    if (!key || !out_id)
        return LEAD_EINVAL;
    const lead__strmap_entry *e = lead__strmap_find(map, key);
    mem_contact *c = e ? contact_at(s, e->value) : NULL;
    const char *held = c ? (email ? c->email : c->external_id) : NULL;
    if (!held || strcmp(held, key) != 0)
        return LEAD_ENOTFOUND;
    *out_id = e->value;
    return LEAD_OK;
}

static int mem_contact_find_email(void *user, const char *email, uint64_t *out_id)
{
    mem_store *s = user;
    return find_in(s, &s->by_email, email, 1, out_id);
}

static int mem_contact_find_external(void *user, const char *external_id, uint64_t *out_id)
{
    mem_store *s = user;
    return find_in(s, &s->by_external, external_id, 0, out_id);
}

static int mem_contact_scan(void *user, lead_store_contact_fn fn, void *scan_user)
{
    mem_store *s = user;
    if (!fn)
        return LEAD_EINVAL;
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
    if (len > UINT32_MAX - EVENT_HEADER || (!bytes && len))
        return LEAD_EINVAL;
    size_t need = c->events_len + EVENT_HEADER + len;
    if (need > c->events_cap) {
        size_t cap = c->events_cap;
        if (lead__grow(&s->mem, (void **)&c->events, &cap, need, 1) != LEAD_OK)
            return LEAD_ENOMEM;
        c->events_cap = cap;
    }
    mem_undo *u = undo_reserve(s);
    if (!u)
        return LEAD_ENOMEM;
    if (idem_key && !lead__strmap_find(&s->idem_keys, idem_key)) {
        u->key = lead__strdup(&s->mem, idem_key);
        if (!u->key)
            return LEAD_ENOMEM;
        if (lead__strmap_put(&s->idem_keys, &s->mem, idem_key, contact_id, NULL, 0) != LEAD_OK) {
            lead__free(&s->mem, u->key);
            return LEAD_ENOMEM;
        }
    }
    u->kind = UNDO_APPEND;
    u->id = contact_id;
    u->events_len = c->events_len;
    u->last_time = c->last_time;
    u->unsorted = c->unsorted;
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
    written(s);
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

/* The offsets of an out-of-order buffer's events in time order. */
static offset_time *time_order(mem_store *s, const mem_contact *c, size_t *out_n)
{
    size_t n = 0;
    for (size_t off = 0; off < c->events_len; off += EVENT_HEADER + get_u32(c->events + off + 8))
        n++;
    offset_time *order = lead__calloc(&s->mem, n, sizeof *order);
    if (!order)
        return NULL;
    size_t i = 0;
    for (size_t off = 0; off < c->events_len; off += EVENT_HEADER + get_u32(c->events + off + 8)) {
        order[i].offset = off;
        order[i++].time = get_i64(c->events + off);
    }
    qsort(order, n, sizeof *order, by_time_then_offset);
    *out_n = n;
    return order;
}

/* Rewrites the buffer in time order. Never inside a transaction: rollback
 * truncates the buffer. A failed allocation just leaves it unsorted. */
static void sort_in_place(mem_store *s, mem_contact *c, const offset_time *order, size_t n)
{
    unsigned char *sorted = lead__malloc(&s->mem, c->events_cap);
    if (!sorted)
        return;
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        size_t size = EVENT_HEADER + get_u32(c->events + order[i].offset + 8);
        memcpy(sorted + out, c->events + order[i].offset, size);
        out += size;
    }
    lead__free(&s->mem, c->events);
    c->events = sorted;
    c->unsorted = 0;
}

/* Walks an out-of-order buffer through a time-ordered index, then (outside
 * a transaction) rewrites it in order so later scans walk it straight. */
static int scan_unsorted(mem_store *s, mem_contact *c, int64_t from_ms, lead_store_event_fn fn,
                         void *scan_user)
{
    size_t n = 0;
    offset_time *order = time_order(s, c, &n);
    if (!order)
        return LEAD_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = c->events + order[i].offset;
        if (order[i].time >= from_ms &&
            fn(scan_user, order[i].time, p + EVENT_HEADER, get_u32(p + 8)) != 0)
            break;
    }
    if (!s->in_tx)
        sort_in_place(s, c, order, n);
    lead__free(&s->mem, order);
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
    if (c->unsorted)
        return scan_unsorted(s, c, from_ms, fn, scan_user);
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

/* A counter bump: same size, so no allocation once the saved buffer has
 * grown; the undo borrows the entry's key (an existing entry outlives the
 * write). */
static int meta_rewrite(mem_store *s, lead__strmap_entry *e, const void *bytes, size_t len)
{
    mem_undo *u = undo_slot(s);
    if (!u || save_old(s, u, e->blob, len) != LEAD_OK)
        return LEAD_ENOMEM;
    u->kind = UNDO_META;
    u->key = e->key;
    u->key_borrowed = 1;
    u->in_place = 1;
    u->existed = 1;
    u->blob = NULL;
    memmove(e->blob, bytes, len);
    written(s);
    return LEAD_OK;
}

static int mem_meta_put(void *user, const char *key, const void *bytes, size_t len)
{
    mem_store *s = user;
    if (!key || (!bytes && len))
        return LEAD_EINVAL;
    lead__strmap_entry *e = meta_find(s, key);
    if (e && e->blob_len == len && len)
        return meta_rewrite(s, e, bytes, len);
    mem_undo *u = undo_reserve(s);
    if (!u)
        return LEAD_ENOMEM;
    u->kind = UNDO_META;
    /* Meta keys are never removed but by the rollback of their own first
     * put, so the undo can borrow an existing entry's key. */
    u->key_borrowed = e != NULL;
    u->key = e ? e->key : lead__strdup(&s->mem, key);
    void *copy = lead__malloc(&s->mem, len ? len : 1);
    if (!u->key || !copy) {
        if (!u->key_borrowed)
            lead__free(&s->mem, u->key);
        lead__free(&s->mem, copy);
        return LEAD_ENOMEM;
    }
    if (len)
        memcpy(copy, bytes, len);
    if (e) {
        u->existed = 1;
        u->blob = e->blob;
        u->blob_len = e->blob_len;
        e->blob = copy;
        e->blob_len = len;
    } else {
        static const char empty = 0;
        s->meta_hot = NULL; /* the insert may move every entry */
        int rc = lead__strmap_put(&s->meta, &s->mem, key, 0, &empty, 0);
        if (rc != LEAD_OK) {
            lead__free(&s->mem, u->key);
            lead__free(&s->mem, copy);
            return rc;
        }
        e = meta_find(s, key);
        lead__free(&s->mem, e->blob);
        e->blob = copy;
        e->blob_len = len;
    }
    written(s);
    return LEAD_OK;
}

static int mem_meta_get(void *user, const char *key, const void **out_bytes, size_t *out_len)
{
    if (!key)
        return LEAD_EINVAL;
    const lead__strmap_entry *e = meta_find(user, key);
    if (!e)
        return LEAD_ENOTFOUND;
    *out_bytes = e->blob;
    *out_len = e->blob_len;
    return LEAD_OK;
}

int lead_store_init(lead_store *store, uint32_t struct_size)
{
    lead_store init = LEAD_STORE_INIT;
    return lead__init_versioned(store, struct_size, &init, sizeof init);
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
    lead_store_init(&s->vtable, sizeof(lead_store));
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
    s->vtable.begin = mem_begin;
    s->vtable.commit = mem_commit;
    s->vtable.rollback = mem_rollback;
    *out = &s->vtable;
    return LEAD_OK;
}

void lead_store_memory_free(lead_store *store)
{
    /* Only a store lead_store_memory_new made: its vtable, and the handle
     * being the struct itself. Anything else is left alone. */
    if (!store || store->struct_size != sizeof(lead_store) ||
        store->contact_get != mem_contact_get || store->user != store)
        return;
    mem_store *s = (mem_store *)store;
    lead__mem mem = s->mem;
    if (s->in_tx)
        mem_rollback(s);
    lead__free(&mem, s->undo);
    lead__free(&mem, s->saved);
    for (size_t id = 0; id < s->contacts_cap; id++)
        free_slot_parts(s, &s->contacts[id]);
    lead__free(&mem, s->contacts);
    lead__strmap_free(&s->by_email, &mem);
    lead__strmap_free(&s->by_external, &mem);
    lead__strmap_free(&s->idem_keys, &mem);
    lead__strmap_free(&s->meta, &mem);
    lead__free(&mem, s);
}

/* ---- whole-store reading, for the journal store ---------------------- */

typedef struct dump_events {
    const lead__store_dump *dump;
    uint64_t id;
    int rc;
} dump_events;

static int dump_one_event(void *ctx, int64_t time_ms, const void *bytes, size_t len)
{
    dump_events *d = ctx;
    d->rc = d->dump->event(d->dump->ctx, d->id, time_ms, bytes, len);
    return d->rc;
}

static int dump_idem(void *ctx, const lead__strmap_entry *e)
{
    const lead__store_dump *dump = ctx;
    return dump->idem_key(dump->ctx, e->key, e->value);
}

static int dump_meta(void *ctx, const lead__strmap_entry *e)
{
    const lead__store_dump *dump = ctx;
    return dump->meta(dump->ctx, e->key, e->blob, e->blob_len);
}

int lead__store_memory_dump(lead_store *store, const lead__store_dump *dump)
{
    mem_store *s = (mem_store *)store;
    if (s->in_tx)
        return LEAD_ESTATE;
    for (size_t id = 0; id < s->contacts_cap; id++) {
        mem_contact *c = &s->contacts[id];
        int rc = LEAD_OK;
        if (c->present)
            rc = dump->contact(dump->ctx, id, c->email, c->external_id, c->record, c->record_len);
        if (rc == LEAD_OK && c->events_len) {
            dump_events d = {dump, id, LEAD_OK};
            rc = mem_event_scan(s, id, INT64_MIN, dump_one_event, &d);
            if (rc == LEAD_OK)
                rc = d.rc;
        }
        if (rc != LEAD_OK)
            return rc;
    }
    int rc = lead__strmap_each(&s->idem_keys, dump_idem, (void *)dump);
    if (rc == LEAD_OK)
        rc = lead__strmap_each(&s->meta, dump_meta, (void *)dump);
    return rc;
}

int lead__store_memory_add_idem_key(lead_store *store, const char *key, uint64_t contact_id)
{
    mem_store *s = (mem_store *)store;
    if (lead__strmap_find(&s->idem_keys, key))
        return LEAD_OK;
    return lead__strmap_put(&s->idem_keys, &s->mem, key, contact_id, NULL, 0);
}
