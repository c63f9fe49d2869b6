/* Merging duplicate contacts, and the redirects that make a merged-away id
 * resolve to the contact that absorbed it. */
#include "contact.h"
#include "engine_score.h"
#include "event.h"
#include "redirect.h"

#include <string.h>

/* Follows redirects until one leads to a stored contact. A chain may be as
 * long as the merges that built it; only a cycle (a damaged store) is
 * refused, found with Brent's method: a tortoise waits at an id and jumps to
 * the current one whenever the number of steps since its last jump reaches a
 * power of two (then doubled), so once it waits on a cycle for at least the
 * cycle's length the current id comes back to it. */
int lead__contact_follow(lead_engine *engine, uint64_t id, uint64_t *out_id)
{
    const uint64_t asked = id;
    uint64_t tortoise = id, power = 1, steps = 0;
    for (;;) {
        uint64_t target = 0;
        int rc = lead__redirect_get(engine, id, &target, NULL, NULL);
        if (rc == LEAD_ENOTFOUND)
            return lead__fail(engine, rc, "no contact %llu", (unsigned long long)asked);
        if (rc != LEAD_OK)
            return rc;
        if (target == 0)
            return lead__fail(engine, LEAD_EERASED, "contact %llu was erased",
                              (unsigned long long)id);
        const void *bytes;
        size_t len;
        rc = lead__store_status(
            engine, engine->store.contact_get(engine->store.user, target, &bytes, &len),
            "contact_get");
        if (rc == LEAD_OK) {
            *out_id = target;
            return LEAD_OK;
        }
        if (rc != LEAD_ENOTFOUND)
            return rc;
        if (target == tortoise)
            return lead__fail(engine, LEAD_ECORRUPT, "merge redirects loop at contact %llu",
                              (unsigned long long)target);
        if (++steps == power) {
            tortoise = target;
            power *= 2;
            steps = 0;
        }
        id = target;
    }
}

int lead__contact_resolve(lead_engine *engine, uint64_t id, uint64_t *out_id)
{
    const void *bytes;
    size_t len;
    int rc = lead__store_status(
        engine, engine->store.contact_get(engine->store.user, id, &bytes, &len), "contact_get");
    if (rc == LEAD_OK)
        *out_id = id;
    else if (rc == LEAD_ENOTFOUND)
        rc = lead__contact_follow(engine, id, out_id);
    return rc;
}

int lead_contact_resolve(lead_engine *engine, uint64_t *out_id, uint64_t id)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!out_id)
        return lead__fail(engine, LEAD_EINVAL, "contact_resolve: NULL out_id");
    return lead__contact_resolve(engine, id, out_id);
}

/* ---- the merged contact ------------------------------------------------- */

static int take_field(const lead_contact *w, const lead_contact *l, int field, int policy)
{
    const char *wv = w->fields[field], *lv = l->fields[field];
    if (policy == LEAD_MERGE_KEEP_WINNER)
        return 0;
    if (policy == LEAD_MERGE_KEEP_LOSER)
        return 1;
    if (!lv)
        return 0;
    if (!wv)
        return 1;
    return l->updated_ms > w->updated_ms;
}

static int merge_fields(lead_contact *m, const lead_contact *w, const lead_contact *l,
                        const int32_t *policies)
{
    for (int f = 0; f < LEAD_FIELD_COUNT; f++) {
        int policy = policies ? policies[f] : LEAD_MERGE_NEWEST;
        const char *v = take_field(w, l, f, policy) ? l->fields[f] : w->fields[f];
        if (v && !(m->fields[f] = lead__strdup(&m->mem, v)))
            return LEAD_ENOMEM;
    }
    return LEAD_OK;
}

