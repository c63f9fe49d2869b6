/* Contacts: email and phone normalization, uniqueness, fields, stages with
 * their history and observer, and allocation / clock failures. */
#include "lead_test.h"

#include <string.h>

typedef struct stage_log {
    int n;
    uint64_t contact[8];
    int from[8], to[8], reason[8];
    int64_t time[8];
} stage_log;

static void log_stage(void *user, uint64_t contact_id, int from, int to, int reason, int64_t t)
{
    stage_log *log = user;
    log->contact[log->n] = contact_id;
    log->from[log->n] = from;
    log->to[log->n] = to;
    log->reason[log->n] = reason;
    log->time[log->n++] = t;
}

static lead_engine *new_engine(lt_fakeclock *fc, stage_log *log)
{
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.clock = &fc->clock;
    o.stage_observer = log ? log_stage : NULL;
    o.stage_observer_user = log;
    o.default_calling_code = 44;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &o), LEAD_OK);
    return e;
}

static void email_normalization(void **state)
{
    (void)state;
    char out[LEAD_EMAIL_MAX + 1];
    assert_int_equal(lead_email_normalize(out, sizeof out, "  Ann.Lee@Example.COM\t"), LEAD_OK);
    assert_string_equal(out, "ann.lee@example.com");
    assert_int_equal(lead_email_normalize(out, sizeof out, "a@b@c.io"), LEAD_EINVAL);
    assert_int_equal(lead_email_normalize(out, sizeof out, "no-at.io"), LEAD_EINVAL);
    assert_int_equal(lead_email_normalize(out, sizeof out, "@x.io"), LEAD_EINVAL);
    assert_int_equal(lead_email_normalize(out, sizeof out, "a b@x.io"), LEAD_EINVAL);
    assert_int_equal(lead_email_normalize(out, sizeof out, "a@x..io"), LEAD_EINVAL);
    assert_int_equal(lead_email_normalize(out, sizeof out, "a\x01@x.io"), LEAD_EINVAL);
    assert_int_equal(lead_email_normalize(out, sizeof out, "a\xff@x.io"), LEAD_EUTF8);
    assert_int_equal(lead_email_normalize(out, sizeof out, "J\xc3\xbcrgen@X.de"), LEAD_OK);
    assert_string_equal(out, "j\xc3\xbcrgen@x.de");
    char longlocal[80];
    memset(longlocal, 'a', 65);
    strcpy(longlocal + 65, "@x.io");
    assert_int_equal(lead_email_normalize(out, sizeof out, longlocal), LEAD_ETOOLONG);
    longlocal[1] = '@';
    longlocal[0] = 'b';
    memset(longlocal, 'a', 64);
    strcpy(longlocal + 64, "@x.io");
    assert_int_equal(lead_email_normalize(out, sizeof out, longlocal), LEAD_OK);
    char longall[300];
    memset(longall, 'd', sizeof longall);
    memcpy(longall, "a@", 2);
    longall[255] = '\0'; /* 255 bytes */
    assert_int_equal(lead_email_normalize(out, sizeof out, longall), LEAD_ETOOLONG);
    assert_int_equal(lead_email_normalize(out, 5, "a@x.io"), LEAD_ELIMIT);
    assert_int_equal(lead_email_normalize(NULL, 5, "a@x.io"), LEAD_EINVAL);
}

