/* rt_load_gr.c - DIMACS shortest-path files (9th DIMACS Implementation
 * Challenge).
 *
 *   c comment                  (first token exactly 'c')
 *   p sp NODES ARCS            (once, before any arc)
 *   a FROM TO WEIGHT           (ARCS lines, 1 <= FROM, TO <= NODES)
 *
 * Blank lines are skipped; any other line type is an error. The nodes are
 * 1..NODES. The weight may be any number (DIMACS files hold integers). */
#include <inttypes.h>
#include <string.h>

#include "runtime/rt_graph.h"
#include "runtime/rt_lex.h"
#include "runtime/rt_load.h"

enum {
    E_INCOMPLETE = RT_E_FORMAT, /* a line with fewer than 4 fields */
    E_RANGE,                    /* node id outside 1..N (err_field 1, 2) */
    E_EXTRA,                    /* fifth field */
    E_DUP_P,                    /* a second 'p' line */
    E_UNKNOWN,                  /* unknown line type */
};

typedef struct gr_ctx {
    uint64_t n, arcs;
    uint64_t p_line;
} gr_ctx;

/* Is [p, e) at a token that is exactly the letter ch? */
static inline int is_letter(const unsigned char *p, const unsigned char *e, unsigned char ch)
{
    return *p == ch && (p + 1 == e || rt_cls_ws[p[1]] >= C_SPACE);
}

static void gr_parse(rt_chunk *c, rt_edge *E, double *W, const rt_body *bd)
{
    const unsigned char *cl = rt_cls_ws;
    const gr_ctx *x = bd->ctx;
    const uint64_t nn = x->n;
    const int wmode = bd->weighted;
    const unsigned char *p = c->beg, *e = c->end;
    uint64_t line = c->line0, maxid = 0;
    rt_edge *out = E + c->off;
    double *wout = W ? W + c->off : NULL;
    int64_t k = 0, limit = c->limit;
    while (p < e) {
        p = rt_skip_blanks(p, e, cl);
        if (p == e)
            break;
        if (*p == '\n') {
            p++;
            line++;
            continue;
        }
        if (!is_letter(p, e, 'a')) {
            if (is_letter(p, e, 'c')) {
                const unsigned char *q = memchr(p, '\n', (size_t)(e - p));
                if (!q)
                    break;
                p = q + 1;
                line++;
                continue;
            }
            rt_chunk_err(c, is_letter(p, e, 'p') ? E_DUP_P : E_UNKNOWN, 0, line, p, e, cl);
            break;
        }
        if (k == limit) {
            rt_chunk_err(c, RT_E_TOO_MANY, 0, line, NULL, e, cl);
            break;
        }
        p = rt_skip_blanks(p + 1, e, cl);
        uint64_t u, v;
        if (p == e || *p == '\n') {
            rt_chunk_err(c, E_INCOMPLETE, 1, line, NULL, e, cl);
            break;
        }
        const unsigned char *tu = p;
        if (!rt_lex_id(&p, e, cl, &u, c, 1, line))
            break;
        if (u == 0 || u > nn) {
            rt_chunk_err(c, E_RANGE, 1, line, tu, e, cl);
            break;
        }
        p = rt_skip_blanks(p, e, cl);
        if (p == e || *p == '\n') {
            rt_chunk_err(c, E_INCOMPLETE, 2, line, NULL, e, cl);
            break;
        }
        const unsigned char *tv = p;
        if (!rt_lex_id(&p, e, cl, &v, c, 2, line))
            break;
        if (v == 0 || v > nn) {
            rt_chunk_err(c, E_RANGE, 2, line, tv, e, cl);
            break;
        }
        p = rt_skip_blanks(p, e, cl);
        if (p == e || *p == '\n') {
            rt_chunk_err(c, E_INCOMPLETE, 3, line, NULL, e, cl);
            break;
        }
        const unsigned char *t = p;
        double w;
        p = rt_token_end(p, e, cl);
        if (!rt_lex_weight(t, p, wmode, &w, c, 3, line, e, cl))
            break;
        p = rt_skip_blanks(p, e, cl);
        if (p < e && *p != '\n') {
            rt_chunk_err(c, E_EXTRA, 4, line, p, e, cl);
            break;
        }
        out[k].u = u;
        out[k].v = v;
        if (wout)
            wout[k] = w;
        k++;
        uint64_t hi = u > v ? u : v;
        maxid = hi > maxid ? hi : maxid;
        if (p < e)
            p++; /* the newline */
        line++;
    }
    c->cnt = k;
    c->entries = k;
    c->max_id = maxid;
}

static int gr_message(const rt_chunk *c, const rt_body *bd, rt_error *err)
{
    const gr_ctx *x = bd->ctx;
    char tok[160];
    rt_chunk_token(c, tok, sizeof tok);
    const char *fn = bd->fn;
    uint64_t ln = c->err_line;
    switch (c->err) {
    case E_INCOMPLETE:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "incomplete arc: expected 'a FROM TO WEIGHT'");
        return 1;
    case E_RANGE:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "node %s is out of range 1..%" PRIu64 "%s", tok,
                        x->n, strspn(tok, "0") == strlen(tok) ? " (ids are 1-based)" : "");
        return 1;
    case E_EXTRA:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "too many fields: expected 'a FROM TO WEIGHT', got '%s'", tok);
        return 1;
    case E_DUP_P:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "a second problem line (the first is line %" PRIu64 ")", x->p_line);
        return 1;
    case E_UNKNOWN:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "unknown line type '%s' (expected 'c', 'p' or 'a')", tok);
        return 1;
    case RT_E_BAD_WEIGHT:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "expected an arc weight (a number), got '%s'", tok);
        return 1;
    case RT_E_TOO_MANY:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "more arcs than the %" PRIu64 " declared on the problem line (line %" PRIu64 ")",
                        x->arcs, x->p_line);
        return 1;
    }
    return 0;
}

