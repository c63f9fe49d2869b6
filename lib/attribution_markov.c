/* Markov removal effects solved exactly.
 *
 * The counts are first put in a canonical order (channels by name, windows
 * by their channel names, edges by state), so the result depends only on the
 * counts and not on the order journeys or partitions arrived in. Absorption
 * probabilities x solve x = Q x + b on the transient states (start and
 * windows; b is the one-step conversion probability). At order 1 with a
 * modest state count one subtraction-free elimination of I - Q gives x and
 * every removal effect (solve_dense). Otherwise Gauss-Seidel sweeps, with
 * the self-loop solved in closed form, converge monotonically because Q is
 * substochastic with every state able to leave; they stop on an estimate of
 * the remaining error, not on the step size. Removing channel c pins x = 0
 * on every window containing c, and starts from the full solution, which
 * bounds the restricted one from above. */
#include "attribution.h"
#include "markov.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Gauss-Seidel stops once its estimated error, step x rho / (1 - rho)
 * with rho the contraction estimated from successive steps, is within
 * MARKOV_ERROR_TOL; once the steps are down to rounding (MARKOV_NOISE) the
 * estimate uses that step size and must be within MARKOV_STALL_TOL, else the
 * chain converges too slowly for double precision and the solve fails. */
#define MARKOV_ERROR_TOL 1e-13
#define MARKOV_STALL_TOL 1e-12
#define MARKOV_NOISE (4 * DBL_EPSILON)
/* ... and the residual max |x - (Qx + b)| must then be within this. */
#define MARKOV_RESIDUAL_TOL 1e-12
#define MARKOV_MAX_SWEEPS 200000
/* Sweeps over which the contraction rho is measured. */
#define MARKOV_RATIOS 4

struct lead_markov_result {
    lead__mem mem;
    uint32_t order;
    double p_conversion;
    double conversions, value, nulls;

    size_t channel_count;
    char **names; /* sorted */
    double *removal_effect, *credit_conversions, *credit_value;

    size_t state_count;
    uint32_t *window; /* state s: window[s * order .. + len[s]), result channel indexes */
    uint8_t *len;

    size_t edge_count;
    uint32_t *edge_from, *edge_to;
    double *edge_count_of, *edge_probability;
};

void lead_markov_result_free(lead_markov_result *r)
{
    if (!r)
        return;
    lead__mem mem = r->mem;
    if (r->names)
        for (size_t i = 0; i < r->channel_count; i++)
            lead__free(&mem, r->names[i]);
    lead__free(&mem, r->names);
    lead__free(&mem, r->removal_effect);
    lead__free(&mem, r->credit_conversions);
    lead__free(&mem, r->credit_value);
    lead__free(&mem, r->window);
    lead__free(&mem, r->len);
    lead__free(&mem, r->edge_from);
    lead__free(&mem, r->edge_to);
    lead__free(&mem, r->edge_count_of);
    lead__free(&mem, r->edge_probability);
    lead__free(&mem, r);
}

/* ---- canonical order ------------------------------------------------ */

typedef struct name_key {
    const char *name;
    uint32_t id;
} name_key;

static int cmp_name_key(const void *a, const void *b)
{
    return strcmp(((const name_key *)a)->name, ((const name_key *)b)->name);
}

typedef struct window_key {
    const uint32_t *ranks; /* the window's channels as name ranks */
    uint32_t len;
    uint32_t id;
} window_key;

static int cmp_window_key(const void *a, const void *b)
{
    const window_key *x = a, *y = b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    for (uint32_t i = 0; i < n; i++)
        if (x->ranks[i] != y->ranks[i])
            return x->ranks[i] < y->ranks[i] ? -1 : 1;
    return (x->len > y->len) - (x->len < y->len);
}

typedef struct edge_key {
    uint32_t from, to;
    double weight;
} edge_key;

