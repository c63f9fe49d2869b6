/* The line-oriented text format family: reading tokens with line and column
 * errors, and writing canonical text. The input is any bytes: every token is
 * bounds-checked against the line it is on. */
#include "textfmt.h"

#include <stdio.h>
#include <string.h>

int lead__text_fail(lead__text *tx, size_t col, int rc, const char *msg)
{
    if (tx->rc == LEAD_OK) {
        tx->rc = rc;
        tx->err_col = (uint32_t)(col + 1);
        snprintf(tx->msg, sizeof tx->msg, "%s", msg);
    }
    return rc;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == '*';
}

static void skip_space(lead__text *tx)
{
    while (tx->pos < tx->len && is_space(tx->line[tx->pos]))
        tx->pos++;
}

int lead__text_at_end(lead__text *tx)
{
    skip_space(tx);
    return tx->pos >= tx->len || tx->line[tx->pos] == '#';
}

/* Length of the UTF-8 sequence at s[0..n), 0 when invalid (overlongs,
 * surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t need;
    uint32_t cp;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        need = 2;
        cp = s[0] & 0x1Fu;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        need = 3;
        cp = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        need = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

static int next_string(lead__text *tx, lead__token *t)
{
    t->quoted = 1;
    size_t i = tx->pos + 1;
    while (i < tx->len && tx->line[i] != '"') {
        unsigned char b = (unsigned char)tx->line[i];
        if (b == '\\') {
            if (i + 1 >= tx->len || (tx->line[i + 1] != '"' && tx->line[i + 1] != '\\'))
                return lead__text_fail(tx, i, LEAD_EFORMAT,
                                       "only \\\" and \\\\ escapes are allowed"),
                       0;
            i += 2;
            continue;
        }
        if (b < 0x20 || b == 0x7F)
            return lead__text_fail(tx, i, LEAD_EFORMAT, "control character in a string"), 0;
        size_t n = utf8_len((const unsigned char *)tx->line + i, tx->len - i);
        if (!n)
            return lead__text_fail(tx, i, LEAD_EUTF8, "invalid UTF-8 in a string"), 0;
        i += n;
    }
    if (i >= tx->len)
        return lead__text_fail(tx, t->col, LEAD_EFORMAT, "unterminated string"), 0;
    t->start = tx->line + tx->pos + 1;
    t->len = i - tx->pos - 1;
    tx->pos = i + 1;
    if (tx->pos < tx->len && !is_space(tx->line[tx->pos]) && tx->line[tx->pos] != '#')
        return lead__text_fail(tx, tx->pos, LEAD_EFORMAT, "expected a space after a string"), 0;
    return 1;
}

int lead__text_next(lead__text *tx, lead__token *t)
{
    if (tx->rc != LEAD_OK || lead__text_at_end(tx))
        return 0;
    t->col = tx->pos;
    if (tx->line[tx->pos] == '"')
        return next_string(tx, t);
    t->quoted = 0;
    size_t i = tx->pos;
    while (i < tx->len && is_word_char(tx->line[i]))
        i++;
    if (i == tx->pos || (i < tx->len && !is_space(tx->line[i]) && tx->line[i] != '#'))
        return lead__text_fail(tx, i, LEAD_EFORMAT, "unexpected character"), 0;
    t->start = tx->line + tx->pos;
    t->len = i - tx->pos;
    tx->pos = i;
    return 1;
}

int lead__token_is(const lead__token *t, const char *word)
{
    return !t->quoted && strlen(word) == t->len && memcmp(t->start, word, t->len) == 0;
}

int lead__token_lookup(const lead__token *t, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (lead__token_is(t, names[i]))
            return i;
    return -1;
}

int lead__token_lookup_fn(const lead__token *t, const char *(*name)(int), int count)
{
    for (int i = 0; i < count; i++)
        if (lead__token_is(t, name(i)))
            return i;
    return -1;
}

int lead__text_expect(lead__text *tx, lead__token *t, const char *what)
{
    if (lead__text_next(tx, t))
        return 1;
    if (tx->rc == LEAD_OK) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected %s", what);
        lead__text_fail(tx, tx->pos, LEAD_EFORMAT, msg);
    }
    return 0;
}

int lead__text_expect_word(lead__text *tx, lead__token *t, const char *what)
{
    if (!lead__text_expect(tx, t, what))
        return 0;
    if (t->quoted) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected %s, not a string", what);
        return lead__text_fail(tx, t->col, LEAD_EFORMAT, msg), 0;
    }
    return 1;
}

int lead__text_expect_string(lead__text *tx, char **out, const char *what)
{
    lead__token t;
    if (!lead__text_expect(tx, &t, what))
        return 0;
    if (!t.quoted) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected %s in double quotes", what);
        return lead__text_fail(tx, t.col, LEAD_EFORMAT, msg), 0;
    }
    /* the limit is on the decoded string: an escape counts as the one byte it stands for */
    size_t decoded = 0;
    for (size_t i = 0; i < t.len; i++) {
        if (t.start[i] == '\\')
            i++;
        decoded++;
    }
    if (decoded > LEAD__TEXT_MAX_STRING)
        return lead__text_fail(tx, t.col, LEAD_ELIMIT, "string longer than 1024 bytes"), 0;
    char *s = lead__malloc(tx->mem, decoded + 1);
    if (!s)
        return lead__text_fail(tx, t.col, LEAD_ENOMEM, "out of memory"), 0;
    size_t n = 0;
    for (size_t i = 0; i < t.len; i++) {
        if (t.start[i] == '\\')
            i++;
        s[n++] = t.start[i];
    }
    s[n] = '\0'; /* the line holds no NUL: lead__text_lines refused it */
    *out = s;
    return 1;
}

