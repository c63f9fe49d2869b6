/*
 * liblead — touchpoint events: tracking them against a contact and reading a
 * contact's events back in time order.
 *
 * Event readers (lead_event_ids() .. lead_event_string()) return LEAD_OK, or
 * LEAD_EINVAL for a NULL event, a NULL output not said to be optional, or a
 * `which` out of range. The built-in name lookups give LEAD_EINVAL for a NULL
 * argument.
 */
#ifndef LEAD_EVENT_H
#define LEAD_EVENT_H

#include "common.h"
#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Built-in event types. Values are fixed forever. */
enum lead_event_type {
    LEAD_EVENT_PAGE_VIEW = 0,
    LEAD_EVENT_FORM_SUBMIT = 1,
    LEAD_EVENT_EMAIL_OPEN = 2,
    LEAD_EVENT_EMAIL_CLICK = 3,
    LEAD_EVENT_EMAIL_BOUNCE = 4,
    LEAD_EVENT_UNSUBSCRIBE = 5,
    LEAD_EVENT_DOWNLOAD = 6,
    LEAD_EVENT_WEBINAR_REGISTER = 7,
    LEAD_EVENT_WEBINAR_ATTEND = 8,
    LEAD_EVENT_AD_CLICK = 9,
    LEAD_EVENT_SOCIAL_ENGAGE = 10,
    LEAD_EVENT_STORE_VISIT = 11,
    LEAD_EVENT_DEMO_REQUEST = 12,
    LEAD_EVENT_MEETING = 13,
    LEAD_EVENT_TRIAL_START = 14,
    LEAD_EVENT_PURCHASE = 15
};
#define LEAD_EVENT_TYPE_COUNT 16

/** Built-in channels. Values are fixed forever. */
enum lead_channel {
    LEAD_CHANNEL_ORGANIC_SEARCH = 0,
    LEAD_CHANNEL_PAID_SEARCH = 1,
    LEAD_CHANNEL_ORGANIC_SOCIAL = 2,
    LEAD_CHANNEL_PAID_SOCIAL = 3,
    LEAD_CHANNEL_EMAIL = 4,
    LEAD_CHANNEL_DIRECT = 5,
    LEAD_CHANNEL_REFERRAL = 6,
    LEAD_CHANNEL_DISPLAY = 7,
    LEAD_CHANNEL_AFFILIATE = 8,
    LEAD_CHANNEL_EVENTS = 9,
    LEAD_CHANNEL_OFFLINE = 10,
    LEAD_CHANNEL_OTHER = 11
};
#define LEAD_CHANNEL_COUNT 12

/** Longest source/medium/campaign/content/idempotency key, in bytes. */
#define LEAD_EVENT_STRING_MAX 512

/** Type name ("page_view", "form_submit", ... as the enum spells it); NULL if not built in. */
LEAD_API const char *lead_event_type_name(int type);
/** Channel name ("organic_search", ...); NULL if not built in. */
LEAD_API const char *lead_channel_name(int channel);
/** Built-in type by name; LEAD_ENOTFOUND otherwise. */
LEAD_API int lead_event_type_from_name(const char *name, int *out_type);
/** Built-in channel by name; LEAD_ENOTFOUND otherwise. */
LEAD_API int lead_channel_from_name(const char *name, int *out_channel);

/** Custom types and channels get ids from these bases up, in registration order. */
#define LEAD_EVENT_TYPE_CUSTOM_BASE 1000
#define LEAD_CHANNEL_CUSTOM_BASE 1000
/** Most custom names per kind, and the longest (bytes of a-z, 0-9, _). */
#define LEAD_CUSTOM_MAX 1000
#define LEAD_CUSTOM_NAME_MAX 64

/**
 * Registers a custom event type by name (1..LEAD_CUSTOM_NAME_MAX of a-z,
 * 0-9, _) in the engine's store, so the id is the same for every engine on
 * that store. Registering a name again, or a built-in name, gives its
 * existing id. LEAD_OK, LEAD_EINVAL, LEAD_ELIMIT, LEAD_ESTORE, LEAD_ECORRUPT,
 * LEAD_EVERSION (the stored names were written by a later library),
 * LEAD_ENOMEM.
 */
LEAD_API int lead_event_type_register(lead_engine *engine, int *out_type, const char *name);
/** Registers a custom channel by name; as lead_event_type_register(). */
LEAD_API int lead_channel_register(lead_engine *engine, int *out_channel, const char *name);
/**
 * Copies the name of any event type, built-in or registered, with a NUL
 * into buf. LEAD_OK, LEAD_EINVAL, LEAD_ENOTFOUND, LEAD_ELIMIT (cap too
 * small; LEAD_CUSTOM_NAME_MAX + 1 always suffices), LEAD_ESTORE,
 * LEAD_ECORRUPT, LEAD_EVERSION (the stored names are damaged, or were written
 * by a later library).
 */
LEAD_API int lead_event_type_lookup(lead_engine *engine, int type, char *buf, size_t cap);
/** The name of any channel, built-in or registered; as lead_event_type_lookup(). */
LEAD_API int lead_channel_lookup(lead_engine *engine, int channel, char *buf, size_t cap);

#define LEAD_EVENT_INPUT_VERSION 1

/** One event to track. Start from LEAD_EVENT_INPUT_INIT; strings are copied. */
typedef struct lead_event_input {
    uint32_t struct_size; /**< sizeof(lead_event_input) as the caller knows it */
    uint32_t version;     /**< LEAD_EVENT_INPUT_VERSION */
    uint64_t contact_id;
    int32_t type;         /**< enum lead_event_type or a registered custom type */
    int32_t channel;      /**< enum lead_channel or a registered custom channel */
    int64_t time_ms;      /**< LEAD_TIME_UNKNOWN: the clock's now */
    int64_t value_minor;  /**< value in minor currency units (cents), 0 if none */
    const char *currency; /**< ISO 4217 code, three letters A-Z, or NULL */
    const char *source;   /**< NULL for none; likewise medium, campaign, content */
    const char *medium;
    const char *campaign;
    const char *content;
    const char *idempotency_key; /**< NULL: none; a key seen before stores nothing */
} lead_event_input;

