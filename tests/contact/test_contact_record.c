/* Contact records: version 1 records written by earlier libraries still
 * read, the version 2 layout at its documented offsets, and a track that
 * patches the fixed block storing exactly what a full encode would. */
#include "lead_test.h"
#include "contact.h"
#include "record.h"

#include <string.h>

#define T_CREATED (LT_T0 - 1000)

/* An empty writer on the default allocator (mem must outlive it). */
static void writer_init(lead__rec_writer *w, lead__mem *mem)
{
    assert_int_equal(lead__mem_init(mem, NULL), LEAD_OK);
    memset(w, 0, sizeof *w);
    w->mem = mem;
}

/* The contact encoded afresh into w. */
static void encode_afresh(lead__rec_writer *w, lead__mem *mem, const lead_contact *c)
{
    writer_init(w, mem);
    assert_int_equal(lead__contact_encode(w, c), LEAD_OK);
}

/* A contact record of version 1 as an earlier library wrote it: id 1,
 * subscriber since T_CREATED, no events, an email and a job title. */
static void put_v1_contact(lead_store *store)
{
    lead__mem mem;
    lead__rec_writer w;
    writer_init(&w, &mem);
    lead__rec_begin(&w, LEAD__REC_CONTACT, 1);
    lead__rec_i64(&w, 1, 1);                 /* id */
    lead__rec_i64(&w, 2, T_CREATED);         /* created */
    lead__rec_i64(&w, 3, T_CREATED);         /* updated */
    lead__rec_i64(&w, 4, INT64_MIN);         /* last activity: none */
    lead__rec_i64(&w, 5, LEAD_STAGE_SUBSCRIBER);
    lead__rec_i64(&w, 6, 0);                 /* event count */
    lead__rec_i64(&w, 9, 0);                 /* latest event */
    unsigned char span[32];
    lead__put_le(span, LEAD_STAGE_SUBSCRIBER, 4);
    lead__put_le(span + 4, LEAD_REASON_CREATED, 4);
    lead__put_le(span + 8, (uint64_t)T_CREATED, 8);
    lead__put_le(span + 16, (uint64_t)INT64_MIN, 8);
    lead__put_le(span + 24, 0, 8);
    lead__rec_bytes(&w, 7, span, sizeof span);
    lead__rec_str(&w, 100 + LEAD_FIELD_EMAIL, "ann@example.com");
    lead__rec_str(&w, 100 + LEAD_FIELD_JOB_TITLE, "CTO");
    assert_int_equal(lead__rec_end(&w), LEAD_OK);
    assert_int_equal(store->contact_put(store->user, 1, "ann@example.com", NULL, w.buf, w.len),
                     LEAD_OK);
    lead__rec_writer_free(&w);
}

static uint64_t track(lead_engine *e, int type, int64_t t)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = 1;
    in.type = type;
    in.channel = LEAD_CHANNEL_EMAIL;
    in.time_ms = t;
    uint64_t id = 0;
    assert_int_equal(lead_track(e, &id, &in), LEAD_OK);
    return id;
}

/* The stored record decodes and encodes again to the very same bytes. */
static void assert_canonical(lead_engine *e, lead_store *store, const unsigned char **out,
                             size_t *out_len)
{
    const void *bytes = NULL;
    size_t len = 0;
    assert_int_equal(store->contact_get(store->user, 1, &bytes, &len), LEAD_OK);
    lead_contact *c = NULL;
    assert_int_equal(lead__contact_decode(e, bytes, len, &c), LEAD_OK);
    lead__mem mem;
    lead__rec_writer w;
    encode_afresh(&w, &mem, c);
    assert_int_equal(w.len, len);
    assert_memory_equal(w.buf, bytes, len);
    lead__rec_writer_free(&w);
    lead_contact_free(c);
    *out = bytes;
    *out_len = len;
}