static void create_find_and_duplicates(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t a = 0, b = 0, found = 0;
    assert_int_equal(lead_contact_create(e, &a, " Ann@Example.com", "crm-7", LEAD_DUPLICATE_REFUSE),
                     LEAD_OK);
    assert_int_equal(a, 1);
    assert_int_equal(lead_contact_create(e, &b, NULL, NULL, LEAD_DUPLICATE_REFUSE), LEAD_OK);
    assert_int_equal(b, 2);
    assert_int_equal(lead_contact_create(e, &b, "ann@EXAMPLE.com", NULL, LEAD_DUPLICATE_REFUSE),
                     LEAD_EEXISTS);
    assert_int_equal(lead_contact_create(e, &b, NULL, "crm-7", LEAD_DUPLICATE_REFUSE),
                     LEAD_EEXISTS);
    assert_int_equal(lead_contact_create(e, &b, "ann@example.com", NULL, LEAD_DUPLICATE_USE),
                     LEAD_OK);
    assert_int_equal(b, 1);
    assert_int_equal(lead_contact_create(e, &b, "bad", NULL, LEAD_DUPLICATE_USE), LEAD_EINVAL);
    assert_int_equal(lead_contact_find_email(e, &found, "ANN@example.com"), LEAD_OK);
    assert_int_equal(found, 1);
    assert_int_equal(lead_contact_find_external(e, &found, "crm-7"), LEAD_OK);
    assert_int_equal(found, 1);
    assert_int_equal(lead_contact_find_email(e, &found, "zed@example.com"), LEAD_ENOTFOUND);
    assert_string_equal(lead_engine_errmsg(e), "no contact with this email");
    assert_int_equal(lead_contact_find_external(e, &found, "crm-8"), LEAD_ENOTFOUND);
    assert_string_equal(lead_engine_errmsg(e), "no contact with this external_id");
    assert_int_equal(lead_contact_find_email(e, &found, ""), LEAD_ENOTFOUND);
    assert_string_equal(lead_engine_errmsg(e), "no contact with this email");

    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, 1), LEAD_OK);
    const char *s = NULL;
    int stage = -1;
    int64_t created, updated, active;
    assert_int_equal(lead_contact_field(c, LEAD_FIELD_EMAIL, &s), LEAD_OK);
    assert_string_equal(s, "ann@example.com");
    assert_int_equal(lead_contact_field(c, LEAD_FIELD_COMPANY, &s), LEAD_OK);
    assert_null(s);
    assert_int_equal(lead_contact_stage(c, &stage), LEAD_OK);
    assert_int_equal(stage, LEAD_STAGE_SUBSCRIBER);
    assert_int_equal(lead_contact_times(c, &created, &updated, &active), LEAD_OK);
    assert_int_equal(created, LT_T0);
    assert_int_equal(updated, LT_T0);
    assert_int_equal(active, LEAD_TIME_UNKNOWN);
    lead_contact_free(c);
    assert_int_equal(lead_contact_get(&c, e, 99), LEAD_ENOTFOUND);
    assert_null(c);
    lead_engine_free(e);
}

