/*
 * liblead quick start: a tour of the lead engine on six made-up contacts —
 * contacts and touchpoints, lifecycle stages, scores with their
 * explanations, attribution by channel, the funnel by lead source and one
 * segment's members. Run with:
 *     cmake --workflow --preset demo
 *
 * By default the engine keeps everything in memory (the embedded store) and
 * reads the system clock. With `--journal FILE` it keeps its data in a
 * journal file instead (include/lead/sys/journal.h): run it twice with the
 * same FILE and the second run finds the contacts of the first.
 */
#include <lead.h>
#include <lead/sys/journal.h>

#include <stdio.h>
#include <string.h>

#define DAY INT64_C(86400000)

/* ---- the demo data ------------------------------------------------------ */

struct demo_contact {
    const char *email;
    const char *job_title;
    const char *industry;
};

static const struct demo_contact demo_contacts[] = {
    {"Ada@Example.com", "VP Engineering", "software"},
    {"bob@gmail.com", "Student", NULL},
    {"chen@fintech.example", "Chief Risk Officer", "fintech"},
    {"dana@shop.example", "Marketing Manager", "retail"},
    {"eve@corp.example", "Director of Sales", "software"},
    {"finn@example.org", NULL, NULL},
};
#define DEMO_CONTACTS (sizeof demo_contacts / sizeof demo_contacts[0])

/* One touchpoint: whose (index into demo_contacts), how many days ago, what,
 * where, and the value of a purchase in cents. */
struct demo_touch {
    unsigned contact;
    int days_ago;
    int type;
    int channel;
    const char *source;
    const char *campaign;
    int64_t value_minor;
};

static const struct demo_touch demo_touches[] = {
    {0, 30, LEAD_EVENT_AD_CLICK, LEAD_CHANNEL_PAID_SEARCH, "google", "q3-search", 0},
    {0, 28, LEAD_EVENT_FORM_SUBMIT, LEAD_CHANNEL_PAID_SEARCH, "google", "q3-search", 0},
    {0, 20, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, "newsletter", "nurture", 0},
    {0, 10, LEAD_EVENT_DEMO_REQUEST, LEAD_CHANNEL_DIRECT, NULL, NULL, 0},
    {0, 2, LEAD_EVENT_PURCHASE, LEAD_CHANNEL_DIRECT, NULL, NULL, 120000},
    {1, 25, LEAD_EVENT_SOCIAL_ENGAGE, LEAD_CHANNEL_ORGANIC_SOCIAL, "linkedin", NULL, 0},
    {1, 24, LEAD_EVENT_DOWNLOAD, LEAD_CHANNEL_ORGANIC_SOCIAL, "linkedin", "ebook", 0},
    {1, 5, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, "newsletter", "nurture", 0},
    {2, 40, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_REFERRAL, "partner", NULL, 0},
    {2, 39, LEAD_EVENT_WEBINAR_REGISTER, LEAD_CHANNEL_REFERRAL, "partner", "webinar", 0},
    {2, 30, LEAD_EVENT_WEBINAR_ATTEND, LEAD_CHANNEL_EVENTS, "partner", "webinar", 0},
    {2, 15, LEAD_EVENT_EMAIL_CLICK, LEAD_CHANNEL_EMAIL, "newsletter", "nurture", 0},
    {2, 12, LEAD_EVENT_DEMO_REQUEST, LEAD_CHANNEL_DIRECT, NULL, NULL, 0},
    {2, 3, LEAD_EVENT_PURCHASE, LEAD_CHANNEL_EMAIL, "newsletter", "nurture", 80000},
    {3, 18, LEAD_EVENT_AD_CLICK, LEAD_CHANNEL_PAID_SOCIAL, "linkedin", "retarget", 0},
    {3, 17, LEAD_EVENT_FORM_SUBMIT, LEAD_CHANNEL_PAID_SOCIAL, "linkedin", "retarget", 0},
    {3, 1, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, "newsletter", "nurture", 0},
    {4, 60, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_ORGANIC_SEARCH, "google", NULL, 0},
    {4, 45, LEAD_EVENT_DOWNLOAD, LEAD_CHANNEL_ORGANIC_SEARCH, "google", "ebook", 0},
    {4, 20, LEAD_EVENT_DEMO_REQUEST, LEAD_CHANNEL_PAID_SEARCH, "google", "q3-search", 0},
    {4, 9, LEAD_EVENT_PURCHASE, LEAD_CHANNEL_DIRECT, NULL, NULL, 250000},
    {5, 7, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_ORGANIC_SEARCH, "google", NULL, 0},
};

