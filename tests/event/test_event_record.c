/* The event record: the compact version 2 byte for byte, version 1 records
 * still decoding, and what version 2 refuses. */
#include "lead_test.h"
#include "event.h"
#include "record.h"

#include <string.h>

/* id 300, contact 5, ad click, paid search, 2026-01-01T00:00:00Z, -1.50 EUR,
 * source "g", idempotency key "k1". */
static const unsigned char full_v2[] = {
    'L', 'R', 2, 2,
    0x47,                               /* value, currency, source, key */
    0xac, 0x02,                         /* id 300 */
    0x05, 0x09, 0x01,                   /* contact, type, channel */
    0x80, 0xa0, 0xd5, 0xed, 0xee, 0x66, /* zigzag(1767225600000) */
    0xab, 0x02,                         /* zigzag(-150) = 299 */
    'E', 'U', 'R',
    0x01, 'g',
    0x02, 'k', '1'};

static void fill(lead_event *ev, char *source, char *key)
{
    memset(ev, 0, sizeof *ev);
    ev->id = 300;
    ev->contact_id = 5;
    ev->type = LEAD_EVENT_AD_CLICK;
    ev->channel = LEAD_CHANNEL_PAID_SEARCH;
    ev->time_ms = INT64_C(1767225600000);
    ev->value_minor = -150;
    memcpy(ev->currency, "EUR", 4);
    ev->strings[LEAD_EVENT_SOURCE] = source;
    ev->strings[LEAD_EVENT_IDEMPOTENCY_KEY] = key;
}

/* A writer on mem, empty. */
static lead__rec_writer writer_on(const lead__mem *mem)
{
    lead__rec_writer w;
    memset(&w, 0, sizeof w);
    w.mem = mem;
    return w;
}

/* The fields of full_v2 that scoring reads: all but the ids. */
static void check_view(const lead_event *ev)
{
    assert_int_equal(ev->type, LEAD_EVENT_AD_CLICK);
    assert_int_equal(ev->channel, LEAD_CHANNEL_PAID_SEARCH);
    assert_true(ev->time_ms == INT64_C(1767225600000));
    assert_int_equal(ev->value_minor, -150);
    assert_string_equal(ev->currency, "EUR");
    assert_string_equal(ev->strings[LEAD_EVENT_SOURCE], "g");
    assert_null(ev->strings[LEAD_EVENT_MEDIUM]);
    assert_null(ev->strings[LEAD_EVENT_CAMPAIGN]);
    assert_null(ev->strings[LEAD_EVENT_CONTENT]);
    assert_string_equal(ev->strings[LEAD_EVENT_IDEMPOTENCY_KEY], "k1");
}

static void check_decoded(const lead_event *ev)
{
    assert_int_equal(ev->id, 300);
    assert_int_equal(ev->contact_id, 5);
    check_view(ev);
}

static void v2_bytes_round_trip(void **state)
{
    (void)state;
    lead__mem mem;
    assert_int_equal(lead__mem_init(&mem, NULL), LEAD_OK);
    lead__rec_writer w = writer_on(&mem);
    lead_event ev;
    fill(&ev, "g", "k1");
    assert_int_equal(lead__event_encode(&w, &ev), LEAD_OK);
    assert_int_equal(w.len, sizeof full_v2);
    assert_memory_equal(w.buf, full_v2, sizeof full_v2);

    lead_event back;
    memset(&back, 0, sizeof back);
    assert_int_equal(lead__event_decode(&mem, &back, w.buf, w.len), LEAD_OK);
    check_decoded(&back);
    lead__event_clear(&mem, &back);

    /* The smallest event: no value, currency or strings. */
    static const unsigned char bare[] = {'L', 'R', 2, 2, 0, 1, 1, 0, 0, 0};
    memset(&ev, 0, sizeof ev);
    ev.id = 1;
    ev.contact_id = 1;
    assert_int_equal(lead__event_encode(&w, &ev), LEAD_OK);
    assert_int_equal(w.len, sizeof bare);
    assert_memory_equal(w.buf, bare, sizeof bare);
    lead__rec_writer_free(&w);
}

