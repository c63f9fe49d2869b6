/* Reading the scoring model text format (docs/scoring-model.md). The input
 * is any bytes: every token is bounds-checked against the line it is on. */
#include "score.h"

#include <stdio.h>
#include <string.h>

typedef struct parser {
    lead__text tx;
    lead__score_def def;
    int seen_header;
} parser;

static int fail(parser *p, size_t col, int rc, const char *msg)
{
    return lead__text_fail(&p->tx, col, rc, msg), 0;
}

static int grow(parser *p, void **items, size_t *cap, size_t n, size_t elem, size_t col)
{
    if (n >= LEAD__SCORE_MAX_RULES)
        return fail(p, col, LEAD_ELIMIT, "more than 4096 rules of one kind");
    if (lead__grow(p->tx.mem, items, cap, n + 1, elem) != LEAD_OK)
        return fail(p, col, LEAD_ENOMEM, "out of memory");
    return 1;
}

static int expect_points(parser *p, int32_t *out)
{
    int64_t v;
    if (!lead__text_expect_int(&p->tx, -LEAD__SCORE_MAX_POINTS, LEAD__SCORE_MAX_POINTS, &v,
                               "points"))
        return 0;
    *out = (int32_t)v;
    return 1;
}

static int parse_fit(parser *p, size_t col)
{
    lead__score_def *d = &p->def;
    if (!grow(p, (void **)&d->fit, &d->capfit, d->nfit, sizeof *d->fit, col))
        return 0;
    lead__fit_rule *r = &d->fit[d->nfit];
    memset(r, 0, sizeof *r);
    d->nfit++; /* counted now so that a failure frees what was read */
    lead__token t;
    if (!lead__text_expect_word(&p->tx, &t, "a dimension"))
        return 0;
    r->dim = lead__token_lookup_fn(&t, lead__score_dim_name, LEAD__DIM_COUNT);
    if (r->dim < 0)
        return fail(p, t.col, LEAD_EFORMAT,
                    "expected budget, authority, need, timeline or profile");
    return expect_points(p, &r->points) && lead__field_test_parse(&p->tx, &r->test);
}

static int parse_behaviour(parser *p, size_t col)
{
    lead__score_def *d = &p->def;
    if (!grow(p, (void **)&d->beh, &d->capbeh, d->nbeh, sizeof *d->beh, col))
        return 0;
    lead__behaviour_rule *r = &d->beh[d->nbeh];
    memset(r, 0, sizeof *r);
    d->nbeh++;
    if (!expect_points(p, &r->points) ||
        !lead__text_expect_ident(&p->tx, &r->type, "an event type"))
        return 0;
    int seen_channel = 0, seen_campaign = 0, seen_prop = 0, seen_cap = 0;
    lead__token t;
    while (lead__text_next(&p->tx, &t)) {
        if (lead__token_is(&t, "channel")) {
            if (!lead__text_once(&p->tx, &seen_channel, &t) ||
                !lead__text_expect_string(&p->tx, &r->channel, "a channel"))
                return 0;
        } else if (lead__token_is(&t, "campaign")) {
            if (!lead__text_once(&p->tx, &seen_campaign, &t) ||
                !lead__text_expect_string(&p->tx, &r->campaign, "a campaign"))
                return 0;
        } else if (lead__token_is(&t, "property")) {
            if (!lead__text_once(&p->tx, &seen_prop, &t) ||
                !lead__text_expect_string(&p->tx, &r->prop_name, "a property name") ||
                !lead__text_expect_string(&p->tx, &r->prop_value, "a property value"))
                return 0;
        } else if (lead__token_is(&t, "once")) {
            if (!lead__text_once(&p->tx, &seen_cap, &t))
                return 0;
            r->cap_n = 1;
        } else if (lead__token_is(&t, "cap")) {
            int64_t n;
            if (!lead__text_once(&p->tx, &seen_cap, &t) ||
                !lead__text_expect_int(&p->tx, 1, LEAD__SCORE_MAX_CAP, &n, "a count"))
                return 0;
            r->cap_n = (uint32_t)n;
            size_t save = p->tx.pos;
            lead__token per;
            if (lead__text_next(&p->tx, &per) && lead__token_is(&per, "per")) {
                if (!lead__text_expect_duration(&p->tx, &r->cap_window_ms, 0))
                    return 0;
            } else {
                p->tx.pos = save;
            }
        } else if (lead__token_is(&t, "half-life")) {
            if (!lead__text_once(&p->tx, &r->has_half_life, &t) ||
                !lead__text_expect_duration(&p->tx, &r->half_life_ms, 1))
                return 0;
        } else {
            return fail(p, t.col, LEAD_EFORMAT,
                        "expected channel, campaign, property, once, cap or half-life");
        }
    }
    return p->tx.rc == LEAD_OK;
}

