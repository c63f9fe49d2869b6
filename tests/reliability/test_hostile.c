/* Hostile input: one table row per input with the exact status it must get,
 * and proof that a refused input stored nothing (the engine's store dumps
 * the same before and after; analytics handles keep their counts). Then a
 * store that hands back damaged records, clocks and events at both ends of
 * int64 through every analytics path, and the big inputs (a million events
 * on one contact, a million channels). Limits: docs/limits.md. */
#include "lead_test.h"
#include "storedump.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fx {
    lt_failalloc fa;
    lt_fakeclock fc;
    lead_store *mem;
    lead_engine *e;
} fx;

static int track_at(lead_engine *e, uint64_t contact, int64_t at, const char *key,
                    uint64_t *out_id)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = LEAD_EVENT_PAGE_VIEW;
    in.channel = LEAD_CHANNEL_EMAIL;
    in.time_ms = at;
    in.idempotency_key = key;
    uint64_t id = 0;
    return lead_track(e, out_id ? out_id : &id, &in);
}

/* Contact 1 (a@x.io, crm-a) with one event, contact 2 (b@x.io). */
static void fx_up(fx *f, const lead_store *store)
{
    lt_failalloc_init(&f->fa);
    lt_fakeclock_init(&f->fc, LT_T0);
    f->mem = NULL;
    if (!store) {
        assert_int_equal(lead_store_memory_new(&f->mem, &f->fa.alloc), LEAD_OK);
        store = f->mem;
    }
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.allocator = &f->fa.alloc;
    o.clock = &f->fc.clock;
    o.store = store;
    assert_int_equal(lead_engine_new(&f->e, &o), LEAD_OK);
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(f->e, &id, "a@x.io", "crm-a", 0), LEAD_OK);
    assert_int_equal(lead_contact_create(f->e, &id, "b@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(track_at(f->e, 1, LT_T0 - LT_DAY, "seed", NULL), LEAD_OK);
}

static void fx_down(fx *f)
{
    lead_engine_free(f->e);
    lead_store_memory_free(f->mem);
    if (f->fa.live != 0)
        fail_msg("%ld blocks (%zu bytes) leaked", f->fa.live, f->fa.live_bytes);
}

/* ---- hostile strings ---------------------------------------------------------- */

/* Invalid UTF-8: overlong forms, surrogates, truncated sequences, code
 * points above U+10FFFF and bytes that never occur. */
static const char *const bad_utf8[] = {
    "\xC0\xAF",         /* overlong '/' in two bytes */
    "\xE0\x80\xAF",     /* overlong '/' in three bytes */
    "\xF0\x80\x80\xAF", /* overlong '/' in four bytes */
    "\xED\xA0\x80",     /* U+D800, a high surrogate */
    "\xED\xBF\xBF",     /* U+DFFF, a low surrogate */
    "\xE2\x82",         /* a three-byte sequence cut short */
    "\xF0\x9F\x98",     /* a four-byte sequence cut short */
    "\xF4\x90\x80\x80", /* U+110000 */
    "\xF5\x80\x80\x80", /* a lead byte beyond U+10FFFF */
    "\x80",             /* a continuation byte alone */
    "\xFF",             /* never valid */
};
#define BAD_UTF8_COUNT (sizeof bad_utf8 / sizeof bad_utf8[0])

static char big[1 << 16];

/* n copies of c, NUL-terminated, in a static buffer. */
static const char *repeat(size_t n, char c)
{
    assert_true(n < sizeof big);
    memset(big, c, n);
    big[n] = '\0';
    return big;
}

/* "ab" + bad_utf8[v] + "cd" in a static buffer. */
static const char *with_bad(long v)
{
    snprintf(big, sizeof big, "ab%scd", bad_utf8[v]);
    return big;
}

/* An email of exactly n bytes: a 64-byte local part, '@', then labels of
 * 50 bytes. */
static const char *email_of(size_t n)
{
    assert_true(n > 66 && n < 1000);
    memset(big, 'l', 64);
    big[64] = '@';
    for (size_t i = 65; i < n; i++)
        big[i] = (i - 65) % 51 == 50 ? '.' : 'd';
    if (big[n - 1] == '.')
        big[n - 1] = 'd';
    big[n] = '\0';
    return big;
}

/* ---- table rows: the engine ------------------------------------------------------ */

typedef int (*row_fn)(fx *f, long arg);

static int r_email_total(fx *f, long n)
{
    uint64_t id = 0;
    return lead_contact_create(f->e, &id, email_of((size_t)n), NULL, 0);
}

static int r_email_local(fx *f, long n)
{
    char email[128];
    int len = snprintf(email, sizeof email, "%s@x.io", repeat((size_t)n, 'l'));
    assert_true(len > 0 && (size_t)len < sizeof email);
    uint64_t id = 0;
    return lead_contact_create(f->e, &id, email, NULL, 0);
}

static int r_email_utf8(fx *f, long v)
{
    char email[64];
    int len = snprintf(email, sizeof email, "%s@x.io", with_bad(v));
    assert_true(len > 0 && (size_t)len < sizeof email);
    uint64_t id = 0;
    return lead_contact_create(f->e, &id, email, NULL, 0);
}

static int r_external_len(fx *f, long n)
{
    uint64_t id = 0;
    return lead_contact_create(f->e, &id, NULL, repeat((size_t)n, 'x'), 0);
}

static int r_field_len(fx *f, long n)
{
    return lead_contact_set_field(f->e, 1, LEAD_FIELD_COMPANY, repeat((size_t)n, 'c'));
}

static int r_field_utf8(fx *f, long v)
{
    return lead_contact_set_field(f->e, 1, LEAD_FIELD_COMPANY, with_bad(v));
}

static int r_phone(fx *f, long v)
{
    static const char *const phones[] = {"+1234567", "+12345678", "+123456789012345",
                                         "+1234567890123456", "+49 30 12\xC0\xAF"};
    return lead_contact_set_field(f->e, 1, LEAD_FIELD_PHONE, phones[v]);
}

static int r_attr_name(fx *f, long n)
{
    return lead_contact_set_attr(f->e, 1, repeat((size_t)n, 'n'), LEAD_ATTR_INT, 1, 0.0, NULL);
}

static int r_attr_name_utf8(fx *f, long v)
{
    return lead_contact_set_attr(f->e, 1, with_bad(v), LEAD_ATTR_INT, 1, 0.0, NULL);
}

static int r_attr_string(fx *f, long n)
{
    return lead_contact_set_attr(f->e, 1, "notes", LEAD_ATTR_STRING, 0, 0.0,
                                 repeat((size_t)n, 's'));
}

static int r_attr_string_utf8(fx *f, long v)
{
    return lead_contact_set_attr(f->e, 1, "notes", LEAD_ATTR_STRING, 0, 0.0, with_bad(v));
}

static const double non_finite[] = {NAN, INFINITY, -INFINITY};

static int r_attr_double(fx *f, long v)
{
    return lead_contact_set_attr(f->e, 1, "ratio", LEAD_ATTR_DOUBLE, 0, non_finite[v], NULL);
}

static int r_attr_bool(fx *f, long v)
{
    return lead_contact_set_attr(f->e, 1, "flag", LEAD_ATTR_BOOL, v, 0.0, NULL);
}

/* Sets arg attributes first, so that the row adds attribute arg + 1. */
static int p_attrs(fx *f, long k)
{
    char name[24];
    for (long i = 0; i < k; i++) {
        snprintf(name, sizeof name, "a%ld", i);
        int rc = lead_contact_set_attr(f->e, 1, name, LEAD_ATTR_INT, i, 0.0, NULL);
        if (rc != LEAD_OK)
            return rc;
    }
    return LEAD_OK;
}

static int r_attr_one_more(fx *f, long k)
{
    (void)k;
    return lead_contact_set_attr(f->e, 1, "one_more", LEAD_ATTR_INT, 1, 0.0, NULL);
}

/* Event strings: arg = which string * 100000 + length. */
static int r_event_string(fx *f, long arg)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 1;
    const char *s = repeat((size_t)(arg % 100000), 'e');
    switch (arg / 100000) {
    case 0: in.source = s; break;
    case 1: in.medium = s; break;
    case 2: in.campaign = s; break;
    case 3: in.content = s; break;
    default: in.idempotency_key = s; break;
    }
    uint64_t id = 0;
    return lead_track(f->e, &id, &in);
}

static int r_event_utf8(fx *f, long v)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 1;
    in.campaign = with_bad(v);
    uint64_t id = 0;
    return lead_track(f->e, &id, &in);
}

static const int64_t extreme_times[] = {INT64_MIN + 1, INT64_MIN + 2, -1, 0,
                                        INT64_MAX - 1, INT64_MAX};

/* Any time but LEAD_TIME_UNKNOWN is an event time; it reads back exactly. */
static int r_event_time(fx *f, long v)
{
    uint64_t id = 0;
    int rc = track_at(f->e, 2, extreme_times[v], NULL, &id);
    if (rc != LEAD_OK)
        return rc;
    lead_event_iter *it = NULL;
    const lead_event *ev = NULL;
    int64_t t = 0;
    assert_int_equal(lead_event_iter_new(&it, f->e, 2, LEAD_TIME_UNKNOWN), LEAD_OK);
    assert_int_equal(lead_event_iter_next(it, &ev), LEAD_OK);
    assert_int_equal(lead_event_time(ev, &t), LEAD_OK);
    assert_true(t == extreme_times[v]);
    assert_int_equal(lead_event_iter_next(it, &ev), LEAD_ITEROVER);
    lead_event_iter_free(it);
    return rc;
}

static int r_event_type(fx *f, long v)
{
    static const int32_t bad[][2] = {{-1, LEAD_CHANNEL_EMAIL},
                                     {LEAD_EVENT_TYPE_COUNT, LEAD_CHANNEL_EMAIL},
                                     {LEAD_EVENT_TYPE_CUSTOM_BASE, LEAD_CHANNEL_EMAIL},
                                     {INT32_MAX, LEAD_CHANNEL_EMAIL},
                                     {LEAD_EVENT_PAGE_VIEW, -1},
                                     {LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_COUNT},
                                     {LEAD_EVENT_PAGE_VIEW, LEAD_CHANNEL_CUSTOM_BASE}};
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 1;
    in.type = bad[v][0];
    in.channel = bad[v][1];
    uint64_t id = 0;
    return lead_track(f->e, &id, &in);
}

static int r_event_currency(fx *f, long v)
{
    static const char *const bad[] = {"", "EU", "EURO", "eur", "E\xC3\x9C"};
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 1;
    in.value_minor = 100;
    in.currency = bad[v];
    uint64_t id = 0;
    return lead_track(f->e, &id, &in);
}

static int r_event_contact(fx *f, long v)
{
    return track_at(f->e, v == 0 ? 0 : 99, LT_T0, NULL, NULL);
}

static int r_event_input_version(fx *f, long v)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 1;
    if (v == 0)
        in.version = 0;
    else if (v == 1)
        in.version = LEAD_EVENT_INPUT_VERSION + 1;
    else
        in.struct_size = 4;
    uint64_t id = 0;
    return lead_track(f->e, &id, &in);
}

/* The seed event's key again, and again under another contact: LEAD_OK, id 0. */
static int r_event_replay(fx *f, long contact)
{
    uint64_t id = 99;
    int rc = track_at(f->e, (uint64_t)contact, LT_T0, "seed", &id);
    assert_true(id == 0);
    return rc;
}

