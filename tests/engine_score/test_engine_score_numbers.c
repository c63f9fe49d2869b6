/* Double attributes as fit rules see them: the text a double shows to
 * equals, one-of and contains, and range tests that compare the double
 * exactly — the same in the C locale and in one that writes "2,5". */
#include "lead_test.h"
#include "engine_score.h"

#include <float.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "open": ratio ≥ 0;
 * "bounded": 0 ≤ ratio ≤ 2; "text": the texts the doubles below show. */
static const char open_model[] = "liblead-score 1\n"
                                 "fit need 10 ratio range 0 *\n";
static const char bounded_model[] = "liblead-score 1\n"
                                    "fit need 10 ratio range 0 2\n";
static const char text_model[] =
    "liblead-score 1\n"
    "fit need 10 ratio one-of \"2.5\" \"0.00005\" \"2\" \"100000000000000000000\" \"0\""
    " \"1.7976931348623157e+308\" \"5e-324\"\n";

/* Each double, the text it shows (the shortest decimal that reads back as
 * it, as ECMAScript's Number::toString writes it) and the fits, in
 * centipoints, under the three models: a matched rule is the whole fit. */
static const struct {
    double value;
    const char *text;
    int64_t open, bounded, text_fit;
} cases[] = {
    {2.5, "2.5", 10000, 0, 10000},
    {0.00005, "0.00005", 10000, 10000, 10000},
    {2.0, "2", 10000, 10000, 10000},
    {1e20, "100000000000000000000", 10000, 0, 10000},
    {-0.0, "0", 10000, 10000, 10000},
    {DBL_MAX, "1.7976931348623157e+308", 10000, 0, 10000},
    {4.9406564584124654e-324, "5e-324", 10000, 10000, 10000}, /* the least subnormal */
    {2.0000000000000004, "2.0000000000000004", 10000, 0, 0},   /* next above 2 */
    {1.9999999999999998, "1.9999999999999998", 10000, 10000, 0}, /* next below 2 */
    {-4.9406564584124654e-324, "-5e-324", 0, 0, 0},
    {-2.5, "-2.5", 0, 0, 0},
    {-DBL_MAX, "-1.7976931348623157e+308", 0, 0, 0},
    {1e21, "1e+21", 10000, 0, 0},
    {1e-7, "1e-7", 10000, 10000, 0},
    {0.000001, "0.000001", 10000, 10000, 0},
    {0.1, "0.1", 10000, 10000, 0},
    {1.0 / 3.0, "0.3333333333333333", 10000, 10000, 0},
    {1.2345678901234568e20, "123456789012345680000", 10000, 0, 0},
    {9223372036854775808.0, "9223372036854776000", 10000, 0, 0}, /* 2^63 */
    /* 2^-1017: the nearest 16-digit decimal, 7.120236347223044e-307, reads
     * back as another double; the next one up reads back as 2^-1017. */
    {7.1202363472230444e-307, "7.120236347223045e-307", 10000, 10000, 0},
};

static lead_engine *new_engine(lt_fakeclock *fc)
{
    lead_engine_options opts = LEAD_ENGINE_OPTIONS_INIT;
    opts.clock = &fc->clock;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &opts), LEAD_OK);
    return e;
}

static int64_t fit_of(lead_engine *e, const char *model, uint64_t id)
{
    lead_score_result *r = NULL;
    assert_int_equal(lead_engine_score(&r, e, model, id, LT_T0), LEAD_OK);
    int64_t fit = -1;
    assert_int_equal(lead_score_result_scores(r, &fit, NULL, NULL), LEAD_OK);
    lead_score_result_free(r);
    int64_t kept[3];
    assert_int_equal(lead__es_kept(e, model, id, LT_T0, kept), LEAD_OK);
    assert_int_equal(kept[0], fit);
    return fit;
}

static void check_all_cases(void)
{
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    lead_engine *e = new_engine(&fc);
    lt_attach_model(e, "open", open_model);
    lt_attach_model(e, "bounded", bounded_model);
    lt_attach_model(e, "text", text_model);
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(e, &id, "a@x.io", NULL, 0), LEAD_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(
            lead_contact_set_attr(e, id, "ratio", LEAD_ATTR_DOUBLE, 0, cases[i].value, NULL),
            LEAD_OK);
        int64_t open = fit_of(e, "open", id), bounded = fit_of(e, "bounded", id),
                text_fit = fit_of(e, "text", id);
        if (open != cases[i].open || bounded != cases[i].bounded ||
            text_fit != cases[i].text_fit)
            fail_msg("case %zu (%s): fits %lld %lld %lld, want %lld %lld %lld", i,
                     cases[i].text, (long long)open, (long long)bounded, (long long)text_fit,
                     (long long)cases[i].open, (long long)cases[i].bounded,
                     (long long)cases[i].text_fit);
        lead_contact *c = NULL;
        assert_int_equal(lead_contact_get(&c, e, id), LEAD_OK);
        lead__contact_view view;
        lead__score_contact contact;
        lead__contact_score_view(&contact, &view, c);
        const char *text = NULL;
        assert_int_equal(contact.lookup(contact.user, "ratio", &text), 1);
        if (strcmp(text, cases[i].text) != 0)
            fail_msg("case %zu: shows \"%s\", want \"%s\"", i, text, cases[i].text);
        lead_contact_free(c);
    }
    /* A rescore reads the same attributes back from the store. */
    assert_int_equal(lead_engine_rescore(e, NULL, NULL, NULL), LEAD_OK);
    size_t last = sizeof cases / sizeof cases[0] - 1;
    assert_int_equal(fit_of(e, "open", id), cases[last].open);
    assert_int_equal(fit_of(e, "bounded", id), cases[last].bounded);
    lead_engine_free(e);
}

static void double_attributes_in_the_c_locale(void **state)
{
    (void)state;
    check_all_cases();
}

/* The locale the test program started in, put back after each test even
 * when it fails. */
static int save_locale(void **state)
{
    const char *current = setlocale(LC_NUMERIC, NULL);
    if (!current)
        return -1;
    char *saved = malloc(strlen(current) + 1);
    if (!saved)
        return -1;
    strcpy(saved, current);
    *state = saved;
    return 0;
}

static int restore_locale(void **state)
{
    char *saved = *state;
    int ok = setlocale(LC_NUMERIC, saved) != NULL;
    free(saved);
    return ok ? 0 : -1;
}

/* The same figures with LC_NUMERIC set to a locale whose decimal separator
 * is a comma, when the machine has one; skipped otherwise. */
static void double_attributes_in_a_comma_locale(void **state)
{
    (void)state;
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8",  "de_DE",
                                        "fr_FR.UTF-8", "fr_FR.utf8",  "fr_FR",
                                        "nl_NL.UTF-8", "es_ES.UTF-8", "it_IT.UTF-8",
                                        "ru_RU.UTF-8", "pt_BR.UTF-8"};
    int found = 0;
    for (size_t i = 0; !found && i < sizeof names / sizeof names[0]; i++)
        found = setlocale(LC_NUMERIC, names[i]) && strcmp(localeconv()->decimal_point, ",") == 0;
    if (!found)
        skip(); /* no comma-decimal locale on this machine */
    /* The locale is in effect: the C library itself writes "2,5". */
    char probe[8];
    snprintf(probe, sizeof probe, "%.1f", 2.5);
    assert_string_equal(probe, "2,5");
    check_all_cases();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(double_attributes_in_the_c_locale),
        cmocka_unit_test_setup_teardown(double_attributes_in_a_comma_locale, save_locale,
                                        restore_locale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
