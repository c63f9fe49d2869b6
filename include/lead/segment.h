/*
 * liblead — segments: saved conditions over contacts.
 *
 * A segment combines field and attribute tests (the fit-rule operators),
 * lifecycle stage, score ranges and grades per scoring model, consent state
 * per purpose, and event counts in a time window, with all / any / not
 * groups. It is written in the text format of docs/segments.md (the same
 * family as scoring models), read with lead_segment_parse() and written back
 * in canonical form with lead_segment_format().
 *
 * A contact is evaluated from two inputs the caller owns: a
 * lead_score_subject (fields, attributes and events, see score.h) and a
 * lead_segment_facts (stage, consent, scores), at a time the caller gives.
 * The answer depends on nothing else.
 */
#ifndef LEAD_SEGMENT_H
#define LEAD_SEGMENT_H

#include "common.h"
#include "engine.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lead_segment lead_segment;
typedef struct lead_segment_facts lead_segment_facts;

/** Consent states of a contact for one purpose (e.g. "email"). */
enum lead_consent_state {
    LEAD_CONSENT_NOT_SET = 0, /**< never asked: also what an unset purpose reads as */
    LEAD_CONSENT_PENDING = 1, /**< asked, not confirmed yet (double opt-in) */
    LEAD_CONSENT_SUBSCRIBED = 2,
    LEAD_CONSENT_UNSUBSCRIBED = 3,
    LEAD_CONSENT_BOUNCED = 4
};

/** Number of consent states; valid values are 0 .. LEAD_CONSENT_STATE_COUNT - 1. */
#define LEAD_CONSENT_STATE_COUNT 5

/**
 * The state's name as the segment format spells it ("not-set", "pending",
 * "subscribed", "unsubscribed", "bounced"), a static string; NULL for a
 * value that is not a state.
 */
LEAD_API const char *lead_consent_state_name(int state);

/**
 * Creates an empty segment (no conditions: every contact matches). alloc
 * may be NULL for libc; the hooks are copied. On success *out owns the
 * segment (lead_segment_free()); on failure *out is NULL. Returns LEAD_OK,
 * LEAD_EINVAL, LEAD_EVERSION or LEAD_ENOMEM.
 */
LEAD_API int lead_segment_new(lead_segment **out, const lead_allocator *alloc);

/** Frees a segment. NULL is a no-op. */
LEAD_API void lead_segment_free(lead_segment *segment);

/**
 * Replaces the segment's definition with the one in text[0..len) (any
 * bytes; no NUL needed). On failure the segment keeps its previous
 * definition and lead_segment_error() says where and why. Returns LEAD_OK,
 * LEAD_EINVAL (NULL segment, or NULL text with len > 0), LEAD_EFORMAT,
 * LEAD_ELIMIT (a documented limit exceeded), LEAD_EUTF8 or LEAD_ENOMEM.
 */
LEAD_API int lead_segment_parse(lead_segment *segment, const char *text, size_t len);

/**
 * Where and why the last lead_segment_parse() failed: 1-based line and byte
 * column (0, 0 when the failure has no position or nothing failed) and a
 * message borrowed from the segment until its next parse (never NULL; ""
 * after success). Any out pointer may be NULL. LEAD_OK or LEAD_EINVAL.
 */
LEAD_API int lead_segment_error(const lead_segment *segment, uint32_t *out_line,
                                uint32_t *out_column, const char **out_message);

/**
 * Writes the segment's canonical text to buf (capacity cap bytes, NUL
 * terminated) and its length without the NUL to *out_len. buf may be NULL
 * when cap is 0, to ask for the length. Returns LEAD_OK, LEAD_EINVAL, or
 * LEAD_ELIMIT when cap is too small (then *out_len still holds the length
 * needed, minus the NUL).
 */
LEAD_API int lead_segment_format(const lead_segment *segment, char *buf, size_t cap,
                                 size_t *out_len);

/**
 * The segment's name, borrowed from the segment until its next parse; ""
 * when the text gave none. LEAD_OK or LEAD_EINVAL.
 */
LEAD_API int lead_segment_name(const lead_segment *segment, const char **out_name);

/** Number of conditions, groups included (0 for an empty segment). LEAD_OK,
 * or LEAD_EINVAL for NULL. */
LEAD_API int lead_segment_condition_count(const lead_segment *segment, size_t *out_count);

/* ---- facts ---------------------------------------------------------------- */

/**
 * Creates an empty set of facts about one contact: no stage, every consent
 * purpose not set, no scores. alloc may be NULL for libc. On success *out
 * owns the facts (lead_segment_facts_free()). LEAD_OK, LEAD_EINVAL,
 * LEAD_EVERSION or LEAD_ENOMEM.
 */
LEAD_API int lead_segment_facts_new(lead_segment_facts **out, const lead_allocator *alloc);

/** Frees facts. NULL is a no-op. */
LEAD_API void lead_segment_facts_free(lead_segment_facts *facts);

/** Forgets everything set, keeping the memory for reuse. LEAD_OK or LEAD_EINVAL. */
LEAD_API int lead_segment_facts_reset(lead_segment_facts *facts);

/**
 * Sets the contact's lifecycle stage (a lead_stage value, stage.h), or -1
 * for none (then every stage condition is false). LEAD_OK or LEAD_EINVAL.
 */
LEAD_API int lead_segment_facts_set_stage(lead_segment_facts *facts, int32_t stage);

