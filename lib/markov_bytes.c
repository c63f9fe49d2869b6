/* Markov counts as bytes, for moving partition counts between processes.
 * Layout (all integers little-endian, doubles as IEEE-754 bit patterns):
 * docs/attribution-data-driven.md, "Counts as bytes". Decoding trusts
 * nothing: every length, id and number is checked before use. */
#include "crc32c.h"
#include "markov.h"
#include "utf8.h"

#include <math.h>
#include <string.h>

#define MARKOV_MAGIC "LDMK"
#define MARKOV_FORMAT 1u
#define MARKOV_HEADER 32u

typedef struct writer {
    uint8_t *buf; /* NULL: only measure */
    size_t pos;
} writer;

static void put_bytes(writer *w, const void *p, size_t n)
{
    if (w->buf)
        memcpy(w->buf + w->pos, p, n);
    w->pos += n;
}

static void put_u8(writer *w, uint8_t v)
{
    put_bytes(w, &v, 1);
}

static void put_u32(writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put_bytes(w, b, 4);
}

static void put_f64(writer *w, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

static void encode(const lead_markov_counts *c, writer *w)
{
    put_bytes(w, MARKOV_MAGIC, 4);
    put_u8(w, MARKOV_FORMAT);
    put_u8(w, (uint8_t)c->order);
    put_u8(w, (uint8_t)c->keep_repeats);
    put_u8(w, 0);
    put_f64(w, c->conversions);
    put_f64(w, c->value);
    put_f64(w, c->nulls);
    put_u32(w, (uint32_t)c->channels.count);
    for (size_t i = 0; i < c->channels.count; i++) {
        const char *name = lead__intern_name(&c->channels, (uint32_t)i);
        size_t len = strlen(name);
        put_u8(w, (uint8_t)len);
        put_bytes(w, name, len);
    }
    put_u32(w, (uint32_t)(c->state_count - LEAD__MARKOV_SPECIAL));
    for (size_t s = LEAD__MARKOV_SPECIAL; s < c->state_count; s++) {
        put_u8(w, c->len[s]);
        for (size_t t = 0; t < c->len[s]; t++)
            put_u32(w, c->window[s * c->order + t]);
    }
    put_u32(w, (uint32_t)c->edge_count);
    for (size_t e = 0; e < c->edge_count; e++) {
        put_u32(w, c->edge_from[e]);
        put_u32(w, c->edge_to[e]);
        put_f64(w, c->edge_weight[e]);
    }
    put_u32(w, w->buf ? lead__crc32c(0, w->buf, w->pos) : 0);
}

int lead_markov_counts_export(const lead_markov_counts *counts, void *buf, size_t capacity,
                              size_t *out_len)
{
    if (!counts || !out_len || (!buf && capacity))
        return LEAD_EINVAL;
    writer measure = {NULL, 0};
    encode(counts, &measure);
    *out_len = measure.pos;
    if (measure.pos > capacity)
        return LEAD_ELIMIT;
    writer w = {buf, 0};
    encode(counts, &w);
    return LEAD_OK;
}

/* ---- decoding ------------------------------------------------------- */

typedef struct reader {
    const uint8_t *p;
    size_t len, pos;
    int bad; /* a read ran past the end */
} reader;

static const uint8_t *take(reader *r, size_t n)
{
    if (r->bad || n > r->len - r->pos) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *at = r->p + r->pos;
    r->pos += n;
    return at;
}

static uint8_t get_u8(reader *r)
{
    const uint8_t *b = take(r, 1);
    return b ? b[0] : 0;
}

static uint32_t get_u32(reader *r)
{
    const uint8_t *b = take(r, 4);
    if (!b)
        return 0;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static double get_f64(reader *r)
{
    uint64_t lo = get_u32(r), hi = get_u32(r);
    uint64_t v = lo | hi << 32;
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

static int decode_channels(reader *r, lead_markov_counts *c)
{
    uint32_t n = get_u32(r);
    for (uint32_t i = 0; i < n; i++) {
        size_t len = get_u8(r);
        const char *name = (const char *)take(r, len);
        if (!name || len == 0 || !lead__utf8_valid(name, len))
            return LEAD_ECORRUPT;
        uint32_t id;
        if (lead__intern_find(&c->channels, name, len, &id) == LEAD_OK)
            return LEAD_ECORRUPT; /* a name twice */
        int rc = lead__intern_put(&c->mem, &c->channels, name, len, &id);
        if (rc != LEAD_OK)
            return rc;
    }
    return LEAD_OK;
}

static int decode_states(reader *r, lead_markov_counts *c)
{
    uint32_t n = get_u32(r);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t w[LEAD_MARKOV_MAX_ORDER];
        size_t len = get_u8(r);
        if (len == 0 || len > c->order)
            return LEAD_ECORRUPT;
        for (size_t t = 0; t < len; t++) {
            w[t] = get_u32(r);
            if (w[t] >= c->channels.count)
                return LEAD_ECORRUPT;
        }
        if (r->bad)
            return LEAD_ECORRUPT;
        size_t before = c->state_count;
        uint32_t s;
        int rc = lead__markov_counts_state_of(c, w, len, &s);
        if (rc != LEAD_OK)
            return rc;
        if (c->state_count == before)
            return LEAD_ECORRUPT; /* a window twice */
    }
    return LEAD_OK;
}

static int decode_edges(reader *r, lead_markov_counts *c)
{
    uint32_t n = get_u32(r);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t from = get_u32(r), to = get_u32(r);
        double weight = get_f64(r);
        if (r->bad || from >= c->state_count || to >= c->state_count ||
            from == LEAD__MARKOV_CONVERSION || from == LEAD__MARKOV_NULL ||
            to == LEAD__MARKOV_START || !isfinite(weight) || !(weight > 0))
            return LEAD_ECORRUPT;
        size_t before = c->edge_count;
        int rc = lead__markov_counts_add_edge(c, from, to, weight);
        if (rc != LEAD_OK)
            return rc;
        if (c->edge_count == before)
            return LEAD_ECORRUPT; /* an edge twice */
    }
    return LEAD_OK;
}

static int decode(reader *r, const lead__mem *mem, lead_markov_counts **out)
{
    const uint8_t *head = take(r, MARKOV_HEADER);
    if (!head || memcmp(head, MARKOV_MAGIC, 4) != 0)
        return LEAD_ECORRUPT;
    if (head[4] != MARKOV_FORMAT)
        return head[4] > MARKOV_FORMAT ? LEAD_EVERSION : LEAD_ECORRUPT;
    uint32_t order = head[5], keep = head[6];
    if (order < 1 || order > LEAD_MARKOV_MAX_ORDER || keep > 1 || head[7] != 0)
        return LEAD_ECORRUPT;
    reader totals = {head + 8, 24, 0, 0};
    double conversions = get_f64(&totals), value = get_f64(&totals), nulls = get_f64(&totals);
    if (!isfinite(conversions) || !isfinite(value) || !isfinite(nulls) || conversions < 0 ||
        nulls < 0)
        return LEAD_ECORRUPT;
    int rc = lead__markov_counts_create(out, mem, order, keep);
    if (rc != LEAD_OK)
        return rc;
    (*out)->conversions = conversions;
    (*out)->value = value;
    (*out)->nulls = nulls;
    rc = decode_channels(r, *out);
    if (rc == LEAD_OK)
        rc = decode_states(r, *out);
    if (rc == LEAD_OK)
        rc = decode_edges(r, *out);
    return rc;
}

int lead_markov_counts_import(lead_markov_counts **out, const void *bytes, size_t len,
                              const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!bytes)
        return LEAD_EINVAL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    /* The checksum covers everything before it, so damage anywhere is found
     * before any of it is interpreted. */
    if (len < MARKOV_HEADER + 4)
        return LEAD_ECORRUPT;
    reader tail = {(const uint8_t *)bytes + len - 4, 4, 0, 0};
    if (get_u32(&tail) != lead__crc32c(0, bytes, len - 4))
        return LEAD_ECORRUPT;
    reader r = {bytes, len - 4, 0, 0};
    lead_markov_counts *c = NULL;
    rc = decode(&r, &mem, &c);
    if (rc == LEAD_OK && (r.bad || r.pos != r.len))
        rc = LEAD_ECORRUPT;
    if (rc != LEAD_OK) {
        lead_markov_counts_free(c);
        return rc;
    }
    *out = c;
    return LEAD_OK;
}
