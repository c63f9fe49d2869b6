/* Private: the engine's layout, shared by the files that implement it, and
 * the seams other parts of the library hook into. */
#ifndef LEAD_LIB_ENGINE_H
#define LEAD_LIB_ENGINE_H

#include "lead/engine.h"
#include "lead/sys/store.h"
#include "alloc.h"
#include "record.h"

#define LEAD__ERRMSG_CAP 256
#define LEAD__TRACK_OBSERVERS_MAX 4

struct lead_contact;
struct lead_event;
struct lead__scores; /* engine_score.h */

/*
 * Seams for scoring and attribution (private, may change with the library):
 *  - lead__engine_add_track_observer(): be told of every tracked event with
 *    the contact's state after it (incremental scoring);
 *  - lib/contact.h: lead__contact_load() gives a snapshot;
 *    lead__contact_field_by_name() and lead__contact_attr_find() read its
 *    standard fields and custom attributes by name; its milestones
 *    (touch_event/touch_ms) are the lead-creation, opportunity-creation and
 *    closed-won touches; lead__contact_enter_stage() with
 *    LEAD_REASON_THRESHOLD + lead__contact_save() + lead__contact_notify()
 *    moves a stage on a threshold crossing;
 *  - lib/event.h: lead__event_visit() walks a contact's events in time
 *    order, decoded; the public lead_event_iter does the same for callers.
 * The engine keeps no cache of contact state: the store is the only truth,
 * so two engines on one store always agree. The one exception is the scores
 * of attached models (engine_score.h), kept in engine memory and rebuilt
 * from the store when they fall behind it or on lead_engine_rescore().
 */

/* Called by lead_track() after the event and the contact are stored, with
 * the contact's state after the event. A non-zero return is reported as the
 * result of lead_track() (the event stays stored). Used by incremental
 * scoring. */
typedef int (*lead__track_observer_fn)(void *user, lead_engine *engine,
                                       const struct lead_contact *contact,
                                       const struct lead_event *event);

struct lead_engine {
    lead__mem mem;
    lead_clock clock;
    lead_store store;         /* the caller's table, or the owned memory store's */
    lead_store *owned_store;  /* the embedded store when the options named none */
    lead__rec_writer writer;  /* reused encode buffer */
    void (*stage_observer)(void *user, uint64_t contact_id, int from_stage, int to_stage,
                           int reason, int64_t time_ms);
    void *stage_observer_user;
    uint64_t default_calling_code;
    struct {
        lead__track_observer_fn fn;
        void *user;
    } track_observers[LEAD__TRACK_OBSERVERS_MAX];
    size_t track_observer_count;
    struct lead__scores *scores; /* attached scoring models; NULL: none yet */
    char errmsg[LEAD__ERRMSG_CAP];
};

/* Records a printf-style detail for lead_engine_errmsg() and returns code, so
 * a failure path reads `return lead__fail(e, LEAD_EINVAL, "...")`. */
int lead__fail(lead_engine *engine, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* For a stored record that a decoder refused with rc: LEAD_EVERSION (a record
 * of a later version, which a later library may have written) with "<what>
 * is version V, newer than this library reads (up to newest)", anything else
 * LEAD_ECORRUPT with "<what> does not decode"; what is printf-style. The
 * record's version byte (offset 3) is read only for LEAD_EVERSION, which the
 * decoders return after checking the bytes before it. */
int lead__fail_record(lead_engine *engine, int rc, const void *bytes, unsigned newest,
                      const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Reads the engine clock; LEAD_ECLOCK with a message when it fails. */
int lead__now(lead_engine *engine, int64_t *out_ms);

/* Maps a store callback's return to a status: 0 -> LEAD_OK, LEAD_ENOTFOUND
 * and LEAD_ENOMEM kept, anything else LEAD_ESTORE with `what` and the value in errmsg. */
int lead__store_status(lead_engine *engine, int cb, const char *what);

/* Transaction brackets: no-ops for a store without transactions. */
int lead__store_begin(lead_engine *engine);
/* Ends what lead__store_begin() started: commits when rc is LEAD_OK (a
 * failed commit is rolled back), rolls back otherwise. Returns the final
 * status. */
int lead__store_finish(lead_engine *engine, int rc);

/* Every contact id in the store, ascending, in an array allocated with mem
 * (the caller frees it). LEAD_OK, LEAD_ESTORE or LEAD_ENOMEM. */
int lead__engine_contact_ids(lead_engine *engine, const lead__mem *mem, uint64_t **out_ids,
                             size_t *out_count);

/* Attaches an observer of lead_track(). LEAD_ELIMIT past
 * LEAD__TRACK_OBSERVERS_MAX. */
int lead__engine_add_track_observer(lead_engine *engine, lead__track_observer_fn fn, void *user);

#endif