/* Reports a failure with the engine's detail and passes the code on. */
static int fail(lead_engine *engine, const char *what, int rc)
{
    if (rc != LEAD_OK)
        fprintf(stderr, "quickstart: %s: %s (%s)\n", what, lead_strerror(rc),
                lead_engine_errmsg(engine));
    return rc;
}

static int track_touch(lead_engine *engine, uint64_t contact_id, const struct demo_touch *t,
                       int64_t now)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    uint64_t event_id = 0;
    in.contact_id = contact_id;
    in.type = t->type;
    in.channel = t->channel;
    in.time_ms = now - t->days_ago * DAY;
    in.source = t->source;
    in.campaign = t->campaign;
    in.value_minor = t->value_minor;
    in.currency = t->value_minor ? "EUR" : NULL;
    return lead_track(engine, &event_id, &in);
}

/* Creates the contacts and tracks their touchpoints; ids[i] gets the id of
 * demo_contacts[i]. */
static int seed(lead_engine *engine, uint64_t *ids, int64_t now)
{
    int rc = LEAD_OK;
    for (size_t i = 0; rc == LEAD_OK && i < DEMO_CONTACTS; i++) {
        const struct demo_contact *c = &demo_contacts[i];
        rc = lead_contact_create(engine, &ids[i], c->email, NULL, LEAD_DUPLICATE_REFUSE);
        if (rc == LEAD_OK && c->job_title)
            rc = lead_contact_set_field(engine, ids[i], LEAD_FIELD_JOB_TITLE, c->job_title);
        if (rc == LEAD_OK && c->industry)
            rc = lead_contact_set_field(engine, ids[i], LEAD_FIELD_INDUSTRY, c->industry);
    }
    for (size_t i = 0; rc == LEAD_OK && i < sizeof demo_touches / sizeof demo_touches[0]; i++)
        rc = track_touch(engine, ids[demo_touches[i].contact], &demo_touches[i], now);
    /* Sales accepted Dana after a call: a manual stage move. */
    if (rc == LEAD_OK)
        rc = lead_contact_set_stage(engine, ids[3], LEAD_STAGE_SQL, 0);
    return fail(engine, "seeding the demo contacts", rc);
}

/* Finds the demo contacts of an earlier run (journal mode); LEAD_ENOTFOUND
 * when the store is new. */
static int find_seeded(lead_engine *engine, uint64_t *ids)
{
    int rc = LEAD_OK;
    for (size_t i = 0; rc == LEAD_OK && i < DEMO_CONTACTS; i++)
        rc = lead_contact_find_email(engine, &ids[i], demo_contacts[i].email);
    return rc;
}

/* ---- contacts and stages ------------------------------------------------ */

static void print_stage_path(const lead_contact *c)
{
    size_t n = 0;
    lead_contact_stage_history_count(c, &n);
    for (size_t i = 0; i < n; i++) {
        int stage = 0;
        lead_contact_stage_history_at(c, i, &stage, NULL, NULL, NULL, NULL);
        printf("%s%s", i ? " -> " : "", lead_stage_name(stage));
    }
}

