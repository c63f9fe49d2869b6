/* UTF-8 validation (RFC 3629, table 3-7 of the Unicode standard). */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Length of the sequence starting at s[i], or 0 if it is malformed. */
static size_t sequence_length(const unsigned char *s, size_t i, size_t len)
{
    unsigned char b = s[i];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* bounds of the second byte */
    if (b < 0x80)
        return b != 0;
    if (b >= 0xC2 && b <= 0xDF)
        need = 2;
    else if (b >= 0xE0 && b <= 0xEF) {
        need = 3;
        if (b == 0xE0)
            lo = 0xA0; /* overlong */
        else if (b == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4;
        if (b == 0xF0)
            lo = 0x90; /* overlong */
        else if (b == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else
        return 0;
    if (len - i < need)
        return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < need; k++)
        if (s[i + k] < 0x80 || s[i + k] > 0xBF)
            return 0;
    return need;
}

/* 1 if the 8 bytes at s are all ASCII and none is NUL: most stored text
 * (emails, UTM values) is, and a word at a time is several times faster. */
static int ascii_word(const unsigned char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    return ((w | ((w - ones) & ~w)) & highs) == 0;
}

int lead__utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (len - i >= 8 && ascii_word(u + i)) {
            i += 8;
            continue;
        }
        /* A short ASCII tail: the last word, overlapping bytes already
         * checked, says so at once. */
        if (len >= 8 && len - i < 8 && ascii_word(u + len - 8))
            return 1;
        size_t n = sequence_length(u, i, len);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}
