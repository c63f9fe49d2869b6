/* Phone numbers to E.164 (ITU-T E.164: at most 15 digits, country code first). */
#include "phone.h"
#include "lead/common.h"

#include <stdio.h>
#include <string.h>

static int is_separator(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

int lead__phone_normalize(char *out, size_t cap, const char *phone, uint64_t default_cc)
{
    char digits[64];
    size_t n = 0;
    int plus = 0;
    for (const char *p = phone; *p; p++) {
        if (*p == '+' && n == 0 && !plus)
            plus = 1;
        else if (*p >= '0' && *p <= '9') {
            if (n == sizeof digits - 1)
                return LEAD_ETOOLONG;
            digits[n++] = *p;
        } else if (!is_separator(*p))
            return LEAD_EINVAL;
    }
    digits[n] = '\0';
    const char *national = NULL;
    char prefix[12] = "";
    const char *body = digits;
    if (!plus && n >= 2 && digits[0] == '0' && digits[1] == '0') {
        body = digits + 2;
    } else if (!plus) {
        if (n == 0 || digits[0] != '0' || default_cc == 0 || default_cc > 999)
            return LEAD_EINVAL;
        national = digits + 1;
        snprintf(prefix, sizeof prefix, "%u", (unsigned)default_cc);
        body = national;
    }
    size_t total = strlen(prefix) + strlen(body);
    if (body[0] == '0' && !national)
        return LEAD_EINVAL; /* country codes never start with 0 */
    if (total < 8)
        return LEAD_EINVAL;
    if (total > 15)
        return LEAD_ETOOLONG;
    if (cap < total + 2)
        return LEAD_ELIMIT;
    snprintf(out, cap, "+%s%s", prefix, body);
    return LEAD_OK;
}