static int cmp_edge_key(const void *a, const void *b)
{
    const edge_key *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

/* Copies names sorted into r and fills rank[id] (counts id -> result index). */
static int sort_channels(lead_markov_result *r, const lead_markov_counts *c, uint32_t *rank)
{
    size_t n = c->channels.count;
    name_key *keys = lead__calloc(&r->mem, n + 1, sizeof *keys);
    r->names = lead__calloc(&r->mem, n + 1, sizeof *r->names);
    if (!keys || !r->names) {
        lead__free(&r->mem, keys);
        return LEAD_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        keys[i] = (name_key){lead__intern_name(&c->channels, (uint32_t)i), (uint32_t)i};
    qsort(keys, n, sizeof *keys, cmp_name_key);
    int rc = LEAD_OK;
    for (size_t i = 0; i < n && rc == LEAD_OK; i++) {
        rank[keys[i].id] = (uint32_t)i;
        r->names[i] = lead__strdup(&r->mem, keys[i].name);
        if (!r->names[i])
            rc = LEAD_ENOMEM;
    }
    r->channel_count = n;
    lead__free(&r->mem, keys);
    return rc;
}

/* Fills r's windows in canonical order and state_map (counts id -> index). */
static int sort_states(lead_markov_result *r, const lead_markov_counts *c, const uint32_t *rank,
                       uint32_t *state_map)
{
    size_t n = c->state_count, k = c->order;
    r->window = lead__calloc(&r->mem, n * k, sizeof *r->window);
    r->len = lead__calloc(&r->mem, n, 1);
    uint32_t *ranks = lead__calloc(&r->mem, n * k, sizeof *ranks);
    window_key *keys = lead__calloc(&r->mem, n, sizeof *keys);
    int rc = r->window && r->len && ranks && keys ? LEAD_OK : LEAD_ENOMEM;
    if (rc == LEAD_OK) {
        size_t w = 0;
        for (size_t s = LEAD__MARKOV_SPECIAL; s < n; s++, w++) {
            for (size_t t = 0; t < c->len[s]; t++)
                ranks[s * k + t] = rank[c->window[s * k + t]];
            keys[w] = (window_key){ranks + s * k, c->len[s], (uint32_t)s};
        }
        qsort(keys, w, sizeof *keys, cmp_window_key);
        for (uint32_t s = 0; s < LEAD__MARKOV_SPECIAL; s++)
            state_map[s] = s;
        for (size_t i = 0; i < w; i++) {
            size_t to = i + LEAD__MARKOV_SPECIAL;
            state_map[keys[i].id] = (uint32_t)to;
            memcpy(r->window + to * k, keys[i].ranks, keys[i].len * sizeof *r->window);
            r->len[to] = (uint8_t)keys[i].len;
        }
        r->state_count = n;
    }
    lead__free(&r->mem, ranks);
    lead__free(&r->mem, keys);
    return rc;
}

/* Fills r's edges in canonical order with their probabilities. */
static int sort_edges(lead_markov_result *r, const lead_markov_counts *c,
                      const uint32_t *state_map, double *out_weight)
{
    size_t m = c->edge_count;
    edge_key *keys = lead__calloc(&r->mem, m + 1, sizeof *keys);
    r->edge_from = lead__calloc(&r->mem, m + 1, sizeof *r->edge_from);
    r->edge_to = lead__calloc(&r->mem, m + 1, sizeof *r->edge_to);
    r->edge_count_of = lead__calloc(&r->mem, m + 1, sizeof *r->edge_count_of);
    r->edge_probability = lead__calloc(&r->mem, m + 1, sizeof *r->edge_probability);
    if (!keys || !r->edge_from || !r->edge_to || !r->edge_count_of || !r->edge_probability) {
        lead__free(&r->mem, keys);
        return LEAD_ENOMEM;
    }
    for (size_t e = 0; e < m; e++)
        keys[e] = (edge_key){state_map[c->edge_from[e]], state_map[c->edge_to[e]],
                             c->edge_weight[e]};
    qsort(keys, m, sizeof *keys, cmp_edge_key);
    for (size_t e = 0; e < m; e++)
        out_weight[keys[e].from] += keys[e].weight;
    for (size_t e = 0; e < m; e++) {
        r->edge_from[e] = keys[e].from;
        r->edge_to[e] = keys[e].to;
        r->edge_count_of[e] = keys[e].weight;
        r->edge_probability[e] = keys[e].weight / out_weight[keys[e].from];
    }
    r->edge_count = m;
    lead__free(&r->mem, keys);
    return LEAD_OK;
}

/* ---- the solve ------------------------------------------------------ */

/* Rows of x = Q x + b over all states; absorbing rows are empty. Edges are
 * sorted by from, so row i's entries are edges row[i]..row[i+1]. */
typedef struct chain {
    size_t n;
    size_t *row;
    double *self; /* Q[i][i] */
    double *exit; /* b[i]: P(i -> conversion) */
} chain;

static void chain_free(const lead__mem *mem, chain *ch)
{
    lead__free(mem, ch->row);
    lead__free(mem, ch->self);
    lead__free(mem, ch->exit);
}

static int chain_build(const lead__mem *mem, const lead_markov_result *r, chain *ch)
{
    size_t n = r->state_count;
    ch->n = n;
    ch->row = lead__calloc(mem, n + 1, sizeof *ch->row);
    ch->self = lead__calloc(mem, n, sizeof *ch->self);
    ch->exit = lead__calloc(mem, n, sizeof *ch->exit);
    if (!ch->row || !ch->self || !ch->exit)
        return LEAD_ENOMEM;
    for (size_t e = 0; e < r->edge_count; e++) {
        uint32_t f = r->edge_from[e], t = r->edge_to[e];
        ch->row[f + 1] = e + 1;
        if (t == f)
            ch->self[f] = r->edge_probability[e];
        else if (t == LEAD__MARKOV_CONVERSION)
            ch->exit[f] = r->edge_probability[e];
    }
    for (size_t i = 1; i <= n; i++)
        if (ch->row[i] < ch->row[i - 1])
            ch->row[i] = ch->row[i - 1];
    return LEAD_OK;
}

/* One state's value from the others: (b + sum of Q x over other states) /
 * (1 - Q[i][i]). */
static double row_value(const lead_markov_result *r, const chain *ch, const double *x, size_t i)
{
    double sum = ch->exit[i];
    for (size_t e = ch->row[i]; e < ch->row[i + 1]; e++) {
        uint32_t t = r->edge_to[e];
        if (t >= LEAD__MARKOV_SPECIAL && t != i)
            sum += r->edge_probability[e] * x[t];
    }
    double stay = 1.0 - ch->self[i];
    return stay > 0 ? sum / stay : 0.0;
}

static int is_transient(size_t i)
{
    return i == LEAD__MARKOV_START || i >= LEAD__MARKOV_SPECIAL;
}

/* Gauss-Seidel on the transient states not pinned (pinned[i] != 0 keeps
 * x[i] = 0). The iterates move monotonically (up from 0, or down from the
 * full solution when states are pinned), and the steps shrink like rho^k,
 * so the distance left to the solution is about step * rho / (1 - rho): a
 * small step alone says nothing when a loop returns with probability near
 * 1. rho is the geometric mean contraction over the last MARKOV_RATIOS
 * sweeps (the largest step of which is used), which also copes with steps
 * that alternate between states. */
static int solve_absorption(const lead_markov_result *r, const chain *ch, const uint8_t *pinned,
                            double *x)
{
    double step[MARKOV_RATIOS + 1] = {0}; /* step of sweep k at k % (MARKOV_RATIOS + 1) */
    int converged = 0;
    for (long sweep = 0; sweep < MARKOV_MAX_SWEEPS && !converged; sweep++) {
        double moved = 0;
        for (size_t i = 0; i < ch->n; i++) {
            if (!is_transient(i) || (pinned && pinned[i]))
                continue;
            double v = row_value(r, ch, x, i);
            double d = fabs(v - x[i]);
            if (!(d <= moved))
                moved = d;
            x[i] = v;
        }
        if (!isfinite(moved))
            return LEAD_ENUMERIC;
        double prev = sweep > 0 ? step[(sweep - 1) % (MARKOV_RATIOS + 1)] : 0;
        step[sweep % (MARKOV_RATIOS + 1)] = moved;
        if (sweep == 0) {
            converged = moved <= MARKOV_NOISE; /* x was a solution already */
            continue;
        }
        long span = sweep < MARKOV_RATIOS ? sweep : MARKOV_RATIOS;
        double oldest = step[(sweep - span) % (MARKOV_RATIOS + 1)], largest = 0;
        for (long k = 0; k < span; k++)
            if (step[(sweep - k) % (MARKOV_RATIOS + 1)] > largest)
                largest = step[(sweep - k) % (MARKOV_RATIOS + 1)];
        double rho = oldest > 0 ? pow(moved / oldest, 1.0 / (double)span) : 0;
        if (moved <= MARKOV_NOISE) {
            /* Down to rounding. From a step above MARKOV_STALL_TOL in one
             * sweep the contraction is tiny (finite convergence, as on
             * chains without loops); after a gradual descent, done only if
             * a rounding-sized step, scaled by the recent contraction, is
             * within MARKOV_STALL_TOL. */
            if (prev > MARKOV_STALL_TOL)
                rho = moved / prev;
            if (!(rho < 1 && MARKOV_NOISE * rho / (1 - rho) <= MARKOV_STALL_TOL))
                return LEAD_ENUMERIC;
            converged = 1;
        } else {
            converged = span == MARKOV_RATIOS && rho < 1 &&
                        largest * rho / (1 - rho) <= MARKOV_ERROR_TOL;
        }
    }
    if (!converged)
        return LEAD_ENUMERIC;
    double residual = 0;
    for (size_t i = 0; i < ch->n; i++) {
        if (!is_transient(i) || (pinned && pinned[i]))
            continue;
        double d = fabs(row_value(r, ch, x, i) - x[i]);
        if (!(d <= residual))
            residual = d;
    }
    return residual <= MARKOV_RESIDUAL_TOL ? LEAD_OK : LEAD_ENUMERIC;
}

static int window_has(const lead_markov_result *r, size_t s, uint32_t channel)
{
    const uint32_t *w = r->window + s * r->order;
    for (size_t t = 0; t < r->len[s]; t++)
        if (w[t] == channel)
            return 1;
    return 0;
}

static int removal_effects(lead_markov_result *r, const chain *ch, const double *x)
{
    size_t n = ch->n;
    double *xr = lead__calloc(&r->mem, n, sizeof *xr);
    uint8_t *pinned = lead__calloc(&r->mem, n, 1);
    int rc = xr && pinned ? LEAD_OK : LEAD_ENOMEM;
    for (uint32_t c = 0; rc == LEAD_OK && c < r->channel_count; c++) {
        for (size_t s = 0; s < n; s++) {
            pinned[s] = s >= LEAD__MARKOV_SPECIAL && window_has(r, s, c);
            xr[s] = pinned[s] ? 0.0 : x[s];
        }
        rc = solve_absorption(r, ch, pinned, xr);
        double re = r->p_conversion > 0 ? 1.0 - xr[LEAD__MARKOV_START] / r->p_conversion : 0.0;
        r->removal_effect[c] = re > 0 ? re : 0.0;
    }
    lead__free(&r->mem, xr);
    lead__free(&r->mem, pinned);
    return rc;
}

/* Order 1 with a modest state count: everything from one factorisation of
 * A = I - Q over the m transient states (start is 0, window s is s - 2):
 *   x = A^-1 b, so P(conversion) = x_start, with no iteration at all;
 *   every removal pins exactly one state s, and the first-passage identity
 *   P(conversion avoiding s) = x_start - N[start][s] / N[s][s] * x_s
 *   (N = A^-1, the expected visits; N[start][s] / N[s][s] is the
 *   probability of ever reaching s) gives every removal effect.
 * The elimination needs no pivoting and no subtraction (the GTH variant,
 * Grassmann, Taksar and Heyman 1985): A is an M-matrix (off-diagonal
 * entries <= 0) whose row sums are the exit probabilities r_i = P(i ->
 * conversion or null) >= 0, and both properties survive each elimination
 * step, with the reduced row sums r_i - (a_ik / a_kk) r_k. Each pivot is
 * formed as r_k + sum_{j>k} |a_kj|, a sum of non-negative terms, never as
 * 1 - P(k -> k) - ..., so a loop returning with probability close to 1
 * costs no accuracy; the triangular factors have non-positive off-diagonal
 * entries, so solving with a non-negative right-hand side only adds
 * non-negative terms too. The results are exact up to rounding in every
 * entry, whatever the shape of the chain. */
#define MARKOV_DENSE_MAX 2048

typedef struct dense {
    size_t m;
    double *a; /* m x m row-major: U above the diagonal, -L below, pivots on it */
} dense;

static size_t transient_of(size_t s)
{
    return s == LEAD__MARKOV_START ? 0 : s - 2;
}

/* Fills A's off-diagonal entries (as |a_ij| = Q_ij, kept positive) and r. */
static void dense_fill(const lead_markov_result *r, const dense *d, double *exit)
{
    size_t m = d->m;
    for (size_t e = 0; e < r->edge_count; e++) {
        uint32_t f = r->edge_from[e], t = r->edge_to[e];
        size_t i = transient_of(f);
        if (is_transient(t)) {
            if (t != f)
                d->a[i * m + transient_of(t)] += r->edge_probability[e];
        } else {
            exit[i] += r->edge_probability[e];
        }
    }
    /* A state without any transition out (possible in imported counts)
     * stops there: like null, as the iterative path treats it. Edges are
     * sorted by from, so those are the states no edge run starts at. */
    size_t e = 0;
    for (size_t s = 0; s < r->state_count; s++) {
        int any = 0;
        for (; e < r->edge_count && r->edge_from[e] == s; e++)
            any = 1;
        if (!any && is_transient(s))
            exit[transient_of(s)] = 1.0;
    }
}

/* Factors A = L U in place. With the magnitudes stored, row i of the
 * reduced matrix is a[i][i] on the diagonal minus the others, and the
 * elimination of column k from row i adds l * a[k][j] to a[i][j] (l =
 * a[i][k] / pivot >= 0) and l * r_k to r_i. a[i][k] keeps l. */
static int dense_factor(dense *d, double *exit)
{
    size_t m = d->m;
    double *a = d->a;
    for (size_t k = 0; k < m; k++) {
        double pivot = exit[k];
        for (size_t j = k + 1; j < m; j++)
            pivot += a[k * m + j];
        if (!(pivot > 0) || !isfinite(pivot))
            return LEAD_ENUMERIC;
        a[k * m + k] = pivot;
        double inv = 1.0 / pivot;
        for (size_t i = k + 1; i < m; i++) {
            double l = a[i * m + k];
            if (l == 0)
                continue;
            l *= inv;
            a[i * m + k] = l;
            exit[i] += l * exit[k];
            for (size_t j = k + 1; j < m; j++)
                a[i * m + j] += l * a[k * m + j];
        }
    }
    return LEAD_OK;
}

/* z = A^-1 z for z >= 0, starting at row `from` (z[i] = 0 for i < from). */
static void dense_solve(const dense *d, double *z, size_t from)
{
    size_t m = d->m;
    const double *a = d->a;
    for (size_t i = from + 1; i < m; i++) {
        double v = z[i];
        for (size_t k = from; k < i; k++)
            v += a[i * m + k] * z[k];
        z[i] = v;
    }
    for (size_t i = m; i-- > 0;) {
        double v = z[i];
        for (size_t j = i + 1; j < m; j++)
            v += a[i * m + j] * z[j];
        z[i] = v / a[i * m + i];
    }
}

/* v = A^-T e_0: row 0 (start) of N. */
static void dense_solve_start_row(const dense *d, double *v)
{
    size_t m = d->m;
    const double *a = d->a;
    memset(v, 0, m * sizeof *v);
    /* U^T w = e_0 */
    for (size_t i = 0; i < m; i++) {
        double w = i == 0 ? 1.0 : 0.0;
        for (size_t j = 0; j < i; j++)
            w += a[j * m + i] * v[j];
        v[i] = w / a[i * m + i];
    }
    /* L^T v = w */
    for (size_t i = m; i-- > 0;) {
        double w = v[i];
        for (size_t k = i + 1; k < m; k++)
            w += a[k * m + i] * v[k];
        v[i] = w;
    }
}

static int solve_dense(lead_markov_result *r)
{
    dense d = {r->state_count - 2, NULL};
    size_t m = d.m;
    d.a = lead__calloc(&r->mem, m * m, sizeof *d.a);
    double *exit = lead__calloc(&r->mem, m, sizeof *exit);
    double *x = lead__calloc(&r->mem, m, sizeof *x);
    double *z = lead__calloc(&r->mem, m, sizeof *z);
    double *visits = lead__calloc(&r->mem, m, sizeof *visits);
    int rc = d.a && exit && x && z && visits ? LEAD_OK : LEAD_ENOMEM;
    if (rc == LEAD_OK) {
        /* x starts as b, the one-step conversion probabilities */
        for (size_t e = 0; e < r->edge_count; e++)
            if (r->edge_to[e] == LEAD__MARKOV_CONVERSION)
                x[transient_of(r->edge_from[e])] = r->edge_probability[e];
        dense_fill(r, &d, exit);
        rc = dense_factor(&d, exit);
    }
    if (rc == LEAD_OK) {
        dense_solve(&d, x, 0);
        dense_solve_start_row(&d, visits);
        r->p_conversion = x[0];
    }
    for (size_t s = LEAD__MARKOV_SPECIAL; rc == LEAD_OK && s < r->state_count; s++) {
        size_t i = transient_of(s);
        memset(z, 0, m * sizeof *z);
        z[i] = 1.0;
        dense_solve(&d, z, i);
        double reach = z[i] > 0 ? visits[i] / z[i] : 0.0;
        double kept = x[0] - reach * x[i];
        double re = r->p_conversion > 0 ? 1.0 - kept / r->p_conversion : 0.0;
        r->removal_effect[r->window[s * r->order]] = re > 0 ? (re < 1 ? re : 1.0) : 0.0;
    }
    lead__free(&r->mem, d.a);
    lead__free(&r->mem, exit);
    lead__free(&r->mem, x);
    lead__free(&r->mem, z);
    lead__free(&r->mem, visits);
    return rc;
}

static void split_credit(lead_markov_result *r)
{
    double total = 0;
    for (size_t c = 0; c < r->channel_count; c++)
        total += r->removal_effect[c];
    for (size_t c = 0; c < r->channel_count; c++) {
        double share = total > 0 ? r->removal_effect[c] / total : 0.0;
        r->credit_conversions[c] = share * r->conversions;
        r->credit_value[c] = share * r->value;
    }
}

static int solve_into(lead_markov_result *r, const lead_markov_counts *c, int allow_dense)
{
    size_t n = c->state_count;
    uint32_t *rank = lead__calloc(&r->mem, c->channels.count + 1, sizeof *rank);
    uint32_t *state_map = lead__calloc(&r->mem, n, sizeof *state_map);
    double *out_weight = lead__calloc(&r->mem, n, sizeof *out_weight);
    size_t channels = c->channels.count + 1;
    r->removal_effect = lead__calloc(&r->mem, channels, sizeof *r->removal_effect);
    r->credit_conversions = lead__calloc(&r->mem, channels, sizeof *r->credit_conversions);
    r->credit_value = lead__calloc(&r->mem, channels, sizeof *r->credit_value);
    chain ch = {0};
    double *x = NULL;
    int rc = rank && state_map && out_weight && r->removal_effect && r->credit_conversions &&
                     r->credit_value
                 ? LEAD_OK
                 : LEAD_ENOMEM;
    if (rc == LEAD_OK)
        rc = sort_channels(r, c, rank);
    if (rc == LEAD_OK)
        rc = sort_states(r, c, rank, state_map);
    if (rc == LEAD_OK)
        rc = sort_edges(r, c, state_map, out_weight);
    /* The direct path needs neither the iteration's chain nor its x. */
    int direct = allow_dense && r->order == 1 && r->state_count - 2 <= MARKOV_DENSE_MAX;
    if (rc == LEAD_OK && direct) {
        rc = solve_dense(r);
    } else if (rc == LEAD_OK) {
        x = lead__calloc(&r->mem, n, sizeof *x);
        rc = x ? chain_build(&r->mem, r, &ch) : LEAD_ENOMEM;
        if (rc == LEAD_OK)
            rc = solve_absorption(r, &ch, NULL, x);
        if (rc == LEAD_OK) {
            r->p_conversion = x[LEAD__MARKOV_START];
            rc = removal_effects(r, &ch, x);
        }
    }
    if (rc == LEAD_OK)
        split_credit(r);
    chain_free(&r->mem, &ch);
    lead__free(&r->mem, rank);
    lead__free(&r->mem, state_map);
    lead__free(&r->mem, out_weight);
    lead__free(&r->mem, x);
    return rc;
}

int lead_markov_solve(lead_markov_result **out, const lead_markov_counts *counts)
{
    return lead__markov_solve_with(out, counts, 1);
}

int lead__markov_solve_with(lead_markov_result **out, const lead_markov_counts *counts,
                            int allow_dense)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!counts)
        return LEAD_EINVAL;
    lead_markov_result *r = lead__calloc(&counts->mem, 1, sizeof *r);
    if (!r)
        return LEAD_ENOMEM;
    r->mem = counts->mem;
    r->order = counts->order;
    r->conversions = counts->conversions;
    r->value = counts->value;
    r->nulls = counts->nulls;
    int rc = solve_into(r, counts, allow_dense);
    if (rc != LEAD_OK) {
        lead_markov_result_free(r);
        return rc;
    }
    *out = r;
    return LEAD_OK;
}

