/* A scoring model attached to an engine from its text. */
#include "lead_test.h"

#include <string.h>

void lt_attach_model(lead_engine *engine, const char *name, const char *text)
{
    lead_score_model *m = NULL;
    assert_int_equal(lead_score_model_new(&m, NULL), LEAD_OK);
    assert_int_equal(lead_score_model_parse(m, text, strlen(text)), LEAD_OK);
    assert_int_equal(lead_engine_score_attach(engine, name, m), LEAD_OK);
    lead_score_model_free(m);
}
