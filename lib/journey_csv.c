/* CSV readers for journey sets: path-level (ChannelAttribution) and
 * touch-level. Both parse straight from the caller's buffer: fields are
 * slices of it, and only quoted fields with doubled quotes are unescaped,
 * into one scratch buffer reused for the whole document. */
#include "journey.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_COLUMNS 64

typedef struct field {
    const char *s; /* resolved once the row is complete */
    size_t off;    /* offset into the scratch buffer when unescaped */
    size_t len;
    int unescaped;
} field;

typedef struct reader {
    lead_journey_set *set;
    const char *p, *end;
    size_t line;     /* physical line at p, from 1 */
    size_t row_line; /* line the current row starts on */
    char *scratch;
    size_t scratch_len, scratch_cap;
    field fields[MAX_COLUMNS];
    size_t nfields;
    const char *why; /* static reason of a format error */
    uint32_t name_cache[256]; /* channel id + 1 by a cheap key of the name; 0 empty */
} reader;

/* ---- errors and rollback ---------------------------------------------- */

/* Prefixes the set's current detail (or why) with the row's line number. */
static int fail_line(reader *r, int code, const char *why)
{
    char detail[LEAD__SET_ERRMSG_CAP];
    snprintf(detail, sizeof detail, "%s", why ? why : r->set->errmsg);
    return lead__set_fail(r->set, code, "line %zu: %s", r->row_line, detail);
}

/* ---- rows ------------------------------------------------------------- */

static int scratch_put(reader *r, const char *s, size_t len)
{
    if (r->scratch_len + len > r->scratch_cap) {
        void *items = r->scratch;
        int rc = lead__grow(&r->set->mem, &items, &r->scratch_cap, r->scratch_len + len, 1);
        if (rc != LEAD_OK)
            return rc;
        r->scratch = items;
    }
    memcpy(r->scratch + r->scratch_len, s, len);
    r->scratch_len += len;
    return LEAD_OK;
}

/* A quoted field; r->p is just past the opening quote. */
static int read_quoted(reader *r, field *f)
{
    const char *start = r->p;
    int escaped = 0;
    for (;;) {
        const char *q = memchr(r->p, '"', (size_t)(r->end - r->p));
        if (!q) {
            r->why = "unterminated quoted field";
            return LEAD_EFORMAT;
        }
        for (const char *c = r->p; c < q; c++)
            r->line += *c == '\n';
        if (q + 1 < r->end && q[1] == '"') {
            escaped = 1;
            r->p = q + 2;
            continue;
        }
        r->p = q + 1;
        break;
    }
    size_t raw_len = (size_t)(r->p - 1 - start);
    f->unescaped = escaped;
    if (!escaped) {
        f->s = start;
        f->len = raw_len;
        return LEAD_OK;
    }
    f->off = r->scratch_len;
    for (size_t i = 0; i < raw_len; i++) {
        if (start[i] == '"')
            i++; /* the first of a doubled quote */
        int rc = scratch_put(r, start + i, 1);
        if (rc != LEAD_OK)
            return rc;
    }
    f->len = r->scratch_len - f->off;
    return LEAD_OK;
}

static int read_plain(reader *r, field *f)
{
    const char *start = r->p;
    while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r') {
        if (*r->p == '"') {
            r->why = "quote inside an unquoted field";
            return LEAD_EFORMAT;
        }
        r->p++;
    }
    f->s = start;
    f->len = (size_t)(r->p - start);
    f->unescaped = 0;
    return LEAD_OK;
}

/* Consumes the delimiter after a field: 1 if another field follows. */
static int after_field(reader *r, int *more)
{
    if (r->p == r->end) {
        *more = 0;
        return LEAD_OK;
    }
    char c = *r->p;
    if (c == ',') {
        r->p++;
        *more = 1;
        return LEAD_OK;
    }
    if (c == '\r' && r->p + 1 < r->end && r->p[1] == '\n')
        r->p++;
    else if (c != '\n') {
        r->why = c == '\r' ? "carriage return without line feed" : "text after a closing quote";
        return LEAD_EFORMAT;
    }
    r->p++;
    r->line++;
    *more = 0;
    return LEAD_OK;
}

