/* Custom typed attributes of contacts, and their record encoding:
 * u8 type, u16 name length, name, then 8 bytes (int64 or IEEE-754 double,
 * little-endian) or the string's bytes. */
#include "contact.h"
#include "utf8.h"

#include <math.h>
#include <string.h>

static void attr_free(const lead__mem *mem, lead__attr *a)
{
    lead__free(mem, a->name);
    lead__free(mem, a->s);
}

void lead__attr_free_all(lead_contact *c)
{
    for (size_t i = 0; i < c->attr_len; i++)
        attr_free(&c->mem, &c->attrs[i]);
    lead__free(&c->mem, c->attrs);
    c->attrs = NULL;
    c->attr_len = c->attr_cap = 0;
}

static lead__attr *find(const lead_contact *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->attr_len; i++)
        if (strlen(c->attrs[i].name) == len && memcmp(c->attrs[i].name, name, len) == 0)
            return &c->attrs[i];
    return NULL;
}

const lead__attr *lead__contact_attr_find(const lead_contact *contact, const char *name)
{
    return find(contact, name, strlen(name));
}

/* Puts a (name, value) into the contact; a = the new value with owned
 * strings, which the contact takes over on success. */
static int attr_put(lead_contact *c, lead__attr *a)
{
    lead__attr *old = find(c, a->name, strlen(a->name));
    if (old) {
        attr_free(&c->mem, old);
        *old = *a;
        return LEAD_OK;
    }
    if (c->attr_len >= LEAD_ATTR_MAX)
        return LEAD_ELIMIT;
    if (lead__grow(&c->mem, (void **)&c->attrs, &c->attr_cap, c->attr_len + 1, sizeof *a))
        return LEAD_ENOMEM;
    c->attrs[c->attr_len++] = *a;
    return LEAD_OK;
}

void lead__attr_encode(lead__rec_writer *w, unsigned tag, const lead_contact *c)
{
    unsigned char small[3 + LEAD_ATTR_NAME_MAX + 8];
    for (size_t i = 0; i < c->attr_len; i++) {
        const lead__attr *a = &c->attrs[i];
        size_t nlen = strlen(a->name);
        small[0] = (unsigned char)a->type;
        lead__put_le(small + 1, nlen, 2);
        memcpy(small + 3, a->name, nlen);
        if (a->type == LEAD_ATTR_STRING) {
            size_t slen = strlen(a->s);
            /* name and value as one field: write the header part, then the string */
            unsigned char buf[3 + LEAD_ATTR_NAME_MAX + LEAD_FIELD_MAX];
            memcpy(buf, small, 3 + nlen);
            memcpy(buf + 3 + nlen, a->s, slen);
            lead__rec_bytes(w, tag, buf, 3 + nlen + slen);
            continue;
        }
        uint64_t bits;
        if (a->type == LEAD_ATTR_DOUBLE)
            memcpy(&bits, &a->d, 8);
        else
            bits = (uint64_t)a->i;
        lead__put_le(small + 3 + nlen, bits, 8);
        lead__rec_bytes(w, tag, small, 3 + nlen + 8);
    }
}

static int name_ok(const char *name, size_t len)
{
    if (len == 0 || !lead__utf8_valid(name, len))
        return len == 0 ? LEAD_EINVAL : LEAD_EUTF8;
    return len > LEAD_ATTR_NAME_MAX ? LEAD_ETOOLONG : LEAD_OK;
}

/* Checks a value and fills a with owned copies (name and string). */
static int make_attr(const lead__mem *mem, lead__attr *a, const char *name, size_t nlen,
                     int type, int64_t i, double d, const char *s, size_t slen)
{
    memset(a, 0, sizeof *a);
    int rc = name_ok(name, nlen);
    if (rc != LEAD_OK)
        return rc;
    if (type < LEAD_ATTR_STRING || type > LEAD_ATTR_TIME ||
        (type == LEAD_ATTR_BOOL && i != 0 && i != 1) ||
        (type == LEAD_ATTR_DOUBLE && !isfinite(d)) || (type == LEAD_ATTR_STRING && !s))
        return LEAD_EINVAL;
    if (type == LEAD_ATTR_STRING && !lead__utf8_valid(s, slen))
        return LEAD_EUTF8;
    if (type == LEAD_ATTR_STRING && slen > LEAD_FIELD_MAX)
        return LEAD_ETOOLONG;
    a->type = type;
    a->i = type == LEAD_ATTR_STRING || type == LEAD_ATTR_DOUBLE ? 0 : i;
    a->d = type == LEAD_ATTR_DOUBLE ? d : 0.0;
    a->name = lead__strndup(mem, name, nlen);
    if (type == LEAD_ATTR_STRING)
        a->s = lead__strndup(mem, s, slen);
    if (!a->name || (type == LEAD_ATTR_STRING && !a->s)) {
        attr_free(mem, a);
        return LEAD_ENOMEM;
    }
    return LEAD_OK;
}

