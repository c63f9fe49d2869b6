/* The binary record decoder on arbitrary bytes. A record it accepts must be
 * canonical: re-encoding its fields with the writer gives the same bytes.
 * Every field goes through the typed accessors, and event records through
 * the event decoder (an event it accepts in the current version re-encodes
 * to the same bytes, and the light decoder of scans agrees with it), and
 * contact records through the contact decoder (an accepted contact encodes
 * to a record that decodes and encodes to the same bytes, and whose fixed
 * block the track path reads as the decoder did). */
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "event.h"
#include "fuzz.h"
#include "record.h"

static void check_kind(const lead__mem *mem, const uint8_t *data, size_t size, unsigned kind)
{
    lead__rec_reader r;
    int rc = lead__rec_open(&r, data, size, kind, 255);
    if (rc != LEAD_OK) {
        if (rc != LEAD_ECORRUPT && rc != LEAD_EVERSION)
            abort();
        return;
    }
    lead__rec_writer w;
    memset(&w, 0, sizeof w);
    w.mem = mem;
    lead__rec_begin(&w, kind, data[3]);
    unsigned tag;
    const unsigned char *value;
    size_t len;
    while ((rc = lead__rec_next(&r, &tag, &value, &len)) == LEAD_OK) {
        if (value < data || value + len > data + size)
            abort();
        int64_t x;
        char *s = NULL;
        int as_int = lead__rec_as_i64(value, len, &x);
        if ((as_int == LEAD_OK) != (len == 8))
            abort();
        int as_str = lead__rec_as_str(mem, value, len, &s);
        if (as_str != LEAD_OK && as_str != LEAD_ECORRUPT && as_str != LEAD_ENOMEM)
            abort();
        if (as_str == LEAD_OK && (strlen(s) != len || memcmp(s, value, len) != 0))
            abort();
        lead__free(mem, s);
        lead__rec_bytes(&w, tag, value, len);
    }
    if (rc != LEAD_ITEROVER)
        abort(); /* open validated the whole body: iteration cannot fail */
    if (lead__rec_end(&w) == LEAD_OK && (w.len != size || memcmp(w.buf, data, size) != 0))
        abort();
    lead__rec_writer_free(&w);
}

static void encode_contact(lead__rec_writer *w, const lead__mem *mem, const lead_contact *c)
{
    memset(w, 0, sizeof *w);
    w->mem = mem;
    if (lead__contact_encode(w, c) != LEAD_OK)
        abort(); /* a decoded contact always fits */
}

/* The fixed block as the track path reads it agrees with the decoder. */
static void check_hot(const lead_contact *c, const void *bytes, size_t len)
{
    lead_contact hot;
    memset(&hot, 0, sizeof hot);
    const char *email = NULL, *external = NULL;
    if (lead__contact_hot_read(&hot, &email, &external, NULL, bytes, len) != LEAD_OK)
        abort();
    if (hot.id != c->id || hot.event_count != c->event_count || hot.stage != c->stage ||
        hot.last_activity_ms != c->last_activity_ms || hot.last_event_id != c->last_event_id ||
        (email == NULL) != (c->fields[LEAD_FIELD_EMAIL] == NULL) ||
        (email && strcmp(email, c->fields[LEAD_FIELD_EMAIL]) != 0) ||
        (external == NULL) != (c->fields[LEAD_FIELD_EXTERNAL_ID] == NULL))
        abort();
}

static void check_contact(const lead__mem *mem, const uint8_t *data, size_t size)
{
    static lead_engine *engine; /* the decoder takes its allocator from an engine */
    if (!engine && lead_engine_new(&engine, NULL) != LEAD_OK)
        abort();
    lead_contact *c = NULL, *again = NULL;
    int rc = lead__contact_decode(engine, data, size, &c);
    if (rc != LEAD_OK && rc != LEAD_ECORRUPT && rc != LEAD_EVERSION && rc != LEAD_ENOMEM)
        abort();
    if (rc != LEAD_OK)
        return;
    if (data[3] == LEAD__CONTACT_RECORD_VERSION)
        check_hot(c, data, size);
    lead__rec_writer w, w2;
    encode_contact(&w, mem, c);
    check_hot(c, w.buf, w.len);
    if (lead__contact_decode(engine, w.buf, w.len, &again) != LEAD_OK)
        abort();
    encode_contact(&w2, mem, again);
    if (w2.len != w.len || memcmp(w2.buf, w.buf, w.len) != 0)
        abort();
    lead__rec_writer_free(&w);
    lead__rec_writer_free(&w2);
    lead_contact_free(again);
    lead_contact_free(c);
}

/* The light decoder of scans refuses what the full one refuses, with the
 * same code, and keeps the fields scoring reads as the full one decodes
 * them (full: its result rc). */
static void check_light(const lead__mem *mem, const lead_event *full, int rc,
                        const uint8_t *data, size_t size)
{
    lead__event_light light;
    memset(&light, 0, sizeof light);
    const lead_event *ev = NULL;
    int light_rc = lead__event_decode_light(mem, &light, data, size, &ev);
    /* Only the full decoder allocates strings: out of memory is its own. */
    if (light_rc != rc && rc != LEAD_ENOMEM && light_rc != LEAD_ENOMEM)
        abort();
    if (rc == LEAD_OK && light_rc == LEAD_OK) {
        if (ev->type != full->type || ev->channel != full->channel ||
            ev->time_ms != full->time_ms || ev->value_minor != full->value_minor ||
            strcmp(ev->currency, full->currency) != 0)
            abort();
        for (int i = 0; i < LEAD__EVENT_STRINGS; i++)
            if ((ev->strings[i] == NULL) != (full->strings[i] == NULL) ||
                (ev->strings[i] && strcmp(ev->strings[i], full->strings[i]) != 0))
                abort();
    }
    lead__event_light_clear(mem, &light);
    /* The bare decoder takes exactly the accepted version 2 records without
     * optional fields, with the same type, channel and time. */
    lead__event_bare bare;
    int want = rc == LEAD_OK && data[3] == 2 && data[4] == 0;
    if (lead__event_decode_bare(data, size, &bare) != want)
        abort();
    if (want && (bare.type != full->type || bare.channel != full->channel ||
                 bare.time_ms != full->time_ms))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lead__mem mem;
    lead__mem_init(&mem, NULL);
    for (unsigned kind = LEAD__REC_CONTACT; kind <= LEAD__REC_META; kind++)
        check_kind(&mem, data, size, kind);
    check_contact(&mem, data, size);

    lead_event ev;
    memset(&ev, 0, sizeof ev);
    int rc = lead__event_decode(&mem, &ev, data, size);
    if (rc != LEAD_OK && rc != LEAD_ECORRUPT && rc != LEAD_EVERSION && rc != LEAD_ENOMEM)
        abort();
    if (rc == LEAD_OK && data[3] == LEAD__EVENT_RECORD_VERSION) {
        /* The compact version is canonical too: one encoding per event. */
        lead__rec_writer w;
        memset(&w, 0, sizeof w);
        w.mem = &mem;
        if (lead__event_encode(&w, &ev) == LEAD_OK &&
            (w.len != size || memcmp(w.buf, data, size) != 0))
            abort();
        lead__rec_writer_free(&w);
    }
    check_light(&mem, &ev, rc, data, size);
    lead__event_clear(&mem, &ev);
    return 0;
}
