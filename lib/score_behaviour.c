/* Behaviour: matching events to rules, per-rule caps and windows, and the
 * decayed sums.
 *
 * Each rule keeps sum = sum_i p * 2^((t_i - frame)/h) in its state's frame
 * (score.h): a hit adds p * 2^((t - frame)/h) and a read at T is
 * sum * 2^-((T - frame)/h), so no hit rescales earlier terms and a rule
 * state is a single double. The frame moves forward, rescaling every sum
 * once, when an event lies more than 64 shortest half-lives past it: each
 * term stays below 2^64 times its points, far inside a double's range (a
 * frame that never moved would leave it after about 1024 half-lives). A
 * from-scratch evaluation feeds the same events in the same order through
 * the same code, so the two give identical bits. */
#include "score.h"
#include "clock.h"

#include <math.h>
#include <string.h>

double lead__score_decay(int64_t age_ms, int64_t half_life_ms)
{
    if (half_life_ms <= 0 || age_ms <= 0)
        return 1.0;
    return exp2(-(double)age_ms / (double)half_life_ms);
}

int64_t lead__score_rule_half_life(const lead__score_def *def, size_t r)
{
    return def->beh[r].has_half_life ? def->beh[r].half_life_ms : def->half_life_ms;
}

/* A term may grow by 2^64 before the frame moves. */
#define REBASE_HALF_LIVES 64

/* Cap slots of a rule: none uncapped; the count of counted hits for a cap;
 * with a window also the ring of the last cap_n counted times, the hit k
 * (from 0) going to ring slot k % cap_n. */
static size_t cap_slot_count(const lead__behaviour_rule *r)
{
    if (!r->cap_n)
        return 0;
    return r->cap_window_ms ? 1u + r->cap_n : 1u;
}

void lead__score_def_layout(lead__score_def *def)
{
    /* At most LEAD__SCORE_MAX_RULES rules of 1 + LEAD__SCORE_MAX_CAP slots:
     * offsets fit 32 bits. */
    size_t at = 0;
    int64_t shortest = 0;
    for (size_t r = 0; r < def->nbeh; r++) {
        def->beh[r].aux_off = (uint32_t)at;
        at += cap_slot_count(&def->beh[r]);
        int64_t h = lead__score_rule_half_life(def, r);
        def->beh[r].decay_ms = h > 0 ? h : 0;
        def->beh[r].has_conds =
            def->beh[r].channel || def->beh[r].campaign || def->beh[r].prop_name;
        if (h > 0 && (!shortest || h < shortest))
            shortest = h;
    }
    def->aux_slots = at;
    def->rebase_ms =
        shortest > INT64_MAX / REBASE_HALF_LIVES ? INT64_MAX : shortest * REBASE_HALF_LIVES;
}

static int64_t *cap_of(const lead__score_state *st, const lead__behaviour_rule *r)
{
    return (int64_t *)(void *)(st->rules + st->nrules) + r->aux_off;
}

int lead__score_state_init(const lead__mem *mem, lead__score_state *st, const lead__score_def *def)
{
    memset(st, 0, sizeof *st);
    /* Bounded by the limits above: no overflow. */
    lead__rule_state *rules =
        lead__calloc(mem, 1, def->nbeh * sizeof *rules + def->aux_slots * sizeof(int64_t));
    if (!rules)
        return LEAD_ENOMEM;
    st->nrules = (uint32_t)def->nbeh;
    st->rules = rules;
    return LEAD_OK;
}

void lead__score_state_clear(const lead__mem *mem, lead__score_state *st)
{
    lead__free(mem, st->rules);
    memset(st, 0, sizeof *st);
}

void lead__score_cap_slots(const lead__score_state *st, const lead__score_def *def, size_t r,
                           int64_t *slots[2])
{
    const lead__behaviour_rule *rule = &def->beh[r];
    slots[0] = slots[1] = NULL;
    if (!rule->cap_n)
        return;
    int64_t *cap = cap_of(st, rule);
    slots[0] = cap;
    if (rule->cap_window_ms)
        slots[1] = cap + 1 + cap[0] % rule->cap_n;
}

void lead__score_rules_prefetch(const lead__score_state *st, const lead__score_def *def,
                                const uint32_t *rules, size_t n)
{
#if defined(__GNUC__) || defined(__clang__)
    for (size_t i = 0; i < n; i++) {
        __builtin_prefetch(&st->rules[rules[i]], 1);
        if (def->beh[rules[i]].cap_n)
            __builtin_prefetch(cap_of(st, &def->beh[rules[i]]), 1);
    }
#else
    (void)st;
    (void)def;
    (void)rules;
    (void)n;
#endif
}

