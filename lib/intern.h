/* Private: string interning to dense uint32 ids (open addressing). */
#ifndef LEAD_LIB_INTERN_H
#define LEAD_LIB_INTERN_H

#include "alloc.h"

typedef struct lead__intern {
    char **names;     /* id -> NUL-terminated copy */
    uint32_t *hashes; /* id -> hash of the name, so rehashing never rereads names */
    size_t count, cap;
    uint32_t *slots;  /* id + 1, or 0 for empty; slot_cap is a power of two */
    size_t slot_cap;
} lead__intern;

void lead__intern_init(lead__intern *in);
void lead__intern_free(const lead__mem *mem, lead__intern *in);
/* Id of s[0..len), adding it if new. LEAD_ENOMEM, LEAD_ELIMIT (2^32-1 names). */
int lead__intern_put(const lead__mem *mem, lead__intern *in, const char *s, size_t len,
                     uint32_t *out_id);
/* Id of s[0..len) or LEAD_ENOTFOUND. */
int lead__intern_find(const lead__intern *in, const char *s, size_t len, uint32_t *out_id);

/* Forgets every name with id >= count (a failed bulk read's rollback). */
void lead__intern_truncate(const lead__mem *mem, lead__intern *in, size_t count);

static inline const char *lead__intern_name(const lead__intern *in, uint32_t id)
{
    return in->names[id];
}

#endif
