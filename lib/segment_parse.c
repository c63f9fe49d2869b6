/* Reading the segment text format (docs/segments.md): the header, a name,
 * and one condition per line, with all / any groups closed by end. The
 * input is any bytes. */
#include "segment.h"

#include <string.h>

typedef struct parser {
    lead__text tx;
    int seen_header;
    char *name;
    lead__seg_cond *conds;
    size_t n, cap;
    /* Open groups: open[0] is the top level; the others remember where
     * they were opened, for the error when one is never closed. */
    size_t open[LEAD__SEGMENT_MAX_DEPTH + 1];
    uint32_t open_line[LEAD__SEGMENT_MAX_DEPTH + 1], open_col[LEAD__SEGMENT_MAX_DEPTH + 1];
    size_t nopen;
} parser;

static const char *const kinds[] = {"all", "any", "field", "stage", "score", "grade", "consent",
                                    "did"};

static int fail(parser *p, size_t col, int rc, const char *msg)
{
    return lead__text_fail(&p->tx, col, rc, msg), 0;
}

static int parse_stage(parser *p, lead__seg_cond *c)
{
    static const char *const ops[] = {"is", "at-least", "at-most"};
    lead__token t;
    if (!lead__text_expect_word(&p->tx, &t, "is, at-least or at-most"))
        return 0;
    c->stage_op = lead__token_lookup(&t, ops, 3);
    if (c->stage_op < 0)
        return fail(p, t.col, LEAD_EFORMAT, "expected is, at-least or at-most");
    if (!lead__text_expect_word(&p->tx, &t, "a stage"))
        return 0;
    c->stage = lead__token_lookup_fn(&t, lead_stage_name, LEAD_STAGE_COUNT);
    if (c->stage < 0)
        return fail(p, t.col, LEAD_EFORMAT, "expected a stage name such as lead, mql or sql");
    if (c->stage_op != LEAD__SEG_STAGE_IS && !lead_stage_is_ordered(c->stage))
        return fail(p, t.col, LEAD_EFORMAT,
                    "at-least and at-most take a stage from subscriber to evangelist");
    return 1;
}

static int parse_score(parser *p, lead__seg_cond *c)
{
    static const char *const parts[] = {"fit", "behaviour", "total"};
    lead__token t;
    if (!lead__text_expect_string(&p->tx, &c->name, "a model name") ||
        !lead__text_expect_word(&p->tx, &t, "fit, behaviour or total"))
        return 0;
    c->part = lead__token_lookup(&t, parts, 3);
    if (c->part < 0)
        return fail(p, t.col, LEAD_EFORMAT, "expected fit, behaviour or total");
    return lead__text_expect_range(&p->tx, &c->has_lo, &c->lo, &c->has_hi, &c->hi);
}

/* Adds bit `bit` to c->set, refusing duplicates. */
static int add_to_set(parser *p, lead__seg_cond *c, int bit, const lead__token *t,
                      const char *what)
{
    if (c->set & (1u << bit))
        return fail(p, t->col, LEAD_EFORMAT, what);
    c->set |= 1u << bit;
    return 1;
}

static int parse_grade(parser *p, lead__seg_cond *c)
{
    static const char *const grades[] = {"A", "B", "C", "D", "E", "F"};
    if (!lead__text_expect_string(&p->tx, &c->name, "a model name"))
        return 0;
    lead__token t;
    while (lead__text_next(&p->tx, &t)) {
        int g = lead__token_lookup(&t, grades, 6);
        if (g < 0 || g == 4)
            return fail(p, t.col, LEAD_EFORMAT, "expected a grade A, B, C, D or F");
        if (!add_to_set(p, c, g, &t, "grade given twice"))
            return 0;
    }
    if (p->tx.rc == LEAD_OK && !c->set)
        return fail(p, p->tx.pos, LEAD_EFORMAT, "expected a grade A, B, C, D or F");
    return p->tx.rc == LEAD_OK;
}

