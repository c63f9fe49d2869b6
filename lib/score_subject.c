/* A subject to score without an engine: attributes and an event history
 * held in memory by the caller's program. */
#include "score.h"

#include <string.h>

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

void lead__score_subject_clear(lead_score_subject *s)
{
    lead__mem mem = s->mem;
    lead__score_pairs_free(&mem, s->attrs, s->nattrs);
    lead__score_pairs_free(&mem, s->props, s->nprops);
    lead__free(&mem, s->prop_views);
    for (size_t i = 0; i < s->nevents; i++) {
        lead__free(&mem, s->events[i].type);
        lead__free(&mem, s->events[i].channel);
        lead__free(&mem, s->events[i].campaign);
    }
    lead__free(&mem, s->events);
    memset(s, 0, sizeof *s);
    s->mem = mem;
}

void lead_score_subject_free(lead_score_subject *s)
{
    if (!s)
        return;
    lead__mem mem = s->mem;
    lead__score_subject_clear(s);
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
    lead__subject_event ev = {NULL, NULL, NULL, time_ms, s->nprops, 0};
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
    if (lead__grow(&s->mem, (void **)&s->prop_views, &s->cap_views, s->nprops + 1,
                   sizeof *s->prop_views) != LEAD_OK)
        return LEAD_ENOMEM;
    int rc = lead__score_pair_push(&s->mem, &s->props, &s->nprops, &s->cap_props, name, value);
    if (rc != LEAD_OK)
        return rc;
    s->prop_views[s->nprops - 1].name = s->props[s->nprops - 1].name;
    s->prop_views[s->nprops - 1].value = s->props[s->nprops - 1].value;
    s->events[s->nevents - 1].nprops++;
    return LEAD_OK;
}

static int subject_lookup(void *user, const char *name, const char **out_value)
{
    const lead_score_subject *s = user;
    return lead__score_pairs_find(s->attrs, s->nattrs, name, out_value);
}

void lead__subject_event_view(const lead_score_subject *s, size_t i, lead__score_event *out)
{
    const lead__subject_event *e = &s->events[i];
    out->type = e->type;
    out->channel = e->channel;
    out->campaign = e->campaign;
    out->time = e->time;
    out->props = e->nprops ? s->prop_views + e->first_prop : NULL;
    out->nprops = e->nprops;
}

void lead__subject_contact(lead__score_contact *out, const lead_score_subject *s)
{
    out->user = (void *)(uintptr_t)s; /* lookup only reads through it */
    out->lookup = subject_lookup;
}

int lead__score_evaluate_subject(lead_score_result **out, const lead_score_model *model,
                                 const lead__score_contact *contact, const lead_score_subject *s,
                                 int64_t time_ms)
{
    const lead__mem *mem = &model->mem;
    lead__score_event *events = NULL;
    if (s->nevents && !(events = lead__calloc(mem, s->nevents, sizeof *events)))
        return LEAD_ENOMEM;
    for (size_t i = 0; i < s->nevents; i++)
        lead__subject_event_view(s, i, &events[i]);
    int rc = lead__score_evaluate(out, model, contact, events, s->nevents, time_ms, 1);
    lead__free(mem, events);
    return rc;
}

int lead_score_evaluate(lead_score_result **out, const lead_score_model *model,
                        const lead_score_subject *s, int64_t time_ms)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!model || !s)
        return LEAD_EINVAL;
    lead__score_contact contact;
    lead__subject_contact(&contact, s);
    return lead__score_evaluate_subject(out, model, &contact, s, time_ms);
}
