/* Custom event types and channels registered by name. Each kind's names are
 * one meta record ("registry.event_type", "registry.channel"): tag 1 per
 * name, in registration order; name i has id LEAD_..._CUSTOM_BASE + i. */
#include "event.h"

#include <string.h>

#define REGISTRY_VERSION 1u
#define TAG_NAME 1u

typedef struct registry_kind {
    const char *key;
    int base;
    int builtin_count;
    const char *(*builtin_name)(int);
    int (*builtin_from_name)(const char *, int *);
} registry_kind;

static const registry_kind event_types = {"registry.event_type", LEAD_EVENT_TYPE_CUSTOM_BASE,
                                          LEAD_EVENT_TYPE_COUNT, lead_event_type_name,
                                          lead_event_type_from_name};
static const registry_kind channels = {"registry.channel", LEAD_CHANNEL_CUSTOM_BASE,
                                       LEAD_CHANNEL_COUNT, lead_channel_name,
                                       lead_channel_from_name};

static int name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > LEAD_CUSTOM_NAME_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

/* Walks the registered names: calls visit(i, name, len) until it returns
 * non-zero; *out_count gets the number of names. */
typedef int (*name_visit_fn)(void *ctx, int index, const unsigned char *name, size_t len);

static int walk(lead_engine *engine, const registry_kind *kind, name_visit_fn visit, void *ctx,
                int *out_count, const void **out_bytes, size_t *out_len)
{
    const void *bytes = NULL;
    size_t len = 0;
    *out_count = 0;
    *out_bytes = NULL;
    *out_len = 0;
    int rc = lead__store_status(
        engine, engine->store.meta_get(engine->store.user, kind->key, &bytes, &len), "meta_get");
    if (rc == LEAD_ENOTFOUND)
        return LEAD_OK;
    if (rc != LEAD_OK)
        return rc;
    lead__rec_reader r;
    unsigned tag;
    const unsigned char *v;
    size_t vlen;
    int n = 0;
    rc = lead__rec_open(&r, bytes, len, LEAD__REC_META, REGISTRY_VERSION);
    while (rc == LEAD_OK && (rc = lead__rec_next(&r, &tag, &v, &vlen)) == LEAD_OK) {
        if (tag != TAG_NAME || vlen == 0 || vlen > LEAD_CUSTOM_NAME_MAX)
            rc = LEAD_ECORRUPT;
        else if (visit && visit(ctx, n, v, vlen))
            break;
        n++;
    }
    if (rc != LEAD_OK && rc != LEAD_ITEROVER)
        return lead__fail_record(engine, rc, bytes, REGISTRY_VERSION, "%s", kind->key);
    *out_count = n;
    *out_bytes = bytes;
    *out_len = len;
    return LEAD_OK;
}

typedef struct find_ctx {
    const char *name;
    int found; /* index or -1 */
} find_ctx;

static int match_name(void *ctx, int index, const unsigned char *name, size_t len)
{
    find_ctx *f = ctx;
    if (strlen(f->name) == len && memcmp(f->name, name, len) == 0) {
        f->found = index;
        return 1;
    }
    return 0;
}