static int r_custom_name(fx *f, long n)
{
    int type = 0;
    return lead_event_type_register(f->e, &type, repeat((size_t)n, 'x'));
}

static int r_custom_bad(fx *f, long v)
{
    static const char *const bad[] = {"Upper", "with space", "dash-ed", "\xC3\xA9t\xC3\xA9"};
    int channel = 0;
    return lead_channel_register(f->e, &channel, v < 4 ? bad[v] : with_bad(v - 4));
}

static int p_customs(fx *f, long k)
{
    char name[24];
    for (long i = 0; i < k; i++) {
        int channel = 0;
        snprintf(name, sizeof name, "c%ld", i);
        int rc = lead_channel_register(f->e, &channel, name);
        if (rc != LEAD_OK)
            return rc;
        assert_int_equal(channel, LEAD_CHANNEL_CUSTOM_BASE + i);
    }
    return LEAD_OK;
}

static int r_custom_one_more(fx *f, long k)
{
    (void)k;
    int channel = 0;
    return lead_channel_register(f->e, &channel, "one_more");
}

static int r_stage(fx *f, long v)
{
    static const struct { int stage; uint32_t flags; } bad[] = {
        {-1, 0}, {LEAD_STAGE_COUNT, 0}, {INT32_MAX, 0}, {LEAD_STAGE_SUBSCRIBER, 2u}};
    return lead_contact_set_stage(f->e, 1, bad[v].stage, bad[v].flags);
}

/* Contact 1 is a subscriber; once moved on, going back needs the reset flag. */
static int p_mql(fx *f, long v)
{
    (void)v;
    return lead_contact_set_stage(f->e, 1, LEAD_STAGE_MQL, 0);
}

static int r_stage_back(fx *f, long v)
{
    (void)v;
    return lead_contact_set_stage(f->e, 1, LEAD_STAGE_LEAD, 0);
}

static int r_merge_self(fx *f, long v)
{
    static const int32_t bad_policy[LEAD_FIELD_COUNT] = {0, 0, 3};
    return v == 0 ? lead_contact_merge(f->e, 1, 1, NULL) : lead_contact_merge(f->e, 1, 2, bad_policy);
}

static int r_consent(fx *f, long v)
{
    static const int bad[][2] = {{-1, 0}, {LEAD_PURPOSE_COUNT, 0}, {0, -1}, {0, LEAD_CONSENT_STATE_COUNT}};
    return lead_contact_set_consent(f->e, 1, bad[v][0], bad[v][1]);
}

/* ---- table rows: analytics (they check their own handle stayed unchanged) ---------- */

static int r_journey_name(fx *f, long arg)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, &f->fa.alloc), LEAD_OK);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    const char *s = arg >= 1000 ? with_bad(arg - 1000) : repeat((size_t)arg, 'j');
    int rc = lead_journey_set_add_touch(set, s, NULL, LEAD_TIME_UNKNOWN, 0);
    if (rc == LEAD_OK)
        rc = lead_journey_set_add_touch(set, "email", s, LEAD_TIME_UNKNOWN, 0);
    size_t channels = 9, campaigns = 9;
    lead_journey_set_channel_count(set, &channels);
    lead_journey_set_campaign_count(set, &campaigns);
    assert_int_equal(channels, rc == LEAD_OK ? 2 : 0);
    assert_int_equal(campaigns, rc == LEAD_OK ? 1 : 0);
    lead_journey_set_free(set);
    return rc;
}

static const double outcomes[][3] = {
    {NAN, 0, 0},  {INFINITY, 0, 0}, {-1, 0, 0},  {-INFINITY, 0, 0}, {1, NAN, 0},
    {1, INFINITY, 0}, {1, -INFINITY, 0}, {1, 0, NAN}, {1, 0, -1}, {1, 0, INFINITY},
    {1, -5, 0}, /* a negative value is allowed (refunds) */
};

static int r_journey_end(fx *f, long v)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, &f->fa.alloc), LEAD_OK);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "email", NULL, LT_T0, 0), LEAD_OK);
    int rc = lead_journey_set_end(set, outcomes[v][0], outcomes[v][1], outcomes[v][2],
                                  LEAD_TIME_UNKNOWN);
    size_t n = 9;
    lead_journey_set_count(set, &n);
    assert_int_equal(n, rc == LEAD_OK ? 1 : 0);
    /* A refused outcome leaves the journey open. */
    assert_int_equal(lead_journey_set_begin(set), rc == LEAD_OK ? LEAD_OK : LEAD_ESTATE);
    lead_journey_set_free(set);
    return rc;
}

/* Touch times: v 0..2 extreme but ordered, v 3 going backwards. */
static int r_journey_times(fx *f, long v)
{
    static const int64_t times[][2] = {{INT64_MIN + 1, INT64_MAX},
                                       {INT64_MAX, INT64_MAX},
                                       {INT64_MIN + 1, INT64_MIN + 1},
                                       {INT64_MAX, INT64_MAX - 1}};
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, &f->fa.alloc), LEAD_OK);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "a", NULL, times[v][0], 0), LEAD_OK);
    int rc = lead_journey_set_add_touch(set, "b", NULL, times[v][1], 0);
    size_t channels = 0;
    lead_journey_set_channel_count(set, &channels);
    assert_int_equal(channels, rc == LEAD_OK ? 2 : 1);
    lead_journey_set_free(set);
    return rc;
}

/* Time decay over the widest time span: the weights must stay finite. */
static int r_time_decay_span(fx *f, long v)
{
    lead_journey_set *set = NULL;
    lead_attribution_model *m = NULL;
    lead_attribution_result *r = NULL;
    assert_int_equal(lead_journey_set_new(&set, &f->fa.alloc), LEAD_OK);
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "old", NULL, INT64_MIN + 1, 0), LEAD_OK);
    assert_int_equal(lead_journey_set_add_touch(set, "new", NULL, v ? INT64_MAX : 0, 0),
                     LEAD_OK);
    assert_int_equal(lead_journey_set_end(set, 1, 100, 0, INT64_MAX), LEAD_OK);
    assert_int_equal(lead_attribution_model_new(&m, LEAD_ATTRIBUTION_TIME_DECAY, &f->fa.alloc),
                     LEAD_OK);
    assert_int_equal(lead_attribution_model_set_half_life(m, 1), LEAD_OK);
    int rc = lead_attribution_run(&r, m, set);
    if (rc == LEAD_OK) {
        double conv = -1, value = -1;
        assert_int_equal(lead_attribution_result_channel_by_name(r, "new", &conv, &value),
                         LEAD_OK);
        assert_true(conv == 1.0 && value == 100.0);
    } else {
        assert_null(r);
    }
    lead_attribution_result_free(r);
    lead_attribution_model_free(m);
    lead_journey_set_free(set);
    return rc;
}

static int r_position_weight(fx *f, long v)
{
    static const double bad[] = {NAN, INFINITY, -INFINITY, -1.0};
    lead_attribution_model *m = NULL;
    assert_int_equal(lead_attribution_model_new(&m, LEAD_ATTRIBUTION_U_SHAPED, &f->fa.alloc),
                     LEAD_OK);
    int rc = lead_attribution_model_set_position_weight(m, LEAD_POSITION_FIRST, bad[v]);
    double w = 0;
    assert_int_equal(lead_attribution_model_position_weight(m, LEAD_POSITION_FIRST, &w), LEAD_OK);
    assert_true(w == 0.4);
    lead_attribution_model_free(m);
    return rc;
}

static int r_model_setting(fx *f, long v)
{
    lead_attribution_model *m = NULL;
    assert_int_equal(lead_attribution_model_new(&m, LEAD_ATTRIBUTION_MARKOV, &f->fa.alloc),
                     LEAD_OK);
    int rc = LEAD_OK;
    switch (v) {
    case 0: rc = lead_attribution_model_set_half_life(m, 0); break;
    case 1: rc = lead_attribution_model_set_half_life(m, -1); break;
    case 2: rc = lead_attribution_model_set_half_life(m, INT64_MIN); break;
    case 3: rc = lead_attribution_model_set_order(m, 0); break;
    case 4: rc = lead_attribution_model_set_direct_channel(m, ""); break;
    case 5: rc = lead_attribution_model_set_direct_channel(m, repeat(LEAD_NAME_MAX + 1, 'd')); break;
    case 6: rc = lead_attribution_model_set_direct_channel(m, with_bad(0)); break;
    default: rc = lead_attribution_model_set_position_weight(m, LEAD_POSITION_REST, 1.0); break;
    }
    lead_attribution_model_free(m);
    return rc;
}

static int r_markov_order(fx *f, long order)
{
    lead_journey_set *set = NULL;
    lead_markov_counts *c = NULL;
    assert_int_equal(lead_journey_set_new(&set, &f->fa.alloc), LEAD_OK);
    lead_markov_options o = LEAD_MARKOV_OPTIONS_INIT;
    o.order = (uint32_t)order;
    int rc = lead_markov_counts_new(&c, set, &o, &f->fa.alloc);
    assert_true((rc == LEAD_OK) == (c != NULL));
    lead_markov_counts_free(c);
    lead_journey_set_free(set);
    return rc;
}

static int r_learn_options(fx *f, long v)
{
    lead_score_model *m = NULL, *learned = NULL;
    lead_score_examples *ex = NULL;
    static const char text[] = "liblead-score 1\nfit profile 1 phone exists\n";
    assert_int_equal(lead_score_model_new(&m, &f->fa.alloc), LEAD_OK);
    assert_int_equal(lead_score_model_parse(m, text, strlen(text)), LEAD_OK);
    assert_int_equal(lead_score_examples_new(&ex, &f->fa.alloc), LEAD_OK);
    assert_int_equal(lead_score_examples_add(ex, 1), LEAD_OK);
    assert_int_equal(lead_score_examples_set(ex, "phone", "+4930123456"), LEAD_OK);
    assert_int_equal(lead_score_examples_add(ex, 0), LEAD_OK);
    lead_score_learn_options o = LEAD_SCORE_LEARN_OPTIONS_INIT;
    switch (v) {
    case 0: o.l2 = NAN; break;
    case 1: o.l2 = INFINITY; break;
    case 2: o.l2 = -1; break;
    case 3: o.points_per_logit = NAN; break;
    case 4: o.points_per_logit = INFINITY; break;
    case 5: o.points_per_logit = 0; break;
    case 6: o.points_per_logit = -10; break;
    case 7: o.max_iterations = 0; break;
    case 8: o.max_iterations = 1001; break;
    case 9: o.version = 0; break;
    case 10: o.version = LEAD_SCORE_LEARN_OPTIONS_VERSION + 1; break;
    default: o.max_iterations = 1000; break;
    }
    int rc = lead_score_learn(&learned, m, ex, &o);
    assert_true((rc == LEAD_OK) == (learned != NULL));
    lead_score_model_free(learned);
    lead_score_examples_free(ex);
    lead_score_model_free(m);
    return rc;
}

static int r_examples_label(fx *f, long label)
{
    lead_score_examples *ex = NULL;
    assert_int_equal(lead_score_examples_new(&ex, &f->fa.alloc), LEAD_OK);
    int rc = lead_score_examples_add(ex, (int)label);
    size_t n = 9;
    lead_score_examples_count(ex, &n);
    assert_int_equal(n, rc == LEAD_OK ? 1 : 0);
    lead_score_examples_free(ex);
    return rc;
}

