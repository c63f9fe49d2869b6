/*
 * liblead — contacts: identity, standard fields, lifecycle stage and its
 * history, and the touches attribution anchors on.
 *
 * Contacts live in the engine's store; lead_contact_get() returns a
 * snapshot (lead_contact, opaque) that the caller frees. Strings read from a
 * snapshot are borrowed from it.
 *
 * Snapshot readers (lead_contact_id() .. lead_contact_attr()) return LEAD_OK,
 * or LEAD_EINVAL for a NULL snapshot, a NULL output not said to be optional,
 * or a field, milestone or purpose out of range, besides the LEAD_ENOTFOUND
 * that some of them give.
 */
#ifndef LEAD_CONTACT_H
#define LEAD_CONTACT_H

#include "common.h"
#include "engine.h"
#include "segment.h" /* enum lead_consent_state */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lead_contact lead_contact;

/** Standard fields. Values are fixed forever. */
enum lead_field {
    LEAD_FIELD_EMAIL = 0, /**< normalized, unique per engine */
    LEAD_FIELD_FIRST_NAME = 1,
    LEAD_FIELD_LAST_NAME = 2,
    LEAD_FIELD_PHONE = 3,
    LEAD_FIELD_COMPANY = 4,
    LEAD_FIELD_JOB_TITLE = 5,
    LEAD_FIELD_INDUSTRY = 6,
    LEAD_FIELD_COUNTRY = 7,
    LEAD_FIELD_CITY = 8,
    LEAD_FIELD_WEBSITE = 9,
    LEAD_FIELD_SOURCE = 10,
    LEAD_FIELD_OWNER = 11,
    LEAD_FIELD_EXTERNAL_ID = 12 /**< the CRM's own key, unique per engine */
};
#define LEAD_FIELD_COUNT 13

/** Longest email in bytes (RFC 5321 path limit) and its local part. */
#define LEAD_EMAIL_MAX 254
#define LEAD_EMAIL_LOCAL_MAX 64
/** Longest value of any other standard field, in bytes of UTF-8. */
#define LEAD_FIELD_MAX 1024

/** What lead_contact_create() does when the email or external id exists. */
enum lead_on_duplicate {
    LEAD_DUPLICATE_REFUSE = 0, /**< return LEAD_EEXISTS, store nothing */
    LEAD_DUPLICATE_USE = 1     /**< return LEAD_OK with the existing contact's id */
};

/** Why a stage changed. Values are fixed forever. */
enum lead_stage_reason {
    LEAD_REASON_CREATED = 0,   /**< the contact was created in its first stage */
    LEAD_REASON_MANUAL = 1,    /**< lead_contact_set_stage() */
    LEAD_REASON_EVENT = 2,     /**< a tracked event (first identifying event, purchase) */
    LEAD_REASON_THRESHOLD = 3, /**< a scoring threshold was crossed */
    LEAD_REASON_MERGE = 4      /**< two contacts were merged */
};

/** Flags for lead_contact_set_stage(). */
#define LEAD_STAGE_RESET 1u /**< allow moving backwards on the ordered path */

/** The touches attribution anchors on; journey touch flags are 1 << value
 * (enum lead_touch_flag). Values are fixed forever. */
enum lead_milestone {
    LEAD_MILESTONE_LEAD_CREATION = 0,   /**< the first identifying event */
    LEAD_MILESTONE_OPPORTUNITY = 1,     /**< the event at which the contact became an opportunity */
    LEAD_MILESTONE_CLOSED_WON = 2       /**< the event at which the contact became a customer */
};
#define LEAD_MILESTONE_COUNT 3

/**
 * Normalizes an email address: trims surrounding ASCII whitespace, lowercases
 * ASCII letters, and checks exactly one '@', a local part of 1..64 bytes, a
 * domain of 1.. bytes with no empty label, at most 254 bytes in all, valid
 * UTF-8 and no spaces or control characters. Writes the result and a NUL to
 * out (cap >= LEAD_EMAIL_MAX + 1 always suffices). LEAD_OK, LEAD_EINVAL
 * (NULL argument or not an address), LEAD_EUTF8, LEAD_ETOOLONG, or
 * LEAD_ELIMIT when cap is too small.
 */
LEAD_API int lead_email_normalize(char *out, size_t cap, const char *email);

