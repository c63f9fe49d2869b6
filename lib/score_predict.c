/* Predictive fit: L2-regularised logistic regression over the template's
 * fit rules as 0/1 features, fitted with Newton's method (iteratively
 * reweighted least squares), each step solved exactly by a Cholesky
 * factorisation. Deterministic: the same examples in the same order give
 * the same model. */
#include "score.h"

#include <math.h>
#include <string.h>

/* A tiny penalty on the intercept keeps the Hessian positive definite when
 * the examples alone do not pin it down; it moves no weight measurably. */
#define INTERCEPT_RIDGE 1e-9
#define STEP_TOLERANCE 1e-10

int lead_score_learn_options_init(lead_score_learn_options *opts, uint32_t struct_size)
{
    lead_score_learn_options init = LEAD_SCORE_LEARN_OPTIONS_INIT;
    return lead__init_versioned(opts, struct_size, &init, sizeof init);
}

static int read_options(lead_score_learn_options *o, const lead_score_learn_options *opts)
{
    lead_score_learn_options init = LEAD_SCORE_LEARN_OPTIONS_INIT;
    *o = init;
    if (opts) {
        int rc = lead__copy_versioned(o, sizeof *o, opts, LEAD_SCORE_LEARN_OPTIONS_VERSION);
        if (rc != LEAD_OK)
            return rc;
    }
    if (!isfinite(o->l2) || o->l2 < 0 || o->max_iterations < 1 || o->max_iterations > 1000 ||
        !isfinite(o->points_per_logit) || o->points_per_logit <= 0)
        return LEAD_EINVAL;
    return LEAD_OK;
}

typedef struct fit_work {
    size_t n, d, k;      /* examples, rules, rules + intercept */
    unsigned char *x;    /* n * d: rule j matched example i */
    const unsigned char *y;
    double *w, *g, *h, *step;
    size_t *active;      /* k: the non-zero features of one example */
} fit_work;

static void work_free(const lead__mem *mem, fit_work *fw)
{
    lead__free(mem, fw->x);
    lead__free(mem, fw->w);
    lead__free(mem, fw->g);
    lead__free(mem, fw->h);
    lead__free(mem, fw->step);
    lead__free(mem, fw->active);
}

static int work_new(const lead__mem *mem, fit_work *fw, size_t n, size_t d)
{
    memset(fw, 0, sizeof *fw);
    fw->n = n;
    fw->d = d;
    fw->k = d + 1;
    fw->x = lead__calloc(mem, n, d);
    fw->w = lead__calloc(mem, fw->k, sizeof *fw->w);
    fw->g = lead__calloc(mem, fw->k, sizeof *fw->g);
    fw->h = lead__calloc(mem, fw->k * fw->k, sizeof *fw->h);
    fw->step = lead__calloc(mem, fw->k, sizeof *fw->step);
    fw->active = lead__calloc(mem, fw->k, sizeof *fw->active);
    if (!fw->x || !fw->w || !fw->g || !fw->h || !fw->step || !fw->active) {
        work_free(mem, fw);
        return LEAD_ENOMEM;
    }
    return LEAD_OK;
}

static double sigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

/* Gradient and Hessian of the penalised log-likelihood at w (Hessian of its
 * negative, i.e. positive definite). */
static void gradient_hessian(fit_work *fw, double l2)
{
    size_t k = fw->k;
    memset(fw->g, 0, k * sizeof *fw->g);
    memset(fw->h, 0, k * k * sizeof *fw->h);
    for (size_t i = 0; i < fw->n; i++) {
        const unsigned char *row = fw->x + i * fw->d;
        size_t na = 0;
        fw->active[na++] = 0;
        double z = fw->w[0];
        for (size_t j = 0; j < fw->d; j++) {
            if (row[j]) {
                fw->active[na++] = j + 1;
                z += fw->w[j + 1];
            }
        }
        double p = sigmoid(z);
        double r = fw->y[i] - p, s = p * (1.0 - p);
        for (size_t a = 0; a < na; a++) {
            fw->g[fw->active[a]] += r;
            for (size_t b = 0; b <= a; b++)
                fw->h[fw->active[a] * k + fw->active[b]] += s;
        }
    }
    fw->h[0] += INTERCEPT_RIDGE;
    for (size_t j = 1; j < k; j++) {
        fw->g[j] -= l2 * fw->w[j];
        fw->h[j * k + j] += l2;
    }
}

/* Solves H step = g with H's lower triangle (overwritten by its Cholesky
 * factor). LEAD_ENUMERIC when H is not positive definite. */