static int r_subject_time(fx *f, long v)
{
    lead_score_subject *s = NULL;
    assert_int_equal(lead_score_subject_new(&s, &f->fa.alloc), LEAD_OK);
    assert_int_equal(lead_score_subject_add_event(s, "page_view", NULL, NULL, INT64_MAX - 1),
                     LEAD_OK);
    int rc = lead_score_subject_add_event(s, "page_view", NULL, NULL,
                                          v ? INT64_MAX : INT64_MAX - 2);
    lead_score_subject_free(s);
    return rc;
}

/* Funnel rows: v selects the input; a refused row adds nothing. */
static int r_funnel_row(fx *f, long v)
{
    lead_funnel *fu = NULL;
    assert_int_equal(lead_funnel_new(&fu, &f->fa.alloc), LEAD_OK);
    int64_t entered[LEAD_STAGE_COUNT + 1];
    for (size_t s = 0; s <= LEAD_STAGE_COUNT; s++)
        entered[s] = LEAD_TIME_UNKNOWN;
    entered[0] = LT_T0;
    const char *dims[LEAD_FUNNEL_DIM_COUNT + 1] = {"email", NULL, NULL, NULL, NULL, NULL, NULL};
    size_t stages = LEAD_STAGE_COUNT, ndims = LEAD_FUNNEL_DIM_COUNT;
    int64_t revenue = 0;
    if (v >= 1000)
        dims[1] = repeat((size_t)(v - 1000), 'f');
    else if (v >= 100)
        dims[2] = with_bad(v - 100);
    else
        switch (v) {
        case 0: stages = LEAD_STAGE_COUNT + 1; break;
        case 1: ndims = LEAD_FUNNEL_DIM_COUNT + 1; break;
        case 2: revenue = -1; break;
        case 3: revenue = INT64_MIN; break;
        case 4: entered[1] = INT64_MAX; entered[5] = INT64_MIN + 1; revenue = INT64_MAX; break;
        default: break;
        }
    int rc = lead_funnel_add_contact(fu, entered, stages, dims, ndims, revenue);
    size_t n = 9;
    lead_funnel_contact_count(fu, &n);
    assert_int_equal(n, rc == LEAD_OK ? 1 : 0);
    if (rc == LEAD_OK) {
        lead_funnel_report *r = NULL;
        assert_int_equal(lead_funnel_report_new(&r, fu, INT64_MIN, INT64_MAX, LEAD_COHORT_MONTH),
                         LEAD_OK);
        lead_funnel_report_free(r);
    }
    lead_funnel_free(fu);
    return rc;
}

static int r_funnel_range(fx *f, long v)
{
    lead_funnel *fu = NULL;
    lead_funnel_report *r = NULL;
    assert_int_equal(lead_funnel_new(&fu, &f->fa.alloc), LEAD_OK);
    int rc = v == 0   ? lead_funnel_report_new(&r, fu, LT_T0, LT_T0, LEAD_COHORT_WEEK)
             : v == 1 ? lead_funnel_report_new(&r, fu, INT64_MAX, INT64_MIN, LEAD_COHORT_WEEK)
                      : lead_funnel_report_new(&r, fu, LT_T0, LT_T0 + 1, 2);
    assert_null(r);
    lead_funnel_free(fu);
    return rc;
}

/* Text formats: a scoring model or a segment, from a table of texts with
 * their exact lengths (embedded NULs included). */
typedef struct text_case {
    const char *text;
    size_t len; /* 0: strlen */
} text_case;

static char text_buf[1 << 14];

static size_t text_len(const text_case *t)
{
    return t->len ? t->len : strlen(t->text);
}

/* "liblead-score 1\nfit profile 1 company equals \"<n x s>\"\n" */
static text_case score_string_of(size_t n)
{
    int k = snprintf(text_buf, sizeof text_buf, "liblead-score 1\nfit profile 1 company equals \"");
    memset(text_buf + k, 's', n);
    snprintf(text_buf + (size_t)k + n, sizeof text_buf - (size_t)k - n, "\"\n");
    text_case t = {text_buf, 0};
    return t;
}

static const text_case score_texts[] = {
    {"liblead-score 1\nfit profile 1000000 phone exists\n", 0},
    {"liblead-score 1\nfit profile 1000001 phone exists\n", 0},
    {"liblead-score 1\nfit profile -1000001 phone exists\n", 0},
    {"liblead-score 1\nbehaviour 5 page_view cap 100\n", 0},
    {"liblead-score 1\nbehaviour 5 page_view cap 101\n", 0},
    {"liblead-score 1\nbehaviour 5 page_view cap 0\n", 0},
    {"liblead-score 1\nfit profile 1 company equals \"a\0b\"\n", 47},
    {"liblead-score 1\n\0fit profile 1 phone exists\n", 45},
    {"liblead-score 1\nfit profile 1 company equals \"\xED\xA0\x80\"\n", 0},
    {"liblead-score 1\nfit profile 1 company equals \"\xC0\xAF\"\n", 0},
    {"liblead-score 1\nfit profile 1 company equals \"\xF4\x90\x80\x80\"\n", 0},
    {"liblead-score 1\nhalf-life 36500d\n", 0},
    {"liblead-score 1\nhalf-life 99999999999999999999d\n", 0},
    {"liblead-score 1\nhalf-life 36601d\n", 0},
    {"liblead-score 1\nfit profile 99999999999999999999 phone exists\n", 0},
    {"liblead-score 2\n", 0},
    {"", 0},
};

static int r_score_text(fx *f, long v)
{
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, &f->fa.alloc), LEAD_OK);
    text_case t = v >= 1000 ? score_string_of((size_t)(v - 1000)) : score_texts[v];
    int rc = lead_score_model_parse(m, t.text, text_len(&t));
    size_t fit = 9, behaviour = 9;
    lead_score_model_rule_counts(m, &fit, &behaviour);
    if (rc != LEAD_OK)
        assert_true(fit == 0 && behaviour == 0);
    lead_score_model_free(m);
    return rc;
}

/* A segment nesting n `any` groups. */
static text_case segment_nested(size_t n)
{
    size_t k = (size_t)snprintf(text_buf, sizeof text_buf, "liblead-segment 1\n");
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(text_buf + k, sizeof text_buf - k, "any\n");
    k += (size_t)snprintf(text_buf + k, sizeof text_buf - k, "stage at-least lead\n");
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(text_buf + k, sizeof text_buf - k, "end\n");
    text_case t = {text_buf, k};
    return t;
}

static const text_case segment_texts[] = {
    {"liblead-segment 1\nfield company equals \"a\0b\"\n", 44},
    {"liblead-segment 1\n\0stage at-least lead\n", 39},
    {"liblead-segment 1\nfield company equals \"\xED\xA0\x80\"\n", 0},
    {"liblead-segment 1\nfield company equals \"\xE2\x82\"\n", 0},
    {"liblead-segment 1\ndid page_view within 36600d\n", 0},
    {"liblead-segment 1\ndid page_view within 36601d\n", 0},
    {"liblead-segment 1\ndid page_view at-least 99999999999999999999\n", 0},
    {"liblead-segment 1\ndid page_view within 99999999999999999999d\n", 0},
    {"liblead-segment 2\n", 0},
};

static int r_segment_text(fx *f, long v)
{
    lead_segment *s = NULL;
    assert_int_equal(lead_segment_new(&s, &f->fa.alloc), LEAD_OK);
    text_case t = v >= 1000 ? segment_nested((size_t)(v - 1000)) : segment_texts[v];
    int rc = lead_segment_parse(s, t.text, text_len(&t));
    size_t n = 9;
    lead_segment_condition_count(s, &n);
    if (rc != LEAD_OK)
        assert_int_equal(n, 0);
    lead_segment_free(s);
    return rc;
}

static const text_case csv_texts[] = {
    {"path,total_conversions\nemail>direct,1\n", 0},
    {"path,total_conversions\nem\0ail>direct,1\n", 38},
    {"path,total_conversions\nem\xED\xA0\x80>direct,1\n", 0},
    {"path,total_conversions\nemail>direct,nan\n", 0},
    {"path,total_conversions\nemail>direct,inf\n", 0},
    {"path,total_conversions\nemail>direct,-1\n", 0},
    {"path,total_conversions,total_null\nemail,1,-2\n", 0},
    {"path,total_conversions\nemail>>direct,1\n", 0},
    {"path,total_conversions\nemail,1e999\n", 0},
    {"path,total_conversions\n\"email,1\n", 0},
};

static int r_path_csv(fx *f, long v)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, &f->fa.alloc), LEAD_OK);
    int rc = lead_journey_set_read_path_csv(set, csv_texts[v].text, text_len(&csv_texts[v]),
                                            NULL);
    size_t n = 9, channels = 9;
    lead_journey_set_count(set, &n);
    lead_journey_set_channel_count(set, &channels);
    if (rc != LEAD_OK)
        assert_true(n == 0 && channels == 0);
    lead_journey_set_free(set);
    return rc;
}

#define TOUCH_HEAD "journey,channel,time,milestones,conversions,value\n"
static const text_case touch_csv_texts[] = {
    {TOUCH_HEAD "a,email,5,lead,1,10\na,direct,6,,1,10\n", 0},
    {TOUCH_HEAD "a,em\0ail,5,,1,10\n", sizeof TOUCH_HEAD - 1 + 16},
    {TOUCH_HEAD "a,\xF4\x90\x80\x80,5,,1,10\n", 0},
    {TOUCH_HEAD "a,email,6,,1,10\na,direct,5,,1,10\n", 0},       /* time goes back */
    {TOUCH_HEAD "a,email,5,,1,10\na,direct,6,,2,10\n", 0},       /* outcomes disagree */
    {TOUCH_HEAD "a,email,5,,1,10\nb,x,5,,1,1\na,direct,6,,1,10\n", 0}, /* a split */
    {TOUCH_HEAD "a,email,5,lead|bogus,1,10\n", 0},
    {TOUCH_HEAD "a,email,5,,nan,10\n", 0},
    {TOUCH_HEAD "a,email,5,,1,inf\n", 0},
    {TOUCH_HEAD "a,email,99999999999999999999,,1,10\n", 0},
    {TOUCH_HEAD "a,email,-9223372036854775808,,1,10\n", 0},
    {TOUCH_HEAD ",email,5,,1,10\n", 0},
};

static int r_touch_csv(fx *f, long v)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, &f->fa.alloc), LEAD_OK);
    const text_case *t = &touch_csv_texts[v];
    int rc = lead_journey_set_read_touch_csv(set, t->text, text_len(t));
    size_t n = 9, channels = 9;
    lead_journey_set_count(set, &n);
    lead_journey_set_channel_count(set, &channels);
    if (rc != LEAD_OK)
        assert_true(n == 0 && channels == 0);
    lead_journey_set_free(set);
    return rc;
}

static int r_markov_import(fx *f, long v)
{
    static const unsigned char garbage[] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
                                            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
    lead_markov_counts *c = NULL;
    int rc = lead_markov_counts_import(&c, garbage, v ? sizeof garbage : 0, &f->fa.alloc);
    assert_null(c);
    return rc;
}

/* Every constructor refuses an allocator of a version it does not know
 * (v selects the constructor; a later version and version 0 alike). */
