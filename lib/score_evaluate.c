/* Evaluating a model at a time t: fit, decayed behaviour with its cap and
 * floor, stage thresholds, and the explanation whose items sum exactly to
 * the total.
 *
 * Every figure is an integer number of centipoints. Each behaviour rule's
 * decayed value is rounded to centipoints once; the behaviour score is the
 * sum of those, clamped. An explanation splits each rounded figure among the
 * items that make it up with the largest remainder method, so the integer
 * items add up exactly to the integer score. */
#include "score.h"
#include "clock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A share's fractional part: a real one (frac), or an exact one as the
 * numerator num of num / den over a denominator common to all the shares
 * being apportioned. Only one of the two is used in a given apportionment. */
typedef struct frac_idx {
    double frac;
    int64_t num;
    size_t idx;
} frac_idx;

static int by_frac_desc(const void *a, const void *b)
{
    const frac_idx *x = a, *y = b;
    if (x->frac != y->frac)
        return x->frac > y->frac ? -1 : 1;
    if (x->num != y->num)
        return x->num > y->num ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* out[0..n) hold the shares rounded down and tmp[0..n) their fractional
 * parts: hands out the units still missing to reach target one at a time to
 * the largest fractional parts (ties to the lower index). */
static void hand_out(int64_t *out, size_t n, int64_t target, frac_idx *tmp)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += out[i];
    int64_t rem = target - sum;
    if (rem == 0 || n == 0)
        return;
    qsort(tmp, n, sizeof *tmp, by_frac_desc);
    for (size_t k = 0; rem > 0; k = (k + 1) % n, rem--)
        out[tmp[k].idx]++;
    for (size_t k = n - 1; rem < 0; k = k ? k - 1 : n - 1, rem++)
        out[tmp[k].idx]--;
}

/* Splits target among real shares x[0..n) (same unit) so that the integers
 * out[0..n) sum to target: the largest remainder method. */
static void apportion(int64_t *out, const double *x, size_t n, int64_t target, frac_idx *tmp)
{
    for (size_t i = 0; i < n; i++) {
        double f = floor(x[i]);
        out[i] = (int64_t)f;
        tmp[i].frac = x[i] - f;
        tmp[i].num = 0;
        tmp[i].idx = i;
    }
    hand_out(out, n, target, tmp);
}

/* The same for the exact shares num[i] / den (den > 0): each is rounded down
 * with integer division and its remainder compared as an integer, so equal
 * fractions are equal and the tie goes to the lower index. */
static void apportion_exact(int64_t *out, const int64_t *num, size_t n, int64_t den,
                            int64_t target, frac_idx *tmp)
{
    for (size_t i = 0; i < n; i++) {
        int64_t q = num[i] / den, r = num[i] % den;
        if (r < 0) { /* C truncates toward zero: make it the floor */
            q--;
            r += den;
        }
        out[i] = q;
        tmp[i].frac = 0.0;
        tmp[i].num = r;
        tmp[i].idx = i;
    }
    hand_out(out, n, target, tmp);
}

static int to_centi(double points, int64_t *out)
{
    double c = points * 100.0;
    if (!isfinite(c) || fabs(c) > 1e15)
        return LEAD_ENUMERIC;
    *out = llround(c);
    return LEAD_OK;
}

/* Scratch for an explanation, sized for the most items it can have. */
typedef struct scratch {
    unsigned char *matched; /* nfit */
    int64_t *rule_centi;    /* nbeh */
    double *x;              /* items */
    int64_t *num;           /* nfit + 1: exact fit shares, numerators over max - min */
    int64_t *val;           /* items */
    frac_idx *tmp;          /* items */
    size_t *order;          /* nhits, grouped by rule */
    size_t *start;          /* nbeh + 1 */
} scratch;

static void scratch_free(const lead__mem *mem, scratch *s)
{
    lead__free(mem, s->matched);
    lead__free(mem, s->rule_centi);
    lead__free(mem, s->x);
    lead__free(mem, s->num);
    lead__free(mem, s->val);
    lead__free(mem, s->tmp);
    lead__free(mem, s->order);
    lead__free(mem, s->start);
}

