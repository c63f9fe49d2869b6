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

/* A number as range tests read it: value = sign × 0.d₁d₂…dₙ × 10^point,
 * where d₁ (at first) and dₙ (at last) are its first and last non-zero
 * digits; sign is 0 for zero. */
typedef struct decimal {
    int sign;
    const char *first, *last;
    int64_t point;
} decimal;

/* Far beyond any digit count or exponent that matters against a bound of
 * at most 2^63, and small enough that sums of two never overflow. */
#define DECIMAL_CLAMP (INT64_C(1) << 40)

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads [+-] digits [. digits] [(e|E) [+-] digits], with at least one digit
 * before the exponent (".5" and "5." are numbers); nothing else. */
static int parse_decimal(const char *s, decimal *x)
{
    int neg = 0, in_frac = 0, digits = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    x->first = x->last = NULL;
    x->point = 0;
    for (;; s++) {
        if (is_digit(*s)) {
            digits++;
            if (*s != '0') {
                if (!x->first)
                    x->first = s;
                x->last = s;
            }
            if (!in_frac && x->first && x->point < DECIMAL_CLAMP)
                x->point++; /* an integer digit from the first significant one on */
            else if (in_frac && !x->first && x->point > -DECIMAL_CLAMP)
                x->point--; /* a zero between the point and the first significant digit */
        } else if (*s == '.' && !in_frac) {
            in_frac = 1;
        } else {
            break;
        }
    }
    if (!digits)
        return 0;
    if (*s == 'e' || *s == 'E') {
        int eneg = 0;
        s++;
        if (*s == '+' || *s == '-')
            eneg = *s++ == '-';
        if (!is_digit(*s))
            return 0;
        int64_t e = 0;
        for (; is_digit(*s); s++)
            if (e < DECIMAL_CLAMP)
                e = e * 10 + (*s - '0');
        x->point += eneg ? -e : e;
    }
    if (*s != '\0')
        return 0;
    x->sign = !x->first ? 0 : neg ? -1 : 1;
    return 1;
}

/* -1, 0 or 1 as x is below, equal to or above n, exactly. */
static int decimal_compare(const decimal *x, int64_t n)
{
    int nsign = (n > 0) - (n < 0);
    if (x->sign != nsign)
        return x->sign < nsign ? -1 : 1;
    if (nsign == 0)
        return 0;
    /* |n| as digits, most significant first, without trailing zeros. */
    uint64_t m = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    char nd[20];
    int len = 0;
    for (uint64_t r = m; r; r /= 10)
        len++;
    for (int i = len - 1; i >= 0; i--, m /= 10)
        nd[i] = (char)('0' + m % 10);
    int nlen = len;
    while (nd[nlen - 1] == '0')
        nlen--;
    int mag = 0;
    if (x->point != len) {
        mag = x->point > len ? 1 : -1;
    } else {
        const char *p = x->first;
        int i = 0;
        for (; mag == 0; p++) {
            if (*p == '.')
                continue;
            int xd_left = p <= x->last, nd_left = i < nlen;
            if (!xd_left || !nd_left) {
                mag = xd_left - nd_left;
                break;
            }
            if (*p != nd[i])
                mag = *p < nd[i] ? -1 : 1;
            i++;
        }
    }
    return nsign > 0 ? mag : -mag;
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
        decimal x;
        if (!parse_decimal(value, &x))
            return 0;
        return (!ft->has_lo || decimal_compare(&x, ft->lo) >= 0) &&
               (!ft->has_hi || decimal_compare(&x, ft->hi) <= 0);
    }
    for (size_t i = 0; i < ft->nvalues; i++) {
        if (ft->op == LEAD__FIELD_CONTAINS ? contains_word(value, ft->values[i])
                                            : strcmp(value, ft->values[i]) == 0)
            return 1;
    }
    return 0;
}
