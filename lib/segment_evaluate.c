/* Evaluating a segment for one contact at a time t. Only the caller's
 * subject, facts and t decide the answer, so it is deterministic. */
#include "segment.h"
#include "score.h"

#include <string.h>

typedef struct eval {
    const lead__seg_cond *conds;
    const lead_segment_facts *facts;
    const lead_score_subject *subject; /* may be NULL */
    int64_t t;
    lead__seg_trace *trace; /* NULL: short cuts allowed */
} eval;

static int same_or_any(const char *wanted, const char *have)
{
    return !wanted || (have && strcmp(wanted, have) == 0);
}

static int has_property(const lead_score_subject *s, const lead__subject_event *ev,
                        const char *name, const char *value)
{
    for (size_t i = ev->first_prop; i < ev->first_prop + ev->nprops; i++)
        if (strcmp(s->props[i].name, name) == 0 && strcmp(s->props[i].value, value) == 0)
            return 1;
    return 0;
}

/* Events matching c with time in (t - within, t], or time <= t when there
 * is no window. The differences are taken in unsigned arithmetic, so no
 * t or window overflows. */
static uint64_t count_events(const eval *e, const lead__seg_cond *c)
{
    const lead_score_subject *s = e->subject;
    uint64_t n = 0;
    for (size_t i = 0; s && i < s->nevents; i++) {
        const lead__subject_event *ev = &s->events[i];
        if (ev->time > e->t)
            break; /* events are in time order: the rest has not happened yet */
        if (c->within_ms && (uint64_t)e->t - (uint64_t)ev->time >= (uint64_t)c->within_ms)
            continue;
        if (strcmp(ev->type, c->name) != 0 || !same_or_any(c->channel, ev->channel) ||
            !same_or_any(c->campaign, ev->campaign))
            continue;
        if (c->prop_name && !has_property(s, ev, c->prop_name, c->prop_value))
            continue;
        n++;
    }
    return n;
}

static int stage_holds(const lead__seg_cond *c, int32_t stage)
{
    if (stage < 0)
        return 0;
    switch (c->stage_op) {
    case LEAD__SEG_STAGE_IS: return stage == c->stage;
    case LEAD__SEG_STAGE_AT_LEAST: return lead_stage_is_ordered(stage) && stage >= c->stage;
    default: return lead_stage_is_ordered(stage) && stage <= c->stage;
    }
}

static int score_holds(const lead__seg_cond *c, const lead__seg_scores *sc)
{
    if (!sc)
        return 0;
    int64_t v = c->part == LEAD__SEG_FIT ? sc->fit
                : c->part == LEAD__SEG_BEHAVIOUR ? sc->behaviour : sc->total;
    /* Bounds are whole points (|b| <= 2^50), scores centipoints. */
    return (!c->has_lo || v >= c->lo * 100) && (!c->has_hi || v <= c->hi * 100);
}

static const char *field_value(const lead_score_subject *s, const char *name)
{
    const char *value = NULL;
    if (!s || !lead__score_pairs_find(s->attrs, s->nattrs, name, &value))
        return NULL;
    return value;
}

static int holds(const eval *e, size_t i);

static int group_holds(const eval *e, size_t i)
{
    const lead__seg_cond *g = &e->conds[i];
    int any = g->kind == LEAD__SEG_ANY;
    int result = !any; /* an empty all holds, an empty any does not */
    for (size_t j = i + 1; j < g->end; j = e->conds[j].end) {
        int h = holds(e, j);
        if (h == any) {
            result = any;
            if (!e->trace)
                break;
        }
    }
    return result;
}

static int leaf_holds(const eval *e, const lead__seg_cond *c, uint64_t *count)
{
    const lead__seg_scores *sc;
    switch (c->kind) {
    case LEAD__SEG_FIELD:
        return lead__field_test_match(&c->field, field_value(e->subject, c->field.field));
    case LEAD__SEG_STAGE: return stage_holds(c, e->facts ? e->facts->stage : -1);
    case LEAD__SEG_SCORE: return score_holds(c, lead__seg_facts_scores(e->facts, c->name));
    case LEAD__SEG_GRADE:
        sc = lead__seg_facts_scores(e->facts, c->name);
        return sc && (c->set & (1u << (sc->grade - 'A')));
    case LEAD__SEG_CONSENT:
        return (c->set & (1u << lead__seg_facts_consent(e->facts, c->name))) != 0;
    default:
        *count = count_events(e, c);
        return *count >= c->at_least;
    }
}

/* Whether condition i holds, after its not. */
static int holds(const eval *e, size_t i)
{
    const lead__seg_cond *c = &e->conds[i];
    uint64_t count = 0;
    int h = c->kind == LEAD__SEG_ALL || c->kind == LEAD__SEG_ANY ? group_holds(e, i)
                                                                 : leaf_holds(e, c, &count);
    h = c->negate ? !h : h;
    if (e->trace) {
        e->trace[i].held = (unsigned char)h;
        e->trace[i].count = count;
    }
    return h;
}

static int run(const lead_segment *segment, const lead_segment_facts *facts,
               const lead_score_subject *subject, int64_t time_ms, lead__seg_trace *trace)
{
    eval e = {segment->conds, facts, subject, time_ms, trace};
    return segment->nconds ? holds(&e, 0) : 1;
}

int lead_segment_evaluate(const lead_segment *segment, const lead_segment_facts *facts,
                          const lead_score_subject *subject, int64_t time_ms, int *out_match)
{
    if (!segment || !out_match)
        return LEAD_EINVAL;
    *out_match = run(segment, facts, subject, time_ms, NULL);
    return LEAD_OK;
}

int lead_segment_evaluate_explain(lead_segment *segment, const lead_segment_facts *facts,
                                  const lead_score_subject *subject, int64_t time_ms,
                                  int *out_match)
{
    if (!segment || !out_match)
        return LEAD_EINVAL;
    *out_match = run(segment, facts, subject, time_ms, segment->trace);
    segment->explained = 1;
    return LEAD_OK;
}

int lead_segment_explain_item(const lead_segment *segment, size_t i, uint32_t *out_line,
                              uint32_t *out_depth, int *out_held, uint64_t *out_count)
{
    if (!segment)
        return LEAD_EINVAL;
    if (!segment->explained)
        return LEAD_ESTATE;
    if (segment->nconds == 0 || i >= segment->nconds - 1)
        return LEAD_ENOTFOUND;
    const lead__seg_trace *tr = &segment->trace[i + 1];
    if (out_line)
        *out_line = tr->line;
    if (out_depth)
        *out_depth = segment->conds[i + 1].depth;
    if (out_held)
        *out_held = tr->held;
    if (out_count)
        *out_count = tr->count;
    return LEAD_OK;
}