static int parse_stage(parser *p, size_t col)
{
    lead__score_def *d = &p->def;
    if (!grow(p, (void **)&d->stages, &d->capstages, d->nstages, sizeof *d->stages, col))
        return 0;
    lead__stage_rule *s = &d->stages[d->nstages];
    memset(s, 0, sizeof *s);
    lead__token t;
    if (!lead__text_expect_word(&p->tx, &t, "a stage"))
        return 0;
    s->stage = lead__token_lookup_fn(&t, lead_stage_name, LEAD_STAGE_EVANGELIST + 1);
    if (s->stage < 0)
        return fail(p, t.col, LEAD_EFORMAT,
                    "expected subscriber, lead, mql, sql, opportunity, customer or evangelist");
    static const char *const conds[] = {"fit", "behaviour", "total", "bant", "grade"};
    while (lead__text_next(&p->tx, &t)) {
        int c = lead__token_lookup(&t, conds, 5);
        if (c < 0)
            return fail(p, t.col, LEAD_EFORMAT, "expected fit, behaviour, total, bant or grade");
        unsigned bit = 1u << c;
        if (s->conds & bit)
            return fail(p, t.col, LEAD_EFORMAT, "condition given twice");
        s->conds |= bit;
        int64_t v = 0;
        if (bit == LEAD__COND_GRADE) {
            lead__token g;
            if (!lead__text_expect_word(&p->tx, &g, "a grade"))
                return 0;
            if (g.len != 1 || !strchr("ABCDF", g.start[0]))
                return fail(p, g.col, LEAD_EFORMAT, "expected a grade A, B, C, D or F");
            s->grade = g.start[0];
        } else if (bit == LEAD__COND_BANT) {
            if (!lead__text_expect_int(&p->tx, 0, 4, &v, "a count of dimensions"))
                return 0;
            s->bant = (int32_t)v;
        } else {
            int64_t lim = bit == LEAD__COND_FIT ? 100 : INT64_C(1000000000);
            if (!lead__text_expect_int(&p->tx, bit == LEAD__COND_FIT ? 0 : -lim, lim, &v, "points"))
                return 0;
            if (bit == LEAD__COND_FIT)
                s->fit = (int32_t)v;
            else if (bit == LEAD__COND_BEHAVIOUR)
                s->behaviour = (int32_t)v;
            else
                s->total = (int32_t)v;
        }
    }
    if (p->tx.rc != LEAD_OK)
        return 0;
    if (!s->conds)
        return fail(p, p->tx.pos, LEAD_EFORMAT, "a stage needs at least one condition");
    d->nstages++;
    return 1;
}