static int scratch_new(const lead__mem *mem, scratch *s, const lead__score_def *def,
                       size_t max_items, size_t nhits, int explain)
{
    memset(s, 0, sizeof *s);
    s->matched = lead__calloc(mem, def->nfit, 1);
    s->rule_centi = lead__calloc(mem, def->nbeh, sizeof *s->rule_centi);
    int ok = s->matched && s->rule_centi;
    if (explain) {
        s->x = lead__calloc(mem, max_items, sizeof *s->x);
        s->num = lead__calloc(mem, def->nfit + 1, sizeof *s->num);
        s->val = lead__calloc(mem, max_items, sizeof *s->val);
        s->tmp = lead__calloc(mem, max_items, sizeof *s->tmp);
        s->order = lead__calloc(mem, nhits, sizeof *s->order);
        s->start = lead__calloc(mem, def->nbeh + 1, sizeof *s->start);
        ok = ok && s->x && s->num && s->val && s->tmp && s->order && s->start;
    }
    if (!ok) {
        scratch_free(mem, s);
        return LEAD_ENOMEM;
    }
    return LEAD_OK;
}

/* Counting sort of the hits by rule, keeping time order within a rule. */
static void group_hits(scratch *s, const lead__score_def *def, const lead__score_hit *hits,
                       size_t nhits)
{
    for (size_t i = 0; i < nhits; i++)
        s->start[hits[i].rule + 1]++;
    for (size_t r = 0; r < def->nbeh; r++)
        s->start[r + 1] += s->start[r];
    /* Fill by advancing each rule's cursor, then shift the cursors back. */
    for (size_t i = 0; i < nhits; i++)
        s->order[s->start[hits[i].rule]++] = i;
    for (size_t r = def->nbeh; r > 0; r--)
        s->start[r] = s->start[r - 1];
    s->start[0] = 0;
}

typedef struct draft {
    lead_score_item *items;
    size_t n;
    char *pool;
} draft;

static lead_score_item *add_item(draft *d, int32_t kind, uint32_t rule, const char *subject)
{
    lead_score_item *it = &d->items[d->n++];
    memset(it, 0, sizeof *it);
    it->struct_size = (uint32_t)sizeof *it;
    it->version = LEAD_SCORE_ITEM_VERSION;
    it->kind = kind;
    it->rule = rule;
    size_t len = strlen(subject);
    memcpy(d->pool, subject, len + 1);
    it->subject = d->pool;
    d->pool += len + 1;
    return it;
}

/* Splits `target` among the items [first, d->n) whose shares are in x. */
static void settle(draft *d, scratch *s, size_t first, int64_t target)
{
    size_t n = d->n - first;
    apportion(s->val, s->x + first, n, target, s->tmp);
    for (size_t i = 0; i < n; i++)
        d->items[first + i].value = s->val[i];
}

/* The fit items' shares are 10000 p / (max - min) centipoints, and the base
 * item's 10000 (-min) / (max - min): exact fractions over one denominator,
 * apportioned in integers. With at most 4096 fit rules of at most 1000000
 * points, max - min is at most 4.096e9 and every numerator at most 4.096e13
 * in magnitude; even points anywhere in int32_t keep them below 2^31 * 4096
 * and 10000 * 2^43 < 2^57, inside int64_t. */
static void explain_fit(draft *d, scratch *s, const lead__score_def *def,
                        const lead__fit_eval *fe, int64_t fit)
{
    int64_t range = fe->max - fe->min;
    for (size_t i = 0; i < def->nfit; i++) {
        if (!s->matched[i])
            continue;
        int32_t p = def->fit[i].points;
        s->num[d->n] = range > 0 ? 10000 * (int64_t)p : 0;
        lead_score_item *it =
            add_item(d, LEAD_SCORE_ITEM_FIT_RULE, (uint32_t)i, def->fit[i].test.field);
        it->raw = (int64_t)p * 100;
    }
    if (fe->min < 0) {
        s->num[d->n] = range > 0 ? -10000 * fe->min : 0;
        add_item(d, LEAD_SCORE_ITEM_FIT_BASE, 0, "")->raw = -fe->min * 100;
    }
    /* The fit items are the first ones of the draft. */
    apportion_exact(s->val, s->num, d->n, range > 0 ? range : 1, fit, s->tmp);
    for (size_t i = 0; i < d->n; i++)
        d->items[i].value = s->val[i];
}

