/* Private: email validation shared by contacts. */
#ifndef LEAD_LIB_EMAIL_H
#define LEAD_LIB_EMAIL_H

#include <stddef.h>

/* lead_email_normalize() without the argument checks. */
int lead__email_normalize(char *out, size_t cap, const char *email);

#endif
