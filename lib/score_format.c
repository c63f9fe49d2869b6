/* Writing a scoring model as canonical text: fixed directive order, one
 * space between tokens, "\n" line ends, durations in their largest exact
 * unit. Parsing the output and formatting again gives the same bytes. */
#include "score.h"

#include <string.h>


static void format_fit(lead__out *o, const lead__fit_rule *r)
{
    lead__out_str(o, "fit ");
    lead__out_str(o, lead__score_dim_name(r->dim));
    lead__out_int(o, r->points);
    lead__field_test_format(o, &r->test);
    lead__out_str(o, "\n");
}

static void format_behaviour(lead__out *o, const lead__behaviour_rule *r)
{
    lead__out_str(o, "behaviour");
    lead__out_int(o, r->points);
    lead__out_str(o, " ");
    lead__out_str(o, r->type);
    if (r->channel) {
        lead__out_str(o, " channel");
        lead__out_string(o, r->channel);
    }
    if (r->campaign) {
        lead__out_str(o, " campaign");
        lead__out_string(o, r->campaign);
    }
    if (r->prop_name) {
        lead__out_str(o, " property");
        lead__out_string(o, r->prop_name);
        lead__out_string(o, r->prop_value);
    }
    if (r->cap_n == 1 && r->cap_window_ms == 0) {
        lead__out_str(o, " once");
    } else if (r->cap_n) {
        lead__out_str(o, " cap");
        lead__out_int(o, r->cap_n);
        if (r->cap_window_ms) {
            lead__out_str(o, " per");
            lead__out_duration(o, r->cap_window_ms);
        }
    }
    if (r->has_half_life) {
        lead__out_str(o, " half-life");
        lead__out_duration(o, r->half_life_ms);
    }
    lead__out_str(o, "\n");
}

static void format_stage(lead__out *o, const lead__stage_rule *s)
{
    lead__out_str(o, "stage ");
    lead__out_str(o, lead_stage_name(s->stage));
    if (s->conds & LEAD__COND_FIT) {
        lead__out_str(o, " fit");
        lead__out_int(o, s->fit);
    }
    if (s->conds & LEAD__COND_BEHAVIOUR) {
        lead__out_str(o, " behaviour");
        lead__out_int(o, s->behaviour);
    }
    if (s->conds & LEAD__COND_TOTAL) {
        lead__out_str(o, " total");
        lead__out_int(o, s->total);
    }
    if (s->conds & LEAD__COND_BANT) {
        lead__out_str(o, " bant");
        lead__out_int(o, s->bant);
    }
    if (s->conds & LEAD__COND_GRADE) {
        char g[4] = {' ', s->grade, '\0', '\0'};
        lead__out_str(o, " grade");
        lead__out_str(o, g);
    }
    lead__out_str(o, "\n");
}

static void format_def(lead__out *o, const lead__score_def *d)
{
    lead__out_str(o, "liblead-score 1\n");
    if (d->name) {
        lead__out_str(o, "name");
        lead__out_string(o, d->name);
        lead__out_str(o, "\n");
    }
    lead__out_str(o, "half-life");
    lead__out_duration(o, d->half_life_ms);
    lead__out_str(o, "\n");
    for (int g = 0; g < 4; g++) {
        char line[8] = {'g', 'r', 'a', 'd', 'e', ' ', (char)('A' + g), '\0'};
        lead__out_str(o, line);
        lead__out_int(o, d->grade_min[g]);
        lead__out_str(o, "\n");
    }
    for (int dim = 1; dim < LEAD__DIM_COUNT; dim++) {
        lead__out_str(o, "bant ");
        lead__out_str(o, lead__score_dim_name(dim));
        lead__out_int(o, d->bant_min[dim - 1]);
        lead__out_str(o, "\n");
    }
    for (size_t i = 0; i < d->nfit; i++)
        format_fit(o, &d->fit[i]);
    for (size_t i = 0; i < d->nbeh; i++)
        format_behaviour(o, &d->beh[i]);
    if (d->has_cap) {
        lead__out_str(o, "behaviour-cap");
        lead__out_int(o, d->cap);
        lead__out_str(o, "\n");
    }
    if (d->has_floor) {
        lead__out_str(o, "behaviour-floor");
        lead__out_int(o, d->floor);
        lead__out_str(o, "\n");
    }
    for (size_t i = 0; i < d->nstages; i++)
        format_stage(o, &d->stages[i]);
}

int lead_score_model_format(const lead_score_model *model, char *buf, size_t cap,
                            size_t *out_len)
{
    if (!model || !out_len || (!buf && cap > 0))
        return LEAD_EINVAL;
    lead__out o = {buf, cap, 0};
    format_def(&o, &model->def);
    return lead__out_finish(&o, out_len);
}
