/* Attribution models and results: options, the kind table, the run driver. */
#include "attribution.h"
#include "utf8.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Every known kind and its name. A kind no provider implements is
 * reserved: lead_attribution_model_new() refuses it. */
static const struct {
    uint32_t kind;
    const char *name;
} kinds[] = {
    {LEAD_ATTRIBUTION_FIRST_TOUCH, "first"},
    {LEAD_ATTRIBUTION_LAST_TOUCH, "last"},
    {LEAD_ATTRIBUTION_LAST_NON_DIRECT, "last-non-direct"},
    {LEAD_ATTRIBUTION_LEAD_CREATION, "lead-creation"},
    {LEAD_ATTRIBUTION_LINEAR, "linear"},
    {LEAD_ATTRIBUTION_U_SHAPED, "u-shaped"},
    {LEAD_ATTRIBUTION_W_SHAPED, "w-shaped"},
    {LEAD_ATTRIBUTION_FULL_PATH, "full-path"},
    {LEAD_ATTRIBUTION_J_SHAPED, "j-shaped"},
    {LEAD_ATTRIBUTION_INVERSE_J, "inverse-j"},
    {LEAD_ATTRIBUTION_CUSTOM_POSITION, "custom"},
    {LEAD_ATTRIBUTION_TIME_DECAY, "time-decay"},
    {LEAD_ATTRIBUTION_MARKOV, "markov"},
    {LEAD_ATTRIBUTION_SHAPLEY, "shapley"},
    {LEAD_ATTRIBUTION_SHAPLEY_ORDERED, "shapley-ordered"},
};
#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

int lead_attribution_kind_name(uint32_t kind, const char **out_name)
{
    if (!out_name)
        return LEAD_EINVAL;
    for (size_t i = 0; i < KIND_COUNT; i++)
        if (kinds[i].kind == kind) {
            *out_name = kinds[i].name;
            return LEAD_OK;
        }
    return LEAD_ENOTFOUND;
}

int lead_attribution_kind_from_name(const char *name, uint32_t *out_kind)
{
    if (!name || !out_kind)
        return LEAD_EINVAL;
    for (size_t i = 0; i < KIND_COUNT; i++)
        if (strcmp(kinds[i].name, name) == 0) {
            *out_kind = kinds[i].kind;
            return LEAD_OK;
        }
    return LEAD_ENOTFOUND;
}

static const lead__attribution_kind *(*const providers[])(uint32_t kind) = {
    lead__attribution_rules_kind,
    lead__attribution_position_kind,
    lead__attribution_time_decay_kind,
    lead__attribution_markov_kind,
    lead__attribution_shapley_kind,
};

const lead__attribution_kind *lead__attribution_pick(const lead__attribution_kind *const *mine,
                                                     size_t n, uint32_t kind)
{
    for (size_t i = 0; i < n; i++)
        if (mine[i]->kind == kind)
            return mine[i];
    return NULL;
}

static const lead__attribution_kind *ops_of(uint32_t kind)
{
    for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++) {
        const lead__attribution_kind *ops = providers[i](kind);
        if (ops)
            return ops;
    }
    return NULL;
}