/* Reads the next row into r->fields. LEAD_ITEROVER at the end of input. */
static int read_row(reader *r)
{
    if (r->p == r->end)
        return LEAD_ITEROVER;
    r->row_line = r->line;
    r->nfields = 0;
    r->scratch_len = 0;
    if (*r->p == '\n' || *r->p == '\r') {
        r->why = "empty line";
        return LEAD_EFORMAT;
    }
    int more = 1;
    while (more) {
        if (r->nfields == MAX_COLUMNS) {
            r->why = "more than 64 fields";
            return LEAD_EFORMAT;
        }
        field *f = &r->fields[r->nfields++];
        int rc;
        if (r->p < r->end && *r->p == '"') {
            r->p++;
            rc = read_quoted(r, f);
        } else {
            rc = read_plain(r, f);
        }
        if (rc == LEAD_OK)
            rc = after_field(r, &more);
        if (rc != LEAD_OK)
            return rc;
    }
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].unescaped)
            r->fields[i].s = r->scratch + r->fields[i].off;
    return LEAD_OK;
}

/* ---- values ----------------------------------------------------------- */

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_blank(**s))
        (*s)++, (*len)--;
    while (*len && is_blank((*s)[*len - 1]))
        (*len)--;
}

static int field_is(const field *f, const char *name)
{
    const char *s = f->s;
    size_t len = f->len;
    trim(&s, &len);
    return strlen(name) == len && memcmp(s, name, len) == 0;
}

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* A decimal number ([+-]digits[.digits][e[+-]digits], blanks trimmed),
 * locale-independent. Exact (correctly rounded) whenever the significant
 * digits fit 2^53 and the decimal exponent is within 10^22. */
static int parse_number(const char *s, size_t len, double *out)
{
    trim(&s, &len);
    const char *p = s, *end = s + len;
    int negative = 0;
    if (p < end && (*p == '+' || *p == '-'))
        negative = *p++ == '-';
    uint64_t mant = 0;
    int exp10 = 0, digits = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
        if (mant < UINT64_C(1000000000000000000))
            mant = mant * 10 + (uint64_t)(*p - '0');
        else
            exp10++;
    }
    if (p < end && *p == '.')
        for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++)
            if (mant < UINT64_C(1000000000000000000)) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                exp10--;
            }
    if (digits == 0)
        return LEAD_EFORMAT;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0, e = 0, edigits = 0;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        for (; p < end && *p >= '0' && *p <= '9'; p++, edigits++)
            if (e < 10000)
                e = e * 10 + (*p - '0');
        if (edigits == 0)
            return LEAD_EFORMAT;
        exp10 += eneg ? -e : e;
    }
    if (p != end)
        return LEAD_EFORMAT;
    double v = (double)mant;
    if (mant <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22)
        v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
    else
        v = v * pow(10.0, exp10);
    if (!isfinite(v))
        return LEAD_EFORMAT;
    *out = negative ? -v : v;
    return LEAD_OK;
}

/* A count (conversions, nulls): a finite number >= 0. */
static int parse_count(reader *r, const field *f, const char *what, double *out)
{
    if (parse_number(f->s, f->len, out) != LEAD_OK || *out < 0) {
        char why[96];
        snprintf(why, sizeof why, "%s is not a number >= 0", what);
        return fail_line(r, LEAD_EFORMAT, why);
    }
    return LEAD_OK;
}

