/* Private: an open-addressing hash map from NUL-terminated strings to a
 * uint64_t and an optional owned blob (linear probing, tombstones). */
#ifndef LEAD_LIB_STRMAP_H
#define LEAD_LIB_STRMAP_H

#include "alloc.h"

typedef struct lead__strmap_entry {
    char *key;        /* NULL: empty; (char *)&lead__strmap_tomb: deleted */
    uint64_t hash;
    uint64_t value;
    void *blob;
    size_t blob_len;
} lead__strmap_entry;

typedef struct lead__strmap {
    lead__strmap_entry *slots;
    size_t cap;   /* power of two or 0 */
    size_t used;  /* live + tombstones */
    size_t live;
} lead__strmap;

/* Finds key; NULL when absent. */
lead__strmap_entry *lead__strmap_find(const lead__strmap *map, const char *key);
/* Inserts or replaces key's value (and blob, copied when blob != NULL).
 * LEAD_OK or LEAD_ENOMEM (map unchanged). */
int lead__strmap_put(lead__strmap *map, const lead__mem *mem, const char *key, uint64_t value,
                     const void *blob, size_t blob_len);
/* Removes key if present. */
void lead__strmap_remove(lead__strmap *map, const lead__mem *mem, const char *key);
void lead__strmap_free(lead__strmap *map, const lead__mem *mem);

#endif
