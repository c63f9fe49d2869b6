/* Bench-private: a deterministic generator of path-level journey CSV, shared
 * by lead-gen-journeys and lead-bench. The distributions are described in
 * docs/performance.md; change them only together with that text and the
 * expected first rows in tests/bench/. */
#ifndef LEAD_BENCH_JOURNEY_GEN_H
#define LEAD_BENCH_JOURNEY_GEN_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_HEADER "path,total_conversions,total_conversion_value,total_null\n"
#define GEN_DEFAULT_MAX_LEN 20
/* Each further touch follows with this probability: mean length 1/(1-p). */
#define GEN_CONTINUE_P 0.8
#define GEN_CONVERT_P 0.05
/* Conversion values are log-normal: exp(N(mu, sigma^2)), in currency units. */
#define GEN_VALUE_MU 4.0
#define GEN_VALUE_SIGMA 1.0
/* Longest channel name: "ch" and the decimal digits of a uint32_t. */
#define GEN_NAME_MAX 12

typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

typedef struct gen_journeys {
    gen_rng rng;
    uint32_t channels;
    uint32_t max_len;
    double *zipf_cdf; /* cumulative P(channel <= k), k = 0..channels-1 */
    char (*names)[GEN_NAME_MAX + 1];
    uint8_t *name_len;
} gen_journeys;

static inline uint64_t gen_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static inline uint64_t gen_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna), seeded through splitmix64. */
static inline uint64_t gen_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = gen_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double gen_uniform(gen_rng *r)
{
    return (double)(gen_next(r) >> 11) * 0x1.0p-53;
}

static inline void gen_free(gen_journeys *g)
{
    free(g->zipf_cdf);
    free(g->names);
    free(g->name_len);
    memset(g, 0, sizeof *g);
}

/* 0 on success, -1 when out of memory. channels >= 1, max_len >= 1. */
static inline int gen_init(gen_journeys *g, uint32_t channels, uint64_t seed, uint32_t max_len)
{
    memset(g, 0, sizeof *g);
    g->channels = channels;
    g->max_len = max_len;
    for (int i = 0; i < 4; i++)
        g->rng.s[i] = gen_splitmix64(&seed);
    g->zipf_cdf = malloc(channels * sizeof *g->zipf_cdf);
    g->names = malloc(channels * sizeof *g->names);
    g->name_len = malloc(channels);
    if (!g->zipf_cdf || !g->names || !g->name_len) {
        gen_free(g);
        return -1;
    }
    double sum = 0;
    for (uint32_t k = 0; k < channels; k++) {
        sum += 1.0 / (double)(k + 1);
        g->zipf_cdf[k] = sum;
        int n = snprintf(g->names[k], sizeof g->names[k], "ch%03lu", (unsigned long)k + 1);
        g->name_len[k] = (uint8_t)n;
    }
    for (uint32_t k = 0; k < channels; k++)
        g->zipf_cdf[k] /= sum;
    return 0;
}

/* A channel index drawn with P(k) proportional to 1/(k+1). */
static inline uint32_t gen_channel(gen_journeys *g)
{
    double u = gen_uniform(&g->rng);
    uint32_t lo = 0, hi = g->channels - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (g->zipf_cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* One generated journey: channel indexes (0-based) and its outcome. */
typedef struct gen_path {
    uint32_t len;
    uint32_t *channel; /* max_len entries, owned by the caller */
    int converted;
    double value; /* 0 unless converted */
} gen_path;

/* Draws the next journey into *p (whose channel array holds max_len). */
static inline void gen_next_path(gen_journeys *g, gen_path *p)
{
    p->len = 1;
    while (p->len < g->max_len && gen_uniform(&g->rng) < GEN_CONTINUE_P)
        p->len++;
    for (uint32_t t = 0; t < p->len; t++)
        p->channel[t] = gen_channel(g);
    p->converted = gen_uniform(&g->rng) < GEN_CONVERT_P;
    p->value = 0;
    if (p->converted) {
        /* Box-Muller; 1 - u keeps the logarithm's argument in (0, 1]. */
        double u1 = 1.0 - gen_uniform(&g->rng), u2 = gen_uniform(&g->rng);
        double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
        p->value = exp(GEN_VALUE_MU + GEN_VALUE_SIGMA * z);
    }
}

/* Bytes one row can take at most, newline included. */
static inline size_t gen_row_max(const gen_journeys *g)
{
    return (size_t)g->max_len * (GEN_NAME_MAX + 3) + 64;
}

/* Formats journey p as one CSV row (with its newline, without a NUL) into
 * buf, which holds at least gen_row_max() bytes; returns its length. */
static inline size_t gen_format_row(const gen_journeys *g, const gen_path *p, char *buf)
{
    size_t n = 0;
    for (uint32_t t = 0; t < p->len; t++) {
        uint32_t c = p->channel[t];
        if (t > 0) {
            memcpy(buf + n, " > ", 3);
            n += 3;
        }
        memcpy(buf + n, g->names[c], g->name_len[c]);
        n += g->name_len[c];
    }
    if (p->converted) {
        n += (size_t)snprintf(buf + n, 64, ",1,%.2f,0\n", p->value);
    } else {
        memcpy(buf + n, ",0,0,1\n", 7);
        n += 7;
    }
    return n;
}

#endif
