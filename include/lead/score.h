/*
 * liblead — lead scoring models: BANT/profile fit, behavioural points with
 * caps, windows and exponential decay, thresholds that move stages, and an
 * explanation of every score.
 *
 * A model is written in a small text format (docs/scoring-model.md) and read
 * with lead_score_model_parse(); lead_score_model_format() writes it back in
 * canonical form, byte for byte what parse accepted when the input was
 * canonical.
 *
 * Scores are exact integers in hundredths of a point ("centipoints"):
 * 2.5 points is 250. Explanation items are in the same unit and always sum
 * exactly to the score they explain.
 */
#ifndef LEAD_SCORE_H
#define LEAD_SCORE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lead_score_model lead_score_model;
typedef struct lead_score_result lead_score_result;

/** BANT dimensions as bits of lead_score_result_bant()'s mask. */
enum lead_score_bant {
    LEAD_SCORE_BUDGET = 1,
    LEAD_SCORE_AUTHORITY = 2,
    LEAD_SCORE_NEED = 4,
    LEAD_SCORE_TIMELINE = 8
};

/**
 * Creates an empty model (no rules, no decay, default grade bands A 80,
 * B 60, C 40, D 20). alloc may be NULL for libc; the hooks are copied and
 * used for the model and every result made from it. On success *out owns the
 * model (lead_score_model_free()); on failure *out is NULL. Returns LEAD_OK,
 * LEAD_EINVAL, LEAD_EVERSION or LEAD_ENOMEM.
 */
LEAD_API int lead_score_model_new(lead_score_model **out, const lead_allocator *alloc);

/** Frees a model. NULL is a no-op. */
LEAD_API void lead_score_model_free(lead_score_model *model);

/**
 * Replaces the model's definition with the one in text[0..len) (any bytes;
 * no NUL needed). On failure the model keeps its previous definition and
 * lead_score_model_error() says where and why. Returns LEAD_OK,
 * LEAD_EINVAL (NULL model, or NULL text with len > 0), LEAD_EFORMAT,
 * LEAD_ELIMIT (a documented limit exceeded), LEAD_EUTF8 or LEAD_ENOMEM.
 */
LEAD_API int lead_score_model_parse(lead_score_model *model, const char *text, size_t len);

/**
 * Where and why the last lead_score_model_parse() on this model failed:
 * 1-based line and byte column (0, 0 when the failure has no position or
 * nothing failed) and a message borrowed from the model until its next
 * parse (never NULL; "" after success). Any out pointer may be NULL.
 * Returns LEAD_OK or LEAD_EINVAL for a NULL model.
 */
LEAD_API int lead_score_model_error(const lead_score_model *model, uint32_t *out_line,
                                    uint32_t *out_column, const char **out_message);

/**
 * Writes the model's canonical text to buf (capacity cap bytes, NUL
 * terminated) and its length without the NUL to *out_len. buf may be NULL
 * when cap is 0, to ask for the length. Returns LEAD_OK, LEAD_EINVAL, or
 * LEAD_ELIMIT when cap is too small (then *out_len still holds the length
 * needed, minus the NUL, and buf holds nothing useful).
 */
LEAD_API int lead_score_model_format(const lead_score_model *model, char *buf, size_t cap,
                                     size_t *out_len);

/** Number of fit rules and of behaviour rules. Either out may be NULL.
 * LEAD_OK, or LEAD_EINVAL for a NULL model. */
LEAD_API int lead_score_model_rule_counts(const lead_score_model *model, size_t *out_fit,
                                          size_t *out_behaviour);

/* ---- results ---------------------------------------------------------- */

/** Frees a result. NULL is a no-op. */
LEAD_API void lead_score_result_free(lead_score_result *result);

/**
 * The scores in centipoints: fit 0..10000 (0..100 points), behaviour (after
 * the model's total cap and floor, decayed to the scoring time) and total =
 * fit + behaviour. Any out pointer may be NULL. LEAD_OK or LEAD_EINVAL.
 */