static void explain_behaviour(draft *d, scratch *s, const lead__score_def *def, int64_t t,
                              const lead__score_hit *hits, size_t nhits)
{
    group_hits(s, def, hits, nhits);
    for (size_t r = 0; r < def->nbeh; r++) {
        size_t first = d->n;
        int64_t h = lead__score_rule_half_life(def, r);
        for (size_t k = s->start[r]; k < s->start[r + 1]; k++) {
            const lead__score_hit *hit = &hits[s->order[k]];
            s->x[d->n] =
                100.0 * def->beh[r].points * lead__score_decay(lead__ms_since(t, hit->time), h);
            lead_score_item *it = add_item(d, LEAD_SCORE_ITEM_EVENT, (uint32_t)r, def->beh[r].type);
            it->event_index = hit->event_index;
            it->event_time = hit->time;
            it->raw = (int64_t)def->beh[r].points * 100;
        }
        settle(d, s, first, s->rule_centi[r]);
    }
}

/* Bytes the explanation's subject strings need. */
static size_t pool_size(const lead__score_def *def, const unsigned char *matched,
                        const lead__score_hit *hits, size_t nhits)
{
    size_t n = 2; /* "" for the base item and for the adjustment */
    for (size_t i = 0; i < def->nfit; i++)
        if (matched[i])
            n += strlen(def->fit[i].test.field) + 1;
    for (size_t i = 0; i < nhits; i++)
        n += strlen(def->beh[hits[i].rule].type) + 1;
    return n;
}

int lead__score_behaviour(int64_t *out, int64_t *raw_sum, int64_t *rule_centi,
                          const lead__score_def *def, const lead__score_state *st, int64_t t)
{
    int64_t sum = 0;
    for (size_t r = 0; r < def->nbeh; r++) {
        int64_t centi = 0;
        int rc = to_centi(lead__score_state_rule_value(st, def, r, t), &centi);
        if (rc != LEAD_OK)
            return rc;
        if (rule_centi)
            rule_centi[r] = centi;
        sum += centi;
    }
    if (raw_sum)
        *raw_sum = sum;
    if (def->has_cap && sum > (int64_t)def->cap * 100)
        sum = (int64_t)def->cap * 100;
    if (def->has_floor && sum < (int64_t)def->floor * 100)
        sum = (int64_t)def->floor * 100;
    *out = sum;
    return LEAD_OK;
}

