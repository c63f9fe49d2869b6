/* The scoring model text format: canonical round trip, errors with line and
 * column, limits, arbitrary bytes, allocation failures. */
#include "lead_test.h"
#include "score_fixture.h"

#include <stdio.h>
#include <stdlib.h>

static char *format_all(const lead_score_model *m)
{
    size_t need = 0;
    assert_int_equal(lead_score_model_format(m, NULL, 0, &need), LEAD_ELIMIT);
    char *buf = malloc(need + 1);
    assert_non_null(buf);
    size_t len = 0;
    assert_int_equal(lead_score_model_format(m, buf, need + 1, &len), LEAD_OK);
    assert_int_equal(len, need);
    assert_int_equal(strlen(buf), len);
    return buf;
}

static void example_round_trips_byte_for_byte(void **state)
{
    (void)state;
    int rc;
    lead_score_model *m = example_parse(NULL, &rc);
    assert_int_equal(rc, LEAD_OK);
    size_t nfit = 0, nbeh = 0;
    assert_int_equal(lead_score_model_rule_counts(m, &nfit, &nbeh), LEAD_OK);
    assert_int_equal(nfit, 6);
    assert_int_equal(nbeh, 5);
    char *text = format_all(m);
    assert_string_equal(text, example_model);

    /* A buffer one byte short is refused but still told the length. */
    char small[16];
    size_t len = 0;
    assert_int_equal(lead_score_model_format(m, small, sizeof small, &len), LEAD_ELIMIT);
    assert_int_equal(len, strlen(example_model));
    assert_int_equal(small[15], '\0');
    free(text);
    lead_score_model_free(m);
}

static void docs_show_the_tested_example(void **state)
{
    (void)state;
    FILE *f = fopen("../../docs/scoring-model.md", "rb");
    assert_non_null(f);
    static char doc[64 * 1024];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    char fenced[sizeof example_model + 16];
    snprintf(fenced, sizeof fenced, "```text\n%s```\n", example_model);
    assert_non_null(strstr(doc, fenced));
}

static void loose_text_formats_canonically(void **state)
{
    (void)state;
    static const char loose[] =
        "# a comment line\r\n"
        "\n"
        "   liblead-score   1   # header\r\n"
        "stage sql bant 2 grade B\n"
        "behaviour 7 meeting half-life 36h cap 1 campaign \"q\\\"1\" channel \"events\"\n"
        "fit need 3 pains contains \"slow\"\n"
        "\thalf-life 48h\n"
        "behaviour -5 email_bounce cap 2 half-life 90m\n"
        "behaviour 1 page_view cap 4 per 1500ms\n"
        "grade D 0\n"
        "bant need 3\n"
        "behaviour-floor -7\n"
        "fit profile 1 revenue range * -3\n";
    static const char canonical[] =
        "liblead-score 1\n"
        "half-life 2d\n"
        "grade A 80\n"
        "grade B 60\n"
        "grade C 40\n"
        "grade D 0\n"
        "bant budget 1\n"
        "bant authority 1\n"
        "bant need 3\n"
        "bant timeline 1\n"
        "fit need 3 pains contains \"slow\"\n"
        "fit profile 1 revenue range * -3\n"
        "behaviour 7 meeting channel \"events\" campaign \"q\\\"1\" once half-life 36h\n"
        "behaviour -5 email_bounce cap 2 half-life 90m\n"
        "behaviour 1 page_view cap 4 per 1500ms\n"
        "behaviour-floor -7\n"
        "stage sql bant 2 grade B\n";
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    assert_int_equal(lead_score_model_parse(m, loose, strlen(loose)), LEAD_OK);
    char *text = format_all(m);
    assert_string_equal(text, canonical);
    assert_int_equal(lead_score_model_parse(m, text, strlen(text)), LEAD_OK);
    char *again = format_all(m);
    assert_string_equal(again, canonical);
    free(text);
    free(again);
    lead_score_model_free(m);
}

static void empty_model_formats_defaults(void **state)
{
    (void)state;
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    char *text = format_all(m);
    assert_string_equal(text, "liblead-score 1\nhalf-life none\ngrade A 80\ngrade B 60\n"
                              "grade C 40\ngrade D 20\nbant budget 1\nbant authority 1\n"
                              "bant need 1\nbant timeline 1\n");
    free(text);
    lead_score_model_free(m);
}

typedef struct bad_case {
    const char *text;
    int rc;
    uint32_t line, col;
    const char *msg;
} bad_case;

