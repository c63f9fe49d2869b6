/* Shared by the scoring suites: the worked example of docs/scoring-model.md
 * and a contact made of name/value pairs. */
#ifndef SCORE_FIXTURE_H
#define SCORE_FIXTURE_H

#include <string.h>

#include "score.h"

#define HOUR INT64_C(3600000)
/* Not every suite uses every part. */
#define FIXTURE __attribute__((unused)) static

FIXTURE const char example_model[] =
    "liblead-score 1\n"
    "name \"Enterprise SaaS\"\n"
    "half-life 7d\n"
    "grade A 80\n"
    "grade B 60\n"
    "grade C 40\n"
    "grade D 20\n"
    "bant budget 10\n"
    "bant authority 20\n"
    "bant need 10\n"
    "bant timeline 10\n"
    "fit authority 20 job_title contains \"vp\" \"director\" \"head of\" \"chief\"\n"
    "fit budget 15 employees range 200 *\n"
    "fit need 10 industry one-of \"software\" \"fintech\"\n"
    "fit timeline 10 timeline equals \"this quarter\"\n"
    "fit profile 5 phone exists\n"
    "fit profile -10 email_domain one-of \"gmail.com\" \"yahoo.com\"\n"
    "behaviour 10 email_open cap 3 per 7d\n"
    "behaviour 5 page_view property \"path\" \"/pricing\" half-life 3d\n"
    "behaviour 30 demo_request once half-life none\n"
    "behaviour -25 unsubscribe\n"
    "behaviour 15 form_submit channel \"paid_search\"\n"
    "behaviour-cap 100\n"
    "behaviour-floor -50\n"
    "stage mql fit 40 behaviour 20\n"
    "stage sql bant 3\n";

/* A contact: NULL-terminated name, value pairs. */
typedef struct pairs {
    const char *const *kv;
} pairs;

FIXTURE int pairs_lookup(void *user, const char *name, const char **out)
{
    const pairs *p = user;
    for (size_t i = 0; p->kv[i]; i += 2) {
        if (strcmp(p->kv[i], name) == 0) {
            *out = p->kv[i + 1];
            return 1;
        }
    }
    return 0;
}

FIXTURE const char *const ada_kv[] = {"job_title", "VP Engineering", "employees", "1200",
                                     "industry", "software", "timeline", "next year",
                                     "phone", "+49301234567", "email_domain", "example.com",
                                     NULL};
FIXTURE const char *const bob_kv[] = {"email_domain", "gmail.com", NULL};

FIXTURE const lead__score_prop pricing[] = {{"path", "/pricing"}};
FIXTURE const lead__score_prop blog[] = {{"path", "/blog"}};

#define EV(day, extra, type, channel, props, nprops) \
    { type, channel, NULL, LT_T0 + (day) * LT_DAY + (extra), props, nprops }

FIXTURE const lead__score_event ada_events[] = {
    EV(0, 0, "email_open", "email", NULL, 0),
    EV(0, HOUR, "email_open", "email", NULL, 0),
    EV(1, 0, "email_open", "email", NULL, 0),
    EV(2, 0, "email_open", "email", NULL, 0),
    EV(7, 0, "email_open", "email", NULL, 0),
    EV(7, 0, "page_view", "organic_search", pricing, 1),
    EV(10, 0, "demo_request", "direct", NULL, 0),
    EV(11, 0, "page_view", "direct", blog, 1),
    EV(12, 0, "form_submit", "paid_search", NULL, 0),
    EV(13, 0, "form_submit", "email", NULL, 0),
};
#define ADA_EVENTS (sizeof ada_events / sizeof ada_events[0])

FIXTURE const lead__score_event bob_events[] = {
    EV(13, 0, "unsubscribe", "email", NULL, 0),
    EV(13, 0, "unsubscribe", "email", NULL, 0),
    EV(14, 0, "unsubscribe", "email", NULL, 0),
};
#define BOB_EVENTS (sizeof bob_events / sizeof bob_events[0])

FIXTURE lead_score_model *example_parse(const lead_allocator *alloc, int *rc)
{
    lead_score_model *m = NULL;
    *rc = lead_score_model_new(&m, alloc);
    if (*rc != LEAD_OK)
        return NULL;
    *rc = lead_score_model_parse(m, example_model, strlen(example_model));
    if (*rc != LEAD_OK) {
        lead_score_model_free(m);
        return NULL;
    }
    return m;
}

#endif
