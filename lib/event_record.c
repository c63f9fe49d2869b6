/* The event record: the compact version 2 that is written, and version 1,
 * which stores written by older libraries still hold (docs/storage.md). */
#include "event.h"
#include "record.h"
#include "utf8.h"

#include <string.h>

/* Version 2: the presence byte's bits, then the body in this order. */
enum {
    HAS_VALUE = 1u << 0,
    HAS_CURRENCY = 1u << 1,
    HAS_STRING_SHIFT = 2, /* + enum lead_event_string */
    HAS_KNOWN = (1u << (HAS_STRING_SHIFT + LEAD__EVENT_STRINGS)) - 1
};
#define V2_HEAD 5u /* magic, kind, version, presence byte */

/* Version 1 tags. */
enum {
    TAG_ID = 1,
    TAG_CONTACT = 2,
    TAG_TYPE = 3,
    TAG_CHANNEL = 4,
    TAG_TIME = 5,
    TAG_VALUE = 6,
    TAG_CURRENCY = 7,
    TAG_STRING_BASE = 10 /* + enum lead_event_string */
};

int lead__event_currency_ok(const char *c, size_t len)
{
    if (len != 3)
        return 0;
    for (size_t i = 0; i < 3; i++)
        if (c[i] < 'A' || c[i] > 'Z')
            return 0;
    return 1;
}

/* ---- encoding (version 2) -------------------------------------------- */

/* Reserves the most the event can take, writes it straight into the buffer
 * and gives the unused tail back: one bounds check per event. */
int lead__event_encode(lead__rec_writer *w, const lead_event *ev)
{
    size_t len[LEAD__EVENT_STRINGS] = {0};
    size_t most = V2_HEAD + 6 * LEAD__VARINT_MAX + 3;
    int too_long = 0;
    unsigned present = (ev->value_minor ? HAS_VALUE : 0u) | (ev->currency[0] ? HAS_CURRENCY : 0u);
    for (unsigned i = 0; i < LEAD__EVENT_STRINGS; i++) {
        if (!ev->strings[i])
            continue;
        present |= 1u << (HAS_STRING_SHIFT + i);
        len[i] = strlen(ev->strings[i]);
        too_long |= len[i] > SIZE_MAX - most - LEAD__VARINT_MAX;
        most += too_long ? 0 : LEAD__VARINT_MAX + len[i];
    }
    lead__rec_begin_compact(w, LEAD__REC_EVENT, LEAD__EVENT_RECORD_VERSION);
    if (too_long && w->status == LEAD_OK)
        w->status = LEAD_ELIMIT;
    unsigned char *start = lead__rec_reserve(w, most - 4);
    if (!start)
        return w->status;
    unsigned char *p = start;
    *p++ = (unsigned char)present;
    p += lead__varint_put(p, ev->id);
    p += lead__varint_put(p, ev->contact_id);
    p += lead__varint_put(p, (uint32_t)ev->type);
    p += lead__varint_put(p, (uint32_t)ev->channel);
    p += lead__varint_put(p, lead__zigzag(ev->time_ms));
    if (present & HAS_VALUE)
        p += lead__varint_put(p, lead__zigzag(ev->value_minor));
    if (present & HAS_CURRENCY) {
        memcpy(p, ev->currency, 3);
        p += 3;
    }
    for (unsigned i = 0; i < LEAD__EVENT_STRINGS; i++) {
        if (!ev->strings[i])
            continue;
        p += lead__varint_put(p, len[i]);
        memcpy(p, ev->strings[i], len[i]);
        p += len[i];
    }
    w->len -= most - 4 - (size_t)(p - start);
    return LEAD_OK;
}

/* ---- decoding ----------------------------------------------------------- */

void lead__event_clear(const lead__mem *mem, lead_event *ev)
{
    for (int i = 0; i < LEAD__EVENT_STRINGS; i++)
        lead__free(mem, ev->strings[i]);
    memset(ev, 0, sizeof *ev);
}

static int set_enum(int32_t *out, uint64_t x)
{
    if (x > INT32_MAX)
        return LEAD_ECORRUPT;
    *out = (int32_t)x;
    return LEAD_OK;
}

