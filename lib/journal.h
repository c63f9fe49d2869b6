/* Private: an append-only, checksummed record log in one file.
 *
 * File layout (all integers little-endian):
 *   header  "LEADJRNL" | u32 format version (1) | u32 crc32c(previous 12 bytes)
 *   record  u32 payload length | u32 crc32c(length bytes + payload) | payload
 * A record is valid only if it is complete and its checksum matches. Opening
 * replays every valid record in order and truncates the file at the first
 * invalid one: with writes appended in order, that can only be a write torn
 * by a crash (docs/journal.md). */
#ifndef LEAD_LIB_JOURNAL_H
#define LEAD_LIB_JOURNAL_H

#include "alloc.h"

#define LEAD__JOURNAL_HEADER_SIZE 16
#define LEAD__JOURNAL_RECORD_OVERHEAD 8
#define LEAD__JOURNAL_MAX_PAYLOAD (64u * 1024u * 1024u)

/* The system calls the journal makes, replaceable so tests can fail each. */
typedef struct lead__journal_io {
    void *user;
    int (*open_fn)(void *user, const char *path, int create_truncate);
    long (*read_fn)(void *user, int fd, void *buf, size_t len);
    long (*write_fn)(void *user, int fd, const void *buf, size_t len);
    int (*fsync_fn)(void *user, int fd);
    /* Cuts the file to size and moves the file position there, so the next
     * write lands at size; 0 only when both happened. */
    int (*truncate_fn)(void *user, int fd, uint64_t size);
    int (*rename_fn)(void *user, const char *from, const char *to);
    int (*sync_dir_fn)(void *user, const char *path);
    int (*close_fn)(void *user, int fd);
    /* Removes the file at path (a failed compaction's); NULL: leave it. */
    int (*remove_fn)(void *user, const char *path);
} lead__journal_io;

/* The POSIX implementation. */
void lead__journal_io_posix(lead__journal_io *io);

enum lead__journal_sync { LEAD__SYNC_ALWAYS = 0, LEAD__SYNC_BATCH = 1, LEAD__SYNC_NONE = 2 };

typedef struct lead__journal {
    lead__mem mem;
    lead__journal_io io;
    int fd;
    char *path;
    int sync;
    unsigned batch_every;    /* BATCH: fsync after this many commits */
    unsigned unsynced;       /* commits since the last fsync */
    uint64_t size;           /* bytes of valid log */
    uint64_t truncated;      /* bytes dropped by the last recovery */
    uint64_t records;        /* valid records in the file */
    int leftover;            /* a failed append could not be cut off: the file may
                                hold its bytes past size, and the position may be
                                past size; nothing is appended until a cut works */
} lead__journal;

/* Called for each valid record on open, in order; a non-zero return stops
 * the replay and is returned by open. */
typedef int (*lead__journal_replay_fn)(void *ctx, const uint8_t *payload, size_t len);

/* Opens or creates the log at path, replays it, truncates a torn tail.
 * LEAD_ESTORE on I/O failure, LEAD_ECORRUPT if the file is not a journal,
 * LEAD_EVERSION for an unknown format version, LEAD_ENOMEM. */
int lead__journal_open(lead__journal *j, const lead__mem *mem, const lead__journal_io *io,
                       const char *path, int sync, unsigned batch_every,
                       lead__journal_replay_fn replay, void *ctx);

/* Appends one record and applies the sync policy. On failure the file is cut
 * back to its previous length and LEAD_ESTORE is returned. If that cut fails,
 * the journal remembers it and retries it first on every later append, which
 * fails with LEAD_ESTORE (writing nothing) until the cut succeeds: a record is
 * never written after the leftovers of a failed one. */
int lead__journal_append(lead__journal *j, const void *payload, size_t len);

/* Forces an fsync now (BATCH's flush). */
int lead__journal_flush(lead__journal *j);

/* Rewrites the log as the records `emit` appends to the fresh journal it is
 * given, then swaps the new file in atomically (write, fsync, rename, fsync
 * directory); a cut still owed is then moot, as the new file has no
 * leftovers. On failure the old file stays in use, untouched. */
int lead__journal_compact(lead__journal *j,
                          int (*emit)(void *ctx, lead__journal *fresh), void *ctx);

/* Cuts off the leftovers of a failed append if a cut is still owed (best
 * effort), flushes (except under NONE) and closes. Safe on a journal never
 * opened. */
void lead__journal_close(lead__journal *j);

#endif