/* ---- reading the result --------------------------------------------- */

int lead_markov_result_conversion_probability(const lead_markov_result *result,
                                              double *out_probability)
{
    if (!result || !out_probability)
        return LEAD_EINVAL;
    *out_probability = result->p_conversion;
    return LEAD_OK;
}

int lead_markov_result_totals(const lead_markov_result *result, double *out_conversions,
                              double *out_value, double *out_nulls)
{
    if (!result)
        return LEAD_EINVAL;
    if (out_conversions)
        *out_conversions = result->conversions;
    if (out_value)
        *out_value = result->value;
    if (out_nulls)
        *out_nulls = result->nulls;
    return LEAD_OK;
}

int lead_markov_result_channel_count(const lead_markov_result *result, size_t *out_count)
{
    if (!result || !out_count)
        return LEAD_EINVAL;
    *out_count = result->channel_count;
    return LEAD_OK;
}

int lead_markov_result_channel(const lead_markov_result *result, size_t index,
                               const char **out_name, double *out_removal_effect,
                               double *out_conversions, double *out_value)
{
    if (!result)
        return LEAD_EINVAL;
    if (index >= result->channel_count)
        return LEAD_ENOTFOUND;
    if (out_name)
        *out_name = result->names[index];
    if (out_removal_effect)
        *out_removal_effect = result->removal_effect[index];
    if (out_conversions)
        *out_conversions = result->credit_conversions[index];
    if (out_value)
        *out_value = result->credit_value[index];
    return LEAD_OK;
}

