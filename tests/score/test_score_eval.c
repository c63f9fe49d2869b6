/* Scoring: fit, behaviour with caps, windows and decay, thresholds,
 * explanations that sum to the score, incremental state equal to from
 * scratch, allocation failures. Figures are those of the worked example in
 * docs/scoring-model.md, checked by hand there. */
#include "lead_test.h"
#include "score_fixture.h"

static lead_score_model *parse_text(const char *text)
{
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    assert_int_equal(lead_score_model_parse(m, text, strlen(text)), LEAD_OK);
    return m;
}

static lead_score_result *eval(const lead_score_model *m, const char *const *kv,
                               const lead__score_event *ev, size_t n, int64_t t, int explain)
{
    pairs p = {kv};
    lead__score_contact c = {&p, pairs_lookup};
    lead_score_result *r = NULL;
    assert_int_equal(lead__score_evaluate(&r, m, &c, ev, n, t, explain), LEAD_OK);
    return r;
}

static void scores_are(const lead_score_result *r, int64_t fit, int64_t beh, int64_t total)
{
    int64_t f = -1, b = -1, t = -1;
    assert_int_equal(lead_score_result_scores(r, &f, &b, &t), LEAD_OK);
    assert_int_equal(f, fit);
    assert_int_equal(b, beh);
    assert_int_equal(t, total);
}

typedef struct want_item {
    int32_t kind;
    uint32_t rule;
    const char *subject;
    uint64_t event_index;
    int64_t raw, value;
} want_item;

static void items_are(const lead_score_result *r, const want_item *want, size_t n)
{
    size_t count = 0;
    assert_int_equal(lead_score_result_item_count(r, &count), LEAD_OK);
    assert_int_equal(count, n);
    int64_t sum = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        lead_score_item it = LEAD_SCORE_ITEM_INIT;
        assert_int_equal(lead_score_result_item(r, i, &it), LEAD_OK);
        assert_int_equal(it.kind, want[i].kind);
        assert_int_equal(it.rule, want[i].rule);
        assert_string_equal(it.subject, want[i].subject);
        assert_int_equal(it.event_index, want[i].event_index);
        assert_int_equal(it.raw, want[i].raw);
        assert_int_equal(it.value, want[i].value);
        sum += it.value;
    }
    lead_score_item it = LEAD_SCORE_ITEM_INIT;
    assert_int_equal(lead_score_result_item(r, n, &it), LEAD_ENOTFOUND);
    lead_score_result_scores(r, NULL, NULL, &total);
    assert_int_equal(sum, total);
}

enum { FIT = LEAD_SCORE_ITEM_FIT_RULE, BASE = LEAD_SCORE_ITEM_FIT_BASE,
       EVENT = LEAD_SCORE_ITEM_EVENT, CAP = LEAD_SCORE_ITEM_BEHAVIOUR_CAP,
       FLOOR = LEAD_SCORE_ITEM_BEHAVIOUR_FLOOR };

static void worked_example_ada(void **state)
{
    (void)state;
    int rc;
    lead_score_model *m = example_parse(NULL, &rc);
    lead_score_result *r = eval(m, ada_kv, ada_events, ADA_EVENTS, LT_T0 + 14 * LT_DAY, 1);
    scores_are(r, 8571, 5607, 14178);
    char grade = 0;
    assert_int_equal(lead_score_result_grade(r, &grade), LEAD_OK);
    assert_int_equal(grade, 'A');
    uint32_t mask = 0;
    assert_int_equal(lead_score_result_bant(r, &mask), LEAD_OK);
    assert_int_equal(mask, LEAD_SCORE_BUDGET | LEAD_SCORE_AUTHORITY | LEAD_SCORE_NEED);
    int32_t stage = -1;
    size_t rule = 9;
    assert_int_equal(lead_score_result_stage(r, &stage, &rule), LEAD_OK);
    assert_int_equal(stage, LEAD_STAGE_SQL);
    assert_int_equal(rule, 1);
    static const want_item want[] = {
        {FIT, 0, "job_title", 0, 2000, 2857},
        {FIT, 1, "employees", 0, 1500, 2143},
        {FIT, 2, "industry", 0, 1000, 1429},
        {FIT, 4, "phone", 0, 500, 714},
        {BASE, 0, "", 0, 1000, 1428},
        {EVENT, 0, "email_open", 0, 1000, 250},
        {EVENT, 0, "email_open", 1, 1000, 251},
        {EVENT, 0, "email_open", 2, 1000, 276},
        {EVENT, 0, "email_open", 4, 1000, 500},
        {EVENT, 1, "page_view", 5, 500, 99},
        {EVENT, 2, "demo_request", 6, 3000, 3000},
        {EVENT, 4, "form_submit", 8, 1500, 1231},
    };
    items_are(r, want, sizeof want / sizeof want[0]);
    lead_score_item it = LEAD_SCORE_ITEM_INIT;
    assert_int_equal(lead_score_result_item(r, 8, &it), LEAD_OK);
    assert_int_equal(it.event_time, LT_T0 + 7 * LT_DAY);
    lead_score_result_free(r);
    lead_score_model_free(m);
}