int lead__score_result_build(lead_score_result **out, const lead__mem *mem,
                             const lead__score_def *def, const lead__score_contact *contact,
                             const lead__score_state *st, int64_t t,
                             const lead__score_hit *hits, size_t nhits)
{
    *out = NULL;
    if (st->nrules != def->nbeh || (st->has_last && t < st->last_time))
        return LEAD_ESTATE;
    int explain = hits != NULL;
    size_t max_items = def->nfit + 1 + nhits + 1;
    scratch s;
    int rc = scratch_new(mem, &s, def, max_items, nhits, explain);
    if (rc != LEAD_OK)
        return rc;
    lead__fit_eval fe;
    lead__score_fit(&fe, s.matched, def, contact);
    int64_t beh = 0, beh_raw = 0;
    rc = lead__score_behaviour(&beh, &beh_raw, s.rule_centi, def, st, t);
    size_t nitems = 0, pool = 0;
    if (explain) {
        pool = pool_size(def, s.matched, hits, nhits);
        nitems = max_items;
    }
    lead_score_result *r = NULL;
    if (rc == LEAD_OK) {
        /* The struct's size is a multiple of its alignment, which covers the
         * items' (both hold int64_t and pointers). */
        size_t fixed = sizeof *r + pool;
        if (pool < SIZE_MAX - sizeof *r &&
            nitems <= (SIZE_MAX - fixed) / sizeof(lead_score_item))
            r = lead__malloc(mem, fixed + nitems * sizeof(lead_score_item));
        rc = r ? LEAD_OK : LEAD_ENOMEM;
    }
    if (rc != LEAD_OK) {
        scratch_free(mem, &s);
        return rc;
    }
    memset(r, 0, sizeof *r);
    r->mem = *mem;
    r->fit = fe.fit;
    r->behaviour = beh;
    r->total = fe.fit + beh;
    r->grade = fe.grade;
    r->bant_mask = fe.bant_mask;
    lead__score_pick_stage(r, def);
    if (explain) {
        draft d = {(lead_score_item *)(r + 1), 0, NULL};
        d.pool = (char *)(d.items + nitems);
        explain_fit(&d, &s, def, &fe, fe.fit);
        explain_behaviour(&d, &s, def, t, hits, nhits);
        if (beh != beh_raw) {
            int32_t kind = beh < beh_raw ? LEAD_SCORE_ITEM_BEHAVIOUR_CAP
                                         : LEAD_SCORE_ITEM_BEHAVIOUR_FLOOR;
            lead_score_item *it = add_item(&d, kind, 0, "");
            it->value = beh - beh_raw;
            it->raw = it->value;
        }
        r->items = d.items;
        r->nitems = d.n;
    }
    scratch_free(mem, &s);
    *out = r;
    return LEAD_OK;
}

typedef struct hit_list {
    const lead__mem *mem;
    lead__score_hit *hits;
    size_t n, cap;
    uint64_t event_index;
    int64_t time;
    const lead__score_def *def;
    int rc;
} hit_list;

static void collect_hit(void *ctx, size_t rule)
{
    hit_list *l = ctx;
    if (l->rc != LEAD_OK)
        return;
    l->rc = lead__grow(l->mem, (void **)&l->hits, &l->cap, l->n + 1, sizeof *l->hits);
    if (l->rc != LEAD_OK)
        return;
    lead__score_hit *h = &l->hits[l->n++];
    h->rule = (uint32_t)rule;
    h->event_index = l->event_index;
    h->time = l->time;
    h->type = l->def->beh[rule].type;
}

int lead__score_evaluate(lead_score_result **out, const lead_score_model *model,
                         const lead__score_contact *contact, const lead__score_event *events,
                         size_t n, int64_t t, int explain)
{
    *out = NULL;
    const lead__mem *mem = &model->mem;
    const lead__score_def *def = &model->def;
    lead__score_state st;
    int rc = lead__score_state_init(mem, &st, def);
    if (rc != LEAD_OK)
        return rc;
    hit_list l = {mem, NULL, 0, 0, 0, 0, def, LEAD_OK};
    for (size_t i = 0; i < n && rc == LEAD_OK && l.rc == LEAD_OK; i++) {
        if (events[i].time > t)
            break; /* the history is in time order: the rest is later still */
        l.event_index = i;
        l.time = events[i].time;
        rc = lead__score_state_feed(&st, def, &events[i], explain ? collect_hit : NULL, &l);
        if (rc == LEAD_ESTATE)
            rc = LEAD_EINVAL; /* events not in time order */
    }
    if (rc == LEAD_OK)
        rc = l.rc;
    if (rc == LEAD_OK) {
        /* A non-NULL hit list asks for an explanation, even with no hits. */
        static const lead__score_hit none;
        const lead__score_hit *hits = explain ? (l.hits ? l.hits : &none) : NULL;
        rc = lead__score_result_build(out, mem, def, contact, &st, t, hits, l.n);
    }
    lead__free(mem, l.hits);
    lead__score_state_clear(mem, &st);
    return rc;
}
