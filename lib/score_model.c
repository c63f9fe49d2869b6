/* The scoring model handle: its definition, life cycle and deep copy. */
#include "score.h"

#include <string.h>

const char *lead__score_dim_name(int i)
{
    static const char *const names[LEAD__DIM_COUNT] = {"profile", "budget", "authority", "need",
                                                       "timeline"};
    return names[i];
}

void lead__score_def_defaults(lead__score_def *def)
{
    memset(def, 0, sizeof *def);
    static const int32_t grades[4] = {80, 60, 40, 20};
    memcpy(def->grade_min, grades, sizeof grades);
    for (int i = 0; i < 4; i++)
        def->bant_min[i] = 1;
}

static void behaviour_rule_clear(const lead__mem *mem, lead__behaviour_rule *r)
{
    lead__free(mem, r->type);
    lead__free(mem, r->channel);
    lead__free(mem, r->campaign);
    lead__free(mem, r->prop_name);
    lead__free(mem, r->prop_value);
}

void lead__score_def_clear(const lead__mem *mem, lead__score_def *def)
{
    lead__free(mem, def->name);
    for (size_t i = 0; i < def->nfit; i++)
        lead__field_test_clear(mem, &def->fit[i].test);
    lead__free(mem, def->fit);
    for (size_t i = 0; i < def->nbeh; i++)
        behaviour_rule_clear(mem, &def->beh[i]);
    lead__free(mem, def->beh);
    lead__free(mem, def->stages);
    lead__score_def_defaults(def);
}

/* Copies an optional string; LEAD_ENOMEM only when src was set. */
static int dup_opt(const lead__mem *mem, char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return LEAD_OK;
    *dst = lead__strdup(mem, src);
    return *dst ? LEAD_OK : LEAD_ENOMEM;
}

static int fit_rule_copy(const lead__mem *mem, lead__fit_rule *dst, const lead__fit_rule *src)
{
    *dst = *src;
    return lead__field_test_copy(mem, &dst->test, &src->test);
}

static int behaviour_rule_copy(const lead__mem *mem, lead__behaviour_rule *dst,
                               const lead__behaviour_rule *src)
{
    *dst = *src;
    dst->type = dst->channel = dst->campaign = dst->prop_name = dst->prop_value = NULL;
    if (dup_opt(mem, &dst->type, src->type) || dup_opt(mem, &dst->channel, src->channel) ||
        dup_opt(mem, &dst->campaign, src->campaign) ||
        dup_opt(mem, &dst->prop_name, src->prop_name) ||
        dup_opt(mem, &dst->prop_value, src->prop_value))
        return LEAD_ENOMEM;
    return LEAD_OK;
}

int lead__score_def_copy(const lead__mem *mem, lead__score_def *dst, const lead__score_def *src)
{
    *dst = *src;
    dst->name = NULL;
    dst->fit = NULL;
    dst->beh = NULL;
    dst->stages = NULL;
    dst->nfit = dst->capfit = dst->nbeh = dst->capbeh = dst->nstages = dst->capstages = 0;
    int rc = dup_opt(mem, &dst->name, src->name);
    if (rc == LEAD_OK && src->nfit) {
        dst->fit = lead__calloc(mem, src->nfit, sizeof *dst->fit);
        rc = dst->fit ? LEAD_OK : LEAD_ENOMEM;
        dst->capfit = dst->fit ? src->nfit : 0;
        /* The loop counts a half-copied rule too, so clearing frees its parts. */
        for (; rc == LEAD_OK && dst->nfit < src->nfit; dst->nfit++)
            rc = fit_rule_copy(mem, &dst->fit[dst->nfit], &src->fit[dst->nfit]);
    }
    if (rc == LEAD_OK && src->nbeh) {
        dst->beh = lead__calloc(mem, src->nbeh, sizeof *dst->beh);
        rc = dst->beh ? LEAD_OK : LEAD_ENOMEM;
        dst->capbeh = dst->beh ? src->nbeh : 0;
        for (; rc == LEAD_OK && dst->nbeh < src->nbeh; dst->nbeh++)
            rc = behaviour_rule_copy(mem, &dst->beh[dst->nbeh], &src->beh[dst->nbeh]);
    }
    if (rc == LEAD_OK && src->nstages) {
        dst->stages = lead__calloc(mem, src->nstages, sizeof *dst->stages);
        rc = dst->stages ? LEAD_OK : LEAD_ENOMEM;
        if (dst->stages) {
            memcpy(dst->stages, src->stages, src->nstages * sizeof *src->stages);
            dst->nstages = dst->capstages = src->nstages;
        }
    }
    if (rc != LEAD_OK)
        lead__score_def_clear(mem, dst);
    return rc;
}

int lead_score_model_new(lead_score_model **out, const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_score_model *model = lead__calloc(&mem, 1, sizeof *model);
    if (!model)
        return LEAD_ENOMEM;
    model->mem = mem;
    lead__score_def_defaults(&model->def);
    *out = model;
    return LEAD_OK;
}

void lead_score_model_free(lead_score_model *model)
{
    if (!model)
        return;
    lead__mem mem = model->mem;
    lead__score_def_clear(&mem, &model->def);
    lead__free(&mem, model);
}

int lead_score_model_error(const lead_score_model *model, uint32_t *out_line,
                           uint32_t *out_column, const char **out_message)
{
    if (!model)
        return LEAD_EINVAL;
    if (out_line)
        *out_line = model->err_line;
    if (out_column)
        *out_column = model->err_col;
    if (out_message)
        *out_message = model->errmsg;
    return LEAD_OK;
}

int lead_score_model_rule_counts(const lead_score_model *model, size_t *out_fit,
                                 size_t *out_behaviour)
{
    if (!model)
        return LEAD_EINVAL;
    if (out_fit)
        *out_fit = model->def.nfit;
    if (out_behaviour)
        *out_behaviour = model->def.nbeh;
    return LEAD_OK;
}
