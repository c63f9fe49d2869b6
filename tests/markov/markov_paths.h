/* Test helper: journey sets from path strings such as "a > b > c". */
#ifndef LT_MARKOV_PATHS_H
#define LT_MARKOV_PATHS_H

#include <string.h>

/* Appends path with its outcome; LEAD_OK or the first failure. */
static int lt_add_path(lead_journey_set *set, const char *path, double conversions,
                       double value, double nulls)
{
    int rc = lead_journey_set_begin(set);
    char name[64];
    const char *p = path;
    while (rc == LEAD_OK && *p) {
        const char *end = strchr(p, '>');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *a = p, *b = p + len;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        memcpy(name, a, (size_t)(b - a));
        name[b - a] = '\0';
        rc = lead_journey_set_add_touch(set, name, NULL, LEAD_TIME_UNKNOWN, 0);
        p = end ? end + 1 : p + len;
    }
    if (rc == LEAD_OK)
        rc = lead_journey_set_end(set, conversions, value, nulls, LEAD_TIME_UNKNOWN);
    else
        lead_journey_set_cancel(set);
    return rc;
}

#endif
