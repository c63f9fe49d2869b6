/*
 * liblead quick start: create an engine with the embedded defaults (in-memory
 * store, system clock) and print what it is. Run with:
 *     cmake --workflow --preset demo
 */
#include <lead.h>

#include <stdio.h>

/* Scoring: a model in the text format of docs/scoring-model.md, and two
 * contacts scored at `now` with the explanation of each score. */
static const char model_text[] =
    "liblead-score 1\n"
    "half-life 7d\n"
    "fit authority 20 job_title contains \"vp\" \"director\" \"chief\"\n"
    "fit need 10 industry one-of \"software\" \"fintech\"\n"
    "fit profile -10 email_domain one-of \"gmail.com\"\n"
    "behaviour 10 email_open cap 3 per 7d\n"
    "behaviour 30 demo_request once\n"
    "stage mql fit 50 behaviour 20\n";

static void print_points(const char *label, int64_t centipoints)
{
    int64_t mag = centipoints < 0 ? -centipoints : centipoints;
    printf("%s%s%lld.%02lld", label, centipoints < 0 ? "-" : "", (long long)(mag / 100),
           (long long)(mag % 100));
}

static int print_score(const lead_score_model *model, const char *name,
                       const lead_score_subject *subject, int64_t now)
{
    lead_score_result *result = NULL;
    int rc = lead_score_evaluate(&result, model, subject, now);
    if (rc != LEAD_OK)
        return rc;
    int64_t fit = 0, behaviour = 0, total = 0;
    char grade = '?';
    int32_t stage = -1;
    size_t count = 0;
    lead_score_result_scores(result, &fit, &behaviour, &total);
    lead_score_result_grade(result, &grade);
    printf("%s:", name);
    print_points(" score ", total);
    print_points(" (fit ", fit);
    print_points(", behaviour ", behaviour);
    printf(", grade %c", grade);
    if (lead_score_result_stage(result, &stage, NULL) == LEAD_OK)
        printf(", reaches %s", lead_stage_name(stage));
    printf(")\n");
    lead_score_result_item_count(result, &count);
    for (size_t i = 0; i < count; i++) {
        lead_score_item item = LEAD_SCORE_ITEM_INIT;
        lead_score_result_item(result, i, &item);
        printf("    %-13s", item.subject[0] ? item.subject : "(fit base)");
        print_points(" raw ", item.raw);
        print_points(" -> ", item.value);
        printf("\n");
    }
    lead_score_result_free(result);
    return LEAD_OK;
}

/* A contact for scoring: one attribute and events at the given ages. */
static int make_subject(lead_score_subject **out, const char *name, const char *value,
                        const char *const *types, const int64_t *ages, size_t nevents,
                        int64_t now)
{
    int rc = lead_score_subject_new(out, NULL);
    if (rc == LEAD_OK)
        rc = lead_score_subject_set(*out, name, value);
    for (size_t i = 0; rc == LEAD_OK && i < nevents; i++)
        rc = lead_score_subject_add_event(*out, types[i], "email", NULL, now - ages[i]);
    return rc;
}

static int score_contacts(int64_t now)
{
    lead_score_model *model = NULL;
    lead_score_subject *ada = NULL, *bob = NULL;
    int rc = lead_score_model_new(&model, NULL);
    if (rc == LEAD_OK)
        rc = lead_score_model_parse(model, model_text, sizeof model_text - 1);
    const int64_t day = INT64_C(86400000);
    static const char *const ada_types[] = {"email_open", "demo_request"};
    const int64_t ada_ages[] = {14 * day, day};
    static const char *const bob_types[] = {"email_open"};
    const int64_t bob_ages[] = {0};
    if (rc == LEAD_OK)
        rc = make_subject(&ada, "job_title", "VP Engineering", ada_types, ada_ages, 2, now);
    if (rc == LEAD_OK)
        rc = lead_score_subject_set(ada, "industry", "software");
    if (rc == LEAD_OK)
        rc = make_subject(&bob, "email_domain", "gmail.com", bob_types, bob_ages, 1, now);
    if (rc == LEAD_OK)
        rc = print_score(model, "ada@example.com", ada, now);
    if (rc == LEAD_OK)
        rc = print_score(model, "bob@gmail.com", bob, now);
    lead_score_subject_free(ada);
    lead_score_subject_free(bob);
    lead_score_model_free(model);
    return rc;
}

/* Contacts and events: two contacts, a few touchpoints each, and the stage
 * history those touchpoints (and one manual move) produced. */
static int track(lead_engine *engine, uint64_t contact, int type, int channel, int64_t time_ms,
                 const char *campaign)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = type;
    in.channel = channel;
    in.time_ms = time_ms;
    in.campaign = campaign;
    uint64_t event_id = 0;
    return lead_track(engine, &event_id, &in);
}