/* The event of fill() as version 1 wrote it (docs/storage.md, event record
 * version 1), with a field of a later writer. */
static void write_v1(lead__rec_writer *w)
{
    lead__rec_begin(w, LEAD__REC_EVENT, 1);
    lead__rec_i64(w, 1, 300);
    lead__rec_i64(w, 2, 5);
    lead__rec_i64(w, 3, LEAD_EVENT_AD_CLICK);
    lead__rec_i64(w, 4, LEAD_CHANNEL_PAID_SEARCH);
    lead__rec_i64(w, 5, INT64_C(1767225600000));
    lead__rec_i64(w, 6, -150);
    lead__rec_str(w, 7, "EUR");
    lead__rec_str(w, 10, "g");
    lead__rec_str(w, 14, "k1");
    lead__rec_str(w, 99, "a later writer's field");
    assert_int_equal(lead__rec_end(w), LEAD_OK);
}

static void v1_records_still_decode(void **state)
{
    (void)state;
    lead__mem mem;
    assert_int_equal(lead__mem_init(&mem, NULL), LEAD_OK);
    lead__rec_writer w = writer_on(&mem);
    write_v1(&w);
    lead_event ev;
    memset(&ev, 0, sizeof ev);
    assert_int_equal(lead__event_decode(&mem, &ev, w.buf, w.len), LEAD_OK);
    check_decoded(&ev);
    lead__event_clear(&mem, &ev);
    /* Into reused space too, then a version 2 record into the same space. */
    lead__event_light light;
    memset(&light, 0, sizeof light);
    const lead_event *seen = NULL;
    assert_int_equal(lead__event_decode_light(&mem, &light, w.buf, w.len, &seen), LEAD_OK);
    check_decoded(seen);
    assert_int_equal(lead__event_decode_light(&mem, &light, full_v2, sizeof full_v2, &seen),
                     LEAD_OK);
    check_view(seen); /* a version 2 record's ids are checked, not kept */
    assert_int_equal(seen->id, 0);
    lead__event_light_clear(&mem, &light);
    lead__rec_writer_free(&w);
}

/* The fields the light decoder keeps are the full decoder's. */
static void check_same_view(const lead_event *full, const lead_event *light)
{
    assert_int_equal(light->type, full->type);
    assert_int_equal(light->channel, full->channel);
    assert_true(light->time_ms == full->time_ms);
    assert_true(light->value_minor == full->value_minor);
    assert_string_equal(light->currency, full->currency);
    for (int i = 0; i < LEAD__EVENT_STRINGS; i++) {
        assert_true((light->strings[i] == NULL) == (full->strings[i] == NULL));
        if (full->strings[i])
            assert_string_equal(light->strings[i], full->strings[i]);
    }
}

/* The decoder of records without optional fields takes exactly the
 * version 2 records of that shape the full decoder accepts (rc its
 * result), with the same type, channel and time. */
static void check_bare(const lead_event *full, int rc, const unsigned char *bytes, size_t len)
{
    lead__event_bare bare;
    int want = rc == LEAD_OK && bytes[3] == 2 && bytes[4] == 0;
    assert_int_equal(lead__event_decode_bare(bytes, len, &bare), want);
    if (want) {
        assert_int_equal(bare.type, full->type);
        assert_int_equal(bare.channel, full->channel);
        assert_true(bare.time_ms == full->time_ms);
    }
}

/* Decodes in full, into reused space and, for a record without optional
 * fields, bare; all must agree on the status and, when they accept, on
 * the event as scoring reads it. */
