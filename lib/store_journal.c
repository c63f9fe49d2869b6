/* The journal store: the in-memory store for reads, and every change written
 * to an append-only log (lib/journal.c) before it is acknowledged.
 *
 * Each log record is a batch: u32 op count, then the ops. A write outside a
 * transaction is a batch of one; a transaction's writes become one batch at
 * commit, so a crash keeps all of them or none. Every change is applied to
 * the memory store inside its own transaction first and committed there only
 * once its batch is in the log, so a failed write leaves both unchanged. */
#include "store_journal.h"
#include "store_memory.h"

#include <string.h>

enum op_kind { OP_PUT = 1, OP_DELETE = 2, OP_APPEND = 3, OP_META = 4, OP_IDEM = 5 };

#define NO_STRING UINT32_MAX
#define COMPACT_FLUSH_BYTES (1u << 20)

typedef struct buffer {
    uint8_t *bytes;
    size_t len, cap;
    uint32_t ops;
} buffer;

typedef struct journal_store {
    lead_store vtable; /* first: the lead_store * handed out is this struct */
    lead__mem mem;
    lead_store *inner;
    lead__journal log;
    int in_tx;
    buffer batch; /* starts with 4 bytes reserved for the op count */
} journal_store;

/* ---- encoding ----------------------------------------------------------------- */

static int reserve(const lead__mem *mem, buffer *b, size_t more)
{
    if (more > SIZE_MAX - b->len)
        return LEAD_ENOMEM;
    void *p = b->bytes;
    int rc = lead__grow(mem, &p, &b->cap, b->len + more, 1);
    if (rc == LEAD_OK)
        b->bytes = p;
    return rc;
}

static void put_raw(buffer *b, const void *p, size_t n)
{
    if (n)
        memcpy(b->bytes + b->len, p, n);
    b->len += n;
}

static void put_u32(buffer *b, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put_raw(b, le, 4);
}

