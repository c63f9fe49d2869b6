/* Contacts: creation, standard fields, stages, snapshots and their records. */
#include "contact.h"
#include "counter.h"
#include "email.h"
#include "engine_score.h"
#include "phone.h"
#include "utf8.h"

#include <string.h>

/* Record tags of contact records (version 1; version 2 keeps the tags from
 * TAG_SPAN on except TAG_TOUCH and TAG_LAST_EVENT). Fields use 100 + field. */
enum {
    TAG_ID = 1,
    TAG_CREATED = 2,
    TAG_UPDATED = 3,
    TAG_LAST_ACTIVITY = 4,
    TAG_STAGE = 5,
    TAG_EVENT_COUNT = 6,
    TAG_SPAN = 7,        /* stage i32, reason i32, entered i64, exited i64, event u64 */
    TAG_TOUCH = 8,       /* which i64, event u64, time i64 */
    TAG_LAST_EVENT = 9,
    TAG_ABSORBED = 10, /* repeated: one merged-in contact id each */
    TAG_CONSENT = 11,  /* purpose i32, state i32, changed i64 */
    TAG_ATTR = 12,     /* attr.c */
    TAG_FIELD_BASE = 100
};
#define SPAN_BYTES 32u
#define TOUCH_BYTES 24u
#define CONSENT_BYTES 16u

static const char *const field_names[LEAD_FIELD_COUNT] = {
    "email",    "first_name", "last_name", "phone",  "company", "job_title",  "industry",
    "country",  "city",       "website",   "source", "owner",   "external_id",
};

static int32_t as_signed32(uint64_t u)
{
    return u <= INT32_MAX ? (int32_t)u : (int32_t)(-(int64_t)(~u & 0xFFFFFFFFu) - 1);
}

lead_contact *lead__contact_alloc(const lead__mem *mem)
{
    lead_contact *c = lead__calloc(mem, 1, sizeof *c);
    if (!c)
        return NULL;
    c->mem = *mem;
    c->last_activity_ms = LEAD_TIME_UNKNOWN;
    for (int p = 0; p < LEAD_PURPOSE_COUNT; p++)
        c->consent_ms[p] = LEAD_TIME_UNKNOWN;
    return c;
}

void lead_contact_free(lead_contact *contact)
{
    if (!contact)
        return;
    lead__mem mem = contact->mem;
    for (int f = 0; f < LEAD_FIELD_COUNT; f++)
        lead__free(&mem, contact->fields[f]);
    lead__free(&mem, contact->history);
    lead__free(&mem, contact->absorbed);
    lead__attr_free_all(contact);
    lead__free(&mem, contact);
}

int lead__contact_absorb(lead_contact *c, uint64_t id)
{
    if (lead__grow(&c->mem, (void **)&c->absorbed, &c->absorbed_cap, c->absorbed_len + 1,
                   sizeof *c->absorbed) != LEAD_OK)
        return LEAD_ENOMEM;
    c->absorbed[c->absorbed_len++] = id;
    return LEAD_OK;
}

/* Version 2 puts what a tracked event changes in a fixed block right after
 * the header, and the index keys next as NUL-terminated strings, so that a
 * track can patch a copy of the record and hand its keys to the store
 * without decoding the rest (docs/storage.md, "Contact record"). */
#define HOT_BYTES 104u
#define HOT_START LEAD__REC_HEADER
#define KEYS_START (HOT_START + HOT_BYTES)

static void hot_put(unsigned char *h, const lead_contact *c)
{
    lead__put_le(h, c->id, 8);
    lead__put_le(h + 8, (uint64_t)c->created_ms, 8);
    lead__put_le(h + 16, (uint64_t)c->updated_ms, 8);
    lead__put_le(h + 24, (uint64_t)c->last_activity_ms, 8);
    lead__put_le(h + 32, c->last_event_id, 8);
    lead__put_le(h + 40, c->event_count, 8);
    lead__put_le(h + 48, (uint32_t)c->stage, 4);
    lead__put_le(h + 52, 0, 4);
    for (unsigned m = 0; m < LEAD_MILESTONE_COUNT; m++) {
        uint64_t ev = c->touch_event[m];
        lead__put_le(h + 56 + 16 * m, ev, 8);
        lead__put_le(h + 64 + 16 * m, ev ? (uint64_t)c->touch_ms[m] : 0, 8);
    }
}

