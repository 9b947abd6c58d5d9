/* rt_load.c - reading files and parsing edge lists in parallel.
 *
 * The buffer is cut into chunks at line boundaries. A first parallel pass
 * counts newlines per chunk, which gives each chunk its first line number and
 * an upper bound on its edges (one per line), hence a private slot range in
 * one shared edge array. A second parallel pass parses the chunks into their
 * ranges; a chunk stops at its first error, and the error of the lowest
 * chunk wins, which is the first error in the file whatever the thread count.
 * Finally the ranges are made contiguous (usually without moving anything but
 * the first chunk, which holds the header comments). */
#include "runtime/rt_load.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/rt_mem.h"
#include "runtime/rt_parallel.h"

enum { C_OTHER = 0, C_DIGIT = 1, C_SPACE = 2, C_NL = 3 };

static const unsigned char cls[256] = {
    ['0' ... '9'] = C_DIGIT,
    [' '] = C_SPACE, ['\t'] = C_SPACE, ['\r'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE,
    ['\n'] = C_NL,
};

/* Errors found while parsing; the message is formatted only for the winner. */
enum {
    E_NONE,
    E_BAD_ID,      /* token is not an id */
    E_NEG_ID,      /* -123 */
    E_BIG_ID,      /* more than 64 bits */
    E_MISSING_V,   /* only one id on the line */
    E_BAD_WEIGHT,  /* weighted: third column not a number */
    E_BAD_THIRD,   /* unweighted: third column not a number */
    E_EXTRA_COL,   /* fourth column */
};

typedef struct chunk {
    const unsigned char *beg, *end; /* whole lines */
    uint64_t line0;                 /* line number of beg */
    uint64_t nl;                    /* newlines in [beg, end) */
    int64_t cap, off;               /* reserved edge slots [off, off+cap) */
    int64_t cnt;                    /* edges parsed */
    int64_t nweighted;              /* edge lines that had a third column */
    uint64_t max_id;
    int err;                        /* E_* */
    uint64_t err_line;
    const unsigned char *tok;       /* offending token */
    size_t tok_len;
    int has_miss;                   /* weighted: an edge line without weight */
    uint64_t miss_line;
} chunk;

enum { CHUNK_BYTES = 64 << 10, MAX_CHUNKS = 4096 };

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

static const unsigned char *token_end(const unsigned char *p, const unsigned char *e)
{
    while (p < e && cls[*p] < C_SPACE)
        p++;
    return p;
}

static const uint64_t pow10_u64[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                      100000000};

static void set_err(chunk *c, int kind, uint64_t line, const unsigned char *tok,
                    const unsigned char *e)
{
    c->err = kind;
    c->err_line = line;
    c->tok = tok;
    c->tok_len = tok ? (size_t)(token_end(tok, e) - tok) : 0;
}

/* The slow, careful path: any length, overflow-checked, and the error
 * classification. *pp points at the first byte of the field. */
static __attribute__((noinline)) int parse_id_slow(const unsigned char **pp,
                                                   const unsigned char *e, uint64_t *out,
                                                   chunk *c, uint64_t line)
{
    const unsigned char *p = *pp, *s = p;
    if (cls[*p] != C_DIGIT) {
        int neg = *p == '-' && p + 1 < e && cls[p[1]] == C_DIGIT;
        if (neg) { /* all digits after the sign: a negative number */
            const unsigned char *q = p + 1;
            while (q < e && cls[*q] == C_DIGIT)
                q++;
            neg = q == e || cls[*q] >= C_SPACE;
        }
        set_err(c, neg ? E_NEG_ID : E_BAD_ID, line, s, e);
        return 0;
    }
    uint64_t x = 0;
    int big = 0;
    while (p < e && cls[*p] == C_DIGIT) {
        big |= __builtin_mul_overflow(x, 10, &x);
        big |= __builtin_add_overflow(x, (uint64_t)(*p - '0'), &x);
        p++;
    }
    if (p < e && cls[*p] == C_OTHER) {
        set_err(c, E_BAD_ID, line, s, e);
        return 0;
    }
    if (big) {
        set_err(c, E_BIG_ID, line, s, e);
        return 0;
    }
    *pp = p;
    *out = x;
    return 1;
}

/* Number of leading decimal digits in the 8 bytes of w (little endian:
 * byte 0 is the first character), 0..8. A byte is a digit iff its high
 * nibble is 3 and adding 6 keeps it 3; carries only disturb bytes after the
 * first non-digit, which do not matter. */
static inline int digit_run(uint64_t w)
{
    const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL;
    uint64_t t = (w & hi) | (((w + 0x0606060606060606ULL) & hi) >> 4);
    t ^= 0x3333333333333333ULL;
    return t ? __builtin_ctzll(t) >> 3 : 8;
}

/* Value of the first k (1..8) digit characters of w. */
static inline uint64_t digits_value(uint64_t w, int k)
{
    uint64_t v = (w - 0x3030303030303030ULL) << (8 * (8 - k)); /* right-align the k digits */
    v = (v * 10 + (v >> 8)) & 0x00FF00FF00FF00FFULL;
    v = (v * 100 + (v >> 16)) & 0x0000FFFF0000FFFFULL;
    v = (v * 10000 + (v >> 32)) & 0x00000000FFFFFFFFULL;
    return v;
}

/* Parses an id at *pp (which is not blank). Ids of up to 16 digits followed
 * by a delimiter, with 16 bytes readable, take the word-at-a-time path;
 * everything else, including all errors, the careful one. On error records
 * it in c and returns 0. */
static inline __attribute__((always_inline)) int parse_id(const unsigned char **pp,
                                                          const unsigned char *e,
                                                          uint64_t *out, chunk *c,
                                                          uint64_t line)
{
    const unsigned char *p = *pp;
    if (e - p >= 17) {
        uint64_t w;
        memcpy(&w, p, 8);
        int k = digit_run(w);
        if (k > 0 && k < 8) {
            if (cls[p[k]] >= C_SPACE) {
                *out = digits_value(w, k);
                *pp = p + k;
                return 1;
            }
        } else if (k == 8) {
            uint64_t w2;
            memcpy(&w2, p + 8, 8);
            int k2 = digit_run(w2);
            if (k2 < 8 && cls[p[8 + k2]] >= C_SPACE) {
                uint64_t x = digits_value(w, 8);
                if (k2)
                    x = x * pow10_u64[k2] + digits_value(w2, k2);
                *out = x;
                *pp = p + 8 + k2;
                return 1;
            }
        }
    }
    return parse_id_slow(pp, e, out, c, line);
}

static const double pow10_exact[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* A number in [s, e) (a whole token). Simple decimals take an exact fast path
 * (mantissa < 2^53 and a power of ten <= 1e22 are both exact, so one IEEE
 * multiply or divide rounds correctly); everything else goes to strtod. */
static int parse_number(const unsigned char *s, const unsigned char *e, double *out)
{
    const unsigned char *p = s;
    int neg = 0;
    if (p < e && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    uint64_t mant = 0;
    int sig = 0, frac = 0, digits = 0, ok = 1;
    for (; p < e && cls[*p] == C_DIGIT; p++, digits++) {
        if (mant || *p != '0')
            sig++;
        mant = mant * 10 + (uint64_t)(*p - '0');
    }
    if (p < e && *p == '.') {
        for (p++; p < e && cls[*p] == C_DIGIT; p++, digits++, frac++) {
            if (mant || *p != '0')
                sig++;
            mant = mant * 10 + (uint64_t)(*p - '0');
        }
    }
    int ex = 0;
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0, ed = 0;
        if (p < e && (*p == '-' || *p == '+'))
            eneg = *p++ == '-';
        for (; p < e && cls[*p] == C_DIGIT && ed < 4; p++, ed++)
            ex = ex * 10 + (*p - '0');
        if (ed == 0 || ed >= 4)
            ok = 0;
        if (eneg)
            ex = -ex;
    }
    if (ok && digits > 0 && p == e && sig <= 15) {
        int e10 = ex - frac;
        if (e10 >= -22 && e10 <= 22) {
            double d = (double)mant;
            d = e10 >= 0 ? d * pow10_exact[e10] : d / pow10_exact[-e10];
            *out = neg ? -d : d;
            return 1;
        }
    }
    /* Slow path: strtod on a NUL-terminated copy. */
    size_t len = (size_t)(e - s);
    if (len == 0)
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
    int good = end == buf + len && cls[(unsigned char)buf[0]] != C_SPACE;
    if (buf != small)
        free(buf);
    if (good)
        *out = d; /* overflow gives +-inf, underflow 0 or a subnormal: accepted */
    return good;
}

static void parse_chunk(chunk *c, rt_edge *E, double *W, int weighted)
{
    const unsigned char *p = c->beg, *e = c->end;
    uint64_t line = c->line0, maxid = 0;
    rt_edge *out = E + c->off;
    double *wout = W ? W + c->off : NULL;
    int64_t k = 0, nweighted = 0;
    while (p < e) {
        while (p < e && cls[*p] == C_SPACE)
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
        if (!parse_id(&p, e, &u, c, line))
            break;
        while (p < e && cls[*p] == C_SPACE)
            p++;
        if (p == e || *p == '\n') {
            set_err(c, E_MISSING_V, line, NULL, e);
            break;
        }
        if (!parse_id(&p, e, &v, c, line))
            break;
        while (p < e && cls[*p] == C_SPACE)
            p++;
        double w = 0;
        int has_w = 0;
        if (p < e && *p != '\n') {
            const unsigned char *t = p;
            p = token_end(p, e);
            if (!parse_number(t, p, &w)) {
                set_err(c, weighted ? E_BAD_WEIGHT : E_BAD_THIRD, line, t, e);
                break;
            }
            has_w = 1;
            while (p < e && cls[*p] == C_SPACE)
                p++;
            if (p < e && *p != '\n') {
                set_err(c, E_EXTRA_COL, line, p, e);
                break;
            }
        }
        if (wout) {
            wout[k] = w;
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
    c->nweighted = nweighted;
    c->max_id = maxid;
}

static void format_error(const chunk *c, const char *fn, rt_error *err)
{
    char tok[160] = "";
    if (c->tok)
        rt_quote_token(tok, sizeof tok, (const char *)c->tok, c->tok_len, 60);
    uint64_t ln = c->err_line;
    switch (c->err) {
    case E_BAD_ID:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "expected a node id, got '%s'", tok);
        break;
    case E_NEG_ID:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "negative node id '%s'", tok);
        break;
    case E_BIG_ID:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "node id %s does not fit in 64 bits", tok);
        break;
    case E_MISSING_V:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln, "missing second node id");
        break;
    case E_BAD_WEIGHT:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "expected a weight (a number) in the third column, got '%s'", tok);
        break;
    case E_BAD_THIRD:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "expected a number or nothing in the third column, got '%s'", tok);
        break;
    case E_EXTRA_COL:
        rt_error_set_at(err, RT_ERR_INPUT, fn, ln,
                        "too many columns: expected 'u v' or 'u v weight', got a fourth column '%s'", tok);
        break;
    }
}