int lead__attribution_fail(lead_attribution_result *result, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(result->errmsg, sizeof result->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

static int model_fail(lead_attribution_model *model, int code, const char *msg)
{
    snprintf(model->errmsg, sizeof model->errmsg, "%s", msg);
    return code;
}

/* ---- models ----------------------------------------------------------- */

int lead_attribution_model_new(lead_attribution_model **out, uint32_t kind,
                               const lead_allocator *alloc)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    const lead__attribution_kind *ops = ops_of(kind);
    if (!ops)
        return LEAD_ENOTFOUND;
    lead__mem mem;
    int rc = lead__mem_init(&mem, alloc);
    if (rc != LEAD_OK)
        return rc;
    lead_attribution_model *model = lead__calloc(&mem, 1, sizeof *model);
    if (!model)
        return LEAD_ENOMEM;
    model->mem = mem;
    model->ops = ops;
    model->opts.kind = kind;
    memcpy(model->opts.direct, LEAD_ATTRIBUTION_DEFAULT_DIRECT,
           sizeof LEAD_ATTRIBUTION_DEFAULT_DIRECT);
    if (ops->default_position)
        memcpy(model->opts.position, ops->default_position, sizeof model->opts.position);
    model->opts.half_life_ms = LEAD_ATTRIBUTION_DEFAULT_HALF_LIFE_MS;
    model->opts.order = 1;
    *out = model;
    return LEAD_OK;
}

void lead_attribution_model_free(lead_attribution_model *model)
{
    if (!model)
        return;
    lead__mem mem = model->mem;
    lead__free(&mem, model);
}

int lead_attribution_model_kind(const lead_attribution_model *model, uint32_t *out_kind)
{
    if (!model || !out_kind)
        return LEAD_EINVAL;
    *out_kind = model->opts.kind;
    return LEAD_OK;
}

const char *lead_attribution_model_errmsg(const lead_attribution_model *model)
{
    return model ? model->errmsg : "no attribution model (NULL handle)";
}

int lead_attribution_model_set_direct_channel(lead_attribution_model *model, const char *name)
{
    if (!model || !name)
        return LEAD_EINVAL;
    size_t len = strlen(name);
    if (len == 0)
        return model_fail(model, LEAD_EINVAL, "empty direct channel name");
    if (len > LEAD_NAME_MAX)
        return model_fail(model, LEAD_ETOOLONG, "direct channel name too long");
    if (!lead__utf8_valid(name, len))
        return model_fail(model, LEAD_EUTF8, "direct channel name is not valid UTF-8");
    memcpy(model->opts.direct, name, len + 1);
    return LEAD_OK;
}

int lead_attribution_model_set_position_weight(lead_attribution_model *model, uint32_t position,
                                               double weight)
{
    if (!model)
        return LEAD_EINVAL;
    if (!model->ops->default_position)
        return model_fail(model, LEAD_EINVAL, "not a position-based model");
    if (position >= LEAD_POSITION_COUNT || !isfinite(weight) || weight < 0)
        return model_fail(model, LEAD_EINVAL, "bad position or weight");
    model->opts.position[position] = weight;
    return LEAD_OK;
}

int lead_attribution_model_position_weight(const lead_attribution_model *model,
                                           uint32_t position, double *out_weight)
{
    if (!model || !out_weight || position >= LEAD_POSITION_COUNT)
        return LEAD_EINVAL;
    *out_weight = model->opts.position[position];
    return LEAD_OK;
}

int lead_attribution_model_set_half_life(lead_attribution_model *model, int64_t half_life_ms)
{
    if (!model)
        return LEAD_EINVAL;
    if (half_life_ms <= 0)
        return model_fail(model, LEAD_EINVAL, "half-life must be > 0");
    model->opts.half_life_ms = half_life_ms;
    return LEAD_OK;
}

int lead_attribution_model_set_order(lead_attribution_model *model, uint32_t order)
{
    if (!model)
        return LEAD_EINVAL;
    if (order == 0)
        return model_fail(model, LEAD_EINVAL, "order must be >= 1");
    model->opts.order = order;
    return LEAD_OK;
}

/* ---- results ---------------------------------------------------------- */

void lead_attribution_result_free(lead_attribution_result *result)
{
    if (!result)
        return;
    lead__mem mem = result->mem;
    if (result->state && result->free_state)
        result->free_state(&mem, result->state);
    lead__free(&mem, result->channel_conversions);
    lead__free(&mem, result->channel_value);
    lead__free(&mem, result->campaign_conversions);
    lead__free(&mem, result->campaign_value);
    lead__free(&mem, result->names);
    lead__free(&mem, result->name_offset);
    lead__free(&mem, result);
}

/* Copies every channel and campaign name of set into one block. */
static int copy_names(lead_attribution_result *res, const lead_journey_set *set)
{
    size_t n = res->channel_count + res->campaign_count, bytes = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = i < res->channel_count
                               ? lead__intern_name(&set->channels, (uint32_t)i)
                               : lead__intern_name(&set->campaigns,
                                                   (uint32_t)(i - res->channel_count));
        bytes += strlen(name) + 1;
    }
    res->name_offset = lead__calloc(&res->mem, n ? n : 1, sizeof *res->name_offset);
    res->names = lead__malloc(&res->mem, bytes ? bytes : 1);
    if (!res->name_offset || !res->names)
        return LEAD_ENOMEM;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = i < res->channel_count
                               ? lead__intern_name(&set->channels, (uint32_t)i)
                               : lead__intern_name(&set->campaigns,
                                                   (uint32_t)(i - res->channel_count));
        size_t len = strlen(name) + 1;
        memcpy(res->names + at, name, len);
        res->name_offset[i] = at;
        at += len;
    }
    return LEAD_OK;
}