static int hot_get(lead_contact *c, const unsigned char *h)
{
    uint64_t stage = lead__get_le(h + 48, 4);
    if (stage >= LEAD_STAGE_COUNT || lead__get_le(h + 52, 4) != 0)
        return LEAD_ECORRUPT;
    c->id = lead__get_le(h, 8);
    c->created_ms = lead__as_signed(lead__get_le(h + 8, 8));
    c->updated_ms = lead__as_signed(lead__get_le(h + 16, 8));
    c->last_activity_ms = lead__as_signed(lead__get_le(h + 24, 8));
    c->last_event_id = lead__get_le(h + 32, 8);
    c->event_count = lead__get_le(h + 40, 8);
    c->stage = (int32_t)stage;
    for (unsigned m = 0; m < LEAD_MILESTONE_COUNT; m++) {
        c->touch_event[m] = lead__get_le(h + 56 + 16 * m, 8);
        c->touch_ms[m] = lead__as_signed(lead__get_le(h + 64 + 16 * m, 8));
        if (!c->touch_event[m] && c->touch_ms[m]) /* one encoding per contact */
            return LEAD_ECORRUPT;
    }
    return LEAD_OK;
}

/* An index key: u16 length, the bytes, a NUL; length 0 for none. */
static void key_put(lead__rec_writer *w, const char *key)
{
    size_t n = key ? strlen(key) : 0;
    if (n > UINT16_MAX) {
        if (w->status == LEAD_OK)
            w->status = LEAD_ELIMIT;
        return;
    }
    unsigned char *p = lead__rec_reserve(w, 3 + n);
    if (!p)
        return;
    lead__put_le(p, n, 2);
    if (n)
        memcpy(p + 2, key, n);
    p[2 + n] = 0;
}

/* The key at *off (advanced past it) as a string inside the record, or NULL
 * for none. */
static int key_get(const unsigned char *p, size_t len, size_t *off, const char **out,
                   size_t *out_len)
{
    if (len - *off < 3)
        return LEAD_ECORRUPT;
    size_t n = (size_t)lead__get_le(p + *off, 2);
    if (n > len - *off - 3)
        return LEAD_ECORRUPT;
    const char *s = (const char *)p + *off + 2;
    if (s[n] != 0 || memchr(s, 0, n))
        return LEAD_ECORRUPT;
    *out = n ? s : NULL;
    *out_len = n;
    *off += 3 + n;
    return LEAD_OK;
}

/* Tags that version 2 keeps in its fixed block or key strings instead. */
static int moved_in_v2(unsigned tag)
{
    return (tag >= TAG_ID && tag <= TAG_EVENT_COUNT) || tag == TAG_TOUCH ||
           tag == TAG_LAST_EVENT || tag == TAG_FIELD_BASE + LEAD_FIELD_EMAIL ||
           tag == TAG_FIELD_BASE + LEAD_FIELD_EXTERNAL_ID;
}

/* What a full decode would refuse in the tagged fields of a version 2
 * record, checked without decoding values: a field the fixed block holds,
 * a stage span of the wrong size, or no span at all. */
static int check_fields_v2(lead__rec_reader *r)
{
    unsigned tag;
    const unsigned char *v;
    size_t len, spans = 0;
    int rc;
    while ((rc = lead__rec_next(r, &tag, &v, &len)) == LEAD_OK) {
        if (moved_in_v2(tag) || (tag == TAG_SPAN && len != SPAN_BYTES))
            return LEAD_ECORRUPT;
        spans += tag == TAG_SPAN;
    }
    return rc == LEAD_ITEROVER && spans ? LEAD_OK : LEAD_ECORRUPT;
}

int lead__contact_hot_read(lead_contact *c, const char **email, const char **external_id,
                           size_t *fields_start, const void *bytes, size_t len)
{
    const unsigned char *p = bytes;
    if (len < KEYS_START || p[0] != 'L' || p[1] != 'R' || p[2] != LEAD__REC_CONTACT ||
        p[3] != LEAD__CONTACT_RECORD_VERSION || lead__get_le(p + 8, 4) != len - LEAD__REC_HEADER)
        return LEAD_ECORRUPT;
    size_t off = KEYS_START, n = 0;
    int rc = hot_get(c, p + HOT_START);
    if (rc == LEAD_OK)
        rc = key_get(p, len, &off, email, &n);
    if (rc == LEAD_OK && *email && !lead__utf8_valid(*email, n))
        rc = LEAD_ECORRUPT;
    if (rc == LEAD_OK)
        rc = key_get(p, len, &off, external_id, &n);
    if (rc == LEAD_OK && *external_id && !lead__utf8_valid(*external_id, n))
        rc = LEAD_ECORRUPT;
    /* The framing of the fields too: a record copied as it is must be one
     * that a full decode could walk. */
    lead__rec_reader r;
    if (rc == LEAD_OK)
        rc = lead__rec_open_at(&r, p, len, LEAD__REC_CONTACT, LEAD__CONTACT_RECORD_VERSION, off);
    if (rc == LEAD_OK)
        rc = check_fields_v2(&r);
    if (rc == LEAD_OK && fields_start)
        *fields_start = off;
    return rc;
}

