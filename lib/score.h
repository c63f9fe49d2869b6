/* Private: scoring model layout, the evaluation input interface, the
 * incremental behaviour state and the result builder.
 *
 * How an engine scores its contacts with these (per contact and model):
 *   - keep a lead__score_state made by lead__score_state_init() from the
 *     model's def; on track, lead__score_state_feed() the event (O(rules),
 *     no allocation). LEAD_ESTATE means the event is older than the latest
 *     one fed: rebuild the state by feeding the stored history in time order;
 *   - to read a score, lead__score_result_build() with a lead__score_contact
 *     whose lookup answers from the contact's fields and attributes; for an
 *     explanation, lead__score_evaluate() over the stored history;
 *   - lead__score_stage_advance() with the contact's current stage says
 *     whether to record a forward move, and by which stage rule;
 *   - rescoring after a model change is a fresh state fed with the history,
 *     which gives the same bits as the incremental path. */
#ifndef LEAD_LIB_SCORE_H
#define LEAD_LIB_SCORE_H

#include "lead/score.h"
#include "lead/stage.h"
#include "alloc.h"
#include "textfmt.h"

/* Documented limits of the text format (docs/scoring-model.md). */
#define LEAD__SCORE_MAX_RULES 4096
#define LEAD__SCORE_MAX_POINTS 1000000
#define LEAD__SCORE_MAX_CAP 100

enum lead__score_dim { LEAD__DIM_PROFILE, LEAD__DIM_BUDGET, LEAD__DIM_AUTHORITY, LEAD__DIM_NEED,
                       LEAD__DIM_TIMELINE, LEAD__DIM_COUNT };

typedef struct lead__fit_rule {
    int32_t points;
    int dim;
    lead__field_test test;
} lead__fit_rule;

typedef struct lead__behaviour_rule {
    int32_t points;
    char *type;
    char *channel;    /* NULL: any */
    char *campaign;   /* NULL: any */
    char *prop_name;  /* NULL: no property condition */
    char *prop_value;
    uint32_t cap_n;         /* 0: no per-rule cap */
    int64_t cap_window_ms;  /* 0: the cap counts forever */
    int has_half_life;      /* overrides the model's */
    int64_t half_life_ms;   /* 0: no decay */
    uint32_t aux_off;       /* its cap slots in a state (lead__score_def_layout) */
    int64_t decay_ms;       /* the half-life it decays with, 0: none (lead__score_def_layout) */
    int has_conds;          /* any condition besides the type (lead__score_def_layout) */
} lead__behaviour_rule;


enum { LEAD__COND_FIT = 1, LEAD__COND_BEHAVIOUR = 2, LEAD__COND_TOTAL = 4, LEAD__COND_BANT = 8,
       LEAD__COND_GRADE = 16 };

typedef struct lead__stage_rule {
    int stage;        /* a forward lead_stage (subscriber .. evangelist) */
    unsigned conds;   /* LEAD__COND_* present */
    int32_t fit, behaviour, total; /* whole points, "at least" */
    int32_t bant;     /* at least this many BANT dimensions met */
    char grade;       /* at least this grade */
} lead__stage_rule;

/* Everything a model text defines; a parse builds a new one and swaps it in. */
typedef struct lead__score_def {
    char *name;
    int64_t half_life_ms; /* 0: no decay */
    int32_t grade_min[4]; /* A, B, C, D lower bounds in whole fit points */
    int32_t bant_min[4];  /* budget, authority, need, timeline thresholds */
    lead__fit_rule *fit;
    size_t nfit, capfit;
    lead__behaviour_rule *beh;
    size_t nbeh, capbeh;
    int has_cap, has_floor;
    int32_t cap, floor;
    lead__stage_rule *stages;
    size_t nstages, capstages;
    /* Set by lead__score_def_layout() once the rules are known. */
    size_t aux_slots;      /* cap slots of a state: one per capped rule, + n per window */
    int64_t rebase_ms;     /* how far a state's frame may fall behind; 0: never moves */
} lead__score_def;

struct lead_score_model {
    lead__mem mem;
    lead__score_def def;
    uint32_t err_line, err_col;
    char errmsg[160];
};

