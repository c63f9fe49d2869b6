/* Encoding and validating decoding of stored records (see record.h). */
#include "record.h"
#include "utf8.h"

#include <string.h>

unsigned char *lead__rec_reserve(lead__rec_writer *w, size_t n)
{
    if (w->status != LEAD_OK)
        return NULL;
    if (n > SIZE_MAX - w->len) {
        w->status = LEAD_ELIMIT;
        return NULL;
    }
    if (w->len + n > w->cap &&
        lead__grow(w->mem, (void **)&w->buf, &w->cap, w->len + n, 1) != LEAD_OK) {
        w->status = LEAD_ENOMEM;
        return NULL;
    }
    unsigned char *p = w->buf + w->len;
    w->len += n;
    return p;
}

void lead__rec_begin_compact(lead__rec_writer *w, unsigned kind, unsigned version)
{
    w->len = 0;
    w->fields = 0;
    w->status = LEAD_OK;
    unsigned char *p = lead__rec_reserve(w, 4);
    if (!p)
        return;
    p[0] = 'L';
    p[1] = 'R';
    p[2] = (unsigned char)kind;
    p[3] = (unsigned char)version;
}

void lead__rec_begin(lead__rec_writer *w, unsigned kind, unsigned version)
{
    lead__rec_begin_compact(w, kind, version);
    lead__rec_reserve(w, LEAD__REC_HEADER - 4); /* count and length, patched by _end */
}

void lead__rec_bytes(lead__rec_writer *w, unsigned tag, const void *value, size_t len)
{
    if (len > UINT32_MAX) {
        if (w->status == LEAD_OK)
            w->status = LEAD_ELIMIT;
        return;
    }
    unsigned char *p = lead__rec_reserve(w, 6 + len);
    if (!p)
        return;
    lead__put_le(p, tag, 2);
    lead__put_le(p + 2, len, 4);
    if (len)
        memcpy(p + 6, value, len);
    w->fields++;
}

void lead__rec_i64_slow(lead__rec_writer *w, unsigned tag, int64_t value)
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
    return lead__rec_open_at(r, bytes, len, kind, max_version, LEAD__REC_HEADER);
}

int lead__rec_open_at(lead__rec_reader *r, const void *bytes, size_t len, unsigned kind,
                      unsigned max_version, size_t start)
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
    if (start < LEAD__REC_HEADER || start > len)
        return LEAD_ECORRUPT;
    /* Walk once so that readers never see a field running past the end. */
    size_t off = start;
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
    r->off = start;
    r->fields_left = count;
    r->version = p[3];
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