void lead__contact_hot_write(void *bytes, const lead_contact *c)
{
    hot_put((unsigned char *)bytes + HOT_START, c);
}

int lead__contact_encode(lead__rec_writer *w, const lead_contact *c)
{
    lead__rec_begin(w, LEAD__REC_CONTACT, LEAD__CONTACT_RECORD_VERSION);
    unsigned char *h = lead__rec_reserve(w, HOT_BYTES);
    if (h)
        hot_put(h, c);
    key_put(w, c->fields[LEAD_FIELD_EMAIL]);
    key_put(w, c->fields[LEAD_FIELD_EXTERNAL_ID]);
    for (size_t i = 0; i < c->absorbed_len; i++)
        lead__rec_i64(w, TAG_ABSORBED, (int64_t)c->absorbed[i]);
    for (size_t i = 0; i < c->history_len; i++) {
        const lead__stage_span *s = &c->history[i];
        unsigned char b[SPAN_BYTES];
        lead__put_le(b, (uint32_t)s->stage, 4);
        lead__put_le(b + 4, (uint32_t)s->reason, 4);
        lead__put_le(b + 8, (uint64_t)s->entered_ms, 8);
        lead__put_le(b + 16, (uint64_t)s->exited_ms, 8);
        lead__put_le(b + 24, s->event_id, 8);
        lead__rec_bytes(w, TAG_SPAN, b, sizeof b);
    }
    for (int p = 0; p < LEAD_PURPOSE_COUNT; p++) {
        if (c->consent[p] == LEAD_CONSENT_NOT_SET)
            continue;
        unsigned char b[CONSENT_BYTES];
        lead__put_le(b, (uint32_t)p, 4);
        lead__put_le(b + 4, (uint32_t)c->consent[p], 4);
        lead__put_le(b + 8, (uint64_t)c->consent_ms[p], 8);
        lead__rec_bytes(w, TAG_CONSENT, b, sizeof b);
    }
    lead__attr_encode(w, TAG_ATTR, c);
    for (unsigned f = 0; f < LEAD_FIELD_COUNT; f++)
        if (f != LEAD_FIELD_EMAIL && f != LEAD_FIELD_EXTERNAL_ID)
            lead__rec_str(w, TAG_FIELD_BASE + f, c->fields[f]);
    return lead__rec_end(w);
}

static int decode_span(lead_contact *c, const unsigned char *v, size_t len)
{
    if (len != SPAN_BYTES)
        return LEAD_ECORRUPT;
    lead__stage_span s;
    s.stage = as_signed32(lead__get_le(v, 4));
    s.reason = as_signed32(lead__get_le(v + 4, 4));
    s.entered_ms = lead__as_signed(lead__get_le(v + 8, 8));
    s.exited_ms = lead__as_signed(lead__get_le(v + 16, 8));
    s.event_id = lead__get_le(v + 24, 8);
    if (!lead_stage_name(s.stage) || s.reason < LEAD_REASON_CREATED ||
        s.reason > LEAD_REASON_MERGE)
        return LEAD_ECORRUPT;
    if (lead__grow(&c->mem, (void **)&c->history, &c->history_cap, c->history_len + 1,
                   sizeof s) != LEAD_OK)
        return LEAD_ENOMEM;
    c->history[c->history_len++] = s;
    return LEAD_OK;
}

static int decode_touch(lead_contact *c, const unsigned char *v, size_t len)
{
    if (len != TOUCH_BYTES)
        return LEAD_ECORRUPT;
    uint64_t which = lead__get_le(v, 8);
    if (which >= LEAD_MILESTONE_COUNT)
        return LEAD_ECORRUPT;
    c->touch_event[which] = lead__get_le(v + 8, 8);
    c->touch_ms[which] = lead__as_signed(lead__get_le(v + 16, 8));
    return LEAD_OK;
}

static int decode_consent(lead_contact *c, const unsigned char *v, size_t len)
{
    if (len != CONSENT_BYTES)
        return LEAD_ECORRUPT;
    uint64_t purpose = lead__get_le(v, 4), state = lead__get_le(v + 4, 4);
    if (purpose >= LEAD_PURPOSE_COUNT || state > LEAD_CONSENT_BOUNCED)
        return LEAD_ECORRUPT;
    c->consent[purpose] = (int32_t)state;
    c->consent_ms[purpose] = lead__as_signed(lead__get_le(v + 8, 8));
    return LEAD_OK;
}

