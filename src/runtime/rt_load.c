/* rt_load.c - the parallel body parser shared by all text formats (see
 * rt_lex.h), the edge-list formats el and wel, reading files, and the format
 * table. csv, mtx and gr are in rt_load_csv.c, rt_load_mtx.c, rt_load_gr.c. */
#include "runtime/rt_load.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/rt_lex.h"
#include "runtime/rt_mem.h"
#include "runtime/rt_parallel.h"

#define WS_CLASSES                                                                         \
    ['0' ... '9'] = C_DIGIT, [' '] = C_SPACE, ['\t'] = C_SPACE, ['\r'] = C_SPACE,          \
    ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\n'] = C_NL

const unsigned char rt_cls_ws[256] = {WS_CLASSES};
const unsigned char rt_cls_csv[256] = {WS_CLASSES, [','] = C_DELIM};

/* ---- lexing helpers ------------------------------------------------------------- */

int rt_lex_u64(const unsigned char **pp, const unsigned char *e, const unsigned char *cl,
               uint64_t *out)
{
    const unsigned char *p = *pp;
    if (p >= e || cl[*p] != C_DIGIT) {
        int neg = p < e && *p == '-' && p + 1 < e && cl[p[1]] == C_DIGIT;
        if (neg) { /* all digits after the sign: a negative number */
            const unsigned char *q = p + 1;
            while (q < e && cl[*q] == C_DIGIT)
                q++;
            neg = q == e || cl[*q] >= C_SPACE;
        }
        return neg ? RT_E_NEG_ID : RT_E_BAD_ID;
    }
    uint64_t x = 0;
    int big = 0;
    while (p < e && cl[*p] == C_DIGIT) {
        big |= __builtin_mul_overflow(x, 10, &x);
        big |= __builtin_add_overflow(x, (uint64_t)(*p - '0'), &x);
        p++;
    }
    if (p < e && cl[*p] == C_OTHER)
        return RT_E_BAD_ID;
    if (big)
        return RT_E_BIG_ID;
    *pp = p;
    *out = x;
    return 0;
}

int rt_lex_number_slow(const unsigned char *s, const unsigned char *e, double *out)
{
    /* strtod on a NUL-terminated copy. */
    size_t len = (size_t)(e - s);
    if (len == 0 || isspace(*s))
        return 0;
    char small[128];
    char *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    int good = end == buf + len;
    if (buf != small)
        free(buf);
    if (good)
        *out = d; /* overflow gives +-inf, underflow 0 or a subnormal: accepted */
    return good;
}

void rt_cursor_init(rt_cursor *cu, const char *buf, size_t len)
{
    const unsigned char *b = (const unsigned char *)buf;
    size_t start = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    cu->p = b + start;
    cu->e = b + len;
    cu->line = 1;
}

int rt_cursor_line(rt_cursor *cu, const unsigned char **ls, const unsigned char **le, uint64_t *ln)
{
    if (cu->p >= cu->e)
        return 0;
    const unsigned char *q = memchr(cu->p, '\n', (size_t)(cu->e - cu->p));
    *ls = cu->p;
    *le = q ? q : cu->e;
    *ln = cu->line++;
    cu->p = q ? q + 1 : cu->e;
    return 1;
}

int rt_word_eq(const unsigned char *s, const unsigned char *e, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(e - s) == n && strncasecmp((const char *)s, w, n) == 0;
}

char *rt_chunk_token(const rt_chunk *c, char *out, size_t outsz)
{
    out[0] = '\0';
    if (c->tok)
        rt_quote_token(out, outsz, (const char *)c->tok, c->tok_len, 60);
    return out;
}

void rt_chunk_message(const rt_chunk *c, const rt_body *b, rt_error *err)
{
    char tok[160];
    rt_chunk_token(c, tok, sizeof tok);
    const char *fn = b->fn;
    uint64_t ln = c->err_line;
    switch (c->err) {
    case RT_E_BAD_ID:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "expected a node id, got '%s'", tok);
        break;
    case RT_E_NEG_ID:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "negative node id '%s'", tok);
        break;
    case RT_E_BIG_ID:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "node id %s does not fit in 64 bits", tok);
        break;
    case RT_E_BAD_WEIGHT:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "expected a weight (a number), got '%s'", tok);
        break;
    case RT_E_NEG_WEIGHT:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "negative edge weight %s (the program needs weights >= 0)", tok);
        break;
    case RT_E_NAN_WEIGHT:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "edge weight %s is not a number (the program needs weights >= 0)", tok);
        break;
    case RT_E_TOO_MANY:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "more entries than the header declares");
        break;
    default:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "malformed line (internal error kind %d)",
                        c->err);
        break;
    }
}