static int decode_copy(const unsigned char *bytes, size_t len)
{
    lead__mem mem;
    lead__mem_init(&mem, NULL);
    lead_event ev;
    memset(&ev, 0, sizeof ev);
    int rc = lead__event_decode(&mem, &ev, bytes, len);
    lead__event_light light;
    memset(&light, 0, sizeof light);
    const lead_event *out = &ev;
    assert_int_equal(lead__event_decode_light(&mem, &light, bytes, len, &out), rc);
    assert_true(rc == LEAD_OK ? out != NULL : out == NULL);
    if (rc == LEAD_OK)
        check_same_view(&ev, out);
    check_bare(&ev, rc, bytes, len);
    lead__event_clear(&mem, &ev);
    lead__event_light_clear(&mem, &light);
    return rc;
}

static void v2_refuses_what_it_never_writes(void **state)
{
    (void)state;
    unsigned char b[sizeof full_v2 + 1];
    memcpy(b, full_v2, sizeof full_v2);
    for (size_t cut = 0; cut < sizeof full_v2; cut++)
        assert_int_equal(decode_copy(b, cut), LEAD_ECORRUPT);
    b[sizeof full_v2] = 0;
    assert_int_equal(decode_copy(b, sizeof full_v2 + 1), LEAD_ECORRUPT); /* trailing byte */
    b[4] = 0xc7; /* an unknown presence bit */
    assert_int_equal(decode_copy(b, sizeof full_v2), LEAD_ECORRUPT);
    b[3] = 3;
    assert_int_equal(decode_copy(b, sizeof full_v2), LEAD_EVERSION);
    b[3] = 0; /* never written: damage */
    assert_int_equal(decode_copy(b, sizeof full_v2), LEAD_ECORRUPT);

    static const unsigned char overlong[] = {'L', 'R', 2, 2, 0, 0x81, 0x00, 1, 0, 0, 0};
    static const unsigned char zero_value[] = {'L', 'R', 2, 2, 1, 1, 1, 0, 0, 0, 0};
    static const unsigned char zero_id[] = {'L', 'R', 2, 2, 0, 0, 1, 0, 0, 0};
    static const unsigned char big_type[] = {'L', 'R', 2, 2, 0, 1, 1, 0x80, 0x80, 0x80, 0x80,
                                             0x08, 0, 0};
    static const unsigned char bad_currency[] = {'L', 'R', 2, 2, 2, 1, 1, 0, 0, 0, 'E', 'u', 'R'};
    static const unsigned char bad_utf8[] = {'L', 'R', 2, 2, 4, 1, 1, 0, 0, 0, 1, 0xff};
    static const unsigned char long_string[] = {'L', 'R', 2, 2, 4, 1, 1, 0, 0, 0, 2, 'g'};
    assert_int_equal(decode_copy(overlong, sizeof overlong), LEAD_ECORRUPT);
    assert_int_equal(decode_copy(zero_value, sizeof zero_value), LEAD_ECORRUPT);
    assert_int_equal(decode_copy(zero_id, sizeof zero_id), LEAD_ECORRUPT);
    assert_int_equal(decode_copy(big_type, sizeof big_type), LEAD_ECORRUPT);
    assert_int_equal(decode_copy(bad_currency, sizeof bad_currency), LEAD_ECORRUPT);
    assert_int_equal(decode_copy(bad_utf8, sizeof bad_utf8), LEAD_ECORRUPT);
    assert_int_equal(decode_copy(long_string, sizeof long_string), LEAD_ECORRUPT);
}

/* Every byte of a record set to values that matter to varints and presence
 * bits, and every record cut short: the light decoder agrees with the full
 * one on each (decode_copy), through the short paths for single-byte and
 * long varints alike. */
