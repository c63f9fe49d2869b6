/* Funnel analytics over contact rows: stage entries, conversions, time in
 * stage, breakdowns by lead source, cohorts. */
#include "funnel.h"
#include "alloc.h"
#include "clock.h"
#include "intern.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORDERED_STAGES (LEAD_STAGE_EVANGELIST + 1)
#define NO_GROUP UINT32_MAX
#define DAY_MS INT64_C(86400000)

struct lead_funnel {
    lead__mem mem;
    int64_t *entered;  /* row * LEAD_STAGE_COUNT + stage */
    uint32_t *group;   /* row * LEAD_FUNNEL_DIM_COUNT + dim: interned id or NO_GROUP */
    int64_t *revenue;
    size_t count, cap;
    lead__intern names[LEAD_FUNNEL_DIM_COUNT];
    char errmsg[256];
};

typedef struct group_stats {
    char *name;
    uint64_t entered[LEAD_STAGE_COUNT];
    int64_t revenue;
} group_stats;

typedef struct cohort_stats {
    int64_t start;
    uint64_t size;
    uint64_t reached[ORDERED_STAGES];
} cohort_stats;

struct lead_funnel_report {
    lead__mem mem;
    uint64_t entered[LEAD_STAGE_COUNT];
    uint64_t reached[ORDERED_STAGES][ORDERED_STAGES]; /* [from][to] */
    int64_t median[ORDERED_STAGES], p90[ORDERED_STAGES];
    uint64_t samples[ORDERED_STAGES];
    group_stats *groups[LEAD_FUNNEL_DIM_COUNT];
    size_t group_count[LEAD_FUNNEL_DIM_COUNT];
    cohort_stats *cohorts;
    size_t cohort_count;
};

