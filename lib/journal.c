/* The append-only record log behind the journal store. Uses only POSIX file
 * calls, through a replaceable table so every one of them can be failed in
 * tests. */
#define _POSIX_C_SOURCE 200809L
#include "journal.h"
#include "crc32c.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char magic[8] = {'L', 'E', 'A', 'D', 'J', 'R', 'N', 'L'};
#define FORMAT_VERSION 1u

/* ---- POSIX I/O ---------------------------------------------------------- */

static int posix_open(void *user, const char *path, int create_truncate)
{
    (void)user;
    int flags = O_RDWR | O_CREAT | (create_truncate ? O_TRUNC : 0);
    int fd;
    do
        fd = open(path, flags, 0644);
    while (fd < 0 && errno == EINTR);
    return fd;
}

static long posix_read(void *user, int fd, void *buf, size_t len)
{
    (void)user;
    ssize_t n;
    do
        n = read(fd, buf, len);
    while (n < 0 && errno == EINTR);
    return (long)n;
}

static long posix_write(void *user, int fd, const void *buf, size_t len)
{
    (void)user;
    ssize_t n;
    do
        n = write(fd, buf, len);
    while (n < 0 && errno == EINTR);
    return (long)n;
}

static int posix_fsync(void *user, int fd)
{
    (void)user;
    return fsync(fd);
}

static int posix_truncate(void *user, int fd, uint64_t size)
{
    (void)user;
    if (ftruncate(fd, (off_t)size) != 0)
        return -1;
    return lseek(fd, (off_t)size, SEEK_SET) < 0 ? -1 : 0;
}

static int posix_rename(void *user, const char *from, const char *to)
{
    (void)user;
    return rename(from, to);
}