static int v1_field(const lead__mem *mem, lead_event *ev, unsigned tag, const unsigned char *v,
                    size_t len)
{
    if (tag == TAG_CURRENCY) {
        if (!lead__event_currency_ok((const char *)v, len))
            return LEAD_ECORRUPT;
        memcpy(ev->currency, v, 3);
        ev->currency[3] = '\0';
        return LEAD_OK;
    }
    if (tag >= TAG_STRING_BASE && tag < TAG_STRING_BASE + LEAD__EVENT_STRINGS)
        return lead__rec_as_str(mem, v, len, &ev->strings[tag - TAG_STRING_BASE]);
    if (tag > TAG_STRING_BASE + LEAD__EVENT_STRINGS)
        return LEAD_OK; /* a later writer's field */
    int64_t x = 0;
    int rc = lead__rec_as_i64(v, len, &x);
    if (rc != LEAD_OK)
        return rc;
    switch (tag) {
    case TAG_ID: ev->id = (uint64_t)x; break;
    case TAG_CONTACT: ev->contact_id = (uint64_t)x; break;
    case TAG_TYPE: return x < 0 ? LEAD_ECORRUPT : set_enum(&ev->type, (uint64_t)x);
    case TAG_CHANNEL: return x < 0 ? LEAD_ECORRUPT : set_enum(&ev->channel, (uint64_t)x);
    case TAG_TIME: ev->time_ms = x; break;
    case TAG_VALUE: ev->value_minor = x; break;
    default: return LEAD_ECORRUPT;
    }
    return LEAD_OK;
}

static int decode_v1(const lead__mem *mem, lead_event *ev, const void *bytes, size_t len)
{
    lead__rec_reader r;
    int rc = lead__rec_open(&r, bytes, len, LEAD__REC_EVENT, 1);
    unsigned tag;
    const unsigned char *v;
    size_t vlen;
    while (rc == LEAD_OK && (rc = lead__rec_next(&r, &tag, &v, &vlen)) == LEAD_OK)
        rc = v1_field(mem, ev, tag, v, vlen);
    return rc == LEAD_ITEROVER ? LEAD_OK : rc;
}

/* A cursor over a version 2 body; any read past the end is corruption. */
typedef struct v2_cursor {
    const unsigned char *p;
    size_t left;
} v2_cursor;

static int take_varint(v2_cursor *c, uint64_t *out)
{
    /* Most fields (type, channel, small ids) fit one byte, always canonical. */
    if (c->left && c->p[0] < 0x80) {
        *out = c->p[0];
        c->p++;
        c->left--;
        return LEAD_OK;
    }
    size_t n = lead__varint_get(c->p, c->left, out);
    c->p += n;
    c->left -= n;
    return n ? LEAD_OK : LEAD_ECORRUPT;
}

/* Without *buf the string is allocated; with it the string is copied
 * there, NUL-terminated, and *buf moves past it (the caller sized it). */
static int take_string(const lead__mem *mem, v2_cursor *c, char **out, char **buf)
{
    uint64_t len = 0;
    int rc = take_varint(c, &len);
    if (rc == LEAD_OK && len > c->left)
        rc = LEAD_ECORRUPT;
    if (rc == LEAD_OK && !*buf) {
        rc = lead__rec_as_str(mem, c->p, (size_t)len, out);
    } else if (rc == LEAD_OK) {
        if (!lead__utf8_valid((const char *)c->p, (size_t)len))
            return LEAD_ECORRUPT;
        memcpy(*buf, c->p, (size_t)len);
        (*buf)[(size_t)len] = '\0';
        *out = *buf;
        *buf += (size_t)len + 1;
    }
    if (rc == LEAD_OK) {
        c->p += len;
        c->left -= (size_t)len;
    }
    return rc;
}