static int fail(lead_funnel *f, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->errmsg, sizeof f->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

int lead_funnel_new(lead_funnel **out, const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_funnel *f = lead__calloc(&mem, 1, sizeof *f);
    if (!f)
        return LEAD_ENOMEM;
    f->mem = mem;
    for (int d = 0; d < LEAD_FUNNEL_DIM_COUNT; d++)
        lead__intern_init(&f->names[d]);
    *out = f;
    return LEAD_OK;
}

void lead_funnel_free(lead_funnel *f)
{
    if (!f)
        return;
    lead__mem mem = f->mem;
    for (int d = 0; d < LEAD_FUNNEL_DIM_COUNT; d++)
        lead__intern_free(&mem, &f->names[d]);
    lead__free(&mem, f->entered);
    lead__free(&mem, f->group);
    lead__free(&mem, f->revenue);
    lead__free(&mem, f);
}

const char *lead_funnel_errmsg(const lead_funnel *f)
{
    return f ? f->errmsg : "no funnel (NULL handle)";
}

int lead_funnel_contact_count(const lead_funnel *f, size_t *out_count)
{
    if (!f || !out_count)
        return LEAD_EINVAL;
    *out_count = f->count;
    return LEAD_OK;
}

static int reserve_rows(lead_funnel *f)
{
    if (f->count < f->cap)
        return LEAD_OK;
    size_t cap = f->cap ? f->cap * 2 : 64;
    void *p = lead__realloc_array(&f->mem, f->entered, cap, sizeof(int64_t) * LEAD_STAGE_COUNT);
    if (!p)
        return LEAD_ENOMEM;
    f->entered = p;
    p = lead__realloc_array(&f->mem, f->group, cap, sizeof(uint32_t) * LEAD_FUNNEL_DIM_COUNT);
    if (!p)
        return LEAD_ENOMEM;
    f->group = p;
    p = lead__realloc_array(&f->mem, f->revenue, cap, sizeof(int64_t));
    if (!p)
        return LEAD_ENOMEM;
    f->revenue = p;
    f->cap = cap;
    return LEAD_OK;
}

static int check_dims(lead_funnel *f, const char *const *dims, size_t dim_count)
{
    for (size_t d = 0; d < dim_count; d++) {
        if (!dims[d])
            continue;
        size_t len = strlen(dims[d]);
        if (len > LEAD_FUNNEL_NAME_MAX)
            return fail(f, LEAD_ETOOLONG, "dimension %zu longer than %d bytes", d,
                        LEAD_FUNNEL_NAME_MAX);
        if (!lead__utf8_valid(dims[d], len))
            return fail(f, LEAD_EUTF8, "dimension %zu is not valid UTF-8", d);
    }
    return LEAD_OK;
}

int lead_funnel_add_contact(lead_funnel *f, const int64_t *stage_entered_ms, size_t stage_count,
                            const char *const *dims, size_t dim_count, int64_t revenue_minor)
{
    if (!f)
        return LEAD_EINVAL;
    if ((stage_count && !stage_entered_ms) || stage_count > LEAD_STAGE_COUNT)
        return fail(f, LEAD_EINVAL, "stage_count must be at most %d", LEAD_STAGE_COUNT);
    if ((dim_count && !dims) || dim_count > LEAD_FUNNEL_DIM_COUNT)
        return fail(f, LEAD_EINVAL, "dim_count must be at most %d", LEAD_FUNNEL_DIM_COUNT);
    if (revenue_minor < 0)
        return fail(f, LEAD_EINVAL, "revenue must be >= 0");
    int rc = check_dims(f, dims, dim_count);
    if (rc == LEAD_OK)
        rc = reserve_rows(f);
    if (rc != LEAD_OK)
        return rc == LEAD_ENOMEM ? fail(f, rc, "out of memory") : rc;
    size_t row = f->count;
    uint32_t *groups = f->group + row * LEAD_FUNNEL_DIM_COUNT;
    for (size_t d = 0; d < LEAD_FUNNEL_DIM_COUNT; d++) {
        groups[d] = NO_GROUP;
        if (d < dim_count && dims[d]) {
            /* A name interned before a later one fails stays in the table
             * unused: harmless, as groups are built from rows only. */
            rc = lead__intern_put(&f->mem, &f->names[d], dims[d], strlen(dims[d]), &groups[d]);
            if (rc != LEAD_OK)
                return fail(f, rc, "out of memory");
        }
    }
    int64_t *entered = f->entered + row * LEAD_STAGE_COUNT;
    for (size_t s = 0; s < LEAD_STAGE_COUNT; s++)
        entered[s] = s < stage_count ? stage_entered_ms[s] : LEAD_TIME_UNKNOWN;
    f->revenue[row] = revenue_minor;
    f->count++;
    return LEAD_OK;
}

/* ---- figures ---------------------------------------------------------------- */

/* When the row reached ordered stage `stage` at or after `not_before`: the
 * earliest entry into it or any later ordered stage. */
static int64_t reached_at(const int64_t *entered, int stage, int64_t not_before)
{
    int64_t best = LEAD_TIME_UNKNOWN;
    for (int s = stage; s < ORDERED_STAGES; s++) {
        int64_t t = entered[s];
        if (t != LEAD_TIME_UNKNOWN && t >= not_before && (best == LEAD_TIME_UNKNOWN || t < best))
            best = t;
    }
    return best;
}

static int in_range(int64_t t, int64_t from, int64_t to)
{
    return t != LEAD_TIME_UNKNOWN && t >= from && t < to;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank quantile q/10 of sorted v[0..n): v[ceil(q*n/10) - 1]. */
static int64_t nearest_rank(const int64_t *v, size_t n, size_t q)
{
    size_t rank = (q * n + 9) / 10;
    return v[rank ? rank - 1 : 0];
}

static int stage_times(lead_funnel_report *r, const lead_funnel *f, int64_t from, int64_t to)
{
    int64_t *samples = lead__calloc(&r->mem, f->count ? f->count : 1, sizeof *samples);
    if (!samples)
        return LEAD_ENOMEM;
    for (int s = 0; s < ORDERED_STAGES; s++) {
        size_t n = 0;
        for (size_t row = 0; row < f->count; row++) {
            const int64_t *e = f->entered + row * LEAD_STAGE_COUNT;
            if (!in_range(e[s], from, to) || s + 1 >= ORDERED_STAGES)
                continue;
            int64_t next = reached_at(e, s + 1, e[s]);
            if (next != LEAD_TIME_UNKNOWN && next < to)
                samples[n++] = lead__ms_since(next, e[s]);
        }
        r->samples[s] = n;
        if (n) {
            qsort(samples, n, sizeof *samples, cmp_i64);
            r->median[s] = nearest_rank(samples, n, 5);
            r->p90[s] = nearest_rank(samples, n, 9);
        }
    }
    lead__free(&r->mem, samples);
    return LEAD_OK;
}

static void stage_counts(lead_funnel_report *r, const lead_funnel *f, int64_t from, int64_t to)
{
    for (size_t row = 0; row < f->count; row++) {
        const int64_t *e = f->entered + row * LEAD_STAGE_COUNT;
        for (int s = 0; s < LEAD_STAGE_COUNT; s++)
            r->entered[s] += (uint64_t)in_range(e[s], from, to);
        for (int s = 0; s < ORDERED_STAGES; s++) {
            if (!in_range(e[s], from, to))
                continue;
            for (int t = s + 1; t < ORDERED_STAGES; t++) {
                int64_t at = reached_at(e, t, e[s]);
                r->reached[s][t] += (uint64_t)(at != LEAD_TIME_UNKNOWN && at < to);
            }
        }
    }
}

typedef struct named_id {
    const char *name;
    uint32_t id;
} named_id;

static int cmp_named(const void *a, const void *b)
{
    const named_id *x = a, *y = b;
    if (!x->name || !y->name) /* NULL is the (none) group: sort it as its name */
        return strcmp(x->name ? x->name : LEAD_FUNNEL_NONE, y->name ? y->name : LEAD_FUNNEL_NONE);
    return strcmp(x->name, y->name);
}

static int group_dimension(lead_funnel_report *r, const lead_funnel *f, int d, int64_t from,
                           int64_t to)
{
    const lead__intern *names = &f->names[d];
    size_t slots = names->count + 1; /* + the (none) group */
    named_id *order = lead__calloc(&r->mem, slots, sizeof *order);
    size_t *slot_of = lead__calloc(&r->mem, slots, sizeof *slot_of);
    uint8_t *used = lead__calloc(&r->mem, slots, 1);
    int rc = order && slot_of && used ? LEAD_OK : LEAD_ENOMEM;
    size_t n = 0;
    if (rc == LEAD_OK) {
        for (size_t row = 0; row < f->count; row++) {
            uint32_t g = f->group[row * LEAD_FUNNEL_DIM_COUNT + (size_t)d];
            used[g == NO_GROUP ? names->count : g] = 1;
        }
        for (size_t id = 0; id < slots; id++)
            if (used[id])
                order[n++] = (named_id){id < names->count ? lead__intern_name(names, (uint32_t)id)
                                                          : NULL,
                                        (uint32_t)id};
        qsort(order, n, sizeof *order, cmp_named);
        r->groups[d] = lead__calloc(&r->mem, n ? n : 1, sizeof *r->groups[d]);
        rc = r->groups[d] ? LEAD_OK : LEAD_ENOMEM;
    }
    for (size_t i = 0; rc == LEAD_OK && i < n; i++) {
        r->group_count[d] = i + 1;
        slot_of[order[i].id] = i;
        const char *name = order[i].name ? order[i].name : LEAD_FUNNEL_NONE;
        r->groups[d][i].name = lead__strdup(&r->mem, name);
        if (!r->groups[d][i].name)
            rc = LEAD_ENOMEM;
    }
    for (size_t row = 0; rc == LEAD_OK && row < f->count; row++) {
        uint32_t g = f->group[row * LEAD_FUNNEL_DIM_COUNT + (size_t)d];
        group_stats *gs = &r->groups[d][slot_of[g == NO_GROUP ? names->count : g]];
        const int64_t *e = f->entered + row * LEAD_STAGE_COUNT;
        for (int s = 0; s < LEAD_STAGE_COUNT; s++)
            gs->entered[s] += (uint64_t)in_range(e[s], from, to);
        if (in_range(e[LEAD_STAGE_CUSTOMER], from, to)) {
            if (gs->revenue > INT64_MAX - f->revenue[row])
                rc = LEAD_ENUMERIC;
            else
                gs->revenue += f->revenue[row];
        }
    }
    lead__free(&r->mem, order);
    lead__free(&r->mem, slot_of);
    lead__free(&r->mem, used);
    return rc;
}

/* Days since 1970-01-01 to a civil year and month (proleptic Gregorian; the
 * well-known era-based conversion). */
static void civil_from_days(int64_t z, int64_t *year, int *month)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

static int64_t days_from_civil(int64_t y, int m)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The first period of the time line begins before INT64_MIN ms: its start
 * is clamped to the earliest time that is not LEAD_TIME_UNKNOWN. */
static int64_t days_to_ms(int64_t days)
{
    return days < INT64_MIN / DAY_MS ? INT64_MIN + 1 : days * DAY_MS;
}

static int64_t period_start(int64_t t, int period)
{
    int64_t days = floor_div(t, DAY_MS);
    if (period == LEAD_COHORT_WEEK) {
        int64_t monday_based = floor_div(days + 3, 7) * 7 - 3; /* 1970-01-05 was a Monday */
        return days_to_ms(monday_based);
    }
    int64_t year;
    int month;
    civil_from_days(days, &year, &month);
    return days_to_ms(days_from_civil(year, month));
}

typedef struct cohort_row {
    int64_t start;
    size_t row;
} cohort_row;

static int cmp_cohort_row(const void *a, const void *b)
{
    const cohort_row *x = a, *y = b;
    if (x->start != y->start)
        return (x->start > y->start) - (x->start < y->start);
    return (x->row > y->row) - (x->row < y->row);
}

static int build_cohorts(lead_funnel_report *r, const lead_funnel *f, int64_t from, int64_t to,
                         int period)
{
    cohort_row *rows = lead__calloc(&r->mem, f->count ? f->count : 1, sizeof *rows);
    if (!rows)
        return LEAD_ENOMEM;
    size_t n = 0;
    for (size_t row = 0; row < f->count; row++) {
        int64_t became = reached_at(f->entered + row * LEAD_STAGE_COUNT, LEAD_STAGE_LEAD, INT64_MIN);
        if (in_range(became, from, to))
            rows[n++] = (cohort_row){period_start(became, period), row};
    }
    qsort(rows, n, sizeof *rows, cmp_cohort_row);
    size_t cohorts = 0;
    for (size_t i = 0; i < n; i++)
        cohorts += i == 0 || rows[i].start != rows[i - 1].start;
    r->cohorts = lead__calloc(&r->mem, cohorts ? cohorts : 1, sizeof *r->cohorts);
    if (!r->cohorts) {
        lead__free(&r->mem, rows);
        return LEAD_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || rows[i].start != rows[i - 1].start)
            r->cohorts[r->cohort_count++].start = rows[i].start;
        cohort_stats *c = &r->cohorts[r->cohort_count - 1];
        const int64_t *e = f->entered + rows[i].row * LEAD_STAGE_COUNT;
        int64_t became = reached_at(e, LEAD_STAGE_LEAD, INT64_MIN);
        c->size++;
        for (int s = 0; s < ORDERED_STAGES; s++) {
            int64_t at = s <= LEAD_STAGE_LEAD ? reached_at(e, s, INT64_MIN) : reached_at(e, s, became);
            c->reached[s] += (uint64_t)(at != LEAD_TIME_UNKNOWN && at < to);
        }
    }
    lead__free(&r->mem, rows);
    return LEAD_OK;
}

int lead_funnel_report_new(lead_funnel_report **out, const lead_funnel *f, int64_t from_ms,
                           int64_t to_ms, int cohort_period)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!f || from_ms >= to_ms ||
        (cohort_period != LEAD_COHORT_WEEK && cohort_period != LEAD_COHORT_MONTH))
        return LEAD_EINVAL;
    lead_funnel_report *r = lead__calloc(&f->mem, 1, sizeof *r);
    if (!r)
        return LEAD_ENOMEM;
    r->mem = f->mem;
    stage_counts(r, f, from_ms, to_ms);
    int rc = stage_times(r, f, from_ms, to_ms);
    for (int d = 0; rc == LEAD_OK && d < LEAD_FUNNEL_DIM_COUNT; d++)
        rc = group_dimension(r, f, d, from_ms, to_ms);
    if (rc == LEAD_OK)
        rc = build_cohorts(r, f, from_ms, to_ms, cohort_period);
    if (rc != LEAD_OK) {
        lead_funnel_report_free(r);
        return rc;
    }
    *out = r;
    return LEAD_OK;
}

