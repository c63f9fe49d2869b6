/* Scores read back from the store: replacing every contact's state
 * (rescore; the build itself is in engine_score_state.c) and one contact's
 * score with its explanation. */
#include "engine_score.h"
#include "event.h"

#include <string.h>

int lead_engine_rescore(lead_engine *engine, const char *model_name,
                        int (*progress)(void *user, uint64_t done, uint64_t total), void *user)
{
    if (!engine)
        return LEAD_EINVAL;
    struct lead__scores *s = engine->scores;
    lead__es_model *one = NULL;
    if (model_name && !(one = lead__es_find_model(engine, model_name)))
        return lead__fail(engine, LEAD_ENOTFOUND, "rescore: no model %s", model_name);
    size_t n = one ? 1 : s ? s->n : 0;
    if (!n)
        return LEAD_OK;
    lead__es_model *const *ms = one ? &one : s->models;
    lead__es_table *tables = lead__calloc(&engine->mem, n, sizeof *tables);
    if (!tables)
        return LEAD_ENOMEM;
    int rc = lead__es_build(engine, ms, tables, n, progress, user);
    /* Only a complete rebuild replaces the kept state. */
    for (size_t k = 0; rc == LEAD_OK && k < n; k++) {
        lead__es_table_clear(&engine->mem, &ms[k]->table);
        ms[k]->table = tables[k];
    }
    lead__free(&engine->mem, tables);
    return rc;
}

static int add_event(void *user, const lead_event *ev)
{
    return lead__score_subject_add_lead_event(user, ev);
}

int lead_engine_score(lead_score_result **out, lead_engine *engine, const char *model_name,
                      uint64_t contact_id, int64_t at_ms)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!engine)
        return LEAD_EINVAL;
    if (!model_name)
        return lead__fail(engine, LEAD_EINVAL, "score: NULL model name");
    const lead__es_model *m = lead__es_find_model(engine, model_name);
    if (!m)
        return lead__fail(engine, LEAD_ENOTFOUND, "score: no model %s", model_name);
    int64_t t = at_ms;
    int rc = at_ms == LEAD_TIME_UNKNOWN ? lead__now(engine, &t) : LEAD_OK;
    lead_contact *c = NULL;
    if (rc == LEAD_OK)
        rc = lead__contact_load(engine, contact_id, &c);
    lead_score_subject s;
    memset(&s, 0, sizeof s);
    s.mem = engine->mem;
    /* As a rebuild does: a store without transactions may hold an event
     * of a failed track that the contact does not count. */
    if (rc == LEAD_OK && (c->event_count || !engine->store.begin))
        rc = lead__event_visit(engine, c->id, LEAD_TIME_UNKNOWN, add_event, &s);
    if (rc == LEAD_OK) {
        lead__contact_view view;
        lead__score_contact contact;
        lead__contact_score_view(&contact, &view, c);
        rc = lead__score_evaluate_subject(out, &m->model, &contact, &s, t);
    }
    lead__score_subject_clear(&s);
    lead_contact_free(c);
    return rc;
}

/* The figures of entry e of model m at t, as lead__es_kept() gives them. */
static int kept_figures(const lead__es_model *m, const lead__es_entry *e, int64_t t,
                        int64_t out[3])
{
    if (e->st.has_last && t < e->st.last_time)
        return LEAD_ESTATE;
    int rc = lead__score_behaviour(&out[1], NULL, NULL, &m->model.def, &e->st, t);
    if (rc != LEAD_OK)
        return rc;
    out[0] = e->fit;
    out[2] = out[0] + out[1];
    return LEAD_OK;
}

int lead__es_kept(lead_engine *engine, const char *model_name, uint64_t id, int64_t t,
                  int64_t out[3])
{
    const lead__es_model *m = lead__es_find_model(engine, model_name);
    const lead__es_entry *e = m ? lead__es_table_find(&m->table, id) : NULL;
    return e ? kept_figures(m, e, t, out) : LEAD_ENOTFOUND;
}

int lead__es_facts(lead_engine *engine, uint64_t id, uint64_t event_count, int64_t t,
                   lead_segment_facts *facts)
{
    size_t n = engine->scores ? engine->scores->n : 0;
    int rc = LEAD_OK;
    for (size_t k = 0; rc == LEAD_OK && k < n; k++) {
        const lead__es_model *m = engine->scores->models[k];
        const lead__es_entry *e = lead__es_table_find(&m->table, id);
        int64_t kept[3];
        /* Kept state that another engine's writes left behind is stale. */
        rc = e && e->seen == event_count ? kept_figures(m, e, t, kept) : LEAD_ENOTFOUND;
        if (rc == LEAD_OK) {
            rc = lead_segment_facts_set_scores(facts, m->name, kept[0], kept[1], kept[2],
                                               e->grade);
        } else if (rc == LEAD_ESTATE || rc == LEAD_ENOTFOUND) {
            /* Scores of the past, or a contact kept state does not cover. */
            lead_score_result *r = NULL;
            rc = lead_engine_score(&r, engine, m->name, id, t);
            if (rc == LEAD_OK)
                rc = lead_segment_facts_set_result(facts, m->name, r);
            lead_score_result_free(r);
        }
    }
    return rc;
}