static void worked_example_bob_floor(void **state)
{
    (void)state;
    int rc;
    lead_score_model *m = example_parse(NULL, &rc);
    lead_score_result *r = eval(m, bob_kv, bob_events, BOB_EVENTS, LT_T0 + 14 * LT_DAY, 1);
    scores_are(r, 0, -5000, -5000);
    char grade = 0;
    lead_score_result_grade(r, &grade);
    assert_int_equal(grade, 'F');
    assert_int_equal(lead_score_result_stage(r, NULL, NULL), LEAD_ENOTFOUND);
    static const want_item want[] = {
        {FIT, 5, "email_domain", 0, -1000, -1429},
        {BASE, 0, "", 0, 1000, 1429},
        {EVENT, 3, "unsubscribe", 0, -2500, -2264},
        {EVENT, 3, "unsubscribe", 1, -2500, -2265},
        {EVENT, 3, "unsubscribe", 2, -2500, -2500},
        {FLOOR, 0, "", 0, 2029, 2029},
    };
    items_are(r, want, sizeof want / sizeof want[0]);
    lead_score_result_free(r);
    lead_score_model_free(m);
}

static void decay_halves_per_half_life(void **state)
{
    (void)state;
    lead_score_model *m = parse_text("liblead-score 1\nhalf-life 7d\nbehaviour 10 email_open\n");
    static const lead__score_event ev[] = {EV(0, 0, "email_open", NULL, NULL, 0)};
    static const char *const none[] = {NULL};
    static const struct { int64_t at; int64_t want; } reads[] = {
        {0, 1000}, {7 * LT_DAY, 500}, {14 * LT_DAY, 250}, {21 * LT_DAY, 125},
        {28 * LT_DAY, 63}, /* 62.5 rounds half away from zero */
        {LT_DAY, 906},     /* 1000 * 2^(-1/7) = 905.72 */
    };
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        lead_score_result *r = eval(m, none, ev, 1, LT_T0 + reads[i].at, 0);
        int64_t b = 0;
        lead_score_result_scores(r, NULL, &b, NULL);
        assert_int_equal(b, reads[i].want);
        size_t n = 9;
        lead_score_result_item_count(r, &n);
        assert_int_equal(n, 0); /* no explanation asked for */
        lead_score_result_free(r);
    }
    /* Events after the scoring time do not count yet. */
    lead_score_result *r = eval(m, none, ev, 1, LT_T0 - 1, 0);
    scores_are(r, 0, 0, 0);
    lead_score_result_free(r);
    lead_score_model_free(m);
}

static int64_t behaviour_at(const lead_score_model *m, const lead__score_event *ev, size_t n,
                            int64_t t)
{
    static const char *const none[] = {NULL};
    lead_score_result *r = eval(m, none, ev, n, t, 0);
    int64_t b = 0;
    lead_score_result_scores(r, NULL, &b, NULL);
    lead_score_result_free(r);
    return b;
}