static void put_u64(buffer *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

/* A string: u32 length (NO_STRING for NULL), its bytes and a NUL. */
static size_t string_size(const char *s)
{
    return 4 + (s ? strlen(s) + 1 : 0);
}

static void put_string(buffer *b, const char *s)
{
    if (!s) {
        put_u32(b, NO_STRING);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    put_raw(b, s, n + 1);
}

static void put_blob(buffer *b, const void *p, size_t n)
{
    put_u32(b, (uint32_t)n);
    put_raw(b, p, n);
}

static int too_long(const char *s)
{
    return s && strlen(s) >= NO_STRING;
}

/* Encoded sizes of the ops, as the encoders below write them. */
static size_t put_size(const char *email, const char *external_id, size_t len)
{
    return 1 + 8 + string_size(email) + string_size(external_id) + 4 + len;
}

static size_t append_size(const char *key, size_t len)
{
    return 1 + 8 + 8 + string_size(key) + 4 + len;
}

static size_t keyed_size(uint8_t kind, const char *key, size_t len)
{
    return 1 + string_size(key) + (kind == OP_IDEM ? 8 : 4 + len);
}

static int encode_put(const lead__mem *mem, buffer *b, uint64_t id, const char *email,
                      const char *external_id, const void *bytes, size_t len)
{
    if (len >= UINT32_MAX || too_long(email) || too_long(external_id))
        return LEAD_ELIMIT;
    int rc = reserve(mem, b, put_size(email, external_id, len));
    if (rc != LEAD_OK)
        return rc;
    put_raw(b, &(uint8_t){OP_PUT}, 1);
    put_u64(b, id);
    put_string(b, email);
    put_string(b, external_id);
    put_blob(b, bytes, len);
    b->ops++;
    return LEAD_OK;
}

static int encode_append(const lead__mem *mem, buffer *b, uint64_t id, int64_t time_ms,
                         const char *key, const void *bytes, size_t len)
{
    if (len >= UINT32_MAX || too_long(key))
        return LEAD_ELIMIT;
    int rc = reserve(mem, b, append_size(key, len));
    if (rc != LEAD_OK)
        return rc;
    put_raw(b, &(uint8_t){OP_APPEND}, 1);
    put_u64(b, id);
    put_u64(b, (uint64_t)time_ms);
    put_string(b, key);
    put_blob(b, bytes, len);
    b->ops++;
    return LEAD_OK;
}

static int encode_keyed(const lead__mem *mem, buffer *b, uint8_t kind, const char *key,
                        uint64_t id, const void *bytes, size_t len)
{
    if (len >= UINT32_MAX || too_long(key))
        return LEAD_ELIMIT;
    int rc = reserve(mem, b, keyed_size(kind, key, len));
    if (rc != LEAD_OK)
        return rc;
    put_raw(b, &kind, 1);
    put_string(b, key);
    if (kind == OP_IDEM)
        put_u64(b, id);
    else
        put_blob(b, bytes, len);
    b->ops++;
    return LEAD_OK;
}

static int encode_delete(const lead__mem *mem, buffer *b, uint64_t id)
{
    int rc = reserve(mem, b, 9);
    if (rc != LEAD_OK)
        return rc;
    put_raw(b, &(uint8_t){OP_DELETE}, 1);
    put_u64(b, id);
    b->ops++;
    return LEAD_OK;
}

/* Writes the op count in front and appends the batch as one log record. */
static int append_batch(lead__journal *log, buffer *b)
{
    b->bytes[0] = (uint8_t)b->ops;
    b->bytes[1] = (uint8_t)(b->ops >> 8);
    b->bytes[2] = (uint8_t)(b->ops >> 16);
    b->bytes[3] = (uint8_t)(b->ops >> 24);
    return lead__journal_append(log, b->bytes, b->len);
}

static void batch_reset(buffer *b)
{
    b->len = 4;
    b->ops = 0;
}

/* ---- decoding and replay ------------------------------------------------------ */

typedef struct reader {
    const uint8_t *p;
    size_t left;
    int bad;
} reader;

static const uint8_t *take(reader *r, size_t n)
{
    if (r->bad || n > r->left) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

static uint32_t get_u32(reader *r)
{
    const uint8_t *p = take(r, 4);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
             : 0;
}

static uint64_t get_u64(reader *r)
{
    uint64_t lo = get_u32(r);
    return lo | (uint64_t)get_u32(r) << 32;
}

static const char *get_string(reader *r)
{
    uint32_t n = get_u32(r);
    if (r->bad || n == NO_STRING)
        return NULL;
    const uint8_t *p = take(r, (size_t)n + 1);
    if (!p || p[n] != '\0' || memchr(p, '\0', n)) {
        r->bad = 1;
        return NULL;
    }
    return (const char *)p;
}

static const void *get_blob(reader *r, size_t *out_len)
{
    uint32_t n = get_u32(r);
    *out_len = n;
    return take(r, n);
}

static int apply_op(lead_store *in, reader *r)
{
    const uint8_t *kind = take(r, 1);
    if (!kind)
        return LEAD_ECORRUPT;
    size_t len = 0;
    switch (*kind) {
    case OP_PUT: {
        uint64_t id = get_u64(r);
        const char *email = get_string(r), *external = get_string(r);
        const void *bytes = get_blob(r, &len);
        return r->bad ? LEAD_ECORRUPT
                      : in->contact_put(in->user, id, email, external, bytes, len);
    }
    case OP_DELETE: {
        uint64_t id = get_u64(r);
        return r->bad ? LEAD_ECORRUPT : in->contact_delete(in->user, id);
    }
    case OP_APPEND: {
        uint64_t id = get_u64(r);
        int64_t time_ms = (int64_t)get_u64(r);
        const char *key = get_string(r);
        const void *bytes = get_blob(r, &len);
        return r->bad ? LEAD_ECORRUPT
                      : in->event_append(in->user, id, time_ms, key, bytes, len);
    }
    case OP_META: {
        const char *key = get_string(r);
        const void *bytes = get_blob(r, &len);
        return r->bad || !key ? LEAD_ECORRUPT : in->meta_put(in->user, key, bytes, len);
    }
    case OP_IDEM: {
        const char *key = get_string(r);
        uint64_t id = get_u64(r);
        return r->bad || !key ? LEAD_ECORRUPT : lead__store_memory_add_idem_key(in, key, id);
    }
    default:
        return LEAD_ECORRUPT;
    }
}

static int replay_batch(void *ctx, const uint8_t *payload, size_t len)
{
    lead_store *in = ctx;
    reader r = {payload, len, 0};
    uint32_t ops = get_u32(&r);
    if (r.bad || ops == 0)
        return LEAD_ECORRUPT;
    int rc = in->begin(in->user);
    for (uint32_t i = 0; rc == LEAD_OK && i < ops; i++)
        rc = apply_op(in, &r);
    if (rc == LEAD_OK && r.left != 0)
        rc = LEAD_ECORRUPT;
    if (rc != LEAD_OK) {
        in->rollback(in->user);
        /* A record that passed its checksum but does not apply was not
         * written by this library: refuse the file rather than guess. */
        return rc == LEAD_ENOMEM ? rc : LEAD_ECORRUPT;
    }
    return in->commit(in->user);
}

/* ---- the store callbacks ------------------------------------------------------ */

/* What a failed log append reports: a batch over the record size limit is
 * LEAD_ELIMIT (nothing was written), anything else an I/O failure. */
static int log_status(int rc)
{
    return rc == LEAD_ELIMIT ? LEAD_ELIMIT : LEAD_ESTORE;
}

/* Runs after an op was encoded into the batch and applied (status rc) to the
 * memory store: outside a transaction, logs it and commits or undoes it. */
static int finish_op(journal_store *s, size_t mark, uint32_t ops_mark, int rc)
{
    lead_store *in = s->inner;
    if (rc != LEAD_OK) {
        s->batch.len = mark;
        s->batch.ops = ops_mark;
        if (!s->in_tx)
            in->rollback(in->user);
        return rc;
    }
    if (s->in_tx)
        return LEAD_OK;
    rc = append_batch(&s->log, &s->batch);
    batch_reset(&s->batch);
    if (rc != LEAD_OK) {
        in->rollback(in->user);
        return log_status(rc);
    }
    return in->commit(in->user);
}

/* Opens the memory store's transaction for a single write outside one. */
static int start_op(journal_store *s, size_t mark, uint32_t ops_mark, int encoded)
{
    int rc = encoded;
    if (rc == LEAD_OK && !s->in_tx)
        rc = s->inner->begin(s->inner->user);
    if (rc != LEAD_OK) {
        s->batch.len = mark;
        s->batch.ops = ops_mark;
    }
    return rc;
}

static int j_contact_put(void *user, uint64_t id, const char *email, const char *external_id,
                         const void *bytes, size_t len)
{
    journal_store *s = user;
    size_t mark = s->batch.len;
    uint32_t ops = s->batch.ops;
    int rc = start_op(s, mark, ops,
                      encode_put(&s->mem, &s->batch, id, email, external_id, bytes, len));
    if (rc != LEAD_OK)
        return rc;
    rc = s->inner->contact_put(s->inner->user, id, email, external_id, bytes, len);
    return finish_op(s, mark, ops, rc);
}

static int j_contact_delete(void *user, uint64_t id)
{
    journal_store *s = user;
    size_t mark = s->batch.len;
    uint32_t ops = s->batch.ops;
    int rc = start_op(s, mark, ops, encode_delete(&s->mem, &s->batch, id));
    if (rc != LEAD_OK)
        return rc;
    return finish_op(s, mark, ops, s->inner->contact_delete(s->inner->user, id));
}

static int j_event_append(void *user, uint64_t contact_id, int64_t time_ms, const char *idem_key,
                          const void *bytes, size_t len)
{
    journal_store *s = user;
    size_t mark = s->batch.len;
    uint32_t ops = s->batch.ops;
    int rc = start_op(s, mark, ops,
                      encode_append(&s->mem, &s->batch, contact_id, time_ms, idem_key, bytes, len));
    if (rc != LEAD_OK)
        return rc;
    rc = s->inner->event_append(s->inner->user, contact_id, time_ms, idem_key, bytes, len);
    return finish_op(s, mark, ops, rc);
}

static int j_meta_put(void *user, const char *key, const void *bytes, size_t len)
{
    journal_store *s = user;
    if (!key)
        return LEAD_EINVAL;
    size_t mark = s->batch.len;
    uint32_t ops = s->batch.ops;
    int rc = start_op(s, mark, ops, encode_keyed(&s->mem, &s->batch, OP_META, key, 0, bytes, len));
    if (rc != LEAD_OK)
        return rc;
    return finish_op(s, mark, ops, s->inner->meta_put(s->inner->user, key, bytes, len));
}

static int j_begin(void *user)
{
    journal_store *s = user;
    if (s->in_tx)
        return LEAD_ESTATE;
    int rc = s->inner->begin(s->inner->user);
    if (rc == LEAD_OK) {
        s->in_tx = 1;
        batch_reset(&s->batch);
    }
    return rc;
}

static int j_commit(void *user)
{
    journal_store *s = user;
    if (!s->in_tx)
        return LEAD_ESTATE;
    int rc = s->batch.ops ? append_batch(&s->log, &s->batch) : LEAD_OK;
    batch_reset(&s->batch);
    s->in_tx = 0;
    if (rc != LEAD_OK) {
        s->inner->rollback(s->inner->user);
        return log_status(rc);
    }
    return s->inner->commit(s->inner->user);
}

static int j_rollback(void *user)
{
    journal_store *s = user;
    if (!s->in_tx)
        return LEAD_ESTATE;
    batch_reset(&s->batch);
    s->in_tx = 0;
    return s->inner->rollback(s->inner->user);
}

/* Reads go straight to the memory store. */
static int j_contact_get(void *user, uint64_t id, const void **out_bytes, size_t *out_len)
{
    lead_store *in = ((journal_store *)user)->inner;
    return in->contact_get(in->user, id, out_bytes, out_len);
}

static int j_find_email(void *user, const char *email, uint64_t *out_id)
{
    lead_store *in = ((journal_store *)user)->inner;
    return in->contact_find_email(in->user, email, out_id);
}

static int j_find_external(void *user, const char *external_id, uint64_t *out_id)
{
    lead_store *in = ((journal_store *)user)->inner;
    return in->contact_find_external(in->user, external_id, out_id);
}

static int j_contact_scan(void *user, lead_store_contact_fn fn, void *scan_user)
{
    lead_store *in = ((journal_store *)user)->inner;
    return in->contact_scan(in->user, fn, scan_user);
}

static int j_event_scan(void *user, uint64_t contact_id, int64_t from_ms, lead_store_event_fn fn,
                        void *scan_user)
{
    lead_store *in = ((journal_store *)user)->inner;
    return in->event_scan(in->user, contact_id, from_ms, fn, scan_user);
}

static int j_event_find_key(void *user, const char *idem_key)
{
    lead_store *in = ((journal_store *)user)->inner;
    return in->event_find_key(in->user, idem_key);
}

static int j_meta_get(void *user, const char *key, const void **out_bytes, size_t *out_len)
{
    lead_store *in = ((journal_store *)user)->inner;
    return in->meta_get(in->user, key, out_bytes, out_len);
}

/* ---- open, compact, close ----------------------------------------------------- */

int lead_journal_options_init(lead_journal_options *opts, uint32_t struct_size)
{
    lead_journal_options init = LEAD_JOURNAL_OPTIONS_INIT;
    return lead__init_versioned(opts, struct_size, &init, sizeof init);
}

static void fill_vtable(journal_store *s)
{
    lead_store_init(&s->vtable, sizeof s->vtable);
    s->vtable.user = s;
    s->vtable.contact_put = j_contact_put;
    s->vtable.contact_get = j_contact_get;
    s->vtable.contact_delete = j_contact_delete;
    s->vtable.contact_find_email = j_find_email;
    s->vtable.contact_find_external = j_find_external;
    s->vtable.contact_scan = j_contact_scan;
    s->vtable.event_append = j_event_append;
    s->vtable.event_scan = j_event_scan;
    s->vtable.event_find_key = j_event_find_key;
    s->vtable.meta_put = j_meta_put;
    s->vtable.meta_get = j_meta_get;
    s->vtable.begin = j_begin;
    s->vtable.commit = j_commit;
    s->vtable.rollback = j_rollback;
}

static void free_store(journal_store *s)
{
    lead__mem mem = s->mem;
    lead_store_memory_free(s->inner);
    lead__free(&mem, s->batch.bytes);
    lead__free(&mem, s);
}

int lead__store_journal_open_io(lead_store **out, const char *path,
                                const lead_journal_options *opts, const lead__journal_io *io)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!path || !*path)
        return LEAD_EINVAL;
    lead_journal_options o = LEAD_JOURNAL_OPTIONS_INIT;
    if (opts) {
        int rc = lead__copy_versioned(&o, sizeof o, opts, LEAD_JOURNAL_OPTIONS_VERSION);
        if (rc != LEAD_OK)
            return rc;
    }
    if (o.sync < LEAD_JOURNAL_SYNC_ALWAYS || o.sync > LEAD_JOURNAL_SYNC_NONE ||
        o.batch_commits == 0)
        return LEAD_EINVAL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, o.allocator);
    if (rc != LEAD_OK)
        return rc;
    journal_store *s = lead__calloc(&mem, 1, sizeof *s);
    if (!s)
        return LEAD_ENOMEM;
    s->mem = mem;
    s->log.fd = -1;
    rc = lead_store_memory_new(&s->inner, o.allocator);
    if (rc == LEAD_OK)
        rc = reserve(&mem, &s->batch, 4);
    if (rc == LEAD_OK) {
        batch_reset(&s->batch);
        rc = lead__journal_open(&s->log, &mem, io, path, o.sync, o.batch_commits, replay_batch,
                                s->inner);
    }
    if (rc != LEAD_OK) {
        free_store(s);
        return rc;
    }
    fill_vtable(s);
    *out = &s->vtable;
    return LEAD_OK;
}

