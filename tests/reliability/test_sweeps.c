/* Whole-scenario fault sweeps. Each operation below runs on a seeded engine
 * whose allocator, store and clock can each be told to fail at call N. For
 * every kind of fault the operation is rerun with N = 0, 1, 2 ... until a
 * run sees no injected fault, and every failing run must
 *   - return the code of that fault (LEAD_ENOMEM, LEAD_ESTORE, LEAD_ECLOCK;
 *     an allocation failure the library absorbs may give LEAD_OK),
 *   - leak nothing (the counting allocator; LSan in the asan-test preset),
 *   - leave the store holding exactly the state before the operation or
 *     the state after it, the latter taken from an untouched twin run,
 *   - and, when it returns LEAD_OK, compute what the twin computed.
 *
 * Fault points covered (the calls of each kind the operations make on top
 * of the seeding, summed over the 32 operations below), as last measured:
 *   allocations 1897, store callbacks 299, clock reads 30.
 * The analytics operations (journeys, attribution, Markov, segment, funnel, engine scores)
 * read the engine's store and clock too, and run every handle they make on
 * the failing allocator.
 */
#include "lead_test.h"
#include "storedump.h"
#include "world.h"

#include <string.h>



typedef lt_world world;

/* ---- the seeded engine ---------------------------------------------------- */

static int track(lead_engine *e, uint64_t contact, int type, int channel, int64_t at,
                 int64_t value, const char *campaign, const char *key)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = type;
    in.channel = channel;
    in.time_ms = at;
    in.value_minor = value;
    in.currency = value ? "EUR" : NULL;
    in.campaign = campaign;
    in.source = "newsletter";
    in.idempotency_key = key;
    uint64_t id = 0;
    return lead_track(e, &id, &in);
}

#define H INT64_C(3600000)

/* Three contacts: 1 a lead moved on to MQL by hand, 2 a customer, 3 a
 * subscriber with one visit. */
static void seed(lead_engine *e)
{
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(e, &id, "a@x.io", "crm-a", 0), LEAD_OK);
    assert_int_equal(lead_contact_create(e, &id, "b@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lead_contact_create(e, &id, "c@x.io", "crm-c", 0), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, 1, LEAD_FIELD_JOB_TITLE, "VP Sales"), LEAD_OK);
    assert_int_equal(track(e, 1, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_ORGANIC_SEARCH, LT_T0 + H, 0,
                           NULL, "k0"),
                     LEAD_OK);
    assert_int_equal(track(e, 1, LEAD_EVENT_FORM_SUBMIT, LEAD_CHANNEL_PAID_SEARCH, LT_T0 + 2 * H,
                           0, "spring", NULL),
                     LEAD_OK);
    assert_int_equal(track(e, 1, LEAD_EVENT_EMAIL_CLICK, LEAD_CHANNEL_EMAIL, LT_T0 + 3 * H, 0,
                           "spring", NULL),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_stage(e, 1, LEAD_STAGE_MQL, 0), LEAD_OK);
    assert_int_equal(track(e, 2, LEAD_EVENT_AD_CLICK, LEAD_CHANNEL_PAID_SOCIAL, LT_T0 + 4 * H, 0,
                           "launch", NULL),
                     LEAD_OK);
    assert_int_equal(track(e, 2, LEAD_EVENT_PURCHASE, LEAD_CHANNEL_DIRECT, LT_T0 + 5 * H, 5000,
                           NULL, "k1"),
                     LEAD_OK);
    assert_int_equal(track(e, 3, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_REFERRAL, LT_T0 + 6 * H, 0,
                           NULL, NULL),
                     LEAD_OK);
}

static void world_up(world *w)
{
    lt_world_up(w, LT_T0 + LT_DAY, 1000, LT_WRAPPED);
    seed(w->e);
}

/* ---- operations ------------------------------------------------------------ */

/* An operation: runs on e with alloc for every handle it makes, frees them
 * all (also on failure), returns its status and, on success, a fingerprint
 * of what it computed in *fp. */
typedef int (*operation)(lead_engine *e, const lead_allocator *alloc, double *fp);

static int op_create(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    uint64_t id = 0;
    int rc = lead_contact_create(e, &id, "d@x.io", "crm-d", LEAD_DUPLICATE_REFUSE);
    *fp = (double)id;
    return rc;
}

static int op_set_company(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return lead_contact_set_field(e, 1, LEAD_FIELD_COMPANY, "Acme GmbH");
}

static int op_set_email(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return lead_contact_set_field(e, 2, LEAD_FIELD_EMAIL, "Bee@X.io");
}

static int op_set_phone(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return lead_contact_set_field(e, 3, LEAD_FIELD_PHONE, "+49 30 1234 5678");
}

static int op_set_attr(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return lead_contact_set_attr(e, 1, "employees", LEAD_ATTR_INT, 250, 0.0, NULL);
}

static int op_track(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return track(e, 3, LEAD_EVENT_EMAIL_OPEN, LEAD_CHANNEL_EMAIL, LT_T0 + 7 * H, 0, "spring",
                 "k9");
}

/* A replay of an idempotency key stores nothing: before and after agree. */
static int op_track_replay(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return track(e, 1, LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_ORGANIC_SEARCH, LT_T0 + H, 0, NULL,
                 "k0");
}

/* The first identifying event and a purchase: two stage changes. */
static int op_track_purchase(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return track(e, 3, LEAD_EVENT_PURCHASE, LEAD_CHANNEL_REFERRAL, LT_T0 + 8 * H, 12000, NULL,
                 "k8");
}

static int op_set_stage(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return lead_contact_set_stage(e, 1, LEAD_STAGE_SQL, 0);
}

static int op_merge(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return lead_contact_merge(e, 2, 1, NULL);
}

static int op_erase(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)alloc;
    (void)fp;
    return lead_contact_erase(e, 1);
}