/* ---- the parallel body parser ------------------------------------------------------ */

/* PAR_BYTES: smaller bodies are parsed on the calling thread (about 5 ms of
 * work), since starting or waking the team can cost more on a busy machine. */
enum { CHUNK_BYTES = 64 << 10, MAX_CHUNKS = 4096, PAR_BYTES = 1 << 20 };

static size_t hook_chunk_bytes;
static int hook_max_chunks;

void rt_load_set_chunking(size_t chunk_bytes, int max_chunks)
{
    hook_chunk_bytes = chunk_bytes;
    hook_max_chunks = max_chunks > MAX_CHUNKS ? MAX_CHUNKS : max_chunks < 0 ? 0 : max_chunks;
}

/* Newlines in [p, e), eight bytes at a time (exact zero-byte test). */
static uint64_t count_newlines(const unsigned char *p, const unsigned char *e)
{
    const uint64_t ones7 = 0x7f7f7f7f7f7f7f7fULL, nls = 0x0a0a0a0a0a0a0a0aULL;
    uint64_t n = 0;
    while (e - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= nls;
        uint64_t t = ((w & ones7) + ones7) | w; /* high bit set iff byte != 0 */
        /* one bit (bit 7) per newline byte; sum the bytes with a multiply */
        n += (((~t & ~ones7) >> 7) * 0x0101010101010101ULL) >> 56;
        p += 8;
    }
    while (p < e)
        n += *p++ == '\n';
    return n;
}

static void chunk_reset(rt_chunk *c, int64_t limit)
{
    c->limit = limit;
    c->cnt = c->entries = c->nweighted = 0;
    c->max_id = 0;
    c->err = RT_E_NONE;
    c->err_field = 0;
    c->err_line = 0;
    c->tok = NULL;
    c->tok_len = 0;
    c->has_miss = 0;
    c->miss_line = 0;
}

/* Moves chunk ranges together. Returns the index of the first edge. */
static int64_t make_contiguous(rt_chunk *ch, int nch, rt_edge *E, double *W)
{
    int gaps_after_first = 0;
    for (int k = 1; k < nch; k++)
        gaps_after_first |= ch[k].cnt != ch[k].cap;
    if (!gaps_after_first) {
        /* Only the first chunk has unused slots: slide it right against the
         * second one instead of sliding everything else left. */
        int64_t gap = ch[0].cap - ch[0].cnt;
        if (gap && ch[0].cnt) {
            memmove(E + gap, E, (size_t)ch[0].cnt * sizeof *E);
            if (W)
                memmove(W + gap, W, (size_t)ch[0].cnt * sizeof *W);
        }
        return gap;
    }
    int64_t dst = ch[0].cnt;
    for (int k = 1; k < nch; k++) {
        if (ch[k].cnt && dst != ch[k].off) {
            memmove(E + dst, E + ch[k].off, (size_t)ch[k].cnt * sizeof *E);
            if (W)
                memmove(W + dst, W + ch[k].off, (size_t)ch[k].cnt * sizeof *W);
        }
        dst += ch[k].cnt;
    }
    return 0;
}