static int cholesky_solve(fit_work *fw)
{
    size_t k = fw->k;
    double *h = fw->h;
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j <= i; j++) {
            double sum = h[i * k + j];
            for (size_t m = 0; m < j; m++)
                sum -= h[i * k + m] * h[j * k + m];
            if (i == j) {
                if (!(sum > 1e-300) || !isfinite(sum))
                    return LEAD_ENUMERIC;
                h[i * k + i] = sqrt(sum);
            } else {
                h[i * k + j] = sum / h[j * k + j];
            }
        }
    }
    for (size_t i = 0; i < k; i++) { /* L u = g */
        double sum = fw->g[i];
        for (size_t m = 0; m < i; m++)
            sum -= h[i * k + m] * fw->step[m];
        fw->step[i] = sum / h[i * k + i];
    }
    for (size_t i = k; i-- > 0;) { /* L^T step = u */
        double sum = fw->step[i];
        for (size_t m = i + 1; m < k; m++)
            sum -= h[m * k + i] * fw->step[m];
        fw->step[i] = sum / h[i * k + i];
    }
    return LEAD_OK;
}

static int newton(fit_work *fw, const lead_score_learn_options *o)
{
    for (uint32_t it = 0; it < o->max_iterations; it++) {
        gradient_hessian(fw, o->l2);
        int rc = cholesky_solve(fw);
        if (rc != LEAD_OK)
            return rc;
        double largest = 0;
        for (size_t j = 0; j < fw->k; j++) {
            fw->w[j] += fw->step[j];
            if (!isfinite(fw->w[j]))
                return LEAD_ENUMERIC;
            if (fabs(fw->step[j]) > largest)
                largest = fabs(fw->step[j]);
        }
        if (largest < STEP_TOLERANCE)
            break;
    }
    return LEAD_OK;
}

static int both_labels(const lead_score_examples *ex)
{
    int seen[2] = {0, 0};
    for (size_t i = 0; i < ex->n; i++)
        seen[ex->labels[i]] = 1;
    return seen[0] && seen[1];
}

/* A new model: a copy of def with fit points from the weights. */
static int make_model(lead_score_model **out, const lead__mem *mem, const lead__score_def *def,
                      const fit_work *fw, double points_per_logit)
{
    lead_score_model *m = lead__calloc(mem, 1, sizeof *m);
    if (!m)
        return LEAD_ENOMEM;
    m->mem = *mem;
    if (lead__score_def_copy(mem, &m->def, def) != LEAD_OK) {
        lead__free(mem, m);
        return LEAD_ENOMEM;
    }
    for (size_t j = 0; j < fw->d; j++) {
        double p = round(points_per_logit * fw->w[j + 1]);
        if (p > LEAD__SCORE_MAX_POINTS)
            p = LEAD__SCORE_MAX_POINTS;
        if (p < -LEAD__SCORE_MAX_POINTS)
            p = -LEAD__SCORE_MAX_POINTS;
        m->def.fit[j].points = (int32_t)p;
    }
    *out = m;
    return LEAD_OK;
}

int lead_score_learn(lead_score_model **out, const lead_score_model *template_model,
                     const lead_score_examples *examples, const lead_score_learn_options *opts)
{
    if (!out)
        return LEAD_EINVAL;
    *out = NULL;
    if (!template_model || !examples)
        return LEAD_EINVAL;
    lead_score_learn_options o;
    int rc = read_options(&o, opts);
    if (rc != LEAD_OK)
        return rc;
    const lead__score_def *def = &template_model->def;
    if (def->nfit == 0 || !both_labels(examples))
        return LEAD_EINVAL;
    if (def->nfit > LEAD__SCORE_LEARN_MAX_RULES)
        return LEAD_ELIMIT;
    const lead__mem *mem = &template_model->mem;
    fit_work fw;
    rc = work_new(mem, &fw, examples->n, def->nfit);
    if (rc != LEAD_OK)
        return rc;
    fw.y = examples->labels;
    for (size_t i = 0; i < examples->n; i++) {
        lead__example_ref ref = {examples, i};
        lead__score_contact contact;
        lead__score_example_contact(&contact, &ref);
        lead__fit_eval fe;
        lead__score_fit(&fe, fw.x + i * fw.d, def, &contact);
    }
    rc = newton(&fw, &o);
    if (rc == LEAD_OK)
        rc = make_model(out, mem, def, &fw, o.points_per_logit);
    work_free(mem, &fw);
    return rc;
}