void lead__score_def_defaults(lead__score_def *def);
void lead__score_def_clear(const lead__mem *mem, lead__score_def *def);
/* Deep copy of src into *dst (dst uninitialised); LEAD_ENOMEM leaves none. */
int lead__score_def_copy(const lead__mem *mem, lead__score_def *dst, const lead__score_def *src);

/* Lays out the behaviour state of def's rules (aux_off, decay_ms,
 * has_conds, aux_slots, rebase_ms); a parse calls it before the def is
 * used. */
void lead__score_def_layout(lead__score_def *def);

/* The name of dimension i (0 <= i < LEAD__DIM_COUNT). A function rather
 * than a global array, so that no data symbol but lead_ ones leaves the
 * library. */
const char *lead__score_dim_name(int i);

/* ---- evaluation input --------------------------------------------------- */

/* A contact as scoring sees it: lookup returns 1 and sets *out_value (a UTF-8
 * string the callee keeps alive during the call that uses it) when the field
 * or attribute `name` is present, 0 when it is missing. Numbers, booleans and
 * times are given in their decimal text form. */
typedef struct lead__score_contact {
    void *user;
    int (*lookup)(void *user, const char *name, const char **out_value);
} lead__score_contact;

typedef struct lead__score_prop {
    const char *name;
    const char *value;
} lead__score_prop;

/* An owned name/value string pair (attributes, event properties). */
typedef struct lead__score_pair {
    char *name;
    char *value;
} lead__score_pair;

/* Appends a copy of name and value to *pairs (count *n, capacity *cap); all
 * or nothing. */
int lead__score_pair_push(const lead__mem *mem, lead__score_pair **pairs, size_t *n, size_t *cap,
                          const char *name, const char *value);
void lead__score_pairs_free(const lead__mem *mem, lead__score_pair *pairs, size_t n);
/* The value of the first pair named name: 1 and *out_value set, or 0. */
int lead__score_pairs_find(const lead__score_pair *pairs, size_t n, const char *name,
                           const char **out_value);

/* One event; channel and campaign may be NULL. */
typedef struct lead__score_event {
    const char *type;
    const char *channel;
    const char *campaign;
    int64_t time;
    const lead__score_prop *props;
    size_t nprops;
} lead__score_event;

/* ---- fit ---------------------------------------------------------------- */

typedef struct lead__fit_eval {
    int64_t raw;       /* sum of matched points */
    int64_t min, max;  /* sums of negative and of positive points */
    int64_t fit;       /* 0..10000 */
    int64_t dim_points[LEAD__DIM_COUNT];
    uint32_t bant_mask;
    char grade;
} lead__fit_eval;

/* Evaluates every fit rule; matched[i] (nfit entries, may be NULL) is set to
 * whether rule i matched. */
void lead__score_fit(lead__fit_eval *out, unsigned char *matched, const lead__score_def *def,
                     const lead__score_contact *contact);

/* ---- behaviour state ---------------------------------------------------- */

/* Decayed sums in a per-state frame: each rule keeps
 *     sum = sum_i p * 2^((t_i - frame)/h)
 * over its counted hits, so a hit adds one term and a read at T is
 * sum * 2^-((T - frame)/h); no hit rescales earlier terms. The frame is the
 * state's first event and moves forward (rescaling every sum once) when an
 * event lies more than def->rebase_ms past it, which keeps every term below
 * 2^64 times its points. 8 bytes per rule, plus cap slots for capped rules:
 * the count of counted hits and, with a window, the ring of the cap_n latest
 * counted times (lead__score_def_layout). */
typedef struct lead__rule_state {
    double sum; /* 0: no hit counted, or every one decayed away */
} lead__rule_state;

/* One heap block holds the nrules rule states followed by the def's
 * aux_slots int64_t cap slots. */
typedef struct lead__score_state {
    lead__rule_state *rules;
    uint32_t nrules;
    int has_last;
    int64_t last_time;
    int64_t frame;
} lead__score_state;

