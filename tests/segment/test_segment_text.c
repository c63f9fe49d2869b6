/* The segment text format: canonical round trip, errors with line and
 * column, limits, arbitrary bytes, allocation failures. */
#include "lead_test.h"
#include "segment_fixture.h"

#include <stdio.h>

static char *format_all(const lead_segment *seg)
{
    size_t need = 0;
    assert_int_equal(lead_segment_format(seg, NULL, 0, &need), LEAD_ELIMIT);
    char *buf = malloc(need + 1);
    assert_non_null(buf);
    size_t len = 0;
    assert_int_equal(lead_segment_format(seg, buf, need + 1, &len), LEAD_OK);
    assert_int_equal(len, need);
    assert_int_equal(strlen(buf), len);
    return buf;
}

static void example_round_trips_byte_for_byte(void **state)
{
    (void)state;
    int rc;
    lead_segment *seg = parse_text(NULL, example_segment, &rc);
    assert_int_equal(rc, LEAD_OK);
    size_t n = 0;
    assert_int_equal(lead_segment_condition_count(seg, &n), LEAD_OK);
    assert_int_equal(n, 14);
    const char *name = NULL;
    assert_int_equal(lead_segment_name(seg, &name), LEAD_OK);
    assert_string_equal(name, "EMEA tech leaders ready for sales");
    char *text = format_all(seg);
    assert_string_equal(text, example_segment);

    char small[16];
    size_t len = 0;
    assert_int_equal(lead_segment_format(seg, small, sizeof small, &len), LEAD_ELIMIT);
    assert_int_equal(len, strlen(example_segment));
    assert_int_equal(small[15], '\0');
    free(text);
    lead_segment_free(seg);
}

static void docs_show_the_tested_example(void **state)
{
    (void)state;
    FILE *f = fopen("../../docs/segments.md", "rb");
    assert_non_null(f);
    static char doc[64 * 1024];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    char fenced[sizeof example_segment + 16];
    snprintf(fenced, sizeof fenced, "```text\n%s```\n", example_segment);
    assert_non_null(strstr(doc, fenced));
}

static void loose_text_formats_canonically(void **state)
{
    (void)state;
    static const char loose[] =
        "# who to call\r\n"
        "\n"
        "  liblead-segment   1  # header\r\n"
        "did  meeting at-least 1 within 36h property \"room\" \"a\\\"b\" campaign \"q1\" "
        "channel \"events\"\n"
        "\tnot   any # a group\n"
        "grade \"fit\" F B A\n"
        "  consent  sms bounced not-set\n"
        "all\n"
        "end\n"
        "stage is disqualified\n"
        "score \"m\\\\x\" behaviour * -3\n"
        "end\n"
        "name \"late name\"\n"
        "did visit within 1500ms\n"
        "did visit within 120m\n";
    static const char canonical[] =
        "liblead-segment 1\n"
        "name \"late name\"\n"
        "did meeting channel \"events\" campaign \"q1\" property \"room\" \"a\\\"b\" within 36h\n"
        "not any\n"
        "  grade \"fit\" A B F\n"
        "  consent sms not-set bounced\n"
        "  all\n"
        "  end\n"
        "  stage is disqualified\n"
        "  score \"m\\\\x\" behaviour * -3\n"
        "end\n"
        "did visit within 1500ms\n"
        "did visit within 2h\n";
    int rc;
    lead_segment *seg = parse_text(NULL, loose, &rc);
    assert_int_equal(rc, LEAD_OK);
    char *text = format_all(seg);
    assert_string_equal(text, canonical);
    assert_int_equal(lead_segment_parse(seg, text, strlen(text)), LEAD_OK);
    char *again = format_all(seg);
    assert_string_equal(again, canonical);
    free(text);
    free(again);
    lead_segment_free(seg);
}