int lead__attr_decode(lead_contact *c, const unsigned char *v, size_t len)
{
    if (len < 3)
        return LEAD_ECORRUPT;
    int type = v[0];
    size_t nlen = (size_t)lead__get_le(v + 1, 2);
    if (nlen > len - 3)
        return LEAD_ECORRUPT;
    const char *name = (const char *)v + 3;
    const unsigned char *val = v + 3 + nlen;
    size_t vlen = len - 3 - nlen;
    int64_t i = 0;
    double d = 0.0;
    if (type != LEAD_ATTR_STRING) {
        if (vlen != 8)
            return LEAD_ECORRUPT;
        uint64_t bits = lead__get_le(val, 8);
        memcpy(type == LEAD_ATTR_DOUBLE ? (void *)&d : (void *)&i, &bits, 8);
    }
    lead__attr a;
    int rc = make_attr(&c->mem, &a, name, nlen, type, i, d, (const char *)val, vlen);
    if (rc == LEAD_ENOMEM)
        return rc;
    if (rc != LEAD_OK || find(c, a.name, nlen)) {
        attr_free(&c->mem, &a);
        return LEAD_ECORRUPT;
    }
    rc = attr_put(c, &a);
    if (rc != LEAD_OK)
        attr_free(&c->mem, &a);
    return rc == LEAD_ELIMIT ? LEAD_ECORRUPT : rc;
}

int lead__attr_merge(lead_contact *dst, const lead_contact *src)
{
    for (size_t k = 0; k < src->attr_len; k++) {
        const lead__attr *s = &src->attrs[k];
        if (lead__contact_attr_find(dst, s->name))
            continue;
        lead__attr a;
        int rc = make_attr(&dst->mem, &a, s->name, strlen(s->name), s->type, s->i, s->d, s->s,
                           s->s ? strlen(s->s) : 0);
        if (rc == LEAD_OK && (rc = attr_put(dst, &a)) != LEAD_OK)
            attr_free(&dst->mem, &a);
        if (rc != LEAD_OK)
            return rc;
    }
    return LEAD_OK;
}

typedef struct attr_change {
    lead__attr value; /* name NULL: unset */
    const char *name;
} attr_change;

static int apply_set(lead_engine *engine, lead_contact *c, void *ctx, int64_t now_ms)
{
    (void)now_ms;
    attr_change *ch = ctx;
    int rc = attr_put(c, &ch->value);
    if (rc == LEAD_OK)
        memset(&ch->value, 0, sizeof ch->value); /* the contact owns it now */
    else if (rc == LEAD_ELIMIT)
        rc = lead__fail(engine, rc, "contact already has %d attributes", LEAD_ATTR_MAX);
    return rc;
}

int lead_contact_set_attr(lead_engine *engine, uint64_t id, const char *name, int type,
                          int64_t i, double d, const char *s)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!name)
        return lead__fail(engine, LEAD_EINVAL, "set_attr: NULL name");
    attr_change ch;
    memset(&ch, 0, sizeof ch);
    int rc = make_attr(&engine->mem, &ch.value, name, strlen(name), type, i, d, s,
                       s ? strlen(s) : 0);
    if (rc != LEAD_OK)
        return lead__fail(engine, rc, "set_attr %s: %s", name, lead_strerror(rc));
    rc = lead__contact_update(engine, id, apply_set, &ch);
    attr_free(&engine->mem, &ch.value);
    return rc;
}

static int apply_unset(lead_engine *engine, lead_contact *c, void *ctx, int64_t now_ms)
{
    (void)now_ms;
    const char *name = ctx;
    lead__attr *a = find(c, name, strlen(name));
    if (!a)
        return lead__fail(engine, LEAD_ENOTFOUND, "no attribute %s", name);
    attr_free(&c->mem, a);
    size_t at = (size_t)(a - c->attrs);
    memmove(a, a + 1, (c->attr_len - at - 1) * sizeof *a);
    c->attr_len--;
    return LEAD_OK;
}

int lead_contact_unset_attr(lead_engine *engine, uint64_t id, const char *name)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!name)
        return lead__fail(engine, LEAD_EINVAL, "unset_attr: NULL name");
    return lead__contact_update(engine, id, apply_unset, (void *)(uintptr_t)name);
}

int lead_contact_attr_count(const lead_contact *contact, size_t *out_count)
{
    if (!contact || !out_count)
        return LEAD_EINVAL;
    *out_count = contact->attr_len;
    return LEAD_OK;
}

static int read_attr(const lead__attr *a, const char **out_name, int *out_type, int64_t *out_i,
                     double *out_d, const char **out_s)
{
    if (out_name)
        *out_name = a->name;
    *out_type = a->type;
    if (out_i)
        *out_i = a->i;
    if (out_d)
        *out_d = a->d;
    if (out_s)
        *out_s = a->s;
    return LEAD_OK;
}

int lead_contact_attr_at(const lead_contact *contact, size_t i, const char **out_name,
                         int *out_type, int64_t *out_i, double *out_d, const char **out_s)
{
    if (!contact || !out_type)
        return LEAD_EINVAL;
    if (i >= contact->attr_len)
        return LEAD_ENOTFOUND;
    return read_attr(&contact->attrs[i], out_name, out_type, out_i, out_d, out_s);
}

int lead_contact_attr(const lead_contact *contact, const char *name, int *out_type,
                      int64_t *out_i, double *out_d, const char **out_s)
{
    if (!contact || !name || !out_type)
        return LEAD_EINVAL;
    const lead__attr *a = lead__contact_attr_find(contact, name);
    if (!a)
        return LEAD_ENOTFOUND;
    return read_attr(a, NULL, out_type, out_i, out_d, out_s);
}