static int print_contacts(lead_engine *engine, const uint64_t *ids)
{
    printf("\n== Contacts and their stages\n");
    for (size_t i = 0; i < DEMO_CONTACTS; i++) {
        lead_contact *c = NULL;
        int rc = lead_contact_get(&c, engine, ids[i]);
        if (rc != LEAD_OK)
            return fail(engine, "reading a contact", rc);
        const char *email = NULL;
        uint64_t events = 0;
        lead_contact_field(c, LEAD_FIELD_EMAIL, &email);
        lead_contact_event_count(c, &events);
        printf("%-22s %2llu events  ", email, (unsigned long long)events);
        print_stage_path(c);
        printf("\n");
        lead_contact_free(c);
    }
    return LEAD_OK;
}

/* ---- scoring ------------------------------------------------------------ */

/* A model in the text format of docs/scoring-model.md: fit from the job
 * title and industry, behaviour from engagement decaying with a 7-day
 * half-life, and the MQL threshold that moves contacts forward. */
static const char model_text[] =
    "liblead-score 1\n"
    "half-life 7d\n"
    "fit authority 30 job_title contains \"vp\" \"director\" \"chief\"\n"
    "fit need 20 industry one-of \"software\" \"fintech\"\n"
    "behaviour 5 email_open cap 3 per 7d\n"
    "behaviour 10 email_click\n"
    "behaviour 15 download once\n"
    "behaviour 30 demo_request once\n"
    "stage mql fit 40 behaviour 10\n";

static void print_points(const char *label, int64_t centipoints)
{
    int64_t mag = centipoints < 0 ? -centipoints : centipoints;
    printf("%s%s%lld.%02lld", label, centipoints < 0 ? "-" : "", (long long)(mag / 100),
           (long long)(mag % 100));
}

static void print_score(const char *email, const lead_score_result *result)
{
    int64_t fit = 0, behaviour = 0, total = 0;
    char grade = '?';
    size_t count = 0;
    lead_score_result_scores(result, &fit, &behaviour, &total);
    lead_score_result_grade(result, &grade);
    printf("%-22s", email);
    print_points(" total ", total);
    print_points(" = fit ", fit);
    print_points(" + behaviour ", behaviour);
    printf(", grade %c\n", grade);
    lead_score_result_item_count(result, &count);
    for (size_t i = 0; i < count; i++) {
        lead_score_item item = LEAD_SCORE_ITEM_INIT;
        lead_score_result_item(result, i, &item);
        printf("      %-14s", item.subject[0] ? item.subject : "(fit base)");
        print_points(" rule ", item.raw);
        print_points(" counts ", item.value);
        printf("\n");
    }
}

/* Attaches the model to the engine: from now on every contact's score is
 * kept current as events arrive, and crossing the MQL threshold moves the
 * contact's stage (reason "threshold"). */
static int attach_model(lead_engine *engine)
{
    lead_score_model *model = NULL;
    int rc = lead_score_model_new(&model, NULL);
    if (rc == LEAD_OK)
        rc = lead_score_model_parse(model, model_text, sizeof model_text - 1);
    if (rc == LEAD_OK)
        rc = lead_engine_score_attach(engine, "default", model);
    lead_score_model_free(model);
    return fail(engine, "attaching the scoring model", rc);
}

static int print_scores(lead_engine *engine, const uint64_t *ids)
{
    printf("\n== Scores now under model \"default\", each with its explanation\n");
    for (size_t i = 0; i < DEMO_CONTACTS; i++) {
        lead_score_result *result = NULL;
        lead_contact *c = NULL;
        const char *email = NULL;
        int rc = lead_engine_score(&result, engine, "default", ids[i], LEAD_TIME_UNKNOWN);
        if (rc == LEAD_OK)
            rc = lead_contact_get(&c, engine, ids[i]);
        if (rc == LEAD_OK)
            rc = lead_contact_field(c, LEAD_FIELD_EMAIL, &email);
        if (rc == LEAD_OK)
            print_score(email, result);
        lead_contact_free(c);
        lead_score_result_free(result);
        if (rc != LEAD_OK)
            return fail(engine, "scoring", rc);
    }
    return LEAD_OK;
}