static void empty_segments(void **state)
{
    (void)state;
    lead_segment *seg = NULL;
    assert_int_equal(lead_segment_new(&seg, NULL), LEAD_OK);
    char *text = format_all(seg);
    assert_string_equal(text, "liblead-segment 1\n");
    free(text);
    size_t n = 99;
    assert_int_equal(lead_segment_condition_count(seg, &n), LEAD_OK);
    assert_int_equal(n, 0);
    const char *name = NULL;
    assert_int_equal(lead_segment_name(seg, &name), LEAD_OK);
    assert_string_equal(name, "");
    assert_int_equal(lead_segment_parse(seg, "liblead-segment 1", 17), LEAD_OK);
    text = format_all(seg);
    assert_string_equal(text, "liblead-segment 1\n");
    free(text);
    lead_segment_free(seg);
}

typedef struct bad_case {
    const char *text;
    int rc;
    uint32_t line, col;
    const char *msg;
} bad_case;

#define H "liblead-segment 1\n"

static void errors_say_where_and_why(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", LEAD_EFORMAT, 0, 0, "empty segment: expected the header liblead-segment 1"},
        {"# only a comment\n", LEAD_EFORMAT, 0, 0,
         "empty segment: expected the header liblead-segment 1"},
        {"liblead-score 1\n", LEAD_EFORMAT, 1, 1, "expected the header liblead-segment 1"},
        {"liblead-segment 2\n", LEAD_ELIMIT, 1, 17, "number out of range [1, 1]"},
        {"liblead-segment\n", LEAD_EFORMAT, 1, 16, "expected the format version 1"},
        {H "name \"a\"\nname \"b\"\n", LEAD_EFORMAT, 3, 1, "name given twice"},
        {H "name b\n", LEAD_EFORMAT, 2, 6, "expected a name in double quotes"},
        {H "bogus\n", LEAD_EFORMAT, 2, 1,
         "expected name, all, any, end, field, stage, score, grade, consent or did"},
        {H "not\n", LEAD_EFORMAT, 2, 4, "expected a condition after not"},
        {H "not not field a exists\n", LEAD_EFORMAT, 2, 5,
         "expected all, any, field, stage, score, grade, consent or did after not"},
        {H "not end\n", LEAD_EFORMAT, 2, 5,
         "expected all, any, field, stage, score, grade, consent or did after not"},
        {H "end\n", LEAD_EFORMAT, 2, 1, "end without an open all or any"},
        {H "any\n  all\nend\n", LEAD_EFORMAT, 2, 1, "all or any without end"},
        {H "all\n  not any\n  end\n", LEAD_EFORMAT, 2, 1, "all or any without end"},
        {H "all extra\n", LEAD_EFORMAT, 2, 5, "unexpected text at the end of the line"},
        {H "end\n", LEAD_EFORMAT, 2, 1, "end without an open all or any"},
        {H "field 9x exists\n", LEAD_EFORMAT, 2, 7,
         "expected a field name (a name starting with a letter)"},
        {H "field title like \"x\"\n", LEAD_EFORMAT, 2, 13,
         "expected equals, one-of, contains, range, exists or missing"},
        {H "field title equals \"a\" \"b\"\n", LEAD_EFORMAT, 2, 24, "equals takes one value"},
        {H "field title one-of\n", LEAD_EFORMAT, 2, 19, "expected a value in double quotes"},
        {H "field n range * *\n", LEAD_EFORMAT, 2, 14, "a range needs at least one bound"},
        {H "field n range 5 2\n", LEAD_EFORMAT, 2, 14, "range lower bound above upper bound"},
        {H "field n exists \"x\"\n", LEAD_EFORMAT, 2, 16, "unexpected text at the end of the line"},
        {H "field t equals \"a\n", LEAD_EFORMAT, 2, 16, "unterminated string"},
        {H "field t equals \"a\\n\"\n", LEAD_EFORMAT, 2, 18,
         "only \\\" and \\\\ escapes are allowed"},
        {H "field t equals \"\xC3\x28\"\n", LEAD_EUTF8, 2, 17, "invalid UTF-8 in a string"},
        {H "field t equals \"a\"b\n", LEAD_EFORMAT, 2, 19, "expected a space after a string"},
        {H "stage was mql\n", LEAD_EFORMAT, 2, 7, "expected is, at-least or at-most"},
        {H "stage is\n", LEAD_EFORMAT, 2, 9, "expected a stage"},
        {H "stage is vip\n", LEAD_EFORMAT, 2, 10, "expected a stage name such as lead, mql or sql"},
        {H "stage at-least other\n", LEAD_EFORMAT, 2, 16,
         "at-least and at-most take a stage from subscriber to evangelist"},
        {H "stage at-most recycled\n", LEAD_EFORMAT, 2, 15,
         "at-least and at-most take a stage from subscriber to evangelist"},
        {H "score default total 1 2\n", LEAD_EFORMAT, 2, 7,
         "expected a model name in double quotes"},
        {H "score \"d\" grade 1 2\n", LEAD_EFORMAT, 2, 11, "expected fit, behaviour or total"},
        {H "score \"d\" fit 1\n", LEAD_EFORMAT, 2, 16, "expected a bound or *"},
        {H "score \"d\" fit x 3\n", LEAD_EFORMAT, 2, 15, "expected an integer"},
        {H "grade \"d\"\n", LEAD_EFORMAT, 2, 10, "expected a grade A, B, C, D or F"},
        {H "grade \"d\" A E\n", LEAD_EFORMAT, 2, 13, "expected a grade A, B, C, D or F"},
        {H "grade \"d\" A A\n", LEAD_EFORMAT, 2, 13, "grade given twice"},
        {H "consent email\n", LEAD_EFORMAT, 2, 14,
         "expected not-set, pending, subscribed, unsubscribed or bounced"},
        {H "consent email opted-in\n", LEAD_EFORMAT, 2, 15,
         "expected not-set, pending, subscribed, unsubscribed or bounced"},
        {H "consent email pending pending\n", LEAD_EFORMAT, 2, 23, "state given twice"},
        {H "consent \"email\" pending\n", LEAD_EFORMAT, 2, 9,
         "expected a purpose, not a string"},
        {H "did\n", LEAD_EFORMAT, 2, 4, "expected an event type"},
        {H "did open times 3\n", LEAD_EFORMAT, 2, 10,
         "expected channel, campaign, property, at-least or within"},
        {H "did open at-least 0\n", LEAD_ELIMIT, 2, 19, "number out of range [1, 1000000]"},
        {H "did open within 0d\n", LEAD_ELIMIT, 2, 17, "number out of range [1, 36600]"},
        {H "did open within none\n", LEAD_EFORMAT, 2, 17,
         "expected a duration like 7d, 12h, 30m, 10s or 500ms"},
        {H "did open within 3w\n", LEAD_EFORMAT, 2, 17,
         "expected a duration like 7d, 12h, 30m, 10s or 500ms"},
        {H "did open channel \"a\" channel \"b\"\n", LEAD_EFORMAT, 2, 22, "option given twice"},
        {H "did open property \"a\"\n", LEAD_EFORMAT, 2, 22, "expected a property value"},
        {H "did open @\n", LEAD_EFORMAT, 2, 10, "unexpected character"},
    };
    lead_segment *seg = NULL;
    assert_int_equal(lead_segment_new(&seg, NULL), LEAD_OK);
    assert_int_equal(lead_segment_parse(seg, example_segment, strlen(example_segment)), LEAD_OK);
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        int rc = lead_segment_parse(seg, c->text, strlen(c->text));
        uint32_t line = 99, col = 99;
        const char *msg = NULL;
        assert_int_equal(lead_segment_error(seg, &line, &col, &msg), LEAD_OK);
        if (rc != c->rc || line != c->line || col != c->col || strcmp(msg, c->msg) != 0) {
            print_error("case %zu: got %d at %u:%u \"%s\"\n", i, rc, line, col, msg);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    /* Failures left the example in place. */
    char *text = format_all(seg);
    assert_string_equal(text, example_segment);
    free(text);

    static const char nul[] = "liblead-segment 1\nname \"a\0b\"\n";
    assert_int_equal(lead_segment_parse(seg, nul, sizeof nul - 1), LEAD_EFORMAT);
    uint32_t line = 0, col = 0;
    const char *msg = NULL;
    lead_segment_error(seg, &line, &col, &msg);
    assert_int_equal(line, 2);
    assert_int_equal(col, 8);
    assert_string_equal(msg, "NUL byte");

    assert_int_equal(lead_segment_parse(seg, H, strlen(H)), LEAD_OK);
    lead_segment_error(seg, &line, &col, &msg);
    assert_int_equal(line, 0);
    assert_int_equal(col, 0);
    assert_string_equal(msg, "");
    lead_segment_free(seg);
}

