/* Reading the scoring model text format (docs/scoring-model.md). The input
 * is any bytes: every token is bounds-checked against the line it is on. */
#include "score.h"

#include <stdio.h>
#include <string.h>

typedef struct parser {
    const lead__mem *mem;
    lead__score_def def;
    const char *line;   /* current line, not NUL terminated */
    size_t len, pos;    /* its length and the cursor */
    uint32_t lineno;
    uint32_t err_col;
    int rc;
    char msg[160];
} parser;

/* A token: a bare word, or a quoted string (decoded into an allocated copy). */
typedef struct token {
    const char *start;
    size_t len;
    size_t col; /* 0-based byte offset in the line */
    int quoted;
} token;

static int fail_at(parser *p, size_t col, int rc, const char *msg)
{
    if (p->rc == LEAD_OK) {
        p->rc = rc;
        p->err_col = (uint32_t)(col + 1);
        snprintf(p->msg, sizeof p->msg, "%s", msg);
    }
    return rc;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == '*';
}

static void skip_space(parser *p)
{
    while (p->pos < p->len && is_space(p->line[p->pos]))
        p->pos++;
}

static int at_end(parser *p)
{
    skip_space(p);
    return p->pos >= p->len || p->line[p->pos] == '#';
}

/* Length of the UTF-8 sequence at s[0..n), 0 when invalid (overlongs,
 * surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t need;
    uint32_t cp;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        need = 2;
        cp = s[0] & 0x1Fu;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        need = 3;
        cp = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        need = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

/* Reads the next token; 0 at the end of the line (nothing consumed). */
static int next(parser *p, token *t)
{
    if (at_end(p))
        return 0;
    t->col = p->pos;
    char c = p->line[p->pos];
    if (c == '"') {
        t->quoted = 1;
        size_t i = p->pos + 1;
        while (i < p->len && p->line[i] != '"') {
            unsigned char b = (unsigned char)p->line[i];
            if (b == '\\') {
                if (i + 1 >= p->len || (p->line[i + 1] != '"' && p->line[i + 1] != '\\'))
                    return fail_at(p, i, LEAD_EFORMAT, "only \\\" and \\\\ escapes are allowed"), 0;
                i += 2;
                continue;
            }
            if (b < 0x20 || b == 0x7F)
                return fail_at(p, i, LEAD_EFORMAT, "control character in a string"), 0;
            size_t n = utf8_len((const unsigned char *)p->line + i, p->len - i);
            if (!n)
                return fail_at(p, i, LEAD_EUTF8, "invalid UTF-8 in a string"), 0;
            i += n;
        }
        if (i >= p->len)
            return fail_at(p, t->col, LEAD_EFORMAT, "unterminated string"), 0;
        t->start = p->line + p->pos + 1;
        t->len = i - p->pos - 1;
        p->pos = i + 1;
        if (p->pos < p->len && !is_space(p->line[p->pos]) && p->line[p->pos] != '#')
            return fail_at(p, p->pos, LEAD_EFORMAT, "expected a space after a string"), 0;
        return 1;
    }
    t->quoted = 0;
    size_t i = p->pos;
    while (i < p->len && is_word_char(p->line[i]))
        i++;
    if (i == p->pos || (i < p->len && !is_space(p->line[i]) && p->line[i] != '#'))
        return fail_at(p, i, LEAD_EFORMAT, "unexpected character"), 0;
    t->start = p->line + p->pos;
    t->len = i - p->pos;
    p->pos = i;
    return 1;
}

static int tok_is(const token *t, const char *word)
{
    return !t->quoted && strlen(word) == t->len && memcmp(t->start, word, t->len) == 0;
}

/* The next token, which must exist; what names what was expected. */
static int expect(parser *p, token *t, const char *what)
{
    if (next(p, t))
        return 1;
    if (p->rc == LEAD_OK) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected %s", what);
        fail_at(p, p->pos, LEAD_EFORMAT, msg);
    }
    return 0;
}

