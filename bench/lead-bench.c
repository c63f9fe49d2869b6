/* lead-bench: measures liblead's performance figures and prints one line per
 * figure, "NAME VALUE UNIT", on stdout; progress goes to stderr.
 *   lead-bench [--quick] [--scaling] [--shuffle] [--only GROUP]
 * --quick shrinks every workload so the run takes seconds; its figures are a
 * smoke test only. --only runs one group of figures: track (the tracking
 * figures, memory_store_bytes_per_event and rescore_contacts_per_s), csv,
 * models (linear and Shapley) or markov. --shuffle tracks events for the
 * contacts in a new random order each round instead of by id. --scaling
 * instead times each model at three sizes of paths, channels and order
 * (tracking: events per contact) and prints the times and the log-log
 * slopes.
 * Sizes and targets: docs/performance.md. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "journey_gen.h"
#include "lead.h"
#include "lead/markov.h"

#define BENCH_SEED 20260101u
#define BENCH_REPEATS 3

typedef struct bench_sizes {
    size_t paths;    /* journeys of the attribution figures */
    size_t contacts; /* contacts of the tracking figures */
    size_t events;   /* events tracked over them */
} bench_sizes;

static const bench_sizes full_sizes = {1000000, 100000, 10000000};
static const bench_sizes quick_sizes = {20000, 2000, 100000};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void figure(const char *name, double value, const char *unit)
{
    if (value >= 1000)
        printf("%s %.0f %s\n", name, value, unit);
    else
        printf("%s %.4g %s\n", name, value, unit);
    fflush(stdout);
}

static void progress(const char *what)
{
    fprintf(stderr, "lead-bench: %s\n", what);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median3(double t[BENCH_REPEATS])
{
    qsort(t, BENCH_REPEATS, sizeof *t, compare_double);
    return t[BENCH_REPEATS / 2];
}

/* Peak resident set of the process, in bytes. */
static double peak_rss_bytes(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)ru.ru_maxrss * 1024.0; /* kilobytes on Linux */
}

/* ---- tracking -------------------------------------------------------------- */

#define BENCH_MODELS 3

/* Scoring model m of the tracking figures: 20 rules, 4 fit rules over
 * fields and 16 behaviour rules on the event types tracked, with channel
 * conditions, caps, windows and half-lives varied per model, and two
 * thresholds. */
static void bench_model_text(char *buf, size_t cap, int m)
{
    static const char *const types[] = {"page_view",    "email_open", "email_click",
                                        "ad_click",     "form_submit", "webinar_attend"};
    static const char *const channels[] = {"organic_search", "paid_search", "email",
                                           "paid_social"};
    size_t len = (size_t)snprintf(buf, cap,
                                  "liblead-score 1\n"
                                  "half-life %dd\n"
                                  "fit authority 30 job_title contains \"vp\" \"director\"\n"
                                  "fit need 20 industry one-of \"software\" \"fintech\"\n"
                                  "fit profile 10 company exists\n"
                                  "fit profile -10 email missing\n"
                                  "behaviour-cap %d\n"
                                  "stage mql fit 20 behaviour %d\n"
                                  "stage sql total %d\n",
                                  7 + 7 * m, 150 + 50 * m, 40 + 10 * m, 120 + 20 * m);
    for (int r = 0; r < 16 && len < cap; r++) {
        const char *type = types[(r + m) % 6];
        int points = r % 7 == 6 ? -5 : 1 + (r * 3 + m) % 15;
        len += (size_t)snprintf(buf + len, cap - len, "behaviour %d %s", points, type);
        if (r % 4 == 1)
            len += (size_t)snprintf(buf + len, cap - len, " channel \"%s\"",
                                    channels[(r / 4 + m) % 4]);
        if (r % 5 == 2)
            len += (size_t)snprintf(buf + len, cap - len, " cap %d per 7d", 3 + m);
        else if (r % 5 == 4)
            len += (size_t)snprintf(buf + len, cap - len, " cap %d", 5 + r);
        if (r % 6 == 3)
            len += (size_t)snprintf(buf + len, cap - len, " half-life none");
        len += (size_t)snprintf(buf + len, cap - len, "\n");
    }
}