static void caps_and_windows(void **state)
{
    (void)state;
    lead_score_model *m = parse_text("liblead-score 1\n"
                                     "behaviour 5 webinar_attend once\n"
                                     "behaviour 1 download cap 2\n"
                                     "behaviour 100 meeting cap 2 per 1d\n"
                                     "behaviour-cap 250\n");
    static const lead__score_event ev[] = {
        EV(0, 0, "webinar_attend", NULL, NULL, 0),
        EV(0, 0, "download", NULL, NULL, 0),
        EV(1, 0, "webinar_attend", NULL, NULL, 0), /* once: refused */
        EV(1, 0, "download", NULL, NULL, 0),
        EV(2, 0, "download", NULL, NULL, 0),       /* cap 2 ever: refused */
    };
    assert_int_equal(behaviour_at(m, ev, 5, LT_T0 + 3 * LT_DAY), 700);

    /* Two meetings per rolling day: 00:00, 12:00 count; 23:59 does not;
     * 24:00 does (00:00 left the window (00:00, 24:00]); 24:01 does not
     * (12:00 is still in). */
    static const lead__score_event meet[] = {
        EV(0, 0, "meeting", NULL, NULL, 0),
        EV(0, 12 * HOUR, "meeting", NULL, NULL, 0),
        EV(0, 24 * HOUR - 60000, "meeting", NULL, NULL, 0),
        EV(1, 0, "meeting", NULL, NULL, 0),
        EV(1, 60000, "meeting", NULL, NULL, 0),
    };
    assert_int_equal(behaviour_at(m, meet, 3, LT_T0 + 2 * LT_DAY), 20000);
    assert_int_equal(behaviour_at(m, meet, 4, LT_T0 + 2 * LT_DAY), 25000); /* 300 capped at 250 */
    static const char *const none[] = {NULL};
    lead_score_result *r = eval(m, none, meet, 5, LT_T0 + 2 * LT_DAY, 1);
    static const want_item want[] = {
        {EVENT, 2, "meeting", 0, 10000, 10000},
        {EVENT, 2, "meeting", 1, 10000, 10000},
        {EVENT, 2, "meeting", 3, 10000, 10000},
        {CAP, 0, "", 0, -5000, -5000},
    };
    items_are(r, want, sizeof want / sizeof want[0]);
    lead_score_result_free(r);
    lead_score_model_free(m);
}

static void matching_by_channel_campaign_property(void **state)
{
    (void)state;
    lead_score_model *m = parse_text("liblead-score 1\n"
                                     "behaviour 1 ad_click channel \"paid_social\"\n"
                                     "behaviour 10 ad_click campaign \"spring\"\n"
                                     "behaviour 100 page_view property \"path\" \"/pricing\"\n");
    static const lead__score_prop other[] = {{"ref", "x"}, {"path", "/pricing"}};
    static const lead__score_event ev[] = {
        {"ad_click", "paid_social", "spring", LT_T0, NULL, 0}, /* both rules */
        {"ad_click", "paid_search", "spring", LT_T0, NULL, 0}, /* campaign rule */
        {"ad_click", NULL, NULL, LT_T0, NULL, 0},              /* neither */
        {"page_view", NULL, NULL, LT_T0, other, 2},            /* property */
        {"page_view", NULL, NULL, LT_T0, blog, 1},             /* other value */
        {"Ad_Click", "paid_social", NULL, LT_T0, NULL, 0},     /* types are exact */
    };
    assert_int_equal(behaviour_at(m, ev, 6, LT_T0), 12100);
    lead_score_model_free(m);
}

static void fit_tests_and_normalisation(void **state)
{
    (void)state;
    lead_score_model *m = parse_text(
        "liblead-score 1\n"
        "grade A 90\ngrade B 50\ngrade C 50\ngrade D 10\n"
        "fit authority 10 title contains \"cto\" \"head of\"\n"
        "fit budget 10 revenue range 1000 * \n"
        "fit budget 10 revenue range * 5\n"
        "fit need 10 country one-of \"DE\" \"AT\"\n"
        "fit profile 10 website missing\n"
        "fit profile 10 phone exists\n");
    static const struct { const char *kv[9]; int64_t fit; char grade; } cases[] = {
        {{"title", "Director of Sales", NULL}, 1667, 'D'},          /* missing website only */
        {{"title", "CTO, EMEA", "website", "", NULL}, 3333, 'D'},
        {{"title", "Head of IT", "revenue", "1000", "website", "x", NULL}, 3333, 'D'},
        {{"title", "head  of", "revenue", "4.5", "phone", "", NULL}, 3333, 'D'},
        {{"revenue", "abc", "country", "AT", "phone", "1", "website", "x", NULL}, 3333, 'D'},
        {{"country", "at", "revenue", "-2", NULL}, 3333, 'D'},
        {{"title", "VP/CTO", "revenue", "999.5", "country", "DE", "phone", "+1", NULL}, 6667, 'B'},
        {{"website", "w", NULL}, 0, 'F'},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lead_score_result *r = eval(m, cases[i].kv, NULL, 0, LT_T0, 0);
        int64_t fit = -1;
        char grade = 0;
        lead_score_result_scores(r, &fit, NULL, NULL);
        lead_score_result_grade(r, &grade);
        if (fit != cases[i].fit || grade != cases[i].grade)
            fail_msg("case %zu: fit %lld grade %c", i, (long long)fit, grade);
        lead_score_result_free(r);
    }
    lead_score_model_free(m);
}