static int decode_field(lead_contact *c, unsigned tag, const unsigned char *v, size_t len)
{
    int64_t x = 0;
    if (tag >= TAG_FIELD_BASE && tag < TAG_FIELD_BASE + LEAD_FIELD_COUNT)
        return lead__rec_as_str(&c->mem, v, len, &c->fields[tag - TAG_FIELD_BASE]);
    if (tag == TAG_SPAN)
        return decode_span(c, v, len);
    if (tag == TAG_TOUCH)
        return decode_touch(c, v, len);
    if (tag == TAG_CONSENT)
        return decode_consent(c, v, len);
    if (tag == TAG_ATTR)
        return lead__attr_decode(c, v, len);
    if (tag > TAG_ATTR)
        return LEAD_OK; /* a later writer's field: skip it */
    int rc = lead__rec_as_i64(v, len, &x);
    if (rc != LEAD_OK)
        return rc;
    switch (tag) {
    case TAG_ID: c->id = (uint64_t)x; break;
    case TAG_CREATED: c->created_ms = x; break;
    case TAG_UPDATED: c->updated_ms = x; break;
    case TAG_LAST_ACTIVITY: c->last_activity_ms = x; break;
    case TAG_STAGE:
        if (x < 0 || x >= LEAD_STAGE_COUNT)
            return LEAD_ECORRUPT;
        c->stage = (int32_t)x;
        break;
    case TAG_EVENT_COUNT: c->event_count = (uint64_t)x; break;
    case TAG_LAST_EVENT: c->last_event_id = (uint64_t)x; break;
    case TAG_ABSORBED: return lead__contact_absorb(c, (uint64_t)x);
    default: return LEAD_ECORRUPT;
    }
    return LEAD_OK;
}

/* Version 2's fixed block and keys; *start: where its tagged fields begin. */
static int decode_head_v2(lead_contact *c, const void *bytes, size_t len, size_t *start)
{
    const char *key[2] = {NULL, NULL};
    int rc = lead__contact_hot_read(c, &key[0], &key[1], start, bytes, len);
    static const int field[2] = {LEAD_FIELD_EMAIL, LEAD_FIELD_EXTERNAL_ID};
    for (int k = 0; rc == LEAD_OK && k < 2; k++)
        if (key[k])
            rc = lead__rec_as_str(&c->mem, (const unsigned char *)key[k], strlen(key[k]),
                                  &c->fields[field[k]]);
    return rc;
}

static int decode(lead_contact *c, const void *bytes, size_t len)
{
    const unsigned char *p = bytes;
    int v2 = len >= LEAD__REC_HEADER && p[3] == LEAD__CONTACT_RECORD_VERSION;
    size_t start = LEAD__REC_HEADER;
    int rc = v2 ? decode_head_v2(c, bytes, len, &start) : LEAD_OK;
    lead__rec_reader r;
    if (rc == LEAD_OK)
        rc = lead__rec_open_at(&r, bytes, len, LEAD__REC_CONTACT, LEAD__CONTACT_RECORD_VERSION,
                               start);
    unsigned tag;
    const unsigned char *v;
    size_t vlen;
    while (rc == LEAD_OK && (rc = lead__rec_next(&r, &tag, &v, &vlen)) == LEAD_OK)
        rc = v2 && moved_in_v2(tag) ? LEAD_ECORRUPT : decode_field(c, tag, v, vlen);
    if (rc != LEAD_ITEROVER)
        return rc;
    return c->id && c->history_len ? LEAD_OK : LEAD_ECORRUPT;
}

int lead__contact_decode(lead_engine *engine, const void *bytes, size_t len, lead_contact **out)
{
    lead_contact *c = lead__contact_alloc(&engine->mem);
    if (!c)
        return LEAD_ENOMEM;
    int rc = decode(c, bytes, len);
    if (rc != LEAD_OK) {
        lead_contact_free(c);
        return rc;
    }
    *out = c;
    return LEAD_OK;
}