int lead__score_state_init(const lead__mem *mem, lead__score_state *st, const lead__score_def *def);
void lead__score_state_clear(const lead__mem *mem, lead__score_state *st);
/* Feeds one event. Events must come in time order: an event older than the
 * last one fed returns LEAD_ESTATE and changes nothing (the caller rebuilds
 * the state from the ordered history). For each rule the event counted for,
 * on_hit(ctx, rule) is called when on_hit is not NULL. Never allocates. */
int lead__score_state_feed(lead__score_state *st, const lead__score_def *def,
                           const lead__score_event *ev,
                           void (*on_hit)(void *ctx, size_t rule), void *ctx);
/* Like lead__score_state_feed() with only rules[0..n) tried: every rule ev
 * can match must be among them, and each of them names ev's type. */
int lead__score_state_feed_rules(lead__score_state *st, const lead__score_def *def,
                                 const lead__score_event *ev, const uint32_t *rules, size_t n,
                                 void (*on_hit)(void *ctx, size_t rule), void *ctx);
/* Rules of one model that an event certainly matches (type and every
 * condition): only their caps decide whether it counts. */
typedef struct lead__score_rule_list {
    const uint32_t *rules;
    uint32_t n;
} lead__score_rule_list;
/* An event of a run: its time, and its rule lists, lists[k] for the state
 * of model k (lead__score_states_feed_run). */
typedef struct lead__score_run_event {
    int64_t time;
    const lead__score_rule_list *lists;
} lead__score_run_event;
/* Feeds the run evs[0..nevs), in its order, to sts[0..n): state k under
 * defs[k], each event trying only the rules of its lists[k], which it
 * matches in full. The same sums as lead__score_state_feed_rules() of
 * each event to each state in turn; one state takes the whole run before
 * the next, so what a state keeps stays at hand. LEAD_ESTATE when a state
 * cannot take an event: the states are then partly fed, and the caller
 * discards them (a rebuild). Never allocates. */
int lead__score_states_feed_run(lead__score_state *sts, const lead__score_def *const *defs,
                                size_t n, const lead__score_run_event *evs, size_t nevs);
/* Decayed value of rule r at time t (t >= last fed time). */
double lead__score_state_rule_value(const lead__score_state *st, const lead__score_def *def,
                                    size_t r, int64_t t);
/* An upper bound, in centipoints, of the behaviour sum before cap and floor
 * (lead__score_behaviour's *raw_sum) at any time from the last fed one on,
 * from the rules with positive sums; no power of two is computed. */
int64_t lead__score_state_bound(const lead__score_state *st, const lead__score_def *def);
/* The cap slots a hit of rule r may change, so that a caller can save and
 * restore them: slots[0] the count or ring position (NULL: no cap), slots[1]
 * the ring slot a hit overwrites (NULL: no window). */
void lead__score_cap_slots(const lead__score_state *st, const lead__score_def *def, size_t r,
                           int64_t *slots[2]);
/* Starts loading the states and cap slots of rules[0..n) (a hint only). */
void lead__score_rules_prefetch(const lead__score_state *st, const lead__score_def *def,
                                const uint32_t *rules, size_t n);
/* Whether feeding an event at t moves the state's frame, changing every
 * rule's sum (the caller saves them all first). */
int lead__score_state_rebases(const lead__score_state *st, const lead__score_def *def, int64_t t);
/* The half-life a rule decays with, 0 for none. */
int64_t lead__score_rule_half_life(const lead__score_def *def, size_t r);
/* 2^(-age/half_life); 1 for no decay or age <= 0. */
double lead__score_decay(int64_t age_ms, int64_t half_life_ms);

/* ---- results ------------------------------------------------------------ */

/* One allocation holds the result, its items and the strings they name. */
struct lead_score_result {
    lead__mem mem;
    int64_t fit, behaviour, total;
    char grade;
    uint32_t bant_mask;
    int stage; /* a lead_stage, -1: no threshold met */
    size_t stage_rule;
    lead_score_item *items;
    size_t nitems;
};

/* A behaviour rule hit that counted, for explanations. */
typedef struct lead__score_hit {
    uint32_t rule;
    uint64_t event_index;
    int64_t time;
    const char *type; /* borrowed from the model's rule */
} lead__score_hit;

