/* Fit: rules over contact fields and attributes, BANT dimensions, the
 * 0..100 normalisation and the grade. */
#include "score.h"

#include <string.h>

static int rule_matches(const lead__fit_rule *r, const lead__score_contact *contact)
{
    const char *value = NULL;
    if (!contact->lookup(contact->user, r->test.field, &value))
        value = NULL;
    return lead__field_test_match(&r->test, value);
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
