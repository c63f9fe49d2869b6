/* Lifecycle stage names and order. */
#include "lead/stage.h"

#include <string.h>

static const char *const stage_names[LEAD_STAGE_COUNT] = {
    "subscriber", "lead",       "mql",   "sql",          "opportunity",
    "customer",   "evangelist", "other", "disqualified", "recycled",
};

const char *lead_stage_name(int stage)
{
    if (stage < 0 || stage >= LEAD_STAGE_COUNT)
        return NULL;
    return stage_names[stage];
}

int lead_stage_from_name(const char *name, int *out_stage)
{
    if (!name || !out_stage)
        return LEAD_EINVAL;
    for (int s = 0; s < LEAD_STAGE_COUNT; s++) {
        if (strcmp(name, stage_names[s]) == 0) {
            *out_stage = s;
            return LEAD_OK;
        }
    }
    return LEAD_ENOTFOUND;
}

int lead_stage_is_ordered(int stage)
{
    return stage >= LEAD_STAGE_SUBSCRIBER && stage <= LEAD_STAGE_EVANGELIST;
}
