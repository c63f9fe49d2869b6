/* The segment text parser on arbitrary bytes. Whatever it accepts must
 * format to canonical text that parses again and formats to the same bytes,
 * and must evaluate (plain and explained) to the same answer. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lead/segment.h"

/* The segment's canonical text in a malloc'd buffer, or NULL. */
static char *canonical_text(const lead_segment *segment, size_t *out_len)
{
    size_t len = 0;
    int rc = lead_segment_format(segment, NULL, 0, &len);
    if (rc != LEAD_ELIMIT)
        abort(); /* even the empty segment has a header */
    char *text = malloc(len + 1);
    if (!text)
        return NULL;
    size_t again = 0;
    if (lead_segment_format(segment, text, len + 1, &again) != LEAD_OK || again != len ||
        text[len] != '\0')
        abort();
    *out_len = len;
    return text;
}

/* A contact that a few of the corpus conditions hold for. */
static void check_evaluation(lead_segment *segment)
{
    lead_score_subject *s = NULL;
    lead_segment_facts *f = NULL;
    if (lead_score_subject_new(&s, NULL) != LEAD_OK || lead_segment_facts_new(&f, NULL) != LEAD_OK ||
        lead_score_subject_set(s, "title", "CTO") != LEAD_OK ||
        lead_score_subject_add_event(s, "open", "email", "a", 1000) != LEAD_OK ||
        lead_segment_facts_set_stage(f, 2) != LEAD_OK ||
        lead_segment_facts_set_consent(f, "email", LEAD_CONSENT_SUBSCRIBED) != LEAD_OK ||
        lead_segment_facts_set_scores(f, "m", 5000, 100, 5100, 'C') != LEAD_OK)
        goto done;
    int plain = -1, explained = -1;
    if (lead_segment_evaluate(segment, f, s, 2000, &plain) != LEAD_OK ||
        lead_segment_evaluate_explain(segment, f, s, 2000, &explained) != LEAD_OK ||
        plain != explained || (plain != 0 && plain != 1))
        abort();
    size_t n = 0;
    if (lead_segment_condition_count(segment, &n) != LEAD_OK)
        abort();
    for (size_t i = 0; i < n; i++) {
        int held = -1;
        if (lead_segment_explain_item(segment, i, NULL, NULL, &held, NULL) != LEAD_OK ||
            (held != 0 && held != 1))
            abort();
    }
done:
    lead_segment_facts_free(f);
    lead_score_subject_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lead_segment *first = NULL, *second = NULL;
    char *text1 = NULL, *text2 = NULL;
    size_t len1 = 0, len2 = 0;
    if (lead_segment_new(&first, NULL) != LEAD_OK)
        return 0;
    int rc = lead_segment_parse(first, (const char *)data, size);
    const char *message = NULL;
    if (lead_segment_error(first, NULL, NULL, &message) != LEAD_OK || !message)
        abort();
    if (rc != LEAD_OK) {
        if (rc != LEAD_EFORMAT && rc != LEAD_ELIMIT && rc != LEAD_EUTF8 && rc != LEAD_ENOMEM)
            abort();
        goto done;
    }
    check_evaluation(first);
    text1 = canonical_text(first, &len1);
    if (!text1 || lead_segment_new(&second, NULL) != LEAD_OK)
        goto done;
    rc = lead_segment_parse(second, text1, len1);
    if (rc == LEAD_ENOMEM)
        goto done;
    if (rc != LEAD_OK)
        abort(); /* canonical text must always parse */
    text2 = canonical_text(second, &len2);
    if (text2 && (len1 != len2 || memcmp(text1, text2, len1) != 0))
        abort();
done:
    free(text1);
    free(text2);
    lead_segment_free(first);
    lead_segment_free(second);
    return 0;
}