/* Builds a result at time t from the contact (fit) and a state fed with the
 * history up to t; when hits is not NULL the result carries an explanation
 * of those counted hits. */
int lead__score_result_build(lead_score_result **out, const lead__mem *mem,
                             const lead__score_def *def, const lead__score_contact *contact,
                             const lead__score_state *st, int64_t t,
                             const lead__score_hit *hits, size_t nhits);

/* The behaviour score at t (t >= the last fed time) from a state: each
 * rule's decayed value rounded to centipoints (into rule_centi[r] when not
 * NULL), summed (*raw_sum, may be NULL), then capped and floored (*out).
 * Never allocates. LEAD_OK or LEAD_ENUMERIC. */
int lead__score_behaviour(int64_t *out, int64_t *raw_sum, int64_t *rule_centi,
                          const lead__score_def *def, const lead__score_state *st, int64_t t);

/* Sets r->stage and r->stage_rule: the furthest stage whose rule r meets
 * (the first such rule wins ties), or -1. */
void lead__score_pick_stage(lead_score_result *r, const lead__score_def *def);

/* Whether r moves a contact now at stage `current` (a lead_stage, -1 for
 * none yet) forward: 1 with the stage reached and the rule that reached it,
 * so the caller records the crossing once. 0 when r reaches no stage beyond
 * current: a score falling back never demotes, and a contact outside the
 * forward path (other, disqualified, recycled) is never moved by a score. */
int lead__score_stage_advance(const lead_score_result *r, int current, int *out_stage,
                              size_t *out_rule);

/* From scratch: feeds events[0..n) with time <= t (in time order) into a
 * fresh state and builds the result, with an explanation when explain. */
int lead__score_evaluate(lead_score_result **out, const lead_score_model *model,
                         const lead__score_contact *contact, const lead__score_event *events,
                         size_t n, int64_t t, int explain);

/* ---- subjects and trackers ---------------------------------------------- */

typedef struct lead__subject_event {
    char *type, *channel, *campaign;
    int64_t time;
    size_t first_prop, nprops;
} lead__subject_event;

/* A caller-held contact: attributes, and events in time order whose
 * properties are props[first_prop .. first_prop + nprops). */
struct lead_score_subject {
    lead__mem mem;
    lead__score_pair *attrs;
    size_t nattrs, cap_attrs;
    lead__subject_event *events;
    size_t nevents, cap_events;
    lead__score_pair *props;
    size_t nprops, cap_props;
    lead__score_prop *prop_views; /* props[i] as scoring reads them */
    size_t cap_views;
};

/* Frees what s holds and empties it; s keeps its allocator and can be
 * filled again (s itself may live inside another structure). */
void lead__score_subject_clear(lead_score_subject *s);
/* Event i of s as scoring reads it (borrowing s's strings). */
void lead__subject_event_view(const lead_score_subject *s, size_t i, lead__score_event *out);
/* s's attributes as scoring reads them. */
void lead__subject_contact(lead__score_contact *out, const lead_score_subject *s);
/* Evaluates model at time_ms over contact and the events of s (the view of
 * them allocated with the model's allocator): lead_score_evaluate() with the
 * contact read from elsewhere. */
int lead__score_evaluate_subject(lead_score_result **out, const lead_score_model *model,
                                 const lead__score_contact *contact, const lead_score_subject *s,
                                 int64_t time_ms);

/* ---- predictive fit ----------------------------------------------------- */

#define LEAD__SCORE_LEARN_MAX_RULES 256

/* Examples in order; example i owns attrs[first[i] .. first[i + 1]). */
struct lead_score_examples {
    lead__mem mem;
    unsigned char *labels;
    size_t *first; /* n + 1 entries once an example exists */
    size_t n, cap_labels, cap_first;
    lead__score_pair *attrs;
    size_t nattrs, cap_attrs;
};

/* Example `index` of `ex` as a scoring contact; *ref must outlive *out. */
typedef struct lead__example_ref {
    const lead_score_examples *ex;
    size_t index;
} lead__example_ref;

void lead__score_example_contact(lead__score_contact *out, lead__example_ref *ref);

#endif
