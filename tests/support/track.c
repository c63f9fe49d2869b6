/* The smallest tracked event: a contact, a type and a time (direct channel,
 * no value, no strings). */
#include "lead_test.h"

int lt_track_at(lead_engine *engine, uint64_t contact, int type, int64_t time_ms)
{
    lead_event_input in = LEAD_EVENT_INPUT_INIT;
    in.contact_id = contact;
    in.type = type;
    in.time_ms = time_ms;
    uint64_t event_id = 0;
    return lead_track(engine, &event_id, &in);
}
