/* rt_load_csv.c - comma-separated edge lists: 'u,v' or 'u,v,w' per line.
 *
 * Blanks (space, tab, \r, \v, \f) around fields are allowed; '#' and '%'
 * lines are comments and blank lines are skipped, as in el. The first line
 * that is neither may be a header: it is skipped when its first field does
 * not start like a number (see is_header), e.g. 'source,target,weight'.
 * Quoted fields are not supported anywhere else.
 * Ids and weights follow the el rules. */
#include <string.h>

#include "runtime/rt_lex.h"
#include "runtime/rt_load.h"

enum {
    E_MISSING_V = RT_E_FORMAT, /* 'u' alone on the line */
    E_EMPTY,                   /* empty field (err_field 0, 1, 2) */
    E_QUOTED,                  /* a field starts with '"' */
    E_EXPECT_COMMA,            /* something else than ',' after field err_field */
    E_EXTRA_FIELD,             /* fourth field */
    E_BAD_THIRD,               /* unweighted: third field not a number */
};

static void csv_parse(rt_chunk *c, rt_edge *E, double *W, const rt_body *bd)
{
    const unsigned char *cl = rt_cls_csv;
    const int wmode = bd->weighted;
    const unsigned char *p = c->beg, *e = c->end;
    uint64_t line = c->line0, maxid = 0;
    rt_edge *out = E + c->off;
    double *wout = W ? W + c->off : NULL;
    int64_t k = 0, nweighted = 0;
    while (p < e) {
        p = rt_skip_blanks(p, e, cl);
        if (p == e)
            break;
        if (*p == '\n') {
            p++;
            line++;
            continue;
        }
        if (*p == '#' || *p == '%') {
            const unsigned char *q = memchr(p, '\n', (size_t)(e - p));
            if (!q)
                break;
            p = q + 1;
            line++;
            continue;
        }
        uint64_t u, v;
        if (*p == '"' || *p == ',') {
            rt_chunk_err(c, *p == '"' ? E_QUOTED : E_EMPTY, 0, line, p, e, cl);
            break;
        }
        if (!rt_lex_id(&p, e, cl, &u, c, 0, line))
            break;
        p = rt_skip_blanks(p, e, cl);
        if (p == e || *p == '\n') {
            rt_chunk_err(c, E_MISSING_V, 1, line, NULL, e, cl);
            break;
        }
        if (*p != ',') {
            rt_chunk_err(c, E_EXPECT_COMMA, 0, line, p, e, cl);
            break;
        }
        p = rt_skip_blanks(p + 1, e, cl);
        if (p == e || *p == '\n' || *p == ',' || *p == '"') {
            rt_chunk_err(c, p < e && *p == '"' ? E_QUOTED : E_EMPTY, 1, line, p, e, cl);
            break;
        }
        if (!rt_lex_id(&p, e, cl, &v, c, 1, line))
            break;
        p = rt_skip_blanks(p, e, cl);
        double w = 0;
        int has_w = 0;
        if (p < e && *p == ',') {
            p = rt_skip_blanks(p + 1, e, cl);
            if (p == e || *p == '\n' || *p == ',' || *p == '"') {
                rt_chunk_err(c, p < e && *p == '"' ? E_QUOTED : E_EMPTY, 2, line, p, e, cl);
                break;
            }
            const unsigned char *t = p;
            p = rt_token_end(p, e, cl);
            if (!rt_lex_weight(t, p, wmode, &w, c, 2, line, e, cl)) {
                if (c->err == RT_E_BAD_WEIGHT && !wmode)
                    c->err = E_BAD_THIRD;
                break;
            }
            has_w = 1;
            p = rt_skip_blanks(p, e, cl);
            if (p < e && *p == ',') {
                rt_chunk_err(c, E_EXTRA_FIELD, 3, line, rt_skip_blanks(p + 1, e, cl), e, cl);
                break;
            }
            if (p < e && *p != '\n') {
                rt_chunk_err(c, E_EXPECT_COMMA, 2, line, p, e, cl);
                break;
            }
        } else if (p < e && *p != '\n') {
            rt_chunk_err(c, E_EXPECT_COMMA, 1, line, p, e, cl);
            break;
        }
        if (wout)
            wout[k] = w;
        if (wmode) {
            if (has_w)
                nweighted++;
            else if (!c->has_miss) {
                c->has_miss = 1;
                c->miss_line = line;
            }
        }
        out[k].u = u;
        out[k].v = v;
        k++;
        uint64_t hi = u > v ? u : v;
        maxid = hi > maxid ? hi : maxid;
        if (p < e)
            p++; /* the newline */
        line++;
    }
    c->cnt = k;
    c->entries = k;
    c->nweighted = nweighted;
    c->max_id = maxid;
}

