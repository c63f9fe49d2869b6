/* The journal's record log: format, recovery from a cut at every byte,
 * flipped bytes, sync policies, compaction, and every system call failing. */
#define _POSIX_C_SOURCE 200809L
#include "lead_test.h"
#include "crc32c.h"
#include "journal.h"
#include "failio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];
static char path[300];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/leadjXXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/lead.journal", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[320];
    unlink(path);
    snprintf(p, sizeof p, "%s.compact", path);
    unlink(p);
    snprintf(p, sizeof p, "%s/cut", dir);
    unlink(p);
    rmdir(dir);
    return 0;
}

/* Collects replayed payloads as one string, records separated by '|'. */
typedef struct seen {
    char text[4096];
    int count;
    int fail_at; /* replay callback fails on this record; -1 never */
} seen;

static int collect(void *ctx, const uint8_t *payload, size_t len)
{
    seen *s = ctx;
    if (s->count == s->fail_at)
        return LEAD_ECORRUPT;
    size_t used = strlen(s->text);
    if (used + len + 2 < sizeof s->text) {
        if (s->count)
            s->text[used++] = '|';
        memcpy(s->text + used, payload, len);
        s->text[used + len] = '\0';
    }
    s->count++;
    return LEAD_OK;
}

static lead__mem libc_mem(void)
{
    lead__mem m;
    lead__mem_init(&m, NULL);
    return m;
}

static int open_journal(lead__journal *j, const char *p, const lead__journal_io *io, int sync,
                        seen *s)
{
    memset(s, 0, sizeof *s);
    s->fail_at = -1;
    lead__mem m = libc_mem();
    return lead__journal_open(j, &m, io, p, sync, 4, collect, s);
}

static long file_len(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void write_three(void)
{
    lead__journal j;
    seen s;
    unlink(path);
    assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
    assert_int_equal(lead__journal_append(&j, "alpha", 5), LEAD_OK);
    assert_int_equal(lead__journal_append(&j, "", 0), LEAD_OK);
    assert_int_equal(lead__journal_append(&j, "gamma-ray", 9), LEAD_OK);
    lead__journal_close(&j);
}

static void crc32c_known_values(void **state)
{
    (void)state;
    assert_int_equal(lead__crc32c(0, "123456789", 9), 0xE3069283u);
    assert_int_equal(lead__crc32c(0, "", 0), 0u);
    /* Incremental equals one-shot. */
    assert_int_equal(lead__crc32c(lead__crc32c(0, "1234", 4), "56789", 5), 0xE3069283u);
}

static void writes_and_replays(void **state)
{
    (void)state;
    write_three();
    /* 16 header + (8+5) + (8+0) + (8+9) */
    assert_int_equal(file_len(path), 16 + 13 + 8 + 17);
    lead__journal j;
    seen s;
    assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
    assert_int_equal(s.count, 3);
    assert_string_equal(s.text, "alpha||gamma-ray");
    assert_int_equal(j.records, 3);
    assert_int_equal(j.truncated, 0);
    /* Appending after a replay continues the same file. */
    assert_int_equal(lead__journal_append(&j, "delta", 5), LEAD_OK);
    lead__journal_close(&j);
    assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
    assert_string_equal(s.text, "alpha||gamma-ray|delta");
    lead__journal_close(&j);
}

static void copy_prefix(const char *from, const char *to, long n, long flip_at)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    for (long i = 0; i < n; i++) {
        int c = fgetc(in);
        if (i == flip_at)
            c ^= 0x40;
        fputc(c, out);
    }
    fclose(in);
    fclose(out);
}

