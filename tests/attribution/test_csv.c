/* CSV readers: the path-level (ChannelAttribution) and touch-level formats,
 * every malformed input with its line number, rollback, allocation failure. */
#include "lead_test.h"

#include <stdio.h>
#include <string.h>

static lead_journey_set *new_set(void)
{
    lead_journey_set *set = NULL;
    assert_int_equal(lead_journey_set_new(&set, NULL), LEAD_OK);
    return set;
}

static int read_paths(lead_journey_set *set, const char *doc, const char *sep)
{
    return lead_journey_set_read_path_csv(set, doc, strlen(doc), sep);
}

static void expect_journey(const lead_journey_set *set, size_t j, const char *path, double conv,
                           double value, double nulls)
{
    size_t n = 0;
    double c, v, nu;
    int64_t when = 0;
    assert_int_equal(lead_journey_set_journey(set, j, &n, &c, &v, &nu, &when), LEAD_OK);
    char got[256] = "";
    for (size_t i = 0; i < n; i++) {
        uint32_t ch;
        const char *name;
        assert_int_equal(lead_journey_set_touch(set, j, i, &ch, NULL, NULL, NULL), LEAD_OK);
        assert_int_equal(lead_journey_set_channel_name(set, ch, &name), LEAD_OK);
        if (i)
            strcat(got, ">");
        strcat(got, name);
    }
    assert_string_equal(got, path);
    assert_true(c == conv && v == value && nu == nulls);
    assert_true(when == LEAD_TIME_UNKNOWN);
}

static void reads_channel_attribution_paths(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    assert_int_equal(read_paths(set,
                                "path,total_conversions,total_conversion_value,total_null\n"
                                "direct,2,20.5,1\n"
                                "search > email,3,30,2\n"
                                "search > social > email,5,0.1,4\n",
                                NULL),
                     LEAD_OK);
    size_t n = 0;
    assert_int_equal(lead_journey_set_count(set, &n), LEAD_OK);
    assert_int_equal(n, 3);
    assert_int_equal(lead_journey_set_channel_count(set, &n), LEAD_OK);
    assert_int_equal(n, 4);
    expect_journey(set, 0, "direct", 2, 20.5, 1);
    expect_journey(set, 1, "search>email", 3, 30, 2);
    expect_journey(set, 2, "search>social>email", 5, 0.1, 4);
    lead_journey_set_free(set);
}

/* Names that differ only in their first byte share a slot of the reader's
 * name cache: they must still get their own ids. */
static void similar_names_keep_their_ids(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    static const char doc[] = "path,total_conversions\na1b > c1b > a1b > c1b > 1b,1\n";
    assert_int_equal(read_paths(set, doc, NULL), LEAD_OK);
    uint32_t ids[5];
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(lead_journey_set_touch(set, 0, i, &ids[i], NULL, NULL, NULL), LEAD_OK);
    assert_true(ids[0] == 0 && ids[1] == 1 && ids[2] == 0 && ids[3] == 1 && ids[4] == 2);
    lead_journey_set_free(set);
}

static void any_order_quotes_crlf_bom_separator(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    static const char doc[] = "\xEF\xBB\xBF"
                              "extra, total_null ,total_conversions,path\r\n"
                              "x,1,2,\"a \"\"big\"\" one | b\"\r\n"
                              "y,0,1.5e1,\" c,d |e \"\r\n"
                              "z,,3,f";
    assert_int_equal(lead_journey_set_read_path_csv(set, doc, sizeof doc - 1, "|"), LEAD_EFORMAT);
    assert_string_equal(lead_journey_set_errmsg(set), "line 4: total_null is not a number >= 0");
    /* A count column is never empty; fix the last row and read again. */
    static const char fixed[] = "\xEF\xBB\xBF"
                                "extra, total_null ,total_conversions,path\r\n"
                                "x,1,2,\"a \"\"big\"\" one | b\"\r\n"
                                "y,0,1.5e1,\" c,d |e \"\r\n"
                                "z,0,3,f";
    assert_int_equal(lead_journey_set_read_path_csv(set, fixed, sizeof fixed - 1, "|"), LEAD_OK);
    expect_journey(set, 0, "a \"big\" one>b", 2, 0, 1);
    expect_journey(set, 1, "c,d>e", 15, 0, 0);
    expect_journey(set, 2, "f", 3, 0, 0);
    /* A multi-character separator. */
    assert_int_equal(read_paths(set, "path,total_conversions\nu -> v->w,1\n", "->"), LEAD_OK);
    expect_journey(set, 3, "u>v>w", 1, 0, 0);
    assert_int_equal(read_paths(set, "path,total_conversions\nu,1\n", ""), LEAD_EINVAL);
    lead_journey_set_free(set);
}