static void limits_are_enforced(void **state)
{
    (void)state;
    lead_segment *seg = NULL;
    assert_int_equal(lead_segment_new(&seg, NULL), LEAD_OK);
    /* 32 nested groups are fine, a 33rd is not. */
    char text[1024];
    size_t n = (size_t)snprintf(text, sizeof text, H);
    for (int i = 0; i < 32; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "any\n");
    for (int i = 0; i < 32; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "end\n");
    assert_int_equal(lead_segment_parse(seg, text, n), LEAD_OK);
    n = (size_t)snprintf(text, sizeof text, H);
    for (int i = 0; i < 33; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "  all\n");
    assert_int_equal(lead_segment_parse(seg, text, n), LEAD_ELIMIT);
    uint32_t line = 0, col = 0;
    const char *msg = NULL;
    lead_segment_error(seg, &line, &col, &msg);
    assert_int_equal(line, 34);
    assert_int_equal(col, 3);
    assert_string_equal(msg, "groups nested deeper than 32");

    /* 4096 conditions are fine, a 4097th is not. */
    size_t cap = 32 + 4097 * 7;
    char *many = malloc(cap);
    assert_non_null(many);
    n = (size_t)snprintf(many, cap, H);
    for (int i = 0; i < 4096; i++)
        n += (size_t)snprintf(many + n, cap - n, "did a\n");
    assert_int_equal(lead_segment_parse(seg, many, n), LEAD_OK);
    n += (size_t)snprintf(many + n, cap - n, "  did b\n");
    assert_int_equal(lead_segment_parse(seg, many, n), LEAD_ELIMIT);
    lead_segment_error(seg, &line, &col, &msg);
    assert_int_equal(line, 4098);
    assert_int_equal(col, 3);
    assert_string_equal(msg, "more than 4096 conditions");
    free(many);
    lead_segment_free(seg);
}