static int result_new(lead_attribution_result **out, const lead_attribution_model *model,
                      const lead_journey_set *set)
{
    lead_attribution_result *res = lead__calloc(&model->mem, 1, sizeof *res);
    if (!res)
        return LEAD_ENOMEM;
    res->mem = model->mem;
    res->ops = model->ops;
    res->opts = model->opts;
    res->channel_count = set->channels.count;
    res->campaign_count = set->campaigns.count;
    res->journey_count = set->journey_count;
    size_t nch = res->channel_count ? res->channel_count : 1;
    size_t nca = res->campaign_count ? res->campaign_count : 1;
    res->channel_conversions = lead__calloc(&res->mem, nch, sizeof(double));
    res->channel_value = lead__calloc(&res->mem, nch, sizeof(double));
    res->campaign_conversions = lead__calloc(&res->mem, nca, sizeof(double));
    res->campaign_value = lead__calloc(&res->mem, nca, sizeof(double));
    if (!res->channel_conversions || !res->channel_value || !res->campaign_conversions ||
        !res->campaign_value || copy_names(res, set) != LEAD_OK) {
        lead_attribution_result_free(res);
        return LEAD_ENOMEM;
    }
    for (size_t j = 0; j < set->journey_count; j++) {
        res->total_conversions += set->conversions[j];
        res->total_value += set->value[j];
    }
    *out = res;
    return LEAD_OK;
}

static size_t longest_journey(const lead_journey_set *set)
{
    size_t longest = 0;
    for (size_t j = 0; j < set->journey_count; j++) {
        size_t n = lead__journey_end(set, j) - lead__journey_first(set, j);
        if (n > longest)
            longest = n;
    }
    return longest;
}

/* The per-journey driver: credit = share x journey conversions (and value). */
static int run_by_shares(lead_attribution_result *res, const lead_journey_set *set)
{
    double *shares = lead__calloc(&res->mem, longest_journey(set) + 1, sizeof *shares);
    if (!shares)
        return LEAD_ENOMEM;
    int rc = LEAD_OK;
    for (size_t j = 0; j < set->journey_count && rc == LEAD_OK; j++) {
        double conv = set->conversions[j], value = set->value[j];
        if (conv == 0 && value == 0)
            continue;
        const char *why = "bad journey";
        rc = res->ops->touch_shares(res, set, j, shares, &why);
        if (rc != LEAD_OK) {
            rc = lead__attribution_fail(res, rc, "journey %zu: %s", j, why);
            break;
        }
        size_t first = lead__journey_first(set, j), n = lead__journey_end(set, j) - first;
        double given = 0;
        for (size_t i = 0; i < n; i++) {
            double s = shares[i];
            if (s == 0)
                continue;
            given += s;
            uint32_t ch = set->touch_channel[first + i], ca = set->touch_campaign[first + i];
            res->channel_conversions[ch] += s * conv;
            res->channel_value[ch] += s * value;
            if (ca != LEAD_NO_CAMPAIGN) {
                res->campaign_conversions[ca] += s * conv;
                res->campaign_value[ca] += s * value;
            }
        }
        if (given == 0) {
            res->unattributed_conversions += conv;
            res->unattributed_value += value;
        }
    }
    lead__free(&res->mem, shares);
    return rc;
}