int lead__contact_fetch(lead_engine *engine, uint64_t asked, uint64_t *out_id,
                        const void **out_bytes, size_t *out_len)
{
    uint64_t id = asked;
    int rc = lead__store_status(
        engine, engine->store.contact_get(engine->store.user, id, out_bytes, out_len),
        "contact_get");
    if (rc == LEAD_ENOTFOUND) {
        rc = lead__contact_follow(engine, asked, &id);
        if (rc == LEAD_OK)
            rc = lead__store_status(
                engine, engine->store.contact_get(engine->store.user, id, out_bytes, out_len),
                "contact_get");
        if (rc == LEAD_ENOTFOUND)
            return lead__fail(engine, rc, "no contact %llu", (unsigned long long)asked);
    }
    if (rc == LEAD_OK)
        *out_id = id;
    return rc;
}

int lead__contact_from_record(lead_engine *engine, uint64_t id, const void *bytes, size_t len,
                              lead_contact **out)
{
    lead_contact *c = NULL;
    int rc = lead__contact_decode(engine, bytes, len, &c);
    if (rc == LEAD_OK && c->id != id)
        rc = LEAD_ECORRUPT;
    if (rc != LEAD_OK) {
        lead_contact_free(c);
        if (rc == LEAD_ECORRUPT || rc == LEAD_EVERSION)
            return lead__fail_record(engine, rc, bytes, LEAD__CONTACT_RECORD_VERSION,
                                     "contact %llu: stored record", (unsigned long long)id);
        return rc;
    }
    *out = c;
    return LEAD_OK;
}

int lead__contact_load(lead_engine *engine, uint64_t asked, lead_contact **out)
{
    const void *bytes = NULL;
    size_t len = 0;
    uint64_t id = 0;
    int rc = lead__contact_fetch(engine, asked, &id, &bytes, &len);
    return rc == LEAD_OK ? lead__contact_from_record(engine, id, bytes, len, out) : rc;
}

int lead__contact_save(lead_engine *engine, const lead_contact *contact)
{
    int rc = lead__contact_encode(&engine->writer, contact);
    if (rc != LEAD_OK)
        return rc;
    return lead__store_status(
        engine,
        engine->store.contact_put(engine->store.user, contact->id, contact->fields[LEAD_FIELD_EMAIL],
                                  contact->fields[LEAD_FIELD_EXTERNAL_ID], engine->writer.buf,
                                  engine->writer.len),
        "contact_put");
}

int lead__contact_save_hot(lead_engine *engine, const lead_contact *contact, void *bytes,
                           size_t len, const char *email, const char *external_id)
{
    lead__contact_hot_write(bytes, contact);
    return lead__store_status(engine,
                              engine->store.contact_put(engine->store.user, contact->id, email,
                                                        external_id, bytes, len),
                              "contact_put");
}

/* The stage at which each milestone happens, in enum lead_milestone order. */
static const int32_t milestone_stage[LEAD_MILESTONE_COUNT] = {
    LEAD_STAGE_LEAD, LEAD_STAGE_OPPORTUNITY, LEAD_STAGE_CUSTOMER};

static void set_milestones(lead_contact *c, int stage, uint64_t event_id, int64_t event_ms)
{
    if (!lead_stage_is_ordered(stage))
        return;
    if (!event_id) {
        event_id = c->last_event_id;
        event_ms = c->last_activity_ms;
    }
    if (!event_id)
        return;
    for (int m = 0; m < LEAD_MILESTONE_COUNT; m++) {
        if (milestone_stage[m] <= stage && !c->touch_event[m]) {
            c->touch_event[m] = event_id;
            c->touch_ms[m] = event_ms;
        }
    }
}

int lead__contact_enter_stage(lead_contact *c, int stage, int reason, int64_t now_ms,
                              uint64_t event_id)
{
    if (lead__grow(&c->mem, (void **)&c->history, &c->history_cap, c->history_len + 1,
                   sizeof *c->history) != LEAD_OK)
        return LEAD_ENOMEM;
    /* A backdated event cannot move a stage before the current one began:
     * history stays in time order. The milestones it reaches keep the
     * event's own time. */
    const int64_t event_ms = now_ms;
    if (c->history_len && now_ms < c->history[c->history_len - 1].entered_ms)
        now_ms = c->history[c->history_len - 1].entered_ms;
    if (c->history_len)
        c->history[c->history_len - 1].exited_ms = now_ms;
    lead__stage_span *s = &c->history[c->history_len++];
    s->stage = stage;
    s->reason = reason;
    s->entered_ms = now_ms;
    s->exited_ms = LEAD_TIME_UNKNOWN;
    s->event_id = event_id;
    c->stage = stage;
    set_milestones(c, stage, event_id, event_ms);
    return LEAD_OK;
}