/**
 * Creates a contact in stage subscriber. email and external_id may be NULL;
 * email is normalized first. On a duplicate email or external id, on_duplicate
 * decides (enum lead_on_duplicate). *out_id receives the id. An email that
 * belongs to an erased contact is accepted: ask lead_contact_is_erased()
 * first to honour an erasure on re-import. LEAD_OK, LEAD_EINVAL, LEAD_EUTF8,
 * LEAD_ETOOLONG, LEAD_EEXISTS, LEAD_ECLOCK, LEAD_ESTORE, LEAD_ECORRUPT,
 * LEAD_EVERSION (the stored id counter is damaged, or was written by a later
 * library), LEAD_ENOMEM.
 */
LEAD_API int lead_contact_create(lead_engine *engine, uint64_t *out_id, const char *email,
                                 const char *external_id, int on_duplicate);

/**
 * Sets a standard field (NULL or "" clears it). Email is normalized and must
 * stay unique, as must the external id; phone must be E.164 ("+" and 8..15
 * digits, separators " -.()" are dropped). LEAD_OK, LEAD_EINVAL,
 * LEAD_ENOTFOUND, LEAD_EERASED, LEAD_EUTF8, LEAD_ETOOLONG, LEAD_EEXISTS,
 * LEAD_ECLOCK, LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION (the stored record was written
 * by a later library), LEAD_ENUMERIC (a score of an attached model would leave
 * the int64 range), LEAD_ENOMEM. Nothing changes on failure.
 */
LEAD_API int lead_contact_set_field(lead_engine *engine, uint64_t id, int field,
                                    const char *value);

/** The id of the contact with this email (normalized first). LEAD_OK,
 * LEAD_ENOTFOUND if none (also for ""), LEAD_EINVAL (NULL argument or not an
 * address), LEAD_EUTF8, LEAD_ETOOLONG, LEAD_ESTORE, LEAD_ENOMEM. */
LEAD_API int lead_contact_find_email(lead_engine *engine, uint64_t *out_id, const char *email);

/** The id of the contact with this external id. LEAD_OK, LEAD_ENOTFOUND if
 * none (also for ""), LEAD_EINVAL (NULL argument), LEAD_EUTF8, LEAD_ETOOLONG,
 * LEAD_ESTORE, LEAD_ENOMEM. */
LEAD_API int lead_contact_find_external(lead_engine *engine, uint64_t *out_id,
                                        const char *external_id);

/**
 * Moves a contact to `stage` for a manual reason. Moving backwards on the
 * ordered path needs LEAD_STAGE_RESET in flags (else LEAD_ESTATE); moving to
 * the current stage is a no-op. Records the exit of the old stage and the
 * entry of the new one at the clock's now and tells the stage observer.
 * LEAD_OK, LEAD_EINVAL, LEAD_ESTATE, LEAD_ENOTFOUND, LEAD_EERASED, LEAD_ECLOCK,
 * LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION (a record written by a later
 * library), LEAD_ENOMEM. Nothing changes on failure.
 */
LEAD_API int lead_contact_set_stage(lead_engine *engine, uint64_t id, int stage, uint32_t flags);

/**
 * Reads a snapshot of a contact. *out is owned by the caller (free it with
 * lead_contact_free()). A merged-away id reads the contact it was merged
 * into. LEAD_OK, LEAD_EINVAL, LEAD_ENOTFOUND, LEAD_EERASED (an erased
 * contact, or one merged into an erased contact), LEAD_ESTORE,
 * LEAD_ECORRUPT, LEAD_EVERSION (the stored record was written by a later
 * library) or LEAD_ENOMEM.
 */
LEAD_API int lead_contact_get(lead_contact **out, lead_engine *engine, uint64_t id);

/** Frees a snapshot. NULL is a no-op. */
LEAD_API void lead_contact_free(lead_contact *contact);

/** The contact's id. */
LEAD_API int lead_contact_id(const lead_contact *contact, uint64_t *out_id);

/** A standard field, borrowed from the snapshot; NULL when not set. */
LEAD_API int lead_contact_field(const lead_contact *contact, int field, const char **out_value);

/** Current lifecycle stage (enum lead_stage). */
LEAD_API int lead_contact_stage(const lead_contact *contact, int *out_stage);

