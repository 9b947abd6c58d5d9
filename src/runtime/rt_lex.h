/* rt_lex.h - pieces shared by the text graph parsers (internal to the runtime).
 *
 * Every text format is read the same way: a short sequential prologue (BOM,
 * banner, size line, problem line, CSV header) is parsed by the format
 * itself, then rt_parse_body cuts the rest of the buffer into chunks at line
 * boundaries and runs the format's chunk parser on all threads:
 *
 *   1. count the newlines of every chunk (parallel): each chunk learns its
 *      first line number and an upper bound on its edges (slots_per_line per
 *      line), hence a private range of slots in one shared edge array;
 *   2. parse every chunk into its range (parallel); a chunk stops at its
 *      first error;
 *   3. combine, in file order: the first error by position wins (a chunk's
 *      error, a missing weight, or - when the header declared the number of
 *      entries - the entry one past that number, found by parsing its chunk
 *      again with a limit); then "too few entries"; then the ranges are made
 *      contiguous.
 *
 * The result is the same whatever the number of threads and the chunk size
 * (rt_load_set_chunking lets tests and fuzzers use tiny chunks). */
#ifndef GRAPHC_RT_LEX_H
#define GRAPHC_RT_LEX_H
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt_err.h"
#include "runtime/rt_load.h"

/* Byte classes. Tokens end at any class >= C_SPACE. */
enum { C_OTHER = 0, C_DIGIT = 1, C_SPACE = 2, C_NL = 3, C_DELIM = 4 };

/* Blank-separated formats (el, wel, mtx, gr): blanks are space, \t, \r, \v, \f. */
extern const unsigned char rt_cls_ws[256];
/* csv: the same, and ',' (C_DELIM) also ends a token. */
extern const unsigned char rt_cls_csv[256];

/* Error kinds found by chunk parsers; the message is formatted only for the
 * error that wins. Kinds from RT_E_FORMAT on belong to one format. */
enum {
    RT_E_NONE = 0,
    RT_E_BAD_ID,     /* token is not an unsigned integer */
    RT_E_NEG_ID,     /* -123 */
    RT_E_BIG_ID,     /* more than 64 bits */
    RT_E_BAD_WEIGHT, /* the weight token is not a number */
    RT_E_NEG_WEIGHT, /* nonnegative program: weight < 0 */
    RT_E_NAN_WEIGHT, /* nonnegative program: weight is NaN */
    RT_E_TOO_MANY,   /* one entry more than the header declared */
    RT_E_FORMAT = 32,
};

typedef struct rt_chunk {
    const unsigned char *beg, *end; /* whole lines */
    uint64_t line0;                 /* line number of beg */
    uint64_t nl;                    /* newlines in [beg, end) */
    int64_t cap, off;               /* edge slots [off, off+cap) */
    int64_t limit;                  /* entries allowed before RT_E_TOO_MANY */
    /* results */
    int64_t cnt;                    /* edges written */
    int64_t entries;                /* data lines (edges, entries, arcs) read */
    int64_t nweighted;              /* data lines that had a weight */
    uint64_t max_id;
    int err;                        /* RT_E_* or a format's kind */
    int err_field;                  /* which field, for formats that say so */
    uint64_t err_line;
    const unsigned char *tok;       /* offending token (or NULL) */
    size_t tok_len;
    int has_miss;                   /* el/csv in a weighted program: a line without weight */
    uint64_t miss_line;
} rt_chunk;

typedef struct rt_body rt_body;
struct rt_body {
    const char *fn;     /* file name for messages */
    int weighted;       /* the program's mode: 0, 1, RT_WEIGHTS_NONNEG */
    int keep_w;         /* fill a weight array */
    int slots_per_line; /* edges one line can give (1; 2 for symmetric mtx) */
    int64_t expect;     /* entries declared by the header, or -1 */
    int allow_empty;    /* no edges is fine (declared node sets) */
    /* Weighted el/csv: messages when lines lack a weight (has_miss): the
     * whole file (no line had one), or the first line without. */
    const char *miss_file_msg, *miss_line_msg;
    /* Parses c's lines into E + c->off (and W + c->off when keep_w). */
    void (*parse)(rt_chunk *c, rt_edge *E, double *W, const rt_body *b);
    /* Formats c's error (any kind); may leave the generic kinds to
     * rt_chunk_message by returning 0. */
    int (*message)(const rt_chunk *c, const rt_body *b, rt_error *err);
    /* expect >= 0 and fewer entries: the message, located at the last line. */
    void (*too_few)(const rt_body *b, int64_t found, uint64_t last_line, rt_error *err);
    const void *ctx; /* format state */
};