static void recovers_from_a_cut_at_every_byte(void **state)
{
    (void)state;
    write_three();
    long total = file_len(path);
    /* Record boundaries: after the header, after each record. */
    const long ends[] = {16, 29, 37, 54};
    const char *expect[] = {"", "alpha", "alpha|", "alpha||gamma-ray"};
    char cut[320];
    snprintf(cut, sizeof cut, "%s/cut", dir);
    for (long n = 0; n <= total; n++) {
        copy_prefix(path, cut, n, -1);
        lead__journal j;
        seen s;
        assert_int_equal(open_journal(&j, cut, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
        int k = 0;
        while (k < 3 && ends[k + 1] <= n)
            k++;
        assert_int_equal(s.count, k);
        assert_string_equal(s.text, expect[k]);
        /* The torn tail is gone from the file and the journal is usable. */
        assert_int_equal(file_len(cut), ends[k]);
        assert_int_equal(lead__journal_append(&j, "z", 1), LEAD_OK);
        lead__journal_close(&j);
        assert_int_equal(open_journal(&j, cut, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
        assert_int_equal(s.count, k + 1);
        lead__journal_close(&j);
    }
}

static void flipped_tail_bytes_drop_the_tail(void **state)
{
    (void)state;
    write_three();
    long total = file_len(path);
    char cut[320];
    snprintf(cut, sizeof cut, "%s/cut", dir);
    /* Every byte of the last record, flipped: the first two survive. */
    for (long at = 37; at < total; at++) {
        copy_prefix(path, cut, total, at);
        lead__journal j;
        seen s;
        assert_int_equal(open_journal(&j, cut, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
        assert_string_equal(s.text, "alpha|");
        assert_int_equal(j.truncated, 17);
        lead__journal_close(&j);
    }
}

static void rejects_foreign_files(void **state)
{
    (void)state;
    FILE *f = fopen(path, "wb");
    fputs("this is not a journal file at all", f);
    fclose(f);
    lead__journal j;
    seen s;
    assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_ECORRUPT);
    /* Too short, but not a prefix of our header either. */
    f = fopen(path, "wb");
    fputs("LEADX", f);
    fclose(f);
    assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_ECORRUPT);
    /* A valid header of a later format version. */
    uint8_t header[16] = {'L', 'E', 'A', 'D', 'J', 'R', 'N', 'L', 2, 0, 0, 0};
    uint32_t crc = lead__crc32c(0, header, 12);
    for (int i = 0; i < 4; i++)
        header[12 + i] = (uint8_t)(crc >> (8 * i));
    f = fopen(path, "wb");
    fwrite(header, 1, sizeof header, f);
    fclose(f);
    assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_EVERSION);
    unlink(path);
}

static void replay_errors_propagate(void **state)
{
    (void)state;
    write_three();
    lead__journal j;
    seen s;
    memset(&s, 0, sizeof s);
    s.fail_at = 1;
    lead__mem m = libc_mem();
    assert_int_equal(lead__journal_open(&j, &m, NULL, path, LEAD__SYNC_ALWAYS, 1, collect, &s),
                     LEAD_ECORRUPT);
    assert_int_equal(j.fd, -1);
    /* Nothing was truncated: the file is as it was. */
    assert_int_equal(file_len(path), 54);
}

/* ---- I/O fault injection (tests/support/failio.c) ------------------------ */

/* Opens the journal (3 records), appends two, compacts to one, closes. */
static int io_scenario(long fail_at, lt_failio *f, seen *s)
{
    lead__journal_io io = lt_failio_init(f, fail_at);
    lead__journal j;
    int rc = open_journal(&j, path, &io, LEAD__SYNC_ALWAYS, s);
    if (rc != LEAD_OK)
        return rc;
    rc = lead__journal_append(&j, "four", 4);
    if (rc == LEAD_OK)
        rc = lead__journal_append(&j, "five", 4);
    lead__journal_close(&j);
    return rc;
}

static void every_io_call_can_fail(void **state)
{
    (void)state;
    for (long n = 0;; n++) {
        write_three();
        lt_failio f;
        seen s;
        int rc = io_scenario(n, &f, &s);
        /* Whatever failed, reopening shows a prefix of the acknowledged
         * appends: the three, plus "four" if it was acknowledged... */
        lead__journal j;
        seen after;
        assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &after), LEAD_OK);
        lead__journal_close(&j);
        if (f.calls <= n) { /* no failure was injected: the clean run */
            assert_int_equal(rc, LEAD_OK);
            assert_string_equal(after.text, "alpha||gamma-ray|four|five");
            break;
        }
        assert_int_equal(rc, LEAD_ESTORE);
        assert_true(strcmp(after.text, "alpha||gamma-ray") == 0 ||
                    strcmp(after.text, "alpha||gamma-ray|four") == 0 ||
                    strcmp(after.text, "alpha||gamma-ray|four|five") == 0);
        assert_true(n < 1000);
    }
}

static int emit_two(void *ctx, lead__journal *fresh)
{
    (void)ctx;
    int rc = lead__journal_append(fresh, "merged", 6);
    if (rc == LEAD_OK)
        rc = lead__journal_append(fresh, "state", 5);
    return rc;
}

static void compaction_swaps_atomically(void **state)
{
    (void)state;
    for (long n = 0;; n++) {
        write_three();
        lt_failio f;
        lead__journal_io io = lt_failio_init(&f, -1);
        lead__journal j;
        seen s;
        assert_int_equal(open_journal(&j, path, &io, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
        f.calls = 0;
        f.fail_at = n;
        int rc = lead__journal_compact(&j, emit_two, NULL);
        long calls = f.calls;
        f.fail_at = -1;
        if (rc == LEAD_OK)
            assert_int_equal(lead__journal_append(&j, "after", 5), LEAD_OK);
        lead__journal_close(&j);
        seen after;
        assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &after), LEAD_OK);
        lead__journal_close(&j);
        if (calls <= n) {
            assert_int_equal(rc, LEAD_OK);
            assert_string_equal(after.text, "merged|state|after");
            break;
        }
        /* Failed before the rename: the old journal, untouched. After it
         * (only the directory fsync remains), the swap stands. */
        if (rc == LEAD_OK)
            assert_string_equal(after.text, "merged|state|after");
        else
            assert_string_equal(after.text, "alpha||gamma-ray");
        assert_true(n < 1000);
    }
}

static void sync_policies_count_fsyncs(void **state)
{
    (void)state;
    const int policies[] = {LEAD__SYNC_ALWAYS, LEAD__SYNC_BATCH, LEAD__SYNC_NONE};
    /* 7 appends; batch of 4 syncs once, then once more at close. */
    const long expect[] = {7, 2, 0};
    for (int p = 0; p < 3; p++) {
        write_three();
        lt_failio f;
        lead__journal_io io = lt_failio_init(&f, -1);
        lead__journal j;
        seen s;
        assert_int_equal(open_journal(&j, path, &io, policies[p], &s), LEAD_OK);
        f.fsyncs = 0;
        for (int i = 0; i < 7; i++)
            assert_int_equal(lead__journal_append(&j, "x", 1), LEAD_OK);
        lead__journal_close(&j);
        assert_int_equal(f.fsyncs, expect[p]);
    }
}

/* ---- a failed append whose cut fails too ------------------------------------ */

/* POSIX I/O whose writes, fsyncs and truncates fail on demand. A failing write
 * first writes half its bytes, as a full disk does. A failing truncate does
 * nothing, or (seek_fails) cuts the file but leaves the file position where it
 * was, as when ftruncate works and lseek does not. */
typedef struct scripted {
    lead__journal_io real;
    int fail_write; /* fail the next write */
    int fail_fsync; /* fail the next fsync */
    int fail_cuts;  /* fail this many truncates; -1: every one */
    int seek_fails;
    long writes; /* write calls seen */
    long cuts;   /* truncate calls seen */
} scripted;

static long sc_write(void *u, int fd, const void *b, size_t n)
{
    scripted *sc = u;
    sc->writes++;
    if (sc->fail_write) {
        sc->fail_write = 0;
        if (n > 1)
            sc->real.write_fn(NULL, fd, b, n / 2);
        return -1;
    }
    return sc->real.write_fn(NULL, fd, b, n);
}

static int sc_fsync(void *u, int fd)
{
    scripted *sc = u;
    if (sc->fail_fsync) {
        sc->fail_fsync = 0;
        return -1;
    }
    return sc->real.fsync_fn(NULL, fd);
}

static int sc_truncate(void *u, int fd, uint64_t n)
{
    scripted *sc = u;
    sc->cuts++;
    if (sc->fail_cuts) {
        if (sc->fail_cuts > 0)
            sc->fail_cuts--;
        if (sc->seek_fails)
            assert_int_equal(ftruncate(fd, (off_t)n), 0);
        return -1;
    }
    return sc->real.truncate_fn(NULL, fd, n);
}

static lead__journal_io scripted_init(scripted *sc)
{
    memset(sc, 0, sizeof *sc);
    lead__journal_io_posix(&sc->real);
    lead__journal_io io = sc->real;
    io.user = sc;
    io.write_fn = sc_write;
    io.fsync_fn = sc_fsync;
    io.truncate_fn = sc_truncate;
    return io;
}

/* A write fails half-way and cutting its bytes off fails too: no later append
 * may be acknowledged until the cut works (it would sit behind the torn bytes
 * that recovery stops at); once it works, appends land at the end of the
 * last good record and survive a reopen. */
static void a_failed_cut_blocks_appends_until_it_works(void **state)
{
    (void)state;
    for (int seek_fails = 0; seek_fails < 2; seek_fails++) {
        write_three(); /* 54 bytes */
        scripted sc;
        lead__journal_io io = scripted_init(&sc);
        lead__journal j;
        seen s;
        assert_int_equal(open_journal(&j, path, &io, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
        sc.fail_write = 1;
        sc.fail_cuts = -1;
        sc.seek_fails = seek_fails;
        /* The record head's write puts 4 of its 8 bytes down and fails. */
        assert_int_equal(lead__journal_append(&j, "four", 4), LEAD_ESTORE);
        assert_int_equal(file_len(path), seek_fails ? 54 : 58);
        sc.writes = 0;
        sc.cuts = 0;
        assert_int_equal(lead__journal_append(&j, "five", 4), LEAD_ESTORE);
        assert_int_equal(lead__journal_append(&j, "six", 3), LEAD_ESTORE);
        assert_int_equal(sc.writes, 0); /* refused before writing anything */
        assert_int_equal(sc.cuts, 2);   /* each retried the cut */
        assert_int_equal(file_len(path), seek_fails ? 54 : 58);
        assert_int_equal(j.size, 54);
        assert_int_equal(j.records, 3);

        sc.fail_cuts = 0;
        assert_int_equal(lead__journal_append(&j, "seven", 5), LEAD_OK);
        assert_int_equal(lead__journal_append(&j, "eight", 5), LEAD_OK);
        assert_int_equal(j.size, 54 + 13 + 13);
        assert_int_equal(j.records, 5);
        assert_int_equal(file_len(path), 80);
        lead__journal_close(&j);

        assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
        assert_int_equal(s.count, 5);
        assert_string_equal(s.text, "alpha||gamma-ray|seven|eight");
        assert_int_equal(j.truncated, 0);
        assert_int_equal(j.size, 80);
        lead__journal_close(&j);
    }
}

/* The fsync fails after the whole record was written, and so does the cut:
 * the failed record is complete and valid in the file. The next append must
 * cut it off before writing, or it would come back on reopen and the size
 * the journal keeps would be behind the file (a later failed append's cut
 * would then land inside an acknowledged record). */
static void a_failed_fsync_and_cut_lose_nothing_acknowledged(void **state)
{
    (void)state;
    write_three(); /* 54 bytes */
    scripted sc;
    lead__journal_io io = scripted_init(&sc);
    lead__journal j;
    seen s;
    assert_int_equal(open_journal(&j, path, &io, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
    sc.fail_fsync = 1;
    sc.fail_cuts = 1;
    assert_int_equal(lead__journal_append(&j, "FAILED", 6), LEAD_ESTORE);
    assert_int_equal(file_len(path), 54 + 14);
    /* The retried cut works: "five" replaces the failed record. */
    assert_int_equal(lead__journal_append(&j, "five", 4), LEAD_OK);
    assert_int_equal(file_len(path), 54 + 12);
    /* A torn write whose cut works, then one more acknowledged append. */
    sc.fail_write = 1;
    assert_int_equal(lead__journal_append(&j, "six", 3), LEAD_ESTORE);
    assert_int_equal(file_len(path), 66);
    assert_int_equal(lead__journal_append(&j, "seven", 5), LEAD_OK);
    assert_int_equal(j.size, 66 + 13);
    lead__journal_close(&j);

    assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
    assert_int_equal(s.count, 5);
    assert_string_equal(s.text, "alpha||gamma-ray|five|seven");
    assert_int_equal(j.truncated, 0);
    assert_int_equal(file_len(path), 79);
    lead__journal_close(&j);
}

/* The cut fails on every append after a failed fsync but works when the
 * journal is closed: the failed record, complete in the file, is cut off
 * then and does not come back on reopen. */
static void a_cut_still_owed_is_made_on_close(void **state)
{
    (void)state;
    write_three(); /* 54 bytes */
    scripted sc;
    lead__journal_io io = scripted_init(&sc);
    lead__journal j;
    seen s;
    assert_int_equal(open_journal(&j, path, &io, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
    sc.fail_fsync = 1;
    sc.fail_cuts = -1;
    assert_int_equal(lead__journal_append(&j, "FAILED", 6), LEAD_ESTORE);
    assert_int_equal(lead__journal_append(&j, "five", 4), LEAD_ESTORE);
    assert_int_equal(file_len(path), 54 + 14);
    sc.fail_cuts = 0;
    sc.cuts = 0;
    lead__journal_close(&j);
    assert_int_equal(sc.cuts, 1);
    assert_int_equal(file_len(path), 54);
    assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
    assert_int_equal(s.count, 3);
    assert_string_equal(s.text, "alpha||gamma-ray");
    assert_int_equal(j.truncated, 0);
    lead__journal_close(&j);
}

/* Compaction writes a new file, so a cut still owed on the old one no longer
 * matters: appends work again even while truncate keeps failing. */
static void compaction_settles_a_cut_still_owed(void **state)
{
    (void)state;
    write_three();
    scripted sc;
    lead__journal_io io = scripted_init(&sc);
    lead__journal j;
    seen s;
    assert_int_equal(open_journal(&j, path, &io, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
    sc.fail_write = 1;
    sc.fail_cuts = -1;
    assert_int_equal(lead__journal_append(&j, "four", 4), LEAD_ESTORE);
    assert_int_equal(lead__journal_compact(&j, emit_two, NULL), LEAD_OK);
    sc.cuts = 0;
    assert_int_equal(lead__journal_append(&j, "after", 5), LEAD_OK);
    assert_int_equal(sc.cuts, 0);
    lead__journal_close(&j);
    assert_int_equal(open_journal(&j, path, NULL, LEAD__SYNC_ALWAYS, &s), LEAD_OK);
    assert_string_equal(s.text, "merged|state|after");
    assert_int_equal(j.truncated, 0);
    assert_int_equal(file_len(path), 16 + 14 + 13 + 13);
    lead__journal_close(&j);
}

static int open_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    lead__mem m;
    lead__mem_init(&m, alloc);
    seen s;
    memset(&s, 0, sizeof s);
    s.fail_at = -1;
    lead__journal j;
    int rc = lead__journal_open(&j, &m, NULL, path, LEAD__SYNC_NONE, 1, collect, &s);
    if (rc == LEAD_OK)
        rc = lead__journal_compact(&j, emit_two, NULL);
    lead__journal_close(&j);
    return rc;
}

static void allocation_failures(void **state)
{
    (void)state;
    write_three();
    /* Compaction may have happened in an earlier run: rewrite each time is
     * not needed, the scenario is valid on either content. */
    assert_true(lt_alloc_sweep(open_scenario, NULL, LEAD_OK) >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc32c_known_values),
        cmocka_unit_test_setup_teardown(writes_and_replays, setup, teardown),
        cmocka_unit_test_setup_teardown(recovers_from_a_cut_at_every_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(flipped_tail_bytes_drop_the_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(rejects_foreign_files, setup, teardown),
        cmocka_unit_test_setup_teardown(replay_errors_propagate, setup, teardown),
        cmocka_unit_test_setup_teardown(every_io_call_can_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(compaction_swaps_atomically, setup, teardown),
        cmocka_unit_test_setup_teardown(sync_policies_count_fsyncs, setup, teardown),
        cmocka_unit_test_setup_teardown(allocation_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(a_failed_cut_blocks_appends_until_it_works, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_failed_fsync_and_cut_lose_nothing_acknowledged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_cut_still_owed_is_made_on_close, setup, teardown),
        cmocka_unit_test_setup_teardown(compaction_settles_a_cut_still_owed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