static int r_allocator_version(fx *f, long v)
{
    lead_allocator a = f->fa.alloc;
    a.version = v % 2 ? 0 : LEAD_ALLOCATOR_VERSION + 1;
    void *h = (void *)1;
    int rc = LEAD_OK;
    switch (v / 2) {
    case 0: rc = lead_journey_set_new((lead_journey_set **)&h, &a); break;
    case 1: rc = lead_attribution_model_new((lead_attribution_model **)&h, 1, &a); break;
    case 2: rc = lead_funnel_new((lead_funnel **)&h, &a); break;
    case 3: rc = lead_score_model_new((lead_score_model **)&h, &a); break;
    case 4: rc = lead_score_subject_new((lead_score_subject **)&h, &a); break;
    case 5: rc = lead_score_examples_new((lead_score_examples **)&h, &a); break;
    case 6: rc = lead_segment_new((lead_segment **)&h, &a); break;
    case 7: rc = lead_segment_facts_new((lead_segment_facts **)&h, &a); break;
    case 8: rc = lead_store_memory_new((lead_store **)&h, &a); break;
    default: {
        lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
        o.allocator = &a;
        rc = lead_engine_new((lead_engine **)&h, &o);
        break;
    }
    }
    assert_null(h);
    return rc;
}

/* Markov counting and order selection refuse options of an unknown version. */
static int r_markov_options_version(fx *f, long v)
{
    lead_journey_set *set = NULL;
    lead_markov_counts *c = NULL;
    uint32_t order = 0;
    assert_int_equal(lead_journey_set_new(&set, &f->fa.alloc), LEAD_OK);
    lead_markov_options o = LEAD_MARKOV_OPTIONS_INIT;
    o.version = LEAD_MARKOV_OPTIONS_VERSION + 1;
    int rc = v ? lead_markov_select_order(&order, NULL, NULL, set, 2, &o, &f->fa.alloc)
               : lead_markov_counts_new(&c, set, &o, &f->fa.alloc);
    assert_null(c);
    lead_journey_set_free(set);
    return rc;
}

/* ---- the table ------------------------------------------------------------------------ */

typedef struct row {
    const char *name;
    row_fn prep; /* NULL, or run before the "before" snapshot */
    row_fn run;
    long arg;
    int expect;
    int stores; /* 1: the engine's store must change; 0: it must not */
} row;

#define ROW(fn, arg, expect) {#fn "(" #arg ")", NULL, fn, arg, expect, 0}
#define ROW_STORES(fn, arg) {#fn "(" #arg ")", NULL, fn, arg, LEAD_OK, 1}
#define BAD_UTF8_ROWS(fn, base, expect)                                                        \
    ROW(fn, base + 0, expect), ROW(fn, base + 1, expect), ROW(fn, base + 2, expect),            \
        ROW(fn, base + 3, expect), ROW(fn, base + 4, expect), ROW(fn, base + 5, expect),        \
        ROW(fn, base + 6, expect), ROW(fn, base + 7, expect), ROW(fn, base + 8, expect),        \
        ROW(fn, base + 9, expect), ROW(fn, base + 10, expect)

