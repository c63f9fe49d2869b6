/* The state an engine keeps per contact and attached model: a table keyed
 * by contact id, the cached fit, and rebuilding a behaviour state from the
 * stored history. */
#include "engine_score.h"
#include "event.h"

#include <string.h>

/* Contact ids are handed out by a counter, so they are dense: the id's own
 * low bits, with the higher ones folded in, put a run of up to nslots
 * consecutive ids in distinct slots (no probing, neighbours side by side)
 * and spread what lies beyond. */
static size_t slot_of(const lead__es_table *t, uint64_t id)
{
    uint64_t h = id;
    for (uint64_t rest = t->shift ? id >> t->shift : 0; rest; rest >>= t->shift)
        h ^= rest;
    return (size_t)h & (t->nslots - 1);
}

void lead__es_table_prefetch(const lead__es_table *t, uint64_t id)
{
#if defined(__GNUC__) || defined(__clang__)
    if (t->count)
        __builtin_prefetch(&t->slots[slot_of(t, id)]);
#else
    (void)t;
    (void)id;
#endif
}

lead__es_entry *lead__es_table_find(const lead__es_table *t, uint64_t id)
{
    if (!t->count)
        return NULL;
    for (size_t i = slot_of(t, id);; i = (i + 1) & (t->nslots - 1)) {
        if (t->slots[i].id == id)
            return &t->slots[i];
        if (!t->slots[i].id)
            return NULL;
    }
}

static lead__es_entry *place(lead__es_table *t, uint64_t id)
{
    size_t i = slot_of(t, id);
    while (t->slots[i].id)
        i = (i + 1) & (t->nslots - 1);
    t->slots[i].id = id;
    t->count++;
    return &t->slots[i];
}

/* Keeps the load at most 7/8: with dense ids most entries sit in their own
 * slot (slot_of), and a slot is a cache line, so empty ones cost memory. */
int lead__es_table_reserve(const lead__mem *mem, lead__es_table *t, size_t need)
{
    if (t->nslots && need <= t->nslots / 8 * 7)
        return LEAD_OK;
    size_t n = t->nslots ? t->nslots : 8;
    while (need > n / 8 * 7) {
        if (n > SIZE_MAX / 2 / sizeof *t->slots)
            return LEAD_ENOMEM;
        n *= 2;
    }
    /* 63 bytes more, to start the slots on a cache line. */
    void *block = lead__calloc(mem, n * sizeof(lead__es_entry) + 63, 1);
    if (!block)
        return LEAD_ENOMEM;
    size_t skip = (64 - (size_t)((uintptr_t)block % 64)) % 64;
    lead__es_table grown = {(lead__es_entry *)(void *)((unsigned char *)block + skip), block, n,
                            0, 0};
    while ((size_t)1 << grown.shift < n)
        grown.shift++;
    for (size_t i = 0; i < t->nslots; i++)
        if (t->slots[i].id)
            *place(&grown, t->slots[i].id) = t->slots[i];
    lead__free(mem, t->block);
    *t = grown;
    return LEAD_OK;
}

lead__es_entry *lead__es_table_insert(const lead__mem *mem, lead__es_table *t, uint64_t id)
{
    if (lead__es_table_reserve(mem, t, t->count + 1) != LEAD_OK)
        return NULL;
    return place(t, id);
}

void lead__es_table_remove(const lead__mem *mem, lead__es_table *t, uint64_t id)
{
    lead__es_entry *e = lead__es_table_find(t, id);
    if (!e)
        return;
    lead__score_state_clear(mem, &e->st);
    size_t hole = (size_t)(e - t->slots), mask = t->nslots - 1;
    memset(e, 0, sizeof *e);
    t->count--;
    /* Backward shift: move up every later entry of the run whose home slot
     * does not lie cyclically in (hole, its slot]. */
    for (size_t i = (hole + 1) & mask; t->slots[i].id; i = (i + 1) & mask) {
        size_t home = slot_of(t, t->slots[i].id);
        if (((i - home) & mask) >= ((i - hole) & mask)) {
            t->slots[hole] = t->slots[i];
            memset(&t->slots[i], 0, sizeof t->slots[i]);
            hole = i;
        }
    }
}

void lead__es_table_clear(const lead__mem *mem, lead__es_table *t)
{
    for (size_t i = 0; i < t->nslots; i++)
        if (t->slots[i].id)
            lead__score_state_clear(mem, &t->slots[i].st);
    lead__free(mem, t->block);
    memset(t, 0, sizeof *t);
}

