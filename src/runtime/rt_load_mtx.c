/* rt_load_mtx.c - Matrix Market coordinate files.
 *
 *   %%MatrixMarket matrix coordinate FIELD SYMMETRY     (words case-insensitive)
 *   % comments
 *   ROWS COLS ENTRIES
 *   I J [VALUE]                                          (ENTRIES lines, 1-based)
 *
 * FIELD is pattern (no value), real or integer (a value, any number);
 * SYMMETRY general or symmetric. Entry (i, j) is the arc i -> j with weight
 * VALUE; in a symmetric matrix an off-diagonal entry also gives j -> i. The
 * nodes are 1..max(ROWS, COLS). complex, hermitian, skew-symmetric and array
 * files are refused with a message naming the feature. '%' lines and blank
 * lines may appear anywhere after the banner. */
#include <inttypes.h>
#include <string.h>

#include "runtime/rt_graph.h"
#include "runtime/rt_lex.h"
#include "runtime/rt_load.h"

enum {
    E_MISSING_J = RT_E_FORMAT, /* one index on the line */
    E_RANGE,                   /* index outside 1..rows / 1..cols (err_field 0, 1) */
    E_MISSING_VALUE,           /* real/integer without a third column */
    E_PATTERN_VALUE,           /* pattern with a third column */
    E_EXTRA_COL,               /* fourth column */
};

typedef struct mtx_ctx {
    uint64_t rows, cols, entries;
    uint64_t size_line;
    int sym, pattern;
    const char *field; /* "pattern", "real", "integer" as written in lower case */
} mtx_ctx;

static void mtx_parse(rt_chunk *c, rt_edge *E, double *W, const rt_body *bd)
{
    const unsigned char *cl = rt_cls_ws;
    const mtx_ctx *x = bd->ctx;
    const uint64_t rows = x->rows, cols = x->cols;
    const int sym = x->sym, pattern = x->pattern, wmode = bd->weighted;
    const unsigned char *p = c->beg, *e = c->end;
    uint64_t line = c->line0, maxid = 0;
    rt_edge *out = E + c->off;
    double *wout = W ? W + c->off : NULL;
    int64_t k = 0, n = 0, limit = c->limit;
    while (p < e) {
        p = rt_skip_blanks(p, e, cl);
        if (p == e)
            break;
        if (*p == '\n') {
            p++;
            line++;
            continue;
        }
        if (*p == '%') {
            const unsigned char *q = memchr(p, '\n', (size_t)(e - p));
            if (!q)
                break;
            p = q + 1;
            line++;
            continue;
        }
        if (n == limit) {
            rt_chunk_err(c, RT_E_TOO_MANY, 0, line, NULL, e, cl);
            break;
        }
        uint64_t i, j;
        const unsigned char *ti = p;
        if (!rt_lex_id(&p, e, cl, &i, c, 0, line))
            break;
        if (i == 0 || i > rows) {
            rt_chunk_err(c, E_RANGE, 0, line, ti, e, cl);
            break;
        }
        p = rt_skip_blanks(p, e, cl);
        if (p == e || *p == '\n') {
            rt_chunk_err(c, E_MISSING_J, 1, line, NULL, e, cl);
            break;
        }
        const unsigned char *tj = p;
        if (!rt_lex_id(&p, e, cl, &j, c, 1, line))
            break;
        if (j == 0 || j > cols) {
            rt_chunk_err(c, E_RANGE, 1, line, tj, e, cl);
            break;
        }
        p = rt_skip_blanks(p, e, cl);
        double w = 0;
        if (pattern) {
            if (p < e && *p != '\n') {
                rt_chunk_err(c, E_PATTERN_VALUE, 2, line, p, e, cl);
                break;
            }
        } else {
            if (p == e || *p == '\n') {
                rt_chunk_err(c, E_MISSING_VALUE, 2, line, NULL, e, cl);
                break;
            }
            const unsigned char *t = p;
            p = rt_token_end(p, e, cl);
            if (!rt_lex_weight(t, p, wmode, &w, c, 2, line, e, cl))
                break;
            p = rt_skip_blanks(p, e, cl);
            if (p < e && *p != '\n') {
                rt_chunk_err(c, E_EXTRA_COL, 3, line, p, e, cl);
                break;
            }
        }
        out[k].u = i;
        out[k].v = j;
        if (wout)
            wout[k] = w;
        k++;
        if (sym && i != j) {
            out[k].u = j;
            out[k].v = i;
            if (wout)
                wout[k] = w;
            k++;
        }
        n++;
        uint64_t hi = i > j ? i : j;
        maxid = hi > maxid ? hi : maxid;
        if (p < e)
            p++; /* the newline */
        line++;
    }
    c->cnt = k;
    c->entries = n;
    c->max_id = maxid;
}