int lead__text_expect_ident(lead__text *tx, char **out, const char *what)
{
    lead__token t;
    if (!lead__text_expect_word(tx, &t, what))
        return 0;
    char c = t.start[0];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    for (size_t i = 0; ok && i < t.len; i++)
        ok = t.start[i] != '*';
    if (!ok) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected %s (a name starting with a letter)", what);
        return lead__text_fail(tx, t.col, LEAD_EFORMAT, msg), 0;
    }
    if (t.len > LEAD__TEXT_MAX_STRING)
        return lead__text_fail(tx, t.col, LEAD_ELIMIT, "name longer than 1024 bytes"), 0;
    *out = lead__strndup(tx->mem, t.start, t.len);
    if (!*out)
        return lead__text_fail(tx, t.col, LEAD_ENOMEM, "out of memory"), 0;
    return 1;
}

int lead__token_int(lead__text *tx, const lead__token *t, int64_t lo, int64_t hi, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (!t->quoted && t->len > 0 && (t->start[0] == '-' || t->start[0] == '+'))
        neg = t->start[i++] == '-';
    int64_t v = 0;
    int ok = !t->quoted && i < t->len;
    int too_big = 0; /* all digits, but more than any range allows: a range error */
    for (; ok && i < t->len; i++) {
        char c = t->start[i];
        if (c < '0' || c > '9')
            ok = 0;
        else if (v > LEAD__TEXT_MAX_BOUND)
            too_big = 1;
        else
            v = v * 10 + (c - '0');
    }
    if (neg)
        v = -v;
    if (!ok)
        return lead__text_fail(tx, t->col, LEAD_EFORMAT, "expected an integer"), 0;
    if (too_big || v < lo || v > hi) {
        char msg[96];
        snprintf(msg, sizeof msg, "number out of range [%lld, %lld]", (long long)lo,
                 (long long)hi);
        return lead__text_fail(tx, t->col, LEAD_ELIMIT, msg), 0;
    }
    *out = v;
    return 1;
}

int lead__text_expect_int(lead__text *tx, int64_t lo, int64_t hi, int64_t *out, const char *what)
{
    lead__token t;
    return lead__text_expect_word(tx, &t, what) && lead__token_int(tx, &t, lo, hi, out);
}