static void string_limit_counts_decoded_bytes(void **state)
{
    (void)state;
    lead_segment *seg = NULL;
    assert_int_equal(lead_segment_new(&seg, NULL), LEAD_OK);
    static char text[4096];
    uint32_t line = 0, col = 0;
    const char *msg = NULL;

    /* 1023 'x' and one \" decode to 1023 + 1 = 1024 bytes (1025 bytes of text): accepted. */
    size_t n = lt_quoted_line(text, sizeof text, H "name \"", 1023, 1, "\\\"");
    assert_int_equal(lead_segment_parse(seg, text, n), LEAD_OK);
    const char *name = NULL;
    assert_int_equal(lead_segment_name(seg, &name), LEAD_OK);
    assert_int_equal(strlen(name), 1024);
    assert_int_equal(name[1022], 'x');
    assert_int_equal(name[1023], '"');
    /* 1024 'x' and one \" decode to 1025 bytes: refused at the opening quote, column 6. */
    n = lt_quoted_line(text, sizeof text, H "name \"", 1024, 1, "\\\"");
    assert_int_equal(lead_segment_parse(seg, text, n), LEAD_ELIMIT);
    lead_segment_error(seg, &line, &col, &msg);
    assert_int_equal(line, 2);
    assert_int_equal(col, 6);
    assert_string_equal(msg, "string longer than 1024 bytes");

    /* 1024 \\ decode to 1024 backslashes (2048 bytes of text): accepted; 1025 are not.
     * "field dir equals " is 17 bytes, so the quote is at column 18. */
    n = lt_quoted_line(text, sizeof text, H "field dir equals \"", 0, 1024, "\\\\");
    assert_int_equal(lead_segment_parse(seg, text, n), LEAD_OK);
    n = lt_quoted_line(text, sizeof text, H "field dir equals \"", 0, 1025, "\\\\");
    assert_int_equal(lead_segment_parse(seg, text, n), LEAD_ELIMIT);
    lead_segment_error(seg, &line, &col, &msg);
    assert_int_equal(line, 2);
    assert_int_equal(col, 18);
    assert_string_equal(msg, "string longer than 1024 bytes");
    lead_segment_free(seg);
}

