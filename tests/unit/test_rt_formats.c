/* test_rt_formats.c - the wel, csv, mtx and gr parsers, the nonnegative
 * weight rule in every format, declared node sets in the graph build, and
 * the real files of the shared data directory.
 *
 * Every expectation is checked twice: with the default chunking and with
 * tiny chunks (many chunks, errors and entry counts across chunk borders),
 * which must give the same result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <omp.h>

#include "runtime/rt_graph.h"
#include "runtime/rt_load.h"

typedef int (*parse_fn)(const char *, size_t, const char *, int, rt_edges *, rt_error *);

typedef struct fmt {
    parse_fn parse;
    const char *fn;
} fmt;

static const fmt EL = {rt_parse_edge_list, "g.el"}, WEL = {rt_parse_wel, "g.wel"},
                 CSV = {rt_parse_csv, "g.csv"}, MTX = {rt_parse_mtx, "g.mtx"},
                 GR = {rt_parse_gr, "g.gr"};

/* Chunkings every case runs under: default, then tiny chunks. */
static const struct {
    size_t bytes;
    int max;
} chunkings[] = {{0, 0}, {1, 64}, {7, 4096}, {23, 3}};
enum { NCHUNKINGS = sizeof chunkings / sizeof chunkings[0] };

static int run_parse(fmt f, const char *s, size_t len, int weighted, int k, rt_edges *e,
                     rt_error *err)
{
    rt_load_set_chunking(chunkings[k].bytes, chunkings[k].max);
    rt_error_clear(err);
    int rc = f.parse(s, len, f.fn, weighted, e, err);
    rt_load_set_chunking(0, 0);
    return rc;
}

/* Expects success with the arcs pairs[2*m] (and weights w[m] when w), and
 * the declared node count. */
static void expect_ok_len(fmt f, const char *s, size_t len, int weighted, const uint64_t *pairs,
                          const double *w, int64_t m, uint64_t declared)
{
    for (int k = 0; k < NCHUNKINGS; k++) {
        rt_edges e;
        rt_error err;
        int rc = run_parse(f, s, len, weighted, k, &e, &err);
        if (rc)
            fail_msg("chunking %d: unexpected error: %s\ninput:\n%s", k, err.msg, s);
        if (e.m != m)
            fail_msg("chunking %d: %lld edges, expected %lld\ninput:\n%s", k, (long long)e.m,
                     (long long)m, s);
        uint64_t maxid = 0;
        for (int64_t i = 0; i < m; i++) {
            if (e.e[i].u != pairs[2 * i] || e.e[i].v != pairs[2 * i + 1])
                fail_msg("chunking %d: edge %lld is %llu %llu, expected %llu %llu", k,
                         (long long)i, (unsigned long long)e.e[i].u,
                         (unsigned long long)e.e[i].v, (unsigned long long)pairs[2 * i],
                         (unsigned long long)pairs[2 * i + 1]);
            maxid = pairs[2 * i] > maxid ? pairs[2 * i] : maxid;
            maxid = pairs[2 * i + 1] > maxid ? pairs[2 * i + 1] : maxid;
        }
        assert_int_equal(e.max_id, maxid);
        assert_int_equal(e.declared_n, declared);
        if (weighted) {
            assert_non_null(e.w);
            if (w)
                for (int64_t i = 0; i < m; i++)
                    if (memcmp(&e.w[i], &w[i], sizeof(double)) != 0)
                        fail_msg("chunking %d: weight %lld is %g, expected %g", k, (long long)i,
                                 e.w[i], w[i]);
        } else {
            assert_null(e.w);
        }
        rt_edges_free(&e);
    }
}

static void expect_err_len(fmt f, const char *s, size_t len, int weighted, const char *msg,
                           uint64_t line)
{
    for (int k = 0; k < NCHUNKINGS; k++) {
        rt_edges e;
        rt_error err;
        int rc = run_parse(f, s, len, weighted, k, &e, &err);
        if (rc == 0)
            fail_msg("chunking %d: no error, expected: %s\ninput:\n%s", k, msg, s);
        if (strcmp(err.msg, msg) != 0)
            fail_msg("chunking %d:\n got:      %s\n expected: %s\ninput:\n%s", k, err.msg, msg, s);
        assert_true(rc == RT_ERR_INPUT || rc == RT_ERR_LIMIT);
        assert_int_equal(err.line, line);
        assert_true(err.located);
        assert_null(e.e);
        assert_null(e.w);
    }
}

#define PAIRS(...) ((const uint64_t[]){__VA_ARGS__})
#define WEIGHTS(...) ((const double[]){__VA_ARGS__})
#define NPAIRS(...) ((int64_t)(sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t) / 2))

/* OK(format, text, weighted, declared, weights-or-NULL, pairs...) */
#define OK(f, s, weighted, declared, w, ...)                                                   \
    expect_ok_len(f, s, strlen(s), weighted, PAIRS(__VA_ARGS__), w, NPAIRS(__VA_ARGS__), declared)
#define OK_EMPTY(f, s, weighted, declared) expect_ok_len(f, s, strlen(s), weighted, NULL, NULL, 0, declared)
#define ERR(f, s, weighted, msg, line) expect_err_len(f, s, strlen(s), weighted, msg, line)

/* ---- wel -------------------------------------------------------------------------- */