static void fields_phone_and_limits(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    fc.step_ms = 1000;
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t id = 0, found = 0;
    assert_int_equal(lead_contact_create(e, &id, "a@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, id, LEAD_FIELD_COMPANY, "Acme GmbH"), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, id, LEAD_FIELD_PHONE, "020 7946 0958"), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, id, LEAD_FIELD_PHONE, "phone me"), LEAD_EINVAL);
    assert_int_equal(lead_contact_set_field(e, id, LEAD_FIELD_PHONE, "+1 (415) 555-2671"),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, id, LEAD_FIELD_CITY, "K\xc3\xb6ln"), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, id, LEAD_FIELD_CITY, "\xc3"), LEAD_EUTF8);
    char big[LEAD_FIELD_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(lead_contact_set_field(e, id, LEAD_FIELD_OWNER, big), LEAD_ETOOLONG);
    assert_int_equal(lead_contact_set_field(e, id, LEAD_FIELD_EMAIL, "New@X.io"), LEAD_OK);
    assert_int_equal(lead_contact_find_email(e, &found, "a@x.io"), LEAD_ENOTFOUND);
    assert_int_equal(lead_contact_find_email(e, &found, "new@x.io"), LEAD_OK);
    assert_int_equal(lead_contact_set_field(e, id, 13, "x"), LEAD_EINVAL);
    assert_int_equal(lead_contact_set_field(e, 42, LEAD_FIELD_CITY, "x"), LEAD_ENOTFOUND);

    lead_contact *c = NULL;
    const char *s = NULL;
    int64_t created, updated, active;
    assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
    lead_contact_field(c, LEAD_FIELD_PHONE, &s);
    assert_string_equal(s, "+14155552671");
    lead_contact_field(c, LEAD_FIELD_COMPANY, &s);
    assert_string_equal(s, "Acme GmbH");
    lead_contact_field(c, LEAD_FIELD_CITY, &s);
    assert_string_equal(s, "K\xc3\xb6ln");
    lead_contact_field(c, LEAD_FIELD_OWNER, &s);
    assert_null(s);
    lead_contact_times(c, &created, &updated, &active);
    assert_int_equal(created, LT_T0);
    assert_int_equal(updated, LT_T0 + 5000); /* the 6th clock read: the email change */
    lead_contact_free(c);
    lead_engine_free(e);
}

static void stages_forward_only_with_history(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    fc.step_ms = LT_DAY;
    stage_log log;
    memset(&log, 0, sizeof log);
    lead_engine *e = new_engine(&fc, &log);
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(e, &id, "a@x.io", NULL, 0), LEAD_OK);   /* day 0 */
    assert_int_equal(lead_contact_set_stage(e, id, LEAD_STAGE_MQL, 0), LEAD_OK); /* day 1 */
    assert_int_equal(lead_contact_set_stage(e, id, LEAD_STAGE_LEAD, 0), LEAD_ESTATE);
    assert_int_equal(lead_contact_set_stage(e, id, LEAD_STAGE_MQL, 0), LEAD_OK); /* no-op */
    assert_int_equal(lead_contact_set_stage(e, id, LEAD_STAGE_LEAD, LEAD_STAGE_RESET),
                     LEAD_OK); /* day 2 */
    assert_int_equal(lead_contact_set_stage(e, id, LEAD_STAGE_DISQUALIFIED, 0), LEAD_OK);
    assert_int_equal(lead_contact_set_stage(e, id, 10, 0), LEAD_EINVAL);
    assert_int_equal(lead_contact_set_stage(e, id, LEAD_STAGE_SQL, 8), LEAD_EINVAL);

    static const int stages[4] = {LEAD_STAGE_SUBSCRIBER, LEAD_STAGE_MQL, LEAD_STAGE_LEAD,
                                  LEAD_STAGE_DISQUALIFIED};
    static const int reasons[4] = {LEAD_REASON_CREATED, LEAD_REASON_MANUAL, LEAD_REASON_MANUAL,
                                   LEAD_REASON_MANUAL};
    static const int64_t entered[4] = {LT_T0, LT_T0 + LT_DAY, LT_T0 + 2 * LT_DAY,
                                       LT_T0 + 3 * LT_DAY};
    lead_contact *c = NULL;
    size_t n = 0;
    assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
    assert_int_equal(lead_contact_stage_history_count(c, &n), LEAD_OK);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < 4; i++) {
        int stage, reason;
        int64_t in, out;
        uint64_t ev;
        assert_int_equal(lead_contact_stage_history_at(c, i, &stage, &in, &out, &reason, &ev),
                         LEAD_OK);
        assert_int_equal(stage, stages[i]);
        assert_int_equal(reason, reasons[i]);
        assert_int_equal(in, entered[i]);
        assert_int_equal(out, i < 3 ? entered[i + 1] : LEAD_TIME_UNKNOWN);
        assert_int_equal(ev, 0);
        assert_int_equal(log.to[i], stages[i]);
        assert_int_equal(log.from[i], i ? stages[i - 1] : LEAD_STAGE_SUBSCRIBER);
        assert_int_equal(log.time[i], entered[i]);
        assert_int_equal(log.contact[i], id);
    }
    assert_int_equal(log.n, 4);
    assert_int_equal(lead_contact_stage_history_at(c, 4, NULL, NULL, NULL, NULL, NULL),
                     LEAD_ENOTFOUND);
    lead_contact_free(c);
    lead_engine_free(e);
}