int lead__text_expect_duration(lead__text *tx, int64_t *out, int allow_none)
{
    lead__token t;
    if (!lead__text_expect_word(tx, &t, "a duration"))
        return 0;
    if (allow_none && lead__token_is(&t, "none")) {
        *out = 0;
        return 1;
    }
    static const struct { const char *unit; int64_t ms; } units[] = {
        {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    size_t digits = 0;
    while (digits < t.len && t.start[digits] >= '0' && t.start[digits] <= '9')
        digits++;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t ulen = strlen(units[u].unit);
        if (digits == 0 || digits + ulen != t.len || memcmp(t.start + digits, units[u].unit, ulen))
            continue;
        lead__token num = t;
        num.len = digits;
        int64_t v;
        if (!lead__token_int(tx, &num, 1, LEAD__TEXT_MAX_DURATION / units[u].ms, &v))
            return 0;
        *out = v * units[u].ms;
        return 1;
    }
    return lead__text_fail(tx, t.col, LEAD_EFORMAT,
                           allow_none ? "expected a duration like 7d, 12h, 30m, 10s, 500ms or none"
                                      : "expected a duration like 7d, 12h, 30m, 10s or 500ms"),
           0;
}

static int expect_bound(lead__text *tx, int *has, int64_t *v)
{
    lead__token t;
    if (!lead__text_expect_word(tx, &t, "a bound or *"))
        return 0;
    if (lead__token_is(&t, "*")) {
        *has = 0;
        return 1;
    }
    *has = 1;
    return lead__token_int(tx, &t, -LEAD__TEXT_MAX_BOUND, LEAD__TEXT_MAX_BOUND, v);
}

int lead__text_expect_range(lead__text *tx, int *has_lo, int64_t *lo, int *has_hi, int64_t *hi)
{
    size_t col = tx->pos;
    if (!expect_bound(tx, has_lo, lo) || !expect_bound(tx, has_hi, hi))
        return 0;
    if (!*has_lo && !*has_hi)
        return lead__text_fail(tx, col, LEAD_EFORMAT, "a range needs at least one bound"), 0;
    if (*has_lo && *has_hi && *lo > *hi)
        return lead__text_fail(tx, col, LEAD_EFORMAT, "range lower bound above upper bound"), 0;
    return 1;
}

int lead__text_once(lead__text *tx, int *seen, const lead__token *t)
{
    if (*seen)
        return lead__text_fail(tx, t->col, LEAD_EFORMAT, "option given twice"), 0;
    *seen = 1;
    return 1;
}

int lead__text_lines(lead__text *tx, const char *text, size_t len,
                     int (*line_fn)(lead__text *tx, void *ctx), void *ctx)
{
    const lead__mem *mem = tx->mem;
    memset(tx, 0, sizeof *tx);
    tx->mem = mem;
    size_t at = 0;
    while (at < len && tx->rc == LEAD_OK) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        tx->line = text + at;
        tx->len = end - at;
        tx->pos = 0;
        tx->lineno++;
        const char *nul = memchr(tx->line, '\0', tx->len);
        if (nul)
            lead__text_fail(tx, (size_t)(nul - tx->line), LEAD_EFORMAT, "NUL byte");
        else
            line_fn(tx, ctx);
        at = end + 1;
    }
    return tx->rc;
}

/* ---- writing ------------------------------------------------------------ */

void lead__out_put(lead__out *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

void lead__out_str(lead__out *o, const char *s) { lead__out_put(o, s, strlen(s)); }

void lead__out_int(lead__out *o, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, " %lld", (long long)v);
    lead__out_put(o, tmp, (size_t)n);
}

void lead__out_string(lead__out *o, const char *s)
{
    lead__out_put(o, " \"", 2);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            lead__out_put(o, "\\", 1);
        lead__out_put(o, s, 1);
    }
    lead__out_put(o, "\"", 1);
}

void lead__out_duration(lead__out *o, int64_t ms)
{
    if (ms == 0) {
        lead__out_str(o, " none");
        return;
    }
    static const struct { const char *unit; int64_t ms; } units[] = {
        {"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};
    for (size_t u = 0;; u++) {
        if (ms % units[u].ms == 0) {
            lead__out_int(o, ms / units[u].ms);
            lead__out_str(o, units[u].unit);
            return;
        }
    }
}

void lead__out_range(lead__out *o, int has_lo, int64_t lo, int has_hi, int64_t hi)
{
    if (has_lo)
        lead__out_int(o, lo);
    else
        lead__out_str(o, " *");
    if (has_hi)
        lead__out_int(o, hi);
    else
        lead__out_str(o, " *");
}

int lead__out_finish(lead__out *o, size_t *out_len)
{
    *out_len = o->len;
    if (o->len >= o->cap) {
        if (o->cap)
            o->buf[o->cap - 1] = '\0';
        return LEAD_ELIMIT;
    }
    o->buf[o->len] = '\0';
    return LEAD_OK;
}
