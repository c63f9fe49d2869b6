/* Keeping attached models' scores current as the engine writes: a tracked
 * event visits only the rules its type can hit, a field or attribute change
 * recomputes the fit, a threshold reached moves the stage forward, and a
 * failed write takes every change back. */
#include "engine_score.h"
#include "event.h"

#include <string.h>

static struct lead__scores *active(lead_engine *engine)
{
    struct lead__scores *s = engine->scores;
    return s && s->n ? s : NULL;
}

/* Remembers e as it is, before this change touches it. */
static lead__es_mark *mark(struct lead__scores *s, lead__es_model *m, const lead__es_entry *e,
                           int created)
{
    lead__es_mark *k = &s->marks[s->nmarks++];
    memset(k, 0, sizeof *k);
    k->m = m;
    k->id = e->id;
    k->created = created;
    k->old = e->st;
    k->seen = e->seen;
    k->fit = e->fit;
    k->bant = e->bant;
    k->grade = e->grade;
    k->first_rule = s->nsaves;
    return k;
}

static void save_rule(struct lead__scores *s, lead__es_mark *k, const lead__score_def *def,
                      lead__score_state *st, size_t r)
{
    lead__es_rule_save *sv = &s->saves[s->nsaves++];
    k->nrules++;
    sv->rs = &st->rules[r];
    sv->saved = *sv->rs;
    sv->cap[0] = sv->cap[1] = NULL;
    if (!def->beh[r].cap_n)
        return;
    lead__score_cap_slots(st, def, r, sv->cap);
    for (int i = 0; i < 2; i++)
        sv->cap_val[i] = sv->cap[i] ? *sv->cap[i] : 0;
}

/* Replaces e's state by one rebuilt from the store (with `extra`, the event
 * being tracked, when not NULL). */
static int rebuild(lead_engine *engine, struct lead__scores *s, lead__es_model *m,
                   lead__es_entry *e, int created, const lead_contact *c, const lead_event *extra)
{
    lead__score_state st;
    uint64_t seen = 0;
    int rc = lead__es_rebuild(engine, &m, &st, 1, c, extra, &seen);
    if (rc != LEAD_OK) {
        if (created)
            lead__es_table_remove(&engine->mem, &m->table, e->id);
        return rc;
    }
    mark(s, m, e, created)->replaced = 1;
    e->st = st;
    e->seen = seen;
    return LEAD_OK;
}

/* The entry of contact c under m: e (found already) or, when NULL, a new
 * one; *created says so. */
static lead__es_entry *entry_of(lead_engine *engine, lead__es_model *m, const lead_contact *c,
                                lead__es_entry *e, int *created)
{
    *created = !e;
    if (!e && (e = lead__es_table_insert(&engine->mem, &m->table, c->id)) != NULL)
        lead__es_refit(e, m, c);
    return e;
}

static void count_hit(void *ctx, size_t rule)
{
    (void)rule;
    ++*(size_t *)ctx;
}

/* Feeds ev (as scoring sees it: *se, or NULL for an event no rule can hit)
 * to c's state under m, found: its entry or NULL; *out_e gets the entry and
 * *out_moved says whether the score may have risen. */
static int track_model(lead_engine *engine, struct lead__scores *s, lead__es_model *m,
                       lead__es_entry *found, const lead_contact *c, const lead_event *ev,
                       const lead__score_event *se, lead__es_entry **out_e, int *out_moved)
{
    int created = 0;
    lead__es_entry *e = entry_of(engine, m, c, found, &created);
    if (!e)
        return LEAD_ENOMEM;
    *out_e = e;
    /* A missing or stale state (the contact was merged into, another engine
     * wrote) or an event older than the latest: start again from the store. */
    if (created || e->seen + 1 != c->event_count ||
        (se && e->st.has_last && ev->time_ms < e->st.last_time)) {
        *out_moved = 1;
        return rebuild(engine, s, m, e, created, c, ev);
    }
    lead__es_mark *k = mark(s, m, e, 0);
    e->seen++;
    if (!se)
        return LEAD_OK;
    size_t n = 0, hits = 0;
    const uint32_t *rules = lead__es_candidates(m, ev->type, &n);
    /* A moving frame rescales every rule: save them all (as many as the
     * log reserves per model). */
    const lead__score_def *def = &m->model.def;
    if (lead__score_state_rebases(&e->st, def, se->time))
        for (size_t r = 0; r < def->nbeh; r++)
            save_rule(s, k, def, &e->st, r);
    else
        for (size_t i = 0; i < n; i++)
            save_rule(s, k, def, &e->st, rules[i]);
    int rc = lead__score_state_feed_rules(&e->st, &m->model.def, se, rules, n, count_hit, &hits);
    *out_moved = hits > 0;
    return rc;
}