/** Created, last-updated and last-activity times (LEAD_TIME_UNKNOWN: no activity yet). */
LEAD_API int lead_contact_times(const lead_contact *contact, int64_t *out_created_ms,
                                int64_t *out_updated_ms, int64_t *out_last_activity_ms);

/** Number of events tracked for the contact. */
LEAD_API int lead_contact_event_count(const lead_contact *contact, uint64_t *out_count);

/** Number of entries in the stage history (at least 1: the first stage). */
LEAD_API int lead_contact_stage_history_count(const lead_contact *contact, size_t *out_count);

/**
 * Entry i of the stage history, oldest first: the stage, when it was
 * entered and exited (LEAD_TIME_UNKNOWN while current), why it was entered
 * (enum lead_stage_reason) and the id of the event that moved it (0 if none).
 * Any output pointer may be NULL. LEAD_ENOTFOUND for i out of range.
 */
LEAD_API int lead_contact_stage_history_at(const lead_contact *contact, size_t i,
                                           int *out_stage, int64_t *out_entered_ms,
                                           int64_t *out_exited_ms, int *out_reason,
                                           uint64_t *out_event_id);

/**
 * An attribution touch (enum lead_milestone): the event id and its time.
 * LEAD_ENOTFOUND when that touch has not happened.
 */
LEAD_API int lead_contact_milestone(const lead_contact *contact, int milestone, uint64_t *out_event_id,
                                int64_t *out_time_ms);

/** Consent purposes. Values are fixed forever. */
enum lead_consent_purpose {
    LEAD_PURPOSE_EMAIL_MARKETING = 0,
    LEAD_PURPOSE_SMS_MARKETING = 1,
    LEAD_PURPOSE_TRACKING = 2
};
#define LEAD_PURPOSE_COUNT 3

/**
 * Sets the consent for a purpose (enum lead_consent_state, segment.h),
 * timestamped with the clock's now. A bounce
 * on an unsubscribed contact changes nothing (and returns LEAD_OK): the
 * unsubscribe stands. Tracking an unsubscribe event sets email marketing to
 * unsubscribed, an email_bounce event to bounced, the same way. LEAD_OK,
 * LEAD_EINVAL, LEAD_ENOTFOUND, LEAD_EERASED, LEAD_ECLOCK, LEAD_ESTORE,
 * LEAD_ECORRUPT, LEAD_EVERSION (a record written by a later library),
 * LEAD_ENUMERIC (as lead_contact_set_field()), LEAD_ENOMEM.
 */
LEAD_API int lead_contact_set_consent(lead_engine *engine, uint64_t id, int purpose, int state);

/** The consent for a purpose and when it last changed (LEAD_TIME_UNKNOWN: never). */
LEAD_API int lead_contact_consent(const lead_contact *contact, int purpose, int *out_state,
                                  int64_t *out_changed_ms);

/** Custom attribute types. Values are fixed forever. */
enum lead_attr_type {
    LEAD_ATTR_STRING = 0,
    LEAD_ATTR_INT = 1,    /**< int64_t */
    LEAD_ATTR_DOUBLE = 2, /**< finite double */
    LEAD_ATTR_BOOL = 3,   /**< 0 or 1, in the int64_t slot */
    LEAD_ATTR_TIME = 4    /**< ms since the epoch, in the int64_t slot */
};

/** Longest attribute name in bytes, and most attributes per contact. */
#define LEAD_ATTR_NAME_MAX 64
#define LEAD_ATTR_MAX 256

/**
 * Sets custom attribute `name` (1..LEAD_ATTR_NAME_MAX bytes of UTF-8) to a
 * value of `type`: the string in s (UTF-8, at most LEAD_FIELD_MAX bytes),
 * the double in d, or the integer, bool or time in i. Replaces any value and
 * type the attribute had. LEAD_OK, LEAD_EINVAL (bad type, bool not 0/1,
 * non-finite double, empty name), LEAD_EUTF8, LEAD_ETOOLONG, LEAD_ELIMIT
 * (LEAD_ATTR_MAX attributes already), LEAD_ENOTFOUND, LEAD_EERASED, LEAD_ECLOCK,
 * LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION (a record written by a later
 * library), LEAD_ENUMERIC (as lead_contact_set_field()), LEAD_ENOMEM.
 */
LEAD_API int lead_contact_set_attr(lead_engine *engine, uint64_t id, const char *name, int type,
                                   int64_t i, double d, const char *s);