static int expect_word(parser *p, token *t, const char *what)
{
    if (!expect(p, t, what))
        return 0;
    if (t->quoted) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected %s, not a string", what);
        return fail_at(p, t->col, LEAD_EFORMAT, msg), 0;
    }
    return 1;
}

/* Decodes a quoted string (or copies a word) into *out. */
static int expect_string(parser *p, char **out, const char *what)
{
    token t;
    if (!expect(p, &t, what))
        return 0;
    if (!t.quoted) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected %s in double quotes", what);
        return fail_at(p, t.col, LEAD_EFORMAT, msg), 0;
    }
    if (t.len > LEAD__SCORE_MAX_STRING)
        return fail_at(p, t.col, LEAD_ELIMIT, "string longer than 1024 bytes"), 0;
    char *s = lead__malloc(p->mem, t.len + 1);
    if (!s)
        return fail_at(p, t.col, LEAD_ENOMEM, "out of memory"), 0;
    size_t n = 0;
    for (size_t i = 0; i < t.len; i++) {
        if (t.start[i] == '\\')
            i++;
        s[n++] = t.start[i];
    }
    s[n] = '\0'; /* the line holds no NUL: parse refused it before */
    *out = s;
    return 1;
}

/* An identifier (event type, field name): a word starting with a letter or
 * '_' made of letters, digits, '_', '-' and '.'. */
static int expect_ident(parser *p, char **out, const char *what)
{
    token t;
    if (!expect_word(p, &t, what))
        return 0;
    char c = t.start[0];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    for (size_t i = 0; ok && i < t.len; i++)
        ok = t.start[i] != '*';
    if (!ok) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected %s (a name starting with a letter)", what);
        return fail_at(p, t.col, LEAD_EFORMAT, msg), 0;
    }
    if (t.len > LEAD__SCORE_MAX_STRING)
        return fail_at(p, t.col, LEAD_ELIMIT, "name longer than 1024 bytes"), 0;
    *out = lead__strndup(p->mem, t.start, t.len);
    if (!*out)
        return fail_at(p, t.col, LEAD_ENOMEM, "out of memory"), 0;
    return 1;
}

/* A decimal integer in [lo, hi]. */
static int tok_int(parser *p, const token *t, int64_t lo, int64_t hi, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (!t->quoted && t->len > 0 && (t->start[0] == '-' || t->start[0] == '+'))
        neg = t->start[i++] == '-';
    int64_t v = 0;
    int ok = !t->quoted && i < t->len;
    for (; ok && i < t->len; i++) {
        char c = t->start[i];
        if (c < '0' || c > '9' || v > (INT64_C(1) << 50))
            ok = 0;
        else
            v = v * 10 + (c - '0');
    }
    if (neg)
        v = -v;
    if (!ok)
        return fail_at(p, t->col, LEAD_EFORMAT, "expected an integer"), 0;
    if (v < lo || v > hi) {
        char msg[96];
        snprintf(msg, sizeof msg, "number out of range [%lld, %lld]", (long long)lo,
                 (long long)hi);
        return fail_at(p, t->col, LEAD_ELIMIT, msg), 0;
    }
    *out = v;
    return 1;
}

static int expect_int(parser *p, int64_t lo, int64_t hi, int64_t *out, const char *what)
{
    token t;
    return expect_word(p, &t, what) && tok_int(p, &t, lo, hi, out);
}

static int expect_points(parser *p, int32_t *out)
{
    int64_t v;
    if (!expect_int(p, -LEAD__SCORE_MAX_POINTS, LEAD__SCORE_MAX_POINTS, &v, "points"))
        return 0;
    *out = (int32_t)v;
    return 1;
}