/* A time in ms since the epoch, or empty for unknown. */
static int parse_time(reader *r, const field *f, const char *what, int64_t *out)
{
    const char *s = f->s;
    size_t len = f->len;
    trim(&s, &len);
    *out = LEAD_TIME_UNKNOWN;
    if (len == 0)
        return LEAD_OK;
    size_t i = 0;
    int negative = s[0] == '-';
    i += negative || s[0] == '+';
    int64_t v = 0;
    size_t digits = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        int d = s[i] - '0';
        if (v > (INT64_MAX - d) / 10)
            break;
        v = v * 10 + d;
    }
    if (digits == 0 || i != len) {
        char why[96];
        snprintf(why, sizeof why, "%s is not an integer number of ms", what);
        return fail_line(r, LEAD_EFORMAT, why);
    }
    *out = negative ? -v : v;
    return LEAD_OK;
}

/* ---- headers ---------------------------------------------------------- */

typedef struct column {
    const char *name;
    int required;
} column;

/* Fails when a non-empty column name, known or ignored, appears twice. */
static int check_duplicate_columns(reader *r)
{
    for (size_t i = 1; i < r->nfields; i++) {
        const char *s = r->fields[i].s;
        size_t len = r->fields[i].len;
        trim(&s, &len);
        if (len == 0)
            continue;
        for (size_t j = 0; j < i; j++) {
            const char *t = r->fields[j].s;
            size_t tlen = r->fields[j].len;
            trim(&t, &tlen);
            if (tlen == len && memcmp(s, t, len) == 0) {
                char why[96];
                snprintf(why, sizeof why, "column %.*s appears twice", len > 60 ? 60 : (int)len,
                         s);
                return fail_line(r, LEAD_EFORMAT, why);
            }
        }
    }
    return LEAD_OK;
}

/* Maps each known column to its index in the header row, or -1. */
static int read_header(reader *r, const column *cols, size_t ncols, int *index)
{
    int rc = read_row(r);
    if (rc == LEAD_ITEROVER)
        return fail_line(r, LEAD_EFORMAT, "no header row");
    if (rc != LEAD_OK)
        return fail_line(r, rc, r->why);
    rc = check_duplicate_columns(r);
    if (rc != LEAD_OK)
        return rc;
    for (size_t c = 0; c < ncols; c++) {
        index[c] = -1;
        for (size_t i = 0; i < r->nfields; i++)
            if (field_is(&r->fields[i], cols[c].name))
                index[c] = (int)i;
        if (index[c] < 0 && cols[c].required) {
            char why[96];
            snprintf(why, sizeof why, "missing column %s", cols[c].name);
            return fail_line(r, LEAD_EFORMAT, why);
        }
    }
    return LEAD_OK;
}

/* Reads the next data row and checks its width against the header's. */
static int next_row(reader *r, size_t width)
{
    int rc = read_row(r);
    if (rc == LEAD_ITEROVER || rc == LEAD_ENOMEM)
        return rc;
    if (rc != LEAD_OK)
        return fail_line(r, rc, r->why);
    if (r->nfields != width) {
        char why[96];
        snprintf(why, sizeof why, "%zu fields, the header has %zu", r->nfields, width);
        return fail_line(r, LEAD_EFORMAT, why);
    }
    return LEAD_OK;
}

/* Channel names repeat on almost every row: a direct-mapped cache keyed by
 * the length and last two bytes skips hashing for most of them. */
static size_t cache_key(const char *s, size_t len)
{
    return (len * 7 + (unsigned char)s[len - 1] * 31 + (unsigned char)s[len > 1 ? len - 2 : 0]) &
           255;
}

static int cached(const reader *r, const lead__intern *table, const char *s, size_t len,
                  uint32_t *id)
{
    if (table != &r->set->channels)
        return 0;
    uint32_t slot = r->name_cache[cache_key(s, len)];
    if (slot == 0)
        return 0;
    const char *name = lead__intern_name(table, slot - 1);
    if (strlen(name) != len || memcmp(name, s, len) != 0)
        return 0;
    *id = slot - 1;
    return 1;
}

