/* Erasure (right to be forgotten): the contact, its events and its personal
 * data go; a SHA-256 of the normalized email stays so re-imports are seen. */
#include "contact.h"
#include "email.h"
#include "engine_score.h"
#include "redirect.h"
#include "sha256.h"

#include <stdio.h>
#include <string.h>

#define ERASED_VERSION 1u
#define TAG_ERASED_AT 1u
/* "erased." + 64 hex digits + NUL */
#define ERASED_KEY_CAP 72

static void erased_key(char key[ERASED_KEY_CAP], const char *normalized_email)
{
    unsigned char digest[LEAD__SHA256_BYTES];
    lead__sha256(digest, normalized_email, strlen(normalized_email));
    static const char hex[] = "0123456789abcdef";
    memcpy(key, "erased.", 7);
    for (int i = 0; i < LEAD__SHA256_BYTES; i++) {
        key[7 + 2 * i] = hex[digest[i] >> 4];
        key[8 + 2 * i] = hex[digest[i] & 15];
    }
    key[7 + 2 * LEAD__SHA256_BYTES] = '\0';
}

static int put_erased_mark(lead_engine *engine, const char *email, int64_t now)
{
    char key[ERASED_KEY_CAP];
    erased_key(key, email);
    lead__rec_begin(&engine->writer, LEAD__REC_META, ERASED_VERSION);
    lead__rec_i64(&engine->writer, TAG_ERASED_AT, now);
    int rc = lead__rec_end(&engine->writer);
    if (rc != LEAD_OK)
        return rc;
    return lead__store_status(engine,
                              engine->store.meta_put(engine->store.user, key, engine->writer.buf,
                                                     engine->writer.len),
                              "meta_put");
}

/* Whether erasing c must forget the absorbed id: yes when its redirects
 * lead to c, or to an erased id (a part-done erase of c, or an earlier one);
 * no when id is still a contact itself (a merge into c failed before
 * deleting it, on a store without transactions) or its redirects lead to
 * another contact (that merge failed before deleting one of id's holders,
 * which was merged elsewhere since). */
static int belongs_to(lead_engine *engine, const lead_contact *c, uint64_t id, int *out)
{
    char errmsg[LEAD__ERRMSG_CAP];
    memcpy(errmsg, engine->errmsg, sizeof errmsg);
    uint64_t owner = 0;
    int rc = lead__contact_resolve(engine, id, &owner);
    *out = rc != LEAD_OK || owner == c->id;
    if (rc == LEAD_EERASED || rc == LEAD_ENOTFOUND) {
        memcpy(engine->errmsg, errmsg, sizeof errmsg); /* not a failure here */
        rc = LEAD_OK;
    }
    return rc;
}

/* A contact merged into the erased one c: its email is marked erased too,
 * and its kept record is dropped from the redirect; unless it belongs to
 * another contact now (belongs_to). */
static int forget_absorbed(lead_engine *engine, const lead_contact *c, uint64_t id, int64_t now)
{
    int ours = 0;
    int rc = belongs_to(engine, c, id, &ours);
    if (rc != LEAD_OK || !ours)
        return rc;
    uint64_t target = 0;
    unsigned char *record = NULL;
    size_t len = 0;
    lead_contact *old = NULL;
    rc = lead__redirect_get(engine, id, &target, &record, &len);
    if (rc == LEAD_OK && record)
        rc = lead__contact_decode(engine, record, len, &old);
    if (rc == LEAD_OK && old && old->fields[LEAD_FIELD_EMAIL])
        rc = put_erased_mark(engine, old->fields[LEAD_FIELD_EMAIL], now);
    if (rc == LEAD_OK || rc == LEAD_ENOTFOUND)
        rc = lead__redirect_put(engine, id, 0, NULL, 0);
    lead_contact_free(old);
    lead__free(&engine->mem, record);
    return rc;
}

/* Write order without transactions: the erased mark, the redirects (which
 * drop the absorbed contacts' records), then the contact and its events. */
static int write_erase(lead_engine *engine, const lead_contact *c, int64_t now)
{
    int rc = LEAD_OK;
    if (c->fields[LEAD_FIELD_EMAIL])
        rc = put_erased_mark(engine, c->fields[LEAD_FIELD_EMAIL], now);
    /* Last absorbed first: an id's redirect leads to one absorbed after it
     * (or to c), already forgotten, so each ownership check is short. */
    for (size_t i = c->absorbed_len; rc == LEAD_OK && i > 0; i--)
        rc = forget_absorbed(engine, c, c->absorbed[i - 1], now);
    if (rc == LEAD_OK)
        rc = lead__redirect_put(engine, c->id, 0, NULL, 0);
    if (rc == LEAD_OK)
        rc = lead__store_status(engine, engine->store.contact_delete(engine->store.user, c->id),
                                "contact_delete");
    return rc == LEAD_ENOTFOUND ? LEAD_ESTORE : rc;
}

int lead_contact_erase(lead_engine *engine, uint64_t id)
{
    if (!engine)
        return LEAD_EINVAL;
    lead_contact *c = NULL;
    int64_t now = 0;
    int rc = lead__contact_load(engine, id, &c);
    if (rc == LEAD_OK)
        rc = lead__now(engine, &now);
    if (rc == LEAD_OK)
        rc = lead__store_begin(engine);
    if (rc == LEAD_OK)
        rc = lead__store_finish(engine, write_erase(engine, c, now));
    if (rc == LEAD_OK)
        lead__scores_forget(engine, c->id);
    lead_contact_free(c);
    return rc;
}

int lead_contact_is_erased(lead_engine *engine, int *out_erased, const char *email)
{
    if (!engine)
        return LEAD_EINVAL;
    if (!out_erased)
        return lead__fail(engine, LEAD_EINVAL, "is_erased: NULL out_erased");
    if (!email)
        return lead__fail(engine, LEAD_EINVAL, "is_erased: NULL email");
    char norm[LEAD_EMAIL_MAX + 1];
    int rc = lead__email_normalize(norm, sizeof norm, email);
    if (rc != LEAD_OK)
        return lead__fail(engine, rc, "is_erased: %s", lead_strerror(rc));
    char key[ERASED_KEY_CAP];
    erased_key(key, norm);
    const void *bytes;
    size_t len;
    rc = lead__store_status(engine, engine->store.meta_get(engine->store.user, key, &bytes, &len),
                            "meta_get");
    if (rc != LEAD_OK && rc != LEAD_ENOTFOUND)
        return rc;
    *out_erased = rc == LEAD_OK;
    return LEAD_OK;
}
