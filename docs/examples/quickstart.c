/*
 * liblead quick start: create an engine with the embedded defaults (in-memory
 * store, system clock) and print what it is. Run with:
 *     cmake --workflow --preset demo
 */
#include <lead.h>

#include <stdio.h>

int main(void)
{
    if (lead_version_number() != LEAD_VERSION_NUMBER) {
        fprintf(stderr, "header %s but library %s\n", LEAD_VERSION_STRING, lead_version_string());
        return 1;
    }
    printf("liblead %s\n", lead_version_string());

    lead_engine *engine = NULL;
    int rc = lead_engine_new(&engine, NULL);
    if (rc != LEAD_OK) {
        fprintf(stderr, "lead_engine_new: %s\n", lead_strerror(rc));
        return 1;
    }
    int64_t now = 0;
    rc = lead_engine_now(engine, &now);
    if (rc != LEAD_OK) {
        fprintf(stderr, "lead_engine_now: %s (%s)\n", lead_strerror(rc), lead_engine_errmsg(engine));
        lead_engine_free(engine);
        return 1;
    }
    printf("engine ready, clock at %lld ms since the epoch\n", (long long)now);
    lead_engine_free(engine);
    return 0;
}
