/* The per-handle allocator: libc by default, the caller's hooks otherwise. */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static void *libc_malloc(void *user, size_t size)
{
    (void)user;
    return malloc(size);
}

static void *libc_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    return realloc(ptr, size);
}

static void libc_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

int lead__copy_versioned(void *dst, size_t dst_size, const void *src, uint32_t max_version)
{
    uint32_t header[2];
    memcpy(header, src, sizeof header);
    if (header[0] < sizeof header)
        return LEAD_EINVAL;
    if (header[1] == 0 || header[1] > max_version)
        return LEAD_EVERSION;
    size_t n = header[0] < dst_size ? header[0] : dst_size;
    memcpy(dst, src, n);
    /* What the caller's struct did not have keeps the default; struct_size
     * now describes our layout. */
    ((uint32_t *)dst)[0] = (uint32_t)dst_size;
    return LEAD_OK;
}

int lead__init_versioned(void *dst, uint32_t struct_size, const void *defaults, size_t lib_size)
{
    if (!dst || struct_size < 2 * sizeof(uint32_t))
        return LEAD_EINVAL;
    memset(dst, 0, struct_size);
    size_t n = struct_size < lib_size ? struct_size : lib_size;
    memcpy(dst, defaults, n);
    uint32_t known = (uint32_t)n;
    memcpy(dst, &known, sizeof known);
    return LEAD_OK;
}

int lead__mem_init(lead__mem *mem, const lead_allocator *user_alloc)
{
    if (!user_alloc) {
        mem->user = NULL;
        mem->malloc_fn = libc_malloc;
        mem->realloc_fn = libc_realloc;
        mem->free_fn = libc_free;
        return LEAD_OK;
    }
    lead_allocator a = LEAD_ALLOCATOR_INIT;
    int rc = lead__copy_versioned(&a, sizeof a, user_alloc, LEAD_ALLOCATOR_VERSION);
    if (rc != LEAD_OK)
        return rc;
    if (!a.malloc_fn || !a.realloc_fn || !a.free_fn)
        return LEAD_EINVAL;
    mem->user = a.user;
    mem->malloc_fn = a.malloc_fn;
    mem->realloc_fn = a.realloc_fn;
    mem->free_fn = a.free_fn;
    return LEAD_OK;
}

void *lead__malloc(const lead__mem *mem, size_t size)
{
    return mem->malloc_fn(mem->user, size ? size : 1);
}

void *lead__calloc(const lead__mem *mem, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    size_t total = count * size;
    void *p = lead__malloc(mem, total);
    if (p)
        memset(p, 0, total ? total : 1);
    return p;
}

void *lead__realloc_array(const lead__mem *mem, void *ptr, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    size_t total = count * size;
    if (total == 0)
        total = 1;
    if (!ptr)
        return mem->malloc_fn(mem->user, total);
    return mem->realloc_fn(mem->user, ptr, total);
}

void lead__free(const lead__mem *mem, void *ptr)
{
    if (ptr)
        mem->free_fn(mem->user, ptr);
}

char *lead__strndup(const lead__mem *mem, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *copy = lead__malloc(mem, len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *lead__strdup(const lead__mem *mem, const char *s)
{
    return lead__strndup(mem, s, strlen(s));
}

int lead__grow(const lead__mem *mem, void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return LEAD_OK;
    size_t new_cap = *cap ? *cap : 8;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2)
            return LEAD_ENOMEM;
        new_cap *= 2;
    }
    void *grown = lead__realloc_array(mem, *items, new_cap, elem);
    if (!grown)
        return LEAD_ENOMEM;
    *items = grown;
    *cap = new_cap;
    return LEAD_OK;
}

int lead_allocator_init(lead_allocator *alloc, uint32_t struct_size)
{
    lead_allocator init = LEAD_ALLOCATOR_INIT;
    return lead__init_versioned(alloc, struct_size, &init, sizeof init);
}
