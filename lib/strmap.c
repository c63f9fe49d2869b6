/* String-keyed open-addressing hash map used by the in-memory store. */
#include "strmap.h"

#include <string.h>

static const char tomb_marker = 0;
#define TOMB ((char *)(uintptr_t)&tomb_marker)

/* FNV-1a, 64 bit: fast and good enough for in-process tables. */
static uint64_t hash_str(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

static lead__strmap_entry *probe(const lead__strmap *map, const char *key, uint64_t h,
                                 lead__strmap_entry **first_free)
{
    *first_free = NULL;
    if (map->cap == 0)
        return NULL;
    size_t mask = map->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        lead__strmap_entry *e = &map->slots[i];
        if (!e->key) {
            if (!*first_free)
                *first_free = e;
            return NULL;
        }
        if (e->key == TOMB) {
            if (!*first_free)
                *first_free = e;
        } else if (e->hash == h && strcmp(e->key, key) == 0) {
            return e;
        }
    }
}

lead__strmap_entry *lead__strmap_find(const lead__strmap *map, const char *key)
{
    lead__strmap_entry *unused;
    return probe(map, key, hash_str(key), &unused);
}

static int rehash(lead__strmap *map, const lead__mem *mem, size_t cap)
{
    lead__strmap_entry *slots = lead__calloc(mem, cap, sizeof *slots);
    if (!slots)
        return LEAD_ENOMEM;
    for (size_t i = 0; i < map->cap; i++) {
        lead__strmap_entry *e = &map->slots[i];
        if (!e->key || e->key == TOMB)
            continue;
        size_t j = (size_t)e->hash & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = *e;
    }
    lead__free(mem, map->slots);
    map->slots = slots;
    map->cap = cap;
    map->used = map->live;
    return LEAD_OK;
}

int lead__strmap_put(lead__strmap *map, const lead__mem *mem, const char *key, uint64_t value,
                     const void *blob, size_t blob_len)
{
    if ((map->used + 1) * 4 > map->cap * 3) {
        size_t cap = map->cap ? map->cap : 8;
        while ((map->live + 1) * 2 > cap)
            cap *= 2;
        int rc = rehash(map, mem, cap);
        if (rc != LEAD_OK)
            return rc;
    }
    uint64_t h = hash_str(key);
    lead__strmap_entry *slot;
    lead__strmap_entry *e = probe(map, key, h, &slot);
    void *copy = NULL;
    if (blob) {
        copy = lead__malloc(mem, blob_len ? blob_len : 1);
        if (!copy)
            return LEAD_ENOMEM;
        memcpy(copy, blob, blob_len);
    }
    if (e) {
        lead__free(mem, e->blob);
        e->value = value;
        e->blob = copy;
        e->blob_len = blob_len;
        return LEAD_OK;
    }
    char *k = lead__strdup(mem, key);
    if (!k) {
        lead__free(mem, copy);
        return LEAD_ENOMEM;
    }
    if (!slot->key)
        map->used++;
    slot->key = k;
    slot->hash = h;
    slot->value = value;
    slot->blob = copy;
    slot->blob_len = blob_len;
    map->live++;
    return LEAD_OK;
}

void lead__strmap_remove(lead__strmap *map, const lead__mem *mem, const char *key)
{
    lead__strmap_entry *e = lead__strmap_find(map, key);
    if (!e)
        return;
    lead__free(mem, e->key);
    lead__free(mem, e->blob);
    memset(e, 0, sizeof *e);
    e->key = TOMB;
    map->live--;
}

void lead__strmap_free(lead__strmap *map, const lead__mem *mem)
{
    for (size_t i = 0; i < map->cap; i++) {
        if (map->slots[i].key && map->slots[i].key != TOMB) {
            lead__free(mem, map->slots[i].key);
            lead__free(mem, map->slots[i].blob);
        }
    }
    lead__free(mem, map->slots);
    memset(map, 0, sizeof *map);
}
