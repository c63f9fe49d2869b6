/* The score result handle: scores, grade, BANT flags, stage and the
 * explanation items, read through getters. */
#include "score.h"

#include <string.h>

void lead_score_result_free(lead_score_result *result)
{
    if (!result)
        return;
    lead__mem mem = result->mem;
    lead__free(&mem, result);
}

int lead_score_result_scores(const lead_score_result *result, int64_t *out_fit,
                             int64_t *out_behaviour, int64_t *out_total)
{
    if (!result)
        return LEAD_EINVAL;
    if (out_fit)
        *out_fit = result->fit;
    if (out_behaviour)
        *out_behaviour = result->behaviour;
    if (out_total)
        *out_total = result->total;
    return LEAD_OK;
}

int lead_score_result_grade(const lead_score_result *result, char *out_grade)
{
    if (!result || !out_grade)
        return LEAD_EINVAL;
    *out_grade = result->grade;
    return LEAD_OK;
}

int lead_score_result_bant(const lead_score_result *result, uint32_t *out_mask)
{
    if (!result || !out_mask)
        return LEAD_EINVAL;
    *out_mask = result->bant_mask;
    return LEAD_OK;
}

int lead_score_result_stage(const lead_score_result *result, int32_t *out_stage,
                            size_t *out_rule)
{
    if (!result)
        return LEAD_EINVAL;
    if (result->stage < 0)
        return LEAD_ENOTFOUND;
    if (out_stage)
        *out_stage = result->stage;
    if (out_rule)
        *out_rule = result->stage_rule;
    return LEAD_OK;
}

int lead_score_item_init(lead_score_item *item, uint32_t struct_size)
{
    lead_score_item init = LEAD_SCORE_ITEM_INIT;
    return lead__init_versioned(item, struct_size, &init, sizeof init);
}

int lead_score_result_item_count(const lead_score_result *result, size_t *out_count)
{
    if (!result || !out_count)
        return LEAD_EINVAL;
    *out_count = result->nitems;
    return LEAD_OK;
}

int lead_score_result_item(const lead_score_result *result, size_t i, lead_score_item *out)
{
    if (!result || !out)
        return LEAD_EINVAL;
    uint32_t size = out->struct_size, version = out->version;
    if (size < 2 * sizeof(uint32_t))
        return LEAD_EINVAL;
    if (version == 0 || version > LEAD_SCORE_ITEM_VERSION)
        return LEAD_EVERSION;
    if (i >= result->nitems)
        return LEAD_ENOTFOUND;
    lead_score_item item = result->items[i];
    item.struct_size = size;
    item.version = version;
    memcpy(out, &item, size < sizeof item ? size : sizeof item);
    return LEAD_OK;
}
