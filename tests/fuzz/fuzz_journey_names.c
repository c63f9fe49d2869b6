/* Channel names through the journey set's public API: each input line is a
 * touch's channel. Valid names must intern to dense ids in order of first
 * sight and read back byte for byte; invalid ones must be refused with the
 * documented code and leave the journey as it was. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lead/journey.h"
#include "utf8.h"

#define MAX_NAMES 512

typedef struct reference {
    char *names[MAX_NAMES]; /* distinct valid names in order of first sight */
    size_t count;
    uint32_t touch_ids[MAX_NAMES];
    size_t touches;
} reference;

static int expected_status(const char *name, size_t len)
{
    if (len == 0)
        return LEAD_EINVAL;
    if (len > LEAD_NAME_MAX)
        return LEAD_ETOOLONG;
    return lead__utf8_valid(name, len) ? LEAD_OK : LEAD_EUTF8;
}

static uint32_t reference_id(reference *ref, char *name)
{
    for (size_t i = 0; i < ref->count; i++)
        if (strcmp(ref->names[i], name) == 0)
            return (uint32_t)i;
    ref->names[ref->count] = name;
    return (uint32_t)ref->count++;
}

static void check_set(const lead_journey_set *set, const reference *ref)
{
    size_t count = 0, touches = 0;
    if (lead_journey_set_channel_count(set, &count) != LEAD_OK || count != ref->count)
        abort();
    for (size_t i = 0; i < ref->count; i++) {
        const char *name = NULL;
        uint32_t id = UINT32_MAX;
        if (lead_journey_set_channel_name(set, (uint32_t)i, &name) != LEAD_OK ||
            strcmp(name, ref->names[i]) != 0 ||
            lead_journey_set_channel_id(set, ref->names[i], &id) != LEAD_OK || id != i)
            abort();
    }
    if (lead_journey_set_journey(set, 0, &touches, NULL, NULL, NULL, NULL) != LEAD_OK ||
        touches != ref->touches)
        abort();
    for (size_t t = 0; t < ref->touches; t++) {
        uint32_t channel = UINT32_MAX;
        if (lead_journey_set_touch(set, 0, t, &channel, NULL, NULL, NULL) != LEAD_OK ||
            channel != ref->touch_ids[t])
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    lead_journey_set *set = NULL;
    if (!copy || lead_journey_set_new(&set, NULL) != LEAD_OK || lead_journey_set_begin(set)) {
        free(copy);
        lead_journey_set_free(set);
        return 0;
    }
    memcpy(copy, data, size);
    copy[size] = '\n';
    reference ref = {{NULL}, 0, {0}, 0};
    /* Lines become NUL-terminated names; an embedded NUL ends a name early,
     * exactly as the C API sees it. */
    for (char *line = copy; line < copy + size + 1 && ref.touches < MAX_NAMES;) {
        char *end = memchr(line, '\n', (size_t)(copy + size + 1 - line));
        *end = '\0';
        int want = expected_status(line, strlen(line));
        int got = lead_journey_set_add_touch(set, line, NULL, LEAD_TIME_UNKNOWN, 0);
        if (got != want)
            abort();
        if (got == LEAD_OK)
            ref.touch_ids[ref.touches++] = reference_id(&ref, line);
        line = end + 1;
    }
    if (ref.touches == 0) {
        if (lead_journey_set_end(set, 1, 10, 0, LEAD_TIME_UNKNOWN) != LEAD_EINVAL)
            abort(); /* a journey needs a touch */
    } else {
        if (lead_journey_set_end(set, 1, 10, 0, LEAD_TIME_UNKNOWN) != LEAD_OK)
            abort();
        check_set(set, &ref);
    }
    lead_journey_set_free(set);
    free(copy);
    return 0;
}