void lead_funnel_report_free(lead_funnel_report *r)
{
    if (!r)
        return;
    lead__mem mem = r->mem;
    for (int d = 0; d < LEAD_FUNNEL_DIM_COUNT; d++) {
        for (size_t i = 0; i < r->group_count[d]; i++)
            lead__free(&mem, r->groups[d][i].name);
        lead__free(&mem, r->groups[d]);
    }
    lead__free(&mem, r->cohorts);
    lead__free(&mem, r);
}

/* ---- readers ---------------------------------------------------------------- */

static int ordered(int stage)
{
    return stage >= 0 && stage < ORDERED_STAGES;
}

int lead_funnel_report_entered(const lead_funnel_report *r, int stage, uint64_t *out_count)
{
    if (!r || !out_count || stage < 0 || stage >= LEAD_STAGE_COUNT)
        return LEAD_EINVAL;
    *out_count = r->entered[stage];
    return LEAD_OK;
}

int lead_funnel_report_conversion(const lead_funnel_report *r, int from_stage, int to_stage,
                                  uint64_t *out_reached, uint64_t *out_base, double *out_rate)
{
    if (!r || !ordered(from_stage) || !ordered(to_stage) || to_stage <= from_stage)
        return LEAD_EINVAL;
    uint64_t base = r->entered[from_stage], reached = r->reached[from_stage][to_stage];
    if (out_reached)
        *out_reached = reached;
    if (out_base)
        *out_base = base;
    if (out_rate)
        *out_rate = base ? (double)reached / (double)base : 0.0;
    return LEAD_OK;
}