/* Attaches the BENCH_MODELS models of the tracking figures. */
static int attach_models(lead_engine *engine)
{
    int rc = LEAD_OK;
    for (int m = 0; m < BENCH_MODELS && rc == LEAD_OK; m++) {
        char text[4096], name[16];
        bench_model_text(text, sizeof text, m);
        snprintf(name, sizeof name, "model%d", m);
        lead_score_model *model = NULL;
        rc = lead_score_model_new(&model, NULL);
        if (rc == LEAD_OK)
            rc = lead_score_model_parse(model, text, strlen(text));
        if (rc == LEAD_OK)
            rc = lead_engine_score_attach(engine, name, model);
        lead_score_model_free(model);
    }
    return rc;
}

/* Events go to lead_track() one call at a time, or to lead_track_batch()
 * BENCH_BATCH at a time. */
#define BENCH_BATCH 1000

/* --shuffle: each round over the contacts visits them in a new random
 * order instead of by id (the order they were created in). */
static int shuffle_contacts;

/* The next round's order of the n contacts in ids: a Fisher-Yates shuffle
 * driven by xorshift64 (state *x, never 0). */
static void shuffle_ids(uint64_t *ids, size_t n, uint64_t *x)
{
    for (size_t i = n; i > 1; i--) {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        size_t j = (size_t)(*x % i);
        uint64_t t = ids[i - 1];
        ids[i - 1] = ids[j];
        ids[j] = t;
    }
}

/* Tracks sizes->events events spread round robin over sizes->contacts new
 * contacts, in time order, into the embedded in-memory store, with the
 * BENCH_MODELS scoring models attached when `scored`, in batches when
 * `batched`; *out_s gets the seconds of the tracking alone and, if
 * out_engine is not NULL, the engine is handed over (else freed). */
static int track_events(const bench_sizes *sizes, int scored, int batched, double *out_s,
                        lead_engine **out_engine)
{
    static const int32_t types[] = {LEAD_EVENT_PAGE_VIEW,   LEAD_EVENT_EMAIL_OPEN,
                                    LEAD_EVENT_EMAIL_CLICK, LEAD_EVENT_PAGE_VIEW,
                                    LEAD_EVENT_AD_CLICK,    LEAD_EVENT_FORM_SUBMIT,
                                    LEAD_EVENT_PAGE_VIEW,   LEAD_EVENT_WEBINAR_ATTEND};
    lead_engine *engine = NULL;
    uint64_t *ids = malloc(sizes->contacts * sizeof *ids);
    lead_event_input *batch = malloc(BENCH_BATCH * sizeof *batch);
    uint64_t event_ids[BENCH_BATCH];
    int rc = ids && batch ? lead_engine_new(&engine, NULL) : LEAD_ENOMEM;
    for (size_t c = 0; c < sizes->contacts && rc == LEAD_OK; c++) {
        char email[48];
        snprintf(email, sizeof email, "contact%zu@example.com", c);
        rc = lead_contact_create(engine, &ids[c], email, NULL, LEAD_DUPLICATE_REFUSE);
        if (rc == LEAD_OK && c % 3 == 0)
            rc = lead_contact_set_field(engine, ids[c], LEAD_FIELD_JOB_TITLE, "VP Marketing");
    }
    if (rc == LEAD_OK && scored)
        rc = attach_models(engine);
    uint64_t order = BENCH_SEED;
    double t0 = now_s();
    size_t pending = 0;
    for (size_t e = 0; e < sizes->events && rc == LEAD_OK; e++) {
        if (shuffle_contacts && e % sizes->contacts == 0)
            shuffle_ids(ids, sizes->contacts, &order);
        lead_event_input *ev = &batch[pending++];
        *ev = (lead_event_input)LEAD_EVENT_INPUT_INIT;
        ev->contact_id = ids[e % sizes->contacts];
        ev->type = types[e % (sizeof types / sizeof types[0])];
        ev->channel = (int32_t)(e / sizes->contacts % 12);
        ev->time_ms = INT64_C(1767225600000) + (int64_t)e * 1000;
        if (!batched)
            rc = lead_track(engine, &event_ids[0], ev);
        else if (pending == BENCH_BATCH || e + 1 == sizes->events)
            rc = lead_track_batch(engine, batch, sizeof *batch, pending, event_ids, NULL);
        if (!batched || pending == BENCH_BATCH)
            pending = 0;
    }
    *out_s = now_s() - t0;
    if (rc != LEAD_OK)
        fprintf(stderr, "lead-bench: tracking failed: %s: %s\n", lead_strerror(rc),
                engine ? lead_engine_errmsg(engine) : "");
    free(ids);
    free(batch);
    if (rc == LEAD_OK && out_engine)
        *out_engine = engine;
    else
        lead_engine_free(engine);
    return rc;
}