static void v1_record_reads_and_tracks_as_v2(void **state)
{
    (void)state;
    lead_store *store = NULL;
    assert_int_equal(lead_store_memory_new(&store, NULL), LEAD_OK);
    put_v1_contact(store);
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine_options o = LEAD_ENGINE_OPTIONS_INIT;
    o.store = store;
    o.clock = &fc.clock;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &o), LEAD_OK);

    lead_contact *c = NULL;
    const char *s = NULL;
    int stage = -1;
    int64_t created = 0, updated = 0, last = 0;
    uint64_t n = 9;
    assert_int_equal(lead_contact_get(&c, e, 1), LEAD_OK);
    assert_int_equal(lead_contact_field(c, LEAD_FIELD_JOB_TITLE, &s), LEAD_OK);
    assert_string_equal(s, "CTO");
    assert_int_equal(lead_contact_times(c, &created, &updated, &last), LEAD_OK);
    assert_true(created == T_CREATED && last == LEAD_TIME_UNKNOWN);
    assert_int_equal(lead_contact_event_count(c, &n), LEAD_OK);
    assert_int_equal(n, 0);
    lead_contact_free(c);

    /* A page view on a version 1 record: the full path, rewritten as v2. */
    assert_int_equal(track(e, LEAD_EVENT_PAGE_VIEW, LT_T0 + 500), 1);
    const unsigned char *p = NULL;
    size_t len = 0;
    assert_canonical(e, store, &p, &len);
    assert_int_equal(p[3], 2);
    /* A form submit moves the stage (full path), a page view only the
     * fixed block (patched in place). */
    assert_int_equal(track(e, LEAD_EVENT_FORM_SUBMIT, LT_T0 + 600), 2);
    assert_int_equal(track(e, LEAD_EVENT_PAGE_VIEW, LT_T0 + 550), 3);
    assert_canonical(e, store, &p, &len);
    /* 12-byte header, 104-byte block, keys, then one span field more. */
    assert_int_equal(len, 12 + 104 + (2 + 15 + 1) + (2 + 0 + 1) + 2 * (6 + 32) + (6 + 3));
    assert_int_equal(lead__get_le(p + 12, 8), 1);                      /* id */
    assert_int_equal(lead__get_le(p + 20, 8), (uint64_t)T_CREATED);    /* created */
    assert_int_equal(lead__get_le(p + 36, 8), (uint64_t)(LT_T0 + 600)); /* last activity */
    assert_int_equal(lead__get_le(p + 44, 8), 2);                      /* latest event */
    assert_int_equal(lead__get_le(p + 52, 8), 3);                      /* event count */
    assert_int_equal(lead__get_le(p + 60, 4), LEAD_STAGE_LEAD);
    assert_int_equal(lead__get_le(p + 68, 8), 2);                      /* lead creation */
    assert_int_equal(lead__get_le(p + 76, 8), (uint64_t)(LT_T0 + 600));
    assert_int_equal(lead__get_le(p + 84, 8), 0);                      /* opportunity: not yet */
    assert_int_equal(lead__get_le(p + 116, 2), 15);
    assert_memory_equal(p + 118, "ann@example.com", 16);
    assert_int_equal(lead__get_le(p + 134, 2), 0);                     /* no external id */
    assert_int_equal(p[136], 0);

    assert_int_equal(lead_contact_get(&c, e, 1), LEAD_OK);
    assert_int_equal(lead_contact_stage(c, &stage), LEAD_OK);
    assert_int_equal(stage, LEAD_STAGE_LEAD);
    assert_int_equal(lead_contact_event_count(c, &n), LEAD_OK);
    assert_int_equal(n, 3);
    assert_int_equal(lead_contact_field(c, LEAD_FIELD_JOB_TITLE, &s), LEAD_OK);
    assert_string_equal(s, "CTO");
    assert_int_equal(lead_contact_field(c, LEAD_FIELD_EMAIL, &s), LEAD_OK);
    assert_string_equal(s, "ann@example.com");
    size_t spans = 0;
    assert_int_equal(lead_contact_stage_history_count(c, &spans), LEAD_OK);
    assert_int_equal(spans, 2);
    lead_contact_free(c);
    uint64_t found = 0;
    assert_int_equal(lead_contact_find_email(e, &found, "ann@example.com"), LEAD_OK);
    assert_int_equal(found, 1);

    lead_engine_free(e);
    lead_store_memory_free(store);
}

/* Each damage to the version 2 layout's own parts is refused by both the
 * full decode and the fixed-block read. */
static void v2_damage_is_refused(void **state)
{
    (void)state;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, NULL), LEAD_OK);
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(e, &id, "bo@example.com", "crm-7", 0), LEAD_OK);
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
    lead__mem mem;
    lead__rec_writer w;
    encode_afresh(&w, &mem, c);
    lead_contact_free(c);
    /* Offsets: stage 60, reserved 64, opportunity time 92, email length 116
     * (14), its NUL 132, external id's NUL 140, a byte inside the email 120
     * (a NUL, then not UTF-8), the tag of the first tagged field, the stage
     * span, 141 (made the id, which the fixed block holds, then a later
     * writer's tag, which leaves no span). */
    static const struct {
        size_t at;
        unsigned char value;
    } damages[] = {{60, 10},   {64, 1},    {92, 1},    {116, 13}, {132, 'x'},
                   {140, 'x'}, {120, 0},   {120, 0xFF}, {141, 1},  {141, 200}};
    for (size_t i = 0; i < sizeof damages / sizeof damages[0]; i++) {
        unsigned char bad[512];
        assert_true(w.len <= sizeof bad);
        memcpy(bad, w.buf, w.len);
        bad[damages[i].at] = damages[i].value;
        assert_int_equal(lead__contact_decode(e, bad, w.len, &c), LEAD_ECORRUPT);
        lead_contact hot;
        memset(&hot, 0, sizeof hot);
        const char *email = NULL, *external = NULL;
        assert_int_equal(lead__contact_hot_read(&hot, &email, &external, NULL, bad, w.len),
                         LEAD_ECORRUPT);
    }
    /* Undamaged: the keys point into the record. */
    lead_contact hot;
    memset(&hot, 0, sizeof hot);
    const char *email = NULL, *external = NULL;
    size_t start = 0;
    assert_int_equal(lead__contact_hot_read(&hot, &email, &external, &start, w.buf, w.len),
                     LEAD_OK);
    assert_ptr_equal(email, (const char *)w.buf + 118);
    assert_string_equal(email, "bo@example.com");
    assert_string_equal(external, "crm-7");
    assert_int_equal(start, 116 + 2 + 14 + 1 + 2 + 5 + 1);
    assert_int_equal(hot.id, id);
    lead__rec_writer_free(&w);
    lead_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(v1_record_reads_and_tracks_as_v2),
        cmocka_unit_test(v2_damage_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
