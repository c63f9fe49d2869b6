/*
 * The smallest program an application links against liblead: it prints the
 * run-time version and fails when the library it runs with is not the one
 * whose headers it was compiled against.
 */
#include <lead.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *running = lead_version_string();
    printf("%s\n", running);
    if (strcmp(running, LEAD_VERSION_STRING) != 0 || lead_version_number() != LEAD_VERSION_NUMBER) {
        fprintf(stderr, "header says %s, library says %s\n", LEAD_VERSION_STRING, running);
        return 1;
    }
    lead_engine *engine = NULL;
    int rc = lead_engine_new(&engine, NULL);
    if (rc != LEAD_OK) {
        fprintf(stderr, "lead_engine_new: %s\n", lead_strerror(rc));
        return 1;
    }
    lead_engine_free(engine);
    return 0;
}
