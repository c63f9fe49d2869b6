/* Redirect records for merged and erased contact ids (see redirect.h). */
#include "redirect.h"

#include <stdio.h>
#include <string.h>

#define REDIRECT_VERSION 1u
#define TAG_TARGET 1u
#define TAG_RECORD 2u

static void redirect_key(char *key, size_t cap, uint64_t id)
{
    snprintf(key, cap, "redirect.%llu", (unsigned long long)id);
}

int lead__redirect_put(lead_engine *engine, uint64_t id, uint64_t target, const void *record,
                       size_t record_len)
{
    char key[40];
    redirect_key(key, sizeof key, id);
    /* The record may live in engine->writer: encode into a second writer. */
    lead__rec_writer w = {&engine->mem, NULL, 0, 0, 0, LEAD_OK};
    lead__rec_begin(&w, LEAD__REC_META, REDIRECT_VERSION);
    lead__rec_i64(&w, TAG_TARGET, (int64_t)target);
    if (record)
        lead__rec_bytes(&w, TAG_RECORD, record, record_len);
    int rc = lead__rec_end(&w);
    if (rc == LEAD_OK)
        rc = lead__store_status(engine, engine->store.meta_put(engine->store.user, key, w.buf, w.len),
                                "meta_put");
    lead__rec_writer_free(&w);
    return rc;
}

int lead__redirect_get(lead_engine *engine, uint64_t id, uint64_t *out_target,
                       unsigned char **out_record, size_t *out_len)
{
    char key[40];
    redirect_key(key, sizeof key, id);
    const void *bytes;
    size_t len;
    int rc = lead__store_status(engine, engine->store.meta_get(engine->store.user, key, &bytes, &len),
                                "meta_get");
    if (rc != LEAD_OK)
        return rc;
    lead__rec_reader r;
    unsigned tag;
    const unsigned char *v;
    size_t vlen;
    int64_t target = 0;
    const unsigned char *record = NULL;
    size_t record_len = 0;
    rc = lead__rec_open(&r, bytes, len, LEAD__REC_META, REDIRECT_VERSION);
    while (rc == LEAD_OK && (rc = lead__rec_next(&r, &tag, &v, &vlen)) == LEAD_OK) {
        if (tag == TAG_TARGET)
            rc = lead__rec_as_i64(v, vlen, &target);
        else if (tag == TAG_RECORD) {
            record = v;
            record_len = vlen;
        }
    }
    if (rc != LEAD_ITEROVER || target < 0)
        return lead__fail_record(engine, rc == LEAD_ITEROVER ? LEAD_ECORRUPT : rc, bytes,
                                 REDIRECT_VERSION, "redirect of contact %llu",
                                 (unsigned long long)id);
    if (out_record) {
        *out_record = NULL;
        *out_len = 0;
        if (record) {
            *out_record = lead__malloc(&engine->mem, record_len ? record_len : 1);
            if (!*out_record)
                return LEAD_ENOMEM;
            memcpy(*out_record, record, record_len);
            *out_len = record_len;
        }
    }
    *out_target = (uint64_t)target;
    return LEAD_OK;
}