static int parse_consent(parser *p, lead__seg_cond *c)
{
    if (!lead__text_expect_ident(&p->tx, &c->name, "a purpose"))
        return 0;
    lead__token t;
    while (lead__text_next(&p->tx, &t)) {
        int s = lead__token_lookup_fn(&t, lead_consent_state_name, LEAD_CONSENT_STATE_COUNT);
        if (s < 0)
            return fail(p, t.col, LEAD_EFORMAT,
                        "expected not-set, pending, subscribed, unsubscribed or bounced");
        if (!add_to_set(p, c, s, &t, "state given twice"))
            return 0;
    }
    if (p->tx.rc == LEAD_OK && !c->set)
        return fail(p, p->tx.pos, LEAD_EFORMAT,
                    "expected not-set, pending, subscribed, unsubscribed or bounced");
    return p->tx.rc == LEAD_OK;
}

static int parse_did(parser *p, lead__seg_cond *c)
{
    lead__text *tx = &p->tx;
    c->at_least = 1;
    if (!lead__text_expect_ident(tx, &c->name, "an event type"))
        return 0;
    int seen_channel = 0, seen_campaign = 0, seen_prop = 0, seen_count = 0, seen_within = 0;
    lead__token t;
    while (lead__text_next(tx, &t)) {
        int64_t n;
        if (lead__token_is(&t, "channel")) {
            if (!lead__text_once(tx, &seen_channel, &t) ||
                !lead__text_expect_string(tx, &c->channel, "a channel"))
                return 0;
        } else if (lead__token_is(&t, "campaign")) {
            if (!lead__text_once(tx, &seen_campaign, &t) ||
                !lead__text_expect_string(tx, &c->campaign, "a campaign"))
                return 0;
        } else if (lead__token_is(&t, "property")) {
            if (!lead__text_once(tx, &seen_prop, &t) ||
                !lead__text_expect_string(tx, &c->prop_name, "a property name") ||
                !lead__text_expect_string(tx, &c->prop_value, "a property value"))
                return 0;
        } else if (lead__token_is(&t, "at-least")) {
            if (!lead__text_once(tx, &seen_count, &t) ||
                !lead__text_expect_int(tx, 1, LEAD__SEGMENT_MAX_COUNT, &n, "a count"))
                return 0;
            c->at_least = (uint32_t)n;
        } else if (lead__token_is(&t, "within")) {
            if (!lead__text_once(tx, &seen_within, &t) ||
                !lead__text_expect_duration(tx, &c->within_ms, 0))
                return 0;
        } else {
            return fail(p, t.col, LEAD_EFORMAT,
                        "expected channel, campaign, property, at-least or within");
        }
    }
    return tx->rc == LEAD_OK;
}

static int open_group(parser *p, const lead__token *t)
{
    if (p->nopen > LEAD__SEGMENT_MAX_DEPTH)
        return fail(p, t->col, LEAD_ELIMIT, "groups nested deeper than 32");
    p->open[p->nopen] = p->n - 1;
    p->open_line[p->nopen] = p->tx.lineno;
    p->open_col[p->nopen] = (uint32_t)(t->col + 1);
    p->nopen++;
    return 1;
}

static int parse_condition(parser *p, lead__token *t)
{
    int negate = lead__token_is(t, "not");
    if (negate && !lead__text_expect_word(&p->tx, t, "a condition after not"))
        return 0;
    int kind = lead__token_lookup(t, kinds, 8);
    if (kind < 0)
        return fail(p, t->col, LEAD_EFORMAT,
                    negate ? "expected all, any, field, stage, score, grade, consent or did "
                             "after not"
                           : "expected name, all, any, end, field, stage, score, grade, "
                             "consent or did");
    if (p->n > LEAD__SEGMENT_MAX_CONDS) /* conds[0] is the top level */
        return fail(p, t->col, LEAD_ELIMIT, "more than 4096 conditions");
    if (lead__grow(p->tx.mem, (void **)&p->conds, &p->cap, p->n + 1, sizeof *p->conds) != LEAD_OK)
        return fail(p, t->col, LEAD_ENOMEM, "out of memory");
    lead__seg_cond *c = &p->conds[p->n];
    memset(c, 0, sizeof *c);
    p->n++; /* counted now so that a failure frees what was read */
    c->kind = kind;
    c->negate = negate;
    c->depth = (uint32_t)(p->nopen - 1);
    c->end = p->n;
    switch (kind) {
    case LEAD__SEG_ALL:
    case LEAD__SEG_ANY: return open_group(p, t);
    case LEAD__SEG_FIELD: return lead__field_test_parse(&p->tx, &c->field);
    case LEAD__SEG_STAGE: return parse_stage(p, c);
    case LEAD__SEG_SCORE: return parse_score(p, c);
    case LEAD__SEG_GRADE: return parse_grade(p, c);
    case LEAD__SEG_CONSENT: return parse_consent(p, c);
    default: return parse_did(p, c);
    }
}

