/*
 * liblead — journeys: the input of every attribution model.
 *
 * A journey is an ordered list of touchpoints (channel, optional campaign,
 * optional time, milestone flags) and an outcome: conversions, their value
 * and, for aggregated path data, the number of journeys on the same path that
 * did not convert ("nulls"). A journey set holds many journeys and interns
 * channel and campaign names to dense ids 0..n-1, so models work on
 * integers.
 *
 * A set needs no engine and no store: data teams build one touch by touch,
 * or read CSV into it, and run models on it.
 *
 * Readers (lead_journey_set_count() .. lead_journey_set_touch()) return
 * LEAD_OK, LEAD_EINVAL for a NULL set, name or output not said to be
 * optional, and LEAD_ENOTFOUND for an id, index or name the set does not
 * have.
 */
#ifndef LEAD_JOURNEY_H
#define LEAD_JOURNEY_H

#include "common.h"
#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lead_journey_set lead_journey_set;

/** Milestone flags of a touch; attribution models anchor on them. */
enum lead_touch_flag {
    LEAD_TOUCH_LEAD_CREATION = 1,        /**< the contact became a lead here */
    LEAD_TOUCH_OPPORTUNITY_CREATION = 2, /**< an opportunity was created here */
    LEAD_TOUCH_CLOSED_WON = 4            /**< the deal was won here */
};

/** Campaign id of a touch that has none. */
#define LEAD_NO_CAMPAIGN UINT32_MAX
/** Longest channel or campaign name, in bytes (UTF-8, no NUL). */
#define LEAD_NAME_MAX 255

/**
 * Creates an empty set. alloc may be NULL (libc). *out owns the set; free it
 * with lead_journey_set_free(). LEAD_OK, LEAD_EINVAL, LEAD_EVERSION, LEAD_ENOMEM.
 */
LEAD_API int lead_journey_set_new(lead_journey_set **out, const lead_allocator *alloc);

/** Frees the set. NULL is a no-op. */
LEAD_API void lead_journey_set_free(lead_journey_set *set);

/**
 * Detail of the last failure on this set (e.g. the CSV line at fault).
 * Never NULL; borrowed until the next call on the set.
 */
LEAD_API const char *lead_journey_set_errmsg(const lead_journey_set *set);

/** Opens a new journey. LEAD_ESTATE if one is already open. */
LEAD_API int lead_journey_set_begin(lead_journey_set *set);

/**
 * Appends a touch to the open journey. channel: a non-empty UTF-8 name of at
 * most LEAD_NAME_MAX bytes; campaign: likewise, or NULL for none; time_ms:
 * LEAD_TIME_UNKNOWN or ms since the epoch, not earlier than the previous
 * touch; flags: a combination of lead_touch_flag. Returns LEAD_OK,
 * LEAD_EINVAL, LEAD_EUTF8, LEAD_ETOOLONG, LEAD_ESTATE (no open journey) or
 * LEAD_ENOMEM; on error the journey is as it was before the call.
 */
LEAD_API int lead_journey_set_add_touch(lead_journey_set *set, const char *channel,
                                        const char *campaign, int64_t time_ms, uint32_t flags);

/**
 * Closes the open journey with its outcome. conversions and nulls are finite
 * and >= 0 (they may be fractional, e.g. weighted data), value is finite;
 * conversion_time_ms is LEAD_TIME_UNKNOWN or the time of the conversion
 * (needed by time-decay). A journey must have at least one touch. Returns
 * LEAD_OK, LEAD_EINVAL (the journey stays open), LEAD_ESTATE.
 */
LEAD_API int lead_journey_set_end(lead_journey_set *set, double conversions, double value,
                                  double nulls, int64_t conversion_time_ms);

/** Discards the open journey, if any. LEAD_OK, or LEAD_EINVAL for NULL. */
LEAD_API int lead_journey_set_cancel(lead_journey_set *set);

/** Number of closed journeys. */
LEAD_API int lead_journey_set_count(const lead_journey_set *set, size_t *out_count);

/** Number of distinct channels seen; ids are 0..count-1 in order of first sight. */
LEAD_API int lead_journey_set_channel_count(const lead_journey_set *set, size_t *out_count);

/** Name of a channel id, borrowed from the set. LEAD_ENOTFOUND for an unknown id. */
LEAD_API int lead_journey_set_channel_name(const lead_journey_set *set, uint32_t channel_id,
                                           const char **out_name);

/** Id of a channel name. LEAD_ENOTFOUND if the set has not seen it. */
LEAD_API int lead_journey_set_channel_id(const lead_journey_set *set, const char *name,
                                         uint32_t *out_id);

/** Number of distinct campaigns; ids are 0..count-1 in order of first sight. */
LEAD_API int lead_journey_set_campaign_count(const lead_journey_set *set, size_t *out_count);