/* Fit shares are exact fractions over max - min: equal fractional parts are
 * equal, and the missing unit goes to the earlier item. */
static void fit_item_ties_go_to_the_earlier_item(void **state)
{
    (void)state;
    /* A: max 2, min -26, max - min = 28; a matched: raw -16,
     * fit = 10000 * (-16 + 26) / 28 = 3571.43 -> 3571.
     * a: -160000 / 28 = -5715 + 20/28 (-5715 * 28 = -160020);
     * base: 260000 / 28 = 9285 + 20/28 (9285 * 28 = 259980).
     * Floors sum to 3570; the one missing unit goes to a, the earlier of the
     * two equal fractions: -5714 + 9285 = 3571. */
    lead_score_model *m = parse_text("liblead-score 1\n"
                                     "fit profile -16 a exists\n"
                                     "fit profile -10 b exists\n"
                                     "fit profile 2 c exists\n");
    static const char *const a_kv[] = {"a", "y", NULL};
    lead_score_result *r = eval(m, a_kv, NULL, 0, LT_T0, 1);
    scores_are(r, 3571, 0, 3571);
    static const want_item want_a[] = {
        {FIT, 0, "a", 0, -1600, -5714},
        {BASE, 0, "", 0, 2600, 9285},
    };
    items_are(r, want_a, 2);
    lead_score_result_free(r);
    lead_score_model_free(m);

    /* B: max 12 + 29 + 17 + 11 + 6 = 75, min 0; c, d, e matched: raw 34,
     * fit = 340000 / 75 = 4533.33 -> 4533.
     * c: 170000 / 75 = 2266 + 50/75; d: 110000 / 75 = 1466 + 50/75; e: 60000 / 75 = 800.
     * Floors sum to 4532; the missing unit goes to c, the earlier of the two
     * equal fractions: 2267 + 1466 + 800 = 4533. */
    m = parse_text("liblead-score 1\n"
                   "fit profile 12 a exists\n"
                   "fit profile 29 b exists\n"
                   "fit profile 17 c exists\n"
                   "fit profile 11 d exists\n"
                   "fit profile 6 e exists\n");
    static const char *const cde_kv[] = {"c", "y", "d", "y", "e", "y", NULL};
    r = eval(m, cde_kv, NULL, 0, LT_T0, 1);
    scores_are(r, 4533, 0, 4533);
    static const want_item want_b[] = {
        {FIT, 2, "c", 0, 1700, 2267},
        {FIT, 3, "d", 0, 1100, 1466},
        {FIT, 4, "e", 0, 600, 800},
    };
    items_are(r, want_b, 3);
    lead_score_result_free(r);
    lead_score_model_free(m);
}

/* range reads text as a decimal number with an optional exponent and
 * compares it with the bounds exactly, without rounding it to a double;
 * commas, spaces and anything else make it no number. */