static void test_wel(void **state)
{
    OK(WEL, "1 2 0.5\n2 3 7\n", 1, 0, WEIGHTS(0.5, 7), 1, 2, 2, 3);
    OK(WEL, "1 2 0.5\n2 3 7\n", 0, 0, NULL, 1, 2, 2, 3); /* weights dropped */
    OK(WEL, "# c\n% c\n\n1\t2\t-1e3\r\n3 3 inf", 1, 0, WEIGHTS(-1e3, 1.0 / 0.0), 1, 2, 3, 3);
    OK(WEL, "\xEF\xBB\xBF" "4 5 1\n4 5 2\n", 1, 0, WEIGHTS(1, 2), 4, 5, 4, 5);
    /* a weight on every line, also for unweighted programs */
    ERR(WEL, "1 2 1\n2 3\n", 0,
        "g.wel:2: error: missing weight (third column): a wel file has 'u v weight' on every line", 2);
    ERR(WEL, "1 2\n", 1,
        "g.wel:1: error: missing weight (third column): a wel file has 'u v weight' on every line", 1);
    ERR(WEL, "1 2 x\n", 0, "g.wel:1: error: expected a weight (a number) in the third column, got 'x'", 1);
    ERR(WEL, "1 2 x\n", 1, "g.wel:1: error: expected a weight (a number) in the third column, got 'x'", 1);
    ERR(WEL, "1 2 3 4\n", 0,
        "g.wel:1: error: too many columns: expected 'u v weight', got a fourth column '4'", 1);
    ERR(WEL, "1 2 3\n1\n", 0, "g.wel:2: error: missing second node id", 2);
    ERR(WEL, "1 -2 3\n", 0, "g.wel:1: error: negative node id '-2'", 1);
    ERR(WEL, "# nothing\n", 1, "g.wel: error: no edges in file", 0);
    ERR(WEL, "1 2 3\n2 3 -4\n", 2,
        "g.wel:2: error: negative edge weight -4 (the program needs weights >= 0)", 2);
    OK(WEL, "1 2 3\n2 3 -4\n", 1, 0, WEIGHTS(3, -4), 1, 2, 2, 3);
    OK(WEL, "1 2 3\n2 3 -4\n", 0, 0, NULL, 1, 2, 2, 3);
}

/* ---- csv -------------------------------------------------------------------------- */

static void test_csv(void **state)
{
    OK(CSV, "1,2\n2,3\n", 0, 0, NULL, 1, 2, 2, 3);
    OK(CSV, "1,2\n2,3", 0, 0, NULL, 1, 2, 2, 3);
    OK(CSV, " 1 , 2 \n\t2\t,\t3\t\n", 0, 0, NULL, 1, 2, 2, 3);
    OK(CSV, "1,2\r\n2,3\r\n", 0, 0, NULL, 1, 2, 2, 3);
    OK(CSV, "\xEF\xBB\xBF" "7,8\n", 0, 0, NULL, 7, 8);
    OK(CSV, "# comment\n% comment\n\n1,2\n  # indented\n3,4\n", 0, 0, NULL, 1, 2, 3, 4);
    OK(CSV, "1,2,0.5\n2,3, 7 \n", 1, 0, WEIGHTS(0.5, 7), 1, 2, 2, 3);
}

static void test_csv_header(void **state)
{
    OK(CSV, "source,target\n1,2\n", 0, 0, NULL, 1, 2);
    OK(CSV, "source,target,weight\n1,2,3\n", 1, 0, WEIGHTS(3), 1, 2);
    OK(CSV, "# made by hand\n\nsrc , dst\r\n1,2\r\n", 0, 0, NULL, 1, 2);
    OK(CSV, "\xEF\xBB\xBF" "from,to\n5,6\n", 0, 0, NULL, 5, 6);
    OK(CSV, "\"from\",\"to\"\n1,2\n", 0, 0, NULL, 1, 2);  /* a quoted header is skipped whole */
    OK(CSV, "a\n1,2\n", 0, 0, NULL, 1, 2);                /* one field is enough */
    OK(CSV, "x1,2\n3,4\n", 0, 0, NULL, 3, 4);             /* first field not a number */
    OK(CSV, "\"source id\",\"target id\"\n3,4\n", 0, 0, NULL, 3, 4);
    OK(CSV, "  # c\n  Source , Target\n3,4\n", 0, 0, NULL, 3, 4);
    OK(CSV, "1,2\n3,4\n", 0, 0, NULL, 1, 2, 3, 4);        /* no header */
    /* the first field is a number (or empty): a data line, and its errors */
    ERR(CSV, "-1,2\n", 0, "g.csv:1: error: negative node id '-1'", 1);
    ERR(CSV, "1.5,2\n", 0, "g.csv:1: error: expected a node id, got '1.5'", 1);
    OK(CSV, "inf,2\n3,4\n", 0, 0, NULL, 3, 4);              /* does not start like a number */
    ERR(CSV, "1;2\n", 0, "g.csv:1: error: expected a node id, got '1;2'", 1);
    ERR(CSV, ".5,2\n", 0, "g.csv:1: error: expected a node id, got '.5'", 1);
    ERR(CSV, "+1,2\n", 0, "g.csv:1: error: expected a node id, got '+1'", 1);
    ERR(CSV, "\"1\",\"2\"\n", 0, "g.csv:1: error: quoted fields are not supported (first field '\"1\"')", 1);
    ERR(CSV, ",2\n", 0, "g.csv:1: error: empty first field: expected a node id", 1);
    ERR(CSV, "1 2\n", 0, "g.csv:1: error: expected ',' after the first node id, got '2'", 1);
    /* only the first content line can be a header */
    ERR(CSV, "source,target\n1,2\nsource,target\n", 0,
        "g.csv:3: error: expected a node id, got 'source'", 3);
    ERR(CSV, "source,target\n", 0, "g.csv: error: no edges in file", 0);
    ERR(CSV, "source,target\n# only a header\n", 1, "g.csv: error: no edges in file", 0);
}

