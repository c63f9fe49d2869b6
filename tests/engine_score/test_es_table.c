/* The table of kept scoring entries: dense ids sit in their own slots,
 * sparse and colliding ids are still found, removal keeps every remaining
 * entry reachable, slots are cache-line aligned, growth keeps the load at
 * most 7/8, and an allocation failure leaves the table as it was. Checked
 * against a plain list of which ids are in. */
#include "lead_test.h"
#include "engine_score.h"

#include <string.h>

#define MAX_IDS 4096

typedef struct model {
    lead__mem mem;
    lt_failalloc fa;
    lead__es_table t;
    uint64_t ids[MAX_IDS];
    int in[MAX_IDS];
    size_t n;
} model;

static void model_up(model *m)
{
    memset(m, 0, sizeof *m);
    lt_failalloc_init(&m->fa);
    assert_int_equal(lead__mem_init(&m->mem, &m->fa.alloc), LEAD_OK);
}

static void model_down(model *m)
{
    lead__es_table_clear(&m->mem, &m->t);
    assert_int_equal(m->fa.live, 0);
}

static void add(model *m, uint64_t id)
{
    lead__es_entry *e = lead__es_table_insert(&m->mem, &m->t, id);
    assert_non_null(e);
    assert_int_equal(e->id, id);
    e->seen = id ^ 0x5555; /* a payload to find again */
    m->ids[m->n] = id;
    m->in[m->n++] = 1;
}

static void check(const model *m)
{
    size_t count = 0;
    for (size_t i = 0; i < m->n; i++) {
        const lead__es_entry *e = lead__es_table_find(&m->t, m->ids[i]);
        if (!m->in[i]) {
            assert_null(e);
            continue;
        }
        count++;
        assert_non_null(e);
        assert_int_equal(e->id, m->ids[i]);
        assert_int_equal(e->seen, m->ids[i] ^ 0x5555);
    }
    assert_int_equal(m->t.count, count);
    assert_true(count <= m->t.nslots / 8 * 7);
    assert_int_equal((uintptr_t)m->t.slots % 64, 0);
}

static void dense_ids_need_no_probing(void **state)
{
    (void)state;
    model m;
    model_up(&m);
    for (uint64_t id = 1; id <= 1000; id++)
        add(&m, id);
    check(&m);
    assert_int_equal(m.t.nslots, 2048); /* 1000 > 1024 * 7/8 */
    /* Consecutive ids, consecutive slots: a contact's neighbours are its
     * neighbours in memory. */
    for (uint64_t id = 1; id <= 1000; id++)
        assert_int_equal(lead__es_table_find(&m.t, id) - m.t.slots, id);
    model_down(&m);
}

/* Ids that share their low bits (multiples of 2^20, of 2^40, of 1025, the
 * largest) all land on few home slots when only the low bits count; all
 * must still be found and removable. */
static void sparse_and_colliding_ids(void **state)
{
    (void)state;
    model m;
    model_up(&m);
    for (uint64_t k = 1; k <= 300; k++) {
        add(&m, k << 20);
        add(&m, k << 40);
        add(&m, k * 1025);
        add(&m, UINT64_MAX - k);
    }
    check(&m);
    /* Remove every third in insertion order: the backward shift must keep
     * every later member of each run reachable. */
    for (size_t i = 0; i < m.n; i += 3) {
        lead__es_table_remove(&m.mem, &m.t, m.ids[i]);
        m.in[i] = 0;
    }
    check(&m);
    lead__es_table_remove(&m.mem, &m.t, 12345); /* absent: nothing happens */
    check(&m);
    for (size_t i = 0; i < m.n; i += 3) {
        lead__es_entry *e = lead__es_table_insert(&m.mem, &m.t, m.ids[i]);
        assert_non_null(e);
        e->seen = m.ids[i] ^ 0x5555;
        m.in[i] = 1;
    }
    check(&m);
    model_down(&m);
}

static void a_failed_growth_keeps_the_table(void **state)
{
    (void)state;
    model m;
    model_up(&m);
    for (uint64_t id = 1; id <= 7; id++)
        add(&m, id * 3);
    assert_int_equal(m.t.nslots, 8);
    lt_failalloc_arm(&m.fa, 0);
    assert_null(lead__es_table_insert(&m.mem, &m.t, 99)); /* 8 > 8 * 7/8: must grow */
    lt_failalloc_arm(&m.fa, -1);
    check(&m);
    assert_int_equal(m.t.nslots, 8);
    add(&m, 99);
    check(&m);
    assert_int_equal(m.t.nslots, 16);
    model_down(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dense_ids_need_no_probing),
        cmocka_unit_test(sparse_and_colliding_ids),
        cmocka_unit_test(a_failed_growth_keeps_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