int rt_parse_body(const char *buf, size_t len, size_t start, uint64_t line0, const rt_body *bd,
                  rt_edges *out, rt_error *err)
{
    memset(out, 0, sizeof *out);
    const unsigned char *b = (const unsigned char *)buf;
    size_t body = len - start;

    size_t cb = hook_chunk_bytes ? hook_chunk_bytes : CHUNK_BYTES;
    size_t maxc = hook_max_chunks ? (size_t)hook_max_chunks
                  : (size_t)rt_threads() * 16 < MAX_CHUNKS ? (size_t)rt_threads() * 16
                                                           : MAX_CHUNKS;
    size_t want = body / cb;
    int nch = (int)(want < 1 ? 1 : want > maxc ? maxc : want);
    rt_chunk *ch = calloc((size_t)nch, sizeof *ch);
    if (!ch)
        return rt_error_set(err, RT_ERR_NOMEM, 0, "out of memory: needed %zu bytes for %s",
                            (size_t)nch * sizeof *ch, "parser chunks");
    size_t pos = start;
    for (int k = 0; k < nch; k++) {
        ch[k].beg = b + pos;
        size_t end = len;
        if (k < nch - 1) {
            size_t nominal = start + (size_t)((double)body * (k + 1) / nch);
            if (nominal <= pos)
                nominal = pos + 1;
            if (nominal < len) {
                const unsigned char *q = memchr(b + nominal - 1, '\n', len - (nominal - 1));
                end = q ? (size_t)(q - b) + 1 : len;
            }
        }
        ch[k].end = b + end;
        pos = end;
    }

    int par = nch > 1 && body >= PAR_BYTES;
#pragma omp parallel for schedule(dynamic, 1) if (par)
    for (int k = 0; k < nch; k++)
        ch[k].nl = count_newlines(ch[k].beg, ch[k].end);

    uint64_t line = line0;
    int64_t cap = 0, spl = bd->slots_per_line;
    for (int k = 0; k < nch; k++) {
        ch[k].line0 = line;
        ch[k].off = cap;
        ch[k].cap = ((int64_t)ch[k].nl + (ch[k].end > ch[k].beg && ch[k].end[-1] != '\n')) * spl;
        line += ch[k].nl;
        cap += ch[k].cap;
    }
    out->lines = line - 1 + (len > start && b[len - 1] != '\n');

    rt_edge *E = rt_try_alloc(cap, (int64_t)sizeof(rt_edge), "the edge list", err);
    double *W = bd->keep_w && E ? rt_try_alloc(cap, (int64_t)sizeof(double), "edge weights", err)
                                : NULL;
    if (!E || (bd->keep_w && !W)) {
        rt_free(E);
        free(ch);
        return err->code;
    }

    int64_t limit = bd->expect >= 0 ? bd->expect : INT64_MAX;
#pragma omp parallel for schedule(dynamic, 1) if (par)
    for (int k = 0; k < nch; k++) {
        chunk_reset(&ch[k], limit);
        bd->parse(&ch[k], E, W, bd);
    }

    /* The first error by position. A chunk that takes the entry count past
     * the declared one is parsed again with the exact limit, which stops it
     * at the first entry too many (or at an earlier error). So is a chunk
     * that failed right at the limit: the failing line may be that entry
     * (parsers check the limit before they read an entry line). */
    int syn = -1;
    int64_t before = 0;
    for (int k = 0; k < nch; k++) {
        if (bd->expect >= 0 && (before + ch[k].entries > bd->expect ||
                                (ch[k].err && before + ch[k].entries == bd->expect))) {
            chunk_reset(&ch[k], bd->expect - before);
            bd->parse(&ch[k], E, W, bd);
        }
        if (ch[k].err) {
            syn = k;
            break;
        }
        before += ch[k].entries;
    }
    int last = syn >= 0 ? syn : nch - 1, miss = -1;
    int64_t nweighted = 0, m = 0, entries = 0;
    uint64_t maxid = 0;
    for (int k = 0; k <= last; k++) {
        if (ch[k].has_miss && miss < 0)
            miss = k;
        nweighted += ch[k].nweighted;
        m += ch[k].cnt;
        entries += ch[k].entries;
        maxid = ch[k].max_id > maxid ? ch[k].max_id : maxid;
    }
    /* A line without weight is always before the chunk's own error. */
    if (miss >= 0 && bd->miss_line_msg) {
        if (nweighted == 0 && bd->miss_file_msg)
            rt_error_set_at(err, RT_ERR_INPUT, bd->fn, 0, "%s", bd->miss_file_msg);
        else
            rt_error_set_at(err, RT_ERR_INPUT, bd->fn, ch[miss].miss_line, "%s", bd->miss_line_msg);
    } else if (syn >= 0) {
        if (!bd->message || !bd->message(&ch[syn], bd, err))
            rt_chunk_message(&ch[syn], bd, err);
    } else if (bd->expect >= 0 && entries < bd->expect) {
        bd->too_few(bd, entries, out->lines, err);
    } else if (m == 0 && !bd->allow_empty) {
        rt_error_set_at(err, RT_ERR_INPUT, bd->fn, 0, "no edges in file");
    }
    if (err->code) {
        rt_free(E);
        rt_free(W);
        free(ch);
        uint64_t lines = out->lines;
        memset(out, 0, sizeof *out);
        out->lines = lines;
        return err->code;
    }

    int64_t first = make_contiguous(ch, nch, E, W);
    free(ch);
    out->e_block = E;
    out->w_block = W;
    out->e = E + first;
    out->w = W ? W + first : NULL;
    out->m = m;
    out->max_id = maxid;
    return RT_OK;
}

void rt_edges_free(rt_edges *e)
{
    if (!e)
        return;
    rt_free(e->e_block);
    rt_free(e->w_block);
    memset(e, 0, sizeof *e);
}