static void arguments_are_checked(void **state)
{
    (void)state;
    lead_segment *seg = (lead_segment *)1;
    assert_int_equal(lead_segment_new(NULL, NULL), LEAD_EINVAL);
    lead_allocator bad = LEAD_ALLOCATOR_INIT;
    assert_int_equal(lead_segment_new(&seg, &bad), LEAD_EINVAL);
    assert_null(seg);
    lead_segment_free(NULL);
    assert_int_equal(lead_segment_parse(NULL, "", 0), LEAD_EINVAL);
    assert_int_equal(lead_segment_new(&seg, NULL), LEAD_OK);
    assert_int_equal(lead_segment_parse(seg, NULL, 1), LEAD_EINVAL);
    assert_int_equal(lead_segment_parse(seg, NULL, 0), LEAD_EFORMAT);
    size_t len;
    char buf[4];
    assert_int_equal(lead_segment_format(NULL, buf, 4, &len), LEAD_EINVAL);
    assert_int_equal(lead_segment_format(seg, NULL, 4, &len), LEAD_EINVAL);
    assert_int_equal(lead_segment_format(seg, buf, 4, NULL), LEAD_EINVAL);
    assert_int_equal(lead_segment_error(NULL, NULL, NULL, NULL), LEAD_EINVAL);
    assert_int_equal(lead_segment_error(seg, NULL, NULL, NULL), LEAD_OK);
    const char *name;
    assert_int_equal(lead_segment_name(NULL, &name), LEAD_EINVAL);
    assert_int_equal(lead_segment_name(seg, NULL), LEAD_EINVAL);
    size_t count;
    assert_int_equal(lead_segment_condition_count(NULL, &count), LEAD_EINVAL);
    assert_int_equal(lead_segment_condition_count(seg, NULL), LEAD_EINVAL);
    assert_string_equal(lead_consent_state_name(LEAD_CONSENT_NOT_SET), "not-set");
    assert_string_equal(lead_consent_state_name(LEAD_CONSENT_BOUNCED), "bounced");
    assert_null(lead_consent_state_name(5));
    assert_null(lead_consent_state_name(-1));
    lead_segment_free(seg);
}

static int parse_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    int rc;
    lead_segment *seg = parse_text(alloc, example_segment, &rc);
    if (rc == LEAD_OK) {
        /* A failing re-parse keeps the old definition. */
        rc = lead_segment_parse(seg, example_segment, strlen(example_segment));
        char buf[1024];
        size_t len = 0;
        if (rc == LEAD_OK && (lead_segment_format(seg, buf, sizeof buf, &len) != LEAD_OK ||
                              strcmp(buf, example_segment) != 0))
            rc = LEAD_ESTATE;
        if (rc == LEAD_ENOMEM && (lead_segment_format(seg, buf, sizeof buf, &len) != LEAD_OK ||
                                  strcmp(buf, example_segment) != 0))
            rc = LEAD_ESTATE;
    }
    lead_segment_free(seg);
    return rc;
}

static void parse_alloc_sweep(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(parse_scenario, NULL, LEAD_OK) > 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_round_trips_byte_for_byte),
        cmocka_unit_test(docs_show_the_tested_example),
        cmocka_unit_test(loose_text_formats_canonically),
        cmocka_unit_test(empty_segments),
        cmocka_unit_test(errors_say_where_and_why),
        cmocka_unit_test(limits_are_enforced),
        cmocka_unit_test(string_limit_counts_decoded_bytes),
        cmocka_unit_test(arguments_are_checked),
        cmocka_unit_test(parse_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