static int parse_directive(lead__text *tx, void *ctx)
{
    parser *p = ctx;
    (void)tx;
    lead__token t;
    if (!lead__text_next(&p->tx, &t))
        return p->tx.rc == LEAD_OK;
    lead__score_def *d = &p->def;
    if (!p->seen_header) {
        int64_t v;
        if (!lead__token_is(&t, "liblead-score"))
            return fail(p, t.col, LEAD_EFORMAT, "expected the header liblead-score 1");
        if (!lead__text_expect_int(&p->tx, 1, 1, &v, "the format version 1"))
            return 0;
        p->seen_header = 1;
    } else if (lead__token_is(&t, "name")) {
        if (d->name)
            return fail(p, t.col, LEAD_EFORMAT, "name given twice");
        if (!lead__text_expect_string(&p->tx, &d->name, "a name"))
            return 0;
    } else if (lead__token_is(&t, "half-life")) {
        if (!lead__text_expect_duration(&p->tx, &d->half_life_ms, 1))
            return 0;
    } else if (lead__token_is(&t, "grade")) {
        lead__token g;
        int64_t v;
        if (!lead__text_expect_word(&p->tx, &g, "a grade"))
            return 0;
        if (g.len != 1 || g.start[0] < 'A' || g.start[0] > 'D')
            return fail(p, g.col, LEAD_EFORMAT, "expected a grade A, B, C or D");
        if (!lead__text_expect_int(&p->tx, 0, 100, &v, "a fit score"))
            return 0;
        d->grade_min[g.start[0] - 'A'] = (int32_t)v;
    } else if (lead__token_is(&t, "bant")) {
        lead__token g;
        int64_t v;
        if (!lead__text_expect_word(&p->tx, &g, "a dimension"))
            return 0;
        int dim = lead__token_lookup_fn(&g, lead__score_dim_name, LEAD__DIM_COUNT);
        if (dim <= LEAD__DIM_PROFILE)
            return fail(p, g.col, LEAD_EFORMAT, "expected budget, authority, need or timeline");
        if (!lead__text_expect_int(&p->tx, 1, LEAD__SCORE_MAX_POINTS, &v, "a threshold"))
            return 0;
        d->bant_min[dim - 1] = (int32_t)v;
    } else if (lead__token_is(&t, "fit")) {
        if (!parse_fit(p, t.col))
            return 0;
    } else if (lead__token_is(&t, "behaviour")) {
        if (!parse_behaviour(p, t.col))
            return 0;
    } else if (lead__token_is(&t, "behaviour-cap") || lead__token_is(&t, "behaviour-floor")) {
        int is_cap = lead__token_is(&t, "behaviour-cap");
        int64_t v;
        if (!lead__text_expect_int(&p->tx, -INT64_C(1000000000), INT64_C(1000000000), &v, "points"))
            return 0;
        if (is_cap) {
            d->has_cap = 1;
            d->cap = (int32_t)v;
        } else {
            d->has_floor = 1;
            d->floor = (int32_t)v;
        }
    } else if (lead__token_is(&t, "stage")) {
        if (!parse_stage(p, t.col))
            return 0;
    } else {
        return fail(p, t.col, LEAD_EFORMAT, "unknown directive");
    }
    if (!lead__text_at_end(&p->tx))
        return fail(p, p->tx.pos, LEAD_EFORMAT, "unexpected text at the end of the line");
    return 1;
}

/* Checks what spans lines: grade bands in order, cap above floor. */
static int check_model(parser *p)
{
    const lead__score_def *d = &p->def;
    for (int g = 1; g < 4; g++)
        if (d->grade_min[g] > d->grade_min[g - 1])
            return fail(p, 0, LEAD_EFORMAT, "grade bands must not increase from A to D");
    if (d->has_cap && d->has_floor && d->cap < d->floor)
        return fail(p, 0, LEAD_EFORMAT, "behaviour-cap is below behaviour-floor");
    return 1;
}

int lead_score_model_parse(lead_score_model *model, const char *text, size_t len)
{
    if (!model || (!text && len > 0))
        return LEAD_EINVAL;
    parser p;
    memset(&p, 0, sizeof p);
    p.tx.mem = &model->mem;
    lead__score_def_defaults(&p.def);
    lead__text_lines(&p.tx, text, len, parse_directive, &p);
    if (p.tx.rc == LEAD_OK && !p.seen_header) {
        p.tx.lineno = 0;
        lead__text_fail(&p.tx, 0, LEAD_EFORMAT, "empty model: expected the header liblead-score 1");
        p.tx.err_col = 0;
    } else if (p.tx.rc == LEAD_OK && !check_model(&p)) {
        p.tx.lineno = 0;
        p.tx.err_col = 0;
    }
    if (p.tx.rc != LEAD_OK) {
        lead__score_def_clear(&model->mem, &p.def);
        model->err_line = p.tx.lineno;
        model->err_col = p.tx.lineno ? p.tx.err_col : 0;
        memcpy(model->errmsg, p.tx.msg, sizeof model->errmsg);
        return p.tx.rc;
    }
    lead__score_def_layout(&p.def);
    lead__score_def_clear(&model->mem, &model->def);
    model->def = p.def;
    model->err_line = model->err_col = 0;
    model->errmsg[0] = '\0';
    return LEAD_OK;
}