static const row rows[] = {
    /* emails: LEAD_EMAIL_MAX 254 bytes, local part LEAD_EMAIL_LOCAL_MAX 64 */
    ROW_STORES(r_email_total, 253),
    ROW_STORES(r_email_total, 254),
    ROW(r_email_total, 255, LEAD_ETOOLONG),
    ROW(r_email_total, 999, LEAD_ETOOLONG),
    ROW_STORES(r_email_local, 63),
    ROW_STORES(r_email_local, 64),
    ROW(r_email_local, 65, LEAD_ETOOLONG),
    ROW(r_email_local, 0, LEAD_EINVAL),
    BAD_UTF8_ROWS(r_email_utf8, 0, LEAD_EUTF8),
    /* standard fields and the external id: LEAD_FIELD_MAX 1024 */
    ROW_STORES(r_external_len, 1023),
    ROW_STORES(r_external_len, 1024),
    ROW(r_external_len, 1025, LEAD_ETOOLONG),
    ROW_STORES(r_field_len, 1023),
    ROW_STORES(r_field_len, 1024),
    ROW(r_field_len, 1025, LEAD_ETOOLONG),
    ROW(r_field_len, 60000, LEAD_ETOOLONG),
    BAD_UTF8_ROWS(r_field_utf8, 0, LEAD_EUTF8),
    /* phones: E.164, 8..15 digits */
    ROW(r_phone, 0, LEAD_EINVAL),
    ROW_STORES(r_phone, 1),
    ROW_STORES(r_phone, 2),
    ROW(r_phone, 3, LEAD_ETOOLONG),
    ROW(r_phone, 4, LEAD_EINVAL),
    /* custom attributes: names 1..64 bytes, strings 1024 bytes, 256 per contact */
    ROW(r_attr_name, 0, LEAD_EINVAL),
    ROW_STORES(r_attr_name, 63),
    ROW_STORES(r_attr_name, 64),
    ROW(r_attr_name, 65, LEAD_ETOOLONG),
    BAD_UTF8_ROWS(r_attr_name_utf8, 0, LEAD_EUTF8),
    ROW_STORES(r_attr_string, 1023),
    ROW_STORES(r_attr_string, 1024),
    ROW(r_attr_string, 1025, LEAD_ETOOLONG),
    BAD_UTF8_ROWS(r_attr_string_utf8, 0, LEAD_EUTF8),
    ROW(r_attr_double, 0, LEAD_EINVAL),
    ROW(r_attr_double, 1, LEAD_EINVAL),
    ROW(r_attr_double, 2, LEAD_EINVAL),
    ROW(r_attr_bool, 2, LEAD_EINVAL),
    ROW(r_attr_bool, -1, LEAD_EINVAL),
    {"attributes 255 + 1", p_attrs, r_attr_one_more, LEAD_ATTR_MAX - 1, LEAD_OK, 1},
    {"attributes 256 + 1", p_attrs, r_attr_one_more, LEAD_ATTR_MAX, LEAD_ELIMIT, 0},
    /* event strings: LEAD_EVENT_STRING_MAX 512 each */
    ROW_STORES(r_event_string, 511),
    ROW_STORES(r_event_string, 512),
    ROW(r_event_string, 513, LEAD_ETOOLONG),
    ROW_STORES(r_event_string, 100512),
    ROW(r_event_string, 100513, LEAD_ETOOLONG),
    ROW_STORES(r_event_string, 200512),
    ROW(r_event_string, 200513, LEAD_ETOOLONG),
    ROW_STORES(r_event_string, 300512),
    ROW(r_event_string, 300513, LEAD_ETOOLONG),
    ROW_STORES(r_event_string, 400511),
    ROW_STORES(r_event_string, 400512),
    ROW(r_event_string, 400513, LEAD_ETOOLONG),
    ROW(r_event_string, 460000, LEAD_ETOOLONG),
    BAD_UTF8_ROWS(r_event_utf8, 0, LEAD_EUTF8),
    /* event times: every int64 but INT64_MIN (LEAD_TIME_UNKNOWN: now) */
    ROW_STORES(r_event_time, 0),
    ROW_STORES(r_event_time, 1),
    ROW_STORES(r_event_time, 2),
    ROW_STORES(r_event_time, 3),
    ROW_STORES(r_event_time, 4),
    ROW_STORES(r_event_time, 5),
    ROW(r_event_type, 0, LEAD_EINVAL),
    ROW(r_event_type, 1, LEAD_EINVAL),
    ROW(r_event_type, 2, LEAD_EINVAL),
    ROW(r_event_type, 3, LEAD_EINVAL),
    ROW(r_event_type, 4, LEAD_EINVAL),
    ROW(r_event_type, 5, LEAD_EINVAL),
    ROW(r_event_type, 6, LEAD_EINVAL),
    ROW(r_event_currency, 0, LEAD_EINVAL),
    ROW(r_event_currency, 1, LEAD_EINVAL),
    ROW(r_event_currency, 2, LEAD_EINVAL),
    ROW(r_event_currency, 3, LEAD_EINVAL),
    ROW(r_event_currency, 4, LEAD_EINVAL),
    ROW(r_event_contact, 0, LEAD_EINVAL),
    ROW(r_event_contact, 1, LEAD_ENOTFOUND),
    ROW(r_event_input_version, 0, LEAD_EVERSION),
    ROW(r_event_input_version, 1, LEAD_EVERSION),
    ROW(r_event_input_version, 2, LEAD_EINVAL),
    /* duplicate idempotency keys: LEAD_OK, event id 0, nothing stored */
    ROW(r_event_replay, 1, LEAD_OK),
    ROW(r_event_replay, 2, LEAD_OK),
    /* custom names: 1..64 bytes of a-z 0-9 _, 1000 per kind */
    ROW(r_custom_name, 0, LEAD_EINVAL),
    ROW_STORES(r_custom_name, 64),
    ROW(r_custom_name, 65, LEAD_EINVAL),
    ROW(r_custom_bad, 0, LEAD_EINVAL),
    ROW(r_custom_bad, 1, LEAD_EINVAL),
    ROW(r_custom_bad, 2, LEAD_EINVAL),
    ROW(r_custom_bad, 3, LEAD_EINVAL),
    ROW(r_custom_bad, 7, LEAD_EINVAL),
    {"custom channels 999 + 1", p_customs, r_custom_one_more, LEAD_CUSTOM_MAX - 1, LEAD_OK, 1},
    {"custom channels 1000 + 1", p_customs, r_custom_one_more, LEAD_CUSTOM_MAX, LEAD_ELIMIT, 0},
    /* stages, merges, consent */
    ROW(r_stage, 0, LEAD_EINVAL),
    ROW(r_stage, 1, LEAD_EINVAL),
    ROW(r_stage, 2, LEAD_EINVAL),
    ROW(r_stage, 3, LEAD_EINVAL),
    {"stage backwards without reset", p_mql, r_stage_back, 0, LEAD_ESTATE, 0},
    ROW(r_merge_self, 0, LEAD_EINVAL),
    ROW(r_merge_self, 1, LEAD_EINVAL),
    ROW(r_consent, 0, LEAD_EINVAL),
    ROW(r_consent, 1, LEAD_EINVAL),
    ROW(r_consent, 2, LEAD_EINVAL),
    ROW(r_consent, 3, LEAD_EINVAL),
    /* journeys: names 1..255 bytes; outcomes finite, counts >= 0 */
    ROW(r_journey_name, 0, LEAD_EINVAL),
    ROW(r_journey_name, 254, LEAD_OK),
    ROW(r_journey_name, 255, LEAD_OK),
    ROW(r_journey_name, 256, LEAD_ETOOLONG),
    BAD_UTF8_ROWS(r_journey_name, 1000, LEAD_EUTF8),
    ROW(r_journey_end, 0, LEAD_EINVAL),
    ROW(r_journey_end, 1, LEAD_EINVAL),
    ROW(r_journey_end, 2, LEAD_EINVAL),
    ROW(r_journey_end, 3, LEAD_EINVAL),
    ROW(r_journey_end, 4, LEAD_EINVAL),
    ROW(r_journey_end, 5, LEAD_EINVAL),
    ROW(r_journey_end, 6, LEAD_EINVAL),
    ROW(r_journey_end, 7, LEAD_EINVAL),
    ROW(r_journey_end, 8, LEAD_EINVAL),
    ROW(r_journey_end, 9, LEAD_EINVAL),
    ROW(r_journey_end, 10, LEAD_OK),
    ROW(r_journey_times, 0, LEAD_OK),
    ROW(r_journey_times, 1, LEAD_OK),
    ROW(r_journey_times, 2, LEAD_OK),
    ROW(r_journey_times, 3, LEAD_EINVAL),
    ROW(r_time_decay_span, 0, LEAD_OK),
    ROW(r_time_decay_span, 1, LEAD_OK),
    /* attribution and Markov settings */
    ROW(r_position_weight, 0, LEAD_EINVAL),
    ROW(r_position_weight, 1, LEAD_EINVAL),
    ROW(r_position_weight, 2, LEAD_EINVAL),
    ROW(r_position_weight, 3, LEAD_EINVAL),
    ROW(r_model_setting, 0, LEAD_EINVAL),
    ROW(r_model_setting, 1, LEAD_EINVAL),
    ROW(r_model_setting, 2, LEAD_EINVAL),
    ROW(r_model_setting, 3, LEAD_EINVAL),
    ROW(r_model_setting, 4, LEAD_EINVAL),
    ROW(r_model_setting, 5, LEAD_ETOOLONG),
    ROW(r_model_setting, 6, LEAD_EUTF8),
    ROW(r_model_setting, 7, LEAD_EINVAL),
    ROW(r_markov_order, 0, LEAD_EINVAL),
    ROW(r_markov_order, 1, LEAD_OK),
    ROW(r_markov_order, LEAD_MARKOV_MAX_ORDER, LEAD_OK),
    ROW(r_markov_order, LEAD_MARKOV_MAX_ORDER + 1, LEAD_EINVAL),
    ROW(r_markov_import, 0, LEAD_ECORRUPT),
    ROW(r_markov_import, 1, LEAD_ECORRUPT),
    /* scoring: learn options, labels, subject times */
    ROW(r_learn_options, 0, LEAD_EINVAL),
    ROW(r_learn_options, 1, LEAD_EINVAL),
    ROW(r_learn_options, 2, LEAD_EINVAL),
    ROW(r_learn_options, 3, LEAD_EINVAL),
    ROW(r_learn_options, 4, LEAD_EINVAL),
    ROW(r_learn_options, 5, LEAD_EINVAL),
    ROW(r_learn_options, 6, LEAD_EINVAL),
    ROW(r_learn_options, 7, LEAD_EINVAL),
    ROW(r_learn_options, 8, LEAD_EINVAL),
    ROW(r_learn_options, 9, LEAD_EVERSION),
    ROW(r_learn_options, 10, LEAD_EVERSION),
    ROW(r_learn_options, 11, LEAD_OK),
    ROW(r_examples_label, -1, LEAD_EINVAL),
    ROW(r_examples_label, 2, LEAD_EINVAL),
    ROW(r_subject_time, 0, LEAD_EINVAL),
    ROW(r_subject_time, 1, LEAD_OK),
    /* scoring model text: strings 1024 bytes, points +-1000000, caps 1..100 */
    ROW(r_score_text, 1000 + 1023, LEAD_OK),
    ROW(r_score_text, 1000 + 1024, LEAD_OK),
    ROW(r_score_text, 1000 + 1025, LEAD_ELIMIT),
    ROW(r_score_text, 0, LEAD_OK),
    ROW(r_score_text, 1, LEAD_ELIMIT),
    ROW(r_score_text, 2, LEAD_ELIMIT),
    ROW(r_score_text, 3, LEAD_OK),
    ROW(r_score_text, 4, LEAD_ELIMIT),
    ROW(r_score_text, 5, LEAD_ELIMIT),
    ROW(r_score_text, 6, LEAD_EFORMAT),
    ROW(r_score_text, 7, LEAD_EFORMAT),
    ROW(r_score_text, 8, LEAD_EUTF8),
    ROW(r_score_text, 9, LEAD_EUTF8),
    ROW(r_score_text, 10, LEAD_EUTF8),
    ROW(r_score_text, 11, LEAD_OK),
    ROW(r_score_text, 12, LEAD_ELIMIT),
    ROW(r_score_text, 13, LEAD_ELIMIT),
    ROW(r_score_text, 14, LEAD_ELIMIT),
    ROW(r_score_text, 15, LEAD_ELIMIT), /* header version 2: a number out of range */
    ROW(r_score_text, 16, LEAD_EFORMAT),
    /* segments: groups nest 32 deep, windows up to 36600 days */
    ROW(r_segment_text, 1000 + 31, LEAD_OK),
    ROW(r_segment_text, 1000 + 32, LEAD_OK),
    ROW(r_segment_text, 1000 + 33, LEAD_ELIMIT),
    ROW(r_segment_text, 0, LEAD_EFORMAT),
    ROW(r_segment_text, 1, LEAD_EFORMAT),
    ROW(r_segment_text, 2, LEAD_EUTF8),
    ROW(r_segment_text, 3, LEAD_EUTF8),
    ROW(r_segment_text, 4, LEAD_OK),
    ROW(r_segment_text, 5, LEAD_ELIMIT),
    ROW(r_segment_text, 6, LEAD_ELIMIT),
    ROW(r_segment_text, 7, LEAD_ELIMIT),
    ROW(r_segment_text, 8, LEAD_ELIMIT), /* header version 2: a number out of range */
    /* path CSV: every bad row is LEAD_EFORMAT and adds nothing */
    ROW(r_path_csv, 0, LEAD_OK),
    ROW(r_path_csv, 1, LEAD_EFORMAT),
    ROW(r_path_csv, 2, LEAD_EFORMAT),
    ROW(r_path_csv, 3, LEAD_EFORMAT),
    ROW(r_path_csv, 4, LEAD_EFORMAT),
    ROW(r_path_csv, 5, LEAD_EFORMAT),
    ROW(r_path_csv, 6, LEAD_EFORMAT),
    ROW(r_path_csv, 7, LEAD_EFORMAT),
    ROW(r_path_csv, 8, LEAD_EFORMAT),
    ROW(r_path_csv, 9, LEAD_EFORMAT),
    /* touch CSV: likewise */
    ROW(r_touch_csv, 0, LEAD_OK),
    ROW(r_touch_csv, 1, LEAD_EFORMAT),
    ROW(r_touch_csv, 2, LEAD_EFORMAT),
    ROW(r_touch_csv, 3, LEAD_EFORMAT),
    ROW(r_touch_csv, 4, LEAD_EFORMAT),
    ROW(r_touch_csv, 5, LEAD_EFORMAT),
    ROW(r_touch_csv, 6, LEAD_EFORMAT),
    ROW(r_touch_csv, 7, LEAD_EFORMAT),
    ROW(r_touch_csv, 8, LEAD_EFORMAT),
    ROW(r_touch_csv, 9, LEAD_EFORMAT),
    ROW(r_touch_csv, 10, LEAD_EFORMAT),
    ROW(r_touch_csv, 11, LEAD_EFORMAT),
    /* funnel rows: dimension values 512 bytes, revenue >= 0 */
    ROW(r_funnel_row, 1000 + 511, LEAD_OK),
    ROW(r_funnel_row, 1000 + 512, LEAD_OK),
    ROW(r_funnel_row, 1000 + 513, LEAD_ETOOLONG),
    BAD_UTF8_ROWS(r_funnel_row, 100, LEAD_EUTF8),
    ROW(r_funnel_row, 0, LEAD_EINVAL),
    ROW(r_funnel_row, 1, LEAD_EINVAL),
    ROW(r_funnel_row, 2, LEAD_EINVAL),
    ROW(r_funnel_row, 3, LEAD_EINVAL),
    ROW(r_funnel_row, 4, LEAD_OK),
    ROW(r_funnel_range, 0, LEAD_EINVAL),
    ROW(r_funnel_range, 1, LEAD_EINVAL),
    ROW(r_funnel_range, 2, LEAD_EINVAL),
    /* versioned structs of a version this library does not know */
    ROW(r_allocator_version, 0, LEAD_EVERSION),
    ROW(r_allocator_version, 1, LEAD_EVERSION),
    ROW(r_allocator_version, 2, LEAD_EVERSION),
    ROW(r_allocator_version, 3, LEAD_EVERSION),
    ROW(r_allocator_version, 4, LEAD_EVERSION),
    ROW(r_allocator_version, 5, LEAD_EVERSION),
    ROW(r_allocator_version, 6, LEAD_EVERSION),
    ROW(r_allocator_version, 7, LEAD_EVERSION),
    ROW(r_allocator_version, 8, LEAD_EVERSION),
    ROW(r_allocator_version, 9, LEAD_EVERSION),
    ROW(r_allocator_version, 10, LEAD_EVERSION),
    ROW(r_allocator_version, 11, LEAD_EVERSION),
    ROW(r_allocator_version, 12, LEAD_EVERSION),
    ROW(r_allocator_version, 13, LEAD_EVERSION),
    ROW(r_allocator_version, 14, LEAD_EVERSION),
    ROW(r_allocator_version, 15, LEAD_EVERSION),
    ROW(r_allocator_version, 16, LEAD_EVERSION),
    ROW(r_allocator_version, 17, LEAD_EVERSION),
    ROW(r_allocator_version, 18, LEAD_EVERSION),
    ROW(r_allocator_version, 19, LEAD_EVERSION),
    ROW(r_markov_options_version, 0, LEAD_EVERSION),
    ROW(r_markov_options_version, 1, LEAD_EVERSION),
};

static void hostile_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        fx f;
        fx_up(&f, NULL);
        if (r->prep)
            assert_int_equal(r->prep(&f, r->arg), LEAD_OK);
        lt_dump before = lt_store_dump(f.mem);
        int rc = r->run(&f, r->arg);
        if (rc != r->expect) {
            print_error("%s: returned %d (%s), expected %d (%s); %s\n", r->name, rc,
                        lead_strerror(rc), r->expect, lead_strerror(r->expect),
                        lead_engine_errmsg(f.e));
            failures++;
        }
        lt_dump after = lt_store_dump(f.mem);
        if (lt_dump_equal(&before, &after) == r->stores) {
            print_error("%s: the store %s\n", r->name, r->stores ? "did not change" : "changed");
            failures++;
        }
        lt_dump_free(&before);
        lt_dump_free(&after);
        fx_down(&f);
    }
    assert_int_equal(failures, 0);
}

/* ---- times at both ends of int64, through the engine ---------------------------------- */

/* The clock and the events anywhere on the time line: every analytics path
 * over the engine gives its exact answer and no arithmetic overflows
 * (UBSan in the asan-test preset). Contact 1 buys at `ev`, contact 2 only
 * visits at `ev`: contact 2 is a null journey and in the segment exactly
 * when its visit lies in the window before now. A clock at INT64_MIN
 * reports LEAD_TIME_UNKNOWN, which is no now: every call that reads it is
 * LEAD_ECLOCK and the store keeps what it held. */