static int print_history(lead_engine *engine, uint64_t id)
{
    lead_contact *c = NULL;
    int rc = lead_contact_get(&c, engine, id);
    if (rc != LEAD_OK)
        return rc;
    const char *email = NULL;
    uint64_t events = 0, touch = 0;
    int64_t touch_ms = 0;
    size_t n = 0;
    lead_contact_field(c, LEAD_FIELD_EMAIL, &email);
    lead_contact_event_count(c, &events);
    lead_contact_stage_history_count(c, &n);
    printf("contact %llu <%s>: %llu events\n", (unsigned long long)id, email ? email : "",
           (unsigned long long)events);
    static const char *const reasons[] = {"created", "manual", "event", "threshold", "merge"};
    for (size_t i = 0; i < n; i++) {
        int stage = 0, reason = 0;
        int64_t entered = 0, exited = 0;
        lead_contact_stage_history_at(c, i, &stage, &entered, &exited, &reason, NULL);
        printf("    %-12s entered %lld (%s)", lead_stage_name(stage), (long long)entered,
               reasons[reason]);
        if (exited != LEAD_TIME_UNKNOWN)
            printf(", left after %lld s", (long long)((exited - entered) / 1000));
        printf("\n");
    }
    if (lead_contact_milestone(c, LEAD_MILESTONE_LEAD_CREATION, &touch, &touch_ms) == LEAD_OK)
        printf("    lead-creation touch: event %llu\n", (unsigned long long)touch);
    lead_contact_free(c);
    return LEAD_OK;
}

static int contacts_and_events(lead_engine *engine, int64_t now)
{
    uint64_t ada = 0, bob = 0;
    const int64_t min = 60000;
    /* The contacts are created at `now`; their first touchpoints were
     * earlier (a backdated import), the purchase comes later. */
    int rc = lead_contact_create(engine, &ada, "Ada@Example.com", "crm-1", LEAD_DUPLICATE_REFUSE);
    if (rc == LEAD_OK)
        rc = lead_contact_create(engine, &bob, "bob@gmail.com", NULL, LEAD_DUPLICATE_REFUSE);
    if (rc == LEAD_OK)
        rc = lead_contact_set_field(engine, ada, LEAD_FIELD_JOB_TITLE, "VP Engineering");
    if (rc == LEAD_OK)
        rc = track(engine, ada, LEAD_EVENT_AD_CLICK, LEAD_CHANNEL_PAID_SEARCH, now - 3 * min, "q3");
    if (rc == LEAD_OK)
        rc = track(engine, ada, LEAD_EVENT_DEMO_REQUEST, LEAD_CHANNEL_DIRECT, now - 2 * min, NULL);
    if (rc == LEAD_OK)
        rc = lead_contact_set_stage(engine, ada, LEAD_STAGE_OPPORTUNITY, 0);
    if (rc == LEAD_OK)
        rc = track(engine, ada, LEAD_EVENT_PURCHASE, LEAD_CHANNEL_EMAIL, now + 5 * min, NULL);
    if (rc == LEAD_OK)
        rc = track(engine, bob, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, now - min, "news");
    if (rc == LEAD_OK)
        rc = print_history(engine, ada);
    if (rc == LEAD_OK)
        rc = print_history(engine, bob);
    return rc;
}

int main(void)
{
    if (lead_version_number() != LEAD_VERSION_NUMBER) {
        fprintf(stderr, "header %s but library %s\n", LEAD_VERSION_STRING, lead_version_string());
        return 1;
    }
    printf("liblead %s\n", lead_version_string());

    lead_engine *engine = NULL;
    int rc = lead_engine_new(&engine, NULL);
    if (rc != LEAD_OK) {
        fprintf(stderr, "lead_engine_new: %s\n", lead_strerror(rc));
        return 1;
    }
    int64_t now = 0;
    rc = lead_engine_now(engine, &now);
    if (rc != LEAD_OK) {
        fprintf(stderr, "lead_engine_now: %s (%s)\n", lead_strerror(rc), lead_engine_errmsg(engine));
        lead_engine_free(engine);
        return 1;
    }
    printf("engine ready, clock at %lld ms since the epoch\n", (long long)now);
    rc = contacts_and_events(engine, now);
    if (rc != LEAD_OK) {
        fprintf(stderr, "contacts: %s (%s)\n", lead_strerror(rc), lead_engine_errmsg(engine));
        lead_engine_free(engine);
        return 1;
    }
    rc = score_contacts(now);
    if (rc != LEAD_OK)
        fprintf(stderr, "scoring: %s\n", lead_strerror(rc));
    lead_engine_free(engine);
    return rc == LEAD_OK ? 0 : 1;
}