/* ---- attribution -------------------------------------------------------- */

static const uint32_t attribution_kinds[] = {
    LEAD_ATTRIBUTION_FIRST_TOUCH, LEAD_ATTRIBUTION_LAST_NON_DIRECT, LEAD_ATTRIBUTION_LINEAR,
    LEAD_ATTRIBUTION_U_SHAPED,    LEAD_ATTRIBUTION_TIME_DECAY,      LEAD_ATTRIBUTION_MARKOV,
    LEAD_ATTRIBUTION_SHAPLEY,
};
/* Column heads, shorter than lead_attribution_kind_name()'s names. */
static const char *const attribution_heads[] = {"first",    "last-nd", "linear", "u-shaped",
                                                "decay-7d", "markov",  "shapley"};
#define ATTRIBUTION_KINDS (sizeof attribution_kinds / sizeof attribution_kinds[0])

/* Runs every model of attribution_kinds on set; results[k] owns model k's. */
static int run_models(lead_attribution_result **results, const lead_journey_set *set)
{
    int rc = LEAD_OK;
    for (size_t k = 0; rc == LEAD_OK && k < ATTRIBUTION_KINDS; k++) {
        lead_attribution_model *model = NULL;
        rc = lead_attribution_model_new(&model, attribution_kinds[k], NULL);
        if (rc == LEAD_OK)
            rc = lead_attribution_run(&results[k], model, set);
        if (rc != LEAD_OK)
            fprintf(stderr, "quickstart: attribution: %s (%s)\n", lead_strerror(rc),
                    model ? lead_attribution_model_errmsg(model) : "");
        lead_attribution_model_free(model);
    }
    return rc;
}

static void print_credit_table(lead_attribution_result *const *results, size_t channels)
{
    printf("%-15s", "channel");
    for (size_t k = 0; k < ATTRIBUTION_KINDS; k++)
        printf(" %8s", attribution_heads[k]);
    printf("\n");
    for (uint32_t ch = 0; ch < channels; ch++) {
        const char *name = "";
        lead_attribution_result_channel(results[0], ch, &name, NULL, NULL);
        printf("%-15s", name);
        for (size_t k = 0; k < ATTRIBUTION_KINDS; k++) {
            double credit = 0;
            lead_attribution_result_channel(results[k], ch, NULL, &credit, NULL);
            printf(" %8.3f", credit);
        }
        printf("\n");
    }
}

/* Journeys of the contacts that purchased (and of those that did not, for
 * the data-driven models), credited to channels by each model. */
static int attribute(lead_engine *engine)
{
    lead_journey_set *set = NULL;
    lead_attribution_result *results[ATTRIBUTION_KINDS] = {NULL};
    lead_journey_query query = LEAD_JOURNEY_QUERY_INIT;
    query.event_type = LEAD_EVENT_PURCHASE;
    query.include_nulls = 1;
    size_t journeys = 0, channels = 0;
    int rc = lead_journey_set_new(&set, NULL);
    if (rc == LEAD_OK)
        rc = lead_journey_set_add_from_engine(set, engine, &query, NULL);
    if (rc != LEAD_OK) {
        fprintf(stderr, "quickstart: journeys: %s (%s)\n", lead_strerror(rc),
                set ? lead_journey_set_errmsg(set) : "");
        lead_journey_set_free(set);
        return rc;
    }
    lead_journey_set_count(set, &journeys);
    lead_journey_set_channel_count(set, &channels);
    printf("\n== Attribution: conversions credited per channel (%zu journeys, 90-day lookback)\n",
           journeys);
    rc = run_models(results, set);
    if (rc == LEAD_OK)
        print_credit_table(results, channels);
    for (size_t k = 0; k < ATTRIBUTION_KINDS; k++)
        lead_attribution_result_free(results[k]);
    lead_journey_set_free(set);
    return rc;
}

