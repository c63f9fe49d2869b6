/* A store wrapper for failure tests: counts every callback call and fails
 * the one numbered fail_at (0-based) without calling the wrapped store. */
#ifndef LT_FAILSTORE_H
#define LT_FAILSTORE_H

#include "lead/sys/store.h"

typedef struct lt_failstore {
    lead_store store;        /* hand &fs.store to the library */
    const lead_store *inner;
    long calls;              /* callback calls seen (rollback included) */
    long fail_at;            /* -1: never */
    int fail_code;           /* what the failing call returns (non-zero) */
    long injected;
    int hide_transactions;   /* non-zero: present the store without begin/commit/rollback */
} lt_failstore;

/* Wraps inner. Rollback calls are counted but never failed: a store that
 * cannot roll back cannot keep the contract. */
void lt_failstore_init(lt_failstore *fs, const lead_store *inner, int hide_transactions);
void lt_failstore_arm(lt_failstore *fs, long fail_at);

#endif