static void extreme_times_through_the_engine(void **state)
{
    (void)state;
    static const int64_t times[] = {INT64_MIN, INT64_MIN + 1, INT64_MIN + 2, -1, 0,
                                     INT64_MAX - 1, INT64_MAX};
    static const char text[] = "liblead-segment 1\ndid page_view within 90d\n";
    for (size_t i = 0; i < 7; i++) {
        for (size_t j = 1; j < 7; j++) { /* event times: INT64_MIN would mean now */
            int64_t now = times[i], ev = times[j];
            int recent = ev <= now && (uint64_t)now - (uint64_t)ev < (uint64_t)(90 * LT_DAY);
            fx f;
            fx_up(&f, NULL);
            f.fc.now_ms = now;
            lead_event_input in = LEAD_EVENT_INPUT_INIT;
            uint64_t id = 0;
            in.contact_id = 2;
            in.time_ms = ev;
            if (now == LEAD_TIME_UNKNOWN) {
                lt_dump before = lt_store_dump(f.mem);
                assert_int_equal(lead_track(f.e, &id, &in), LEAD_ECLOCK);
                assert_string_equal(lead_engine_errmsg(f.e),
                                    "clock callback returned LEAD_TIME_UNKNOWN");
                int64_t t = 42;
                assert_int_equal(lead_engine_now(f.e, &t), LEAD_ECLOCK);
                assert_int_equal(t, 42);
                lead_segment *seg = NULL;
                lead_segment_iter *it = NULL;
                assert_int_equal(lead_segment_new(&seg, &f.fa.alloc), LEAD_OK);
                assert_int_equal(lead_segment_parse(seg, text, strlen(text)), LEAD_OK);
                assert_int_equal(lead_segment_iter_new(&it, f.e, seg, NULL, NULL), LEAD_ECLOCK);
                assert_null(it);
                lead_segment_free(seg);
                lt_dump after = lt_store_dump(f.mem);
                assert_true(lt_dump_equal(&before, &after));
                lt_dump_free(&before);
                lt_dump_free(&after);
                fx_down(&f);
                continue;
            }
            assert_int_equal(lead_track(f.e, &id, &in), LEAD_OK);
            in.type = LEAD_EVENT_PURCHASE;
            in.value_minor = 100;
            in.currency = "EUR";
            in.contact_id = 1;
            assert_int_equal(lead_track(f.e, &id, &in), LEAD_OK);

            lead_journey_set *set = NULL;
            lead_journey_query q = LEAD_JOURNEY_QUERY_INIT;
            q.event_type = LEAD_EVENT_PURCHASE;
            q.include_nulls = 1;
            size_t n = 0;
            assert_int_equal(lead_journey_set_new(&set, &f.fa.alloc), LEAD_OK);
            assert_int_equal(lead_journey_set_add_from_engine(set, f.e, &q, NULL), LEAD_OK);
            assert_int_equal(lead_journey_set_count(set, &n), LEAD_OK);
            assert_int_equal(n, recent ? 2 : 1);
            q.event_type = -1;
            q.stage = LEAD_STAGE_CUSTOMER;
            q.include_nulls = 0;
            q.lookback_days = UINT32_MAX;
            assert_int_equal(lead_journey_set_add_from_engine(set, f.e, &q, NULL), LEAD_OK);
            lead_attribution_model *m = NULL;
            lead_attribution_result *r = NULL;
            double conv = 0;
            assert_int_equal(
                lead_attribution_model_new(&m, LEAD_ATTRIBUTION_TIME_DECAY, &f.fa.alloc), LEAD_OK);
            assert_int_equal(lead_attribution_run(&r, m, set), LEAD_OK);
            assert_int_equal(lead_attribution_result_totals(r, &conv, NULL, NULL, NULL), LEAD_OK);
            assert_true(conv == 2.0);
            lead_attribution_result_free(r);
            lead_attribution_model_free(m);
            lead_journey_set_free(set);

            lead_segment *seg = NULL;
            lead_segment_iter *it = NULL;
            uint64_t member = 0;
            assert_int_equal(lead_segment_new(&seg, &f.fa.alloc), LEAD_OK);
            assert_int_equal(lead_segment_parse(seg, text, strlen(text)), LEAD_OK);
            assert_int_equal(lead_segment_iter_new(&it, f.e, seg, NULL, NULL), LEAD_OK);
            /* Contact 1's only visit is the seed's, far from every clock here. */
            assert_int_equal(lead_segment_iter_next(it, &member), recent ? LEAD_OK : LEAD_ITEROVER);
            assert_int_equal(member, recent ? 2 : 0);
            lead_segment_iter_free(it);
            lead_segment_free(seg);

            lead_funnel *fu = NULL;
            lead_funnel_report *rep = NULL;
            uint64_t customers = 0;
            assert_int_equal(lead_funnel_new(&fu, &f.fa.alloc), LEAD_OK);
            assert_int_equal(lead_funnel_add_from_engine(fu, f.e), LEAD_OK);
            assert_int_equal(
                lead_funnel_report_new(&rep, fu, INT64_MIN, INT64_MAX, LEAD_COHORT_MONTH), LEAD_OK);
            assert_int_equal(lead_funnel_report_entered(rep, LEAD_STAGE_CUSTOMER, &customers),
                             LEAD_OK);
            assert_int_equal(customers, ev < INT64_MAX); /* the range ends before INT64_MAX */
            lead_funnel_report_free(rep);
            lead_funnel_free(fu);
            fx_down(&f);
        }
    }
}

/* Exported Markov counts cut at every byte, and with every byte flipped:
 * refused with LEAD_ECORRUPT (a flip may also leave valid counts), never a
 * crash or a read past the bytes given. */
static void damaged_markov_counts(void **state)
{
    (void)state;
    static const char csv[] = "path,total_conversions,total_null\n"
                              "email>search>direct,2,1\nsearch,0,3\nemail>direct,1,0\n";
    lt_failalloc fa;
    lt_failalloc_init(&fa);
    lead_journey_set *set = NULL;
    lead_markov_counts *c = NULL, *back = NULL;
    lead_markov_options o = LEAD_MARKOV_OPTIONS_INIT;
    o.order = 2;
    size_t len = 0;
    assert_int_equal(lead_journey_set_new(&set, &fa.alloc), LEAD_OK);
    assert_int_equal(lead_journey_set_read_path_csv(set, csv, strlen(csv), NULL), LEAD_OK);
    assert_int_equal(lead_markov_counts_new(&c, set, &o, &fa.alloc), LEAD_OK);
    assert_int_equal(lead_markov_counts_export(c, NULL, 0, &len), LEAD_ELIMIT); /* the size */
    unsigned char *good = malloc(len);
    assert_non_null(good);
    assert_int_equal(lead_markov_counts_export(c, good, len, &len), LEAD_OK);
    for (size_t n = 0; n < len; n++) {
        unsigned char *cut = malloc(n ? n : 1); /* exact size: ASan sees overreads */
        assert_non_null(cut);
        memcpy(cut, good, n);
        if (lead_markov_counts_import(&back, cut, n, &fa.alloc) != LEAD_ECORRUPT)
            fail_msg("counts cut to %zu of %zu bytes were not refused", n, len);
        assert_null(back);
        free(cut);
    }
    for (size_t i = 0; i < len; i++) {
        good[i] ^= 0xA5;
        int rc = lead_markov_counts_import(&back, good, len, &fa.alloc);
        if (rc != LEAD_OK && rc != LEAD_ECORRUPT && rc != LEAD_EVERSION)
            fail_msg("byte %zu flipped: %d (%s)", i, rc, lead_strerror(rc));
        lead_markov_counts_free(back);
        back = NULL;
        good[i] ^= 0xA5;
    }
    free(good);
    lead_markov_counts_free(c);
    lead_journey_set_free(set);
    assert_int_equal(fa.live, 0);
}

/* ---- big inputs -------------------------------------------------------------------- */

#define MILLION 1000000

/* A million events on one contact: every count exact, and linear time (the
 * suite's time budget would not survive quadratic work at this size). */
static void a_million_events_on_one_contact(void **state)
{
    (void)state;
    fx f;
    fx_up(&f, NULL);
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 2;
    in.type = LEAD_EVENT_PAGE_VIEW;
    in.channel = LEAD_CHANNEL_ORGANIC_SEARCH;
    for (int64_t i = 0; i < MILLION; i++) {
        in.time_ms = LT_T0 + i;
        if (i == MILLION / 2) {
            in.type = LEAD_EVENT_FORM_SUBMIT;
            in.channel = LEAD_CHANNEL_PAID_SEARCH;
        }
        uint64_t id = 0;
        if (lead_track(f.e, &id, &in) != LEAD_OK || id != (uint64_t)i + 2)
            fail_msg("event %lld: id %llu", (long long)i, (unsigned long long)id);
        in.type = LEAD_EVENT_PAGE_VIEW;
        in.channel = LEAD_CHANNEL_ORGANIC_SEARCH;
    }
    lead_contact *c = NULL;
    uint64_t count = 0, lead_event_id = 0;
    int64_t lead_ms = 0;
    int stage = -1;
    assert_int_equal(lead_contact_get(&c, f.e, 2), LEAD_OK);
    assert_int_equal(lead_contact_event_count(c, &count), LEAD_OK);
    assert_int_equal(count, MILLION);
    assert_int_equal(lead_contact_stage(c, &stage), LEAD_OK);
    assert_int_equal(stage, LEAD_STAGE_LEAD);
    assert_int_equal(lead_contact_milestone(c, LEAD_MILESTONE_LEAD_CREATION, &lead_event_id, &lead_ms),
                     LEAD_OK);
    assert_int_equal(lead_event_id, MILLION / 2 + 2);
    assert_true(lead_ms == LT_T0 + MILLION / 2);
    lead_contact_free(c);

    /* Reading them back: in time order, from the middle. */
    lead_event_iter *it = NULL;
    const lead_event *ev = NULL;
    assert_int_equal(lead_event_iter_new(&it, f.e, 2, LT_T0 + MILLION - 1000), LEAD_OK);
    size_t seen = 0;
    int64_t prev = INT64_MIN;
    int rc;
    while ((rc = lead_event_iter_next(it, &ev)) == LEAD_OK) {
        int64_t t = 0;
        lead_event_time(ev, &t);
        assert_true(t >= prev);
        prev = t;
        seen++;
    }
    assert_int_equal(rc, LEAD_ITEROVER);
    assert_int_equal(seen, 1000);
    lead_event_iter_free(it);

    /* The journey of the contact, up to the form submit. */
    lead_journey_set *set = NULL;
    lead_journey_query q = LEAD_JOURNEY_QUERY_INIT;
    q.stage = LEAD_STAGE_LEAD;
    q.lookback_days = 0;
    size_t touches = 0;
    assert_int_equal(lead_journey_set_new(&set, &f.fa.alloc), LEAD_OK);
    assert_int_equal(lead_journey_set_add_from_engine(set, f.e, &q, NULL), LEAD_OK);
    assert_int_equal(lead_journey_set_journey(set, 0, &touches, NULL, NULL, NULL, NULL), LEAD_OK);
    assert_int_equal(touches, MILLION / 2 + 1);
    lead_journey_set_free(set);
    fx_down(&f);
}