static int find_channel(const lead_markov_result *r, const char *name, size_t *out_index)
{
    size_t lo = 0, hi = r->channel_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->names[mid], name);
        if (c == 0) {
            *out_index = mid;
            return LEAD_OK;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return LEAD_ENOTFOUND;
}

int lead_markov_result_channel_by_name(const lead_markov_result *result, const char *name,
                                       double *out_removal_effect, double *out_conversions,
                                       double *out_value)
{
    if (!result || !name)
        return LEAD_EINVAL;
    size_t i;
    int rc = find_channel(result, name, &i);
    if (rc != LEAD_OK)
        return rc;
    return lead_markov_result_channel(result, i, NULL, out_removal_effect, out_conversions,
                                      out_value);
}

int lead_markov_result_state_count(const lead_markov_result *result, size_t *out_count)
{
    if (!result || !out_count)
        return LEAD_EINVAL;
    *out_count = result->state_count;
    return LEAD_OK;
}

int lead_markov_result_state(const lead_markov_result *result, size_t index, uint32_t *out_kind,
                             uint32_t *out_channels, size_t capacity, size_t *out_len)
{
    if (!result || !out_len)
        return LEAD_EINVAL;
    if (index >= result->state_count)
        return LEAD_ENOTFOUND;
    size_t len = result->len[index];
    if (out_kind)
        *out_kind = index < LEAD__MARKOV_SPECIAL ? (uint32_t)index : LEAD_MARKOV_STATE_WINDOW;
    *out_len = len;
    if (len > capacity)
        return LEAD_ELIMIT;
    if (out_channels && len)
        memcpy(out_channels, result->window + index * result->order, len * sizeof *out_channels);
    return LEAD_OK;
}

