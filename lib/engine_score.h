/* Private: scoring models attached to an engine, the state kept per contact
 * and model, and the hooks the engine's writes call.
 *
 * A write that may move scores (lead_track, a field or attribute change)
 * calls a prepare hook on the contact snapshot before the snapshot is
 * stored: it brings the kept state forward (recording how to undo it) and
 * enters any stage a threshold now reaches. After the store write the
 * caller settles: the undo log is dropped on success and replayed on
 * failure, so a failed write leaves the kept state as it was. */
#ifndef LEAD_LIB_ENGINE_SCORE_H
#define LEAD_LIB_ENGINE_SCORE_H

#include "lead/engine_score.h"
#include "lead/event.h"
#include "lead/segment.h"
#include "contact.h"
#include "engine.h"
#include "score.h"

/* One contact's state under one model: one cache line (the table aligns
 * its slots to 64 bytes, so a slot never straddles two) and one heap
 * block. */
typedef struct lead__es_entry {
    union {
        struct {
            uint64_t id;   /* the contact; 0: a free slot */
            uint64_t seen; /* the contact's events this state accounts for */
            int32_t fit;   /* centipoints, recomputed when a field or attribute changes */
            uint8_t bant;  /* BANT mask: LEAD__DIM_COUNT bits */
            char grade;
            lead__score_state st;
        };
        unsigned char line[64];
    };
} lead__es_entry;
_Static_assert(sizeof(lead__es_entry) == 64, "a kept entry is one cache line");

/* An open-addressing table (linear probing, power-of-two size) of entries. */
typedef struct lead__es_table {
    lead__es_entry *slots; /* inside block, at a multiple of 64 bytes */
    void *block;
    size_t nslots, count;
    unsigned shift; /* log2(nslots) */
} lead__es_table;

typedef struct lead__es_model {
    char *name;
    lead_score_model model; /* a private copy, with the engine's allocator */
    /* Behaviour rules that can match each built-in event type: rules
     * cand[cand_start[t] .. cand_start[t + 1]). */
    uint32_t *cand;
    size_t cand_start[LEAD_EVENT_TYPE_COUNT + 1];
    int top_stage; /* the furthest stage a threshold names; -1: none */
    lead__es_table table;
    lead__es_entry *found; /* the tracked contact's entry, during lead__scores_track */
} lead__es_model;

/* The behaviour rules of m that an event of built-in type `type` can hit:
 * *out_n of them, or NULL when none. Inline: every tracked event asks. */
static inline const uint32_t *lead__es_candidates(const lead__es_model *m, int type,
                                                  size_t *out_n)
{
    const size_t *at = &m->cand_start[type];
    *out_n = at[1] - at[0];
    return *out_n ? m->cand + at[0] : NULL;
}

/* How to take back one model's change to one entry. */
typedef struct lead__es_mark {
    lead__es_model *m;
    uint64_t id;
    int created;           /* the entry did not exist: remove it */
    int replaced;          /* the state was rebuilt: `old` holds the previous one */
    lead__score_state old; /* the previous header (and block when replaced) */
    uint64_t seen;
    int32_t fit;
    uint8_t bant;
    char grade;
    size_t first_rule, nrules; /* saved rule states in the rule log */
} lead__es_mark;

typedef struct lead__es_rule_save {
    lead__rule_state *rs;
    lead__rule_state saved;
    int64_t *cap[2]; /* the cap slots a hit may change (lead__score_cap_slots) */
    int64_t cap_val[2];
} lead__es_rule_save;

struct lead__scores {
    lead__es_model **models;
    size_t n, cap;
    lead__es_mark *marks;       /* one per model */
    lead__es_rule_save *saves;  /* one per behaviour rule of all models */
    size_t nmarks, cap_marks;   /* marks in use by the pending change */
    size_t nsaves, cap_saves;
};

/* ---- models (engine_score.c) ------------------------------------------- */

/* The attached model named name, or NULL. */
lead__es_model *lead__es_find_model(const lead_engine *engine, const char *name);
/* Builds tables[k], the state of every stored contact under ms[k] (k < n),
 * telling progress (may be NULL) after each contact; a non-zero return
 * cancels with LEAD_ECANCELED. On failure the tables hold nothing. */
int lead__es_build(lead_engine *engine, lead__es_model *const *ms, lead__es_table *tables,
                   size_t n, int (*progress)(void *user, uint64_t done, uint64_t total),
                   void *user);
/* The figures kept for contact id (not following merges) under the model
 * at t: fit, behaviour and total in centipoints, without reading the store.
 * LEAD_ENOTFOUND (no such model or nothing kept), LEAD_ESTATE (t before the
 * latest event counted) or LEAD_ENUMERIC. (engine_score_read.c) */
int lead__es_kept(lead_engine *engine, const char *model_name, uint64_t id, int64_t t,
                  int64_t out[3]);
