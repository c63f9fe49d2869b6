/* Persistent id counters: a meta record holding one integer.
 *
 * Every tracked event takes an id, so the common case is cheap: the record
 * is always written in one fixed-size layout, recognised by comparing bytes
 * rather than decoded, and rewritten whole (a store may then update it in
 * place). A record in any other valid layout still decodes. */
#include "counter.h"

#define COUNTER_VERSION 1u
#define TAG_VALUE 1u
#define VALUE_AT (LEAD__REC_HEADER + 6u) /* after the field's tag and length */
#define RECORD_LEN (VALUE_AT + 8u)

/* The record as it is written: the header and one 8-byte integer field. */
static void counter_record(unsigned char out[RECORD_LEN], int64_t value)
{
    out[0] = 'L';
    out[1] = 'R';
    out[2] = LEAD__REC_META;
    out[3] = COUNTER_VERSION;
    lead__put_le(out + 4, 1, 4);
    lead__put_le(out + 8, RECORD_LEN - LEAD__REC_HEADER, 4);
    lead__put_le(out + 12, TAG_VALUE, 2);
    lead__put_le(out + 14, 8, 4);
    lead__put_le(out + VALUE_AT, (uint64_t)value, 8);
}

/* The value of a record in any valid layout. */
static int decode_any(const void *bytes, size_t len, int64_t *value)
{
    lead__rec_reader r;
    unsigned tag;
    const unsigned char *v;
    size_t vlen;
    int rc = lead__rec_open(&r, bytes, len, LEAD__REC_META, COUNTER_VERSION);
    if (rc == LEAD_OK)
        rc = lead__rec_next(&r, &tag, &v, &vlen);
    if (rc == LEAD_OK && tag != TAG_VALUE)
        rc = LEAD_ECORRUPT;
    if (rc == LEAD_OK)
        rc = lead__rec_as_i64(v, vlen, value);
    return rc;
}

static int decode_value(const void *bytes, size_t len, int64_t *value)
{
    int rc = LEAD_ECORRUPT;
    if (len == RECORD_LEN) {
        unsigned char same[RECORD_LEN];
        *value = lead__as_signed(lead__get_le((const unsigned char *)bytes + VALUE_AT, 8));
        counter_record(same, *value);
        if (memcmp(same, bytes, RECORD_LEN) == 0)
            rc = LEAD_OK;
    }
    if (rc != LEAD_OK)
        rc = decode_any(bytes, len, value);
    if (rc == LEAD_OK && (*value < 0 || *value == INT64_MAX))
        rc = LEAD_ECORRUPT;
    return rc;
}

int lead__counter_next(lead_engine *engine, const char *key, uint64_t *out)
{
    const void *bytes = NULL;
    size_t len = 0;
    int64_t value = 0;
    int rc = lead__store_status(engine, engine->store.meta_get(engine->store.user, key, &bytes, &len),
                                "meta_get");
    if (rc == LEAD_OK) {
        rc = decode_value(bytes, len, &value);
        if (rc != LEAD_OK)
            return lead__fail_record(engine, rc, bytes, COUNTER_VERSION, "counter %s", key);
    } else if (rc != LEAD_ENOTFOUND) {
        return rc;
    }
    unsigned char record[RECORD_LEN];
    counter_record(record, value + 1);
    rc = lead__store_status(engine,
                            engine->store.meta_put(engine->store.user, key, record, sizeof record),
                            "meta_put");
    if (rc == LEAD_OK)
        *out = (uint64_t)value + 1;
    return rc;
}
