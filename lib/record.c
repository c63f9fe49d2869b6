/* Encoding and validating decoding of stored records (see record.h). */
#include "record.h"
#include "utf8.h"

#include <string.h>

void lead__put_le(unsigned char *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

uint64_t lead__get_le(const unsigned char *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

int64_t lead__as_signed(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

static unsigned char *reserve(lead__rec_writer *w, size_t n)
{
    if (w->status != LEAD_OK)
        return NULL;
    if (n > SIZE_MAX - w->len) {
        w->status = LEAD_ELIMIT;
        return NULL;
    }
    if (lead__grow(w->mem, (void **)&w->buf, &w->cap, w->len + n, 1) != LEAD_OK) {
        w->status = LEAD_ENOMEM;
        return NULL;
    }
    unsigned char *p = w->buf + w->len;
    w->len += n;
    return p;
}

void lead__rec_begin(lead__rec_writer *w, unsigned kind, unsigned version)
{
    w->len = 0;
    w->fields = 0;
    w->status = LEAD_OK;
    unsigned char *p = reserve(w, LEAD__REC_HEADER);
    if (!p)
        return;
    p[0] = 'L';
    p[1] = 'R';
    p[2] = (unsigned char)kind;
    p[3] = (unsigned char)version;
}

void lead__rec_bytes(lead__rec_writer *w, unsigned tag, const void *value, size_t len)
{
    if (len > UINT32_MAX) {
        if (w->status == LEAD_OK)
            w->status = LEAD_ELIMIT;
        return;
    }
    unsigned char *p = reserve(w, 6 + len);
    if (!p)
        return;
    lead__put_le(p, tag, 2);
    lead__put_le(p + 2, len, 4);
    if (len)
        memcpy(p + 6, value, len);
    w->fields++;
}

void lead__rec_i64(lead__rec_writer *w, unsigned tag, int64_t value)
{
    unsigned char v[8];
    lead__put_le(v, (uint64_t)value, 8);
    lead__rec_bytes(w, tag, v, 8);
}

void lead__rec_str(lead__rec_writer *w, unsigned tag, const char *s)
{
    if (s)
        lead__rec_bytes(w, tag, s, strlen(s));
}

int lead__rec_end(lead__rec_writer *w)
{
    if (w->status != LEAD_OK)
        return w->status;
    if (w->len - LEAD__REC_HEADER > UINT32_MAX)
        return w->status = LEAD_ELIMIT;
    lead__put_le(w->buf + 4, w->fields, 4);
    lead__put_le(w->buf + 8, w->len - LEAD__REC_HEADER, 4);
    return LEAD_OK;
}

void lead__rec_writer_free(lead__rec_writer *w)
{
    lead__free(w->mem, w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
}

int lead__rec_open(lead__rec_reader *r, const void *bytes, size_t len, unsigned kind,
                   unsigned max_version)
{
    const unsigned char *p = bytes;
    /* Version 0 was never written: that byte is damaged, not from the future. */
    if (!p || len < LEAD__REC_HEADER || p[0] != 'L' || p[1] != 'R' || p[2] != kind || p[3] == 0)
        return LEAD_ECORRUPT;
    if (p[3] > max_version)
        return LEAD_EVERSION;
    if (lead__get_le(p + 8, 4) != len - LEAD__REC_HEADER)
        return LEAD_ECORRUPT;
    uint32_t count = (uint32_t)lead__get_le(p + 4, 4);
    /* Walk once so that readers never see a field running past the end. */
    size_t off = LEAD__REC_HEADER;
    for (uint32_t i = 0; i < count; i++) {
        if (len - off < 6)
            return LEAD_ECORRUPT;
        uint64_t flen = lead__get_le(p + off + 2, 4);
        if (flen > len - off - 6)
            return LEAD_ECORRUPT;
        off += 6 + (size_t)flen;
    }
    if (off != len)
        return LEAD_ECORRUPT;
    r->p = p;
    r->len = len;
    r->off = LEAD__REC_HEADER;
    r->fields_left = count;
    r->version = p[3];
    return LEAD_OK;
}

int lead__rec_next(lead__rec_reader *r, unsigned *tag, const unsigned char **value, size_t *len)
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

int lead__rec_as_i64(const unsigned char *value, size_t len, int64_t *out)
{
    if (len != 8)
        return LEAD_ECORRUPT;
    *out = lead__as_signed(lead__get_le(value, 8));
    return LEAD_OK;
}

int lead__rec_as_str(const lead__mem *mem, const unsigned char *value, size_t len, char **out)
{
    if (!lead__utf8_valid((const char *)value, len))
        return LEAD_ECORRUPT;
    char *s = lead__strndup(mem, (const char *)value, len);
    if (!s)
        return LEAD_ENOMEM;
    lead__free(mem, *out);
    *out = s;
    return LEAD_OK;
}
