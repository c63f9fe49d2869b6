/* Thresholds: which stage a score reaches, and whether that moves a
 * contact forward. */
#include "score.h"

static int popcount4(uint32_t m)
{
    return (int)((m & 1u) + ((m >> 1) & 1u) + ((m >> 2) & 1u) + ((m >> 3) & 1u));
}

static int stage_met(const lead__stage_rule *s, const lead_score_result *r)
{
    return (!(s->conds & LEAD__COND_FIT) || r->fit >= (int64_t)s->fit * 100) &&
           (!(s->conds & LEAD__COND_BEHAVIOUR) || r->behaviour >= (int64_t)s->behaviour * 100) &&
           (!(s->conds & LEAD__COND_TOTAL) || r->total >= (int64_t)s->total * 100) &&
           (!(s->conds & LEAD__COND_BANT) || popcount4(r->bant_mask) >= s->bant) &&
           (!(s->conds & LEAD__COND_GRADE) || r->grade <= s->grade);
}

void lead__score_pick_stage(lead_score_result *r, const lead__score_def *def)
{
    r->stage = -1;
    for (size_t i = 0; i < def->nstages; i++) {
        const lead__stage_rule *s = &def->stages[i];
        if (s->stage > r->stage && stage_met(s, r)) {
            r->stage = s->stage;
            r->stage_rule = i;
        }
    }
}

int lead__score_stage_advance(const lead_score_result *r, int current, int *out_stage,
                              size_t *out_rule)
{
    if (r->stage < 0 || (current >= 0 && !lead_stage_is_ordered(current)) ||
        r->stage <= current)
        return 0;
    *out_stage = r->stage;
    *out_rule = r->stage_rule;
    return 1;
}
