/* I/O fault injection for the journal. */
#include "failio.h"

#include <string.h>

static int hit(lt_failio *f)
{
    return f->calls++ == f->fail_at;
}

static int f_open(void *u, const char *p, int t)
{
    lt_failio *f = u;
    return hit(f) ? -1 : f->real.open_fn(NULL, p, t);
}

static long f_read(void *u, int fd, void *b, size_t n)
{
    lt_failio *f = u;
    return hit(f) ? -1 : f->real.read_fn(NULL, fd, b, n);
}

static long f_write(void *u, int fd, const void *b, size_t n)
{
    lt_failio *f = u;
    if (hit(f)) {
        if (n > 1)
            f->real.write_fn(NULL, fd, b, n / 2);
        return -1;
    }
    return f->real.write_fn(NULL, fd, b, n);
}

static int f_fsync(void *u, int fd)
{
    lt_failio *f = u;
    f->fsyncs++;
    return hit(f) ? -1 : f->real.fsync_fn(NULL, fd);
}

static int f_truncate(void *u, int fd, uint64_t n)
{
    lt_failio *f = u;
    return hit(f) ? -1 : f->real.truncate_fn(NULL, fd, n);
}

static int f_rename(void *u, const char *a, const char *b)
{
    lt_failio *f = u;
    return hit(f) ? -1 : f->real.rename_fn(NULL, a, b);
}

static int f_sync_dir(void *u, const char *p)
{
    lt_failio *f = u;
    return hit(f) ? -1 : f->real.sync_dir_fn(NULL, p);
}

static int f_close(void *u, int fd)
{
    lt_failio *f = u;
    return f->real.close_fn(NULL, fd);
}

static int f_remove(void *u, const char *p)
{
    lt_failio *f = u;
    return f->real.remove_fn(NULL, p);
}

lead__journal_io lt_failio_init(lt_failio *f, long fail_at)
{
    memset(f, 0, sizeof *f);
    lead__journal_io_posix(&f->real);
    f->fail_at = fail_at;
    lead__journal_io io = {f,       f_open,     f_read,  f_write, f_fsync, f_truncate,
                           f_rename, f_sync_dir, f_close, f_remove};
    return io;
}
