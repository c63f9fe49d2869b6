/* The contacts of an engine that are in a segment at the engine clock's
 * now: each contact is read from the store into a subject and facts and
 * evaluated like a caller-held one. */
#include "contact.h"
#include "engine.h"
#include "engine_score.h"
#include "event.h"
#include "score.h"
#include "segment.h"

#include <string.h>

struct lead_segment_iter {
    lead_engine *engine;
    const lead_segment *segment;
    lead_segment_facts_fn facts_fn;
    void *facts_user;
    int64_t t;
    int need_events;     /* the segment has event conditions */
    int need_scores;     /* ... score or grade conditions */
    int64_t events_from; /* the oldest event time any of them can count */
    uint64_t *ids;
    size_t nids, next;
    lead_score_subject subject; /* reused for each contact */
    lead_segment_facts facts;
};

/* Whether the segment reads scores, and which events its conditions can
 * count at t: none without event conditions, else those from the earliest
 * window start (all of them when a condition has no window, or the window
 * reaches before INT64_MIN). */
static void event_horizon(lead_segment_iter *it)
{
    it->need_events = 0;
    it->need_scores = 0;
    it->events_from = it->t;
    const lead_segment *seg = it->segment;
    for (size_t i = 1; i < seg->nconds; i++) {
        const lead__seg_cond *c = &seg->conds[i];
        if (c->kind == LEAD__SEG_SCORE || c->kind == LEAD__SEG_GRADE)
            it->need_scores = 1;
        if (c->kind != LEAD__SEG_DID)
            continue;
        it->need_events = 1;
        int64_t from = LEAD_TIME_UNKNOWN;
        if (c->within_ms && it->t > INT64_MIN + c->within_ms)
            from = it->t - c->within_ms + 1;
        if (from < it->events_from)
            it->events_from = from;
    }
}

void lead_segment_iter_free(lead_segment_iter *iter)
{
    if (!iter)
        return;
    lead__mem mem = iter->engine->mem;
    lead__score_subject_clear(&iter->subject);
    lead__seg_facts_clear(&iter->facts);
    lead__free(&mem, iter->ids);
    lead__free(&mem, iter);
}

int lead_segment_iter_new(lead_segment_iter **out, lead_engine *engine,
                          const lead_segment *segment, lead_segment_facts_fn facts_fn,
                          void *facts_user)
{
    if (!out || !engine || !segment)
        return LEAD_EINVAL;
    *out = NULL;
    lead_segment_iter *it = lead__calloc(&engine->mem, 1, sizeof *it);
    if (!it)
        return LEAD_ENOMEM;
    it->engine = engine;
    it->segment = segment;
    it->facts_fn = facts_fn;
    it->facts_user = facts_user;
    it->subject.mem = engine->mem;
    it->facts.mem = engine->mem;
    it->facts.stage = -1;
    int rc = lead__now(engine, &it->t);
    if (rc == LEAD_OK)
        rc = lead__engine_contact_ids(engine, &engine->mem, &it->ids, &it->nids);
    if (rc != LEAD_OK) {
        lead_segment_iter_free(it);
        return rc;
    }
    event_horizon(it);
    *out = it;
    return LEAD_OK;
}

int lead_segment_iter_time(const lead_segment_iter *iter, int64_t *out_time_ms)
{
    if (!iter || !out_time_ms)
        return LEAD_EINVAL;
    *out_time_ms = iter->t;
    return LEAD_OK;
}

/* Sets the fields the segment's field conditions name (only those matter). */
static int add_fields(lead_segment_iter *it, const lead_contact *c)
{
    const lead_segment *seg = it->segment;
    int rc = LEAD_OK;
    for (size_t i = 1; rc == LEAD_OK && i < seg->nconds; i++) {
        if (seg->conds[i].kind != LEAD__SEG_FIELD)
            continue;
        const char *name = seg->conds[i].field.field;
        const char *value = lead__contact_field_by_name(c, name);
        if (value)
            rc = lead_score_subject_set(&it->subject, name, value);
    }
    return rc;
}

static int add_event(void *user, const lead_event *ev)
{
    lead_segment_iter *it = user;
    if (ev->time_ms > it->t)
        return LEAD_ITEROVER; /* in time order: the rest has not happened at t */
    return lead__score_subject_add_lead_event(&it->subject, ev);
}

/* Reads contact id into the subject and facts and evaluates it. */
static int evaluate_contact(lead_segment_iter *it, uint64_t id, int *out_match)
{
    lead__score_subject_clear(&it->subject);
    lead_segment_facts_reset(&it->facts);
    lead_contact *c = NULL;
    uint64_t event_count = 0;
    int rc = lead__contact_load(it->engine, id, &c);
    if (rc == LEAD_OK) {
        it->facts.stage = c->stage;
        event_count = c->event_count;
        rc = add_fields(it, c);
        lead_contact_free(c);
    }
    if (rc == LEAD_OK && it->need_events) {
        rc = lead__event_visit(it->engine, id, it->events_from, add_event, it);
        if (rc == LEAD_ITEROVER)
            rc = LEAD_OK;
    }
    if (rc == LEAD_OK && it->need_scores)
        rc = lead__es_facts(it->engine, id, event_count, it->t, &it->facts);
    if (rc == LEAD_OK && it->facts_fn && it->facts_fn(it->facts_user, id, &it->facts) != 0)
        rc = lead__fail(it->engine, LEAD_ECANCELED,
                        "segment facts callback stopped at contact %llu", (unsigned long long)id);
    if (rc == LEAD_OK)
        rc = lead_segment_evaluate(it->segment, &it->facts, &it->subject, it->t, out_match);
    return rc;
}

int lead_segment_iter_next(lead_segment_iter *iter, uint64_t *out_contact_id)
{
    if (!iter || !out_contact_id)
        return LEAD_EINVAL;
    while (iter->next < iter->nids) {
        uint64_t id = iter->ids[iter->next];
        int match = 0;
        int rc = evaluate_contact(iter, id, &match);
        if (rc != LEAD_OK && rc != LEAD_ENOTFOUND)
            return rc;
        iter->next++;
        if (rc == LEAD_OK && match) {
            *out_contact_id = id;
            return LEAD_OK;
        }
    }
    return LEAD_ITEROVER;
}
