/* lead_email_normalize on arbitrary strings: only documented statuses; an
 * accepted address is at most LEAD_EMAIL_MAX bytes, has one '@', no ASCII
 * upper case, is valid UTF-8, normalizes to itself, and needs exactly its
 * length plus one byte of capacity. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lead/contact.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *email = malloc(size + 1);
    if (!email)
        return 0;
    memcpy(email, data, size);
    email[size] = '\0';
    char out[LEAD_EMAIL_MAX + 1], again[LEAD_EMAIL_MAX + 1];
    int rc = lead_email_normalize(out, sizeof out, email);
    free(email);
    if (rc != LEAD_OK) {
        if (rc != LEAD_EINVAL && rc != LEAD_EUTF8 && rc != LEAD_ETOOLONG)
            abort();
        return 0;
    }
    size_t len = strlen(out);
    const char *at = strchr(out, '@');
    if (len == 0 || len > LEAD_EMAIL_MAX || !at || strchr(at + 1, '@') ||
        !lead__utf8_valid(out, len))
        abort();
    for (size_t i = 0; i < len; i++)
        if (out[i] >= 'A' && out[i] <= 'Z')
            abort();
    if (lead_email_normalize(again, len + 1, out) != LEAD_OK || strcmp(again, out) != 0)
        abort();
    if (lead_email_normalize(again, len, out) != LEAD_ELIMIT)
        abort();
    return 0;
}