static int intern_at(reader *r, lead__intern *table, const char *s, size_t len, uint32_t *id)
{
    if (len && cached(r, table, s, len, id))
        return LEAD_OK;
    /* A name already in the table was validated when it was added. */
    int rc = len && len <= LEAD_NAME_MAX ? lead__intern_find(table, s, len, id) : LEAD_ENOTFOUND;
    if (rc != LEAD_OK)
        rc = lead__journey_intern(r->set, table, s, len, id);
    if (rc == LEAD_OK && table == &r->set->channels)
        r->name_cache[cache_key(s, len)] = *id + 1;
    if (rc == LEAD_OK || rc == LEAD_ENOMEM)
        return rc;
    return fail_line(r, rc == LEAD_ELIMIT ? rc : LEAD_EFORMAT, NULL);
}

static int add_touch(reader *r, uint32_t channel, uint32_t campaign, int64_t time, uint32_t flags)
{
    int rc = lead__journey_add_touch_ids(r->set, channel, campaign, time, flags);
    if (rc == LEAD_OK || rc == LEAD_ENOMEM)
        return rc;
    return fail_line(r, LEAD_EFORMAT, NULL);
}

/* Runs a document reader with the common setup, rollback and cleanup. */
static int read_document(lead_journey_set *set, const char *data, size_t len,
                         int (*body)(reader *r, const void *ctx), const void *ctx)
{
    if (!set || (!data && len))
        return LEAD_EINVAL;
    if (set->open)
        return lead__set_fail(set, LEAD_ESTATE, "a journey is open");
    reader r;
    memset(&r, 0, sizeof r);
    r.set = set;
    r.p = data ? data : "";
    r.end = r.p + len;
    r.line = 1;
    r.row_line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r.p += 3; /* a UTF-8 byte order mark, as spreadsheets write */
    lead__journey_mark m = lead__journey_mark_of(set);
    int rc = body(&r, ctx);
    if (rc == LEAD_ENOMEM)
        lead__set_fail(set, rc, "line %zu: out of memory", r.row_line);
    if (rc != LEAD_OK)
        lead__journey_roll_back(set, &m);
    lead__free(&set->mem, r.scratch);
    return rc;
}

/* ---- path-level ------------------------------------------------------- */

enum { P_PATH, P_CONVERSIONS, P_VALUE, P_NULLS, P_COUNT };
static const column path_columns[P_COUNT] = {
    {"path", 1}, {"total_conversions", 1}, {"total_conversion_value", 0}, {"total_null", 0}};

static int add_path(reader *r, const char *s, size_t len, const char *sep)
{
    size_t sep_len = strlen(sep);
    const char *end = s + len;
    for (;;) {
        const char *stop = s;
        while (stop < end && !((size_t)(end - stop) >= sep_len && *stop == *sep &&
                               memcmp(stop, sep, sep_len) == 0))
            stop++;
        const char *name = s;
        size_t name_len = (size_t)(stop - s);
        trim(&name, &name_len);
        if (name_len == 0)
            return fail_line(r, LEAD_EFORMAT, "empty channel name in path");
        uint32_t id;
        int rc = intern_at(r, &r->set->channels, name, name_len, &id);
        if (rc == LEAD_OK)
            rc = add_touch(r, id, LEAD_NO_CAMPAIGN, LEAD_TIME_UNKNOWN, 0);
        if (rc != LEAD_OK)
            return rc;
        if (stop == end)
            return LEAD_OK;
        s = stop + sep_len;
    }
}