static int take_fixed(lead_event *ev, v2_cursor *c)
{
    uint64_t id = 0, contact = 0, type = 0, channel = 0, time = 0;
    int rc = take_varint(c, &id);
    if (rc == LEAD_OK)
        rc = take_varint(c, &contact);
    if (rc == LEAD_OK)
        rc = take_varint(c, &type);
    if (rc == LEAD_OK)
        rc = take_varint(c, &channel);
    if (rc == LEAD_OK)
        rc = take_varint(c, &time);
    if (rc == LEAD_OK)
        rc = set_enum(&ev->type, type);
    if (rc == LEAD_OK)
        rc = set_enum(&ev->channel, channel);
    ev->id = id;
    ev->contact_id = contact;
    ev->time_ms = lead__unzigzag(time);
    return rc;
}

/* The optional fields after the fixed block, and nothing after them. Absent
 * fields are the defaults, so a present zero value would be a second
 * encoding of the same event: refused. With buf (at least the record's
 * length) the strings borrow from it, else they are allocated. */
static int decode_v2_tail(const lead__mem *mem, lead_event *ev, v2_cursor c, unsigned present,
                          char *buf)
{
    int rc = LEAD_OK;
    uint64_t value = 0;
    if (present & HAS_VALUE) {
        rc = take_varint(&c, &value);
        if (rc == LEAD_OK && value == 0)
            rc = LEAD_ECORRUPT;
        ev->value_minor = lead__unzigzag(value);
    }
    if (rc == LEAD_OK && (present & HAS_CURRENCY)) {
        if (c.left < 3 || !lead__event_currency_ok((const char *)c.p, 3))
            return LEAD_ECORRUPT;
        memcpy(ev->currency, c.p, 3);
        c.p += 3;
        c.left -= 3;
    }
    for (unsigned i = 0; rc == LEAD_OK && i < LEAD__EVENT_STRINGS; i++)
        if (present & (1u << (HAS_STRING_SHIFT + i)))
            rc = take_string(mem, &c, &ev->strings[i], &buf);
    return rc == LEAD_OK && c.left ? LEAD_ECORRUPT : rc;
}

/* Unknown presence bits are refused: a later writer's field would be lost. */
static int decode_v2(const lead__mem *mem, lead_event *ev, const unsigned char *p, size_t len)
{
    if (len < V2_HEAD || (p[4] & ~HAS_KNOWN))
        return LEAD_ECORRUPT;
    v2_cursor c = {p + V2_HEAD, len - V2_HEAD};
    int rc = take_fixed(ev, &c);
    return rc == LEAD_OK ? decode_v2_tail(mem, ev, c, p[4], NULL) : rc;
}

/* Checks the record's header; 0: version 1, 1: version 2, else the error. */
static int record_version(const unsigned char *p, size_t len)
{
    /* Version 0 was never written: that byte is damaged, not from the future. */
    if (!p || len < 4 || p[0] != 'L' || p[1] != 'R' || p[2] != LEAD__REC_EVENT || p[3] == 0)
        return LEAD_ECORRUPT;
    if (p[3] > 2)
        return LEAD_EVERSION;
    return p[3] - 1;
}

int lead__event_decode(const lead__mem *mem, lead_event *ev, const void *bytes, size_t len)
{
    lead__event_clear(mem, ev);
    int rc = record_version(bytes, len);
    if (rc == 0)
        rc = decode_v1(mem, ev, bytes, len);
    else if (rc == 1)
        rc = decode_v2(mem, ev, bytes, len);
    if (rc == LEAD_OK && (!ev->id || !ev->contact_id))
        rc = LEAD_ECORRUPT;
    if (rc != LEAD_OK)
        lead__event_clear(mem, ev);
    return rc;
}

/* One varint of a record's fixed block: lead__varint_get() behind the
 * one-byte case most fields take. */
static inline int next_varint(const unsigned char **p, const unsigned char *end,
                              uint64_t *out)
{
    const unsigned char *q = *p;
    size_t left = (size_t)(end - q);
    if (left && q[0] < 0x80) { /* most fields: type, channel, small ids */
        *out = q[0];
        *p = q + 1;
        return 1;
    }
    size_t n = lead__varint_get(q, left, out);
    *p = q + n;
    return n != 0;
}

