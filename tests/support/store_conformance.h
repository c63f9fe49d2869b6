/* The store conformance suite: checks that a lead_store honours the contract
 * of include/lead/sys/store.h (docs/storage.md). A backend author calls
 * lt_store_conformance() from a cmocka test with a fresh, empty store. */
#ifndef LT_STORE_CONFORMANCE_H
#define LT_STORE_CONFORMANCE_H

#include "lead/sys/store.h"

/* Runs every check against store, which must be empty; fails the current
 * cmocka test on the first violation. Leaves contacts 1..3 in the store. */
void lt_store_conformance(const lead_store *store);

#endif
