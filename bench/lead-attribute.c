/* lead-attribute: runs attribution models on a path-level or touch-level
 * CSV file and prints the credit per channel (docs/attribution.md).
 *
 *   lead-attribute [-m MODEL] [--order K] [--sep STR] [--direct NAME]
 *                  [--half-life DAYS] [--format csv|table] [--svg FILE] FILE.csv
 *
 * Exit status: 0 on success, 1 on bad input or a failing model (one line on
 * stderr naming the file and line), 2 on a usage error. */
#include "lead.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODELS 16

/* The models `-m all` runs, in output order; time-decay only when the input
 * has times (touch-level), kinds not built in are skipped. */
static const uint32_t all_kinds[] = {
    LEAD_ATTRIBUTION_FIRST_TOUCH, LEAD_ATTRIBUTION_LAST_TOUCH, LEAD_ATTRIBUTION_LAST_NON_DIRECT,
    LEAD_ATTRIBUTION_LINEAR,      LEAD_ATTRIBUTION_U_SHAPED,   LEAD_ATTRIBUTION_TIME_DECAY,
    LEAD_ATTRIBUTION_MARKOV,      LEAD_ATTRIBUTION_SHAPLEY,    LEAD_ATTRIBUTION_SHAPLEY_ORDERED};

typedef struct options {
    const char *model;
    const char *sep;
    const char *direct;
    const char *format;
    const char *svg;
    const char *file;
    uint32_t order;
    double half_life_days;
} options;

typedef struct run {
    const char *name;
    lead_attribution_result *result;
} run;

static int usage(const char *why)
{
    fprintf(stderr,
            "lead-attribute: %s\n"
            "usage: lead-attribute [-m MODEL] [--order K] [--sep STR] [--direct NAME]\n"
            "                      [--half-life DAYS] [--format csv|table] [--svg FILE] "
            "FILE.csv\n",
            why);
    return 2;
}

static int parse_args(int argc, char **argv, options *o)
{
    o->model = "all";
    o->format = "csv";
    o->order = 1;
    o->half_life_days = 7;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (o->file)
                return usage("more than one input file");
            o->file = a;
            continue;
        }
        if (i + 1 >= argc)
            return usage("option needs a value");
        const char *v = argv[++i];
        char *end = NULL;
        if (strcmp(a, "-m") == 0 || strcmp(a, "--model") == 0) {
            o->model = v;
        } else if (strcmp(a, "--order") == 0) {
            unsigned long k = strtoul(v, &end, 10);
            if (*end || k == 0 || k > 64)
                return usage("--order takes an integer from 1 to 64");
            o->order = (uint32_t)k;
        } else if (strcmp(a, "--sep") == 0) {
            o->sep = v;
        } else if (strcmp(a, "--direct") == 0) {
            o->direct = v;
        } else if (strcmp(a, "--half-life") == 0) {
            o->half_life_days = strtod(v, &end);
            if (*end || !(o->half_life_days > 0) || o->half_life_days > 1e6)
                return usage("--half-life takes a number of days > 0");
        } else if (strcmp(a, "--format") == 0) {
            if (strcmp(v, "csv") != 0 && strcmp(v, "table") != 0)
                return usage("--format is csv or table");
            o->format = v;
        } else if (strcmp(a, "--svg") == 0) {
            o->svg = v;
        } else {
            return usage("unknown option");
        }
    }
    if (!o->file)
        return usage("no input file");
    return 0;
}

/* Reads the whole file; NULL (errno set) on failure. */
static char *read_file(const char *path, size_t *out_len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        char *grown = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
        errno = EIO;
    }
    if (f != stdin)
        fclose(f);
    *out_len = len;
    return buf;
}

/* Touch-level files name a `journey` column in their header. */
static int is_touch_level(const char *data, size_t len)
{
    const char *nl = memchr(data, '\n', len);
    size_t head = nl ? (size_t)(nl - data) : len;
    for (size_t i = 0; i + 7 <= head; i++)
        if (memcmp(data + i, "journey", 7) == 0 && (i == 0 || data[i - 1] == ',' ||
                                                    data[i - 1] == '"' || data[i - 1] == ' '))
            return 1;
    return 0;
}