/* Steps over a varint that must not be zero (an id), with
 * lead__varint_get()'s checks but without assembling its value: its bytes
 * up to the first without the high bit, at most LEAD__VARINT_MAX, of which
 * a last one after others is neither 0 (overlong, and so is a zero id) nor,
 * as the tenth, above 1. */
static inline int skip_id(const unsigned char **p, const unsigned char *end)
{
    const unsigned char *q = *p;
    size_t left = (size_t)(end - q), max = left < LEAD__VARINT_MAX ? left : LEAD__VARINT_MAX;
    size_t i = 0;
    while (i < max && q[i] >= 0x80)
        i++;
    if (i == max || q[i] == 0 || (i == LEAD__VARINT_MAX - 1 && q[i] > 1))
        return 0;
    *p = q + i + 1;
    return 1;
}

/* skip_id() twice: when the 8 bytes at *p hold both ids (most do: event
 * ids below 2^28, contact ids below 2^21), their last bytes are found in
 * one word instead of a loop per byte. */
static inline int skip_ids(const unsigned char **p, const unsigned char *end)
{
#if defined(__GNUC__) || defined(__clang__)
    if (end - *p >= 8) {
        const unsigned char *q = *p;
        uint64_t last = ~lead__get_le(q, 8) & UINT64_C(0x8080808080808080);
        if (last & (last - 1)) {
            unsigned a = (unsigned)__builtin_ctzll(last) / 8;
            last &= last - 1;
            unsigned b = (unsigned)__builtin_ctzll(last) / 8;
            /* A zero last byte is a zero id or an overlong one; neither
             * id reaches a tenth byte. */
            if (!q[a] || !q[b])
                return 0;
            *p = q + b + 1;
            return 1;
        }
    }
#endif
    return skip_id(p, end) && skip_id(p, end);
}

/* The fixed block of a version 2 body at *q up to the time: both ids
 * checked (scoring reads neither), type and channel read without a call
 * per field. 0 when damaged. */
static inline int scan_head(const unsigned char **q, const unsigned char *end,
                            lead__event_bare *out)
{
    uint64_t type = 0, channel = 0;
    if (!skip_ids(q, end) || !next_varint(q, end, &type) ||
        !next_varint(q, end, &channel) || type > INT32_MAX || channel > INT32_MAX)
        return 0;
    out->type = (int32_t)type;
    out->channel = (int32_t)channel;
    return 1;
}

/* The fixed block of a version 2 body at *q. 0 when damaged. */
static inline int scan_fixed(const unsigned char **q, const unsigned char *end,
                             lead__event_bare *out)
{
    uint64_t time = 0;
    if (!scan_head(q, end, out) || !next_varint(q, end, &time))
        return 0;
    out->time_ms = lead__unzigzag(time);
    return 1;
}

/* A varint of 1 to 8 bytes that ends the record, q[0..end - q), at least 8
 * bytes after its start: next_varint()'s checks and value, from the word of
 * the record's last 8 bytes without a loop. A time (6 bytes) ends most
 * records; the byte loop costs about 10 instructions a byte. */
static inline int last_varint(const unsigned char *q, const unsigned char *end, uint64_t *out)
{
    const uint64_t highs = UINT64_C(0x8080808080808080);
    size_t n = (size_t)(end - q);
    uint64_t w = lead__get_le(end - 8, 8) >> (8 * (8 - n));
    /* Every byte but the last continues; a zero last byte after others is
     * overlong. */
    uint64_t want = n > 1 ? highs >> (8 * (9 - n)) : 0;
    if ((w & highs) != want || (n > 1 && (w >> (8 * (n - 1))) == 0))
        return 0;
    /* The 7-bit groups side by side: pairs, then fours, then all eight. */
    uint64_t x = w & ~highs;
    x = (x & UINT64_C(0x007f007f007f007f)) | (x & UINT64_C(0x7f007f007f007f00)) >> 1;
    x = (x & UINT64_C(0x00003fff00003fff)) | (x & UINT64_C(0x3fff00003fff0000)) >> 2;
    x = (x & UINT64_C(0x000000000fffffff)) | (x & UINT64_C(0x0fffffff00000000)) >> 4;
    *out = x;
    return 1;
}

