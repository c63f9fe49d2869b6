/* Private: the line-oriented text format family shared by scoring models
 * and segments (docs/scoring-model.md, docs/segments.md): reading lines of
 * bare words and quoted strings with line and column errors, numbers and
 * durations, and writing canonical text into a caller buffer. */
#ifndef LEAD_LIB_TEXTFMT_H
#define LEAD_LIB_TEXTFMT_H

#include "alloc.h"

/* Documented limits shared by every format of the family. */
#define LEAD__TEXT_MAX_STRING 1024
#define LEAD__TEXT_MAX_DURATION (INT64_C(100) * 366 * 86400000)
#define LEAD__TEXT_MAX_BOUND (INT64_C(1) << 50)

/* Reading state: the current line (not NUL terminated), the cursor, and the
 * first failure (rc, 1-based column, message), which later failures never
 * overwrite. */
typedef struct lead__text {
    const lead__mem *mem;
    const char *line;
    size_t len, pos;
    uint32_t lineno;
    uint32_t err_col;
    int rc;
    char msg[160];
} lead__text;

/* A bare word, or a quoted string still escaped (start/len inside the
 * quotes). col is the 0-based byte offset in the line. */
typedef struct lead__token {
    const char *start;
    size_t len;
    size_t col;
    int quoted;
} lead__token;

/* Records the first failure at 0-based column col; returns rc. */
int lead__text_fail(lead__text *tx, size_t col, int rc, const char *msg);
/* Skips blanks; 1 when only a comment or nothing is left on the line. */
int lead__text_at_end(lead__text *tx);
/* Reads the next token; 0 at the end of the line or on a failure. */
int lead__text_next(lead__text *tx, lead__token *t);
/* Whether t is the bare word `word`. */
int lead__token_is(const lead__token *t, const char *word);
/* Index of the bare word t among names[0..count), or -1. */
int lead__token_lookup(const lead__token *t, const char *const *names, int count);
/* Index i in [0, count) with name(i) equal to the bare word t, or -1. */
int lead__token_lookup_fn(const lead__token *t, const char *(*name)(int), int count);

/* The next token, which must exist ("expected <what>" otherwise). */
int lead__text_expect(lead__text *tx, lead__token *t, const char *what);
/* The next token, which must be a bare word. */
int lead__text_expect_word(lead__text *tx, lead__token *t, const char *what);
/* A quoted string, decoded into an allocated copy. */
int lead__text_expect_string(lead__text *tx, char **out, const char *what);
/* A name starting with a letter or '_', into an allocated copy. */
int lead__text_expect_ident(lead__text *tx, char **out, const char *what);
/* The bare word t as a decimal integer in [lo, hi]. */
int lead__token_int(lead__text *tx, const lead__token *t, int64_t lo, int64_t hi, int64_t *out);
int lead__text_expect_int(lead__text *tx, int64_t lo, int64_t hi, int64_t *out, const char *what);
/* A duration "7d", "12h", "30m", "10s", "500ms", or "none" (0) when
 * allow_none. */
int lead__text_expect_duration(lead__text *tx, int64_t *out, int allow_none);
/* Two inclusive bounds, each an integer or "*" (none), at least one given
 * and in order. */
int lead__text_expect_range(lead__text *tx, int *has_lo, int64_t *lo, int *has_hi, int64_t *hi);
/* Fails with "option given twice" when *seen is set; sets it. */
int lead__text_once(lead__text *tx, int *seen, const lead__token *t);

/* Calls line_fn(tx, ctx) for each line of text[0..len) with tx->line,
 * tx->len, tx->pos and tx->lineno set, until a failure (a line holding a
 * NUL byte fails without reaching line_fn). tx->mem must be set; the rest
 * of *tx is reset first. Returns tx->rc. */
int lead__text_lines(lead__text *tx, const char *text, size_t len,
                     int (*line_fn)(lead__text *tx, void *ctx), void *ctx);

/* Writing: appends to a caller buffer of cap bytes, counting what would
 * have been written when it does not fit. */
typedef struct lead__out {
    char *buf;
    size_t cap, len;
} lead__out;

void lead__out_put(lead__out *o, const char *s, size_t n);
void lead__out_str(lead__out *o, const char *s);
/* " <v>" */
void lead__out_int(lead__out *o, int64_t v);
/* " \"<s escaped>\"" */
void lead__out_string(lead__out *o, const char *s);
/* " <n><unit>" in the largest exact unit, " none" for 0. */
void lead__out_duration(lead__out *o, int64_t ms);
/* " <lo|*> <hi|*>" */
void lead__out_range(lead__out *o, int has_lo, int64_t lo, int has_hi, int64_t hi);
/* NUL-terminates and sets *out_len: LEAD_OK, or LEAD_ELIMIT when the text
 * did not fit (then *out_len is the length needed without the NUL). */
int lead__out_finish(lead__out *o, size_t *out_len);

/* ---- field tests ------------------------------------------------------ */

enum lead__field_op { LEAD__FIELD_EQUALS, LEAD__FIELD_ONE_OF, LEAD__FIELD_CONTAINS,
                      LEAD__FIELD_RANGE, LEAD__FIELD_EXISTS, LEAD__FIELD_MISSING };

/* A test of one field or attribute: `<field> <op> <arguments>`. */
typedef struct lead__field_test {
    int op;
    char *field;
    char **values; /* equals: 1, one-of/contains: nvalues */
    size_t nvalues;
    int has_lo, has_hi; /* range bounds, inclusive */
    int64_t lo, hi;
} lead__field_test;

/* Reads `<field> <op> <arguments>` into *ft (zeroed by the caller); on a
 * failure *ft holds what was read so far, for lead__field_test_clear. */
int lead__field_test_parse(lead__text *tx, lead__field_test *ft);
/* Writes " <field> <op> <arguments>". */
void lead__field_test_format(lead__out *o, const lead__field_test *ft);
void lead__field_test_clear(const lead__mem *mem, lead__field_test *ft);
/* Deep copy (dst uninitialised); on LEAD_ENOMEM *dst holds what was copied
 * so far, for lead__field_test_clear. */
int lead__field_test_copy(const lead__mem *mem, lead__field_test *dst,
                          const lead__field_test *src);
/* Whether the field's value (NULL when missing) passes the test: equals and
 * one-of compare bytes, contains looks for whole words ignoring ASCII case,
 * range reads a decimal number ("-12", "3.25", "5e-7"; never a comma) and
 * compares it with the bounds exactly, exists/missing treat "" as missing. */
int lead__field_test_match(const lead__field_test *ft, const char *value);

#endif
