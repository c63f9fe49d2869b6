/* Private: the versioned, length-prefixed binary record format
 * (docs/storage.md, "Record format").
 *
 *   0  'L' 'R'            magic
 *   2  u8 kind            LEAD__REC_CONTACT, LEAD__REC_EVENT, LEAD__REC_META
 *   3  u8 version         of that kind's field layout
 *   4  u32 field count
 *   8  u32 body length    bytes after this 12-byte header
 *  12  fields: u16 tag, u32 length, value bytes
 *
 * All integers little-endian. Integer values are 8 bytes (two's complement),
 * doubles 8 bytes IEEE-754, strings UTF-8 without NUL. */
#ifndef LEAD_LIB_RECORD_H
#define LEAD_LIB_RECORD_H

#include "alloc.h"

#include <string.h>

#define LEAD__REC_HEADER 12u
#define LEAD__REC_CONTACT 1u
#define LEAD__REC_EVENT 2u
#define LEAD__REC_META 3u

typedef struct lead__rec_writer {
    const lead__mem *mem;
    unsigned char *buf; /* owned; reused across records */
    size_t len, cap;
    uint32_t fields;
    int status; /* first failure, sticky */
} lead__rec_writer;

/* Little-endian n-byte integers (n <= 8), and two's complement back to
 * signed without implementation-defined conversions. Inline: every integer
 * of every record goes through them, and compilers turn the loops into
 * single loads and stores. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The host order is the record order: a copy is one load or store, which
 * compilers do not always make of the loops below. */
#define LEAD__HOST_LE 1
#endif

static inline void lead__put_le(unsigned char *p, uint64_t v, unsigned n)
{
#ifdef LEAD__HOST_LE
    memcpy(p, &v, n);
#else
    for (unsigned i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
#endif
}

static inline uint64_t lead__get_le(const unsigned char *p, unsigned n)
{
    uint64_t v = 0;
#ifdef LEAD__HOST_LE
    memcpy(&v, p, n);
#else
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
#endif
    return v;
}

static inline int64_t lead__as_signed(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

/* Varints: 7 bits per byte, least significant group first, high bit set on
 * every byte but the last; at most LEAD__VARINT_MAX bytes. Signed values go
 * through zigzag (0, -1, 1, -2, ... as 0, 1, 2, 3, ...) so small magnitudes
 * stay short. */
#define LEAD__VARINT_MAX 10u
/* Writes v at p (room for LEAD__VARINT_MAX bytes); returns the bytes written. */
static inline size_t lead__varint_put(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}
/* Reads a varint from p[0..len) into *out; returns the bytes read, or 0 for a
 * truncated, overlong (non-minimal) or out-of-range encoding. Inline: every
 * stored event's ids and time go through it on a scan. */
static inline size_t lead__varint_get(const unsigned char *p, size_t len, uint64_t *out)
{
    size_t max = len < LEAD__VARINT_MAX ? len : LEAD__VARINT_MAX;
    uint64_t v = 0;
    for (size_t i = 0; i < max; i++) {
        uint64_t b = p[i] & 0x7Fu;
        if (!(p[i] & 0x80)) {
            /* The tenth byte holds only the top bit of 64; a zero last byte
             * after others is an overlong encoding: records stay canonical,
             * one encoding per value. */
            if (i > 0 && (b == 0 || (i == LEAD__VARINT_MAX - 1 && b > 1)))
                return 0;
            *out = v | b << (7 * i);
            return i + 1;
        }
        v |= b << (7 * i);
    }
    return 0;
}
static inline uint64_t lead__zigzag(int64_t v)
{
    return v < 0 ? ~((uint64_t)v << 1) : (uint64_t)v << 1;
}
static inline int64_t lead__unzigzag(uint64_t u)
{
    return (u & 1) ? -lead__as_signed(u >> 1) - 1 : lead__as_signed(u >> 1);
}
/* Reserves n more bytes at the end of w's buffer and returns them; NULL
 * (and w->status set) on failure or after an earlier one. */
unsigned char *lead__rec_reserve(lead__rec_writer *w, size_t n);

void lead__rec_begin(lead__rec_writer *w, unsigned kind, unsigned version);
/* Starts a record of a compact layout: only the 4-byte magic, kind and
 * version; the caller reserves the body and checks w->status. */
void lead__rec_begin_compact(lead__rec_writer *w, unsigned kind, unsigned version);
void lead__rec_bytes(lead__rec_writer *w, unsigned tag, const void *value, size_t len);
void lead__rec_i64_slow(lead__rec_writer *w, unsigned tag, int64_t value);
/* Inline: records are mostly 8-byte integers, written straight into the
 * buffer when it has room. */
static inline void lead__rec_i64(lead__rec_writer *w, unsigned tag, int64_t value)
{
    if (w->status != LEAD_OK || w->cap - w->len < 14) {
        lead__rec_i64_slow(w, tag, value);
        return;
    }
    unsigned char *p = w->buf + w->len;
    lead__put_le(p, tag, 2);
    lead__put_le(p + 2, 8, 4);
    lead__put_le(p + 6, (uint64_t)value, 8);
    w->len += 14;
    w->fields++;
}
/* Writes nothing for a NULL string: absent and NULL read back the same. */
void lead__rec_str(lead__rec_writer *w, unsigned tag, const char *s);
/* Patches the header; LEAD_OK or the first failure (LEAD_ENOMEM, LEAD_ELIMIT). */
int lead__rec_end(lead__rec_writer *w);
void lead__rec_writer_free(lead__rec_writer *w);

typedef struct lead__rec_reader {
    const unsigned char *p;
    size_t len, off;
    uint32_t fields_left;
    unsigned version;
} lead__rec_reader;

/* Validates the header (magic, kind, version 1..max_version, body length,
 * and that the fields exactly fill the body). LEAD_ECORRUPT, or
 * LEAD_EVERSION for a version above max_version. */
int lead__rec_open(lead__rec_reader *r, const void *bytes, size_t len, unsigned kind,
                   unsigned max_version);
/* The same for a layout whose tagged fields start at offset start (at least
 * the header's 12 bytes): the bytes before it are the caller's to check. */
int lead__rec_open_at(lead__rec_reader *r, const void *bytes, size_t len, unsigned kind,
                      unsigned max_version, size_t start);
/* Next field; LEAD_ITEROVER after the last. Inline, as rec_as_i64: the
 * per-field steps of every decoder. */
static inline int lead__rec_next(lead__rec_reader *r, unsigned *tag, const unsigned char **value,
                                 size_t *len)
{
    if (r->fields_left == 0)
        return LEAD_ITEROVER;
    *tag = (unsigned)lead__get_le(r->p + r->off, 2);
    *len = (size_t)lead__get_le(r->p + r->off + 2, 4);
    *value = r->p + r->off + 6;
    r->off += 6 + *len;
    r->fields_left--;
    return LEAD_OK;
}

/* Decodes an 8-byte integer field; LEAD_ECORRUPT for another length. */
static inline int lead__rec_as_i64(const unsigned char *value, size_t len, int64_t *out)
{
    if (len != 8)
        return LEAD_ECORRUPT;
    *out = lead__as_signed(lead__get_le(value, 8));
    return LEAD_OK;
}
/* Copies a string field (validated UTF-8, no NUL) into *out, freeing the old
 * value; LEAD_ECORRUPT or LEAD_ENOMEM. */
int lead__rec_as_str(const lead__mem *mem, const unsigned char *value, size_t len, char **out);

#endif
