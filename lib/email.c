/* Email address validation and normalization. */
#include "email.h"
#include "lead/contact.h"
#include "utf8.h"

#include <string.h>

static int is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A domain is dot-separated non-empty labels. */
static int domain_ok(const char *d, size_t len)
{
    if (len == 0 || d[0] == '.' || d[len - 1] == '.')
        return 0;
    for (size_t i = 1; i < len; i++)
        if (d[i] == '.' && d[i - 1] == '.')
            return 0;
    return 1;
}

int lead__email_normalize(char *out, size_t cap, const char *email)
{
    size_t len = strlen(email);
    size_t start = 0;
    while (start < len && is_ascii_space((unsigned char)email[start]))
        start++;
    while (len > start && is_ascii_space((unsigned char)email[len - 1]))
        len--;
    const char *s = email + start;
    len -= start;
    if (!lead__utf8_valid(s, len))
        return LEAD_EUTF8;
    if (len > LEAD_EMAIL_MAX)
        return LEAD_ETOOLONG;
    size_t at = len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7F)
            return LEAD_EINVAL;
        if (c == '@') {
            if (at != len)
                return LEAD_EINVAL;
            at = i;
        }
    }
    if (at == len || at == 0)
        return LEAD_EINVAL;
    if (at > LEAD_EMAIL_LOCAL_MAX)
        return LEAD_ETOOLONG;
    if (!domain_ok(s + at + 1, len - at - 1))
        return LEAD_EINVAL;
    if (cap < len + 1)
        return LEAD_ELIMIT;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[len] = '\0';
    return LEAD_OK;
}

int lead_email_normalize(char *out, size_t cap, const char *email)
{
    if (!out || !email)
        return LEAD_EINVAL;
    return lead__email_normalize(out, cap, email);
}
