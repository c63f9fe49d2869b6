/* Behaviour: matching events to rules, per-rule caps and windows, and the
 * incremental decayed sums.
 *
 * Each rule keeps sum = sum_i p * 2^-((ref - t_i)/h) with ref the time of its
 * latest counted hit. A new hit at t >= ref rebases in O(1):
 *     sum = sum * 2^-((t - ref)/h) + p,  ref = t
 * and a read at time T is sum * 2^-((T - ref)/h). Every term is at most |p|,
 * so the sum stays bounded by the number of hits times the points (no
 * overflow, unlike accumulating p * 2^(t_i/h) against a fixed epoch, which
 * leaves the range of a double after about 1024 half-lives). A from-scratch
 * evaluation feeds the same events in the same order through the same code,
 * so the two give identical bits. */
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

static int64_t *ring_base(const lead__score_state *st)
{
    return (int64_t *)(void *)(st->rules + st->nrules);
}

int lead__score_state_init(const lead__mem *mem, lead__score_state *st, const lead__score_def *def)
{
    memset(st, 0, sizeof *st);
    size_t slots = 0;
    for (size_t r = 0; r < def->nbeh; r++)
        if (def->beh[r].cap_window_ms)
            slots += def->beh[r].cap_n;
    /* At most LEAD__SCORE_MAX_RULES rules of LEAD__SCORE_MAX_CAP slots: no
     * overflow, and ring offsets fit 32 bits. */
    lead__rule_state *rules =
        lead__calloc(mem, 1, def->nbeh * sizeof *rules + slots * sizeof(int64_t));
    if (!rules)
        return LEAD_ENOMEM;
    size_t at = 0;
    for (size_t r = 0; r < def->nbeh; r++) {
        if (def->beh[r].cap_window_ms) {
            rules[r].ring_off = (uint32_t)at;
            at += def->beh[r].cap_n;
        }
    }
    st->nrules = (uint32_t)def->nbeh;
    st->rules = rules;
    return LEAD_OK;
}

void lead__score_state_clear(const lead__mem *mem, lead__score_state *st)
{
    lead__free(mem, st->rules);
    memset(st, 0, sizeof *st);
}

int64_t *lead__score_ring_slot(const lead__score_state *st, const lead__score_def *def, size_t r)
{
    if (!def->beh[r].cap_window_ms)
        return NULL;
    const lead__rule_state *rs = &st->rules[r];
    return ring_base(st) + rs->ring_off + rs->ring_head;
}

static int opt_equal(const char *want, const char *have)
{
    return !want || (have && strcmp(want, have) == 0);
}

/* type_known: the caller already matched the rule's type. */
static int event_matches(const lead__behaviour_rule *r, const lead__score_event *ev,
                         int type_known)
{
    if (!type_known && (!ev->type || strcmp(r->type, ev->type) != 0))
        return 0;
    if (!opt_equal(r->channel, ev->channel) || !opt_equal(r->campaign, ev->campaign))
        return 0;
    if (!r->prop_name)
        return 1;
    for (size_t i = 0; i < ev->nprops; i++)
        if (ev->props[i].name && strcmp(ev->props[i].name, r->prop_name) == 0 &&
            opt_equal(r->prop_value, ev->props[i].value))
            return 1;
    return 0;
}

/* Whether a hit at t is within the rule's cap; the ring holds the last cap_n
 * counted times, oldest at ring_head once full. */
static int under_cap(const lead__behaviour_rule *r, const lead__rule_state *rs,
                     const int64_t *ring, int64_t t)
{
    if (!r->cap_n)
        return 1;
    if (!r->cap_window_ms)
        return rs->counted < r->cap_n;
    if (rs->ring_len < r->cap_n)
        return 1;
    /* Full: the hit counts when the oldest of the last N left the window
     * (t - window, t]. */
    return lead__ms_since(t, ring[rs->ring_head]) >= r->cap_window_ms;
}

static void record_hit(const lead__behaviour_rule *r, lead__rule_state *rs, int64_t *ring,
                       int64_t t, int64_t half_life)
{
    if (r->cap_window_ms) {
        if (rs->ring_len < r->cap_n) {
            ring[rs->ring_len++] = t;
        } else {
            ring[rs->ring_head] = t;
            rs->ring_head = (uint8_t)((rs->ring_head + 1u) % r->cap_n);
        }
    }
    if (rs->counted == 0)
        rs->sum = r->points;
    else
        rs->sum = rs->sum * lead__score_decay(lead__ms_since(t, rs->ref_time), half_life) +
                  r->points;
    rs->ref_time = t;
    if (rs->counted < UINT16_MAX)
        rs->counted++;
}

/* Counts ev for rule r when it matches and the cap lets it; rings is the
 * state's first ring slot. Inline: it is the loop body of every feed. */
static inline void feed_rule(lead__score_state *st, int64_t *rings, const lead__score_def *def,
                             const lead__score_event *ev, size_t r, int type_known,
                             void (*on_hit)(void *ctx, size_t rule), void *ctx)
{
    const lead__behaviour_rule *rule = &def->beh[r];
    lead__rule_state *rs = &st->rules[r];
    int64_t *ring = rings + rs->ring_off;
    if (!event_matches(rule, ev, type_known) || !under_cap(rule, rs, ring, ev->time))
        return;
    record_hit(rule, rs, ring, ev->time, lead__score_rule_half_life(def, r));
    if (on_hit)
        on_hit(ctx, r);
}

static int feed_ok(const lead__score_state *st, const lead__score_def *def,
                   const lead__score_event *ev)
{
    return st->nrules == def->nbeh && !(st->has_last && ev->time < st->last_time);
}

static void fed(lead__score_state *st, const lead__score_event *ev)
{
    st->has_last = 1;
    st->last_time = ev->time;
    st->events++;
}

int lead__score_state_feed(lead__score_state *st, const lead__score_def *def,
                           const lead__score_event *ev,
                           void (*on_hit)(void *ctx, size_t rule), void *ctx)
{
    if (!feed_ok(st, def, ev))
        return LEAD_ESTATE;
    int64_t *rings = ring_base(st);
    for (size_t r = 0; r < def->nbeh; r++)
        feed_rule(st, rings, def, ev, r, 0, on_hit, ctx);
    fed(st, ev);
    return LEAD_OK;
}

int lead__score_state_feed_rules(lead__score_state *st, const lead__score_def *def,
                                 const lead__score_event *ev, const uint32_t *rules, size_t n,
                                 void (*on_hit)(void *ctx, size_t rule), void *ctx)
{
    if (!feed_ok(st, def, ev))
        return LEAD_ESTATE;
    int64_t *rings = ring_base(st);
    for (size_t i = 0; i < n; i++)
        feed_rule(st, rings, def, ev, rules[i], 1, on_hit, ctx);
    fed(st, ev);
    return LEAD_OK;
}

double lead__score_state_rule_value(const lead__score_state *st, const lead__score_def *def,
                                    size_t r, int64_t t)
{
    const lead__rule_state *rs = &st->rules[r];
    if (!rs->counted)
        return 0.0;
    return rs->sum * lead__score_decay(lead__ms_since(t, rs->ref_time),
                                       lead__score_rule_half_life(def, r));
}