static int parse_line(lead__text *tx, void *ctx)
{
    parser *p = ctx;
    lead__token t;
    if (!lead__text_next(tx, &t))
        return tx->rc == LEAD_OK;
    if (!p->seen_header) {
        int64_t v;
        if (!lead__token_is(&t, "liblead-segment"))
            return fail(p, t.col, LEAD_EFORMAT, "expected the header liblead-segment 1");
        if (!lead__text_expect_int(tx, 1, 1, &v, "the format version 1"))
            return 0;
        p->seen_header = 1;
    } else if (lead__token_is(&t, "name")) {
        if (p->name)
            return fail(p, t.col, LEAD_EFORMAT, "name given twice");
        if (!lead__text_expect_string(tx, &p->name, "a name"))
            return 0;
    } else if (lead__token_is(&t, "end")) {
        if (p->nopen == 1)
            return fail(p, t.col, LEAD_EFORMAT, "end without an open all or any");
        p->nopen--;
        p->conds[p->open[p->nopen]].end = p->n;
    } else if (!parse_condition(p, &t)) {
        return 0;
    }
    if (!lead__text_at_end(tx))
        return fail(p, tx->pos, LEAD_EFORMAT, "unexpected text at the end of the line");
    return 1;
}

/* Sets up conds[0], the implicit top-level all. */
static int add_root(parser *p)
{
    p->conds = lead__calloc(p->tx.mem, 1, sizeof *p->conds);
    if (!p->conds)
        return fail(p, 0, LEAD_ENOMEM, "out of memory");
    p->n = p->cap = 1;
    p->conds[0].kind = LEAD__SEG_ALL;
    p->open[0] = 0;
    p->nopen = 1;
    return 1;
}

/* Checks what spans lines once every line was read. */
static void finish(parser *p)
{
    if (p->tx.rc != LEAD_OK)
        return;
    if (!p->seen_header) {
        fail(p, 0, LEAD_EFORMAT, "empty segment: expected the header liblead-segment 1");
        p->tx.lineno = 0;
        p->tx.err_col = 0;
    } else if (p->nopen > 1) {
        fail(p, 0, LEAD_EFORMAT, "all or any without end");
        p->tx.lineno = p->open_line[p->nopen - 1];
        p->tx.err_col = p->open_col[p->nopen - 1];
    } else {
        p->conds[0].end = p->n;
    }
}

int lead_segment_parse(lead_segment *segment, const char *text, size_t len)
{
    if (!segment || (!text && len > 0))
        return LEAD_EINVAL;
    parser p;
    memset(&p, 0, sizeof p);
    p.tx.mem = &segment->mem;
    lead__seg_trace *trace = NULL;
    if (add_root(&p)) {
        lead__text_lines(&p.tx, text, len, parse_line, &p);
        finish(&p);
    }
    if (p.tx.rc == LEAD_OK) {
        trace = lead__calloc(&segment->mem, p.n, sizeof *trace);
        if (!trace) {
            fail(&p, 0, LEAD_ENOMEM, "out of memory");
            p.tx.lineno = 0;
        }
    }
    if (p.tx.rc != LEAD_OK) {
        lead__free(&segment->mem, p.name);
        lead__seg_conds_free(&segment->mem, p.conds, p.n);
        segment->err_line = p.tx.lineno;
        segment->err_col = p.tx.lineno ? p.tx.err_col : 0;
        memcpy(segment->errmsg, p.tx.msg, sizeof segment->errmsg);
        return p.tx.rc;
    }
    lead__free(&segment->mem, segment->name);
    lead__seg_conds_free(&segment->mem, segment->conds, segment->nconds);
    lead__free(&segment->mem, segment->trace);
    segment->name = p.name;
    segment->conds = p.conds;
    segment->nconds = p.n;
    segment->capconds = p.cap;
    segment->trace = trace;
    segment->explained = 0;
    lead__seg_number_lines(segment);
    segment->err_line = segment->err_col = 0;
    segment->errmsg[0] = '\0';
    return LEAD_OK;
}