int lead__score_state_rebases(const lead__score_state *st, const lead__score_def *def, int64_t t)
{
    return st->has_last && def->rebase_ms && lead__ms_since(t, st->frame) > def->rebase_ms;
}

/* Moves the frame to t: every decaying sum is rescaled once. */
static void rebase(lead__score_state *st, const lead__score_def *def, int64_t t)
{
    int64_t span = lead__ms_since(t, st->frame);
    for (size_t r = 0; r < def->nbeh; r++) {
        int64_t h = lead__score_rule_half_life(def, r);
        if (h > 0 && st->rules[r].sum != 0.0)
            st->rules[r].sum *= exp2(-(double)span / (double)h);
    }
    st->frame = t;
}

/* The first bytes are compared inline: most conditions that fail (another
 * channel or campaign) fail there, without a call. */
static int opt_equal(const char *want, const char *have)
{
    if (!want)
        return 1;
    return have && want[0] == have[0] && (!want[0] || strcmp(want + 1, have + 1) == 0);
}

/* What the caller already knows of an event and a rule. */
enum { MATCH_UNKNOWN, MATCH_TYPE, MATCH_ALL };

/* known: MATCH_TYPE when the caller matched the rule's type, MATCH_ALL
 * when it matched every condition (a compile-time constant at each use). */
static int event_matches(const lead__behaviour_rule *r, const lead__score_event *ev,
                         int known)
{
    if (known == MATCH_ALL)
        return 1;
    if (known == MATCH_UNKNOWN && (!ev->type || strcmp(r->type, ev->type) != 0))
        return 0;
    if (!r->has_conds)
        return 1;
    if (!opt_equal(r->channel, ev->channel) || !opt_equal(r->campaign, ev->campaign))
        return 0;
    if (!r->prop_name)
        return 1;
    for (size_t i = 0; i < ev->nprops; i++)
        if (opt_equal(r->prop_name, ev->props[i].name) &&
            opt_equal(r->prop_value, ev->props[i].value))
            return 1;
    return 0;
}

/* Whether a hit at t is within the rule's cap (cap: its cap slots). */
static int under_cap(const lead__behaviour_rule *r, const int64_t *cap, int64_t t)
{
    if (!r->cap_n || cap[0] < r->cap_n)
        return 1;
    if (!r->cap_window_ms)
        return 0;
    /* Full: the hit counts when the oldest of the last N, the slot this hit
     * would overwrite, left the window (t - window, t]. */
    return lead__ms_since(t, cap[1 + cap[0] % r->cap_n]) >= r->cap_window_ms;
}

/* The weights 2^((t - frame)/h) of an event's hits, one power of two per
 * distinct half-life: the rules of a model mostly share one or two. A rule
 * without decay, or an event at the frame, weighs 1. Every weight of a
 * half-life is the same exp2() of the same operands, whichever path feeds
 * the event. */
#define WEIGHT_SLOTS 4
typedef struct weights {
    int64_t since_frame; /* ms from the frame to the event */
    unsigned n;          /* slots filled */
    unsigned next;       /* the slot replaced when all are filled */
    int64_t h[WEIGHT_SLOTS];
    double w[WEIGHT_SLOTS];
} weights;

static double weight_of(weights *wc, int64_t h)
{
    if (!h || !wc->since_frame)
        return 1.0;
    for (unsigned i = 0; i < wc->n; i++)
        if (wc->h[i] == h)
            return wc->w[i];
    unsigned i = wc->n < WEIGHT_SLOTS ? wc->n++ : wc->next++ % WEIGHT_SLOTS;
    wc->h[i] = h;
    wc->w[i] = exp2((double)wc->since_frame / (double)h);
    return wc->w[i];
}

/* Counts ev for rule r when it matches and the cap lets it. Inline: it is
 * the loop body of every feed. */
static inline void feed_rule(lead__score_state *st, const lead__score_def *def,
                             const lead__score_event *ev, size_t r, int known,
                             weights *wc, void (*on_hit)(void *ctx, size_t rule), void *ctx)
{
    const lead__behaviour_rule *rule = &def->beh[r];
    if (!event_matches(rule, ev, known))
        return;
    if (rule->cap_n) {
        int64_t *cap = cap_of(st, rule);
        if (!under_cap(rule, cap, ev->time))
            return;
        if (rule->cap_window_ms)
            cap[1 + cap[0] % rule->cap_n] = ev->time;
        if (cap[0] < INT64_MAX)
            cap[0]++;
    }
    st->rules[r].sum += rule->points * weight_of(wc, rule->decay_ms);
    if (on_hit)
        on_hit(ctx, r);
}

/* Checks that ev may be fed and sets or moves the frame before its hits are
 * added; nothing changes on LEAD_ESTATE. */