/* A million distinct channels, one journey each: ids, names and credit. */
static void a_million_channels(void **state)
{
    (void)state;
    lt_failalloc fa;
    lt_failalloc_init(&fa);
    lead_journey_set *set = NULL;
    char name[32];
    assert_int_equal(lead_journey_set_new(&set, &fa.alloc), LEAD_OK);
    for (int i = 0; i < MILLION; i++) {
        snprintf(name, sizeof name, "channel-%d", i);
        if (lead_journey_set_begin(set) != LEAD_OK ||
            lead_journey_set_add_touch(set, name, NULL, LEAD_TIME_UNKNOWN, 0) != LEAD_OK ||
            lead_journey_set_end(set, 1, (double)(i % 10), 0, LEAD_TIME_UNKNOWN) != LEAD_OK)
            fail_msg("journey %d refused", i);
    }
    size_t channels = 0;
    uint32_t id = 0;
    const char *got = NULL;
    assert_int_equal(lead_journey_set_channel_count(set, &channels), LEAD_OK);
    assert_int_equal(channels, MILLION);
    assert_int_equal(lead_journey_set_channel_id(set, "channel-765432", &id), LEAD_OK);
    assert_int_equal(id, 765432);
    assert_int_equal(lead_journey_set_channel_name(set, MILLION - 1, &got), LEAD_OK);
    assert_string_equal(got, "channel-999999");
    assert_int_equal(lead_journey_set_channel_name(set, MILLION, &got), LEAD_ENOTFOUND);

    lead_attribution_model *m = NULL;
    lead_attribution_result *r = NULL;
    assert_int_equal(lead_attribution_model_new(&m, LEAD_ATTRIBUTION_LINEAR, &fa.alloc), LEAD_OK);
    assert_int_equal(lead_attribution_run(&r, m, set), LEAD_OK);
    double conv = 0, value = 0, total = 0;
    assert_int_equal(lead_attribution_result_channel_by_name(r, "channel-123457", &conv, &value),
                     LEAD_OK);
    assert_true(conv == 1.0 && value == 7.0);
    assert_int_equal(lead_attribution_result_totals(r, &total, &value, NULL, NULL), LEAD_OK);
    assert_true(total == MILLION && value == 4.5 * MILLION);
    lead_attribution_result_free(r);
    lead_attribution_model_free(m);
    lead_journey_set_free(set);
    assert_int_equal(fa.live, 0);
}

/* ---- a store that hands back damaged records ------------------------------------------- */

/* Which record the store damages: contact 1's, contact 1's events, or the
 * meta record under corrupt_store.meta_key (id counter, custom names,
 * merge redirect). */
enum target { T_NONE, T_CONTACT, T_EVENTS, T_META };

enum damage {
    D_CUT_ONE,       /* the last byte missing */
    D_CUT_HALF,      /* half of it */
    D_CUT_HEADER,    /* shorter than the 12-byte header */
    D_EMPTY,         /* no bytes at all */
    D_TRAILING,      /* one byte more than the header says */
    D_VERSION_ZERO,  /* version 0, never written */
    D_VERSION_NEXT,  /* a version newer than the library knows */
    D_BODY_LONGER,   /* the body length says one byte more */
    D_BODY_SHORTER,  /* ... one byte less */
    D_COUNT_HUGE,    /* field count 2^32 - 1 */
    D_COUNT_MORE,    /* one field more than there is */
    D_COUNT_LESS,    /* one field less */
    D_FIELD_HUGE,    /* the first field's length 2^31 */
    D_FIELD_LONGER,  /* the first field's length one more */
    D_MAGIC,         /* not 'L' 'R' */
    D_KIND,          /* a record of another kind */
    D_GARBAGE,       /* every byte 0xff */
    D_COUNT
};

typedef struct corrupt_store {
    lead_store store;
    const lead_store *inner;
    enum target target;
    enum damage damage;
    const char *meta_key;
    unsigned char *copy; /* exactly as long as the damaged record: ASan sees overreads */
    lead_store_event_fn fn;
    void *scan_user;
} corrupt_store;

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An event record of version 2 (docs/storage.md) has no field count, body
 * length or field lengths at fixed offsets: the damages aimed at those become
 * their counterparts in its layout (4-byte header, presence byte, varints),
 * each one that no decoder may accept. Returns 1 when it damaged p. */
static int compact_damage(enum damage d, unsigned char *p, size_t n)
{
    if (n < 6 || p[0] != 'L' || p[1] != 'R' || p[2] != 2 || p[3] < 2)
        return 0;
    switch (d) {
    case D_VERSION_NEXT: p[3] = 3; break;     /* one above the newest */
    case D_BODY_LONGER: p[4] |= 0x80; break;  /* a presence bit never written */
    case D_BODY_SHORTER: p[n - 1] = 0x80; break; /* ends mid-varint or mid-character */
    case D_COUNT_HUGE: memset(p + 5, 0xff, n - 5); break; /* a varint that never ends */
    case D_COUNT_MORE: p[5] = 0x80; p[6] = 0; break;      /* an overlong varint */
    case D_COUNT_LESS: p[n - 1] = 0xff; break; /* as shorter, with another byte */
    case D_FIELD_HUGE: p[4] = 0xff; break;     /* every presence bit */
    case D_FIELD_LONGER: p[5] = 0; break;      /* event id 0, or a varint cut short */
    default: return 0;
    }
    return 1;
}

static void damage(corrupt_store *cs, const void *bytes, size_t len, const void **out,
                   size_t *out_len)
{
    assert_true(len > 18); /* header and at least one field */
    size_t n = len;
    switch (cs->damage) {
    case D_CUT_ONE: n = len - 1; break;
    case D_CUT_HALF: n = len / 2; break;
    case D_CUT_HEADER: n = 11; break;
    case D_EMPTY: n = 0; break;
    case D_TRAILING: n = len + 1; break;
    default: break;
    }
    free(cs->copy);
    cs->copy = malloc(n ? n : 1);
    assert_non_null(cs->copy);
    memcpy(cs->copy, bytes, n < len ? n : len);
    unsigned char *p = cs->copy;
    if (compact_damage(cs->damage, p, n)) {
        *out = p;
        *out_len = n;
        return;
    }
    switch (cs->damage) {
    case D_TRAILING: p[len] = 0; break;
    case D_VERSION_ZERO: p[3] = 0; break;
    case D_VERSION_NEXT: p[3] = (unsigned char)(p[3] + 1); break;
    case D_BODY_LONGER: put32(p + 8, get32(p + 8) + 1); break;
    case D_BODY_SHORTER: put32(p + 8, get32(p + 8) - 1); break;
    case D_COUNT_HUGE: put32(p + 4, UINT32_MAX); break;
    case D_COUNT_MORE: put32(p + 4, get32(p + 4) + 1); break;
    case D_COUNT_LESS: put32(p + 4, get32(p + 4) - 1); break;
    case D_FIELD_HUGE: put32(p + 14, UINT32_C(1) << 31); break;
    case D_FIELD_LONGER: put32(p + 14, get32(p + 14) + 1); break;
    case D_MAGIC: p[0] = 'X'; break;
    case D_KIND: p[2] = (unsigned char)(p[2] % 3 + 1); break;
    case D_GARBAGE: memset(p, 0xff, n); break;
    default: break;
    }
    *out = p;
    *out_len = n;
}

#define CS(user) ((corrupt_store *)(user))
#define IN(user) (CS(user)->inner)

static int cs_contact_put(void *u, uint64_t id, const char *e, const char *x, const void *b,
                          size_t n)
{
    return IN(u)->contact_put(IN(u)->user, id, e, x, b, n);
}

static int cs_contact_get(void *u, uint64_t id, const void **b, size_t *n)
{
    int rc = IN(u)->contact_get(IN(u)->user, id, b, n);
    if (rc == 0 && id == 1 && CS(u)->target == T_CONTACT)
        damage(CS(u), *b, *n, b, n);
    return rc;
}

static int cs_contact_delete(void *u, uint64_t id)
{
    return IN(u)->contact_delete(IN(u)->user, id);
}

static int cs_find_email(void *u, const char *e, uint64_t *id)
{
    return IN(u)->contact_find_email(IN(u)->user, e, id);
}

static int cs_find_external(void *u, const char *x, uint64_t *id)
{
    return IN(u)->contact_find_external(IN(u)->user, x, id);
}

static int cs_contact_scan(void *u, lead_store_contact_fn fn, void *su)
{
    return IN(u)->contact_scan(IN(u)->user, fn, su);
}

static int cs_event_append(void *u, uint64_t id, int64_t t, const char *k, const void *b,
                           size_t n)
{
    return IN(u)->event_append(IN(u)->user, id, t, k, b, n);
}

static int cs_damaged_event(void *u, int64_t t, const void *b, size_t n)
{
    const void *bad = NULL;
    size_t bad_len = 0;
    damage(CS(u), b, n, &bad, &bad_len);
    return CS(u)->fn(CS(u)->scan_user, t, bad, bad_len);
}

static int cs_event_scan(void *u, uint64_t id, int64_t from, lead_store_event_fn fn, void *su)
{
    if (id != 1 || CS(u)->target != T_EVENTS)
        return IN(u)->event_scan(IN(u)->user, id, from, fn, su);
    CS(u)->fn = fn;
    CS(u)->scan_user = su;
    return IN(u)->event_scan(IN(u)->user, id, from, cs_damaged_event, u);
}

static int cs_find_key(void *u, const char *k)
{
    return IN(u)->event_find_key(IN(u)->user, k);
}

static int cs_meta_put(void *u, const char *k, const void *b, size_t n)
{
    return IN(u)->meta_put(IN(u)->user, k, b, n);
}

static int cs_meta_get(void *u, const char *k, const void **b, size_t *n)
{
    int rc = IN(u)->meta_get(IN(u)->user, k, b, n);
    if (rc == 0 && CS(u)->target == T_META && strcmp(k, CS(u)->meta_key) == 0)
        damage(CS(u), *b, *n, b, n);
    return rc;
}

static int cs_begin(void *u)
{
    return IN(u)->begin(IN(u)->user);
}

static int cs_commit(void *u)
{
    return IN(u)->commit(IN(u)->user);
}

static int cs_rollback(void *u)
{
    return IN(u)->rollback(IN(u)->user);
}

static void corrupt_store_init(corrupt_store *cs, const lead_store *inner)
{
    memset(cs, 0, sizeof *cs);
    lead_store_init(&cs->store, sizeof cs->store);
    cs->store.user = cs;
    cs->inner = inner;
    cs->store.contact_put = cs_contact_put;
    cs->store.contact_get = cs_contact_get;
    cs->store.contact_delete = cs_contact_delete;
    cs->store.contact_find_email = cs_find_email;
    cs->store.contact_find_external = cs_find_external;
    cs->store.contact_scan = cs_contact_scan;
    cs->store.event_append = cs_event_append;
    cs->store.event_scan = cs_event_scan;
    cs->store.event_find_key = cs_find_key;
    cs->store.meta_put = cs_meta_put;
    cs->store.meta_get = cs_meta_get;
    cs->store.begin = cs_begin;
    cs->store.commit = cs_commit;
    cs->store.rollback = cs_rollback;
}

/* Operations that read contact 1's record, its events or the id counter. */
typedef int (*reader)(fx *f);

static int read_contact(fx *f)
{
    lead_contact *c = NULL;
    int rc = lead_contact_get(&c, f->e, 1);
    assert_true((rc == LEAD_OK) == (c != NULL));
    lead_contact_free(c);
    return rc;
}

static int read_events(fx *f)
{
    lead_event_iter *it = NULL;
    const lead_event *ev = NULL;
    int rc = lead_event_iter_new(&it, f->e, 1, LEAD_TIME_UNKNOWN);
    while (rc == LEAD_OK)
        rc = lead_event_iter_next(it, &ev);
    lead_event_iter_free(it);
    return rc == LEAD_ITEROVER ? LEAD_OK : rc;
}

static int write_field(fx *f)
{
    return lead_contact_set_field(f->e, 1, LEAD_FIELD_COMPANY, "Acme");
}

static int write_attr(fx *f)
{
    return lead_contact_set_attr(f->e, 1, "employees", LEAD_ATTR_INT, 5, 0.0, NULL);
}

static int write_stage(fx *f)
{
    return lead_contact_set_stage(f->e, 1, LEAD_STAGE_SQL, 0);
}