/* Reads doc into a set holding one journey `x`, expects code and message,
 * and checks the set is exactly as before. */
static void expect_path_error(const char *doc, int code, const char *msg)
{
    lead_journey_set *set = new_set();
    assert_int_equal(read_paths(set, "path,total_conversions\nx,1\n", NULL), LEAD_OK);
    int rc = read_paths(set, doc, NULL);
    if (rc != code || strcmp(lead_journey_set_errmsg(set), msg) != 0)
        fail_msg("%s\ngot %d \"%s\", expected %d \"%s\"", doc, rc, lead_journey_set_errmsg(set),
                 code, msg);
    size_t n = 0;
    assert_int_equal(lead_journey_set_count(set, &n), LEAD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lead_journey_set_channel_count(set, &n), LEAD_OK);
    assert_int_equal(n, 1);
    uint32_t id;
    assert_int_equal(lead_journey_set_channel_id(set, "search", &id), LEAD_ENOTFOUND);
    /* The rolled-back names can be interned again with fresh ids. */
    assert_int_equal(read_paths(set, "path,total_conversions\nsearch>x,1\n", NULL), LEAD_OK);
    assert_int_equal(lead_journey_set_channel_id(set, "search", &id), LEAD_OK);
    assert_int_equal(id, 1);
    lead_journey_set_free(set);
}

/* A bad data row (or rows) under the header path,total_conversions,total_null. */
static void bad_rows(const char *rows, const char *msg)
{
    char doc[512];
    snprintf(doc, sizeof doc, "path,total_conversions,total_null\n%s", rows);
    expect_path_error(doc, LEAD_EFORMAT, msg);
}

static void malformed_paths_name_the_line(void **state)
{
    (void)state;
    expect_path_error("", LEAD_EFORMAT, "line 1: no header row");
    expect_path_error("path,total_null\nsearch,1\n", LEAD_EFORMAT,
                      "line 1: missing column total_conversions");
    expect_path_error("path,total_conversions,path\n", LEAD_EFORMAT,
                      "line 1: column path appears twice");
    /* Ignored columns too, blanks trimmed as for known ones; empty header
     * fields name nothing and may repeat. */
    expect_path_error("path,total_conversions,x,x\nsearch,1,2,3\n", LEAD_EFORMAT,
                      "line 1: column x appears twice");
    expect_path_error("path,total_conversions,note, note \n", LEAD_EFORMAT,
                      "line 1: column note appears twice");
    lead_journey_set *blank = new_set();
    assert_int_equal(read_paths(blank, "path,total_conversions,,\nsearch,1,,\n", NULL), LEAD_OK);
    lead_journey_set_free(blank);
    bad_rows("search,1,0\nemail,x,0\n", "line 3: total_conversions is not a number >= 0");
    bad_rows("search,1,0\nemail,-1,0\n", "line 3: total_conversions is not a number >= 0");
    bad_rows("search,1e999,0\n", "line 2: total_conversions is not a number >= 0");
    bad_rows("search,1,0\nemail,1,.\n", "line 3: total_null is not a number >= 0");
    bad_rows("search,1,0\nemail,1\n", "line 3: 2 fields, the header has 3");
    bad_rows("search,1,0,9\n", "line 2: 4 fields, the header has 3");
    bad_rows("search > > email,1,0\n", "line 2: empty channel name in path");
    bad_rows("search >,1,0\n", "line 2: empty channel name in path");
    bad_rows(",1,0\n", "line 2: empty channel name in path");
    bad_rows("search,1,0\n\nemail,1,0\n", "line 3: empty line");
    bad_rows("search,1,0\r\r\n", "line 2: carriage return without line feed");
    bad_rows("\"search\"x,1,0\n", "line 2: text after a closing quote");
    bad_rows("sea\"rch,1,0\n", "line 2: quote inside an unquoted field");
    bad_rows("search,1,0\n\"email,1,0\n", "line 3: unterminated quoted field");
    bad_rows("\"a\nb\",1,0\nsearch,1,x\n", "line 4: total_null is not a number >= 0");
    bad_rows("se\xff,1,0\n", "line 2: name is not valid UTF-8");
    char longname[300];
    memset(longname, 'n', 256);
    strcpy(longname + 256, ",1,0\n");
    bad_rows(longname, "line 2: name longer than 255 bytes");
    lead_journey_set *set = new_set();
    assert_int_equal(lead_journey_set_begin(set), LEAD_OK);
    assert_int_equal(read_paths(set, "path,total_conversions\n", NULL), LEAD_ESTATE);
    assert_int_equal(lead_journey_set_read_path_csv(NULL, "", 0, NULL), LEAD_EINVAL);
    assert_int_equal(lead_journey_set_read_path_csv(set, NULL, 1, NULL), LEAD_EINVAL);
    lead_journey_set_free(set);
}

