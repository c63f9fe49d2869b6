/* Markov transition counts: building them from journeys, merging them by
 * channel name. States and edges are found through open-addressing indexes
 * so a million journeys cost a few probes per touch. */
#include "markov.h"

#include <math.h>
#include <string.h>

static int init_special_states(lead_markov_counts *c);

int lead__markov_counts_create(lead_markov_counts **out, const lead__mem *mem, uint32_t order,
                               uint32_t keep_repeats)
{
    *out = NULL;
    lead_markov_counts *c = lead__calloc(mem, 1, sizeof *c);
    if (!c)
        return LEAD_ENOMEM;
    c->mem = *mem;
    c->order = order;
    c->keep_repeats = keep_repeats ? 1u : 0u;
    lead__intern_init(&c->channels);
    int rc = init_special_states(c);
    if (rc != LEAD_OK) {
        lead_markov_counts_free(c);
        return rc;
    }
    *out = c;
    return LEAD_OK;
}

void lead_markov_counts_free(lead_markov_counts *counts)
{
    if (!counts)
        return;
    lead__mem mem = counts->mem;
    lead__intern_free(&mem, &counts->channels);
    lead__free(&mem, counts->window);
    lead__free(&mem, counts->len);
    lead__free(&mem, counts->state_slots);
    lead__free(&mem, counts->edge_from);
    lead__free(&mem, counts->edge_to);
    lead__free(&mem, counts->edge_weight);
    lead__free(&mem, counts->edge_slots);
    lead__free(&mem, counts);
}

int lead_markov_options_init(lead_markov_options *opts, uint32_t struct_size)
{
    lead_markov_options init = LEAD_MARKOV_OPTIONS_INIT;
    return lead__init_versioned(opts, struct_size, &init, sizeof init);
}

/* ---- indexes ------------------------------------------------------------ */

static uint32_t hash_window(const uint32_t *w, size_t len)
{
    uint32_t h = 2166136261u ^ (uint32_t)len;
    for (size_t i = 0; i < len; i++) {
        h ^= w[i];
        h *= 16777619u;
        h ^= h >> 15;
    }
    return h;
}

static uint32_t hash_edge(uint32_t from, uint32_t to)
{
    uint64_t x = ((uint64_t)from << 32 | to) * UINT64_C(0x9E3779B97F4A7C15);
    return (uint32_t)(x >> 32);
}

static int same_window(const lead_markov_counts *c, uint32_t s, const uint32_t *w, size_t len)
{
    return c->len[s] == len && memcmp(c->window + (size_t)s * c->order, w, len * sizeof *w) == 0;
}

/* Rebuilds an index of `count` items at twice the capacity it needs. */
static int rebuild_slots(const lead__mem *mem, uint32_t **slots, size_t *slot_cap, size_t count,
                         uint32_t (*hash_of)(const lead_markov_counts *, size_t),
                         const lead_markov_counts *c)
{
    size_t cap = *slot_cap ? *slot_cap : 64;
    while (cap < 2 * (count + 1))
        cap *= 2;
    uint32_t *grown = lead__calloc(mem, cap, sizeof *grown);
    if (!grown)
        return LEAD_ENOMEM;
    for (size_t id = 0; id < count; id++) {
        size_t i = hash_of(c, id) & (cap - 1);
        while (grown[i])
            i = (i + 1) & (cap - 1);
        grown[i] = (uint32_t)(id + 1);
    }
    lead__free(mem, *slots);
    *slots = grown;
    *slot_cap = cap;
    return LEAD_OK;
}

static uint32_t state_hash_of(const lead_markov_counts *c, size_t s)
{
    return hash_window(c->window + s * c->order, c->len[s]);
}

static uint32_t edge_hash_of(const lead_markov_counts *c, size_t e)
{
    return hash_edge(c->edge_from[e], c->edge_to[e]);
}