static void test_csv_errors(void **state)
{
    ERR(CSV, "1,2\n\"3\",4\n", 0, "g.csv:2: error: quoted fields are not supported (first field '\"3\"')", 2);
    ERR(CSV, "1,\"2\"\n", 0, "g.csv:1: error: quoted fields are not supported (second field '\"2\"')", 1);
    ERR(CSV, "1,2,\"3\"\n", 0, "g.csv:1: error: quoted fields are not supported (third field '\"3\"')", 1);
    ERR(CSV, "1,2\n3,\n", 0, "g.csv:2: error: empty second field: expected a node id", 2);
    ERR(CSV, "1,,3\n", 0, "g.csv:1: error: empty second field: expected a node id", 1);
    ERR(CSV, "1,2,\n", 0, "g.csv:1: error: empty third field: expected a weight (a number)", 1);
    ERR(CSV, "1,2, ,\n", 0, "g.csv:1: error: empty third field: expected a weight (a number)", 1);
    ERR(CSV, "1,2\n3\n", 0, "g.csv:2: error: missing second node id ('u,v' per line)", 2);
    ERR(CSV, "1,2 3\n", 0, "g.csv:1: error: expected ',' after the second node id, got '3'", 1);
    ERR(CSV, "1,2,3 4\n", 0, "g.csv:1: error: expected ',' or the end of the line after the weight, got '4'", 1);
    ERR(CSV, "1,2,3,4\n", 0,
        "g.csv:1: error: too many fields: expected 'u,v' or 'u,v,weight', got a fourth field '4'", 1);
    ERR(CSV, "1,2,3,\n", 0,
        "g.csv:1: error: too many fields: expected 'u,v' or 'u,v,weight', got a fourth field ''", 1);
    ERR(CSV, "1;2\n", 0, "g.csv:1: error: expected a node id, got '1;2'", 1);
    ERR(CSV, "1,2x\n", 0, "g.csv:1: error: expected a node id, got '2x'", 1);
    ERR(CSV, "1,18446744073709551616\n", 0,
        "g.csv:1: error: node id 18446744073709551616 does not fit in 64 bits", 1);
    ERR(CSV, "1,2,x\n", 0, "g.csv:1: error: expected a number or nothing in the third field, got 'x'", 1);
    ERR(CSV, "1,2,x\n", 1, "g.csv:1: error: expected a weight (a number) in the third field, got 'x'", 1);
    /* unweighted: a numeric third field is accepted and dropped */
    OK(CSV, "1,2,-0.5\n", 0, 0, NULL, 1, 2);
    /* weighted programs */
    ERR(CSV, "1,2\n2,3\n", 1, "g.csv: error: the program is weighted but the file has no weights (third field)", 0);
    ERR(CSV, "1,2,1\n2,3\n", 1, "g.csv:2: error: missing weight (third field) in a weighted program", 2);
    ERR(CSV, "src,dst,w\n1,2,1\n2,3,-1\n", 2,
        "g.csv:3: error: negative edge weight -1 (the program needs weights >= 0)", 3);
}

/* ---- mtx -------------------------------------------------------------------------- */

static void test_mtx(void **state)
{
    const char *general = "%%MatrixMarket matrix coordinate real general\n"
                          "% a comment\n"
                          "3 4 3\n"
                          "1 2 0.5\n"
                          "3 1 -2\n"
                          "2 2 1e3\n";
    OK(MTX, general, 1, 4, WEIGHTS(0.5, -2, 1e3), 1, 2, 3, 1, 2, 2);
    OK(MTX, general, 0, 4, NULL, 1, 2, 3, 1, 2, 2);
    /* integer; the values may be any number */
    OK(MTX, "%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 2 3\n2 1 1.5\n", 1, 2,
       WEIGHTS(3, 1.5), 1, 2, 2, 1);
    /* pattern: no values */
    OK(MTX, "%%MatrixMarket matrix coordinate pattern general\n5 5 2\n1 2\n4 1\n", 0, 5, NULL,
       1, 2, 4, 1);
    /* symmetric: j -> i too, the diagonal once */
    OK(MTX, "%%MatrixMarket matrix coordinate pattern symmetric\n4 4 3\n2 1\n3 3\n4 2\n", 0, 4,
       NULL, 2, 1, 1, 2, 3, 3, 4, 2, 2, 4);
    OK(MTX, "%%MatrixMarket matrix coordinate real symmetric\n3 3 2\n2 1 0.25\n3 3 4\n", 1, 3,
       WEIGHTS(0.25, 0.25, 4), 2, 1, 1, 2, 3, 3);
    /* case-insensitive words, blanks, CRLF, BOM, comments and blank lines anywhere */
    OK(MTX, "\xEF\xBB\xBF%%matrixmarket  MATRIX\tCoordinate Pattern GENERAL \r\n"
            "%\r\n\r\n  % indented\r\n 2  3  1 \r\n\r\n% between\r\n 1\t3 \r\n\r\n",
       0, 3, NULL, 1, 3);
    /* no entries: a graph of isolated nodes */
    OK_EMPTY(MTX, "%%MatrixMarket matrix coordinate real general\n3 2 0\n", 1, 3);
    OK_EMPTY(MTX, "%%MatrixMarket matrix coordinate real general\n3 2 0", 0, 3);
    /* duplicates are kept */
    OK(MTX, "%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 2\n1 2\n", 0, 2, NULL,
       1, 2, 1, 2);
}

static void test_mtx_banner(void **state)
{
    ERR(MTX, "", 0,
        "g.mtx: error: empty file: expected the Matrix Market banner '%%MatrixMarket matrix "
        "coordinate FIELD SYMMETRY'", 0);
    ERR(MTX, "1 2 3\n1 1\n", 0,
        "g.mtx:1: error: expected the Matrix Market banner '%%MatrixMarket matrix coordinate "
        "FIELD SYMMETRY' on the first line, got '1'", 1);
    ERR(MTX, "% comment first\n%%MatrixMarket matrix coordinate real general\n", 0,
        "g.mtx:1: error: expected the Matrix Market banner '%%MatrixMarket matrix coordinate "
        "FIELD SYMMETRY' on the first line, got '%'", 1);
    ERR(MTX, "%MatrixMarket matrix coordinate real general\n1 1 0\n", 0,
        "g.mtx:1: error: expected the Matrix Market banner '%%MatrixMarket matrix coordinate "
        "FIELD SYMMETRY' on the first line, got '%MatrixMarket'", 1);
    ERR(MTX, "\n%%MatrixMarket matrix coordinate real general\n", 0,
        "g.mtx:1: error: expected the Matrix Market banner '%%MatrixMarket matrix coordinate "
        "FIELD SYMMETRY' on the first line, got ''", 1);
    ERR(MTX, "%%MatrixMarket matrix coordinate real\n1 1 0\n", 0,
        "g.mtx:1: error: incomplete banner: expected '%%MatrixMarket matrix coordinate FIELD SYMMETRY'", 1);
    ERR(MTX, "%%MatrixMarket vector coordinate real general\n", 0,
        "g.mtx:1: error: unsupported object 'vector' in the banner (only 'matrix')", 1);
    ERR(MTX, "%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", 0,
        "g.mtx:1: error: dense 'array' matrices are not supported (only 'coordinate')", 1);
    ERR(MTX, "%%MatrixMarket matrix sparse real general\n", 0,
        "g.mtx:1: error: unknown format 'sparse' in the banner (expected 'coordinate')", 1);
    ERR(MTX, "%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n", 0,
        "g.mtx:1: error: 'complex' matrices are not supported (only pattern, real and integer)", 1);
    ERR(MTX, "%%MatrixMarket matrix coordinate double general\n", 0,
        "g.mtx:1: error: unknown field 'double' in the banner (expected pattern, real or integer)", 1);
    ERR(MTX, "%%MatrixMarket matrix coordinate real hermitian\n", 0,
        "g.mtx:1: error: 'hermitian' matrices are not supported (only general and symmetric)", 1);
    ERR(MTX, "%%MatrixMarket matrix coordinate real Skew-Symmetric\n", 0,
        "g.mtx:1: error: 'Skew-Symmetric' matrices are not supported (only general and symmetric)", 1);
    ERR(MTX, "%%MatrixMarket matrix coordinate real upper\n", 0,
        "g.mtx:1: error: unknown symmetry 'upper' in the banner (expected general or symmetric)", 1);
    ERR(MTX, "%%MatrixMarket matrix coordinate real general extra\n", 0,
        "g.mtx:1: error: unexpected 'extra' after the symmetry in the banner", 1);
    /* weighted program, pattern matrix */
    ERR(MTX, "%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 2\n", 1,
        "g.mtx:1: error: the program is weighted but the matrix is 'pattern' (it has no values)", 1);
}

