/* Private: the contact snapshot, its record encoding, and the helpers the
 * engine's operations (and scoring, attribution) share. */
#ifndef LEAD_LIB_CONTACT_H
#define LEAD_LIB_CONTACT_H

#include "lead/contact.h"
#include "lead/stage.h"
#include "engine.h"

/* Version 2 (fixed block first, docs/storage.md) is written; 1 is still read. */
#define LEAD__CONTACT_RECORD_VERSION 2u

typedef struct lead__stage_span {
    int32_t stage;
    int32_t reason;
    int64_t entered_ms;
    int64_t exited_ms; /* LEAD_TIME_UNKNOWN while current */
    uint64_t event_id; /* 0: not caused by an event */
} lead__stage_span;

typedef struct lead__attr {
    char *name;
    int32_t type; /* enum lead_attr_type */
    int64_t i;
    double d;
    char *s;
} lead__attr;

struct lead_contact {
    lead__mem mem; /* frees the snapshot */
    uint64_t id;
    char *fields[LEAD_FIELD_COUNT];
    int64_t created_ms, updated_ms, last_activity_ms;
    int32_t stage;
    uint64_t event_count;
    uint64_t last_event_id; /* the latest event by time (0: none); its time is last_activity_ms */
    lead__stage_span *history;
    size_t history_len, history_cap;
    uint64_t *absorbed; /* ids of contacts merged into this one */
    size_t absorbed_len, absorbed_cap;
    int32_t consent[LEAD_PURPOSE_COUNT];
    int64_t consent_ms[LEAD_PURPOSE_COUNT];
    lead__attr *attrs;
    size_t attr_len, attr_cap;
    uint64_t touch_event[LEAD_MILESTONE_COUNT]; /* 0: not yet */
    int64_t touch_ms[LEAD_MILESTONE_COUNT];
};

/* An empty snapshot with no stage history (LEAD_ENOMEM: NULL). */
lead_contact *lead__contact_alloc(const lead__mem *mem);
/* Appends an absorbed id. LEAD_ENOMEM leaves the contact unchanged. */
int lead__contact_absorb(lead_contact *contact, uint64_t id);
/* Decodes a contact record into a new snapshot. LEAD_ECORRUPT,
 * LEAD_EVERSION or LEAD_ENOMEM. */
int lead__contact_decode(lead_engine *engine, const void *bytes, size_t len, lead_contact **out);
/* Encodes a contact record into w. */
int lead__contact_encode(lead__rec_writer *w, const lead_contact *contact);
/* Follows merge redirects from id to the contact that holds it now:
 * LEAD_OK with *out_id (id itself when it exists), LEAD_ENOTFOUND,
 * LEAD_EERASED, LEAD_ESTORE or LEAD_ECORRUPT. (merge.c) */
int lead__contact_resolve(lead_engine *engine, uint64_t id, uint64_t *out_id);
/* Like lead__contact_resolve() for an id the store no longer holds: follows
 * its redirect only. (merge.c) */
int lead__contact_follow(lead_engine *engine, uint64_t id, uint64_t *out_id);
/* Reads and decodes contact id (after following merge redirects) from the
 * store into a new snapshot. */
int lead__contact_load(lead_engine *engine, uint64_t id, lead_contact **out);
/* Borrows contact id's record (after following merge redirects) from the
 * store until the engine's next store call; *out_id is the id that holds
 * it. LEAD_ENOTFOUND (with a message), LEAD_EERASED or a store failure. */
int lead__contact_fetch(lead_engine *engine, uint64_t id, uint64_t *out_id,
                        const void **out_bytes, size_t *out_len);
/* Decodes a fetched record of contact id into a new snapshot; a record of
 * another id is LEAD_ECORRUPT. */
int lead__contact_from_record(lead_engine *engine, uint64_t id, const void *bytes, size_t len,
                              lead_contact **out);
/* Reads the fixed block of a version 2 record (the fields a tracked event
 * changes: times, stage, counts, milestones) into c, leaving the rest of c
 * alone, and points *email and *external_id at the index keys inside bytes
 * (NULL: none); *fields_start (may be NULL) is where the tagged fields
 * begin. The header, the block, the keys' framing and the fields' framing
 * are checked, not the fields' values: LEAD_ECORRUPT for anything else,
 * including a version 1 record. */
int lead__contact_hot_read(lead_contact *c, const char **email, const char **external_id,
                           size_t *fields_start, const void *bytes, size_t len);
/* Rewrites the fixed block of the version 2 record at bytes from c. */
void lead__contact_hot_write(void *bytes, const lead_contact *contact);
/* Stores the version 2 record bytes (a copy the engine owns) with its fixed
 * block rewritten from contact; email and external_id point into bytes. */
int lead__contact_save_hot(lead_engine *engine, const lead_contact *contact, void *bytes,
                           size_t len, const char *email, const char *external_id);
/* Encodes and stores a contact (with its email and external id as keys). */
int lead__contact_save(lead_engine *engine, const lead_contact *contact);
/* Appends a stage change at now_ms, or at the current span's entry if
 * now_ms is earlier (closing the current span). Entering an
 * ordered stage at or past lead, opportunity or customer sets each milestone
 * not yet set up to it: at event_id (time now_ms) when the change comes from
 * an event, else at the contact's latest event. LEAD_ENOMEM leaves the
 * contact unchanged. */
int lead__contact_enter_stage(lead_contact *contact, int stage, int reason, int64_t now_ms,
                              uint64_t event_id);
/* Tells the engine's stage observer of every span after the first `from`. */
void lead__contact_notify(lead_engine *engine, const lead_contact *contact, size_t from);
/* Loads contact id, reads the clock, lets change() edit the snapshot, stamps
 * updated_ms and stores it. change() returns LEAD_OK or an error (nothing
 * stored). The common path of every single-record update. */
typedef int (*lead__contact_change_fn)(lead_engine *engine, lead_contact *contact, void *ctx,
                                       int64_t now_ms);
int lead__contact_update(lead_engine *engine, uint64_t id, lead__contact_change_fn change,
                         void *ctx);
/* Applies a consent change (a bounce never overrides an unsubscribe). */
void lead__contact_consent_apply(lead_contact *contact, int purpose, int state, int64_t now_ms);
/* Custom attribute by name; NULL when the contact has none. (attr.c) */
const lead__attr *lead__contact_attr_find(const lead_contact *contact, const char *name);
/* Decodes one attribute field into the contact. (attr.c) */
int lead__attr_decode(lead_contact *contact, const unsigned char *v, size_t len);
/* Encodes every attribute of the contact under tag. (attr.c) */
void lead__attr_encode(lead__rec_writer *w, unsigned tag, const lead_contact *contact);
void lead__attr_free_all(lead_contact *contact);
/* Copies every attribute of src into dst that dst lacks. (attr.c) */
int lead__attr_merge(lead_contact *dst, const lead_contact *src);
/* Standard field by name as the scoring rules spell it ("email", "first_name",
 * ..., "external_id"), borrowed; NULL when unset or unknown. */
const char *lead__contact_field_by_name(const lead_contact *contact, const char *name);
/* The lead_field that name names, or -1 (the names lead__contact_field_by_name
 * knows). */
int lead__contact_field_index(const char *name);

#endif
