/* The engine's contacts and events as scoring models read them: standard
 * fields and custom attributes by name, typed attributes in decimal text;
 * events by built-in type and channel name, with their campaign, and their
 * source, medium and content as properties. */
#include "engine_score.h"
#include "event.h"

#include <inttypes.h>
#include <stdio.h>

static int contact_lookup(void *user, const char *name, const char **out_value)
{
    lead__contact_view *v = user;
    const char *field = lead__contact_field_by_name(v->c, name);
    if (field) {
        *out_value = field;
        return 1;
    }
    const lead__attr *a = lead__contact_attr_find(v->c, name);
    if (!a)
        return 0;
    switch (a->type) {
    case LEAD_ATTR_STRING: *out_value = a->s; return 1;
    case LEAD_ATTR_DOUBLE: snprintf(v->buf, sizeof v->buf, "%.17g", a->d); break;
    default: snprintf(v->buf, sizeof v->buf, "%" PRId64, a->i); break;
    }
    *out_value = v->buf;
    return 1;
}

void lead__contact_score_view(lead__score_contact *out, lead__contact_view *view,
                              const lead_contact *c)
{
    view->c = c;
    view->buf[0] = '\0';
    out->user = view;
    out->lookup = contact_lookup;
}

int lead__event_score_view(lead__score_event *out, lead__score_prop props[3],
                           const lead_event *ev)
{
    static const struct {
        int which;
        const char *name;
    } named[] = {{LEAD_EVENT_SOURCE, "source"},
                 {LEAD_EVENT_MEDIUM, "medium"},
                 {LEAD_EVENT_CONTENT, "content"}};
    out->type = lead_event_type_name(ev->type);
    if (!out->type)
        return 0;
    out->channel = lead_channel_name(ev->channel);
    out->campaign = ev->strings[LEAD_EVENT_CAMPAIGN];
    out->time = ev->time_ms;
    out->props = props;
    out->nprops = 0;
    for (size_t i = 0; i < 3; i++) {
        const char *value = ev->strings[named[i].which];
        if (value) {
            props[out->nprops].name = named[i].name;
            props[out->nprops].value = value;
            out->nprops++;
        }
    }
    return 1;
}

int lead__score_subject_add_lead_event(lead_score_subject *s, const lead_event *ev)
{
    lead__score_prop props[3];
    lead__score_event se;
    if (!lead__event_score_view(&se, props, ev))
        return LEAD_OK;
    int rc = lead_score_subject_add_event(s, se.type, se.channel, se.campaign, se.time);
    for (size_t i = 0; rc == LEAD_OK && i < se.nprops; i++)
        rc = lead_score_subject_add_property(s, props[i].name, props[i].value);
    return rc;
}