void lead__contact_notify(lead_engine *engine, const lead_contact *c, size_t from)
{
    if (!engine->stage_observer)
        return;
    for (size_t i = from; i < c->history_len; i++) {
        const lead__stage_span *s = &c->history[i];
        int before = i ? c->history[i - 1].stage : s->stage;
        engine->stage_observer(engine->stage_observer_user, c->id, before, s->stage, s->reason,
                               s->entered_ms);
    }
}

int lead__contact_field_index(const char *name)
{
    for (int f = 0; f < LEAD_FIELD_COUNT; f++)
        if (strcmp(field_names[f], name) == 0)
            return f;
    return -1;
}

const char *lead__contact_field_by_name(const lead_contact *contact, const char *name)
{
    int f = lead__contact_field_index(name);
    return f >= 0 ? contact->fields[f] : NULL;
}

/* Validates and normalizes a field value into *out (NULL for a clear). */
static int normalize_field(lead_engine *engine, int field, const char *value, char **out)
{
    char buf[LEAD_EMAIL_MAX + 1];
    *out = NULL;
    if (!value || !*value)
        return LEAD_OK;
    size_t len = strlen(value);
    int rc = LEAD_OK;
    if (field == LEAD_FIELD_EMAIL) {
        rc = lead__email_normalize(buf, sizeof buf, value);
        value = buf;
        len = strlen(buf);
    } else if (field == LEAD_FIELD_PHONE) {
        rc = lead__phone_normalize(buf, sizeof buf, value, engine->default_calling_code);
        value = buf;
        len = strlen(buf);
    } else if (!lead__utf8_valid(value, len)) {
        rc = LEAD_EUTF8;
    } else if (len > LEAD_FIELD_MAX) {
        rc = LEAD_ETOOLONG;
    }
    if (rc != LEAD_OK)
        return lead__fail(engine, rc, "%s: %s", field_names[field], lead_strerror(rc));
    *out = lead__strndup(&engine->mem, value, len);
    return *out ? LEAD_OK : LEAD_ENOMEM;
}

/* LEAD_EEXISTS when the unique key (email or external id) belongs to
 * another contact than self; LEAD_EERASED for an erased email. */
static int check_unique(lead_engine *engine, int field, const char *value, uint64_t self,
                        uint64_t *out_owner)
{
    uint64_t owner = 0;
    int cb = field == LEAD_FIELD_EMAIL
                 ? engine->store.contact_find_email(engine->store.user, value, &owner)
                 : engine->store.contact_find_external(engine->store.user, value, &owner);
    int rc = lead__store_status(engine, cb, "contact_find");
    if (rc == LEAD_ENOTFOUND)
        return LEAD_OK;
    if (rc != LEAD_OK)
        return rc;
    if (owner == self)
        return LEAD_OK;
    if (out_owner)
        *out_owner = owner;
    return lead__fail(engine, LEAD_EEXISTS, "%s already belongs to contact %llu",
                      field_names[field], (unsigned long long)owner);
}

int lead_contact_create(lead_engine *engine, uint64_t *out_id, const char *email,
                        const char *external_id, int on_duplicate)
{
    if (!engine || !out_id ||
        (on_duplicate != LEAD_DUPLICATE_REFUSE && on_duplicate != LEAD_DUPLICATE_USE))
        return engine ? lead__fail(engine, LEAD_EINVAL, "contact_create: bad argument")
                      : LEAD_EINVAL;
    lead_contact *c = lead__contact_alloc(&engine->mem);
    if (!c)
        return LEAD_ENOMEM;
    int rc = normalize_field(engine, LEAD_FIELD_EMAIL, email, &c->fields[LEAD_FIELD_EMAIL]);
    if (rc == LEAD_OK)
        rc = normalize_field(engine, LEAD_FIELD_EXTERNAL_ID, external_id,
                             &c->fields[LEAD_FIELD_EXTERNAL_ID]);
    uint64_t owner = 0;
    for (int f = LEAD_FIELD_EMAIL; rc == LEAD_OK && f <= LEAD_FIELD_EXTERNAL_ID;
         f += LEAD_FIELD_EXTERNAL_ID) {
        if (c->fields[f])
            rc = check_unique(engine, f, c->fields[f], 0, &owner);
    }
    if (rc == LEAD_EEXISTS && on_duplicate == LEAD_DUPLICATE_USE) {
        lead_contact_free(c);
        *out_id = owner;
        return LEAD_OK;
    }
    int64_t now = 0;
    if (rc == LEAD_OK)
        rc = lead__now(engine, &now);
    if (rc == LEAD_OK)
        rc = lead__contact_enter_stage(c, LEAD_STAGE_SUBSCRIBER, LEAD_REASON_CREATED, now, 0);
    /* The id counter and the contact are one atomic write when the store
     * has transactions; without them the counter goes first (a failure
     * then only skips an id). */
    if (rc == LEAD_OK)
        rc = lead__store_begin(engine);
    if (rc == LEAD_OK) {
        rc = lead__counter_next(engine, "contact.next_id", &c->id);
        if (rc == LEAD_OK) {
            c->created_ms = c->updated_ms = now;
            rc = lead__contact_save(engine, c);
        }
        rc = lead__store_finish(engine, rc);
    }
    if (rc == LEAD_OK) {
        *out_id = c->id;
        lead__contact_notify(engine, c, 0);
    }
    lead_contact_free(c);
    return rc;
}

