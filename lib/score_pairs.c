/* Owned name/value string pairs: the attributes of examples and subjects
 * and the properties of subject events. */
#include "score.h"

#include <string.h>

int lead__score_pair_push(const lead__mem *mem, lead__score_pair **pairs, size_t *n, size_t *cap,
                          const char *name, const char *value)
{
    if (lead__grow(mem, (void **)pairs, cap, *n + 1, sizeof **pairs) != LEAD_OK)
        return LEAD_ENOMEM;
    char *k = lead__strdup(mem, name);
    char *v = k ? lead__strdup(mem, value) : NULL;
    if (!v) {
        lead__free(mem, k);
        return LEAD_ENOMEM;
    }
    (*pairs)[*n].name = k;
    (*pairs)[*n].value = v;
    (*n)++;
    return LEAD_OK;
}

void lead__score_pairs_free(const lead__mem *mem, lead__score_pair *pairs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lead__free(mem, pairs[i].name);
        lead__free(mem, pairs[i].value);
    }
    lead__free(mem, pairs);
}

int lead__score_pairs_find(const lead__score_pair *pairs, size_t n, const char *name,
                           const char **out_value)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(pairs[i].name, name) == 0) {
            *out_value = pairs[i].value;
            return 1;
        }
    }
    return 0;
}