static int read_paths(reader *r, const void *ctx)
{
    const char *sep = ctx;
    int col[P_COUNT];
    int rc = read_header(r, path_columns, P_COUNT, col);
    size_t width = r->nfields;
    while (rc == LEAD_OK && (rc = next_row(r, width)) == LEAD_OK) {
        double conv, value = 0, nulls = 0;
        const field *f = r->fields;
        rc = parse_count(r, &f[col[P_CONVERSIONS]], "total_conversions", &conv);
        if (rc == LEAD_OK && col[P_NULLS] >= 0)
            rc = parse_count(r, &f[col[P_NULLS]], "total_null", &nulls);
        if (rc == LEAD_OK && col[P_VALUE] >= 0 &&
            parse_number(f[col[P_VALUE]].s, f[col[P_VALUE]].len, &value) != LEAD_OK)
            rc = fail_line(r, LEAD_EFORMAT, "total_conversion_value is not a number");
        if (rc == LEAD_OK)
            rc = lead_journey_set_begin(r->set);
        if (rc == LEAD_OK)
            rc = add_path(r, f[col[P_PATH]].s, f[col[P_PATH]].len, sep);
        if (rc == LEAD_OK)
            rc = lead_journey_set_end(r->set, conv, value, nulls, LEAD_TIME_UNKNOWN);
    }
    return rc == LEAD_ITEROVER ? LEAD_OK : rc;
}

int lead_journey_set_read_path_csv(lead_journey_set *set, const char *data, size_t len,
                                   const char *separator)
{
    const char *sep = separator ? separator : ">";
    if (set && !*sep)
        return lead__set_fail(set, LEAD_EINVAL, "empty path separator");
    return read_document(set, data, len, read_paths, sep);
}

/* ---- touch-level ------------------------------------------------------ */

enum { T_JOURNEY, T_CHANNEL, T_CAMPAIGN, T_TIME, T_MILESTONES, T_CONVERSIONS, T_VALUE, T_NULLS,
       T_CONVERSION_TIME, T_COUNT };
static const column touch_columns[T_COUNT] = {
    {"journey", 1}, {"channel", 1}, {"campaign", 0}, {"time", 0}, {"milestones", 0},
    {"conversions", 1}, {"value", 0}, {"nulls", 0}, {"conversion_time", 0}};

typedef struct outcome {
    double conversions, value, nulls;
    int64_t conversion_time;
} outcome;

/* `lead|opportunity|won` in any order, blanks trimmed; empty for none. */
static int parse_milestones(reader *r, const field *f, uint32_t *out)
{
    const char *s = f->s;
    size_t len = f->len;
    trim(&s, &len);
    *out = 0;
    const char *end = s + len;
    while (len) {
        const char *stop = memchr(s, '|', (size_t)(end - s));
        stop = stop ? stop : end;
        field one = {s, 0, (size_t)(stop - s), 0};
        if (field_is(&one, "lead"))
            *out |= LEAD_TOUCH_LEAD_CREATION;
        else if (field_is(&one, "opportunity"))
            *out |= LEAD_TOUCH_OPPORTUNITY_CREATION;
        else if (field_is(&one, "won"))
            *out |= LEAD_TOUCH_CLOSED_WON;
        else
            return fail_line(r, LEAD_EFORMAT, "milestones are lead, opportunity, won joined by |");
        if (stop == end)
            break;
        s = stop + 1;
    }
    return LEAD_OK;
}

static int parse_outcome(reader *r, const int *col, outcome *o)
{
    const field *f = r->fields;
    o->value = o->nulls = 0;
    o->conversion_time = LEAD_TIME_UNKNOWN;
    int rc = parse_count(r, &f[col[T_CONVERSIONS]], "conversions", &o->conversions);
    if (rc == LEAD_OK && col[T_NULLS] >= 0)
        rc = parse_count(r, &f[col[T_NULLS]], "nulls", &o->nulls);
    if (rc == LEAD_OK && col[T_VALUE] >= 0 &&
        parse_number(f[col[T_VALUE]].s, f[col[T_VALUE]].len, &o->value) != LEAD_OK)
        rc = fail_line(r, LEAD_EFORMAT, "value is not a number");
    if (rc == LEAD_OK && col[T_CONVERSION_TIME] >= 0)
        rc = parse_time(r, &f[col[T_CONVERSION_TIME]], "conversion_time", &o->conversion_time);
    return rc;
}

static int same_outcome(const outcome *a, const outcome *b)
{
    return a->conversions == b->conversions && a->value == b->value && a->nulls == b->nulls &&
           a->conversion_time == b->conversion_time;
}