static void range_compares_decimal_text_exactly(void **state)
{
    (void)state;
    lead_score_model *m = parse_text("liblead-score 1\n"
                                     "fit need 10 x range 0 2\n"
                                     "fit need 10 y range * 1125899906842624\n");
    static const struct { const char *x, *y; int64_t fit; } cases[] = {
        {"2", "1125899906842624", 10000},            /* both bounds are inclusive */
        {"2.5", "1125899906842625", 0},
        {"1e-5", "1e15", 10000},                     /* exponents */
        {"20e-1", "1.125899906842624E+15", 10000},
        {"0.2E+1", "-1e99999999999999999999", 10000}, /* an exponent of any size */
        {"1e-99999999999999999999", "0", 10000},
        {"2.0000000000000000001", "1125899906842624.0000000001", 0}, /* exactly above */
        {"1.9999999999999999999", "1125899906842623.9999999999", 10000},
        {"-0", "-0.0e7", 10000},
        {"+.5", "2.", 10000},
        {"-1e-400", "1125899906842625e0", 0},
        {"000002.000", "0001125899906842624000e-3", 10000},
        {"5,5", "1,5", 0},                           /* a comma is not a separator */
        {"2,0", "1", 5000},
        {" 2", "2 ", 0},
        {"2e", "e2", 0},
        {".", "-", 0},
        {"", "+", 0},
        {"0x1", "1e+", 0},
        {"inf", "nan", 0},
        {"1.5.2", "1..", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *kv[] = {"x", cases[i].x, "y", cases[i].y, NULL};
        lead_score_result *r = eval(m, kv, NULL, 0, LT_T0, 0);
        int64_t fit = -1;
        lead_score_result_scores(r, &fit, NULL, NULL);
        if (fit != cases[i].fit)
            fail_msg("case %zu (%s, %s): fit %lld", i, cases[i].x, cases[i].y, (long long)fit);
        lead_score_result_free(r);
    }
    lead_score_model_free(m);
}

static void thresholds_pick_the_furthest_stage(void **state)
{
    (void)state;
    lead_score_model *m = parse_text("liblead-score 1\n"
                                     "fit need 10 pain exists\n"
                                     "fit timeline 10 when exists\n"
                                     "behaviour 30 demo_request\n"
                                     "stage lead total 1\n"
                                     "stage mql fit 50 behaviour 30\n"
                                     "stage mql total 120\n"
                                     "stage sql bant 2 grade A\n");
    static const lead__score_event demo[] = {EV(0, 0, "demo_request", NULL, NULL, 0)};
    static const char *const need[] = {"pain", "y", NULL};
    static const char *const both[] = {"pain", "y", "when", "q1", NULL};
    static const char *const none[] = {NULL};
    static const struct { const char *const *kv; size_t nev; int32_t stage; size_t rule; } c[] = {
        {none, 0, -1, 0},
        {none, 1, LEAD_STAGE_LEAD, 0}, /* total 30 */
        {need, 0, LEAD_STAGE_LEAD, 0}, /* fit 50, no behaviour */
        {need, 1, LEAD_STAGE_MQL, 1},  /* fit 50, behaviour 30: the first mql rule */
        {both, 0, LEAD_STAGE_SQL, 3},  /* two dimensions, fit 100 = grade A */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        lead_score_result *r = eval(m, c[i].kv, demo, c[i].nev, LT_T0, 0);
        int32_t stage = -1;
        size_t rule = 99;
        int rc = lead_score_result_stage(r, &stage, &rule);
        if (c[i].stage < 0) {
            assert_int_equal(rc, LEAD_ENOTFOUND);
        } else {
            assert_int_equal(rc, LEAD_OK);
            assert_int_equal(stage, c[i].stage);
            assert_int_equal(rule, c[i].rule);
        }
        lead_score_result_free(r);
    }
    lead_score_model_free(m);
}

/* A crossing is reported only when it moves the contact forward, so once
 * it is recorded it is not reported again, and a falling score never
 * demotes. */
static void crossings_move_forward_once(void **state)
{
    (void)state;
    int rc;
    lead_score_model *m = example_parse(NULL, &rc);
    lead_score_result *ada = eval(m, ada_kv, ada_events, ADA_EVENTS, LT_T0 + 14 * LT_DAY, 0);
    lead_score_result *bob = eval(m, bob_kv, bob_events, BOB_EVENTS, LT_T0 + 14 * LT_DAY, 0);
    static const struct { int current; int moves; } c[] = {
        {-1, 1}, {LEAD_STAGE_SUBSCRIBER, 1}, {LEAD_STAGE_MQL, 1}, {LEAD_STAGE_SQL, 0},
        {LEAD_STAGE_CUSTOMER, 0}, {LEAD_STAGE_OTHER, 0}, {LEAD_STAGE_DISQUALIFIED, 0},
        {LEAD_STAGE_RECYCLED, 0},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        int stage = -7;
        size_t rule = 99;
        assert_int_equal(lead__score_stage_advance(ada, c[i].current, &stage, &rule), c[i].moves);
        if (c[i].moves) {
            assert_int_equal(stage, LEAD_STAGE_SQL);
            assert_int_equal(rule, 1);
        } else {
            assert_int_equal(stage, -7); /* untouched */
        }
        assert_int_equal(lead__score_stage_advance(bob, c[i].current, &stage, &rule), 0);
    }
    lead_score_result_free(ada);
    lead_score_result_free(bob);
    lead_score_model_free(m);
}

/* Feeding events one by one and reading between them gives exactly what a
 * from-scratch evaluation gives at every read time. */
static void incremental_equals_from_scratch(void **state)
{
    (void)state;
    int rc;
    lead_score_model *m = example_parse(NULL, &rc);
    lead__mem mem;
    lead__mem_init(&mem, NULL);
    lead__score_state st;
    assert_int_equal(lead__score_state_init(&mem, &st, &m->def), LEAD_OK);
    pairs p = {ada_kv};
    lead__score_contact c = {&p, pairs_lookup};
    for (size_t i = 0; i < ADA_EVENTS; i++) {
        assert_int_equal(lead__score_state_feed(&st, &m->def, &ada_events[i], NULL, NULL), LEAD_OK);
        for (int64_t later = 0; later < 5 * LT_DAY; later += LT_DAY + 7 * HOUR) {
            int64_t t = ada_events[i].time + later;
            if (i + 1 < ADA_EVENTS && t >= ada_events[i + 1].time)
                break;
            lead_score_result *inc = NULL;
            assert_int_equal(lead__score_result_build(&inc, &mem, &m->def, &c, &st, t, NULL, 0),
                             LEAD_OK);
            lead_score_result *full = eval(m, ada_kv, ada_events, i + 1, t, 0);
            int64_t a[3], b[3];
            lead_score_result_scores(inc, &a[0], &a[1], &a[2]);
            lead_score_result_scores(full, &b[0], &b[1], &b[2]);
            assert_memory_equal(a, b, sizeof a);
            lead_score_result_free(inc);
            lead_score_result_free(full);
        }
    }
    /* An older event is refused and changes nothing; so is a read before the
     * latest event. */
    lead__score_state before = st;
    double sums[64];
    assert_true(m->def.nbeh <= 64);
    for (size_t r = 0; r < m->def.nbeh; r++)
        sums[r] = st.rules[r].sum;
    assert_int_equal(lead__score_state_feed(&st, &m->def, &ada_events[0], NULL, NULL), LEAD_ESTATE);
    assert_int_equal(st.last_time, before.last_time);
    assert_int_equal(st.frame, before.frame);
    for (size_t r = 0; r < m->def.nbeh; r++)
        assert_memory_equal(&st.rules[r].sum, &sums[r], sizeof sums[r]);
    lead_score_result *r = (lead_score_result *)1;
    assert_int_equal(lead__score_result_build(&r, &mem, &m->def, &c, &st, LT_T0, NULL, 0),
                     LEAD_ESTATE);
    assert_null(r);
    lead__score_state_clear(&mem, &st);

    /* Out-of-order input to a from-scratch evaluation is an argument error. */
    static const lead__score_event backwards[] = {EV(2, 0, "email_open", NULL, NULL, 0),
                                                  EV(1, 0, "email_open", NULL, NULL, 0)};
    r = NULL;
    assert_int_equal(lead__score_evaluate(&r, m, &c, backwards, 2, LT_T0 + 3 * LT_DAY, 0),
                     LEAD_EINVAL);
    assert_null(r);
    lead_score_model_free(m);
}

/* Decay over decades keeps the sums finite and exact at whole half-lives. */
/* Events and scoring times at both ends of int64: ages and cap windows
 * wider than INT64_MAX ms saturate instead of overflowing. */
static void events_at_both_ends_of_time(void **state)
{
    (void)state;
    lead_score_model *m = parse_text("liblead-score 1\n"
                                     "behaviour 5 page_view cap 1 per 7d\n"
                                     "behaviour 3 download\n"
                                     "half-life 7d\n");
    lead_score_subject *s = NULL;
    assert_int_equal(lead_score_subject_new(&s, NULL), LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "page_view", NULL, NULL, INT64_MIN + 1),
                     LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "page_view", NULL, NULL, INT64_MIN + 2),
                     LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "download", NULL, NULL, INT64_MIN + 3),
                     LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "page_view", NULL, NULL, INT64_MAX - 1),
                     LEAD_OK);
    /* Near the start: the first view (the second is capped, 1 ms later)
     * and the download, barely decayed. */
    lead_score_result *r = NULL;
    assert_int_equal(lead_score_evaluate(&r, m, s, INT64_MIN + 3), LEAD_OK);
    scores_are(r, 0, 800, 800);
    lead_score_result_free(r);
    /* At the end: everything before has decayed to 0, the last view counts
     * (the cap window saw nothing in 7 days) and is a millisecond old. */
    assert_int_equal(lead_score_evaluate(&r, m, s, INT64_MAX), LEAD_OK);
    scores_are(r, 0, 500, 500);
    lead_score_result_free(r);
    lead_score_tracker *t = NULL;
    assert_int_equal(lead_score_tracker_new(&t, m), LEAD_OK);
    assert_int_equal(lead_score_tracker_update(t, s), LEAD_OK);
    assert_int_equal(lead_score_tracker_score(&r, t, s, INT64_MAX), LEAD_OK);
    scores_are(r, 0, 500, 500);
    lead_score_result_free(r);
    lead_score_tracker_free(t);
    lead_score_subject_free(s);
    lead_score_model_free(m);
}