/* Every figure a result reports must be finite: per-channel and
 * per-campaign credit, and the totals and unattributed amounts, which can
 * overflow on their own (two journeys of 1e308 on different channels). */
static int check_finite(lead_attribution_result *res)
{
    for (size_t i = 0; i < res->channel_count; i++)
        if (!isfinite(res->channel_conversions[i]) || !isfinite(res->channel_value[i]))
            return lead__attribution_fail(res, LEAD_ENUMERIC, "credit is not finite");
    for (size_t i = 0; i < res->campaign_count; i++)
        if (!isfinite(res->campaign_conversions[i]) || !isfinite(res->campaign_value[i]))
            return lead__attribution_fail(res, LEAD_ENUMERIC, "campaign credit is not finite");
    if (!isfinite(res->total_conversions) || !isfinite(res->total_value))
        return lead__attribution_fail(res, LEAD_ENUMERIC, "total conversions or value is not finite");
    if (!isfinite(res->unattributed_conversions) || !isfinite(res->unattributed_value))
        return lead__attribution_fail(res, LEAD_ENUMERIC, "unattributed credit is not finite");
    return LEAD_OK;
}

int lead_attribution_run(lead_attribution_result **out, lead_attribution_model *model,
                         const lead_journey_set *set)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!model || !set)
        return LEAD_EINVAL;
    lead_attribution_result *res = NULL;
    int rc = result_new(&res, model, set);
    if (rc != LEAD_OK)
        return model_fail(model, rc, "out of memory");
    rc = model->ops->run ? model->ops->run(res, set) : run_by_shares(res, set);
    if (rc == LEAD_OK)
        rc = check_finite(res);
    if (rc != LEAD_OK) {
        snprintf(model->errmsg, sizeof model->errmsg, "%s",
                 rc == LEAD_ENOMEM && !res->errmsg[0] ? "out of memory" : res->errmsg);
        lead_attribution_result_free(res);
        return rc;
    }
    *out = res;
    return LEAD_OK;
}

int lead_attribution_result_kind(const lead_attribution_result *result, uint32_t *out_kind)
{
    if (!result || !out_kind)
        return LEAD_EINVAL;
    *out_kind = result->opts.kind;
    return LEAD_OK;
}

int lead_attribution_result_totals(const lead_attribution_result *result,
                                   double *out_conversions, double *out_value,
                                   double *out_unattributed_conversions,
                                   double *out_unattributed_value)
{
    if (!result)
        return LEAD_EINVAL;
    if (out_conversions)
        *out_conversions = result->total_conversions;
    if (out_value)
        *out_value = result->total_value;
    if (out_unattributed_conversions)
        *out_unattributed_conversions = result->unattributed_conversions;
    if (out_unattributed_value)
        *out_unattributed_value = result->unattributed_value;
    return LEAD_OK;
}

int lead_attribution_result_channel_count(const lead_attribution_result *result,
                                          size_t *out_count)
{
    if (!result || !out_count)
        return LEAD_EINVAL;
    *out_count = result->channel_count;
    return LEAD_OK;
}

int lead_attribution_result_campaign_count(const lead_attribution_result *result,
                                           size_t *out_count)
{
    if (!result || !out_count)
        return LEAD_EINVAL;
    *out_count = result->campaign_count;
    return LEAD_OK;
}

/* Entry `slot` of the name table (channels first, then campaigns). */
static const char *name_at(const lead_attribution_result *result, size_t slot)
{
    return result->names + result->name_offset[slot];
}

