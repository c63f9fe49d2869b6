/*
 * liblead — status codes, the export macro and the allocator hooks.
 *
 * Every fallible function returns an int: LEAD_OK (0) or one of the negative
 * LEAD_E... codes below. The numeric values are part of the ABI and never
 * change; new codes are only ever appended.
 */
#ifndef LEAD_COMMON_H
#define LEAD_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "version.h"

#if defined(_WIN32) && defined(LEAD_SHARED_BUILD)
#define LEAD_API __declspec(dllexport)
#elif defined(_WIN32) && defined(LEAD_SHARED)
#define LEAD_API __declspec(dllimport)
#elif defined(LEAD_STATIC_BUILD) && !defined(_WIN32) && (defined(__GNUC__) || defined(__clang__))
/* liblead.a: the API stays inside whatever links the archive, so a shared
 * library built with it does not export (or interpose) liblead's symbols. */
#define LEAD_API __attribute__((visibility("hidden")))
#elif defined(__GNUC__) || defined(__clang__)
#define LEAD_API __attribute__((visibility("default")))
#else
#define LEAD_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. Values are fixed forever; see lead_strerror(). */
enum lead_status {
    LEAD_OK = 0,
    LEAD_EINVAL = -1,     /**< an argument is NULL, out of range or malformed */
    LEAD_ENOMEM = -2,     /**< an allocation failed */
    LEAD_ENOTFOUND = -3,  /**< no such contact, model, key ... */
    LEAD_EEXISTS = -4,    /**< the thing already exists (duplicate id, email ...) */
    LEAD_ESTORE = -5,     /**< a store callback reported a failure */
    LEAD_ECLOCK = -6,     /**< the clock callback reported a failure */
    LEAD_ELIMIT = -7,     /**< a documented size or count limit was exceeded */
    LEAD_EFORMAT = -8,    /**< text or CSV input could not be parsed */
    LEAD_ESTATE = -9,     /**< the operation is not valid in the current state */
    LEAD_ITEROVER = -10,  /**< an iterator has no more items (not an error) */
    LEAD_EVERSION = -11,  /**< a struct or record version is not supported */
    LEAD_EUTF8 = -12,     /**< a string is not valid UTF-8 */
    LEAD_ETOOLONG = -13,  /**< a string is longer than its documented limit */
    LEAD_ECORRUPT = -14,  /**< stored bytes failed validation when decoded */
    LEAD_ECANCELED = -15, /**< a caller callback asked to stop */
    LEAD_EERASED = -16,   /**< the contact was erased (right to be forgotten) */
    LEAD_ENUMERIC = -17   /**< a numeric result is not finite (NaN, Inf, overflow) */
};

/**
 * A static, never-NULL English description of a status code. Unknown codes
 * give "unknown error". The string is owned by the library.
 */
LEAD_API const char *lead_strerror(int code);

/** The library's version as LEAD_VERSION_NUMBER computes it. */
LEAD_API int lead_version_number(void);

/** The library's version as a static string, e.g. "0.1.0". */
LEAD_API const char *lead_version_string(void);

/** A time that is not known (e.g. path-level data, a stage never entered). */
#define LEAD_TIME_UNKNOWN INT64_MIN

#define LEAD_ALLOCATOR_VERSION 1

/**
 * Allocator hooks, per engine or per analytics handle (never process-wide).
 * All three functions must be set. free_fn(user, NULL) must be harmless.
 * realloc_fn follows C realloc semantics for a non-NULL pointer and a
 * non-zero size; the library never calls it with size 0.
 */
typedef struct lead_allocator {
    uint32_t struct_size; /**< sizeof(lead_allocator) as the caller knows it */
    uint32_t version;     /**< LEAD_ALLOCATOR_VERSION */
    void *user;           /**< passed back to every hook */
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    void (*free_fn)(void *user, void *ptr);
} lead_allocator;

#define LEAD_ALLOCATOR_INIT \
    { (uint32_t)sizeof(lead_allocator), LEAD_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL }

/** Fills *alloc with LEAD_ALLOCATOR_INIT: writes struct_size bytes (pass sizeof as your headers
 * know it, so an older caller's smaller struct is never overrun) and sets
 * struct_size to the size both sides know. LEAD_EINVAL for NULL or a
 * struct_size below 8. */
LEAD_API int lead_allocator_init(lead_allocator *alloc, uint32_t struct_size);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_COMMON_H */