static int run_model(const options *o, uint32_t kind, const lead_journey_set *set, run *out)
{
    lead_attribution_model *model = NULL;
    lead_attribution_kind_name(kind, &out->name);
    int rc = lead_attribution_model_new(&model, kind, NULL);
    if (rc != LEAD_OK) {
        fprintf(stderr, "%s: %s: %s\n", o->file, out->name,
                rc == LEAD_ENOTFOUND ? "model not built in" : lead_strerror(rc));
        return rc;
    }
    rc = lead_attribution_model_set_order(model, o->order);
    if (rc == LEAD_OK && o->direct)
        rc = lead_attribution_model_set_direct_channel(model, o->direct);
    if (rc == LEAD_OK)
        rc = lead_attribution_model_set_half_life(
            model, (int64_t)llround(o->half_life_days * 86400000.0));
    if (rc == LEAD_OK)
        rc = lead_attribution_run(&out->result, model, set);
    if (rc != LEAD_OK)
        fprintf(stderr, "%s: %s: %s\n", o->file, out->name, lead_attribution_model_errmsg(model));
    lead_attribution_model_free(model);
    return rc;
}

/* Channel ids sorted by name (byte order). */
static const lead_attribution_result *sort_result;
static int by_name(const void *a, const void *b)
{
    const char *na = NULL, *nb = NULL;
    lead_attribution_result_channel(sort_result, *(const uint32_t *)a, &na, NULL, NULL);
    lead_attribution_result_channel(sort_result, *(const uint32_t *)b, &nb, NULL, NULL);
    return strcmp(na, nb);
}