/* fsync of the directory holding path, so a create or rename is durable. */
static int posix_sync_dir(void *user, const char *path)
{
    (void)user;
    char dir[4096];
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;
    if (len >= sizeof dir)
        return -1;
    if (len == 0 && slash)
        len = 1; /* the root directory */
    if (len == 0) {
        dir[0] = '.';
        len = 1;
    } else
        memcpy(dir, path, len);
    dir[len] = '\0';
    int fd = open(dir, O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int posix_close(void *user, int fd)
{
    (void)user;
    return close(fd);
}

static int posix_remove(void *user, const char *path)
{
    (void)user;
    return unlink(path);
}

void lead__journal_io_posix(lead__journal_io *io)
{
    io->user = NULL;
    io->open_fn = posix_open;
    io->read_fn = posix_read;
    io->write_fn = posix_write;
    io->fsync_fn = posix_fsync;
    io->truncate_fn = posix_truncate;
    io->rename_fn = posix_rename;
    io->sync_dir_fn = posix_sync_dir;
    io->close_fn = posix_close;
    io->remove_fn = posix_remove;
}

/* ---- helpers -------------------------------------------------------------- */

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int write_all(lead__journal *j, int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        long n = j->io.write_fn(j->io.user, fd, p, len);
        if (n <= 0)
            return LEAD_ESTORE;
        p += n;
        len -= (size_t)n;
    }
    return LEAD_OK;
}

/* Reads up to len bytes; returns how many (fewer only at end of file), or -1. */
static long read_full(lead__journal *j, void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t got = 0;
    while (got < len) {
        long n = j->io.read_fn(j->io.user, j->fd, p + got, len - got);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (long)got;
}

static void make_header(uint8_t header[LEAD__JOURNAL_HEADER_SIZE])
{
    memcpy(header, magic, sizeof magic);
    put_u32(header + 8, FORMAT_VERSION);
    put_u32(header + 12, lead__crc32c(0, header, 12));
}

static int write_header(lead__journal *j, int fd)
{
    uint8_t header[LEAD__JOURNAL_HEADER_SIZE];
    make_header(header);
    return write_all(j, fd, header, sizeof header);
}

static int sync_fd(lead__journal *j)
{
    if (j->io.fsync_fn(j->io.user, j->fd) != 0)
        return LEAD_ESTORE;
    j->unsynced = 0;
    return LEAD_OK;
}

/* ---- open and recovery ------------------------------------------------- */

/* Checks the header. Returns LEAD_OK, LEAD_ITEROVER for a file too short to
 * hold one (a creation torn by a crash: start afresh), or an error. */
static int check_header(lead__journal *j)
{
    uint8_t header[LEAD__JOURNAL_HEADER_SIZE];
    long got = read_full(j, header, sizeof header);
    if (got < 0)
        return LEAD_ESTORE;
    if ((size_t)got < sizeof header) {
        /* Only a prefix of our own header can be a torn creation. */
        uint8_t expect[LEAD__JOURNAL_HEADER_SIZE];
        make_header(expect);
        return memcmp(header, expect, (size_t)got) == 0 ? LEAD_ITEROVER : LEAD_ECORRUPT;
    }
    if (memcmp(header, magic, sizeof magic) != 0 ||
        get_u32(header + 12) != lead__crc32c(0, header, 12))
        return LEAD_ECORRUPT;
    if (get_u32(header + 8) != FORMAT_VERSION)
        return LEAD_EVERSION;
    return LEAD_OK;
}

/* Replays records until the end or the first invalid one; leaves j->size at
 * the end of the last valid record. */
static int replay_records(lead__journal *j, lead__journal_replay_fn replay, void *ctx)
{
    uint8_t *buf = NULL;
    size_t cap = 0;
    int rc = LEAD_OK;
    j->size = LEAD__JOURNAL_HEADER_SIZE;
    for (;;) {
        uint8_t head[LEAD__JOURNAL_RECORD_OVERHEAD];
        long got = read_full(j, head, sizeof head);
        if (got < 0) {
            rc = LEAD_ESTORE;
            break;
        }
        if ((size_t)got < sizeof head)
            break;
        uint32_t len = get_u32(head);
        if (len > LEAD__JOURNAL_MAX_PAYLOAD)
            break;
        if (len > cap) {
            void *grown = buf;
            rc = lead__grow(&j->mem, &grown, &cap, len, 1);
            if (rc != LEAD_OK)
                break;
            buf = grown;
        }
        got = read_full(j, buf, len);
        if (got < 0) {
            rc = LEAD_ESTORE;
            break;
        }
        if ((size_t)got < len)
            break;
        uint32_t crc = lead__crc32c(lead__crc32c(0, head, 4), buf, len);
        if (crc != get_u32(head + 4))
            break;
        rc = replay(ctx, buf, len);
        if (rc != LEAD_OK)
            break;
        j->size += LEAD__JOURNAL_RECORD_OVERHEAD + len;
        j->records++;
    }
    lead__free(&j->mem, buf);
    return rc;
}

static int file_size(lead__journal *j, uint64_t *out)
{
    struct stat st;
    if (fstat(j->fd, &st) != 0)
        return LEAD_ESTORE;
    *out = (uint64_t)st.st_size;
    return LEAD_OK;
}

static int start_fresh(lead__journal *j)
{
    if (j->io.truncate_fn(j->io.user, j->fd, 0) != 0)
        return LEAD_ESTORE;
    int rc = write_header(j, j->fd);
    if (rc == LEAD_OK)
        rc = sync_fd(j);
    if (rc == LEAD_OK && j->io.sync_dir_fn(j->io.user, j->path) != 0)
        rc = LEAD_ESTORE;
    j->size = LEAD__JOURNAL_HEADER_SIZE;
    return rc;
}

int lead__journal_open(lead__journal *j, const lead__mem *mem, const lead__journal_io *io,
                       const char *path, int sync, unsigned batch_every,
                       lead__journal_replay_fn replay, void *ctx)
{
    memset(j, 0, sizeof *j);
    j->fd = -1;
    j->mem = *mem;
    if (io)
        j->io = *io;
    else
        lead__journal_io_posix(&j->io);
    j->sync = sync;
    j->batch_every = batch_every ? batch_every : 1;
    j->path = lead__strdup(mem, path);
    if (!j->path)
        return LEAD_ENOMEM;
    j->fd = j->io.open_fn(j->io.user, path, 0);
    if (j->fd < 0) {
        lead__journal_close(j);
        return LEAD_ESTORE;
    }
    int rc = check_header(j);
    if (rc == LEAD_ITEROVER)
        rc = start_fresh(j);
    else if (rc == LEAD_OK) {
        rc = replay_records(j, replay, ctx);
        uint64_t on_disk = 0;
        if (rc == LEAD_OK)
            rc = file_size(j, &on_disk);
        if (rc == LEAD_OK && on_disk > j->size) {
            j->truncated = on_disk - j->size;
            if (j->io.truncate_fn(j->io.user, j->fd, j->size) != 0 || sync_fd(j) != LEAD_OK)
                rc = LEAD_ESTORE;
        }
    }
    if (rc != LEAD_OK) {
        lead__journal_close(j);
        return rc;
    }
    return LEAD_OK;
}

/* ---- writing ---------------------------------------------------------------- */

static int after_commit(lead__journal *j)
{
    j->unsynced++;
    if (j->sync == LEAD__SYNC_ALWAYS ||
        (j->sync == LEAD__SYNC_BATCH && j->unsynced >= j->batch_every))
        return sync_fd(j);
    return LEAD_OK;
}

/* Cuts the file back to the end of the last good record, which also moves the
 * file position there (truncate_fn's contract). While this has not succeeded
 * the file may hold the bytes of a failed append past j->size and the
 * position may be past them: appending then would put an acknowledged record
 * behind bytes that recovery stops at, so appends are refused until it has. */
static int cut_back(lead__journal *j)
{
    if (j->io.truncate_fn(j->io.user, j->fd, j->size) != 0) {
        j->leftover = 1;
        return LEAD_ESTORE;
    }
    j->leftover = 0;
    return LEAD_OK;
}

int lead__journal_append(lead__journal *j, const void *payload, size_t len)
{
    if (len > LEAD__JOURNAL_MAX_PAYLOAD)
        return LEAD_ELIMIT;
    if (j->leftover && cut_back(j) != LEAD_OK)
        return LEAD_ESTORE;
    uint8_t head[LEAD__JOURNAL_RECORD_OVERHEAD];
    put_u32(head, (uint32_t)len);
    put_u32(head + 4, lead__crc32c(lead__crc32c(0, head, 4), payload, len));
    int rc = write_all(j, j->fd, head, sizeof head);
    if (rc == LEAD_OK)
        rc = write_all(j, j->fd, payload, len);
    if (rc == LEAD_OK)
        rc = after_commit(j);
    if (rc != LEAD_OK) {
        /* Cut the failed record off (part of it, or all of it when only the
         * fsync failed) so the next append starts at j->size. If the cut
         * fails, cut_back() remembers it and the next append retries it. */
        cut_back(j);
        return LEAD_ESTORE;
    }
    j->size += sizeof head + len;
    j->records++;
    return LEAD_OK;
}

int lead__journal_flush(lead__journal *j)
{
    return j->fd >= 0 && j->sync != LEAD__SYNC_NONE ? sync_fd(j) : LEAD_OK;
}

int lead__journal_compact(lead__journal *j, int (*emit)(void *ctx, lead__journal *fresh),
                          void *ctx)
{
    size_t plen = strlen(j->path);
    char *tmp = lead__malloc(&j->mem, plen + sizeof ".compact");
    if (!tmp)
        return LEAD_ENOMEM;
    memcpy(tmp, j->path, plen);
    memcpy(tmp + plen, ".compact", sizeof ".compact");

    lead__journal fresh = *j;
    fresh.sync = LEAD__SYNC_NONE; /* one fsync at the end instead */
    fresh.records = 0;
    fresh.unsynced = 0;
    fresh.leftover = 0;
    fresh.fd = j->io.open_fn(j->io.user, tmp, 1);
    int rc = fresh.fd < 0 ? LEAD_ESTORE : write_header(j, fresh.fd);
    fresh.size = LEAD__JOURNAL_HEADER_SIZE;
    if (rc == LEAD_OK)
        rc = emit(ctx, &fresh);
    if (rc == LEAD_OK && j->io.fsync_fn(j->io.user, fresh.fd) != 0)
        rc = LEAD_ESTORE;
    if (rc == LEAD_OK && j->io.rename_fn(j->io.user, tmp, j->path) != 0)
        rc = LEAD_ESTORE;
    if (rc != LEAD_OK) {
        /* The old file is still the journal; the partial copy is dropped
         * (best effort: a copy left behind is never read, and the next
         * compaction starts it afresh). */
        if (fresh.fd >= 0) {
            j->io.close_fn(j->io.user, fresh.fd);
            if (j->io.remove_fn)
                j->io.remove_fn(j->io.user, tmp);
        }
        lead__free(&j->mem, tmp);
        return rc;
    }
    /* The rename happened: the fresh file is the journal now. A failing
     * directory fsync only means the swap may not yet be durable; the old
     * file is equivalent, so it is not an error for the caller's data. */
    j->io.sync_dir_fn(j->io.user, j->path);
    j->io.close_fn(j->io.user, j->fd);
    j->fd = fresh.fd;
    j->size = fresh.size;
    j->records = fresh.records;
    j->unsynced = 0;
    j->leftover = 0; /* the old file and whatever it held past size are gone */
    lead__free(&j->mem, tmp);
    return LEAD_OK;
}

void lead__journal_close(lead__journal *j)
{
    if (j->fd >= 0) {
        /* A failed append whose cut never worked: its bytes would be
         * replayed on the next open if the record was complete (only its
         * fsync failed). One more try; make the cut durable if it works. */
        int cut = j->leftover && cut_back(j) == LEAD_OK;
        if (j->sync != LEAD__SYNC_NONE && (j->unsynced || cut))
            j->io.fsync_fn(j->io.user, j->fd);
        j->io.close_fn(j->io.user, j->fd);
        j->fd = -1;
    }
    lead__free(&j->mem, j->path);
    j->path = NULL;
}
