/* Field tests: `<field> <op> <arguments>` over a contact's fields and
 * attributes, read, written, copied and matched the same way wherever the
 * text formats use them (fit rules, segment conditions). */
#include "textfmt.h"

#include <string.h>

#define MAX_VALUES 256

static const char *const field_ops[] = {"equals", "one-of", "contains", "range", "exists",
                                        "missing"};

/* Collects one or more quoted strings up to the end of the line. */
static int parse_values(lead__text *tx, lead__field_test *ft, size_t max)
{
    while (!lead__text_at_end(tx) && tx->rc == LEAD_OK) {
        if (ft->nvalues >= max)
            return lead__text_fail(tx, tx->pos, max == 1 ? LEAD_EFORMAT : LEAD_ELIMIT,
                                   max == 1 ? "equals takes one value" : "more than 256 values"),
                   0;
        char **grown = lead__realloc_array(tx->mem, ft->values, ft->nvalues + 1, sizeof *grown);
        if (!grown)
            return lead__text_fail(tx, tx->pos, LEAD_ENOMEM, "out of memory"), 0;
        ft->values = grown;
        if (!lead__text_expect_string(tx, &ft->values[ft->nvalues], "a value"))
            return 0;
        ft->nvalues++;
    }
    if (tx->rc == LEAD_OK && ft->nvalues == 0)
        lead__text_fail(tx, tx->pos, LEAD_EFORMAT, "expected a value in double quotes");
    return tx->rc == LEAD_OK;
}

int lead__field_test_parse(lead__text *tx, lead__field_test *ft)
{
    lead__token t;
    if (!lead__text_expect_ident(tx, &ft->field, "a field name") ||
        !lead__text_expect_word(tx, &t, "an operator"))
        return 0;
    ft->op = lead__token_lookup(&t, field_ops, 6);
    switch (ft->op) {
    case LEAD__FIELD_EQUALS: return parse_values(tx, ft, 1);
    case LEAD__FIELD_ONE_OF:
    case LEAD__FIELD_CONTAINS: return parse_values(tx, ft, MAX_VALUES);
    case LEAD__FIELD_RANGE:
        return lead__text_expect_range(tx, &ft->has_lo, &ft->lo, &ft->has_hi, &ft->hi);
    case LEAD__FIELD_EXISTS:
    case LEAD__FIELD_MISSING: return 1;
    default:
        return lead__text_fail(tx, t.col, LEAD_EFORMAT,
                               "expected equals, one-of, contains, range, exists or missing"),
               0;
    }
}

void lead__field_test_format(lead__out *o, const lead__field_test *ft)
{
    lead__out_str(o, " ");
    lead__out_str(o, ft->field);
    lead__out_str(o, " ");
    lead__out_str(o, field_ops[ft->op]);
    for (size_t i = 0; i < ft->nvalues; i++)
        lead__out_string(o, ft->values[i]);
    if (ft->op == LEAD__FIELD_RANGE)
        lead__out_range(o, ft->has_lo, ft->lo, ft->has_hi, ft->hi);
}

void lead__field_test_clear(const lead__mem *mem, lead__field_test *ft)
{
    lead__free(mem, ft->field);
    for (size_t i = 0; i < ft->nvalues; i++)
        lead__free(mem, ft->values[i]);
    lead__free(mem, ft->values);
    memset(ft, 0, sizeof *ft);
}

int lead__field_test_copy(const lead__mem *mem, lead__field_test *dst,
                          const lead__field_test *src)
{
    *dst = *src;
    dst->values = NULL;
    dst->nvalues = 0;
    dst->field = lead__strdup(mem, src->field);
    if (!dst->field)
        return LEAD_ENOMEM;
    if (src->nvalues) {
        dst->values = lead__calloc(mem, src->nvalues, sizeof *dst->values);
        if (!dst->values)
            return LEAD_ENOMEM;
        for (; dst->nvalues < src->nvalues; dst->nvalues++) {
            dst->values[dst->nvalues] = lead__strdup(mem, src->values[dst->nvalues]);
            if (!dst->values[dst->nvalues])
                return LEAD_ENOMEM;
        }
    }
    return LEAD_OK;
}

int lead__text_number(const char *s, double *out)
{
    size_t i = 0;
    int neg = 0;
    if (s[i] == '-' || s[i] == '+')
        neg = s[i++] == '-';
    double v = 0, scale = 1;
    int digits = 0, in_frac = 0;
    for (;; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            digits++;
            if (in_frac) {
                scale /= 10;
                v += (c - '0') * scale;
            } else {
                v = v * 10 + (c - '0');
            }
        } else if (c == '.' && !in_frac) {
            in_frac = 1;
        } else {
            break;
        }
    }
    if (!digits || s[i] != '\0')
        return 0;
    *out = neg ? -v : v;
    return 1;
}

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

/* Whether keyword occurs in text, ignoring ASCII case, as whole words: "cto"
 * matches "CTO, EMEA" but not "Director". */
static int contains_word(const char *text, const char *keyword)
{
    size_t n = strlen(text), k = strlen(keyword);
    if (k == 0 || k > n)
        return 0;
    for (size_t at = 0; at + k <= n; at++) {
        if (at > 0 && is_alnum(text[at - 1]) && is_alnum(keyword[0]))
            continue;
        size_t i = 0;
        while (i < k && ascii_lower(text[at + i]) == ascii_lower(keyword[i]))
            i++;
        if (i < k)
            continue;
        if (at + k < n && is_alnum(text[at + k]) && is_alnum(keyword[k - 1]))
            continue;
        return 1;
    }
    return 0;
}

int lead__field_test_match(const lead__field_test *ft, const char *value)
{
    switch (ft->op) {
    case LEAD__FIELD_EXISTS: return value && value[0] != '\0';
    case LEAD__FIELD_MISSING: return !value || value[0] == '\0';
    default: break;
    }
    if (!value)
        return 0;
    if (ft->op == LEAD__FIELD_RANGE) {
        double v;
        if (!lead__text_number(value, &v))
            return 0;
        return (!ft->has_lo || v >= (double)ft->lo) && (!ft->has_hi || v <= (double)ft->hi);
    }
    for (size_t i = 0; i < ft->nvalues; i++) {
        if (ft->op == LEAD__FIELD_CONTAINS ? contains_word(value, ft->values[i])
                                            : strcmp(value, ft->values[i]) == 0)
            return 1;
    }
    return 0;
}