static void errors_name_line_and_column(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", LEAD_EFORMAT, 0, 0, "empty model: expected the header liblead-score 1"},
        {"# nothing\n", LEAD_EFORMAT, 0, 0, "empty model: expected the header liblead-score 1"},
        {"name \"x\"\n", LEAD_EFORMAT, 1, 1, "expected the header liblead-score 1"},
        {"liblead-score 2\n", LEAD_ELIMIT, 1, 15, "number out of range [1, 1]"},
        {"liblead-score 1\nhalf-life 7w\n", LEAD_EFORMAT, 2, 11,
         "expected a duration like 7d, 12h, 30m, 10s, 500ms or none"},
        {"liblead-score 1\nfit money 5 x exists\n", LEAD_EFORMAT, 2, 5,
         "expected budget, authority, need, timeline or profile"},
        {"liblead-score 1\nfit budget 5 x between 1 2\n", LEAD_EFORMAT, 2, 16,
         "expected equals, one-of, contains, range, exists or missing"},
        {"liblead-score 1\nfit budget 5 x equals \"a\" \"b\"\n", LEAD_EFORMAT, 2, 27,
         "equals takes one value"},
        {"liblead-score 1\nfit budget 5 x range 9 3\n", LEAD_EFORMAT, 2, 21,
         "range lower bound above upper bound"},
        {"liblead-score 1\nfit budget 5 x range * *\n", LEAD_EFORMAT, 2, 21,
         "a range needs at least one bound"},
        {"liblead-score 1\nfit budget 5000000 x exists\n", LEAD_ELIMIT, 2, 12,
         "number out of range [-1000000, 1000000]"},
        {"liblead-score 1\nbehaviour 5 open cap 101\n", LEAD_ELIMIT, 2, 22,
         "number out of range [1, 100]"},
        {"liblead-score 1\nbehaviour 5 open once once\n", LEAD_EFORMAT, 2, 23,
         "option given twice"},
        {"liblead-score 1\nbehaviour 5 open channel paid\n", LEAD_EFORMAT, 2, 26,
         "expected a channel in double quotes"},
        {"liblead-score 1\nbehaviour 5 \"open\"\n", LEAD_EFORMAT, 2, 13,
         "expected an event type, not a string"},
        {"liblead-score 1\nbehaviour 5 9open\n", LEAD_EFORMAT, 2, 13,
         "expected an event type (a name starting with a letter)"},
        {"liblead-score 1\nname \"abc\n", LEAD_EFORMAT, 2, 6, "unterminated string"},
        {"liblead-score 1\nname \"a\\nb\"\n", LEAD_EFORMAT, 2, 8,
         "only \\\" and \\\\ escapes are allowed"},
        {"liblead-score 1\nname \"a\xff\"\n", LEAD_EUTF8, 2, 8, "invalid UTF-8 in a string"},
        {"liblead-score 1\nname \"\xed\xa0\x80\"\n", LEAD_EUTF8, 2, 7, "invalid UTF-8 in a string"},
        {"liblead-score 1\nname \"a\"x\n", LEAD_EFORMAT, 2, 9, "expected a space after a string"},
        {"liblead-score 1\nname \"a\"\nname \"b\"\n", LEAD_EFORMAT, 3, 1, "name given twice"},
        {"liblead-score 1\nstage mql\n", LEAD_EFORMAT, 2, 10,
         "a stage needs at least one condition"},
        {"liblead-score 1\nstage winner fit 3\n", LEAD_EFORMAT, 2, 7,
         "expected subscriber, lead, mql, sql, opportunity, customer or evangelist"},
        {"liblead-score 1\nstage mql fit 101\n", LEAD_ELIMIT, 2, 15,
         "number out of range [0, 100]"},
        {"liblead-score 1\nstage mql grade E\n", LEAD_EFORMAT, 2, 17,
         "expected a grade A, B, C, D or F"},
        {"liblead-score 1\ngrade A 50\ngrade B 70\n", LEAD_EFORMAT, 0, 0,
         "grade bands must not increase from A to D"},
        {"liblead-score 1\nbehaviour-cap 5\nbehaviour-floor 6\n", LEAD_EFORMAT, 0, 0,
         "behaviour-cap is below behaviour-floor"},
        {"liblead-score 1\nhalf-life 7d 8d\n", LEAD_EFORMAT, 2, 14,
         "unexpected text at the end of the line"},
        {"liblead-score 1\nbogus\n", LEAD_EFORMAT, 2, 1, "unknown directive"},
        {"liblead-score 1\nname @\n", LEAD_EFORMAT, 2, 6, "unexpected character"},
        {"liblead-score 1\nhalf-life 36601d\n", LEAD_ELIMIT, 2, 11,
         "number out of range [1, 36600]"},
        /* Digits beyond 64 bits are out of range too, not a syntax error. */
        {"liblead-score 1\nhalf-life 99999999999999999999d\n", LEAD_ELIMIT, 2, 11,
         "number out of range [1, 36600]"},
        {"liblead-score 1\nfit budget 99999999999999999999 x exists\n", LEAD_ELIMIT, 2, 12,
         "number out of range [-1000000, 1000000]"},
        {"liblead-score 1\nfit budget -99999999999999999999 x exists\n", LEAD_ELIMIT, 2, 12,
         "number out of range [-1000000, 1000000]"},
        /* Sums of many rules' points have a limit of their own. */
        {"liblead-score 1\nbehaviour-cap 1000000001\n", LEAD_ELIMIT, 2, 15,
         "number out of range [-1000000000, 1000000000]"},
        {"liblead-score 1\nbehaviour-floor -1000000001\n", LEAD_ELIMIT, 2, 17,
         "number out of range [-1000000000, 1000000000]"},
        {"liblead-score 1\nstage sql total 1000000001\n", LEAD_ELIMIT, 2, 17,
         "number out of range [-1000000000, 1000000000]"},
        {"liblead-score 1\nstage mql behaviour -1000000001\n", LEAD_ELIMIT, 2, 21,
         "number out of range [-1000000000, 1000000000]"},
    };
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    assert_int_equal(lead_score_model_parse(m, example_model, strlen(example_model)), LEAD_OK);
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        int rc = lead_score_model_parse(m, c->text, strlen(c->text));
        uint32_t line = 99, col = 99;
        const char *msg = NULL;
        assert_int_equal(lead_score_model_error(m, &line, &col, &msg), LEAD_OK);
        if (rc != c->rc || line != c->line || col != c->col || strcmp(msg, c->msg) != 0) {
            print_error("case %zu: got %d at %u:%u \"%s\"\n", i, rc, line, col, msg);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    /* Failures left the example in place. */
    char *text = format_all(m);
    assert_string_equal(text, example_model);
    free(text);

    /* An embedded NUL byte. */
    static const char nul[] = "liblead-score 1\nname \"a\0b\"\n";
    assert_int_equal(lead_score_model_parse(m, nul, sizeof nul - 1), LEAD_EFORMAT);
    uint32_t line = 0, col = 0;
    const char *msg = NULL;
    lead_score_model_error(m, &line, &col, &msg);
    assert_int_equal(line, 2);
    assert_int_equal(col, 8);
    assert_string_equal(msg, "NUL byte");

    /* At the limits of sums: accepted. */
    static const char sums[] = "liblead-score 1\nbehaviour-cap 1000000000\n"
                               "behaviour-floor -1000000000\nstage sql total 1000000000\n"
                               "stage mql behaviour -1000000000\n";
    assert_int_equal(lead_score_model_parse(m, sums, sizeof sums - 1), LEAD_OK);

    /* Success clears the error. */
    assert_int_equal(lead_score_model_parse(m, "liblead-score 1", 15), LEAD_OK);
    lead_score_model_error(m, &line, &col, &msg);
    assert_int_equal(line, 0);
    assert_string_equal(msg, "");
    lead_score_model_free(m);
}

