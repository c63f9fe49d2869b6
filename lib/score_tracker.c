/* Incremental scoring of a caller-held subject: the behaviour state is
 * advanced by each new event, and a score is read from it at any later
 * time with the same arithmetic a from-scratch evaluation uses. */
#include "score.h"

struct lead_score_tracker {
    lead__mem mem;
    lead__score_def def; /* a private copy: the state's layout follows it */
    lead__score_state state;
    size_t fed; /* the subject's events fed into state */
};

int lead_score_tracker_new(lead_score_tracker **out, const lead_score_model *model)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!model)
        return LEAD_EINVAL;
    const lead__mem *mem = &model->mem;
    lead_score_tracker *t = lead__calloc(mem, 1, sizeof *t);
    if (!t)
        return LEAD_ENOMEM;
    t->mem = *mem;
    if (lead__score_def_copy(mem, &t->def, &model->def) != LEAD_OK) {
        lead__free(mem, t);
        return LEAD_ENOMEM;
    }
    if (lead__score_state_init(mem, &t->state, &t->def) != LEAD_OK) {
        lead__score_def_clear(mem, &t->def);
        lead__free(mem, t);
        return LEAD_ENOMEM;
    }
    *out = t;
    return LEAD_OK;
}

void lead_score_tracker_free(lead_score_tracker *t)
{
    if (!t)
        return;
    lead__mem mem = t->mem;
    lead__score_state_clear(&mem, &t->state);
    lead__score_def_clear(&mem, &t->def);
    lead__free(&mem, t);
}

int lead_score_tracker_update(lead_score_tracker *t, const lead_score_subject *s)
{
    if (!t || !s)
        return LEAD_EINVAL;
    if (s->nevents < t->fed)
        return LEAD_ESTATE;
    for (size_t i = t->fed; i < s->nevents; i++) {
        lead__score_event ev;
        lead__subject_event_view(s, i, &ev);
        /* Subjects keep their events in time order, so this cannot refuse. */
        int rc = lead__score_state_feed(&t->state, &t->def, &ev, NULL, NULL);
        if (rc != LEAD_OK)
            return rc;
        t->fed++;
    }
    return LEAD_OK;
}

int lead_score_tracker_score(lead_score_result **out, const lead_score_tracker *t,
                             const lead_score_subject *s, int64_t time_ms)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!t || !s)
        return LEAD_EINVAL;
    lead__score_contact contact;
    lead__subject_contact(&contact, s);
    return lead__score_result_build(out, &t->mem, &t->def, &contact, &t->state, time_ms, NULL, 0);
}