static inline int feed_begin(lead__score_state *st, const lead__score_def *def,
                             const lead__score_event *ev, weights *wc)
{
    if (st->nrules != def->nbeh)
        return LEAD_ESTATE;
    if (!st->has_last) {
        st->frame = ev->time;
    } else {
        if (ev->time < st->last_time)
            return LEAD_ESTATE;
        if (lead__score_state_rebases(st, def, ev->time))
            rebase(st, def, ev->time);
    }
    wc->since_frame = lead__ms_since(ev->time, st->frame);
    wc->n = wc->next = 0;
    return LEAD_OK;
}

static void fed(lead__score_state *st, const lead__score_event *ev)
{
    st->has_last = 1;
    st->last_time = ev->time;
}

int lead__score_state_feed(lead__score_state *st, const lead__score_def *def,
                           const lead__score_event *ev,
                           void (*on_hit)(void *ctx, size_t rule), void *ctx)
{
    weights wc;
    int rc = feed_begin(st, def, ev, &wc);
    if (rc != LEAD_OK)
        return rc;
    for (size_t r = 0; r < def->nbeh; r++)
        feed_rule(st, def, ev, r, MATCH_UNKNOWN, &wc, on_hit, ctx);
    fed(st, ev);
    return LEAD_OK;
}

int lead__score_state_feed_rules(lead__score_state *st, const lead__score_def *def,
                                 const lead__score_event *ev, const uint32_t *rules, size_t n,
                                 void (*on_hit)(void *ctx, size_t rule), void *ctx)
{
    weights wc;
    int rc = feed_begin(st, def, ev, &wc);
    if (rc != LEAD_OK)
        return rc;
    /* A loop of its own without a hook (rebuilds): nothing to keep live
     * across the rules but the rules. */
    if (on_hit) {
        for (size_t i = 0; i < n; i++)
            feed_rule(st, def, ev, rules[i], MATCH_TYPE, &wc, on_hit, ctx);
    } else {
        for (size_t i = 0; i < n; i++)
            feed_rule(st, def, ev, rules[i], MATCH_TYPE, &wc, NULL, NULL);
    }
    fed(st, ev);
    return LEAD_OK;
}

/* The run to one state (lead__score_states_feed_run). */
static int feed_run_to(lead__score_state *st, const lead__score_def *def, size_t k,
                       const lead__score_run_event *evs, size_t nevs)
{
    /* Matched in full: the feed reads only the time. */
    lead__score_event ev = {NULL, NULL, NULL, 0, NULL, 0};
    for (size_t e = 0; e < nevs; e++) {
        weights wc;
        ev.time = evs[e].time;
        if (feed_begin(st, def, &ev, &wc) != LEAD_OK)
            return LEAD_ESTATE;
        const lead__score_rule_list *l = &evs[e].lists[k];
        for (uint32_t i = 0; i < l->n; i++)
            feed_rule(st, def, &ev, l->rules[i], MATCH_ALL, &wc, NULL, NULL);
        fed(st, &ev);
    }
    return LEAD_OK;
}

int lead__score_states_feed_run(lead__score_state *sts, const lead__score_def *const *defs,
                                size_t n, const lead__score_run_event *evs, size_t nevs)
{
    for (size_t k = 0; k < n; k++)
        if (feed_run_to(&sts[k], defs[k], k, evs, nevs) != LEAD_OK)
            return LEAD_ESTATE;
    return LEAD_OK;
}

double lead__score_state_rule_value(const lead__score_state *st, const lead__score_def *def,
                                    size_t r, int64_t t)
{
    double sum = st->rules[r].sum;
    int64_t h = lead__score_rule_half_life(def, r);
    if (sum == 0.0 || h <= 0)
        return sum;
    return sum * exp2(-(double)lead__ms_since(t, st->frame) / (double)h);
}

int64_t lead__score_state_bound(const lead__score_state *st, const lead__score_def *def)
{
    int64_t bound = 0, last_h = -1;
    double factor = 1.0;
    for (size_t r = 0; r < def->nbeh; r++) {
        double sum = st->rules[r].sum;
        if (sum <= 0.0)
            continue;
        int64_t h = lead__score_rule_half_life(def, r);
        if (h != last_h) {
            /* Whole half-lives since the frame: at most 64 once fed
             * (rebase_ms); rules mostly share the model's half-life. */
            int64_t halvings = h > 0 ? lead__ms_since(st->last_time, st->frame) / h : 0;
            factor = ldexp(1.0, -(int)(halvings < 1100 ? halvings : 1100));
            last_h = h;
        }
        /* Saturate: a bound that does not fit says "compute exactly", and
         * the exact path guards its own range. */
        double centi = sum * factor * 100.0;
        if (!(centi < 0x1p62) || bound > INT64_MAX - (INT64_C(1) << 62))
            return INT64_MAX;
        bound += llround(centi);
    }
    return bound;
}
