/* Varint reading: every length, read with exactly its bytes or with more
 * after it, and every refusal (truncated, overlong, out of range). */
#include "lead_test.h"
#include "record.h"

#include <string.h>

/* The bytes of a varint of `groups` 7-bit groups, all of them `fill`
 * except the last, `last`: hand-built so that overlong ones can be made. */
static size_t build(unsigned char *p, size_t groups, unsigned char fill, unsigned char last)
{
    for (size_t i = 0; i + 1 < groups; i++)
        p[i] = (unsigned char)(0x80 | fill);
    p[groups - 1] = last;
    return groups;
}

static void every_length_reads_in_place_and_short(void **state)
{
    (void)state;
    for (unsigned bits = 0; bits <= 64; bits++) {
        uint64_t v = bits ? UINT64_MAX >> (64 - bits) : 0;
        unsigned char buf[32];
        memset(buf, 0xff, sizeof buf); /* continuation bytes after the varint */
        size_t n = lead__varint_put(buf, v);
        size_t want_n = bits <= 7 ? 1 : (bits + 6) / 7;
        assert_int_equal(n, want_n);
        /* Exactly n bytes, and n + 16 with continuation bytes after. */
        uint64_t got = 0;
        assert_int_equal(lead__varint_get(buf, n, &got), n);
        assert_true(got == v);
        got = 0;
        assert_int_equal(lead__varint_get(buf, n + 16, &got), n);
        assert_true(got == v);
        if (n > 1)
            assert_int_equal(lead__varint_get(buf, n - 1, &got), 0);
    }
}

static void known_values(void **state)
{
    (void)state;
    /* zigzag(1767225600000) from the event record's layout test, 6 bytes,
     * followed by more bytes. */
    static const unsigned char t[] = {0x80, 0xa0, 0xd5, 0xed, 0xee, 0x66, 0, 0, 0, 0};
    uint64_t x = 0;
    assert_int_equal(lead__varint_get(t, sizeof t, &x), 6);
    assert_true(x == UINT64_C(3534451200000));
    assert_true(lead__unzigzag(x) == INT64_C(1767225600000));
    static const unsigned char v300[] = {0xac, 0x02, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f};
    assert_int_equal(lead__varint_get(v300, sizeof v300, &x), 2);
    assert_true(x == 300);
    /* Eight groups: 2^56 - 1. */
    static const unsigned char v56[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
    assert_int_equal(lead__varint_get(v56, sizeof v56, &x), 8);
    assert_true(x == (UINT64_C(1) << 56) - 1);
}

static void overlong_and_out_of_range_refused(void **state)
{
    (void)state;
    for (size_t groups = 2; groups <= LEAD__VARINT_MAX; groups++) {
        for (size_t pad = 0; pad <= 12; pad += 12) {
            unsigned char buf[32];
            memset(buf, 0, sizeof buf);
            uint64_t x = 7;
            /* A zero last group after others: overlong. */
            build(buf, groups, 0x7f, 0x00);
            assert_int_equal(lead__varint_get(buf, groups + pad, &x), 0);
            assert_true(x == 7);
            /* A last group of 1: canonical, 2^(7 (groups - 1)) plus the
             * lower groups of all ones. */
            build(buf, groups, 0x7f, 0x01);
            uint64_t top = UINT64_C(1) << (7 * (groups - 1));
            uint64_t want = (top - 1) | top;
            assert_int_equal(lead__varint_get(buf, groups + pad, &x), groups);
            assert_true(x == want);
        }
    }
    unsigned char buf[24];
    uint64_t x = 0;
    /* Ten bytes whose last holds more than the top bit of 64. */
    build(buf, LEAD__VARINT_MAX, 0x7f, 0x02);
    memset(buf + LEAD__VARINT_MAX, 0, sizeof buf - LEAD__VARINT_MAX);
    assert_int_equal(lead__varint_get(buf, sizeof buf, &x), 0);
    /* Eleven bytes: too long whatever follows. */
    build(buf, LEAD__VARINT_MAX + 1, 0x00, 0x01);
    assert_int_equal(lead__varint_get(buf, sizeof buf, &x), 0);
    /* Nothing to read. */
    assert_int_equal(lead__varint_get(buf, 0, &x), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_length_reads_in_place_and_short),
        cmocka_unit_test(known_values),
        cmocka_unit_test(overlong_and_out_of_range_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