/**
 * Sets the consent state for `purpose` (copied), replacing an earlier one.
 * LEAD_OK, LEAD_EINVAL (NULL, empty purpose or unknown state) or
 * LEAD_ENOMEM (unchanged).
 */
LEAD_API int lead_segment_facts_set_consent(lead_segment_facts *facts, const char *purpose,
                                            int32_t state);

/**
 * Sets the scores of the model named `model` (copied; the name written in
 * `score "<model>" …` conditions), replacing earlier ones: fit, behaviour
 * and total in centipoints as lead_score_result_scores() gives them, and
 * the grade 'A' .. 'D' or 'F'. A model without scores fails every score and
 * grade condition naming it. LEAD_OK, LEAD_EINVAL (NULL, empty name, bad
 * grade) or LEAD_ENOMEM (unchanged).
 */
LEAD_API int lead_segment_facts_set_scores(lead_segment_facts *facts, const char *model,
                                           int64_t fit, int64_t behaviour, int64_t total,
                                           char grade);

/**
 * Sets the scores of `model` from a scoring result (as
 * lead_segment_facts_set_scores() with the result's scores and grade);
 * LEAD_EINVAL also for a NULL result.
 */
LEAD_API int lead_segment_facts_set_result(lead_segment_facts *facts, const char *model,
                                           const lead_score_result *result);

/* ---- evaluation ------------------------------------------------------------ */

/**
 * Whether the contact described by facts and subject is in the segment at
 * time_ms: *out_match is 1 or 0. Events later than time_ms do not exist
 * yet; a window of D counts events with time in (time_ms - D, time_ms].
 * facts may be NULL (no stage, no consent, no scores) and subject NULL (no
 * fields, no events). Never allocates.
 * LEAD_OK or LEAD_EINVAL.
 */
LEAD_API int lead_segment_evaluate(const lead_segment *segment, const lead_segment_facts *facts,
                                   const lead_score_subject *subject, int64_t time_ms,
                                   int *out_match);

/**
 * As lead_segment_evaluate(), and also evaluates and records every
 * condition (no short cut), so that lead_segment_explain_item() can say why
 * a contact is or is not in the segment. Never allocates. LEAD_OK or
 * LEAD_EINVAL.
 */
LEAD_API int lead_segment_evaluate_explain(lead_segment *segment,
                                           const lead_segment_facts *facts,
                                           const lead_score_subject *subject, int64_t time_ms,
                                           int *out_match);

/**
 * Condition i (0-based, in text order, groups included) of the last
 * lead_segment_evaluate_explain(): the 1-based line of the condition in the
 * canonical text, its nesting depth (0 at the top), whether it held (1 or
 * 0, after its `not`) and, for event conditions, how many events counted
 * (0 otherwise). Any out pointer may be NULL. LEAD_OK, LEAD_EINVAL,
 * LEAD_ENOTFOUND past the end, LEAD_ESTATE before any explained evaluation.
 */
LEAD_API int lead_segment_explain_item(const lead_segment *segment, size_t i, uint32_t *out_line,
                                       uint32_t *out_depth, int *out_held, uint64_t *out_count);

/* ---- the contacts of an engine ------------------------------------------ */

typedef struct lead_segment_iter lead_segment_iter;

/**
 * Called for each contact before it is evaluated, to add to facts what the
 * engine does not keep (consent, scores of models not attached); facts
 * already hold the contact's stage and, when the segment has a score or
 * grade condition, its scores under every model attached to the engine
 * (engine_score.h) at the iterator's time. Return 0 to go on; any other value stops, and
 * lead_segment_iter_next() returns LEAD_ECANCELED.
 */
typedef int (*lead_segment_facts_fn)(void *user, uint64_t contact_id,
                                     lead_segment_facts *facts);

/**
 * Iterates the engine's contacts that are in the segment at the engine
 * clock's now, read once here (lead_segment_iter_time()). A contact is seen
 * as its standard fields under the names "email", "first_name", ...,
 * "external_id", its stage, and its events: type and channel by their
 * names (lead_event_type_name(), lead_channel_name()), campaign, and the
 * properties "source", "medium" and "content" when set. facts_fn may be
 * NULL. The ids of the contacts are taken here, in ascending order: later
 * contacts are not visited and deleted ones are skipped. segment is
 * borrowed: keep it alive and unchanged while the iterator exists. On
 * success *out owns the iterator (lead_segment_iter_free()). LEAD_OK,
 * LEAD_EINVAL, LEAD_ECLOCK, LEAD_ESTORE or LEAD_ENOMEM.
 */
LEAD_API int lead_segment_iter_new(lead_segment_iter **out, lead_engine *engine,
                                   const lead_segment *segment, lead_segment_facts_fn facts_fn,
                                   void *facts_user);

/**
 * The id of the next contact in the segment. LEAD_ITEROVER after the last.
 * On LEAD_ESTORE, LEAD_ECORRUPT, LEAD_EVERSION (a record written by a later
 * library), LEAD_ECANCELED, LEAD_ENUMERIC or LEAD_ENOMEM the iterator
 * stays on the contact that failed: calling again retries it.
 */
LEAD_API int lead_segment_iter_next(lead_segment_iter *iter, uint64_t *out_contact_id);

/** The time the iterator evaluates at, in ms since the epoch. LEAD_OK, or
 * LEAD_EINVAL for NULL. */
LEAD_API int lead_segment_iter_time(const lead_segment_iter *iter, int64_t *out_time_ms);

/** Frees an iterator. NULL is a no-op. */
LEAD_API void lead_segment_iter_free(lead_segment_iter *iter);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_SEGMENT_H */