int lead_funnel_report_time_in_stage(const lead_funnel_report *r, int stage,
                                     int64_t *out_median_ms, int64_t *out_p90_ms,
                                     uint64_t *out_samples)
{
    if (!r || !ordered(stage))
        return LEAD_EINVAL;
    if (out_median_ms)
        *out_median_ms = r->median[stage];
    if (out_p90_ms)
        *out_p90_ms = r->p90[stage];
    if (out_samples)
        *out_samples = r->samples[stage];
    return LEAD_OK;
}

int lead_funnel_report_group_count(const lead_funnel_report *r, int dim, size_t *out_count)
{
    if (!r || !out_count || dim < 0 || dim >= LEAD_FUNNEL_DIM_COUNT)
        return LEAD_EINVAL;
    *out_count = r->group_count[dim];
    return LEAD_OK;
}

int lead_funnel_report_group(const lead_funnel_report *r, int dim, size_t index, int stage,
                             const char **out_name, uint64_t *out_entered,
                             int64_t *out_revenue_minor)
{
    if (!r || dim < 0 || dim >= LEAD_FUNNEL_DIM_COUNT || stage < 0 || stage >= LEAD_STAGE_COUNT)
        return LEAD_EINVAL;
    if (index >= r->group_count[dim])
        return LEAD_ENOTFOUND;
    const group_stats *g = &r->groups[dim][index];
    if (out_name)
        *out_name = g->name;
    if (out_entered)
        *out_entered = g->entered[stage];
    if (out_revenue_minor)
        *out_revenue_minor = g->revenue;
    return LEAD_OK;
}

int lead_funnel_report_cohort_count(const lead_funnel_report *r, size_t *out_count)
{
    if (!r || !out_count)
        return LEAD_EINVAL;
    *out_count = r->cohort_count;
    return LEAD_OK;
}

int lead_funnel_report_cohort(const lead_funnel_report *r, size_t index, int stage,
                              int64_t *out_start_ms, uint64_t *out_size, uint64_t *out_reached)
{
    if (!r || !ordered(stage))
        return LEAD_EINVAL;
    if (index >= r->cohort_count)
        return LEAD_ENOTFOUND;
    const cohort_stats *c = &r->cohorts[index];
    if (out_start_ms)
        *out_start_ms = c->start;
    if (out_size)
        *out_size = c->size;
    if (out_reached)
        *out_reached = c->reached[stage];
    return LEAD_OK;
}

void lead__funnel_truncate(lead_funnel *f, size_t rows)
{
    if (rows < f->count)
        f->count = rows;
}

const lead__mem *lead__funnel_mem(const lead_funnel *f)
{
    return &f->mem;
}
