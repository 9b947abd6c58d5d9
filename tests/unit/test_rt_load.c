/* test_rt_load.c - the edge-list parser on in-memory buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <omp.h>

#include "runtime/rt_load.h"
#include "runtime/rt_mem.h"

static int parse_w(const char *s, size_t len, int weighted, rt_edges *e, rt_error *err)
{
    rt_error_clear(err);
    return rt_parse_edge_list(s, len, "g.txt", weighted, e, err);
}

static int parse(const char *s, rt_edges *e, rt_error *err)
{
    return parse_w(s, strlen(s), 0, e, err);
}

/* Parses s, expects success and exactly the pairs in want[2*m]. */
static void expect_edges(const char *s, size_t len, const uint64_t *want, int64_t m)
{
    rt_edges e;
    rt_error err;
    int rc = parse_w(s, len, 0, &e, &err);
    if (rc)
        fail_msg("unexpected error: %s", err.msg);
    assert_int_equal(e.m, m);
    for (int64_t i = 0; i < m; i++) {
        assert_int_equal(e.e[i].u, want[2 * i]);
        assert_int_equal(e.e[i].v, want[2 * i + 1]);
    }
    assert_null(e.w);
    rt_edges_free(&e);
}

static void expect_error(const char *s, size_t len, int weighted, const char *msg, uint64_t line)
{
    rt_edges e;
    rt_error err;
    int rc = parse_w(s, len, weighted, &e, &err);
    assert_int_equal(rc, RT_ERR_INPUT);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.line, line);
    assert_true(err.located);
    assert_null(e.e);
}

#define EXPECT_EDGES(s, ...)                                                  \
    do {                                                                      \
        static const uint64_t w_[] = {__VA_ARGS__};                           \
        expect_edges(s, strlen(s), w_, (int64_t)(sizeof w_ / sizeof w_[0] / 2)); \
    } while (0)
#define EXPECT_ERROR(s, msg, line) expect_error(s, strlen(s), 0, msg, line)

static void test_basic(void **state)
{
    EXPECT_EDGES("0 1\n1 2\n", 0, 1, 1, 2);
    EXPECT_EDGES("0 1\n1 2", 0, 1, 1, 2);                    /* no final newline */
    EXPECT_EDGES("5\t7\n", 5, 7);                             /* tab */
    EXPECT_EDGES("  5 \t  7  \t\n", 5, 7);                    /* runs of blanks */
    EXPECT_EDGES("1 2\r\n3 4\r\n", 1, 2, 3, 4);               /* CRLF */
    EXPECT_EDGES("1 2\r\n3 4\r", 1, 2, 3, 4);                 /* CR at the end */
    EXPECT_EDGES("\xEF\xBB\xBF" "1 2\n", 1, 2);               /* BOM */
    EXPECT_EDGES("\n\n1 2\n\n   \n\t\n3 4\n\n", 1, 2, 3, 4); /* blank lines */
    EXPECT_EDGES("007 0008\n", 7, 8);                         /* leading zeros */
    EXPECT_EDGES("1 1\n1 1\n", 1, 1, 1, 1);                   /* loops, duplicates kept */
}

static void test_comments(void **state)
{
    EXPECT_EDGES("# Directed graph\n# Nodes: 3\n1 2\n", 1, 2);
    EXPECT_EDGES("% matrix-market style\n1 2\n  # indented\n\t% tab\n3 4\n# last", 1, 2, 3, 4);
    EXPECT_EDGES("1 2\n#\n%\n3 4\n", 1, 2, 3, 4);
    EXPECT_EDGES("\xEF\xBB\xBF# bom then comment\r\n9 8\r\n", 9, 8);
}

static void test_ids(void **state)
{
    EXPECT_EDGES("18446744073709551615 0\n", UINT64_MAX, 0);
    EXPECT_EDGES("0 18446744073709551615", 0, UINT64_MAX);
    EXPECT_EDGES("00000000000000000000000000001 2\n", 1, 2);
    EXPECT_EDGES("1234567890123456 12345678901234567\n", 1234567890123456ULL, 12345678901234567ULL);
    EXPECT_EDGES("12345678 123456789\n", 12345678, 123456789);
    EXPECT_EDGES("9999999999999999999 10000000000000000000\n", 9999999999999999999ULL,
                 10000000000000000000ULL);
    rt_edges e;
    rt_error err;
    assert_int_equal(parse("3 9\n7 2\n", &e, &err), 0);
    assert_int_equal(e.max_id, 9);
    assert_int_equal(e.lines, 2);
    rt_edges_free(&e);
}

