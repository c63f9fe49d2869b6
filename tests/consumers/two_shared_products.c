/*
 * The host of two products that are shared libraries, each with its own
 * liblead.a linked in (embedded.c). Each product must run the liblead it
 * carries: the lead_version_string it calls lies inside its own .so, so the
 * two differ, and each engine ran on its own product's allocator and clock.
 * The host itself does not link liblead.
 */
#define _GNU_SOURCE /* dladdr */
#include "embedded.h"

#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "FAILED: %s\n", what);
        failures++;
    }
}

/* The base address of the loaded object that holds the function f. */
static const void *object_of(const char *(*f)(void), const char **name)
{
    void *address;
    Dl_info info;
    memcpy(&address, &f, sizeof address); /* POSIX: function pointers fit in void * */
    if (!dladdr(address, &info)) {
        *name = "(none)";
        return NULL;
    }
    *name = info.dli_fname ? info.dli_fname : "(unnamed)";
    return info.dli_fbase;
}

static const void *entry_object(int (*entry)(embedded_report *, int64_t), const char **name)
{
    const char *(*f)(void);
    memcpy(&f, &entry, sizeof f);
    return object_of(f, name);
}

static void check_product(const char *label, int (*entry)(embedded_report *, int64_t),
                          const embedded_report *r, int64_t clock_ms)
{
    char what[256];
    const char *own_name, *lead_name;
    const void *own = entry_object(entry, &own_name);
    const void *lead = object_of(r->version_string, &lead_name);
    printf("product %s (%s): lead_version_string in %s\n", label, own_name, lead_name);
    snprintf(what, sizeof what, "product %s calls the liblead in %s, not its own copy in %s", label,
             lead_name, own_name);
    check(own != NULL && lead == own, what);
    snprintf(what, sizeof what, "product %s: liblead calls failed (%d)", label, r->status);
    check(r->status == 0, what);
    snprintf(what, sizeof what, "product %s: lead_version_string() is not the headers' version", label);
    check(r->version_ok, what);
    snprintf(what, sizeof what, "product %s: engine time %" PRId64 ", its clock says %" PRId64, label,
             r->now_ms, clock_ms);
    check(r->now_ms == clock_ms, what);
    snprintf(what, sizeof what, "product %s: allocator saw %zu blocks, %zu left live", label,
             r->allocations, r->live);
    check(r->allocations > 0 && r->live == 0, what);
}

int main(void)
{
    embedded_report a, b;
    embedded_a(&a, 1000);
    embedded_b(&b, 2000);
    check_product("a", embedded_a, &a, 1000);
    check_product("b", embedded_b, &b, 2000);
    check(a.version_string != b.version_string, "both products reach the same lead_version_string");
    if (failures)
        return 1;
    printf("each product runs its own liblead\n");
    return 0;
}