static void long_histories_stay_finite(void **state)
{
    (void)state;
    lead_score_model *m = parse_text("liblead-score 1\nhalf-life 1d\nbehaviour 8 page_view\n");
    lead__mem mem;
    lead__mem_init(&mem, NULL);
    lead__score_state st;
    assert_int_equal(lead__score_state_init(&mem, &st, &m->def), LEAD_OK);
    lead__score_event ev = {"page_view", NULL, NULL, LT_T0, NULL, 0};
    for (int day = 0; day < 40 * 366; day++) {
        ev.time = LT_T0 + day * LT_DAY;
        assert_int_equal(lead__score_state_feed(&st, &m->def, &ev, NULL, NULL), LEAD_OK);
    }
    /* 8 * (1 + 1/2 + 1/4 + ...) = 16 points, read one day after the last. */
    static const char *const none[] = {NULL};
    pairs p = {none};
    lead__score_contact c = {&p, pairs_lookup};
    lead_score_result *r = NULL;
    int64_t t = ev.time + LT_DAY;
    assert_int_equal(lead__score_result_build(&r, &mem, &m->def, &c, &st, t, NULL, 0), LEAD_OK);
    scores_are(r, 0, 800, 800);
    lead_score_result_free(r);
    lead__score_state_clear(&mem, &st);
    lead_score_model_free(m);
}