static int register_name(lead_engine *engine, const registry_kind *kind, int *out_id,
                         const char *name)
{
    if (!engine || !out_id || !name)
        return LEAD_EINVAL;
    if (!name_ok(name))
        return lead__fail(engine, LEAD_EINVAL, "custom name must be 1..%d of a-z 0-9 _",
                          LEAD_CUSTOM_NAME_MAX);
    if (kind->builtin_from_name(name, out_id) == LEAD_OK)
        return LEAD_OK;
    find_ctx f = {name, -1};
    int count = 0;
    const void *bytes;
    size_t len;
    int rc = walk(engine, kind, match_name, &f, &count, &bytes, &len);
    if (rc != LEAD_OK)
        return rc;
    if (f.found >= 0) {
        *out_id = kind->base + f.found;
        return LEAD_OK;
    }
    if (count >= LEAD_CUSTOM_MAX)
        return lead__fail(engine, LEAD_ELIMIT, "already %d custom names", LEAD_CUSTOM_MAX);
    /* The old record is borrowed from the store: copy it into the writer
     * and append one field. */
    lead__rec_writer *w = &engine->writer;
    lead__rec_begin(w, LEAD__REC_META, REGISTRY_VERSION);
    if (bytes && len > LEAD__REC_HEADER) {
        size_t body = len - LEAD__REC_HEADER;
        if (lead__grow(w->mem, (void **)&w->buf, &w->cap, LEAD__REC_HEADER + body, 1) != LEAD_OK)
            return LEAD_ENOMEM;
        memcpy(w->buf + LEAD__REC_HEADER, (const unsigned char *)bytes + LEAD__REC_HEADER, body);
        w->len += body;
        w->fields = (uint32_t)count;
    }
    lead__rec_str(w, TAG_NAME, name);
    rc = lead__rec_end(w);
    if (rc == LEAD_OK)
        rc = lead__store_status(
            engine, engine->store.meta_put(engine->store.user, kind->key, w->buf, w->len),
            "meta_put");
    if (rc == LEAD_OK)
        *out_id = kind->base + count;
    return rc;
}

typedef struct name_ctx {
    int want;
    char *buf;
    size_t cap;
    int rc;
} name_ctx;

static int copy_name(void *ctx, int index, const unsigned char *name, size_t len)
{
    name_ctx *n = ctx;
    if (index != n->want)
        return 0;
    if (len + 1 > n->cap) {
        n->rc = LEAD_ELIMIT;
    } else {
        memcpy(n->buf, name, len);
        n->buf[len] = '\0';
        n->rc = LEAD_OK;
    }
    return 1;
}

static int lookup_name(lead_engine *engine, const registry_kind *kind, int id, char *buf,
                       size_t cap)
{
    if (!engine || !buf)
        return LEAD_EINVAL;
    const char *builtin = kind->builtin_name(id);
    if (builtin) {
        if (strlen(builtin) + 1 > cap)
            return LEAD_ELIMIT;
        memcpy(buf, builtin, strlen(builtin) + 1);
        return LEAD_OK;
    }
    if (id < kind->base || id >= kind->base + LEAD_CUSTOM_MAX)
        return LEAD_ENOTFOUND;
    name_ctx n = {id - kind->base, buf, cap, LEAD_ENOTFOUND};
    int count;
    const void *bytes;
    size_t len;
    int rc = walk(engine, kind, copy_name, &n, &count, &bytes, &len);
    return rc != LEAD_OK ? rc : n.rc;
}

int lead__registry_check(lead_engine *engine, int type, int channel)
{
    int ids[2] = {type, channel};
    const registry_kind *kinds[2] = {&event_types, &channels};
    for (int k = 0; k < 2; k++) {
        if (ids[k] >= 0 && ids[k] < kinds[k]->builtin_count)
            continue;
        char name[LEAD_CUSTOM_NAME_MAX + 1];
        int rc = lookup_name(engine, kinds[k], ids[k], name, sizeof name);
        if (rc == LEAD_ENOTFOUND)
            return lead__fail(engine, LEAD_EINVAL, "%s %d is not registered",
                              k ? "channel" : "event type", ids[k]);
        if (rc != LEAD_OK)
            return rc;
    }
    return LEAD_OK;
}

int lead_event_type_register(lead_engine *engine, int *out_type, const char *name)
{
    return register_name(engine, &event_types, out_type, name);
}

int lead_channel_register(lead_engine *engine, int *out_channel, const char *name)
{
    return register_name(engine, &channels, out_channel, name);
}

int lead_event_type_lookup(lead_engine *engine, int type, char *buf, size_t cap)
{
    return lookup_name(engine, &event_types, type, buf, cap);
}

int lead_channel_lookup(lead_engine *engine, int channel, char *buf, size_t cap)
{
    return lookup_name(engine, &channels, channel, buf, cap);
}