LEAD_API int lead_score_result_scores(const lead_score_result *result, int64_t *out_fit,
                                      int64_t *out_behaviour, int64_t *out_total);

/** The fit grade, one of 'A', 'B', 'C', 'D', 'F'. LEAD_OK or LEAD_EINVAL. */
LEAD_API int lead_score_result_grade(const lead_score_result *result, char *out_grade);

/** The BANT dimensions met, as LEAD_SCORE_BUDGET | ... bits. */
LEAD_API int lead_score_result_bant(const lead_score_result *result, uint32_t *out_mask);

/**
 * The furthest lifecycle stage (a lead_stage value, see stage.h) whose
 * threshold the score meets and the 0-based index of the stage rule that
 * reached it. LEAD_ENOTFOUND when no threshold is met; either out may be
 * NULL.
 */
LEAD_API int lead_score_result_stage(const lead_score_result *result, int32_t *out_stage,
                                     size_t *out_rule);

/** What an explanation item stands for. */
enum lead_score_item_kind {
    LEAD_SCORE_ITEM_FIT_RULE = 1,   /**< a fit rule that matched the attribute `subject` */
    LEAD_SCORE_ITEM_FIT_BASE = 2,   /**< the fit offset of the model's negative rules */
    LEAD_SCORE_ITEM_EVENT = 3,      /**< a behaviour rule hit by event `event_index` */
    LEAD_SCORE_ITEM_BEHAVIOUR_CAP = 4,   /**< what the total cap took off */
    LEAD_SCORE_ITEM_BEHAVIOUR_FLOOR = 5  /**< what the floor added */
};

#define LEAD_SCORE_ITEM_VERSION 1

/**
 * One line of an explanation. Strings are borrowed from the result.
 * raw is the rule's points in centipoints; value is what the item adds to
 * the total (normalised for fit, decayed for behaviour).
 */
typedef struct lead_score_item {
    uint32_t struct_size; /**< sizeof(lead_score_item) as the caller knows it */
    uint32_t version;     /**< LEAD_SCORE_ITEM_VERSION */
    int32_t kind;         /**< enum lead_score_item_kind */
    uint32_t rule;        /**< 0-based fit or behaviour rule index (kinds 1 and 3) */
    const char *subject;  /**< attribute name or event type; "" otherwise */
    uint64_t event_index; /**< position of the event in the contact's history (kind 3) */
    int64_t event_time;   /**< ms since the epoch (kind 3), else 0 */
    int64_t raw;          /**< undecayed, unnormalised points in centipoints */
    int64_t value;        /**< contribution to the total, centipoints */
} lead_score_item;

#define LEAD_SCORE_ITEM_INIT \
    { (uint32_t)sizeof(lead_score_item), LEAD_SCORE_ITEM_VERSION, 0, 0, NULL, 0, 0, 0, 0 }

/** Fills *item with LEAD_SCORE_ITEM_INIT: writes struct_size bytes (pass sizeof as your headers
 * know it, so an older caller's smaller struct is never overrun) and sets
 * struct_size to the size both sides know. LEAD_EINVAL for NULL or a
 * struct_size below 8. */
LEAD_API int lead_score_item_init(lead_score_item *item, uint32_t struct_size);

/** Number of explanation items (0 when the result was made without one).
 * LEAD_OK, or LEAD_EINVAL for NULL. */
LEAD_API int lead_score_result_item_count(const lead_score_result *result, size_t *out_count);

/**
 * Copies item i into *out (min(out->struct_size, sizeof) bytes; set
 * struct_size and version first, e.g. with LEAD_SCORE_ITEM_INIT). Items come
 * fit first in rule order, then behaviour by rule and event time, then the
 * cap/floor adjustment; their values sum exactly to the total.
 * LEAD_ENOTFOUND past the end; LEAD_EINVAL / LEAD_EVERSION for a bad *out.
 */