static void light_agrees_on_damage(void **state)
{
    (void)state;
    /* id 2^63 (10 bytes), contact 1, page view, email, time 0, no body. */
    static const unsigned char long_id[] = {'L', 'R', 2, 2, 0,
                                            0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
                                            0x01, 0x00, 0x02, 0x00};
    /* id 1, contact 1, type 1, channel 1, a 6-byte time ending the record. */
    static const unsigned char short_v2[] = {'L', 'R', 2, 2, 0, 1, 1, 1, 1,
                                             0x80, 0xa0, 0xd5, 0xed, 0xee, 0x66};
    static const unsigned char values[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xc0, 0xff};
    const struct {
        const unsigned char *b;
        size_t len;
    } records[] = {{full_v2, sizeof full_v2}, {long_id, sizeof long_id},
                   {short_v2, sizeof short_v2}};
    unsigned char b[64];
    size_t accepted = 0;
    for (size_t r = 0; r < sizeof records / sizeof records[0]; r++) {
        assert_int_equal(decode_copy(records[r].b, records[r].len), LEAD_OK);
        for (size_t cut = 0; cut < records[r].len; cut++)
            decode_copy(records[r].b, cut);
        for (size_t at = 0; at < records[r].len; at++)
            for (size_t v = 0; v < sizeof values; v++) {
                memcpy(b, records[r].b, records[r].len);
                b[at] = values[v];
                accepted += decode_copy(b, records[r].len) == LEAD_OK;
            }
    }
    assert_true(accepted > 0);
}

/* The bare decoder takes records without optional fields only: any other
 * record, valid or not, goes to the decoders that say what it holds. */
static void bare_takes_only_bare_records(void **state)
{
    (void)state;
    static const unsigned char bare[] = {'L', 'R', 2, 2, 0, 1, 1, 3, 13, 0x80, 0xa0, 0xd5,
                                         0xed, 0xee, 0x66};
    lead__event_bare out;
    assert_int_equal(lead__event_decode_bare(bare, sizeof bare, &out), 1);
    assert_int_equal(out.type, 3);
    assert_int_equal(out.channel, 13); /* a registered channel: any number */
    assert_true(out.time_ms == INT64_C(1767225600000));
    assert_int_equal(decode_copy(bare, sizeof bare), LEAD_OK);
    assert_int_equal(lead__event_decode_bare(full_v2, sizeof full_v2, &out), 0);
    assert_int_equal(lead__event_decode_bare(NULL, 0, &out), 0);
    assert_int_equal(lead__event_decode_bare(bare, 5, &out), 0);
    lead__mem mem;
    assert_int_equal(lead__mem_init(&mem, NULL), LEAD_OK);
    lead__rec_writer w = writer_on(&mem);
    write_v1(&w);
    assert_int_equal(lead__event_decode_bare(w.buf, w.len, &out), 0);
    lead__rec_writer_free(&w);
}

/* Times of every varint length from 1 to 10 bytes end bare records: each
 * decodes bare as in full (decode_copy), with ids of every length from 1
 * to 10 bytes. */
static void bare_times_of_every_length(void **state)
{
    (void)state;
    lead__mem mem;
    assert_int_equal(lead__mem_init(&mem, NULL), LEAD_OK);
    lead__rec_writer w = writer_on(&mem);
    lead_event ev;
    memset(&ev, 0, sizeof ev);
    for (unsigned bits = 0; bits <= 64; bits++) {
        for (int sign = 0; sign < 2; sign++) {
            uint64_t u = bits ? UINT64_MAX >> (64 - bits) : 0; /* zigzag of bits bits */
            ev.time_ms = lead__unzigzag(u ^ (uint64_t)sign);
            ev.id = bits % 3 ? (UINT64_C(1) << (bits * 5 % 64)) | 1 : UINT64_MAX;
            ev.contact_id = (UINT64_C(1) << (bits * 7 % 64)) | 1;
            ev.type = (int32_t)(bits % 16);
            ev.channel = (int32_t)(bits * 3);
            assert_int_equal(lead__event_encode(&w, &ev), LEAD_OK);
            assert_int_equal(decode_copy(w.buf, w.len), LEAD_OK);
            lead__event_bare bare;
            assert_int_equal(lead__event_decode_bare(w.buf, w.len, &bare), 1);
            assert_true(bare.time_ms == ev.time_ms);
        }
    }
    lead__rec_writer_free(&w);
}

