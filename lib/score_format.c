/* Writing a scoring model as canonical text: fixed directive order, one
 * space between tokens, "\n" line ends, durations in their largest exact
 * unit. Parsing the output and formatting again gives the same bytes. */
#include "score.h"

#include <stdio.h>
#include <string.h>

/* Appends to a caller buffer, counting what would have been written. */
typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

static void put_int(out *o, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, " %lld", (long long)v);
    put(o, tmp, (size_t)n);
}

static void put_string(out *o, const char *s)
{
    put(o, " \"", 2);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            put(o, "\\", 1);
        put(o, s, 1);
    }
    put(o, "\"", 1);
}

static void put_duration(out *o, int64_t ms)
{
    if (ms == 0) {
        puts_(o, " none");
        return;
    }
    static const struct { const char *unit; int64_t ms; } units[] = {
        {"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};
    for (size_t u = 0;; u++) {
        if (ms % units[u].ms == 0) {
            put_int(o, ms / units[u].ms);
            puts_(o, units[u].unit);
            return;
        }
    }
}

static void format_fit(out *o, const lead__fit_rule *r)
{
    static const char *const ops[] = {"equals", "one-of", "contains", "range", "exists",
                                      "missing"};
    puts_(o, "fit ");
    puts_(o, lead__score_dim_name(r->dim));
    put_int(o, r->points);
    puts_(o, " ");
    puts_(o, r->field);
    puts_(o, " ");
    puts_(o, ops[r->op]);
    for (size_t i = 0; i < r->nvalues; i++)
        put_string(o, r->values[i]);
    if (r->op == LEAD__FIT_RANGE) {
        if (r->has_lo)
            put_int(o, r->lo);
        else
            puts_(o, " *");
        if (r->has_hi)
            put_int(o, r->hi);
        else
            puts_(o, " *");
    }
    puts_(o, "\n");
}

static void format_behaviour(out *o, const lead__behaviour_rule *r)
{
    puts_(o, "behaviour");
    put_int(o, r->points);
    puts_(o, " ");
    puts_(o, r->type);
    if (r->channel) {
        puts_(o, " channel");
        put_string(o, r->channel);
    }
    if (r->campaign) {
        puts_(o, " campaign");
        put_string(o, r->campaign);
    }
    if (r->prop_name) {
        puts_(o, " property");
        put_string(o, r->prop_name);
        put_string(o, r->prop_value);
    }
    if (r->cap_n == 1 && r->cap_window_ms == 0) {
        puts_(o, " once");
    } else if (r->cap_n) {
        puts_(o, " cap");
        put_int(o, r->cap_n);
        if (r->cap_window_ms) {
            puts_(o, " per");
            put_duration(o, r->cap_window_ms);
        }
    }
    if (r->has_half_life) {
        puts_(o, " half-life");
        put_duration(o, r->half_life_ms);
    }
    puts_(o, "\n");
}

static void format_stage(out *o, const lead__stage_rule *s)
{
    puts_(o, "stage ");
    puts_(o, lead_stage_name(s->stage));
    if (s->conds & LEAD__COND_FIT) {
        puts_(o, " fit");
        put_int(o, s->fit);
    }
    if (s->conds & LEAD__COND_BEHAVIOUR) {
        puts_(o, " behaviour");
        put_int(o, s->behaviour);
    }
    if (s->conds & LEAD__COND_TOTAL) {
        puts_(o, " total");
        put_int(o, s->total);
    }
    if (s->conds & LEAD__COND_BANT) {
        puts_(o, " bant");
        put_int(o, s->bant);
    }
    if (s->conds & LEAD__COND_GRADE) {
        char g[4] = {' ', s->grade, '\0', '\0'};
        puts_(o, " grade");
        puts_(o, g);
    }
    puts_(o, "\n");
}

static void format_def(out *o, const lead__score_def *d)
{
    puts_(o, "liblead-score 1\n");
    if (d->name) {
        puts_(o, "name");
        put_string(o, d->name);
        puts_(o, "\n");
    }
    puts_(o, "half-life");
    put_duration(o, d->half_life_ms);
    puts_(o, "\n");
    for (int g = 0; g < 4; g++) {
        char line[8] = {'g', 'r', 'a', 'd', 'e', ' ', (char)('A' + g), '\0'};
        puts_(o, line);
        put_int(o, d->grade_min[g]);
        puts_(o, "\n");
    }
    for (int dim = 1; dim < LEAD__DIM_COUNT; dim++) {
        puts_(o, "bant ");
        puts_(o, lead__score_dim_name(dim));
        put_int(o, d->bant_min[dim - 1]);
        puts_(o, "\n");
    }
    for (size_t i = 0; i < d->nfit; i++)
        format_fit(o, &d->fit[i]);
    for (size_t i = 0; i < d->nbeh; i++)
        format_behaviour(o, &d->beh[i]);
    if (d->has_cap) {
        puts_(o, "behaviour-cap");
        put_int(o, d->cap);
        puts_(o, "\n");
    }
    if (d->has_floor) {
        puts_(o, "behaviour-floor");
        put_int(o, d->floor);
        puts_(o, "\n");
    }
    for (size_t i = 0; i < d->nstages; i++)
        format_stage(o, &d->stages[i]);
}

int lead_score_model_format(const lead_score_model *model, char *buf, size_t cap,
                            size_t *out_len)
{
    if (!model || !out_len || (!buf && cap > 0))
        return LEAD_EINVAL;
    out o = {buf, cap, 0};
    format_def(&o, &model->def);
    *out_len = o.len;
    if (o.len >= cap) {
        if (cap)
            buf[cap - 1] = '\0';
        return LEAD_ELIMIT;
    }
    buf[o.len] = '\0';
    return LEAD_OK;
}
