/* The journal store: conformance, restart, a cut at every byte of a real
 * engine's journal, flipped tail bytes, every I/O call failing, compaction,
 * and allocation failures. */
#define _POSIX_C_SOURCE 200809L
#include "lead_test.h"
#include "failio.h"
#include "failstore.h"
#include "store_conformance.h"
#include "store_journal.h"
#include "store_memory.h"
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256], path[300], cut[300];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/leadjsXXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/store.journal", dir);
    snprintf(cut, sizeof cut, "%s/cut.journal", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[320];
    unlink(path);
    unlink(cut);
    snprintf(p, sizeof p, "%s.compact", path);
    unlink(p);
    snprintf(p, sizeof p, "%s.compact", cut);
    unlink(p);
    rmdir(dir);
    return 0;
}

/* ---- a canonical text of everything a store holds ---------------------------- */

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void add(text *t, const char *fmt, const void *bytes, size_t n, uint64_t a, int64_t b)
{
    char head[128];
    int k = snprintf(head, sizeof head, fmt, (unsigned long long)a, (long long)b);
    size_t need = t->len + (size_t)k + 2 * n + 2;
    if (need > t->cap) {
        t->cap = need * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->len, head, (size_t)k);
    t->len += (size_t)k;
    for (size_t i = 0; i < n; i++)
        t->len += (size_t)sprintf(t->s + t->len, "%02x", ((const unsigned char *)bytes)[i]);
    t->s[t->len++] = '\n';
    t->s[t->len] = '\0';
}

static int text_contact(void *ctx, uint64_t id, const char *email, const char *external_id,
                        const void *record, size_t len)
{
    add(ctx, "contact %llu ", email ? email : "-", strlen(email ? email : "-"), id, 0);
    add(ctx, "  external %llu ", external_id ? external_id : "-",
        strlen(external_id ? external_id : "-"), id, 0);
    add(ctx, "  record %llu ", record, len, id, 0);
    return 0;
}

static int text_event(void *ctx, uint64_t id, int64_t time_ms, const void *bytes, size_t len)
{
    add(ctx, "  event %llu %lld ", bytes, len, id, time_ms);
    return 0;
}

static int text_idem(void *ctx, const char *key, uint64_t contact_id)
{
    add(ctx, "idem %llu ", key, strlen(key), contact_id, 0);
    return 0;
}

static int text_meta(void *ctx, const char *key, const void *bytes, size_t len)
{
    /* key and value on one line, so sorting keeps them together */
    size_t klen = strlen(key);
    unsigned char *both = malloc(klen + 1 + len);
    memcpy(both, key, klen);
    both[klen] = '=';
    if (len)
        memcpy(both + klen + 1, bytes, len);
    add(ctx, "meta%.0llu%.0lld ", both, klen + 1 + len, 0, 0);
    free(both);
    return 0;
}

/* Idempotency keys and meta entries come in hash order; sort the lines so
 * two stores with the same content give the same text. */
static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *snapshot(lead_store *journal_store)
{
    text t = {NULL, 0, 0};
    add(&t, "store%.0llu%.0lld ", "", 0, 0, 0);
    lead__store_dump dump = {&t, text_contact, text_event, text_idem, text_meta};
    assert_int_equal(lead__store_memory_dump(lead__store_journal_inner(journal_store), &dump),
                     LEAD_OK);
    /* Sort only the idem/meta tail: contacts are already in id order. */
    size_t lines = 0;
    for (size_t i = 0; i < t.len; i++)
        lines += t.s[i] == '\n';
    char **v = calloc(lines, sizeof *v);
    char *p = t.s;
    for (size_t i = 0; i < lines; i++) {
        v[i] = p;
        p = strchr(p, '\n');
        *p++ = '\0';
    }
    size_t first_tail = 0;
    while (first_tail < lines && strncmp(v[first_tail], "idem", 4) != 0 &&
           strncmp(v[first_tail], "meta", 4) != 0)
        first_tail++;
    qsort(v + first_tail, lines - first_tail, sizeof *v, cmp_line);
    size_t total = 0;
    for (size_t i = 0; i < lines; i++)
        total += strlen(v[i]) + 1;
    char *s = malloc(total + 1);
    s[0] = '\0';
    for (size_t i = 0; i < lines; i++) {
        strcat(s, v[i]);
        strcat(s, "\n");
    }
    free(v);
    free(t.s);
    return s;
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

static void copy_prefix(const char *from, const char *to, long n, long flip_at)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    for (long i = 0; i < n; i++) {
        int c = fgetc(in);
        fputc(i == flip_at ? c ^ 0x01 : c, out);
    }
    fclose(in);
    fclose(out);
}