int lead_store_journal_open(lead_store **out, const char *path, const lead_journal_options *opts)
{
    return lead__store_journal_open_io(out, path, opts, NULL);
}

/* Compaction writes the dump as batches of about COMPACT_FLUSH_BYTES: a batch
 * holds several ops only while it stays within COMPACT_FLUSH_BYTES, and an op
 * bigger than that gets a batch of its own. Such an op was accepted before as
 * (part of) one record, so its own batch is within the record limit too. */
typedef struct compactor {
    journal_store *s;
    lead__journal *fresh;
    buffer out;
} compactor;

static int flush_some(compactor *c, int force)
{
    if (c->out.ops == 0 || (!force && c->out.len < COMPACT_FLUSH_BYTES))
        return LEAD_OK;
    int rc = append_batch(c->fresh, &c->out);
    batch_reset(&c->out);
    return rc;
}

/* Before adding an op of op_size bytes: writes the pending batch out first if
 * the op would take it past COMPACT_FLUSH_BYTES. (A batch holding ops is
 * always below COMPACT_FLUSH_BYTES here: flush_some() writes it once it
 * reaches that.) */
static int make_room(compactor *c, size_t op_size)
{
    if (c->out.ops && op_size > COMPACT_FLUSH_BYTES - c->out.len)
        return flush_some(c, 1);
    return LEAD_OK;
}