/* Journeys of every contact that became a lead; the set is returned through
 * *out on success. */
static int journeys(lead_journey_set **out, lead_engine *e, const lead_allocator *alloc)
{
    int rc = lead_journey_set_new(out, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_journey_query q = LEAD_JOURNEY_QUERY_INIT;
    q.stage = LEAD_STAGE_LEAD;
    q.lookback_days = 0;
    rc = lead_journey_set_add_from_engine(*out, e, &q, NULL);
    if (rc != LEAD_OK) {
        lead_journey_set_free(*out);
        *out = NULL;
    }
    return rc;
}

static int op_journeys(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    lead_journey_set *set = NULL;
    int rc = journeys(&set, e, alloc);
    if (rc != LEAD_OK)
        return rc;
    size_t n = 0, channels = 0;
    lead_journey_set_count(set, &n);
    lead_journey_set_channel_count(set, &channels);
    *fp = (double)(n * 100 + channels);
    lead_journey_set_free(set);
    return rc;
}

/* Runs one attribution model on the engine's journeys; fingerprint: the
 * credit of each channel weighted by its id. */
static int attribute(lead_engine *e, const lead_allocator *alloc, double *fp, uint32_t kind)
{
    lead_journey_set *set = NULL;
    int rc = journeys(&set, e, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_attribution_model *m = NULL;
    lead_attribution_result *r = NULL;
    rc = lead_attribution_model_new(&m, kind, alloc);
    if (rc == LEAD_OK)
        rc = lead_attribution_run(&r, m, set);
    if (rc == LEAD_OK) {
        size_t n = 0;
        lead_attribution_result_channel_count(r, &n);
        *fp = 0;
        for (uint32_t i = 0; i < n; i++) {
            double conv = 0, value = 0;
            lead_attribution_result_channel(r, i, NULL, &conv, &value);
            *fp += (i + 1) * (conv + value);
        }
    }
    lead_attribution_result_free(r);
    lead_attribution_model_free(m);
    lead_journey_set_free(set);
    return rc;
}

#define ATTRIBUTION_OP(name, kind)                                                            \
    static int op_attr_##name(lead_engine *e, const lead_allocator *alloc, double *fp)        \
    {                                                                                        \
        return attribute(e, alloc, fp, kind);                                                \
    }
ATTRIBUTION_OP(first, LEAD_ATTRIBUTION_FIRST_TOUCH)
ATTRIBUTION_OP(last, LEAD_ATTRIBUTION_LAST_TOUCH)
ATTRIBUTION_OP(last_non_direct, LEAD_ATTRIBUTION_LAST_NON_DIRECT)
ATTRIBUTION_OP(lead_creation, LEAD_ATTRIBUTION_LEAD_CREATION)
ATTRIBUTION_OP(linear, LEAD_ATTRIBUTION_LINEAR)
ATTRIBUTION_OP(u_shaped, LEAD_ATTRIBUTION_U_SHAPED)
ATTRIBUTION_OP(w_shaped, LEAD_ATTRIBUTION_W_SHAPED)
ATTRIBUTION_OP(full_path, LEAD_ATTRIBUTION_FULL_PATH)
ATTRIBUTION_OP(j_shaped, LEAD_ATTRIBUTION_J_SHAPED)
ATTRIBUTION_OP(inverse_j, LEAD_ATTRIBUTION_INVERSE_J)
ATTRIBUTION_OP(custom, LEAD_ATTRIBUTION_CUSTOM_POSITION)
ATTRIBUTION_OP(time_decay, LEAD_ATTRIBUTION_TIME_DECAY)
ATTRIBUTION_OP(markov, LEAD_ATTRIBUTION_MARKOV)
ATTRIBUTION_OP(shapley, LEAD_ATTRIBUTION_SHAPLEY)
ATTRIBUTION_OP(shapley_ordered, LEAD_ATTRIBUTION_SHAPLEY_ORDERED)

/* The Markov chain's own API: count, export, import, merge, solve, choose
 * an order and the position credit of ordered Shapley, on the engine's
 * journeys plus hand-made ones (order selection needs a held-out part). */
static int op_markov(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    static const char *const paths[][3] = {{"email", "direct", NULL},
                                           {"paid_search", NULL, NULL},
                                           {"email", "paid_search", "direct"},
                                           {"referral", "email", NULL},
                                           {"direct", NULL, NULL},
                                           {"paid_search", "email", NULL}};
    lead_journey_set *set = NULL;
    int rc = journeys(&set, e, alloc);
    if (rc != LEAD_OK)
        return rc;
    for (size_t j = 0; rc == LEAD_OK && j < sizeof paths / sizeof paths[0]; j++) {
        rc = lead_journey_set_begin(set);
        for (size_t t = 0; rc == LEAD_OK && t < 3 && paths[j][t]; t++)
            rc = lead_journey_set_add_touch(set, paths[j][t], NULL, LEAD_TIME_UNKNOWN, 0);
        if (rc == LEAD_OK)
            rc = lead_journey_set_end(set, (double)(j % 2), 100.0 * (double)(j % 2),
                                      (double)(1 - j % 2), LEAD_TIME_UNKNOWN);
        else
            lead_journey_set_cancel(set);
    }
    lead_markov_options o = LEAD_MARKOV_OPTIONS_INIT;
    o.order = 2;
    lead_markov_counts *counts = NULL, *copy = NULL;
    lead_markov_result *r = NULL;
    unsigned char bytes[4096];
    size_t len = 0, positions = 0;
    uint32_t order = 0;
    double heldout[2] = {0, 0}, pos_conv[8] = {0};
    if (rc == LEAD_OK)
        rc = lead_markov_counts_new(&counts, set, &o, alloc);
    if (rc == LEAD_OK)
        rc = lead_markov_counts_export(counts, bytes, sizeof bytes, &len);
    if (rc == LEAD_OK)
        rc = lead_markov_counts_import(&copy, bytes, len, alloc);
    if (rc == LEAD_OK)
        rc = lead_markov_counts_merge(copy, counts);
    if (rc == LEAD_OK)
        rc = lead_markov_solve(&r, copy);
    if (rc == LEAD_OK)
        rc = lead_markov_select_order(&order, heldout, NULL, set, 2, NULL, alloc);
    if (rc == LEAD_OK)
        rc = lead_shapley_position_credit(set, 0, pos_conv, NULL, 8, &positions);
    if (rc == LEAD_OK) {
        double p = 0;
        lead_markov_result_conversion_probability(r, &p);
        *fp = p + (double)order * 10 + heldout[0] + heldout[1] + (double)positions * 100 +
              pos_conv[0];
    }
    lead_markov_result_free(r);
    lead_markov_counts_free(copy);
    lead_markov_counts_free(counts);
    lead_journey_set_free(set);
    return rc;
}

static const char score_text[] = "liblead-score 1\n"
                                 "fit authority 20 job_title contains \"vp\" \"chief\"\n"
                                 "fit budget 10 employees range 200 *\n"
                                 "behaviour 5 page_view\n"
                                 "behaviour 10 form_submit once\n"
                                 "half-life 7d\n";

/* Parse, format and evaluate a scoring model, track it incrementally and
 * learn fit points from examples. */
static int op_score(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    (void)e;
    lead_score_model *m = NULL, *learned = NULL;
    lead_score_subject *s = NULL;
    lead_score_result *r = NULL, *tr = NULL;
    lead_score_tracker *t = NULL;
    lead_score_examples *ex = NULL;
    char text[512];
    size_t len = 0;
    int rc = lead_score_model_new(&m, alloc);
    if (rc == LEAD_OK)
        rc = lead_score_model_parse(m, score_text, strlen(score_text));
    if (rc == LEAD_OK)
        rc = lead_score_model_format(m, text, sizeof text, &len);
    if (rc == LEAD_OK)
        rc = lead_score_model_parse(m, text, len);
    if (rc == LEAD_OK)
        rc = lead_score_subject_new(&s, alloc);
    if (rc == LEAD_OK)
        rc = lead_score_subject_set(s, "job_title", "VP Sales");
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_event(s, "page_view", "email", NULL, LT_T0);
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_event(s, "form_submit", "paid_search", "spring", LT_T0 + H);
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_property(s, "source", "newsletter");
    if (rc == LEAD_OK)
        rc = lead_score_evaluate(&r, m, s, LT_T0 + LT_DAY);
    if (rc == LEAD_OK)
        rc = lead_score_tracker_new(&t, m);
    if (rc == LEAD_OK)
        rc = lead_score_tracker_update(t, s);
    if (rc == LEAD_OK)
        rc = lead_score_tracker_score(&tr, t, s, LT_T0 + LT_DAY);
    if (rc == LEAD_OK)
        rc = lead_score_examples_new(&ex, alloc);
    for (int i = 0; rc == LEAD_OK && i < 4; i++) {
        rc = lead_score_examples_add(ex, i % 2);
        if (rc == LEAD_OK)
            rc = lead_score_examples_set(ex, "job_title", i % 2 ? "VP Sales" : "Intern");
    }
    if (rc == LEAD_OK)
        rc = lead_score_learn(&learned, m, ex, NULL);
    if (rc == LEAD_OK) {
        int64_t total = 0, tracked = 0;
        lead_score_result_scores(r, NULL, NULL, &total);
        lead_score_result_scores(tr, NULL, NULL, &tracked);
        size_t relen = 0;
        lead_score_model_format(learned, NULL, 0, &relen);
        *fp = (double)total * 1e6 + (double)tracked * 1e3 + (double)len + (double)relen;
    }
    lead_score_model_free(learned);
    lead_score_examples_free(ex);
    lead_score_result_free(tr);
    lead_score_tracker_free(t);
    lead_score_result_free(r);
    lead_score_subject_free(s);
    lead_score_model_free(m);
    return rc;
}

static const char engine_model_text[] = "liblead-score 1\n"
                                        "fit authority 50 job_title contains \"vp\"\n"
                                        "behaviour 10 email_click\n"
                                        "stage sql fit 40 behaviour 15\n";

static int count_progress(void *user, uint64_t done, uint64_t total)
{
    (void)total;
    *(uint64_t *)user = done;
    return 0;
}

/* Scores kept by the engine: attach a model (every contact scored from the
 * store), track an event that crosses its SQL threshold (the stage move is
 * written with the event), explain a score read back from the store,
 * rescore every contact and detach. */
static int op_engine_score(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    lead_score_model *m = NULL;
    lead_score_result *r = NULL;
    uint64_t rescored = 0;
    int rc = lead_score_model_new(&m, alloc);
    if (rc == LEAD_OK)
        rc = lead_score_model_parse(m, engine_model_text, strlen(engine_model_text));
    if (rc == LEAD_OK)
        rc = lead_engine_score_attach(e, "sweep", m);
    if (rc == LEAD_OK)
        rc = track(e, 1, LEAD_EVENT_EMAIL_CLICK, LEAD_CHANNEL_EMAIL, LT_T0 + 7 * H, 0, "spring",
                   NULL);
    if (rc == LEAD_OK)
        rc = lead_engine_score(&r, e, "sweep", 1, LT_T0 + LT_DAY);
    if (rc == LEAD_OK)
        rc = lead_engine_rescore(e, NULL, count_progress, &rescored);
    if (rc == LEAD_OK)
        rc = lead_engine_score_detach(e, "sweep");
    if (rc == LEAD_OK) {
        int64_t total = 0;
        size_t items = 0;
        lead_score_result_scores(r, NULL, NULL, &total);
        lead_score_result_item_count(r, &items);
        *fp = (double)total * 1e3 + (double)items * 10 + (double)rescored;
    }
    lead_score_result_free(r);
    lead_score_model_free(m);
    return rc;
}

static const char segment_text[] = "liblead-segment 1\n"
                                   "name \"engaged\"\n"
                                   "stage at-least lead\n"
                                   "did email_click channel \"email\" within 30d\n";

static int op_segment(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    lead_segment *seg = NULL;
    lead_segment_iter *it = NULL;
    int rc = lead_segment_new(&seg, alloc);
    if (rc == LEAD_OK)
        rc = lead_segment_parse(seg, segment_text, strlen(segment_text));
    if (rc == LEAD_OK)
        rc = lead_segment_iter_new(&it, e, seg, NULL, NULL);
    double sum = 0;
    while (rc == LEAD_OK) {
        uint64_t id = 0;
        rc = lead_segment_iter_next(it, &id);
        sum = sum * 10 + (double)id;
    }
    if (rc == LEAD_ITEROVER) {
        rc = LEAD_OK;
        *fp = sum;
    }
    lead_segment_iter_free(it);
    lead_segment_free(seg);
    return rc;
}

static int op_funnel(lead_engine *e, const lead_allocator *alloc, double *fp)
{
    lead_funnel *f = NULL;
    lead_funnel_report *r = NULL;
    int rc = lead_funnel_new(&f, alloc);
    if (rc == LEAD_OK)
        rc = lead_funnel_add_from_engine(f, e);
    if (rc == LEAD_OK)
        rc = lead_funnel_report_new(&r, f, LT_T0 - LT_DAY, LT_T0 + 30 * LT_DAY, LEAD_COHORT_WEEK);
    if (rc == LEAD_OK) {
        uint64_t leads = 0, reached = 0;
        size_t groups = 0;
        lead_funnel_report_entered(r, LEAD_STAGE_LEAD, &leads);
        lead_funnel_report_conversion(r, LEAD_STAGE_LEAD, LEAD_STAGE_CUSTOMER, &reached, NULL,
                                      NULL);
        lead_funnel_report_group_count(r, LEAD_FUNNEL_LEAD_CHANNEL, &groups);
        *fp = (double)(leads * 100 + reached * 10 + groups);
    }
    lead_funnel_report_free(r);
    lead_funnel_free(f);
    return rc;
}

/* ---- the sweep --------------------------------------------------------------- */

static const int fault_code[] = {LEAD_ENOMEM, LEAD_ESTORE, LEAD_ECLOCK};
static const char *const fault_name[] = {"allocation", "store callback", "clock read"};

/* Fails each call of one kind in turn; returns how many were failed. */
static long sweep(operation op, const char *name, enum lt_fault kind)
{
    world w;
    world_up(&w);
    lt_dump before = lt_store_dump(w.mem);
    double want_fp = 0;
    int rc = op(w.e, &w.fa.alloc, &want_fp);
    if (rc != LEAD_OK)
        fail_msg("%s: the untouched run returned %d (%s): %s", name, rc, lead_strerror(rc),
                 lead_engine_errmsg(w.e));
    lt_dump after = lt_store_dump(w.mem);
    lt_world_down(&w);

    long n = 0;
    for (;; n++) {
        world_up(&w);
        lt_world_arm(&w, kind, n);
        double fp = 0;
        rc = op(w.e, &w.fa.alloc, &fp);
        long hit = lt_world_injected(&w, kind);
        lt_world_disarm(&w);
        lt_dump got = lt_store_dump(w.mem);
        int same_before = lt_dump_equal(&got, &before);
        int same_after = lt_dump_equal(&got, &after);
        lt_dump_free(&got);
        if (hit == 0) {
            assert_int_equal(rc, LEAD_OK);
            assert_true(same_after);
            assert_true(fp == want_fp);
            lt_world_down(&w);
            break;
        }
        if (rc == LEAD_OK && kind == LT_FAULT_ALLOC) {
            /* An absorbed allocation failure must not change the outcome. */
            if (!same_after || fp != want_fp)
                fail_msg("%s: %s %ld failing was absorbed with a different outcome", name,
                         fault_name[kind], n);
        } else if (rc != fault_code[kind]) {
            fail_msg("%s: %s %ld failing returned %d (%s), expected %s: %s", name,
                     fault_name[kind], n, rc, lead_strerror(rc), lead_strerror(fault_code[kind]),
                     lead_engine_errmsg(w.e));
        }
        if (!same_before && !same_after)
            fail_msg("%s: %s %ld failing left a state that is neither before nor after", name,
                     fault_name[kind], n);
        lt_world_down(&w);
    }
    lt_dump_free(&before);
    lt_dump_free(&after);
    return n;
}

typedef struct op_row {
    const char *name;
    operation fn;
} op_row;

#define OP(fn) {#fn, fn}
static const op_row ops[] = {
    OP(op_create),
    OP(op_set_company),
    OP(op_set_email),
    OP(op_set_phone),
    OP(op_set_attr),
    OP(op_track),
    OP(op_track_replay),
    OP(op_track_purchase),
    OP(op_set_stage),
    OP(op_merge),
    OP(op_erase),
    OP(op_journeys),
    OP(op_attr_first),
    OP(op_attr_last),
    OP(op_attr_last_non_direct),
    OP(op_attr_lead_creation),
    OP(op_attr_linear),
    OP(op_attr_u_shaped),
    OP(op_attr_w_shaped),
    OP(op_attr_full_path),
    OP(op_attr_j_shaped),
    OP(op_attr_inverse_j),
    OP(op_attr_custom),
    OP(op_attr_time_decay),
    OP(op_attr_markov),
    OP(op_attr_shapley),
    OP(op_attr_shapley_ordered),
    OP(op_markov),
    OP(op_score),
    OP(op_engine_score),
    OP(op_segment),
    OP(op_funnel),
};
#define OP_COUNT (sizeof ops / sizeof ops[0])

static long sweep_all(enum lt_fault kind)
{
    long total = 0;
    for (size_t i = 0; i < OP_COUNT; i++)
        total += sweep(ops[i].fn, ops[i].name, kind);
    return total;
}

static void allocation_sweep(void **state)
{
    (void)state;
    /* Every operation allocates: at least one fault point each. */
    assert_true(sweep_all(LT_FAULT_ALLOC) >= (long)OP_COUNT);
}

static void store_sweep(void **state)
{
    (void)state;
    assert_true(sweep_all(LT_FAULT_STORE) > 0);
}

static void clock_sweep(void **state)
{
    (void)state;
    assert_true(sweep_all(LT_FAULT_CLOCK) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocation_sweep),
        cmocka_unit_test(store_sweep),
        cmocka_unit_test(clock_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
