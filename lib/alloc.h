/* Private: the allocator every handle carries, and overflow-checked helpers. */
#ifndef LEAD_LIB_ALLOC_H
#define LEAD_LIB_ALLOC_H

#include "lead/common.h"

typedef struct lead__mem {
    void *user;
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    void (*free_fn)(void *user, void *ptr);
} lead__mem;

/* Sets *mem from the caller's hooks, or libc's when user_alloc is NULL.
 * LEAD_EINVAL for a bad struct_size or a missing hook, LEAD_EVERSION for an
 * unknown version. */
int lead__mem_init(lead__mem *mem, const lead_allocator *user_alloc);

void *lead__malloc(const lead__mem *mem, size_t size);
/* Zeroed array of count * size bytes; NULL on overflow or failure. */
void *lead__calloc(const lead__mem *mem, size_t count, size_t size);
/* realloc of an array of count * size bytes; NULL (ptr untouched) on overflow
 * or failure. */
void *lead__realloc_array(const lead__mem *mem, void *ptr, size_t count, size_t size);
void lead__free(const lead__mem *mem, void *ptr);
/* Copy of len bytes of s plus a NUL. */
char *lead__strndup(const lead__mem *mem, const char *s, size_t len);
char *lead__strdup(const lead__mem *mem, const char *s);

/* Grows *items (capacity *cap, element size elem) so that it holds at least
 * need elements, doubling. LEAD_OK or LEAD_ENOMEM; *items untouched on error. */
int lead__grow(const lead__mem *mem, void **items, size_t *cap, size_t need, size_t elem);

/* Validates the {struct_size, version} header of a caller's versioned struct
 * and copies min(struct_size, dst_size) bytes of it over dst (which the
 * caller has initialised with defaults). */
int lead__copy_versioned(void *dst, size_t dst_size, const void *src, uint32_t max_version);

/* The body of every public lead_x_init(x, struct_size): zeroes the caller's
 * struct_size bytes, copies the defaults both sides know, and records that
 * size. LEAD_EINVAL for NULL or a struct_size too small for the header. */
int lead__init_versioned(void *dst, uint32_t struct_size, const void *defaults, size_t lib_size);

#endif