static int append_state(lead_markov_counts *c, const uint32_t *w, size_t len)
{
    if (c->state_count >= UINT32_MAX - 1)
        return LEAD_ELIMIT;
    size_t need = c->state_count + 1;
    if (need > c->state_cap) {
        size_t cap = c->state_cap ? c->state_cap * 2 : 64;
        uint32_t *win = lead__realloc_array(&c->mem, c->window, cap, (size_t)c->order * 4u);
        if (!win)
            return LEAD_ENOMEM;
        c->window = win;
        uint8_t *lens = lead__realloc_array(&c->mem, c->len, cap, 1);
        if (!lens)
            return LEAD_ENOMEM;
        c->len = lens;
        c->state_cap = cap;
    }
    size_t s = c->state_count;
    memset(c->window + s * c->order, 0, c->order * sizeof *c->window);
    if (len)
        memcpy(c->window + s * c->order, w, len * sizeof *w);
    c->len[s] = (uint8_t)len;
    c->state_count = need;
    return LEAD_OK;
}

static int init_special_states(lead_markov_counts *c)
{
    for (int i = 0; i < 3; i++) {
        int rc = append_state(c, NULL, 0);
        if (rc != LEAD_OK)
            return rc;
    }
    return LEAD_OK;
}

/* Slot of the window w[0..len) in the state index: its state, or the
 * empty slot where it goes. */
static size_t probe_state(const lead_markov_counts *c, const uint32_t *w, size_t len, int *found)
{
    size_t mask = c->state_slot_cap - 1;
    size_t i = hash_window(w, len) & mask;
    for (; c->state_slots[i]; i = (i + 1) & mask)
        if (same_window(c, c->state_slots[i] - 1, w, len)) {
            *found = 1;
            return i;
        }
    *found = 0;
    return i;
}

int lead__markov_counts_find_state(const lead_markov_counts *c, const uint32_t *w, size_t len,
                                   uint32_t *out)
{
    int found = 0;
    size_t i = c->state_slot_cap ? probe_state(c, w, len, &found) : 0;
    if (!found)
        return LEAD_ENOTFOUND;
    *out = c->state_slots[i] - 1;
    return LEAD_OK;
}

int lead__markov_counts_state_of(lead_markov_counts *c, const uint32_t *w, size_t len,
                                 uint32_t *out)
{
    if (2 * (c->state_count + 1) > c->state_slot_cap) {
        int rc = rebuild_slots(&c->mem, &c->state_slots, &c->state_slot_cap, c->state_count,
                               state_hash_of, c);
        if (rc != LEAD_OK)
            return rc;
    }
    int found;
    size_t i = probe_state(c, w, len, &found);
    if (found) {
        *out = c->state_slots[i] - 1;
        return LEAD_OK;
    }
    int rc = append_state(c, w, len);
    if (rc != LEAD_OK)
        return rc;
    *out = (uint32_t)(c->state_count - 1);
    c->state_slots[i] = *out + 1;
    return LEAD_OK;
}

static int append_edge(lead_markov_counts *c, uint32_t from, uint32_t to)
{
    if (c->edge_count >= UINT32_MAX - 1)
        return LEAD_ELIMIT;
    if (c->edge_count + 1 > c->edge_cap) {
        size_t cap = c->edge_cap ? c->edge_cap * 2 : 64;
        uint32_t *f = lead__realloc_array(&c->mem, c->edge_from, cap, sizeof *f);
        if (!f)
            return LEAD_ENOMEM;
        c->edge_from = f;
        uint32_t *t = lead__realloc_array(&c->mem, c->edge_to, cap, sizeof *t);
        if (!t)
            return LEAD_ENOMEM;
        c->edge_to = t;
        double *w = lead__realloc_array(&c->mem, c->edge_weight, cap, sizeof *w);
        if (!w)
            return LEAD_ENOMEM;
        c->edge_weight = w;
        c->edge_cap = cap;
    }
    size_t e = c->edge_count++;
    c->edge_from[e] = from;
    c->edge_to[e] = to;
    c->edge_weight[e] = 0;
    return LEAD_OK;
}

static size_t probe_edge(const lead_markov_counts *c, uint32_t from, uint32_t to, int *found)
{
    size_t mask = c->edge_slot_cap - 1;
    size_t i = hash_edge(from, to) & mask;
    for (; c->edge_slots[i]; i = (i + 1) & mask) {
        uint32_t e = c->edge_slots[i] - 1;
        if (c->edge_from[e] == from && c->edge_to[e] == to) {
            *found = 1;
            return i;
        }
    }
    *found = 0;
    return i;
}