/* Whether a result with r's fit and at most `behaviour` centipoints of
 * behaviour would move a contact at stage `current` forward. */
static int may_advance(lead_score_result *r, const lead__score_def *def, int64_t behaviour,
                       int current)
{
    if (def->has_cap && behaviour > (int64_t)def->cap * 100)
        behaviour = (int64_t)def->cap * 100;
    if (def->has_floor && behaviour < (int64_t)def->floor * 100)
        behaviour = (int64_t)def->floor * 100;
    r->behaviour = behaviour;
    /* Saturating: behaviour may be a bound that says "as much as can be". */
    if (behaviour > 0 && r->fit > INT64_MAX - behaviour)
        r->total = INT64_MAX;
    else if (behaviour < 0 && r->fit < INT64_MIN - behaviour)
        r->total = INT64_MIN;
    else
        r->total = r->fit + behaviour;
    lead__score_pick_stage(r, def);
    int stage = 0;
    size_t rule = 0;
    return lead__score_stage_advance(r, current, &stage, &rule);
}

/* Moves c forward when m's thresholds reach beyond its stage at time t (the
 * event's time, or the clock's now for a field change): the stage is
 * entered at t. The kept state cannot be read before the latest event it
 * counted, so the behaviour is read at the later of t and that event's time;
 * LEAD__SCORES_NEED_CONTACT when it would move and c is not whole. */
static int cross(const lead__es_model *m, const lead__es_entry *e, lead_contact *c, int64_t t,
                 uint64_t event_id, int whole)
{
    if (!lead_stage_is_ordered(c->stage) || c->stage >= m->top_stage)
        return LEAD_OK;
    const lead__score_def *def = &m->model.def;
    lead_score_result r;
    memset(&r, 0, sizeof r);
    r.fit = e->fit;
    r.grade = e->grade;
    r.bant_mask = e->bant;
    /* Decay only lowers a rule's positive sum: when even a bound of the
     * decayed sums reaches no new stage, the exact figure (a power of two
     * per rule) is not needed. */
    if (!may_advance(&r, def, lead__score_state_bound(&e->st, def), c->stage))
        return LEAD_OK;
    int64_t read_at = e->st.has_last && t < e->st.last_time ? e->st.last_time : t;
    int64_t behaviour = 0;
    int rc = lead__score_behaviour(&behaviour, NULL, NULL, def, &e->st, read_at);
    if (rc != LEAD_OK || !may_advance(&r, def, behaviour, c->stage))
        return rc;
    if (!whole)
        return LEAD__SCORES_NEED_CONTACT;
    return lead__contact_enter_stage(c, r.stage, LEAD_REASON_THRESHOLD, t, event_id);
}

/* Starts loading the states of the rules an event of this type can hit. */
static void prefetch_rules(const lead__es_model *m, const lead__es_entry *e, int type)
{
    size_t n = 0;
    const uint32_t *rules = lead__es_candidates(m, type, &n);
    if (n && e->st.nrules == m->model.def.nbeh)
        lead__score_rules_prefetch(&e->st, &m->model.def, rules, n);
}

void lead__scores_prefetch_entries(const lead_engine *engine, uint64_t id)
{
    const struct lead__scores *s = engine->scores;
    for (size_t i = 0; s && i < s->n; i++)
        lead__es_table_prefetch(&s->models[i]->table, id);
}

void lead__scores_prefetch_rules(const lead_engine *engine, uint64_t id, int type)
{
    const struct lead__scores *s = engine->scores;
    if (type < 0 || type >= LEAD_EVENT_TYPE_COUNT)
        return;
    for (size_t i = 0; s && i < s->n; i++) {
        const lead__es_model *m = s->models[i];
        const lead__es_entry *e = lead__es_table_find(&m->table, id);
        if (e)
            prefetch_rules(m, e, type);
    }
}

/* Takes back the pending changes from mark `from_mark` and rule save
 * `from_save` on (0, 0: all of them), newest first, and drops them. */