static int64_t earlier(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static void merge_milestones(lead_contact *m, const lead_contact *l)
{
    for (int t = 0; t < LEAD_MILESTONE_COUNT; t++) {
        if (l->touch_event[t] && (!m->touch_event[t] || l->touch_ms[t] < m->touch_ms[t])) {
            m->touch_event[t] = l->touch_event[t];
            m->touch_ms[t] = l->touch_ms[t];
        }
    }
}

/* Adds id to c's absorbed ids unless it is there already (a merge retried
 * after a failure finds the loser listed); sets *added when it adds. */
static int absorb_once(lead_contact *c, uint64_t id, int *added)
{
    for (size_t i = 0; i < c->absorbed_len; i++)
        if (c->absorbed[i] == id)
            return LEAD_OK;
    if (added)
        *added = 1;
    return lead__contact_absorb(c, id);
}

/* The loser and the ids it absorbed, into c's absorbed ids. */
static int absorb_loser(lead_contact *c, const lead_contact *loser, int *added)
{
    int rc = LEAD_OK;
    for (size_t i = 0; rc == LEAD_OK && i < loser->absorbed_len; i++)
        rc = absorb_once(c, loser->absorbed[i], added);
    if (rc == LEAD_OK)
        rc = absorb_once(c, loser->id, added);
    return rc;
}

/* The furthest stage: on the ordered path the later one; an ordered stage
 * beats other/disqualified/recycled only if the winner is not ordered. */
static int furthest_stage(int w, int l)
{
    if (lead_stage_is_ordered(w) && lead_stage_is_ordered(l))
        return w > l ? w : l;
    return lead_stage_is_ordered(l) ? l : w;
}

static int build_merged(lead_contact *m, const lead_contact *w, const lead_contact *l,
                        const int32_t *policies, int64_t now)
{
    m->id = w->id;
    m->created_ms = earlier(w->created_ms, l->created_ms);
    m->updated_ms = now;
    m->event_count = w->event_count + l->event_count;
    m->last_activity_ms = w->last_activity_ms;
    m->last_event_id = w->last_event_id;
    if (l->last_event_id &&
        (!m->last_event_id || l->last_activity_ms > m->last_activity_ms)) {
        m->last_activity_ms = l->last_activity_ms;
        m->last_event_id = l->last_event_id;
    }
    memcpy(m->touch_event, w->touch_event, sizeof m->touch_event);
    memcpy(m->touch_ms, w->touch_ms, sizeof m->touch_ms);
    merge_milestones(m, l);
    for (int p = 0; p < LEAD_PURPOSE_COUNT; p++) {
        /* The later decision stands, except that a bounce never overrides an
         * unsubscribe. */
        const lead_contact *first = w->consent_ms[p] <= l->consent_ms[p] ? w : l;
        const lead_contact *last = first == w ? l : w;
        m->consent[p] = first->consent[p];
        m->consent_ms[p] = first->consent_ms[p];
        if (last->consent[p] != LEAD_CONSENT_NOT_SET)
            lead__contact_consent_apply(m, p, last->consent[p], last->consent_ms[p]);
    }
    int rc = merge_fields(m, w, l, policies);
    if (rc == LEAD_OK)
        rc = lead__attr_merge(m, w);
    if (rc == LEAD_OK)
        rc = lead__attr_merge(m, l);
    for (size_t i = 0; rc == LEAD_OK && i < w->history_len; i++) {
        rc = lead__grow(&m->mem, (void **)&m->history, &m->history_cap, i + 1, sizeof *m->history);
        if (rc == LEAD_OK)
            m->history[m->history_len++] = w->history[i];
    }
    m->stage = w->stage;
    for (size_t i = 0; rc == LEAD_OK && i < w->absorbed_len; i++)
        rc = absorb_once(m, w->absorbed[i], NULL);
    if (rc == LEAD_OK)
        rc = absorb_loser(m, l, NULL);
    int stage = furthest_stage(w->stage, l->stage);
    if (rc == LEAD_OK && stage != m->stage)
        rc = lead__contact_enter_stage(m, stage, LEAD_REASON_MERGE, now, 0);
    return rc;
}

/* ---- re-parenting events -------------------------------------------------- */

typedef struct records {
    lead__mem mem;
    unsigned char *buf; /* u32 length + record, repeated */
    size_t len, cap;
    int failed;
} records;

static int keep_record(void *user, int64_t time_ms, const void *bytes, size_t n)
{
    records *r = user;
    (void)time_ms;
    uint32_t len32 = (uint32_t)n;
    if (n > UINT32_MAX || lead__grow(&r->mem, (void **)&r->buf, &r->cap, r->len + 4 + n, 1)) {
        r->failed = 1;
        return 1;
    }
    memcpy(r->buf + r->len, &len32, 4);
    memcpy(r->buf + r->len + 4, bytes, n);
    r->len += 4 + n;
    return 0;
}

/* Appends each of the loser's events to the winner, with the same id and
 * the winner's contact id. Idempotency keys are already remembered. */
static int reparent_events(lead_engine *engine, const records *r, uint64_t winner)
{
    lead_event ev;
    memset(&ev, 0, sizeof ev);
    int rc = LEAD_OK;
    for (size_t off = 0; rc == LEAD_OK && off < r->len;) {
        uint32_t n;
        memcpy(&n, r->buf + off, 4);
        rc = lead__event_decode(&engine->mem, &ev, r->buf + off + 4, n);
        off += 4 + (size_t)n;
        if (rc != LEAD_OK)
            break;
        ev.contact_id = winner;
        rc = lead__event_encode(&engine->writer, &ev);
        if (rc == LEAD_OK)
            rc = lead__store_status(engine,
                                    engine->store.event_append(engine->store.user, winner,
                                                               ev.time_ms, NULL,
                                                               engine->writer.buf,
                                                               engine->writer.len),
                                    "event_append");
    }
    lead__event_clear(&engine->mem, &ev);
    return rc == LEAD_ENOTFOUND ? LEAD_ESTORE : rc;
}

/* Write order without transactions: the winner as it is but listing the
 * loser among its absorbed ids, the winner's copies of the events, the
 * redirect holding the loser's record, the loser's deletion, the merged
 * winner. Listing the loser first means that, wherever a later write fails,
 * erasing the winner also forgets the loser's kept record and email (erase
 * leaves a listed id alone while it is still a contact). A transaction makes
 * the first write unnecessary. winner is the loaded copy; it gets the ids. */
static int write_merge(lead_engine *engine, const records *events, const lead_contact *merged,
                       lead_contact *winner, const lead_contact *loser)
{
    int rc = LEAD_OK;
    if (!engine->store.begin) {
        int added = 0;
        rc = absorb_loser(winner, loser, &added);
        if (rc == LEAD_OK && added)
            rc = lead__contact_save(engine, winner);
    }
    if (rc == LEAD_OK)
        rc = reparent_events(engine, events, merged->id);
    if (rc == LEAD_OK)
        rc = lead__contact_encode(&engine->writer, loser);
    if (rc == LEAD_OK)
        rc = lead__redirect_put(engine, loser->id, merged->id, engine->writer.buf,
                                engine->writer.len);
    if (rc == LEAD_OK)
        rc = lead__store_status(engine,
                                engine->store.contact_delete(engine->store.user, loser->id),
                                "contact_delete");
    if (rc == LEAD_OK)
        rc = lead__contact_save(engine, merged);
    return rc == LEAD_ENOTFOUND ? LEAD_ESTORE : rc;
}

static int check_policies(const int32_t *policies)
{
    for (int f = 0; policies && f < LEAD_FIELD_COUNT; f++)
        if (policies[f] < LEAD_MERGE_NEWEST || policies[f] > LEAD_MERGE_KEEP_LOSER)
            return LEAD_EINVAL;
    return LEAD_OK;
}

int lead_contact_merge(lead_engine *engine, uint64_t winner, uint64_t loser,
                       const int32_t *field_policies)
{
    if (!engine)
        return LEAD_EINVAL;
    if (check_policies(field_policies) != LEAD_OK)
        return lead__fail(engine, LEAD_EINVAL, "merge: bad field policy");
    lead_contact *w = NULL, *l = NULL, *m = NULL;
    records events;
    memset(&events, 0, sizeof events);
    events.mem = engine->mem;
    int64_t now = 0;
    int rc = lead__contact_load(engine, winner, &w);
    if (rc == LEAD_OK)
        rc = lead__contact_load(engine, loser, &l);
    if (rc == LEAD_OK && w->id == l->id)
        rc = lead__fail(engine, LEAD_EINVAL, "merge: both ids are contact %llu",
                        (unsigned long long)w->id);
    if (rc == LEAD_OK)
        rc = lead__now(engine, &now);
    if (rc == LEAD_OK && !(m = lead__contact_alloc(&engine->mem)))
        rc = LEAD_ENOMEM;
    if (rc == LEAD_OK)
        rc = build_merged(m, w, l, field_policies, now);
    if (rc == LEAD_OK)
        rc = lead__store_status(engine,
                                engine->store.event_scan(engine->store.user, l->id, INT64_MIN,
                                                         keep_record, &events),
                                "event_scan");
    if (rc == LEAD_OK && events.failed)
        rc = LEAD_ENOMEM;
    if (rc == LEAD_OK)
        rc = lead__store_begin(engine);
    if (rc == LEAD_OK)
        rc = lead__store_finish(engine, write_merge(engine, &events, m, w, l));
    /* Both kept scores are stale now, or may be when a store without
     * transactions kept part of a failed merge: the next change rebuilds
     * them from the store. */
    if (w && l) {
        lead__scores_forget(engine, w->id);
        lead__scores_forget(engine, l->id);
    }
    if (rc == LEAD_OK)
        lead__contact_notify(engine, m, w->history_len);
    lead__free(&engine->mem, events.buf);
    lead_contact_free(w);
    lead_contact_free(l);
    lead_contact_free(m);
    return rc;
}