/** Name of a campaign id, borrowed from the set. LEAD_ENOTFOUND for an unknown id. */
LEAD_API int lead_journey_set_campaign_name(const lead_journey_set *set, uint32_t campaign_id,
                                            const char **out_name);

/**
 * Reads closed journey `index`. Any output pointer may be NULL.
 * LEAD_ENOTFOUND when index >= count.
 */
LEAD_API int lead_journey_set_journey(const lead_journey_set *set, size_t index,
                                      size_t *out_touch_count, double *out_conversions,
                                      double *out_value, double *out_nulls,
                                      int64_t *out_conversion_time_ms);

/**
 * Reads touch `touch` of journey `journey`. Any output pointer may be NULL.
 * LEAD_ENOTFOUND when either index is out of range.
 */
LEAD_API int lead_journey_set_touch(const lead_journey_set *set, size_t journey, size_t touch,
                                    uint32_t *out_channel, uint32_t *out_campaign,
                                    int64_t *out_time_ms, uint32_t *out_flags);

/**
 * Appends the journeys of a path-level CSV document (ChannelAttribution's
 * format; see docs/attribution.md): a header row naming the columns `path`
 * and `total_conversions`, optionally `total_conversion_value` and
 * `total_null`, in any order (other columns are ignored); one journey per
 * row, its path being channel names joined by separator (NULL for ">"),
 * spaces around names trimmed. data[0..len) need not be NUL-terminated.
 * Returns LEAD_OK, LEAD_EINVAL (bad argument), LEAD_ESTATE (a journey is
 * open), LEAD_EFORMAT (a malformed row or a bad name; lead_journey_set_errmsg()
 * starts with "line N: "), LEAD_ELIMIT or LEAD_ENOMEM. On error the set is
 * exactly as before the call.
 */
LEAD_API int lead_journey_set_read_path_csv(lead_journey_set *set, const char *data, size_t len,
                                            const char *separator);

/**
 * Appends the journeys of a touch-level CSV document (one touch per row; see
 * docs/attribution.md): columns `journey`, `channel`, `conversions`, and
 * optionally `campaign`, `time`, `milestones`, `value`, `nulls`,
 * `conversion_time`. Rows of a journey are contiguous and repeat the same
 * outcome. Returns and errors as lead_journey_set_read_path_csv().
 */
LEAD_API int lead_journey_set_read_touch_csv(lead_journey_set *set, const char *data,
                                             size_t len);

#define LEAD_JOURNEY_QUERY_VERSION 1

/**
 * Which contacts of an engine become journeys, for
 * lead_journey_set_add_from_engine(). Set exactly one of stage and
 * event_type; the other stays -1.
 */
typedef struct lead_journey_query {
    uint32_t struct_size;   /**< sizeof(lead_journey_query) as the caller knows it */
    uint32_t version;       /**< LEAD_JOURNEY_QUERY_VERSION */
    int32_t stage;          /**< converted = first entered this stage (enum lead_stage); -1 */
    int32_t event_type;     /**< converted = first event of this type (enum lead_event_type); -1 */
    uint32_t lookback_days; /**< touches at most this many days before the conversion; 0: all */
    uint32_t include_nulls; /**< non-zero: contacts that did not convert become journeys with
                                 0 conversions and 1 null, touches in the lookback before now */
} lead_journey_query;

#define LEAD_JOURNEY_QUERY_INIT \
    { (uint32_t)sizeof(lead_journey_query), LEAD_JOURNEY_QUERY_VERSION, -1, -1, 90, 0 }

/**
 * Fills the caller's struct_size bytes of *query with LEAD_JOURNEY_QUERY_INIT
 * (for bindings that cannot see macros) and records struct_size.
 * LEAD_EINVAL for NULL or a struct_size smaller than the header.
 */
LEAD_API int lead_journey_query_init(lead_journey_query *query, uint32_t struct_size);

/**
 * Appends one journey per contact of engine that converted as query says:
 * its events from lookback_days before the conversion up to the conversion
 * (the converting event, or the event that moved the stage, included) are
 * the touches, in time order; channel names are lead_channel_name()'s,
 * campaigns the events' campaign strings; a touch is flagged with the
 * contact's milestones (lead creation, opportunity, closed won) that
 * happened at that event. The journey has 1 conversion, the value (minor
 * units) of the converting event (0 when none) and the conversion time.
 * Converting contacts without any event in the window add no journey and are
 * counted in *out_untouched (may be NULL). Returns LEAD_OK, LEAD_EINVAL,
 * LEAD_EVERSION, LEAD_ESTATE (a journey is open), LEAD_ESTORE, LEAD_ECORRUPT,
 * LEAD_ECLOCK, LEAD_ENOMEM; on error the set is as before the call and
 * lead_journey_set_errmsg() tells why.
 */
LEAD_API int lead_journey_set_add_from_engine(lead_journey_set *set, lead_engine *engine,
                                              const lead_journey_query *query,
                                              size_t *out_untouched);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_JOURNEY_H */