/* ---- an engine scenario ------------------------------------------------------ */

#define MAX_STEPS 16

typedef struct run {
    long size[MAX_STEPS + 1]; /* file length after open and after each acknowledged step */
    char *snap[MAX_STEPS + 1];
    int steps;                /* steps acknowledged */
    int failed_rc;            /* status of the first failing step, or LEAD_OK */
} run;

static int track(lead_engine *e, uint64_t id, int type, int64_t t, const char *campaign,
                 const char *key)
{
    lead_event_input in;
    lead_event_input_init(&in, sizeof in);
    in.contact_id = id;
    in.type = type;
    in.channel = LEAD_CHANNEL_EMAIL;
    in.time_ms = t;
    in.campaign = campaign;
    in.idempotency_key = key;
    uint64_t event_id = 0;
    return lead_track(e, &event_id, &in);
}

/* Step i of the scenario; contacts get ids 1 and 2. */
static int step(lead_engine *e, int i)
{
    uint64_t id = 0;
    switch (i) {
    case 0: return lead_contact_create(e, &id, "ada@example.com", "crm-1", LEAD_DUPLICATE_REFUSE);
    case 1: return lead_contact_create(e, &id, "bob@example.org", NULL, LEAD_DUPLICATE_REFUSE);
    case 2: return track(e, 1, LEAD_EVENT_PAGE_VIEW, LT_T0 + 1000, NULL, "k1");
    case 3: return track(e, 1, LEAD_EVENT_FORM_SUBMIT, LT_T0 + 2000, "spring", "k2");
    case 4: return track(e, 2, LEAD_EVENT_EMAIL_OPEN, LT_T0 + 3000, "spring", NULL);
    case 5: return track(e, 1, LEAD_EVENT_PAGE_VIEW, LT_T0 + 1500, NULL, "k1"); /* replay */
    case 6: return lead_contact_set_field(e, 2, LEAD_FIELD_COMPANY, "Initech");
    case 7: return lead_contact_set_stage(e, 2, LEAD_STAGE_MQL, 0);
    case 8: return track(e, 2, LEAD_EVENT_PURCHASE, LT_T0 + 9000, NULL, "k3");
    default: return LEAD_ITEROVER;
    }
}

/* Runs the scenario on a journal at p through io (NULL: POSIX), recording
 * the file length and content after each acknowledged step; stops at the
 * first failure. */
static void run_scenario(run *r, const char *p, const lead__journal_io *io)
{
    memset(r, 0, sizeof *r);
    lead_store *store = NULL;
    int rc = lead__store_journal_open_io(&store, p, NULL, io);
    if (rc != LEAD_OK) {
        r->failed_rc = rc;
        return;
    }
    lt_fakeclock fc;
    lt_fakeclock_init(&fc, LT_T0);
    fc.step_ms = 10;
    lead_engine_options opts;
    lead_engine_options_init(&opts, sizeof opts);
    opts.store = store;
    opts.clock = &fc.clock;
    lead_engine *e = NULL;
    rc = lead_engine_new(&e, &opts);
    uint64_t bytes = 0;
    lead_store_journal_info(store, &bytes, NULL, NULL);
    r->size[0] = (long)bytes;
    r->snap[0] = snapshot(store);
    for (int i = 0; rc == LEAD_OK; i++) {
        rc = step(e, i);
        if (rc == LEAD_ITEROVER) {
            rc = LEAD_OK;
            break;
        }
        if (rc != LEAD_OK)
            break;
        lead_store_journal_info(store, &bytes, NULL, NULL);
        r->steps = i + 1;
        r->size[i + 1] = (long)bytes;
        r->snap[i + 1] = snapshot(store);
    }
    r->failed_rc = rc;
    lead_engine_free(e);
    lead_store_journal_close(store);
}