/* ---- funnel ------------------------------------------------------------- */

static void print_funnel(const lead_funnel_report *report)
{
    static const int stages[] = {LEAD_STAGE_LEAD, LEAD_STAGE_MQL, LEAD_STAGE_SQL,
                                 LEAD_STAGE_CUSTOMER};
    size_t groups = 0;
    printf("%-12s %6s %6s %6s %9s %12s\n", "lead source", "leads", "mql", "sql", "customers",
           "revenue EUR");
    lead_funnel_report_group_count(report, LEAD_FUNNEL_LEAD_SOURCE, &groups);
    for (size_t g = 0; g < groups; g++) {
        const char *name = NULL;
        int64_t revenue = 0;
        uint64_t leads = 0;
        lead_funnel_report_group(report, LEAD_FUNNEL_LEAD_SOURCE, g, LEAD_STAGE_LEAD, &name,
                                 &leads, &revenue);
        if (leads == 0) /* contacts that never became leads have no lead source */
            continue;
        printf("%-12s", name);
        for (size_t s = 0; s < sizeof stages / sizeof stages[0]; s++) {
            uint64_t entered = 0;
            lead_funnel_report_group(report, LEAD_FUNNEL_LEAD_SOURCE, g, stages[s], NULL,
                                     &entered, NULL);
            printf(s == 3 ? " %9llu" : " %6llu", (unsigned long long)entered);
        }
        printf(" %9lld.%02lld\n", (long long)(revenue / 100), (long long)(revenue % 100));
    }
    uint64_t reached = 0, base = 0;
    double rate = 0;
    lead_funnel_report_conversion(report, LEAD_STAGE_LEAD, LEAD_STAGE_CUSTOMER, &reached, &base,
                                  &rate);
    printf("lead -> customer: %llu of %llu (%.1f %%)\n", (unsigned long long)reached,
           (unsigned long long)base, 100.0 * rate);
}

static int funnel_by_source(lead_engine *engine)
{
    lead_funnel *funnel = NULL;
    lead_funnel_report *report = NULL;
    int64_t now = 0;
    /* Read now again: the stages entered while seeding are stamped with
     * the clock (not before the contact was created), so after `now`. */
    int rc = lead_engine_now(engine, &now);
    if (rc == LEAD_OK)
        rc = lead_funnel_new(&funnel, NULL);
    if (rc == LEAD_OK)
        rc = lead_funnel_add_from_engine(funnel, engine);
    if (rc == LEAD_OK)
        rc = lead_funnel_report_new(&report, funnel, now - 90 * DAY, now + 1, LEAD_COHORT_MONTH);
    if (rc == LEAD_OK) {
        printf("\n== Funnel of the last 90 days by the source of the lead-creation touch\n");
        print_funnel(report);
    }
    lead_funnel_report_free(report);
    lead_funnel_free(funnel);
    return fail(engine, "funnel", rc);
}

/* ---- a segment ---------------------------------------------------------- */

/* In the text format of docs/segments.md. */
static const char segment_text[] =
    "liblead-segment 1\n"
    "name \"leads engaged by email, not yet customers\"\n"
    "stage at-least lead\n"
    "stage at-most sql\n"
    "did email_open channel \"email\" within 30d\n"
    "score \"default\" behaviour 3 *\n";