/* track_events_per_s, memory_store_bytes_per_event, rescore_contacts_per_s,
 * and the scoring's share of tracking (the same run without models). */
static void bench_track(const bench_sizes *sizes)
{
    lead_engine *engine = NULL;
    double t, rss0 = peak_rss_bytes();
    progress("track_events_per_s");
    if (track_events(sizes, 1, 0, &t, &engine) != LEAD_OK)
        return;
    figure("track_events_per_s", (double)sizes->events / t, "events/s");
    figure("memory_store_bytes_per_event", (peak_rss_bytes() - rss0) / (double)sizes->events,
           "bytes");
    progress("rescore_contacts_per_s");
    double r0 = now_s();
    int rc = lead_engine_rescore(engine, NULL, NULL, NULL);
    double r = now_s() - r0;
    if (rc == LEAD_OK)
        figure("rescore_contacts_per_s", (double)sizes->contacts / r, "contacts/s");
    else
        fprintf(stderr, "lead-bench: rescore failed: %s\n", lead_strerror(rc));
    lead_engine_free(engine);
    progress("track_batch_events_per_s");
    double b;
    if (track_events(sizes, 1, 1, &b, NULL) == LEAD_OK)
        figure("track_batch_events_per_s", (double)sizes->events / b, "events/s");
    progress("track_unscored_events_per_s");
    double u;
    if (track_events(sizes, 0, 0, &u, NULL) != LEAD_OK)
        return;
    figure("track_unscored_events_per_s", (double)sizes->events / u, "events/s");
    figure("scoring_ns_per_event", (t - u) * 1e9 / (double)sizes->events, "ns");
}

/* ---- journeys in memory -------------------------------------------------- */

/* A journey set of `paths` generated journeys; NULL on failure. */
static lead_journey_set *make_set(size_t paths, uint32_t channels, size_t *out_touches)
{
    gen_journeys gen;
    lead_journey_set *set = NULL;
    gen_path path = {0, malloc(GEN_DEFAULT_MAX_LEN * sizeof *path.channel), 0, 0};
    if (!path.channel || gen_init(&gen, channels, BENCH_SEED, GEN_DEFAULT_MAX_LEN) != 0) {
        free(path.channel);
        return NULL;
    }
    int rc = lead_journey_set_new(&set, NULL);
    size_t touches = 0;
    for (size_t p = 0; p < paths && rc == LEAD_OK; p++) {
        gen_next_path(&gen, &path);
        rc = lead_journey_set_begin(set);
        for (uint32_t t = 0; t < path.len && rc == LEAD_OK; t++)
            rc = lead_journey_set_add_touch(set, gen.names[path.channel[t]], NULL,
                                            LEAD_TIME_UNKNOWN, 0);
        if (rc == LEAD_OK)
            rc = lead_journey_set_end(set, path.converted, path.value, !path.converted,
                                      LEAD_TIME_UNKNOWN);
        touches += path.len;
    }
    gen_free(&gen);
    free(path.channel);
    if (rc != LEAD_OK) {
        fprintf(stderr, "lead-bench: cannot build journeys: %s\n", lead_strerror(rc));
        lead_journey_set_free(set);
        return NULL;
    }
    *out_touches = touches;
    return set;
}

