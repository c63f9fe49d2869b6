/* Shared by the segment suites: the worked example of docs/segments.md and
 * the contact it is evaluated for. */
#ifndef SEGMENT_FIXTURE_H
#define SEGMENT_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#define HOUR INT64_C(3600000)
/* Not every suite uses every part. */
#define FIXTURE __attribute__((unused)) static

FIXTURE const char example_segment[] =
    "liblead-segment 1\n"
    "name \"EMEA tech leaders ready for sales\"\n"
    "field job_title contains \"cto\" \"vp engineering\"\n"
    "field country one-of \"DE\" \"FR\" \"GB\"\n"
    "stage at-least lead\n"
    "stage at-most sql\n"
    "score \"default\" total 40 *\n"
    "grade \"default\" A B\n"
    "consent email subscribed\n"
    "did download campaign \"ebook-2026\" at-least 2 within 30d\n"
    "not did open channel \"email\" within 14d\n"
    "any\n"
    "  field employees range 200 *\n"
    "  not all\n"
    "    field industry equals \"consulting\"\n"
    "    field partner_tier exists\n"
    "  end\n"
    "end\n";

/* The time the example is evaluated at: 2026-03-01T00:00:00Z. */
#define EXAMPLE_T INT64_C(1772323200000)
#define DAY INT64_C(86400000)

/* Ana, who is in the segment at EXAMPLE_T; open_at is the time of her one
 * email open. */
FIXTURE int build_ana(lead_score_subject *s, lead_segment_facts *f, int64_t open_at)
{
    int rc = LEAD_OK;
    static const char *const attrs[][2] = {{"job_title", "CTO, EMEA"},
                                           {"country", "DE"},
                                           {"employees", "250"},
                                           {"industry", "consulting"}};
    for (size_t i = 0; rc == LEAD_OK && i < 4; i++)
        rc = lead_score_subject_set(s, attrs[i][0], attrs[i][1]);
    const int64_t t = EXAMPLE_T;
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_event(s, "download", "web", "ebook-2026", t - 40 * DAY);
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_event(s, "download", "web", "ebook-2026", t - 30 * DAY);
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_event(s, "download", "web", "ebook-2026", t - 29 * DAY);
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_event(s, "open", "email", "march-newsletter", open_at);
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_event(s, "download", "web", "pricing-sheet", t - 2 * HOUR);
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_event(s, "download", "web", "ebook-2026", t - HOUR);
    if (rc == LEAD_OK)
        rc = lead_score_subject_add_event(s, "download", "web", "ebook-2026", t + HOUR);
    if (rc == LEAD_OK)
        rc = lead_segment_facts_set_stage(f, LEAD_STAGE_MQL);
    if (rc == LEAD_OK)
        rc = lead_segment_facts_set_scores(f, "default", 6000, -750, 5250, 'B');
    if (rc == LEAD_OK)
        rc = lead_segment_facts_set_consent(f, "email", LEAD_CONSENT_SUBSCRIBED);
    return rc;
}

/* Reads a segment from text; the caller checks *rc. */
FIXTURE lead_segment *parse_text(const lead_allocator *alloc, const char *text, int *rc)
{
    lead_segment *seg = NULL;
    *rc = lead_segment_new(&seg, alloc);
    if (*rc == LEAD_OK)
        *rc = lead_segment_parse(seg, text, strlen(text));
    if (*rc != LEAD_OK) {
        lead_segment_free(seg);
        return NULL;
    }
    return seg;
}

#endif