/* ---- el and wel -------------------------------------------------------------------- */

enum {
    E_MISSING_V = RT_E_FORMAT, /* only one id on the line */
    E_BAD_THIRD,               /* unweighted el: third column not a number */
    E_EXTRA_COL,               /* fourth column */
    E_MISSING_W,               /* wel: no third column */
};

typedef struct el_ctx {
    int wel; /* every line needs a weight */
} el_ctx;

static void el_parse(rt_chunk *c, rt_edge *E, double *W, const rt_body *bd)
{
    const unsigned char *cl = rt_cls_ws;
    const int wel = ((const el_ctx *)bd->ctx)->wel, wmode = bd->weighted;
    const int need_w = wmode || wel;
    const unsigned char *p = c->beg, *e = c->end;
    uint64_t line = c->line0, maxid = 0;
    rt_edge *out = E + c->off;
    double *wout = W ? W + c->off : NULL;
    int64_t k = 0, nweighted = 0;
    while (p < e) {
        while (p < e && cl[*p] == C_SPACE)
            p++;
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
        if (!rt_lex_id(&p, e, cl, &u, c, 0, line))
            break;
        while (p < e && cl[*p] == C_SPACE)
            p++;
        if (p == e || *p == '\n') {
            rt_chunk_err(c, E_MISSING_V, 1, line, NULL, e, cl);
            break;
        }
        if (!rt_lex_id(&p, e, cl, &v, c, 1, line))
            break;
        while (p < e && cl[*p] == C_SPACE)
            p++;
        double w = 0;
        int has_w = 0;
        if (p < e && *p != '\n') {
            const unsigned char *t = p;
            p = rt_token_end(p, e, cl);
            if (!rt_lex_weight(t, p, wmode, &w, c, 2, line, e, cl)) {
                if (c->err == RT_E_BAD_WEIGHT && !need_w)
                    c->err = E_BAD_THIRD;
                break;
            }
            has_w = 1;
            while (p < e && cl[*p] == C_SPACE)
                p++;
            if (p < e && *p != '\n') {
                rt_chunk_err(c, E_EXTRA_COL, 3, line, p, e, cl);
                break;
            }
        } else if (wel) {
            rt_chunk_err(c, E_MISSING_W, 2, line, NULL, e, cl);
            break;
        }
        if (wout)
            wout[k] = w;
        if (need_w) {
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

static int el_message(const rt_chunk *c, const rt_body *bd, rt_error *err)
{
    const int wel = ((const el_ctx *)bd->ctx)->wel;
    char tok[160];
    rt_chunk_token(c, tok, sizeof tok);
    const char *fn = bd->fn;
    uint64_t ln = c->err_line;
    switch (c->err) {
    case E_MISSING_V:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "missing second node id");
        return 1;
    case RT_E_BAD_WEIGHT:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "expected a weight (a number) in the third column, got '%s'", tok);
        return 1;
    case E_BAD_THIRD:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "expected a number or nothing in the third column, got '%s'", tok);
        return 1;
    case E_EXTRA_COL:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        wel ? "too many columns: expected 'u v weight', got a fourth column '%s'"
                            : "too many columns: expected 'u v' or 'u v weight', got a fourth column '%s'",
                        tok);
        return 1;
    case E_MISSING_W:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "missing weight (third column): a wel file has 'u v weight' on every line");
        return 1;
    }
    return 0;
}

int rt_refuse_mtx_banner(const char *buf, size_t len, const char *fn, const char *format,
                         rt_error *err)
{
    size_t start = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (len - start >= 14 && strncasecmp(buf + start, "%%MatrixMarket", 14) == 0)
        return rt_error_set_at(err, RT_ERR_INPUT, fn, 1,
                               "this is a Matrix Market file, not %s: read it with --format=mtx",
                               format);
    return 0;
}

static int parse_el_common(const char *buf, size_t len, const char *filename, int weighted,
                           int wel, rt_edges *out, rt_error *err)
{
    el_ctx x = {wel};
    rt_body bd = {
        .fn = filename ? filename : "<input>",
        .weighted = weighted,
        .keep_w = weighted != 0,
        .slots_per_line = 1,
        .expect = -1,
        .miss_file_msg = "the program is weighted but the file has no weights (third column)",
        .miss_line_msg = "missing weight (third column) in a weighted program",
        .parse = el_parse,
        .message = el_message,
        .ctx = &x,
    };
    memset(out, 0, sizeof *out);
    if (rt_refuse_mtx_banner(buf, len, bd.fn, wel ? "a wel edge list" : "an el edge list", err))
        return err->code;
    size_t start = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    return rt_parse_body(buf, len, start, 1, &bd, out, err);
}