LEAD_API int lead_score_result_item(const lead_score_result *result, size_t i,
                                    lead_score_item *out);

/* ---- scoring without an engine --------------------------------------------- */

typedef struct lead_score_subject lead_score_subject;

/**
 * Creates an empty subject: a contact's attributes and event history, held
 * by the caller's program rather than an engine's store, to score with
 * lead_score_evaluate(). alloc may be NULL for libc. On success *out owns
 * the subject (lead_score_subject_free()). LEAD_OK, LEAD_EINVAL,
 * LEAD_EVERSION or LEAD_ENOMEM.
 */
LEAD_API int lead_score_subject_new(lead_score_subject **out, const lead_allocator *alloc);

/** Frees a subject. NULL is a no-op. */
LEAD_API void lead_score_subject_free(lead_score_subject *subject);

/**
 * Sets field or attribute `name` to `value` (both copied; numbers in
 * decimal text). A name set twice keeps the first value. LEAD_OK,
 * LEAD_EINVAL or LEAD_ENOMEM (unchanged).
 */
LEAD_API int lead_score_subject_set(lead_score_subject *subject, const char *name,
                                    const char *value);

/**
 * Appends an event: its type (non-empty), channel and campaign (NULL for
 * none) and time in ms since the epoch, not earlier than the previous
 * event's. Strings are copied. LEAD_OK, LEAD_EINVAL (also for a time going
 * backwards) or LEAD_ENOMEM (unchanged).
 */
LEAD_API int lead_score_subject_add_event(lead_score_subject *subject, const char *type,
                                          const char *channel, const char *campaign,
                                          int64_t time_ms);

/**
 * Adds a property to the latest event (copied). LEAD_OK, LEAD_EINVAL (NULL
 * argument or no event yet) or LEAD_ENOMEM (unchanged).
 */
LEAD_API int lead_score_subject_add_property(lead_score_subject *subject, const char *name,
                                             const char *value);

/**
 * Scores a subject under a model at time_ms: events later than time_ms do
 * not count yet. On success *out owns a result with its explanation
 * (lead_score_result_free()); it uses the model's allocator. LEAD_OK,
 * LEAD_EINVAL, LEAD_ENUMERIC or LEAD_ENOMEM.
 */
LEAD_API int lead_score_evaluate(lead_score_result **out, const lead_score_model *model,
                                 const lead_score_subject *subject, int64_t time_ms);

typedef struct lead_score_tracker lead_score_tracker;

/**
 * Creates an incremental scorer for one subject under a copy of model
 * (later changes to model do not reach it: a new tracker rescores under a
 * changed model). It uses the model's allocator. On success *out owns the
 * tracker (lead_score_tracker_free()). LEAD_OK, LEAD_EINVAL or LEAD_ENOMEM.
 */
LEAD_API int lead_score_tracker_new(lead_score_tracker **out, const lead_score_model *model);

/** Frees a tracker. NULL is a no-op. */
LEAD_API void lead_score_tracker_free(lead_score_tracker *tracker);

/**
 * Counts the subject's events added since the tracker last saw it: constant
 * work per new event and rule, no allocation. LEAD_OK, LEAD_EINVAL, or
 * LEAD_ESTATE when the subject has fewer events than the tracker already
 * counted (not the subject it tracks).
 */
LEAD_API int lead_score_tracker_update(lead_score_tracker *tracker,
                                      const lead_score_subject *subject);

/**
 * The score at time_ms from the tracked state, for the subject's current
 * attributes: the same figures lead_score_evaluate() gives for the events
 * counted so far, without explanation items. On success *out owns the
 * result. LEAD_OK, LEAD_EINVAL, LEAD_ESTATE (time_ms before the latest
 * counted event), LEAD_ENUMERIC or LEAD_ENOMEM.
 */
LEAD_API int lead_score_tracker_score(lead_score_result **out, const lead_score_tracker *tracker,
                                      const lead_score_subject *subject, int64_t time_ms);

