/* The state an engine keeps per contact and attached model: a table keyed
 * by contact id, the cached fit, and rebuilding a behaviour state from the
 * stored history. */
#include "engine_score.h"
#include "event.h"

#include <string.h>

/* Contact ids are handed out by a counter, so they are dense: the id's own
 * low bits put a run of up to nslots consecutive ids in distinct slots (no
 * probing, neighbours side by side); the higher bits, multiplied by a large
 * odd constant (2^64 / golden ratio), turn each further run of nslots ids
 * into a rotation of the table, and keep ids that share their low bits
 * apart. */
static size_t slot_of(const lead__es_table *t, uint64_t id)
{
    uint64_t h = id + (id >> t->shift) * UINT64_C(0x9E3779B97F4A7C15);
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

/* The behaviour rules of one model by event type and channel: an event of
 * built-in type t on channel c (CHANNEL_SLOTS - 1: any other channel) can
 * hit only rules[start[slot(t, c)] .. start[slot(t, c) + 1]), so a rebuild
 * of many contacts compares no channel names per event. An event without
 * campaign, source, medium or content (most) certainly matches the rules
 * of its slot in sure[sure_start[slot] .. sure_start[slot + 1]): those
 * without a campaign or property condition. */
#define CHANNEL_SLOTS (LEAD_CHANNEL_COUNT + 1)
#define TYPE_CHANNEL_SLOTS (LEAD_EVENT_TYPE_COUNT * CHANNEL_SLOTS)
typedef struct by_channel {
    const lead__score_def *def; /* the model's */
    uint32_t *rules;            /* then sure, then fit_field, in one block */
    uint32_t start[TYPE_CHANNEL_SLOTS + 1];
    const uint32_t *sure;
    uint32_t sure_start[TYPE_CHANNEL_SLOTS + 1];
    const uint32_t *fit_field; /* per fit rule: the field it reads, NOT_A_FIELD */
} by_channel;

#define NOT_A_FIELD UINT32_MAX

/* The contact field named name, or NOT_A_FIELD. */
static uint32_t field_index(const char *name)
{
    int f = lead__contact_field_index(name);
    return f >= 0 ? (uint32_t)f : NOT_A_FIELD;
}

static size_t channel_slot(int channel)
{
    return channel >= 0 && channel < LEAD_CHANNEL_COUNT ? (size_t)channel : LEAD_CHANNEL_COUNT;
}

/* Whether rule r's channel condition lets slot c's events through (a
 * custom channel has no name: only rules without the condition). */
static int channel_admits(const lead__behaviour_rule *r, size_t c)
{
    const char *name = lead_channel_name((int)c);
    return !r->channel || (name && strcmp(r->channel, name) == 0);
}

/* Whether rule r certainly matches an event of slot c's channel that has
 * no campaign and no property. */
static int bare_admits(const lead__behaviour_rule *r, size_t c)
{
    return channel_admits(r, c) && !r->campaign && !r->prop_name;
}

/* Fills start and rules from m's per-type candidates that admits() lets
 * through, in their order; with rules NULL it only counts. Returns the
 * rules placed. */
static size_t place_by_channel(uint32_t start[TYPE_CHANNEL_SLOTS + 1], const lead__es_model *m,
                               uint32_t *rules, int (*admits)(const lead__behaviour_rule *, size_t))
{
    size_t at = 0;
    for (int t = 0; t < LEAD_EVENT_TYPE_COUNT; t++) {
        size_t ncand = 0;
        const uint32_t *cand = lead__es_candidates(m, t, &ncand);
        for (size_t c = 0; c < CHANNEL_SLOTS; c++) {
            start[(size_t)t * CHANNEL_SLOTS + c] = (uint32_t)at;
            for (size_t i = 0; i < ncand; i++)
                if (admits(&m->model.def.beh[cand[i]], c)) {
                    if (rules)
                        rules[at] = cand[i];
                    at++;
                }
        }
    }
    start[TYPE_CHANNEL_SLOTS] = (uint32_t)at;
    return at;
}

static void by_channel_free(const lead__mem *mem, by_channel *bcs, size_t n)
{
    for (size_t k = 0; bcs && k < n; k++)
        lead__free(mem, bcs[k].rules);
    lead__free(mem, bcs);
}

/* The lists of ms[0..n) and the fields their fit rules read, or NULL when
 * out of memory. A model has at most LEAD__SCORE_MAX_RULES rules, each in
 * at most CHANNEL_SLOTS lists: the offsets fit 32 bits. */
static by_channel *by_channel_new(const lead__mem *mem, lead__es_model *const *ms, size_t n)
{
    by_channel *bcs = lead__calloc(mem, n, sizeof *bcs);
    for (size_t k = 0; bcs && k < n; k++) {
        const lead__score_def *def = &ms[k]->model.def;
        size_t total = place_by_channel(bcs[k].start, ms[k], NULL, channel_admits);
        size_t sure = place_by_channel(bcs[k].sure_start, ms[k], NULL, bare_admits);
        bcs[k].def = def;
        if (!total && !def->nfit)
            continue;
        bcs[k].rules = lead__calloc(mem, total + sure + def->nfit, sizeof *bcs[k].rules);
        if (!bcs[k].rules) {
            by_channel_free(mem, bcs, n);
            return NULL;
        }
        place_by_channel(bcs[k].start, ms[k], bcs[k].rules, channel_admits);
        place_by_channel(bcs[k].sure_start, ms[k], bcs[k].rules + total, bare_admits);
        bcs[k].sure = bcs[k].rules + total;
        uint32_t *fit_field = bcs[k].rules + total + sure;
        for (size_t i = 0; i < def->nfit; i++)
            fit_field[i] = field_index(def->fit[i].test.field);
        bcs[k].fit_field = fit_field;
    }
    return bcs;
}

/* What a build hands lead__score_states_feed_run(): the models' defs and,
 * for each slot s, their sure lists from lists[s * n]. */
typedef struct plan {
    const lead__score_def **defs;
    lead__score_rule_list *lists;
} plan;

/* The plan of bcs[0..n) in one block, or NULL when out of memory. */
static plan *plan_new(const lead__mem *mem, const by_channel *bcs, size_t n)
{
    /* n models are already allocated per slot (by_channel): no overflow. */
    size_t nlists = TYPE_CHANNEL_SLOTS * n;
    plan *p = lead__calloc(mem, 1, sizeof *p + nlists * sizeof *p->lists + n * sizeof *p->defs);
    if (!p)
        return NULL;
    p->lists = (lead__score_rule_list *)(void *)(p + 1);
    p->defs = (const lead__score_def **)(void *)(p->lists + nlists);
    for (size_t k = 0; k < n; k++) {
        p->defs[k] = bcs[k].def;
        for (size_t s = 0; s < TYPE_CHANNEL_SLOTS; s++) {
            uint32_t at = bcs[k].sure_start[s];
            p->lists[s * n + k].rules = bcs[k].sure ? bcs[k].sure + at : NULL;
            p->lists[s * n + k].n = bcs[k].sure_start[s + 1] - at;
        }
    }
    return p;
}

/* Bare events are fed RUN_MAX at a time: each state takes the whole run
 * while what it keeps is at hand. */
#define RUN_MAX 64

typedef struct rebuild {
    lead_engine *engine;
    lead__es_model *const *ms;
    size_t n;
    const by_channel *bcs; /* per model; NULL: the rules of the event's type */
    const lead__score_event *bare; /* with bcs: views by slot (bare_views_new) */
    /* With bcs: the sure lists of slot s for every model from s * n, and
     * the models' defs, as lead__score_states_feed_run() takes them; the
     * run of bare events not fed yet (RUN_MAX places, the build's: a
     * rebuild of one contact neither has nor zeroes them). */
    const lead__score_rule_list *plan;
    const lead__score_def *const *defs;
    lead__score_run_event *run;
    size_t nrun;
    lead__score_state *sts;
    const lead_event *extra;
    lead__event_light light; /* one buffer for every stored event */
    int rc;
} rebuild;

/* A feed refused: the store gave events out of time order. */
static int feed_error(int rc)
{
    return rc == LEAD_ESTATE ? LEAD_ECORRUPT : rc;
}

/* se, of built-in type `type`, to every model, trying the rules of its type. */
static int feed_by_type(rebuild *r, const lead__score_event *se, int type)
{
    for (size_t k = 0; k < r->n; k++) {
        size_t nrules = 0;
        const uint32_t *rules = lead__es_candidates(r->ms[k], type, &nrules);
        int rc = lead__score_state_feed_rules(&r->sts[k], &r->ms[k]->model.def, se, rules,
                                              nrules, NULL, NULL);
        if (rc != LEAD_OK)
            return feed_error(rc);
    }
    return LEAD_OK;
}

/* The view of an event that carries none of the strings scoring reads is
 * that of any other of its type and channel slot: made once per slot, by
 * lead__event_score_view() itself, for a build. A type that is not built
 * in has a NULL type there. NULL when out of memory. */
static lead__score_event *bare_views_new(const lead__mem *mem)
{
    lead__score_event *views = lead__calloc(mem, TYPE_CHANNEL_SLOTS, sizeof *views);
    for (size_t slot = 0; views && slot < TYPE_CHANNEL_SLOTS; slot++) {
        lead_event ev;
        lead__score_prop props[3];
        memset(&ev, 0, sizeof ev);
        ev.type = (int32_t)(slot / CHANNEL_SLOTS);
        ev.channel = (int32_t)(slot % CHANNEL_SLOTS); /* the last: a custom one */
        if (!lead__event_score_view(&views[slot], props, &ev))
            views[slot].type = NULL;
        views[slot].props = NULL; /* it has none */
    }
    return views;
}

static int has_view_strings(const lead_event *ev)
{
    return ev->strings[LEAD_EVENT_CAMPAIGN] || ev->strings[LEAD_EVENT_SOURCE] ||
           ev->strings[LEAD_EVENT_MEDIUM] || ev->strings[LEAD_EVENT_CONTENT];
}

/* The store gives a contact's events in time order. */
static int feed(rebuild *r, const lead_event *ev)
{
    lead__score_prop props[3];
    lead__score_event se;
    size_t slot = 0;
    if (r->bcs && ev->type >= 0 && ev->type < LEAD_EVENT_TYPE_COUNT && !has_view_strings(ev)) {
        slot = (size_t)ev->type * CHANNEL_SLOTS + channel_slot(ev->channel);
        se = r->bare[slot];
        se.time = ev->time_ms;
        se.props = props;
        if (!se.type)
            return LEAD_OK;
    } else {
        if (!lead__event_score_view(&se, props, ev))
            return LEAD_OK;
        if (!r->bcs)
            return feed_by_type(r, &se, ev->type);
        slot = (size_t)ev->type * CHANNEL_SLOTS + channel_slot(ev->channel);
    }
    for (size_t k = 0; k < r->n; k++) {
        const by_channel *bc = &r->bcs[k];
        uint32_t at = bc->start[slot], nrules = bc->start[slot + 1] - at;
        int rc = lead__score_state_feed_rules(&r->sts[k], bc->def, &se,
                                              nrules ? bc->rules + at : NULL, nrules, NULL, NULL);
        if (rc != LEAD_OK)
            return feed_error(rc);
    }
    return LEAD_OK;
}

/* Feeds the run of bare events to every model. */
static int flush_run(rebuild *r)
{
    size_t nrun = r->nrun;
    r->nrun = 0;
    if (!nrun)
        return LEAD_OK;
    return feed_error(lead__score_states_feed_run(r->sts, r->defs, r->n, r->run, nrun));
}

/* A stored event without campaign, source, medium or content joins the
 * run: the rules of its sure lists match it. */
static int queue_bare(rebuild *r, const lead__event_bare *ev)
{
    if (ev->type >= LEAD_EVENT_TYPE_COUNT)
        return LEAD_OK; /* not built in: hits no rule */
    size_t slot = (size_t)ev->type * CHANNEL_SLOTS + channel_slot(ev->channel);
    if (!r->bare[slot].type)
        return LEAD_OK;
    r->run[r->nrun].time = ev->time_ms;
    r->run[r->nrun].lists = r->plan + slot * r->n;
    return ++r->nrun < RUN_MAX ? LEAD_OK : flush_run(r);
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
 * decoded into the reused buffer rather than allocated, and a build queues
 * a record without optional fields (most) without a lead_event. Any other
 * record waits for the run before it, which keeps the time order and
 * reports a refused feed before the record's own damage. */
static int scan_one(void *user, int64_t time_ms, const void *bytes, size_t len)
{
    rebuild *r = user;
    const lead_event *ev = NULL;
    lead__event_bare bare;
    (void)time_ms;
    if (r->plan && !r->extra && lead__event_decode_bare(bytes, len, &bare)) {
        r->rc = queue_bare(r, &bare);
    } else {
        r->rc = flush_run(r);
        if (r->rc == LEAD_OK)
            r->rc = lead__event_decode_light(&r->engine->mem, &r->light, bytes, len, &ev);
        if (r->rc == LEAD_OK)
            r->rc = feed_stored(r, ev);
    }
    return r->rc != LEAD_OK;
}

/* Feeds the contact's stored events, in time order, to r's states. */
static int scan_stored(rebuild *r, uint64_t contact_id)
{
    lead_engine *engine = r->engine;
    int scanned =
        engine->store.event_scan(engine->store.user, contact_id, LEAD_TIME_UNKNOWN, scan_one, r);
    /* The queued events came before whatever ended the scan: one they
     * refuse is reported first, as feeding them one by one would have. */
    int rc = r->rc == LEAD_OK ? flush_run(r) : LEAD_OK;
    if (rc == LEAD_OK) {
        rc = lead__store_status(engine, scanned, "event_scan");
        if (rc == LEAD_ENOTFOUND)
            rc = LEAD_ESTORE;
        if (rc == LEAD_OK)
            rc = r->rc;
    }
    r->nrun = 0; /* a failed scan's run is dropped with the states */
    return rc;
}

static void clear_states(const lead__mem *mem, lead__score_state *sts, size_t n)
{
    for (size_t k = 0; k < n; k++)
        lead__score_state_clear(mem, &sts[k]);
}

/* lead__es_rebuild() into sts with r's models, lists and buffer. */
static int rebuild_contact(rebuild *r, lead__score_state *sts, const lead_contact *c,
                           const lead_event *extra)
{
    lead_engine *engine = r->engine;
    int rc = LEAD_OK;
    memset(sts, 0, r->n * sizeof *sts);
    for (size_t k = 0; k < r->n && rc == LEAD_OK; k++)
        rc = lead__score_state_init(&engine->mem, &sts[k], &r->ms[k]->model.def);
    r->sts = sts;
    r->extra = extra;
    r->rc = LEAD_OK;
    r->nrun = 0;
    /* A contact without stored events needs no scan, unless the store has
     * no transactions: a failed track may have left its event behind
     * without counting it. */
    uint64_t stored = c->event_count - (extra ? 1 : 0);
    if (rc == LEAD_OK && (stored || !engine->store.begin))
        rc = scan_stored(r, c->id);
    if (rc == LEAD_OK && r->extra)
        rc = feed(r, r->extra);
    if (rc != LEAD_OK)
        clear_states(&engine->mem, sts, r->n);
    return rc;
}

int lead__es_rebuild(lead_engine *engine, lead__es_model *const *ms, lead__score_state *sts,
                     size_t n, const lead_contact *c, const lead_event *extra,
                     uint64_t *out_seen)
{
    rebuild r;
    memset(&r, 0, sizeof r);
    r.engine = engine;
    r.ms = ms;
    r.n = n;
    int rc = rebuild_contact(&r, sts, c, extra);
    lead__event_light_clear(&engine->mem, &r.light);
    /* Counted as the contact counts them: an event a store without
     * transactions kept from a failed track is in the scan, not the count. */
    if (rc == LEAD_OK)
        *out_seen = c->event_count;
    return rc;
}

/* The contact as the fit rules of a model read it in a build: the field
 * each rule names is known (by_channel.fit_field), so the rule in turn
 * reads it directly when set; anything else asks the engine's view. */
typedef struct fit_view {
    const lead_contact *c;
    const by_channel *bc;
    size_t next; /* lead__score_fit looks up once per rule, in order */
    lead__score_contact any;
} fit_view;

static int fit_lookup(void *user, const char *name, const char **out_value)
{
    fit_view *v = user;
    size_t i = v->next++;
    const lead__score_def *def = v->bc->def;
    if (i < def->nfit && def->fit[i].test.field == name && v->bc->fit_field[i] != NOT_A_FIELD) {
        const char *value = v->c->fields[v->bc->fit_field[i]];
        if (value) {
            *out_value = value;
            return 1;
        }
        /* An unset field reads as the attribute of its name: none here. */
        if (!v->c->attr_len)
            return 0;
    }
    return v->any.lookup(v->any.user, name, out_value);
}

/* lead__es_refit() with the fields of bc's model known. */
static void refit_known(lead__es_entry *e, const by_channel *bc, const lead_contact *c)
{
    lead__contact_view view;
    fit_view fv;
    fv.c = c;
    fv.bc = bc;
    fv.next = 0;
    lead__contact_score_view(&fv.any, &view, c);
    lead__score_contact contact = {&fv, fit_lookup};
    lead__fit_eval fe;
    lead__score_fit(&fe, NULL, bc->def, &contact);
    e->fit = (int32_t)fe.fit;
    e->bant = (uint8_t)fe.bant_mask;
    e->grade = fe.grade;
}

/* Rebuilds contact id under r's models into tables[0..n). */
static int build_one(rebuild *r, lead__es_table *tables, lead__score_state *sts, uint64_t id)
{
    lead_engine *engine = r->engine;
    lead_contact *c = NULL;
    int rc = lead__contact_load(engine, id, &c);
    if (rc == LEAD_OK)
        rc = rebuild_contact(r, sts, c, NULL);
    size_t k = 0;
    for (; rc == LEAD_OK && k < r->n; k++) {
        lead__es_entry *e = lead__es_table_insert(&engine->mem, &tables[k], c->id);
        if (!e) {
            rc = LEAD_ENOMEM;
            break;
        }
        e->st = sts[k];
        memset(&sts[k], 0, sizeof sts[k]); /* the entry owns it now */
        e->seen = c->event_count;
        refit_known(e, &r->bcs[k], c);
    }
    for (; rc != LEAD_OK && k < r->n; k++)
        lead__score_state_clear(&engine->mem, &sts[k]);
    lead_contact_free(c);
    return rc;
}

int lead__es_build(lead_engine *engine, lead__es_model *const *ms, lead__es_table *tables,
                   size_t n, int (*progress)(void *user, uint64_t done, uint64_t total),
                   void *user)
{
    uint64_t *ids = NULL;
    size_t count = 0;
    memset(tables, 0, n * sizeof *tables);
    int rc = lead__engine_contact_ids(engine, &engine->mem, &ids, &count);
    if (rc != LEAD_OK)
        return rc;
    rebuild r;
    lead__score_run_event run[RUN_MAX];
    memset(&r, 0, sizeof r);
    r.engine = engine;
    r.ms = ms;
    r.n = n;
    r.run = run;
    lead__score_state *sts = lead__calloc(&engine->mem, n, sizeof *sts);
    by_channel *bcs = sts ? by_channel_new(&engine->mem, ms, n) : NULL;
    lead__score_event *bare = bcs ? bare_views_new(&engine->mem) : NULL;
    plan *p = bare ? plan_new(&engine->mem, bcs, n) : NULL;
    r.bcs = bcs;
    r.bare = bare;
    if (p) {
        r.plan = p->lists;
        r.defs = p->defs;
    } else {
        rc = LEAD_ENOMEM;
    }
    /* Sized once: growing would copy the entries again and again. */
    for (size_t k = 0; rc == LEAD_OK && k < n; k++)
        rc = lead__es_table_reserve(&engine->mem, &tables[k], count);
    for (size_t i = 0; rc == LEAD_OK && i < count; i++) {
        rc = build_one(&r, tables, sts, ids[i]);
        if (rc == LEAD_OK && progress && progress(user, i + 1, count))
            rc = lead__fail(engine, LEAD_ECANCELED, "rescore canceled after %zu contact%s", i + 1,
                            i + 1 == 1 ? "" : "s");
    }
    if (rc != LEAD_OK)
        for (size_t k = 0; k < n; k++)
            lead__es_table_clear(&engine->mem, &tables[k]);
    lead__event_light_clear(&engine->mem, &r.light);
    lead__free(&engine->mem, p);
    lead__free(&engine->mem, bare);
    by_channel_free(&engine->mem, bcs, n);
    lead__free(&engine->mem, sts);
    lead__free(&engine->mem, ids);
    return rc;
}
