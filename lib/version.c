/* Run-time version, so a program can detect a mismatched shared library. */
#include "lead/common.h"

int lead_version_number(void)
{
    return LEAD_VERSION_NUMBER;
}

const char *lead_version_string(void)
{
    return LEAD_VERSION_STRING;
}