/* A generated path-level CSV document in memory; NULL when out of memory. */
static char *make_csv(size_t paths, uint32_t channels, size_t *out_len)
{
    gen_journeys gen;
    gen_path path = {0, malloc(GEN_DEFAULT_MAX_LEN * sizeof *path.channel), 0, 0};
    if (!path.channel || gen_init(&gen, channels, BENCH_SEED, GEN_DEFAULT_MAX_LEN) != 0) {
        free(path.channel);
        return NULL;
    }
    size_t row_max = gen_row_max(&gen), cap = sizeof GEN_HEADER + 64 * paths + row_max;
    char *text = malloc(cap);
    size_t len = sizeof GEN_HEADER - 1;
    if (text)
        memcpy(text, GEN_HEADER, len);
    for (size_t p = 0; p < paths && text; p++) {
        if (cap - len < row_max) {
            char *grown = realloc(text, cap * 2);
            if (!grown)
                free(text);
            text = grown;
            cap *= 2;
        }
        if (text) {
            gen_next_path(&gen, &path);
            len += gen_format_row(&gen, &path, text + len);
        }
    }
    gen_free(&gen);
    free(path.channel);
    *out_len = len;
    return text;
}

/* Reads a path-level CSV document into a new set; NULL on failure, which is
 * reported. */
static lead_journey_set *read_csv(const char *text, size_t len)
{
    lead_journey_set *set = NULL;
    int rc = lead_journey_set_new(&set, NULL);
    if (rc == LEAD_OK)
        rc = lead_journey_set_read_path_csv(set, text, len, NULL);
    if (rc != LEAD_OK) {
        fprintf(stderr, "lead-bench: cannot read the generated CSV: %s: %s\n", lead_strerror(rc),
                set ? lead_journey_set_errmsg(set) : "");
        lead_journey_set_free(set);
        return NULL;
    }
    return set;
}

/* csv_parse_mb_per_s: median of BENCH_REPEATS reads of the 12-channel CSV. */
static void bench_csv_parse(const bench_sizes *sizes)
{
    size_t len = 0;
    progress("csv_parse_mb_per_s");
    char *text = make_csv(sizes->paths, 12, &len);
    if (!text) {
        progress("out of memory");
        return;
    }
    double t[BENCH_REPEATS];
    for (int r = 0; r < BENCH_REPEATS; r++) {
        double t0 = now_s();
        lead_journey_set *set = read_csv(text, len);
        t[r] = now_s() - t0;
        if (!set) {
            free(text);
            return;
        }
        lead_journey_set_free(set);
    }
    free(text);
    figure("csv_parse_mb_per_s", (double)len / 1e6 / median3(t), "MB/s");
}

/* Seconds to read text and solve its order-k Markov chain; LEAD_OK or the
 * failure, reported. */
static int time_markov_from_csv(double *out_s, const char *text, size_t len, uint32_t order)
{
    lead_markov_options opts = LEAD_MARKOV_OPTIONS_INIT;
    lead_markov_counts *counts = NULL;
    lead_markov_result *result = NULL;
    opts.order = order;
    double t0 = now_s();
    lead_journey_set *set = read_csv(text, len);
    int rc = set ? lead_markov_counts_new(&counts, set, &opts, NULL) : LEAD_EFORMAT;
    if (rc == LEAD_OK)
        rc = lead_markov_solve(&result, counts);
    double t = now_s() - t0;
    if (rc != LEAD_OK && set)
        fprintf(stderr, "lead-bench: Markov order %u failed: %s\n", (unsigned)order,
                lead_strerror(rc));
    lead_markov_result_free(result);
    lead_markov_counts_free(counts);
    lead_journey_set_free(set);
    *out_s = t;
    return rc;
}

/* The Markov figures: CSV parse, counting and the exact solve, in seconds
 * (median of BENCH_REPEATS). */
static void bench_markov(const bench_sizes *sizes)
{
    static const struct {
        const char *figure;
        uint32_t channels;
        uint32_t order;
    } runs[] = {
        {"markov_o1_1m_12ch_s", 12, 1},
        {"markov_o1_1m_500ch_s", 500, 1},
        {"markov_o3_1m_12ch_s", 12, 3},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        size_t len = 0;
        progress(runs[i].figure);
        char *text = make_csv(sizes->paths, runs[i].channels, &len);
        if (!text) {
            progress("out of memory");
            return;
        }
        double t[BENCH_REPEATS];
        int rc = LEAD_OK;
        for (int r = 0; r < BENCH_REPEATS && rc == LEAD_OK; r++)
            rc = time_markov_from_csv(&t[r], text, len, runs[i].order);
        free(text);
        if (rc == LEAD_OK)
            figure(runs[i].figure, median3(t), "s");
    }
}