static void run_free(run *r)
{
    for (int i = 0; i <= MAX_STEPS; i++)
        free(r->snap[i]);
}

static char *reopen_snapshot(const char *p, uint64_t *out_truncated)
{
    lead_store *store = NULL;
    assert_int_equal(lead_store_journal_open(&store, p, NULL), LEAD_OK);
    lead_store_journal_info(store, NULL, NULL, out_truncated);
    char *s = snapshot(store);
    lead_store_journal_close(store);
    return s;
}

static void passes_the_conformance_suite_and_survives_restart(void **state)
{
    (void)state;
    lead_store *store = NULL;
    assert_int_equal(lead_store_journal_open(&store, path, NULL), LEAD_OK);
    lt_store_conformance(store);
    char *before = snapshot(store);
    lead_store_journal_close(store);
    char *after = reopen_snapshot(path, NULL);
    assert_string_equal(after, before);
    assert_non_null(strstr(after, "contact 3 "));
    free(before);
    free(after);
}

/* Opens the journal at path and an engine on it. */
static lead_engine *open_engine(lead_store **store)
{
    assert_int_equal(lead_store_journal_open(store, path, NULL), LEAD_OK);
    lead_engine_options opts;
    lead_engine_options_init(&opts, sizeof opts);
    opts.store = *store;
    lead_engine *e = NULL;
    assert_int_equal(lead_engine_new(&e, &opts), LEAD_OK);
    return e;
}

static void an_engine_survives_restart(void **state)
{
    (void)state;
    run r;
    run_scenario(&r, path, NULL);
    assert_int_equal(r.failed_rc, LEAD_OK);
    assert_int_equal(r.steps, 9);
    /* The replayed step 5 wrote nothing. */
    assert_int_equal(r.size[6], r.size[5]);
    char *again = reopen_snapshot(path, NULL);
    assert_string_equal(again, r.snap[9]);
    free(again);

    /* The reopened engine knows the idempotency keys and the contacts. */
    lead_store *store = NULL;
    lead_engine *e = open_engine(&store);
    uint64_t id = 0;
    assert_int_equal(lead_contact_find_email(e, &id, "bob@example.org"), LEAD_OK);
    assert_int_equal(id, 2);
    uint64_t event_id = 99;
    lead_event_input in;
    lead_event_input_init(&in, sizeof in);
    in.contact_id = 1;
    in.type = LEAD_EVENT_PAGE_VIEW;
    in.time_ms = LT_T0 + 5000;
    in.idempotency_key = "k2";
    assert_int_equal(lead_track(e, &event_id, &in), LEAD_OK);
    assert_int_equal(event_id, 0); /* seen before the restart */
    lead_contact *c = NULL;
    assert_int_equal(lead_contact_get(&c, e, 2), LEAD_OK);
    int stage = -1;
    lead_contact_stage(c, &stage);
    assert_int_equal(stage, LEAD_STAGE_CUSTOMER);
    lead_contact_free(c);
    lead_engine_free(e);
    lead_store_journal_close(store);
    run_free(&r);
}

/* The state a journal cut at byte n must recover: the last step whose write
 * ended at or before n. */
static int steps_within(const run *r, long n)
{
    int k = 0;
    for (int i = 1; i <= r->steps; i++)
        if (r->size[i] <= n)
            k = i;
    return k;
}

static void recovers_a_prefix_from_a_cut_at_every_byte(void **state)
{
    (void)state;
    run r;
    run_scenario(&r, path, NULL);
    assert_int_equal(r.failed_rc, LEAD_OK);
    long total = file_len(path);
    assert_int_equal(total, r.size[r.steps]);
    for (long n = 0; n <= total; n++) {
        copy_prefix(path, cut, n, -1);
        uint64_t truncated = 0;
        char *got = reopen_snapshot(cut, &truncated);
        int k = steps_within(&r, n);
        assert_string_equal(got, r.snap[k]);
        if (n >= 16)
            assert_int_equal(truncated, (uint64_t)(n - r.size[k]));
        free(got);
    }
    run_free(&r);
}