static void clock_failure_stores_nothing(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t id = 0, found = 0;
    fc.fail_at = 0;
    fc.fail_code = 5;
    assert_int_equal(lead_contact_create(e, &id, "a@x.io", NULL, 0), LEAD_ECLOCK);
    assert_string_equal(lead_engine_errmsg(e), "clock callback failed (returned 5)");
    assert_int_equal(lead_contact_find_email(e, &found, "a@x.io"), LEAD_ENOTFOUND);
    fc.fail_at = -1;
    assert_int_equal(lead_contact_create(e, &id, "a@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(id, 1);
    lead_engine_free(e);
}

static void consent_is_timestamped_and_bounce_never_overrides(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    fc.step_ms = 10;
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t id = 0, ev = 0;
    int st = -1;
    int64_t t = 0;
    assert_int_equal(lead_contact_create(e, &id, "a@x.io", NULL, 0), LEAD_OK); /* read 0 */
    assert_int_equal(lead_contact_set_consent(e, id, LEAD_PURPOSE_EMAIL_MARKETING,
                                              LEAD_CONSENT_PENDING), LEAD_OK); /* read 1 */
    assert_int_equal(lead_contact_set_consent(e, id, LEAD_PURPOSE_EMAIL_MARKETING,
                                              LEAD_CONSENT_SUBSCRIBED), LEAD_OK); /* read 2 */
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = id;
    in.type = LEAD_EVENT_UNSUBSCRIBE;
    in.time_ms = LT_T0 + 500;
    assert_int_equal(lead_track(e, &ev, &in), LEAD_OK);
    assert_int_equal(lead_contact_set_consent(e, id, LEAD_PURPOSE_EMAIL_MARKETING,
                                              LEAD_CONSENT_BOUNCED), LEAD_OK);
    in.type = LEAD_EVENT_EMAIL_BOUNCE;
    in.time_ms = LT_T0 + 900;
    assert_int_equal(lead_track(e, &ev, &in), LEAD_OK);
    assert_int_equal(lead_contact_set_consent(e, id, LEAD_PURPOSE_SMS_MARKETING,
                                              LEAD_CONSENT_BOUNCED), LEAD_OK);
    assert_int_equal(lead_contact_set_consent(e, id, 3, 0), LEAD_EINVAL);
    assert_int_equal(lead_contact_set_consent(e, id, 0, 5), LEAD_EINVAL);
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
    assert_int_equal(lead_contact_consent(c, LEAD_PURPOSE_EMAIL_MARKETING, &st, &t), LEAD_OK);
    assert_int_equal(st, LEAD_CONSENT_UNSUBSCRIBED);
    assert_int_equal(t, LT_T0 + 500);
    assert_int_equal(lead_contact_consent(c, LEAD_PURPOSE_SMS_MARKETING, &st, &t), LEAD_OK);
    assert_int_equal(st, LEAD_CONSENT_BOUNCED);
    assert_int_equal(t, LT_T0 + 60); /* reads: create, 2 sets, track, set, track, set */
    assert_int_equal(lead_contact_consent(c, LEAD_PURPOSE_TRACKING, &st, &t), LEAD_OK);
    assert_int_equal(st, LEAD_CONSENT_NOT_SET);
    assert_int_equal(t, LEAD_TIME_UNKNOWN);
    lead_contact_free(c);
    lead_engine_free(e);
}

static void typed_attributes(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(e, &id, "a@x.io", NULL, 0), LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, id, "employees", LEAD_ATTR_INT, 250, 0, NULL),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, id, "arr", LEAD_ATTR_DOUBLE, 0, 1234.5, NULL),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, id, "plan", LEAD_ATTR_STRING, 0, 0, "pro"), LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, id, "trial", LEAD_ATTR_BOOL, 1, 0, NULL), LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, id, "renews", LEAD_ATTR_TIME, LT_T0, 0, NULL),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, id, "plan", LEAD_ATTR_STRING, 0, 0, "team"),
                     LEAD_OK);
    assert_int_equal(lead_contact_set_attr(e, id, "trial", LEAD_ATTR_BOOL, 2, 0, NULL),
                     LEAD_EINVAL);
    assert_int_equal(lead_contact_set_attr(e, id, "x", LEAD_ATTR_DOUBLE, 0, 1.0 / 0.0, NULL),
                     LEAD_EINVAL);
    assert_int_equal(lead_contact_set_attr(e, id, "", LEAD_ATTR_INT, 1, 0, NULL), LEAD_EINVAL);
    assert_int_equal(lead_contact_set_attr(e, id, "x", 5, 1, 0, NULL), LEAD_EINVAL);
    assert_int_equal(lead_contact_set_attr(e, id, "x", LEAD_ATTR_STRING, 0, 0, "\xff"), LEAD_EUTF8);
    assert_int_equal(lead_contact_unset_attr(e, id, "employees"), LEAD_OK);
    assert_int_equal(lead_contact_unset_attr(e, id, "employees"), LEAD_ENOTFOUND);

    lead_contact *c = NULL;
    size_t n = 0;
    int type = -1;
    int64_t i = 0;
    double d = 0;
    const char *s = NULL, *name = NULL;
    assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
    lead_contact_attr_count(c, &n);
    assert_int_equal(n, 4);
    assert_int_equal(lead_contact_attr_at(c, 0, &name, &type, &i, &d, &s), LEAD_OK);
    assert_string_equal(name, "arr");
    assert_int_equal(type, LEAD_ATTR_DOUBLE);
    assert_true(d == 1234.5);
    assert_int_equal(lead_contact_attr(c, "plan", &type, &i, &d, &s), LEAD_OK);
    assert_int_equal(type, LEAD_ATTR_STRING);
    assert_string_equal(s, "team");
    assert_int_equal(lead_contact_attr(c, "trial", &type, &i, NULL, NULL), LEAD_OK);
    assert_int_equal(type, LEAD_ATTR_BOOL);
    assert_int_equal(i, 1);
    assert_int_equal(lead_contact_attr(c, "renews", &type, &i, NULL, NULL), LEAD_OK);
    assert_int_equal(type, LEAD_ATTR_TIME);
    assert_int_equal(i, LT_T0);
    assert_int_equal(lead_contact_attr(c, "employees", &type, &i, NULL, NULL), LEAD_ENOTFOUND);
    lead_contact_free(c);
    lead_engine_free(e);
}

