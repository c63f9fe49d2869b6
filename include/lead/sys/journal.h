/*
 * liblead — the journal: a durable store in one append-only file.
 *
 * A complete lead_store (pass it in lead_engine_options.store) that keeps
 * everything in memory, like the embedded store, and writes every change to
 * a checksummed append-only file, durable as the chosen sync policy says.
 * Opening replays the file and cuts off a tail torn by a crash; compaction
 * rewrites the file as the current state and swaps it in atomically. Only
 * the C library and POSIX file calls (open, read, write, fsync, ftruncate,
 * rename) are used. The file format and what each sync policy can lose are
 * in docs/journal.md.
 */
#ifndef LEAD_SYS_JOURNAL_H
#define LEAD_SYS_JOURNAL_H

#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** When the journal calls fsync. Values are fixed. */
enum lead_journal_sync {
    LEAD_JOURNAL_SYNC_ALWAYS = 0, /**< after every write: nothing acknowledged is lost */
    LEAD_JOURNAL_SYNC_BATCH = 1,  /**< after every batch_commits writes and at close */
    LEAD_JOURNAL_SYNC_NONE = 2    /**< never: the operating system decides */
};

#define LEAD_JOURNAL_OPTIONS_VERSION 1

/** Journal options. Fields are only ever appended. */
typedef struct lead_journal_options {
    uint32_t struct_size; /**< sizeof(lead_journal_options) as the caller knows it */
    uint32_t version;     /**< LEAD_JOURNAL_OPTIONS_VERSION */
    const lead_allocator *allocator; /**< NULL: libc */
    int32_t sync;                    /**< enum lead_journal_sync (default ALWAYS) */
    uint32_t batch_commits;          /**< BATCH: writes per fsync, >= 1 (default 64) */
} lead_journal_options;

#define LEAD_JOURNAL_OPTIONS_INIT                                                              \
    {                                                                                         \
        (uint32_t)sizeof(lead_journal_options), LEAD_JOURNAL_OPTIONS_VERSION, NULL,           \
            LEAD_JOURNAL_SYNC_ALWAYS, 64                                                      \
    }

/** Fills *opts with LEAD_JOURNAL_OPTIONS_INIT: writes struct_size bytes (pass
 * sizeof as your headers know it) and sets struct_size to the size both sides
 * know. LEAD_EINVAL for NULL or a struct_size below 8. */
LEAD_API int lead_journal_options_init(lead_journal_options *opts, uint32_t struct_size);

/**
 * Opens the journal file at path (created when missing), replays it and
 * truncates a torn tail. opts may be NULL for the defaults. *out is a
 * complete store owned by the caller: close it with lead_store_journal_close()
 * after the engines using it are freed. Not thread-safe: engines sharing it
 * must not be used concurrently. Returns LEAD_OK, LEAD_EINVAL,
 * LEAD_EVERSION (options, or a file written by a later format),
 * LEAD_ECORRUPT (the file is not a journal), LEAD_ESTORE (an I/O call
 * failed) or LEAD_ENOMEM.
 */
LEAD_API int lead_store_journal_open(lead_store **out, const char *path,
                                     const lead_journal_options *opts);

/**
 * Rewrites the file as the store's current content and swaps it in
 * atomically (write, fsync, rename, fsync of the directory). On failure the
 * old file is still the journal and nothing is lost. Not during a
 * transaction (LEAD_ESTATE). LEAD_OK, LEAD_EINVAL (NULL, or a store not made
 * by lead_store_journal_open()), LEAD_ESTORE, LEAD_ENOMEM.
 */
LEAD_API int lead_store_journal_compact(lead_store *store);

/** fsyncs now (BATCH's pending writes). LEAD_OK, LEAD_EINVAL (NULL, or not a
 * journal store) or LEAD_ESTORE. */
LEAD_API int lead_store_journal_flush(lead_store *store);

/**
 * Facts about the open journal: the file's length in bytes, the records in
 * it, and the bytes the last open cut off as a torn tail. Any out may be
 * NULL. LEAD_OK or LEAD_EINVAL (NULL, or not a journal store; the outs are
 * then left as they were).
 */
LEAD_API int lead_store_journal_info(const lead_store *store, uint64_t *out_bytes,
                                     uint64_t *out_records, uint64_t *out_truncated);

/** Flushes (unless the policy is NONE), closes the file and frees the store.
 * NULL, or a store not made by lead_store_journal_open(), is a no-op. */
LEAD_API void lead_store_journal_close(lead_store *store);

#ifdef __cplusplus
}
#endif

#endif /* LEAD_SYS_JOURNAL_H */
