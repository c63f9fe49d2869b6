/* Labelled examples for predictive fit: contacts as name/value attributes
 * with a 0/1 label. */
#include "score.h"

int lead_score_examples_new(lead_score_examples **out, const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_score_examples *ex = lead__calloc(&mem, 1, sizeof *ex);
    if (!ex)
        return LEAD_ENOMEM;
    ex->mem = mem;
    *out = ex;
    return LEAD_OK;
}

void lead_score_examples_free(lead_score_examples *ex)
{
    if (!ex)
        return;
    lead__mem mem = ex->mem;
    lead__score_pairs_free(&mem, ex->attrs, ex->nattrs);
    lead__free(&mem, ex->labels);
    lead__free(&mem, ex->first);
    lead__free(&mem, ex);
}

int lead_score_examples_add(lead_score_examples *ex, int label)
{
    if (!ex || (label != 0 && label != 1))
        return LEAD_EINVAL;
    if (lead__grow(&ex->mem, (void **)&ex->labels, &ex->cap_labels, ex->n + 1,
                   sizeof *ex->labels) != LEAD_OK ||
        lead__grow(&ex->mem, (void **)&ex->first, &ex->cap_first, ex->n + 2,
                   sizeof *ex->first) != LEAD_OK)
        return LEAD_ENOMEM;
    ex->labels[ex->n] = (unsigned char)label;
    ex->first[ex->n] = ex->nattrs;
    ex->first[ex->n + 1] = ex->nattrs;
    ex->n++;
    return LEAD_OK;
}

int lead_score_examples_set(lead_score_examples *ex, const char *name, const char *value)
{
    if (!ex || !name || !value || ex->n == 0)
        return LEAD_EINVAL;
    int rc = lead__score_pair_push(&ex->mem, &ex->attrs, &ex->nattrs, &ex->cap_attrs, name, value);
    if (rc == LEAD_OK)
        ex->first[ex->n] = ex->nattrs;
    return rc;
}

int lead_score_examples_count(const lead_score_examples *ex, size_t *out_count)
{
    if (!ex || !out_count)
        return LEAD_EINVAL;
    *out_count = ex->n;
    return LEAD_OK;
}

static int example_lookup(void *user, const char *name, const char **out_value)
{
    const lead__example_ref *ref = user;
    const lead_score_examples *ex = ref->ex;
    size_t first = ex->first[ref->index], end = ex->first[ref->index + 1];
    /* An example without attributes may come before any was stored. */
    return end > first &&
           lead__score_pairs_find(ex->attrs + first, end - first, name, out_value);
}

void lead__score_example_contact(lead__score_contact *out, lead__example_ref *ref)
{
    out->user = ref;
    out->lookup = example_lookup;
}