static const char touch_doc[] =
    "journey,channel,campaign,time,milestones,conversions,value,nulls,conversion_time\n"
    "a,search,spring,0,,1,100,0,1209600000\n"
    "a,email,,604800000,lead,1,100,0,1209600000\n"
    "a,direct,,,,1,100,0,1209600000\n"
    "b,social,\"fall, \"\"big\"\"\",5, won | lead|opportunity ,2,50,1,\n";

static void reads_touches(void **state)
{
    (void)state;
    lead_journey_set *set = new_set();
    assert_int_equal(lead_journey_set_read_touch_csv(set, touch_doc, sizeof touch_doc - 1),
                     LEAD_OK);
    size_t n = 0;
    double conv, value, nulls;
    int64_t when;
    assert_int_equal(lead_journey_set_count(set, &n), LEAD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(lead_journey_set_journey(set, 0, &n, &conv, &value, &nulls, &when), LEAD_OK);
    assert_true(n == 3 && conv == 1 && value == 100 && nulls == 0 && when == 1209600000);
    assert_int_equal(lead_journey_set_journey(set, 1, &n, &conv, &value, &nulls, &when), LEAD_OK);
    assert_true(n == 1 && conv == 2 && value == 50 && nulls == 1 && when == LEAD_TIME_UNKNOWN);
    uint32_t ch, ca, flags;
    int64_t t;
    const char *name;
    assert_int_equal(lead_journey_set_touch(set, 0, 0, &ch, &ca, &t, &flags), LEAD_OK);
    assert_true(ch == 0 && ca == 0 && t == 0 && flags == 0);
    assert_int_equal(lead_journey_set_touch(set, 0, 1, &ch, &ca, &t, &flags), LEAD_OK);
    assert_true(ch == 1 && ca == LEAD_NO_CAMPAIGN && t == 604800000 &&
                flags == LEAD_TOUCH_LEAD_CREATION);
    assert_int_equal(lead_journey_set_touch(set, 0, 2, &ch, &ca, &t, &flags), LEAD_OK);
    assert_true(ch == 2 && t == LEAD_TIME_UNKNOWN);
    assert_int_equal(lead_journey_set_touch(set, 1, 0, &ch, &ca, &t, &flags), LEAD_OK);
    assert_true(ch == 3 && ca == 1 && t == 5 &&
                flags == (LEAD_TOUCH_LEAD_CREATION | LEAD_TOUCH_OPPORTUNITY_CREATION |
                          LEAD_TOUCH_CLOSED_WON));
    assert_int_equal(lead_journey_set_campaign_name(set, 1, &name), LEAD_OK);
    assert_string_equal(name, "fall, \"big\"");
    lead_journey_set_free(set);
}

static void expect_touch_error(const char *rows, const char *msg)
{
    char doc[512];
    snprintf(doc, sizeof doc, "journey,channel,time,milestones,conversions,conversion_time\n%s",
             rows);
    lead_journey_set *set = new_set();
    int rc = lead_journey_set_read_touch_csv(set, doc, strlen(doc));
    if (rc != LEAD_EFORMAT || strcmp(lead_journey_set_errmsg(set), msg) != 0)
        fail_msg("%s\ngot %d \"%s\", expected \"%s\"", rows, rc, lead_journey_set_errmsg(set),
                 msg);
    size_t n = 1;
    assert_int_equal(lead_journey_set_count(set, &n), LEAD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lead_journey_set_channel_count(set, &n), LEAD_OK);
    assert_int_equal(n, 0);
    lead_journey_set_free(set);
}

static void malformed_touches_name_the_line(void **state)
{
    (void)state;
    expect_touch_error("a,s,1,,1,9\nb,s,1,,1,9\na,s,2,,1,9\n",
                       "line 4: journey id seen before on other rows");
    expect_touch_error("a,s,1,,1,9\na,s,2,,2,9\n",
                       "line 3: outcome differs from the journey's first row");
    expect_touch_error("a,s,1,,1,9\na,s,2,,1,8\n",
                       "line 3: outcome differs from the journey's first row");
    expect_touch_error("a,s,2,,1,9\na,s,1,,1,9\n", "line 3: touch time goes backwards");
    /* 10, unknown, 5: compared with 10, the last known time. */
    expect_touch_error("a,s,10,,1,90\na,s,,,1,90\na,s,5,,1,90\n",
                       "line 4: touch time goes backwards");
    expect_touch_error("a,s,1.5,,1,9\n", "line 2: time is not an integer number of ms");
    expect_touch_error("a,s,99999999999999999999,,1,9\n",
                       "line 2: time is not an integer number of ms");
    expect_touch_error("a,s,1,,1,x\n", "line 2: conversion_time is not an integer number of ms");
    expect_touch_error("a,s,1,lead|,1,9\n",
                       "line 2: milestones are lead, opportunity, won joined by |");
    expect_touch_error("a,s,1,deal,1,9\n",
                       "line 2: milestones are lead, opportunity, won joined by |");
    expect_touch_error(" ,s,1,,1,9\n", "line 2: empty journey id");
    expect_touch_error("a,,1,,1,9\n", "line 2: empty name");
    lead_journey_set *set = new_set();
    static const char no_channel[] = "journey,conversions\na,1\n";
    assert_int_equal(lead_journey_set_read_touch_csv(set, no_channel, sizeof no_channel - 1),
                     LEAD_EFORMAT);
    assert_string_equal(lead_journey_set_errmsg(set), "line 1: missing column channel");
    lead_journey_set_free(set);
}

typedef struct doc {
    const char *text;
    int touch_level;
} doc;

static int read_scenario(const lead_allocator *alloc, void *ctx)
{
    const doc *d = ctx;
    lead_journey_set *set = NULL;
    int rc = lead_journey_set_new(&set, alloc);
    if (rc == LEAD_OK)
        rc = d->touch_level ? lead_journey_set_read_touch_csv(set, d->text, strlen(d->text))
                            : lead_journey_set_read_path_csv(set, d->text, strlen(d->text), NULL);
    if (rc == LEAD_ENOMEM && set) {
        /* Rolled back completely. */
        size_t n = 1;
        lead_journey_set_count(set, &n);
        assert_int_equal(n, 0);
        lead_journey_set_channel_count(set, &n);
        assert_int_equal(n, 0);
    }
    lead_journey_set_free(set);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    doc paths = {"path,total_conversions\n\"a\"\"q > b > c\",1\nb > d,2\nc,3\ne > f > g > h,1\n",
                 0};
    assert_true(lt_alloc_sweep(read_scenario, &paths, LEAD_OK) > 0);
    doc bad = {"path,total_conversions\na > b,1\nc > d,2\ne,x\n", 0};
    assert_true(lt_alloc_sweep(read_scenario, &bad, LEAD_EFORMAT) > 0);
    doc touches = {touch_doc, 1};
    assert_true(lt_alloc_sweep(read_scenario, &touches, LEAD_OK) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_channel_attribution_paths),
        cmocka_unit_test(similar_names_keep_their_ids),
        cmocka_unit_test(any_order_quotes_crlf_bom_separator),
        cmocka_unit_test(malformed_paths_name_the_line),
        cmocka_unit_test(reads_touches),
        cmocka_unit_test(malformed_touches_name_the_line),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