static void test_third_column(void **state)
{
    /* unweighted: a numeric third column is ignored */
    EXPECT_EDGES("1 2 0.5\n3 4 7\n5 6 -1e3\n", 1, 2, 3, 4, 5, 6);
    EXPECT_ERROR("1 2 x\n", "g.txt:1: error: expected a number or nothing in the third column, got 'x'", 1);
    EXPECT_ERROR("1 2 3 4\n", "g.txt:1: error: too many columns: expected 'u v' or 'u v weight', got a fourth column '4'", 1);

    const char *s = "1 2 0.5\n3 4 7\n5 6 -1e3\n7 8 1e-7\n9 10 12345678901234567890.5\n1 1 inf\n2 2 0x10\n";
    rt_edges e;
    rt_error err;
    assert_int_equal(parse_w(s, strlen(s), 1, &e, &err), 0);
    assert_int_equal(e.m, 7);
    assert_non_null(e.w);
    const double want[] = {0.5, 7, -1e3, 1e-7, 12345678901234567890.5, 1.0 / 0.0, 16};
    for (int i = 0; i < 7; i++)
        assert_true(e.w[i] == want[i]);
    rt_edges_free(&e);
    /* exactness of the fast path against strtod */
    const char *nums[] = {"0.1", "0.3", "2.675", "123456.789", "1e22", "1e-22", "9007199254740993",
                          "0.000001", "314159265358979e-14", "-0.0", "5e-324", "1.7976931348623157e308"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char line[64];
        snprintf(line, sizeof line, "1 2 %s\n", nums[i]);
        assert_int_equal(parse_w(line, strlen(line), 1, &e, &err), 0);
        double d = strtod(nums[i], NULL);
        assert_memory_equal(&e.w[0], &d, sizeof d);
        rt_edges_free(&e);
    }
    expect_error("1 2\n", 4, 1,
                 "g.txt: error: the program is weighted but the file has no weights (third column)", 0);
    expect_error("1 2 1\n3 4\n", 10, 1,
                 "g.txt:2: error: missing weight (third column) in a weighted program", 2);
    expect_error("1 2 1\n3 4 w\n", 12, 1,
                 "g.txt:2: error: expected a weight (a number) in the third column, got 'w'", 2);
}

static void test_errors(void **state)
{
    EXPECT_ERROR("1 2\n3 4\nx1 5\n", "g.txt:3: error: expected a node id, got 'x1'", 3);
    EXPECT_ERROR("1 2\n3 x1\n", "g.txt:2: error: expected a node id, got 'x1'", 2);
    EXPECT_ERROR("12x 2\n", "g.txt:1: error: expected a node id, got '12x'", 1);
    EXPECT_ERROR("1.5 2\n", "g.txt:1: error: expected a node id, got '1.5'", 1);
    EXPECT_ERROR("1,2\n", "g.txt:1: error: expected a node id, got '1,2'", 1);
    EXPECT_ERROR("+1 2\n", "g.txt:1: error: expected a node id, got '+1'", 1);
    EXPECT_ERROR("-4 2\n", "g.txt:1: error: negative node id '-4'", 1);
    EXPECT_ERROR("4 -2\n", "g.txt:1: error: negative node id '-2'", 1);
    EXPECT_ERROR("- 2\n", "g.txt:1: error: expected a node id, got '-'", 1);
    EXPECT_ERROR("-4x 2\n", "g.txt:1: error: expected a node id, got '-4x'", 1);
    EXPECT_ERROR("18446744073709551616 1\n",
                 "g.txt:1: error: node id 18446744073709551616 does not fit in 64 bits", 1);
    EXPECT_ERROR("1 99999999999999999999999\n",
                 "g.txt:1: error: node id 99999999999999999999999 does not fit in 64 bits", 1);
    EXPECT_ERROR("1 2\n\n# c\n5\n", "g.txt:4: error: missing second node id", 4);
    EXPECT_ERROR("5", "g.txt:1: error: missing second node id", 1);
    EXPECT_ERROR("5   \r\n", "g.txt:1: error: missing second node id", 1);
    EXPECT_ERROR("1 2\r\n3\r\n", "g.txt:2: error: missing second node id", 2);
    EXPECT_ERROR("", "g.txt: error: no edges in file", 0);
    EXPECT_ERROR("\xEF\xBB\xBF", "g.txt: error: no edges in file", 0);
    EXPECT_ERROR("# only\n% comments\n\n", "g.txt: error: no edges in file", 0);
    EXPECT_ERROR("1 2 # trailing comment\n",
                 "g.txt:1: error: expected a number or nothing in the third column, got '#'", 1);
    /* non-printable bytes are escaped, long tokens cut */
    expect_error("1 \x01\xff\n", 5, 0, "g.txt:1: error: expected a node id, got '\\x01\\xff'", 1);
    expect_error("1\0 2\n", 5, 0, "g.txt:1: error: expected a node id, got '1\\x00'", 1);
    char big[300];
    memset(big, 'a', sizeof big);
    memcpy(big + 290, " 1\n", 4);
    rt_edges e;
    rt_error err;
    assert_int_equal(parse(big, &e, &err), RT_ERR_INPUT);
    assert_non_null(strstr(err.msg, "got 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'"));
}

/* A large buffer: many chunks. The first error by position must win, with
 * its right line number, on any number of threads. */
