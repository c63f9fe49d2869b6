/* Consent per purpose, timestamped; a bounce never overrides an unsubscribe. */
#include "contact.h"

void lead__contact_consent_apply(lead_contact *c, int purpose, int state, int64_t now_ms)
{
    if (state == LEAD_CONSENT_BOUNCED && c->consent[purpose] == LEAD_CONSENT_UNSUBSCRIBED)
        return;
    if (c->consent[purpose] == state)
        return;
    c->consent[purpose] = state;
    c->consent_ms[purpose] = now_ms;
}

typedef struct consent_change {
    int purpose, state;
} consent_change;

static int apply(lead_engine *engine, lead_contact *c, void *ctx, int64_t now_ms)
{
    (void)engine;
    const consent_change *ch = ctx;
    lead__contact_consent_apply(c, ch->purpose, ch->state, now_ms);
    return LEAD_OK;
}

int lead_contact_set_consent(lead_engine *engine, uint64_t id, int purpose, int state)
{
    if (!engine)
        return LEAD_EINVAL;
    if (purpose < 0 || purpose >= LEAD_PURPOSE_COUNT || state < LEAD_CONSENT_NOT_SET ||
        state > LEAD_CONSENT_BOUNCED)
        return lead__fail(engine, LEAD_EINVAL, "consent: bad purpose %d or state %d", purpose,
                          state);
    consent_change ch = {purpose, state};
    return lead__contact_update(engine, id, apply, &ch);
}

int lead_contact_consent(const lead_contact *contact, int purpose, int *out_state,
                         int64_t *out_changed_ms)
{
    if (!contact || !out_state || !out_changed_ms || purpose < 0 ||
        purpose >= LEAD_PURPOSE_COUNT)
        return LEAD_EINVAL;
    *out_state = contact->consent[purpose];
    *out_changed_ms = contact->consent_ms[purpose];
    return LEAD_OK;
}