static void flipped_tail_bytes_lose_only_the_last_write(void **state)
{
    (void)state;
    run r;
    run_scenario(&r, path, NULL);
    long total = file_len(path);
    for (long at = r.size[r.steps - 1]; at < total; at++) {
        copy_prefix(path, cut, total, at);
        char *got = reopen_snapshot(cut, NULL);
        assert_string_equal(got, r.snap[r.steps - 1]);
        free(got);
    }
    run_free(&r);
}

static void every_io_call_can_fail(void **state)
{
    (void)state;
    run clean;
    run_scenario(&clean, path, NULL);
    long points = 0;
    for (long n = 0;; n++) {
        unlink(path);
        lt_failio f;
        lead__journal_io io = lt_failio_init(&f, n);
        run r;
        run_scenario(&r, path, &io);
        if (f.calls <= n) {
            assert_int_equal(r.failed_rc, LEAD_OK);
            run_free(&r);
            break;
        }
        points++;
        /* The failing step reports a store failure (or open does)... */
        assert_true(r.failed_rc == LEAD_ESTORE);
        if (access(path, F_OK) != 0) {
            run_free(&r);
            continue;
        }
        /* ...and the file holds every acknowledged step, and maybe the
         * failing one, never anything else. */
        char *got = reopen_snapshot(path, NULL);
        int k = r.steps;
        assert_true(strcmp(got, clean.snap[k]) == 0 ||
                    (k < clean.steps && strcmp(got, clean.snap[k + 1]) == 0));
        free(got);
        run_free(&r);
        assert_true(n < 10000);
    }
    assert_true(points > 20);
    run_free(&clean);
}

static void compaction_keeps_the_state(void **state)
{
    (void)state;
    run r;
    run_scenario(&r, path, NULL);
    long before = file_len(path);
    lead_store *store = NULL;
    assert_int_equal(lead_store_journal_open(&store, path, NULL), LEAD_OK);
    assert_int_equal(lead_store_journal_compact(store), LEAD_OK);
    uint64_t bytes = 0, records = 0;
    lead_store_journal_info(store, &bytes, &records, NULL);
    assert_int_equal(records, 1); /* one batch holds it all */
    char *compacted = snapshot(store);
    assert_string_equal(compacted, r.snap[r.steps]);
    lead_store_journal_close(store);
    assert_int_equal(file_len(path), (long)bytes);
    assert_true((long)bytes < before);
    char *again = reopen_snapshot(path, NULL);
    assert_string_equal(again, r.snap[r.steps]);
    free(compacted);
    free(again);
    run_free(&r);
}

/* Compaction failing at each of its I/O calls in turn: the store reports
 * it, the journal keeps the state, and the partial copy PATH.compact is
 * removed. */
static void a_failed_compaction_leaves_no_copy(void **state)
{
    (void)state;
    run r;
    run_scenario(&r, path, NULL);
    char copy[320];
    snprintf(copy, sizeof copy, "%s.compact", path);
    long failures = 0;
    for (long k = 0;; k++) {
        lt_failio f;
        lead__journal_io io = lt_failio_init(&f, -1);
        lead_store *store = NULL;
        assert_int_equal(lead__store_journal_open_io(&store, path, NULL, &io), LEAD_OK);
        f.fail_at = f.calls + k;
        int rc = lead_store_journal_compact(store);
        lead_store_journal_close(store);
        assert_int_not_equal(access(copy, F_OK), 0);
        char *got = reopen_snapshot(path, NULL);
        assert_string_equal(got, r.snap[r.steps]);
        free(got);
        if (rc == LEAD_OK)
            break;
        assert_int_equal(rc, LEAD_ESTORE);
        failures++;
        assert_true(k < 1000);
    }
    /* open, the header's write, the batch record's two writes (head and
     * payload), fsync, rename */
    assert_int_equal(failures, 6);
    run_free(&r);
}