static int dump_contact(void *ctx, uint64_t id, const char *email, const char *external_id,
                        const void *record, size_t len)
{
    compactor *c = ctx;
    int rc = make_room(c, put_size(email, external_id, len));
    if (rc == LEAD_OK)
        rc = encode_put(&c->s->mem, &c->out, id, email, external_id, record, len);
    return rc == LEAD_OK ? flush_some(c, 0) : rc;
}

static int dump_event(void *ctx, uint64_t id, int64_t time_ms, const void *bytes, size_t len)
{
    compactor *c = ctx;
    int rc = make_room(c, append_size(NULL, len));
    if (rc == LEAD_OK)
        rc = encode_append(&c->s->mem, &c->out, id, time_ms, NULL, bytes, len);
    return rc == LEAD_OK ? flush_some(c, 0) : rc;
}

static int dump_idem(void *ctx, const char *key, uint64_t contact_id)
{
    compactor *c = ctx;
    int rc = make_room(c, keyed_size(OP_IDEM, key, 0));
    if (rc == LEAD_OK)
        rc = encode_keyed(&c->s->mem, &c->out, OP_IDEM, key, contact_id, NULL, 0);
    return rc == LEAD_OK ? flush_some(c, 0) : rc;
}

static int dump_meta(void *ctx, const char *key, const void *bytes, size_t len)
{
    compactor *c = ctx;
    int rc = make_room(c, keyed_size(OP_META, key, len));
    if (rc == LEAD_OK)
        rc = encode_keyed(&c->s->mem, &c->out, OP_META, key, 0, bytes, len);
    return rc == LEAD_OK ? flush_some(c, 0) : rc;
}