int lead_markov_result_transition_count(const lead_markov_result *result, size_t *out_count)
{
    if (!result || !out_count)
        return LEAD_EINVAL;
    *out_count = result->edge_count;
    return LEAD_OK;
}

int lead_markov_result_transition(const lead_markov_result *result, size_t index,
                                  size_t *out_from, size_t *out_to, double *out_count,
                                  double *out_probability)
{
    if (!result)
        return LEAD_EINVAL;
    if (index >= result->edge_count)
        return LEAD_ENOTFOUND;
    if (out_from)
        *out_from = result->edge_from[index];
    if (out_to)
        *out_to = result->edge_to[index];
    if (out_count)
        *out_count = result->edge_count_of[index];
    if (out_probability)
        *out_probability = result->edge_probability[index];
    return LEAD_OK;
}

/* ---- the attribution model kind ------------------------------------- */

int lead__markov_credit(const lead__mem *mem, const lead_journey_set *set, uint32_t order,
                        uint32_t keep_repeats, double *out_conversions, double *out_values)
{
    if (order < 1 || order > LEAD_MARKOV_MAX_ORDER)
        return LEAD_EINVAL;
    lead_markov_counts *counts = NULL;
    lead_markov_result *r = NULL;
    int rc = lead__markov_counts_create(&counts, mem, order, keep_repeats);
    if (rc == LEAD_OK)
        rc = lead__markov_counts_add_set(counts, set, NULL, NULL);
    if (rc == LEAD_OK)
        rc = lead_markov_solve(&r, counts);
    for (size_t id = 0; rc == LEAD_OK && id < set->channels.count; id++) {
        size_t i;
        const char *name = lead__intern_name(&set->channels, (uint32_t)id);
        out_conversions[id] = out_values[id] = 0;
        if (find_channel(r, name, &i) == LEAD_OK) {
            out_conversions[id] = r->credit_conversions[i];
            out_values[id] = r->credit_value[i];
        }
    }
    lead_markov_result_free(r);
    lead_markov_counts_free(counts);
    return rc;
}

static int markov_run(lead_attribution_result *result, const lead_journey_set *set)
{
    uint32_t order = result->opts.order;
    if (order > LEAD_MARKOV_MAX_ORDER)
        return lead__attribution_fail(result, LEAD_EINVAL, "Markov order %u is above %d",
                                      (unsigned)order, LEAD_MARKOV_MAX_ORDER);
    int rc = lead__markov_credit(&result->mem, set, order, 0, result->channel_conversions,
                                 result->channel_value);
    if (rc == LEAD_ENUMERIC)
        return lead__attribution_fail(result, rc, "the Markov chain solve did not converge");
    return rc;
}

static const lead__attribution_kind markov_kind = {LEAD_ATTRIBUTION_MARKOV, NULL, NULL,
                                                   markov_run};

const lead__attribution_kind *lead__attribution_markov_kind(uint32_t kind)
{
    static const lead__attribution_kind *const mine[] = {&markov_kind};
    return lead__attribution_pick(mine, sizeof mine / sizeof mine[0], kind);
}
