/* Writing a segment as canonical text: the header, the name, then one
 * condition per line indented two spaces per group level, options in a
 * fixed order, defaults left out. */
#include "segment.h"

static const char *const score_parts[] = {"fit", "behaviour", "total"};
static const char *const stage_ops[] = {"is", "at-least", "at-most"};

static void format_did(lead__out *o, const lead__seg_cond *c)
{
    lead__out_str(o, "did ");
    lead__out_str(o, c->name);
    if (c->channel) {
        lead__out_str(o, " channel");
        lead__out_string(o, c->channel);
    }
    if (c->campaign) {
        lead__out_str(o, " campaign");
        lead__out_string(o, c->campaign);
    }
    if (c->prop_name) {
        lead__out_str(o, " property");
        lead__out_string(o, c->prop_name);
        lead__out_string(o, c->prop_value);
    }
    if (c->at_least != 1) {
        lead__out_str(o, " at-least");
        lead__out_int(o, c->at_least);
    }
    if (c->within_ms) {
        lead__out_str(o, " within");
        lead__out_duration(o, c->within_ms);
    }
}

static void format_cond(lead__out *o, const lead__seg_cond *c)
{
    for (uint32_t d = 0; d < c->depth; d++)
        lead__out_str(o, "  ");
    if (c->negate)
        lead__out_str(o, "not ");
    switch (c->kind) {
    case LEAD__SEG_ALL: lead__out_str(o, "all"); break;
    case LEAD__SEG_ANY: lead__out_str(o, "any"); break;
    case LEAD__SEG_FIELD:
        lead__out_str(o, "field");
        lead__field_test_format(o, &c->field);
        break;
    case LEAD__SEG_STAGE:
        lead__out_str(o, "stage ");
        lead__out_str(o, stage_ops[c->stage_op]);
        lead__out_str(o, " ");
        lead__out_str(o, lead_stage_name(c->stage));
        break;
    case LEAD__SEG_SCORE:
        lead__out_str(o, "score");
        lead__out_string(o, c->name);
        lead__out_str(o, " ");
        lead__out_str(o, score_parts[c->part]);
        lead__out_range(o, c->has_lo, c->lo, c->has_hi, c->hi);
        break;
    case LEAD__SEG_GRADE:
        lead__out_str(o, "grade");
        lead__out_string(o, c->name);
        for (int g = 0; g < 6; g++) {
            char grade[3] = {' ', (char)('A' + g), '\0'};
            if (c->set & (1u << g))
                lead__out_str(o, grade);
        }
        break;
    case LEAD__SEG_CONSENT:
        lead__out_str(o, "consent ");
        lead__out_str(o, c->name);
        for (int s = 0; s < LEAD_CONSENT_STATE_COUNT; s++) {
            if (c->set & (1u << s)) {
                lead__out_str(o, " ");
                lead__out_str(o, lead_consent_state_name(s));
            }
        }
        break;
    default: format_did(o, c); break;
    }
    lead__out_str(o, "\n");
}

/* Writes conds[first .. end) and the `end` lines of the groups among them. */
static void format_range(lead__out *o, const lead__seg_cond *conds, size_t first, size_t end)
{
    for (size_t i = first; i < end; i = conds[i].end) {
        format_cond(o, &conds[i]);
        if (conds[i].kind == LEAD__SEG_ALL || conds[i].kind == LEAD__SEG_ANY) {
            format_range(o, conds, i + 1, conds[i].end);
            for (uint32_t d = 0; d < conds[i].depth; d++)
                lead__out_str(o, "  ");
            lead__out_str(o, "end\n");
        }
    }
}

int lead_segment_format(const lead_segment *segment, char *buf, size_t cap, size_t *out_len)
{
    if (!segment || !out_len || (!buf && cap > 0))
        return LEAD_EINVAL;
    lead__out o = {buf, cap, 0};
    lead__out_str(&o, "liblead-segment 1\n");
    if (segment->name) {
        lead__out_str(&o, "name");
        lead__out_string(&o, segment->name);
        lead__out_str(&o, "\n");
    }
    if (segment->nconds)
        format_range(&o, segment->conds, 1, segment->nconds);
    return lead__out_finish(&o, out_len);
}

/* Mirrors format_range, counting lines instead of writing them. */
static uint32_t number_range(lead_segment *seg, size_t first, size_t end, uint32_t line)
{
    for (size_t i = first; i < end; i = seg->conds[i].end) {
        seg->trace[i].line = ++line;
        int kind = seg->conds[i].kind;
        if (kind == LEAD__SEG_ALL || kind == LEAD__SEG_ANY)
            line = number_range(seg, i + 1, seg->conds[i].end, line) + 1;
    }
    return line;
}

void lead__seg_number_lines(lead_segment *seg)
{
    if (seg->nconds)
        number_range(seg, 1, seg->nconds, seg->name ? 2 : 1);
}