/* Parses buf[start..len) (line `line0` starts at start) with b. Fills out
 * (e, w, m, max_id, lines) or returns err->code. */
int rt_parse_body(const char *buf, size_t len, size_t start, uint64_t line0, const rt_body *b,
                  rt_edges *out, rt_error *err);

/* el, wel and csv take '%' lines for comments, so a Matrix Market file would
 * silently read as edges (its size line as the first one): refuse a file
 * whose first line starts with "%%MatrixMarket". Returns 0 or err->code. */
int rt_refuse_mtx_banner(const char *buf, size_t len, const char *fn, const char *format,
                         rt_error *err);

/* The generic kinds' messages ("expected a node id, got 'x1'", ...). */
void rt_chunk_message(const rt_chunk *c, const rt_body *b, rt_error *err);

/* The token at tok quoted for a message (non-printable bytes as \xNN, cut
 * after 60 bytes). */
char *rt_chunk_token(const rt_chunk *c, char *out, size_t outsz);

/* ---- lexing ------------------------------------------------------------------- */

static inline const unsigned char *rt_token_end(const unsigned char *p, const unsigned char *e,
                                                const unsigned char *cl)
{
    while (p < e && cl[*p] < C_SPACE)
        p++;
    return p;
}

static inline const unsigned char *rt_skip_blanks(const unsigned char *p, const unsigned char *e,
                                                  const unsigned char *cl)
{
    while (p < e && cl[*p] == C_SPACE)
        p++;
    return p;
}

static inline void rt_chunk_err(rt_chunk *c, int kind, int field, uint64_t line,
                                const unsigned char *tok, const unsigned char *e,
                                const unsigned char *cl)
{
    c->err = kind;
    c->err_field = field;
    c->err_line = line;
    c->tok = tok;
    c->tok_len = tok ? (size_t)(rt_token_end(tok, e, cl) - tok) : 0;
}

/* An unsigned decimal at *pp (not blank): any length, overflow-checked.
 * Returns 0 and advances *pp past it, or the error kind (RT_E_BAD_ID,
 * RT_E_NEG_ID, RT_E_BIG_ID) leaving *pp alone. */
int rt_lex_u64(const unsigned char **pp, const unsigned char *e, const unsigned char *cl,
               uint64_t *out);

static const uint64_t rt_pow10_u64[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                         100000000};

/* Number of leading decimal digits in the 8 bytes of w (little endian:
 * byte 0 is the first character), 0..8. A byte is a digit iff its high
 * nibble is 3 and adding 6 keeps it 3; carries only disturb bytes after the
 * first non-digit, which do not matter. */
static inline int rt_digit_run(uint64_t w)
{
    const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL;
    uint64_t t = (w & hi) | (((w + 0x0606060606060606ULL) & hi) >> 4);
    t ^= 0x3333333333333333ULL;
    return t ? __builtin_ctzll(t) >> 3 : 8;
}

/* Value of the first k (1..8) digit characters of w. */
static inline uint64_t rt_digits_value(uint64_t w, int k)
{
    uint64_t v = (w - 0x3030303030303030ULL) << (8 * (8 - k)); /* right-align the k digits */
    v = (v * 10 + (v >> 8)) & 0x00FF00FF00FF00FFULL;
    v = (v * 100 + (v >> 16)) & 0x0000FFFF0000FFFFULL;
    v = (v * 10000 + (v >> 32)) & 0x00000000FFFFFFFFULL;
    return v;
}

/* Parses an id at *pp (which is not blank). Ids of up to 16 digits followed
 * by a delimiter, with 17 bytes readable, take the word-at-a-time path;
 * everything else, including all errors, the careful one. On error records
 * it in c (with `field`) and returns 0. */