static void string_limit_counts_decoded_bytes(void **state)
{
    (void)state;
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    static char text[4096];
    uint32_t line = 0, col = 0;
    const char *msg = NULL;

    /* 1023 'x' and one \" decode to 1023 + 1 = 1024 bytes (1025 bytes of text): accepted,
     * and the canonical text writes the same escape back. */
    size_t n = lt_quoted_line(text, sizeof text, "liblead-score 1\nname \"", 1023, 1, "\\\"");
    assert_int_equal(lead_score_model_parse(m, text, n), LEAD_OK);
    char *out = format_all(m);
    assert_memory_equal(out, text, n);
    free(out);
    /* 1024 'x' and one \" decode to 1025 bytes: refused at the opening quote, column 6. */
    n = lt_quoted_line(text, sizeof text, "liblead-score 1\nname \"", 1024, 1, "\\\"");
    assert_int_equal(lead_score_model_parse(m, text, n), LEAD_ELIMIT);
    lead_score_model_error(m, &line, &col, &msg);
    assert_int_equal(line, 2);
    assert_int_equal(col, 6);
    assert_string_equal(msg, "string longer than 1024 bytes");

    /* 1024 \\ decode to 1024 backslashes (2048 bytes of text): accepted; 1025 are not.
     * "fit need 1 dir contains " is 24 bytes, so the quote is at column 25. */
    n = lt_quoted_line(text, sizeof text, "liblead-score 1\nfit need 1 dir contains \"", 0, 1024,
                    "\\\\");
    assert_int_equal(lead_score_model_parse(m, text, n), LEAD_OK);
    n = lt_quoted_line(text, sizeof text, "liblead-score 1\nfit need 1 dir contains \"", 0, 1025,
                    "\\\\");
    assert_int_equal(lead_score_model_parse(m, text, n), LEAD_ELIMIT);
    lead_score_model_error(m, &line, &col, &msg);
    assert_int_equal(line, 2);
    assert_int_equal(col, 25);
    assert_string_equal(msg, "string longer than 1024 bytes");
    lead_score_model_free(m);
}

