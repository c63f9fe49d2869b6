/*
 * A stand-in for one CRM product that embeds liblead statically. product.c
 * is compiled twice, as product_a and product_b, into one test program: two
 * vendors' copies of liblead-using code living in one process.
 */
#ifndef PRODUCT_H
#define PRODUCT_H

#include <lead.h>

#include <stddef.h>
#include <stdint.h>

typedef struct product {
    /* Creates the product's engine (clock fixed at now_ms) and a journey set
     * with one journey, all on the product's own allocator. */
    int (*open)(int64_t now_ms);
    lead_engine *(*engine)(void);
    lead_journey_set *(*journeys)(void);
    /* Makes the product's clock fail with code from now on (0: heal it). */
    void (*break_clock)(int code);
    /* Whether p is a live block handed out by this product's allocator. */
    int (*owns)(const void *p);
    size_t (*live_blocks)(void);
    size_t (*total_allocations)(void);
    void (*close)(void);
} product;

const product *product_a(void);
const product *product_b(void);

#endif