static void print_csv_name(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static double credit(const run *r, uint32_t id, double *value)
{
    double conv = 0;
    lead_attribution_result_channel(r->result, id, NULL, &conv, value);
    return conv;
}

static void print_csv(const run *runs, size_t nruns, const uint32_t *order, size_t nch)
{
    printf("model,channel,conversions,value\n");
    for (size_t m = 0; m < nruns; m++)
        for (size_t i = 0; i < nch; i++) {
            const char *name = NULL;
            double value = 0, conv;
            lead_attribution_result_channel(runs[m].result, order[i], &name, NULL, NULL);
            conv = credit(&runs[m], order[i], &value);
            printf("%s,", runs[m].name);
            print_csv_name(name);
            printf(",%.6f,%.6f\n", conv, value);
        }
}

static void print_table(const run *runs, size_t nruns, const uint32_t *order, size_t nch)
{
    int width = 7;
    for (size_t i = 0; i < nch; i++) {
        const char *name = NULL;
        lead_attribution_result_channel(runs[0].result, order[i], &name, NULL, NULL);
        if ((int)strlen(name) > width)
            width = (int)strlen(name);
    }
    printf("conversions credited per channel\n%-*s", width, "channel");
    for (size_t m = 0; m < nruns; m++)
        printf("  %15s", runs[m].name);
    putchar('\n');
    for (size_t i = 0; i < nch; i++) {
        const char *name = NULL;
        lead_attribution_result_channel(runs[0].result, order[i], &name, NULL, NULL);
        printf("%-*s", width, name);
        for (size_t m = 0; m < nruns; m++)
            printf("  %15.6f", credit(&runs[m], order[i], NULL));
        putchar('\n');
    }
    printf("%-*s", width, "total");
    for (size_t m = 0; m < nruns; m++) {
        double total = 0;
        lead_attribution_result_totals(runs[m].result, &total, NULL, NULL, NULL);
        printf("  %15.6f", total);
    }
    putchar('\n');
}

static void svg_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

/* A grouped bar chart: one group per channel, one bar per model. */
static int write_svg(const char *path, const run *runs, size_t nruns, const uint32_t *order,
                     size_t nch)
{
    static const char *const colours[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f"};
    const double bar = 14, gap = 20, top = 40, height = 300, left = 60;
    double max = 0;
    for (size_t m = 0; m < nruns; m++)
        for (size_t i = 0; i < nch; i++)
            max = fmax(max, credit(&runs[m], order[i], NULL));
    if (max <= 0)
        max = 1;
    double group = (double)nruns * bar + gap;
    double w = left + (double)nch * group + 160, h = top + height + 80;
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "font-family=\"sans-serif\" font-size=\"12\">\n",
            w, h);
    fprintf(f, "<text x=\"%.0f\" y=\"20\">Credited conversions per channel</text>\n", left);
    fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#333\"/>\n", left,
            top + height, left + (double)nch * group, top + height);
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.6g</text>\n", left - 4,
            top + 4, max);
    for (size_t i = 0; i < nch; i++) {
        double x0 = left + (double)i * group + gap / 2;
        for (size_t m = 0; m < nruns; m++) {
            double v = credit(&runs[m], order[i], NULL), bh = fmax(v, 0) / max * height;
            fprintf(f,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.0f\" height=\"%.2f\" fill=\"%s\">"
                    "<title>%s: %.6f</title></rect>\n",
                    x0 + (double)m * bar, top + height - bh, bar - 1, bh,
                    colours[m % (sizeof colours / sizeof colours[0])], runs[m].name, v);
        }
        const char *name = NULL;
        lead_attribution_result_channel(runs[0].result, order[i], &name, NULL, NULL);
        fprintf(f, "<text x=\"%.2f\" y=\"%.0f\" text-anchor=\"middle\">",
                x0 + (double)nruns * bar / 2, top + height + 16);
        svg_text(f, name);
        fputs("</text>\n", f);
    }
    for (size_t m = 0; m < nruns; m++) {
        double y = top + 14 * (double)m, x = left + (double)nch * group + 20;
        fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, y,
                colours[m % (sizeof colours / sizeof colours[0])]);
        fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n", x + 14, y + 9, runs[m].name);
    }
    fputs("</svg>\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

/* Picks the kinds to run; 0 models means a usage error. */
static size_t choose_kinds(const options *o, int touch_level, uint32_t *kinds)
{
    if (strcmp(o->model, "all") != 0) {
        uint32_t kind;
        if (lead_attribution_kind_from_name(o->model, &kind) != LEAD_OK)
            return 0;
        kinds[0] = kind;
        return 1;
    }
    size_t n = 0;
    for (size_t i = 0; i < sizeof all_kinds / sizeof all_kinds[0]; i++) {
        lead_attribution_model *probe = NULL;
        if (all_kinds[i] == LEAD_ATTRIBUTION_TIME_DECAY && !touch_level)
            continue;
        if (lead_attribution_model_new(&probe, all_kinds[i], NULL) != LEAD_OK)
            continue; /* not built in */
        lead_attribution_model_free(probe);
        kinds[n++] = all_kinds[i];
    }
    return n;
}

static int attribute(const options *o, const lead_journey_set *set, int touch_level)
{
    uint32_t kinds[MAX_MODELS];
    size_t nkinds = choose_kinds(o, touch_level, kinds);
    if (nkinds == 0)
        return usage("unknown model");
    run runs[MAX_MODELS];
    memset(runs, 0, sizeof runs);
    size_t nruns = 0;
    int status = 0;
    for (size_t i = 0; i < nkinds && status == 0; i++) {
        if (run_model(o, kinds[i], set, &runs[nruns]) != LEAD_OK)
            status = 1;
        else
            nruns++;
    }
    size_t nch = 0;
    lead_journey_set_channel_count(set, &nch);
    uint32_t *order = malloc((nch ? nch : 1) * sizeof *order);
    if (!order && status == 0) {
        fprintf(stderr, "%s: out of memory\n", o->file);
        status = 1;
    }
    if (status == 0) {
        for (size_t i = 0; i < nch; i++)
            order[i] = (uint32_t)i;
        sort_result = runs[0].result;
        qsort(order, nch, sizeof *order, by_name);
        if (strcmp(o->format, "csv") == 0)
            print_csv(runs, nruns, order, nch);
        else
            print_table(runs, nruns, order, nch);
        if (o->svg && write_svg(o->svg, runs, nruns, order, nch) != 0) {
            fprintf(stderr, "%s: cannot write %s: %s\n", o->file, o->svg, strerror(errno));
            status = 1;
        }
    }
    free(order);
    for (size_t i = 0; i < nruns; i++)
        lead_attribution_result_free(runs[i].result);
    return status;
}

int main(int argc, char **argv)
{
    options o;
    memset(&o, 0, sizeof o);
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc;
    size_t len = 0;
    char *data = read_file(o.file, &len);
    if (!data) {
        fprintf(stderr, "%s: cannot read: %s\n", o.file, strerror(errno));
        return 1;
    }
    lead_journey_set *set = NULL;
    int touch_level = is_touch_level(data, len);
    rc = lead_journey_set_new(&set, NULL);
    if (rc == LEAD_OK)
        rc = touch_level ? lead_journey_set_read_touch_csv(set, data, len)
                         : lead_journey_set_read_path_csv(set, data, len, o.sep);
    free(data);
    int status;
    if (rc != LEAD_OK) {
        fprintf(stderr, "%s: %s\n", o.file,
                set ? lead_journey_set_errmsg(set) : lead_strerror(rc));
        status = 1;
    } else {
        status = attribute(&o, set, touch_level);
    }
    lead_journey_set_free(set);
    return status;
}