static void arguments_are_checked(void **state)
{
    (void)state;
    lead_score_model *m = (lead_score_model *)1;
    assert_int_equal(lead_score_model_new(NULL, NULL), LEAD_EINVAL);
    lead_allocator bad = LEAD_ALLOCATOR_INIT;
    assert_int_equal(lead_score_model_new(&m, &bad), LEAD_EINVAL);
    assert_null(m);
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    size_t len;
    char buf[4];
    assert_int_equal(lead_score_model_parse(NULL, "", 0), LEAD_EINVAL);
    assert_int_equal(lead_score_model_parse(m, NULL, 1), LEAD_EINVAL);
    assert_int_equal(lead_score_model_parse(m, NULL, 0), LEAD_EFORMAT);
    assert_int_equal(lead_score_model_format(NULL, buf, 4, &len), LEAD_EINVAL);
    assert_int_equal(lead_score_model_format(m, buf, 4, NULL), LEAD_EINVAL);
    assert_int_equal(lead_score_model_format(m, NULL, 4, &len), LEAD_EINVAL);
    assert_int_equal(lead_score_model_error(NULL, NULL, NULL, NULL), LEAD_EINVAL);
    assert_int_equal(lead_score_model_rule_counts(NULL, NULL, NULL), LEAD_EINVAL);
    lead_score_model_free(m);
    lead_score_model_free(NULL);
}

/* Deterministic mutations of the example: flipped, dropped, duplicated and
 * random bytes. Nothing may crash (the sanitizer build checks memory), and
 * every outcome is a defined status; a success must format to text that
 * parses back to itself. */
static void any_bytes_are_safe(void **state)
{
    (void)state;
    uint64_t seed = 0x9E3779B97F4A7C15u;
    size_t base = strlen(example_model);
    char *buf = malloc(base * 2 + 64);
    assert_non_null(buf);
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    long ok = 0;
    for (int round = 0; round < 4000; round++) {
        memcpy(buf, example_model, base);
        size_t len = base;
        int edits = 1 + round % 8;
        for (int e = 0; e < edits; e++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            size_t at = (size_t)(seed % len);
            unsigned char byte = (unsigned char)(seed >> 32);
            switch ((seed >> 40) % 4) {
            case 0: buf[at] = (char)byte; break;
            case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break;
            case 2:
                memmove(buf + at + 1, buf + at, len - at);
                len++;
                break;
            default: buf[at] = "\"\\ \n#*-0"[byte % 8]; break;
            }
        }
        int rc = lead_score_model_parse(m, buf, len);
        assert_true(rc == LEAD_OK || rc == LEAD_EFORMAT || rc == LEAD_ELIMIT || rc == LEAD_EUTF8);
        if (rc == LEAD_OK) {
            ok++;
            char *text = format_all(m);
            assert_int_equal(lead_score_model_parse(m, text, strlen(text)), LEAD_OK);
            char *again = format_all(m);
            assert_string_equal(text, again);
            free(text);
            free(again);
        }
    }
    assert_true(ok > 0);
    free(buf);
    lead_score_model_free(m);
}

static int parse_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    int rc;
    lead_score_model *m = example_parse(alloc, &rc);
    if (rc == LEAD_OK) {
        /* A failed re-parse must keep the first definition whole. */
        rc = lead_score_model_parse(m, example_model, strlen(example_model));
        size_t len = 0;
        if (lead_score_model_format(m, NULL, 0, &len) != LEAD_ELIMIT ||
            len != strlen(example_model))
            rc = LEAD_ESTATE;
    }
    lead_score_model_free(m);
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
        cmocka_unit_test(empty_model_formats_defaults),
        cmocka_unit_test(errors_name_line_and_column),
        cmocka_unit_test(string_limit_counts_decoded_bytes),
        cmocka_unit_test(arguments_are_checked),
        cmocka_unit_test(any_bytes_are_safe),
        cmocka_unit_test(parse_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