static int mtx_message(const rt_chunk *c, const rt_body *bd, rt_error *err)
{
    const mtx_ctx *x = bd->ctx;
    char tok[160];
    rt_chunk_token(c, tok, sizeof tok);
    const char *fn = bd->fn, *what = c->err_field == 0 ? "row" : "column";
    uint64_t ln = c->err_line, lim = c->err_field == 0 ? x->rows : x->cols;
    switch (c->err) {
    case RT_E_BAD_ID:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "expected a %s index, got '%s'", what, tok);
        return 1;
    case RT_E_NEG_ID:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "negative %s index '%s'", what, tok);
        return 1;
    case RT_E_BIG_ID:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "%s index %s does not fit in 64 bits", what, tok);
        return 1;
    case E_RANGE:
        if (lim == 0)
            rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                            "%s index %s is out of range: the matrix has 0 %ss", what, tok, what);
        else
            rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "%s index %s is out of range 1..%" PRIu64 "%s",
                            what, tok, lim,
                            strspn(tok, "0") == strlen(tok) ? " (indices are 1-based)" : "");
        return 1;
    case E_MISSING_J:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "missing column index");
        return 1;
    case E_MISSING_VALUE:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "missing value (third column): the banner says '%s'", x->field);
        return 1;
    case E_PATTERN_VALUE:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "unexpected third column '%s': entries of a 'pattern' matrix are 'row column'",
                        tok);
        return 1;
    case E_EXTRA_COL:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "too many columns: expected 'row column value', got a fourth column '%s'", tok);
        return 1;
    case RT_E_BAD_WEIGHT:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "expected a value (a number) in the third column, got '%s'", tok);
        return 1;
    case RT_E_TOO_MANY:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "more entries than the %" PRIu64 " declared on the size line (line %" PRIu64 ")",
                        x->entries, x->size_line);
        return 1;
    }
    return 0;
}

static void mtx_too_few(const rt_body *bd, int64_t found, uint64_t last_line, rt_error *err)
{
    const mtx_ctx *x = bd->ctx;
    rt_error_set_at(err, RT_ERR_INPUT, bd->fn, last_line,
                    "the file ends after %" PRId64 " of the %" PRIu64
                    " entries declared on the size line (line %" PRIu64 ")",
                    found, x->entries, x->size_line);
}

/* Splits [s, e) into at most `max` blank-separated tokens; returns how many
 * there are (up to max + 1, the extra one meaning "too many"). */
static int split(const unsigned char *s, const unsigned char *e, const unsigned char **tb,
                 const unsigned char **te, int max)
{
    int n = 0;
    for (;;) {
        s = rt_skip_blanks(s, e, rt_cls_ws);
        if (s == e || n > max)
            return n;
        tb[n] = s;
        s = rt_token_end(s, e, rt_cls_ws);
        te[n] = s;
        n++;
    }
}

static int bad_at(rt_error *err, const char *fn, uint64_t ln, const char *fmt,
                  const unsigned char *s, const unsigned char *e)
{
    char tok[160];
    rt_quote_token(tok, sizeof tok, (const char *)s, (size_t)(e - s), 60);
    return rt_error_set_at(err, RT_ERR_INPUT, fn, ln, fmt, tok);
}

/* In format strings (hence %%%%: it prints as %%). */
#define BANNER "'%%%%MatrixMarket matrix coordinate FIELD SYMMETRY'"

/* The banner line [s, e) (line 1). */
static int parse_banner(const unsigned char *s, const unsigned char *e, const char *fn,
                        int weighted, mtx_ctx *x, rt_error *err)
{
    const unsigned char *tb[6], *te[6];
    int n = split(s, e, tb, te, 5);
    if (n == 0 || !rt_word_eq(tb[0], te[0], "%%MatrixMarket"))
        return bad_at(err, fn, 1,
                      "expected the Matrix Market banner " BANNER " on the first line, got '%s'",
                      n ? tb[0] : s, n ? te[0] : s);
    if (n < 5)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, 1,
                               "incomplete banner: expected " BANNER);
    if (!rt_word_eq(tb[1], te[1], "matrix"))
        return bad_at(err, fn, 1, "unsupported object '%s' in the banner (only 'matrix')", tb[1],
                      te[1]);
    if (rt_word_eq(tb[2], te[2], "array"))
        return rt_error_set_at(err, RT_ERR_INPUT, fn, 1,
                               "dense 'array' matrices are not supported (only 'coordinate')");
    if (!rt_word_eq(tb[2], te[2], "coordinate"))
        return bad_at(err, fn, 1, "unknown format '%s' in the banner (expected 'coordinate')",
                      tb[2], te[2]);
    if (rt_word_eq(tb[3], te[3], "pattern"))
        x->field = "pattern";
    else if (rt_word_eq(tb[3], te[3], "real"))
        x->field = "real";
    else if (rt_word_eq(tb[3], te[3], "integer"))
        x->field = "integer";
    else if (rt_word_eq(tb[3], te[3], "complex"))
        return rt_error_set_at(err, RT_ERR_INPUT, fn, 1,
                               "'complex' matrices are not supported (only pattern, real and integer)");
    else
        return bad_at(err, fn, 1,
                      "unknown field '%s' in the banner (expected pattern, real or integer)", tb[3],
                      te[3]);
    if (rt_word_eq(tb[4], te[4], "general"))
        x->sym = 0;
    else if (rt_word_eq(tb[4], te[4], "symmetric"))
        x->sym = 1;
    else if (rt_word_eq(tb[4], te[4], "skew-symmetric") || rt_word_eq(tb[4], te[4], "hermitian"))
        return bad_at(err, fn, 1, "'%s' matrices are not supported (only general and symmetric)",
                      tb[4], te[4]);
    else
        return bad_at(err, fn, 1,
                      "unknown symmetry '%s' in the banner (expected general or symmetric)", tb[4],
                      te[4]);
    if (n > 5)
        return bad_at(err, fn, 1, "unexpected '%s' after the symmetry in the banner", tb[5], te[5]);
    x->pattern = x->field[0] == 'p';
    if (weighted && x->pattern)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, 1,
                               "the program is weighted but the matrix is 'pattern' (it has no values)");
    return 0;
}