static void test_mtx_size_line(void **state)
{
    const char *b = "%%MatrixMarket matrix coordinate real general\n";
    char s[512];
#define SIZE_ERR(tail, msg, line)                \
    do {                                         \
        snprintf(s, sizeof s, "%s%s", b, tail);  \
        ERR(MTX, s, 0, msg, line);               \
    } while (0)
    SIZE_ERR("", "g.mtx: error: missing the size line 'rows cols entries' after the banner", 0);
    SIZE_ERR("% only comments\n\n", "g.mtx: error: missing the size line 'rows cols entries' after the banner", 0);
    SIZE_ERR("3 3\n", "g.mtx:2: error: incomplete size line: expected 'rows cols entries'", 2);
    SIZE_ERR("3 3 1 1\n1 1 1\n", "g.mtx:2: error: unexpected '1' after 'rows cols entries' in the size line", 2);
    SIZE_ERR("3 x 1\n", "g.mtx:2: error: expected the size line 'rows cols entries', got 'x' for the number of columns", 2);
    SIZE_ERR("3 3 -1\n", "g.mtx:2: error: expected the size line 'rows cols entries', got '-1' for the number of entries", 2);
    SIZE_ERR("3.0 3 1\n", "g.mtx:2: error: expected the size line 'rows cols entries', got '3.0' for the number of rows", 2);
    SIZE_ERR("99999999999999999999 3 1\n",
             "g.mtx:2: error: the number 99999999999999999999 in the size line does not fit in 64 bits", 2);
    SIZE_ERR("0 0 0\n", "g.mtx:2: error: the matrix has no rows and no columns (no nodes)", 2);
    SIZE_ERR("%\n3 4294967296 0\n",
             "g.mtx:3: error: the matrix has 4294967296 columns; the limit is 4294967295 (2^32-1) nodes", 3);
    SIZE_ERR("3 3 9223372036854775808\n",
             "g.mtx:2: error: 9223372036854775808 entries is more than any file can hold", 2);
    ERR(MTX, "%%MatrixMarket matrix coordinate real symmetric\n3 4 0\n", 0,
        "g.mtx:2: error: a symmetric matrix must be square, got 3 rows and 4 columns", 2);
    /* 2^32-1 nodes is allowed by the parser (the build would need the memory) */
    rt_edges e;
    rt_error err;
    rt_error_clear(&err);
    const char *big = "%%MatrixMarket matrix coordinate pattern general\n4294967295 1 1\n4294967295 1\n";
    assert_int_equal(rt_parse_mtx(big, strlen(big), "g.mtx", 0, &e, &err), 0);
    assert_int_equal(e.declared_n, 4294967295ULL);
    rt_edges_free(&e);
#undef SIZE_ERR
}

static void test_mtx_entries(void **state)
{
    const char *b = "%%MatrixMarket matrix coordinate real general\n% c\n3 4 2\n";
    char s[512];
#define ENT_ERR(tail, w, msg, line)              \
    do {                                         \
        snprintf(s, sizeof s, "%s%s", b, tail);  \
        ERR(MTX, s, w, msg, line);               \
    } while (0)
    /* entry count */
    ENT_ERR("1 1 1\n", 0,
            "g.mtx:4: error: the file ends after 1 of the 2 entries declared on the size line (line 3)", 4);
    ENT_ERR("1 1 1\n\n% trailing comment\n", 0,
            "g.mtx:6: error: the file ends after 1 of the 2 entries declared on the size line (line 3)", 6);
    ENT_ERR("", 0,
            "g.mtx:3: error: the file ends after 0 of the 2 entries declared on the size line (line 3)", 3);
    ENT_ERR("1 1 1\n2 2 2\n% fine\n3 3 3\n4 4 4\n", 0,
            "g.mtx:7: error: more entries than the 2 declared on the size line (line 3)", 7);
    /* the first error by position wins */
    ENT_ERR("1 1 1\n2 2 2\n3 3 3\n1 x 1\n", 0,
            "g.mtx:6: error: more entries than the 2 declared on the size line (line 3)", 6);
    ENT_ERR("1 x 1\n2 2 2\n3 3 3\n", 0, "g.mtx:4: error: expected a column index, got 'x'", 4);
    /* indices */
    ENT_ERR("0 1 1\n", 0, "g.mtx:4: error: row index 0 is out of range 1..3 (indices are 1-based)", 4);
    ENT_ERR("1 1 1\n4 1 1\n", 0, "g.mtx:5: error: row index 4 is out of range 1..3", 5);
    ENT_ERR("1 5 1\n", 0, "g.mtx:4: error: column index 5 is out of range 1..4", 4);
    ENT_ERR("1 00 1\n", 0, "g.mtx:4: error: column index 00 is out of range 1..4 (indices are 1-based)", 4);
    ENT_ERR("-1 1 1\n", 0, "g.mtx:4: error: negative row index '-1'", 4);
    ENT_ERR("1.0 1 1\n", 0, "g.mtx:4: error: expected a row index, got '1.0'", 4);
    ENT_ERR("1 18446744073709551616 1\n", 0,
            "g.mtx:4: error: column index 18446744073709551616 does not fit in 64 bits", 4);
    ENT_ERR("1\n", 0, "g.mtx:4: error: missing column index", 4);
    /* values */
    ENT_ERR("1 1\n", 0, "g.mtx:4: error: missing value (third column): the banner says 'real'", 4);
    ENT_ERR("1 1 abc\n", 0, "g.mtx:4: error: expected a value (a number) in the third column, got 'abc'", 4);
    ENT_ERR("1 1 1 0\n", 0, "g.mtx:4: error: too many columns: expected 'row column value', got a fourth column '0'", 4);
    ERR(MTX, "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1\n", 0,
        "g.mtx:3: error: missing value (third column): the banner says 'integer'", 3);
    ERR(MTX, "%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1 1\n", 0,
        "g.mtx:3: error: unexpected third column '1': entries of a 'pattern' matrix are 'row column'", 3);
    ERR(MTX, "%%MatrixMarket matrix coordinate pattern general\n0 2 1\n1 1\n", 0,
        "g.mtx:3: error: row index 1 is out of range: the matrix has 0 rows", 3);
#undef ENT_ERR
}