typedef struct touch_state {
    const int *col;
    lead__intern journeys; /* ids seen, to refuse a journey split over the file */
    outcome current;
} touch_state;

/* Closes the open journey, if any, with its outcome. */
static int close_journey(reader *r, touch_state *ts)
{
    if (!r->set->open)
        return LEAD_OK;
    const outcome *o = &ts->current;
    return lead_journey_set_end(r->set, o->conversions, o->value, o->nulls, o->conversion_time);
}

/* One row: starts a journey when the id changes, then adds the touch. */
static int touch_row(reader *r, touch_state *ts)
{
    const int *col = ts->col;
    const field *f = r->fields;
    const char *id = f[col[T_JOURNEY]].s;
    size_t id_len = f[col[T_JOURNEY]].len;
    trim(&id, &id_len);
    if (id_len == 0)
        return fail_line(r, LEAD_EFORMAT, "empty journey id");
    outcome o;
    int rc = parse_outcome(r, col, &o);
    if (rc != LEAD_OK)
        return rc;
    uint32_t jid;
    size_t before = ts->journeys.count;
    rc = lead__intern_put(&r->set->mem, &ts->journeys, id, id_len, &jid);
    if (rc != LEAD_OK)
        return rc == LEAD_ENOMEM ? rc : fail_line(r, rc, "too many journeys");
    if (ts->journeys.count > before) {
        rc = close_journey(r, ts);
        if (rc == LEAD_OK)
            rc = lead_journey_set_begin(r->set);
        if (rc != LEAD_OK)
            return rc;
        ts->current = o;
    } else if (jid + 1 != ts->journeys.count) {
        return fail_line(r, LEAD_EFORMAT, "journey id seen before on other rows");
    } else if (!same_outcome(&o, &ts->current)) {
        return fail_line(r, LEAD_EFORMAT, "outcome differs from the journey's first row");
    }
    uint32_t channel, campaign = LEAD_NO_CAMPAIGN, flags = 0;
    int64_t time = LEAD_TIME_UNKNOWN;
    const char *name = f[col[T_CHANNEL]].s;
    size_t name_len = f[col[T_CHANNEL]].len;
    trim(&name, &name_len);
    rc = intern_at(r, &r->set->channels, name, name_len, &channel);
    if (rc == LEAD_OK && col[T_CAMPAIGN] >= 0) {
        const char *cname = f[col[T_CAMPAIGN]].s;
        size_t clen = f[col[T_CAMPAIGN]].len;
        trim(&cname, &clen);
        if (clen)
            rc = intern_at(r, &r->set->campaigns, cname, clen, &campaign);
    }
    if (rc == LEAD_OK && col[T_TIME] >= 0)
        rc = parse_time(r, &f[col[T_TIME]], "time", &time);
    if (rc == LEAD_OK && col[T_MILESTONES] >= 0)
        rc = parse_milestones(r, &f[col[T_MILESTONES]], &flags);
    if (rc == LEAD_OK)
        rc = add_touch(r, channel, campaign, time, flags);
    return rc;
}

static int read_touches(reader *r, const void *ctx)
{
    (void)ctx;
    int col[T_COUNT];
    int rc = read_header(r, touch_columns, T_COUNT, col);
    if (rc != LEAD_OK)
        return rc;
    size_t width = r->nfields;
    touch_state ts;
    memset(&ts, 0, sizeof ts);
    ts.col = col;
    lead__intern_init(&ts.journeys);
    while ((rc = next_row(r, width)) == LEAD_OK && (rc = touch_row(r, &ts)) == LEAD_OK) {
    }
    if (rc == LEAD_ITEROVER)
        rc = close_journey(r, &ts);
    lead__intern_free(&r->set->mem, &ts.journeys);
    return rc;
}

int lead_journey_set_read_touch_csv(lead_journey_set *set, const char *data, size_t len)
{
    return read_document(set, data, len, read_touches, NULL);
}
