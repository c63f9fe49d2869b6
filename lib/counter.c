/* Persistent id counters: a meta record holding one integer. */
#include "counter.h"

#define COUNTER_VERSION 1u
#define TAG_VALUE 1u

int lead__counter_next(lead_engine *engine, const char *key, uint64_t *out)
{
    const void *bytes = NULL;
    size_t len = 0;
    int64_t value = 0;
    int rc = lead__store_status(engine, engine->store.meta_get(engine->store.user, key, &bytes, &len),
                                "meta_get");
    if (rc == LEAD_OK) {
        lead__rec_reader r;
        unsigned tag;
        const unsigned char *v;
        size_t vlen;
        rc = lead__rec_open(&r, bytes, len, LEAD__REC_META, COUNTER_VERSION);
        if (rc == LEAD_OK)
            rc = lead__rec_next(&r, &tag, &v, &vlen);
        if (rc == LEAD_OK && tag != TAG_VALUE)
            rc = LEAD_ECORRUPT;
        if (rc == LEAD_OK)
            rc = lead__rec_as_i64(v, vlen, &value);
        if (rc == LEAD_OK && (value < 0 || value == INT64_MAX))
            rc = LEAD_ECORRUPT;
        if (rc != LEAD_OK)
            return lead__fail(engine, LEAD_ECORRUPT, "counter %s does not decode", key);
    } else if (rc != LEAD_ENOTFOUND) {
        return rc;
    }
    lead__rec_begin(&engine->writer, LEAD__REC_META, COUNTER_VERSION);
    lead__rec_i64(&engine->writer, TAG_VALUE, value + 1);
    rc = lead__rec_end(&engine->writer);
    if (rc != LEAD_OK)
        return rc;
    rc = lead__store_status(engine,
                            engine->store.meta_put(engine->store.user, key, engine->writer.buf,
                                                   engine->writer.len),
                            "meta_put");
    if (rc == LEAD_OK)
        *out = (uint64_t)value + 1;
    return rc;
}