static inline __attribute__((always_inline)) int rt_lex_id(const unsigned char **pp,
                                                           const unsigned char *e,
                                                           const unsigned char *cl,
                                                           uint64_t *out, rt_chunk *c,
                                                           int field, uint64_t line)
{
    const unsigned char *p = *pp;
    if (e - p >= 17) {
        uint64_t w;
        memcpy(&w, p, 8);
        int k = rt_digit_run(w);
        if (k > 0 && k < 8) {
            if (cl[p[k]] >= C_SPACE) {
                *out = rt_digits_value(w, k);
                *pp = p + k;
                return 1;
            }
        } else if (k == 8) {
            uint64_t w2;
            memcpy(&w2, p + 8, 8);
            int k2 = rt_digit_run(w2);
            if (k2 < 8 && cl[p[8 + k2]] >= C_SPACE) {
                uint64_t x = rt_digits_value(w, 8);
                if (k2)
                    x = x * rt_pow10_u64[k2] + rt_digits_value(w2, k2);
                *out = x;
                *pp = p + 8 + k2;
                return 1;
            }
        }
    }
    int kind = rt_lex_u64(pp, e, cl, out);
    if (kind) {
        rt_chunk_err(c, kind, field, line, p, e, cl);
        return 0;
    }
    return 1;
}

static const double rt_pow10_exact[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

int rt_lex_number_slow(const unsigned char *s, const unsigned char *e, double *out);

/* A number in [s, e) (a whole token). Simple decimals take an exact fast path
 * (mantissa < 2^53 and a power of ten <= 1e22 are both exact, so one IEEE
 * multiply or divide rounds correctly); everything else goes to strtod.
 * Returns 1 on success. */
static inline int rt_lex_number(const unsigned char *s, const unsigned char *e, double *out)
{
    const unsigned char *p = s;
    int neg = 0;
    if (p < e && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    uint64_t mant = 0;
    int sig = 0, frac = 0, digits = 0, ok = 1;
    for (; p < e && (unsigned)(*p - '0') < 10; p++, digits++) {
        if (mant || *p != '0')
            sig++;
        mant = mant * 10 + (uint64_t)(*p - '0');
    }
    if (p < e && *p == '.') {
        for (p++; p < e && (unsigned)(*p - '0') < 10; p++, digits++, frac++) {
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
        for (; p < e && (unsigned)(*p - '0') < 10 && ed < 4; p++, ed++)
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
            d = e10 >= 0 ? d * rt_pow10_exact[e10] : d / rt_pow10_exact[-e10];
            *out = neg ? -d : d;
            return 1;
        }
    }
    return rt_lex_number_slow(s, e, out);
}

/* A weight token [t, te): parses it and, for a nonnegative program, checks
 * the sign. Returns 1, or 0 with the error recorded in c. */
static inline int rt_lex_weight(const unsigned char *t, const unsigned char *te, int weighted,
                                double *w, rt_chunk *c, int field, uint64_t line,
                                const unsigned char *e, const unsigned char *cl)
{
    if (!rt_lex_number(t, te, w)) {
        rt_chunk_err(c, RT_E_BAD_WEIGHT, field, line, t, e, cl);
        return 0;
    }
    if (weighted == RT_WEIGHTS_NONNEG && !(*w >= 0)) { /* -0 passes; NaN does not */
        rt_chunk_err(c, *w != *w ? RT_E_NAN_WEIGHT : RT_E_NEG_WEIGHT, field, line, t, e, cl);
        return 0;
    }
    return 1;
}

/* ---- the sequential prologue ------------------------------------------------------ */

/* A cursor over whole lines: line is the number of the line at p. */
typedef struct rt_cursor {
    const unsigned char *p, *e;
    uint64_t line;
} rt_cursor;

/* Skips a UTF-8 byte order mark at the start. */
void rt_cursor_init(rt_cursor *cu, const char *buf, size_t len);
/* The next line [*ls, *le) without its '\n' (and line number *ln); advances
 * past it. Returns 0 at the end of the buffer. */
int rt_cursor_line(rt_cursor *cu, const unsigned char **ls, const unsigned char **le, uint64_t *ln);

/* Case-insensitive comparison of [s, e) with the NUL-terminated word w. */
int rt_word_eq(const unsigned char *s, const unsigned char *e, const char *w);

#endif