/* ---- predictive fit ------------------------------------------------------ */

typedef struct lead_score_examples lead_score_examples;

/**
 * Creates an empty set of labelled examples for lead_score_learn(). alloc
 * may be NULL for libc. On success *out owns the set
 * (lead_score_examples_free()). LEAD_OK, LEAD_EINVAL, LEAD_EVERSION or
 * LEAD_ENOMEM.
 */
LEAD_API int lead_score_examples_new(lead_score_examples **out, const lead_allocator *alloc);

/** Frees an example set. NULL is a no-op. */
LEAD_API void lead_score_examples_free(lead_score_examples *examples);

/**
 * Starts a new example: a contact that reached the stage being learned
 * (label 1) or did not (label 0). Its attributes follow with
 * lead_score_examples_set(). LEAD_OK, LEAD_EINVAL (label not 0 or 1) or
 * LEAD_ENOMEM (the set is unchanged).
 */
LEAD_API int lead_score_examples_add(lead_score_examples *examples, int label);

/**
 * Sets field or attribute `name` of the latest example to `value` (both
 * copied; numbers in decimal text). A name set twice keeps the first value.
 * LEAD_OK, LEAD_EINVAL (NULL argument, or no example added yet) or
 * LEAD_ENOMEM (unchanged).
 */
LEAD_API int lead_score_examples_set(lead_score_examples *examples, const char *name,
                                     const char *value);

/** The number of examples in the set. LEAD_OK, or LEAD_EINVAL for NULL. */
LEAD_API int lead_score_examples_count(const lead_score_examples *examples, size_t *out_count);

#define LEAD_SCORE_LEARN_OPTIONS_VERSION 1

/** How lead_score_learn() fits. */
typedef struct lead_score_learn_options {
    uint32_t struct_size;    /**< sizeof(lead_score_learn_options) as the caller knows it */
    uint32_t version;        /**< LEAD_SCORE_LEARN_OPTIONS_VERSION */
    double l2;               /**< L2 penalty lambda on the rule weights, >= 0 (default 1) */
    uint32_t max_iterations; /**< Newton steps at most, 1..1000 (default 50) */
    double points_per_logit; /**< points per unit of log-odds, > 0 (default 10) */
} lead_score_learn_options;

#define LEAD_SCORE_LEARN_OPTIONS_INIT \
    { (uint32_t)sizeof(lead_score_learn_options), LEAD_SCORE_LEARN_OPTIONS_VERSION, 1.0, 50, 10.0 }

/** Fills *opts with LEAD_SCORE_LEARN_OPTIONS_INIT: writes struct_size bytes (pass sizeof as your headers
 * know it, so an older caller's smaller struct is never overrun) and sets
 * struct_size to the size both sides know. LEAD_EINVAL for NULL or a
 * struct_size below 8. */
LEAD_API int lead_score_learn_options_init(lead_score_learn_options *opts, uint32_t struct_size);

/**
 * Learns the points of template_model's fit rules from examples with
 * L2-regularised logistic regression (each rule a 0/1 feature; Newton's
 * method; deterministic) and returns a copy of template_model whose fit points
 * are round(points_per_logit * weight), clamped to +-1000000. Behaviour
 * rules, thresholds and settings are copied unchanged. opts may be NULL for
 * the defaults. On success *out owns a new model (same allocator as
 * template_model). Returns LEAD_OK, LEAD_EINVAL (NULL argument, no examples, no
 * fit rules, bad options), LEAD_EVERSION, LEAD_ELIMIT (more than 256 fit
 * rules), LEAD_ENUMERIC (the fit did not stay finite, e.g. l2 = 0 with
 * collinear rules) or LEAD_ENOMEM.
 */
LEAD_API int lead_score_learn(lead_score_model **out, const lead_score_model *template_model,
                              const lead_score_examples *examples,
                              const lead_score_learn_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_SCORE_H */