static int contact_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.allocator = alloc;
    lead_engine *e = NULL;
    int rc = lead_engine_new(&e, &o);
    uint64_t id = 0;
    if (rc == LEAD_OK)
        rc = lead_contact_create(e, &id, "a@x.io", "crm-1", 0);
    if (rc == LEAD_OK)
        rc = lead_contact_set_field(e, id, LEAD_FIELD_JOB_TITLE, "VP Sales");
    if (rc == LEAD_OK)
        rc = lead_contact_set_stage(e, id, LEAD_STAGE_SQL, 0);
    if (rc == LEAD_OK)
        rc = lead_contact_set_attr(e, id, "plan", LEAD_ATTR_STRING, 0, 0, "pro");
    if (rc == LEAD_OK)
        rc = lead_contact_set_attr(e, id, "seats", LEAD_ATTR_INT, 12, 0, NULL);
    if (rc == LEAD_OK)
        rc = lead_contact_set_consent(e, id, LEAD_PURPOSE_EMAIL_MARKETING, LEAD_CONSENT_SUBSCRIBED);
    lead_contact *c = NULL;
    if (rc == LEAD_OK)
        rc = lead_contact_get(&c, e, id);
    lead_contact_free(c);
    lead_engine_free(e);
    return rc;
}

static void contact_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(contact_scenario, NULL, LEAD_OK) > 10);
}

/* A backdated purchase moves the stage no earlier than the current stage
 * began (history stays in time order), but each milestone it reaches is
 * stamped with the event's own time. */
static void backdated_event_milestones_carry_the_event_time(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0 + 5000);
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t id = 0, ev = 0;
    assert_int_equal(lead_contact_create(e, &id, "a@x.io", NULL, 0), LEAD_OK);
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = id;
    in.type = LEAD_EVENT_PURCHASE;
    in.time_ms = LT_T0 + 1000;
    assert_int_equal(lead_track(e, &ev, &in), LEAD_OK);
    assert_int_equal(ev, 1);

    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
    for (int m = 0; m < LEAD_MILESTONE_COUNT; m++) {
        uint64_t mev = 0;
        int64_t t = 0;
        assert_int_equal(lead_contact_milestone(c, m, &mev, &t), LEAD_OK);
        assert_int_equal(mev, 1);
        assert_int_equal(t, LT_T0 + 1000);
    }
    static const int stages[3] = {LEAD_STAGE_SUBSCRIBER, LEAD_STAGE_LEAD, LEAD_STAGE_CUSTOMER};
    size_t n = 0;
    lead_contact_stage_history_count(c, &n);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        int stage = -1;
        int64_t entered = 0;
        lead_contact_stage_history_at(c, i, &stage, &entered, NULL, NULL, NULL);
        assert_int_equal(stage, stages[i]);
        assert_int_equal(entered, LT_T0 + 5000); /* not before the subscriber span */
    }
    lead_contact_free(c);
    lead_engine_free(e);
}

