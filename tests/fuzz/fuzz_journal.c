/* Journal recovery on arbitrary file contents. Whatever the bytes, opening
 * either rejects the file (not a journal, unknown version) or keeps exactly
 * a prefix of valid records: reopening the recovered file replays the same
 * records and truncates nothing, and an append after recovery survives. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crc32c.h"
#include "fuzz.h"
#include "journal.h"

/* What a replay saw: the record count and a checksum over every payload. */
typedef struct replayed {
    uint64_t records;
    uint32_t crc;
} replayed;

static int collect(void *ctx, const uint8_t *payload, size_t len)
{
    replayed *r = ctx;
    uint8_t len_bytes[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
                            (uint8_t)(len >> 24)};
    r->crc = lead__crc32c(lead__crc32c(r->crc, len_bytes, 4), payload, len);
    r->records++;
    return LEAD_OK;
}

/* Durability is not under test here: skip the fsyncs to fuzz faster. */
static int no_fsync(void *user, int fd)
{
    (void)user;
    (void)fd;
    return 0;
}

static int no_sync_dir(void *user, const char *path)
{
    (void)user;
    (void)path;
    return 0;
}

static const char *scratch_path(void)
{
    static char path[512];
    if (!path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/lead-fuzz-journal-%ld", dir && *dir ? dir : "/tmp",
                 (long)getpid());
    }
    return path;
}

static int open_journal(lead__journal *j, const char *path, replayed *r)
{
    lead__mem mem;
    lead__journal_io io;
    lead__mem_init(&mem, NULL);
    lead__journal_io_posix(&io);
    io.fsync_fn = no_fsync;
    io.sync_dir_fn = no_sync_dir;
    memset(r, 0, sizeof *r);
    return lead__journal_open(j, &mem, &io, path, LEAD__SYNC_NONE, 1, collect, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = scratch_path();
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();

    lead__journal j;
    replayed first, second, third;
    int rc = open_journal(&j, path, &first);
    if (rc == LEAD_ECORRUPT || rc == LEAD_EVERSION) {
        remove(path);
        return 0;
    }
    if (rc != LEAD_OK)
        abort();
    /* The kept prefix plus the dropped tail is the whole input, except for
     * a torn header, which is rewritten whole. */
    if (first.records != j.records ||
        (size >= LEAD__JOURNAL_HEADER_SIZE && j.size + j.truncated != size) ||
        (size < LEAD__JOURNAL_HEADER_SIZE && (j.size != LEAD__JOURNAL_HEADER_SIZE || j.records)))
        abort();
    uint64_t kept = j.size;
    lead__journal_close(&j);

    if (open_journal(&j, path, &second) != LEAD_OK || j.truncated != 0 || j.size != kept ||
        second.records != first.records || second.crc != first.crc)
        abort();
    static const char extra[] = "appended after recovery";
    if (lead__journal_append(&j, extra, sizeof extra - 1) != LEAD_OK)
        abort();
    lead__journal_close(&j);

    if (open_journal(&j, path, &third) != LEAD_OK || j.truncated != 0 ||
        third.records != first.records + 1 ||
        j.size != kept + LEAD__JOURNAL_RECORD_OVERHEAD + sizeof extra - 1)
        abort();
    lead__journal_close(&j);
    remove(path);
    return 0;
}