/* ---- gr --------------------------------------------------------------------------- */

static void test_gr(void **state)
{
    const char *g = "c a small graph\n"
                    "c\n"
                    "p sp 5 3\n"
                    "c arcs\n"
                    "a 1 2 7\n"
                    "\n"
                    "a 2 3 0.5\n"
                    "a 3 1 -1\n";
    OK(GR, g, 1, 5, WEIGHTS(7, 0.5, -1), 1, 2, 2, 3, 3, 1);
    OK(GR, g, 0, 5, NULL, 1, 2, 2, 3, 3, 1);
    OK(GR, "\xEF\xBB\xBF" "p sp 2 1\r\n  a\t2 2  1e9 \r\nc end", 1, 2, WEIGHTS(1e9), 2, 2);
    OK_EMPTY(GR, "p sp 3 0\n", 1, 3);
    OK(GR, "p sp 2 2\na 1 2 1\na 1 2 1\n", 0, 2, NULL, 1, 2, 1, 2); /* duplicates kept */
}

static void test_gr_errors(void **state)
{
    ERR(GR, "", 0, "g.gr: error: missing the problem line 'p sp NODES ARCS'", 0);
    ERR(GR, "c only\nc comments\n\n", 0, "g.gr: error: missing the problem line 'p sp NODES ARCS'", 0);
    ERR(GR, "c x\na 1 2 3\np sp 2 1\n", 0, "g.gr:2: error: arc before the problem line 'p sp NODES ARCS'", 2);
    ERR(GR, "x 1 2\n", 0, "g.gr:1: error: unknown line type 'x' (expected 'c', 'p' or 'a')", 1);
    ERR(GR, "comment\np sp 1 0\n", 0, "g.gr:1: error: unknown line type 'comment' (expected 'c', 'p' or 'a')", 1);
    ERR(GR, "p sp 3 2\na 1 2 3\ne 1 2\n", 0, "g.gr:3: error: unknown line type 'e' (expected 'c', 'p' or 'a')", 3);
    ERR(GR, "p sp 3 1\na1 2 3\n", 0, "g.gr:2: error: unknown line type 'a1' (expected 'c', 'p' or 'a')", 2);
    ERR(GR, "p sp 3 2\na 1 2 3\np sp 3 2\n", 0, "g.gr:3: error: a second problem line (the first is line 1)", 3);
    /* the problem line */
    ERR(GR, "p\n", 0, "g.gr:1: error: incomplete problem line: expected 'p sp NODES ARCS'", 1);
    ERR(GR, "p sp 3\n", 0, "g.gr:1: error: incomplete problem line: expected 'p sp NODES ARCS'", 1);
    ERR(GR, "p max 3 2\n", 0,
        "g.gr:1: error: unsupported problem type 'max' (expected 'p sp NODES ARCS' of a shortest-path file)", 1);
    ERR(GR, "p sp x 2\n", 0, "g.gr:1: error: expected the number of nodes in 'p sp NODES ARCS', got 'x'", 1);
    ERR(GR, "p sp 3 -2\n", 0, "g.gr:1: error: expected the number of arcs in 'p sp NODES ARCS', got '-2'", 1);
    ERR(GR, "p sp 3 2 1\n", 0, "g.gr:1: error: unexpected '1' after 'p sp NODES ARCS'", 1);
    ERR(GR, "p sp 0 0\n", 0, "g.gr:1: error: the problem line declares no nodes", 1);
    ERR(GR, "p sp 4294967296 0\n", 0,
        "g.gr:1: error: the problem line declares 4294967296 nodes; the limit is 4294967295 (2^32-1)", 1);
    ERR(GR, "p sp 2 99999999999999999999\n", 0,
        "g.gr:1: error: the number 99999999999999999999 in the problem line does not fit in 64 bits", 1);
    /* arc count */
    ERR(GR, "p sp 3 2\na 1 2 3\nc end\n", 0,
        "g.gr:3: error: the file ends after 1 of the 2 arcs declared on the problem line (line 1)", 3);
    ERR(GR, "p sp 3 1\na 1 2 3\nc\na 2 3 1\n", 0,
        "g.gr:4: error: more arcs than the 1 declared on the problem line (line 1)", 4);
    ERR(GR, "p sp 3 0\na 1 2 3\n", 0,
        "g.gr:2: error: more arcs than the 0 declared on the problem line (line 1)", 2);
    /* arcs */
    ERR(GR, "p sp 3 1\na 0 2 3\n", 0, "g.gr:2: error: node 0 is out of range 1..3 (ids are 1-based)", 2);
    ERR(GR, "p sp 3 1\na 1 4 3\n", 0, "g.gr:2: error: node 4 is out of range 1..3", 2);
    ERR(GR, "p sp 3 1\na -1 2 3\n", 0, "g.gr:2: error: negative node id '-1'", 2);
    ERR(GR, "p sp 3 1\na 1 2x 3\n", 0, "g.gr:2: error: expected a node id, got '2x'", 2);
    ERR(GR, "p sp 3 1\na\n", 0, "g.gr:2: error: incomplete arc: expected 'a FROM TO WEIGHT'", 2);
    ERR(GR, "p sp 3 1\na 1 2\n", 0, "g.gr:2: error: incomplete arc: expected 'a FROM TO WEIGHT'", 2);
    ERR(GR, "p sp 3 1\na 1 2 3 4\n", 0, "g.gr:2: error: too many fields: expected 'a FROM TO WEIGHT', got '4'", 2);
    ERR(GR, "p sp 3 1\na 1 2 w\n", 0, "g.gr:2: error: expected an arc weight (a number), got 'w'", 2);
}