/* Median seconds of BENCH_REPEATS runs of model `kind` (of the given order)
 * on set; a negative status when the model is not available or fails. */
static int time_model(double *out_s, uint32_t kind, uint32_t order, const lead_journey_set *set)
{
    lead_attribution_model *model = NULL;
    int rc = lead_attribution_model_new(&model, kind, NULL);
    if (rc == LEAD_OK)
        rc = lead_attribution_model_set_order(model, order);
    double t[BENCH_REPEATS];
    for (int r = 0; r < BENCH_REPEATS && rc == LEAD_OK; r++) {
        lead_attribution_result *result = NULL;
        double t0 = now_s();
        rc = lead_attribution_run(&result, model, set);
        t[r] = now_s() - t0;
        lead_attribution_result_free(result);
    }
    if (rc != LEAD_OK) {
        const char *name = "?";
        lead_attribution_kind_name(kind, &name);
        fprintf(stderr, "lead-bench: model %s not measured: %s%s%s\n", name, lead_strerror(rc),
                model ? ": " : "", model ? lead_attribution_model_errmsg(model) : "");
    }
    lead_attribution_model_free(model);
    if (rc == LEAD_OK)
        *out_s = median3(t);
    return rc;
}

/* Figures over journeys already in memory: touches per second. */
static void bench_models_in_memory(const bench_sizes *sizes)
{
    size_t touches = 0;
    progress("building journeys (12 channels)");
    double t0 = now_s();
    lead_journey_set *set = make_set(sizes->paths, 12, &touches);
    if (!set)
        return;
    fprintf(stderr, "lead-bench: %zu journeys, %zu touches in %.3f s\n", sizes->paths, touches,
            now_s() - t0);
    double s;
    progress("linear_touches_per_s");
    if (time_model(&s, LEAD_ATTRIBUTION_LINEAR, 1, set) == LEAD_OK)
        figure("linear_touches_per_s", (double)touches / s, "touches/s");
    progress("shapley_touches_per_s");
    if (time_model(&s, LEAD_ATTRIBUTION_SHAPLEY, 1, set) == LEAD_OK)
        figure("shapley_touches_per_s", (double)touches / s, "touches/s");
    lead_journey_set_free(set);
}

/* ---- scaling --------------------------------------------------------------- */

/* Timers the scaling runs share: median seconds of one computation on set. */
typedef int (*set_timer)(double *out_s, const lead_journey_set *set, uint32_t order);

static int time_linear(double *out_s, const lead_journey_set *set, uint32_t order)
{
    return time_model(out_s, LEAD_ATTRIBUTION_LINEAR, order, set);
}

static int time_shapley(double *out_s, const lead_journey_set *set, uint32_t order)
{
    return time_model(out_s, LEAD_ATTRIBUTION_SHAPLEY, order, set);
}

/* Counting and the exact solve of the order-k chain of set (no CSV). */
static int time_markov(double *out_s, const lead_journey_set *set, uint32_t order)
{
    lead_markov_options opts = LEAD_MARKOV_OPTIONS_INIT;
    opts.order = order;
    double t[BENCH_REPEATS];
    int rc = LEAD_OK;
    for (int r = 0; r < BENCH_REPEATS && rc == LEAD_OK; r++) {
        lead_markov_counts *counts = NULL;
        lead_markov_result *result = NULL;
        double t0 = now_s();
        rc = lead_markov_counts_new(&counts, set, &opts, NULL);
        if (rc == LEAD_OK)
            rc = lead_markov_solve(&result, counts);
        t[r] = now_s() - t0;
        lead_markov_result_free(result);
        lead_markov_counts_free(counts);
    }
    if (rc == LEAD_OK)
        *out_s = median3(t);
    return rc;
}

static void print_slope(const char *what, const char *axis, const double t[3],
                        const double size[3])
{
    char name[96];
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "scaling_%s_%s_%.0f_s", what, axis, size[i]);
        figure(name, t[i], "s");
    }
    snprintf(name, sizeof name, "scaling_%s_%s_slope", what, axis);
    figure(name, log(t[2] / t[0]) / log(size[2] / size[0]), "log-log");
}