static void undo(lead_engine *engine, struct lead__scores *s, size_t from_mark, size_t from_save)
{
    for (size_t i = s->nsaves; i-- > from_save;) {
        lead__es_rule_save *sv = &s->saves[i];
        *sv->rs = sv->saved;
        for (int k = 0; k < 2; k++)
            if (sv->cap[k])
                *sv->cap[k] = sv->cap_val[k];
    }
    for (size_t i = s->nmarks; i-- > from_mark;) {
        const lead__es_mark *k = &s->marks[i];
        if (k->created) {
            lead__es_table_remove(&engine->mem, &k->m->table, k->id);
            continue;
        }
        lead__es_entry *e = lead__es_table_find(&k->m->table, k->id);
        if (k->replaced)
            lead__score_state_clear(&engine->mem, &e->st);
        e->st = k->old;
        e->seen = k->seen;
        e->fit = k->fit;
        e->bant = k->bant;
        e->grade = k->grade;
    }
    s->nmarks = from_mark;
    s->nsaves = from_save;
}

int lead__scores_track(lead_engine *engine, lead_contact *c, const lead_event *ev, int whole)
{
    struct lead__scores *s = active(engine);
    if (!s)
        return LEAD_OK;
    lead__score_prop props[3];
    lead__score_event view;
    const lead__score_event *se = lead__event_score_view(&view, props, ev) ? &view : NULL;
    /* lead_track() has asked for each model's entry and rule states
     * (lead__scores_prefetch_*): look each entry up once. */
    for (size_t i = 0; i < s->n; i++) {
        lead__es_model *m = s->models[i];
        m->found = lead__es_table_find(&m->table, c->id);
        /* A new entry's fit reads the contact's fields. */
        if (!m->found && !whole)
            return LEAD__SCORES_NEED_CONTACT;
    }
    int rc = LEAD_OK;
    size_t first_mark = s->nmarks, first_save = s->nsaves;
    for (size_t i = 0; rc == LEAD_OK && i < s->n; i++) {
        lead__es_entry *e = NULL;
        int moved = 0;
        rc = track_model(engine, s, s->models[i], s->models[i]->found, c, ev, se, &e, &moved);
        if (rc == LEAD_OK && moved)
            rc = cross(s->models[i], e, c, ev->time_ms, ev->id, whole);
    }
    /* The caller feeds the event again, to the whole contact: take back
     * this call's changes only. */
    if (rc == LEAD__SCORES_NEED_CONTACT)
        undo(engine, s, first_mark, first_save);
    return rc;
}

int lead__scores_refit(lead_engine *engine, lead_contact *c, int64_t now_ms)
{
    struct lead__scores *s = active(engine);
    if (!s)
        return LEAD_OK;
    int rc = LEAD_OK;
    for (size_t i = 0; rc == LEAD_OK && i < s->n; i++) {
        lead__es_model *m = s->models[i];
        int created = 0;
        lead__es_entry *e =
            entry_of(engine, m, c, lead__es_table_find(&m->table, c->id), &created);
        if (!e)
            return LEAD_ENOMEM;
        int rebuilt = created || e->seen != c->event_count;
        if (rebuilt)
            rc = rebuild(engine, s, m, e, created, c, NULL);
        else
            mark(s, m, e, 0);
        if (rc != LEAD_OK)
            break;
        int32_t fit = e->fit;
        uint8_t bant = e->bant;
        char grade = e->grade;
        lead__es_refit(e, m, c);
        /* Only a change of the fit crosses a threshold here: a write that
         * leaves it as it was (consent, an attribute no rule reads) does
         * not move a contact that was moved back by hand. */
        if (rebuilt || e->fit != fit || e->bant != bant || e->grade != grade)
            rc = cross(m, e, c, now_ms, 0, 1);
    }
    return rc;
}

int lead__scores_settle(lead_engine *engine, int rc)
{
    struct lead__scores *s = engine->scores;
    if (!s)
        return rc;
    if (rc != LEAD_OK) {
        size_t marked = s->nmarks;
        undo(engine, s, 0, 0);
        /* Without transactions part of the write may have stayed in the
         * store: the next change rebuilds these contacts from it (the marks
         * are still there to name them). */
        for (size_t i = 0; !engine->store.begin && i < marked; i++)
            lead__es_table_remove(&engine->mem, &s->marks[i].m->table, s->marks[i].id);
    } else {
        for (size_t i = 0; i < s->nmarks; i++)
            if (s->marks[i].replaced)
                lead__score_state_clear(&engine->mem, &s->marks[i].old);
    }
    s->nmarks = s->nsaves = 0;
    return rc;
}

void lead__scores_forget(lead_engine *engine, uint64_t id)
{
    struct lead__scores *s = engine->scores;
    for (size_t i = 0; s && i < s->n; i++)
        lead__es_table_remove(&engine->mem, &s->models[i]->table, id);
}