/* Stores a contact whose fields or attributes changed, with the stages its
 * new scores reach; the stage observer hears of those once stored. */
static int save_changed(lead_engine *engine, lead_contact *c, int64_t now)
{
    size_t before = c->history_len;
    c->updated_ms = now;
    int rc = lead__scores_refit(engine, c, now);
    if (rc == LEAD_OK)
        rc = lead__contact_save(engine, c);
    rc = lead__scores_settle(engine, rc);
    if (rc == LEAD_OK)
        lead__contact_notify(engine, c, before);
    return rc;
}

int lead_contact_set_field(lead_engine *engine, uint64_t id, int field, const char *value)
{
    if (!engine)
        return LEAD_EINVAL;
    if (field < 0 || field >= LEAD_FIELD_COUNT)
        return lead__fail(engine, LEAD_EINVAL, "no field %d", field);
    char *norm = NULL;
    lead_contact *c = NULL;
    int64_t now = 0;
    int rc = normalize_field(engine, field, value, &norm);
    if (rc == LEAD_OK)
        rc = lead__contact_load(engine, id, &c);
    if (rc == LEAD_OK && norm && (field == LEAD_FIELD_EMAIL || field == LEAD_FIELD_EXTERNAL_ID))
        rc = check_unique(engine, field, norm, c->id, NULL);
    if (rc == LEAD_OK)
        rc = lead__now(engine, &now);
    if (rc == LEAD_OK) {
        char *old = c->fields[field];
        c->fields[field] = norm;
        rc = save_changed(engine, c, now);
        c->fields[field] = old;
    }
    lead__free(&engine->mem, norm);
    lead_contact_free(c);
    return rc;
}

int lead__contact_update(lead_engine *engine, uint64_t id, lead__contact_change_fn change,
                         void *ctx)
{
    lead_contact *c = NULL;
    int64_t now = 0;
    int rc = lead__contact_load(engine, id, &c);
    if (rc == LEAD_OK)
        rc = lead__now(engine, &now);
    if (rc == LEAD_OK)
        rc = change(engine, c, ctx, now);
    if (rc == LEAD_OK)
        rc = save_changed(engine, c, now);
    lead_contact_free(c);
    return rc;
}

static int find_by(lead_engine *engine, uint64_t *out_id, int field, const char *key)
{
    if (!engine)
        return LEAD_EINVAL;
    const char *fn = field == LEAD_FIELD_EMAIL ? "find_email" : "find_external";
    if (!out_id)
        return lead__fail(engine, LEAD_EINVAL, "%s: NULL out_id", fn);
    if (!key)
        return lead__fail(engine, LEAD_EINVAL, "%s: NULL %s", fn, field_names[field]);
    char *norm = NULL;
    int rc = normalize_field(engine, field, key, &norm);
    if (rc != LEAD_OK)
        return rc;
    int cb = LEAD_ENOTFOUND;
    if (norm && field == LEAD_FIELD_EMAIL)
        cb = engine->store.contact_find_email(engine->store.user, norm, out_id);
    else if (norm)
        cb = engine->store.contact_find_external(engine->store.user, norm, out_id);
    lead__free(&engine->mem, norm);
    rc = lead__store_status(engine, cb, "contact_find");
    /* The key itself stays out of the message: it may be personal data. */
    if (rc == LEAD_ENOTFOUND)
        return lead__fail(engine, rc, "no contact with this %s", field_names[field]);
    return rc;
}

int lead_contact_find_email(lead_engine *engine, uint64_t *out_id, const char *email)
{
    return find_by(engine, out_id, LEAD_FIELD_EMAIL, email);
}

int lead_contact_find_external(lead_engine *engine, uint64_t *out_id, const char *external_id)
{
    return find_by(engine, out_id, LEAD_FIELD_EXTERNAL_ID, external_id);
}

