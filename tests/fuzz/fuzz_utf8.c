/* lead__utf8_valid against a reference that decodes each code point and
 * then judges it, rather than bounding each byte as the library does. */
#include <stdlib.h>

#include "fuzz.h"
#include "utf8.h"

/* Decodes the sequence at s[0..len); 0 if the bytes are not a complete,
 * shortest-form encoding of a Unicode scalar value other than U+0000. */
static size_t reference_decode(const uint8_t *s, size_t len)
{
    uint32_t cp;
    size_t need;
    if (s[0] < 0x80) {
        cp = s[0];
        need = 1;
    } else if ((s[0] & 0xE0) == 0xC0) {
        cp = s[0] & 0x1Fu;
        need = 2;
    } else if ((s[0] & 0xF0) == 0xE0) {
        cp = s[0] & 0x0Fu;
        need = 3;
    } else if ((s[0] & 0xF8) == 0xF0) {
        cp = s[0] & 0x07u;
        need = 4;
    } else {
        return 0;
    }
    if (need > len)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    static const uint32_t shortest_min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < shortest_min[need] || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

static int reference_valid(const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = reference_decode(s + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int got = lead__utf8_valid((const char *)data, size);
    if (got != reference_valid(data, size))
        abort();
    return 0;
}