int rt_parse_edge_list(const char *buf, size_t len, const char *filename, int weighted,
                       rt_edges *out, rt_error *err)
{
    return parse_el_common(buf, len, filename, weighted, 0, out, err);
}

int rt_parse_wel(const char *buf, size_t len, const char *filename, int weighted, rt_edges *out,
                 rt_error *err)
{
    return parse_el_common(buf, len, filename, weighted, 1, out, err);
}

/* ---- files ------------------------------------------------------------------------- */

int rt_file_open(const char *path, rt_file *f, rt_error *err)
{
    memset(f, 0, sizeof *f);
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return rt_error_set(err, RT_ERR_IO, 0, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rt_error_set(err, RT_ERR_IO, 0, "cannot read '%s': %s", path, strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        rt_error_set(err, RT_ERR_IO, 0, "cannot read '%s': it is a directory", path);
        goto fail;
    }
    if (S_ISREG(st.st_mode)) {
        if (st.st_size == 0) {
            f->data = "";
        } else {
            if ((uint64_t)st.st_size > (uint64_t)PTRDIFF_MAX) {
                rt_error_set(err, RT_ERR_LIMIT, 0, "'%s' is too large to map", path);
                goto fail;
            }
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m == MAP_FAILED) {
                rt_error_set(err, RT_ERR_IO, 0, "cannot map '%s': %s", path, strerror(errno));
                goto fail;
            }
            f->map = m;
            f->data = m;
            f->len = (size_t)st.st_size;
        }
    } else {
        /* Pipes and devices: read everything. */
        size_t cap = 1 << 20, n = 0;
        char *h = malloc(cap);
        for (;;) {
            if (!h) {
                rt_error_set(err, RT_ERR_NOMEM, 0, "out of memory: needed %zu bytes for %s", cap,
                             "the input file");
                goto fail;
            }
            if (n == cap) {
                char *nh = cap > SIZE_MAX / 2 ? NULL : realloc(h, cap * 2);
                if (!nh)
                    free(h);
                h = nh;
                cap *= 2;
                continue;
            }
            ssize_t r = read(fd, h + n, cap - n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                rt_error_set(err, RT_ERR_IO, 0, "cannot read '%s': %s", path, strerror(errno));
                free(h);
                goto fail;
            }
            if (r == 0)
                break;
            n += (size_t)r;
        }
        f->heap = h;
        f->data = h;
        f->len = n;
    }
    if (fd != 0)
        close(fd);
    return RT_OK;
fail:
    if (fd != 0)
        close(fd);
    return err->code;
}

void rt_file_close(rt_file *f)
{
    if (f->map)
        munmap(f->map, f->len);
    free(f->heap);
    memset(f, 0, sizeof *f);
}

/* ---- format table ------------------------------------------------------------- */

static const rt_format formats[] = {
    {"el", ".el .txt .edges .tsv", "edge list: 'u v' or 'u v w' per line, # or % comments",
     rt_parse_edge_list},
    {"wel", ".wel", "weighted edge list: 'u v w' on every line, otherwise as el", rt_parse_wel},
    {"csv", ".csv", "comma-separated 'u,v' or 'u,v,w' per line, optional header line",
     rt_parse_csv},
    {"mtx", ".mtx",
     "Matrix Market coordinate (pattern|real|integer, general|symmetric), nodes 1..max(rows,cols)",
     rt_parse_mtx},
    {"gr", ".gr", "DIMACS shortest paths: 'p sp N M', 'a u v w' lines, nodes 1..N", rt_parse_gr},
};

enum { NFORMATS = (int)(sizeof formats / sizeof formats[0]) };

const rt_format *rt_format_list(int *count)
{
    *count = NFORMATS;
    return formats;
}

const rt_format *rt_format_by_name(const char *name)
{
    for (int i = 0; i < NFORMATS; i++)
        if (strcmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

const rt_format *rt_format_for_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot && dot[1]) {
        size_t n = strlen(dot);
        for (int i = 0; i < NFORMATS; i++) {
            const char *x = formats[i].extensions;
            while (*x) {
                size_t k = strcspn(x, " ");
                if (k == n && strncasecmp(x, dot, n) == 0)
                    return &formats[i];
                x += k;
                x += *x == ' ';
            }
        }
    }
    return &formats[0];
}