static int csv_message(const rt_chunk *c, const rt_body *bd, rt_error *err)
{
    static const char *const nth[] = {"first", "second", "third", "fourth"};
    char tok[160];
    rt_chunk_token(c, tok, sizeof tok);
    const char *fn = bd->fn;
    uint64_t ln = c->err_line;
    int f = c->err_field >= 0 && c->err_field < 4 ? c->err_field : 3;
    switch (c->err) {
    case E_MISSING_V:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "missing second node id ('u,v' per line)");
        return 1;
    case E_EMPTY:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "empty %s field: expected %s", nth[f],
                        f == 2 ? "a weight (a number)" : "a node id");
        return 1;
    case E_QUOTED:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "quoted fields are not supported (%s field '%s')", nth[f], tok);
        return 1;
    case E_EXPECT_COMMA:
        if (f == 2)
            rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                            "expected ',' or the end of the line after the weight, got '%s'", tok);
        else
            rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                            "expected ',' after the %s node id, got '%s'", nth[f], tok);
        return 1;
    case E_EXTRA_FIELD:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "too many fields: expected 'u,v' or 'u,v,weight', got a fourth field '%s'",
                        tok);
        return 1;
    case E_BAD_THIRD:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "expected a number or nothing in the third field, got '%s'", tok);
        return 1;
    case RT_E_BAD_WEIGHT:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "expected a weight (a number) in the third field, got '%s'", tok);
        return 1;
    }
    return 0;
}

/* Is the line [s, e) a header? Its first field (after blanks and an opening
 * double quote) is not empty and does not start like a number: not with a
 * digit, '+', '-' or '.'. ("1 2", "1;2" and "-1,2" are data lines and get
 * their own error; "source,target" and "\"from\",\"to\"" are headers.) */
static int is_header(const unsigned char *s, const unsigned char *e)
{
    s = rt_skip_blanks(s, e, rt_cls_csv);
    if (s < e && *s == '"')
        s++;
    if (s == e || *s == ',' || *s == '"' || rt_cls_csv[*s] >= C_SPACE)
        return 0;
    return !((*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '.');
}

int rt_parse_csv(const char *buf, size_t len, const char *filename, int weighted, rt_edges *out,
                 rt_error *err)
{
    rt_body bd = {
        .fn = filename ? filename : "<input>",
        .weighted = weighted,
        .keep_w = weighted != 0,
        .slots_per_line = 1,
        .expect = -1,
        .miss_file_msg = "the program is weighted but the file has no weights (third field)",
        .miss_line_msg = "missing weight (third field) in a weighted program",
        .parse = csv_parse,
        .message = csv_message,
    };
    memset(out, 0, sizeof *out);
    if (rt_refuse_mtx_banner(buf, len, bd.fn, "a csv edge list", err))
        return err->code;
    /* The first line that is not blank or a comment: a header? */
    rt_cursor cu;
    rt_cursor_init(&cu, buf, len);
    size_t start = (size_t)(cu.p - (const unsigned char *)buf);
    uint64_t line0 = 1;
    const unsigned char *ls, *le;
    uint64_t ln;
    for (;;) {
        const unsigned char *at = cu.p;
        if (!rt_cursor_line(&cu, &ls, &le, &ln))
            break;
        const unsigned char *q = rt_skip_blanks(ls, le, rt_cls_csv);
        if (q == le || *q == '#' || *q == '%')
            continue;
        if (is_header(ls, le)) {
            start = (size_t)(cu.p - (const unsigned char *)buf);
            line0 = cu.line;
        } else {
            start = (size_t)(at - (const unsigned char *)buf);
            line0 = ln;
        }
        break;
    }
    return rt_parse_body(buf, len, start, line0, &bd, out, err);
}
