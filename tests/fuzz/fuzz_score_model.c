/* The scoring-model text parser on arbitrary bytes. Whatever it accepts must
 * format to canonical text that parses again and formats to the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lead/score.h"

/* The model's canonical text in a malloc'd buffer, or NULL. */
static char *format_model(const lead_score_model *model, size_t *out_len)
{
    size_t len = 0;
    if (lead_score_model_format(model, NULL, 0, &len) != LEAD_ELIMIT &&
        lead_score_model_format(model, NULL, 0, &len) != LEAD_OK)
        abort();
    char *text = malloc(len + 1);
    if (!text)
        return NULL;
    size_t again = 0;
    if (lead_score_model_format(model, text, len + 1, &again) != LEAD_OK || again != len ||
        text[len] != '\0')
        abort();
    *out_len = len;
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lead_score_model *first = NULL, *second = NULL;
    char *text1 = NULL, *text2 = NULL;
    size_t len1 = 0, len2 = 0;
    if (lead_score_model_new(&first, NULL) != LEAD_OK)
        return 0;
    int rc = lead_score_model_parse(first, (const char *)data, size);
    const char *message = NULL;
    if (lead_score_model_error(first, NULL, NULL, &message) != LEAD_OK || !message)
        abort();
    if (rc != LEAD_OK) {
        if (rc != LEAD_EFORMAT && rc != LEAD_ELIMIT && rc != LEAD_EUTF8 && rc != LEAD_ENOMEM)
            abort();
        goto done;
    }
    text1 = format_model(first, &len1);
    if (!text1 || lead_score_model_new(&second, NULL) != LEAD_OK)
        goto done;
    rc = lead_score_model_parse(second, text1, len1);
    if (rc == LEAD_ENOMEM)
        goto done;
    if (rc != LEAD_OK)
        abort(); /* canonical text must always parse */
    text2 = format_model(second, &len2);
    if (text2 && (len1 != len2 || memcmp(text1, text2, len1) != 0))
        abort();
done:
    free(text1);
    free(text2);
    lead_score_model_free(first);
    lead_score_model_free(second);
    return 0;
}
