/* Private: UTF-8 validation. */
#ifndef LEAD_LIB_UTF8_H
#define LEAD_LIB_UTF8_H

#include <stddef.h>

/* 1 if s[0..len) is well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF) with no NUL byte, else 0. */
int lead__utf8_valid(const char *s, size_t len);

#endif