/* A duration: a positive integer and a unit (ms, s, m, h, d), e.g. "7d". */
static int expect_duration(parser *p, int64_t *out, int allow_none)
{
    token t;
    if (!expect_word(p, &t, "a duration"))
        return 0;
    if (allow_none && tok_is(&t, "none")) {
        *out = 0;
        return 1;
    }
    static const struct { const char *unit; int64_t ms; } units[] = {
        {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    size_t digits = 0;
    while (digits < t.len && t.start[digits] >= '0' && t.start[digits] <= '9')
        digits++;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t ulen = strlen(units[u].unit);
        if (digits == 0 || digits + ulen != t.len || memcmp(t.start + digits, units[u].unit, ulen))
            continue;
        token num = t;
        num.len = digits;
        int64_t v;
        if (!tok_int(p, &num, 1, LEAD__SCORE_MAX_DURATION / units[u].ms, &v))
            return 0;
        *out = v * units[u].ms;
        return 1;
    }
    return fail_at(p, t.col, LEAD_EFORMAT,
                   allow_none ? "expected a duration like 7d, 12h, 30m, 10s, 500ms or none"
                              : "expected a duration like 7d, 12h, 30m, 10s or 500ms"),
           0;
}

static int lookup_name(const token *t, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (tok_is(t, names[i]))
            return i;
    return -1;
}

static int lookup_fn(const token *t, const char *(*name)(int), int count)
{
    for (int i = 0; i < count; i++)
        if (tok_is(t, name(i)))
            return i;
    return -1;
}

static int grow(parser *p, void **items, size_t *cap, size_t n, size_t elem, size_t col)
{
    if (n >= LEAD__SCORE_MAX_RULES)
        return fail_at(p, col, LEAD_ELIMIT, "more than 4096 rules of one kind"), 0;
    if (lead__grow(p->mem, items, cap, n + 1, elem) != LEAD_OK)
        return fail_at(p, col, LEAD_ENOMEM, "out of memory"), 0;
    return 1;
}

/* Collects one or more quoted strings up to the end of the line. */
static int parse_values(parser *p, lead__fit_rule *r, size_t max)
{
    while (!at_end(p) && p->rc == LEAD_OK) {
        if (r->nvalues >= max)
            return fail_at(p, p->pos, max == 1 ? LEAD_EFORMAT : LEAD_ELIMIT,
                           max == 1 ? "equals takes one value" : "more than 256 values"),
                   0;
        char **grown = lead__realloc_array(p->mem, r->values, r->nvalues + 1, sizeof *grown);
        if (!grown)
            return fail_at(p, p->pos, LEAD_ENOMEM, "out of memory"), 0;
        r->values = grown;
        if (!expect_string(p, &r->values[r->nvalues], "a value"))
            return 0;
        r->nvalues++;
    }
    if (p->rc == LEAD_OK && r->nvalues == 0)
        fail_at(p, p->pos, LEAD_EFORMAT, "expected a value in double quotes");
    return p->rc == LEAD_OK;
}

static int parse_range_bound(parser *p, int *has, int64_t *v)
{
    token t;
    if (!expect_word(p, &t, "a bound or *"))
        return 0;
    if (tok_is(&t, "*")) {
        *has = 0;
        return 1;
    }
    *has = 1;
    return tok_int(p, &t, -(INT64_C(1) << 50), INT64_C(1) << 50, v);
}

static int parse_fit(parser *p, size_t col)
{
    lead__score_def *d = &p->def;
    if (!grow(p, (void **)&d->fit, &d->capfit, d->nfit, sizeof *d->fit, col))
        return 0;
    lead__fit_rule *r = &d->fit[d->nfit];
    memset(r, 0, sizeof *r);
    d->nfit++; /* counted now so that a failure frees what was read */
    token t;
    if (!expect_word(p, &t, "a dimension"))
        return 0;
    r->dim = lookup_fn(&t, lead__score_dim_name, LEAD__DIM_COUNT);
    if (r->dim < 0)
        return fail_at(p, t.col, LEAD_EFORMAT,
                       "expected budget, authority, need, timeline or profile"),
               0;
    if (!expect_points(p, &r->points) || !expect_ident(p, &r->field, "a field name") ||
        !expect_word(p, &t, "an operator"))
        return 0;
    static const char *const ops[] = {"equals", "one-of", "contains", "range", "exists",
                                      "missing"};
    r->op = lookup_name(&t, ops, 6);
    switch (r->op) {
    case LEAD__FIT_EQUALS: return parse_values(p, r, 1);
    case LEAD__FIT_ONE_OF:
    case LEAD__FIT_CONTAINS: return parse_values(p, r, LEAD__SCORE_MAX_VALUES);
    case LEAD__FIT_RANGE: {
        size_t bcol = p->pos;
        if (!parse_range_bound(p, &r->has_lo, &r->lo) || !parse_range_bound(p, &r->has_hi, &r->hi))
            return 0;
        if (!r->has_lo && !r->has_hi)
            return fail_at(p, bcol, LEAD_EFORMAT, "a range needs at least one bound"), 0;
        if (r->has_lo && r->has_hi && r->lo > r->hi)
            return fail_at(p, bcol, LEAD_EFORMAT, "range lower bound above upper bound"), 0;
        return 1;
    }
    case LEAD__FIT_EXISTS:
    case LEAD__FIT_MISSING: return 1;
    default:
        return fail_at(p, t.col, LEAD_EFORMAT,
                       "expected equals, one-of, contains, range, exists or missing"),
               0;
    }
}

static int once_only(parser *p, int *seen, const token *t)
{
    if (*seen)
        return fail_at(p, t->col, LEAD_EFORMAT, "option given twice"), 0;
    *seen = 1;
    return 1;
}

static int parse_behaviour(parser *p, size_t col)
{
    lead__score_def *d = &p->def;
    if (!grow(p, (void **)&d->beh, &d->capbeh, d->nbeh, sizeof *d->beh, col))
        return 0;
    lead__behaviour_rule *r = &d->beh[d->nbeh];
    memset(r, 0, sizeof *r);
    d->nbeh++;
    if (!expect_points(p, &r->points) || !expect_ident(p, &r->type, "an event type"))
        return 0;
    int seen_channel = 0, seen_campaign = 0, seen_prop = 0, seen_cap = 0;
    token t;
    while (next(p, &t)) {
        if (tok_is(&t, "channel")) {
            if (!once_only(p, &seen_channel, &t) || !expect_string(p, &r->channel, "a channel"))
                return 0;
        } else if (tok_is(&t, "campaign")) {
            if (!once_only(p, &seen_campaign, &t) ||
                !expect_string(p, &r->campaign, "a campaign"))
                return 0;
        } else if (tok_is(&t, "property")) {
            if (!once_only(p, &seen_prop, &t) ||
                !expect_string(p, &r->prop_name, "a property name") ||
                !expect_string(p, &r->prop_value, "a property value"))
                return 0;
        } else if (tok_is(&t, "once")) {
            if (!once_only(p, &seen_cap, &t))
                return 0;
            r->cap_n = 1;
        } else if (tok_is(&t, "cap")) {
            int64_t n;
            if (!once_only(p, &seen_cap, &t) ||
                !expect_int(p, 1, LEAD__SCORE_MAX_CAP, &n, "a count"))
                return 0;
            r->cap_n = (uint32_t)n;
            size_t save = p->pos;
            token per;
            if (next(p, &per) && tok_is(&per, "per")) {
                if (!expect_duration(p, &r->cap_window_ms, 0))
                    return 0;
            } else {
                p->pos = save;
            }
        } else if (tok_is(&t, "half-life")) {
            if (!once_only(p, &r->has_half_life, &t) || !expect_duration(p, &r->half_life_ms, 1))
                return 0;
        } else {
            return fail_at(p, t.col, LEAD_EFORMAT,
                           "expected channel, campaign, property, once, cap or half-life"),
                   0;
        }
    }
    return p->rc == LEAD_OK;
}

static int parse_stage(parser *p, size_t col)
{
    lead__score_def *d = &p->def;
    if (!grow(p, (void **)&d->stages, &d->capstages, d->nstages, sizeof *d->stages, col))
        return 0;
    lead__stage_rule *s = &d->stages[d->nstages];
    memset(s, 0, sizeof *s);
    token t;
    if (!expect_word(p, &t, "a stage"))
        return 0;
    s->stage = lookup_fn(&t, lead_stage_name, LEAD_STAGE_EVANGELIST + 1);
    if (s->stage < 0)
        return fail_at(p, t.col, LEAD_EFORMAT,
                       "expected subscriber, lead, mql, sql, opportunity, customer or evangelist"),
               0;
    static const char *const conds[] = {"fit", "behaviour", "total", "bant", "grade"};
    while (next(p, &t)) {
        int c = lookup_name(&t, conds, 5);
        if (c < 0)
            return fail_at(p, t.col, LEAD_EFORMAT, "expected fit, behaviour, total, bant or grade"),
                   0;
        unsigned bit = 1u << c;
        if (s->conds & bit)
            return fail_at(p, t.col, LEAD_EFORMAT, "condition given twice"), 0;
        s->conds |= bit;
        int64_t v = 0;
        if (bit == LEAD__COND_GRADE) {
            token g;
            if (!expect_word(p, &g, "a grade"))
                return 0;
            if (g.len != 1 || !strchr("ABCDF", g.start[0]))
                return fail_at(p, g.col, LEAD_EFORMAT, "expected a grade A, B, C, D or F"), 0;
            s->grade = g.start[0];
        } else if (bit == LEAD__COND_BANT) {
            if (!expect_int(p, 0, 4, &v, "a count of dimensions"))
                return 0;
            s->bant = (int32_t)v;
        } else {
            int64_t lim = bit == LEAD__COND_FIT ? 100 : INT64_C(1000000000);
            if (!expect_int(p, bit == LEAD__COND_FIT ? 0 : -lim, lim, &v, "points"))
                return 0;
            if (bit == LEAD__COND_FIT)
                s->fit = (int32_t)v;
            else if (bit == LEAD__COND_BEHAVIOUR)
                s->behaviour = (int32_t)v;
            else
                s->total = (int32_t)v;
        }
    }
    if (p->rc != LEAD_OK)
        return 0;
    if (!s->conds)
        return fail_at(p, p->pos, LEAD_EFORMAT, "a stage needs at least one condition"), 0;
    d->nstages++;
    return 1;
}

static int parse_directive(parser *p, int *seen_header)
{
    token t;
    if (!next(p, &t))
        return p->rc == LEAD_OK;
    lead__score_def *d = &p->def;
    if (!*seen_header) {
        int64_t v;
        if (!tok_is(&t, "liblead-score"))
            return fail_at(p, t.col, LEAD_EFORMAT, "expected the header liblead-score 1"), 0;
        if (!expect_int(p, 1, 1, &v, "the format version 1"))
            return 0;
        *seen_header = 1;
    } else if (tok_is(&t, "name")) {
        if (d->name)
            return fail_at(p, t.col, LEAD_EFORMAT, "name given twice"), 0;
        if (!expect_string(p, &d->name, "a name"))
            return 0;
    } else if (tok_is(&t, "half-life")) {
        if (!expect_duration(p, &d->half_life_ms, 1))
            return 0;
    } else if (tok_is(&t, "grade")) {
        token g;
        int64_t v;
        if (!expect_word(p, &g, "a grade"))
            return 0;
        if (g.len != 1 || g.start[0] < 'A' || g.start[0] > 'D')
            return fail_at(p, g.col, LEAD_EFORMAT, "expected a grade A, B, C or D"), 0;
        if (!expect_int(p, 0, 100, &v, "a fit score"))
            return 0;
        d->grade_min[g.start[0] - 'A'] = (int32_t)v;
    } else if (tok_is(&t, "bant")) {
        token g;
        int64_t v;
        if (!expect_word(p, &g, "a dimension"))
            return 0;
        int dim = lookup_fn(&g, lead__score_dim_name, LEAD__DIM_COUNT);
        if (dim <= LEAD__DIM_PROFILE)
            return fail_at(p, g.col, LEAD_EFORMAT, "expected budget, authority, need or timeline"),
                   0;
        if (!expect_int(p, 1, LEAD__SCORE_MAX_POINTS, &v, "a threshold"))
            return 0;
        d->bant_min[dim - 1] = (int32_t)v;
    } else if (tok_is(&t, "fit")) {
        if (!parse_fit(p, t.col))
            return 0;
    } else if (tok_is(&t, "behaviour")) {
        if (!parse_behaviour(p, t.col))
            return 0;
    } else if (tok_is(&t, "behaviour-cap") || tok_is(&t, "behaviour-floor")) {
        int is_cap = tok_is(&t, "behaviour-cap");
        int64_t v;
        if (!expect_int(p, -INT64_C(1000000000), INT64_C(1000000000), &v, "points"))
            return 0;
        if (is_cap) {
            d->has_cap = 1;
            d->cap = (int32_t)v;
        } else {
            d->has_floor = 1;
            d->floor = (int32_t)v;
        }
    } else if (tok_is(&t, "stage")) {
        if (!parse_stage(p, t.col))
            return 0;
    } else {
        return fail_at(p, t.col, LEAD_EFORMAT, "unknown directive"), 0;
    }
    if (!at_end(p))
        return fail_at(p, p->pos, LEAD_EFORMAT, "unexpected text at the end of the line"), 0;
    return 1;
}

/* Checks what spans lines: grade bands in order, cap above floor. */
static int check_model(parser *p)
{
    const lead__score_def *d = &p->def;
    for (int g = 1; g < 4; g++)
        if (d->grade_min[g] > d->grade_min[g - 1])
            return fail_at(p, 0, LEAD_EFORMAT, "grade bands must not increase from A to D"), 0;
    if (d->has_cap && d->has_floor && d->cap < d->floor)
        return fail_at(p, 0, LEAD_EFORMAT, "behaviour-cap is below behaviour-floor"), 0;
    return 1;
}

int lead_score_model_parse(lead_score_model *model, const char *text, size_t len)
{
    if (!model || (!text && len > 0))
        return LEAD_EINVAL;
    parser p;
    memset(&p, 0, sizeof p);
    p.mem = &model->mem;
    lead__score_def_defaults(&p.def);
    int seen_header = 0;
    size_t at = 0;
    while (at < len && p.rc == LEAD_OK) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        p.line = text + at;
        p.len = end - at;
        p.pos = 0;
        p.lineno++;
        const char *nul = memchr(p.line, '\0', p.len);
        if (nul)
            fail_at(&p, (size_t)(nul - p.line), LEAD_EFORMAT, "NUL byte");
        else
            parse_directive(&p, &seen_header);
        at = end + 1;
    }
    if (p.rc == LEAD_OK && !seen_header) {
        p.lineno = 0;
        fail_at(&p, 0, LEAD_EFORMAT, "empty model: expected the header liblead-score 1");
        p.err_col = 0;
    } else if (p.rc == LEAD_OK && !check_model(&p)) {
        p.lineno = 0;
        p.err_col = 0;
    }
    if (p.rc != LEAD_OK) {
        lead__score_def_clear(p.mem, &p.def);
        model->err_line = p.lineno;
        model->err_col = p.lineno ? p.err_col : 0;
        memcpy(model->errmsg, p.msg, sizeof model->errmsg);
        return p.rc;
    }
    lead__score_def_clear(&model->mem, &model->def);
    model->def = p.def;
    model->err_line = model->err_col = 0;
    model->errmsg[0] = '\0';
    return LEAD_OK;
}