/* Every failure replaces lead_engine_errmsg: after an unrelated failure,
 * an unknown id and a NULL argument each leave their own message. */
static void failures_replace_the_message(void **state)
{
    (void)state;
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine *e = new_engine(&fc, NULL);
    uint64_t a = 0, u = 0;
    int erased = 0;
    lead_contact *c = NULL;
    lead_event_iter *it = NULL;
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    assert_int_equal(lead_contact_create(e, &a, "a@x.io", NULL, 0), LEAD_OK);
    in.contact_id = a;
#define AFTER_ANOTHER_FAILURE(call, code, msg)                                                \
    do {                                                                                      \
        assert_int_equal(lead_contact_set_stage(e, a, 99, 0), LEAD_EINVAL);                   \
        assert_string_equal(lead_engine_errmsg(e), "bad stage 99 or flags 0");                \
        assert_int_equal((call), (code));                                                     \
        assert_string_equal(lead_engine_errmsg(e), (msg));                                    \
    } while (0)
    AFTER_ANOTHER_FAILURE(lead_contact_resolve(e, &u, 999), LEAD_ENOTFOUND, "no contact 999");
    AFTER_ANOTHER_FAILURE(lead_event_iter_new(&it, e, 999, LEAD_TIME_UNKNOWN), LEAD_ENOTFOUND,
                          "no contact 999");
    assert_null(it);
    AFTER_ANOTHER_FAILURE(lead_contact_get(&c, e, 999), LEAD_ENOTFOUND, "no contact 999");
    AFTER_ANOTHER_FAILURE(lead_contact_resolve(e, NULL, a), LEAD_EINVAL,
                          "contact_resolve: NULL out_id");
    AFTER_ANOTHER_FAILURE(lead_contact_get(NULL, e, a), LEAD_EINVAL, "contact_get: NULL out");
    AFTER_ANOTHER_FAILURE(lead_event_iter_new(NULL, e, a, LEAD_TIME_UNKNOWN), LEAD_EINVAL,
                          "event_iter_new: NULL out");
    AFTER_ANOTHER_FAILURE(lead_contact_find_email(e, NULL, "a@x.io"), LEAD_EINVAL,
                          "find_email: NULL out_id");
    AFTER_ANOTHER_FAILURE(lead_contact_find_email(e, &u, NULL), LEAD_EINVAL,
                          "find_email: NULL email");
    AFTER_ANOTHER_FAILURE(lead_contact_find_external(e, &u, NULL), LEAD_EINVAL,
                          "find_external: NULL external_id");
    AFTER_ANOTHER_FAILURE(lead_contact_unset_attr(e, a, NULL), LEAD_EINVAL,
                          "unset_attr: NULL name");
    AFTER_ANOTHER_FAILURE(lead_track(e, NULL, &in), LEAD_EINVAL, "track: NULL out_event_id");
    AFTER_ANOTHER_FAILURE(lead_track(e, &u, NULL), LEAD_EINVAL, "track: NULL input");
    AFTER_ANOTHER_FAILURE(lead_contact_is_erased(e, NULL, "a@x.io"), LEAD_EINVAL,
                          "is_erased: NULL out_erased");
    AFTER_ANOTHER_FAILURE(lead_contact_is_erased(e, &erased, NULL), LEAD_EINVAL,
                          "is_erased: NULL email");
#undef AFTER_ANOTHER_FAILURE
    lead_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failures_replace_the_message),
        cmocka_unit_test(backdated_event_milestones_carry_the_event_time),
        cmocka_unit_test(email_normalization),
        cmocka_unit_test(create_find_and_duplicates),
        cmocka_unit_test(fields_phone_and_limits),
        cmocka_unit_test(stages_forward_only_with_history),
        cmocka_unit_test(clock_failure_stores_nothing),
        cmocka_unit_test(consent_is_timestamped_and_bounce_never_overrides),
        cmocka_unit_test(typed_attributes),
        cmocka_unit_test(contact_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