/* Random histories under the example model (caps, windows, decay, negative
 * points, the cap and the floor): the explanation always sums exactly to the
 * total, and the incremental state always reads what scratch computes. */
static void random_histories_explain_exactly(void **state)
{
    (void)state;
    int rc;
    lead_score_model *m = example_parse(NULL, &rc);
    static const char *const types[] = {"email_open", "page_view", "demo_request",
                                        "unsubscribe", "form_submit", "meeting"};
    static const char *const channels[] = {"email", "paid_search", NULL};
    lead__score_event ev[64];
    uint64_t seed = 12345;
    lead__mem mem;
    lead__mem_init(&mem, NULL);
    pairs p = {ada_kv};
    lead__score_contact c = {&p, pairs_lookup};
    for (int round = 0; round < 300; round++) {
        size_t n = 1 + (size_t)(round % 64);
        int64_t t = LT_T0;
        lead__score_state st;
        assert_int_equal(lead__score_state_init(&mem, &st, &m->def), LEAD_OK);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            t += (int64_t)((seed >> 33) % (3 * (uint64_t)LT_DAY)) * (round % 3 == 0 ? 0 : 1);
            lead__score_event e = {types[(seed >> 20) % 6], channels[(seed >> 10) % 3], NULL, t,
                                   (seed >> 5) % 2 ? pricing : blog, 1};
            ev[i] = e;
            assert_int_equal(lead__score_state_feed(&st, &m->def, &ev[i], NULL, NULL), LEAD_OK);
        }
        int64_t at = t + (int64_t)(seed % (uint64_t)(20 * LT_DAY));
        lead_score_result *full = eval(m, ada_kv, ev, n, at, 1), *inc = NULL;
        assert_int_equal(lead__score_result_build(&inc, &mem, &m->def, &c, &st, at, NULL, 0),
                         LEAD_OK);
        int64_t a[3], b[3], sum = 0;
        lead_score_result_scores(full, &a[0], &a[1], &a[2]);
        lead_score_result_scores(inc, &b[0], &b[1], &b[2]);
        assert_memory_equal(a, b, sizeof a);
        size_t count = 0;
        lead_score_result_item_count(full, &count);
        for (size_t i = 0; i < count; i++) {
            lead_score_item it = LEAD_SCORE_ITEM_INIT;
            assert_int_equal(lead_score_result_item(full, i, &it), LEAD_OK);
            sum += it.value;
        }
        assert_int_equal(sum, a[2]);
        assert_true(a[1] >= -5000 && a[1] <= 10000);
        lead_score_result_free(full);
        lead_score_result_free(inc);
        lead__score_state_clear(&mem, &st);
    }
    lead_score_model_free(m);
}

