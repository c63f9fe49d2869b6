/* The touch-level CSV reader on arbitrary bytes. */
#include "fuzz.h"
#include "journey_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lead_journey_set *set = set_with_one_journey();
    if (!set)
        return 0;
    int rc = lead_journey_set_read_touch_csv(set, (const char *)data, size);
    if (!documented_read_status(rc))
        abort();
    if (rc == LEAD_OK)
        check_well_formed(set);
    else
        check_unchanged(set, rc);
    lead_journey_set_free(set);
    return 0;
}
