/* A line of the text formats ending in a long quoted string, for the tests
 * of their string limit. */
#include "lead_test.h"

#include <stdio.h>

size_t lt_quoted_line(char *buf, size_t cap, const char *prefix, size_t plain, size_t escapes,
                      const char *esc)
{
    size_t n = (size_t)snprintf(buf, cap, "%s", prefix);
    for (size_t i = 0; i < plain && n < cap; i++)
        buf[n++] = 'x';
    for (size_t i = 0; i < escapes && n + 1 < cap; i++) {
        buf[n++] = esc[0];
        buf[n++] = esc[1];
    }
    assert_true(n < cap);
    n += (size_t)snprintf(buf + n, cap - n, "\"\n");
    assert_true(n < cap);
    return n;
}