static char *big_buffer(int64_t lines, int64_t bad_line, const char *bad, size_t *len)
{
    size_t cap = (size_t)lines * 32 + 64;
    char *b = malloc(cap);
    size_t k = 0;
    for (int64_t i = 1; i <= lines; i++) {
        if (i == bad_line)
            k += (size_t)sprintf(b + k, "%s\n", bad);
        else if (i % 1000 == 0)
            k += (size_t)sprintf(b + k, "# comment %lld\n", (long long)i);
        else if (i % 777 == 0)
            k += (size_t)sprintf(b + k, "\n");
        else
            k += (size_t)sprintf(b + k, "%lld\t%lld\n", (long long)(i * 7919 % 100003),
                                 (long long)(i * 31 % 99991));
    }
    *len = k;
    return b;
}

static void test_chunked(void **state)
{
    size_t len;
    char *b = big_buffer(300000, 0, "", &len);
    int64_t m_ref = -1;
    rt_edges ref = {0};
    for (int t = 1; t <= 4; t++) {
        omp_set_num_threads(t);
        rt_edges e;
        rt_error err;
        assert_int_equal(parse_w(b, len, 0, &e, &err), 0);
        if (m_ref < 0) {
            m_ref = e.m;
            ref = e;
            continue;
        }
        assert_int_equal(e.m, m_ref);
        assert_memory_equal(e.e, ref.e, (size_t)e.m * sizeof(rt_edge));
        rt_edges_free(&e);
    }
    /* count: lines minus comments (300) minus blank lines */
    int64_t blanks = 0;
    for (int64_t i = 1; i <= 300000; i++)
        blanks += i % 1000 != 0 && i % 777 == 0;
    assert_int_equal(m_ref, 300000 - 300 - blanks);
    assert_int_equal(ref.e[0].u, 7919);
    assert_int_equal(ref.e[0].v, 31);
    rt_edges_free(&ref);
    free(b);

    const int64_t bad_lines[] = {2, 123457, 299999};
    for (int k = 0; k < 3; k++) {
        b = big_buffer(300000, bad_lines[k], "17 x", &len);
        /* a second, later error must not win */
        memcpy(b + len - 8, "zz 1\n\n\n\n", 8);
        for (int t = 1; t <= 4; t++) {
            omp_set_num_threads(t);
            char want[128];
            snprintf(want, sizeof want, "g.txt:%lld: error: expected a node id, got 'x'",
                     (long long)bad_lines[k]);
            expect_error(b, len, 0, want, (uint64_t)bad_lines[k]);
        }
        free(b);
    }
    omp_set_num_threads(2);
}

#define SEVENS10 "7777777777"
#define SEVENS60 SEVENS10 SEVENS10 SEVENS10 SEVENS10 SEVENS10 SEVENS10

static void test_no_trailing_newline_chunks(void **state)
{
    /* a long last line without newline, and a file of one giant line */
    size_t n = 400000;
    char *b = malloc(n + 1);
    memset(b, ' ', n);
    memcpy(b + n - 4, "1 2", 3);
    b[n - 1] = ' ';
    uint64_t want[] = {1, 2};
    expect_edges(b, n, want, 1);
    memset(b, '7', n);
    expect_error(b, n, 0, "g.txt:1: error: node id " SEVENS60 "... does not fit in 64 bits", 1);
    free(b);
}

static void test_alloc_failure(void **state)
{
    rt_mem_set_limit(16);
    rt_edges e;
    rt_error err;
    assert_int_equal(parse("1 2\n3 4\n", &e, &err), RT_ERR_NOMEM);
    assert_non_null(strstr(err.msg, "out of memory: needed"));
    assert_false(err.located);
    rt_mem_set_limit(0);
}

static void test_file_open(void **state)
{
    rt_file f;
    rt_error err;
    rt_error_clear(&err);
    assert_int_equal(rt_file_open("/nonexistent/graph.txt", &f, &err), RT_ERR_IO);
    assert_string_equal(err.msg, "cannot open '/nonexistent/graph.txt': No such file or directory");
    rt_error_clear(&err);
    assert_int_equal(rt_file_open("/tmp", &f, &err), RT_ERR_IO);
    assert_string_equal(err.msg, "cannot read '/tmp': it is a directory");
    char path[] = "/tmp/test_rt_load_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "1 2\n", 4), 4);
    close(fd);
    rt_error_clear(&err);
    assert_int_equal(rt_file_open(path, &f, &err), 0);
    assert_int_equal(f.len, 4);
    assert_memory_equal(f.data, "1 2\n", 4);
    rt_file_close(&f);
    unlink(path);
}

static void test_formats(void **state)
{
    assert_string_equal(rt_format_for_path("x.txt")->name, "el");
    assert_string_equal(rt_format_for_path("dir.d/x")->name, "el");
    assert_string_equal(rt_format_for_path("x.unknown")->name, "el");
    assert_non_null(rt_format_by_name("el"));
    assert_null(rt_format_by_name("xyz"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_third_column),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_no_trailing_newline_chunks),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_file_open),
        cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