static int print_segment(lead_engine *engine)
{
    lead_segment *segment = NULL;
    lead_segment_iter *it = NULL;
    const char *name = NULL;
    int rc = lead_segment_new(&segment, NULL);
    if (rc == LEAD_OK)
        rc = lead_segment_parse(segment, segment_text, sizeof segment_text - 1);
    if (rc == LEAD_OK)
        rc = lead_segment_name(segment, &name);
    if (rc == LEAD_OK)
        rc = lead_segment_iter_new(&it, engine, segment, NULL, NULL);
    if (rc == LEAD_OK)
        printf("\n== Segment \"%s\"\n", name);
    uint64_t id = 0;
    while (rc == LEAD_OK && (rc = lead_segment_iter_next(it, &id)) == LEAD_OK) {
        lead_contact *c = NULL;
        const char *email = NULL;
        rc = lead_contact_get(&c, engine, id);
        if (rc == LEAD_OK && lead_contact_field(c, LEAD_FIELD_EMAIL, &email) == LEAD_OK)
            printf("  %s\n", email);
        lead_contact_free(c);
    }
    lead_segment_iter_free(it);
    lead_segment_free(segment);
    return fail(engine, "segment", rc == LEAD_ITEROVER ? LEAD_OK : rc);
}

/* ---- the tour ----------------------------------------------------------- */

static int tour(lead_engine *engine, int restored)
{
    uint64_t ids[DEMO_CONTACTS] = {0};
    int64_t now = 0;
    int rc = fail(engine, "reading the clock", lead_engine_now(engine, &now));
    if (rc == LEAD_OK)
        rc = attach_model(engine);
    if (rc == LEAD_OK && restored) {
        rc = fail(engine, "finding the contacts", find_seeded(engine, ids));
        /* One more visit per run, so the journal visibly grows. */
        struct demo_touch visit = {5, 0, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_ORGANIC_SEARCH,
                                   "google", NULL, 0};
        if (rc == LEAD_OK)
            rc = fail(engine, "tracking", track_touch(engine, ids[5], &visit, now));
    } else if (rc == LEAD_OK) {
        rc = seed(engine, ids, now);
    }
    if (rc == LEAD_OK)
        rc = print_contacts(engine, ids);
    if (rc == LEAD_OK)
        rc = print_scores(engine, ids);
    if (rc == LEAD_OK)
        rc = attribute(engine);
    if (rc == LEAD_OK)
        rc = funnel_by_source(engine);
    if (rc == LEAD_OK)
        rc = print_segment(engine);
    return rc;
}

/* Opens the journal at path as the engine's store; *out_restored tells
 * whether it already held the demo contacts. */
static int open_journal(lead_store **out, const char *path, int *out_restored)
{
    int rc = lead_store_journal_open(out, path, NULL);
    if (rc != LEAD_OK) {
        fprintf(stderr, "quickstart: cannot open journal %s: %s\n", path, lead_strerror(rc));
        return rc;
    }
    uint64_t bytes = 0, records = 0;
    lead_store_journal_info(*out, &bytes, &records, NULL);
    *out_restored = records > 0;
    printf("journal %s: %llu records, %llu bytes%s\n", path, (unsigned long long)records,
           (unsigned long long)bytes, records ? " (restored from an earlier run)" : " (new)");
    return LEAD_OK;
}

int main(int argc, char **argv)
{
    const char *journal_path = NULL;
    if (argc == 3 && strcmp(argv[1], "--journal") == 0) {
        journal_path = argv[2];
    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [--journal FILE]\n", argv[0]);
        return 2;
    }
    if (lead_version_number() != LEAD_VERSION_NUMBER) {
        fprintf(stderr, "header %s but library %s\n", LEAD_VERSION_STRING, lead_version_string());
        return 1;
    }
    printf("liblead %s\n", lead_version_string());

    lead_store *store = NULL;
    int restored = 0;
    if (journal_path && open_journal(&store, journal_path, &restored) != LEAD_OK)
        return 1;
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.store = store; /* NULL: the embedded in-memory store */
    lead_engine *engine = NULL;
    int rc = lead_engine_new(&engine, &opts);
    if (rc != LEAD_OK)
        fprintf(stderr, "quickstart: lead_engine_new: %s\n", lead_strerror(rc));
    else
        rc = tour(engine, restored);
    lead_engine_free(engine);
    lead_store_journal_close(store);
    return rc == LEAD_OK ? 0 : 1;
}
