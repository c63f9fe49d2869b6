/*
 * The README's example: an engine with the embedded defaults, a contact, a
 * scoring model attached, one event, and the contact's score.
 */
#include <lead.h>

#include <stdio.h>

int main(void)
{
    static const char model_text[] = "liblead-score 1\n"
                                     "fit authority 50 job_title contains \"vp\" \"director\"\n"
                                     "behaviour 10 demo_request\n";
    lead_engine *engine = NULL;
    lead_score_model *model = NULL;
    lead_score_result *score = NULL;
    lead_event_input demo = LEAD_EVENT_INPUT_INIT;
    uint64_t ada = 0, event_id = 0;
    int64_t total = 0;

    int rc = lead_engine_new(&engine, NULL); /* in-memory store, system clock */
    if (rc == LEAD_OK)
        rc = lead_contact_create(engine, &ada, "Ada@Example.com", NULL, LEAD_DUPLICATE_REFUSE);
    if (rc == LEAD_OK)
        rc = lead_contact_set_field(engine, ada, LEAD_FIELD_JOB_TITLE, "VP Engineering");
    if (rc == LEAD_OK)
        rc = lead_score_model_new(&model, NULL);
    if (rc == LEAD_OK)
        rc = lead_score_model_parse(model, model_text, sizeof model_text - 1);
    if (rc == LEAD_OK)
        rc = lead_engine_score_attach(engine, "default", model); /* the engine keeps a copy */
    demo.contact_id = ada;
    demo.type = LEAD_EVENT_DEMO_REQUEST; /* now, on the direct channel */
    if (rc == LEAD_OK)
        rc = lead_track(engine, &event_id, &demo);
    if (rc == LEAD_OK)
        rc = lead_engine_score(&score, engine, "default", ada, LEAD_TIME_UNKNOWN);
    if (rc == LEAD_OK)
        rc = lead_score_result_scores(score, NULL, NULL, &total); /* centipoints */
    if (rc == LEAD_OK)
        printf("contact %llu scores %lld.%02lld\n", (unsigned long long)ada,
               (long long)(total / 100), (long long)(total % 100));
    else
        fprintf(stderr, "%s: %s\n", lead_strerror(rc), lead_engine_errmsg(engine));
    lead_score_result_free(score);
    lead_score_model_free(model);
    lead_engine_free(engine);
    return rc == LEAD_OK ? 0 : 1;
}
