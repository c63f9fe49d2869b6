/* Scoring models attached to an engine: attach (a private copy, the rules
 * each event type can hit, the state of every contact), detach, listing. */
#include "engine_score.h"
#include "utf8.h"

#include <string.h>

lead__es_model *lead__es_find_model(const lead_engine *engine, const char *name)
{
    const struct lead__scores *s = engine->scores;
    for (size_t i = 0; s && i < s->n; i++)
        if (strcmp(s->models[i]->name, name) == 0)
            return s->models[i];
    return NULL;
}

static void model_free(const lead__mem *mem, lead__es_model *m)
{
    if (!m)
        return;
    lead__es_table_clear(mem, &m->table);
    lead__score_def_clear(mem, &m->model.def);
    lead__free(mem, m->cand);
    lead__free(mem, m->name);
    lead__free(mem, m);
}

void lead__scores_free(lead_engine *engine)
{
    struct lead__scores *s = engine->scores;
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        model_free(&engine->mem, s->models[i]);
    lead__free(&engine->mem, s->models);
    lead__free(&engine->mem, s->marks);
    lead__free(&engine->mem, s->saves);
    lead__free(&engine->mem, s);
    engine->scores = NULL;
}

/* The built-in event type behaviour rule r names; -1 for any other name. */
static int rule_type(const lead__score_def *def, size_t r)
{
    int t = -1;
    return lead_event_type_from_name(def->beh[r].type, &t) == LEAD_OK ? t : -1;
}

/* Groups the behaviour rules by the built-in event type they name, so that
 * a tracked event only visits the rules it can hit. */
static int index_rules(const lead__mem *mem, lead__es_model *m)
{
    const lead__score_def *def = &m->model.def;
    m->top_stage = -1;
    for (size_t i = 0; i < def->nstages; i++)
        if (def->stages[i].stage > m->top_stage)
            m->top_stage = def->stages[i].stage;
    size_t at[LEAD_EVENT_TYPE_COUNT] = {0};
    for (size_t r = 0; r < def->nbeh; r++) {
        int t = rule_type(def, r);
        if (t >= 0)
            at[t]++;
    }
    size_t total = 0;
    for (int t = 0; t < LEAD_EVENT_TYPE_COUNT; t++) {
        m->cand_start[t] = total;
        total += at[t];
        at[t] = m->cand_start[t];
    }
    m->cand_start[LEAD_EVENT_TYPE_COUNT] = total;
    if (!total)
        return LEAD_OK;
    m->cand = lead__calloc(mem, total, sizeof *m->cand);
    if (!m->cand)
        return LEAD_ENOMEM;
    for (size_t r = 0; r < def->nbeh; r++) {
        int t = rule_type(def, r);
        if (t >= 0)
            m->cand[at[t]++] = (uint32_t)r;
    }
    return LEAD_OK;
}

static int model_new(lead_engine *engine, lead__es_model **out, const char *name,
                     const lead_score_model *model)
{
    const lead__mem *mem = &engine->mem;
    lead__es_model *m = lead__calloc(mem, 1, sizeof *m);
    if (!m)
        return LEAD_ENOMEM;
    m->model.mem = *mem;
    m->name = lead__strdup(mem, name);
    int rc = m->name ? lead__score_def_copy(mem, &m->model.def, &model->def) : LEAD_ENOMEM;
    if (rc != LEAD_OK) {
        lead__free(mem, m->name);
        lead__free(mem, m);
        return rc;
    }
    rc = index_rules(mem, m);
    if (rc != LEAD_OK) {
        model_free(mem, m);
        return rc;
    }
    *out = m;
    return LEAD_OK;
}

/* Makes room for one more model: its slot, its undo mark and the saves of
 * its behaviour rules, so that no later write needs to allocate for them. */
static int reserve(lead_engine *engine, size_t nbeh)
{
    const lead__mem *mem = &engine->mem;
    if (!engine->scores && !(engine->scores = lead__calloc(mem, 1, sizeof *engine->scores)))
        return LEAD_ENOMEM;
    struct lead__scores *s = engine->scores;
    size_t need = s->n + 1;
    int rc = lead__grow(mem, (void **)&s->models, &s->cap, need, sizeof *s->models);
    if (rc == LEAD_OK)
        rc = lead__grow(mem, (void **)&s->marks, &s->cap_marks, need, sizeof *s->marks);
    if (rc == LEAD_OK) {
        size_t saves = 0;
        for (size_t i = 0; i < s->n; i++)
            saves += s->models[i]->model.def.nbeh;
        rc = lead__grow(mem, (void **)&s->saves, &s->cap_saves, saves + nbeh + 1,
                        sizeof *s->saves);
    }
    return rc;
}

int lead_engine_score_attach(lead_engine *engine, const char *name, const lead_score_model *model)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!name || !model || !*name || strlen(name) > LEAD_FIELD_MAX)
        return lead__fail(engine, LEAD_EINVAL, "score attach: bad name or model");
    if (!lead__utf8_valid(name, strlen(name)))
        return lead__fail(engine, LEAD_EUTF8, "score attach: name is not UTF-8");
    if (lead__es_find_model(engine, name))
        return lead__fail(engine, LEAD_EEXISTS, "score attach: model %s is attached", name);
    lead__es_model *m = NULL;
    int rc = reserve(engine, model->def.nbeh);
    if (rc == LEAD_OK)
        rc = model_new(engine, &m, name, model);
    if (rc == LEAD_OK)
        rc = lead__es_build(engine, &m, &m->table, 1, NULL, NULL);
    if (rc != LEAD_OK) {
        model_free(&engine->mem, m);
        return rc == LEAD_ENOMEM ? lead__fail(engine, rc, "score attach: out of memory") : rc;
    }
    engine->scores->models[engine->scores->n++] = m;
    return LEAD_OK;
}

int lead_engine_score_detach(lead_engine *engine, const char *name)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!name)
        return lead__fail(engine, LEAD_EINVAL, "score detach: NULL name");
    struct lead__scores *s = engine->scores;
    for (size_t i = 0; s && i < s->n; i++) {
        if (strcmp(s->models[i]->name, name) != 0)
            continue;
        model_free(&engine->mem, s->models[i]);
        memmove(&s->models[i], &s->models[i + 1], (s->n - i - 1) * sizeof *s->models);
        s->n--;
        return LEAD_OK;
    }
    return lead__fail(engine, LEAD_ENOTFOUND, "score detach: no model %s", name);
}

int lead_engine_score_count(const lead_engine *engine, size_t *out_count)
{
    if (!engine || !out_count)
        return LEAD_EINVAL;
    *out_count = engine->scores ? engine->scores->n : 0;
    return LEAD_OK;
}

int lead_engine_score_name(const lead_engine *engine, size_t i, const char **out_name)
{
    if (!engine || !out_name)
        return LEAD_EINVAL;
    if (!engine->scores || i >= engine->scores->n)
        return LEAD_ENOTFOUND;
    *out_name = engine->scores->models[i]->name;
    return LEAD_OK;
}