static void options_are_checked(void **state)
{
    (void)state;
    lead_store *store = (lead_store *)1;
    lead_journal_options o;
    assert_int_equal(lead_journal_options_init(&o, sizeof o), LEAD_OK);
    assert_int_equal(o.sync, LEAD_JOURNAL_SYNC_ALWAYS);
    assert_int_equal(o.batch_commits, 64);
    o.sync = 3;
    assert_int_equal(lead_store_journal_open(&store, path, &o), LEAD_EINVAL);
    assert_null(store);
    o.sync = LEAD_JOURNAL_SYNC_BATCH;
    o.batch_commits = 0;
    assert_int_equal(lead_store_journal_open(&store, path, &o), LEAD_EINVAL);
    o.version = 2;
    assert_int_equal(lead_store_journal_open(&store, path, &o), LEAD_EVERSION);
    assert_int_equal(lead_store_journal_open(&store, "", NULL), LEAD_EINVAL);
    assert_int_equal(lead_store_journal_open(NULL, path, NULL), LEAD_EINVAL);
    assert_int_equal(lead_store_journal_compact(NULL), LEAD_EINVAL);
    assert_int_equal(lead_store_journal_flush(NULL), LEAD_EINVAL);
    lead_store_journal_close(NULL);
    /* Opening a directory is an I/O failure. */
    assert_int_equal(lead_store_journal_open(&store, dir, NULL), LEAD_ESTORE);
}

/* The journal functions take any lead_store *: a store that is not a journal
 * (the memory store, a caller's own, a copy of a journal's vtable) is
 * LEAD_EINVAL, and close leaves it alone. lead_store_memory_free leaves a
 * journal store alone. Nothing is touched, nothing leaks. */