static int emit_state(void *ctx, lead__journal *fresh)
{
    compactor *c = ctx;
    c->fresh = fresh;
    lead__store_dump dump = {c, dump_contact, dump_event, dump_idem, dump_meta};
    int rc = lead__store_memory_dump(c->s->inner, &dump);
    return rc == LEAD_OK ? flush_some(c, 1) : rc;
}

/* store when it is a journal store (recognised by its vtable, and the handle
 * being the struct itself, as lead__store_journal_open_io makes it); NULL
 * for NULL or any other store. Reads no field past a smaller caller struct. */
static journal_store *as_journal(lead_store *store)
{
    if (!store || store->struct_size != sizeof(lead_store) ||
        store->contact_get != j_contact_get || store->user != store)
        return NULL;
    return (journal_store *)store;
}

int lead_store_journal_compact(lead_store *store)
{
    journal_store *s = as_journal(store);
    if (!s)
        return LEAD_EINVAL;
    if (s->in_tx)
        return LEAD_ESTATE;
    compactor c = {s, NULL, {NULL, 0, 0, 0}};
    int rc = reserve(&s->mem, &c.out, 4);
    if (rc == LEAD_OK) {
        batch_reset(&c.out);
        rc = lead__journal_compact(&s->log, emit_state, &c);
    }
    lead__free(&s->mem, c.out.bytes);
    return rc == LEAD_ENOMEM || rc == LEAD_OK ? rc : LEAD_ESTORE;
}

int lead_store_journal_flush(lead_store *store)
{
    journal_store *s = as_journal(store);
    if (!s)
        return LEAD_EINVAL;
    return lead__journal_flush(&s->log);
}

int lead_store_journal_info(const lead_store *store, uint64_t *out_bytes, uint64_t *out_records,
                            uint64_t *out_truncated)
{
    const journal_store *s = as_journal((lead_store *)store);
    if (!s)
        return LEAD_EINVAL;
    if (out_bytes)
        *out_bytes = s->log.size;
    if (out_records)
        *out_records = s->log.records;
    if (out_truncated)
        *out_truncated = s->log.truncated;
    return LEAD_OK;
}

void lead_store_journal_close(lead_store *store)
{
    journal_store *s = as_journal(store);
    if (!s)
        return;
    if (s->in_tx)
        j_rollback(s);
    lead__journal_close(&s->log);
    free_store(s);
}

lead_store *lead__store_journal_inner(lead_store *store)
{
    return ((journal_store *)store)->inner;
}
