/* Private: the journey set's layout, read directly by the attribution models.
 *
 * Touches of all journeys are stored flattened in parallel arrays (structure
 * of arrays, 17 bytes a touch); journey j owns touches
 * [start[j], start[j + 1]). Models iterate these arrays without calls. */
#ifndef LEAD_LIB_JOURNEY_H
#define LEAD_LIB_JOURNEY_H

#include "lead/journey.h"
#include "alloc.h"
#include "intern.h"

#define LEAD__SET_ERRMSG_CAP 256

struct lead_journey_set {
    lead__mem mem;
    lead__intern channels;
    lead__intern campaigns;

    uint32_t *touch_channel;
    uint32_t *touch_campaign; /* LEAD_NO_CAMPAIGN when none */
    int64_t *touch_time;      /* LEAD_TIME_UNKNOWN when unknown */
    uint8_t *touch_flags;
    size_t touch_count; /* touches of closed journeys and the open one */
    size_t touch_cap;

    size_t *start; /* journey_count + 1 entries once any journey exists */
    double *conversions;
    double *value;
    double *nulls;
    int64_t *conversion_time;
    size_t journey_count;
    size_t journey_cap;

    int open; /* a journey is between begin and end */
    char errmsg[LEAD__SET_ERRMSG_CAP];
};

/* Records a printf-style detail for lead_journey_set_errmsg(); returns code. */
int lead__set_fail(lead_journey_set *set, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Appends a touch by already-interned ids (the CSV readers' fast path). */
int lead__journey_add_touch_ids(lead_journey_set *set, uint32_t channel, uint32_t campaign,
                                int64_t time_ms, uint32_t flags);

/* Interns a name after validating it (non-empty, UTF-8, <= LEAD_NAME_MAX). */
int lead__journey_intern(lead_journey_set *set, lead__intern *table, const char *name,
                         size_t len, uint32_t *out_id);

/* What a bulk read (CSV, engine) restores when it fails: the set as it was. */
typedef struct lead__journey_mark {
    size_t journeys, touches, channels, campaigns;
} lead__journey_mark;

lead__journey_mark lead__journey_mark_of(const lead_journey_set *set);
/* Drops the open journey and everything added since the mark; cannot fail. */
void lead__journey_roll_back(lead_journey_set *set, const lead__journey_mark *mark);

/* First touch index of journey j and one past its last. */
static inline size_t lead__journey_first(const lead_journey_set *set, size_t j)
{
    return set->start[j];
}
static inline size_t lead__journey_end(const lead_journey_set *set, size_t j)
{
    return set->start[j + 1];
}
static inline size_t lead__journey_touch_count(const lead_journey_set *set, size_t j)
{
    return set->start[j + 1] - set->start[j];
}

#endif
