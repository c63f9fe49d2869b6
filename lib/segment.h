/* Private: a segment's conditions, kept as one array in text order. A
 * group's children follow it; cond[i].end is the index just past its
 * subtree, so a group's children are i + 1, then each child's end, up to
 * cond[i].end. cond[0] is the implicit top-level `all`. */
#ifndef LEAD_LIB_SEGMENT_H
#define LEAD_LIB_SEGMENT_H

#include "lead/segment.h"
#include "lead/stage.h"
#include "textfmt.h"

/* Documented limits (docs/segments.md). */
#define LEAD__SEGMENT_MAX_CONDS 4096
#define LEAD__SEGMENT_MAX_DEPTH 32
#define LEAD__SEGMENT_MAX_COUNT 1000000

enum lead__seg_kind { LEAD__SEG_ALL, LEAD__SEG_ANY, LEAD__SEG_FIELD, LEAD__SEG_STAGE,
                      LEAD__SEG_SCORE, LEAD__SEG_GRADE, LEAD__SEG_CONSENT, LEAD__SEG_DID };

enum lead__seg_stage_op { LEAD__SEG_STAGE_IS, LEAD__SEG_STAGE_AT_LEAST, LEAD__SEG_STAGE_AT_MOST };

enum lead__seg_score_part { LEAD__SEG_FIT, LEAD__SEG_BEHAVIOUR, LEAD__SEG_TOTAL };

typedef struct lead__seg_cond {
    int kind;
    int negate;
    size_t end;     /* index past this condition's subtree */
    uint32_t depth; /* 0 for the top level's children */
    lead__field_test field;      /* field */
    int stage_op, stage;         /* stage */
    char *name;                  /* score, grade: model; consent: purpose; did: event type */
    int part;                    /* score: lead__seg_score_part */
    int has_lo, has_hi;          /* score: inclusive bounds in whole points */
    int64_t lo, hi;
    unsigned set;                /* grade: bit g - 'A' ('F' is bit 5); consent: bit state */
    char *channel, *campaign;    /* did: NULL for any */
    char *prop_name, *prop_value; /* did: NULL for no property condition */
    uint32_t at_least;           /* did: 1 unless given */
    int64_t within_ms;           /* did: 0 for ever */
} lead__seg_cond;

/* What the last explained evaluation found for one condition. */
typedef struct lead__seg_trace {
    uint32_t line;
    unsigned char held;
    uint64_t count;
} lead__seg_trace;

struct lead_segment {
    lead__mem mem;
    char *name;
    lead__seg_cond *conds; /* nconds > 0: conds[0] is the top-level all */
    size_t nconds, capconds;
    lead__seg_trace *trace; /* nconds entries, lines set at parse */
    int explained;
    uint32_t err_line, err_col;
    char errmsg[160];
};

void lead__seg_conds_free(const lead__mem *mem, lead__seg_cond *conds, size_t n);
/* The canonical line of each condition: the header and name lines come
 * first, a group's `end` takes a line after its children. */
void lead__seg_number_lines(lead_segment *seg);

typedef struct lead__seg_consent {
    char *purpose;
    int state;
} lead__seg_consent;

typedef struct lead__seg_scores {
    char *model;
    int64_t fit, behaviour, total; /* centipoints */
    char grade;
} lead__seg_scores;

struct lead_segment_facts {
    lead__mem mem;
    int32_t stage; /* -1: none */
    lead__seg_consent *consent;
    size_t nconsent, capconsent;
    lead__seg_scores *scores;
    size_t nscores, capscores;
};

/* The consent state for purpose (LEAD_CONSENT_NOT_SET when unset or facts
 * is NULL), and the scores of model (NULL when unset). */
int lead__seg_facts_consent(const lead_segment_facts *facts, const char *purpose);
const lead__seg_scores *lead__seg_facts_scores(const lead_segment_facts *facts,
                                               const char *model);

#endif