int lead_contact_set_stage(lead_engine *engine, uint64_t id, int stage, uint32_t flags)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!lead_stage_name(stage) || (flags & ~LEAD_STAGE_RESET))
        return lead__fail(engine, LEAD_EINVAL, "bad stage %d or flags %u", stage, flags);
    lead_contact *c = NULL;
    int rc = lead__contact_load(engine, id, &c);
    if (rc != LEAD_OK)
        return rc;
    int64_t now = 0;
    size_t before = c->history_len;
    if (c->stage == stage)
        goto done;
    if (lead_stage_is_ordered(stage) && lead_stage_is_ordered(c->stage) && stage < c->stage &&
        !(flags & LEAD_STAGE_RESET)) {
        rc = lead__fail(engine, LEAD_ESTATE, "%s -> %s moves backwards without a reset",
                        lead_stage_name(c->stage), lead_stage_name(stage));
        goto done;
    }
    rc = lead__now(engine, &now);
    if (rc == LEAD_OK)
        rc = lead__contact_enter_stage(c, stage, LEAD_REASON_MANUAL, now, 0);
    if (rc == LEAD_OK) {
        c->updated_ms = now;
        rc = lead__contact_save(engine, c);
    }
    if (rc == LEAD_OK)
        lead__contact_notify(engine, c, before);
done:
    lead_contact_free(c);
    return rc;
}

int lead_contact_get(lead_contact **out, lead_engine *engine, uint64_t id)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!out)
        return lead__fail(engine, LEAD_EINVAL, "contact_get: NULL out");
    *out = NULL;
    return lead__contact_load(engine, id, out);
}

int lead_contact_id(const lead_contact *contact, uint64_t *out_id)
{
    if (!contact || !out_id)
        return LEAD_EINVAL;
    *out_id = contact->id;
    return LEAD_OK;
}

int lead_contact_field(const lead_contact *contact, int field, const char **out_value)
{
    if (!contact || !out_value || field < 0 || field >= LEAD_FIELD_COUNT)
        return LEAD_EINVAL;
    *out_value = contact->fields[field];
    return LEAD_OK;
}

int lead_contact_stage(const lead_contact *contact, int *out_stage)
{
    if (!contact || !out_stage)
        return LEAD_EINVAL;
    *out_stage = contact->stage;
    return LEAD_OK;
}

int lead_contact_times(const lead_contact *contact, int64_t *out_created_ms,
                       int64_t *out_updated_ms, int64_t *out_last_activity_ms)
{
    if (!contact || !out_created_ms || !out_updated_ms || !out_last_activity_ms)
        return LEAD_EINVAL;
    *out_created_ms = contact->created_ms;
    *out_updated_ms = contact->updated_ms;
    *out_last_activity_ms = contact->last_activity_ms;
    return LEAD_OK;
}

int lead_contact_event_count(const lead_contact *contact, uint64_t *out_count)
{
    if (!contact || !out_count)
        return LEAD_EINVAL;
    *out_count = contact->event_count;
    return LEAD_OK;
}

int lead_contact_stage_history_count(const lead_contact *contact, size_t *out_count)
{
    if (!contact || !out_count)
        return LEAD_EINVAL;
    *out_count = contact->history_len;
    return LEAD_OK;
}

int lead_contact_stage_history_at(const lead_contact *contact, size_t i, int *out_stage,
                                  int64_t *out_entered_ms, int64_t *out_exited_ms,
                                  int *out_reason, uint64_t *out_event_id)
{
    if (!contact)
        return LEAD_EINVAL;
    if (i >= contact->history_len)
        return LEAD_ENOTFOUND;
    const lead__stage_span *s = &contact->history[i];
    if (out_stage)
        *out_stage = s->stage;
    if (out_entered_ms)
        *out_entered_ms = s->entered_ms;
    if (out_exited_ms)
        *out_exited_ms = s->exited_ms;
    if (out_reason)
        *out_reason = s->reason;
    if (out_event_id)
        *out_event_id = s->event_id;
    return LEAD_OK;
}

int lead_contact_milestone(const lead_contact *contact, int touch, uint64_t *out_event_id,
                       int64_t *out_time_ms)
{
    if (!contact || !out_event_id || !out_time_ms || touch < 0 || touch >= LEAD_MILESTONE_COUNT)
        return LEAD_EINVAL;
    if (!contact->touch_event[touch])
        return LEAD_ENOTFOUND;
    *out_event_id = contact->touch_event[touch];
    *out_time_ms = contact->touch_ms[touch];
    return LEAD_OK;
}