/* ---- weights in every format ---------------------------------------------------------- */

static void test_nonnegative(void **state)
{
    /* a negative weight is an error only for a nonnegative program; -0 and inf pass */
    const struct {
        fmt f;
        const char *text;
        uint64_t line;
    } cases[] = {
        {EL, "1 2 1\n2 3 -0\n3 1 inf\n1 3 -3\n", 4},
        {WEL, "1 2 1\n2 3 -0\n3 1 inf\n1 3 -3\n", 4},
        {CSV, "u,v,w\n1,2,1\n2,3,-0\n3,1,inf\n1,3,-3\n", 5},
        {MTX, "%%MatrixMarket matrix coordinate real general\n3 3 4\n1 2 1\n2 3 -0\n3 1 inf\n1 3 -3\n", 6},
        {MTX, "%%MatrixMarket matrix coordinate integer symmetric\n3 3 4\n1 2 1\n2 3 -0\n3 1 inf\n1 3 -3\n", 6},
        {GR, "p sp 3 4\na 1 2 1\na 2 3 -0\na 3 1 inf\na 1 3 -3\n", 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s:%llu: error: negative edge weight -3 (the program needs weights >= 0)",
                 cases[i].f.fn, (unsigned long long)cases[i].line);
        ERR(cases[i].f, cases[i].text, 2, msg, cases[i].line);
        /* weighted (may be negative) and unweighted programs take the file */
        rt_edges e;
        rt_error err;
        for (int w = 0; w <= 1; w++) {
            rt_error_clear(&err);
            if (cases[i].f.parse(cases[i].text, strlen(cases[i].text), cases[i].f.fn, w, &e, &err))
                fail_msg("%s (weighted %d): %s", cases[i].f.fn, w, err.msg);
            rt_edges_free(&e);
        }
        /* up to the negative line, everything passes (-0 included) */
        char cut[300];
        size_t len = strlen(cases[i].text);
        memcpy(cut, cases[i].text, len + 1);
        char *last = strstr(cut, "-3");
        memcpy(last, " 3", 2);
        rt_error_clear(&err);
        if (cases[i].f.parse(cut, len, cases[i].f.fn, 2, &e, &err))
            fail_msg("%s: %s", cases[i].f.fn, err.msg);
        rt_edges_free(&e);
    }
    /* NaN is refused too, written as the file has it; a long token is cut */
    ERR(EL, "1 2 NaN\n", 2, "g.el:1: error: edge weight NaN is not a number (the program needs weights >= 0)", 1);
    ERR(GR, "p sp 2 1\na 1 2 -nan\n", 2, "g.gr:2: error: edge weight -nan is not a number (the program needs weights >= 0)", 2);
    ERR(CSV, "1,2,-1.50e+2\n", 2, "g.csv:1: error: negative edge weight -1.50e+2 (the program needs weights >= 0)", 1);
    ERR(WEL, "1 2 -0.000000000000000000000000000000000000000000000000000000000000000001\n", 2,
        "g.wel:1: error: negative edge weight -0.000000000000000000000000000000000000000000000000000000000... "
        "(the program needs weights >= 0)", 1);
    OK(EL, "1 2 -inf\n", 1, 0, WEIGHTS(-1.0 / 0.0), 1, 2);
    ERR(EL, "1 2 -inf\n", 2, "g.el:1: error: negative edge weight -inf (the program needs weights >= 0)", 1);
    /* the first error by position: a missing weight before a negative one */
    ERR(EL, "1 2 1\n2 3\n3 4 -1\n", 2, "g.el:2: error: missing weight (third column) in a weighted program", 2);
    ERR(EL, "1 2 -1\n2 3\n", 2, "g.el:1: error: negative edge weight -1 (the program needs weights >= 0)", 1);
}

/* el, wel and csv refuse a Matrix Market file (its '%' lines are their comments) */
static void test_mtx_banner_elsewhere(void **state)
{
    const char *m = "%%MatrixMarket matrix coordinate pattern general\n3 3 1\n1 2\n";
    ERR(EL, m, 0, "g.el:1: error: this is a Matrix Market file, not an el edge list: read it with --format=mtx", 1);
    ERR(WEL, m, 1, "g.wel:1: error: this is a Matrix Market file, not a wel edge list: read it with --format=mtx", 1);
    ERR(CSV, "\xEF\xBB\xBF%%matrixmarket\n", 0,
        "g.csv:1: error: this is a Matrix Market file, not a csv edge list: read it with --format=mtx", 1);
    /* other '%' comments are fine */
    OK(EL, "%% comment\n%MatrixMarket\n1 2\n", 0, 0, NULL, 1, 2);
    OK(CSV, "% %%MatrixMarket\n1,2\n", 0, 0, NULL, 1, 2);
}

static void test_weighted_without_weights(void **state)
{
    ERR(EL, "1 2\n2 3\n", 1, "g.el: error: the program is weighted but the file has no weights (third column)", 0);
    ERR(EL, "1 2\n2 3\n", 2, "g.el: error: the program is weighted but the file has no weights (third column)", 0);
    ERR(CSV, "a,b\n1,2\n", 2, "g.csv: error: the program is weighted but the file has no weights (third field)", 0);
    ERR(MTX, "%%MatrixMarket matrix coordinate pattern symmetric\n2 2 1\n1 2\n", 2,
        "g.mtx:1: error: the program is weighted but the matrix is 'pattern' (it has no values)", 1);
    ERR(WEL, "1 2\n", 2,
        "g.wel:1: error: missing weight (third column): a wel file has 'u v weight' on every line", 1);
}

/* ---- chunk borders ----------------------------------------------------------------- */