static void foreign_stores_are_refused(void **state)
{
    (void)state;
    lt_failalloc fa;
    lt_failalloc_init(&fa);
    lead_journal_options o;
    lead_journal_options_init(&o, sizeof o);
    o.allocator = &fa.alloc;
    lead_store *journal = NULL, *memory = NULL;
    assert_int_equal(lead_store_journal_open(&journal, path, &o), LEAD_OK);
    assert_int_equal(lead_store_memory_new(&memory, &fa.alloc), LEAD_OK);
    assert_int_equal(memory->meta_put(memory->user, "k", "v", 1), LEAD_OK);
    assert_int_equal(journal->meta_put(journal->user, "k", "w", 1), LEAD_OK);
    lt_failstore fs;
    lt_failstore_init(&fs, memory, 0);
    lead_store copy = *journal;

    lead_store *foreign[] = {memory, &fs.store, &copy};
    for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
        uint64_t bytes = 7, records = 7, truncated = 7;
        assert_int_equal(lead_store_journal_compact(foreign[i]), LEAD_EINVAL);
        assert_int_equal(lead_store_journal_flush(foreign[i]), LEAD_EINVAL);
        assert_int_equal(lead_store_journal_info(foreign[i], &bytes, &records, &truncated),
                         LEAD_EINVAL);
        assert_int_equal(bytes, 7);
        assert_int_equal(records, 7);
        assert_int_equal(truncated, 7);
        lead_store_journal_close(foreign[i]);
    }
    lead_store_memory_free(journal);
    lead_store_memory_free(&fs.store);
    lead_store_memory_free(&copy);
    assert_int_equal(fs.calls, 0);

    /* Both stores are untouched and still work. */
    const void *b = NULL;
    size_t n = 0;
    assert_int_equal(memory->meta_get(memory->user, "k", &b, &n), LEAD_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(b, "v", 1);
    assert_int_equal(journal->meta_get(journal->user, "k", &b, &n), LEAD_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(b, "w", 1);
    uint64_t records = 0;
    assert_int_equal(lead_store_journal_flush(journal), LEAD_OK);
    assert_int_equal(lead_store_journal_compact(journal), LEAD_OK);
    assert_int_equal(lead_store_journal_info(journal, NULL, &records, NULL), LEAD_OK);
    assert_int_equal(records, 1);
    lead_store_journal_close(journal);
    lead_store_memory_free(memory);
    assert_int_equal(fa.live, 0);
}

static int alloc_scenario(const lead_allocator *alloc, void *ctx)
{
    (void)ctx;
    unlink(path);
    lead_journal_options o;
    lead_journal_options_init(&o, sizeof o);
    o.allocator = alloc;
    o.sync = LEAD_JOURNAL_SYNC_NONE;
    lead_store *store = NULL;
    int rc = lead_store_journal_open(&store, path, &o);
    if (rc != LEAD_OK)
        return rc;
    lead_engine_options opts;
    lead_engine_options_init(&opts, sizeof opts);
    opts.store = store;
    opts.allocator = alloc;
    lead_engine *e = NULL;
    rc = lead_engine_new(&e, &opts);
    for (int i = 0; rc == LEAD_OK && i < 5; i++)
        rc = step(e, i);
    lead_engine_free(e);
    if (rc == LEAD_OK)
        rc = lead_store_journal_compact(store);
    lead_store_journal_close(store);
    return rc;
}

/* A write whose log record would pass the 64 MiB record limit is refused
 * with LEAD_ELIMIT (not an I/O failure): the file and the store stay as
 * they were and the store goes on working. */
static void writes_over_the_record_limit_are_elimit(void **state)
{
    (void)state;
    size_t big = 64u << 20, half = 40u << 20;
    unsigned char *bytes = calloc(1, big);
    assert_non_null(bytes);
    lead_store *store = NULL;
    const void *got = NULL;
    size_t got_len = 0;
    uint64_t before = 0, after = 0;
    assert_int_equal(lead_store_journal_open(&store, path, NULL), LEAD_OK);
    assert_int_equal(store->meta_put(store->user, "small", "x", 1), LEAD_OK);
    assert_int_equal(lead_store_journal_info(store, &before, NULL, NULL), LEAD_OK);

    assert_int_equal(store->meta_put(store->user, "big", bytes, big), LEAD_ELIMIT);
    assert_int_equal(store->meta_get(store->user, "big", &got, &got_len), LEAD_ENOTFOUND);

    assert_int_equal(store->begin(store->user), LEAD_OK);
    assert_int_equal(store->meta_put(store->user, "a", bytes, half), LEAD_OK);
    assert_int_equal(store->meta_put(store->user, "b", bytes, half), LEAD_OK);
    assert_int_equal(store->commit(store->user), LEAD_ELIMIT);
    assert_int_equal(store->meta_get(store->user, "a", &got, &got_len), LEAD_ENOTFOUND);

    assert_int_equal(lead_store_journal_info(store, &after, NULL, NULL), LEAD_OK);
    assert_true(after == before);
    assert_int_equal(store->meta_put(store->user, "small", "y", 1), LEAD_OK);
    lead_store_journal_close(store);
    free(bytes);

    assert_int_equal(lead_store_journal_open(&store, path, NULL), LEAD_OK);
    assert_int_equal(store->meta_get(store->user, "small", &got, &got_len), LEAD_OK);
    assert_true(got_len == 1 && memcmp(got, "y", 1) == 0);
    assert_int_equal(store->meta_get(store->user, "b", &got, &got_len), LEAD_ENOTFOUND);
    lead_store_journal_close(store);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads the record lengths and op counts of the journal file at p. */
static int read_records(const char *p, long *len, long *ops, int max)
{
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 16, SEEK_SET), 0);
    int n = 0;
    unsigned char head[12];
    while (fread(head, 1, sizeof head, f) == sizeof head) {
        assert_true(n < max);
        len[n] = (long)le32(head);
        ops[n] = (long)le32(head + 8);
        assert_int_equal(fseek(f, len[n] - 4, SEEK_CUR), 0);
        n++;
    }
    fclose(f);
    return n;
}

/* A record the log accepted on its own stays within the record limit when
 * compaction rewrites it, whatever comes before it: the pending batch is
 * written out first instead of taking it past 64 MiB, which used to fail
 * every compaction for as long as the record existed. (Under ASan: about
 * 1.5 s and 370 MB.) */
