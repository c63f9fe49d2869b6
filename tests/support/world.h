/* An engine on the in-memory store whose allocator, store callbacks and
 * clock can each be told to fail at call N: the fixture of the fault
 * sweeps. */
#ifndef LT_WORLD_H
#define LT_WORLD_H

#include "lead_test.h"
#include "failstore.h"

typedef struct lt_world {
    lt_failalloc fa;
    lt_fakeclock fc;
    lead_store *mem;  /* the in-memory store, on fa */
    lt_failstore fs;  /* mem behind the fault-injecting wrapper (its fail code: 99) */
    lead_engine *e;
} lt_world;

/* How the engine sees the store: through the wrapper, through it without
 * transactions, or directly. */
enum lt_world_store { LT_WRAPPED, LT_NO_TRANSACTIONS, LT_DIRECT };

enum lt_fault { LT_FAULT_ALLOC, LT_FAULT_STORE, LT_FAULT_CLOCK };

/* A fresh store and engine, the clock at now_ms and advancing step_ms per
 * read. Fails the test when either cannot be made. */
void lt_world_up(lt_world *w, int64_t now_ms, int64_t step_ms, enum lt_world_store mode);
/* Frees both; fails the test when a block is still allocated. */
void lt_world_down(lt_world *w);
/* Fails call n of that kind (0-based) from now on; disarm stops every kind. */
void lt_world_arm(lt_world *w, enum lt_fault kind, long n);
void lt_world_disarm(lt_world *w);
/* How many calls of that kind were failed since it was armed. */
long lt_world_injected(const lt_world *w, enum lt_fault kind);

#endif