/* Times one computation at three sizes along one axis (paths, channels or
 * order), the others fixed, and prints each time and the slope of
 * log(time) over log(size): 1 is linear growth. */
static void scale_axis(const char *what, set_timer timer, const char *axis,
                       const size_t paths[3], const uint32_t channels[3], const uint32_t order[3])
{
    double t[3], size[3];
    for (int i = 0; i < 3; i++) {
        size_t touches = 0;
        lead_journey_set *set = make_set(paths[i], channels[i], &touches);
        int rc = set ? timer(&t[i], set, order[i]) : LEAD_ENOMEM;
        lead_journey_set_free(set);
        if (rc != LEAD_OK)
            return;
        size[i] = axis[0] == 'p' ? (double)paths[i] : axis[0] == 'c' ? channels[i] : order[i];
    }
    print_slope(what, axis, t, size);
}

/* Tracking the same number of events over fewer contacts: the cost of a
 * longer history per contact. */
static void scale_events_per_contact(const bench_sizes *sizes)
{
    static const size_t per_contact[3] = {10, 100, 1000};
    double t[3], size[3];
    size_t events = sizes->events / 10;
    for (int i = 0; i < 3; i++) {
        bench_sizes one = {0, events / per_contact[i], events};
        if (track_events(&one, 1, 0, &t[i], NULL) != LEAD_OK)
            return;
        size[i] = (double)per_contact[i];
    }
    print_slope("track", "events_per_contact", t, size);
}

static void bench_scaling(const bench_sizes *sizes)
{
    static const struct {
        const char *name;
        set_timer timer;
        int has_order;
    } models[] = {
        {"linear", time_linear, 0},
        {"markov", time_markov, 1},
        {"shapley", time_shapley, 0},
    };
    size_t n = sizes->paths;
    const size_t paths_axis[3] = {n / 4, n / 2, n}, paths_fixed[3] = {n, n, n};
    const uint32_t ch_axis[3] = {12, 100, 500}, ch_fixed[3] = {12, 12, 12};
    const uint32_t order_axis[3] = {1, 2, 3}, order_fixed[3] = {1, 1, 1};
    for (size_t m = 0; m < sizeof models / sizeof models[0]; m++) {
        fprintf(stderr, "lead-bench: scaling %s\n", models[m].name);
        scale_axis(models[m].name, models[m].timer, "paths", paths_axis, ch_fixed, order_fixed);
        scale_axis(models[m].name, models[m].timer, "channels", paths_fixed, ch_axis,
                   order_fixed);
        if (models[m].has_order)
            scale_axis(models[m].name, models[m].timer, "order", paths_fixed, ch_fixed,
                       order_axis);
    }
    fprintf(stderr, "lead-bench: scaling track\n");
    scale_events_per_contact(sizes);
}

int main(int argc, char **argv)
{
    const bench_sizes *sizes = &full_sizes;
    int scaling = 0;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            sizes = &quick_sizes;
        } else if (strcmp(argv[i], "--scaling") == 0) {
            scaling = 1;
        } else if (strcmp(argv[i], "--shuffle") == 0) {
            shuffle_contacts = 1;
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc && !only) {
            only = argv[++i];
        } else {
            fputs("usage: lead-bench [--quick] [--scaling] [--shuffle] "
                  "[--only track|csv|models|markov]\n",
                  stderr);
            return 2;
        }
    }
    if (only && strcmp(only, "track") != 0 && strcmp(only, "csv") != 0 &&
        strcmp(only, "models") != 0 && strcmp(only, "markov") != 0) {
        fprintf(stderr, "lead-bench: unknown group %s\n", only);
        return 2;
    }
    if (scaling)
        bench_scaling(sizes);
    else {
        /* First: its memory figure is a rise of the process's peak RSS. */
        if (!only || strcmp(only, "track") == 0)
            bench_track(sizes);
        if (!only || strcmp(only, "csv") == 0)
            bench_csv_parse(sizes);
        if (!only || strcmp(only, "models") == 0)
            bench_models_in_memory(sizes);
        if (!only || strcmp(only, "markov") == 0)
            bench_markov(sizes);
    }
    return 0;
}
