/* A journal I/O table that fails its Nth call (tests of lib/journal.c and
 * the journal store). A failing write first writes half its bytes, as a full
 * disk does. close and remove are never failed: nothing acts on their
 * results. */
#ifndef LT_FAILIO_H
#define LT_FAILIO_H

#include "journal.h"

typedef struct lt_failio {
    lead__journal_io real;
    long calls;   /* calls seen (close excluded) */
    long fail_at; /* 0-based call to fail; -1: never */
    long fsyncs;
} lt_failio;

/* Returns the table to hand to the journal; f keeps the counters. */
lead__journal_io lt_failio_init(lt_failio *f, long fail_at);

#endif
