/* lead-bench: measures liblead's performance figures and prints one line per
 * figure, "NAME VALUE UNIT", on stdout; progress goes to stderr.
 *   lead-bench [--quick]
 * --quick shrinks every workload so the run takes seconds; the figures are
 * then only a smoke test. Sizes and targets: docs/performance.md. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journey_gen.h"
#include "lead.h"

#define BENCH_SEED 20260101u

typedef struct bench_sizes {
    size_t paths; /* journeys of the attribution figures */
} bench_sizes;

static const bench_sizes full_sizes = {1000000};
static const bench_sizes quick_sizes = {20000};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void figure(const char *name, double value, const char *unit)
{
    printf("%s %.6g %s\n", name, value, unit);
    fflush(stdout);
}

static void progress(const char *what)
{
    fprintf(stderr, "lead-bench: %s\n", what);
}

/* A generated path-level CSV held in memory. */
typedef struct bench_csv {
    char *text;
    size_t len;
} bench_csv;

/* 0 on success; -1 when out of memory. */
static int make_csv(bench_csv *csv, size_t paths, uint32_t channels, uint32_t max_len)
{
    gen_journeys gen;
    if (gen_init(&gen, channels, BENCH_SEED, max_len) != 0)
        return -1;
    size_t row_max = gen_row_max(&gen);
    size_t cap = sizeof GEN_HEADER + 64 * (paths + 1) + row_max, len = 0;
    char *text = malloc(cap);
    if (!text) {
        gen_free(&gen);
        return -1;
    }
    memcpy(text, GEN_HEADER, sizeof GEN_HEADER - 1);
    len = sizeof GEN_HEADER - 1;
    for (size_t p = 0; p < paths; p++) {
        if (cap - len < row_max) {
            char *grown = realloc(text, cap * 2);
            if (!grown) {
                free(text);
                gen_free(&gen);
                return -1;
            }
            text = grown;
            cap *= 2;
        }
        len += gen_row(&gen, text + len);
    }
    gen_free(&gen);
    csv->text = text;
    csv->len = len;
    return 0;
}

static void free_csv(bench_csv *csv)
{
    free(csv->text);
    csv->text = NULL;
    csv->len = 0;
}

int main(int argc, char **argv)
{
    const bench_sizes *sizes = &full_sizes;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            sizes = &quick_sizes;
        } else {
            fputs("usage: lead-bench [--quick]\n", stderr);
            return 2;
        }
    }
    int failed = 0;
    bench_csv csv;
    progress("generating journeys");
    double t0 = now_s();
    if (make_csv(&csv, sizes->paths, 12, GEN_DEFAULT_MAX_LEN) != 0) {
        progress("out of memory");
        return 1;
    }
    fprintf(stderr, "lead-bench: %zu paths, %zu bytes in %.3f s\n", sizes->paths, csv.len,
            now_s() - t0);
    (void)figure;
    free_csv(&csv);
    return failed;
}
