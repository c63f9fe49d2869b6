/* String interning: names to dense ids, with an open-addressing index so a
 * million distinct channels cost one probe each. */
#include "intern.h"

#include <string.h>

static uint32_t hash_bytes(const char *s, size_t len)
{
    /* FNV-1a, 32 bit. */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void lead__intern_init(lead__intern *in)
{
    memset(in, 0, sizeof *in);
}

void lead__intern_free(const lead__mem *mem, lead__intern *in)
{
    for (size_t i = 0; i < in->count; i++)
        lead__free(mem, in->names[i]);
    lead__free(mem, in->names);
    lead__free(mem, in->hashes);
    lead__free(mem, in->slots);
    lead__intern_init(in);
}

static size_t probe(const lead__intern *in, uint32_t hash, const char *s, size_t len, int *found)
{
    size_t mask = in->slot_cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        uint32_t slot = in->slots[i];
        if (slot == 0) {
            *found = 0;
            return i;
        }
        uint32_t id = slot - 1;
        if (in->hashes[id] == hash && strncmp(in->names[id], s, len) == 0 &&
            in->names[id][len] == '\0') {
            *found = 1;
            return i;
        }
    }
}

int lead__intern_find(const lead__intern *in, const char *s, size_t len, uint32_t *out_id)
{
    if (in->slot_cap == 0)
        return LEAD_ENOTFOUND;
    int found;
    size_t i = probe(in, hash_bytes(s, len), s, len, &found);
    if (!found)
        return LEAD_ENOTFOUND;
    *out_id = in->slots[i] - 1;
    return LEAD_OK;
}

static int rehash(const lead__mem *mem, lead__intern *in, size_t new_cap)
{
    uint32_t *slots = lead__calloc(mem, new_cap, sizeof *slots);
    if (!slots)
        return LEAD_ENOMEM;
    size_t mask = new_cap - 1;
    for (size_t id = 0; id < in->count; id++) {
        size_t i = in->hashes[id] & mask;
        while (slots[i])
            i = (i + 1) & mask;
        slots[i] = (uint32_t)(id + 1);
    }
    lead__free(mem, in->slots);
    in->slots = slots;
    in->slot_cap = new_cap;
    return LEAD_OK;
}

int lead__intern_put(const lead__mem *mem, lead__intern *in, const char *s, size_t len,
                     uint32_t *out_id)
{
    uint32_t hash = hash_bytes(s, len);
    int found = 0;
    size_t slot = 0;
    if (in->slot_cap) {
        slot = probe(in, hash, s, len, &found);
        if (found) {
            *out_id = in->slots[slot] - 1;
            return LEAD_OK;
        }
    }
    if (in->count >= UINT32_MAX - 1)
        return LEAD_ELIMIT;
    /* Keep the load factor at or below 1/2. */
    if ((in->count + 1) * 2 > in->slot_cap) {
        int rc = rehash(mem, in, in->slot_cap ? in->slot_cap * 2 : 16);
        if (rc != LEAD_OK)
            return rc;
        slot = probe(in, hash, s, len, &found);
    }
    if (in->count == in->cap) {
        size_t cap = in->cap;
        void *hashes = in->hashes;
        int rc = lead__grow(mem, &hashes, &cap, in->count + 1, sizeof *in->hashes);
        if (rc != LEAD_OK)
            return rc;
        in->hashes = hashes;
        void *names = in->names;
        cap = in->cap;
        rc = lead__grow(mem, &names, &cap, in->count + 1, sizeof *in->names);
        if (rc != LEAD_OK)
            return rc; /* hashes is larger than needed: harmless */
        in->names = names;
        in->cap = cap;
    }
    char *copy = lead__strndup(mem, s, len);
    if (!copy)
        return LEAD_ENOMEM;
    uint32_t id = (uint32_t)in->count;
    in->names[id] = copy;
    in->hashes[id] = hash;
    in->count++;
    in->slots[slot] = id + 1;
    *out_id = id;
    return LEAD_OK;
}

void lead__intern_truncate(const lead__mem *mem, lead__intern *in, size_t count)
{
    if (count >= in->count)
        return;
    for (size_t id = count; id < in->count; id++)
        lead__free(mem, in->names[id]);
    in->count = count;
    /* Linear probing cannot delete in place; reindex the survivors into the
     * same slots (no allocation, so a rollback cannot fail). */
    memset(in->slots, 0, in->slot_cap * sizeof *in->slots);
    size_t mask = in->slot_cap - 1;
    for (size_t id = 0; id < count; id++) {
        size_t i = in->hashes[id] & mask;
        while (in->slots[i])
            i = (i + 1) & mask;
        in->slots[i] = (uint32_t)(id + 1);
    }
}
