/*
 * liblead — lifecycle stages.
 *
 * subscriber → lead → MQL → SQL → opportunity → customer → evangelist are
 * ordered: a contact moves forward only, unless a reset is asked for.
 * `other`, `disqualified` and `recycled` are explicit states outside that
 * order. The numeric values are part of the ABI and never change.
 */
#ifndef LEAD_STAGE_H
#define LEAD_STAGE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum lead_stage {
    LEAD_STAGE_SUBSCRIBER = 0,
    LEAD_STAGE_LEAD = 1,
    LEAD_STAGE_MQL = 2,         /**< marketing-qualified lead */
    LEAD_STAGE_SQL = 3,         /**< sales-qualified lead */
    LEAD_STAGE_OPPORTUNITY = 4,
    LEAD_STAGE_CUSTOMER = 5,
    LEAD_STAGE_EVANGELIST = 6,
    LEAD_STAGE_OTHER = 7,
    LEAD_STAGE_DISQUALIFIED = 8,
    LEAD_STAGE_RECYCLED = 9
};

/** Number of stages; valid stage values are 0 .. LEAD_STAGE_COUNT - 1. */
#define LEAD_STAGE_COUNT 10

/**
 * The stage's name ("subscriber", "lead", "mql", "sql", "opportunity",
 * "customer", "evangelist", "other", "disqualified", "recycled"), a static
 * string; NULL for a value that is not a stage.
 */
LEAD_API const char *lead_stage_name(int stage);

/** The stage named `name` (as lead_stage_name spells it). LEAD_ENOTFOUND
 * otherwise, LEAD_EINVAL for NULL. */
LEAD_API int lead_stage_from_name(const char *name, int *out_stage);

/** 1 if the stage is on the forward path subscriber..evangelist, else 0. */
LEAD_API int lead_stage_is_ordered(int stage);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_STAGE_H */
