/* A subject to score without an engine: attributes and an event history
 * held in memory by the caller's program. */
#include "score.h"

typedef struct subject_event {
    char *type, *channel, *campaign;
    int64_t time;
    size_t first_prop, nprops;
} subject_event;

struct lead_score_subject {
    lead__mem mem;
    lead__score_pair *attrs;
    size_t nattrs, cap_attrs;
    subject_event *events;
    size_t nevents, cap_events;
    lead__score_pair *props;
    size_t nprops, cap_props;
};

int lead_score_subject_new(lead_score_subject **out, const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_score_subject *s = lead__calloc(&mem, 1, sizeof *s);
    if (!s)
        return LEAD_ENOMEM;
    s->mem = mem;
    *out = s;
    return LEAD_OK;
}

void lead_score_subject_free(lead_score_subject *s)
{
    if (!s)
        return;
    lead__mem mem = s->mem;
    lead__score_pairs_free(&mem, s->attrs, s->nattrs);
    lead__score_pairs_free(&mem, s->props, s->nprops);
    for (size_t i = 0; i < s->nevents; i++) {
        lead__free(&mem, s->events[i].type);
        lead__free(&mem, s->events[i].channel);
        lead__free(&mem, s->events[i].campaign);
    }
    lead__free(&mem, s->events);
    lead__free(&mem, s);
}

int lead_score_subject_set(lead_score_subject *s, const char *name, const char *value)
{
    if (!s || !name || !value)
        return LEAD_EINVAL;
    return lead__score_pair_push(&s->mem, &s->attrs, &s->nattrs, &s->cap_attrs, name, value);
}

static int dup_or_null(const lead__mem *mem, char **dst, const char *src)
{
    *dst = src ? lead__strdup(mem, src) : NULL;
    return !src || *dst;
}

int lead_score_subject_add_event(lead_score_subject *s, const char *type, const char *channel,
                                 const char *campaign, int64_t time_ms)
{
    if (!s || !type || !type[0])
        return LEAD_EINVAL;
    if (s->nevents && time_ms < s->events[s->nevents - 1].time)
        return LEAD_EINVAL;
    if (lead__grow(&s->mem, (void **)&s->events, &s->cap_events, s->nevents + 1,
                   sizeof *s->events) != LEAD_OK)
        return LEAD_ENOMEM;
    subject_event ev = {NULL, NULL, NULL, time_ms, s->nprops, 0};
    if (!dup_or_null(&s->mem, &ev.type, type) || !dup_or_null(&s->mem, &ev.channel, channel) ||
        !dup_or_null(&s->mem, &ev.campaign, campaign)) {
        lead__free(&s->mem, ev.type);
        lead__free(&s->mem, ev.channel);
        lead__free(&s->mem, ev.campaign);
        return LEAD_ENOMEM;
    }
    s->events[s->nevents++] = ev;
    return LEAD_OK;
}

int lead_score_subject_add_property(lead_score_subject *s, const char *name, const char *value)
{
    if (!s || !name || !value || s->nevents == 0)
        return LEAD_EINVAL;
    int rc = lead__score_pair_push(&s->mem, &s->props, &s->nprops, &s->cap_props, name, value);
    if (rc == LEAD_OK)
        s->events[s->nevents - 1].nprops++;
    return rc;
}

static int subject_lookup(void *user, const char *name, const char **out_value)
{
    const lead_score_subject *s = user;
    return lead__score_pairs_find(s->attrs, s->nattrs, name, out_value);
}

int lead_score_evaluate(lead_score_result **out, const lead_score_model *model,
                        const lead_score_subject *s, int64_t time_ms)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!model || !s)
        return LEAD_EINVAL;
    const lead__mem *mem = &model->mem;
    lead__score_event *events = lead__calloc(mem, s->nevents, sizeof *events);
    lead__score_prop *props = lead__calloc(mem, s->nprops, sizeof *props);
    if (!events || !props) {
        lead__free(mem, events);
        lead__free(mem, props);
        return LEAD_ENOMEM;
    }
    for (size_t i = 0; i < s->nprops; i++) {
        props[i].name = s->props[i].name;
        props[i].value = s->props[i].value;
    }
    for (size_t i = 0; i < s->nevents; i++) {
        const subject_event *e = &s->events[i];
        lead__score_event ev = {e->type, e->channel, e->campaign, e->time,
                                props + e->first_prop, e->nprops};
        events[i] = ev;
    }
    lead__score_contact contact = {(void *)(uintptr_t)s, subject_lookup};
    int rc = lead__score_evaluate(out, model, &contact, events, s->nevents, time_ms, 1);
    lead__free(mem, events);
    lead__free(mem, props);
    return rc;
}