/* The size line [s, e) at line ln. */
static int parse_size(const unsigned char *s, const unsigned char *e, uint64_t ln, const char *fn,
                      mtx_ctx *x, rt_error *err)
{
    static const char *const names[] = {"rows", "columns", "entries"};
    const unsigned char *tb[4], *te[4];
    int n = split(s, e, tb, te, 3);
    uint64_t v[3];
    for (int k = 0; k < 3 && k < n; k++) {
        const unsigned char *p = tb[k];
        int kind = rt_lex_u64(&p, te[k], rt_cls_ws, &v[k]);
        if (kind == RT_E_BIG_ID)
            return bad_at(err, fn, ln, "the number %s in the size line does not fit in 64 bits",
                          tb[k], te[k]);
        if (kind) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "expected the size line 'rows cols entries', got '%%s' for the number of %s",
                     names[k]);
            return bad_at(err, fn, ln, msg, tb[k], te[k]);
        }
    }
    if (n < 3)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                               "incomplete size line: expected 'rows cols entries'");
    if (n > 3)
        return bad_at(err, fn, ln,
                      "unexpected '%s' after 'rows cols entries' in the size line", tb[3], te[3]);
    x->rows = v[0];
    x->cols = v[1];
    x->entries = v[2];
    x->size_line = ln;
    uint64_t nn = v[0] > v[1] ? v[0] : v[1];
    if (nn == 0)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                               "the matrix has no rows and no columns (no nodes)");
    if (nn > RT_MAX_NODES)
        return rt_error_set_at(err, RT_ERR_LIMIT, fn, ln,
                               "the matrix has %" PRIu64 " %s; the limit is 4294967295 (2^32-1) nodes",
                               nn, v[0] >= v[1] ? "rows" : "columns");
    if (x->sym && v[0] != v[1])
        return rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                               "a symmetric matrix must be square, got %" PRIu64 " rows and %" PRIu64
                               " columns", v[0], v[1]);
    if (v[2] > (uint64_t)INT64_MAX)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                               "%" PRIu64 " entries is more than any file can hold", v[2]);
    return 0;
}

int rt_parse_mtx(const char *buf, size_t len, const char *filename, int weighted, rt_edges *out,
                 rt_error *err)
{
    memset(out, 0, sizeof *out);
    const char *fn = filename ? filename : "<input>";
    mtx_ctx x = {0};
    rt_cursor cu;
    rt_cursor_init(&cu, buf, len);
    const unsigned char *ls, *le;
    uint64_t ln;
    if (!rt_cursor_line(&cu, &ls, &le, &ln))
        return rt_error_set_at(err, RT_ERR_INPUT, fn, 0,
                               "empty file: expected the Matrix Market banner " BANNER);
    if (parse_banner(ls, le, fn, weighted, &x, err))
        return err->code;
    for (;;) {
        if (!rt_cursor_line(&cu, &ls, &le, &ln))
            return rt_error_set_at(err, RT_ERR_INPUT, fn, 0,
                                   "missing the size line 'rows cols entries' after the banner");
        const unsigned char *q = rt_skip_blanks(ls, le, rt_cls_ws);
        if (q == le || *q == '%')
            continue;
        if (parse_size(ls, le, ln, fn, &x, err))
            return err->code;
        break;
    }
    rt_body bd = {
        .fn = fn,
        .weighted = weighted,
        .keep_w = weighted != 0,
        .slots_per_line = x.sym ? 2 : 1,
        .expect = (int64_t)x.entries,
        .allow_empty = 1,
        .parse = mtx_parse,
        .message = mtx_message,
        .too_few = mtx_too_few,
        .ctx = &x,
    };
    int rc = rt_parse_body(buf, len, (size_t)(cu.p - (const unsigned char *)buf), cu.line, &bd,
                           out, err);
    if (rc)
        return rc;
    out->declared_n = x.rows > x.cols ? x.rows : x.cols;
    return 0;
}