/* Sets in facts the scores and grade of contact id (not following merges),
 * which has event_count events in the store, at t under every attached
 * model: the kept figures, or, when t is before the latest event they
 * count, nothing is kept or the kept state counts other than event_count
 * events (another engine wrote), the contact evaluated from the store.
 * LEAD_OK or the failure of either. (engine_score_read.c) */
int lead__es_facts(lead_engine *engine, uint64_t id, uint64_t event_count, int64_t t,
                   lead_segment_facts *facts);
/* Frees every attached model; the engine calls it when it is freed. */
void lead__scores_free(lead_engine *engine);

/* ---- per-contact state (engine_score_state.c) -------------------------- */

lead__es_entry *lead__es_table_find(const lead__es_table *t, uint64_t id);
/* Starts loading the slot where id's entry would be (a hint only). */
void lead__es_table_prefetch(const lead__es_table *t, uint64_t id);
/* Makes room for `need` entries in all. LEAD_OK or LEAD_ENOMEM (t unchanged). */
int lead__es_table_reserve(const lead__mem *mem, lead__es_table *t, size_t need);
/* Inserts a zeroed entry for id (absent), growing the table. NULL: ENOMEM. */
lead__es_entry *lead__es_table_insert(const lead__mem *mem, lead__es_table *t, uint64_t id);
void lead__es_table_remove(const lead__mem *mem, lead__es_table *t, uint64_t id);
void lead__es_table_clear(const lead__mem *mem, lead__es_table *t);
/* Sets e's cached fit, BANT mask and grade from the contact. */
void lead__es_refit(lead__es_entry *e, const lead__es_model *m, const lead_contact *c);
/* Builds in sts[k] the state of contact c's stored history under ms[k]
 * (k < n; one scan of the store), with `extra` (NULL: none) fed in its time
 * order after the stored events of the same time; *out_seen is the
 * contact's event count. On failure sts holds nothing to free. */
int lead__es_rebuild(lead_engine *engine, lead__es_model *const *ms, lead__score_state *sts,
                     size_t n, const lead_contact *c, const lead_event *extra,
                     uint64_t *out_seen);

/* ---- scoring view of engine data (score_view.c) ------------------------ */

/* The contact's fields and attributes as scoring reads them; *buf backs the
 * decimal text of typed attributes during one lookup. */
typedef struct lead__contact_view {
    const lead_contact *c;
    char buf[40];
} lead__contact_view;
void lead__contact_score_view(lead__score_contact *out, lead__contact_view *view,
                              const lead_contact *c);
/* The event as scoring reads it (channel NULL for a custom channel;
 * properties source, medium and content when set). 0 when the type is not
 * built in: such events hit no rule. Borrows from ev. */
int lead__event_score_view(lead__score_event *out, lead__score_prop props[3],
                           const lead_event *ev);

/* Appends ev to s as its view above (nothing for a custom type). LEAD_OK,
 * LEAD_EINVAL (earlier than s's last event) or LEAD_ENOMEM. */
int lead__score_subject_add_lead_event(lead_score_subject *s, const lead_event *ev);

/* ---- hooks (engine_score_track.c) -------------------------------------- */

/* What lead__scores_track() returns for a contact read only in its fixed
 * block when scoring needs the whole of it: a model has no entry for the
 * contact yet (its fit reads fields) or a threshold enters a stage (the
 * history). Nothing was changed; never returned by a public function. */
#define LEAD__SCORES_NEED_CONTACT 1

/* Before a tracked event is stored: c is the contact with the event applied,
 * ev the event. Feeds the event to every model and enters the stages that
 * thresholds now reach. `whole` is 0 when c holds only the fixed block of
 * its record (contact.h, lead__contact_hot_read): then the call may return
 * LEAD__SCORES_NEED_CONTACT. */
int lead__scores_track(lead_engine *engine, lead_contact *c, const lead_event *ev, int whole);
/* Before a changed contact is stored: recomputes the fit parts and enters
 * the stages that thresholds now reach. */
int lead__scores_refit(lead_engine *engine, lead_contact *c, int64_t now_ms);
/* Hints for lead_track(), which calls them as early as it knows the contact
 * so that scoring does not wait on memory: the first starts loading each
 * model's table slot of contact id, the second (once those have had time to
 * arrive) the states of the rules an event of this type can hit. */
void lead__scores_prefetch_entries(const lead_engine *engine, uint64_t id);
void lead__scores_prefetch_rules(const lead_engine *engine, uint64_t id, int type);
/* After the store write of a prepared change: keeps it when rc is LEAD_OK,
 * takes it back otherwise. Returns rc. */
int lead__scores_settle(lead_engine *engine, int rc);
/* Drops the kept state of contact id (merged away or erased, or merged
 * into: its next change rebuilds it from the store). */
void lead__scores_forget(lead_engine *engine, uint64_t id);

#endif