static int write_consent(fx *f)
{
    return lead_contact_set_consent(f->e, 1, LEAD_PURPOSE_TRACKING, LEAD_CONSENT_SUBSCRIBED);
}

static int write_event(fx *f)
{
    return track_at(f->e, 1, LT_T0, "new", NULL);
}

/* A batch stops at its first event, the one that reads the damage. */
static int write_event_batch(fx *f)
{
    lead_event_input in[3];
    for (int i = 0; i < 3; i++) {
        in[i] = (lead_event_input)LEAD_EVENT_INPUT_INIT;
        in[i].contact_id = 1;
        in[i].type = LEAD_EVENT_PAGE_VIEW;
        in[i].time_ms = LT_T0 + i;
    }
    size_t done = 9;
    int rc = lead_track_batch(f->e, in, sizeof in[0], 3, NULL, &done);
    return rc == LEAD_OK || done == 0 ? rc : LEAD_EINVAL;
}

static int write_merge(fx *f)
{
    return lead_contact_merge(f->e, 2, 1, NULL);
}

static int write_erase(fx *f)
{
    return lead_contact_erase(f->e, 1);
}

static int write_create(fx *f)
{
    uint64_t id = 0;
    return lead_contact_create(f->e, &id, "new@x.io", NULL, 0);
}

static int read_journeys(fx *f)
{
    lead_journey_set *set = NULL;
    lead_journey_query q = LEAD_JOURNEY_QUERY_INIT;
    q.event_type = LEAD_EVENT_PAGE_VIEW;
    q.lookback_days = 0;
    assert_int_equal(lead_journey_set_new(&set, &f->fa.alloc), LEAD_OK);
    int rc = lead_journey_set_add_from_engine(set, f->e, &q, NULL);
    size_t n = 9;
    lead_journey_set_count(set, &n);
    assert_int_equal(n, rc == LEAD_OK ? 1 : 0);
    lead_journey_set_free(set);
    return rc;
}

static int read_funnel(fx *f)
{
    lead_funnel *fu = NULL;
    assert_int_equal(lead_funnel_new(&fu, &f->fa.alloc), LEAD_OK);
    int rc = lead_funnel_add_from_engine(fu, f->e);
    size_t n = 9;
    lead_funnel_contact_count(fu, &n);
    assert_int_equal(n, rc == LEAD_OK ? 2 : 0);
    lead_funnel_free(fu);
    return rc;
}

static int read_segment(fx *f)
{
    static const char text[] = "liblead-segment 1\ndid page_view\n";
    lead_segment *s = NULL;
    lead_segment_iter *it = NULL;
    uint64_t id = 0;
    assert_int_equal(lead_segment_new(&s, &f->fa.alloc), LEAD_OK);
    assert_int_equal(lead_segment_parse(s, text, strlen(text)), LEAD_OK);
    int rc = lead_segment_iter_new(&it, f->e, s, NULL, NULL);
    while (rc == LEAD_OK)
        rc = lead_segment_iter_next(it, &id);
    lead_segment_iter_free(it);
    lead_segment_free(s);
    return rc == LEAD_ITEROVER ? LEAD_OK : rc;
}

static int prep_channel(fx *f)
{
    int channel = 0;
    return lead_channel_register(f->e, &channel, "partner");
}

static int prep_merge(fx *f)
{
    return lead_contact_merge(f->e, 1, 2, NULL);
}

/* A model on the seeded events (page views), attached on the sound store. */
static int prep_model(fx *f)
{
    static const char text[] = "liblead-score 1\n"
                               "behaviour 2 page_view\n"
                               "behaviour 3 page_view channel \"email\"\n";
    lead_score_model *m = NULL;
    int rc = lead_score_model_new(&m, NULL);
    if (rc == LEAD_OK)
        rc = lead_score_model_parse(m, text, sizeof text - 1);
    if (rc == LEAD_OK)
        rc = lead_engine_score_attach(f->e, "m", m);
    lead_score_model_free(m);
    return rc;
}

static int rescore_all(fx *f)
{
    return lead_engine_rescore(f->e, NULL, NULL, NULL);
}

static int register_channel(fx *f)
{
    int channel = 0;
    return lead_channel_register(f->e, &channel, "another");
}

static int lookup_channel(fx *f)
{
    char name[LEAD_CUSTOM_NAME_MAX + 1];
    return lead_channel_lookup(f->e, LEAD_CHANNEL_CUSTOM_BASE, name, sizeof name);
}

static int track_custom_channel(fx *f)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 1;
    in.channel = LEAD_CHANNEL_CUSTOM_BASE;
    uint64_t id = 0;
    return lead_track(f->e, &id, &in);
}

static int read_merged(fx *f)
{
    lead_contact *c = NULL;
    int rc = lead_contact_get(&c, f->e, 2);
    lead_contact_free(c);
    return rc;
}

static int resolve_merged(fx *f)
{
    uint64_t id = 0;
    return lead_contact_resolve(f->e, &id, 2);
}

static int track_merged(fx *f)
{
    return track_at(f->e, 2, LT_T0, NULL, NULL);
}

typedef struct corrupt_row {
    const char *name;
    enum target target;
    const char *meta_key;
    int (*prep)(fx *f); /* NULL, or run on the sound store first */
    reader fn;
} corrupt_row;

static const corrupt_row corrupt_rows[] = {
    {"contact: get", T_CONTACT, NULL, NULL, read_contact},
    {"contact: set field", T_CONTACT, NULL, NULL, write_field},
    {"contact: set attribute", T_CONTACT, NULL, NULL, write_attr},
    {"contact: set stage", T_CONTACT, NULL, NULL, write_stage},
    {"contact: set consent", T_CONTACT, NULL, NULL, write_consent},
    {"contact: track", T_CONTACT, NULL, NULL, write_event},
    {"contact: track batch", T_CONTACT, NULL, NULL, write_event_batch},
    {"contact: merge", T_CONTACT, NULL, NULL, write_merge},
    {"contact: erase", T_CONTACT, NULL, NULL, write_erase},
    {"contact: journeys", T_CONTACT, NULL, NULL, read_journeys},
    {"contact: funnel", T_CONTACT, NULL, NULL, read_funnel},
    {"contact: segment", T_CONTACT, NULL, NULL, read_segment},
    {"events: iterate", T_EVENTS, NULL, NULL, read_events},
    {"events: merge", T_EVENTS, NULL, NULL, write_merge},
    {"events: journeys", T_EVENTS, NULL, NULL, read_journeys},
    {"events: funnel", T_EVENTS, NULL, NULL, read_funnel},
    {"events: segment", T_EVENTS, NULL, NULL, read_segment},
    {"events: rescore", T_EVENTS, NULL, prep_model, rescore_all},
    {"counter: create", T_META, "contact.next_id", NULL, write_create},
    {"custom names: register", T_META, "registry.channel", prep_channel, register_channel},
    {"custom names: lookup", T_META, "registry.channel", prep_channel, lookup_channel},
    {"custom names: track", T_META, "registry.channel", prep_channel, track_custom_channel},
    {"redirect: resolve", T_META, "redirect.2", prep_merge, resolve_merged},
    {"redirect: get", T_META, "redirect.2", prep_merge, read_merged},
    {"redirect: track", T_META, "redirect.2", prep_merge, track_merged},
};

/* Every damage to every record an operation reads: LEAD_ECORRUPT (or
 * LEAD_EVERSION for a record of a later version, of whichever kind, which a
 * newer library may have written), nothing stored, nothing leaked, and no
 * byte read outside the record (ASan). The damage starts after the seeding
 * (and the row's preparation) on a sound store. */
static void damaged_records_are_refused(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t r = 0; r < sizeof corrupt_rows / sizeof corrupt_rows[0]; r++) {
        const corrupt_row *cr = &corrupt_rows[r];
        for (int d = 0; d < D_COUNT; d++) {
            lt_failalloc fa;
            lt_failalloc_init(&fa);
            lead_store *mem = NULL;
            assert_int_equal(lead_store_memory_new(&mem, &fa.alloc), LEAD_OK);
            corrupt_store cs;
            corrupt_store_init(&cs, mem);
            fx f;
            fx_up(&f, &cs.store);
            f.mem = mem;
            if (cr->prep)
                assert_int_equal(cr->prep(&f), LEAD_OK);
            lt_dump before = lt_store_dump(mem);
            cs.meta_key = cr->meta_key;
            cs.target = cr->target;
            cs.damage = (enum damage)d;
            int rc = cr->fn(&f);
            int want = d == D_VERSION_NEXT ? LEAD_EVERSION : LEAD_ECORRUPT;
            if (rc != want) {
                print_error("%s, damage %d: returned %d (%s), expected %s\n", cr->name, d, rc,
                            lead_strerror(rc), lead_strerror(want));
                failures++;
            }
            lt_dump after = lt_store_dump(mem);
            if (!lt_dump_equal(&before, &after)) {
                print_error("%s, damage %d: the store changed\n", cr->name, d);
                failures++;
            }
            lt_dump_free(&before);
            lt_dump_free(&after);
            fx_down(&f);
            free(cs.copy);
        }
    }
    assert_int_equal(failures, 0);
}

/* A record of a later version names the record, its version and the
 * newest this library reads; version 0 is damage like any other. */
static void later_record_versions_are_named(void **state)
{
    (void)state;
    static const struct {
        const char *row; /* the name of a row of corrupt_rows */
        const char *later, *zero;
    } cases[] = {
        {"contact: get", "contact 1: stored record is version 3, newer than this library reads (up to 2)",
         "contact 1: stored record does not decode"},
        {"counter: create", "counter contact.next_id is version 2, newer than this library reads (up to 1)",
         "counter contact.next_id does not decode"},
        {"custom names: lookup", "registry.channel is version 2, newer than this library reads (up to 1)",
         "registry.channel does not decode"},
        {"redirect: resolve", "redirect of contact 2 is version 2, newer than this library reads (up to 1)",
         "redirect of contact 2 does not decode"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const corrupt_row *cr = NULL;
        for (size_t r = 0; r < sizeof corrupt_rows / sizeof corrupt_rows[0]; r++)
            if (strcmp(corrupt_rows[r].name, cases[i].row) == 0)
                cr = &corrupt_rows[r];
        assert_non_null(cr);
        for (int zero = 0; zero < 2; zero++) {
            lt_failalloc fa;
            lt_failalloc_init(&fa);
            lead_store *mem = NULL;
            assert_int_equal(lead_store_memory_new(&mem, &fa.alloc), LEAD_OK);
            corrupt_store cs;
            corrupt_store_init(&cs, mem);
            fx f;
            fx_up(&f, &cs.store);
            f.mem = mem;
            if (cr->prep)
                assert_int_equal(cr->prep(&f), LEAD_OK);
            cs.meta_key = cr->meta_key;
            cs.target = cr->target;
            cs.damage = zero ? D_VERSION_ZERO : D_VERSION_NEXT;
            assert_int_equal(cr->fn(&f), zero ? LEAD_ECORRUPT : LEAD_EVERSION);
            assert_string_equal(lead_engine_errmsg(f.e), zero ? cases[i].zero : cases[i].later);
            fx_down(&f);
            free(cs.copy);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_table),
        cmocka_unit_test(damaged_records_are_refused),
        cmocka_unit_test(later_record_versions_are_named),
        cmocka_unit_test(extreme_times_through_the_engine),
        cmocka_unit_test(damaged_markov_counts),
        cmocka_unit_test(a_million_channels),
        cmocka_unit_test(a_million_events_on_one_contact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