/* A large file: the errors sit in later chunks, on any thread count. */
static void test_large_chunked(void **state)
{
    enum { N = 120000 };
    size_t cap = (size_t)N * 40 + 200;
    char *b = malloc(cap);
    for (int variant = 0; variant < 5; variant++) {
        size_t k = 0;
        int64_t declared = variant == 1 ? N - 1 : variant == 2 ? N + 1 : N;
        k += (size_t)sprintf(b + k, "%%%%MatrixMarket matrix coordinate integer symmetric\n%% x\n%d %d %lld\n",
                             N, N, (long long)declared);
        for (int i = 1; i <= N; i++) {
            if (variant == 3 && i == 77777)
                k += (size_t)sprintf(b + k, "%d %d x\n", i, i);
            else if (variant == 4 && i == 100000)
                k += (size_t)sprintf(b + k, "%d %d\n", i, N + 1);
            else
                k += (size_t)sprintf(b + k, "%d %d %d\n", i, (i * 7) % N + 1, i % 5);
            if (i % 1000 == 0)
                k += (size_t)sprintf(b + k, "%% comment %d\n", i);
        }
        for (int t = 1; t <= 3; t++) {
            omp_set_num_threads(t);
            rt_edges e;
            rt_error err;
            rt_error_clear(&err);
            int rc = rt_parse_mtx(b, k, "big.mtx", 1, &e, &err);
            /* lines: 3 header lines, entry i on line 3 + i + (i - 1) / 1000 */
            switch (variant) {
            case 0: {
                assert_int_equal(rc, 0);
                int64_t diag = 0;
                for (int i = 1; i <= N; i++)
                    diag += (i * 7) % N + 1 == i;
                assert_int_equal(e.m, 2 * (int64_t)N - diag);
                assert_int_equal(e.declared_n, N);
                assert_int_equal(e.lines, 3 + N + N / 1000);
                rt_edges_free(&e);
                break;
            }
            case 1: { /* the last entry is one too many */
                char want[200];
                uint64_t line = 3 + N + (N - 1) / 1000;
                snprintf(want, sizeof want,
                         "big.mtx:%llu: error: more entries than the %d declared on the size line (line 3)",
                         (unsigned long long)line, N - 1);
                assert_string_equal(err.msg, want);
                break;
            }
            case 2: {
                char want[200];
                snprintf(want, sizeof want,
                         "big.mtx:%d: error: the file ends after %d of the %d entries declared on the size line (line 3)",
                         3 + N + N / 1000, N, N + 1);
                assert_string_equal(err.msg, want);
                break;
            }
            case 3:
                assert_string_equal(err.msg, "big.mtx:77857: error: expected a value (a number) in the third column, got 'x'");
                break;
            case 4:
                assert_string_equal(err.msg, "big.mtx:100102: error: column index 120001 is out of range 1..120000");
                break;
            }
        }
    }
    free(b);
    omp_set_num_threads(2);
}

/* Every split of a small file into chunks, for mtx and gr with count errors. */
static void test_every_chunk_size(void **state)
{
    const char *texts[] = {
        "%%MatrixMarket matrix coordinate real general\n3 3 3\n1 2 1\n% c\n2 3 1\n\n3 1 1\n1 1 1\n2 2 x\n",
        "%%MatrixMarket matrix coordinate real general\n3 3 5\n1 2 1\n% c\n2 3 1\n\n3 1 1\n",
        "c x\np sp 3 2\nc y\na 1 2 1\na 2 3 1\na 3 1 1\n",
        "p sp 3 3\na 1 2 1\na 2 3 1\n\nc z\n",
        "p sp 3 3\na 1 2 1\na 2 3 1\na 3 9 1\n",
        /* the entry one too many is malformed too: it is still one too many */
        "p sp 3 1\na 1 2 1\nc\na 9 3 1\n",
        "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 2 1\n2 3 1\n% c\n1 x\n",
    };
    parse_fn fns[] = {rt_parse_mtx, rt_parse_mtx, rt_parse_gr, rt_parse_gr, rt_parse_gr,
                      rt_parse_gr,  rt_parse_mtx};
    const char *want[] = {
        "f:8: error: more entries than the 3 declared on the size line (line 2)",
        "f:7: error: the file ends after 3 of the 5 entries declared on the size line (line 2)",
        "f:6: error: more arcs than the 2 declared on the problem line (line 2)",
        "f:5: error: the file ends after 2 of the 3 arcs declared on the problem line (line 1)",
        "f:4: error: node 9 is out of range 1..3",
        "f:4: error: more arcs than the 1 declared on the problem line (line 1)",
        "f:6: error: more entries than the 2 declared on the size line (line 2)",
    };
    for (int i = 0; i < 7; i++)
        for (size_t cb = 1; cb < 40; cb++)
            for (int mc = 2; mc <= 9; mc += 7) {
                rt_load_set_chunking(cb, mc);
                rt_edges e;
                rt_error err;
                rt_error_clear(&err);
                assert_int_not_equal(fns[i](texts[i], strlen(texts[i]), "f", 0, &e, &err), 0);
                assert_string_equal(err.msg, want[i]);
            }
    rt_load_set_chunking(0, 0);
}

/* ---- the graph of a declared node set ------------------------------------------------ */

static int build(fmt f, const char *s, int undirected, int dense, int weighted, rt_graph *g,
                 rt_graph_stats *st)
{
    rt_edges e;
    rt_error err;
    rt_error_clear(&err);
    int rc = f.parse(s, strlen(s), f.fn, weighted, &e, &err);
    if (rc)
        fail_msg("%s", err.msg);
    rt_build_opts o = {.undirected = undirected, .dense_ids = dense, .weighted = weighted != 0};
    rc = rt_graph_build(&e, &o, f.fn, g, st, &err);
    if (rc)
        fail_msg("%s", err.msg);
    return rc;
}

