/* Phone normalization on arbitrary strings; the first byte picks the
 * default calling code. An accepted number is E.164 ("+" and at most 15
 * digits) and normalizes to itself under any default. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "phone.h"
#include "lead/common.h"

static const uint64_t default_codes[] = {0, 1, 33, 44, 49, 358, 1868};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint64_t cc = default_codes[data[0] % (sizeof default_codes / sizeof default_codes[0])];
    char *phone = malloc(size);
    if (!phone)
        return 0;
    memcpy(phone, data + 1, size - 1);
    phone[size - 1] = '\0';
    char out[LEAD__PHONE_MAX + 1], again[LEAD__PHONE_MAX + 1];
    int rc = lead__phone_normalize(out, sizeof out, phone, cc);
    free(phone);
    if (rc != LEAD_OK) {
        if (rc != LEAD_EINVAL && rc != LEAD_ETOOLONG)
            abort();
        return 0;
    }
    size_t len = strlen(out);
    if (out[0] != '+' || len < 2 || len > LEAD__PHONE_MAX)
        abort();
    for (size_t i = 1; i < len; i++)
        if (out[i] < '0' || out[i] > '9')
            abort();
    if (lead__phone_normalize(again, sizeof again, out, 0) != LEAD_OK || strcmp(again, out))
        abort();
    return 0;
}
