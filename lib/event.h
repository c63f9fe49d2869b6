/* Private: a decoded event, its record, and the helpers track and the
 * iterators share. */
#ifndef LEAD_LIB_EVENT_H
#define LEAD_LIB_EVENT_H

#include "lead/event.h"
#include "engine.h"

/* The version written; version 1 records still decode. (event_record.c) */
#define LEAD__EVENT_RECORD_VERSION 2u
#define LEAD__EVENT_STRINGS 5 /* enum lead_event_string */

struct lead_event {
    uint64_t id;
    uint64_t contact_id;
    int32_t type;
    int32_t channel;
    int64_t time_ms;
    int64_t value_minor;
    char currency[4];                      /* "" when none */
    char *strings[LEAD__EVENT_STRINGS];    /* owned by whoever decoded it */
};

/* Decodes an event record into *ev (strings allocated with mem, old ones
 * freed). LEAD_ECORRUPT, LEAD_EVERSION or LEAD_ENOMEM. */
int lead__event_decode(const lead__mem *mem, lead_event *ev, const void *bytes, size_t len);
void lead__event_clear(const lead__mem *mem, lead_event *ev);

/* Reused space for decoding events one after another without allocating
 * per event, for readers that only look (scoring). Zero it before use. */
typedef struct lead__event_light {
    lead_event ev;   /* its strings borrow from buf: never lead__event_clear it */
    lead_event full; /* a version 1 record, decoded in full */
    char *buf;
    size_t cap;
} lead__event_light;
/* Decodes what scoring reads of an event record (type, channel, time,
 * value, currency, strings) into l, checking the record as strictly as
 * lead__event_decode() does: the same records are refused with the same
 * codes. The ids of a version 2 record are checked but not kept (0 in
 * *out). *out points into l until the next call. LEAD_ECORRUPT,
 * LEAD_EVERSION or LEAD_ENOMEM (growing the buffer for strings). */
int lead__event_decode_light(const lead__mem *mem, lead__event_light *l, const void *bytes,
                             size_t len, const lead_event **out);
void lead__event_light_clear(const lead__mem *mem, lead__event_light *l);
/* What scoring reads of an event without value, currency or strings. */
typedef struct lead__event_bare {
    int32_t type;
    int32_t channel;
    int64_t time_ms;
} lead__event_bare;
/* 1 with *out set when bytes hold a valid version 2 event record without
 * value, currency or strings (a record lead__event_decode_light() accepts
 * with the same type, channel and time); else 0, and the caller decodes
 * the record otherwise, which says what is wrong with it. Allocates
 * nothing, reads nothing outside bytes[0..len). */
int lead__event_decode_bare(const void *bytes, size_t len, lead__event_bare *out);
/* Encodes an event record into w (reset first). LEAD_OK, LEAD_ENOMEM, LEAD_ELIMIT. */
int lead__event_encode(lead__rec_writer *w, const lead_event *ev);
/* 1 if c[0..len) is a currency code: three letters A-Z. */
int lead__event_currency_ok(const char *c, size_t len);

/* LEAD_OK if type and channel are built in or registered, else LEAD_EINVAL
 * (or the store's error). (registry.c) */
int lead__registry_check(lead_engine *engine, int type, int channel);

/* Calls fn for each of a contact's events from from_ms in time order,
 * decoded (the event is valid during the call only). fn's non-zero return
 * stops the walk and is returned. Lets scoring and journeys read histories. */
typedef int (*lead__event_visit_fn)(void *user, const lead_event *event);
int lead__event_visit(lead_engine *engine, uint64_t contact_id, int64_t from_ms,
                      lead__event_visit_fn fn, void *user);

#endif