static void read_credit(const double *conv, const double *value, size_t id,
                        double *out_conversions, double *out_value)
{
    if (out_conversions)
        *out_conversions = conv[id];
    if (out_value)
        *out_value = value[id];
}

int lead_attribution_result_channel(const lead_attribution_result *result, uint32_t id,
                                    const char **out_name, double *out_conversions,
                                    double *out_value)
{
    if (!result)
        return LEAD_EINVAL;
    if (id >= result->channel_count)
        return LEAD_ENOTFOUND;
    if (out_name)
        *out_name = name_at(result, id);
    read_credit(result->channel_conversions, result->channel_value, id, out_conversions,
                out_value);
    return LEAD_OK;
}

int lead_attribution_result_campaign(const lead_attribution_result *result, uint32_t id,
                                     const char **out_name, double *out_conversions,
                                     double *out_value)
{
    if (!result)
        return LEAD_EINVAL;
    if (id >= result->campaign_count)
        return LEAD_ENOTFOUND;
    if (out_name)
        *out_name = name_at(result, result->channel_count + id);
    read_credit(result->campaign_conversions, result->campaign_value, id, out_conversions,
                out_value);
    return LEAD_OK;
}

/* Index in [first, first + count) of the name table holding name. */
static int find_name(const lead_attribution_result *result, size_t first, size_t count,
                     const char *name, size_t *out_id)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(name_at(result, first + i), name) == 0) {
            *out_id = i;
            return LEAD_OK;
        }
    return LEAD_ENOTFOUND;
}

int lead_attribution_result_channel_by_name(const lead_attribution_result *result,
                                            const char *name, double *out_conversions,
                                            double *out_value)
{
    if (!result || !name)
        return LEAD_EINVAL;
    size_t id;
    int rc = find_name(result, 0, result->channel_count, name, &id);
    if (rc == LEAD_OK)
        read_credit(result->channel_conversions, result->channel_value, id, out_conversions,
                    out_value);
    return rc;
}

int lead_attribution_result_campaign_by_name(const lead_attribution_result *result,
                                             const char *name, double *out_conversions,
                                             double *out_value)
{
    if (!result || !name)
        return LEAD_EINVAL;
    size_t id;
    int rc = find_name(result, result->channel_count, result->campaign_count, name, &id);
    if (rc == LEAD_OK)
        read_credit(result->campaign_conversions, result->campaign_value, id, out_conversions,
                    out_value);
    return rc;
}

int lead_attribution_result_touch_credit(const lead_attribution_result *result,
                                         const lead_journey_set *set, size_t journey,
                                         double *out_conversions, double *out_values,
                                         size_t capacity, size_t *out_count)
{
    if (!result || !set || !out_count)
        return LEAD_EINVAL;
    if (set->journey_count != result->journey_count ||
        set->channels.count != result->channel_count || !result->ops->touch_shares)
        return LEAD_EINVAL;
    if (journey >= set->journey_count)
        return LEAD_ENOTFOUND;
    size_t n = lead__journey_end(set, journey) - lead__journey_first(set, journey);
    *out_count = n;
    if (n > capacity)
        return LEAD_ELIMIT;
    /* The caller's conversions array (or values, or a last resort of the
     * other) holds the shares first, so no allocation is needed. */
    double *shares = out_conversions ? out_conversions : out_values;
    if (!shares)
        return LEAD_OK;
    const char *why = NULL;
    int rc = result->ops->touch_shares(result, set, journey, shares, &why);
    if (rc != LEAD_OK)
        return rc;
    double conv = set->conversions[journey], value = set->value[journey];
    for (size_t i = 0; i < n; i++) {
        double s = shares[i];
        if (out_values)
            out_values[i] = s * value;
        if (out_conversions)
            out_conversions[i] = s * conv;
    }
    return LEAD_OK;
}
