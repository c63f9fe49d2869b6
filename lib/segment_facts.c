/* Facts about one contact that segments test and a subject does not hold:
 * stage, consent per purpose, scores per model. */
#include "segment.h"
#include "score.h"

#include <string.h>

int lead_segment_facts_new(lead_segment_facts **out, const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_segment_facts *f = lead__calloc(&mem, 1, sizeof *f);
    if (!f)
        return LEAD_ENOMEM;
    f->mem = mem;
    f->stage = -1;
    *out = f;
    return LEAD_OK;
}

static void forget(lead_segment_facts *f)
{
    for (size_t i = 0; i < f->nconsent; i++)
        lead__free(&f->mem, f->consent[i].purpose);
    for (size_t i = 0; i < f->nscores; i++)
        lead__free(&f->mem, f->scores[i].model);
    f->nconsent = f->nscores = 0;
    f->stage = -1;
}

void lead_segment_facts_free(lead_segment_facts *facts)
{
    if (!facts)
        return;
    forget(facts);
    lead__mem mem = facts->mem;
    lead__free(&mem, facts->consent);
    lead__free(&mem, facts->scores);
    lead__free(&mem, facts);
}

int lead_segment_facts_reset(lead_segment_facts *facts)
{
    if (!facts)
        return LEAD_EINVAL;
    forget(facts);
    return LEAD_OK;
}

int lead_segment_facts_set_stage(lead_segment_facts *facts, int32_t stage)
{
    if (!facts || stage < -1 || stage >= LEAD_STAGE_COUNT)
        return LEAD_EINVAL;
    facts->stage = stage;
    return LEAD_OK;
}

static lead__seg_consent *find_consent(const lead_segment_facts *f, const char *purpose)
{
    for (size_t i = 0; i < f->nconsent; i++)
        if (strcmp(f->consent[i].purpose, purpose) == 0)
            return &f->consent[i];
    return NULL;
}

static lead__seg_scores *find_scores(const lead_segment_facts *f, const char *model)
{
    for (size_t i = 0; i < f->nscores; i++)
        if (strcmp(f->scores[i].model, model) == 0)
            return &f->scores[i];
    return NULL;
}

int lead_segment_facts_set_consent(lead_segment_facts *facts, const char *purpose,
                                   int32_t state)
{
    if (!facts || !purpose || !purpose[0] || state < 0 || state >= LEAD_CONSENT_STATE_COUNT)
        return LEAD_EINVAL;
    lead__seg_consent *c = find_consent(facts, purpose);
    if (!c) {
        if (lead__grow(&facts->mem, (void **)&facts->consent, &facts->capconsent,
                       facts->nconsent + 1, sizeof *facts->consent) != LEAD_OK)
            return LEAD_ENOMEM;
        char *copy = lead__strdup(&facts->mem, purpose);
        if (!copy)
            return LEAD_ENOMEM;
        c = &facts->consent[facts->nconsent++];
        c->purpose = copy;
    }
    c->state = state;
    return LEAD_OK;
}

int lead_segment_facts_set_scores(lead_segment_facts *facts, const char *model, int64_t fit,
                                  int64_t behaviour, int64_t total, char grade)
{
    if (!facts || !model || !model[0] || !grade || !strchr("ABCDF", grade))
        return LEAD_EINVAL;
    lead__seg_scores *s = find_scores(facts, model);
    if (!s) {
        if (lead__grow(&facts->mem, (void **)&facts->scores, &facts->capscores,
                       facts->nscores + 1, sizeof *facts->scores) != LEAD_OK)
            return LEAD_ENOMEM;
        char *copy = lead__strdup(&facts->mem, model);
        if (!copy)
            return LEAD_ENOMEM;
        s = &facts->scores[facts->nscores++];
        s->model = copy;
    }
    s->fit = fit;
    s->behaviour = behaviour;
    s->total = total;
    s->grade = grade;
    return LEAD_OK;
}

int lead_segment_facts_set_result(lead_segment_facts *facts, const char *model,
                                  const lead_score_result *result)
{
    if (!result)
        return LEAD_EINVAL;
    return lead_segment_facts_set_scores(facts, model, result->fit, result->behaviour,
                                         result->total, result->grade);
}

int lead__seg_facts_consent(const lead_segment_facts *facts, const char *purpose)
{
    const lead__seg_consent *c = facts ? find_consent(facts, purpose) : NULL;
    return c ? c->state : LEAD_CONSENT_NOT_SET;
}

const lead__seg_scores *lead__seg_facts_scores(const lead_segment_facts *facts,
                                               const char *model)
{
    return facts ? find_scores(facts, model) : NULL;
}