static void result_getters_check_arguments(void **state)
{
    (void)state;
    int rc;
    lead_score_model *m = example_parse(NULL, &rc);
    lead_score_result *r = eval(m, ada_kv, ada_events, ADA_EVENTS, LT_T0 + 14 * LT_DAY, 1);
    char g;
    uint32_t mask;
    size_t n;
    assert_int_equal(lead_score_result_scores(NULL, NULL, NULL, NULL), LEAD_EINVAL);
    assert_int_equal(lead_score_result_grade(NULL, &g), LEAD_EINVAL);
    assert_int_equal(lead_score_result_grade(r, NULL), LEAD_EINVAL);
    assert_int_equal(lead_score_result_bant(r, NULL), LEAD_EINVAL);
    assert_int_equal(lead_score_result_bant(NULL, &mask), LEAD_EINVAL);
    assert_int_equal(lead_score_result_stage(NULL, NULL, NULL), LEAD_EINVAL);
    assert_int_equal(lead_score_result_item_count(r, NULL), LEAD_EINVAL);
    assert_int_equal(lead_score_result_item_count(NULL, &n), LEAD_EINVAL);
    lead_score_item it = LEAD_SCORE_ITEM_INIT, init;
    memset(&init, 0xff, sizeof init);
    assert_int_equal(lead_score_item_init(&init, sizeof(lead_score_item)), LEAD_OK);
    assert_memory_equal(&it, &init, sizeof it);
    assert_int_equal(lead_score_item_init(NULL, sizeof(lead_score_item)), LEAD_EINVAL);
    assert_int_equal(lead_score_result_item(r, 0, NULL), LEAD_EINVAL);
    it.version = 2;
    assert_int_equal(lead_score_result_item(r, 0, &it), LEAD_EVERSION);
    it.version = 1;
    it.struct_size = 4;
    assert_int_equal(lead_score_result_item(r, 0, &it), LEAD_EINVAL);
    /* An older, shorter item struct gets only its own fields. */
    lead_score_item small;
    memset(&small, 0x5a, sizeof small);
    small.struct_size = (uint32_t)offsetof(lead_score_item, subject);
    small.version = 1;
    assert_int_equal(lead_score_result_item(r, 0, &small), LEAD_OK);
    assert_int_equal(small.kind, FIT);
    assert_int_equal(small.rule, 0);
    assert_int_equal(small.raw, INT64_C(0x5a5a5a5a5a5a5a5a));
    lead_score_result_free(r);
    lead_score_result_free(NULL);
    lead_score_model_free(m);
}

static int evaluate_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    int rc;
    lead_score_model *m = example_parse(alloc, &rc);
    if (!m)
        return rc;
    pairs p = {ada_kv};
    lead__score_contact c = {&p, pairs_lookup};
    lead_score_result *r = NULL;
    rc = lead__score_evaluate(&r, m, &c, ada_events, ADA_EVENTS, LT_T0 + 14 * LT_DAY, 1);
    if (rc == LEAD_OK) {
        int64_t total = 0;
        size_t n = 0;
        lead_score_result_scores(r, NULL, NULL, &total);
        lead_score_result_item_count(r, &n);
        if (total != 14178 || n != 12)
            rc = LEAD_ESTATE;
    } else if (r) {
        rc = LEAD_ESTATE; /* nothing may be handed out on failure */
    }
    lead_score_result_free(r);
    lead_score_model_free(m);
    return rc;
}

static void evaluate_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(evaluate_scenario, NULL, LEAD_OK) > 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_example_ada),
        cmocka_unit_test(worked_example_bob_floor),
        cmocka_unit_test(decay_halves_per_half_life),
        cmocka_unit_test(caps_and_windows),
        cmocka_unit_test(matching_by_channel_campaign_property),
        cmocka_unit_test(fit_tests_and_normalisation),
        cmocka_unit_test(fit_item_ties_go_to_the_earlier_item),
        cmocka_unit_test(range_compares_decimal_text_exactly),
        cmocka_unit_test(thresholds_pick_the_furthest_stage),
        cmocka_unit_test(crossings_move_forward_once),
        cmocka_unit_test(incremental_equals_from_scratch),
        cmocka_unit_test(events_at_both_ends_of_time),
        cmocka_unit_test(long_histories_stay_finite),
        cmocka_unit_test(random_histories_explain_exactly),
        cmocka_unit_test(result_getters_check_arguments),
        cmocka_unit_test(evaluate_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