#define LEAD_EVENT_INPUT_INIT                                                                 \
    {                                                                                        \
        (uint32_t)sizeof(lead_event_input), LEAD_EVENT_INPUT_VERSION, 0, 0,                   \
            LEAD_CHANNEL_DIRECT, LEAD_TIME_UNKNOWN, 0, NULL, NULL, NULL, NULL, NULL, NULL     \
    }

/** Fills *input with LEAD_EVENT_INPUT_INIT: writes struct_size bytes (pass sizeof as your headers
 * know it, so an older caller's smaller struct is never overrun) and sets
 * struct_size to the size both sides know. LEAD_EINVAL for NULL or a
 * struct_size below 8. */
LEAD_API int lead_event_input_init(lead_event_input *input, uint32_t struct_size);

/**
 * Stores an event and updates the contact's derived state in one step: last
 * activity, event count, the lead-creation touch on the first identifying
 * event (form_submit, download, webinar_register, demo_request, trial_start,
 * purchase; a subscriber then becomes a lead), the closed-won touch on the
 * first purchase (the contact becomes a customer). *out_event_id gets the new
 * event's id, or 0 when the idempotency key was tracked before (nothing is
 * stored and LEAD_OK is returned). LEAD_EINVAL, LEAD_ENOTFOUND (no contact),
 * LEAD_EERASED (an erased contact, or one merged into an erased contact),
 * LEAD_EUTF8, LEAD_ETOOLONG, LEAD_ECLOCK, LEAD_ESTORE, LEAD_ECORRUPT,
 * LEAD_EVERSION (an input version this library does not know, or a stored
 * record written by a later library), LEAD_ENUMERIC (a score of an attached
 * model, engine_score.h, would leave the int64 range), LEAD_ENOMEM.
 */
LEAD_API int lead_track(lead_engine *engine, uint64_t *out_event_id,
                        const lead_event_input *input);

/**
 * Tracks events[0..n) in order, with the results of n lead_track() calls,
 * faster: while one event is stored, the contacts and scoring states of the
 * next few are already being fetched into the cache. Each event is its own
 * transaction: at the first failure the call stops and returns its code,
 * the events before it stay tracked, and lead_engine_errmsg() names the
 * failing index ("track batch: event 3: ..."). element_size is the array's
 * stride, sizeof(lead_event_input) as the caller's headers know it (like
 * fwrite's size); each element is filled as for lead_track(), its
 * struct_size at most element_size (else LEAD_EINVAL for it).
 * out_event_ids (NULL: not wanted) gets each tracked event's id, 0 for a
 * replayed idempotency key; *out_done (NULL: not wanted) how many events
 * were tracked (n on success). n == 0 does nothing. Errors as lead_track().
 */
LEAD_API int lead_track_batch(lead_engine *engine, const lead_event_input *events,
                              size_t element_size, size_t n, uint64_t *out_event_ids,
                              size_t *out_done);

typedef struct lead_event lead_event;
typedef struct lead_event_iter lead_event_iter;

/**
 * Iterates a contact's events with time >= from_ms (LEAD_TIME_UNKNOWN: all)
 * in time order; a merged-away id iterates the contact it was merged into.
 * *out is owned by the caller. LEAD_OK, LEAD_EINVAL, LEAD_ENOTFOUND (no such
 * contact), LEAD_EERASED (an erased contact, or one merged into an erased
 * contact), LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION (a merge redirect that
 * is damaged, or was written by a later library), LEAD_ENOMEM.
 */
LEAD_API int lead_event_iter_new(lead_event_iter **out, lead_engine *engine, uint64_t contact_id,
                                 int64_t from_ms);
/**
 * The next event, borrowed from the iterator until the next call.
 * LEAD_ITEROVER after the last; LEAD_EINVAL for NULL, LEAD_ECORRUPT for
 * bytes that fail to decode, LEAD_EVERSION for a record written by a later
 * library, LEAD_ENOMEM.
 */
LEAD_API int lead_event_iter_next(lead_event_iter *iter, const lead_event **out);
/** Frees an iterator. NULL is a no-op. */
LEAD_API void lead_event_iter_free(lead_event_iter *iter);

/** The event's id, contact id, type and channel. Any output may be NULL. */
LEAD_API int lead_event_ids(const lead_event *event, uint64_t *out_event_id,
                            uint64_t *out_contact_id, int *out_type, int *out_channel);
/** The event's time in ms since the epoch. */
LEAD_API int lead_event_time(const lead_event *event, int64_t *out_time_ms);
/** Value in minor units and currency (NULL when none), borrowed. */
LEAD_API int lead_event_value(const lead_event *event, int64_t *out_value_minor,
                              const char **out_currency);

/** Which string lead_event_string() returns. Values are fixed forever. */
enum lead_event_string {
    LEAD_EVENT_SOURCE = 0,
    LEAD_EVENT_MEDIUM = 1,
    LEAD_EVENT_CAMPAIGN = 2,
    LEAD_EVENT_CONTENT = 3,
    LEAD_EVENT_IDEMPOTENCY_KEY = 4
};

/** One of the event's strings, borrowed from the iterator; NULL when unset. */
LEAD_API int lead_event_string(const lead_event *event, int which, const char **out_value);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_EVENT_H */
