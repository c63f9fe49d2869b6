/* Choosing the Markov order by held-out likelihood.
 *
 * A fixed fifth of the journeys (by a hash of their index, so the split is
 * the same on every run) is held out; the chain of each order is counted on
 * the rest, and the held-out transitions are scored by
 *   P(t | s) = (n(s, t) + 1) / (n(s) + V),
 * V = channels + 2 (the possible next touches plus conversion and null), so
 * a transition the training data never made costs a finite, large penalty:
 * higher orders win only when their sharper contexts predict better than
 * the sparsity they create costs. */
#include "markov.h"

#include <math.h>
#include <string.h>

static uint64_t mix64(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

static int is_heldout(size_t journey, void *ctx)
{
    (void)ctx;
    return mix64((uint64_t)journey) % 5 == 0;
}

static int is_training(size_t journey, void *ctx)
{
    return !is_heldout(journey, ctx);
}

/* Out-weight n(s) of every state of c. */
static double *state_totals(const lead_markov_counts *c)
{
    double *total = lead__calloc(&c->mem, c->state_count, sizeof *total);
    if (total)
        for (size_t e = 0; e < c->edge_count; e++)
            total[c->edge_from[e]] += c->edge_weight[e];
    return total;
}

/* State of train matching state s of other (by channel names), or
 * UINT32_MAX when train never saw it. */
static uint32_t state_in(const lead_markov_counts *train, const lead_markov_counts *other,
                         uint32_t s)
{
    if (s < LEAD__MARKOV_SPECIAL)
        return s;
    uint32_t w[LEAD_MARKOV_MAX_ORDER];
    const uint32_t *src = other->window + (size_t)s * other->order;
    for (size_t t = 0; t < other->len[s]; t++) {
        const char *name = lead__intern_name(&other->channels, src[t]);
        if (lead__intern_find(&train->channels, name, strlen(name), &w[t]) != LEAD_OK)
            return UINT32_MAX;
    }
    uint32_t found;
    return lead__markov_counts_find_state(train, w, other->len[s], &found) == LEAD_OK
               ? found
               : UINT32_MAX;
}

/* Mean log-likelihood per transition of the edges of scored under train. */
static double mean_loglik(const lead_markov_counts *train, const double *train_total,
                          const lead_markov_counts *scored)
{
    double vocabulary = (double)train->channels.count + 2.0, sum = 0, weight = 0;
    for (size_t e = 0; e < scored->edge_count; e++) {
        uint32_t from = state_in(train, scored, scored->edge_from[e]);
        uint32_t to = state_in(train, scored, scored->edge_to[e]);
        double n_from = from == UINT32_MAX ? 0.0 : train_total[from];
        double n_edge = from == UINT32_MAX || to == UINT32_MAX
                            ? 0.0
                            : lead__markov_counts_edge_weight(train, from, to);
        double w = scored->edge_weight[e];
        sum += w * log((n_edge + 1.0) / (n_from + vocabulary));
        weight += w;
    }
    return weight > 0 ? sum / weight : 0.0;
}

static int fit_order(const lead__mem *mem, const lead_journey_set *set, uint32_t order,
                     uint32_t keep_repeats, double *out_heldout, double *out_train)
{
    lead_markov_counts *train = NULL, *heldout = NULL;
    double *total = NULL;
    int rc = lead__markov_counts_create(&train, mem, order, keep_repeats);
    if (rc == LEAD_OK)
        rc = lead__markov_counts_create(&heldout, mem, order, keep_repeats);
    if (rc == LEAD_OK)
        rc = lead__markov_counts_add_set(train, set, is_training, NULL);
    if (rc == LEAD_OK)
        rc = lead__markov_counts_add_set(heldout, set, is_heldout, NULL);
    if (rc == LEAD_OK && (train->edge_count == 0 || heldout->edge_count == 0))
        rc = LEAD_EINVAL;
    if (rc == LEAD_OK && !(total = state_totals(train)))
        rc = LEAD_ENOMEM;
    if (rc == LEAD_OK) {
        *out_heldout = mean_loglik(train, total, heldout);
        *out_train = mean_loglik(train, total, train);
    }
    lead__free(mem, total);
    lead_markov_counts_free(train);
    lead_markov_counts_free(heldout);
    return rc;
}

int lead_markov_select_order(uint32_t *out_order, double *out_heldout, double *out_train,
                             const lead_journey_set *set, uint32_t max_order,
                             const lead_markov_options *opts, const lead_allocator *alloc)
{
    if (!out_order || !set || set->open || max_order < 1 || max_order > LEAD_MARKOV_MAX_ORDER)
        return LEAD_EINVAL;
    lead_markov_options o = LEAD_MARKOV_OPTIONS_INIT;
    int rc = opts ? lead__copy_versioned(&o, sizeof o, opts, LEAD_MARKOV_OPTIONS_VERSION)
                  : LEAD_OK;
    lead__mem mem;
    if (rc == LEAD_OK)
        rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    double heldout[LEAD_MARKOV_MAX_ORDER], train[LEAD_MARKOV_MAX_ORDER];
    uint32_t best = 1;
    for (uint32_t k = 1; k <= max_order; k++) {
        rc = fit_order(&mem, set, k, o.keep_repeats, &heldout[k - 1], &train[k - 1]);
        if (rc != LEAD_OK)
            return rc;
        if (heldout[k - 1] > heldout[best - 1])
            best = k;
    }
    for (uint32_t k = 0; k < max_order; k++) {
        if (out_heldout)
            out_heldout[k] = heldout[k];
        if (out_train)
            out_train[k] = train[k];
    }
    *out_order = best;
    return LEAD_OK;
}
