/* Private: transition counts of an order-k Markov chain over journeys, and
 * the exact solve of its conversion probability and removal effects.
 *
 * States are numbered in order of first sight; 0, 1 and 2 are start,
 * conversion and null, every other state is a window of 1..order channel ids
 * (ids into the counts' own name table, so counts of different journey sets
 * can be merged by name). */
#ifndef LEAD_LIB_MARKOV_H
#define LEAD_LIB_MARKOV_H

#include "lead/markov.h"
#include "alloc.h"
#include "intern.h"
#include "journey.h"

#define LEAD__MARKOV_START 0u
#define LEAD__MARKOV_CONVERSION 1u
#define LEAD__MARKOV_NULL 2u
#define LEAD__MARKOV_SPECIAL 3u

struct lead_markov_counts {
    lead__mem mem;
    uint32_t order;
    uint32_t keep_repeats;
    lead__intern channels;

    uint32_t *window;   /* state s: window[s * order .. + len[s]) */
    uint8_t *len;       /* 0 for the three special states */
    size_t state_count, state_cap;
    uint32_t *state_slots; /* state id + 1, or 0; power-of-two capacity */
    size_t state_slot_cap;

    uint32_t *edge_from, *edge_to;
    double *edge_weight;
    size_t edge_count, edge_cap;
    uint32_t *edge_slots; /* edge id + 1, or 0; power-of-two capacity */
    size_t edge_slot_cap;

    double conversions, value, nulls; /* totals of the journeys counted */
};

/* An empty table for options already validated. */
int lead__markov_counts_create(lead_markov_counts **out, const lead__mem *mem, uint32_t order,
                               uint32_t keep_repeats);

/* Id of the window w[0..len), added if new. */
int lead__markov_counts_state_of(lead_markov_counts *c, const uint32_t *w, size_t len,
                                 uint32_t *out);
/* Id of the window w[0..len) or LEAD_ENOTFOUND. */
int lead__markov_counts_find_state(const lead_markov_counts *c, const uint32_t *w, size_t len,
                                   uint32_t *out);
/* Weight of the edge from -> to, 0 when absent. */
double lead__markov_counts_edge_weight(const lead_markov_counts *c, uint32_t from, uint32_t to);
/* Adds weight to the edge from -> to, created if new. */
int lead__markov_counts_add_edge(lead_markov_counts *c, uint32_t from, uint32_t to,
                                 double weight);

/* Adds the journeys j with keep(j, ctx) != 0 (all when keep is NULL) of set.
 * On failure the table may hold part of them: callers discard it. */
int lead__markov_counts_add_set(lead_markov_counts *counts, const lead_journey_set *set,
                                int (*keep)(size_t journey, void *ctx), void *ctx);

/* Adds every transition and total of from (same order and repeat rule).
 * On failure into may hold part of them: callers discard it. */
int lead__markov_counts_add_counts(lead_markov_counts *into, const lead_markov_counts *from);

/* lead_markov_solve(), optionally without the order-1 direct method (so
 * tests can hold the two methods against each other). */
int lead__markov_solve_with(lead_markov_result **out, const lead_markov_counts *counts,
                            int allow_dense);

/* Credit per channel of set (arrays of the set's channel count) by the
 * order-k removal effects; used by the attribution model kind. */
int lead__markov_credit(const lead__mem *mem, const lead_journey_set *set, uint32_t order,
                        uint32_t keep_repeats, double *out_conversions, double *out_values);

/* Shapley credit per channel (arrays of the set's channel count) in one
 * pass: each journey's conversions and value split equally over its
 * distinct channels. Equal to the Shapley kinds' channel credit. */
int lead__shapley_credit(const lead__mem *mem, const lead_journey_set *set,
                         double *out_conversions, double *out_values);

#endif
