/* The Markov counts decoder on arbitrary bytes: only documented statuses;
 * accepted counts export to bytes that import again and export to the same
 * bytes, and solving them fails cleanly or gives a probability in [0, 1]. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lead/markov.h"

static uint8_t *export_counts(const lead_markov_counts *counts, size_t *out_len)
{
    size_t len = 0;
    int rc = lead_markov_counts_export(counts, NULL, 0, &len);
    if (rc != LEAD_OK && rc != LEAD_ELIMIT)
        abort();
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return NULL;
    size_t again = 0;
    if (lead_markov_counts_export(counts, buf, len, &again) != LEAD_OK || again != len)
        abort();
    *out_len = len;
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lead_markov_counts *first = NULL, *second = NULL;
    uint8_t *bytes1 = NULL, *bytes2 = NULL;
    size_t len1 = 0, len2 = 0;
    int rc = lead_markov_counts_import(&first, data, size, NULL);
    if (rc != LEAD_OK) {
        if (rc != LEAD_ECORRUPT && rc != LEAD_EVERSION && rc != LEAD_ENOMEM)
            abort();
        return 0;
    }
    bytes1 = export_counts(first, &len1);
    if (bytes1) {
        rc = lead_markov_counts_import(&second, bytes1, len1, NULL);
        if (rc != LEAD_OK && rc != LEAD_ENOMEM)
            abort(); /* what export wrote must import */
        if (second) {
            bytes2 = export_counts(second, &len2);
            if (bytes2 && (len1 != len2 || memcmp(bytes1, bytes2, len1) != 0))
                abort();
        }
    }
    lead_markov_result *result = NULL;
    rc = lead_markov_solve(&result, first);
    if (rc == LEAD_OK) {
        double p = -1;
        if (lead_markov_result_conversion_probability(result, &p) != LEAD_OK || !(p >= 0) ||
            !(p <= 1))
            abort();
    } else if (rc != LEAD_EINVAL && rc != LEAD_ENUMERIC && rc != LEAD_ENOMEM) {
        abort();
    }
    lead_markov_result_free(result);
    free(bytes1);
    free(bytes2);
    lead_markov_counts_free(first);
    lead_markov_counts_free(second);
    return 0;
}