void rt_edges_free(rt_edges *e)
{
    if (!e)
        return;
    rt_free(e->e_block);
    rt_free(e->w_block);
    memset(e, 0, sizeof *e);
}

/* Moves chunk ranges together. Returns the index of the first edge. */
static int64_t make_contiguous(chunk *ch, int nch, rt_edge *E, double *W)
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

int rt_parse_edge_list(const char *buf, size_t len, const char *filename, int weighted,
                       rt_edges *out, rt_error *err)
{
    memset(out, 0, sizeof *out);
    if (!filename)
        filename = "<input>";
    const unsigned char *b = (const unsigned char *)buf;
    size_t start = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t body = len - start;

    int nt = rt_threads();
    size_t want = body / CHUNK_BYTES;
    size_t maxc = (size_t)nt * 16 < MAX_CHUNKS ? (size_t)nt * 16 : MAX_CHUNKS;
    int nch = (int)(want < 1 ? 1 : want > maxc ? maxc : want);
    chunk *ch = calloc((size_t)nch, sizeof *ch);
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

#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < nch; k++)
        ch[k].nl = count_newlines(ch[k].beg, ch[k].end);

    uint64_t line = 1;
    int64_t cap = 0;
    for (int k = 0; k < nch; k++) {
        ch[k].line0 = line;
        ch[k].off = cap;
        ch[k].cap = (int64_t)ch[k].nl + (ch[k].end > ch[k].beg && ch[k].end[-1] != '\n');
        line += ch[k].nl;
        cap += ch[k].cap;
    }
    out->lines = line - 1 + (len > start && b[len - 1] != '\n');

    rt_edge *E = rt_try_alloc(cap, (int64_t)sizeof(rt_edge), "the edge list", err);
    double *W = weighted && E ? rt_try_alloc(cap, (int64_t)sizeof(double), "edge weights", err) : NULL;
    if (!E || (weighted && !W)) {
        rt_free(E);
        free(ch);
        return err->code;
    }

#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < nch; k++)
        parse_chunk(&ch[k], E, W, weighted);

    /* The first syntax error by position, and the first edge line without a
     * weight before it (chunks past the failing one are ignored). */
    int last = nch - 1, syn = -1;
    for (int k = 0; k < nch; k++)
        if (ch[k].err) {
            syn = k;
            last = k;
            break;
        }
    int miss = -1;
    int64_t nweighted = 0, m = 0;
    uint64_t maxid = 0;
    for (int k = 0; k <= last; k++) {
        if (ch[k].has_miss && miss < 0)
            miss = k;
        nweighted += ch[k].nweighted;
        m += ch[k].cnt;
        maxid = ch[k].max_id > maxid ? ch[k].max_id : maxid;
    }
    if (weighted && miss >= 0) {
        if (nweighted == 0)
            rt_error_set_at(err, RT_ERR_INPUT, filename, 0,
                            "the program is weighted but the file has no weights (third column)");
        else
            rt_error_set_at(err, RT_ERR_INPUT, filename, ch[miss].miss_line,
                            "missing weight (third column) in a weighted program");
    } else if (syn >= 0) {
        format_error(&ch[syn], filename, err);
    } else if (m == 0) {
        rt_error_set_at(err, RT_ERR_INPUT, filename, 0, "no edges in file");
    }
    if (err->code) {
        rt_free(E);
        rt_free(W);
        free(ch);
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
};

const rt_format *rt_format_list(int *count)
{
    *count = (int)(sizeof formats / sizeof formats[0]);
    return formats;
}

const rt_format *rt_format_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
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
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
            for (const char *x = formats[i].extensions; (x = strstr(x, dot)) != NULL; x += n)
                if (x[n] == ' ' || x[n] == '\0')
                    return &formats[i];
    }
    return &formats[0];
}
