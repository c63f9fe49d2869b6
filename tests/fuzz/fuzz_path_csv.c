/* The path-level CSV reader on arbitrary bytes. The first byte picks the
 * path separator; the rest is the document. */
#include "fuzz.h"
#include "journey_check.h"

static const char *const separators[] = {NULL, "|", ">", " > ", "->", ",", "\"", "  "};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *separator = separators[data[0] % (sizeof separators / sizeof separators[0])];
    lead_journey_set *set = set_with_one_journey();
    if (!set)
        return 0;
    int rc = lead_journey_set_read_path_csv(set, (const char *)data + 1, size - 1, separator);
    if (!documented_read_status(rc))
        abort();
    if (rc == LEAD_OK)
        check_well_formed(set);
    else
        check_unchanged(set, rc);
    lead_journey_set_free(set);
    return 0;
}
