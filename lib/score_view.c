/* The engine's contacts and events as scoring models read them: standard
 * fields and custom attributes by name, typed attributes in decimal text;
 * events by built-in type and channel name, with their campaign, and their
 * source, medium and content as properties. */
#include "engine_score.h"
#include "event.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A positive finite double's decimal digits: dig[0..n) with no leading zero
 * and value 0.dig × 10^point. */
typedef struct digits {
    char dig[24];
    int n, point;
} digits;

/* d (positive, finite) rounded to p significant digits, read from printf's
 * "%.*e" without looking at the decimal separator, which is the locale's. */
static void round_digits(double d, int p, digits *out)
{
    char text[64];
    snprintf(text, sizeof text, "%.*e", p - 1, d);
    const char *s = text;
    out->n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && out->n < p)
            out->dig[out->n++] = *s;
    out->point = (*s == 'e' ? atoi(s + 1) : 0) + 1;
}

/* The double nearest to the digits; strtod reads "<digits>e<exponent>", which
 * has no decimal separator, the same in every locale. */
static double digits_value(const digits *x)
{
    char text[48];
    snprintf(text, sizeof text, "%.*se%d", x->n, x->dig, x->point - x->n);
    return strtod(text, NULL);
}

/* The p-digit decimal next above (up) or below x, which has p digits. */
static void digits_step(digits *x, int up)
{
    int i = x->n - 1;
    if (up) {
        for (; i >= 0 && x->dig[i] == '9'; i--)
            x->dig[i] = '0';
        if (i >= 0) {
            x->dig[i]++;
        } else { /* 99…9 → 100…0 */
            x->dig[0] = '1';
            x->point++;
        }
    } else {
        for (; i >= 0 && x->dig[i] == '0'; i--)
            x->dig[i] = '9';
        x->dig[i]--; /* x is not zero, so i >= 0 */
        if (x->dig[0] == '0') { /* 100…0 → 99…9, one place lower */
            memmove(x->dig, x->dig + 1, (size_t)x->n - 1);
            x->dig[x->n - 1] = '9';
            x->point--;
        }
    }
}

/* The shortest decimal that reads back as d (positive, finite), and of those
 * the nearest to d: for each length, the nearest decimal of that length and
 * the one on d's other side are the only ones that can read back. */
static void shortest_digits(double d, digits *out)
{
    /* A normal double has 53 significant bits: a decimal of at most 15
     * digits that reads back as it is the only one of its length that does,
     * and d rounded to 15 digits is that decimal padded with zeros (trimmed
     * below), so shorter lengths need no try. A subnormal has fewer bits. */
    for (int p = d >= DBL_MIN ? 15 : 1; p < 17; p++) {
        round_digits(d, p, out);
        double v = digits_value(out);
        if (v == d)
            break;
        digits other = *out;
        digits_step(&other, v < d);
        if (digits_value(&other) == d) {
            *out = other;
            break;
        }
    }
    if (out->n == 0 || digits_value(out) != d)
        round_digits(d, 17, out); /* 17 digits always read back */
    while (out->n > 1 && out->dig[out->n - 1] == '0')
        out->n--;
}

/* d as text tests see it (docs/scoring-model.md): the shortest decimal that
 * reads back as d, written as ECMAScript's Number::toString writes it —
 * "2.5", "0.00005", "100000000000000000000", "1e+21", "5e-324", and "0" for
 * either zero — whatever the locale. cap >= 32. */
static void format_double(char *buf, size_t cap, double d)
{
    if (d == 0) {
        snprintf(buf, cap, "0");
        return;
    }
    int saved_errno = errno; /* strtod sets ERANGE for the subnormals */
    digits x;
    shortest_digits(d < 0 ? -d : d, &x);
    errno = saved_errno;
    static const char zeros[] = "000000000000000000000"; /* 21 */
    const char *sign = d < 0 ? "-" : "";
    int k = x.n, n = x.point;
    if (k <= n && n <= 21) /* an integer: the digits, then zeros */
        snprintf(buf, cap, "%s%.*s%.*s", sign, k, x.dig, n - k, zeros);
    else if (0 < n && n <= 21)
        snprintf(buf, cap, "%s%.*s.%.*s", sign, n, x.dig, k - n, x.dig + n);
    else if (-6 < n && n <= 0)
        snprintf(buf, cap, "%s0.%.*s%.*s", sign, -n, zeros, k, x.dig);
    else
        snprintf(buf, cap, "%s%c%s%.*se%c%d", sign, x.dig[0], k > 1 ? "." : "", k - 1,
                 x.dig + 1, n - 1 < 0 ? '-' : '+', n - 1 < 0 ? 1 - n : n - 1);
}

static int contact_lookup(void *user, const char *name, const char **out_value)
{
    lead__contact_view *v = user;
    const char *field = lead__contact_field_by_name(v->c, name);
    if (field) {
        *out_value = field;
        return 1;
    }
    const lead__attr *a = lead__contact_attr_find(v->c, name);
    if (!a)
        return 0;
    switch (a->type) {
    case LEAD_ATTR_STRING: *out_value = a->s; return 1;
    case LEAD_ATTR_DOUBLE: format_double(v->buf, sizeof v->buf, a->d); break;
    default: snprintf(v->buf, sizeof v->buf, "%" PRId64, a->i); break;
    }
    *out_value = v->buf;
    return 1;
}

void lead__contact_score_view(lead__score_contact *out, lead__contact_view *view,
                              const lead_contact *c)
{
    view->c = c;
    view->buf[0] = '\0';
    out->user = view;
    out->lookup = contact_lookup;
}

int lead__event_score_view(lead__score_event *out, lead__score_prop props[3],
                           const lead_event *ev)
{
    static const struct {
        int which;
        const char *name;
    } named[] = {{LEAD_EVENT_SOURCE, "source"},
                 {LEAD_EVENT_MEDIUM, "medium"},
                 {LEAD_EVENT_CONTENT, "content"}};
    out->type = lead_event_type_name(ev->type);
    if (!out->type)
        return 0;
    out->channel = lead_channel_name(ev->channel);
    out->campaign = ev->strings[LEAD_EVENT_CAMPAIGN];
    out->time = ev->time_ms;
    out->props = props;
    out->nprops = 0;
    for (size_t i = 0; i < 3; i++) {
        const char *value = ev->strings[named[i].which];
        if (value) {
            props[out->nprops].name = named[i].name;
            props[out->nprops].value = value;
            out->nprops++;
        }
    }
    return 1;
}

int lead__score_subject_add_lead_event(lead_score_subject *s, const lead_event *ev)
{
    lead__score_prop props[3];
    lead__score_event se;
    if (!lead__event_score_view(&se, props, ev))
        return LEAD_OK;
    int rc = lead_score_subject_add_event(s, se.type, se.channel, se.campaign, se.time);
    for (size_t i = 0; rc == LEAD_OK && i < se.nprops; i++)
        rc = lead_score_subject_add_property(s, props[i].name, props[i].value);
    return rc;
}