double lead__markov_counts_edge_weight(const lead_markov_counts *c, uint32_t from, uint32_t to)
{
    int found = 0;
    size_t i = c->edge_slot_cap ? probe_edge(c, from, to, &found) : 0;
    return found ? c->edge_weight[c->edge_slots[i] - 1] : 0.0;
}

int lead__markov_counts_add_edge(lead_markov_counts *c, uint32_t from, uint32_t to,
                                 double weight)
{
    if (2 * (c->edge_count + 1) > c->edge_slot_cap) {
        int rc = rebuild_slots(&c->mem, &c->edge_slots, &c->edge_slot_cap, c->edge_count,
                               edge_hash_of, c);
        if (rc != LEAD_OK)
            return rc;
    }
    int found;
    size_t i = probe_edge(c, from, to, &found);
    if (found) {
        c->edge_weight[c->edge_slots[i] - 1] += weight;
        return LEAD_OK;
    }
    int rc = append_edge(c, from, to);
    if (rc != LEAD_OK)
        return rc;
    c->edge_slots[i] = (uint32_t)c->edge_count;
    c->edge_weight[c->edge_count - 1] = weight;
    return LEAD_OK;
}

/* ---- counting journeys ---------------------------------------------- */

/* Counts' channel id of every set channel id, interning the names. */
static int map_set_channels(lead_markov_counts *c, const lead_journey_set *set, uint32_t *map)
{
    for (size_t id = 0; id < set->channels.count; id++) {
        const char *name = lead__intern_name(&set->channels, (uint32_t)id);
        int rc = lead__intern_put(&c->mem, &c->channels, name, strlen(name), &map[id]);
        if (rc != LEAD_OK)
            return rc;
    }
    return LEAD_OK;
}

static int count_journey(lead_markov_counts *c, const lead_journey_set *set, size_t j,
                         const uint32_t *map)
{
    double conv = set->conversions[j], nulls = set->nulls[j], weight = conv + nulls;
    c->conversions += conv;
    c->value += set->value[j];
    c->nulls += nulls;
    if (!(weight > 0))
        return LEAD_OK;
    size_t first = lead__journey_first(set, j), end = lead__journey_end(set, j);
    size_t n = end - first, k = c->order;
    uint32_t w[LEAD_MARKOV_MAX_ORDER];
    uint32_t prev = LEAD__MARKOV_START;
    /* A path shorter than the order is one state; otherwise every window
     * of k consecutive touches is one. */
    size_t windows = n <= k ? 1 : n - k + 1, width = n <= k ? n : k;
    for (size_t i = 0; i < windows; i++) {
        for (size_t t = 0; t < width; t++)
            w[t] = map[set->touch_channel[first + i + t]];
        uint32_t s;
        int rc = lead__markov_counts_state_of(c, w, width, &s);
        if (rc != LEAD_OK)
            return rc;
        if (s == prev && !c->keep_repeats)
            continue;
        rc = lead__markov_counts_add_edge(c, prev, s, weight);
        if (rc != LEAD_OK)
            return rc;
        prev = s;
    }
    int rc = LEAD_OK;
    if (conv > 0)
        rc = lead__markov_counts_add_edge(c, prev, LEAD__MARKOV_CONVERSION, conv);
    if (rc == LEAD_OK && nulls > 0)
        rc = lead__markov_counts_add_edge(c, prev, LEAD__MARKOV_NULL, nulls);
    return rc;
}

int lead__markov_counts_add_set(lead_markov_counts *counts, const lead_journey_set *set,
                                int (*keep)(size_t journey, void *ctx), void *ctx)
{
    uint32_t *map = lead__calloc(&counts->mem, set->channels.count + 1, sizeof *map);
    if (!map)
        return LEAD_ENOMEM;
    int rc = map_set_channels(counts, set, map);
    for (size_t j = 0; rc == LEAD_OK && j < set->journey_count; j++)
        if (!keep || keep(j, ctx))
            rc = count_journey(counts, set, j, map);
    lead__free(&counts->mem, map);
    return rc;
}