static void test_declared_graph(void **state)
{
    rt_graph g;
    rt_graph_stats st;
    /* a 4 x 6 matrix: nodes 1..6, 5 and 6 in no entry; ids as written */
    const char *mtx = "%%MatrixMarket matrix coordinate real general\n4 6 3\n4 1 2.5\n1 3 1\n1 2 0.5\n";
    for (int dense = 0; dense <= 1; dense++) { /* --dense-ids changes nothing */
        build(MTX, mtx, 0, dense, 1, &g, &st);
        assert_int_equal(st.id_map, RT_MAP_DECLARED);
        assert_int_equal(g.n, 6);
        assert_int_equal(g.m, 3);
        const uint64_t ids[] = {1, 2, 3, 4, 5, 6};
        assert_memory_equal(g.ids, ids, sizeof ids);
        const int64_t oo[] = {0, 2, 2, 2, 3, 3, 3};
        assert_memory_equal(g.out_off, oo, sizeof oo);
        const uint32_t oa[] = {1, 2, 0};
        assert_memory_equal(g.out_adj, oa, sizeof oa);
        const double ow[] = {0.5, 1, 2.5};
        assert_memory_equal(g.out_w, ow, sizeof ow);
        const int64_t io[] = {0, 1, 2, 3, 3, 3, 3};
        assert_memory_equal(g.in_off, io, sizeof io);
        assert_int_equal(rt_graph_find(&g, 6), 5);
        assert_int_equal(rt_graph_find(&g, 0), -1);
        assert_int_equal(rt_graph_find(&g, 7), -1);
        rt_graph_free(&g);
    }
    /* symmetric pattern, then --undirected on top: the same simple graph */
    const char *sym = "%%MatrixMarket matrix coordinate pattern symmetric\n5 5 4\n2 1\n3 3\n3 1\n2 1\n";
    build(MTX, sym, 0, 0, 0, &g, &st);
    assert_int_equal(g.n, 5);
    assert_int_equal(g.m, 7); /* 2-1 twice in both directions, 3-1 both, loop once */
    assert_int_equal(st.self_loops, 1);
    assert_int_equal(st.duplicate_edges, 2);
    rt_graph_free(&g);
    build(MTX, sym, 1, 0, 0, &g, &st);
    assert_int_equal(g.n, 5);
    assert_int_equal(g.m, 5);
    const int64_t uo[] = {0, 2, 3, 5, 5, 5};
    const uint32_t ua[] = {1, 2, 0, 0, 2};
    assert_memory_equal(g.out_off, uo, sizeof uo);
    assert_memory_equal(g.out_adj, ua, sizeof ua);
    rt_graph_free(&g);
    /* gr: 1..N, no edges at all */
    build(GR, "p sp 4 0\n", 0, 0, 1, &g, &st);
    assert_int_equal(g.n, 4);
    assert_int_equal(g.m, 0);
    assert_int_equal(g.ids[3], 4);
    rt_graph_free(&g);
    /* a broken rt_edges (ids outside the declared set) is refused, not trusted */
    rt_edges e;
    rt_error err;
    rt_error_clear(&err);
    assert_int_equal(rt_parse_edge_list("0 2\n", 4, "x.el", 0, &e, &err), 0);
    e.declared_n = 2;
    rt_build_opts o = {0};
    assert_int_equal(rt_graph_build(&e, &o, "x.el", &g, &st, &err), RT_ERR_INPUT);
    assert_string_equal(err.msg, "x.el: error: internal: an edge has an id outside the declared nodes 1..2");
}

/* ---- real files ------------------------------------------------------------------- */

static char *slurp(const char *name, size_t *len)
{
    const char *dir = getenv("SHARED_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "../shared/data", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    fclose(f);
    return b;
}

static void real_file(const char *name, parse_fn parse, int64_t nodes, int64_t arcs)
{
    size_t len = 0;
    char *b = slurp(name, &len);
    if (!b) {
        print_message("SKIP %s: not found (set SHARED_DATA)\n", name);
        skip();
    }
    for (int w = 0; w <= 2; w++) {
        rt_edges e;
        rt_error err;
        rt_error_clear(&err);
        if (parse(b, len, name, w, &e, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(e.m, arcs);
        assert_int_equal(e.declared_n, nodes);
        rt_build_opts o = {.weighted = w != 0};
        rt_graph g;
        rt_graph_stats st;
        assert_int_equal(rt_graph_build(&e, &o, name, &g, &st, &err), 0);
        assert_int_equal(g.n, nodes);
        assert_int_equal(g.m, arcs);
        assert_int_equal(g.ids[0], 1);
        assert_int_equal(g.ids[nodes - 1], (uint64_t)nodes);
        if (w) {
            double sum = 0;
            for (int64_t i = 0; i < g.m; i++)
                sum += g.out_w[i];
            assert_true(sum > 0);
        }
        rt_graph_free(&g);
    }
    free(b);
}

static void test_rome99(void **state) { real_file("rome99.gr", rt_parse_gr, 3353, 8870); }
static void test_lederberg(void **state) { real_file("Lederberg.mtx", rt_parse_mtx, 8843, 41601); }

/* ---- the format table ------------------------------------------------------------------ */

static void test_format_table(void **state)
{
    assert_string_equal(rt_format_for_path("a/b.wel")->name, "wel");
    assert_string_equal(rt_format_for_path("b.csv")->name, "csv");
    assert_string_equal(rt_format_for_path("b.CSV")->name, "csv");
    assert_string_equal(rt_format_for_path("b.mtx")->name, "mtx");
    assert_string_equal(rt_format_for_path("B.MTX")->name, "mtx");
    assert_string_equal(rt_format_for_path("rome99.gr")->name, "gr");
    assert_string_equal(rt_format_for_path("x.tsv")->name, "el");
    assert_string_equal(rt_format_for_path("x.edges")->name, "el");
    assert_string_equal(rt_format_for_path("x.e")->name, "el");     /* not a prefix of .el/.edges */
    assert_string_equal(rt_format_for_path("x.mt")->name, "el");
    assert_string_equal(rt_format_for_path("x.grx")->name, "el");
    assert_string_equal(rt_format_for_path("dir.mtx/x")->name, "el");
    assert_string_equal(rt_format_for_path("x.mtx.gz")->name, "el");
    int n;
    const rt_format *f = rt_format_list(&n);
    assert_int_equal(n, 5);
    const char *names[] = {"el", "wel", "csv", "mtx", "gr"};
    for (int i = 0; i < n; i++) {
        assert_string_equal(f[i].name, names[i]);
        assert_ptr_equal(rt_format_by_name(names[i]), &f[i]);
    }
    assert_null(rt_format_by_name("MTX"));
    assert_null(rt_format_by_name(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wel),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_header),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_mtx),
        cmocka_unit_test(test_mtx_banner),
        cmocka_unit_test(test_mtx_size_line),
        cmocka_unit_test(test_mtx_entries),
        cmocka_unit_test(test_gr),
        cmocka_unit_test(test_gr_errors),
        cmocka_unit_test(test_nonnegative),
        cmocka_unit_test(test_weighted_without_weights),
        cmocka_unit_test(test_mtx_banner_elsewhere),
        cmocka_unit_test(test_large_chunked),
        cmocka_unit_test(test_every_chunk_size),
        cmocka_unit_test(test_declared_graph),
        cmocka_unit_test(test_rome99),
        cmocka_unit_test(test_lederberg),
        cmocka_unit_test(test_format_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