static void compaction_keeps_a_record_at_the_limit(void **state)
{
    (void)state;
    long rec_len[4], rec_ops[4];
    size_t v = (64u << 20) - 15; /* its batch: 4 + 1 + (4 + 2) + 4 + v = 64 MiB */
    unsigned char *big = calloc(1, v);
    assert_non_null(big);
    big[0] = 'A';
    big[v - 1] = 'Z';
    lead_store *store = NULL;
    assert_int_equal(lead_store_journal_open(&store, path, NULL), LEAD_OK);
    assert_int_equal(store->contact_put(store->user, 1, NULL, NULL, "rec", 3), LEAD_OK);
    assert_int_equal(store->meta_put(store->user, "m", big, v), LEAD_OK);
    free(big);
    assert_int_equal(lead_store_journal_compact(store), LEAD_OK);
    uint64_t bytes = 0, records = 0;
    lead_store_journal_info(store, &bytes, &records, NULL);
    assert_int_equal(records, 2);
    assert_int_equal(bytes, 16 + (8 + 28) + (8 + (64u << 20)));
    lead_store_journal_close(store);
    assert_int_equal(read_records(path, rec_len, rec_ops, 4), 2);
    assert_int_equal(rec_len[0], 28);
    assert_int_equal(rec_ops[0], 1);
    assert_int_equal(rec_len[1], 64L << 20);
    assert_int_equal(rec_ops[1], 1);
    assert_int_equal(lead_store_journal_open(&store, path, NULL), LEAD_OK);
    const void *got = NULL;
    size_t got_len = 0;
    assert_int_equal(store->meta_get(store->user, "m", &got, &got_len), LEAD_OK);
    assert_int_equal(got_len, v);
    assert_int_equal(((const unsigned char *)got)[0], 'A');
    assert_int_equal(((const unsigned char *)got)[v - 1], 'Z');
    assert_int_equal(store->contact_get(store->user, 1, &got, &got_len), LEAD_OK);
    assert_int_equal(got_len, 3);
    lead_store_journal_close(store);
}

/* The same rule at the batch size: compaction packs ops into batches of
 * about 1 MiB, and an op that would take a pending batch past 1 MiB starts
 * the next batch instead, so a batch of several ops never passes 1 MiB. Two
 * contacts, records of 3 and 1048536 bytes, ops of 24 and 1048557 bytes:
 * 4 + 24 + 1048557 > 1048576, so each gets its own batch (payloads 28 and
 * 4 + 1048557 = 1048561). */
static void compaction_batches_stay_within_the_batch_size(void **state)
{
    (void)state;
    size_t v = 1048536;
    unsigned char *rec = calloc(1, v);
    assert_non_null(rec);
    rec[0] = 'A';
    rec[v - 1] = 'Z';
    lead_store *store = NULL;
    assert_int_equal(lead_store_journal_open(&store, path, NULL), LEAD_OK);
    assert_int_equal(store->contact_put(store->user, 1, NULL, NULL, "rec", 3), LEAD_OK);
    assert_int_equal(store->contact_put(store->user, 2, NULL, NULL, rec, v), LEAD_OK);
    assert_int_equal(lead_store_journal_compact(store), LEAD_OK);
    uint64_t bytes = 0, records = 0;
    lead_store_journal_info(store, &bytes, &records, NULL);
    lead_store_journal_close(store);
    long len[4], ops[4];
    assert_int_equal(read_records(path, len, ops, 4), 2);
    assert_int_equal(len[0], 28);
    assert_int_equal(ops[0], 1);
    assert_int_equal(len[1], 1048561);
    assert_int_equal(ops[1], 1);
    assert_int_equal(records, 2);
    assert_int_equal(bytes, 16 + 8 + 28 + 8 + 1048561);
    assert_int_equal(file_len(path), 1048621);
    assert_int_equal(lead_store_journal_open(&store, path, NULL), LEAD_OK);
    const void *got = NULL;
    size_t got_len = 0;
    assert_int_equal(store->contact_get(store->user, 1, &got, &got_len), LEAD_OK);
    assert_int_equal(got_len, 3);
    assert_memory_equal(got, "rec", 3);
    assert_int_equal(store->contact_get(store->user, 2, &got, &got_len), LEAD_OK);
    assert_int_equal(got_len, v);
    assert_memory_equal(got, rec, v);
    lead_store_journal_close(store);
    free(rec);
}

static void allocation_failures(void **state)
{
    (void)state;
    assert_true(lt_alloc_sweep(alloc_scenario, NULL, LEAD_OK) > 20);
}