static int options_from(const lead_markov_options *opts, lead_markov_options *out)
{
    lead_markov_options o = LEAD_MARKOV_OPTIONS_INIT;
    if (opts) {
        int rc = lead__copy_versioned(&o, sizeof o, opts, LEAD_MARKOV_OPTIONS_VERSION);
        if (rc != LEAD_OK)
            return rc;
    }
    if (o.order < 1 || o.order > LEAD_MARKOV_MAX_ORDER)
        return LEAD_EINVAL;
    *out = o;
    return LEAD_OK;
}

int lead_markov_counts_new(lead_markov_counts **out, const lead_journey_set *set,
                           const lead_markov_options *opts, const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!set || set->open)
        return LEAD_EINVAL;
    lead_markov_options o;
    int rc = options_from(opts, &o);
    if (rc != LEAD_OK)
        return rc;
    lead__mem mem;
    rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_markov_counts *c;
    rc = lead__markov_counts_create(&c, &mem, o.order, o.keep_repeats);
    if (rc == LEAD_OK)
        rc = lead__markov_counts_add_set(c, set, NULL, NULL);
    if (rc != LEAD_OK) {
        lead_markov_counts_free(c);
        return rc;
    }
    *out = c;
    return LEAD_OK;
}

/* ---- merging ------------------------------------------------------------ */

int lead__markov_counts_add_counts(lead_markov_counts *into, const lead_markov_counts *from)
{
    const lead__mem *mem = &into->mem;
    uint32_t *channel_map = lead__calloc(mem, from->channels.count + 1, sizeof *channel_map);
    uint32_t *state_map = lead__calloc(mem, from->state_count, sizeof *state_map);
    int rc = channel_map && state_map ? LEAD_OK : LEAD_ENOMEM;
    for (size_t id = 0; rc == LEAD_OK && id < from->channels.count; id++) {
        const char *name = lead__intern_name(&from->channels, (uint32_t)id);
        rc = lead__intern_put(mem, &into->channels, name, strlen(name), &channel_map[id]);
    }
    for (size_t s = 0; rc == LEAD_OK && s < from->state_count; s++) {
        if (s < LEAD__MARKOV_SPECIAL) {
            state_map[s] = (uint32_t)s;
            continue;
        }
        uint32_t w[LEAD_MARKOV_MAX_ORDER];
        const uint32_t *src = from->window + s * from->order;
        for (size_t t = 0; t < from->len[s]; t++)
            w[t] = channel_map[src[t]];
        rc = lead__markov_counts_state_of(into, w, from->len[s], &state_map[s]);
    }
    for (size_t e = 0; rc == LEAD_OK && e < from->edge_count; e++)
        rc = lead__markov_counts_add_edge(into, state_map[from->edge_from[e]],
                                          state_map[from->edge_to[e]], from->edge_weight[e]);
    if (rc == LEAD_OK) {
        into->conversions += from->conversions;
        into->value += from->value;
        into->nulls += from->nulls;
    }
    lead__free(mem, channel_map);
    lead__free(mem, state_map);
    return rc;
}

int lead_markov_counts_merge(lead_markov_counts *into, const lead_markov_counts *from)
{
    if (!into || !from || into == from)
        return LEAD_EINVAL;
    if (into->order != from->order || into->keep_repeats != from->keep_repeats)
        return LEAD_EINVAL;
    /* Merge into a copy and swap, so a failure leaves into as it was. */
    lead_markov_counts *merged;
    int rc = lead__markov_counts_create(&merged, &into->mem, into->order, into->keep_repeats);
    if (rc == LEAD_OK)
        rc = lead__markov_counts_add_counts(merged, into);
    if (rc == LEAD_OK)
        rc = lead__markov_counts_add_counts(merged, from);
    if (rc != LEAD_OK) {
        lead_markov_counts_free(merged);
        return rc;
    }
    lead_markov_counts old = *into;
    *into = *merged;
    *merged = old;
    lead_markov_counts_free(merged);
    return LEAD_OK;
}
