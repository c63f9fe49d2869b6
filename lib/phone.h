/* Private: phone numbers to E.164. */
#ifndef LEAD_LIB_PHONE_H
#define LEAD_LIB_PHONE_H

#include <stddef.h>
#include <stdint.h>

/* Longest E.164 number: '+' and 15 digits. */
#define LEAD__PHONE_MAX 16

/* Normalizes phone to E.164 into out (cap >= LEAD__PHONE_MAX + 1): "+CC..."
 * or "00CC..." are international; a leading single 0 is national and takes
 * default_cc (0: refused). Separators " -.()" are dropped. LEAD_OK,
 * LEAD_EINVAL (garbage, no calling code) or LEAD_ETOOLONG. */
int lead__phone_normalize(char *out, size_t cap, const char *phone, uint64_t default_cc);

#endif