void lead__es_refit(lead__es_entry *e, const lead__es_model *m, const lead_contact *c)
{
    lead__contact_view view;
    lead__score_contact contact;
    lead__contact_score_view(&contact, &view, c);
    lead__fit_eval fe;
    lead__score_fit(&fe, NULL, &m->model.def, &contact);
    e->fit = (int32_t)fe.fit;
    e->bant = (uint8_t)fe.bant_mask;
    e->grade = fe.grade;
}

typedef struct rebuild {
    lead_engine *engine;
    lead__es_model *const *ms;
    lead__score_state *sts;
    size_t n;
    const lead_event *extra;
    lead__event_light light; /* one buffer for every stored event */
    int rc;
} rebuild;

static int feed(rebuild *r, const lead_event *ev)
{
    lead__score_prop props[3];
    lead__score_event se;
    if (!lead__event_score_view(&se, props, ev))
        return LEAD_OK;
    for (size_t k = 0; k < r->n; k++) {
        const lead__es_model *m = r->ms[k];
        size_t nrules = 0;
        const uint32_t *rules = lead__es_candidates(m, ev->type, &nrules);
        /* The store gives a contact's events in time order. */
        int rc = lead__score_state_feed_rules(&r->sts[k], &m->model.def, &se, rules, nrules,
                                              NULL, NULL);
        if (rc != LEAD_OK)
            return rc == LEAD_ESTATE ? LEAD_ECORRUPT : rc;
    }
    return LEAD_OK;
}

static int feed_stored(rebuild *r, const lead_event *ev)
{
    int rc = LEAD_OK;
    if (r->extra && ev->time_ms > r->extra->time_ms) {
        rc = feed(r, r->extra);
        r->extra = NULL;
    }
    return rc == LEAD_OK ? feed(r, ev) : rc;
}

/* The store's scan callback: scoring only looks at each event, so it is
 * decoded into the reused buffer rather than allocated. */
static int scan_one(void *user, int64_t time_ms, const void *bytes, size_t len)
{
    rebuild *r = user;
    const lead_event *ev = NULL;
    (void)time_ms;
    r->rc = lead__event_decode_light(&r->engine->mem, &r->light, bytes, len, &ev);
    if (r->rc == LEAD_OK)
        r->rc = feed_stored(r, ev);
    return r->rc != LEAD_OK;
}

/* Feeds the contact's stored events, in time order, to r's states. */
static int scan_stored(rebuild *r, uint64_t contact_id)
{
    lead_engine *engine = r->engine;
    int rc = lead__store_status(
        engine,
        engine->store.event_scan(engine->store.user, contact_id, LEAD_TIME_UNKNOWN, scan_one, r),
        "event_scan");
    lead__event_light_clear(&engine->mem, &r->light);
    if (rc == LEAD_ENOTFOUND)
        rc = LEAD_ESTORE;
    return rc != LEAD_OK ? rc : r->rc;
}

static void clear_states(const lead__mem *mem, lead__score_state *sts, size_t n)
{
    for (size_t k = 0; k < n; k++)
        lead__score_state_clear(mem, &sts[k]);
}

int lead__es_rebuild(lead_engine *engine, lead__es_model *const *ms, lead__score_state *sts,
                     size_t n, const lead_contact *c, const lead_event *extra,
                     uint64_t *out_seen)
{
    int rc = LEAD_OK;
    memset(sts, 0, n * sizeof *sts);
    for (size_t k = 0; k < n && rc == LEAD_OK; k++)
        rc = lead__score_state_init(&engine->mem, &sts[k], &ms[k]->model.def);
    rebuild r;
    memset(&r, 0, sizeof r);
    r.engine = engine;
    r.ms = ms;
    r.sts = sts;
    r.n = n;
    r.extra = extra;
    /* A contact without stored events needs no scan, unless the store has
     * no transactions: a failed track may have left its event behind
     * without counting it. */
    uint64_t stored = c->event_count - (extra ? 1 : 0);
    if (rc == LEAD_OK && (stored || !engine->store.begin))
        rc = scan_stored(&r, c->id);
    if (rc == LEAD_OK && r.extra)
        rc = feed(&r, r.extra);
    if (rc != LEAD_OK) {
        clear_states(&engine->mem, sts, n);
        return rc;
    }
    /* Counted as the contact counts them: an event a store without
     * transactions kept from a failed track is in the scan, not the count. */
    *out_seen = c->event_count;
    return LEAD_OK;
}