static void varint_edges(void **state)
{
    (void)state;
    unsigned char b[LEAD__VARINT_MAX];
    uint64_t x = 0;
    static const unsigned char max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    assert_int_equal(lead__varint_put(b, UINT64_MAX), 10);
    assert_memory_equal(b, max, sizeof max);
    assert_int_equal(lead__varint_get(b, 10, &x), 10);
    assert_true(x == UINT64_MAX);
    assert_int_equal(lead__varint_get(b, 9, &x), 0); /* truncated */
    b[9] = 0x02; /* 2^64: out of range */
    assert_int_equal(lead__varint_get(b, 10, &x), 0);
    assert_int_equal(lead__varint_put(b, 127), 1);
    assert_int_equal(b[0], 0x7f);
    assert_int_equal(lead__varint_put(b, 128), 2);
    assert_int_equal(b[0], 0x80);
    assert_int_equal(b[1], 0x01);
    assert_true(lead__zigzag(INT64_MIN) == UINT64_MAX);
    assert_true(lead__zigzag(INT64_MAX) == UINT64_MAX - 1);
    assert_true(lead__unzigzag(UINT64_MAX) == INT64_MIN);
    assert_true(lead__unzigzag(UINT64_MAX - 1) == INT64_MAX);
    assert_true(lead__unzigzag(lead__zigzag(-1)) == -1);
    assert_int_equal(lead__zigzag(-1), 1);
}

static int encode_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead__rec_writer w = writer_on(&mem);
    lead_event ev;
    fill(&ev, "g", "k1");
    rc = lead__event_encode(&w, &ev);
    lead_event back;
    memset(&back, 0, sizeof back);
    if (rc == LEAD_OK)
        rc = lead__event_decode(&mem, &back, w.buf, w.len);
    if (rc == LEAD_OK) {
        check_decoded(&back);
        lead__event_clear(&mem, &back);
    }
    lead__rec_writer_free(&w);
    return rc;
}

/* Decodes full_v2 twice, a shorter record and full_v2 again into the same
 * space: the first decode allocates the buffer, the others reuse it. */
static int light_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    static const unsigned char bare[] = {'L', 'R', 2, 2, 0, 1, 1, 0, 0, 0};
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead__event_light light;
    memset(&light, 0, sizeof light);
    const lead_event *ev = NULL;
    rc = lead__event_decode_light(&mem, &light, full_v2, sizeof full_v2, &ev);
    if (rc == LEAD_OK)
        rc = lead__event_decode_light(&mem, &light, full_v2, sizeof full_v2, &ev);
    if (rc == LEAD_OK)
        rc = lead__event_decode_light(&mem, &light, bare, sizeof bare, &ev);
    if (rc == LEAD_OK) {
        assert_int_equal(ev->type, 0);
        assert_null(ev->strings[LEAD_EVENT_SOURCE]);
        assert_null(ev->strings[LEAD_EVENT_IDEMPOTENCY_KEY]);
        assert_int_equal(ev->value_minor, 0);
        assert_string_equal(ev->currency, "");
        rc = lead__event_decode_light(&mem, &light, full_v2, sizeof full_v2, &ev);
    }
    if (rc == LEAD_OK)
        check_view(ev);
    lead__event_light_clear(&mem, &light);
    return rc;
}

static void light_decode_reuses_its_buffer(void **state)
{
    (void)state;
    assert_int_equal(lt_alloc_sweep(light_scenario, NULL, LEAD_OK), 1);
}

static void encode_decode_alloc_sweep(void **state)
{
    (void)state;
    /* The writer grows to 8 bytes for the header, then to 128 for the most
     * this event can take (91 bytes); the decoder copies two strings. */
    assert_int_equal(lt_alloc_sweep(encode_scenario, NULL, LEAD_OK), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(v2_bytes_round_trip),
        cmocka_unit_test(v1_records_still_decode),
        cmocka_unit_test(v2_refuses_what_it_never_writes),
        cmocka_unit_test(light_agrees_on_damage),
        cmocka_unit_test(bare_takes_only_bare_records),
        cmocka_unit_test(bare_times_of_every_length),
        cmocka_unit_test(varint_edges),
        cmocka_unit_test(encode_decode_alloc_sweep),
        cmocka_unit_test(light_decode_reuses_its_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
