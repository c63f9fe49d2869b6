/* The segment handle: life cycle, name, parse errors and consent names. */
#include "segment.h"

const char *lead_consent_state_name(int state)
{
    static const char *const names[LEAD_CONSENT_STATE_COUNT] = {
        "not-set", "pending", "subscribed", "unsubscribed", "bounced"};
    return state >= 0 && state < LEAD_CONSENT_STATE_COUNT ? names[state] : NULL;
}

int lead_segment_new(lead_segment **out, const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_segment *seg = lead__calloc(&mem, 1, sizeof *seg);
    if (!seg)
        return LEAD_ENOMEM;
    seg->mem = mem;
    *out = seg;
    return LEAD_OK;
}

void lead__seg_conds_free(const lead__mem *mem, lead__seg_cond *conds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lead__seg_cond *c = &conds[i];
        lead__field_test_clear(mem, &c->field);
        lead__free(mem, c->name);
        lead__free(mem, c->channel);
        lead__free(mem, c->campaign);
        lead__free(mem, c->prop_name);
        lead__free(mem, c->prop_value);
    }
    lead__free(mem, conds);
}

void lead_segment_free(lead_segment *segment)
{
    if (!segment)
        return;
    lead__mem mem = segment->mem;
    lead__free(&mem, segment->name);
    lead__seg_conds_free(&mem, segment->conds, segment->nconds);
    lead__free(&mem, segment->trace);
    lead__free(&mem, segment);
}

int lead_segment_error(const lead_segment *segment, uint32_t *out_line, uint32_t *out_column,
                       const char **out_message)
{
    if (!segment)
        return LEAD_EINVAL;
    if (out_line)
        *out_line = segment->err_line;
    if (out_column)
        *out_column = segment->err_col;
    if (out_message)
        *out_message = segment->errmsg;
    return LEAD_OK;
}

int lead_segment_name(const lead_segment *segment, const char **out_name)
{
    if (!segment || !out_name)
        return LEAD_EINVAL;
    *out_name = segment->name ? segment->name : "";
    return LEAD_OK;
}

int lead_segment_condition_count(const lead_segment *segment, size_t *out_count)
{
    if (!segment || !out_count)
        return LEAD_EINVAL;
    /* conds[0], the implicit top-level all, is not written in the text. */
    *out_count = segment->nconds ? segment->nconds - 1 : 0;
    return LEAD_OK;
}