/* decode_v2() for a scan, with the same checks: a record without value,
 * currency or strings (most events) is finished here. The rest goes
 * through decode_v2's helpers; strings are copied to buf (at least len
 * bytes). Sets every field of *ev. */
static int decode_v2_scan(const lead__mem *mem, lead_event *ev, const unsigned char *p,
                          size_t len, char *buf)
{
    if (len < V2_HEAD || (p[4] & ~HAS_KNOWN))
        return LEAD_ECORRUPT;
    unsigned present = p[4];
    const unsigned char *q = p + V2_HEAD, *end = p + len;
    lead__event_bare fixed;
    if (!scan_fixed(&q, end, &fixed))
        return LEAD_ECORRUPT;
    ev->id = 0;
    ev->contact_id = 0;
    ev->type = fixed.type;
    ev->channel = fixed.channel;
    ev->time_ms = fixed.time_ms;
    ev->value_minor = 0;
    memset(ev->currency, 0, sizeof ev->currency);
    for (unsigned i = 0; i < LEAD__EVENT_STRINGS; i++)
        ev->strings[i] = NULL;
    if (!present)
        return q == end ? LEAD_OK : LEAD_ECORRUPT;
    v2_cursor c = {q, (size_t)(end - q)};
    return decode_v2_tail(mem, ev, c, present, buf);
}

/* The header of a version 2 record without optional fields read as one
 * little-endian word: magic, kind, version and a zero presence byte. */
#define BARE_HEAD                                                                            \
    ((uint64_t)'L' | (uint64_t)'R' << 8 | (uint64_t)LEAD__REC_EVENT << 16 |                 \
     (uint64_t)LEAD__EVENT_RECORD_VERSION << 24)

int lead__event_decode_bare(const void *bytes, size_t len, lead__event_bare *out)
{
    const unsigned char *p = bytes;
    /* Five varints of a byte at least follow the head, so the head is read
     * as one 8-byte word: a 5-byte read would be assembled on the stack and
     * read back wider than written, which stalls every call. */
    if (!p || len < V2_HEAD + 5 ||
        (lead__get_le(p, 8) & ((UINT64_C(1) << (8 * V2_HEAD)) - 1)) != BARE_HEAD)
        return 0;
    const unsigned char *q = p + V2_HEAD, *end = p + len;
    uint64_t time = 0;
    if (!scan_head(&q, end, out))
        return 0;
    if (q < end && end - q <= 8) {
        if (!last_varint(q, end, &time))
            return 0;
    } else if (!next_varint(&q, end, &time) || q != end) {
        return 0;
    }
    out->time_ms = lead__unzigzag(time);
    return 1;
}

/* A version 2 record, the one written, decodes into the reused buffer; a
 * version 1 record is rare enough to decode in full. */
int lead__event_decode_light(const lead__mem *mem, lead__event_light *l, const void *bytes,
                             size_t len, const lead_event **out)
{
    *out = NULL;
    int rc = record_version(bytes, len);
    if (rc == 0) {
        rc = lead__event_decode(mem, &l->full, bytes, len);
        if (rc == LEAD_OK)
            *out = &l->full;
        return rc;
    }
    if (rc != 1)
        return rc;
    /* Only strings need the buffer; each one's length prefix takes at least
     * the byte of its NUL. */
    const unsigned char *p = bytes;
    if (len > V2_HEAD && (p[4] & (HAS_KNOWN & ~(HAS_VALUE | HAS_CURRENCY))) && len > l->cap &&
        lead__grow(mem, (void **)&l->buf, &l->cap, len, 1) != LEAD_OK)
        return LEAD_ENOMEM;
    rc = decode_v2_scan(mem, &l->ev, p, len, l->buf);
    if (rc == LEAD_OK)
        *out = &l->ev;
    return rc;
}

void lead__event_light_clear(const lead__mem *mem, lead__event_light *l)
{
    lead__event_clear(mem, &l->full);
    lead__free(mem, l->buf);
    memset(l, 0, sizeof *l);
}