/* A journal written by a library that stored version 1 event records reads
 * back next to the compact records written now. */
static void old_event_records_still_read(void **state)
{
    (void)state;
    lead_store *store = NULL;
    lead_engine *e = open_engine(&store);
    uint64_t id = 0;
    assert_int_equal(lead_contact_create(e, &id, "old@example.org", NULL, LEAD_DUPLICATE_REFUSE),
                     LEAD_OK);
    lead__mem mem;
    lead__mem_init(&mem, NULL);
    lead__rec_writer w;
    memset(&w, 0, sizeof w);
    w.mem = &mem;
    lead__rec_begin(&w, LEAD__REC_EVENT, 1);
    lead__rec_i64(&w, 1, 77);
    lead__rec_i64(&w, 2, (int64_t)id);
    lead__rec_i64(&w, 3, LEAD_EVENT_PURCHASE);
    lead__rec_i64(&w, 4, LEAD_CHANNEL_EMAIL);
    lead__rec_i64(&w, 5, LT_T0);
    lead__rec_i64(&w, 6, 4200);
    lead__rec_str(&w, 7, "USD");
    lead__rec_str(&w, 12, "spring");
    assert_int_equal(lead__rec_end(&w), LEAD_OK);
    assert_int_equal(store->event_append(store->user, id, LT_T0, NULL, w.buf, w.len), LEAD_OK);
    lead__rec_writer_free(&w);
    lead_engine_free(e);
    lead_store_journal_close(store);

    e = open_engine(&store);
    lead_event_input in;
    lead_event_input_init(&in, sizeof in);
    in.contact_id = id;
    in.type = LEAD_EVENT_PAGE_VIEW;
    in.channel = LEAD_CHANNEL_DIRECT;
    in.time_ms = LT_T0 + 1000;
    uint64_t event_id = 0;
    assert_int_equal(lead_track(e, &event_id, &in), LEAD_OK);
    lead_event_iter *it = NULL;
    assert_int_equal(lead_event_iter_new(&it, e, id, INT64_MIN), LEAD_OK);
    const lead_event *ev = NULL;
    uint64_t got_id = 0, got_contact = 0;
    int type = -1, channel = -1;
    int64_t value = 0;
    const char *currency = NULL, *campaign = NULL;
    assert_int_equal(lead_event_iter_next(it, &ev), LEAD_OK);
    lead_event_ids(ev, &got_id, &got_contact, &type, &channel);
    assert_int_equal(got_id, 77);
    assert_int_equal(got_contact, id);
    assert_int_equal(type, LEAD_EVENT_PURCHASE);
    assert_int_equal(channel, LEAD_CHANNEL_EMAIL);
    lead_event_value(ev, &value, &currency);
    assert_int_equal(value, 4200);
    assert_string_equal(currency, "USD");
    lead_event_string(ev, LEAD_EVENT_CAMPAIGN, &campaign);
    assert_string_equal(campaign, "spring");
    assert_int_equal(lead_event_iter_next(it, &ev), LEAD_OK);
    lead_event_ids(ev, &got_id, NULL, &type, &channel);
    assert_int_equal(got_id, event_id);
    assert_int_equal(type, LEAD_EVENT_PAGE_VIEW);
    assert_int_equal(channel, LEAD_CHANNEL_DIRECT);
    assert_int_equal(lead_event_iter_next(it, &ev), LEAD_ITEROVER);
    lead_event_iter_free(it);
    lead_engine_free(e);
    lead_store_journal_close(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(passes_the_conformance_suite_and_survives_restart, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(an_engine_survives_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(old_event_records_still_read, setup, teardown),
        cmocka_unit_test_setup_teardown(recovers_a_prefix_from_a_cut_at_every_byte, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(flipped_tail_bytes_lose_only_the_last_write, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(every_io_call_can_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(compaction_keeps_the_state, setup, teardown),
        cmocka_unit_test_setup_teardown(a_failed_compaction_leaves_no_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(options_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_stores_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(writes_over_the_record_limit_are_elimit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(allocation_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(compaction_keeps_a_record_at_the_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(compaction_batches_stay_within_the_batch_size, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