/**
 * Removes custom attribute `name`. LEAD_OK, LEAD_EINVAL (NULL name),
 * LEAD_ENOTFOUND (no such contact, or it has no attribute by that name),
 * LEAD_EERASED, LEAD_ECLOCK, LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION,
 * LEAD_ENOMEM (as lead_contact_set_attr()).
 */
LEAD_API int lead_contact_unset_attr(lead_engine *engine, uint64_t id, const char *name);

/** Number of custom attributes, in the order they were first set. */
LEAD_API int lead_contact_attr_count(const lead_contact *contact, size_t *out_count);

/**
 * Custom attribute i (or by name with lead_contact_attr()): its name, type
 * and value (the slot that matches the type; the others are set to 0/NULL).
 * Strings are borrowed from the snapshot. Any output but out_type may be
 * NULL. LEAD_ENOTFOUND when there is no such attribute.
 */
LEAD_API int lead_contact_attr_at(const lead_contact *contact, size_t i, const char **out_name,
                                  int *out_type, int64_t *out_i, double *out_d,
                                  const char **out_s);
LEAD_API int lead_contact_attr(const lead_contact *contact, const char *name, int *out_type,
                               int64_t *out_i, double *out_d, const char **out_s);

/** Per-field merge policy for lead_contact_merge(). Values are fixed forever. */
enum lead_merge_policy {
    LEAD_MERGE_NEWEST = 0,      /**< the non-empty value of the contact updated last */
    LEAD_MERGE_KEEP_WINNER = 1, /**< the winner's value, even if empty */
    LEAD_MERGE_KEEP_LOSER = 2   /**< the loser's value, even if empty */
};

/**
 * Merges contact `loser` into `winner` (the CRM found duplicates). Each
 * standard field follows field_policies[field] (an array of
 * LEAD_FIELD_COUNT enum lead_merge_policy values; NULL: all
 * LEAD_MERGE_NEWEST). The furthest lifecycle stage is kept (a change is
 * recorded with LEAD_REASON_MERGE), each milestone takes the earlier of the
 * two, the loser's events move to the winner with their ids, and the loser's
 * id resolves to the winner afterwards (every function taking a contact id
 * follows it). The loser's last record is kept with the redirect, so nothing
 * about it is lost. LEAD_OK, LEAD_EINVAL (same contact, bad policy),
 * LEAD_ENOTFOUND, LEAD_EERASED, LEAD_ECLOCK, LEAD_ESTORE, LEAD_ECORRUPT,
 * LEAD_EVERSION (a record written by a later library), LEAD_ENOMEM.
 */
LEAD_API int lead_contact_merge(lead_engine *engine, uint64_t winner, uint64_t loser,
                                const int32_t *field_policies);

/**
 * The id that holds contact `id` now: id itself, or the contact it was
 * merged into. LEAD_ENOTFOUND for an id never seen, LEAD_EERASED for an
 * erased contact (or one merged into an erased contact), LEAD_ESTORE,
 * LEAD_ECORRUPT, LEAD_EVERSION (a merge redirect that is damaged, or was
 * written by a later library).
 */
LEAD_API int lead_contact_resolve(lead_engine *engine, uint64_t *out_id, uint64_t id);

/**
 * Erases a contact (right to be forgotten): its record, its events and the
 * records of contacts merged into it are deleted through the store; only a
 * SHA-256 of each normalized email (its own and those of contacts merged
 * into it) remains (docs/storage.md). Its id then
 * gives LEAD_EERASED. Idempotency keys of its events are kept (they hold no
 * personal data) so replays stay deduplicated. LEAD_OK, LEAD_EINVAL,
 * LEAD_ENOTFOUND, LEAD_EERASED, LEAD_ECLOCK, LEAD_ESTORE, LEAD_ECORRUPT,
 * LEAD_EVERSION (a record written by a later library), LEAD_ENOMEM.
 */
LEAD_API int lead_contact_erase(lead_engine *engine, uint64_t id);

/** *out_erased = 1 if a contact with this email (normalized first) was
 * erased, else 0. LEAD_OK, LEAD_EINVAL (NULL argument or not an address),
 * LEAD_EUTF8, LEAD_ETOOLONG, LEAD_ESTORE, LEAD_ENOMEM. */
LEAD_API int lead_contact_is_erased(lead_engine *engine, int *out_erased, const char *email);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_CONTACT_H */