static void gr_too_few(const rt_body *bd, int64_t found, uint64_t last_line, rt_error *err)
{
    const gr_ctx *x = bd->ctx;
    rt_error_set_at(err, RT_ERR_INPUT, bd->fn, last_line,
                    "the file ends after %" PRId64 " of the %" PRIu64
                    " arcs declared on the problem line (line %" PRIu64 ")",
                    found, x->arcs, x->p_line);
}

static int bad_at(rt_error *err, const char *fn, uint64_t ln, const char *fmt,
                  const unsigned char *s, const unsigned char *e)
{
    char tok[160];
    rt_quote_token(tok, sizeof tok, (const char *)s, (size_t)(e - s), 60);
    return rt_error_set_at(err, RT_ERR_INPUT, fn, ln, fmt, tok);
}

#define P_LINE "'p sp NODES ARCS'"

/* The problem line [s, e) (which starts with the token 'p') at line ln. */
static int parse_p(const unsigned char *s, const unsigned char *e, uint64_t ln, const char *fn,
                   gr_ctx *x, rt_error *err)
{
    const unsigned char *tb[5], *te[5];
    int n = 0;
    for (const unsigned char *p = s;;) {
        p = rt_skip_blanks(p, e, rt_cls_ws);
        if (p == e || n == 5)
            break;
        tb[n] = p;
        p = rt_token_end(p, e, rt_cls_ws);
        te[n++] = p;
    }
    if (n < 2)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "incomplete problem line: expected " P_LINE);
    if (!rt_word_eq(tb[1], te[1], "sp"))
        return bad_at(err, fn, ln,
                      "unsupported problem type '%s' (expected " P_LINE " of a shortest-path file)",
                      tb[1], te[1]);
    uint64_t v[2];
    static const char *const names[] = {"nodes", "arcs"};
    for (int k = 0; k < 2 && k + 2 < n; k++) {
        const unsigned char *p = tb[k + 2];
        int kind = rt_lex_u64(&p, te[k + 2], rt_cls_ws, &v[k]);
        if (kind == RT_E_BIG_ID)
            return bad_at(err, fn, ln, "the number %s in the problem line does not fit in 64 bits",
                          tb[k + 2], te[k + 2]);
        if (kind) {
            char msg[160];
            snprintf(msg, sizeof msg, "expected the number of %s in " P_LINE ", got '%%s'", names[k]);
            return bad_at(err, fn, ln, msg, tb[k + 2], te[k + 2]);
        }
    }
    if (n < 4)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "incomplete problem line: expected " P_LINE);
    if (n > 4)
        return bad_at(err, fn, ln, "unexpected '%s' after " P_LINE, tb[4], te[4]);
    x->n = v[0];
    x->arcs = v[1];
    x->p_line = ln;
    if (v[0] == 0)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "the problem line declares no nodes");
    if (v[0] > RT_MAX_NODES)
        return rt_error_set_at(err, RT_ERR_LIMIT, fn, ln,
                               "the problem line declares %" PRIu64
                               " nodes; the limit is 4294967295 (2^32-1)", v[0]);
    if (v[1] > (uint64_t)INT64_MAX)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                               "%" PRIu64 " arcs is more than any file can hold", v[1]);
    return 0;
}

int rt_parse_gr(const char *buf, size_t len, const char *filename, int weighted, rt_edges *out,
                rt_error *err)
{
    memset(out, 0, sizeof *out);
    const char *fn = filename ? filename : "<input>";
    gr_ctx x = {0};
    rt_cursor cu;
    rt_cursor_init(&cu, buf, len);
    const unsigned char *ls, *le;
    uint64_t ln;
    for (;;) {
        if (!rt_cursor_line(&cu, &ls, &le, &ln))
            return rt_error_set_at(err, RT_ERR_INPUT, fn, 0, "missing the problem line " P_LINE);
        const unsigned char *q = rt_skip_blanks(ls, le, rt_cls_ws);
        if (q == le || is_letter(q, le, 'c'))
            continue;
        if (is_letter(q, le, 'p')) {
            if (parse_p(q, le, ln, fn, &x, err))
                return err->code;
            break;
        }
        if (is_letter(q, le, 'a'))
            return rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                                   "arc before the problem line " P_LINE);
        return bad_at(err, fn, ln, "unknown line type '%s' (expected 'c', 'p' or 'a')", q,
                      rt_token_end(q, le, rt_cls_ws));
    }
    rt_body bd = {
        .fn = fn,
        .weighted = weighted,
        .keep_w = weighted != 0,
        .slots_per_line = 1,
        .expect = (int64_t)x.arcs,
        .allow_empty = 1,
        .parse = gr_parse,
        .message = gr_message,
        .too_few = gr_too_few,
        .ctx = &x,
    };
    int rc = rt_parse_body(buf, len, (size_t)(cu.p - (const unsigned char *)buf), cu.line, &bd,
                           out, err);
    if (rc)
        return rc;
    out->declared_n = x.n;
    return 0;
}
