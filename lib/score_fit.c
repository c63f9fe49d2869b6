/* Fit: rules over contact fields and attributes, BANT dimensions, the
 * 0..100 normalisation and the grade. */
#include "score.h"

#include <string.h>

int lead__score_number(const char *s, double *out)
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

static int rule_matches(const lead__fit_rule *r, const lead__score_contact *contact)
{
    const char *value = NULL;
    int present = contact->lookup(contact->user, r->field, &value) && value;
    switch (r->op) {
    case LEAD__FIT_EXISTS: return present && value[0] != '\0';
    case LEAD__FIT_MISSING: return !present || value[0] == '\0';
    default: break;
    }
    if (!present)
        return 0;
    if (r->op == LEAD__FIT_RANGE) {
        double v;
        if (!lead__score_number(value, &v))
            return 0;
        return (!r->has_lo || v >= (double)r->lo) && (!r->has_hi || v <= (double)r->hi);
    }
    for (size_t i = 0; i < r->nvalues; i++) {
        if (r->op == LEAD__FIT_CONTAINS ? contains_word(value, r->values[i])
                                         : strcmp(value, r->values[i]) == 0)
            return 1;
    }
    return 0;
}

static char grade_of(const lead__score_def *def, int64_t fit)
{
    for (int g = 0; g < 4; g++)
        if (fit >= (int64_t)def->grade_min[g] * 100)
            return (char)('A' + g);
    return 'F';
}

void lead__score_fit(lead__fit_eval *out, unsigned char *matched, const lead__score_def *def,
                     const lead__score_contact *contact)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < def->nfit; i++) {
        const lead__fit_rule *r = &def->fit[i];
        if (r->points < 0)
            out->min += r->points;
        else
            out->max += r->points;
        int hit = rule_matches(r, contact);
        if (matched)
            matched[i] = (unsigned char)hit;
        if (hit) {
            out->raw += r->points;
            out->dim_points[r->dim] += r->points;
        }
    }
    int64_t range = out->max - out->min;
    /* fit = 100 * (raw - min) / (max - min), rounded half up, in centipoints. */
    out->fit = range > 0 ? (10000 * (out->raw - out->min) * 2 + range) / (2 * range) : 0;
    for (int d = 1; d < LEAD__DIM_COUNT; d++)
        if (out->dim_points[d] >= def->bant_min[d - 1])
            out->bant_mask |= 1u << (d - 1);
    out->grade = grade_of(def, out->fit);
}
