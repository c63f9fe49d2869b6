/* Private: opening a journal store with replaceable I/O, for tests. */
#ifndef LEAD_LIB_STORE_JOURNAL_H
#define LEAD_LIB_STORE_JOURNAL_H

#include "lead/sys/journal.h"
#include "journal.h"

int lead__store_journal_open_io(lead_store **out, const char *path,
                                const lead_journal_options *opts, const lead__journal_io *io);

/* The memory store behind a journal store (tests compare its content). */
lead_store *lead__store_journal_inner(lead_store *store);

#endif
